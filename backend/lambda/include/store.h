#ifndef STORE_H
#define STORE_H
/* The concert store: the one component that knows the DynamoDB item layout (shared with the Node.js
 * reference) and builds its requests. Handlers call this; they never build DynamoDB requests. Declared here:
 * the handle and its tables (store.c), concerts (store_concert.c), the single-ticket purchase
 * (store_purchase.c); orders, after-sale and lookups have their own headers (store_order.h,
 * store_aftersale.h, store_lookup.h).
 *
 * Items, exactly as the reference writes them:
 *   concerts: id S, name S, date S, venue S, availableTickets N, ticketPrice N
 *   tickets:  id S, concertId S, customerName S, customerEmail S, purchaseDate S (ISO-8601 UTC, ms, 'Z')
 * Ours add optional attributes (capacity, currency, timezone, maxPerOrder; counters: store_aftersale.h); a pooled
 * concert (issue 19, created with capacity >= LAYOUT_POOL_MIN_CAPACITY) adds shards N and keeps availableTickets 0:
 * its seats and counters are in the counters table (store_priv.h, store_pool.c).
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The signed-in operator a write is made for (caller.h; the store reads its sub and display name). */
typedef struct caller caller;

#define STORE_ID_MAX 128   /* ids are strings up to this many bytes (uuid from us, anything from others) */

/* Fields of a concert item, as bits of concert.bad. */
enum {
    STORE_F_ID = 1u << 0,
    STORE_F_NAME = 1u << 1,
    STORE_F_DATE = 1u << 2,
    STORE_F_VENUE = 1u << 3,
    STORE_F_TICKETS = 1u << 4,
    STORE_F_PRICE = 1u << 5,
    STORE_F_CAPACITY = 1u << 6,   /* the optional fields (absent in the reference's items) */
    STORE_F_CURRENCY = 1u << 7,
    STORE_F_TIMEZONE = 1u << 8,
    STORE_F_MAX_PER_ORDER = 1u << 9,
    STORE_F_SHARDS = 1u << 10,    /* issue 19: the pooled layout's counter shards (absent: today's layout) */
};
#define STORE_PROBLEMS_MAX 11 /* at most one problem per field */

typedef struct concert {
    char id[STORE_ID_MAX + 1];
    char *name;              /* owned, UTF-8 */
    char *date;              /* owned, as stored */
    char *venue;             /* owned */
    int64_t available_tickets;
    int64_t price_cents;     /* ticketPrice N in cents (exact: more than 2 decimals is a problem) */
    /* Optional (written by createConcert since orders; the reference's items have none of them):
     * capacity N (0..1,000,000), currency S (ISO 4217 form), timezone S (IANA form), maxPerOrder N (1..49).
     * Absent: has_capacity/has_max_per_order false, currency "", timezone NULL. */
    bool has_capacity;
    int64_t capacity;
    char currency[4];
    char *timezone;          /* owned */
    bool has_max_per_order;
    int64_t max_per_order;
    /* The pooled layout (issue 19, layout.h; docs/architecture.md "Stadium scale"): shards N (1..LAYOUT_SHARDS) on
     * a concert created with capacity >= LAYOUT_POOL_MIN_CAPACITY. Its seats are in the counters table's pools
     * <id>#0..shards-1; the item's own availableTickets (0 at creation) is never sold from. has_shards false: today's
     * layout (every small concert and every item the reference writes). Reads for the API (store_get_concert,
     * store_list_concerts) report available_tickets = the item's availableTickets + the sum of the pools;
     * store_concert_for_sale reports the item's own value. */
    bool has_shards;
    int64_t shards;

    /* An item that cannot be read faithfully (written by another program, see "Reading items" below)
     * has n_problems > 0; a concert read without problems has these fields zero/NULL. */
    size_t n_problems;
    const char *problems[STORE_PROBLEMS_MAX]; /* static texts "<field>: <what is wrong>", in field order */
    unsigned bad;            /* STORE_F_* of the fields with a problem */
    char *raw_id;            /* owned: the stored id when longer than STORE_ID_MAX (id[] is then "") */
    char *raw_tickets;       /* owned: the stored text of availableTickets when it has a problem, NULL if absent */
    char *raw_price;         /* owned: the same for ticketPrice */
    char *raw_capacity, *raw_currency, *raw_timezone, *raw_max_per_order, *raw_shards; /* owned: the same, optional fields */
} concert;

typedef struct concert_list {
    concert *items;          /* owned array */
    size_t n;
} concert_list;

typedef struct ticket {
    char id[STORE_ID_MAX + 1];
    char concert_id[STORE_ID_MAX + 1];
    char *customer_name;     /* owned */
    char *customer_email;    /* owned */
    char purchase_date[32];  /* "2026-11-25T08:47:18.123Z" */
} ticket;

typedef enum store_status {
    STORE_OK = 0,
    STORE_NOT_FOUND,         /* no such concert */
    STORE_SOLD_OUT,          /* availableTickets was 0 */
    STORE_REPLAY,            /* the ticket id already exists for the same concert: *out holds the stored ticket */
    STORE_CONFLICT,          /* the ticket id already exists for another request: other concert, customer name or
                                e-mail (an idempotency key reused); nothing of the stored ticket is returned */
    STORE_MALFORMED,         /* the concert item cannot be read faithfully (see below): permanent, answer 422 */
    STORE_UNAVAILABLE,       /* throttled, 5xx, timeout or transport failure after retries: answer 503 */
    STORE_ERROR,             /* anything else (bad config, malformed answer, out of memory) */
    STORE_DISABLED,          /* the operator is disabled (their operators item): nothing written, answer 403 */
    /* A change that carries a shift (store_journal.h): */
    STORE_SHIFT_NOT_OPEN,    /* the shift is closed, or there is no such shift */
    STORE_SHIFT_NOT_YOURS,   /* the shift belongs to another operator */
    STORE_SHIFT_TERMINAL,    /* the shift is open at another terminal */
    /* The pooled layout (issue 19): */
    STORE_BUSY               /* the request's time ran out on contention (every pool or shard tried was taken
                                by other transactions): nothing was written; answer 503 + Retry-After: 1 */
} store_status;

typedef struct store store;

/* The store's tables, each named by an environment variable (store_table_env). A handler declares the ones it
 * touches as STORE_NEED_* bits (handlers.h); start-up checks exactly those. */
typedef enum store_table_id {
    STORE_T_CONCERTS, STORE_T_TICKETS, STORE_T_ORDERS, STORE_T_CODES,
    STORE_T_OPERATORS,  /* key sub: an operator's role and whether they are disabled (issue 18) */
    STORE_T_SHIFTS,     /* key id: a cashier's shift, its running per-currency totals and its Z report */
    STORE_T_JOURNAL,    /* key day + sk: one entry per change, written in the change's own transaction */
    STORE_T_COUNTERS,   /* key id "<concertId>#<k>": a pooled concert's seat pool and counter shard k (issue 19) */
    STORE_T_COUNT
} store_table_id;
#define STORE_NEED(t) (1u << (t))
#define STORE_NEED_CONCERTS STORE_NEED(STORE_T_CONCERTS)
#define STORE_NEED_TICKETS STORE_NEED(STORE_T_TICKETS)
#define STORE_NEED_ORDERS STORE_NEED(STORE_T_ORDERS)
#define STORE_NEED_CODES STORE_NEED(STORE_T_CODES)
#define STORE_NEED_OPERATORS STORE_NEED(STORE_T_OPERATORS)
#define STORE_NEED_SHIFTS STORE_NEED(STORE_T_SHIFTS)
#define STORE_NEED_JOURNAL STORE_NEED(STORE_T_JOURNAL)
#define STORE_NEED_COUNTERS STORE_NEED(STORE_T_COUNTERS)
#define STORE_NEED_ALL (STORE_NEED_CONCERTS | STORE_NEED_TICKETS | STORE_NEED_ORDERS | STORE_NEED_CODES)

/* The environment variable naming table t: "CONCERTS_TABLE", "TICKETS_TABLE", "ORDERS_TABLE", "CODES_TABLE",
 * "OPERATORS_TABLE", "SHIFTS_TABLE", "JOURNAL_TABLE", "COUNTERS_TABLE". */
const char *store_table_env(store_table_id t);

/* Opens the store from the environment: the tables in needed (STORE_NEED_* bits) must each be set to a valid
 * DynamoDB table name, the others are used when they are; plus the DynamoDB client's AWS_* variables. On
 * failure returns NULL and writes a reason naming the variable into err (never a secret). */
store *store_open_tables(unsigned needed, char *err, size_t errlen);
/* store_open_tables(STORE_NEED_CONCERTS | STORE_NEED_TICKETS, ...). */
store *store_open_from_env(char *err, size_t errlen);
void store_close(store *s);

/* Absolute deadline (ms since the epoch, from Lambda-Runtime-Deadline-Ms) for the next calls;
 * 0 = none. DynamoDB timeouts and retries are cut so that a call ends before it. */
void store_set_deadline(store *s, uint64_t deadline_ms);
/* That deadline (0: none; also for s NULL), for the other services a handler calls within it (Cognito). */
uint64_t store_deadline(const store *s);

/* A short description of the last failure (DynamoDB error type and message), for logs. Never NULL. */
const char *store_last_error(const store *s);

/* Reading items written by other programs (the reference validates nothing). A concert item is read
 * as it is when every value can be returned faithfully; otherwise it gets one problem per bad field:
 *   id                 longer than STORE_ID_MAX bytes, not UTF-8, control characters (cannot be addressed)
 *   name, venue        missing, not a string, or breaking bo_valid_text's rule except its length limit
 *                      (empty or invisible, control or bidi characters)
 *   date               missing, not a string, control or bidi characters (the format is not judged)
 *   availableTickets   missing, not a number, not whole, negative, more than BO_TICKETS_MAX
 *   ticketPrice        missing, not a number, negative, more than BO_PRICE_MAX_CENTS, more than 2 decimals
 *   capacity           (optional) not a number, not whole, negative, more than BO_TICKETS_MAX
 *   currency           (optional) not a string of three upper-case letters
 *   timezone           (optional) not a string of the IANA form (bo_valid_timezone)
 *   maxPerOrder        (optional) not a number, not whole, outside 1..BO_ORDER_MAX_TICKETS
 *   shards             (optional, issue 19) not a number, not whole, outside 1..LAYOUT_SHARDS (64)
 *   (a pooled concert) one of its counter shards has a counter that is not a number, or seats (available)
 *                      below zero: the problem
 *                      "availableTickets: a seat pool ..." (store_get_concert, and in a list only that concert;
 *                      store_concert_stats: STORE_MALFORMED, as for a bad shards value); a shard missing
 *                      reads as no seats and no counts (the others are summed)
 * A number stored as a string ({"S": "7"}, as a DocumentClient writes a JSON string) is read like the
 * same number stored as N, everywhere: store_purchase rewrites such a seat counter as N (same value,
 * conditional on the stored string) before it sells. Reads are strongly consistent. */

/* PutItem (unconditional, as the reference): c->id must be set. NULL name/date/venue are stored as "". */
store_status store_put_concert(store *s, const concert *c);
/* createConcert: one TransactWriteItems = the concert's Put (on attribute_not_exists(id)) + its journal entry
 * "concert.created" (store_journal.h; who: the caller) + the operator's ConditionCheck (who's sub; store_priv.h).
 * STORE_OK, STORE_DISABLED (nothing written), STORE_UNAVAILABLE, STORE_ERROR. */
struct journal_who;
store_status store_create_concert(store *s, const concert *c, const struct journal_who *who);
/* On STORE_OK *out is filled (caller clears it); on STORE_MALFORMED too, with its problems;
 * otherwise *out is zeroed. An empty id, or one longer than STORE_ID_MAX, is STORE_NOT_FOUND. */
store_status store_get_concert(store *s, const char *id, concert *out);
/* Every concert: follows LastEvaluatedKey until the scan is complete; items with problems are in the
 * list with their problems (only an item without a string id, which DynamoDB cannot hold, is skipped
 * and named in store_last_error). *out is the caller's on STORE_OK, empty otherwise. */
store_status store_list_concerts(store *s, concert_list *out);

/* Takes one seat of t->concert_id and writes ticket t, in one transaction: the concert is read first
 * (STORE_NOT_FOUND, STORE_MALFORMED without writing anything; an S seat counter is rewritten as N),
 * then the seat update is conditional on the concert existing and availableTickets > 0, the ticket put
 * on attribute_not_exists(id).
 * STORE_OK: sold. STORE_REPLAY: a ticket with t->id exists for the same concert, customer name and
 * e-mail, copied to *out, no seat taken. STORE_CONFLICT: it exists for another request.
 * STORE_SOLD_OUT / STORE_NOT_FOUND / STORE_MALFORMED / STORE_CONFLICT / STORE_UNAVAILABLE / STORE_ERROR:
 * nothing written (a replay is recognised before NOT_FOUND and MALFORMED too).
 * out may be NULL when the caller has no use for the replayed ticket.
 * t->purchase_date empty: the store writes the current UTC time. On STORE_OK *out (when not NULL)
 * is the ticket as written; on STORE_REPLAY the ticket as stored earlier; otherwise zeroed.
 * *out's strings are the caller's (ticket_clear). */
store_status store_purchase(store *s, const ticket *t, ticket *out);

void concert_clear(concert *c);      /* frees owned fields; safe on a zeroed struct */
void concert_list_clear(concert_list *l);
void ticket_clear(ticket *t);

#endif
