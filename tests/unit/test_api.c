/* API client against an in-test HTTP server with scripted answers (tests/support/http_stub.c). */
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

#define CONCERT_A "{\"id\":\"c-1\",\"name\":\"Björk\",\"date\":\"2026-12-01T20:00:00Z\",\"venue\":\"Harpa\",\"availableTickets\":12,\"ticketPrice\":49.99}"
#define CONCERT_B "{\"id\":\"c-2\",\"name\":\"Nils\",\"date\":\"2026-11-30\",\"venue\":\"Hall\",\"availableTickets\":0,\"ticketPrice\":0.1}"

typedef struct fixture {
    http_stub *stub;
    api_client *client;
    int exchanges;
    long last_exchange_status;
    char last_method[16];
    char last_request[512], last_response[512], last_error[256];
    bool key_leaked;
} fixture;

static void on_exchange(void *ud, const api_exchange *t)
{
    fixture *f = ud;
    f->exchanges++;
    f->last_exchange_status = t->http_status;
    assert_non_null(t->method);
    assert_non_null(t->url);
    snprintf(f->last_method, sizeof f->last_method, "%s", t->method);
    snprintf(f->last_request, sizeof f->last_request, "%s", t->request_body ? t->request_body : "");
    snprintf(f->last_response, sizeof f->last_response, "%s", t->response_body ? t->response_body : "");
    snprintf(f->last_error, sizeof f->last_error, "%s", t->error ? t->error : "");
    if (strstr(t->url, "op-key") || (t->request_body && strstr(t->request_body, "op-key"))
        || (t->response_body && strstr(t->response_body, "op-key")))
        f->key_leaked = true;
}

/* Generous timeouts (a loaded 2-core machine under ASan moves 33 MiB slowly); the tests of a silent
 * server use a short one (hang_client) so that they end soon. */
#define TIMEOUT_MS 30000L
#define HANG_TIMEOUT_MS 1000L

static api_client *client_with(const char *url, const char *key, size_t cap, long timeout_ms)
{
    api_config cfg = {
        .base_url = url, .auth = key != NULL ? stub_token_auth(key) : NULL, .connect_timeout_ms = 5000, .timeout_ms = timeout_ms,
        .purchase_attempts = 3, .max_response_bytes = cap,
    };
    return api_client_new(&cfg);
}

static api_client *client_for(const char *url, const char *key, size_t cap)
{
    return client_with(url, key, cap, TIMEOUT_MS);
}

/* Replaces the fixture's client by one that gives up after HANG_TIMEOUT_MS. */
static void use_hang_client(fixture *f)
{
    api_client_free(f->client);
    f->client = client_with(stub_base_url(f->stub), "op-key", 0, HANG_TIMEOUT_MS);
    assert_non_null(f->client);
    api_client_set_inspector(f->client, on_exchange, f);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->stub = stub_start();
    assert_non_null(f->stub);
    f->client = client_for(stub_base_url(f->stub), "op-key", 0);
    assert_non_null(f->client);
    api_client_set_inspector(f->client, on_exchange, f);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    api_client_free(f->client);
    stub_stop(f->stub);
    free(f);
    return 0;
}

static void list_parses_concerts_with_exact_prices(void **state)
{
    fixture *f = *state;
    bo_concert_list l;
    api_result res;
    stub_push(f->stub, 200, "[" CONCERT_A "," CONCERT_B "]");
    assert_int_equal(api_list_concerts(f->client, &l, &res), API_OK);
    assert_int_equal(res.http_status, 200);
    assert_string_equal(res.message, "");
    assert_int_equal(l.n, 2);
    assert_string_equal(l.items[0].id, "c-1");
    assert_string_equal(l.items[0].name, "Björk");
    assert_int_equal(l.items[0].price_cents, 4999);
    assert_int_equal(l.items[0].seats_left, 12);
    assert_int_equal(l.items[1].price_cents, 10);
    const stub_request *r = stub_request_at(f->stub, 0);
    assert_non_null(r);
    assert_string_equal(r->method, "GET");
    assert_string_equal(r->path, "/dev/concerts");
    assert_int_equal(f->exchanges, 1);
    assert_int_equal(f->last_exchange_status, 200);
    bo_concert_list_clear(&l);
}

static void get_escapes_the_id_and_parses(void **state)
{
    fixture *f = *state;
    bo_concert c;
    api_result res;
    stub_push(f->stub, 200, CONCERT_A);
    assert_int_equal(api_get_concert(f->client, "c 1/x", &c, &res), API_OK);
    assert_string_equal(stub_request_at(f->stub, 0)->path, "/dev/concerts/c%201%2Fx");
    assert_string_equal(c.venue, "Harpa");
    bo_concert_clear(&c);
}

static void get_404_is_not_found(void **state)
{
    fixture *f = *state;
    bo_concert c;
    api_result res;
    stub_push(f->stub, 404, "{\"error\":\"Concert not found\"}");
    assert_int_equal(api_get_concert(f->client, "gone", &c, &res), API_ERR_NOT_FOUND);
    assert_int_equal(res.http_status, 404);
    assert_string_equal(res.message, "Concert no longer exists");
    assert_null(c.name);
}

/* The backend answers 422 with the record and its problems for a concert stored malformed: the client
 * shows it marked and never sells it; a 422 without a record stays an error. */
static void get_422_with_a_record_is_a_marked_concert(void **state)
{
    fixture *f = *state;
    bo_concert c;
    api_result res;
    stub_push(f->stub, 422, "{\"id\":\"neg-price\",\"name\":\"N\",\"date\":\"2027-01-04\",\"venue\":\"V\","
                            "\"availableTickets\":5,\"ticketPrice\":\"-10\",\"problems\":[\"ticketPrice: negative\"],"
                            "\"error\":\"Concert is stored malformed: ticketPrice: negative\"}");
    assert_int_equal(api_get_concert(f->client, "neg-price", &c, &res), API_OK);
    assert_int_equal(res.http_status, 422);
    assert_string_equal(c.id, "neg-price");
    assert_false(bo_concert_sellable(&c));
    bo_concert_clear(&c);
    stub_push(f->stub, 422, "{\"error\":\"Unprocessable\"}");
    assert_int_equal(api_get_concert(f->client, "x", &c, &res), API_ERR_INVALID);
    assert_null(c.name);
}

static void create_sends_key_and_exact_price(void **state)
{
    fixture *f = *state;
    char id[BO_ID_MAX + 1], hdr[128];
    api_result res;
    bo_concert_input in = { .name = "Night \"one\"", .date = "2026-12-24", .venue = "Arena", .available_tickets = 120, .price_cents = 4999 };
    stub_push(f->stub, 201, "{\"id\":\"new-1\"}");
    assert_int_equal(api_create_concert(f->client, &in, id, &res), API_OK);
    assert_string_equal(id, "new-1");
    assert_int_equal(res.http_status, 201);
    const stub_request *r = stub_request_at(f->stub, 0);
    assert_string_equal(r->method, "POST");
    assert_string_equal(r->path, "/dev/concerts");
    assert_true(stub_header(r, "Authorization", hdr, sizeof hdr));
    assert_string_equal(hdr, "op-key");
    assert_true(stub_header(r, "Content-Type", hdr, sizeof hdr));
    assert_string_equal(hdr, "application/json");
    assert_non_null(strstr(r->body, "\"ticketPrice\":49.99"));
    assert_non_null(strstr(r->body, "\"availableTickets\":120"));
    assert_non_null(strstr(r->body, "\"name\":\"Night \\\"one\\\"\""));
}

static void create_403_is_forbidden(void **state)
{
    fixture *f = *state;
    char id[BO_ID_MAX + 1];
    api_result res;
    bo_concert_input in = { .name = "n", .date = "2026-12-24", .venue = "v", .available_tickets = 1, .price_cents = 100 };
    stub_push(f->stub, 403, "{\"message\":\"Forbidden\"}");
    assert_int_equal(api_create_concert(f->client, &in, id, &res), API_ERR_FORBIDDEN);
    assert_int_equal(res.http_status, 403);
    assert_string_equal(res.message, "Not allowed: sign in as an operator");
    assert_string_equal(id, "");
}

/* a 401 (no, an expired or a forged token): the sign-in's text; a 403 with the function's reason: that reason */
static void unauthorized_401_and_group_403(void **state)
{
    fixture *f = *state;
    char id[BO_ID_MAX + 1];
    api_result res;
    bo_concert_input in = { .name = "n", .date = "2026-12-24", .venue = "v", .available_tickets = 1, .price_cents = 100 };
    stub_push(f->stub, 401, "{\"message\":\"Unauthorized: sign in as an operator (boxoffice login)\"}");
    assert_int_equal(api_create_concert(f->client, &in, id, &res), API_ERR_FORBIDDEN);
    assert_int_equal(res.http_status, 401);
    assert_string_equal(res.message, API_UNAUTHORIZED_TEXT);
    stub_push(f->stub, 403, "{\"error\":\"creating a concert needs the manager group\"}");
    assert_int_equal(api_create_concert(f->client, &in, id, &res), API_ERR_FORBIDDEN);
    assert_int_equal(res.http_status, 403);
    assert_string_equal(res.message, "Not allowed: creating a concert needs the manager group");
    /* every request carried the token, raw, and no x-api-key */
    char hdr[64];
    const stub_request *r = stub_request_at(f->stub, stub_request_count(f->stub) - 1);
    assert_true(stub_header(r, "Authorization", hdr, sizeof hdr));
    assert_string_equal(hdr, "op-key");
    assert_false(stub_header(r, "x-api-key", hdr, sizeof hdr));
}

static void unknown_route_403_is_not_a_key_problem(void **state)
{
    fixture *f = *state;
    bo_concert_list l;
    api_result res;
    stub_push(f->stub, 403, "{\"message\":\"Missing Authentication Token\"}");
    assert_int_equal(api_list_concerts(f->client, &l, &res), API_ERR_INVALID);
    assert_non_null(strstr(res.message, "API URL"));
    stub_push(f->stub, 404, "<html>Not Found</html>");
    assert_int_equal(api_list_concerts(f->client, &l, &res), API_ERR_INVALID);
    assert_int_equal(res.http_status, 404);
    assert_non_null(strstr(res.message, "API URL"));
}

static void create_validation_message_comes_from_server_sanitised(void **state)
{
    fixture *f = *state;
    char id[BO_ID_MAX + 1];
    api_result res;
    bo_concert_input in = { .name = "n", .date = "2026-12-24", .venue = "v", .available_tickets = 1, .price_cents = 100 };
    stub_push(f->stub, 400, "{\"error\":\"name must not be empty\\u001b[2J\"}");
    assert_int_equal(api_create_concert(f->client, &in, id, &res), API_ERR_INVALID);
    assert_int_equal(res.http_status, 400);
    assert_non_null(strstr(res.message, "name must not be empty"));
    assert_null(strchr(res.message, '\x1b'));
}

static void purchase_sends_idempotency_key_and_returns_ticket(void **state)
{
    fixture *f = *state;
    bo_ticket t;
    api_result res;
    char key[128];
    stub_push(f->stub, 201, "{\"id\":\"t-1\",\"purchaseDate\":\"2026-11-25T09:00:00.000Z\"}");
    assert_int_equal(api_purchase_key(f->client, "c-1", "Ada", "ada@example.com", NULL, &t, &res), API_OK);
    assert_string_equal(t.id, "t-1");
    assert_string_equal(t.concert_id, "c-1");
    assert_string_equal(t.customer_name, "Ada");
    assert_string_equal(t.customer_email, "ada@example.com");
    assert_string_equal(t.purchase_date, "2026-11-25T09:00:00.000Z");
    const stub_request *r = stub_request_at(f->stub, 0);
    assert_string_equal(r->path, "/dev/tickets");
    assert_true(stub_header(r, "Idempotency-Key", key, sizeof key));
    assert_int_equal(strlen(key), 36);
    assert_int_equal(key[14], '4'); /* random (version 4) UUID */
    assert_non_null(strstr(r->body, "\"concertId\":\"c-1\""));
    assert_non_null(strstr(r->body, "\"customerEmail\":\"ada@example.com\""));
    bo_ticket_clear(&t);
}

static void inspector_sees_each_exchange_without_the_key(void **state)
{
    fixture *f = *state;
    bo_ticket t;
    stub_push(f->stub, 201, "{\"id\":\"t-1\"}");
    assert_int_equal(api_purchase_key(f->client, "c-1", "Ada", "ada@example.com", NULL, &t, NULL), API_OK);
    bo_ticket_clear(&t);
    assert_int_equal(f->exchanges, 1);
    assert_string_equal(f->last_method, "POST");
    assert_non_null(strstr(f->last_request, "\"concertId\":\"c-1\""));
    assert_string_equal(f->last_response, "{\"id\":\"t-1\"}");
    assert_int_equal(f->last_exchange_status, 201);
    assert_string_equal(f->last_error, "");
    assert_false(f->key_leaked);

    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/dev", stub_closed_port());
    api_client *c = client_for(url, "op-key", 0);
    bo_concert_list l;
    api_client_set_inspector(c, on_exchange, f);
    assert_int_equal(api_list_concerts(c, &l, NULL), API_ERR_UNREACHABLE);
    assert_int_equal(f->exchanges, 2);
    assert_int_equal(f->last_exchange_status, 0);
    assert_true(f->last_error[0] != '\0');   /* the transport error is shown to the inspector */
    api_client_free(c);
}

static void purchase_sold_out_is_not_retried(void **state)
{
    fixture *f = *state;
    bo_ticket t;
    api_result res;
    stub_push(f->stub, 400, "{\"error\":\"No tickets available\"}");
    assert_int_equal(api_purchase_key(f->client, "c-2", "Ada", "ada@example.com", NULL, &t, &res), API_ERR_SOLD_OUT);
    assert_string_equal(res.message, "Sold out");
    assert_int_equal(res.http_status, 400);
    assert_int_equal(stub_request_count(f->stub), 1);
    assert_null(t.customer_name);
}

static void purchase_retries_5xx_with_the_same_key(void **state)
{
    fixture *f = *state;
    bo_ticket t;
    api_result res;
    char k1[128], k2[128];
    stub_push(f->stub, 503, "{\"error\":\"Service unavailable, try again\"}");
    stub_push(f->stub, 201, "{\"id\":\"t-9\"}");
    assert_int_equal(api_purchase_key(f->client, "c-1", "Ada", "ada@example.com", NULL, &t, &res), API_OK);
    assert_int_equal(stub_request_count(f->stub), 2);
    assert_true(stub_header(stub_request_at(f->stub, 0), "Idempotency-Key", k1, sizeof k1));
    assert_true(stub_header(stub_request_at(f->stub, 1), "Idempotency-Key", k2, sizeof k2));
    assert_string_equal(k1, k2);
    assert_string_equal(stub_request_at(f->stub, 0)->body, stub_request_at(f->stub, 1)->body);
    assert_string_equal(t.id, "t-9");   /* exactly one ticket comes back */
    assert_int_equal(f->exchanges, 2);
    assert_true(t.purchase_date[0] != '\0');
    bo_ticket_clear(&t);
}

static void purchase_retries_a_dropped_connection_with_the_same_key(void **state)
{
    fixture *f = *state;
    bo_ticket t;
    api_result res;
    char k1[128], k2[128];
    stub_reply drop = { STUB_CLOSE, 0, NULL, NULL, 0, false };
    stub_push_reply(f->stub, &drop);
    stub_push(f->stub, 200, "{\"id\":\"t-7\"}");
    assert_int_equal(api_purchase_key(f->client, "c-1", "Ada", "ada@example.com", NULL, &t, &res), API_OK);
    assert_int_equal(stub_request_count(f->stub), 2);
    assert_true(stub_header(stub_request_at(f->stub, 0), "Idempotency-Key", k1, sizeof k1));
    assert_true(stub_header(stub_request_at(f->stub, 1), "Idempotency-Key", k2, sizeof k2));
    assert_string_equal(k1, k2);
    assert_string_equal(t.id, "t-7");
    bo_ticket_clear(&t);
}

static void purchase_retries_after_a_timeout_with_the_same_key(void **state)
{
    fixture *f = *state;
    bo_ticket t;
    api_result res;
    char k1[128], k2[128];
    stub_reply hang = { STUB_HANG, 0, NULL, NULL, 0, false };
    use_hang_client(f);
    stub_push_reply(f->stub, &hang);   /* the server may have sold the seat, but the answer never came */
    stub_push(f->stub, 200, "{\"id\":\"t-5\"}");
    assert_int_equal(api_purchase_key(f->client, "c-1", "Ada", "ada@example.com", NULL, &t, &res), API_OK);
    assert_int_equal(stub_request_count(f->stub), 2);
    assert_true(stub_header(stub_request_at(f->stub, 0), "Idempotency-Key", k1, sizeof k1));
    assert_true(stub_header(stub_request_at(f->stub, 1), "Idempotency-Key", k2, sizeof k2));
    assert_string_equal(k1, k2);
    assert_string_equal(t.id, "t-5");
    bo_ticket_clear(&t);
}

static void purchase_that_never_gets_an_answer_ends(void **state)
{
    fixture *f = *state;
    bo_ticket t;
    api_result res;
    stub_reply hang = { STUB_HANG, 0, NULL, NULL, 0, false };
    use_hang_client(f);
    for (int i = 0; i < 3; i++)
        stub_push_reply(f->stub, &hang);
    assert_int_equal(api_purchase_key(f->client, "c-1", "Ada", "ada@example.com", NULL, &t, &res), API_ERR_TIMEOUT);
    assert_int_equal(stub_request_count(f->stub), 3);
    assert_null(t.customer_name);
}

static void purchase_gives_up_after_the_configured_attempts(void **state)
{
    fixture *f = *state;
    bo_ticket t;
    api_result res;
    for (int i = 0; i < 3; i++)
        stub_push(f->stub, 502, "{\"message\":\"Internal server error\"}");
    assert_int_equal(api_purchase_key(f->client, "c-1", "Ada", "ada@example.com", NULL, &t, &res), API_ERR_UNAVAILABLE);
    assert_int_equal(res.http_status, 502);
    assert_string_equal(res.message, "Service unavailable — try again");
    assert_int_equal(stub_request_count(f->stub), 3);
}

static void two_purchases_use_different_keys(void **state)
{
    fixture *f = *state;
    bo_ticket t;
    char k1[128], k2[128];
    stub_push(f->stub, 201, "{\"id\":\"t-1\"}");
    stub_push(f->stub, 201, "{\"id\":\"t-2\"}");
    assert_int_equal(api_purchase_key(f->client, "c-1", "Ada", "ada@example.com", NULL, &t, NULL), API_OK);
    bo_ticket_clear(&t);
    assert_int_equal(api_purchase_key(f->client, "c-1", "Ada", "ada@example.com", NULL, &t, NULL), API_OK);
    bo_ticket_clear(&t);
    assert_true(stub_header(stub_request_at(f->stub, 0), "Idempotency-Key", k1, sizeof k1));
    assert_true(stub_header(stub_request_at(f->stub, 1), "Idempotency-Key", k2, sizeof k2));
    assert_string_not_equal(k1, k2);
}

static void purchase_sends_the_given_key_on_every_attempt(void **state)
{
    fixture *f = *state;
    bo_ticket t;
    api_result res;
    char k[300];
    stub_push(f->stub, 503, "{\"error\":\"Service unavailable\"}");
    stub_push(f->stub, 201, "{\"id\":\"t-3\"}");
    assert_int_equal(api_purchase_key(f->client, "c-1", "Ada", "ada@example.com", "sale-42", &t, &res), API_OK);
    assert_false(res.unconfirmed);
    assert_int_equal(stub_request_count(f->stub), 2);
    for (size_t i = 0; i < 2; i++) {
        assert_true(stub_header(stub_request_at(f->stub, i), "Idempotency-Key", k, sizeof k));
        assert_string_equal(k, "sale-42");
    }
    assert_string_equal(t.id, "t-3");
    bo_ticket_clear(&t);
}

static void purchase_refuses_a_bad_key_before_sending(void **state)
{
    fixture *f = *state;
    bo_ticket t;
    api_result res;
    char long_key[300];
    memset(long_key, 'k', 256);
    long_key[256] = '\0';
    assert_int_equal(api_purchase_key(f->client, "c-1", "Ada", "ada@example.com", "two words", &t, &res), API_ERR_INVALID);
    assert_int_equal(api_purchase_key(f->client, "c-1", "Ada", "ada@example.com", "", &t, &res), API_ERR_INVALID);
    assert_int_equal(api_purchase_key(f->client, "c-1", "Ada", "ada@example.com", long_key, &t, &res), API_ERR_INVALID);
    assert_int_equal(api_purchase_key(f->client, "c-1", "Ada", "ada@example.com", "caf\xc3\xa9", &t, &res), API_ERR_INVALID);
    assert_int_equal(stub_request_count(f->stub), 0);
    long_key[255] = '\0';
    assert_true(api_idempotency_key_valid(long_key));
    assert_false(api_idempotency_key_valid(NULL));
    char fresh[API_IDEM_KEY_MAX + 1];
    api_idempotency_key_new(fresh);
    assert_true(api_idempotency_key_valid(fresh));
    assert_int_equal(strlen(fresh), 36);
}

/* Every attempt reached the server and none got an answer: the sale may have been made. */
static void purchase_without_an_answer_is_unconfirmed(void **state)
{
    fixture *f = *state;
    bo_ticket t;
    api_result res;
    stub_reply hang = { STUB_HANG, 0, NULL, NULL, 0, false };
    use_hang_client(f);
    for (int i = 0; i < 3; i++)
        stub_push_reply(f->stub, &hang);
    assert_int_equal(api_purchase_key(f->client, "c-1", "Ada", "ada@example.com", "k-1", &t, &res), API_ERR_TIMEOUT);
    assert_true(res.unconfirmed);
    assert_null(strstr(res.message, "retrying"));
}

static void purchase_5xx_throughout_is_unconfirmed(void **state)
{
    fixture *f = *state;
    bo_ticket t;
    api_result res;
    for (int i = 0; i < 3; i++)
        stub_push(f->stub, 503, "{\"error\":\"Could not purchase ticket, please try again\"}");
    assert_int_equal(api_purchase_key(f->client, "c-1", "Ada", "ada@example.com", NULL, &t, &res), API_ERR_UNAVAILABLE);
    assert_true(res.unconfirmed);
}

/* A 201 whose body cannot be read: the ticket exists, the client cannot show it. */
static void purchase_unreadable_ticket_is_unconfirmed(void **state)
{
    fixture *f = *state;
    bo_ticket t;
    api_result res;
    stub_push(f->stub, 201, "{\"id\":42}");
    assert_int_equal(api_purchase_key(f->client, "c-1", "Ada", "ada@example.com", NULL, &t, &res), API_ERR_PROTOCOL);
    assert_true(res.unconfirmed);
}

/* The server's 4xx for the same key is definite, even after an attempt without an answer. */
static void purchase_refused_after_a_timeout_is_definite(void **state)
{
    fixture *f = *state;
    bo_ticket t;
    api_result res;
    stub_reply hang = { STUB_HANG, 0, NULL, NULL, 0, false };
    use_hang_client(f);
    stub_push_reply(f->stub, &hang);
    stub_push(f->stub, 400, "{\"error\":\"No tickets available\"}");
    assert_int_equal(api_purchase_key(f->client, "c-1", "Ada", "ada@example.com", NULL, &t, &res), API_ERR_SOLD_OUT);
    assert_false(res.unconfirmed);
}

/* Nothing reached the server: not sold, and known to be. */
static void purchase_unreachable_is_not_unconfirmed(void **state)
{
    (void)state;
    char url[64];
    bo_ticket t;
    api_result res;
    snprintf(url, sizeof url, "http://127.0.0.1:%d/dev", stub_closed_port());
    api_client *c = client_for(url, NULL, 0);
    assert_non_null(c);
    assert_int_equal(api_purchase_key(c, "c-1", "Ada", "ada@example.com", NULL, &t, &res), API_ERR_UNREACHABLE);
    assert_false(res.unconfirmed);
    api_client_free(c);
}

static void throttled_429(void **state)
{
    fixture *f = *state;
    bo_concert_list l;
    api_result res;
    stub_push(f->stub, 429, "{\"message\":\"Too Many Requests\"}");
    assert_int_equal(api_list_concerts(f->client, &l, &res), API_ERR_THROTTLED);
    assert_int_equal(res.http_status, 429);
    assert_string_equal(res.message, "Too many requests — try again");
}

static void list_5xx_is_unavailable(void **state)
{
    fixture *f = *state;
    bo_concert_list l;
    api_result res;
    stub_push(f->stub, 500, "{\"error\":\"Could not retrieve concerts\"}");
    assert_int_equal(api_list_concerts(f->client, &l, &res), API_ERR_UNAVAILABLE);
    assert_int_equal(res.http_status, 500);
    assert_null(l.items);
}

static void connection_refused_is_unreachable(void **state)
{
    (void)state;
    char url[64];
    bo_concert_list l;
    api_result res;
    int port = stub_closed_port();
    assert_true(port > 0);
    snprintf(url, sizeof url, "http://127.0.0.1:%d/dev", port);
    api_client *c = client_for(url, NULL, 0);
    assert_non_null(c);
    assert_int_equal(api_list_concerts(c, &l, &res), API_ERR_UNREACHABLE);
    assert_int_equal(res.http_status, 0);
    assert_string_equal(res.message, "Server unreachable");
    api_client_free(c);
}

static void silent_server_times_out(void **state)
{
    fixture *f = *state;
    bo_concert_list l;
    api_result res;
    stub_reply hang = { STUB_HANG, 0, NULL, NULL, 0, false };
    use_hang_client(f);
    stub_push_reply(f->stub, &hang);
    assert_int_equal(api_list_concerts(f->client, &l, &res), API_ERR_TIMEOUT);
    assert_int_equal(res.http_status, 0);
    assert_int_equal(f->exchanges, 1);
}

static void malformed_json_is_protocol_error(void **state)
{
    fixture *f = *state;
    bo_concert_list l;
    api_result res;
    stub_push(f->stub, 200, "[{\"id\":\"c-1\",\"name\":");
    assert_int_equal(api_list_concerts(f->client, &l, &res), API_ERR_PROTOCOL);
    assert_int_equal(res.http_status, 200);
    assert_string_equal(res.message, "Malformed answer from the server");
}

static void wrong_shape_is_protocol_error(void **state)
{
    fixture *f = *state;
    bo_concert_list l;
    bo_concert c;
    api_result res;
    stub_push(f->stub, 200, "{\"items\":[]}");
    assert_int_equal(api_list_concerts(f->client, &l, &res), API_ERR_PROTOCOL);
    stub_push(f->stub, 200, "[{\"id\":\"c-1\"}]");
    assert_int_equal(api_get_concert(f->client, "c-1", &c, &res), API_ERR_PROTOCOL);
}

/* One record the client cannot show faithfully does not take the catalogue down: it is listed, marked. */
static void bad_records_are_listed_marked(void **state)
{
    fixture *f = *state;
    bo_concert_list l;
    bo_concert c;
    api_result res;
    stub_push(f->stub, 200, "[{\"id\":\"c-1\",\"name\":\"x\",\"availableTickets\":-5,\"ticketPrice\":1},"
                            "{\"id\":\"c-2\",\"name\":\"y\",\"availableTickets\":3,\"ticketPrice\":90000000000000.01},"
                            "{\"id\":\"c-\\u001b[2J3\",\"name\":\"z\",\"availableTickets\":3,\"ticketPrice\":2},"
                            "\"junk\","
                            "{\"id\":\"c-4\",\"name\":\"w\",\"availableTickets\":3,\"ticketPrice\":2}]");
    assert_int_equal(api_list_concerts(f->client, &l, &res), API_OK);
    assert_int_equal(l.n, 5);
    for (size_t i = 0; i < 4; i++)
        assert_false(bo_concert_sellable(&l.items[i]));
    assert_true(bo_concert_sellable(&l.items[4]));
    assert_string_equal(l.items[4].id, "c-4");
    assert_int_equal(l.items[4].seats_left, 3);
    assert_null(strchr(l.items[2].id, '\x1b'));
    bo_concert_list_clear(&l);
    stub_push(f->stub, 200, "{\"id\":\"c-1\",\"name\":\"x\",\"availableTickets\":\"12\",\"ticketPrice\":1}");
    assert_int_equal(api_get_concert(f->client, "c-1", &c, &res), API_OK);
    assert_true(bo_concert_field_bad(&c, BO_FIELD_SEATS));
    bo_concert_clear(&c);
}

static void non_json_content_is_protocol_error(void **state)
{
    fixture *f = *state;
    bo_concert c;
    api_result res;
    stub_reply html = { STUB_REPLY, 200, "text/html", "<html><body>Welcome to nginx!</body></html>", 0, false };
    stub_push_reply(f->stub, &html);
    assert_int_equal(api_get_concert(f->client, "c-1", &c, &res), API_ERR_PROTOCOL);
    /* an HTML error page from a proxy keeps its status meaning */
    stub_reply bad_gw = { STUB_REPLY, 502, "text/html", "<html>Bad Gateway</html>", 0, false };
    stub_push_reply(f->stub, &bad_gw);
    assert_int_equal(api_get_concert(f->client, "c-1", &c, &res), API_ERR_UNAVAILABLE);
}

static void huge_body_over_the_cap_is_refused(void **state)
{
    fixture *f = *state;
    bo_concert_list l;
    api_result res;
    size_t n = 3 * 1024 * 1024;
    char *big = malloc(n + 1);
    assert_non_null(big);
    memset(big, ' ', n);
    big[0] = '[';
    big[n - 1] = ']';
    big[n] = '\0';
    stub_reply r = { STUB_REPLY, 200, NULL, big, n, false };
    stub_push_reply(f->stub, &r);
    free(big);
    api_client *c = client_for(stub_base_url(f->stub), NULL, 1024 * 1024);
    assert_non_null(c);
    assert_int_equal(api_list_concerts(c, &l, &res), API_ERR_PROTOCOL);
    assert_non_null(strstr(res.message, "too large"));
    api_client_free(c);
}

static void streamed_body_over_the_default_cap_is_refused(void **state)
{
    fixture *f = *state;
    bo_concert_list l;
    api_result res;
    size_t n = API_RESPONSE_MAX + 1024 * 1024;
    char *big = malloc(n + 1);
    assert_non_null(big);
    memset(big, ' ', n);
    big[0] = '[';
    big[n - 1] = ']';
    big[n] = '\0';
    stub_reply r = { STUB_REPLY, 200, NULL, big, n, true }; /* no Content-Length: cut while reading */
    stub_push_reply(f->stub, &r);
    free(big);
    assert_int_equal(api_list_concerts(f->client, &l, &res), API_ERR_PROTOCOL);
    assert_non_null(strstr(res.message, "too large"));
    assert_null(l.items);
}

static void ten_thousand_concerts_fit_under_the_default_cap(void **state)
{
    fixture *f = *state;
    bo_concert_list l;
    api_result res;
    size_t cap = 10000 * 200 + 16, len = 0;
    char *body = malloc(cap);
    assert_non_null(body);
    body[len++] = '[';
    for (int i = 0; i < 10000; i++)
        len += (size_t)snprintf(body + len, cap - len,
                                "%s{\"id\":\"id-%05d\",\"name\":\"Concert %d\",\"date\":\"2027-01-01\","
                                "\"venue\":\"Venue %d\",\"availableTickets\":%d,\"ticketPrice\":%d.%02d}",
                                i ? "," : "", i, i, i % 37, i % 500, i % 200, i % 100);
    body[len++] = ']';
    body[len] = '\0';
    stub_push(f->stub, 200, body);
    free(body);
    assert_int_equal(api_list_concerts(f->client, &l, &res), API_OK);
    assert_int_equal(l.n, 10000);
    assert_string_equal(l.items[9999].id, "id-09999");
    assert_int_equal(l.items[9999].price_cents, (9999 % 200) * 100 + 99);
    bo_concert_list_clear(&l);
}

static void escape_sequences_in_names_come_back_sanitised(void **state)
{
    fixture *f = *state;
    bo_concert_list l;
    api_result res;
    stub_push(f->stub, 200,
              "[{\"id\":\"c-x\",\"name\":\"Evil\\u001b[2J\\u001b]0;pwned\\u0007 Band\\r\\n\","
              "\"date\":\"2026-12-01\",\"venue\":\"\\u009b31mVenue\\u202e\",\"availableTickets\":1,\"ticketPrice\":5}]");
    assert_int_equal(api_list_concerts(f->client, &l, &res), API_OK);
    assert_int_equal(l.n, 1);
    for (const char *s = l.items[0].name; *s; s++)
        assert_true((unsigned char)*s >= 0x20 && *s != 0x7f);
    assert_non_null(strstr(l.items[0].name, "Evil"));
    assert_non_null(strstr(l.items[0].name, "Band"));
    assert_null(strstr(l.items[0].venue, "\xc2\x9b"));    /* C1 CSI */
    assert_null(strstr(l.items[0].venue, "\xe2\x80\xae")); /* RIGHT-TO-LEFT OVERRIDE */
    assert_non_null(strstr(l.items[0].venue, "Venue"));
    bo_concert_list_clear(&l);
}

static void bad_base_url_is_refused(void **state)
{
    (void)state;
    api_config cfg = { .base_url = "ftp://example.com" };
    assert_null(api_client_new(&cfg));
    cfg.base_url = "not a url";
    assert_null(api_client_new(&cfg));
    cfg.base_url = "http://127.0.0.1:1/dev/";
    api_client *c = api_client_new(&cfg);
    assert_non_null(c);
    assert_string_equal(api_client_base_url(c), "http://127.0.0.1:1/dev");
    api_client_free(c);
}

static void every_status_has_a_message(void **state)
{
    (void)state;
    for (int s = API_ERR_SOLD_OUT; s <= API_ERR_NOMEM; s++)
        assert_true(strlen(api_status_message((api_status)s)) > 0);
    assert_string_equal(api_status_message(API_OK), "");
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(list_parses_concerts_with_exact_prices, setup, teardown),
        cmocka_unit_test_setup_teardown(get_escapes_the_id_and_parses, setup, teardown),
        cmocka_unit_test_setup_teardown(get_404_is_not_found, setup, teardown),
        cmocka_unit_test_setup_teardown(get_422_with_a_record_is_a_marked_concert, setup, teardown),
        cmocka_unit_test_setup_teardown(create_sends_key_and_exact_price, setup, teardown),
        cmocka_unit_test_setup_teardown(create_403_is_forbidden, setup, teardown),
        cmocka_unit_test_setup_teardown(unauthorized_401_and_group_403, setup, teardown),
        cmocka_unit_test_setup_teardown(unknown_route_403_is_not_a_key_problem, setup, teardown),
        cmocka_unit_test_setup_teardown(create_validation_message_comes_from_server_sanitised, setup, teardown),
        cmocka_unit_test_setup_teardown(purchase_sends_idempotency_key_and_returns_ticket, setup, teardown),
        cmocka_unit_test_setup_teardown(inspector_sees_each_exchange_without_the_key, setup, teardown),
        cmocka_unit_test_setup_teardown(purchase_sold_out_is_not_retried, setup, teardown),
        cmocka_unit_test_setup_teardown(purchase_retries_5xx_with_the_same_key, setup, teardown),
        cmocka_unit_test_setup_teardown(purchase_retries_a_dropped_connection_with_the_same_key, setup, teardown),
        cmocka_unit_test_setup_teardown(purchase_retries_after_a_timeout_with_the_same_key, setup, teardown),
        cmocka_unit_test_setup_teardown(purchase_that_never_gets_an_answer_ends, setup, teardown),
        cmocka_unit_test_setup_teardown(purchase_gives_up_after_the_configured_attempts, setup, teardown),
        cmocka_unit_test_setup_teardown(purchase_sends_the_given_key_on_every_attempt, setup, teardown),
        cmocka_unit_test_setup_teardown(purchase_refuses_a_bad_key_before_sending, setup, teardown),
        cmocka_unit_test_setup_teardown(purchase_without_an_answer_is_unconfirmed, setup, teardown),
        cmocka_unit_test_setup_teardown(purchase_5xx_throughout_is_unconfirmed, setup, teardown),
        cmocka_unit_test_setup_teardown(purchase_unreadable_ticket_is_unconfirmed, setup, teardown),
        cmocka_unit_test_setup_teardown(purchase_refused_after_a_timeout_is_definite, setup, teardown),
        cmocka_unit_test_setup_teardown(two_purchases_use_different_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(throttled_429, setup, teardown),
        cmocka_unit_test_setup_teardown(list_5xx_is_unavailable, setup, teardown),
        cmocka_unit_test(connection_refused_is_unreachable),
        cmocka_unit_test(purchase_unreachable_is_not_unconfirmed),
        cmocka_unit_test_setup_teardown(silent_server_times_out, setup, teardown),
        cmocka_unit_test_setup_teardown(malformed_json_is_protocol_error, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_records_are_listed_marked, setup, teardown),
        cmocka_unit_test_setup_teardown(wrong_shape_is_protocol_error, setup, teardown),
        cmocka_unit_test_setup_teardown(non_json_content_is_protocol_error, setup, teardown),
        cmocka_unit_test_setup_teardown(huge_body_over_the_cap_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(streamed_body_over_the_default_cap_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(ten_thousand_concerts_fit_under_the_default_cap, setup, teardown),
        cmocka_unit_test_setup_teardown(escape_sequences_in_names_come_back_sanitised, setup, teardown),
        cmocka_unit_test(bad_base_url_is_refused),
        cmocka_unit_test(every_status_has_a_message),
    };
    int rc = cmocka_run_group_tests(tests, NULL, stub_auth_teardown);
    curl_global_cleanup();
    return rc;
}
