#ifndef STORE_ORDER_H
#define STORE_ORDER_H
/* Orders: several tickets of one concert sold in ONE DynamoDB transaction (TransactWriteItems), each
 * ticket with a secret code the door reads back with one GetItem. The item layout:
 *
 *   concerts  availableTickets -= quantity, ADD sold quantity, revenue<Method> unitPrice * quantity
 *             (condition: exists and availableTickets >= quantity; the counters: store_aftersale.h)
 *   orders    id S, concertId S, quantity N, unitPrice N, total N, currency S, paymentMethod S ("card",
 *             "cash", "comp"), tendered N + change N (cash only), createdAt S, soldBy S (the operator's
 *             display name, or "public"), operator M {sub S, name S} (an operator's sale only), customerName S + customerEmail S (absent for a walk-up order),
 *             attendees L of S (only when given), ticketIds L of S,
 *             emailKey S + emailSort S, nameKey S + nameSort S (the lookup indexes' keys, store_lookup.h;
 *             each pair only when the e-mail / name is given)          (condition: attribute_not_exists(id))
 *   tickets   per ticket, the reference's layout id, concertId, customerName, customerEmail, purchaseDate
 *             (= createdAt; a walk-up order's tickets hold "" as customerName and customerEmail) plus
 *             orderId S, code S, status S ("valid"), attendee S (when given)  (condition: attribute_not_exists(id))
 *   codes     per ticket, code S (key, canonical form of bo_code.h), ticketId S, orderId S, concertId S
 *                                                                          (condition: attribute_not_exists(code))
 *   operators a sale by an operator: ConditionCheck on their item, not disabled (store_priv.h), the last item
 * 2 + 2 * quantity items, plus the shift, the journal entry and the operator's ConditionCheck (store_order_place;
 * STORE_ORDER_OPERATOR_ITEMS): <= STORE_TXN_MAX_ITEMS (100), so an order holds at most STORE_ORDER_OPERATOR_MAX_TICKETS
 * (47) tickets; BO_ORDER_MAX_TICKETS is that same 47 (bo_valid_order.h).
 * Ticket ids are name-based UUIDs (v5) of the order id and the ticket's index; codes come from
 * getrandom (bo_code_new) and are never derivable from any id. Money is integer cents. */
#include <stdbool.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "bo_code.h"
#include "bo_valid_order.h"
#include "store.h"

#define STORE_TXN_MAX_ITEMS 100        /* DynamoDB's limit of items in one TransactWriteItems */
/* what a sale adds to the order's 2 + 2q items: the journal entry, the shift and the operator's ConditionCheck */
#define STORE_ORDER_OPERATOR_ITEMS 3
#define STORE_ORDER_OPERATOR_MAX_TICKETS ((STORE_TXN_MAX_ITEMS - 2 - STORE_ORDER_OPERATOR_ITEMS) / 2) /* 47 */

typedef enum order_payment { ORDER_PAY_CARD = 0, ORDER_PAY_CASH, ORDER_PAY_COMP } order_payment;

typedef struct order_ticket {
    char id[37];
    char code[BO_CODE_BUF];
    char *attendee;            /* owned; NULL when the order named none */
    char status[16];           /* "valid" when sold; as stored when read back */
    /* read back only (store_aftersale.h): "" / NULL when the ticket has none */
    char checked_in_at[32];
    char *door;                /* owned */
    char refunded_at[32];
} order_ticket;

/* A refund recorded on the order (store_aftersale.h). */
typedef struct order_refund {
    char id[37];
    int64_t amount_cents;      /* money back: unitPrice * tickets, 0 for comp */
    char method[8];            /* "card", "cash", "comp" */
    char *reason;              /* owned */
    char by[STORE_ID_MAX + 1]; /* the operator's display name (an API key id in refunds made before issue 18) */
    char at[32];
    int n_tickets;
    char ticket_ids[BO_ORDER_MAX_TICKETS][37];
    char scope[8];             /* what was asked: "all" (every valid ticket), "listed" (ticketIds); "" not kept */
    /* issue 18 (operatorSub, operatorName, shiftId, terminal in the refund's map; "" when absent) */
    bool has_operator;         /* recorded with these fields (refunds before them have none) */
    char operator_sub[STORE_ID_MAX + 1], operator_name[128], shift_id[STORE_ID_MAX + 1], terminal[256];
} order_refund;

typedef struct order {
    char id[STORE_ID_MAX + 1];
    char concert_id[STORE_ID_MAX + 1];
    int quantity;              /* 1..BO_ORDER_MAX_TICKETS */
    int64_t unit_cents;        /* the concert's ticketPrice when sold (also for comp) */
    int64_t total_cents;       /* unit * quantity; 0 for comp */
    char currency[4];
    order_payment method;
    bool has_tendered;         /* cash only */
    int64_t tendered_cents, change_cents;
    char created_at[32];       /* ISO-8601 UTC with ms */
    char sold_by[STORE_ID_MAX + 1]; /* the operator's display name (was the API key id), or "public" */
    /* Who sold it and where (issue 18): operatorSub S, operatorName S, shiftId S, terminal S on the item, each
     * only when set ("" here when not). A sale with a shift also updates the shift in its transaction and
     * every sale writes its journal entry "order.created" there (store_journal.h). */
    char operator_sub[STORE_ID_MAX + 1];
    char operator_name[128];
    char shift_id[STORE_ID_MAX + 1];
    char terminal[256];
    char *customer_name;       /* owned; NULL for a walk-up order */
    char *customer_email;      /* owned; NULL for a walk-up order */
    /* A pooled concert's order (issue 19; store_priv.h): the concert's shards, set by the caller from the concert
     * before store_order_place (0: today's layout). The seats come from its pools, not from the concert item, and
     * the order, its tickets and its codes carry shards N (so that a refund or check-in knows without reading the
     * concert). Read back from the order item. */
    int shards;
    order_ticket tickets[BO_ORDER_MAX_TICKETS]; /* [0..quantity) */
    /* After the sale (read back only, never written by store_order_place): */
    int admitted;              /* tickets checked in (the order's counter) */
    order_refund *refunds;     /* owned array of n_refunds, oldest first */
    int n_refunds;
} order;

void order_clear(order *o);
/* The refund with this id recorded on o, or NULL. */
const order_refund *order_refund_find(const order *o, const char *refund_id);    /* frees the owned strings and zeroes *o; safe on a zeroed order */
const char *order_payment_name(order_payment m); /* "card", "cash", "comp" */
/* The concert's counter of the face value sold with m: "revenueCard", "revenueCash", "revenueComp". */
const char *order_revenue_attr(order_payment m);

/* Sells order o: fills in o->tickets[i].id (derived from o->id), .code (fresh, from getrandom) and
 * .status, then runs the one transaction above. The caller sets everything else (id, concert, prices,
 * payment, created_at, sold_by, customer, attendees).
 *   STORE_OK          sold: o is the order as written
 *   STORE_REPLAY      an order with o->id exists for the same request (concert, quantity, payment,
 *                     customer, attendees, soldBy): *out is that order with its tickets' current states
 *   STORE_CONFLICT    an order with o->id exists for another request: nothing of it is returned
 *   STORE_SOLD_OUT    fewer seats than o->quantity: *seats_left says how many (0: none left)
 *   STORE_NOT_FOUND / STORE_MALFORMED   the concert is gone / stored malformed (re-read after the
 *                     transaction failed); STORE_UNAVAILABLE / STORE_ERROR: storage failure
 *   STORE_SHIFT_NOT_OPEN / STORE_SHIFT_NOT_YOURS / STORE_SHIFT_TERMINAL   o->shift_id cannot take the sale
 *   STORE_BUSY        a pooled concert: the request's time ran out while pools were taken by other transactions
 * A pooled concert (o->shards > 0): the seat Update is on one pool of the counters table (layout_pick; a pool
 * that meets a conflict: another at once; one that runs short: the pools read in one BatchGetItem and
 * layout_pool_plan, possibly several pools, each its own conditional Update at the head of the transaction).
 * The transaction: the items above, then (with a shift) the shift's Update, then the journal entry: 2 + 2 *
 * quantity + 1 (+ 1 with a shift) items.
 * Nothing is written unless STORE_OK. *out is zeroed unless STORE_REPLAY (then the caller's: order_clear). */
store_status store_order_place(store *s, order *o, order *out, int64_t *seats_left);

/* Fills it (an empty DynamoDB item object) with the attributes of the order item above, exactly as
 * store_order_place writes it (lookup keys included). false when out of memory. For tools that write
 * order items in bulk (backend/lambda/tests/tools/lookup_seed.c: the lookup tests and bench). */
bool store_order_item_fill(cJSON *it, const order *o);

/* Reads the concert before an order (as store_purchase does: strongly consistent, a seat counter
 * stored as a string rewritten as N first): STORE_OK (*out the caller's), STORE_MALFORMED (*out with
 * its problems, the caller's), STORE_NOT_FOUND, STORE_UNAVAILABLE, STORE_ERROR (*out zeroed). */
store_status store_order_concert(store *s, const char *concert_id, concert *out);

/* The stored order id with its tickets (codes, attendees, current status), read strongly consistent.
 * STORE_OK (*out the caller's), STORE_NOT_FOUND, STORE_UNAVAILABLE, STORE_ERROR (*out zeroed). */
store_status store_order_get(store *s, const char *id, order *out);

/* An order with o->id exists? STORE_REPLAY (*out as store_order_place), STORE_CONFLICT, STORE_NOT_FOUND
 * (none), or a storage failure. For refusals decided before any transaction (concert gone or malformed):
 * a retry of an order that was sold still gets its order. */
store_status store_order_replay(store *s, const order *o, order *out);

#endif
