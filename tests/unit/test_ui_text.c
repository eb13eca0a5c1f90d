/* Width-aware truncation and padding, column layout, date/age formatting, scroll arithmetic. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "client_time.h"
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

/* The list's date column: the venue's zone with its abbreviation, the weekday within the current year (in
 * that zone), the year otherwise, never wider than the column. */
static void list_dates_are_in_the_venues_zone_and_fit_the_column(void **state)
{
    (void)state;
    char out[64];
    time_t now = 1795000000; /* Wed 18 Nov 2026 */
    assert_int_equal(client_time_format_short("2026-12-12T19:00:00Z", "Europe/Berlin", now, out, sizeof out), 0);
    assert_string_equal(out, "Sat 12 Dec 20:00 CET");
    assert_int_equal(client_time_format_short("2026-12-12T19:00:00Z", "America/New_York", now, out, sizeof out), 0);
    assert_string_equal(out, "Sat 12 Dec 14:00 EST");
    /* New Year's Eve in New York is already next year in UTC, and still this year where it happens */
    assert_int_equal(client_time_format_short("2027-01-01T02:00:00Z", "America/New_York", now, out, sizeof out), 0);
    assert_string_equal(out, "Thu 31 Dec 21:00 EST");
    assert_int_equal(client_time_format_short("2027-07-04T23:30:00Z", "America/New_York", now, out, sizeof out), 0);
    assert_string_equal(out, "04 Jul 2027 19:30 EDT");
    assert_int_equal(client_time_format_short("2027-01-15T14:15:00Z", "Asia/Kathmandu", now, out, sizeof out), 0);
    assert_string_equal(out, "15 Jan 27 20:00 +0545");
    assert_int_equal(client_time_format_short("2026-12-12", "Pacific/Auckland", now, out, sizeof out), 0);
    assert_string_equal(out, "Sat 12 Dec");
    assert_int_equal(client_time_format_short("2028-02-29", NULL, now, out, sizeof out), 0);
    assert_string_equal(out, "29 Feb 2028");
    /* no zone (or one not installed): the operator's local zone */
    setenv("TZ", "Asia/Tokyo", 1);
    assert_int_equal(client_time_format_short("2026-12-12T19:00:00Z", "", now, out, sizeof out), 0);
    assert_string_equal(out, "Sun 13 Dec 04:00 JST");
    assert_int_equal(client_time_format_short("2026-12-12T19:00:00Z", "Mars/Olympus", now, out, sizeof out), 0);
    assert_string_equal(out, "Sun 13 Dec 04:00 JST");
    assert_string_equal(getenv("TZ"), "Asia/Tokyo");
    /* the zone switch never removes TZ from the environment (another thread may be reading it): an unset
     * TZ comes back as its equivalent, the system's zone */
    unsetenv("TZ");
    assert_int_equal(client_time_format_short("2026-12-12T19:00:00Z", "Europe/Berlin", now, out, sizeof out), 0);
    assert_non_null(getenv("TZ"));
    assert_string_equal(getenv("TZ"), ":/etc/localtime");
    unsetenv("TZ");
    /* not a date: shown as it is (sanitised), cut by the column */
    assert_int_equal(client_time_format_short("next friday\x1b[2J", "Europe/Berlin", now, out, sizeof out), -1);
    assert_null(strchr(out, '\x1b'));
    /* the widest forms fit the column */
    static const char *zones[] = { "Asia/Kathmandu", "Pacific/Chatham", "Australia/Lord_Howe", "America/St_Johns",
                                   "Asia/Kolkata", "Pacific/Marquesas", "Australia/Eucla", "Europe/Berlin" };
    static const char *isos[] = { "2026-12-12T19:00:00Z", "2027-06-12T19:00:00Z", "2031-01-01T00:00:00Z" };
    for (size_t z = 0; z < sizeof zones / sizeof zones[0]; z++)
        for (size_t i = 0; i < sizeof isos / sizeof isos[0]; i++) {
            assert_int_equal(client_time_format_short(isos[i], zones[z], now, out, sizeof out), 0);
            assert_true(ui_text_width(out) <= CLIENT_TIME_SHORT_W);
        }
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
        assert_true(c.date_w >= CLIENT_TIME_SHORT_W); /* "Sat 12 Dec 20:00 CET" */
        assert_true(c.price_w >= 12);               /* "1,000,000.00" */
        assert_true(c.seats_w >= (int)strlen("SOLD OUT"));
    }
    ui_columns c80;
    ui_columns_layout(80, &c80);
    assert_true(c80.name_w >= 18);
    assert_true(c80.venue_w >= 12);
    /* a small kiosk screen, 60 columns: no venue (the detail shows it), the name gets the room */
    for (int w = UI_SMALL_COLS; w < UI_MIN_COLS; w++) {
        ui_columns c;
        ui_columns_layout(w, &c);
        assert_int_equal(c.venue_w, 0);
        assert_true(c.name_w >= 12);
        assert_true(c.seats_x + c.seats_w <= w && c.seats_x + c.seats_w >= w - 1);
        assert_true(c.price_x > c.name_x + c.name_w);
    }
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
        cmocka_unit_test(list_dates_are_in_the_venues_zone_and_fit_the_column),
        cmocka_unit_test(stale_age_is_short_and_readable),
        cmocka_unit_test(columns_fill_80_and_wider_terminals_exactly),
        cmocka_unit_test(scroll_keeps_the_selection_visible),
        cmocka_unit_test(scroll_clamps_after_the_list_shrinks),
    };
    return cmocka_run_group_tests(tests, utf8_setup, NULL);
}
