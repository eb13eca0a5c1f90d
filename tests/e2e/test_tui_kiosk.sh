#!/usr/bin/env bash
# Kiosk mode: no way to the create form; q without the PIN does not quit (no PIN configured: no way at
# all); a wrong PIN is refused; the right PIN quits; the idle timeout clears a half-filled form.
. "$(dirname "$0")/tui_lib.sh"
tui_require

# --- no PIN configured: no quitting from the keyboard, not even Ctrl-C
tui_start 100 30 -- --kiosk --refresh 0
tui_wait_list
tui_wait "[kiosk]"
tui_keys n
tui_wait "Not available in kiosk mode"
tui_has "New concert" && tui_fail "the create form opened in kiosk mode"
tui_keys q
tui_wait "Exit is disabled on this kiosk"
tui_keys F10
tui_wait "Exit is disabled on this kiosk"
tui_keys C-c
sleep 1
tui_has "EXITED" && tui_fail "Ctrl-C ended the kiosk"
tui_wait "Seats left"
tui_log "no PIN: n, q, F10 and Ctrl-C all refused"
tui_stop

# --- with a PIN (and a short idle timeout from the config file)
mkdir -p "$TUI_TMP/config/boxoffice"
printf 'idle_timeout_seconds = 3\n' >"$TUI_TMP/config/boxoffice/config"
pin=$((RANDOM % 9000 + 1000))
tui_start 100 40 -- --kiosk --kiosk-pin "$pin" --inspect --refresh 0
tui_wait_list
tui_keys n
tui_wait "Not available in kiosk mode"
tui_keys q
tui_wait "Exit kiosk"
tui_type "0000"
tui_wait "Exit PIN        ****"
tui_keys Enter
tui_wait "Wrong PIN"
tui_has "EXITED" && tui_fail "a wrong PIN quit the kiosk"
tui_log "wrong PIN refused"

# idle: a half-filled purchase form goes away by itself, and nothing of it remains
name=$(api_demo_pick '.availableTickets > 1' 'max_by(.availableTickets)' | jq -r .name)
[ -n "$name" ] || tui_fail "no demo concert with seats left in the API"
tui_keys /
tui_type "$(short_name "$name")"
tui_keys Enter
tui_wait_gone "filter: $(short_name "$name")_"
tui_keys b
tui_wait "Customer name"
tui_type "Idle Customer"
tui_wait "Idle Customer"
tui_wait_gone "Idle Customer" 15
tui_wait "Seats left"
tui_wait_gone "filter:"
tui_keys /
tui_type "$(short_name "$name")"
tui_keys Enter
tui_keys b
tui_wait "Customer name"
tui_has "Idle Customer" && tui_fail "the form kept the previous customer's name"
tui_esc
tui_wait "Seats left"
tui_esc   # clear the filter
tui_wait_gone "filter:"
tui_log "idle timeout returned to the list and cleared the form"

# a sale on the kiosk: the receipt (with the customer's name) goes away by itself
tui_keys /
tui_type "$(short_name "$name")"
tui_keys Enter
tui_keys b
tui_wait "Customer name"
tui_type "Kiosk Buyer"
tui_keys Tab
tui_type "kiosk@example.org"
tui_keys Enter
tui_wait "Enter/y = confirm"
tui_keys y
tui_wait "Sale complete" 30
tui_wait "Kiosk Buyer"
tui_wait_re "POST http://[^ ]+/tickets → 201" 3   # --inspect shows the exchange (idle timeout is 3 s)...
tui_wait_gone "Sale complete" 15
tui_wait_gone "Kiosk Buyer"
tui_wait_gone "/tickets"                             # ...and forgets it with the receipt
tui_wait "Seats left"
tui_log "receipt cleared after the idle timeout"

tui_keys q
tui_wait "Exit kiosk"
tui_type "$pin"
tui_keys Enter
tui_wait "EXITED rc=0"
tui_log "PASS"
