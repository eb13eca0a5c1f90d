/* DynamoDB error answers are classified, never crash on any body, and drive the retry policy. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ddb.h"

static ddb_error parse(long http, const char *body)
{
    ddb_error e;
    ddb_parse_error(http, body, body ? strlen(body) : 0, &e);
    return e;
}

static void test_each_error_type_maps_to_its_status(void **state)
{
    (void)state;
    static const struct {
        long http;
        const char *type;
        ddb_status want;
    } cases[] = {
        {400, "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException", DDB_ERR_CONDITIONAL_CHECK},
        {400, "com.amazonaws.dynamodb.v20120810#TransactionCanceledException", DDB_ERR_TRANSACTION_CANCELED},
        {400, "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException", DDB_ERR_THROTTLED},
        {400, "com.amazon.coral.availability#ThrottlingException", DDB_ERR_THROTTLED},
        {400, "com.amazonaws.dynamodb.v20120810#RequestLimitExceeded", DDB_ERR_THROTTLED},
        {400, "com.amazonaws.dynamodb.v20120810#TransactionConflictException", DDB_ERR_TRANSACTION_CONFLICT},
        {400, "com.amazon.coral.validate#ValidationException", DDB_ERR_VALIDATION},
        {400, "com.amazon.coral.service#SerializationException:http://internal.amazon.com/coral", DDB_ERR_VALIDATION},
        {400, "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException", DDB_ERR_RESOURCE_NOT_FOUND},
        {400, "com.amazonaws.dynamodb.v20120810#ResourceInUseException", DDB_ERR_RESOURCE_IN_USE},
        {500, "com.amazonaws.dynamodb.v20120810#InternalServerError", DDB_ERR_SERVICE},
        {503, "com.amazonaws.dynamodb.v20120810#ServiceUnavailable", DDB_ERR_SERVICE},
        {400, "com.amazon.coral.service#UnrecognizedClientException", DDB_ERR_OTHER},
        {400, "com.amazon.coral.service#AccessDeniedException", DDB_ERR_OTHER},
        {403, "com.amazon.coral.service#InvalidSignatureException", DDB_ERR_OTHER},
        {400, "ThrottlingException", DDB_ERR_THROTTLED}, /* without a namespace */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char body[512];
        snprintf(body, sizeof body, "{\"__type\":\"%s\",\"message\":\"text %zu\"}", cases[i].type, i);
        ddb_error e = parse(cases[i].http, body);
        if (e.status != cases[i].want)
            fail_msg("%s: got %s", cases[i].type, ddb_status_name(e.status));
        assert_int_equal(e.http_status, cases[i].http);
        assert_null(strchr(e.type, '#'));
        assert_null(strchr(e.type, ':'));
        char want_msg[32];
        snprintf(want_msg, sizeof want_msg, "text %zu", i);
        assert_string_equal(e.message, want_msg);
        assert_int_equal(e.n_reasons, 0);
    }
    ddb_error e = parse(400, "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException\","
                             "\"message\":\"The conditional request failed\"}");
    assert_string_equal(e.type, "ConditionalCheckFailedException");
    assert_string_equal(e.message, "The conditional request failed");
}

static void test_message_with_capital_m_is_read(void **state)
{
    (void)state;
    ddb_error e = parse(400, "{\"__type\":\"com.amazon.coral.validate#ValidationException\","
                             "\"Message\":\"One or more parameter values were invalid\"}");
    assert_int_equal(e.status, DDB_ERR_VALIDATION);
    assert_string_equal(e.type, "ValidationException");
    assert_string_equal(e.message, "One or more parameter values were invalid");
}

static void test_cancellation_reasons_are_exposed_per_item(void **state)
{
    (void)state;
    ddb_error e = parse(
        400, "{\"__type\":\"com.amazonaws.dynamodb.v20120810#TransactionCanceledException\","
             "\"CancellationReasons\":[{\"Code\":\"ConditionalCheckFailed\",\"Message\":\"The conditional request failed\","
             "\"Item\":{\"id\":{\"S\":\"x\"}}},{\"Code\":\"None\"},{\"Code\":\"TransactionConflict\","
             "\"Message\":\"Transaction is ongoing for the item\"}],"
             "\"Message\":\"Transaction cancelled, please refer cancellation reasons for specific reasons "
             "[ConditionalCheckFailed, None, TransactionConflict]\"}");
    assert_int_equal(e.status, DDB_ERR_TRANSACTION_CANCELED);
    assert_int_equal(e.n_reasons, 3);
    assert_string_equal(e.reasons[0], "ConditionalCheckFailed");
    assert_string_equal(e.reasons[1], "None");
    assert_string_equal(e.reasons[2], "TransactionConflict");
    assert_non_null(strstr(e.message, "Transaction cancelled"));
}

static void test_cancellation_reasons_fall_back_to_the_message(void **state)
{
    (void)state;
    ddb_error e = parse(400, "{\"__type\":\"com.amazonaws.dynamodb.v20120810#TransactionCanceledException\","
                             "\"message\":\"Transaction cancelled, please refer cancellation reasons for specific "
                             "reasons [None, ConditionalCheckFailed]\"}");
    assert_int_equal(e.status, DDB_ERR_TRANSACTION_CANCELED);
    assert_int_equal(e.n_reasons, 2);
    assert_string_equal(e.reasons[0], "None");
    assert_string_equal(e.reasons[1], "ConditionalCheckFailed");
    /* a reason without Code counts as None; a non-object reason too */
    e = parse(400, "{\"__type\":\"TransactionCanceledException\",\"CancellationReasons\":[{},7,{\"Code\":\"ValidationError\"}]}");
    assert_int_equal(e.n_reasons, 3);
    assert_string_equal(e.reasons[0], "None");
    assert_string_equal(e.reasons[1], "None");
    assert_string_equal(e.reasons[2], "ValidationError");
}

static void test_reasons_are_capped(void **state)
{
    (void)state;
    size_t cap = 200 * 64 + 256;
    char *body = malloc(cap);
    assert_non_null(body);
    size_t n = (size_t)snprintf(body, cap, "{\"__type\":\"TransactionCanceledException\",\"CancellationReasons\":[");
    for (int i = 0; i < 150; i++)
        n += (size_t)snprintf(body + n, cap - n, "%s{\"Code\":\"%s\"}", i ? "," : "",
                              i == 3 ? "AVeryLongReasonCodeThatDoesNotFitIntoFortyEightBytesAtAll" : "None");
    snprintf(body + n, cap - n, "]}");
    ddb_error e = parse(400, body);
    assert_int_equal(e.n_reasons, DDB_MAX_REASONS);
    assert_int_equal(strlen(e.reasons[3]), sizeof e.reasons[3] - 1);
    assert_true(strncmp(e.reasons[3], "AVeryLongReasonCode", 19) == 0);
    free(body);
}

static void test_garbage_truncated_and_empty_bodies_are_classified(void **state)
{
    (void)state;
    const char *bodies[] = {
        "", "not json", "{", "{\"__type\":", "{\"__type\":\"com.amazonaws.dynamodb.v20120810#Thrott",
        "[1,2,3]", "null", "{\"__type\":42,\"message\":[]}", "<html><body>502 Bad Gateway</body></html>",
        "{\"__type\":\"\"}", "{\"__type\":\"#\"}", "{\"__type\":\"a#b#c:d:e\"}", "\"just a string\"",
        "{\"CancellationReasons\":{\"Code\":1}}",
    };
    for (size_t i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
        ddb_error e = parse(400, bodies[i]);
        assert_int_equal(e.status, DDB_ERR_OTHER);
        assert_int_equal(e.n_reasons, 0);
        assert_true(e.message[0] != '\0');
        e = parse(503, bodies[i]);
        assert_int_equal(e.status, DDB_ERR_SERVICE);
    }
    ddb_error e;
    assert_int_equal(ddb_parse_error(500, NULL, 0, &e), DDB_ERR_SERVICE);
    assert_int_equal(ddb_parse_error(413, NULL, 5, &e), DDB_ERR_OTHER);
    /* a length shorter than the text: only that prefix is read */
    const char *full = "{\"__type\":\"ThrottlingException\"}";
    assert_int_equal(ddb_parse_error(400, full, 10, &e), DDB_ERR_OTHER);
    /* a cancellation whose message has no bracketed list */
    e = parse(400, "{\"__type\":\"TransactionCanceledException\",\"message\":\"cancelled [unterminated\"}");
    assert_int_equal(e.status, DDB_ERR_TRANSACTION_CANCELED);
    assert_int_equal(e.n_reasons, 0);
}

static void test_long_and_binary_messages_are_cut_and_cleaned(void **state)
{
    (void)state;
    size_t n = 100000;
    char *body = malloc(n + 100);
    assert_non_null(body);
    int len = snprintf(body, 100, "{\"__type\":\"ValidationException\",\"message\":\"");
    memset(body + len, 'm', n);
    strcpy(body + len + n, "\\u0001\\n\"}");
    ddb_error e = parse(400, body);
    assert_int_equal(e.status, DDB_ERR_VALIDATION);
    assert_int_equal(strlen(e.message), sizeof e.message - 1);
    free(body);

    e = parse(400, "{\"__type\":\"ValidationException\",\"message\":\"line1\\nline2\\u0007\"}");
    assert_string_equal(e.message, "line1 line2 ");
    /* a body with a NUL inside */
    const char with_nul[] = "{\"__type\":\"Throttling\0Exception\"}";
    assert_int_equal(ddb_parse_error(400, with_nul, sizeof with_nul - 1, &e), DDB_ERR_OTHER);
}

/* Mutated real answers in exact-size heap buffers (no terminating NUL): never a crash or an
 * over-read (ASan run), always a classified status with a message. */
static void test_mutated_answers_never_crash(void **state)
{
    (void)state;
    const char *seeds[] = {
        "{\"__type\":\"com.amazonaws.dynamodb.v20120810#TransactionCanceledException\",\"Message\":\"Transaction "
        "cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed, None]\","
        "\"CancellationReasons\":[{\"Code\":\"ConditionalCheckFailed\",\"Message\":\"m\"},{\"Code\":\"None\"}]}",
        "{\"__type\":\"com.amazon.coral.validate#ValidationException\",\"message\":\"1 validation error\"}",
        "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ThrottlingException\",\"message\":\"\\u00e9\\ud83c\"}",
    };
    uint32_t x = 0x12345678u;
    for (int round = 0; round < 20000; round++) {
        const char *seed = seeds[round % 3];
        size_t len = strlen(seed);
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        size_t cut = x % (len + 1); /* truncation */
        char *buf = malloc(cut ? cut : 1);
        assert_non_null(buf);
        memcpy(buf, seed, cut);
        for (int k = 0; k < 3 && cut; k++) { /* a few byte flips */
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            buf[x % cut] = (char)(x >> 8);
        }
        ddb_error e;
        ddb_status st = ddb_parse_error(round % 2 ? 400 : 500, buf, cut, &e);
        assert_int_equal(st, e.status);
        assert_true(st != DDB_OK);
        assert_true(e.message[0] != '\0');
        assert_true(e.n_reasons <= DDB_MAX_REASONS);
        assert_true(strlen(e.type) < sizeof e.type);
        free(buf);
    }
}

static void test_status_names(void **state)
{
    (void)state;
    assert_string_equal(ddb_status_name(DDB_OK), "DDB_OK");
    assert_string_equal(ddb_status_name(DDB_ERR_THROTTLED), "DDB_ERR_THROTTLED");
    assert_string_equal(ddb_status_name(DDB_ERR_OTHER), "DDB_ERR_OTHER");
    for (int s = DDB_OK; s <= DDB_ERR_OTHER; s++)
        assert_true(strncmp(ddb_status_name((ddb_status)s), "DDB_", 4) == 0);
    assert_string_equal(ddb_status_name((ddb_status)999), "DDB_ERR_UNKNOWN");
    assert_int_equal(ddb_status_from_type(NULL), DDB_ERR_OTHER);
    assert_int_equal(ddb_status_from_type("RequestLimitExceeded"), DDB_ERR_THROTTLED);
}

static ddb_error with_status(ddb_status st)
{
    ddb_error e;
    memset(&e, 0, sizeof e);
    e.status = st;
    return e;
}

static ddb_error cancelled(const char *const *codes, size_t n)
{
    ddb_error e = with_status(DDB_ERR_TRANSACTION_CANCELED);
    for (size_t i = 0; i < n; i++)
        snprintf(e.reasons[i], sizeof e.reasons[i], "%s", codes[i]);
    e.n_reasons = n;
    return e;
}

static void test_retry_only_transient_failures(void **state)
{
    (void)state;
    const ddb_status yes[] = {DDB_ERR_THROTTLED, DDB_ERR_TRANSACTION_CONFLICT, DDB_ERR_SERVICE, DDB_ERR_TRANSPORT,
                              DDB_ERR_TIMEOUT};
    const ddb_status no[] = {DDB_OK, DDB_ERR_CONDITIONAL_CHECK, DDB_ERR_VALIDATION, DDB_ERR_RESOURCE_NOT_FOUND,
                             DDB_ERR_RESOURCE_IN_USE, DDB_ERR_CONFIG, DDB_ERR_PROTOCOL, DDB_ERR_NOMEM, DDB_ERR_OTHER,
                             DDB_ERR_TRANSACTION_CANCELED};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        ddb_error e = with_status(yes[i]);
        assert_true(ddb_error_retryable(&e));
    }
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) {
        ddb_error e = with_status(no[i]);
        assert_false(ddb_error_retryable(&e));
    }
    /* the real answers, parsed */
    ddb_error e = parse(400, "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException\"}");
    assert_false(ddb_error_retryable(&e));
    e = parse(400, "{\"__type\":\"com.amazon.coral.validate#ValidationException\"}");
    assert_false(ddb_error_retryable(&e));
    e = parse(400, "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException\"}");
    assert_true(ddb_error_retryable(&e));
    e = parse(502, "Bad Gateway");
    assert_true(ddb_error_retryable(&e));

    const char *conflict[] = {"None", "TransactionConflict"};
    const char *throttled[] = {"ThrottlingError", "None"};
    const char *condition[] = {"ConditionalCheckFailed", "None"};
    const char *mixed[] = {"ConditionalCheckFailed", "TransactionConflict"};
    const char *none[] = {"None", "None"};
    const char *validation[] = {"ValidationError"};
    e = cancelled(conflict, 2);
    assert_true(ddb_error_retryable(&e));
    e = cancelled(throttled, 2);
    assert_true(ddb_error_retryable(&e));
    e = cancelled(condition, 2);
    assert_false(ddb_error_retryable(&e));
    e = cancelled(mixed, 2);
    assert_false(ddb_error_retryable(&e));
    e = cancelled(none, 2);
    assert_false(ddb_error_retryable(&e));
    e = cancelled(validation, 1);
    assert_false(ddb_error_retryable(&e));
}

static void test_backoff_is_full_jitter_within_bounds(void **state)
{
    (void)state;
    const uint32_t rnds[] = {0, 1, 7, 49, 50, 51, 99, 100, 1000, 1001, 65535, 0x7fffffff, UINT32_MAX};
    uint64_t prev_ceiling = 0;
    for (unsigned n = 1; n <= 12; n++) {
        uint64_t ceiling = (uint64_t)DDB_BACKOFF_BASE_MS << (n - 1);
        if (ceiling > DDB_BACKOFF_CAP_MS)
            ceiling = DDB_BACKOFF_CAP_MS;
        assert_true(ceiling >= prev_ceiling);
        prev_ceiling = ceiling;
        assert_int_equal(ddb_backoff_ms(n, 0), 0);
        assert_int_equal(ddb_backoff_ms(n, (uint32_t)ceiling), ceiling); /* the ceiling is reachable */
        for (size_t i = 0; i < sizeof rnds / sizeof rnds[0]; i++)
            assert_true(ddb_backoff_ms(n, rnds[i]) <= ceiling);
        uint32_t x = 2463534242u; /* xorshift32: many spread values */
        for (int i = 0; i < 10000; i++) {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            assert_true(ddb_backoff_ms(n, x) <= ceiling);
        }
    }
    assert_int_equal(ddb_backoff_ms(1, 50), 50);
    assert_int_equal(ddb_backoff_ms(1, 51), 0);
    assert_int_equal(ddb_backoff_ms(2, 100), 100);
    assert_int_equal(ddb_backoff_ms(40, UINT32_MAX), UINT32_MAX % (DDB_BACKOFF_CAP_MS + 1));
}

static void test_contention_and_conflicts(void **state)
{
    (void)state;
    ddb_error e = with_status(DDB_ERR_TRANSACTION_CANCELED);
    e.n_reasons = 3;
    strcpy(e.reasons[0], "None");
    strcpy(e.reasons[1], "TransactionConflict");
    strcpy(e.reasons[2], "None");
    assert_true(ddb_error_contention(&e));
    assert_true(ddb_error_conflict_only(&e));
    strcpy(e.reasons[2], "ConditionalCheckFailed"); /* a failed condition: not contention, not retried */
    assert_false(ddb_error_contention(&e));
    assert_false(ddb_error_conflict_only(&e));
    strcpy(e.reasons[1], "ThrottlingError");
    strcpy(e.reasons[2], "None");
    assert_true(ddb_error_contention(&e));
    assert_false(ddb_error_conflict_only(&e)); /* throttled, not a conflict: the client retries it itself */
    ddb_error thr = with_status(DDB_ERR_THROTTLED), svc = with_status(DDB_ERR_SERVICE);
    assert_true(ddb_error_contention(&thr));
    assert_false(ddb_error_conflict_only(&thr));
    assert_false(ddb_error_contention(&svc));
}

static void test_retry_decision_respects_attempts_and_deadline(void **state)
{
    (void)state;
    ddb_error thr = with_status(DDB_ERR_THROTTLED);
    ddb_error ccf = with_status(DDB_ERR_CONDITIONAL_CHECK);
    uint64_t sleep = 12345, now = 1700000000000u;

    /* contention waits rand mod (min(cap, 25 * 2^(n-1)) + 1) */
    assert_true(ddb_retry_decide(&thr, 1, now, 0, 40, &sleep));
    assert_int_equal(sleep, 40 % (DDB_CONTENTION_BASE_MS + 1));
    assert_true(ddb_retry_decide(&thr, 2, now, 0, 99, &sleep));
    assert_int_equal(sleep, 99 % (2 * DDB_CONTENTION_BASE_MS + 1));
    assert_int_equal(ddb_contention_backoff_ms(30, UINT32_MAX), UINT32_MAX % (DDB_CONTENTION_CAP_MS + 1));
    /* without a deadline, contention stops after DDB_MAX_ATTEMPTS like the rest */
    assert_false(ddb_retry_decide(&thr, DDB_MAX_ATTEMPTS, now, 0, 1, &sleep));
    assert_int_equal(sleep, 0);
    assert_false(ddb_retry_decide(&ccf, 1, now, 0, 1, &sleep));

    /* plenty of time: the jittered sleep unchanged */
    assert_true(ddb_retry_decide(&thr, 1, now, now + 10000, 20, &sleep));
    assert_int_equal(sleep, 20);
    /* with a deadline, contention is retried while time is left, however many attempts failed ... */
    ddb_error conflict = with_status(DDB_ERR_TRANSACTION_CONFLICT);
    assert_true(ddb_retry_decide(&thr, 40, now, now + 10000, 7, &sleep));
    assert_true(ddb_retry_decide(&conflict, 12, now, now + 10000, 7, &sleep));
    assert_int_equal(sleep, 7);
    /* ... but a 5xx still gets DDB_MAX_ATTEMPTS */
    ddb_error svc = with_status(DDB_ERR_SERVICE);
    assert_true(ddb_retry_decide(&svc, 1, now, now + 10000, 7, &sleep));
    assert_false(ddb_retry_decide(&svc, DDB_MAX_ATTEMPTS, now, now + 10000, 7, &sleep));
    /* tight: the sleep is shortened so that one minimal attempt still ends before the margin */
    uint64_t deadline = now + DDB_DEADLINE_MARGIN_MS + DDB_MIN_ATTEMPT_MS + 10;
    assert_true(ddb_retry_decide(&thr, 1, now, deadline, 50, &sleep));
    assert_int_equal(sleep, 10);
    assert_true(now + sleep + DDB_MIN_ATTEMPT_MS + DDB_DEADLINE_MARGIN_MS <= deadline);
    /* no room at all */
    assert_false(ddb_retry_decide(&thr, 1, now, now + DDB_DEADLINE_MARGIN_MS + DDB_MIN_ATTEMPT_MS - 1, 0, &sleep));
    assert_false(ddb_retry_decide(&thr, 1, now, now - 5, 0, &sleep));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_error_type_maps_to_its_status),
        cmocka_unit_test(test_message_with_capital_m_is_read),
        cmocka_unit_test(test_cancellation_reasons_are_exposed_per_item),
        cmocka_unit_test(test_cancellation_reasons_fall_back_to_the_message),
        cmocka_unit_test(test_reasons_are_capped),
        cmocka_unit_test(test_garbage_truncated_and_empty_bodies_are_classified),
        cmocka_unit_test(test_long_and_binary_messages_are_cut_and_cleaned),
        cmocka_unit_test(test_mutated_answers_never_crash),
        cmocka_unit_test(test_status_names),
        cmocka_unit_test(test_retry_only_transient_failures),
        cmocka_unit_test(test_backoff_is_full_jitter_within_bounds),
        cmocka_unit_test(test_retry_decision_respects_attempts_and_deadline),
        cmocka_unit_test(test_contention_and_conflicts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
