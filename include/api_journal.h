#ifndef API_JOURNAL_H
#define API_JOURNAL_H
/* The journal (managers; a shift's owner for its own shift): GET /journal by day (and operator), by concert
 * or by shift, a page at a time with an opaque cursor, oldest first. Blocking calls on an api_client (api.h),
 * one thread at a time; no drawing. Every text of an entry is kept sanitised (safe to draw); the object as
 * received is kept in json (--json, and the exact texts a hash is computed over). On failure the page is
 * left empty and res says why (a 403 with the server's own message). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "api.h"
#include "client_model.h"

#define API_JOURNAL_LIMIT_MAX 100
#define API_JOURNAL_PAGE_MAX 1000 /* entries in one answer (more: API_ERR_PROTOCOL) */
#define API_JOURNAL_TEXT_MAX 256
#define API_JOURNAL_CURSOR_MAX 4096 /* bytes of the opaque cursor (docs/openapi.yaml: at most 4096) */

/* One entry (CONTRACT18's Entry). Absent / null members are "" (texts) or has_* false. */
typedef struct bo_journal_entry {
    char id[BO_ID_MAX + 1];
    char at[40];                     /* UTC ISO-8601 */
    char day[16];                    /* YYYY-MM-DD */
    char type[40];                   /* order.created, shift.closed, operator.role, ... */
    char operator_sub[BO_ID_MAX + 1];  /* "" for a public order (operator null: sold online) */
    char operator_name[API_JOURNAL_TEXT_MAX];
    char terminal[API_JOURNAL_TEXT_MAX];
    char shift_id[BO_ID_MAX + 1], concert_id[BO_ID_MAX + 1], order_id[BO_ID_MAX + 1];
    size_t n_tickets;                /* ticketIds given */
    char currency[4];
    bool has_amount;
    int64_t amount_cents;            /* exact, per currency */
    bool has_count;
    int64_t count;
    char detail[API_JOURNAL_TEXT_MAX];
    bool has_seq;
    int64_t seq;                     /* 1, 2, 3 ... within its shift */
    struct cJSON *json;              /* owned: the API's object as received */
} bo_journal_entry;
void bo_journal_entry_clear(bo_journal_entry *e);
/* Reads one API object: id, at and type required, operator null or with its sub; the rest when present and well formed
 * (an amount that is not a 2-decimal amount, a non-integer count or seq: -1). 0 or -1. */
int bo_journal_entry_from_json(const struct cJSON *obj, bo_journal_entry *out);

/* What to read: exactly one of day, concert_id, shift_id; operator_sub only with day. Strings borrowed;
 * NULL or "" = not given. */
typedef struct api_journal_query {
    const char *day;                 /* YYYY-MM-DD (UTC day) */
    const char *operator_sub;
    const char *concert_id;
    const char *shift_id;
    int limit;                       /* 1..API_JOURNAL_LIMIT_MAX, 0 = the server's default */
    const char *cursor;              /* NULL or "": the first page */
} api_journal_query;
/* NULL when q is a query the API takes, else the reason (nothing is sent then). */
const char *api_journal_query_check(const api_journal_query *q);

/* One page, oldest first. Owned by whoever holds it: api_journal_page_clear frees it. */
typedef struct api_journal_page {
    bo_journal_entry *entries;
    size_t n;
    char cursor[API_JOURNAL_CURSOR_MAX + 1]; /* "" = no more pages */
} api_journal_page;
void api_journal_page_clear(api_journal_page *p);

/* GET /journal?day=|operator=&day=|concert=|shift=[&limit=][&cursor=]. A bad query is API_ERR_INVALID
 * before anything is sent. */
api_status api_journal_get(api_client *c, const api_journal_query *q, api_journal_page *out, api_result *res);

#endif
