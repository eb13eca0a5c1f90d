# shellcheck shell=bash
# Records answers of the API for the contract check: scripts/run-tests.sh sets OPENAPI_LOG for the
# end-to-end phase and, after it, scripts/openapi-check.py validates every recorded answer against
# docs/openapi.yaml. Without OPENAPI_LOG nothing is recorded. Sourced by tests/lib/stack.sh (`http` records
# every answer from an API base URL), by tests/e2e/tui_lib.sh (tui_start puts the box office behind
# openapi_proxy), by the CLI suites (the same for `boxoffice`) and by tests that call curl themselves.
#
#   openapi_record METHOD URL STATUS HEADER_FILE BODY_FILE
#       appends one JSON line {test, method, url, path, status, headers, body} to $OPENAPI_LOG; HEADER_FILE
#       is curl's -D output, BODY_FILE the body (either may be missing). URL is the full URL under an API base
#       http://host:port/<stage>; path is the part after the stage (query kept: the checker drops it).
#   openapi_proxy URL
#       sets OPENAPI_PROXY_URL: URL reached through a recording pass-through (tests/support/record_proxy.py)
#       that records every answer the way openapi_record does, when OPENAPI_LOG is set and URL is the API;
#       URL itself otherwise. Give the real client (box office, CLI) OPENAPI_PROXY_URL instead of URL so the
#       answers IT receives are checked too. One pass-through per API base and shell (call it in the test's
#       own shell, not in $(...)); it ends with the test's shell, or with openapi_proxy_stop.
#   openapi_proxy_stop
#       ends the pass-throughs this shell started.
#   openapi_curl [curl args...] URL
#       like curl -fsS -m 30: prints the body, fails on no answer or HTTP >= 400; records the answer.
#   openapi_is_api URL
#       true when URL is under an API base this run knows: $BOXOFFICE_API_URL, $STACK_URL, $OPENAPI_BASES
#       (space-separated, for private stacks) and $GW_URL when gw_start ran the project's own gateway
#       configuration and bootstrap (not a fake function).

openapi_is_api() {
  local url=$1 b
  for b in ${BOXOFFICE_API_URL:-} ${STACK_URL:-} ${OPENAPI_BASES:-} ${_OPENAPI_GW_BASE:-}; do
    b=${b%/}
    [ -n "$b" ] || continue
    [ "$url" = "$b" ] || [[ "$url" == "$b"/* ]] || [[ "$url" == "$b"\?* ]] && return 0
  done
  return 1
}

openapi_record() {
  [ -n "${OPENAPI_LOG:-}" ] || return 0
  local method=$1 url=$2 status=$3 hf=${4:-/dev/null} bf=${5:-/dev/null} rest
  [ -r "$hf" ] || hf=/dev/null
  [ -r "$bf" ] || bf=/dev/null
  rest=${url#*://}            # host:port/stage/path
  rest=${rest#*/}             # stage/path
  case $rest in */*) rest=/${rest#*/} ;; *) rest=/ ;; esac
  {
    flock 9
    jq -nc --arg test "${OPENAPI_TEST:-$0}" --arg method "$method" --arg url "$url" --arg path "$rest" \
      --arg status "$status" --rawfile headers "$hf" --rawfile body "$bf" \
      '{test: $test, method: $method, url: $url, path: $path, status: ($status | tonumber? // 0),
        headers: $headers, body: $body}' >>"$OPENAPI_LOG"
  } 9>>"$OPENAPI_LOG.lock"
}

# (sourced twice, e.g. by tui_lib.sh and stack.sh: the running pass-throughs stay known)
declare -p _openapi_proxies >/dev/null 2>&1 || { declare -gA _openapi_proxies=(); _openapi_proxy_pids=(); }
_openapi_proxy_script="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/support/record_proxy.py"

openapi_proxy() {
  local url=${1%/} base rest path stage dir port
  OPENAPI_PROXY_URL=$url
  [ -n "${OPENAPI_LOG:-}" ] && openapi_is_api "$url" || return 0
  rest=${url#*://}                                  # host:port/stage/concerts
  path=; [[ $rest == */* ]] && path=/${rest#*/}     # /stage/concerts
  stage=${path#/}; stage=${stage%%/*}               # stage
  base=${url%%://*}://${rest%%/*}${stage:+/$stage}  # the API base: one pass-through each
  if [ -z "${_openapi_proxies[$base]:-}" ]; then
    dir=$(mktemp -d "${TMPDIR:-/tmp}/bo-record.XXXXXX") || return 1
    python3 -B "$_openapi_proxy_script" "$base" "$OPENAPI_LOG" "$dir/port" "${OPENAPI_TEST:-$0}" </dev/null >/dev/null 2>"$dir/err" &
    _openapi_proxy_pids+=($!)
    for _ in $(seq 1 100); do [ -s "$dir/port" ] && break; sleep 0.05; done
    port=$(cat "$dir/port" 2>/dev/null)
    [ -n "$port" ] || { echo "openapi_proxy: the recording pass-through did not start: $(cat "$dir/err")" >&2; rm -rf "$dir"; return 1; }
    rm -rf "$dir"
    _openapi_proxies[$base]="http://127.0.0.1:$port"
  fi
  OPENAPI_PROXY_URL=${_openapi_proxies[$base]}$path
}

openapi_proxy_stop() {
  local p
  for p in "${_openapi_proxy_pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  _openapi_proxy_pids=()
  _openapi_proxies=()
}

openapi_curl() {
  local url=${*: -1} method=GET a hf bf status prev=""
  for a in "$@"; do
    [ "$prev" = "-X" ] && method=$a
    [[ "$a" == -d* || "$a" == --data* ]] && [ "$method" = GET ] && method=POST
    prev=$a
  done
  hf=$(mktemp) bf=$(mktemp)
  status=$(curl -sS -m 30 -D "$hf" -o "$bf" -w '%{http_code}' "$@") || status=000
  openapi_is_api "$url" && openapi_record "$method" "$url" "$status" "$hf" "$bf"
  cat "$bf"
  rm -f "$hf" "$bf"
  [ "$status" -ge 200 ] && [ "$status" -lt 400 ]
}
