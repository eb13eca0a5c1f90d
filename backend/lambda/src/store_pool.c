/* The pooled layout on DynamoDB (issue 19; layout.h has the policy, docs/architecture.md "Stadium scale" the
 * why): a pooled concert's seat pools and counter shards, items "<concertId>#<k>" of the counters table, and
 * what the store's modules share about them (store_priv.h): their keys, the strongly consistent batched read of
 * a concert with its shards, the Updates that take seats from pools or move one shard's counters, and the
 * moves to another pool or shard when DynamoDB hands a transaction conflict back (ddb_client_return_conflicts).
 * No policy is decided here: which pool or shard to try and how an order's seats are split come from layout.c. */
#include "bo_clock.h"
#include "ddb.h"
#include "ddb_attr.h"
#include "layout.h"
#include "store_priv.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BATCH_MAX_KEYS 100       /* DynamoDB's limit of keys in one BatchGetItem */
#define BATCH_ROUNDS_NO_DEADLINE 8 /* UnprocessedKeys followed this many times when there is no deadline */
#define MOVES_NO_DEADLINE (4 * LAYOUT_SHARDS) /* pool/shard moves without a deadline (tests, tools) */

void store_pool_key(char out[STORE_POOL_KEY_MAX], const char *concert_id, int k)
{
    snprintf(out, STORE_POOL_KEY_MAX, "%s#%d", concert_id, k);
}

int store_pool_shards(const concert *c)
{
    return c && c->has_shards && c->shards >= 1 && c->shards <= LAYOUT_SHARDS ? (int)c->shards : 0;
}

bool store_counter(const cJSON *item, const char *name, int scale, int64_t *out)
{
    const cJSON *av = cJSON_GetObjectItemCaseSensitive(item, name);
    *out = 0;
    if (!av)
        return true;
    bool is_s, neg;
    const char *t = ddb_attr_number_text(av, &is_s);
    if (!t || ddb_number_scaled(t, scale, out, &neg) != 0)
        return false;
    if (neg && *out > 0)
        *out = -*out;
    return true;
}

bool store_pool_add_item(pool_counts *pc, const cJSON *item)
{
    const char *sh = ddb_attr_n(item, "shard");
    char *end = NULL;
    long k = sh ? strtol(sh, &end, 10) : -1;
    int64_t avail, sold, refunded, admitted, rev[3];
    if (!sh || *end || k < 0 || k >= LAYOUT_SHARDS || !store_counter(item, "available", 0, &avail) ||
        !store_counter(item, "sold", 0, &sold) || !store_counter(item, "refunded", 0, &refunded) ||
        !store_counter(item, "admitted", 0, &admitted))
        return false;
    /* a pool's seats never go below zero by our writes (an order takes them on `available >= :q`); a negative
     * value is another writer's: malformed, not a negative availableTickets in an answer. (A shard's admitted
     * and revenue may go below zero: an undo or a refund lands on any shard; only the sums mean something.) */
    if (avail < 0)
        return false;
    for (int m = 0; m < 3; m++)
        if (!store_counter(item, order_revenue_attr((order_payment)m), 2, &rev[m]))
            return false;
    pc->available[k] = avail;
    pc->available_sum += avail;
    pc->sold += sold;
    pc->refunded += refunded;
    pc->admitted += admitted;
    for (int m = 0; m < 3; m++)
        pc->revenue_cents[m] += rev[m];
    pc->found++;
    return true;
}

/* ---- time ------------------------------------------------------------------------------------- */

/* true when another attempt still fits before the request's deadline (always, without one). */
static bool time_left(store *s)
{
    uint64_t d = store_deadline(s);
    return !d || bo_clock_wall_ms() + DDB_MIN_ATTEMPT_MS + DDB_DEADLINE_MARGIN_MS < d;
}

/* ---- batched reads ---------------------------------------------------------------------------- */

/* Appends the items of resp's Responses to out's arrays by table. false when out of memory or malformed. */
static bool take_responses(cJSON *resp, cJSON *out)
{
    cJSON *responses = cJSON_GetObjectItemCaseSensitive(resp, "Responses");
    if (!responses)
        return true;
    if (!cJSON_IsObject(responses))
        return false;
    cJSON *table;
    cJSON_ArrayForEach(table, responses) {
        if (!cJSON_IsArray(table) || !table->string)
            return false;
        cJSON *dst = cJSON_GetObjectItemCaseSensitive(out, table->string);
        if (!dst && !(dst = cJSON_AddArrayToObject(out, table->string)))
            return false;
        while (table->child) {
            cJSON *it = cJSON_DetachItemViaPointer(table, table->child);
            if (!cJSON_AddItemToArray(dst, it)) {
                cJSON_Delete(it);
                return false;
            }
        }
    }
    return true;
}

store_status store_batch_get(store *s, cJSON *request_items, cJSON *out)
{
    store_status st = STORE_ERROR;
    cJSON *req = NULL, *resp = NULL;
    for (unsigned round = 0;; round++) {
        req = cJSON_CreateObject();
        if (!req || !request_items || !cJSON_AddItemToObject(req, "RequestItems", request_items)) {
            cJSON_Delete(request_items);
            store_set_error(s, "BatchGetItem: out of memory");
            goto done;
        }
        request_items = NULL; /* owned by req */
        ddb_error e;
        if (ddb_call(store_ddb(s), "BatchGetItem", req, &resp, &e) != DDB_OK) {
            st = store_from_ddb(s, "BatchGetItem", &e);
            goto done;
        }
        if (!take_responses(resp, out)) {
            store_set_error(s, "BatchGetItem: Responses malformed or out of memory");
            goto done;
        }
        cJSON *left = cJSON_DetachItemFromObjectCaseSensitive(resp, "UnprocessedKeys");
        cJSON_Delete(resp);
        cJSON_Delete(req);
        resp = req = NULL;
        if (!cJSON_IsObject(left) || !left->child) {
            cJSON_Delete(left);
            return STORE_OK;
        }
        /* DynamoDB left some keys (throttled or too large an answer): ask again for those, backing off, within
         * the request's time (the SDKs' advice for BatchGetItem) */
        if ((!store_deadline(s) && round + 1 >= BATCH_ROUNDS_NO_DEADLINE) || !time_left(s)) {
            cJSON_Delete(left);
            store_set_error(s, "BatchGetItem: keys still unprocessed when time ran out");
            return STORE_UNAVAILABLE; /* throttled: a client may retry */
        }
        bo_sleep_ms(ddb_contention_backoff_ms(round + 1, store_rnd()));
        if (!time_left(s)) {
            cJSON_Delete(left);
            store_set_error(s, "BatchGetItem: keys still unprocessed when time ran out");
            return STORE_UNAVAILABLE;
        }
        request_items = left;
    }
done:
    cJSON_Delete(req);
    cJSON_Delete(resp);
    return st;
}

/* {"Keys": [...], "ConsistentRead": true} added to request_items under table: the Keys array, NULL on OOM. */
static cJSON *batch_table(cJSON *request_items, const char *table)
{
    cJSON *t = cJSON_GetObjectItemCaseSensitive(request_items, table);
    if (t)
        return cJSON_GetObjectItemCaseSensitive(t, "Keys");
    t = cJSON_AddObjectToObject(request_items, table);
    cJSON *keys = t ? cJSON_AddArrayToObject(t, "Keys") : NULL;
    if (!keys || !cJSON_AddTrueToObject(t, "ConsistentRead"))
        return NULL;
    return keys;
}

static bool add_key(cJSON *keys, const char *id)
{
    cJSON *k = cJSON_CreateObject();
    if (!k || !cJSON_AddItemToArray(keys, k)) {
        cJSON_Delete(k);
        return false;
    }
    return ddb_attr_add(k, "id", "S", id);
}

bool store_pool_add_keys(store *s, cJSON *request_items, const char *concert_id, int k_total)
{
    cJSON *keys = batch_table(request_items, store_table(s, STORE_T_COUNTERS));
    for (int k = 0; keys && k < k_total; k++) {
        char key[STORE_POOL_KEY_MAX];
        store_pool_key(key, concert_id, k);
        if (!add_key(keys, key))
            return false;
    }
    return keys != NULL;
}

/* Adds the items of table in got whose concertId is concert_id to pc. false when one is unreadable. */
static bool sum_items(store *s, const cJSON *got, const char *concert_id, pool_counts *pc)
{
    const cJSON *items = cJSON_GetObjectItemCaseSensitive(got, store_table(s, STORE_T_COUNTERS));
    const cJSON *it;
    cJSON_ArrayForEach(it, items) {
        const char *cid = ddb_attr_s(it, "concertId");
        if (!cid || strcmp(cid, concert_id) != 0)
            continue;
        if (!store_pool_add_item(pc, it)) {
            store_set_error(s, "concert %s: a counter shard is stored malformed", concert_id);
            return false;
        }
    }
    return true;
}

store_status store_pool_read(store *s, const char *concert_id, int k_total, cJSON **concert_item, pool_counts *pc)
{
    memset(pc, 0, sizeof *pc);
    if (concert_item)
        *concert_item = NULL;
    if (!store_tables_set(s, STORE_NEED_COUNTERS | (concert_item ? STORE_NEED_CONCERTS : 0u), "concert read"))
        return STORE_ERROR;
    /* The concert item and the K = LAYOUT_SHARDS keys <id>#0..K-1 in one BatchGetItem (K + 1 <= 100 keys). A
     * concert item never says more than LAYOUT_SHARDS shards (a larger value is a problem of the item,
     * store.h), so no second batch is ever needed for the rest; fewer shards: the keys beyond them are absent. */
    if (k_total < 1 || k_total > LAYOUT_SHARDS)
        k_total = LAYOUT_SHARDS;
    pc->k_total = k_total;
    cJSON *request_items = cJSON_CreateObject();
    cJSON *got = cJSON_CreateObject();
    cJSON *ckeys = concert_item && request_items ? batch_table(request_items, store_table(s, STORE_T_CONCERTS)) : NULL;
    if (!request_items || !got || (concert_item && (!ckeys || !add_key(ckeys, concert_id))) ||
        !store_pool_add_keys(s, request_items, concert_id, k_total)) {
        cJSON_Delete(request_items);
        cJSON_Delete(got);
        store_set_error(s, "BatchGetItem: out of memory");
        return STORE_ERROR;
    }
    store_status st = store_batch_get(s, request_items, got);
    if (st == STORE_OK && !sum_items(s, got, concert_id, pc))
        st = STORE_MALFORMED;
    if ((st == STORE_OK || st == STORE_MALFORMED) && concert_item) {
        /* one key asked of the concerts table: its item, whatever its id says (store_concert_from_item judges);
         * also when a shard is malformed, so that the caller can name the concert with its problem */
        cJSON *items = cJSON_GetObjectItemCaseSensitive(got, store_table(s, STORE_T_CONCERTS));
        if (cJSON_IsArray(items) && items->child)
            *concert_item = cJSON_DetachItemViaPointer(items, items->child);
    }
    cJSON_Delete(got);
    return st;
}

/* ---- writes ----------------------------------------------------------------------------------- */

/* {"Update": {TableName: counters, Key: {id: "<cid>#<k>"}, ...}} appended to items; NULL on OOM. */
static cJSON *shard_update(cJSON *items, store *s, const char *concert_id, int k, const char *expr, const char *cond,
                           cJSON **names, cJSON **values)
{
    char key[STORE_POOL_KEY_MAX];
    store_pool_key(key, concert_id, k);
    cJSON *wrap = cJSON_CreateObject();
    if (!wrap || !cJSON_AddItemToArray(items, wrap)) {
        cJSON_Delete(wrap);
        return NULL;
    }
    cJSON *upd = cJSON_AddObjectToObject(wrap, "Update");
    cJSON *kk = upd ? cJSON_AddObjectToObject(upd, "Key") : NULL;
    *names = upd ? cJSON_AddObjectToObject(upd, "ExpressionAttributeNames") : NULL;
    *values = upd ? cJSON_AddObjectToObject(upd, "ExpressionAttributeValues") : NULL;
    if (!kk || !*names || !*values || !cJSON_AddStringToObject(upd, "TableName", store_table(s, STORE_T_COUNTERS)) ||
        !ddb_attr_add(kk, "id", "S", key) || !cJSON_AddStringToObject(upd, "UpdateExpression", expr) ||
        !cJSON_AddStringToObject(upd, "ConditionExpression", cond))
        return NULL;
    return upd;
}

static bool add_int(cJSON *obj, const char *name, long long v)
{
    char n[24];
    snprintf(n, sizeof n, "%lld", v);
    return ddb_attr_add(obj, name, "N", n);
}

bool store_pool_add_puts(cJSON *items, store *s, const char *concert_id, int64_t capacity, int k_total)
{
    for (int k = 0; k < k_total; k++) {
        char key[STORE_POOL_KEY_MAX];
        store_pool_key(key, concert_id, k);
        cJSON *it = store_txn_add_new_put(items, store_table(s, STORE_T_COUNTERS), "id");
        if (!it || !ddb_attr_add(it, "id", "S", key) ||
            !ddb_attr_add(it, "concertId", "S", concert_id) || !add_int(it, "shard", k) ||
            !add_int(it, "available", (long long)layout_pool_seats(capacity, k, k_total)) ||
            !add_int(it, "sold", 0) || !add_int(it, "refunded", 0) || !add_int(it, "admitted", 0) ||
            !ddb_attr_add(it, "revenueCard", "N", "0") || !ddb_attr_add(it, "revenueCash", "N", "0") ||
            !ddb_attr_add(it, "revenueComp", "N", "0"))
            return false;
    }
    return true;
}

bool store_pool_add_takes(cJSON *items, store *s, const char *concert_id, const pool_plan *p, const char *rev_attr,
                          int64_t unit_cents)
{
    for (int i = 0; i < p->n; i++) {
        cJSON *names, *values;
        cJSON *upd = shard_update(items, s, concert_id, p->pools[i],
                                  rev_attr ? "SET #avail = #avail - :q ADD #sold :q, #rev :value"
                                           : "SET #avail = #avail - :q ADD #sold :q",
                                  "#avail >= :q", &names, &values);
        if (!upd || !cJSON_AddStringToObject(names, "#avail", "available") ||
            !cJSON_AddStringToObject(names, "#sold", "sold") || !add_int(values, ":q", (long long)p->takes[i]) ||
            (rev_attr && (!cJSON_AddStringToObject(names, "#rev", rev_attr) ||
                          !store_txn_add_money(values, ":value", unit_cents * p->takes[i]))) ||
            !cJSON_AddStringToObject(upd, "ReturnValuesOnConditionCheckFailure", "ALL_OLD"))
            return false;
    }
    return true;
}

bool store_pool_add_admitted(cJSON *items, store *s, const char *concert_id, int shard, int delta)
{
    cJSON *names, *values;
    return shard_update(items, s, concert_id, shard, "ADD #c :d", "attribute_exists(#id)", &names, &values) &&
           cJSON_AddStringToObject(names, "#c", "admitted") && cJSON_AddStringToObject(names, "#id", "id") &&
           add_int(values, ":d", delta);
}

bool store_pool_add_refund(cJSON *items, store *s, const char *concert_id, int shard, int n, const char *rev_attr,
                           int64_t minus_cents)
{
    cJSON *names, *values;
    return shard_update(items, s, concert_id, shard, "ADD #avail :n, #ref :n, #rev :minus", "attribute_exists(#id)",
                        &names, &values) &&
           cJSON_AddStringToObject(names, "#avail", "available") && cJSON_AddStringToObject(names, "#ref", "refunded") &&
           cJSON_AddStringToObject(names, "#rev", rev_attr) && cJSON_AddStringToObject(names, "#id", "id") &&
           add_int(values, ":n", n) && store_txn_add_money(values, ":minus", -minus_cents);
}

/* ---- moving on -------------------------------------------------------------------------------- */

store_status store_transact_pooled(store *s, cJSON *req, bool built, ddb_error *e, bool *cancelled)
{
    ddb_client_return_conflicts(store_ddb(s), true);
    store_status st = store_transact(s, req, built, e, cancelled);
    ddb_client_return_conflicts(store_ddb(s), false);
    return st;
}

bool store_txn_conflict_at(const ddb_error *e, size_t i)
{
    return i < e->n_reasons && strcmp(e->reasons[i], "TransactionConflict") == 0;
}

bool store_pool_may_move(store *s, unsigned moves)
{
    if (!store_deadline(s))
        return moves < MOVES_NO_DEADLINE;
    return time_left(s);
}

store_status store_pool_wait(store *s, const ddb_error *e, unsigned *waits)
{
    uint64_t sleep_ms = 0;
    (*waits)++;
    if (!ddb_retry_decide(e, *waits, bo_clock_wall_ms(), store_deadline(s), store_rnd(), &sleep_ms)) {
        store_set_error(s, "the concert is busy: transaction conflicts until the request's time ran out");
        return STORE_BUSY;
    }
    bo_sleep_ms(sleep_ms);
    return STORE_OK;
}

void store_pool_plan_start(pool_plan *p, int k_total, int q, int max_pools)
{
    memset(p, 0, sizeof *p);
    p->k_total = k_total;
    p->q = q;
    p->max_pools = max_pools < 1 ? 1 : max_pools > LAYOUT_PLAN_MAX ? LAYOUT_PLAN_MAX : max_pools;
}

void store_pool_plan_pick(pool_plan *p)
{
    if (p->n > 0)
        return;
    p->pools[0] = layout_pick(store_rnd(), p->k_total, p->tried);
    p->takes[0] = p->q;
    p->n = 1;
}

int store_pool_after(store *s, pool_plan *p, const char *concert_id, const ddb_error *e, size_t first,
                     int64_t *seats_left, store_status *st)
{
    bool short_pool = false, conflict = false;
    for (int i = 0; i < p->n; i++) {
        short_pool = short_pool || store_txn_failed(e, first + (size_t)i);
        if (store_txn_conflict_at(e, first + (size_t)i)) {
            conflict = true;
            p->tried |= (uint64_t)1 << p->pools[i];
        }
    }
    if (short_pool) {
        /* a pool ran short: read them all (strongly consistent, one BatchGetItem) and plan from what is there */
        pool_counts pc;
        store_status rd = store_pool_read(s, concert_id, p->k_total, NULL, &pc);
        if (rd != STORE_OK) {
            *st = rd;
            return POOL_FAIL;
        }
        int64_t left = 0;
        int n = 0;
        int r = layout_pool_plan(pc.available, p->k_total, p->q, p->max_pools, store_rnd(), p->pools, p->takes, &n, &left);
        p->moves++;
        if (r == LAYOUT_PLAN_SOLD_OUT || r == LAYOUT_PLAN_TOO_WIDE) {
            *seats_left = left;
            p->n = 0;
            store_set_error(s, "concert %s: %" PRId64 " seats left in its pools, %d asked", concert_id, left, p->q);
            return POOL_SOLD_OUT;
        }
        if (r != LAYOUT_PLAN_OK) {
            store_set_error(s, "concert %s: no plan for %d seats", concert_id, p->q);
            *st = STORE_ERROR;
            return POOL_FAIL;
        }
        p->n = n;
        if (!store_pool_may_move(s, p->moves)) {
            store_set_error(s, "concert %s is busy: pools kept running short until the request's time ran out",
                            concert_id);
            *st = STORE_BUSY;
            return POOL_FAIL;
        }
        return POOL_AGAIN;
    }
    if (conflict) {
        /* another transaction holds a pool: another one at once, no sleep (layout_pick avoids the tried ones) */
        p->n = 0;
        p->moves++;
        if (!store_pool_may_move(s, p->moves)) {
            store_set_error(s, "concert %s is busy: every pool tried was taken until the request's time ran out",
                            concert_id);
            *st = STORE_BUSY;
            return POOL_FAIL;
        }
        return POOL_AGAIN;
    }
    if (ddb_error_conflict_only(e)) {
        /* a conflict on another item of the transaction: back off and send the same plan again */
        store_status w = store_pool_wait(s, e, &p->waits);
        if (w != STORE_OK) {
            *st = w;
            return POOL_FAIL;
        }
        return POOL_AGAIN;
    }
    return POOL_OTHER;
}

int store_shard_pick(shard_try *t)
{
    t->k = layout_pick(store_rnd(), t->k_total, t->tried);
    return t->k;
}

int store_shard_after(store *s, shard_try *t, const ddb_error *e, size_t index, store_status *st)
{
    if (store_txn_conflict_at(e, index)) {
        t->tried |= (uint64_t)1 << t->k;
        t->moves++;
        if (!store_pool_may_move(s, t->moves)) {
            *st = STORE_BUSY;
            store_set_error(s, "the concert is busy: every counter shard tried was taken until the request's time "
                               "ran out");
            return POOL_FAIL;
        }
        return POOL_AGAIN;
    }
    if (ddb_error_conflict_only(e)) {
        store_status w = store_pool_wait(s, e, &t->waits);
        if (w != STORE_OK) {
            *st = w;
            return POOL_FAIL;
        }
        return POOL_AGAIN;
    }
    return POOL_OTHER;
}
