/* boxoffice operators / journal against the scripted HTTP stub: what each command sends, the table (the
 * e-mail masked) and --json (the server's objects; the journal's every page), the server's refusal texts with
 * the exit codes of the convention (403: 5, 409: 2), and the usage errors that send nothing (exit 1). */
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

#include "http_stub.h"
#include "stub_fixture.h"

#define OP(sub, user, name, group, enabled, status) "{\"sub\":\"" sub "\",\"username\":\"" user "\",\"name\":\"" \
    name "\",\"group\":\"" group "\",\"enabled\":" enabled ",\"status\":\"" status "\"}"
#define ENTRY(id, type, extra) "{\"id\":\"" id "\",\"at\":\"2026-12-07T10:00:00.000Z\",\"day\":\"2026-12-07\"," \
    "\"type\":\"" type "\",\"operator\":{\"sub\":\"s-1\",\"name\":\"Ana\"}" extra "}"

static void operators_list_prints_a_table_with_the_email_masked(void **state)
{
    (void)state;
    http_stub *s = stub_start();
    stub_cli_out o = {0};
    stub_push(s, 200, "{\"operators\":[" OP("s-1", "manager@boxoffice.local", "Manager", "manager", "true", "CONFIRMED") ","
                      OP("s-2", "nina@example.org", "Nina", "door", "false", "FORCE_CHANGE_PASSWORD") "]}");
    assert_int_equal(stub_cli_run(s, NULL, &o, "operators", NULL), 0);
    assert_string_equal(stub_request_at(s, 0)->path, "/dev/operators");
    assert_non_null(strstr(o.out, "Manager"));
    assert_non_null(strstr(o.out, "ma\xe2\x80\xa6@boxoffice.local"));
    assert_null(strstr(o.out, "manager@boxoffice.local")); /* never in clear */
    assert_non_null(strstr(o.out, "DISABLED, FORCE_CHANGE_PASSWORD"));
    assert_non_null(strstr(o.out, "2 operators\n"));
    /* operators list is the same; --json the server's objects */
    stub_push(s, 200, "{\"operators\":[" OP("s-1", "manager@boxoffice.local", "Manager", "manager", "true", "CONFIRMED") "]}");
    assert_int_equal(stub_cli_run(s, NULL, &o, "--json", "operators", "list", NULL), 0);
    cJSON *j = cJSON_Parse(o.out);
    assert_non_null(j);
    const cJSON *first = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "operators"), 0);
    assert_string_equal(cJSON_GetObjectItem(first, "sub")->valuestring, "s-1");
    assert_string_equal(cJSON_GetObjectItem(first, "username")->valuestring, "manager@boxoffice.local");
    cJSON_Delete(j);
    stub_cli_free(&o);
    stub_stop(s);
}

static void operators_add_disable_enable_role_print_the_servers_answer(void **state)
{
    (void)state;
    http_stub *s = stub_start();
    stub_cli_out o = {0};
    stub_push(s, 201, OP("s-9", "nina@example.org", "Nina", "door", "true", "FORCE_CHANGE_PASSWORD"));
    assert_int_equal(stub_cli_run(s, NULL, &o, "operators", "add", "nina@example.org", "--name", "Nina", "--group", "door",
                                  "--temporary-password", "Temp-12345", NULL), 0);
    cJSON *b = cJSON_Parse(stub_request_at(s, 0)->body);
    assert_string_equal(cJSON_GetObjectItem(b, "temporaryPassword")->valuestring, "Temp-12345");
    cJSON_Delete(b);
    assert_non_null(strstr(o.out, "Added Nina (ni\xe2\x80\xa6@example.org): group door, enabled, FORCE_CHANGE_PASSWORD"));
    assert_null(strstr(o.out, "Temp-12345"));
    /* the server says what happened: a disable answered with enabled=true is reported as enabled */
    stub_push(s, 200, OP("s-9", "nina@example.org", "Nina", "door", "true", "CONFIRMED"));
    assert_int_equal(stub_cli_run(s, NULL, &o, "operators", "disable", "nina@example.org", NULL), 0);
    assert_string_equal(stub_request_at(s, 1)->path, "/dev/operators/nina%40example.org/disable");
    assert_non_null(strstr(o.out, "Enabled Nina"));
    stub_push(s, 200, OP("s-9", "nina@example.org", "Nina", "door", "false", "CONFIRMED"));
    assert_int_equal(stub_cli_run(s, NULL, &o, "operators", "disable", "nina@example.org", NULL), 0);
    assert_non_null(strstr(o.out, "Disabled Nina"));
    stub_push(s, 200, OP("s-9", "nina@example.org", "Nina", "door", "true", "CONFIRMED"));
    assert_int_equal(stub_cli_run(s, NULL, &o, "operators", "enable", "nina@example.org", NULL), 0);
    assert_string_equal(stub_request_at(s, 3)->path, "/dev/operators/nina%40example.org/enable");
    stub_push(s, 200, OP("s-9", "nina@example.org", "Nina", "cashier", "true", "CONFIRMED"));
    assert_int_equal(stub_cli_run(s, NULL, &o, "--json", "operators", "role", "nina@example.org", "cashier", NULL), 0);
    assert_string_equal(stub_request_at(s, 4)->method, "PUT");
    assert_string_equal(stub_request_at(s, 4)->body, "{\"group\":\"cashier\"}");
    cJSON *j = cJSON_Parse(o.out);
    assert_string_equal(cJSON_GetObjectItem(j, "group")->valuestring, "cashier");
    cJSON_Delete(j);
    stub_cli_free(&o);
    stub_stop(s);
}

static void operators_refusals_carry_the_servers_words_and_exit_codes(void **state)
{
    (void)state;
    http_stub *s = stub_start();
    stub_cli_out o = {0};
    stub_push(s, 403, "{\"error\":\"operators need the manager group\"}");
    assert_int_equal(stub_cli_run(s, NULL, &o, "operators", NULL), 5);
    assert_non_null(strstr(o.err, "operators need the manager group (HTTP 403)"));
    stub_push(s, 409, "{\"error\":\"operator exists\"}");
    assert_int_equal(stub_cli_run(s, NULL, &o, "operators", "add", "a@example.org", "--name", "A", "--group", "kiosk",
                                  "--temporary-password", "Temp-12345", NULL), 2);
    assert_non_null(strstr(o.err, "operator exists (HTTP 409)"));
    stub_push(s, 200, "{\"operators\":[{\"sub\":\"s\"}]}");
    assert_int_equal(stub_cli_run(s, NULL, &o, "operators", NULL), 2);
    assert_non_null(strstr(o.err, "Malformed answer"));
    stub_cli_free(&o);
    stub_stop(s);
}

static void usage_errors_send_nothing(void **state)
{
    (void)state;
    http_stub *s = stub_start();
    stub_cli_out o = {0};
    const char *const cases[][10] = {
        { "operators", "add", "not-an-email", "--name", "A", "--group", "door", NULL },
        { "operators", "add", "a@example.org", "--group", "door", NULL },
        { "operators", "add", "a@example.org", "--name", "A", "--group", "root", NULL },
        { "operators", "add", "a@example.org", "--name", "A", "--group", "door", "--temporary-password", "1234567", NULL },
        { "operators", "role", "a@example.org", NULL },
        { "operators", "role", "a@example.org", "admin", NULL },
        { "operators", "disable", NULL },
        { "operators", "list", "--day", "2026-12-07", NULL },
        { "journal", "--day", "2026-12-07", "--concert", "c-1", NULL },
        { "journal", "--operator", "s-1", "--shift", "sh-1", NULL },
    };
    const char *const more[][6] = {
        { "journal", "--day", "07.12.2026", NULL },
        { "journal", "--limit", "0", NULL },
        { "journal", "--shift", "", NULL },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_int_equal(stub_cli_runv(s, NULL, &o, cases[i]), 1);
    for (size_t i = 0; i < sizeof more / sizeof more[0]; i++)
        assert_int_equal(stub_cli_runv(s, NULL, &o, more[i]), 1);
    assert_int_equal(stub_request_count(s), 0);
    stub_cli_free(&o);
    stub_stop(s);
}

static void journal_prints_a_page_as_a_table(void **state)
{
    (void)state;
    http_stub *s = stub_start();
    stub_cli_out o = {0};
    stub_push(s, 200, "{\"entries\":[" ENTRY("j-1", "order.created", ",\"terminal\":\"window-2\",\"orderId\":\"o-1\","
                      "\"currency\":\"EUR\",\"amount\":\"1234.50\",\"count\":2,\"seq\":2,\"detail\":\"cash\"") "],"
                      "\"cursor\":\"next1\"}");
    assert_int_equal(stub_cli_run(s, NULL, &o, "journal", "--day", "2026-12-07", "--operator", "s-1", "--limit", "5", NULL), 0);
    assert_string_equal(stub_request_at(s, 0)->path, "/dev/journal?day=2026-12-07&operator=s-1&limit=5");
    assert_non_null(strstr(o.out, "order.created"));
    assert_non_null(strstr(o.out, "window-2"));
    assert_non_null(strstr(o.out, "1,234.50 EUR"));
    assert_non_null(strstr(o.out, "o-1  cash"));
    assert_non_null(strstr(o.out, "1 entry\n"));
    assert_non_null(strstr(o.out, "More: add --cursor next1"));
    /* no day, concert or shift: today's (UTC) */
    stub_push(s, 200, "{\"entries\":[]}");
    assert_int_equal(stub_cli_run(s, NULL, &o, "journal", NULL), 0);
    assert_non_null(strstr(stub_request_at(s, 1)->path, "/dev/journal?day=20"));
    assert_non_null(strstr(o.out, "0 entries"));
    stub_cli_free(&o);
    stub_stop(s);
}

static void journal_json_reads_every_page(void **state)
{
    (void)state;
    http_stub *s = stub_start();
    stub_cli_out o = {0};
    stub_push(s, 200, "{\"entries\":[" ENTRY("j-1", "shift.opened", "") "," ENTRY("j-2", "shift.drop", "") "],\"cursor\":\"c2\"}");
    stub_push(s, 200, "{\"entries\":[" ENTRY("j-3", "shift.closed", "") "],\"cursor\":null}");
    assert_int_equal(stub_cli_run(s, NULL, &o, "--json", "journal", "--shift", "sh-1", NULL), 0);
    assert_int_equal(stub_request_count(s), 2);
    assert_string_equal(stub_request_at(s, 1)->path, "/dev/journal?shift=sh-1&cursor=c2");
    cJSON *j = cJSON_Parse(o.out);
    assert_non_null(j);
    const cJSON *arr = cJSON_GetObjectItem(j, "entries");
    assert_int_equal(cJSON_GetArraySize(arr), 3);
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(arr, 2), "id")->valuestring, "j-3");
    cJSON_Delete(j);
    /* a server that answers the same cursor forever: exit 2, not a hang */
    stub_push(s, 200, "{\"entries\":[],\"cursor\":\"loop\"}");
    stub_push(s, 200, "{\"entries\":[],\"cursor\":\"loop\"}");
    assert_int_equal(stub_cli_run(s, NULL, &o, "--json", "journal", "--concert", "c-1", NULL), 2);
    assert_non_null(strstr(o.err, "same cursor"));
    /* a refusal on a later page: the server's words, nothing half-printed */
    stub_push(s, 200, "{\"entries\":[" ENTRY("j-1", "checkin", "") "],\"cursor\":\"c2\"}");
    stub_push(s, 403, "{\"error\":\"the journal needs the manager group\"}");
    assert_int_equal(stub_cli_run(s, NULL, &o, "--json", "journal", "--day", "2026-12-07", NULL), 5);
    assert_null(strstr(o.out, "j-1"));
    assert_non_null(strstr(o.err, "the journal needs the manager group"));
    stub_cli_free(&o);
    stub_stop(s);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(operators_list_prints_a_table_with_the_email_masked),
        cmocka_unit_test(operators_add_disable_enable_role_print_the_servers_answer),
        cmocka_unit_test(operators_refusals_carry_the_servers_words_and_exit_codes),
        cmocka_unit_test(usage_errors_send_nothing),
        cmocka_unit_test(journal_prints_a_page_as_a_table),
        cmocka_unit_test(journal_json_reads_every_page),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
