/* The journal's buckets against DynamoDB Local (issue 19 §B, store_journal.h): one day's entries written over
 * every bucket (explicit ones and journal_entry_init's random draw), several at the same instant, beside entries
 * written as before buckets (no bucket attribute) and entries of another day and another concert; GET /journal?day=
 * and ?concert= read them back through the handler in small pages: complete, in sk order, no entry twice across
 * pages, the concert id as written (its bucket suffix dropped, a '#' of its own kept), the last page without a
 * cursor; a cursor in the shape of the LastEvaluatedKey of before buckets goes on where it was; a made-up or
 * another key's cursor is a 400. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bo_base64.h"
#include "ddb.h"
#include "ddb_attr.h"
#include "ddb_tables.h"
#include "handler_call.h"
#include "handlers.h"
#include "layout.h"
#include "store.h"
#include "store_journal.h"

#define DAY "2026-11-30"
#define NEXT_DAY "2026-12-01"
#define CONCERT "c-journal"
#define OTHER "c-other#x" /* an id of others may hold a '#' */
#define NEW 64            /* entries written with buckets */
#define OLD 5             /* entries written as before buckets */

static char concerts_table[128], tickets_table[128];
static ddb_client *raw;
static store *st;

typedef struct want {
    char sk[80], id[37], concert[64];
} want;
static want day_want[NEW + OLD], concert_want[NEW + OLD + 1];
static int n_day, n_concert;

static int cmp_want(const void *a, const void *b)
{
    return strcmp(((const want *)a)->sk, ((const want *)b)->sk);
}

static void remember(want *w, int *n, const char *at, const char *id, const char *cid)
{
    snprintf(w[*n].sk, sizeof w[*n].sk, "%s#%s", at, id);
    snprintf(w[*n].id, sizeof w[*n].id, "%s", id);
    snprintf(w[*n].concert, sizeof w[*n].concert, "%s", cid ? cid : "");
    (*n)++;
}

static void transact(cJSON *items)
{
    cJSON *req = cJSON_CreateObject(), *resp = NULL;
    assert_non_null(req);
    cJSON_AddItemToObject(req, "TransactItems", items);
    ddb_error err;
    if (ddb_call(raw, "TransactWriteItems", req, &resp, &err) != DDB_OK)
        fail_msg("TransactWriteItems: %s %s", err.type, err.message);
    cJSON_Delete(req);
    cJSON_Delete(resp);
}

/* An entry as the store wrote it before buckets: day and concertId as they are, no bucket. */
static void put_old(const char *at, const char *id, const char *cid)
{
    char body[1024];
    snprintf(body, sizeof body,
             "{\"TableName\":\"%s\",\"Item\":{\"day\":{\"S\":\"%.10s\"},\"sk\":{\"S\":\"%s#%s\"},\"id\":{\"S\":\"%s\"},"
             "\"at\":{\"S\":\"%s\"},\"type\":{\"S\":\"checkin\"},\"detail\":{\"S\":\"old\"},"
             "\"operatorSub\":{\"S\":\"sub-mia\"},\"operatorName\":{\"S\":\"Mia\"},\"concertId\":{\"S\":\"%s\"}}}",
             ddb_test_table_of(STORE_T_JOURNAL), at, at, id, id, at, cid);
    cJSON *req = cJSON_Parse(body), *resp = NULL;
    assert_non_null(req);
    ddb_error err;
    if (ddb_call(raw, "PutItem", req, &resp, &err) != DDB_OK)
        fail_msg("PutItem: %s", err.message);
    cJSON_Delete(req);
    cJSON_Delete(resp);
}

static int setup(void **state)
{
    (void)state;
    if (ddb_test_tables_create(&raw, "it-journal", concerts_table, tickets_table, sizeof concerts_table))
        return -1;
    st = ddb_test_store_open(concerts_table, tickets_table);
    return st ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    store_close(st);
    return ddb_test_tables_drop(raw, concerts_table, tickets_table);
}

/* Writes the entries (once for both tests) and the expected orders. */
static void write_entries(void)
{
    static bool written;
    if (written)
        return;
    written = true;
    journal_who who = { "sub-mia", "Mia" };
    cJSON *items = cJSON_CreateArray();
    int in_batch = 0;
    bool seen[LAYOUT_JOURNAL_BUCKETS] = { false };
    for (int i = 0; i < NEW; i++) {
        char at[32];
        snprintf(at, sizeof at, DAY "T09:%02u:00.000Z", (unsigned)(i / 3) % 60); /* three at each instant */
        journal_entry e;
        journal_entry_init(&e, "checkin", &who, at);
        if (i < 48) /* every bucket, in a scattered order; the rest as drawn */
            e.bucket = (i * 7) % LAYOUT_JOURNAL_BUCKETS;
        seen[e.bucket] = true;
        e.concert_id = i % 2 == 0 ? CONCERT : i % 4 == 1 ? OTHER : NULL;
        e.detail = "new";
        assert_true(store_journal_put(st, items, &e));
        remember(day_want, &n_day, at, e.id, e.concert_id);
        if (i % 2 == 0)
            remember(concert_want, &n_concert, at, e.id, CONCERT);
        if (++in_batch == 25) {
            transact(items);
            items = cJSON_CreateArray();
            in_batch = 0;
        }
    }
    /* the concert's entry of the next day, in bucket 3: in the concert's journal, not in this day's */
    journal_entry e;
    journal_entry_init(&e, "checkin", &who, NEXT_DAY "T00:00:01.000Z");
    e.bucket = 3;
    e.concert_id = CONCERT;
    assert_true(store_journal_put(st, items, &e));
    remember(concert_want, &n_concert, e.at, e.id, CONCERT);
    transact(items);
    for (int b = 0; b < LAYOUT_JOURNAL_BUCKETS; b++)
        assert_true(seen[b]);
    /* as before buckets: bucket 0's partition, the same instants as new ones */
    for (int i = 0; i < OLD; i++) {
        char at[32], id[37];
        snprintf(at, sizeof at, DAY "T09:%02u:00.000Z", (unsigned)(i * 4) % 60);
        snprintf(id, sizeof id, "00000000-0000-4000-8000-00000000000%u", (unsigned)i % 10);
        put_old(at, id, CONCERT);
        remember(day_want, &n_day, at, id, CONCERT);
        remember(concert_want, &n_concert, at, id, CONCERT);
    }
    qsort(day_want, (size_t)n_day, sizeof *day_want, cmp_want);
    qsort(concert_want, (size_t)n_concert, sizeof *concert_want, cmp_want);
}

static const char *jstr(const cJSON *o, const char *k)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(it) ? it->valuestring : NULL;
}

static handler_answer get_journal(const char *by, const char *key, int limit, const char *cursor)
{
    char query[1024];
    snprintf(query, sizeof query, "{\"%s\":\"%s\",\"limit\":\"%d\"%s%s%s}", by, key, limit,
             cursor ? ",\"cursor\":\"" : "", cursor ? cursor : "", cursor ? "\"" : "");
    handler_req q = { .query = query, .sub = "sub-mia", .groups = "manager", .name = "Mia" };
    return handler_call_on(st, handler_get_journal, &q);
}

/* Pages of limit from cursor (NULL: the start) until the end: every entry matches w[from..n) in order. */
static void read_all(const char *by, const char *key, int limit, const char *cursor, const want *w, int from, int n)
{
    int got = from, pages = 0;
    char *cur = cursor ? strdup(cursor) : NULL;
    for (;;) {
        handler_answer a = get_journal(by, key, limit, cur);
        if (a.status != 200)
            fail_msg("GET /journal?%s=%s: %d %s", by, key, a.status, a.text ? a.text : "");
        const cJSON *es = cJSON_GetObjectItem(a.body, "entries"), *e;
        assert_true(cJSON_GetArraySize(es) <= limit);
        cJSON_ArrayForEach(e, es) {
            if (got >= n)
                fail_msg("%s=%s: more entries than written (%s)", by, key, jstr(e, "id"));
            char sk[80];
            snprintf(sk, sizeof sk, "%s#%s", jstr(e, "at"), jstr(e, "id"));
            if (strcmp(sk, w[got].sk) != 0)
                fail_msg("%s=%s: entry %d is %s, expected %s", by, key, got, sk, w[got].sk);
            const char *cid = jstr(e, "concertId");
            assert_string_equal(cid ? cid : "", w[got].concert);
            assert_string_equal(jstr(e, "day"), strncmp(w[got].sk, DAY, 10) == 0 ? DAY : NEXT_DAY);
            got++;
        }
        free(cur);
        cur = jstr(a.body, "cursor") ? strdup(jstr(a.body, "cursor")) : NULL;
        pages++;
        handler_answer_clear(&a);
        if (!cur)
            break;
        if (pages > n + 2)
            fail_msg("%s=%s: paging does not end", by, key);
    }
    assert_int_equal(got, n); /* complete, none twice */
}

static char *old_cursor(const char *json)
{
    return bo_base64_encode(json, strlen(json));
}

static void a_day_over_buckets(void **state)
{
    (void)state;
    write_entries();
    assert_int_equal(n_day, NEW + OLD);
    read_all("day", DAY, 10, NULL, day_want, 0, n_day);
    read_all("day", DAY, 100, NULL, day_want, 0, n_day); /* one page */
    /* the cursor of before buckets (the table's LastEvaluatedKey {day, sk}) goes on after its sk */
    char json[256];
    snprintf(json, sizeof json, "{\"day\":{\"S\":\"" DAY "\"},\"sk\":{\"S\":\"%s\"}}", day_want[9].sk);
    char *c = old_cursor(json);
    read_all("day", DAY, 11, c, day_want, 10, n_day);
    free(c);
    /* pages of one to the end (a page is J queries: from near the end, to keep the suite quick) */
    snprintf(json, sizeof json, "{\"day\":{\"S\":\"" DAY "\"},\"sk\":{\"S\":\"%s\"}}", day_want[n_day - 6].sk);
    c = old_cursor(json);
    read_all("day", DAY, 1, c, day_want, n_day - 5, n_day);
    free(c);
    /* another day's cursor, or none of ours: 400 */
    snprintf(json, sizeof json, "{\"day\":{\"S\":\"" NEXT_DAY "\"},\"sk\":{\"S\":\"%s\"}}", day_want[9].sk);
    c = old_cursor(json);
    handler_answer a = get_journal("day", DAY, 5, c);
    assert_int_equal(a.status, 400);
    assert_string_equal(jstr(a.body, "error"), "Bad cursor");
    handler_answer_clear(&a);
    free(c);
    a = get_journal("day", DAY, 5, "bm90LWEta2V5");
    assert_int_equal(a.status, 400);
    handler_answer_clear(&a);
    /* the next day holds only the concert's one entry */
    want next[1];
    int nn = 0;
    for (int i = 0; i < n_concert; i++)
        if (strncmp(concert_want[i].sk, NEXT_DAY, 10) == 0)
            next[nn++] = concert_want[i];
    assert_int_equal(nn, 1);
    read_all("day", NEXT_DAY, 5, NULL, next, 0, 1);
}

static void a_concert_over_buckets(void **state)
{
    (void)state;
    write_entries();
    assert_int_equal(n_concert, NEW / 2 + 1 + OLD);
    read_all("concert", CONCERT, 8, NULL, concert_want, 0, n_concert);
    read_all("concert", CONCERT, 100, NULL, concert_want, 0, n_concert);
    /* byConcert's LastEvaluatedKey of before buckets: {concertId, day, sk} */
    char json[512];
    snprintf(json, sizeof json,
             "{\"concertId\":{\"S\":\"" CONCERT "\"},\"day\":{\"S\":\"" DAY "\"},\"sk\":{\"S\":\"%s\"}}", concert_want[3].sk);
    char *c = old_cursor(json);
    read_all("concert", CONCERT, 6, c, concert_want, 4, n_concert);
    free(c);
    /* another concert's cursor: 400 */
    snprintf(json, sizeof json, "{\"concertId\":{\"S\":\"c-else\"},\"sk\":{\"S\":\"%s\"}}", concert_want[3].sk);
    c = old_cursor(json);
    handler_answer a = get_journal("concert", CONCERT, 5, c);
    assert_int_equal(a.status, 400);
    handler_answer_clear(&a);
    free(c);
    /* the other concert (its id holds a '#'): its 16 entries, its id as written */
    want other[NEW];
    int no = 0;
    for (int i = 0; i < n_day; i++)
        if (strcmp(day_want[i].concert, OTHER) == 0)
            other[no++] = day_want[i];
    assert_int_equal(no, NEW / 4);
    read_all("concert", OTHER, 4, NULL, other, 0, no);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_day_over_buckets),
        cmocka_unit_test(a_concert_over_buckets),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
