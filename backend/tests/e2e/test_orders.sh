#!/usr/bin/env bash
# Orders over HTTP through the real gateway and bootstrap (the shared test stack): orders of 1, 2, 10
# and maxPerOrder + 1 tickets; not enough seats (no item written in any table); replay with the same
# Idempotency-Key and the key reused (409); walk-up orders (no name/e-mail) on /box-office/orders with
# the operator key only; a concert written by the reference (no capacity/currency/...) listed and sold;
# cash change, comp refused without the key, exact totals; GET /orders/{id} with and without the key.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
source "$root/tests/lib/stack.sh"
source "$root/backend/tests/e2e/orders_lib.sh"
[ -n "${BOXOFFICE_API_URL:-}" ] || { echo "no shared stack (BOXOFFICE_API_URL unset)"; exit 77; }
api=$BOXOFFICE_API_URL key=$TEST_TOKEN
T=concert-ticket-system
J='Content-Type: application/json'

new_concert() { # SEATS PRICE [EXTRA_JSON] -> CID
  local x=${3:-}
  [ -n "$x" ] || x='{}'
  http POST "$api/concerts" -H "$J" -H "Authorization: $key" --data-binary \
    "$(jq -nc --argjson s "$1" --argjson p "$2" --argjson x "$x" \
       '{name: "Orders e2e", date: "2027-06-01T19:00:00Z", venue: "Hall", availableTickets: $s, ticketPrice: $p} + $x')"
  expect_status 201
  CID=$(jq -r .id <<<"$HTTP_BODY")
}
seats() { http GET "$api/concerts/$1"; jq -r .availableTickets <<<"$HTTP_BODY"; }
all_items() { echo $(( $(ddb_count $T-concerts-dev) + $(ddb_count $T-tickets-dev) + $(ddb_count $T-orders-dev) + $(ddb_count $T-codes-dev) )); }

echo "-- the local stack created the orders and codes tables"
ddb_count $T-orders-dev >/dev/null || fail "no orders table"
ddb_count $T-codes-dev >/dev/null || fail "no codes table"

echo "-- orders of 1, 2, 10 and 11 (maxPerOrder 10) tickets"
new_concert 30 49.99; cid=$CID
expect_json .capacity 30
for q in 1 2 10; do
  http POST "$api/orders" -H "$J" --data-binary "$(order_body "$cid" $q)"
  expect_status 201
  expect_json .quantity "$q"
  expect_json '.tickets | length' "$q"
  expect_json '[.tickets[].code | test("^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){3}$")] | all' true
  expect_json '.tickets | map(.status == "valid") | all' true
  expect_json .soldBy public
  expect_json .payment.method card
  oid=$(jq -r .id <<<"$HTTP_BODY")
  expect_eq "ticket items of order $q" "$q" "$(ddb_count $T-tickets-dev "$(jq -nc --arg o "$oid" '{FilterExpression: "orderId = :o", ExpressionAttributeValues: {":o": {S: $o}}}')")"
  expect_eq "code items of order $q" "$q" "$(ddb_count $T-codes-dev "$(jq -nc --arg o "$oid" '{FilterExpression: "orderId = :o", ExpressionAttributeValues: {":o": {S: $o}}}')")"
done
expect_json .total "499.90"
http POST "$api/orders" -H "$J" --data-binary "$(order_body "$cid" 11)"
expect_status 400
expect_json .error "quantity must be between 1 and 10 (this concert's maxPerOrder)"
expect_eq "seats left" 17 "$(seats "$cid")"

echo "-- not enough seats: 400 naming what is left, nothing written anywhere"
new_concert 3 10; cid=$CID
before=$(all_items)
http POST "$api/orders" -H "$J" --data-binary "$(order_body "$cid" 4)"
expect_status 400
expect_json .error "Only 3 tickets left"
http POST "$api/orders" -H "$J" -H "Idempotency-Key: e2e-short-$$" --data-binary "$(order_body "$cid" 4)"
expect_status 400
expect_json .error "Only 3 tickets left"
expect_eq "items in all four tables" "$before" "$(all_items)"
http POST "$api/orders" -H "$J" --data-binary "$(order_body "$cid" 3)"
expect_status 201
http POST "$api/orders" -H "$J" --data-binary "$(order_body "$cid" 1)"
expect_status 400
expect_json .error "No tickets available"

echo "-- replay with the same key: the same order, no more seats; another request with it: 409"
new_concert 10 20; cid=$CID
k="e2e-order-$$-$RANDOM"
http POST "$api/orders" -H "$J" -H "Idempotency-Key: $k" --data-binary "$(order_body "$cid" 3)"
expect_status 201
first=$HTTP_BODY
http POST "$api/orders" -H "$J" -H "Idempotency-Key: $k" --data-binary "$(order_body "$cid" 3)"
expect_status 201
expect_eq "replayed order" "$first" "$HTTP_BODY"
expect_eq "seats after the replay" 7 "$(seats "$cid")"
http POST "$api/orders" -H "$J" -H "Idempotency-Key: $k" --data-binary "$(order_body "$cid" 2)"
expect_status 409
expect_eq "409 body" '{"error":"Idempotency-Key was already used for a different request"}' "$HTTP_BODY"
expect_eq "seats after the 409" 7 "$(seats "$cid")"

echo "-- walk-up orders: operators only"
walk=$(jq -nc --arg c "$cid" '{concertId: $c, quantity: 2, payment: {method: "cash", tendered: "50"}}')
http POST "$api/box-office/orders" -H "$J" -H "Authorization: $key" --data-binary "$walk"
expect_status 201
expect_json .customerName null
expect_json .payment.change "10.00"
expect_json .soldBy local-operator
http POST "$api/orders" -H "$J" --data-binary "$walk"
expect_status 403   # cash needs the key
expect_json .error "Payment method cash needs the operator key (POST /box-office/orders)"
http POST "$api/orders" -H "$J" -H "Authorization: $key" --data-binary "$(jq -c 'del(.payment)' <<<"$walk")"
expect_status 400   # the key on a public route makes nobody an operator
expect_json .error "customerName is required"
http POST "$api/box-office/orders" -H "$J" --data-binary "$walk"
expect_status 403   # the gateway: no key
expect_json .message Forbidden

echo "-- a concert written by the reference (no capacity, currency, timezone, maxPerOrder)"
rid="ref-orders-$$-$RANDOM"
ddb_put $T-concerts-dev "$(jq -nc --arg id "$rid" '{id: {S: $id}, name: {S: "Reference"}, date: {S: "2027-01-01"},
  venue: {S: "Old Hall"}, availableTickets: {N: "10"}, ticketPrice: {N: "0.1"}}')"
want=$(jq -nc --arg id "$rid" '{id: $id, name: "Reference", date: "2027-01-01", venue: "Old Hall", availableTickets: 10, ticketPrice: 0.1}')
http GET "$api/concerts/$rid"
expect_status 200
expect_eq "GET of the reference's item" "$want" "$HTTP_BODY"
http GET "$api/concerts"
expect_eq "listed as stored" "$want" "$(jq -c --arg id "$rid" '.[] | select(.id == $id)' <<<"$HTTP_BODY")"
http POST "$api/orders" -H "$J" --data-binary "$(order_body "$rid" 3)"
expect_status 201
expect_json .unitPrice "0.10"
expect_json .total "0.30"
expect_json .currency EUR

echo "-- payment: exact totals, change, comp"
new_concert 40 19.99 '{"currency":"USD","timezone":"America/New_York"}'; cid=$CID
http POST "$api/box-office/orders" -H "$J" -H "Authorization: $key" --data-binary "$(order_body "$cid" 7 '{"payment":{"method":"cash","tendered":150}}')"
expect_status 201
expect_json .total "139.93"
expect_json .payment.tendered "150.00"
expect_json .payment.change "10.07"
expect_json .currency USD
oid=$(jq -r .id <<<"$HTTP_BODY")
sold=$HTTP_BODY
http POST "$api/box-office/orders" -H "$J" -H "Authorization: $key" --data-binary "$(order_body "$cid" 2 '{"payment":{"method":"comp"}}')"
expect_status 201
expect_json .total "0.00"
expect_json .unitPrice "19.99"
http POST "$api/orders" -H "$J" --data-binary "$(order_body "$cid" 2 '{"payment":{"method":"comp"}}')"
expect_status 403
expect_json .error "Payment method comp needs the operator key (POST /box-office/orders)"

echo "-- GET /orders/{id}: operators only"
http GET "$api/orders/$oid" -H "Authorization: $key"
expect_status 200
expect_eq "GET /orders/{id}" "$sold" "$HTTP_BODY"
http GET "$api/orders/$oid"
expect_status 403
http GET "$api/orders/no-such-order" -H "Authorization: $key"
expect_status 404
expect_json .error "Order not found"
echo PASS
