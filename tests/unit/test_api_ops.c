/* Operators and the journal through the API client against the scripted HTTP stub: the exact requests
 * (method, path, query, body), the answers read into the model (money exact, texts sanitised), the
 * server's own refusal texts (403 needs the manager group, 409 exists), bad answers refused as
 * malformed, and bad input refused before anything is sent. */
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

#include "api_journal.h"
#include "api_operators.h"
#include "http_stub.h"
#include "stub_fixture.h"

typedef stub_client fixture;

#define OP(sub, user, name, group, enabled) "{\"sub\":\"" sub "\",\"username\":\"" user "\",\"name\":\"" name "\"," \
    "\"group\":\"" group "\",\"enabled\":" enabled ",\"status\":\"CONFIRMED\"}"
#define ENTRY(id, type, extra) "{\"id\":\"" id "\",\"at\":\"2026-12-07T10:00:00.000Z\",\"day\":\"2026-12-07\"," \
    "\"type\":\"" type "\",\"operator\":{\"sub\":\"s-1\",\"name\":\"Ana\"}" extra "}"

static void operators_list_reads_each_operator(void **state)
{
    fixture *f = *state;
    api_operator_list l;
    api_result res;
    stub_push(f->stub, 200, "{\"operators\":[" OP("s-1", "ana@example.org", "Ana", "manager", "true") ","
                            OP("s-2", "bo@example.org", "Bo\\u001b[2J", "cashier", "false") ","
                            "{\"sub\":\"s-3\",\"username\":\"cy@example.org\",\"name\":\"Cy\",\"group\":null,"
                            "\"enabled\":true,\"status\":\"CONFIRMED\"}]}");
    assert_int_equal(api_operators_list(f->client, &l, &res), API_OK);
    assert_string_equal(stub_request_at(f->stub, 0)->method, "GET");
    assert_string_equal(stub_request_at(f->stub, 0)->path, "/dev/operators");
    assert_int_equal(l.n, 3);
    assert_string_equal(l.ops[0].sub, "s-1");
    assert_string_equal(l.ops[0].name, "Ana");
    assert_string_equal(l.ops[0].group, "manager");
    assert_true(l.ops[0].enabled);
    assert_false(l.ops[1].enabled);
    assert_null(strchr(l.ops[1].name, 0x1b)); /* sanitised */
    assert_string_equal(l.ops[0].status, "CONFIRMED");
    assert_string_equal(l.ops[2].group, ""); /* null: in no group */
    assert_non_null(l.ops[1].json);
    api_operator_list_clear(&l);
    assert_null(l.ops);
}

static void operators_bad_answers_are_malformed(void **state)
{
    fixture *f = *state;
    api_operator_list l;
    api_result res;
    const char *bad[] = {
        "{}", "{\"operators\":{}}", "[]",
        "{\"operators\":[{\"username\":\"a@b.c\",\"group\":\"door\"}]}",             /* no sub */
        "{\"operators\":[{\"sub\":\"s\",\"group\":\"door\"}]}",                       /* no username */
        "{\"operators\":[{\"sub\":\"s\",\"username\":\"a@b.c\",\"group\":7}]}",     /* group not a text */
        "{\"operators\":[{\"sub\":\"s\",\"username\":\"a@b.c\",\"name\":\"" "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789" /* 300 bytes */
        "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789"
        "0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789"
        "\"}]}", /* a name longer than kept */
        "{\"operators\":[{\"sub\":\"s\",\"username\":\"a@b.c\",\"group\":\"door\",\"enabled\":\"yes\"}]}",
        "{\"operators\":[" OP("s-1", "a@b.c", "A", "door", "true") ",42]}",
        "not json",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        stub_push(f->stub, 200, bad[i]);
        assert_int_equal(api_operators_list(f->client, &l, &res), API_ERR_PROTOCOL);
        assert_int_equal(l.n, 0);
        assert_null(l.ops);
    }
}

static void operator_add_posts_the_body_and_shows_the_servers_refusals(void **state)
{
    fixture *f = *state;
    bo_operator o;
    api_result res;
    stub_push(f->stub, 201, OP("s-9", "new@example.org", "Nina", "door", "true"));
    api_operator_input in = { .username = "new@example.org", .name = "Nina", .group = "door",
                              .temporary_password = "Temp-1234" };
    assert_int_equal(api_operator_add(f->client, &in, &o, &res), API_OK);
    const stub_request *r = stub_request_at(f->stub, 0);
    assert_string_equal(r->method, "POST");
    assert_string_equal(r->path, "/dev/operators");
    cJSON *b = cJSON_Parse(r->body);
    assert_non_null(b);
    assert_string_equal(cJSON_GetObjectItem(b, "username")->valuestring, "new@example.org");
    assert_string_equal(cJSON_GetObjectItem(b, "name")->valuestring, "Nina");
    assert_string_equal(cJSON_GetObjectItem(b, "group")->valuestring, "door");
    assert_string_equal(cJSON_GetObjectItem(b, "temporaryPassword")->valuestring, "Temp-1234");
    cJSON_Delete(b);
    assert_string_equal(o.sub, "s-9");
    bo_operator_clear(&o);

    /* 409 and 403: the server's own words */
    stub_push(f->stub, 409, "{\"error\":\"operator new@example.org exists\"}");
    assert_int_equal(api_operator_add(f->client, &in, &o, &res), API_ERR_INVALID);
    assert_int_equal(res.http_status, 409);
    assert_string_equal(res.message, "operator new@example.org exists");
    stub_push(f->stub, 403, "{\"error\":\"listing operators needs the manager group\"}");
    api_operator_list l;
    assert_int_equal(api_operators_list(f->client, &l, &res), API_ERR_FORBIDDEN);
    assert_string_equal(res.message, "listing operators needs the manager group");
    stub_push(f->stub, 403, "{\"error\":\"\\u001b]0;x\\u0007operator is disabled\"}");
    assert_int_equal(api_operators_list(f->client, &l, &res), API_ERR_FORBIDDEN);
    assert_null(strchr(res.message, 0x1b));
    assert_non_null(strstr(res.message, "operator is disabled"));
}

static void operator_bad_input_is_refused_before_sending(void **state)
{
    fixture *f = *state;
    bo_operator o;
    api_result res;
    api_operator_input bad[] = {
        { .username = "not-an-email", .name = "A", .group = "door" },
        { .username = "a@example.org", .name = "  ", .group = "door" },
        { .username = "a@example.org", .name = "A\x1b[2J", .group = "door" },
        { .username = "a@example.org", .name = "A", .group = "admin" },
        { .username = "a@example.org", .name = "A", .group = "door", .temporary_password = "1234567" },
        { .username = "a@example.org", .name = "A", .group = "door" },               /* no temporary password */
        { .username = "a@example.org", .name = "A", .group = "door", .temporary_password = "abc\ndefgh" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(api_operator_add(f->client, &bad[i], &o, &res), API_ERR_INVALID);
    assert_int_equal(api_operator_set_role(f->client, "a@example.org", "root", &o, &res), API_ERR_INVALID);
    assert_string_equal(res.message, "group: one of manager, cashier, door or kiosk");
    assert_int_equal(api_operator_set_enabled(f->client, "", false, &o, &res), API_ERR_INVALID);
    assert_int_equal(stub_request_count(f->stub), 0);
}

static void operator_disable_enable_and_role_hit_their_routes(void **state)
{
    fixture *f = *state;
    bo_operator o;
    api_result res;
    stub_push(f->stub, 200, OP("s-2", "bo@example.org", "Bo", "cashier", "false"));
    assert_int_equal(api_operator_set_enabled(f->client, "bo@example.org", false, &o, &res), API_OK);
    assert_false(o.enabled);
    bo_operator_clear(&o);
    stub_push(f->stub, 200, OP("s-2", "bo@example.org", "Bo", "cashier", "true"));
    assert_int_equal(api_operator_set_enabled(f->client, "bo@example.org", true, &o, &res), API_OK);
    assert_true(o.enabled);
    bo_operator_clear(&o);
    stub_push(f->stub, 200, OP("s-2", "bo@example.org", "Bo", "door", "true"));
    assert_int_equal(api_operator_set_role(f->client, "bo@example.org", "door", &o, &res), API_OK);
    assert_string_equal(o.group, "door");
    bo_operator_clear(&o);
    assert_string_equal(stub_request_at(f->stub, 0)->method, "POST");
    assert_string_equal(stub_request_at(f->stub, 0)->path, "/dev/operators/bo%40example.org/disable");
    assert_string_equal(stub_request_at(f->stub, 1)->path, "/dev/operators/bo%40example.org/enable");
    assert_string_equal(stub_request_at(f->stub, 2)->method, "PUT");
    assert_string_equal(stub_request_at(f->stub, 2)->path, "/dev/operators/bo%40example.org/role");
    assert_string_equal(stub_request_at(f->stub, 2)->body, "{\"group\":\"door\"}");
    /* an answer that is no operator */
    stub_push(f->stub, 200, "{\"ok\":true}");
    assert_int_equal(api_operator_set_role(f->client, "bo@example.org", "door", &o, &res), API_ERR_PROTOCOL);
}

static void operator_mask_keeps_two_characters_and_the_domain(void **state)
{
    (void)state;
    char m[64];
    bo_operator_mask("manager@boxoffice.local", m, sizeof m);
    assert_string_equal(m, "ma\xe2\x80\xa6@boxoffice.local");
    bo_operator_mask("\xc3\xa9lo\xc3\xafse@example.org", m, sizeof m); /* characters, not bytes */
    assert_string_equal(m, "\xc3\xa9l\xe2\x80\xa6@example.org");
    bo_operator_mask("x@y.z", m, sizeof m);
    assert_string_equal(m, "x\xe2\x80\xa6@y.z");
    bo_operator_mask("nobody", m, sizeof m);
    assert_string_equal(m, "no\xe2\x80\xa6");
}

static void journal_by_day_and_operator_reads_a_page(void **state)
{
    fixture *f = *state;
    api_journal_page p;
    api_result res;
    stub_push(f->stub, 200, "{\"entries\":["
        ENTRY("j-1", "shift.opened", ",\"terminal\":\"window-2\",\"shiftId\":\"sh-1\",\"currency\":\"EUR\","
              "\"amount\":\"100.00\",\"seq\":1,\"detail\":\"float\"") ","
        ENTRY("j-2", "order.created", ",\"terminal\":\"window-2\",\"shiftId\":\"sh-1\",\"concertId\":\"c-1\","
              "\"orderId\":\"o-1\",\"ticketIds\":[\"t-1\",\"t-2\"],\"currency\":\"EUR\",\"amount\":\"12.50\","
              "\"count\":2,\"seq\":2,\"detail\":\"cash\\u001b[31m\"") "],\"cursor\":\"eyJrIjoyfQ\"}");
    api_journal_query q = { .day = "2026-12-07", .operator_sub = "s-1", .limit = 2 };
    assert_int_equal(api_journal_get(f->client, &q, &p, &res), API_OK);
    assert_string_equal(stub_request_at(f->stub, 0)->path, "/dev/journal?day=2026-12-07&operator=s-1&limit=2");
    assert_int_equal(p.n, 2);
    assert_string_equal(p.entries[0].type, "shift.opened");
    assert_int_equal(p.entries[0].amount_cents, 10000);
    assert_true(p.entries[0].has_seq);
    assert_int_equal(p.entries[0].seq, 1);
    assert_false(p.entries[0].has_count);
    assert_string_equal(p.entries[1].order_id, "o-1");
    assert_int_equal(p.entries[1].n_tickets, 2);
    assert_int_equal(p.entries[1].amount_cents, 1250);
    assert_string_equal(p.entries[1].currency, "EUR");
    assert_int_equal(p.entries[1].count, 2);
    assert_string_equal(p.entries[1].operator_name, "Ana");
    assert_null(strchr(p.entries[1].detail, 0x1b));
    assert_string_equal(p.cursor, "eyJrIjoyfQ");
    api_journal_page_clear(&p);

    /* the next page: the cursor goes back as it came; a null cursor is the last page */
    stub_push(f->stub, 200, "{\"entries\":[" ENTRY("j-3", "checkin", ",\"terminal\":null,\"amount\":null") "],"
                            "\"cursor\":null}");
    api_journal_query q2 = { .concert_id = "c 1", .cursor = "eyJrIjoyfQ" };
    assert_int_equal(api_journal_get(f->client, &q2, &p, &res), API_OK);
    assert_string_equal(stub_request_at(f->stub, 1)->path, "/dev/journal?concert=c%201&cursor=eyJrIjoyfQ");
    assert_int_equal(p.n, 1);
    assert_false(p.entries[0].has_amount);
    assert_string_equal(p.entries[0].terminal, "");
    assert_string_equal(p.cursor, "");
    api_journal_page_clear(&p);
    /* a public order: no operator (sold online); a cursor of 4096 bytes is kept */
    char big[4200];
    memset(big, 'c', 4096);
    big[4096] = '\0';
    char body[8192];
    snprintf(body, sizeof body, "{\"entries\":[{\"id\":\"j-9\",\"at\":\"2026-12-07T11:00:00.000Z\",\"day\":\"2026-12-07\","
             "\"type\":\"order.created\",\"operator\":null,\"terminal\":null,\"shiftId\":null,\"concertId\":\"c-1\","
             "\"orderId\":\"o-9\",\"currency\":\"EUR\",\"amount\":\"-0.50\",\"count\":1,\"detail\":\"card online\","
             "\"seq\":null}],\"cursor\":\"%s\"}", big);
    stub_push(f->stub, 200, body);
    api_journal_query qd = { .day = "2026-12-07" };
    assert_int_equal(api_journal_get(f->client, &qd, &p, &res), API_OK);
    assert_string_equal(p.entries[0].operator_sub, "");
    assert_int_equal(p.entries[0].amount_cents, -50);
    assert_false(p.entries[0].has_seq);
    assert_int_equal(strlen(p.cursor), 4096);
    api_journal_page_clear(&p);
    api_journal_query q3 = { .shift_id = "sh-1" };
    stub_push(f->stub, 200, "{\"entries\":[]}");
    assert_int_equal(api_journal_get(f->client, &q3, &p, &res), API_OK);
    assert_string_equal(stub_request_at(f->stub, 3)->path, "/dev/journal?shift=sh-1");
    assert_int_equal(p.n, 0);
}

static void journal_bad_answers_are_malformed(void **state)
{
    fixture *f = *state;
    api_journal_page p;
    api_result res;
    api_journal_query q = { .day = "2026-12-07" };
    const char *bad[] = {
        "{}", "{\"entries\":{}}",
        "{\"entries\":[{\"id\":\"j\",\"at\":\"x\",\"type\":\"checkin\",\"operator\":\"Ana\"}]}", /* not an object */
        "{\"entries\":[{\"id\":\"j\",\"at\":\"x\",\"type\":\"checkin\",\"operator\":{\"name\":\"A\"}}]}", /* no sub */
        "{\"entries\":[" ENTRY("j", "checkin", ",\"amount\":12.5") "]}",                     /* a number */
        "{\"entries\":[" ENTRY("j", "checkin", ",\"amount\":\"12.345\"") "]}",
        "{\"entries\":[" ENTRY("j", "checkin", ",\"amount\":\"1e9\"") "]}",
        "{\"entries\":[" ENTRY("j", "checkin", ",\"count\":1.5") "]}",
        "{\"entries\":[" ENTRY("j", "checkin", ",\"seq\":0") "]}",
        "{\"entries\":[" ENTRY("j", "checkin", ",\"ticketIds\":\"t-1\"") "]}",
        "{\"entries\":[],\"cursor\":\"has space\"}",
        "{\"entries\":[],\"cursor\":7}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        stub_push(f->stub, 200, bad[i]);
        assert_int_equal(api_journal_get(f->client, &q, &p, &res), API_ERR_PROTOCOL);
        assert_int_equal(p.n, 0);
        assert_null(p.entries);
    }
    stub_push(f->stub, 403, "{\"error\":\"the journal needs the manager group\"}");
    assert_int_equal(api_journal_get(f->client, &q, &p, &res), API_ERR_FORBIDDEN);
    assert_string_equal(res.message, "the journal needs the manager group");
}

static void journal_bad_queries_are_refused_before_sending(void **state)
{
    fixture *f = *state;
    api_journal_page p;
    api_result res;
    api_journal_query bad[] = {
        { 0 },
        { .day = "2026-12-07", .concert_id = "c-1" },
        { .operator_sub = "s-1" },
        { .operator_sub = "s-1", .concert_id = "c-1" },
        { .day = "2026-13-01" },
        { .day = "2026-12-07T10:00Z" },
        { .day = "2026-12-07", .limit = 101 },
        { .day = "2026-12-07", .cursor = "a b" },
        { .shift_id = "sh\x1b" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(api_journal_get(f->client, &bad[i], &p, &res), API_ERR_INVALID);
    assert_int_equal(stub_request_count(f->stub), 0);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(operators_list_reads_each_operator, stub_client_setup, stub_client_teardown),
        cmocka_unit_test_setup_teardown(operators_bad_answers_are_malformed, stub_client_setup, stub_client_teardown),
        cmocka_unit_test_setup_teardown(operator_add_posts_the_body_and_shows_the_servers_refusals, stub_client_setup, stub_client_teardown),
        cmocka_unit_test_setup_teardown(operator_bad_input_is_refused_before_sending, stub_client_setup, stub_client_teardown),
        cmocka_unit_test_setup_teardown(operator_disable_enable_and_role_hit_their_routes, stub_client_setup, stub_client_teardown),
        cmocka_unit_test(operator_mask_keeps_two_characters_and_the_domain),
        cmocka_unit_test_setup_teardown(journal_by_day_and_operator_reads_a_page, stub_client_setup, stub_client_teardown),
        cmocka_unit_test_setup_teardown(journal_bad_answers_are_malformed, stub_client_setup, stub_client_teardown),
        cmocka_unit_test_setup_teardown(journal_bad_queries_are_refused_before_sending, stub_client_setup, stub_client_teardown),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
