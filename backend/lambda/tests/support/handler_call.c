/* Calls a handler on an event built from a few parts: see handler_call.h. */
#include "handler_call.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int handler_call(handler_fn fn, const handler_req *q, char *text, size_t size)
{
    cJSON *e = cJSON_CreateObject();
    if (q->body)
        cJSON_AddStringToObject(e, "body", q->body);
    if (q->query)
        cJSON_AddItemToObject(e, "queryStringParameters", cJSON_Parse(q->query));
    cJSON *h = cJSON_AddObjectToObject(e, "headers");
    if (q->api_key_header)
        cJSON_AddStringToObject(h, "x-api-key", q->api_key_header);
    if (q->idem)
        cJSON_AddStringToObject(h, "Idempotency-Key", q->idem);
    if (q->param)
        cJSON_AddStringToObject(cJSON_AddObjectToObject(e, "pathParameters"), q->param, q->value);
    cJSON *id = cJSON_AddObjectToObject(cJSON_AddObjectToObject(e, "requestContext"), "identity");
    if (q->key_id)
        cJSON_AddStringToObject(id, "apiKeyId", q->key_id);
    char *ev_text = cJSON_PrintUnformatted(e);
    cJSON_Delete(e);
    assert_non_null(ev_text);
    apigw_event ev;
    assert_int_equal(apigw_event_parse(ev_text, strlen(ev_text), &ev), 0);
    free(ev_text);
    handler_result r;
    memset(&r, 0, sizeof r);
    fn(NULL, &ev, &r);
    snprintf(text, size, "%s", r.resp.body ? r.resp.body : "");
    int status = r.resp.status;
    handler_result_clear(&r);
    apigw_event_clear(&ev);
    return status;
}
