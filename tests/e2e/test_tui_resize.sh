#!/usr/bin/env bash
# Resizing: 80x24 keeps a usable screen (header, columns, key bar, keys work), smaller shows the
# "terminal too small" notice, and growing back restores the list; also on a form and in the help.
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

tui_resize 79 24
tui_wait "Terminal too small (need 80"
tui_resize 100 20
tui_wait "Terminal too small (need 80"
tui_resize 60 15
tui_wait "Terminal too small (need 80"
tui_log "below 80x24: the too-small notice"

tui_resize 100 30
tui_wait_gone "Terminal too small"
check_usable 100 30
sel=$(tui_screen | grep '^>' | head -n 1)
[ "${sel:0:30}" = "${second:0:30}" ] || tui_fail "the selection changed across the resize: $sel"
tui_log "back to 100x30: the list and its selection are back"

# a form survives a resize with its input
tui_keys b
tui_wait "Customer name"
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
