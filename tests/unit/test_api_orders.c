/* Orders through the API client against an in-test HTTP server with scripted answers
 * (tests/support/http_stub.c): the exact request body, the route (public or operator), the
 * Idempotency-Key kept across retries, the parsing of answers with and without optional fields, and each
 * refusal's status. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "http_stub.h"
#include "stub_fixture.h"

#define ORDER_FULL "{\"id\":\"o-1\",\"concertId\":\"c-1\",\"quantity\":4,\"unitPrice\":\"49.99\",\"total\":\"199.96\"," \
    "\"currency\":\"EUR\",\"payment\":{\"method\":\"cash\",\"tendered\":\"200.00\",\"change\":\"0.04\"}," \
    "\"createdAt\":\"2026-11-29T10:00:00.000Z\",\"soldBy\":\"key-7\",\"customerName\":\"Ada\"," \
    "\"customerEmail\":\"ada@example.com\",\"tickets\":[" \
    "{\"id\":\"t-1\",\"code\":\"ABCDEFGHJKMNPQRSTVWX\",\"attendee\":\"Ada\",\"status\":\"valid\"}," \
    "{\"id\":\"t-2\",\"code\":\"0123456789ABCDEFGHJK\",\"attendee\":\"Bob\",\"status\":\"valid\"}," \
    "{\"id\":\"t-3\",\"code\":\"MNPQR-STVWX-YZ012-34567\",\"attendee\":\"Cy\",\"status\":\"valid\"}," \
    "{\"id\":\"t-4\",\"code\":\"89ABC-DEFGH-JKMNP-QRSTV\",\"status\":\"valid\"}]}"
/* only what the contract requires: no currency, soldBy, customer, attendee, status or payment */
#define ORDER_MIN "{\"id\":\"o-2\",\"total\":\"0.00\",\"tickets\":[{\"id\":\"t-9\",\"code\":\"ZZZZZZZZZZZZZZZZZZZZ\"}]}"

typedef stub_client fixture;

static const char *const attendees[] = { "Ada", "Bob", "Cy" };

static bo_order_input walk_up_cash(void)
{
    bo_order_input in = { .concert_id = "c-1", .quantity = 4, .method = BO_PAY_CASH, .tendered_cents = 20000,
                          .operator_route = true };
    return in;
}

static void operator_order_goes_to_the_box_office_route_with_the_exact_body(void **state)
{
    fixture *f = *state;
    bo_order o;
    api_result res;
    char key[128], apikey[64];
    stub_push(f->stub, 201, ORDER_FULL);
    bo_order_input in = walk_up_cash();
    in.attendees = attendees;
    in.n_attendees = 3;
    assert_int_equal(api_create_order(f->client, &in, NULL, &o, &res), API_OK);
    const stub_request *r = stub_request_at(f->stub, 0);
    assert_string_equal(r->method, "POST");
    assert_string_equal(r->path, "/dev/box-office/orders");
    assert_string_equal(r->body, "{\"concertId\":\"c-1\",\"quantity\":4,\"attendees\":[\"Ada\",\"Bob\",\"Cy\"],"
                                 "\"payment\":{\"method\":\"cash\",\"tendered\":\"200.00\"}}");
    assert_true(stub_header(r, "Idempotency-Key", key, sizeof key));
    assert_int_equal(strlen(key), 36);
    assert_true(stub_header(r, "Authorization", apikey, sizeof apikey));
    assert_string_equal(apikey, "op-key");
    assert_string_equal(o.id, "o-1");
    assert_int_equal(o.quantity, 4);
    assert_int_equal(o.unit_price_cents, 4999);
    assert_int_equal(o.total_cents, 19996);
    assert_string_equal(o.currency, "EUR");
    assert_int_equal(o.method, BO_PAY_CASH);
    assert_int_equal(o.tendered_cents, 20000);
    assert_int_equal(o.change_cents, 4);
    assert_string_equal(o.sold_by, "key-7");
    assert_string_equal(o.created_at, "2026-11-29T10:00:00.000Z");
    assert_string_equal(o.customer_name, "Ada");
    assert_int_equal(o.n_tickets, 4);
    assert_string_equal(o.tickets[2].code, "MNPQR-STVWX-YZ012-34567"); /* as given: the QR encodes it */
    assert_string_equal(o.tickets[1].attendee, "Bob");
    assert_null(o.tickets[3].attendee);
    assert_string_equal(o.tickets[0].status, "valid");
    bo_order_clear(&o);
}

static void public_order_goes_to_the_public_route_with_name_email_and_card(void **state)
{
    fixture *f = *state;
    bo_order o;
    stub_push(f->stub, 201, ORDER_MIN);
    bo_order_input in = { .concert_id = "c-1", .quantity = 1, .customer_name = "Ada",
                          .customer_email = "ada@example.com", .method = BO_PAY_CARD, .tendered_cents = -1 };
    assert_int_equal(api_create_order(f->client, &in, "k-1", &o, NULL), API_OK);
    const stub_request *r = stub_request_at(f->stub, 0);
    char key[64];
    assert_string_equal(r->path, "/dev/orders");
    assert_string_equal(r->body, "{\"concertId\":\"c-1\",\"quantity\":1,\"customerName\":\"Ada\","
                                 "\"customerEmail\":\"ada@example.com\",\"payment\":{\"method\":\"card\"}}");
    assert_true(stub_header(r, "Idempotency-Key", key, sizeof key));
    assert_string_equal(key, "k-1");
    bo_order_clear(&o);
}

static void missing_optional_fields_are_tolerated(void **state)
{
    fixture *f = *state;
    bo_order o;
    stub_push(f->stub, 201, ORDER_MIN);
    bo_order_input in = walk_up_cash();
    in.quantity = 1;
    in.method = BO_PAY_COMP;
    assert_int_equal(api_create_order(f->client, &in, NULL, &o, NULL), API_OK);
    assert_string_equal(stub_request_at(f->stub, 0)->body,
                        "{\"concertId\":\"c-1\",\"quantity\":1,\"payment\":{\"method\":\"comp\"}}");
    assert_string_equal(o.id, "o-2");
    assert_int_equal(o.total_cents, 0);
    assert_int_equal(o.quantity, 1);   /* from the tickets when not given */
    assert_string_equal(o.currency, "");
    assert_string_equal(o.sold_by, "");
    assert_int_equal(o.method, BO_PAY_NONE);
    assert_int_equal(o.tendered_cents, -1);
    assert_int_equal(o.change_cents, -1);
    assert_null(o.customer_name);
    assert_null(o.customer_email);
    assert_null(o.tickets[0].attendee);
    assert_string_equal(o.tickets[0].status, "");
    bo_order_clear(&o);
}

static void retries_keep_the_key_and_the_body(void **state)
{
    fixture *f = *state;
    bo_order o;
    api_result res;
    char k1[128], k2[128], k3[128];
    stub_push(f->stub, 503, "{\"error\":\"Service unavailable, try again\"}");
    stub_reply drop = { .action = STUB_CLOSE };
    stub_push_reply(f->stub, &drop);
    stub_push(f->stub, 201, ORDER_FULL);
    bo_order_input in = walk_up_cash();
    assert_int_equal(api_create_order(f->client, &in, NULL, &o, &res), API_OK);
    assert_int_equal(stub_request_count(f->stub), 3);
    assert_true(stub_header(stub_request_at(f->stub, 0), "Idempotency-Key", k1, sizeof k1));
    assert_true(stub_header(stub_request_at(f->stub, 1), "Idempotency-Key", k2, sizeof k2));
    assert_true(stub_header(stub_request_at(f->stub, 2), "Idempotency-Key", k3, sizeof k3));
    assert_string_equal(k1, k2);
    assert_string_equal(k2, k3);
    assert_string_equal(stub_request_at(f->stub, 0)->body, stub_request_at(f->stub, 2)->body);
    assert_false(res.unconfirmed);
    bo_order_clear(&o);
}

static void no_answer_throughout_is_unconfirmed_and_a_check_resends_the_same_key(void **state)
{
    fixture *f = *state;
    bo_order o;
    api_result res;
    char k1[128], k4[128];
    for (int i = 0; i < 3; i++)
        stub_push(f->stub, 503, "{\"error\":\"Service unavailable\"}");
    bo_order_input in = walk_up_cash();
    assert_int_equal(api_create_order(f->client, &in, "sale-42", &o, &res), API_ERR_UNAVAILABLE);
    assert_true(res.unconfirmed);
    assert_int_equal(o.n_tickets, 0);
    stub_push(f->stub, 201, ORDER_FULL); /* the check: a replay answers with the same order */
    assert_int_equal(api_create_order(f->client, &in, "sale-42", &o, &res), API_OK);
    assert_true(stub_header(stub_request_at(f->stub, 0), "Idempotency-Key", k1, sizeof k1));
    assert_true(stub_header(stub_request_at(f->stub, 3), "Idempotency-Key", k4, sizeof k4));
    assert_string_equal(k1, "sale-42");
    assert_string_equal(k4, "sale-42");
    assert_string_equal(stub_request_at(f->stub, 0)->body, stub_request_at(f->stub, 3)->body);
    bo_order_clear(&o);
}

static void refusals_map_to_statuses(void **state)
{
    fixture *f = *state;
    static const struct { int http; const char *body; api_status st; const char *msg; } cases[] = {
        { 400, "{\"error\":\"Only 3 tickets left\"}", API_ERR_INVALID, "Only 3 tickets left" },
        { 400, "{\"error\":\"No tickets available\"}", API_ERR_SOLD_OUT, "Sold out" },
        { 400, "{\"error\":\"customerEmail is required\"}", API_ERR_INVALID, "customerEmail is required" },
        { 403, "{\"message\":\"Forbidden\"}", API_ERR_FORBIDDEN, "Not allowed: sign in as an operator" },
        { 404, "{\"error\":\"Concert not found\"}", API_ERR_NOT_FOUND, "Concert no longer exists" },
        { 409, "{\"error\":\"Idempotency-Key reused for a different request\"}", API_ERR_INVALID,
          "Idempotency-Key reused for a different request" },
        { 422, "{\"error\":\"Concert record is malformed\"}", API_ERR_INVALID, "Concert record is malformed" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bo_order o;
        api_result res;
        size_t before = stub_request_count(f->stub);
        stub_push(f->stub, cases[i].http, cases[i].body);
        bo_order_input in = walk_up_cash();
        assert_int_equal(api_create_order(f->client, &in, NULL, &o, &res), cases[i].st);
        assert_int_equal(res.http_status, cases[i].http);
        assert_string_equal(res.message, cases[i].msg);
        assert_false(res.unconfirmed); /* a definite refusal: nothing was sold */
        assert_int_equal(stub_request_count(f->stub), before + 1); /* not retried */
    }
}

static void an_unreadable_2xx_is_unconfirmed(void **state)
{
    fixture *f = *state;
    bo_order o;
    api_result res;
    stub_push(f->stub, 201, "{\"id\":\"o-1\",\"total\":\"12.345\",\"tickets\":[]}");
    bo_order_input in = walk_up_cash();
    assert_int_equal(api_create_order(f->client, &in, NULL, &o, &res), API_ERR_PROTOCOL);
    assert_true(res.unconfirmed);
    stub_push(f->stub, 201, "{\"id\":\"o-1\",\"total\":\"1.00\",\"tickets\":[{\"id\":\"t\",\"code\":\"A\\u001b[2J\"}]}");
    assert_int_equal(api_create_order(f->client, &in, NULL, &o, &res), API_ERR_PROTOCOL);
    assert_true(res.unconfirmed);
}

static void bad_input_is_refused_before_sending(void **state)
{
    fixture *f = *state;
    bo_order o;
    api_result res;
    bo_order_input in = walk_up_cash();
    in.quantity = 0;
    assert_int_equal(api_create_order(f->client, &in, NULL, &o, &res), API_ERR_INVALID);
    in.quantity = 1;
    assert_int_equal(api_create_order(f->client, &in, "bad key", &o, &res), API_ERR_INVALID);
    assert_int_equal(stub_request_count(f->stub), 0);
}

static void get_order_escapes_the_id_and_reads_ticket_status(void **state)
{
    fixture *f = *state;
    bo_order o;
    api_result res;
    stub_push(f->stub, 200, "{\"id\":\"o/1\",\"total\":\"49.99\",\"currency\":\"EUR\",\"tickets\":["
                            "{\"id\":\"t-1\",\"code\":\"ABCDEFGHJKMNPQRSTVWX\",\"status\":\"used\"}]}");
    assert_int_equal(api_get_order(f->client, "o/1", &o, &res), API_OK);
    const stub_request *r = stub_request_at(f->stub, 0);
    char apikey[64];
    assert_string_equal(r->method, "GET");
    assert_string_equal(r->path, "/dev/orders/o%2F1");
    assert_true(stub_header(r, "Authorization", apikey, sizeof apikey));
    assert_string_equal(o.tickets[0].status, "used");
    bo_order_clear(&o);
    stub_push(f->stub, 404, "{\"error\":\"Order not found\"}");
    assert_int_equal(api_get_order(f->client, "o-9", &o, &res), API_ERR_NOT_FOUND);
    assert_string_equal(res.message, "No such order");
    stub_push(f->stub, 403, "{\"message\":\"Forbidden\"}");
    assert_int_equal(api_get_order(f->client, "o-9", &o, &res), API_ERR_FORBIDDEN);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(operator_order_goes_to_the_box_office_route_with_the_exact_body, stub_client_setup, stub_client_teardown),
        cmocka_unit_test_setup_teardown(public_order_goes_to_the_public_route_with_name_email_and_card, stub_client_setup, stub_client_teardown),
        cmocka_unit_test_setup_teardown(missing_optional_fields_are_tolerated, stub_client_setup, stub_client_teardown),
        cmocka_unit_test_setup_teardown(retries_keep_the_key_and_the_body, stub_client_setup, stub_client_teardown),
        cmocka_unit_test_setup_teardown(no_answer_throughout_is_unconfirmed_and_a_check_resends_the_same_key, stub_client_setup, stub_client_teardown),
        cmocka_unit_test_setup_teardown(refusals_map_to_statuses, stub_client_setup, stub_client_teardown),
        cmocka_unit_test_setup_teardown(an_unreadable_2xx_is_unconfirmed, stub_client_setup, stub_client_teardown),
        cmocka_unit_test_setup_teardown(bad_input_is_refused_before_sending, stub_client_setup, stub_client_teardown),
        cmocka_unit_test_setup_teardown(get_order_escapes_the_id_and_reads_ticket_status, stub_client_setup, stub_client_teardown),
    };
    int rc = cmocka_run_group_tests(tests, NULL, stub_auth_teardown);
    curl_global_cleanup();
    return rc;
}
