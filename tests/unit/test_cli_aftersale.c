/* boxoffice find / refund against an in-test HTTP server (tests/support/http_stub.c): what is sent for each
 * form of find, the table and --json, a ticket by its code, the refund's body and key, the command that
 * checks an unconfirmed refund (exit 7), a 409 naming each ticket's state (exit 2), and the usage errors
 * that send nothing (exit 1). */
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
#include "stub_fixture.h"

#define CONCERT "{\"id\":\"c-1\",\"name\":\"Gala\",\"date\":\"2026-12-12T19:00:00.000Z\",\"venue\":\"Hall\"," \
    "\"availableTickets\":12,\"ticketPrice\":25,\"currency\":\"EUR\",\"timezone\":\"Europe/Berlin\"}"
#define SUMMARY "{\"id\":\"o-1\",\"concertId\":\"c-1\",\"quantity\":3,\"unitPrice\":\"25.00\",\"total\":\"75.00\"," \
    "\"currency\":\"EUR\",\"payment\":{\"method\":\"card\"},\"createdAt\":\"2026-11-29T10:00:00.000Z\"," \
    "\"soldBy\":\"k\",\"customerName\":\"Zo\u00eb Adams\",\"customerEmail\":\"zoe@example.org\",\"admitted\":1}"
#define ORDER "{\"id\":\"o-1\",\"concertId\":\"c-1\",\"quantity\":2,\"unitPrice\":\"25.00\",\"total\":\"50.00\"," \
    "\"currency\":\"EUR\",\"payment\":{\"method\":\"card\"},\"createdAt\":\"2026-11-29T10:00:00.000Z\",\"soldBy\":\"k\"," \
    "\"refunds\":[{\"id\":\"r-1\",\"amount\":\"25.00\",\"method\":\"card\",\"reason\":\"ill\",\"by\":\"k\"," \
    "\"at\":\"2026-11-29T11:00:00.000Z\",\"ticketIds\":[\"t-2\"]}],\"tickets\":[" \
    "{\"id\":\"t-1\",\"code\":\"ABCDEFGHJKMNPQRSTVWX\",\"status\":\"checkedIn\",\"checkedInAt\":\"2026-12-12T19:14:03.000Z\",\"door\":\"2\"}," \
    "{\"id\":\"t-2\",\"code\":\"0123456789ABCDEFGHJK\",\"status\":\"refunded\",\"refundedAt\":\"2026-11-29T11:00:00.000Z\"}]}"

static void find_by_email_prints_a_table_and_the_next_cursor(void **state)
{
    (void)state;
    http_stub *s = stub_start();
    stub_cli_out o = {0};
    stub_push(s, 200, "{\"orders\":[" SUMMARY "],\"cursor\":\"abc\"}");
    assert_int_equal(stub_cli_run(s, "k", &o, "find", "--email", "zoe@example.org", "--concert", "c-1", "--limit", "5", NULL), 0);
    assert_string_equal(stub_request_at(s, 0)->path, "/dev/orders?email=zoe%40example.org&concertId=c-1&limit=5");
    assert_non_null(strstr(o.out, "o-1"));
    assert_non_null(strstr(o.out, "Zo\u00eb Adams"));
    assert_non_null(strstr(o.out, "zoe@example.org"));
    assert_non_null(strstr(o.out, "75.00 EUR"));
    assert_non_null(strstr(o.out, "1 admitted"));
    assert_non_null(strstr(o.out, "1 order\n"));
    assert_non_null(strstr(o.out, "--cursor abc"));
    stub_cli_free(&o);
    stub_stop(s);
}

static void find_json_is_the_apis_shape_without_tickets(void **state)
{
    (void)state;
    http_stub *s = stub_start();
    stub_cli_out o = {0};
    stub_push(s, 200, "{\"orders\":[" SUMMARY "]}");
    assert_int_equal(stub_cli_run(s, "k", &o, "--json", "find", "--name", "zo\u00eb", NULL), 0);
    cJSON *j = cJSON_Parse(o.out);
    assert_non_null(j);
    const cJSON *first = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "orders"), 0);
    assert_string_equal(cJSON_GetObjectItem(first, "id")->valuestring, "o-1");
    assert_string_equal(cJSON_GetObjectItem(first, "total")->valuestring, "75.00");
    assert_null(cJSON_GetObjectItem(first, "tickets"));
    assert_null(cJSON_GetObjectItem(j, "cursor"));
    cJSON_Delete(j);
    stub_cli_free(&o);
    stub_stop(s);
}

static void find_by_code_shows_the_ticket_and_its_order(void **state)
{
    (void)state;
    http_stub *s = stub_start();
    stub_cli_out o = {0};
    stub_push(s, 200, "{\"ticket\":{\"id\":\"t-1\",\"code\":\"ABCDE-FGHJK-MNPQR-STVWX\",\"orderId\":\"o-1\","
                      "\"concertId\":\"c-1\",\"status\":\"checkedIn\",\"checkedInAt\":\"2026-12-12T19:14:03.000Z\","
                      "\"door\":\"2\"},\"order\":" SUMMARY ",\"concert\":" CONCERT "}");
    stub_push(s, 200, CONCERT);
    assert_int_equal(stub_cli_run(s, "k", &o, "find", "--code", "abcdefghjkmnpqrstvwx", NULL), 0);
    assert_string_equal(stub_request_at(s, 0)->path, "/dev/tickets/by-code/ABCDE-FGHJK-MNPQR-STVWX");
    assert_non_null(strstr(o.out, "ABCDE-FGHJK-MNPQR-STVWX"));
    assert_non_null(strstr(o.out, "checkedIn at 2026-12-12T19:14:03.000Z door 2"));
    assert_non_null(strstr(o.out, "Order:       o-1"));
    stub_cli_free(&o);
    stub_push(s, 404, "{\"error\":\"Unknown code\"}");
    assert_int_equal(stub_cli_run(s, "k", &o, "find", "--code", "ABCDEFGHJKMNPQRSTVW0", NULL), 4);
    assert_non_null(strstr(o.err, "Unknown code"));
    stub_cli_free(&o);
    /* letters only: a name no ticket has as its code is searched as a name */
    stub_push(s, 404, "{\"error\":\"Unknown code\"}");
    stub_push(s, 200, "{\"orders\":[" SUMMARY "]}");
    assert_int_equal(stub_cli_run(s, "k", &o, "find", "--code", "Maximilian Rothenberg", NULL), 0);
    assert_non_null(strstr(stub_request_at(s, 4)->path, "/dev/orders?name=Maximilian%20Rothenberg"));
    assert_non_null(strstr(o.out, "o-1"));
    assert_non_null(strstr(o.err, "reads as a name"));
    stub_cli_free(&o);
    stub_stop(s);
}

static void refund_sends_ids_reason_method_and_key_and_prints_the_states(void **state)
{
    (void)state;
    http_stub *s = stub_start();
    stub_cli_out o = {0};
    char key[64];
    setenv("TZ", "UTC", 1);
    stub_push(s, 200, ORDER);
    stub_push(s, 200, CONCERT);
    assert_int_equal(stub_cli_run(s, "k", &o, "refund", "o-1", "--tickets", "t-2", "--reason", "ill", "--method", "card",
                                       "--idempotency-key", "rk-1", NULL), 0);
    const stub_request *r = stub_request_at(s, 0);
    assert_string_equal(r->path, "/dev/orders/o-1/refund");
    assert_string_equal(r->body, "{\"ticketIds\":[\"t-2\"],\"reason\":\"ill\",\"method\":\"card\"}");
    assert_true(stub_header(r, "Idempotency-Key", key, sizeof key));
    assert_string_equal(key, "rk-1");
    assert_non_null(strstr(o.out, "refunded"));
    assert_non_null(strstr(o.out, "checkedIn at 20:14:03 CET door 2")); /* the venue's zone */
    assert_non_null(strstr(o.out, "Refunded:    25.00 EUR (1 refund)"));
    stub_cli_free(&o);
    stub_stop(s);
}

static void an_unconfirmed_refund_exits_7_with_the_command_that_checks_it(void **state)
{
    (void)state;
    http_stub *s = stub_start();
    stub_cli_out o = {0};
    char k1[64], k2[64];
    /* no --method: the order's own way back, maybe cash: the caller's open shift is asked for first (none here) */
    stub_push(s, 404, "{\"error\":\"no open shift\"}");
    stub_push(s, 503, "{\"error\":\"Service unavailable\"}");
    stub_push(s, 503, "{\"error\":\"Service unavailable\"}");
    assert_int_equal(stub_cli_run(s, "k", &o, "refund", "o-1", "--reason", "it's cancelled", NULL), 7);
    assert_non_null(strstr(stub_request_at(s, 0)->path, "/shifts/current"));
    assert_true(stub_header(stub_request_at(s, 1), "Idempotency-Key", k1, sizeof k1));
    assert_true(stub_header(stub_request_at(s, 2), "Idempotency-Key", k2, sizeof k2));
    assert_string_equal(k1, k2);
    assert_non_null(strstr(o.err, "refund NOT CONFIRMED"));
    char want[256];
    snprintf(want, sizeof want, "refund o-1 --reason 'it'\\''s cancelled' --idempotency-key %s", k1);
    assert_non_null(strstr(o.err, want));
    stub_cli_free(&o);
    stub_stop(s);
}

static void a_refused_refund_exits_2_naming_each_tickets_state(void **state)
{
    (void)state;
    http_stub *s = stub_start();
    stub_cli_out o = {0};
    stub_push(s, 404, "{\"error\":\"no open shift\"}"); /* the shift lookup (no --method: maybe cash) */
    stub_push(s, 409, "{\"error\":\"Only valid tickets can be refunded\",\"tickets\":[{\"id\":\"t-1\",\"status\":\"checkedIn\"}]}");
    assert_int_equal(stub_cli_run(s, "k", &o, "refund", "o-1", "--tickets", "t-1,t-2", "--reason", "x", NULL), 2);
    assert_int_equal(stub_request_count(s), 2);
    assert_non_null(strstr(o.err, "Only valid tickets can be refunded (HTTP 409)"));
    assert_non_null(strstr(o.err, "ticket t-1: checkedIn"));
    stub_cli_free(&o);
    stub_push(s, 404, "{\"error\":\"no open shift\"}");
    stub_push(s, 409, "{\"error\":\"Only valid tickets can be refunded\",\"tickets\":[{\"id\":\"t-1\",\"status\":\"refunded\"}]}");
    assert_int_equal(stub_cli_run(s, "k", &o, "--json", "refund", "o-1", "--reason", "x", NULL), 2);
    cJSON *j = cJSON_Parse(o.out);
    assert_non_null(j);
    assert_int_equal(cJSON_GetObjectItem(j, "exitCode")->valueint, 2);
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(j, "tickets"), 0), "status")->valuestring,
                        "refunded");
    cJSON_Delete(j);
    stub_cli_free(&o);
    stub_push(s, 404, "{\"error\":\"no open shift\"}");
    stub_push(s, 404, "{\"error\":\"Order not found\"}");
    assert_int_equal(stub_cli_run(s, "k", &o, "refund", "o-9", "--reason", "x", NULL), 4);
    stub_cli_free(&o);
    stub_stop(s);
}

static void usage_errors_send_nothing(void **state)
{
    (void)state;
    http_stub *s = stub_start();
    stub_cli_out o = {0};
    static const char *const cases[][8] = {
        { "find", NULL },
        { "find", "--email", "a@b", "--name", "ab", NULL },
        { "find", "--code", "ABCDEFGHJKMNPQRSTVWX", "--limit", "3", NULL },
        { "find", "--name", "ab", "--limit", "51", NULL },
        { "find", "--code", "not-a-code", NULL },
        { "refund", "o-1", NULL },
        { "refund", "--reason", "x", NULL },
        { "refund", "o-1", "--reason", "x", "--method", "cheque", NULL },
        { "refund", "o-1", "--reason", "   ", NULL },
        { "refund", "o-1", "--reason", "x", "--tickets", ",", NULL },
        { "refund", "o-1", "--reason", "x", "--quantity", "2", NULL },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int rc = stub_cli_runv(s, "k", &o, cases[i]);
        if (rc != 1)
            fail_msg("case %zu: exit %d, not 1 (%s)", i, rc, o.err);
        stub_cli_free(&o);
    }
    assert_int_equal(stub_request_count(s), 0);
    stub_stop(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(find_by_email_prints_a_table_and_the_next_cursor),
        cmocka_unit_test(find_json_is_the_apis_shape_without_tickets),
        cmocka_unit_test(find_by_code_shows_the_ticket_and_its_order),
        cmocka_unit_test(refund_sends_ids_reason_method_and_key_and_prints_the_states),
        cmocka_unit_test(an_unconfirmed_refund_exits_7_with_the_command_that_checks_it),
        cmocka_unit_test(a_refused_refund_exits_2_naming_each_tickets_state),
        cmocka_unit_test(usage_errors_send_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
