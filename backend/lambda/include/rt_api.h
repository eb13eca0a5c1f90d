#ifndef RT_API_H
#define RT_API_H
/* The Lambda Runtime API client (custom runtime, provided.al2023): the protocol only. It fetches the
 * next invocation (GET /2018-06-01/runtime/invocation/next: event and Lambda-Runtime-* headers into an
 * rt_request) and posts outcomes (.../{id}/response, .../{id}/error, /runtime/init/error). It knows
 * nothing about API Gateway or the handlers: it moves opaque payloads. The loop around it is
 * rt_loop.h's; HTTP/1.1 is rt_http.h's (one kept-alive connection, no libcurl).
 *
 *   rt_client *rt = rt_client_new(getenv("AWS_LAMBDA_RUNTIME_API"), err, sizeof err);
 *   if (startup_failed) { rt_post_init_error(rt, "Runtime.ConfigError", "CONCERTS_TABLE is not set"); exit(1); }
 *   rt_run(rt, my_handler, my_state, NULL);   // rt_loop.h
 *
 * GET /next has no timeout (Lambda freezes the process between events); connecting has
 * RT_CONNECT_TIMEOUT_MS, each POST RT_POST_TIMEOUT_MS. Not thread-safe.
 * The client owns its connection and event buffer; rt_client_free releases both. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RT_REQUEST_ID_MAX 128
#define RT_TRACE_ID_MAX 512
#define RT_ARN_MAX 256
#define RT_EVENT_MAX_BYTES (6u * 1024u * 1024u + 1024u) /* Lambda's 6 MB invoke limit, plus slack */
#define RT_POST_TIMEOUT_MS 10000
#define RT_CONNECT_TIMEOUT_MS 2000
#define RT_BUF_KEEP (256u * 1024u)   /* an event buffer grown past this is released by rt_client_trim */

typedef struct rt_client rt_client;

/* One invocation, borrowed from the client until the next rt_next. */
typedef struct rt_request {
    const char *payload;               /* NUL-terminated event JSON */
    size_t payload_len;
    char request_id[RT_REQUEST_ID_MAX + 1];   /* Lambda-Runtime-Aws-Request-Id */
    char trace_id[RT_TRACE_ID_MAX + 1];       /* Lambda-Runtime-Trace-Id, "" when absent */
    char function_arn[RT_ARN_MAX + 1];        /* Lambda-Runtime-Invoked-Function-Arn, "" when absent */
    uint64_t deadline_ms;              /* Lambda-Runtime-Deadline-Ms (epoch ms), 0 when absent */
    bool payload_too_large;            /* the event exceeded RT_EVENT_MAX_BYTES: payload is empty */
} rt_request;

/* Milliseconds left before the deadline at now_ms (0 when past; UINT64_MAX without a deadline). */
uint64_t rt_request_remaining_ms_at(const rt_request *req, uint64_t now_ms);
uint64_t rt_request_remaining_ms(const rt_request *req);

/* api is host:port from AWS_LAMBDA_RUNTIME_API. NULL on failure with a reason in err. */
rt_client *rt_client_new(const char *api, char *err, size_t errlen);
void rt_client_free(rt_client *c);

/* Waits for the next invocation. 0 with *req filled; -1 when the Runtime API could not be
 * reached/understood on this attempt (the caller backs off), with a reason in the client. */
int rt_next(rt_client *c, rt_request *req);
/* Releases an event buffer grown past RT_BUF_KEEP (the last request's payload with it): one huge
 * event must not pin megabytes for the warm life. The loop calls it after each invocation. */
void rt_client_trim(rt_client *c);
/* POST /invocation/{id}/response, /invocation/{id}/error, /init/error. 0 when the Runtime API
 * accepted (2xx), else -1. */
int rt_post_response(rt_client *c, const char *request_id, const char *payload, size_t len);
int rt_post_error(rt_client *c, const char *request_id, const char *error_type, const char *message);
int rt_post_init_error(rt_client *c, const char *error_type, const char *message);
/* The reason of the last failure, for logs; never NULL. */
const char *rt_last_error(const rt_client *c);

#endif
