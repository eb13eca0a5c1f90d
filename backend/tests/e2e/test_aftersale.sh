#!/usr/bin/env bash
# After the sale on a private stack, over HTTP: check-in (admitted, the same nonce again = the same 200
# admitting once, another nonce = already_admitted, wrong concert, unknown code, a code typed in lower case
# without dashes), undo, refunds (all valid tickets by default, chosen tickets, a refund of a refunded or
# admitted ticket = 409 naming it and changing nothing, an Idempotency-Key replay = the same 200, once),
# and GET /concerts/{id}/stats against the items in the tables. Every route needs the operator key.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
source "$root/tests/lib/stack.sh"
source "$root/backend/tests/e2e/orders_lib.sh"
trap stack_cleanup EXIT
orders_stack_start

concert() { # NAME SEATS -> id
  http POST "$api/concerts" "${J[@]}" "${K[@]}" --data-binary \
    "$(jq -nc --arg n "$1" --argjson s "$2" '{name: $n, date: "2027-06-01T19:00:00Z", venue: "Hall", availableTickets: $s, ticketPrice: 20}')"
  expect_status 201
  jq -r .id <<<"$HTTP_BODY"
}
order() { # CONCERT Q METHOD -> the order JSON
  http POST "$api/box-office/orders" "${J[@]}" "${K[@]}" --data-binary \
    "$(order_body "$1" "$2" "$(jq -nc --arg m "$3" --arg s "$(op_shift)" \
      '{payment: {method: $m}, attendees: null} + (if $m == "cash" then {shiftId: $s} else {} end)')")"
  expect_status 201
  echo "$HTTP_BODY"
}
checkin() { # CODE CONCERT NONCE [DOOR]
  http POST "$api/checkins" "${J[@]}" "${K[@]}" --data-binary \
    "$(jq -nc --arg c "$1" --arg k "$2" --arg n "$3" --arg d "${4:-}" '{code: $c, concertId: $k, nonce: $n} + (if $d == "" then {} else {door: $d} end)')"
}
stats() { http GET "$api/concerts/$1/stats" "${K[@]}"; expect_status 200; }
ticket_status() { ddb_scan $T-tickets-dev "$(jq -nc --arg i "$1" '{FilterExpression: "id = :i", ExpressionAttributeValues: {":i": {S: $i}}}')" | jq -r .status.S; }

c1=$(concert "Door test" 10)
c2=$(concert "Other night" 5)
stats "$c1"
expect_json '[.capacity, .sold, .refunded, .admitted, .available] | @csv' '10,0,0,0,10'
expect_json '.revenue | [.card, .cash, .comp] | @csv' '"0.00","0.00","0.00"'
expect_json .currency EUR

o1=$(order "$c1" 3 card)
o2=$(order "$c1" 2 cash)
o3=$(order "$c1" 1 comp)
code1=$(jq -r '.tickets[0].code' <<<"$o1") tid1=$(jq -r '.tickets[0].id' <<<"$o1") oid1=$(jq -r .id <<<"$o1")
stats "$c1"
expect_json '[.capacity, .sold, .refunded, .admitted, .available] | @csv' '10,6,0,0,4'
expect_json '.revenue | [.card, .cash, .comp] | @csv' '"60.00","40.00","20.00"'

echo "check-in: admitted; the same nonce again answers the same; another nonce: already admitted"
checkin "$code1" "$c1" n-1 "North gate"
expect_status 200
expect_json .result admitted
expect_json .ticket.status checkedIn
expect_json .ticket.id "$tid1"
expect_json .ticket.door "North gate"
expect_json '.order | [.id, .quantity, .admittedSoFar] | @csv' "\"$oid1\",3,1"
expect_json .order.customerName "Ann Buyer"   # the door's name for a ticket without an attendee
first=$(jq -c 'del(.order.admittedSoFar)' <<<"$HTTP_BODY")
at=$(jq -r .ticket.checkedInAt <<<"$HTTP_BODY")
checkin "$code1" "$c1" n-1 "North gate"
expect_status 200
expect_json .result admitted
expect_eq "the retried check-in's answer" "$first" "$(jq -c 'del(.order.admittedSoFar)' <<<"$HTTP_BODY")"
checkin "$code1" "$c1" n-2 "South gate"
expect_status 409
expect_json .result already_admitted
expect_json .at "$at"
expect_json .door "North gate"
stats "$c1"
expect_json .admitted 1

echo "check-in: a code typed in lower case without dashes; wrong concert; unknown code; bad input"
code2=$(jq -r '.tickets[1].code' <<<"$o1")
checkin "$(tr -d '-' <<<"$code2" | tr 'A-Z' 'a-z')" "$c1" n-3
expect_status 200
expect_json .ticket.code "$code2"
expect_json .order.admittedSoFar 2
code3=$(jq -r '.tickets[2].code' <<<"$o1")
checkin "$code3" "$c2" n-4
expect_status 409
expect_json .result wrong_concert
expect_json .concertId "$c1"
checkin "00000-00000-00000-00000" "$c1" n-5
expect_status 404
expect_json .result unknown_code
checkin "not a code!" "$c1" n-6
expect_status 404
expect_json .result unknown_code
http POST "$api/checkins" "${J[@]}" "${K[@]}" --data-binary "$(jq -nc --arg c "$code3" --arg k "$c1" '{code: $c, concertId: $k}')"
expect_status 400
http POST "$api/checkins" "${J[@]}" --data-binary "$(jq -nc --arg c "$code3" --arg k "$c1" '{code: $c, concertId: $k, nonce: "x"}')"
expect_status 403
expect_eq "a check-in refused changes nothing" valid "$(ticket_status "$(jq -r '.tickets[2].id' <<<"$o1")")"
stats "$c1"
expect_json .admitted 2

echo "undo: back to valid, counters too; undo twice: 409"
http POST "$api/checkins/$tid1/undo" "${K[@]}"
expect_status 200
expect_json .result undone
expect_json .ticket.status valid
http POST "$api/checkins/$tid1/undo" "${K[@]}"
expect_status 409
expect_json .result not_checked_in
http POST "$api/checkins/no-such-ticket/undo" "${K[@]}"
expect_status 404
stats "$c1"
expect_json .admitted 1
http GET "$api/orders/$oid1" "${K[@]}"
expect_json .admitted 1

echo "refund: ticket 2 of order 1 is admitted: 409 naming it, nothing changes"
tid2=$(jq -r '.tickets[1].id' <<<"$o1")
http POST "$api/orders/$oid1/refund" "${J[@]}" "${K[@]}" --data-binary "$(jq -nc --arg t "$tid2" '{ticketIds: [$t], reason: "ill"}')"
expect_status 409
expect_json '.tickets | map(.id + " " + .status) | join(",")' "$tid2 checkedIn"
echo "refund: the valid tickets of order 1 (default), with an Idempotency-Key, twice"
http POST "$api/orders/$oid1/refund" "${J[@]}" "${K[@]}" -H 'Idempotency-Key: refund-1' --data-binary '{"reason": "cannot come"}'
expect_status 200
expect_json '[.tickets[].status] | join(",")' "refunded,checkedIn,refunded"
expect_json '.refunds | length' 1
expect_json '.refunds[0] | [.amount, .method, .reason, (.ticketIds | length)] | @csv' '"40.00","card","cannot come",2'
refunded_body=$(jq -cS . <<<"$HTTP_BODY")
http POST "$api/orders/$oid1/refund" "${J[@]}" "${K[@]}" -H 'Idempotency-Key: refund-1' --data-binary '{"reason": "cannot come"}'
expect_status 200
expect_eq "the replayed refund" "$refunded_body" "$(jq -cS . <<<"$HTTP_BODY")"
http POST "$api/orders/$oid1/refund" "${J[@]}" "${K[@]}" -H 'Idempotency-Key: refund-2' --data-binary '{"reason": "again"}'
expect_status 409
expect_json '.tickets | length' 3
checkin "$code1" "$c1" n-7
expect_status 409
expect_json .result refunded
echo "refund: one ticket of the cash order, paid back by card"
oid2=$(jq -r .id <<<"$o2") t21=$(jq -r '.tickets[0].id' <<<"$o2")
http POST "$api/orders/$oid2/refund" "${J[@]}" "${K[@]}" --data-binary "$(jq -nc --arg t "$t21" '{ticketIds: [$t], reason: "changed plans", method: "card"}')"
expect_status 200
expect_json '[.tickets[].status] | join(",")' "refunded,valid"
expect_json '.refunds[0] | [.amount, .method] | @csv' '"20.00","card"'
http POST "$api/orders/$oid2/refund" "${J[@]}" "${K[@]}" --data-binary '{"ticketIds": ["not-of-this-order"], "reason": "x"}'
expect_status 400
http POST "$api/orders/$oid2/refund" "${J[@]}" "${K[@]}" --data-binary '{"ticketIds": []}'
expect_status 400
http POST "$api/orders/no-such-order/refund" "${J[@]}" "${K[@]}" --data-binary '{"reason": "x"}'
expect_status 404

echo "stats agree with the tables"
stats "$c1"
expect_json '[.capacity, .sold, .refunded, .admitted, .available] | @csv' '10,6,3,1,7'
expect_json '.revenue | [.card, .cash, .comp] | @csv' '"20.00","20.00","20.00"'
filter=$(jq -nc --arg c "$c1" '{FilterExpression: "concertId = :c", ExpressionAttributeValues: {":c": {S: $c}}}')
ddb_scan $T-tickets-dev "$filter" | jq -r .status.S | sort | uniq -c | awk '{print $2 "=" $1}' | paste -sd' ' >/tmp/aftersale.$$
expect_eq "ticket states in the table" "checkedIn=1 refunded=3 valid=2" "$(cat /tmp/aftersale.$$)"
rm -f /tmp/aftersale.$$
http GET "$api/concerts/$c1/stats"
expect_status 403
http GET "$api/concerts/nope/stats" "${K[@]}"
expect_status 404
echo PASS
