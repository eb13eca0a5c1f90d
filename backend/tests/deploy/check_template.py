#!/usr/bin/env python3
"""Asserts what AWS would deploy: the CloudFormation template `serverless package` made of serverless.yml.

usage: check_template.py [--indexes NAME,...] TEMPLATE GATEWAY_CONFIG BOOTSTRAP_ZIP STAGE

TEMPLATE        cloudformation-template-update-stack.json from `serverless package --stage STAGE`
GATEWAY_CONFIG  `local-gateway --print-config --stage STAGE` (the local stack's reading of the same file):
                every route, function and table it serves must be deployed the same way
BOOTSTRAP_ZIP   the artifact the functions must run (its SHA-256 is the Lambda versions' CodeSha256)
--indexes       the orders table's GSIs expected (default: all of INDEXES); a step of scripts/deploy.sh
                onto an existing stage adds one at a time, with only the attribute definitions they use

Prints one line per failed assertion and exits 1, or prints a summary and exits 0. Standard library only.
"""
import base64
import hashlib
import json
import sys

SERVICE = "concert-ticket-system"
HANDLER_MODULE = "concert-service"
RUNTIME = "provided.al2023"
# The API the client and the README rely on: (method, path) -> (function, operators only: the Cognito
# authorizer). No route needs an API key any more (keys are not for authorization).
ROUTES = {
    ("POST", "/concerts"): ("createConcert", True),
    ("GET", "/concerts/{id}"): ("getConcert", False),
    ("GET", "/concerts"): ("listConcerts", False),
    ("POST", "/tickets"): ("purchaseTicket", False),
    ("POST", "/orders"): ("createOrder", False),
    ("POST", "/box-office/orders"): ("createOrder", True),
    ("GET", "/orders/{id}"): ("getOrder", True),
    ("POST", "/checkins"): ("checkIn", True),
    ("POST", "/checkins/{ticketId}/undo"): ("undoCheckIn", True),
    ("POST", "/orders/{id}/refund"): ("refundOrder", True),
    ("GET", "/concerts/{id}/stats"): ("concertStats", True),
    ("GET", "/orders"): ("findOrders", True),
    ("GET", "/tickets/by-code/{code}"): ("getTicketByCode", True),
    ("GET", "/operators"): ("listOperators", True),
    ("POST", "/operators"): ("createOperator", True),
    ("POST", "/operators/{username}/disable"): ("disableOperator", True),
    ("POST", "/operators/{username}/enable"): ("enableOperator", True),
    ("PUT", "/operators/{username}/role"): ("setOperatorRole", True),
    ("POST", "/shifts"): ("openShift", True),
    ("GET", "/shifts/current"): ("currentShift", True),
    ("GET", "/shifts/{id}"): ("getShift", True),
    ("POST", "/shifts/{id}/drops"): ("shiftDrop", True),
    ("POST", "/shifts/{id}/paidouts"): ("shiftPaidOut", True),
    ("POST", "/shifts/{id}/close"): ("closeShift", True),
    ("GET", "/shifts"): ("daySheet", True),
    ("GET", "/journal"): ("getJournal", True),
}
# The orders' lookup indexes (backend/lambda/include/store_lookup.h): name -> (hash key, range key), all
# strings, projection ALL, on-demand like the table. GET /orders queries them, never the table.
INDEXES = {"byEmail": ("emailKey", "emailSort"), "byName": ("nameKey", "nameSort")}
# The tickets' index of their holders' names (the same keys as byName), always there.
TICKET_INDEXES = {"byHolder": ("nameKey", "nameSort")}
# What each handler does on which table (backend/lambda/src/store*.c; its tables are handler_def.tables in
# handler_common.c); env variable -> table role.
TABLE_ENV = {"CONCERTS_TABLE": "concerts", "TICKETS_TABLE": "tickets", "ORDERS_TABLE": "orders",
             "CODES_TABLE": "codes", "OPERATORS_TABLE": "operators", "SHIFTS_TABLE": "shifts",
             "JOURNAL_TABLE": "journal", "COUNTERS_TABLE": "counters"}
# Issue 18's tables: role -> (key schema [(attribute, type, HASH|RANGE)], {index: [(attribute, type, HASH|RANGE)]}).
# The four sales tables are keyed by one string (id, or code for codes) and checked below as before.
KEYED_TABLES = {
    "operators": ([("sub", "S", "HASH")], {}),
    # issue 19: a pooled concert's seat pools and counter shards, "<concertId>#<k>" (store_priv.h), no index
    "counters": ([("id", "S", "HASH")], {}),
    "shifts": ([("id", "S", "HASH")], {"byDay": [("day", "S", "HASH"), ("openedAt", "S", "RANGE")]}),
    "journal": ([("day", "S", "HASH"), ("sk", "S", "RANGE")],
                {"byShift": [("shiftId", "S", "HASH"), ("seq", "N", "RANGE")],
                 "byOperator": [("operatorSub", "S", "HASH"), ("sk", "S", "RANGE")],
                 "byConcert": [("concertId", "S", "HASH"), ("sk", "S", "RANGE")]}),
}
J = {"journal": {"PutItem"}}  # every change writes its journal entry in its transaction (store_journal.h)
# Every write made for an operator holds a ConditionCheck on their operators item (not disabled).
OPERATOR_CHECK = {"operators": {"ConditionCheckItem"}}
# Issue 19: a concert read (GET /concerts/{id}, stats) is ONE BatchGetItem of the concert and its K counter shards;
# the list reads the shards of its pooled concerts in batches.
READ = {"concerts": {"BatchGetItem"}, "counters": {"BatchGetItem"}}
NEEDS = {
    "createConcert": {"concerts": {"PutItem"}, **J, **OPERATOR_CHECK,  # store_create_concert (a transaction;
                      "counters": {"PutItem"}},                        # a pooled concert's K counter Puts)
    "getConcert": {**READ},                                            # store_get_concert
    "listConcerts": {"concerts": {"Scan"}, "counters": {"BatchGetItem"}},  # store_list_concerts
    "purchaseTicket": {"concerts": {"UpdateItem", "GetItem"},          # store_purchase: transaction,
                       "tickets": {"PutItem", "GetItem"},              # replay, refused seat
                       "counters": {"UpdateItem", "BatchGetItem"}},    # a pooled concert's pools
    "createOrder": {"concerts": {"UpdateItem", "GetItem"},             # store_order_place: transaction,
                    "counters": {"UpdateItem", "BatchGetItem"},        # a pooled concert's pools
                    "orders": {"PutItem", "GetItem"},                  # read before, replay (order and
                    "tickets": {"PutItem", "GetItem"},                 # its tickets read back)
                    "codes": {"PutItem"}, **J, **OPERATOR_CHECK,
                    "shifts": {"GetItem", "UpdateItem"}},              # the sale's shift
    "getOrder": {"orders": {"GetItem"}, "tickets": {"GetItem"}},       # store_order_get
    "checkIn": {"codes": {"GetItem"},                                  # store_checkin: code lookup,
                "tickets": {"UpdateItem", "GetItem"},                  # transaction, the answer read back
                "concerts": {"UpdateItem"}, "counters": {"UpdateItem"},
                "orders": {"UpdateItem", "GetItem"}, **J, **OPERATOR_CHECK},
    "undoCheckIn": {"tickets": {"UpdateItem", "GetItem"},              # store_checkin_undo
                    "concerts": {"UpdateItem"}, "counters": {"UpdateItem"}, "orders": {"UpdateItem"}, **J,
                    **OPERATOR_CHECK},
    "refundOrder": {"orders": {"UpdateItem", "GetItem"},               # store_refund: the order before
                    "tickets": {"UpdateItem", "GetItem"},              # and after, the transaction
                    "concerts": {"UpdateItem"}, "counters": {"UpdateItem"}, **J, **OPERATOR_CHECK,
                    "shifts": {"GetItem", "UpdateItem"}},              # the refund's shift
    "concertStats": {**READ},                                          # store_concert_stats: one BatchGetItem
    "findOrders": {"orders/index/byEmail": {"Query"},                  # store_lookup_orders
                   "orders/index/byName": {"Query"},
                   "tickets/index/byHolder": {"Query"},                # and a holder's order
                   "orders": {"GetItem"}},
    "getTicketByCode": {"codes": {"GetItem"}, "tickets": {"GetItem"},  # store_ticket_by_code
                        "orders": {"GetItem"}, **READ},
    "listOperators": {},                                               # Cognito only
    # the caller's item read first, then the operator's item updated with its journal entry and the caller's
    # check in one transaction (store_operator.c)
    "createOperator": {"operators": {"GetItem", "UpdateItem", "ConditionCheckItem"}, **J},
    "disableOperator": {"operators": {"GetItem", "UpdateItem", "ConditionCheckItem"}, **J},
    "enableOperator": {"operators": {"GetItem", "UpdateItem", "ConditionCheckItem"}, **J},
    "setOperatorRole": {"operators": {"GetItem", "UpdateItem", "ConditionCheckItem"}, **J},
    "openShift": {"operators": {"UpdateItem", "GetItem"},              # store_shift_open
                  "shifts": {"PutItem", "GetItem"}, **J},
    "currentShift": {"operators": {"GetItem"}, "shifts": {"GetItem"}},  # store_shift_current
    "getShift": {"shifts": {"GetItem"}},                               # store_shift_get
    "shiftDrop": {"shifts": {"GetItem", "UpdateItem"}, **J, **OPERATOR_CHECK},  # store_shift_move
    "shiftPaidOut": {"shifts": {"GetItem", "UpdateItem"}, **J, **OPERATOR_CHECK},
    "closeShift": {"shifts": {"GetItem", "UpdateItem"},                # store_shift_close (+ the Z counter)
                   "operators": {"UpdateItem"}, **J},
    "daySheet": {"shifts/index/byDay": {"Query"}},                     # store_shift_day
    "getJournal": {"journal": {"Query"}, "journal/index/byShift": {"Query"},  # store_journal_page
                   "journal/index/byOperator": {"Query"}, "journal/index/byConcert": {"Query"},
                   "shifts": {"GetItem"}},
}
# Names that look like DynamoDB actions but are not IAM actions: a transaction is authorised per item.
NOT_IAM_ACTIONS = {"TransactWriteItems", "TransactGetItems"}
# The operators: the user pool, its app client and groups (docs: the issue 18 auth design).
POOL = "CognitoUserPool"
GROUPS = {"manager", "cashier", "door", "kiosk"}
CLIENT_FLOWS = {"ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"}
UNAUTHORIZED_BODY = ('{"message":"Unauthorized: sign in as an operator (boxoffice login); '
                     'an API key alone no longer authorizes"}')
# Cognito's admin API, for the operators routes, on the pool only.
COGNITO_ACTIONS = {"cognito-idp:" + a for a in (
    "AdminCreateUser", "AdminDisableUser", "AdminEnableUser", "AdminAddUserToGroup", "AdminRemoveUserFromGroup",
    "AdminGetUser", "ListUsers", "ListUsersInGroup", "AdminListGroupsForUser")}

failures = []


def fail(msg):
    failures.append(msg)


def as_list(v):
    return v if isinstance(v, list) else [v]


def of_type(resources, t):
    return {k: r for k, r in resources.items() if r.get("Type") == t}


def ref(v):
    return v.get("Ref") if isinstance(v, dict) and len(v) == 1 else None


def getatt(v):
    """("Logical", "Attr") for {"Fn::GetAtt": [...]} or {"Fn::GetAtt": "Logical.Attr"}, else None."""
    if not isinstance(v, dict) or list(v) != ["Fn::GetAtt"]:
        return None
    a = v["Fn::GetAtt"]
    if isinstance(a, str):
        a = a.split(".", 1)
    return tuple(a) if len(a) == 2 else None


def find_getatts(v):
    """Every Fn::GetAtt anywhere inside v."""
    g = getatt(v)
    if g:
        yield g
    elif isinstance(v, dict):
        for x in v.values():
            yield from find_getatts(x)
    elif isinstance(v, list):
        for x in v:
            yield from find_getatts(x)


def resource_path(resources, rid):
    """/a/{b} for the ResourceId of a method (a Ref chain of AWS::ApiGateway::Resource up to the root)."""
    parts = []
    for _ in range(32):
        if getatt(rid) and getatt(rid)[1] == "RootResourceId":
            return "/" + "/".join(reversed(parts))
        r = resources.get(ref(rid) or "")
        if not r or r.get("Type") != "AWS::ApiGateway::Resource":
            return None
        parts.append(r["Properties"]["PathPart"])
        rid = r["Properties"]["ParentId"]
    return None


def check_api(res, gw, stage):
    methods = of_type(res, "AWS::ApiGateway::Method")
    functions = of_type(res, "AWS::Lambda::Function")
    fn_by_name = {}
    for lid, f in functions.items():
        fname = f["Properties"].get("FunctionName", "")
        fn_by_name[fname.removeprefix(f"{SERVICE}-{stage}-")] = lid
    authorizers = {lid: a for lid, a in of_type(res, "AWS::ApiGateway::Authorizer").items()
                   if a["Properties"].get("Type") == "COGNITO_USER_POOLS"
                   and [getatt(x) for x in a["Properties"].get("ProviderARNs", [])] == [(POOL, "Arn")]
                   and a["Properties"].get("IdentitySource") == "method.request.header.Authorization"}
    deployed = {}
    for lid, m in methods.items():
        p = m["Properties"]
        if p.get("HttpMethod") == "OPTIONS":
            continue
        path = resource_path(res, p.get("ResourceId"))
        targets = [g[0] for g in find_getatts(p.get("Integration", {})) if g[0] in functions]
        integ = p.get("Integration", {})
        if integ.get("Type") != "AWS_PROXY":
            fail(f"{lid}: integration {integ.get('Type')!r}, the handlers expect AWS_PROXY events")
        if p.get("ApiKeyRequired") is True:
            fail(f"{lid}: ApiKeyRequired: an API key authorizes nothing (the operators' ID token does)")
        authz = p.get("AuthorizationType", "NONE")
        cognito = authz == "COGNITO_USER_POOLS" and ref(p.get("AuthorizerId")) in authorizers \
            and not p.get("AuthorizationScopes")
        if authz not in ("NONE", "COGNITO_USER_POOLS") or (authz == "COGNITO_USER_POOLS" and not cognito):
            fail(f"{lid}: authorization {authz} {json.dumps(p.get('AuthorizerId'))}, not the user pool's "
                 f"COGNITO_USER_POOLS authorizer (ID tokens in Authorization, no scopes) {sorted(authorizers)}")
        deployed[(p.get("HttpMethod"), path)] = (targets, cognito)
    gw_routes = {(r["method"], r["resource"]): (r["function"], r.get("authorizer") == "cognito") for r in gw["routes"]}
    if gw_routes != ROUTES:
        fail(f"the local gateway reads routes {sorted(gw_routes.items())} from serverless.yml, "
             f"expected {sorted(ROUTES.items())}")
    for r in gw["routes"]:
        if r.get("private"):
            fail(f"{r['method']} {r['resource']}: private (an API key), which authorizes nothing any more")
    for key in sorted(set(ROUTES) | set(gw_routes)):
        want_fn, want_cognito = ROUTES.get(key) or gw_routes[key]
        got = deployed.get(key)
        if not got:
            fail(f"{key[0]} {key[1]}: no AWS::ApiGateway::Method deployed")
            continue
        targets, cognito = got
        if targets != [fn_by_name.get(want_fn)]:
            fail(f"{key[0]} {key[1]}: integrates {targets}, expected the function {want_fn}")
        if cognito != want_cognito:
            fail(f"{key[0]} {key[1]}: " + ("no Cognito authorizer on an operator route" if want_cognito
                                           else "an authorizer on a public route"))
    for key in sorted(set(deployed) - set(ROUTES), key=str):
        fail(f"{key[0]} {key[1]}: deployed but not a route of the API")
    # Every function behind the API may be invoked by API Gateway.
    invokable = {g[0] for p in of_type(res, "AWS::Lambda::Permission").values()
                 if p["Properties"].get("Principal") == "apigateway.amazonaws.com"
                 and p["Properties"].get("Action") == "lambda:InvokeFunction"
                 for g in find_getatts(p["Properties"].get("FunctionName"))}
    for fn, _ in ROUTES.values():
        if fn_by_name.get(fn) not in invokable:
            fail(f"{fn}: no AWS::Lambda::Permission lets API Gateway invoke it")
    return len(deployed)


def check_no_api_keys(res):
    """No API key, usage plan or link: keys are for metering, not authorization, and no route asks for one."""
    for t in ("AWS::ApiGateway::ApiKey", "AWS::ApiGateway::UsagePlan", "AWS::ApiGateway::UsagePlanKey"):
        if of_type(res, t):
            fail(f"{t} {sorted(of_type(res, t))}: API keys authorize nothing and no route requires one")


def check_cognito(tpl, res):
    """The operators' user pool, its app client and groups, the 401 body, the outputs deploy prints."""
    apis = of_type(res, "AWS::ApiGateway::RestApi")
    api = next(iter(apis), None)
    pools = of_type(res, "AWS::Cognito::UserPool")
    if list(pools) != [POOL]:
        fail(f"user pools {sorted(pools)}, expected {POOL}")
        return
    pool = pools[POOL]
    p = pool["Properties"]
    if p.get("UsernameAttributes") != ["email"]:
        fail(f"{POOL}: UsernameAttributes {p.get('UsernameAttributes')}, expected [email] (operators sign in by e-mail)")
    if p.get("AdminCreateUserConfig", {}).get("AllowAdminCreateUserOnly") is not True:
        fail(f"{POOL}: self sign-up allowed (AdminCreateUserConfig.AllowAdminCreateUserOnly must be true)")
    pw = p.get("Policies", {}).get("PasswordPolicy", {})
    if not isinstance(pw.get("MinimumLength"), int) or pw["MinimumLength"] < 12:
        fail(f"{POOL}: password policy {pw}: at least 12 characters expected")
    for policy in ("DeletionPolicy", "UpdateReplacePolicy"):
        if pool.get(policy) != "Retain":
            fail(f"{POOL}: {policy} {pool.get(policy) or 'missing'}: every operator account would be lost; want Retain")
    clients = of_type(res, "AWS::Cognito::UserPoolClient")
    if len(clients) != 1:
        fail(f"app clients {sorted(clients)}, expected one")
    for cid, c in clients.items():
        cp = c["Properties"]
        if ref(cp.get("UserPoolId")) != POOL:
            fail(f"{cid}: not a client of {POOL}")
        if cp.get("GenerateSecret") is not False:
            fail(f"{cid}: GenerateSecret {cp.get('GenerateSecret')!r}: the box office is a public client (no secret)")
        if set(cp.get("ExplicitAuthFlows", [])) != CLIENT_FLOWS:
            fail(f"{cid}: ExplicitAuthFlows {cp.get('ExplicitAuthFlows')}, expected {sorted(CLIENT_FLOWS)}")
        units = cp.get("TokenValidityUnits", {})
        want = {"IdToken": (1, "hours"), "AccessToken": (1, "hours"), "RefreshToken": (30, "days")}
        for tok, (n, unit) in want.items():
            got = (cp.get(f"{tok}Validity"), units.get(tok))
            if got != (n, unit):
                fail(f"{cid}: {tok} valid {got[0]} {got[1]}, expected {n} {unit}")
    groups = of_type(res, "AWS::Cognito::UserPoolGroup")
    names = sorted(g["Properties"].get("GroupName") for g in groups.values())
    if names != sorted(GROUPS):
        fail(f"user pool groups {names}, expected {sorted(GROUPS)}")
    for gid, g in groups.items():
        if ref(g["Properties"].get("UserPoolId")) != POOL:
            fail(f"{gid}: not a group of {POOL}")
    responses = {r["Properties"].get("ResponseType"): r["Properties"]
                 for r in of_type(res, "AWS::ApiGateway::GatewayResponse").values()
                 if ref(r["Properties"].get("RestApiId")) == api}
    un = responses.get("UNAUTHORIZED", {})
    if un.get("StatusCode") != "401" or un.get("ResponseTemplates", {}).get("application/json") != UNAUTHORIZED_BODY:
        fail(f"GatewayResponse UNAUTHORIZED {json.dumps(un)}: expected 401 with {UNAUTHORIZED_BODY}")
    d4 = responses.get("DEFAULT_4XX", {}).get("ResponseTemplates", {}).get("application/json")
    if d4 != '{"message":$context.error.messageString}':
        fail(f"GatewayResponse DEFAULT_4XX template {d4!r}: API Gateway's other 4XX keep {{\"message\": ...}}")
    # every deployment of the API is made after the gateway responses (else a new stage starts without them)
    def after(lid, seen):
        for d in as_list(res.get(lid, {}).get("DependsOn", [])):
            if d not in seen:
                seen.add(d)
                after(d, seen)
        return seen
    wanted = {lid for lid, r in of_type(res, "AWS::ApiGateway::GatewayResponse").items()}
    for lid in of_type(res, "AWS::ApiGateway::Deployment"):
        missing = wanted - after(lid, set())
        if missing:
            fail(f"{lid} does not wait for {sorted(missing)}: the stage's first deployment would lack them")
    outputs = tpl.get("Outputs", {})
    for name, lid in (("UserPoolId", POOL), ("UserPoolClientId", next(iter(clients), None))):
        if ref(outputs.get(name, {}).get("Value")) != lid:
            fail(f"output {name}: {json.dumps(outputs.get(name))}, expected Ref {lid} (scripts/deploy.sh prints it)")


def check_functions(res, gw, tables, stage, zip_sha):
    functions = of_type(res, "AWS::Lambda::Function")
    gw_fns = {f["name"]: f for f in gw["functions"]}
    names = {fn for fn, _ in ROUTES.values()}
    if set(gw_fns) != names:
        fail(f"the local gateway reads functions {sorted(gw_fns)}, expected {sorted(names)}")
    by_name = {}
    for lid, f in functions.items():
        p = f["Properties"]
        name = p.get("FunctionName", "").removeprefix(f"{SERVICE}-{stage}-")
        by_name[name] = lid
        if p.get("Runtime") != RUNTIME:
            fail(f"{lid}: Runtime {p.get('Runtime')!r}, expected {RUNTIME}")
        if p.get("Handler") != f"{HANDLER_MODULE}.{name}":
            fail(f"{lid}: Handler {p.get('Handler')!r}, expected {HANDLER_MODULE}.{name}")
        env = p.get("Environment", {}).get("Variables", {})
        if ref(env.get("USER_POOL_ID")) != POOL:
            fail(f"{lid}: USER_POOL_ID={json.dumps(env.get('USER_POOL_ID'))}, expected Ref {POOL}")
        for var, role in TABLE_ENV.items():
            if env.get(var) != tables.get(role):
                fail(f"{lid}: {var}={env.get(var)!r}, the {role} table is {tables.get(role)!r}")
        g = gw_fns.get(name)
        if g:
            if g["handler"] != p.get("Handler") or g["functionName"] != p.get("FunctionName"):
                fail(f"{name}: the local gateway runs {g['functionName']} {g['handler']}, "
                     f"AWS {p.get('FunctionName')} {p.get('Handler')}")
            # an intrinsic ({Ref: ...}) is known once deployed: the gateway (without --cognito-issuer) leaves it out
            known = {k: v for k, v in env.items() if not isinstance(v, dict)}
            if g["environment"] != known or g["memorySize"] != p.get("MemorySize") or g["timeout"] != p.get("Timeout"):
                fail(f"{name}: environment/memory/timeout differ between the local gateway and AWS")
        if not getatt(p.get("Role")) or getatt(p.get("Role"))[0] != "IamRoleLambdaExecution":
            fail(f"{lid}: Role is not the service role IamRoleLambdaExecution")
    if set(by_name) != names:
        fail(f"deployed functions {sorted(by_name)}, expected {sorted(names)}")
    versions = of_type(res, "AWS::Lambda::Version")
    for v, r in versions.items():
        if r["Properties"].get("CodeSha256") != zip_sha:
            fail(f"{v}: CodeSha256 {r['Properties'].get('CodeSha256')}, not the artifact's {zip_sha}")
    if not versions:
        fail("no AWS::Lambda::Version: cannot tell which artifact is deployed")
    return by_name


def check_tables(res, gw, stage, expected):
    """Returns {"concerts": name, ..., "orders/index/byEmail": "<orders name>/index/byEmail", ...} and
    {logical id: name}."""
    tables = of_type(res, "AWS::DynamoDB::Table")
    want = {role: f"{SERVICE}-{role}-{stage}" for role in TABLE_ENV.values()}
    by_lid = {}
    for lid, t in tables.items():
        p = t["Properties"]
        by_lid[lid] = p.get("TableName")
        for policy in ("DeletionPolicy", "UpdateReplacePolicy"):
            if t.get(policy) != "Retain":
                fail(f"{lid}: {policy} {t.get(policy) or 'missing'}: the sales would be lost "
                     f"({'serverless remove' if policy == 'DeletionPolicy' else 'a replacing update'}); want Retain")
        pitr = p.get("PointInTimeRecoverySpecification", {}).get("PointInTimeRecoveryEnabled")
        if pitr is not True:
            fail(f"{lid}: point-in-time recovery off (PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled)")
        role = next((r for r, n in want.items() if n == p.get("TableName")), None)
        if role in KEYED_TABLES:
            check_keyed_table(lid, p, *KEYED_TABLES[role])
        else:
            check_sales_table(lid, p, want, expected)
        if p.get("LocalSecondaryIndexes"):
            fail(f"{lid}: local secondary indexes {p['LocalSecondaryIndexes']}: none expected")
        if p.get("BillingMode") != "PAY_PER_REQUEST":
            fail(f"{lid}: BillingMode {p.get('BillingMode')!r}, expected PAY_PER_REQUEST")
    if sorted(by_lid.values()) != sorted(want.values()):
        fail(f"tables {sorted(by_lid.values())}, expected {sorted(want.values())}")
    return finish_tables(res, gw, tables, want, by_lid)


def check_keyed_table(lid, p, keys, indexes):
    """An issue-18 table: exactly its keys (and attribute types) and its indexes, projection ALL, on-demand."""
    attrs = {(a, t) for a, t, _ in keys} | {(a, t) for k in indexes.values() for a, t, _ in k}
    if p.get("KeySchema") != [{"AttributeName": a, "KeyType": k} for a, _, k in keys]:
        fail(f"{lid}: key schema {p.get('KeySchema')}, expected {keys}")
    got = {(a.get("AttributeName"), a.get("AttributeType")) for a in p.get("AttributeDefinitions", [])}
    if got != attrs or len(p.get("AttributeDefinitions", [])) != len(attrs):
        fail(f"{lid}: attribute definitions {sorted(got)}, expected {sorted(attrs)}")
    gsis = {g.get("IndexName"): g for g in p.get("GlobalSecondaryIndexes", [])}
    if set(gsis) != set(indexes):
        fail(f"{lid}: global secondary indexes {sorted(gsis)}, expected {sorted(indexes)}")
    for name, k in indexes.items():
        g = gsis.get(name)
        if not g:
            continue
        if g.get("KeySchema") != [{"AttributeName": a, "KeyType": t} for a, _, t in k]:
            fail(f"{lid}: index {name} keys {g.get('KeySchema')}, expected {k}")
        if g.get("Projection") != {"ProjectionType": "ALL"}:
            fail(f"{lid}: index {name} projection {g.get('Projection')}, expected ALL")
        if "ProvisionedThroughput" in g:
            fail(f"{lid}: index {name} has ProvisionedThroughput: on-demand like its table")


def check_sales_table(lid, p, want, expected):
    """One of the four sales tables: keyed by one string (id; code for codes), the orders' and tickets' GSIs."""
    key = "code" if p.get("TableName") == want.get("codes") else "id"  # the door reads codes by code
    indexes = {n: INDEXES[n] for n in expected} if p.get("TableName") == want.get("orders") else \
        dict(TICKET_INDEXES) if p.get("TableName") == want.get("tickets") else {}
    attrs = [key] + [a for k in indexes.values() for a in k]
    if p.get("KeySchema") != [{"AttributeName": key, "KeyType": "HASH"}] or \
       sorted(json.dumps(a, sort_keys=True) for a in p.get("AttributeDefinitions", [])) != \
       sorted(json.dumps({"AttributeName": a, "AttributeType": "S"}, sort_keys=True) for a in attrs):
        fail(f"{lid}: key is not the string hash key {key} (attributes {attrs}): "
             f"{p.get('KeySchema')} {p.get('AttributeDefinitions')}")
    gsis = {g.get("IndexName"): g for g in p.get("GlobalSecondaryIndexes", [])}
    if set(gsis) != set(indexes):
        fail(f"{lid}: global secondary indexes {sorted(gsis)}, expected {sorted(indexes)}")
    for name, (h, r) in indexes.items():
        g = gsis.get(name)
        if not g:
            continue
        if g.get("KeySchema") != [{"AttributeName": h, "KeyType": "HASH"}, {"AttributeName": r, "KeyType": "RANGE"}]:
            fail(f"{lid}: index {name} keys {g.get('KeySchema')}, expected {h} HASH, {r} RANGE")
        if g.get("Projection") != {"ProjectionType": "ALL"}:
            fail(f"{lid}: index {name} projection {g.get('Projection')}, expected ALL (the answers are whole orders)")
        if "ProvisionedThroughput" in g:
            fail(f"{lid}: index {name} has ProvisionedThroughput: on-demand like its table")


def finish_tables(res, gw, tables, want, by_lid):
    for name in INDEXES:
        want[f"orders/index/{name}"] = f"{want['orders']}/index/{name}"
    for name in TICKET_INDEXES:
        want[f"tickets/index/{name}"] = f"{want['tickets']}/index/{name}"
    for role, (_, indexes) in KEYED_TABLES.items():
        for name in indexes:
            want[f"{role}/index/{name}"] = f"{want[role]}/index/{name}"
    # The local stack creates the same tables with the same keys and billing.
    keep = ("TableName", "AttributeDefinitions", "KeySchema", "BillingMode", "GlobalSecondaryIndexes")
    local = sorted(json.dumps({k: t.get(k) for k in keep}, sort_keys=True) for t in gw["tables"])
    aws = sorted(json.dumps({k: t["Properties"].get(k) for k in keep}, sort_keys=True) for t in tables.values())
    if local != aws:
        fail(f"the local gateway creates tables {local}, AWS {aws}")
    return want, by_lid


def table_of_arn(v, by_lid):
    """(table name or None, exact): the table (or "<table>/index/<name>") a policy Resource names, and
    whether it names only that (no wildcard in region, account or name, not a stream)."""
    g = getatt(v)
    if g:
        return (by_lid.get(g[0]), True) if g[1] == "Arn" else (None, False)
    if isinstance(v, dict) and list(v) == ["Fn::Join"]:  # [GetAtt Table.Arn, "/index/<name>"]
        sep, parts = v["Fn::Join"]
        if sep == "" and len(parts) == 2 and getatt(parts[0]) and getatt(parts[0])[1] == "Arn" and \
           isinstance(parts[1], str) and parts[1].startswith("/index/"):
            t = by_lid.get(getatt(parts[0])[0])
            idx = parts[1][len("/index/"):]
            ok = t is not None and idx != "" and not any(c in idx for c in "*?/")
            return (f"{t}{parts[1]}" if ok else None), ok
        return None, False
    if isinstance(v, str) and v.startswith("arn:") and ":dynamodb:" in v and ":table/" in v:
        name = v.split(":table/", 1)[1]
        parts = name.split("/")
        index = len(parts) == 3 and parts[1] == "index"
        return name, "*" not in v and "?" not in v and (len(parts) == 1 or index)
    return None, False


def check_iam(res, tables, by_lid, stage):
    if of_type(res, "AWS::IAM::Policy") or of_type(res, "AWS::IAM::ManagedPolicy"):
        fail("extra IAM policies: every grant belongs in provider.iam.role.statements")
    roles = of_type(res, "AWS::IAM::Role")
    if list(roles) != ["IamRoleLambdaExecution"]:
        fail(f"IAM roles {sorted(roles)}, expected the service role IamRoleLambdaExecution only")
    role = roles.get("IamRoleLambdaExecution", {}).get("Properties", {})
    if role.get("ManagedPolicyArns"):
        fail(f"the role has managed policies {role['ManagedPolicyArns']}: grants beyond serverless.yml")
    granted = {}  # table name -> actions
    log_prefix = f"log-group:/aws/lambda/{SERVICE}-{stage}"
    for pol in role.get("Policies", []):
        for st in as_list(pol["PolicyDocument"]["Statement"]):
            actions = as_list(st.get("Action", []))
            if st.get("Effect") != "Allow" or "NotAction" in st or "NotResource" in st:
                fail(f"unexpected statement {json.dumps(st)}")
                continue
            if all(a.startswith("logs:") for a in actions):
                for r in as_list(st.get("Resource", [])):
                    if log_prefix not in json.dumps(r):
                        fail(f"logs actions on {json.dumps(r)}, beyond the service's log groups")
                continue
            if any(a.startswith("cognito-idp:") for a in actions):
                if not set(actions) <= COGNITO_ACTIONS:
                    fail(f"actions {sorted(set(actions) - COGNITO_ACTIONS)}: beyond the operators routes' Cognito calls")
                if [getatt(r) for r in as_list(st.get("Resource", []))] != [(POOL, "Arn")]:
                    fail(f"Cognito actions on {json.dumps(st.get('Resource'))}: the operators' pool only")
                granted.setdefault(POOL, set()).update(actions)
                continue
            for a in actions:
                svc, _, op = a.partition(":")
                if svc != "dynamodb":
                    fail(f"action {a}: the handlers use DynamoDB only")
                elif op in NOT_IAM_ACTIONS:
                    fail(f"action {a} is not an IAM action: DynamoDB authorises a transaction per item "
                         f"(PutItem/UpdateItem/ConditionCheckItem/DeleteItem on each table)")
                elif "*" in op or "?" in op:
                    fail(f"action {a}: wildcard")
            names = []
            known = set(tables.values())
            for r in as_list(st.get("Resource", [])):
                t, exact = table_of_arn(r, by_lid)
                if t not in known or not exact:
                    fail(f"resource {json.dumps(r)} is not exactly one of the service's tables or indexes")
                if t in known:
                    names.append(t)
            for t in names:
                granted.setdefault(t, set()).update(a.partition(":")[2] for a in actions
                                                    if a.startswith("dynamodb:"))
    needed = {}
    for fn, per_table in NEEDS.items():
        for role_name, ops in per_table.items():
            for op in ops:
                needed.setdefault(tables[role_name], {}).setdefault(op, []).append(fn)
    missing = COGNITO_ACTIONS - granted.pop(POOL, set())
    if missing:
        fail(f"{sorted(missing)} on {POOL} not granted: the operators routes call them")
    for t in sorted(set(granted) | set(needed)):
        for op in sorted(set(needed.get(t, {})) - granted.get(t, set())):
            fail(f"dynamodb:{op} on {t} not granted, {', '.join(needed[t][op])} needs it")
        for op in sorted(granted.get(t, set()) - set(needed.get(t, {}))):
            fail(f"dynamodb:{op} on {t} granted, no handler uses it")
    return granted


def main(argv):
    expected = list(INDEXES)
    if len(argv) == 7 and argv[1] == "--indexes":
        expected = argv[2].split(",") if argv[2] else []
        argv = argv[:1] + argv[3:]
    if len(argv) != 5 or any(n not in INDEXES for n in expected):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    template_path, gw_path, zip_path, stage = argv[1:]
    with open(template_path) as f:
        tpl = json.load(f)
    with open(gw_path) as f:
        gw = json.load(f)
    with open(zip_path, "rb") as f:
        zip_sha = base64.b64encode(hashlib.sha256(f.read()).digest()).decode()
    if gw.get("stage") != stage:
        fail(f"the gateway config is for stage {gw.get('stage')!r}, not {stage!r}")
    res = tpl["Resources"]
    tables, by_lid = check_tables(res, gw, stage, expected)
    n_methods = check_api(res, gw, stage)
    check_no_api_keys(res)
    check_cognito(tpl, res)
    fns = check_functions(res, gw, tables, stage, zip_sha)
    granted = check_iam(res, tables, by_lid, stage)
    if failures:
        for m in failures:
            print(f"FAIL: {m}")
        print(f"check_template: {len(failures)} failed assertion(s) in {template_path}")
        return 1
    print(f"check_template: {n_methods} methods ({sum(1 for _, c in ROUTES.values() if c)} with the Cognito "
          f"authorizer, no API key), user pool with groups {','.join(sorted(GROUPS))}, "
          f"{len(fns)} functions on {RUNTIME}, "
          f"tables {', '.join(sorted(by_lid.values()))} retained with PITR, orders GSIs {','.join(expected) or 'none'}, grants "
          + "; ".join(f"{t}: {' '.join(sorted(a))}" for t, a in sorted(granted.items())))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
