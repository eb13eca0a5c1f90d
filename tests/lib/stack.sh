# shellcheck shell=bash
# Sourceable helpers for tests that need their OWN local stack or gateway (to restart, kill or
# misconfigure things without disturbing the shared test stack). Usage:
#
#   source "$root/tests/lib/stack.sh"
#   trap stack_cleanup EXIT              # stops everything this file started, removes its temp dirs
#
#   stack_start [--no-seed]              a private full stack (DynamoDB Local + gateway + real bootstrap)
#                                        on free ports with its own LOCAL_STATE_DIR. Sets:
#                                          STACK_DIR       its LOCAL_STATE_DIR (gateway.log, api-key, ...)
#                                          STACK_API_PORT  STACK_DDB_PORT
#                                          STACK_URL       http://127.0.0.1:<port>/dev
#                                          STACK_TOKEN     the first manager's ID token (send it as
#                                                          -H "Authorization: $STACK_TOKEN")
#                                          STACK_COGNITO_PORT its own cognito-local's port (0: shared)
#                                          STACK_COGNITO_ENV its cognito.env (COGNITO_URL, USER_POOL_ID,
#                                                          CLIENT_ID, MANAGER_USER, MANAGER_PASSWORD)
#                                        Its user pool: the test run's shared cognito-local when
#                                        COGNITO_SHARED_ENV is set (run-tests.sh sets it: one pool per run,
#                                        no node start per stack), else a cognito-local of its own.
#                                        Extra gateway options: set GATEWAY_OPTS before the call.
#   stack_token USER PASSWORD            prints USER's ID token from that pool (STACK_COGNITO_ENV, else
#                                        COGNITO_SHARED_ENV); exit 1 when the sign-in gives none
#   stack_stop                           `local-stack.sh down` for it (the state dir is kept)
#
#   gw_start [local-gateway options...]  one more gateway alone (no DynamoDB Local unless you pass
#                                        --dynamodb-endpoint), e.g. with --bootstrap PATH and
#                                        --config PATH for a test function. Sets GW_PORT, GW_URL
#                                        (http://127.0.0.1:<port>/<stage>), GW_PID, GW_LOG; waits until
#                                        /__gateway/health answers. Only one gw_start gateway at a time.
#   gw_cognito_opts                      the options that make a gw_start gateway on the real serverless.yml
#                                        check the run's user pool (COGNITO_SHARED_ENV, else STACK_COGNITO_ENV):
#                                        gw_start ... $(gw_cognito_opts)
#   gw_stop                              SIGTERM to it, waits (its workers die with it)
#   gw_workers FUNCTION [URLBASE]        pids of FUNCTION's live workers, one a line, from
#                                        GET /__gateway/workers (URLBASE default: GW_URL's host:port)
#   free_port                            prints a TCP port nobody listens on (20000-29999, or
#                                        STACK_PORT_MIN..STACK_PORT_MAX)
#   wait_until SECONDS CMD...            runs CMD every 0.2 s until it succeeds; 1 after SECONDS
#
# HTTP and assertions (a failed check prints what was expected and exits 1):
#   http METHOD URL [curl args...]       sets HTTP_STATUS, HTTP_BODY, HTTP_HEADERS (raw, CRLF stripped);
#                                        an answer of the API is recorded for the contract check
#                                        (tests/lib/openapi_log.sh, when OPENAPI_LOG is set)
#   expect_status CODE                   HTTP_STATUS must be CODE
#   expect_json JQ_FILTER EXPECTED       `jq -r FILTER <<<"$HTTP_BODY"` must print EXPECTED
#   expect_eq WHAT EXPECTED ACTUAL       plain comparison
#   fail MESSAGE                         prints "FAIL: MESSAGE" and exits 1
#   ddb_count TABLE [FILTER_JSON]        items in a DynamoDB Local table (paginated Scan, Select COUNT);
#                                        FILTER_JSON adds {"FilterExpression":...,"ExpressionAttributeValues":...}
#                                        uses DYNAMODB_PORT
#   ddb_scan TABLE [FILTER_JSON]         the items themselves (paginated Scan), as one JSON array of DynamoDB
#                                        JSON items; FILTER_JSON as for ddb_count; uses DYNAMODB_PORT
#   ddb_put TABLE ITEM_JSON              writes one raw item (DynamoDB JSON, e.g. {"id":{"S":"x"}}) straight
#                                        into DynamoDB Local, past the API's validation (SigV4-signed by
#                                        curl --aws-sigv4); uses DYNAMODB_PORT
#
# Everything runs on 127.0.0.1. Requires curl and jq.

_stack_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
_stack_tmp=()
. "$_stack_root/tests/lib/openapi_log.sh"

free_port() {
  local min=${STACK_PORT_MIN:-20000} max=${STACK_PORT_MAX:-29999} p
  for _ in $(seq 1 200); do
    p=$((min + RANDOM % (max - min + 1)))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
  done
  return 1
}

wait_until() {
  local secs=$1; shift
  local end=$((SECONDS + secs))
  while ! "$@"; do
    [ $SECONDS -ge $end ] && return 1
    sleep 0.2
  done
}

stack_start() {
  local seed=1
  [ "${1:-}" = "--no-seed" ] && seed=0
  STACK_DIR=$(mktemp -d "${TMPDIR:-/tmp}/boxoffice-stack.XXXXXX")
  _stack_tmp+=("$STACK_DIR")
  STACK_API_PORT=$(free_port) && STACK_DDB_PORT=$(free_port) || return 1
  while [ "$STACK_DDB_PORT" = "$STACK_API_PORT" ]; do STACK_DDB_PORT=$(free_port); done
  local cog_port=0
  if [ -z "${COGNITO_SHARED_ENV:-}" ]; then
    cog_port=$(free_port) || return 1
    while [ "$cog_port" = "$STACK_API_PORT" ] || [ "$cog_port" = "$STACK_DDB_PORT" ]; do cog_port=$(free_port); done
  fi
  STACK_URL=$(LOCAL_STATE_DIR="$STACK_DIR" API_PORT=$STACK_API_PORT DYNAMODB_PORT=$STACK_DDB_PORT \
    BOXOFFICE_SEED=$seed BOXOFFICE_API_KEY= SKIP_DEPS=1 SKIP_BUILD=1 \
    COGNITO_PORT=$cog_port \
    "$_stack_root/scripts/local-stack.sh" up | tail -n 1) || return 1
  STACK_COGNITO_ENV="$STACK_DIR/cognito.env" STACK_COGNITO_PORT=$cog_port
  STACK_TOKEN=$("$_stack_root/scripts/cognito-token.sh" --env "$STACK_COGNITO_ENV") || return 1
  export STACK_DIR STACK_API_PORT STACK_DDB_PORT STACK_URL STACK_TOKEN STACK_COGNITO_ENV STACK_COGNITO_PORT
}

stack_token() {
  local envf=${STACK_COGNITO_ENV:-${COGNITO_SHARED_ENV:-}}
  [ -n "$envf" ] && [ -s "$envf" ] || { echo "stack_token: no user pool (stack_start, or COGNITO_SHARED_ENV)" >&2; return 1; }
  "$_stack_root/scripts/cognito-token.sh" "$(sed -n 's/^COGNITO_URL=//p' "$envf")" \
    "$(sed -n 's/^CLIENT_ID=//p' "$envf")" "${1:?stack_token USER PASSWORD}" "${2:?stack_token USER PASSWORD}"
}

# stack_operator USER NAME GROUP PASSWORD: a new operator made by the first manager ($TEST_TOKEN) through
# POST /operators on $BOXOFFICE_API_URL, their password set permanent in the shared user pool (cognito-local's
# admin API, as scripts/cognito-setup.sh does): they sign in with USER and PASSWORD. 1 on any failure.
stack_operator() {
  local user=${1:?stack_operator USER NAME GROUP PASSWORD} name=${2:?NAME} group=${3:?GROUP} pass=${4:?PASSWORD}
  local envf=${COGNITO_SHARED_ENV:-} url pool code
  [ -n "$envf" ] && [ -s "$envf" ] && [ -n "${TEST_TOKEN:-}" ] ||
    { echo "stack_operator: no shared user pool (COGNITO_SHARED_ENV, TEST_TOKEN)" >&2; return 1; }
  url=$(sed -n 's/^COGNITO_URL=//p' "$envf"); pool=$(sed -n 's/^USER_POOL_ID=//p' "$envf")
  code=$(jq -nc --arg u "$user" --arg n "$name" --arg g "$group" --arg p "$pass" \
      '{username: $u, name: $n, group: $g, temporaryPassword: $p}' |
    curl -sS -m 30 -o /dev/null -w '%{http_code}' -X POST "${BOXOFFICE_API_URL:?}/operators" \
      -H 'Content-Type: application/json' -H "Authorization: $TEST_TOKEN" --data-binary @-) || return 1
  [ "$code" = 201 ] || { echo "stack_operator: POST /operators answered $code" >&2; return 1; }
  jq -nc --arg p "$pool" --arg u "$user" --arg w "$pass" '{UserPoolId: $p, Username: $u, Password: $w, Permanent: true}' |
    curl -sS -m 20 -o /dev/null -X POST "${url%/}/" -H 'Content-Type: application/x-amz-json-1.1' \
      -H 'X-Amz-Target: AWSCognitoIdentityProviderService.AdminSetUserPassword' --data-binary @- || return 1
}

# stack_operator_token USER NAME GROUP: a new operator (stack_operator, a random password), signed in: prints
# their ID token. 1 on any failure.
stack_operator_token() {
  local user=${1:?stack_operator_token USER NAME GROUP} pass="Op-pass-$RANDOM-$$-Aa1"
  stack_operator "$user" "${2:?NAME}" "${3:?GROUP}" "$pass" || return 1
  stack_token "$user" "$pass"
}

stack_stop() {
  [ -n "${STACK_DIR:-}" ] || return 0
  LOCAL_STATE_DIR="$STACK_DIR" API_PORT=$STACK_API_PORT DYNAMODB_PORT=$STACK_DDB_PORT \
    "$_stack_root/scripts/local-stack.sh" down >/dev/null 2>&1 || true
}

_gw_health() { curl -s -m 2 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1/__gateway/health" 2>/dev/null | grep -q '^200$'; }

gw_start() {
  local dir
  dir=$(mktemp -d "${TMPDIR:-/tmp}/boxoffice-gw.XXXXXX")
  _stack_tmp+=("$dir")
  GW_PORT=$(free_port) || return 1
  GW_LOG="$dir/gateway.log"
  "$_stack_root/backend/build/local-gateway" --port "$GW_PORT" "$@" </dev/null >"$GW_LOG" 2>&1 &
  GW_PID=$!
  if ! wait_until 20 _gw_health "$GW_PORT"; then
    echo "gw_start: gateway did not come up; log:" >&2; cat "$GW_LOG" >&2
    gw_stop
    return 1
  fi
  local stage
  stage=$(curl -s "http://127.0.0.1:$GW_PORT/__gateway/health" | jq -r .stage)
  GW_URL="http://127.0.0.1:$GW_PORT/$stage"
  # the API (for the contract check) unless a fake configuration or function was given
  _OPENAPI_GW_BASE=$GW_URL
  [[ " $* " == *" --config "* || " $* " == *" --bootstrap "* ]] && _OPENAPI_GW_BASE=
  export GW_PORT GW_URL GW_PID GW_LOG
}

gw_cognito_opts() {
  local envf=${COGNITO_SHARED_ENV:-${STACK_COGNITO_ENV:-}} url pool
  [ -n "$envf" ] && [ -s "$envf" ] || { echo "gw_cognito_opts: no user pool" >&2; return 1; }
  url=$(sed -n 's/^COGNITO_URL=//p' "$envf"); pool=$(sed -n 's/^USER_POOL_ID=//p' "$envf")
  printf '%s\n' --cognito-issuer "$url/$pool" --env "COGNITO_ENDPOINT=$url" --env "USER_POOL_ID=$pool"
}

gw_stop() {
  [ -n "${GW_PID:-}" ] || return 0
  kill -TERM "$GW_PID" 2>/dev/null || true
  wait "$GW_PID" 2>/dev/null || true
  GW_PID= _OPENAPI_GW_BASE=
}

gw_workers() {
  local fn=$1 base=${2:-http://127.0.0.1:${GW_PORT:-}}
  curl -s -m 5 "$base/__gateway/workers" | jq -r --arg f "$fn" '.functions[$f].workers[] | select(.state != "stopping") | .pid'
}

stack_cleanup() {
  gw_stop
  stack_stop
  local d
  for d in "${_stack_tmp[@]}"; do [ -n "$d" ] && rm -rf "$d"; done
  _stack_tmp=()
}

fail() { echo "FAIL: $*" >&2; exit 1; }

http() {
  local method=$1 url=$2; shift 2
  local hf bf
  hf=$(mktemp) bf=$(mktemp)
  HTTP_STATUS=$(curl -sS -m 60 -X "$method" -D "$hf" -o "$bf" -w '%{http_code}' "$@" "$url") || HTTP_STATUS=000
  openapi_is_api "$url" && openapi_record "$method" "$url" "$HTTP_STATUS" "$hf" "$bf"
  HTTP_BODY=$(cat "$bf")
  HTTP_HEADERS=$(tr -d '\r' <"$hf")
  rm -f "$hf" "$bf"
}

expect_status() {
  [ "$HTTP_STATUS" = "$1" ] || fail "expected HTTP $1, got $HTTP_STATUS: ${HTTP_BODY:0:300}"
}

expect_json() {
  local got
  got=$(jq -r "$1" <<<"$HTTP_BODY" 2>/dev/null) || fail "body is not JSON: ${HTTP_BODY:0:300}"
  [ "$got" = "$2" ] || fail "expected $1 = '$2', got '$got' in ${HTTP_BODY:0:300}"
}

expect_eq() {
  [ "$2" = "$3" ] || fail "$1: expected '$2', got '$3'"
}

ddb_count() {
  local table=$1 filter=${2:-'{}'} total=0 start='null' page
  while :; do
    page=$(jq -nc --arg t "$table" --argjson f "$filter" --argjson s "$start" \
      '{TableName: $t, Select: "COUNT"} + $f + (if $s == null then {} else {ExclusiveStartKey: $s} end)' |
      curl -sS -m 30 -X POST "http://127.0.0.1:${DYNAMODB_PORT:?}/" \
        -H 'X-Amz-Target: DynamoDB_20120810.Scan' -H 'Content-Type: application/x-amz-json-1.0' \
        -H 'Authorization: AWS4-HMAC-SHA256 Credential=local/20200101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0' \
        --data-binary @-) || return 1
    total=$((total + $(jq -r '.Count // error("no Count")' <<<"$page"))) || return 1
    start=$(jq -c '.LastEvaluatedKey // null' <<<"$page")
    [ "$start" = "null" ] && break
  done
  echo "$total"
}

ddb_scan() {
  local table=$1 filter=${2:-'{}'} all='[]' start='null' page
  while :; do
    page=$(jq -nc --arg t "$table" --argjson f "$filter" --argjson s "$start" \
      '{TableName: $t} + $f + (if $s == null then {} else {ExclusiveStartKey: $s} end)' |
      curl -sS -m 30 -X POST "http://127.0.0.1:${DYNAMODB_PORT:?}/" \
        -H 'X-Amz-Target: DynamoDB_20120810.Scan' -H 'Content-Type: application/x-amz-json-1.0' \
        -H 'Authorization: AWS4-HMAC-SHA256 Credential=local/20200101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0' \
        --data-binary @-) || return 1
    all=$(jq -c --argjson a "$all" '$a + (.Items // error("no Items"))' <<<"$page") || return 1
    start=$(jq -c '.LastEvaluatedKey // null' <<<"$page")
    [ "$start" = "null" ] && break
  done
  echo "$all"
}

ddb_put() {
  local table=$1 item=$2 answer
  answer=$(jq -nc --arg t "$table" --argjson i "$item" '{TableName: $t, Item: $i}' |
    curl -sS -m 30 -X POST "http://127.0.0.1:${DYNAMODB_PORT:?}/" \
      --aws-sigv4 "aws:amz:us-east-1:dynamodb" --user local:local \
      -H 'X-Amz-Target: DynamoDB_20120810.PutItem' -H 'Content-Type: application/x-amz-json-1.0' \
      --data-binary @-) || return 1
  jq -e 'has("__type") | not' <<<"$answer" >/dev/null || { echo "ddb_put: $answer" >&2; return 1; }
}
