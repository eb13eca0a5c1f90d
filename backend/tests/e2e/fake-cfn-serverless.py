#!/usr/bin/env python3
"""Stands in for `serverless deploy` in test_deploy_script.sh (SERVERLESS=...): appends "<cwd> <args>" to
$FAKE_SLS_LOG and does to DynamoDB (Local: AWS_ENDPOINT_URL_DYNAMODB) what the CloudFormation stack update
would do to the tables with GSIs that ./serverless.yml declares: creates a missing table with all its
indexes, creates one missing index in an update (and returns when it is ACTIVE), and refuses with CloudFormation's message an update that
would create or delete more than one (exit 1, nothing changed). Every other resource is ignored.

`info --verbose --stage STAGE --region REGION` prints the stack outputs as serverless v3 does (the user pool
ids are made up from the stage) and is not logged: the log holds the deploys only.

usage: fake-cfn-serverless.py deploy|info [--verbose] --stage STAGE --region REGION
"""
import os
import sys

import yaml

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "..", "scripts"))
import deploy_steps  # noqa: E402


def info(argv):
    stage = argv[argv.index("--stage") + 1]
    print(f"service: concert-ticket-system\nstage: {stage}\n\nStack Outputs:\n"
          f"  UserPoolId: us-east-1_fake{stage}\n  UserPoolClientId: fakeclient{stage}\n"
          f"  ServiceEndpoint: https://fake.execute-api.us-east-1.amazonaws.com/{stage}")
    return 0


def main(argv):
    if argv[1:2] == ["info"] and "--stage" in argv[:-1]:
        return info(argv)
    if len(argv) != 6 or argv[1] != "deploy" or argv[2] != "--stage" or argv[4] != "--region":
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 64
    stage, region = argv[3], argv[5]
    with open(os.environ["FAKE_SLS_LOG"], "a") as f:
        f.write(f"{os.getcwd()} {' '.join(argv[1:])}\n")
    with open("serverless.yml") as f:
        config = yaml.safe_load(f)
    ddb = deploy_steps.client_for(region)
    changes = []
    for lid, table, declared in deploy_steps.declared_indexes(config, stage):
        p = config["resources"]["Resources"][lid]["Properties"]
        found = deploy_steps.describe(ddb, table)
        if found is None:
            changes.append(lambda p=p, table=table: ddb.create_table(
                TableName=table, AttributeDefinitions=p["AttributeDefinitions"], KeySchema=p["KeySchema"],
                GlobalSecondaryIndexes=p["GlobalSecondaryIndexes"], BillingMode=p["BillingMode"]))
            continue
        add = [g for g in p["GlobalSecondaryIndexes"] if g["IndexName"] not in found]
        drop = [i for i in found if i not in declared]
        if len(add) + len(drop) > 1:
            print(f"UPDATE_FAILED: {lid} (AWS::DynamoDB::Table) Cannot perform more than one GSI creation or "
                  "deletion in a single update", file=sys.stderr)
            return 1
        for g in add:
            changes.append(lambda p=p, table=table, g=g: ddb.update_table(
                TableName=table, AttributeDefinitions=p["AttributeDefinitions"],
                GlobalSecondaryIndexUpdates=[{"Create": g}]))
        for i in drop:
            changes.append(lambda table=table, i=i: ddb.update_table(
                TableName=table, GlobalSecondaryIndexUpdates=[{"Delete": {"IndexName": i}}]))
    for c in changes:
        c()
    deploy_steps.wait(config, stage, ddb, timeout=60, say=lambda m: None)  # the stack update ends when they are
    print(f"fake deploy of stage {stage}: {len(changes)} table change(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
