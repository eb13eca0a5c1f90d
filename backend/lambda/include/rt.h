#ifndef RT_H
#define RT_H
/* The Lambda Runtime API client and the invocation loop (custom runtime, provided.al2023).
 * Knows nothing about API Gateway or the handlers: it moves opaque payloads.
 *
 *   rt_client *rt = rt_client_new(getenv("AWS_LAMBDA_RUNTIME_API"), err, sizeof err);
 *   if (startup_failed) { rt_post_init_error(rt, "Runtime.ConfigError", "CONCERTS_TABLE is not set"); exit(1); }
 *   rt_run(rt, my_handler, my_state, NULL);   // next -> handler -> response | error, forever
 *
 * The Runtime API is plain HTTP on the local host: the client speaks HTTP/1.1 itself over one
 * kept-alive blocking TCP connection (no libcurl: it cost ~40 us of CPU per exchange), opened on first
 * use and reopened when the server closed it (a request that got no byte of answer on a reused
 * connection is sent once more on a new one). Answers may use Content-Length, chunked encoding, or
 * end with the connection. GET /next has no timeout (Lambda freezes the process between events);
 * connecting has RT_CONNECT_TIMEOUT_MS, each POST RT_POST_TIMEOUT_MS. A failing /next (transport
 * error or non-200) is retried with exponential backoff and full jitter (RT_BACKOFF_*), up to
 * opts.next_give_up_ms of continuous failure. A bad event never ends the loop. Not thread-safe.
 * The client owns its socket and event buffer; rt_client_free releases both. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RT_REQUEST_ID_MAX 128
#define RT_TRACE_ID_MAX 512
#define RT_ARN_MAX 256
#define RT_PAYLOAD_MAX (6u * 1024u * 1024u + 1024u) /* Lambda's 6 MB invoke limit, plus slack */
#define RT_BACKOFF_BASE_MS 10
#define RT_BACKOFF_CAP_MS 1000
#define RT_NEXT_GIVE_UP_MS 120000 /* default: give up after 2 min without a working /next */
#define RT_POST_TIMEOUT_MS 10000
#define RT_CONNECT_TIMEOUT_MS 2000
#define RT_BUF_KEEP (256u * 1024u)   /* an event buffer grown past this is released after its invocation */

typedef struct rt_client rt_client;

/* One invocation, borrowed from the client until the next rt_next. */
typedef struct rt_request {
    const char *payload;               /* NUL-terminated event JSON */
    size_t payload_len;
    char request_id[RT_REQUEST_ID_MAX + 1];   /* Lambda-Runtime-Aws-Request-Id */
    char trace_id[RT_TRACE_ID_MAX + 1];       /* Lambda-Runtime-Trace-Id, "" when absent */
    char function_arn[RT_ARN_MAX + 1];        /* Lambda-Runtime-Invoked-Function-Arn, "" when absent */
    uint64_t deadline_ms;              /* Lambda-Runtime-Deadline-Ms (epoch ms), 0 when absent */
    bool payload_too_large;            /* the event exceeded RT_PAYLOAD_MAX: payload is empty */
} rt_request;

/* Milliseconds left before the deadline at now_ms (0 when past; UINT64_MAX without a deadline). */
uint64_t rt_request_remaining_ms_at(const rt_request *req, uint64_t now_ms);
uint64_t rt_request_remaining_ms(const rt_request *req);

/* A handler's outcome: built only by the two constructors below. */
typedef struct rt_response {
    bool success;
    char *payload;                     /* success: owned JSON text */
    const char *error_type;            /* failure: static string, e.g. "Runtime.HandlerError" */
    char error_message[256];           /* failure */
} rt_response;

/* Success with payload (ownership taken; NULL means out of memory and becomes a failure). */
rt_response rt_response_success(char *payload);
rt_response rt_response_failure(const char *error_type, const char *message);
void rt_response_clear(rt_response *r);

typedef rt_response (*rt_handler_fn)(const rt_request *req, void *user);

typedef struct rt_options {
    unsigned max_invocations;          /* 0: run forever (tests set a count) */
    uint64_t next_give_up_ms;          /* 0: RT_NEXT_GIVE_UP_MS */
    volatile const int *stop;          /* optional: loop ends when *stop becomes non-zero */
} rt_options;

/* api is host:port from AWS_LAMBDA_RUNTIME_API. NULL on failure with a reason in err. */
rt_client *rt_client_new(const char *api, char *err, size_t errlen);
void rt_client_free(rt_client *c);

/* Waits for the next invocation. 0 with *req filled; -1 when the Runtime API could not be
 * reached/understood on this attempt (the caller backs off), with a reason in the client. */
int rt_next(rt_client *c, rt_request *req);
/* POST /invocation/{id}/response, /invocation/{id}/error, /init/error. 0 when the Runtime API
 * accepted (2xx), else -1. */
int rt_post_response(rt_client *c, const char *request_id, const char *payload, size_t len);
int rt_post_error(rt_client *c, const char *request_id, const char *error_type, const char *message);
int rt_post_init_error(rt_client *c, const char *error_type, const char *message);
/* The reason of the last failure, for logs; never NULL. */
const char *rt_last_error(const rt_client *c);

/* Full-jitter backoff before retrying /next after `failures` consecutive failures (>= 1). Pure. */
uint64_t rt_backoff_ms(unsigned failures, uint32_t rnd);

/* The loop: next -> set/unset _X_AMZN_TRACE_ID -> handler -> response | error, with logs of
 * Runtime API trouble on stderr. Returns 0 when max_invocations or *stop ended it, 1 when /next
 * failed for longer than next_give_up_ms. opts may be NULL. */
int rt_run(rt_client *c, rt_handler_fn fn, void *user, const rt_options *opts);

#endif
