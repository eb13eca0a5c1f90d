#!/usr/bin/env bash
# The contract check sees what the real client receives: the CLI and the box office (in tmux) talk to a
# stub API through the recording pass-through (tests/support/record_proxy.py via tests/lib/openapi_log.sh),
# and scripts/openapi-check.py passes the record of a conforming answer and FAILS the record of an answer
# that breaks docs/openapi.yaml (a concert whose availableTickets is a string). The operator key the client
# sends is in no record. Runs on its own record and stub: the run's shared record is not touched.
. "$(dirname "$0")/tui_lib.sh"
for t in tmux jq curl python3; do command -v "$t" >/dev/null || tui_skip "$t is not installed"; done
[ -x "$TUI_BIN" ] || tui_fail "$TUI_BIN is not built"

stub_pid=""
trap '[ -n "$stub_pid" ] && kill "$stub_pid" 2>/dev/null; tui_cleanup' EXIT
# a stub API: GET /dev/concerts answers the file $TUI_TMP/body, read at each request
python3 - "$TUI_TMP/body" "$TUI_TMP/stub.port" <<'PY' >/dev/null 2>"$TUI_TMP/stub.log" &
import http.server, os, sys
body_file, port_file = sys.argv[1:]
class H(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass
    def do_GET(self):
        ok = self.path.split("?")[0] == "/dev/concerts"
        data = open(body_file, "rb").read() if ok else b'{"error":"Concert not found"}'
        self.send_response(200 if ok else 404)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
s = http.server.HTTPServer(("127.0.0.1", 0), H)
open(port_file + ".tmp", "w").write(str(s.server_address[1]))
os.rename(port_file + ".tmp", port_file)
s.serve_forever()
PY
stub_pid=$!
for _ in $(seq 1 100); do [ -s "$TUI_TMP/stub.port" ] && break; sleep 0.05; done
[ -s "$TUI_TMP/stub.port" ] || tui_fail "the stub API did not start: $(cat "$TUI_TMP/stub.log")"

# a remembered sign-in (the token file of `boxoffice login --remember`): its ID token goes to the API in
# Authorization on every request, and must never reach a record
secret="operator-token-$$-$RANDOM"
b64url() { base64 -w0 | tr '+/' '-_' | tr -d '='; }
token="$(printf '{"alg":"RS256"}' | b64url).$(printf '{"sub":"s-1","exp":4102444800}' | b64url).$secret"
export XDG_CONFIG_HOME="$TUI_TMP/config"
mkdir -p "$XDG_CONFIG_HOME/boxoffice"
(umask 077; printf '{"idToken":"%s"}' "$token" >"$XDG_CONFIG_HOME/boxoffice/session")
stub_port=$(cat "$TUI_TMP/stub.port")
export BOXOFFICE_API_URL="http://127.0.0.1:$stub_port/dev" BOXOFFICE_USER= BOXOFFICE_PASSWORD=
export OPENAPI_BASES=$BOXOFFICE_API_URL OPENAPI_TEST=$0
declare -A body
body[good]='[{"id":"c-1","name":"Stub Night","date":"2027-01-01T20:00:00Z","venue":"Stub Hall","availableTickets":5,"ticketPrice":10}]'
body[bad]='[{"id":"c-1","name":"Stub Night","date":"2027-01-01T20:00:00Z","venue":"Stub Hall","availableTickets":"many","ticketPrice":10}]'
check() { # LOG: runs the contract check on it, output in $TUI_TMP/check.out; returns its exit code
  /usr/bin/python3 "$TUI_ROOT/scripts/openapi-check.py" "$TUI_ROOT/docs/openapi.yaml" "$1" >"$TUI_TMP/check.out" 2>&1
}
expect_check() { # LOG RC WHAT
  check "$1"; local rc=$?
  [ "$rc" = "$2" ] || { cat "$TUI_TMP/check.out"; tui_fail "$3: the check exited $rc, expected $2"; }
  tui_log "$3: check exit $rc ($(grep -m1 '^openapi-check:' "$TUI_TMP/check.out"))"
}

# ---- the CLI
for kind in good bad; do
  export OPENAPI_LOG="$TUI_TMP/cli-$kind.jsonl"
  openapi_proxy_stop   # the pass-through writes to the record it was started with
  openapi_proxy "$BOXOFFICE_API_URL" || tui_fail "the recording pass-through did not start"
  printf '%s' "${body[$kind]}" >"$TUI_TMP/body"
  BOXOFFICE_API_URL=$OPENAPI_PROXY_URL timeout 30 "$TUI_BIN" list >"$TUI_TMP/cli.out" 2>&1
  [ "$(jq -s 'length' "$OPENAPI_LOG" 2>/dev/null)" = 1 ] || tui_fail "the CLI's answer ($kind) was not recorded once: $(cat "$OPENAPI_LOG" 2>/dev/null)"
  jq -e '.method == "GET" and .path == "/concerts" and .status == 200' "$OPENAPI_LOG" >/dev/null ||
    tui_fail "the record is not the CLI's GET /concerts: $(cat "$OPENAPI_LOG")"
done
expect_check "$TUI_TMP/cli-good.jsonl" 0 "CLI, conforming answer"
expect_check "$TUI_TMP/cli-bad.jsonl" 1 "CLI, answer against the contract"
grep -q 'availableTickets' "$TUI_TMP/check.out" || tui_fail "the failure does not name the field: $(cat "$TUI_TMP/check.out")"

# ---- the box office, through tui_start's own pass-through
for kind in good bad; do
  export OPENAPI_LOG="$TUI_TMP/tui-$kind.jsonl"
  openapi_proxy_stop
  printf '%s' "${body[$kind]}" >"$TUI_TMP/body"
  tui_start 100 30 -- --refresh 0
  wait_n=0
  while [ ! -s "$OPENAPI_LOG" ] && [ $wait_n -lt 100 ]; do sleep 0.1; wait_n=$((wait_n + 1)); done
  [ -s "$OPENAPI_LOG" ] || tui_fail "the box office's answer ($kind) was not recorded"
  [ "$kind" = good ] && tui_wait "Stub Night"
  tui_stop
done
expect_check "$TUI_TMP/tui-good.jsonl" 0 "box office, conforming answer"
expect_check "$TUI_TMP/tui-bad.jsonl" 1 "box office, answer against the contract"

# the token went to the API, never into a record
! grep -qF -- "$secret" "$TUI_TMP"/*.jsonl || tui_fail "the operator's token is in a record"
tui_log "PASS"
