#!/usr/bin/env bash
# The short fuzzing pass of the test suite (run by scripts/run-tests.sh): every libFuzzer target on its seed
# corpus, which also replays every regression input in fuzz/corpus/<target>/, for FUZZ_CI_SECONDS each when
# set, else an equal share of FUZZ_CI_TOTAL_SECONDS (default 150: the suite's budget, whatever the number of
# targets). The long run is `make fuzz` (scripts/fuzz.sh, 5 minutes a target).
set -euo pipefail
cd "$(dirname "$0")/.."
n=$(scripts/fuzz.sh --list | wc -l)
exec scripts/fuzz.sh "${FUZZ_CI_SECONDS:-$(( ${FUZZ_CI_TOTAL_SECONDS:-150} / n ))}"
