#!/usr/bin/env bash
# The books balance under a rush (a private stack): 300 buyers order 1-4 tickets each for a 200-seat
# concert at once over HTTP (30 at a time). Afterwards: seats sold + seats left = capacity, ticket and code
# items stored = seats sold, every 201 carries all its tickets and GET /orders/{id} returns the same order,
# no ticket or code item belongs to an order that was not answered 201, no code twice.
# At the same time the same for a pooled concert (issue 19: capacity 2,000, its seats in 64 pools) late in its
# on-sale, 2 seats left in each pool: 150 buyers of 1-4 for its 128 seats, moving between pools and splitting
# orders over them as they run short; afterwards the same books, every pool at 0, the stats the sums.
# 429/502/503 are retried with the same Idempotency-Key, as a client does: a retry can never sell twice.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
source "$root/tests/lib/stack.sh"
source "$root/backend/tests/e2e/orders_lib.sh"
work=$(mktemp -d)
trap 'stack_cleanup; rm -rf "$work"' EXIT
GATEWAY_OPTS="--concurrency 16" stack_start --no-seed
export DYNAMODB_PORT=$STACK_DDB_PORT
api=$STACK_URL key=$STACK_TOKEN T=concert-ticket-system
SEATS=200 BUYERS=300 POOLED_LEFT=128 POOLED_BUYERS=150

create() { # create SEATS -> the new concert's id
  http POST "$api/concerts" -H 'Content-Type: application/json' -H "Authorization: $key" --data-binary \
    "$(jq -nc --argjson s "$1" '{name: "Rush", date: "2027-06-01T19:00:00Z", venue: "Arena", availableTickets: $s, ticketPrice: 12.5}')"
  expect_status 201
  jq -r .id <<<"$HTTP_BODY"
}
small=$(create $SEATS)
pooled=$(create 2000)
pool_late "$pooled" 2000 2

cat >"$work/buy.sh" <<'SH'
#!/usr/bin/env bash
# buy.sh API CONCERT TAG N -> "<status> <body>" in $WORK/TAG/r.N; the last answer is recorded for the contract check
source "$ROOT/tests/lib/openapi_log.sh"
tag=$3 i=$4 q=$(( $4 % 4 + 1 ))
body=$(printf '{"concertId":"%s","quantity":%d,"customerName":"Buyer %s","customerEmail":"buyer%s@example.com"}' "$2" "$q" "$i" "$i")
for attempt in 1 2 3 4 5 6 7 8; do
  code=$(curl -s -m 60 -D "$WORK/h.$i" -o "$WORK/b.$i" -w '%{http_code}' -X POST "$1/orders" \
         -H 'Content-Type: application/json' -H "Idempotency-Key: rush-$$-$tag-$i" --data-binary "$body") || true
  case $code in 429|502|503|000) sleep 0.$((RANDOM % 5 + 1)) ;; *) break ;; esac
done
openapi_record POST "$1/orders" "$code" "$WORK/h.$i" "$WORK/b.$i"
printf '%s %s\n' "$code" "$(cat "$WORK/b.$i")" >"$WORK/$tag/r.$i"
SH
chmod +x "$work/buy.sh"
mkdir "$work/small" "$work/pooled"
echo "$BUYERS buyers of 1-4 tickets for $SEATS seats and $POOLED_BUYERS for the pooled concert's $POOLED_LEFT, 30 at a time"
{ seq 1 $BUYERS | sed "s/^/$small small /"; seq $((BUYERS + 1)) $((BUYERS + POOLED_BUYERS)) | sed "s/^/$pooled pooled /"; } |
  shuf | OPENAPI_TEST=$0 ROOT=$root WORK=$work xargs -P 30 -L 1 "$work/buy.sh" "$api"

# books TAG CONCERT SEATS BUYERS CAPACITY: the checks below for one concert (SEATS: what was on sale in this rush)
books() {
local tag=$1 cid=$2 SEATS=$3 BUYERS=$4 capacity=$5 work=$work/$1
cat "$work"/r.* >"$work/all"
expect_eq "answers" $BUYERS "$(wc -l <"$work/all")"
other=$(grep -v '^201 ' "$work/all" | grep -v '^400 .*"\(No tickets available\|Only [0-9]* tickets left\)"' | head -n 3 || true)
[ -z "$other" ] || fail "unexpected answers: $other"
grep '^201 ' "$work/all" | cut -d' ' -f2- >"$work/orders"
n_orders=$(wc -l <"$work/orders")
sold=$(jq -s 'map(.quantity) | add // 0' "$work/orders")
echo "201: $n_orders orders, $sold seats; 400: $(grep -c '^400 ' "$work/all" || true)"
expect_eq "every 201 carries all its tickets" 0 "$(jq -s 'map(select((.tickets | length) != .quantity)) | length' "$work/orders")"
http GET "$api/concerts/$cid"
left=$(jq -r .availableTickets <<<"$HTTP_BODY")
expect_eq "seats sold + seats left = capacity" $SEATS $((sold + left))
expect_json .capacity "$capacity"

filter=$(jq -nc --arg c "$cid" '{FilterExpression: "concertId = :c", ExpressionAttributeValues: {":c": {S: $c}}}')
ddb_scan $T-tickets-dev "$filter" >"$work/tickets"
ddb_scan $T-codes-dev "$filter" >"$work/codes"
ddb_scan $T-orders-dev "$filter" >"$work/order-items"
expect_eq "ticket items = seats sold" "$sold" "$(wc -l <"$work/tickets")"
expect_eq "code items = seats sold" "$sold" "$(wc -l <"$work/codes")"
expect_eq "order items = 201s" "$n_orders" "$(wc -l <"$work/order-items")"
jq -r '.tickets[].id' "$work/orders" | sort >"$work/answered-ids"
jq -r '.id.S' "$work/tickets" | sort >"$work/stored-ids"
cmp -s "$work/answered-ids" "$work/stored-ids" || fail "the stored tickets are not the tickets of the 201s"
jq -r '.id' "$work/orders" | sort >"$work/order-ids"
jq -r '.orderId.S' "$work/tickets" | sort -u >"$work/ticket-orders"
expect_eq "tickets without an answered order" 0 "$(comm -13 "$work/order-ids" "$work/ticket-orders" | wc -l)"
jq -r '.tickets[].code' "$work/orders" | sort >"$work/answered-codes"
expect_eq "distinct codes" "$sold" "$(sort -u "$work/answered-codes" | wc -l)"
jq -r '.code.S' "$work/codes" | sort >"$work/stored-codes"
cmp -s "$work/answered-codes" "$work/stored-codes" || fail "the code items are not the codes of the 201s"
expect_eq "code items pointing at another ticket" 0 \
  "$(jq -r '.ticketId.S + " " + .code.S' "$work/codes" | sort | comm -3 - <(jq -r '.id.S + " " + .code.S' "$work/tickets" | sort) | wc -l)"

echo "GET /orders/{id} for each of the $n_orders orders"
mismatch=0
while read -r o; do
  id=$(jq -r .id <<<"$o")
  http GET "$api/orders/$id" -H "Authorization: $key"
  [ "$HTTP_STATUS" = 200 ] && [ "$(jq -cS . <<<"$HTTP_BODY")" = "$(jq -cS . <<<"$o")" ] || { mismatch=$((mismatch + 1)); echo "differs: $id"; }
done <"$work/orders"
expect_eq "orders that GET /orders/{id} tells differently" 0 "$mismatch"
echo "$tag: invariant holds: $sold sold + $left left = $SEATS, $sold tickets, $sold distinct codes, $n_orders orders"
}
books small "$small" $SEATS $BUYERS $SEATS
books pooled "$pooled" $POOLED_LEFT $POOLED_BUYERS 2000
expect_eq "the pooled concert sold out" 0 "$left"
ddb_scan $T-counters-dev "$filter" >"$work/pools"
expect_eq "pools" 64 "$(wc -l <"$work/pools")"
expect_eq "pools with seats left or below zero" 0 "$(jq -s 'map(select(.available.N != "0")) | length' "$work/pools")"
http GET "$api/concerts/$pooled/stats" -H "Authorization: $key"
expect_json '[.capacity, .sold, .available] | @csv' "2000,2000,0"
expect_json .revenue.card "$(printf '%d.%02d' $((sold * 1250 / 100)) $((sold * 1250 % 100)))" # pool_late counted no revenue
echo PASS
