#!/usr/bin/env bash
# The README's quick start is a tested script of keys: the ```keys block of README.md is read from the
# README itself and replayed, line by line, against the stack in an 80x24 pane (a quoted line is typed
# as it is, any other line is tmux key names; `#` starts a comment). The receipt must appear, and the API
# must have the order it shows, sold to the customer the block types. When the README's keys stop
# selling a ticket, this fails.
. "$(dirname "$0")/tui_lib.sh"
tui_require
api_require_orders

readme=$TUI_ROOT/README.md
block=$(awk '/^```keys[[:space:]]*$/ { on = 1; next } on && /^```/ { exit } on' "$readme")
[ -n "$block" ] || tui_fail "README.md has no \`\`\`keys block (its quick start)"
customer=$(grep -oE '^"[^"]*"' <<<"$block" | sed -n '2p' | tr -d '"')
[ -n "$customer" ] || tui_fail "the quick start types no customer name"

tui_start 80 24 -- --refresh 0
tui_wait_list
steps=0
while IFS= read -r line; do
  line=$(sed -E 's/[[:space:]]+#.*$//; s/^#.*$//; s/[[:space:]]+$//' <<<"$line")
  [ -n "$line" ] || continue
  if [[ "$line" == \"*\" ]]; then
    line=${line#\"}
    tui_type "${line%\"}"
  else
    # shellcheck disable=SC2086   # key names, one word each
    tui_keys $line
  fi
  steps=$((steps + 1))
  sleep 0.5
done <<<"$block"
tui_log "replayed $steps steps of the README's quick start"

tui_wait "Sale complete" 30
order=$(tui_order_id)
[ -n "$order" ] || tui_fail "the receipt shows no order id"
o=$(api_order_get "$order") || tui_fail "the API has no order $order"
[ "$(jq -r .customerName <<<"$o")" = "$customer" ] || tui_fail "the order's customer is not \"$customer\": $o"
[ "$(jq -r '.tickets | length' <<<"$o")" -ge 1 ] || tui_fail "the order has no ticket: $o"
tui_log "the API has order $order for $customer"
tui_keys Enter
tui_wait "Seats left"
tui_keys q
tui_wait "EXITED rc=0"
tui_log "PASS"
