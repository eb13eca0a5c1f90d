/* The route table (authz.c) is the one source of who may call what: docs/openapi.yaml's x-boxoffice-groups
 * equal it operation by operation, both ways; every route of backend/serverless.yml is in it and every route
 * of it is served there, with the Cognito authorizer exactly on the non-public ones. authz_check answers per group: public routes to anyone, 401 without claims, 403
 * naming the groups; app_invoke (the real function) applies it before any handler. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "authz.h"
#include "caller.h"
#include "gw_config.h"
#include "gw_yaml.h"
#include "handlers.h"
#include "lambda_app.h"

/* A file of the repository, whether the test runs from its root or from backend/. */
static const char *repo_file(const char *rel, char *buf, size_t size)
{
    const char *prefixes[] = { "", "../", "../../" };
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
        snprintf(buf, size, "%s%s", prefixes[i], rel);
        FILE *f = fopen(buf, "r");
        if (f) {
            fclose(f);
            return buf;
        }
    }
    fail_msg("%s not found from the working directory", rel);
    return NULL;
}

static unsigned groups_of(const gw_ynode *seq, const char *where)
{
    unsigned bits = 0;
    if (!seq || seq->type != GW_Y_SEQ)
        fail_msg("%s: x-boxoffice-groups missing or not a list", where);
    for (size_t i = 0; i < seq->n; i++) {
        const gw_ynode *g = seq->items[i];
        unsigned bit = g->type == GW_Y_SCALAR ? caller_group_bit(g->scalar, strlen(g->scalar)) : 0;
        if (!bit)
            fail_msg("%s: unknown group in x-boxoffice-groups", where);
        bits |= bit;
    }
    return bits;
}

static void openapi_states_the_route_table(void **state)
{
    (void)state;
    char path[512], err[512] = "";
    gw_ynode *doc = gw_yaml_load(repo_file("docs/openapi.yaml", path, sizeof path), err, sizeof err);
    if (!doc)
        fail_msg("openapi.yaml: %s", err);
    const gw_ynode *paths = gw_yaml_child(doc, "paths");
    assert_non_null(paths);
    size_t n_routes, seen = 0;
    const authz_route *routes = authz_routes(&n_routes);
    for (size_t p = 0; p < paths->n; p++) {
        const gw_ynode *ops = paths->items[p];
        for (size_t o = 0; o < ops->n; o++) {
            char method[16], where[256];
            size_t k = 0;
            for (; ops->keys[o][k] && k + 1 < sizeof method; k++)
                method[k] = (char)toupper((unsigned char)ops->keys[o][k]);
            method[k] = '\0';
            if (strcmp(method, "PARAMETERS") == 0)
                continue;
            snprintf(where, sizeof where, "%s %s", method, paths->keys[p]);
            const authz_route *r = authz_find(method, paths->keys[p]);
            if (!r)
                fail_msg("%s is in openapi.yaml but not in the route table (authz.c)", where);
            unsigned g = groups_of(gw_yaml_child(ops->items[o], "x-boxoffice-groups"), where);
            if (g != r->groups)
                fail_msg("%s: openapi.yaml's x-boxoffice-groups %#x, the route table %#x", where, g, r->groups);
            /* the security requirement says the same: none for a public route, the ID token otherwise */
            const gw_ynode *sec = gw_yaml_child(ops->items[o], "security");
            bool open = sec && sec->type == GW_Y_SEQ && sec->n == 0;
            bool token = sec && sec->type == GW_Y_SEQ && sec->n == 1 && gw_yaml_child(sec->items[0], "cognitoIdToken");
            if ((r->groups == AUTHZ_PUBLIC && !open) || (r->groups != AUTHZ_PUBLIC && !token))
                fail_msg("%s: security does not match its groups", where);
            seen++;
        }
    }
    /* both ways: as many operations as routes, each operation one route (authz_find is exact) */
    if (seen != n_routes) {
        for (size_t i = 0; i < n_routes; i++) {
            const gw_ynode *ops = gw_yaml_child(paths, routes[i].resource);
            char lower[16];
            size_t k = 0;
            for (; routes[i].method[k] && k + 1 < sizeof lower; k++)
                lower[k] = (char)tolower((unsigned char)routes[i].method[k]);
            lower[k] = '\0';
            if (!gw_yaml_child(ops, lower))
                fail_msg("%s %s is in the route table but not in openapi.yaml", routes[i].method, routes[i].resource);
        }
        fail_msg("openapi.yaml has %zu operations, the route table %zu routes", seen, n_routes);
    }
    gw_yaml_free(doc);
}

static void serverless_serves_exactly_the_route_table(void **state)
{
    (void)state;
    char path[512], err[512] = "";
    gw_config cfg;
    if (gw_config_load(repo_file("backend/serverless.yml", path, sizeof path), NULL, &cfg, err, sizeof err) != 0)
        fail_msg("serverless.yml: %s", err);
    size_t n_routes;
    const authz_route *routes = authz_routes(&n_routes);
    for (size_t i = 0; i < cfg.n_routes; i++) {
        const authz_route *r = authz_find(cfg.routes[i].method, cfg.routes[i].resource);
        if (!r)
            fail_msg("serverless.yml serves %s %s, which the route table (authz.c) does not know",
                     cfg.routes[i].method, cfg.routes[i].resource);
        /* public in the table: no authorizer; else API Gateway's Cognito authorizer hands the claims over */
        bool cognito = cfg.routes[i].authorizer == GW_AUTHZ_COGNITO;
        if ((r->groups == AUTHZ_PUBLIC) == cognito || cfg.routes[i].private_route)
            fail_msg("%s %s: the route table says %s, serverless.yml's authorizer differs", r->method, r->resource,
                     r->groups == AUTHZ_PUBLIC ? "public" : "Cognito groups");
    }
    for (size_t i = 0; i < n_routes; i++) {
        bool served = false;
        for (size_t j = 0; j < cfg.n_routes && !served; j++)
            served = strcmp(cfg.routes[j].method, routes[i].method) == 0 &&
                     strcmp(cfg.routes[j].resource, routes[i].resource) == 0;
        if (!served)
            fail_msg("%s %s is in the route table but not in serverless.yml", routes[i].method, routes[i].resource);
    }
    gw_config_free(&cfg);
}

/* An event for method + resource with claims (sub NULL: none). */
static void event_for(apigw_event *ev, const char *method, const char *resource, const char *sub, const char *groups)
{
    cJSON *e = cJSON_CreateObject();
    cJSON_AddStringToObject(e, "httpMethod", method);
    cJSON_AddStringToObject(e, "resource", resource);
    cJSON *rc = cJSON_AddObjectToObject(e, "requestContext");
    if (sub) {
        cJSON *c = cJSON_AddObjectToObject(cJSON_AddObjectToObject(rc, "authorizer"), "claims");
        cJSON_AddStringToObject(c, "sub", sub);
        if (groups)
            cJSON_AddStringToObject(c, "cognito:groups", groups);
    }
    char *text = cJSON_PrintUnformatted(e);
    cJSON_Delete(e);
    assert_int_equal(apigw_event_parse(text, strlen(text), ev), 0);
    free(text);
}

/* Runs authz_check: 0 when allowed, else the status; the body into body. */
static int check(const char *method, const char *resource, const char *sub, const char *groups, char *body, size_t size)
{
    apigw_event ev;
    event_for(&ev, method, resource, sub, groups);
    caller who;
    caller_from_event(&ev, &who);
    handler_result r;
    memset(&r, 0, sizeof r);
    int status = authz_check(&ev, &who, &r) ? 0 : r.resp.status;
    snprintf(body, size, "%s", r.resp.body ? r.resp.body : "");
    if (status == 0)
        assert_null(r.resp.body);
    handler_result_clear(&r);
    apigw_event_clear(&ev);
    return status;
}

static void every_route_for_every_group(void **state)
{
    (void)state;
    static const char *const names[] = { "manager", "cashier", "door", "kiosk" };
    size_t n;
    const authz_route *routes = authz_routes(&n);
    char body[512];
    for (size_t i = 0; i < n; i++) {
        const authz_route *r = &routes[i];
        /* not signed in */
        int st = check(r->method, r->resource, NULL, NULL, body, sizeof body);
        if (r->groups == AUTHZ_PUBLIC) {
            assert_int_equal(st, 0);
        } else {
            assert_int_equal(st, 401);
            assert_string_equal(body, "{\"message\":\"Unauthorized\"}");
        }
        /* signed in with every combination of groups, in both list spellings */
        for (unsigned mask = 0; mask < 16; mask++) {
            char comma[64] = "", bracket[64] = "[";
            for (unsigned b = 0; b < 4; b++) {
                if (!(mask & (1u << b)))
                    continue;
                snprintf(comma + strlen(comma), sizeof comma - strlen(comma), "%s%s", comma[0] ? "," : "", names[b]);
                snprintf(bracket + strlen(bracket), sizeof bracket - strlen(bracket), "%s%s", bracket[1] ? " " : "",
                         names[b]);
            }
            strcat(bracket, "]");
            const char *spellings[] = { comma, bracket };
            for (int sp = 0; sp < 2; sp++) {
                st = check(r->method, r->resource, "sub-1", spellings[sp], body, sizeof body);
                bool allowed = r->groups == AUTHZ_PUBLIC || (mask & r->groups) != 0;
                if (allowed != (st == 0))
                    fail_msg("%s %s with groups \"%s\": %d %s", r->method, r->resource, spellings[sp], st, body);
                if (!allowed && (st != 403 || !strstr(body, "needs the ")))
                    fail_msg("%s %s with groups \"%s\": %d %s", r->method, r->resource, spellings[sp], st, body);
            }
        }
    }
    /* the messages name the groups */
    assert_int_equal(check("POST", "/concerts", "s", "cashier,door", body, sizeof body), 403);
    assert_string_equal(body, "{\"error\":\"POST /concerts needs the manager group\"}");
    assert_int_equal(check("GET", "/orders", "s", "kiosk", body, sizeof body), 403);
    assert_string_equal(body, "{\"error\":\"GET /orders needs the manager or cashier group\"}");
    assert_int_equal(check("POST", "/checkins", "s", "kiosk", body, sizeof body), 403);
    assert_string_equal(body, "{\"error\":\"POST /checkins needs the manager, cashier or door group\"}");
    /* unknown group names give nothing; a claim of another shape neither */
    assert_int_equal(check("POST", "/concerts", "s", "admin,root,Manager,manager2", body, sizeof body), 403);
    assert_int_equal(check("POST", "/concerts", "s", "", body, sizeof body), 403);
    /* the kiosk reads no customer data */
    assert_int_equal(check("GET", "/orders/{id}", "s", "kiosk", body, sizeof body), 403);
    assert_int_equal(check("GET", "/tickets/by-code/{code}", "s", "kiosk", body, sizeof body), 403);
    /* a route the table does not know is refused, also for a manager */
    assert_int_equal(check("DELETE", "/concerts/{id}", "s", "manager", body, sizeof body), 403);
    assert_non_null(strstr(body, "is not a route of this API"));
    assert_int_equal(check("GET", "/concerts/{id}/", "s", "manager", body, sizeof body), 403);
}

/* The real function: the route table decides before the handler runs (no store: an allowed request that
 * reaches the handler answers 503 or a 400 of its own). */
static void app_invoke_checks_before_the_handler(void **state)
{
    (void)state;
    static const struct { const char *handler, *event; int status; const char *body; } cases[] = {
        { "concert-service.createConcert", "{\"httpMethod\":\"POST\",\"resource\":\"/concerts\",\"body\":\"{}\"}", 401,
          "{\"message\":\"Unauthorized\"}" },
        { "concert-service.createConcert",
          "{\"httpMethod\":\"POST\",\"resource\":\"/concerts\",\"body\":\"{}\",\"requestContext\":{\"identity\":"
          "{\"apiKeyId\":\"key-1\"}}}", 401, "{\"message\":\"Unauthorized\"}" },
        { "concert-service.createConcert",
          "{\"httpMethod\":\"POST\",\"resource\":\"/concerts\",\"body\":\"{}\",\"requestContext\":{\"authorizer\":"
          "{\"claims\":{\"sub\":\"s-1\",\"cognito:groups\":\"cashier\"}}}}", 403,
          "{\"error\":\"POST /concerts needs the manager group\"}" },
        { "concert-service.createConcert",
          "{\"httpMethod\":\"POST\",\"resource\":\"/concerts\",\"body\":\"{}\",\"requestContext\":{\"authorizer\":"
          "{\"claims\":{\"sub\":\"s-1\",\"cognito:groups\":\"manager\"}}}}", 400, NULL },
        { "concert-service.getConcert",
          "{\"httpMethod\":\"GET\",\"resource\":\"/concerts/{id}\",\"pathParameters\":{\"id\":\"c-1\"}}", 503, NULL },
        { "concert-service.getConcert",
          "{\"httpMethod\":\"GET\",\"resource\":\"/concerts/{nope}\",\"pathParameters\":{\"id\":\"c-1\"}}", 403, NULL },
        /* the path check comes after the route table: a stranger learns nothing from it */
        { "concert-service.getOrder",
          "{\"httpMethod\":\"GET\",\"resource\":\"/orders/{id}\",\"pathParameters\":{\"id\":\"o\\u001b\"}}", 401, NULL },
        { "concert-service.getOrder", "{\"resource\":\"/orders/{id}\",\"pathParameters\":{\"id\":\"o\"}}", 400, NULL },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        app a;
        memset(&a, 0, sizeof a);
        a.handler = handler_find(cases[i].handler);
        assert_non_null(a.handler);
        rt_request req;
        memset(&req, 0, sizeof req);
        req.payload = cases[i].event;
        req.payload_len = strlen(cases[i].event);
        strcpy(req.request_id, "authz-1");
        rt_response r = app_invoke(&req, &a);
        assert_true(r.success);
        cJSON *proxy = cJSON_Parse(r.payload);
        assert_non_null(proxy);
        int status = cJSON_GetObjectItem(proxy, "statusCode")->valueint;
        const char *body = cJSON_GetObjectItem(proxy, "body")->valuestring;
        if (status != cases[i].status || (cases[i].body && strcmp(body, cases[i].body) != 0))
            fail_msg("case %zu: %d %s", i, status, body);
        cJSON_Delete(proxy);
        rt_response_clear(&r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(openapi_states_the_route_table),
        cmocka_unit_test(serverless_serves_exactly_the_route_table),
        cmocka_unit_test(every_route_for_every_group),
        cmocka_unit_test(app_invoke_checks_before_the_handler),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
