#!/usr/bin/env bash
# `/` filters the list as you type over name and venue, folded as Find folds ("zoe" finds "Zoë"); the count matches the API's data; Esc clears.
. "$(dirname "$0")/tui_lib.sh"
tui_require

total=$(api_list | jq length) || tui_fail "the API does not answer"
tui_start 100 30 -- --refresh 0
tui_wait_list
tui_wait "Concerts $total "

# A venue word from the demo catalogue (a city that several concerts share).
word=$(jq -r '[.[] | .venue | split(", ") | last] | group_by(.) | max_by(length) | .[0]' "$TUI_ASSETS")
[ -n "$word" ] || tui_fail "no venue word in the assets"
lower=$(tr '[:upper:]' '[:lower:]' <<<"$word")
expect() { # matches of a (lower-case ASCII) fragment in name or venue, case-insensitively, per the API
  api_list | jq --arg f "$1" '[.[] | select((.name | ascii_downcase | contains($f)) or (.venue | ascii_downcase | contains($f)))] | length'
}

tui_keys /
tui_wait "filter: _"
# narrows as you type: one character at a time, the count follows
prefix=""
for ((i = 0; i < ${#lower}; i++)); do
  prefix+=${lower:i:1}
  tui_type "${lower:i:1}"
  n=$(expect "$prefix")
  tui_wait "Concerts $n of $total" 
done
n=$(expect "$lower")
[ "$n" -lt "$total" ] || tui_fail "\"$lower\" does not narrow the list ($n of $total)"
[ "$n" -ge 1 ] || tui_fail "\"$lower\" matches nothing"
tui_log "typing \"$lower\" narrowed the list to $n of $total"

# every visible row mentions the word; a concert elsewhere is gone
rows=$(tui_screen | sed -n '4,26p' | grep -E '^[ >]([A-Z][a-z]{2} )?[0-9]{2} [A-Z][a-z]{2} ' || true)
[ "$(wc -l <<<"$rows")" -eq "$n" ] || [ "$n" -gt 23 ] || tui_fail "expected $n rows"
# the earliest concert that does not match (on the first screen once the filter is cleared)
other=$(api_list | jq -r --arg f "$lower" "[.[] | select(((.name + .venue) | ascii_downcase | contains(\$f)) | not)
  | select(($(api_past_jq)) | not)] | sort_by(.date) | .[0].name") # past concerts are listed last
tui_has "$(short_name "$other")" && tui_fail "\"$other\" should be filtered out"

# Backspace widens again, Enter keeps the filter, Esc clears it
tui_keys BSpace
n2=$(expect "${lower:0:${#lower}-1}")
tui_wait "Concerts $n2 of $total"
tui_keys Enter
tui_wait_gone "filter: ${lower:0:${#lower}-1}_"
tui_wait "filter: ${lower:0:${#lower}-1}"
tui_esc
tui_wait "Concerts $total "
tui_wait_gone "filter:"
tui_has "$(short_name "$other")" || tui_fail "\"$other\" should be back after Esc"

# the filter folds accents as Find does: "zoe" finds "Zoë Keating" (a demo concert)
zoe=$(jq -r '[.[] | select(.name | startswith("Zoë"))][0].name' "$TUI_ASSETS")
[ -n "$zoe" ] && [ "$zoe" != null ] || tui_fail "no Zoë concert in the assets"
nz=$(api_list | jq '[.[] | select([.name, .venue] | map(ascii_downcase | gsub("[ëË]"; "e")) | any(contains("zoe")))] | length')
[ "$nz" -ge 1 ] || tui_fail "the API lists no Zoë concert"
tui_keys /
tui_type "zoe"
tui_wait "Concerts $nz of $total"
tui_wait "$(short_name "$zoe")"
tui_log "\"zoe\" finds \"$zoe\" ($nz of $total)"
tui_esc
tui_wait "Concerts $total "

# a filter that matches nothing says so
tui_keys /
tui_type "zzzz-no-such-concert"
tui_wait "Concerts 0 of $total"
tui_wait "No concert matches the filter"
tui_esc
tui_wait "Concerts $total "

tui_keys q
tui_wait "EXITED rc=0"
tui_log "PASS"
