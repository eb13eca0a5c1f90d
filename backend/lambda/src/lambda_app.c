/* The concert-service Lambda function: start-up and one invocation. */
#include "lambda_app.h"

#include "authz.h"
#include "bo_clock.h"
#include "caller.h"
#include "lambda_log.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char MALFORMED_EVENT[] = "request is not an API Gateway proxy event";

int app_init(app *a, const char **error_type, char *err, size_t errlen)
{
    memset(a, 0, sizeof *a);
    const char *name = getenv("_HANDLER");
    a->handler = handler_find(name);
    if (!a->handler) {
        *error_type = "Runtime.HandlerNotFound";
        snprintf(err, errlen, "_HANDLER \"%.100s\" is not one of the concert-service handlers (handlers.h)",
                 name ? name : "");
        return -1;
    }
    unsigned tables = a->handler->tables | HANDLER_TABLES_ALWAYS;
    for (int t = 0; t < STORE_T_COUNT; t++) {
        const char *var = store_table_env((store_table_id)t), *v = getenv(var);
        if ((tables & STORE_NEED(t)) && (!v || !*v)) {
            *error_type = "Runtime.ConfigError";
            snprintf(err, errlen, "%s is not set (%s needs it)", var, a->handler->short_name);
            return -1;
        }
    }
    char serr[256] = "";
    a->st = store_open_tables(tables, serr, sizeof serr);
    if (!a->st) {
        *error_type = "Runtime.StoreError";
        snprintf(err, errlen, "cannot open the store: %s", serr[0] ? serr : "unknown reason");
        return -1;
    }
    return 0;
}

void app_close(app *a)
{
    if (!a)
        return;
    store_close(a->st);
    a->st = NULL;
    handler_operators_close();
}

rt_response app_invoke(const rt_request *req, void *user)
{
    app *a = user;
    uint64_t t0 = bo_clock_mono_ns();
    apigw_event ev;
    handler_result res;
    memset(&res, 0, sizeof res);
    const char *bad_param = NULL;
    if (apigw_event_parse(req->payload, req->payload_len, &ev) != 0 || !ev.http_method || !ev.resource) {
        handler_fail(&res, 400, MALFORMED_EVENT); /* no route to judge it by: not a proxy event */
    } else {
        caller who;
        caller_from_event(&ev, &who);
        if (!authz_check(&ev, &who, &res)) {
            /* res holds the 401/403: the route table (authz.c) decides before any handler runs */
        } else if ((bad_param = apigw_path_params_problem(&ev)) != NULL) {
            handler_fail(&res, 400, bad_param); /* before any handler: the id it would read is not the one sent */
        } else {
            if (a->st)
                store_set_deadline(a->st, req->deadline_ms);
            a->handler->fn(a->st, &ev, &res);
        }
    }
    char *json = apigw_response_json(&res.resp);
    log_invocation li = {
        .request_id = req->request_id,
        .api_request_id = ev.request_id,
        .handler = a->handler->short_name,
        .method = ev.http_method,
        /* a ticket code in the path is a bearer secret, a username an e-mail: such routes log their template */
        .path = apigw_path_param(&ev, "code") || apigw_path_param(&ev, "username") ? ev.resource : ev.path,
        .status = res.resp.status,
        .duration_ms = (double)(bo_clock_mono_ns() - t0) / 1e6,
        .cold_start = !a->warm,
        .reason = res.reason,
        .store_error = res.store_error,
    };
    log_invocation_write(&li);
    a->warm = true;
    apigw_event_clear(&ev);
    handler_result_clear(&res);
    if (!json)
        return rt_response_failure("Runtime.OutOfMemory", "out of memory building the response");
    return rt_response_success(json);
}

int app_main(const rt_options *opts)
{
    int rc = 1;
    app a;
    memset(&a, 0, sizeof a);
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        log_event("error", "init_error", "curl_global_init failed");
        return 1;
    }
    char err[512];
    rt_client *rt = rt_client_new(getenv("AWS_LAMBDA_RUNTIME_API"), err, sizeof err);
    if (!rt) {
        log_event("error", "init_error", err); /* nowhere else to report it */
        goto cleanup;
    }
    const char *error_type = NULL;
    if (app_init(&a, &error_type, err, sizeof err) != 0) {
        log_event("error", "init_error", err);
        if (rt_post_init_error(rt, error_type, err) != 0)
            log_event("error", "init_error_post_failed", rt_last_error(rt));
        goto cleanup;
    }
    rc = rt_run(rt, app_invoke, &a, opts);
cleanup:
    app_close(&a);
    rt_client_free(rt);
    curl_global_cleanup();
    return rc;
}
