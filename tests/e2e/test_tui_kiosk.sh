#!/usr/bin/env bash
# Kiosk mode: no way to the create form; q without the PIN does not quit (no PIN configured: no way at
# all); a wrong PIN is refused, and after 3 wrong ones the next try must wait (growing, then a lockout);
# the right PIN quits; the idle timeout clears a half-filled form; the key bar offers no "new" and no
# "quit"; --inspect (it would show customers' data) cannot be combined with --kiosk; past concerts and the
# API's URL are not shown. On a small screen (60x20) a customer buys a ticket and the receipt shows its QR
# code, readable.
. "$(dirname "$0")/tui_lib.sh"
tui_require

# --- --kiosk --inspect is refused before anything starts
rc=0
"$TUI_BIN" --kiosk --inspect >"$TUI_TMP/out" 2>"$TUI_TMP/err" </dev/null || rc=$?
[ "$rc" -eq 1 ] || tui_fail "--kiosk --inspect: exit $rc, expected 1"
grep -q -- "--inspect cannot be combined with --kiosk" "$TUI_TMP/err" || tui_fail "--kiosk --inspect: no clear message: $(cat "$TUI_TMP/err")"
tui_log "--kiosk --inspect refused (exit 1)"

# --- no PIN configured: no quitting from the keyboard, not even Ctrl-C
tui_start 100 30 -- --kiosk --refresh 0
tui_wait_list
tui_wait "[kiosk]"
bar=$(tui_screen | tail -n 1)
grep -q "buy" <<<"$bar" || tui_fail "the kiosk's key bar does not offer buy: $bar"
grep -Eq "n new|quit|inspector" <<<"$bar" && tui_fail "the kiosk's key bar offers what a kiosk cannot do: $bar"
tui_log "kiosk key bar: $bar"
# customers see neither the API's address nor concerts that are over (the demo data has past ones)
tui_has "$BOXOFFICE_API_URL" && tui_fail "the kiosk's header shows the API's URL: $(tui_screen | head -n 1)"
total=$(api_list | jq length)
past=$(api_list | jq -c "[.[] | select($(api_past_jq))]")
npast=$(jq length <<<"$past")
[ "$npast" -ge 1 ] || tui_fail "no past concert in the API (the demo data has some)"
tui_wait "Concerts $((total - npast)) "
pname=$(jq -r 'max_by(.availableTickets) | .name' <<<"$past")
tui_keys /
tui_type "$(short_name "$pname")"
tui_wait "Concerts 0 of $((total - npast))"
tui_esc
tui_wait "Concerts $((total - npast)) "
tui_log "the kiosk lists $((total - npast)) of $total concerts: none of the $npast past ones; no URL in the header"
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

# a small kiosk screen (60x20): a customer buys a ticket and reads its QR code off the receipt
tui_resize 60 20
tui_wait_gone "Terminal too small"
tui_wait "Seats left"
small=$(api_demo_pick '.availableTickets > 1' 'max_by(.availableTickets)' | jq -r .name)
[ -n "$small" ] || tui_fail "no demo concert with seats left in the API"
email="kiosk-small-$$-$RANDOM@example.org"
tui_keys /
tui_type "$(short_name "$small")"
tui_keys Enter
tui_wait_gone "filter: $(short_name "$small")_"
tui_keys b
tui_wait "Customer name"
tui_keys Tab
tui_type "Kiosk Small"
tui_keys Tab
tui_type "$email"
tui_sell_review
tui_keys y
tui_wait "Ticket 1 of 1" 30
tui_has "Terminal too small" && tui_fail "the receipt is too small at 60x20"
if [ -n "${BOXOFFICE_USER:-}" ]; then
  found=$(env XDG_CONFIG_HOME="$TUI_TMP/config" "$TUI_BIN" --json find --email "$email") || tui_fail "find --email $email failed"
  oid=$(jq -r '.orders[0].id // empty' <<<"$found")
  [ -n "$oid" ] || tui_fail "the API has no order for $email: $found"
  code=$(api_order_get "$oid" | jq -r '.tickets[0].code')
  tui_has "$(code_grouped "$code")" || tui_fail "the 60x20 receipt does not show the ticket's code $code"
  if command -v zbarimg >/dev/null && command -v python3 >/dev/null; then
    tui_qr_expect "$code" "60x20 kiosk receipt"
  fi
  tui_log "60x20 kiosk: order $oid sold, its code $code on the receipt"
fi
tui_keys Enter
tui_wait "Seats left"
tui_stop

# --- with a PIN (and a short idle timeout from the config file)
mkdir -p "$TUI_TMP/config/boxoffice"
printf 'idle_timeout_seconds = 3\n' >"$TUI_TMP/config/boxoffice/config"
pin=$((RANDOM % 9000 + 1000))
tui_start 100 40 -- --kiosk --kiosk-pin "$pin" --refresh 0
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

# guessing: the 3rd wrong PIN brings a wait (1 s), the 4th a longer one (2 s); a try during the wait is
# refused with the wait shown, and the loop goes on (the list still answers)
wrong_pin() {
  tui_keys q
  tui_wait "Exit kiosk"
  tui_type "0000"
  tui_keys Enter
  tui_wait_gone "Exit kiosk"
}
wrong_pin
wrong_pin
tui_wait "Wrong PIN · 3 wrong PINs — wait 1 s before the next try"
sleep 1.2
wrong_pin
tui_wait "Wrong PIN · 4 wrong PINs — wait 2 s before the next try"
tui_keys q
tui_wait_re "^ 4 wrong PINs — wait [12] s before the next try"
tui_has "Exit kiosk" && tui_fail "the PIN prompt opened during the wait"
tui_keys j
tui_wait "Seats left"
tui_log "wrong PINs: a growing wait, tries during it refused with the wait shown"

# idle: a half-filled purchase form goes away by itself, and nothing of it remains
name=$(api_demo_pick '.availableTickets > 1' 'max_by(.availableTickets)' | jq -r .name)
[ -n "$name" ] || tui_fail "no demo concert with seats left in the API"
tui_keys /
tui_type "$(short_name "$name")"
tui_keys Enter
tui_wait_gone "filter: $(short_name "$name")_"
tui_keys b
tui_wait "Customer name"
tui_keys Tab              # from the quantity to the name
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
api_require_orders
tui_keys /
tui_type "$(short_name "$name")"
tui_keys Enter
tui_keys b
tui_wait "Customer name"
tui_has "comp" && tui_fail "the kiosk offers comp tickets"
tui_keys Tab              # from the quantity to the name
tui_type "Kiosk Buyer"
tui_keys Tab
tui_type "kiosk@example.org"
tui_sell_review
tui_has "card" || tui_fail "the kiosk's review does not say card"
tui_keys y
tui_wait "Sale complete" 30
tui_wait "Kiosk Buyer"
tui_wait_gone "Sale complete" 15
tui_wait_gone "Kiosk Buyer"
tui_wait "Seats left"
tui_log "receipt cleared after the idle timeout"

tui_keys q
tui_wait "Exit kiosk"
tui_type "$pin"
tui_keys Enter
tui_wait "EXITED rc=0"
tui_log "PASS"
