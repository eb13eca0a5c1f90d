#ifndef HANDLERS_H
#define HANDLERS_H
/* The concert-service handlers (twenty: the twelve of sales and after-sale, issue 18's shifts and journal),
 * dispatched on _HANDLER through one table (handler_common.c) that also
 * declares the store tables each one touches (handler_def.tables; start-up checks those and HANDLER_TABLES_ALWAYS).
 * The reference's
 * four, with its names:
 *   concert-service.createConcert   POST /concerts        201 concert | 400 | 413 | 503
 *   concert-service.getConcert      GET  /concerts/{id}   200 concert | 400 | 404 | 422 | 503
 *   concert-service.listConcerts    GET  /concerts        200 [concert...] | 503
 *   concert-service.purchaseTicket  POST /tickets         201 ticket | 400 | 404 | 409 | 413 | 422 | 503
 * and the orders, after-sale and lookup handlers below.
 * 422: the concert item is stored malformed (written by another program, see store.h): permanent,
 * the body is the concert as stored with "problems" plus the "error" text; the list carries such a
 * concert with its "problems" too. 409: an Idempotency-Key reused for a different request.
 * A handler validates its input completely before it touches the store (so validation works with
 * st == NULL), answers {"error": "<message naming the field>"} on bad input, and never answers 500.
 * Handlers only talk to the store (store.h), never HTTP. */
#include "apigw.h"
#include "caller.h"
#include "store.h"
#include "store_journal.h"

#define HANDLER_RETRY_AFTER_S 1
/* The 503's message when a write's time ran out on contention (STORE_BUSY; docs/openapi.yaml): nothing was written. */
#define HANDLER_BUSY "The concert is busy: nothing was sold or changed, please try again"
#define HANDLER_IDEMPOTENCY_KEY_MAX 255

typedef struct handler_result {
    apigw_response resp;      /* owned: apigw_response_clear */
    const char *reason;       /* static message of a 4xx/5xx answer, for the log; NULL on success */
    const char *store_error;  /* store_last_error() on a storage failure (borrowed from the store) */
} handler_result;

typedef void (*handler_fn)(store *st, const apigw_event *ev, handler_result *out);

typedef struct handler_def {
    const char *name;         /* "concert-service.createConcert" */
    const char *short_name;   /* "createConcert" */
    handler_fn fn;
    unsigned tables;          /* the store tables fn touches: STORE_NEED_* bits (store.h) */
} handler_def;

/* The tables start-up requires of every handler on top of its own: the reference's environment
 * (CONCERTS_TABLE and TICKETS_TABLE), so a deployment without them fails at once whatever the handler. */
#define HANDLER_TABLES_ALWAYS (STORE_NEED_CONCERTS | STORE_NEED_TICKETS)

/* The handler named by _HANDLER, or NULL. */
const handler_def *handler_find(const char *name);

void handler_create_concert(store *st, const apigw_event *ev, handler_result *out);
void handler_get_concert(store *st, const apigw_event *ev, handler_result *out);
void handler_list_concerts(store *st, const apigw_event *ev, handler_result *out);
void handler_purchase_ticket(store *st, const apigw_event *ev, handler_result *out);
/* Orders (handler_order.c): concert-service.createOrder on POST /orders and POST /box-office/orders,
 * concert-service.getOrder on GET /orders/{id}. */
void handler_create_order(store *st, const apigw_event *ev, handler_result *out);
void handler_get_order(store *st, const apigw_event *ev, handler_result *out);

/* After the sale (handler_aftersale.c), operator routes:
 *   concert-service.checkIn        POST /checkins                    200 | 400 | 404 | 409 | 503
 *   concert-service.undoCheckIn    POST /checkins/{ticketId}/undo    200 | 400 | 404 | 409 | 503
 *   concert-service.refundOrder    POST /orders/{id}/refund          200 | 400 | 404 | 409 | 503
 *   concert-service.concertStats   GET  /concerts/{id}/stats         200 | 400 | 404 | 422 | 503 */
void handler_checkin(store *st, const apigw_event *ev, handler_result *out);
void handler_undo_checkin(store *st, const apigw_event *ev, handler_result *out);
void handler_refund_order(store *st, const apigw_event *ev, handler_result *out);
void handler_concert_stats(store *st, const apigw_event *ev, handler_result *out);

/* Lookups (handler_lookup.c), operator routes:
 *   concert-service.findOrders       GET /orders?email=|name=[&concertId=][&limit=][&cursor=]
 *                                                                    200 | 400 | 403 | 503
 *   concert-service.getTicketByCode  GET /tickets/by-code/{code}     200 | 400 | 403 | 404 | 503 */
void handler_find_orders(store *st, const apigw_event *ev, handler_result *out);
void handler_ticket_by_code(store *st, const apigw_event *ev, handler_result *out);

/* Operators (handler_operator.c), manager only: the user pool through Cognito's admin API and the operators'
 * items (the routes and answers are listed there). handler_operators_close frees the Cognito client they keep
 * between invocations (app_close). */
void handler_list_operators(store *st, const apigw_event *ev, handler_result *out);
void handler_create_operator(store *st, const apigw_event *ev, handler_result *out);
void handler_disable_operator(store *st, const apigw_event *ev, handler_result *out);
void handler_enable_operator(store *st, const apigw_event *ev, handler_result *out);
void handler_set_operator_role(store *st, const apigw_event *ev, handler_result *out);
void handler_operators_close(void);

void handler_result_clear(handler_result *r);

/* Who calls (handler_common.c): the signed-in operator of the claims (caller.h); an API key alone vouches for
 * no one (AUTH.md): without claims, the public (who.sub NULL). */
typedef struct handler_who {
    caller c;
    journal_who who;          /* borrowed from the event and c */
    const char *label;        /* the display name for soldBy / by; NULL for the public */
} handler_who;
void handler_who_of(const apigw_event *ev, handler_who *w);
/* A body's optional "shiftId" and "terminal" (orders and refunds): "" when absent. NULL or the 400 message. */
const char *handler_shift_fields(const cJSON *body, char shift_id[STORE_ID_MAX + 1], char terminal[256]);
/* The 409 of a change refused by its shift (STORE_SHIFT_NOT_OPEN / _NOT_YOURS / _TERMINAL), the 403 of a disabled
 * operator (STORE_DISABLED): true when s was one of them and out is answered. */
bool handler_fail_shift(handler_result *out, store_status s);
#define HANDLER_CASH_NEEDS_SHIFT "a cash sale needs an open shift: open one first"

/* Shifts (handler_shift.c) and the journal (handler_journal.c), operator routes (docs/openapi.yaml):
 *   concert-service.openShift      POST /shifts                     201 | 400 | 403 | 409 | 503
 *   concert-service.currentShift   GET  /shifts/current             200 | 403 | 404 | 503
 *   concert-service.getShift       GET  /shifts/{id}                200 | 400 | 403 | 404 | 503
 *   concert-service.shiftDrop      POST /shifts/{id}/drops          201 | 400 | 403 | 404 | 409 | 503
 *   concert-service.shiftPaidOut   POST /shifts/{id}/paidouts       201 | 400 | 403 | 404 | 409 | 503
 *   concert-service.closeShift     POST /shifts/{id}/close          200 | 400 | 403 | 404 | 409 | 503
 *   concert-service.daySheet       GET  /shifts?day=[&format=csv]   200 | 400 | 403 | 503
 *   concert-service.getJournal     GET  /journal?day=|operator=&day=|concert=|shift= [&limit][&cursor]
 *                                                                    200 | 400 | 403 | 503 */
void handler_open_shift(store *st, const apigw_event *ev, handler_result *out);
void handler_current_shift(store *st, const apigw_event *ev, handler_result *out);
void handler_get_shift(store *st, const apigw_event *ev, handler_result *out);
void handler_shift_drop(store *st, const apigw_event *ev, handler_result *out);
void handler_shift_paidout(store *st, const apigw_event *ev, handler_result *out);
void handler_close_shift(store *st, const apigw_event *ev, handler_result *out);
void handler_day_sheet(store *st, const apigw_event *ev, handler_result *out);
void handler_get_journal(store *st, const apigw_event *ev, handler_result *out);

/* An order as JSON (handler_order.c): the answer of createOrder, getOrder and refundOrder. */
struct order;
void handler_answer_order(handler_result *out, int status, const struct order *o, bool replayed);
/* The Order object of that answer (with_tickets), or the OrderSummary of the lookups (without). New cJSON
 * owned by the caller, NULL on OOM. */
cJSON *handler_order_json(const struct order *o, bool with_tickets);
/* The CheckinTicket object (handler_aftersale.c). New cJSON owned by the caller, NULL on OOM. */
struct checkin_ticket;
cJSON *handler_checkin_ticket_json(const struct checkin_ticket *t);
/* Money as an exact decimal string with two decimals: 19996 -> "199.96", -50 -> "-0.50".
 * out holds BO_MONEY_BUF + 1 bytes. */
void handler_money2(int64_t cents, char *out);

/* Shared pieces (handler_common.c) ------------------------------------------------------------ */

/* Sets out to {"error": message} with status; message must be static. On OOM falls back to a
 * static body. Always leaves a complete response. */
void handler_fail(handler_result *out, int status, const char *message);
/* A field reader's message: 400 with it, or 503 + Retry-After when it reports out of memory. */
void handler_fail_input(handler_result *out, const char *message);
/* 422 {"error": "Concert is stored malformed: <problem>; ...", the concert as stored, "problems": [...]}
 * for a concert read with problems (c may be NULL or without problems: the error alone). */
void handler_fail_malformed(handler_result *out, const concert *c);
/* The signed-in operator of an operator route into *who (caller.h): true, or false with out set to 401
 * {"message":"Unauthorized"}. app_invoke's route table (authz.h) lets no caller without claims reach an
 * operator route's handler; a handler reached otherwise fails closed all the same. */
struct caller;
bool handler_operator(const apigw_event *ev, struct caller *who, handler_result *out);
/* Answers status with json's text (json is consumed; NULL counts as out of memory): true when answered, false
 * when memory ran out (out is then the 503 + Retry-After). */
bool handler_answer_json(handler_result *out, int status, cJSON *json);
/* Maps a store failure (NOT_FOUND excluded) to 503 + Retry-After, recording store_last_error; STORE_DISABLED
 * (the operator's item refused the write) to 403 {"error":"operator is disabled"}. */
void handler_store_fail(handler_result *out, store *st, store_status s, const char *message);

/* The request body as a JSON object: decodes base64, refuses > BO_BODY_MAX (413), NUL bytes,
 * invalid UTF-8, invalid JSON, non-objects (400). Returns the parsed object (caller frees with
 * cJSON_Delete) or NULL with out already set to the error answer. */
cJSON *handler_body_object(const apigw_event *ev, handler_result *out);

/* Field readers: NULL when fine (value stored), else a static message naming the field. */
const char *handler_text_field(const cJSON *obj, const char *field, char **out);   /* trimmed copy, caller frees */
const char *handler_date_field(const cJSON *obj, char **out);                      /* copy, caller frees */
const char *handler_email_field(const cJSON *obj, char **out);                     /* copy, caller frees */
const char *handler_tickets_field(const cJSON *obj, int64_t *out);
const char *handler_price_field(const cJSON *obj, int64_t *cents);
/* createConcert's optional fields (handler_order.c): currency (default $DEFAULT_CURRENCY, else EUR),
 * timezone, maxPerOrder (default BO_ORDER_DEFAULT_MAX); capacity = availableTickets. Sets them in *c
 * (c->available_tickets already read). NULL, or the message naming the field. */
const char *handler_concert_order_fields(const cJSON *obj, concert *c);
/* An id (concertId in a body, {id} in a path): non-empty, <= STORE_ID_MAX bytes, valid UTF-8,
 * no control characters. field names it in the message. */
const char *handler_valid_id(const char *field, const char *value);
/* The path parameter `name` of a route that reads one stored item: the id, or NULL with out already set to
 * the answer (400 naming it when it is not a valid id, else the 503 of handler_store_fail with fail_msg when
 * there is no store). */
const char *handler_path_id(store *st, const apigw_event *ev, const char *name, const char *fail_msg,
                            handler_result *out);
/* The body's "concertId": required, a string, a valid id (handler_valid_id); copied into out. */
const char *handler_concert_id_field(const cJSON *obj, char out[STORE_ID_MAX + 1]);

/* JSON forms of store items, as the reference returns them; ticketPrice is a raw exact number.
 * A concert with problems: its fields as stored (a field with a problem as its stored text, a JSON
 * string, or null when missing) and "problems": ["<field>: <what is wrong>", ...].
 * New cJSON owned by the caller, NULL on OOM. */
cJSON *handler_concert_json(const concert *c);
cJSON *handler_ticket_json(const ticket *t);

/* NULL when an Idempotency-Key (if present: key may be NULL) is 1..255 visible ASCII characters,
 * else the 400 message (handler_ticket.c). */
const char *handler_check_idempotency_key(const char *key);
/* The answer to an Idempotency-Key (or a scan's nonce) sent before with another request, on every keyed
 * route: 409 {"error": "... already used for a different request"}, telling nothing of the first request. */
void handler_fail_key_conflict(handler_result *out);

/* Ticket ids: name-based (SHA-1, RFC 4122 v5) UUID of the Idempotency-Key in a fixed namespace,
 * or a random v4 UUID when key is NULL. out holds 36 characters + NUL. */
void handler_ticket_id(const char *key, char out[37]);

#endif
