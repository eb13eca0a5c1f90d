/* local-gateway route matching: stage prefix, literal vs {param} vs {greedy+}, methods and ANY,
 * the 403 cases of API Gateway. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gw_config.h"
#include "gw_route.h"

static const char YML[] =
    "service: s\n"
    "functions:\n"
    "  list: {handler: h.list, events: [{http: {path: concerts, method: get}}]}\n"
    "  create: {handler: h.create, events: [{http: {path: concerts, method: post, private: true}}]}\n"
    "  get: {handler: h.get, events: [{http: {path: 'concerts/{id}', method: get}}]}\n"
    "  latest: {handler: h.latest, events: [{http: {path: concerts/latest, method: get}}]}\n"
    "  tickets: {handler: h.t, events: [{http: {path: 'concerts/{id}/tickets/{tid}', method: get}}]}\n"
    "  files: {handler: h.f, events: [{http: {path: 'files/{proxy+}', method: any}}]}\n"
    "  filesget: {handler: h.fg, events: [{http: {path: 'files/{proxy+}', method: get}}]}\n";

static int setup(void **state)
{
    gw_config *cfg = calloc(1, sizeof *cfg);
    char err[256];
    if (!cfg || gw_config_from_text(YML, strlen(YML), NULL, cfg, err, sizeof err) != 0) {
        fprintf(stderr, "%s\n", err);
        free(cfg);
        return -1;
    }
    *state = cfg;
    return 0;
}

static int teardown(void **state)
{
    gw_config_free(*state);
    free(*state);
    return 0;
}

/* The function name matched, or NULL; *param_json gets the params as JSON (or "null"). */
static const char *match(const gw_config *cfg, const char *method, const char *path, char *params, size_t len)
{
    const gw_route *r;
    cJSON *p;
    if (gw_route_match(cfg, method, path, &r, &p) != GW_ROUTE_OK) return NULL;
    char *s = p ? cJSON_PrintUnformatted(p) : NULL;
    snprintf(params, len, "%s", s ? s : "null");
    free(s);
    cJSON_Delete(p);
    return cfg->functions[r->fn].name;
}

static void literal_routes_and_methods(void **state)
{
    const gw_config *cfg = *state;
    char p[256];
    assert_string_equal(match(cfg, "GET", "/concerts", p, sizeof p), "list");
    assert_string_equal(p, "null");
    assert_string_equal(match(cfg, "POST", "/concerts", p, sizeof p), "create");
    assert_string_equal(match(cfg, "GET", "/concerts/", p, sizeof p), "list");    /* one trailing slash */
    assert_null(match(cfg, "DELETE", "/concerts", p, sizeof p));                 /* method not declared */
    assert_null(match(cfg, "get", "/concerts", p, sizeof p));                    /* methods are upper case */
    assert_null(match(cfg, "GET", "/", p, sizeof p));
    assert_null(match(cfg, "GET", "/nope", p, sizeof p));
    assert_null(match(cfg, "GET", "//concerts", p, sizeof p));
    assert_null(match(cfg, "GET", "/Concerts", p, sizeof p));                    /* case-sensitive paths */
}

static void parameters_and_precedence(void **state)
{
    const gw_config *cfg = *state;
    char p[256];
    assert_string_equal(match(cfg, "GET", "/concerts/abc-1", p, sizeof p), "get");
    assert_string_equal(p, "{\"id\":\"abc-1\"}");
    assert_string_equal(match(cfg, "GET", "/concerts/latest", p, sizeof p), "latest");   /* literal wins */
    assert_string_equal(match(cfg, "GET", "/concerts/a b/tickets/7", p, sizeof p), "tickets");
    assert_string_equal(p, "{\"id\":\"a b\",\"tid\":\"7\"}");
    assert_null(match(cfg, "GET", "/concerts/x/tickets", p, sizeof p));
    assert_null(match(cfg, "POST", "/concerts/x", p, sizeof p));
}

static void greedy_and_any(void **state)
{
    const gw_config *cfg = *state;
    char p[256];
    assert_string_equal(match(cfg, "PUT", "/files/a/b/c.txt", p, sizeof p), "files");
    assert_string_equal(p, "{\"proxy\":\"a/b/c.txt\"}");
    assert_string_equal(match(cfg, "GET", "/files/a", p, sizeof p), "filesget");        /* exact method beats ANY */
    assert_null(match(cfg, "GET", "/files", p, sizeof p));                             /* greedy needs one segment */
}

/* A decoded %00 is routed with the whole path (never cut there) and the parameter is handed over whole,
 * its NUL as \u0000 in the event's JSON. */
static void decoded_nul_is_routed_on_the_whole_path(void **state)
{
    const gw_config *cfg = *state;
    char *dec;
    size_t n;
    static const char raw[] = "/concerts/abc%00junk/stats%2";
    assert_int_equal(gw_route_unescape(raw, strlen(raw), &dec, &n), 0);
    assert_int_equal(n, strlen("/concerts/abc") + 1 + strlen("junk/stats%2"));
    assert_memory_equal(dec, "/concerts/abc\0junk/stats%2", n);
    const gw_route *r;
    cJSON *p;
    assert_int_equal(gw_route_match_n(cfg, "GET", dec, n, &r, &p), GW_ROUTE_NONE); /* not /concerts/{id} */
    free(dec);
    static const char raw2[] = "/concerts/abc%00junk/tickets/T1";
    assert_int_equal(gw_route_unescape(raw2, strlen(raw2), &dec, &n), 0);
    assert_int_equal(gw_route_match_n(cfg, "GET", dec, n, &r, &p), GW_ROUTE_OK);
    assert_string_equal(cfg->functions[r->fn].name, "tickets");
    char *s = cJSON_PrintUnformatted(p);
    assert_string_equal(s, "{\"id\":\"abc\\u0000junk\",\"tid\":\"T1\"}");
    free(s);
    cJSON_Delete(p);
    free(dec);
    static const char raw3[] = "/concerts/a%22%5C%00";
    assert_int_equal(gw_route_unescape(raw3, strlen(raw3), &dec, &n), 0);
    assert_int_equal(gw_route_match_n(cfg, "GET", dec, n, &r, &p), GW_ROUTE_OK);
    assert_string_equal(cfg->functions[r->fn].name, "get");
    s = cJSON_PrintUnformatted(p);
    assert_string_equal(s, "{\"id\":\"a\\\"\\\\\\u0000\"}");
    cJSON *back = cJSON_Parse(s);
    assert_non_null(back);
    cJSON_Delete(back);
    free(s);
    cJSON_Delete(p);
    free(dec);
}

static void stage_prefix(void **state)
{
    (void)state;
    assert_string_equal(gw_route_strip_stage("/dev/concerts", "dev"), "/concerts");
    assert_string_equal(gw_route_strip_stage("/dev", "dev"), "/");
    assert_string_equal(gw_route_strip_stage("/dev/", "dev"), "/");
    assert_null(gw_route_strip_stage("/devx/concerts", "dev"));
    assert_null(gw_route_strip_stage("/prod/concerts", "dev"));
    assert_null(gw_route_strip_stage("dev/concerts", "dev"));
    assert_null(gw_route_strip_stage("/", "dev"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(literal_routes_and_methods, setup, teardown),
        cmocka_unit_test_setup_teardown(parameters_and_precedence, setup, teardown),
        cmocka_unit_test_setup_teardown(greedy_and_any, setup, teardown),
        cmocka_unit_test_setup_teardown(decoded_nul_is_routed_on_the_whole_path, setup, teardown),
        cmocka_unit_test(stage_prefix),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
