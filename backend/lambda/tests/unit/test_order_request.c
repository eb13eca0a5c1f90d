/* createOrder's request validation without a store (st == NULL: valid input answers 503): who is an
 * operator (only the Cognito claims in requestContext.authorizer, never an API key), the kiosk's card-only rule, required fields for
 * public orders, payment methods, tendered, quantity, attendees, Idempotency-Key; getOrder's id;
 * createConcert's new fields. */
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

/* Runs fn on an event with body; key_id fills requestContext.identity.apiKeyId; header adds x-api-key. */
static int run(handler_fn fn, const char *body, const char *key_id, const char *api_key_header, char *text, size_t size)
{
    return handler_call(fn, &(handler_req){ .body = body, .sub = key_id, .groups = key_id ? "manager" : NULL, .api_key_header = api_key_header }, text, size);
}

static void expect(const char *body, const char *key_id, int status, const char *error)
{
    char text[512];
    int got = run(handler_create_order, body, key_id, NULL, text, sizeof text);
    if (got != status)
        fail_msg("%s (apiKeyId %s): status %d, expected %d: %s", body, key_id ? key_id : "-", got, status, text);
    if (error) {
        char want[400];
        snprintf(want, sizeof want, "{\"error\":\"%s\"}", error);
        if (strcmp(text, want) != 0)
            fail_msg("%s: %s, expected %s", body, text, want);
    }
}

#define C "\"concertId\":\"c1\""
#define WHO "\"customerName\":\"Ann\",\"customerEmail\":\"ann@example.com\""

static void public_orders_need_a_customer_and_card(void **state)
{
    (void)state;
    expect("{" C ",\"quantity\":2," WHO "}", NULL, 503, NULL); /* valid: reaches the (missing) store */
    expect("{" C ",\"quantity\":2," WHO ",\"payment\":{\"method\":\"card\"}}", NULL, 503, NULL);
    expect("{" C ",\"quantity\":2}", NULL, 400, "customerName is required");
    expect("{" C ",\"quantity\":2,\"customerName\":\"Ann\"}", NULL, 400, "customerEmail is required");
    expect("{" C ",\"quantity\":1," WHO ",\"payment\":{\"method\":\"comp\"}}", NULL, 403,
           "Payment method comp needs a signed-in operator (POST /box-office/orders)");
    expect("{" C ",\"quantity\":1," WHO ",\"payment\":{\"method\":\"cash\",\"tendered\":\"50\"}}", NULL, 403,
           "Payment method cash needs a signed-in operator (POST /box-office/orders)");
}

static void the_api_key_header_alone_makes_no_operator(void **state)
{
    (void)state;
    char text[256];
    /* on AWS a public route passes x-api-key unchecked: it must not count */
    assert_int_equal(run(handler_create_order, "{" C ",\"quantity\":1," WHO ",\"payment\":{\"method\":\"comp\"}}",
                         NULL, "any-key", text, sizeof text), 403);
    assert_int_equal(run(handler_create_order, "{" C ",\"quantity\":1}", NULL, "any-key", text, sizeof text), 400);
    /* an empty sub is no operator either */
    assert_int_equal(run(handler_create_order, "{" C ",\"quantity\":1}", "", NULL, text, sizeof text), 400);
    /* nor is an apiKeyId: API keys authorize nothing any more */
    assert_int_equal(handler_call(handler_create_order,
                                  &(handler_req){ .body = "{" C ",\"quantity\":1,\"payment\":{\"method\":\"cash\"}," WHO "}",
                                                  .key_id = "k-1" }, text, sizeof text), 403);
}

/* A kiosk (only the kiosk group among the selling ones) sells by card only; with another selling group the
 * union applies; a door-only caller is no seller: the public rules. */
static void a_kiosk_sells_by_card_only(void **state)
{
    (void)state;
    char text[512];
    struct { const char *groups, *pay; int status; const char *error; } cases[] = {
        { "kiosk", "card", 503, NULL },
        { "kiosk", "cash", 403, "a kiosk sells by card only" },
        { "kiosk", "comp", 403, "a kiosk sells by card only" },
        { "[kiosk]", "cash", 403, "a kiosk sells by card only" },
        { "kiosk,cashier", "cash", 503, NULL },
        { "door", "cash", 403, "needs a signed-in operator" },
        { "", "comp", 403, "needs a signed-in operator" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char body[256];
        snprintf(body, sizeof body, "{" C ",\"quantity\":1," WHO ",\"payment\":{\"method\":\"%s\"}}", cases[i].pay);
        int got = handler_call(handler_create_order,
                               &(handler_req){ .body = body, .sub = "sub-k", .groups = cases[i].groups }, text, sizeof text);
        if (got != cases[i].status || (cases[i].error && !strstr(text, cases[i].error)))
            fail_msg("%s/%s: %d %s, expected %d", cases[i].groups, cases[i].pay, got, text, cases[i].status);
    }
}

static void operators_sell_walk_up_cash_and_comp(void **state)
{
    (void)state;
    expect("{" C ",\"quantity\":3}", "key123", 503, NULL);
    expect("{" C ",\"quantity\":3,\"payment\":{\"method\":\"comp\"}}", "key123", 503, NULL);
    expect("{" C ",\"quantity\":3,\"payment\":{\"method\":\"cash\",\"tendered\":\"200.00\"}}", "key123", 503, NULL);
    expect("{" C ",\"quantity\":3,\"payment\":{\"method\":\"cash\",\"tendered\":200}}", "key123", 503, NULL);
    expect("{" C ",\"quantity\":3,\"customerName\":\"Ann\"}", "key123", 503, NULL);
    expect("{" C ",\"quantity\":3,\"customerEmail\":\"nope\"}", "key123", 400, NULL);
    expect("{" C ",\"quantity\":3,\"customerName\":\" \"}", "key123", 400, NULL);
}

static void payment_is_checked(void **state)
{
    (void)state;
    const char *op = "key123";
    expect("{" C ",\"quantity\":1,\"payment\":{\"method\":\"bitcoin\"}}", op, 400, "payment.method must be card, cash or comp");
    expect("{" C ",\"quantity\":1,\"payment\":\"cash\"}", op, 400, "payment must be an object");
    expect("{" C ",\"quantity\":1,\"payment\":{\"method\":\"card\",\"tendered\":\"10\"}}", op, 400,
           "payment.tendered is only for cash");
    const char *bad[] = { "\"10.001\"", "\"-5\"", "\"1e3\"", "\"\"", "10.001", "-1", "true", "\"ten\"" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char body[256];
        snprintf(body, sizeof body, "{" C ",\"quantity\":1,\"payment\":{\"method\":\"cash\",\"tendered\":%s}}", bad[i]);
        expect(body, op, 400, "payment.tendered must be an amount with at most 2 decimals");
    }
    /* above any price and any total, up to the contract's maximum: read exactly (then 503: no store) */
    const char *large[] = { "\"1000000.01\"", "\"49000000.00\"", "\"999999999.99\"", "1000000000", "2500000.5" };
    for (size_t i = 0; i < sizeof large / sizeof large[0]; i++) {
        char body[256];
        snprintf(body, sizeof body, "{" C ",\"quantity\":1,\"payment\":{\"method\":\"cash\",\"tendered\":%s}}", large[i]);
        expect(body, op, 503, NULL);
    }
    const char *over[] = { "\"1000000000.01\"", "\"99999999999999999999\"", "1000000000.01", "1e12" };
    for (size_t i = 0; i < sizeof over / sizeof over[0]; i++) {
        char body[256];
        snprintf(body, sizeof body, "{" C ",\"quantity\":1,\"payment\":{\"method\":\"cash\",\"tendered\":%s}}", over[i]);
        expect(body, op, 400, "payment.tendered must be at most 1000000000.00");
    }
}

static void quantity_attendees_and_key(void **state)
{
    (void)state;
    const char *m = "quantity must be a whole number from 1 to 49";
    expect("{" C "," WHO "}", NULL, 400, "quantity is required");
    expect("{" C ",\"quantity\":0," WHO "}", NULL, 400, m);
    expect("{" C ",\"quantity\":50," WHO "}", NULL, 400, m);
    expect("{" C ",\"quantity\":1.5," WHO "}", NULL, 400, m);
    expect("{" C ",\"quantity\":\"2\"," WHO "}", NULL, 400, m);
    expect("{" C ",\"quantity\":49," WHO "}", NULL, 503, NULL);
    expect("{\"quantity\":1," WHO "}", NULL, 400, "concertId is required");
    const char *a = "attendees must be an array with one name per ticket (quantity)";
    expect("{" C ",\"quantity\":2," WHO ",\"attendees\":[\"A\"]}", NULL, 400, a);
    expect("{" C ",\"quantity\":2," WHO ",\"attendees\":\"A\"}", NULL, 400, a);
    expect("{" C ",\"quantity\":2," WHO ",\"attendees\":[\"A\",7]}", NULL, 400, "attendees must hold strings");
    expect("{" C ",\"quantity\":2," WHO ",\"attendees\":[\"A\",\"\\u202eB\"]}", NULL, 400, NULL);
    expect("{" C ",\"quantity\":2," WHO ",\"attendees\":[\"A\",\"\\u200b\"]}", NULL, 400, NULL);
    expect("{" C ",\"quantity\":2," WHO ",\"attendees\":[\"Ann\",\"Bob\"]}", NULL, 503, NULL);
    /* Idempotency-Key: the same rule as POST /tickets */
    cJSON *e = cJSON_Parse("{\"body\":\"{\\\"concertId\\\":\\\"c1\\\",\\\"quantity\\\":1}\",\"headers\":{\"Idempotency-Key\":\"a b\"},"
                           "\"requestContext\":{\"authorizer\":{\"claims\":{\"sub\":\"s\",\"cognito:groups\":\"cashier\"}}}}");
    char *t = cJSON_PrintUnformatted(e);
    cJSON_Delete(e);
    apigw_event ev;
    assert_int_equal(apigw_event_parse(t, strlen(t), &ev), 0);
    free(t);
    handler_result r;
    memset(&r, 0, sizeof r);
    handler_create_order(NULL, &ev, &r);
    assert_int_equal(r.resp.status, 400);
    assert_non_null(strstr(r.resp.body, "Idempotency-Key"));
    handler_result_clear(&r);
    apigw_event_clear(&ev);
}

static void get_order_checks_the_id(void **state)
{
    (void)state;
    cJSON *e = cJSON_Parse("{\"pathParameters\":{\"id\":\"\"}}");
    char *t = cJSON_PrintUnformatted(e);
    cJSON_Delete(e);
    apigw_event ev;
    assert_int_equal(apigw_event_parse(t, strlen(t), &ev), 0);
    free(t);
    handler_result r;
    memset(&r, 0, sizeof r);
    handler_get_order(NULL, &ev, &r);
    assert_int_equal(r.resp.status, 400);
    handler_result_clear(&r);
    apigw_event_clear(&ev);
}

static void concerts_new_fields(void **state)
{
    (void)state;
    char text[256];
#define BASE "\"name\":\"N\",\"date\":\"2027-01-01\",\"venue\":\"V\",\"availableTickets\":10,\"ticketPrice\":5"
    struct { const char *extra; int status; const char *error; } cases[] = {
        { "", 503, NULL },
        { ",\"currency\":\"USD\",\"timezone\":\"Europe/Vienna\",\"maxPerOrder\":49", 503, NULL },
        { ",\"currency\":\"usd\"", 400, "currency must be three upper-case letters (ISO 4217)" },
        { ",\"currency\":7", 400, "currency must be a string" },
        { ",\"timezone\":\"Vienna\"", 400, "timezone must be an IANA time zone name such as Europe/Vienna" },
        { ",\"maxPerOrder\":50", 400, "maxPerOrder must be a whole number from 1 to 49" },
        { ",\"maxPerOrder\":0", 400, "maxPerOrder must be a whole number from 1 to 49" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char body[256];
        snprintf(body, sizeof body, "{" BASE "%s}", cases[i].extra);
        int s = run(handler_create_concert, body, "k", NULL, text, sizeof text);
        if (s != cases[i].status)
            fail_msg("%s: %d %s", body, s, text);
        if (cases[i].error) {
            char want[256];
            snprintf(want, sizeof want, "{\"error\":\"%s\"}", cases[i].error);
            assert_string_equal(text, want);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(public_orders_need_a_customer_and_card),
        cmocka_unit_test(the_api_key_header_alone_makes_no_operator),
        cmocka_unit_test(a_kiosk_sells_by_card_only),
        cmocka_unit_test(operators_sell_walk_up_cash_and_comp),
        cmocka_unit_test(payment_is_checked),
        cmocka_unit_test(quantity_attendees_and_key),
        cmocka_unit_test(get_order_checks_the_id),
        cmocka_unit_test(concerts_new_fields),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
