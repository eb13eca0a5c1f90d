/* The door's routes: POST /checkins, POST /checkins/{ticketId}/undo and GET /concerts/{id}/stats (see include/api_door.h), on the shared
 * transport of src/api_internal.h. */
#include "api_door.h"
#include "api_internal.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uuid/uuid.h>

#include "bo_code.h"
#include "bo_text.h"
#include "bo_valid.h"

void api_checkin_nonce_new(char out[API_NONCE_MAX + 1])
{
    uuid_t u;
    uuid_generate_random(u);
    uuid_unparse_lower(u, out);
}

bool api_checkin_nonce_valid(const char *nonce)
{
    if (nonce == NULL || nonce[0] == '\0' || strlen(nonce) > API_NONCE_MAX)
        return false;
    for (const unsigned char *p = (const unsigned char *)nonce; *p != '\0'; p++)
        if (*p < 0x21 || *p > 0x7E)
            return false;
    return true;
}

/* The string member name of j, sanitised into out (cap bytes); "" when absent or not a string. */
static void get_text(const cJSON *j, const char *name, char *out, size_t cap)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, name);
    out[0] = '\0';
    if (cJSON_IsString(v) && v->valuestring != NULL)
        bo_text_sanitize(out, cap, v->valuestring);
}

/* The integer member name of j in [lo, hi]; false when absent or out of range. */
static bool get_int(const cJSON *j, const char *name, int64_t lo, int64_t hi, int64_t *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, name);
    if (!cJSON_IsNumber(v) || v->valuedouble < (double)lo || v->valuedouble > (double)hi
        || v->valuedouble != (double)(int64_t)v->valuedouble)
        return false;
    *out = (int64_t)v->valuedouble;
    return true;
}

/* The string member name of j exactly, into out (cap bytes, cut only on a character boundary past cap);
 * "" when absent or not a string. */
static void get_exact(const cJSON *j, const char *name, char *out, size_t cap)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, name);
    out[0] = '\0';
    if (!cJSON_IsString(v) || v->valuestring == NULL)
        return;
    bo_utf8_copy(out, cap, v->valuestring);
}

/* A text shown (sanitised, maybe cut) and kept exactly. */
#define GET_TEXT(j, name, v, field) \
    (get_text(j, name, (v)->field, sizeof (v)->field), get_exact(j, name, (v)->exact.field, sizeof (v)->exact.field))

static void ticket_fields(const cJSON *t, api_checkin_verdict *v)
{
    get_text(t, "id", v->ticket_id, sizeof v->ticket_id);
    get_text(t, "code", v->code, sizeof v->code);
    GET_TEXT(t, "attendee", v, attendee);
    get_text(t, "orderId", v->order_id, sizeof v->order_id);
    GET_TEXT(t, "checkedInAt", v, at);
    GET_TEXT(t, "door", v, door);
}

/* The verdict of a 200 answer; false when it is not one. */
static bool read_admitted(const cJSON *j, api_checkin_verdict *v)
{
    const cJSON *result = cJSON_GetObjectItemCaseSensitive(j, "result");
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(j, "ticket");
    const cJSON *o = cJSON_GetObjectItemCaseSensitive(j, "order");
    int64_t q, so_far;
    if (!cJSON_IsString(result) || strcmp(result->valuestring, "admitted") != 0 || !cJSON_IsObject(t)
        || !cJSON_IsObject(o) || !get_int(o, "quantity", 1, 1000, &q) || !get_int(o, "admittedSoFar", 0, 1000, &so_far))
        return false;
    ticket_fields(t, v);
    get_text(o, "id", v->order_id, sizeof v->order_id);
    GET_TEXT(o, "customerName", v, customer);
    v->quantity = (int)q;
    v->admitted_so_far = (int)so_far;
    v->kind = API_CHECKIN_ADMITTED;
    return v->ticket_id[0] != '\0';
}

/* The verdict of a 404/409 body with a "result"; false when it has none we know. */
static bool read_refusal(long http, const cJSON *j, api_checkin_verdict *v)
{
    const cJSON *result = cJSON_GetObjectItemCaseSensitive(j, "result");
    if (!cJSON_IsString(result))
        return false;
    const char *r = result->valuestring;
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(j, "ticket");
    if (cJSON_IsObject(t))
        ticket_fields(t, v);
    if (http == 404 && strcmp(r, "unknown_code") == 0) {
        v->kind = API_CHECKIN_UNKNOWN_CODE;
    } else if (http == 409 && strcmp(r, "already_admitted") == 0) {
        v->kind = API_CHECKIN_ALREADY_ADMITTED;
        GET_TEXT(j, "at", v, at);
        GET_TEXT(j, "door", v, door);
    } else if (http == 409 && strcmp(r, "refunded") == 0) {
        v->kind = API_CHECKIN_REFUNDED;
    } else if (http == 409 && strcmp(r, "wrong_concert") == 0) {
        v->kind = API_CHECKIN_WRONG_CONCERT;
        get_text(j, "concertId", v->concert_id, sizeof v->concert_id);
        if (v->ticket_id[0] == '\0')
            get_text(j, "ticketId", v->ticket_id, sizeof v->ticket_id);
    } else {
        return false;
    }
    return true;
}

/* Wrong concert: the name and date of the concert the ticket is for (best effort: left "" on failure). */
static void name_other_concert(api_client *c, api_checkin_verdict *v)
{
    bo_concert other;
    if (!api_id_ok(v->concert_id) || api_get_concert(c, v->concert_id, &other, NULL) != API_OK)
        return;
    if (other.name != NULL)
        bo_text_sanitize(v->concert_name, sizeof v->concert_name, other.name);
    get_exact(other.json, "name", v->exact.concert_name, sizeof v->exact.concert_name);
    if (other.date != NULL)
        bo_text_sanitize(v->concert_date, sizeof v->concert_date, other.date);
    bo_concert_clear(&other);
}

static char *checkin_body(const char *concert_id, const char *code, const char *nonce, const char *door)
{
    cJSON *b = cJSON_CreateObject();
    char *text = NULL;
    if (b != NULL && cJSON_AddStringToObject(b, "code", code) != NULL
        && cJSON_AddStringToObject(b, "concertId", concert_id) != NULL
        && cJSON_AddStringToObject(b, "nonce", nonce) != NULL
        && (door == NULL || door[0] == '\0' || cJSON_AddStringToObject(b, "door", door) != NULL))
        text = cJSON_PrintUnformatted(b);
    cJSON_Delete(b);
    return text;
}

api_status api_checkin(api_client *c, const char *concert_id, const char *code, const char *nonce, const char *door,
                       int attempts, api_checkin_verdict *v, api_result *res)
{
    char url[API_URL_MAX], canon[BO_CODE_BUF];
    char *text = NULL;
    cJSON *j = NULL, *err = NULL;
    api_status st;
    double total_ms = 0;
    api_result own;
    if (res == NULL) /* the answer's status decides the verdict: kept here when the caller wants none */
        res = &own;
    memset(v, 0, sizeof *v);
    v->kind = API_CHECKIN_ERROR;
    if (!api_id_ok(concert_id))
        return api_set_result(res, API_ERR_INVALID, 0, "Not a concert ID");
    if (!api_checkin_nonce_valid(nonce))
        return api_set_result(res, API_ERR_INVALID, 0, "A scan's nonce must be 1 to %d visible ASCII characters",
                              API_NONCE_MAX);
    const char *door_bad = door != NULL && door[0] != '\0' ? bo_valid_door(door) : NULL;
    if (door_bad != NULL) /* the API's own rule: nothing is sent */
        return api_set_result(res, API_ERR_INVALID, 0, "%s", door_bad);
    if (code == NULL || bo_code_parse(code, canon) != 0) { /* the server would say the same: no need to ask */
        v->kind = API_CHECKIN_UNKNOWN_CODE;
        return api_set_result(res, API_OK, 0, "%s", "");
    }
    if (!api_build_url(c, "/checkins", NULL, url))
        return api_set_result(res, API_ERR_PROTOCOL, 0, "Bad API URL");
    if ((text = checkin_body(concert_id, canon, nonce, door)) == NULL)
        return api_set_result(res, API_ERR_NOMEM, 0, NULL);
    if (attempts <= 0)
        attempts = c->purchase_attempts;
    for (int attempt = 0;; attempt++) {
        if (attempt > 0)
            api_backoff(c, attempt - 1);
        cJSON_Delete(err);
        err = NULL;
        st = api_request_full(c, "POST", url, text, NULL, false, &j, &err, res);
        total_ms += res->latency_ms;
        if (!api_retryable(st) || attempt + 1 >= attempts)
            break;
    }
    long http = res->http_status;
    if (st == API_OK) {
        if (!read_admitted(j, v)) {
            memset(v, 0, sizeof *v);
            v->kind = API_CHECKIN_UNVERIFIED; /* a 2xx we cannot read: it may have admitted; retry the nonce */
            st = api_set_result(res, API_ERR_PROTOCOL, http, NULL);
        }
    } else if (err != NULL && (http == 404 || http == 409) && read_refusal(http, err, v)) {
        st = api_set_result(res, API_OK, http, "%s", "");
        if (v->kind == API_CHECKIN_WRONG_CONCERT)
            name_other_concert(c, v);
    } else {
        v->kind = api_definite_refusal(st) ? API_CHECKIN_ERROR : API_CHECKIN_UNVERIFIED;
    }
    res->latency_ms = total_ms;
    res->http_status = http;
    cJSON_Delete(j);
    cJSON_Delete(err);
    free(text);
    return st;
}

static void undo_ticket(const cJSON *j, api_undo_result *u)
{
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(j, "ticket");
    if (!cJSON_IsObject(t))
        return;
    get_text(t, "id", u->ticket_id, sizeof u->ticket_id);
    get_text(t, "code", u->code, sizeof u->code);
    get_text(t, "orderId", u->order_id, sizeof u->order_id);
    get_text(t, "concertId", u->concert_id, sizeof u->concert_id);
    get_text(t, "attendee", u->attendee, sizeof u->attendee);
    get_exact(t, "attendee", u->attendee_exact, sizeof u->attendee_exact);
    get_text(t, "status", u->status, sizeof u->status);
}

/* "valid", "refunded", "checked in" ...: a ticket's status for a sentence. */
static const char *status_words(const char *s)
{
    return strcmp(s, "checkedIn") == 0 ? "checked in" : s[0] != '\0' ? s : "in an unknown state";
}

api_status api_undo_checkin(api_client *c, const char *ticket_id, api_undo_result *u, api_result *res)
{
    char url[API_URL_MAX];
    cJSON *j = NULL, *err = NULL;
    api_status st = API_ERR_NOMEM;
    double total_ms = 0;
    bool applied = false;
    api_result own;
    if (res == NULL) /* the answer's status tells a 409 apart: kept here when the caller wants none */
        res = &own;
    memset(u, 0, sizeof *u);
    if (!api_id_ok(ticket_id))
        return api_set_result(res, API_ERR_NOT_FOUND, 0, "No such ticket");
    if (!api_build_url(c, "/checkins/", ticket_id, url) || strlen(url) + sizeof "/undo" > sizeof url)
        return api_set_result(res, API_ERR_NOMEM, 0, NULL);
    strcat(url, "/undo");
    for (int attempt = 0; attempt < c->purchase_attempts; attempt++) {
        http_resp r;
        if (attempt > 0)
            api_backoff(c, attempt - 1);
        cJSON_Delete(err);
        err = NULL;
        if (api_http_do(c, "POST", url, "", NULL, &r) != 0) {
            api_http_resp_clear(&r);
            st = api_set_result(res, API_ERR_NOMEM, 0, NULL);
            break;
        }
        total_ms += r.ms;
        st = api_classify(&r, false, &j, &err, res);
        if (api_maybe_applied(&r, st))
            applied = true;
        api_http_resp_clear(&r);
        /* not idempotent: a second undo after one that went through could undo a new check-in */
        if (!api_retryable(st) || applied)
            break;
    }
    long http = res->http_status;
    if (st == API_OK) {
        undo_ticket(j, u);
        if (u->ticket_id[0] == '\0') {
            applied = true; /* a 2xx came back: undone, but the answer could not be read */
            st = api_set_result(res, API_ERR_PROTOCOL, http, NULL);
        }
    } else if (st == API_ERR_NOT_FOUND) {
        st = api_set_result(res, API_ERR_NOT_FOUND, http, "No such ticket");
    } else if (http == 409 && err != NULL) {
        const cJSON *result = cJSON_GetObjectItemCaseSensitive(err, "result");
        undo_ticket(err, u);
        if (cJSON_IsString(result) && strcmp(result->valuestring, "not_checked_in") == 0) {
            u->not_checked_in = true;
            st = api_set_result(res, API_ERR_INVALID, http, "Ticket is not checked in: it is %s", status_words(u->status));
        }
    }
    res->latency_ms = total_ms;
    res->unconfirmed = st != API_OK && !api_definite_refusal(st) && applied;
    cJSON_Delete(j);
    cJSON_Delete(err);
    return st;
}

api_status api_concert_stats(api_client *c, const char *concert_id, api_stats *out, api_result *res)
{
    char url[API_URL_MAX];
    cJSON *j = NULL;
    memset(out, 0, sizeof *out);
    if (!api_id_ok(concert_id))
        return api_set_result(res, API_ERR_NOT_FOUND, 0, NULL);
    if (!api_build_url_sub(c, "/concerts/", concert_id, "/stats", url))
        return api_set_result(res, API_ERR_NOMEM, 0, NULL);
    api_status st = api_request_full(c, "GET", url, NULL, NULL, false, &j, NULL, res);
    if (st != API_OK)
        return st;
    const cJSON *rev = cJSON_GetObjectItemCaseSensitive(j, "revenue");
    if (!get_int(j, "capacity", 0, INT64_C(1) << 50, &out->capacity) || !get_int(j, "sold", 0, INT64_C(1) << 50, &out->sold)
        || !get_int(j, "refunded", 0, INT64_C(1) << 50, &out->refunded)
        || !get_int(j, "admitted", 0, INT64_C(1) << 50, &out->admitted)
        || !get_int(j, "available", -(INT64_C(1) << 50), INT64_C(1) << 50, &out->available) || !cJSON_IsObject(rev)) {
        memset(out, 0, sizeof *out);
        st = api_set_result(res, API_ERR_PROTOCOL, res != NULL ? res->http_status : 200, NULL);
    } else {
        get_text(j, "concertId", out->concert_id, sizeof out->concert_id);
        if (out->concert_id[0] == '\0')
            bo_text_sanitize(out->concert_id, sizeof out->concert_id, concert_id);
        get_text(rev, "card", out->revenue_card, sizeof out->revenue_card);
        get_text(rev, "cash", out->revenue_cash, sizeof out->revenue_cash);
        get_text(rev, "comp", out->revenue_comp, sizeof out->revenue_comp);
        get_text(j, "currency", out->currency, sizeof out->currency);
    }
    cJSON_Delete(j);
    return st;
}
