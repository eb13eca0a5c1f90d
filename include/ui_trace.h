#ifndef UI_TRACE_H
#define UI_TRACE_H
/* The HTTP inspector's memory: a mutex-protected ring of the last exchanges, filled from the worker
 * thread (api_client_set_trace callback) and read by the UI thread. Bodies are stored pretty-printed
 * (cJSON) and sanitised line by line, capped in size, so the panel can draw them as they are. */
#include <pthread.h>
#include <stddef.h>

#include "api.h"

#define UI_TRACE_RING 32
#define UI_TRACE_BODY_MAX ((size_t)16 * 1024)

typedef struct ui_trace_entry {
    unsigned long seq;      /* 1, 2, ... (0: empty slot) */
    char method[8];
    char url[512];
    long http_status;       /* 0: transport failure */
    double latency_ms;
    char error[160];        /* "" when none */
    char *request;          /* owned by the ring; NULL when no body; lines separated by '\n' */
    char *response;         /* owned by the ring; NULL when no body */
} ui_trace_entry;

typedef struct ui_trace_ring {
    pthread_mutex_t lock;
    ui_trace_entry e[UI_TRACE_RING];
    unsigned long next_seq; /* seq of the newest entry */
} ui_trace_ring;

int ui_trace_init(ui_trace_ring *r);     /* 0 or -1 */
void ui_trace_destroy(ui_trace_ring *r); /* frees every stored body */
void ui_trace_clear(ui_trace_ring *r);   /* forgets every exchange (kiosk: customer data off the screen) */

/* api_trace_fn: copies t into the ring (userdata is the ring). Thread-safe. */
void ui_trace_record(void *ring, const api_trace *t);

/* Pretty-prints (when it is JSON) and sanitises body into a new string; NULL for NULL/empty body or OOM.
 * Caller frees. Exposed for the unit tests. */
char *ui_trace_pretty(const char *body);

/* Runs fn on the newest-first entries while holding the lock (at most max of them); fn returns 0 to go on. */
typedef int (*ui_trace_visit_fn)(void *ctx, const ui_trace_entry *e);
void ui_trace_visit(ui_trace_ring *r, size_t max, ui_trace_visit_fn fn, void *ctx);

#endif
