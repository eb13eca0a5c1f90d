#!/usr/bin/env bash
# The local stack keeps its data across down/up (DynamoDB Local on disk in LOCAL_STATE_DIR): a sold
# ticket stays sold, a non-empty database is not seeded, the operator key stays the same.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
source "$root/tests/lib/stack.sh"
trap stack_cleanup EXIT

echo "private stack (not seeded), one concert, one ticket sold"
stack_start --no-seed
key1=$STACK_KEY
http POST "$STACK_URL/concerts" -H 'Content-Type: application/json' -H "x-api-key: $STACK_KEY" --data-binary \
  '{"name":"Restart Rhapsody","date":"2027-01-01T20:00:00Z","venue":"Disk Hall","availableTickets":5,"ticketPrice":9.99}'
expect_status 201
cid=$(jq -r .id <<<"$HTTP_BODY")
left=5
http POST "$STACK_URL/tickets" -H 'Content-Type: application/json' \
  --data-binary "$(jq -nc --arg c "$cid" '{concertId: $c, customerName: "Persistent Pat", customerEmail: "pat@example.com"}')"
expect_status 201

echo "down, then up again on the same state dir"
gw=$(cat "$STACK_DIR/gateway.pid")
stack_stop
kill -0 "$gw" 2>/dev/null && fail "gateway $gw survived down"
url=$(LOCAL_STATE_DIR="$STACK_DIR" API_PORT=$STACK_API_PORT DYNAMODB_PORT=$STACK_DDB_PORT BOXOFFICE_SEED=1 BOXOFFICE_API_KEY= \
  SKIP_DEPS=1 SKIP_BUILD=1 "$root/scripts/local-stack.sh" up | tail -n 1)
expect_eq "URL after restart" "$STACK_URL" "$url"
expect_eq "operator key after restart" "$key1" "$(cat "$STACK_DIR/api-key")"
http GET "$url/concerts"
expect_eq "concerts after restart (a non-empty database is not seeded)" 1 "$(jq length <<<"$HTTP_BODY")"
http GET "$url/concerts/$cid"
expect_json .availableTickets $((left - 1))
echo PASS
