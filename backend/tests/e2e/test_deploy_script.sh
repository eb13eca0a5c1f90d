#!/usr/bin/env bash
# scripts/deploy.sh end to end, offline: the real script and scripts/deploy_steps.py, real DescribeTable
# answers from the shared DynamoDB Local (DYNAMODB_PORT), and in place of `serverless deploy` a stand-in
# (fake-cfn-serverless.py) that changes the tables as CloudFormation would, refusing more than one GSI
# creation per update. A stage whose orders table has no index needs two deploys (the stand-in alone
# fails on it), a rerun and a stage with byEmail only or with no table need one, and without credentials
# nothing is deployed. After deploying, the stack's UserPoolId and UserPoolClientId are printed.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
[ -n "${DYNAMODB_PORT:-}" ] || { echo "DYNAMODB_PORT not set (run through scripts/run-tests.sh)"; exit 77; }
python3 -c 'import boto3, botocore, yaml' 2>/dev/null || { echo "python3 without boto3/yaml (scripts/install-deps.sh)"; exit 77; }
[ -f "$root/backend/build/bootstrap.zip" ] || { echo "FAIL: backend/build/bootstrap.zip missing: make package"; exit 1; }
export AWS_ENDPOINT_URL_DYNAMODB="http://127.0.0.1:$DYNAMODB_PORT" AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local \
  AWS_EC2_METADATA_DISABLED=true
tmp=$(mktemp -d "${TMPDIR:-/tmp}/boxoffice-deploy-script.XXXXXX")
export SERVERLESS="python3 $root/backend/tests/e2e/fake-cfn-serverless.py" FAKE_SLS_LOG=$tmp/calls \
  DEPLOY_STEPS_DIR=$tmp/steps
run=dst$$$RANDOM
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

ddb() { # create TABLE [byEmail] | indexes TABLE | delete TABLE
  python3 - "$@" <<'PY'
import os, sys, boto3
op, table, *gsis = sys.argv[1:]
c = boto3.client("dynamodb", region_name="us-east-1", endpoint_url=os.environ["AWS_ENDPOINT_URL_DYNAMODB"])
if op == "create":
    attrs, idx = [{"AttributeName": "id", "AttributeType": "S"}], []
    for g in gsis:  # byEmail, as serverless.yml declares it
        attrs += [{"AttributeName": a, "AttributeType": "S"} for a in ("emailKey", "emailSort")]
        idx.append({"IndexName": g, "Projection": {"ProjectionType": "ALL"},
                    "KeySchema": [{"AttributeName": "emailKey", "KeyType": "HASH"},
                                  {"AttributeName": "emailSort", "KeyType": "RANGE"}]})
    c.create_table(TableName=table, AttributeDefinitions=attrs, KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                   BillingMode="PAY_PER_REQUEST", **({"GlobalSecondaryIndexes": idx} if idx else {}))
elif op == "indexes":
    t = c.describe_table(TableName=table)["Table"]
    print(" ".join(sorted(f"{g['IndexName']}:{g['IndexStatus']}" for g in t.get("GlobalSecondaryIndexes", []))) or "none")
elif op == "delete":
    try: c.delete_table(TableName=table)
    except c.exceptions.ResourceNotFoundException: pass
PY
}
cleanup() { for s in a b c d; do ddb delete "concert-ticket-system-orders-$run$s" || true; done; rm -rf "$tmp"; }
trap cleanup EXIT

deploy() { # STAGE: scripts/deploy.sh, its output in $tmp/out, the serverless calls (cwd relative) in $tmp/calls
  : >"$tmp/calls"
  local rc=0
  "$root/scripts/deploy.sh" "$1" us-east-1 >"$tmp/out" 2>&1 || rc=$?
  sed -i "s|^$tmp/|TMP/|; s|^$root/|ROOT/|" "$tmp/calls"
  return $rc
}
calls() { tr '\n' ';' <"$tmp/calls"; }

# 1. The stage of an order table sold before the indexes.
s=${run}a t=concert-ticket-system-orders-${run}a
ddb create "$t"
# The stand-in is strict: one deploy of serverless.yml onto this table fails as on AWS.
(cd "$root/backend" && $SERVERLESS deploy --stage "$s" --region us-east-1 >"$tmp/direct" 2>&1) &&
  fail "the stand-in deployed two new GSIs in one update"
grep -q "Cannot perform more than one GSI creation" "$tmp/direct" || fail "stand-in: $(cat "$tmp/direct")"
[ "$(ddb indexes "$t")" = none ] || fail "the refused update changed $t: $(ddb indexes "$t")"
if deploy "$s"; then
  want="TMP/steps/1-byEmail deploy --stage $s --region us-east-1;ROOT/backend deploy --stage $s --region us-east-1;"
  [ "$(calls)" = "$want" ] || fail "no indexes: deploys $(calls), expected $want"
  [ "$(ddb indexes "$t")" = "byEmail:ACTIVE byName:ACTIVE" ] || fail "no indexes: afterwards $(ddb indexes "$t")"
  if ! grep -q "step 1 of 2" "$tmp/out" || ! grep -q "byEmail ACTIVE" "$tmp/out"; then
    fail "no step/wait messages: $(cat "$tmp/out")"; fi
  grep -q "UserPoolId us-east-1_fake$s; the box office's app client: UserPoolClientId fakeclient$s" "$tmp/out" \
    || fail "the user pool's ids not printed: $(cat "$tmp/out")"
else fail "deploy.sh onto a table without indexes: $(cat "$tmp/out")"; fi
# A rerun (idempotent): one plain deploy, nothing left to add.
deploy "$s" || fail "rerun: $(cat "$tmp/out")"
[ "$(calls)" = "ROOT/backend deploy --stage $s --region us-east-1;" ] || fail "rerun: deploys $(calls)"

# 2. byEmail only: one plain deploy adds byName.
s=${run}b t=concert-ticket-system-orders-${run}b
ddb create "$t" byEmail
deploy "$s" || fail "byEmail only: $(cat "$tmp/out")"
[ "$(calls)" = "ROOT/backend deploy --stage $s --region us-east-1;" ] || fail "byEmail only: deploys $(calls)"
[ "$(ddb indexes "$t")" = "byEmail:ACTIVE byName:ACTIVE" ] || fail "byEmail only: afterwards $(ddb indexes "$t")"

# 3. A new stage: one plain deploy creates the table with both.
s=${run}c t=concert-ticket-system-orders-${run}c
deploy "$s" || fail "new stage: $(cat "$tmp/out")"
[ "$(calls)" = "ROOT/backend deploy --stage $s --region us-east-1;" ] || fail "new stage: deploys $(calls)"
[ "$(ddb indexes "$t")" = "byEmail:ACTIVE byName:ACTIVE" ] || fail "new stage: afterwards $(ddb indexes "$t")"

# 4. No credentials: a clear refusal, no deploy.
s=${run}d t=concert-ticket-system-orders-${run}d
ddb create "$t"
: >"$tmp/calls"; rc=0
env -u AWS_ACCESS_KEY_ID -u AWS_SECRET_ACCESS_KEY -u AWS_PROFILE -u AWS_SESSION_TOKEN HOME="$tmp" \
  AWS_CONFIG_FILE="$tmp/none" AWS_SHARED_CREDENTIALS_FILE="$tmp/none" \
  "$root/scripts/deploy.sh" "$s" us-east-1 >"$tmp/out" 2>&1 || rc=$?
[ $rc -ne 0 ] || fail "without credentials deploy.sh exited 0"
grep -q "no AWS credentials" "$tmp/out" || fail "without credentials: $(cat "$tmp/out")"
[ ! -s "$tmp/calls" ] || fail "without credentials serverless ran: $(calls)"

[ $fails -eq 0 ] && echo "deploy.sh: no indexes -> 2 deploys, rerun/byEmail only/new stage -> 1, no credentials -> 0"
[ $fails -eq 0 ]
