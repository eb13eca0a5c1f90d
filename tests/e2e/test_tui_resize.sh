#!/usr/bin/env bash
# Resizing: 80x24 keeps a usable screen (header, columns, key bar, keys work); 60x20 too, for what a
# small kiosk screen shows (list, detail, sell form) and for the door opened with `d`; smaller shows the
# "terminal too small" notice naming 60x20, and growing back restores the list; also on a form and in
# the help.
. "$(dirname "$0")/tui_lib.sh"
tui_require

tui_start 100 30 -- --refresh 0
tui_wait_list

check_usable() { # COLS ROWS
  tui_wait "BOX OFFICE"
  tui_wait "Seats left"
  tui_wait "q/F10 quit"
  local screen
  screen=$(tui_screen)
  [ "$(wc -l <<<"$screen")" -le "$2" ] || tui_fail "more lines than rows"
  local widest
  widest=$(LC_ALL=C.UTF-8 wc -L <<<"$screen")
  [ "$widest" -le "$1" ] || tui_fail "a line is $widest columns wide in a $1-column pane"
}

tui_resize 80 24
tui_wait_gone "Terminal too small"
check_usable 80 24
tui_log "80x24: header, columns and key bar visible"
# still usable: move down, open, come back
first=$(tui_screen | grep '^>' | head -n 1)
tui_keys j
tui_wait_re "^>"
sleep 0.3
second=$(tui_screen | grep '^>' | head -n 1)
[ "$first" != "$second" ] || tui_fail "j did not move the selection at 80x24"
tui_keys Enter
tui_wait "Date (raw)"
tui_esc
tui_wait "Seats left"

# 60x20: the list, the detail, the sell form and the door from `d`
tui_resize 60 20
tui_wait_gone "Terminal too small"
tui_wait "BOX OFFICE"
tui_wait "Seats left"
screen=$(tui_screen)
[ "$(LC_ALL=C.UTF-8 wc -L <<<"$screen")" -le 60 ] || tui_fail "a line is wider than the 60-column pane"
[ "$(tui_screen | grep -c '^>')" = 1 ] || tui_fail "no selected row at 60x20"
tui_keys Enter
tui_wait "Date (raw)"
tui_wait "b buy"
tui_keys b
tui_wait "Sell tickets"
tui_wait "Customer name"
tui_esc
tui_wait "Date (raw)"
if [ -n "${BOXOFFICE_USER:-}" ]; then
  tui_keys d
  tui_wait "DOOR"
  sleep 0.3
  if tui_has "WHICH DOOR IS THIS?"; then   # the door asks for its name first
    tui_type "Small"
    tui_keys Enter
  fi
  tui_wait "scan a ticket"
  tui_has "Terminal too small" && tui_fail "the door from d is too small at 60x20"
  tui_esc
  tui_wait "Date (raw)"
fi
tui_esc
tui_wait "Seats left"
tui_keys '?'
tui_wait "Help"
tui_has "Terminal too small" && tui_fail "the help is too small at 60x20"
tui_esc
tui_wait "Seats left"
tui_log "60x20: list, detail, sell form, help and the door from d"

tui_resize 59 20
tui_wait "Terminal too small (need 60"
tui_resize 100 19
tui_wait "Terminal too small (need 60"
tui_resize 50 15
tui_wait "Terminal too small (need 60×20"
tui_log "below 60x20: the too-small notice names 60x20"

tui_resize 100 30
tui_wait_gone "Terminal too small"
check_usable 100 30
sel=$(tui_screen | grep '^>' | head -n 1)
[ "${sel:0:30}" = "${second:0:30}" ] || tui_fail "the selection changed across the resize: $sel"
tui_log "back to 100x30: the list and its selection are back"

# a form survives a resize with its input
tui_keys b
tui_wait "Customer name"
tui_keys Tab
tui_type "Resize Test"
tui_resize 80 24
tui_wait "Resize Test"
tui_resize 50 10
tui_wait "Terminal too small"
tui_resize 120 40
tui_wait "Resize Test"
tui_esc
tui_wait "Discard what you typed"
tui_keys y
tui_wait "Seats left"

# help at 80x24
tui_resize 80 24
tui_keys '?'
tui_wait "Help"
tui_wait "narrow the list by name/venue"
tui_esc
tui_wait "Seats left"

tui_keys q
tui_wait "EXITED rc=0"
tui_log "PASS"
