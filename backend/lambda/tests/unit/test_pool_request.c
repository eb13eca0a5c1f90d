/* The pooled layout's requests (issue 19, DESIGN19 §A) against a scripted DynamoDB (ddb_fake), counting the
 * calls: a pooled concert's creation is ONE transaction of 67 items (the concert with shards and availableTickets
 * 0, K = 64 counter Puts whose seats add up to the capacity, the journal entry, the operator's check); its stats
 * and its read are ONE BatchGetItem (strongly consistent) of the concert and the K shard keys, and so are a small
 * concert's; an order takes its seats from one pool (the concert item is not in the transaction), moves to
 * another pool at once when its pool meets a transaction conflict, and reads the K pools in one BatchGetItem
 * when its pool runs short, then sends the plan; sold out is answered from that read; a small concert's order is
 * today's transaction; a check-in moves one
 * shard and another one at once on a conflict; time running out on conflicts is STORE_BUSY. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bo_clock.h"
#include "ddb.h"
#include "ddb_fake.h"
#include "handler_call.h"
#include "handlers.h"
#include "layout.h"
#include "store.h"
#include "store_aftersale.h"
#include "store_journal.h"
#include "store_order.h"

#define OK_REPLY {200, "{}", 0, 0, NULL}
#define REPLY(body) {200, body, 0, 0, NULL}
#define CANCELLED(reasons)                                                                                       \
    {400,                                                                                                        \
     "{\"__type\":\"com.amazonaws.dynamodb.v20120810#TransactionCanceledException\",\"Message\":\"Transaction " \
     "cancelled\",\"CancellationReasons\":[" reasons "]}",                                                       \
     0, 0, NULL}
#define R_NONE "{\"Code\":\"None\"}"
#define R_CONFLICT "{\"Code\":\"TransactionConflict\"}"
#define R_FAILED "{\"Code\":\"ConditionalCheckFailed\"}"

typedef struct fixture {
    ddb_fake *fake;
    store *s;
} fixture;

static fixture start(const ddb_fake_reply *replies, size_t n)
{
    fixture fx;
    fx.fake = ddb_fake_start(replies, n);
    assert_non_null(fx.fake);
    ddb_fake_use_env(fx.fake);
    static const char *const names[] = { "concerts-test", "tickets-test", "orders-test", "codes-test",
                                          "operators-test", "shifts-test", "journal-test", "counters-test" };
    for (int t = 0; t < STORE_T_COUNT; t++)
        setenv(store_table_env((store_table_id)t), names[t], 1);
    char why[256];
    fx.s = store_open_tables(STORE_NEED_ALL | STORE_NEED_JOURNAL | STORE_NEED_COUNTERS | STORE_NEED_OPERATORS, why,
                             sizeof why);
    if (!fx.s)
        fail_msg("store_open_tables: %s", why);
    return fx;
}

static void stop(fixture *fx)
{
    store_close(fx->s);
    ddb_fake_stop(fx->fake);
}

static cJSON *body_of(fixture *fx, size_t i)
{
    const ddb_fake_request *r = ddb_fake_request_at(fx->fake, i);
    assert_non_null(r);
    cJSON *j = cJSON_ParseWithLength(r->body, r->body_len);
    assert_non_null(j);
    return j;
}

static const char *target_of(fixture *fx, size_t i)
{
    return ddb_fake_header(ddb_fake_request_at(fx->fake, i), "X-Amz-Target");
}

/* "a.b.0.c" through objects and arrays. */
static const cJSON *at(const cJSON *j, const char *path)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", path);
    const cJSON *cur = j;
    char *save = NULL;
    for (char *part = strtok_r(buf, ".", &save); part && cur; part = strtok_r(NULL, ".", &save))
        cur = part[0] >= '0' && part[0] <= '9' ? cJSON_GetArrayItem(cur, atoi(part))
                                               : cJSON_GetObjectItemCaseSensitive(cur, part);
    return cur;
}

static const char *str_at(const cJSON *j, const char *path)
{
    const cJSON *v = at(j, path);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* The pool an order's transaction item i takes from: k of "c-1#k". */
static int pool_of(const cJSON *req, int i)
{
    char path[64];
    snprintf(path, sizeof path, "TransactItems.%d.Update.Key.id.S", i);
    const char *key = str_at(req, path);
    assert_non_null(key);
    assert_memory_equal(key, "c-1#", 4);
    return atoi(key + 4);
}

/* ---- creation ------------------------------------------------------------------------------------------ */

static void a_pooled_concert_is_one_transaction_of_67_items(void **state)
{
    (void)state;
    const ddb_fake_reply replies[] = { OK_REPLY };
    fixture fx = start(replies, 1);
    concert c;
    memset(&c, 0, sizeof c);
    strcpy(c.id, "c-1");
    c.name = (char *)"Stadium night";
    c.date = (char *)"2027-07-01";
    c.venue = (char *)"Stadium";
    c.available_tickets = 50000;
    c.has_capacity = true;
    c.capacity = 50000;
    c.price_cents = 4500;
    memcpy(c.currency, "EUR", 4);
    journal_who who = { "sub-1", "Mia" };
    assert_int_equal(store_create_concert(fx.s, &c, &who), STORE_OK);
    assert_int_equal(ddb_fake_count(fx.fake), 1);
    assert_string_equal(target_of(&fx, 0), "DynamoDB_20120810.TransactWriteItems");
    cJSON *b = body_of(&fx, 0);
    const cJSON *items = at(b, "TransactItems");
    assert_int_equal(cJSON_GetArraySize(items), 3 + LAYOUT_SHARDS); /* 67 */
    assert_string_equal(str_at(b, "TransactItems.0.Put.TableName"), "concerts-test");
    assert_string_equal(str_at(b, "TransactItems.0.Put.Item.availableTickets.N"), "0");
    assert_string_equal(str_at(b, "TransactItems.0.Put.Item.shards.N"), "64");
    assert_string_equal(str_at(b, "TransactItems.0.Put.Item.capacity.N"), "50000");
    long long sum = 0;
    for (int k = 0; k < LAYOUT_SHARDS; k++) {
        char p[96], key[16];
        snprintf(p, sizeof p, "TransactItems.%d.Put", 1 + k);
        const cJSON *put = at(b, p);
        assert_string_equal(str_at(put, "TableName"), "counters-test");
        snprintf(key, sizeof key, "c-1#%d", k);
        assert_string_equal(str_at(put, "Item.id.S"), key);
        assert_string_equal(str_at(put, "Item.concertId.S"), "c-1");
        assert_int_equal(atoi(str_at(put, "Item.shard.N")), k);
        assert_string_equal(str_at(put, "Item.sold.N"), "0");
        assert_string_equal(str_at(put, "ConditionExpression"), "attribute_not_exists(#k)");
        assert_string_equal(str_at(put, "ExpressionAttributeNames.#k"), "id");
        sum += atoll(str_at(put, "Item.available.N"));
    }
    assert_int_equal(sum, 50000);
    assert_string_equal(str_at(b, "TransactItems.65.Put.TableName"), "journal-test");
    assert_string_equal(str_at(b, "TransactItems.66.ConditionCheck.TableName"), "operators-test");
    cJSON_Delete(b);
    stop(&fx);

    /* below LAYOUT_POOL_MIN_CAPACITY: today's 3 items, no shards */
    fx = start(replies, 1);
    c.available_tickets = c.capacity = LAYOUT_POOL_MIN_CAPACITY - 1;
    assert_int_equal(store_create_concert(fx.s, &c, &who), STORE_OK);
    b = body_of(&fx, 0);
    assert_int_equal(cJSON_GetArraySize(at(b, "TransactItems")), 3);
    assert_string_equal(str_at(b, "TransactItems.0.Put.Item.availableTickets.N"), "1999");
    assert_null(at(b, "TransactItems.0.Put.Item.shards"));
    cJSON_Delete(b);
    stop(&fx);
}

/* ---- reads: one BatchGetItem ------------------------------------------------------------------------------ */

#define POOLED_ITEM                                                                                               \
    "{\"id\":{\"S\":\"c-1\"},\"name\":{\"S\":\"N\"},\"date\":{\"S\":\"2027-07-01\"},\"venue\":{\"S\":\"V\"},"     \
    "\"availableTickets\":{\"N\":\"0\"},\"ticketPrice\":{\"N\":\"10\"},\"capacity\":{\"N\":\"2000\"},"            \
    "\"shards\":{\"N\":\"64\"},\"currency\":{\"S\":\"EUR\"},\"sold\":{\"N\":\"0\"}}"
#define SHARD(k, avail, sold, adm, card)                                                                          \
    "{\"id\":{\"S\":\"c-1#" #k "\"},\"concertId\":{\"S\":\"c-1\"},\"shard\":{\"N\":\"" #k "\"},"                  \
    "\"available\":{\"N\":\"" #avail "\"},\"sold\":{\"N\":\"" #sold "\"},\"refunded\":{\"N\":\"1\"},"             \
    "\"admitted\":{\"N\":\"" #adm "\"},\"revenueCard\":{\"N\":\"" card "\"},\"revenueCash\":{\"N\":\"0\"},"       \
    "\"revenueComp\":{\"N\":\"0\"}}"

/* A counter shard another writer broke (store.h "Reading items"): a problem of that concert, answered 422, never
 * a 503 "try again" (it is permanent); the stats judge `shards` as the concert read does. */
static void a_broken_shard_is_a_problem_of_its_concert(void **state)
{
    (void)state;
    const ddb_fake_reply broken[] = {
        REPLY("{\"Responses\":{\"concerts-test\":[" POOLED_ITEM "],\"counters-test\":[" SHARD(0, 31, 0, 0, "0")
              ",{\"id\":{\"S\":\"c-1#5\"},\"concertId\":{\"S\":\"c-1\"},\"shard\":{\"N\":\"5\"},"
              "\"available\":{\"S\":\"lots\"}}]}}"),
    };
    const ddb_fake_reply broken_get[] = { REPLY("{\"Item\":" POOLED_ITEM "}"), broken[0] };
    fixture fx = start(broken_get, 2); /* GET: the item's GetItem says pooled, then the batch */
    concert c;
    assert_int_equal(store_get_concert(fx.s, "c-1", &c), STORE_MALFORMED);
    assert_int_equal(c.n_problems, 1);
    assert_true(c.bad & STORE_F_TICKETS);
    assert_non_null(strstr(c.problems[0], "availableTickets: a seat pool"));
    assert_string_equal(c.id, "c-1");
    concert_clear(&c);
    stop(&fx);
    fx = start(broken, 1);
    concert_stats cs;
    assert_int_equal(store_concert_stats(fx.s, "c-1", &cs), STORE_MALFORMED);
    stop(&fx);

    /* shards stored as text: pooled, as for the concert read; out of range: malformed */
    const ddb_fake_reply text[] = {
        REPLY("{\"Responses\":{\"concerts-test\":[{\"id\":{\"S\":\"c-1\"},\"availableTickets\":{\"N\":\"0\"},"
              "\"capacity\":{\"N\":\"2000\"},\"shards\":{\"S\":\"64\"}}],\"counters-test\":[" SHARD(0, 31, 2, 0, "20.00")
              "]}}"),
        REPLY("{\"Responses\":{\"concerts-test\":[{\"id\":{\"S\":\"c-1\"},\"availableTickets\":{\"N\":\"0\"},"
              "\"capacity\":{\"N\":\"2000\"},\"shards\":{\"N\":\"65\"}}],\"counters-test\":[" SHARD(0, 31, 2, 0, "20.00")
              "]}}"),
    };
    fx = start(text, 2);
    assert_int_equal(store_concert_stats(fx.s, "c-1", &cs), STORE_OK);
    assert_int_equal(cs.available, 31);
    assert_int_equal(cs.sold, 2);
    assert_int_equal(store_concert_stats(fx.s, "c-1", &cs), STORE_MALFORMED);
    stop(&fx);
}

static void stats_and_reads_are_one_batch_get(void **state)
{
    (void)state;
    /* DynamoDB answers in any order, and may leave keys unprocessed: those are asked again */
    const ddb_fake_reply replies[] = {
        REPLY("{\"Responses\":{\"counters-test\":[" SHARD(3, 30, 2, 1, "20.00") "],\"concerts-test\":[" POOLED_ITEM
              "]},\"UnprocessedKeys\":{\"counters-test\":{\"Keys\":[{\"id\":{\"S\":\"c-1#9\"}}],\"ConsistentRead\":true}}}"),
        REPLY("{\"Responses\":{\"counters-test\":[" SHARD(9, 1940, 27, 4, "270.50") "]}}"),
    };
    fixture fx = start(replies, 2);
    concert_stats cs;
    assert_int_equal(store_concert_stats(fx.s, "c-1", &cs), STORE_OK);
    assert_int_equal(cs.capacity, 2000);
    assert_int_equal(cs.available, 1970);
    assert_int_equal(cs.sold, 29);
    assert_int_equal(cs.refunded, 2);
    assert_int_equal(cs.admitted, 5);
    assert_int_equal(cs.revenue_cents[ORDER_PAY_CARD], 29050);
    assert_int_equal(ddb_fake_count(fx.fake), 2); /* the batch, and the unprocessed key asked again */
    assert_string_equal(target_of(&fx, 0), "DynamoDB_20120810.BatchGetItem");
    cJSON *b = body_of(&fx, 0);
    assert_int_equal(cJSON_GetArraySize(at(b, "RequestItems.counters-test.Keys")), LAYOUT_SHARDS);
    assert_int_equal(cJSON_GetArraySize(at(b, "RequestItems.concerts-test.Keys")), 1);
    assert_true(cJSON_IsTrue(at(b, "RequestItems.counters-test.ConsistentRead")));
    assert_true(cJSON_IsTrue(at(b, "RequestItems.concerts-test.ConsistentRead")));
    assert_string_equal(str_at(b, "RequestItems.counters-test.Keys.63.id.S"), "c-1#63");
    cJSON_Delete(b);
    b = body_of(&fx, 1);
    assert_string_equal(str_at(b, "RequestItems.counters-test.Keys.0.id.S"), "c-1#9");
    cJSON_Delete(b);
    stop(&fx);

    /* a concert of today's layout: ONE request too, its own counters only */
#define SMALL_ITEM "{\"id\":{\"S\":\"c-1\"},\"name\":{\"S\":\"N\"},\"date\":{\"S\":\"d\"},\"venue\":{\"S\":\"V\"}," \
        "\"availableTickets\":{\"N\":\"7\"},\"ticketPrice\":{\"N\":\"10\"},\"sold\":{\"N\":\"3\"},"       \
        "\"admitted\":{\"N\":\"1\"},\"revenueCard\":{\"N\":\"30\"}}"
    const ddb_fake_reply small[] = {
        REPLY("{\"Responses\":{\"counters-test\":[],\"concerts-test\":[" SMALL_ITEM "]}}"),
        REPLY("{\"Item\":" SMALL_ITEM "}"),
    };
    fx = start(small, 2);
    assert_int_equal(store_concert_stats(fx.s, "c-1", &cs), STORE_OK);
    assert_int_equal(cs.capacity, 10);
    assert_int_equal(cs.available, 7);
    assert_int_equal(cs.sold, 3);
    assert_int_equal(cs.admitted, 1);
    assert_int_equal(ddb_fake_count(fx.fake), 1);
    /* GET /concerts/{id} of a small concert: one GetItem (one read unit, not a batch of 65 keys) */
    concert c;
    assert_int_equal(store_get_concert(fx.s, "c-1", &c), STORE_OK);
    assert_int_equal(c.available_tickets, 7);
    assert_false(c.has_shards);
    concert_clear(&c);
    assert_int_equal(ddb_fake_count(fx.fake), 2);
    assert_string_equal(target_of(&fx, 1), "DynamoDB_20120810.GetItem");
    stop(&fx);

    /* a pooled one: the GetItem says it has shards, then ONE batch of the item and its pools, whose sum it reports */
    const ddb_fake_reply pooled[] = {
        REPLY("{\"Item\":" POOLED_ITEM "}"),
        REPLY("{\"Responses\":{\"concerts-test\":[" POOLED_ITEM "],\"counters-test\":[" SHARD(0, 31, 0, 0, "0") ","
              SHARD(1, 1, 30, 0, "300") "]}}"),
    };
    fx = start(pooled, 2);
    assert_int_equal(store_get_concert(fx.s, "c-1", &c), STORE_OK);
    assert_int_equal(c.available_tickets, 32);
    assert_true(c.has_shards);
    assert_int_equal(c.shards, 64);
    concert_clear(&c);
    assert_int_equal(ddb_fake_count(fx.fake), 2);
    assert_string_equal(target_of(&fx, 1), "DynamoDB_20120810.BatchGetItem");
    stop(&fx);

    /* no such concert */
    const ddb_fake_reply none[] = { REPLY("{\"Responses\":{\"concerts-test\":[],\"counters-test\":[]}}"),
                                    REPLY("{}") };
    fx = start(none, 2);
    assert_int_equal(store_concert_stats(fx.s, "c-1", &cs), STORE_NOT_FOUND);
    assert_int_equal(store_get_concert(fx.s, "c-1", &c), STORE_NOT_FOUND);
    stop(&fx);
}

/* ---- orders from pools ------------------------------------------------------------------------------------ */

static void make_order(order *o, int q)
{
    memset(o, 0, sizeof *o);
    strcpy(o->id, "o-1");
    strcpy(o->concert_id, "c-1");
    o->quantity = q;
    o->unit_cents = 1000;
    o->total_cents = 1000 * q;
    memcpy(o->currency, "EUR", 4);
    o->method = ORDER_PAY_CARD;
    strcpy(o->created_at, "2027-07-01T10:00:00.000Z");
    strcpy(o->sold_by, "public");
    o->customer_name = strdup("Ann");
    o->customer_email = strdup("ann@example.com");
    o->shards = LAYOUT_SHARDS;
}

static void an_order_takes_its_seats_from_one_pool_and_moves_on_a_conflict(void **state)
{
    (void)state;
    /* an order of 2 (public: no operator, no shift): [0] pool, [1] order, [2..5] tickets and codes, [6] journal */
    const ddb_fake_reply replies[] = {
        CANCELLED(R_CONFLICT "," R_NONE "," R_NONE "," R_NONE "," R_NONE "," R_NONE "," R_NONE),
        CANCELLED(R_CONFLICT "," R_NONE "," R_NONE "," R_NONE "," R_NONE "," R_NONE "," R_NONE), OK_REPLY };
    fixture fx = start(replies, 3);
    order o, out;
    int64_t left = -1;
    make_order(&o, 2);
    assert_int_equal(store_order_place(fx.s, &o, &out, &left), STORE_OK);
    assert_int_equal(ddb_fake_count(fx.fake), 3); /* each conflict: another pool at once, nothing read */
    int seen[3];
    for (int i = 0; i < 3; i++) {
        assert_string_equal(target_of(&fx, (size_t)i), "DynamoDB_20120810.TransactWriteItems");
        cJSON *b = body_of(&fx, (size_t)i);
        assert_int_equal(cJSON_GetArraySize(at(b, "TransactItems")), 7);
        seen[i] = pool_of(b, 0);
        assert_string_equal(str_at(b, "TransactItems.0.Update.TableName"), "counters-test");
        assert_string_equal(str_at(b, "TransactItems.0.Update.ConditionExpression"), "#avail >= :q");
        assert_string_equal(str_at(b, "TransactItems.0.Update.ExpressionAttributeValues.:q.N"), "2");
        assert_string_equal(str_at(b, "TransactItems.0.Update.ExpressionAttributeValues.:value.N"), "20");
        assert_string_equal(str_at(b, "TransactItems.0.Update.ExpressionAttributeNames.#rev"), "revenueCard");
        assert_string_equal(str_at(b, "TransactItems.0.Update.ReturnValuesOnConditionCheckFailure"), "ALL_OLD");
        /* the concert item is not in it; the order and its tickets and codes say shards */
        for (int k = 0; k < 7; k++) {
            char p[64];
            snprintf(p, sizeof p, "TransactItems.%d.Update.TableName", k);
            assert_true(!str_at(b, p) || strcmp(str_at(b, p), "concerts-test") != 0);
        }
        assert_string_equal(str_at(b, "TransactItems.1.Put.TableName"), "orders-test");
        assert_string_equal(str_at(b, "TransactItems.1.Put.Item.shards.N"), "64");
        assert_string_equal(str_at(b, "TransactItems.2.Put.Item.shards.N"), "64");
        assert_string_equal(str_at(b, "TransactItems.3.Put.TableName"), "codes-test");
        assert_string_equal(str_at(b, "TransactItems.3.Put.Item.shards.N"), "64");
        cJSON_Delete(b);
    }
    assert_int_not_equal(seen[0], seen[1]); /* a pool that met a conflict is not tried again */
    assert_int_not_equal(seen[1], seen[2]);
    assert_int_not_equal(seen[0], seen[2]);
    order_clear(&o);
    stop(&fx);
}

/* A concert of today's layout sends exactly today's transaction: the seats on the concert item, no pool. */
static void a_small_concerts_order_is_todays_transaction(void **state)
{
    (void)state;
    const ddb_fake_reply replies[] = { OK_REPLY };
    fixture fx = start(replies, 1);
    order o, out;
    int64_t left;
    make_order(&o, 2);
    o.shards = 0;
    assert_int_equal(store_order_place(fx.s, &o, &out, &left), STORE_OK);
    assert_int_equal(ddb_fake_count(fx.fake), 1);
    cJSON *b = body_of(&fx, 0);
    assert_int_equal(cJSON_GetArraySize(at(b, "TransactItems")), 7);
    assert_string_equal(str_at(b, "TransactItems.0.Update.TableName"), "concerts-test");
    assert_string_equal(str_at(b, "TransactItems.0.Update.Key.id.S"), "c-1");
    assert_string_equal(str_at(b, "TransactItems.0.Update.UpdateExpression"),
                        "SET #avail = #avail - :q ADD #sold :q, #rev :value");
    assert_string_equal(str_at(b, "TransactItems.0.Update.ConditionExpression"), "attribute_exists(#id) AND #avail >= :q");
    assert_null(at(b, "TransactItems.0.Update.ReturnValuesOnConditionCheckFailure"));
    assert_null(at(b, "TransactItems.1.Put.Item.shards"));
    assert_null(at(b, "TransactItems.2.Put.Item.shards"));
    assert_null(at(b, "TransactItems.3.Put.Item.shards"));
    cJSON_Delete(b);
    order_clear(&o);
    stop(&fx);
}

static void a_short_pool_reads_the_pools_once_then_sends_the_plan(void **state)
{
    (void)state;
    /* the first pool is short; the pools as read: only 40 has 3 and 41 has 1 -> an order of 4 takes both */
    const ddb_fake_reply replies[] = {
        CANCELLED(R_FAILED "," R_NONE "," R_NONE "," R_NONE "," R_NONE "," R_NONE "," R_NONE "," R_NONE "," R_NONE
                  "," R_NONE "," R_NONE),
        REPLY("{\"Responses\":{\"counters-test\":[" SHARD(40, 3, 0, 0, "0") "," SHARD(41, 1, 0, 0, "0") "]}}"),
        OK_REPLY };
    fixture fx = start(replies, 3);
    order o, out;
    int64_t left = -1;
    make_order(&o, 4);
    assert_int_equal(store_order_place(fx.s, &o, &out, &left), STORE_OK);
    assert_int_equal(ddb_fake_count(fx.fake), 3);
    assert_string_equal(target_of(&fx, 1), "DynamoDB_20120810.BatchGetItem");
    cJSON *b = body_of(&fx, 1);
    assert_int_equal(cJSON_GetArraySize(at(b, "RequestItems.counters-test.Keys")), LAYOUT_SHARDS);
    assert_null(at(b, "RequestItems.concerts-test")); /* the pools only */
    cJSON_Delete(b);
    b = body_of(&fx, 2);
    assert_int_equal(cJSON_GetArraySize(at(b, "TransactItems")), 12); /* 2 pools + 1 + 8 + journal */
    assert_int_equal(pool_of(b, 0), 40);
    assert_string_equal(str_at(b, "TransactItems.0.Update.ExpressionAttributeValues.:q.N"), "3");
    assert_string_equal(str_at(b, "TransactItems.0.Update.ExpressionAttributeValues.:value.N"), "30");
    assert_int_equal(pool_of(b, 1), 41);
    assert_string_equal(str_at(b, "TransactItems.1.Update.ExpressionAttributeValues.:q.N"), "1");
    assert_string_equal(str_at(b, "TransactItems.2.Put.TableName"), "orders-test");
    cJSON_Delete(b);
    order_clear(&o);
    stop(&fx);

    /* fewer seats than asked in all the pools: refused from that read, with the seats left; no order exists */
    const ddb_fake_reply short_all[] = {
        CANCELLED(R_FAILED "," R_NONE "," R_NONE "," R_NONE "," R_NONE "," R_NONE "," R_NONE "," R_NONE "," R_NONE
                  "," R_NONE "," R_NONE),
        REPLY("{\"Responses\":{\"counters-test\":[" SHARD(7, 2, 0, 0, "0") "]}}"),
        REPLY("{}") /* GetItem of the order: none (a replay would be answered) */ };
    fx = start(short_all, 3);
    make_order(&o, 4);
    assert_int_equal(store_order_place(fx.s, &o, &out, &left), STORE_SOLD_OUT);
    assert_int_equal(left, 2);
    assert_int_equal(ddb_fake_count(fx.fake), 3);
    order_clear(&o);
    stop(&fx);
}

static void conflicts_until_time_runs_out_are_busy(void **state)
{
    (void)state;
    const ddb_fake_reply replies[] = { CANCELLED(R_CONFLICT "," R_NONE "," R_NONE "," R_NONE "," R_NONE) };
    fixture fx = start(replies, 1);
    order o, out;
    int64_t left;
    make_order(&o, 1);
    uint64_t t0 = bo_clock_wall_ms();
    /* 1.5 s: room for several attempts also under valgrind (check-memory), where one round trip to the fake
     * takes tens of milliseconds */
    store_set_deadline(fx.s, t0 + 1500);
    assert_int_equal(store_order_place(fx.s, &o, &out, &left), STORE_BUSY);
    assert_true(bo_clock_wall_ms() < t0 + 1500); /* answered before the deadline */
    assert_true(ddb_fake_count(fx.fake) >= 2);
    assert_non_null(strstr(store_last_error(fx.s), "busy"));
    order_clear(&o);
    stop(&fx);
}

/* ...and the handler answers 503 "busy, nothing was sold" with Retry-After: 1 (docs/openapi.yaml's Busy) */
static void busy_is_a_503_saying_nothing_was_sold(void **state)
{
    (void)state;
    const ddb_fake_reply replies[] = {
        REPLY("{\"Item\":" POOLED_ITEM "}"),
        CANCELLED(R_CONFLICT "," R_NONE "," R_NONE "," R_NONE "," R_NONE) };
    fixture fx = start(replies, 2);
    store_set_deadline(fx.s, bo_clock_wall_ms() + 1500);
    handler_req q = { .body = "{\"concertId\":\"c-1\",\"quantity\":1,\"customerName\":\"Ann\","
                              "\"customerEmail\":\"ann@example.com\"}" };
    handler_answer a = handler_call_on(fx.s, handler_create_order, &q);
    assert_int_equal(a.status, 503);
    assert_int_equal(a.retry_after, 1);
    assert_string_equal(cJSON_GetObjectItem(a.body, "error")->valuestring, HANDLER_BUSY);
    assert_non_null(strstr(HANDLER_BUSY, "busy"));
    assert_non_null(strstr(HANDLER_BUSY, "nothing was sold"));
    handler_answer_clear(&a);
    stop(&fx);
}

/* ---- check-in on one shard ------------------------------------------------------------------------------- */

static void a_checkin_moves_one_shard_and_another_on_a_conflict(void **state)
{
    (void)state;
    const ddb_fake_reply replies[] = {
        REPLY("{\"Item\":{\"code\":{\"S\":\"ABCD\"},\"ticketId\":{\"S\":\"t-1\"},\"orderId\":{\"S\":\"o-1\"},"
              "\"concertId\":{\"S\":\"c-1\"},\"shards\":{\"N\":\"64\"}}}"),
        CANCELLED(R_NONE "," R_CONFLICT "," R_NONE "," R_NONE "," R_NONE), OK_REPLY,
        REPLY("{\"Item\":{\"id\":{\"S\":\"t-1\"},\"orderId\":{\"S\":\"o-1\"},\"concertId\":{\"S\":\"c-1\"},"
              "\"code\":{\"S\":\"ABCD\"},\"status\":{\"S\":\"checkedIn\"},\"shards\":{\"N\":\"64\"}}}"),
        REPLY("{\"Item\":{\"id\":{\"S\":\"o-1\"},\"quantity\":{\"N\":\"1\"},\"admitted\":{\"N\":\"1\"}}}") };
    fixture fx = start(replies, 5);
    checkin_ticket t;
    checkin_result res;
    journal_who who = { "sub-1", "Ben" };
    assert_int_equal(store_checkin(fx.s, "ABCD", "c-1", "n-1", "D1", "Ben", "2027-07-01T19:00:00.000Z", &who, &t, &res),
                     STORE_OK);
    assert_int_equal(res, CHECKIN_ADMITTED);
    checkin_ticket_clear(&t);
    cJSON *a = body_of(&fx, 1), *b = body_of(&fx, 2);
    assert_string_equal(str_at(a, "TransactItems.0.Update.TableName"), "tickets-test");
    assert_string_equal(str_at(a, "TransactItems.1.Update.TableName"), "counters-test");
    assert_string_equal(str_at(a, "TransactItems.1.Update.UpdateExpression"), "ADD #c :d");
    assert_string_equal(str_at(a, "TransactItems.1.Update.ExpressionAttributeNames.#c"), "admitted");
    assert_string_equal(str_at(a, "TransactItems.2.Update.TableName"), "orders-test");
    assert_int_not_equal(atoi(str_at(a, "TransactItems.1.Update.Key.id.S") + 4),
                         atoi(str_at(b, "TransactItems.1.Update.Key.id.S") + 4)); /* another shard at once */
    cJSON_Delete(a);
    cJSON_Delete(b);
    stop(&fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_pooled_concert_is_one_transaction_of_67_items),
        cmocka_unit_test(stats_and_reads_are_one_batch_get),
        cmocka_unit_test(a_broken_shard_is_a_problem_of_its_concert),
        cmocka_unit_test(an_order_takes_its_seats_from_one_pool_and_moves_on_a_conflict),
        cmocka_unit_test(a_small_concerts_order_is_todays_transaction),
        cmocka_unit_test(a_short_pool_reads_the_pools_once_then_sends_the_plan),
        cmocka_unit_test(conflicts_until_time_runs_out_are_busy),
        cmocka_unit_test(busy_is_a_503_saying_nothing_was_sold),
        cmocka_unit_test(a_checkin_moves_one_shard_and_another_on_a_conflict),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
