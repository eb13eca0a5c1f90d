#ifndef STORE_PRIV_H
#define STORE_PRIV_H
/* The store's private header, for its own modules and nothing else: store.c (the handle) lends the DynamoDB
 * client, the table names, the error slot and GetItem; store_concert.c the concert codec; store_purchase.c the
 * read of a concert before a sale; store_txn.c the transaction helpers; store_order.c the order codec. Used by
 * store_concert.c, store_purchase.c, store_order.c, store_aftersale.c and store_lookup.c (and the store's unit
 * tests). Handlers never include this. */
#include <stdbool.h>

#include <cjson/cJSON.h>

#include "ddb.h"
#include "layout.h"
#include "store.h"
#include "store_order.h"

#define STORE_ERROR_MAX 768 /* bytes of the last error, its NUL included */

ddb_client *store_ddb(store *s);
/* A uniform 32-bit random value from the calling thread's own bo_rand (seeded from the kernel on its first use):
 * the store's one source for layout_pick, layout_pool_plan, layout_journal_bucket and backoff jitter. */
uint32_t store_rnd(void);
/* The table's name; "" when the store was opened without it (its variable unset or not a table name). */
const char *store_table(const store *s, store_table_id t);
void store_set_error(store *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void store_set_ddb_error(store *s, const char *what, const ddb_error *e);
/* Records e and maps it: STORE_UNAVAILABLE for what a client may retry, else STORE_ERROR. */
store_status store_from_ddb(store *s, const char *what, const ddb_error *e);
/* Strongly consistent GetItem of {"id": id} in table: 0 found (*item is the caller's), 1 not found,
 * -1 failed (*st says how). */
int store_get_item(store *s, const char *table, const char *id, cJSON **item, store_status *st);
/* The same for the item whose string key key_name is value (the codes table: {"code": code}). */
int store_get_item_by(store *s, const char *table, const char *key_name, const char *value, cJSON **item,
                      store_status *st);
/* true when the store has every table in needed (STORE_NEED_* bits), else false with "<what>: <VARIABLE> is
 * not set" as the last error. */
bool store_tables_set(store *s, unsigned needed, const char *what);
/* Copies an id of 1..STORE_ID_MAX bytes into dst; false (dst untouched) when src is NULL, empty or longer. */
bool store_copy_id(char dst[STORE_ID_MAX + 1], const char *src);

/* The operator's ConditionCheck of the transaction being built (store_txn.c): 1 + its index in TransactItems,
 * 0 for none. store_take_operator_check returns it and resets it to 0. */
void store_set_operator_check(store *s, int index_plus_1);
int store_take_operator_check(store *s);

/* A concert item into *out (store_concert.c; see "Reading items" in store.h). 0 read (out->n_problems > 0 when
 * it has problems), -1 no string id (not a concert item; *out cleared), -2 out of memory (*out cleared).
 * seats_s (may be NULL) is set to the stored text when a valid availableTickets is an S (borrowed from item),
 * else NULL. */
int store_concert_from_item(const cJSON *item, concert *out, const char **seats_s);
/* "<what>: concert item stored malformed: <problem>; <problem>" into the store's last error. */
void store_set_problems_error(store *s, const char *what, const concert *c);
/* Reads a concert before a sale, rewriting a seat counter stored as a string as N first (as
 * store_purchase does; store_purchase.c): STORE_OK (*out readable, the caller's), STORE_MALFORMED (*out with its
 * problems, the caller's), STORE_NOT_FOUND, STORE_UNAVAILABLE or STORE_ERROR (*out zeroed). */
store_status store_concert_for_sale(store *s, const char *id, concert *out);
/* An order item into *o (store_order.c; tickets: ids and attendees only, no codes or states).
 * 0 (*o the caller's), -1 stored malformed, -2 out of memory (*o zeroed). */
int store_order_from_item(const cJSON *item, order *o);

/* Transactions (store_txn.c) ------------------------------------------------------------------------------ */

/* Sends the TransactWriteItems req (owned: always freed); built false means it could not be completed (out of
 * memory) and is not sent, nor is a NULL req. STORE_OK; the failure mapped (store_from_ddb) when not cancelled;
 * STORE_DISABLED (not *cancelled) when DynamoDB cancelled it because the operator's ConditionCheck failed
 * (store_txn_add_operator_check; whatever else failed with it); STORE_ERROR with *cancelled when DynamoDB
 * cancelled it otherwise (the reasons in *e, recorded as the last error). */
store_status store_transact(store *s, cJSON *req, bool built, ddb_error *e, bool *cancelled);
/* name: {"N": "<cents as an exact decimal>"} ("-0.50" for -50). false when out of memory. */
bool store_txn_add_money(cJSON *obj, const char *name, int64_t cents);
/* Appends to items (a TransactItems array) a ConditionCheck on the operators table's item {sub}:
 * attribute_not_exists(disabled) OR disabled = false (a missing item counts as enabled), and remembers its
 * index for store_transact (refused -> STORE_DISABLED). Every write transaction made for a signed-in
 * operator takes it; sub NULL or "" (a public sale) adds nothing. false when out of memory or the store has no
 * OPERATORS_TABLE (last error set): the transaction must not be sent. */
bool store_txn_add_operator_check(cJSON *items, store *s, const char *sub);
/* Appends to items (a TransactItems array) {"Put": {"TableName": table, "ConditionExpression":
 * "attribute_not_exists(#k)", "ExpressionAttributeNames": {"#k": key_name}, "Item": {}}}: a Put of a new item
 * only. Returns its empty Item for the caller to fill (owned by items), NULL when out of memory. */
cJSON *store_txn_add_new_put(cJSON *items, const char *table, const char *key_name);
/* true when the cancelled transaction's item i failed its condition (CancellationReasons[i] is
 * ConditionalCheckFailed). */
bool store_txn_failed(const ddb_error *e, size_t i);

/* The pooled layout (store_pool.c; issue 19, layout.h) ------------------------------------------------------------
 * A pooled concert's item holds shards N = K; the counters table holds K items "<concertId>#<k>": concertId S,
 * shard N (k), available N (pool k's seats), sold N, refunded N, admitted N, revenueCard/Cash/Comp N (cents as
 * exact decimals). Orders take seats from pools (never from the item); check-ins, undos and refunds move ONE
 * shard's counters; reads sum the item's own values and the shards'. */

#define STORE_POOL_KEY_MAX (STORE_ID_MAX + 16) /* "<id>#<k>" and the NUL (room for any int k) */

/* "<concertId>#<k>" into out. */
void store_pool_key(char out[STORE_POOL_KEY_MAX], const char *concert_id, int k);
/* The shards of a concert as read: 1..LAYOUT_SHARDS for a pooled one, 0 for today's layout. */
int store_pool_shards(const concert *c);
/* A counter attribute of item: absent = 0; N (or a number stored as S) in whole units or cents (scale 0 or 2).
 * false when it is there but unreadable. */
bool store_counter(const cJSON *item, const char *name, int scale, int64_t *out);

typedef struct pool_counts {
    int k_total;                        /* the shard keys read */
    int found;                          /* shard items found */
    int64_t available[LAYOUT_SHARDS];   /* by shard (absent: 0) */
    int64_t available_sum, sold, refunded, admitted;
    int64_t revenue_cents[3];           /* by order_payment */
} pool_counts;
/* Adds one counters item to pc (by its shard). false when a counter of it is unreadable. */
bool store_pool_add_item(pool_counts *pc, const cJSON *item);

/* BatchGetItem of request_items (owned: always freed), following UnprocessedKeys (backing off) within the
 * request's deadline (a bounded number of rounds without one); the items found are appended to out's arrays, by
 * table name ({"<table>": [items]}). STORE_OK, STORE_UNAVAILABLE (keys left unprocessed when time ran out: throttled),
 * or the failure mapped. */
store_status store_batch_get(store *s, cJSON *request_items, cJSON *out);
/* Adds the K keys <id>#0..k_total-1 (ConsistentRead) to a BatchGetItem's RequestItems. false when out of memory. */
bool store_pool_add_keys(store *s, cJSON *request_items, const char *concert_id, int k_total);
/* ONE BatchGetItem (ConsistentRead) of the shards <id>#0..k_total-1 (k_total outside 1..LAYOUT_SHARDS: all K),
 * with the concert item too when concert_item is not NULL (then *concert_item is it, the caller's, or NULL when
 * there is no such concert). *pc holds the shards' sums. STORE_OK, STORE_MALFORMED (a shard unreadable),
 * STORE_UNAVAILABLE, STORE_ERROR. */
store_status store_pool_read(store *s, const char *concert_id, int k_total, cJSON **concert_item, pool_counts *pc);

/* Appends the K counter Puts of a new pooled concert (available = layout_pool_seats(capacity, k, K), the other
 * counters 0; condition attribute_not_exists(id)). false when out of memory. */
bool store_pool_add_puts(cJSON *items, store *s, const char *concert_id, int64_t capacity, int k_total);

/* Where an order (or POST /tickets' one seat) takes its seats from, and what was tried. */
typedef struct pool_plan {
    int k_total, q, max_pools;
    int n;                              /* pools in the plan; 0: pick one (store_pool_plan_pick) */
    int pools[LAYOUT_PLAN_MAX];
    int64_t takes[LAYOUT_PLAN_MAX];
    uint64_t tried;                     /* pools that met a conflict (layout_pick avoids them) */
    unsigned moves, waits;
} pool_plan;
void store_pool_plan_start(pool_plan *p, int k_total, int q, int max_pools);
/* With no plan yet: one pool (layout_pick, avoiding the tried ones) for all q seats. */
void store_pool_plan_pick(pool_plan *p);
/* Appends p's Updates on the counters table, one per pool: SET available = available - :q ADD sold :q (and
 * ADD rev_attr unit_cents * :q when rev_attr is not NULL), condition available >= :q,
 * ReturnValuesOnConditionCheckFailure ALL_OLD. false when out of memory. */
bool store_pool_add_takes(cJSON *items, store *s, const char *concert_id, const pool_plan *p, const char *rev_attr,
                          int64_t unit_cents);

/* Appends a counter shard's Update (condition attribute_exists(id)): a check-in's ADD admitted delta, a refund's
 * ADD available n, refunded n, rev_attr -minus_cents. false when out of memory. */
bool store_pool_add_admitted(cJSON *items, store *s, const char *concert_id, int shard, int delta);
bool store_pool_add_refund(cJSON *items, store *s, const char *concert_id, int shard, int n, const char *rev_attr,
                           int64_t minus_cents);

/* store_transact with ddb_client_return_conflicts on: a cancellation with a TransactionConflict (and no failed
 * condition) comes back at once (cancelled, STORE_ERROR) so that the caller can move to another pool or shard. */
store_status store_transact_pooled(store *s, cJSON *req, bool built, ddb_error *e, bool *cancelled);
/* true when the cancelled transaction's item i met a TransactionConflict. */
bool store_txn_conflict_at(const ddb_error *e, size_t i);

enum { POOL_AGAIN = 0, POOL_SOLD_OUT, POOL_OTHER, POOL_FAIL };
/* After a pooled transaction was cancelled (its pool Updates at items [first, first + p->n)):
 *   POOL_AGAIN     send again with p's plan: a pool ran short (re-planned from the pools read with one
 *                  BatchGetItem), a pool met a conflict (another pool at once: p->n = 0), or another item met a
 *                  conflict (after a backoff by ddb_retry_decide, the same plan)
 *   POOL_SOLD_OUT  fewer seats than p->q in all the pools (or not within p->max_pools of them): *seats_left
 *   POOL_OTHER     not a matter of the pools: the caller reads the other reasons
 *   POOL_FAIL      *st: STORE_BUSY (time ran out) or the read's failure */
int store_pool_after(store *s, pool_plan *p, const char *concert_id, const ddb_error *e, size_t first,
                     int64_t *seats_left, store_status *st);

/* Check-in, undo, refund: the counter shard tried. */
typedef struct shard_try {
    int k_total, k;
    uint64_t tried;
    unsigned moves, waits;
} shard_try;
/* Picks t->k (layout_pick, avoiding the tried ones) and returns it. */
int store_shard_pick(shard_try *t);
/* After a cancellation with the shard at item index: POOL_AGAIN (the shard met a conflict: pick another at
 * once; or another item did: after a backoff), POOL_OTHER, POOL_FAIL (*st = STORE_BUSY: time ran out). */
int store_shard_after(store *s, shard_try *t, const ddb_error *e, size_t index, store_status *st);
/* Whether another move fits: within the deadline (bounded without one). */
bool store_pool_may_move(store *s, unsigned moves);
/* A backoff by ddb_retry_decide after *waits conflicts: STORE_OK (slept), STORE_BUSY (no time left). */
store_status store_pool_wait(store *s, const ddb_error *e, unsigned *waits);

#endif
