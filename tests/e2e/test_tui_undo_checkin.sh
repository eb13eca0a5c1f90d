#!/usr/bin/env bash
# An operator undoes a check-in from the order screen (an operator's correction): a ticket checked in
# through the API shows admitted (time and door) and the order "Admitted 1 of 2"; `U` on a ticket that is
# valid says only an admitted ticket's check-in can be undone; `U` on the admitted one asks first, naming the
# ticket, its time and its door; Esc keeps the check-in (the API still holds it), `U` and `y` undo it: the
# ticket shows valid, the order "Admitted 0 of 2", and GET /orders/{id} and the concert's stats agree.
. "$(dirname "$0")/tui_lib.sh"
tui_require
[ -n "${BOXOFFICE_USER:-}" ] || tui_skip "needs the operator's sign-in (BOXOFFICE_USER)"
api_require_orders

tag="u$$x$(date +%s)"
email="una.$tag@example.org"
export XDG_CONFIG_HOME="$TUI_TMP/config"
cid=$("$TUI_BIN" --json create --name "Undo $tag" --date 2094-06-01T19:00:00Z --venue "Hall U" --tickets 5 \
  --price 10 --currency EUR --timezone Europe/Berlin | jq -r .id) || tui_fail "cannot create the concert"
o=$("$TUI_BIN" --json order "$cid" --quantity 2 --name "Una Undo $tag" --email "$email" --attendee Una --attendee Ugo \
  --pay card) || tui_fail "cannot sell the order"
oid=$(jq -r .id <<<"$o"); t1=$(jq -r '.tickets[0].id' <<<"$o"); c1=$(jq -r '.tickets[0].code' <<<"$o")
ci=$(openapi_curl --max-time 10 -H "Authorization: $TEST_TOKEN" -H 'content-type: application/json' \
  "$BOXOFFICE_API_URL/checkins" --data-binary "$(jq -nc --arg c "$c1" --arg k "$cid" \
  '{code: $c, concertId: $k, nonce: "undo-1", door: "East gate"}')") || tui_fail "cannot check in ticket 1"
[ "$(jq -r .result <<<"$ci")" = admitted ] || tui_fail "ticket 1 was not admitted: $ci"
at=$(TZ=Europe/Berlin date -d "$(jq -r .ticket.checkedInAt <<<"$ci")" +%H:%M:%S)
ticket_status() { api_order_get "$oid" | jq -r --arg t "$t1" '.tickets[] | select(.id == $t) | .status'; }
tui_log "order $oid of 2; ticket 1 admitted at $at at door East gate"

tui_start 100 30 -- --refresh 0
tui_wait_list
tui_keys f
tui_wait "Find an order"
tui_type "$email"
tui_wait_re "^> Una Undo .* $email +2 tickets"
tui_keys Enter
tui_wait "$oid"
tui_wait_re "1  $(code_grouped "$c1") +Una +admitted at $at CES?T at door East gate"
tui_wait_re "Admitted +1 of 2"
tui_wait_re "U undo"                                   # offered in the key bar

tui_keys Down                                          # ticket 2 is valid: nothing to undo
tui_keys U
tui_wait "Ticket 2 is valid: only an admitted ticket's check-in can be undone"
tui_keys Up

tui_keys U                                             # the question names the ticket, its time and door
tui_wait "Undo the check-in of ticket 1 $(code_grouped "$c1") · Una?"
tui_wait_re "It was admitted at $at CES?T at door East gate +│"
tui_wait "It becomes valid again"
tui_resize 80 24                                       # the question and the key bar fit 80x24
tui_wait_re "It was admitted at $at CES?T at door East gate +│"
tui_wait_re "y yes +Esc/h back"                        # the question's keys, not U (it does nothing there)
tui_screen | tail -n 1 | grep -q "U undo" && tui_fail "the bar offers U while the question is open"
tui_resize 100 30
tui_esc
tui_wait "The check-in is kept"
[ "$(ticket_status)" = checkedIn ] || tui_fail "Esc must keep the check-in; the API says $(ticket_status)"

tui_keys U
tui_wait "Undo the check-in of ticket 1"
tui_keys y
tui_wait "Check-in of ticket 1 undone: it is valid again"
tui_wait_re "1  $(code_grouped "$c1") +Una +valid"
tui_wait_re "Admitted +0 of 2"
tui_has "admitted at" && tui_fail "no ticket should show admitted any more"

order=$(api_order_get "$oid") || tui_fail "GET /orders/$oid failed"
[ "$(ticket_status)" = valid ] || tui_fail "the API does not hold ticket 1 valid: $order"
[ "$(jq '.admitted // 0' <<<"$order")" = 0 ] || tui_fail "the order should count 0 admitted: $order"
stats=$(openapi_curl --max-time 10 -H "Authorization: $TEST_TOKEN" "$BOXOFFICE_API_URL/concerts/$cid/stats")
[ "$(jq .admitted <<<"$stats")" = 0 ] || tui_fail "the concert should count 0 admitted: $stats"
tui_log "undone: ticket 1 valid, the order and the concert count 0 admitted"

tui_keys U                                             # now valid: refused, nothing sent
tui_wait "Ticket 1 is valid: only an admitted ticket's check-in can be undone"
tui_keys q
tui_wait "EXITED rc=0"
