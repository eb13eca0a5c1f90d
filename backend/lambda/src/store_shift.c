/* Shifts on DynamoDB: open, drops and paid-outs, the close with its numbered Z, the day sheet's query
 * (see store_shift.h). */
#include "store_shift.h"

#include "bo_clock.h"
#include "bo_money.h"
#include "ddb.h"
#include "ddb_attr.h"
#include "ddb_query.h"
#include "store_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ZCOUNTER_ID "#zcounter"

void shift_clear(shift *sh)
{
    if (!sh)
        return;
    free(sh->note);
    memset(sh, 0, sizeof *sh);
}

int64_t shift_expected_cash(const shift_money *m)
{
    return m->float_cents + m->cash - m->refund_cash - m->drops - m->paid_outs;
}

const shift_money *shift_money_of(const shift *sh, const char *currency)
{
    for (int i = 0; currency && i < sh->n_cur; i++)
        if (strcmp(sh->cur[i].currency, currency) == 0)
            return &sh->cur[i];
    return NULL;
}

static bool copy_to(char *dst, size_t size, const char *src)
{
    if (!src || strlen(src) >= size)
        return false;
    memcpy(dst, src, strlen(src) + 1);
    return true;
}

static bool add_n(cJSON *obj, const char *name, long long v)
{
    char n[24];
    snprintf(n, sizeof n, "%lld", v);
    return ddb_attr_add(obj, name, "N", n);
}

/* A counter "<name>_<cur>": absent 0; money (scale 2) or a count. */
static bool counter(const cJSON *item, const char *name, const char *cur, bool money, int64_t *out)
{
    char attr[32];
    shift_counter_attr(name, cur, attr);
    *out = 0;
    const char *t = ddb_attr_n(item, attr);
    if (!t)
        return true;
    bool neg;
    if (ddb_number_scaled(t, money ? 2 : 0, out, &neg) != 0)
        return false;
    if (neg && *out > 0)
        *out = -*out;
    return true;
}

static bool count_of(const cJSON *item, const char *name, const char *cur, long long *out)
{
    int64_t v;
    bool ok = counter(item, name, cur, false, &v);
    *out = (long long)v;
    return ok;
}

/* The shift item into *out: 0, -1 malformed, -2 out of memory (*out zeroed unless 0). */
static int shift_from_item(const cJSON *item, shift *out)
{
    memset(out, 0, sizeof *out);
    const char *status = ddb_attr_s(item, "status"), *entries = ddb_attr_n(item, "entries");
    const cJSON *curs = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(item, "currencies"), "SS");
    if (!copy_to(out->id, sizeof out->id, ddb_attr_s(item, "id")) ||
        !copy_to(out->operator_sub, sizeof out->operator_sub, ddb_attr_s(item, "operatorSub")) ||
        !copy_to(out->operator_name, sizeof out->operator_name, ddb_attr_s(item, "operatorName")) ||
        !copy_to(out->terminal, sizeof out->terminal, ddb_attr_s(item, "terminal")) || !status || !entries ||
        !copy_to(out->opened_at, sizeof out->opened_at, ddb_attr_s(item, "openedAt")) ||
        !copy_to(out->day, sizeof out->day, ddb_attr_s(item, "day")) ||
        !copy_to(out->chain, sizeof out->chain, ddb_attr_s(item, "chain")) || !cJSON_IsArray(curs))
        goto malformed;
    out->open = strcmp(status, "open") == 0;
    out->entries = atoll(entries);
    const char *closed = ddb_attr_s(item, "closedAt"), *z = ddb_attr_n(item, "z"), *hash = ddb_attr_s(item, "hash");
    const char *note = ddb_attr_s(item, "note"), *key = ddb_attr_s(item, "closeKey");
    if ((closed && !copy_to(out->closed_at, sizeof out->closed_at, closed)) ||
        (hash && !copy_to(out->hash, sizeof out->hash, hash)) ||
        (key && !copy_to(out->close_key, sizeof out->close_key, key)))
        goto malformed;
    out->z = z ? atoll(z) : 0;
    if (note && !(out->note = strdup(note)))
        goto oom;
    const cJSON *c;
    cJSON_ArrayForEach(c, curs) {
        if (out->n_cur >= SHIFT_CUR_MAX || !cJSON_IsString(c) || strlen(c->valuestring) != 3)
            goto malformed;
        shift_money *m = &out->cur[out->n_cur++];
        memcpy(m->currency, c->valuestring, 4);
        const char *cur = m->currency;
        char attr[32];
        shift_counter_attr(SHIFT_C_COUNTED, cur, attr);
        m->has_counted = ddb_attr_n(item, attr) != NULL;
        if (!counter(item, SHIFT_C_FLOAT, cur, true, &m->float_cents) || !counter(item, SHIFT_C_CASH, cur, true, &m->cash) ||
            !counter(item, SHIFT_C_CARD, cur, true, &m->card) || !counter(item, SHIFT_C_OTHER, cur, true, &m->other) ||
            !counter(item, SHIFT_C_REFUND_CASH, cur, true, &m->refund_cash) ||
            !counter(item, SHIFT_C_REFUND_CARD, cur, true, &m->refund_card) ||
            !counter(item, SHIFT_C_REFUND_OTHER, cur, true, &m->refund_other) ||
            !counter(item, SHIFT_C_DROPS, cur, true, &m->drops) ||
            !counter(item, SHIFT_C_PAIDOUTS, cur, true, &m->paid_outs) ||
            !counter(item, SHIFT_C_COUNTED, cur, true, &m->counted) ||
            !count_of(item, SHIFT_C_ORDERS, cur, &m->orders) || !count_of(item, SHIFT_C_COMPS, cur, &m->comps) ||
            !count_of(item, SHIFT_C_COMP_TICKETS, cur, &m->comp_tickets) ||
            !count_of(item, SHIFT_C_REFUND_COUNT, cur, &m->refund_count))
            goto malformed;
    }
    /* DynamoDB keeps a set unordered: the currencies in alphabetical order, always the same */
    for (int i = 1; i < out->n_cur; i++)
        for (int k = i; k > 0 && strcmp(out->cur[k - 1].currency, out->cur[k].currency) > 0; k--) {
            shift_money t = out->cur[k];
            out->cur[k] = out->cur[k - 1];
            out->cur[k - 1] = t;
        }
    return 0;
malformed:
    shift_clear(out);
    return -1;
oom:
    shift_clear(out);
    return -2;
}

static store_status from_item(store *s, const cJSON *item, const char *id, shift *out)
{
    int r = shift_from_item(item, out);
    if (r == 0)
        return STORE_OK;
    store_set_error(s, r == -2 ? "shift: out of memory" : "shift %s stored malformed", id);
    return STORE_ERROR;
}

store_status store_shift_get(store *s, const char *id, shift *out)
{
    memset(out, 0, sizeof *out);
    if (!store_tables_set(s, STORE_NEED_SHIFTS, "shift"))
        return STORE_ERROR;
    if (!id || !*id || strlen(id) > STORE_ID_MAX || strcmp(id, ZCOUNTER_ID) == 0)
        return STORE_NOT_FOUND;
    cJSON *item;
    store_status st;
    int r = store_get_item(s, store_table(s, STORE_T_SHIFTS), id, &item, &st);
    if (r != 0)
        return r < 0 ? st : STORE_NOT_FOUND;
    st = from_item(s, item, id, out);
    cJSON_Delete(item);
    return st;
}

/* The operator item's openShiftId into out ("" none) and whether it is disabled. 0, or -1 (*st). */
static int operator_state(store *s, const char *sub, char out[STORE_ID_MAX + 1], bool *disabled, store_status *st)
{
    out[0] = '\0';
    *disabled = false;
    cJSON *item;
    int r = store_get_item_by(s, store_table(s, STORE_T_OPERATORS), "sub", sub, &item, st);
    if (r < 0)
        return -1;
    if (r == 1)
        return 0;
    const char *open = ddb_attr_s(item, "openShiftId");
    const cJSON *d = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(item, "disabled"), "BOOL");
    *disabled = cJSON_IsTrue(d);
    if (open)
        copy_to(out, STORE_ID_MAX + 1, open);
    cJSON_Delete(item);
    return 0;
}

store_status store_shift_current(store *s, const char *sub, shift *out)
{
    memset(out, 0, sizeof *out);
    if (!store_tables_set(s, STORE_NEED_SHIFTS | STORE_NEED_OPERATORS, "current shift"))
        return STORE_ERROR;
    char id[STORE_ID_MAX + 1];
    bool disabled;
    store_status st;
    if (!sub || !*sub)
        return STORE_NOT_FOUND;
    if (operator_state(s, sub, id, &disabled, &st) != 0)
        return st;
    if (!id[0])
        return STORE_NOT_FOUND;
    st = store_shift_get(s, id, out);
    if (st == STORE_OK && !out->open) {
        shift_clear(out);
        return STORE_NOT_FOUND;
    }
    return st;
}

/* ---- transaction pieces ------------------------------------------------------------------------ */

static cJSON *op_of(cJSON *items, const char *op, const char *table, cJSON **names, cJSON **values)
{
    cJSON *wrap = cJSON_CreateObject();
    if (!wrap || !cJSON_AddItemToArray(items, wrap)) {
        cJSON_Delete(wrap);
        return NULL;
    }
    cJSON *o = cJSON_AddObjectToObject(wrap, op);
    *names = o ? cJSON_AddObjectToObject(o, "ExpressionAttributeNames") : NULL;
    *values = o ? cJSON_AddObjectToObject(o, "ExpressionAttributeValues") : NULL;
    if (!*names || !*values || !cJSON_AddStringToObject(o, "TableName", table))
        return NULL;
    return o;
}

static bool key_s(cJSON *o, const char *name, const char *v)
{
    cJSON *k = cJSON_AddObjectToObject(o, "Key");
    return k && ddb_attr_add(k, name, "S", v);
}

static bool nm(cJSON *names, const char *a, const char *b)
{
    return cJSON_AddStringToObject(names, a, b) != NULL;
}

static void money_text(int64_t cents, char out[BO_MONEY_BUF + 1])
{
    int64_t a = cents < 0 ? -cents : cents;
    snprintf(out, BO_MONEY_BUF + 1, "%s%lld.%02lld", cents < 0 ? "-" : "", (long long)(a / 100), (long long)(a % 100));
}

/* ---- open ---------------------------------------------------------------------------------------- */

static cJSON *open_request(store *s, const shift *sh, const journal_entry *e)
{
    cJSON *req = cJSON_CreateObject();
    cJSON *items = req ? cJSON_AddArrayToObject(req, "TransactItems") : NULL;
    cJSON *n, *v, *o;
    if (!items)
        goto fail;
    /* [0] the operator: one open shift at a time, and not disabled */
    if (!(o = op_of(items, "Update", store_table(s, STORE_T_OPERATORS), &n, &v)) || !key_s(o, "sub", sh->operator_sub) ||
        !cJSON_AddStringToObject(o, "UpdateExpression", "SET #open = :id") ||
        !cJSON_AddStringToObject(o, "ConditionExpression",
                                 "attribute_not_exists(#open) AND (attribute_not_exists(#dis) OR #dis = :f)") ||
        !nm(n, "#open", "openShiftId") || !nm(n, "#dis", "disabled") || !ddb_attr_add(v, ":id", "S", sh->id) ||
        !cJSON_AddItemToObject(cJSON_AddObjectToObject(v, ":f"), "BOOL", cJSON_CreateFalse()))
        goto fail;
    /* [1] the shift */
    if (!(o = op_of(items, "Put", store_table(s, STORE_T_SHIFTS), &n, &v)))
        goto fail;
    cJSON_DeleteItemFromObjectCaseSensitive(o, "ExpressionAttributeValues");
    cJSON *it = cJSON_AddObjectToObject(o, "Item");
    cJSON *curs = it ? cJSON_AddObjectToObject(it, "currencies") : NULL;
    cJSON *ss = curs ? cJSON_AddArrayToObject(curs, "SS") : NULL;
    if (!ss || !cJSON_AddStringToObject(o, "ConditionExpression", "attribute_not_exists(#id)") || !nm(n, "#id", "id") ||
        !ddb_attr_add(it, "id", "S", sh->id) || !ddb_attr_add(it, "operatorSub", "S", sh->operator_sub) ||
        !ddb_attr_add(it, "operatorName", "S", sh->operator_name) || !ddb_attr_add(it, "terminal", "S", sh->terminal) ||
        !ddb_attr_add(it, "status", "S", "open") || !ddb_attr_add(it, "openedAt", "S", sh->opened_at) ||
        !ddb_attr_add(it, "day", "S", sh->day) || !add_n(it, "entries", sh->entries) ||
        !ddb_attr_add(it, "chain", "S", sh->chain))
        goto fail;
    for (int i = 0; i < sh->n_cur; i++) {
        char attr[32];
        cJSON *c = cJSON_CreateString(sh->cur[i].currency);
        if (!c || !cJSON_AddItemToArray(ss, c)) {
            cJSON_Delete(c);
            goto fail;
        }
        shift_counter_attr(SHIFT_C_FLOAT, sh->cur[i].currency, attr);
        if (!store_txn_add_money(it, attr, sh->cur[i].float_cents))
            goto fail;
    }
    /* [2] its journal entry */
    if (!store_journal_put(s, items, e))
        goto fail;
    return req;
fail:
    cJSON_Delete(req);
    return NULL;
}

store_status store_shift_open(store *s, shift *sh, shift *out)
{
    memset(out, 0, sizeof *out);
    if (!store_tables_set(s, STORE_NEED_SHIFTS | STORE_NEED_OPERATORS | STORE_NEED_JOURNAL, "open shift"))
        return STORE_ERROR;
    if (sh->n_cur < 1) {
        store_set_error(s, "open shift: no float");
        return STORE_ERROR;
    }
    bo_clock_iso_ms(bo_clock_wall_ms(), sh->opened_at);
    snprintf(sh->day, sizeof sh->day, "%.10s", sh->opened_at);
    sh->open = true;
    journal_who who = { sh->operator_sub, sh->operator_name };
    journal_entry e;
    journal_entry_init(&e, "shift.opened", &who, sh->opened_at);
    char detail[SHIFT_CUR_MAX * 24 + 8];
    size_t w = (size_t)snprintf(detail, sizeof detail, "float");
    for (int i = 0; i < sh->n_cur && w < sizeof detail; i++) {
        char m[BO_MONEY_BUF + 1];
        money_text(sh->cur[i].float_cents, m);
        w += (size_t)snprintf(detail + w, sizeof detail - w, "%s %s %s", i ? "," : "", sh->cur[i].currency, m);
    }
    e.terminal = sh->terminal;
    e.shift_id = sh->id;
    e.seq = 1;
    e.currency = sh->cur[0].currency;
    e.has_amount = true;
    e.amount_cents = sh->cur[0].float_cents;
    e.detail = detail;
    bo_jfields f;
    char amount[BO_MONEY_BUF + 1];
    journal_entry_fields(&e, &f, amount);
    bo_jhash_init(sh->chain);
    if (bo_jhash_step(sh->chain, &f, sh->chain) != 0) {
        store_set_error(s, "open shift: the journal line could not be hashed");
        return STORE_ERROR;
    }
    sh->entries = 1;
    ddb_error err;
    bool cancelled;
    store_status st = store_transact(s, open_request(s, sh, &e), true, &err, &cancelled);
    if (st == STORE_OK || !cancelled)
        return st;
    if (!store_txn_failed(&err, 0) && !store_txn_failed(&err, 1))
        return store_from_ddb(s, "TransactWriteItems", &err);
    char open_id[STORE_ID_MAX + 1];
    bool disabled;
    if (operator_state(s, sh->operator_sub, open_id, &disabled, &st) != 0)
        return st;
    if (disabled) {
        store_set_error(s, "open shift: operator is disabled");
        return STORE_OPERATOR_DISABLED;
    }
    const char *which = open_id[0] ? open_id : sh->id;
    st = store_shift_get(s, which, out);
    if (st == STORE_NOT_FOUND) {
        store_set_error(s, "open shift: operator's open shift %s is missing", which);
        return STORE_UNAVAILABLE;
    }
    if (st != STORE_OK)
        return st;
    if (strcmp(out->operator_sub, sh->operator_sub) != 0) { /* a shift id of another operator: cannot be ours */
        shift_clear(out);
        store_set_error(s, "open shift: id %s taken", sh->id);
        return STORE_ERROR;
    }
    store_set_error(s, "open shift: %s", strcmp(out->id, sh->id) == 0 ? "replayed" : "another shift is open");
    return strcmp(out->id, sh->id) == 0 ? STORE_REPLAY : STORE_CONFLICT;
}

/* ---- drops and paid-outs -------------------------------------------------------------------------- */

store_status store_shift_move(store *s, const char *id, const journal_who *who, bool drop, const char *currency,
                              int64_t cents, const char *note, shift *out)
{
    memset(out, 0, sizeof *out);
    for (int round = 0; round < SHIFT_LINK_ROUNDS; round++) {
        store_shift_link_backoff((unsigned)round);
        shift_link l = { .shift_id = id, .sub = who->sub, .currency = currency };
        shift_link_add(&l, drop ? SHIFT_C_DROPS : SHIFT_C_PAIDOUTS, cents, true);
        journal_entry e;
        journal_entry_init(&e, drop ? "shift.drop" : "shift.paidout", who, NULL);
        e.currency = currency;
        e.has_amount = true;
        e.amount_cents = cents;
        e.detail = note;
        store_status st = store_shift_link_read(s, &l, &e);
        if (st != STORE_OK)
            return st;
        cJSON *req = cJSON_CreateObject();
        cJSON *items = req ? cJSON_AddArrayToObject(req, "TransactItems") : NULL;
        bool built = items && store_shift_link_update(s, items, &l) && store_journal_put(s, items, &e);
        ddb_error err;
        bool cancelled;
        st = store_transact(s, req, built, &err, &cancelled);
        if (st == STORE_OK) {
            st = store_shift_get(s, id, out);
            return st == STORE_NOT_FOUND ? STORE_ERROR : st;
        }
        if (!cancelled)
            return st;
        if (!store_txn_failed(&err, 0))
            return store_from_ddb(s, "TransactWriteItems", &err);
        /* the shift moved on (or closed): read it again */
    }
    store_set_error(s, "shift %s: too many changes at once", id);
    return STORE_UNAVAILABLE;
}

/* ---- close ----------------------------------------------------------------------------------------- */

/* The last Z number given: 0 when none yet. 0, or -1 (*st). */
static int last_z(store *s, long long *last, store_status *st)
{
    *last = 0;
    cJSON *item;
    int r = store_get_item(s, store_table(s, STORE_T_SHIFTS), ZCOUNTER_ID, &item, st);
    if (r < 0)
        return -1;
    if (r == 0) {
        const char *n = ddb_attr_n(item, "last");
        *last = n ? atoll(n) : 0;
        cJSON_Delete(item);
    }
    return 0;
}

static cJSON *close_request(store *s, const shift *sh, const shift *closed, long long prev_z, const journal_entry *e)
{
    cJSON *req = cJSON_CreateObject();
    cJSON *items = req ? cJSON_AddArrayToObject(req, "TransactItems") : NULL;
    cJSON *n, *v, *o;
    if (!items)
        goto fail;
    /* [0] the shift */
    char expr[1024];
    int w = snprintf(expr, sizeof expr, "SET #st = :closed, #ca = :ca, #z = :z, #hash = :hash, #chain = :hash, "
                                        "#n = :n1%s%s", closed->note ? ", #note = :note" : "",
                     closed->close_key[0] ? ", #key = :key" : "");
    if (!(o = op_of(items, "Update", store_table(s, STORE_T_SHIFTS), &n, &v)) || !key_s(o, "id", sh->id) ||
        !cJSON_AddStringToObject(o, "ConditionExpression", "#st = :open AND #op = :sub AND #n = :n") ||
        !nm(n, "#st", "status") || !nm(n, "#ca", "closedAt") || !nm(n, "#z", "z") || !nm(n, "#hash", "hash") ||
        !nm(n, "#chain", "chain") || !nm(n, "#n", "entries") || !nm(n, "#op", "operatorSub") ||
        !ddb_attr_add(v, ":closed", "S", "closed") || !ddb_attr_add(v, ":open", "S", "open") ||
        !ddb_attr_add(v, ":ca", "S", closed->closed_at) || !add_n(v, ":z", closed->z) ||
        !ddb_attr_add(v, ":hash", "S", closed->hash) || !add_n(v, ":n", sh->entries) ||
        !add_n(v, ":n1", closed->entries) || !ddb_attr_add(v, ":sub", "S", sh->operator_sub) ||
        (closed->note && (!nm(n, "#note", "note") || !ddb_attr_add(v, ":note", "S", closed->note))) ||
        (closed->close_key[0] && (!nm(n, "#key", "closeKey") || !ddb_attr_add(v, ":key", "S", closed->close_key))))
        goto fail;
    for (int i = 0; i < closed->n_cur; i++) {
        char nn[16], vn[16], attr[32];
        snprintf(nn, sizeof nn, "#c%d", i);
        snprintf(vn, sizeof vn, ":c%d", i);
        shift_counter_attr(SHIFT_C_COUNTED, closed->cur[i].currency, attr);
        w += snprintf(expr + w, sizeof expr - (size_t)w, ", %s = %s", nn, vn);
        if (!nm(n, nn, attr) || !store_txn_add_money(v, vn, closed->cur[i].counted))
            goto fail;
    }
    if (w <= 0 || (size_t)w >= sizeof expr || !cJSON_AddStringToObject(o, "UpdateExpression", expr))
        goto fail;
    /* [1] the Z counter */
    if (!(o = op_of(items, "Update", store_table(s, STORE_T_SHIFTS), &n, &v)) || !key_s(o, "id", ZCOUNTER_ID) ||
        !cJSON_AddStringToObject(o, "UpdateExpression", "SET #last = :z") ||
        !cJSON_AddStringToObject(o, "ConditionExpression",
                                 prev_z ? "#last = :prev" : "attribute_not_exists(#last)") ||
        !nm(n, "#last", "last") || !add_n(v, ":z", closed->z) || (prev_z && !add_n(v, ":prev", prev_z)))
        goto fail;
    /* [2] the operator: no open shift any more (and not disabled) */
    if (!(o = op_of(items, "Update", store_table(s, STORE_T_OPERATORS), &n, &v)) || !key_s(o, "sub", sh->operator_sub) ||
        !cJSON_AddStringToObject(o, "UpdateExpression", "REMOVE #open") ||
        !cJSON_AddStringToObject(o, "ConditionExpression", "attribute_not_exists(#dis) OR #dis = :f") ||
        !nm(n, "#open", "openShiftId") || !nm(n, "#dis", "disabled") ||
        !cJSON_AddItemToObject(cJSON_AddObjectToObject(v, ":f"), "BOOL", cJSON_CreateFalse()))
        goto fail;
    /* [3] the journal entry */
    if (!store_journal_put(s, items, e))
        goto fail;
    return req;
fail:
    cJSON_Delete(req);
    return NULL;
}

store_status store_shift_close(store *s, const shift *sh, const journal_who *who, const int64_t *counted,
                               const char *note, const char *close_key, shift *out)
{
    memset(out, 0, sizeof *out);
    if (!store_tables_set(s, STORE_NEED_SHIFTS | STORE_NEED_OPERATORS | STORE_NEED_JOURNAL, "close shift"))
        return STORE_ERROR;
    shift closed = *sh; /* note is replaced below: sh keeps its own */
    closed.note = NULL;
    closed.open = false;
    closed.entries = sh->entries + 1;
    snprintf(closed.close_key, sizeof closed.close_key, "%s", close_key ? close_key : "");
    for (int i = 0; i < closed.n_cur; i++) {
        closed.cur[i].has_counted = true;
        closed.cur[i].counted = counted[i];
    }
    closed.note = note ? strdup(note) : NULL;
    if (note && !closed.note) {
        store_set_error(s, "close shift: out of memory");
        return STORE_ERROR;
    }
    store_status st = STORE_UNAVAILABLE;
    for (int round = 0; round < SHIFT_LINK_ROUNDS; round++) {
        store_shift_link_backoff((unsigned)round);
        long long prev;
        if (last_z(s, &prev, &st) != 0)
            break;
        closed.z = prev + 1;
        bo_clock_iso_ms(bo_clock_wall_ms(), closed.closed_at);
        journal_entry e;
        journal_entry_init(&e, "shift.closed", who, closed.closed_at);
        char detail[SHIFT_CUR_MAX * 48 + 16];
        size_t w = (size_t)snprintf(detail, sizeof detail, "Z %lld: counted", closed.z);
        for (int i = 0; i < closed.n_cur && w < sizeof detail; i++) {
            char m[BO_MONEY_BUF + 1], d[BO_MONEY_BUF + 1];
            money_text(closed.cur[i].counted, m);
            money_text(closed.cur[i].counted - shift_expected_cash(&closed.cur[i]), d);
            w += (size_t)snprintf(detail + w, sizeof detail - w, "%s %s %s (difference %s)", i ? "," : "",
                                  closed.cur[i].currency, m, d);
        }
        e.terminal = sh->terminal;
        e.shift_id = sh->id;
        e.seq = closed.entries;
        e.currency = closed.cur[0].currency;
        e.has_amount = true;
        e.amount_cents = closed.cur[0].counted;
        e.has_count = true;
        e.count = closed.z;
        e.detail = detail;
        bo_jfields f;
        char amount[BO_MONEY_BUF + 1];
        journal_entry_fields(&e, &f, amount);
        if (bo_jhash_step(sh->chain, &f, closed.hash) != 0) {
            store_set_error(s, "close shift: the journal line could not be hashed");
            st = STORE_ERROR;
            break;
        }
        memcpy(closed.chain, closed.hash, sizeof closed.chain);
        ddb_error err;
        bool cancelled;
        st = store_transact(s, close_request(s, sh, &closed, prev, &e), true, &err, &cancelled);
        if (st == STORE_OK) {
            *out = closed;
            return STORE_OK;
        }
        if (!cancelled)
            break;
        if (store_txn_failed(&err, 0)) {
            store_set_error(s, "close shift %s: the shift changed", sh->id);
            st = STORE_CONFLICT;
            break;
        }
        if (store_txn_failed(&err, 2)) {
            store_set_error(s, "close shift: operator is disabled");
            st = STORE_OPERATOR_DISABLED;
            break;
        }
        if (!store_txn_failed(&err, 1)) {
            st = store_from_ddb(s, "TransactWriteItems", &err);
            break;
        }
        st = STORE_UNAVAILABLE; /* another close took the number: take the next */
    }
    free(closed.note);
    return st;
}

/* ---- the day sheet --------------------------------------------------------------------------------- */

store_status store_shift_day(store *s, const char *day, shift **list, int *n)
{
    *list = NULL;
    *n = 0;
    if (!store_tables_set(s, STORE_NEED_SHIFTS, "day sheet"))
        return STORE_ERROR;
    cJSON *names = cJSON_CreateObject(), *values = cJSON_CreateObject(), *start = NULL;
    store_status st = STORE_OK;
    if (!names || !values || !nm(names, "#d", "day") || !ddb_attr_add(values, ":d", "S", day)) {
        store_set_error(s, "day sheet: out of memory");
        st = STORE_ERROR;
    }
    int cap = 0;
    while (st == STORE_OK) {
        ddb_query q = { .table = store_table(s, STORE_T_SHIFTS), .index = "byDay", .key_condition = "#d = :d",
                        .names = names, .values = values, .start_key = start, .forward = true };
        cJSON *items = NULL, *last = NULL;
        ddb_error e;
        ddb_status ds = ddb_query_page(store_ddb(s), &q, &items, &last, &e);
        cJSON_Delete(start);
        start = NULL;
        if (ds != DDB_OK) {
            st = store_from_ddb(s, "Query", &e);
            break;
        }
        const cJSON *it;
        cJSON_ArrayForEach(it, items) {
            if (*n == cap) {
                int nc = cap ? cap * 2 : 8;
                shift *grown = realloc(*list, (size_t)nc * sizeof *grown);
                if (!grown) {
                    store_set_error(s, "day sheet: out of memory");
                    st = STORE_ERROR;
                    break;
                }
                *list = grown;
                cap = nc;
            }
            const char *id = ddb_attr_s(it, "id");
            st = from_item(s, it, id ? id : "?", &(*list)[*n]);
            if (st != STORE_OK)
                break;
            (*n)++;
        }
        cJSON_Delete(items);
        if (st != STORE_OK || !last) {
            cJSON_Delete(last);
            break;
        }
        start = last;
    }
    cJSON_Delete(start);
    cJSON_Delete(names);
    cJSON_Delete(values);
    if (st != STORE_OK) {
        for (int i = 0; i < *n; i++)
            shift_clear(&(*list)[i]);
        free(*list);
        *list = NULL;
        *n = 0;
    }
    return st;
}
