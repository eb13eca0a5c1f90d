/* bo_code: ticket codes (format, known answers, parsing typed/scanned input, redaction, randomness)
 * and bo_valid_order (currency, timezone, maxPerOrder, quantity, payment method). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "bo_code.h"
#include "bo_valid_order.h"

static void known_answers(void **state)
{
    (void)state;
    char out[BO_CODE_BUF];
    uint8_t zero[13] = {0}, ones[13], seq[13];
    memset(ones, 0xFF, sizeof ones);
    bo_code_from_bytes(zero, out);
    assert_string_equal(out, "00000-00000-00000-00000");
    bo_code_from_bytes(ones, out);
    assert_string_equal(out, "ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ");
    /* 0x08 0x86 0x42 0x98 0xE8 ... : the 5-bit groups 1, 2, 3, 4, 5, 6, 7, 8 */
    uint8_t inc[13] = { 0x08, 0x86, 0x42, 0x98, 0xE8, 0x00 };
    bo_code_from_bytes(inc, out);
    assert_string_equal(out, "12345-67800-00000-00000");
    for (int i = 0; i < 13; i++)
        seq[i] = (uint8_t)(i * 37 + 5);
    bo_code_from_bytes(seq, out);
    assert_int_equal(strlen(out), BO_CODE_LEN);
    /* the last 4 bits of the 13 bytes are not used: they must not change the code */
    char out2[BO_CODE_BUF];
    seq[12] ^= 0x0F;
    bo_code_from_bytes(seq, out2);
    assert_string_equal(out, out2);
}

static void fresh_codes_are_canonical_and_distinct(void **state)
{
    (void)state;
    enum { N = 2000 };
    char (*codes)[BO_CODE_BUF] = calloc(N, BO_CODE_BUF);
    assert_non_null(codes);
    unsigned seen[32] = {0};
    for (int i = 0; i < N; i++) {
        assert_int_equal(bo_code_new(codes[i]), 0);
        assert_int_equal(strlen(codes[i]), BO_CODE_LEN);
        for (int k = 0; k < BO_CODE_LEN; k++) {
            if (k % 6 == 5) {
                assert_int_equal(codes[i][k], '-');
                continue;
            }
            const char *p = strchr(bo_code_alphabet, codes[i][k]);
            assert_non_null(p);
            seen[p - bo_code_alphabet]++;
        }
        char back[BO_CODE_BUF];
        assert_int_equal(bo_code_parse(codes[i], back), 0);
        assert_string_equal(back, codes[i]);
        for (int j = 0; j < i; j++)
            assert_string_not_equal(codes[i], codes[j]);
    }
    for (int v = 0; v < 32; v++) /* 40,000 symbols: each of the 32 turns up about 1,250 times */
        assert_true(seen[v] > 900 && seen[v] < 1600);
    free(codes);
}

static void parse_is_forgiving_where_people_are(void **state)
{
    (void)state;
    char out[BO_CODE_BUF];
    assert_int_equal(bo_code_parse("abcde-fghjk-mnpqr-stvwx", out), 0);
    assert_string_equal(out, "ABCDE-FGHJK-MNPQR-STVWX");
    assert_int_equal(bo_code_parse("ABCDEFGHJKMNPQRSTVWX", out), 0);
    assert_string_equal(out, "ABCDE-FGHJK-MNPQR-STVWX");
    assert_int_equal(bo_code_parse("ABCD EFGH JKMN PQRS TVWX", out), 0);
    assert_string_equal(out, "ABCDE-FGHJK-MNPQR-STVWX");
    assert_int_equal(bo_code_parse("O0OOO-IiLl1-00000-00000", out), 0); /* look-alikes */
    assert_string_equal(out, "00000-11111-00000-00000");
}

static void parse_refuses_what_is_not_a_code(void **state)
{
    (void)state;
    char out[BO_CODE_BUF];
    const char *bad[] = { "", "ABCDE-FGHJK-MNPQR-STVW", "ABCDE-FGHJK-MNPQR-STVWXY", "ABCDE-FGHJK-MNPQR-STVWU",
                          "ABCDE_FGHJK_MNPQR_STVWX", "ABCDE-FGHJK-MNPQR-STVW\xc3\xa9", "ABCDE-FGHJK-MNPQR-STVW*",
                          "ABCDE-FGHJK-MNPQR-STVW\n" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memcpy(out, "junk", 5);
        assert_int_equal(bo_code_parse(bad[i], out), -1);
        assert_string_equal(out, "");
    }
    assert_int_equal(bo_code_parse(NULL, out), -1);
}

static void redact_keeps_four_symbols(void **state)
{
    (void)state;
    char r[BO_CODE_REDACT_BUF];
    bo_code_redact("ABCDE-FGHJK-MNPQR-STVWX", r);
    assert_string_equal(r, "ABCD\xe2\x80\xa6");
    bo_code_redact("AB", r);
    assert_string_equal(r, "AB\xe2\x80\xa6");
    bo_code_redact(NULL, r);
    assert_string_equal(r, "");
}

static void reads_as_name(void **state)
{
    (void)state;
    assert_true(bo_code_reads_as_name("Maximilian Rothenberg"));  /* 20 letters, L/I read as 1 */
    assert_true(bo_code_reads_as_name("maximilianrothenberg"));
    assert_false(bo_code_reads_as_name("ABCDE-FGHJK-MNPQR-STVWX")); /* grouped: a code only */
    assert_false(bo_code_reads_as_name("abcde0fghjkmnpqrstvw"));    /* a digit: a code only */
    assert_false(bo_code_reads_as_name("Maximiliana Rothenberg"));  /* 21 letters: not a code */
    assert_false(bo_code_reads_as_name("Ursula Rothenbergerin"));   /* U: not a code */
    assert_false(bo_code_reads_as_name(""));
    assert_false(bo_code_reads_as_name(NULL));
}

static void order_fields(void **state)
{
    (void)state;
    assert_null(bo_valid_currency("EUR"));
    assert_null(bo_valid_currency("USD"));
    assert_non_null(bo_valid_currency("eur"));
    assert_non_null(bo_valid_currency("EURO"));
    assert_non_null(bo_valid_currency(""));
    assert_non_null(bo_valid_currency(NULL));
    const char *good_tz[] = { "UTC", "Europe/Vienna", "America/Argentina/Buenos_Aires", "Etc/GMT+5",
                              "America/Port-au-Prince", "Asia/Ho_Chi_Minh" };
    for (size_t i = 0; i < sizeof good_tz / sizeof good_tz[0]; i++)
        assert_null(bo_valid_timezone(good_tz[i]));
    const char *bad_tz[] = { "", "Vienna", "Mars/Olympus", "Europe/", "Europe//Vienna", "Europe/Vi enna",
                             "Europe/../etc", "Europe/Vienna/A/B", "europe/vienna", "Europe/1Vienna", NULL };
    for (size_t i = 0; i < sizeof bad_tz / sizeof bad_tz[0]; i++)
        assert_non_null(bo_valid_timezone(bad_tz[i]));
    int64_t v = 0;
    assert_null(bo_valid_max_per_order_double(1, &v));
    assert_int_equal(v, 1);
    assert_null(bo_valid_max_per_order_double(47, &v));
    assert_int_equal(v, 47);
    assert_non_null(bo_valid_max_per_order_double(48, &v));
    assert_non_null(bo_valid_max_per_order_double(0, &v));
    assert_non_null(bo_valid_max_per_order_double(2.5, &v));
    /* typed in a form or on the command line */
    assert_null(bo_valid_max_per_order_text("4", &v));
    assert_int_equal(v, 4);
    assert_null(bo_valid_max_per_order_text(" 47 ", &v));
    assert_int_equal(v, 47);
    const char *bad_max[] = { "0", "48", "-1", "+4", "4.0", "4x", "1e1", "00000000000000000000050", "", " ", NULL };
    for (size_t i = 0; i < sizeof bad_max / sizeof bad_max[0]; i++)
        assert_non_null(bo_valid_max_per_order_text(bad_max[i], &v));
    assert_string_equal(bo_valid_max_per_order_text("48", &v), bo_valid_max_per_order_double(48, &v));
    assert_null(bo_valid_quantity_double(4, &v));
    assert_int_equal(v, 4);
    assert_non_null(bo_valid_quantity_double(-1, &v));
    assert_non_null(bo_valid_quantity_double(1e300, &v));
    /* names on the tickets: one per ticket when given at all */
    assert_null(bo_valid_attendee_count(3, 3));
    assert_non_null(bo_valid_attendee_count(2, 3));
    assert_non_null(bo_valid_attendee_count(1, 2));
    assert_non_null(bo_valid_attendee_count(4, 3));
    assert_non_null(bo_valid_attendee_count(0, 0));
    assert_true(bo_valid_payment_method("card") && bo_valid_payment_method("cash") && bo_valid_payment_method("comp"));
    assert_false(bo_valid_payment_method("Card") || bo_valid_payment_method("") || bo_valid_payment_method(NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(known_answers),
        cmocka_unit_test(fresh_codes_are_canonical_and_distinct),
        cmocka_unit_test(parse_is_forgiving_where_people_are),
        cmocka_unit_test(parse_refuses_what_is_not_a_code),
        cmocka_unit_test(redact_keeps_four_symbols),
        cmocka_unit_test(reads_as_name),
        cmocka_unit_test(order_fields),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
