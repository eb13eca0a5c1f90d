/* Orders in the client's model: the request body, money with its currency (totals and change exact in
 * cents), ticket codes grouped for reading, tolerant parsing of concerts' new fields, and instants shown in
 * the venue's time zone. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "bo_money.h"
#include "api.h"
#include "client_model.h"
#include "client_time.h"

static void body_has_only_what_was_given(void **state)
{
    (void)state;
    const char *names[] = { "Zoë \"Z\"", "Bob" };
    bo_order_input in = { .concert_id = "c-1", .quantity = 2, .customer_name = "Ada", .customer_email = "",
                          .attendees = names, .n_attendees = 2, .method = BO_PAY_CASH, .tendered_cents = 10005 };
    char *b = api_order_body(&in);
    assert_string_equal(b, "{\"concertId\":\"c-1\",\"quantity\":2,\"customerName\":\"Ada\","
                           "\"attendees\":[\"Zoë \\\"Z\\\"\",\"Bob\"],\"payment\":{\"method\":\"cash\",\"tendered\":\"100.05\"}}");
    free(b);
    bo_order_input bare = { .concert_id = "c-1", .quantity = 1, .tendered_cents = -1 };
    b = api_order_body(&bare);
    assert_string_equal(b, "{\"concertId\":\"c-1\",\"quantity\":1}");
    free(b);
    bo_order_input card = { .concert_id = "c-1", .quantity = 1, .method = BO_PAY_CARD, .tendered_cents = 500 };
    b = api_order_body(&card); /* tendered goes with cash only */
    assert_string_equal(b, "{\"concertId\":\"c-1\",\"quantity\":1,\"payment\":{\"method\":\"card\"}}");
    free(b);
}

static void money_is_shown_with_its_currency(void **state)
{
    (void)state;
    char out[64];
    model_money_with_currency(19996, "EUR", out, sizeof out);
    assert_string_equal(out, "199.96 EUR");
    model_money_with_currency(123456, "", out, sizeof out);
    assert_string_equal(out, "1,234.56");
    model_money_with_currency(0, "USD", out, sizeof out);
    assert_string_equal(out, "0.00 USD");
    /* totals and change in exact cents: 4 x 49.99 = 199.96, 200.00 - 199.96 = 0.04 */
    int64_t unit, tendered;
    assert_int_equal(bo_money_parse("49.99", &unit), 0);
    assert_int_equal(bo_money_parse("200.00", &tendered), 0);
    assert_int_equal(4 * unit, 19996);
    assert_int_equal(tendered - 4 * unit, 4);
    int64_t tenth;
    assert_int_equal(bo_money_parse("0.1", &tenth), 0);
    assert_int_equal(3 * tenth, 30); /* not 0.30000000000000004 */
}

static void codes_are_grouped_by_five(void **state)
{
    (void)state;
    char out[64];
    model_code_grouped("ABCDEFGHJKMNPQRSTVWX", out, sizeof out);
    assert_string_equal(out, "ABCDE-FGHJK-MNPQR-STVWX");
    model_code_grouped("ABCDE-FGHJK-MNPQR-STVWX", out, sizeof out);
    assert_string_equal(out, "ABCDE-FGHJK-MNPQR-STVWX");
    model_code_grouped("abcde fghjk mnpqr stvwx", out, sizeof out); /* typed, as Crockford's decoding reads it */
    assert_string_equal(out, "ABCDE-FGHJK-MNPQR-STVWX");
    model_code_grouped("abc", out, sizeof out); /* not a code: as it is */
    assert_string_equal(out, "abc");
    model_code_grouped("ABCDEFGHJKMNPQRSTVWX", out, 8);
    assert_string_equal(out, "ABCDE-F");
}

static void concerts_new_fields_are_read_tolerantly(void **state)
{
    (void)state;
    bo_concert c;
    cJSON *j = cJSON_Parse("{\"id\":\"c-1\",\"name\":\"N\",\"date\":\"2026-12-12T19:00:00.000Z\",\"venue\":\"V\","
                           "\"availableTickets\":5,\"ticketPrice\":49.99,\"currency\":\"EUR\","
                           "\"timezone\":\"Europe/Berlin\",\"maxPerOrder\":4,\"capacity\":500}");
    assert_int_equal(bo_concert_from_json(j, &c), 0);
    assert_string_equal(c.currency, "EUR");
    assert_string_equal(c.timezone, "Europe/Berlin");
    assert_int_equal(c.max_per_order, 4);
    assert_int_equal(c.capacity, 500);
    assert_true(bo_concert_sellable(&c));
    bo_concert_clear(&c);
    cJSON_Delete(j);
    j = cJSON_Parse("{\"id\":\"c-2\",\"name\":\"N\",\"date\":\"2026-12-12\",\"venue\":\"V\","
                    "\"availableTickets\":5,\"ticketPrice\":1,\"currency\":\"\\u001b[2J\","
                    "\"timezone\":\"../../etc/passwd\",\"maxPerOrder\":-3}");
    assert_int_equal(bo_concert_from_json(j, &c), 0);
    assert_string_equal(c.currency, "");
    assert_string_equal(c.timezone, "");
    assert_int_equal(c.max_per_order, BO_MAX_PER_ORDER_DEFAULT);
    assert_int_equal(c.capacity, -1);
    assert_true(bo_concert_sellable(&c)); /* optional fields never make a record bad */
    bo_concert_clear(&c);
    cJSON_Delete(j);
}

static void instants_are_shown_in_the_venues_zone(void **state)
{
    (void)state;
    char out[64];
    assert_int_equal(client_time_format("2026-12-12T19:00:00.000Z", "Europe/Berlin", out, sizeof out), 0);
    assert_string_equal(out, "Sat 12 Dec 2026 20:00 CET");
    assert_int_equal(client_time_format("2026-07-04T23:30:00Z", "America/New_York", out, sizeof out), 0);
    assert_string_equal(out, "Sat 04 Jul 2026 19:30 EDT");
    assert_int_equal(client_time_format("2026-12-12T19:00:00+01:00", "Europe/London", out, sizeof out), 0);
    assert_string_equal(out, "Sat 12 Dec 2026 18:00 GMT");
    /* a day without a time stays that day */
    assert_int_equal(client_time_format("2026-12-12", "Pacific/Auckland", out, sizeof out), 0);
    assert_string_equal(out, "Sat 12 Dec 2026");
    /* an unknown zone: the operator's local zone (TZ), never a crash */
    setenv("TZ", "UTC", 1);
    assert_int_equal(client_time_format("2026-12-12T19:00:00Z", "Mars/Olympus", out, sizeof out), 0);
    assert_string_equal(out, "Sat 12 Dec 2026 19:00 UTC");
    assert_string_equal(getenv("TZ"), "UTC"); /* put back */
    assert_int_equal(client_time_format("2026-12-12T19:00:00Z", "Asia/Tokyo", out, sizeof out), 0);
    assert_string_equal(out, "Sun 13 Dec 2026 04:00 JST");
    assert_string_equal(getenv("TZ"), "UTC");
    assert_int_equal(client_time_format("next friday", "Europe/Berlin", out, sizeof out), -1);
    assert_string_equal(out, "next friday");
}

static void order_answers_with_inexact_money_or_bad_codes_are_refused(void **state)
{
    (void)state;
    bo_order o;
    static const char *bad[] = {
        "{\"id\":\"o\",\"total\":\"1.005\",\"tickets\":[]}",
        "{\"id\":\"o\",\"tickets\":[]}",
        "{\"id\":\"o\",\"total\":\"1.00\",\"tickets\":[{\"id\":\"t\"}]}",
        "{\"id\":\"o\",\"total\":\"1.00\",\"tickets\":[{\"id\":\"t\",\"code\":\"\"}]}",
        "{\"id\":\"o\",\"total\":\"1.00\",\"tickets\":[{\"id\":\"t\",\"code\":\"AB CD\"}]}",
        "{\"id\":\"o\",\"total\":\"1.00\",\"tickets\":[{\"id\":\"t\",\"code\":\"ABC\"}]}",
        "{\"id\":\"o\",\"total\":\"1.00\",\"tickets\":[{\"id\":\"t\",\"code\":\"ABCDE-FGHJK-MNPQR-STVWU\"}]}",
        "{\"total\":\"1.00\",\"tickets\":[]}",
        "[]",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        cJSON *j = cJSON_Parse(bad[i]);
        assert_int_equal(bo_order_from_json(j, &o), -1);
        assert_int_equal(o.n_tickets, 0);
        cJSON_Delete(j);
    }
    cJSON *j = cJSON_Parse("{\"id\":\"o\",\"total\":\"1.00\",\"customerName\":\"\\u001b]0;x\\u0007Ada\","
                           "\"tickets\":[{\"id\":\"t\",\"code\":\"ABCDE-FGHJK-MNPQR-STVWX\",\"attendee\":\"A\\u202eB\"}]}");
    assert_int_equal(bo_order_from_json(j, &o), 0);
    assert_null(strchr(o.customer_name, '\x1b')); /* sanitised before the terminal */
    assert_null(strstr(o.tickets[0].attendee, "\xe2\x80\xae"));
    /* ... and kept exactly beside it, for --json */
    assert_string_equal(model_json_text(o.json, "customerName", NULL), "\x1b]0;x\aAda");
    assert_string_equal(model_json_text(o.tickets[0].json, "attendee", NULL), "A\xe2\x80\xae" "B");
    assert_string_equal(model_json_text(o.json, "absent", "fallback"), "fallback");
    assert_string_equal(model_json_text(NULL, "customerName", "fallback"), "fallback");
    bo_order_clear(&o);
    assert_null(o.json);
    cJSON_Delete(j);
}

/* A concert keeps the API's texts exactly beside its cleaned copies, whole, also in a copy. */
static void concert_texts_are_kept_exactly(void **state)
{
    (void)state;
    cJSON *j = cJSON_Parse("{\"id\":\"c\",\"name\":\"tab\\there\\rCR\\nLF\",\"date\":\"2027-01-09\\u001b[5m\","
                           "\"venue\":\"\\u202eDLROW OLLEH\\u202c bidi\",\"availableTickets\":5,\"ticketPrice\":10}");
    bo_concert c, copy;
    assert_int_equal(bo_concert_from_json(j, &c), 0);
    cJSON_Delete(j);
    assert_null(strchr(c.name, '\t'));
    assert_string_equal(model_json_text(c.json, "name", NULL), "tab\there\rCR\nLF");
    assert_string_equal(model_json_text(c.json, "date", NULL), "2027-01-09\x1b[5m");
    assert_string_equal(model_json_text(c.json, "venue", NULL), "\xe2\x80\xae" "DLROW OLLEH\xe2\x80\xac bidi");
    assert_int_equal(bo_concert_copy(&copy, &c), 0);
    bo_concert_clear(&c);
    assert_string_equal(model_json_text(copy.json, "venue", NULL), "\xe2\x80\xae" "DLROW OLLEH\xe2\x80\xac bidi");
    bo_concert_clear(&copy);
    assert_null(copy.json);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(body_has_only_what_was_given),
        cmocka_unit_test(money_is_shown_with_its_currency),
        cmocka_unit_test(codes_are_grouped_by_five),
        cmocka_unit_test(concerts_new_fields_are_read_tolerantly),
        cmocka_unit_test(instants_are_shown_in_the_venues_zone),
        cmocka_unit_test(order_answers_with_inexact_money_or_bad_codes_are_refused),
        cmocka_unit_test(concert_texts_are_kept_exactly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
