#!/usr/bin/env bash
# The fast loop: `ONLY=test_money scripts/run-tests.sh` runs the one suite it names, builds only the backend's
# tests for it, and starts neither DynamoDB Local nor the local stack (their state folders are never made, the
# runner says it did not start them).
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
fails=0
check() { # description, command...
  local what=$1; shift
  if "$@"; then echo "ok    $what"; else echo "FAIL  $what"; fails=$((fails+1)); fi
}

# SANITIZE and the test ports of an outer run must not leak into the inner one
env -u SANITIZE -u ONLY ONLY=test_money TEST_STATE="$tmp/state" "$root/scripts/run-tests.sh" >"$tmp/out" 2>&1
rc=$?
sed 's/^/    | /' "$tmp/out"
last=$(tail -n 1 "$tmp/out")
check "the run passed (rc=$rc)" [ "$rc" -eq 0 ]
check "the last line counts the suites" grep -qE '^tests: [0-9]+ passed, 0 failed, [0-9]+ skipped$' <<<"$last"
passed=$(sed -nE 's/^tests: ([0-9]+) passed.*/\1/p' <<<"$last")
check "at least one suite passed (${passed:-none})" [ "${passed:-0}" -ge 1 ]
check "only test_money suites ran" bash -c '! grep -E "^(PASS|FAIL|SKIP) " "$1" | grep -v test_money' _ "$tmp/out"
check "the sanitizer twin was not run" bash -c '! grep -q "/asan/" "$1"' _ "$tmp/out"
check "the build was the backend tests only" grep -qx '   make -s -C backend tests' "$tmp/out"
check "no DynamoDB Local state made" [ ! -e "$tmp/state/ddb" ]
check "no stack state made" [ ! -e "$tmp/state/stack" ]
check "no answers recorded" [ ! -s "$tmp/state/openapi-answers.jsonl" ]
check "the runner says DynamoDB Local was not started" \
  grep -qx '== integration (DynamoDB Local): not started, no selected suite needs it' "$tmp/out"
check "the runner says the stack was not started" \
  grep -qx '== end to end (local stack): not started, no selected suite needs it' "$tmp/out"
[ $fails -eq 0 ] || { echo "test_fast_loop: $fails check(s) failed"; exit 1; }
echo "test_fast_loop: all checks passed"
