#!/usr/bin/env bash
# Lints the API contract, docs/openapi.yaml, with the Redocly CLI pinned in tools/redocly (recommended-strict
# ruleset: every finding fails, see tools/redocly/redocly.yaml). Offline: no telemetry, no update check, no
# remote $ref. Also proves the lint can fail: a copy with a duplicated operationId must be refused.
# Skips (77) only when the tool is not installed and cannot be (scripts/install-deps.sh installs it).
set -uo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$root"
redocly=tools/redocly/node_modules/.bin/redocly
command -v node >/dev/null || { echo "skip: Node.js is not installed (scripts/install-deps.sh installs it)"; exit 77; }
# @redocly/cli 2.x runs on Node.js >= 20.19 (Debian 12's own nodejs is 18.19)
node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 20 || (a === 20 && b >= 19) ? 0 : 1)' ||
  { echo "skip: Node.js $(node --version) is older than the 20.19 that @redocly/cli needs"; exit 77; }
if [ ! -x "$redocly" ]; then
  (cd tools/redocly && npm ci --no-audit --no-fund --loglevel=error >/dev/null 2>&1) ||
    { echo "skip: @redocly/cli is not installed and npm ci failed in tools/redocly"; exit 77; }
fi
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true NO_COLOR=1
lint() { "$redocly" lint --config tools/redocly/redocly.yaml "$@" 2>&1 | grep -v '^ *[╔║╚]'; }

lint docs/openapi.yaml || { echo "FAIL: docs/openapi.yaml does not pass the lint"; exit 1; }

tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
sed 's/operationId: listConcerts/operationId: createConcert/' docs/openapi.yaml >"$tmp/openapi.yaml"
if lint "$tmp/openapi.yaml" >"$tmp/out"; then
  cat "$tmp/out"; echo "FAIL: the lint accepted a duplicated operationId"; exit 1
fi
grep -q 'operation-operationId-unique' "$tmp/out" || { cat "$tmp/out"; echo "FAIL: the broken copy failed for another reason"; exit 1; }
echo "ok"
