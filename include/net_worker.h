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
#include "api_journal.h"
#include "api_lookup.h"
#include "api_operators.h"
#include "api_refund.h"
#include "api_shift.h"
#include "net_auth.h"
#include "client_model.h"

typedef enum net_job_kind {
    NET_JOB_LIST = 0,                  /* GET /concerts (no request) */
    NET_JOB_GET,                       /* GET /concerts/{id}: req.concert */
    NET_JOB_CREATE,                    /* POST /concerts: req.create */
    NET_JOB_ORDER,                     /* POST /orders or /box-office/orders: req.order */
    NET_JOB_FIND_ORDERS,               /* GET /orders?...: req.find */
    NET_JOB_TICKET_BY_CODE,            /* api_ticket_by_code: req.code */
    NET_JOB_GET_ORDER,                 /* GET /orders/{id}: req.order_id */
    NET_JOB_REFUND,                    /* POST /orders/{id}/refund: req.refund */
    NET_JOB_CHECKIN,                   /* POST /concerts/{id}/checkins: req.checkin */
    NET_JOB_STATS,                     /* GET /concerts/{id}/stats: req.concert */
    NET_JOB_UNDO_CHECKIN,              /* POST /checkins/{id}/undo: req.ticket_id */
    NET_JOB_SHIFT,                     /* the shift routes (api_shift.h): req.shift, its op says which */
    NET_JOB_OPERATORS,                 /* GET /operators (no request) */
    NET_JOB_OPERATOR,                  /* add, disable, enable or change the role of one: req.op */
    NET_JOB_JOURNAL,                   /* GET /journal: req.journal */
    NET_JOB_SIGNIN                     /* a sign-in or a new password (net_auth.h): req.signin */
} net_job_kind;

#define NET_CODE_MAX 128   /* bytes of a scanned code in a job */
#define NET_TEXT_MAX 1024  /* bytes of a text field of a job (a form value: 200 characters of UTF-8 fit) */

/* An order, as the sell form keeps it and the worker sends it (api_create_order): the box office's one
 * shape of an order. Customer data: wiped once its outcome is known. */
typedef struct net_order_req {
    char concert_id[BO_ID_MAX + 1];
    int64_t quantity;
    char name[NET_TEXT_MAX];           /* the customer's name ("" = none) */
    char email[NET_TEXT_MAX];          /* the customer's e-mail ("" = none) */
    char attendees[NET_TEXT_MAX];      /* names on the tickets, ',' between them ("" = none) */
    bo_pay_method pay;                 /* NONE: not sent */
    int64_t tendered_cents;            /* cash: < 0 = not sent */
    bool operator_route;               /* POST /box-office/orders */
    char shift_id[BO_ID_MAX + 1];      /* the open shift the sale is made in ("" = none sent) */
    char terminal[API_TERMINAL_MAX * 4 + 1]; /* its terminal (sent with shift_id) */
    char idem_key[API_IDEM_KEY_MAX + 1]; /* the sale's Idempotency-Key ("" = a new one) */
} net_order_req;

/* A new concert (api_create_concert). */
typedef struct net_create_req {
    char name[NET_TEXT_MAX];
    char date[NET_TEXT_MAX];           /* ISO 8601, UTC */
    char venue[NET_TEXT_MAX];
    int64_t tickets, price_cents, max_per_order; /* max_per_order <= 0: the server's default */
    char currency[4];                  /* "" = the server's default */
    char timezone[BO_TZ_MAX + 1];      /* the venue's IANA zone, "" = none stored */
} net_create_req;

/* A search of orders by e-mail or name prefix (api_find_orders); one page of them. */
typedef struct net_find_req {
    char email[NET_TEXT_MAX];          /* "" = by name */
    char name[NET_TEXT_MAX];
    char concert_id[BO_ID_MAX + 1];    /* "" = any concert */
    int limit;
    char cursor[API_CURSOR_MAX + 1];   /* the next page's cursor ("" = the first page) */
} net_find_req;

/* A refund (api_refund_order). */
typedef struct net_refund_req {
    char order_id[BO_ID_MAX + 1];
    char ticket_ids[NET_TEXT_MAX];     /* ',' between them ("" = every valid one) */
    char reason[NET_TEXT_MAX];
    bo_pay_method method;              /* NONE: the order's */
    char shift_id[BO_ID_MAX + 1];      /* the open shift the refund is made in ("" = none sent) */
    char terminal[API_TERMINAL_MAX * 4 + 1]; /* its terminal (sent with shift_id) */
    char idem_key[API_IDEM_KEY_MAX + 1]; /* "" = a new one */
} net_refund_req;

/* A door's scan (api_checkin). */
typedef struct net_checkin_req {
    char concert_id[BO_ID_MAX + 1];
    char code[NET_CODE_MAX];           /* the scanned text */
    char nonce[API_NONCE_MAX + 1];     /* the scan's nonce */
    char door[API_DOOR_MAX * 4 + 1];   /* the door's name */
    int attempts;                      /* api_checkin's tries */
} net_checkin_req;

/* A shift request (api_shift.h). */
typedef enum net_shift_op {
    NET_SHIFT_CURRENT = 0,             /* GET /shifts/current (with its report: GET /shifts/{id} when it had none) */
    NET_SHIFT_GET,                     /* GET /shifts/{id} */
    NET_SHIFT_OPEN,                    /* POST /shifts: terminal, amounts = the float, idem_key */
    NET_SHIFT_DROP,                    /* POST /shifts/{id}/drops: amounts[0], note */
    NET_SHIFT_PAIDOUT,                 /* POST /shifts/{id}/paidouts: amounts[0], note */
    NET_SHIFT_CLOSE,                   /* POST /shifts/{id}/close: amounts = counted, note, idem_key */
    NET_SHIFT_DAY                      /* GET /shifts?day=: id = the day ("" = today, UTC) */
} net_shift_op;

typedef struct net_shift_req {
    net_shift_op op;
    char id[BO_ID_MAX + 1];            /* the shift (GET, DROP, PAIDOUT, CLOSE); DAY: YYYY-MM-DD or "" */
    char terminal[API_TERMINAL_MAX * 4 + 1]; /* OPEN */
    api_shift_amount amounts[API_SHIFT_CURRENCIES_MAX];
    size_t n;
    char note[NET_TEXT_MAX];           /* DROP, PAIDOUT, CLOSE ("" = none) */
    char idem_key[API_IDEM_KEY_MAX + 1]; /* OPEN, CLOSE ("" = a new one) */
} net_shift_req;

/* What a shift request got back (owned: net_result_clear frees it). */
typedef struct net_shift_out {
    net_shift_op op;
    api_shift shift;                   /* all but DAY: the shift as the server answered; OPEN refused with 409:
                                        * the caller's open shift when the answer carried it (already) */
    bool already;
    api_shift_day day;                 /* DAY */
} net_shift_out;
/* A change to the operators (managers): what, and of whom. */
typedef enum net_op_action { NET_OP_ADD = 0, NET_OP_DISABLE, NET_OP_ENABLE, NET_OP_ROLE } net_op_action;
typedef struct net_op_req {
    net_op_action action;
    char username[API_OP_TEXT_MAX];    /* the e-mail */
    char name[API_OP_TEXT_MAX];        /* ADD: the display name */
    char group[API_OP_GROUP_MAX + 1];  /* ADD, ROLE */
    char temp_password[NET_TEXT_MAX];  /* ADD: "" = the server's choice (wiped with the job) */
} net_op_req;

/* One page of the journal (api_journal_get): "" = not given. */
typedef struct net_journal_req {
    char day[16];
    char operator_sub[BO_ID_MAX + 1];
    char concert_id[BO_ID_MAX + 1];
    char shift_id[BO_ID_MAX + 1];
    int limit;
    char cursor[API_JOURNAL_CURSOR_MAX + 1];
} net_journal_req;

/* A sign-in through the port (its ctx outlives the job): user and password, or the new password. */
typedef struct net_signin_req {
    const net_auth_port *port;
    bool whoami;                       /* only who is signed in (identity), nothing typed */
    bool new_password;                 /* answers the challenge: password is the new one */
    bool remember;
    char user[NET_TEXT_MAX];           /* "" = the one configured or last signed in */
    char password[NET_TEXT_MAX];       /* wiped with the job */
} net_signin_req;

/* What the worker is asked to do: the kind says which member of req holds the request. */
typedef struct net_job {
    net_job_kind kind;
    unsigned long seq;                 /* set by net_worker_submit */
    union {
        char concert_id[BO_ID_MAX + 1];  /* GET, STATS */
        char order_id[BO_ID_MAX + 1];    /* GET_ORDER */
        char ticket_id[BO_ID_MAX + 1];   /* UNDO_CHECKIN */
        char code[NET_TEXT_MAX];         /* TICKET_BY_CODE: the code typed or scanned */
        net_order_req order;
        net_create_req create;
        net_find_req find;
        net_refund_req refund;
        net_checkin_req checkin;
        net_shift_req shift;
        net_op_req op;
        net_journal_req journal;
        net_signin_req signin;
    } req;
} net_job;

/* What a ticket's code found (TICKET_BY_CODE; the result's id is the ticket's). */
typedef struct net_code_found {
    bo_order order;                    /* the ticket's order (a summary) */
    bo_concert concert;                /* its concert */
} net_code_found;

/* What a refund request got back. */
typedef struct net_refund_out {
    bo_order order;                    /* made: the order with its tickets' new states */
    api_refund_made made;              /* made: what the server says this request refunded */
    api_refund_refusal refused;        /* refused (409): the tickets that are not valid */
} net_refund_out;

/* A scan's verdict. */
typedef struct net_checkin_out {
    api_checkin_verdict verdict;
    char nonce[API_NONCE_MAX + 1];     /* the scan's nonce (which scan this verdict is for) */
} net_checkin_out;

/* A finished job: its status, and in out the member its kind names (owned by whoever polled it). */
typedef struct net_result {
    net_job_kind kind;
    unsigned long seq;
    api_status status;
    api_result res;                    /* ORDER, REFUND, UNDO_CHECKIN: res.unconfirmed = the outcome is
                                        * unknown (the same request again tells) */
    char id[BO_ID_MAX + 1];            /* CREATE: the new concert's id; TICKET_BY_CODE: the ticket's id;
                                        * the others but LIST and FIND_ORDERS: the id the job named */
    union {
        bo_concert_list list;          /* LIST */
        bo_concert concert;            /* GET */
        bo_order order;                /* ORDER, GET_ORDER */
        api_order_page page;           /* FIND_ORDERS */
        net_code_found found;          /* TICKET_BY_CODE */
        net_refund_out refund;         /* REFUND */
        net_checkin_out checkin;       /* CHECKIN */
        api_stats stats;               /* STATS */
        api_undo_result undo;          /* UNDO_CHECKIN */
        net_shift_out shift;           /* SHIFT */
        api_operator_list operators;   /* OPERATORS */
        bo_operator op;                /* OPERATOR: the operator as the server answered */
        api_journal_page journal;      /* JOURNAL */
        struct {
            net_auth_status status;
            char err[256];
            net_identity who;          /* OK: who is signed in now */
        } signin;                      /* SIGNIN */
    } out;
} net_result;

/* Frees what a polled result owns (the member of out its kind names). */
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
