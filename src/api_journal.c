/* The journal: GET /journal by day (and operator), concert or shift, paged; see include/api_journal.h. The
 * transport is api.c's (api_internal.h). */
#include "api_journal.h"
#include "api_internal.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bo_money.h"
#include "bo_text.h"
#include "bo_valid.h"

void bo_journal_entry_clear(bo_journal_entry *e)
{
    if (e == NULL)
        return;
    cJSON_Delete(e->json);
    memset(e, 0, sizeof *e);
}

void api_journal_page_clear(api_journal_page *p)
{
    if (p == NULL)
        return;
    for (size_t i = 0; i < p->n; i++)
        bo_journal_entry_clear(&p->entries[i]);
    free(p->entries);
    memset(p, 0, sizeof *p);
}

/* A text member into dst, sanitised. Absent or null: "" (false when required). A member that is not a text,
 * or longer than dst holds: false. */
static bool text_of(const cJSON *obj, const char *key, char *dst, size_t cap, bool required)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    dst[0] = '\0';
    if (v == NULL || cJSON_IsNull(v))
        return !required;
    if (!cJSON_IsString(v) || strlen(v->valuestring) >= cap || (required && v->valuestring[0] == '\0'))
        return false;
    bo_text_sanitize(dst, cap, v->valuestring);
    return true;
}

/* A whole number member (absent or null: *has false). */
static bool int_of(const cJSON *obj, const char *key, bool *has, int64_t *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    *has = false;
    if (v == NULL || cJSON_IsNull(v))
        return true;
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) || v->valuedouble != floor(v->valuedouble)
        || fabs(v->valuedouble) > 9007199254740992.0)
        return false;
    *out = (int64_t)v->valuedouble;
    *has = true;
    return true;
}

/* "12.50" (or "-0.50"): exact cents. */
static bool amount_of(const cJSON *obj, bo_journal_entry *e)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, "amount");
    if (v == NULL || cJSON_IsNull(v))
        return true;
    if (!cJSON_IsString(v))
        return false;
    const char *t = v->valuestring;
    bool neg = t[0] == '-';
    int64_t cents = 0;
    if (bo_money_parse_upto(t + (neg ? 1 : 0), BO_AMOUNT_MAX_CENTS, &cents) != BO_MONEY_OK)
        return false;
    e->amount_cents = neg ? -cents : cents;
    e->has_amount = true;
    return true;
}

int bo_journal_entry_from_json(const cJSON *obj, bo_journal_entry *out)
{
    memset(out, 0, sizeof *out);
    const cJSON *op = cJSON_GetObjectItemCaseSensitive(obj, "operator");
    const cJSON *tickets = cJSON_GetObjectItemCaseSensitive(obj, "ticketIds");
    bool has_op = cJSON_IsObject(op);
    if (!cJSON_IsObject(obj) || (!has_op && op != NULL && !cJSON_IsNull(op))
        || !text_of(obj, "id", out->id, sizeof out->id, true)
        || !text_of(obj, "at", out->at, sizeof out->at, true) || !text_of(obj, "day", out->day, sizeof out->day, false)
        || !text_of(obj, "type", out->type, sizeof out->type, true)
        || (has_op && !text_of(op, "sub", out->operator_sub, sizeof out->operator_sub, true))
        || (has_op && !text_of(op, "name", out->operator_name, sizeof out->operator_name, false))
        || !text_of(obj, "terminal", out->terminal, sizeof out->terminal, false)
        || !text_of(obj, "shiftId", out->shift_id, sizeof out->shift_id, false)
        || !text_of(obj, "concertId", out->concert_id, sizeof out->concert_id, false)
        || !text_of(obj, "orderId", out->order_id, sizeof out->order_id, false)
        || !text_of(obj, "currency", out->currency, sizeof out->currency, false)
        || !text_of(obj, "detail", out->detail, sizeof out->detail, false) || !amount_of(obj, out)
        || !int_of(obj, "count", &out->has_count, &out->count) || !int_of(obj, "seq", &out->has_seq, &out->seq)
        || (out->has_seq && out->seq < 1) || (tickets != NULL && !cJSON_IsNull(tickets) && !cJSON_IsArray(tickets)))
        goto fail;
    if (cJSON_IsArray(tickets))
        out->n_tickets = (size_t)cJSON_GetArraySize(tickets);
    if ((out->json = cJSON_Duplicate(obj, true)) == NULL)
        goto fail;
    return 0;
fail:
    bo_journal_entry_clear(out);
    return -1;
}

static bool given(const char *s)
{
    return s != NULL && s[0] != '\0';
}

static bool cursor_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > API_JOURNAL_CURSOR_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x21 || (unsigned char)s[i] > 0x7e)
            return false;
    return true;
}

const char *api_journal_query_check(const api_journal_query *q)
{
    int kinds = given(q->day) + given(q->concert_id) + given(q->shift_id);
    if (kinds != 1)
        return "The journal is read by day, by concert or by shift (one of them)";
    if (given(q->operator_sub) && !given(q->day))
        return "An operator's entries are read by day: give the day too";
    if (given(q->day) && (strlen(q->day) != 10 || bo_valid_date(q->day) != NULL))
        return "day: a date such as 2026-12-07";
    if ((given(q->operator_sub) && !api_id_ok(q->operator_sub)) || (given(q->concert_id) && !api_id_ok(q->concert_id))
        || (given(q->shift_id) && !api_id_ok(q->shift_id)))
        return "Not an ID";
    if (q->limit < 0 || q->limit > API_JOURNAL_LIMIT_MAX)
        return "The limit must be 1 to 100";
    if (given(q->cursor) && !cursor_ok(q->cursor))
        return "Bad cursor";
    return NULL;
}

static bool add_param(api_client *c, char *url, bool *first, const char *name, const char *value)
{
    if (!given(value))
        return true;
    char *esc = curl_easy_escape(c->curl, value, 0);
    if (esc == NULL)
        return false;
    size_t len = strlen(url);
    int n = snprintf(url + len, API_URL_MAX - len, "%c%s=%s", *first ? '?' : '&', name, esc);
    curl_free(esc);
    *first = false;
    return n > 0 && (size_t)n < API_URL_MAX - len;
}

static api_status page_from_json(const cJSON *j, api_journal_page *out, api_result *res)
{
    const cJSON *entries = cJSON_GetObjectItemCaseSensitive(j, "entries"), *e;
    const cJSON *cursor = cJSON_GetObjectItemCaseSensitive(j, "cursor");
    long http = res != NULL ? res->http_status : 200;
    if (!cJSON_IsArray(entries) || cJSON_GetArraySize(entries) > API_JOURNAL_PAGE_MAX)
        return api_set_result(res, API_ERR_PROTOCOL, http, "Malformed answer: no list of journal entries");
    if (cursor != NULL && !cJSON_IsNull(cursor)) {
        if (!cJSON_IsString(cursor) || !cursor_ok(cursor->valuestring))
            return api_set_result(res, API_ERR_PROTOCOL, http, "Malformed answer: a cursor the client cannot keep");
        memcpy(out->cursor, cursor->valuestring, strlen(cursor->valuestring) + 1);
    }
    size_t n = (size_t)cJSON_GetArraySize(entries);
    if (n > 0 && (out->entries = calloc(n, sizeof *out->entries)) == NULL)
        return api_set_result(res, API_ERR_NOMEM, 0, NULL);
    cJSON_ArrayForEach(e, entries) {
        if (bo_journal_entry_from_json(e, &out->entries[out->n]) != 0) {
            api_journal_page_clear(out);
            return api_set_result(res, API_ERR_PROTOCOL, http, "Malformed answer: a journal entry the client cannot read");
        }
        out->n++;
    }
    return API_OK;
}

api_status api_journal_get(api_client *c, const api_journal_query *q, api_journal_page *out, api_result *res)
{
    char url[API_URL_MAX], limit[16];
    cJSON *j = NULL, *err = NULL;
    bool first = true;
    memset(out, 0, sizeof *out);
    const char *bad = api_journal_query_check(q);
    if (bad != NULL)
        return api_set_result(res, API_ERR_INVALID, 0, "%s", bad);
    snprintf(limit, sizeof limit, "%d", q->limit);
    if (!api_build_url(c, "/journal", NULL, url) || !add_param(c, url, &first, "day", q->day)
        || !add_param(c, url, &first, "operator", q->operator_sub)
        || !add_param(c, url, &first, "concert", q->concert_id) || !add_param(c, url, &first, "shift", q->shift_id)
        || !add_param(c, url, &first, "limit", q->limit > 0 ? limit : NULL)
        || !add_param(c, url, &first, "cursor", q->cursor))
        return api_set_result(res, API_ERR_INVALID, 0, "The query is too long");
    api_status st = api_request_full(c, "GET", url, NULL, NULL, false, &j, &err, res);
    if (st == API_OK)
        st = page_from_json(j, out, res);
    else
        api_refusal_message(st, err, res);
    cJSON_Delete(err);
    cJSON_Delete(j);
    return st;
}
