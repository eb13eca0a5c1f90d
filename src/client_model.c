/* The client's data model: JSON -> model (sanitised), copies, sort and filter (by common/bo_fold's search keys). */
#include "client_model.h"

#include "bo_code.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bo_fold.h"
#include "bo_money.h"
#include "bo_text.h"
#include "bo_valid.h"

#define PROBLEM_MAX_BYTES 512   /* one problem text, sanitised */
#define SAFE_INT_MAX 9007199254740991.0 /* 2^53 - 1: above it a JSON number is not held exactly */

static void bad_free(bo_concert_bad *b)
{
    if (b == NULL)
        return;
    for (size_t i = 0; i < b->n; i++)
        free(b->problems[i]);
    free(b->raw_id);
    free(b);
}

void bo_concert_clear(bo_concert *c)
{
    if (c == NULL)
        return;
    free(c->name);
    free(c->date);
    free(c->venue);
    bad_free(c->bad);
    cJSON_Delete(c->json);
    memset(c, 0, sizeof *c);
}

void bo_concert_list_clear(bo_concert_list *l)
{
    if (l == NULL)
        return;
    for (size_t i = 0; i < l->n; i++)
        bo_concert_clear(&l->items[i]);
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

void bo_ticket_clear(bo_ticket *t)
{
    if (t == NULL)
        return;
    free(t->customer_name);
    free(t->customer_email);
    model_json_wipe_delete(t->json);
    memset(t, 0, sizeof *t);
}

static char *dup_or_null(const char *s)
{
    return s != NULL ? strdup(s) : NULL;
}

static bo_concert_bad *bad_copy(const bo_concert_bad *src)
{
    bo_concert_bad *b = calloc(1, sizeof *b);
    if (b == NULL)
        return NULL;
    b->fields = src->fields;
    for (size_t i = 0; i < src->n; i++) {
        if ((b->problems[i] = strdup(src->problems[i])) == NULL)
            goto fail;
        b->n++;
    }
    if (src->raw_id != NULL && (b->raw_id = strdup(src->raw_id)) == NULL)
        goto fail;
    return b;
fail:
    bad_free(b);
    return NULL;
}

int bo_concert_copy(bo_concert *dst, const bo_concert *src)
{
    bo_concert tmp = *src;
    tmp.name = dup_or_null(src->name);
    tmp.date = dup_or_null(src->date);
    tmp.venue = dup_or_null(src->venue);
    tmp.bad = src->bad != NULL ? bad_copy(src->bad) : NULL;
    tmp.json = src->json != NULL ? cJSON_Duplicate(src->json, true) : NULL;
    if ((src->name != NULL && tmp.name == NULL) || (src->date != NULL && tmp.date == NULL)
        || (src->venue != NULL && tmp.venue == NULL) || (src->bad != NULL && tmp.bad == NULL)
        || (src->json != NULL && tmp.json == NULL)) {
        bo_concert_clear(&tmp);
        return -1;
    }
    *dst = tmp;
    return 0;
}

bool bo_concert_sellable(const bo_concert *c)
{
    return c != NULL && c->bad == NULL;
}

bool bo_concert_field_bad(const bo_concert *c, unsigned field)
{
    return c != NULL && c->bad != NULL && (c->bad->fields & field) != 0;
}

/* Appends s to out[0..*used) (capacity cap, kept NUL-terminated), cut on a character boundary when it
 * does not fit. Returns false when it was cut. */
static bool append_cut(char *out, size_t cap, size_t *used, const char *s)
{
    size_t room = cap - 1 - *used, n = strlen(s);
    bool whole = n <= room;
    if (!whole)
        n = bo_utf8_cut(s, room);
    memcpy(out + *used, s, n);
    *used += n;
    out[*used] = '\0';
    return whole;
}

void bo_concert_problems_text(const bo_concert *c, char *out, size_t cap)
{
    if (cap == 0)
        return;
    out[0] = '\0';
    if (c == NULL || c->bad == NULL)
        return;
    size_t used = 0;
    for (size_t i = 0; i < c->bad->n; i++) {
        if (i > 0 && !append_cut(out, cap, &used, "; "))
            break;
        if (!append_cut(out, cap, &used, c->bad->problems[i]))
            break;
    }
}

/* A sanitised, newly allocated copy (caller frees); NULL on OOM. Never cut: the whole text is kept. */
static char *sanitized_dup(const char *s)
{
    size_t cap = strlen(s) * 3 + 1;   /* every bad byte may become U+FFFD (3 bytes) */
    char *out = malloc(cap);
    if (out == NULL)
        return NULL;
    size_t used = bo_text_sanitize(out, cap, s);
    if (cap - used > 256) { /* a long text: give back what the worst case did not need */
        char *fit = realloc(out, used + 1);
        if (fit != NULL)
            out = fit;
    }
    return out;
}

bool model_id_plausible(const char *s)
{
    if (s == NULL)
        return false;
    size_t n = strlen(s);
    if (n == 0 || n > BO_ID_MAX || !bo_utf8_valid(s, n) || bo_text_has_control(s))
        return false;
    char clean[BO_ID_MAX * 3 + 1];
    bo_text_sanitize(clean, sizeof clean, s);
    return strcmp(clean, s) == 0; /* nothing the cleaner drops (bidi controls ...) */
}

/* Records what is wrong with field (a BO_FIELD_* bit, 0 for none); skipped when the server already
 * reported a problem for the same field name. Returns 0, -1 on OOM. */
static int add_problem(bo_concert *c, unsigned field, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int add_problem(bo_concert *c, unsigned field, const char *fmt, ...)
{
    if (c->bad == NULL && (c->bad = calloc(1, sizeof *c->bad)) == NULL)
        return -1;
    bo_concert_bad *b = c->bad;
    b->fields |= field;
    char raw[PROBLEM_MAX_BYTES];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(raw, sizeof raw, fmt, ap);
    va_end(ap);
    const char *colon = strchr(raw, ':');
    size_t key = colon != NULL ? (size_t)(colon - raw) + 1 : 0;
    for (size_t i = 0; i < b->n; i++)
        if (key > 0 && strncmp(b->problems[i], raw, key) == 0)
            return 0; /* the server said it already */
    if (b->n >= BO_PROBLEMS_MAX)
        return 0;
    char clean[PROBLEM_MAX_BYTES];
    bo_text_sanitize(clean, sizeof clean, raw);
    if ((b->problems[b->n] = strdup(clean)) == NULL)
        return -1;
    b->n++;
    return 0;
}

/* The server's own "problems": ["field: what is wrong", ...] (a backend that read a stored item it
 * cannot represent lists it with this field). Anything else there counts as one problem too. */
static int server_problems(const cJSON *obj, bo_concert *c)
{
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(obj, "problems");
    if (p == NULL || cJSON_IsNull(p))
        return 0;
    if (cJSON_IsArray(p) && cJSON_GetArraySize(p) == 0)
        return 0;
    if (!cJSON_IsArray(p))
        return add_problem(c, 0, "problems: %s", "reported by the server");
    const cJSON *e;
    cJSON_ArrayForEach(e, p) {
        int rc = cJSON_IsString(e) && e->valuestring != NULL && e->valuestring[0] != '\0'
                     ? add_problem(c, 0, "%s", e->valuestring)
                     : add_problem(c, 0, "%s", "problem reported by the server");
        if (rc != 0)
            return -1;
    }
    return 0;
}

/* Optional string field: absent or null -> "" ; a string -> sanitised copy; anything else -> "" and a
 * problem. Returns 0, -1 on OOM. */
static int string_field(const cJSON *obj, const char *key, unsigned field, bo_concert *c, char **out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    const char *s = "";
    if (v != NULL && !cJSON_IsNull(v)) {
        if (cJSON_IsString(v) && v->valuestring != NULL)
            s = v->valuestring;
        else if (add_problem(c, field, "%s: not a text", key) != 0)
            return -1;
    }
    *out = sanitized_dup(s);
    return *out != NULL ? 0 : -1;
}

/* The id: a plausible one is copied as is; anything else is kept sanitised for display, the exact
 * text in bad->raw_id, and a problem recorded. Returns 0, -1 on OOM. */
static int id_field(const cJSON *obj, bo_concert *c)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, "id");
    if (v == NULL || cJSON_IsNull(v))
        return add_problem(c, BO_FIELD_ID, "id: missing");
    if (!cJSON_IsString(v) || v->valuestring == NULL)
        return add_problem(c, BO_FIELD_ID, "id: not a text");
    const char *s = v->valuestring;
    if (model_id_plausible(s)) {
        memcpy(c->id, s, strlen(s) + 1);
        return 0;
    }
    bo_text_sanitize(c->id, sizeof c->id, s);
    size_t n = strlen(s);
    int rc = n == 0 ? add_problem(c, BO_FIELD_ID, "id: empty")
             : n > BO_ID_MAX ? add_problem(c, BO_FIELD_ID, "id: longer than %d bytes", BO_ID_MAX)
                             : add_problem(c, BO_FIELD_ID, "id: holds control, bidi or invalid characters");
    if (rc != 0)
        return -1;
    return (c->bad->raw_id = strdup(s)) != NULL ? 0 : -1;
}

static int seats_field(const cJSON *obj, bo_concert *c)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, "availableTickets");
    const char *k = "availableTickets";
    if (v == NULL || cJSON_IsNull(v))
        return add_problem(c, BO_FIELD_SEATS, "%s: missing", k);
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
        return add_problem(c, BO_FIELD_SEATS, "%s: not a number", k);
    double d = v->valuedouble;
    if (d < 0)
        return add_problem(c, BO_FIELD_SEATS, "%s: negative (%.15g)", k, d);
    if (floor(d) != d)
        return add_problem(c, BO_FIELD_SEATS, "%s: not a whole number (%.15g)", k, d);
    /* a concert has at most BO_TICKETS_MAX seats; far beyond it a JSON number is not even held
     * exactly (9007199254740993 arrives as ...992): neither can be shown as the truth */
    if (d > (double)BO_TICKETS_MAX)
        return add_problem(c, BO_FIELD_SEATS, "%s: over 1,000,000 (%s)", k,
                           d > SAFE_INT_MAX ? "too large to hold exactly" : "more than a concert can have");
    c->seats_left = (int64_t)d;
    return 0;
}

static int price_field(const cJSON *obj, bo_concert *c)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, "ticketPrice");
    const char *k = "ticketPrice";
    if (v == NULL || cJSON_IsNull(v))
        return add_problem(c, BO_FIELD_PRICE, "%s: missing", k);
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble))
        return add_problem(c, BO_FIELD_PRICE, "%s: not a number", k);
    double d = v->valuedouble;
    if (bo_money_from_double(d, &c->price_cents) == 0)
        return 0;
    c->price_cents = 0;
    if (d < 0)
        return add_problem(c, BO_FIELD_PRICE, "%s: negative (%.15g)", k, d);
    if (d > (double)BO_PRICE_MAX_CENTS / 100.0)
        return add_problem(c, BO_FIELD_PRICE, "%s: over 1,000,000.00", k);
    return add_problem(c, BO_FIELD_PRICE, "%s: more than 2 decimals", k);
}

/* The optional fields of a concert: a missing or unusable value leaves the default (tolerant). */
static void optional_fields(const cJSON *obj, bo_concert *c)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, "currency");
    c->currency[0] = '\0';
    if (cJSON_IsString(v) && strlen(v->valuestring) == 3 && isupper((unsigned char)v->valuestring[0])
        && isupper((unsigned char)v->valuestring[1]) && isupper((unsigned char)v->valuestring[2]))
        memcpy(c->currency, v->valuestring, 4);
    v = cJSON_GetObjectItemCaseSensitive(obj, "timezone");
    c->timezone[0] = '\0';
    if (cJSON_IsString(v) && model_tz_name_plausible(v->valuestring))
        snprintf(c->timezone, sizeof c->timezone, "%s", v->valuestring);
    v = cJSON_GetObjectItemCaseSensitive(obj, "maxPerOrder");
    c->max_per_order = BO_MAX_PER_ORDER_DEFAULT;
    if (cJSON_IsNumber(v) && isfinite(v->valuedouble) && v->valuedouble >= 1 && v->valuedouble <= BO_ORDER_TICKETS_MAX
        && floor(v->valuedouble) == v->valuedouble)
        c->max_per_order = (int64_t)v->valuedouble;
    v = cJSON_GetObjectItemCaseSensitive(obj, "capacity");
    c->capacity = -1;
    if (cJSON_IsNumber(v) && isfinite(v->valuedouble) && v->valuedouble >= 0 && v->valuedouble <= (double)BO_TICKETS_MAX
        && floor(v->valuedouble) == v->valuedouble)
        c->capacity = (int64_t)v->valuedouble;
}

bool model_tz_name_plausible(const char *s)
{
    size_t n = s != NULL ? strlen(s) : 0;
    if (n == 0 || n > BO_TZ_MAX || s[0] == '/' || s[0] == '.' || strstr(s, "..") != NULL)
        return false;
    for (const char *p = s; *p != '\0'; p++)
        if (!isalnum((unsigned char)*p) && *p != '/' && *p != '_' && *p != '-' && *p != '+')
            return false;
    return true;
}

/* ---- orders ---- */

const char *bo_pay_method_name(bo_pay_method m)
{
    switch (m) {
    case BO_PAY_CASH: return "cash";
    case BO_PAY_CARD: return "card";
    case BO_PAY_COMP: return "comp";
    case BO_PAY_NONE: break;
    }
    return "";
}

bo_pay_method bo_pay_method_parse(const char *s)
{
    if (s == NULL)
        return BO_PAY_NONE;
    if (strcmp(s, "cash") == 0)
        return BO_PAY_CASH;
    if (strcmp(s, "card") == 0)
        return BO_PAY_CARD;
    if (strcmp(s, "comp") == 0)
        return BO_PAY_COMP;
    return BO_PAY_NONE;
}

/* Wipes the texts of j, its siblings after it and everything below them. */
static void json_wipe(cJSON *j)
{
    for (cJSON *it = j; it != NULL; it = it->next) {
        if (it->valuestring != NULL)
            memset(it->valuestring, 0, strlen(it->valuestring));
        if (it->string != NULL)
            memset(it->string, 0, strlen(it->string));
        json_wipe(it->child);
    }
}

void model_json_wipe_delete(cJSON *j)
{
    if (j == NULL)
        return;
    cJSON *next = j->next;
    j->next = NULL; /* only j and what is below it */
    json_wipe(j);
    j->next = next;
    cJSON_Delete(j);
}

const char *model_json_text(const cJSON *src, const char *key, const char *fallback)
{
    const cJSON *v = src != NULL ? cJSON_GetObjectItemCaseSensitive(src, key) : NULL;
    return cJSON_IsString(v) && v->valuestring != NULL ? v->valuestring : fallback;
}

void bo_order_ticket_clear(bo_order_ticket *t)
{
    if (t == NULL)
        return;
    if (t->attendee != NULL)
        memset(t->attendee, 0, strlen(t->attendee));
    free(t->attendee);
    model_json_wipe_delete(t->json);
    memset(t, 0, sizeof *t);
}

void bo_order_clear(bo_order *o)
{
    if (o == NULL)
        return;
    for (size_t i = 0; i < o->n_tickets; i++)
        bo_order_ticket_clear(&o->tickets[i]);
    model_json_wipe_delete(o->json);
    if (o->tickets != NULL)
        memset(o->tickets, 0, o->n_tickets * sizeof *o->tickets);
    free(o->tickets);
    if (o->customer_name != NULL)
        memset(o->customer_name, 0, strlen(o->customer_name));
    if (o->customer_email != NULL)
        memset(o->customer_email, 0, strlen(o->customer_email));
    if (o->matched_attendee != NULL)
        memset(o->matched_attendee, 0, strlen(o->matched_attendee));
    free(o->customer_name);
    free(o->customer_email);
    free(o->matched_attendee);
    memset(o, 0, sizeof *o);
}

/* A money value of an order: an exact decimal string ("49.99"), or a number with at most 2 decimals;
 * up to BO_AMOUNT_MAX_CENTS (a total is up to 49 prices, the cash tendered more). */
static int order_money(const cJSON *obj, const char *key, bool required, int64_t *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    *out = -1;
    if (v == NULL || cJSON_IsNull(v))
        return required ? -1 : 0;
    if (cJSON_IsString(v))
        return bo_money_parse_upto(v->valuestring, BO_AMOUNT_MAX_CENTS, out) == BO_MONEY_OK ? 0 : -1;
    if (cJSON_IsNumber(v))
        return bo_money_from_double_upto(v->valuedouble, BO_AMOUNT_MAX_CENTS, out) == BO_MONEY_OK ? 0 : -1;
    return -1;
}

/* A ticket code as the backend issues it (common/bo_code: 20 Crockford base32 symbols, any grouping). */
static bool code_ok(const char *s)
{
    char canon[BO_CODE_BUF];
    return strlen(s) <= BO_CODE_MAX && bo_code_parse(s, canon) == 0;
}

/* A plain string field copied sanitised into a fixed buffer; "" when absent. */
static void fixed_field(const cJSON *obj, const char *key, char *out, size_t cap)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    out[0] = '\0';
    if (cJSON_IsString(v))
        bo_text_sanitize(out, cap, v->valuestring);
}

static int optional_text(const cJSON *obj, const char *key, char **out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    *out = NULL;
    if (!cJSON_IsString(v))
        return 0;
    *out = sanitized_dup(v->valuestring);
    return *out != NULL ? 0 : -1;
}

static int order_ticket(const cJSON *t, bo_order_ticket *out)
{
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(t, "id");
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(t, "code");
    if (!cJSON_IsObject(t) || !cJSON_IsString(id) || !model_id_plausible(id->valuestring) || !cJSON_IsString(code)
        || !code_ok(code->valuestring))
        return -1;
    snprintf(out->id, sizeof out->id, "%s", id->valuestring);
    snprintf(out->code, sizeof out->code, "%s", code->valuestring);
    fixed_field(t, "status", out->status, sizeof out->status);
    fixed_field(t, "checkedInAt", out->checked_in_at, sizeof out->checked_in_at);
    fixed_field(t, "door", out->door, sizeof out->door);
    fixed_field(t, "refundedAt", out->refunded_at, sizeof out->refunded_at);
    if ((out->json = cJSON_Duplicate(t, true)) == NULL)
        return -1;
    return optional_text(t, "attendee", &out->attendee);
}

/* The order's refunds: how many, their amounts and their tickets added up. -1 when one is not an object with an exact amount. */
static int order_refunds(const cJSON *obj, bo_order *o)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, "admitted");
    o->admitted = cJSON_IsNumber(v) && v->valuedouble >= 0 && v->valuedouble <= BO_ORDER_TICKETS_MAX
                  && floor(v->valuedouble) == v->valuedouble ? (int64_t)v->valuedouble : -1;
    const cJSON *refunds = cJSON_GetObjectItemCaseSensitive(obj, "refunds"), *r;
    if (!cJSON_IsArray(refunds))
        return 0;
    cJSON_ArrayForEach(r, refunds) {
        int64_t cents;
        if (!cJSON_IsObject(r) || order_money(r, "amount", true, &cents) != 0)
            return -1;
        o->refunded_cents += cents;
        o->n_refunds++;
        const cJSON *ids = cJSON_GetObjectItemCaseSensitive(r, "ticketIds");
        if (cJSON_IsArray(ids))
            o->refunded_tickets += cJSON_GetArraySize(ids);
    }
    return 0;
}

static int order_read(const cJSON *obj, bool summary, bo_order *out);

int bo_order_from_json(const cJSON *obj, bo_order *out)
{
    return order_read(obj, false, out);
}

int bo_order_summary_from_json(const cJSON *obj, bo_order *out)
{
    return order_read(obj, true, out);
}

static int order_read(const cJSON *obj, bool summary, bo_order *out)
{
    bo_order o;
    memset(&o, 0, sizeof o);
    memset(out, 0, sizeof *out);
    if (!cJSON_IsObject(obj))
        return -1;
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(obj, "id");
    if (!cJSON_IsString(id) || !model_id_plausible(id->valuestring))
        return -1;
    snprintf(o.id, sizeof o.id, "%s", id->valuestring);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, "concertId");
    if (cJSON_IsString(v) && model_id_plausible(v->valuestring))
        snprintf(o.concert_id, sizeof o.concert_id, "%s", v->valuestring);
    const cJSON *tickets = cJSON_GetObjectItemCaseSensitive(obj, "tickets");
    if (!(summary && tickets == NULL) /* a summary has none (cJSON reads NULL as an empty array) */
        && (!cJSON_IsArray(tickets) || cJSON_GetArraySize(tickets) > BO_ORDER_TICKETS_MAX))
        return -1;
    v = cJSON_GetObjectItemCaseSensitive(obj, "quantity");
    o.quantity = cJSON_IsNumber(v) && v->valuedouble >= 1 && v->valuedouble <= BO_ORDER_TICKETS_MAX
                 && floor(v->valuedouble) == v->valuedouble ? (int64_t)v->valuedouble : cJSON_GetArraySize(tickets);
    if (order_money(obj, "unitPrice", false, &o.unit_price_cents) != 0
        || order_money(obj, "total", true, &o.total_cents) != 0)
        return -1;
    v = cJSON_GetObjectItemCaseSensitive(obj, "currency");
    if (cJSON_IsString(v) && strlen(v->valuestring) == 3 && isupper((unsigned char)v->valuestring[0])
        && isupper((unsigned char)v->valuestring[1]) && isupper((unsigned char)v->valuestring[2]))
        memcpy(o.currency, v->valuestring, 4);
    const cJSON *pay = cJSON_GetObjectItemCaseSensitive(obj, "payment");
    o.tendered_cents = o.change_cents = -1;
    if (cJSON_IsObject(pay)) {
        v = cJSON_GetObjectItemCaseSensitive(pay, "method");
        o.method = cJSON_IsString(v) ? bo_pay_method_parse(v->valuestring) : BO_PAY_NONE;
        if (order_money(pay, "tendered", false, &o.tendered_cents) != 0
            || order_money(pay, "change", false, &o.change_cents) != 0)
            return -1;
    }
    fixed_field(obj, "createdAt", o.created_at, sizeof o.created_at);
    fixed_field(obj, "soldBy", o.sold_by, sizeof o.sold_by);
    if (order_refunds(obj, &o) != 0)
        return -1;
    if (optional_text(obj, "customerName", &o.customer_name) != 0
        || optional_text(obj, "customerEmail", &o.customer_email) != 0
        || optional_text(obj, "matchedAttendee", &o.matched_attendee) != 0)
        goto fail;
    /* the order's own texts and its refunds (the tickets keep theirs) */
    if ((o.json = cJSON_CreateObject()) == NULL)
        goto fail;
    for (const cJSON *m = obj->child; m != NULL; m = m->next) {
        if (m->string == NULL || !(cJSON_IsString(m) || (cJSON_IsArray(m) && strcmp(m->string, "refunds") == 0)))
            continue;
        cJSON *dup = cJSON_Duplicate(m, true);
        if (dup == NULL || !cJSON_AddItemToObject(o.json, m->string, dup)) {
            cJSON_Delete(dup);
            goto fail;
        }
    }
    size_t n = (size_t)cJSON_GetArraySize(tickets);
    if (n > 0 && (o.tickets = calloc(n, sizeof *o.tickets)) == NULL)
        goto fail;
    const cJSON *t;
    cJSON_ArrayForEach(t, tickets) {
        if (order_ticket(t, &o.tickets[o.n_tickets]) != 0) {
            o.n_tickets++; /* its attendee (if any) is freed with the rest */
            goto fail;
        }
        o.n_tickets++;
    }
    *out = o;
    return 0;
fail:
    bo_order_clear(&o);
    return -1;
}

size_t model_names_split(char *buf, const char **out, size_t max)
{
    size_t n = 0;
    for (char *save = NULL, *t = strtok_r(buf, ",", &save); t != NULL && n < max; t = strtok_r(NULL, ",", &save)) {
        while (*t == ' ')
            t++;
        size_t len = strlen(t);
        while (len > 0 && t[len - 1] == ' ')
            t[--len] = '\0';
        if (len > 0)
            out[n++] = t;
    }
    return n;
}

void model_code_grouped(const char *code, char *out, size_t cap)
{
    char canon[BO_CODE_BUF];
    if (cap == 0)
        return;
    snprintf(out, cap, "%s", bo_code_parse(code, canon) == 0 ? canon : code);
}

void model_money_with_currency(int64_t cents, const char *currency, char *out, size_t cap)
{
    char m[BO_MONEY_BUF];
    bo_money_display(cents, m);
    if (currency != NULL && currency[0] != '\0')
        snprintf(out, cap, "%s %s", m, currency);
    else
        snprintf(out, cap, "%s", m);
}

/* A record for a list element that is not an object (marked bad, empty id). 0 or -1 (OOM). */
static int concert_placeholder(bo_concert *out, const char *problem)
{
    bo_concert c;
    memset(&c, 0, sizeof c);
    c.name = strdup("");
    c.date = strdup("");
    c.venue = strdup("");
    if (c.name == NULL || c.date == NULL || c.venue == NULL
        || add_problem(&c, BO_FIELD_ID | BO_FIELD_SEATS | BO_FIELD_PRICE, "%s", problem) != 0) {
        bo_concert_clear(&c);
        return -1;
    }
    *out = c;
    return 0;
}

int bo_concert_from_json(const cJSON *obj, bo_concert *out)
{
    bo_concert c;
    memset(&c, 0, sizeof c);
    if (!cJSON_IsObject(obj))
        return -1;
    if (server_problems(obj, &c) != 0 || id_field(obj, &c) != 0
        || string_field(obj, "name", BO_FIELD_NAME, &c, &c.name) != 0
        || string_field(obj, "date", BO_FIELD_DATE, &c, &c.date) != 0
        || string_field(obj, "venue", BO_FIELD_VENUE, &c, &c.venue) != 0
        || seats_field(obj, &c) != 0 || price_field(obj, &c) != 0
        || (c.json = cJSON_Duplicate(obj, true)) == NULL)
        goto fail;
    optional_fields(obj, &c);
    *out = c;
    return 0;
fail:
    bo_concert_clear(&c);
    return -1;
}

int bo_concert_list_from_json(cJSON *arr, bo_concert_list *out)
{
    bo_concert_list l = { NULL, 0 };
    if (!cJSON_IsArray(arr))
        return -1;
    int n = cJSON_GetArraySize(arr);
    if (n > 0) {
        l.items = calloc((size_t)n, sizeof *l.items);
        if (l.items == NULL)
            return -1;
    }
    cJSON *el;
    while ((el = arr->child) != NULL) {
        /* a record the client cannot read faithfully comes back marked (bo_concert.bad), not fatal */
        int rc = l.n >= (size_t)n ? -1
                 : cJSON_IsObject(el) ? bo_concert_from_json(el, &l.items[l.n])
                                      : concert_placeholder(&l.items[l.n], "record: not a JSON object");
        if (rc != 0) {
            bo_concert_list_clear(&l);
            return -1;
        }
        l.n++;
        /* the model's strings take the place of the tree's: 10,000 concerts never need both whole */
        cJSON_Delete(cJSON_DetachItemViaPointer(arr, el));
    }
    *out = l;
    return 0;
}

/* ---- sorting ---- */

const char *bo_sort_name(bo_sort s)
{
    switch (s) {
    case BO_SORT_DATE: return "date";
    case BO_SORT_NAME: return "name";
    case BO_SORT_SEATS: return "seats left";
    case BO_SORT__COUNT: break;
    }
    return "?";
}

static int str_cmp(const char *a, const char *b)
{
    return strcmp(a != NULL ? a : "", b != NULL ? b : "");
}

/* Name order: the search keys (NULL when they could not be made: then the raw names only), ties by the
 * raw names. */
static int name_cmp(const char *a, const char *b, const char *ka, const char *kb)
{
    int r = ka != NULL && kb != NULL ? strcmp(ka, kb) : 0;
    return r != 0 ? r : str_cmp(a, b);
}

/* ka, kb: the names' search keys or NULL. */
static int cmp_by(const bo_concert *a, const bo_concert *b, const char *ka, const char *kb, bo_sort by)
{
    int r = 0;
    switch (by) {
    case BO_SORT_NAME:
        r = name_cmp(a->name, b->name, ka, kb);
        break;
    case BO_SORT_SEATS: /* most seats left first; sold out last */
        r = a->seats_left > b->seats_left ? -1 : a->seats_left < b->seats_left ? 1 : 0;
        break;
    case BO_SORT_DATE:
    case BO_SORT__COUNT:
        break;
    }
    if (r == 0)
        r = str_cmp(a->date, b->date);
    if (r == 0 && by != BO_SORT_NAME)
        r = name_cmp(a->name, b->name, ka, kb);
    if (r == 0)
        r = strcmp(a->id, b->id);
    return r;
}

/* Stable merge sort of the indices idx[0..n) by the concerts they name (keys[i]: v[i]'s name key); tmp has
 * room for n indices.
 * Sorting indices, not concerts, keeps the extra memory at two words a concert (10,000 concerts: 160 KB
 * instead of a second copy of the whole list). */
static void merge_sort_idx(const bo_concert *v, char *const *keys, size_t *idx, size_t *tmp, size_t n, bo_sort by)
{
    if (n < 2)
        return;
    size_t h = n / 2;
    merge_sort_idx(v, keys, idx, tmp, h, by);
    merge_sort_idx(v, keys, idx + h, tmp, n - h, by);
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n)
        tmp[k++] = cmp_by(&v[idx[j]], &v[idx[i]], keys[idx[j]], keys[idx[i]], by) < 0 ? idx[j++] : idx[i++];
    while (i < h)
        tmp[k++] = idx[i++];
    while (j < n)
        tmp[k++] = idx[j++];
    memcpy(idx, tmp, n * sizeof *idx);
}

/* Reorders v so that the new v[i] is the old v[idx[i]], in place, one cycle of the permutation at a time;
 * idx ends as the identity. */
static void permute(bo_concert *v, size_t *idx, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (idx[i] == i)
            continue;
        bo_concert first = v[i];
        size_t j = i;
        for (;;) {
            size_t k = idx[j];
            idx[j] = j;
            if (k == i) {
                v[j] = first;
                break;
            }
            v[j] = v[k];
            j = k;
        }
    }
}

void bo_concert_list_sort(bo_concert_list *l, bo_sort by)
{
    if (l == NULL || l->n < 2)
        return;
    size_t *idx = malloc(l->n * sizeof *idx), *tmp = malloc(l->n * sizeof *tmp);
    char **keys = calloc(l->n, sizeof *keys);
    bool ok = idx != NULL && tmp != NULL && keys != NULL;
    for (size_t i = 0; ok && i < l->n; i++)
        ok = (keys[i] = bo_fold_name(l->items[i].name)) != NULL;
    if (ok) {
        for (size_t i = 0; i < l->n; i++)
            idx[i] = i;
        merge_sort_idx(l->items, keys, idx, tmp, l->n, by);
        permute(l->items, idx, l->n);
    }
    for (size_t i = 0; keys != NULL && i < l->n; i++)
        free(keys[i]);
    free(keys);
    free(idx);
    free(tmp);
    if (ok)
        return;
    /* out of memory: stable insertion sort in place, names by their raw text */
    for (size_t i = 1; i < l->n; i++) {
        bo_concert x = l->items[i];
        size_t j = i;
        while (j > 0 && cmp_by(&x, &l->items[j - 1], NULL, NULL, by) < 0) {
            l->items[j] = l->items[j - 1];
            j--;
        }
        l->items[j] = x;
    }
}

/* ---- filter ---- */

/* True when the search key of text holds key. */
static bool key_in(const char *text, const char *key)
{
    char *k = bo_fold_name(text);
    bool hit = k != NULL && strstr(k, key) != NULL;
    free(k);
    return hit;
}

bool bo_concert_matches(const bo_concert *c, const char *filter)
{
    if (filter == NULL || filter[0] == '\0')
        return true;
    char *key = bo_fold_name(filter);
    bool hit = key != NULL && key[0] != '\0' && (key_in(c->name, key) || key_in(c->venue, key));
    free(key);
    return hit;
}
