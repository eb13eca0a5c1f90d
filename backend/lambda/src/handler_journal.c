/* GET /journal (see handlers.h, docs/openapi.yaml "Journal"): a page of entries by day, operator and day,
 * concert or shift, oldest first, with a cursor. Manager only; a shift's own operator may read its entries. */
#include "handlers.h"

#include "bo_money.h"
#include "bo_valid.h"
#include "store_journal.h"
#include "store_shift.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char JOURNAL_FAILED[] = "Could not read the journal, please try again";
static const char WHICH[] = "name one of day, operator (with day), concert or shift";

static bool add_opt(cJSON *o, const char *k, const char *v)
{
    return v && *v ? cJSON_AddStringToObject(o, k, v) != NULL : cJSON_AddNullToObject(o, k) != NULL;
}

static cJSON *entry_json(const journal_row *r)
{
    cJSON *j = cJSON_CreateObject(), *op = NULL;
    char day[11], amount[BO_MONEY_BUF + 1];
    snprintf(day, sizeof day, "%.10s", r->at);
    bool ok = j && cJSON_AddStringToObject(j, "id", r->id) && cJSON_AddStringToObject(j, "at", r->at) &&
              cJSON_AddStringToObject(j, "day", day) && cJSON_AddStringToObject(j, "type", r->type);
    if (ok && r->sub[0])
        ok = (op = cJSON_AddObjectToObject(j, "operator")) && cJSON_AddStringToObject(op, "sub", r->sub) &&
             cJSON_AddStringToObject(op, "name", r->name);
    else if (ok)
        ok = cJSON_AddNullToObject(j, "operator") != NULL;
    ok = ok && add_opt(j, "terminal", r->terminal) && add_opt(j, "shiftId", r->shift_id) &&
         add_opt(j, "concertId", r->concert_id) && add_opt(j, "orderId", r->order_id) &&
         add_opt(j, "currency", r->currency);
    if (ok && r->ticket_ids) {
        cJSON *ids = cJSON_AddArrayToObject(j, "ticketIds");
        ok = ids != NULL;
        for (int i = 0; ok && i < r->n_tickets; i++) {
            cJSON *s = cJSON_CreateString(r->ticket_ids[i]);
            ok = s && cJSON_AddItemToArray(ids, s);
            if (!ok)
                cJSON_Delete(s);
        }
    }
    if (ok && r->has_amount) {
        handler_money2(r->amount_cents, amount);
        ok = cJSON_AddStringToObject(j, "amount", amount) != NULL;
    } else if (ok) {
        ok = cJSON_AddNullToObject(j, "amount") != NULL;
    }
    ok = ok && (r->has_count ? cJSON_AddNumberToObject(j, "count", (double)r->count) : cJSON_AddNullToObject(j, "count")) &&
         cJSON_AddStringToObject(j, "detail", r->detail ? r->detail : "") &&
         (r->seq > 0 ? cJSON_AddNumberToObject(j, "seq", (double)r->seq) : cJSON_AddNullToObject(j, "seq"));
    if (!ok) {
        cJSON_Delete(j);
        return NULL;
    }
    return j;
}

static bool valid_day(const char *d)
{
    if (!d || strlen(d) != 10 || d[4] != '-' || d[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (d[i] < '0' || d[i] > '9'))
            return false;
    return !bo_valid_date(d);
}

void handler_get_journal(store *st, const apigw_event *ev, handler_result *out)
{
    const char *day = apigw_query_param(ev, "day"), *op = apigw_query_param(ev, "operator");
    const char *concert_id = apigw_query_param(ev, "concert"), *shift_id = apigw_query_param(ev, "shift");
    const char *limit_s = apigw_query_param(ev, "limit"), *cursor = apigw_query_param(ev, "cursor");
    int named = (op != NULL) + (concert_id != NULL) + (shift_id != NULL);
    journal_by by = JOURNAL_BY_DAY;
    const char *key = day;
    if (named > 1 || (named == 0 && !day) || (op && !day) || ((concert_id || shift_id) && day)) {
        handler_fail(out, 400, WHICH);
        return;
    }
    if (day && !valid_day(day)) {
        handler_fail(out, 400, "day must be a date YYYY-MM-DD");
        return;
    }
    if (op) {
        by = JOURNAL_BY_OPERATOR;
        key = op;
    } else if (concert_id) {
        by = JOURNAL_BY_CONCERT;
        key = concert_id;
    } else if (shift_id) {
        by = JOURNAL_BY_SHIFT;
        key = shift_id;
    }
    const char *msg = key == day ? NULL : handler_valid_id("id", key);
    if (msg) {
        handler_fail(out, 400, op ? "operator must be an operator's sub" : concert_id ? "concert must be a concert id"
                                                                               : "shift must be a shift id");
        return;
    }
    int limit = 50;
    if (limit_s) {
        char *end;
        long l = strtol(limit_s, &end, 10);
        if (!*limit_s || *end || l < 1 || l > JOURNAL_LIMIT_MAX) {
            handler_fail(out, 400, "limit must be a whole number from 1 to 100");
            return;
        }
        limit = (int)l;
    }
    if (cursor && (!*cursor || strlen(cursor) > 4096)) {
        handler_fail(out, 400, "Bad cursor");
        return;
    }
    handler_who w;
    handler_who_of(ev, &w);
    bool manager = caller_in(&w.c, CALLER_MANAGER);
    if (!manager && !(by == JOURNAL_BY_SHIFT && w.who.sub)) {
        handler_fail(out, 403, "the journal needs the manager group");
        return;
    }
    if (!st) {
        handler_store_fail(out, st, STORE_UNAVAILABLE, JOURNAL_FAILED);
        return;
    }
    if (!manager) { /* a shift's own operator reads its entries */
        shift sh;
        store_status s = store_shift_get(st, key, &sh);
        bool own = s == STORE_OK && strcmp(sh.operator_sub, w.who.sub) == 0;
        shift_clear(&sh);
        if (s != STORE_OK && s != STORE_NOT_FOUND) {
            handler_store_fail(out, st, s, JOURNAL_FAILED);
            return;
        }
        if (!own) {
            handler_fail(out, 403, "another operator's journal needs the manager group");
            return;
        }
    }
    journal_page p;
    store_status s = store_journal_page(st, by, key, by == JOURNAL_BY_OPERATOR ? day : NULL, limit, cursor, &p);
    if (s == STORE_NOT_FOUND) {
        handler_fail(out, 400, "Bad cursor");
        return;
    }
    if (s != STORE_OK) {
        handler_store_fail(out, st, s, JOURNAL_FAILED);
        return;
    }
    cJSON *j = cJSON_CreateObject(), *arr = NULL;
    bool ok = j && (arr = cJSON_AddArrayToObject(j, "entries"));
    for (int i = 0; ok && i < p.n; i++) {
        cJSON *e = entry_json(&p.rows[i]);
        ok = e && cJSON_AddItemToArray(arr, e);
        if (!ok)
            cJSON_Delete(e);
    }
    ok = ok && (p.cursor ? cJSON_AddStringToObject(j, "cursor", p.cursor) : cJSON_AddNullToObject(j, "cursor"));
    if (!ok) {
        cJSON_Delete(j);
        j = NULL;
    }
    handler_answer_json(out, 200, j);
    journal_page_clear(&p);
}
