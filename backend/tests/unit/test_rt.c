/* The runtime loop against a fake Runtime API: next -> response, next -> error, init/error,
 * deadline and trace id propagation, malformed events, /next outages with backoff. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "rt.h"
#include "rt_fake.h"
#include "timefmt.h"

#define WAIT_MS 20000 /* generous: a loaded 2-core machine */

static int setup(void **state)
{
    rt_fake *f = rt_fake_start();
    if (!f)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    rt_fake_stop(*state);
    return 0;
}

static rt_client *client_for(rt_fake *f)
{
    char err[256];
    rt_client *c = rt_client_new(rt_fake_api(f), err, sizeof err);
    if (!c)
        fail_msg("rt_client_new: %s", err);
    return c;
}

/* Echoes what the handler saw: payload, request id, trace env, deadline, remaining time. */
static rt_response echo_handler(const rt_request *req, void *user)
{
    (void)user;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "payload", req->payload);
    cJSON_AddStringToObject(o, "requestId", req->request_id);
    const char *trace = getenv("_X_AMZN_TRACE_ID");
    cJSON_AddStringToObject(o, "traceEnv", trace ? trace : "(unset)");
    char num[32];
    snprintf(num, sizeof num, "%llu", (unsigned long long)req->deadline_ms);
    cJSON_AddStringToObject(o, "deadline", num);
    uint64_t rem = rt_request_remaining_ms(req);
    cJSON_AddBoolToObject(o, "remainingPositive", rem > 0 && rem != UINT64_MAX);
    cJSON_AddBoolToObject(o, "noDeadline", rem == UINT64_MAX);
    char *text = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return rt_response_success(text);
}

static rt_response failing_handler(const rt_request *req, void *user)
{
    (void)req;
    (void)user;
    return rt_response_failure("Handler.Boom", "the handler failed on purpose");
}

static cJSON *post_json(rt_fake *f, size_t i)
{
    const rt_fake_post *p = rt_fake_post_at(f, i);
    assert_non_null(p);
    cJSON *j = cJSON_Parse(p->body);
    if (!j)
        fail_msg("post %zu is not JSON: %s", i, p->body);
    return j;
}

static const char *jstr(const cJSON *o, const char *k)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(it) ? it->valuestring : NULL;
}

static void next_then_response(void **state)
{
    rt_fake *f = *state;
    rt_fake_push(f, "req-1", "{\"hello\":1}", 0, NULL);
    rt_client *c = client_for(f);
    rt_options o = { .max_invocations = 1 };
    assert_int_equal(rt_run(c, echo_handler, NULL, &o), 0);
    assert_int_equal(rt_fake_wait_posts(f, 1, WAIT_MS), 1);
    const rt_fake_post *p = rt_fake_post_at(f, 0);
    assert_int_equal(p->kind, 'r');
    assert_string_equal(p->request_id, "req-1");
    cJSON *j = post_json(f, 0);
    assert_string_equal(jstr(j, "payload"), "{\"hello\":1}");
    assert_string_equal(jstr(j, "requestId"), "req-1");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(j, "noDeadline")));
    cJSON_Delete(j);
    rt_client_free(c);
}

static void handler_failure_posts_error(void **state)
{
    rt_fake *f = *state;
    rt_fake_push(f, "req-err", "{}", 0, NULL);
    rt_client *c = client_for(f);
    rt_options o = { .max_invocations = 1 };
    assert_int_equal(rt_run(c, failing_handler, NULL, &o), 0);
    assert_int_equal(rt_fake_wait_posts(f, 1, WAIT_MS), 1);
    const rt_fake_post *p = rt_fake_post_at(f, 0);
    assert_int_equal(p->kind, 'e');
    assert_string_equal(p->request_id, "req-err");
    assert_string_equal(p->error_type, "Handler.Boom");
    cJSON *j = post_json(f, 0);
    assert_string_equal(jstr(j, "errorType"), "Handler.Boom");
    assert_string_equal(jstr(j, "errorMessage"), "the handler failed on purpose");
    const cJSON *st = cJSON_GetObjectItem(j, "stackTrace");
    assert_true(cJSON_IsArray(st));
    assert_int_equal(cJSON_GetArraySize(st), 0);
    cJSON_Delete(j);
    rt_client_free(c);
}

static void deadline_and_trace_id_reach_the_handler(void **state)
{
    rt_fake *f = *state;
    uint64_t deadline = timefmt_now_ms() + 600000;
    char want_deadline[32];
    snprintf(want_deadline, sizeof want_deadline, "%llu", (unsigned long long)deadline);
    const char *trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
    rt_fake_push(f, "req-t1", "{}", deadline, trace);
    rt_fake_push(f, "req-t2", "{}", 0, NULL); /* no trace: the previous one must not linger */
    rt_fake_push(f, "req-t3", "{}", 0, "Root=1-00000000-000000000000000000000003");
    rt_fake_push(f, "req-t4", "{}", 0, "Root=1-00000000-000000000000000000000004");
    setenv("_X_AMZN_TRACE_ID", "stale", 1);
    rt_client *c = client_for(f);
    rt_options o = { .max_invocations = 4 };
    assert_int_equal(rt_run(c, echo_handler, NULL, &o), 0);
    assert_int_equal(rt_fake_wait_posts(f, 4, WAIT_MS), 4);
    cJSON *j = post_json(f, 0);
    assert_string_equal(jstr(j, "traceEnv"), trace);
    assert_string_equal(jstr(j, "deadline"), want_deadline);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(j, "remainingPositive")));
    cJSON_Delete(j);
    j = post_json(f, 1);
    assert_string_equal(jstr(j, "traceEnv"), "(unset)");
    assert_string_equal(jstr(j, "deadline"), "0");
    cJSON_Delete(j);
    j = post_json(f, 2);
    assert_string_equal(jstr(j, "traceEnv"), "Root=1-00000000-000000000000000000000003");
    cJSON_Delete(j);
    j = post_json(f, 3);
    assert_string_equal(jstr(j, "traceEnv"), "Root=1-00000000-000000000000000000000004");
    cJSON_Delete(j);
    rt_client_free(c);
    assert_null(getenv("_X_AMZN_TRACE_ID")); /* environ never points into a freed client */
}

static void remaining_time_helper(void **state)
{
    (void)state;
    rt_request r;
    memset(&r, 0, sizeof r);
    assert_true(rt_request_remaining_ms_at(&r, 1000) == UINT64_MAX);
    r.deadline_ms = 5000;
    assert_int_equal(rt_request_remaining_ms_at(&r, 1000), 4000);
    assert_int_equal(rt_request_remaining_ms_at(&r, 5000), 0);
    assert_int_equal(rt_request_remaining_ms_at(&r, 9000), 0);
}

/* The real function (app_invoke) with handler getConcert and no store: malformed events get a
 * proxy 400, a /next answer without request id is skipped, and the loop goes on. */
static void malformed_events_do_not_stop_the_loop(void **state)
{
    rt_fake *f = *state;
    app a;
    memset(&a, 0, sizeof a);
    a.handler = handler_find("concert-service.getConcert");
    assert_non_null(a.handler);
    rt_fake_push(f, "bad-1", "this is not json", 0, NULL);
    rt_fake_push(f, "bad-2", "[1,2,3]", 0, NULL);
    rt_fake_push(f, NULL, "{\"no\":\"request id header\"}", 0, NULL);
    rt_fake_push(f, "bad-3", "", 0, NULL);
    rt_fake_push(f, "bad-4", "{\"pathParameters\":{\"id\":7},\"headers\":null,\"body\":[]}", 0, NULL);
    rt_fake_push(f, "good", "{\"httpMethod\":\"GET\",\"path\":\"/concerts/\",\"pathParameters\":{\"id\":\"\"}}", 0, NULL);
    rt_client *c = client_for(f);
    rt_options o = { .max_invocations = 5 };
    assert_int_equal(rt_run(c, app_invoke, &a, &o), 0);
    assert_int_equal(rt_fake_wait_posts(f, 5, WAIT_MS), 5);
    const char *ids[] = { "bad-1", "bad-2", "bad-3", "bad-4", "good" };
    for (size_t i = 0; i < 5; i++) {
        const rt_fake_post *p = rt_fake_post_at(f, i);
        assert_int_equal(p->kind, 'r');
        assert_string_equal(p->request_id, ids[i]);
        cJSON *j = post_json(f, i);
        assert_int_equal(cJSON_GetObjectItem(j, "statusCode")->valueint, 400);
        const cJSON *h = cJSON_GetObjectItem(j, "headers");
        assert_string_equal(jstr(h, "Content-Type"), "application/json");
        cJSON *body = cJSON_Parse(jstr(j, "body"));
        assert_non_null(body);
        assert_non_null(jstr(body, "error"));
        cJSON_Delete(body);
        cJSON_Delete(j);
    }
    assert_int_equal(rt_fake_next_calls(f), 6);
    rt_client_free(c);
}

static void next_outage_is_retried_with_backoff(void **state)
{
    rt_fake *f = *state;
    rt_fake_fail_next(f, 4, 500);
    rt_fake_push(f, "after-outage", "{}", 0, NULL);
    rt_client *c = client_for(f);
    rt_options o = { .max_invocations = 1, .next_give_up_ms = 60000 };
    assert_int_equal(rt_run(c, echo_handler, NULL, &o), 0);
    assert_int_equal(rt_fake_next_calls(f), 5); /* more than aws-lambda-cpp's 3 */
    assert_int_equal(rt_fake_wait_posts(f, 1, WAIT_MS), 1);
    assert_string_equal(rt_fake_post_at(f, 0)->request_id, "after-outage");
    rt_client_free(c);
}

static void loop_gives_up_when_the_api_stays_away(void **state)
{
    (void)state;
    char err[256];
    /* a port in our range where nothing listens */
    rt_client *c = rt_client_new("127.0.0.1:8298", err, sizeof err);
    assert_non_null(c);
    rt_options o = { .next_give_up_ms = 300 };
    assert_int_equal(rt_run(c, echo_handler, NULL, &o), 1);
    rt_client_free(c);
}

static void rejected_response_becomes_an_error(void **state)
{
    rt_fake *f = *state;
    rt_fake_response_status(f, 413);
    rt_fake_push(f, "too-big", "{}", 0, NULL);
    rt_client *c = client_for(f);
    rt_options o = { .max_invocations = 1 };
    assert_int_equal(rt_run(c, echo_handler, NULL, &o), 0);
    assert_int_equal(rt_fake_wait_posts(f, 1, WAIT_MS), 1);
    const rt_fake_post *p = rt_fake_post_at(f, 0);
    assert_int_equal(p->kind, 'e');
    assert_string_equal(p->request_id, "too-big");
    assert_string_equal(p->error_type, "Runtime.ResponseRejected");
    rt_client_free(c);
}

static void oversized_event_is_refused_and_the_loop_goes_on(void **state)
{
    rt_fake *f = *state;
    size_t n = RT_PAYLOAD_MAX + 100;
    char *big = malloc(n + 1);
    assert_non_null(big);
    memset(big, ' ', n);
    big[0] = '{';
    big[n - 1] = '}';
    big[n] = '\0';
    rt_fake_push(f, "huge", big, 0, NULL);
    free(big);
    rt_fake_push(f, "small", "{}", 0, NULL);
    rt_client *c = client_for(f);
    rt_options o = { .max_invocations = 2 };
    assert_int_equal(rt_run(c, echo_handler, NULL, &o), 0);
    assert_int_equal(rt_fake_wait_posts(f, 2, WAIT_MS), 2);
    const rt_fake_post *p = rt_fake_post_at(f, 0);
    assert_int_equal(p->kind, 'e');
    assert_string_equal(p->request_id, "huge");
    assert_string_equal(p->error_type, "Runtime.PayloadTooLarge");
    p = rt_fake_post_at(f, 1);
    assert_int_equal(p->kind, 'r');
    assert_string_equal(p->request_id, "small");
    rt_client_free(c);
}

static void request_id_is_escaped_in_the_url(void **state)
{
    rt_fake *f = *state;
    rt_fake_push(f, "odd id/../x?y", "{}", 0, NULL);
    rt_client *c = client_for(f);
    rt_options o = { .max_invocations = 1 };
    assert_int_equal(rt_run(c, echo_handler, NULL, &o), 0);
    assert_int_equal(rt_fake_wait_posts(f, 1, WAIT_MS), 1);
    const rt_fake_post *p = rt_fake_post_at(f, 0);
    assert_int_equal(p->kind, 'r');
    assert_string_equal(p->request_id, "odd id/../x?y"); /* MHD decodes %XX back */
    rt_client_free(c);
}

static void init_error_when_tables_are_missing(void **state)
{
    rt_fake *f = *state;
    setenv("AWS_LAMBDA_RUNTIME_API", rt_fake_api(f), 1);
    setenv("_HANDLER", "concert-service.getConcert", 1);
    unsetenv("CONCERTS_TABLE");
    setenv("TICKETS_TABLE", "tickets", 1);
    assert_int_equal(app_main(NULL), 1);
    assert_int_equal(rt_fake_wait_posts(f, 1, WAIT_MS), 1);
    const rt_fake_post *p = rt_fake_post_at(f, 0);
    assert_int_equal(p->kind, 'i');
    assert_string_equal(p->error_type, "Runtime.ConfigError");
    cJSON *j = post_json(f, 0);
    assert_non_null(strstr(jstr(j, "errorMessage"), "CONCERTS_TABLE"));
    assert_string_equal(jstr(j, "errorType"), "Runtime.ConfigError");
    assert_true(cJSON_IsArray(cJSON_GetObjectItem(j, "stackTrace")));
    cJSON_Delete(j);
    assert_int_equal(rt_fake_next_calls(f), 0); /* never asked for an event */
}

static void init_error_for_an_unknown_handler(void **state)
{
    rt_fake *f = *state;
    setenv("AWS_LAMBDA_RUNTIME_API", rt_fake_api(f), 1);
    setenv("_HANDLER", "concert-service.deleteEverything", 1);
    setenv("CONCERTS_TABLE", "concerts", 1);
    setenv("TICKETS_TABLE", "tickets", 1);
    assert_int_equal(app_main(NULL), 1);
    assert_int_equal(rt_fake_wait_posts(f, 1, WAIT_MS), 1);
    const rt_fake_post *p = rt_fake_post_at(f, 0);
    assert_int_equal(p->kind, 'i');
    assert_string_equal(p->error_type, "Runtime.HandlerNotFound");
}

static void main_fails_without_runtime_api(void **state)
{
    (void)state;
    unsetenv("AWS_LAMBDA_RUNTIME_API");
    assert_int_equal(app_main(NULL), 1);
}

static void backoff_is_bounded_full_jitter(void **state)
{
    (void)state;
    assert_int_equal(rt_backoff_ms(0, 12345), 0);
    assert_int_equal(rt_backoff_ms(1, UINT32_MAX), UINT32_MAX % (RT_BACKOFF_BASE_MS + 1));
    for (unsigned n = 1; n < 40; n++) {
        uint64_t ceiling = 0;
        for (uint32_t r = 0; r < 5000; r += 7) {
            uint64_t b = rt_backoff_ms(n, r * 2654435761u);
            assert_true(b <= RT_BACKOFF_CAP_MS);
            if (b > ceiling)
                ceiling = b;
        }
        uint64_t expect = n < 16 ? (uint64_t)RT_BACKOFF_BASE_MS << (n - 1) : RT_BACKOFF_CAP_MS;
        if (expect > RT_BACKOFF_CAP_MS)
            expect = RT_BACKOFF_CAP_MS;
        assert_true(ceiling <= expect);
        assert_true(ceiling >= expect / 2); /* the jitter spans the whole window */
    }
}

static void client_refuses_bad_api_values(void **state)
{
    (void)state;
    char err[256];
    assert_null(rt_client_new(NULL, err, sizeof err));
    assert_non_null(strstr(err, "AWS_LAMBDA_RUNTIME_API"));
    assert_null(rt_client_new("", err, sizeof err));
    assert_null(rt_client_new("host:1/path", err, sizeof err));
    assert_null(rt_client_new("ho st:1", err, sizeof err));
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(next_then_response, setup, teardown),
        cmocka_unit_test_setup_teardown(handler_failure_posts_error, setup, teardown),
        cmocka_unit_test_setup_teardown(deadline_and_trace_id_reach_the_handler, setup, teardown),
        cmocka_unit_test(remaining_time_helper),
        cmocka_unit_test_setup_teardown(malformed_events_do_not_stop_the_loop, setup, teardown),
        cmocka_unit_test_setup_teardown(next_outage_is_retried_with_backoff, setup, teardown),
        cmocka_unit_test(loop_gives_up_when_the_api_stays_away),
        cmocka_unit_test_setup_teardown(rejected_response_becomes_an_error, setup, teardown),
        cmocka_unit_test_setup_teardown(oversized_event_is_refused_and_the_loop_goes_on, setup, teardown),
        cmocka_unit_test_setup_teardown(request_id_is_escaped_in_the_url, setup, teardown),
        cmocka_unit_test_setup_teardown(init_error_when_tables_are_missing, setup, teardown),
        cmocka_unit_test_setup_teardown(init_error_for_an_unknown_handler, setup, teardown),
        cmocka_unit_test(main_fails_without_runtime_api),
        cmocka_unit_test(backoff_is_bounded_full_jitter),
        cmocka_unit_test(client_refuses_bad_api_values),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
