/* Finding orders: GET /orders (by e-mail or name prefix) and GET /tickets/by-code/{code}; see
 * include/api_lookup.h. The transport is api.c's (api_internal.h). */
#include "api_lookup.h"
#include "api_internal.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bo_code.h"
#include "bo_text.h"

void api_order_page_clear(api_order_page *p)
{
    if (p == NULL)
        return;
    for (size_t i = 0; i < p->n; i++)
        bo_order_clear(&p->orders[i]);
    free(p->orders);
    memset(p, 0, sizeof *p);
}

void api_ticket_found_clear(api_ticket_found *f)
{
    if (f == NULL)
        return;
    bo_order_ticket_clear(&f->ticket);
    bo_order_clear(&f->order);
    bo_concert_clear(&f->concert);
    memset(f, 0, sizeof *f);
}

/* Appends "<sep>name=<escaped value>" to url (URL_MAX bytes). false when it does not fit or on OOM. */
static bool add_param(api_client *c, char *url, char sep, const char *name, const char *value)
{
    char *esc = curl_easy_escape(c->curl, value, 0);
    if (esc == NULL)
        return false;
    size_t len = strlen(url);
    int n = snprintf(url + len, API_URL_MAX - len, "%c%s=%s", sep, name, esc);
    curl_free(esc);
    return n > 0 && (size_t)n < API_URL_MAX - len;
}

static bool given(const char *s)
{
    return s != NULL && s[0] != '\0';
}

/* An opaque cursor is kept and sent back as it came: visible ASCII only, so it can never reach a terminal
 * or a URL as anything else. */
static bool cursor_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > API_CURSOR_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x21 || (unsigned char)s[i] > 0x7e)
            return false;
    return true;
}

static api_status page_from_json(const cJSON *j, api_order_page *out, api_result *res)
{
    const cJSON *orders = cJSON_GetObjectItemCaseSensitive(j, "orders"), *o;
    const cJSON *cursor = cJSON_GetObjectItemCaseSensitive(j, "cursor");
    long http = res != NULL ? res->http_status : 200;
    if (!cJSON_IsArray(orders) || cJSON_GetArraySize(orders) > API_FIND_LIMIT_MAX)
        return api_set_result(res, API_ERR_PROTOCOL, http, NULL);
    if (cursor != NULL && !cJSON_IsNull(cursor)) {
        if (!cJSON_IsString(cursor) || !cursor_ok(cursor->valuestring))
            return api_set_result(res, API_ERR_PROTOCOL, http, "Malformed answer: a cursor the client cannot keep");
        memcpy(out->cursor, cursor->valuestring, strlen(cursor->valuestring) + 1);
    }
    size_t n = (size_t)cJSON_GetArraySize(orders);
    if (n > 0 && (out->orders = calloc(n, sizeof *out->orders)) == NULL)
        return api_set_result(res, API_ERR_NOMEM, 0, NULL);
    cJSON_ArrayForEach(o, orders) {
        if (bo_order_summary_from_json(o, &out->orders[out->n]) != 0) {
            api_order_page_clear(out);
            return api_set_result(res, API_ERR_PROTOCOL, http, "Malformed answer: an order the client cannot read");
        }
        out->n++;
    }
    return API_OK;
}

api_status api_find_orders(api_client *c, const api_order_query *q, api_order_page *out, api_result *res)
{
    char url[API_URL_MAX];
    cJSON *j = NULL;
    memset(out, 0, sizeof *out);
    bool by_email = given(q->email), by_name = given(q->name);
    if (by_email == by_name)
        return api_set_result(res, API_ERR_INVALID, 0, "Search by e-mail or by name (one of them)");
    if (q->limit < 0 || q->limit > API_FIND_LIMIT_MAX)
        return api_set_result(res, API_ERR_INVALID, 0, "The limit must be 1 to %d", API_FIND_LIMIT_MAX);
    if (given(q->concert_id) && !api_id_ok(q->concert_id))
        return api_set_result(res, API_ERR_NOT_FOUND, 0, NULL);
    if (given(q->cursor) && !cursor_ok(q->cursor))
        return api_set_result(res, API_ERR_INVALID, 0, "Bad cursor");
    char limit[16];
    snprintf(limit, sizeof limit, "%d", q->limit);
    if (!api_build_url(c, "/orders", NULL, url)
        || !add_param(c, url, '?', by_email ? "email" : "name", by_email ? q->email : q->name)
        || (given(q->concert_id) && !add_param(c, url, '&', "concertId", q->concert_id))
        || (q->limit > 0 && !add_param(c, url, '&', "limit", limit))
        || (given(q->cursor) && !add_param(c, url, '&', "cursor", q->cursor)))
        return api_set_result(res, API_ERR_INVALID, 0, "The search text is too long");
    api_status st = api_request_ex(c, "GET", url, NULL, false, &j, res);
    if (st == API_OK)
        st = page_from_json(j, out, res);
    cJSON_Delete(j);
    memset(url, 0, sizeof url); /* an e-mail */
    return st;
}

/* The ticket of a by-code answer (CheckinTicket): id and code required, the rest when present. */
static int found_ticket(const cJSON *t, api_ticket_found *out)
{
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(t, "id");
    const cJSON *code = cJSON_GetObjectItemCaseSensitive(t, "code");
    const cJSON *order = cJSON_GetObjectItemCaseSensitive(t, "orderId");
    const cJSON *v;
    char canon[BO_CODE_BUF];
    if (!cJSON_IsObject(t) || !cJSON_IsString(id) || !model_id_plausible(id->valuestring) || !cJSON_IsString(code)
        || strlen(code->valuestring) > BO_CODE_MAX || bo_code_parse(code->valuestring, canon) != 0)
        return -1;
    snprintf(out->ticket.id, sizeof out->ticket.id, "%s", id->valuestring);
    snprintf(out->ticket.code, sizeof out->ticket.code, "%s", code->valuestring);
    if (cJSON_IsString(order) && model_id_plausible(order->valuestring))
        snprintf(out->order_id, sizeof out->order_id, "%s", order->valuestring);
    struct { const char *key; char *dst; size_t cap; } fields[] = {
        { "status", out->ticket.status, sizeof out->ticket.status },
        { "checkedInAt", out->ticket.checked_in_at, sizeof out->ticket.checked_in_at },
        { "door", out->ticket.door, sizeof out->ticket.door },
        { "refundedAt", out->ticket.refunded_at, sizeof out->ticket.refunded_at },
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        v = cJSON_GetObjectItemCaseSensitive(t, fields[i].key);
        if (cJSON_IsString(v))
            bo_text_sanitize(fields[i].dst, fields[i].cap, v->valuestring);
    }
    v = cJSON_GetObjectItemCaseSensitive(t, "attendee");
    if (cJSON_IsString(v) && (out->ticket.attendee = api_sanitized_copy(v->valuestring)) == NULL)
        return -1;
    return (out->ticket.json = cJSON_Duplicate(t, true)) != NULL ? 0 : -1;
}

api_status api_ticket_by_code(api_client *c, const char *code, api_ticket_found *out, api_result *res)
{
    char url[API_URL_MAX], canon[BO_CODE_BUF];
    cJSON *j = NULL;
    memset(out, 0, sizeof *out);
    if (code == NULL || strlen(code) > BO_CODE_MAX || bo_code_parse(code, canon) != 0)
        return api_set_result(res, API_ERR_INVALID, 0, "Not a ticket code");
    if (!api_build_url(c, "/tickets/by-code/", canon, url))
        return api_set_result(res, API_ERR_NOMEM, 0, NULL);
    api_status st = api_request_ex(c, "GET", url, NULL, false, &j, res);
    memset(url, 0, sizeof url);
    memset(canon, 0, sizeof canon); /* a bearer secret */
    if (st == API_ERR_NOT_FOUND)
        return api_set_result(res, API_ERR_NOT_FOUND, res != NULL ? res->http_status : 404, "Unknown code");
    if (st != API_OK)
        return st;
    long http = res != NULL ? res->http_status : 200;
    if (found_ticket(cJSON_GetObjectItemCaseSensitive(j, "ticket"), out) != 0
        || bo_order_summary_from_json(cJSON_GetObjectItemCaseSensitive(j, "order"), &out->order) != 0
        || bo_concert_from_json(cJSON_GetObjectItemCaseSensitive(j, "concert"), &out->concert) != 0) {
        api_ticket_found_clear(out);
        st = api_set_result(res, API_ERR_PROTOCOL, http, "Malformed answer: the ticket, its order or its concert");
    }
    if (st == API_OK && out->order_id[0] == '\0')
        memcpy(out->order_id, out->order.id, sizeof out->order_id);
    cJSON_Delete(j);
    return st;
}
