#ifndef RT_LOOP_H
#define RT_LOOP_H
/* The invocation loop of the custom runtime: next -> set/unset _X_AMZN_TRACE_ID -> handler ->
 * response | error, over the Runtime API client of rt_api.h.
 *
 * A failing /next (transport error or non-200) is retried with exponential backoff and full jitter
 * (RT_BACKOFF_*), up to opts.next_give_up_ms of continuous failure. A bad event never ends the loop;
 * an event over RT_EVENT_MAX_BYTES is answered Runtime.PayloadTooLarge without calling the handler. */
#include "rt_api.h"

#define RT_BACKOFF_BASE_MS 10
#define RT_BACKOFF_CAP_MS 1000
#define RT_NEXT_GIVE_UP_MS 120000 /* default: give up after 2 min without a working /next */

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

/* Full-jitter backoff before retrying /next after `failures` consecutive failures (>= 1). Pure. */
uint64_t rt_backoff_ms(unsigned failures, uint32_t rnd);

/* The loop, with logs of Runtime API trouble on stderr. Returns 0 when max_invocations or *stop ended
 * it, 1 when /next failed for longer than next_give_up_ms; _X_AMZN_TRACE_ID is unset on return.
 * opts may be NULL. */
int rt_run(rt_client *c, rt_handler_fn fn, void *user, const rt_options *opts);

#endif
