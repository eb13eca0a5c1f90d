#!/usr/bin/env bash
# The short fuzzing pass of the test suite (run by scripts/run-tests.sh): every libFuzzer target first replays
# its whole corpus (fuzz/corpus/<target>/, regression inputs included, and the working corpus), then fuzzes;
# the fuzzing time is one budget shared by all targets: FUZZ_CI_SECONDS (default 100) split evenly, two
# targets at a time (FUZZ_JOBS), so about FUZZ_CI_SECONDS / 2 of wall time. The long run is `make fuzz`
# (scripts/fuzz.sh, 5 minutes a target).
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t targets < <(scripts/fuzz.sh --list)   # every target (fuzz_jwt and fuzz_gw_jwt too); fuzz.sh runs them all
budget=${FUZZ_CI_SECONDS:-100}
each=$(( budget / ${#targets[@]} ))
[ "$each" -ge 5 ] || each=5
echo "fuzz-ci: ${budget}s of fuzzing shared by ${#targets[@]} targets: ${each}s each, ${FUZZ_JOBS:-2} at a time"
exec scripts/fuzz.sh "$each"
