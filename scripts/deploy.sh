#!/usr/bin/env bash
# Deploys backend/serverless.yml to AWS with the pinned Serverless Framework v3 (tools/serverless), also onto
# an existing stage whose tables predate some of the file's global secondary indexes:
#
#   scripts/deploy.sh STAGE [REGION]        (or: make deploy STAGE=prod [REGION=eu-central-1])
#
# CloudFormation creates at most one GSI per table in one stack update. So scripts/deploy_steps.py first asks
# DynamoDB (DescribeTable, python3 + boto3) which of the declared indexes the stage's tables have. When an
# existing table lacks more than one, it derives from serverless.yml one config per extra step, each with one
# more of the missing indexes (backend/.serverless-steps/<n>-<indexes>/serverless.yml: generated, never
# edited); each is deployed and its indexes waited for until ACTIVE, then serverless.yml itself. A new stage,
# or one that lacks at most one index, is one plain deploy. Rerunning is safe: every run starts from what the
# tables have.
# AWS credentials as serverless takes them (AWS_PROFILE, or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY); the
# identity also needs dynamodb:DescribeTable on the stage's tables. Nothing is deployed without them.
# Adding the operators' user pool, its groups and the Cognito authorizer to a stage deployed before them is
# one more stack update like any other (no step of its own). At the end the script prints the stack's
# outputs UserPoolId and UserPoolClientId (`serverless info --verbose`): the client's BOXOFFICE_CLIENT_ID,
# and the pool to create the first manager in.
# Tests: SERVERLESS replaces the serverless command, DEPLOY_STEPS_DIR the step configs' folder.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
backend=$root/backend
steps_py=$root/scripts/deploy_steps.py
say() { echo "deploy: $*"; }
die() { echo "deploy: $*" >&2; exit 1; }

if [ $# -lt 1 ] || [ $# -gt 2 ]; then echo "usage: scripts/deploy.sh STAGE [REGION]" >&2; exit 64; fi
stage=$1
[[ "$stage" =~ ^[A-Za-z0-9-]+$ ]] || { echo "deploy: bad stage '$stage' (letters, digits and hyphens)" >&2; exit 64; }
if [ -n "${SERVERLESS:-}" ]; then
  read -r -a sls <<<"$SERVERLESS"
else
  sls_js=$root/tools/serverless/node_modules/serverless/bin/serverless.js
  [ -f "$sls_js" ] || die "the Serverless Framework is not installed in tools/serverless (scripts/install-deps.sh)"
  sls=(node "$sls_js")
fi
[ -f "$backend/build/bootstrap.zip" ] || die "backend/build/bootstrap.zip missing: make package"
python3 -c 'import boto3, yaml' 2>/dev/null || die "python3 needs boto3 and PyYAML (scripts/install-deps.sh)"
region=${2:-$(python3 "$steps_py" region "$backend/serverless.yml")}

say "stage $stage, region $region: which indexes do the tables have?"
plan=$(python3 "$steps_py" plan "$backend/serverless.yml" "$stage" "$region" \
       "${DEPLOY_STEPS_DIR:-$backend/.serverless-steps}") || exit $?
steps=()
while IFS= read -r line; do [ -n "$line" ] && steps+=("$line"); done <<<"$plan"
n=$((${#steps[@]} + 1))
i=0
for step in "${steps[@]}"; do
  i=$((i + 1))
  say "step $i of $n: ${step#"$root/"} (serverless.yml with one more index)"
  (cd "$(dirname "$step")" && "${sls[@]}" deploy --stage "$stage" --region "$region") \
    || die "step $i of $n failed; rerun scripts/deploy.sh $stage $region once the cause is fixed"
  python3 "$steps_py" wait "$step" "$stage" "$region"
done
say "step $n of $n: backend/serverless.yml"
(cd "$backend" && "${sls[@]}" deploy --stage "$stage" --region "$region") || die "serverless deploy failed"
say "stage $stage deployed from backend/serverless.yml"
info=$(cd "$backend" && "${sls[@]}" info --verbose --stage "$stage" --region "$region" 2>&1) || info=""
pool_id=$(sed -n 's/^ *UserPoolId: *\([^ ]*\) *$/\1/p' <<<"$info" | head -n 1)
client_id=$(sed -n 's/^ *UserPoolClientId: *\([^ ]*\) *$/\1/p' <<<"$info" | head -n 1)
if [ -n "$pool_id" ] && [ -n "$client_id" ]; then
  say "operators' user pool: UserPoolId $pool_id; the box office's app client: UserPoolClientId $client_id"
  say "  (BOXOFFICE_CLIENT_ID=$client_id, BOXOFFICE_COGNITO_URL=https://cognito-idp.$region.amazonaws.com/;"
  say "   the first manager: aws cognito-idp admin-create-user --user-pool-id $pool_id --username EMAIL, then"
  say "   admin-add-user-to-group --group-name manager)"
else
  say "UserPoolId/UserPoolClientId not found in serverless info --verbose --stage $stage --region $region: run it to see them"
fi
