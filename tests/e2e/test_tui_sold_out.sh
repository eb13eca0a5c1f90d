#!/usr/bin/env bash
# A sold-out concert is marked SOLD OUT and cannot be bought, from the list or from its detail.
. "$(dirname "$0")/tui_lib.sh"
tui_require

c=$(api_demo_pick '.availableTickets == 0')
[ -n "$c" ] || tui_fail "no sold-out demo concert in the API"
name=$(jq -r .name <<<"$c")
id=$(jq -r .id <<<"$c")
short=$(short_name "$name")

tui_start 100 30 -- --refresh 0
tui_wait_list
tui_keys /
tui_type "$short"
tui_wait "filter: $short"
tui_keys Enter
row=$(tui_screen | grep '^>' | head -n 1)
grep -qF "$short" <<<"$row" || tui_fail "the sold-out concert is not selected: $row"
grep -q "SOLD OUT" <<<"$row" || tui_fail "row not marked SOLD OUT: $row"

tui_keys b
tui_wait "Sold out"
tui_has "Sell tickets" && tui_fail "the purchase form opened for a sold-out concert"

tui_keys Enter
tui_wait "$id"
tui_wait "SOLD OUT"
tui_keys b
tui_wait "Sold out"
tui_has "Customer name" && tui_fail "the purchase form opened from the detail of a sold-out concert"
[ "$(api_get "$id" | jq -r .availableTickets)" -eq 0 ] || tui_fail "seats changed"

tui_keys q
tui_wait "EXITED rc=0"
tui_log "PASS"
