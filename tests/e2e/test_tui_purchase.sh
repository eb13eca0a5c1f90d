#!/usr/bin/env bash
# A full sale with the keyboard alone: list -> detail -> sell form (checked as typed) -> review ->
# receipt of a one-ticket order; the API then shows one seat fewer and the order; Enter starts the next
# sale with an empty form. Before it: every key the form's bar shows acts there (and `?` is text in a
# field), the form checks each field as it is left and keeps the focus on a bad value (letters never
# land in the quantity, more than the limit, fewer names than tickets, a bidi override in a name, which is
# never drawn as it is); the review shows the names on
# the tickets; the one-ticket receipt's bar offers what acts there (Enter closes, no arrows).
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

# the keys of the key bar (the first word of each entry)
bar_keys() { tui_screen | tail -n 1 | sed 's/^ *//' | awk -F'  +' '{ for (i = 1; i <= NF; i++) { split($i, a, " "); print a[1] } }'; }
# the label of the sell form's focused field: where a typed 7 lands (then erased)
focus_label() {
  tui_type 7
  sleep 0.3
  tui_screen | grep -oE '(Quantity|Customer name|E-mail|Ticket names|Payment|Cash tendered) +[^│]*7 +│' | head -n 1 |
    sed -E 's/ {2,}.*//'
  tui_keys BSpace
  sleep 0.2
}
keys=$(bar_keys | tr '\n' ' ')
[ "$keys" = "Tab Enter Esc F1 " ] || tui_fail "the sell form's bar shows keys [$keys], expected [Tab Enter Esc F1 ]"
tui_keys Tab
[ "$(focus_label)" = "Customer name" ] || tui_fail "Tab on the bar did not move to the customer's name"
tui_keys Enter
[ "$(focus_label)" = "E-mail" ] || tui_fail "Enter on the bar did not move to the e-mail"
tui_type '?'                  # a character in a text field, not the help
tui_wait_re "E-mail +\?"
tui_keys BSpace
tui_keys F1
tui_wait "narrow the list by name/venue"
tui_esc
tui_wait "Sell tickets"
tui_keys Escape               # nothing typed: back to the concert
tui_wait "Date (raw)"
tui_log "the sell form's bar: Tab, Enter, Esc and F1 each act; ? is typed"

# each field is checked as it is left; a bad value keeps the focus
tui_keys b
tui_wait "Customer name"
tui_type "Zoe"               # letters never land in the quantity
tui_wait "Quantity takes digits"
tui_wait_re "Quantity +1 \(digits"
tui_type 12
tui_keys Tab
tui_wait_re "at most [0-9]+ in one order here"
[ "$(focus_label)" = "Quantity" ] || tui_fail "Tab left a quantity above the limit"
tui_keys BSpace BSpace
tui_type 3
tui_keys Tab Tab Tab
tui_type "Grace,Hugo"         # 2 names for 3 tickets: the server would refuse it
tui_keys Tab
tui_wait "2 names for 3 tickets"
[ "$(focus_label)" = "Ticket names" ] || tui_fail "Tab left 2 names for 3 tickets"
tui_keys Enter
sleep 0.3
tui_has "Enter/y = confirm" && tui_fail "2 names for 3 tickets reached the review"
# bytes a terminal would choke on: a right-to-left override typed into a name never reaches the terminal
# as it is, and the name is refused as it is left
tui_keys BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace
tui_type $'Grace,Hugo,Ines\xe2\x80\xaeX'
tui_keys Tab
tui_wait "bidirectional control"
tui_screen | grep -qF $'\xe2\x80\xae' && tui_fail "the sell form drew a U+202E override to the terminal"
[ "$(focus_label)" = "Ticket names" ] || tui_fail "Tab left a name with a bidi override"
tui_esc
tui_wait "Discard what you typed"
tui_keys y
tui_wait "Date (raw)"
tui_log "quantity and names are checked as they are left"
tui_keys b
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
tui_keys Tab
tui_type "Ann Attendee"
tui_sell_review
tui_wait "1 ticket "
tui_wait_re "Ticket names +Ann Attendee" || tui_fail "the review does not show the name on the ticket"
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
keys=$(bar_keys | tr '\n' ' ')
[ "$keys" = "Enter ?/F1 q/F10 " ] || tui_fail "the one-ticket receipt's bar shows keys [$keys], expected [Enter ?/F1 q/F10 ]"
grep -q "Enter close" <<<"$(tui_screen | tail -n 1)" || tui_fail "the receipt's bar does not say Enter closes"
tui_keys '?'
tui_wait "narrow the list by name/venue"
tui_esc
tui_wait "Ticket 1 of 1"

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
