#ifndef STORE_AFTERSALE_H
#define STORE_AFTERSALE_H
/* After the sale (store_aftersale.c): check-in at the door, its undo, refunds, and a concert's counts.
 * Every change is ONE DynamoDB transaction that also moves the counters, so the counts never drift:
 *
 *   concerts  counters (absent on items older than them: read as 0):
 *               sold N, refunded N, admitted N                       seats
 *               revenueCard N, revenueCash N, revenueComp N          face value sold by payment method,
 *                                                                    less refunds (comp: given away)
 *             an order adds sold += q and revenue<Method> += unitPrice * q (store_order.c);
 *             POST /tickets (the reference's sale, no payment) adds sold += 1 and no revenue (store_purchase.c)
 *   tickets   check-in: status "valid" -> "checkedIn", checkedInAt S, door S, checkinNonce S, checkedInBy S
 *             undo:     "checkedIn" -> "valid" (the check-in attributes removed)
 *             refund:   "valid" -> "refunded", refundedAt S
 *   orders    admitted N (check-ins of its tickets), refunds L of M {id, amount N, method, reason, by, at,
 *             ticketIds L, scope S ("all": no ticketIds asked, "listed"), operator M {sub, name}}, refundIds SS (the refunds' ids: a refund is applied once)
 *
 *   check-in  tickets  SET status checkedIn ...          condition status = valid
 *             concerts ADD admitted 1                    condition exists
 *             orders   ADD admitted 1                    condition exists
 *   undo      the same with status checkedIn -> valid and -1
 *   each of the three also holds the operator's ConditionCheck (store_priv.h) as its last item
 *   A pooled concert (issue 19, store_priv.h): the concerts line of each is ONE counter shard "<id>#k" instead
 *   (check-in ADD admitted :d; refund ADD available :n, refunded :n, revenue<Method> -amount; condition exists),
 *   k picked by layout_pick, another one at once when it meets a transaction conflict. The ticket, code and order
 *   items of a pooled sale say shards N, so that no read of the concert is needed to know.
 *   refund    tickets  SET status refunded (each)        condition status = valid
 *             concerts SET availableTickets += n, ADD refunded n, revenue<Method> -= unitPrice * n
 *             orders   refunds += {...}, ADD refundIds   condition the refund id is not in refundIds
 */
#include <stdbool.h>
#include <stdint.h>

#include "bo_code.h"
#include "store.h"
#include "store_order.h"

#define CHECKIN_DOOR_MAX 64
#define CHECKIN_NONCE_MAX 128

typedef enum checkin_result {
    CHECKIN_ADMITTED = 0,   /* admitted now */
    CHECKIN_REPLAYED,       /* admitted earlier with the same nonce and door: the same answer again */
    CHECKIN_NONCE_REUSED,   /* admitted earlier with the same nonce from another door: another request */
    CHECKIN_ALREADY,        /* admitted earlier with another nonce */
    CHECKIN_REFUNDED,       /* the ticket was refunded */
    CHECKIN_WRONG_CONCERT,  /* the code is a ticket of another concert (concert_id says which) */
    CHECKIN_UNKNOWN,        /* no ticket has this code */
    CHECKIN_NOT_ADMITTED    /* undo: the ticket is not checked in (status says what it is) */
} checkin_result;

typedef struct checkin_ticket {
    char id[STORE_ID_MAX + 1];
    char order_id[STORE_ID_MAX + 1];
    char concert_id[STORE_ID_MAX + 1];
    char code[BO_CODE_BUF];
    char *attendee;                       /* owned; NULL when none */
    char status[16];
    char checked_in_at[32];               /* "" unless checked in */
    char door[CHECKIN_DOOR_MAX * 4 + 1];  /* UTF-8, "" when none */
    char nonce[CHECKIN_NONCE_MAX + 1];
    char refunded_at[32];                 /* "" unless refunded */
    int order_quantity, order_admitted;   /* the order's, read after the change */
    char *order_customer;                 /* owned; the order's customerName, NULL when none or not read */
    int shards;                           /* a pooled concert's ticket (shards N on its ticket and code items): its
                                             check-in moves ONE counter shard; 0: today's layout (the concert item) */
} checkin_ticket;

void checkin_ticket_clear(checkin_ticket *t);

struct journal_who;
/* Admits the ticket with code (canonical form) at concert_id. door may be "" . at: ISO time, by: the operator's
 * display name (checkedInBy); who: the caller, for the journal entry "checkin" written in the check-in's
 * transaction, which also holds their ConditionCheck (STORE_DISABLED when refused).
 * STORE_OK with *res (ADMITTED/REPLAYED/ALREADY/REFUNDED: *out is the ticket as stored; WRONG_CONCERT:
 * out->concert_id is the ticket's concert; UNKNOWN), or STORE_UNAVAILABLE / STORE_ERROR. *out the caller's. */
store_status store_checkin(store *s, const char *code, const char *concert_id, const char *nonce, const char *door,
                           const char *by, const char *at, const struct journal_who *who, checkin_ticket *out,
                           checkin_result *res);

/* The ticket with code (canonical form), as stored (without its order's counts): GetItem on codes (strongly
 * consistent), then on tickets. STORE_OK (*out the caller's), STORE_NOT_FOUND (no ticket has this code),
 * STORE_UNAVAILABLE / STORE_ERROR (*out zeroed). */
store_status store_ticket_of_code(store *s, const char *code, checkin_ticket *out);

/* Puts a checked-in ticket back to valid, for operator who (their ConditionCheck and the journal entry
 * "checkin.undone" in the transaction). STORE_OK with *res ADMITTED (undone; *out the ticket now) or
 * NOT_ADMITTED (*out as stored), STORE_NOT_FOUND (no such ticket, or one without a code), STORE_DISABLED, or a
 * failure. */
store_status store_checkin_undo(store *s, const char *ticket_id, const struct journal_who *who, checkin_ticket *out,
                                checkin_result *res);

/* A refund as asked and recorded (strings borrowed). */
typedef struct refund_ask {
    const char *id;            /* the refund's id (from the order id and the Idempotency-Key, or random) */
    const char *method;        /* how the money goes back: "card", "cash", "comp" */
    const char *reason;
    const char *by;            /* the operator's display name */
    const char *at;
    bool every_valid;          /* no ticketIds were asked: every valid ticket (recorded as scope "all") */
    /* issue 18: who refunds (the journal entry "order.refunded", written in the refund's transaction, and their
     * ConditionCheck: STORE_DISABLED when refused) and the shift the money goes out of (NULL: none; else the
     * shift's Update joins the transaction) */
    const char *operator_sub, *operator_name;
    const char *shift_id, *terminal;
} refund_ask;

/* Refunds tickets idx[0..n) of order o (as read by store_order_get; each "valid" there) in one transaction.
 *   STORE_OK        refunded: *out is the order after it
 *   STORE_REPLAY    a refund with ask->id is recorded on the order (applied before, or by a request racing
 *                   this one; the order is read after the transaction was refused): *out is the order now
 *   STORE_CONFLICT  a ticket was no longer valid: *out is the order now (its tickets' states)
 *   STORE_SHIFT_NOT_OPEN / STORE_SHIFT_NOT_YOURS / STORE_SHIFT_TERMINAL   ask->shift_id cannot take it
 *   STORE_UNAVAILABLE / STORE_ERROR
 * *out is zeroed on failures, else the caller's (order_clear). */
store_status store_refund(store *s, const order *o, const int *idx, int n, const refund_ask *ask, order *out);

typedef struct concert_stats {
    int64_t capacity;          /* stored capacity; absent: available + sold - refunded */
    int64_t available, sold, refunded, admitted;
    int64_t revenue_cents[3];  /* by order_payment: card, cash, comp */
    char currency[4];          /* "" when the concert has none */
} concert_stats;

/* ONE strongly consistent BatchGetItem of the concert and its K counter shards (a pooled concert's counts are the
 * item's plus the shards'; issue 19): STORE_OK, STORE_NOT_FOUND, STORE_MALFORMED (a counter
 * or availableTickets unreadable), STORE_UNAVAILABLE, STORE_ERROR. */
store_status store_concert_stats(store *s, const char *concert_id, concert_stats *out);

#endif
