#!/usr/bin/env bash
# The deployment, checked offline: `serverless package` (Serverless Framework v3, tools/serverless)
# compiles backend/serverless.yml to CloudFormation with no AWS account and no network, then
# backend/tests/deploy/check_template.py asserts what AWS would run (routes, API key on the private
# route, runtime, handlers, tables kept and recoverable, IAM exactly what the handlers use) and that
# the local gateway reads the same routes, functions and tables from the file; cfn-lint (when
# installed) then lints the template, failing on errors and warnings.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
backend=$root/backend
stage=test
sls=$root/tools/serverless/node_modules/serverless/bin/serverless.js
zip=$backend/build/bootstrap.zip
gw=$backend/build/local-gateway

[ -f "$sls" ] || { echo "Serverless Framework not installed in tools/serverless (scripts/install-deps.sh)"; exit 77; }
[ -f "$zip" ] || { echo "FAIL: $zip missing: make -C backend package"; exit 1; }
[ -x "$gw" ] || { echo "FAIL: $gw missing: make -C backend"; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/boxoffice-deploy.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/home"

# No account, no credentials, no telemetry, no update notices, nothing written to the real $HOME.
# Where the kernel allows it, packaging runs in a network namespace of its own: proof it needs no network.
offline=()
if unshare -n true 2>/dev/null; then offline=(unshare -n)
elif unshare -rn true 2>/dev/null; then offline=(unshare -rn)
else echo "note: unshare unavailable, packaging with the network reachable"; fi
echo "serverless package --stage $stage ${offline[*]:+(in ${offline[*]})}"
if ! (cd "$backend" && env -i PATH="$PATH" HOME="$tmp/home" LANG=C.UTF-8 \
        SLS_TELEMETRY_DISABLED=1 SLS_TRACKING_DISABLED=1 SLS_NOTIFICATIONS_MODE=off \
        SLS_DEPRECATION_DISABLE='*' CI=1 \
        timeout 180 "${offline[@]}" node "$sls" package --stage "$stage" --region us-east-1 \
        --package "$tmp/pkg" >"$tmp/sls.log" 2>&1); then
  cat "$tmp/sls.log"; echo "FAIL: serverless package"; exit 1
fi
template=$tmp/pkg/cloudformation-template-update-stack.json
[ -s "$template" ] || { cat "$tmp/sls.log"; echo "FAIL: no $template"; exit 1; }

"$gw" --config "$backend/serverless.yml" --stage "$stage" --region us-east-1 --print-config >"$tmp/gateway.json"
status=0
python3 "$backend/tests/deploy/check_template.py" "$template" "$tmp/gateway.json" "$zip" "$stage" || status=1

# cfn-lint exit status is a bit set: 2 errors, 4 warnings, 8 informational. Warnings fail too: an IAM
# action that does not exist (dynamodb:TransactWriteItems) is only a warning (W3037), and the template
# has none, so a new one is a regression to look at.
if command -v cfn-lint >/dev/null 2>&1; then
  echo "cfn-lint $(cfn-lint --version 2>/dev/null | awk '{print $NF}')"
  lint=0; timeout 300 cfn-lint --format parseable -- "$template" || lint=$?
  if [ $((lint & ~8)) -ne 0 ]; then echo "FAIL: cfn-lint found errors or warnings (exit status $lint: +2 errors, +4 warnings)"; status=1; fi
else
  echo "cfn-lint not installed: template lint skipped (pip install cfn-lint)"
fi
[ $status -eq 0 ] && echo "deployment package checked: $(basename "$template")"
exit $status
