#!/usr/bin/env python3
"""The steps of `serverless deploy` onto a stage whose tables lack some of the GSIs serverless.yml declares.

CloudFormation creates or deletes at most one global secondary index per table in one stack update
("Cannot perform more than one GSI creation or deletion in a single update"). For every table of
`resources` that declares GSIs, DescribeTable tells which exist; when a table that exists misses k > 1 of
them, k - 1 step configs are written, each serverless.yml with one more of the missing indexes (in the
file's order) and only the attribute definitions its keys use. scripts/deploy.sh deploys them, then
serverless.yml itself. A table that does not exist yet is created with all its indexes in one update.

usage:
  deploy_steps.py plan CONFIG STAGE REGION OUTDIR  writes OUTDIR/<n>-<indexes>/serverless.yml (an earlier
                                                   run's steps removed first), prints their paths, one a line
  deploy_steps.py wait CONFIG STAGE REGION         waits until every GSI CONFIG declares is ACTIVE on its
                                                   (existing) table
  deploy_steps.py region CONFIG                    the region serverless.yml deploys to without --region

DynamoDB through boto3 with the usual AWS_* variables / profiles; exits 2 with the reason when it cannot
ask (no credentials, access denied, no network).
"""
import copy
import os
import re
import shutil
import sys
import time

import yaml

TABLE = "AWS::DynamoDB::Table"


class StepError(Exception):
    """A reason to stop before deploying anything; the message is for the user."""


def resolve(value, config, stage, region=None):
    """The string VALUE with the variables serverless.yml uses in table names resolved: ${self:a.b},
    ${opt:stage, ...}, ${opt:region, ...}, ${sls:stage}. Anything else is a StepError."""
    def one(m):
        expr = m.group(1)
        src, _, rest = expr.partition(",")
        src = src.strip()
        if src in ("opt:stage", "sls:stage"):
            return stage
        if src == "opt:region":
            if region:
                return region
            default = rest.strip().strip("'\"")
            if not default:
                raise StepError(f"{value}: no default region")
            return default
        if src.startswith("self:"):
            node = config
            for part in src[len("self:"):].split("."):
                if not isinstance(node, dict) or part not in node:
                    raise StepError(f"cannot resolve ${{{expr}}} in {value}")
                node = node[part]
            return str(node)
        raise StepError(f"cannot resolve ${{{expr}}} in {value}")
    for _ in range(10):  # nested: self:... -> a string with more variables
        new = re.sub(r"\$\{([^{}]+)\}", one, value)
        if new == value:
            return new
        value = new
    raise StepError(f"variables nested too deep in {value}")


def declared_indexes(config, stage):
    """[(logical id, table name, [GSI names in the file's order])] of the tables that declare GSIs."""
    out = []
    for lid, r in (config.get("resources", {}).get("Resources") or {}).items():
        if r.get("Type") != TABLE:
            continue
        p = r.get("Properties", {})
        names = [g["IndexName"] for g in p.get("GlobalSecondaryIndexes", [])]
        if names:
            out.append((lid, resolve(p["TableName"], config, stage), names))
    return out


def describe(client, table):
    """{index name: IndexStatus} of TABLE's GSIs, or None when the table does not exist."""
    try:
        t = client.describe_table(TableName=table)["Table"]
    except client.exceptions.ResourceNotFoundException:
        return None
    return {g["IndexName"]: g.get("IndexStatus", "ACTIVE") for g in t.get("GlobalSecondaryIndexes", [])}


def plan(config, stage, client, say=print):
    """The steps before serverless.yml: [{logical id: [GSI names that step keeps]}], [] for one plain deploy."""
    keep, todo = {}, {}
    for lid, table, declared in declared_indexes(config, stage):
        found = describe(client, table)
        if found is None:
            say(f"{table}: not there yet, created with {', '.join(declared)}")
            continue
        missing = [i for i in declared if i not in found]
        extra = sorted(set(found) - set(declared))
        say(f"{table}: has {', '.join(sorted(found)) or 'no indexes'}"
            + (f"; missing {', '.join(missing)}" if missing else ""))
        if extra and missing:
            raise StepError(f"{table} has indexes serverless.yml does not declare ({', '.join(extra)}) and lacks "
                            f"{', '.join(missing)}: one update would delete and create indexes, which "
                            "CloudFormation refuses; remove the extra indexes first")
        keep[lid] = [i for i in declared if i in found]
        if missing:  # a table with all its indexes is left as serverless.yml declares it
            todo[lid] = (declared, missing)
    steps = []
    for k in range(1, max((len(m) for _, m in todo.values()), default=0)):
        steps.append({lid: [i for i in declared if i in keep[lid] or i in missing[:k]]
                      for lid, (declared, missing) in todo.items()})
    return steps


def derive(config, step, src_dir, out_dir):
    """serverless.yml (parsed) with only the GSIs STEP keeps on its tables, for a service dir OUT_DIR."""
    c = copy.deepcopy(config)
    for lid, names in step.items():
        p = c["resources"]["Resources"][lid]["Properties"]
        gsis = [g for g in p.get("GlobalSecondaryIndexes", []) if g["IndexName"] in names]
        if gsis:
            p["GlobalSecondaryIndexes"] = gsis
        else:
            p.pop("GlobalSecondaryIndexes", None)
        # DynamoDB refuses attribute definitions that no key schema uses.
        used = {k["AttributeName"] for s in [p] + gsis + p.get("LocalSecondaryIndexes", []) for k in s["KeySchema"]}
        p["AttributeDefinitions"] = [a for a in p["AttributeDefinitions"] if a["AttributeName"] in used]
    artifact = c.get("package", {}).get("artifact")
    if artifact and not os.path.isabs(artifact):  # paths are relative to the service dir
        c["package"]["artifact"] = os.path.relpath(os.path.join(src_dir, artifact), out_dir)
    return c


def write_steps(config_path, steps, out_dir):
    """Writes the step configs under OUT_DIR (the steps of an earlier run removed first); returns their paths."""
    with open(config_path) as f:
        config = yaml.safe_load(f)
    src_dir = os.path.dirname(os.path.abspath(config_path))
    for old in os.listdir(out_dir) if os.path.isdir(out_dir) else []:
        if re.fullmatch(r"[0-9]+-[A-Za-z0-9_.-]*", old):
            shutil.rmtree(os.path.join(out_dir, old))
    paths = []
    for n, step in enumerate(steps, 1):
        d = os.path.join(out_dir, f"{n}-{'-'.join(sorted({i for v in step.values() for i in v}))}")
        os.makedirs(d)
        path = os.path.join(d, "serverless.yml")
        with open(path, "w") as f:
            f.write(f"# Generated by scripts/deploy_steps.py from {os.path.relpath(config_path, d)}: step {n} of "
                    f"{len(steps) + 1}, GSIs {step}. Do not edit; scripts/deploy.sh rewrites it.\n")
            yaml.safe_dump(derive(config, step, src_dir, d), f, sort_keys=False, default_flow_style=False,
                           width=1000)
        paths.append(path)
    return paths


def wait(config, stage, client, timeout=3600, sleep=time.sleep, say=print):
    """Waits until every GSI CONFIG declares is ACTIVE on its table (backing off from 2 s to 30 s)."""
    for _, table, declared in declared_indexes(config, stage):
        delay, waited = 2, 0
        while True:
            found = describe(client, table) or {}
            pending = {i: found.get(i, "missing") for i in declared if found.get(i) != "ACTIVE"}
            if not pending:
                say(f"{table}: {', '.join(declared)} ACTIVE")
                break
            if waited >= timeout:
                raise StepError(f"{table}: indexes not ACTIVE after {timeout} s: {pending}")
            say(f"{table}: waiting for {pending}")
            sleep(delay)
            waited += delay
            delay = min(delay * 2, 30)


def client_for(region):
    """DynamoDB in REGION, or at AWS_ENDPOINT_URL_DYNAMODB as the project's own code reads it (botocore before
    1.31, Debian 12's, ignores that variable)."""
    import boto3
    return boto3.client("dynamodb", region_name=region, endpoint_url=os.environ.get("AWS_ENDPOINT_URL_DYNAMODB"))


def main(argv):
    import botocore.exceptions as bex
    log = lambda m: print(f"deploy: {m}", file=sys.stderr)  # noqa: E731
    then = "nothing was deployed" if argv[1:2] == ["plan"] else "rerun scripts/deploy.sh to finish"
    try:
        if len(argv) == 3 and argv[1] == "region":
            with open(argv[2]) as f:
                config = yaml.safe_load(f)
            print(resolve(config["provider"].get("region", "us-east-1"), config, ""))
            return 0
        if len(argv) < 5 or argv[1] not in ("plan", "wait") or len(argv) != (6 if argv[1] == "plan" else 5):
            print(__doc__.split("usage:\n", 1)[1].split("\n\n")[0], file=sys.stderr)
            return 64
        config_path, stage, region = argv[2:5]
        with open(config_path) as f:
            config = yaml.safe_load(f)
        client = client_for(region)
        if argv[1] == "wait":
            wait(config, stage, client, say=log)
            return 0
        for p in write_steps(config_path, plan(config, stage, client, say=log), argv[5]):
            print(p)
        return 0
    except StepError as e:
        log(str(e))
    except bex.NoCredentialsError:
        log("no AWS credentials: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY "
            f"(the same serverless deploy uses); {then}")
    except bex.ClientError as e:
        err = e.response.get("Error", {})
        log(f"DynamoDB refused DescribeTable: {err.get('Code')}: {err.get('Message')} (the deploying identity "
            f"needs dynamodb:DescribeTable on the stage's tables); {then}")
    except (bex.EndpointConnectionError, bex.ConnectTimeoutError) as e:
        log(f"cannot reach DynamoDB: {e}; {then}")
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
