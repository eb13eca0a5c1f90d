/* After the sale on DynamoDB: check-in, undo, refund, a concert's counts (see store_aftersale.h). */
#include "store_aftersale.h"

#include "caller.h"

#include "bo_money.h"
#include "ddb.h"
#include "ddb_attr.h"
#include "store_priv.h"
#include "store_journal.h"
#include "store_shift.h"

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

/* ADD #c :d on the concert (today's layout) or on counter shard `shard` (a pooled concert: t->shards > 0) and on
 * the order, conditional on each existing. */
static bool add_admitted(store *s, cJSON *items, const checkin_ticket *t, const char *delta, int shard)
{
    cJSON *n, *v;
    if (t->shards > 0) {
        if (!store_pool_add_admitted(items, s, t->concert_id, shard, atoi(delta)))
            return false;
    } else if (!update_of(items, store_table(s, STORE_T_CONCERTS), "id", t->concert_id, "ADD #c :d",
                          "attribute_exists(#id)", &n, &v) ||
               !name2(n, "#c", "admitted", "#id", "id") || !ddb_attr_add(v, ":d", "N", delta)) {
        return false;
    }
    return update_of(items, store_table(s, STORE_T_ORDERS), "id", t->order_id, "ADD #c :d", "attribute_exists(#id)",
                     &n, &v) &&
           name2(n, "#c", "admitted", "#id", "id") && ddb_attr_add(v, ":d", "N", delta);
}

/* The shards N of a pooled sale's ticket or code item (1..LAYOUT_SHARDS), 0 when absent (today's layout). */
static int item_shards(const cJSON *item)
{
    const char *v = ddb_attr_n(item, "shards");
    int k = v ? atoi(v) : 0;
    return k >= 1 && k <= LAYOUT_SHARDS ? k : 0;
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
    t->shards = item_shards(item);
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
    out->shards = item_shards(item);
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

/* The journal entry of a check-in or its undo of ticket t. */
static void door_entry(journal_entry *e, const char *type, const struct journal_who *who, const char *at,
                       const checkin_ticket *t, const char *const *id, char *detail, size_t size)
{
    journal_entry_init(e, type, who, at);
    e->concert_id = t->concert_id;
    e->order_id = t->order_id;
    e->ticket_ids = id;
    e->n_tickets = 1;
    e->has_count = true;
    e->count = 1;
    snprintf(detail, size, "%s%s", t->door[0] ? "door " : "", t->door);
    e->detail = detail;
}

/* Sends req, a check-in's or its undo's transaction: the ticket at [0] and, for a pooled concert, counter shard
 * sh->k at [1]. 1: done with (*st, *e and *cancelled say how); 0: build it again with sh's next shard (the shard
 * met a conflict: another one at once; another item did: after a backoff, store_shard_after); -1: failed, *st
 * (STORE_BUSY: time ran out). */
static int send_on_shard(store *s, const checkin_ticket *t, shard_try *sh, cJSON *req, bool built, ddb_error *e,
                         bool *cancelled, store_status *st)
{
    if (t->shards <= 0) {
        *st = store_transact(s, req, built, e, cancelled);
        return 1;
    }
    *st = store_transact_pooled(s, req, built, e, cancelled);
    if (!*cancelled || store_txn_failed(e, 0))
        return 1;
    int next = store_shard_after(s, sh, e, 1, st);
    return next == POOL_FAIL ? -1 : next == POOL_AGAIN ? 0 : 1;
}

store_status store_checkin(store *s, const char *code, const char *concert_id, const char *nonce, const char *door,
                           const char *by, const char *at, const struct journal_who *who, checkin_ticket *out,
                           checkin_result *res)
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
    if (!store_tables_set(s, STORE_NEED_JOURNAL, "check-in"))
        return STORE_ERROR;
    journal_entry je;
    char detail[CHECKIN_DOOR_MAX * 4 + 8];
    const char *tid[1] = { out->id };
    snprintf(out->door, sizeof out->door, "%s", door);
    door_entry(&je, "checkin", who, at, out, tid, detail, sizeof detail);
    out->door[0] = '\0';
    /* [0] the ticket, [1] the concert (today's layout) or ONE counter shard (a pooled concert: another one at once
     * when it meets a conflict; the verdict never waits for a counter), [2] the order, the journal, the operator */
    shard_try sh = { .k_total = out->shards };
    ddb_error e;
    bool cancelled;
    for (;;) {
        int k = out->shards > 0 ? store_shard_pick(&sh) : 0;
        cJSON *req = cJSON_CreateObject();
        cJSON *items = req ? cJSON_AddArrayToObject(req, "TransactItems") : NULL;
        cJSON *n, *v;
        bool built = items &&
                     update_of(items, store_table(s, STORE_T_TICKETS), "id", out->id,
                               "SET #st = :in, #at = :at, #door = :door, #nonce = :nonce, #by = :by",
                               "#st = :valid AND #c = :c", &n, &v) &&
                     name2(n, "#st", "status", "#at", "checkedInAt") &&
                     name2(n, "#door", "door", "#nonce", "checkinNonce") && name2(n, "#by", "checkedInBy", "#c", "concertId") &&
                     ddb_attr_add(v, ":in", "S", "checkedIn") && ddb_attr_add(v, ":valid", "S", "valid") &&
                     ddb_attr_add(v, ":at", "S", at) && ddb_attr_add(v, ":door", "S", door) &&
                     ddb_attr_add(v, ":nonce", "S", nonce) && ddb_attr_add(v, ":by", "S", by) &&
                     ddb_attr_add(v, ":c", "S", concert_id) && add_admitted(s, items, out, "1", k) &&
                     store_journal_put(s, items, &je) && store_txn_add_operator_check(items, s, who->sub);
        int sent = send_on_shard(s, out, &sh, req, built, &e, &cancelled, &st);
        if (sent < 0)
            return st;
        if (sent > 0)
            break;
    }
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

store_status store_checkin_undo(store *s, const char *ticket_id, const struct journal_who *who, checkin_ticket *out,
                                checkin_result *res)
{
    memset(out, 0, sizeof *out);
    *res = CHECKIN_NOT_ADMITTED;
    if (!store_tables_set(s, STORE_NEED_CONCERTS | STORE_NEED_TICKETS | STORE_NEED_ORDERS | STORE_NEED_JOURNAL,
                          "undo check-in"))
        return STORE_ERROR;
    store_status st = read_ticket(s, ticket_id, false, out);
    if (st != STORE_OK)
        return st;
    if (strcmp(out->status, "checkedIn") != 0)
        return STORE_OK;
    journal_entry je;
    char detail[CHECKIN_DOOR_MAX * 4 + 8];
    const char *tid[1] = { out->id };
    door_entry(&je, "checkin.undone", who, NULL, out, tid, detail, sizeof detail);
    shard_try sh = { .k_total = out->shards };
    ddb_error e;
    bool cancelled;
    for (;;) {
        int k = out->shards > 0 ? store_shard_pick(&sh) : 0;
        cJSON *req = cJSON_CreateObject();
        cJSON *items = req ? cJSON_AddArrayToObject(req, "TransactItems") : NULL;
        cJSON *n, *v;
        bool built = items &&
                     update_of(items, store_table(s, STORE_T_TICKETS), "id", out->id,
                               "SET #st = :valid REMOVE #at, #door, #nonce, #by", "#st = :in", &n, &v) &&
                     name2(n, "#st", "status", "#at", "checkedInAt") &&
                     name2(n, "#door", "door", "#nonce", "checkinNonce") && name2(n, "#by", "checkedInBy", NULL, NULL) &&
                     ddb_attr_add(v, ":in", "S", "checkedIn") && ddb_attr_add(v, ":valid", "S", "valid") &&
                     add_admitted(s, items, out, "-1", k) && store_journal_put(s, items, &je) &&
                     store_txn_add_operator_check(items, s, who->sub);
        int sent = send_on_shard(s, out, &sh, req, built, &e, &cancelled, &st);
        if (sent < 0)
            return st;
        if (sent > 0)
            break;
    }
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

/* :r = {"L": [{"M": the refund}]}, :empty = {"L": []}, :rid = S id, :rids = SS [id] */
static bool refund_values(cJSON *v, const order *o, const int *idx, int n, const refund_ask *ask, int64_t amount,
                          const char *terminal)
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
           ddb_attr_add(m, "reason", "S", ask->reason) && ddb_attr_add(m, "by", "S", ask->by) &&
           ddb_attr_add(m, "at", "S", ask->at) && ddb_attr_add(m, "scope", "S", ask->every_valid ? "all" : "listed") &&
           (!ask->operator_sub || (ddb_attr_add(m, "operatorSub", "S", ask->operator_sub) &&
                                   ddb_attr_add(m, "operatorName", "S", ask->operator_name))) &&
           (!ask->shift_id || ddb_attr_add(m, "shiftId", "S", ask->shift_id)) &&
           (!terminal || ddb_attr_add(m, "terminal", "S", terminal)) &&
           add_s_list(m, "ticketIds", o, idx, n) && ddb_attr_add(v, ":rid", "S", refund_id);
}

static cJSON *refund_request(store *s, const order *o, const int *idx, int n, const refund_ask *ask,
                             const shift_link *l, const journal_entry *e, int shard)
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
    /* [n] the seats back and the counters: on the concert (today's layout) or on ONE counter shard (pooled) */
    if (o->shards > 0) {
        if (!store_pool_add_refund(items, s, o->concert_id, shard, n, order_revenue_attr(o->method), value))
            goto fail;
    } else if (!update_of(items, store_table(s, STORE_T_CONCERTS), "id", o->concert_id,
                          "SET #avail = #avail + :n ADD #ref :n, #rev :minus", "attribute_exists(#id)", &nm, &v) ||
               !name2(nm, "#avail", "availableTickets", "#ref", "refunded") ||
               !name2(nm, "#rev", order_revenue_attr(o->method), "#id", "id") || !ddb_attr_add(v, ":n", "N", count) ||
               !store_txn_add_money(v, ":minus", -value)) {
        goto fail;
    }
    if (!update_of(items, store_table(s, STORE_T_ORDERS), "id", o->id,
                   "SET #refunds = list_append(if_not_exists(#refunds, :empty), :r) ADD #rids :rids",
                   "attribute_exists(#id) AND NOT contains(#rids, :rid)", &nm, &v) ||
        !name2(nm, "#refunds", "refunds", "#rids", "refundIds") || !name2(nm, "#id", "id", NULL, NULL) ||
        !refund_values(v, o, idx, n, ask, amount, l ? l->terminal : ask->terminal))
        goto fail;
    /* [n + 2] the shift (when the refund carries one), then the journal entry */
    if ((l && !store_shift_link_update(s, items, l)) || !store_journal_put(s, items, e))
        goto fail;
    /* then the operator's ConditionCheck (last) */
    if (!store_txn_add_operator_check(items, s, ask->operator_sub))
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
    if (!store_tables_set(s, STORE_NEED_JOURNAL, "refund"))
        return STORE_ERROR;
    const char *ticket_ids[BO_ORDER_MAX_TICKETS];
    char detail[64];
    for (int i = 0; i < n; i++)
        ticket_ids[i] = o->tickets[idx[i]].id;
    snprintf(detail, sizeof detail, "refund by %s", ask->method);
    int64_t amount = o->method == ORDER_PAY_COMP ? 0 : o->unit_cents * n;
    const char *counter = strcmp(ask->method, "cash") == 0   ? SHIFT_C_REFUND_CASH
                          : strcmp(ask->method, "card") == 0 ? SHIFT_C_REFUND_CARD
                                                             : SHIFT_C_REFUND_OTHER;
    ddb_error e;
    bool cancelled = false;
    store_status st = STORE_UNAVAILABLE;
    shard_try sh = { .k_total = o->shards };
    for (int round = 0; round < SHIFT_LINK_ROUNDS; round++) {
        store_shift_link_backoff((unsigned)round);
        journal_who who = { ask->operator_sub, ask->operator_name };
        journal_entry je;
        journal_entry_init(&je, "order.refunded", &who, ask->at);
        je.concert_id = o->concert_id;
        je.order_id = o->id;
        je.ticket_ids = ticket_ids;
        je.n_tickets = n;
        je.currency = o->currency;
        je.has_amount = true;
        je.amount_cents = amount;
        je.has_count = true;
        je.count = n;
        je.detail = detail;
        je.terminal = ask->terminal;
        shift_link l = { .shift_id = ask->shift_id, .sub = ask->operator_sub, .terminal = ask->terminal,
                         .currency = o->currency };
        if (ask->shift_id) {
            shift_link_add(&l, counter, amount, true);
            shift_link_add(&l, SHIFT_C_REFUND_COUNT, 1, false);
            store_status ls = store_shift_link_read(s, &l, &je);
            if (ls != STORE_OK)
                return ls;
        }
        if (o->shards > 0) {
            /* a conflict on the shard: another one at once (store_shard_after), not another round */
            int next;
            do {
                int k = store_shard_pick(&sh);
                st = store_transact_pooled(s, refund_request(s, o, idx, n, ask, ask->shift_id ? &l : NULL, &je, k),
                                           true, &e, &cancelled);
                next = st == STORE_OK || !cancelled ? POOL_OTHER : store_shard_after(s, &sh, &e, (size_t)n, &st);
            } while (next == POOL_AGAIN);
            if (next == POOL_FAIL)
                return st;
        } else {
            st = store_transact(s, refund_request(s, o, idx, n, ask, ask->shift_id ? &l : NULL, &je, 0), true, &e,
                                &cancelled);
        }
        if (!(cancelled && ask->shift_id && store_txn_failed(&e, (size_t)n + 2)))
            break;
        st = STORE_UNAVAILABLE; /* the shift moved on: read it again */
    }
    if (st == STORE_UNAVAILABLE && cancelled && ask->shift_id && store_txn_failed(&e, (size_t)n + 2)) {
        store_set_error(s, "refund: shift %s too busy", ask->shift_id);
        return STORE_UNAVAILABLE;
    }
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

/* ONE BatchGetItem (strongly consistent) of the concert item and its K counter shards (store_pool_read): the
 * counts are the item's own (absent: 0) plus the shards' (a concert of today's layout has none). */
store_status store_concert_stats(store *s, const char *concert_id, concert_stats *out)
{
    memset(out, 0, sizeof *out);
    if (!concert_id || !*concert_id || strlen(concert_id) > STORE_ID_MAX)
        return STORE_NOT_FOUND;
    cJSON *item = NULL;
    pool_counts pc;
    store_status st = store_pool_read(s, concert_id, LAYOUT_SHARDS, &item, &pc);
    if (st != STORE_OK) {
        cJSON_Delete(item);
        return st;
    }
    if (!item)
        return STORE_NOT_FOUND;
    bool has_cap = cJSON_GetObjectItemCaseSensitive(item, "capacity") != NULL;
    bool ok = cJSON_GetObjectItemCaseSensitive(item, "availableTickets") &&
              store_counter(item, "availableTickets", 0, &out->available) &&
              store_counter(item, "capacity", 0, &out->capacity) && store_counter(item, "sold", 0, &out->sold) &&
              store_counter(item, "refunded", 0, &out->refunded) && store_counter(item, "admitted", 0, &out->admitted);
    for (int m = 0; ok && m < 3; m++)
        ok = store_counter(item, order_revenue_attr((order_payment)m), 2, &out->revenue_cents[m]);
    const char *cur = ddb_attr_s(item, "currency");
    if (cur && strlen(cur) == 3)
        memcpy(out->currency, cur, 4);
    /* shards as the concert read judges it (store.h "Reading items": a number, also stored as a string, in
     * 1..LAYOUT_SHARDS), so that the stats and GET /concerts/{id} never disagree on the layout */
    int64_t shards = 0;
    bool pooled = cJSON_GetObjectItemCaseSensitive(item, "shards") != NULL;
    if (pooled && (!store_counter(item, "shards", 0, &shards) || shards < 1 || shards > LAYOUT_SHARDS))
        ok = false;
    cJSON_Delete(item);
    if (!ok) {
        store_set_error(s, "concert %s: a counter is stored malformed", concert_id);
        return STORE_MALFORMED;
    }
    if (pooled) {
        out->available += pc.available_sum;
        out->sold += pc.sold;
        out->refunded += pc.refunded;
        out->admitted += pc.admitted;
        for (int m = 0; m < 3; m++)
            out->revenue_cents[m] += pc.revenue_cents[m];
    }
    if (!has_cap)
        out->capacity = out->available + out->sold - out->refunded;
    return STORE_OK;
}
