#!/usr/bin/env bash
# Create a concert through the form with the operator key (checked as typed, visible via the API);
# without a key the form is refused with "Not allowed: operator key required".
. "$(dirname "$0")/tui_lib.sh"
tui_require
[ -n "${BOXOFFICE_API_KEY:-}" ] || tui_skip "BOXOFFICE_API_KEY is not set"

# --- without a key
key=$BOXOFFICE_API_KEY
BOXOFFICE_API_KEY= tui_start 100 30 -- --refresh 0
tui_wait_list
tui_has "[operator]" && tui_fail "operator badge without a key"
tui_keys n
tui_wait "Not allowed: operator key required"
tui_has "New concert" && tui_fail "the create form opened without a key"
tui_keys q
tui_wait "EXITED rc=0"
tui_stop
tui_log "no key: refused"

# --- with a wrong key: the form opens, the server refuses, its answer is shown and nothing is created
fill_form() { # NAME
  tui_keys n
  tui_wait "New concert"
  tui_type "$1"; tui_keys Enter
  tui_type "2027-03-01"; tui_keys Enter
  tui_type "Wrong Key Hall"; tui_keys Enter
  tui_type "5"; tui_keys Enter
  tui_type "10"; tui_keys Enter
}
wrong="Wrong Key Concert $$-$RANDOM"
BOXOFFICE_API_KEY="not-the-key-$$" tui_start 100 30 -- --refresh 0
tui_wait_list
fill_form "$wrong"
tui_wait "Not created:" 30
tui_wait "HTTP 403"
tui_has "New concert" || tui_fail "the form should stay open with its input after a refusal"
tui_has "$wrong" || tui_fail "the form lost its input after a refusal"
[ -z "$(api_by_name "$wrong")" ] || tui_fail "a concert was created with a wrong key"
tui_log "wrong key: $(tui_screen | grep -o 'Not created:.*' | head -n 1 | sed 's/ *$//')"
tui_esc
tui_wait "Discard what you typed"
tui_keys y
tui_wait_gone "New concert"
tui_keys q
tui_wait "EXITED rc=0"
tui_stop

# --- with the key
BOXOFFICE_API_KEY=$key
name="Tür Test Ünïcode 東京 $$-$RANDOM"
venue="Salle Pleyel, Paris"
tui_start 100 30 -- --refresh 0
tui_wait_list
tui_wait "[operator]"
tui_keys n
tui_wait "New concert"
tui_type "$name"
tui_keys Enter
# the backend's date rule, as you type: Feb 30 is refused before anything is sent
tui_type "2027-02-30"
tui_wait "date"
screen=$(tui_screen)
grep -A1 "Date (UTC)" <<<"$screen" | tail -n 1 | grep -q "ok" && tui_fail "2027-02-30 accepted"
for _ in 1 2; do tui_keys BSpace; done
tui_type "28T20:30:00Z"
tui_keys Enter
tui_type "$venue"
tui_keys Enter
tui_type "12x"
tui_wait "availableTickets"
tui_keys BSpace
tui_keys Enter
tui_type "19.999"
tui_wait "ticketPrice"
tui_keys BSpace
tui_keys Enter
tui_wait "Concert created" 30
tui_wait_gone "New concert"
tui_log "the form says: $(tui_screen | grep -o 'Concert created.*' | head -n 1)"

c=$(api_by_name "$name")
[ -n "$c" ] || tui_fail "the new concert is not in the API"
[ "$(jq -r .venue <<<"$c")" = "$venue" ] || tui_fail "venue: $c"
[ "$(jq -r .availableTickets <<<"$c")" = 12 ] || tui_fail "tickets: $c"
[ "$(jq -r .ticketPrice <<<"$c")" = 19.99 ] || tui_fail "price: $c"
[[ "$(jq -r .date <<<"$c")" == 2027-02-28T20:30* ]] || tui_fail "date: $c"
tui_log "the API has it: $c"

# and the list shows it (refreshed after the create)
tui_keys /
tui_type "Tür Test"
tui_wait "Salle Pleyel"
tui_esc
tui_keys q
tui_wait "EXITED rc=0"
tui_log "PASS"
