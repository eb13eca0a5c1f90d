#ifndef API_LOOKUP_H
#define API_LOOKUP_H
/* Finding orders (operator key): GET /orders by e-mail or name prefix, GET /tickets/by-code/{code}.
 * Blocking calls on an api_client (api.h), one thread at a time. Every string in an answer is stored
 * sanitised (client_model.h). On failure the out-structures are left empty and res says why. */
#include <stddef.h>

#include "api.h"
#include "client_model.h"

#define API_FIND_LIMIT_MAX 50
#define API_CURSOR_MAX 1024       /* bytes of an opaque cursor the client keeps (longer: API_ERR_PROTOCOL) */

/* A lookup: exactly one of email / name (a prefix of at least 2 characters, the server folds case and
 * accents). Strings borrowed. */
typedef struct api_order_query {
    const char *email, *name;
    const char *concert_id;       /* NULL or "": every concert */
    int limit;                    /* 1..API_FIND_LIMIT_MAX, 0 = the server's default (20) */
    const char *cursor;           /* NULL or "": the first page; else the cursor of the previous page */
} api_order_query;

/* One page of order summaries (bo_order without tickets), in the server's order. Owned by whoever holds
 * it: api_order_page_clear frees and wipes it (customer data). */
typedef struct api_order_page {
    bo_order *orders;
    size_t n;
    char cursor[API_CURSOR_MAX + 1]; /* "" = no more pages */
} api_order_page;
void api_order_page_clear(api_order_page *p);

/* GET /orders?email=|name=[&concertId=][&limit=][&cursor=]. A query that is not exactly one of email and
 * name, or a limit out of range, is API_ERR_INVALID before anything is sent; the server's 400s ("Type at
 * least 2 characters ...", "Bad cursor") come back as API_ERR_INVALID with its message. */
api_status api_find_orders(api_client *c, const api_order_query *q, api_order_page *out, api_result *res);

/* What a ticket code leads to (GET /tickets/by-code/{code}). Owned; api_ticket_found_clear frees it. */
typedef struct api_ticket_found {
    bo_order_ticket ticket;       /* its attendee is owned here */
    char order_id[BO_ID_MAX + 1];
    bo_order order;               /* the order summary */
    bo_concert concert;
} api_ticket_found;
void api_ticket_found_clear(api_ticket_found *f);

/* The code is read with common/bo_code (any case, with or without dashes) and sent in its canonical
 * form; text that is not a code is API_ERR_INVALID ("Not a ticket code") before anything is sent.
 * 404 -> API_ERR_NOT_FOUND "Unknown code". */
api_status api_ticket_by_code(api_client *c, const char *code, api_ticket_found *out, api_result *res);

#endif
