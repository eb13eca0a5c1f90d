#ifndef STORE_JOURNAL_H
#define STORE_JOURNAL_H
/* The journal (store_journal.c): one entry per change, written as a Put in the change's own
 * TransactWriteItems, so that a change and its entry exist together or not at all. Every store transaction
 * that changes something (a concert created, an order, a refund, a check-in and its undo, a shift's events)
 * appends its entry with store_journal_put. The item (JOURNAL_TABLE, key day + sk):
 *
 *   day S ("YYYY-MM-DD" of at, UTC; bucketed, below), sk S (at "#" id), id S, at S, type S, detail S,
 *   operatorSub S + operatorName S (the caller's sub and display name; absent for an online order),
 *   terminal S, shiftId S + seq N, concertId S (bucketed, below), orderId S, ticketIds L of S, currency S,
 *   amount N, count N (each only when set), bucket N (only when > 0). Never an e-mail or a ticket code.
 *   Indexes: byShift (shiftId, seq), byOperator (operatorSub, sk), byConcert (concertId, sk).
 *
 * Buckets (issue 19, docs/architecture.md "The journal's buckets"): an entry goes to bucket b =
 * layout_journal_bucket(random) of LAYOUT_JOURNAL_BUCKETS (J), so that a day's entries (and a concert's, in
 * byConcert) are spread over J partitions instead of one. For b = 0 day and concertId are stored as they are
 * (every entry written before buckets is bucket 0); for b > 0 they are stored as "<value>#<b>" and the item has
 * bucket = b. Reading strips the suffix exactly when bucket says so (never by looking for '#': ids written by
 * others may contain one). The readers by day and by concert query the J partitions and merge them by sk
 * (at#id, globally ordered); byShift and byOperator are not bucketed.
 *
 * A change that carries a shift also updates the shift item in the same transaction (store_shift_link_*):
 * condition status = open AND operatorSub = the caller AND terminal = the one named AND entries = the count
 * read; SET entries = count + 1 (the entry's seq, gapless) and chain = the hash chain extended with the
 * entry's canonical line (bo_journal_hash.h); ADD the change's per-currency counters. A race with another
 * change on the shift fails the condition: the caller reads the shift again and retries. */
#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "bo_journal_hash.h"
#include "bo_money.h"
#include "store.h"

#define JOURNAL_TICKETS_MAX 49
#define JOURNAL_LINK_ADDS 8

/* Who made a change: the caller's sub and display name (borrowed); sub NULL: the public (an online order). */
typedef struct journal_who {
    const char *sub;
    const char *name;
} journal_who;

/* One entry; the strings are borrowed. */
typedef struct journal_entry {
    char id[37];               /* journal_entry_init: a random UUID */
    char at[32];               /* ISO-8601 UTC with ms */
    const char *type;          /* "order.created", ... */
    journal_who who;
    const char *terminal, *shift_id, *concert_id, *order_id;
    const char *const *ticket_ids; /* n_tickets ids (borrowed) */
    int n_tickets;
    const char *currency;      /* NULL: none */
    bool has_amount;
    int64_t amount_cents;
    bool has_count;
    long long count;
    const char *detail;        /* short text, NULL: "" */
    long long seq;             /* 0 without a shift; set by store_shift_link_read */
    int bucket;                /* 0..LAYOUT_JOURNAL_BUCKETS-1: journal_entry_init's, at random */
} journal_entry;

/* Zeroes *e and sets id (random), at (copied; NULL: now), type, who and bucket (layout_journal_bucket of a
 * random value from the thread's own bo_rand, seeded from the OS on first use). */
void journal_entry_init(journal_entry *e, const char *type, const journal_who *who, const char *at);
/* Appends {"Put": the entry's item, condition attribute_not_exists(sk)} to items; day and concertId bucketed by
 * e->bucket. false when out of memory or e->bucket is outside 0..LAYOUT_JOURNAL_BUCKETS-1. */
bool store_journal_put(store *s, cJSON *items, const journal_entry *e);
/* The entry's fields for its canonical line (amount written into amount, BO_MONEY_BUF + 1 bytes). */
void journal_entry_fields(const journal_entry *e, bo_jfields *f, char *amount);

/* The shift a change carries, and what it adds to the shift's counters. */
typedef struct shift_link {
    const char *shift_id;      /* borrowed */
    const char *sub;           /* the caller: the shift's owner */
    const char *terminal;      /* the terminal named with the change; NULL: the shift's (store_shift_link_read
                                  sets it to the shift's, copied into terminal_buf) */
    const char *currency;      /* of the counters */
    struct {
        const char *counter;   /* "cash", "card", "orders", ... (store_shift.h) */
        int64_t value;         /* cents or a count */
        bool money;
    } add[JOURNAL_LINK_ADDS];
    int n_add;
    /* read by store_shift_link_read */
    long long entries;
    char chain[BO_JHASH_HEX], next_chain[BO_JHASH_HEX];
    char terminal_buf[128];
} shift_link;

/* Adds counter += value to l (false when l is full). */
bool shift_link_add(shift_link *l, const char *counter, int64_t value, bool money);
/* Reads the shift (strongly consistent) and checks it: STORE_OK (e->seq, e->shift_id, e->terminal and
 * l->next_chain set), STORE_SHIFT_NOT_OPEN (closed or missing), STORE_SHIFT_NOT_YOURS, STORE_SHIFT_TERMINAL,
 * STORE_UNAVAILABLE / STORE_ERROR. */
store_status store_shift_link_read(store *s, shift_link *l, journal_entry *e);
/* Appends the shift's Update (see above) to items. false when out of memory. */
bool store_shift_link_update(store *s, cJSON *items, const shift_link *l);
/* Rounds a change tries when another change on its shift wins the race; before round n (1..) it waits a
 * jittered backoff (store_shift_link_backoff: up to 5 ms * 2^(n-1), at most 80 ms). */
#define SHIFT_LINK_ROUNDS 12
void store_shift_link_backoff(unsigned round);

/* Reading the journal (GET /journal): one page of entries, oldest first. */
typedef enum journal_by { JOURNAL_BY_DAY, JOURNAL_BY_OPERATOR, JOURNAL_BY_CONCERT, JOURNAL_BY_SHIFT } journal_by;

typedef struct journal_row {
    char id[37], at[32], type[32];
    char sub[STORE_ID_MAX + 1], name[128];          /* "" for the public */
    char terminal[256], shift_id[STORE_ID_MAX + 1], concert_id[STORE_ID_MAX + 1], order_id[STORE_ID_MAX + 1];
    char currency[4];
    bool has_amount, has_count;
    int64_t amount_cents;
    long long count, seq;                             /* seq 0: none */
    char *detail;                                     /* owned */
    char **ticket_ids;                                /* owned array of n_tickets owned strings; NULL: absent */
    int n_tickets;
} journal_row;

typedef struct journal_page {
    journal_row *rows;        /* owned array of n */
    int n;
    char *cursor;             /* owned; NULL when there is no more */
} journal_page;
void journal_page_clear(journal_page *p);

#define JOURNAL_LIMIT_MAX 100
/* Up to limit (1..JOURNAL_LIMIT_MAX) entries by key (a day "YYYY-MM-DD", an operator's sub, a concert id or a
 * shift id; day also for JOURNAL_BY_OPERATOR, NULL otherwise) from cursor on (NULL: the beginning).
 * By day and by concert: one Query per bucket (J, more only when a bucket's answer is cut at 1 MB), each of at
 * most limit entries after the cursor's sk, merged by sk; the page is the first limit, the cursor the last sk
 * returned (base64 of {"day"|"concertId": key, "sk": sk}: the shape of the LastEvaluatedKey these queries had
 * before buckets, so that a cursor from before goes on where it was). By operator and by shift: one Query
 * (more when DynamoDB cuts a page), the cursor its LastEvaluatedKey.
 * STORE_OK (*out the caller's), STORE_NOT_FOUND (the cursor is not one of ours), STORE_UNAVAILABLE / STORE_ERROR. */
store_status store_journal_page(store *s, journal_by by, const char *key, const char *day, int limit,
                                const char *cursor, journal_page *out);
/* The canonical-line fields of a row (amount written into amount, BO_MONEY_BUF + 1 bytes): for verifying. */
void journal_row_fields(const journal_row *r, bo_jfields *f, char *amount);

/* The shift counters' attribute name: "<counter>_<currency>" into out (16 bytes). */
void shift_counter_attr(const char *counter, const char *currency, char out[32]);

#endif
