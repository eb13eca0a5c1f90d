# A private local stack for the benchmark and the fault tests (source it; bash; run from the repo root):
# DynamoDB Local (scripts/ddb-local.sh) + backend/build/local-gateway running the real bootstrap.
# Unlike `make local-up` it can point the workers at another DynamoDB endpoint (a fault proxy) and pass
# any gateway option, and it never touches the shared stack.
#   pstack_up STATE API_PORT DDB_PORT [WORKER_DDB_URL [gateway options...]]  -> prints the API base URL
#   pstack_down STATE
#   pstack_gateway_restart STATE   (same options as the last pstack_up)
# Operators: the user pool of COGNITO_SHARED_ENV when set (the test run's), else a cognito-local of its own
# (port PSTACK_COGNITO_PORT, else API_PORT + 2), made by scripts/cognito-setup.sh; the gateway checks its tokens.
# After pstack_up: $STATE/token (the first manager's ID token: -H "Authorization: $(cat $STATE/token)"),
# $STATE/cognito.env, $STATE/gateway.pid, $STATE/gateway.log, $STATE/dynamodb.pid;
# table names in PSTACK_CONCERTS / PSTACK_TICKETS.

PSTACK_CONCERTS=concert-ticket-system-concerts-dev
PSTACK_TICKETS=concert-ticket-system-tickets-dev

_pstack_wait_http() { # url seconds
  local i
  for ((i = 0; i < $2 * 10; i++)); do
    curl -s -m 2 -o /dev/null "$1" && return 0
    sleep 0.1
  done
  return 1
}

_pstack_start_gateway() { # state
  local state=$1
  local -a args
  mapfile -t args <"$state/gateway.args"
  ( exec setsid backend/build/local-gateway "${args[@]}" </dev/null >>"$state/gateway.log" 2>&1 ) &
  echo $! >"$state/gateway.pid"
  _pstack_wait_http "http://127.0.0.1:$(cat "$state/api-port")/dev/concerts" 30 || {
    echo "pstack: the gateway did not answer; see $state/gateway.log" >&2; tail -n 20 "$state/gateway.log" >&2; return 1; }
}

pstack_up() {
  local state=$1 api=$2 ddb=$3 endpoint=${4:-}
  shift 3; [ $# -gt 0 ] && shift
  [ -n "$endpoint" ] || endpoint="http://127.0.0.1:$ddb"
  mkdir -p "$state"
  state=$(cd "$state" && pwd)
  scripts/ddb-local.sh start "$ddb" "$state" || return 1
  AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local backend/build/local-gateway \
    --dynamodb-endpoint "http://127.0.0.1:$ddb" --create-tables >"$state/tables.log" 2>&1 || {
    echo "pstack: table creation failed; see $state/tables.log" >&2; return 1; }
  if [ -n "${COGNITO_SHARED_ENV:-}" ]; then
    (umask 077; cp "$COGNITO_SHARED_ENV" "$state/cognito.env") || return 1
  else
    local cport=${PSTACK_COGNITO_PORT:-$((api + 2))}
    scripts/cognito-local.sh start "$cport" "$state" && scripts/cognito-setup.sh "$cport" "$state" || return 1
  fi
  (umask 077; scripts/cognito-token.sh --env "$state/cognito.env" >"$state/token") || return 1
  local cog_url pool
  cog_url=$(sed -n 's/^COGNITO_URL=//p' "$state/cognito.env"); pool=$(sed -n 's/^USER_POOL_ID=//p' "$state/cognito.env")
  echo "$api" >"$state/api-port"
  printf '%s\n' --port "$api" --dynamodb-endpoint "$endpoint" --cognito-issuer "$cog_url/$pool" \
    --env "COGNITO_ENDPOINT=$cog_url" --env "USER_POOL_ID=$pool" "$@" >"$state/gateway.args"
  _pstack_start_gateway "$state" || return 1
  echo "http://127.0.0.1:$api/dev"
}

_pstack_stop_pidfile() { # file
  local pid
  [ -f "$1" ] || return 0
  pid=$(cat "$1")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$1"
}

pstack_gateway_restart() {
  _pstack_stop_pidfile "$1/gateway.pid"
  _pstack_start_gateway "$1"
}

pstack_down() {
  local state=$1
  [ -d "$state" ] || return 0
  _pstack_stop_pidfile "$state/gateway.pid"
  scripts/ddb-local.sh stop "$state" >/dev/null 2>&1 || true
  scripts/cognito-local.sh stop "$state" >/dev/null 2>&1 || true
  return 0
}

# The pids of the gateway's worker processes (bootstrap children), one a line.
pstack_workers() {
  local gw
  gw=$(cat "$1/gateway.pid" 2>/dev/null) || return 0
  pgrep -P "$gw" 2>/dev/null
}
