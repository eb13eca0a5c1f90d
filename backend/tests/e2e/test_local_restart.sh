#!/usr/bin/env bash
# The local stack keeps its data across down/up (DynamoDB Local on disk in LOCAL_STATE_DIR): a sold
# ticket stays sold, a non-empty database is not seeded, the user pool (cognito-local's own db, in
# LOCAL_STATE_DIR/cognito) keeps its manager: the same password signs in, a token from before still works.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
source "$root/tests/lib/stack.sh"
trap stack_cleanup EXIT

echo "private stack (not seeded), one concert, one ticket sold"
COGNITO_SHARED_ENV= stack_start --no-seed     # its own cognito-local: its pool must survive the restart
pool1=$(sed -n 's/^USER_POOL_ID=//p' "$STACK_COGNITO_ENV")
pw1=$(sed -n 's/^MANAGER_PASSWORD=//p' "$STACK_COGNITO_ENV")
token1=$STACK_TOKEN
http POST "$STACK_URL/concerts" -H 'Content-Type: application/json' -H "Authorization: $STACK_TOKEN" --data-binary \
  '{"name":"Restart Rhapsody","date":"2027-01-01T20:00:00Z","venue":"Disk Hall","availableTickets":5,"ticketPrice":9.99}'
expect_status 201
cid=$(jq -r .id <<<"$HTTP_BODY")
left=5
http POST "$STACK_URL/tickets" -H 'Content-Type: application/json' \
  --data-binary "$(jq -nc --arg c "$cid" '{concertId: $c, customerName: "Persistent Pat", customerEmail: "pat@example.com"}')"
expect_status 201

echo "down, then up again on the same state dir"
gw=$(cat "$STACK_DIR/gateway.pid"); cog=$(cat "$STACK_DIR/cognito.pid")
stack_stop
kill -0 "$gw" 2>/dev/null && fail "gateway $gw survived down"
kill -0 "$cog" 2>/dev/null && fail "cognito-local $cog survived down"
url=$(LOCAL_STATE_DIR="$STACK_DIR" API_PORT=$STACK_API_PORT DYNAMODB_PORT=$STACK_DDB_PORT COGNITO_PORT=$STACK_COGNITO_PORT \
  COGNITO_SHARED_ENV= BOXOFFICE_SEED=1 SKIP_DEPS=1 SKIP_BUILD=1 "$root/scripts/local-stack.sh" up | tail -n 1)
expect_eq "URL after restart" "$STACK_URL" "$url"
expect_eq "user pool after restart" "$pool1" "$(sed -n 's/^USER_POOL_ID=//p' "$STACK_COGNITO_ENV")"
expect_eq "manager's password after restart" "$pw1" "$(sed -n 's/^MANAGER_PASSWORD=//p' "$STACK_COGNITO_ENV")"
stack_token manager@boxoffice.local "$pw1" >/dev/null || fail "the manager cannot sign in after the restart"
http POST "$url/concerts" -H 'Content-Type: application/json' -H "Authorization: $token1" --data-binary '{}'
expect_status 400     # the token from before the restart still passes the authorizer
http GET "$url/concerts"
expect_eq "concerts after restart (a non-empty database is not seeded)" 1 "$(jq length <<<"$HTTP_BODY")"
http GET "$url/concerts/$cid"
expect_json .availableTickets $((left - 1))
echo PASS
