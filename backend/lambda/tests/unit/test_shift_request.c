/* The shift and journal handlers' request validation without a store (st == NULL: valid input answers 503):
 * openShift (terminal, float), shiftDrop / shiftPaidOut (amount, currency, note), closeShift (counted, note),
 * daySheet (day, format, the manager group), getJournal (which key, day, limit, cursor, the manager group), and
 * that a shift needs a signed-in caller; the proxy answer of a CSV body names text/csv. */
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

/* Claims as API Gateway hands them over (handler_req's sub, groups, name). */
typedef struct who {
    const char *sub, *groups, *name;
} who;
static const who cashier = { "s-1", "cashier", "Cas" };
static const who manager = { "s-2", "manager", "Man" };
#define CASHIER (&cashier)
#define MANAGER (&manager)

static void expect(handler_fn fn, const who *claims, const char *body, const char *id, const char *query, int status,
                   const char *contains)
{
    char text[1024];
    handler_req q = { .body = body, .param = id ? "id" : NULL, .value = id, .query = query };
    if (claims) {
        q.sub = claims->sub;
        q.groups = claims->groups;
        q.name = claims->name;
    }
    int got = handler_call(fn, &q, text, sizeof text);
    if (got != status || (contains && !strstr(text, contains)))
        fail_msg("%s %s: %d %s, expected %d with %s", body ? body : "", query ? query : "", got, text, status,
                 contains ? contains : "-");
}

static void open_input(void **state)
{
    (void)state;
    expect(handler_open_shift, CASHIER, "{\"terminal\":\"window-2\",\"float\":{\"EUR\":\"100.00\"}}", NULL, NULL, 503, NULL);
    expect(handler_open_shift, CASHIER, "{\"terminal\":\"w\",\"float\":{\"EUR\":100,\"USD\":\"0\"}}", NULL, NULL, 503, NULL);
    expect(handler_open_shift, NULL, "{\"terminal\":\"w\",\"float\":{\"EUR\":\"1\"}}", NULL, NULL, 403, "signed-in");
    expect(handler_open_shift, CASHIER, "{\"float\":{\"EUR\":\"1\"}}", NULL, NULL, 400, "terminal must be");
    expect(handler_open_shift, CASHIER, "{\"terminal\":\"\",\"float\":{\"EUR\":\"1\"}}", NULL, NULL, 400, "terminal must be");
    expect(handler_open_shift, CASHIER, "{\"terminal\":\"a\\u0007b\",\"float\":{\"EUR\":\"1\"}}", NULL, NULL, 400,
           "terminal must be");
    const char *bad_floats[] = { "{}", "[]", "\"100\"", "{\"eur\":\"1\"}", "{\"EUR\":\"1.005\"}", "{\"EUR\":\"-1\"}",
                                 "{\"EUR\":true}", "{\"EUR\":-1}", NULL };
    for (int i = 0; bad_floats[i]; i++) {
        char body[256];
        snprintf(body, sizeof body, "{\"terminal\":\"w\",\"float\":%s}", bad_floats[i]);
        expect(handler_open_shift, CASHIER, body, NULL, NULL, 400, "float must be an object");
    }
    expect(handler_open_shift, CASHIER, "not json", NULL, NULL, 400, "body must be valid JSON");
}

static void move_and_close_input(void **state)
{
    (void)state;
    expect(handler_shift_drop, CASHIER, "{\"amount\":\"50.00\",\"currency\":\"EUR\",\"note\":\"safe\"}", "s", NULL, 503, NULL);
    expect(handler_shift_paidout, CASHIER, "{\"amount\":12,\"currency\":\"EUR\"}", "s", NULL, 503, NULL);
    expect(handler_shift_drop, CASHIER, "{\"amount\":\"0\",\"currency\":\"EUR\"}", "s", NULL, 400, "amount must be");
    expect(handler_shift_drop, CASHIER, "{\"amount\":\"1.001\",\"currency\":\"EUR\"}", "s", NULL, 400, "amount must be");
    expect(handler_shift_drop, CASHIER, "{\"currency\":\"EUR\"}", "s", NULL, 400, "amount must be");
    expect(handler_shift_drop, CASHIER, "{\"amount\":\"1\",\"currency\":\"Euro\"}", "s", NULL, 400, "currency must be");
    expect(handler_shift_drop, CASHIER, "{\"amount\":\"1\",\"currency\":\"EUR\",\"note\":7}", "s", NULL, 400, "note must be");
    expect(handler_shift_drop, CASHIER, "{\"amount\":\"1\",\"currency\":\"EUR\"}", NULL, NULL, 400, "id is required");
    expect(handler_shift_drop, NULL, "{\"amount\":\"1\",\"currency\":\"EUR\"}", "s", NULL, 403, "signed-in");
    expect(handler_close_shift, CASHIER, "{\"counted\":{\"EUR\":\"97.00\"}}", "s", NULL, 503, NULL);
    expect(handler_close_shift, CASHIER, "{\"counted\":{\"EUR\":\"97.00\"},\"note\":\"short\"}", "s", NULL, 503, NULL);
    expect(handler_close_shift, CASHIER, "{}", "s", NULL, 400, "counted must be an object");
    expect(handler_close_shift, CASHIER, "{\"counted\":{\"EUR\":\"x\"}}", "s", NULL, 400, "counted must be an object");
    expect(handler_close_shift, CASHIER, "{\"counted\":{\"EUR\":\"1\"},\"note\":\"a\\u001bb\"}", "s", NULL, 400,
           "note must be");
}

static void day_sheet_and_journal_input(void **state)
{
    (void)state;
    expect(handler_day_sheet, MANAGER, NULL, NULL, "{\"day\":\"2026-12-07\"}", 503, NULL);
    expect(handler_day_sheet, MANAGER, NULL, NULL, "{\"day\":\"2026-12-07\",\"format\":\"csv\"}", 503, NULL);
    expect(handler_day_sheet, CASHIER, NULL, NULL, "{\"day\":\"2026-12-07\"}", 403, "needs the manager group");
    expect(handler_day_sheet, MANAGER, NULL, NULL, NULL, 400, "day must be");
    expect(handler_day_sheet, MANAGER, NULL, NULL, "{\"day\":\"2026-02-30\"}", 400, "day must be");
    expect(handler_day_sheet, MANAGER, NULL, NULL, "{\"day\":\"2026-12-07\",\"format\":\"xml\"}", 400, "format must be");
    expect(handler_get_journal, MANAGER, NULL, NULL, "{\"day\":\"2026-12-07\"}", 503, NULL);
    expect(handler_get_journal, MANAGER, NULL, NULL, "{\"operator\":\"s-1\",\"day\":\"2026-12-07\",\"limit\":\"100\"}", 503,
           NULL);
    expect(handler_get_journal, MANAGER, NULL, NULL, "{\"concert\":\"c-1\",\"cursor\":\"abc\"}", 503, NULL);
    expect(handler_get_journal, CASHIER, NULL, NULL, "{\"shift\":\"s\"}", 503, NULL); /* its owner may: read first */
    expect(handler_get_journal, CASHIER, NULL, NULL, "{\"day\":\"2026-12-07\"}", 403, "needs the manager group");
    expect(handler_get_journal, MANAGER, NULL, NULL, NULL, 400, "name one of");
    expect(handler_get_journal, MANAGER, NULL, NULL, "{\"operator\":\"s-1\"}", 400, "name one of");
    expect(handler_get_journal, MANAGER, NULL, NULL, "{\"concert\":\"c\",\"shift\":\"s\"}", 400, "name one of");
    expect(handler_get_journal, MANAGER, NULL, NULL, "{\"concert\":\"c\",\"day\":\"2026-12-07\"}", 400, "name one of");
    expect(handler_get_journal, MANAGER, NULL, NULL, "{\"day\":\"yesterday\"}", 400, "day must be");
    expect(handler_get_journal, MANAGER, NULL, NULL, "{\"day\":\"2026-12-07\",\"limit\":\"0\"}", 400, "limit must be");
    expect(handler_get_journal, MANAGER, NULL, NULL, "{\"day\":\"2026-12-07\",\"limit\":\"101\"}", 400, "limit must be");
    expect(handler_get_journal, MANAGER, NULL, NULL, "{\"day\":\"2026-12-07\",\"cursor\":\"\"}", 400, "Bad cursor");
}

static void csv_answer_names_its_type(void **state)
{
    (void)state;
    apigw_response r = { 0 };
    apigw_response_take(&r, 200, strdup("a,b\r\n1,\"x\"\r\n"));
    r.content_type = "text/csv; charset=utf-8";
    char *j = apigw_response_json(&r);
    assert_non_null(j);
    assert_non_null(strstr(j, "\"Content-Type\":\"text/csv; charset=utf-8\""));
    assert_non_null(strstr(j, "\"body\":\"a,b\\r\\n1,\\\"x\\\"\\r\\n\""));
    free(j);
    assert_int_equal(apigw_response_error(&r, 400, "x"), 0); /* an error is JSON again */
    j = apigw_response_json(&r);
    assert_non_null(strstr(j, "\"Content-Type\":\"application/json\""));
    free(j);
    apigw_response_clear(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(open_input),
        cmocka_unit_test(move_and_close_input),
        cmocka_unit_test(day_sheet_and_journal_input),
        cmocka_unit_test(csv_answer_names_its_type),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
