/* API Gateway v1.0 proxy events and responses: parsing that survives anything, header lookup,
 * NUL escapes, proxy response form (base64: test_base64.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apigw.h"

static const char FULL_EVENT[] =
    "{\"resource\":\"/concerts/{id}\",\"path\":\"/concerts/abc\",\"httpMethod\":\"GET\","
    "\"headers\":{\"Accept\":\"application/json\",\"Idempotency-Key\":\"k-1\"},"
    "\"multiValueHeaders\":{\"Accept\":[\"application/json\"],\"X-Multi\":[\"first\",\"second\"]},"
    "\"queryStringParameters\":{\"limit\":\"10\"},\"multiValueQueryStringParameters\":{\"limit\":[\"10\"]},"
    "\"pathParameters\":{\"id\":\"abc\"},\"stageVariables\":null,"
    "\"requestContext\":{\"requestId\":\"c6af9ac6-7b61-11e6-9a41-93e8deadbeef\",\"stage\":\"dev\"},"
    "\"body\":\"{\\\"a\\\":1}\",\"isBase64Encoded\":false}";

static void parses_every_field_of_a_real_event(void **state)
{
    (void)state;
    apigw_event ev;
    assert_int_equal(apigw_event_parse(FULL_EVENT, strlen(FULL_EVENT), &ev), 0);
    assert_string_equal(ev.http_method, "GET");
    assert_string_equal(ev.path, "/concerts/abc");
    assert_string_equal(ev.resource, "/concerts/{id}");
    assert_string_equal(apigw_path_param(&ev, "id"), "abc");
    assert_null(apigw_path_param(&ev, "other"));
    assert_string_equal(apigw_query_param(&ev, "limit"), "10");
    assert_string_equal(ev.body, "{\"a\":1}");
    assert_false(ev.is_base64);
    assert_string_equal(ev.request_id, "c6af9ac6-7b61-11e6-9a41-93e8deadbeef");
    assert_false(ev.has_nul_escape);
    apigw_event_clear(&ev);
    assert_null(ev.root);
}

static void headers_are_case_insensitive_with_multivalue_fallback(void **state)
{
    (void)state;
    apigw_event ev;
    assert_int_equal(apigw_event_parse(FULL_EVENT, strlen(FULL_EVENT), &ev), 0);
    assert_string_equal(apigw_header(&ev, "idempotency-key"), "k-1");
    assert_string_equal(apigw_header(&ev, "IDEMPOTENCY-KEY"), "k-1");
    assert_string_equal(apigw_header(&ev, "x-multi"), "first"); /* only in multiValueHeaders */
    assert_null(apigw_header(&ev, "X-Missing"));
    apigw_event_clear(&ev);
    const char *only_multi = "{\"multiValueHeaders\":{\"idempotency-KEY\":[\"mk\"]},\"headers\":null}";
    assert_int_equal(apigw_event_parse(only_multi, strlen(only_multi), &ev), 0);
    assert_string_equal(apigw_header(&ev, "Idempotency-Key"), "mk");
    apigw_event_clear(&ev);
    const char *bad_types = "{\"headers\":{\"A\":5,\"B\":null},\"multiValueHeaders\":{\"A\":[7],\"B\":[]}}";
    assert_int_equal(apigw_event_parse(bad_types, strlen(bad_types), &ev), 0);
    assert_null(apigw_header(&ev, "A"));
    assert_null(apigw_header(&ev, "B"));
    apigw_event_clear(&ev);
}

static void wrong_types_read_as_absent(void **state)
{
    (void)state;
    const char *ev_json =
        "{\"httpMethod\":7,\"path\":null,\"resource\":[],\"pathParameters\":\"x\",\"queryStringParameters\":5,"
        "\"headers\":[1],\"multiValueHeaders\":true,\"body\":{\"a\":1},\"isBase64Encoded\":\"true\","
        "\"requestContext\":{\"requestId\":{}}}";
    apigw_event ev;
    assert_int_equal(apigw_event_parse(ev_json, strlen(ev_json), &ev), 0);
    assert_null(ev.http_method);
    assert_null(ev.path);
    assert_null(ev.resource);
    assert_null(ev.path_parameters);
    assert_null(ev.query);
    assert_null(ev.headers);
    assert_null(ev.multi_headers);
    assert_null(ev.body);
    assert_false(ev.is_base64);
    assert_null(ev.request_id);
    assert_null(apigw_header(&ev, "x"));
    assert_null(apigw_path_param(&ev, "id"));
    apigw_event_clear(&ev);
    assert_int_equal(apigw_event_parse("{}", 2, &ev), 0);
    assert_null(ev.body);
    apigw_event_clear(&ev);
}

static void non_objects_and_garbage_are_refused(void **state)
{
    (void)state;
    const char *bad[] = { "", " ", "null", "[]", "42", "\"s\"", "{", "{\"a\":}", "{} {}", "{}x", "{\"a\":1,}",
                          "\xff\xfe", "{\"a\":\"\\ud800\"}" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        apigw_event ev;
        if (apigw_event_parse(bad[i], strlen(bad[i]), &ev) != -1)
            fail_msg("accepted %s", bad[i]);
        assert_null(ev.root);
        apigw_event_clear(&ev); /* safe after a failure */
    }
    apigw_event ev;
    assert_int_equal(apigw_event_parse(NULL, 5, &ev), -1);
    assert_int_equal(apigw_event_parse("{}  \n", 5, &ev), 0); /* trailing white space is fine */
    apigw_event_clear(&ev);
    /* the length is respected: no read past len, "{}" inside a longer buffer */
    assert_int_equal(apigw_event_parse("{}garbage", 2, &ev), 0);
    apigw_event_clear(&ev);
}

static void deep_nesting_and_big_input_survive(void **state)
{
    (void)state;
    size_t depth = 100000;
    char *deep = malloc(2 * depth + 16);
    assert_non_null(deep);
    size_t w = 0;
    deep[w++] = '{';
    memcpy(deep + w, "\"a\":", 4);
    w += 4;
    for (size_t i = 0; i < depth; i++)
        deep[w++] = '[';
    for (size_t i = 0; i < depth; i++)
        deep[w++] = ']';
    deep[w++] = '}';
    apigw_event ev;
    assert_int_equal(apigw_event_parse(deep, w, &ev), -1); /* cJSON's nesting limit */
    apigw_event_clear(&ev);
    free(deep);
    size_t big = APIGW_EVENT_MAX + 1;
    char *huge = malloc(big);
    assert_non_null(huge);
    memset(huge, ' ', big);
    huge[0] = '{';
    huge[big - 1] = '}';
    assert_int_equal(apigw_event_parse(huge, big, &ev), -1);
    assert_int_equal(apigw_event_parse(huge, big - 1, &ev), -1); /* "{   " unterminated */
    huge[APIGW_EVENT_MAX - 1] = '}';
    assert_int_equal(apigw_event_parse(huge, APIGW_EVENT_MAX, &ev), 0);
    apigw_event_clear(&ev);
    free(huge);
}

static void nul_escapes_are_detected_in_strings_only(void **state)
{
    (void)state;
#define HAS(lit) apigw_json_has_nul_escape(lit, sizeof(lit) - 1)
    assert_true(HAS("{\"body\":\"a\\u0000b\"}"));
    assert_false(HAS("{\"body\":\"a\\\\u0000b\"}")); /* escaped backslash, then text u0000 */
    assert_true(HAS("{\"body\":\"a\\\\\\u0000b\"}"));
    assert_false(HAS("{\"body\":\"\\u0001\"}"));
    assert_false(HAS("{\"body\":\"plain\"}"));
    assert_false(HAS("{\"body\":\"\\u000"));
    assert_true(HAS("{\"k\\u0000\":1}"));
    apigw_event ev;
    const char *e = "{\"body\":\"{\\\"name\\\":\\\"x\\u0000y\\\"}\"}";
    assert_int_equal(apigw_event_parse(e, strlen(e), &ev), 0);
    assert_true(ev.has_nul_escape);
    apigw_event_clear(&ev);
}

/* A decoded %00 in a path parameter reaches the handlers as a control character, never as the id
 * before it (cJSON ends its strings at a NUL: "abc\u0000junk" would read as "abc"). */
static void nul_in_a_path_parameter_is_a_control_not_a_cut(void **state)
{
    (void)state;
    apigw_event ev;
    const char *e = "{\"pathParameters\":{\"id\":\"abc\\u0000junk\"},\"body\":\"x\\\\u0000y\"}";
    assert_int_equal(apigw_event_parse(e, strlen(e), &ev), 0);
    assert_true(ev.has_nul_escape);
    assert_string_equal(apigw_path_param(&ev, "id"), "abc\x1ajunk");
    assert_string_equal(ev.body, "x\\u0000y"); /* an escaped backslash: text, left as it is */
    assert_string_equal(apigw_path_params_problem(&ev), "id must not contain control characters");
    apigw_event_clear(&ev);
    const char *code = "{\"pathParameters\":{\"code\":\"ABCDE\\u001b[2J\"}}";
    assert_int_equal(apigw_event_parse(code, strlen(code), &ev), 0);
    assert_string_equal(apigw_path_params_problem(&ev), "code must not contain control characters");
    apigw_event_clear(&ev);
    const char *ok = "{\"pathParameters\":{\"id\":\"abc\",\"ticketId\":\"t-1\"}}";
    assert_int_equal(apigw_event_parse(ok, strlen(ok), &ev), 0);
    assert_null(apigw_path_params_problem(&ev));
    apigw_event_clear(&ev);
    assert_null(apigw_path_params_problem(NULL));
}

static void response_json_has_status_headers_and_body(void **state)
{
    (void)state;
    apigw_response r;
    memset(&r, 0, sizeof r);
    assert_int_equal(apigw_response_error(&r, 503, "Could not x, please \"try\" again"), 0);
    r.retry_after_s = 2;
    char *j = apigw_response_json(&r);
    assert_non_null(j);
    cJSON *o = cJSON_Parse(j);
    assert_non_null(o);
    assert_int_equal(cJSON_GetObjectItem(o, "statusCode")->valueint, 503);
    cJSON *h = cJSON_GetObjectItem(o, "headers");
    assert_string_equal(cJSON_GetObjectItem(h, "Content-Type")->valuestring, "application/json");
    assert_string_equal(cJSON_GetObjectItem(h, "Retry-After")->valuestring, "2");
    assert_null(cJSON_GetObjectItem(h, "Idempotent-Replayed"));
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(o, "isBase64Encoded")));
    cJSON *body = cJSON_Parse(cJSON_GetObjectItem(o, "body")->valuestring);
    assert_string_equal(cJSON_GetObjectItem(body, "error")->valuestring, "Could not x, please \"try\" again");
    cJSON_Delete(body);
    cJSON_Delete(o);
    free(j);
    apigw_response_take(&r, 201, strdup("{\"id\":\"x\"}"));
    r.retry_after_s = 0;
    r.replayed = true;
    j = apigw_response_json(&r);
    o = cJSON_Parse(j);
    assert_int_equal(cJSON_GetObjectItem(o, "statusCode")->valueint, 201);
    h = cJSON_GetObjectItem(o, "headers");
    assert_null(cJSON_GetObjectItem(h, "Retry-After"));
    assert_string_equal(cJSON_GetObjectItem(h, "Idempotent-Replayed")->valuestring, "true");
    assert_string_equal(cJSON_GetObjectItem(o, "body")->valuestring, "{\"id\":\"x\"}");
    cJSON_Delete(o);
    free(j);
    apigw_response_clear(&r);
    assert_null(r.body);
}

static void response_body_is_escaped_exactly(void **state)
{
    (void)state;
    const char *tricky = "{\"a\":\"q\\\"b\\\\s\"}\n\r\t\b\f\x01\x1f \xc3\xa9 \xf0\x9f\x8e\xb8 </script>";
    apigw_response r = { .status = 200, .body = strdup(tricky) };
    char *j = apigw_response_json(&r);
    assert_non_null(j);
    cJSON *o = cJSON_Parse(j);
    assert_non_null(o);
    assert_string_equal(cJSON_GetObjectItem(o, "body")->valuestring, tricky);
    cJSON_Delete(o);
    free(j);
    apigw_response_clear(&r);
    apigw_response empty = { .status = 204 };
    j = apigw_response_json(&empty);
    assert_string_equal(j, "{\"statusCode\":204,\"headers\":{\"Content-Type\":\"application/json\"},"
                           "\"isBase64Encoded\":false,\"body\":\"\"}");
    free(j);
}

/* Random mutations of a real event: the parser returns 0 or -1, never crashes (ASan run). */
static void random_mutations_never_crash(void **state)
{
    (void)state;
    size_t n = strlen(FULL_EVENT);
    char *buf = malloc(n + 1);
    assert_non_null(buf);
    unsigned seed = 42;
    for (int round = 0; round < 20000; round++) {
        memcpy(buf, FULL_EVENT, n + 1);
        int flips = 1 + round % 4;
        for (int k = 0; k < flips; k++) {
            seed = seed * 1103515245u + 12345u;
            size_t pos = (seed >> 8) % n;
            seed = seed * 1103515245u + 12345u;
            buf[pos] = (char)(seed >> 16);
        }
        seed = seed * 1103515245u + 12345u;
        size_t len = round % 3 == 0 ? (seed >> 8) % (n + 1) : n;
        apigw_event ev;
        int rc = apigw_event_parse(buf, len, &ev);
        assert_true(rc == 0 || rc == -1);
        if (rc == 0) {
            (void)apigw_header(&ev, "idempotency-key");
            (void)apigw_header(&ev, "x-multi");
            (void)apigw_path_param(&ev, "id");
        }
        apigw_event_clear(&ev);
    }
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parses_every_field_of_a_real_event),
        cmocka_unit_test(headers_are_case_insensitive_with_multivalue_fallback),
        cmocka_unit_test(wrong_types_read_as_absent),
        cmocka_unit_test(non_objects_and_garbage_are_refused),
        cmocka_unit_test(deep_nesting_and_big_input_survive),
        cmocka_unit_test(nul_escapes_are_detected_in_strings_only),
        cmocka_unit_test(nul_in_a_path_parameter_is_a_control_not_a_cut),
        cmocka_unit_test(response_json_has_status_headers_and_body),
        cmocka_unit_test(response_body_is_escaped_exactly),
        cmocka_unit_test(random_mutations_never_crash),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
