/* Refunds: POST /orders/{id}/refund with an Idempotency-Key kept by the caller; see include/api_refund.h.
 * The transport is api.c's (api_internal.h): api_post_idempotent retries with the same key. */
#include "api_refund.h"
#include "api_internal.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bo_text.h"

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
        if (!cJSON_IsString(id) || !bo_id_plausible(id->valuestring))
            continue;
        snprintf(out->tickets[out->n].id, sizeof out->tickets[out->n].id, "%s", id->valuestring);
        if (cJSON_IsString(status))
            bo_text_sanitize(out->tickets[out->n].status, sizeof out->tickets[out->n].status, status->valuestring);
        out->n++;
    }
}

api_status api_refund_order(api_client *c, const api_refund_input *in, const char *idem_key, bo_order *out,
                            api_refund_refusal *refused, api_result *res)
{
    char url[API_URL_MAX], key[API_IDEM_KEY_MAX + 1];
    cJSON *j = NULL, *err = NULL;
    char *text = NULL;
    double total_ms = 0;
    bool applied = false;
    api_status st;
    memset(out, 0, sizeof *out);
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
    if (idem_key != NULL && !api_idempotency_key_valid(idem_key))
        return api_set_result(res, API_ERR_INVALID, 0, "Idempotency-Key must be 1 to %d visible ASCII characters",
                              API_IDEM_KEY_MAX);
    if (!api_build_url(c, "/orders/", in->order_id, url) || strlen(url) + sizeof "/refund" > sizeof url)
        return api_set_result(res, API_ERR_NOMEM, 0, NULL);
    strcat(url, "/refund");
    if (idem_key != NULL)
        snprintf(key, sizeof key, "%s", idem_key);
    else
        api_idempotency_key_new(key);
    if ((text = api_refund_body(in)) == NULL) {
        st = api_set_result(res, API_ERR_NOMEM, 0, NULL);
        goto cleanup;
    }
    st = api_post_idempotent(c, url, text, key, &j, &err, res, &applied, &total_ms);
    if (st == API_ERR_NOT_FOUND) {
        st = api_set_result(res, API_ERR_NOT_FOUND, res != NULL ? res->http_status : 404, "No such order");
    } else if (st == API_OK && bo_order_from_json(j, out) != 0) {
        st = api_set_result(res, API_ERR_PROTOCOL, res != NULL ? res->http_status : 200, NULL);
        applied = true; /* a 2xx came back: the refund was made, but the order could not be read */
    } else if (st != API_OK && err != NULL && refused != NULL) {
        refusal_from_json(err, refused);
    }
cleanup:
    if (res != NULL) {
        res->latency_ms = total_ms;
        res->unconfirmed = st != API_OK && !api_definite_refusal(st) && applied;
    }
    memset(key, 0, sizeof key);
    cJSON_Delete(j);
    cJSON_Delete(err);
    free(text);
    return st;
}
