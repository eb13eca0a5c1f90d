#ifndef STORE_SHIFT_H
#define STORE_SHIFT_H
/* Shifts (store_shift.c): one operator at one terminal from the opening float to the blind count and its
 * numbered Z report. The items:
 *
 *   shifts     id S, operatorSub S, operatorName S, terminal S, status S ("open" | "closed"), openedAt S,
 *              day S (UTC day of openedAt: index byDay), closedAt S, entries N (journal entries so far: the
 *              last seq), chain S (hash chain over them, bo_journal_hash.h), z N + hash S + note S + closeKey S
 *              (once closed), currencies SS, and per currency "<counter>_<CUR>" N for each SHIFT_C_* counter
 *              (absent: 0), written by the changes that carry the shift (store_journal.h)
 *   shifts     id "#zcounter": last N, the last Z number given (numbers are never reused)
 *   operators  sub S (key): openShiftId S while the operator has a shift open (one at a time: the open
 *              transaction sets it with attribute_not_exists, the close removes it)
 *
 *   open   operators Update SET openShiftId (condition none open, operator not disabled) + shifts Put
 *          (attribute_not_exists) + journal shift.opened (seq 1)
 *   drop / paid-out   shifts Update (store_journal.h's shift step, ADD drops|paidOuts) + journal entry
 *   close  shifts Update SET closed ... (condition open, owner, entries unchanged) + the Z counter's Update
 *          (condition last unchanged) + operators Update REMOVE openShiftId + journal shift.closed */
#include <stdbool.h>
#include <stdint.h>

#include "bo_journal_hash.h"
#include "store.h"
#include "store_journal.h"

#define SHIFT_CUR_MAX 8
#define SHIFT_TERMINAL_MAX 64   /* characters */
#define SHIFT_NOTE_MAX 200

/* The counters per currency (their attribute names). */
#define SHIFT_C_FLOAT "float"
#define SHIFT_C_CASH "cash"
#define SHIFT_C_CARD "card"
#define SHIFT_C_OTHER "other"
#define SHIFT_C_ORDERS "orders"
#define SHIFT_C_COMPS "comps"
#define SHIFT_C_COMP_TICKETS "compTickets"
#define SHIFT_C_REFUND_CASH "refundCash"
#define SHIFT_C_REFUND_CARD "refundCard"
#define SHIFT_C_REFUND_OTHER "refundOther"
#define SHIFT_C_REFUND_COUNT "refundCount"
#define SHIFT_C_DROPS "drops"
#define SHIFT_C_PAIDOUTS "paidOuts"
#define SHIFT_C_COUNTED "counted"

typedef struct shift_money {
    char currency[4];
    int64_t float_cents, cash, card, other, refund_cash, refund_card, refund_other, drops, paid_outs;
    long long orders, comps, comp_tickets, refund_count;
    bool has_counted;
    int64_t counted;
} shift_money;

typedef struct shift {
    char id[STORE_ID_MAX + 1];
    char operator_sub[STORE_ID_MAX + 1];
    char operator_name[128];
    char terminal[SHIFT_TERMINAL_MAX * 4 + 1];
    bool open;
    char opened_at[32], closed_at[32], day[11];
    long long entries;
    char chain[BO_JHASH_HEX];
    long long z;                 /* 0 while open */
    char hash[BO_JHASH_HEX];     /* "" while open */
    char *note;                  /* owned; NULL when none */
    char close_key[256];         /* the close's Idempotency-Key, "" when none */
    shift_money cur[SHIFT_CUR_MAX];
    int n_cur;
} shift;

void shift_clear(shift *sh);
/* expectedCash = float + cash sales - cash refunds - drops - paidOuts. */
int64_t shift_expected_cash(const shift_money *m);
/* The currency's money of sh, NULL when it has none. */
const shift_money *shift_money_of(const shift *sh, const char *currency);

/* GetItem (strongly consistent): STORE_OK (*out the caller's), STORE_NOT_FOUND, STORE_UNAVAILABLE, STORE_ERROR. */
store_status store_shift_get(store *s, const char *id, shift *out);
/* The caller's open shift: STORE_OK, STORE_NOT_FOUND (none open), or a failure. */
store_status store_shift_current(store *s, const char *sub, shift *out);

/* Opens sh (id, operator, terminal, floats in cur[] set by the caller; the rest is written here).
 * STORE_OK (*sh as written), STORE_REPLAY (the shift with this id is open already: *out is it),
 * STORE_CONFLICT (another shift of the operator is open: *out is it), STORE_OPERATOR_DISABLED,
 * STORE_UNAVAILABLE / STORE_ERROR. *out the caller's. */
store_status store_shift_open(store *s, shift *sh, shift *out);

/* A drop (to the safe) or a paid-out of cents in currency from the caller's open shift id.
 * STORE_OK (*out the shift after it), STORE_NOT_FOUND, STORE_SHIFT_NOT_OPEN, STORE_SHIFT_NOT_YOURS, failures. */
store_status store_shift_move(store *s, const char *id, const journal_who *who, bool drop, const char *currency,
                              int64_t cents, const char *note, shift *out);

/* Closes sh (as read by store_shift_get, open, the caller's) with counted[] (one per currency of sh, in its
 * order) and note (may be NULL), keyed by close_key (may be NULL). STORE_OK (*out the closed shift with its Z),
 * STORE_CONFLICT (the shift changed since it was read: read it again and decide again), STORE_OPERATOR_DISABLED,
 * STORE_UNAVAILABLE / STORE_ERROR. */
store_status store_shift_close(store *s, const shift *sh, const journal_who *who, const int64_t *counted,
                               const char *note, const char *close_key, shift *out);

/* Every shift opened on day (UTC, "YYYY-MM-DD"), oldest first. STORE_OK (*list, *n the caller's: shift_clear
 * each, free), or a failure. */
store_status store_shift_day(store *s, const char *day, shift **list, int *n);

#endif
