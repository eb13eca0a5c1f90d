#!/usr/bin/env bash
# An evening at the box office with TWO box offices running at once on the local
# stack. Terminal B (door mode for the concert, 40x12) is up from the start. Terminal A (operator, 80x24)
# sells a customer three tickets on its sell screen and sees the list's seats left go down by three; later
# the customer wants one back: A presses f, types the customer's e-mail, opens the order, selects the second
# ticket, R, gives a reason, confirms, sees it refunded and the seat back in the list. Meanwhile B's count
# follows (admitted 0 of 2, 1 refunded) without anyone touching it. At the door B scans the three codes: the two
# valid ones ADMIT once each (with the name, "ticket n of 3"), one of them scanned again is REFUSED already
# admitted (at the venue's time, at door "Gate 2"), the refunded one is REFUSED refunded (never ADMIT).
# Back at the window, A's order screen shows each ticket's state (admitted at .. at door Gate 2, refunded).
# Finally the API agrees: GET /concerts/{id}/stats (sold 3, refunded 1, admitted 2, 8 left, revenue) and
# GET /orders/{id} (which ticket is in which state, the refund and its reason).
. "$(dirname "$0")/tui_lib.sh"
tui_require
[ -n "${BOXOFFICE_USER:-}" ] || tui_skip "needs the operator's sign-in (BOXOFFICE_USER)"
api_require_orders

tag="$RANDOM$$"
name="Eve $tag"                                    # short: the whole name fits the list's column
email="g$tag@example.org"
door="Gate 2"
export XDG_CONFIG_HOME="$TUI_TMP/config"
cid=$("$TUI_BIN" --json create --name "$name" --date 2094-06-01T19:00:00Z --venue "Hall E" --tickets 10 \
  --price 15 --currency EUR --timezone Europe/Berlin | jq -r .id) || tui_fail "cannot create the concert"
[ -n "$cid" ] || tui_fail "no concert id"
K=(-H "Authorization: $TEST_TOKEN")
stats() { openapi_curl --max-time 10 "${K[@]}" "$BOXOFFICE_API_URL/concerts/$cid/stats"; }
# The ADMIT band is the only thing drawn on a green background (SGR 42) in door mode.
admit_shown() { tui_screen_attrs | grep -qE $'\e\\[([0-9]+;)*42m'; }
# in_the_band TEXT: TEXT is on the verdict band (rows 2-5 at 40x12), not just in the side list below it
in_the_band() { tui_screen | sed -n 3,6p | grep -qF -- "$1"; }

# ---- terminal B: the door, up before anything is sold
tui_start 40 12 NO_COLOR= -- --door "$cid" --door-name "$door"
B=$TUI_SOCK
tui_wait "scan a ticket"
tui_wait "Admitted 0 of 0"
tui_log "B: door mode for $cid at 40x12"

# ---- terminal A: the operator sells three tickets on the sell screen
tui_start 80 24 -- --refresh 0
A=$TUI_SOCK
tui_wait_list
tui_keys /
tui_type "$name"
tui_keys Enter
tui_wait_re "$name .* 10 *$"
tui_keys Enter
tui_wait "$cid"
tui_keys b
tui_wait "Sell tickets"
tui_wait "Quantity"
tui_type 3
tui_keys Tab
tui_type "Grace Evening"
tui_keys Tab
tui_type "$email"
tui_keys Tab
tui_type "Grace,Hugo,Ines"
tui_keys Tab                                       # the payment: cash -> card
tui_keys Space
tui_wait_re "Payment +card"
tui_sell_review
tui_wait "3 tickets × 15.00 EUR"
tui_wait_re "TOTAL +45\.00 EUR"
tui_wait_re "Payment +card"
tui_keys y
tui_wait "Sale complete" 30
tui_wait "Ticket 1 of 3"
receipt_oid=$(tui_order_id)                        # the whole id, even beside the QR code at 80x24
tui_keys Enter
tui_wait_re "$name .* 7 *$"                        # three seats fewer in the list
found=$(openapi_curl --max-time 10 "${K[@]}" "$BOXOFFICE_API_URL/orders?email=$email") || tui_fail "GET /orders?email= failed"
[ "$(jq '.orders | length' <<<"$found")" = 1 ] || tui_fail "one order expected for $email: $found"
oid=$(jq -r '.orders[0].id' <<<"$found")
[ "$receipt_oid" = "$oid" ] || tui_fail "the receipt does not show the order id $oid whole (read '$receipt_oid')"
o=$(api_order_get "$oid") || tui_fail "GET /orders/$oid failed"
[ "$(jq -r '[.quantity, (.tickets | length), .payment.method] | join(" ")' <<<"$o")" = "3 3 card" ] \
  || tui_fail "the sale is not 3 tickets by card: $o"
code() { jq -r ".tickets[$1].code" <<<"$o"; }
tid() { jq -r ".tickets[$1].id" <<<"$o"; }
tui_log "A: sold order $oid (Grace, Hugo, Ines) by card; the list says 7 seats left"

# ---- A: the customer wants Hugo's ticket refunded
tui_keys f
tui_wait "Find an order"
tui_type "$email"
tui_wait_re "^> Grace Evening .* $email +3 tickets"
tui_keys Enter
tui_wait "$oid"
tui_wait "3 × 15.00 EUR = 45.00 EUR, card"
for i in 0 1 2; do tui_wait "$(code "$i")"; done  # the codes the API holds, on the screen
[ "$(tui_screen | grep -c ' valid')" = 3 ] || tui_fail "three valid tickets expected"
tui_keys Down                                      # the second ticket, Hugo's
tui_keys Space
tui_wait_re "\[x\] +2 +$(code 1) +Hugo"
tui_keys R
tui_wait "Refund 1 ticket: 15.00 EUR back by card"
tui_type "Hugo is ill"
tui_wait "Reason: Hugo is ill_"
tui_keys Enter
tui_wait "Refunded 1 ticket: 15.00 EUR back by card"
tui_wait_re "2 +$(code 1) +Hugo +refunded"
tui_wait "Refunded      15.00 EUR (1 refund)"
[ "$(tui_screen | grep -c ' valid')" = 2 ] || tui_fail "the two other tickets should stay valid"
tui_esc
tui_wait "Find an order"
tui_esc
tui_wait_re "$name .* 8 *$"                        # the seat is back on sale in the list at once
[ "$(api_get "$cid" | jq -r .availableTickets)" = 8 ] || tui_fail "the API does not have 8 seats left"
tui_log "A: Hugo's ticket refunded; the list says 8 seats left"

# ---- B: its count followed the window's sale and refund by itself; then the scans
TUI_SOCK=$B
tui_wait "Admitted 0 of 2 (1 refunded)" 25
tui_type "$(code 0)"; tui_keys Enter
tui_wait "ADMIT Grace 1/3"
in_the_band "ticket 1 of 3" || tui_fail "the band does not say ticket 1 of 3"
admit_shown || tui_fail "Grace's ADMIT is not drawn on green"
tui_type "$(code 2 | tr -d - | tr A-Z a-z)"; tui_keys Enter   # typed by hand: lower case, no dashes
tui_wait "ADMIT Ines 2/3"
in_the_band "ticket 2 of 3" || tui_fail "the band does not say ticket 2 of 3"
tui_wait "Admitted 2 of 2 (1 refunded)"
tui_type "$(code 0)"; tui_keys Enter                         # Grace again
tui_wait "REFUSED already admitted"
at=$(TZ=Europe/Berlin date -d "$(api_order_get "$oid" | jq -r .tickets[0].checkedInAt)" +%H:%M:%S) \
  || tui_fail "no check-in time for Grace at the API"
tui_wait "ALREADY ADMITTED"
tui_wait "at $at at door $door"
in_the_band "REFUSED" || tui_fail "the band does not say REFUSED for the ticket already admitted"
admit_shown && tui_fail "a second scan of Grace's ticket shows ADMIT"
tui_type "$(code 1)"; tui_keys Enter                         # Hugo's, refunded at the window
tui_wait "REFUSED refunded Hugo"
tui_wait "REFUNDED ticket"
in_the_band "REFUSED" || tui_fail "the band does not say REFUSED for the refunded ticket"
admit_shown && tui_fail "the refunded ticket shows ADMIT"
tui_wait "Admitted 2 of 2 (1 refunded)"
tui_has "0 in the queue" || tui_fail "scans are left in the queue"
# at 80x24 the side list holds all four scans, newest on top, Grace admitted exactly once
tui_resize 80 24
tui_wait "Last scans"
r_grace=$(tui_row_of "ADMIT Grace 1/3") r_ines=$(tui_row_of "ADMIT Ines 2/3")
r_again=$(tui_row_of "REFUSED already admitted") r_hugo=$(tui_row_of "REFUSED refunded Hugo")
[ "$r_hugo" -ge 0 ] && [ "$r_hugo" -lt "$r_again" ] && [ "$r_again" -lt "$r_ines" ] && [ "$r_ines" -lt "$r_grace" ] \
  || tui_fail "the last scans are not the four verdicts in order: $r_grace $r_ines $r_again $r_hugo"
[ "$(tui_screen | grep -c 'ADMIT ')" = 2 ] || tui_fail "two ADMITs expected in the last scans"
tui_log "B: ADMIT Grace 1/3, ADMIT Ines 2/3, REFUSED already admitted at $at at door $door, REFUSED refunded Hugo"

# ---- A: the order screen shows the evening as it happened
TUI_SOCK=$A
tui_keys f
tui_wait "Find an order"
tui_type "$email"
tui_wait_re "^> Grace Evening .* $email +(3 tickets · 2 (admitted|in)|2 of 2 in) · refunded 15\.00"
tui_keys Enter
tui_wait "$oid"
t_ines=$(TZ=Europe/Berlin date -d "$(api_order_get "$oid" | jq -r .tickets[2].checkedInAt)" +%H:%M:%S)
tui_wait_re "1 +$(code 0) +Grace +admitted (at )?$at( [A-Z]+)? at door $door *│"
tui_wait_re "2 +$(code 1) +Hugo +refunded"
tui_wait_re "3 +$(code 2) +Ines +admitted (at )?$t_ines( [A-Z]+)? at door $door *│"
tui_keys q
tui_wait "EXITED rc=0"
tui_log "A: the order screen shows both admitted (time and door) and the refund"

# ---- the API agrees
s=$(stats) || tui_fail "GET /concerts/$cid/stats failed"
[ "$(jq -c '[.capacity, .sold, .refunded, .admitted, .available]' <<<"$s")" = "[10,3,1,2,8]" ] \
  || tui_fail "stats: capacity 10, sold 3, refunded 1, admitted 2, available 8 expected: $s"
[ "$(jq -r .revenue.card <<<"$s")" = 30.00 ] || tui_fail "card revenue after the refund should be 30.00: $s"
o=$(api_order_get "$oid") || tui_fail "GET /orders/$oid failed"
[ "$(jq -r '[.tickets[].status] | join(" ")' <<<"$o")" = "checkedIn refunded checkedIn" ] \
  || tui_fail "the order's tickets: $o"
[ "$(jq -r '[.tickets[0].door, .tickets[2].door] | join(",")' <<<"$o")" = "$door,$door" ] || tui_fail "doors: $o"
[ "$(jq -r .admitted <<<"$o")" = 2 ] || tui_fail "the order counts $(jq -r .admitted <<<"$o") admitted"
[ "$(jq -c '[(.refunds | length), .refunds[0].amount, .refunds[0].method, .refunds[0].reason, (.refunds[0].ticketIds == [$t])]' \
   --arg t "$(tid 1)" <<<"$o")" = '[1,"15.00","card","Hugo is ill",true]' ] || tui_fail "the refund: $o"
[ "$(api_get "$cid" | jq -r .availableTickets)" = "$(jq -r .available <<<"$s")" ] \
  || tui_fail "the concert's seats left and the stats disagree"

# B quits cleanly: nothing waits for a verdict
TUI_SOCK=$B
tui_keys F10
tui_wait "EXITED rc=0"
tui_log "PASS: stats $s"
