/* createOrder (POST /orders, POST /box-office/orders) and getOrder (GET /orders/{id}); the concert
 * fields orders use, read at createConcert. The contract is in the README ("Orders"). */
#include "handlers.h"

#include "caller.h"

#include "bo_clock.h"

#include "bo_money.h"
#include "bo_text.h"
#include "bo_valid.h"
#include "bo_valid_order.h"
#include "store_order.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uuid/uuid.h>

static const char ORDER_FAILED[] = "Could not place the order, please try again";
static const char GET_FAILED[] = "Could not retrieve the order, please try again";
static const char SOLD_OUT[] = "No tickets available";
static const char NOT_ENOUGH[] = "Not enough tickets left";
static const char NOT_FOUND[] = "Concert not found";
static const char ORDER_NOT_FOUND[] = "Order not found";
static const char NO_MEMORY[] = "Out of memory, please try again";
static const char OVER_MAX[] = "quantity above the concert's maxPerOrder";
/* quantity's own limit (bo_valid_order.h) keeps the biggest sale, an operator's cash sale with a shift, in one
 * transaction: 2 + 2 * q + the shift, the journal entry and the operator's ConditionCheck <= 100 items */
_Static_assert(BO_ORDER_MAX_TICKETS <= STORE_ORDER_OPERATOR_MAX_TICKETS, "an order must fit one transaction");
static const char NEEDS_KEY_CASH[] = "Payment method cash needs a signed-in operator (POST /box-office/orders)";
static const char NEEDS_KEY_COMP[] = "Payment method comp needs a signed-in operator (POST /box-office/orders)";
static const char KIOSK_CARD_ONLY[] = "payment.method: a kiosk sells by card only (cash and comp need the manager or "
                                      "cashier group)";
static const char METHOD_BAD[] = "payment.method must be card, cash or comp";
static const char PAYMENT_BAD[] = "payment must be an object";
static const char TENDERED_BAD[] = "payment.tendered must be an amount with at most 2 decimals";
static const char TENDERED_SHORT[] = "payment.tendered must be at least the total";
static const char TENDERED_NOT_CASH[] = "payment.tendered is only for cash";
static const char QUANTITY_REQUIRED[] = "quantity is required";
static const char ATTENDEES_BAD[] = "attendees must be an array with one name per ticket (quantity)";
static const char ATTENDEE_NOT_STRING[] = "attendees must hold strings";

/* The namespace of order ids derived from Idempotency-Key values (a fixed random UUID, not the tickets'). */
static const uuid_t order_namespace = { 0xd2, 0x4a, 0x71, 0x0c, 0x58, 0x93, 0x4e, 0x1b,
                                        0x9f, 0x36, 0xa8, 0x05, 0x6d, 0xe1, 0x2b, 0x47 };

static void order_id(const char *key, char out[37])
{
    uuid_t u;
    if (key)
        uuid_generate_sha1(u, order_namespace, key, strlen(key));
    else
        uuid_generate_random(u);
    uuid_unparse_lower(u, out);
}

/* An answer whose text is made at run time; reason (static) goes to the log. */
static void fail_text(handler_result *out, int status, const char *text, const char *reason)
{
    handler_fail(out, status, text);
    out->reason = reason;
}

/* ---- concert fields -------------------------------------------------------------------------- */

static const char *default_currency(void)
{
    const char *c = getenv("DEFAULT_CURRENCY");
    return c && !bo_valid_currency(c) ? c : BO_CURRENCY_DEFAULT;
}

const char *handler_concert_order_fields(const cJSON *obj, concert *c)
{
    c->has_capacity = true;
    c->capacity = c->available_tickets;
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, "currency");
    const char *msg;
    if (!it || cJSON_IsNull(it)) {
        memcpy(c->currency, default_currency(), 4);
    } else if (!cJSON_IsString(it)) {
        return "currency must be a string";
    } else {
        if ((msg = bo_valid_currency(it->valuestring)) != NULL)
            return msg;
        memcpy(c->currency, it->valuestring, 4);
    }
    it = cJSON_GetObjectItemCaseSensitive(obj, "timezone");
    if (it && !cJSON_IsNull(it)) {
        if (!cJSON_IsString(it))
            return "timezone must be a string";
        if ((msg = bo_valid_timezone(it->valuestring)) != NULL)
            return msg;
        if (!(c->timezone = strdup(it->valuestring)))
            return "Out of memory, please try again";
    }
    it = cJSON_GetObjectItemCaseSensitive(obj, "maxPerOrder");
    c->has_max_per_order = true;
    c->max_per_order = BO_ORDER_DEFAULT_MAX;
    if (it && !cJSON_IsNull(it)) {
        if (!cJSON_IsNumber(it))
            return "maxPerOrder must be a whole number from 1 to 47";
        if ((msg = bo_valid_max_per_order_double(it->valuedouble, &c->max_per_order)) != NULL)
            return msg;
    }
    return NULL;
}

/* ---- JSON ------------------------------------------------------------------------------------ */

void handler_money2(int64_t cents, char *out)
{
    int64_t a = cents < 0 ? -cents : cents;
    snprintf(out, BO_MONEY_BUF + 1, "%s%lld.%02lld", cents < 0 ? "-" : "", (long long)(a / 100), (long long)(a % 100));
}

static bool add_money(cJSON *o, const char *name, int64_t cents)
{
    char m[BO_MONEY_BUF + 1];
    handler_money2(cents, m);
    return cJSON_AddStringToObject(o, name, m) != NULL;
}

cJSON *handler_order_json(const order *o, bool with_tickets)
{
    cJSON *j = cJSON_CreateObject();
    if (!j)
        return NULL;
    cJSON *pay = NULL, *tickets = NULL;
    bool ok = cJSON_AddStringToObject(j, "id", o->id) && cJSON_AddStringToObject(j, "concertId", o->concert_id) &&
              cJSON_AddNumberToObject(j, "quantity", o->quantity) && add_money(j, "unitPrice", o->unit_cents) &&
              add_money(j, "total", o->total_cents) && cJSON_AddStringToObject(j, "currency", o->currency) &&
              (pay = cJSON_AddObjectToObject(j, "payment")) &&
              cJSON_AddStringToObject(pay, "method", order_payment_name(o->method)) &&
              (!o->has_tendered || (add_money(pay, "tendered", o->tendered_cents) && add_money(pay, "change", o->change_cents))) &&
              cJSON_AddStringToObject(j, "createdAt", o->created_at) && cJSON_AddStringToObject(j, "soldBy", o->sold_by) &&
              (!o->customer_name || cJSON_AddStringToObject(j, "customerName", o->customer_name)) &&
              (!o->customer_email || cJSON_AddStringToObject(j, "customerEmail", o->customer_email)) &&
              (!with_tickets || (tickets = cJSON_AddArrayToObject(j, "tickets")));
    if (ok && o->operator_sub[0]) {
        cJSON *op = cJSON_AddObjectToObject(j, "operator");
        ok = op && cJSON_AddStringToObject(op, "sub", o->operator_sub) &&
             cJSON_AddStringToObject(op, "name", o->operator_name);
    } else if (ok) {
        ok = cJSON_AddNullToObject(j, "operator") != NULL;
    }
    ok = ok && (o->shift_id[0] ? cJSON_AddStringToObject(j, "shiftId", o->shift_id) : cJSON_AddNullToObject(j, "shiftId"));
    ok = ok && (o->terminal[0] ? cJSON_AddStringToObject(j, "terminal", o->terminal) : cJSON_AddNullToObject(j, "terminal"));
    if (ok && (o->admitted || o->n_refunds))
        ok = cJSON_AddNumberToObject(j, "admitted", o->admitted) != NULL;
    cJSON *refunds = NULL;
    if (ok && o->n_refunds)
        ok = (refunds = cJSON_AddArrayToObject(j, "refunds")) != NULL;
    for (int i = 0; ok && i < o->n_refunds; i++) {
        const order_refund *r = &o->refunds[i];
        cJSON *rj = cJSON_CreateObject(), *ids = NULL;
        ok = rj && cJSON_AddItemToArray(refunds, rj);
        if (!ok) {
            cJSON_Delete(rj);
            break;
        }
        ok = cJSON_AddStringToObject(rj, "id", r->id) && add_money(rj, "amount", r->amount_cents) &&
             cJSON_AddStringToObject(rj, "method", r->method) && cJSON_AddStringToObject(rj, "reason", r->reason) &&
             cJSON_AddStringToObject(rj, "by", r->by) && cJSON_AddStringToObject(rj, "at", r->at) &&
             (ids = cJSON_AddArrayToObject(rj, "ticketIds"));
        if (ok && r->has_operator) { /* issue 18: who, and the shift the money went out of */
            cJSON *op = NULL;
            ok = (r->operator_sub[0] ? (op = cJSON_AddObjectToObject(rj, "operator")) && cJSON_AddStringToObject(op, "sub", r->operator_sub) &&
                                           cJSON_AddStringToObject(op, "name", r->operator_name)
                                     : cJSON_AddNullToObject(rj, "operator") != NULL) &&
                 (r->shift_id[0] ? cJSON_AddStringToObject(rj, "shiftId", r->shift_id) : cJSON_AddNullToObject(rj, "shiftId")) &&
                 (r->terminal[0] ? cJSON_AddStringToObject(rj, "terminal", r->terminal) : cJSON_AddNullToObject(rj, "terminal"));
        }
        for (int k = 0; ok && k < r->n_tickets; k++) {
            cJSON *id = cJSON_CreateString(r->ticket_ids[k]);
            ok = id && cJSON_AddItemToArray(ids, id);
            if (!ok)
                cJSON_Delete(id);
        }
    }
    for (int i = 0; ok && with_tickets && i < o->quantity; i++) {
        const order_ticket *t = &o->tickets[i];
        cJSON *tj = cJSON_CreateObject();
        ok = tj && cJSON_AddItemToArray(tickets, tj);
        if (!ok) {
            cJSON_Delete(tj);
            break;
        }
        ok = cJSON_AddStringToObject(tj, "id", t->id) && cJSON_AddStringToObject(tj, "code", t->code) &&
             (!t->attendee || cJSON_AddStringToObject(tj, "attendee", t->attendee)) &&
             cJSON_AddStringToObject(tj, "status", t->status) &&
             (!t->checked_in_at[0] || cJSON_AddStringToObject(tj, "checkedInAt", t->checked_in_at)) &&
             (!t->door || cJSON_AddStringToObject(tj, "door", t->door)) &&
             (!t->refunded_at[0] || cJSON_AddStringToObject(tj, "refundedAt", t->refunded_at));
    }
    if (!ok) {
        cJSON_Delete(j);
        return NULL;
    }
    return j;
}

void handler_answer_order(handler_result *out, int status, const order *o, bool replayed)
{
    if (handler_answer_json(out, status, handler_order_json(o, true)))
        out->resp.replayed = replayed;
}

/* ---- request --------------------------------------------------------------------------------- */

/* An optional text field (operators' walk-up orders): absent or null leaves *out NULL. */
static const char *optional_field(const cJSON *body, const char *field, char **out)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(body, field);
    if (!it || cJSON_IsNull(it))
        return NULL;
    return strcmp(field, "customerEmail") == 0 ? handler_email_field(body, out) : handler_text_field(body, field, out);
}

static const char *read_attendees(const cJSON *body, order *o)
{
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(body, "attendees");
    if (!a || cJSON_IsNull(a))
        return NULL;
    if (!cJSON_IsArray(a))
        return ATTENDEES_BAD;
    const char *count = bo_valid_attendee_count((size_t)cJSON_GetArraySize(a), o->quantity);
    if (count)
        return count;
    for (int i = 0; i < o->quantity; i++) {
        const cJSON *n = cJSON_GetArrayItem(a, i);
        if (!cJSON_IsString(n))
            return ATTENDEE_NOT_STRING;
        const char *msg = bo_valid_text("attendees", n->valuestring);
        if (msg)
            return msg;
        if (!(o->tickets[i].attendee = bo_text_trim_dup(n->valuestring)))
            return NO_MEMORY;
    }
    return NULL;
}

/* payment: {method, tendered?}. *status 403 for a method that needs an operator (operator_key: the caller is one). */
static const char *read_payment(const cJSON *body, bool operator_key, order *o, int *status)
{
    *status = 400;
    o->method = ORDER_PAY_CARD;
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(body, "payment");
    if (!p || cJSON_IsNull(p))
        return NULL;
    if (!cJSON_IsObject(p))
        return PAYMENT_BAD;
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(p, "method");
    if (m && !cJSON_IsNull(m)) {
        if (!cJSON_IsString(m) || !bo_valid_payment_method(m->valuestring))
            return METHOD_BAD;
        o->method = strcmp(m->valuestring, "cash") == 0 ? ORDER_PAY_CASH
                    : strcmp(m->valuestring, "comp") == 0 ? ORDER_PAY_COMP : ORDER_PAY_CARD;
    }
    if (!operator_key && o->method != ORDER_PAY_CARD) {
        *status = 403;
        return o->method == ORDER_PAY_CASH ? NEEDS_KEY_CASH : NEEDS_KEY_COMP;
    }
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(p, "tendered");
    if (!t || cJSON_IsNull(t))
        return NULL;
    if (o->method != ORDER_PAY_CASH)
        return TENDERED_NOT_CASH;
    const char *msg = cJSON_IsString(t) ? bo_valid_tendered_text(t->valuestring, &o->tendered_cents)
                      : cJSON_IsNumber(t) ? bo_valid_tendered_double(t->valuedouble, &o->tendered_cents)
                                          : TENDERED_BAD;
    if (msg)
        return msg;
    o->has_tendered = true;
    return NULL;
}

/* Everything of the request that needs no store. *status is the answer's status when a message is returned. */
static const char *read_request(const apigw_event *ev, bool operator_key, order *o, int *status, handler_result *out,
                                bool *answered)
{
    *status = 400;
    *answered = false;
    cJSON *body = handler_body_object(ev, out);
    if (!body) {
        *answered = true;
        return NULL;
    }
    const char *msg = handler_concert_id_field(body, o->concert_id);
    if (!msg) {
        const cJSON *q = cJSON_GetObjectItemCaseSensitive(body, "quantity");
        int64_t n = 0;
        if (!q || cJSON_IsNull(q))
            msg = QUANTITY_REQUIRED;
        else if (!cJSON_IsNumber(q))
            msg = "quantity must be a whole number from 1 to 47";
        else
            msg = bo_valid_quantity_double(q->valuedouble, &n);
        o->quantity = (int)n;
    }
    if (!msg) /* before the customer: a public cash or comp order is refused for what it is (403) */
        msg = read_payment(body, operator_key, o, status);
    if (!msg)
        msg = operator_key ? optional_field(body, "customerName", &o->customer_name)
                           : handler_text_field(body, "customerName", &o->customer_name);
    if (!msg)
        msg = operator_key ? optional_field(body, "customerEmail", &o->customer_email)
                           : handler_email_field(body, &o->customer_email);
    if (!msg)
        msg = read_attendees(body, o);
    if (!msg && operator_key)
        msg = handler_shift_fields(body, o->shift_id, o->terminal);
    cJSON_Delete(body);
    return msg;
}

/* ---- handlers -------------------------------------------------------------------------------- */

/* The refusals decided on the concert before any write (gone, malformed): unless the key's order
 * exists, from an earlier try of this very request. */
static void refuse(store *st, const char *key, const order *o, store_status why, concert *c, handler_result *out)
{
    if (key) {
        order stored;
        store_status r = store_order_replay(st, o, &stored);
        if (r == STORE_REPLAY)
            handler_answer_order(out, 201, &stored, true);
        else if (r == STORE_CONFLICT)
            handler_fail_key_conflict(out);
        order_clear(&stored);
        if (r == STORE_REPLAY || r == STORE_CONFLICT)
            return;
        if (r != STORE_NOT_FOUND) {
            handler_store_fail(out, st, r, ORDER_FAILED);
            return;
        }
    }
    if (why == STORE_NOT_FOUND) {
        handler_fail(out, 404, NOT_FOUND);
    } else {
        handler_fail_malformed(out, c);
        out->store_error = store_last_error(st);
    }
}

static void answer_seats(handler_result *out, int64_t left)
{
    if (left <= 0) {
        handler_fail(out, 400, SOLD_OUT);
        return;
    }
    char msg[64];
    snprintf(msg, sizeof msg, "Only %lld tickets left", (long long)left);
    fail_text(out, 400, msg, NOT_ENOUGH);
}

void handler_create_order(store *st, const apigw_event *ev, handler_result *out)
{
    order o, stored;
    concert c;
    memset(&o, 0, sizeof o);
    memset(&stored, 0, sizeof stored);
    memset(&c, 0, sizeof c);
    /* An operator only by API Gateway's own verdict: the claims of the Cognito authorizer, handed over on
     * POST /box-office/orders only (the public POST /orders has no authorizer and no claims). */
    handler_who w;
    handler_who_of(ev, &w);
    bool seller = caller_in(&w.c, CALLER_MANAGER | CALLER_CASHIER | CALLER_KIOSK);
    bool kiosk_only = seller && !caller_in(&w.c, CALLER_MANAGER | CALLER_CASHIER);
    const char *key = apigw_header(ev, "Idempotency-Key");
    const char *msg = handler_check_idempotency_key(key);
    if (msg) {
        handler_fail(out, 400, msg);
        return;
    }
    int status;
    bool answered;
    msg = read_request(ev, seller, &o, &status, out, &answered);
    if (answered)
        goto done;
    if (!msg && kiosk_only && o.method != ORDER_PAY_CARD) { /* AUTH.md: the kiosk takes cards, nothing else */
        status = 403;
        msg = KIOSK_CARD_ONLY;
    }
    if (msg) {
        if (status == 403)
            handler_fail(out, 403, msg);
        else
            handler_fail_input(out, msg);
        goto done;
    }
    if (!st) {
        handler_store_fail(out, st, STORE_UNAVAILABLE, ORDER_FAILED);
        goto done;
    }
    order_id(key, o.id);
    snprintf(o.sold_by, sizeof o.sold_by, "%s", seller ? w.label : "public");
    if (seller) {
        snprintf(o.operator_sub, sizeof o.operator_sub, "%s", w.who.sub);
        snprintf(o.operator_name, sizeof o.operator_name, "%s", w.who.name);
    }
    if (o.method == ORDER_PAY_CASH && !o.shift_id[0]) {
        handler_fail(out, 409, HANDLER_CASH_NEEDS_SHIFT);
        goto done;
    }
    bo_clock_iso_ms(bo_clock_wall_ms(), o.created_at);

    store_status s = store_order_concert(st, o.concert_id, &c);
    if (s == STORE_NOT_FOUND || s == STORE_MALFORMED) {
        refuse(st, key, &o, s, &c, out);
        goto done;
    }
    if (s != STORE_OK) {
        handler_store_fail(out, st, s, ORDER_FAILED);
        goto done;
    }
    int64_t max = c.has_max_per_order ? c.max_per_order : BO_ORDER_DEFAULT_MAX;
    if (o.quantity > max) {
        char text[96];
        snprintf(text, sizeof text, "quantity must be between 1 and %lld (this concert's maxPerOrder)", (long long)max);
        fail_text(out, 400, text, OVER_MAX);
        goto done;
    }
    o.shards = c.has_shards ? (int)c.shards : 0; /* a pooled concert: its seats are in its pools (issue 19) */
    if (!key && !o.shards && c.available_tickets < o.quantity) { /* no replay possible: refuse without a transaction */
        answer_seats(out, c.available_tickets);
        goto done;
    }
    o.unit_cents = c.price_cents;
    o.total_cents = o.method == ORDER_PAY_COMP ? 0 : c.price_cents * o.quantity;
    memcpy(o.currency, c.currency[0] ? c.currency : default_currency(), 4);
    if (o.method == ORDER_PAY_CASH) {
        if (!o.has_tendered) { /* cash without tendered: the exact amount */
            o.has_tendered = true;
            o.tendered_cents = o.total_cents;
        }
        if (o.tendered_cents < o.total_cents) {
            handler_fail(out, 400, TENDERED_SHORT);
            goto done;
        }
        o.change_cents = o.tendered_cents - o.total_cents;
    }
    int64_t left = 0;
    s = store_order_place(st, &o, &stored, &left);
    if (handler_fail_shift(out, s))
        goto done;
    switch (s) {
    case STORE_OK:
        handler_answer_order(out, 201, &o, false);
        break;
    case STORE_REPLAY: /* same key, same request: the first order, no more seats */
        handler_answer_order(out, 201, &stored, true);
        break;
    case STORE_CONFLICT: /* nothing of the first request is told */
        handler_fail_key_conflict(out);
        break;
    case STORE_SOLD_OUT:
        answer_seats(out, left);
        break;
    case STORE_NOT_FOUND:
        handler_fail(out, 404, NOT_FOUND);
        break;
    case STORE_MALFORMED:
        concert_clear(&c);
        if (store_get_concert(st, o.concert_id, &c) == STORE_MALFORMED)
            handler_fail_malformed(out, &c);
        else
            handler_fail_malformed(out, NULL);
        out->store_error = store_last_error(st);
        break;
    default:
        handler_store_fail(out, st, s, ORDER_FAILED);
        break;
    }
done:
    concert_clear(&c);
    order_clear(&stored);
    order_clear(&o);
}

void handler_get_order(store *st, const apigw_event *ev, handler_result *out)
{
    const char *id = handler_path_id(st, ev, "id", GET_FAILED, out);
    if (!id)
        return;
    order o;
    store_status s = store_order_get(st, id, &o);
    if (s == STORE_OK)
        handler_answer_order(out, 200, &o, false);
    else if (s == STORE_NOT_FOUND)
        handler_fail(out, 404, ORDER_NOT_FOUND);
    else
        handler_store_fail(out, st, s, GET_FAILED);
    order_clear(&o);
}
