/* The CLI's shift commands against the scripted HTTP stub: what is sent (paths, bodies, keys), what is printed
 * (the server's figures only; a blind close prints the expected amount and the difference from the close's
 * answer alone), exit codes (a difference without a note and no terminal: exit 2 with the server's message; a
 * close without an answer: exit 7 with the command that re-sends it with the same key), hostile input refused
 * before anything is sent, the day sheet's CSV cleaned for the terminal, and shift verify over a journal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "http_stub.h"
#include "shift_verify.h"
#include "stub_fixture.h"

#define ROW(counted, diff) "{\"currency\":\"EUR\",\"float\":\"100.00\",\"sales\":{\"cash\":\"60.00\",\"card\":\"25.00\"," \
    "\"other\":\"0.00\"},\"orders\":3,\"comps\":1,\"compTickets\":2,\"refunds\":{\"cash\":\"12.50\",\"card\":\"0.00\"," \
    "\"other\":\"0.00\"},\"refundCount\":1,\"drops\":\"50.00\",\"paidOuts\":\"0.00\",\"expectedCash\":\"97.50\"," \
    "\"counted\":" counted ",\"difference\":" diff "}"
#define OPEN "{\"id\":\"s-1\",\"operator\":{\"sub\":\"u-1\",\"name\":\"Ana\"},\"terminal\":\"window-2\"," \
    "\"status\":\"open\",\"openedAt\":\"2026-12-07T09:00:00.000Z\",\"closedAt\":null,\"report\":{\"kind\":\"X\"," \
    "\"currencies\":[" ROW("null", "null") "],\"note\":null,\"entries\":9,\"hash\":null}}"
#define CLOSED(hash) "{\"id\":\"s-1\",\"operator\":{\"sub\":\"u-1\",\"name\":\"Ana\"},\"terminal\":\"window-2\"," \
    "\"status\":\"closed\",\"openedAt\":\"2026-12-07T09:00:00.000Z\",\"closedAt\":\"2026-12-07T17:00:00.000Z\"," \
    "\"report\":{\"kind\":\"Z\",\"z\":7,\"currencies\":[" ROW("\"97.00\"", "\"-0.50\"") "],\"note\":\"coin fell\"," \
    "\"entries\":3,\"hash\":\"" hash "\"}}"
#define H0 "0000000000000000000000000000000000000000000000000000000000000000"

static void open_sends_the_float_and_terminal_and_prints_the_answer(void **state)
{
    (void)state;
    http_stub *s = stub_start();
    stub_cli_out o = {0};
    char key[300];
    setenv("BOXOFFICE_TERMINAL", "window-2", 1);
    stub_push(s, 201, OPEN);
    assert_int_equal(stub_cli_run(s, "k", &o, "shift", "open", "--float", "100.00", NULL), 0);
    const stub_request *r = stub_request_at(s, 0);
    assert_string_equal(r->path, "/dev/shifts");
    assert_string_equal(r->body, "{\"terminal\":\"window-2\",\"float\":{\"EUR\":\"100.00\"}}");
    assert_true(stub_header(r, "Idempotency-Key", key, sizeof key));
    assert_non_null(strstr(o.out, "Shift opened: s-1 at terminal window-2"));
    assert_non_null(strstr(o.out, "Float 100.00 EUR"));
    /* several currencies, --terminal, and the server's 409 with the open shift */
    stub_push(s, 409, "{\"error\":\"you already have an open shift\",\"shift\":" OPEN "}");
    assert_int_equal(stub_cli_run(s, "k", &o, "shift", "open", "--float", "EUR=100,USD=20.5", "--terminal", "bar",
                                  NULL), CLI_EXIT_API);
    assert_string_equal(stub_request_at(s, 1)->body, "{\"terminal\":\"bar\",\"float\":{\"EUR\":\"100.00\",\"USD\":\"20.50\"}}");
    assert_non_null(strstr(o.err, "you already have an open shift"));
    assert_non_null(strstr(o.err, "your open shift: s-1"));
    unsetenv("BOXOFFICE_TERMINAL");
    stub_cli_free(&o);
    stub_stop(s);
}

static void x_report_prints_the_servers_figures_per_currency(void **state)
{
    (void)state;
    http_stub *s = stub_start();
    stub_cli_out o = {0};
    stub_push(s, 200, OPEN);
    assert_int_equal(stub_cli_run(s, "k", &o, "shift", NULL), 0);
    assert_string_equal(stub_request_at(s, 0)->path, "/dev/shifts/current");
    assert_non_null(strstr(o.out, "X report"));
    assert_non_null(strstr(o.out, "Expected cash"));
    assert_non_null(strstr(o.out, "97.50"));
    assert_null(strstr(o.out, "Difference"));
    stub_push(s, 200, OPEN);
    assert_int_equal(stub_cli_run(s, "k", &o, "--json", "shift", "x", NULL), 0);
    cJSON *j = cJSON_Parse(o.out);
    assert_non_null(j);
    assert_string_equal(cJSON_GetObjectItem(j, "id")->valuestring, "s-1");
    cJSON_Delete(j);
    stub_push(s, 404, "{\"error\":\"no open shift\"}");
    assert_int_equal(stub_cli_run(s, "k", &o, "shift", NULL), CLI_EXIT_NOT_FOUND);
    assert_non_null(strstr(o.err, "No open shift"));
    stub_cli_free(&o);
    stub_stop(s);
}

static void drop_and_paidout_go_to_the_open_shift(void **state)
{
    (void)state;
    http_stub *s = stub_start();
    stub_cli_out o = {0};
    stub_push(s, 200, OPEN);
    stub_push(s, 201, OPEN);
    assert_int_equal(stub_cli_run(s, "k", &o, "shift", "drop", "50.00", "--note", "to safe", NULL), 0);
    assert_string_equal(stub_request_at(s, 1)->path, "/dev/shifts/s-1/drops");
    assert_string_equal(stub_request_at(s, 1)->body, "{\"amount\":\"50.00\",\"currency\":\"EUR\",\"note\":\"to safe\"}");
    assert_non_null(strstr(o.out, "Dropped 50.00 EUR to the safe"));
    assert_non_null(strstr(o.out, "Drops this shift: 50.00 EUR"));
    stub_push(s, 200, OPEN);
    stub_push(s, 409, "{\"error\":\"shift is closed\"}");
    assert_int_equal(stub_cli_run(s, "k", &o, "shift", "paidout", "12", "--note", "taxi", NULL), CLI_EXIT_API);
    assert_string_equal(stub_request_at(s, 3)->path, "/dev/shifts/s-1/paidouts");
    assert_non_null(strstr(o.err, "shift is closed"));
    stub_cli_free(&o);
    stub_stop(s);
}

static void hostile_input_is_refused_before_sending(void **state)
{
    (void)state;
    http_stub *s = stub_start();
    stub_cli_out o = {0};
    static const char *const bad[][8] = {
        { "shift", "close", "--counted", "1e9" },
        { "shift", "close", "--counted", "-5" },
        { "shift", "close", "--counted", "12.345" },
        { "shift", "close", "--counted", "abc" },
        { "shift", "close", "--counted", "EUR=1,EUR=2" },
        { "shift", "close", "--counted", "EUR=1", "--currency", "USD" },
        { "shift", "close", "--counted", "5", "--note", "a\x1b[2Jb" },
        { "shift", "close", "--counted", "5", "--note", "bell\x07" },
        { "shift", "drop", "0" },
        { "shift", "drop", "-5" },
        { "shift", "paidout", "5" },
        { "shift", "open", "--float", "1e9" },
        { "shift", "open", "--float", "5", "--terminal", "w\x1b]0;x\x07" },
        { "shift", "day", "2026-02-30" },
        { "shift", "show" },
        { "order", "c-1", "--quantity", "1", "--terminal", "w" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *args[9] = {0};
        memcpy(args, bad[i], sizeof bad[i]);
        if (stub_cli_runv(s, "k", &o, args) != CLI_EXIT_USAGE)
            fail_msg("case %zu: exit %d, %s", i, o.rc, o.err);
        assert_null(strchr(o.err, 0x1b));
        assert_null(strchr(o.err, 0x07));
    }
    assert_int_equal(stub_request_count(s), 0);
    stub_cli_free(&o);
    stub_stop(s);
}

static void close_is_blind_and_prints_expected_only_from_the_answer(void **state)
{
    (void)state;
    http_stub *s = stub_start();
    stub_cli_out o = {0};
    char k1[300];
    /* no note, no terminal to ask on: the server's 400 and exit 2; its words only */
    stub_push(s, 200, OPEN);
    stub_push(s, 400, "{\"error\":\"note is required when counted differs from expected\"}");
    assert_int_equal(stub_cli_run(s, "k", &o, "shift", "close", "--counted", "97.00", NULL), CLI_EXIT_API);
    assert_string_equal(stub_request_at(s, 1)->path, "/dev/shifts/s-1/close");
    assert_string_equal(stub_request_at(s, 1)->body, "{\"counted\":{\"EUR\":\"97.00\"}}");
    assert_non_null(strstr(o.err, "note is required"));
    assert_null(strstr(o.out, "97.50"));
    assert_null(strstr(o.err, "97.50"));
    /* with the note: the Z report, its expected amount and difference as the server says them */
    stub_push(s, 200, OPEN);
    stub_push(s, 200, CLOSED(H0));
    assert_int_equal(stub_cli_run(s, "k", &o, "shift", "close", "--counted", "97.00", "--note", "coin fell", NULL), 0);
    assert_string_equal(stub_request_at(s, 3)->body, "{\"counted\":{\"EUR\":\"97.00\"},\"note\":\"coin fell\"}");
    assert_non_null(strstr(o.out, "Z report #7"));
    assert_non_null(strstr(o.out, "97.50"));
    assert_non_null(strstr(o.out, "-0.50"));
    assert_non_null(strstr(o.out, "Note: coin fell"));
    /* the answer lost: exit 7 and the command that re-sends it with the same key */
    stub_push(s, 200, OPEN);
    stub_reply lost = { .action = STUB_CLOSE };
    for (int i = 0; i < 2; i++)
        stub_push_reply(s, &lost);
    assert_int_equal(stub_cli_run(s, "k", &o, "shift", "close", "--counted", "97", "--note", "coin fell",
                                  "--idempotency-key", "z-key-1", NULL), CLI_EXIT_UNCONFIRMED);
    assert_true(stub_header(stub_request_at(s, 5), "Idempotency-Key", k1, sizeof k1));
    assert_string_equal(k1, "z-key-1");
    assert_non_null(strstr(o.err, "NOT CONFIRMED"));
    assert_non_null(strstr(o.err, "shift close --counted EUR=97.00 --note 'coin fell' --idempotency-key z-key-1"));
    assert_null(strstr(o.out, "97.50"));
    stub_cli_free(&o);
    stub_stop(s);
}

static void day_sheet_text_json_and_clean_csv(void **state)
{
    (void)state;
    http_stub *s = stub_start();
    stub_cli_out o = {0};
    stub_push(s, 200, "{\"day\":\"2026-12-07\",\"shifts\":[" CLOSED(H0) "," OPEN "]}");
    assert_int_equal(stub_cli_run(s, "k", &o, "shift", "day", "2026-12-07", NULL), 0);
    assert_string_equal(stub_request_at(s, 0)->path, "/dev/shifts?day=2026-12-07");
    assert_non_null(strstr(o.out, "Day 2026-12-07: 2 shifts"));
    assert_non_null(strstr(o.out, "-0.50"));
    assert_non_null(strstr(o.out, "open"));
    stub_reply csv = { .status = 200, .content_type = "text/csv",
                       .body = "shift,z,operator,terminal\r\ns-1,7,Ana\x1b]0;pwn\x07,window-2\r\n" };
    stub_push_reply(s, &csv);
    assert_int_equal(stub_cli_run(s, "k", &o, "shift", "day", "2026-12-07", "--csv", NULL), 0);
    assert_string_equal(stub_request_at(s, 1)->path, "/dev/shifts?day=2026-12-07&format=csv");
    assert_non_null(strstr(o.out, "shift,z,operator,terminal\n"));
    assert_null(strchr(o.out, 0x1b));
    assert_null(strchr(o.out, 0x07));
    stub_push(s, 403, "{\"error\":\"the day sheet needs the manager group\"}");
    assert_int_equal(stub_cli_run(s, "k", &o, "shift", "day", NULL), CLI_EXIT_FORBIDDEN);
    stub_cli_free(&o);
    stub_stop(s);
}

/* A journal of 3 entries of s-1 and its hash. */
static char *journal_page(char hash[65], const char *cursor, int from, int to)
{
    cJSON *p = cJSON_CreateObject(), *arr = cJSON_AddArrayToObject(p, "entries");
    static const char *types[] = { "", "shift.opened", "order.created", "shift.closed" };
    for (int i = from; i <= to; i++) {
        char text[512];
        snprintf(text, sizeof text, "{\"seq\":%d,\"id\":\"j-%d\",\"at\":\"2026-12-07T09:00:0%d.000Z\",\"type\":\"%s\","
                 "\"operator\":{\"sub\":\"u-1\",\"name\":\"Ana\"},\"terminal\":\"window-2\",\"shiftId\":\"s-1\","
                 "\"currency\":\"EUR\",\"amount\":\"%s\"}", i, i, i, types[i], i == 2 ? "60.00" : "100.00");
        cJSON *e = cJSON_Parse(text);
        char *line = shift_verify_line(e);
        assert_int_equal(shift_verify_link(hash, line, hash), 0);
        free(line);
        cJSON_AddItemToArray(arr, e);
    }
    if (cursor != NULL)
        cJSON_AddStringToObject(p, "cursor", cursor);
    else
        cJSON_AddNullToObject(p, "cursor");
    char *t = cJSON_PrintUnformatted(p);
    cJSON_Delete(p);
    return t;
}

static void verify_recomputes_the_hash_over_every_page(void **state)
{
    (void)state;
    http_stub *s = stub_start();
    stub_cli_out o = {0};
    char h[65] = H0, closed[4096];
    char *p1 = journal_page(h, "c2", 1, 2), *p2 = journal_page(h, NULL, 3, 3);
    snprintf(closed, sizeof closed, CLOSED("%s"), h);
    stub_push(s, 200, closed);
    stub_push(s, 200, p1);
    stub_push(s, 200, p2);
    assert_int_equal(stub_cli_run(s, "k", &o, "shift", "verify", "s-1", NULL), 0);
    assert_string_equal(stub_request_at(s, 1)->path, "/dev/journal?shift=s-1");
    assert_string_equal(stub_request_at(s, 2)->path, "/dev/journal?shift=s-1&cursor=c2");
    assert_non_null(strstr(o.out, "verified: 3 entries"));
    /* an entry changed since: exit 1, named */
    char *bad = strdup(p1);
    char *amount = strstr(bad, "60.00");
    amount[0] = '9';
    stub_push(s, 200, closed);
    stub_push(s, 200, bad);
    stub_push(s, 200, p2);
    assert_int_equal(stub_cli_run(s, "k", &o, "shift", "verify", "s-1", NULL), 1);
    assert_non_null(strstr(o.out, "NOT verified"));
    /* an open shift has no Z to verify */
    stub_push(s, 200, OPEN);
    assert_int_equal(stub_cli_run(s, "k", &o, "shift", "verify", "s-1", NULL), CLI_EXIT_API);
    free(bad);
    free(p1);
    free(p2);
    stub_cli_free(&o);
    stub_stop(s);
}

static void a_refund_in_cash_carries_the_open_shift(void **state)
{
    (void)state;
    http_stub *s = stub_start();
    stub_cli_out o = {0};
    stub_push(s, 404, "{\"error\":\"no open shift\"}");
    stub_push(s, 409, "{\"error\":\"a cash sale needs an open shift: open one first\"}");
    assert_int_equal(stub_cli_run(s, "k", &o, "refund", "o-1", "--reason", "ill", "--method", "cash", NULL), CLI_EXIT_API);
    assert_string_equal(stub_request_at(s, 0)->path, "/dev/shifts/current");
    assert_string_equal(stub_request_at(s, 1)->body, "{\"reason\":\"ill\",\"method\":\"cash\"}");
    assert_non_null(strstr(o.err, "a cash sale needs an open shift"));
    stub_reply lost = { .action = STUB_CLOSE };
    for (int i = 0; i < 2; i++)
        stub_push_reply(s, &lost);
    assert_int_equal(stub_cli_run(s, "k", &o, "refund", "o-1", "--reason", "ill", "--method", "cash", "--shift", "s-1",
                                  "--terminal", "window-2", "--idempotency-key", "r-1", NULL), CLI_EXIT_UNCONFIRMED);
    assert_string_equal(stub_request_at(s, 2)->body,
                        "{\"reason\":\"ill\",\"method\":\"cash\",\"shiftId\":\"s-1\",\"terminal\":\"window-2\"}");
    assert_non_null(strstr(o.err, "--shift s-1 --terminal window-2 --idempotency-key r-1"));
    stub_cli_free(&o);
    stub_stop(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(open_sends_the_float_and_terminal_and_prints_the_answer),
        cmocka_unit_test(x_report_prints_the_servers_figures_per_currency),
        cmocka_unit_test(drop_and_paidout_go_to_the_open_shift),
        cmocka_unit_test(hostile_input_is_refused_before_sending),
        cmocka_unit_test(close_is_blind_and_prints_expected_only_from_the_answer),
        cmocka_unit_test(day_sheet_text_json_and_clean_csv),
        cmocka_unit_test(verify_recomputes_the_hash_over_every_page),
        cmocka_unit_test(a_refund_in_cash_carries_the_open_shift),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
