#ifndef HANDLER_CALL_H
#define HANDLER_CALL_H
/* Calls a handler on an API Gateway event built from a few parts: without a store (handler_call: input the
 * handler accepts answers 503) for the request-validation unit tests, or on a store (handler_call_on) for the
 * integration tests. Fails the running cmocka test when the event does not parse. */
#include <stdbool.h>
#include <stddef.h>

#include <cjson/cJSON.h>

#include "handlers.h"

typedef struct handler_req {
    const char *body;            /* the body text, NULL: none */
    const char *query;           /* queryStringParameters as JSON object text, NULL: none */
    const char *param, *value;   /* one path parameter name=value, NULL: none */
    const char *idem;            /* the Idempotency-Key header, NULL: none */
    const char *api_key_header;  /* the x-api-key header, NULL: none */
    const char *key_id;          /* requestContext.identity.apiKeyId (API Gateway's key check), NULL: none */
    /* requestContext.authorizer.claims, as API Gateway's Cognito authorizer hands them over (strings): */
    const char *sub;             /* claim sub, NULL: no claims at all (not signed in) */
    const char *groups;          /* claim cognito:groups ("manager,cashier"), NULL: none */
    const char *name;            /* claim name, NULL: none */
    const char *method, *resource; /* httpMethod and resource, NULL: none */
} handler_req;

/* Returns the answer's status; its body (truncated) into text (size bytes, "" without one). */
int handler_call(handler_fn fn, const handler_req *q, char *text, size_t size);

/* The whole answer of handler_call_on. text and body are owned by it: handler_answer_clear frees them. */
typedef struct handler_answer {
    int status;
    cJSON *body;                 /* the body parsed (object or array), NULL without one */
    char *text;                  /* the body text, NULL without one */
    bool replayed;               /* an Idempotency-Key replay */
    unsigned retry_after;        /* Retry-After seconds, 0: none */
} handler_answer;

/* Runs fn with the store s (NULL: none) on the event q describes. */
handler_answer handler_call_on(store *s, handler_fn fn, const handler_req *q);
void handler_answer_clear(handler_answer *a);

#endif
