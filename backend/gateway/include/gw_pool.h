#ifndef GW_POOL_H
#define GW_POOL_H
/* The Lambda service of the local gateway: per function a pool of worker processes running the
 * custom runtime (`bootstrap`), each talking the Lambda Runtime API
 * (/2018-06-01/runtime/invocation/next, .../{id}/response, .../{id}/error, /runtime/init/error) to
 * its own endpoint 127.0.0.1:<ephemeral port> (AWS_LAMBDA_RUNTIME_API), served by a small
 * libmicrohttpd daemon owned by that worker — so the gateway always knows which process holds
 * which invocation.
 *
 * One invocation per worker at a time; an idle (warm) worker is reused, the most recently used
 * first; a new worker is started when all are busy, up to `concurrency`; beyond that requests wait
 * in a FIFO queue up to queue_timeout_ms and are then throttled. Workers idle for idle_timeout_ms
 * are stopped. A worker that dies fails its invocation (GW_INV_CRASH) and is replaced on demand; one
 * that exceeds the function timeout is killed (GW_INV_TIMEOUT) and logs Lambda's "Task timed out",
 * END and REPORT (... Status: timeout) lines. A caller that stops waiting first (wait_ms) leaves the
 * invocation running to its end or its timeout; its answer is then dropped. Workers are started from one
 * long-lived thread (PR_SET_PDEATHSIG is per thread), so they die with the gateway.
 *
 * Thread-safe: gw_pool_invoke may be called from many threads at once.
 * Made of gw_pool.c (the scheduler), gw_runtime_api.c (the Runtime API server of each worker) and
 * gw_worker.c (worker processes), which share src/gw_pool_internal.h. */
#include <stddef.h>
#include <sys/types.h>
#include <cjson/cJSON.h>
#include "gw_config.h"

typedef struct gw_pool_options {
    const char *bootstrap;       /* the runtime executable (absolute path) */
    const char *task_root;       /* LAMBDA_TASK_ROOT and working directory of workers */
    const char *ddb_endpoint;    /* AWS_ENDPOINT_URL_DYNAMODB for the workers, or NULL */
    int concurrency;             /* max workers per function, >= 1 */
    int idle_timeout_ms;         /* stop a worker idle this long */
    int queue_timeout_ms;        /* max wait for a free worker before GW_INV_THROTTLED */
    int timeout_s;               /* overrides every function's timeout when > 0 */
    char *const *extra_env;      /* "KEY=VALUE" added to the workers' environment (borrowed) */
    size_t n_extra_env;
} gw_pool_options;

typedef struct gw_pool gw_pool;

typedef enum gw_inv_result {
    GW_INV_OK = 0,               /* payload holds the function's response */
    GW_INV_FUNCTION_ERROR,       /* the runtime posted .../error (payload holds it) or misbehaved */
    GW_INV_CRASH,                /* the worker died before answering */
    GW_INV_TIMEOUT,              /* the function timeout passed; the worker was killed */
    GW_INV_THROTTLED,            /* no worker became free within queue_timeout_ms */
    GW_INV_NO_ANSWER,            /* wait_ms passed first (queued or running); a running one runs on */
    GW_INV_INTERNAL              /* the gateway could not start a worker, is stopping, or OOM */
} gw_inv_result;

typedef struct gw_invocation_out {
    gw_inv_result result;
    char *payload;               /* owned by the caller (free()), NUL-terminated; NULL when none */
    size_t payload_len;
    pid_t pid;                   /* the worker that ran it, 0 if none */
    char request_id[40];         /* the Lambda request id */
} gw_invocation_out;

/* Starts the pool (no worker yet: they start on demand). cfg and opts must outlive the pool.
 * NULL on failure with err filled. */
gw_pool *gw_pool_start(const gw_config *cfg, const gw_pool_options *opts, char *err, size_t errlen);
/* Runs one invocation of function fn with the event (borrowed; len bytes, NUL-terminated) and
 * blocks until it is answered, throttled, timed out or failed, or wait_ms (API Gateway's integration
 * timeout) has passed. Fills *out (caller frees payload). */
void gw_pool_invoke(gw_pool *p, size_t fn, const char *event, size_t len, int wait_ms, gw_invocation_out *out);
/* A snapshot for the admin endpoint: {"functions":{"getConcert":{"workers":[{"pid":1,"state":"idle",
 * "invocations":3}],"queued":0,"started":1}}}. New object owned by the caller, NULL on OOM. */
cJSON *gw_pool_status(gw_pool *p);
/* Kills every worker, fails waiting invocations (later gw_pool_invoke calls fail at once with
 * GW_INV_INTERNAL) and waits for the pool's threads. Idempotent. */
void gw_pool_stop(gw_pool *p);
/* Frees a stopped pool (stopping it first if needed); no gw_pool_invoke may be running. */
void gw_pool_free(gw_pool *p);

#endif
