#!/usr/bin/env bash
# scripts/deploy.sh's decisions, offline: backend/tests/deploy/test_deploy_steps.py runs scripts/deploy_steps.py
# against a real botocore DynamoDB client with stubbed DescribeTable answers (no table, no indexes, byEmail
# only, both, ...), and checks the step config it writes, the wait for ACTIVE and the refusal without credentials.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
python3 -c 'import boto3, botocore, yaml' 2>/dev/null || { echo "python3 without boto3/yaml (scripts/install-deps.sh)"; exit 77; }
exec python3 "$root/backend/tests/deploy/test_deploy_steps.py"
