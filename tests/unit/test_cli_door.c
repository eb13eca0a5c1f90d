/* The door's command line: parsing of --door / --door-name / checkin / stats, and checkin's and stats'
 * output and exit codes against the scripted HTTP stub (admitted 0, refused 8, cannot verify 6 with the
 * command that retries the same nonce). */
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

#include "api_door.h"
#include "cli.h"
#include "http_stub.h"
#include "stub_fixture.h"

#define CODE "ABCDE-FGHJK-MNPQR-STVWX"
#define ADMITTED "{\"result\":\"admitted\",\"ticket\":{\"id\":\"t-1\",\"code\":\"" CODE "\",\"orderId\":\"o-1\"," \
    "\"concertId\":\"c-1\",\"attendee\":\"Ada\",\"status\":\"checkedIn\",\"checkedInAt\":\"2026-12-12T19:14:03Z\"}," \
    "\"order\":{\"id\":\"o-1\",\"quantity\":4,\"admittedSoFar\":2}}"

static void door_mode_and_its_door_name(void **state)
{
    (void)state;
    cli_args a;
    char e[512] = "";
    assert_int_equal(stub_cli_parse(&a, e, sizeof e, "--door", "c-1", "--door-name", "Gate 2", "--kiosk-pin", "1234", NULL), 0);
    assert_int_equal(a.cmd, CLI_CMD_UI);
    assert_string_equal(a.door, "c-1");
    assert_string_equal(a.door_name, "Gate 2");
    /* without --door: the name door mode takes when opened from a concert (d) */
    assert_int_equal(stub_cli_parse(&a, e, sizeof e, "--door-name", "Gate 2", NULL), 0);
    assert_int_equal(a.cmd, CLI_CMD_UI);
    assert_null(a.door);
    assert_string_equal(a.door_name, "Gate 2");
    assert_int_equal(stub_cli_parse(&a, e, sizeof e, "--door", "", NULL), CLI_EXIT_USAGE);
    assert_int_equal(stub_cli_parse(&a, e, sizeof e, "--door", "c-1", "--door-name", "x\x1b[2J", NULL), CLI_EXIT_USAGE);
    assert_int_equal(stub_cli_parse(&a, e, sizeof e, "list", "--door", "c-1", NULL), CLI_EXIT_USAGE);
}

/* Door names the API refuses are refused before anything is sent, by the API's own rule (bo_valid_door):
 * spaces only, a bidi override, an invisible character, 65 characters; in door mode and at checkin. */
static void door_names_the_api_refuses_are_refused_first(void **state)
{
    (void)state;
    cli_args a;
    char e[512] = "";
    const char *bad[] = { "   ", "\xE2\x80\xAE" "etag", "\xE2\x80\x8B", "",
                          "12345678901234567890123456789012345678901234567890123456789012345" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(stub_cli_parse(&a, e, sizeof e, "--door", "c-1", "--door-name", bad[i], NULL), CLI_EXIT_USAGE);
        assert_non_null(strstr(e, "door must be a name of 1 to 64 characters"));
        assert_int_equal(stub_cli_parse(&a, e, sizeof e, "--door-name", bad[i], NULL), CLI_EXIT_USAGE);
        assert_int_equal(stub_cli_parse(&a, e, sizeof e, "checkin", "c-1", CODE, "--door", bad[i], NULL), CLI_EXIT_USAGE);
        assert_non_null(strstr(e, "door must be a name of 1 to 64 characters"));
    }
    /* and the client library sends nothing with such a name */
    http_stub *s = stub_start();
    api_config cfg = { .base_url = stub_base_url(s), .auth = stub_token_auth("k"), .purchase_attempts = 1 };
    api_client *c = api_client_new(&cfg);
    assert_non_null(c);
    api_checkin_verdict v;
    api_result res;
    assert_int_equal(api_checkin(c, "c-1", CODE, "n-1", "  ", 1, &v, &res), API_ERR_INVALID);
    assert_int_equal(api_checkin(c, "c-1", CODE, "n-1", "\xE2\x80\xAE" "x", 1, &v, &res), API_ERR_INVALID);
    assert_non_null(strstr(res.message, "door must be"));
    assert_int_equal(stub_request_count(s), 0);
    api_client_free(c);
    stub_stop(s);
}

static void checkin_and_stats_parse(void **state)
{
    (void)state;
    cli_args a;
    char e[512] = "";
    assert_int_equal(stub_cli_parse(&a, e, sizeof e, "checkin", "c-1", CODE, "--door", "North", "--json", NULL), 0);
    assert_int_equal(a.cmd, CLI_CMD_CHECKIN);
    assert_string_equal(a.id, "c-1");
    assert_string_equal(a.code, CODE);
    assert_string_equal(a.door, "North");
    assert_true(a.json);
    assert_null(a.nonce);
    assert_int_equal(stub_cli_parse(&a, e, sizeof e, "checkin", "c-1", CODE, "--door-name", "South", "--nonce", "n-1", NULL), 0);
    assert_string_equal(a.door, "South");
    assert_string_equal(a.nonce, "n-1");
    assert_int_equal(stub_cli_parse(&a, e, sizeof e, "checkin", "c-1", NULL), CLI_EXIT_USAGE);
    assert_non_null(strstr(e, "a ticket code is required"));
    assert_int_equal(stub_cli_parse(&a, e, sizeof e, "checkin", "c-1", CODE, "extra", NULL), CLI_EXIT_USAGE);
    assert_int_equal(stub_cli_parse(&a, e, sizeof e, "checkin", "c-1", CODE, "--nonce", "has space", NULL), CLI_EXIT_USAGE);
    assert_int_equal(stub_cli_parse(&a, e, sizeof e, "stats", "c-1", "--nonce", "n", NULL), CLI_EXIT_USAGE);
    assert_int_equal(stub_cli_parse(&a, e, sizeof e, "stats", "c-1", "--json", NULL), 0);
    assert_int_equal(a.cmd, CLI_CMD_STATS);
    assert_string_equal(a.id, "c-1");
    assert_int_equal(stub_cli_parse(&a, e, sizeof e, "stats", NULL), CLI_EXIT_USAGE);
}

static void checkin_admitted_exits_0(void **state)
{
    (void)state;
    http_stub *s = stub_start();
    stub_cli_out o = {0};
    stub_push(s, 200, ADMITTED);
    stub_cli_run(s, "k", &o, "checkin", "c-1", CODE, "--door", "North", NULL);
    assert_int_equal(o.rc, CLI_EXIT_OK);
    assert_non_null(strstr(o.out, "ADMIT"));
    assert_non_null(strstr(o.out, "Ada"));
    assert_non_null(strstr(o.out, "ticket 2 of 4"));
    stub_push(s, 200, ADMITTED);
    stub_cli_run(s, "k", &o, "checkin", "c-1", CODE, "--json", NULL);
    cJSON *j = cJSON_Parse(o.out);
    assert_non_null(j);
    assert_string_equal(cJSON_GetObjectItem(j, "result")->valuestring, "admitted");
    assert_int_equal(cJSON_GetObjectItem(j, "admittedSoFar")->valueint, 2);
    assert_int_equal(cJSON_GetObjectItem(j, "exitCode")->valueint, 0);
    cJSON_Delete(j);
    stub_cli_free(&o);
    stub_stop(s);
}

static void checkin_refusals_exit_8(void **state)
{
    (void)state;
    http_stub *s = stub_start();
    stub_cli_out o = {0};
    stub_push(s, 409, "{\"error\":\"x\",\"result\":\"already_admitted\",\"at\":\"2026-12-12T19:14:03Z\",\"door\":\"2\","
                      "\"ticket\":{\"id\":\"t-1\",\"code\":\"" CODE "\",\"orderId\":\"o-1\",\"concertId\":\"c-1\",\"status\":\"checkedIn\"}}");
    stub_push(s, 200, "{\"id\":\"c-1\",\"name\":\"N\",\"date\":\"2026-12-12T20:00:00Z\",\"venue\":\"V\",\"availableTickets\":1,"
                      "\"ticketPrice\":1,\"timezone\":\"Europe/Berlin\"}");
    stub_cli_run(s, "k", &o, "checkin", "c-1", CODE, NULL);
    assert_int_equal(o.rc, CLI_EXIT_REFUSED);
    assert_non_null(strstr(o.out, "already admitted at 20:14:03 Europe/Berlin")); /* the venue's time */
    assert_non_null(strstr(o.out, "door 2"));
    stub_push(s, 409, "{\"error\":\"x\",\"result\":\"refunded\",\"ticket\":{\"id\":\"t-1\",\"code\":\"" CODE "\","
                      "\"orderId\":\"o-1\",\"concertId\":\"c-1\",\"status\":\"refunded\"}}");
    stub_cli_run(s, "k", &o, "checkin", "c-1", CODE, NULL);
    assert_int_equal(o.rc, CLI_EXIT_REFUSED);
    assert_non_null(strstr(o.out, "refunded"));
    stub_push(s, 404, "{\"error\":\"Unknown code\",\"result\":\"unknown_code\"}");
    stub_cli_run(s, "k", &o, "checkin", "c-1", CODE, "--json", NULL);
    assert_int_equal(o.rc, CLI_EXIT_REFUSED);
    assert_non_null(strstr(o.out, "\"unknown_code\""));
    stub_cli_free(&o);
    stub_stop(s);
}

static void checkin_cannot_verify_exits_6_with_the_same_nonce_to_retry(void **state)
{
    (void)state;
    http_stub *s = stub_start();
    stub_cli_out o = {0};
    stub_push(s, 503, "{\"error\":\"down\"}");
    stub_push(s, 503, "{\"error\":\"down\"}");
    stub_cli_run(s, "k", &o, "checkin", "c-1", CODE, "--nonce", "scan-77", NULL);
    assert_int_equal(o.rc, CLI_EXIT_UNAVAILABLE);
    assert_null(strstr(o.out, "ADMIT"));
    assert_non_null(strstr(o.err, "CANNOT VERIFY"));
    assert_non_null(strstr(o.err, "--nonce scan-77"));
    assert_null(strstr(o.err, CODE)); /* a code is a secret: not echoed */
    assert_int_equal(stub_request_count(s), 2);
    for (size_t i = 0; i < 2; i++)
        assert_non_null(strstr(stub_request_at(s, i)->body, "\"nonce\":\"scan-77\""));
    stub_cli_free(&o);
    stub_stop(s);
}

static void stats_text_and_json(void **state)
{
    (void)state;
    http_stub *s = stub_start();
    stub_cli_out o = {0};
    const char *body = "{\"concertId\":\"c-1\",\"capacity\":100,\"sold\":40,\"refunded\":2,\"admitted\":12,\"available\":62,"
                       "\"revenue\":{\"card\":\"600.00\",\"cash\":\"100.00\",\"comp\":\"20.00\"},\"currency\":\"EUR\"}";
    stub_push(s, 200, body);
    stub_cli_run(s, "k", &o, "stats", "c-1", NULL);
    assert_int_equal(o.rc, 0);
    assert_non_null(strstr(o.out, "Admitted   12 of 38 valid"));
    assert_non_null(strstr(o.out, "card 600.00"));
    stub_push(s, 200, body);
    stub_cli_run(s, "k", &o, "stats", "c-1", "--json", NULL);
    cJSON *j = cJSON_Parse(o.out), *want = cJSON_Parse(body);
    assert_non_null(j);
    assert_true(cJSON_Compare(j, want, true));
    cJSON_Delete(j);
    cJSON_Delete(want);
    stub_push(s, 404, "{\"error\":\"Concert not found\"}");
    stub_cli_run(s, "k", &o, "stats", "nope", NULL);
    assert_int_equal(o.rc, CLI_EXIT_NOT_FOUND);
    assert_non_null(strstr(o.err, "Concert not found"));
    stub_cli_free(&o);
    stub_stop(s);
}

static void checkin_undo_parses_like_order_show(void **state)
{
    (void)state;
    cli_args a;
    char e[512] = "";
    assert_int_equal(stub_cli_parse(&a, e, sizeof e, "checkin", "undo", "t-1", "--json", NULL), 0);
    assert_int_equal(a.cmd, CLI_CMD_CHECKIN_UNDO);
    assert_string_equal(a.id, "t-1");
    assert_true(a.json);
    assert_int_equal(stub_cli_parse(&a, e, sizeof e, "checkin", "undo", NULL), CLI_EXIT_USAGE);
    assert_non_null(strstr(e, "a ticket ID is required"));
    assert_int_equal(stub_cli_parse(&a, e, sizeof e, "checkin", "undo", "t-1", "extra", NULL), CLI_EXIT_USAGE);
    assert_int_equal(stub_cli_parse(&a, e, sizeof e, "checkin", "undo", "t-1", "--nonce", "n", NULL), CLI_EXIT_USAGE);
    assert_non_null(strstr(e, "do not apply"));
    assert_int_equal(stub_cli_parse(&a, e, sizeof e, "checkin", "undo", "t-1", "--door", "North", NULL), CLI_EXIT_USAGE);
}

#define UNDO_TICKET(status) "{\"id\":\"t-1\",\"code\":\"" CODE "\",\"orderId\":\"o-1\",\"concertId\":\"c-1\"," \
    "\"attendee\":\"Ada\",\"status\":\"" status "\"}"

static void checkin_undo_exit_codes(void **state)
{
    (void)state;
    http_stub *s = stub_start();
    stub_cli_out o = {0};
    stub_push(s, 200, "{\"result\":\"undone\",\"ticket\":" UNDO_TICKET("valid") "}");
    stub_cli_run(s, "k", &o, "checkin", "undo", "t-1", NULL);
    assert_int_equal(o.rc, CLI_EXIT_OK);
    assert_non_null(strstr(o.out, "UNDONE  ticket t-1 (Ada) is valid again (order o-1)"));
    assert_string_equal(stub_request_at(s, 0)->path, "/dev/checkins/t-1/undo");
    stub_push(s, 409, "{\"result\":\"not_checked_in\",\"error\":\"Ticket is not checked in\",\"ticket\":"
                      UNDO_TICKET("refunded") "}");
    stub_cli_run(s, "k", &o, "checkin", "undo", "t-1", NULL);
    assert_int_equal(o.rc, CLI_EXIT_REFUSED);
    assert_non_null(strstr(o.err, "not checked in: it is refunded"));
    stub_push(s, 409, "{\"result\":\"not_checked_in\",\"error\":\"Ticket is not checked in\",\"ticket\":"
                      UNDO_TICKET("valid") "}");
    stub_cli_run(s, "k", &o, "checkin", "undo", "t-1", "--json", NULL);
    assert_int_equal(o.rc, CLI_EXIT_REFUSED);
    cJSON *j = cJSON_Parse(o.out);
    assert_non_null(j);
    assert_string_equal(cJSON_GetObjectItem(j, "result")->valuestring, "not_checked_in");
    assert_string_equal(cJSON_GetObjectItem(j, "ticketStatus")->valuestring, "valid");
    assert_int_equal(cJSON_GetObjectItem(j, "status")->valueint, 409);
    assert_int_equal(cJSON_GetObjectItem(j, "exitCode")->valueint, CLI_EXIT_REFUSED);
    cJSON_Delete(j);
    stub_push(s, 404, "{\"error\":\"Ticket not found\"}");
    stub_cli_run(s, "k", &o, "checkin", "undo", "nope", NULL);
    assert_int_equal(o.rc, CLI_EXIT_NOT_FOUND);
    assert_non_null(strstr(o.err, "No such ticket"));
    stub_push(s, 403, "{\"message\":\"Forbidden\"}");
    stub_cli_run(s, "k", &o, "checkin", "undo", "t-1", NULL);
    assert_int_equal(o.rc, CLI_EXIT_FORBIDDEN);
    stub_push(s, 503, "{\"error\":\"down\"}");
    stub_cli_run(s, "k", &o, "checkin", "undo", "t-1", NULL);
    assert_int_equal(o.rc, CLI_EXIT_UNCONFIRMED); /* it may have been made: not sent twice */
    assert_non_null(strstr(o.err, "NOT CONFIRMED"));
    assert_int_equal(stub_request_count(s), 6);
    stub_cli_free(&o);
    stub_stop(s);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(door_mode_and_its_door_name),
        cmocka_unit_test(door_names_the_api_refuses_are_refused_first),
        cmocka_unit_test(checkin_and_stats_parse),
        cmocka_unit_test(checkin_admitted_exits_0),
        cmocka_unit_test(checkin_refusals_exit_8),
        cmocka_unit_test(checkin_cannot_verify_exits_6_with_the_same_nonce_to_retry),
        cmocka_unit_test(stats_text_and_json),
        cmocka_unit_test(checkin_undo_parses_like_order_show),
        cmocka_unit_test(checkin_undo_exit_codes),
    };
    int rc = cmocka_run_group_tests(tests, NULL, stub_auth_teardown);
    curl_global_cleanup();
    return rc;
}
