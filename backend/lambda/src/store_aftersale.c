/* After the sale on DynamoDB: check-in, undo, refund, a concert's counts (see store_aftersale.h). */
#include "store_aftersale.h"

#include "caller.h"

#include "bo_money.h"
#include "ddb.h"
#include "ddb_attr.h"
#include "store_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void checkin_ticket_clear(checkin_ticket *t)
{
    if (!t)
        return;
    free(t->attendee);
    free(t->order_customer);
    memset(t, 0, sizeof *t);
}

static bool copy_to(char *dst, size_t size, const char *src)
{
    if (!src || strlen(src) >= size)
        return false;
    memcpy(dst, src, strlen(src) + 1);
    return true;
}

static bool copy_opt(char *dst, size_t size, const char *src)
{
    return !src ? (dst[0] = '\0', true) : copy_to(dst, size, src);
}

/* {"Update": {TableName, Key: {key: S id}, UpdateExpression, ConditionExpression?, names, values}} appended
 * to items; *names and *values receive the maps to fill. NULL on OOM. */
static cJSON *update_of(cJSON *items, const char *table, const char *key, const char *id, const char *expr,
                        const char *cond, cJSON **names, cJSON **values)
{
    cJSON *wrap = cJSON_CreateObject();
    if (!wrap || !cJSON_AddItemToArray(items, wrap)) {
        cJSON_Delete(wrap);
        return NULL;
    }
    cJSON *upd = cJSON_AddObjectToObject(wrap, "Update");
    cJSON *k = upd ? cJSON_AddObjectToObject(upd, "Key") : NULL;
    *names = upd ? cJSON_AddObjectToObject(upd, "ExpressionAttributeNames") : NULL;
    *values = upd ? cJSON_AddObjectToObject(upd, "ExpressionAttributeValues") : NULL;
    if (!k || !*names || !*values || !cJSON_AddStringToObject(upd, "TableName", table) ||
        !ddb_attr_add(k, key, "S", id) || !cJSON_AddStringToObject(upd, "UpdateExpression", expr) ||
        (cond && !cJSON_AddStringToObject(upd, "ConditionExpression", cond)))
        return NULL;
    return upd;
}

static bool name2(cJSON *names, const char *a, const char *av, const char *b, const char *bv)
{
    return cJSON_AddStringToObject(names, a, av) && (!b || cJSON_AddStringToObject(names, b, bv));
}

/* ADD #c :d on concert and order (the check-in counters), conditional on both existing. */
static bool add_admitted(store *s, cJSON *items, const checkin_ticket *t, const char *delta)
{
    cJSON *n, *v;
    if (!update_of(items, store_table(s, STORE_T_CONCERTS), "id", t->concert_id, "ADD #c :d", "attribute_exists(#id)",
                   &n, &v) ||
        !name2(n, "#c", "admitted", "#id", "id") || !ddb_attr_add(v, ":d", "N", delta))
        return false;
    return update_of(items, store_table(s, STORE_T_ORDERS), "id", t->order_id, "ADD #c :d", "attribute_exists(#id)",
                     &n, &v) &&
           name2(n, "#c", "admitted", "#id", "id") && ddb_attr_add(v, ":d", "N", delta);
}

/* ---- check-in -------------------------------------------------------------------------------- */

/* The ticket item id into *t (with its order's quantity and admitted count when read_order). */
static store_status read_ticket(store *s, const char *id, bool read_order, checkin_ticket *t)
{
    cJSON *item;
    store_status st;
    int r = store_get_item(s, store_table(s, STORE_T_TICKETS), id, &item, &st);
    if (r < 0)
        return st;
    if (r == 1)
        return STORE_NOT_FOUND;
    const char *att = ddb_attr_s(item, "attendee");
    free(t->attendee);
    t->attendee = NULL;
    bool ok = copy_to(t->id, sizeof t->id, ddb_attr_s(item, "id")) &&
              copy_to(t->order_id, sizeof t->order_id, ddb_attr_s(item, "orderId")) &&
              copy_to(t->concert_id, sizeof t->concert_id, ddb_attr_s(item, "concertId")) &&
              copy_to(t->code, sizeof t->code, ddb_attr_s(item, "code")) &&
              copy_to(t->status, sizeof t->status, ddb_attr_s(item, "status")) &&
              copy_opt(t->checked_in_at, sizeof t->checked_in_at, ddb_attr_s(item, "checkedInAt")) &&
              copy_opt(t->door, sizeof t->door, ddb_attr_s(item, "door")) &&
              copy_opt(t->nonce, sizeof t->nonce, ddb_attr_s(item, "checkinNonce")) &&
              copy_opt(t->refunded_at, sizeof t->refunded_at, ddb_attr_s(item, "refundedAt"));
    bool oom = ok && att && !(t->attendee = strdup(att));
    cJSON_Delete(item);
    if (oom) {
        store_set_error(s, "ticket: out of memory");
        return STORE_ERROR;
    }
    if (!ok) { /* a reference ticket (no order, no code) or one stored malformed */
        store_set_error(s, "ticket %s has no order or code", id);
        return STORE_NOT_FOUND;
    }
    if (!read_order)
        return STORE_OK;
    r = store_get_item(s, store_table(s, STORE_T_ORDERS), t->order_id, &item, &st);
    if (r < 0)
        return st;
    if (r == 1) {
        store_set_error(s, "ticket %s: order %s missing", t->id, t->order_id);
        return STORE_ERROR;
    }
    const char *q = ddb_attr_n(item, "quantity"), *a = ddb_attr_n(item, "admitted");
    t->order_quantity = q ? atoi(q) : 0;
    t->order_admitted = a ? atoi(a) : 0;
    const char *who = ddb_attr_s(item, "customerName"); /* the door shows it when the ticket has no name */
    free(t->order_customer);
    t->order_customer = who && who[0] ? strdup(who) : NULL;
    bool no_mem = who && who[0] && !t->order_customer;
    cJSON_Delete(item);
    if (no_mem) {
        store_set_error(s, "order: out of memory");
        return STORE_ERROR;
    }
    return STORE_OK;
}

/* Clears out and reads the code's item into it: its ticketId, with need_all also its orderId and concertId (each
 * required). 0 read, 1 no such code, -1 failed (*st set; what names the operation in a malformed item's error). */
static int read_code(store *s, const char *what, const char *code, bool need_all, checkin_ticket *out,
                     store_status *st)
{
    memset(out, 0, sizeof *out);
    *st = STORE_ERROR;
    if (!store_tables_set(s, need_all ? STORE_NEED_ALL : STORE_NEED_CODES | STORE_NEED_TICKETS, what))
        return -1;
    cJSON *item;
    int r = store_get_item_by(s, store_table(s, STORE_T_CODES), "code", code, &item, st);
    if (r != 0)
        return r;
    bool ok = copy_to(out->id, sizeof out->id, ddb_attr_s(item, "ticketId")) &&
              (!need_all || (copy_to(out->order_id, sizeof out->order_id, ddb_attr_s(item, "orderId")) &&
                             copy_to(out->concert_id, sizeof out->concert_id, ddb_attr_s(item, "concertId"))));
    cJSON_Delete(item);
    if (!ok) {
        store_set_error(s, "%s: code item stored malformed", what);
        *st = STORE_ERROR;
        return -1;
    }
    return 0;
}

/* What the stored ticket's state says after a check-in was refused. */
static store_status decide_checkin(store *s, const char *nonce, const char *door, checkin_ticket *out,
                                   checkin_result *res)
{
    store_status st = read_ticket(s, out->id, true, out);
    if (st == STORE_NOT_FOUND) {
        store_set_error(s, "check-in: ticket %s vanished", out->id);
        return STORE_ERROR;
    }
    if (st != STORE_OK)
        return st;
    if (strcmp(out->status, "checkedIn") == 0) {
        *res = strcmp(out->nonce, nonce) != 0 ? CHECKIN_ALREADY
               : strcmp(out->door, door) == 0 ? CHECKIN_REPLAYED : CHECKIN_NONCE_REUSED;
        return STORE_OK;
    }
    if (strcmp(out->status, "refunded") == 0) {
        *res = CHECKIN_REFUNDED;
        return STORE_OK;
    }
    store_set_error(s, "check-in: ticket %s changed during the check-in (%s)", out->id, out->status);
    return strcmp(out->status, "valid") == 0 ? STORE_UNAVAILABLE : STORE_ERROR;
}

store_status store_checkin(store *s, const char *code, const char *concert_id, const char *nonce, const char *door,
                           const caller *by, const char *at, checkin_ticket *out, checkin_result *res)
{
    *res = CHECKIN_UNKNOWN;
    store_status st;
    int r = read_code(s, "check-in", code, true, out, &st);
    if (r != 0)
        return r < 0 ? st : STORE_OK; /* no such code: CHECKIN_UNKNOWN */
    if (strcmp(out->concert_id, concert_id) != 0) {
        *res = CHECKIN_WRONG_CONCERT;
        return STORE_OK;
    }
    cJSON *req = cJSON_CreateObject();
    cJSON *items = req ? cJSON_AddArrayToObject(req, "TransactItems") : NULL;
    cJSON *n, *v;
    bool built = items &&
                 update_of(items, store_table(s, STORE_T_TICKETS), "id", out->id,
                           "SET #st = :in, #at = :at, #door = :door, #nonce = :nonce, #by = :by",
                           "#st = :valid AND #c = :c", &n, &v) &&
                 name2(n, "#st", "status", "#at", "checkedInAt") && name2(n, "#door", "door", "#nonce", "checkinNonce") &&
                 name2(n, "#by", "checkedInBy", "#c", "concertId") && ddb_attr_add(v, ":in", "S", "checkedIn") &&
                 ddb_attr_add(v, ":valid", "S", "valid") && ddb_attr_add(v, ":at", "S", at) &&
                 ddb_attr_add(v, ":door", "S", door) && ddb_attr_add(v, ":nonce", "S", nonce) &&
                 ddb_attr_add(v, ":by", "S", caller_name(by)) && ddb_attr_add(v, ":c", "S", concert_id) &&
                 add_admitted(s, items, out, "1") && store_txn_add_operator_check(items, s, by->sub);
    ddb_error e;
    bool cancelled;
    st = store_transact(s, req, built, &e, &cancelled);
    if (st == STORE_OK) {
        *res = CHECKIN_ADMITTED;
        return read_ticket(s, out->id, true, out) == STORE_OK ? STORE_OK : STORE_UNAVAILABLE;
    }
    if (!cancelled)
        return st;
    if (!store_txn_failed(&e, 0))
        return store_from_ddb(s, "TransactWriteItems", &e);
    return decide_checkin(s, nonce, door, out, res);
}

store_status store_ticket_of_code(store *s, const char *code, checkin_ticket *out)
{
    store_status st;
    int r = read_code(s, "ticket by code", code, false, out, &st);
    if (r != 0)
        return r < 0 ? st : STORE_NOT_FOUND;
    st = read_ticket(s, out->id, false, out);
    if (st == STORE_NOT_FOUND) { /* the code names a ticket that is gone or has no order */
        store_set_error(s, "ticket by code: ticket %s missing or without order", out->id);
        st = STORE_ERROR;
    }
    if (st != STORE_OK)
        checkin_ticket_clear(out);
    return st;
}

store_status store_checkin_undo(store *s, const char *ticket_id, const caller *by, checkin_ticket *out,
                                checkin_result *res)
{
    memset(out, 0, sizeof *out);
    *res = CHECKIN_NOT_ADMITTED;
    if (!store_tables_set(s, STORE_NEED_CONCERTS | STORE_NEED_TICKETS | STORE_NEED_ORDERS, "undo check-in"))
        return STORE_ERROR;
    store_status st = read_ticket(s, ticket_id, false, out);
    if (st != STORE_OK)
        return st;
    if (strcmp(out->status, "checkedIn") != 0)
        return STORE_OK;
    cJSON *req = cJSON_CreateObject();
    cJSON *items = req ? cJSON_AddArrayToObject(req, "TransactItems") : NULL;
    cJSON *n, *v;
    bool built = items &&
                 update_of(items, store_table(s, STORE_T_TICKETS), "id", out->id,
                           "SET #st = :valid REMOVE #at, #door, #nonce, #by", "#st = :in", &n, &v) &&
                 name2(n, "#st", "status", "#at", "checkedInAt") && name2(n, "#door", "door", "#nonce", "checkinNonce") &&
                 name2(n, "#by", "checkedInBy", NULL, NULL) && ddb_attr_add(v, ":in", "S", "checkedIn") &&
                 ddb_attr_add(v, ":valid", "S", "valid") && add_admitted(s, items, out, "-1") &&
                 store_txn_add_operator_check(items, s, by->sub);
    ddb_error e;
    bool cancelled;
    st = store_transact(s, req, built, &e, &cancelled);
    if (st == STORE_OK) {
        *res = CHECKIN_ADMITTED;
        return read_ticket(s, out->id, false, out) == STORE_OK ? STORE_OK : STORE_UNAVAILABLE;
    }
    if (!cancelled)
        return st;
    if (!store_txn_failed(&e, 0))
        return store_from_ddb(s, "TransactWriteItems", &e);
    return read_ticket(s, ticket_id, false, out); /* undone meanwhile: *res stays NOT_ADMITTED */
}

/* ---- refund ---------------------------------------------------------------------------------- */

static bool add_s_list(cJSON *obj, const char *name, const order *o, const int *idx, int n)
{
    cJSON *av = cJSON_CreateObject();
    cJSON *l = av ? cJSON_AddArrayToObject(av, "L") : NULL;
    if (!l || !cJSON_AddItemToObject(obj, name, av)) {
        cJSON_Delete(av);
        return false;
    }
    for (int i = 0; i < n; i++) {
        cJSON *e = cJSON_CreateObject();
        if (!e || !cJSON_AddItemToArray(l, e)) {
            cJSON_Delete(e);
            return false;
        }
        if (!cJSON_AddStringToObject(e, "S", o->tickets[idx[i]].id))
            return false;
    }
    return true;
}

/* operator: {"M": {"sub": {"S": ...}, "name": {"S": ...}}} of by */
static bool add_operator(cJSON *m, const caller *by)
{
    cJSON *av = cJSON_CreateObject();
    cJSON *om = av ? cJSON_AddObjectToObject(av, "M") : NULL;
    if (!om || !cJSON_AddItemToObject(m, "operator", av)) {
        cJSON_Delete(av);
        return false;
    }
    return ddb_attr_add(om, "sub", "S", by->sub ? by->sub : "") && ddb_attr_add(om, "name", "S", caller_name(by));
}

/* :r = {"L": [{"M": the refund}]}, :empty = {"L": []}, :rid = S id, :rids = SS [id] */
static bool refund_values(cJSON *v, const order *o, const int *idx, int n, const refund_ask *ask, int64_t amount)
{
    const char *refund_id = ask->id;
    cJSON *r = cJSON_AddObjectToObject(v, ":r");
    cJSON *l = r ? cJSON_AddArrayToObject(r, "L") : NULL;
    cJSON *wrap = l ? cJSON_CreateObject() : NULL;
    if (!wrap || !cJSON_AddItemToArray(l, wrap)) {
        cJSON_Delete(wrap);
        return false;
    }
    cJSON *m = cJSON_AddObjectToObject(wrap, "M");
    cJSON *empty = cJSON_AddObjectToObject(v, ":empty");
    cJSON *rids = cJSON_AddObjectToObject(v, ":rids");
    cJSON *ss = rids ? cJSON_AddArrayToObject(rids, "SS") : NULL;
    cJSON *one = ss ? cJSON_CreateString(refund_id) : NULL;
    if (!one || !cJSON_AddItemToArray(ss, one)) {
        cJSON_Delete(one);
        return false;
    }
    return m && empty && cJSON_AddArrayToObject(empty, "L") && ddb_attr_add(m, "id", "S", refund_id) &&
           store_txn_add_money(m, "amount", amount) && ddb_attr_add(m, "method", "S", ask->method) &&
           ddb_attr_add(m, "reason", "S", ask->reason) && ddb_attr_add(m, "by", "S", caller_name(ask->by)) &&
           add_operator(m, ask->by) &&
           ddb_attr_add(m, "at", "S", ask->at) && ddb_attr_add(m, "scope", "S", ask->every_valid ? "all" : "listed") &&
           add_s_list(m, "ticketIds", o, idx, n) && ddb_attr_add(v, ":rid", "S", refund_id);
}

static cJSON *refund_request(store *s, const order *o, const int *idx, int n, const refund_ask *ask)
{
    cJSON *req = cJSON_CreateObject();
    cJSON *items = req ? cJSON_AddArrayToObject(req, "TransactItems") : NULL;
    cJSON *nm, *v;
    char count[16];
    snprintf(count, sizeof count, "%d", n);
    int64_t value = o->unit_cents * n;
    int64_t amount = o->method == ORDER_PAY_COMP ? 0 : value;
    if (!items)
        goto fail;
    for (int i = 0; i < n; i++)
        if (!update_of(items, store_table(s, STORE_T_TICKETS), "id", o->tickets[idx[i]].id,
                       "SET #st = :refunded, #at = :at", "#st = :valid", &nm, &v) ||
            !name2(nm, "#st", "status", "#at", "refundedAt") || !ddb_attr_add(v, ":refunded", "S", "refunded") ||
            !ddb_attr_add(v, ":valid", "S", "valid") || !ddb_attr_add(v, ":at", "S", ask->at))
            goto fail;
    if (!update_of(items, store_table(s, STORE_T_CONCERTS), "id", o->concert_id,
                   "SET #avail = #avail + :n ADD #ref :n, #rev :minus", "attribute_exists(#id)", &nm, &v) ||
        !name2(nm, "#avail", "availableTickets", "#ref", "refunded") ||
        !name2(nm, "#rev", order_revenue_attr(o->method), "#id", "id") || !ddb_attr_add(v, ":n", "N", count) ||
        !store_txn_add_money(v, ":minus", -value))
        goto fail;
    if (!update_of(items, store_table(s, STORE_T_ORDERS), "id", o->id,
                   "SET #refunds = list_append(if_not_exists(#refunds, :empty), :r) ADD #rids :rids",
                   "attribute_exists(#id) AND NOT contains(#rids, :rid)", &nm, &v) ||
        !name2(nm, "#refunds", "refunds", "#rids", "refundIds") || !name2(nm, "#id", "id", NULL, NULL) ||
        !refund_values(v, o, idx, n, ask, amount))
        goto fail;
    if (!store_txn_add_operator_check(items, s, ask->by->sub))
        goto fail;
    return req;
fail:
    cJSON_Delete(req);
    return NULL;
}

store_status store_refund(store *s, const order *o, const int *idx, int n, const refund_ask *ask, order *out)
{
    memset(out, 0, sizeof *out);
    if (!store_tables_set(s, STORE_NEED_CONCERTS | STORE_NEED_TICKETS | STORE_NEED_ORDERS, "refund"))
        return STORE_ERROR;
    if (n < 1 || n > o->quantity) {
        store_set_error(s, "refund: %d tickets of an order of %d", n, o->quantity);
        return STORE_ERROR;
    }
    ddb_error e;
    bool cancelled;
    store_status st = store_transact(s, refund_request(s, o, idx, n, ask), true, &e, &cancelled);
    if (st != STORE_OK && !cancelled)
        return st;
    bool refused = false; /* a ticket no longer valid, or the refund id recorded already */
    for (int i = 0; cancelled && i < n + 2; i++)
        refused = refused || (i != n && store_txn_failed(&e, (size_t)i));
    if (cancelled && !refused)
        return store_from_ddb(s, "TransactWriteItems", &e);
    store_status rd = store_order_get(s, o->id, out);
    if (rd != STORE_OK)
        return rd == STORE_NOT_FOUND ? STORE_ERROR : rd;
    if (!cancelled)
        return STORE_OK;
    /* read after the cancellation: a request with the same id that won the race is in it, whichever
     * condition DynamoDB names */
    if (order_refund_find(out, ask->id))
        return STORE_REPLAY;
    if (store_txn_failed(&e, (size_t)n + 1)) {
        store_set_error(s, "refund %s: refused but not recorded", ask->id);
        order_clear(out);
        return STORE_UNAVAILABLE;
    }
    return STORE_CONFLICT;
}

/* ---- counts ---------------------------------------------------------------------------------- */

/* A counter: absent = 0; N (or a number stored as S) in whole units or cents (scale 0 or 2). */
static bool counter(const cJSON *item, const char *name, int scale, int64_t *out)
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

store_status store_concert_stats(store *s, const char *concert_id, concert_stats *out)
{
    memset(out, 0, sizeof *out);
    if (!concert_id || !*concert_id || strlen(concert_id) > STORE_ID_MAX)
        return STORE_NOT_FOUND;
    cJSON *item;
    store_status st;
    int r = store_get_item(s, store_table(s, STORE_T_CONCERTS), concert_id, &item, &st);
    if (r < 0)
        return st;
    if (r == 1)
        return STORE_NOT_FOUND;
    bool has_cap = cJSON_GetObjectItemCaseSensitive(item, "capacity") != NULL;
    bool ok = cJSON_GetObjectItemCaseSensitive(item, "availableTickets") &&
              counter(item, "availableTickets", 0, &out->available) && counter(item, "capacity", 0, &out->capacity) &&
              counter(item, "sold", 0, &out->sold) && counter(item, "refunded", 0, &out->refunded) &&
              counter(item, "admitted", 0, &out->admitted);
    for (int m = 0; ok && m < 3; m++)
        ok = counter(item, order_revenue_attr((order_payment)m), 2, &out->revenue_cents[m]);
    const char *cur = ddb_attr_s(item, "currency");
    if (cur && strlen(cur) == 3)
        memcpy(out->currency, cur, 4);
    cJSON_Delete(item);
    if (!ok) {
        store_set_error(s, "concert %s: a counter is stored malformed", concert_id);
        return STORE_MALFORMED;
    }
    if (!has_cap)
        out->capacity = out->available + out->sold - out->refunded;
    return STORE_OK;
}
