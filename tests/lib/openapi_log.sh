# shellcheck shell=bash
# Records answers of the API for the contract check: scripts/run-tests.sh sets OPENAPI_LOG for the
# end-to-end phase and, after it, scripts/openapi-check.py validates every recorded answer against
# docs/openapi.yaml. Without OPENAPI_LOG nothing is recorded. Sourced by tests/lib/stack.sh (`http` records
# every answer from an API base URL) and by tests that call curl themselves.
#
#   openapi_record METHOD URL STATUS HEADER_FILE BODY_FILE
#       appends one JSON line {test, method, url, path, status, headers, body} to $OPENAPI_LOG; HEADER_FILE
#       is curl's -D output, BODY_FILE the body (either may be missing). URL is the full URL under an API base
#       http://host:port/<stage>; path is the part after the stage (query kept: the checker drops it).
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
