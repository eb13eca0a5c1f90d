# Helpers for the fault tests (source it after bench/lib.sh and bench/stack.sh; bash; run from the repo root).
# post_json's answers are recorded for the contract check (tests/lib/openapi_log.sh).
. tests/lib/openapi_log.sh

# fault_setup NAME: a private state dir for one test, removed (with everything started in it) at exit.
# Sets FAULT_STATE and builds the bench tools.
fault_setup() {
  FAULT_STATE=$(mktemp -d "${TMPDIR:-/tmp}/boxoffice-$1.XXXXXX")
  FAULT_PIDS=()
  trap fault_teardown EXIT
  make -s -C bench all >"$FAULT_STATE/build.log" 2>&1 || { cat "$FAULT_STATE/build.log"; exit 1; }
  export AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_REGION=us-east-1
}

fault_teardown() {
  local p
  for p in "${FAULT_PIDS[@]}"; do kill "$p" 2>/dev/null; done
  pstack_down "$FAULT_STATE/stack"
  if [ "${FAULT_KEEP:-0}" = 1 ]; then echo "state kept in $FAULT_STATE"; else rm -rf "$FAULT_STATE"; fi
}

# fault_proxy_start LISTEN_PORT TARGET_PORT: starts bench's faultproxy in "pass" mode; control with fault_mode.
fault_proxy_start() {
  FAULT_CONTROL=$FAULT_STATE/proxy.mode
  echo pass >"$FAULT_CONTROL"
  build/bench/faultproxy "$1" "$2" "$FAULT_CONTROL" 2>>"$FAULT_STATE/proxy.log" &
  FAULT_PIDS+=($!)
  for _ in $(seq 1 50); do grep -q '"ready"' "$FAULT_STATE/proxy.log" 2>/dev/null && return 0; sleep 0.1; done
  echo "faultproxy did not start: $(cat "$FAULT_STATE/proxy.log")"; return 1
}
fault_mode() { echo "$*" >"$FAULT_CONTROL"; }  # pass | delay MS | delay-answer MS | blackhole | reset

# fault_busy_worker API_PORT FUNCTION [SECONDS]: pid of a worker of FUNCTION that is busy with an invocation.
fault_busy_worker() {
  local i pid
  for ((i = 0; i < ${3:-20} * 20; i++)); do
    pid=$(curl -s -m 2 "http://127.0.0.1:$1/__gateway/workers" |
          jq -r --arg f "$2" '.functions[$f].workers[]? | select(.state == "busy") | .pid' 2>/dev/null | head -n 1)
    [ -n "$pid" ] && { echo "$pid"; return 0; }
    sleep 0.05
  done
  return 1
}

# post_json URL BODY [curl args...]: prints "STATUS BODY" (STATUS 000 when no answer within -m).
post_json() {
  local url=$1 body=$2; shift 2
  local code
  : >"$FAULT_STATE/last.body"
  code=$(curl -s -m 60 -o "$FAULT_STATE/last.body" -D "$FAULT_STATE/last.headers" -w '%{http_code}' -X POST \
         -H 'Content-Type: application/json' "$@" -d "$body" "$url")
  openapi_record POST "$url" "${code:-000}" "$FAULT_STATE/last.headers" "$FAULT_STATE/last.body"
  printf '%s %s\n' "${code:-000}" "$(cat "$FAULT_STATE/last.body")"
}

# The concert's seats left + its ticket items must equal the seats it was created with.
# fault_check_books DDB_PORT CONCERT_ID CREATED -> prints "seats S tickets N", fails when S + N != CREATED
fault_check_books() {
  local seats n
  seats=$(ddb_seats "$1" "$PSTACK_CONCERTS" "$2") || return 1
  n=$(ddb_count "$1" "$PSTACK_TICKETS" "\"FilterExpression\":\"concertId = :c\",\"ExpressionAttributeValues\":{\":c\":{\"S\":\"$2\"}}") || return 1
  echo "seats $seats tickets $n"
  [ $((seats + n)) -eq "$3" ]
}
