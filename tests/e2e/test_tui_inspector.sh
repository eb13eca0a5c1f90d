#!/usr/bin/env bash
# --inspect: a panel shows each HTTP exchange (method, URL, status, latency, pretty-printed JSON body);
# `i` hides and shows it; in kiosk mode without --inspect it cannot be opened. At 80x24 with the panel
# open the sell form scrolls to its focused field and draws nothing on its border.
. "$(dirname "$0")/tui_lib.sh"
tui_require

c=$(api_demo_pick '.availableTickets > 0' 'max_by(.availableTickets)')
[ -n "$c" ] || tui_fail "no demo concert with seats left in the API"
id=$(jq -r .id <<<"$c")
seats=$(jq -r .availableTickets <<<"$c")
name=$(jq -r .name <<<"$c")

tui_start 120 40 -- --inspect --refresh 0
tui_wait_list
tui_wait "HTTP inspector"
tui_wait_re "#1 GET http://[^ ]+/concerts → 200 \([0-9]+ ms\)"
tui_keys /
tui_type "$(short_name "$name")"
tui_keys Enter
tui_keys Enter
tui_wait "Date (raw)"
tui_wait_re "GET http://[^ ]+/concerts/$id → 200"
tui_wait "\"availableTickets\": $seats"     # pretty-printed, one field a line
tui_wait "\"id\": \"$id\""
tui_log "detail GET traced with its pretty-printed body"
tui_keys i
tui_wait_gone "HTTP inspector"
tui_keys i
tui_wait "HTTP inspector"
tui_esc
tui_keys q
tui_wait "EXITED rc=0"
tui_stop

# at 80x24 the panel takes half the screen: the sell form scrolls to its focused field in the rows left,
# nothing is drawn on the box's border, and its header is not cut
tui_start 80 24 -- --inspect --refresh 0
tui_wait_list
tui_wait "HTTP inspector"
tui_keys /
tui_type "$(short_name "$name")"
tui_keys Enter
tui_keys b
tui_wait "Sell tickets"
tui_wait_re "up to [0-9]+ per order"   # the header's last words: not cut
for label in "Quantity" "Customer name" "E-mail" "Ticket names" "Payment" "Cash tendered"; do
  tui_wait "$label"
  screen=$(tui_screen)
  border=$(grep -n '└' <<<"$screen" | head -n 1 | cut -d: -f1)
  row=$(grep -nF "│ $label" <<<"$screen" | head -n 1 | cut -d: -f1)
  [ -n "$border" ] && [ -n "$row" ] || tui_fail "the focused field \"$label\" is not in the form's box"
  [ "$row" -lt "$border" ] || tui_fail "\"$label\" is drawn on or under the box's border (row $row, border $border)"
  grep -qF "└" <<<"$(sed -n "${row}p" <<<"$screen")" && tui_fail "\"$label\" is drawn on the border"
  [ "$label" = "Cash tendered" ] || tui_keys Tab
done
tui_has "HTTP inspector" || tui_fail "the inspector closed"
tui_log "80x24 with the inspector: each field of the sell form shows when focused, none on the border"
tui_esc
tui_keys q
tui_wait "EXITED rc=0"
tui_stop

tui_start 100 30 -- --kiosk --refresh 0
tui_wait_list
tui_keys i
tui_wait "not available in kiosk mode"
tui_has "HTTP inspector" && tui_fail "inspector opened on a kiosk"
tui_log "PASS"
