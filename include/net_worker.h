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
#include "api_lookup.h"
#include "api_refund.h"
#include "client_model.h"

typedef enum net_job_kind { NET_JOB_LIST = 0, NET_JOB_GET, NET_JOB_PURCHASE, NET_JOB_CREATE, NET_JOB_ORDER,
    NET_JOB_FIND_ORDERS,               /* name or email: the search text; id: a concert (optional); cursor */
    NET_JOB_TICKET_BY_CODE,            /* name: the code */
    NET_JOB_GET_ORDER,                 /* id: the order */
    NET_JOB_REFUND,                    /* id: the order; attendees: ticket ids, ',' between ("" = every valid
                                        * one); name: the reason; pay: the method (NONE: the order's); idem_key */
    NET_JOB_CHECKIN,                   /* id: the concert; code, nonce, door, attempts */
    NET_JOB_STATS,                     /* id: the concert */
    NET_JOB_UNDO_CHECKIN               /* id: the ticket (POST /checkins/{id}/undo) */
} net_job_kind;

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
    char currency[4];                  /* CREATE: "" = the server's default */
    char timezone[BO_TZ_MAX + 1];      /* CREATE: the venue's IANA zone, "" = none stored */
    int64_t max_per_order;             /* CREATE: <= 0 = the server's default */
    /* ORDER (also id, name, email, idem_key): attendees' names separated by ',' ("" = none), the payment */
    char attendees[NET_TEXT_MAX];
    bo_pay_method pay;
    int64_t tendered_cents;            /* cash: < 0 = not sent */
    bool operator_route;               /* POST /box-office/orders */
    char cursor[API_CURSOR_MAX + 1];   /* FIND_ORDERS: the next page's cursor ("" = the first page) */
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
    bo_order order;                    /* ORDER: owned likewise (res.unconfirmed as for PURCHASE); GET_ORDER,
                                        * REFUND (res.unconfirmed likewise): the order; TICKET_BY_CODE: the
                                        * ticket's order (a summary), concert = its concert */
    api_order_page page;               /* FIND_ORDERS: owned likewise */
    api_refund_refusal refused;        /* REFUND refused (409): the tickets that are not valid */
    api_refund_made refund;            /* REFUND made: what the server says this request refunded */
    char id[BO_ID_MAX + 1];            /* CREATE: new id; GET/PURCHASE/GET_ORDER/REFUND/CHECKIN/STATS/
                                        * UNDO_CHECKIN: the id asked for; TICKET_BY_CODE: the ticket's id */
    api_checkin_verdict verdict;       /* CHECKIN */
    char nonce[API_NONCE_MAX + 1];     /* CHECKIN: the scan's nonce (which scan this verdict is for) */
    api_stats stats;                   /* STATS */
    api_undo_result undo;              /* UNDO_CHECKIN (res.unconfirmed: it may have been undone) */
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
