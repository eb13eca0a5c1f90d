/* Shared handler pieces: error answers, body decoding, field readers, JSON forms, ticket ids, dispatch. */
#include "handlers.h"

#include "authz.h"
#include "caller.h"

#include "bo_base64.h"
#include "bo_money.h"
#include "bo_text.h"
#include "bo_valid.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uuid/uuid.h>

#define CONCERTS STORE_NEED_CONCERTS
#define TICKETS STORE_NEED_TICKETS
#define ORDERS STORE_NEED_ORDERS
#define CODES STORE_NEED_CODES
#define OPERATORS STORE_NEED_OPERATORS
#define SHIFTS STORE_NEED_SHIFTS
#define JOURNAL STORE_NEED_JOURNAL
#define COUNTERS STORE_NEED_COUNTERS

/* Every write for an operator holds their ConditionCheck (OPERATORS) and its journal entry (JOURNAL). Every
 * handler that reads or writes a concert's seats or counts takes COUNTERS (a pooled concert's pools and counter
 * shards, issue 19). */
static const handler_def handler_table[] = {
    { "concert-service.createConcert", "createConcert", handler_create_concert, CONCERTS | OPERATORS | JOURNAL | COUNTERS },
    { "concert-service.getConcert", "getConcert", handler_get_concert, CONCERTS | COUNTERS },
    { "concert-service.listConcerts", "listConcerts", handler_list_concerts, CONCERTS | COUNTERS },
    { "concert-service.purchaseTicket", "purchaseTicket", handler_purchase_ticket, CONCERTS | TICKETS | COUNTERS },
    { "concert-service.createOrder", "createOrder", handler_create_order, CONCERTS | TICKETS | ORDERS | CODES | OPERATORS | SHIFTS | JOURNAL | COUNTERS },
    { "concert-service.getOrder", "getOrder", handler_get_order, TICKETS | ORDERS },
    { "concert-service.checkIn", "checkIn", handler_checkin, CONCERTS | TICKETS | ORDERS | CODES | OPERATORS | JOURNAL | COUNTERS },
    { "concert-service.undoCheckIn", "undoCheckIn", handler_undo_checkin, CONCERTS | TICKETS | ORDERS | OPERATORS | JOURNAL | COUNTERS },
    { "concert-service.refundOrder", "refundOrder", handler_refund_order, CONCERTS | TICKETS | ORDERS | OPERATORS | SHIFTS | JOURNAL | COUNTERS },
    { "concert-service.concertStats", "concertStats", handler_concert_stats, CONCERTS | COUNTERS },
    { "concert-service.findOrders", "findOrders", handler_find_orders, TICKETS | ORDERS },
    { "concert-service.getTicketByCode", "getTicketByCode", handler_ticket_by_code, CONCERTS | TICKETS | ORDERS | CODES | COUNTERS },
    { "concert-service.listOperators", "listOperators", handler_list_operators, 0 }, /* Cognito only */
    { "concert-service.createOperator", "createOperator", handler_create_operator, OPERATORS | JOURNAL },
    { "concert-service.disableOperator", "disableOperator", handler_disable_operator, OPERATORS | JOURNAL },
    { "concert-service.enableOperator", "enableOperator", handler_enable_operator, OPERATORS | JOURNAL },
    { "concert-service.setOperatorRole", "setOperatorRole", handler_set_operator_role, OPERATORS | JOURNAL },
    { "concert-service.openShift", "openShift", handler_open_shift, OPERATORS | SHIFTS | JOURNAL },
    { "concert-service.currentShift", "currentShift", handler_current_shift, OPERATORS | SHIFTS },
    { "concert-service.getShift", "getShift", handler_get_shift, SHIFTS },
    { "concert-service.shiftDrop", "shiftDrop", handler_shift_drop, OPERATORS | SHIFTS | JOURNAL },
    { "concert-service.shiftPaidOut", "shiftPaidOut", handler_shift_paidout, OPERATORS | SHIFTS | JOURNAL },
    { "concert-service.closeShift", "closeShift", handler_close_shift, OPERATORS | SHIFTS | JOURNAL },
    { "concert-service.daySheet", "daySheet", handler_day_sheet, SHIFTS },
    { "concert-service.getJournal", "getJournal", handler_get_journal, SHIFTS | JOURNAL },
};

#undef CONCERTS
#undef TICKETS
#undef ORDERS
#undef CODES
#undef OPERATORS
#undef SHIFTS
#undef JOURNAL
#undef COUNTERS

const handler_def *handler_find(const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < sizeof handler_table / sizeof handler_table[0]; i++)
        if (strcmp(name, handler_table[i].name) == 0)
            return &handler_table[i];
    return NULL;
}

void handler_who_of(const apigw_event *ev, handler_who *w)
{
    memset(w, 0, sizeof *w);
    caller_from_event(ev, &w->c);
    if (w->c.signed_in) { /* an API key alone (apiKeyId) vouches for no one (AUTH.md) */
        w->who.sub = w->c.sub;
        w->who.name = caller_name(&w->c);
    }
    w->label = w->who.name;
}

const char *handler_shift_fields(const cJSON *body, char shift_id[STORE_ID_MAX + 1], char terminal[256])
{
    shift_id[0] = terminal[0] = '\0';
    const cJSON *sh = cJSON_GetObjectItemCaseSensitive(body, "shiftId");
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(body, "terminal");
    if (sh && !cJSON_IsNull(sh)) {
        if (!cJSON_IsString(sh) || handler_valid_id("id", sh->valuestring))
            return "shiftId must be a shift's id";
        snprintf(shift_id, STORE_ID_MAX + 1, "%s", sh->valuestring);
    }
    if (t && !cJSON_IsNull(t)) {
        if (!cJSON_IsString(t) || bo_valid_door(t->valuestring))
            return "terminal must be a name of 1 to 64 characters without control characters";
        snprintf(terminal, 256, "%s", t->valuestring);
    }
    return NULL;
}

bool handler_fail_shift(handler_result *out, store_status s)
{
    switch (s) {
    case STORE_SHIFT_NOT_OPEN:
        handler_fail(out, 409, "shift is not open");
        return true;
    case STORE_SHIFT_NOT_YOURS:
        handler_fail(out, 409, "shift belongs to another operator");
        return true;
    case STORE_SHIFT_TERMINAL:
        handler_fail(out, 409, "shift is open at another terminal");
        return true;
    case STORE_DISABLED:
        handler_fail(out, 403, "operator is disabled");
        return true;
    default:
        return false;
    }
}

void handler_result_clear(handler_result *r)
{
    if (!r)
        return;
    apigw_response_clear(&r->resp);
    r->reason = NULL;
    r->store_error = NULL;
}

void handler_fail(handler_result *out, int status, const char *message)
{
    out->reason = message;
    if (apigw_response_error(&out->resp, status, message) != 0) {
        /* out of memory: a static answer still goes out (copied, the response owns its body) */
        free(out->resp.body);
        out->resp.body = NULL;
        out->resp.status = status;
        out->resp.body = strdup("{\"error\":\"Out of memory\"}");
    }
}

static const char OPERATOR_DISABLED[] = "operator is disabled";

void handler_store_fail(handler_result *out, store *st, store_status s, const char *message)
{
    if (s == STORE_DISABLED) { /* the write's ConditionCheck on the operator's item refused it */
        out->store_error = st ? store_last_error(st) : NULL;
        handler_fail(out, 403, OPERATOR_DISABLED);
        return;
    }
    out->store_error = st ? store_last_error(st) : "no store";
    /* STORE_BUSY: time ran out on contention (issue 19), nothing was written */
    handler_fail(out, 503, s == STORE_BUSY ? HANDLER_BUSY : message);
    out->resp.retry_after_s = HANDLER_RETRY_AFTER_S;
}

/* ---- body ---- */

static bool only_space(const char *p, const char *end)
{
    for (; p < end; p++)
        if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
            return false;
    return true;
}

static const char BODY_REQUIRED[] = "body is required";
static const char BODY_TOO_LARGE[] = "body must be at most 65536 bytes";
static const char BODY_BASE64[] = "body is not valid base64";
static const char BODY_NUL[] = "body must not contain NUL characters";
static const char BODY_UTF8[] = "body must be valid UTF-8";
static const char BODY_JSON[] = "body must be valid JSON";
static const char BODY_OBJECT[] = "body must be a JSON object";

cJSON *handler_body_object(const apigw_event *ev, handler_result *out)
{
    cJSON *obj = NULL;
    char *decoded = NULL;
    const char *raw = ev ? ev->body : NULL;
    if (!raw) {
        handler_fail(out, 400, BODY_REQUIRED);
        return NULL;
    }
    size_t len = strlen(raw);
    if (ev->is_base64) {
        bool too_large = false;
        if (len > (size_t)BO_BODY_MAX / 3 * 4 + 8) {
            handler_fail(out, 413, BODY_TOO_LARGE);
            return NULL;
        }
        decoded = bo_base64_decode(raw, len, BO_BODY_MAX, &len, &too_large);
        if (!decoded) {
            handler_fail(out, too_large ? 413 : 400, too_large ? BODY_TOO_LARGE : BODY_BASE64);
            return NULL;
        }
        raw = decoded;
        if (memchr(raw, '\0', len)) {
            handler_fail(out, 400, BODY_NUL);
            goto done;
        }
    } else if (ev->has_nul_escape) {
        /* cJSON cut some string of the event at a \u0000: we cannot trust the body we see */
        handler_fail(out, 400, BODY_NUL);
        goto done;
    }
    if (len > BO_BODY_MAX) {
        handler_fail(out, 413, BODY_TOO_LARGE);
        goto done;
    }
    if (only_space(raw, raw + len)) {
        handler_fail(out, 400, BODY_REQUIRED);
        goto done;
    }
    if (!bo_utf8_valid(raw, len)) {
        handler_fail(out, 400, BODY_UTF8);
        goto done;
    }
    if (apigw_json_has_nul_escape(raw, len)) {
        handler_fail(out, 400, BODY_NUL);
        goto done;
    }
    const char *end = NULL;
    obj = cJSON_ParseWithLengthOpts(raw, len, &end, 0);
    if (!obj || !end || end > raw + len || !only_space(end, raw + len)) {
        cJSON_Delete(obj);
        obj = NULL;
        handler_fail(out, 400, BODY_JSON);
        goto done;
    }
    if (!cJSON_IsObject(obj)) {
        cJSON_Delete(obj);
        obj = NULL;
        handler_fail(out, 400, BODY_OBJECT);
    }
done:
    free(decoded);
    return obj;
}

/* ---- fields ---- */

static const char *must_be_string(const char *field)
{
    static const struct { const char *field, *msg; } m[] = {
        { "name", "name must be a string" },
        { "venue", "venue must be a string" },
        { "date", "date must be a string" },
        { "customerName", "customerName must be a string" },
        { "customerEmail", "customerEmail must be a string" },
        { "concertId", "concertId must be a string" },
        { "currency", "currency must be a string" },
        { "timezone", "timezone must be a string" },
    };
    for (size_t i = 0; i < sizeof m / sizeof m[0]; i++)
        if (strcmp(field, m[i].field) == 0)
            return m[i].msg;
    return "a field must be a string";
}

/* The string value of field: NULL message and *s set, or a message (required / must be a string). */
static const char *string_of(const cJSON *obj, const char *field, const char **s, const char *required)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, field);
    if (!it || cJSON_IsNull(it))
        return required ? required : "a required field is missing";
    if (!cJSON_IsString(it) || !it->valuestring)
        return must_be_string(field);
    *s = it->valuestring;
    return NULL;
}

static const char OOM[] = "Out of memory, please try again";

void handler_fail_input(handler_result *out, const char *message)
{
    if (message == OOM) {
        handler_fail(out, 503, OOM);
        out->resp.retry_after_s = HANDLER_RETRY_AFTER_S;
    } else {
        handler_fail(out, 400, message);
    }
}

bool handler_operator(const apigw_event *ev, caller *who, handler_result *out)
{
    caller_from_event(ev, who);
    if (who->signed_in)
        return true;
    authz_unauthorized(out);
    return false;
}

bool handler_answer_json(handler_result *out, int status, cJSON *json)
{
    char *text = json ? cJSON_PrintUnformatted(json) : NULL;
    cJSON_Delete(json);
    if (!text) {
        handler_fail(out, 503, OOM);
        out->resp.retry_after_s = HANDLER_RETRY_AFTER_S;
        return false;
    }
    apigw_response_take(&out->resp, status, text);
    return true;
}

const char *handler_path_id(store *st, const apigw_event *ev, const char *name, const char *fail_msg,
                            handler_result *out)
{
    const char *id = apigw_path_param(ev, name);
    const char *msg = handler_valid_id(name, id);
    if (msg) {
        handler_fail(out, 400, msg);
        return NULL;
    }
    if (!st) {
        handler_store_fail(out, st, STORE_UNAVAILABLE, fail_msg);
        return NULL;
    }
    return id;
}

const char *handler_concert_id_field(const cJSON *obj, char out[STORE_ID_MAX + 1])
{
    const cJSON *cid = cJSON_GetObjectItemCaseSensitive(obj, "concertId");
    const char *msg;
    if (!cid || cJSON_IsNull(cid))
        msg = "concertId is required";
    else if (!cJSON_IsString(cid))
        msg = "concertId must be a string";
    else
        msg = handler_valid_id("concertId", cid->valuestring);
    if (!msg)
        memcpy(out, cid->valuestring, strlen(cid->valuestring) + 1); /* <= STORE_ID_MAX checked */
    return msg;
}

const char *handler_text_field(const cJSON *obj, const char *field, char **out)
{
    const char *s = NULL;
    const char *msg = string_of(obj, field, &s, bo_valid_text(field, NULL));
    if (msg || !s)
        return msg ? msg : OOM;
    if ((msg = bo_valid_text(field, s)) != NULL)
        return msg;
    *out = bo_text_trim_dup(s);
    return *out ? NULL : OOM;
}

const char *handler_date_field(const cJSON *obj, char **out)
{
    const char *s = NULL;
    const char *msg = string_of(obj, "date", &s, bo_valid_date(NULL));
    if (msg || !s)
        return msg ? msg : OOM;
    if ((msg = bo_valid_date(s)) != NULL)
        return msg;
    *out = strdup(s);
    return *out ? NULL : OOM;
}

const char *handler_email_field(const cJSON *obj, char **out)
{
    const char *s = NULL;
    const char *msg = string_of(obj, "customerEmail", &s, bo_valid_email(NULL));
    if (msg || !s)
        return msg ? msg : OOM;
    if ((msg = bo_valid_email(s)) != NULL)
        return msg;
    *out = strdup(s);
    return *out ? NULL : OOM;
}

const char *handler_tickets_field(const cJSON *obj, int64_t *out)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, "availableTickets");
    if (!it || cJSON_IsNull(it))
        return "availableTickets is required";
    if (!cJSON_IsNumber(it))
        return "availableTickets must be an integer";
    return bo_valid_tickets_double(it->valuedouble, out);
}

const char *handler_price_field(const cJSON *obj, int64_t *cents)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, "ticketPrice");
    if (!it || cJSON_IsNull(it))
        return "ticketPrice is required";
    if (!cJSON_IsNumber(it))
        return "ticketPrice must be a number";
    return bo_valid_price_double(it->valuedouble, cents);
}

const char *handler_valid_id(const char *field, const char *value)
{
    bool is_id = strcmp(field, "id") == 0;
    if (!value || !*value)
        return is_id ? "id is required" : "concertId is required";
    size_t len = strlen(value);
    if (len > STORE_ID_MAX)
        return is_id ? "id must be at most 128 bytes" : "concertId must be at most 128 bytes";
    if (!bo_utf8_valid(value, len))
        return is_id ? "id must be valid UTF-8" : "concertId must be valid UTF-8";
    if (bo_text_has_control(value))
        return is_id ? "id must not contain control characters" : "concertId must not contain control characters";
    return NULL;
}

/* ---- JSON forms ---- */

static bool add_str(cJSON *o, const char *k, const char *v)
{
    return v ? cJSON_AddStringToObject(o, k, v) != NULL : cJSON_AddNullToObject(o, k) != NULL;
}

/* capacity, currency, timezone, maxPerOrder when stored: the value, or its stored text (a JSON string)
 * when it has a problem. Absent fields are left out, so the reference's items read as before. */
static bool add_optional_fields(cJSON *o, const concert *c)
{
    bool ok = true;
    if (c->has_capacity)
        ok = cJSON_AddNumberToObject(o, "capacity", (double)c->capacity) != NULL;
    else if (c->raw_capacity)
        ok = add_str(o, "capacity", c->raw_capacity);
    if (ok && (c->currency[0] || c->raw_currency))
        ok = add_str(o, "currency", c->currency[0] ? c->currency : c->raw_currency);
    if (ok && (c->timezone || c->raw_timezone))
        ok = add_str(o, "timezone", c->timezone ? c->timezone : c->raw_timezone);
    if (ok && c->has_max_per_order)
        ok = cJSON_AddNumberToObject(o, "maxPerOrder", (double)c->max_per_order) != NULL;
    else if (ok && c->raw_max_per_order)
        ok = add_str(o, "maxPerOrder", c->raw_max_per_order);
    return ok;
}

/* A concert item with problems: every field as stored (the stored text as a JSON string where the
 * value has a problem, null where it is missing) and "problems". */
static cJSON *malformed_concert_json(const concert *c)
{
    cJSON *o = cJSON_CreateObject();
    cJSON *problems = cJSON_CreateArray();
    if (!o || !problems)
        goto fail;
    bool ok = add_str(o, "id", c->raw_id ? c->raw_id : c->id) && add_str(o, "name", c->name) &&
              add_str(o, "date", c->date) && add_str(o, "venue", c->venue);
    if (ok && (c->bad & STORE_F_TICKETS))
        ok = add_str(o, "availableTickets", c->raw_tickets);
    else if (ok)
        ok = cJSON_AddNumberToObject(o, "availableTickets", (double)c->available_tickets) != NULL;
    if (ok && (c->bad & STORE_F_PRICE)) {
        ok = add_str(o, "ticketPrice", c->raw_price);
    } else if (ok) {
        char price[BO_MONEY_BUF];
        bo_money_format(c->price_cents, price);
        ok = cJSON_AddRawToObject(o, "ticketPrice", price) != NULL;
    }
    ok = ok && add_optional_fields(o, c);
    for (size_t i = 0; ok && i < c->n_problems; i++) {
        cJSON *p = cJSON_CreateString(c->problems[i]);
        ok = p && cJSON_AddItemToArray(problems, p);
        if (!ok)
            cJSON_Delete(p);
    }
    if (!ok || !cJSON_AddItemToObject(o, "problems", problems))
        goto fail;
    return o;
fail:
    cJSON_Delete(problems);
    cJSON_Delete(o);
    return NULL;
}

cJSON *handler_concert_json(const concert *c)
{
    if (c->n_problems > 0)
        return malformed_concert_json(c);
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    char price[BO_MONEY_BUF];
    bo_money_format(c->price_cents, price);
    cJSON *raw = cJSON_CreateRaw(price);
    if (!raw || !cJSON_AddStringToObject(o, "id", c->id) || !add_str(o, "name", c->name) ||
        !add_str(o, "date", c->date) || !add_str(o, "venue", c->venue) ||
        !cJSON_AddNumberToObject(o, "availableTickets", (double)c->available_tickets) ||
        !cJSON_AddItemToObject(o, "ticketPrice", raw)) {
        cJSON_Delete(raw);
        cJSON_Delete(o);
        return NULL;
    }
    if (!add_optional_fields(o, c)) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

static const char MALFORMED[] = "Concert is stored malformed";

void handler_fail_malformed(handler_result *out, const concert *c)
{
    cJSON *o = c && c->n_problems > 0 ? handler_concert_json(c) : cJSON_CreateObject();
    char msg[1024];
    size_t used = (size_t)snprintf(msg, sizeof msg, "%s", MALFORMED);
    for (size_t i = 0; c && i < c->n_problems && used < sizeof msg; i++)
        used += (size_t)snprintf(msg + used, sizeof msg - used, "%s%s", i ? "; " : ": ", c->problems[i]);
    char *text = NULL;
    if (o && cJSON_AddStringToObject(o, "error", msg))
        text = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    if (!text) {
        handler_fail(out, 422, MALFORMED);
        return;
    }
    out->reason = MALFORMED;
    apigw_response_take(&out->resp, 422, text);
}

cJSON *handler_ticket_json(const ticket *t)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    if (!cJSON_AddStringToObject(o, "id", t->id) || !cJSON_AddStringToObject(o, "concertId", t->concert_id) ||
        !add_str(o, "customerName", t->customer_name) || !add_str(o, "customerEmail", t->customer_email) ||
        !cJSON_AddStringToObject(o, "purchaseDate", t->purchase_date)) {
        cJSON_Delete(o);
        return NULL;
    }
    return o;
}

/* The namespace of ticket ids derived from Idempotency-Key values (a fixed random UUID). */
static const uuid_t ticket_namespace = { 0x3c, 0x8e, 0x5f, 0x2a, 0x91, 0x7d, 0x4b, 0x0e,
                                         0xa6, 0x43, 0x1d, 0x52, 0xe8, 0x9b, 0x70, 0xc4 };

void handler_ticket_id(const char *key, char out[37])
{
    uuid_t u;
    if (key)
        uuid_generate_sha1(u, ticket_namespace, key, strlen(key));
    else
        uuid_generate_random(u);
    uuid_unparse_lower(u, out);
}
