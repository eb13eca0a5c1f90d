#ifndef API_H
#define API_H
/* The HTTP API client: list, get and create concerts; place and read orders; sell one ticket (POST /tickets).
 * Its other routes: api_door.h (check-ins, counts), api_refund.h (refunds), api_lookup.h (finding orders).
 * No drawing, no terminal.
 * Blocking calls; one api_client is used by one thread at a time (the UI runs it in its worker thread). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "client_model.h"

struct auth_session;

typedef enum api_status {
    API_OK = 0,
    API_ERR_SOLD_OUT,        /* 400 "No tickets available" */
    API_ERR_NOT_FOUND,       /* 404: "Concert no longer exists" */
    API_ERR_INVALID,         /* other 4xx from validation: message is the server's */
    API_ERR_FORBIDDEN,       /* 401 "not signed in / session expired: boxoffice login" (or why the sign-in
                              * failed); 403: the server's reason (the group needed) */
    API_ERR_THROTTLED,       /* 429 */
    API_ERR_UNAVAILABLE,     /* 5xx after retries: "Service unavailable — try again" */
    API_ERR_UNREACHABLE,     /* connect failure: "Server unreachable" */
    API_ERR_TIMEOUT,         /* no answer in time */
    API_ERR_PROTOCOL,        /* malformed or oversized answer */
    API_ERR_NOMEM
} api_status;

typedef struct api_result {
    api_status status;
    long http_status;        /* 0 when there was no HTTP answer */
    char message[256];       /* short, person-readable, sanitised; "" on success */
    double latency_ms;
    bool unconfirmed;        /* a sale (api_purchase_key, api_create_order): no definite answer, but the
                              * request may have reached the server: the ticket may have been sold.
                              * Re-sending the same request with the same Idempotency-Key tells (it never
                              * sells a second ticket). */
} api_result;

typedef struct api_config {
    const char *base_url;    /* e.g. "http://127.0.0.1:3000/dev" (no trailing slash needed) */
    struct auth_session *auth; /* the operator's sign-in (auth.h), borrowed, may be NULL: every request then
                              * carries `Authorization: <IdToken>`; a 401 refreshes the token and tries once
                              * more. NULL: no Authorization header (public routes only) */
    long connect_timeout_ms; /* default 3000 */
    long timeout_ms;         /* total per attempt, default 10000 */
    int purchase_attempts;   /* default 3: retries on transport error / 5xx with the same Idempotency-Key */
    size_t max_response_bytes; /* 0 = API_RESPONSE_MAX; a larger answer is API_ERR_PROTOCOL */
} api_config;
/* The default cap on an answer's size (10,000 concerts take about 2 MiB). */
#define API_RESPONSE_MAX ((size_t)32 * 1024 * 1024)

/* One HTTP exchange, reported to the --inspect panel. All strings borrowed for the call's duration. */
typedef struct api_exchange {
    const char *method, *url;
    const char *request_body;    /* may be NULL */
    long http_status;            /* 0 on transport failure */
    const char *response_body;   /* may be NULL */
    double latency_ms;
    const char *error;           /* transport error text or NULL */
} api_exchange;
typedef void (*api_inspector_fn)(void *userdata, const api_exchange *t);

typedef struct api_client api_client;

/* Copies what it needs from cfg (strings too). NULL on OOM or bad URL (not http:// or https://).
 * 0 / NULL fields take the defaults. api_client_free() releases everything. */
api_client *api_client_new(const api_config *cfg);
void api_client_free(api_client *c);
/* fn is called on the calling thread after every HTTP attempt (retries included), never with the token. */
void api_client_set_inspector(api_client *c, api_inspector_fn fn, void *userdata);
const char *api_client_base_url(const api_client *c);

const char *api_status_message(api_status s);         /* the default person-readable text */
/* true when cfg can act as an operator: it has a sign-in (auth set, with a token or the means to get one). */
bool api_config_operator(const api_config *cfg);
/* The text a 401 reads as, in the CLI and the UI's status line. */
#define API_UNAUTHORIZED_TEXT "not signed in / session expired: boxoffice login"

/* All calls: res may be NULL; on failure *out is left empty (nothing to free) and res->message says why.
 * On API_OK the caller owns *out (bo_concert_list_clear / bo_concert_clear / bo_ticket_clear). */
api_status api_list_concerts(api_client *c, bo_concert_list *out, api_result *res);
/* A concert the server reports stored malformed (422 with the record and its "problems") is API_OK with *out
 * marked (out->bad, not sellable), res->http_status 422. */
api_status api_get_concert(api_client *c, const char *id, bo_concert *out, api_result *res);
api_status api_create_concert(api_client *c, const bo_concert_input *in, char id_out[BO_ID_MAX + 1], api_result *res);
/* Idempotency-Key values: what the API accepts is 1 to API_IDEM_KEY_MAX visible ASCII characters
 * (0x21-0x7E, as backend/lambda/src/handler_ticket.c checks). A new key is a random UUID (libuuid). */
#define API_IDEM_KEY_MAX 255
bool api_idempotency_key_valid(const char *key);
void api_idempotency_key_new(char out[API_IDEM_KEY_MAX + 1]);

/* Sells one ticket with the Idempotency-Key idem_key (NULL: a new one); retries on transport error, 5xx
 * or 429 with the same key, so a retry never takes a second seat. On API_OK *out holds the ticket (the
 * server's id; name/email/concert as sent). When no attempt got a definite answer (a ticket, or a 4xx)
 * but one may have reached the server, res->unconfirmed is set: the caller keeps the key and re-sends
 * the same request with it to learn the outcome (the server answers a replay with the same ticket).
 * An invalid idem_key is API_ERR_INVALID before anything is sent. */
api_status api_purchase_key(api_client *c, const char *concert_id, const char *customer_name,
                            const char *customer_email, const char *idem_key, bo_ticket *out, api_result *res);
/* Places an order (in->operator_route: POST /box-office/orders with the key, else the public POST /orders)
 * with the Idempotency-Key idem_key (NULL: a new one), retried like api_purchase_key with the same key: an
 * order whose outcome is unknown (res->unconfirmed) is checked by calling again with the same input and
 * key (the server answers a replay with the same order). On API_OK the caller owns *out (bo_order_clear).
 * Refusals: API_ERR_SOLD_OUT (400 "No tickets available"), API_ERR_INVALID with the server's message (400
 * "Only N tickets left", a field, 409 key reused for another order, 422), API_ERR_FORBIDDEN (403),
 * API_ERR_NOT_FOUND (404 unknown concert). */
api_status api_create_order(api_client *c, const bo_order_input *in, const char *idem_key, bo_order *out,
                            api_result *res);
/* The request body of an order, exactly: {"concertId","quantity","customerName"?,"customerEmail"?,
 * "attendees"?,"payment"?:{"method","tendered"?}} (tendered a decimal string "100.00"; names and e-mail
 * left out when NULL or ""). Caller frees (it holds customer data: wipe it first); NULL on OOM. */
char *api_order_body(const bo_order_input *in);
/* GET /orders/{id} (operator key): the order with its tickets' current status. 404 -> API_ERR_NOT_FOUND
 * ("No such order"). */
api_status api_get_order(api_client *c, const char *id, bo_order *out, api_result *res);

#endif
