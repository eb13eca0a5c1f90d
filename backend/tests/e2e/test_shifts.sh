#!/usr/bin/env bash
# Shifts over HTTP through the gateway and the real bootstrap (the shared stack; the operator key stands for the
# operator until sign-in lands): open (or the open one: 409 names it), current, a cash sale with change on the
# shift, a drop, a paid-out, the X report, the blind close (a count that differs needs a note, and the refusal
# does not tell the expected amount), the Z with its hash, replayed with its key, and what a closed shift refuses.
# Every answer is checked against docs/openapi.yaml (openapi-check).
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
source "$root/tests/lib/stack.sh"
[ -n "${BOXOFFICE_API_URL:-}" ] || { echo "no shared stack (BOXOFFICE_API_URL unset)"; exit 77; }
api=$BOXOFFICE_API_URL key=$BOXOFFICE_API_KEY
J=(-H 'Content-Type: application/json')
K=(-H "x-api-key: $key")

echo "POST /shifts: bad input -> 400; a float of 100.00 -> 201 (or 409 naming the key's open shift)"
http POST "$api/shifts" "${J[@]}" "${K[@]}" --data-binary '{"terminal":"w-1","float":{"eur":"1"}}'
expect_status 400
http POST "$api/shifts" "${J[@]}" "${K[@]}" --data-binary '{"float":{"EUR":"1.00"}}'
expect_status 400
http POST "$api/shifts" "${J[@]}" "${K[@]}" --data-binary '{"terminal":"window-2","float":{"EUR":"100.00"}}'
case $HTTP_STATUS in
  201) sid=$(jq -r .id <<<"$HTTP_BODY") ;;
  409) expect_json .error "you already have an open shift"; sid=$(jq -r .shift.id <<<"$HTTP_BODY") ;;
  *) fail "open: $HTTP_STATUS $HTTP_BODY" ;;
esac
http POST "$api/shifts" "${J[@]}" "${K[@]}" --data-binary '{"terminal":"window-3","float":{"EUR":"5.00"}}'
expect_status 409
expect_json .shift.id "$sid"
http GET "$api/shifts/current" "${K[@]}"
expect_status 200
expect_json .id "$sid"
expect_json .report.kind X
http GET "$api/shifts/current"
expect_status 403   # the gateway: no key

echo "a cash sale on the shift, a drop, a paid-out; without the shift cash is refused"
http POST "$api/concerts" "${J[@]}" "${K[@]}" --data-binary \
  "$(jq -nc --arg n "Shift e2e $$" '{name: $n, date: "2094-03-01T20:00:00Z", venue: "Hall", availableTickets: 5, ticketPrice: 12.5, currency: "EUR"}')"
expect_status 201
cid=$(jq -r .id <<<"$HTTP_BODY")
http GET "$api/shifts/$sid" "${K[@]}"
before=$(jq -c '.report.currencies[] | select(.currency == "EUR")' <<<"$HTTP_BODY")
http POST "$api/box-office/orders" "${J[@]}" "${K[@]}" --data-binary \
  "$(jq -nc --arg c "$cid" '{concertId: $c, quantity: 2, payment: {method: "cash", tendered: "30"}}')"
expect_status 409
expect_json .error "a cash sale needs an open shift: open one first"
http POST "$api/box-office/orders" "${J[@]}" "${K[@]}" --data-binary \
  "$(jq -nc --arg c "$cid" --arg s "$sid" '{concertId: $c, quantity: 2, payment: {method: "cash", tendered: "30"}, shiftId: $s}')"
expect_status 201
expect_json .payment.change "5.00"
expect_json .shiftId "$sid"
http POST "$api/shifts/$sid/drops" "${J[@]}" "${K[@]}" --data-binary '{"amount":"20.00","currency":"EUR","note":"to safe"}'
expect_status 201
http POST "$api/shifts/$sid/paidouts" "${J[@]}" "${K[@]}" --data-binary '{"amount":"2.50","currency":"EUR","note":"stamps"}'
expect_status 201
http POST "$api/shifts/$sid/drops" "${J[@]}" "${K[@]}" --data-binary '{"amount":"0","currency":"EUR"}'
expect_status 400
http GET "$api/shifts/no-such-shift" "${K[@]}"
expect_status 404
http GET "$api/shifts/$sid" "${K[@]}"
expect_status 200
after=$(jq -c '.report.currencies[] | select(.currency == "EUR")' <<<"$HTTP_BODY")
cents() { jq -r "$1" <<<"$2" | tr -d . | sed 's/^-0*/-/; s/^0*//; s/^-$/0/; s/^$/0/'; }
expect_eq "cash sales moved by 25.00" 2500 $(( $(cents .sales.cash "$after") - $(cents .sales.cash "$before") ))
expect_eq "drops moved by 20.00" 2000 $(( $(cents .drops "$after") - $(cents .drops "$before") ))
expect_eq "expected cash moved by 2.50" 250 $(( $(cents .expectedCash "$after") - $(cents .expectedCash "$before") ))
expected=$(jq -r .expectedCash <<<"$after")

echo "the blind close: a difference without a note -> 400 not telling the expected amount; exact -> the Z"
http POST "$api/shifts/$sid/close" "${J[@]}" "${K[@]}" --data-binary '{"counted":{"EUR":"999999.99"}}'
expect_status 400
expect_json .error "note is required when counted differs from expected"
grep -qF "$expected" <<<"$HTTP_BODY" && fail "the refusal tells the expected amount: $HTTP_BODY"
counted=$(jq -nc --arg e "$expected" '{counted: {EUR: $e}} ')
zkey="close-$$-$RANDOM"
http POST "$api/shifts/$sid/close" "${J[@]}" "${K[@]}" -H "Idempotency-Key: $zkey" --data-binary "$counted"
expect_status 200
expect_json .status closed
expect_json .report.kind Z
expect_json '.report.currencies[] | select(.currency == "EUR") | .difference' "0.00"
[[ "$(jq -r .report.hash <<<"$HTTP_BODY")" =~ ^[0-9a-f]{64}$ ]] || fail "no hash: $HTTP_BODY"
z=$(jq -cS . <<<"$HTTP_BODY")
http POST "$api/shifts/$sid/close" "${J[@]}" "${K[@]}" -H "Idempotency-Key: $zkey" --data-binary "$counted"
expect_status 200
expect_eq "the replayed Z" "$z" "$(jq -cS . <<<"$HTTP_BODY")"
grep -qi '^idempotent-replayed: true' <<<"$HTTP_HEADERS" || fail "no Idempotent-Replayed header"
http POST "$api/shifts/$sid/close" "${J[@]}" "${K[@]}" --data-binary "$counted"
expect_status 409
expect_json .error "shift is closed"
http POST "$api/shifts/$sid/drops" "${J[@]}" "${K[@]}" --data-binary '{"amount":"1.00","currency":"EUR"}'
expect_status 409
http GET "$api/shifts/current" "${K[@]}"
expect_status 404
expect_json .error "no open shift"

echo "the journal and the day sheet need the manager group (the key holds none)"
http GET "$api/journal?shift=$sid" "${K[@]}"
expect_status 403
http GET "$api/shifts?day=$(date -u +%F)" "${K[@]}"
expect_status 403
echo "ok"
