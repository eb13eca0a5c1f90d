#ifndef STORE_LOOKUP_H
#define STORE_LOOKUP_H
/* Finding orders and tickets again (store_lookup.c): GET /orders?email=|name= and GET /tickets/by-code/{code}.
 *
 *   orders   emailKey S, emailSort S, nameKey S, nameSort S (lookup_key.h), written with the order in its
 *            transaction (store_order.c); absent for a walk-up order without e-mail/name
 *   indexes  byEmail (emailKey HASH, emailSort RANGE), byName (nameKey HASH, nameSort RANGE), projection ALL
 *   tickets  nameKey S, nameSort S of the ticket holder's (attendee's) name with the order's createdAt, written
 *            with the ticket in the order's transaction when lookup_holder_keyed picks it (not the customer's
 *            name, once per person and order); index byHolder (nameKey HASH, nameSort RANGE), projection ALL
 *
 * A lookup is one DynamoDB Query per page on one index: KeyCondition key = bucket AND begins_with(sort, prefix),
 * FilterExpression concertId = :c when asked, ascending (customers alphabetically, each one's newest first),
 * Limit = the orders still needed; pages follow until the limit is met or the index has no more. Never a Scan.
 * A search by name goes on, once the customers' matches are all read, with the ticket holders' (byHolder on
 * tickets, the same key condition): each such ticket's order (GetItem), unless its customer's name matches
 * too (listed already). A cursor names a position in one of the two: lookup_cursor_decode with the byName
 * query or the byHolder one tells which. */
#include <cjson/cJSON.h>

#include "lookup_key.h"
#include "store.h"
#include "store_aftersale.h"
#include "store_order.h"

#define LOOKUP_LIMIT_MAX 50
#define LOOKUP_PAGES_MAX 25   /* Query calls per request at most: a filter that matches rarely answers a short
                                 page with a cursor rather than reading the whole bucket */

typedef struct lookup_page {
    order *orders;            /* owned array of n orders, without their tickets' codes and states */
    char **holders;           /* owned array of n: the ticket holder's name that matched, NULL where the
                               * customer did */
    int n;
    char *cursor;             /* owned; NULL when the query has no more */
} lookup_page;

void lookup_page_clear(lookup_page *p);   /* frees everything; safe on a zeroed page */

/* Up to limit (1..LOOKUP_LIMIT_MAX) orders of q from start_key on (NULL: the beginning; from
 * lookup_cursor_decode); for a search by name, holders is the same search on byHolder (NULL: none), and
 * in_holders says that start_key is a position in it (the customers' matches are all read).
 * STORE_OK (*out the caller's), STORE_UNAVAILABLE / STORE_ERROR (*out zeroed). */
store_status store_lookup_orders(store *s, const lookup_query *q, const lookup_query *holders, bool in_holders,
                                 int limit, const cJSON *start_key, lookup_page *out);

/* The ticket with code (canonical form), its order (without the tickets' codes and states) and concert:
 * GetItem on codes (strongly consistent), then on tickets, orders and concerts.
 * STORE_OK (all three the caller's: checkin_ticket_clear, order_clear, concert_clear; a concert stored
 * malformed comes with its problems), STORE_NOT_FOUND (no ticket has this code), STORE_UNAVAILABLE /
 * STORE_ERROR; all zeroed unless STORE_OK. */
store_status store_ticket_by_code(store *s, const char *code, checkin_ticket *t, order *o, concert *c);

#endif
