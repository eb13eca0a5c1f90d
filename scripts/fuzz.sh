#!/usr/bin/env bash
# Builds the libFuzzer targets fuzz/fuzz_*.c with clang (-fsanitize=fuzzer,address,undefined), straight from
# the sources they test, replays each one's whole corpus, then fuzzes each for a while on it.
#   scripts/fuzz.sh [SECONDS] [TARGET...]    SECONDS of fuzzing per target (default $FUZZ_SECONDS or 300)
#   scripts/fuzz.sh --list                   the targets, one a line
# FUZZ_JOBS targets at a time (default 2: the machine's cores), each built, replayed and fuzzed on its own.
# Seeds: fuzz/corpus/<target>/ (in git; regression inputs included). First every input of fuzz/corpus/<target>/
# and fuzz/corpus-run/<target>/ runs once (libFuzzer -runs=0: the replay, whatever the time), then the target
# fuzzes for SECONDS. New inputs found while running go to fuzz/corpus-run/<target>/ (git-ignored). A crash,
# leak or timeout leaves its input in build/fuzz/artifacts/<target>/ and makes the script fail; reproduce with
# build/fuzz/<target> FILE.
# Exit 0 when every target replayed its corpus and ran its time without a finding.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
secs=${1:-${FUZZ_SECONDS:-300}}
shift || true
targets=("$@")
ALL_TARGETS=(fuzz_event fuzz_valid fuzz_ddb_error fuzz_client_json fuzz_lookup fuzz_jwt fuzz_gw_jwt)
if [ "$secs" = "--list" ]; then printf '%s\n' "${ALL_TARGETS[@]}"; exit 0; fi
[ ${#targets[@]} -gt 0 ] || targets=("${ALL_TARGETS[@]}")
jobs=${FUZZ_JOBS:-2}
CC_FUZZ=${CC_FUZZ:-clang}
out=build/fuzz
mkdir -p "$out"

# The sources each target is built from (the code under test; the system cJSON is linked as is).
sources() {
  case $1 in
    fuzz_valid)       echo common/src/bo_valid.c common/src/bo_text.c common/src/bo_money.c ;;
    fuzz_lookup)      echo common/src/bo_fold.c common/src/bo_text.c common/src/bo_base64.c \
                           backend/lambda/src/lookup_key.c backend/ddb/src/ddb_attr.c ;;
    fuzz_ddb_error)   echo backend/ddb/src/ddb_error.c common/src/bo_backoff.c ;;
    fuzz_jwt)         echo src/auth.c common/src/bo_base64.c common/src/bo_buf.c common/src/bo_err.c \
                           common/src/bo_text.c ;;
    fuzz_gw_jwt)      echo backend/gateway/src/gw_jwt.c common/src/bo_base64.c common/src/bo_err.c ;;
    fuzz_client_json) echo src/client_model.c common/src/bo_code.c common/src/bo_fold.c common/src/bo_text.c \
                           common/src/bo_money.c ;;
    fuzz_event)       echo backend/lambda/src/apigw_event.c backend/lambda/src/apigw_response.c \
                           backend/lambda/src/handler_common.c backend/lambda/src/handler_concert.c \
                           backend/lambda/src/handler_ticket.c backend/lambda/src/handler_order.c \
                           backend/lambda/src/handler_aftersale.c backend/lambda/src/store_aftersale.c \
                           backend/lambda/src/handler_lookup.c backend/lambda/src/store_lookup.c \
                           backend/lambda/src/lookup_key.c \
                           backend/lambda/src/store.c backend/lambda/src/store_concert.c \
                           backend/lambda/src/store_purchase.c backend/lambda/src/store_txn.c \
                           backend/lambda/src/store_order.c backend/lambda/src/caller.c \
                           backend/lambda/src/store_journal.c backend/lambda/src/store_shift.c backend/lambda/src/layout.c \
                           backend/lambda/src/store_pool.c \
                           backend/lambda/src/handler_shift.c backend/lambda/src/handler_journal.c \
                           backend/lambda/src/authz.c backend/lambda/src/handler_operator.c \
                           backend/lambda/src/store_operator.c backend/lambda/src/cognito_admin.c \
                           backend/ddb/src/ddb_client.c backend/ddb/src/ddb_error.c backend/ddb/src/ddb_attr.c \
                           backend/ddb/src/ddb_query.c backend/ddb/src/tls_ca.c \
                           common/src/bo_valid.c common/src/bo_valid_order.c common/src/bo_code.c common/src/bo_fold.c \
                           common/src/bo_text.c common/src/bo_money.c \
                           common/src/bo_base64.c common/src/bo_buf.c common/src/bo_clock.c common/src/bo_err.c \
                           common/src/bo_rand.c common/src/bo_backoff.c common/src/bo_journal_hash.c ;;
    *) return 1 ;;
  esac
}

build() { # target
  local t=$1 srcs
  srcs=$(sources "$t") || { echo "fuzz: unknown target $t" >&2; return 1; }
  for s in $srcs; do
    [ -f "$s" ] || { echo "fuzz: $t needs $s, which does not exist" >&2; return 1; }
  done
  # shellcheck disable=SC2086
  $CC_FUZZ -std=c17 -D_GNU_SOURCE -g -O1 -fno-omit-frame-pointer \
    -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
    -Wall -Wextra -Werror -Wno-unused-parameter \
    -Iinclude -Icommon/include -Ibackend/lambda/include -Ibackend/ddb/include -Ibackend/gateway/include \
    $(pkg-config --cflags libcjson libcurl 2>/dev/null) \
    -o "$out/$t" "fuzz/$t.c" $srcs -lcjson -lcurl -lmbedcrypto -luuid -lm
}

# run LIMIT TARGET ARGS...: the target under the sanitizers' options, killed after LIMIT seconds, its output
# appended to its log
run() {
  local limit=$1 t=$2; shift 2
  timeout -k 10 "$limit" env ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "$out/$t" -timeout=10 -rss_limit_mb=2048 -max_len=131072 -print_final_stats=1 -dict=fuzz/json.dict \
    -artifact_prefix="$out/artifacts/$t/" "$@" >>"$out/$t.log" 2>&1
}
# one TARGET: build, replay, fuzz; its summary line in build/fuzz/<target>.summary (the status first)
one() {
  local t=$1 log="$out/$1.log" rc runs cov inputs
  rm -f "$out/$t.summary"; : >"$log"
  if ! build "$t" >>"$log" 2>&1; then
    cat "$log"; echo "1 $t: BUILD FAILED" >"$out/$t.summary"; return 1
  fi
  mkdir -p "fuzz/corpus/$t" "fuzz/corpus-run/$t" "$out/artifacts/$t"
  inputs=$(( $(ls "fuzz/corpus/$t" | wc -l) + $(ls "fuzz/corpus-run/$t" | wc -l) ))
  echo "fuzz: $t: replaying $inputs inputs, then ${secs}s of fuzzing"
  # the replay: every input once, however long that takes (up to 10 minutes), then the fuzzing
  run 600 "$t" -runs=0 "fuzz/corpus-run/$t" "fuzz/corpus/$t"; rc=$?
  [ $rc -eq 0 ] && { run $((secs + 120)) "$t" -max_total_time="$secs" "fuzz/corpus-run/$t" "fuzz/corpus/$t"; rc=$?; }
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -n 1)
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -n 1 | grep -o '[0-9]*')
  if [ $rc -eq 0 ]; then
    echo "0 $t: ok, $inputs inputs replayed, ${runs:-?} runs in ${secs}s, coverage ${cov:-?} edges, working corpus fuzz/corpus-run/$t: $(ls "fuzz/corpus-run/$t" | wc -l) inputs" >"$out/$t.summary"
  else
    echo "1 $t: FAILED (rc=$rc) — see $log; inputs: $(ls "$out/artifacts/$t" | tr '\n' ' ')" >"$out/$t.summary"
    grep -E 'ERROR: |SUMMARY: |property failed|runtime error' "$log" | head -n 8 | sed 's/^/    /'
  fi
  return $rc
}

running=0
for t in "${targets[@]}"; do
  if [ $running -ge "$jobs" ]; then wait -n; running=$((running - 1)); fi
  one "$t" & running=$((running + 1))
done
wait
status=0
summary=()
for t in "${targets[@]}"; do
  line=$(cat "$out/$t.summary" 2>/dev/null) || line="1 $t: no result"
  [ "${line%% *}" = 0 ] || status=1
  summary+=("${line#* }")
done
printf '%s\n' "${summary[@]}" | tee "$out/summary.txt"
exit $status
