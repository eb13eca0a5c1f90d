/* The journal's entries and the shift step of a change's transaction (see store_journal.h). */
#include "store_journal.h"

#include "bo_backoff.h"
#include "bo_clock.h"
#include "ddb.h"
#include "ddb_attr.h"
#include "layout.h"
#include "store_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uuid/uuid.h>


void journal_entry_init(journal_entry *e, const char *type, const journal_who *who, const char *at)
{
    memset(e, 0, sizeof *e);
    e->bucket = layout_journal_bucket(store_rnd());
    uuid_t u;
    uuid_generate_random(u);
    uuid_unparse_lower(u, e->id);
    if (at)
        snprintf(e->at, sizeof e->at, "%s", at);
    else
        bo_clock_iso_ms(bo_clock_wall_ms(), e->at);
    e->type = type;
    if (who)
        e->who = *who;
}

static void amount_text(const journal_entry *e, char *out)
{
    out[0] = '\0';
    if (!e->has_amount)
        return;
    int64_t a = e->amount_cents < 0 ? -e->amount_cents : e->amount_cents;
    snprintf(out, BO_MONEY_BUF + 1, "%s%lld.%02lld", e->amount_cents < 0 ? "-" : "", (long long)(a / 100),
             (long long)(a % 100));
}

void journal_entry_fields(const journal_entry *e, bo_jfields *f, char *amount)
{
    amount_text(e, amount);
    *f = (bo_jfields){ .seq = e->seq, .id = e->id, .at = e->at, .type = e->type, .operator_sub = e->who.sub,
                       .terminal = e->terminal, .shift_id = e->shift_id, .concert_id = e->concert_id,
                       .order_id = e->order_id, .currency = e->currency, .amount = e->has_amount ? amount : NULL,
                       .has_count = e->has_count, .count = e->count };
}

static bool add_n(cJSON *obj, const char *name, long long v)
{
    char n[24];
    snprintf(n, sizeof n, "%lld", v);
    return ddb_attr_add(obj, name, "N", n);
}

static bool add_opt(cJSON *obj, const char *name, const char *v)
{
    return !v || !*v || ddb_attr_add(obj, name, "S", v);
}

/* name: value as it is for bucket 0, "value#b" for b > 0. */
static bool add_bucketed(cJSON *obj, const char *name, const char *value, int b)
{
    if (b == 0)
        return ddb_attr_add(obj, name, "S", value);
    size_t size = strlen(value) + 8;
    char *text = malloc(size);
    bool ok = text && snprintf(text, size, "%s#%d", value, b) > 0 && ddb_attr_add(obj, name, "S", text);
    free(text);
    return ok;
}

bool store_journal_put(store *s, cJSON *items, const journal_entry *e)
{
    if (e->bucket < 0 || e->bucket >= LAYOUT_JOURNAL_BUCKETS)
        return false;
    cJSON *it = store_txn_add_new_put(items, store_table(s, STORE_T_JOURNAL), "sk");
    if (!it)
        return false;
    char day[11], sk[80], amount[BO_MONEY_BUF + 1];
    snprintf(day, sizeof day, "%.10s", e->at);
    snprintf(sk, sizeof sk, "%s#%s", e->at, e->id);
    amount_text(e, amount);
    if (!add_bucketed(it, "day", day, e->bucket) || (e->bucket > 0 && !add_n(it, "bucket", e->bucket)) ||
        !ddb_attr_add(it, "sk", "S", sk) || !ddb_attr_add(it, "id", "S", e->id) ||
        !ddb_attr_add(it, "at", "S", e->at) || !ddb_attr_add(it, "type", "S", e->type) ||
        !ddb_attr_add(it, "detail", "S", e->detail ? e->detail : "") || !add_opt(it, "operatorSub", e->who.sub) ||
        (e->who.sub && !add_opt(it, "operatorName", e->who.name)) || !add_opt(it, "terminal", e->terminal) ||
        !add_opt(it, "shiftId", e->shift_id) || (e->seq > 0 && !add_n(it, "seq", e->seq)) ||
        (e->concert_id && *e->concert_id && !add_bucketed(it, "concertId", e->concert_id, e->bucket)) ||
        !add_opt(it, "orderId", e->order_id) ||
        !add_opt(it, "currency", e->currency) || (e->has_amount && !ddb_attr_add(it, "amount", "N", amount)) ||
        (e->has_count && !add_n(it, "count", e->count)))
        return false;
    if (e->n_tickets > 0) {
        cJSON *av = cJSON_AddObjectToObject(it, "ticketIds");
        cJSON *l = av ? cJSON_AddArrayToObject(av, "L") : NULL;
        if (!l)
            return false;
        for (int i = 0; i < e->n_tickets; i++) {
            cJSON *one = cJSON_CreateObject();
            if (!one || !cJSON_AddItemToArray(l, one)) {
                cJSON_Delete(one);
                return false;
            }
            if (!cJSON_AddStringToObject(one, "S", e->ticket_ids[i]))
                return false;
        }
    }
    return true;
}

/* ---- the shift step -------------------------------------------------------------------------- */

void store_shift_link_backoff(unsigned round)
{
    if (round == 0)
        return;
    bo_sleep_ms(bo_backoff_full_jitter(round, 5, 80, store_rnd()));
}

void shift_counter_attr(const char *counter, const char *currency, char out[32])
{
    snprintf(out, 32, "%s_%s", counter, currency ? currency : "");
}

bool shift_link_add(shift_link *l, const char *counter, int64_t value, bool money)
{
    if (l->n_add >= JOURNAL_LINK_ADDS)
        return false;
    l->add[l->n_add].counter = counter;
    l->add[l->n_add].value = value;
    l->add[l->n_add].money = money;
    l->n_add++;
    return true;
}

store_status store_shift_link_read(store *s, shift_link *l, journal_entry *e)
{
    if (!store_tables_set(s, STORE_NEED_SHIFTS | STORE_NEED_JOURNAL, "shift"))
        return STORE_ERROR;
    if (!l->shift_id || !*l->shift_id || strlen(l->shift_id) > STORE_ID_MAX) {
        store_set_error(s, "shift: no such shift");
        return STORE_SHIFT_NOT_OPEN;
    }
    cJSON *item;
    store_status st;
    int r = store_get_item(s, store_table(s, STORE_T_SHIFTS), l->shift_id, &item, &st);
    if (r < 0)
        return st;
    if (r == 1) {
        store_set_error(s, "shift %s: no such shift", l->shift_id);
        return STORE_SHIFT_NOT_OPEN;
    }
    const char *status = ddb_attr_s(item, "status"), *owner = ddb_attr_s(item, "operatorSub");
    const char *term = ddb_attr_s(item, "terminal"), *chain = ddb_attr_s(item, "chain");
    const char *entries = ddb_attr_n(item, "entries");
    st = STORE_OK;
    if (!status || !owner || !term || !chain || strlen(chain) != BO_JHASH_HEX - 1 || !entries) {
        store_set_error(s, "shift %s stored malformed", l->shift_id);
        st = STORE_ERROR;
    } else if (strcmp(status, "open") != 0) {
        store_set_error(s, "shift %s is %s", l->shift_id, status);
        st = STORE_SHIFT_NOT_OPEN;
    } else if (!l->sub || strcmp(owner, l->sub) != 0) {
        store_set_error(s, "shift %s belongs to another operator", l->shift_id);
        st = STORE_SHIFT_NOT_YOURS;
    } else if (l->terminal && strcmp(term, l->terminal) != 0) {
        store_set_error(s, "shift %s is open at another terminal", l->shift_id);
        st = STORE_SHIFT_TERMINAL;
    } else {
        snprintf(l->terminal_buf, sizeof l->terminal_buf, "%s", term);
        l->terminal = l->terminal_buf;
        l->entries = atoll(entries);
        memcpy(l->chain, chain, BO_JHASH_HEX);
    }
    cJSON_Delete(item);
    if (st != STORE_OK)
        return st;
    e->shift_id = l->shift_id;
    e->terminal = l->terminal;
    e->seq = l->entries + 1;
    bo_jfields f;
    char amount[BO_MONEY_BUF + 1];
    journal_entry_fields(e, &f, amount);
    if (bo_jhash_step(l->chain, &f, l->next_chain) != 0) {
        store_set_error(s, "shift %s: the journal line could not be hashed", l->shift_id);
        return STORE_ERROR;
    }
    return STORE_OK;
}

bool store_shift_link_update(store *s, cJSON *items, const shift_link *l)
{
    cJSON *wrap = cJSON_CreateObject();
    if (!wrap || !cJSON_AddItemToArray(items, wrap)) {
        cJSON_Delete(wrap);
        return false;
    }
    cJSON *upd = cJSON_AddObjectToObject(wrap, "Update");
    cJSON *key = upd ? cJSON_AddObjectToObject(upd, "Key") : NULL;
    cJSON *names = upd ? cJSON_AddObjectToObject(upd, "ExpressionAttributeNames") : NULL;
    cJSON *values = upd ? cJSON_AddObjectToObject(upd, "ExpressionAttributeValues") : NULL;
    if (!key || !names || !values || !cJSON_AddStringToObject(upd, "TableName", store_table(s, STORE_T_SHIFTS)) ||
        !ddb_attr_add(key, "id", "S", l->shift_id) ||
        !cJSON_AddStringToObject(upd, "ConditionExpression",
                                 "#st = :open AND #op = :sub AND #term = :term AND #n = :n") ||
        !cJSON_AddStringToObject(names, "#st", "status") || !cJSON_AddStringToObject(names, "#op", "operatorSub") ||
        !cJSON_AddStringToObject(names, "#term", "terminal") || !cJSON_AddStringToObject(names, "#n", "entries") ||
        !cJSON_AddStringToObject(names, "#chain", "chain") || !ddb_attr_add(values, ":open", "S", "open") ||
        !ddb_attr_add(values, ":sub", "S", l->sub) || !ddb_attr_add(values, ":term", "S", l->terminal) ||
        !add_n(values, ":n", l->entries) || !add_n(values, ":n1", l->entries + 1) ||
        !ddb_attr_add(values, ":chain", "S", l->next_chain))
        return false;
    char expr[512];
    int w = snprintf(expr, sizeof expr, "SET #n = :n1, #chain = :chain");
    if (l->n_add > 0 && l->currency) {
        w += snprintf(expr + w, sizeof expr - (size_t)w, " ADD #curs :cur");
        cJSON *ss = cJSON_AddObjectToObject(values, ":cur");
        cJSON *arr = ss ? cJSON_AddArrayToObject(ss, "SS") : NULL;
        cJSON *one = arr ? cJSON_CreateString(l->currency) : NULL;
        if (!one || !cJSON_AddItemToArray(arr, one)) {
            cJSON_Delete(one);
            return false;
        }
        if (!cJSON_AddStringToObject(names, "#curs", "currencies"))
            return false;
        for (int i = 0; i < l->n_add; i++) {
            char nm[16], vn[16], attr[32];
            snprintf(nm, sizeof nm, "#a%d", i);
            snprintf(vn, sizeof vn, ":a%d", i);
            shift_counter_attr(l->add[i].counter, l->currency, attr);
            w += snprintf(expr + w, sizeof expr - (size_t)w, ", %s %s", nm, vn);
            if (!cJSON_AddStringToObject(names, nm, attr) ||
                !(l->add[i].money ? store_txn_add_money(values, vn, l->add[i].value)
                                  : add_n(values, vn, (long long)l->add[i].value)))
                return false;
        }
    }
    return w > 0 && (size_t)w < sizeof expr && cJSON_AddStringToObject(upd, "UpdateExpression", expr);
}

/* ---- reading ------------------------------------------------------------------------------------- */

#include "bo_base64.h"
#include "ddb_query.h"

void journal_page_clear(journal_page *p)
{
    if (!p)
        return;
    for (int i = 0; i < p->n; i++) {
        free(p->rows[i].detail);
        for (int k = 0; k < p->rows[i].n_tickets; k++)
            free(p->rows[i].ticket_ids[k]);
        free(p->rows[i].ticket_ids);
    }
    free(p->rows);
    free(p->cursor);
    memset(p, 0, sizeof *p);
}

void journal_row_fields(const journal_row *r, bo_jfields *f, char *amount)
{
    amount[0] = '\0';
    if (r->has_amount) {
        int64_t a = r->amount_cents < 0 ? -r->amount_cents : r->amount_cents;
        snprintf(amount, BO_MONEY_BUF + 1, "%s%lld.%02lld", r->amount_cents < 0 ? "-" : "", (long long)(a / 100),
                 (long long)(a % 100));
    }
    *f = (bo_jfields){ .seq = r->seq, .id = r->id, .at = r->at, .type = r->type, .operator_sub = r->sub,
                       .terminal = r->terminal, .shift_id = r->shift_id, .concert_id = r->concert_id,
                       .order_id = r->order_id, .currency = r->currency, .amount = r->has_amount ? amount : NULL,
                       .has_count = r->has_count, .count = r->count };
}

static bool copy_opt(char *dst, size_t size, const char *src)
{
    dst[0] = '\0';
    if (!src)
        return true;
    if (strlen(src) >= size)
        return false;
    memcpy(dst, src, strlen(src) + 1);
    return true;
}

/* The entry's bucket (its bucket attribute; absent: 0, as every entry written before buckets). -1 when it is
 * not a whole number in 0..LAYOUT_JOURNAL_BUCKETS-1. */
static int bucket_of(const cJSON *it)
{
    const char *b = ddb_attr_n(it, "bucket");
    if (!b)
        return ddb_attr_s(it, "bucket") ? -1 : 0;
    char *end;
    long v = strtol(b, &end, 10);
    return *b && !*end && v >= 0 && v < LAYOUT_JOURNAL_BUCKETS ? (int)v : -1;
}

/* The concert id stored as concertId, its "#<bucket>" suffix dropped when the bucket is > 0 (and only then: an id
 * written by others may hold a '#'), into dst (size bytes). false when bucketed without that suffix or too long. */
static bool copy_concert(char *dst, size_t size, const char *stored, int bucket)
{
    if (!stored || bucket == 0)
        return copy_opt(dst, size, stored);
    char suffix[8];
    int sn = snprintf(suffix, sizeof suffix, "#%d", bucket);
    size_t n = strlen(stored);
    if (sn < 2 || n <= (size_t)sn || strcmp(stored + n - (size_t)sn, suffix) != 0 || n - (size_t)sn >= size)
        return false;
    memcpy(dst, stored, n - (size_t)sn);
    dst[n - (size_t)sn] = '\0';
    return true;
}

/* An item into *r: 0, -1 malformed, -2 out of memory (*r zeroed unless 0). */
static int row_from_item(const cJSON *it, journal_row *r)
{
    memset(r, 0, sizeof *r);
    const char *amount = ddb_attr_n(it, "amount"), *count = ddb_attr_n(it, "count"), *seq = ddb_attr_n(it, "seq");
    const char *detail = ddb_attr_s(it, "detail");
    int bucket = bucket_of(it);
    if (bucket < 0 || !ddb_attr_s(it, "id") || !ddb_attr_s(it, "at") || !ddb_attr_s(it, "type") ||
        !copy_opt(r->id, sizeof r->id, ddb_attr_s(it, "id")) || !copy_opt(r->at, sizeof r->at, ddb_attr_s(it, "at")) ||
        !copy_opt(r->type, sizeof r->type, ddb_attr_s(it, "type")) ||
        !copy_opt(r->sub, sizeof r->sub, ddb_attr_s(it, "operatorSub")) ||
        !copy_opt(r->name, sizeof r->name, ddb_attr_s(it, "operatorName")) ||
        !copy_opt(r->terminal, sizeof r->terminal, ddb_attr_s(it, "terminal")) ||
        !copy_opt(r->shift_id, sizeof r->shift_id, ddb_attr_s(it, "shiftId")) ||
        !copy_concert(r->concert_id, sizeof r->concert_id, ddb_attr_s(it, "concertId"), bucket) ||
        !copy_opt(r->order_id, sizeof r->order_id, ddb_attr_s(it, "orderId")) ||
        !copy_opt(r->currency, sizeof r->currency, ddb_attr_s(it, "currency")))
        return -1;
    bool neg;
    if (amount) {
        if (ddb_number_scaled(amount, 2, &r->amount_cents, &neg) != 0)
            return -1;
        if (neg && r->amount_cents > 0)
            r->amount_cents = -r->amount_cents;
        r->has_amount = true;
    }
    r->has_count = count != NULL;
    r->count = count ? atoll(count) : 0;
    r->seq = seq ? atoll(seq) : 0;
    if (!(r->detail = strdup(detail ? detail : "")))
        return -2;
    const cJSON *ids = ddb_attr_l(it, "ticketIds");
    int n = ids ? cJSON_GetArraySize(ids) : 0;
    if (ids && !(r->ticket_ids = calloc((size_t)(n ? n : 1), sizeof *r->ticket_ids))) {
        free(r->detail);
        r->detail = NULL;
        return -2;
    }
    for (int i = 0; i < n; i++) {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(ids, i), "S");
        if (!cJSON_IsString(id) || !(r->ticket_ids[i] = strdup(id->valuestring))) {
            bool oom = cJSON_IsString(id);
            for (int k = 0; k < i; k++)
                free(r->ticket_ids[k]);
            free(r->ticket_ids);
            free(r->detail);
            memset(r, 0, sizeof *r);
            return oom ? -2 : -1;
        }
        r->n_tickets = i + 1;
    }
    return 0;
}

/* The cursor: base64 of the LastEvaluatedKey's JSON text. */
static char *cursor_of(const cJSON *last)
{
    char *text = cJSON_PrintUnformatted(last);
    char *c = text ? bo_base64_encode(text, strlen(text)) : NULL;
    free(text);
    return c;
}

/* A cursor back into a key: an object of {"S"} / {"N"} values only. NULL when it is not one of ours. */
static cJSON *cursor_key(const char *cursor)
{
    size_t len;
    bool big;
    char *text = bo_base64_decode(cursor, strlen(cursor), 4096, &len, &big);
    cJSON *k = text ? cJSON_ParseWithLength(text, len) : NULL;
    free(text);
    if (!cJSON_IsObject(k) || !cJSON_GetArraySize(k))
        goto bad;
    const cJSON *v;
    cJSON_ArrayForEach(v, k) {
        const cJSON *sv = cJSON_GetObjectItemCaseSensitive(v, "S"), *nv = cJSON_GetObjectItemCaseSensitive(v, "N");
        if (!cJSON_IsObject(v) || cJSON_GetArraySize(v) != 1 || !(cJSON_IsString(sv) || cJSON_IsString(nv)))
            goto bad;
    }
    return k;
bad:
    cJSON_Delete(k);
    return NULL;
}

/* ---- by day and by concert: the J buckets merged by sk ------------------------------------------------ */

#define JOURNAL_BUCKET_PAGES 10 /* Query pages per bucket and page of the journal (more only past 1 MB answers) */

/* The sk a merged read goes on after, from a cursor: {attr: key, "sk": sk}, and for byConcert also
 * {"concertId", "day", "sk"} (its LastEvaluatedKey before buckets). A new string, NULL when refused. */
static char *cursor_after(const char *cursor, const char *attr, const char *key, bool by_concert)
{
    cJSON *k = cursor_key(cursor);
    if (!k)
        return NULL;
    const char *v = ddb_attr_s(k, attr), *sk = ddb_attr_s(k, "sk");
    int want = 2 + (by_concert && ddb_attr_s(k, "day") ? 1 : 0);
    char *after = v && sk && *sk && strcmp(v, key) == 0 && cJSON_GetArraySize(k) == want ? strdup(sk) : NULL;
    cJSON_Delete(k);
    return after;
}

/* The cursor of a merged read: base64 of {attr: key, "sk": sk}. NULL when out of memory. */
static char *cursor_at(const char *attr, const char *key, const char *sk)
{
    cJSON *k = cJSON_CreateObject();
    char *c = k && ddb_attr_add(k, attr, "S", key) && ddb_attr_add(k, "sk", "S", sk) ? cursor_of(k) : NULL;
    cJSON_Delete(k);
    return c;
}

typedef struct merge_item {
    const cJSON *item; /* borrowed from the answers held */
    const char *sk;
} merge_item;

static int merge_cmp(const void *a, const void *b)
{
    return strcmp(((const merge_item *)a)->sk, ((const merge_item *)b)->sk);
}

/* Up to limit entries of key's J partitions (a day's in the table, a concert's in byConcert) after `after`
 * (NULL: from the start), each bucket read up to limit entries or its end, merged by sk. A bucket cut short
 * before limit (DynamoDB's 1 MB, JOURNAL_BUCKET_PAGES reached) bounds the page at its last key read, so that
 * nothing of it is skipped. */
static store_status page_merged(store *s, journal_by by, const char *key, int limit, const char *cursor,
                                journal_page *out)
{
    bool by_concert = by == JOURNAL_BY_CONCERT;
    const char *attr = by_concert ? "concertId" : "day";
    char *after = NULL, *frontier = NULL, *bkey = NULL;
    if (cursor && !(after = cursor_after(cursor, attr, key, by_concert))) {
        store_set_error(s, "journal: not a cursor of this query");
        return STORE_NOT_FOUND;
    }
    store_status st = STORE_OK;
    merge_item *all = NULL;
    size_t n_all = 0, cap = 0, take = 0, bkey_size = strlen(key) + 8;
    const char *last_sk;
    bool more = false;
    cJSON *names = cJSON_CreateObject(), *values = cJSON_CreateObject(), *held = cJSON_CreateArray();
    if (!names || !values || !held || !(bkey = malloc(bkey_size)) || !cJSON_AddStringToObject(names, "#k", attr) ||
        (after && (!cJSON_AddStringToObject(names, "#s", "sk") || !ddb_attr_add(values, ":a", "S", after))))
        goto oom;
    for (int b = 0; b < LAYOUT_JOURNAL_BUCKETS; b++) {
        if (b == 0)
            snprintf(bkey, bkey_size, "%s", key);
        else
            snprintf(bkey, bkey_size, "%s#%d", key, b);
        cJSON_DeleteItemFromObjectCaseSensitive(values, ":k");
        if (!ddb_attr_add(values, ":k", "S", bkey))
            goto oom;
        cJSON *start = NULL;
        int got = 0;
        for (int pages = 0; pages < JOURNAL_BUCKET_PAGES && got < limit; pages++) {
            ddb_query q = { .table = store_table(s, STORE_T_JOURNAL), .index = by_concert ? "byConcert" : NULL,
                            .key_condition = after ? "#k = :k AND #s > :a" : "#k = :k", .names = names,
                            .values = values, .limit = limit - got, .start_key = start, .forward = true,
                            .consistent = !by_concert };
            cJSON *items = NULL, *last = NULL;
            ddb_error e;
            ddb_status ds = ddb_query_page(store_ddb(s), &q, &items, &last, &e);
            cJSON_Delete(start);
            start = NULL;
            if (ds != DDB_OK) {
                st = store_from_ddb(s, "Query", &e);
                goto done;
            }
            if (!cJSON_AddItemToArray(held, items)) {
                cJSON_Delete(items);
                cJSON_Delete(last);
                goto oom;
            }
            const cJSON *it;
            cJSON_ArrayForEach(it, items) {
                const char *sk = ddb_attr_s(it, "sk");
                if (!sk)
                    continue; /* not an entry: no place in the order */
                if (n_all == cap) {
                    size_t nc = cap ? cap * 2 : 64;
                    merge_item *grown = realloc(all, nc * sizeof *grown);
                    if (!grown) {
                        cJSON_Delete(last);
                        goto oom;
                    }
                    all = grown;
                    cap = nc;
                }
                all[n_all++] = (merge_item){ .item = it, .sk = sk };
                got++;
            }
            start = last;
            if (!last)
                break;
        }
        if (start) { /* more in this bucket */
            more = true;
            const char *sk = ddb_attr_s(start, "sk");
            if (!sk) {
                cJSON_Delete(start);
                store_set_error(s, "journal: a LastEvaluatedKey without sk");
                st = STORE_ERROR;
                goto done;
            }
            if (got < limit && (!frontier || strcmp(sk, frontier) < 0)) {
                free(frontier);
                if (!(frontier = strdup(sk))) {
                    cJSON_Delete(start);
                    goto oom;
                }
            }
            cJSON_Delete(start);
        }
    }
    if (n_all > 1)
        qsort(all, n_all, sizeof *all, merge_cmp);
    while (take < n_all && take < (size_t)limit && (!frontier || strcmp(all[take].sk, frontier) <= 0))
        take++;
    if (!(out->rows = calloc(take ? take : 1, sizeof *out->rows)))
        goto oom;
    for (size_t i = 0; i < take; i++) {
        int r = row_from_item(all[i].item, &out->rows[out->n]);
        if (r == -2)
            goto oom;
        if (r == 0)
            out->n++;
    }
    last_sk = take ? all[take - 1].sk : frontier;
    if ((more || take < n_all) && last_sk && !(out->cursor = cursor_at(attr, key, last_sk)))
        goto oom;
    goto done;
oom:
    store_set_error(s, "journal: out of memory");
    st = STORE_ERROR;
done:
    free(all);
    free(after);
    free(frontier);
    free(bkey);
    cJSON_Delete(held);
    cJSON_Delete(names);
    cJSON_Delete(values);
    if (st != STORE_OK)
        journal_page_clear(out);
    return st;
}

/* ---- by operator and by shift: one index, paged by its LastEvaluatedKey ------------------------------- */

static store_status page_single(store *s, journal_by by, const char *key, const char *day, int limit,
                                const char *cursor, journal_page *out)
{
    cJSON *start = NULL;
    if (cursor && !(start = cursor_key(cursor))) {
        store_set_error(s, "journal: not a cursor");
        return STORE_NOT_FOUND;
    }
    static const char *const index[] = { NULL, "byOperator", "byConcert", "byShift" };
    static const char *const attr[] = { "day", "operatorSub", "concertId", "shiftId" };
    cJSON *names = cJSON_CreateObject(), *values = cJSON_CreateObject();
    bool with_day = by == JOURNAL_BY_OPERATOR && day;
    store_status st = STORE_OK;
    if (!names || !values || !cJSON_AddStringToObject(names, "#k", attr[by]) || !ddb_attr_add(values, ":k", "S", key) ||
        (with_day && (!cJSON_AddStringToObject(names, "#s", "sk") || !ddb_attr_add(values, ":d", "S", day)))) {
        store_set_error(s, "journal: out of memory");
        st = STORE_ERROR;
        goto done;
    }
    if (!(out->rows = calloc((size_t)limit, sizeof *out->rows))) {
        store_set_error(s, "journal: out of memory");
        st = STORE_ERROR;
        goto done;
    }
    for (int pages = 0; pages < 10 && out->n < limit; pages++) {
        ddb_query q = { .table = store_table(s, STORE_T_JOURNAL), .index = index[by],
                        .key_condition = with_day ? "#k = :k AND begins_with(#s, :d)" : "#k = :k", .names = names,
                        .values = values, .limit = limit - out->n, .start_key = start, .forward = true };
        cJSON *items = NULL, *last = NULL;
        ddb_error e;
        ddb_status ds = ddb_query_page(store_ddb(s), &q, &items, &last, &e);
        cJSON_Delete(start);
        start = NULL;
        if (ds != DDB_OK) {
            if (ds == DDB_ERR_VALIDATION && cursor) { /* a key of another query, or made up */
                store_set_ddb_error(s, "journal: cursor refused", &e);
                st = STORE_NOT_FOUND;
            } else {
                st = store_from_ddb(s, "Query", &e);
            }
            break;
        }
        const cJSON *it;
        cJSON_ArrayForEach(it, items) {
            if (out->n >= limit)
                break;
            int r = row_from_item(it, &out->rows[out->n]);
            if (r == -2) {
                store_set_error(s, "journal: out of memory");
                st = STORE_ERROR;
                break;
            }
            if (r == 0)
                out->n++;
        }
        cJSON_Delete(items);
        start = last;
        if (st != STORE_OK || !last)
            break;
    }
    if (st == STORE_OK && start && !(out->cursor = cursor_of(start))) {
        store_set_error(s, "journal: out of memory");
        st = STORE_ERROR;
    }
done:
    cJSON_Delete(start);
    cJSON_Delete(names);
    cJSON_Delete(values);
    if (st != STORE_OK)
        journal_page_clear(out);
    return st;
}

store_status store_journal_page(store *s, journal_by by, const char *key, const char *day, int limit,
                                const char *cursor, journal_page *out)
{
    memset(out, 0, sizeof *out);
    if (!store_tables_set(s, STORE_NEED_JOURNAL, "journal"))
        return STORE_ERROR;
    if (limit < 1 || limit > JOURNAL_LIMIT_MAX)
        limit = JOURNAL_LIMIT_MAX;
    if (by == JOURNAL_BY_DAY || by == JOURNAL_BY_CONCERT)
        return page_merged(s, by, key, limit, cursor, out);
    return page_single(s, by, key, day, limit, cursor, out);
}
