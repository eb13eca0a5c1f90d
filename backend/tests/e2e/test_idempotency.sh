#!/usr/bin/env bash
# Idempotency-Key over HTTP through the gateway: a replayed purchase returns the same ticket and
# takes no second seat, also after the worker that served it is gone; the same key for another
# concert is refused; a different key is a new purchase. Then one rule on every keyed route
# (POST /tickets, /orders, /box-office/orders, /orders/{id}/refund, /checkins with its nonce; on a
# gateway with 16 workers, so that requests sent at once are served at once):
# (a) the same key with another request is a 409 that changes nothing; (b) N identical requests at
# once all get the first answer (same status, same body) and have one effect.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
source "$root/tests/lib/stack.sh"
[ -n "${BOXOFFICE_API_URL:-}" ] || { echo "no shared stack (BOXOFFICE_API_URL unset)"; exit 77; }
api=$BOXOFFICE_API_URL key=$TEST_TOKEN
json=(-H 'Content-Type: application/json')

mk() {
  http POST "$api/concerts" "${json[@]}" -H "Authorization: $key" --data-binary \
    "$(jq -nc --arg n "Idempotency $1 $$" --argjson s "${2:-5}" '{name: $n, date: "2027-05-01", venue: "Test Hall", availableTickets: $s, ticketPrice: 10}')"
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
gw_start --dynamodb-endpoint "http://127.0.0.1:${DYNAMODB_PORT:?}" $(gw_cognito_opts)
http POST "$GW_URL/tickets" "${json[@]}" -H "Idempotency-Key: $ikey" --data-binary "$(buy "$c1")"
[ "$HTTP_STATUS" = 201 ] || [ "$HTTP_STATUS" = 200 ] || fail "late replay answered $HTTP_STATUS: $HTTP_BODY"
expect_json .id "$t1"
gw_stop
http GET "$api/concerts/$c1"
expect_json .availableTickets 4

echo "the same key for another concert -> 409, nothing sold"
http POST "$api/tickets" "${json[@]}" -H "Idempotency-Key: $ikey" --data-binary "$(buy "$c2")"
expect_status 409
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

# at_once N URL KEY BODY [curl args...]: N identical POSTs at once; "<status> <body>" in $work/r.1..N
work=$(mktemp -d)
trap 'rm -rf "$work"; stack_cleanup' EXIT
at_once() {
  local n=$1 url=$2 k=$3 body=$4; shift 4
  local pids=()
  rm -f "$work"/r.*
  for i in $(seq 1 "$n"); do
    ( s=$(curl -s -m 60 -D "$work/h.$i" -o "$work/b.$i" -w '%{http_code}' -X POST "$url" "${json[@]}" \
          -H "Idempotency-Key: $k" "$@" --data-binary "$body")
      openapi_record POST "$url" "$s" "$work/h.$i" "$work/b.$i"
      printf '%s %s\n' "$s" "$(tr -d '\n' <"$work/b.$i")" >"$work/r.$i" ) &
    pids+=($!)
  done
  wait "${pids[@]}"
}
# same_answers N STATUS: every answer of at_once is STATUS with one and the same body (in ANSWER)
same_answers() {
  local bodies
  for i in $(seq 1 "$1"); do
    [ "$(cut -d' ' -f1 "$work/r.$i")" = "$2" ] || fail "answer $i of $1: $(cat "$work/r.$i")"
  done
  bodies=$(cat "$work"/r.* | sort -u | wc -l)
  [ "$bodies" = 1 ] || { cat "$work"/r.* | sort | uniq -c >&2; fail "$bodies distinct answers to $1 identical requests"; }
  ANSWER=$(cut -d' ' -f2- "$work/r.1")
}
K=(-H "Authorization: $key")
# requests at once need workers at once: a gateway of our own on the same tables, 16 workers
gw_start --dynamodb-endpoint "http://127.0.0.1:${DYNAMODB_PORT:?}" $(gw_cognito_opts) --concurrency 16
api=$GW_URL

echo "POST /tickets: 10 identical purchases at once -> one answer, one seat"
c3=$(mk three)
at_once 10 "$api/tickets" "tk-$ikey" "$(buy "$c3")"
same_answers 10 201
http GET "$api/concerts/$c3"
expect_json .availableTickets 4

for route in orders box-office/orders; do
  hdr=(); [ "$route" = orders ] || hdr=("${K[@]}")
  echo "POST /$route: the key with another quantity, attendees or customer -> 409, nothing sold"
  ok=$(mk "$route")
  body=$(jq -nc --arg c "$ok" '{concertId: $c, quantity: 2, customerName: "Ada Lovelace", customerEmail: "ada@example.org"}')
  http POST "$api/$route" "${json[@]}" "${hdr[@]}" -H "Idempotency-Key: o-$route-$ikey" --data-binary "$body"
  expect_status 201
  for other in '.quantity = 1' '.attendees = ["Ada", "Bob"]' '.customerName = "Bob"'; do
    http POST "$api/$route" "${json[@]}" "${hdr[@]}" -H "Idempotency-Key: o-$route-$ikey" \
      --data-binary "$(jq -c "$other" <<<"$body")"
    expect_status 409
    expect_json .error "Idempotency-Key was already used for a different request"
  done
  http GET "$api/concerts/$ok"
  expect_json .availableTickets 3
  echo "POST /$route: 10 identical orders at once -> one answer, one order"
  at_once 10 "$api/$route" "o2-$route-$ikey" "$body" "${hdr[@]}"
  same_answers 10 201
  http GET "$api/concerts/$ok"
  expect_json .availableTickets 1
done

echo "POST /orders/{id}/refund: the key reused for another ticket, reason, method or all tickets -> 409, nothing refunded"
cr=$(mk refund 12)
http POST "$api/box-office/orders" "${json[@]}" "${K[@]}" --data-binary \
  "$(jq -nc --arg c "$cr" '{concertId: $c, quantity: 3, payment: {method: "cash"}}')"
expect_status 201
oid=$(jq -r .id <<<"$HTTP_BODY")
ta=$(jq -r '.tickets[0].id' <<<"$HTTP_BODY") tb=$(jq -r '.tickets[1].id' <<<"$HTTP_BODY")
tc=$(jq -r '.tickets[2].id' <<<"$HTTP_BODY")
rbody() { jq -nc --arg t "$1" --arg r "${2:-changed mind}" '{ticketIds: [$t], reason: $r}'; }
http POST "$api/orders/$oid/refund" "${json[@]}" "${K[@]}" -H "Idempotency-Key: r-$ikey" --data-binary "$(rbody "$ta")"
expect_status 200
expect_json '.refund.ticketIds | join(",")' "$ta"
expect_json .refund.amount "10.00"
expect_json .refund.method cash
first=$HTTP_BODY
for other in "$(rbody "$tb")" "$(rbody "$ta" "another reason")" \
             "$(jq -c '.method = "card"' <<<"$(rbody "$ta")")" '{"reason":"changed mind"}' \
             "$(jq -nc --arg a "$ta" --arg b "$tb" '{ticketIds: [$a, $b], reason: "changed mind"}')"; do
  http POST "$api/orders/$oid/refund" "${json[@]}" "${K[@]}" -H "Idempotency-Key: r-$ikey" --data-binary "$other"
  expect_status 409
  expect_json .error "Idempotency-Key was already used for a different request"
done
http GET "$api/orders/$oid" "${K[@]}"
expect_json '[.tickets[].status] | join(",")' "refunded,valid,valid"
expect_json '.refunds | length' 1
echo "the same refund again -> the first answer"
http POST "$api/orders/$oid/refund" "${json[@]}" "${K[@]}" -H "Idempotency-Key: r-$ikey" --data-binary "$(rbody "$ta")"
expect_status 200
expect_eq "replayed refund" "$(jq -cS .refund <<<"$first")" "$(jq -cS .refund <<<"$HTTP_BODY")"

echo "POST /orders/{id}/refund: 20 identical refunds of one ticket at once, 3 rounds -> 20 times the first answer, one refund"
for round in 1 2 3; do
  http POST "$api/box-office/orders" "${json[@]}" "${K[@]}" --data-binary \
    "$(jq -nc --arg c "$cr" '{concertId: $c, quantity: 3, payment: {method: "cash"}}')"
  expect_status 201
  o2=$(jq -r .id <<<"$HTTP_BODY") t2=$(jq -r '.tickets[1].id' <<<"$HTTP_BODY")
  at_once 20 "$api/orders/$o2/refund" "r$round-$ikey" "$(rbody "$t2")" "${K[@]}"
  same_answers 20 200
  expect_eq "refunded by the race" "$t2" "$(jq -r '.refund.ticketIds | join(",")' <<<"$ANSWER")"
  http GET "$api/orders/$o2" "${K[@]}"
  expect_json '[.tickets[].status] | join(",")' "valid,refunded,valid"
  expect_json '.refunds | length' 1
done
http GET "$api/concerts/$cr"
expect_json .availableTickets 4

echo "POST /checkins: 10 identical scans at once -> one admission; the nonce again from another door -> 409"
code_c=$(jq -r --arg t "$tc" '.tickets[] | select(.id == $t) | .code' <<<"$first")
scan() { jq -nc --arg c "$1" --arg k "$cr" --arg d "${2:-Door 1}" --arg n "n-$ikey" '{code: $c, concertId: $k, nonce: $n, door: $d}'; }
at_once 10 "$api/checkins" "unused-$ikey" "$(scan "$code_c")" "${K[@]}"
same_answers 10 200
http POST "$api/checkins" "${json[@]}" "${K[@]}" --data-binary "$(scan "$code_c" "Door 2")"
expect_status 409
expect_json .result nonce_reused
http GET "$api/concerts/$cr/stats" "${K[@]}"
expect_json .admitted 1
gw_stop
echo PASS
