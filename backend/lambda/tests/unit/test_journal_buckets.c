/* The journal's buckets (issue 19, store_journal.h) against a scripted DynamoDB: the entry's item (day and
 * concertId bucketed, bucket N only when > 0, the hash line unchanged), the bucket drawn at random over all J,
 * and the readers by day and by concert: one Query per bucket (table, ConsistentRead; or byConcert), merged by
 * sk (equal prefixes ordered by id), the first limit returned with the last sk as the cursor, a page going on
 * after the cursor's sk in every bucket, the last page without a cursor, a bucket cut short (1 MB) read on or
 * bounding the page, cursors from before buckets accepted, others refused before any request, and the suffix
 * stripped exactly when bucket says so. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bo_base64.h"
#include "bo_journal_hash.h"
#include "ddb_fake.h"
#include "layout.h"
#include "store.h"
#include "store_journal.h"

#define DAY "2026-12-07"
#define J LAYOUT_JOURNAL_BUCKETS
#define EMPTY "{\"Items\":[],\"Count\":0}"

typedef struct fixture {
    ddb_fake *fake;
    store *s;
} fixture;

static fixture start(const ddb_fake_reply *replies, size_t n)
{
    fixture fx;
    fx.fake = ddb_fake_start(replies, n);
    assert_non_null(fx.fake);
    ddb_fake_use_env(fx.fake);
    setenv(store_table_env(STORE_T_JOURNAL), "journal-test", 1);
    char why[256];
    fx.s = store_open_tables(STORE_NEED_JOURNAL, why, sizeof why);
    if (!fx.s)
        fail_msg("store_open_tables: %s", why);
    return fx;
}

/* store_journal_page, failing with the store's last error when it does not answer want. */
static void page(fixture *fx, journal_by by, const char *key, int limit, const char *cursor, journal_page *p,
                 store_status want)
{
    store_status got = store_journal_page(fx->s, by, key, NULL, limit, cursor, p);
    if (got != want)
        fail_msg("store_journal_page: %d (%s), expected %d", got, store_last_error(fx->s), want);
}

static void stop(fixture *fx)
{
    store_close(fx->s);
    ddb_fake_stop(fx->fake);
}

static const cJSON *at_path(const cJSON *j, const char *path)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", path);
    const cJSON *cur = j;
    char *save = NULL;
    for (char *part = strtok_r(buf, ".", &save); part && cur; part = strtok_r(NULL, ".", &save))
        cur = part[0] >= '0' && part[0] <= '9' ? cJSON_GetArrayItem(cur, atoi(part))
                                               : cJSON_GetObjectItemCaseSensitive(cur, part);
    return cur;
}

static const char *str_at(const cJSON *j, const char *path)
{
    const cJSON *v = at_path(j, path);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static cJSON *body_of(fixture *fx, size_t i)
{
    const ddb_fake_request *r = ddb_fake_request_at(fx->fake, i);
    assert_non_null(r);
    cJSON *j = cJSON_ParseWithLength(r->body, r->body_len);
    assert_non_null(j);
    return j;
}

/* An entry as stored: its day attribute (bucketed or not), sk = at "#" id, optional concertId and bucket. */
static char *item(const char *day, const char *at, const char *id, const char *cid, const char *bucket)
{
    char *t = malloc(1024);
    assert_non_null(t);
    snprintf(t, 1024,
             "{\"day\":{\"S\":\"%s\"},\"sk\":{\"S\":\"%s#%s\"},\"id\":{\"S\":\"%s\"},\"at\":{\"S\":\"%s\"},"
             "\"type\":{\"S\":\"checkin\"},\"detail\":{\"S\":\"\"}%s%s%s%s%s%s}",
             day, at, id, id, at, cid ? ",\"concertId\":{\"S\":\"" : "", cid ? cid : "",
             cid ? "\"}" : "", bucket ? ",\"bucket\":{\"N\":\"" : "", bucket ? bucket : "", bucket ? "\"}" : "");
    return t;
}

/* A Query answer of items (NULL-terminated, freed here), with a LastEvaluatedKey {day, sk} when lek_sk. */
static char *answer(const char *lek_day, const char *lek_sk, ...)
{
    char *t = malloc(16384);
    assert_non_null(t);
    size_t w = (size_t)snprintf(t, 16384, "{\"Items\":[");
    va_list ap;
    va_start(ap, lek_sk);
    int n = 0;
    for (char *it = va_arg(ap, char *); it; it = va_arg(ap, char *), n++) {
        w += (size_t)snprintf(t + w, 16384 - w, "%s%s", n ? "," : "", it);
        free(it);
    }
    va_end(ap);
    w += (size_t)snprintf(t + w, 16384 - w, "],\"Count\":%d", n);
    if (lek_sk)
        w += (size_t)snprintf(t + w, 16384 - w, ",\"LastEvaluatedKey\":{\"day\":{\"S\":\"%s\"},\"sk\":{\"S\":\"%s\"}}",
                              lek_day, lek_sk);
    snprintf(t + w, 16384 - w, "}");
    return t;
}

/* Replies: bodies[0..n) then EMPTY (the fake repeats the last). The bodies are freed by free_replies. */
static ddb_fake_reply *replies_of(char **bodies, size_t n, size_t *total)
{
    ddb_fake_reply *r = calloc(n + 1, sizeof *r);
    assert_non_null(r);
    for (size_t i = 0; i < n; i++)
        r[i] = (ddb_fake_reply){ 200, bodies[i] ? bodies[i] : EMPTY, 0, 0, NULL };
    r[n] = (ddb_fake_reply){ 200, EMPTY, 0, 0, NULL };
    *total = n + 1;
    return r;
}

static void free_replies(ddb_fake_reply *r, char **bodies, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(bodies[i]);
    free(r);
}

static char *cursor_text(const char *json)
{
    return bo_base64_encode(json, strlen(json));
}

/* The cursor's decoded JSON, as a new object. */
static cJSON *cursor_json(const char *cursor)
{
    size_t len;
    bool big;
    char *text = bo_base64_decode(cursor, strlen(cursor), 4096, &len, &big);
    assert_non_null(text);
    cJSON *j = cJSON_ParseWithLength(text, len);
    free(text);
    assert_non_null(j);
    return j;
}

/* ---- writing ---------------------------------------------------------------------------------------- */

static void put_is_bucketed(void **state)
{
    (void)state;
    const ddb_fake_reply none[] = { { 200, "{}", 0, 0, NULL } };
    fixture fx = start(none, 1);
    journal_who who = { "sub-1", "Ana" };
    journal_entry e;
    journal_entry_init(&e, "checkin", &who, DAY "T10:00:00.000Z");
    e.concert_id = "c-1#x"; /* an id of others may hold a '#' */
    bo_jfields f0, f5;
    char a0[BO_MONEY_BUF + 1], a5[BO_MONEY_BUF + 1], h0[BO_JHASH_HEX], h5[BO_JHASH_HEX];
    char zero[BO_JHASH_HEX];
    memset(zero, '0', BO_JHASH_HEX - 1);
    zero[BO_JHASH_HEX - 1] = '\0';

    e.bucket = 0;
    cJSON *items = cJSON_CreateArray();
    assert_true(store_journal_put(fx.s, items, &e));
    journal_entry_fields(&e, &f0, a0);
    assert_int_equal(bo_jhash_step(zero, &f0, h0), 0);
    assert_string_equal(str_at(items, "0.Put.TableName"), "journal-test");
    assert_string_equal(str_at(items, "0.Put.Item.day.S"), DAY);
    assert_string_equal(str_at(items, "0.Put.Item.concertId.S"), "c-1#x");
    assert_null(at_path(items, "0.Put.Item.bucket"));
    char sk[80];
    snprintf(sk, sizeof sk, DAY "T10:00:00.000Z#%s", e.id);
    assert_string_equal(str_at(items, "0.Put.Item.sk.S"), sk);

    e.bucket = 5;
    assert_true(store_journal_put(fx.s, items, &e));
    assert_string_equal(str_at(items, "1.Put.Item.day.S"), DAY "#5");
    assert_string_equal(str_at(items, "1.Put.Item.concertId.S"), "c-1#x#5");
    assert_string_equal(str_at(items, "1.Put.Item.bucket.N"), "5");
    assert_string_equal(str_at(items, "1.Put.Item.sk.S"), sk); /* sk, byShift's and byOperator's keys: as before */
    assert_string_equal(str_at(items, "1.Put.Item.operatorSub.S"), "sub-1");
    /* the shift's hash line is the entry's, not the item's: the same in every bucket */
    journal_entry_fields(&e, &f5, a5);
    assert_string_equal(f5.concert_id, "c-1#x");
    assert_int_equal(bo_jhash_step(zero, &f5, h5), 0);
    assert_string_equal(h0, h5);

    e.concert_id = NULL; /* an entry of no concert: only the day is bucketed */
    e.bucket = J - 1;
    assert_true(store_journal_put(fx.s, items, &e));
    char want[32];
    snprintf(want, sizeof want, DAY "#%d", J - 1);
    assert_string_equal(str_at(items, "2.Put.Item.day.S"), want);
    assert_null(at_path(items, "2.Put.Item.concertId"));

    e.bucket = J; /* out of range: refused, nothing half-built sent */
    cJSON *other = cJSON_CreateArray();
    assert_false(store_journal_put(fx.s, other, &e));
    e.bucket = -1;
    assert_false(store_journal_put(fx.s, other, &e));
    assert_int_equal(cJSON_GetArraySize(other), 0);
    cJSON_Delete(other);
    cJSON_Delete(items);
    assert_int_equal(ddb_fake_count(fx.fake), 0);
    stop(&fx);
}

static void buckets_are_drawn_over_all(void **state)
{
    (void)state;
    int seen[J] = { 0 };
    for (int i = 0; i < 4000; i++) {
        journal_entry e;
        journal_entry_init(&e, "checkin", NULL, NULL);
        assert_in_range(e.bucket, 0, J - 1);
        seen[e.bucket]++;
    }
    for (int b = 0; b < J; b++) /* 250 expected each; fewer than 150 is a broken draw (p < 1e-10) */
        if (seen[b] < 150)
            fail_msg("bucket %d drawn %d times of 4000", b, seen[b]);
}

/* ---- reading by day ----------------------------------------------------------------------------------- */

#define T(s) DAY "T10:00:" s ".000Z"

static void day_page_merges_buckets(void **state)
{
    (void)state;
    char *b[J] = { 0 };
    b[0] = answer(DAY, T("07") "#e6", item(DAY, T("01"), "e0", "x#y", NULL), item(DAY, T("04"), "e3", NULL, NULL),
                  item(DAY, T("07"), "e6", NULL, NULL), NULL);
    b[1] = answer(NULL, NULL, item(DAY "#1", T("02"), "e1", "c#1", "1"), item(DAY "#1", T("05"), "e4", NULL, "1"), NULL);
    b[3] = answer(NULL, NULL, item(DAY "#3", T("03"), "ff", NULL, "3"), NULL);
    b[5] = answer(NULL, NULL, item(DAY "#5", T("03"), "aa", "c-9#5", "5"), NULL); /* the same at as bucket 3's */
    size_t n;
    ddb_fake_reply *r = replies_of(b, J, &n);
    fixture fx = start(r, n);
    journal_page p;
    page(&fx, JOURNAL_BY_DAY, DAY, 3, NULL, &p, STORE_OK);
    assert_int_equal(p.n, 3);
    assert_string_equal(p.rows[0].id, "e0");
    assert_string_equal(p.rows[0].concert_id, "x#y"); /* no bucket: kept as stored, '#' and all */
    assert_string_equal(p.rows[1].id, "e1");
    assert_string_equal(p.rows[1].concert_id, "c"); /* bucket 1: "#1" dropped */
    assert_string_equal(p.rows[2].id, "aa");        /* equal at: ordered by id */
    assert_string_equal(p.rows[2].concert_id, "c-9");
    assert_non_null(p.cursor);
    cJSON *c = cursor_json(p.cursor);
    assert_string_equal(str_at(c, "day.S"), DAY);
    assert_string_equal(str_at(c, "sk.S"), T("03") "#aa");
    assert_int_equal(cJSON_GetArraySize(c), 2);
    cJSON_Delete(c);
    journal_page_clear(&p);

    /* one Query per bucket, on the table, strongly consistent, limit each */
    assert_int_equal(ddb_fake_count(fx.fake), J);
    for (int i = 0; i < J; i++) {
        assert_string_equal(ddb_fake_header(ddb_fake_request_at(fx.fake, (size_t)i), "X-Amz-Target"),
                            "DynamoDB_20120810.Query");
        cJSON *q = body_of(&fx, (size_t)i);
        char want[32];
        if (i == 0)
            snprintf(want, sizeof want, DAY);
        else
            snprintf(want, sizeof want, DAY "#%d", i);
        assert_string_equal(str_at(q, "TableName"), "journal-test");
        assert_null(at_path(q, "IndexName"));
        assert_true(cJSON_IsTrue(at_path(q, "ConsistentRead")));
        assert_string_equal(str_at(q, "KeyConditionExpression"), "#k = :k");
        assert_string_equal(str_at(q, "ExpressionAttributeNames.#k"), "day");
        assert_string_equal(str_at(q, "ExpressionAttributeValues.:k.S"), want);
        assert_int_equal(at_path(q, "Limit")->valueint, 3);
        assert_true(cJSON_IsTrue(at_path(q, "ScanIndexForward")));
        assert_null(at_path(q, "ExclusiveStartKey"));
        cJSON_Delete(q);
    }
    stop(&fx);
    free_replies(r, b, J);
}

static void day_page_goes_on_after_the_cursor(void **state)
{
    (void)state;
    /* what the buckets hold after 03#aa: 03#ff (3), 04 (0), 05 (1), 07 (0): the last page, exactly 4 */
    char *b[J] = { 0 };
    b[0] = answer(NULL, NULL, item(DAY, T("04"), "e3", NULL, NULL), item(DAY, T("07"), "e6", NULL, NULL), NULL);
    b[1] = answer(NULL, NULL, item(DAY "#1", T("05"), "e4", NULL, "1"), NULL);
    b[3] = answer(NULL, NULL, item(DAY "#3", T("03"), "ff", NULL, "3"), NULL);
    size_t n;
    ddb_fake_reply *r = replies_of(b, J, &n);
    fixture fx = start(r, n);
    char *cur = cursor_text("{\"day\":{\"S\":\"" DAY "\"},\"sk\":{\"S\":\"" T("03") "#aa\"}}");
    journal_page p;
    page(&fx, JOURNAL_BY_DAY, DAY, 4, cur, &p, STORE_OK);
    assert_int_equal(p.n, 4);
    const char *want[] = { "ff", "e3", "e4", "e6" };
    for (int i = 0; i < 4; i++)
        assert_string_equal(p.rows[i].id, want[i]);
    assert_null(p.cursor); /* no bucket has more, nothing left over: the last page */
    journal_page_clear(&p);
    for (int i = 0; i < J; i++) {
        cJSON *q = body_of(&fx, (size_t)i);
        assert_string_equal(str_at(q, "KeyConditionExpression"), "#k = :k AND #s > :a");
        assert_string_equal(str_at(q, "ExpressionAttributeNames.#s"), "sk");
        assert_string_equal(str_at(q, "ExpressionAttributeValues.:a.S"), T("03") "#aa");
        assert_null(at_path(q, "ExclusiveStartKey"));
        cJSON_Delete(q);
    }
    free(cur);
    stop(&fx);
    free_replies(r, b, J);
}

static void one_more_than_the_page_gives_a_cursor(void **state)
{
    (void)state;
    char *b[J] = { 0 };
    b[2] = answer(NULL, NULL, item(DAY "#2", T("01"), "a", NULL, "2"), item(DAY "#2", T("03"), "c", NULL, "2"), NULL);
    b[9] = answer(NULL, NULL, item(DAY "#9", T("02"), "b", NULL, "9"), NULL);
    size_t n;
    ddb_fake_reply *r = replies_of(b, J, &n);
    fixture fx = start(r, n);
    journal_page p;
    page(&fx, JOURNAL_BY_DAY, DAY, 2, NULL, &p, STORE_OK);
    assert_int_equal(p.n, 2);
    assert_string_equal(p.rows[0].id, "a");
    assert_string_equal(p.rows[1].id, "b");
    assert_non_null(p.cursor); /* "c" is left over, although no bucket said LastEvaluatedKey */
    cJSON *c = cursor_json(p.cursor);
    assert_string_equal(str_at(c, "sk.S"), T("02") "#b");
    cJSON_Delete(c);
    journal_page_clear(&p);
    stop(&fx);
    free_replies(r, b, J);
}

static void an_empty_day(void **state)
{
    (void)state;
    const ddb_fake_reply r[] = { { 200, EMPTY, 0, 0, NULL } };
    fixture fx = start(r, 1);
    journal_page p;
    page(&fx, JOURNAL_BY_DAY, DAY, 50, NULL, &p, STORE_OK);
    assert_int_equal(p.n, 0);
    assert_null(p.cursor);
    journal_page_clear(&p);
    assert_int_equal(ddb_fake_count(fx.fake), J);
    stop(&fx);
}

/* A bucket's answer cut short (DynamoDB's 1 MB) is read on from its LastEvaluatedKey. */
static void a_cut_bucket_is_read_on(void **state)
{
    (void)state;
    char *b[J + 1] = { 0 };
    b[0] = answer(DAY, T("01") "#x1", item(DAY, T("01"), "x1", NULL, NULL), NULL);
    b[1] = answer(NULL, NULL, item(DAY, T("04"), "x4", NULL, NULL), NULL); /* bucket 0 again */
    b[2] = answer(NULL, NULL, item(DAY "#1", T("02"), "x2", NULL, "1"), item(DAY "#1", T("03"), "x3", NULL, "1"),
                  item(DAY "#1", T("05"), "x5", NULL, "1"), NULL);
    size_t n;
    ddb_fake_reply *r = replies_of(b, J + 1, &n);
    fixture fx = start(r, n);
    journal_page p;
    page(&fx, JOURNAL_BY_DAY, DAY, 3, NULL, &p, STORE_OK);
    assert_int_equal(p.n, 3);
    assert_string_equal(p.rows[0].id, "x1");
    assert_string_equal(p.rows[1].id, "x2");
    assert_string_equal(p.rows[2].id, "x3");
    cJSON *c = cursor_json(p.cursor);
    assert_string_equal(str_at(c, "sk.S"), T("03") "#x3");
    cJSON_Delete(c);
    journal_page_clear(&p);
    cJSON *q = body_of(&fx, 1);
    assert_string_equal(str_at(q, "ExpressionAttributeValues.:k.S"), DAY);
    assert_string_equal(str_at(q, "ExclusiveStartKey.sk.S"), T("01") "#x1");
    assert_int_equal(at_path(q, "Limit")->valueint, 2);
    cJSON_Delete(q);
    stop(&fx);
    free_replies(r, b, J + 1);
}

/* A bucket still cut short after its pages bounds the page at its last key: nothing of it is skipped. */
static void a_bucket_cut_for_good_bounds_the_page(void **state)
{
    (void)state;
    enum { PAGES = 10 };
    char *b[PAGES + 1] = { 0 };
    for (int i = 0; i < PAGES; i++)
        b[i] = answer(DAY, T("02") "#m", NULL);
    b[PAGES] = answer(NULL, NULL, item(DAY "#1", T("01"), "a", NULL, "1"), item(DAY "#1", T("03"), "z", NULL, "1"), NULL);
    size_t n;
    ddb_fake_reply *r = replies_of(b, PAGES + 1, &n);
    fixture fx = start(r, n);
    journal_page p;
    page(&fx, JOURNAL_BY_DAY, DAY, 5, NULL, &p, STORE_OK);
    assert_int_equal(p.n, 1);
    assert_string_equal(p.rows[0].id, "a");
    cJSON *c = cursor_json(p.cursor);
    assert_string_equal(str_at(c, "sk.S"), T("01") "#a");
    cJSON_Delete(c);
    journal_page_clear(&p);
    stop(&fx);
    free_replies(r, b, PAGES + 1);
}

/* ---- reading by concert ------------------------------------------------------------------------------- */

static void concert_page_merges_the_index(void **state)
{
    (void)state;
    char *b[J] = { 0 };
    b[0] = answer(NULL, NULL, item(DAY, T("01"), "old", "c-1", NULL), NULL); /* written before buckets */
    b[7] = answer(NULL, NULL, item(DAY "#7", T("02"), "new", "c-1#7", "7"), NULL);
    b[8] = answer(NULL, NULL, item(DAY "#8", T("03"), "bad", "c-1", "8"), /* bucket 8 without "#8": malformed */
                  item(DAY "#8", T("04"), "odd", "c-1#8", "99"), NULL);       /* no such bucket: malformed */
    size_t n;
    ddb_fake_reply *r = replies_of(b, J, &n);
    fixture fx = start(r, n);
    journal_page p;
    page(&fx, JOURNAL_BY_CONCERT, "c-1", 50, NULL, &p, STORE_OK);
    assert_int_equal(p.n, 2);
    assert_string_equal(p.rows[0].id, "old");
    assert_string_equal(p.rows[0].concert_id, "c-1");
    assert_string_equal(p.rows[1].id, "new");
    assert_string_equal(p.rows[1].concert_id, "c-1");
    assert_null(p.cursor);
    journal_page_clear(&p);
    for (int i = 0; i < J; i++) {
        cJSON *q = body_of(&fx, (size_t)i);
        char want[32];
        if (i == 0)
            snprintf(want, sizeof want, "c-1");
        else
            snprintf(want, sizeof want, "c-1#%d", i);
        assert_string_equal(str_at(q, "IndexName"), "byConcert");
        assert_null(at_path(q, "ConsistentRead")); /* not on a global secondary index */
        assert_string_equal(str_at(q, "ExpressionAttributeNames.#k"), "concertId");
        assert_string_equal(str_at(q, "ExpressionAttributeValues.:k.S"), want);
        cJSON_Delete(q);
    }
    stop(&fx);
    free_replies(r, b, J);
}

/* ---- cursors ------------------------------------------------------------------------------------------ */

static void expect_cursor(journal_by by, const char *key, const char *json, store_status want)
{
    const ddb_fake_reply r[] = { { 200, EMPTY, 0, 0, NULL } };
    fixture fx = start(r, 1);
    char *cur = json ? cursor_text(json) : strdup("bm90LWEta2V5"); /* "not-a-key" */
    journal_page p;
    store_status got = store_journal_page(fx.s, by, key, NULL, 10, cur, &p);
    if (got != want)
        fail_msg("cursor %s for %s: %d, expected %d", json ? json : cur, key, got, want);
    journal_page_clear(&p);
    /* a refused cursor is refused before any request */
    assert_int_equal(ddb_fake_count(fx.fake), want == STORE_OK ? J : 0);
    free(cur);
    stop(&fx);
}

static void cursors_old_and_refused(void **state)
{
    (void)state;
    /* from before buckets: the table's LastEvaluatedKey for a day, byConcert's for a concert */
    expect_cursor(JOURNAL_BY_DAY, DAY, "{\"day\":{\"S\":\"" DAY "\"},\"sk\":{\"S\":\"" T("03") "#a\"}}", STORE_OK);
    expect_cursor(JOURNAL_BY_CONCERT, "c-1",
                  "{\"concertId\":{\"S\":\"c-1\"},\"day\":{\"S\":\"" DAY "\"},\"sk\":{\"S\":\"" T("03") "#a\"}}", STORE_OK);
    expect_cursor(JOURNAL_BY_CONCERT, "c-1", "{\"concertId\":{\"S\":\"c-1\"},\"sk\":{\"S\":\"" T("03") "#a\"}}",
                  STORE_OK);
    /* refused: not base64 JSON, another day, another concert, another query's, a bucket's key, no sk, extras */
    expect_cursor(JOURNAL_BY_DAY, DAY, NULL, STORE_NOT_FOUND);
    expect_cursor(JOURNAL_BY_DAY, DAY, "{\"day\":{\"S\":\"2026-12-08\"},\"sk\":{\"S\":\"x\"}}", STORE_NOT_FOUND);
    expect_cursor(JOURNAL_BY_DAY, DAY, "{\"day\":{\"S\":\"" DAY "#3\"},\"sk\":{\"S\":\"x\"}}", STORE_NOT_FOUND);
    expect_cursor(JOURNAL_BY_DAY, DAY, "{\"day\":{\"S\":\"" DAY "\"}}", STORE_NOT_FOUND);
    expect_cursor(JOURNAL_BY_DAY, DAY, "{\"day\":{\"S\":\"" DAY "\"},\"sk\":{\"S\":\"\"}}", STORE_NOT_FOUND);
    expect_cursor(JOURNAL_BY_DAY, DAY,
                  "{\"concertId\":{\"S\":\"c-1\"},\"day\":{\"S\":\"" DAY "\"},\"sk\":{\"S\":\"x\"}}", STORE_NOT_FOUND);
    expect_cursor(JOURNAL_BY_CONCERT, "c-2", "{\"concertId\":{\"S\":\"c-1\"},\"sk\":{\"S\":\"x\"}}", STORE_NOT_FOUND);
    expect_cursor(JOURNAL_BY_CONCERT, "c-1", "{\"day\":{\"S\":\"" DAY "\"},\"sk\":{\"S\":\"x\"}}", STORE_NOT_FOUND);
    expect_cursor(JOURNAL_BY_CONCERT, "c-1",
                  "{\"concertId\":{\"S\":\"c-1\"},\"sk\":{\"S\":\"x\"},\"shiftId\":{\"S\":\"s\"}}", STORE_NOT_FOUND);
    expect_cursor(JOURNAL_BY_CONCERT, "c-1", "{\"concertId\":{\"N\":\"1\"},\"sk\":{\"S\":\"x\"}}", STORE_NOT_FOUND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(put_is_bucketed),
        cmocka_unit_test(buckets_are_drawn_over_all),
        cmocka_unit_test(day_page_merges_buckets),
        cmocka_unit_test(day_page_goes_on_after_the_cursor),
        cmocka_unit_test(one_more_than_the_page_gives_a_cursor),
        cmocka_unit_test(an_empty_day),
        cmocka_unit_test(a_cut_bucket_is_read_on),
        cmocka_unit_test(a_bucket_cut_for_good_bounds_the_page),
        cmocka_unit_test(concert_page_merges_the_index),
        cmocka_unit_test(cursors_old_and_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
