#!/usr/bin/env bash
# Issue 18's day at the box office, through the real client in tmux against the real stack (cognito-local, the
# gateway, the function, DynamoDB Local). The manager (the run's BOXOFFICE_USER, CLI) adds cashier Ana and door
# account Ben with temporary passwords and creates a concert. Ana signs in on the box office's sign-in screen
# (the new-password challenge), opens a shift at her terminal with a float of 100.00 (S), sells 3 tickets for cash
# (50.00 tendered: change), 2 by card and 1 comp, refunds one ticket of the cash order (f, R: cash back from
# her drawer), drops 50.00 to the safe (D). Ben signs in on the door screen (--door) and admits the card order's
# two tickets. Ana closes blind 0.50 short (C): the note is asked, given, and the Z report on her screen and in
# the API equals what DynamoDB Local holds (the shift's orders and refunds, the drop's journal item) and what
# GET /journal?shift= says; `shift verify` recomputes its hash; the manager's day sheet lists the shift. Then the
# groups: Ben can neither sell nor refund (403), Ana can neither create a concert nor undo a check-in (403);
# disabled by the manager, Ana's still-valid token sells nothing (403 "operator is disabled", no order written).
. "$(dirname "$0")/tui_lib.sh"
tui_require
. "$TUI_ROOT/tests/lib/stack.sh"
[ -n "${BOXOFFICE_USER:-}" ] || tui_skip "BOXOFFICE_USER is not set"
[ -n "${COGNITO_SHARED_ENV:-}" ] && [ -s "$COGNITO_SHARED_ENV" ] || tui_skip "no user pool (COGNITO_SHARED_ENV)"
[ -n "${DYNAMODB_PORT:-}" ] || tui_skip "DYNAMODB_PORT is not set (run through scripts/run-tests.sh)"
api_require_orders

tag="d$$r$RANDOM"
export XDG_CONFIG_HOME="$TUI_TMP/config"
bo() { "$TUI_BIN" "$@"; }                      # the CLI as the manager (BOXOFFICE_USER/BOXOFFICE_PASSWORD)
api=$BOXOFFICE_API_URL
J=(-H 'Content-Type: application/json')
M=(-H "Authorization: $TEST_TOKEN")
T_ORDERS=concert-ticket-system-orders-dev T_JOURNAL=concert-ticket-system-journal-dev
ana="ana.$tag@example.org"; ben="ben.$tag@example.org"
ana_temp="Temp-$RANDOM-ana1"; ana_pw="Ana-$RANDOM-pw2x"
ben_temp="Temp-$RANDOM-ben1"; ben_pw="Ben-$RANDOM-pw2x"
till="window-$tag"

# ---- the manager: two operators and a concert
out=$(bo operators add "$ana" --name Ana --group cashier --temporary-password "$ana_temp") || tui_fail "add Ana: $out"
grep -q "^Added Ana (an…@example.org): group cashier, enabled, FORCE_CHANGE_PASSWORD" <<<"$out" || tui_fail "add Ana: $out"
out=$(bo operators add "$ben" --name Ben --group door --temporary-password "$ben_temp") || tui_fail "add Ben: $out"
grep -q "^Added Ben (be…@example.org): group door, enabled, FORCE_CHANGE_PASSWORD" <<<"$out" || tui_fail "add Ben: $out"
name="Day $tag"
cid=$(bo --json create --name "$name" --date 2094-06-01T19:00:00Z --venue "Hall D" --tickets 20 --price 12.50 \
  --currency EUR | jq -r .id) || tui_fail "cannot create the concert"
[ -n "$cid" ] && [ "$cid" != null ] || tui_fail "no concert id"
tui_log "manager: Ana (cashier), Ben (door), concert $cid"

# signs in on the sign-in screen with the temporary password and answers the challenge
signin() { # USER TEMP NEW [F2: remember me]
  tui_wait "operators sign in"
  tui_type "$1"; tui_keys Tab; tui_type "$2"
  if [ -n "${4:-}" ]; then tui_keys F2; tui_wait "[x] Remember me"; fi
  tui_keys Enter
  tui_wait "Choose a new password"
  tui_type "$3"; tui_keys Enter; tui_type "$3"; tui_keys Enter
}

# ---- Ana at the window: sign-in, shift open with a float of 100.00
tui_start 100 30 BOXOFFICE_USER= BOXOFFICE_PASSWORD= "BOXOFFICE_TERMINAL=$till" -- --refresh 0
A=$TUI_SOCK
signin "$ana" "$ana_temp" "$ana_pw"
tui_wait_list
tui_wait_re "(Ana|an…) \(cashier\) · $till"
tui_keys S
tui_wait "Open a shift"
tui_wait "$till"
tui_type "100"
tui_keys Enter Enter                                 # float, currency (EUR): open
tui_wait "X report"
tui_wait_re "Float +100\.00"
ana_tok=$(stack_token "$ana" "$ana_pw") || tui_fail "Ana's token"
AT=(-H "Authorization: $ana_tok")
http GET "$api/shifts/current" "${AT[@]}"; expect_status 200
sid=$(jq -r .id <<<"$HTTP_BODY")
expect_json .terminal "$till"; expect_json .operator.name Ana
tui_esc
tui_wait_list
tui_log "Ana signed in, shift $sid open at $till"

# sells from the concert's detail: QTY EMAIL then the payment keys (after the form's fields), to the review
sell_start() { # QTY EMAIL
  tui_keys /                                       # the filter (still set after a sale: kept)
  sleep 0.3
  if ! tui_has "filter: ${name}_"; then
    tui_wait "filter: _"
    tui_type "$name"
    tui_wait "filter: ${name}_"
  fi
  tui_keys Enter
  tui_wait_re "$name .* [0-9]+ *$"
  tui_keys Enter
  tui_wait "$cid"
  tui_keys b
  tui_wait "Quantity"
  tui_type "$1"; tui_keys Enter                    # to the name
  tui_type "Guest $tag"; tui_keys Enter            # to the e-mail
  tui_type "$2"; tui_keys Enter                    # to the names on the tickets
  tui_keys Enter                                   # to the payment
  tui_wait "cash · card · comp"
}
sold() { # the receipt, back to the list
  tui_wait "Sale complete" 30
  tui_keys Enter
  tui_wait_list
}
# cash: 3 x 12.50 = 37.50, tendered 50.00, change 12.50
sell_start 3 "cash.$tag@example.org"
tui_keys Enter; tui_type "50.00"; tui_keys Enter
tui_wait_re "TOTAL +37\.50"
tui_wait_re "CHANGE DUE +12\.50"
tui_keys y
tui_wait_re "CHANGE DUE +12\.50" 30
sold
# card: 2 x 12.50
sell_start 2 "card.$tag@example.org"
tui_keys Space
tui_wait_re "Payment +card"
tui_sell_review
tui_wait_re "TOTAL +25\.00"
tui_keys y
sold
# comp: 1 ticket, 0.00
sell_start 1 "comp.$tag@example.org"
tui_keys Space Space
tui_wait_re "Payment +comp"
tui_sell_review
tui_keys y
sold
tui_log "Ana sold cash (change 12.50), card and comp"

# refund one ticket of the cash order: f, the order, the first ticket, R (cash back from her drawer)
tui_keys f
tui_wait "Find an order"
tui_type "cash.$tag@example.org"
tui_wait_re "^> Guest $tag .* 3 tickets"
tui_keys Enter
tui_wait "3 × 12.50 EUR = 37.50 EUR, cash"
tui_keys Space
tui_wait_re "\[x\] +1 "
tui_keys R
tui_wait "Refund 1 ticket: 12.50 EUR back by cash"
tui_type "changed plans"
tui_keys Enter
tui_wait "Refunded 1 ticket: 12.50 EUR back by cash"
tui_esc
tui_wait "Find an order"
tui_esc
tui_wait_list

# drop 50.00 to the safe
tui_keys S
tui_wait "X report"
tui_keys D
tui_wait "Cash drop to the safe"
tui_type "50"
tui_keys Enter Enter
tui_type "to safe"
tui_keys Enter
tui_wait "Drop recorded"
tui_wait_re "Drops +50\.00"
tui_wait_re "Expected cash +75\.00"
tui_log "Ana refunded 12.50 cash and dropped 50.00; the X report expects 75.00"

# ---- Ben at the door: signs in, admits the card order's two tickets
card_oid=$(openapi_curl --max-time 10 "${M[@]}" "$api/orders?email=card.$tag@example.org" | jq -r '.orders[0].id')
card=$(api_order_get "$card_oid") || tui_fail "GET /orders/$card_oid"
# door mode takes a session it already has: Ben signs in on the box office's sign-in screen with "remember me"
# (F2; his own config directory), leaves, and opens the door screen signed in as him
tui_start 80 24 BOXOFFICE_USER= BOXOFFICE_PASSWORD= "XDG_CONFIG_HOME=$TUI_TMP/ben" -- --refresh 0
signin "$ben" "$ben_temp" "$ben_pw" F2
tui_wait_list
tui_wait_re "(Ben|be…) \(door\)"
tui_keys q
tui_wait "EXITED rc=0"
tui_start 80 24 BOXOFFICE_USER= BOXOFFICE_PASSWORD= NO_COLOR= "XDG_CONFIG_HOME=$TUI_TMP/ben" -- --door "$cid" --door-name "Gate B"
tui_wait "scan a ticket"
for i in 0 1; do
  tui_type "$(jq -r ".tickets[$i].code" <<<"$card")"; tui_keys Enter
  tui_wait "ticket $((i + 1)) of 2"
done
tui_wait "Admitted 2 of 5 (1 refunded)"
card=$(api_order_get "$card_oid")
[ "$(jq -r '[.tickets[].status] | join(" ")' <<<"$card")" = "checkedIn checkedIn" ] || tui_fail "not admitted: $card"
tui_keys F10
tui_wait "EXITED rc=0"
tui_log "Ben admitted the card order's two tickets at Gate B"

# ---- Ana closes blind, 0.50 short: the note is asked, then the Z report
TUI_SOCK=$A
tui_keys C
tui_wait "Close the shift"
tui_wait "Counted EUR"
tui_has "75.00" && tui_fail "the expected cash shows before the count"
tui_type "74.50"
tui_keys Enter Enter
tui_wait "note is required"
tui_has "75.00" && tui_fail "the expected cash shows after the refusal"
tui_type "coin under the drawer"
tui_keys Enter
tui_wait "Z report #"
tui_wait_re "Difference +-0\.50"
z=$(bo --json shift show "$sid") || tui_fail "shift show $sid"
[ "$(jq -r .status <<<"$z")" = closed ] || tui_fail "the shift is not closed: $z"
[ "$(jq -r .report.note <<<"$z")" = "coin under the drawer" ] || tui_fail "the note: $z"
zc=$(jq -c '.report.currencies[] | select(.currency == "EUR")' <<<"$z")
tui_log "Z #$(jq -r .report.z <<<"$z"): $zc"

# ---- the Z report against DynamoDB Local: the shift's orders and refunds, the drop's journal item
f_shift=$(jq -nc --arg s "$sid" '{FilterExpression: "shiftId = :s", ExpressionAttributeValues: {":s": {S: $s}}}')
orders=$(ddb_scan "$T_ORDERS" "$(jq -nc --arg c "$cid" '{FilterExpression: "concertId = :c", ExpressionAttributeValues: {":c": {S: $c}}}')") \
  || tui_fail "scan of the orders"
[ "$(jq length <<<"$orders")" = 3 ] || tui_fail "3 orders expected in DynamoDB for the concert: $(jq -c "[.[].id.S]" <<<"$orders")"
[ "$(jq --arg s "$sid" '[.[] | select(.shiftId.S == $s)] | length' <<<"$orders")" = 3 ] || tui_fail "orders outside the shift"
sum_pay() { jq --arg s "$sid" --arg m "$1" '[.[] | select(.shiftId.S == $s and .paymentMethod.S == $m) | (.total.N | tonumber * 100 | round)] | add // 0' <<<"$orders"; }
db_cash=$(sum_pay cash) db_card=$(sum_pay card)
expect_eq "the cash order's tendered and change in DynamoDB" "50 12.5" \
  "$(jq -r '.[] | select(.paymentMethod.S == "cash") | "\(.tendered.N) \(.change.N)"' <<<"$orders")"
db_comps=$(jq '[.[] | select(.paymentMethod.S == "comp")] | length' <<<"$orders")
db_refund=$(jq --arg s "$sid" '[.[] | .refunds.L[]?.M | select(.shiftId.S == $s and .method.S == "cash") | (.amount.N | tonumber * 100 | round)] | add // 0' <<<"$orders")
db_refunds=$(jq --arg s "$sid" '[.[] | .refunds.L[]?.M | select(.shiftId.S == $s)] | length' <<<"$orders")
journal_db=$(ddb_scan "$T_JOURNAL" "$f_shift") || tui_fail "scan of the journal"
db_drops=$(jq '[.[] | select(.type.S == "shift.drop") | (.amount.N | tonumber * 100 | round)] | add // 0' <<<"$journal_db")
zf() { # a Z figure in cents (to_cents reads "-0.50" as 50: the sign apart)
  local v; v=$(jq -r "$1" <<<"$zc")
  if [ "${v#-}" != "$v" ]; then echo "-$(to_cents "${v#-}")"; else to_cents "$v"; fi
}
expect_eq "cash sales (Z vs orders in DynamoDB)" "$db_cash" "$(zf .sales.cash)"
expect_eq "card sales (Z vs orders in DynamoDB)" "$db_card" "$(zf .sales.card)"
expect_eq "comps (Z vs orders in DynamoDB)" "$db_comps" "$(jq -r .comps <<<"$zc")"
expect_eq "orders (Z vs DynamoDB)" 3 "$(jq -r .orders <<<"$zc")"
expect_eq "cash refunds (Z vs refunds in DynamoDB)" "$db_refund" "$(zf .refunds.cash)"
expect_eq "refund count (Z vs DynamoDB)" "$db_refunds" "$(jq -r .refundCount <<<"$zc")"
expect_eq "drops (Z vs the journal's items in DynamoDB)" "$db_drops" "$(zf .drops)"
expect_eq "what the day should hold" "3750 2500 1 1250 1 5000" "$db_cash $db_card $db_comps $db_refund $db_refunds $db_drops"
expected=$((10000 + db_cash - db_refund - db_drops))
expect_eq "expected cash (float + cash - refunds - drops)" "$expected" "$(zf .expectedCash)"
expect_eq "counted" 7450 "$(zf .counted)"
expect_eq "difference" "$((7450 - expected))" "$(zf .difference)"
# the same figures on Ana's screen
for row in "Float 10000" "Cash sales $db_cash" "Card sales $db_card" "Cash refunds $db_refund" "Drops $db_drops" \
           "Expected cash $expected" "Counted 7450"; do
  label=${row% *}
  tui_wait_re "$label +$(from_cents "${row##* }" | sed 's/\./\\./')( |$)"
done
tui_wait_re "Comps +$db_comps( |$)"

# ---- the Z report against the journal (GET /journal?shift= as the manager)
http GET "$api/journal?shift=$sid&limit=100" "${M[@]}"; expect_status 200
jr=$HTTP_BODY
jsum() { jq "[.entries[] | select($1) | (.amount | tonumber * 100 | round)] | add // 0" <<<"$jr"; }
expect_eq "journal entries (Z vs journal)" "$(jq -r .report.entries <<<"$z")" "$(jq '.entries | length' <<<"$jr")"
expect_eq "journal entries (DynamoDB vs API)" "$(jq length <<<"$journal_db")" "$(jq '.entries | length' <<<"$jr")"
expect_eq "seq 1..n" "$(jq -c '[range(1; (.entries | length) + 1)]' <<<"$jr")" "$(jq -c '[.entries[].seq]' <<<"$jr")"
expect_eq "float (journal)" 10000 "$(jsum '.type == "shift.opened"')"
expect_eq "cash sales (journal)" "$(zf .sales.cash)" "$(jsum '.type == "order.created" and (.detail | startswith("cash"))')"
expect_eq "card sales (journal)" "$(zf .sales.card)" "$(jsum '.type == "order.created" and (.detail | startswith("card"))')"
expect_eq "comps (journal)" "$(jq -r .comps <<<"$zc")" "$(jq '[.entries[] | select(.type == "order.created" and (.detail | startswith("comp")))] | length' <<<"$jr")"
expect_eq "refunds (journal)" "$(zf .refunds.cash)" "$(jsum '.type == "order.refunded"')"
expect_eq "drops (journal)" "$(zf .drops)" "$(jsum '.type == "shift.drop"')"
expect_eq "counted (journal)" 7450 "$(jsum '.type == "shift.closed"')"
expect_eq "every entry Ana's" Ana "$(jq -r '[.entries[].operator.name] | unique | join(",")' <<<"$jr")"
out=$(bo shift verify "$sid") || tui_fail "shift verify: $out"
grep -q "^verified: $(jq '.entries | length' <<<"$jr") entries" <<<"$out" || tui_fail "shift verify: $out"
bo --json shift day "$(jq -r '.openedAt[:10]' <<<"$z")" | jq -e --arg s "$sid" '.shifts[] | select(.id == $s and .status == "closed")' \
  >/dev/null || tui_fail "the manager's day sheet does not list the shift"
tui_log "Z = DynamoDB = journal; verified; on the day sheet"

# ---- what each group may not do
ben_tok=$(stack_token "$ben" "$ben_pw") || tui_fail "Ben's token"
BT=(-H "Authorization: $ben_tok")
card_sale() { jq -nc --arg c "$cid" '{concertId: $c, quantity: 1, payment: {method: "card"}}'; }
http POST "$api/box-office/orders" "${J[@]}" "${BT[@]}" --data-binary "$(card_sale)"; expect_status 403
expect_json .error "POST /box-office/orders needs the manager, cashier or kiosk group"
cash_oid=$(jq -r --arg s "$sid" '.[] | select(.paymentMethod.S == "cash") | .id.S' <<<"$orders")
http POST "$api/orders/$cash_oid/refund" "${J[@]}" "${BT[@]}" -H "Idempotency-Key: ben-$tag" \
  --data-binary '{"reason":"door"}'; expect_status 403
expect_json .error "POST /orders/{id}/refund needs the manager or cashier group"
http POST "$api/concerts" "${J[@]}" "${AT[@]}" --data-binary \
  '{"name":"Ana'"'"'s own","date":"2094-06-02T19:00:00Z","venue":"Hall","availableTickets":5,"ticketPrice":10}'
expect_status 403; expect_json .error "POST /concerts needs the manager group"
http POST "$api/checkins/$(jq -r '.tickets[0].id' <<<"$card")/undo" "${AT[@]}"; expect_status 403
expect_json .error "POST /checkins/{ticketId}/undo needs the manager group"
[ "$(api_order_get "$card_oid" | jq -r .tickets[0].status)" = checkedIn ] || tui_fail "Ana's undo changed the ticket"
# Ana can sell by card while enabled (her token is good), then the manager disables her
http POST "$api/box-office/orders" "${J[@]}" "${AT[@]}" --data-binary "$(card_sale)"; expect_status 201
out=$(bo operators disable "$ana") || tui_fail "disable Ana: $out"
grep -q "^Disabled Ana" <<<"$out" || tui_fail "disable Ana: $out"
f_concert=$(jq -nc --arg c "$cid" '{FilterExpression: "concertId = :c", ExpressionAttributeValues: {":c": {S: $c}}}')
before=$(ddb_count "$T_ORDERS" "$f_concert")
http POST "$api/box-office/orders" "${J[@]}" "${AT[@]}" --data-binary "$(card_sale)"; expect_status 403
expect_json .error "operator is disabled"
http POST "$api/box-office/orders" "${J[@]}" "${AT[@]}" --data-binary \
  "$(jq -nc --arg c "$cid" '{concertId: $c, quantity: 1, payment: {method: "comp"}}')"; expect_status 403
expect_json .error "operator is disabled"
expect_eq "orders of the concert after the disabled Ana's tries" "$before" "$(ddb_count "$T_ORDERS" "$f_concert")"
expect_eq "the concert's seats" 14 "$(api_get "$cid" | jq -r .availableTickets)"
tui_log "Ben: no sale, no refund (403); Ana: no concert, no undo (403); disabled, she sells nothing"
tui_keys q
tui_wait "EXITED rc=0"
echo PASS
