/* Lookups (operator routes): findOrders (GET /orders?email=|name=: by name the customers' matches, then the
 * ticket holders', each with matchedAttendee) and getTicketByCode
 * (GET /tickets/by-code/{code}). The contract is in the README ("Finding orders"); the storage in
 * store_lookup.h, the keys and cursor in lookup_key.h. Neither e-mails nor codes reach a log line. */
#include "handlers.h"

#include "caller.h"

#include "bo_code.h"
#include "bo_text.h"
#include "lookup_key.h"
#include "store_lookup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char FIND_FAILED[] = "Could not search the orders, please try again";
static const char CODE_FAILED[] = "Could not look the code up, please try again";
static const char NO_MEMORY[] = "Out of memory, please try again";
static const char ONE_KEY[] = "Give exactly one of email= or name=";
static const char TOO_SHORT[] = "Type at least 2 characters of the name or e-mail";
static const char TOO_LONG[] = "email= and name= must be at most 1024 characters";
static const char LIMIT_BAD[] = "limit must be a whole number from 1 to 50";
static const char BAD_CURSOR[] = "Bad cursor";
static const char CODE_BAD[] = "code is not a ticket code (20 letters and digits, hyphens optional)";
static const char UNKNOWN_CODE[] = "Unknown code";

#define QUERY_TEXT_MAX 1024
#define LOOKUP_LIMIT_DEFAULT 20

/* limit=: absent -> the default; else 1..LOOKUP_LIMIT_MAX in plain digits. */
static const char *read_limit(const apigw_event *ev, int *limit)
{
    const char *l = apigw_query_param(ev, "limit");
    *limit = LOOKUP_LIMIT_DEFAULT;
    if (!l)
        return NULL;
    size_t n = strlen(l);
    if (n == 0 || n > 2 || strspn(l, "0123456789") != n)
        return LIMIT_BAD;
    *limit = atoi(l);
    return *limit >= 1 && *limit <= LOOKUP_LIMIT_MAX ? NULL : LIMIT_BAD;
}

static cJSON *page_json(const lookup_page *p)
{
    cJSON *j = cJSON_CreateObject();
    cJSON *arr = j ? cJSON_AddArrayToObject(j, "orders") : NULL;
    bool ok = arr != NULL;
    for (int i = 0; ok && i < p->n; i++) {
        cJSON *o = handler_order_json(&p->orders[i], false);
        if (o && p->holders && p->holders[i] && !cJSON_AddStringToObject(o, "matchedAttendee", p->holders[i])) {
            cJSON_Delete(o);
            o = NULL;
        }
        ok = o && cJSON_AddItemToArray(arr, o);
        if (!ok)
            cJSON_Delete(o);
    }
    if (ok && p->cursor)
        ok = cJSON_AddStringToObject(j, "cursor", p->cursor) != NULL;
    if (!ok) {
        cJSON_Delete(j);
        return NULL;
    }
    return j;
}

void handler_find_orders(store *st, const apigw_event *ev, handler_result *out)
{
    char *prefix = NULL;
    cJSON *start = NULL;
    lookup_page page;
    memset(&page, 0, sizeof page);
    caller who;
    if (!handler_operator(ev, &who, out))
        return;
    const char *email = apigw_query_param(ev, "email"), *name = apigw_query_param(ev, "name");
    const char *concert_id = apigw_query_param(ev, "concertId"), *cursor = apigw_query_param(ev, "cursor");
    const char *text = email ? email : name;
    lookup_by by = email ? LOOKUP_BY_EMAIL : LOOKUP_BY_NAME;
    if ((email != NULL) == (name != NULL)) {
        handler_fail(out, 400, ONE_KEY);
        return;
    }
    /* characters, as the contract's maxLength counts (and never more bytes than 1024 of them can take) */
    if (bo_utf8_chars(text) > QUERY_TEXT_MAX || strlen(text) > 4 * QUERY_TEXT_MAX) {
        handler_fail(out, 400, TOO_LONG);
        return;
    }
    const char *msg = concert_id ? handler_valid_id("concertId", concert_id) : NULL;
    int limit;
    if (!msg)
        msg = read_limit(ev, &limit);
    if (msg) {
        handler_fail(out, 400, msg);
        return;
    }
    if (!(prefix = lookup_fold(by, text))) {
        handler_fail_input(out, NO_MEMORY);
        return;
    }
    lookup_query q, holders;
    bool by_name = by == LOOKUP_BY_NAME, in_holders = false;
    if (lookup_query_init(&q, by, prefix, concert_id) != 0 ||
        (by_name && lookup_query_init(&holders, LOOKUP_BY_HOLDER, prefix, concert_id) != 0)) {
        handler_fail(out, 400, TOO_SHORT);
        goto done;
    }
    if (cursor) {
        int r = lookup_cursor_decode(cursor, &q, &start);
        if (r == -1 && by_name) /* a position among the ticket holders' matches? */
            in_holders = (r = lookup_cursor_decode(cursor, &holders, &start)) == 0;
        if (r == -2) {
            handler_fail_input(out, NO_MEMORY);
            goto done;
        }
        if (r != 0) {
            handler_fail(out, 400, BAD_CURSOR);
            goto done;
        }
    }
    if (!st) {
        handler_store_fail(out, st, STORE_UNAVAILABLE, FIND_FAILED);
        goto done;
    }
    store_status s = store_lookup_orders(st, &q, by_name ? &holders : NULL, in_holders, limit, start, &page);
    if (s != STORE_OK) {
        handler_store_fail(out, st, s, FIND_FAILED);
        goto done;
    }
    handler_answer_json(out, 200, page_json(&page));
done:
    lookup_page_clear(&page);
    cJSON_Delete(start);
    free(prefix);
}

void handler_ticket_by_code(store *st, const apigw_event *ev, handler_result *out)
{
    caller who;
    if (!handler_operator(ev, &who, out))
        return;
    char code[BO_CODE_BUF];
    if (bo_code_parse(apigw_path_param(ev, "code"), code) != 0) {
        handler_fail(out, 400, CODE_BAD);
        return;
    }
    if (!st) {
        handler_store_fail(out, st, STORE_UNAVAILABLE, CODE_FAILED);
        return;
    }
    checkin_ticket t;
    order o;
    concert c;
    store_status s = store_ticket_by_code(st, code, &t, &o, &c);
    if (s == STORE_NOT_FOUND) {
        handler_fail(out, 404, UNKNOWN_CODE);
        return;
    }
    if (s != STORE_OK) {
        handler_store_fail(out, st, s, CODE_FAILED);
        return;
    }
    cJSON *j = cJSON_CreateObject();
    cJSON *tj = handler_checkin_ticket_json(&t), *oj = handler_order_json(&o, false), *cj = handler_concert_json(&c);
    bool ok = j && tj && oj && cj && cJSON_AddItemToObject(j, "ticket", tj);
    if (ok)
        tj = NULL;
    ok = ok && cJSON_AddItemToObject(j, "order", oj);
    if (ok)
        oj = NULL;
    ok = ok && cJSON_AddItemToObject(j, "concert", cj);
    if (ok)
        cj = NULL;
    cJSON_Delete(tj);
    cJSON_Delete(oj);
    cJSON_Delete(cj);
    if (!ok) {
        cJSON_Delete(j);
        j = NULL;
    }
    handler_answer_json(out, 200, j);
    checkin_ticket_clear(&t);
    order_clear(&o);
    concert_clear(&c);
}
