/* local-gateway's API Gateway v1.0 side: the proxy event it builds (read back with the bootstrap's
 * own parser, apigw.h), and the proxy responses it accepts or turns into 502. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apigw.h"
#include "gw_proxy.h"

static const gw_route ROUTE = {"/concerts/{id}", "GET", false, 0, GW_AUTHZ_NONE};

static gw_request base_request(void)
{
    static const gw_kv headers[] = {{"Host", "127.0.0.1:3000"}, {"Accept", "a/b"}, {"X-Multi", "1"},
                                    {"x-multi", "2"}, {"User-Agent", "ua/1"}};
    static const gw_kv query[] = {{"q", "1"}, {"q", "2"}, {"flag", NULL}, {"name", "Björk"}};
    gw_request r = {
        .method = "GET", .path = "/concerts/abc", .stage = "dev",
        .headers = headers, .n_headers = 5, .query = query, .n_query = 4,
        .body = NULL, .body_len = 0, .source_ip = "127.0.0.9", .request_id = "rid-1",
        .time_epoch_ms = 1795598662208LL, .api_key = NULL, .api_id = "local",
    };
    return r;
}

static void event_has_every_field_and_parses_in_the_runtime(void **state)
{
    (void)state;
    gw_request r = base_request();
    cJSON *params = cJSON_CreateObject();
    cJSON_AddStringToObject(params, "id", "abc");
    char *json = gw_event_build(&r, &ROUTE, params);
    cJSON_Delete(params);
    assert_non_null(json);

    cJSON *ev = cJSON_Parse(json);
    assert_non_null(ev);
    assert_string_equal(cJSON_GetObjectItem(ev, "resource")->valuestring, "/concerts/{id}");
    assert_string_equal(cJSON_GetObjectItem(ev, "path")->valuestring, "/concerts/abc");
    assert_string_equal(cJSON_GetObjectItem(ev, "httpMethod")->valuestring, "GET");
    cJSON *h = cJSON_GetObjectItem(ev, "headers");
    assert_string_equal(cJSON_GetObjectItem(h, "X-Multi")->valuestring, "2");       /* last wins, first spelling */
    cJSON *mh = cJSON_GetObjectItem(cJSON_GetObjectItem(ev, "multiValueHeaders"), "X-Multi");
    assert_int_equal(cJSON_GetArraySize(mh), 2);
    cJSON *q = cJSON_GetObjectItem(ev, "queryStringParameters");
    assert_string_equal(cJSON_GetObjectItem(q, "q")->valuestring, "2");
    assert_string_equal(cJSON_GetObjectItem(q, "flag")->valuestring, "");
    assert_string_equal(cJSON_GetObjectItem(q, "name")->valuestring, "Björk");
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(cJSON_GetObjectItem(ev, "multiValueQueryStringParameters"), "q")), 2);
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(ev, "pathParameters"), "id")->valuestring, "abc");
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(ev, "stageVariables")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(ev, "body")));
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(ev, "isBase64Encoded")));
    cJSON *rc = cJSON_GetObjectItem(ev, "requestContext");
    assert_string_equal(cJSON_GetObjectItem(rc, "requestId")->valuestring, "rid-1");
    assert_string_equal(cJSON_GetObjectItem(rc, "stage")->valuestring, "dev");
    assert_string_equal(cJSON_GetObjectItem(rc, "resourcePath")->valuestring, "/concerts/{id}");
    assert_string_equal(cJSON_GetObjectItem(rc, "httpMethod")->valuestring, "GET");
    assert_string_equal(cJSON_GetObjectItem(rc, "path")->valuestring, "/dev/concerts/abc");
    assert_string_equal(cJSON_GetObjectItem(rc, "requestTime")->valuestring, "25/Nov/2026:09:24:22 +0000");
    assert_true(cJSON_GetObjectItem(rc, "requestTimeEpoch")->valuedouble == 1795598662208.0);
    cJSON *id = cJSON_GetObjectItem(rc, "identity");
    assert_string_equal(cJSON_GetObjectItem(id, "sourceIp")->valuestring, "127.0.0.9");
    assert_string_equal(cJSON_GetObjectItem(id, "userAgent")->valuestring, "ua/1");
    assert_null(cJSON_GetObjectItem(id, "apiKey"));
    cJSON_Delete(ev);

    /* the bootstrap's parser reads the same */
    apigw_event pe;
    assert_int_equal(apigw_event_parse(json, strlen(json), &pe), 0);
    assert_string_equal(pe.http_method, "GET");
    assert_string_equal(pe.path, "/concerts/abc");
    assert_string_equal(apigw_path_param(&pe, "id"), "abc");
    assert_string_equal(apigw_header(&pe, "accept"), "a/b");
    assert_string_equal(pe.request_id, "rid-1");
    assert_null(pe.body);
    apigw_event_clear(&pe);
    free(json);
}

static void bodies_text_binary_and_no_params(void **state)
{
    (void)state;
    gw_request r = base_request();
    r.n_headers = 0;
    r.n_query = 0;
    r.method = "POST";
    r.body = "{\"name\":\"Zoë\"}";
    r.body_len = strlen(r.body);
    r.api_key = "operator-key";
    char *json = gw_event_build(&r, &ROUTE, NULL);
    cJSON *ev = cJSON_Parse(json);
    assert_string_equal(cJSON_GetObjectItem(ev, "body")->valuestring, "{\"name\":\"Zoë\"}");
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(ev, "isBase64Encoded")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(ev, "headers")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(ev, "multiValueHeaders")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(ev, "queryStringParameters")));
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(ev, "pathParameters")));
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(ev, "requestContext"), "identity"), "apiKey")->valuestring,
                        "operator-key");
    cJSON_Delete(ev);
    free(json);

    static const char bin[] = {'\xff', '\0', 'a', '\xc3'};
    r.body = bin;
    r.body_len = sizeof bin;
    json = gw_event_build(&r, &ROUTE, NULL);
    ev = cJSON_Parse(json);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(ev, "isBase64Encoded")));
    assert_string_equal(cJSON_GetObjectItem(ev, "body")->valuestring, "/wBhww==");
    cJSON_Delete(ev);
    free(json);
}

static void proxy_responses_accepted(void **state)
{
    (void)state;
    gw_response r;
    const char *ok = "{\"statusCode\":201,\"headers\":{\"Content-Type\":\"application/json\",\"X-N\":5,\"X-B\":true},"
                     "\"multiValueHeaders\":{\"Set-Cookie\":[\"a=1\",\"b=2\"],\"X-N\":[\"6\",\"7\"]},\"body\":\"{\\\"id\\\":\\\"x\\\"}\"}";
    assert_int_equal(gw_response_parse(ok, strlen(ok), &r), 0);
    assert_int_equal(r.status, 201);
    assert_string_equal(r.body, "{\"id\":\"x\"}");
    size_t cookies = 0, xn = 0;
    for (size_t i = 0; i < r.n_headers; i++) {
        if (strcmp(r.headers[i].name, "Set-Cookie") == 0) cookies++;
        if (strcmp(r.headers[i].name, "X-N") == 0) { xn++; assert_string_not_equal(r.headers[i].value, "5"); }
        if (strcmp(r.headers[i].name, "X-B") == 0) assert_string_equal(r.headers[i].value, "true");
    }
    assert_int_equal(cookies, 2);
    assert_int_equal(xn, 2);                      /* multiValueHeaders win over headers */
    gw_response_clear(&r);

    const char *b64 = "{\"statusCode\":200,\"body\":\"/wBh\",\"isBase64Encoded\":true}";
    assert_int_equal(gw_response_parse(b64, strlen(b64), &r), 0);
    assert_int_equal(r.body_len, 3);
    assert_memory_equal(r.body, "\xff\0a", 3);
    gw_response_clear(&r);

    const char *bare = "{\"statusCode\":204}";
    assert_int_equal(gw_response_parse(bare, strlen(bare), &r), 0);
    assert_null(r.body);
    assert_int_equal(r.n_headers, 0);
    gw_response_clear(&r);
}

static void malformed_proxy_responses_are_refused(void **state)
{
    (void)state;
    const char *bad[] = {
        "", "not json", "[]", "null", "{}", "{\"statusCode\":\"200\"}", "{\"statusCode\":99}",
        "{\"statusCode\":600}", "{\"statusCode\":200.5}", "{\"statusCode\":200,\"body\":{}}",
        "{\"statusCode\":200,\"body\":12}", "{\"statusCode\":200,\"headers\":[]}",
        "{\"statusCode\":200,\"headers\":{\"X\":{}}}", "{\"statusCode\":200,\"headers\":{\"X\":\"a\\r\\nInjected: 1\"}}",
        "{\"statusCode\":200,\"headers\":{\"Bad Name\":\"v\"}}", "{\"statusCode\":200,\"multiValueHeaders\":{\"X\":\"v\"}}",
        "{\"statusCode\":200,\"isBase64Encoded\":\"yes\",\"body\":\"\"}",
        "{\"statusCode\":200,\"isBase64Encoded\":true,\"body\":\"***\"}", "{\"statusCode\":200",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        gw_response r;
        if (gw_response_parse(bad[i], strlen(bad[i]), &r) != -1) fail_msg("accepted: %s", bad[i]);
        assert_int_equal(r.status, 0);
        assert_null(r.headers);
        assert_null(r.body);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(event_has_every_field_and_parses_in_the_runtime),
        cmocka_unit_test(bodies_text_binary_and_no_params),
        cmocka_unit_test(proxy_responses_accepted),
        cmocka_unit_test(malformed_proxy_responses_are_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
