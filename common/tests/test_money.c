/* bo_money: parsing typed prices, converting JSON doubles exactly, formatting for storage and display. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bo_money.h"

static void parse_accepts_plain_decimals(void **state)
{
    (void)state;
    int64_t c = -1;
    assert_int_equal(bo_money_parse("49.99", &c), 0);
    assert_int_equal(c, 4999);
    assert_int_equal(bo_money_parse("50", &c), 0);
    assert_int_equal(c, 5000);
    assert_int_equal(bo_money_parse("0.5", &c), 0);
    assert_int_equal(c, 50);
    assert_int_equal(bo_money_parse("0", &c), 0);
    assert_int_equal(c, 0);
    assert_int_equal(bo_money_parse("0.05", &c), 0);
    assert_int_equal(c, 5);
    assert_int_equal(bo_money_parse("007.10", &c), 0);
    assert_int_equal(c, 710);
    assert_int_equal(bo_money_parse("1000000", &c), 0);
    assert_int_equal(c, BO_PRICE_MAX_CENTS);
    assert_int_equal(bo_money_parse("1000000.00", &c), 0);
    assert_int_equal(c, BO_PRICE_MAX_CENTS);
}

static void parse_refuses_everything_else(void **state)
{
    (void)state;
    const char *bad[] = { "", "-1", "+1", "1e2", "1E2", "49.999", "5.", ".5", "1.2.3", " 5", "5 ",
                          "abc", "0x10", "1000000.01", "99999999999999999999999", "NaN", "inf",
                          "1,50", "12a", "1.-5" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t c = 12345;
        assert_int_equal(bo_money_parse(bad[i], &c), -1);
        assert_int_equal(c, 12345); /* untouched on failure */
    }
    int64_t c;
    assert_int_equal(bo_money_parse(NULL, &c), -1);
    assert_int_equal(bo_money_parse("1", NULL), -1);
}

static void from_double_is_exact_for_two_decimals(void **state)
{
    (void)state;
    int64_t c = -1;
    assert_int_equal(bo_money_from_double(49.99, &c), 0);
    assert_int_equal(c, 4999);
    assert_int_equal(bo_money_from_double(0.1, &c), 0);
    assert_int_equal(c, 10);
    assert_int_equal(bo_money_from_double(0.29, &c), 0); /* 0.29*100 = 28.999999999999996 */
    assert_int_equal(c, 29);
    assert_int_equal(bo_money_from_double(1.15, &c), 0);
    assert_int_equal(c, 115);
    assert_int_equal(bo_money_from_double(1000000.0, &c), 0);
    assert_int_equal(c, BO_PRICE_MAX_CENTS);
    assert_int_equal(bo_money_from_double(-0.0, &c), 0);
    assert_int_equal(c, 0);
    /* every two-decimal price up to 10,000.00 survives the round trip text -> double -> cents */
    for (int64_t k = 0; k <= 1000000; k += 1) {
        char buf[32];
        snprintf(buf, sizeof buf, "%lld.%02lld", (long long)(k / 100), (long long)(k % 100));
        double d = strtod(buf, NULL);
        if (bo_money_from_double(d, &c) != 0 || c != k)
            fail_msg("%s gave %lld", buf, (long long)c);
    }
}

static void from_double_refuses_bad_values(void **state)
{
    (void)state;
    const double bad[] = { 49.999, 0.001, -0.01, -1, 1000000.01, 1e9, 1e300, 0.125, 49.995 };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t c = 7;
        if (bo_money_from_double(bad[i], &c) != -1)
            fail_msg("accepted %.17g", bad[i]);
        assert_int_equal(c, 7);
    }
    int64_t c;
    assert_int_equal(bo_money_from_double(INFINITY, &c), -1);
    assert_int_equal(bo_money_from_double(-INFINITY, &c), -1);
    assert_int_equal(bo_money_from_double(NAN, &c), -1);
    assert_int_equal(bo_money_from_double(1.0, NULL), -1);
}

/* Amounts above a price (a cash tendered, a total of 49 tickets) up to a stated maximum, exact in cents;
 * a well-formed amount above the maximum is told apart from a malformed one. */
static void upto_reads_large_amounts_exactly(void **state)
{
    (void)state;
    int64_t c = 0;
    assert_int_equal(bo_money_parse_upto("49000000.00", BO_AMOUNT_MAX_CENTS, &c), BO_MONEY_OK);
    assert_int_equal(c, INT64_C(4900000000));
    assert_int_equal(bo_money_parse_upto("2500000.57", BO_AMOUNT_MAX_CENTS, &c), BO_MONEY_OK);
    assert_int_equal(c, INT64_C(250000057));
    assert_int_equal(bo_money_parse_upto("1000000000", BO_AMOUNT_MAX_CENTS, &c), BO_MONEY_OK);
    assert_int_equal(c, BO_AMOUNT_MAX_CENTS);
    assert_int_equal(bo_money_parse_upto("999999999.99", BO_AMOUNT_MAX_CENTS, &c), BO_MONEY_OK);
    assert_int_equal(c, BO_AMOUNT_MAX_CENTS - 1);
    c = 7;
    assert_int_equal(bo_money_parse_upto("1000000000.01", BO_AMOUNT_MAX_CENTS, &c), BO_MONEY_TOO_LARGE);
    assert_int_equal(bo_money_parse_upto("99999999999999999999999999", BO_AMOUNT_MAX_CENTS, &c), BO_MONEY_TOO_LARGE);
    assert_int_equal(bo_money_parse_upto("1000000.01", BO_PRICE_MAX_CENTS, &c), BO_MONEY_TOO_LARGE);
    assert_int_equal(bo_money_parse_upto("2000000.001", BO_AMOUNT_MAX_CENTS, &c), BO_MONEY_MALFORMED);
    assert_int_equal(bo_money_parse_upto("-5", BO_AMOUNT_MAX_CENTS, &c), BO_MONEY_MALFORMED);
    assert_int_equal(bo_money_parse_upto("1", BO_AMOUNT_MAX_CENTS + 1, &c), BO_MONEY_MALFORMED);
    assert_int_equal(c, 7);
    assert_int_equal(bo_money_from_double_upto(49000000.0, BO_AMOUNT_MAX_CENTS, &c), BO_MONEY_OK);
    assert_int_equal(c, INT64_C(4900000000));
    assert_int_equal(bo_money_from_double_upto(123456789.07, BO_AMOUNT_MAX_CENTS, &c), BO_MONEY_OK);
    assert_int_equal(c, INT64_C(12345678907));
    assert_int_equal(bo_money_from_double_upto(1e9 + 0.01, BO_AMOUNT_MAX_CENTS, &c), BO_MONEY_TOO_LARGE);
    assert_int_equal(bo_money_from_double_upto(2000000.001, BO_AMOUNT_MAX_CENTS, &c), BO_MONEY_MALFORMED);
    /* every cent of a stretch far above a price survives format -> parse and the double path */
    for (int64_t k = INT64_C(4899999000); k <= INT64_C(4900001000); k++) {
        char out[BO_MONEY_BUF];
        bo_money_format(k, out);
        assert_int_equal(bo_money_parse_upto(out, BO_AMOUNT_MAX_CENTS, &c), BO_MONEY_OK);
        assert_int_equal(c, k);
        assert_int_equal(bo_money_from_double_upto(strtod(out, NULL), BO_AMOUNT_MAX_CENTS, &c), BO_MONEY_OK);
        assert_int_equal(c, k);
    }
}

static void format_is_shortest_exact_decimal(void **state)
{
    (void)state;
    char out[BO_MONEY_BUF];
    struct { int64_t c; const char *s; } cases[] = {
        { 4999, "49.99" }, { 5000, "50" }, { 4990, "49.9" }, { 0, "0" }, { 5, "0.05" },
        { 50, "0.5" }, { 100, "1" }, { 101, "1.01" }, { BO_PRICE_MAX_CENTS, "1000000" },
        { -4999, "-49.99" }, { INT64_MAX, "92233720368547758.07" },
        { INT64_MIN, "-92233720368547758.08" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bo_money_format(cases[i].c, out);
        assert_string_equal(out, cases[i].s);
    }
}

static void format_then_parse_round_trips(void **state)
{
    (void)state;
    char out[BO_MONEY_BUF];
    for (int64_t k = 0; k <= BO_PRICE_MAX_CENTS; k += 997) {
        int64_t c = -1;
        bo_money_format(k, out);
        assert_int_equal(bo_money_parse(out, &c), 0);
        assert_int_equal(c, k);
        /* and the raw JSON number reads back as the same double as the two-decimal text */
        assert_int_equal(bo_money_from_double(strtod(out, NULL), &c), 0);
        assert_int_equal(c, k);
    }
}

static void display_groups_thousands(void **state)
{
    (void)state;
    char out[BO_MONEY_BUF];
    struct { int64_t c; const char *s; } cases[] = {
        { 123456, "1,234.56" }, { 0, "0.00" }, { 5, "0.05" }, { 4990, "49.90" },
        { 99999, "999.99" }, { 100000, "1,000.00" }, { BO_PRICE_MAX_CENTS, "1,000,000.00" },
        { -123456, "-1,234.56" }, { INT64_MIN, "-92,233,720,368,547,758.08" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bo_money_display(cases[i].c, out);
        assert_string_equal(out, cases[i].s);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parse_accepts_plain_decimals),
        cmocka_unit_test(parse_refuses_everything_else),
        cmocka_unit_test(from_double_is_exact_for_two_decimals),
        cmocka_unit_test(from_double_refuses_bad_values),
        cmocka_unit_test(upto_reads_large_amounts_exactly),
        cmocka_unit_test(format_is_shortest_exact_decimal),
        cmocka_unit_test(format_then_parse_round_trips),
        cmocka_unit_test(display_groups_thousands),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
