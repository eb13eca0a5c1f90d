#!/usr/bin/env bash
# A refund whose answer never arrives keeps its Idempotency-Key until its outcome is known, and so can never
# refund twice. bench's faultproxy sits in front of the shared stack's gateway and holds every answer back
# past the client's timeout (--timeout 2): the refund is made, its answer never arrives. In the box office
# (tmux) the order says the refund is NOT CONFIRMED; R re-sends the very same request (still held: still
# not confirmed, still one refund stored); once answers flow, R shows the tickets refunded and the order
# holds exactly one refund. Through the CLI: `refund` exits 7 with the command that checks it (also in
# --json); that command, run once answers flow, answers the one refund stored. Seats from the API.
. "$(dirname "$0")/tui_lib.sh"
tui_require
. "$TUI_ROOT/tests/lib/stack.sh"
[ -n "${BOXOFFICE_USER:-}" ] || tui_skip "BOXOFFICE_USER is not set"
api_require_orders

# the shared gateway with bench's faultproxy in front of it: tui_proxy_hold holds every answer back
tui_faultproxy

tag="u$$x$(date +%s)"
export XDG_CONFIG_HOME="$TUI_TMP/config"
cid=$("$TUI_BIN" --json create --name "Unconfirmed refund $tag" --date 2094-06-01T19:00:00Z --venue "Hall U" \
  --tickets 6 --price 20 --currency EUR | jq -r .id) || tui_fail "cannot create the concert"
sell() { "$TUI_BIN" --json order "$cid" --quantity 2 --name "Una $tag" --email "$1" --pay cash | jq -r .id; }
oid=$(sell "una.$tag@example.org") || tui_fail "cannot sell the order"
oid2=$(sell "una2.$tag@example.org") || tui_fail "cannot sell the second order"
seats() { api_get "$cid" | jq -r .availableTickets; }
refunds() { api_order_get "$1" | jq '.refunds // [] | length'; }
[ "$(seats)" = 2 ] || tui_fail "2 seats should be left"

# ---- the box office ----
tui_start 100 30 -- --api-url "$proxied" --refresh 0 --timeout 2
tui_wait_list
tui_keys f
tui_wait "Find an order"
tui_type "una.$tag@"
tui_wait_re "^> Una .* una\.$tag@example\.org"
tui_keys Enter
tui_wait "$oid"
tui_keys R
tui_wait "Refund 2 tickets: 40.00 EUR back by cash"
tui_type "Double booked"
tui_proxy_hold
tui_keys Enter
tui_wait "Refund NOT CONFIRMED" 40
tui_wait "R checks it"
[ "$(refunds "$oid")" = 1 ] || tui_fail "the server should hold the one refund (made, answer held back)"
[ "$(seats)" = 4 ] || tui_fail "the refund's 2 seats should be back: $(seats)"
tui_keys R                                           # the check, answers still held back
tui_wait "Refunding"
tui_wait_gone "Refunding" 40
tui_wait "Refund NOT CONFIRMED"
[ "$(refunds "$oid")" = 1 ] || tui_fail "the check refunded again: $(refunds "$oid") refunds"
tui_proxy_release
tui_keys R                                           # answers flow: the outcome
tui_wait "Refunded 2 tickets: 40.00 EUR back by cash"
tui_wait_gone "Refund NOT CONFIRMED"
[ "$(tui_screen | grep -c ' refunded')" -ge 2 ] || tui_fail "both tickets should show refunded"
[ "$(refunds "$oid")" = 1 ] || tui_fail "one refund expected, the order has $(refunds "$oid")"
[ "$(seats)" = 4 ] || tui_fail "4 seats expected, the API says $(seats)"
tui_keys q
tui_wait "EXITED rc=0"

# ---- the CLI ----
# a cash refund goes into the operator's open shift; unnamed, the CLI would look it up through the proxy that
# holds every answer back (and send the refund without it): it is named, as the re-send command names it
shift_json=$("$TUI_BIN" --json shift) || tui_fail "the operator has no open shift (scripts/run-tests.sh opens one)"
sid=$(jq -r .id <<<"$shift_json") term=$(jq -r .terminal <<<"$shift_json")
out=$TUI_TMP/cli.out err=$TUI_TMP/cli.err
tui_proxy_hold
"$TUI_BIN" --api-url "$proxied" --timeout 2 --json refund "$oid2" --reason "Customer's call" \
  --shift "$sid" --terminal "$term" >"$out" 2>"$err"
rc=$?
[ "$rc" = 7 ] || { cat "$out" "$err"; tui_fail "CLI refund without an answer: exit $rc, expected 7"; }
grep -q "refund NOT CONFIRMED" "$err" || tui_fail "stderr does not say the refund is not confirmed: $(cat "$err")"
jq -e '.unconfirmed == true and .exitCode == 7 and (.idempotencyKey | length) > 0' "$out" >/dev/null ||
  tui_fail "--json output lacks the unconfirmed fields: $(cat "$out")"
cmd=$(jq -r .retryCommand "$out")
grep -qF -- "$cmd" "$err" || tui_fail "stderr does not print the command: $(cat "$err")"
[[ "$cmd" == "boxoffice "*" refund $oid2 --reason 'Customer'\\''s call' --shift $sid --terminal $term --idempotency-key $(jq -r .idempotencyKey "$out")" ]] ||
  tui_fail "unexpected command: $cmd"
tui_log "CLI prints: $cmd"
[ "$(refunds "$oid2")" = 1 ] || tui_fail "the server should hold the refund"
tui_proxy_release
boxoffice() { "$TUI_BIN" "$@"; }
eval "$cmd" >"$out" 2>"$err"
rc=$?
[ "$rc" = 0 ] || { cat "$out" "$err"; tui_fail "the printed command: exit $rc, expected 0"; }
grep -q "^Refunded: *40.00 EUR (1 refund)" "$out" || tui_fail "the command did not answer the one refund: $(cat "$out")"
[ "$(refunds "$oid2")" = 1 ] || tui_fail "the printed command refunded again"
[ "$(seats)" = 6 ] || tui_fail "6 seats expected, the API says $(seats)"
tui_log "one refund per order, 6 seats back on sale"
