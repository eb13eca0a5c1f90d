#ifndef UI_WORKER_H
#define UI_WORKER_H
/* The box office's network worker: one thread with its own api_client runs the blocking API calls
 * off the UI thread. The UI submits jobs to a small queue (the worker waits on a condition variable)
 * and polls results without blocking on every tick of its input loop. */
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "api.h"
#include "model.h"

typedef enum ui_job_kind { UI_JOB_LIST = 0, UI_JOB_GET, UI_JOB_PURCHASE, UI_JOB_CREATE } ui_job_kind;

#define UI_FIELD_MAX 1024  /* bytes of a form value (200 characters of UTF-8 fit) */

typedef struct ui_job {
    ui_job_kind kind;
    unsigned long seq;                 /* set by ui_worker_submit */
    char id[BO_ID_MAX + 1];            /* GET, PURCHASE */
    char name[UI_FIELD_MAX];           /* PURCHASE: customer name; CREATE: concert name */
    char email[UI_FIELD_MAX];          /* PURCHASE */
    char idem_key[API_IDEM_KEY_MAX + 1]; /* PURCHASE: the sale's Idempotency-Key ("" = a new one) */
    char date[UI_FIELD_MAX];           /* CREATE */
    char venue[UI_FIELD_MAX];          /* CREATE */
    int64_t tickets, price_cents;      /* CREATE */
} ui_job;

typedef struct ui_result {
    ui_job_kind kind;
    unsigned long seq;
    api_status status;
    api_result res;                    /* PURCHASE: res.unconfirmed = the outcome is unknown */
    bo_concert_list list;              /* LIST: owned by whoever polled the result */
    bo_concert concert;                /* GET: owned likewise */
    bo_ticket ticket;                  /* PURCHASE: owned likewise */
    char id[BO_ID_MAX + 1];            /* CREATE: new id; GET/PURCHASE: the id asked for */
} ui_result;

/* Frees what a polled result owns. */
void ui_result_clear(ui_result *r);

typedef struct ui_worker ui_worker;

/* Starts the thread; trace_fn/trace_ud (may be NULL) are handed to api_client_set_trace and are
 * called on the worker thread. NULL when the client or the thread cannot be created. */
ui_worker *ui_worker_start(const api_config *cfg, api_trace_fn trace_fn, void *trace_ud);

/* Queues a copy of job (which may hold customer data: the queue slot is wiped after use).
 * Returns the job's seq (> 0), or 0 when the queue is full. */
unsigned long ui_worker_submit(ui_worker *w, const ui_job *job);

/* Takes the oldest finished result without blocking; true when one was there (caller owns it).
 * Also consumes the wake-ups of ui_worker_wake_fd: call it until false after the fd was readable. */
bool ui_worker_poll(ui_worker *w, ui_result *out);

/* A descriptor (owned by w: do not close or read it) that is readable (POLLIN) whenever a result may be
 * waiting for ui_worker_poll. */
int ui_worker_wake_fd(const ui_worker *w);

/* Asks the thread to stop and waits up to wait_ms (< 0: as long as it takes; the API client's own
 * timeouts bound it) for the request in flight to end. Returns true when the thread ended and
 * everything was freed; false when it is still inside a request (w stays valid: call again). */
bool ui_worker_stop(ui_worker *w, long wait_ms);

#endif
