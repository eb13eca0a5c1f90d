#ifndef HANDLER_CALL_H
#define HANDLER_CALL_H
/* Calls a handler on an API Gateway event built from a few parts, without a store (st == NULL: input the
 * handler accepts answers 503), for the request-validation unit tests. Fails the running cmocka test when
 * the event does not parse. */
#include <stddef.h>

#include "handlers.h"

typedef struct handler_req {
    const char *body;            /* the body text, NULL: none */
    const char *query;           /* queryStringParameters as JSON object text, NULL: none */
    const char *param, *value;   /* one path parameter name=value, NULL: none */
    const char *idem;            /* the Idempotency-Key header, NULL: none */
    const char *api_key_header;  /* the x-api-key header, NULL: none */
    const char *key_id;          /* requestContext.identity.apiKeyId (API Gateway's key check), NULL: none */
} handler_req;

/* Returns the answer's status; its body (truncated) into text (size bytes, "" without one). */
int handler_call(handler_fn fn, const handler_req *q, char *text, size_t size);

#endif
