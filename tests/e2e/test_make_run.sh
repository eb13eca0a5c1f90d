#!/usr/bin/env bash
# `make run` with no API configured: it starts the local stack (private ports and state dir here), seeds the
# demo catalogue, and opens the box office on it, with the operator key found in the state dir; `q` quits
# cleanly and `make local-down` leaves no process of that stack behind, saying what it stopped (and, run
# again, that nothing was running). The demo data has its venues' time zones and is dated from today.
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
# make run finds its sign-in itself: the manager of the stack's cognito.env (the run's shared user pool)
printf -v cmd '%q ' env -u BOXOFFICE_API_URL -u BOXOFFICE_USER -u BOXOFFICE_PASSWORD -u BOXOFFICE_COGNITO_URL \
  -u BOXOFFICE_CLIENT_ID LANG=C.UTF-8 LC_ALL=C.UTF-8 \
  XDG_CONFIG_HOME="$TUI_TMP/config" LOCAL_STATE_DIR="$state" API_PORT="$api_port" DYNAMODB_PORT="$ddb_port" \
  make -s -C "$TUI_ROOT" run
TUI_SOCK="bo-run-$$-$RANDOM"; TUI_SOCKS+=("$TUI_SOCK")
tmux -L "$TUI_SOCK" -f /dev/null new-session -d -s bo -x 100 -y 30 "$cmd; echo \"EXITED rc=\$?\"; sleep 300"
tmux -L "$TUI_SOCK" set-option -t bo -g status off >/dev/null 2>&1 || true

n=$(jq length "$TUI_ASSETS")
# the demo data is dated from today: the first row is the first upcoming concert (the past ones come last)
first=$("$TUI_ROOT/scripts/seed.sh" --print "$TUI_ASSETS" | jq -r --arg now "$(date -u +%FT%TZ)" \
  '[.[] | select(.date > $now)] | sort_by(.date) | .[0].name')
tui_wait "Seats left" 120
tui_wait "Concerts $n " 30
tui_wait "http://127.0.0.1:$api_port/dev" 5
tui_wait "[operator]" 5
tui_wait "online" 20
tui_wait "$(short_name "$first" 20)" 5
tui_screen | grep '^>' | grep -qF -- "$(short_name "$first" 20)" || tui_fail "the first row is not \"$first\""
[ -s "$state/cognito.env" ] || tui_fail "make run did not leave the user pool's settings in $state/cognito.env"
[ "$(stat -c %a "$state/cognito.env")" = 600 ] || tui_fail "cognito.env (the manager's password) is readable by others"
[ ! -e "$state/api-key" ] || tui_fail "make run left an API key, which no longer authorizes anything"
tui_log "make run opened the box office on the local stack: $n demo concerts, signed in as the manager"

# every seeded concert has its venue's time zone, upcoming ones from tomorrow on and past ones before
# today, and the list shows a Vienna concert in Vienna's time
list=$(curl -fsS -m 10 "http://127.0.0.1:$api_port/dev/concerts") || tui_fail "the local stack does not answer"
jq -e 'length > 0 and all(.[]; (.timezone // "") != "")' <<<"$list" >/dev/null || tui_fail "a seeded concert has no time zone"
tomorrow=$(date -u -d tomorrow +%F) after=$(date -u -d '2 days' +%F) today=$(date -u +%FT%TZ)
jq -e --arg t "$tomorrow" --arg t2 "$after" --arg now "$today" '[.[] | select(.date > $now)]
  | all(.[]; .date >= $t) and (min_by(.date).date[0:10] <= $t2)' <<<"$list" >/dev/null ||
  tui_fail "the upcoming concerts do not start from tomorrow"
jq -e --arg now "$today" '[.[] | select(.date < $now)] | length >= 1' <<<"$list" >/dev/null || tui_fail "no past demo concert"
tui_row_in_venue_time "$(jq -c '[.[] | select(.timezone == "Europe/Vienna")] | min_by(.date)' <<<"$list")"
tui_log "seeded with time zones, dated from today; Vienna: $TUI_VENUE_TIME"

tui_keys q
tui_wait "EXITED rc=0" 20
# make local-down says what it stopped, then that nothing runs
env LOCAL_STATE_DIR="$state" API_PORT=$api_port DYNAMODB_PORT=$ddb_port make -s -C "$TUI_ROOT" local-down >"$TUI_TMP/down" 2>&1 ||
  tui_fail "make local-down failed: $(cat "$TUI_TMP/down")"
grep -Eq "stopped the gateway \(pid [0-9]+, http://127.0.0.1:$api_port/dev\) and DynamoDB Local \(pid [0-9]+\)" "$TUI_TMP/down" ||
  tui_fail "make local-down did not say what it stopped: $(cat "$TUI_TMP/down")"
for p in $api_port $ddb_port; do
  ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || tui_fail "port $p still answers after make local-down"
done
env LOCAL_STATE_DIR="$state" API_PORT=$api_port DYNAMODB_PORT=$ddb_port make -s -C "$TUI_ROOT" local-down >"$TUI_TMP/down" 2>&1
grep -q "nothing was running" "$TUI_TMP/down" || tui_fail "a second make local-down did not say that nothing was running: $(cat "$TUI_TMP/down")"
tui_log "make local-down: $(cat "$TUI_TMP/down")"
echo "ok"
