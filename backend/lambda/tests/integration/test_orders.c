/* Orders against DynamoDB Local, through the handlers and the store: orders of 1, 2, 10 and
 * maxPerOrder + 1 tickets; not enough seats (nothing written in any table); replays and a reused key;
 * walk-up orders for operators only; concerts written by the reference (no capacity, currency, ...);
 * payment (change for cash, comp, exact totals); GET /orders/{id}; the items as the door will read them;
 * the order and after-sale handlers on a store with only the tables each one declares (handler_def.tables). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bo_code.h"
#include "ddb.h"
#include "ddb_tables.h"
#include "handler_call.h"
#include "handlers.h"
#include "store.h"
#include "store_operator.h"
#include "caller.h"

static char concerts_table[128], tickets_table[128], orders_table[128], codes_table[128], operators_table[128];
static ddb_client *raw;
static store *st;

static const char OP[] = "op-sub-1"; /* the sub of a signed-in manager (requestContext.authorizer.claims) */

static int create_codes_table(const char *name)
{
    char body[512];
    snprintf(body, sizeof body,
             "{\"TableName\":\"%s\",\"AttributeDefinitions\":[{\"AttributeName\":\"code\",\"AttributeType\":\"S\"}],"
             "\"KeySchema\":[{\"AttributeName\":\"code\",\"KeyType\":\"HASH\"}],\"BillingMode\":\"PAY_PER_REQUEST\"}",
             name);
    cJSON *req = cJSON_Parse(body), *resp = NULL;
    ddb_error err;
    ddb_status s = ddb_call(raw, "CreateTable", req, &resp, &err);
    cJSON_Delete(req);
    cJSON_Delete(resp);
    if (s != DDB_OK)
        fprintf(stderr, "CreateTable %s: %s\n", name, err.message);
    return s == DDB_OK ? 0 : -1;
}

static int setup(void **state)
{
    (void)state;
    if (ddb_test_tables_create(&raw, "it-ord", concerts_table, tickets_table, sizeof concerts_table))
        return -1;
    ddb_test_table_name(orders_table, sizeof orders_table, "it-ord-orders");
    ddb_test_table_name(codes_table, sizeof codes_table, "it-ord-codes");
    if (ddb_test_create_table(raw, orders_table) || create_codes_table(codes_table) ||
        snprintf(operators_table, sizeof operators_table, "%s", ddb_test_table_of(STORE_T_OPERATORS)) < 1)
        return -1;
    setenv("ORDERS_TABLE", orders_table, 1);
    setenv("CODES_TABLE", codes_table, 1);
    unsetenv("DEFAULT_CURRENCY");
    st = ddb_test_store_open(concerts_table, tickets_table);
    return st ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    store_close(st);
    ddb_test_delete_table(raw, orders_table);
    ddb_test_delete_table(raw, codes_table);
    return ddb_test_tables_drop(raw, concerts_table, tickets_table);
}

typedef handler_answer answer;

/* sub: a signed-in manager's (NULL: no claims, the public routes' callers) */
static answer call(handler_fn fn, const char *body, const char *id, const char *key, const char *sub)
{
    handler_req q = { .body = body, .param = id ? "id" : NULL, .value = id, .idem = key, .sub = sub,
                      .groups = sub ? "manager" : NULL, .name = sub ? "Mia" : NULL };
    return handler_call_on(st, fn, &q);
}

static const char *jstr(const cJSON *o, const char *k)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(it) ? it->valuestring : NULL;
}

static void expect_error(answer *a, int status, const char *error)
{
    if (a->status != status || !a->body || !jstr(a->body, "error") || strcmp(jstr(a->body, "error"), error) != 0)
        fail_msg("expected %d %s, got %d %s", status, error, a->status, a->text ? a->text : "");
}

static void create_concert(const char *extra, int seats, const char *price, char out[STORE_ID_MAX + 1])
{
    char body[512];
    snprintf(body, sizeof body,
             "{\"name\":\"Orders %d\",\"date\":\"2026-12-24T20:00:00Z\",\"venue\":\"Hall\","
             "\"availableTickets\":%d,\"ticketPrice\":%s%s}", seats, seats, price, extra);
    answer a = call(handler_create_concert, body, NULL, NULL, OP);
    if (a.status != 201)
        fail_msg("create: %d %s", a.status, a.text ? a.text : "");
    snprintf(out, STORE_ID_MAX + 1, "%s", jstr(a.body, "id"));
    handler_answer_clear(&a);
}

static int64_t seats_left(const char *id)
{
    answer a = call(handler_get_concert, NULL, id, NULL, NULL);
    assert_int_equal(a.status, 200);
    int64_t n = (int64_t)cJSON_GetObjectItem(a.body, "availableTickets")->valuedouble;
    handler_answer_clear(&a);
    return n;
}

static int count(const char *table, const char *filter_attr, const char *value)
{
    int total = 0;
    cJSON *start = NULL;
    do {
        cJSON *req = cJSON_CreateObject();
        cJSON_AddStringToObject(req, "TableName", table);
        if (filter_attr) {
            char expr[96];
            snprintf(expr, sizeof expr, "%s = :v", filter_attr);
            cJSON_AddStringToObject(req, "FilterExpression", expr);
            cJSON_AddStringToObject(cJSON_AddObjectToObject(cJSON_AddObjectToObject(req, "ExpressionAttributeValues"), ":v"),
                                    "S", value);
        }
        cJSON_AddStringToObject(req, "Select", "COUNT");
        if (start)
            cJSON_AddItemToObject(req, "ExclusiveStartKey", start);
        cJSON *resp = NULL;
        ddb_error err;
        if (ddb_call(raw, "Scan", req, &resp, &err) != DDB_OK)
            fail_msg("Scan: %s", err.message);
        cJSON_Delete(req);
        total += cJSON_GetObjectItem(resp, "Count")->valueint;
        cJSON *lek = cJSON_GetObjectItem(resp, "LastEvaluatedKey");
        start = lek ? cJSON_Duplicate(lek, 1) : NULL;
        cJSON_Delete(resp);
    } while (start);
    return total;
}

static int all_items(void)
{
    return count(concerts_table, NULL, NULL) + count(tickets_table, NULL, NULL) + count(orders_table, NULL, NULL) +
           count(codes_table, NULL, NULL);
}

/* GetItem straight from DynamoDB: the item (caller frees) or NULL. */
static cJSON *raw_get(const char *table, const char *key_name, const char *key)
{
    cJSON *req = cJSON_CreateObject();
    cJSON_AddStringToObject(req, "TableName", table);
    cJSON_AddStringToObject(cJSON_AddObjectToObject(cJSON_AddObjectToObject(req, "Key"), key_name), "S", key);
    cJSON_AddTrueToObject(req, "ConsistentRead");
    cJSON *resp = NULL;
    ddb_error err;
    if (ddb_call(raw, "GetItem", req, &resp, &err) != DDB_OK)
        fail_msg("GetItem: %s", err.message);
    cJSON_Delete(req);
    cJSON *item = cJSON_DetachItemFromObject(resp, "Item");
    cJSON_Delete(resp);
    return item;
}

static const char *s_of(const cJSON *item, const char *name)
{
    return jstr(cJSON_GetObjectItem(item, name), "S");
}

/* The order's tickets are stored as the door will read them: ticket items with the order, code and
 * status, code items pointing back; codes canonical and distinct. Returns the number of tickets. */
static int check_stored(const cJSON *order)
{
    const cJSON *tickets = cJSON_GetObjectItem(order, "tickets");
    int n = cJSON_GetArraySize(tickets);
    assert_int_equal(n, cJSON_GetObjectItem(order, "quantity")->valueint);
    for (int i = 0; i < n; i++) {
        const cJSON *t = cJSON_GetArrayItem(tickets, i);
        const char *code = jstr(t, "code");
        char canon[BO_CODE_BUF];
        assert_non_null(code);
        assert_int_equal(bo_code_parse(code, canon), 0);
        assert_string_equal(canon, code);
        assert_string_equal(jstr(t, "status"), "valid");
        for (int j = 0; j < i; j++)
            assert_string_not_equal(code, jstr(cJSON_GetArrayItem(tickets, j), "code"));
        cJSON *ti = raw_get(tickets_table, "id", jstr(t, "id"));
        assert_non_null(ti);
        assert_string_equal(s_of(ti, "orderId"), jstr(order, "id"));
        assert_string_equal(s_of(ti, "concertId"), jstr(order, "concertId"));
        assert_string_equal(s_of(ti, "code"), code);
        assert_string_equal(s_of(ti, "status"), "valid");
        assert_string_equal(s_of(ti, "purchaseDate"), jstr(order, "createdAt"));
        assert_non_null(s_of(ti, "customerName")); /* a string for the reference's readers, "" for walk-ups */
        assert_non_null(s_of(ti, "customerEmail"));
        cJSON_Delete(ti);
        cJSON *ci = raw_get(codes_table, "code", code);
        assert_non_null(ci);
        assert_string_equal(s_of(ci, "ticketId"), jstr(t, "id"));
        assert_string_equal(s_of(ci, "orderId"), jstr(order, "id"));
        assert_string_equal(s_of(ci, "concertId"), jstr(order, "concertId"));
        cJSON_Delete(ci);
    }
    return n;
}

static answer order(const char *cid, int q, const char *extra, const char *key, const char *sub)
{
    char body[1024];
    snprintf(body, sizeof body,
             "{\"concertId\":\"%s\",\"quantity\":%d,\"customerName\":\"Ann Buyer\",\"customerEmail\":\"ann@example.com\"%s}",
             cid, q, extra ? extra : "");
    return call(handler_create_order, body, NULL, key, sub);
}

/* The operator OP's open shift (opened once, at the terminal "t-1"): cash needs one. */
static const char *op_shift(void)
{
    static char id[64];
    if (id[0])
        return id;
    handler_req q = { .body = "{\"terminal\":\"t-1\",\"float\":{\"EUR\":\"50.00\",\"USD\":\"0.00\"}}",
                      .sub = OP, .groups = "manager", .name = "Mia" };
    answer a = handler_call_on(st, handler_open_shift, &q);
    if (a.status != 201)
        fail_msg("open shift: %d %s", a.status, a.text ? a.text : "");
    snprintf(id, sizeof id, "%s", jstr(a.body, "id"));
    handler_answer_clear(&a);
    return id;
}

static void orders_of_1_2_10_and_one_more_than_allowed(void **state)
{
    (void)state;
    char cid[STORE_ID_MAX + 1];
    create_concert("", 30, "49.99", cid);
    int sold = 0;
    const int sizes[] = { 1, 2, 10 };
    const char *totals[] = { "49.99", "99.98", "499.90" };
    for (int k = 0; k < 3; k++) {
        answer a = order(cid, sizes[k], NULL, NULL, NULL);
        if (a.status != 201)
            fail_msg("order of %d: %d %s", sizes[k], a.status, a.text);
        assert_string_equal(jstr(a.body, "unitPrice"), "49.99");
        assert_string_equal(jstr(a.body, "total"), totals[k]);
        assert_string_equal(jstr(a.body, "currency"), "EUR");
        assert_string_equal(jstr(a.body, "soldBy"), "public");
        assert_string_equal(jstr(cJSON_GetObjectItem(a.body, "payment"), "method"), "card");
        assert_null(cJSON_GetObjectItem(cJSON_GetObjectItem(a.body, "payment"), "tendered"));
        assert_string_equal(jstr(a.body, "customerName"), "Ann Buyer");
        sold += check_stored(a.body);
        /* GET /orders/{id} (an operator route) shows the same order */
        answer g = call(handler_get_order, NULL, jstr(a.body, "id"), NULL, OP);
        assert_int_equal(g.status, 200);
        assert_string_equal(g.text, a.text);
        handler_answer_clear(&g);
        handler_answer_clear(&a);
    }
    assert_int_equal(sold, 13);
    answer a = order(cid, 11, NULL, NULL, NULL);
    expect_error(&a, 400, "quantity must be between 1 and 10 (this concert's maxPerOrder)");
    handler_answer_clear(&a);
    assert_int_equal(seats_left(cid), 30 - 13);
    assert_int_equal(count(tickets_table, "concertId", cid), 13);
    assert_int_equal(count(codes_table, "concertId", cid), 13);
    assert_int_equal(count(orders_table, "concertId", cid), 3);
    /* a concert allowing 47 sells 47 in one order (2 + 2 * 47 + journal = 97 items in the transaction) */
    char big[STORE_ID_MAX + 1];
    create_concert(",\"maxPerOrder\":47", 60, "1", big);
    a = order(big, 47, NULL, NULL, NULL);
    assert_int_equal(a.status, 201);
    assert_int_equal(check_stored(a.body), 47);
    handler_answer_clear(&a);
    assert_int_equal(seats_left(big), 13);
    /* an operator's cash sale with a shift holds the shift's update, the journal entry and their ConditionCheck
     * too: 47 tickets (2 + 2 * 47 + 3 = 99 items, DynamoDB's limit is 100); 48 is a 400 and writes nothing */
    char cash[256];
    snprintf(cash, sizeof cash, ",\"payment\":{\"method\":\"cash\"},\"shiftId\":\"%s\"", op_shift());
    int before = all_items();
    a = order(big, 48, cash, NULL, OP);
    expect_error(&a, 400, "quantity must be a whole number from 1 to 47");
    handler_answer_clear(&a);
    assert_int_equal(all_items(), before);
    create_concert(",\"maxPerOrder\":47", 60, "1", big);
    a = order(big, 47, cash, NULL, OP);
    assert_int_equal(a.status, 201);
    assert_int_equal(check_stored(a.body), 47);
    handler_answer_clear(&a);
    answer g = call(handler_get_order, NULL, "no-such-order", NULL, OP);
    expect_error(&g, 404, "Order not found");
    handler_answer_clear(&g);
}

static void not_enough_seats_writes_nothing(void **state)
{
    (void)state;
    char cid[STORE_ID_MAX + 1];
    create_concert("", 3, "10", cid);
    int before = all_items();
    answer a = order(cid, 4, NULL, NULL, NULL);
    expect_error(&a, 400, "Only 3 tickets left");
    handler_answer_clear(&a);
    a = order(cid, 5, NULL, "not-enough-key-1", NULL); /* with a key the transaction itself refuses */
    expect_error(&a, 400, "Only 3 tickets left");
    handler_answer_clear(&a);
    assert_int_equal(all_items(), before);
    assert_int_equal(seats_left(cid), 3);
    a = order(cid, 3, NULL, NULL, NULL);
    assert_int_equal(a.status, 201);
    handler_answer_clear(&a);
    before = all_items();
    a = order(cid, 1, NULL, NULL, NULL);
    expect_error(&a, 400, "No tickets available");
    handler_answer_clear(&a);
    a = order(cid, 1, NULL, "sold-out-key-1", NULL);
    expect_error(&a, 400, "No tickets available");
    handler_answer_clear(&a);
    assert_int_equal(all_items(), before);
    a = order("no-such-concert", 1, NULL, NULL, NULL);
    expect_error(&a, 404, "Concert not found");
    handler_answer_clear(&a);
}

static void replay_returns_the_same_order_and_a_reused_key_is_refused(void **state)
{
    (void)state;
    char cid[STORE_ID_MAX + 1];
    create_concert("", 10, "20", cid);
    answer a = order(cid, 3, ",\"attendees\":[\"A\",\" B \",\"C\"]", "replay-key-1", NULL);
    assert_int_equal(a.status, 201);
    assert_false(a.replayed);
    assert_string_equal(jstr(cJSON_GetArrayItem(cJSON_GetObjectItem(a.body, "tickets"), 1), "attendee"), "B");
    answer b = order(cid, 3, ",\"attendees\":[\"A\",\"B\",\"C\"]", "replay-key-1", NULL);
    assert_int_equal(b.status, 201);
    assert_true(b.replayed);
    assert_string_equal(b.text, a.text); /* same id, same tickets, same codes */
    handler_answer_clear(&b);
    assert_int_equal(seats_left(cid), 7);
    const char *other[] = { ",\"attendees\":[\"A\",\"B\",\"D\"]", ",\"payment\":{\"method\":\"card\"},\"attendees\":[\"A\",\"B\"]" };
    b = order(cid, 3, other[0], "replay-key-1", NULL);
    expect_error(&b, 409, "Idempotency-Key was already used for a different request");
    assert_null(strstr(b.text, jstr(a.body, "id")));
    handler_answer_clear(&b);
    b = order(cid, 2, NULL, "replay-key-1", NULL);
    expect_error(&b, 409, "Idempotency-Key was already used for a different request");
    handler_answer_clear(&b);
    b = order(cid, 3, ",\"attendees\":[\"A\",\"B\",\"C\"]", "replay-key-1", OP); /* another seller */
    expect_error(&b, 409, "Idempotency-Key was already used for a different request");
    handler_answer_clear(&b);
    assert_int_equal(seats_left(cid), 7);
    assert_int_equal(count(tickets_table, "concertId", cid), 3);
    /* the key's order survives a sold-out concert: a late retry still gets it */
    answer c = order(cid, 7, NULL, NULL, NULL);
    assert_int_equal(c.status, 201);
    handler_answer_clear(&c);
    b = order(cid, 3, ",\"attendees\":[\"A\",\"B\",\"C\"]", "replay-key-1", NULL);
    assert_int_equal(b.status, 201);
    assert_string_equal(b.text, a.text);
    handler_answer_clear(&b);
    handler_answer_clear(&a);
}

static void walk_up_orders_are_for_operators(void **state)
{
    (void)state;
    char cid[STORE_ID_MAX + 1];
    create_concert("", 5, "12.5", cid);
    char body[512];
    snprintf(body, sizeof body, "{\"concertId\":\"%s\",\"quantity\":2,\"payment\":{\"method\":\"cash\",\"tendered\":30},"
             "\"shiftId\":\"%s\"}", cid, op_shift());
    answer a = call(handler_create_order, body, NULL, NULL, NULL);
    expect_error(&a, 403, "Payment method cash needs a signed-in operator (POST /box-office/orders)");
    handler_answer_clear(&a);
    char card[256];
    snprintf(card, sizeof card, "{\"concertId\":\"%s\",\"quantity\":2}", cid);
    a = call(handler_create_order, card, NULL, NULL, NULL);
    expect_error(&a, 400, "customerName is required");
    handler_answer_clear(&a);
    int before = all_items();
    a = call(handler_create_order, card, NULL, NULL, OP);
    assert_int_equal(a.status, 201);
    assert_int_equal(all_items(), before + 1 + 2 + 2); /* the order, two tickets, two codes */
    handler_answer_clear(&a);
    a = call(handler_create_order, body, NULL, NULL, OP);
    assert_int_equal(a.status, 201);
    assert_string_equal(jstr(a.body, "soldBy"), "Mia"); /* the display name, never an e-mail */
    assert_string_equal(jstr(cJSON_GetObjectItem(a.body, "operator"), "sub"), OP);
    assert_null(cJSON_GetObjectItem(a.body, "customerName"));
    assert_null(cJSON_GetObjectItem(a.body, "customerEmail"));
    const cJSON *p = cJSON_GetObjectItem(a.body, "payment");
    assert_string_equal(jstr(p, "method"), "cash");
    assert_string_equal(jstr(p, "tendered"), "30.00");
    assert_string_equal(jstr(p, "change"), "5.00");
    check_stored(a.body);
    cJSON *ti = raw_get(tickets_table, "id", jstr(cJSON_GetArrayItem(cJSON_GetObjectItem(a.body, "tickets"), 0), "id"));
    assert_string_equal(s_of(ti, "customerName"), "");
    assert_string_equal(s_of(ti, "customerEmail"), "");
    cJSON_Delete(ti);
    handler_answer_clear(&a);
}

static void reference_items_are_listed_and_sold(void **state)
{
    (void)state;
    const char *id = "ref-concert-orders-1";
    char item[512];
    snprintf(item, sizeof item,
             "{\"TableName\":\"%s\",\"Item\":{\"id\":{\"S\":\"%s\"},\"name\":{\"S\":\"Reference\"},\"date\":{\"S\":\"2027-01-01\"},"
             "\"venue\":{\"S\":\"Old Hall\"},\"availableTickets\":{\"N\":\"10\"},\"ticketPrice\":{\"N\":\"0.1\"}}}",
             concerts_table, id);
    cJSON *req = cJSON_Parse(item), *resp = NULL;
    ddb_error err;
    assert_int_equal(ddb_call(raw, "PutItem", req, &resp, &err), DDB_OK);
    cJSON_Delete(req);
    cJSON_Delete(resp);
    const char *want = "{\"id\":\"ref-concert-orders-1\",\"name\":\"Reference\",\"date\":\"2027-01-01\",\"venue\":\"Old Hall\","
                       "\"availableTickets\":10,\"ticketPrice\":0.1}";
    answer g = call(handler_get_concert, NULL, id, NULL, NULL);
    assert_int_equal(g.status, 200);
    assert_string_equal(g.text, want);
    handler_answer_clear(&g);
    answer l = call(handler_list_concerts, NULL, NULL, NULL, NULL);
    assert_non_null(strstr(l.text, want));
    handler_answer_clear(&l);
    answer a = order(id, 3, NULL, NULL, NULL);
    assert_int_equal(a.status, 201);
    assert_string_equal(jstr(a.body, "unitPrice"), "0.10");
    assert_string_equal(jstr(a.body, "total"), "0.30");
    assert_string_equal(jstr(a.body, "currency"), "EUR");
    handler_answer_clear(&a);
    assert_int_equal(seats_left(id), 7);
    /* the deployment's default currency applies to items without one */
    setenv("DEFAULT_CURRENCY", "CHF", 1);
    a = order(id, 1, NULL, NULL, NULL);
    unsetenv("DEFAULT_CURRENCY");
    assert_string_equal(jstr(a.body, "currency"), "CHF");
    handler_answer_clear(&a);
}

static void payment_totals_change_and_comp(void **state)
{
    (void)state;
    char cid[STORE_ID_MAX + 1];
    create_concert(",\"currency\":\"USD\",\"timezone\":\"America/New_York\"", 40, "19.99", cid);
    answer c = call(handler_get_concert, NULL, cid, NULL, NULL);
    char want[512];
    snprintf(want, sizeof want, "{\"id\":\"%s\",\"name\":\"Orders 40\",\"date\":\"2026-12-24T20:00:00Z\",\"venue\":\"Hall\","
             "\"availableTickets\":40,\"ticketPrice\":19.99,\"capacity\":40,\"currency\":\"USD\","
             "\"timezone\":\"America/New_York\",\"maxPerOrder\":10}", cid);
    assert_string_equal(c.text, want);
    handler_answer_clear(&c);
    char cash[256];
    snprintf(cash, sizeof cash, ",\"payment\":{\"method\":\"cash\",\"tendered\":\"150\"},\"shiftId\":\"%s\"", op_shift());
    answer a = order(cid, 7, ",\"payment\":{\"method\":\"cash\",\"tendered\":\"150\"}", NULL, OP);
    expect_error(&a, 409, "a cash sale needs an open shift: open one first");
    handler_answer_clear(&a);
    a = order(cid, 7, cash, NULL, OP);
    assert_int_equal(a.status, 201);
    assert_string_equal(jstr(a.body, "total"), "139.93");
    assert_string_equal(jstr(a.body, "currency"), "USD");
    assert_string_equal(jstr(cJSON_GetObjectItem(a.body, "payment"), "change"), "10.07");
    handler_answer_clear(&a);
    snprintf(cash, sizeof cash, ",\"payment\":{\"method\":\"cash\",\"tendered\":\"139.92\"},\"shiftId\":\"%s\"", op_shift());
    a = order(cid, 7, cash, NULL, OP);
    expect_error(&a, 400, "payment.tendered must be at least the total");
    handler_answer_clear(&a);
    a = order(cid, 2, ",\"payment\":{\"method\":\"comp\"}", NULL, OP);
    assert_int_equal(a.status, 201);
    assert_string_equal(jstr(a.body, "unitPrice"), "19.99");
    assert_string_equal(jstr(a.body, "total"), "0.00");
    handler_answer_clear(&a);
    a = order(cid, 2, ",\"payment\":{\"method\":\"comp\"}", NULL, NULL);
    expect_error(&a, 403, "Payment method comp needs a signed-in operator (POST /box-office/orders)");
    handler_answer_clear(&a);
    assert_int_equal(seats_left(cid), 31);
}

static void malformed_concert_is_422_and_storage_failure_503(void **state)
{
    (void)state;
    char item[512];
    snprintf(item, sizeof item,
             "{\"TableName\":\"%s\",\"Item\":{\"id\":{\"S\":\"bad-orders-1\"},\"name\":{\"S\":\"Bad\"},\"date\":{\"S\":\"2027-01-01\"},"
             "\"venue\":{\"S\":\"Hall\"},\"availableTickets\":{\"N\":\"10\"},\"ticketPrice\":{\"N\":\"5\"},\"currency\":{\"S\":\"euro\"}}}",
             concerts_table);
    cJSON *req = cJSON_Parse(item), *resp = NULL;
    ddb_error err;
    assert_int_equal(ddb_call(raw, "PutItem", req, &resp, &err), DDB_OK);
    cJSON_Delete(req);
    cJSON_Delete(resp);
    answer g = call(handler_get_concert, NULL, "bad-orders-1", NULL, NULL);
    assert_int_equal(g.status, 422);
    assert_non_null(strstr(g.text, "currency: not three upper-case letters"));
    int before = all_items();
    answer a = order("bad-orders-1", 1, NULL, NULL, NULL);
    assert_int_equal(a.status, 422);
    assert_string_equal(a.text, g.text); /* the same answer as GET /concerts/{id} */
    handler_answer_clear(&a);
    handler_answer_clear(&g);
    assert_int_equal(all_items(), before);

    char *saved = strdup(getenv("AWS_ENDPOINT_URL_DYNAMODB"));
    setenv("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:8297", 1); /* nothing listens there */
    char why[256];
    store *live = st;
    st = store_open_from_env(why, sizeof why);
    setenv("AWS_ENDPOINT_URL_DYNAMODB", saved, 1);
    free(saved);
    assert_non_null(st);
    a = order("x", 1, NULL, "k-dead", NULL);
    assert_int_equal(a.status, 503);
    assert_int_equal(a.retry_after, HANDLER_RETRY_AFTER_S);
    handler_answer_clear(&a);
    a = call(handler_get_order, NULL, "x", NULL, OP);
    assert_int_equal(a.status, 503);
    assert_int_equal(a.retry_after, HANDLER_RETRY_AFTER_S);
    handler_answer_clear(&a);
    store_close(st);
    st = live;
}

/* A store opened as start-up opens it for d: only the table variables d declares are set. */
static store *store_for(const handler_def *d)
{
    const char *const names[STORE_T_COUNT] = { concerts_table, tickets_table, orders_table, codes_table,
                                                operators_table, ddb_test_table_of(STORE_T_SHIFTS),
                                                ddb_test_table_of(STORE_T_JOURNAL),
                                                ddb_test_table_of(STORE_T_COUNTERS) };
    for (int t = 0; t < STORE_T_COUNT; t++) {
        if (d->tables & STORE_NEED(t))
            setenv(store_table_env((store_table_id)t), names[t], 1);
        else
            unsetenv(store_table_env((store_table_id)t));
    }
    char why[256];
    store *s = store_open_tables(d->tables, why, sizeof why);
    for (int t = 0; t < STORE_T_COUNT; t++)
        setenv(store_table_env((store_table_id)t), names[t], 1);
    if (!s)
        fail_msg("%s: %s", d->short_name, why);
    return s;
}

/* Runs the handler named name on a store with only its declared tables: its answer's status. */
static int status_on_declared(const char *name, const handler_req *q)
{
    const handler_def *d = handler_find(name);
    assert_non_null(d);
    store *s = store_for(d);
    answer a = handler_call_on(s, d->fn, q);
    if (a.status != 200)
        fprintf(stderr, "%s: %d %s\n", name, a.status, a.text ? a.text : "");
    int status = a.status;
    handler_answer_clear(&a);
    store_close(s);
    return status;
}

static void after_sale_handlers_run_on_their_declared_tables(void **state)
{
    (void)state;
    char cid[STORE_ID_MAX + 1];
    create_concert("", 5, "20", cid);
    answer a = order(cid, 2, NULL, NULL, NULL);
    assert_int_equal(a.status, 201);
    char oid[STORE_ID_MAX + 1], tid[STORE_ID_MAX + 1], code[BO_CODE_BUF], body[256];
    const cJSON *t0 = cJSON_GetArrayItem(cJSON_GetObjectItem(a.body, "tickets"), 0);
    snprintf(oid, sizeof oid, "%s", jstr(a.body, "id"));
    snprintf(tid, sizeof tid, "%s", jstr(t0, "id"));
    snprintf(code, sizeof code, "%s", jstr(t0, "code"));
    handler_answer_clear(&a);

    handler_req q = { .param = "id", .value = oid, .sub = OP, .groups = "manager" };
    assert_int_equal(status_on_declared("concert-service.getOrder", &q), 200);
    q = (handler_req){ .param = "code", .value = code, .sub = OP, .groups = "manager" };
    assert_int_equal(status_on_declared("concert-service.getTicketByCode", &q), 200);
    snprintf(body, sizeof body, "{\"code\":\"%s\",\"concertId\":\"%s\",\"nonce\":\"tables-1\"}", code, cid);
    q = (handler_req){ .body = body, .sub = OP, .groups = "manager" };
    assert_int_equal(status_on_declared("concert-service.checkIn", &q), 200);
    q = (handler_req){ .param = "ticketId", .value = tid, .sub = OP, .groups = "manager" };
    assert_int_equal(status_on_declared("concert-service.undoCheckIn", &q), 200);
    q = (handler_req){ .body = "{\"reason\":\"tables\"}", .param = "id", .value = oid, .idem = "tables-refund-1",
                       .sub = OP, .groups = "manager" };
    assert_int_equal(status_on_declared("concert-service.refundOrder", &q), 200);
    q = (handler_req){ .param = "id", .value = cid, .sub = OP, .groups = "manager" };
    assert_int_equal(status_on_declared("concert-service.concertStats", &q), 200);
    q = (handler_req){ .param = "id", .value = cid };
    assert_int_equal(status_on_declared("concert-service.getConcert", &q), 200);
    assert_int_equal(seats_left(cid), 5); /* sold 2, refunded 2 */
}

static int operators_items(void)
{
    return count(operators_table, NULL, NULL);
}

/* Runs fn as the signed-in operator sub in groups, with a path parameter (name=value, or NULL). */
static answer as_operator(handler_fn fn, const char *sub, const char *groups, const char *body, const char *param,
                          const char *value, const char *key)
{
    handler_req q = { .body = body, .param = param, .value = value, .idem = key, .sub = sub, .groups = groups,
                      .name = "Cas" };
    return handler_call_on(st, fn, &q);
}

/* A disabled operator writes nothing: an order, a check-in, its undo, a refund and a concert are refused with
 * 403 "operator is disabled" and every table stays as it was, although the caller's claims (a token issued
 * before the disable) still say cashier/manager. Enabled again, the same requests work. An operator without
 * an item (the first manager of a deployment) counts as enabled. Records name the operator by display name
 * and by {sub, name}, never by e-mail. */
static void a_disabled_operator_writes_nothing(void **state)
{
    (void)state;
    const char *cas = "sub-cashier-race";
    char cid[STORE_ID_MAX + 1], oid[STORE_ID_MAX + 1], tid[STORE_ID_MAX + 1], code[BO_CODE_BUF], code2[BO_CODE_BUF];
    char body[512];
    create_concert("", 10, "25", cid);
    /* no item yet: enabled */
    answer a;
    snprintf(body, sizeof body, "{\"concertId\":\"%s\",\"quantity\":2,\"payment\":{\"method\":\"card\"}}", cid);
    a = as_operator(handler_create_order, cas, "cashier", body, NULL, NULL, "race-order-1");
    assert_int_equal(a.status, 201);
    assert_string_equal(jstr(a.body, "soldBy"), "Cas");
    assert_string_equal(jstr(cJSON_GetObjectItem(a.body, "operator"), "sub"), cas);
    assert_string_equal(jstr(cJSON_GetObjectItem(a.body, "operator"), "name"), "Cas");
    snprintf(oid, sizeof oid, "%s", jstr(a.body, "id"));
    const cJSON *t0 = cJSON_GetArrayItem(cJSON_GetObjectItem(a.body, "tickets"), 0);
    snprintf(tid, sizeof tid, "%s", jstr(t0, "id"));
    snprintf(code, sizeof code, "%s", jstr(t0, "code"));
    snprintf(code2, sizeof code2, "%s", jstr(cJSON_GetArrayItem(cJSON_GetObjectItem(a.body, "tickets"), 1), "code"));
    handler_answer_clear(&a);
    cJSON *stored = raw_get(orders_table, "id", oid);
    assert_string_equal(s_of(stored, "operatorSub"), cas);
    assert_string_equal(s_of(stored, "operatorName"), "Cas");
    cJSON_Delete(stored);
    /* check in one ticket now, to have something to undo later */
    char checkin[256];
    snprintf(checkin, sizeof checkin, "{\"code\":\"%s\",\"concertId\":\"%s\",\"nonce\":\"race-n1\"}", code, cid);
    a = as_operator(handler_checkin, cas, "cashier", checkin, NULL, NULL, NULL);
    assert_int_equal(a.status, 200);
    handler_answer_clear(&a);

    /* the manager disables the cashier (as POST /operators/{username}/disable writes the item) */
    caller mgr = { .signed_in = true, .sub = OP, .groups = CALLER_MANAGER };
    assert_int_equal(store_operator_update(st, cas, "Cas", "cashier", 1, &mgr, OPERATOR_DISABLED), STORE_OK);
    int items = all_items(), ops = operators_items();
    cJSON *before = raw_get(tickets_table, "id", tid);
    char *before_text = cJSON_PrintUnformatted(before);
    cJSON_Delete(before);

    const char *disabled = "operator is disabled";
    a = as_operator(handler_create_order, cas, "cashier", body, NULL, NULL, "race-order-2");
    expect_error(&a, 403, disabled);
    handler_answer_clear(&a);
    a = as_operator(handler_create_order, cas, "cashier", body, NULL, NULL, NULL);
    expect_error(&a, 403, disabled);
    handler_answer_clear(&a);
    snprintf(checkin, sizeof checkin, "{\"code\":\"%s\",\"concertId\":\"%s\",\"nonce\":\"race-n2\"}", code2, cid);
    a = as_operator(handler_checkin, cas, "door", checkin, NULL, NULL, NULL);
    expect_error(&a, 403, disabled);
    handler_answer_clear(&a);
    a = as_operator(handler_undo_checkin, cas, "manager", NULL, "ticketId", tid, NULL);
    expect_error(&a, 403, disabled);
    handler_answer_clear(&a);
    a = as_operator(handler_refund_order, cas, "cashier", "{\"reason\":\"race\"}", "id", oid, "race-refund-1");
    expect_error(&a, 403, disabled);
    handler_answer_clear(&a);
    a = as_operator(handler_create_concert, cas, "manager",
                    "{\"name\":\"No\",\"date\":\"2094-12-24\",\"venue\":\"V\",\"availableTickets\":1,\"ticketPrice\":1}",
                    NULL, NULL, NULL);
    expect_error(&a, 403, disabled);
    handler_answer_clear(&a);
    /* nothing written anywhere */
    assert_int_equal(all_items(), items);
    assert_int_equal(operators_items(), ops);
    assert_int_equal(seats_left(cid), 8);
    cJSON *after = raw_get(tickets_table, "id", tid);
    char *after_text = cJSON_PrintUnformatted(after);
    cJSON_Delete(after);
    assert_string_equal(after_text, before_text);
    free(after_text);
    free(before_text);
    /* a public sale does not depend on any operator */
    a = order(cid, 1, NULL, NULL, NULL);
    assert_int_equal(a.status, 201);
    assert_string_equal(jstr(a.body, "soldBy"), "public");
    assert_true(cJSON_IsNull(cJSON_GetObjectItem(a.body, "operator")));
    handler_answer_clear(&a);

    /* enabled again (disabled = false stored): the same requests work */
    assert_int_equal(store_operator_update(st, cas, "Cas", "cashier", 0, &mgr, OPERATOR_ENABLED), STORE_OK);
    a = as_operator(handler_create_order, cas, "cashier", body, NULL, NULL, "race-order-2");
    assert_int_equal(a.status, 201);
    handler_answer_clear(&a);
    a = as_operator(handler_checkin, cas, "door", checkin, NULL, NULL, NULL);
    assert_int_equal(a.status, 200);
    handler_answer_clear(&a);
    a = as_operator(handler_undo_checkin, cas, "manager", NULL, "ticketId", tid, NULL);
    assert_int_equal(a.status, 200);
    handler_answer_clear(&a);
    a = as_operator(handler_refund_order, cas, "cashier", "{\"reason\":\"race\"}", "id", oid, "race-refund-1");
    assert_int_equal(a.status, 200);
    const cJSON *r0 = cJSON_GetArrayItem(cJSON_GetObjectItem(a.body, "refunds"), 0);
    assert_string_equal(jstr(r0, "by"), "Cas");
    assert_string_equal(jstr(cJSON_GetObjectItem(r0, "operator"), "sub"), cas);
    handler_answer_clear(&a);
    /* the refund's replay by another operator is another request */
    a = as_operator(handler_refund_order, "sub-other", "cashier", "{\"reason\":\"race\"}", "id", oid, "race-refund-1");
    expect_error(&a, 409, "Idempotency-Key was already used for a different request");
    handler_answer_clear(&a);
    a = as_operator(handler_create_concert, cas, "manager",
                    "{\"name\":\"Yes\",\"date\":\"2094-12-24\",\"venue\":\"V\",\"availableTickets\":1,\"ticketPrice\":1}",
                    NULL, NULL, NULL);
    assert_int_equal(a.status, 201);
    handler_answer_clear(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(orders_of_1_2_10_and_one_more_than_allowed),
        cmocka_unit_test(not_enough_seats_writes_nothing),
        cmocka_unit_test(replay_returns_the_same_order_and_a_reused_key_is_refused),
        cmocka_unit_test(walk_up_orders_are_for_operators),
        cmocka_unit_test(reference_items_are_listed_and_sold),
        cmocka_unit_test(payment_totals_change_and_comp),
        cmocka_unit_test(malformed_concert_is_422_and_storage_failure_503),
        cmocka_unit_test(after_sale_handlers_run_on_their_declared_tables),
        cmocka_unit_test(a_disabled_operator_writes_nothing),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
