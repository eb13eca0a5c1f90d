#!/usr/bin/env bash
# Mouse: a click selects the row under it, a double click opens it, clicks outside the rows do nothing.
. "$(dirname "$0")/tui_lib.sh"
tui_require

tui_start 100 30 -- --refresh 0
tui_wait_list
# the 4th data row (whatever concert it is)
target_row=$(( $(tui_row_of "Seats left") + 4 ))
target=$(tui_screen | sed -n "$((target_row + 1))p")
[ -n "$target" ] || tui_fail "no 4th row"
tui_click 30 "$target_row"
tui_wait_re "^>"
sleep 0.4
sel=$(tui_screen | grep '^>' | head -n 1)
[ "${sel:1:40}" = "${target:1:40}" ] || tui_fail "the click did not select the row: \"$sel\" vs \"$target\""
tui_log "click selected: ${sel:0:50}"

# a click on the header changes nothing
tui_click 10 0
sleep 0.4
[ "$(tui_screen | grep '^>' | head -n 1)" = "$sel" ] || tui_fail "a click on the header moved the selection"

# double click opens the detail of that row, whose "When" has the list's time and zone
date=${target:1:22}
when=$(grep -oE '[0-9]{2}:[0-9]{2} [^ ]+' <<<"$date") || when=${date%% *}
tui_click 30 "$target_row"
tui_click 30 "$target_row"
tui_wait "Date (raw)"
tui_screen | grep -E "When +" | grep -qF -- "$when" || tui_fail "the detail's When does not have the list's \"$when\""
tui_log "double click opened the detail"
tui_esc
tui_wait "Seats left"
tui_keys q
tui_wait "EXITED rc=0"
tui_log "PASS"
