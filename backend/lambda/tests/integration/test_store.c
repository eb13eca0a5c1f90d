/* The concert store against DynamoDB Local (AWS_ENDPOINT_URL_DYNAMODB): item layout of the
 * reference, exact prices, paginated listing, and every outcome of a purchase. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uuid/uuid.h>

#include "ddb.h"
#include "ddb_tables.h"
#include "layout.h"
#include "store.h"
#include "store_journal.h"

static char concerts_table[128], tickets_table[128];
static ddb_client *raw; /* for set-up and for reading items back as stored */
static store *st;

static void new_id(char out[STORE_ID_MAX + 1])
{
    uuid_t u;
    uuid_generate_random(u);
    uuid_unparse_lower(u, out);
}

static int setup(void **state)
{
    (void)state;
    if (ddb_test_tables_create(&raw, "it-store", concerts_table, tickets_table, sizeof concerts_table))
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

/* ---- helpers ---------------------------------------------------------------------------------- */

static void make_concert(concert *c, const char *name, int64_t tickets, int64_t cents)
{
    memset(c, 0, sizeof *c);
    new_id(c->id);
    c->name = strdup(name);
    c->date = strdup("2026-12-31T20:00:00Z");
    c->venue = strdup("Konzerthaus Wien, Gro\xc3\x9f" "er Saal");
    c->available_tickets = tickets;
    c->price_cents = cents;
}

static void put_new_concert(concert *c, int64_t tickets, int64_t cents)
{
    make_concert(c, "Mahler 2", tickets, cents);
    assert_int_equal(store_put_concert(st, c), STORE_OK);
}

static void make_ticket(ticket *t, const char *concert_id)
{
    memset(t, 0, sizeof *t);
    new_id(t->id);
    snprintf(t->concert_id, sizeof t->concert_id, "%s", concert_id);
    t->customer_name = (char *)"Ada Lovelace";
    t->customer_email = (char *)"ada@example.org";
}

/* The item as stored (raw GetItem), owned by the caller, or NULL. */
static cJSON *raw_item(const char *table, const char *id)
{
    cJSON *req = cJSON_CreateObject(), *resp = NULL;
    cJSON_AddStringToObject(req, "TableName", table);
    cJSON_AddStringToObject(cJSON_AddObjectToObject(cJSON_AddObjectToObject(req, "Key"), "id"), "S", id);
    cJSON_AddTrueToObject(req, "ConsistentRead");
    ddb_error err;
    ddb_status s = ddb_call(raw, "GetItem", req, &resp, &err);
    cJSON_Delete(req);
    if (s != DDB_OK)
        fail_msg("GetItem: %s %s", ddb_status_name(s), err.message);
    cJSON *item = cJSON_DetachItemFromObject(resp, "Item");
    cJSON_Delete(resp);
    return item;
}

static void raw_put(const char *table, const char *item_json)
{
    char *body = malloc(strlen(item_json) + 256);
    sprintf(body, "{\"TableName\":\"%s\",\"Item\":%s}", table, item_json);
    cJSON *req = cJSON_Parse(body), *resp = NULL;
    assert_non_null(req);
    ddb_error err;
    ddb_status s = ddb_call(raw, "PutItem", req, &resp, &err);
    if (s != DDB_OK)
        fail_msg("PutItem: %s %s", ddb_status_name(s), err.message);
    cJSON_Delete(req);
    cJSON_Delete(resp);
    free(body);
}

/* Attribute name of item has exactly the type and, when want is not NULL, that value. */
static void assert_attr(const cJSON *item, const char *name, const char *type, const char *want)
{
    const cJSON *av = cJSON_GetObjectItemCaseSensitive(item, name);
    if (!cJSON_IsObject(av) || cJSON_GetArraySize(av) != 1)
        fail_msg("attribute %s missing or not one typed value", name);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(av, type);
    if (!cJSON_IsString(v))
        fail_msg("attribute %s is not of type %s", name, type);
    if (want && strcmp(v->valuestring, want) != 0)
        fail_msg("attribute %s is %s, want %s", name, v->valuestring, want);
}

static int64_t seats_left(const char *concert_id)
{
    concert c;
    assert_int_equal(store_get_concert(st, concert_id, &c), STORE_OK);
    int64_t n = c.available_tickets;
    concert_clear(&c);
    return n;
}

/* ---- concerts --------------------------------------------------------------------------------- */

static void test_put_then_get_round_trips_text_and_exact_price(void **state)
{
    (void)state;
    concert c;
    make_concert(&c, "Ode \xe2\x80\x9c" "an die Freude\xe2\x80\x9d \xf0\x9f\x8e\xb5", 120, 4999);
    assert_int_equal(store_put_concert(st, &c), STORE_OK);
    concert got;
    assert_int_equal(store_get_concert(st, c.id, &got), STORE_OK);
    assert_string_equal(got.id, c.id);
    assert_string_equal(got.name, c.name);
    assert_string_equal(got.date, c.date);
    assert_string_equal(got.venue, c.venue);
    assert_int_equal(got.available_tickets, 120);
    assert_int_equal(got.price_cents, 4999);
    concert_clear(&got);
    concert_clear(&c);
}

static void test_items_have_the_reference_layout(void **state)
{
    (void)state;
    concert c;
    put_new_concert(&c, 100, 4999);
    cJSON *item = raw_item(concerts_table, c.id);
    assert_non_null(item);
    assert_int_equal(cJSON_GetArraySize(item), 6);
    assert_attr(item, "id", "S", c.id);
    assert_attr(item, "name", "S", "Mahler 2");
    assert_attr(item, "date", "S", "2026-12-31T20:00:00Z");
    assert_attr(item, "venue", "S", c.venue);
    assert_attr(item, "availableTickets", "N", "100");
    assert_attr(item, "ticketPrice", "N", "49.99");
    cJSON_Delete(item);

    ticket t, sold;
    make_ticket(&t, c.id);
    assert_int_equal(store_purchase(st, &t, &sold), STORE_OK);
    item = raw_item(tickets_table, t.id);
    assert_non_null(item);
    assert_int_equal(cJSON_GetArraySize(item), 5);
    assert_attr(item, "id", "S", t.id);
    assert_attr(item, "concertId", "S", c.id);
    assert_attr(item, "customerName", "S", "Ada Lovelace");
    assert_attr(item, "customerEmail", "S", "ada@example.org");
    assert_attr(item, "purchaseDate", "S", sold.purchase_date);
    /* ISO-8601 UTC with milliseconds, as JavaScript's toISOString() */
    int y, mo, d, h, mi, s, ms;
    char z = 0;
    assert_int_equal(sscanf(sold.purchase_date, "%4d-%2d-%2dT%2d:%2d:%2d.%3d%c", &y, &mo, &d, &h, &mi, &s, &ms, &z), 8);
    assert_int_equal(z, 'Z');
    assert_int_equal(strlen(sold.purchase_date), 24);
    cJSON_Delete(item);
    ticket_clear(&sold);

    /* other prices keep their shortest exact form */
    const struct {
        int64_t cents;
        const char *n;
    } prices[] = {{0, "0"}, {5000, "50"}, {4990, "49.9"}, {5, "0.05"}, {100000000, "1000000"}};
    for (size_t i = 0; i < sizeof prices / sizeof prices[0]; i++) {
        concert p;
        put_new_concert(&p, 1, prices[i].cents);
        item = raw_item(concerts_table, p.id);
        assert_attr(item, "ticketPrice", "N", prices[i].n);
        cJSON_Delete(item);
        concert got;
        assert_int_equal(store_get_concert(st, p.id, &got), STORE_OK);
        assert_int_equal(got.price_cents, prices[i].cents);
        concert_clear(&got);
        concert_clear(&p);
    }
    concert_clear(&c);
}

static void test_numbers_written_by_others_read_correctly(void **state)
{
    (void)state;
    const struct {
        const char *tickets_av, *price_av;
        int64_t tickets, cents;
    } cases[] = {
        {"{\"N\":\"1E+1\"}", "{\"N\":\"49.990\"}", 10, 4999},
        {"{\"N\":\"10.000\"}", "{\"N\":\"1E+1\"}", 10, 1000},
        {"{\"N\":\"0\"}", "{\"N\":\"12.340\"}", 0, 1234},
        {"{\"N\":\"3\"}", "{\"N\":\"4.999E1\"}", 3, 4999},
        {"{\"N\":\"2\"}", "{\"S\":\"15.5\"}", 2, 1550},    /* a DocumentClient that got the price as a string */
        {"{\"S\":\"7\"}", "{\"N\":\"1\"}", 7, 100},        /* ... or the seats */
        {"{\"N\":\"250e-1\"}", "{\"N\":\"0.0000001e+9\"}", 25, 10000},
        {"{\"N\":\"1000000\"}", "{\"N\":\"1000000\"}", 1000000, 100000000},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char id[STORE_ID_MAX + 1], item[1024];
        new_id(id);
        snprintf(item, sizeof item,
                 "{\"id\":{\"S\":\"%s\"},\"name\":{\"S\":\"n\"},\"date\":{\"S\":\"2026-01-01\"},\"venue\":{\"S\":\"v\"},"
                 "\"availableTickets\":%s,\"ticketPrice\":%s}",
                 id, cases[i].tickets_av, cases[i].price_av);
        raw_put(concerts_table, item);
        concert got;
        assert_int_equal(store_get_concert(st, id, &got), STORE_OK);
        if (got.available_tickets != cases[i].tickets || got.price_cents != cases[i].cents || got.n_problems)
            fail_msg("case %zu: %lld tickets, %lld cents, %zu problems", i, (long long)got.available_tickets,
                     (long long)got.price_cents, got.n_problems);
        concert_clear(&got);
    }
}

/* Items the reference lets anyone write, that cannot be returned faithfully: each is read with a
 * named problem and its stored text (get: STORE_MALFORMED), listed with it, and never sold. */
static const struct bad_item {
    const char *what;                        /* the attributes other than id, as DynamoDB JSON */
    const char *problem;                     /* expected in problems */
    const char *raw;                         /* expected stored text of the bad number, or NULL */
} bad_items[] = {
    {"\"availableTickets\":{\"S\":\"lots\"},\"ticketPrice\":{\"N\":\"10\"}", "availableTickets: not a number", "lots"},
    {"\"availableTickets\":{\"N\":\"2.5\"},\"ticketPrice\":{\"N\":\"10\"}", "availableTickets: not a whole number", "2.5"},
    {"\"availableTickets\":{\"N\":\"99999999999999999999\"},\"ticketPrice\":{\"N\":\"10\"}",
     "availableTickets: more than 1000000", "99999999999999999999"},
    {"\"availableTickets\":{\"N\":\"9007199254740993\"},\"ticketPrice\":{\"N\":\"10\"}",
     "availableTickets: more than 1000000", "9007199254740993"},
    {"\"availableTickets\":{\"N\":\"-5\"},\"ticketPrice\":{\"N\":\"10\"}", "availableTickets: negative", "-5"},
    {"\"availableTickets\":{\"BOOL\":true},\"ticketPrice\":{\"N\":\"10\"}", "availableTickets: not a number",
     "{\"BOOL\":true}"},
    {"\"ticketPrice\":{\"N\":\"10\"}", "availableTickets: missing", NULL},
    {"\"availableTickets\":{\"N\":\"5\"},\"ticketPrice\":{\"N\":\"1E+38\"}", "ticketPrice: more than 1000000", NULL},
    {"\"availableTickets\":{\"N\":\"5\"},\"ticketPrice\":{\"N\":\"-10\"}", "ticketPrice: negative", "-10"},
    {"\"availableTickets\":{\"N\":\"5\"},\"ticketPrice\":{\"N\":\"90000000000000.01\"}", "ticketPrice: more than 1000000",
     "90000000000000.01"},
    {"\"availableTickets\":{\"N\":\"5\"},\"ticketPrice\":{\"N\":\"49.999\"}", "ticketPrice: more than 2 decimals", "49.999"},
    {"\"availableTickets\":{\"N\":\"5\"}", "ticketPrice: missing", NULL},
};

static void put_bad_item(char id[STORE_ID_MAX + 1], const char *prefix, const char *name_av, const char *attrs)
{
    char uuid[STORE_ID_MAX + 1], item[1024];
    new_id(uuid);
    snprintf(id, STORE_ID_MAX + 1, "%s%s", prefix, uuid);
    cJSON *idj = cJSON_CreateString(id);
    char *id_json = cJSON_PrintUnformatted(idj);
    snprintf(item, sizeof item, "{\"id\":{\"S\":%s},%s%s%s\"date\":{\"S\":\"2027-01-01\"},\"venue\":{\"S\":\"Hall\"},%s}",
             id_json, name_av ? "\"name\":" : "", name_av ? name_av : "", name_av ? "," : "", attrs);
    free(id_json);
    cJSON_Delete(idj);
    raw_put(concerts_table, item);
}

static bool has_problem(const concert *c, const char *problem)
{
    for (size_t i = 0; i < c->n_problems; i++)
        if (strcmp(c->problems[i], problem) == 0)
            return true;
    return false;
}

/* store_purchase of a concert that must not be sold: STORE_MALFORMED, no ticket, the item unchanged. */
static void assert_not_sold(const char *id)
{
    cJSON *before = raw_item(concerts_table, id);
    ticket t;
    make_ticket(&t, id);
    ticket out;
    assert_int_equal(store_purchase(st, &t, &out), STORE_MALFORMED);
    assert_null(out.customer_name);
    assert_null(raw_item(tickets_table, t.id));
    cJSON *after = raw_item(concerts_table, id);
    assert_true(cJSON_Compare(before, after, true));
    cJSON_Delete(before);
    cJSON_Delete(after);
}

static char bad_ids[sizeof bad_items / sizeof bad_items[0] + 8][STORE_ID_MAX + 1];

static void test_values_that_cannot_be_read_faithfully_are_named_and_never_sold(void **state)
{
    (void)state;
    size_t n = sizeof bad_items / sizeof bad_items[0];
    for (size_t i = 0; i < n; i++) {
        put_bad_item(bad_ids[i], "bad-", "{\"S\":\"Bad item\"}", bad_items[i].what);
        concert got;
        assert_int_equal(store_get_concert(st, bad_ids[i], &got), STORE_MALFORMED);
        if (got.n_problems != 1 || !has_problem(&got, bad_items[i].problem))
            fail_msg("item %zu: %zu problems, first %s; want %s", i, got.n_problems,
                     got.n_problems ? got.problems[0] : "-", bad_items[i].problem);
        assert_string_equal(got.id, bad_ids[i]);
        assert_string_equal(got.name, "Bad item"); /* the readable fields are kept */
        const char *stored = strncmp(bad_items[i].problem, "ticketPrice", 11) == 0 ? got.raw_price : got.raw_tickets;
        if (bad_items[i].raw)
            assert_string_equal(stored, bad_items[i].raw);
        concert_clear(&got);
        assert_not_sold(bad_ids[i]);
    }
    /* text that cannot be shown as stored, and an id that cannot be addressed */
    const struct {
        const char *prefix, *name_av, *problem;
    } texts[] = {
        {"", "{\"S\":\"\\u001b[31mRed alert\"}", "name: contains control characters"},
        {"", "{\"S\":\"\\u202eecilA\"}", "name: contains bidirectional control characters"},
        {"", "{\"S\":\"\\u200b\\u00a0\"}", "name: has no visible character"},
        {"", "{\"N\":\"5\"}", "name: not a string"},
        {"", NULL, "name: missing"},
        {"esc\x1b[2J-", "{\"S\":\"Fine name\"}", "id: contains control characters"},
    };
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
        char *id = bad_ids[n + i];
        put_bad_item(id, texts[i].prefix, texts[i].name_av, "\"availableTickets\":{\"N\":\"5\"},\"ticketPrice\":{\"N\":\"10\"}");
        concert got;
        assert_int_equal(store_get_concert(st, id, &got), STORE_MALFORMED);
        if (got.n_problems != 1 || !has_problem(&got, texts[i].problem))
            fail_msg("text %zu: %zu problems, first %s; want %s", i, got.n_problems,
                     got.n_problems ? got.problems[0] : "-", texts[i].problem);
        assert_int_equal(got.available_tickets, 5);
        concert_clear(&got);
        assert_not_sold(id);
    }
}

static void test_listing_names_the_problems_of_each_item(void **state)
{
    (void)state;
    concert c;
    put_new_concert(&c, 3, 100);
    concert_list list;
    assert_int_equal(store_list_concerts(st, &list), STORE_OK);
    size_t n_bad = sizeof bad_items / sizeof bad_items[0] + 6, found_bad = 0, found_good = 0;
    for (size_t i = 0; i < list.n; i++) {
        if (strcmp(list.items[i].id, c.id) == 0) {
            found_good++;
            assert_int_equal(list.items[i].n_problems, 0);
            assert_int_equal(list.items[i].available_tickets, 3);
        }
        for (size_t k = 0; k < n_bad; k++)
            if (strcmp(list.items[i].id, bad_ids[k]) == 0) {
                found_bad++;
                assert_int_equal(list.items[i].n_problems, 1);
                if (k < sizeof bad_items / sizeof bad_items[0])
                    assert_string_equal(list.items[i].problems[0], bad_items[k].problem);
            }
    }
    assert_int_equal(found_good, 1);
    assert_int_equal(found_bad, n_bad);
    concert_list_clear(&list);
    concert_clear(&c);
}

/* Seats stored as a string are read and sold like the number: the counter becomes an N. */
static void test_string_seat_counter_is_sold_like_a_number(void **state)
{
    (void)state;
    char id[STORE_ID_MAX + 1];
    put_bad_item(id, "s-seats-", "{\"S\":\"Strings\"}", "\"availableTickets\":{\"S\":\"2\"},\"ticketPrice\":{\"S\":\"10\"}");
    assert_int_equal(seats_left(id), 2);
    ticket t;
    make_ticket(&t, id);
    assert_int_equal(store_purchase(st, &t, NULL), STORE_OK);
    assert_int_equal(seats_left(id), 1);
    cJSON *item = raw_item(concerts_table, id);
    assert_attr(item, "availableTickets", "N", "1");
    assert_attr(item, "ticketPrice", "S", "10"); /* only the counter is rewritten */
    cJSON_Delete(item);
    make_ticket(&t, id);
    assert_int_equal(store_purchase(st, &t, NULL), STORE_OK);
    make_ticket(&t, id);
    assert_int_equal(store_purchase(st, &t, NULL), STORE_SOLD_OUT);
    assert_int_equal(seats_left(id), 0);
    /* a string "0" is sold out too, not an error */
    put_bad_item(id, "s-zero-", "{\"S\":\"Strings\"}", "\"availableTickets\":{\"S\":\"0\"},\"ticketPrice\":{\"N\":\"10\"}");
    make_ticket(&t, id);
    assert_int_equal(store_purchase(st, &t, NULL), STORE_SOLD_OUT);
    assert_null(raw_item(tickets_table, t.id));
}

static void test_unknown_concert_is_not_found(void **state)
{
    (void)state;
    concert got;
    char id[STORE_ID_MAX + 1];
    new_id(id);
    assert_int_equal(store_get_concert(st, id, &got), STORE_NOT_FOUND);
    assert_int_equal(store_get_concert(st, "", &got), STORE_NOT_FOUND);
    char long_id[300];
    memset(long_id, 'a', sizeof long_id - 1);
    long_id[sizeof long_id - 1] = '\0';
    assert_int_equal(store_get_concert(st, long_id, &got), STORE_NOT_FOUND);
    concert c;
    memset(&c, 0, sizeof c);
    assert_int_equal(store_put_concert(st, &c), STORE_ERROR); /* no id */
}

/* Over 1 MB of concerts: DynamoDB answers a Scan in pages of at most 1 MB (the reference showed only
 * the first page). */
static void test_listing_more_than_one_megabyte_returns_every_concert(void **state)
{
    (void)state;
    char big_table[128];
    ddb_test_table_name(big_table, sizeof big_table, "it-store-big");
    assert_int_equal(ddb_test_create_table(raw, big_table), 0);

    enum { N = 150, TEXT = 4000 }; /* ~8 KB items: > 1.2 MB with few (slow) batch writes */
    char filler[TEXT + 1];
    memset(filler, 'x', TEXT);
    filler[TEXT] = '\0';
    static char ids[N][40];
    for (int i = 0; i < N; i += 25) {
        cJSON *req = cJSON_CreateObject();
        cJSON *items = cJSON_AddArrayToObject(cJSON_AddObjectToObject(req, "RequestItems"), big_table);
        for (int j = i; j < i + 25 && j < N; j++) {
            new_id(ids[j]);
            static char item[2 * TEXT + 512];
            snprintf(item, sizeof item,
                     "{\"PutRequest\":{\"Item\":{\"id\":{\"S\":\"%.36s\"},\"name\":{\"S\":\"Concert %d %s\"},"
                     "\"date\":{\"S\":\"2027-01-01\"},\"venue\":{\"S\":\"Hall %s\"},\"availableTickets\":{\"N\":\"%d\"},"
                     "\"ticketPrice\":{\"N\":\"%d.%02d\"}}}}",
                     ids[j], j, filler, filler, j, j, j % 100);
            cJSON_AddItemToArray(items, cJSON_Parse(item));
        }
        cJSON *resp = NULL;
        ddb_error err;
        if (ddb_call(raw, "BatchWriteItem", req, &resp, &err) != DDB_OK)
            fail_msg("BatchWriteItem: %s", err.message);
        const cJSON *unprocessed = cJSON_GetObjectItem(resp, "UnprocessedItems");
        assert_true(!unprocessed || cJSON_GetArraySize(unprocessed) == 0);
        cJSON_Delete(resp);
        cJSON_Delete(req);
    }

    /* the first Scan page alone does not hold everything */
    char body[256];
    snprintf(body, sizeof body, "{\"TableName\":\"%s\"}", big_table);
    cJSON *req = cJSON_Parse(body), *resp = NULL;
    assert_int_equal(ddb_call(raw, "Scan", req, &resp, NULL), DDB_OK);
    assert_non_null(cJSON_GetObjectItem(resp, "LastEvaluatedKey"));
    assert_true(cJSON_GetArraySize(cJSON_GetObjectItem(resp, "Items")) < N);
    cJSON_Delete(resp);
    cJSON_Delete(req);

    setenv("CONCERTS_TABLE", big_table, 1);
    char why[256];
    store *big = store_open_from_env(why, sizeof why);
    setenv("CONCERTS_TABLE", concerts_table, 1);
    assert_non_null(big);
    concert_list list;
    assert_int_equal(store_list_concerts(big, &list), STORE_OK);
    assert_int_equal(list.n, N);
    /* every id exactly once, with its values */
    static unsigned char seen[N];
    memset(seen, 0, sizeof seen);
    for (size_t k = 0; k < list.n; k++) {
        int j = (int)list.items[k].available_tickets;
        assert_true(j >= 0 && j < N);
        assert_string_equal(list.items[k].id, ids[j]);
        assert_int_equal(list.items[k].price_cents, (int64_t)j * 100 + j % 100);
        assert_int_equal(strlen(list.items[k].name), strlen("Concert ") + (j < 10 ? 1 : j < 100 ? 2 : j < 1000 ? 3 : 4) + 1 + TEXT);
        assert_false(seen[j]);
        seen[j] = 1;
    }
    concert_list_clear(&list);
    assert_null(list.items);
    store_close(big);
    assert_int_equal(ddb_test_delete_table(raw, big_table), 0);
}

/* ---- purchases -------------------------------------------------------------------------------- */

static void test_purchase_takes_one_seat_and_writes_the_ticket(void **state)
{
    (void)state;
    concert c;
    put_new_concert(&c, 2, 4999);
    ticket t, out;
    make_ticket(&t, c.id);
    assert_int_equal(store_purchase(st, &t, &out), STORE_OK);
    assert_string_equal(out.id, t.id);
    assert_string_equal(out.concert_id, c.id);
    assert_string_equal(out.customer_name, "Ada Lovelace");
    assert_true(out.purchase_date[0] != '\0');
    ticket_clear(&out);
    assert_int_equal(seats_left(c.id), 1);
    cJSON *item = raw_item(tickets_table, t.id);
    assert_non_null(item);
    cJSON_Delete(item);
    /* a purchase date given by the caller is kept; out may be NULL */
    ticket t2;
    make_ticket(&t2, c.id);
    snprintf(t2.purchase_date, sizeof t2.purchase_date, "2026-11-25T08:47:18.123Z");
    assert_int_equal(store_purchase(st, &t2, NULL), STORE_OK);
    item = raw_item(tickets_table, t2.id);
    assert_attr(item, "purchaseDate", "S", "2026-11-25T08:47:18.123Z");
    cJSON_Delete(item);
    assert_int_equal(seats_left(c.id), 0);
    concert_clear(&c);
}

static void test_sold_out_writes_nothing(void **state)
{
    (void)state;
    concert c;
    put_new_concert(&c, 1, 1000);
    ticket a, b, out;
    make_ticket(&a, c.id);
    make_ticket(&b, c.id);
    assert_int_equal(store_purchase(st, &a, NULL), STORE_OK);
    assert_int_equal(store_purchase(st, &b, &out), STORE_SOLD_OUT);
    assert_null(out.customer_name);
    assert_int_equal(seats_left(c.id), 0);
    cJSON *item = raw_item(tickets_table, b.id);
    assert_null(item);
    /* a concert created with no seats at all */
    concert z;
    put_new_concert(&z, 0, 1000);
    make_ticket(&b, z.id);
    assert_int_equal(store_purchase(st, &b, NULL), STORE_SOLD_OUT);
    assert_int_equal(seats_left(z.id), 0);
    concert_clear(&c);
    concert_clear(&z);
}

static void test_unknown_concert_purchase_is_not_found_and_writes_nothing(void **state)
{
    (void)state;
    char missing[STORE_ID_MAX + 1];
    new_id(missing);
    ticket t;
    make_ticket(&t, missing);
    assert_int_equal(store_purchase(st, &t, NULL), STORE_NOT_FOUND);
    assert_null(raw_item(tickets_table, t.id));
    assert_null(raw_item(concerts_table, missing)); /* the update did not create a concert */
    t.concert_id[0] = '\0';
    assert_int_equal(store_purchase(st, &t, NULL), STORE_NOT_FOUND);
}

static void test_replay_returns_the_stored_ticket_without_a_second_seat(void **state)
{
    (void)state;
    concert c;
    put_new_concert(&c, 5, 2500);
    ticket t, first, again;
    make_ticket(&t, c.id);
    assert_int_equal(store_purchase(st, &t, &first), STORE_OK);
    /* the retry comes later (another purchase date): the stored ticket wins */
    ticket retry = t;
    snprintf(retry.purchase_date, sizeof retry.purchase_date, "2030-01-01T00:00:00.000Z");
    assert_int_equal(store_purchase(st, &retry, &again), STORE_REPLAY);
    assert_string_equal(again.id, t.id);
    assert_string_equal(again.concert_id, c.id);
    assert_string_equal(again.customer_name, "Ada Lovelace");
    assert_string_equal(again.customer_email, "ada@example.org");
    assert_string_equal(again.purchase_date, first.purchase_date);
    ticket_clear(&again);
    ticket_clear(&first);
    assert_int_equal(store_purchase(st, &t, NULL), STORE_REPLAY);
    assert_int_equal(seats_left(c.id), 4);
    concert_clear(&c);
}

static void test_replay_of_the_last_seat_is_a_replay_not_sold_out(void **state)
{
    (void)state;
    concert c;
    put_new_concert(&c, 1, 2500);
    ticket t, again;
    make_ticket(&t, c.id);
    assert_int_equal(store_purchase(st, &t, NULL), STORE_OK);
    assert_int_equal(store_purchase(st, &t, &again), STORE_REPLAY);
    assert_string_equal(again.id, t.id);
    ticket_clear(&again);
    assert_int_equal(seats_left(c.id), 0);
    concert_clear(&c);
}

static void test_ticket_id_reused_for_another_concert_is_a_conflict(void **state)
{
    (void)state;
    concert a, b;
    put_new_concert(&a, 3, 1000);
    put_new_concert(&b, 3, 1000);
    ticket t, out;
    make_ticket(&t, a.id);
    assert_int_equal(store_purchase(st, &t, NULL), STORE_OK);
    snprintf(t.concert_id, sizeof t.concert_id, "%s", b.id);
    assert_int_equal(store_purchase(st, &t, &out), STORE_CONFLICT);
    assert_null(out.customer_name);
    assert_int_equal(seats_left(a.id), 2);
    assert_int_equal(seats_left(b.id), 3);
    cJSON *item = raw_item(tickets_table, t.id);
    assert_attr(item, "concertId", "S", a.id);
    cJSON_Delete(item);
    concert_clear(&a);
    concert_clear(&b);
}

/* The same ticket id (Idempotency-Key) with another customer name or e-mail is another request:
 * refused, nothing of the first ticket handed out, nothing written. */
static void test_ticket_id_reused_for_another_customer_is_a_conflict(void **state)
{
    (void)state;
    concert c;
    put_new_concert(&c, 3, 1000);
    ticket t, out;
    make_ticket(&t, c.id);
    assert_int_equal(store_purchase(st, &t, NULL), STORE_OK);
    const char *names[] = {"Mallory", "Ada Lovelace", "ada lovelace"};
    const char *emails[] = {"ada@example.org", "mallory@example.org", "ada@example.org"};
    for (size_t i = 0; i < 3; i++) {
        ticket other = t;
        other.customer_name = (char *)names[i];
        other.customer_email = (char *)emails[i];
        assert_int_equal(store_purchase(st, &other, &out), STORE_CONFLICT);
        assert_null(out.customer_name);
        assert_null(out.customer_email);
        assert_string_equal(out.id, "");
    }
    assert_int_equal(seats_left(c.id), 2);
    cJSON *item = raw_item(tickets_table, t.id);
    assert_attr(item, "customerName", "S", "Ada Lovelace");
    assert_attr(item, "customerEmail", "S", "ada@example.org");
    cJSON_Delete(item);
    /* the true replay still gets its ticket */
    assert_int_equal(store_purchase(st, &t, &out), STORE_REPLAY);
    assert_string_equal(out.customer_name, "Ada Lovelace");
    ticket_clear(&out);
    concert_clear(&c);
}

/* Parallel buyers, each with its own store (own connection): never more tickets than seats. */
enum { BUYERS = 6, TRIES = 10, SEATS = 20 };
struct buyer {
    const char *concert_id;
    int ok, sold_out, other;
    char ids[TRIES][STORE_ID_MAX + 1];
};

static void *buy(void *arg)
{
    struct buyer *b = arg;
    char why[256];
    store *mine = store_open_from_env(why, sizeof why);
    if (!mine) {
        b->other = TRIES;
        return NULL;
    }
    for (int i = 0; i < TRIES; i++) {
        ticket t;
        make_ticket(&t, b->concert_id);
        store_status s = store_purchase(mine, &t, NULL);
        if (s == STORE_OK)
            snprintf(b->ids[b->ok++], sizeof b->ids[0], "%s", t.id);
        else if (s == STORE_SOLD_OUT)
            b->sold_out++;
        else {
            fprintf(stderr, "purchase: %d %s\n", (int)s, store_last_error(mine));
            b->other++;
        }
    }
    store_close(mine);
    return NULL;
}

static void test_parallel_purchases_never_oversell(void **state)
{
    (void)state;
    concert c;
    put_new_concert(&c, SEATS, 1000);
    static struct buyer buyers[BUYERS];
    pthread_t th[BUYERS];
    memset(buyers, 0, sizeof buyers);
    for (int i = 0; i < BUYERS; i++) {
        buyers[i].concert_id = c.id;
        assert_int_equal(pthread_create(&th[i], NULL, buy, &buyers[i]), 0);
    }
    int ok = 0, sold_out = 0, other = 0;
    for (int i = 0; i < BUYERS; i++) {
        pthread_join(th[i], NULL);
        ok += buyers[i].ok;
        sold_out += buyers[i].sold_out;
        other += buyers[i].other;
    }
    assert_int_equal(other, 0);
    assert_int_equal(ok, SEATS);
    assert_int_equal(sold_out, BUYERS * TRIES - SEATS);
    assert_int_equal(seats_left(c.id), 0);
    for (int i = 0; i < BUYERS; i++)
        for (int k = 0; k < buyers[i].ok; k++) {
            cJSON *item = raw_item(tickets_table, buyers[i].ids[k]);
            assert_non_null(item);
            assert_attr(item, "concertId", "S", c.id);
            cJSON_Delete(item);
        }
    concert_clear(&c);
}

/* The same buyers on a pooled concert (issue 19: created with capacity 2,000, its seats in 64 pools), late in its
 * on-sale: SEATS seats left, one in each of the first SEATS pools (set as another writer would), so that the
 * buyers keep meeting empty pools and move on: exactly the seats are sold, every pool ends at 0, none below. */
static void test_parallel_purchases_of_a_pooled_concert_never_oversell(void **state)
{
    (void)state;
    concert c;
    make_concert(&c, "Stadium", LAYOUT_POOL_MIN_CAPACITY, 1000);
    c.has_capacity = true;
    c.capacity = LAYOUT_POOL_MIN_CAPACITY;
    journal_who who = { NULL, NULL };
    assert_int_equal(store_create_concert(st, &c, &who), STORE_OK);
    for (int k = 0; k < LAYOUT_SHARDS; k++) {
        int64_t left = k < SEATS ? 1 : 0, share = layout_pool_seats(LAYOUT_POOL_MIN_CAPACITY, k, LAYOUT_SHARDS);
        char body[1024];
        snprintf(body, sizeof body,
                 "{\"TableName\":\"%s\",\"Key\":{\"id\":{\"S\":\"%s#%d\"}},\"UpdateExpression\":\"SET available = :a, "
                 "sold = :s\",\"ExpressionAttributeValues\":{\":a\":{\"N\":\"%lld\"},\":s\":{\"N\":\"%lld\"}}}",
                 ddb_test_table_of(STORE_T_COUNTERS), c.id, k, (long long)left, (long long)(share - left));
        cJSON *req = cJSON_Parse(body), *resp = NULL;
        ddb_error err;
        assert_int_equal(ddb_call(raw, "UpdateItem", req, &resp, &err), DDB_OK);
        cJSON_Delete(req);
        cJSON_Delete(resp);
    }
    assert_int_equal(seats_left(c.id), SEATS);
    static struct buyer buyers[BUYERS];
    pthread_t th[BUYERS];
    memset(buyers, 0, sizeof buyers);
    for (int i = 0; i < BUYERS; i++) {
        buyers[i].concert_id = c.id;
        assert_int_equal(pthread_create(&th[i], NULL, buy, &buyers[i]), 0);
    }
    int ok = 0, sold_out = 0, other = 0;
    for (int i = 0; i < BUYERS; i++) {
        pthread_join(th[i], NULL);
        ok += buyers[i].ok;
        sold_out += buyers[i].sold_out;
        other += buyers[i].other;
    }
    assert_int_equal(other, 0);
    assert_int_equal(ok, SEATS);
    assert_int_equal(sold_out, BUYERS * TRIES - SEATS);
    assert_int_equal(seats_left(c.id), 0);
    for (int k = 0; k < LAYOUT_SHARDS; k++) {
        char key[STORE_ID_MAX + 16];
        snprintf(key, sizeof key, "%s#%d", c.id, k);
        cJSON *item = raw_item(ddb_test_table_of(STORE_T_COUNTERS), key);
        assert_non_null(item);
        assert_attr(item, "available", "N", "0");
        cJSON_Delete(item);
    }
    cJSON *item = raw_item(concerts_table, c.id); /* the item itself: never sold from */
    assert_attr(item, "availableTickets", "N", "0");
    cJSON_Delete(item);
    concert_clear(&c);
}

/* Parallel buyers of a concert whose seats are stored as a string: the rewrite as N is conditional,
 * so exactly the seats are sold. */
static void test_parallel_purchases_of_a_string_counter_never_oversell(void **state)
{
    (void)state;
    char id[STORE_ID_MAX + 1];
    put_bad_item(id, "s-par-", "{\"S\":\"Strings\"}", "\"availableTickets\":{\"S\":\"20\"},\"ticketPrice\":{\"N\":\"10\"}");
    static struct buyer buyers[BUYERS];
    pthread_t th[BUYERS];
    memset(buyers, 0, sizeof buyers);
    for (int i = 0; i < BUYERS; i++) {
        buyers[i].concert_id = id;
        assert_int_equal(pthread_create(&th[i], NULL, buy, &buyers[i]), 0);
    }
    int ok = 0, sold_out = 0, other = 0;
    for (int i = 0; i < BUYERS; i++) {
        pthread_join(th[i], NULL);
        ok += buyers[i].ok;
        sold_out += buyers[i].sold_out;
        other += buyers[i].other;
    }
    assert_int_equal(other, 0);
    assert_int_equal(ok, SEATS);
    assert_int_equal(sold_out, BUYERS * TRIES - SEATS);
    assert_int_equal(seats_left(id), 0);
}

/* ---- failures --------------------------------------------------------------------------------- */

static void test_open_reports_missing_tables_variables(void **state)
{
    (void)state;
    char why[256];
    unsetenv("TICKETS_TABLE");
    assert_null(store_open_from_env(why, sizeof why));
    assert_non_null(strstr(why, "TICKETS_TABLE"));
    setenv("TICKETS_TABLE", "bad name!", 1);
    assert_null(store_open_from_env(why, sizeof why));
    assert_non_null(strstr(why, "TICKETS_TABLE"));
    setenv("TICKETS_TABLE", tickets_table, 1);
}

static void test_missing_table_is_an_error(void **state)
{
    (void)state;
    char why[256], missing[128];
    ddb_test_table_name(missing, sizeof missing, "it-store-missing");
    setenv("CONCERTS_TABLE", missing, 1);
    store *s = store_open_from_env(why, sizeof why);
    setenv("CONCERTS_TABLE", concerts_table, 1);
    assert_non_null(s);
    concert c;
    assert_int_equal(store_get_concert(s, "x", &c), STORE_ERROR);
    assert_non_null(strstr(store_last_error(s), "ResourceNotFoundException"));
    store_close(s);
}

static void test_unreachable_dynamodb_is_unavailable(void **state)
{
    (void)state;
    const char *real = getenv("AWS_ENDPOINT_URL_DYNAMODB");
    char *saved = strdup(real);
    setenv("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:8199", 1); /* nothing listens there */
    char why[256];
    store *s = store_open_from_env(why, sizeof why);
    setenv("AWS_ENDPOINT_URL_DYNAMODB", saved, 1);
    free(saved);
    assert_non_null(s);
    concert c;
    assert_int_equal(store_get_concert(s, "x", &c), STORE_UNAVAILABLE);
    concert_list l;
    assert_int_equal(store_list_concerts(s, &l), STORE_UNAVAILABLE);
    assert_int_equal(l.n, 0);
    ticket t;
    make_ticket(&t, "x");
    assert_int_equal(store_purchase(s, &t, NULL), STORE_UNAVAILABLE);
    assert_non_null(strstr(store_last_error(s), "DDB_ERR_TRANSPORT"));
    store_close(s);
}

int main(void)
{
    if (!getenv("AWS_ENDPOINT_URL_DYNAMODB")) {
        printf("skip: AWS_ENDPOINT_URL_DYNAMODB is not set (run through scripts/run-tests.sh)\n");
        return 77;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_put_then_get_round_trips_text_and_exact_price),
        cmocka_unit_test(test_items_have_the_reference_layout),
        cmocka_unit_test(test_numbers_written_by_others_read_correctly),
        cmocka_unit_test(test_unknown_concert_is_not_found),
        cmocka_unit_test(test_listing_more_than_one_megabyte_returns_every_concert),
        cmocka_unit_test(test_values_that_cannot_be_read_faithfully_are_named_and_never_sold),
        cmocka_unit_test(test_listing_names_the_problems_of_each_item),
        cmocka_unit_test(test_string_seat_counter_is_sold_like_a_number),
        cmocka_unit_test(test_purchase_takes_one_seat_and_writes_the_ticket),
        cmocka_unit_test(test_sold_out_writes_nothing),
        cmocka_unit_test(test_unknown_concert_purchase_is_not_found_and_writes_nothing),
        cmocka_unit_test(test_replay_returns_the_stored_ticket_without_a_second_seat),
        cmocka_unit_test(test_replay_of_the_last_seat_is_a_replay_not_sold_out),
        cmocka_unit_test(test_ticket_id_reused_for_another_concert_is_a_conflict),
        cmocka_unit_test(test_ticket_id_reused_for_another_customer_is_a_conflict),
        cmocka_unit_test(test_parallel_purchases_never_oversell),
        cmocka_unit_test(test_parallel_purchases_of_a_string_counter_never_oversell),
        cmocka_unit_test(test_parallel_purchases_of_a_pooled_concert_never_oversell),
        cmocka_unit_test(test_open_reports_missing_tables_variables),
        cmocka_unit_test(test_missing_table_is_an_error),
        cmocka_unit_test(test_unreachable_dynamodb_is_unavailable),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
