/* The four handlers against DynamoDB Local (AWS_ENDPOINT_URL_DYNAMODB), through the store:
 * success and error paths, sold out, unknown concert, idempotent replay, storage failure,
 * the whole invocation path (app_invoke), and 200 parallel purchases of 50 seats. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lambda_app.h"
#include "ddb.h"
#include "ddb_tables.h"
#include "handler_call.h"
#include "handlers.h"
#include "layout.h"
#include "store.h"

#define PARALLEL 200
#define SEATS 50

static char concerts_table[128], tickets_table[128], operators_table[128];
static ddb_client *raw;
static store *st;

static int setup(void **state)
{
    (void)state;
    if (ddb_test_tables_create(&raw, "it-h2", concerts_table, tickets_table, sizeof concerts_table) ||
        snprintf(operators_table, sizeof operators_table, "%s", ddb_test_table_of(STORE_T_OPERATORS)) < 1)
        return -1;
    st = ddb_test_store_open(concerts_table, tickets_table);
    return st ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    store_close(st);
    return ddb_test_tables_drop(raw, concerts_table, tickets_table);
}

typedef handler_answer answer;

/* Runs fn on an event made of body (JSON text or NULL), path id and Idempotency-Key (or NULL). */
static answer call_on(store *s, handler_fn fn, const char *body, const char *id, const char *key)
{
    /* a signed-in manager (createConcert needs one; the public handlers ignore the claims) */
    handler_req q = { .body = body, .param = id ? "id" : NULL, .value = id, .idem = key, .sub = "sub-manager",
                      .groups = "manager" };
    return handler_call_on(s, fn, &q);
}

static answer call(handler_fn fn, const char *body, const char *id, const char *key)
{
    return call_on(st, fn, body, id, key);
}

static const char *jstr(const cJSON *o, const char *k)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(it) ? it->valuestring : NULL;
}

static double jnum(const cJSON *o, const char *k)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, k);
    if (!cJSON_IsNumber(it))
        fail_msg("%s is not a number", k);
    return it->valuedouble;
}

/* Creates a concert with `seats` tickets; returns its id in out. */
static void create_concert(int seats, char out[STORE_ID_MAX + 1])
{
    char body[256];
    snprintf(body, sizeof body,
             "{\"name\":\"Integration %d\",\"date\":\"2026-12-24T20:00:00Z\",\"venue\":\"Hall\","
             "\"availableTickets\":%d,\"ticketPrice\":49.99}", seats, seats);
    answer a = call(handler_create_concert, body, NULL, NULL);
    if (a.status != 201)
        fail_msg("create: %d %s", a.status, a.text ? a.text : "");
    snprintf(out, STORE_ID_MAX + 1, "%s", jstr(a.body, "id"));
    handler_answer_clear(&a);
}

static int64_t seats_left(const char *id)
{
    answer a = call(handler_get_concert, NULL, id, NULL);
    assert_int_equal(a.status, 200);
    int64_t n = (int64_t)jnum(a.body, "availableTickets");
    handler_answer_clear(&a);
    return n;
}

/* Number of ticket items for concert_id, by a paginated Scan of the tickets table. */
static int count_tickets(const char *concert_id)
{
    int total = 0;
    cJSON *start = NULL;
    do {
        cJSON *req = cJSON_CreateObject();
        cJSON_AddStringToObject(req, "TableName", tickets_table);
        cJSON_AddStringToObject(req, "FilterExpression", "concertId = :c");
        cJSON_AddStringToObject(cJSON_AddObjectToObject(cJSON_AddObjectToObject(req, "ExpressionAttributeValues"), ":c"),
                                "S", concert_id);
        cJSON_AddStringToObject(req, "Select", "COUNT");
        cJSON_AddNumberToObject(req, "Limit", 37); /* small pages: pagination is exercised */
        if (start)
            cJSON_AddItemToObject(req, "ExclusiveStartKey", start);
        cJSON *resp = NULL;
        ddb_error err;
        if (ddb_call(raw, "Scan", req, &resp, &err) != DDB_OK)
            fail_msg("Scan: %s", err.message);
        cJSON_Delete(req);
        total += (int)jnum(resp, "Count");
        cJSON *lek = cJSON_GetObjectItem(resp, "LastEvaluatedKey");
        start = lek ? cJSON_Duplicate(lek, 1) : NULL;
        cJSON_Delete(resp);
    } while (start);
    return total;
}

static void create_then_get_returns_the_stored_concert(void **state)
{
    (void)state;
    answer a = call(handler_create_concert,
                    "{\"name\":\"  The Band  \",\"date\":\"2026-12-24T20:00:00Z\",\"venue\":\"Caf\\u00e9 Hall\","
                    "\"availableTickets\":120,\"ticketPrice\":49.99}", NULL, NULL);
    assert_int_equal(a.status, 201);
    const char *id = jstr(a.body, "id");
    assert_non_null(id);
    assert_int_equal(strlen(id), 36);
    assert_string_equal(jstr(a.body, "name"), "The Band"); /* trimmed */
    assert_string_equal(jstr(a.body, "venue"), "Caf\xC3\xA9 Hall");
    assert_non_null(strstr(a.text, "\"ticketPrice\":49.99,\"capacity\":120,"));
    assert_non_null(strstr(a.text, "\"availableTickets\":120,"));
    char cid[64];
    snprintf(cid, sizeof cid, "%s", id);
    handler_answer_clear(&a);

    a = call(handler_get_concert, NULL, cid, NULL);
    assert_int_equal(a.status, 200);
    assert_string_equal(jstr(a.body, "id"), cid);
    assert_string_equal(jstr(a.body, "name"), "The Band");
    assert_string_equal(jstr(a.body, "date"), "2026-12-24T20:00:00Z");
    assert_non_null(strstr(a.text, "\"ticketPrice\":49.99"));
    assert_true(jnum(a.body, "availableTickets") == 120);
    handler_answer_clear(&a);

    /* the item as DynamoDB holds it: the reference's attribute names and types, exact price */
    cJSON *req = cJSON_CreateObject();
    cJSON_AddStringToObject(req, "TableName", concerts_table);
    cJSON_AddStringToObject(cJSON_AddObjectToObject(cJSON_AddObjectToObject(req, "Key"), "id"), "S", cid);
    cJSON *resp = NULL;
    ddb_error err;
    assert_int_equal(ddb_call(raw, "GetItem", req, &resp, &err), DDB_OK);
    cJSON *item = cJSON_GetObjectItem(resp, "Item");
    assert_string_equal(jstr(cJSON_GetObjectItem(item, "ticketPrice"), "N"), "49.99");
    assert_string_equal(jstr(cJSON_GetObjectItem(item, "availableTickets"), "N"), "120");
    assert_string_equal(jstr(cJSON_GetObjectItem(item, "name"), "S"), "The Band");
    cJSON_Delete(resp);
    cJSON_Delete(req);
}

static void unknown_concert_is_404(void **state)
{
    (void)state;
    answer a = call(handler_get_concert, NULL, "no-such-concert", NULL);
    assert_int_equal(a.status, 404);
    assert_string_equal(jstr(a.body, "error"), "Concert not found");
    handler_answer_clear(&a);
    a = call(handler_purchase_ticket,
             "{\"concertId\":\"no-such-concert\",\"customerName\":\"Jo\",\"customerEmail\":\"jo@example.com\"}", NULL, NULL);
    assert_int_equal(a.status, 404);
    assert_string_equal(jstr(a.body, "error"), "Concert not found");
    handler_answer_clear(&a);
}

static void list_returns_every_concert(void **state)
{
    (void)state;
    char ids[5][STORE_ID_MAX + 1];
    for (int i = 0; i < 5; i++)
        create_concert(10 + i, ids[i]);
    answer a = call(handler_list_concerts, NULL, NULL, NULL);
    assert_int_equal(a.status, 200);
    assert_true(cJSON_IsArray(a.body));
    for (int i = 0; i < 5; i++) {
        bool found = false;
        const cJSON *c;
        cJSON_ArrayForEach(c, a.body) {
            if (jstr(c, "id") && strcmp(jstr(c, "id"), ids[i]) == 0) {
                found = true;
                assert_true(jnum(c, "availableTickets") == 10 + i);
                assert_true(jnum(c, "ticketPrice") == 49.99);
            }
        }
        if (!found)
            fail_msg("concert %s missing from the list", ids[i]);
    }
    handler_answer_clear(&a);
}

static void purchase_takes_a_seat_and_writes_the_ticket(void **state)
{
    (void)state;
    char cid[STORE_ID_MAX + 1];
    create_concert(3, cid);
    char body[256];
    snprintf(body, sizeof body, "{\"concertId\":\"%s\",\"customerName\":\"Ann\",\"customerEmail\":\"ann@example.com\"}", cid);
    answer a = call(handler_purchase_ticket, body, NULL, NULL);
    assert_int_equal(a.status, 201);
    assert_int_equal(strlen(jstr(a.body, "id")), 36);
    assert_string_equal(jstr(a.body, "concertId"), cid);
    assert_string_equal(jstr(a.body, "customerName"), "Ann");
    assert_string_equal(jstr(a.body, "customerEmail"), "ann@example.com");
    const char *pd = jstr(a.body, "purchaseDate");
    assert_non_null(pd);
    assert_int_equal(strlen(pd), 24); /* 2026-11-25T08:47:18.123Z */
    assert_int_equal(pd[23], 'Z');
    assert_int_equal(pd[19], '.');
    assert_false(a.replayed);
    handler_answer_clear(&a);
    assert_int_equal(seats_left(cid), 2);
    assert_int_equal(count_tickets(cid), 1);
    /* without a key every purchase is a new ticket */
    answer b = call(handler_purchase_ticket, body, NULL, NULL);
    assert_int_equal(b.status, 201);
    handler_answer_clear(&b);
    assert_int_equal(seats_left(cid), 1);
    assert_int_equal(count_tickets(cid), 2);
}

static void sold_out_is_400(void **state)
{
    (void)state;
    char cid[STORE_ID_MAX + 1], body[256];
    create_concert(1, cid);
    snprintf(body, sizeof body, "{\"concertId\":\"%s\",\"customerName\":\"Bo\",\"customerEmail\":\"bo@example.com\"}", cid);
    answer a = call(handler_purchase_ticket, body, NULL, NULL);
    assert_int_equal(a.status, 201);
    handler_answer_clear(&a);
    a = call(handler_purchase_ticket, body, NULL, NULL);
    assert_int_equal(a.status, 400);
    assert_string_equal(jstr(a.body, "error"), "No tickets available");
    handler_answer_clear(&a);
    assert_int_equal(seats_left(cid), 0);
    assert_int_equal(count_tickets(cid), 1);
    create_concert(0, cid);
    snprintf(body, sizeof body, "{\"concertId\":\"%s\",\"customerName\":\"Bo\",\"customerEmail\":\"bo@example.com\"}", cid);
    a = call(handler_purchase_ticket, body, NULL, NULL);
    assert_int_equal(a.status, 400);
    assert_string_equal(jstr(a.body, "error"), "No tickets available");
    handler_answer_clear(&a);
}

static void idempotent_replay_returns_the_same_ticket_once(void **state)
{
    (void)state;
    char cid[STORE_ID_MAX + 1], other[STORE_ID_MAX + 1], body[256];
    create_concert(5, cid);
    create_concert(5, other);
    snprintf(body, sizeof body, "{\"concertId\":\"%s\",\"customerName\":\"Cy\",\"customerEmail\":\"cy@example.com\"}", cid);
    char key[STORE_ID_MAX + 16];
    snprintf(key, sizeof key, "retry-%s", cid); /* unique per run */
    answer first = call(handler_purchase_ticket, body, NULL, key);
    assert_int_equal(first.status, 201);
    assert_false(first.replayed);
    answer again = call(handler_purchase_ticket, body, NULL, key);
    assert_true(again.status == 201 || again.status == 200);
    assert_true(again.replayed);
    assert_string_equal(jstr(again.body, "id"), jstr(first.body, "id"));
    assert_string_equal(jstr(again.body, "purchaseDate"), jstr(first.body, "purchaseDate"));
    handler_answer_clear(&again);
    assert_int_equal(seats_left(cid), 4); /* one seat, not two */
    assert_int_equal(count_tickets(cid), 1);
    /* the same key for another concert is a conflict, nothing is taken */
    snprintf(body, sizeof body, "{\"concertId\":\"%s\",\"customerName\":\"Cy\",\"customerEmail\":\"cy@example.com\"}", other);
    answer conflict = call(handler_purchase_ticket, body, NULL, key);
    assert_int_equal(conflict.status, 409);
    assert_non_null(strstr(jstr(conflict.body, "error"), "Idempotency-Key"));
    handler_answer_clear(&conflict);
    assert_int_equal(seats_left(other), 5);
    assert_int_equal(count_tickets(other), 0);
    handler_answer_clear(&first);
}

/* The same Idempotency-Key from another customer: 409, and the answer tells nothing of the first
 * purchase (no name, e-mail or ticket id); the first customer's ticket is untouched. */
static void key_reused_by_another_customer_is_refused_and_reveals_nothing(void **state)
{
    (void)state;
    char cid[STORE_ID_MAX + 1], body[256], key[STORE_ID_MAX + 16];
    create_concert(5, cid);
    snprintf(key, sizeof key, "shared-%s", cid);
    snprintf(body, sizeof body,
             "{\"concertId\":\"%s\",\"customerName\":\"Alice Example\",\"customerEmail\":\"alice@example.com\"}", cid);
    answer first = call(handler_purchase_ticket, body, NULL, key);
    assert_int_equal(first.status, 201);
    const char *others[] = {
        "{\"concertId\":\"%s\",\"customerName\":\"Bob Example\",\"customerEmail\":\"bob@example.com\"}",
        "{\"concertId\":\"%s\",\"customerName\":\"Bob Example\",\"customerEmail\":\"alice@example.com\"}",
        "{\"concertId\":\"%s\",\"customerName\":\"Alice Example\",\"customerEmail\":\"bob@example.com\"}",
    };
    for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
        snprintf(body, sizeof body, others[i], cid);
        answer a = call(handler_purchase_ticket, body, NULL, key);
        assert_int_equal(a.status, 409);
        assert_string_equal(a.text, "{\"error\":\"Idempotency-Key was already used for a different request\"}");
        assert_null(strstr(a.text, "alice"));
        assert_null(strstr(a.text, "Alice"));
        assert_null(strstr(a.text, jstr(first.body, "id")));
        handler_answer_clear(&a);
    }
    assert_int_equal(seats_left(cid), 4);
    assert_int_equal(count_tickets(cid), 1);
    /* the true replay (same key, same request; the name as trimmed by validation) is still the ticket */
    snprintf(body, sizeof body,
             "{\"concertId\":\"%s\",\"customerName\":\"  Alice Example \",\"customerEmail\":\"alice@example.com\"}", cid);
    answer again = call(handler_purchase_ticket, body, NULL, key);
    assert_int_equal(again.status, 201);
    assert_true(again.replayed);
    assert_string_equal(jstr(again.body, "id"), jstr(first.body, "id"));
    assert_string_equal(jstr(again.body, "customerName"), "Alice Example");
    handler_answer_clear(&again);
    handler_answer_clear(&first);
    assert_int_equal(seats_left(cid), 4);
}

static void raw_put_concert(const char *id, const char *attrs)
{
    char *body = malloc(strlen(attrs) + strlen(id) + 256);
    cJSON *idj = cJSON_CreateString(id);
    char *id_json = cJSON_PrintUnformatted(idj);
    sprintf(body, "{\"TableName\":\"%s\",\"Item\":{\"id\":{\"S\":%s},%s}}", concerts_table, id_json, attrs);
    cJSON *req = cJSON_Parse(body), *resp = NULL;
    assert_non_null(req);
    ddb_error err;
    if (ddb_call(raw, "PutItem", req, &resp, &err) != DDB_OK)
        fail_msg("PutItem: %s", err.message);
    cJSON_Delete(req);
    cJSON_Delete(resp);
    free(id_json);
    cJSON_Delete(idj);
    free(body);
}

static bool json_has_string(const cJSON *arr, const char *want)
{
    const cJSON *it;
    cJSON_ArrayForEach(it, arr)
        if (cJSON_IsString(it) && strcmp(it->valuestring, want) == 0)
            return true;
    return false;
}

/* A concert item the reference let through, that cannot be read faithfully: GET answers 422 (not a
 * 503 "try again") naming what is wrong, the list carries it with "problems", a purchase is refused
 * with the same answer and writes nothing. */
static void malformed_item_is_a_named_permanent_error(void **state)
{
    (void)state;
    const struct {
        const char *attrs, *problem, *stored;
    } cases[] = {
        {"\"availableTickets\":{\"S\":\"lots\"},\"ticketPrice\":{\"N\":\"10\"}", "availableTickets: not a number", "\"lots\""},
        {"\"availableTickets\":{\"N\":\"2.5\"},\"ticketPrice\":{\"N\":\"10\"}", "availableTickets: not a whole number", "\"2.5\""},
        {"\"availableTickets\":{\"N\":\"99999999999999999999\"},\"ticketPrice\":{\"N\":\"10\"}",
         "availableTickets: more than 1000000", "\"99999999999999999999\""},
        {"\"availableTickets\":{\"N\":\"9007199254740993\"},\"ticketPrice\":{\"N\":\"10\"}",
         "availableTickets: more than 1000000", "\"9007199254740993\""},
        {"\"availableTickets\":{\"N\":\"-5\"},\"ticketPrice\":{\"N\":\"10\"}", "availableTickets: negative", "\"-5\""},
        {"\"availableTickets\":{\"N\":\"5\"},\"ticketPrice\":{\"N\":\"1E+38\"}", "ticketPrice: more than 1000000", NULL},
        {"\"availableTickets\":{\"N\":\"5\"},\"ticketPrice\":{\"N\":\"-10\"}", "ticketPrice: negative", "\"-10\""},
        {"\"availableTickets\":{\"N\":\"5\"},\"ticketPrice\":{\"N\":\"90000000000000.01\"}", "ticketPrice: more than 1000000",
         "\"90000000000000.01\""},
    };
    enum { N = sizeof cases / sizeof cases[0] };
    char ids[N][STORE_ID_MAX + 1];
    for (size_t i = 0; i < N; i++) {
        char attrs[512];
        snprintf(ids[i], sizeof ids[i], "malformed-%zu-%.60s", i, concerts_table);
        snprintf(attrs, sizeof attrs, "\"name\":{\"S\":\"Bad %zu\"},\"date\":{\"S\":\"2027-01-01\"},\"venue\":{\"S\":\"Hall\"},%s",
                 i, cases[i].attrs);
        raw_put_concert(ids[i], attrs);

        answer a = call(handler_get_concert, NULL, ids[i], NULL);
        if (a.status != 422)
            fail_msg("case %zu: GET answered %d %s", i, a.status, a.text ? a.text : "");
        assert_int_equal(a.retry_after, 0);
        char want[256];
        snprintf(want, sizeof want, "Concert is stored malformed: %s", cases[i].problem);
        assert_string_equal(jstr(a.body, "error"), want);
        assert_true(json_has_string(cJSON_GetObjectItem(a.body, "problems"), cases[i].problem));
        assert_string_equal(jstr(a.body, "id"), ids[i]);
        snprintf(want, sizeof want, "Bad %zu", i);
        assert_string_equal(jstr(a.body, "name"), want); /* the readable fields as stored */
        if (cases[i].stored) {
            char field[160];
            snprintf(field, sizeof field, "\"%s\":%s", strncmp(cases[i].problem, "ticketPrice", 11) == 0 ? "ticketPrice" : "availableTickets",
                     cases[i].stored);
            if (!strstr(a.text, field))
                fail_msg("case %zu: %s not in %s", i, field, a.text);
        }
        char body[512];
        snprintf(body, sizeof body, "{\"concertId\":\"%s\",\"customerName\":\"Ann\",\"customerEmail\":\"ann@example.com\"}", ids[i]);
        answer b = call(handler_purchase_ticket, body, NULL, NULL);
        assert_int_equal(b.status, 422);
        assert_string_equal(b.text, a.text);
        handler_answer_clear(&b);
        handler_answer_clear(&a);
        assert_int_equal(count_tickets(ids[i]), 0);
    }
    /* the list answers 200 with every one of them marked, valid concerts exactly as before */
    char good[STORE_ID_MAX + 1];
    create_concert(7, good);
    answer l = call(handler_list_concerts, NULL, NULL, NULL);
    assert_int_equal(l.status, 200);
    size_t marked = 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, l.body) {
        for (size_t i = 0; i < N; i++)
            if (jstr(c, "id") && strcmp(jstr(c, "id"), ids[i]) == 0) {
                marked++;
                assert_true(json_has_string(cJSON_GetObjectItem(c, "problems"), cases[i].problem));
            }
        if (jstr(c, "id") && strcmp(jstr(c, "id"), good) == 0) {
            char *text = cJSON_PrintUnformatted(c);
            char want[512];
            snprintf(want, sizeof want,
                     "{\"id\":\"%s\",\"name\":\"Integration 7\",\"date\":\"2026-12-24T20:00:00Z\",\"venue\":\"Hall\","
                     "\"availableTickets\":7,\"ticketPrice\":49.99,\"capacity\":7,\"currency\":\"EUR\",\"maxPerOrder\":10}",
                     good);
            assert_string_equal(text, want);
            free(text);
        }
    }
    assert_int_equal(marked, N);
    handler_answer_clear(&l);
}

/* Seats stored as a string read the same everywhere: shown as the number, and sold. */
static void string_seats_are_shown_and_sold_alike(void **state)
{
    (void)state;
    char id[STORE_ID_MAX + 1], body[512];
    snprintf(id, sizeof id, "string-seats-%.60s", concerts_table);
    raw_put_concert(id, "\"name\":{\"S\":\"Strings\"},\"date\":{\"S\":\"2027-01-01\"},\"venue\":{\"S\":\"Hall\"},"
                        "\"availableTickets\":{\"S\":\"7\"},\"ticketPrice\":{\"N\":\"10\"}");
    assert_int_equal(seats_left(id), 7);
    snprintf(body, sizeof body, "{\"concertId\":\"%s\",\"customerName\":\"Ann\",\"customerEmail\":\"ann@example.com\"}", id);
    answer a = call(handler_purchase_ticket, body, NULL, NULL);
    if (a.status != 201)
        fail_msg("purchase answered %d %s", a.status, a.text ? a.text : "");
    handler_answer_clear(&a);
    assert_int_equal(seats_left(id), 6);
    assert_int_equal(count_tickets(id), 1);
}

static void invisible_or_reversed_names_are_refused(void **state)
{
    (void)state;
    char cid[STORE_ID_MAX + 1], body[256];
    create_concert(3, cid);
    const char *names[] = {"\\u200b", "\\u00a0\\u00a0", "\\u202eecilA", "Ada\\u200f"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(body, sizeof body, "{\"concertId\":\"%s\",\"customerName\":\"%s\",\"customerEmail\":\"ann@example.com\"}", cid,
                 names[i]);
        answer a = call(handler_purchase_ticket, body, NULL, NULL);
        assert_int_equal(a.status, 400);
        assert_non_null(strstr(jstr(a.body, "error"), "customerName"));
        handler_answer_clear(&a);
        snprintf(body, sizeof body,
                 "{\"name\":\"%s\",\"date\":\"2027-01-01\",\"venue\":\"Hall\",\"availableTickets\":1,\"ticketPrice\":1}", names[i]);
        a = call(handler_create_concert, body, NULL, NULL);
        assert_int_equal(a.status, 400);
        assert_non_null(strstr(jstr(a.body, "error"), "name"));
        handler_answer_clear(&a);
    }
    assert_int_equal(seats_left(cid), 3);
    assert_int_equal(count_tickets(cid), 0);
}

static void storage_failure_is_503_with_retry_after(void **state)
{
    (void)state;
    char *saved = strdup(getenv("AWS_ENDPOINT_URL_DYNAMODB"));
    setenv("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:8297", 1); /* nothing listens there */
    char why[256];
    store *dead = store_open_from_env(why, sizeof why);
    setenv("AWS_ENDPOINT_URL_DYNAMODB", saved, 1);
    free(saved);
    assert_non_null(dead);
    answer a = call_on(dead, handler_create_concert,
                       "{\"name\":\"X\",\"date\":\"2026-12-24\",\"venue\":\"V\",\"availableTickets\":1,\"ticketPrice\":1}",
                       NULL, NULL);
    assert_int_equal(a.status, 503);
    assert_non_null(strstr(jstr(a.body, "error"), "try again"));
    assert_int_equal(a.retry_after, HANDLER_RETRY_AFTER_S);
    handler_answer_clear(&a);
    a = call_on(dead, handler_list_concerts, NULL, NULL, NULL);
    assert_int_equal(a.status, 503);
    handler_answer_clear(&a);
    a = call_on(dead, handler_get_concert, NULL, "x", NULL);
    assert_int_equal(a.status, 503);
    handler_answer_clear(&a);
    a = call_on(dead, handler_purchase_ticket,
                "{\"concertId\":\"x\",\"customerName\":\"A\",\"customerEmail\":\"a@example.com\"}", NULL, "k-dead");
    assert_int_equal(a.status, 503);
    handler_answer_clear(&a);
    store_close(dead);
}

/* The whole function as the runtime calls it: API Gateway event in, proxy response out. */
static void invocation_path_end_to_end(void **state)
{
    (void)state;
    app a = { .handler = handler_find("concert-service.createConcert"), .st = st };
    const char *event =
        "{\"resource\":\"/concerts\",\"path\":\"/concerts\",\"httpMethod\":\"POST\","
        "\"headers\":{\"content-type\":\"application/json\"},\"requestContext\":{\"requestId\":\"r-1\","
        "\"authorizer\":{\"claims\":{\"sub\":\"sub-m\",\"cognito:groups\":\"manager\",\"name\":\"Mia\"}}},"
        "\"body\":\"eyJuYW1lIjoiQjY0IiwiZGF0ZSI6IjIwMjYtMTItMjQiLCJ2ZW51ZSI6IlYiLCJhdmFpbGFibGVUaWNrZXRzIjoyLCJ0aWNrZXRQcmljZSI6MTAuNX0=\","
        "\"isBase64Encoded\":true}";
    rt_request req;
    memset(&req, 0, sizeof req);
    req.payload = event;
    req.payload_len = strlen(event);
    strcpy(req.request_id, "invoke-1");
    rt_response r = app_invoke(&req, &a);
    assert_true(r.success);
    cJSON *proxy = cJSON_Parse(r.payload);
    assert_int_equal(cJSON_GetObjectItem(proxy, "statusCode")->valueint, 201);
    cJSON *body = cJSON_Parse(jstr(proxy, "body"));
    assert_string_equal(jstr(body, "name"), "B64");
    assert_non_null(strstr(jstr(proxy, "body"), "\"ticketPrice\":10.5"));
    char cid[64];
    snprintf(cid, sizeof cid, "%s", jstr(body, "id"));
    cJSON_Delete(body);
    cJSON_Delete(proxy);
    rt_response_clear(&r);
    assert_int_equal(seats_left(cid), 2);
}

typedef struct buyer {
    store *s;
    const char *concert_id;
    int index;
    int status;
    char error[128];
    pthread_barrier_t *go;
} buyer;

static void *buy(void *arg)
{
    buyer *b = arg;
    char body[256];
    snprintf(body, sizeof body,
             "{\"concertId\":\"%s\",\"customerName\":\"Buyer %d\",\"customerEmail\":\"buyer%d@example.com\"}",
             b->concert_id, b->index, b->index);
    pthread_barrier_wait(b->go);
    answer a = call_on(b->s, handler_purchase_ticket, body, NULL, NULL);
    b->status = a.status;
    if (a.body && jstr(a.body, "error"))
        snprintf(b->error, sizeof b->error, "%s", jstr(a.body, "error"));
    handler_answer_clear(&a);
    return NULL;
}

/* PARALLEL buyers at once for concert cid with SEATS seats left: exactly SEATS sold, the others told sold out. */
static void parallel_buyers_get_exactly_the_seats(const char *cid)
{
    static buyer buyers[PARALLEL];
    pthread_t threads[PARALLEL];
    pthread_barrier_t go;
    pthread_barrier_init(&go, NULL, PARALLEL);
    /* each buyer has its own store, so its own DynamoDB connection (opened here: curl's global
     * init is not thread-safe) */
    for (int i = 0; i < PARALLEL; i++) {
        char why[256];
        buyers[i] = (buyer){ .concert_id = cid, .index = i, .go = &go };
        buyers[i].s = store_open_from_env(why, sizeof why);
        if (!buyers[i].s)
            fail_msg("store %d: %s", i, why);
    }
    for (int i = 0; i < PARALLEL; i++)
        assert_int_equal(pthread_create(&threads[i], NULL, buy, &buyers[i]), 0);
    for (int i = 0; i < PARALLEL; i++)
        pthread_join(threads[i], NULL);
    pthread_barrier_destroy(&go);
    int sold = 0, sold_out = 0, other = 0;
    for (int i = 0; i < PARALLEL; i++) {
        if (buyers[i].status == 201)
            sold++;
        else if (buyers[i].status == 400 && strcmp(buyers[i].error, "No tickets available") == 0)
            sold_out++;
        else {
            other++;
            fprintf(stderr, "buyer %d: %d %s\n", i, buyers[i].status, buyers[i].error);
        }
        store_close(buyers[i].s);
    }
    fprintf(stderr, "parallel: %d sold, %d sold out, %d other\n", sold, sold_out, other);
    assert_int_equal(other, 0);
    assert_int_equal(sold, SEATS);
    assert_int_equal(sold_out, PARALLEL - SEATS);
    assert_int_equal(seats_left(cid), 0);
    assert_int_equal(count_tickets(cid), SEATS);
}

static void parallel_purchases_sell_exactly_the_seats(void **state)
{
    (void)state;
    char cid[STORE_ID_MAX + 1];
    create_concert(SEATS, cid);
    parallel_buyers_get_exactly_the_seats(cid);
}

/* The same on a pooled concert (issue 19: capacity 2,000, its seats in 64 pools) late in its on-sale: one seat
 * left in each of the first SEATS pools (set as another writer would), the others empty. */
static void parallel_purchases_of_a_pooled_concert_sell_exactly_the_seats(void **state)
{
    (void)state;
    char cid[STORE_ID_MAX + 1];
    create_concert(LAYOUT_POOL_MIN_CAPACITY, cid);
    for (int k = 0; k < LAYOUT_SHARDS; k++) {
        int64_t left = k < SEATS ? 1 : 0, share = layout_pool_seats(LAYOUT_POOL_MIN_CAPACITY, k, LAYOUT_SHARDS);
        char body[1024];
        snprintf(body, sizeof body,
                 "{\"TableName\":\"%s\",\"Key\":{\"id\":{\"S\":\"%s#%d\"}},\"UpdateExpression\":\"SET available = :a, "
                 "sold = :s\",\"ExpressionAttributeValues\":{\":a\":{\"N\":\"%lld\"},\":s\":{\"N\":\"%lld\"}}}",
                 ddb_test_table_of(STORE_T_COUNTERS), cid, k, (long long)left, (long long)(share - left));
        cJSON *req = cJSON_Parse(body), *resp = NULL;
        ddb_error err;
        assert_int_equal(ddb_call(raw, "UpdateItem", req, &resp, &err), DDB_OK);
        cJSON_Delete(req);
        cJSON_Delete(resp);
    }
    assert_int_equal(seats_left(cid), SEATS);
    parallel_buyers_get_exactly_the_seats(cid);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(create_then_get_returns_the_stored_concert),
        cmocka_unit_test(unknown_concert_is_404),
        cmocka_unit_test(list_returns_every_concert),
        cmocka_unit_test(purchase_takes_a_seat_and_writes_the_ticket),
        cmocka_unit_test(sold_out_is_400),
        cmocka_unit_test(idempotent_replay_returns_the_same_ticket_once),
        cmocka_unit_test(key_reused_by_another_customer_is_refused_and_reveals_nothing),
        cmocka_unit_test(malformed_item_is_a_named_permanent_error),
        cmocka_unit_test(string_seats_are_shown_and_sold_alike),
        cmocka_unit_test(invisible_or_reversed_names_are_refused),
        cmocka_unit_test(storage_failure_is_503_with_retry_after),
        cmocka_unit_test(invocation_path_end_to_end),
        cmocka_unit_test(parallel_purchases_sell_exactly_the_seats),
        cmocka_unit_test(parallel_purchases_of_a_pooled_concert_sell_exactly_the_seats),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
