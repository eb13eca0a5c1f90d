/* The list view: filter indices over name and venue, finding the selected concert again, and the
 * scroll window over 10,000 concerts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui_text.h"
#include "ui_list_filter.h"

static void make_list(bo_concert_list *l, size_t n)
{
    l->items = calloc(n, sizeof *l->items);
    assert_non_null(l->items);
    l->n = n;
    for (size_t i = 0; i < n; i++) {
        bo_concert *c = &l->items[i];
        char buf[64];
        snprintf(c->id, sizeof c->id, "id-%zu", i);
        snprintf(buf, sizeof buf, i % 3 == 0 ? "Björk night %zu" : "Concert %zu", i);
        c->name = strdup(buf);
        snprintf(buf, sizeof buf, i % 5 == 0 ? "Harpa, Reykjavík" : "Hall %zu", i % 7);
        c->venue = strdup(buf);
        c->date = strdup("2026-12-01T20:00:00Z");
        c->seats_left = (int64_t)(i % 4);
        c->price_cents = 1000;
    }
}

static void empty_filter_shows_everything_in_order(void **state)
{
    (void)state;
    bo_concert_list l;
    make_list(&l, 10);
    size_t view[10];
    assert_int_equal(ui_list_filter(&l, "", view), 10);
    for (size_t i = 0; i < 10; i++)
        assert_int_equal(view[i], i);
    bo_concert_list_clear(&l);
}

static void filter_matches_name_or_venue_case_insensitively(void **state)
{
    (void)state;
    bo_concert_list l;
    make_list(&l, 10000);
    size_t *view = malloc(l.n * sizeof *view);
    assert_non_null(view);
    /* names: every 3rd is "Björk night"; venues: every 5th is Harpa */
    size_t n = ui_list_filter(&l, "BJÖRK", view);
    assert_int_equal(n, 3334);
    for (size_t j = 0; j < n; j++)
        assert_int_equal(view[j] % 3, 0);
    n = ui_list_filter(&l, "harpa", view);
    assert_int_equal(n, 2000);
    n = ui_list_filter(&l, "reykjavík", view);
    assert_int_equal(n, 2000);
    n = ui_list_filter(&l, "no such thing", view);
    assert_int_equal(n, 0);
    /* narrowing as you type: each longer prefix gives a subset */
    const char *typed[] = { "c", "co", "con", "conc", "concert 99" };
    size_t prev = l.n;
    for (size_t t = 0; t < 5; t++) {
        n = ui_list_filter(&l, typed[t], view);
        assert_true(n <= prev);
        prev = n;
    }
    size_t expected = 0; /* the oracle: "Concert N" names (N not a multiple of 3) containing "99" after the space */
    for (size_t i = 0; i < l.n; i++) {
        char name[32];
        snprintf(name, sizeof name, "concert %zu", i);
        if (i % 3 != 0 && strstr(name, "concert 99") != NULL)
            expected++;
    }
    assert_int_equal(prev, expected);
    assert_int_equal(expected, 72); /* 990..999 and 9900..9999 without the multiples of 3 */
    free(view);
    bo_concert_list_clear(&l);
}

/* The filter folds accents as Find does: "zoe" finds "Zoë", "reykjavik" finds "Reykjavík". */
static void filter_ignores_accents_like_find(void **state)
{
    (void)state;
    bo_concert_list l;
    make_list(&l, 30);
    free(l.items[7].name);
    l.items[7].name = strdup("Zoë Keating — Cello Loops");
    assert_non_null(l.items[7].name);
    size_t view[30];
    size_t n = ui_list_filter(&l, "zoe", view);
    assert_int_equal(n, 1);
    assert_int_equal(view[0], 7);
    assert_int_equal(ui_list_filter(&l, "ZOE KEATING", view), 1);
    assert_int_equal(ui_list_filter(&l, "reykjavik", view), 6); /* venues 0, 5, ... 25 */
    assert_int_equal(ui_list_filter(&l, "bjork night", view), 10);
    bo_concert_list_clear(&l);
}

static void the_selected_concert_is_found_again_after_filtering(void **state)
{
    (void)state;
    bo_concert_list l;
    make_list(&l, 1000);
    size_t *view = malloc(l.n * sizeof *view);
    size_t n = ui_list_filter(&l, "harpa", view);
    size_t at = ui_list_filter_find(&l, view, n, "id-500");
    assert_int_not_equal(at, (size_t)-1);
    assert_int_equal(view[at], 500);
    assert_int_equal(ui_list_filter_find(&l, view, n, "id-501"), (size_t)-1); /* filtered out */
    assert_int_equal(ui_list_filter_find(&l, view, n, ""), (size_t)-1);
    assert_int_equal(ui_list_filter_find(&l, view, n, NULL), (size_t)-1);
    free(view);
    bo_concert_list_clear(&l);
}

static void scrolling_10000_rows_stays_in_bounds(void **state)
{
    (void)state;
    size_t sel = 0, top = 0, rows = 21, n = 10000;
    for (int i = 0; i < 600; i++) { /* page down past the end */
        ui_scroll_move(n, rows, &sel, &top, (long)rows);
        assert_true(sel < n);
        assert_true(sel >= top && sel < top + rows);
        assert_true(top + rows <= n);
    }
    assert_int_equal(sel, n - 1);
    for (int i = 0; i < 600; i++)
        ui_scroll_move(n, rows, &sel, &top, -(long)rows);
    assert_int_equal(sel, 0);
    assert_int_equal(top, 0);
}

int main(void)
{
    setlocale(LC_CTYPE, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(empty_filter_shows_everything_in_order),
        cmocka_unit_test(filter_matches_name_or_venue_case_insensitively),
        cmocka_unit_test(filter_ignores_accents_like_find),
        cmocka_unit_test(the_selected_concert_is_found_again_after_filtering),
        cmocka_unit_test(scrolling_10000_rows_stays_in_bounds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
