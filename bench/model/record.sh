#!/usr/bin/env bash
# Records the trace the model of DynamoDB (bench/ddbsim) replays: the function's real DynamoDB requests for
# each operation of DESIGN19 §D (issue 19).
#
#   bench/model/record.sh OUT.jsonl
#
# Starts a stack of its own: DynamoDB Local, a user pool (the test run's shared cognito-local when
# COGNITO_SHARED_ENV is set and it answers, else a cognito-local of its own), the tables of backend/serverless.yml, and the
# local gateway running the packaged function (backend/build/task/bootstrap: `make -C backend package`), whose
# DynamoDB endpoint (the gateway's --dynamodb-endpoint, AWS_ENDPOINT_URL_DYNAMODB in the function's
# environment) is the recorder bench/model/ddb_record.py in front of DynamoDB Local. Then
# bench/model/record_ops.py makes the labelled API requests one at a time (concerts of 500 and 20,000 seats,
# orders of 1 to 4, check-ins as a door operator, refunds, stats, a 2,000-seat concert sold out, a short order)
# and writes OUT: the meta line, the tables, the calls, the items. Everything it started is stopped at the end.
# Ports: REC_DDB_PORT, REC_API_PORT, REC_COGNITO_PORT (default: free ones, tests/lib/stack.sh's free_port,
# between STACK_PORT_MIN and STACK_PORT_MAX); the recorder takes one the system chooses. State in a temporary
# directory (REC_STATE: that one, kept). Nothing secret is printed: the manager's password stays in the state's
# cognito.env (mode 0600), tokens in memory.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:?usage: record.sh OUT.jsonl}
case $out in /*) ;; *) out="$PWD/$out" ;; esac
source "$root/tests/lib/stack.sh"   # free_port, wait_until

gw_bin="$root/backend/build/local-gateway"
[ -x "$gw_bin" ] && [ -x "$root/backend/build/task/bootstrap" ] ||
  { echo "record: backend/build/local-gateway or task/bootstrap missing (make -C backend all package)" >&2; exit 1; }

keep_state=1
state=${REC_STATE:-}
if [ -z "$state" ]; then state=$(mktemp -d "${TMPDIR:-/tmp}/boxoffice-record.XXXXXX"); keep_state=0; fi
mkdir -p "$state"; state=$(cd "$state" && pwd)
rm -rf "$state/dynamodb" "$state/calls.jsonl" "$state/rec.port"
own_cognito=0 gw_pid="" rec_pid=""

cleanup() {
  if [ -n "$gw_pid" ]; then
    kill -TERM "$gw_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$gw_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$gw_pid" 2>/dev/null || kill -KILL "$gw_pid" 2>/dev/null || true
  fi
  [ -n "$rec_pid" ] && { kill "$rec_pid" 2>/dev/null || true; wait "$rec_pid" 2>/dev/null || true; }
  [ $own_cognito = 1 ] && "$root/scripts/cognito-local.sh" stop "$state" >/dev/null 2>&1
  "$root/scripts/ddb-local.sh" stop "$state" >/dev/null 2>&1 || true
  if [ $keep_state = 0 ]; then rm -rf "$state"; fi
}
trap cleanup EXIT

pick() { local p; p=$(free_port) || return 1; while [[ " $* " == *" $p "* ]]; do p=$(free_port) || return 1; done; echo "$p"; }
ddb_port=${REC_DDB_PORT:-$(pick)}
api_port=${REC_API_PORT:-$(pick "$ddb_port")}
export AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_REGION=us-east-1

t0=$SECONDS
"$root/scripts/ddb-local.sh" start "$ddb_port" "$state"
"$gw_bin" --create-tables --dynamodb-endpoint "http://127.0.0.1:$ddb_port" >"$state/tables.log" 2>&1 ||
  { tail -n 5 "$state/tables.log" >&2; echo "record: could not create the tables" >&2; exit 1; }
shared_cog_port=$(sed -n 's/^COGNITO_URL=http:\/\/127.0.0.1://p' "${COGNITO_SHARED_ENV:-/dev/null}" 2>/dev/null || true)
if [ -n "$shared_cog_port" ] && "$root/scripts/cognito-local.sh" ping "$shared_cog_port"; then
  (umask 077; cp "$COGNITO_SHARED_ENV" "$state/cognito.env")
else
  cog_port=${REC_COGNITO_PORT:-$(pick "$ddb_port" "$api_port")}
  own_cognito=1
  "$root/scripts/cognito-local.sh" start "$cog_port" "$state"
  "$root/scripts/cognito-setup.sh" "$cog_port" "$state" >/dev/null
fi
cog_url=$(sed -n 's/^COGNITO_URL=//p' "$state/cognito.env")
pool=$(sed -n 's/^USER_POOL_ID=//p' "$state/cognito.env")

python3 "$root/bench/model/ddb_record.py" "http://127.0.0.1:$ddb_port" "$state/calls.jsonl" "$state/rec.port" &
rec_pid=$!
wait_until 10 test -s "$state/rec.port" || { echo "record: the recorder did not start" >&2; exit 1; }
rec_port=$(cat "$state/rec.port")

setsid "$gw_bin" --port "$api_port" --dynamodb-endpoint "http://127.0.0.1:$rec_port" \
  --cognito-issuer "$cog_url/$pool" --env "COGNITO_ENDPOINT=$cog_url" --env "USER_POOL_ID=$pool" \
  </dev/null >"$state/gateway.log" 2>&1 &
gw_pid=$!
wait_until 15 _gw_health "$api_port" || { tail -n 5 "$state/gateway.log" >&2; echo "record: the gateway did not start" >&2; exit 1; }
stage=$(curl -s "http://127.0.0.1:$api_port/__gateway/health" | jq -r .stage)
echo "record: stack up in $((SECONDS - t0)) s" >&2

python3 "$root/bench/model/record_ops.py" --api "http://127.0.0.1:$api_port/$stage" \
  --recorder "http://127.0.0.1:$rec_port" --ddb "http://127.0.0.1:$ddb_port" --cognito-env "$state/cognito.env" \
  --calls "$state/calls.jsonl" --out "$out" --root "$root"
echo "record: $out in $((SECONDS - t0)) s" >&2
