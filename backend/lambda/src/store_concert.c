/* Concerts on DynamoDB: the concert item codec shared with the Node.js reference ("Reading items" in
 * store.h: a malformed item is read with its problems) and the concert reads and writes (PutItem, GetItem,
 * the paged Scan). store_purchase.c and store_order.c read a concert before a sale through
 * store_concert_from_item (store_priv.h). */
#include "store.h"

#include "caller.h"

#include "bo_money.h"
#include "bo_text.h"
#include "bo_valid.h"
#include "bo_valid_order.h"
#include "ddb.h"
#include "ddb_attr.h"
#include "store_priv.h"
#include "store_journal.h"
#include "layout.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SCAN_PAGES 100000 /* a bound, far above any real table, against a server that loops */

/* ---- clearing -------------------------------------------------------------------------------- */
/* ---- clearing -------------------------------------------------------------------------------- */

void concert_clear(concert *c)
{
    if (!c)
        return;
    free(c->name);
    free(c->date);
    free(c->venue);
    free(c->raw_id);
    free(c->raw_tickets);
    free(c->raw_price);
    free(c->timezone);
    free(c->raw_capacity);
    free(c->raw_currency);
    free(c->raw_timezone);
    free(c->raw_max_per_order);
    free(c->raw_shards);
    memset(c, 0, sizeof *c);
}

void concert_list_clear(concert_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        concert_clear(&l->items[i]);
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

/* ---- reading concert items ------------------------------------------------------------------- */

/* One problem text per field and fault, "<field>: <what is wrong>" (static: concert.problems). */
#define TEXT_PROBLEMS(f)                                                                                   \
    {                                                                                                      \
        [BO_TEXT_REQUIRED] = f ": missing", [BO_TEXT_EMPTY] = f ": empty", [BO_TEXT_UTF8] = f ": not valid UTF-8", \
        [BO_TEXT_CONTROL] = f ": contains control characters",                                             \
        [BO_TEXT_BIDI] = f ": contains bidirectional control characters",                                  \
        [BO_TEXT_INVISIBLE] = f ": has no visible character",                                              \
    }
enum num_fault { NUM_OK, NUM_MISSING, NUM_NOT_NUMBER, NUM_NEGATIVE, NUM_TOO_BIG, NUM_INEXACT, NUM_COUNT };

static const struct text_field {
    const char *name;
    unsigned bit;
    size_t offset;
    const char *problem[BO_TEXT_LONG + 1];
    const char *not_string;
} text_fields[] = {
    { "name", STORE_F_NAME, offsetof(concert, name), TEXT_PROBLEMS("name"), "name: not a string" },
    { "date", STORE_F_DATE, offsetof(concert, date), TEXT_PROBLEMS("date"), "date: not a string" },
    { "venue", STORE_F_VENUE, offsetof(concert, venue), TEXT_PROBLEMS("venue"), "venue: not a string" },
};

static const char *const tickets_problem[NUM_COUNT] = {
    [NUM_MISSING] = "availableTickets: missing",
    [NUM_NOT_NUMBER] = "availableTickets: not a number",
    [NUM_NEGATIVE] = "availableTickets: negative",
    [NUM_TOO_BIG] = "availableTickets: more than 1000000",
    [NUM_INEXACT] = "availableTickets: not a whole number",
};
static const char *const price_problem[NUM_COUNT] = {
    [NUM_MISSING] = "ticketPrice: missing",
    [NUM_NOT_NUMBER] = "ticketPrice: not a number",
    [NUM_NEGATIVE] = "ticketPrice: negative",
    [NUM_TOO_BIG] = "ticketPrice: more than 1000000",
    [NUM_INEXACT] = "ticketPrice: more than 2 decimals",
};

/* A pooled concert one of whose counter shards cannot be read (another writer broke it): its seats are unknown. */
#define POOL_PROBLEM "availableTickets: a seat pool in the counters table is stored malformed"

static void add_problem(concert *c, unsigned bit, const char *text)
{
    c->bad |= bit;
    if (c->n_problems < STORE_PROBLEMS_MAX)
        c->problems[c->n_problems++] = text;
}

/* A date is shown as stored (its format is not judged), so only what cannot be shown is a fault. */
static bo_text_fault date_fault(const char *v)
{
    if (!bo_utf8_valid(v, strlen(v)))
        return BO_TEXT_UTF8;
    if (bo_text_has_control(v))
        return BO_TEXT_CONTROL;
    return bo_text_has_bidi_control(v) ? BO_TEXT_BIDI : BO_TEXT_OK;
}

/* Reads a text attribute into its field of c. -2 out of memory, else 0. */
static int read_text(const cJSON *item, const struct text_field *f, concert *c)
{
    char **dst = (char **)((char *)c + f->offset);
    const cJSON *av = cJSON_GetObjectItemCaseSensitive(item, f->name);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(av, "S");
    if (!av) {
        add_problem(c, f->bit, f->problem[BO_TEXT_REQUIRED]);
        return 0;
    }
    if (!cJSON_IsString(v)) {
        add_problem(c, f->bit, f->not_string);
        *dst = ddb_attr_text(av);
        return *dst ? 0 : -2;
    }
    bo_text_fault fault = f->bit == STORE_F_DATE ? date_fault(v->valuestring) : bo_valid_text_fault(v->valuestring);
    if (fault != BO_TEXT_OK && fault != BO_TEXT_LONG) /* long names are shown as stored */
        add_problem(c, f->bit, f->problem[fault]);
    *dst = strdup(v->valuestring);
    return *dst ? 0 : -2;
}

/* Reads a number attribute (N, or S holding a number) scaled by 10^scale, at most max.
 * *text: the stored text; *is_s: it was an S. */
static enum num_fault read_number(const cJSON *av, int scale, int64_t max, int64_t *out, const char **text, bool *is_s)
{
    *text = NULL;
    *is_s = false;
    if (!av)
        return NUM_MISSING;
    *text = ddb_attr_number_text(av, is_s);
    if (!*text)
        return NUM_NOT_NUMBER;
    bool neg;
    int r = ddb_number_scaled(*text, scale, out, &neg);
    if (r == -1)
        return NUM_NOT_NUMBER;
    if (neg)
        return NUM_NEGATIVE;
    if (r == -2 || (r == 0 && *out > max))
        return NUM_TOO_BIG;
    return r == -3 ? NUM_INEXACT : NUM_OK;
}

/* Reads a number field: the value into *value, or a problem and the stored text into *raw. -2 OOM. */
static int read_number_field(const cJSON *item, const char *name, int scale, int64_t max, unsigned bit,
                             const char *const problem[NUM_COUNT], concert *c, int64_t *value, char **raw,
                             const char **s_text)
{
    const cJSON *av = cJSON_GetObjectItemCaseSensitive(item, name);
    const char *text;
    bool is_s;
    enum num_fault f = read_number(av, scale, max, value, &text, &is_s);
    if (f == NUM_OK) {
        if (s_text && is_s)
            *s_text = text;
        return 0;
    }
    *value = 0;
    add_problem(c, bit, problem[f]);
    if (f == NUM_MISSING)
        return 0;
    *raw = text ? strdup(text) : ddb_attr_text(av);
    return *raw ? 0 : -2;
}

static const char *const capacity_problem[NUM_COUNT] = {
    [NUM_NOT_NUMBER] = "capacity: not a number",
    [NUM_NEGATIVE] = "capacity: negative",
    [NUM_TOO_BIG] = "capacity: more than 1000000",
    [NUM_INEXACT] = "capacity: not a whole number",
};
static const char *const max_problem[NUM_COUNT] = {
    [NUM_NOT_NUMBER] = "maxPerOrder: not a number",
    [NUM_NEGATIVE] = "maxPerOrder: not from 1 to 47",
    [NUM_TOO_BIG] = "maxPerOrder: not from 1 to 47",
    [NUM_INEXACT] = "maxPerOrder: not a whole number",
};

static const char *const shards_problem[NUM_COUNT] = {
    [NUM_NOT_NUMBER] = "shards: not a number",
    [NUM_NEGATIVE] = "shards: not from 1 to 64",
    [NUM_TOO_BIG] = "shards: not from 1 to 64",
    [NUM_INEXACT] = "shards: not a whole number",
};

/* An optional number field: absent is fine. -2 OOM, else 0. */
static int read_optional_number(const cJSON *item, const char *name, int64_t max, unsigned bit,
                                const char *const problem[NUM_COUNT], concert *c, bool *has, int64_t *value,
                                char **raw)
{
    if (!cJSON_GetObjectItemCaseSensitive(item, name))
        return 0;
    if (read_number_field(item, name, 0, max, bit, problem, c, value, raw, NULL) != 0)
        return -2;
    *has = !(c->bad & bit);
    return 0;
}

/* An optional string field checked by valid (NULL when fine): absent is fine. -2 OOM, else 0. */
static int read_optional_text(const cJSON *item, const char *name, const char *(*valid)(const char *),
                              unsigned bit, const char *problem, concert *c, char **value, char **raw)
{
    const cJSON *av = cJSON_GetObjectItemCaseSensitive(item, name);
    if (!av)
        return 0;
    const char *v = ddb_attr_s(item, name);
    char **dst = v && !valid(v) ? value : raw;
    if (dst == raw)
        add_problem(c, bit, problem);
    *dst = v ? strdup(v) : ddb_attr_text(av);
    return *dst ? 0 : -2;
}

/* capacity, currency, timezone, maxPerOrder: each optional, a problem when present and not valid. */
static int read_optional_fields(const cJSON *item, concert *c)
{
    char *currency = NULL;
    if (read_optional_number(item, "capacity", BO_TICKETS_MAX, STORE_F_CAPACITY, capacity_problem, c,
                             &c->has_capacity, &c->capacity, &c->raw_capacity) != 0 ||
        read_optional_text(item, "currency", bo_valid_currency, STORE_F_CURRENCY,
                           "currency: not three upper-case letters", c, &currency, &c->raw_currency) != 0 ||
        read_optional_text(item, "timezone", bo_valid_timezone, STORE_F_TIMEZONE, "timezone: not an IANA name", c,
                           &c->timezone, &c->raw_timezone) != 0 ||
        read_optional_number(item, "maxPerOrder", BO_ORDER_MAX_TICKETS, STORE_F_MAX_PER_ORDER, max_problem, c,
                             &c->has_max_per_order, &c->max_per_order, &c->raw_max_per_order) != 0 ||
        read_optional_number(item, "shards", LAYOUT_SHARDS, STORE_F_SHARDS, shards_problem, c, &c->has_shards,
                             &c->shards, &c->raw_shards) != 0)
        return -2;
    if (c->has_shards && c->shards < 1) {
        c->has_shards = false;
        add_problem(c, STORE_F_SHARDS, shards_problem[NUM_NEGATIVE]);
        c->raw_shards = strdup("0");
        if (!c->raw_shards)
            return -2;
    }
    if (currency)
        memcpy(c->currency, currency, 4); /* three letters and the NUL: checked */
    free(currency);
    if (c->has_max_per_order && c->max_per_order < 1) {
        c->has_max_per_order = false;
        add_problem(c, STORE_F_MAX_PER_ORDER, max_problem[NUM_NEGATIVE]);
        c->raw_max_per_order = strdup("0");
        if (!c->raw_max_per_order)
            return -2;
    }
    return 0;
}

/* Reads a concert item (see "Reading items" in store.h). 0 read (c->n_problems > 0 when it has
 * problems), -1 no string id (not a concert item; *out cleared), -2 out of memory (*out cleared).
 * seats_s (may be NULL) is set to the stored text when a valid availableTickets is an S (borrowed
 * from item), else NULL. */
int store_concert_from_item(const cJSON *item, concert *out, const char **seats_s)
{
    memset(out, 0, sizeof *out);
    if (seats_s)
        *seats_s = NULL;
    const char *id = ddb_attr_s(item, "id");
    if (!id)
        return -1;
    size_t id_len = strlen(id);
    if (id_len == 0 || id_len > STORE_ID_MAX) {
        add_problem(out, STORE_F_ID, id_len ? "id: longer than 128 bytes" : "id: empty");
        if (id_len && !(out->raw_id = strdup(id)))
            goto oom;
    } else {
        memcpy(out->id, id, id_len + 1);
        if (!bo_utf8_valid(id, id_len))
            add_problem(out, STORE_F_ID, "id: not valid UTF-8");
        else if (bo_text_has_control(id))
            add_problem(out, STORE_F_ID, "id: contains control characters");
    }
    for (size_t i = 0; i < sizeof text_fields / sizeof text_fields[0]; i++)
        if (read_text(item, &text_fields[i], out) != 0)
            goto oom;
    if (read_number_field(item, "availableTickets", 0, BO_TICKETS_MAX, STORE_F_TICKETS, tickets_problem, out,
                          &out->available_tickets, &out->raw_tickets, seats_s) != 0 ||
        read_number_field(item, "ticketPrice", 2, BO_PRICE_MAX_CENTS, STORE_F_PRICE, price_problem, out,
                          &out->price_cents, &out->raw_price, NULL) != 0 ||
        read_optional_fields(item, out) != 0)
        goto oom;
    return 0;
oom:
    concert_clear(out);
    if (seats_s)
        *seats_s = NULL;
    return -2;
}

/* "stored malformed: <problem>; <problem>" into the store's last error. */
void store_set_problems_error(store *s, const char *what, const concert *c)
{
    char list[512] = "";
    size_t used = 0;
    for (size_t i = 0; i < c->n_problems && used < sizeof list; i++) {
        int n = snprintf(list + used, sizeof list - used, "%s%s", i ? "; " : "", c->problems[i]);
        if (n < 0)
            break;
        used += (size_t)n;
    }
    store_set_error(s, "%s: concert item stored malformed: %s", what, list);
}

/* ---- concerts -------------------------------------------------------------------------------- */

/* The concert item's attributes into item (an empty object). false when out of memory. */
static bool concert_item_fill(cJSON *item, const concert *c)
{
    char tickets[24], price[BO_MONEY_BUF], capacity[24], max[24], shards[24];
    snprintf(tickets, sizeof tickets, "%lld", (long long)c->available_tickets);
    bo_money_format(c->price_cents, price);
    snprintf(capacity, sizeof capacity, "%lld", (long long)c->capacity);
    snprintf(max, sizeof max, "%lld", (long long)c->max_per_order);
    snprintf(shards, sizeof shards, "%lld", (long long)c->shards);
    return ddb_attr_add(item, "id", "S", c->id) && ddb_attr_add(item, "name", "S", c->name) &&
           ddb_attr_add(item, "date", "S", c->date) && ddb_attr_add(item, "venue", "S", c->venue) &&
           ddb_attr_add(item, "availableTickets", "N", tickets) && ddb_attr_add(item, "ticketPrice", "N", price) &&
           (!c->has_capacity || ddb_attr_add(item, "capacity", "N", capacity)) &&
           (!c->currency[0] || ddb_attr_add(item, "currency", "S", c->currency)) &&
           (!c->timezone || ddb_attr_add(item, "timezone", "S", c->timezone)) &&
           (!c->has_max_per_order || ddb_attr_add(item, "maxPerOrder", "N", max)) &&
           (!c->has_shards || ddb_attr_add(item, "shards", "N", shards));
}

store_status store_put_concert(store *s, const concert *c)
{
    if (!c || !c->id[0] || strlen(c->id) > STORE_ID_MAX) {
        store_set_error(s, "PutItem: concert without id");
        return STORE_ERROR;
    }
    store_status st = STORE_ERROR;
    cJSON *resp = NULL;
    cJSON *req = cJSON_CreateObject();
    cJSON *item = cJSON_AddObjectToObject(req, "Item");
    if (!req || !cJSON_AddStringToObject(req, "TableName", store_table(s, STORE_T_CONCERTS)) || !item ||
        !concert_item_fill(item, c)) {
        store_set_error(s, "PutItem: out of memory");
        goto done;
    }
    ddb_error e;
    if (ddb_call(store_ddb(s), "PutItem", req, &resp, &e) != DDB_OK) {
        st = store_from_ddb(s, "PutItem", &e);
        goto done;
    }
    st = STORE_OK;
done:
    cJSON_Delete(req);
    cJSON_Delete(resp);
    return st;
}

/* createConcert's one transaction: [0] the concert (attribute_not_exists(id)), then for a pooled concert its K
 * counter Puts (store_pool_add_puts), then its journal entry, then the operator's ConditionCheck (store_priv.h;
 * none without a sub): 3 items for today's layout, 3 + K = 67 for a pooled concert. */
static cJSON *concert_create_request(store *s, const concert *c, const journal_entry *e)
{
    bool pooled = layout_pooled(c->available_tickets);
    concert item_of = *c; /* shallow: only what the item holds differs */
    if (pooled) {
        item_of.available_tickets = 0; /* the seats are in the pools; the item's counter is never sold from */
        item_of.has_shards = true;
        item_of.shards = LAYOUT_SHARDS;
    }
    cJSON *req = cJSON_CreateObject();
    cJSON *items = req ? cJSON_AddArrayToObject(req, "TransactItems") : NULL;
    cJSON *item = items ? store_txn_add_new_put(items, store_table(s, STORE_T_CONCERTS), "id") : NULL;
    if (!item || !concert_item_fill(item, &item_of) ||
        (pooled && !store_pool_add_puts(items, s, c->id, c->available_tickets, LAYOUT_SHARDS)) ||
        !store_journal_put(s, items, e) || !store_txn_add_operator_check(items, s, e->who.sub)) {
        cJSON_Delete(req);
        return NULL;
    }
    return req;
}

store_status store_create_concert(store *s, const concert *c, const journal_who *who)
{
    if (!c || !c->id[0] || strlen(c->id) > STORE_ID_MAX) {
        store_set_error(s, "create concert: without id");
        return STORE_ERROR;
    }
    if (!store_tables_set(s, STORE_NEED_CONCERTS | STORE_NEED_JOURNAL, "create concert"))
        return STORE_ERROR;
    if (layout_pooled(c->available_tickets) && !store_tables_set(s, STORE_NEED_COUNTERS, "create concert"))
        return STORE_ERROR;
    journal_entry e;
    journal_entry_init(&e, "concert.created", who, NULL);
    char detail[96];
    const char *name = c->name ? c->name : "";
    size_t len = strlen(name);
    snprintf(detail, sizeof detail, "%.*s", (int)(len > 80 ? bo_utf8_cut(name, 80) : len), name);
    e.concert_id = c->id;
    e.currency = c->currency[0] ? c->currency : NULL;
    e.has_amount = true;
    e.amount_cents = c->price_cents;
    e.has_count = true;
    e.count = c->available_tickets;
    e.detail = detail;
    ddb_error err;
    bool cancelled;
    store_status st = store_transact(s, concert_create_request(s, c, &e), true, &err, &cancelled);
    return cancelled ? store_from_ddb(s, "TransactWriteItems", &err) : st;
}

/* A pooled concert's availableTickets for the API: the item's own value (0 at creation, never sold from) and
 * the sum of its pools. */
static void add_pools(concert *c, const pool_counts *pc)
{
    c->available_tickets += pc->available_sum;
}

/* The concert item by one strongly consistent GetItem, as before pools: a concert of today's layout costs one read
 * unit, not the 65 keys of a batch. A pooled one (the item has shards) then has its K shard keys read in ONE
 * BatchGetItem (store_pool_read, the shards only: the item is the one just read, which no sale writes) and reports
 * the sum of its pools. */
store_status store_get_concert(store *s, const char *id, concert *out)
{
    memset(out, 0, sizeof *out);
    if (!id || !*id || strlen(id) > STORE_ID_MAX) {
        store_set_error(s, "GetItem: id empty or longer than %d bytes", STORE_ID_MAX);
        return STORE_NOT_FOUND;
    }
    cJSON *item = NULL;
    pool_counts pc;
    memset(&pc, 0, sizeof pc);
    store_status st;
    bool bad_pool = false; /* a counter shard another writer broke: a problem of this concert */
    int got = store_get_item(s, store_table(s, STORE_T_CONCERTS), id, &item, &st);
    if (got < 0)
        return st;
    if (got == 1)
        return STORE_NOT_FOUND;
    if (cJSON_GetObjectItemCaseSensitive(item, "shards")) {
        st = store_pool_read(s, id, LAYOUT_SHARDS, NULL, &pc);
        bad_pool = st == STORE_MALFORMED;
        if (st != STORE_OK && !bad_pool) {
            cJSON_Delete(item);
            return st;
        }
    }
    int r = store_concert_from_item(item, out, NULL);
    cJSON_Delete(item);
    if (r == -2) {
        store_set_error(s, "GetItem: out of memory");
        return STORE_ERROR;
    }
    if (r != 0) {
        store_set_error(s, "GetItem: concert item without a string id");
        return STORE_ERROR;
    }
    /* only a pooled concert's own shards count (stray items under a small concert's keys are not read) */
    if (bad_pool && store_pool_shards(out) && !(out->bad & STORE_F_TICKETS))
        add_problem(out, STORE_F_TICKETS, POOL_PROBLEM);
    if (out->n_problems > 0) {
        store_set_problems_error(s, "GetItem", out);
        return STORE_MALFORMED;
    }
    if (store_pool_shards(out))
        add_pools(out, &pc);
    return STORE_OK;
}

/* The pools of the pooled concerts in l, in BatchGetItems of at most 100 keys (a page of the list: K keys per
 * pooled concert), summed into their availableTickets. */
static store_status list_add_pools(store *s, concert_list *l)
{
    size_t per = 100 / LAYOUT_SHARDS; /* concerts whose K keys fit one batch */
    if (per < 1)
        per = 1;
    size_t i = 0;
    while (i < l->n) {
        cJSON *request_items = NULL;
        size_t first = i, in_batch = 0;
        for (; i < l->n && in_batch < per; i++) {
            if (!store_pool_shards(&l->items[i]) || l->items[i].n_problems > 0)
                continue;
            if (!request_items && !(request_items = cJSON_CreateObject()))
                goto oom;
            if (!store_pool_add_keys(s, request_items, l->items[i].id, (int)l->items[i].shards)) {
                cJSON_Delete(request_items);
                goto oom;
            }
            in_batch++;
        }
        if (!request_items)
            continue;
        cJSON *got = cJSON_CreateObject();
        if (!got) {
            cJSON_Delete(request_items);
            goto oom;
        }
        store_status st = store_batch_get(s, request_items, got);
        const cJSON *items = cJSON_GetObjectItemCaseSensitive(got, store_table(s, STORE_T_COUNTERS));
        for (size_t j = first; st == STORE_OK && j < i; j++) {
            concert *c = &l->items[j];
            if (!store_pool_shards(c) || c->n_problems > 0)
                continue;
            pool_counts pc;
            memset(&pc, 0, sizeof pc);
            const cJSON *it;
            cJSON_ArrayForEach(it, items) {
                const char *cid = ddb_attr_s(it, "concertId");
                if (cid && strcmp(cid, c->id) == 0 && !store_pool_add_item(&pc, it)) {
                    /* this concert is listed with its problem (store.h "Reading items"), the others as they are */
                    add_problem(c, STORE_F_TICKETS, POOL_PROBLEM);
                    break;
                }
            }
            if (c->n_problems == 0)
                add_pools(c, &pc);
        }
        cJSON_Delete(got);
        if (st != STORE_OK)
            return st;
    }
    return STORE_OK;
oom:
    store_set_error(s, "BatchGetItem: out of memory");
    return STORE_ERROR;
}

/* Appends the concerts of one Scan page, with their problems; only items without a string id are
 * skipped (counted in *skipped). */
static store_status add_page(store *s, const cJSON *items, concert_list *out, size_t *cap, size_t *skipped)
{
    const cJSON *item;
    cJSON_ArrayForEach(item, items) {
        if (out->n == *cap) {
            size_t ncap = *cap ? *cap * 2 : 64;
            concert *p = realloc(out->items, ncap * sizeof *p);
            if (!p) {
                store_set_error(s, "Scan: out of memory");
                return STORE_ERROR;
            }
            out->items = p;
            *cap = ncap;
        }
        int r = store_concert_from_item(item, &out->items[out->n], NULL);
        if (r == -2) {
            store_set_error(s, "Scan: out of memory");
            return STORE_ERROR;
        }
        if (r == 0)
            out->n++;
        else
            (*skipped)++;
    }
    return STORE_OK;
}

store_status store_list_concerts(store *s, concert_list *out)
{
    out->items = NULL;
    out->n = 0;
    size_t cap = 0, skipped = 0;
    store_status st = STORE_ERROR;
    cJSON *start_key = NULL; /* LastEvaluatedKey of the previous page, owned */
    cJSON *req = NULL, *resp = NULL;

    for (unsigned page = 0;; page++) {
        if (page == MAX_SCAN_PAGES) {
            store_set_error(s, "Scan: more than %d pages", MAX_SCAN_PAGES);
            goto fail;
        }
        req = cJSON_CreateObject();
        if (!req || !cJSON_AddStringToObject(req, "TableName", store_table(s, STORE_T_CONCERTS)) ||
            !cJSON_AddTrueToObject(req, "ConsistentRead")) {
            store_set_error(s, "Scan: out of memory");
            goto fail;
        }
        if (start_key) {
            if (!cJSON_AddItemToObject(req, "ExclusiveStartKey", start_key)) {
                store_set_error(s, "Scan: out of memory");
                goto fail;
            }
            start_key = NULL; /* now owned by req */
        }
        ddb_error e;
        if (ddb_call(store_ddb(s), "Scan", req, &resp, &e) != DDB_OK) {
            st = store_from_ddb(s, "Scan", &e);
            goto fail;
        }
        const cJSON *items = cJSON_GetObjectItemCaseSensitive(resp, "Items");
        if (items && !cJSON_IsArray(items)) {
            store_set_error(s, "Scan: Items is not an array");
            goto fail;
        }
        if (add_page(s, items, out, &cap, &skipped) != STORE_OK)
            goto fail;
        cJSON *next = cJSON_DetachItemFromObjectCaseSensitive(resp, "LastEvaluatedKey");
        if (cJSON_IsObject(next) && next->child) {
            const cJSON *prev = cJSON_GetObjectItemCaseSensitive(req, "ExclusiveStartKey");
            if (prev && cJSON_Compare(prev, next, true)) {
                cJSON_Delete(next);
                store_set_error(s, "Scan: LastEvaluatedKey repeats the ExclusiveStartKey");
                goto fail;
            }
            start_key = next;
        } else {
            cJSON_Delete(next);
        }
        cJSON_Delete(req);
        cJSON_Delete(resp);
        req = resp = NULL;
        if (!start_key)
            break;
    }
    st = list_add_pools(s, out);
    if (st != STORE_OK)
        goto fail;
    if (skipped)
        store_set_error(s, "Scan: skipped %zu items without a string id", skipped);
    return STORE_OK;

fail:
    cJSON_Delete(start_key);
    cJSON_Delete(req);
    cJSON_Delete(resp);
    concert_list_clear(out);
    return st;
}
