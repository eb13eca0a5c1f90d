/* Lookups on DynamoDB: orders by e-mail or name through the lookup indexes, a ticket by its code
 * (see store_lookup.h). */
#include "store_lookup.h"

#include "ddb.h"
#include "ddb_attr.h"
#include "ddb_query.h"
#include "store_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void lookup_page_clear(lookup_page *p)
{
    if (!p)
        return;
    for (int i = 0; i < p->n; i++) {
        order_clear(&p->orders[i]);
        if (p->holders)
            free(p->holders[i]);
    }
    free(p->orders);
    free(p->holders);
    free(p->cursor);
    memset(p, 0, sizeof *p);
}

/* names/values of q's key condition and filter. */
static bool expression(const lookup_query *q, cJSON *names, cJSON *values)
{
    return cJSON_AddStringToObject(names, "#k", q->key_attr) && cJSON_AddStringToObject(names, "#s", q->sort_attr) &&
           ddb_attr_add(values, ":k", "S", q->bucket) && ddb_attr_add(values, ":p", "S", q->prefix) &&
           (!q->concert_id || (cJSON_AddStringToObject(names, "#c", "concertId") &&
                               ddb_attr_add(values, ":c", "S", q->concert_id)));
}

/* The key of item in q's index (id, key and sort attributes): a new object, NULL when one is missing or OOM. */
static cJSON *key_of(const lookup_query *q, const cJSON *item)
{
    const char *id = ddb_attr_s(item, "id"), *k = ddb_attr_s(item, q->key_attr), *so = ddb_attr_s(item, q->sort_attr);
    cJSON *key = id && k && so ? cJSON_CreateObject() : NULL;
    if (key && !(ddb_attr_add(key, "id", "S", id) && ddb_attr_add(key, q->key_attr, "S", k) &&
                 ddb_attr_add(key, q->sort_attr, "S", so))) {
        cJSON_Delete(key);
        key = NULL;
    }
    return key;
}

/* A ticket holder's match (a tickets item of byHolder) into out: its order, read with GetItem. 1 taken,
 * 0 left out (the order's customer matches the search too, so it is listed already; the order gone or
 * stored malformed), -1 failed (*st), -2 out of memory. */
static int take_holder(store *s, const lookup_query *names, const cJSON *item, lookup_page *out, store_status *st)
{
    const char *oid = ddb_attr_s(item, "orderId"), *att = ddb_attr_s(item, "attendee");
    const char *cust = ddb_attr_s(item, "customerName");
    if (!oid || !att)
        return 0;
    if (cust) {
        char *f = lookup_fold(LOOKUP_BY_NAME, cust);
        if (!f)
            return -2;
        bool listed = strncmp(f, names->prefix, strlen(names->prefix)) == 0;
        free(f);
        if (listed)
            return 0;
    }
    cJSON *it = NULL;
    int r = store_get_item(s, store_table(s, STORE_T_ORDERS), oid, &it, st);
    if (r != 0)
        return r == 1 ? 0 : -1;
    r = store_order_from_item(it, &out->orders[out->n]);
    cJSON_Delete(it);
    if (r != 0)
        return r == -2 ? -2 : 0;
    if (!(out->holders[out->n] = strdup(att))) {
        order_clear(&out->orders[out->n]);
        return -2;
    }
    out->n++;
    return 1;
}

/* Reads q's index of table from *start on (NULL: its beginning) into out until it holds limit orders, the
 * index has no more or LOOKUP_PAGES_MAX pages were read; holders: the items are tickets of byHolder (names:
 * the search on byName). Then *start is where to go on (DynamoDB's LastEvaluatedKey; NULL: no more) and
 * *tail the key of the last item read (NULL: none). */
static store_status read_index(store *s, const char *table, const lookup_query *q, const lookup_query *names,
                               bool holders, int limit, cJSON **start, cJSON **tail, lookup_page *out)
{
    store_status st = STORE_ERROR;
    cJSON *jn = cJSON_CreateObject(), *values = cJSON_CreateObject();
    if (!jn || !values || !expression(q, jn, values)) {
        store_set_error(s, "Query: out of memory");
        goto done;
    }
    ddb_query dq = { .table = table, .index = q->index, .key_condition = "#k = :k AND begins_with(#s, :p)",
                     .filter = q->concert_id ? "#c = :c" : NULL, .names = jn, .values = values, .forward = true };
    int bad = 0;
    for (int page = 0; out->n < limit; page++) {
        if (page == LOOKUP_PAGES_MAX)
            break; /* a short answer; the cursor goes on from start */
        dq.limit = limit - out->n;
        dq.start_key = *start;
        cJSON *items = NULL, *last = NULL;
        ddb_error e;
        ddb_status ds = ddb_query_page(store_ddb(s), &dq, &items, &last, &e);
        if (ds != DDB_OK) {
            st = store_from_ddb(s, "Query", &e);
            goto done;
        }
        const cJSON *it;
        cJSON_ArrayForEach(it, items) {
            if (out->n == limit)
                break; /* cannot happen: Limit bounds the items read */
            int r;
            if (holders) {
                r = take_holder(s, names, it, out, &st);
            } else {
                r = store_order_from_item(it, &out->orders[out->n]);
                r = r == 0 ? 1 : r == -1 ? (bad++, 0) : r;
                if (r == 1)
                    out->n++;
            }
            if (r < 0) {
                cJSON_Delete(items);
                cJSON_Delete(last);
                if (r == -2) {
                    st = STORE_ERROR;
                    store_set_error(s, "Query: out of memory");
                }
                goto done;
            }
        }
        int count = cJSON_GetArraySize(items);
        if (count > 0) {
            cJSON_Delete(*tail);
            *tail = key_of(q, cJSON_GetArrayItem(items, count - 1));
        }
        cJSON_Delete(items);
        cJSON_Delete(*start);
        *start = last;
        if (!*start)
            break;
    }
    if (bad)
        store_set_error(s, "lookup: %d order item(s) stored malformed, left out", bad);
    st = STORE_OK;
done:
    cJSON_Delete(jn);
    cJSON_Delete(values);
    return st;
}

store_status store_lookup_orders(store *s, const lookup_query *q, const lookup_query *holders, bool in_holders,
                                 int limit, const cJSON *start_key, lookup_page *out)
{
    memset(out, 0, sizeof *out);
    if (!store_tables_set(s, STORE_NEED_ORDERS | (holders ? STORE_NEED_TICKETS : 0u), "lookup"))
        return STORE_ERROR;
    const char *orders = store_table(s, STORE_T_ORDERS), *tickets = store_table(s, STORE_T_TICKETS);
    if (limit < 1 || limit > LOOKUP_LIMIT_MAX || (in_holders && !holders)) {
        store_set_error(s, "lookup: limit %d outside 1..%d, or no holders' query", limit, LOOKUP_LIMIT_MAX);
        return STORE_ERROR;
    }
    store_status st = STORE_ERROR;
    cJSON *start = start_key ? cJSON_Duplicate(start_key, 1) : NULL, *tail = NULL;
    out->orders = calloc((size_t)limit, sizeof *out->orders);
    out->holders = calloc((size_t)limit, sizeof *out->holders);
    if ((start_key && !start) || !out->orders || !out->holders) {
        store_set_error(s, "Query: out of memory");
        goto fail;
    }
    const lookup_query *at = in_holders ? holders : q;
    st = read_index(s, in_holders ? tickets : orders, at, q, in_holders, limit, &start, &tail, out);
    if (st != STORE_OK)
        goto fail;
    if (!in_holders && holders && !start) { /* the customers' matches are all read: the ticket holders' next */
        if (out->n < limit) {
            at = holders;
            st = read_index(s, tickets, holders, q, true, limit, &start, &tail, out);
            if (st != STORE_OK)
                goto fail;
        } else {
            start = tail; /* after the last customer's order: the next page begins with the holders */
            tail = NULL;
        }
    }
    if (start && !(out->cursor = lookup_cursor_encode(at, start))) {
        st = STORE_ERROR;
        store_set_error(s, "lookup: LastEvaluatedKey is not a key of %s (or out of memory)", at->index);
        goto fail;
    }
    cJSON_Delete(start);
    cJSON_Delete(tail);
    return STORE_OK;
fail:
    cJSON_Delete(start);
    cJSON_Delete(tail);
    lookup_page_clear(out);
    return st;
}

store_status store_ticket_by_code(store *s, const char *code, checkin_ticket *t, order *o, concert *c)
{
    memset(o, 0, sizeof *o);
    memset(c, 0, sizeof *c);
    store_status st = store_ticket_of_code(s, code, t);
    if (st != STORE_OK)
        return st;
    cJSON *item = NULL;
    int r = store_get_item(s, store_table(s, STORE_T_ORDERS), t->order_id, &item, &st);
    if (r == 1) {
        store_set_error(s, "ticket %s: order %s missing", t->id, t->order_id);
        st = STORE_ERROR;
    }
    if (r != 0)
        goto fail;
    r = store_order_from_item(item, o);
    cJSON_Delete(item);
    if (r != 0) {
        store_set_error(s, r == -2 ? "order: out of memory" : "order %s stored malformed", t->order_id);
        st = STORE_ERROR;
        goto fail;
    }
    st = store_get_concert(s, t->concert_id, c);
    if (st == STORE_OK || st == STORE_MALFORMED)
        return STORE_OK;
    if (st == STORE_NOT_FOUND) {
        store_set_error(s, "ticket %s: concert %s missing", t->id, t->concert_id);
        st = STORE_ERROR;
    }
fail:
    checkin_ticket_clear(t);
    order_clear(o);
    concert_clear(c);
    return st;
}
