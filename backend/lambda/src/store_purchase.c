/* The single-ticket purchase on DynamoDB (POST /tickets, store_purchase in store.h): one transaction that takes
 * a seat from the concert and puts the ticket, with the concert read first (a string seat counter rewritten as
 * a number, a malformed concert refused) and a replay of the same request told from a reused id. Also the
 * read of a concert before an order's sale (store_concert_for_sale, store_priv.h). */
#include "store.h"

#include "ddb.h"
#include "ddb_attr.h"
#include "store_priv.h"
#include "timefmt.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PURCHASE_ROUNDS 4 /* read-and-sell rounds while a string seat counter changes under us */

static char *strdup_or_empty(const char *v)
{
    return strdup(v ? v : "");
}

/* ---- tickets --------------------------------------------------------------------------------- */
void ticket_clear(ticket *t)
{
    if (!t)
        return;
    free(t->customer_name);
    free(t->customer_email);
    memset(t, 0, sizeof *t);
}

static int ticket_from_item(const cJSON *item, ticket *out)
{
    memset(out, 0, sizeof *out);
    if (!store_copy_id(out->id, ddb_attr_s(item, "id")) || !store_copy_id(out->concert_id, ddb_attr_s(item, "concertId")))
        goto malformed;
    const char *date = ddb_attr_s(item, "purchaseDate");
    snprintf(out->purchase_date, sizeof out->purchase_date, "%s", date ? date : "");
    out->customer_name = strdup_or_empty(ddb_attr_s(item, "customerName"));
    out->customer_email = strdup_or_empty(ddb_attr_s(item, "customerEmail"));
    if (!out->customer_name || !out->customer_email) {
        ticket_clear(out);
        return -2;
    }
    return 0;
malformed:
    ticket_clear(out);
    return -1;
}

/* ---- purchase -------------------------------------------------------------------------------- */

/* The TransactWriteItems request: [0] seat update on the concert, [1] conditional ticket put. A pooled concert
 * (plan not NULL): [0] the seat from one pool of the counters table (store_pool_add_takes: available - 1, sold +
 * 1, no revenue, as on the concert item), [1] the ticket. */
static cJSON *purchase_request(store *s, const ticket *t, const char *purchase_date, const pool_plan *plan)
{
    if (plan) {
        cJSON *req = cJSON_CreateObject();
        cJSON *items = req ? cJSON_AddArrayToObject(req, "TransactItems") : NULL;
        cJSON *item = items && store_pool_add_takes(items, s, t->concert_id, plan, NULL, 0)
                          ? store_txn_add_new_put(items, store_table(s, STORE_T_TICKETS), "id")
                          : NULL;
        if (!item || !ddb_attr_add(item, "id", "S", t->id) || !ddb_attr_add(item, "concertId", "S", t->concert_id) ||
            !ddb_attr_add(item, "customerName", "S", t->customer_name) ||
            !ddb_attr_add(item, "customerEmail", "S", t->customer_email) ||
            !ddb_attr_add(item, "purchaseDate", "S", purchase_date)) {
            cJSON_Delete(req);
            return NULL;
        }
        return req;
    }
    cJSON *req = cJSON_CreateObject();
    cJSON *items = cJSON_AddArrayToObject(req, "TransactItems");
    cJSON *upd_wrap = cJSON_CreateObject();
    cJSON *put_wrap = cJSON_CreateObject();
    if (!req || !items || !upd_wrap || !put_wrap)
        goto fail;
    cJSON_AddItemToArray(items, upd_wrap);
    cJSON_AddItemToArray(items, put_wrap);

    cJSON *upd = cJSON_AddObjectToObject(upd_wrap, "Update");
    cJSON *key = cJSON_AddObjectToObject(upd, "Key");
    cJSON *names = cJSON_AddObjectToObject(upd, "ExpressionAttributeNames");
    cJSON *values = cJSON_AddObjectToObject(upd, "ExpressionAttributeValues");
    if (!upd || !key || !names || !values || !cJSON_AddStringToObject(upd, "TableName", store_table(s, STORE_T_CONCERTS)) ||
        !ddb_attr_add(key, "id", "S", t->concert_id) ||
        !cJSON_AddStringToObject(upd, "UpdateExpression", "SET #avail = #avail - :one ADD #sold :one") ||
        !cJSON_AddStringToObject(upd, "ConditionExpression", "attribute_exists(#id) AND #avail > :zero") ||
        !cJSON_AddStringToObject(names, "#id", "id") || !cJSON_AddStringToObject(names, "#avail", "availableTickets") ||
        !cJSON_AddStringToObject(names, "#sold", "sold") ||
        !ddb_attr_add(values, ":one", "N", "1") || !ddb_attr_add(values, ":zero", "N", "0"))
        goto fail;

    cJSON *put = cJSON_AddObjectToObject(put_wrap, "Put");
    cJSON *item = cJSON_AddObjectToObject(put, "Item");
    cJSON *pnames = cJSON_AddObjectToObject(put, "ExpressionAttributeNames");
    if (!put || !item || !pnames || !cJSON_AddStringToObject(put, "TableName", store_table(s, STORE_T_TICKETS)) ||
        !ddb_attr_add(item, "id", "S", t->id) || !ddb_attr_add(item, "concertId", "S", t->concert_id) ||
        !ddb_attr_add(item, "customerName", "S", t->customer_name) ||
        !ddb_attr_add(item, "customerEmail", "S", t->customer_email) ||
        !ddb_attr_add(item, "purchaseDate", "S", purchase_date) ||
        !cJSON_AddStringToObject(put, "ConditionExpression", "attribute_not_exists(#id)") ||
        !cJSON_AddStringToObject(pnames, "#id", "id"))
        goto fail;
    return req;
fail:
    if (!cJSON_GetArrayItem(items, 0))
        cJSON_Delete(upd_wrap);
    if (!cJSON_GetArrayItem(items, 1))
        cJSON_Delete(put_wrap);
    cJSON_Delete(req);
    return NULL;
}

static bool same_text(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

/* The ticket id exists: the same purchase replayed, or the id (idempotency key) reused for another
 * request. A replay is the same concert, customer name and e-mail, compared exactly as validated. */
static store_status decide_existing_ticket(store *s, const ticket *t, ticket *out)
{
    cJSON *item;
    store_status st;
    int r = store_get_item_by(s, store_table(s, STORE_T_TICKETS), "id", t->id, &item, &st);
    if (r < 0)
        return st;
    if (r == 1) {
        store_set_error(s, "TransactWriteItems: ticket %s reported as existing but not found", t->id);
        return STORE_ERROR;
    }
    ticket stored;
    r = ticket_from_item(item, &stored);
    cJSON_Delete(item);
    if (r != 0) {
        store_set_error(s, r == -2 ? "GetItem: out of memory" : "GetItem: malformed ticket item");
        return STORE_ERROR;
    }
    const char *differs = strcmp(stored.concert_id, t->concert_id) != 0                 ? "concert"
                          : !same_text(stored.customer_name, t->customer_name)         ? "customer name"
                          : !same_text(stored.customer_email, t->customer_email)       ? "customer e-mail"
                                                                                        : NULL;
    if (differs) {
        ticket_clear(&stored);
        store_set_error(s, "ticket id %s already used for a request with another %s", t->id, differs);
        return STORE_CONFLICT;
    }
    if (out)
        *out = stored; /* ownership of the strings moves to *out */
    else
        ticket_clear(&stored);
    store_set_error(s, "ticket %s replayed", t->id);
    return STORE_REPLAY;
}

/* Before refusing a purchase without a transaction (no such concert, malformed concert): a ticket
 * with this id may already exist, from an earlier try of the same request. STORE_REPLAY/CONFLICT
 * from decide_existing_ticket, refusal when there is none, or the read's failure. */
static store_status refuse_unless_replay(store *s, const ticket *t, ticket *out, store_status refusal)
{
    char why[STORE_ERROR_MAX];
    snprintf(why, sizeof why, "%s", store_last_error(s));
    cJSON *item;
    store_status st;
    int r = store_get_item_by(s, store_table(s, STORE_T_TICKETS), "id", t->id, &item, &st);
    if (r < 0)
        return st;
    cJSON_Delete(item);
    if (r == 0)
        return decide_existing_ticket(s, t, out);
    store_set_error(s, "%s", why);
    return refusal;
}

/* Internal outcome of reading the concert: go on with the sale, or read again (the counter changed). */
#define STORE_AGAIN ((store_status)(STORE_ERROR + 1))

/* Rewrites a seat counter stored as a string as the same number (N), on the condition that it still
 * holds that string. A failed condition (another buyer or writer got there first) is fine: the
 * caller reads the concert again. STORE_OK, STORE_AGAIN, or the failure. */
static store_status seats_as_number(store *s, const char *concert_id, const char *seen, int64_t seats)
{
    char n[24];
    snprintf(n, sizeof n, "%lld", (long long)seats);
    cJSON *req = cJSON_CreateObject();
    cJSON *key = cJSON_AddObjectToObject(req, "Key");
    cJSON *names = cJSON_AddObjectToObject(req, "ExpressionAttributeNames");
    cJSON *values = cJSON_AddObjectToObject(req, "ExpressionAttributeValues");
    if (!req || !key || !names || !values || !cJSON_AddStringToObject(req, "TableName", store_table(s, STORE_T_CONCERTS)) ||
        !ddb_attr_add(key, "id", "S", concert_id) || !cJSON_AddStringToObject(req, "UpdateExpression", "SET #avail = :n") ||
        !cJSON_AddStringToObject(req, "ConditionExpression", "#avail = :s") ||
        !cJSON_AddStringToObject(names, "#avail", "availableTickets") || !ddb_attr_add(values, ":n", "N", n) ||
        !ddb_attr_add(values, ":s", "S", seen)) {
        cJSON_Delete(req);
        store_set_error(s, "UpdateItem: out of memory");
        return STORE_ERROR;
    }
    cJSON *resp = NULL;
    ddb_error e;
    ddb_status ds = ddb_call(store_ddb(s), "UpdateItem", req, &resp, &e);
    cJSON_Delete(req);
    cJSON_Delete(resp);
    if (ds == DDB_OK)
        return STORE_AGAIN; /* read once more: now an N, sold by the transaction */
    if (ds == DDB_ERR_CONDITIONAL_CHECK)
        return STORE_AGAIN;
    return store_from_ddb(s, "UpdateItem", &e);
}

/* Reads the concert before a sale: STORE_OK to sell (seat counter N, item readable), STORE_AGAIN
 * after rewriting a string counter as N, or the refusal: NOT_FOUND, MALFORMED, UNAVAILABLE, ERROR. */
static store_status check_concert(store *s, const char *concert_id, concert *keep, int *shards)
{
    if (shards)
        *shards = 0;
    cJSON *item;
    store_status st;
    int r = store_get_item_by(s, store_table(s, STORE_T_CONCERTS), "id", concert_id, &item, &st);
    if (r < 0)
        return st;
    if (r == 1) {
        store_set_error(s, "concert %s not found", concert_id);
        return STORE_NOT_FOUND;
    }
    concert c;
    const char *seats_s = NULL;
    r = store_concert_from_item(item, &c, &seats_s);
    if (r != 0) {
        cJSON_Delete(item);
        store_set_error(s, r == -2 ? "GetItem: out of memory" : "GetItem: concert item without a string id");
        return STORE_ERROR;
    }
    if (c.n_problems > 0) {
        store_set_problems_error(s, "purchase", &c);
        st = STORE_MALFORMED;
    } else if (seats_s) {
        st = seats_as_number(s, concert_id, seats_s, c.available_tickets);
    } else {
        st = STORE_OK;
        if (shards)
            *shards = store_pool_shards(&c);
    }
    if (keep && (st == STORE_OK || st == STORE_MALFORMED))
        *keep = c; /* the strings move to *keep */
    else
        concert_clear(&c);
    cJSON_Delete(item);
    return st;
}

/* The seat update failed its condition: no such concert, no seat left, or the item changed into
 * something the condition cannot judge (a string counter, a malformed item). */
static store_status decide_failed_seat(store *s, const ticket *t)
{
    store_status st = check_concert(s, t->concert_id, NULL, NULL);
    if (st != STORE_OK)
        return st;
    store_set_error(s, "concert %s sold out", t->concert_id);
    return STORE_SOLD_OUT;
}

/* One try of the transaction (a pooled concert: moving between its pools until one has the seat or all are
 * empty). STORE_AGAIN when the concert must be read again. */
static store_status sell(store *s, const ticket *t, const char *date, ticket *out, int shards)
{
    ddb_error e;
    bool cancelled;
    store_status sent;
    if (shards > 0) {
        if (!store_tables_set(s, STORE_NEED_COUNTERS, "purchase"))
            return STORE_ERROR;
        pool_plan plan;
        store_pool_plan_start(&plan, shards, 1, 1);
        for (;;) {
            store_pool_plan_pick(&plan);
            sent = store_transact_pooled(s, purchase_request(s, t, date, &plan), true, &e, &cancelled);
            if (!cancelled || store_txn_failed(&e, 1))
                break;
            store_status pst = STORE_ERROR;
            int64_t left = 0;
            int next = store_pool_after(s, &plan, t->concert_id, &e, 0, &left, &pst);
            if (next == POOL_AGAIN)
                continue;
            if (next == POOL_SOLD_OUT)
                return refuse_unless_replay(s, t, out, STORE_SOLD_OUT);
            if (next == POOL_FAIL)
                return pst;
            break;
        }
    } else {
        sent = store_transact(s, purchase_request(s, t, date, NULL), true, &e, &cancelled);
    }
    if (sent == STORE_OK) {
        if (out) {
            *out = *t;
            out->customer_name = strdup(t->customer_name ? t->customer_name : "");
            out->customer_email = strdup(t->customer_email ? t->customer_email : "");
            snprintf(out->purchase_date, sizeof out->purchase_date, "%s", date);
            if (!out->customer_name || !out->customer_email) {
                ticket_clear(out);
                store_set_error(s, "purchase: out of memory after the sale");
                return STORE_ERROR;
            }
        }
        return STORE_OK;
    }
    if (!cancelled)
        return sent;
    if (store_txn_failed(&e, 1))
        return decide_existing_ticket(s, t, out);
    if (shards == 0 && store_txn_failed(&e, 0)) {
        store_status st = decide_failed_seat(s, t);
        if (st == STORE_NOT_FOUND || st == STORE_MALFORMED)
            return refuse_unless_replay(s, t, out, st);
        return st;
    }
    return store_from_ddb(s, "TransactWriteItems", &e);
}

store_status store_purchase(store *s, const ticket *t, ticket *out)
{
    if (out)
        memset(out, 0, sizeof *out);
    if (!t || !t->id[0] || strlen(t->id) > STORE_ID_MAX) {
        store_set_error(s, "purchase: ticket without id");
        return STORE_ERROR;
    }
    if (!t->concert_id[0] || strlen(t->concert_id) > STORE_ID_MAX) {
        store_set_error(s, "purchase: concert id empty or longer than %d bytes", STORE_ID_MAX);
        return STORE_NOT_FOUND;
    }
    char date[32];
    if (t->purchase_date[0])
        snprintf(date, sizeof date, "%s", t->purchase_date);
    else
        timefmt_iso_ms(timefmt_now_ms(), date);

    /* read the concert (refuse what cannot be sold faithfully), then sell in one transaction */
    for (int round = 0; round < PURCHASE_ROUNDS; round++) {
        int shards = 0;
        store_status st = check_concert(s, t->concert_id, NULL, &shards);
        if (st == STORE_NOT_FOUND || st == STORE_MALFORMED)
            return refuse_unless_replay(s, t, out, st);
        if (st == STORE_OK)
            st = sell(s, t, date, out, shards);
        if (st != STORE_AGAIN)
            return st;
    }
    store_set_error(s, "purchase: the seat counter of concert %s kept changing", t->concert_id);
    return STORE_UNAVAILABLE;
}

store_status store_concert_for_sale(store *s, const char *id, concert *out)
{
    memset(out, 0, sizeof *out);
    if (!id || !*id || strlen(id) > STORE_ID_MAX) {
        store_set_error(s, "concert id empty or longer than %d bytes", STORE_ID_MAX);
        return STORE_NOT_FOUND;
    }
    for (int round = 0; round < PURCHASE_ROUNDS; round++) {
        store_status st = check_concert(s, id, out, NULL);
        if (st != STORE_AGAIN)
            return st;
    }
    store_set_error(s, "order: the seat counter of concert %s kept changing", id);
    return STORE_UNAVAILABLE;
}
