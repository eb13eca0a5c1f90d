#!/usr/bin/env bash
# The short fuzzing pass of the test suite (run by scripts/run-tests.sh): every libFuzzer target on its
# seed corpus, which also replays every regression input in fuzz/corpus/<target>/, for FUZZ_CI_SECONDS
# each (default: a budget of FUZZ_CI_TOTAL_SECONDS, 150, shared by the targets, so that a new target does
# not make the suite longer). The long run is `make fuzz` (scripts/fuzz.sh, 5 minutes a target).
set -euo pipefail
cd "$(dirname "$0")/.."
n=$(ls fuzz/fuzz_*.c | wc -l)
exec scripts/fuzz.sh "${FUZZ_CI_SECONDS:-$(( ${FUZZ_CI_TOTAL_SECONDS:-150} / (n > 0 ? n : 1) ))}"
