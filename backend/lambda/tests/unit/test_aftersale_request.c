/* The after-sale handlers' request validation without a store (st == NULL: valid input answers 503):
 * checkIn (code, concertId, nonce, door; text that is no code is unknown_code without any read),
 * undoCheckIn's ticketId, refundOrder (reason, method, ticketIds, Idempotency-Key), concertStats' id, and
 * that each needs a signed-in caller (API Gateway's Cognito claims; else 401). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handler_call.h"
#include "handlers.h"

/* Runs fn on an event: body, one path parameter (name=value or NULL), Idempotency-Key, the caller's sub (a manager). */
static int run(handler_fn fn, const char *body, const char *param, const char *value, const char *idem,
               const char *key_id, char *text, size_t size)
{
    return handler_call(fn, &(handler_req){ .body = body, .param = param, .value = value, .idem = idem, .sub = key_id, .groups = key_id ? "manager" : NULL },
                        text, size);
}

static void expect_checkin(const char *body, const char *key_id, int status, const char *contains)
{
    char text[512];
    int got = run(handler_checkin, body, NULL, NULL, NULL, key_id, text, sizeof text);
    if (got != status || (contains && !strstr(text, contains)))
        fail_msg("%s: %d %s, expected %d with %s", body, got, text, status, contains ? contains : "-");
}

#define CODE "\"code\":\"ABCDE-FGHJK-MNPQR-STVWX\""
#define CID "\"concertId\":\"c1\""

static void checkin_input(void **state)
{
    (void)state;
    expect_checkin("{" CODE "," CID ",\"nonce\":\"n1\"}", "op", 503, NULL); /* valid: reaches the store */
    expect_checkin("{\"code\":\"abcde fghjk mnpqr stvwx\"," CID ",\"nonce\":\"n1\",\"door\":\" North \"}", "op", 503, NULL);
    expect_checkin("{" CODE "," CID ",\"nonce\":\"n1\"}", NULL, 401, NULL);
    expect_checkin("{" CID ",\"nonce\":\"n1\"}", "op", 400, "code is required");
    expect_checkin("{\"code\":7," CID ",\"nonce\":\"n1\"}", "op", 400, "code is required");
    expect_checkin("{" CODE ",\"nonce\":\"n1\"}", "op", 400, "concertId is required");
    expect_checkin("{" CODE "," CID "}", "op", 400, "nonce is required");
    expect_checkin("{" CODE "," CID ",\"nonce\":\"has space\"}", "op", 400, "nonce is required");
    expect_checkin("{" CODE "," CID ",\"nonce\":\"n\",\"door\":5}", "op", 400, "door must be");
    expect_checkin("{" CODE "," CID ",\"nonce\":\"n\",\"door\":\"\"}", "op", 400, "door must be");
    expect_checkin("{" CODE "," CID ",\"nonce\":\"n\",\"door\":\"   \"}", "op", 400, "door must be");
    expect_checkin("{" CODE "," CID ",\"nonce\":\"n\",\"door\":\"\\u202egate\"}", "op", 400, "door must be");
    char body[512];
    snprintf(body, sizeof body, "{" CODE "," CID ",\"nonce\":\"n\",\"door\":\"%065d\"}", 0);
    expect_checkin(body, "op", 400, "door must be");
    /* no code at all (U is outside the alphabet, wrong length): unknown, answered without the store */
    expect_checkin("{\"code\":\"UUUUU-UUUUU-UUUUU-UUUUU\"," CID ",\"nonce\":\"n\"}", "op", 404, "\"result\":\"unknown_code\"");
    expect_checkin("{\"code\":\"ABC\"," CID ",\"nonce\":\"n\"}", "op", 404, "\"error\"");
}

static void undo_and_stats_ids(void **state)
{
    (void)state;
    char text[256];
    assert_int_equal(run(handler_undo_checkin, NULL, "ticketId", "t1", NULL, "op", text, sizeof text), 503);
    assert_int_equal(run(handler_undo_checkin, NULL, "ticketId", "t1", NULL, NULL, text, sizeof text), 401);
    assert_int_equal(run(handler_undo_checkin, NULL, NULL, NULL, NULL, "op", text, sizeof text), 400);
    assert_int_equal(run(handler_concert_stats, NULL, "id", "c1", NULL, "op", text, sizeof text), 503);
    assert_int_equal(run(handler_concert_stats, NULL, "id", "", NULL, "op", text, sizeof text), 400);
}

static void expect_refund(const char *body, const char *idem, int status, const char *contains)
{
    char text[512];
    int got = run(handler_refund_order, body, "id", "o1", idem, "op", text, sizeof text);
    if (got != status || (contains && !strstr(text, contains)))
        fail_msg("%s: %d %s, expected %d with %s", body, got, text, status, contains ? contains : "-");
}

static void refund_input(void **state)
{
    (void)state;
    expect_refund("{\"reason\":\"ill\"}", NULL, 503, NULL);
    expect_refund("{\"reason\":\"ill\",\"method\":\"cash\",\"ticketIds\":[\"t1\",\"t2\"]}", "k-1", 503, NULL);
    expect_refund("{}", NULL, 400, "reason is required");
    expect_refund("{\"reason\":\"  \"}", NULL, 400, "reason is required");
    expect_refund("{\"reason\":\"ill\",\"method\":\"bitcoin\"}", NULL, 400, "method must be");
    expect_refund("{\"reason\":\"ill\",\"ticketIds\":[]}", NULL, 400, "ticketIds must be");
    expect_refund("{\"reason\":\"ill\",\"ticketIds\":\"t1\"}", NULL, 400, "ticketIds must be");
    expect_refund("{\"reason\":\"ill\",\"ticketIds\":[7]}", NULL, 400, "ticketIds must be");
    expect_refund("{\"reason\":\"ill\"}", "bad key", 400, "Idempotency-Key");
    char text[256];
    assert_int_equal(run(handler_refund_order, "{\"reason\":\"ill\"}", "id", "o1", NULL, NULL, text, sizeof text), 401);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(checkin_input),
        cmocka_unit_test(undo_and_stats_ids),
        cmocka_unit_test(refund_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
