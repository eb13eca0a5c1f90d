#!/usr/bin/env bash
# A full sale with the keyboard alone: list -> detail -> form (checked as typed) -> confirmation ->
# receipt; the API then shows one seat fewer; Enter starts the next sale with an empty form.
. "$(dirname "$0")/tui_lib.sh"
tui_require

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
tui_wait "Sell a ticket"
tui_wait "Customer name"

# as-you-type validation: a bad e-mail is flagged before anything is sent
customer="Zoë Tester $$"
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
tui_keys Enter
tui_wait "Sell 1 ticket"
tui_wait "Enter/y = confirm"
tui_keys Enter
tui_wait "Sale complete" 30
screen=$(tui_screen)
ticket=$(grep -E '^ *│ *Ticket ' <<<"$screen" | grep -oE '[0-9a-fA-F-]{8,}' | head -n 1)
[ -n "$ticket" ] || tui_fail "no ticket id on the receipt"
grep -qF "$short" <<<"$screen" || tui_fail "the receipt does not name the concert"
grep -qF "$customer" <<<"$screen" || tui_fail "the receipt does not name the customer"
grep -qE "Purchased +[0-9]{4}-[0-9]{2}-[0-9]{2}T" <<<"$screen" || tui_fail "no purchase time on the receipt"
price=$(jq -r .ticketPrice <<<"$c")
grep -qE "Price +$(printf '%.2f' "$price" | sed 's/\./\\./')" <<<"$screen" || tui_fail "the receipt does not show the price $price"
tui_log "receipt shows ticket $ticket"

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
tui_wait "Sell a ticket"
tui_has "$customer" && tui_fail "the form kept the previous customer's name"
tui_esc
tui_wait_gone "Sell a ticket"
tui_keys q
tui_wait "EXITED rc=0"
tui_log "PASS"
