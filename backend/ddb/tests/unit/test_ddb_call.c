/* ddb_call against a scripted local HTTP server: request building, answers, retries, deadline,
 * connection reuse. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "bo_clock.h"
#include "ddb.h"
#include "ddb_fake.h"

#define THROTTLED "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException\"," \
                  "\"message\":\"The level of configured provisioned throughput for the table was exceeded\"}"
#define CCF "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException\"," \
            "\"message\":\"The conditional request failed\"}"
#define VALIDATION "{\"__type\":\"com.amazon.coral.validate#ValidationException\",\"message\":\"bad\"}"
#define CANCEL_CCF "{\"__type\":\"com.amazonaws.dynamodb.v20120810#TransactionCanceledException\"," \
                   "\"CancellationReasons\":[{\"Code\":\"ConditionalCheckFailed\"},{\"Code\":\"None\"}]}"
#define CANCEL_CONFLICT "{\"__type\":\"com.amazonaws.dynamodb.v20120810#TransactionCanceledException\"," \
                        "\"CancellationReasons\":[{\"Code\":\"None\"},{\"Code\":\"TransactionConflict\"}]}"
#define ISE "{\"__type\":\"com.amazonaws.dynamodb.v20120810#InternalServerError\",\"message\":\"oops\"}"

typedef struct fixture {
    ddb_fake *fake;
    ddb_client *client;
} fixture;

static fixture start(const ddb_fake_reply *replies, size_t n)
{
    fixture fx;
    fx.fake = ddb_fake_start(replies, n);
    assert_non_null(fx.fake);
    ddb_fake_use_env(fx.fake);
    ddb_error err;
    fx.client = ddb_client_new_from_env(&err);
    assert_non_null(fx.client);
    ddb_client_seed(fx.client, 42);
    return fx;
}

static void stop(fixture *fx)
{
    ddb_client_free(fx->client);
    ddb_fake_stop(fx->fake);
}

static cJSON *get_request(void)
{
    cJSON *req = cJSON_Parse("{\"TableName\":\"concerts\",\"Key\":{\"id\":{\"S\":\"c-1\"}},\"ConsistentRead\":true}");
    assert_non_null(req);
    return req;
}

static void test_request_has_target_content_type_and_body(void **state)
{
    (void)state;
    const ddb_fake_reply ok = {200, "{\"Item\":{\"id\":{\"S\":\"c-1\"}}}", 0, 0, NULL};
    fixture fx = start(&ok, 1);
    cJSON *req = get_request(), *resp = NULL;
    ddb_error err;
    assert_int_equal(ddb_call(fx.client, "GetItem", req, &resp, &err), DDB_OK);
    assert_int_equal(err.status, DDB_OK);
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetObjectItem(resp, "Item"), "id"), "S")->valuestring,
                        "c-1");
    cJSON_Delete(resp);
    assert_int_equal(ddb_client_last_attempts(fx.client), 1);

    /* NULL request means {} */
    assert_int_equal(ddb_call(fx.client, "ListTables", NULL, &resp, &err), DDB_OK);
    cJSON_Delete(resp);

    assert_int_equal(ddb_fake_count(fx.fake), 2);
    const ddb_fake_request *r = ddb_fake_request_at(fx.fake, 0);
    assert_string_equal(r->method, "POST");
    assert_string_equal(r->path, "/");
    assert_string_equal(ddb_fake_header(r, "X-Amz-Target"), "DynamoDB_20120810.GetItem");
    assert_string_equal(ddb_fake_header(r, "Content-Type"), "application/x-amz-json-1.0");
    assert_non_null(ddb_fake_header(r, "Authorization"));
    assert_non_null(ddb_fake_header(r, "X-Amz-Date"));
    assert_null(ddb_fake_header(r, "X-Amz-Security-Token"));
    cJSON *sent = cJSON_ParseWithLength(r->body, r->body_len);
    assert_true(cJSON_Compare(sent, req, 1));
    cJSON_Delete(sent);
    r = ddb_fake_request_at(fx.fake, 1);
    assert_string_equal(ddb_fake_header(r, "X-Amz-Target"), "DynamoDB_20120810.ListTables");
    assert_string_equal(r->body, "{}");
    cJSON_Delete(req);
    stop(&fx);
}

static void test_connection_is_reused_across_calls(void **state)
{
    (void)state;
    const ddb_fake_reply ok = {200, "{}", 0, 0, NULL};
    fixture fx = start(&ok, 1);
    cJSON *req = get_request();
    for (int i = 0; i < 4; i++) {
        cJSON *resp = NULL;
        assert_int_equal(ddb_call(fx.client, "GetItem", req, &resp, NULL), DDB_OK);
        cJSON_Delete(resp);
    }
    assert_int_equal(ddb_fake_count(fx.fake), 4);
    unsigned port = ddb_fake_request_at(fx.fake, 0)->client_port;
    assert_int_not_equal(port, 0);
    for (size_t i = 1; i < 4; i++)
        assert_int_equal(ddb_fake_request_at(fx.fake, i)->client_port, port);
    cJSON_Delete(req);
    stop(&fx);
}

static void test_transact_write_gets_one_client_request_token_for_all_attempts(void **state)
{
    (void)state;
    const ddb_fake_reply replies[] = {{500, ISE, 0, 0, NULL}, {200, "{}", 0, 0, NULL}};
    fixture fx = start(replies, 2);
    cJSON *req = cJSON_Parse("{\"TransactItems\":[]}"), *resp = NULL;
    assert_int_equal(ddb_call(fx.client, "TransactWriteItems", req, &resp, NULL), DDB_OK);
    cJSON_Delete(resp);
    assert_int_equal(ddb_fake_count(fx.fake), 2);
    cJSON *a = cJSON_Parse(ddb_fake_request_at(fx.fake, 0)->body);
    cJSON *b = cJSON_Parse(ddb_fake_request_at(fx.fake, 1)->body);
    const cJSON *ta = cJSON_GetObjectItem(a, "ClientRequestToken"), *tb = cJSON_GetObjectItem(b, "ClientRequestToken");
    assert_true(cJSON_IsString(ta));
    assert_int_equal(strlen(ta->valuestring), 36); /* a UUID */
    assert_string_equal(ta->valuestring, tb->valuestring);
    assert_null(cJSON_GetObjectItem(req, "ClientRequestToken")); /* the caller's request is untouched */
    cJSON_Delete(a);
    cJSON_Delete(b);

    /* after a definite rejection (nothing written) the retry carries a fresh token */
    stop(&fx);
    const ddb_fake_reply rejected[] = {{400, CANCEL_CONFLICT, 0, 0, NULL}, {400, THROTTLED, 0, 0, NULL},
                                       {200, "{}", 0, 0, NULL}};
    fx = start(rejected, 3);
    assert_int_equal(ddb_call(fx.client, "TransactWriteItems", req, &resp, NULL), DDB_OK);
    cJSON_Delete(resp);
    assert_int_equal(ddb_fake_count(fx.fake), 3);
    a = cJSON_Parse(ddb_fake_request_at(fx.fake, 0)->body);
    b = cJSON_Parse(ddb_fake_request_at(fx.fake, 1)->body);
    cJSON *c3 = cJSON_Parse(ddb_fake_request_at(fx.fake, 2)->body);
    const char *t1 = cJSON_GetObjectItem(a, "ClientRequestToken")->valuestring;
    const char *t2 = cJSON_GetObjectItem(b, "ClientRequestToken")->valuestring;
    const char *t3 = cJSON_GetObjectItem(c3, "ClientRequestToken")->valuestring;
    assert_string_not_equal(t1, t2);
    assert_string_not_equal(t2, t3);
    cJSON_Delete(a);
    cJSON_Delete(b);
    cJSON_Delete(c3);
    stop(&fx);
    fx = start(replies, 2);

    /* a token given by the caller is kept (also after a 500); other operations get none */
    cJSON_AddStringToObject(req, "ClientRequestToken", "mine");
    assert_int_equal(ddb_call(fx.client, "TransactWriteItems", req, &resp, NULL), DDB_OK);
    cJSON_Delete(resp);
    a = cJSON_Parse(ddb_fake_request_at(fx.fake, 1)->body); /* 0 was the 500 */
    assert_string_equal(cJSON_GetObjectItem(a, "ClientRequestToken")->valuestring, "mine");
    cJSON_Delete(a);
    cJSON *put = cJSON_Parse("{\"TableName\":\"t\"}");
    assert_int_equal(ddb_call(fx.client, "PutItem", put, &resp, NULL), DDB_OK);
    cJSON_Delete(resp);
    a = cJSON_Parse(ddb_fake_request_at(fx.fake, 2)->body);
    assert_string_equal(ddb_fake_header(ddb_fake_request_at(fx.fake, 2), "X-Amz-Target"), "DynamoDB_20120810.PutItem");
    assert_null(cJSON_GetObjectItem(a, "ClientRequestToken"));
    cJSON_Delete(a);
    cJSON_Delete(put);
    cJSON_Delete(req);
    stop(&fx);
}

/* replies, expected status, expected number of attempts */
static void expect_outcome(const ddb_fake_reply *replies, size_t n, ddb_status want, unsigned attempts, ddb_error *out)
{
    fixture fx = start(replies, n);
    cJSON *req = get_request(), *resp = (cJSON *)1;
    ddb_error err;
    ddb_status st = ddb_call(fx.client, "GetItem", req, &resp, &err);
    if (st != want)
        fail_msg("got %s (%s), want %s", ddb_status_name(st), err.message, ddb_status_name(want));
    assert_int_equal(err.status, want);
    assert_int_equal(ddb_client_last_attempts(fx.client), attempts);
    assert_int_equal(ddb_fake_count(fx.fake), attempts);
    if (st == DDB_OK)
        assert_non_null(resp);
    else
        assert_null(resp);
    cJSON_Delete(resp);
    if (out)
        *out = err;
    cJSON_Delete(req);
    stop(&fx);
}

static void test_transient_failures_are_retried_up_to_three_attempts(void **state)
{
    (void)state;
    const ddb_fake_reply two_5xx[] = {{500, ISE, 0, 0, NULL}, {503, "Service Unavailable", 0, 0, NULL}, {200, "{}", 0, 0, NULL}};
    expect_outcome(two_5xx, 3, DDB_OK, 3, NULL);
    const ddb_fake_reply always_5xx[] = {{500, ISE, 0, 0, NULL}};
    ddb_error err;
    expect_outcome(always_5xx, 1, DDB_ERR_SERVICE, 3, &err);
    assert_int_equal(err.http_status, 500);
    assert_string_equal(err.type, "InternalServerError");
    const ddb_fake_reply throttled_once[] = {{400, THROTTLED, 0, 0, NULL}, {200, "{}", 0, 0, NULL}};
    expect_outcome(throttled_once, 2, DDB_OK, 2, NULL);
    const ddb_fake_reply throttled[] = {{400, THROTTLED, 0, 0, NULL}};
    expect_outcome(throttled, 1, DDB_ERR_THROTTLED, 3, NULL);
    const ddb_fake_reply conflict_once[] = {{400, CANCEL_CONFLICT, 0, 0, NULL}, {200, "{}", 0, 0, NULL}};
    expect_outcome(conflict_once, 2, DDB_OK, 2, NULL);
    const ddb_fake_reply dropped_once[] = {{0, NULL, 0, 1, NULL}, {200, "{}", 0, 0, NULL}};
    expect_outcome(dropped_once, 2, DDB_OK, 2, NULL);
}

static void test_condition_and_validation_failures_are_not_retried(void **state)
{
    (void)state;
    ddb_error err;
    const ddb_fake_reply ccf[] = {{400, CCF, 0, 0, NULL}, {200, "{}", 0, 0, NULL}};
    expect_outcome(ccf, 2, DDB_ERR_CONDITIONAL_CHECK, 1, &err);
    assert_string_equal(err.type, "ConditionalCheckFailedException");
    assert_string_equal(err.message, "The conditional request failed");
    const ddb_fake_reply val[] = {{400, VALIDATION, 0, 0, NULL}, {200, "{}", 0, 0, NULL}};
    expect_outcome(val, 2, DDB_ERR_VALIDATION, 1, NULL);
    const ddb_fake_reply cancel[] = {{400, CANCEL_CCF, 0, 0, NULL}, {200, "{}", 0, 0, NULL}};
    expect_outcome(cancel, 2, DDB_ERR_TRANSACTION_CANCELED, 1, &err);
    assert_int_equal(err.n_reasons, 2);
    assert_string_equal(err.reasons[0], "ConditionalCheckFailed");
    assert_string_equal(err.reasons[1], "None");
    const ddb_fake_reply denied[] = {{403, "{\"__type\":\"AccessDeniedException\"}", 0, 0, NULL}, {200, "{}", 0, 0, NULL}};
    expect_outcome(denied, 2, DDB_ERR_OTHER, 1, &err);
    assert_int_equal(err.http_status, 403);
}

static void test_malformed_success_answers_are_protocol_errors(void **state)
{
    (void)state;
    const char *bodies[] = {"", "not json", "[1,2]", "{\"Item\":", "\"str\""};
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        const ddb_fake_reply r[] = {{200, bodies[i], 0, 0, NULL}, {200, "{}", 0, 0, NULL}};
        ddb_error err;
        expect_outcome(r, 2, DDB_ERR_PROTOCOL, 1, &err);
        assert_int_equal(err.http_status, 200);
    }
}

static void test_answers_over_16_mib_are_refused(void **state)
{
    (void)state;
    size_t n = DDB_MAX_RESPONSE_BYTES + 4096;
    char *big = malloc(n + 1);
    assert_non_null(big);
    memset(big, ' ', n);
    big[0] = '{';
    big[n - 1] = '}';
    big[n] = '\0';
    const ddb_fake_reply r[] = {{200, big, 0, 0, NULL}, {200, "{}", 0, 0, NULL}};
    expect_outcome(r, 2, DDB_ERR_PROTOCOL, 1, NULL);
    free(big);
}

static void test_answers_are_checked_against_their_crc32(void **state)
{
    (void)state;
    /* zlib.crc32(b'{"Item":{"id":{"S":"c-1"}}}') == 4018164770 */
    const char *body = "{\"Item\":{\"id\":{\"S\":\"c-1\"}}}";
    const ddb_fake_reply good[] = {{200, body, 0, 0, "4018164770"}};
    expect_outcome(good, 1, DDB_OK, 1, NULL);
    const ddb_fake_reply damaged_once[] = {{200, body, 0, 0, "4018164771"}, {200, body, 0, 0, "4018164770"}};
    expect_outcome(damaged_once, 2, DDB_OK, 2, NULL);
    ddb_error err;
    const ddb_fake_reply damaged[] = {{200, body, 0, 0, "1"}};
    expect_outcome(damaged, 1, DDB_ERR_TRANSPORT, DDB_MAX_ATTEMPTS, &err);
    assert_non_null(strstr(err.message, "crc32"));
    /* error answers are checked too: a damaged one is not taken for a condition failure */
    const ddb_fake_reply damaged_error[] = {{400, CCF, 0, 0, "12345"}};
    expect_outcome(damaged_error, 1, DDB_ERR_TRANSPORT, DDB_MAX_ATTEMPTS, NULL);
    const ddb_fake_reply garbage_header[] = {{200, body, 0, 0, "not-a-number"}};
    expect_outcome(garbage_header, 1, DDB_OK, 1, NULL); /* unusable checksum: ignored */
}

static void test_request_id_of_the_last_answer_is_kept(void **state)
{
    (void)state;
    const ddb_fake_reply ok = {200, "{}", 0, 0, NULL};
    fixture fx = start(&ok, 1);
    assert_string_equal(ddb_client_last_request_id(fx.client), "");
    cJSON *resp = NULL;
    assert_int_equal(ddb_call(fx.client, "ListTables", NULL, &resp, NULL), DDB_OK);
    cJSON_Delete(resp);
    assert_string_equal(ddb_client_last_request_id(fx.client), "FAKE0000000000000000000000000000000000000000000000");
    stop(&fx);
}

static unsigned closed_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    socklen_t len = sizeof a;
    assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    close(fd); /* nothing listens there now */
    return ntohs(a.sin_port);
}

static void test_transport_failure_after_retries(void **state)
{
    (void)state;
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%u", closed_port());
    ddb_fake_use_env_url(url);
    ddb_error err;
    ddb_client *c = ddb_client_new_from_env(&err);
    assert_non_null(c);
    cJSON *req = get_request(), *resp = NULL;
    assert_int_equal(ddb_call(c, "GetItem", req, &resp, &err), DDB_ERR_TRANSPORT);
    assert_null(resp);
    assert_int_equal(err.http_status, 0);
    assert_int_equal(ddb_client_last_attempts(c), DDB_MAX_ATTEMPTS);
    assert_true(err.message[0] != '\0');
    cJSON_Delete(req);
    ddb_client_free(c);
}

static void test_deadline_cuts_a_slow_answer(void **state)
{
    (void)state;
    /* The server answers 200 after 4 s; without the deadline the call would succeed. */
    const ddb_fake_reply slow[] = {{200, "{}", 4000, 0, NULL}};
    fixture fx = start(slow, 1);
    ddb_client_set_deadline(fx.client, bo_clock_wall_ms() + 800);
    cJSON *req = get_request(), *resp = NULL;
    ddb_error err;
    assert_int_equal(ddb_call(fx.client, "GetItem", req, &resp, &err), DDB_ERR_TIMEOUT);
    assert_null(resp);
    assert_true(ddb_client_last_attempts(fx.client) >= 1);

    /* a deadline already gone: nothing is sent */
    size_t before = ddb_fake_count(fx.fake);
    ddb_client_set_deadline(fx.client, bo_clock_wall_ms() - 1);
    assert_int_equal(ddb_call(fx.client, "GetItem", req, &resp, &err), DDB_ERR_TIMEOUT);
    assert_int_equal(ddb_client_last_attempts(fx.client), 0);
    assert_int_equal(ddb_fake_count(fx.fake), before);
    cJSON_Delete(req);
    stop(&fx);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    const ddb_fake_reply ok = {200, "{}", 0, 0, NULL};
    fixture fx = start(&ok, 1);
    cJSON *resp = NULL;
    ddb_error err;
    assert_int_equal(ddb_call(fx.client, "Get\r\nItem", NULL, &resp, &err), DDB_ERR_CONFIG);
    assert_int_equal(ddb_call(fx.client, "", NULL, &resp, &err), DDB_ERR_CONFIG);
    assert_int_equal(ddb_call(fx.client, NULL, NULL, &resp, &err), DDB_ERR_CONFIG);
    assert_int_equal(ddb_call(NULL, "GetItem", NULL, &resp, &err), DDB_ERR_CONFIG);
    assert_int_equal(ddb_call(fx.client, "GetItem", NULL, NULL, &err), DDB_ERR_CONFIG);
    assert_int_equal(ddb_fake_count(fx.fake), 0);
    stop(&fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_request_has_target_content_type_and_body),
        cmocka_unit_test(test_connection_is_reused_across_calls),
        cmocka_unit_test(test_transact_write_gets_one_client_request_token_for_all_attempts),
        cmocka_unit_test(test_transient_failures_are_retried_up_to_three_attempts),
        cmocka_unit_test(test_condition_and_validation_failures_are_not_retried),
        cmocka_unit_test(test_malformed_success_answers_are_protocol_errors),
        cmocka_unit_test(test_answers_over_16_mib_are_refused),
        cmocka_unit_test(test_answers_are_checked_against_their_crc32),
        cmocka_unit_test(test_request_id_of_the_last_answer_is_kept),
        cmocka_unit_test(test_transport_failure_after_retries),
        cmocka_unit_test(test_deadline_cuts_a_slow_answer),
        cmocka_unit_test(test_bad_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
