/* API Gateway v1.0 proxy responses. */
#include "apigw.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int apigw_response_error(apigw_response *r, int status, const char *message)
{
    r->status = status;
    free(r->body);
    r->body = NULL;
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddStringToObject(o, "error", message ? message : "error")) {
        cJSON_Delete(o);
        return -1;
    }
    r->body = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return r->body ? 0 : -1;
}

void apigw_response_take(apigw_response *r, int status, char *body)
{
    free(r->body);
    r->status = status;
    r->body = body;
}

void apigw_response_clear(apigw_response *r)
{
    if (!r)
        return;
    free(r->body);
    memset(r, 0, sizeof *r);
}

char *apigw_response_json(const apigw_response *r)
{
    char *out = NULL;
    cJSON *o = cJSON_CreateObject();
    cJSON *h = cJSON_CreateObject();
    if (!o || !h)
        goto fail;
    if (!cJSON_AddNumberToObject(o, "statusCode", r->status) ||
        !cJSON_AddStringToObject(h, "Content-Type", "application/json"))
        goto fail;
    if (r->retry_after_s > 0) {
        char ra[16];
        snprintf(ra, sizeof ra, "%u", r->retry_after_s);
        if (!cJSON_AddStringToObject(h, "Retry-After", ra))
            goto fail;
    }
    if (r->replayed && !cJSON_AddStringToObject(h, "Idempotent-Replayed", "true"))
        goto fail;
    if (!cJSON_AddItemToObject(o, "headers", h))
        goto fail;
    h = NULL; /* owned by o now */
    if (!cJSON_AddFalseToObject(o, "isBase64Encoded") || !cJSON_AddStringToObject(o, "body", r->body ? r->body : ""))
        goto fail;
    out = cJSON_PrintUnformatted(o);
fail:
    cJSON_Delete(h);
    cJSON_Delete(o);
    return out;
}
