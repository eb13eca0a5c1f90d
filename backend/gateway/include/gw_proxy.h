#ifndef GW_PROXY_H
#define GW_PROXY_H
/* The API Gateway REST (v1.0 proxy) side of the gateway, pure functions: the event a Lambda proxy
 * integration receives, and the proxy response it returns mapped back to HTTP. (The function reads
 * such events with backend/lambda/include/apigw.h.) */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>
#include "gw_config.h"

typedef struct gw_kv {
    const char *key;
    const char *value;         /* may be NULL for a query flag without '=' (treated as "") */
} gw_kv;

/* One HTTP request as the gateway received it. Everything borrowed. */
typedef struct gw_request {
    const char *method;        /* "GET" */
    const char *path;          /* below the stage, percent-decoded: "/concerts/abc" */
    const char *stage;         /* "dev" */
    const gw_kv *headers;      /* in arrival order, names as sent */
    size_t n_headers;
    const gw_kv *query;        /* decoded query arguments in order */
    size_t n_query;
    const char *body;          /* may hold any bytes; NULL when there is none */
    size_t body_len;
    const char *source_ip;
    const char *request_id;    /* API Gateway request id (also the Lambda request id here) */
    int64_t time_epoch_ms;
    const char *api_key;       /* the x-api-key that unlocked a private route, or NULL */
    const cJSON *claims;       /* a Cognito authorizer's claims (an object of strings), or NULL: the event's
                                  requestContext.authorizer.claims */
    const char *api_id;        /* stands in for the API id in requestContext */
} gw_request;

/* Builds the proxy event for req on route (path_params from gw_route_match, may be NULL).
 * Returns a JSON text owned by the caller (free()), or NULL when out of memory. Bodies that are not
 * valid UTF-8 or contain NUL bytes are sent base64-encoded with isBase64Encoded true. */
char *gw_event_build(const gw_request *req, const gw_route *route, const cJSON *path_params);

typedef struct gw_header {
    char *name;
    char *value;
} gw_header;

/* A proxy response mapped to HTTP. Owned by whoever gw_response_parse filled it: gw_response_clear. */
typedef struct gw_response {
    int status;
    gw_header *headers;        /* headers, then multiValueHeaders entries */
    size_t n_headers;
    char *body;                /* decoded when isBase64Encoded; NULL when none */
    size_t body_len;
} gw_response;

/* Parses what the function returned. 0 on success; -1 when it is no valid proxy response (API Gateway
 * then answers 502 {"message": "Internal server error"}): not a JSON object, statusCode missing or
 * not an integer 100..599, headers not an object of scalars, multiValueHeaders not an object of arrays,
 * body not a string, isBase64Encoded not a boolean or body not base64 when it is true. */
int gw_response_parse(const char *payload, size_t len, gw_response *out);
void gw_response_clear(gw_response *r);

#endif
