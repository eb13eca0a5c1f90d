#!/usr/bin/env bash
# Runs every test of the project and ends with one line "tests: N passed, N failed".
# Conventions (a new test is picked up by dropping a file in the right folder):
#   tests/unit/test_*.c, backend/*/tests/unit/test_*.c,
#   common/tests/test_*.c (built as backend/build/tests/common/test_*)
#                                                         cmocka, no services; run plain and under ASan+UBSan
#   backend/lambda/tests/integration/test_*.c             cmocka against DynamoDB Local
#                                                         (env AWS_ENDPOINT_URL_DYNAMODB, AWS_REGION, credentials)
#   backend/tests/e2e/test_*.sh, tests/e2e/test_*.sh,
#   tests/cli/test_*.sh                                   against the shared test stack (env BOXOFFICE_API_URL,
#                                                         BOXOFFICE_API_KEY, LOCAL_STATE_DIR, API_PORT, DYNAMODB_PORT)
# A script exits 0 on success, 77 when it skips, anything else on failure.
# Every answer of the API that an end-to-end test receives through tests/lib/stack.sh's `http` (or
# tests/lib/openapi_log.sh), and every answer the real client receives in the TUI and CLI suites (through
# the recording pass-through tests/support/record_proxy.py), is recorded in $OPENAPI_LOG; after the
# end-to-end suites the suite "openapi-check" validates them all against docs/openapi.yaml
# (scripts/openapi-check.py).
# ONLY=pattern runs just the suites whose path matches.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
JOBS=${JOBS:-2}
ONLY=${ONLY:-}
pass=0; fail=0; skip=0; failed=()
TEST_STATE=${TEST_STATE:-$root/build/test-state}
logdir="$TEST_STATE/logs"; rm -rf "$logdir"; mkdir -p "$logdir"

say() { printf '%s\n' "$*"; }
run_suite() { # name, command...
  local name=$1; shift
  [ -n "$ONLY" ] && [[ "$name" != *$ONLY* ]] && return 0
  local log="$logdir/$(echo "$name" | tr '/ ' '__').log"
  local t0=$(date +%s.%N)
  "$@" >"$log" 2>&1; local rc=$?
  local dt=$(printf '%.1f' "$(echo "$(date +%s.%N) - $t0" | bc)")
  if [ $rc -eq 0 ]; then pass=$((pass+1)); say "PASS  $name (${dt}s)"
  elif [ $rc -eq 77 ]; then skip=$((skip+1)); say "SKIP  $name ($(tail -n 1 "$log"))"
  else fail=$((fail+1)); failed+=("$name"); say "FAIL  $name (rc=$rc, ${dt}s) — last lines of $log:"; tail -n 25 "$log" | sed 's/^/      /'
  fi
}

say "== build"
if ! { make -s all && make -s unit-tests && make -s -C backend tests package \
       && make -s SANITIZE=1 unit-tests && make -s -C backend SANITIZE=1 tests; } >"$logdir/build.log" 2>&1; then
  tail -n 40 "$logdir/build.log"; say "tests: 0 passed, 1 failed"; exit 1
fi

say "== unit (plain, then ASan+UBSan)"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
for t in build/tests/unit/test_* backend/build/tests/unit/test_* backend/build/tests/common/test_* \
         build/asan/tests/unit/test_* backend/build/asan/tests/unit/test_* backend/build/asan/tests/common/test_*; do
  [ -x "$t" ] && [[ "$t" != *.d ]] && run_suite "$t" "$t"
done

say "== integration (DynamoDB Local)"
export AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_REGION=us-east-1
it_state="$TEST_STATE/ddb"; it_port=${TEST_DDB_PORT:-8950}
rm -rf "$it_state"
if scripts/ddb-local.sh start "$it_port" "$it_state"; then
  export AWS_ENDPOINT_URL_DYNAMODB="http://127.0.0.1:$it_port"
  for t in backend/build/tests/integration/test_* backend/build/asan/tests/integration/test_*; do
    [ -x "$t" ] && [[ "$t" != *.d ]] && run_suite "$t" "$t"
  done
  unset AWS_ENDPOINT_URL_DYNAMODB
else
  fail=$((fail+1)); failed+=("dynamodb-local start")
fi
scripts/ddb-local.sh stop "$it_state"

say "== end to end (local stack: real gateway, real bootstrap, DynamoDB Local)"
export LOCAL_STATE_DIR="$TEST_STATE/stack" API_PORT=${TEST_API_PORT:-3950} DYNAMODB_PORT=${TEST_STACK_DDB_PORT:-8951}
rm -rf "$LOCAL_STATE_DIR"
if [ -x scripts/local-stack.sh ] && url=$(BOXOFFICE_SEED=${BOXOFFICE_SEED:-1} scripts/local-stack.sh up | tail -n 1); then
  export BOXOFFICE_API_URL="$url" BOXOFFICE_API_KEY=$(cat "$LOCAL_STATE_DIR/api-key")
  export OPENAPI_LOG="$TEST_STATE/openapi-answers.jsonl"; rm -f "$OPENAPI_LOG" "$OPENAPI_LOG.lock"
  for t in backend/tests/e2e/test_*.sh tests/e2e/test_*.sh tests/cli/test_*.sh; do
    [ -f "$t" ] && run_suite "$t" bash "$t"
  done
  # whenever an end-to-end suite recorded answers (also under ONLY), or when asked for by name
  if [ -s "$OPENAPI_LOG" ] || [[ "openapi-check" == *$ONLY* ]]; then
    before=$pass
    ONLY= run_suite "openapi-check (every recorded answer against docs/openapi.yaml)" \
      /usr/bin/python3 scripts/openapi-check.py docs/openapi.yaml "$OPENAPI_LOG"
    [ $pass -gt $before ] && grep -h '^openapi-check:' "$logdir"/openapi-check*.log | sed 's/^/      /'
  fi
  unset OPENAPI_LOG
else
  fail=$((fail+1)); failed+=("local stack start")
fi
[ -x scripts/local-stack.sh ] && scripts/local-stack.sh down >/dev/null 2>&1

for extra in scripts/check-memory.sh scripts/fuzz-ci.sh; do
  [ -x "$extra" ] && { say "== $(basename "$extra" .sh)"; run_suite "$extra" "$extra"; }
done

say ""
[ ${#failed[@]} -gt 0 ] && say "failed: ${failed[*]}"
say "tests: $pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
