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
#                                                         BOXOFFICE_TERMINAL "test-till", where that manager has
#                                                         an open shift (float 0.00) for cash sales and refunds;
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
# Both cores are used: JOBS (2) make jobs and unit suites at a time; the end-to-end suites in E2E_LANES (2)
# lanes (own_stack below says which suites may run beside the shared-stack ones). At the end: the 15 slowest
# suites and each phase's wall time; every suite's seconds in $TEST_STATE/logs/times.tsv.
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
# Every suite's seconds, one line each ("12.3<TAB>name"), for the sorted summary at the end.
times="$logdir/times.tsv"; : >"$times"
suite_exec() { # name, command... -> S_RC, S_DT (seconds); the output goes to the suite's log
  local name=$1; shift
  local log="$logdir/$(echo "$name" | tr '/ ' '__').log"
  local t0=$(date +%s.%N)
  "$@" >"$log" 2>&1; S_RC=$?
  S_DT=$(printf '%.1f' "$(echo "$(date +%s.%N) - $t0" | bc)")
  printf '%s\t%s\n' "$S_DT" "$name" >>"$times"
}
suite_print() { # name, rc, seconds: its PASS/SKIP line, or FAIL with the last lines of its log, in one write
  local name=$1 rc=$2 dt=$3 log="$logdir/$(echo "$1" | tr '/ ' '__').log" out
  if [ "$rc" -eq 0 ]; then out="PASS  $name (${dt}s)"
  elif [ "$rc" -eq 77 ]; then out="SKIP  $name ($(tail -n 1 "$log"))"
  else out="FAIL  $name (rc=$rc, ${dt}s) — last lines of $log:"$'\n'"$(tail -n 25 "$log" | sed 's/^/      /')"
  fi
  printf '%s\n' "$out"
}
tally() { # rc, name: counts the result
  if [ "$1" -eq 0 ]; then pass=$((pass+1)); elif [ "$1" -eq 77 ]; then skip=$((skip+1))
  else fail=$((fail+1)); failed+=("$2"); fi
}
run_suite() { # name, command...
  selected "$1" || return 0
  suite_exec "$@"; suite_print "$1" "$S_RC" "$S_DT"; tally "$S_RC" "$1"
}
run_pool() { # executable...: the selected ones, JOBS at a time, each reported as it ends, counted after all
  local res="$logdir/pool.results" t rc running=0 started=0 ended=0
  : >"$res"
  for t in "$@"; do
    selected "$t" || continue
    if [ $running -ge "$JOBS" ]; then wait -n; running=$((running - 1)); fi
    ( suite_exec "$t" "$t"; suite_print "$t" "$S_RC" "$S_DT"; printf '%s %s\n' "$S_RC" "$t" >>"$res" ) &
    running=$((running + 1)); started=$((started + 1))
  done
  wait
  while read -r rc t; do tally "$rc" "$t"; ended=$((ended + 1)); done <"$res"
  [ $ended -eq $started ] || { fail=$((fail+1)); failed+=("unit pool: $started started, $ended reported"); }
}
# Wall time of each phase, for the breakdown at the end.
phases=(); phase_t0=$SECONDS; phase_name=""
phase() { # name of the phase that starts now ("" at the end)
  [ -n "$phase_name" ] && phases+=("$phase_name $((SECONDS - phase_t0))s")
  phase_name=$1; phase_t0=$SECONDS
}
run_t0=$SECONDS

# ---- which suites: their names, known from the sources before anything is built --------------------------
names() { # prefix, files...: prefix + each file's name without folder and extension
  local p=$1 f; shift
  for f in "$@"; do [ -f "$f" ] && { f=${f##*/}; printf '%s\n' "$p${f%.*}"; }; done
}
mapfile -t client_unit  < <(names build/tests/unit/ tests/unit/test_*.c)
mapfile -t backend_unit < <(names backend/build/tests/unit/ backend/*/tests/unit/test_*.c
                            names backend/build/tests/common/ common/tests/test_*.c)
mapfile -t integration  < <(names backend/build/tests/integration/ backend/lambda/tests/integration/test_*.c)
# The end-to-end suites that run beside the shared-stack ones (E2E_LANES=1: all one after another): each
# starts its own stack or gateway (tests/lib/stack.sh), uses only tables of its own in the shared DynamoDB
# Local, or needs no service. A suite not named here runs in the shared-stack lane, which is always safe.
E2E_LANES=${E2E_LANES:-2}
own_stack() {
  case $1 in
    */test_aftersale.sh|*/test_aftersale_concurrency.sh|*/test_artifact_*.sh|*/test_deploy_*.sh) return 0 ;;
    */test_fault_*.sh|*/test_gateway_event.sh|*/test_gateway_failures.sh|*/test_gateway_http_strict.sh) return 0 ;;
    */test_local_restart.sh|*/test_local_up_down.sh|*/test_lookup.sh|*/test_openapi_lint.sh) return 0 ;;
    */test_orders_concurrency.sh|*/test_stored_items.sh|*/test_warm_reuse.sh) return 0 ;;
    tests/e2e/test_make_run.sh|tests/e2e/test_tui_bad_records.sh|tests/e2e/test_tui_door.sh) return 0 ;;
    tests/e2e/test_tui_outage.sh|tests/cli/test_cli_bad_records.sh) return 0 ;;
  esac
  return 1
}
# The longest own-stack suites (about a minute each, busy on both cores) are taken from the queue first, so
# that neither lane is left with one of them at the end.
own_slow() { case $1 in */test_lookup.sh|*/test_aftersale_concurrency.sh|*/test_orders_concurrency.sh) return 0 ;; esac; return 1; }
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
phase build
steps=()   # make command lines, in order
if [ -z "$ONLY" ]; then
  steps=("make -s all" "make -s unit-tests" "make -s -C backend tests package" "make -s -C bench all"
         "make -s SANITIZE=1 unit-tests" "make -s -C backend SANITIZE=1 tests")
else
  # bench's tools too: the fault suites and the terminal suites' faultproxy would each make them, in two lanes
  if [ $need_stack = 1 ]; then steps+=("make -s all" "make -s unit-tests" "make -s -C backend tests package" "make -s -C bench all")
  else
    [ $need_client = 1 ] && steps+=("make -s all unit-tests")
    [ $need_backend = 1 ] && steps+=("make -s -C backend tests")
  fi
  [ $need_client_twin = 1 ] && steps+=("make -s SANITIZE=1 unit-tests")
  [ $need_backend_twin = 1 ] && steps+=("make -s -C backend SANITIZE=1 tests")
  if [ ${#steps[@]} -eq 0 ]; then say "   nothing to build"
  else printf -v line '%s && ' "${steps[@]}"; say "   ${line% && }"; fi
fi
build() { local s; for s in "${steps[@]}"; do MAKEFLAGS="${MAKEFLAGS:-} -j$JOBS" $s || return 1; done; }   # JOBS jobs
if ! build >"$logdir/build.log" 2>&1; then
  tail -n 40 "$logdir/build.log"; say "tests: 0 passed, 1 failed"; exit 1
fi

say "== unit (plain, then ASan+UBSan; $JOBS at a time)"
phase unit
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
units=()
for t in build/tests/unit/test_* backend/build/tests/unit/test_* backend/build/tests/common/test_* \
         build/asan/tests/unit/test_* backend/build/asan/tests/unit/test_* backend/build/asan/tests/common/test_*; do
  [ $asan = 0 ] && [[ "$t" == */asan/* ]] && continue
  [ -x "$t" ] && [[ "$t" != *.d ]] && units+=("$t")
done
[ ${#units[@]} -gt 0 ] && run_pool "${units[@]}"

export AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_REGION=us-east-1
if [ -n "$ONLY" ] && [ $need_ddb = 0 ]; then
  say "== integration (DynamoDB Local): not started, no selected suite needs it"
else
  say "== integration (DynamoDB Local)"
  phase integration
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
  phase e2e
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
      # The first manager's open shift (issue 18: a cash sale or refund needs the seller's open shift): opened
      # once here, by the client itself, at the terminal every suite's client names; the box office and the CLI
      # send it with each cash order and refund by themselves. A suite that closes it opens it again.
      export BOXOFFICE_TERMINAL=${BOXOFFICE_TERMINAL:-test-till}
      if ! XDG_CONFIG_HOME="$TEST_STATE/shift-config" build/boxoffice shift open --float 0.00 \
           >"$logdir/manager-shift.log" 2>&1; then
        say "the first manager's shift did not open:"; sed 's/^/      /' "$logdir/manager-shift.log"
        fail=$((fail+1)); failed+=("the first manager's shift")
      fi
      # Two lanes side by side (2 cores; most of these suites wait on tmux, sleeps and sockets). The suites that
      # use the shared stack run one after another in the first lane, as before; the own-stack suites only
      # touch stacks, gateways and tables of their own (or nothing), so they cannot disturb what the shared-stack
      # suites count: the second lane takes them one by one from a queue, and the first lane joins it when its
      # own list is done. Private stacks draw their ports from a separate range in each lane.
      shared=(); own=()
      for t in "${e2e[@]}"; do
        selected "$t" || continue
        if own_stack "$t" && [ "$E2E_LANES" -ge 2 ]; then own+=("$t"); else shared+=("$t"); fi
      done
      slow=(); rest=()
      for t in "${own[@]}"; do if own_slow "$t"; then slow+=("$t"); else rest+=("$t"); fi; done
      own=("${slow[@]}" "${rest[@]}")
      queue="$logdir/own-queue"; echo 0 >"$queue"
      own_next() { # prints the next own-stack suite that no lane has taken yet; fails when none is left
        local i
        i=$(flock "$queue.lock" bash -c 'i=$(cat "$1"); echo $((i + 1)) >"$1"; echo "$i"' _ "$queue")
        [ "$i" -lt ${#own[@]} ] && printf '%s\n' "${own[$i]}"
      }
      lane_res="$logdir/own-lane.results"; : >"$lane_res"; lane_pid=""; lane_n=0
      if [ ${#own[@]} -gt 0 ]; then
        ( export STACK_PORT_MIN=25000 STACK_PORT_MAX=29999
          while t=$(own_next); do
            suite_exec "$t" bash "$t"; suite_print "$t" "$S_RC" "$S_DT"
            printf '%s %s\n' "$S_RC" "$t" >>"$lane_res"
          done ) &
        lane_pid=$!
      fi
      for t in "${shared[@]}"; do STACK_PORT_MIN=20000 STACK_PORT_MAX=24999 run_suite "$t" bash "$t"; done
      while t=$(own_next); do STACK_PORT_MIN=20000 STACK_PORT_MAX=24999 run_suite "$t" bash "$t"; lane_n=$((lane_n+1)); done
      if [ -n "$lane_pid" ]; then
        wait "$lane_pid"
        while read -r rc t; do tally "$rc" "$t"; lane_n=$((lane_n+1)); done <"$lane_res"
      fi
      # every own-stack suite ran in one lane or the other
      [ $lane_n -eq ${#own[@]} ] || { fail=$((fail+1)); failed+=("own-stack suites: ${#own[@]}, $lane_n ran"); }
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
  phase openapi-check
  ONLY= run_suite "openapi-check (every recorded answer against docs/openapi.yaml)" \
    /usr/bin/python3 scripts/openapi-check.py docs/openapi.yaml "$OPENAPI_LOG"
  [ $pass -gt $before ] && grep -h '^openapi-check:' "$logdir"/openapi-check*.log | sed 's/^/      /'
fi
unset OPENAPI_LOG

scripts_suites=(tests/scripts/test_*.sh)
if [ -f "${scripts_suites[0]}" ] && any_selected "${scripts_suites[@]}"; then
  say "== scripts (the runner, the docs)"
  phase scripts
  for t in "${scripts_suites[@]}"; do run_suite "$t" bash "$t"; done
fi

for extra in scripts/check-memory.sh scripts/fuzz-ci.sh; do
  [ -x "$extra" ] && selected "$extra" && { say "== $(basename "$extra" .sh)"; phase "$(basename "$extra" .sh)"; run_suite "$extra" "$extra"; }
done

phase ""
say ""
say "slowest suites (every suite's seconds: $times):"
sort -t$'\t' -k1,1 -rn "$times" | head -n 15 | awk -F'\t' '{ printf "  %7.1fs  %s\n", $1, $2 }'
printf -v line '%s, ' "${phases[@]}"
say "time: ${line%, }; all $((SECONDS - run_t0))s"
[ ${#failed[@]} -gt 0 ] && say "failed: ${failed[*]}"
say "tests: $pass passed, $fail failed, $skip skipped"
[ $fail -eq 0 ]
