#ifndef GW_HTTP_H
#define GW_HTTP_H
/* The API Gateway side of the local gateway: an HTTP server (libmicrohttpd, one thread per
 * connection) serving the routes of serverless.yml at /<stage>/..., invoking the functions through
 * the worker pool and mapping their proxy responses back. Edge behaviour as API Gateway:
 *   malformed request (gw_strict.h)     400 {"message":"Bad Request"} and close, or just close
 *   unknown path/method                 403 {"message":"Missing Authentication Token"}
 *   Cognito route (authorizer COGNITO_USER_POOLS) without a valid ID token in Authorization
 *                                       401 with the UNAUTHORIZED GatewayResponse body of serverless.yml
 *                                       (gw_jwks_check: checked before any worker is used; the token is
 *                                       never logged, the access log names the reason as "authError");
 *                                       a valid one hands its claims to the function as
 *                                       requestContext.authorizer.claims
 *   route with an authorizer the gateway cannot run (aws_iam, a Lambda authorizer) 401 likewise
 *   private route without the right key 403 {"message":"Forbidden"} (x-api-key: exactly one header,
 *                                       compared without leading/trailing spaces and tabs)
 *   body over max_body bytes            413 {"message":"Request Too Long"} once the body is read
 *                                       (dropped, up to 64 MiB / 15 s, then the connection closes;
 *                                       at once with "Expect: 100-continue")
 *   malformed function response, function error, crashed worker, function timeout
 *                                       502 {"message": "Internal server error"}
 *   no answer within the integration timeout (API Gateway's 29 s)
 *                                       504 {"message": "Endpoint request timed out"}
 *   over the concurrency limit          429 {"message":"Too Many Requests"}
 * Outside the stage: GET /__gateway/health -> {"status":"ok",...}; GET /__gateway/workers -> the pool
 * snapshot (gw_pool_status). One JSON access-log line per request. */
#include <stddef.h>
#include <stdint.h>
#include "gw_config.h"
#include "gw_jwks.h"
#include "gw_pool.h"

typedef struct gw_http_options {
    const char *host;          /* listen address, "127.0.0.1" */
    uint16_t port;             /* 0 = any free port (see gw_http_port) */
    size_t max_body;           /* request bodies above this get 413 */
    const char *api_key;       /* the operator key for private routes, or NULL (then none passes) */
    int integration_timeout_ms; /* 0: API Gateway's GW_INTEGRATION_TIMEOUT_MS */
    gw_jwks *jwks;             /* the user pool's keys for Cognito routes, or NULL (then they answer 401) */
} gw_http_options;

#define GW_INTEGRATION_TIMEOUT_MS 29000

typedef struct gw_http gw_http;

/* Starts serving. cfg, pool and opts (strings included) must outlive the server.
 * NULL on failure with err filled. */
gw_http *gw_http_start(const gw_config *cfg, gw_pool *pool, const gw_http_options *opts, char *err, size_t errlen);
uint16_t gw_http_port(const gw_http *h);
/* Stops accepting, waits for the connection threads (stop the pool first so none waits on a
 * worker), frees. NULL is fine. */
void gw_http_stop(gw_http *h);

#endif
