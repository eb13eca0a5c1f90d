#!/usr/bin/env bash
# Records the trace the model of DynamoDB (bench/ddbsim) replays: the function's real DynamoDB requests for
# each operation of DESIGN19 §D (issue 19).
#
#   bench/model/record.sh OUT.jsonl
#
# Starts a stack of its own (bench/stack.sh's pstack_up): DynamoDB Local, the tables of backend/serverless.yml,
# a user pool (the test run's shared cognito-local when COGNITO_SHARED_ENV is set and it answers, else a
# cognito-local of its own), and the local gateway running the packaged function (backend/build/task/bootstrap:
# `make -C backend package`), whose DynamoDB endpoint (the gateway's --dynamodb-endpoint, which it gives the
# function as AWS_ENDPOINT_URL_DYNAMODB) is the recorder bench/model/ddb_record.py in front of DynamoDB Local;
# the driver's own requests (tables, items) go to DynamoDB Local straight and are not recorded. Then
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
cd "$root"
source tests/lib/stack.sh   # free_port, wait_until
source bench/stack.sh       # pstack_up / pstack_down: the private stack whose workers talk to another endpoint

[ -x backend/build/local-gateway ] && [ -x backend/build/task/bootstrap ] ||
  { echo "record: backend/build/local-gateway or task/bootstrap missing (make -C backend all package)" >&2; exit 1; }

keep_state=1
state=${REC_STATE:-}
if [ -z "$state" ]; then state=$(mktemp -d "${TMPDIR:-/tmp}/boxoffice-record.XXXXXX"); keep_state=0; fi
mkdir -p "$state"; state=$(cd "$state" && pwd)
rm -rf "$state/dynamodb" "$state/calls.jsonl" "$state/rec.port"
rec_pid=""

cleanup() {
  pstack_down "$state"
  [ -n "$rec_pid" ] && { kill "$rec_pid" 2>/dev/null || true; wait "$rec_pid" 2>/dev/null || true; }
  if [ $keep_state = 0 ]; then rm -rf "$state"; fi
}
trap cleanup EXIT

pick() { local p; p=$(free_port) || return 1; while [[ " $* " == *" $p "* ]]; do p=$(free_port) || return 1; done; echo "$p"; }
ddb_port=${REC_DDB_PORT:-$(pick)}
api_port=${REC_API_PORT:-$(pick "$ddb_port")}
# the test run's user pool when it still answers (run-tests.sh stops it after the end-to-end suites)
shared_cog_port=$(sed -n 's/^COGNITO_URL=http:\/\/127.0.0.1://p' "${COGNITO_SHARED_ENV:-/dev/null}" 2>/dev/null || true)
if [ -z "$shared_cog_port" ] || ! scripts/cognito-local.sh ping "$shared_cog_port"; then
  unset COGNITO_SHARED_ENV
  export PSTACK_COGNITO_PORT=${REC_COGNITO_PORT:-$(pick "$ddb_port" "$api_port")}
fi
export AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_REGION=us-east-1

t0=$SECONDS
# the recorder first (it reaches DynamoDB Local per request): the gateway's workers are pointed at it
python3 bench/model/ddb_record.py "http://127.0.0.1:$ddb_port" "$state/calls.jsonl" "$state/rec.port" &
rec_pid=$!
wait_until 10 test -s "$state/rec.port" || { echo "record: the recorder did not start" >&2; exit 1; }
rec_port=$(cat "$state/rec.port")
api=$(pstack_up "$state" "$api_port" "$ddb_port" "http://127.0.0.1:$rec_port" >/dev/null 2>"$state/up.log" &&
      echo "http://127.0.0.1:$api_port/dev") || { cat "$state/up.log" >&2; echo "record: the stack did not start" >&2; exit 1; }
echo "record: stack up in $((SECONDS - t0)) s" >&2

python3 bench/model/record_ops.py --api "$api" --recorder "http://127.0.0.1:$rec_port" \
  --ddb "http://127.0.0.1:$ddb_port" --cognito-env "$state/cognito.env" --calls "$state/calls.jsonl" --out "$out" \
  --root "$root"
echo "record: $out in $((SECONDS - t0)) s" >&2
