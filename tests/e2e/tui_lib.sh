# Helpers for the box office's terminal end-to-end tests (sourced by tests/e2e/test_tui_*.sh).
# The program runs in a tmux pane of a fixed size on a PRIVATE tmux server (its own socket), keys are
# sent with send-keys, the screen is read with capture-pane and polled for text with a timeout.
# Needs: tmux, jq, curl; env BOXOFFICE_API_URL (+ BOXOFFICE_USER/BOXOFFICE_PASSWORD, BOXOFFICE_COGNITO_URL,
# BOXOFFICE_CLIENT_ID for operator actions; TEST_TOKEN for the tests' own API calls).
set -uo pipefail

TUI_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# the answers the box office receives are checked against docs/openapi.yaml: tui_start puts a recording
# pass-through between it and the API (tests/lib/openapi_log.sh); TUI_RECORD=0 before tui_start runs it
# straight against the API (a test of what happens when the API's socket goes away)
. "$TUI_ROOT/tests/lib/openapi_log.sh"
TUI_BIN=${BOXOFFICE_BIN:-$TUI_ROOT/build/boxoffice}
TUI_ASSETS=$TUI_ROOT/assets/concerts.json
TUI_SOCK=""
TUI_TMP=$(mktemp -d "${TMPDIR:-/tmp}/bo-tui.XXXXXX")
TUI_TIMEOUT=${TUI_TIMEOUT:-20}

tui_log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*"; }
tui_skip() { echo "SKIP: $*"; exit 77; }

# Fails the test: prints the reason and the current screen.
tui_fail() {
  echo "FAIL: $*"
  echo "---- screen ----"
  tui_screen 2>/dev/null || true
  echo "----------------"
  exit 1
}

tui_require() {
  local t
  for t in tmux jq curl; do command -v "$t" >/dev/null || tui_skip "$t is not installed"; done
  [ -x "$TUI_BIN" ] || tui_fail "$TUI_BIN is not built"
  [ -n "${BOXOFFICE_API_URL:-}" ] || tui_skip "BOXOFFICE_API_URL is not set (run through scripts/run-tests.sh)"
  [ -f "$TUI_ASSETS" ] || tui_fail "$TUI_ASSETS is missing"
}

TUI_SOCKS=()
# Ends the current pane's tmux server (and the box office in it).
tui_stop() { tmux -L "$TUI_SOCK" kill-server >/dev/null 2>&1 || true; }
tui_cleanup() {
  local s
  for s in "${TUI_SOCKS[@]}"; do
    tmux -L "$s" kill-server >/dev/null 2>&1 || true
    rm -f "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$s"
  done
  openapi_proxy_stop
  rm -rf "$TUI_TMP"
}
trap tui_cleanup EXIT

# tui_start COLS ROWS [ENV=VALUE ...] -- [boxoffice args...]
# Starts the box office in a fresh pane; when it exits the pane shows "EXITED rc=N".
tui_start() {
  local cols=$1 rows=$2; shift 2
  local envs=() args=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do envs+=("$1"); shift; done
  [ "${1:-}" = "--" ] && shift
  args=("$@")
  local cmd api=$BOXOFFICE_API_URL
  if [ "${TUI_RECORD:-1}" != 0 ]; then
    openapi_proxy "$api" || tui_fail "the recording pass-through did not start"
    api=$OPENAPI_PROXY_URL
  fi
  printf -v cmd '%q ' env LANG=C.UTF-8 LC_ALL=C.UTF-8 XDG_CONFIG_HOME="$TUI_TMP/config" \
    "BOXOFFICE_API_URL=$api" "BOXOFFICE_USER=${BOXOFFICE_USER:-}" "BOXOFFICE_PASSWORD=${BOXOFFICE_PASSWORD:-}" \
    "BOXOFFICE_COGNITO_URL=${BOXOFFICE_COGNITO_URL:-}" "BOXOFFICE_CLIENT_ID=${BOXOFFICE_CLIENT_ID:-}" "${envs[@]}" \
    "$TUI_BIN" "${args[@]}"
  mkdir -p "$TUI_TMP/config"
  # a fresh tmux server per start: reusing a socket whose server is shutting down races
  TUI_SOCK="bo-tui-$$-$RANDOM-${#TUI_SOCKS[@]}"
  TUI_SOCKS+=("$TUI_SOCK")
  tmux -L "$TUI_SOCK" -f /dev/null new-session -d -s bo -x "$cols" -y "$rows" \
    "$cmd; echo \"EXITED rc=\$?\"; sleep 300"
  tmux -L "$TUI_SOCK" set-option -t bo -g status off >/dev/null 2>&1 || true
}

tui_screen() { tmux -L "$TUI_SOCK" capture-pane -p -t bo; }
tui_keys() { tmux -L "$TUI_SOCK" send-keys -t bo "$@"; }
tui_type() { tmux -L "$TUI_SOCK" send-keys -t bo -l -- "$1"; }
# Esc alone: the program waits 25 ms to tell it from an escape sequence, so nothing else goes with it.
tui_esc() { tui_keys Escape; sleep 0.3; }
tui_resize() { tmux -L "$TUI_SOCK" resize-window -t bo -x "$1" -y "$2"; }

# tui_wait TEXT [SECONDS]: polls the screen until TEXT (fixed string) shows up.
tui_wait() {
  local text=$1 limit=${2:-$TUI_TIMEOUT} start=$SECONDS
  while [ $((SECONDS - start)) -lt "$limit" ]; do
    tui_screen | grep -qF -- "$text" && return 0
    sleep 0.2
  done
  tui_fail "waited ${limit}s for \"$text\""
}

# tui_wait_gone TEXT [SECONDS]: polls until TEXT is no longer on the screen.
tui_wait_gone() {
  local text=$1 limit=${2:-$TUI_TIMEOUT} start=$SECONDS
  while [ $((SECONDS - start)) -lt "$limit" ]; do
    tui_screen | grep -qF -- "$text" || return 0
    sleep 0.2
  done
  tui_fail "waited ${limit}s for \"$text\" to go away"
}

# tui_wait_re REGEX [SECONDS]: like tui_wait with an extended regular expression.
tui_wait_re() {
  local re=$1 limit=${2:-$TUI_TIMEOUT} start=$SECONDS
  while [ $((SECONDS - start)) -lt "$limit" ]; do
    tui_screen | grep -qE -- "$re" && return 0
    sleep 0.2
  done
  tui_fail "waited ${limit}s for /$re/"
}

tui_has() { tui_screen | grep -qF -- "$1"; }

# The list is up and has data.
tui_wait_list() { tui_wait "Seats left" "${1:-$TUI_TIMEOUT}"; tui_wait_re "Concerts [0-9]+" "${1:-$TUI_TIMEOUT}"; }

# Display width of a string in terminal columns (wide characters count 2): GNU wc -L in a UTF-8 locale.
tui_width() { printf '%s\n' "$1" | LC_ALL=C.UTF-8 wc -L; }
# Display column (0-based) where TEXT starts on LINE (the first occurrence), or -1.
tui_col_of() {
  local line=$1 text=$2
  [[ "$line" == *"$text"* ]] || { echo -1; return; }
  tui_width "${line%%"$text"*}"
}

# ---- the API, to check what the screen claims ----
# (their answers are recorded for the contract check too)
api_list() { openapi_curl --max-time 10 "$BOXOFFICE_API_URL/concerts"; }
api_get() { openapi_curl --max-time 10 "$BOXOFFICE_API_URL/concerts/$1"; }
# The API's concert with this exact name (first one), as JSON.
api_by_name() { api_list | jq -c --arg n "$1" '[.[] | select(.name == $n)][0] // empty'; }
# Display prefix of a name short enough to fit any name column (first N characters).
short_name() { local n=$1; printf '%s' "${n:0:${2:-14}}"; }

# pid of the box office running in the pane (the pane runs "sh -c 'env … boxoffice; echo EXITED…'").
tui_pid() {
  local shell
  shell=$(tmux -L "$TUI_SOCK" display-message -p -t bo '#{pane_pid}')
  pgrep -P "$shell" -x boxoffice | head -n 1
}
# The screen with attributes (SGR escape sequences), to check colours.
tui_screen_attrs() { tmux -L "$TUI_SOCK" capture-pane -e -p -t bo; }

# tui_click X Y: a left click (press + release) at 0-based cell X,Y, as an xterm (X10) mouse report.
tui_click() {
  local x=$(( $1 + 33 )) y=$(( $2 + 33 ))
  local cx cy
  cx=$(printf "\\x$(printf %x "$x")") cy=$(printf "\\x$(printf %x "$y")")
  tui_type $'\e[M '"$cx$cy"
  tui_type $'\e[M#'"$cx$cy"
}
# Row (0-based) of the first screen line containing TEXT, or -1.
tui_row_of() { tui_screen | grep -nF -- "$1" | head -n 1 | cut -d: -f1 | awk '{print $1 - 1}' | grep . || echo -1; }

# Demo concerts (from assets) whose name is unique in the API and that match a jq condition on the API's
# record, e.g. api_demo_pick '.availableTickets == 0' or api_demo_pick 'true' 'max_by(.availableTickets)'.
# Prints the API's record (JSON) of the chosen one; empty when none. Other suites may add concerts with
# the same names: a unique name keeps the filter down to one row. The demo's past concerts (a kiosk hides
# them, the window asks before selling) are never picked.
api_demo_pick() {
  local cond=$1 choose=${2:-'.[0]'}
  api_list | jq -c --slurpfile a "$TUI_ASSETS" --arg now "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "
    group_by(.name) | map(select(length == 1) | .[0])
    | map(. as \$c | select(\$a[0] | any(.name == \$c.name)))
    | map(select(.date > \$now))
    | map(select($cond)) | if length == 0 then empty else $choose end"
}

# tui_row_in_venue_time CONCERT_JSON: filters the list for the concert (by its name) and checks that its row
# starts with its date in its venue's zone (tests/lib/venue_time.sh; sets TUI_VENUE_TIME to it); the filter
# is cleared again.
tui_row_in_venue_time() {
  declare -F venue_time_short >/dev/null || . "$TUI_ROOT/tests/lib/venue_time.sh"
  local short row
  short=$(short_name "$(jq -r .name <<<"$1")")
  TUI_VENUE_TIME=$(venue_time_short "$(jq -r .date <<<"$1")" "$(jq -r '.timezone // "UTC"' <<<"$1")")
  tui_keys /
  tui_type "$short"
  tui_wait "filter: $short"
  row=$(tui_screen | grep -F -- "$short" | grep -v "filter:" | head -n 1)
  [[ "$row" == ?"$TUI_VENUE_TIME "* ]] || tui_fail "\"$short\" should start \"$TUI_VENUE_TIME\": $row"
  tui_esc
}

# The API's concerts that the box office calls past (client_time_past: 3 hours after the start), as a jq
# filter for dates in the API's "…Z" form: api_list | jq "[.[] | select($(api_past_jq))]"
api_past_jq() { printf '.date < "%s"' "$(date -u -d '-3 hours' +%Y-%m-%dT%H:%M:%SZ)"; }

# ---- orders ----
# Fails when the API has no orders: API Gateway (and our local gateway) answers an unknown route with
# 403 {"message":"Missing Authentication Token"} (an API URL of an old deployment, say).
api_require_orders() {
  local body status
  body=$(curl -sS --max-time 10 -o - -w '\n%{http_code}' -X POST -H 'Content-Type: application/json' \
    -d '{}' "$BOXOFFICE_API_URL/orders") || tui_fail "the API does not answer at $BOXOFFICE_API_URL"
  status=${body##*$'\n'}
  if [ "$status" = 403 ] && grep -qF 'Missing Authentication Token' <<<"$body"; then
    tui_fail "the API at $BOXOFFICE_API_URL has no POST /orders (403 Missing Authentication Token)"
  fi
}
# The order (JSON) as the operator route gives it: GET /orders/{id} with the key.
api_order_get() {
  openapi_curl --max-time 10 -H "Authorization: ${TEST_TOKEN:-}" "$BOXOFFICE_API_URL/orders/$1"
}
# The order id on the receipt (its "Order" line).
# the receipt's order id: beside its label, or (beside the QR code) whole on the line below it
tui_order_id() {
  tui_screen | awk '/ Order( |$)/{f=1} f' | grep -oE '[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}' | head -n 1
}
# Decodes the QR code on the screen as a phone would: the captured half blocks become an image
# (tests/e2e/qr_screen.py) that zbarimg reads. Prints the decoded text ("" when nothing was found).
tui_qr_decode() {
  tui_screen >"$TUI_TMP/qr.txt"
  python3 "$TUI_ROOT/tests/e2e/qr_screen.py" "$TUI_TMP/qr.pbm" <"$TUI_TMP/qr.txt" || return 1
  zbarimg --raw -q "$TUI_TMP/qr.pbm" 2>/dev/null | head -n 1
}
# tui_qr_expect CODE WHAT: the QR code on the screen decodes to CODE (a few tries: the capture may catch a
# frame half drawn); fails the test with WHAT otherwise.
tui_qr_expect() {
  local code=$1 what=$2 got="" try
  for try in 1 2 3 4 5; do
    got=$(tui_qr_decode)
    [ "$got" = "$code" ] && return 0
    sleep 0.3
  done
  tui_fail "$what: the QR code reads \"$got\", the API says \"$code\""
}
# A code grouped for reading as the receipt shows it: ABCDE-FGHJK-MNPQR-STVWX.
code_grouped() { tr -cd 'A-Za-z0-9' <<<"$1" | tr a-z A-Z | sed -E 's/(.{5})/\1-/g; s/-$//'; }
# Cents of a decimal amount ("49.99" -> 4999, "50" -> 5000) and back ("0.04").
# money text <-> cents, the sign kept ("-0.50" -> -50 -> "-0.50")
to_cents() { awk -v v="$1" 'BEGIN { s = 1; if (substr(v, 1, 1) == "-") { s = -1; v = substr(v, 2) }
  split(v, p, "."); d = substr(p[2] "00", 1, 2); printf "%d\n", s * (p[1] * 100 + d) }'; }
from_cents() { local c=$1 s=""; [ "$c" -lt 0 ] && { s=-; c=$((-c)); }; printf '%s%d.%02d\n' "$s" $((c / 100)) $((c % 100)); }
# On the sell form with the customer's fields filled in: Enter through the remaining fields (names on the
# tickets, and on an operator's form the payment and the cash tendered) to the review.
tui_sell_review() {
  local i
  for i in 1 2 3 4 5 6; do
    tui_has "Enter/y = confirm" && return 0
    tui_keys Enter
    sleep 0.3
  done
  tui_wait "Enter/y = confirm"
}

# ---- suites that stop, hang or slow the API (each needs tests/lib/stack.sh sourced first) ----
# tui_private_stack: a PRIVATE stack (stack_start --no-seed on STACK_PORT_MIN..MAX, which the suite sets) so the
# shared one is untouched (the run's user pool: the same sign-in works); sets url and BOXOFFICE_API_URL to it. At exit a stopped gateway is
# resumed, the stack removed and tui_cleanup run. tui_gw_pid: its gateway's pid; tui_stack_up_again: starts it again on
# the same ports and state (after stack_stop).
tui_gw_pid() { cat "$STACK_DIR/gateway.pid" 2>/dev/null; }
tui_stack_up_again() {
  LOCAL_STATE_DIR="$STACK_DIR" API_PORT=$STACK_API_PORT DYNAMODB_PORT=$STACK_DDB_PORT BOXOFFICE_SEED=0 \
    SKIP_DEPS=1 SKIP_BUILD=1 timeout 90 "$TUI_ROOT/scripts/local-stack.sh" up
}
tui_private_down() {
  local g
  g=$(tui_gw_pid) && [ -n "$g" ] && kill -CONT "$g" 2>/dev/null
  stack_cleanup
}
tui_private_stack() {
  trap 'tui_private_down; tui_cleanup' EXIT
  stack_start --no-seed >"$TUI_TMP/stack-up.log" 2>&1 || { cat "$TUI_TMP/stack-up.log"; tui_fail "private stack did not start"; }
  url=$STACK_URL
  export BOXOFFICE_API_URL=$url
  tui_log "private stack at $url"
}

# tui_faultproxy [--record]: bench's faultproxy on a free port in front of the shared stack's gateway (with
# --record in front of the recording pass-through, which then sees every answer, also those held back);
# sets proxied (the API through it), stage and proxy_pid (ended at exit, before tui_cleanup).
# tui_proxy_hold: from now on every answer arrives 8 s late, after the client (2 s x 3 attempts) gave up;
# tui_proxy_release: on time again.
tui_faultproxy() {
  local upstream=$BOXOFFICE_API_URL hostport
  make -s -C "$TUI_ROOT/bench" ../build/bench/faultproxy >"$TUI_TMP/build.log" 2>&1 || { cat "$TUI_TMP/build.log"; tui_fail "cannot build faultproxy"; }
  proxy_pid=""
  trap '[ -n "$proxy_pid" ] && kill "$proxy_pid" 2>/dev/null; tui_cleanup' EXIT
  if [ "${1:-}" = --record ]; then
    openapi_proxy "$BOXOFFICE_API_URL" || tui_fail "the recording pass-through did not start"
    upstream=$OPENAPI_PROXY_URL
  fi
  hostport=$(sed -E 's#^https?://([^/]+).*#\1#' <<<"$upstream")
  stage=$(sed -E 's#^https?://[^/]+/([^/]+).*#\1#' <<<"$BOXOFFICE_API_URL")
  local pport control=$TUI_TMP/proxy.mode
  pport=$(free_port) || tui_fail "no free port"
  echo pass >"$control"
  "$TUI_ROOT/build/bench/faultproxy" "$pport" "${hostport##*:}" "$control" 2>"$TUI_TMP/proxy.log" &
  proxy_pid=$!
  wait_until 10 grep -qs '"ready"' "$TUI_TMP/proxy.log" || tui_fail "faultproxy did not start: $(cat "$TUI_TMP/proxy.log")"
  proxied="http://127.0.0.1:$pport/$stage"
}
tui_proxy_hold() { echo "delay-answer 8000" >"$TUI_TMP/proxy.mode"; }
tui_proxy_release() { echo pass >"$TUI_TMP/proxy.mode"; }
