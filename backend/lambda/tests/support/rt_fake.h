#ifndef RT_FAKE_H
#define RT_FAKE_H
/* A fake Lambda Runtime API for runtime tests (libmicrohttpd, 127.0.0.1, ephemeral port).
 * Serves queued events on GET /2018-06-01/runtime/invocation/next (blocking while the queue is
 * empty, like Lambda), records every POST to .../response, .../error and /init/error. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RT_FAKE_MAX 64

typedef struct rt_fake_post {
    char kind;               /* 'r' response, 'e' invocation error, 'i' init error */
    char request_id[160];    /* as it appeared in the URL (percent-decoded by MHD) */
    char error_type[128];    /* Lambda-Runtime-Function-Error-Type header */
    char *body;              /* owned by the fake, NUL-terminated */
} rt_fake_post;

typedef struct rt_fake rt_fake;

rt_fake *rt_fake_start(void);
/* "127.0.0.1:PORT", the value for AWS_LAMBDA_RUNTIME_API */
const char *rt_fake_api(const rt_fake *f);
/* Queues an event; request_id NULL omits the header; deadline 0 omits it; trace NULL omits it.
 * Strings are copied. */
void rt_fake_push(rt_fake *f, const char *request_id, const char *payload, uint64_t deadline_ms, const char *trace);
/* The next n GET /next answer HTTP status without an event. */
void rt_fake_fail_next(rt_fake *f, unsigned n, unsigned status);
/* POSTs to .../response answer this status (default 202). */
void rt_fake_response_status(rt_fake *f, unsigned status);
/* Waits up to timeout_ms until at least n posts were recorded; returns the count. */
size_t rt_fake_wait_posts(rt_fake *f, size_t n, unsigned timeout_ms);
const rt_fake_post *rt_fake_post_at(rt_fake *f, size_t i);
unsigned rt_fake_next_calls(rt_fake *f);
void rt_fake_stop(rt_fake *f);

#endif
