/* After the sale (operator routes): checkIn (POST /checkins), undoCheckIn (POST /checkins/{ticketId}/undo),
 * refundOrder (POST /orders/{id}/refund), concertStats (GET /concerts/{id}/stats). The contract is in the
 * README ("After the sale"); the item layout in store_aftersale.h. */
#include "handlers.h"

#include "caller.h"

#include "bo_clock.h"
#include "bo_code.h"
#include "bo_money.h"
#include "bo_text.h"
#include "bo_valid.h"
#include "store_aftersale.h"
#include "store_order.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uuid/uuid.h>

static const char CHECKIN_FAILED[] = "Could not check the ticket in, please try again";
static const char REFUND_FAILED[] = "Could not refund, please try again";
static const char STATS_FAILED[] = "Could not count, please try again";
static const char NO_MEMORY[] = "Out of memory, please try again";
static const char NONCE_BAD[] = "nonce is required: 1 to 128 visible ASCII characters";
static const char CODE_BAD[] = "code is required (a string)";
static const char REASON_BAD[] = "reason is required: a text of at most 200 characters";
static const char REFUND_METHOD_BAD[] = "method must be card, cash or comp";
static const char TICKET_IDS_BAD[] = "ticketIds must be a non-empty array of this order's ticket ids, each once";
static const char NOTHING_TO_REFUND[] = "No ticket of this order can be refunded";
static const char NOT_REFUNDABLE[] = "Only valid tickets can be refunded";

/* The namespace of refund ids derived from (order id, Idempotency-Key) (a fixed random UUID). */
static const uuid_t refund_namespace = { 0x3e, 0x91, 0x0a, 0x6c, 0xd7, 0x25, 0x4b, 0x80,
                                         0xa4, 0x1f, 0x72, 0xc9, 0x0e, 0x58, 0xb3, 0x16 };

static bool visible_ascii(const char *s, size_t max)
{
    size_t n = strlen(s);
    if (n == 0 || n > max)
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x21 || (unsigned char)s[i] > 0x7E)
            return false;
    return true;
}

/* ---- check-in -------------------------------------------------------------------------------- */

cJSON *handler_checkin_ticket_json(const checkin_ticket *t)
{
    cJSON *j = cJSON_CreateObject();
    bool ok = j && cJSON_AddStringToObject(j, "id", t->id) && cJSON_AddStringToObject(j, "code", t->code) &&
              cJSON_AddStringToObject(j, "orderId", t->order_id) &&
              cJSON_AddStringToObject(j, "concertId", t->concert_id) &&
              (!t->attendee || cJSON_AddStringToObject(j, "attendee", t->attendee)) &&
              cJSON_AddStringToObject(j, "status", t->status) &&
              (!t->checked_in_at[0] || cJSON_AddStringToObject(j, "checkedInAt", t->checked_in_at)) &&
              (!t->checked_in_at[0] || cJSON_AddStringToObject(j, "door", t->door)) &&
              (!t->refunded_at[0] || cJSON_AddStringToObject(j, "refundedAt", t->refunded_at));
    if (!ok) {
        cJSON_Delete(j);
        return NULL;
    }
    return j;
}

/* {"result": result, "error"?: error (a refusal), "ticket": ..., "order": {id, quantity, admittedSoFar, customerName?}?}
 * plus at/door when admitted earlier. */
static cJSON *result_json(const char *result, const char *error, const checkin_ticket *t, bool with_order, bool with_at)
{
    cJSON *j = cJSON_CreateObject();
    cJSON *tj = handler_checkin_ticket_json(t);
    cJSON *o = NULL;
    bool ok = j && tj && cJSON_AddStringToObject(j, "result", result) &&
              (!error || cJSON_AddStringToObject(j, "error", error)) && cJSON_AddItemToObject(j, "ticket", tj);
    if (!ok)
        cJSON_Delete(tj);
    ok = ok && (!with_at || (cJSON_AddStringToObject(j, "at", t->checked_in_at) &&
                             cJSON_AddStringToObject(j, "door", t->door)));
    ok = ok && (!with_order || ((o = cJSON_AddObjectToObject(j, "order")) &&
                                cJSON_AddStringToObject(o, "id", t->order_id) &&
                                cJSON_AddNumberToObject(o, "quantity", t->order_quantity) &&
                                cJSON_AddNumberToObject(o, "admittedSoFar", t->order_admitted) &&
                                (!t->order_customer || cJSON_AddStringToObject(o, "customerName", t->order_customer))));
    if (!ok) {
        cJSON_Delete(j);
        return NULL;
    }
    return j;
}

static void answer_result(handler_result *out, int status, const char *result, const char *error)
{
    cJSON *j = cJSON_CreateObject();
    if (j && (!cJSON_AddStringToObject(j, "result", result) || !cJSON_AddStringToObject(j, "error", error))) {
        cJSON_Delete(j);
        j = NULL;
    }
    handler_answer_json(out, status, j);
}

/* Reads the body of POST /checkins. NULL or the 400 message; *answered when out is set already. */
static const char *checkin_request(const apigw_event *ev, handler_result *out, bool *answered, char code[BO_CODE_BUF],
                                   bool *code_ok, char concert_id[STORE_ID_MAX + 1], char nonce[CHECKIN_NONCE_MAX + 1],
                                   char door[CHECKIN_DOOR_MAX * 4 + 1])
{
    *answered = false;
    cJSON *body = handler_body_object(ev, out);
    if (!body) {
        *answered = true;
        return NULL;
    }
    const char *msg = NULL, *door_bad = NULL;
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(body, "code");
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(body, "nonce");
    const cJSON *d = cJSON_GetObjectItemCaseSensitive(body, "door");
    if (!cJSON_IsString(c))
        msg = CODE_BAD;
    else if (!(msg = handler_concert_id_field(body, concert_id)) &&
             (!cJSON_IsString(n) || !visible_ascii(n->valuestring, CHECKIN_NONCE_MAX)))
        msg = NONCE_BAD;
    else if (!msg && d && !cJSON_IsNull(d) &&
             (door_bad = bo_valid_door(cJSON_IsString(d) ? d->valuestring : NULL)) != NULL)
        msg = door_bad;
    if (!msg) {
        *code_ok = bo_code_parse(c->valuestring, code) == 0;
        snprintf(nonce, CHECKIN_NONCE_MAX + 1, "%s", n->valuestring);
        door[0] = '\0';
        if (cJSON_IsString(d)) {
            char *t = bo_text_trim_dup(d->valuestring);
            if (!t)
                msg = NO_MEMORY;
            else
                snprintf(door, CHECKIN_DOOR_MAX * 4 + 1, "%s", t);
            free(t);
        }
    }
    cJSON_Delete(body);
    return msg;
}

void handler_checkin(store *st, const apigw_event *ev, handler_result *out)
{
    char code[BO_CODE_BUF], concert_id[STORE_ID_MAX + 1], nonce[CHECKIN_NONCE_MAX + 1], door[CHECKIN_DOOR_MAX * 4 + 1];
    bool answered, code_ok = false;
    caller who;
    const char *msg = checkin_request(ev, out, &answered, code, &code_ok, concert_id, nonce, door);
    if (answered)
        return;
    if (msg) {
        handler_fail_input(out, msg);
        return;
    }
    if (!handler_operator(ev, &who, out))
        return;
    if (!code_ok) { /* not a code at all: no ticket has it */
        answer_result(out, 404, "unknown_code", "Unknown ticket code");
        out->reason = "unknown code";
        return;
    }
    if (!st) {
        handler_store_fail(out, st, STORE_UNAVAILABLE, CHECKIN_FAILED);
        return;
    }
    char at[32];
    bo_clock_iso_ms(bo_clock_wall_ms(), at);
    checkin_ticket t;
    checkin_result res;
    store_status s = store_checkin(st, code, concert_id, nonce, door, &who, at, &t, &res);
    if (s != STORE_OK) {
        handler_store_fail(out, st, s, CHECKIN_FAILED);
    } else {
        switch (res) {
        case CHECKIN_ADMITTED:
        case CHECKIN_REPLAYED:
            handler_answer_json(out, 200, result_json("admitted", NULL, &t, true, false));
            out->resp.replayed = res == CHECKIN_REPLAYED;
            break;
        case CHECKIN_ALREADY:
            handler_answer_json(out, 409, result_json("already_admitted", "Ticket already admitted", &t, false, true));
            out->reason = "already admitted";
            break;
        case CHECKIN_NONCE_REUSED: /* the key rule of every keyed route; nothing of the first scan is told */
            answer_result(out, 409, "nonce_reused", "nonce was already used for a different request");
            out->reason = "nonce reused for another request";
            break;
        case CHECKIN_REFUNDED:
            handler_answer_json(out, 409, result_json("refunded", "Ticket refunded", &t, false, false));
            out->reason = "refunded";
            break;
        case CHECKIN_WRONG_CONCERT: {
            cJSON *j = cJSON_CreateObject();
            if (j && (!cJSON_AddStringToObject(j, "result", "wrong_concert") ||
                      !cJSON_AddStringToObject(j, "error", "Ticket of another concert") ||
                      !cJSON_AddStringToObject(j, "concertId", t.concert_id) ||
                      !cJSON_AddStringToObject(j, "ticketId", t.id))) {
                cJSON_Delete(j);
                j = NULL;
            }
            handler_answer_json(out, 409, j);
            out->reason = "wrong concert";
            break;
        }
        default:
            answer_result(out, 404, "unknown_code", "Unknown ticket code");
            out->reason = "unknown code";
            break;
        }
    }
    checkin_ticket_clear(&t);
}

void handler_undo_checkin(store *st, const apigw_event *ev, handler_result *out)
{
    const char *id = apigw_path_param(ev, "ticketId");
    const char *msg = handler_valid_id("ticketId", id);
    if (msg) {
        handler_fail(out, 400, msg);
        return;
    }
    caller who;
    if (!handler_operator(ev, &who, out))
        return;
    if (!st) {
        handler_store_fail(out, st, STORE_UNAVAILABLE, CHECKIN_FAILED);
        return;
    }
    checkin_ticket t;
    checkin_result res;
    store_status s = store_checkin_undo(st, id, &who, &t, &res);
    if (s == STORE_NOT_FOUND) {
        handler_fail(out, 404, "Ticket not found");
    } else if (s != STORE_OK) {
        handler_store_fail(out, st, s, CHECKIN_FAILED);
    } else if (res == CHECKIN_ADMITTED) {
        handler_answer_json(out, 200, result_json("undone", NULL, &t, false, false));
    } else {
        handler_answer_json(out, 409, result_json("not_checked_in", "Ticket is not checked in", &t, false, false));
        out->reason = "not checked in";
    }
    checkin_ticket_clear(&t);
}

/* ---- refund ---------------------------------------------------------------------------------- */

/* 409 {"error", "tickets": [{"id", "status"}...]} naming the asked tickets that are not valid. */
static void answer_not_refundable(handler_result *out, const order *o, const bool asked[BO_ORDER_MAX_TICKETS],
                                  const char *message)
{
    cJSON *j = cJSON_CreateObject();
    cJSON *l = j ? cJSON_AddArrayToObject(j, "tickets") : NULL;
    bool ok = l && cJSON_AddStringToObject(j, "error", message);
    for (int i = 0; ok && i < o->quantity; i++) {
        if (!asked[i] || strcmp(o->tickets[i].status, "valid") == 0)
            continue;
        cJSON *e = cJSON_CreateObject();
        ok = e && cJSON_AddItemToArray(l, e);
        if (!ok) {
            cJSON_Delete(e);
            break;
        }
        ok = cJSON_AddStringToObject(e, "id", o->tickets[i].id) &&
             cJSON_AddStringToObject(e, "status", o->tickets[i].status);
    }
    if (!ok) {
        cJSON_Delete(j);
        j = NULL;
    }
    handler_answer_json(out, 409, j);
    out->reason = message;
}

typedef struct refund_req {
    char *reason;                          /* owned */
    const char *method;                    /* static; NULL: the order's payment method */
    int n_ids;                             /* 0: every valid ticket */
    char ids[BO_ORDER_MAX_TICKETS][STORE_ID_MAX + 1];
} refund_req;

static const char *refund_request(const apigw_event *ev, handler_result *out, bool *answered, refund_req *r)
{
    *answered = false;
    cJSON *body = handler_body_object(ev, out);
    if (!body) {
        *answered = true;
        return NULL;
    }
    const char *msg = NULL;
    const cJSON *reason = cJSON_GetObjectItemCaseSensitive(body, "reason");
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(body, "method");
    const cJSON *ids = cJSON_GetObjectItemCaseSensitive(body, "ticketIds");
    if (!cJSON_IsString(reason) || bo_valid_text("reason", reason->valuestring) ||
        bo_utf8_chars(reason->valuestring) > 200)
        msg = REASON_BAD;
    else if (m && !cJSON_IsNull(m) && (!cJSON_IsString(m) || !bo_valid_payment_method(m->valuestring)))
        msg = REFUND_METHOD_BAD;
    else if (ids && !cJSON_IsNull(ids) &&
             (!cJSON_IsArray(ids) || cJSON_GetArraySize(ids) < 1 || cJSON_GetArraySize(ids) > BO_ORDER_MAX_TICKETS))
        msg = TICKET_IDS_BAD;
    if (!msg && cJSON_IsString(m))
        r->method = strcmp(m->valuestring, "cash") == 0 ? "cash" : strcmp(m->valuestring, "comp") == 0 ? "comp" : "card";
    for (int i = 0; !msg && cJSON_IsArray(ids) && i < cJSON_GetArraySize(ids); i++) {
        const cJSON *id = cJSON_GetArrayItem(ids, i);
        if (!cJSON_IsString(id) || handler_valid_id("ticketIds", id->valuestring))
            msg = TICKET_IDS_BAD;
        else
            snprintf(r->ids[r->n_ids++], STORE_ID_MAX + 1, "%s", id->valuestring);
    }
    if (!msg && !(r->reason = bo_text_trim_dup(reason->valuestring)))
        msg = NO_MEMORY;
    cJSON_Delete(body);
    return msg;
}

/* Which tickets of o the request names: idx[0..*n), asked[] marks them. NULL or the 400 message. */
static const char *pick_tickets(const order *o, const refund_req *r, int idx[BO_ORDER_MAX_TICKETS],
                                bool asked[BO_ORDER_MAX_TICKETS], int *n)
{
    *n = 0;
    memset(asked, 0, BO_ORDER_MAX_TICKETS * sizeof asked[0]);
    if (r->n_ids == 0) {
        for (int i = 0; i < o->quantity; i++)
            if (strcmp(o->tickets[i].status, "valid") == 0) {
                asked[i] = true;
                idx[(*n)++] = i;
            }
        return NULL;
    }
    for (int k = 0; k < r->n_ids; k++) {
        int i = 0;
        while (i < o->quantity && strcmp(o->tickets[i].id, r->ids[k]) != 0)
            i++;
        if (i == o->quantity || asked[i])
            return TICKET_IDS_BAD;
        asked[i] = true;
        idx[(*n)++] = i;
    }
    return NULL;
}

/* What differs between the refund recorded with this request's id and the request (its reason, method, operator,
 * tickets: those asked, or none asked = every valid one), or NULL when it is the same request. */
static const char *refund_difference(const order_refund *f, const refund_req *r, const char *method, const caller *by)
{
    if (strcmp(f->reason, r->reason) != 0)
        return "reason";
    if (strcmp(f->method, method) != 0)
        return "method";
    if (strcmp(f->operator_sub, by->sub ? by->sub : "") != 0)
        return "operator"; /* by their sub: a display name may change between retries */
    if (f->scope[0] && (strcmp(f->scope, "all") == 0) != (r->n_ids == 0))
        return "tickets";
    if (r->n_ids > 0 && f->n_tickets != r->n_ids)
        return "tickets";
    for (int k = 0; k < r->n_ids; k++) {
        int i = 0;
        while (i < f->n_tickets && strcmp(f->ticket_ids[i], r->ids[k]) != 0)
            i++;
        if (i == f->n_tickets)
            return "tickets";
    }
    return NULL;
}

/* 200: the order and "refund", the refund this request made (replayed: made by an earlier try of it). */
static void answer_refunded(handler_result *out, const order *o, const char *refund_id, bool replayed)
{
    cJSON *j = handler_order_json(o, true), *r;
    cJSON *mine = NULL, *all = j ? cJSON_GetObjectItemCaseSensitive(j, "refunds") : NULL;
    cJSON_ArrayForEach(r, all) {
        const cJSON *id = cJSON_GetObjectItemCaseSensitive(r, "id");
        if (cJSON_IsString(id) && strcmp(id->valuestring, refund_id) == 0)
            mine = r;
    }
    cJSON *copy = mine ? cJSON_Duplicate(mine, true) : NULL;
    if (!copy || !cJSON_AddItemToObject(j, "refund", copy)) {
        cJSON_Delete(copy);
        cJSON_Delete(j);
        j = NULL;
    }
    if (handler_answer_json(out, 200, j))
        out->resp.replayed = replayed;
}

/* A refund with this request's id is recorded on o: the same request again is answered as it was (200, the
 * order as it is now); another request with the same key is a 409. */
static void answer_recorded(handler_result *out, const order *o, const order_refund *f, const refund_req *r,
                            const caller *by)
{
    if (refund_difference(f, r, r->method ? r->method : order_payment_name(o->method), by))
        handler_fail_key_conflict(out);
    else
        answer_refunded(out, o, f->id, true);
}

void handler_refund_order(store *st, const apigw_event *ev, handler_result *out)
{
    const char *id = apigw_path_param(ev, "id");
    const char *msg = handler_valid_id("id", id);
    const char *key = apigw_header(ev, "Idempotency-Key");
    if (!msg)
        msg = handler_check_idempotency_key(key);
    if (msg) {
        handler_fail(out, 400, msg);
        return;
    }
    refund_req *r = calloc(1, sizeof *r);
    caller who;
    order o, after;
    memset(&o, 0, sizeof o);
    memset(&after, 0, sizeof after);
    if (!r) {
        handler_fail(out, 503, NO_MEMORY);
        out->resp.retry_after_s = HANDLER_RETRY_AFTER_S;
        return;
    }
    bool answered;
    msg = refund_request(ev, out, &answered, r);
    if (answered)
        goto done;
    if (msg) {
        handler_fail_input(out, msg);
        goto done;
    }
    if (!handler_operator(ev, &who, out))
        goto done;
    if (!st) {
        handler_store_fail(out, st, STORE_UNAVAILABLE, REFUND_FAILED);
        goto done;
    }
    char refund_id[37];
    uuid_t u;
    if (key) {
        char name[STORE_ID_MAX + HANDLER_IDEMPOTENCY_KEY_MAX + 2];
        int len = snprintf(name, sizeof name, "%s#%s", id, key);
        uuid_generate_sha1(u, refund_namespace, name, (size_t)len);
    } else {
        uuid_generate_random(u);
    }
    uuid_unparse_lower(u, refund_id);

    store_status s = store_order_get(st, id, &o);
    if (s == STORE_NOT_FOUND) {
        handler_fail(out, 404, "Order not found");
        goto done;
    }
    if (s != STORE_OK) {
        handler_store_fail(out, st, s, REFUND_FAILED);
        goto done;
    }
    const order_refund *f = order_refund_find(&o, refund_id);
    if (f) { /* this key's refund is recorded: this request again, or the key reused */
        answer_recorded(out, &o, f, r, &who);
        goto done;
    }
    int idx[BO_ORDER_MAX_TICKETS], n;
    bool asked[BO_ORDER_MAX_TICKETS];
    if ((msg = pick_tickets(&o, r, idx, asked, &n)) != NULL) {
        handler_fail(out, 400, msg);
        goto done;
    }
    bool all_valid = n > 0;
    for (int k = 0; k < n; k++)
        all_valid = all_valid && strcmp(o.tickets[idx[k]].status, "valid") == 0;
    if (!all_valid) {
        /* The order was read before its tickets: a refund with this key that ended in between shows in the
         * tickets only. Read again, strongly consistent, before saying no. */
        if (key) {
            order again;
            s = store_order_get(st, id, &again);
            if (s != STORE_OK) {
                handler_store_fail(out, st, s == STORE_NOT_FOUND ? STORE_ERROR : s, REFUND_FAILED);
                goto done;
            }
            order_clear(&o);
            o = again;
            if ((f = order_refund_find(&o, refund_id)) != NULL) {
                answer_recorded(out, &o, f, r, &who);
                goto done;
            }
        }
        if (n == 0) {
            for (int i = 0; i < o.quantity; i++)
                asked[i] = true;
            answer_not_refundable(out, &o, asked, NOTHING_TO_REFUND);
        } else {
            answer_not_refundable(out, &o, asked, NOT_REFUNDABLE);
        }
        goto done;
    }
    char at[32];
    bo_clock_iso_ms(bo_clock_wall_ms(), at);
    refund_ask ask = { .id = refund_id, .method = r->method ? r->method : order_payment_name(o.method),
                       .reason = r->reason, .by = &who, .at = at, .every_valid = r->n_ids == 0 };
    s = store_refund(st, &o, idx, n, &ask, &after);
    if (s == STORE_OK)
        answer_refunded(out, &after, refund_id, false);
    else if (s == STORE_REPLAY)
        answer_recorded(out, &after, order_refund_find(&after, refund_id), r, &who);
    else if (s == STORE_CONFLICT)
        answer_not_refundable(out, &after, asked, NOT_REFUNDABLE);
    else
        handler_store_fail(out, st, s, REFUND_FAILED);
done:
    order_clear(&after);
    order_clear(&o);
    free(r->reason);
    free(r);
}

/* ---- counts ---------------------------------------------------------------------------------- */

void handler_concert_stats(store *st, const apigw_event *ev, handler_result *out)
{
    const char *id = handler_path_id(st, ev, "id", STATS_FAILED, out);
    if (!id)
        return;
    concert_stats c;
    store_status s = store_concert_stats(st, id, &c);
    if (s == STORE_NOT_FOUND) {
        handler_fail(out, 404, "Concert not found");
        return;
    }
    if (s == STORE_MALFORMED) {
        handler_fail(out, 422, "Concert is stored malformed: a counter cannot be read");
        out->store_error = store_last_error(st);
        return;
    }
    if (s != STORE_OK) {
        handler_store_fail(out, st, s, STATS_FAILED);
        return;
    }
    cJSON *j = cJSON_CreateObject();
    cJSON *rev = NULL;
    bool ok = j && cJSON_AddStringToObject(j, "concertId", id) &&
              cJSON_AddNumberToObject(j, "capacity", (double)c.capacity) &&
              cJSON_AddNumberToObject(j, "sold", (double)c.sold) &&
              cJSON_AddNumberToObject(j, "refunded", (double)c.refunded) &&
              cJSON_AddNumberToObject(j, "admitted", (double)c.admitted) &&
              cJSON_AddNumberToObject(j, "available", (double)c.available) &&
              (rev = cJSON_AddObjectToObject(j, "revenue")) &&
              (c.currency[0] ? cJSON_AddStringToObject(j, "currency", c.currency) != NULL
                             : cJSON_AddNullToObject(j, "currency") != NULL);
    for (int m = 0; ok && m < 3; m++) {
        char text[BO_MONEY_BUF + 1];
        handler_money2(c.revenue_cents[m], text);
        ok = cJSON_AddStringToObject(rev, order_payment_name((order_payment)m), text) != NULL;
    }
    if (!ok) {
        cJSON_Delete(j);
        j = NULL;
    }
    handler_answer_json(out, 200, j);
}
