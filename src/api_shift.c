/* Shifts and cash-up: the routes of include/api_shift.h and the Shift model. The transport is api.c's
 * (api_internal.h): open and close go through api_post_keyed (retried with the same Idempotency-Key); drops
 * and paid-outs are sent once. */
#include "api_shift.h"
#include "api_internal.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bo_money.h"
#include "bo_text.h"
#include "bo_valid.h"

/* ---- money and texts ---- */

void api_shift_money(int64_t cents, char out[BO_MONEY_BUF])
{
    uint64_t a = cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
    snprintf(out, BO_MONEY_BUF, "%s%llu.%02llu", cents < 0 ? "-" : "", (unsigned long long)(a / 100),
             (unsigned long long)(a % 100));
}

int api_shift_money_parse(const char *s, int64_t *cents)
{
    if (s == NULL)
        return -1;
    bool neg = s[0] == '-';
    int64_t v = 0;
    if (bo_money_parse_upto(neg ? s + 1 : s, BO_AMOUNT_MAX_CENTS, &v) != BO_MONEY_OK)
        return -1;
    *cents = neg ? -v : v;
    return 0;
}

const char *api_shift_amount_check(const char *text, int64_t *cents)
{
    int64_t v = 0;
    if (text == NULL || text[0] == '\0')
        return "an amount is required, such as 174.50";
    int rc = bo_money_parse_upto(text, BO_AMOUNT_MAX_CENTS, &v);
    if (rc == BO_MONEY_TOO_LARGE)
        return "the amount is too large (at most 1000000000.00)";
    if (rc != BO_MONEY_OK)
        return "an amount such as 174.50 (no sign, at most 2 decimals)";
    if (cents != NULL)
        *cents = v;
    return NULL;
}

const char *api_shift_terminal_check(const char *name)
{
    if (name == NULL || !bo_text_has_visible(name))
        return "terminal: a name is required (BOXOFFICE_TERMINAL, --terminal)";
    if (!bo_utf8_valid(name, strlen(name)) || bo_text_has_control(name) || bo_text_has_bidi_control(name))
        return "terminal: no control or bidi characters";
    if (bo_utf8_chars(name) > API_TERMINAL_MAX || bo_valid_door(name) != NULL)
        return "terminal: 1 to 64 characters, a visible one";
    return NULL;
}

const char *api_shift_note_check(const char *note)
{
    if (note == NULL || note[0] == '\0')
        return NULL;
    if (!bo_utf8_valid(note, strlen(note)) || bo_text_has_control(note) || bo_text_has_bidi_control(note))
        return "note: no control or bidi characters";
    if (bo_utf8_chars(note) > API_SHIFT_NOTE_MAX)
        return "note: at most 200 characters";
    return NULL;
}

static bool currency_code(const char *s, size_t n)
{
    return n == 3 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z' && s[2] >= 'A' && s[2] <= 'Z';
}

const char *api_shift_amounts_parse(const char *text, const char *cur, api_shift_amount v[API_SHIFT_CURRENCIES_MAX],
                                    size_t *n)
{
    char buf[512], *save = NULL;
    *n = 0;
    if (text == NULL || text[0] == '\0')
        return "an amount is required, such as 100.00";
    if (strlen(text) >= sizeof buf)
        return "too long";
    snprintf(buf, sizeof buf, "%s", text);
    if (strchr(buf, '=') == NULL) {
        const char *why = api_shift_amount_check(buf, &v[0].cents);
        if (why != NULL)
            return why;
        snprintf(v[0].currency, sizeof v[0].currency, "%s", cur != NULL ? cur : "");
        *n = 1;
        return NULL;
    }
    if (cur != NULL)
        return "--currency goes with a plain amount, not with CUR=AMOUNT";
    for (char *part = strtok_r(buf, ",", &save); part != NULL; part = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(part, '=');
        if (eq == NULL || !currency_code(part, (size_t)(eq - part)))
            return "CUR=AMOUNT pairs, such as EUR=174.50,USD=20.00";
        if (*n >= API_SHIFT_CURRENCIES_MAX)
            return "at most 8 currencies";
        *eq = '\0';
        const char *why = api_shift_amount_check(eq + 1, &v[*n].cents);
        if (why != NULL)
            return why;
        for (size_t k = 0; k < *n; k++)
            if (strcmp(v[k].currency, part) == 0)
                return "a currency given twice";
        memcpy(v[*n].currency, part, 4);
        (*n)++;
    }
    return *n > 0 ? NULL : "an amount is required, such as 100.00";
}

/* ---- the model ---- */

void api_shift_clear(api_shift *s)
{
    if (s == NULL)
        return;
    cJSON_Delete(s->json);
    memset(s, 0, sizeof *s);
}

void api_shift_day_clear(api_shift_day *d)
{
    if (d == NULL)
        return;
    for (size_t i = 0; i < d->n; i++)
        api_shift_clear(&d->shifts[i]);
    free(d->shifts);
    cJSON_Delete(d->json);
    memset(d, 0, sizeof *d);
}

const api_shift_row *api_shift_row_for(const api_shift *s, const char *cur)
{
    for (size_t i = 0; i < s->report.n; i++)
        if (strcmp(s->report.rows[i].currency, cur) == 0)
            return &s->report.rows[i];
    return NULL;
}

static const cJSON *item(const cJSON *o, const char *k)
{
    return cJSON_GetObjectItemCaseSensitive(o, k);
}

/* A text member, sanitised into out; "" when absent or null; -1 when it is there but not a text. */
static int text_into(const cJSON *o, const char *k, char *out, size_t cap)
{
    const cJSON *v = item(o, k);
    out[0] = '\0';
    if (v == NULL || cJSON_IsNull(v))
        return 0;
    if (!cJSON_IsString(v))
        return -1;
    bo_text_sanitize(out, cap, v->valuestring);
    return 0;
}

/* An amount member ("12.50", "-0.50"); required unless *known may say it is null. */
static int money_of(const cJSON *o, const char *k, int64_t *out, bool *known)
{
    const cJSON *v = item(o, k);
    *out = 0;
    if (known != NULL && (v == NULL || cJSON_IsNull(v))) {
        *known = false;
        return 0;
    }
    if (!cJSON_IsString(v) || api_shift_money_parse(v->valuestring, out) != 0)
        return -1;
    if (known != NULL)
        *known = true;
    return 0;
}

/* A whole count >= 0; absent: 0. */
static int count_of(const cJSON *o, const char *k, int64_t *out)
{
    const cJSON *v = item(o, k);
    *out = 0;
    if (v == NULL || cJSON_IsNull(v))
        return 0;
    if (!cJSON_IsNumber(v) || v->valuedouble < 0 || v->valuedouble > 1e15 || v->valuedouble != (double)(int64_t)v->valuedouble)
        return -1;
    *out = (int64_t)v->valuedouble;
    return 0;
}

static bool currency_ok(const char *s)
{
    return s != NULL && strlen(s) == 3 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z' && s[2] >= 'A'
           && s[2] <= 'Z';
}

static int row_from_json(const cJSON *r, api_shift_row *out)
{
    const cJSON *cur = item(r, "currency"), *sales = item(r, "sales"), *ref = item(r, "refunds");
    memset(out, 0, sizeof *out);
    if (!cJSON_IsObject(r) || !cJSON_IsString(cur) || !currency_ok(cur->valuestring) || !cJSON_IsObject(sales)
        || !cJSON_IsObject(ref))
        return -1;
    memcpy(out->currency, cur->valuestring, 4);
    if (money_of(r, "float", &out->float_cents, NULL) != 0 || money_of(sales, "cash", &out->sales_cash, NULL) != 0
        || money_of(sales, "card", &out->sales_card, NULL) != 0 || money_of(sales, "other", &out->sales_other, NULL) != 0
        || money_of(ref, "cash", &out->refunds_cash, NULL) != 0 || money_of(ref, "card", &out->refunds_card, NULL) != 0
        || money_of(ref, "other", &out->refunds_other, NULL) != 0 || money_of(r, "drops", &out->drops, NULL) != 0
        || money_of(r, "paidOuts", &out->paid_outs, NULL) != 0 || money_of(r, "expectedCash", &out->expected, NULL) != 0
        || money_of(r, "counted", &out->counted, &out->counted_known) != 0
        || money_of(r, "difference", &out->difference, &out->difference_known) != 0
        || count_of(r, "orders", &out->orders) != 0 || count_of(r, "comps", &out->comps) != 0
        || count_of(r, "compTickets", &out->comp_tickets) != 0 || count_of(r, "refundCount", &out->refund_count) != 0)
        return -1;
    return 0;
}

static int report_from_json(const cJSON *r, api_shift_report *out)
{
    const cJSON *kind = item(r, "kind"), *rows = item(r, "currencies"), *row, *hash = item(r, "hash");
    memset(out, 0, sizeof *out);
    out->entries = -1;
    if (r == NULL || cJSON_IsNull(r))
        return 0;
    if (!cJSON_IsObject(r) || !cJSON_IsString(kind) || !cJSON_IsArray(rows))
        return -1;
    if (strcmp(kind->valuestring, "X") == 0)
        out->kind = 'X';
    else if (strcmp(kind->valuestring, "Z") == 0)
        out->kind = 'Z';
    else
        return -1;
    if (cJSON_GetArraySize(rows) > API_SHIFT_CURRENCIES_MAX)
        return -1;
    cJSON_ArrayForEach(row, rows) {
        if (row_from_json(row, &out->rows[out->n]) != 0)
            return -1;
        out->n++;
    }
    if (out->kind == 'Z' && (count_of(r, "z", &out->z) != 0 || out->z < 1))
        return -1;
    if (item(r, "entries") != NULL && count_of(r, "entries", &out->entries) != 0)
        return -1;
    if (text_into(r, "note", out->note, sizeof out->note) != 0)
        return -1;
    if (hash != NULL && !cJSON_IsNull(hash)) {
        if (!cJSON_IsString(hash) || strlen(hash->valuestring) != API_SHIFT_HASH_HEX
            || strspn(hash->valuestring, "0123456789abcdef") != API_SHIFT_HASH_HEX)
            return -1;
        memcpy(out->hash, hash->valuestring, API_SHIFT_HASH_HEX + 1);
    }
    out->known = true;
    return 0;
}

int api_shift_from_json(const cJSON *obj, api_shift *out)
{
    const cJSON *id = item(obj, "id"), *status = item(obj, "status"), *op = item(obj, "operator");
    memset(out, 0, sizeof *out);
    if (!cJSON_IsObject(obj) || !cJSON_IsString(id) || !model_id_plausible(id->valuestring) || !cJSON_IsString(status))
        return -1;
    snprintf(out->id, sizeof out->id, "%s", id->valuestring);
    if (strcmp(status->valuestring, "open") == 0)
        out->open = true;
    else if (strcmp(status->valuestring, "closed") != 0)
        goto fail;
    if (op != NULL && !cJSON_IsNull(op)
        && (!cJSON_IsObject(op) || text_into(op, "sub", out->operator_sub, sizeof out->operator_sub) != 0
            || text_into(op, "name", out->operator_name, sizeof out->operator_name) != 0))
        goto fail;
    if (text_into(obj, "terminal", out->terminal, sizeof out->terminal) != 0
        || text_into(obj, "openedAt", out->opened_at, sizeof out->opened_at) != 0
        || text_into(obj, "closedAt", out->closed_at, sizeof out->closed_at) != 0
        || report_from_json(item(obj, "report"), &out->report) != 0)
        goto fail;
    if (out->report.known && (out->report.kind == 'Z') == out->open)
        goto fail; /* an X report of a closed shift, or a Z of an open one */
    if ((out->json = cJSON_Duplicate(obj, true)) == NULL)
        goto fail;
    return 0;
fail:
    api_shift_clear(out);
    return -1;
}

/* ---- bodies ---- */

static cJSON *amounts_json(const api_shift_amount *a, size_t n)
{
    char m[BO_MONEY_BUF];
    cJSON *o = cJSON_CreateObject();
    for (size_t i = 0; o != NULL && i < n; i++) {
        api_shift_money(a[i].cents, m);
        if (cJSON_AddStringToObject(o, a[i].currency, m) == NULL) {
            cJSON_Delete(o);
            o = NULL;
        }
    }
    return o;
}

char *api_shift_open_body(const char *terminal, const api_shift_amount *floats, size_t n)
{
    char *text = NULL;
    cJSON *b = cJSON_CreateObject(), *f = amounts_json(floats, n);
    if (b != NULL && f != NULL && cJSON_AddStringToObject(b, "terminal", terminal != NULL ? terminal : "") != NULL
        && cJSON_AddItemToObject(b, "float", f)) {
        f = NULL;
        text = cJSON_PrintUnformatted(b);
    }
    cJSON_Delete(f);
    cJSON_Delete(b);
    return text;
}

char *api_shift_close_body(const api_shift_amount *counted, size_t n, const char *note)
{
    char *text = NULL;
    cJSON *b = cJSON_CreateObject(), *f = amounts_json(counted, n);
    if (b != NULL && f != NULL && cJSON_AddItemToObject(b, "counted", f)) {
        f = NULL;
        if (note == NULL || note[0] == '\0' || cJSON_AddStringToObject(b, "note", note) != NULL)
            text = cJSON_PrintUnformatted(b);
    }
    cJSON_Delete(f);
    cJSON_Delete(b);
    return text;
}

/* ---- routes ---- */

/* Amounts to send: 1..API_SHIFT_CURRENCIES_MAX, each a currency code once and 0..BO_AMOUNT_MAX_CENTS. */
static api_status amounts_check(const api_shift_amount *a, size_t n, const char *what, api_result *res)
{
    if (n < 1 || n > API_SHIFT_CURRENCIES_MAX)
        return api_set_result(res, API_ERR_INVALID, 0, "%s: 1 to %d currencies", what, API_SHIFT_CURRENCIES_MAX);
    for (size_t i = 0; i < n; i++) {
        if (!currency_ok(a[i].currency))
            return api_set_result(res, API_ERR_INVALID, 0, "%s: a currency such as EUR", what);
        if (a[i].cents < 0 || a[i].cents > BO_AMOUNT_MAX_CENTS)
            return api_set_result(res, API_ERR_INVALID, 0, "%s: an amount 0.00 to 1000000000.00", what);
        for (size_t k = 0; k < i; k++)
            if (strcmp(a[k].currency, a[i].currency) == 0)
                return api_set_result(res, API_ERR_INVALID, 0, "%s: %s given twice", what, a[i].currency);
    }
    return API_OK;
}

/* A shift answer read into *out; a 2xx that is not one is API_ERR_PROTOCOL. */
static api_status shift_answer(api_status st, cJSON *j, api_shift *out, api_result *res)
{
    if (st == API_OK && api_shift_from_json(j, out) != 0)
        st = api_set_result(res, API_ERR_PROTOCOL, res != NULL ? res->http_status : 200, NULL);
    cJSON_Delete(j);
    return st;
}

api_status api_shift_open(api_client *c, const char *terminal, const api_shift_amount *floats, size_t n,
                          const char *idem_key, api_shift *out, bool *already, api_result *res)
{
    char url[API_URL_MAX];
    cJSON *j = NULL, *err = NULL;
    const char *bad = api_shift_terminal_check(terminal);
    api_status st;
    memset(out, 0, sizeof *out);
    if (already != NULL)
        *already = false;
    if (bad != NULL)
        return api_set_result(res, API_ERR_INVALID, 0, "%s", bad);
    if ((st = amounts_check(floats, n, "float", res)) != API_OK || (st = api_idem_key_check(idem_key, res)) != API_OK)
        return st;
    if (!api_build_url(c, "/shifts", NULL, url))
        return api_set_result(res, API_ERR_NOMEM, 0, NULL);
    char *text = api_shift_open_body(terminal, floats, n);
    st = api_post_keyed(c, url, text, idem_key, &j, &err, res);
    free(text);
    if (st == API_OK) {
        st = shift_answer(st, j, out, res);
        if (st != API_OK)
            api_post_unreadable(st, res);
    } else {
        cJSON_Delete(j);
        if (res != NULL && res->http_status == 409 && err != NULL
            && api_shift_from_json(item(err, "shift"), out) == 0 && already != NULL)
            *already = true;
    }
    cJSON_Delete(err);
    return st;
}

api_status api_shift_current(api_client *c, api_shift *out, api_result *res)
{
    char url[API_URL_MAX];
    cJSON *j = NULL;
    memset(out, 0, sizeof *out);
    if (!api_build_url(c, "/shifts/current", NULL, url))
        return api_set_result(res, API_ERR_NOMEM, 0, NULL);
    api_status st = api_request_ex(c, "GET", url, NULL, false, &j, res);
    if (st == API_ERR_NOT_FOUND)
        return api_set_result(res, st, res != NULL ? res->http_status : 404, "No open shift");
    return shift_answer(st, j, out, res);
}

api_status api_shift_get(api_client *c, const char *id, api_shift *out, api_result *res)
{
    char url[API_URL_MAX];
    cJSON *j = NULL;
    memset(out, 0, sizeof *out);
    if (!api_id_ok(id))
        return api_set_result(res, API_ERR_NOT_FOUND, 0, "No such shift");
    if (!api_build_url(c, "/shifts/", id, url))
        return api_set_result(res, API_ERR_NOMEM, 0, NULL);
    api_status st = api_request_ex(c, "GET", url, NULL, false, &j, res);
    if (st == API_ERR_NOT_FOUND)
        return api_set_result(res, st, res != NULL ? res->http_status : 404, "No such shift");
    return shift_answer(st, j, out, res);
}

api_status api_shift_move_cash(api_client *c, const char *id, api_shift_move kind, int64_t cents,
                               const char *currency, const char *note, api_shift *out, api_result *res)
{
    char url[API_URL_MAX], m[BO_MONEY_BUF];
    cJSON *j = NULL;
    const char *bad = api_shift_note_check(note);
    memset(out, 0, sizeof *out);
    if (!api_id_ok(id))
        return api_set_result(res, API_ERR_NOT_FOUND, 0, "No such shift");
    if (cents <= 0 || cents > BO_AMOUNT_MAX_CENTS)
        return api_set_result(res, API_ERR_INVALID, 0, "amount: more than 0.00, at most 1000000000.00");
    if (!currency_ok(currency))
        return api_set_result(res, API_ERR_INVALID, 0, "currency: a code such as EUR");
    if (bad != NULL)
        return api_set_result(res, API_ERR_INVALID, 0, "%s", bad);
    if (kind == API_SHIFT_PAIDOUT && (note == NULL || !bo_text_has_visible(note)))
        return api_set_result(res, API_ERR_INVALID, 0, "note: a paid-out needs a note (what it paid for)");
    if (!api_build_url_sub(c, "/shifts/", id, kind == API_SHIFT_DROP ? "/drops" : "/paidouts", url))
        return api_set_result(res, API_ERR_NOMEM, 0, NULL);
    api_shift_money(cents, m);
    char *text = NULL;
    cJSON *b = cJSON_CreateObject();
    if (b != NULL && cJSON_AddStringToObject(b, "amount", m) != NULL
        && cJSON_AddStringToObject(b, "currency", currency) != NULL
        && (note == NULL || note[0] == '\0' || cJSON_AddStringToObject(b, "note", note) != NULL))
        text = cJSON_PrintUnformatted(b);
    cJSON_Delete(b);
    if (text == NULL)
        return api_set_result(res, API_ERR_NOMEM, 0, NULL);
    http_resp r;
    api_status st;
    if (api_http_do(c, "POST", url, text, NULL, &r) != 0) {
        st = api_set_result(res, API_ERR_NOMEM, 0, NULL);
    } else {
        st = api_classify(&r, false, &j, NULL, res);
        if (res != NULL) {
            res->latency_ms = r.ms;
            res->unconfirmed = st != API_OK && api_maybe_applied(&r, st);
        }
        if (st == API_OK) {
            st = shift_answer(st, j, out, res);
            j = NULL;
            if (st != API_OK)
                api_post_unreadable(st, res);
        }
    }
    api_http_resp_clear(&r);
    cJSON_Delete(j);
    free(text);
    return st;
}

api_status api_shift_close(api_client *c, const char *id, const api_shift_amount *counted, size_t n,
                           const char *note, const char *idem_key, api_shift *out, api_result *res)
{
    char url[API_URL_MAX];
    cJSON *j = NULL;
    const char *bad = api_shift_note_check(note);
    api_status st;
    memset(out, 0, sizeof *out);
    if (!api_id_ok(id))
        return api_set_result(res, API_ERR_NOT_FOUND, 0, "No such shift");
    if (bad != NULL)
        return api_set_result(res, API_ERR_INVALID, 0, "%s", bad);
    if ((st = amounts_check(counted, n, "counted", res)) != API_OK || (st = api_idem_key_check(idem_key, res)) != API_OK)
        return st;
    if (!api_build_url_sub(c, "/shifts/", id, "/close", url))
        return api_set_result(res, API_ERR_NOMEM, 0, NULL);
    char *text = api_shift_close_body(counted, n, note);
    st = api_post_keyed(c, url, text, idem_key, &j, NULL, res);
    free(text);
    if (st == API_ERR_NOT_FOUND)
        return api_set_result(res, st, res != NULL ? res->http_status : 404, "No such shift");
    st = shift_answer(st, j, out, res);
    if (st == API_OK && out->open) { /* a close answered with an open shift did not close it */
        api_shift_clear(out);
        st = api_set_result(res, API_ERR_PROTOCOL, res != NULL ? res->http_status : 200, NULL);
    }
    if (st != API_OK && res != NULL && res->http_status >= 200 && res->http_status < 300)
        api_post_unreadable(st, res); /* closed, but the Z could not be read: the same key again tells */
    return st;
}

/* "YYYY-MM-DD" (bo_valid_date's calendar check), or today's UTC date when day is NULL. */
static bool day_arg(const char *day, char out[11])
{
    if (day == NULL) {
        time_t now = time(NULL);
        struct tm t;
        gmtime_r(&now, &t);
        strftime(out, 11, "%Y-%m-%d", &t);
        return true;
    }
    if (strlen(day) != 10 || bo_valid_date(day) != NULL)
        return false;
    memcpy(out, day, 11);
    return true;
}

static bool day_url(api_client *c, const char *day, bool csv, char url[API_URL_MAX])
{
    char path[64];
    snprintf(path, sizeof path, "/shifts?day=%s%s", day, csv ? "&format=csv" : "");
    return api_build_url(c, path, NULL, url);
}

api_status api_shift_day_sheet(api_client *c, const char *day, api_shift_day *out, api_result *res)
{
    char url[API_URL_MAX], d[11];
    cJSON *j = NULL;
    memset(out, 0, sizeof *out);
    if (!day_arg(day, d))
        return api_set_result(res, API_ERR_INVALID, 0, "day: a date such as 2026-12-07");
    if (!day_url(c, d, false, url))
        return api_set_result(res, API_ERR_NOMEM, 0, NULL);
    api_status st = api_request_ex(c, "GET", url, NULL, false, &j, res);
    if (st != API_OK)
        return st;
    const cJSON *arr = item(j, "shifts"), *s;
    const cJSON *jd = item(j, "day");
    int n = cJSON_GetArraySize(arr);
    if (!cJSON_IsArray(arr) || (jd != NULL && (!cJSON_IsString(jd) || strcmp(jd->valuestring, d) != 0)))
        goto bad;
    memcpy(out->day, d, sizeof out->day);
    if (n > 0 && (out->shifts = calloc((size_t)n, sizeof *out->shifts)) == NULL) {
        cJSON_Delete(j);
        return api_set_result(res, API_ERR_NOMEM, 0, NULL);
    }
    cJSON_ArrayForEach(s, arr) {
        if (api_shift_from_json(s, &out->shifts[out->n]) != 0)
            goto bad;
        out->n++;
    }
    out->json = j;
    return st;
bad:
    api_shift_day_clear(out);
    cJSON_Delete(j);
    return api_set_result(res, API_ERR_PROTOCOL, res != NULL ? res->http_status : 200, NULL);
}

api_status api_shift_day_sheet_csv(api_client *c, const char *day, char **csv, api_result *res)
{
    char url[API_URL_MAX], d[11];
    *csv = NULL;
    if (!day_arg(day, d))
        return api_set_result(res, API_ERR_INVALID, 0, "day: a date such as 2026-12-07");
    if (!day_url(c, d, true, url))
        return api_set_result(res, API_ERR_NOMEM, 0, NULL);
    http_resp r;
    api_status st;
    if (api_http_do(c, "GET", url, NULL, NULL, &r) != 0) {
        api_http_resp_clear(&r);
        return api_set_result(res, API_ERR_NOMEM, 0, NULL);
    }
    if (r.cc == CURLE_OK && !r.too_big && r.status >= 200 && r.status < 300) {
        size_t len = bo_buf_len(&r.body);
        const char *p = len > 0 ? bo_buf_ptr(&r.body) : "";
        if (strncmp(p, "shift,", 6) != 0 || !bo_utf8_valid_no_nul(p, len)) {
            st = api_set_result(res, API_ERR_PROTOCOL, r.status, "Not the day sheet's CSV");
        } else if ((*csv = malloc(len + 1)) == NULL) {
            st = api_set_result(res, API_ERR_NOMEM, 0, NULL);
        } else {
            memcpy(*csv, p, len);
            (*csv)[len] = '\0';
            st = api_set_result(res, API_OK, r.status, "%s", "");
        }
    } else {
        cJSON *j = NULL;
        st = api_classify(&r, false, &j, NULL, res);
        cJSON_Delete(j);
        if (st == API_OK) /* a 2xx handled above: unreachable */
            st = api_set_result(res, API_ERR_PROTOCOL, r.status, NULL);
    }
    if (res != NULL)
        res->latency_ms = r.ms;
    api_http_resp_clear(&r);
    return st;
}

api_status api_shift_journal_page(api_client *c, const char *shift_id, const char *cursor, cJSON **page,
                                  char next[API_JOURNAL_CURSOR_MAX + 1], api_result *res)
{
    char url[API_URL_MAX];
    *page = NULL;
    next[0] = '\0';
    if (!api_id_ok(shift_id))
        return api_set_result(res, API_ERR_NOT_FOUND, 0, "No such shift");
    char *id = curl_easy_escape(c->curl, shift_id, 0);
    char *cur = cursor != NULL && cursor[0] != '\0' ? curl_easy_escape(c->curl, cursor, 0) : NULL;
    int n = id == NULL ? -1
                       : snprintf(url, sizeof url, "%s/journal?shift=%s%s%s", c->base_url, id,
                                  cur != NULL ? "&cursor=" : "", cur != NULL ? cur : "");
    curl_free(id);
    curl_free(cur);
    if (n < 0 || (size_t)n >= sizeof url || (cursor != NULL && cursor[0] != '\0' && cur == NULL))
        return api_set_result(res, API_ERR_NOMEM, 0, NULL);
    cJSON *j = NULL;
    api_status st = api_request_ex(c, "GET", url, NULL, false, &j, res);
    if (st != API_OK)
        return st;
    const cJSON *e = item(j, "entries"), *nc = item(j, "cursor");
    if (!cJSON_IsArray(e) || (nc != NULL && !cJSON_IsNull(nc) && !cJSON_IsString(nc))) {
        cJSON_Delete(j);
        return api_set_result(res, API_ERR_PROTOCOL, res != NULL ? res->http_status : 200, NULL);
    }
    if (cJSON_IsString(nc)) {
        size_t len = strlen(nc->valuestring);
        if (len > API_JOURNAL_CURSOR_MAX || strspn(nc->valuestring,
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_=.~+/:") != len) {
            cJSON_Delete(j);
            return api_set_result(res, API_ERR_PROTOCOL, res != NULL ? res->http_status : 200, "Bad journal cursor");
        }
        memcpy(next, nc->valuestring, len + 1);
    }
    *page = j;
    return st;
}
