/* Shifts (see handlers.h, docs/openapi.yaml "Shifts"): open, current, one shift with its X or Z report, drops,
 * paid-outs, the blind close with its numbered Z, the manager's day sheet as JSON or CSV. */
#include "handlers.h"

#include "bo_buf.h"
#include "bo_money.h"
#include "bo_text.h"
#include "bo_valid.h"
#include "bo_valid_order.h"
#include "store_shift.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uuid/uuid.h>

static const char SHIFT_FAILED[] = "Could not complete the shift request, please try again";
static const char SHIFT_NOT_FOUND[] = "Shift not found";
static const char NOT_YOURS[] = "shift belongs to another operator";
static const char NEEDS_MANAGER[] = "another operator's shift needs the manager group";
static const char NOTE_REQUIRED[] = "note is required when counted differs from expected";
static const char CLOSED[] = "shift is closed";
static const char SIGN_IN[] = "shifts need a signed-in operator";

/* The namespace of shift ids derived from the operator and an Idempotency-Key (a fixed random UUID). */
static const uuid_t shift_namespace = { 0x5a, 0x0e, 0x93, 0x6b, 0x21, 0xc7, 0x4f, 0x38,
                                        0x8d, 0x14, 0xb9, 0x62, 0x0f, 0xa3, 0x7e, 0xd5 };

/* ---- JSON ------------------------------------------------------------------------------------------ */

static bool add_money(cJSON *o, const char *name, int64_t cents)
{
    char m[BO_MONEY_BUF + 1];
    handler_money2(cents, m);
    return cJSON_AddStringToObject(o, name, m) != NULL;
}

static bool add_trio(cJSON *o, const char *name, int64_t cash, int64_t card, int64_t other)
{
    cJSON *t = cJSON_AddObjectToObject(o, name);
    return t && add_money(t, "cash", cash) && add_money(t, "card", card) && add_money(t, "other", other);
}

static cJSON *shift_json(const shift *sh)
{
    cJSON *j = cJSON_CreateObject(), *op, *rep, *curs;
    bool ok = j && cJSON_AddStringToObject(j, "id", sh->id) && (op = cJSON_AddObjectToObject(j, "operator")) &&
              cJSON_AddStringToObject(op, "sub", sh->operator_sub) &&
              cJSON_AddStringToObject(op, "name", sh->operator_name) &&
              cJSON_AddStringToObject(j, "terminal", sh->terminal) &&
              cJSON_AddStringToObject(j, "status", sh->open ? "open" : "closed") &&
              cJSON_AddStringToObject(j, "openedAt", sh->opened_at) &&
              (sh->closed_at[0] ? cJSON_AddStringToObject(j, "closedAt", sh->closed_at)
                                : cJSON_AddNullToObject(j, "closedAt")) &&
              (rep = cJSON_AddObjectToObject(j, "report")) &&
              cJSON_AddStringToObject(rep, "kind", sh->open ? "X" : "Z") &&
              (sh->open || cJSON_AddNumberToObject(rep, "z", (double)sh->z)) &&
              (curs = cJSON_AddArrayToObject(rep, "currencies"));
    for (int i = 0; ok && i < sh->n_cur; i++) {
        const shift_money *m = &sh->cur[i];
        cJSON *c = cJSON_CreateObject();
        if (!c || !cJSON_AddItemToArray(curs, c)) {
            cJSON_Delete(c);
            ok = false;
            break;
        }
        int64_t expected = shift_expected_cash(m);
        ok = cJSON_AddStringToObject(c, "currency", m->currency) && add_money(c, "float", m->float_cents) &&
             add_trio(c, "sales", m->cash, m->card, m->other) && cJSON_AddNumberToObject(c, "orders", (double)m->orders) &&
             cJSON_AddNumberToObject(c, "comps", (double)m->comps) &&
             cJSON_AddNumberToObject(c, "compTickets", (double)m->comp_tickets) &&
             add_trio(c, "refunds", m->refund_cash, m->refund_card, m->refund_other) &&
             cJSON_AddNumberToObject(c, "refundCount", (double)m->refund_count) && add_money(c, "drops", m->drops) &&
             add_money(c, "paidOuts", m->paid_outs) && add_money(c, "expectedCash", expected) &&
             (m->has_counted ? add_money(c, "counted", m->counted) && add_money(c, "difference", m->counted - expected)
                             : cJSON_AddNullToObject(c, "counted") && cJSON_AddNullToObject(c, "difference"));
    }
    ok = ok && (sh->note ? cJSON_AddStringToObject(rep, "note", sh->note) : cJSON_AddNullToObject(rep, "note")) &&
         cJSON_AddNumberToObject(rep, "entries", (double)sh->entries) &&
         (!sh->open && sh->hash[0] ? cJSON_AddStringToObject(rep, "hash", sh->hash) : cJSON_AddNullToObject(rep, "hash"));
    if (!ok) {
        cJSON_Delete(j);
        return NULL;
    }
    return j;
}

static void answer_shift(handler_result *out, int status, const shift *sh, bool replayed)
{
    if (handler_answer_json(out, status, shift_json(sh)))
        out->resp.replayed = replayed;
}

/* ---- input ----------------------------------------------------------------------------------------- */

/* An amount field: a decimal text ("100.00") or a JSON number with at most 2 decimals, 0..BO_AMOUNT_MAX_CENTS. */
static bool amount_of(const cJSON *v, int64_t *cents)
{
    if (cJSON_IsString(v))
        return bo_money_parse_upto(v->valuestring, BO_AMOUNT_MAX_CENTS, cents) == BO_MONEY_OK;
    if (cJSON_IsNumber(v))
        return bo_money_from_double_upto(v->valuedouble, BO_AMOUNT_MAX_CENTS, cents) == BO_MONEY_OK;
    return false;
}

/* A {"EUR": "100.00", ...} object into cur[] (currency and *which* amount). NULL or the message. */
static const char *money_map(const cJSON *obj, const char *field, shift_money *cur, int *n, bool counted)
{
    static const char *const bad[] = { "float must be an object of currency: amount, such as {\"EUR\": \"100.00\"}",
                                       "counted must be an object of currency: amount, such as {\"EUR\": \"100.00\"}" };
    const cJSON *m = cJSON_GetObjectItemCaseSensitive(obj, field);
    *n = 0;
    if (!cJSON_IsObject(m) || cJSON_GetArraySize(m) < 1 || cJSON_GetArraySize(m) > SHIFT_CUR_MAX)
        return bad[counted];
    const cJSON *v;
    cJSON_ArrayForEach(v, m) {
        int64_t cents;
        if (!v->string || bo_valid_currency(v->string) || !amount_of(v, &cents))
            return bad[counted];
        for (int i = 0; i < *n; i++)
            if (strcmp(cur[i].currency, v->string) == 0)
                return bad[counted];
        memset(&cur[*n], 0, sizeof cur[*n]);
        memcpy(cur[*n].currency, v->string, 4);
        if (counted)
            cur[*n].counted = cents;
        else
            cur[*n].float_cents = cents;
        (*n)++;
    }
    return NULL;
}

/* note: optional text (bo_valid_text's rule, at most SHIFT_NOTE_MAX characters): *out NULL when absent. */
static const char *note_of(const cJSON *body, char **out)
{
    *out = NULL;
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(body, "note");
    if (!n || cJSON_IsNull(n) || (cJSON_IsString(n) && !bo_text_has_visible(n->valuestring)))
        return NULL;
    if (!cJSON_IsString(n) || bo_valid_text("note", n->valuestring) || bo_utf8_chars(n->valuestring) > SHIFT_NOTE_MAX)
        return "note must be text of at most 200 characters without control characters";
    *out = bo_text_trim_dup(n->valuestring);
    return *out ? NULL : "Out of memory, please try again";
}

/* The caller, who must be signed in (or hold the operator key): false with out answered (403). */
static bool who_needed(const apigw_event *ev, handler_who *w, handler_result *out)
{
    handler_who_of(ev, w);
    if (w->who.sub)
        return true;
    handler_fail(out, 403, SIGN_IN);
    return false;
}

static bool is_manager(const handler_who *w)
{
    return caller_in(&w->c, CALLER_MANAGER);
}

/* ---- handlers -------------------------------------------------------------------------------------- */

void handler_open_shift(store *st, const apigw_event *ev, handler_result *out)
{
    shift sh, other;
    memset(&sh, 0, sizeof sh);
    memset(&other, 0, sizeof other);
    const char *key = apigw_header(ev, "Idempotency-Key");
    const char *msg = handler_check_idempotency_key(key);
    if (msg) {
        handler_fail(out, 400, msg);
        return;
    }
    cJSON *body = handler_body_object(ev, out);
    if (!body)
        return;
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(body, "terminal");
    if (!cJSON_IsString(t) || bo_valid_door(t->valuestring))
        msg = "terminal must be a name of 1 to 64 characters without control characters";
    else
        snprintf(sh.terminal, sizeof sh.terminal, "%s", t->valuestring);
    if (!msg)
        msg = money_map(body, "float", sh.cur, &sh.n_cur, false);
    cJSON_Delete(body);
    if (msg) {
        handler_fail_input(out, msg);
        return;
    }
    handler_who w;
    if (!who_needed(ev, &w, out))
        return;
    if (!st) {
        handler_store_fail(out, st, STORE_UNAVAILABLE, SHIFT_FAILED);
        return;
    }
    uuid_t u;
    if (key) {
        char name[STORE_ID_MAX + HANDLER_IDEMPOTENCY_KEY_MAX + 2];
        int len = snprintf(name, sizeof name, "%s#%s", w.who.sub, key);
        uuid_generate_sha1(u, shift_namespace, name, (size_t)len);
    } else {
        uuid_generate_random(u);
    }
    uuid_unparse_lower(u, sh.id);
    snprintf(sh.operator_sub, sizeof sh.operator_sub, "%s", w.who.sub);
    snprintf(sh.operator_name, sizeof sh.operator_name, "%s", w.who.name);
    store_status s = store_shift_open(st, &sh, &other);
    if (s == STORE_OK) {
        answer_shift(out, 201, &sh, false);
    } else if (s == STORE_REPLAY) {
        answer_shift(out, 201, &other, true);
    } else if (s == STORE_CONFLICT) {
        cJSON *j = cJSON_CreateObject(), *sj = shift_json(&other);
        if (!j || !sj || !cJSON_AddStringToObject(j, "error", "you already have an open shift") ||
            !cJSON_AddItemToObject(j, "shift", sj)) {
            cJSON_Delete(sj);
            cJSON_Delete(j);
            j = NULL;
        }
        handler_answer_json(out, 409, j);
        out->reason = "you already have an open shift";
    } else if (!handler_fail_shift(out, s)) {
        handler_store_fail(out, st, s, SHIFT_FAILED);
    }
    shift_clear(&other);
    shift_clear(&sh);
}

void handler_current_shift(store *st, const apigw_event *ev, handler_result *out)
{
    handler_who w;
    if (!who_needed(ev, &w, out))
        return;
    if (!st) {
        handler_store_fail(out, st, STORE_UNAVAILABLE, SHIFT_FAILED);
        return;
    }
    shift sh;
    store_status s = store_shift_current(st, w.who.sub, &sh);
    if (s == STORE_OK)
        answer_shift(out, 200, &sh, false);
    else if (s == STORE_NOT_FOUND)
        handler_fail(out, 404, "no open shift");
    else
        handler_store_fail(out, st, s, SHIFT_FAILED);
    shift_clear(&sh);
}

/* The shift of the path's {id}, the caller's (or any, for a manager when any_for_manager): STORE_OK with *sh
 * read, else out answered (400, 403, 404, 503). */
static bool path_shift(store *st, const apigw_event *ev, const handler_who *w, bool any_for_manager, shift *sh,
                       handler_result *out)
{
    memset(sh, 0, sizeof *sh);
    const char *id = handler_path_id(st, ev, "id", SHIFT_FAILED, out);
    if (!id)
        return false;
    store_status s = store_shift_get(st, id, sh);
    if (s == STORE_NOT_FOUND) {
        handler_fail(out, 404, SHIFT_NOT_FOUND);
        return false;
    }
    if (s != STORE_OK) {
        handler_store_fail(out, st, s, SHIFT_FAILED);
        return false;
    }
    if (strcmp(sh->operator_sub, w->who.sub) != 0 && !(any_for_manager && is_manager(w))) {
        handler_fail(out, 403, any_for_manager ? NEEDS_MANAGER : NOT_YOURS);
        shift_clear(sh);
        return false;
    }
    return true;
}

void handler_get_shift(store *st, const apigw_event *ev, handler_result *out)
{
    handler_who w;
    if (!who_needed(ev, &w, out))
        return;
    shift sh;
    if (!path_shift(st, ev, &w, true, &sh, out))
        return;
    answer_shift(out, 200, &sh, false);
    shift_clear(&sh);
}

static void move(store *st, const apigw_event *ev, handler_result *out, bool drop)
{
    cJSON *body = handler_body_object(ev, out);
    if (!body)
        return;
    const char *msg = NULL;
    char *note = NULL;
    int64_t cents = 0;
    char currency[4] = "";
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(body, "amount");
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(body, "currency");
    if (!amount_of(a, &cents) || cents <= 0)
        msg = "amount must be an amount above 0.00 with at most 2 decimals, such as \"50.00\"";
    else if (!cJSON_IsString(c) || bo_valid_currency(c->valuestring))
        msg = "currency must be three upper-case letters (ISO 4217)";
    else
        memcpy(currency, c->valuestring, 4);
    if (!msg)
        msg = note_of(body, &note);
    cJSON_Delete(body);
    handler_who w;
    shift sh, after;
    memset(&sh, 0, sizeof sh);
    memset(&after, 0, sizeof after);
    if (msg) {
        handler_fail_input(out, msg);
        goto done;
    }
    if (!who_needed(ev, &w, out) || !path_shift(st, ev, &w, false, &sh, out))
        goto done;
    if (!sh.open) {
        handler_fail(out, 409, CLOSED);
        goto done;
    }
    if (!shift_money_of(&sh, currency)) {
        handler_fail(out, 400, "currency must be one the shift holds");
        goto done;
    }
    store_status s = store_shift_move(st, sh.id, &w.who, drop, currency, cents, note, &after);
    if (s == STORE_OK)
        answer_shift(out, 201, &after, false);
    else if (s == STORE_SHIFT_NOT_OPEN)
        handler_fail(out, 409, CLOSED);
    else if (s == STORE_SHIFT_NOT_YOURS)
        handler_fail(out, 403, NOT_YOURS);
    else if (!handler_fail_shift(out, s))
        handler_store_fail(out, st, s, SHIFT_FAILED);
done:
    free(note);
    shift_clear(&sh);
    shift_clear(&after);
}

void handler_shift_drop(store *st, const apigw_event *ev, handler_result *out)
{
    move(st, ev, out, true);
}

void handler_shift_paidout(store *st, const apigw_event *ev, handler_result *out)
{
    move(st, ev, out, false);
}

#define CLOSE_ROUNDS 5

void handler_close_shift(store *st, const apigw_event *ev, handler_result *out)
{
    const char *key = apigw_header(ev, "Idempotency-Key");
    const char *msg = handler_check_idempotency_key(key);
    if (msg) {
        handler_fail(out, 400, msg);
        return;
    }
    cJSON *body = handler_body_object(ev, out);
    if (!body)
        return;
    shift_money counted[SHIFT_CUR_MAX];
    int n_counted = 0;
    char *note = NULL;
    msg = money_map(body, "counted", counted, &n_counted, true);
    if (!msg)
        msg = note_of(body, &note);
    cJSON_Delete(body);
    handler_who w;
    shift sh, closed;
    memset(&sh, 0, sizeof sh);
    memset(&closed, 0, sizeof closed);
    if (msg) {
        handler_fail_input(out, msg);
        goto done;
    }
    if (!who_needed(ev, &w, out))
        goto done;
    for (int round = 0; round < CLOSE_ROUNDS; round++) {
        shift_clear(&sh);
        if (!path_shift(st, ev, &w, false, &sh, out))
            goto done;
        if (!sh.open) {
            if (key && strcmp(sh.close_key, key) == 0) /* this close again: the same Z */
                answer_shift(out, 200, &sh, true);
            else
                handler_fail(out, 409, CLOSED);
            goto done;
        }
        int64_t amounts[SHIFT_CUR_MAX];
        bool differs = false;
        for (int i = 0; i < n_counted; i++)
            if (!shift_money_of(&sh, counted[i].currency)) {
                handler_fail(out, 400, "counted names a currency the shift does not hold");
                goto done;
            }
        for (int i = 0; i < sh.n_cur; i++) {
            int k = 0;
            while (k < n_counted && strcmp(counted[k].currency, sh.cur[i].currency) != 0)
                k++;
            if (k == n_counted) {
                handler_fail(out, 400, "counted must hold every currency of the shift");
                goto done;
            }
            amounts[i] = counted[k].counted;
            differs = differs || amounts[i] != shift_expected_cash(&sh.cur[i]);
        }
        if (differs && !note) { /* blind count: the answer does not say by how much */
            handler_fail(out, 400, NOTE_REQUIRED);
            goto done;
        }
        store_status s = store_shift_close(st, &sh, &w.who, amounts, note, key, &closed);
        if (s == STORE_OK) {
            answer_shift(out, 200, &closed, false);
            goto done;
        }
        if (s != STORE_CONFLICT) {
            if (!handler_fail_shift(out, s))
                handler_store_fail(out, st, s, SHIFT_FAILED);
            goto done;
        }
        /* the shift changed since it was read (a sale, or another close): read it again */
    }
    handler_store_fail(out, st, STORE_UNAVAILABLE, SHIFT_FAILED);
done:
    free(note);
    shift_clear(&sh);
    shift_clear(&closed);
}

/* ---- the day sheet ------------------------------------------------------------------------------- */

static bool valid_day(const char *d)
{
    if (!d || strlen(d) != 10 || d[4] != '-' || d[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (d[i] < '0' || d[i] > '9'))
            return false;
    return !bo_valid_date(d);
}

/* A CSV field: quoted when it holds a comma, quote or line break; a leading = + - @ gets a ' (no formulas). */
static void csv_field(bo_buf *b, const char *v, bool last)
{
    v = v ? v : "";
    bool quote = strpbrk(v, ",\"\r\n") != NULL || (v[0] && strchr("=+-@", v[0]) && !(v[0] == '-' && v[1] >= '0' && v[1] <= '9'));
    if (quote) {
        bo_buf_add(b, "\"");
        if (v[0] && strchr("=+-@", v[0]))
            bo_buf_add(b, "'");
        for (const char *p = v; *p; p++)
            bo_buf_addn(b, *p == '"' ? "\"\"" : p, *p == '"' ? 2 : 1);
        bo_buf_add(b, "\"");
    } else {
        bo_buf_add(b, v);
    }
    bo_buf_add(b, last ? "\r\n" : ",");
}

static void csv_money(bo_buf *b, int64_t cents)
{
    char m[BO_MONEY_BUF + 1];
    handler_money2(cents, m);
    csv_field(b, m, false);
}

static char *day_csv(const shift *list, int n)
{
    bo_buf b;
    bo_buf_init(&b, 4u * 1024u * 1024u);
    bo_buf_add(&b, "shift,z,operator,terminal,opened,closed,currency,float,cash_sales,card_sales,other_sales,comps,"
                   "refunds_cash,refunds_other,drops,paidouts,expected,counted,difference,note\r\n");
    for (int i = 0; i < n; i++) {
        const shift *sh = &list[i];
        for (int k = 0; k < sh->n_cur; k++) {
            const shift_money *m = &sh->cur[k];
            char z[24] = "", comps[24], d[BO_MONEY_BUF + 1] = "", c[BO_MONEY_BUF + 1] = "";
            if (!sh->open)
                snprintf(z, sizeof z, "%lld", sh->z);
            snprintf(comps, sizeof comps, "%lld", m->comps);
            int64_t expected = shift_expected_cash(m);
            if (m->has_counted) {
                handler_money2(m->counted, c);
                handler_money2(m->counted - expected, d);
            }
            csv_field(&b, sh->id, false);
            csv_field(&b, z, false);
            csv_field(&b, sh->operator_name, false);
            csv_field(&b, sh->terminal, false);
            csv_field(&b, sh->opened_at, false);
            csv_field(&b, sh->closed_at, false);
            csv_field(&b, m->currency, false);
            csv_money(&b, m->float_cents);
            csv_money(&b, m->cash);
            csv_money(&b, m->card);
            csv_money(&b, m->other);
            csv_field(&b, comps, false);
            csv_money(&b, m->refund_cash);
            csv_money(&b, m->refund_card + m->refund_other);
            csv_money(&b, m->drops);
            csv_money(&b, m->paid_outs);
            csv_money(&b, expected);
            csv_field(&b, c, false);
            csv_field(&b, d, false);
            csv_field(&b, sh->note, true);
        }
    }
    if (bo_buf_error(&b) != BO_BUF_OK) {
        bo_buf_free(&b);
        return NULL;
    }
    return bo_buf_take(&b, NULL);
}

void handler_day_sheet(store *st, const apigw_event *ev, handler_result *out)
{
    const char *day = apigw_query_param(ev, "day"), *format = apigw_query_param(ev, "format");
    if (!valid_day(day)) {
        handler_fail(out, 400, "day must be a date YYYY-MM-DD");
        return;
    }
    bool csv = format && strcmp(format, "csv") == 0;
    if (format && !csv && strcmp(format, "json") != 0) {
        handler_fail(out, 400, "format must be json or csv");
        return;
    }
    handler_who w;
    handler_who_of(ev, &w);
    if (!is_manager(&w)) {
        handler_fail(out, 403, "the day sheet needs the manager group");
        return;
    }
    if (!st) {
        handler_store_fail(out, st, STORE_UNAVAILABLE, SHIFT_FAILED);
        return;
    }
    shift *list = NULL;
    int n = 0;
    store_status s = store_shift_day(st, day, &list, &n);
    if (s != STORE_OK) {
        handler_store_fail(out, st, s, SHIFT_FAILED);
        return;
    }
    if (csv) {
        char *text = day_csv(list, n);
        if (text) {
            apigw_response_take(&out->resp, 200, text);
            out->resp.content_type = "text/csv; charset=utf-8";
        } else {
            handler_fail(out, 503, "Out of memory, please try again");
            out->resp.retry_after_s = HANDLER_RETRY_AFTER_S;
        }
    } else {
        cJSON *j = cJSON_CreateObject(), *arr = NULL;
        bool ok = j && cJSON_AddStringToObject(j, "day", day) && (arr = cJSON_AddArrayToObject(j, "shifts"));
        for (int i = 0; ok && i < n; i++) {
            cJSON *sj = shift_json(&list[i]);
            ok = sj && cJSON_AddItemToArray(arr, sj);
            if (!ok)
                cJSON_Delete(sj);
        }
        if (!ok) {
            cJSON_Delete(j);
            j = NULL;
        }
        handler_answer_json(out, 200, j);
    }
    for (int i = 0; i < n; i++)
        shift_clear(&list[i]);
    free(list);
}
