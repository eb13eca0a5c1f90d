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
    for (int i = 0; i < p->n; i++)
        order_clear(&p->orders[i]);
    free(p->orders);
    free(p->cursor);
    memset(p, 0, sizeof *p);
}

bool store_lookup_add_keys(cJSON *item, const char *name, const char *email, const char *created_at)
{
    static const lookup_by by[2] = { LOOKUP_BY_EMAIL, LOOKUP_BY_NAME };
    const char *text[2] = { email, name };
    const char *attrs[2][2] = { { "emailKey", "emailSort" }, { "nameKey", "nameSort" } };
    for (int i = 0; i < 2; i++) {
        if (!text[i])
            continue;
        char *key, *sort;
        int r = lookup_index_keys(by[i], text[i], created_at, &key, &sort);
        if (r < 0)
            return false;
        bool ok = r == 1 || (ddb_attr_add(item, attrs[i][0], "S", key) && ddb_attr_add(item, attrs[i][1], "S", sort));
        free(key);
        free(sort);
        if (!ok)
            return false;
    }
    return true;
}

/* names/values of q's key condition and filter. */
static bool expression(const lookup_query *q, cJSON *names, cJSON *values)
{
    return cJSON_AddStringToObject(names, "#k", q->key_attr) && cJSON_AddStringToObject(names, "#s", q->sort_attr) &&
           ddb_attr_add(values, ":k", "S", q->bucket) && ddb_attr_add(values, ":p", "S", q->prefix) &&
           (!q->concert_id || (cJSON_AddStringToObject(names, "#c", "concertId") &&
                               ddb_attr_add(values, ":c", "S", q->concert_id)));
}

store_status store_lookup_orders(store *s, const lookup_query *q, int limit, const cJSON *start_key, lookup_page *out)
{
    memset(out, 0, sizeof *out);
    const char *table = store_table(s, STORE_T_ORDERS);
    if (!table[0]) {
        store_set_error(s, "lookup: ORDERS_TABLE is not set");
        return STORE_ERROR;
    }
    if (limit < 1 || limit > LOOKUP_LIMIT_MAX) {
        store_set_error(s, "lookup: limit %d outside 1..%d", limit, LOOKUP_LIMIT_MAX);
        return STORE_ERROR;
    }
    store_status st = STORE_ERROR;
    cJSON *names = cJSON_CreateObject(), *values = cJSON_CreateObject();
    cJSON *start = start_key ? cJSON_Duplicate(start_key, 1) : NULL;
    out->orders = calloc((size_t)limit, sizeof *out->orders);
    if (!names || !values || (start_key && !start) || !out->orders || !expression(q, names, values)) {
        store_set_error(s, "Query: out of memory");
        goto fail;
    }
    ddb_query dq = { .table = table, .index = q->index, .key_condition = "#k = :k AND begins_with(#s, :p)",
                     .filter = q->concert_id ? "#c = :c" : NULL, .names = names, .values = values, .forward = true };
    for (int page = 0; out->n < limit; page++) {
        if (page == LOOKUP_PAGES_MAX)
            break; /* a short answer; the cursor goes on from start */
        dq.limit = limit - out->n;
        dq.start_key = start;
        cJSON *items = NULL, *last = NULL;
        ddb_error e;
        ddb_status ds = ddb_query_page(store_ddb(s), &dq, &items, &last, &e);
        if (ds != DDB_OK) {
            st = store_from_ddb(s, "Query", &e);
            goto fail;
        }
        const cJSON *it;
        int bad = 0;
        cJSON_ArrayForEach(it, items) {
            if (out->n == limit)
                break; /* cannot happen: Limit bounds the items read */
            int r = store_order_from_item(it, &out->orders[out->n]);
            if (r == -2) {
                cJSON_Delete(items);
                cJSON_Delete(last);
                store_set_error(s, "Query: out of memory");
                goto fail;
            }
            if (r == 0)
                out->n++;
            else
                bad++;
        }
        cJSON_Delete(items);
        if (bad)
            store_set_error(s, "lookup: %d order item(s) stored malformed, left out", bad);
        cJSON_Delete(start);
        start = last;
        if (!start)
            break;
    }
    if (start) {
        if (!(out->cursor = lookup_cursor_encode(q, start))) {
            store_set_error(s, "lookup: LastEvaluatedKey is not a key of %s (or out of memory)", q->index);
            goto fail;
        }
    }
    cJSON_Delete(start);
    cJSON_Delete(names);
    cJSON_Delete(values);
    return STORE_OK;
fail:
    cJSON_Delete(start);
    cJSON_Delete(names);
    cJSON_Delete(values);
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
