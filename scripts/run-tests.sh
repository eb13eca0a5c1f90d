#!/usr/bin/env bash
# Runs every test of the project and ends with one line "tests: N passed, N failed, N skipped".
# Conventions (a new test is picked up by dropping a file in the right folder):
#   tests/unit/test_*.c, backend/*/tests/unit/test_*.c,
#   common/tests/test_*.c (built as backend/build/tests/common/test_*)
#                                                         cmocka, no services; run plain and under ASan+UBSan
#   backend/lambda/tests/integration/test_*.c             cmocka against DynamoDB Local
#                                                         (env AWS_ENDPOINT_URL_DYNAMODB, AWS_REGION, credentials)
#   backend/tests/e2e/test_*.sh, tests/e2e/test_*.sh,
#   tests/cli/test_*.sh                                   against the shared test stack (env BOXOFFICE_API_URL,
#                                                         LOCAL_STATE_DIR, API_PORT, DYNAMODB_PORT; the user pool:
#                                                         BOXOFFICE_COGNITO_URL, BOXOFFICE_CLIENT_ID, the first
#                                                         manager's BOXOFFICE_USER / BOXOFFICE_PASSWORD and his ID
#                                                         token TEST_TOKEN for `Authorization: $TEST_TOKEN`;
#                                                         COGNITO_SHARED_ENV: tests/lib/stack.sh's stacks use
#                                                         the same cognito-local, one pool per run)
#   tests/scripts/test_*.sh                               the runner and the docs themselves; no services
# A script exits 0 on success, 77 when it skips, anything else on failure.
# Every answer of the API that an end-to-end test receives through tests/lib/stack.sh's `http` (or
# tests/lib/openapi_log.sh), and every answer the real client receives in the TUI and CLI suites (through
# the recording pass-through tests/support/record_proxy.py), is recorded in $OPENAPI_LOG; after the
# end-to-end suites the suite "openapi-check" validates them all against docs/openapi.yaml
# (scripts/openapi-check.py).
# ONLY=pattern runs just the suites whose path matches, and builds and starts only what they need: the client
# or backend tests' build, DynamoDB Local for an integration suite, the stack for an end-to-end or CLI suite.
# The ASan+UBSan twin (build/asan, backend/build/asan) is built and run in the full run, or under ONLY when
# SANITIZE=1 is set or the pattern names it (contains "asan"). The openapi-check runs when answers were
# recorded, or when ONLY names it.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
JOBS=${JOBS:-2}
ONLY=${ONLY:-}
# SANITIZE in the environment would turn make's plain builds into sanitizer builds: read it, then drop it.
want_asan=${SANITIZE:-}; unset SANITIZE
pass=0; fail=0; skip=0; failed=()
TEST_STATE=${TEST_STATE:-$root/build/test-state}
logdir="$TEST_STATE/logs"; rm -rf "$logdir"; mkdir -p "$logdir"

say() { printf '%s\n' "$*"; }
selected() { [ -z "$ONLY" ] || [[ "$1" == *$ONLY* ]]; }   # name: is the suite part of this run?
any_selected() { local n; for n in "$@"; do selected "$n" && return 0; done; return 1; }
run_suite() { # name, command...
  local name=$1; shift
  selected "$name" || return 0
  local log="$logdir/$(echo "$name" | tr '/ ' '__').log"
  local t0=$(date +%s.%N)
  "$@" >"$log" 2>&1; local rc=$?
  local dt=$(printf '%.1f' "$(echo "$(date +%s.%N) - $t0" | bc)")
  if [ $rc -eq 0 ]; then pass=$((pass+1)); say "PASS  $name (${dt}s)"
  elif [ $rc -eq 77 ]; then skip=$((skip+1)); say "SKIP  $name ($(tail -n 1 "$log"))"
  else fail=$((fail+1)); failed+=("$name"); say "FAIL  $name (rc=$rc, ${dt}s) — last lines of $log:"; tail -n 25 "$log" | sed 's/^/      /'
  fi
}

# ---- which suites: their names, known from the sources before anything is built --------------------------
names() { # prefix, files...: prefix + each file's name without folder and extension
  local p=$1 f; shift
  for f in "$@"; do [ -f "$f" ] && { f=${f##*/}; printf '%s\n' "$p${f%.*}"; }; done
}
mapfile -t client_unit  < <(names build/tests/unit/ tests/unit/test_*.c)
mapfile -t backend_unit < <(names backend/build/tests/unit/ backend/*/tests/unit/test_*.c
                            names backend/build/tests/common/ common/tests/test_*.c)
mapfile -t integration  < <(names backend/build/tests/integration/ backend/lambda/tests/integration/test_*.c)
e2e=(); for t in backend/tests/e2e/test_*.sh tests/e2e/test_*.sh tests/cli/test_*.sh; do [ -f "$t" ] && e2e+=("$t"); done
# the sanitizer twin: always in the full run; under ONLY when asked for
asan=0
if [ -z "$ONLY" ] || [ "$want_asan" = 1 ] || [[ "$ONLY" == *asan* ]]; then asan=1; fi
client_twin=("${client_unit[@]/#build\//build/asan/}")
backend_twin=("${backend_unit[@]/#backend\/build\//backend/build/asan/}")
integration_twin=("${integration[@]/#backend\/build\//backend/build/asan/}")
need_client=0; need_backend=0; need_client_twin=0; need_backend_twin=0; need_ddb=0; need_stack=0
any_selected "${client_unit[@]}" && need_client=1
any_selected "${backend_unit[@]}" "${integration[@]}" && need_backend=1
any_selected "${integration[@]}" && need_ddb=1
any_selected "${e2e[@]}" && need_stack=1
if [ $asan = 1 ]; then
  any_selected "${client_twin[@]}" && need_client_twin=1
  any_selected "${backend_twin[@]}" "${integration_twin[@]}" && need_backend_twin=1
  any_selected "${integration_twin[@]}" && need_ddb=1
fi

say "== build"
steps=()   # make command lines, in order
if [ -z "$ONLY" ]; then
  steps=("make -s all" "make -s unit-tests" "make -s -C backend tests package"
         "make -s SANITIZE=1 unit-tests" "make -s -C backend SANITIZE=1 tests")
else
  if [ $need_stack = 1 ]; then steps+=("make -s all" "make -s unit-tests" "make -s -C backend tests package")
  else
    [ $need_client = 1 ] && steps+=("make -s all unit-tests")
    [ $need_backend = 1 ] && steps+=("make -s -C backend tests")
  fi
  [ $need_client_twin = 1 ] && steps+=("make -s SANITIZE=1 unit-tests")
  [ $need_backend_twin = 1 ] && steps+=("make -s -C backend SANITIZE=1 tests")
  if [ ${#steps[@]} -eq 0 ]; then say "   nothing to build"
  else printf -v line '%s && ' "${steps[@]}"; say "   ${line% && }"; fi
fi
build() { local s; for s in "${steps[@]}"; do $s || return 1; done; }
if ! build >"$logdir/build.log" 2>&1; then
  tail -n 40 "$logdir/build.log"; say "tests: 0 passed, 1 failed"; exit 1
fi

say "== unit (plain, then ASan+UBSan)"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
for t in build/tests/unit/test_* backend/build/tests/unit/test_* backend/build/tests/common/test_* \
         build/asan/tests/unit/test_* backend/build/asan/tests/unit/test_* backend/build/asan/tests/common/test_*; do
  [ $asan = 0 ] && [[ "$t" == */asan/* ]] && continue
  [ -x "$t" ] && [[ "$t" != *.d ]] && run_suite "$t" "$t"
done

export AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_REGION=us-east-1
if [ -n "$ONLY" ] && [ $need_ddb = 0 ]; then
  say "== integration (DynamoDB Local): not started, no selected suite needs it"
else
  say "== integration (DynamoDB Local)"
  it_state="$TEST_STATE/ddb"; it_port=${TEST_DDB_PORT:-8950}
  rm -rf "$it_state"
  if scripts/ddb-local.sh start "$it_port" "$it_state"; then
    export AWS_ENDPOINT_URL_DYNAMODB="http://127.0.0.1:$it_port"
    for t in backend/build/tests/integration/test_* backend/build/asan/tests/integration/test_*; do
      [ $asan = 0 ] && [[ "$t" == */asan/* ]] && continue
      [ -x "$t" ] && [[ "$t" != *.d ]] && run_suite "$t" "$t"
    done
    unset AWS_ENDPOINT_URL_DYNAMODB
  else
    fail=$((fail+1)); failed+=("dynamodb-local start")
  fi
  scripts/ddb-local.sh stop "$it_state"
fi

export OPENAPI_LOG="$TEST_STATE/openapi-answers.jsonl"; rm -f "$OPENAPI_LOG" "$OPENAPI_LOG.lock"
stack_ran=0
if [ -n "$ONLY" ] && [ $need_stack = 0 ]; then
  say "== end to end (local stack): not started, no selected suite needs it"
else
  say "== end to end (local stack: real gateway, real bootstrap, DynamoDB Local)"
  export LOCAL_STATE_DIR="$TEST_STATE/stack" API_PORT=${TEST_API_PORT:-3950} DYNAMODB_PORT=${TEST_STACK_DDB_PORT:-8951}
  rm -rf "$LOCAL_STATE_DIR"
  # one cognito-local and one user pool for the whole run: the shared stack and every stack a test starts
  # (tests/lib/stack.sh) take their tokens from it
  cog_state="$TEST_STATE/cognito"; cog_port=${TEST_COGNITO_PORT:-8952}
  rm -rf "$cog_state"
  unset BOXOFFICE_API_KEY COGNITO_SHARED_ENV
  if scripts/cognito-local.sh start "$cog_port" "$cog_state" && scripts/cognito-setup.sh "$cog_port" "$cog_state" \
     && TEST_TOKEN=$(scripts/cognito-token.sh --env "$cog_state/cognito.env"); then
    export COGNITO_SHARED_ENV="$cog_state/cognito.env" COGNITO_PORT=$cog_port TEST_TOKEN
    BOXOFFICE_COGNITO_URL=$(sed -n 's/^COGNITO_URL=//p' "$COGNITO_SHARED_ENV")
    BOXOFFICE_CLIENT_ID=$(sed -n 's/^CLIENT_ID=//p' "$COGNITO_SHARED_ENV")
    BOXOFFICE_USER=$(sed -n 's/^MANAGER_USER=//p' "$COGNITO_SHARED_ENV")
    BOXOFFICE_PASSWORD=$(sed -n 's/^MANAGER_PASSWORD=//p' "$COGNITO_SHARED_ENV")
    export BOXOFFICE_COGNITO_URL BOXOFFICE_CLIENT_ID BOXOFFICE_USER BOXOFFICE_PASSWORD
    if [ -x scripts/local-stack.sh ] && url=$(BOXOFFICE_SEED=${BOXOFFICE_SEED:-1} scripts/local-stack.sh up | tail -n 1); then
      export BOXOFFICE_API_URL="$url"
      for t in "${e2e[@]}"; do
        run_suite "$t" bash "$t"
      done
      stack_ran=1
    else
      fail=$((fail+1)); failed+=("local stack start")
    fi
    [ -x scripts/local-stack.sh ] && scripts/local-stack.sh down >/dev/null 2>&1
  else
    fail=$((fail+1)); failed+=("cognito-local start")
  fi
  scripts/cognito-local.sh stop "$cog_state"
fi
# whenever an end-to-end suite recorded answers (also under ONLY), after the stack's suites in the full run,
# or when asked for by name
if [ -s "$OPENAPI_LOG" ] || { [[ "openapi-check" == *$ONLY* ]] && { [ $stack_ran = 1 ] || [ -n "$ONLY" ]; }; }; then
  before=$pass
  ONLY= run_suite "openapi-check (every recorded answer against docs/openapi.yaml)" \
    /usr/bin/python3 scripts/openapi-check.py docs/openapi.yaml "$OPENAPI_LOG"
  [ $pass -gt $before ] && grep -h '^openapi-check:' "$logdir"/openapi-check*.log | sed 's/^/      /'
fi
unset OPENAPI_LOG

scripts_suites=(tests/scripts/test_*.sh)
if [ -f "${scripts_suites[0]}" ] && any_selected "${scripts_suites[@]}"; then
  say "== scripts (the runner, the docs)"
  for t in "${scripts_suites[@]}"; do run_suite "$t" bash "$t"; done
fi

for extra in scripts/check-memory.sh scripts/fuzz-ci.sh; do
  [ -x "$extra" ] && selected "$extra" && { say "== $(basename "$extra" .sh)"; run_suite "$extra" "$extra"; }
done

say ""
[ ${#failed[@]} -gt 0 ] && say "failed: ${failed[*]}"
say "tests: $pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
