/* Finding orders and refunding them through the API client against an in-test HTTP server with scripted
 * answers (tests/support/http_stub.c): the exact query and body sent, the cursor kept as given, the ticket
 * states read (checked in at a door, refunded), the Idempotency-Key kept across retries, a 409's per-ticket
 * states, and hostile strings sanitised before they can reach a terminal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_lookup.h"
#include "api_refund.h"
#include "http_stub.h"
#include "stub_fixture.h"

#define SUMMARY(id, name, email) "{\"id\":\"" id "\",\"concertId\":\"c-1\",\"quantity\":2,\"unitPrice\":\"25.00\"," \
    "\"total\":\"50.00\",\"currency\":\"EUR\",\"payment\":{\"method\":\"card\"},\"createdAt\":\"2026-11-29T10:00:00.000Z\"," \
    "\"soldBy\":\"key-7\",\"customerName\":\"" name "\",\"customerEmail\":\"" email "\"}"

#define ORDER_AFTER "{\"id\":\"o-1\",\"concertId\":\"c-1\",\"quantity\":3,\"unitPrice\":\"25.00\",\"total\":\"75.00\"," \
    "\"currency\":\"EUR\",\"payment\":{\"method\":\"cash\"},\"createdAt\":\"2026-11-29T10:00:00.000Z\",\"soldBy\":\"k\"," \
    "\"admitted\":1,\"refunds\":[{\"id\":\"r-1\",\"amount\":\"25.00\",\"method\":\"cash\",\"reason\":\"ill\",\"by\":\"k\"," \
    "\"at\":\"2026-11-29T11:00:00.000Z\",\"ticketIds\":[\"t-2\"]}],\"tickets\":[" \
    "{\"id\":\"t-1\",\"code\":\"ABCDEFGHJKMNPQRSTVWX\",\"status\":\"checkedIn\",\"checkedInAt\":\"2026-11-29T19:14:03.000Z\",\"door\":\"2\"}," \
    "{\"id\":\"t-2\",\"code\":\"0123456789ABCDEFGHJK\",\"status\":\"refunded\",\"refundedAt\":\"2026-11-29T11:00:00.000Z\"}," \
    "{\"id\":\"t-3\",\"code\":\"MNPQRSTVWXYZ01234567\",\"status\":\"valid\"}]}"

typedef stub_client fixture;

static void find_by_email_sends_the_query_and_reads_the_page_and_its_cursor(void **state)
{
    fixture *f = *state;
    api_order_page p;
    api_result res;
    char apikey[64];
    stub_push(f->stub, 200, "{\"orders\":[" SUMMARY("o-2", "Zo\u00eb Adams", "zoe@example.org") ","
                            SUMMARY("o-1", "Zo\u00eb Adams", "zoe@example.org") "],\"cursor\":\"eyJrIjoxfQ\"}");
    api_order_query q = { .email = "zoe+1@example.org", .concert_id = "c 1", .limit = 2 };
    assert_int_equal(api_find_orders(f->client, &q, &p, &res), API_OK);
    const stub_request *r = stub_request_at(f->stub, 0);
    assert_string_equal(r->method, "GET");
    assert_string_equal(r->path, "/dev/orders?email=zoe%2B1%40example.org&concertId=c%201&limit=2");
    assert_true(stub_header(r, "Authorization", apikey, sizeof apikey));
    assert_int_equal(p.n, 2);
    assert_string_equal(p.orders[0].id, "o-2");
    assert_string_equal(p.orders[1].id, "o-1");
    assert_string_equal(p.orders[0].customer_name, "Zo\u00eb Adams");
    assert_string_equal(p.orders[0].customer_email, "zoe@example.org");
    assert_int_equal(p.orders[0].quantity, 2);
    assert_int_equal(p.orders[0].total_cents, 5000);
    assert_int_equal(p.orders[0].n_tickets, 0);
    assert_int_equal(p.orders[0].method, BO_PAY_CARD);
    assert_string_equal(p.cursor, "eyJrIjoxfQ");
    api_order_page_clear(&p);

    /* the next page: the cursor goes back as it came, the last page has none */
    stub_push(f->stub, 200, "{\"orders\":[" SUMMARY("o-0", "Zoe", "zoe@example.org") "]}");
    api_order_query q2 = { .name = "zo\u00eb", .cursor = "eyJrIjoxfQ" };
    assert_int_equal(api_find_orders(f->client, &q2, &p, &res), API_OK);
    assert_string_equal(stub_request_at(f->stub, 1)->path, "/dev/orders?name=zo%C3%AB&cursor=eyJrIjoxfQ");
    assert_int_equal(p.n, 1);
    assert_string_equal(p.cursor, "");
    api_order_page_clear(&p);
}

static void find_sanitises_strings_and_refuses_malformed_pages(void **state)
{
    fixture *f = *state;
    api_order_page p;
    api_result res;
    api_order_query q = { .name = "ev" };
    stub_push(f->stub, 200, "{\"orders\":[" SUMMARY("o-1", "Eve\\u001b]0;pwned\\u0007\\u202e", "eve@example.org") "]}");
    assert_int_equal(api_find_orders(f->client, &q, &p, &res), API_OK);
    assert_null(strchr(p.orders[0].customer_name, 0x1b));
    assert_null(strchr(p.orders[0].customer_name, 0x07));
    assert_null(strstr(p.orders[0].customer_name, "\xe2\x80\xae"));
    api_order_page_clear(&p);
    static const char *const bad[] = {
        "{\"orders\":{}}",
        "{\"orders\":[{\"id\":\"o-1\"}]}",                              /* no total */
        "{\"orders\":[],\"cursor\":\"two words\"}",                      /* a cursor it could not send back */
        "{\"orders\":[],\"cursor\":7}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        stub_push(f->stub, 200, bad[i]);
        assert_int_equal(api_find_orders(f->client, &q, &p, &res), API_ERR_PROTOCOL);
        assert_int_equal(p.n, 0);
        assert_null(p.orders);
    }
}

static void find_refusals_and_bad_queries(void **state)
{
    fixture *f = *state;
    api_order_page p;
    api_result res;
    api_order_query q = { .name = "z" };
    stub_push(f->stub, 400, "{\"error\":\"Type at least 2 characters of the name or e-mail\"}");
    assert_int_equal(api_find_orders(f->client, &q, &p, &res), API_ERR_INVALID);
    assert_string_equal(res.message, "Type at least 2 characters of the name or e-mail");
    stub_push(f->stub, 403, "{\"message\":\"Forbidden\"}");
    assert_int_equal(api_find_orders(f->client, &q, &p, &res), API_ERR_FORBIDDEN);
    size_t sent = stub_request_count(f->stub);
    api_order_query both = { .name = "zo", .email = "zo@x" }, none = { .limit = 3 };
    api_order_query big = { .name = "zo", .limit = 51 }, cur = { .name = "zo", .cursor = "a b" };
    assert_int_equal(api_find_orders(f->client, &both, &p, &res), API_ERR_INVALID);
    assert_int_equal(api_find_orders(f->client, &none, &p, &res), API_ERR_INVALID);
    assert_int_equal(api_find_orders(f->client, &big, &p, &res), API_ERR_INVALID);
    assert_int_equal(api_find_orders(f->client, &cur, &p, &res), API_ERR_INVALID);
    assert_int_equal(stub_request_count(f->stub), sent); /* nothing was sent */
}

static void by_code_sends_the_canonical_code_and_reads_ticket_order_and_concert(void **state)
{
    fixture *f = *state;
    api_ticket_found t;
    api_result res;
    stub_push(f->stub, 200, "{\"ticket\":{\"id\":\"t-1\",\"code\":\"ABCDE-FGHJK-MNPQR-STVWX\",\"orderId\":\"o-1\","
                            "\"concertId\":\"c-1\",\"attendee\":\"Bo\\u001b[2J\",\"status\":\"checkedIn\","
                            "\"checkedInAt\":\"2026-11-29T19:14:03.000Z\",\"door\":\"North\"},"
                            "\"order\":" SUMMARY("o-1", "Ada", "ada@example.org") ","
                            "\"concert\":{\"id\":\"c-1\",\"name\":\"Gala\",\"date\":\"2026-12-12T19:00:00Z\","
                            "\"venue\":\"Hall\",\"availableTickets\":10,\"ticketPrice\":25,\"timezone\":\"Europe/Berlin\"}}");
    assert_int_equal(api_ticket_by_code(f->client, "abcde fghjk-mnpqr stvwx", &t, &res), API_OK);
    assert_string_equal(stub_request_at(f->stub, 0)->path, "/dev/tickets/by-code/ABCDE-FGHJK-MNPQR-STVWX");
    assert_string_equal(t.ticket.id, "t-1");
    assert_string_equal(t.ticket.status, "checkedIn");
    assert_string_equal(t.ticket.checked_in_at, "2026-11-29T19:14:03.000Z");
    assert_string_equal(t.ticket.door, "North");
    assert_null(strchr(t.ticket.attendee, 0x1b));
    assert_string_equal(t.order_id, "o-1");
    assert_string_equal(t.order.id, "o-1");
    assert_string_equal(t.order.customer_email, "ada@example.org");
    assert_string_equal(t.concert.name, "Gala");
    assert_string_equal(t.concert.timezone, "Europe/Berlin");
    api_ticket_found_clear(&t);

    stub_push(f->stub, 404, "{\"error\":\"Unknown code\"}");
    assert_int_equal(api_ticket_by_code(f->client, "ABCDEFGHJKMNPQRSTVWX", &t, &res), API_ERR_NOT_FOUND);
    assert_string_equal(res.message, "Unknown code");
    stub_push(f->stub, 200, "{\"ticket\":{\"id\":\"t-1\",\"code\":\"nope\"},\"order\":{},\"concert\":{}}");
    assert_int_equal(api_ticket_by_code(f->client, "ABCDEFGHJKMNPQRSTVWX", &t, &res), API_ERR_PROTOCOL);
    size_t sent = stub_request_count(f->stub);
    assert_int_equal(api_ticket_by_code(f->client, "ABCDE-FGHJK-MNPQR-STVWU", &t, &res), API_ERR_INVALID);
    assert_int_equal(api_ticket_by_code(f->client, "zoe@example.org", &t, &res), API_ERR_INVALID);
    assert_int_equal(stub_request_count(f->stub), sent);
}

static void the_order_answer_carries_each_tickets_state(void **state)
{
    fixture *f = *state;
    bo_order o;
    stub_push(f->stub, 200, ORDER_AFTER);
    assert_int_equal(api_get_order(f->client, "o-1", &o, NULL), API_OK);
    assert_int_equal(o.n_tickets, 3);
    assert_string_equal(o.tickets[0].status, "checkedIn");
    assert_string_equal(o.tickets[0].checked_in_at, "2026-11-29T19:14:03.000Z");
    assert_string_equal(o.tickets[0].door, "2");
    assert_string_equal(o.tickets[1].status, "refunded");
    assert_string_equal(o.tickets[1].refunded_at, "2026-11-29T11:00:00.000Z");
    assert_string_equal(o.tickets[2].status, "valid");
    assert_string_equal(o.tickets[2].door, "");
    assert_int_equal(o.admitted, 1);
    assert_int_equal(o.n_refunds, 1);
    assert_int_equal(o.refunded_cents, 2500);
    assert_int_equal(o.refunded_tickets, 1);
    bo_order_clear(&o);
}

static void refund_posts_the_exact_body_with_the_callers_key_and_reads_the_order(void **state)
{
    fixture *f = *state;
    bo_order o;
    api_result res;
    char key[128];
    stub_push(f->stub, 200, ORDER_AFTER);
    static const char *const ids[] = { "t-2" };
    api_refund_input in = { .order_id = "o-1", .ticket_ids = ids, .n_ticket_ids = 1, .reason = "ill",
                            .method = BO_PAY_CASH };
    assert_int_equal(api_refund_order(f->client, &in, "refund-7", &o, NULL, NULL, &res), API_OK);
    const stub_request *r = stub_request_at(f->stub, 0);
    assert_string_equal(r->method, "POST");
    assert_string_equal(r->path, "/dev/orders/o-1/refund");
    assert_string_equal(r->body, "{\"ticketIds\":[\"t-2\"],\"reason\":\"ill\",\"method\":\"cash\"}");
    assert_true(stub_header(r, "Idempotency-Key", key, sizeof key));
    assert_string_equal(key, "refund-7");
    assert_string_equal(o.tickets[1].status, "refunded");
    assert_false(res.unconfirmed);
    bo_order_clear(&o);
    /* no ids and no method: every valid ticket, the order's own method */
    stub_push(f->stub, 200, ORDER_AFTER);
    api_refund_input all = { .order_id = "o-1", .reason = "cancelled" };
    assert_int_equal(api_refund_order(f->client, &all, NULL, &o, NULL, NULL, &res), API_OK);
    assert_string_equal(stub_request_at(f->stub, 1)->body, "{\"reason\":\"cancelled\"}");
    assert_true(stub_header(stub_request_at(f->stub, 1), "Idempotency-Key", key, sizeof key));
    assert_int_equal(strlen(key), 36);
    bo_order_clear(&o);
}

/* Three cash tickets, one admitted meanwhile, nothing selected: the server refunds two, and says so. */
#define REFUNDED_TWO "{\"id\":\"o-1\",\"concertId\":\"c-1\",\"quantity\":3,\"unitPrice\":\"10.00\",\"total\":\"30.00\"," \
    "\"currency\":\"EUR\",\"payment\":{\"method\":\"cash\"},\"createdAt\":\"2026-11-29T10:00:00.000Z\",\"soldBy\":\"k\"," \
    "\"admitted\":1,\"refunds\":[{\"id\":\"r-1\",\"amount\":\"20.00\",\"method\":\"cash\",\"reason\":\"ill\",\"by\":\"k\"," \
    "\"at\":\"2026-11-29T11:00:00.000Z\",\"ticketIds\":[\"t-2\",\"t-3\"]}],\"refund\":{\"id\":\"r-1\",\"amount\":\"20.00\"," \
    "\"method\":\"cash\",\"reason\":\"ill\",\"by\":\"k\",\"at\":\"2026-11-29T11:00:00.000Z\",\"ticketIds\":[\"t-2\",\"t-3\"]}," \
    "\"tickets\":[{\"id\":\"t-1\",\"code\":\"ABCDEFGHJKMNPQRSTVWX\",\"status\":\"checkedIn\"}," \
    "{\"id\":\"t-2\",\"code\":\"0123456789ABCDEFGHJK\",\"status\":\"refunded\"}," \
    "{\"id\":\"t-3\",\"code\":\"MNPQRSTVWXYZ01234567\",\"status\":\"refunded\"}]}"

static void refund_reads_what_the_server_says_this_request_refunded(void **state)
{
    fixture *f = *state;
    bo_order o;
    api_result res;
    api_refund_made made;
    api_refund_input in = { .order_id = "o-1", .reason = "ill" };
    stub_push(f->stub, 200, REFUNDED_TWO);
    assert_int_equal(api_refund_order(f->client, &in, "k-2", &o, &made, NULL, &res), API_OK);
    assert_true(made.known);
    assert_int_equal(made.n, 2);
    assert_int_equal(made.amount_cents, 2000);
    assert_int_equal(made.method, BO_PAY_CASH);
    assert_string_equal(made.ticket_ids[0], "t-2");
    assert_string_equal(made.ticket_ids[1], "t-3");
    bo_order_clear(&o);
    /* an answer without "refund": nothing of it is known (never the amount the client meant) */
    stub_push(f->stub, 200, ORDER_AFTER);
    assert_int_equal(api_refund_order(f->client, &in, "k-3", &o, &made, NULL, &res), API_OK);
    assert_false(made.known);
    assert_int_equal(made.n, 0);
    bo_order_clear(&o);
}

static void refund_without_an_answer_is_unconfirmed_and_the_check_resends_the_same_key(void **state)
{
    fixture *f = *state;
    bo_order o;
    api_result res;
    char k1[128], k4[128];
    stub_reply drop = { .action = STUB_CLOSE };
    stub_push(f->stub, 503, "{\"error\":\"Service unavailable\"}");
    stub_push_reply(f->stub, &drop);
    stub_push(f->stub, 502, "{\"message\":\"Internal server error\"}");
    api_refund_input in = { .order_id = "o-1", .reason = "ill" };
    assert_int_equal(api_refund_order(f->client, &in, "refund-9", &o, NULL, NULL, &res), API_ERR_UNAVAILABLE);
    assert_true(res.unconfirmed);
    assert_int_equal(stub_request_count(f->stub), 3);
    stub_push(f->stub, 200, ORDER_AFTER);
    assert_int_equal(api_refund_order(f->client, &in, "refund-9", &o, NULL, NULL, &res), API_OK);
    assert_true(stub_header(stub_request_at(f->stub, 0), "Idempotency-Key", k1, sizeof k1));
    assert_true(stub_header(stub_request_at(f->stub, 3), "Idempotency-Key", k4, sizeof k4));
    assert_string_equal(k1, "refund-9");
    assert_string_equal(k4, "refund-9");
    assert_string_equal(stub_request_at(f->stub, 0)->body, stub_request_at(f->stub, 3)->body);
    assert_false(res.unconfirmed);
    bo_order_clear(&o);
}

static void refund_409_names_each_ticket_and_its_state(void **state)
{
    fixture *f = *state;
    bo_order o;
    api_result res;
    api_refund_refusal why;
    stub_push(f->stub, 409, "{\"error\":\"Only valid tickets can be refunded\",\"tickets\":["
                            "{\"id\":\"t-1\",\"status\":\"checkedIn\"},{\"id\":\"t-2\",\"status\":\"refunded\"}]}");
    static const char *const ids[] = { "t-1", "t-2", "t-3" };
    api_refund_input in = { .order_id = "o-1", .ticket_ids = ids, .n_ticket_ids = 3, .reason = "ill" };
    assert_int_equal(api_refund_order(f->client, &in, "k-409", &o, NULL, &why, &res), API_ERR_INVALID);
    assert_int_equal(res.http_status, 409);
    assert_string_equal(res.message, "Only valid tickets can be refunded");
    assert_false(res.unconfirmed);
    assert_int_equal(stub_request_count(f->stub), 1); /* a definite refusal is not retried */
    assert_int_equal(why.n, 2);
    assert_string_equal(why.tickets[0].id, "t-1");
    assert_string_equal(why.tickets[0].status, "checkedIn");
    assert_string_equal(why.tickets[1].status, "refunded");
    stub_push(f->stub, 404, "{\"error\":\"Order not found\"}");
    assert_int_equal(api_refund_order(f->client, &in, "k-404", &o, NULL, &why, &res), API_ERR_NOT_FOUND);
    assert_string_equal(res.message, "No such order");
    assert_int_equal(why.n, 0);
}

static void refund_bad_input_is_refused_before_sending(void **state)
{
    fixture *f = *state;
    bo_order o;
    api_result res;
    api_refund_input no_reason = { .order_id = "o-1", .reason = "  " };
    api_refund_input no_order = { .order_id = "", .reason = "x" };
    api_refund_input ok = { .order_id = "o-1", .reason = "x" };
    assert_int_equal(api_refund_order(f->client, &no_reason, NULL, &o, NULL, NULL, &res), API_ERR_INVALID);
    assert_int_equal(api_refund_order(f->client, &no_order, NULL, &o, NULL, NULL, &res), API_ERR_NOT_FOUND);
    assert_int_equal(api_refund_order(f->client, &ok, "bad key", &o, NULL, NULL, &res), API_ERR_INVALID);
    assert_int_equal(stub_request_count(f->stub), 0);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(find_by_email_sends_the_query_and_reads_the_page_and_its_cursor, stub_client_setup, stub_client_teardown),
        cmocka_unit_test_setup_teardown(find_sanitises_strings_and_refuses_malformed_pages, stub_client_setup, stub_client_teardown),
        cmocka_unit_test_setup_teardown(find_refusals_and_bad_queries, stub_client_setup, stub_client_teardown),
        cmocka_unit_test_setup_teardown(by_code_sends_the_canonical_code_and_reads_ticket_order_and_concert, stub_client_setup, stub_client_teardown),
        cmocka_unit_test_setup_teardown(the_order_answer_carries_each_tickets_state, stub_client_setup, stub_client_teardown),
        cmocka_unit_test_setup_teardown(refund_posts_the_exact_body_with_the_callers_key_and_reads_the_order, stub_client_setup, stub_client_teardown),
        cmocka_unit_test_setup_teardown(refund_without_an_answer_is_unconfirmed_and_the_check_resends_the_same_key, stub_client_setup, stub_client_teardown),
        cmocka_unit_test_setup_teardown(refund_409_names_each_ticket_and_its_state, stub_client_setup, stub_client_teardown),
        cmocka_unit_test_setup_teardown(refund_reads_what_the_server_says_this_request_refunded, stub_client_setup, stub_client_teardown),
        cmocka_unit_test_setup_teardown(refund_bad_input_is_refused_before_sending, stub_client_setup, stub_client_teardown),
    };
    int rc = cmocka_run_group_tests(tests, NULL, stub_auth_teardown);
    curl_global_cleanup();
    return rc;
}
