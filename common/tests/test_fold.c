/* bo_fold: search keys of names and e-mails (case folding, accents, ligatures, separators, idempotence,
 * invalid UTF-8). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "bo_fold.h"
#include "bo_text.h"

static void name_is(const char *in, const char *want)
{
    char *f = bo_fold_name(in);
    assert_non_null(f);
    if (strcmp(f, want) != 0)
        fail_msg("bo_fold_name(\"%s\") = \"%s\", want \"%s\"", in, f, want);
    char *again = bo_fold_name(f);
    assert_non_null(again);
    assert_string_equal(again, f);
    free(again);
    free(f);
}

static void email_is(const char *in, const char *want)
{
    char *f = bo_fold_email(in);
    assert_non_null(f);
    if (strcmp(f, want) != 0)
        fail_msg("bo_fold_email(\"%s\") = \"%s\", want \"%s\"", in, f, want);
    char *again = bo_fold_email(f);
    assert_non_null(again);
    assert_string_equal(again, f);
    free(again);
    free(f);
}

static void latin_case_and_accents(void **state)
{
    (void)state;
    name_is("Zoë", "zoe");
    name_is("ZOË", "zoe");
    name_is("zoe", "zoe");
    name_is("Zoe\xcc\x88", "zoe"); /* e + combining diaeresis (decomposed input) */
    name_is("Ångström Çelik Øster", "angstrom celik oster");
    name_is("Straße", "strasse");
    name_is("STRASSE", "strasse");
    name_is("Æsa Œuvre", "aesa oeuvre");
    name_is("Łukasz Đoković Þór", "lukasz dokovic thor");
    name_is("Ǆemal ĳssel", "dzemal ijssel");     /* Latin Extended-B digraph, Extended-A ligature */
    name_is("Nguyễn Thị Minh Khai", "nguyen thi minh khai"); /* Latin Extended Additional */
    name_is("ﬁne ＡＢＣ", "fine abc");              /* ligature, full-width */
    name_is("Ƀƚȼ", "blc");
}

static void greek_and_cyrillic(void **state)
{
    (void)state;
    name_is("Άρτεμις", "αρτεμισ"); /* tonos stripped, final sigma = sigma */
    name_is("ΑΡΤΕΜΙΣ", "αρτεμισ");
    name_is("Ἀθηνᾶ", "αθηνα");      /* polytonic */
    name_is("Ёлка Йорк", "елка иорк");
    name_is("ЇЖАК", "іжак");
    name_is("Пётр", "петр");
}

static void name_separators(void **state)
{
    (void)state;
    name_is("  O'Brien-Smith ", "o brien smith");
    name_is("Ann\t\n  Buyer", "ann buyer");
    name_is("a.b,c;d", "a b c d");
    name_is("Zoë\xc2\xa0M\xe2\x80\x94X", "zoe m x"); /* no-break space, em dash */
    name_is("Ann\xe2\x80\x8b" "Buyer", "ann buyer"); /* zero-width space: a separator */
    name_is("", "");
    name_is("!!! ---", "");
    name_is("\xff\xfe" "abc" "\xc3", "abc");          /* invalid bytes are separators */
    name_is("ab\xc3\x28" "cd", "ab cd");
    name_is("李小龍 Bruce", "李小龍 bruce");             /* other scripts kept */
    char *n = bo_fold_name(NULL);
    assert_string_equal(n, "");
    free(n);
}

static void emails(void **state)
{
    (void)state;
    email_is("Zoe.Muller@Example.COM", "zoe.muller@example.com");
    email_is("  zoë+tag@exämple.org \t", "zoe+tag@example.org");
    email_is("ANN_O'BRIEN@x.ie", "ann_o'brien@x.ie");
    email_is("a\x1f" "b\x7f" "c@d", "abc@d");          /* controls dropped: \x1f is the sort key separator */
    email_is("a\xe2\x80\x8b" "b@c", "ab@c");            /* zero-width space dropped */
    email_is("\xcc\x81 a@b", "a@b");                    /* a leading mark leaves no space behind */
    email_is("x\xff@y", "x@y");
    email_is("STRASSE@ß.de", "strasse@ss.de");
}

static void valid_utf8_out(void **state)
{
    (void)state;
    /* every 2- and 3-byte code point (and stray bytes) folds to valid UTF-8 without controls */
    char in[8];
    for (unsigned cp = 0x80; cp < 0x10000; cp++) {
        if (cp >= 0xD800 && cp < 0xE000)
            continue;
        size_t n;
        if (cp < 0x800) {
            in[0] = (char)(0xC0 | (cp >> 6));
            in[1] = (char)(0x80 | (cp & 0x3F));
            n = 2;
        } else {
            in[0] = (char)(0xE0 | (cp >> 12));
            in[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
            in[2] = (char)(0x80 | (cp & 0x3F));
            n = 3;
        }
        in[n] = 'A';
        in[n + 1] = '\0';
        for (int k = 0; k < 2; k++) {
            char *f = k ? bo_fold_email(in) : bo_fold_name(in);
            assert_non_null(f);
            assert_true(bo_utf8_valid(f, strlen(f)));
            assert_false(bo_text_has_control(f));
            char *g = k ? bo_fold_email(f) : bo_fold_name(f);
            assert_non_null(g);
            if (strcmp(f, g) != 0)
                fail_msg("U+%04X: fold not idempotent (\"%s\" -> \"%s\")", cp, f, g);
            free(g);
            free(f);
        }
    }
}

static void head_len(void **state)
{
    (void)state;
    assert_int_equal(bo_fold_head_len("zoe", 2), 2);
    assert_int_equal(bo_fold_head_len("αρτ", 2), 4);
    assert_int_equal(bo_fold_head_len("z", 2), 1);
    assert_int_equal(bo_fold_head_len("", 2), 0);
    assert_int_equal(bo_fold_head_len("李小龍", 1), 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(latin_case_and_accents), cmocka_unit_test(greek_and_cyrillic),
        cmocka_unit_test(name_separators), cmocka_unit_test(emails), cmocka_unit_test(valid_utf8_out),
        cmocka_unit_test(head_len),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
