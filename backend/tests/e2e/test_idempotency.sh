#!/usr/bin/env bash
# Idempotency-Key over HTTP through the gateway: a replayed purchase returns the same ticket and
# takes no second seat, also after the worker that served it is gone; the same key for another
# concert is refused; a different key is a new purchase.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
source "$root/tests/lib/stack.sh"
[ -n "${BOXOFFICE_API_URL:-}" ] || { echo "no shared stack (BOXOFFICE_API_URL unset)"; exit 77; }
api=$BOXOFFICE_API_URL key=$BOXOFFICE_API_KEY
json=(-H 'Content-Type: application/json')

mk() {
  http POST "$api/concerts" "${json[@]}" -H "x-api-key: $key" --data-binary \
    "$(jq -nc --arg n "Idempotency $1 $$" '{name: $n, date: "2027-05-01", venue: "Test Hall", availableTickets: 5, ticketPrice: 10}')"
  expect_status 201
  jq -r .id <<<"$HTTP_BODY"
}
c1=$(mk one); c2=$(mk two)
buy() { jq -nc --arg c "$1" '{concertId: $c, customerName: "Ada Lovelace", customerEmail: "ada@example.org"}'; }
ikey="e2e-$$-$RANDOM-$(date +%s%N)"

echo "first purchase with a key -> 201"
http POST "$api/tickets" "${json[@]}" -H "Idempotency-Key: $ikey" --data-binary "$(buy "$c1")"
expect_status 201
t1=$(jq -r .id <<<"$HTTP_BODY")

echo "the same request again -> the same ticket, no second seat"
http POST "$api/tickets" "${json[@]}" -H "Idempotency-Key: $ikey" --data-binary "$(buy "$c1")"
[ "$HTTP_STATUS" = 201 ] || [ "$HTTP_STATUS" = 200 ] || fail "replay answered $HTTP_STATUS: $HTTP_BODY"
expect_json .id "$t1"
http GET "$api/concerts/$c1"
expect_json .availableTickets 4

echo "replay after the purchase worker is gone (fresh worker on a restarted private gateway)"
trap stack_cleanup EXIT
gw_start --dynamodb-endpoint "http://127.0.0.1:${DYNAMODB_PORT:?}" --api-key "$key"
http POST "$GW_URL/tickets" "${json[@]}" -H "Idempotency-Key: $ikey" --data-binary "$(buy "$c1")"
[ "$HTTP_STATUS" = 201 ] || [ "$HTTP_STATUS" = 200 ] || fail "late replay answered $HTTP_STATUS: $HTTP_BODY"
expect_json .id "$t1"
gw_stop
http GET "$api/concerts/$c1"
expect_json .availableTickets 4

echo "the same key for another concert -> refused (4xx), nothing sold"
http POST "$api/tickets" "${json[@]}" -H "Idempotency-Key: $ikey" --data-binary "$(buy "$c2")"
[[ "$HTTP_STATUS" =~ ^4 ]] || fail "key reuse for another concert answered $HTTP_STATUS"
http GET "$api/concerts/$c2"
expect_json .availableTickets 5

echo "a new key -> a new ticket"
http POST "$api/tickets" "${json[@]}" -H "Idempotency-Key: $ikey-2" --data-binary "$(buy "$c1")"
expect_status 201
[ "$(jq -r .id <<<"$HTTP_BODY")" != "$t1" ] || fail "new key gave the old ticket"
http GET "$api/concerts/$c1"
expect_json .availableTickets 3

echo "concurrent replays of one key take one seat"
ikey3="$ikey-3"
seq 1 10 | xargs -P 10 -I{} curl -s -o /dev/null -X POST "$api/tickets" "${json[@]}" -H "Idempotency-Key: $ikey3" \
  --data-binary "$(buy "$c1")"
http GET "$api/concerts/$c1"
expect_json .availableTickets 2
n=$(ddb_count concert-ticket-system-tickets-dev "$(jq -nc --arg c "$c1" '{FilterExpression: "concertId = :c", ExpressionAttributeValues: {":c": {S: $c}}}')")
expect_eq "ticket items" 3 "$n"
echo PASS
