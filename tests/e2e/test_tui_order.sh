#!/usr/bin/env bash
# An operator can sell four tickets for cash to a walk-up in one sale with the keyboard alone, see the
# change due and four QR codes: list -> detail -> sell form (quantity, no name, cash, amount tendered) ->
# review (total, change due) -> receipt paged through its four tickets; the API then holds one order of
# four tickets with the change it computed, and four seats fewer.
. "$(dirname "$0")/tui_lib.sh"
tui_require
command -v zbarimg >/dev/null || tui_skip "zbarimg is not installed (zbar-tools)"
[ -n "${BOXOFFICE_USER:-}" ] || tui_skip "needs the operator's sign-in (BOXOFFICE_USER)"
api_require_orders

c=$(api_demo_pick '.availableTickets >= 4 and .ticketPrice > 0 and (.maxPerOrder // 10) >= 4' 'max_by(.availableTickets)')
[ -n "$c" ] || tui_fail "no demo concert with 4 seats left in the API"
name=$(jq -r .name <<<"$c")
id=$(jq -r .id <<<"$c")
before=$(jq -r .availableTickets <<<"$c")
price=$(jq -r .ticketPrice <<<"$c")
short=$(short_name "$name")
total=$((4 * $(to_cents "$price")))
tendered=$(( (total / 5000 + 1) * 5000 ))          # the next 50 up: there is change
change=$((tendered - total))
tui_log "4 x $price = $(from_cents $total), tendered $(from_cents $tendered), change $(from_cents $change)"

tui_start 120 40 -- --refresh 0
tui_wait_list
tui_keys /
tui_type "$short"
tui_wait "filter: $short"
tui_keys Enter
tui_wait_gone "filter: ${short}_"
tui_keys Enter
tui_wait "$id"
tui_keys b
tui_wait "Sell tickets"
tui_wait "Quantity"
tui_type "3"
tui_keys +                                        # + adds one: 4
tui_wait "Total $(from_cents $total)"
tui_keys Enter Enter Enter Enter                  # no name, no e-mail, no names on tickets, to the payment
tui_wait "cash · card · comp"
tui_keys Enter                                    # cash (the default)
tui_type "$(from_cents $tendered)"
tui_keys Enter
tui_wait "CHANGE DUE"
tui_wait_re "TOTAL +$(from_cents $total | sed 's/\./\\./')"
tui_wait_re "CHANGE DUE +$(from_cents $change | sed 's/\./\\./')"
tui_has "4 tickets" || tui_fail "the review does not say 4 tickets"
tui_keys y
tui_wait "Sale complete" 30
tui_wait "Ticket 1 of 4"
tui_wait_re "CHANGE DUE +$(from_cents $change | sed 's/\./\\./')"
order=$(tui_order_id)
[ -n "$order" ] || tui_fail "no order id on the receipt"
tui_log "receipt shows order $order"

o=$(api_order_get "$order") || tui_fail "GET /orders/$order failed"
[ "$(jq -r .quantity <<<"$o")" = 4 ] || tui_fail "the order has $(jq -r .quantity <<<"$o") tickets, not 4: $o"
[ "$(jq -r '.tickets | length' <<<"$o")" = 4 ] || tui_fail "the order does not list 4 tickets: $o"
[ "$(jq -r .payment.method <<<"$o")" = cash ] || tui_fail "not a cash order: $o"
[ "$(to_cents "$(jq -r .payment.change <<<"$o")")" = "$change" ] || tui_fail "the API's change is $(jq -r .payment.change <<<"$o")"
[ "$(to_cents "$(jq -r .total <<<"$o")")" = "$total" ] || tui_fail "the API's total is $(jq -r .total <<<"$o")"
jq -e '.customerName == null or .customerName == ""' <<<"$o" >/dev/null || tui_fail "a walk-up order got a name: $o"

# four QR codes, one per page, each with its code beneath
for i in 1 2 3 4; do
  tui_wait "Ticket $i of 4"
  code=$(jq -r ".tickets[$((i - 1))].code" <<<"$o")
  tui_wait "$(code_grouped "$code")"
  tui_qr_expect "$code" "ticket $i"
  tui_log "ticket $i: QR code $code"
  [ $i -lt 4 ] && tui_keys Right
done
tui_keys Right                                    # no fifth page
tui_wait "Ticket 4 of 4"

after=$(api_get "$id" | jq -r .availableTickets)
[ "$after" -eq $((before - 4)) ] || tui_fail "seats: before $before, after $after (expected $((before - 4)))"
tui_log "the API went from $before to $after seats"

tui_keys Enter
tui_wait_gone "Sale complete"
tui_wait "Seats left"
tui_keys q
tui_wait "EXITED rc=0"
tui_log "PASS"
