/* The concert store on DynamoDB: the item layout shared with the Node.js reference and the
 * purchase transaction (see store.h). */
#include "store.h"

#include "bo_err.h"
#include "bo_money.h"
#include "bo_text.h"
#include "bo_valid.h"
#include "bo_valid_order.h"
#include "ddb.h"
#include "ddb_attr.h"
#include "store_priv.h"
#include "timefmt.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define TABLE_NAME_MAX 255
#define MAX_SCAN_PAGES 100000 /* a bound, far above any real table, against a server that loops */
#define PURCHASE_ROUNDS 4     /* read-and-sell rounds while a string seat counter changes under us */

struct store {
    ddb_client *ddb;
    char concerts_table[TABLE_NAME_MAX + 1];
    char tickets_table[TABLE_NAME_MAX + 1];
    char orders_table[TABLE_NAME_MAX + 1]; /* "" when ORDERS_TABLE is unset (orders: store_order.c) */
    char codes_table[TABLE_NAME_MAX + 1];  /* "" when CODES_TABLE is unset */
    char last_error[768];
};

/* ---- errors ---------------------------------------------------------------------------------- */

static void set_error(store *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    bo_err_vset(s->last_error, sizeof s->last_error, fmt, ap);
    va_end(ap);
}

static void set_ddb_error(store *s, const char *what, const ddb_error *e)
{
    const char *rid = ddb_client_last_request_id(s->ddb);
    set_error(s, "%s: %s %s%s%s%s%s%s", what, ddb_status_name(e->status), e->type, e->type[0] ? ": " : "",
              e->message, rid[0] ? " (request " : "", rid, rid[0] ? ")" : "");
}

/* Storage failures a client may retry later (503: what the DynamoDB client itself would retry, a
 * transaction cancelled by contention only) versus everything else. */
static store_status from_ddb(store *s, const char *what, const ddb_error *e)
{
    set_ddb_error(s, what, e);
    return ddb_error_retryable(e) ? STORE_UNAVAILABLE : STORE_ERROR;
}

/* ---- open / close ---------------------------------------------------------------------------- */

static bool table_name_ok(const char *t)
{
    size_t n = strlen(t);
    if (n < 3 || n > TABLE_NAME_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!(isalnum((unsigned char)t[i]) || t[i] == '_' || t[i] == '-' || t[i] == '.'))
            return false;
    return true;
}

store *store_open_from_env(char *err, size_t errlen)
{
    const char *vars[2] = {"CONCERTS_TABLE", "TICKETS_TABLE"};
    const char *vals[2];
    for (int i = 0; i < 2; i++) {
        vals[i] = getenv(vars[i]);
        if (!vals[i] || !*vals[i]) {
            snprintf(err, errlen, "%s is not set", vars[i]);
            return NULL;
        }
        if (!table_name_ok(vals[i])) {
            snprintf(err, errlen, "%s is not a valid DynamoDB table name", vars[i]);
            return NULL;
        }
    }
    store *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    ddb_error e;
    s->ddb = ddb_client_new_from_env(&e);
    if (!s->ddb) {
        snprintf(err, errlen, "DynamoDB client: %s", e.message);
        free(s);
        return NULL;
    }
    snprintf(s->concerts_table, sizeof s->concerts_table, "%s", vals[0]);
    snprintf(s->tickets_table, sizeof s->tickets_table, "%s", vals[1]);
    const char *orders = getenv("ORDERS_TABLE"), *codes = getenv("CODES_TABLE");
    if (orders && table_name_ok(orders))
        snprintf(s->orders_table, sizeof s->orders_table, "%s", orders);
    if (codes && table_name_ok(codes))
        snprintf(s->codes_table, sizeof s->codes_table, "%s", codes);
    snprintf(s->last_error, sizeof s->last_error, "no error");
    return s;
}

void store_close(store *s)
{
    if (!s)
        return;
    ddb_client_free(s->ddb);
    free(s);
}

void store_set_deadline(store *s, uint64_t deadline_ms)
{
    ddb_client_set_deadline(s->ddb, deadline_ms);
}

const char *store_last_error(const store *s)
{
    return s ? s->last_error : "no store";
}

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

void ticket_clear(ticket *t)
{
    if (!t)
        return;
    free(t->customer_name);
    free(t->customer_email);
    memset(t, 0, sizeof *t);
}

/* ---- attribute values ------------------------------------------------------------------------ */

static char *dup_or_empty(const char *v)
{
    return strdup(v ? v : "");
}

static bool copy_id(char dst[STORE_ID_MAX + 1], const char *src)
{
    if (!src || !*src || strlen(src) > STORE_ID_MAX)
        return false;
    memcpy(dst, src, strlen(src) + 1);
    return true;
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
    [NUM_NEGATIVE] = "maxPerOrder: not from 1 to 49",
    [NUM_TOO_BIG] = "maxPerOrder: not from 1 to 49",
    [NUM_INEXACT] = "maxPerOrder: not a whole number",
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
                             &c->has_max_per_order, &c->max_per_order, &c->raw_max_per_order) != 0)
        return -2;
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
static int concert_from_item(const cJSON *item, concert *out, const char **seats_s)
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
static void set_problems_error(store *s, const char *what, const concert *c)
{
    char list[512] = "";
    size_t used = 0;
    for (size_t i = 0; i < c->n_problems && used < sizeof list; i++) {
        int n = snprintf(list + used, sizeof list - used, "%s%s", i ? "; " : "", c->problems[i]);
        if (n < 0)
            break;
        used += (size_t)n;
    }
    set_error(s, "%s: concert item stored malformed: %s", what, list);
}

static int ticket_from_item(const cJSON *item, ticket *out)
{
    memset(out, 0, sizeof *out);
    if (!copy_id(out->id, ddb_attr_s(item, "id")) || !copy_id(out->concert_id, ddb_attr_s(item, "concertId")))
        goto malformed;
    const char *date = ddb_attr_s(item, "purchaseDate");
    snprintf(out->purchase_date, sizeof out->purchase_date, "%s", date ? date : "");
    out->customer_name = dup_or_empty(ddb_attr_s(item, "customerName"));
    out->customer_email = dup_or_empty(ddb_attr_s(item, "customerEmail"));
    if (!out->customer_name || !out->customer_email) {
        ticket_clear(out);
        return -2;
    }
    return 0;
malformed:
    ticket_clear(out);
    return -1;
}

/* {"TableName": table, "Key": {key_name: {"S": id}}, "ConsistentRead": true} */
static cJSON *key_request(const char *table, const char *key_name, const char *id)
{
    cJSON *req = cJSON_CreateObject();
    cJSON *key = cJSON_CreateObject();
    if (!req || !key || !cJSON_AddStringToObject(req, "TableName", table) || !ddb_attr_add(key, key_name, "S", id) ||
        !cJSON_AddItemToObject(req, "Key", key)) {
        cJSON_Delete(req);
        cJSON_Delete(key);
        return NULL;
    }
    key = NULL;
    if (!cJSON_AddTrueToObject(req, "ConsistentRead")) {
        cJSON_Delete(req);
        return NULL;
    }
    return req;
}

/* GetItem: 0 found (*item owned by the caller, a detached copy), 1 not found, -1 error (status in *st). */
static int get_item_by(store *s, const char *table, const char *key_name, const char *id, cJSON **item,
                       store_status *st)
{
    *item = NULL;
    cJSON *req = key_request(table, key_name, id);
    if (!req) {
        set_error(s, "GetItem: out of memory");
        *st = STORE_ERROR;
        return -1;
    }
    cJSON *resp = NULL;
    ddb_error e;
    ddb_status ds = ddb_call(s->ddb, "GetItem", req, &resp, &e);
    cJSON_Delete(req);
    if (ds != DDB_OK) {
        *st = from_ddb(s, "GetItem", &e);
        return -1;
    }
    cJSON *found = cJSON_DetachItemFromObjectCaseSensitive(resp, "Item");
    cJSON_Delete(resp);
    if (!cJSON_IsObject(found)) {
        cJSON_Delete(found);
        return 1;
    }
    *item = found;
    return 0;
}

/* ---- concerts -------------------------------------------------------------------------------- */

store_status store_put_concert(store *s, const concert *c)
{
    if (!c || !c->id[0] || strlen(c->id) > STORE_ID_MAX) {
        set_error(s, "PutItem: concert without id");
        return STORE_ERROR;
    }
    char tickets[24], price[BO_MONEY_BUF];
    snprintf(tickets, sizeof tickets, "%lld", (long long)c->available_tickets);
    bo_money_format(c->price_cents, price);

    store_status st = STORE_ERROR;
    cJSON *resp = NULL;
    cJSON *req = cJSON_CreateObject();
    cJSON *item = cJSON_AddObjectToObject(req, "Item");
    if (!req || !cJSON_AddStringToObject(req, "TableName", s->concerts_table) || !item ||
        !ddb_attr_add(item, "id", "S", c->id) || !ddb_attr_add(item, "name", "S", c->name) ||
        !ddb_attr_add(item, "date", "S", c->date) || !ddb_attr_add(item, "venue", "S", c->venue) ||
        !ddb_attr_add(item, "availableTickets", "N", tickets) || !ddb_attr_add(item, "ticketPrice", "N", price)) {
        set_error(s, "PutItem: out of memory");
        goto done;
    }
    char capacity[24], max[24];
    snprintf(capacity, sizeof capacity, "%lld", (long long)c->capacity);
    snprintf(max, sizeof max, "%lld", (long long)c->max_per_order);
    if ((c->has_capacity && !ddb_attr_add(item, "capacity", "N", capacity)) ||
        (c->currency[0] && !ddb_attr_add(item, "currency", "S", c->currency)) ||
        (c->timezone && !ddb_attr_add(item, "timezone", "S", c->timezone)) ||
        (c->has_max_per_order && !ddb_attr_add(item, "maxPerOrder", "N", max))) {
        set_error(s, "PutItem: out of memory");
        goto done;
    }
    ddb_error e;
    if (ddb_call(s->ddb, "PutItem", req, &resp, &e) != DDB_OK) {
        st = from_ddb(s, "PutItem", &e);
        goto done;
    }
    st = STORE_OK;
done:
    cJSON_Delete(req);
    cJSON_Delete(resp);
    return st;
}

store_status store_get_concert(store *s, const char *id, concert *out)
{
    memset(out, 0, sizeof *out);
    if (!id || !*id || strlen(id) > STORE_ID_MAX) {
        set_error(s, "GetItem: id empty or longer than %d bytes", STORE_ID_MAX);
        return STORE_NOT_FOUND;
    }
    cJSON *item;
    store_status st;
    int r = get_item_by(s, s->concerts_table, "id", id, &item, &st);
    if (r < 0)
        return st;
    if (r == 1)
        return STORE_NOT_FOUND;
    r = concert_from_item(item, out, NULL);
    cJSON_Delete(item);
    if (r == -2) {
        set_error(s, "GetItem: out of memory");
        return STORE_ERROR;
    }
    if (r != 0) {
        set_error(s, "GetItem: concert item without a string id");
        return STORE_ERROR;
    }
    if (out->n_problems > 0) {
        set_problems_error(s, "GetItem", out);
        return STORE_MALFORMED;
    }
    return STORE_OK;
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
                set_error(s, "Scan: out of memory");
                return STORE_ERROR;
            }
            out->items = p;
            *cap = ncap;
        }
        int r = concert_from_item(item, &out->items[out->n], NULL);
        if (r == -2) {
            set_error(s, "Scan: out of memory");
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
            set_error(s, "Scan: more than %d pages", MAX_SCAN_PAGES);
            goto fail;
        }
        req = cJSON_CreateObject();
        if (!req || !cJSON_AddStringToObject(req, "TableName", s->concerts_table) ||
            !cJSON_AddTrueToObject(req, "ConsistentRead")) {
            set_error(s, "Scan: out of memory");
            goto fail;
        }
        if (start_key) {
            if (!cJSON_AddItemToObject(req, "ExclusiveStartKey", start_key)) {
                set_error(s, "Scan: out of memory");
                goto fail;
            }
            start_key = NULL; /* now owned by req */
        }
        ddb_error e;
        if (ddb_call(s->ddb, "Scan", req, &resp, &e) != DDB_OK) {
            st = from_ddb(s, "Scan", &e);
            goto fail;
        }
        const cJSON *items = cJSON_GetObjectItemCaseSensitive(resp, "Items");
        if (items && !cJSON_IsArray(items)) {
            set_error(s, "Scan: Items is not an array");
            goto fail;
        }
        if (add_page(s, items, out, &cap, &skipped) != STORE_OK)
            goto fail;
        cJSON *next = cJSON_DetachItemFromObjectCaseSensitive(resp, "LastEvaluatedKey");
        if (cJSON_IsObject(next) && next->child) {
            const cJSON *prev = cJSON_GetObjectItemCaseSensitive(req, "ExclusiveStartKey");
            if (prev && cJSON_Compare(prev, next, true)) {
                cJSON_Delete(next);
                set_error(s, "Scan: LastEvaluatedKey repeats the ExclusiveStartKey");
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
    if (skipped)
        set_error(s, "Scan: skipped %zu items without a string id", skipped);
    return STORE_OK;

fail:
    cJSON_Delete(start_key);
    cJSON_Delete(req);
    cJSON_Delete(resp);
    concert_list_clear(out);
    return st;
}

/* ---- purchase -------------------------------------------------------------------------------- */

/* The TransactWriteItems request: [0] seat update on the concert, [1] conditional ticket put. */
static cJSON *purchase_request(const store *s, const ticket *t, const char *purchase_date)
{
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
    if (!upd || !key || !names || !values || !cJSON_AddStringToObject(upd, "TableName", s->concerts_table) ||
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
    if (!put || !item || !pnames || !cJSON_AddStringToObject(put, "TableName", s->tickets_table) ||
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

static bool reason_is(const ddb_error *e, size_t i, const char *code)
{
    return i < e->n_reasons && strcmp(e->reasons[i], code) == 0;
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
    int r = get_item_by(s, s->tickets_table, "id", t->id, &item, &st);
    if (r < 0)
        return st;
    if (r == 1) {
        set_error(s, "TransactWriteItems: ticket %s reported as existing but not found", t->id);
        return STORE_ERROR;
    }
    ticket stored;
    r = ticket_from_item(item, &stored);
    cJSON_Delete(item);
    if (r != 0) {
        set_error(s, r == -2 ? "GetItem: out of memory" : "GetItem: malformed ticket item");
        return STORE_ERROR;
    }
    const char *differs = strcmp(stored.concert_id, t->concert_id) != 0                 ? "concert"
                          : !same_text(stored.customer_name, t->customer_name)         ? "customer name"
                          : !same_text(stored.customer_email, t->customer_email)       ? "customer e-mail"
                                                                                        : NULL;
    if (differs) {
        ticket_clear(&stored);
        set_error(s, "ticket id %s already used for a request with another %s", t->id, differs);
        return STORE_CONFLICT;
    }
    if (out)
        *out = stored; /* ownership of the strings moves to *out */
    else
        ticket_clear(&stored);
    set_error(s, "ticket %s replayed", t->id);
    return STORE_REPLAY;
}

/* Before refusing a purchase without a transaction (no such concert, malformed concert): a ticket
 * with this id may already exist, from an earlier try of the same request. STORE_REPLAY/CONFLICT
 * from decide_existing_ticket, refusal when there is none, or the read's failure. */
static store_status refuse_unless_replay(store *s, const ticket *t, ticket *out, store_status refusal)
{
    char why[sizeof s->last_error];
    snprintf(why, sizeof why, "%s", s->last_error);
    cJSON *item;
    store_status st;
    int r = get_item_by(s, s->tickets_table, "id", t->id, &item, &st);
    if (r < 0)
        return st;
    cJSON_Delete(item);
    if (r == 0)
        return decide_existing_ticket(s, t, out);
    snprintf(s->last_error, sizeof s->last_error, "%s", why);
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
    if (!req || !key || !names || !values || !cJSON_AddStringToObject(req, "TableName", s->concerts_table) ||
        !ddb_attr_add(key, "id", "S", concert_id) || !cJSON_AddStringToObject(req, "UpdateExpression", "SET #avail = :n") ||
        !cJSON_AddStringToObject(req, "ConditionExpression", "#avail = :s") ||
        !cJSON_AddStringToObject(names, "#avail", "availableTickets") || !ddb_attr_add(values, ":n", "N", n) ||
        !ddb_attr_add(values, ":s", "S", seen)) {
        cJSON_Delete(req);
        set_error(s, "UpdateItem: out of memory");
        return STORE_ERROR;
    }
    cJSON *resp = NULL;
    ddb_error e;
    ddb_status ds = ddb_call(s->ddb, "UpdateItem", req, &resp, &e);
    cJSON_Delete(req);
    cJSON_Delete(resp);
    if (ds == DDB_OK)
        return STORE_AGAIN; /* read once more: now an N, sold by the transaction */
    if (ds == DDB_ERR_CONDITIONAL_CHECK)
        return STORE_AGAIN;
    return from_ddb(s, "UpdateItem", &e);
}

/* Reads the concert before a sale: STORE_OK to sell (seat counter N, item readable), STORE_AGAIN
 * after rewriting a string counter as N, or the refusal: NOT_FOUND, MALFORMED, UNAVAILABLE, ERROR. */
static store_status check_concert(store *s, const char *concert_id, concert *keep)
{
    cJSON *item;
    store_status st;
    int r = get_item_by(s, s->concerts_table, "id", concert_id, &item, &st);
    if (r < 0)
        return st;
    if (r == 1) {
        set_error(s, "concert %s not found", concert_id);
        return STORE_NOT_FOUND;
    }
    concert c;
    const char *seats_s = NULL;
    r = concert_from_item(item, &c, &seats_s);
    if (r != 0) {
        cJSON_Delete(item);
        set_error(s, r == -2 ? "GetItem: out of memory" : "GetItem: concert item without a string id");
        return STORE_ERROR;
    }
    if (c.n_problems > 0) {
        set_problems_error(s, "purchase", &c);
        st = STORE_MALFORMED;
    } else if (seats_s) {
        st = seats_as_number(s, concert_id, seats_s, c.available_tickets);
    } else {
        st = STORE_OK;
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
    store_status st = check_concert(s, t->concert_id, NULL);
    if (st != STORE_OK)
        return st;
    set_error(s, "concert %s sold out", t->concert_id);
    return STORE_SOLD_OUT;
}

/* One try of the transaction. STORE_AGAIN when the concert must be read again. */
static store_status sell(store *s, const ticket *t, const char *date, ticket *out)
{
    cJSON *req = purchase_request(s, t, date);
    if (!req) {
        set_error(s, "TransactWriteItems: out of memory");
        return STORE_ERROR;
    }
    cJSON *resp = NULL;
    ddb_error e;
    ddb_status ds = ddb_call(s->ddb, "TransactWriteItems", req, &resp, &e);
    cJSON_Delete(req);
    cJSON_Delete(resp);
    if (ds == DDB_OK) {
        if (out) {
            *out = *t;
            out->customer_name = strdup(t->customer_name ? t->customer_name : "");
            out->customer_email = strdup(t->customer_email ? t->customer_email : "");
            snprintf(out->purchase_date, sizeof out->purchase_date, "%s", date);
            if (!out->customer_name || !out->customer_email) {
                ticket_clear(out);
                set_error(s, "purchase: out of memory after the sale");
                return STORE_ERROR;
            }
        }
        return STORE_OK;
    }
    if (ds != DDB_ERR_TRANSACTION_CANCELED)
        return from_ddb(s, "TransactWriteItems", &e);

    set_ddb_error(s, "TransactWriteItems", &e);
    if (reason_is(&e, 1, "ConditionalCheckFailed"))
        return decide_existing_ticket(s, t, out);
    if (reason_is(&e, 0, "ConditionalCheckFailed")) {
        store_status st = decide_failed_seat(s, t);
        if (st == STORE_NOT_FOUND || st == STORE_MALFORMED)
            return refuse_unless_replay(s, t, out, st);
        return st;
    }
    return from_ddb(s, "TransactWriteItems", &e);
}

store_status store_purchase(store *s, const ticket *t, ticket *out)
{
    if (out)
        memset(out, 0, sizeof *out);
    if (!t || !t->id[0] || strlen(t->id) > STORE_ID_MAX) {
        set_error(s, "purchase: ticket without id");
        return STORE_ERROR;
    }
    if (!t->concert_id[0] || strlen(t->concert_id) > STORE_ID_MAX) {
        set_error(s, "purchase: concert id empty or longer than %d bytes", STORE_ID_MAX);
        return STORE_NOT_FOUND;
    }
    char date[32];
    if (t->purchase_date[0])
        snprintf(date, sizeof date, "%s", t->purchase_date);
    else
        timefmt_iso_ms(timefmt_now_ms(), date);

    /* read the concert (refuse what cannot be sold faithfully), then sell in one transaction */
    for (int round = 0; round < PURCHASE_ROUNDS; round++) {
        store_status st = check_concert(s, t->concert_id, NULL);
        if (st == STORE_NOT_FOUND || st == STORE_MALFORMED)
            return refuse_unless_replay(s, t, out, st);
        if (st == STORE_OK)
            st = sell(s, t, date, out);
        if (st != STORE_AGAIN)
            return st;
    }
    set_error(s, "purchase: the seat counter of concert %s kept changing", t->concert_id);
    return STORE_UNAVAILABLE;
}

/* ---- for store_order.c (store_priv.h) -------------------------------------------------------- */

ddb_client *store_ddb(store *s)
{
    return s->ddb;
}

const char *store_table(const store *s, store_table_id t)
{
    switch (t) {
    case STORE_T_CONCERTS:
        return s->concerts_table;
    case STORE_T_TICKETS:
        return s->tickets_table;
    case STORE_T_ORDERS:
        return s->orders_table;
    default:
        return s->codes_table;
    }
}

void store_set_error(store *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    bo_err_vset(s->last_error, sizeof s->last_error, fmt, ap);
    va_end(ap);
}

void store_set_ddb_error(store *s, const char *what, const ddb_error *e)
{
    set_ddb_error(s, what, e);
}

store_status store_from_ddb(store *s, const char *what, const ddb_error *e)
{
    return from_ddb(s, what, e);
}

int store_get_item(store *s, const char *table, const char *id, cJSON **item, store_status *st)
{
    return get_item_by(s, table, "id", id, item, st);
}

int store_get_item_by(store *s, const char *table, const char *key_name, const char *value, cJSON **item,
                      store_status *st)
{
    return get_item_by(s, table, key_name, value, item, st);
}

store_status store_concert_for_sale(store *s, const char *id, concert *out)
{
    memset(out, 0, sizeof *out);
    if (!id || !*id || strlen(id) > STORE_ID_MAX) {
        set_error(s, "concert id empty or longer than %d bytes", STORE_ID_MAX);
        return STORE_NOT_FOUND;
    }
    for (int round = 0; round < PURCHASE_ROUNDS; round++) {
        store_status st = check_concert(s, id, out);
        if (st != STORE_AGAIN)
            return st;
    }
    set_error(s, "order: the seat counter of concert %s kept changing", id);
    return STORE_UNAVAILABLE;
}
