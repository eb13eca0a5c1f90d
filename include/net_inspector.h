#ifndef UI_TRACE_H
#define UI_TRACE_H
/* The HTTP inspector's memory: a mutex-protected ring of the last exchanges, filled from the worker
 * thread (api_client_set_trace callback) and read by the UI thread. Recording is cheap: the start of each
 * body (at most UI_TRACE_RAW_MAX bytes) is copied as it is. The first time the panel visits an entry, its
 * bodies are pretty-printed (JSON re-indented) and sanitised line by line into capped text that is kept
 * (and the raw copies freed), so the panel draws them as they are. */
#include <pthread.h>
#include <stddef.h>

#include "api.h"

#define UI_TRACE_RING 32
#define UI_TRACE_BODY_MAX ((size_t)16 * 1024) /* pretty-printed text kept for the panel */
#define UI_TRACE_RAW_MAX ((size_t)32 * 1024)  /* raw body kept until then; the rest is noted, not kept */

typedef struct ui_trace_entry {
    unsigned long seq;      /* 1, 2, ... (0: empty slot) */
    char method[8];
    char url[512];
    long http_status;       /* 0: transport failure */
    double latency_ms;
    char error[160];        /* "" when none */
    char *request;          /* owned by the ring; NULL when no body; lines separated by '\n' */
    char *response;         /* owned by the ring; NULL when no body */
    /* private to ui_trace.c: the raw capped bodies until request/response are made, and their full sizes */
    char *raw_request, *raw_response;
    size_t request_len, response_len;
} ui_trace_entry;

typedef struct ui_trace_ring {
    pthread_mutex_t lock;
    ui_trace_entry e[UI_TRACE_RING];
    unsigned long next_seq; /* seq of the newest entry */
} ui_trace_ring;

int ui_trace_init(ui_trace_ring *r);     /* 0 or -1 */
void ui_trace_destroy(ui_trace_ring *r); /* frees every stored body */
void ui_trace_clear(ui_trace_ring *r);   /* forgets every exchange (kiosk: customer data off the screen) */

/* api_trace_fn: copies t into the ring (userdata is the ring), bodies capped at UI_TRACE_RAW_MAX and not
 * parsed. Thread-safe. */
void ui_trace_record(void *ring, const api_trace *t);

/* Pretty-prints (when it looks like JSON: re-indented without parsing, so a cut-off body still reads well)
 * and sanitises body into a new string of at most UI_TRACE_BODY_MAX bytes; NULL for NULL/empty body or OOM.
 * Caller frees. Exposed for the unit tests. */
char *ui_trace_pretty(const char *body);

/* Runs fn on the newest-first entries while holding the lock (at most max of them); fn returns 0 to go on.
 * Each entry's request/response text is made (once) before fn sees it. */
typedef int (*ui_trace_visit_fn)(void *ctx, const ui_trace_entry *e);
void ui_trace_visit(ui_trace_ring *r, size_t max, ui_trace_visit_fn fn, void *ctx);

#endif
