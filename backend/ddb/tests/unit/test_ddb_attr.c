/* DynamoDB attribute values and numbers (ddb_attr.h): numbers are read exactly, in every notation
 * DynamoDB returns, and anything else is refused with the reason; attribute values are built and read
 * in the JSON the client sends and receives. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "ddb_attr.h"

static void test_numbers_are_read_exactly_in_every_notation(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int scale;
        int64_t want;
    } cases[] = {
        {"49.99", 2, 4999},  {"49.990", 2, 4999},  {"1E+1", 0, 10},       {"1e1", 2, 1000},
        {"0.5e-1", 2, 5},    {"+7", 0, 7},         {"000012", 0, 12},     {"0", 2, 0},
        {"-0", 0, 0},        {"0.000", 2, 0},      {"123456789012345678", 0, INT64_C(123456789012345678)},
        {".5", 2, 50},       {"5.", 2, 500},       {"25E-1", 1, 25},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int64_t v = -1;
        bool neg = true;
        assert_int_equal(ddb_number_scaled(cases[i].text, cases[i].scale, &v, &neg), 0);
        assert_true(v == cases[i].want);
        assert_false(neg);
    }
}

static void test_negative_numbers_are_flagged(void **state)
{
    (void)state;
    int64_t v = 0;
    bool neg = false;
    assert_int_equal(ddb_number_scaled("-0.5", 2, &v, &neg), 0);
    assert_true(neg);
    assert_true(v == -50);
    assert_int_equal(ddb_number_scaled("-0.001", 2, &v, &neg), -3); /* inexact, and still negative */
    assert_true(neg);
}

static void test_malformed_too_big_and_inexact_numbers_are_told_apart(void **state)
{
    (void)state;
    int64_t v;
    bool neg;
    const char *malformed[] = {"", "abc", "1.2.3", "1e", "1e+", "--1", "1 ", " 1", "0x10", "1e10001", "NaN", "Infinity"};
    for (size_t i = 0; i < sizeof malformed / sizeof malformed[0]; i++)
        assert_int_equal(ddb_number_scaled(malformed[i], 2, &v, &neg), -1);
    assert_int_equal(ddb_number_scaled("1234567890123456789", 0, &v, &neg), -2); /* 19 digits */
    assert_int_equal(ddb_number_scaled("1e17", 2, &v, &neg), -2);
    assert_int_equal(ddb_number_scaled("49.999", 2, &v, &neg), -3);
    assert_int_equal(ddb_number_scaled("1e-3", 2, &v, &neg), -3);
}

static void test_attribute_values_are_built_and_read(void **state)
{
    (void)state;
    cJSON *item = cJSON_CreateObject();
    assert_non_null(item);
    assert_true(ddb_attr_add(item, "name", "S", "Jazz night"));
    assert_true(ddb_attr_add(item, "price", "N", "49.99"));
    assert_true(ddb_attr_add(item, "venue", "S", NULL)); /* NULL is stored as "" */
    char *json = cJSON_PrintUnformatted(item);
    assert_string_equal(json, "{\"name\":{\"S\":\"Jazz night\"},\"price\":{\"N\":\"49.99\"},\"venue\":{\"S\":\"\"}}");
    free(json);

    assert_string_equal(ddb_attr_s(item, "name"), "Jazz night");
    assert_null(ddb_attr_s(item, "price"));  /* an N is no S */
    assert_null(ddb_attr_s(item, "missing"));

    bool is_s = true;
    assert_string_equal(ddb_attr_number_text(cJSON_GetObjectItem(item, "price"), &is_s), "49.99");
    assert_false(is_s);
    assert_string_equal(ddb_attr_number_text(cJSON_GetObjectItem(item, "name"), &is_s), "Jazz night");
    assert_true(is_s); /* a number a DocumentClient wrote as a string is found too; judging it is the caller's */
    cJSON_Delete(item);
}

static void test_stored_text_of_any_value(void **state)
{
    (void)state;
    cJSON *item = cJSON_Parse("{\"a\":{\"S\":\"x\"},\"b\":{\"N\":\"7\"},\"c\":{\"BOOL\":true},\"d\":{\"NULL\":true}}");
    assert_non_null(item);
    const char *want[][2] = {{"a", "x"}, {"b", "7"}, {"c", "{\"BOOL\":true}"}, {"d", "{\"NULL\":true}"}};
    for (size_t i = 0; i < 4; i++) {
        char *t = ddb_attr_text(cJSON_GetObjectItem(item, want[i][0]));
        assert_non_null(t);
        assert_string_equal(t, want[i][1]);
        free(t);
    }
    bool is_s = true;
    assert_null(ddb_attr_number_text(cJSON_GetObjectItem(item, "c"), &is_s));
    assert_false(is_s);
    cJSON_Delete(item);
}

static void test_numbers_and_lists_are_read_by_their_type(void **state)
{
    (void)state;
    cJSON *item = cJSON_Parse("{\"q\":{\"N\":\"4\"},\"s\":{\"S\":\"4\"},\"ids\":{\"L\":[{\"S\":\"a\"},{\"S\":\"b\"}]},"
                              "\"bad\":{\"L\":{\"S\":\"a\"}},\"n\":{\"N\":4}}");
    assert_non_null(item);
    assert_string_equal(ddb_attr_n(item, "q"), "4");
    assert_null(ddb_attr_n(item, "s"));       /* an S is no N */
    assert_null(ddb_attr_n(item, "n"));       /* nor is a JSON number: DynamoDB sends N as text */
    assert_null(ddb_attr_n(item, "missing"));
    const cJSON *l = ddb_attr_l(item, "ids");
    assert_non_null(l);
    assert_int_equal(cJSON_GetArraySize(l), 2);
    assert_null(ddb_attr_l(item, "bad"));     /* an L that is no array */
    assert_null(ddb_attr_l(item, "q"));
    assert_null(ddb_attr_l(item, "missing"));
    cJSON_Delete(item);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_numbers_are_read_exactly_in_every_notation),
        cmocka_unit_test(test_negative_numbers_are_flagged),
        cmocka_unit_test(test_malformed_too_big_and_inexact_numbers_are_told_apart),
        cmocka_unit_test(test_attribute_values_are_built_and_read),
        cmocka_unit_test(test_stored_text_of_any_value),
        cmocka_unit_test(test_numbers_and_lists_are_read_by_their_type),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
