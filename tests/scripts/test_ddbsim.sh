#!/usr/bin/env bash
# bench/ddbsim, the model of DynamoDB's rules (docs/model.md): its unit tests (each rule, the flows replaying every
# recorded operation call for call, the function's policy through ctypes), its agreement with DynamoDB Local on the
# same requests (bench/ddbsim/test_vs_local.py, against a DynamoDB Local this suite starts and stops on
# DDBSIM_DDB_PORT, else TEST_DDB_PORT, else 8950: the runner's integration Local is stopped by the time the
# scripts suites run), over the hand-made fixture and the recorded trace in bench/ddbsim/fixtures/, and a short
# run of both workloads. Ends with "N passed, N failed".
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
pass=0; fail=0
check() { # description, command...
  local what=$1; shift
  if "$@"; then echo "ok    $what"; pass=$((pass+1)); else echo "FAIL  $what"; fail=$((fail+1)); fi
}
make -s -C backend build/libboxpolicy.so || { echo "FAIL  build backend/build/libboxpolicy.so"; echo "0 passed, 1 failed"; exit 1; }
fixtures=(bench/ddbsim/fixtures/trace-*.jsonl)
unit() { # trace
  DDBSIM_TRACE=$1 python3 -m unittest bench/ddbsim/test_model.py bench/ddbsim/test_flows.py 2>&1 | tail -n 3 | grep -qx OK
}
for t in "${fixtures[@]}"; do
  check "unit tests and flows replaying $(basename "$t")" unit "$t"
done

port=${DDBSIM_DDB_PORT:-${TEST_DDB_PORT:-8950}}
state=${TEST_STATE:+$TEST_STATE/ddbsim}
tmp=""
if [ -z "$state" ]; then tmp=$(mktemp -d); state=$tmp; fi
rm -rf "$state/ddb"
trap 'scripts/ddb-local.sh stop "$state/ddb" >/dev/null 2>&1; [ -n "$tmp" ] && rm -rf "$tmp"' EXIT
if scripts/ddb-local.sh start "$port" "$state/ddb"; then
  # the early trace's requests (today's code) are all in the pooled trace's small-layout operations too
  for t in bench/ddbsim/fixtures/trace-fixture.jsonl bench/ddbsim/fixtures/trace-pooled.jsonl; do
    out="$state/vs-local-$(basename "$t").log"
    check "the model and DynamoDB Local agree on $(basename "$t")'s requests" \
      bash -c 'DDBSIM_TRACE=$1 DDBSIM_LOCAL_URL=http://127.0.0.1:$2/ python3 -m unittest -v bench/ddbsim/test_vs_local.py >"$3" 2>&1; rc=$?; sed -n "/DynamoDB Local, as found/,/^$/p" "$3"; grep -E "^(Ran|OK|FAILED)" "$3"; [ $rc -eq 0 ] && ! grep -q "skipped" "$3"' _ "$t" "$port" "$out"
  done
else
  check "DynamoDB Local started on port $port" false
fi

run() { python3 bench/ddbsim/run.py --json "$@"; }
field() { python3 -c 'import json,sys; r=json.loads(sys.argv[1]); print(r[sys.argv[2]])' "$1" "$2"; }
r=$(run --trace bench/ddbsim/fixtures/trace-early.jsonl --workload door --layout small --tickets 400 --seconds 20)
echo "    door small: $r"
check "door, today's layout: every ticket admitted, counts exact" \
  test "$(field "$r" ok),$(field "$r" counts_exact)" = "400,True"
r=$(run --trace bench/ddbsim/fixtures/trace-early.jsonl --workload onsale --layout small --seats 300 --rate 300 --seconds 10)
echo "    on-sale small: $r"
check "on-sale, today's layout: sold out, no oversell, counts exact" \
  test "$(field "$r" seats_sold),$(field "$r" oversold),$(field "$r" counts_exact)" = "300,False,True"
r=$(run --trace bench/ddbsim/fixtures/trace-fixture.jsonl --workload onsale --layout pooled --seats 2000 --rate 1000 --seconds 10 --warm-wcu 8000)
echo "    on-sale pooled: $r"
check "on-sale, pooled: sold out, no oversell, counts exact, no conflict surfaced" \
  test "$(field "$r" seats_sold),$(field "$r" oversold),$(field "$r" counts_exact),$(field "$r" conflicts_surfaced)" = "2000,False,True,0"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
