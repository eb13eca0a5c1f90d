#!/usr/bin/env bash
# The short fuzzing pass of the test suite (run by scripts/run-tests.sh): every libFuzzer target for
# FUZZ_CI_SECONDS (default 30) on its seed corpus, which also replays every regression input in
# fuzz/corpus/<target>/. The long run is `make fuzz` (scripts/fuzz.sh, 5 minutes a target).
set -euo pipefail
cd "$(dirname "$0")/.."
exec scripts/fuzz.sh "${FUZZ_CI_SECONDS:-30}"
