#ifndef NET_INSPECTOR_H
#define NET_INSPECTOR_H
/* The HTTP inspector's memory: a mutex-protected ring of the last exchanges, filled from the worker
 * thread (api_client_set_inspector callback) and read by the UI thread. Recording is cheap: the start of each
 * body (at most NET_INSPECTOR_RAW_MAX bytes) is copied as it is. The first time the panel visits an entry, its
 * bodies are pretty-printed (JSON re-indented) and sanitised line by line into capped text that is kept
 * (and the raw copies freed), so the panel draws them as they are. */
#include <pthread.h>
#include <stddef.h>

#include "api.h"

#define NET_INSPECTOR_RING 32
#define NET_INSPECTOR_BODY_MAX ((size_t)16 * 1024) /* pretty-printed text kept for the panel */
#define NET_INSPECTOR_RAW_MAX ((size_t)32 * 1024)  /* raw body kept until then; the rest is noted, not kept */

typedef struct net_inspector_entry {
    unsigned long seq;      /* 1, 2, ... (0: empty slot) */
    char method[8];
    char url[512];
    long http_status;       /* 0: transport failure */
    double latency_ms;
    char error[160];        /* "" when none */
    char *request;          /* owned by the ring; NULL when no body; lines separated by '\n' */
    char *response;         /* owned by the ring; NULL when no body */
    /* private to net_inspector.c: the raw capped bodies until request/response are made, and their full sizes */
    char *raw_request, *raw_response;
    size_t request_len, response_len;
} net_inspector_entry;

typedef struct net_inspector_ring {
    pthread_mutex_t lock;
    net_inspector_entry e[NET_INSPECTOR_RING];
    unsigned long next_seq; /* seq of the newest entry */
} net_inspector_ring;

int net_inspector_init(net_inspector_ring *r);     /* 0 or -1 */
void net_inspector_destroy(net_inspector_ring *r); /* frees every stored body */
void net_inspector_clear(net_inspector_ring *r);   /* forgets every exchange (kiosk: customer data off the screen) */

/* api_inspector_fn: copies t into the ring (userdata is the ring), bodies capped at NET_INSPECTOR_RAW_MAX and not
 * parsed. Thread-safe. */
void net_inspector_record(void *ring, const api_exchange *t);

/* Pretty-prints (when it looks like JSON: re-indented without parsing, so a cut-off body still reads well)
 * and sanitises body into a new string of at most NET_INSPECTOR_BODY_MAX bytes; NULL for NULL/empty body or OOM.
 * Caller frees. Exposed for the unit tests. */
char *net_inspector_pretty(const char *body);

/* Runs fn on the newest-first entries while holding the lock (at most max of them); fn returns 0 to go on.
 * Each entry's request/response text is made (once) before fn sees it. */
typedef int (*net_inspector_visit_fn)(void *ctx, const net_inspector_entry *e);
void net_inspector_visit(net_inspector_ring *r, size_t max, net_inspector_visit_fn fn, void *ctx);

#endif
