/* Handler validation paths that need no store (st == NULL): each rule answers 400/413 naming the
 * field; valid input gets as far as the store (503 + Retry-After without one); JSON forms; ticket ids;
 * the invocation log line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apigw.h"
#include "bo_valid.h"
#include "handlers.h"
#include "lambda_log.h"

/* Builds an event with the given JSON body (NULL: no body) and optional extra top-level members. */
static char *event_json(const char *body, bool b64, const char *extra)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "httpMethod", "POST");
    cJSON_AddStringToObject(o, "path", "/x");
    if (body)
        cJSON_AddStringToObject(o, "body", body);
    else
        cJSON_AddNullToObject(o, "body");
    cJSON_AddBoolToObject(o, "isBase64Encoded", b64);
    /* a signed-in manager, as API Gateway's Cognito authorizer hands the claims over (createConcert needs one) */
    cJSON *claims = cJSON_AddObjectToObject(cJSON_AddObjectToObject(cJSON_AddObjectToObject(o, "requestContext"),
                                                                    "authorizer"), "claims");
    cJSON_AddStringToObject(claims, "sub", "sub-manager");
    cJSON_AddStringToObject(claims, "cognito:groups", "manager");
    char *s = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    if (extra) { /* splice extra members before the closing brace */
        size_t n = strlen(s);
        char *t = malloc(n + strlen(extra) + 3);
        memcpy(t, s, n - 1);
        sprintf(t + n - 1, ",%s}", extra);
        free(s);
        s = t;
    }
    return s;
}

typedef struct outcome {
    int status;
    char error[512];
    unsigned retry_after;
} outcome;

static outcome run_raw(handler_fn fn, const char *event)
{
    outcome oc;
    memset(&oc, 0, sizeof oc);
    apigw_event ev;
    if (apigw_event_parse(event, strlen(event), &ev) != 0)
        fail_msg("test event does not parse: %s", event);
    handler_result r;
    memset(&r, 0, sizeof r);
    fn(NULL, &ev, &r);
    oc.status = r.resp.status;
    oc.retry_after = r.resp.retry_after_s;
    assert_non_null(r.resp.body);
    cJSON *b = cJSON_Parse(r.resp.body);
    assert_non_null(b);
    const cJSON *e = cJSON_GetObjectItem(b, "error");
    if (cJSON_IsString(e))
        snprintf(oc.error, sizeof oc.error, "%s", e->valuestring);
    if (oc.status >= 400)
        assert_non_null(r.reason); /* what the log line reports */
    cJSON_Delete(b);
    handler_result_clear(&r);
    apigw_event_clear(&ev);
    return oc;
}

static outcome run_body(handler_fn fn, const char *body)
{
    char *e = event_json(body, false, NULL);
    outcome oc = run_raw(fn, e);
    free(e);
    return oc;
}

static void expect(outcome oc, int status, const char *error_prefix)
{
    if (oc.status != status || strncmp(oc.error, error_prefix, strlen(error_prefix)) != 0)
        fail_msg("got %d \"%s\", want %d \"%s...\"", oc.status, oc.error, status, error_prefix);
}

#define GOOD_CONCERT_FIELDS "\"date\":\"2026-12-24T20:00:00Z\",\"venue\":\"Arena\",\"availableTickets\":50,\"ticketPrice\":49.99"

static void create_body_problems(void **state)
{
    (void)state;
    char *e = event_json(NULL, false, NULL);
    expect(run_raw(handler_create_concert, e), 400, "body is required");
    free(e);
    expect(run_raw(handler_create_concert, "{\"httpMethod\":\"POST\"}"), 400, "body is required");
    expect(run_body(handler_create_concert, ""), 400, "body is required");
    expect(run_body(handler_create_concert, "   "), 400, "body is required");
    expect(run_body(handler_create_concert, "{\"name\":"), 400, "body must be valid JSON");
    expect(run_body(handler_create_concert, "{} {}"), 400, "body must be valid JSON");
    expect(run_body(handler_create_concert, "NaN"), 400, "body must be valid JSON");
    expect(run_body(handler_create_concert, "{\"ticketPrice\":NaN}"), 400, "body must be valid JSON");
    expect(run_body(handler_create_concert, "[1,2]"), 400, "body must be a JSON object");
    expect(run_body(handler_create_concert, "\"str\""), 400, "body must be a JSON object");
    expect(run_body(handler_create_concert, "null"), 400, "body must be a JSON object");
    /* a NUL inside the body (event-level \u0000) and inside a body string */
    expect(run_raw(handler_create_concert, "{\"body\":\"{\\\"name\\\":\\\"a\\u0000b\\\"}\"}"), 400,
           "body must not contain NUL");
    expect(run_body(handler_create_concert, "{\"name\":\"a\\u0000b\"," GOOD_CONCERT_FIELDS "}"), 400,
           "body must not contain NUL");
    /* invalid UTF-8 can only arrive base64-encoded (the event itself is JSON text) */
    char *b = event_json("eyJuYW1lIjoi/yJ9", true, NULL); /* {"name":"\xff"} */
    expect(run_raw(handler_create_concert, b), 400, "body must be valid UTF-8");
    free(b);
    b = event_json("not base64!", true, NULL);
    expect(run_raw(handler_create_concert, b), 400, "body is not valid base64");
    free(b);
    b = event_json("eyJhIjoiAGIifQ==", true, NULL); /* {"a":"\0b"} with a raw NUL */
    expect(run_raw(handler_create_concert, b), 400, "body must not contain NUL");
    free(b);
}

static void oversized_bodies_are_refused(void **state)
{
    (void)state;
    size_t n = BO_BODY_MAX + 1;
    char *big = malloc(n + 1);
    memset(big, ' ', n);
    big[0] = '{';
    big[n - 1] = '}';
    big[n] = '\0';
    expect(run_body(handler_create_concert, big), 413, "body must be at most 65536 bytes");
    expect(run_body(handler_purchase_ticket, big), 413, "body must be at most 65536 bytes");
    big[n - 1] = ' ';
    big[n - 2] = '}';
    big[n - 1] = '\0'; /* exactly 64 KiB: accepted as a body, then the fields are judged */
    expect(run_body(handler_create_concert, big), 400, "name is required");
    free(big);
    /* base64: 48 KiB of encoded text is fine, the decoded size counts */
    size_t raw = BO_BODY_MAX + 3, enc = (raw + 2) / 3 * 4;
    char *b64 = malloc(enc + 1);
    for (size_t i = 0; i < enc; i++)
        b64[i] = 'I'; /* "III..." decodes to spaces-ish bytes; size is what matters */
    b64[enc] = '\0';
    char *e = event_json(b64, true, NULL);
    expect(run_raw(handler_create_concert, e), 413, "body must be at most 65536 bytes");
    free(e);
    free(b64);
}

static void create_field_rules(void **state)
{
    (void)state;
    struct { const char *body; int status; const char *error; } cases[] = {
        { "{" GOOD_CONCERT_FIELDS "}", 400, "name is required" },
        { "{\"name\":null," GOOD_CONCERT_FIELDS "}", 400, "name is required" },
        { "{\"name\":5," GOOD_CONCERT_FIELDS "}", 400, "name must be a string" },
        { "{\"name\":[\"x\"]," GOOD_CONCERT_FIELDS "}", 400, "name must be a string" },
        { "{\"name\":\"   \"," GOOD_CONCERT_FIELDS "}", 400, "name must not be empty" },
        { "{\"name\":\"a\\tb\"," GOOD_CONCERT_FIELDS "}", 400, "name must not contain control" },
        { "{\"name\":\"\\u001b[31m\"," GOOD_CONCERT_FIELDS "}", 400, "name must not contain control" },
        { "{\"name\":\"\\u0085\"," GOOD_CONCERT_FIELDS "}", 400, "name must not contain control" },
        { "{\"name\":\"Show\",\"date\":\"2026-12-24T20:00:00Z\",\"venue\":\"\",\"availableTickets\":1,\"ticketPrice\":1}", 400, "venue must not be empty" },
        { "{\"name\":\"Show\",\"date\":\"2026-12-24T20:00:00Z\",\"availableTickets\":1,\"ticketPrice\":1}", 400, "venue is required" },
        { "{\"name\":\"Show\",\"date\":\"2026-12-24T20:00:00Z\",\"venue\":{},\"availableTickets\":1,\"ticketPrice\":1}", 400, "venue must be a string" },
        { "{\"name\":\"Show\",\"venue\":\"V\",\"availableTickets\":1,\"ticketPrice\":1}", 400, "date is required" },
        { "{\"name\":\"Show\",\"date\":20261224,\"venue\":\"V\",\"availableTickets\":1,\"ticketPrice\":1}", 400, "date must be a string" },
        { "{\"name\":\"Show\",\"date\":\"tomorrow\",\"venue\":\"V\",\"availableTickets\":1,\"ticketPrice\":1}", 400, "date must be an ISO-8601" },
        { "{\"name\":\"Show\",\"date\":\"2026-02-30\",\"venue\":\"V\",\"availableTickets\":1,\"ticketPrice\":1}", 400, "date must be a real" },
        { "{\"name\":\"Show\",\"date\":\"2026-12-24\",\"venue\":\"V\",\"ticketPrice\":1}", 400, "availableTickets is required" },
        { "{\"name\":\"Show\",\"date\":\"2026-12-24\",\"venue\":\"V\",\"availableTickets\":\"5\",\"ticketPrice\":1}", 400, "availableTickets must be an integer" },
        { "{\"name\":\"Show\",\"date\":\"2026-12-24\",\"venue\":\"V\",\"availableTickets\":true,\"ticketPrice\":1}", 400, "availableTickets must be an integer" },
        { "{\"name\":\"Show\",\"date\":\"2026-12-24\",\"venue\":\"V\",\"availableTickets\":null,\"ticketPrice\":1}", 400, "availableTickets is required" },
        { "{\"name\":\"Show\",\"date\":\"2026-12-24\",\"venue\":\"V\",\"availableTickets\":1.5,\"ticketPrice\":1}", 400, "availableTickets must be an integer" },
        { "{\"name\":\"Show\",\"date\":\"2026-12-24\",\"venue\":\"V\",\"availableTickets\":1e309,\"ticketPrice\":1}", 400, "availableTickets must be an integer" },
        { "{\"name\":\"Show\",\"date\":\"2026-12-24\",\"venue\":\"V\",\"availableTickets\":-1,\"ticketPrice\":1}", 400, "availableTickets must be between" },
        { "{\"name\":\"Show\",\"date\":\"2026-12-24\",\"venue\":\"V\",\"availableTickets\":1000001,\"ticketPrice\":1}", 400, "availableTickets must be between" },
        { "{\"name\":\"Show\",\"date\":\"2026-12-24\",\"venue\":\"V\",\"availableTickets\":1}", 400, "ticketPrice is required" },
        { "{\"name\":\"Show\",\"date\":\"2026-12-24\",\"venue\":\"V\",\"availableTickets\":1,\"ticketPrice\":\"49.99\"}", 400, "ticketPrice must be a number" },
        { "{\"name\":\"Show\",\"date\":\"2026-12-24\",\"venue\":\"V\",\"availableTickets\":1,\"ticketPrice\":false}", 400, "ticketPrice must be a number" },
        { "{\"name\":\"Show\",\"date\":\"2026-12-24\",\"venue\":\"V\",\"availableTickets\":1,\"ticketPrice\":-0.01}", 400, "ticketPrice must not be negative" },
        { "{\"name\":\"Show\",\"date\":\"2026-12-24\",\"venue\":\"V\",\"availableTickets\":1,\"ticketPrice\":49.999}", 400, "ticketPrice must have at most 2 decimals" },
        { "{\"name\":\"Show\",\"date\":\"2026-12-24\",\"venue\":\"V\",\"availableTickets\":1,\"ticketPrice\":1e309}", 400, "ticketPrice must be a number" },
        { "{\"name\":\"Show\",\"date\":\"2026-12-24\",\"venue\":\"V\",\"availableTickets\":1,\"ticketPrice\":1e7}", 400, "ticketPrice must be at most" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        outcome oc = run_body(handler_create_concert, cases[i].body);
        if (oc.status != cases[i].status || strncmp(oc.error, cases[i].error, strlen(cases[i].error)) != 0)
            fail_msg("case %zu: got %d \"%s\", want %d \"%s\"", i, oc.status, oc.error, cases[i].status,
                     cases[i].error);
    }
    char name[260];
    memset(name, 'n', 201);
    name[201] = '\0';
    char body[600];
    snprintf(body, sizeof body, "{\"name\":\"%s\"," GOOD_CONCERT_FIELDS "}", name);
    expect(run_body(handler_create_concert, body), 400, "name must be at most 200 characters");
}

static void valid_create_reaches_the_store(void **state)
{
    (void)state;
    const char *ok[] = {
        "{\"name\":\"Show\"," GOOD_CONCERT_FIELDS "}",
        "{\"name\":\"  Padded  \",\"date\":\"2026-12-24\",\"venue\":\"V\",\"availableTickets\":0,\"ticketPrice\":0}",
        "{\"name\":\"Zero\",\"date\":\"2026-12-24\",\"venue\":\"V\",\"availableTickets\":-0,\"ticketPrice\":-0}",
        "{\"name\":\"Max\",\"date\":\"2026-12-24\",\"venue\":\"V\",\"availableTickets\":1000000,\"ticketPrice\":1000000}",
        "{\"name\":\"B\\u00e9yonc\\u00e9 \\ud83c\\udfb8\",\"date\":\"2026-12-24\",\"venue\":\"V\",\"availableTickets\":5.0,\"ticketPrice\":0.1,\"extra\":1}",
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        outcome oc = run_body(handler_create_concert, ok[i]);
        if (oc.status != 503)
            fail_msg("case %zu: got %d \"%s\"", i, oc.status, oc.error);
        assert_non_null(strstr(oc.error, "try again"));
        assert_int_equal(oc.retry_after, HANDLER_RETRY_AFTER_S);
    }
    /* base64-encoded valid body */
    char *e = event_json("eyJuYW1lIjoiUyIsImRhdGUiOiIyMDI2LTEyLTI0IiwidmVudWUiOiJWIiwiYXZhaWxhYmxlVGlja2V0cyI6MSwidGlja2V0UHJpY2UiOjF9", true, NULL);
    expect(run_raw(handler_create_concert, e), 503, "Could not create concert");
    free(e);
}

#define GOOD_TICKET "\"concertId\":\"c-1\",\"customerName\":\"Jane\",\"customerEmail\":\"jane@example.com\""

static void purchase_field_rules(void **state)
{
    (void)state;
    struct { const char *body; const char *error; } cases[] = {
        { "{\"customerName\":\"Jane\",\"customerEmail\":\"jane@example.com\"}", "concertId is required" },
        { "{\"concertId\":null,\"customerName\":\"Jane\",\"customerEmail\":\"jane@example.com\"}", "concertId is required" },
        { "{\"concertId\":\"\",\"customerName\":\"Jane\",\"customerEmail\":\"jane@example.com\"}", "concertId is required" },
        { "{\"concertId\":42,\"customerName\":\"Jane\",\"customerEmail\":\"jane@example.com\"}", "concertId must be a string" },
        { "{\"concertId\":\"a\\nb\",\"customerName\":\"Jane\",\"customerEmail\":\"jane@example.com\"}", "concertId must not contain control" },
        { "{\"concertId\":\"c\",\"customerEmail\":\"jane@example.com\"}", "customerName is required" },
        { "{\"concertId\":\"c\",\"customerName\":\"\",\"customerEmail\":\"jane@example.com\"}", "customerName must not be empty" },
        { "{\"concertId\":\"c\",\"customerName\":1,\"customerEmail\":\"jane@example.com\"}", "customerName must be a string" },
        { "{\"concertId\":\"c\",\"customerName\":\"J\\u0007\",\"customerEmail\":\"jane@example.com\"}", "customerName must not contain control" },
        { "{\"concertId\":\"c\",\"customerName\":\"Jane\"}", "customerEmail is required" },
        { "{\"concertId\":\"c\",\"customerName\":\"Jane\",\"customerEmail\":true}", "customerEmail must be a string" },
        { "{\"concertId\":\"c\",\"customerName\":\"Jane\",\"customerEmail\":\"jane\"}", "customerEmail must be a valid" },
        { "{\"concertId\":\"c\",\"customerName\":\"Jane\",\"customerEmail\":\"jane@@example.com\"}", "customerEmail must be a valid" },
        { "{\"concertId\":\"c\",\"customerName\":\"Jane\",\"customerEmail\":\"jane@example\"}", "customerEmail must be a valid" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        outcome oc = run_body(handler_purchase_ticket, cases[i].body);
        if (oc.status != 400 || strncmp(oc.error, cases[i].error, strlen(cases[i].error)) != 0)
            fail_msg("case %zu: got %d \"%s\", want 400 \"%s\"", i, oc.status, oc.error, cases[i].error);
    }
    char id[200], body[600];
    memset(id, 'i', 129);
    id[129] = '\0';
    snprintf(body, sizeof body, "{\"concertId\":\"%s\",\"customerName\":\"J\",\"customerEmail\":\"j@x.io\"}", id);
    expect(run_body(handler_purchase_ticket, body), 400, "concertId must be at most 128");
    id[128] = '\0';
    snprintf(body, sizeof body, "{\"concertId\":\"%s\",\"customerName\":\"J\",\"customerEmail\":\"j@x.io\"}", id);
    expect(run_body(handler_purchase_ticket, body), 503, "Could not purchase ticket");
    char email[300];
    memset(email, 'e', 250);
    strcpy(email + 250, "@x.io");
    snprintf(body, sizeof body, "{\"concertId\":\"c\",\"customerName\":\"J\",\"customerEmail\":\"%s\"}", email);
    expect(run_body(handler_purchase_ticket, body), 400, "customerEmail must be at most 254");
    expect(run_body(handler_purchase_ticket, "{" GOOD_TICKET "}"), 503, "Could not purchase ticket, please try again");
}

static void idempotency_key_rules(void **state)
{
    (void)state;
    char *e = event_json("{" GOOD_TICKET "}", false, "\"headers\":{\"Idempotency-Key\":\"\"}");
    expect(run_raw(handler_purchase_ticket, e), 400, "Idempotency-Key must be");
    free(e);
    e = event_json("{" GOOD_TICKET "}", false, "\"headers\":{\"idempotency-key\":\"has space\"}");
    expect(run_raw(handler_purchase_ticket, e), 400, "Idempotency-Key must be");
    free(e);
    char key[300], extra[400];
    memset(key, 'k', 256);
    key[256] = '\0';
    snprintf(extra, sizeof extra, "\"multiValueHeaders\":{\"IDEMPOTENCY-KEY\":[\"%s\"]}", key);
    e = event_json("{" GOOD_TICKET "}", false, extra);
    expect(run_raw(handler_purchase_ticket, e), 400, "Idempotency-Key must be");
    free(e);
    key[255] = '\0';
    snprintf(extra, sizeof extra, "\"headers\":{\"Idempotency-Key\":\"%s\"}", key);
    e = event_json("{" GOOD_TICKET "}", false, extra);
    expect(run_raw(handler_purchase_ticket, e), 503, "Could not purchase ticket");
    free(e);
}

static void get_concert_id_rules(void **state)
{
    (void)state;
    expect(run_raw(handler_get_concert, "{\"httpMethod\":\"GET\"}"), 400, "id is required");
    expect(run_raw(handler_get_concert, "{\"pathParameters\":null}"), 400, "id is required");
    expect(run_raw(handler_get_concert, "{\"pathParameters\":{\"id\":\"\"}}"), 400, "id is required");
    expect(run_raw(handler_get_concert, "{\"pathParameters\":{\"id\":[1]}}"), 400, "id is required");
    expect(run_raw(handler_get_concert, "{\"pathParameters\":{\"id\":\"a\\u0001\"}}"), 400, "id must not contain control");
    char ev[400], id[200];
    memset(id, 'x', 129);
    id[129] = '\0';
    snprintf(ev, sizeof ev, "{\"pathParameters\":{\"id\":\"%s\"}}", id);
    expect(run_raw(handler_get_concert, ev), 400, "id must be at most 128");
    expect(run_raw(handler_get_concert, "{\"pathParameters\":{\"id\":\"abc\"}}"), 503, "Could not retrieve concert");
    expect(run_raw(handler_list_concerts, "{}"), 503, "Could not retrieve concerts");
}

static void handlers_are_found_by_reference_name(void **state)
{
    (void)state;
    const char *names[] = { "concert-service.createConcert", "concert-service.getConcert",
                            "concert-service.listConcerts", "concert-service.purchaseTicket" };
    handler_fn fns[] = { handler_create_concert, handler_get_concert, handler_list_concerts, handler_purchase_ticket };
    for (size_t i = 0; i < 4; i++) {
        const handler_def *d = handler_find(names[i]);
        assert_non_null(d);
        assert_ptr_equal(d->fn, fns[i]);
        assert_non_null(strstr(names[i], d->short_name));
    }
    assert_null(handler_find(NULL));
    assert_null(handler_find(""));
    assert_null(handler_find("createConcert"));
    assert_null(handler_find("concert-service.CreateConcert"));
}

static void concert_json_has_exact_price_and_integer_tickets(void **state)
{
    (void)state;
    concert c;
    memset(&c, 0, sizeof c);
    strcpy(c.id, "c-1");
    c.name = "Show";
    c.date = "2026-12-24";
    c.venue = "Arena";
    c.available_tickets = 1000000;
    c.price_cents = 4999;
    cJSON *j = handler_concert_json(&c);
    char *s = cJSON_PrintUnformatted(j);
    assert_string_equal(s, "{\"id\":\"c-1\",\"name\":\"Show\",\"date\":\"2026-12-24\",\"venue\":\"Arena\","
                           "\"availableTickets\":1000000,\"ticketPrice\":49.99}");
    free(s);
    cJSON_Delete(j);
    c.price_cents = 5000;
    c.name = NULL; /* an item written by someone else without a name */
    j = handler_concert_json(&c);
    s = cJSON_PrintUnformatted(j);
    assert_non_null(strstr(s, "\"name\":null"));
    assert_non_null(strstr(s, "\"ticketPrice\":50}"));
    free(s);
    cJSON_Delete(j);
}

/* A concert read with problems: the fields as stored (bad numbers as their stored text, missing
 * ones as null), the problems, and the 422 answer built from it. */
static void malformed_concert_json_keeps_the_stored_text_and_names_the_problems(void **state)
{
    (void)state;
    concert c;
    memset(&c, 0, sizeof c);
    strcpy(c.id, "c-9");
    c.name = "Show";
    c.date = NULL; /* missing */
    c.venue = "Arena";
    c.available_tickets = 0;
    c.raw_tickets = "lots";
    c.price_cents = 1250;
    c.bad = STORE_F_TICKETS | STORE_F_DATE;
    c.problems[0] = "date: missing";
    c.problems[1] = "availableTickets: not a number";
    c.n_problems = 2;
    cJSON *j = handler_concert_json(&c);
    char *s = cJSON_PrintUnformatted(j);
    assert_string_equal(s, "{\"id\":\"c-9\",\"name\":\"Show\",\"date\":null,\"venue\":\"Arena\",\"availableTickets\":\"lots\","
                           "\"ticketPrice\":12.5,\"problems\":[\"date: missing\",\"availableTickets: not a number\"]}");
    free(s);
    cJSON_Delete(j);

    handler_result r;
    memset(&r, 0, sizeof r);
    handler_fail_malformed(&r, &c);
    assert_int_equal(r.resp.status, 422);
    assert_int_equal(r.resp.retry_after_s, 0);
    cJSON *b = cJSON_Parse(r.resp.body);
    assert_string_equal(cJSON_GetObjectItem(b, "error")->valuestring,
                        "Concert is stored malformed: date: missing; availableTickets: not a number");
    assert_string_equal(cJSON_GetObjectItem(b, "availableTickets")->valuestring, "lots");
    cJSON_Delete(b);
    handler_result_clear(&r);

    /* an id too long to address is returned in full; without problems at hand, the error alone */
    char long_id[300];
    memset(long_id, 'x', sizeof long_id - 1);
    long_id[sizeof long_id - 1] = '\0';
    concert l;
    memset(&l, 0, sizeof l);
    l.raw_id = long_id;
    l.name = "N";
    l.date = "2027-01-01";
    l.venue = "V";
    l.bad = STORE_F_ID;
    l.problems[0] = "id: longer than 128 bytes";
    l.n_problems = 1;
    j = handler_concert_json(&l);
    assert_string_equal(cJSON_GetObjectItem(j, "id")->valuestring, long_id);
    assert_true(cJSON_IsNumber(cJSON_GetObjectItem(j, "availableTickets")));
    cJSON_Delete(j);
    memset(&r, 0, sizeof r);
    handler_fail_malformed(&r, NULL);
    assert_int_equal(r.resp.status, 422);
    assert_string_equal(r.resp.body, "{\"error\":\"Concert is stored malformed\"}");
    handler_result_clear(&r);
}

static void ticket_json_has_the_reference_fields(void **state)
{
    (void)state;
    ticket t;
    memset(&t, 0, sizeof t);
    strcpy(t.id, "t-1");
    strcpy(t.concert_id, "c-1");
    t.customer_name = "Jane";
    t.customer_email = "jane@example.com";
    strcpy(t.purchase_date, "2026-11-25T08:47:18.123Z");
    cJSON *j = handler_ticket_json(&t);
    char *s = cJSON_PrintUnformatted(j);
    assert_string_equal(s, "{\"id\":\"t-1\",\"concertId\":\"c-1\",\"customerName\":\"Jane\","
                           "\"customerEmail\":\"jane@example.com\",\"purchaseDate\":\"2026-11-25T08:47:18.123Z\"}");
    free(s);
    cJSON_Delete(j);
}

static void ticket_ids_from_keys_are_stable_uuids(void **state)
{
    (void)state;
    char a[37], b[37], c[37], r1[37], r2[37];
    handler_ticket_id("key-1", a);
    handler_ticket_id("key-1", b);
    handler_ticket_id("key-2", c);
    assert_string_equal(a, b);
    assert_string_not_equal(a, c);
    assert_int_equal(strlen(a), 36);
    assert_int_equal(a[14], '5'); /* version 5: name-based SHA-1 */
    assert_true(strchr("89ab", a[19]) != NULL);
    handler_ticket_id(NULL, r1);
    handler_ticket_id(NULL, r2);
    assert_string_not_equal(r1, r2);
    assert_int_equal(r1[14], '4');
}

static void log_line_is_one_json_object(void **state)
{
    (void)state;
    char line[LOG_LINE_MAX];
    log_invocation li = { .request_id = "rid-1", .api_request_id = "api-1", .handler = "purchaseTicket", .method = "POST",
                          .path = "/tickets\"\n\x01\xff\xc3\xa9\xe0\x80\x80", .status = 503, .duration_ms = 1.5,
                          .cold_start = true, .reason = "Could not purchase ticket, please try again",
                          .store_error = "ThrottlingException: slow down" };
    size_t n = log_format_invocation(line, sizeof line, &li, 1764060438123ull);
    assert_int_equal(n, strlen(line));
    assert_int_equal(line[n - 1], '\n');
    assert_null(memchr(line, '\n', n - 1)); /* exactly one line */
    cJSON *o = cJSON_Parse(line);
    assert_non_null(o);
    assert_string_equal(cJSON_GetObjectItem(o, "ts")->valuestring, "2025-11-25T08:47:18.123Z");
    assert_string_equal(cJSON_GetObjectItem(o, "level")->valuestring, "error");
    assert_string_equal(cJSON_GetObjectItem(o, "requestId")->valuestring, "rid-1");
    assert_string_equal(cJSON_GetObjectItem(o, "apiRequestId")->valuestring, "api-1");
    assert_string_equal(cJSON_GetObjectItem(o, "handler")->valuestring, "purchaseTicket");
    assert_string_equal(cJSON_GetObjectItem(o, "method")->valuestring, "POST");
    /* controls escaped; a stray byte (0xff, the overlong E0 80 80) is escaped as \u00XX, which reads back as
     * U+00XX; the well-formed é is kept */
    assert_string_equal(cJSON_GetObjectItem(o, "path")->valuestring,
                        "/tickets\"\n\x01\xc3\xbf\xc3\xa9\xc3\xa0\xc2\x80\xc2\x80");
    assert_int_equal(cJSON_GetObjectItem(o, "status")->valueint, 503);
    assert_true(cJSON_GetObjectItem(o, "durationMs")->valuedouble == 1.5);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(o, "coldStart")));
    assert_string_equal(cJSON_GetObjectItem(o, "storeError")->valuestring, "ThrottlingException: slow down");
    cJSON_Delete(o);
    /* absent optional fields are left out; a tiny buffer still gives a terminated line */
    log_invocation min = { .request_id = "r", .handler = "listConcerts", .status = 200 };
    n = log_format_invocation(line, sizeof line, &min, 0);
    o = cJSON_Parse(line);
    assert_non_null(o);
    assert_null(cJSON_GetObjectItem(o, "method"));
    assert_null(cJSON_GetObjectItem(o, "reason"));
    assert_string_equal(cJSON_GetObjectItem(o, "level")->valuestring, "info");
    cJSON_Delete(o);
    char tiny[16];
    n = log_format_invocation(tiny, sizeof tiny, &li, 0);
    assert_true(n < sizeof tiny);
    assert_int_equal(tiny[n - 1], '\n');
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(create_body_problems),
        cmocka_unit_test(oversized_bodies_are_refused),
        cmocka_unit_test(create_field_rules),
        cmocka_unit_test(valid_create_reaches_the_store),
        cmocka_unit_test(purchase_field_rules),
        cmocka_unit_test(idempotency_key_rules),
        cmocka_unit_test(get_concert_id_rules),
        cmocka_unit_test(handlers_are_found_by_reference_name),
        cmocka_unit_test(concert_json_has_exact_price_and_integer_tickets),
        cmocka_unit_test(malformed_concert_json_keeps_the_stored_text_and_names_the_problems),
        cmocka_unit_test(ticket_json_has_the_reference_fields),
        cmocka_unit_test(ticket_ids_from_keys_are_stable_uuids),
        cmocka_unit_test(log_line_is_one_json_object),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
