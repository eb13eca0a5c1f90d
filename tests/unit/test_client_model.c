/* JSON <-> model, sort and filter. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client_model.h"

static int parse_one(const char *json, bo_concert *out)
{
    cJSON *j = cJSON_Parse(json);
    assert_non_null(j);
    int rc = bo_concert_from_json(j, out);
    cJSON_Delete(j);
    return rc;
}

static void concert_from_json_maps_every_field(void **state)
{
    (void)state;
    bo_concert c;
    assert_int_equal(parse_one("{\"id\":\"a1\",\"name\":\"Sigur Rós\",\"date\":\"2026-12-01T20:00:00Z\","
                               "\"venue\":\"Eldborg\",\"availableTickets\":250,\"ticketPrice\":49.99}", &c), 0);
    assert_string_equal(c.id, "a1");
    assert_string_equal(c.name, "Sigur Rós");
    assert_string_equal(c.date, "2026-12-01T20:00:00Z");
    assert_string_equal(c.venue, "Eldborg");
    assert_int_equal(c.seats_left, 250);
    assert_int_equal(c.price_cents, 4999);
    bo_concert copy;
    assert_int_equal(bo_concert_copy(&copy, &c), 0);
    assert_string_equal(copy.name, c.name);
    assert_ptr_not_equal(copy.name, c.name);
    bo_concert_clear(&c);
    assert_null(c.name);
    assert_string_equal(copy.venue, "Eldborg");
    bo_concert_clear(&copy);
}

static void prices_are_exact_cents(void **state)
{
    (void)state;
    static const struct { const char *json; int64_t cents; } cases[] = {
        { "0.1", 10 }, { "0.29", 29 }, { "19.99", 1999 }, { "1000000", 100000000 }, { "0", 0 }, { "1.005e2", 10050 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[256];
        bo_concert c;
        snprintf(buf, sizeof buf, "{\"id\":\"p\",\"name\":\"n\",\"date\":\"2026-01-01\",\"venue\":\"v\","
                 "\"availableTickets\":1,\"ticketPrice\":%s}", cases[i].json);
        assert_int_equal(parse_one(buf, &c), 0);
        assert_int_equal(c.price_cents, cases[i].cents);
        bo_concert_clear(&c);
    }
}

static void a_non_object_is_refused(void **state)
{
    (void)state;
    bo_concert c;
    memset(&c, 0, sizeof c);
    assert_int_equal(parse_one("[]", &c), -1);
    assert_int_equal(parse_one("42", &c), -1);
    assert_null(c.name);
}

/* Every value the client cannot show faithfully marks the record (listed, never sold), never fails it. */
static void bad_values_mark_the_record(void **state)
{
    (void)state;
    static const struct { const char *json; unsigned field; const char *problem; } cases[] = {
        { "{\"name\":\"no id\",\"availableTickets\":1,\"ticketPrice\":1}", BO_FIELD_ID, "id: missing" },
        { "{\"id\":7,\"name\":\"x\",\"availableTickets\":1,\"ticketPrice\":1}", BO_FIELD_ID, "id: not a text" },
        { "{\"id\":\"\",\"name\":\"x\",\"availableTickets\":1,\"ticketPrice\":1}", BO_FIELD_ID, "id: empty" },
        { "{\"id\":\"a\\u001b[2J\",\"name\":\"x\",\"availableTickets\":1,\"ticketPrice\":1}", BO_FIELD_ID, "id: holds control" },
        { "{\"id\":\"a\\u202eb\",\"name\":\"x\",\"availableTickets\":1,\"ticketPrice\":1}", BO_FIELD_ID, "id: holds control" },
        { "{\"id\":\"a\",\"name\":5,\"availableTickets\":1,\"ticketPrice\":1}", BO_FIELD_NAME, "name: not a text" },
        { "{\"id\":\"a\",\"name\":\"x\",\"venue\":[],\"availableTickets\":1,\"ticketPrice\":1}", BO_FIELD_VENUE, "venue: not a text" },
        { "{\"id\":\"a\",\"name\":\"x\",\"availableTickets\":\"1\",\"ticketPrice\":1}", BO_FIELD_SEATS, "availableTickets: not a number" },
        { "{\"id\":\"a\",\"name\":\"x\",\"availableTickets\":1.5,\"ticketPrice\":1}", BO_FIELD_SEATS, "availableTickets: not a whole number" },
        { "{\"id\":\"a\",\"name\":\"x\",\"availableTickets\":-5,\"ticketPrice\":1}", BO_FIELD_SEATS, "availableTickets: negative (-5)" },
        { "{\"id\":\"a\",\"name\":\"x\",\"availableTickets\":9007199254740993,\"ticketPrice\":1}", BO_FIELD_SEATS, "availableTickets: over 1,000,000 (too large" },
        { "{\"id\":\"a\",\"name\":\"x\",\"availableTickets\":1000001,\"ticketPrice\":1}", BO_FIELD_SEATS, "availableTickets: over 1,000,000" },
        { "{\"id\":\"a\",\"name\":\"x\",\"availableTickets\":1}", BO_FIELD_PRICE, "ticketPrice: missing" },
        { "{\"id\":\"a\",\"name\":\"x\",\"availableTickets\":1,\"ticketPrice\":\"9.99\"}", BO_FIELD_PRICE, "ticketPrice: not a number" },
        { "{\"id\":\"a\",\"name\":\"x\",\"availableTickets\":1,\"ticketPrice\":-10}", BO_FIELD_PRICE, "ticketPrice: negative (-10)" },
        { "{\"id\":\"a\",\"name\":\"x\",\"availableTickets\":1,\"ticketPrice\":1.234}", BO_FIELD_PRICE, "ticketPrice: more than 2 decimals" },
        { "{\"id\":\"a\",\"name\":\"x\",\"availableTickets\":1,\"ticketPrice\":90000000000000.01}", BO_FIELD_PRICE, "ticketPrice: over 1,000,000.00" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bo_concert c;
        memset(&c, 0, sizeof c);
        if (parse_one(cases[i].json, &c) != 0)
            fail_msg("failed instead of marking: %s", cases[i].json);
        if (bo_concert_sellable(&c) || !bo_concert_field_bad(&c, cases[i].field))
            fail_msg("not marked: %s", cases[i].json);
        char text[512];
        bo_concert_problems_text(&c, text, sizeof text);
        if (strncmp(text, cases[i].problem, strlen(cases[i].problem)) != 0)
            fail_msg("%s: problem '%s', expected '%s...'", cases[i].json, text, cases[i].problem);
        assert_non_null(c.name); /* the rest of the record is still there to show */
        for (const unsigned char *p = (const unsigned char *)c.id; *p; p++)
            assert_true(*p >= 0x20 && *p != 0x7f);
        assert_null(strstr(c.id, "\xe2\x80\xae"));
        /* a copy carries the marks */
        bo_concert copy;
        assert_int_equal(bo_concert_copy(&copy, &c), 0);
        assert_false(bo_concert_sellable(&copy));
        assert_int_equal(copy.bad->n, c.bad->n);
        assert_string_equal(copy.bad->problems[0], c.bad->problems[0]);
        bo_concert_clear(&copy);
        bo_concert_clear(&c);
    }
}

static void an_implausible_id_is_kept_exactly_beside_its_clean_form(void **state)
{
    (void)state;
    bo_concert c;
    assert_int_equal(parse_one("{\"id\":\"ab\\u202ecd\",\"name\":\"x\",\"availableTickets\":1,\"ticketPrice\":1}", &c), 0);
    assert_string_equal(c.id, "abcd");
    assert_non_null(c.bad);
    assert_string_equal(c.bad->raw_id, "ab\xe2\x80\xae" "cd");
    bo_concert_clear(&c);
    assert_true(model_id_plausible("3f1c-uuid"));
    assert_false(model_id_plausible("a\x1b[1m"));
    assert_false(model_id_plausible("a\xe2\x80\xae"));
    assert_false(model_id_plausible(""));
    assert_false(model_id_plausible("\xff"));
}

static void server_problems_mark_the_record_without_repeating_a_field(void **state)
{
    (void)state;
    bo_concert c;
    assert_int_equal(parse_one("{\"id\":\"a\",\"name\":\"x\",\"availableTickets\":\"9007199254740993\",\"ticketPrice\":5,"
                               "\"problems\":[\"availableTickets: 9007199254740993 is not a safe integer\","
                               "\"venue: \\u001b[2Jbad\"]}", &c), 0);
    assert_false(bo_concert_sellable(&c));
    assert_true(bo_concert_field_bad(&c, BO_FIELD_SEATS));
    assert_int_equal(c.bad->n, 2); /* the client's own "availableTickets: not a number" is not repeated */
    assert_string_equal(c.bad->problems[0], "availableTickets: 9007199254740993 is not a safe integer");
    assert_null(strchr(c.bad->problems[1], '\x1b'));
    assert_int_equal(c.price_cents, 500);
    bo_concert_clear(&c);
    assert_int_equal(parse_one("{\"id\":\"a\",\"name\":\"x\",\"availableTickets\":1,\"ticketPrice\":5,\"problems\":[]}", &c), 0);
    assert_true(bo_concert_sellable(&c));
    bo_concert_clear(&c);
}

static void a_long_name_is_kept_whole(void **state)
{
    (void)state;
    size_t n = 10000;
    char *json = malloc(n + 200), *name = malloc(n + 1);
    assert_non_null(json);
    assert_non_null(name);
    for (size_t i = 0; i < n; i++)
        name[i] = (char)('a' + i % 26);
    name[n] = '\0';
    snprintf(json, n + 200, "{\"id\":\"a\",\"name\":\"%s\",\"availableTickets\":1,\"ticketPrice\":1}", name);
    bo_concert c;
    assert_int_equal(parse_one(json, &c), 0);
    assert_int_equal(strlen(c.name), n);
    assert_string_equal(c.name, name);
    bo_concert_clear(&c);
    free(json);
    free(name);
}

static void missing_or_null_text_becomes_empty(void **state)
{
    (void)state;
    bo_concert c;
    assert_int_equal(parse_one("{\"id\":\"a\",\"name\":null,\"availableTickets\":0,\"ticketPrice\":5}", &c), 0);
    assert_string_equal(c.name, "");
    assert_string_equal(c.venue, "");
    assert_string_equal(c.date, "");
    bo_concert_clear(&c);
}

static void server_strings_are_sanitised(void **state)
{
    (void)state;
    bo_concert c;
    assert_int_equal(parse_one("{\"id\":\"a\",\"name\":\"A\\u001b[31mB\\u0007C\\u202eD\",\"venue\":\"\\u0085V\","
                               "\"date\":\"2026\\n-01\",\"availableTickets\":0,\"ticketPrice\":5}", &c), 0);
    const char *fields[] = { c.name, c.venue, c.date };
    for (size_t i = 0; i < 3; i++) {
        for (const unsigned char *p = (const unsigned char *)fields[i]; *p; p++) {
            assert_true(*p >= 0x20 && *p != 0x7f);
            if (*p == 0xC2)
                assert_true(p[1] >= 0xA0); /* no C1 controls */
        }
    }
    assert_null(strstr(c.name, "\xe2\x80\xae"));
    assert_non_null(strchr(c.name, 'A'));
    assert_non_null(strchr(c.name, 'D'));
    bo_concert_clear(&c);
}

static void list_from_json(void **state)
{
    (void)state;
    bo_concert_list l;
    cJSON *j = cJSON_Parse("[{\"id\":\"a\",\"name\":\"x\",\"availableTickets\":1,\"ticketPrice\":1},"
                           "{\"id\":\"b\",\"name\":\"y\",\"availableTickets\":2,\"ticketPrice\":2}]");
    assert_int_equal(bo_concert_list_from_json(j, &l), 0);
    assert_int_equal(l.n, 2);
    assert_string_equal(l.items[1].id, "b");
    bo_concert_list_clear(&l);
    assert_int_equal(l.n, 0);
    cJSON_Delete(j);

    /* one bad item among good ones: all listed, only that one marked */
    j = cJSON_Parse("[{\"id\":\"a\",\"name\":\"x\",\"availableTickets\":1,\"ticketPrice\":1}, 42,"
                    "{\"id\":\"c\",\"name\":\"z\",\"availableTickets\":-5,\"ticketPrice\":1},"
                    "{\"id\":\"d\",\"name\":\"w\",\"availableTickets\":3,\"ticketPrice\":2}]");
    assert_int_equal(bo_concert_list_from_json(j, &l), 0);
    assert_int_equal(l.n, 4);
    assert_true(bo_concert_sellable(&l.items[0]));
    assert_false(bo_concert_sellable(&l.items[1]));
    assert_string_equal(l.items[1].bad->problems[0], "record: not a JSON object");
    assert_false(bo_concert_sellable(&l.items[2]));
    assert_true(bo_concert_sellable(&l.items[3]));
    assert_int_equal(l.items[3].seats_left, 3);
    bo_concert_list_clear(&l);
    cJSON_Delete(j);
    j = cJSON_Parse("{\"id\":\"a\"}");
    assert_int_equal(bo_concert_list_from_json(j, &l), -1);
    cJSON_Delete(j);
    j = cJSON_Parse("[]");
    assert_int_equal(bo_concert_list_from_json(j, &l), 0);
    assert_int_equal(l.n, 0);
    bo_concert_list_clear(&l);
    cJSON_Delete(j);
}

/* ---- sort and filter ---- */

static void add(bo_concert_list *l, const char *id, const char *name, const char *date, const char *venue, int64_t seats)
{
    bo_concert *items = realloc(l->items, (l->n + 1) * sizeof *items);
    assert_non_null(items);
    l->items = items;
    bo_concert *c = &l->items[l->n++];
    memset(c, 0, sizeof *c);
    snprintf(c->id, sizeof c->id, "%s", id);
    c->name = strdup(name);
    c->date = strdup(date);
    c->venue = strdup(venue);
    c->seats_left = seats;
    c->price_cents = 100;
}

static bo_concert_list sample(void)
{
    bo_concert_list l = { NULL, 0 };
    add(&l, "4", "zebra", "2026-03-01", "Olympia", 5);
    add(&l, "2", "Émilie Simon", "2026-01-15", "Théâtre du Châtelet", 0);
    add(&l, "3", "abba tribute", "2026-02-01", "Wembley", 5);
    add(&l, "1", "Björk", "2026-01-15", "Harpa", 100);
    add(&l, "5", "ÆTHER", "2026-02-01", "Øresund Hall", 5);
    return l;
}

static void order(const bo_concert_list *l, const char *ids)
{
    char got[32] = "";
    for (size_t i = 0; i < l->n; i++)
        strncat(got, l->items[i].id, sizeof got - strlen(got) - 1);
    assert_string_equal(got, ids);
}

static void sort_by_date_ties_by_name(void **state)
{
    (void)state;
    bo_concert_list l = sample();
    bo_concert_list_sort(&l, BO_SORT_DATE);
    order(&l, "12354");  /* Björk < Émilie on 01-15; abba < ÆTHER on 02-01 */
    bo_concert_list_clear(&l);
}

static void sort_by_name_is_case_insensitive(void **state)
{
    (void)state;
    bo_concert_list l = sample();
    bo_concert_list_sort(&l, BO_SORT_NAME);
    order(&l, "35124");  /* abba, ÆTHER, Björk, Émilie, zebra: accents sort with their base letter */
    bo_concert_list_clear(&l);
    l = (bo_concert_list){ NULL, 0 };
    add(&l, "1", "eve", "2026-01-01", "V", 1);
    add(&l, "2", "Ève", "2026-01-01", "V", 1);
    add(&l, "3", "Eve", "2026-01-01", "V", 1);
    add(&l, "4", "Łódź Band", "2026-01-01", "V", 1);
    add(&l, "5", "Lodz", "2026-01-01", "V", 1);
    bo_concert_list_sort(&l, BO_SORT_NAME);
    order(&l, "31254"); /* Eve < eve (bytes) < Ève; Lodz < Łódź Band */
    bo_concert_list_clear(&l);
}

static void sort_by_seats_most_first_then_date(void **state)
{
    (void)state;
    bo_concert_list l = sample();
    bo_concert_list_sort(&l, BO_SORT_SEATS);
    order(&l, "13542");
    bo_concert_list_clear(&l);
}

static void sort_is_stable_for_equal_items(void **state)
{
    (void)state;
    bo_concert_list l = { NULL, 0 };
    /* same everything but the (duplicate) id; pointers tell the original order apart */
    for (int i = 0; i < 50; i++)
        add(&l, "same", "Same", "2026-01-01", "V", 1);
    char *orig[50];
    for (int i = 0; i < 50; i++)
        orig[i] = l.items[i].name;
    for (int by = 0; by < BO_SORT__COUNT; by++) {
        bo_concert_list_sort(&l, (bo_sort)by);
        for (int i = 0; i < 50; i++)
            assert_ptr_equal(l.items[i].name, orig[i]);
    }
    bo_concert_list_clear(&l);
}

/* Many items, long permutation cycles: sorted, stable, and every concert still there exactly once. */
static void sort_of_many_keeps_every_item_once_in_stable_order(void **state)
{
    (void)state;
    enum { N = 1000 };
    static const char *names[] = { "delta", "alpha", "echo", "charlie", "bravo", "golf", "foxtrot" };
    bo_concert_list l = { NULL, 0 };
    unsigned x = 12345;
    for (int i = 0; i < N; i++) {
        char id[16];
        snprintf(id, sizeof id, "%04d", i);
        x = x * 1103515245u + 12345u;
        add(&l, id, names[(x >> 16) % 7], "2026-01-01", "V", (int64_t)((x >> 8) % 50));
    }
    char *orig[N];
    for (int i = 0; i < N; i++)
        orig[i] = l.items[i].name;
    bo_concert_list_sort(&l, BO_SORT_NAME);
    bool seen[N] = { false };
    for (int i = 0; i < N; i++) {
        int at = atoi(l.items[i].id);
        assert_ptr_equal(l.items[i].name, orig[at]); /* the item moved whole */
        assert_false(seen[at]);
        seen[at] = true;
        if (i > 0) {
            int c = strcmp(l.items[i - 1].name, l.items[i].name);
            assert_true(c < 0 || (c == 0 && strcmp(l.items[i - 1].id, l.items[i].id) < 0));
        }
    }
    bo_concert_list_clear(&l);
}

static void sort_names(void **state)
{
    (void)state;
    assert_string_equal(bo_sort_name(BO_SORT_DATE), "date");
    assert_string_equal(bo_sort_name(BO_SORT_NAME), "name");
    assert_string_equal(bo_sort_name(BO_SORT_SEATS), "seats left");
}

static void filter_matches_name_or_venue_case_insensitively(void **state)
{
    (void)state;
    bo_concert_list l = sample();
    bo_concert *bjork = &l.items[3], *emilie = &l.items[1], *aether = &l.items[4];
    assert_true(bo_concert_matches(bjork, ""));
    assert_true(bo_concert_matches(bjork, NULL));
    assert_true(bo_concert_matches(bjork, "BJÖ"));   /* Latin-1 folding */
    assert_true(bo_concert_matches(bjork, "harp"));  /* venue */
    assert_true(bo_concert_matches(bjork, "bjo"));   /* accents folded, as Find folds them */
    assert_true(bo_concert_matches(emilie, "émilie"));
    assert_true(bo_concert_matches(emilie, "CHÂTELET"));
    assert_true(bo_concert_matches(aether, "æther"));
    assert_true(bo_concert_matches(aether, "øresund"));
    assert_false(bo_concert_matches(aether, "wembley"));
    assert_false(bo_concert_matches(bjork, "Björkk"));   /* longer than the name */
    assert_true(bo_concert_matches(bjork, "k"));         /* last character */
    assert_false(bo_concert_matches(bjork, "\xc3"));     /* a cut UTF-8 sequence matches nothing */
    bo_concert_list_clear(&l);
}

/* The filter folds as Find does (common/bo_fold's name keys): accents, case, ß -> ss, punctuation runs. */
static void filter_folds_like_find(void **state)
{
    (void)state;
    bo_concert_list l = { NULL, 0 };
    add(&l, "1", "Zoë Keating — Cello Loops", "2026-01-01", "Straße des 17. Juni", 1);
    add(&l, "2", "AC/DC Tribute", "2026-01-01", "Łódź Hall", 1);
    bo_concert *zoe = &l.items[0], *acdc = &l.items[1];
    assert_true(bo_concert_matches(zoe, "zoe"));
    assert_true(bo_concert_matches(zoe, "ZOE KEATING"));
    assert_true(bo_concert_matches(zoe, "zoë"));
    assert_true(bo_concert_matches(zoe, "strasse"));   /* ß -> ss */
    assert_true(bo_concert_matches(zoe, "STRASSE DES"));
    assert_true(bo_concert_matches(acdc, "ac dc"));    /* punctuation is a separator, as in Find */
    assert_true(bo_concert_matches(acdc, "lodz"));
    assert_false(bo_concert_matches(acdc, "zoe"));
    assert_false(bo_concert_matches(acdc, "/"));       /* nothing left to match */
    bo_concert_list_clear(&l);
}

/* Sorting by name uses the same keys: "Zoë" sorts as "zoe", between "Zoe" (raw bytes first) and "zoff". */
static void sort_by_name_uses_the_find_keys(void **state)
{
    (void)state;
    bo_concert_list l = { NULL, 0 };
    static const char *names[] = { "zoff", "Zoë", "Zoe", "Strasse", "Straße", "Strassf" }; /* ids 1..6 */
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char id[4];
        snprintf(id, sizeof id, "%zu", i + 1);
        add(&l, id, names[i], "2026-01-01", "V", 1);
    }
    bo_concert_list_sort(&l, BO_SORT_NAME);
    order(&l, "456321"); /* strasse (Strasse, Straße), strassf, zoe (Zoe, Zoë), zoff */
    bo_concert_list_clear(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(concert_from_json_maps_every_field),
        cmocka_unit_test(prices_are_exact_cents),
        cmocka_unit_test(a_non_object_is_refused),
        cmocka_unit_test(bad_values_mark_the_record),
        cmocka_unit_test(an_implausible_id_is_kept_exactly_beside_its_clean_form),
        cmocka_unit_test(server_problems_mark_the_record_without_repeating_a_field),
        cmocka_unit_test(a_long_name_is_kept_whole),
        cmocka_unit_test(missing_or_null_text_becomes_empty),
        cmocka_unit_test(server_strings_are_sanitised),
        cmocka_unit_test(list_from_json),
        cmocka_unit_test(sort_by_date_ties_by_name),
        cmocka_unit_test(sort_by_name_is_case_insensitive),
        cmocka_unit_test(sort_by_seats_most_first_then_date),
        cmocka_unit_test(sort_of_many_keeps_every_item_once_in_stable_order),
        cmocka_unit_test(sort_is_stable_for_equal_items),
        cmocka_unit_test(sort_names),
        cmocka_unit_test(filter_matches_name_or_venue_case_insensitively),
        cmocka_unit_test(filter_folds_like_find),
        cmocka_unit_test(sort_by_name_uses_the_find_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
