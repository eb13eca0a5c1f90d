#!/usr/bin/env bash
# A full sale with the keyboard alone: list -> detail -> sell form (checked as typed) -> review ->
# receipt of a one-ticket order; the API then shows one seat fewer and the order; Enter starts the next
# sale with an empty form.
. "$(dirname "$0")/tui_lib.sh"
tui_require
api_require_orders

# the demo concert with the most seats (never sold out by other tests)
c=$(api_demo_pick '.availableTickets > 0' 'max_by(.availableTickets)')
[ -n "$c" ] || tui_fail "no demo concert with seats left in the API"
name=$(jq -r .name <<<"$c")
id=$(jq -r .id <<<"$c")
before=$(jq -r .availableTickets <<<"$c")
[ "$before" -gt 0 ] || tui_fail "\"$name\" has no seats left"
short=$(short_name "$name")

tui_start 100 30 -- --refresh 0
tui_wait_list
tui_keys /
tui_type "$short"
tui_wait "filter: $short"
tui_keys Enter            # keep the filter
tui_wait_gone "filter: ${short}_"
tui_keys Enter            # open the selected concert
tui_wait "Seats left"
tui_wait "$id"
tui_keys b
tui_wait "Sell tickets"
tui_wait "Customer name"

# as-you-type validation: a bad e-mail is flagged before anything is sent
customer="Zoë Tester $$"
tui_keys Tab              # from the quantity (empty: 1) to the name
tui_type "$customer"
tui_keys Tab
tui_type "zoe@example"
tui_wait "customerEmail"
tui_type ".org"
tui_wait_gone "customerEmail"
# quitting now would lose the input: F10 (q is a letter here) asks first; n stays
tui_keys F10
tui_wait "Quit the box office?"
tui_keys n
tui_wait_gone "Quit the box office?"
tui_has "$customer" || tui_fail "the form lost its input"
tui_sell_review
tui_wait "1 ticket "
# the review's key bar offers what it takes (confirm, back), not the form's field keys
bar=$(tui_screen | tail -n 1)
grep -q "yes" <<<"$bar" || tui_fail "the review's key bar does not offer yes: $bar"
grep -q "next field" <<<"$bar" && tui_fail "the review's key bar still offers the form's next field: $bar"
tui_keys Enter
tui_wait "Sale complete" 30
tui_wait "Ticket 1 of 1"
screen=$(tui_screen)
order=$(tui_order_id)
[ -n "$order" ] || tui_fail "no order id on the receipt"
grep -qF "$short" <<<"$screen" || tui_fail "the receipt does not name the concert"
grep -qF "$customer" <<<"$screen" || tui_fail "the receipt does not name the customer"
price=$(jq -r .ticketPrice <<<"$c")
grep -qE "Tickets +1 × $(printf '%.2f' "$price" | sed 's/\./\\./')" <<<"$screen" || tui_fail "the receipt does not show the price $price"
o=$(api_order_get "$order") || tui_fail "GET /orders/$order failed"
code=$(jq -r '.tickets[0].code' <<<"$o")
grep -qF "$(code_grouped "$code")" <<<"$screen" || tui_fail "the receipt does not show the ticket's code $code"
[ "$(jq -r .customerEmail <<<"$o")" = "zoe@example.org" ] || tui_fail "the order's e-mail: $o"
tui_log "receipt shows order $order, ticket code $code"

# the API shows one seat fewer
after=$(api_get "$id" | jq -r .availableTickets)
[ "$after" -eq $((before - 1)) ] || tui_fail "seats: before $before, after $after (expected $((before - 1)))"
tui_log "the API went from $before to $after seats"

# next sale: back to the list, and the form no longer holds the previous customer
tui_keys Enter
tui_wait "Seats left"
tui_wait_gone "Sale complete"
tui_wait " $after"    # the list refreshed after the sale
tui_keys b
tui_wait "Sell tickets"
tui_has "$customer" && tui_fail "the form kept the previous customer's name"
tui_esc
tui_wait_gone "Sell tickets"
tui_keys q
tui_wait "EXITED rc=0"
tui_log "PASS"
