/* Orders on DynamoDB: the one transaction that sells several tickets, replays, reading an order back
 * (see store_order.h). */
#include "store_order.h"

#include "bo_money.h"
#include "ddb.h"
#include "ddb_attr.h"
#include "layout.h"
#include "lookup_key.h"
#include "store_priv.h"
#include "store_journal.h"
#include "store_shift.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uuid/uuid.h>

#define CODE_ROUNDS 3 /* fresh codes when one collides (2^-100 per pair: a broken random source, really) */

/* The namespace of ticket ids derived from an order id (a fixed random UUID). */
static const uuid_t order_ticket_namespace = { 0x7b, 0x1f, 0x4d, 0x93, 0x2c, 0x6e, 0x45, 0x8a,
                                               0xb1, 0x0d, 0x5e, 0x27, 0xc4, 0x39, 0x86, 0xf0 };

static const char *const payment_names[] = { "card", "cash", "comp" };

const order_refund *order_refund_find(const order *o, const char *refund_id)
{
    for (int i = 0; o && refund_id && i < o->n_refunds; i++)
        if (strcmp(o->refunds[i].id, refund_id) == 0)
            return &o->refunds[i];
    return NULL;
}

const char *order_payment_name(order_payment m)
{
    return (unsigned)m < 3 ? payment_names[m] : "card";
}

const char *order_revenue_attr(order_payment m)
{
    static const char *const attrs[] = { "revenueCard", "revenueCash", "revenueComp" };
    return (unsigned)m < 3 ? attrs[m] : attrs[0];
}

void order_clear(order *o)
{
    if (!o)
        return;
    free(o->customer_name);
    free(o->customer_email);
    for (int i = 0; i < BO_ORDER_MAX_TICKETS; i++) {
        free(o->tickets[i].attendee);
        free(o->tickets[i].door);
    }
    for (int i = 0; i < o->n_refunds; i++)
        free(o->refunds[i].reason);
    free(o->refunds);
    memset(o, 0, sizeof *o);
}

/* ---- writing --------------------------------------------------------------------------------- */

static bool add_n(cJSON *obj, const char *name, long long v)
{
    char n[24];
    snprintf(n, sizeof n, "%lld", v);
    return ddb_attr_add(obj, name, "N", n);
}

/* name: {"L": [{"S": ...}, ...]} of the tickets' attendees or ids. */
static bool add_list(cJSON *obj, const char *name, const order *o, bool attendees)
{
    cJSON *av = cJSON_CreateObject();
    cJSON *l = av ? cJSON_AddArrayToObject(av, "L") : NULL;
    if (!l || !cJSON_AddItemToObject(obj, name, av)) {
        cJSON_Delete(av);
        return false;
    }
    for (int i = 0; i < o->quantity; i++) {
        cJSON *e = cJSON_CreateObject();
        if (!e || !cJSON_AddItemToArray(l, e)) {
            cJSON_Delete(e);
            return false;
        }
        const char *v = attendees ? o->tickets[i].attendee : o->tickets[i].id;
        if (!cJSON_AddStringToObject(e, "S", v ? v : ""))
            return false;
    }
    return true;
}

static cJSON *order_request(store *s, const order *o, const shift_link *l, const journal_entry *e,
                            const pool_plan *plan)
{
    cJSON *req = cJSON_CreateObject();
    cJSON *items = req ? cJSON_AddArrayToObject(req, "TransactItems") : NULL;
    if (!items)
        goto fail;
    if (o->shards > 0) { /* [0 .. plan->n) the seats, from the concert's pools (the concert item is not in it) */
        if (!store_pool_add_takes(items, s, o->concert_id, plan, order_revenue_attr(o->method), o->unit_cents))
            goto fail;
        goto order_item;
    }
    /* [0] the seats */
    cJSON *wrap = cJSON_CreateObject();
    if (!wrap || !cJSON_AddItemToArray(items, wrap)) {
        cJSON_Delete(wrap);
        goto fail;
    }
    cJSON *upd = cJSON_AddObjectToObject(wrap, "Update");
    cJSON *key = upd ? cJSON_AddObjectToObject(upd, "Key") : NULL;
    cJSON *names = upd ? cJSON_AddObjectToObject(upd, "ExpressionAttributeNames") : NULL;
    cJSON *values = upd ? cJSON_AddObjectToObject(upd, "ExpressionAttributeValues") : NULL;
    if (!key || !names || !values || !cJSON_AddStringToObject(upd, "TableName", store_table(s, STORE_T_CONCERTS)) ||
        !ddb_attr_add(key, "id", "S", o->concert_id) ||
        !cJSON_AddStringToObject(upd, "UpdateExpression", "SET #avail = #avail - :q ADD #sold :q, #rev :value") ||
        !cJSON_AddStringToObject(upd, "ConditionExpression", "attribute_exists(#id) AND #avail >= :q") ||
        !cJSON_AddStringToObject(names, "#id", "id") || !cJSON_AddStringToObject(names, "#avail", "availableTickets") ||
        !cJSON_AddStringToObject(names, "#sold", "sold") ||
        !cJSON_AddStringToObject(names, "#rev", order_revenue_attr(o->method)) ||
        !add_n(values, ":q", o->quantity) || !store_txn_add_money(values, ":value", o->unit_cents * o->quantity))
        goto fail;
order_item:;
    /* [1] the order (pooled: [plan->n]; every index below shifts alike) */
    cJSON *it = store_txn_add_new_put(items, store_table(s, STORE_T_ORDERS), "id");
    if (!it || !store_order_item_fill(it, o))
        goto fail;
    /* [2 + 2i] the tickets, [3 + 2i] their codes */
    const char *attendees[BO_ORDER_MAX_TICKETS];
    int n = o->quantity < BO_ORDER_MAX_TICKETS ? o->quantity : BO_ORDER_MAX_TICKETS;
    for (int k = 0; k < n; k++)
        attendees[k] = o->tickets[k].attendee;
    for (int i = 0; i < o->quantity; i++) {
        const order_ticket *t = &o->tickets[i];
        it = store_txn_add_new_put(items, store_table(s, STORE_T_TICKETS), "id");
        if (!it || !ddb_attr_add(it, "id", "S", t->id) || !ddb_attr_add(it, "concertId", "S", o->concert_id) ||
            !ddb_attr_add(it, "customerName", "S", o->customer_name) ||
            !ddb_attr_add(it, "customerEmail", "S", o->customer_email) ||
            !ddb_attr_add(it, "purchaseDate", "S", o->created_at) || !ddb_attr_add(it, "orderId", "S", o->id) ||
            !ddb_attr_add(it, "code", "S", t->code) || !ddb_attr_add(it, "status", "S", "valid") ||
            (t->attendee && !ddb_attr_add(it, "attendee", "S", t->attendee)) ||
            (o->shards > 0 && !add_n(it, "shards", o->shards)) ||
            !lookup_add_holder_keys(it, o->customer_name, attendees, n, i, o->created_at))
            goto fail;
        it = store_txn_add_new_put(items, store_table(s, STORE_T_CODES), "code");
        if (!it || !ddb_attr_add(it, "code", "S", t->code) || !ddb_attr_add(it, "ticketId", "S", t->id) ||
            !ddb_attr_add(it, "orderId", "S", o->id) || !ddb_attr_add(it, "concertId", "S", o->concert_id) ||
            (o->shards > 0 && !add_n(it, "shards", o->shards)))
            goto fail;
    }
    /* [2 + 2q] the shift (when the sale carries one), then the journal entry, then the operator's ConditionCheck
     * (last: the shift's and the journal's indexes stay where the cancellation reasons are read) */
    if ((l && !store_shift_link_update(s, items, l)) || !store_journal_put(s, items, e) ||
        !store_txn_add_operator_check(items, s, o->operator_sub))
        goto fail;
    return req;
fail:
    cJSON_Delete(req);
    return NULL;
}

bool store_order_item_fill(cJSON *it, const order *o)
{
    bool have_attendees = o->quantity > 0 && o->tickets[0].attendee;
    if (!ddb_attr_add(it, "id", "S", o->id) || !ddb_attr_add(it, "concertId", "S", o->concert_id) ||
        !add_n(it, "quantity", o->quantity) || !store_txn_add_money(it, "unitPrice", o->unit_cents) ||
        !store_txn_add_money(it, "total", o->total_cents) || !ddb_attr_add(it, "currency", "S", o->currency) ||
        !ddb_attr_add(it, "paymentMethod", "S", order_payment_name(o->method)) ||
        (o->has_tendered && (!store_txn_add_money(it, "tendered", o->tendered_cents) || !store_txn_add_money(it, "change", o->change_cents))) ||
        !ddb_attr_add(it, "createdAt", "S", o->created_at) || !ddb_attr_add(it, "soldBy", "S", o->sold_by) ||
        (o->customer_name && !ddb_attr_add(it, "customerName", "S", o->customer_name)) ||
        (o->customer_email && !ddb_attr_add(it, "customerEmail", "S", o->customer_email)) ||
        (have_attendees && !add_list(it, "attendees", o, true)) || !add_list(it, "ticketIds", o, false) ||
        !lookup_add_keys(it, o->customer_name, o->customer_email, o->created_at) ||
        (o->operator_sub[0] && (!ddb_attr_add(it, "operatorSub", "S", o->operator_sub) ||
                                !ddb_attr_add(it, "operatorName", "S", o->operator_name))) ||
        (o->shift_id[0] && !ddb_attr_add(it, "shiftId", "S", o->shift_id)) ||
        (o->terminal[0] && !ddb_attr_add(it, "terminal", "S", o->terminal)) ||
        (o->shards > 0 && !add_n(it, "shards", o->shards)))
        return false;
    return true;
}

/* ---- reading --------------------------------------------------------------------------------- */

static bool copy_to(char *dst, size_t size, const char *src)
{
    if (!src || strlen(src) >= size)
        return false;
    memcpy(dst, src, strlen(src) + 1);
    return true;
}

/* The refunds list of an order item (L of M, see store_aftersale.h) into o. 0, -1 malformed, -2 out of memory. */
static int refunds_from_item(const cJSON *item, order *o)
{
    const cJSON *l = ddb_attr_l(item, "refunds");
    const char *adm = ddb_attr_n(item, "admitted");
    if (adm) {
        char *end;
        long a = strtol(adm, &end, 10);
        if (*end || a < 0 || a > o->quantity)
            return -1;
        o->admitted = (int)a;
    }
    int n = l ? cJSON_GetArraySize(l) : 0;
    if (n == 0)
        return 0;
    if (!(o->refunds = calloc((size_t)n, sizeof *o->refunds)))
        return -2;
    for (int i = 0; i < n; i++) {
        const cJSON *m = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(l, i), "M");
        order_refund *r = &o->refunds[i];
        o->n_refunds = i + 1;
        const cJSON *ids = ddb_attr_l(m, "ticketIds");
        const char *reason = ddb_attr_s(m, "reason");
        if (!m || !ids || !reason || !copy_to(r->id, sizeof r->id, ddb_attr_s(m, "id")) ||
            !copy_to(r->method, sizeof r->method, ddb_attr_s(m, "method")) ||
            !copy_to(r->by, sizeof r->by, ddb_attr_s(m, "by")) || !copy_to(r->at, sizeof r->at, ddb_attr_s(m, "at")) ||
            bo_money_parse_upto(ddb_attr_n(m, "amount"), BO_AMOUNT_MAX_CENTS, &r->amount_cents) != BO_MONEY_OK ||
            cJSON_GetArraySize(ids) > BO_ORDER_MAX_TICKETS)
            return -1;
        const char *scope = ddb_attr_s(m, "scope");
        if (scope && !copy_to(r->scope, sizeof r->scope, scope))
            return -1;
        const char *osub = ddb_attr_s(m, "operatorSub"), *oname = ddb_attr_s(m, "operatorName");
        const char *oshift = ddb_attr_s(m, "shiftId"), *oterm = ddb_attr_s(m, "terminal");
        r->has_operator = osub != NULL;
        if ((osub && !copy_to(r->operator_sub, sizeof r->operator_sub, osub)) ||
            (oname && !copy_to(r->operator_name, sizeof r->operator_name, oname)) ||
            (oshift && !copy_to(r->shift_id, sizeof r->shift_id, oshift)) ||
            (oterm && !copy_to(r->terminal, sizeof r->terminal, oterm)))
            return -1;
        if (!(r->reason = strdup(reason)))
            return -2;
        r->n_tickets = cJSON_GetArraySize(ids);
        for (int k = 0; k < r->n_tickets; k++) {
            const cJSON *id = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(ids, k), "S");
            if (!cJSON_IsString(id) || !copy_to(r->ticket_ids[k], sizeof r->ticket_ids[k], id->valuestring))
                return -1;
        }
    }
    return 0;
}

int store_order_from_item(const cJSON *item, order *o)
{
    memset(o, 0, sizeof *o);
    const char *q = ddb_attr_n(item, "quantity"), *method = ddb_attr_s(item, "paymentMethod");
    const cJSON *ids = ddb_attr_l(item, "ticketIds"), *att = ddb_attr_l(item, "attendees");
    if (!copy_to(o->id, sizeof o->id, ddb_attr_s(item, "id")) ||
        !copy_to(o->concert_id, sizeof o->concert_id, ddb_attr_s(item, "concertId")) || !q || !method || !ids ||
        !copy_to(o->currency, sizeof o->currency, ddb_attr_s(item, "currency")) ||
        !copy_to(o->created_at, sizeof o->created_at, ddb_attr_s(item, "createdAt")) ||
        !copy_to(o->sold_by, sizeof o->sold_by, ddb_attr_s(item, "soldBy")) ||
        bo_money_parse(ddb_attr_n(item, "unitPrice"), &o->unit_cents) != 0 ||
        bo_money_parse_upto(ddb_attr_n(item, "total"), BO_AMOUNT_MAX_CENTS, &o->total_cents) != BO_MONEY_OK)
        goto malformed;
    char *end;
    long n = strtol(q, &end, 10);
    if (*end || n < 1 || n > BO_ORDER_MAX_TICKETS || cJSON_GetArraySize(ids) != n ||
        (att && cJSON_GetArraySize(att) != n))
        goto malformed;
    o->quantity = (int)n;
    int m = 0;
    while (m < 3 && strcmp(payment_names[m], method) != 0)
        m++;
    if (m == 3)
        goto malformed;
    o->method = (order_payment)m;
    if (ddb_attr_n(item, "tendered")) {
        o->has_tendered = true;
        if (bo_money_parse_upto(ddb_attr_n(item, "tendered"), BO_AMOUNT_MAX_CENTS, &o->tendered_cents) != BO_MONEY_OK ||
            bo_money_parse_upto(ddb_attr_n(item, "change"), BO_AMOUNT_MAX_CENTS, &o->change_cents) != BO_MONEY_OK)
            goto malformed;
    }
    const char *osub = ddb_attr_s(item, "operatorSub"), *oname = ddb_attr_s(item, "operatorName");
    const char *oshift = ddb_attr_s(item, "shiftId"), *oterm = ddb_attr_s(item, "terminal");
    if ((osub && !copy_to(o->operator_sub, sizeof o->operator_sub, osub)) ||
        (oname && !copy_to(o->operator_name, sizeof o->operator_name, oname)) ||
        (oshift && !copy_to(o->shift_id, sizeof o->shift_id, oshift)) ||
        (oterm && !copy_to(o->terminal, sizeof o->terminal, oterm)))
        goto malformed;
    const char *name = ddb_attr_s(item, "customerName"), *email = ddb_attr_s(item, "customerEmail");
    if ((name && !(o->customer_name = strdup(name))) || (email && !(o->customer_email = strdup(email))))
        goto oom;
    for (int i = 0; i < o->quantity; i++) {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(ids, i), "S");
        if (!cJSON_IsString(id) || !copy_to(o->tickets[i].id, sizeof o->tickets[i].id, id->valuestring))
            goto malformed;
        if (att) {
            const cJSON *a = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(att, i), "S");
            if (!cJSON_IsString(a))
                goto malformed;
            if (!(o->tickets[i].attendee = strdup(a->valuestring)))
                goto oom;
        }
    }
    const char *shards = ddb_attr_n(item, "shards");
    if (shards) {
        long k = strtol(shards, &end, 10);
        if (*end || k < 1 || k > LAYOUT_SHARDS)
            goto malformed;
        o->shards = (int)k;
    }
    int r = refunds_from_item(item, o);
    if (r == -1)
        goto malformed;
    if (r == -2)
        goto oom;
    return 0;
malformed:
    order_clear(o);
    return -1;
oom:
    order_clear(o);
    return -2;
}

/* Reads the order's tickets: codes and current status. */
/* The order's tickets, their codes and current states, in ONE strongly consistent BatchGetItem (at most
 * BO_ORDER_MAX_TICKETS = 47 keys of the 100 it takes; unprocessed keys asked again within the deadline:
 * store_batch_get), not a GetItem each: a refund of 47 tickets was 48 round trips before its transaction. */
static store_status read_tickets(store *s, order *o)
{
    const char *table = store_table(s, STORE_T_TICKETS);
    cJSON *request_items = cJSON_CreateObject();
    cJSON *t = request_items ? cJSON_AddObjectToObject(request_items, table) : NULL;
    cJSON *keys = t ? cJSON_AddArrayToObject(t, "Keys") : NULL;
    if (!keys || !cJSON_AddTrueToObject(t, "ConsistentRead")) {
        cJSON_Delete(request_items);
        store_set_error(s, "order: out of memory");
        return STORE_ERROR;
    }
    for (int i = 0; i < o->quantity; i++) {
        cJSON *k = cJSON_CreateObject();
        bool added = k && cJSON_AddItemToArray(keys, k); /* from here on owned by keys */
        if (!added)
            cJSON_Delete(k);
        if (!added || !ddb_attr_add(k, "id", "S", o->tickets[i].id)) {
            cJSON_Delete(request_items);
            store_set_error(s, "order: out of memory");
            return STORE_ERROR;
        }
    }
    cJSON *got = cJSON_CreateObject();
    if (!got) {
        cJSON_Delete(request_items);
        store_set_error(s, "order: out of memory");
        return STORE_ERROR;
    }
    store_status st = store_batch_get(s, request_items, got); /* takes request_items */
    if (st != STORE_OK)
        goto done;
    const cJSON *items = cJSON_GetObjectItemCaseSensitive(got, table);
    for (int i = 0; i < o->quantity; i++) {
        const cJSON *item = NULL, *it;
        cJSON_ArrayForEach(it, items) {
            const char *id = ddb_attr_s(it, "id");
            if (id && strcmp(id, o->tickets[i].id) == 0) {
                item = it;
                break;
            }
        }
        if (!item) {
            store_set_error(s, "order %s: ticket %s missing", o->id, o->tickets[i].id);
            st = STORE_ERROR;
            goto done;
        }
        order_ticket *ot = &o->tickets[i];
        const char *at = ddb_attr_s(item, "checkedInAt"), *door = ddb_attr_s(item, "door");
        const char *refunded = ddb_attr_s(item, "refundedAt");
        bool ok = copy_to(ot->code, sizeof ot->code, ddb_attr_s(item, "code")) &&
                  copy_to(ot->status, sizeof ot->status, ddb_attr_s(item, "status")) &&
                  (!at || copy_to(ot->checked_in_at, sizeof ot->checked_in_at, at)) &&
                  (!refunded || copy_to(ot->refunded_at, sizeof ot->refunded_at, refunded));
        if (ok && door && !(ot->door = strdup(door))) {
            store_set_error(s, "order: out of memory");
            st = STORE_ERROR;
            goto done;
        }
        if (!ok) {
            store_set_error(s, "order %s: ticket %s stored malformed", o->id, o->tickets[i].id);
            st = STORE_ERROR;
            goto done;
        }
    }
done:
    cJSON_Delete(got);
    return st;
}

store_status store_order_get(store *s, const char *id, order *out)
{
    memset(out, 0, sizeof *out);
    if (!store_tables_set(s, STORE_NEED_ORDERS | STORE_NEED_TICKETS, "order"))
        return STORE_ERROR;
    if (!id || !*id || strlen(id) > STORE_ID_MAX)
        return STORE_NOT_FOUND;
    cJSON *item;
    store_status st;
    int r = store_get_item(s, store_table(s, STORE_T_ORDERS), id, &item, &st);
    if (r < 0)
        return st;
    if (r == 1)
        return STORE_NOT_FOUND;
    r = store_order_from_item(item, out);
    cJSON_Delete(item);
    if (r != 0) {
        store_set_error(s, r == -2 ? "order: out of memory" : "order %s stored malformed", id);
        return STORE_ERROR;
    }
    st = read_tickets(s, out);
    if (st != STORE_OK)
        order_clear(out);
    return st;
}

static bool same_opt(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

/* What differs between the stored order and the request o, or NULL when it is the same request. */
static const char *difference(const order *stored, const order *o)
{
    if (strcmp(stored->concert_id, o->concert_id) != 0)
        return "concert";
    if (stored->quantity != o->quantity)
        return "quantity";
    if (stored->method != o->method || stored->has_tendered != o->has_tendered ||
        (o->has_tendered && stored->tendered_cents != o->tendered_cents))
        return "payment";
    if (!same_opt(stored->customer_name, o->customer_name) || !same_opt(stored->customer_email, o->customer_email))
        return "customer";
    if (strcmp(stored->operator_sub, o->operator_sub) != 0 || (!o->operator_sub[0] && strcmp(stored->sold_by, o->sold_by) != 0))
        return "seller"; /* the operator by their sub (a display name may change between retries) */
    for (int i = 0; i < o->quantity; i++)
        if (!same_opt(stored->tickets[i].attendee, o->tickets[i].attendee))
            return "attendees";
    return NULL;
}

store_status store_order_replay(store *s, const order *o, order *out)
{
    store_status st = store_order_get(s, o->id, out);
    if (st != STORE_OK)
        return st;
    const char *differs = difference(out, o);
    if (differs) {
        order_clear(out);
        store_set_error(s, "order id %s already used for a request with another %s", o->id, differs);
        return STORE_CONFLICT;
    }
    store_set_error(s, "order %s replayed", o->id);
    return STORE_REPLAY;
}

/* ---- selling --------------------------------------------------------------------------------- */

static void ticket_id(const char *order_id, int index, char out[37])
{
    char name[STORE_ID_MAX + 16];
    int n = snprintf(name, sizeof name, "%s#%d", order_id, index);
    uuid_t u;
    uuid_generate_sha1(u, order_ticket_namespace, name, (size_t)n);
    uuid_unparse_lower(u, out);
}

static void store_money2(int64_t cents, char *out)
{
    int64_t a = cents < 0 ? -cents : cents;
    snprintf(out, BO_MONEY_BUF + 1, "%s%lld.%02lld", cents < 0 ? "-" : "", (long long)(a / 100), (long long)(a % 100));
}

static bool fresh_codes(order *o)
{
    for (int i = 0; i < o->quantity; i++)
        if (bo_code_new(o->tickets[i].code) != 0)
            return false;
    return true;
}

store_status store_order_concert(store *s, const char *concert_id, concert *out)
{
    return store_concert_for_sale(s, concert_id, out);
}

/* After the seat update failed its condition: why. */
static store_status decide_seats(store *s, const order *o, int64_t *seats_left)
{
    concert c;
    store_status st = store_concert_for_sale(s, o->concert_id, &c);
    if (st == STORE_OK) {
        *seats_left = c.available_tickets;
        if (c.available_tickets >= o->quantity) { /* seats came back in between: let the client retry */
            store_set_error(s, "order: seats of concert %s changed during the sale", o->concert_id);
            st = STORE_UNAVAILABLE;
        } else {
            store_set_error(s, "concert %s: %lld seats left, %d asked", o->concert_id,
                            (long long)c.available_tickets, o->quantity);
            st = STORE_SOLD_OUT;
        }
    }
    concert_clear(&c);
    return st;
}

store_status store_order_place(store *s, order *o, order *out, int64_t *seats_left)
{
    memset(out, 0, sizeof *out);
    *seats_left = 0;
    if (!store_tables_set(s, STORE_NEED_ALL | STORE_NEED_JOURNAL, "order"))
        return STORE_ERROR;
    if (!o->id[0] || !o->concert_id[0] || o->quantity < 1 || o->quantity > BO_ORDER_MAX_TICKETS) {
        store_set_error(s, "order: without id, concert or a quantity of 1..%d", BO_ORDER_MAX_TICKETS);
        return STORE_ERROR;
    }
    for (int i = 0; i < o->quantity; i++) {
        ticket_id(o->id, i, o->tickets[i].id);
        snprintf(o->tickets[i].status, sizeof o->tickets[i].status, "valid");
    }
    const char *ids[BO_ORDER_MAX_TICKETS];
    for (int i = 0; i < o->quantity; i++)
        ids[i] = o->tickets[i].id;
    char detail[96];
    if (o->method == ORDER_PAY_CASH && o->has_tendered) {
        char t[BO_MONEY_BUF + 1], c[BO_MONEY_BUF + 1];
        store_money2(o->tendered_cents, t);
        store_money2(o->change_cents, c);
        snprintf(detail, sizeof detail, "cash, tendered %s, change %s", t, c);
    } else {
        snprintf(detail, sizeof detail, "%s%s", order_payment_name(o->method), o->operator_sub[0] ? "" : ", online");
    }
    /* A pooled concert: which pools the seats come from (store_priv.h), at most as many as the transaction has
     * room for beside the order's other items */
    pool_plan plan;
    bool pooled = o->shards > 0 && o->shards <= LAYOUT_SHARDS;
    if (o->shards && !pooled) {
        store_set_error(s, "order: concert %s says %d shards", o->concert_id, o->shards);
        return STORE_ERROR;
    }
    if (pooled && !store_tables_set(s, STORE_NEED_COUNTERS, "order"))
        return STORE_ERROR;
    int others = 1 + 2 * o->quantity + (o->shift_id[0] ? 1 : 0) + 1 + (o->operator_sub[0] ? 1 : 0);
    store_pool_plan_start(&plan, o->shards, o->quantity,
                          STORE_TXN_MAX_ITEMS - others < o->quantity ? STORE_TXN_MAX_ITEMS - others : o->quantity);
    int code_rounds = 0;
    for (int round = 0; round < SHIFT_LINK_ROUNDS + CODE_ROUNDS; round++) {
        if (o->shift_id[0])
            store_shift_link_backoff((unsigned)round);
        if (!fresh_codes(o)) {
            store_set_error(s, "order: no randomness for the ticket codes (getrandom)");
            return STORE_UNAVAILABLE;
        }
        journal_who who = { o->operator_sub[0] ? o->operator_sub : NULL, o->operator_name };
        journal_entry e;
        journal_entry_init(&e, "order.created", &who, o->created_at);
        e.concert_id = o->concert_id;
        e.order_id = o->id;
        e.ticket_ids = ids;
        e.n_tickets = o->quantity;
        e.currency = o->currency;
        e.has_amount = true;
        e.amount_cents = o->total_cents;
        e.has_count = true;
        e.count = o->quantity;
        e.detail = detail;
        e.terminal = o->terminal[0] ? o->terminal : NULL;
        shift_link l = { .shift_id = o->shift_id, .sub = o->operator_sub, .terminal = e.terminal,
                         .currency = o->currency };
        if (o->shift_id[0]) {
            if (o->method == ORDER_PAY_COMP) {
                shift_link_add(&l, SHIFT_C_COMPS, 1, false);
                shift_link_add(&l, SHIFT_C_COMP_TICKETS, o->quantity, false);
            } else {
                shift_link_add(&l, o->method == ORDER_PAY_CASH ? SHIFT_C_CASH : SHIFT_C_CARD, o->total_cents, true);
            }
            shift_link_add(&l, SHIFT_C_ORDERS, 1, false);
            store_status ls = store_shift_link_read(s, &l, &e);
            if (ls != STORE_OK) {
                if (ls == STORE_SHIFT_NOT_OPEN || ls == STORE_SHIFT_NOT_YOURS || ls == STORE_SHIFT_TERMINAL) {
                    order tmp; /* a retry of a sale that went through closes nothing: its order first */
                    store_status r = store_order_replay(s, o, &tmp);
                    if (r == STORE_REPLAY) {
                        *out = tmp;
                        return r;
                    }
                    if (r != STORE_NOT_FOUND)
                        return r;
                }
                return ls;
            }
            if (!o->terminal[0]) /* the shift's terminal, as it was not named */
                snprintf(o->terminal, sizeof o->terminal, "%s", l.terminal);
        }
        ddb_error err;
        bool cancelled;
        store_status sent;
        size_t base; /* the order item's index: after the seat Update(s) */
        for (;;) {
            if (!pooled) {
                sent = store_transact(s, order_request(s, o, o->shift_id[0] ? &l : NULL, &e, NULL), true, &err,
                                      &cancelled);
                base = 1;
                break;
            }
            store_pool_plan_pick(&plan);
            base = (size_t)plan.n;
            sent = store_transact_pooled(s, order_request(s, o, o->shift_id[0] ? &l : NULL, &e, &plan), true, &err,
                                         &cancelled);
            if (!cancelled || store_txn_failed(&err, base))
                break;
            store_status pst = STORE_ERROR;
            int next = store_pool_after(s, &plan, o->concert_id, &err, 0, seats_left, &pst);
            if (next == POOL_AGAIN)
                continue;
            if (next == POOL_SOLD_OUT) { /* a retry of a sold order still gets its order */
                order tmp;
                store_status r = store_order_replay(s, o, &tmp);
                if (r == STORE_REPLAY) {
                    *out = tmp;
                    return r;
                }
                return r != STORE_NOT_FOUND ? r : STORE_SOLD_OUT;
            }
            if (next == POOL_FAIL)
                return pst;
            break; /* POOL_OTHER: the reasons below */
        }
        if (!cancelled)
            return sent;
        if (store_txn_failed(&err, base)) /* the order exists: this request again, or the key reused */
            return store_order_replay(s, o, out);
        if (!pooled && store_txn_failed(&err, 0)) {
            /* DynamoDB names every failed condition, but should the order's not be named next to the
             * seats', a retry of a sold order must still get its order: look before refusing */
            store_status st = decide_seats(s, o, seats_left);
            if (st == STORE_NOT_FOUND || st == STORE_MALFORMED || st == STORE_SOLD_OUT) {
                order tmp;
                store_status r = store_order_replay(s, o, &tmp);
                if (r == STORE_REPLAY) {
                    *out = tmp;
                    return r;
                }
                if (r != STORE_NOT_FOUND)
                    return r; /* STORE_CONFLICT, or the read failed */
            }
            return st;
        }
        bool code_taken = false;
        for (int i = 0; i < o->quantity; i++)
            code_taken = code_taken || store_txn_failed(&err, base + (size_t)(2 + 2 * i));
        bool shift_moved = o->shift_id[0] && store_txn_failed(&err, base + (size_t)(1 + 2 * o->quantity));
        if (!code_taken && !shift_moved)
            return store_from_ddb(s, "TransactWriteItems", &err);
        if (code_taken && ++code_rounds >= CODE_ROUNDS)
            break;
        /* a code is taken: sell with fresh ones; the shift moved on: read it again */
    }
    if (code_rounds < CODE_ROUNDS) { /* the shift kept moving: let the client retry */
        store_set_error(s, "order: shift %s too busy", o->shift_id);
        return STORE_UNAVAILABLE;
    }
    store_set_error(s, "order: ticket codes kept colliding");
    return STORE_ERROR;
}
