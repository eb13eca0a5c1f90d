/* Width-aware truncation and padding, column layout, date/age formatting, scroll arithmetic. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <string.h>

#include "ui_text.h"

static int utf8_setup(void **state)
{
    (void)state;
    return setlocale(LC_CTYPE, "C.UTF-8") != NULL || setlocale(LC_CTYPE, "en_US.UTF-8") != NULL ? 0 : -1;
}

static void ascii_is_padded_to_the_width(void **state)
{
    (void)state;
    char out[64];
    ui_text_fit(out, sizeof out, "Harpa", 8, false);
    assert_string_equal(out, "Harpa   ");
    ui_text_fit(out, sizeof out, "49.99", 8, true);
    assert_string_equal(out, "   49.99");
}

static void long_text_is_cut_with_an_ellipsis(void **state)
{
    (void)state;
    char out[64];
    ui_text_fit(out, sizeof out, "Philharmonie Berlin", 10, false);
    assert_string_equal(out, "Philharmo\xe2\x80\xa6");
    assert_int_equal(ui_text_width(out), 10);
}

static void cjk_counts_two_columns_and_never_straddles(void **state)
{
    (void)state;
    char out[64];
    assert_int_equal(ui_text_width("坂本龍一"), 8);
    ui_text_fit(out, sizeof out, "坂本龍一", 10, false);
    assert_string_equal(out, "坂本龍一  ");
    /* 5 columns: two CJK chars (4) fit with the ellipsis (1) */
    ui_text_fit(out, sizeof out, "坂本龍一", 5, false);
    assert_string_equal(out, "坂本\xe2\x80\xa6");
    /* 6 columns: a third char would straddle: a space takes its place */
    ui_text_fit(out, sizeof out, "坂本龍一", 6, false);
    assert_string_equal(out, "坂本 \xe2\x80\xa6");
    assert_int_equal(ui_text_width(out), 6);
}

static void accents_and_combining_marks_take_their_real_width(void **state)
{
    (void)state;
    char out[64];
    assert_int_equal(ui_text_width("Björk"), 5);
    assert_int_equal(ui_text_width("Bjo\xcc\x88rk"), 5); /* o + U+0308 */
    ui_text_fit(out, sizeof out, "Bjo\xcc\x88rk", 7, false);
    assert_int_equal(ui_text_width(out), 7);
    ui_text_fit(out, sizeof out, "Bjo\xcc\x88rk Guðmundsdóttir", 4, false);
    assert_string_equal(out, "Bjo\xcc\x88\xe2\x80\xa6");
}

static void invalid_bytes_become_question_marks(void **state)
{
    (void)state;
    char out[64];
    ui_text_fit(out, sizeof out, "a\xff" "b", 4, false);
    assert_string_equal(out, "a?b ");
}

static void small_buffer_is_never_overrun(void **state)
{
    (void)state;
    char out[8];
    memset(out, 'X', sizeof out);
    ui_text_fit(out, sizeof out, "坂本龍一 Tribute", 40, false);
    assert_true(strlen(out) < sizeof out);
}

static void tail_keeps_the_end_of_a_long_value(void **state)
{
    (void)state;
    char out[64];
    ui_text_fit_tail(out, sizeof out, "someone@example.org", 8);
    assert_string_equal(out, "mple.org");
    ui_text_fit_tail(out, sizeof out, "ab", 4);
    assert_string_equal(out, "ab  ");
}

static void append_and_erase_edit_utf8_characters(void **state)
{
    (void)state;
    char buf[8] = "";
    assert_true(ui_text_append(buf, sizeof buf, 'A'));
    assert_true(ui_text_append(buf, sizeof buf, 0x00FC)); /* ü */
    assert_true(ui_text_append(buf, sizeof buf, 0x5742)); /* 坂 */
    assert_string_equal(buf, "A\xc3\xbc\xe5\x9d\x82");
    assert_false(ui_text_append(buf, sizeof buf, 0x5742)); /* would not fit */
    assert_false(ui_text_append(buf, sizeof buf, 0x1b));   /* ESC is no text */
    assert_false(ui_text_append(buf, sizeof buf, 0x9b));   /* C1 CSI neither */
    assert_true(ui_text_erase_last(buf));
    assert_string_equal(buf, "A\xc3\xbc");
    assert_true(ui_text_erase_last(buf));
    assert_true(ui_text_erase_last(buf));
    assert_false(ui_text_erase_last(buf));
}

static void dates_show_day_and_minute(void **state)
{
    (void)state;
    char out[32];
    ui_format_date("2026-12-01T20:00:00Z", out);
    assert_string_equal(out, "2026-12-01 20:00");
    ui_format_date("2026-12-01T20:00:00.000+02:00", out);
    assert_string_equal(out, "2026-12-01 20:00");
    ui_format_date("2026-12-01", out);
    assert_string_equal(out, "2026-12-01");
    ui_format_date("not a date at all, longer", out);
    assert_int_equal(ui_text_width(out), 16);
}

static void stale_age_is_short_and_readable(void **state)
{
    (void)state;
    char out[32];
    ui_format_age(-3, out);
    assert_string_equal(out, "0s");
    ui_format_age(42, out);
    assert_string_equal(out, "42s");
    ui_format_age(65, out);
    assert_string_equal(out, "1m 05s");
    ui_format_age(2 * 3600 + 10 * 60 + 9, out);
    assert_string_equal(out, "2h 10m");
    ui_format_age(3 * 86400 + 4 * 3600, out);
    assert_string_equal(out, "3d 4h");
}

static void columns_fill_80_and_wider_terminals_exactly(void **state)
{
    (void)state;
    int widths[] = { 80, 100, 120, 200 };
    for (size_t i = 0; i < sizeof widths / sizeof widths[0]; i++) {
        ui_columns c;
        ui_columns_layout(widths[i], &c);
        assert_int_equal(c.date_x, 1);
        assert_int_equal(c.name_x, c.date_x + c.date_w + 1);
        assert_int_equal(c.venue_x, c.name_x + c.name_w + 1);
        assert_int_equal(c.price_x, c.venue_x + c.venue_w + 1);
        assert_int_equal(c.seats_x, c.price_x + c.price_w + 1);
        assert_true(c.seats_x + c.seats_w <= widths[i]);
        assert_true(c.seats_x + c.seats_w >= widths[i] - 1);
        assert_true(c.name_w >= c.venue_w);
        assert_true(c.date_w >= 16);                /* "2026-12-01 20:00" */
        assert_true(c.price_w >= 12);               /* "1,000,000.00" */
        assert_true(c.seats_w >= (int)strlen("SOLD OUT"));
    }
    ui_columns c80;
    ui_columns_layout(80, &c80);
    assert_true(c80.name_w >= 20);
    assert_true(c80.venue_w >= 14);
}

static void scroll_keeps_the_selection_visible(void **state)
{
    (void)state;
    size_t sel = 0, top = 0;
    ui_scroll_move(10000, 20, &sel, &top, 1);
    assert_int_equal(sel, 1);
    assert_int_equal(top, 0);
    ui_scroll_move(10000, 20, &sel, &top, 20); /* page down */
    assert_int_equal(sel, 21);
    assert_int_equal(top, 2);
    ui_scroll_move(10000, 20, &sel, &top, 1000000); /* End */
    assert_int_equal(sel, 9999);
    assert_int_equal(top, 9980);
    ui_scroll_move(10000, 20, &sel, &top, -5);
    assert_int_equal(sel, 9994);
    assert_int_equal(top, 9980);
    ui_scroll_move(10000, 20, &sel, &top, -1000000); /* Home */
    assert_int_equal(sel, 0);
    assert_int_equal(top, 0);
}

static void scroll_clamps_after_the_list_shrinks(void **state)
{
    (void)state;
    size_t sel = 500, top = 490;
    ui_scroll_fix(3, 20, &sel, &top); /* a filter left 3 rows */
    assert_int_equal(sel, 2);
    assert_int_equal(top, 0);
    ui_scroll_fix(0, 20, &sel, &top);
    assert_int_equal(sel, 0);
    assert_int_equal(top, 0);
    sel = 5;
    top = 0;
    ui_scroll_fix(100, 0, &sel, &top); /* zero rows is treated as one */
    assert_int_equal(top, 5);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ascii_is_padded_to_the_width),
        cmocka_unit_test(long_text_is_cut_with_an_ellipsis),
        cmocka_unit_test(cjk_counts_two_columns_and_never_straddles),
        cmocka_unit_test(accents_and_combining_marks_take_their_real_width),
        cmocka_unit_test(invalid_bytes_become_question_marks),
        cmocka_unit_test(small_buffer_is_never_overrun),
        cmocka_unit_test(tail_keeps_the_end_of_a_long_value),
        cmocka_unit_test(append_and_erase_edit_utf8_characters),
        cmocka_unit_test(dates_show_day_and_minute),
        cmocka_unit_test(stale_age_is_short_and_readable),
        cmocka_unit_test(columns_fill_80_and_wider_terminals_exactly),
        cmocka_unit_test(scroll_keeps_the_selection_visible),
        cmocka_unit_test(scroll_clamps_after_the_list_shrinks),
    };
    return cmocka_run_group_tests(tests, utf8_setup, NULL);
}
