/* lookup_key: the lookup indexes' keys (bucket, folded text, inverted time) and the cursor (round trip,
 * refused when malformed, edited, or of another query). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "ddb_attr.h"
#include "lookup_key.h"

static void index_keys(void **state)
{
    (void)state;
    char *key, *sort;
    assert_int_equal(lookup_index_keys(LOOKUP_BY_NAME, "Zoë  Müller", "2026-11-29T12:54:42.123Z", &key, &sort), 0);
    assert_string_equal(key, "n#zo");
    assert_string_equal(sort, "zoe muller\x1f" "7973-88-70T87:45:57.876Z");
    free(key);
    free(sort);
    assert_int_equal(lookup_index_keys(LOOKUP_BY_EMAIL, "ÆSA@x.dk", "2026-01-01T00:00:00.000Z", &key, &sort), 0);
    assert_string_equal(key, "e#ae");
    free(key);
    free(sort);
    assert_int_equal(lookup_index_keys(LOOKUP_BY_NAME, "Άρτεμις", "2026-01-01T00:00:00.000Z", &key, &sort), 0);
    assert_string_equal(key, "n#αρ");
    free(key);
    free(sort);
    /* nothing to index: not in the index */
    assert_int_equal(lookup_index_keys(LOOKUP_BY_NAME, " -- ", "2026-01-01T00:00:00.000Z", &key, &sort), 1);
    assert_null(key);
    assert_null(sort);
    /* newer orders sort first within one customer */
    char *s1, *s2, *k1, *k2;
    assert_int_equal(lookup_index_keys(LOOKUP_BY_EMAIL, "a@b", "2026-11-29T12:54:42.123Z", &k1, &s1), 0);
    assert_int_equal(lookup_index_keys(LOOKUP_BY_EMAIL, "a@b", "2026-11-29T12:54:42.124Z", &k2, &s2), 0);
    assert_true(strcmp(s2, s1) < 0);
    free(k1), free(k2), free(s1), free(s2);
    /* a customer's whole text sorts before a longer one it is a prefix of */
    assert_int_equal(lookup_index_keys(LOOKUP_BY_NAME, "Ann", "2026-11-29T12:54:42.123Z", &k1, &s1), 0);
    assert_int_equal(lookup_index_keys(LOOKUP_BY_NAME, "Anna", "2020-01-01T00:00:00.000Z", &k2, &s2), 0);
    assert_true(strcmp(s1, s2) < 0);
    free(k1), free(k2), free(s1), free(s2);
}

static void query_needs_two_chars(void **state)
{
    (void)state;
    lookup_query q;
    assert_int_equal(lookup_query_init(&q, LOOKUP_BY_NAME, "z", NULL), -1);
    assert_int_equal(lookup_query_init(&q, LOOKUP_BY_NAME, "", NULL), -1);
    assert_int_equal(lookup_query_init(&q, LOOKUP_BY_NAME, "zo", NULL), 0);
    assert_string_equal(q.bucket, "n#zo");
    assert_string_equal(q.index, "byName");
    assert_int_equal(lookup_query_init(&q, LOOKUP_BY_EMAIL, "zoe@", "c-1"), 0);
    assert_string_equal(q.bucket, "e#zo");
    assert_string_equal(q.sort_attr, "emailSort");
    assert_string_equal(q.concert_id, "c-1");
}

static cJSON *key_of(const char *id, const char *bucket, const char *sort)
{
    cJSON *k = cJSON_CreateObject();
    assert_true(ddb_attr_add(k, "id", "S", id) && ddb_attr_add(k, "nameKey", "S", bucket) &&
                ddb_attr_add(k, "nameSort", "S", sort));
    return k;
}

static void cursor_round_trip_and_refusals(void **state)
{
    (void)state;
    lookup_query q, other, filtered;
    assert_int_equal(lookup_query_init(&q, LOOKUP_BY_NAME, "zo", NULL), 0);
    assert_int_equal(lookup_query_init(&other, LOOKUP_BY_NAME, "zoe", NULL), 0);
    assert_int_equal(lookup_query_init(&filtered, LOOKUP_BY_NAME, "zo", "c-1"), 0);
    cJSON *k = key_of("order-1", "n#zo", "zoe muller\x1f" "7973-88-70T87:45:57.876Z");
    char *c = lookup_cursor_encode(&q, k);
    assert_non_null(c);
    assert_true(strspn(c, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.") == strlen(c));
    cJSON *back = NULL;
    assert_int_equal(lookup_cursor_decode(c, &q, &back), 0);
    assert_true(cJSON_Compare(back, k, 1));
    cJSON_Delete(back);
    /* another prefix, another filter, the other index: refused */
    assert_int_equal(lookup_cursor_decode(c, &other, &back), -1);
    assert_null(back);
    assert_int_equal(lookup_cursor_decode(c, &filtered, &back), -1);
    lookup_query by_email;
    assert_int_equal(lookup_query_init(&by_email, LOOKUP_BY_EMAIL, "zo", NULL), 0);
    assert_int_equal(lookup_cursor_decode(c, &by_email, &back), -1);
    /* any one character changed: refused */
    size_t n = strlen(c);
    for (size_t i = 0; i < n; i++) {
        char saved = c[i];
        c[i] = saved == 'A' ? 'B' : 'A';
        assert_int_equal(lookup_cursor_decode(c, &q, &back), -1);
        assert_null(back);
        c[i] = saved;
    }
    /* malformed */
    static const char *const bad[] = { "", "1.", "garbage", "2.abcd.0123456789abcdef", "1.abcd.0123456789ABCDEF",
                                       "1.a.0123456789abcdef", "1.!!!!.0123456789abcdef" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(lookup_cursor_decode(bad[i], &q, &back), -1);
    assert_int_equal(lookup_cursor_decode(NULL, &q, &back), -1);
    free(c);
    /* a key outside the query (other bucket, sort outside the prefix) is not encoded */
    cJSON *wrong = key_of("order-1", "n#an", "ann\x1f" "7973");
    assert_null(lookup_cursor_encode(&q, wrong));
    cJSON_Delete(wrong);
    wrong = key_of("order-1", "n#zo", "zulu\x1f" "7973");
    assert_null(lookup_cursor_encode(&other, wrong));
    cJSON_Delete(wrong);
    cJSON_Delete(k);
}

static void holders_keyed_once_per_person_not_the_customer(void **state)
{
    (void)state;
    const char *att[] = { "Hana Holder", "Quirin Quast", "QUIRIN  quast", NULL, " -- ", "Zoë" };
    int want[] = { 0, 1, 0, 0, 0, 1 }; /* the customer; new; the same person; none; folds to nothing; new */
    for (int i = 0; i < 6; i++)
        assert_int_equal(lookup_holder_keyed("hana holder", att, 6, i), want[i]);
    assert_int_equal(lookup_holder_keyed(NULL, att, 6, 0), 1); /* a walk-up order: the first holder is new */
    assert_int_equal(lookup_holder_keyed("x", att, 6, 6), 0);  /* out of range */
    lookup_query q;
    assert_int_equal(lookup_query_init(&q, LOOKUP_BY_HOLDER, "qu", NULL), 0);
    assert_string_equal(q.index, "byHolder");
    assert_string_equal(q.bucket, "n#qu");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(index_keys),
        cmocka_unit_test(query_needs_two_chars),
        cmocka_unit_test(cursor_round_trip_and_refusals),
        cmocka_unit_test(holders_keyed_once_per_person_not_the_customer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
