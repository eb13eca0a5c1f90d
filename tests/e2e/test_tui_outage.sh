#!/usr/bin/env bash
# Never freeze, never lie: (0) with nothing at the URL the list names it and says how to start the local
# stack or set BOXOFFICE_API_URL, and n/f without a key say where the key is set; on a PRIVATE stack,
# (1) a hung API (gateway stopped with SIGSTOP) leaves the list scrollable while the refresh spins, then
# marks the data stale; (2) the API going down shows
# "Server unreachable — retrying" with the last data kept and its age, and a sale attempt gives a
# readable error that says it was not sold (nothing reached the server: no "retrying", no "unconfirmed");
# (3) when the API comes back the box office recovers by itself.
. "$(dirname "$0")/tui_lib.sh"
tui_require

# a PRIVATE stack (tests/lib/stack.sh) on ports of this suite's range, so the shared one is untouched
. "$TUI_ROOT/tests/lib/stack.sh"
export STACK_PORT_MIN=${TUI_PRIVATE_PORT_MIN:-3580} STACK_PORT_MAX=${TUI_PRIVATE_PORT_MAX:-3599}

# (0) nothing listens at the URL (a first start without a stack): the list names the URL and what to do,
# and keys that need the operator's sign-in say where it is set
closed=$(free_port) || tui_fail "no free port"
BOXOFFICE_API_URL="http://127.0.0.1:$closed/dev" BOXOFFICE_USER="" BOXOFFICE_PASSWORD="" TUI_RECORD=0 tui_start 100 30 -- --refresh 1
tui_wait "operators sign in" # nobody signed in: the sign-in first; Esc goes on without an operator
tui_keys Escape
tui_wait "Nothing answers at http://127.0.0.1:$closed/dev"
tui_wait "make local-up"
tui_wait "BOXOFFICE_API_URL"
tui_wait "api_url in $TUI_TMP/config/boxoffice/config"
tui_wait "No API at http://127.0.0.1:$closed/dev: make local-up, or set BOXOFFICE_API_URL"
for k in n f; do
  tui_keys "$k"
  tui_wait "Operator sign-in required"
  tui_wait "Not allowed: sign in as an operator"
  tui_wait "Sign in as an operator: \`boxoffice login\`"
  tui_wait "client_id in $TUI_TMP/config/boxoffice/config"
  tui_wait "prints the local stack's manager sign-in"
  tui_esc
  tui_wait_gone "Operator sign-in required"
done
tui_keys q
tui_wait "EXITED rc=0"
tui_stop
tui_log "no API: the URL and make local-up are named; n and f without a key say where the key goes"

tui_private_stack
# three upcoming concerts from the demo catalogue (dated from today by seed.sh)
"$TUI_ROOT/scripts/seed.sh" --print "$TUI_ASSETS" | jq -c --arg now "$(date -u +%FT%TZ)" '[.[] | select(.date > $now)] | sort_by(.date) | .[0:3]' >"$TUI_TMP/three.json"
for i in 0 1 2; do
  jq -c ".[$i]" "$TUI_TMP/three.json" | curl -fsS -m 10 -H 'content-type: application/json' -H "Authorization: $TEST_TOKEN" \
    --data-binary @- "$url/concerts" >/dev/null || tui_fail "cannot create a concert"
done
name=$(jq -r '.[0].name' "$TUI_TMP/three.json")

# straight at the API, no recording pass-through: what is tested is the client seeing the API's own socket
# hang and go away (a pass-through would turn "refused" into "reset"); its answers are the list's, checked
# in the other suites
TUI_RECORD=0 tui_start 100 30 -- --refresh 1
tui_wait_list 30
tui_wait "Concerts 3 "
tui_wait "online"

# (1) the API hangs: the UI keeps answering keys while the refresh is in flight
kill -STOP "$(tui_gw_pid)"
tui_wait "refreshing" 10
first=$(tui_screen | grep '^>' | head -n 1)
tui_keys j
tui_wait_re "^>" 
sleep 0.5
second=$(tui_screen | grep '^>' | head -n 1)
[ "$first" != "$second" ] || tui_fail "the list did not move while a request hung"
tui_has "refreshing" || tui_fail "the refresh should still be in flight"
tui_keys '?'
tui_wait "Help"
tui_esc
tui_wait "Seats left"
tui_log "request hanging: list still scrolls, help opens"
tui_wait "stale data" 30       # the client's timeout ends the hung refresh
tui_has "$(short_name "$name")" || tui_fail "the last data is no longer shown"
kill -CONT "$(tui_gw_pid)"
tui_wait "online" 30
tui_log "hung API: marked stale, then back online"

# (2) the API goes away
# the API process goes away (DynamoDB Local stays: only the API is down)
g=$(tui_gw_pid)
kill -TERM "$g"
wait_until 20 sh -c "! kill -0 $g 2>/dev/null" || tui_fail "the private gateway did not stop"
curl -s -m 2 "$url/concerts" >/dev/null && tui_fail "the private API still answers"
tui_wait "Server unreachable" 20
tui_wait "stale data"
tui_wait_re "stale data, [0-9]+s old"
tui_has "$(short_name "$name")" || tui_fail "the last data is no longer shown"
tui_log "API down: $(tui_screen | head -n 1 | sed 's/.*dev *//')"
# a sale attempt fails with a readable message, not a crash
tui_keys Home
tui_keys b
tui_wait "Customer name"
tui_keys Tab              # from the quantity to the name
tui_type "Outage Test"
tui_keys Tab
tui_type "outage@example.org"
tui_sell_review
tui_keys Enter
tui_wait "Not sold: server unreachable" 40
tui_screen | sed -n '29p' | grep -qi "retrying" && tui_fail "the status line says retrying after the client gave up"
tui_has "Sale not confirmed" && tui_fail "a sale that reached no server is called unconfirmed"
tui_has "EXITED" && tui_fail "the box office ended"
tui_esc
tui_wait "Discard what you typed"
tui_keys y
tui_wait "Seats left"

# (3) the API returns: the box office recovers without a key press
tui_stack_up_again >/dev/null 2>"$TUI_TMP/stack-up2.log" || { cat "$TUI_TMP/stack-up2.log"; tui_fail "private stack did not restart"; }
tui_wait "online" 40
tui_wait_gone "stale data"
tui_wait_gone "Server unreachable"
tui_wait "Concerts 3 "
tui_log "API back: online again"

tui_keys q
tui_wait "EXITED rc=0"
tui_log "PASS"
