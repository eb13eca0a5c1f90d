/* Refunds: POST /orders/{id}/refund with an Idempotency-Key kept by the caller; see include/api_refund.h.
 * The transport is api.c's (api_internal.h): api_post_idempotent retries with the same key. */
#include "api_refund.h"
#include "api_internal.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bo_money.h"
#include "bo_text.h"

void api_refund_made_text(const api_refund_made *m, const char *currency, char *out, size_t cap)
{
    char money[64];
    if (!m->known) {
        snprintf(out, cap, "Refunded; which tickets and how much the server did not say: see the order");
        return;
    }
    model_money_with_currency(m->amount_cents, currency != NULL ? currency : "", money, sizeof money);
    snprintf(out, cap, "Refunded %zu ticket%s: %s back by %s", m->n, m->n == 1 ? "" : "s", money,
             m->method != BO_PAY_NONE ? bo_pay_method_name(m->method) : "a method this client does not know");
}

char *api_refund_body(const api_refund_input *in)
{
    char *text = NULL;
    cJSON *b = cJSON_CreateObject();
    if (b == NULL)
        return NULL;
    if (in->n_ticket_ids > 0) {
        cJSON *ids = cJSON_AddArrayToObject(b, "ticketIds");
        if (ids == NULL)
            goto done;
        for (size_t i = 0; i < in->n_ticket_ids; i++) {
            cJSON *s = cJSON_CreateString(in->ticket_ids[i]);
            if (s == NULL || !cJSON_AddItemToArray(ids, s)) {
                cJSON_Delete(s);
                goto done;
            }
        }
    }
    if (cJSON_AddStringToObject(b, "reason", in->reason != NULL ? in->reason : "") == NULL
        || (in->method != BO_PAY_NONE && cJSON_AddStringToObject(b, "method", bo_pay_method_name(in->method)) == NULL))
        goto done;
    if (in->shift_id != NULL && in->shift_id[0] != '\0'
        && (cJSON_AddStringToObject(b, "shiftId", in->shift_id) == NULL
            || cJSON_AddStringToObject(b, "terminal", in->terminal != NULL ? in->terminal : "") == NULL))
        goto done;
    text = cJSON_PrintUnformatted(b);
done:
    cJSON_Delete(b);
    return text;
}

/* The 409's {"error", "tickets": [{"id", "status"}]} into *out (ids that are not plausible are skipped). */
static void refusal_from_json(const cJSON *j, api_refund_refusal *out)
{
    const cJSON *tickets = cJSON_GetObjectItemCaseSensitive(j, "tickets"), *t;
    cJSON_ArrayForEach(t, tickets) {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(t, "id");
        const cJSON *status = cJSON_GetObjectItemCaseSensitive(t, "status");
        if (out->n >= BO_ORDER_TICKETS_MAX)
            break;
        if (!cJSON_IsString(id) || !model_id_plausible(id->valuestring))
            continue;
        snprintf(out->tickets[out->n].id, sizeof out->tickets[out->n].id, "%s", id->valuestring);
        if (cJSON_IsString(status))
            bo_text_sanitize(out->tickets[out->n].status, sizeof out->tickets[out->n].status, status->valuestring);
        out->n++;
    }
}

/* The answer's "refund" (this request's) into *out; out->known stays false when it is absent or unreadable. */
static void made_from_json(const cJSON *j, api_refund_made *out)
{
    const cJSON *r = cJSON_GetObjectItemCaseSensitive(j, "refund");
    const cJSON *amount = cJSON_GetObjectItemCaseSensitive(r, "amount");
    const cJSON *method = cJSON_GetObjectItemCaseSensitive(r, "method");
    const cJSON *ids = cJSON_GetObjectItemCaseSensitive(r, "ticketIds"), *id;
    memset(out, 0, sizeof *out);
    if (!cJSON_IsString(amount) || bo_money_parse(amount->valuestring, &out->amount_cents) != 0
        || !cJSON_IsString(method) || !cJSON_IsArray(ids) || cJSON_GetArraySize(ids) < 1
        || cJSON_GetArraySize(ids) > BO_ORDER_TICKETS_MAX)
        return;
    cJSON_ArrayForEach(id, ids) {
        if (!cJSON_IsString(id) || !model_id_plausible(id->valuestring))
            return;
        snprintf(out->ticket_ids[out->n++], sizeof out->ticket_ids[0], "%s", id->valuestring);
    }
    out->method = bo_pay_method_parse(method->valuestring);
    out->known = true;
}

api_status api_refund_order(api_client *c, const api_refund_input *in, const char *idem_key, bo_order *out,
                            api_refund_made *made, api_refund_refusal *refused, api_result *res)
{
    char url[API_URL_MAX];
    cJSON *j = NULL, *err = NULL;
    api_status st;
    memset(out, 0, sizeof *out);
    if (made != NULL)
        memset(made, 0, sizeof *made);
    if (refused != NULL)
        memset(refused, 0, sizeof *refused);
    if (!api_id_ok(in->order_id))
        return api_set_result(res, API_ERR_NOT_FOUND, 0, "No such order");
    if (in->reason == NULL || !bo_text_has_visible(in->reason))
        return api_set_result(res, API_ERR_INVALID, 0, "A reason is required");
    if (in->n_ticket_ids > BO_ORDER_TICKETS_MAX)
        return api_set_result(res, API_ERR_INVALID, 0, "At most %d tickets", BO_ORDER_TICKETS_MAX);
    for (size_t i = 0; i < in->n_ticket_ids; i++)
        if (!api_id_ok(in->ticket_ids[i]))
            return api_set_result(res, API_ERR_INVALID, 0, "Not a ticket id");
    if ((st = api_idem_key_check(idem_key, res)) != API_OK)
        return st;
    if (!api_build_url_sub(c, "/orders/", in->order_id, "/refund", url))
        return api_set_result(res, API_ERR_NOMEM, 0, NULL);
    char *text = api_refund_body(in);
    st = api_post_keyed(c, url, text, idem_key, &j, &err, res);
    if (st == API_ERR_NOT_FOUND) {
        st = api_set_result(res, API_ERR_NOT_FOUND, res != NULL ? res->http_status : 404, "No such order");
    } else if (st == API_OK && bo_order_from_json(j, out) != 0) { /* the refund was made, the order unreadable */
        st = api_post_unreadable(api_set_result(res, API_ERR_PROTOCOL, res != NULL ? res->http_status : 200, NULL), res);
    } else if (st == API_OK && made != NULL) {
        made_from_json(j, made);
    } else if (st != API_OK && err != NULL && refused != NULL) {
        refusal_from_json(err, refused);
    }
    cJSON_Delete(j);
    cJSON_Delete(err);
    free(text);
    return st;
}
