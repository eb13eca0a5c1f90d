#!/usr/bin/env bash
# An operator finds an order by the customer's e-mail (typed into Find, `f` on the list), opens it, selects
# one of its three tickets, refunds it after the confirmation that shows the amount and the payment method
# and asks for a reason, and sees the ticket's state change and the seat back in the list's seats left at
# once; the API then holds exactly that ticket refunded and one seat more. A scanned code finds the order too.
# An admitted ticket's state shows its time and door whole (at 80 columns in its short form).
# Find answers what is typed: Enter opens an order of the current text's results, waiting for them when the
# text changed since (also with every answer late: an answer to older text is never shown or opened), a
# scanner's code + Enter opens that code's order, a name that reads as a code is searched as both, and a ticket
# holder's name finds the order, saying which holder matched.
. "$(dirname "$0")/tui_lib.sh"
tui_require
[ -n "${BOXOFFICE_USER:-}" ] || tui_skip "needs the operator's sign-in (BOXOFFICE_USER)"
api_require_orders

tag="t$$x$(date +%s)"
email="ada.$tag@example.org"
export XDG_CONFIG_HOME="$TUI_TMP/config"
cid=$("$TUI_BIN" --json create --name "Refund $tag" --date 2094-06-01T19:00:00Z --venue "Hall R" --tickets 7 \
  --price 12.50 --currency EUR --timezone Europe/Berlin | jq -r .id) || tui_fail "cannot create the concert"
o=$("$TUI_BIN" --json order "$cid" --quantity 3 --name "Ada Refund $tag" --email "$email" --pay card) \
  || tui_fail "cannot sell the order"
oid=$(jq -r .id <<<"$o"); t2=$(jq -r '.tickets[1].id' <<<"$o"); code3=$(jq -r '.tickets[2].code' <<<"$o")
before=$(api_get "$cid" | jq -r .availableTickets)
[ "$before" = 4 ] || tui_fail "4 seats should be left, the API says $before"
tui_log "order $oid of 3 tickets for $email; $before seats left"

tui_start 100 30 -- --refresh 0
tui_wait_list
tui_keys /
tui_type "Refund $tag"
tui_keys Enter
tui_wait_re "Refund $tag .* 4 *$"                 # the list: 4 seats left
tui_keys f
tui_wait "Find an order"
tui_type "$email"
tui_wait_re "^> Ada Refund .* $email +3 tickets"  # searched as typed, no Enter needed
tui_wait "Refund $tag · Tue 01 Jun 2094 21:00 CEST" # the concert and its date in the venue's zone beneath
tui_keys Enter
tui_wait "$oid"
tui_wait "Ada Refund $tag <$email>"
tui_wait "3 × 12.50 EUR = 37.50 EUR, card"
[ "$(tui_screen | grep -c ' valid')" -ge 3 ] || tui_fail "three valid tickets expected"
tui_keys Down                                      # the second ticket
tui_keys Space
tui_wait "[x]  2"
bar() { tui_screen | tail -n 1; }
bar | grep -q "R refund" || tui_fail "the bar should offer R: $(bar)"
bar | grep -q "U undo" && tui_fail "the bar offers U on a valid ticket: $(bar)"
tui_keys R
tui_wait "Refund 1 ticket: 12.50 EUR back by card"
bar | grep -Eq "(^| )(R|r) (refund|refresh)" && tui_fail "the bar offers r/R while the reason is typed: $(bar)"
bar | grep -q "Tab" || tui_fail "the bar should offer Tab (the method) while the reason is typed: $(bar)"
tui_type "Cannot come"
tui_wait "Reason: Cannot come_"
tui_keys Enter
tui_wait "Refunded 1 ticket: 12.50 EUR back by card"
tui_wait "refunded"
tui_wait "Refunded      12.50 EUR (1 refund)"
tui_wait "Admitted      0 of 2 (1 refunded)"          # not "0 of 3": the refunded ticket is not to admit
[ "$(tui_screen | grep -c ' valid')" -ge 2 ] || tui_fail "two tickets should still be valid"

o=$(api_order_get "$oid") || tui_fail "GET /orders/$oid failed"
[ "$(jq -r --arg t "$t2" '.tickets[] | select(.id == $t) | .status' <<<"$o")" = refunded ] \
  || tui_fail "the API does not hold the second ticket refunded: $o"
[ "$(jq '[.tickets[] | select(.status == "valid")] | length' <<<"$o")" = 2 ] || tui_fail "two should stay valid: $o"
after=$(api_get "$cid" | jq -r .availableTickets)
[ "$after" = 5 ] || tui_fail "the API has $after seats left, expected 5"

tui_esc                                            # back to Find: the results are asked again
tui_wait "Find an order"
tui_wait_re "^> Ada Refund .* $email +3 tickets · refunded 12.50 EUR"
tui_resize 80 24                                   # a narrow state column: shorter words, still "refunded"
tui_wait_re "^> Ada Refund .* 3 tickets · refunded 12.50 *$"
bar=$(tui_screen | tail -n 1)                      # letters are typed as text here: the bar offers no letter
grep -q "Esc back" <<<"$bar" && grep -q "F1 help" <<<"$bar" || tui_fail "the bar should offer Esc back and F1 help: $bar"
! grep -qE "(^|[ /])(h|\?)[ /]" <<<"$bar" || tui_fail "the bar offers a key that is typed as text: $bar"
tui_resize 100 30
tui_esc                                            # back to the list
tui_wait_re "Refund $tag .* 5 *$"                  # the seat is back in the list at once
tui_log "the list shows 5 seats left"

# a scanned code (the scanner types it and Enter) opens the same order
tui_keys f
tui_wait "Find an order"
tui_type "$(tr -d - <<<"$code3" | tr A-Z a-z)"
tui_keys Enter                                     # its order opens at once: the code names one ticket
tui_wait "$oid"
tui_wait "◂"                                        # the scanned ticket is marked

# an admitted ticket's state names the time and the door in full, at 100 columns and at 80 (short form)
c1=$(jq -r '.tickets[0].code' <<<"$o")
ci=$(openapi_curl --max-time 10 -H "Authorization: $TEST_TOKEN" -H 'content-type: application/json' \
  "$BOXOFFICE_API_URL/checkins" --data-binary "$(jq -nc --arg c "$c1" --arg k "$cid" \
  '{code: $c, concertId: $k, nonce: "find-refund-1", door: "North gate"}')") || tui_fail "cannot check in ticket 1"
at=$(TZ=Europe/Berlin date -d "$(jq -r .ticket.checkedInAt <<<"$ci")" +%H:%M:%S)
tui_keys r
tui_wait_re "1  $(code_grouped "$c1") +admitted at $at CES?T at door North gate *│"
tui_resize 80 24
tui_wait_re "1  $(code_grouped "$c1") +admitted $at at door North gate *│"
tui_log "admitted at $at at door North gate, in full at 100 columns, short at 80"
# The order's key bar offers only keys that act (U only on an admitted ticket; while the reason is typed no
# r/R); its "Admitted" counts only tickets still to admit and says how many were refunded. A refund with
# nothing selected after the door admitted one ticket meanwhile says what the server refunded (2 tickets),
# never what the screen meant (3).
tui_keys Home
tui_wait_re "^│>\[ \]  1  $(code_grouped "$c1")"
bar | grep -q "U undo" || tui_fail "the bar should offer U on the admitted ticket: $(bar)"
bar | grep -q "Space select" && tui_fail "the bar offers Space on an admitted ticket: $(bar)"
tui_keys Down
sleep 0.3
bar | grep -q "U undo" && tui_fail "the bar offers U on a refunded ticket: $(bar)"

# 3 cash tickets on screen; the door admits one meanwhile; R with nothing selected: the server refunds 2
email2="bea.$tag@example.org"
cid2=$("$TUI_BIN" --json create --name "Refund cash $tag" --date 2094-06-01T19:00:00Z --venue "Hall R" --tickets 3 \
  --price 12.50 --currency EUR --timezone Europe/Berlin | jq -r .id) || tui_fail "cannot create the cash concert"
o2=$("$TUI_BIN" --json order "$cid2" --quantity 3 --name "Bea Cash $tag" --email "$email2" --pay cash) \
  || tui_fail "cannot sell the cash order"
oid2=$(jq -r .id <<<"$o2")
tui_esc; tui_esc
tui_wait_list
tui_keys f
tui_wait "Find an order"
tui_type "$email2"
tui_wait_re "^> Bea Cash .* 3 tickets"
tui_keys Enter
tui_wait "$oid2"
tui_wait "Admitted      0 of 3"
openapi_curl --max-time 10 -H "Authorization: $TEST_TOKEN" -H 'content-type: application/json' \
  "$BOXOFFICE_API_URL/checkins" --data-binary "$(jq -nc --arg c "$(jq -r '.tickets[0].code' <<<"$o2")" --arg k "$cid2" \
  '{code: $c, concertId: $k, nonce: "find-refund-2", door: "East"}')" >/dev/null || tui_fail "cannot admit ticket 1"
tui_keys R
tui_wait "Refund 3 tickets: 37.50 EUR back by cash"  # the question: what the screen knows
bar | grep -Eq "(^| )(R|r) (refund|refresh)" && tui_fail "at 80x24 the bar offers r/R while the reason is typed: $(bar)"
tui_type "Show moved"
tui_keys Enter
tui_wait "Refunded 2 tickets: 25.00 EUR back by cash (tickets 2, 3)"
tui_has "37.50 EUR back" && tui_fail "the message states the client's amount, not the server's"
tui_wait "Admitted      1 of 1 (2 refunded)"
o2=$(api_order_get "$oid2") || tui_fail "GET /orders/$oid2 failed"
[ "$(jq -r '[.tickets[].status] | join(",")' <<<"$o2")" = "checkedIn,refunded,refunded" ] \
  || tui_fail "the API should hold 1 admitted, 2 refunded: $o2"
tui_log "the refund says 2 tickets, 25.00 EUR: the server's answer"
tui_keys q
tui_wait "EXITED rc=0"

# ---- Find answers what is typed ----
sell() { "$TUI_BIN" --json order "$cid" --quantity 1 --name "$1" --email "$2" --pay card | jq -r .id; }
va=$(sell "Vera U$tag Alpha" "va.$tag@example.org") && vz=$(sell "Vera U$tag Zulu" "vz.$tag@example.org") \
  && mx=$(sell "Maximilian Rothenberg" "max.$tag@example.org") \
  && hq=$("$TUI_BIN" --json order "$cid" --quantity 2 --name "Hana U$tag" --email "hq.$tag@example.org" --pay card \
    --attendee "Hana U$tag" --attendee "Quirin U$tag Quast" | jq -r .id) || tui_fail "cannot sell the Find orders"
# a 20-letter name reads as a ticket code too: both are searched, and the label says so
tui_start 100 30 -- --refresh 0
tui_wait_list
tui_keys f
tui_wait "Find an order"
tui_type "Maximilian Rothenberg"
tui_wait "code or name"
tui_wait_re "^> Maximilian Rothenberg .* max\.$tag@example\.org"
tui_has "No ticket has this code" && tui_fail "a name is not only a code"
tui_log "a 20-letter name is searched as a code and as a name"
for i in $(seq 21); do tui_keys BSpace; done
# a ticket holder's name finds the order, and the row says which holder matched
tui_type "Quirin U$tag"
tui_wait_re "^> Hana U.* hq\.$tag@example\.org"
tui_wait "ticket holder Quirin U$tag Quast ·"
tui_log "a ticket holder's name finds the order"
for i in $(seq 30); do tui_keys BSpace; done
# Enter acts on the current text's results: "Vera U…" lists two; " Zulu" and Enter at once opens Zulu's order
tui_type "Vera U$tag"
tui_wait_re "^> Vera U.* va\.$tag@"
tui_wait_re "^  Vera U.* vz\.$tag@"
tui_type " Zulu"; tui_keys Enter
tui_wait "$vz"
tui_has "$va" && tui_fail "Enter opened the order of the results shown before"
tui_esc
tui_wait "Find an order"
tui_wait_re "^> Vera U.* vz\.$tag@"
# a scanner types a code and Enter within the pause: that code's order opens, not the row selected before
for i in $(seq 30); do tui_keys BSpace; done
tui_type "$(tr -d - <<<"$code3" | tr A-Z a-z)"; tui_keys Enter
tui_wait "$oid"
tui_has "$vz" && tui_fail "the scanned code opened the order selected before"
tui_log "Enter opened the current text's order, and the scanned code's"
tui_keys q
tui_wait "EXITED rc=0"

# the same with every answer 2 s late (faultproxy): an answer to older text lands while the new text waits
. "$TUI_ROOT/tests/lib/stack.sh"
tui_faultproxy
# wait_for_order ID NOT [NEVER]: polls until order ID is open; fails the moment order NOT shows instead (or the
# text NEVER shows: a row of an answer to older text)
wait_for_order() {
  local start=$SECONDS
  while [ $((SECONDS - start)) -lt "$TUI_TIMEOUT" ]; do
    tui_has "$2" && tui_fail "order $2 opened instead of $1"
    [ -n "${3:-}" ] && tui_has "$3" && tui_fail "the answer to older text was shown ($3)"
    tui_has "$1" && return 0
    sleep 0.1
  done
  tui_fail "order $1 did not open"
}
tui_start 100 30 -- --api-url "$proxied" --refresh 0
tui_wait_list
tui_keys f
tui_wait "Find an order"
tui_type "Vera U$tag"
tui_wait_re "^> Vera U.* va\.$tag@"
echo "delay-answer 2000" >"$TUI_TMP/proxy.mode"
tui_type " Zulu"; tui_keys Enter                    # the results shown are older text's: wait for Zulu's
tui_wait "searching…"
wait_for_order "$vz" "$va"
tui_esc
tui_wait "Find an order"
tui_wait_gone "searching…"                           # the results asked again on return are in
for i in $(seq 30); do tui_keys BSpace; done
tui_type "Vera U$tag"
tui_wait "searching…"                                # "Vera U…" asked; its answer lands after " Zulu" + Enter
tui_type " Zulu"; tui_keys Enter
wait_for_order "$vz" "$va" "va.$tag@example.org"    # that answer lists Alpha too: never shown
tui_esc
tui_wait "Find an order"
tui_wait_re "^> Vera U.* vz\.$tag@"                 # the results asked again on return still on their way
for i in $(seq 30); do tui_keys BSpace; done
tui_type "$(tr -d - <<<"$code3" | tr A-Z a-z)"; tui_keys Enter
wait_for_order "$oid" "$vz"
tui_log "with answers 2 s late too"
tui_proxy_release
tui_keys q
tui_wait "EXITED rc=0"
