/* bo_text: UTF-8 validity, counting, control detection, trimming and terminal sanitising. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "bo_text.h"

#define VALID(lit) bo_utf8_valid(lit, sizeof(lit) - 1)

static void utf8_accepts_well_formed_text(void **state)
{
    (void)state;
    assert_true(VALID(""));
    assert_true(VALID("Hello, world"));
    assert_true(VALID("Beyonc\xC3\xA9"));             /* é */
    assert_true(VALID("\xE2\x82\xAC 5"));             /* € */
    assert_true(VALID("\xF0\x9F\x8E\xB8"));           /* 🎸 */
    assert_true(VALID("\xEF\xBF\xBF"));               /* U+FFFF */
    assert_true(VALID("\xF4\x8F\xBF\xBF"));           /* U+10FFFF */
    assert_true(VALID("\xED\x9F\xBF"));               /* U+D7FF, just below the surrogates */
    assert_true(VALID("a\0b"));                       /* NUL is well-formed; callers check it separately */
    assert_true(bo_utf8_valid(NULL, 0));
}

static void utf8_refuses_malformed_text(void **state)
{
    (void)state;
    assert_false(VALID("\x80"));                      /* lone continuation */
    assert_false(VALID("\xC3"));                      /* truncated */
    assert_false(VALID("\xC3\x28"));                  /* bad continuation */
    assert_false(VALID("\xC0\xAF"));                  /* overlong '/' */
    assert_false(VALID("\xC1\xBF"));                  /* overlong */
    assert_false(VALID("\xE0\x80\xAF"));              /* overlong 3-byte */
    assert_false(VALID("\xF0\x80\x80\xAF"));          /* overlong 4-byte */
    assert_false(VALID("\xED\xA0\x80"));              /* U+D800 surrogate */
    assert_false(VALID("\xED\xBF\xBF"));              /* U+DFFF surrogate */
    assert_false(VALID("\xF4\x90\x80\x80"));          /* U+110000 */
    assert_false(VALID("\xF5\x80\x80\x80"));
    assert_false(VALID("\xFF"));
    assert_false(VALID("abc\xE2\x82"));               /* truncated at the end */
    assert_false(bo_utf8_valid("\xE2\x82\xAC", 2));   /* length cuts a character */
    assert_true(bo_utf8_valid("\xE2\x82\xAC", 3));
}

/* The NUL rule is explicit: bo_utf8_valid lets U+0000 through, bo_utf8_valid_no_nul does not (the local
 * gateway sends such bodies base64-encoded); otherwise the two agree. */
static void utf8_no_nul_refuses_nul_and_agrees_otherwise(void **state)
{
    (void)state;
    assert_true(bo_utf8_valid("a\0b", 3));
    assert_false(bo_utf8_valid_no_nul("a\0b", 3));
    assert_false(bo_utf8_valid_no_nul("\0", 1));
    assert_true(bo_utf8_valid_no_nul("a\0b", 1)); /* only len bytes are read */
    assert_true(bo_utf8_valid_no_nul(NULL, 0));
    assert_true(bo_utf8_valid_no_nul("", 0));
    const char *cases[] = { "plain", "\xe5\x9d\x82\xe6\x9c\xac \xe2\x80\x94 Bj\xc3\xb6rk", "\xf0\x9f\x8e\xb5",
                            "\xc3", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe2\x82", "\xff" };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        assert_int_equal(bo_utf8_valid_no_nul(cases[i], strlen(cases[i])), bo_utf8_valid(cases[i], strlen(cases[i])));
    assert_true(bo_utf8_valid_no_nul(cases[1], strlen(cases[1])));
    assert_false(bo_utf8_valid_no_nul(cases[3], strlen(cases[3])));
}

static void utf8_counts_code_points(void **state)
{
    (void)state;
    assert_int_equal(bo_utf8_chars(""), 0);
    assert_int_equal(bo_utf8_chars("abc"), 3);
    assert_int_equal(bo_utf8_chars("Beyonc\xC3\xA9"), 7);
    assert_int_equal(bo_utf8_chars("\xF0\x9F\x8E\xB8\xE2\x82\xAC"), 2);
    assert_int_equal(bo_utf8_chars(NULL), 0);
}

static void control_detection_covers_c0_del_c1(void **state)
{
    (void)state;
    assert_false(bo_text_has_control("plain text"));
    assert_false(bo_text_has_control("caf\xC3\xA9 \xE2\x82\xAC"));
    assert_false(bo_text_has_control("\xC2\xA0")); /* NBSP is not a control */
    assert_false(bo_text_has_control(""));
    assert_true(bo_text_has_control("a\tb"));
    assert_true(bo_text_has_control("line\n"));
    assert_true(bo_text_has_control("\x1B[31mred"));
    assert_true(bo_text_has_control("del\x7F"));
    assert_true(bo_text_has_control("c1 \xC2\x85"));   /* U+0085 NEL */
    assert_true(bo_text_has_control("csi \xC2\x9B"));  /* U+009B CSI */
    assert_true(bo_text_has_control("raw \x9B"));      /* raw 8-bit CSI byte, not UTF-8 */
    assert_false(bo_text_has_control(NULL));
}

static void trim_dup_removes_ascii_space_only(void **state)
{
    (void)state;
    struct { const char *in, *out; } cases[] = {
        { "  hello  ", "hello" }, { "\t\r\nx y\n", "x y" }, { "", "" }, { "   ", "" },
        { "a", "a" }, { "\xC2\xA0x\xC2\xA0", "\xC2\xA0x\xC2\xA0" }, /* NBSP is kept */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *t = bo_text_trim_dup(cases[i].in);
        assert_non_null(t);
        assert_string_equal(t, cases[i].out);
        free(t);
    }
    char *t = bo_text_trim_dup(NULL);
    assert_non_null(t);
    assert_string_equal(t, "");
    free(t);
}

static void sanitize_keeps_printable_text(void **state)
{
    (void)state;
    char out[64];
    assert_int_equal(bo_text_sanitize(out, sizeof out, "Caf\xC3\xA9 \xF0\x9F\x8E\xB8"), 10);
    assert_string_equal(out, "Caf\xC3\xA9 \xF0\x9F\x8E\xB8");
}

static void sanitize_neutralises_controls_and_escapes(void **state)
{
    (void)state;
    char out[128];
    struct { const char *in, *out; } cases[] = {
        { "a\tb\nc", "a b c" },
        { "\x1B[2J\x1B[1;31mRED\x1B[0m", "RED" },                  /* CSI sequences vanish */
        { "x\x1B]0;evil title\x07y", "xy" },                        /* OSC with BEL */
        { "x\x1B]8;;http://e\x1B\\link\x1B]8;;\x1B\\y", "xlinky" }, /* OSC hyperlink with ST */
        { "bell\x07!", "bell!" },
        { "del\x7F!", "del!" },
        { "c1\xC2\x9B" "31m", "c131m" },                            /* C1 CSI dropped */
        { "bad\xFFz", "bad\xEF\xBF\xBDz" },                         /* invalid byte -> U+FFFD */
        { "\xC3", "\xEF\xBF\xBD" },
        { "ab\xE2\x80\xAE" "cba", "abcba" },                        /* RLO dropped */
        { "\xE2\x81\xA6x\xE2\x81\xA9", "x" },                       /* LRI ... PDI dropped */
        { "\x1B", "" },
        { "\x1B[", "" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t n = bo_text_sanitize(out, sizeof out, cases[i].in);
        assert_string_equal(out, cases[i].out);
        assert_int_equal(n, strlen(cases[i].out));
    }
}

static void sanitize_truncates_on_character_boundary(void **state)
{
    (void)state;
    char out[6];
    /* "é" is 2 bytes: 5 usable bytes hold "aé" + "é" = 5 -> then the next "é" does not fit */
    assert_int_equal(bo_text_sanitize(out, sizeof out, "a\xC3\xA9\xC3\xA9\xC3\xA9"), 5);
    assert_string_equal(out, "a\xC3\xA9\xC3\xA9");
    char small[4];
    assert_int_equal(bo_text_sanitize(small, sizeof small, "\xF0\x9F\x8E\xB8"), 0); /* 4 bytes do not fit in 3 */
    assert_string_equal(small, "");
    char one[1];
    assert_int_equal(bo_text_sanitize(one, sizeof one, "abc"), 0);
    assert_string_equal(one, "");
    char untouched = 'X';
    assert_int_equal(bo_text_sanitize(&untouched, 0, "abc"), 0);
    assert_int_equal(untouched, 'X');
    assert_int_equal(bo_text_sanitize(out, sizeof out, NULL), 0);
    assert_string_equal(out, "");
}

static void sanitize_output_is_always_clean(void **state)
{
    (void)state;
    /* pseudo-random bytes: the output must be valid UTF-8 without controls, whatever comes in */
    unsigned seed = 12345;
    char in[256], out[300];
    for (int round = 0; round < 2000; round++) {
        size_t n = 1 + (size_t)(round % 255);
        for (size_t i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            in[i] = (char)(1 + (seed >> 16) % 255);
        }
        in[n] = '\0';
        size_t w = bo_text_sanitize(out, sizeof out, in);
        assert_int_equal(w, strlen(out));
        assert_true(bo_utf8_valid(out, w));
        assert_false(bo_text_has_control(out));
    }
}

static void utf8_step_decodes_and_always_moves_on(void **state)
{
    (void)state;
    uint32_t cp = 0;
    assert_int_equal(bo_utf8_step("", 0, &cp), 0);
    assert_int_equal(bo_utf8_step("A", 1, &cp), 1);
    assert_int_equal(cp, 'A');
    assert_int_equal(bo_utf8_step("\xc3\xab", 2, &cp), 2); /* ë */
    assert_int_equal(cp, 0xEB);
    assert_int_equal(bo_utf8_step("\xe2\x80\xae", 3, &cp), 3); /* U+202E */
    assert_int_equal(cp, 0x202E);
    assert_int_equal(bo_utf8_step("\xf0\x9f\x8e\xb5", 4, &cp), 4); /* U+1F3B5 */
    assert_int_equal(cp, 0x1F3B5);
    const char *bad[] = { "\x80", "\xc0\xaf", "\xed\xa0\x80", "\xe2\x80", "\xf5\x80\x80\x80", "\xc3" "A" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(bo_utf8_step(bad[i], strlen(bad[i]), &cp), 1);
        assert_int_equal(cp, 0xFFFD);
    }
    assert_int_equal(bo_utf8_step("\xef\xbf\xbd", 3, &cp), 3); /* a real U+FFFD: 3 bytes, not a bad one */
    assert_int_equal(cp, 0xFFFD);
}

static void utf8_cut_never_splits_a_character(void **state)
{
    (void)state;
    const char *s = "a\xc3\xab\xf0\x9f\x8e\xb5z"; /* a ë U+1F3B5 z */
    char small[4];
    assert_int_equal(bo_utf8_copy(small, sizeof small, "a\xc3\xa9\xc3\xa9"), 3);   /* "aé": the second é would split */
    assert_string_equal(small, "a\xc3\xa9");
    assert_int_equal(bo_utf8_copy(small, sizeof small, "ab"), 2);
    assert_string_equal(small, "ab");
    assert_int_equal(bo_utf8_copy(small, 1, "ab"), 0);
    assert_string_equal(small, "");
    assert_int_equal(bo_utf8_cut(s, 0), 0);
    assert_int_equal(bo_utf8_cut(s, 1), 1);
    assert_int_equal(bo_utf8_cut(s, 2), 1);
    assert_int_equal(bo_utf8_cut(s, 3), 3);
    for (size_t n = 4; n <= 6; n++)
        assert_int_equal(bo_utf8_cut(s, n), 3);
    assert_int_equal(bo_utf8_cut(s, 7), 7);
    assert_int_equal(bo_utf8_cut(s, 8), 8); /* the NUL */
    assert_int_equal(bo_utf8_cut("\x80\x80", 1), 0);
}

static void widths_count_terminal_columns(void **state)
{
    (void)state;
    if (setlocale(LC_CTYPE, "C.UTF-8") == NULL)
        skip();
    assert_int_equal(bo_cp_width('a'), 1);
    assert_int_equal(bo_cp_width(0x301), 0);  /* combining acute */
    assert_int_equal(bo_cp_width(0x6F22), 2); /* 漢 */
    assert_int_equal(bo_cp_width(0x1B), 1);   /* a control counts as its stand-in */
    assert_int_equal(bo_text_width("Zo\xc3\xab"), 3);
    assert_int_equal(bo_text_width("Zoe\xcc\x88"), 3);
    assert_int_equal(bo_text_width("\xe6\xbc\xa2\xe5\xad\x97"), 4);
    assert_int_equal(bo_text_width(NULL), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(utf8_accepts_well_formed_text),
        cmocka_unit_test(utf8_refuses_malformed_text),
        cmocka_unit_test(utf8_no_nul_refuses_nul_and_agrees_otherwise),
        cmocka_unit_test(utf8_counts_code_points),
        cmocka_unit_test(control_detection_covers_c0_del_c1),
        cmocka_unit_test(trim_dup_removes_ascii_space_only),
        cmocka_unit_test(sanitize_keeps_printable_text),
        cmocka_unit_test(sanitize_neutralises_controls_and_escapes),
        cmocka_unit_test(sanitize_truncates_on_character_boundary),
        cmocka_unit_test(sanitize_output_is_always_clean),
        cmocka_unit_test(utf8_step_decodes_and_always_moves_on),
        cmocka_unit_test(utf8_cut_never_splits_a_character),
        cmocka_unit_test(widths_count_terminal_columns),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
