/* local-gateway's serverless.yml reading: the YAML tree, Serverless variables (self/opt/sls/env,
 * fallbacks, nesting, loops), and the config taken from the real backend/serverless.yml. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gw_config.h"
#include "gw_yaml.h"

static gw_ynode *parse(const char *text)
{
    char err[256] = "";
    gw_ynode *n = gw_yaml_parse(text, strlen(text), err, sizeof err);
    if (!n) fprintf(stderr, "parse error: %s\n", err);
    return n;
}

static void builds_maps_sequences_and_scalars(void **state)
{
    (void)state;
    gw_ynode *r = parse("a: 1\nb:\n  c: 'x y'\n  d: [p, q]\nlist:\n  - k: v\n  - plain\n");
    assert_non_null(r);
    assert_string_equal(gw_yaml_str(r, "a"), "1");
    assert_false(gw_yaml_get(r, "a")->quoted);
    assert_string_equal(gw_yaml_str(r, "b.c"), "x y");
    assert_true(gw_yaml_get(r, "b.c")->quoted);
    assert_string_equal(gw_yaml_str(r, "b.d.1"), "q");
    assert_string_equal(gw_yaml_str(r, "list.0.k"), "v");
    assert_string_equal(gw_yaml_str(r, "list.1"), "plain");
    assert_null(gw_yaml_get(r, "list.2"));
    assert_null(gw_yaml_get(r, "b.nope"));
    assert_null(gw_yaml_str(r, "b"));           /* a map is no scalar */
    gw_yaml_free(r);
}

static void refuses_broken_yaml_and_aliases(void **state)
{
    (void)state;
    char err[256] = "";
    const char *bad = "a: [1, 2\nb: c\n";
    assert_null(gw_yaml_parse(bad, strlen(bad), err, sizeof err));
    assert_non_null(strstr(err, "line"));
    const char *alias = "a: &x 1\nb: *x\n";
    assert_null(gw_yaml_parse(alias, strlen(alias), err, sizeof err));
    assert_non_null(strstr(err, "alias"));
    gw_ynode *empty = gw_yaml_parse("", 0, err, sizeof err);
    assert_non_null(empty);
    assert_int_equal(empty->type, GW_Y_MAP);
    gw_yaml_free(empty);
}

static char *expand(const gw_ynode *root, const gw_yopts *o, const char *s)
{
    char err[256] = "";
    return gw_yaml_expand(root, o, s, err, sizeof err);
}

static void resolves_self_opt_sls_and_fallbacks(void **state)
{
    (void)state;
    gw_ynode *r = parse("service: svc\nprovider:\n  stage: ${opt:stage, 'dev'}\n  region: ${opt:region, \"us-east-1\"}\n"
                        "  environment:\n    T: ${self:service}-t-${opt:stage, self:provider.stage}\n");
    assert_non_null(r);
    gw_yopts none = {NULL, NULL, NULL}, prod = {"prod", "eu-west-1", NULL};
    char *s;
    s = expand(r, &none, "${self:provider.environment.T}");
    assert_string_equal(s, "svc-t-dev");
    free(s);
    s = expand(r, &prod, "${self:provider.environment.T}");
    assert_string_equal(s, "svc-t-prod");
    free(s);
    s = expand(r, &none, "${sls:stage}/${opt:region, self:provider.region}");
    assert_string_equal(s, "dev/us-east-1");
    free(s);
    s = expand(r, &prod, "${sls:stage}/${opt:region, self:provider.region}");
    assert_string_equal(s, "prod/eu-west-1");
    free(s);
    s = expand(r, &none, "${opt:stage, ${self:service}}-x");      /* nested fallback */
    assert_string_equal(s, "svc-x");
    free(s);
    s = expand(r, &none, "${opt:nothing, 42}");                    /* bare literal */
    assert_string_equal(s, "42");
    free(s);
    setenv("GW_TEST_VAR", "from-env", 1);
    s = expand(r, &none, "${env:GW_TEST_VAR}-${env:GW_TEST_UNSET_VAR, 'dflt'}");
    assert_string_equal(s, "from-env-dflt");
    free(s);
    assert_null(expand(r, &none, "${opt:stage}"));                 /* no option, no fallback */
    assert_null(expand(r, &none, "${ssm:/param}"));                /* not available locally */
    assert_null(expand(r, &none, "${self:nope.none}"));
    gw_yaml_free(r);
}

static void detects_loops_and_malformed_variables(void **state)
{
    (void)state;
    gw_ynode *r = parse("a: ${self:b}\nb: ${self:a}\nc: ${self:a\n");
    assert_non_null(r);
    char err[256] = "";
    size_t unresolved = 0;
    assert_int_equal(gw_yaml_resolve(r, NULL, &unresolved, err, sizeof err), -1);
    assert_true(strstr(err, "loop") || strstr(err, "unbalanced"));
    gw_yaml_free(r);
}

static void resolve_leaves_unknown_sources_and_counts_them(void **state)
{
    (void)state;
    gw_ynode *r = parse("a: ${ssm:/x}\nb: ${self:c}-ok\nc: fine\n");
    char err[256] = "";
    size_t unresolved = 0;
    assert_int_equal(gw_yaml_resolve(r, NULL, &unresolved, err, sizeof err), 0);
    assert_int_equal(unresolved, 1);
    assert_string_equal(gw_yaml_str(r, "a"), "${ssm:/x}");
    assert_string_equal(gw_yaml_str(r, "b"), "fine-ok");
    gw_yaml_free(r);
}

static const char *backend_yml(void)
{
    static char path[4096];
    const char *dir = getenv("GW_TEST_BACKEND_DIR");
    snprintf(path, sizeof path, "%s/serverless.yml", dir ? dir : ".");
    FILE *f = fopen(path, "r");
    if (!f) snprintf(path, sizeof path, "backend/serverless.yml");   /* run from the repository root */
    else fclose(f);
    return path;
}

static void reads_the_real_serverless_yml(void **state)
{
    (void)state;
    gw_config cfg;
    char err[512] = "";
    gw_yopts none = {NULL, NULL, NULL};
    int rc = gw_config_load(backend_yml(), &none, &cfg, err, sizeof err);
    if (rc != 0) fprintf(stderr, "%s\n", err);
    assert_int_equal(rc, 0);
    assert_string_equal(cfg.service, "concert-ticket-system");
    assert_string_equal(cfg.stage, "dev");
    assert_string_equal(cfg.region, "us-east-1");
    assert_int_equal(cfg.n_functions, 25); /* 12 + the operators' 5 + the 8 of shifts and the journal */
    static const char *const names[] = {"createConcert", "getConcert", "listConcerts", "purchaseTicket",
                                        "createOrder", "getOrder", "checkIn", "undoCheckIn",
                                        "refundOrder", "concertStats", "findOrders", "getTicketByCode",
                                        "listOperators", "createOperator", "disableOperator", "enableOperator",
                                        "setOperatorRole"};
    for (size_t i = 0; i < 17; i++) {
        int f = gw_config_function(&cfg, names[i]);
        assert_true(f >= 0);
        char handler[64];
        snprintf(handler, sizeof handler, "concert-service.%s", names[i]);
        assert_string_equal(cfg.functions[f].handler, handler);
        assert_int_equal(cfg.functions[f].memory_mb, 128);
        assert_true(cfg.functions[f].timeout_s >= 3 && cfg.functions[f].timeout_s <= 29);
        bool have_c = false, have_t = false, have_o = false, have_k = false;
        for (size_t k = 0; k < cfg.functions[f].n_env; k++) {
            have_c = have_c || strcmp(cfg.functions[f].env[k], "CONCERTS_TABLE=concert-ticket-system-concerts-dev") == 0;
            have_t = have_t || strcmp(cfg.functions[f].env[k], "TICKETS_TABLE=concert-ticket-system-tickets-dev") == 0;
            have_o = have_o || strcmp(cfg.functions[f].env[k], "ORDERS_TABLE=concert-ticket-system-orders-dev") == 0;
            have_k = have_k || strcmp(cfg.functions[f].env[k], "CODES_TABLE=concert-ticket-system-codes-dev") == 0;
        }
        assert_true(have_c && have_t && have_o && have_k);
    }
    assert_int_equal(cfg.n_routes, 26); /* 13 + the operators' 5 + the 8 of shifts and the journal (issue 18) */
    int cognito_routes = 0;
    for (size_t i = 0; i < cfg.n_routes; i++) {
        assert_false(cfg.routes[i].private_route);   /* no API key authorizes anything */
        if (cfg.routes[i].authorizer == GW_AUTHZ_COGNITO) {
            cognito_routes++;
            bool known = (strcmp(cfg.routes[i].method, "POST") == 0 && strcmp(cfg.routes[i].resource, "/concerts") == 0) ||
                         (strcmp(cfg.routes[i].method, "POST") == 0 &&
                          strcmp(cfg.routes[i].resource, "/box-office/orders") == 0) ||
                         (strcmp(cfg.routes[i].method, "GET") == 0 && strcmp(cfg.routes[i].resource, "/orders/{id}") == 0) ||
                         (strcmp(cfg.routes[i].method, "POST") == 0 && strcmp(cfg.routes[i].resource, "/checkins") == 0) ||
                         (strcmp(cfg.routes[i].method, "POST") == 0 &&
                          strcmp(cfg.routes[i].resource, "/checkins/{ticketId}/undo") == 0) ||
                         (strcmp(cfg.routes[i].method, "POST") == 0 &&
                          strcmp(cfg.routes[i].resource, "/orders/{id}/refund") == 0) ||
                         (strcmp(cfg.routes[i].method, "GET") == 0 &&
                          strcmp(cfg.routes[i].resource, "/concerts/{id}/stats") == 0) ||
                         (strcmp(cfg.routes[i].method, "GET") == 0 && strcmp(cfg.routes[i].resource, "/orders") == 0) ||
                         (strcmp(cfg.routes[i].method, "GET") == 0 &&
                          strcmp(cfg.routes[i].resource, "/tickets/by-code/{code}") == 0) ||
                         strncmp(cfg.routes[i].resource, "/operators", 10) == 0 ||
                         strncmp(cfg.routes[i].resource, "/shifts", 7) == 0 ||
                         strcmp(cfg.routes[i].resource, "/journal") == 0;
            assert_true(known);
        }
    }
    assert_int_equal(cognito_routes, 22);   /* the operator routes (the operators' five, shifts' and the journal's
                                               eight too); the others are public */
    assert_int_equal(cfg.n_api_key_names, 0);
    assert_string_equal(cfg.unauthorized_body, "{\"message\":\"Unauthorized: sign in as an operator (boxoffice login); "
                                               "an API key alone no longer authorizes\"}");
    assert_int_equal(cfg.n_tables, 8); /* + operators, shifts, journal (issue 18), counters (issue 19) */
    char *t0 = cJSON_PrintUnformatted(cfg.tables[0]);
    assert_string_equal(t0, "{\"TableName\":\"concert-ticket-system-concerts-dev\","
                            "\"AttributeDefinitions\":[{\"AttributeName\":\"id\",\"AttributeType\":\"S\"}],"
                            "\"KeySchema\":[{\"AttributeName\":\"id\",\"KeyType\":\"HASH\"}],"
                            "\"BillingMode\":\"PAY_PER_REQUEST\"}");
    free(t0);
    /* the orders table comes with its lookup indexes (created by --create-tables) */
    const cJSON *gsis = cJSON_GetObjectItem(cfg.tables[2], "GlobalSecondaryIndexes");
    assert_string_equal(cJSON_GetObjectItem(cfg.tables[2], "TableName")->valuestring, "concert-ticket-system-orders-dev");
    assert_int_equal(cJSON_GetArraySize(gsis), 2);
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(gsis, 0), "IndexName")->valuestring, "byEmail");
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(gsis, 1), "IndexName")->valuestring, "byName");
    gw_config_free(&cfg);

    gw_yopts prod = {"prod", "eu-central-1", NULL};
    assert_int_equal(gw_config_load(backend_yml(), &prod, &cfg, err, sizeof err), 0);
    assert_string_equal(cfg.stage, "prod");
    assert_string_equal(cfg.region, "eu-central-1");
    assert_string_equal(cfg.functions[0].full_name, "concert-ticket-system-prod-createConcert");
    assert_string_equal(cJSON_GetObjectItem(cfg.tables[1], "TableName")->valuestring, "concert-ticket-system-tickets-prod");
    gw_config_free(&cfg);
}

static void config_overrides_and_errors(void **state)
{
    (void)state;
    const char *yml =
        "service: s\nprovider:\n  name: aws\n  timeout: 7\n  environment: {A: '1', B: two}\n"
        "functions:\n  f:\n    handler: h.f\n    memorySize: 512\n    environment: {B: three}\n"
        "    events:\n      - http: GET a/{x}\n      - http: {path: /b/, method: '*'}\n      - schedule: rate(1 minute)\n"
        "  g:\n    handler: h.g\n";
    gw_config cfg;
    char err[256] = "";
    assert_int_equal(gw_config_from_text(yml, strlen(yml), NULL, &cfg, err, sizeof err), 0);
    assert_string_equal(cfg.stage, "dev");
    assert_int_equal(cfg.functions[0].memory_mb, 512);
    assert_int_equal(cfg.functions[0].timeout_s, 7);
    assert_int_equal(cfg.functions[1].memory_mb, 1024);
    assert_int_equal(cfg.functions[0].n_env, 2);
    assert_string_equal(cfg.functions[0].env[1], "B=three");
    assert_int_equal(cfg.n_routes, 2);
    assert_string_equal(cfg.routes[0].resource, "/a/{x}");
    assert_string_equal(cfg.routes[1].resource, "/b");
    assert_string_equal(cfg.routes[1].method, "ANY");
    gw_config_free(&cfg);

    const char *dup = "service: s\nfunctions:\n  f:\n    handler: h\n    events:\n      - http: GET a\n      - http: get a\n";
    assert_int_equal(gw_config_from_text(dup, strlen(dup), NULL, &cfg, err, sizeof err), -1);
    assert_non_null(strstr(err, "twice"));
    const char *nohandler = "service: s\nfunctions:\n  f:\n    events: []\n";
    assert_int_equal(gw_config_from_text(nohandler, strlen(nohandler), NULL, &cfg, err, sizeof err), -1);
    assert_non_null(strstr(err, "handler"));
    const char *badmem = "service: s\nprovider: {memorySize: lots}\nfunctions:\n  f: {handler: h}\n";
    assert_int_equal(gw_config_from_text(badmem, strlen(badmem), NULL, &cfg, err, sizeof err), -1);
    assert_non_null(strstr(err, "memorySize"));
    const char *unresolved = "service: ${ssm:/name}\nfunctions:\n  f: {handler: h}\n";
    assert_int_equal(gw_config_from_text(unresolved, strlen(unresolved), NULL, &cfg, err, sizeof err), -1);
    const char *badmethod = "service: s\nfunctions:\n  f:\n    handler: h\n    events: [{http: {path: a, method: fetch}}]\n";
    assert_int_equal(gw_config_from_text(badmethod, strlen(badmethod), NULL, &cfg, err, sizeof err), -1);
    assert_non_null(strstr(err, "method"));
}

/* The authorizer spellings Serverless v3 accepts for a REST API, the UNAUTHORIZED GatewayResponse body, and
 * environment values written as CloudFormation intrinsics. */
static void config_authorizers_and_intrinsics(void **state)
{
    (void)state;
    const char *yml =
        "service: s\n"
        "provider:\n  environment:\n    POOL: {Ref: Pool}\n    TABLE: {Ref: T}\n    ARN: {'Fn::GetAtt': [Pool, Arn]}\n"
        "functions:\n  f:\n    handler: h.f\n    events:\n"
        "      - http: {path: a, method: get, authorizer: {type: COGNITO_USER_POOLS, authorizerId: {Ref: Az}}}\n"
        "      - http: {path: b, method: get, authorizer: {name: c, type: cognito_user_pools, arn: {'Fn::GetAtt': [Pool, Arn]}}}\n"
        "      - http: {path: c, method: get, authorizer: {arn: {'Fn::GetAtt': [Pool, Arn]}}}\n"
        "      - http: {path: d, method: get, authorizer: {arn: 'arn:aws:cognito-idp:eu-west-1:1:userpool/eu-west-1_x'}}\n"
        "      - http: {path: e, method: get, authorizer: 'arn:aws:cognito-idp:eu-west-1:1:userpool/eu-west-1_x'}\n"
        "      - http: {path: f, method: get, authorizer: authFunction}\n"
        "      - http: {path: g, method: get, authorizer: aws_iam}\n"
        "      - http: {path: h, method: get, authorizer: {arn: {'Fn::GetAtt': [T, Arn]}}}\n"
        "      - http: {path: i, method: get, authorizer: {name: authFunction, type: TOKEN}}\n"
        "      - http: {path: j, method: get, private: true}\n"
        "resources:\n  Resources:\n    Pool: {Type: 'AWS::Cognito::UserPool'}\n    T: {Type: 'AWS::DynamoDB::Table', Properties: {TableName: t}}\n"
        "    R:\n      Type: AWS::ApiGateway::GatewayResponse\n"
        "      Properties: {ResponseType: UNAUTHORIZED, ResponseTemplates: {application/json: '{\"message\":\"sign in\"}'}}\n";
    gw_config cfg;
    char err[256] = "";
    gw_yopts with_pool = {NULL, NULL, "local_abc"};
    assert_int_equal(gw_config_from_text(yml, strlen(yml), &with_pool, &cfg, err, sizeof err), 0);
    static const gw_authorizer want[] = {GW_AUTHZ_COGNITO, GW_AUTHZ_COGNITO, GW_AUTHZ_COGNITO, GW_AUTHZ_COGNITO,
                                         GW_AUTHZ_COGNITO, GW_AUTHZ_UNSUPPORTED, GW_AUTHZ_UNSUPPORTED,
                                         GW_AUTHZ_UNSUPPORTED, GW_AUTHZ_UNSUPPORTED, GW_AUTHZ_NONE};
    assert_int_equal(cfg.n_routes, 10);
    for (size_t i = 0; i < 10; i++) {
        if (cfg.routes[i].authorizer != want[i]) fail_msg("route %s: authorizer %d", cfg.routes[i].resource, cfg.routes[i].authorizer);
    }
    assert_true(cfg.routes[9].private_route);
    assert_string_equal(cfg.unauthorized_body, "{\"message\":\"sign in\"}");
    /* {Ref: <the user pool>} is the pool id; other intrinsics are left unset */
    assert_int_equal(cfg.functions[0].n_env, 1);
    assert_string_equal(cfg.functions[0].env[0], "POOL=local_abc");
    gw_config_free(&cfg);
    assert_int_equal(gw_config_from_text(yml, strlen(yml), NULL, &cfg, err, sizeof err), 0);
    assert_int_equal(cfg.functions[0].n_env, 0);        /* no pool id known: unset too */
    gw_config_free(&cfg);

    /* no GatewayResponse, or a template that is no JSON ($context variables): API Gateway's default body */
    const char *plain = "service: s\nfunctions:\n  f: {handler: h}\nresources:\n  Resources:\n    R:\n"
                        "      Type: AWS::ApiGateway::GatewayResponse\n"
                        "      Properties: {ResponseType: UNAUTHORIZED, ResponseTemplates: {application/json: '{\"m\":$context.error.messageString}'}}\n";
    assert_int_equal(gw_config_from_text(plain, strlen(plain), NULL, &cfg, err, sizeof err), 0);
    assert_string_equal(cfg.unauthorized_body, GW_UNAUTHORIZED_DEFAULT);
    gw_config_free(&cfg);
    /* an environment value that is a map but no intrinsic is still an error */
    const char *badenv = "service: s\nprovider: {environment: {A: {b: c}}}\nfunctions:\n  f: {handler: h}\n";
    assert_int_equal(gw_config_from_text(badenv, strlen(badenv), NULL, &cfg, err, sizeof err), -1);
    assert_non_null(strstr(err, "environment A"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(builds_maps_sequences_and_scalars),
        cmocka_unit_test(refuses_broken_yaml_and_aliases),
        cmocka_unit_test(resolves_self_opt_sls_and_fallbacks),
        cmocka_unit_test(detects_loops_and_malformed_variables),
        cmocka_unit_test(resolve_leaves_unknown_sources_and_counts_them),
        cmocka_unit_test(reads_the_real_serverless_yml),
        cmocka_unit_test(config_overrides_and_errors),
        cmocka_unit_test(config_authorizers_and_intrinsics),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
