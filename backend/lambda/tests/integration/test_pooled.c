/* The pooled layout (issue 19, DESIGN19 §A) against DynamoDB Local, through the handlers and the store: a concert
 * created with capacity >= 2,000 has K = 64 pools; concurrent orders sell it out exactly (no oversell, exact sums,
 * sold out answered with no seat left); pools running short move to others and an order is split over pools;
 * POST /tickets sells from the pools too; refunds put seats back on one shard, check-ins and undos move one
 * shard; GET /concerts/{id}, GET /concerts and the stats report the sums; replays (Idempotency-Key) are answered
 * unchanged; items written exactly as the reference writes them keep today's layout, and the reference's
 * purchase (its UpdateItem) on a pooled concert is refused: nothing oversold. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ddb.h"
#include "ddb_tables.h"
#include "handler_call.h"
#include "handlers.h"
#include "layout.h"
#include "store.h"

static char concerts_table[128], tickets_table[128], orders_table[128], codes_table[128];
static ddb_client *raw;
static store *st;

static const char OP[] = "op-sub-pool"; /* a signed-in manager's sub */
#define ALL_TABLES                                                                                               \
    (STORE_NEED_ALL | STORE_NEED_OPERATORS | STORE_NEED_SHIFTS | STORE_NEED_JOURNAL | STORE_NEED_COUNTERS)

static int setup(void **state)
{
    (void)state;
    if (ddb_test_tables_create(&raw, "it-pool", concerts_table, tickets_table, sizeof concerts_table))
        return -1;
    ddb_test_table_name(orders_table, sizeof orders_table, "it-pool-orders");
    ddb_test_table_name(codes_table, sizeof codes_table, "it-pool-codes");
    if (ddb_test_create_table(raw, orders_table) || ddb_test_create_table_key(raw, codes_table, "code"))
        return -1;
    setenv("ORDERS_TABLE", orders_table, 1);
    setenv("CODES_TABLE", codes_table, 1);
    setenv("CONCERTS_TABLE", concerts_table, 1);
    setenv("TICKETS_TABLE", tickets_table, 1);
    unsetenv("DEFAULT_CURRENCY");
    char why[256];
    st = store_open_tables(ALL_TABLES, why, sizeof why);
    if (!st)
        fprintf(stderr, "store: %s\n", why);
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

static answer call_on(store *s, handler_fn fn, const char *body, const char *param, const char *value,
                      const char *key, const char *sub)
{
    handler_req q = { .body = body, .param = param, .value = value, .idem = key, .sub = sub,
                      .groups = sub ? "manager" : NULL, .name = sub ? "Pia" : NULL };
    return handler_call_on(s, fn, &q);
}

static const char *jstr(const cJSON *o, const char *k)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(it) ? it->valuestring : NULL;
}

static int64_t jnum(const cJSON *o, const char *k)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, k);
    if (!cJSON_IsNumber(it))
        fail_msg("%s is not a number", k);
    return (int64_t)it->valuedouble;
}

static void create_concert(int seats, char out[STORE_ID_MAX + 1])
{
    char body[512];
    snprintf(body, sizeof body,
             "{\"name\":\"Pooled %d\",\"date\":\"2027-07-01T20:00:00Z\",\"venue\":\"Stadium\","
             "\"availableTickets\":%d,\"ticketPrice\":10,\"maxPerOrder\":47}", seats, seats);
    answer a = call_on(st, handler_create_concert, body, NULL, NULL, NULL, OP);
    if (a.status != 201)
        fail_msg("create: %d %s", a.status, a.text ? a.text : "");
    assert_int_equal(jnum(a.body, "availableTickets"), seats);
    snprintf(out, STORE_ID_MAX + 1, "%s", jstr(a.body, "id"));
    handler_answer_clear(&a);
}

static int64_t seats_left(const char *id)
{
    answer a = call_on(st, handler_get_concert, NULL, "id", id, NULL, NULL);
    assert_int_equal(a.status, 200);
    int64_t n = jnum(a.body, "availableTickets");
    handler_answer_clear(&a);
    return n;
}

/* raw DynamoDB (as another program would) ------------------------------------------------------------------ */

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

static int64_t n_of(const cJSON *item, const char *name)
{
    const cJSON *n = cJSON_GetObjectItem(cJSON_GetObjectItem(item, name), "N");
    return cJSON_IsString(n) ? strtoll(n->valuestring, NULL, 10) : -1;
}

/* The pools as stored: available[k] (and the sums of sold, refunded, admitted). Fails unless all K exist. */
typedef struct pools {
    int64_t available[LAYOUT_SHARDS], sum, sold, refunded, admitted;
} pools;

static pools read_pools(const char *cid)
{
    pools p;
    memset(&p, 0, sizeof p);
    for (int k = 0; k < LAYOUT_SHARDS; k++) {
        char key[STORE_ID_MAX + 16];
        snprintf(key, sizeof key, "%s#%d", cid, k);
        cJSON *it = raw_get(ddb_test_table_of(STORE_T_COUNTERS), "id", key);
        if (!it)
            fail_msg("pool %s missing", key);
        assert_string_equal(jstr(cJSON_GetObjectItem(it, "concertId"), "S"), cid);
        assert_int_equal(n_of(it, "shard"), k);
        p.available[k] = n_of(it, "available");
        assert_true(p.available[k] >= 0); /* never below zero: no oversell anywhere */
        p.sum += p.available[k];
        p.sold += n_of(it, "sold");
        p.refunded += n_of(it, "refunded");
        p.admitted += n_of(it, "admitted");
        cJSON_Delete(it);
    }
    return p;
}

/* Sets pool k to `available` seats left of its share, the rest counted sold (as if sold earlier: sold +
 * available stays the pool's share), with an UpdateItem as another writer would: the state of a pooled concert
 * late in its on-sale, without selling 2,000 seats on DynamoDB Local first. */
static void set_pool(const char *cid, int k, int64_t available)
{
    char body[1024];
    snprintf(body, sizeof body,
             "{\"TableName\":\"%s\",\"Key\":{\"id\":{\"S\":\"%s#%d\"}},"
             "\"UpdateExpression\":\"SET available = :a, sold = :s\","
             "\"ExpressionAttributeValues\":{\":a\":{\"N\":\"%lld\"},\":s\":{\"N\":\"%lld\"}}}",
             ddb_test_table_of(STORE_T_COUNTERS), cid, k, (long long)available,
             (long long)(layout_pool_seats(LAYOUT_POOL_MIN_CAPACITY, k, LAYOUT_SHARDS) - available));
    cJSON *req = cJSON_Parse(body), *resp = NULL;
    ddb_error err;
    if (ddb_call(raw, "UpdateItem", req, &resp, &err) != DDB_OK)
        fail_msg("UpdateItem: %s", err.message);
    cJSON_Delete(req);
    cJSON_Delete(resp);
}

static answer order(store *s, const char *cid, int q, const char *key)
{
    char body[512];
    snprintf(body, sizeof body,
             "{\"concertId\":\"%s\",\"quantity\":%d,\"customerName\":\"Ann Buyer\",\"customerEmail\":\"ann@example.com\"}",
             cid, q);
    return call_on(s, handler_create_order, body, NULL, NULL, key, NULL);
}

/* ---- creation and reads ------------------------------------------------------------------------- */

static void a_large_concert_is_created_with_its_pools(void **state)
{
    (void)state;
    char cid[STORE_ID_MAX + 1];
    create_concert(2003, cid);
    cJSON *item = raw_get(concerts_table, "id", cid);
    assert_non_null(item);
    assert_int_equal(n_of(item, "availableTickets"), 0); /* never sold from */
    assert_int_equal(n_of(item, "shards"), LAYOUT_SHARDS);
    assert_int_equal(n_of(item, "capacity"), 2003);
    cJSON_Delete(item);
    pools p = read_pools(cid);
    assert_int_equal(p.sum, 2003);
    for (int k = 0; k < LAYOUT_SHARDS; k++)
        assert_int_equal(p.available[k], layout_pool_seats(2003, k, LAYOUT_SHARDS));
    assert_int_equal(seats_left(cid), 2003);
    /* the list reports the same sum */
    answer a = call_on(st, handler_list_concerts, NULL, NULL, NULL, NULL, NULL);
    assert_int_equal(a.status, 200);
    bool found = false;
    const cJSON *c;
    cJSON_ArrayForEach(c, a.body) {
        if (strcmp(jstr(c, "id"), cid) == 0) {
            found = true;
            assert_int_equal(jnum(c, "availableTickets"), 2003);
        }
    }
    assert_true(found);
    handler_answer_clear(&a);
    /* a small concert keeps today's layout: no shards, no pools */
    char body[256];
    snprintf(body, sizeof body, "{\"name\":\"Small\",\"date\":\"2027-07-01\",\"venue\":\"Club\",\"availableTickets\":1999,"
                                "\"ticketPrice\":10}");
    a = call_on(st, handler_create_concert, body, NULL, NULL, NULL, OP);
    assert_int_equal(a.status, 201);
    item = raw_get(concerts_table, "id", jstr(a.body, "id"));
    assert_int_equal(n_of(item, "availableTickets"), 1999);
    assert_null(cJSON_GetObjectItem(item, "shards"));
    char key[STORE_ID_MAX + 16];
    snprintf(key, sizeof key, "%s#0", jstr(a.body, "id"));
    cJSON *none = raw_get(ddb_test_table_of(STORE_T_COUNTERS), "id", key);
    assert_null(none);
    cJSON_Delete(item);
    handler_answer_clear(&a);
}

/* ---- concurrent orders sell it out exactly --------------------------------------------------------- */

#define BUYERS 12
typedef struct buyer {
    store *s;
    const char *cid;
    int index, sold, sold_out, other, orders;
    pthread_barrier_t *go;
} buyer;

static void *buy(void *arg)
{
    buyer *b = arg;
    pthread_barrier_wait(b->go);
    int64_t cap = 4; /* at most what the last answer said is left */
    for (int n = 0;; n++) {
        int q = 1 + (b->index + n) % 4; /* 1..4 */
        if (q > cap)
            q = (int)cap;
        char key[64];
        snprintf(key, sizeof key, "rush-%d-%d", b->index, n);
        answer a = order(b->s, b->cid, q, key);
        if (a.status == 201) {
            b->sold += (int)jnum(a.body, "quantity");
            b->orders++;
        } else if (a.status == 400 && jstr(a.body, "error") && strcmp(jstr(a.body, "error"), "No tickets available") == 0) {
            b->sold_out++;
            handler_answer_clear(&a);
            return NULL;
        } else if (a.status == 400 && jstr(a.body, "error") && strncmp(jstr(a.body, "error"), "Only ", 5) == 0) {
            /* fewer seats than asked: ask for at most what is left */
            cap = strtoll(jstr(a.body, "error") + 5, NULL, 10);
            handler_answer_clear(&a);
            if (cap < 1)
                cap = 1;
            continue;
        } else {
            b->other++;
            fprintf(stderr, "buyer %d: %d %s\n", b->index, a.status, a.text ? a.text : "");
            handler_answer_clear(&a);
            return NULL;
        }
        handler_answer_clear(&a);
    }
}

static void concurrent_orders_sell_it_out_exactly(void **state)
{
    (void)state;
    char cid[STORE_ID_MAX + 1];
    const int seats = LAYOUT_POOL_MIN_CAPACITY, per_pool = 2, left = per_pool * LAYOUT_SHARDS; /* 128 */
    create_concert(seats, cid);
    /* late in the on-sale: 2 seats left in every pool (selling the first 1,872 here would only take time) */
    for (int k = 0; k < LAYOUT_SHARDS; k++)
        set_pool(cid, k, per_pool);
    assert_int_equal(seats_left(cid), left);
    static buyer buyers[BUYERS];
    pthread_t th[BUYERS];
    pthread_barrier_t go;
    pthread_barrier_init(&go, NULL, BUYERS);
    for (int i = 0; i < BUYERS; i++) {
        char why[256];
        buyers[i] = (buyer){ .cid = cid, .index = i, .go = &go };
        if (!(buyers[i].s = store_open_tables(ALL_TABLES, why, sizeof why)))
            fail_msg("store %d: %s", i, why);
    }
    for (int i = 0; i < BUYERS; i++)
        assert_int_equal(pthread_create(&th[i], NULL, buy, &buyers[i]), 0);
    for (int i = 0; i < BUYERS; i++)
        pthread_join(th[i], NULL);
    pthread_barrier_destroy(&go);
    int sold = 0, orders = 0, sold_out = 0, other = 0;
    for (int i = 0; i < BUYERS; i++) {
        sold += buyers[i].sold;
        orders += buyers[i].orders;
        sold_out += buyers[i].sold_out;
        other += buyers[i].other;
        store_close(buyers[i].s);
    }
    fprintf(stderr, "pooled rush: %d orders of 1-4, %d seats sold of %d left, %d buyers told sold out\n", orders, sold,
            left, sold_out);
    assert_int_equal(other, 0);
    assert_int_equal(sold, left);           /* sold out exactly: no oversell, no seat left behind */
    assert_int_equal(sold_out, BUYERS);     /* every buyer was told so, with no seat left */
    assert_int_equal(seats_left(cid), 0);
    pools p = read_pools(cid);
    assert_int_equal(p.sum, 0);
    assert_int_equal(p.sold, seats);
    /* the stats: the sums */
    answer a = call_on(st, handler_concert_stats, NULL, "id", cid, NULL, OP);
    assert_int_equal(a.status, 200);
    assert_int_equal(jnum(a.body, "capacity"), seats);
    assert_int_equal(jnum(a.body, "sold"), seats);
    assert_int_equal(jnum(a.body, "available"), 0);
    assert_string_equal(jstr(cJSON_GetObjectItem(a.body, "revenue"), "card"), "1280.00"); /* what was sold here */
    handler_answer_clear(&a);
    /* sold out is answered at once, with no seat left */
    a = order(st, cid, 1, NULL);
    assert_int_equal(a.status, 400);
    assert_string_equal(jstr(a.body, "error"), "No tickets available");
    handler_answer_clear(&a);
}

/* ---- short pools, split orders, POST /tickets ------------------------------------------------------ */

static void short_pools_move_to_others_and_an_order_is_split(void **state)
{
    (void)state;
    char cid[STORE_ID_MAX + 1];
    create_concert(2000, cid);
    /* only pools 5 (3 seats) and 40 (2 seats) have seats left: any pool picked first is short */
    for (int k = 0; k < LAYOUT_SHARDS; k++)
        set_pool(cid, k, k == 5 ? 3 : k == 40 ? 2 : 0);
    assert_int_equal(seats_left(cid), 5);
    /* an order of 4: no pool has 4, so it is split over both (the fullest first) */
    answer a = order(st, cid, 4, "split-1");
    if (a.status != 201)
        fail_msg("split order: %d %s", a.status, a.text);
    char oid[STORE_ID_MAX + 1];
    snprintf(oid, sizeof oid, "%s", jstr(a.body, "id"));
    handler_answer_clear(&a);
    pools p = read_pools(cid);
    assert_int_equal(p.sum, 1);
    assert_int_equal(p.available[5] + p.available[40], 1);
    assert_int_equal(p.sold, 2000 - 5 + 4); /* sold + available = capacity, always */
    /* the same request again: the same order, nothing more sold */
    a = order(st, cid, 4, "split-1");
    assert_int_equal(a.status, 201);
    assert_true(a.replayed);
    assert_string_equal(jstr(a.body, "id"), oid);
    handler_answer_clear(&a);
    assert_int_equal(read_pools(cid).sold, 1999);
    /* 2 asked, 1 left: "Only 1 tickets left", nothing sold */
    a = order(st, cid, 2, NULL);
    assert_int_equal(a.status, 400);
    assert_string_equal(jstr(a.body, "error"), "Only 1 tickets left");
    handler_answer_clear(&a);
    /* POST /tickets sells the last one from whichever pool has it */
    char body[256];
    snprintf(body, sizeof body, "{\"concertId\":\"%s\",\"customerName\":\"Tim\",\"customerEmail\":\"tim@example.com\"}", cid);
    answer t = call_on(st, handler_purchase_ticket, body, NULL, NULL, "last-seat", NULL);
    if (t.status != 201)
        fail_msg("POST /tickets: %d %s", t.status, t.text);
    handler_answer_clear(&t);
    t = call_on(st, handler_purchase_ticket, body, NULL, NULL, "last-seat", NULL); /* a replay: no seat taken */
    assert_int_equal(t.status, 201);
    handler_answer_clear(&t);
    t = call_on(st, handler_purchase_ticket, body, NULL, NULL, NULL, NULL);
    assert_int_equal(t.status, 400);
    assert_string_equal(jstr(t.body, "error"), "No tickets available");
    handler_answer_clear(&t);
    p = read_pools(cid);
    assert_int_equal(p.sum, 0);
    assert_int_equal(p.sold, 2000);
    assert_int_equal(seats_left(cid), 0);
}

/* ---- after the sale: one shard each ------------------------------------------------------------------- */

static void refunds_and_checkins_move_one_shard(void **state)
{
    (void)state;
    char cid[STORE_ID_MAX + 1];
    create_concert(2000, cid);
    answer a = order(st, cid, 3, "after-1");
    assert_int_equal(a.status, 201);
    char oid[STORE_ID_MAX + 1], tid[STORE_ID_MAX + 1], code[64], code2[64];
    snprintf(oid, sizeof oid, "%s", jstr(a.body, "id"));
    const cJSON *tickets = cJSON_GetObjectItem(a.body, "tickets");
    snprintf(tid, sizeof tid, "%s", jstr(cJSON_GetArrayItem(tickets, 0), "id"));
    snprintf(code, sizeof code, "%s", jstr(cJSON_GetArrayItem(tickets, 0), "code"));
    snprintf(code2, sizeof code2, "%s", jstr(cJSON_GetArrayItem(tickets, 1), "code"));
    handler_answer_clear(&a);
    /* the order, its tickets and codes say shards (so that the door and refunds need no read of the concert) */
    cJSON *it = raw_get(orders_table, "id", oid);
    assert_int_equal(n_of(it, "shards"), LAYOUT_SHARDS);
    cJSON_Delete(it);
    it = raw_get(codes_table, "code", code);
    assert_int_equal(n_of(it, "shards"), LAYOUT_SHARDS);
    cJSON_Delete(it);
    pools before = read_pools(cid);

    char body[256];
    snprintf(body, sizeof body, "{\"code\":\"%s\",\"concertId\":\"%s\",\"nonce\":\"n-1\"}", code, cid);
    a = call_on(st, handler_checkin, body, NULL, NULL, NULL, OP);
    assert_int_equal(a.status, 200);
    handler_answer_clear(&a);
    snprintf(body, sizeof body, "{\"code\":\"%s\",\"concertId\":\"%s\",\"nonce\":\"n-2\"}", code2, cid);
    a = call_on(st, handler_checkin, body, NULL, NULL, NULL, OP);
    assert_int_equal(a.status, 200);
    handler_answer_clear(&a);
    pools p = read_pools(cid);
    assert_int_equal(p.admitted, 2);
    /* the concert item itself is never written after its creation */
    it = raw_get(concerts_table, "id", cid);
    assert_null(cJSON_GetObjectItem(it, "admitted"));
    assert_null(cJSON_GetObjectItem(it, "sold"));
    assert_int_equal(n_of(it, "availableTickets"), 0);
    cJSON_Delete(it);
    /* undo the first: admitted 1 (one shard -1: shards may go below zero alone, the sum is exact) */
    a = call_on(st, handler_undo_checkin, NULL, "ticketId", tid, NULL, OP);
    assert_int_equal(a.status, 200);
    handler_answer_clear(&a);
    assert_int_equal(read_pools(cid).admitted, 1);
    /* refund the valid tickets (the first, undone, and the third): 2 seats back, on one shard */
    a = call_on(st, handler_refund_order, "{\"reason\":\"rain\"}", "id", oid, "refund-1", OP);
    if (a.status != 200)
        fail_msg("refund: %d %s", a.status, a.text);
    handler_answer_clear(&a);
    p = read_pools(cid);
    assert_int_equal(p.sum, before.sum + 2);
    assert_int_equal(p.refunded, 2);
    int changed = 0;
    for (int k = 0; k < LAYOUT_SHARDS; k++)
        changed += p.available[k] != before.available[k];
    assert_int_equal(changed, 1); /* one shard took the seats back */
    /* the same refund again: a replay, nothing moves */
    a = call_on(st, handler_refund_order, "{\"reason\":\"rain\"}", "id", oid, "refund-1", OP);
    assert_int_equal(a.status, 200);
    handler_answer_clear(&a);
    assert_int_equal(read_pools(cid).refunded, 2);
    /* the stats: the sums */
    a = call_on(st, handler_concert_stats, NULL, "id", cid, NULL, OP);
    assert_int_equal(a.status, 200);
    assert_int_equal(jnum(a.body, "capacity"), 2000);
    assert_int_equal(jnum(a.body, "sold"), 3);
    assert_int_equal(jnum(a.body, "refunded"), 2);
    assert_int_equal(jnum(a.body, "admitted"), 1);
    assert_int_equal(jnum(a.body, "available"), 1999);
    assert_string_equal(jstr(cJSON_GetObjectItem(a.body, "revenue"), "card"), "10.00");
    handler_answer_clear(&a);
    assert_int_equal(seats_left(cid), 1999);
}

/* ---- the reference's items ------------------------------------------------------------------------------ */

static void put_raw(const char *body)
{
    cJSON *req = cJSON_Parse(body), *resp = NULL;
    assert_non_null(req);
    ddb_error err;
    if (ddb_call(raw, "PutItem", req, &resp, &err) != DDB_OK)
        fail_msg("PutItem: %s", err.message);
    cJSON_Delete(req);
    cJSON_Delete(resp);
}

/* The reference's purchase: UpdateItem availableTickets - 1 on availableTickets > 0 (its createTicket). */
static ddb_status reference_purchase(const char *cid)
{
    char body[1024];
    snprintf(body, sizeof body,
             "{\"TableName\":\"%s\",\"Key\":{\"id\":{\"S\":\"%s\"}},"
             "\"UpdateExpression\":\"SET availableTickets = availableTickets - :one\","
             "\"ConditionExpression\":\"availableTickets > :zero\","
             "\"ExpressionAttributeValues\":{\":one\":{\"N\":\"1\"},\":zero\":{\"N\":\"0\"}}}",
             concerts_table, cid);
    cJSON *req = cJSON_Parse(body), *resp = NULL;
    ddb_error err;
    ddb_status s = ddb_call(raw, "UpdateItem", req, &resp, &err);
    cJSON_Delete(req);
    cJSON_Delete(resp);
    return s;
}

static void reference_items_keep_todays_layout_and_cannot_oversell_a_pooled_one(void **state)
{
    (void)state;
    /* its createConcert's PutItem, without capacity: today's layout, sold as before (the seats on the item) */
    char body[1024];
    snprintf(body, sizeof body,
             "{\"TableName\":\"%s\",\"Item\":{\"id\":{\"S\":\"ref-5000\"},\"name\":{\"S\":\"Ref\"},"
             "\"date\":{\"S\":\"2027-08-01\"},\"venue\":{\"S\":\"Old Hall\"},\"availableTickets\":{\"N\":\"5000\"},"
             "\"ticketPrice\":{\"N\":\"25\"}}}",
             concerts_table);
    put_raw(body);
    answer a = order(st, "ref-5000", 2, NULL);
    assert_int_equal(a.status, 201);
    handler_answer_clear(&a);
    cJSON *it = raw_get(concerts_table, "id", "ref-5000");
    assert_int_equal(n_of(it, "availableTickets"), 4998);
    cJSON_Delete(it);
    assert_int_equal(seats_left("ref-5000"), 4998);
    assert_int_equal(reference_purchase("ref-5000"), DDB_OK); /* the reference still sells it as before */
    assert_int_equal(seats_left("ref-5000"), 4997);

    /* its purchase on a pooled concert: refused (availableTickets is 0 on the item), nothing oversold */
    char cid[STORE_ID_MAX + 1];
    create_concert(2000, cid);
    assert_int_equal(reference_purchase(cid), DDB_ERR_CONDITIONAL_CHECK);
    it = raw_get(concerts_table, "id", cid);
    assert_int_equal(n_of(it, "availableTickets"), 0);
    cJSON_Delete(it);
    assert_int_equal(read_pools(cid).sum, 2000);
    assert_int_equal(seats_left(cid), 2000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_large_concert_is_created_with_its_pools),
        cmocka_unit_test(concurrent_orders_sell_it_out_exactly),
        cmocka_unit_test(short_pools_move_to_others_and_an_order_is_split),
        cmocka_unit_test(refunds_and_checkins_move_one_shard),
        cmocka_unit_test(reference_items_keep_todays_layout_and_cannot_oversell_a_pooled_one),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
