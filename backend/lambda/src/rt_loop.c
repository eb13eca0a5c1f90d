/* The invocation loop of the custom runtime: next -> handler -> response | error, with backoff while
 * the Runtime API cannot be reached. See rt_loop.h. The protocol is rt_api.c's. */
#include "rt_loop.h"

#include "bo_backoff.h"
#include "bo_clock.h"
#include "bo_rand.h"
#include "lambda_log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What one rt_run keeps between invocations. */
typedef struct rt_loop_state {
    /* "_X_AMZN_TRACE_ID=<id>", handed to putenv and rewritten in place: glibc's setenv keeps every
     * value it was ever given (a leak of one trace id per invocation in a warm function) */
    char trace_env[sizeof "_X_AMZN_TRACE_ID=" + RT_TRACE_ID_MAX];
    bool trace_env_set;
    bo_rand rng;
} rt_loop_state;

rt_response rt_response_success(char *payload)
{
    if (!payload)
        return rt_response_failure("Runtime.OutOfMemory", "out of memory building the response");
    rt_response r = { .success = true, .payload = payload };
    return r;
}

rt_response rt_response_failure(const char *error_type, const char *message)
{
    rt_response r = { .success = false, .error_type = error_type ? error_type : "Runtime.Error" };
    snprintf(r.error_message, sizeof r.error_message, "%s", message ? message : "");
    return r;
}

void rt_response_clear(rt_response *r)
{
    if (!r)
        return;
    free(r->payload);
    r->payload = NULL;
}

uint64_t rt_backoff_ms(unsigned failures, uint32_t rnd)
{
    return bo_backoff_full_jitter(failures, RT_BACKOFF_BASE_MS, RT_BACKOFF_CAP_MS, rnd);
}

/* Sets _X_AMZN_TRACE_ID to this invocation's trace id, or removes it when there is none. */
static void set_trace_env(rt_loop_state *s, const rt_request *req)
{
    if (req->trace_id[0]) {
        snprintf(s->trace_env, sizeof s->trace_env, "_X_AMZN_TRACE_ID=%s", req->trace_id);
        const char *now = getenv("_X_AMZN_TRACE_ID");
        bool ours = s->trace_env_set && now == s->trace_env + sizeof "_X_AMZN_TRACE_ID=" - 1;
        if (!ours) /* first time, or someone replaced it: environ shall point at s->trace_env */
            s->trace_env_set = putenv(s->trace_env) == 0;
    } else if (s->trace_env_set) {
        unsetenv("_X_AMZN_TRACE_ID");
        s->trace_env_set = false;
    } else {
        unsetenv("_X_AMZN_TRACE_ID"); /* one inherited from the environment must not linger */
    }
}

/* environ must not point into the loop's state once rt_run has returned */
static int loop_end(rt_loop_state *s, int rc)
{
    if (s->trace_env_set)
        unsetenv("_X_AMZN_TRACE_ID");
    return rc;
}

int rt_run(rt_client *c, rt_handler_fn fn, void *user, const rt_options *opts)
{
    rt_options o = { 0 };
    if (opts)
        o = *opts;
    rt_loop_state s = { 0 };
    bo_rand_seed_os(&s.rng);
    uint64_t give_up = o.next_give_up_ms ? o.next_give_up_ms : RT_NEXT_GIVE_UP_MS;
    unsigned done = 0, failures = 0;
    uint64_t first_failure = 0;
    for (;;) {
        if ((o.max_invocations && done >= o.max_invocations) || (o.stop && *o.stop))
            return loop_end(&s, 0);
        rt_request req;
        if (rt_next(c, &req) != 0) {
            uint64_t now = bo_clock_wall_ms();
            if (failures++ == 0)
                first_failure = now;
            log_event("warn", "runtime_api_unavailable", rt_last_error(c));
            if (now - first_failure >= give_up) {
                log_event("error", "runtime_api_gone", "giving up on /next");
                return loop_end(&s, 1);
            }
            bo_sleep_ms(rt_backoff_ms(failures, bo_rand_next(&s.rng)));
            continue;
        }
        failures = 0;
        done++;
        set_trace_env(&s, &req);
        rt_response r;
        if (req.payload_too_large)
            r = rt_response_failure("Runtime.PayloadTooLarge", "event larger than the runtime accepts");
        else
            r = fn(&req, user);
        int prc;
        if (r.success) {
            prc = rt_post_response(c, req.request_id, r.payload, strlen(r.payload));
            if (prc != 0) { /* e.g. 413 for a response over 6 MB: tell Lambda rather than leave it hanging */
                log_event("error", "response_rejected", rt_last_error(c));
                prc = rt_post_error(c, req.request_id, "Runtime.ResponseRejected", "the Runtime API refused the response");
            }
        } else {
            prc = rt_post_error(c, req.request_id, r.error_type, r.error_message);
        }
        if (prc != 0)
            log_event("error", "runtime_api_post_failed", rt_last_error(c));
        rt_response_clear(&r);
        rt_client_trim(c);
    }
}
