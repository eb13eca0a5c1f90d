#!/usr/bin/env bash
# `make run` with no API configured: it starts the local stack (private ports and state dir here), seeds the
# demo catalogue, and opens the box office on it, with the operator key found in the state dir; `q` quits
# cleanly and `make local-down` leaves no process of that stack behind.
. "$(dirname "$0")/tui_lib.sh"
. "$TUI_ROOT/tests/lib/stack.sh"
for t in tmux jq curl make; do command -v "$t" >/dev/null || tui_skip "$t is not installed"; done

state="$TUI_TMP/stack"
api_port=$(free_port) && ddb_port=$(free_port) || tui_fail "no free port"
while [ "$ddb_port" = "$api_port" ]; do ddb_port=$(free_port); done
down() {
  LOCAL_STATE_DIR="$state" API_PORT=$api_port DYNAMODB_PORT=$ddb_port "$TUI_ROOT/scripts/local-stack.sh" down >/dev/null 2>&1 || true
}
trap 'down; tui_cleanup' EXIT

mkdir -p "$TUI_TMP/config"
printf -v cmd '%q ' env -u BOXOFFICE_API_URL -u BOXOFFICE_API_KEY LANG=C.UTF-8 LC_ALL=C.UTF-8 \
  XDG_CONFIG_HOME="$TUI_TMP/config" LOCAL_STATE_DIR="$state" API_PORT="$api_port" DYNAMODB_PORT="$ddb_port" \
  make -s -C "$TUI_ROOT" run
TUI_SOCK="bo-run-$$-$RANDOM"; TUI_SOCKS+=("$TUI_SOCK")
tmux -L "$TUI_SOCK" -f /dev/null new-session -d -s bo -x 100 -y 30 "$cmd; echo \"EXITED rc=\$?\"; sleep 300"
tmux -L "$TUI_SOCK" set-option -t bo -g status off >/dev/null 2>&1 || true

n=$(jq length "$TUI_ASSETS")
first=$(jq -r 'sort_by(.date) | .[0].name' "$TUI_ASSETS")
tui_wait "Seats left" 120
tui_wait "Concerts $n " 30
tui_wait "http://127.0.0.1:$api_port/dev" 5
tui_wait "[operator]" 5
tui_wait "online" 20
tui_wait "$(short_name "$first" 20)" 5
[ -s "$state/api-key" ] || tui_fail "make run did not leave the generated operator key in $state/api-key"
tui_log "make run opened the box office on the local stack: $n demo concerts, operator key found"

tui_keys q
tui_wait "EXITED rc=0" 20
down
for p in $api_port $ddb_port; do
  ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || tui_fail "port $p still answers after make local-down"
done
echo "ok"
