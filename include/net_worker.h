#ifndef NET_WORKER_H
#define NET_WORKER_H
/* The box office's network worker: one thread with its own api_client runs the blocking API calls
 * off the UI thread. The UI submits jobs to a small queue (the worker waits on a condition variable)
 * and polls results without blocking on every tick of its input loop. */
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "api.h"
#include "api_door.h"
#include "client_model.h"

typedef enum net_job_kind { NET_JOB_LIST = 0, NET_JOB_GET, NET_JOB_PURCHASE, NET_JOB_CREATE, NET_JOB_ORDER,
               NET_JOB_CHECKIN, NET_JOB_STATS } net_job_kind;

#define NET_CODE_MAX 128   /* bytes of a scanned code in a job */
#define NET_TEXT_MAX 1024  /* bytes of a text field of a job (a form value: 200 characters of UTF-8 fit) */

typedef struct net_job {
    net_job_kind kind;
    unsigned long seq;                 /* set by net_worker_submit */
    char id[BO_ID_MAX + 1];            /* GET, PURCHASE */
    char name[NET_TEXT_MAX];           /* PURCHASE: customer name; CREATE: concert name */
    char email[NET_TEXT_MAX];          /* PURCHASE */
    char idem_key[API_IDEM_KEY_MAX + 1]; /* PURCHASE: the sale's Idempotency-Key ("" = a new one) */
    char date[NET_TEXT_MAX];           /* CREATE */
    char venue[NET_TEXT_MAX];          /* CREATE */
    int64_t tickets, price_cents;      /* CREATE; ORDER: tickets = the quantity */
    /* ORDER (also id, name, email, idem_key): attendees' names separated by ',' ("" = none), the payment */
    char attendees[NET_TEXT_MAX];
    bo_pay_method pay;
    int64_t tendered_cents;            /* cash: < 0 = not sent */
    bool operator_route;               /* POST /box-office/orders */
    /* CHECKIN (id = the concert): the scanned text, the scan's nonce, the door's name, the tries
     * (api_checkin's attempts); STATS: id */
    char code[NET_CODE_MAX];
    char nonce[API_NONCE_MAX + 1];
    char door[API_DOOR_MAX * 4 + 1];
    int attempts;
} net_job;

typedef struct net_result {
    net_job_kind kind;
    unsigned long seq;
    api_status status;
    api_result res;                    /* PURCHASE: res.unconfirmed = the outcome is unknown */
    bo_concert_list list;              /* LIST: owned by whoever polled the result */
    bo_concert concert;                /* GET: owned likewise */
    bo_ticket ticket;                  /* PURCHASE: owned likewise */
    bo_order order;                    /* ORDER: owned likewise (res.unconfirmed as for PURCHASE) */
    char id[BO_ID_MAX + 1];            /* CREATE: new id; GET/PURCHASE/CHECKIN/STATS: the id asked for */
    api_checkin_verdict verdict;       /* CHECKIN */
    char nonce[API_NONCE_MAX + 1];     /* CHECKIN: the scan's nonce (which scan this verdict is for) */
    api_stats stats;                   /* STATS */
} net_result;

/* Frees what a polled result owns. */
void net_result_clear(net_result *r);

typedef struct net_worker net_worker;

/* Starts the thread; inspector_fn/inspector_ud (may be NULL) are handed to api_client_set_inspector and are
 * called on the worker thread. NULL when the client or the thread cannot be created. */
net_worker *net_worker_start(const api_config *cfg, api_inspector_fn inspector_fn, void *inspector_ud);

/* Queues a copy of job (which may hold customer data: the queue slot is wiped after use).
 * Returns the job's seq (> 0), or 0 when the queue is full. */
unsigned long net_worker_submit(net_worker *w, const net_job *job);

/* Takes the oldest finished result without blocking; true when one was there (caller owns it).
 * Also consumes the wake-ups of net_worker_wake_fd: call it until false after the fd was readable. */
bool net_worker_poll(net_worker *w, net_result *out);

/* A descriptor (owned by w: do not close or read it) that is readable (POLLIN) whenever a result may be
 * waiting for net_worker_poll. */
int net_worker_wake_fd(const net_worker *w);

/* Asks the thread to stop and waits up to wait_ms (< 0: as long as it takes; the API client's own
 * timeouts bound it) for the request in flight to end. Returns true when the thread ended and
 * everything was freed; false when it is still inside a request (w stays valid: call again). */
bool net_worker_stop(net_worker *w, long wait_ms);

#endif
