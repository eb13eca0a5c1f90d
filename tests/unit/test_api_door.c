/* The door's routes through the API client against an in-test HTTP server with scripted answers
 * (tests/support/http_stub.c): the exact check-in request (canonical code, nonce, door, operator key), each
 * verdict read from its answer (admitted, already admitted, refunded, wrong concert with the other
 * concert's name, unknown code), "could not verify" for transport errors and 5xx with the same nonce on
 * every retry, refused requests, sanitised strings, the stats, and the undo of a check-in (the ticket's state
 * on a 409, never sent twice when the first may have reached the server). */
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
#include "http_stub.h"
#include "stub_fixture.h"

#define CODE "ABCDE-FGHJK-MNPQR-STVWX"
#define TICKET(status, extra) "{\"id\":\"t-1\",\"code\":\"" CODE "\",\"orderId\":\"o-1\",\"concertId\":\"c-1\"," \
    "\"attendee\":\"Ada Lovelace\",\"status\":\"" status "\"" extra "}"
#define ADMITTED "{\"result\":\"admitted\",\"ticket\":" TICKET("checkedIn", ",\"checkedInAt\":\"2026-12-12T19:14:03.120Z\"," \
    "\"door\":\"North\"") ",\"order\":{\"id\":\"o-1\",\"quantity\":4,\"admittedSoFar\":2," \
    "\"customerName\":\"Ada L. \\u001b[31m\"}}"

typedef stub_client fixture;

/* The i-th request's body, parsed (caller frees). */
static cJSON *body_of(fixture *f, size_t i)
{
    const stub_request *r = stub_request_at(f->stub, i);
    assert_non_null(r);
    cJSON *j = cJSON_Parse(r->body);
    assert_non_null(j);
    return j;
}

static const char *str(const cJSON *j, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void admitted_sends_the_canonical_code_nonce_and_door_and_reads_the_verdict(void **state)
{
    fixture *f = *state;
    api_checkin_verdict v;
    api_result res;
    char key[64];
    stub_push(f->stub, 200, ADMITTED);
    assert_int_equal(api_checkin(f->client, "c-1", "abcdefghjkmnpqrstvwx", "n-1", "North", 1, &v, &res), API_OK);
    assert_int_equal(v.kind, API_CHECKIN_ADMITTED);
    assert_string_equal(v.ticket_id, "t-1");
    assert_string_equal(v.attendee, "Ada Lovelace");
    assert_string_equal(v.order_id, "o-1");
    assert_null(strchr(v.customer, '\x1b')); /* the order's customer, sanitised */
    assert_non_null(strstr(v.customer, "Ada L."));
    assert_int_equal(v.quantity, 4);
    assert_int_equal(v.admitted_so_far, 2);
    assert_string_equal(v.at, "2026-12-12T19:14:03.120Z");
    assert_string_equal(v.door, "North");
    const stub_request *r = stub_request_at(f->stub, 0);
    assert_string_equal(r->method, "POST");
    assert_string_equal(r->path, "/dev/checkins");
    assert_true(stub_header(r, "Authorization", key, sizeof key));
    assert_string_equal(key, "op-key");
    cJSON *b = body_of(f, 0);
    assert_string_equal(str(b, "code"), CODE); /* typed in lower case without dashes: sent canonical */
    assert_string_equal(str(b, "concertId"), "c-1");
    assert_string_equal(str(b, "nonce"), "n-1");
    assert_string_equal(str(b, "door"), "North");
    assert_int_equal(cJSON_GetArraySize(b), 4);
    cJSON_Delete(b);
}

static void no_door_sends_no_door_field(void **state)
{
    fixture *f = *state;
    api_checkin_verdict v;
    stub_push(f->stub, 200, ADMITTED);
    assert_int_equal(api_checkin(f->client, "c-1", CODE, "n-1", NULL, 1, &v, NULL), API_OK);
    cJSON *b = body_of(f, 0);
    assert_null(cJSON_GetObjectItemCaseSensitive(b, "door"));
    cJSON_Delete(b);
}

static void already_admitted_names_when_and_where(void **state)
{
    fixture *f = *state;
    api_checkin_verdict v;
    api_result res;
    stub_push(f->stub, 409, "{\"error\":\"Already admitted\",\"result\":\"already_admitted\",\"at\":\"2026-12-12T19:14:03Z\","
                            "\"door\":\"2\",\"ticket\":" TICKET("checkedIn", "") "}");
    assert_int_equal(api_checkin(f->client, "c-1", CODE, "n-2", NULL, 1, &v, &res), API_OK);
    assert_int_equal(v.kind, API_CHECKIN_ALREADY_ADMITTED);
    assert_string_equal(v.at, "2026-12-12T19:14:03Z");
    assert_string_equal(v.door, "2");
    assert_string_equal(v.attendee, "Ada Lovelace");
    assert_int_equal(res.http_status, 409);
}

static void refunded_is_a_refusal(void **state)
{
    fixture *f = *state;
    api_checkin_verdict v;
    stub_push(f->stub, 409, "{\"error\":\"Refunded\",\"result\":\"refunded\",\"ticket\":" TICKET("refunded", "") "}");
    assert_int_equal(api_checkin(f->client, "c-1", CODE, "n-3", NULL, 1, &v, NULL), API_OK);
    assert_int_equal(v.kind, API_CHECKIN_REFUNDED);
    assert_string_equal(v.ticket_id, "t-1");
}

static void wrong_concert_reads_the_other_concerts_name(void **state)
{
    fixture *f = *state;
    api_checkin_verdict v;
    stub_push(f->stub, 409, "{\"error\":\"Wrong concert\",\"result\":\"wrong_concert\",\"concertId\":\"c-2\",\"ticketId\":\"t-1\"}");
    stub_push(f->stub, 200, "{\"id\":\"c-2\",\"name\":\"Other \\u001b[31mnight\",\"date\":\"2027-06-02T19:00:00Z\","
                            "\"venue\":\"Hall\",\"availableTickets\":5,\"ticketPrice\":20}");
    assert_int_equal(api_checkin(f->client, "c-1", CODE, "n-4", NULL, 1, &v, NULL), API_OK);
    assert_int_equal(v.kind, API_CHECKIN_WRONG_CONCERT);
    assert_string_equal(v.concert_id, "c-2");
    assert_string_equal(v.ticket_id, "t-1");
    assert_null(strchr(v.concert_name, '\x1b')); /* sanitised */
    assert_non_null(strstr(v.concert_name, "night"));
    assert_string_equal(v.concert_date, "2027-06-02T19:00:00Z");
    assert_string_equal(stub_request_at(f->stub, 1)->path, "/dev/concerts/c-2");
}

static void wrong_concert_without_the_name_still_names_the_id(void **state)
{
    fixture *f = *state;
    api_checkin_verdict v;
    stub_push(f->stub, 409, "{\"error\":\"Wrong concert\",\"result\":\"wrong_concert\",\"concertId\":\"c-2\",\"ticketId\":\"t-1\"}");
    stub_push(f->stub, 500, "{\"error\":\"boom\"}");
    assert_int_equal(api_checkin(f->client, "c-1", CODE, "n-4", NULL, 1, &v, NULL), API_OK);
    assert_int_equal(v.kind, API_CHECKIN_WRONG_CONCERT);
    assert_string_equal(v.concert_id, "c-2");
    assert_string_equal(v.concert_name, "");
}

static void unknown_code_from_the_server(void **state)
{
    fixture *f = *state;
    api_checkin_verdict v;
    stub_push(f->stub, 404, "{\"error\":\"Unknown code\",\"result\":\"unknown_code\"}");
    assert_int_equal(api_checkin(f->client, "c-1", CODE, "n-5", NULL, 1, &v, NULL), API_OK);
    assert_int_equal(v.kind, API_CHECKIN_UNKNOWN_CODE);
}

static void text_that_is_no_code_is_unknown_without_asking(void **state)
{
    fixture *f = *state;
    api_checkin_verdict v;
    assert_int_equal(api_checkin(f->client, "c-1", "not a code!", "n-6", NULL, 1, &v, NULL), API_OK);
    assert_int_equal(v.kind, API_CHECKIN_UNKNOWN_CODE);
    assert_int_equal(stub_request_count(f->stub), 0);
}

static void a_5xx_is_retried_with_the_same_nonce_and_then_admits(void **state)
{
    fixture *f = *state;
    api_checkin_verdict v;
    stub_push(f->stub, 503, "{\"error\":\"busy\"}");
    stub_push_reply(f->stub, &(stub_reply){ .action = STUB_CLOSE });
    stub_push(f->stub, 200, ADMITTED);
    assert_int_equal(api_checkin(f->client, "c-1", CODE, "n-7", NULL, 3, &v, NULL), API_OK);
    assert_int_equal(v.kind, API_CHECKIN_ADMITTED);
    assert_int_equal(stub_request_count(f->stub), 3);
    for (size_t i = 0; i < 3; i++) {
        cJSON *b = body_of(f, i);
        assert_string_equal(str(b, "nonce"), "n-7");
        cJSON_Delete(b);
    }
}

static void a_5xx_with_one_attempt_cannot_verify(void **state)
{
    fixture *f = *state;
    api_checkin_verdict v;
    api_result res;
    stub_push(f->stub, 502, "{\"message\":\"Internal server error\"}");
    stub_push(f->stub, 200, ADMITTED); /* never asked for */
    assert_int_equal(api_checkin(f->client, "c-1", CODE, "n-8", NULL, 1, &v, &res), API_ERR_UNAVAILABLE);
    assert_int_equal(v.kind, API_CHECKIN_UNVERIFIED);
    assert_int_equal(stub_request_count(f->stub), 1);
    assert_true(res.message[0] != '\0');
}

static void unreachable_cannot_verify(void **state)
{
    (void)state;
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/dev", stub_closed_port());
    api_config cfg = { .base_url = url, .auth = stub_token_auth("k"), .purchase_attempts = 2 };
    api_client *c = api_client_new(&cfg);
    assert_non_null(c);
    api_checkin_verdict v;
    api_result res;
    assert_int_equal(api_checkin(c, "c-1", CODE, "n-9", NULL, 0, &v, &res), API_ERR_UNREACHABLE);
    assert_int_equal(v.kind, API_CHECKIN_UNVERIFIED);
    api_client_free(c);
}

static void a_2xx_that_is_no_verdict_cannot_verify(void **state)
{
    fixture *f = *state;
    api_checkin_verdict v;
    stub_push(f->stub, 200, "{\"result\":\"admitted\"}");
    assert_int_equal(api_checkin(f->client, "c-1", CODE, "n-10", NULL, 1, &v, NULL), API_ERR_PROTOCOL);
    assert_int_equal(v.kind, API_CHECKIN_UNVERIFIED);
}

static void forbidden_and_bad_requests_are_refused_requests(void **state)
{
    fixture *f = *state;
    api_checkin_verdict v;
    api_result res;
    stub_push(f->stub, 403, "{\"message\":\"Forbidden\"}");
    assert_int_equal(api_checkin(f->client, "c-1", CODE, "n-11", NULL, 3, &v, &res), API_ERR_FORBIDDEN);
    assert_int_equal(v.kind, API_CHECKIN_ERROR);
    stub_push(f->stub, 400, "{\"error\":\"door must be at most 64 characters\"}");
    assert_int_equal(api_checkin(f->client, "c-1", CODE, "n-12", NULL, 3, &v, &res), API_ERR_INVALID);
    assert_int_equal(v.kind, API_CHECKIN_ERROR);
    assert_string_equal(res.message, "door must be at most 64 characters");
    assert_int_equal(stub_request_count(f->stub), 2); /* a definite no is not retried */
    /* a 409 without a verdict we know is no verdict either */
    stub_push(f->stub, 409, "{\"error\":\"something else\",\"result\":\"mystery\"}");
    assert_int_equal(api_checkin(f->client, "c-1", CODE, "n-13", NULL, 1, &v, &res), API_ERR_INVALID);
    assert_int_equal(v.kind, API_CHECKIN_ERROR);
}

static void bad_input_is_refused_before_sending(void **state)
{
    fixture *f = *state;
    api_checkin_verdict v;
    char long_nonce[API_NONCE_MAX + 2];
    memset(long_nonce, 'n', sizeof long_nonce - 1);
    long_nonce[sizeof long_nonce - 1] = '\0';
    assert_int_equal(api_checkin(f->client, "c-1", CODE, long_nonce, NULL, 1, &v, NULL), API_ERR_INVALID);
    assert_int_equal(api_checkin(f->client, "c-1", CODE, "has space", NULL, 1, &v, NULL), API_ERR_INVALID);
    assert_int_equal(api_checkin(f->client, "", CODE, "n", NULL, 1, &v, NULL), API_ERR_INVALID);
    assert_int_equal(api_checkin(f->client, "c-1", CODE, "n", "door\x1b[2J", 1, &v, NULL), API_ERR_INVALID);
    assert_int_equal(stub_request_count(f->stub), 0);
}

static void strings_of_a_verdict_are_sanitised(void **state)
{
    fixture *f = *state;
    api_checkin_verdict v;
    stub_push(f->stub, 200, "{\"result\":\"admitted\",\"ticket\":{\"id\":\"t-1\",\"code\":\"" CODE "\",\"orderId\":\"o-1\","
                            "\"concertId\":\"c-1\",\"attendee\":\"Eve\\u001b]0;pwned\\u0007\\u202e\",\"status\":\"checkedIn\","
                            "\"door\":\"\\u009b2J\"},\"order\":{\"id\":\"o-1\",\"quantity\":1,\"admittedSoFar\":1}}");
    assert_int_equal(api_checkin(f->client, "c-1", CODE, "n-14", NULL, 1, &v, NULL), API_OK);
    assert_null(strchr(v.attendee, '\x1b'));
    assert_null(strchr(v.attendee, '\x07'));
    assert_null(strstr(v.attendee, "\xe2\x80\xae"));
    assert_null(strstr(v.door, "\xc2\x9b"));
    assert_true(strncmp(v.attendee, "Eve", 3) == 0);
    /* ... and kept exactly beside the cleaned copies, for --json */
    assert_string_equal(v.exact.attendee, "Eve\x1b]0;pwned\x07\xe2\x80\xae");
    assert_string_equal(v.exact.door, "\xc2\x9b" "2J");
}

/* The longest texts the API accepts come whole in the exact copies: 200 two-byte characters for names, 64 for
 * the door (the cleaned copies for the screen may be shorter). */
static void texts_of_a_verdict_are_kept_whole(void **state)
{
    fixture *f = *state;
    api_checkin_verdict v;
    char name[200 * 2 + 1] = "", door[64 * 2 + 1] = "", body[2048];
    for (int i = 0; i < 200; i++)
        strcat(name, "\xc3\xa9");
    for (int i = 0; i < 64; i++)
        strcat(door, "\xc3\xbc");
    snprintf(body, sizeof body, "{\"result\":\"admitted\",\"ticket\":{\"id\":\"t-1\",\"code\":\"" CODE "\","
             "\"orderId\":\"o-1\",\"attendee\":\"%s\",\"status\":\"checkedIn\",\"door\":\"%s\"},"
             "\"order\":{\"id\":\"o-1\",\"quantity\":1,\"admittedSoFar\":1,\"customerName\":\"%s\"}}", name, door, name);
    stub_push(f->stub, 200, body);
    assert_int_equal(api_checkin(f->client, "c-1", CODE, "n-15", NULL, 1, &v, NULL), API_OK);
    assert_string_equal(v.exact.attendee, name);
    assert_string_equal(v.exact.customer, name);
    assert_string_equal(v.exact.door, door);
}

static void nonces_are_fresh_and_valid(void **state)
{
    (void)state;
    char a[API_NONCE_MAX + 1], b[API_NONCE_MAX + 1];
    api_checkin_nonce_new(a);
    api_checkin_nonce_new(b);
    assert_true(api_checkin_nonce_valid(a));
    assert_string_not_equal(a, b);
}

static void stats_are_read(void **state)
{
    fixture *f = *state;
    api_stats s;
    api_result res;
    stub_push(f->stub, 200, "{\"concertId\":\"c-1\",\"capacity\":100,\"sold\":40,\"refunded\":2,\"admitted\":12,"
                            "\"available\":62,\"revenue\":{\"card\":\"600.00\",\"cash\":\"100.00\",\"comp\":\"-20.00\"},"
                            "\"currency\":\"EUR\"}");
    assert_int_equal(api_concert_stats(f->client, "c-1", &s, &res), API_OK);
    assert_string_equal(stub_request_at(f->stub, 0)->path, "/dev/concerts/c-1/stats");
    assert_string_equal(s.concert_id, "c-1");
    assert_int_equal(s.capacity, 100);
    assert_int_equal(s.sold, 40);
    assert_int_equal(s.refunded, 2);
    assert_int_equal(s.admitted, 12);
    assert_int_equal(s.available, 62);
    assert_string_equal(s.revenue_card, "600.00");
    assert_string_equal(s.revenue_comp, "-20.00");
    assert_string_equal(s.currency, "EUR");
}

static void stats_refusals_and_malformed_answers(void **state)
{
    fixture *f = *state;
    api_stats s;
    stub_push(f->stub, 404, "{\"error\":\"Concert not found\"}");
    assert_int_equal(api_concert_stats(f->client, "nope", &s, NULL), API_ERR_NOT_FOUND);
    stub_push(f->stub, 200, "{\"concertId\":\"c-1\",\"capacity\":\"100\"}");
    assert_int_equal(api_concert_stats(f->client, "c-1", &s, NULL), API_ERR_PROTOCOL);
    assert_int_equal(s.capacity, 0);
    stub_push(f->stub, 200, "{\"concertId\":\"c-1\",\"capacity\":10,\"sold\":1.5,\"refunded\":0,\"admitted\":0,"
                            "\"available\":9,\"revenue\":{}}");
    assert_int_equal(api_concert_stats(f->client, "c-1", &s, NULL), API_ERR_PROTOCOL);
    stub_push(f->stub, 200, "{\"concertId\":\"c-1\",\"capacity\":10,\"sold\":1,\"refunded\":0,\"admitted\":0,"
                            "\"available\":9,\"revenue\":{\"card\":\"20.00\",\"cash\":\"0.00\",\"comp\":\"0.00\"},\"currency\":null}");
    assert_int_equal(api_concert_stats(f->client, "c-1", &s, NULL), API_OK);
    assert_string_equal(s.currency, "");
}

#define UNDONE "{\"result\":\"undone\",\"ticket\":" TICKET("valid", "") "}"

static void undo_posts_to_the_tickets_route_and_reads_the_ticket(void **state)
{
    fixture *f = *state;
    api_undo_result u;
    api_result res;
    char key[64];
    stub_push(f->stub, 200, UNDONE);
    assert_int_equal(api_undo_checkin(f->client, "t-1", &u, &res), API_OK);
    assert_false(u.not_checked_in);
    assert_string_equal(u.ticket_id, "t-1");
    assert_string_equal(u.status, "valid");
    assert_string_equal(u.order_id, "o-1");
    assert_string_equal(u.attendee, "Ada Lovelace");
    assert_false(res.unconfirmed);
    const stub_request *r = stub_request_at(f->stub, 0);
    assert_string_equal(r->method, "POST");
    assert_string_equal(r->path, "/dev/checkins/t-1/undo");
    assert_true(stub_header(r, "Authorization", key, sizeof key));
    assert_string_equal(key, "op-key");
}

static void undo_of_a_ticket_not_checked_in_says_its_state(void **state)
{
    fixture *f = *state;
    api_undo_result u;
    api_result res;
    stub_push(f->stub, 409, "{\"result\":\"not_checked_in\",\"error\":\"Ticket is not checked in\",\"ticket\":"
                            TICKET("valid", "") "}");
    assert_int_equal(api_undo_checkin(f->client, "t-1", &u, &res), API_ERR_INVALID);
    assert_true(u.not_checked_in);
    assert_string_equal(u.status, "valid");
    assert_string_equal(res.message, "Ticket is not checked in: it is valid");
    assert_int_equal(res.http_status, 409);
    stub_push(f->stub, 409, "{\"result\":\"not_checked_in\",\"error\":\"Ticket is not checked in\",\"ticket\":"
                            TICKET("refunded", ",\"refundedAt\":\"2026-12-12T19:00:00Z\"") "}");
    assert_int_equal(api_undo_checkin(f->client, "t-1", &u, NULL), API_ERR_INVALID);
    assert_true(u.not_checked_in);
    assert_string_equal(u.status, "refunded");
    assert_int_equal(stub_request_count(f->stub), 2); /* a definite no: not sent again */
}

static void undo_of_an_unknown_ticket_is_not_found(void **state)
{
    fixture *f = *state;
    api_undo_result u;
    api_result res;
    stub_push(f->stub, 404, "{\"error\":\"Ticket not found\"}");
    assert_int_equal(api_undo_checkin(f->client, "a/b", &u, &res), API_ERR_NOT_FOUND);
    assert_string_equal(res.message, "No such ticket");
    assert_false(u.not_checked_in);
    assert_string_equal(stub_request_at(f->stub, 0)->path, "/dev/checkins/a%2Fb/undo"); /* the id escaped */
    assert_int_equal(api_undo_checkin(f->client, "", &u, &res), API_ERR_NOT_FOUND);  /* never sent */
    assert_int_equal(stub_request_count(f->stub), 1);
}

static void undo_that_may_have_reached_the_server_is_not_sent_again(void **state)
{
    fixture *f = *state;
    api_undo_result u;
    api_result res;
    stub_push(f->stub, 503, "{\"error\":\"busy\"}");
    stub_push(f->stub, 200, UNDONE); /* never asked for: a second undo could undo a new check-in */
    assert_int_equal(api_undo_checkin(f->client, "t-1", &u, &res), API_ERR_UNAVAILABLE);
    assert_true(res.unconfirmed);
    assert_int_equal(stub_request_count(f->stub), 1);
}

static void undo_refused_at_the_door_of_the_api_is_sent_again(void **state)
{
    fixture *f = *state;
    api_undo_result u;
    api_result res;
    stub_push(f->stub, 429, "{\"message\":\"Too Many Requests\"}");
    stub_push(f->stub, 200, UNDONE);
    assert_int_equal(api_undo_checkin(f->client, "t-1", &u, &res), API_OK);
    assert_int_equal(stub_request_count(f->stub), 2);
    assert_string_equal(u.status, "valid");
}

static void undo_unreachable_is_no_change(void **state)
{
    (void)state;
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/dev", stub_closed_port());
    api_config cfg = { .base_url = url, .auth = stub_token_auth("k"), .purchase_attempts = 2 };
    api_client *c = api_client_new(&cfg);
    assert_non_null(c);
    api_undo_result u;
    api_result res;
    assert_int_equal(api_undo_checkin(c, "t-1", &u, &res), API_ERR_UNREACHABLE);
    assert_false(res.unconfirmed); /* nothing reached the server */
    api_client_free(c);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(admitted_sends_the_canonical_code_nonce_and_door_and_reads_the_verdict, stub_client_setup, stub_client_teardown),
        cmocka_unit_test_setup_teardown(no_door_sends_no_door_field, stub_client_setup, stub_client_teardown),
        cmocka_unit_test_setup_teardown(already_admitted_names_when_and_where, stub_client_setup, stub_client_teardown),
        cmocka_unit_test_setup_teardown(refunded_is_a_refusal, stub_client_setup, stub_client_teardown),
        cmocka_unit_test_setup_teardown(wrong_concert_reads_the_other_concerts_name, stub_client_setup, stub_client_teardown),
        cmocka_unit_test_setup_teardown(wrong_concert_without_the_name_still_names_the_id, stub_client_setup, stub_client_teardown),
        cmocka_unit_test_setup_teardown(unknown_code_from_the_server, stub_client_setup, stub_client_teardown),
        cmocka_unit_test_setup_teardown(text_that_is_no_code_is_unknown_without_asking, stub_client_setup, stub_client_teardown),
        cmocka_unit_test_setup_teardown(a_5xx_is_retried_with_the_same_nonce_and_then_admits, stub_client_setup, stub_client_teardown),
        cmocka_unit_test_setup_teardown(a_5xx_with_one_attempt_cannot_verify, stub_client_setup, stub_client_teardown),
        cmocka_unit_test(unreachable_cannot_verify),
        cmocka_unit_test_setup_teardown(a_2xx_that_is_no_verdict_cannot_verify, stub_client_setup, stub_client_teardown),
        cmocka_unit_test_setup_teardown(forbidden_and_bad_requests_are_refused_requests, stub_client_setup, stub_client_teardown),
        cmocka_unit_test_setup_teardown(bad_input_is_refused_before_sending, stub_client_setup, stub_client_teardown),
        cmocka_unit_test_setup_teardown(strings_of_a_verdict_are_sanitised, stub_client_setup, stub_client_teardown),
        cmocka_unit_test_setup_teardown(texts_of_a_verdict_are_kept_whole, stub_client_setup, stub_client_teardown),
        cmocka_unit_test(nonces_are_fresh_and_valid),
        cmocka_unit_test_setup_teardown(stats_are_read, stub_client_setup, stub_client_teardown),
        cmocka_unit_test_setup_teardown(stats_refusals_and_malformed_answers, stub_client_setup, stub_client_teardown),
        cmocka_unit_test_setup_teardown(undo_posts_to_the_tickets_route_and_reads_the_ticket, stub_client_setup, stub_client_teardown),
        cmocka_unit_test_setup_teardown(undo_of_a_ticket_not_checked_in_says_its_state, stub_client_setup, stub_client_teardown),
        cmocka_unit_test_setup_teardown(undo_of_an_unknown_ticket_is_not_found, stub_client_setup, stub_client_teardown),
        cmocka_unit_test_setup_teardown(undo_that_may_have_reached_the_server_is_not_sent_again, stub_client_setup, stub_client_teardown),
        cmocka_unit_test_setup_teardown(undo_refused_at_the_door_of_the_api_is_sent_again, stub_client_setup, stub_client_teardown),
        cmocka_unit_test(undo_unreachable_is_no_change),
    };
    int rc = cmocka_run_group_tests(tests, NULL, stub_auth_teardown);
    curl_global_cleanup();
    return rc;
}
