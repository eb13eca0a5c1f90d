#!/usr/bin/env bash
# The QR codes on the receipt are readable: for each ticket of a 3-ticket order, the receipt captured
# from the terminal (tmux capture-pane: the half-block characters) is turned into an image
# (tests/e2e/qr_screen.py) and decoded with zbarimg, as a phone camera would; the decoded text must be
# the ticket's code from the API (GET /orders/{id} with the operator key). At 120x40 and at 80x24 (the
# same receipt after a resize), with and without colours, and at 60x20 (a small kiosk screen: the QR code
# first). Each key the receipt's bar shows acts: -> and <- page, Enter closes.
. "$(dirname "$0")/tui_lib.sh"
tui_require
command -v zbarimg >/dev/null || tui_skip "zbarimg is not installed (zbar-tools)"
command -v python3 >/dev/null || tui_skip "python3 is not installed"
[ -n "${BOXOFFICE_USER:-}" ] || tui_skip "needs the operator's sign-in (BOXOFFICE_USER)"
api_require_orders

c=$(api_demo_pick '.availableTickets >= 6' 'max_by(.availableTickets)')
[ -n "$c" ] || tui_fail "no demo concert with seats left in the API"
id=$(jq -r .id <<<"$c")
short=$(short_name "$(jq -r .name <<<"$c")")

# checks every ticket's QR code on the receipt at the current size, from ticket 1 on
check_codes() {
  local size=$1 i code got
  for i in 1 2 3; do
    tui_wait "Ticket $i of 3"
    code=$(jq -r ".tickets[$((i - 1))].code" <<<"$o")
    tui_qr_expect "$code" "$size, ticket $i"
    tui_log "$size, ticket $i: zbarimg reads $code"
    [ $i -lt 3 ] && tui_keys NPage PPage Right   # PgDn, PgUp and Right all page
    [ $i -lt 3 ] && tui_wait "Ticket $((i + 1)) of 3"
  done
}

for colours in on off; do
  envs=()
  [ $colours = off ] && envs=(NO_COLOR=1)
  tui_start 120 40 "${envs[@]}" -- --refresh 0
  tui_wait_list
  tui_keys /
  tui_type "$short"
  tui_wait "filter: $short"
  tui_keys Enter
  tui_wait_gone "filter: ${short}_"
  tui_keys b
  tui_wait "Sell tickets"
  tui_type 3
  tui_keys Enter Enter Enter Enter
  tui_wait "cash · card · comp"
  tui_keys Space                                  # card
  tui_wait_re "Payment +card +cash"
  tui_keys Enter Enter
  tui_wait "Payment       card"
  tui_keys y
  tui_wait "Ticket 1 of 3" 30
  order=$(tui_order_id)
  [ -n "$order" ] || tui_fail "no order id on the receipt"
  o=$(api_order_get "$order") || tui_fail "GET /orders/$order failed"
  [ "$(jq -r '.tickets | length' <<<"$o")" = 3 ] || tui_fail "the order does not list 3 tickets: $o"
  tui_log "colours $colours: order $order"

  # dark modules on light whatever the terminal's theme: black on white, or reverse video without colours
  qr_row=$(tui_screen_attrs | grep -F $'\xe2\x96\x80' | head -n 1)
  if [ $colours = on ]; then
    grep -qF $'\e[30m\e[47m' <<<"$qr_row" || tui_fail "the QR code is not drawn black on white"
  else
    grep -qF $'\e[7m' <<<"$qr_row" || tui_fail "without colours the QR code is not drawn in reverse video"
    grep -qE $'\e\\[(3[0-7]|4[0-7])m' <<<"$qr_row" && tui_fail "NO_COLOR: the QR code is drawn with colours"
  fi
  check_codes "120x40"
  tui_resize 80 24
  tui_keys Left Left
  tui_wait "Ticket 1 of 3"
  check_codes "80x24"
  if [ $colours = on ]; then
    tui_resize 60 20
    tui_wait_gone "Terminal too small"
    tui_keys Left Left
    tui_wait "Ticket 1 of 3"
    tui_wait "$(code_grouped "$(jq -r '.tickets[0].code' <<<"$o")")"   # the code in text beside it
    check_codes "60x20"
    tui_resize 80 24
  fi
  # the bar of a receipt of several tickets: each key it shows acts
  bar=$(tui_screen | tail -n 1)
  keys=$(sed 's/^ *//' <<<"$bar" | awk -F'  +' '{ for (i = 1; i <= NF; i++) { split($i, a, " "); printf "%s ", a[1] } }')
  [ "$keys" = "→ ← Enter ?/F1 q/F10 " ] || tui_fail "the receipt's bar shows keys [$keys]"
  grep -q "Enter close" <<<"$bar" || tui_fail "the receipt's bar does not say that Enter closes: $bar"
  tui_keys Left
  tui_wait "Ticket 2 of 3"
  tui_keys Right
  tui_wait "Ticket 3 of 3"
  tui_keys Enter
  tui_wait "Seats left"
  tui_keys q
  tui_wait "EXITED rc=0"
  tui_stop
done
tui_log "PASS"
