#!/usr/bin/env bash
# The deployment, checked offline: `serverless package` (Serverless Framework v3, tools/serverless)
# compiles backend/serverless.yml to CloudFormation with no AWS account and no network, then
# backend/tests/deploy/check_template.py asserts what AWS would run (routes, the Cognito authorizer on
# exactly the operator routes and no API key, the user pool, its client and groups, the 401 body,
# runtime, handlers, tables kept and recoverable, IAM exactly what the handlers use) and that the local
# gateway reads the same routes, functions and tables from the file; test_check_template.py shows its
# Cognito checks fail on a template changed for the worse; cfn-lint (when installed) then lints the
# template, failing on errors and warnings.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
stage="test"
# shellcheck source=backend/tests/e2e/deploy_lib.sh
. "$root/backend/tests/e2e/deploy_lib.sh"
deploy_setup deploy
deploy_package "$DEP_BACKEND" "$stage" || exit 1

"$DEP_GW" --config "$DEP_BACKEND/serverless.yml" --stage "$stage" --region us-east-1 --print-config >"$DEP/gateway.json"
status=0
python3 "$DEP_BACKEND/tests/deploy/check_template.py" "$DEP_TEMPLATE" "$DEP/gateway.json" "$DEP_ZIP" "$stage" || status=1
python3 "$DEP_BACKEND/tests/deploy/test_check_template.py" "$DEP_TEMPLATE" "$DEP/gateway.json" "$DEP_ZIP" "$stage" || status=1
deploy_lint "$DEP_TEMPLATE" || status=1
[ $status -eq 0 ] && echo "deployment package checked: $(basename "$DEP_TEMPLATE")"
exit $status
