#!/usr/bin/env bash
# Create a concert through the form signed in as the manager (checked as typed, visible via the API);
# without a sign-in (Esc on the sign-in screen) the form is refused with "Not allowed: sign in as an operator";
# with a wrong password the box office stays on the sign-in screen. The date and time are typed
# in the venue's time zone and stored as the UTC instant; currency and max per order are stored as typed.
. "$(dirname "$0")/tui_lib.sh"
. "$TUI_ROOT/tests/lib/venue_time.sh"
tui_require
[ -n "${BOXOFFICE_USER:-}" ] || tui_skip "BOXOFFICE_USER is not set"

# --- without a sign-in
password=$BOXOFFICE_PASSWORD
BOXOFFICE_USER= BOXOFFICE_PASSWORD= tui_start 100 30 -- --refresh 0
tui_wait "operators sign in"                       # no session known: the sign-in screen first
tui_keys Escape                                    # Esc: on without an operator (public sales only)
tui_wait_list
tui_has "[operator]" && tui_fail "operator badge without a sign-in"
tui_keys n
tui_wait "Not allowed: sign in as an operator"
tui_has "New concert" && tui_fail "the create form opened without a key"
tui_keys q
tui_wait "EXITED rc=0"
tui_stop
tui_log "no key: refused"

# --- with a wrong password
BOXOFFICE_PASSWORD="not-the-password-$$" tui_start 100 30 -- --refresh 0
# the configured password is refused: the box office opens on the sign-in screen, nothing of it behind
tui_wait "operators sign in"
sleep 1
tui_has "operators sign in" || tui_fail "a refused password left the sign-in screen"
tui_has "Seats left" && tui_fail "the box office shows behind a refused sign-in"
tui_log "wrong password: the sign-in screen stays"
tui_keys F10
tui_wait "EXITED rc=0"
tui_stop

# --- signed in as the manager
BOXOFFICE_PASSWORD=$password
name="Tür Test Ünïcode 東京 $$-$RANDOM"
venue="Salle Pleyel, Paris"
tui_start 100 30 -- --refresh 0
tui_wait_list
tui_wait "[operator]"
tui_keys n
tui_wait "New concert"
tui_type "$name"
tui_keys Enter
tui_type "$venue"
tui_keys Enter
tui_keys Enter # no time zone: none stored
# the backend's date rule, as you type: Feb 30 is refused before anything is sent
tui_type "2027-02-30"
tui_wait "date: YYYY-MM-DD"
screen=$(tui_screen)
grep -A1 "Date and time" <<<"$screen" | tail -n 1 | grep -q "ok" && tui_fail "2027-02-30 accepted"
for _ in 1 2; do tui_keys BSpace; done
tui_type "28T20:30:00Z" # an instant with its own zone is sent as typed
tui_wait "ok = 2027-02-28 20:30 UTC"
tui_keys Enter
tui_type "12x"
tui_wait "availableTickets"
tui_keys BSpace
tui_keys Enter
tui_type "19.999"
tui_wait "ticketPrice"
tui_keys BSpace
tui_keys Enter
tui_keys Enter # currency: the server's default
tui_keys Enter # max per order: the default
tui_log "the form says: $(tui_screen | grep -o 'Concert created.*' | head -n 1)"

c=$(api_by_name "$name")
[ -n "$c" ] || tui_fail "the new concert is not in the API"
[ "$(jq -r .venue <<<"$c")" = "$venue" ] || tui_fail "venue: $c"
[ "$(jq -r .availableTickets <<<"$c")" = 12 ] || tui_fail "tickets: $c"
[ "$(jq -r .ticketPrice <<<"$c")" = 19.99 ] || tui_fail "price: $c"
[[ "$(jq -r .date <<<"$c")" == 2027-02-28T20:30* ]] || tui_fail "date: $c"
[ "$(jq -r '.timezone // "none"' <<<"$c")" = none ] || tui_fail "a time zone was stored though none was typed: $c"
[ "$(jq -r .maxPerOrder <<<"$c")" = 10 ] || tui_fail "maxPerOrder is not the default 10: $c"
[[ "$(jq -r .currency <<<"$c")" =~ ^[A-Z]{3}$ ]] || tui_fail "currency is not the server's default: $c"
tui_log "the API has it: $c"

# and the list shows it (refreshed after the create)
tui_keys /
tui_type "Tür Test"
tui_wait "Salle Pleyel"
tui_esc
tui_keys q
tui_wait "EXITED rc=0"
tui_stop

# --- at 80x24, in the venue's zone: 20:00 in New York in winter is 01:00Z the next day; the operator's own
# zone (Berlin) plays no part. A zone the system does not know is refused with a readable message first.
ny="NY Zone Test $$-$RANDOM"
tui_start 80 24 TZ=Europe/Berlin -- --refresh 0
tui_wait_list
tui_wait "[operator]"
tui_keys n
tui_wait "New concert"
tui_type "$ny"; tui_keys Enter
tui_type "Carnegie Hall"; tui_keys Enter
tui_type "America/Gotham"
tui_wait "timezone: not in this system's zone database"
tui_keys Enter
tui_type "2027-01-15 20:00"
tui_wait "date: set a valid time zone first"
tui_keys Enter
tui_type "3"; tui_keys Enter
tui_type "25"; tui_keys Enter
tui_type "usd"
tui_wait "Currency        USD" # typed in upper case (the empty field's hint names USD too)
tui_has "usd" && tui_fail "the currency was not upper-cased"
tui_keys Enter
tui_type "4"
tui_keys Enter # create: refused before anything is sent, the focus back on the time zone
tui_wait "timezone: not in this system's zone database"
tui_has "New concert" || tui_fail "the form closed on a bad zone"
tui_has "Concert created" && tui_fail "a concert was created with a zone the system does not know"
sleep 1
[ -z "$(api_by_name "$ny")" ] || tui_fail "a concert was created with a zone the system does not know"
tui_log "bad zone: $(tui_screen | grep -o "timezone: not in this system's zone database" | head -n 1); nothing sent"
for _ in $(seq 6); do tui_keys BSpace; done # "Gotham"
tui_type "New_York"
tui_wait "ok = 2027-01-16 01:00 UTC · 20:00 EST"
# a local time the clocks skip there (Sun 14 Mar 2027, 02:00 EST -> 03:00 EDT) is refused as typed
tui_keys Enter
for _ in $(seq 16); do tui_keys BSpace; done
tui_type "2027-03-14 02:30"
tui_wait "date: no such time there"
for _ in $(seq 16); do tui_keys BSpace; done
tui_type "2027-01-15 20:00"
tui_wait "ok = 2027-01-16 01:00 UTC · 20:00 EST"
tui_log "the form says: $(tui_screen | grep -o 'ok = 2027-01-16 01:00 UTC[^│]*' | head -n 1 | sed 's/ *$//')"
for _ in 1 2 3 4; do tui_keys Enter; done # to max per order
tui_keys Enter # create
tui_wait "Concert created" 30
tui_wait_gone "New concert"

c=$(api_by_name "$ny")
[ -n "$c" ] || tui_fail "the New York concert is not in the API"
d=$(api_get "$(jq -r .id <<<"$c")") || tui_fail "GET /concerts/{id} failed"
[ "$(jq -r .date <<<"$d")" = 2027-01-16T01:00:00Z ] || tui_fail "date is not 20:00 EST in UTC: $d"
[ "$(jq -r .timezone <<<"$d")" = America/New_York ] || tui_fail "timezone: $d"
[ "$(jq -r .currency <<<"$d")" = USD ] || tui_fail "currency: $d"
[ "$(jq -r .maxPerOrder <<<"$d")" = 4 ] || tui_fail "maxPerOrder: $d"
[ "$(jq -r .availableTickets <<<"$d")" = 3 ] || tui_fail "tickets: $d"
tui_log "the API has it: $d"

# the list and the detail show it at 20:00 EST, in the venue's zone
want=$(venue_time_short 2027-01-16T01:00:00Z America/New_York)
[[ "$want" == *"20:00 EST" ]] || tui_fail "the reference says '$want'"
tui_keys /
tui_type "NY Zone Test $$"
tui_wait "filter: NY Zone Test $$"
tui_keys Enter
tui_wait_gone "filter: NY Zone Test $$_"
tui_wait "Carnegie"
tui_screen | grep -F "Carnegie" | grep -qF -- "$want" || tui_fail "the list does not show '$want'"
tui_keys Enter
tui_wait "Per order"
tui_wait "$(LC_ALL=C TZ=America/New_York date -d 2027-01-16T01:00:00Z '+%a %d %b %Y %H:%M %Z')"
tui_has "Fri 15 Jan 2027 20:00 EST" || tui_fail "the detail does not show 20:00 EST"
tui_has "25.00 USD" || tui_fail "the detail does not show the price in USD"
tui_log "list: $want; detail: $(tui_screen | grep -o 'When .*EST' | head -n 1)"
tui_keys q
tui_wait "EXITED rc=0"
tui_log "PASS"
