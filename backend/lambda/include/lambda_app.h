#ifndef LAMBDA_APP_H
#define LAMBDA_APP_H
/* The concert-service function: glue between the runtime loop (rt_loop.h), the API Gateway event
 * (apigw.h) and the handlers (handlers.h). bootstrap.c's main() is app_main(NULL).
 *
 * Start-up reads only the environment and creates the curl handles: _HANDLER, the table variables the
 * handler declares (handler_def.tables: ORDERS_TABLE, CODES_TABLE, ...) with CONCERTS_TABLE and TICKETS_TABLE
 * always (HANDLER_TABLES_ALWAYS), and the
 * store's AWS_* variables. A failure there is posted to /runtime/init/error and app_main returns 1. */
#include "handlers.h"
#include "rt_loop.h"

typedef struct app {
    const handler_def *handler;
    store *st;                /* owned */
    bool warm;                /* false until the first invocation has run */
} app;

/* Reads _HANDLER and opens the store. 0, or -1 with *error_type ("Runtime.HandlerNotFound",
 * "Runtime.ConfigError", "Runtime.StoreError") and a reason in err (never a secret). */
int app_init(app *a, const char **error_type, char *err, size_t errlen);
void app_close(app *a);

/* The rt_handler_fn: parses the event (a malformed one, or one without httpMethod and resource, gets a proxy
 * 400 answer), checks the caller against the route table (authz.h: 401/403 before any handler), sets the
 * store deadline, runs the handler, writes the log line, returns the proxy response JSON. user is app *. */
rt_response app_invoke(const rt_request *req, void *user);

/* The whole bootstrap: Runtime API client, app_init (or /init/error), rt_run. opts may be NULL. */
int app_main(const rt_options *opts);

#endif
