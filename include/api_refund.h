#ifndef API_REFUND_H
#define API_REFUND_H
/* Refunds (operator key): POST /orders/{id}/refund. Blocking, on an api_client (api.h). */
#include <stdbool.h>
#include <stddef.h>

#include "api.h"
#include "client_model.h"

/* A refund to ask for. Strings borrowed. */
typedef struct api_refund_input {
    const char *order_id;
    const char *const *ticket_ids; /* n_ticket_ids ids of the order's tickets; 0 = every ticket still valid */
    size_t n_ticket_ids;
    const char *reason;            /* required (the server checks it like a name: 1..200 characters) */
    bo_pay_method method;          /* BO_PAY_NONE = the order's own payment method */
    const char *shift_id, *terminal; /* the operator's open shift and its terminal (NULL or "": not sent; a cash
                                      * refund needs them) */
} api_refund_input;

/* A 409's details: the tickets asked for that are not valid, with their status ("refunded", "checkedIn"). */
typedef struct api_refund_refusal {
    struct { char id[BO_ID_MAX + 1]; char status[24]; } tickets[BO_ORDER_TICKETS_MAX];
    size_t n;
} api_refund_refusal;

/* What the server says this very request refunded (the answer's "refund"). */
typedef struct api_refund_made {
    bool known;                    /* false: the answer did not say (then nothing below is known) */
    int64_t amount_cents;          /* money back */
    bo_pay_method method;          /* how it goes back (BO_PAY_NONE: a method this client does not know) */
    size_t n;                      /* how many tickets */
    char ticket_ids[BO_ORDER_TICKETS_MAX][BO_ID_MAX + 1];
} api_refund_made;

/* "Refunded 2 tickets: 20.00 EUR back by cash" from m (currency: the order's, may be ""); when the answer
 * did not say, that it did not ("... not said: see the order"), never an amount of the client's own. */
void api_refund_made_text(const api_refund_made *m, const char *currency, char *out, size_t cap);

/* The request body: {"ticketIds"?:[...],"reason","method"?,"shiftId"?,"terminal"?}. Caller frees; NULL on OOM. */
char *api_refund_body(const api_refund_input *in);

/* Refunds with the Idempotency-Key idem_key (NULL: a new one), retried with backoff and the same key on a
 * transport error, 5xx or 429: the server refunds once per key. The caller keeps the key until the
 * outcome is known: when no attempt got a definite answer res->unconfirmed is set, and calling again with
 * the same input and key tells (a replay answers the order as it is). On API_OK *out is the order after
 * the refund (caller frees: bo_order_clear) and *made (may be NULL) what this very request refunded, as the
 * server says: which tickets, how many, the amount and the method (a replay: what the first try refunded). A 409 (a ticket refunded or checked in; nothing was refunded)
 * is API_ERR_INVALID with the server's message, and its tickets' states in *refused (may be NULL).
 * The same key with another request is a 409 too (API_ERR_INVALID, no tickets in *refused).
 * 404 -> API_ERR_NOT_FOUND "No such order". Bad input (no reason, an invalid key) is API_ERR_INVALID
 * before anything is sent. */
api_status api_refund_order(api_client *c, const api_refund_input *in, const char *idem_key, bo_order *out,
                            api_refund_made *made, api_refund_refusal *refused, api_result *res);

#endif
