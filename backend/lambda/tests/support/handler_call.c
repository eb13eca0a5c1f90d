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

handler_answer handler_call_on(store *s, handler_fn fn, const handler_req *q)
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
    cJSON *rc = cJSON_AddObjectToObject(e, "requestContext");
    cJSON *id = cJSON_AddObjectToObject(rc, "identity");
    if (q->key_id)
        cJSON_AddStringToObject(id, "apiKeyId", q->key_id);
    if (q->sub) {
        cJSON *claims = cJSON_AddObjectToObject(cJSON_AddObjectToObject(rc, "authorizer"), "claims");
        cJSON_AddStringToObject(claims, "sub", q->sub);
        cJSON_AddStringToObject(claims, "cognito:username", q->sub);
        cJSON_AddStringToObject(claims, "token_use", "id");
        if (q->groups)
            cJSON_AddStringToObject(claims, "cognito:groups", q->groups);
        if (q->name)
            cJSON_AddStringToObject(claims, "name", q->name);
    }
    if (q->method)
        cJSON_AddStringToObject(e, "httpMethod", q->method);
    if (q->resource)
        cJSON_AddStringToObject(e, "resource", q->resource);
    char *ev_text = cJSON_PrintUnformatted(e);
    cJSON_Delete(e);
    assert_non_null(ev_text);
    apigw_event ev;
    assert_int_equal(apigw_event_parse(ev_text, strlen(ev_text), &ev), 0);
    free(ev_text);
    handler_result r;
    memset(&r, 0, sizeof r);
    fn(s, &ev, &r);
    handler_answer a = { .status = r.resp.status, .replayed = r.resp.replayed, .retry_after = r.resp.retry_after_s };
    a.text = r.resp.body ? strdup(r.resp.body) : NULL;
    a.body = a.text ? cJSON_Parse(a.text) : NULL;
    handler_result_clear(&r);
    apigw_event_clear(&ev);
    return a;
}

void handler_answer_clear(handler_answer *a)
{
    cJSON_Delete(a->body);
    free(a->text);
    memset(a, 0, sizeof *a);
}

int handler_call(handler_fn fn, const handler_req *q, char *text, size_t size)
{
    handler_answer a = handler_call_on(NULL, fn, q);
    snprintf(text, size, "%s", a.text ? a.text : "");
    int status = a.status;
    handler_answer_clear(&a);
    return status;
}
