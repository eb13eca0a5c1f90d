#!/usr/bin/env bash
# Terminal hygiene: colours when the terminal has them, none with NO_COLOR or --no-color; the screen
# is given back (endwin) on SIGTERM and SIGHUP; stderr noise never reaches the screen.
. "$(dirname "$0")/tui_lib.sh"
tui_require

has_colour() { tui_screen_attrs | grep -qE $'\e\\[[0-9;]*(3[0-7]|4[0-7]|38;5;[0-9]+|48;5;[0-9]+)[;m]'; }

tui_start 100 30 -- --refresh 0
tui_wait_list
has_colour || tui_fail "no colours on a colour terminal"
tui_log "colours on a colour terminal"
pid=$(tui_pid)
[ -n "$pid" ] || tui_fail "no boxoffice process"
kill -TERM "$pid"
tui_wait "EXITED rc=143"
tui_has "Seats left" && tui_fail "the list is still painted after SIGTERM (terminal not restored)"
tui_log "SIGTERM: exit 143, screen restored"
tui_stop

tui_start 100 30 NO_COLOR=1 -- --refresh 0
tui_wait_list
has_colour && tui_fail "colours despite NO_COLOR"
tui_screen_attrs | grep -q $'\e\\[7m\\|\e\\[[0-9;]*;7m' || tui_log "note: no reverse video seen"
pid=$(tui_pid)
kill -HUP "$pid"
tui_wait "EXITED rc=129"
tui_has "Seats left" && tui_fail "the list is still painted after SIGHUP"
tui_log "NO_COLOR: no colours; SIGHUP: exit 129, screen restored"
tui_stop

tui_start 100 30 -- --no-color --refresh 0
tui_wait_list
has_colour && tui_fail "colours despite --no-color"
# a terminal without colours at all (TERM=vt100): still a usable list
tui_stop
tui_start 100 30 TERM=vt100 -- --refresh 0
tui_wait_list
has_colour && tui_fail "colours on a vt100"
tui_keys j
tui_wait_re "^>"
tui_keys q
tui_wait "EXITED rc=0"
tui_log "PASS"
