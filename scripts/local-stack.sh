#!/usr/bin/env bash
# The local serverless stack: DynamoDB Local + cognito-local (the operators' user pool) +
# backend/build/local-gateway (API Gateway and Lambda, running the real bootstrap), no Docker, no AWS account.
#
#   local-stack.sh up       install what is missing, build if needed, start DynamoDB Local, create the
#                           tables of backend/serverless.yml when absent, start cognito-local and make its
#                           pool, app client, groups and first manager when absent (scripts/cognito-setup.sh),
#                           start the gateway (checking tokens of that pool), wait until all answer, seed
#                           assets/concerts.json into an EMPTY database through the API (signed in as the
#                           manager), print the manager's sign-in on stderr and the API base URL as the LAST
#                           line of stdout. Idempotent.
#   local-stack.sh down     stop the gateway (and its workers), cognito-local and DynamoDB Local; nothing
#                           keeps running. Says what it stopped, or that nothing was running
#   local-stack.sh status   say what runs (exit 0 when all answer)
#
# Environment:
#   API_PORT (3000)  DYNAMODB_PORT (8000)  COGNITO_PORT (9229)  LOCAL_STATE_DIR (.local at the repository root)
#   COGNITO_SHARED_ENV  the cognito.env of a cognito-local that runs already (the test runner's, one pool per
#                       run): use that pool, start and stop no cognito-local of this stack's own
#   BOXOFFICE_SEED      0 = do not seed (default 1)
#   STAGE               like serverless --stage (default: the file's, dev)
#   GATEWAY_OPTS        extra local-gateway options, e.g. "--concurrency 4 --idle-timeout-ms 60000"
#   SKIP_DEPS=1 / SKIP_BUILD=1   do not run install-deps.sh / make
# State dir: dynamodb/ (data, kept across restarts, so sold tickets stay sold), dynamodb.log,
# cognito/ (cognito-local's config and users, kept across restarts), cognito.log, cognito.env (mode 0600: the
# pool, the app client, the first manager's e-mail and password), gateway.log (Lambda START/END/REPORT lines,
# function output, JSON access log), *.pid, api-url.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
API_PORT=${API_PORT:-3000}
DYNAMODB_PORT=${DYNAMODB_PORT:-8000}
COGNITO_PORT=${COGNITO_PORT:-9229}
state=${LOCAL_STATE_DIR:-$root/.local}
gw_bin="$root/backend/build/local-gateway"
boot_bin="$root/backend/build/task/bootstrap"   # bootstrap.zip unpacked: what is deployed

say() { printf 'local-stack: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

gw_healthy() { curl -s -m 2 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1/__gateway/health" 2>/dev/null | grep -q '^200$'; }
pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

stage_name() {
  if [ -n "${STAGE:-}" ]; then printf '%s' "$STAGE"; return; fi
  "$gw_bin" --print-config | jq -r .stage
}

# The gateway's options for the user pool of $state/cognito.env: the issuer its tokens carry (when this
# gateway knows --cognito-issuer) and the function's environment for Cognito's admin API.
cognito_opts=()
cognito_options() {
  local cog_url pool
  cog_url=$(sed -n 's/^COGNITO_URL=//p' "$state/cognito.env")
  pool=$(sed -n 's/^USER_POOL_ID=//p' "$state/cognito.env")
  cognito_opts=(--env "COGNITO_ENDPOINT=$cog_url" --env "USER_POOL_ID=$pool")
  if "$gw_bin" --help 2>&1 | grep -q -- '--cognito-issuer'; then
    cognito_opts+=(--cognito-issuer "$cog_url/$pool")
  fi
}

start_gateway() {
  local pidf="$state/gateway.pid"
  cognito_options
  local opts_now; opts_now=$(printf '%s\n' "${cognito_opts[@]}")
  if pid_alive "$pidf" && gw_healthy "$API_PORT"; then
    # rebuilt or reconfigured since it started: restart it, so the stack runs what was just built
    if [ "$gw_bin" -nt "$pidf" ] || [ "$boot_bin" -nt "$pidf" ] || [ "$root/backend/serverless.yml" -nt "$pidf" ]; then
      say "gateway, bootstrap or serverless.yml changed: restarting the gateway"
      stop_gateway
    elif [ "$(cat "$state/gateway.cognito" 2>/dev/null)" != "$opts_now" ]; then
      say "the user pool changed: restarting the gateway"
      stop_gateway
    else
      return 0
    fi
  fi
  if pid_alive "$pidf"; then stop_gateway; fi
  if gw_healthy "$API_PORT" || (exec 3<>"/dev/tcp/127.0.0.1/$API_PORT") 2>/dev/null; then
    die "port $API_PORT is taken by another server (set API_PORT)"
  fi
  local stage_opt=()
  [ -n "${STAGE:-}" ] && stage_opt=(--stage "$STAGE")
  # shellcheck disable=SC2086
  setsid "$gw_bin" --port "$API_PORT" --dynamodb-endpoint "http://127.0.0.1:$DYNAMODB_PORT" \
 "${cognito_opts[@]}" "${stage_opt[@]}" ${GATEWAY_OPTS:-} \
    </dev/null >>"$state/gateway.log" 2>&1 9>&- &
  echo $! >"$pidf"
  printf '%s\n' "$opts_now" >"$state/gateway.cognito"
  for _ in $(seq 1 150); do
    gw_healthy "$API_PORT" && return 0
    kill -0 "$(cat "$pidf")" 2>/dev/null || { tail -n 5 "$state/gateway.log" >&2; die "the gateway exited; see $state/gateway.log"; }
    sleep 0.1
  done
  die "the gateway did not answer on port $API_PORT within 15 s; see $state/gateway.log"
}

stop_gateway() {
  local pidf="$state/gateway.pid"
  [ -f "$pidf" ] || return 0
  local pid; pid=$(cat "$pidf")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  # the gateway runs in its own session and process group: take anything left of it (workers)
  kill -KILL -- "-$pid" 2>/dev/null || true
  rm -f "$pidf" "$state/gateway.cognito"
}

# cognito-local with the pool, or the shared one of COGNITO_SHARED_ENV; writes $state/cognito.env
start_cognito() {
  if [ -n "${COGNITO_SHARED_ENV:-}" ]; then
    [ -s "$COGNITO_SHARED_ENV" ] || die "COGNITO_SHARED_ENV: $COGNITO_SHARED_ENV is missing"
    local port; port=$(sed -n 's/^COGNITO_URL=http:\/\/127.0.0.1://p' "$COGNITO_SHARED_ENV")
    "$root/scripts/cognito-local.sh" ping "$port" || die "the shared cognito-local (port $port) does not answer"
    if ! cmp -s "$COGNITO_SHARED_ENV" "$state/cognito.env" 2>/dev/null; then
      (umask 077; cp "$COGNITO_SHARED_ENV" "$state/cognito.env.tmp") && mv "$state/cognito.env.tmp" "$state/cognito.env"
    fi
    return 0
  fi
  "$root/scripts/cognito-local.sh" start "$COGNITO_PORT" "$state" 9>&- || die "cognito-local did not start; see $state/cognito.log"
  "$root/scripts/cognito-setup.sh" "$COGNITO_PORT" "$state" 9>&- || die "could not make the user pool in cognito-local"
}

seed() {
  local url=$1
  [ "${BOXOFFICE_SEED:-1}" = "0" ] && return 0
  local list token
  list=$(curl -sS -m 30 "$url/concerts") || die "GET $url/concerts failed"
  [ "$(printf '%s' "$list" | jq 'if type == "array" then length else -1 end')" = "0" ] || return 0
  token=$("$root/scripts/cognito-token.sh" --env "$state/cognito.env") || die "could not sign in as the manager to seed"
  "$root/scripts/seed.sh" "$url" "$token" "$root/assets/concerts.json" >&2 9>&-
}

up() {
  [ "${SKIP_DEPS:-0}" = "1" ] || "$root/scripts/install-deps.sh" >&2
  if [ "${SKIP_BUILD:-0}" != "1" ]; then
    if ! make -s -C "$root/backend" all >"$state.build.log" 2>&1; then
      if [ -x "$gw_bin" ] && [ -x "$boot_bin" ]; then say "build failed (see $state.build.log); using the existing binaries"
      else cat "$state.build.log" >&2; die "build failed"; fi
    fi
    rm -f "$state.build.log"
  fi
  [ -x "$gw_bin" ] && [ -x "$boot_bin" ] || die "backend/build/local-gateway or task/bootstrap missing (make -C backend)"
  "$root/scripts/ddb-local.sh" start "$DYNAMODB_PORT" "$state" 9>&- || die "DynamoDB Local did not start; see $state/dynamodb.log"
  "$gw_bin" --create-tables --dynamodb-endpoint "http://127.0.0.1:$DYNAMODB_PORT" ${STAGE:+--stage "$STAGE"} >>"$state/gateway.log" 2>&1 \
    || { tail -n 3 "$state/gateway.log" >&2; die "could not create the tables"; }
  start_cognito
  rm -f "$state/api-key"   # left by an older stack: an API key no longer authorizes anything
  start_gateway
  local url="http://127.0.0.1:$API_PORT/$(stage_name)"
  printf '%s\n' "$url" >"$state/api-url"
  seed "$url"
  say "API $url (logs in $state/gateway.log)"
  say "sign in as $(sed -n 's/^MANAGER_USER=//p' "$state/cognito.env") / $(sed -n 's/^MANAGER_PASSWORD=//p' "$state/cognito.env") (also in $(display_path "$state/cognito.env"))"
  printf '%s\n' "$url"
}

# a path under the repository relative to it (.local/cognito.env), others as they are
display_path() { case "$1" in "$root"/*) printf '%s' "${1#"$root"/}" ;; *) printf '%s' "$1" ;; esac; }

down() {
  local what=() gw_pid ddb_pid url
  url=$(cat "$state/api-url" 2>/dev/null || true)
  if pid_alive "$state/gateway.pid"; then
    gw_pid=$(cat "$state/gateway.pid")
    what+=("the gateway (pid $gw_pid${url:+, $url})")
  fi
  if pid_alive "$state/cognito.pid"; then
    what+=("cognito-local (pid $(cat "$state/cognito.pid"))")
  fi
  if pid_alive "$state/dynamodb.pid"; then
    ddb_pid=$(cat "$state/dynamodb.pid")
    what+=("DynamoDB Local (pid $ddb_pid)")
  fi
  stop_gateway
  "$root/scripts/cognito-local.sh" stop "$state"
  "$root/scripts/ddb-local.sh" stop "$state"
  rm -f "$state/api-url"
  if [ ${#what[@]} -eq 0 ]; then
    say "nothing was running (state dir $state)"
  else
    local list=${what[0]} i
    for ((i = 1; i < ${#what[@]}; i++)); do
      if [ $i -eq $((${#what[@]} - 1)) ]; then list+=" and ${what[i]}"; else list+=", ${what[i]}"; fi
    done
    say "stopped $list; the data stays in $state/dynamodb and the operators in $state/cognito"
  fi
}

status() {
  local rc=0
  if pid_alive "$state/gateway.pid" && gw_healthy "$API_PORT"; then say "gateway: running (pid $(cat "$state/gateway.pid"), port $API_PORT)"
  else say "gateway: not running"; rc=1; fi
  if pid_alive "$state/dynamodb.pid" && "$root/scripts/ddb-local.sh" ping "$DYNAMODB_PORT"; then say "dynamodb: running (pid $(cat "$state/dynamodb.pid"), port $DYNAMODB_PORT)"
  else say "dynamodb: not running"; rc=1; fi
  local cog_url; cog_url=$(sed -n 's/^COGNITO_URL=//p' "$state/cognito.env" 2>/dev/null || true)
  if pid_alive "$state/cognito.pid" && "$root/scripts/cognito-local.sh" ping "$COGNITO_PORT"; then
    say "cognito-local: running (pid $(cat "$state/cognito.pid"), port $COGNITO_PORT, pool $(sed -n 's/^USER_POOL_ID=//p' "$state/cognito.env" 2>/dev/null))"
  elif [ -n "${COGNITO_SHARED_ENV:-}" ] && [ -n "$cog_url" ] && "$root/scripts/cognito-local.sh" ping "${cog_url##*:}"; then
    say "cognito-local: shared (${cog_url})"
  else say "cognito-local: not running"; rc=1; fi
  [ $rc -eq 0 ] && cat "$state/api-url"
  return $rc
}

cmd=${1:-}
case "$cmd" in
  up|down|status) ;;
  *) echo "usage: $0 up | down | status" >&2; exit 2 ;;
esac
mkdir -p "$state"
state=$(cd "$state" && pwd)
# one `up`/`down` at a time per state dir
exec 9>"$state/.lock"
flock 9
"$cmd"
