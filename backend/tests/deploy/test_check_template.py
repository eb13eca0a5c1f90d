#!/usr/bin/env python3
"""check_template.py's Cognito checks can fail: the template `serverless package` made (and the local
gateway's reading of serverless.yml) pass as they are, and each change below, one at a time, makes
check_template report it: an operator route without the authorizer, a public route with one, an API key
back, the app client with a secret or another flow, a group missing, the 401 body changed, Cognito grants
beyond the operators routes' calls or beyond the pool, the pool id missing from the functions' environment,
the local gateway reading an operator route as public.

usage: test_check_template.py TEMPLATE GATEWAY_CONFIG BOOTSTRAP_ZIP STAGE   (test_deploy_package.sh runs it)
"""
import base64
import copy
import hashlib
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_template as ct  # noqa: E402


def run(tpl, gw, zip_sha, stage):
    """check_template's assertions on (tpl, gw): the failure messages."""
    ct.failures.clear()
    res = tpl["Resources"]
    tables, by_lid = ct.check_tables(res, gw, stage, list(ct.INDEXES))
    ct.check_api(res, gw, stage)
    ct.check_no_api_keys(res)
    ct.check_cognito(tpl, res)
    ct.check_functions(res, gw, tables, stage, zip_sha)
    ct.check_iam(res, tables, by_lid, stage)
    return list(ct.failures)


def method(res, verb, path):
    for m in ct.of_type(res, "AWS::ApiGateway::Method").values():
        p = m["Properties"]
        if p.get("HttpMethod") == verb and ct.resource_path(res, p.get("ResourceId")) == path:
            return p
    raise KeyError(f"{verb} {path}")


def of(res, t):
    return next(iter(ct.of_type(res, t).values()))["Properties"]


def cognito_statement(res):
    role = res["IamRoleLambdaExecution"]["Properties"]
    for pol in role["Policies"]:
        for st in ct.as_list(pol["PolicyDocument"]["Statement"]):
            if any(a.startswith("cognito-idp:") for a in ct.as_list(st.get("Action", []))):
                return st
    raise KeyError("no cognito-idp statement")


def drop_group(res, name):
    for lid, r in list(res.items()):
        if r["Type"] == "AWS::Cognito::UserPoolGroup" and r["Properties"]["GroupName"] == name:
            del res[lid]


def unauthorized(res):
    return next(r["Properties"] for r in ct.of_type(res, "AWS::ApiGateway::GatewayResponse").values()
                if r["Properties"]["ResponseType"] == "UNAUTHORIZED")


def no_user_pool_id(res):
    for f in ct.of_type(res, "AWS::Lambda::Function").values():
        f["Properties"]["Environment"]["Variables"].pop("USER_POOL_ID")


def gateway_public(gw):
    for r in gw["routes"]:
        if (r["method"], r["resource"]) == ("POST", "/concerts"):
            r["authorizer"] = "none"


# (what, change of the template's Resources (or of the gateway config), words the failure must hold)
CASES = [
    ("operator route without the authorizer",
     lambda res: method(res, "POST", "/concerts").update(AuthorizationType="NONE"), "no Cognito authorizer"),
    ("public route with the authorizer",
     lambda res: method(res, "GET", "/concerts").update(AuthorizationType="COGNITO_USER_POOLS",
                                                         AuthorizerId=method(res, "POST", "/concerts")["AuthorizerId"]),
     "an authorizer on a public route"),
    ("scopes (an access token) on an operator route",
     lambda res: method(res, "GET", "/orders").update(AuthorizationScopes=["aws.cognito.signin.user.admin"]),
     "not the user pool's"),
    ("ApiKeyRequired", lambda res: method(res, "GET", "/orders").update(ApiKeyRequired=True), "ApiKeyRequired"),
    ("an API key resource", lambda res: res.update(K={"Type": "AWS::ApiGateway::ApiKey", "Properties": {}}),
     "API keys authorize nothing"),
    ("client with a secret", lambda res: of(res, "AWS::Cognito::UserPoolClient").update(GenerateSecret=True),
     "GenerateSecret"),
    ("client with another flow",
     lambda res: of(res, "AWS::Cognito::UserPoolClient")["ExplicitAuthFlows"].append("ALLOW_USER_SRP_AUTH"),
     "ExplicitAuthFlows"),
    ("ID token valid a day", lambda res: of(res, "AWS::Cognito::UserPoolClient").update(IdTokenValidity=24),
     "IdToken valid"),
    ("self sign-up", lambda res: of(res, "AWS::Cognito::UserPool")["AdminCreateUserConfig"].update(
        AllowAdminCreateUserOnly=False), "self sign-up"),
    ("kiosk group missing", lambda res: drop_group(res, "kiosk"), "user pool groups"),
    ("401 body changed", lambda res: unauthorized(res)["ResponseTemplates"].update(
        {"application/json": '{"message":"Unauthorized"}'}), "GatewayResponse UNAUTHORIZED"),
    ("a Cognito action beyond the operators routes",
     lambda res: cognito_statement(res)["Action"].append("cognito-idp:AdminDeleteUser"), "AdminDeleteUser"),
    ("Cognito actions on every pool", lambda res: cognito_statement(res).update(Resource="*"), "the operators' pool only"),
    ("ListUsers not granted", lambda res: cognito_statement(res)["Action"].remove("cognito-idp:ListUsers"),
     "ListUsers"),
    ("USER_POOL_ID missing", no_user_pool_id, "USER_POOL_ID"),
    ("the local gateway reads POST /concerts as public", None, "the local gateway reads routes"),
]


def main(argv):
    if len(argv) != 5:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    with open(argv[1]) as f:
        tpl = json.load(f)
    with open(argv[2]) as f:
        gw = json.load(f)
    with open(argv[3], "rb") as f:
        zip_sha = base64.b64encode(hashlib.sha256(f.read()).digest()).decode()
    stage = argv[4]
    bad = 0
    base = run(tpl, gw, zip_sha, stage)
    if base:
        print(f"FAIL: the template as packaged fails check_template: {base}")
        bad += 1
    for what, change, words in CASES:
        t, g = copy.deepcopy(tpl), copy.deepcopy(gw)
        if change:
            change(t["Resources"])
        else:
            gateway_public(g)
        found = run(t, g, zip_sha, stage)
        if not any(words in m for m in found):
            print(f"FAIL: {what}: check_template did not say '{words}': {found}")
            bad += 1
    print(f"test_check_template: {len(CASES) + 1 - bad} of {len(CASES) + 1} cases as expected")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
