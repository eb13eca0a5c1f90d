/* Shifts through the API client against the scripted HTTP stub (tests/support/http_stub.c): the exact bodies
 * and paths, the Idempotency-Key kept across the retries of an open and a close (a lost close answer, then the
 * same Z), the X and Z reports read per currency with signed differences, bad answers refused (API_ERR_PROTOCOL),
 * hostile strings sanitised, amounts an operator may type checked ("1e9", "-5", "12.345", "abc"), the day sheet
 * in JSON and CSV; and the Z hash chain recomputed from a journal (shift_verify.c). */
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

#include "api_shift.h"
#include "http_stub.h"
#include "shift_verify.h"
#include "stub_fixture.h"

typedef stub_client fixture;

#define ROW_EUR(counted, diff) "{\"currency\":\"EUR\",\"float\":\"100.00\",\"sales\":{\"cash\":\"60.00\",\"card\":\"25.00\"," \
    "\"other\":\"0.00\"},\"orders\":3,\"comps\":1,\"compTickets\":2,\"refunds\":{\"cash\":\"12.50\",\"card\":\"0.00\"," \
    "\"other\":\"0.00\"},\"refundCount\":1,\"drops\":\"50.00\",\"paidOuts\":\"0.00\",\"expectedCash\":\"97.50\"," \
    "\"counted\":" counted ",\"difference\":" diff "}"
#define SHIFT_OPEN "{\"id\":\"s-1\",\"operator\":{\"sub\":\"u-1\",\"name\":\"Ana\"},\"terminal\":\"window-2\"," \
    "\"status\":\"open\",\"openedAt\":\"2026-12-07T09:00:00.000Z\",\"closedAt\":null,\"report\":{\"kind\":\"X\"," \
    "\"currencies\":[" ROW_EUR("null", "null") "],\"note\":null,\"entries\":9,\"hash\":null}}"
#define HASH "a3f1c2d4e5b60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90"
#define SHIFT_CLOSED(z) "{\"id\":\"s-1\",\"operator\":{\"sub\":\"u-1\",\"name\":\"Ana\"},\"terminal\":\"window-2\"," \
    "\"status\":\"closed\",\"openedAt\":\"2026-12-07T09:00:00.000Z\",\"closedAt\":\"2026-12-07T17:00:00.000Z\"," \
    "\"report\":{\"kind\":\"Z\",\"z\":" z ",\"currencies\":[" ROW_EUR("\"97.00\"", "\"-0.50\"") "],\"note\":\"coin fell\"," \
    "\"entries\":10,\"hash\":\"" HASH "\"}}"

static void open_sends_terminal_and_float_with_a_key_and_reads_the_x_report(void **state)
{
    fixture *f = *state;
    api_shift s;
    api_result res;
    bool already = true;
    char key[300];
    api_shift_amount fl[] = { { "EUR", 10000 }, { "USD", 5 } };
    stub_push(f->stub, 201, SHIFT_OPEN);
    assert_int_equal(api_shift_open(f->client, "window-2", fl, 2, "k-open-1", &s, &already, &res), API_OK);
    const stub_request *r = stub_request_at(f->stub, 0);
    assert_string_equal(r->method, "POST");
    assert_string_equal(r->path, "/dev/shifts");
    assert_string_equal(r->body, "{\"terminal\":\"window-2\",\"float\":{\"EUR\":\"100.00\",\"USD\":\"0.05\"}}");
    assert_true(stub_header(r, "Idempotency-Key", key, sizeof key));
    assert_string_equal(key, "k-open-1");
    assert_false(already);
    assert_true(s.open);
    assert_string_equal(s.id, "s-1");
    assert_string_equal(s.operator_name, "Ana");
    assert_string_equal(s.terminal, "window-2");
    assert_int_equal(s.report.kind, 'X');
    assert_int_equal(s.report.n, 1);
    const api_shift_row *row = api_shift_row_for(&s, "EUR");
    assert_non_null(row);
    assert_int_equal(row->float_cents, 10000);
    assert_int_equal(row->sales_cash, 6000);
    assert_int_equal(row->sales_card, 2500);
    assert_int_equal(row->refunds_cash, 1250);
    assert_int_equal(row->comps, 1);
    assert_int_equal(row->comp_tickets, 2);
    assert_int_equal(row->drops, 5000);
    assert_int_equal(row->expected, 9750);
    assert_false(row->counted_known);
    assert_false(row->difference_known);
    assert_int_equal(s.report.entries, 9);
    assert_string_equal(s.report.hash, "");
    assert_non_null(s.json);
    api_shift_clear(&s);
}

static void open_twice_is_a_409_with_the_open_shift(void **state)
{
    fixture *f = *state;
    api_shift s;
    api_result res;
    bool already = false;
    api_shift_amount fl[] = { { "EUR", 10000 } };
    stub_push(f->stub, 409, "{\"error\":\"you already have an open shift\",\"shift\":" SHIFT_OPEN "}");
    assert_int_equal(api_shift_open(f->client, "window-2", fl, 1, NULL, &s, &already, &res), API_ERR_INVALID);
    assert_int_equal(res.http_status, 409);
    assert_string_equal(res.message, "you already have an open shift");
    assert_true(already);
    assert_string_equal(s.id, "s-1");
    api_shift_clear(&s);
}

static void close_lost_answer_is_unconfirmed_and_the_same_key_gives_the_same_z(void **state)
{
    fixture *f = *state;
    api_shift s;
    api_result res;
    char k1[300], k2[300];
    api_shift_amount counted[] = { { "EUR", 9700 } };
    stub_reply lost = { .action = STUB_CLOSE };
    for (int i = 0; i < 3; i++)
        stub_push_reply(f->stub, &lost);
    assert_int_not_equal(api_shift_close(f->client, "s-1", counted, 1, "coin fell", "k-close", &s, &res), API_OK);
    assert_true(res.unconfirmed);
    assert_null(s.json);
    stub_push(f->stub, 200, SHIFT_CLOSED("7"));
    assert_int_equal(api_shift_close(f->client, "s-1", counted, 1, "coin fell", "k-close", &s, &res), API_OK);
    assert_false(res.unconfirmed);
    assert_int_equal(stub_request_count(f->stub), 4);
    assert_true(stub_header(stub_request_at(f->stub, 0), "Idempotency-Key", k1, sizeof k1));
    assert_true(stub_header(stub_request_at(f->stub, 3), "Idempotency-Key", k2, sizeof k2));
    assert_string_equal(k1, "k-close");
    assert_string_equal(k2, "k-close");
    const stub_request *r = stub_request_at(f->stub, 3);
    assert_string_equal(r->path, "/dev/shifts/s-1/close");
    assert_string_equal(r->body, "{\"counted\":{\"EUR\":\"97.00\"},\"note\":\"coin fell\"}");
    assert_false(s.open);
    assert_int_equal(s.report.kind, 'Z');
    assert_int_equal(s.report.z, 7);
    assert_string_equal(s.report.hash, HASH);
    assert_string_equal(s.report.note, "coin fell");
    const api_shift_row *row = api_shift_row_for(&s, "EUR");
    assert_true(row->counted_known);
    assert_int_equal(row->counted, 9700);
    assert_int_equal(row->difference, -50);
    api_shift_clear(&s);
}

static void close_without_note_is_the_servers_400_and_nothing_else(void **state)
{
    fixture *f = *state;
    api_shift s;
    api_result res;
    api_shift_amount counted[] = { { "EUR", 9700 } };
    stub_push(f->stub, 400, "{\"error\":\"note is required when counted differs from expected\"}");
    assert_int_equal(api_shift_close(f->client, "s-1", counted, 1, NULL, NULL, &s, &res), API_ERR_INVALID);
    assert_int_equal(res.http_status, 400);
    assert_false(res.unconfirmed);
    assert_string_equal(res.message, "note is required when counted differs from expected");
    assert_string_equal(stub_request_at(f->stub, 0)->body, "{\"counted\":{\"EUR\":\"97.00\"}}");
    /* a close answered with an open shift did not close */
    stub_push(f->stub, 200, SHIFT_OPEN);
    assert_int_equal(api_shift_close(f->client, "s-1", counted, 1, "x", NULL, &s, &res), API_ERR_PROTOCOL);
    assert_true(res.unconfirmed);
}

static void bad_answers_are_refused(void **state)
{
    fixture *f = *state;
    api_shift s;
    api_result res;
    static const char *const bad[] = {
        "[]",
        "{\"id\":\"s-1\",\"status\":\"paused\"}",
        "{\"id\":\"\",\"status\":\"open\"}",
        "{\"id\":\"s-1\",\"status\":\"open\",\"report\":{\"kind\":\"X\",\"currencies\":[" ROW_EUR("null", "1.5") "]}}",
        "{\"id\":\"s-1\",\"status\":\"open\",\"report\":{\"kind\":\"X\",\"currencies\":[{\"currency\":\"EUR\",\"float\":100}]}}",
        "{\"id\":\"s-1\",\"status\":\"open\",\"report\":{\"kind\":\"Z\",\"z\":3,\"currencies\":[]}}",
        "{\"id\":\"s-1\",\"status\":\"closed\",\"report\":{\"kind\":\"Z\",\"currencies\":[]}}",
        "{\"id\":\"s-1\",\"status\":\"closed\",\"report\":{\"kind\":\"Z\",\"z\":1,\"currencies\":[],\"hash\":\"XYZ\"}}",
        "{\"id\":\"s-1\",\"status\":\"open\",\"report\":{\"kind\":\"X\",\"currencies\":[" ROW_EUR("\"1e9\"", "null") "]}}",
        "{\"id\":\"s-1\",\"status\":\"open\",\"report\":{\"kind\":\"X\",\"currencies\":[" ROW_EUR("\"12.345\"", "null") "]}}",
        "not json",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        stub_push(f->stub, 200, bad[i]);
        assert_int_equal(api_shift_current(f->client, &s, &res), API_ERR_PROTOCOL);
        assert_null(s.json);
    }
    stub_push(f->stub, 404, "{\"error\":\"no open shift\"}");
    assert_int_equal(api_shift_current(f->client, &s, &res), API_ERR_NOT_FOUND);
    assert_string_equal(res.message, "No open shift");
    assert_string_equal(stub_request_at(f->stub, 0)->path, "/dev/shifts/current");
}

static void hostile_strings_are_sanitised(void **state)
{
    fixture *f = *state;
    api_shift s;
    api_result res;
    stub_push(f->stub, 200, "{\"id\":\"s-1\",\"operator\":{\"sub\":\"u\",\"name\":\"An\\u001b]0;x\\u0007a\\u202e\"},"
                            "\"terminal\":\"w\\u001b[2J\",\"status\":\"closed\",\"report\":{\"kind\":\"Z\",\"z\":2,"
                            "\"currencies\":[],\"note\":\"n\\u0000o\\u0007te\"}}");
    assert_int_equal(api_shift_get(f->client, "s 1", &s, &res), API_OK);
    assert_string_equal(stub_request_at(f->stub, 0)->path, "/dev/shifts/s%201");
    assert_null(strchr(s.operator_name, 0x1b));
    assert_null(strchr(s.operator_name, 0x07));
    assert_null(strstr(s.operator_name, "\xe2\x80\xae"));
    assert_null(strchr(s.terminal, 0x1b));
    assert_null(strchr(s.report.note, 0x07));
    api_shift_clear(&s);
}

static void drops_and_paidouts_are_sent_once_with_their_note(void **state)
{
    fixture *f = *state;
    api_shift s;
    api_result res;
    stub_push(f->stub, 201, SHIFT_OPEN);
    assert_int_equal(api_shift_move_cash(f->client, "s-1", API_SHIFT_DROP, 5000, "EUR", "to safe", &s, &res), API_OK);
    assert_string_equal(stub_request_at(f->stub, 0)->path, "/dev/shifts/s-1/drops");
    assert_string_equal(stub_request_at(f->stub, 0)->body, "{\"amount\":\"50.00\",\"currency\":\"EUR\",\"note\":\"to safe\"}");
    api_shift_clear(&s);
    stub_push(f->stub, 409, "{\"error\":\"shift is closed\"}");
    assert_int_equal(api_shift_move_cash(f->client, "s-1", API_SHIFT_PAIDOUT, 1200, "EUR", "taxi", &s, &res),
                     API_ERR_INVALID);
    assert_string_equal(res.message, "shift is closed");
    assert_string_equal(stub_request_at(f->stub, 1)->path, "/dev/shifts/s-1/paidouts");
    /* no answer: not retried (a drop has no key), and it may have been made */
    stub_reply lost = { .action = STUB_CLOSE };
    stub_push_reply(f->stub, &lost);
    assert_int_not_equal(api_shift_move_cash(f->client, "s-1", API_SHIFT_DROP, 100, "EUR", NULL, &s, &res), API_OK);
    assert_true(res.unconfirmed);
    assert_int_equal(stub_request_count(f->stub), 3);
    /* refused before sending: no note on a paid-out, control bytes in a note, nothing to move */
    assert_int_equal(api_shift_move_cash(f->client, "s-1", API_SHIFT_PAIDOUT, 100, "EUR", "", &s, &res), API_ERR_INVALID);
    assert_int_equal(api_shift_move_cash(f->client, "s-1", API_SHIFT_DROP, 100, "EUR", "a\x1b[2Jb", &s, &res), API_ERR_INVALID);
    assert_int_equal(api_shift_move_cash(f->client, "s-1", API_SHIFT_DROP, 0, "EUR", NULL, &s, &res), API_ERR_INVALID);
    assert_int_equal(api_shift_move_cash(f->client, "s-1", API_SHIFT_DROP, 100, "eur", NULL, &s, &res), API_ERR_INVALID);
    assert_int_equal(stub_request_count(f->stub), 3);
}

static void typed_amounts_notes_and_terminals_are_checked(void **state)
{
    (void)state;
    int64_t c = -1;
    assert_null(api_shift_amount_check("174.50", &c));
    assert_int_equal(c, 17450);
    assert_null(api_shift_amount_check("0", &c));
    assert_int_equal(c, 0);
    assert_non_null(api_shift_amount_check("1e9", &c));
    assert_non_null(api_shift_amount_check("-5", &c));
    assert_non_null(api_shift_amount_check("12.345", &c));
    assert_non_null(api_shift_amount_check("abc", &c));
    assert_non_null(api_shift_amount_check("", &c));
    assert_non_null(api_shift_amount_check("99999999999999999999", &c));
    assert_null(api_shift_note_check("coin fell behind the drawer"));
    assert_non_null(api_shift_note_check("a\x07" "b"));
    assert_non_null(api_shift_note_check("a\xe2\x80\xae" "b"));
    assert_non_null(api_shift_note_check("\xff"));
    assert_null(api_shift_terminal_check("window-2"));
    assert_non_null(api_shift_terminal_check(""));
    assert_non_null(api_shift_terminal_check("   "));
    assert_non_null(api_shift_terminal_check("w\x1b"));
    char m[BO_MONEY_BUF];
    int64_t v;
    api_shift_money(-50, m);
    assert_string_equal(m, "-0.50");
    api_shift_money(10000, m);
    assert_string_equal(m, "100.00");
    assert_int_equal(api_shift_money_parse("-0.50", &v), 0);
    assert_int_equal(v, -50);
    assert_int_equal(api_shift_money_parse("--1", &v), -1);
    assert_int_equal(api_shift_money_parse("+1", &v), -1);
}

static void open_and_close_refuse_bad_input_before_sending(void **state)
{
    fixture *f = *state;
    api_shift s;
    api_result res;
    api_shift_amount twice[] = { { "EUR", 1 }, { "EUR", 2 } }, neg[] = { { "EUR", -5 } }, bad_cur[] = { { "E1R", 5 } };
    assert_int_equal(api_shift_open(f->client, "w", twice, 2, NULL, &s, NULL, &res), API_ERR_INVALID);
    assert_int_equal(api_shift_open(f->client, "w", neg, 1, NULL, &s, NULL, &res), API_ERR_INVALID);
    assert_int_equal(api_shift_open(f->client, "w", bad_cur, 1, NULL, &s, NULL, &res), API_ERR_INVALID);
    assert_int_equal(api_shift_open(f->client, "w", bad_cur, 0, NULL, &s, NULL, &res), API_ERR_INVALID);
    assert_int_equal(api_shift_open(f->client, "", neg, 1, NULL, &s, NULL, &res), API_ERR_INVALID);
    assert_int_equal(api_shift_close(f->client, "s-1", neg, 1, NULL, NULL, &s, &res), API_ERR_INVALID);
    assert_int_equal(api_shift_close(f->client, "s-1", twice, 1, "bad\x01note", NULL, &s, &res), API_ERR_INVALID);
    assert_int_equal(api_shift_close(f->client, "s-1", twice, 1, NULL, "bad key", &s, &res), API_ERR_INVALID);
    assert_int_equal(stub_request_count(f->stub), 0);
}

static void day_sheet_json_and_csv(void **state)
{
    fixture *f = *state;
    api_shift_day d;
    api_result res;
    char *csv = NULL;
    stub_push(f->stub, 200, "{\"day\":\"2026-12-07\",\"shifts\":[" SHIFT_CLOSED("7") "," SHIFT_OPEN "]}");
    assert_int_equal(api_shift_day_sheet(f->client, "2026-12-07", &d, &res), API_OK);
    assert_string_equal(stub_request_at(f->stub, 0)->path, "/dev/shifts?day=2026-12-07");
    assert_int_equal(d.n, 2);
    assert_int_equal(d.shifts[0].report.z, 7);
    assert_true(d.shifts[1].open);
    api_shift_day_clear(&d);
    stub_push(f->stub, 200, "{\"day\":\"2026-12-06\",\"shifts\":[]}"); /* another day than asked */
    assert_int_equal(api_shift_day_sheet(f->client, "2026-12-07", &d, &res), API_ERR_PROTOCOL);
    assert_int_equal(api_shift_day_sheet(f->client, "2026-13-07", &d, &res), API_ERR_INVALID);
    assert_int_equal(api_shift_day_sheet(f->client, "7.12.2026", &d, &res), API_ERR_INVALID);
    stub_reply r = { .status = 200, .content_type = "text/csv",
                     .body = "shift,z,operator,terminal\ns-1,7,Ana,window-2\n" };
    stub_push_reply(f->stub, &r);
    assert_int_equal(api_shift_day_sheet_csv(f->client, "2026-12-07", &csv, &res), API_OK);
    assert_string_equal(stub_request_at(f->stub, 2)->path, "/dev/shifts?day=2026-12-07&format=csv");
    assert_string_equal(csv, "shift,z,operator,terminal\ns-1,7,Ana,window-2\n");
    free(csv);
    stub_push(f->stub, 403, "{\"error\":\"the day sheet needs the manager group\"}");
    assert_int_equal(api_shift_day_sheet_csv(f->client, "2026-12-07", &csv, &res), API_ERR_FORBIDDEN);
    assert_null(csv);
}

/* A journal of n entries for shift s-1, chained; returns the hash. */
static cJSON *journal(int n, char hash[65])
{
    cJSON *arr = cJSON_CreateArray();
    memset(hash, '0', 64);
    hash[64] = '\0';
    for (int i = 1; i <= n; i++) {
        char id[16];
        snprintf(id, sizeof id, "j-%d", i);
        cJSON *e = cJSON_CreateObject();
        cJSON_AddNumberToObject(e, "seq", i);
        cJSON_AddStringToObject(e, "id", id);
        cJSON_AddStringToObject(e, "at", "2026-12-07T09:00:00.000Z");
        cJSON_AddStringToObject(e, "type", i == 1 ? "shift.opened" : i == n ? "shift.closed" : "order.created");
        cJSON_AddItemToObject(e, "operator", cJSON_Parse("{\"sub\":\"u-1\",\"name\":\"Ana\"}"));
        cJSON_AddStringToObject(e, "terminal", "window-2");
        cJSON_AddStringToObject(e, "shiftId", "s-1");
        cJSON_AddNullToObject(e, "concertId");
        cJSON_AddNullToObject(e, "orderId");
        cJSON_AddStringToObject(e, "currency", "EUR");
        cJSON_AddStringToObject(e, "amount", "12.50");
        if (i == 2)
            cJSON_AddNumberToObject(e, "count", 3);
        char *line = shift_verify_line(e);
        assert_non_null(line);
        assert_int_equal(shift_verify_link(hash, line, hash), 0);
        free(line);
        cJSON_AddItemToArray(arr, e);
    }
    return arr;
}

static void the_z_hash_is_recomputed_and_a_changed_entry_is_named(void **state)
{
    (void)state;
    char h[65];
    shift_verify_out v;
    /* the canonical line, and one link of the chain checked against a SHA-256 computed elsewhere */
    cJSON *e = cJSON_Parse("{\"seq\":2,\"id\":\"j-2\",\"at\":\"T\",\"type\":\"order.created\",\"operator\":{\"sub\":\"u-1\"},"
                           "\"terminal\":null,\"shiftId\":\"s-1\",\"amount\":\"12.50\",\"count\":3}");
    char *line = shift_verify_line(e);
    assert_string_equal(line, "2|j-2|T|order.created|u-1||s-1||||12.50|3");
    char zero[65];
    memset(zero, '0', 64);
    zero[64] = '\0';
    assert_int_equal(shift_verify_link(zero, "a", h), 0);
    /* printf '%s\na' 0000...0000 | sha256sum */
    assert_string_equal(h, "2e04306c2c1c72c0567b0630f213452ce913cee8d0772efd39e5699ed22aa637");
    free(line);
    cJSON_Delete(e);

    cJSON *j = journal(5, h);
    assert_int_equal(shift_verify_chain(j, "s-1", h, 5, &v), 0);
    assert_true(v.ok);
    assert_int_equal(v.entries, 5);
    assert_string_equal(v.hash, h);
    /* in any order from the server: sorted by seq */
    cJSON *first = cJSON_DetachItemFromArray(j, 0);
    cJSON_AddItemToArray(j, first);
    assert_int_equal(shift_verify_chain(j, "s-1", h, 5, &v), 0);
    assert_true(v.ok);
    /* an amount changed: the hash differs */
    cJSON_ReplaceItemInObject(cJSON_GetArrayItem(j, 1), "amount", cJSON_CreateString("1.25"));
    assert_int_equal(shift_verify_chain(j, "s-1", h, 5, &v), 0);
    assert_false(v.ok);
    assert_non_null(strstr(v.why, "hash differs"));
    cJSON_Delete(j);
    /* a gap is named by its seq */
    j = journal(5, h);
    cJSON_DeleteItemFromArray(j, 2);
    assert_int_equal(shift_verify_chain(j, "s-1", h, 5, &v), 0);
    assert_false(v.ok);
    assert_int_equal(v.bad_seq, 3);
    cJSON_Delete(j);
    /* an entry of another shift, and a count that differs from the report's */
    j = journal(4, h);
    assert_int_equal(shift_verify_chain(j, "s-2", h, 4, &v), 0);
    assert_false(v.ok);
    assert_int_equal(shift_verify_chain(j, "s-1", h, 5, &v), 0);
    assert_false(v.ok);
    assert_int_equal(v.bad_seq, 5);
    cJSON_Delete(j);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(open_sends_terminal_and_float_with_a_key_and_reads_the_x_report, stub_client_setup, stub_client_teardown),
        cmocka_unit_test_setup_teardown(open_twice_is_a_409_with_the_open_shift, stub_client_setup, stub_client_teardown),
        cmocka_unit_test_setup_teardown(close_lost_answer_is_unconfirmed_and_the_same_key_gives_the_same_z, stub_client_setup, stub_client_teardown),
        cmocka_unit_test_setup_teardown(close_without_note_is_the_servers_400_and_nothing_else, stub_client_setup, stub_client_teardown),
        cmocka_unit_test_setup_teardown(bad_answers_are_refused, stub_client_setup, stub_client_teardown),
        cmocka_unit_test_setup_teardown(hostile_strings_are_sanitised, stub_client_setup, stub_client_teardown),
        cmocka_unit_test_setup_teardown(drops_and_paidouts_are_sent_once_with_their_note, stub_client_setup, stub_client_teardown),
        cmocka_unit_test(typed_amounts_notes_and_terminals_are_checked),
        cmocka_unit_test_setup_teardown(open_and_close_refuse_bad_input_before_sending, stub_client_setup, stub_client_teardown),
        cmocka_unit_test_setup_teardown(day_sheet_json_and_csv, stub_client_setup, stub_client_teardown),
        cmocka_unit_test(the_z_hash_is_recomputed_and_a_changed_entry_is_named),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
