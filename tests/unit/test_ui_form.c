/* Forms: as-you-type validation with the backend's rules, editing, wiping customer data. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <string.h>

#include "bo_valid.h"
#include "client_time.h"
#include "ui_actions.h"
#include "ui_draw.h"
#include "ui_form.h"

static const char *check_name(const char *v) { return bo_valid_text("customerName", v); }
static const char *check_email(const char *v) { return bo_valid_email(v); }

static void type(ui_form *f, const char *ascii)
{
    for (const char *p = ascii; *p; p++)
        assert_true(ui_form_key(f, UI_ACT_NONE, (unsigned char)*p));
}

static void make_buy_form(ui_form *f)
{
    memset(f, 0, sizeof *f);
    assert_int_equal(ui_form_add(f, "Customer name", NULL, check_name, false), 0);
    assert_int_equal(ui_form_add(f, "E-mail", NULL, check_email, false), 1);
}

static void untouched_fields_do_not_complain_until_submit(void **state)
{
    (void)state;
    ui_form f;
    make_buy_form(&f);
    assert_null(ui_form_error(&f, 0));
    assert_int_equal(ui_form_first_invalid(&f), 0);
    f.submitted = true;
    assert_non_null(ui_form_error(&f, 0));
}

static void email_is_checked_as_typed(void **state)
{
    (void)state;
    ui_form f;
    make_buy_form(&f);
    type(&f, "Ann");
    assert_null(ui_form_error(&f, 0));
    assert_true(ui_form_key(&f, UI_ACT_NEXT_FIELD, '\t'));
    assert_int_equal(f.focus, 1);
    type(&f, "ann@x");
    assert_non_null(ui_form_error(&f, 1)); /* no dot in the domain yet */
    assert_int_equal(ui_form_first_invalid(&f), 1);
    type(&f, ".org");
    assert_null(ui_form_error(&f, 1));
    assert_int_equal(ui_form_first_invalid(&f), -1);
    assert_true(ui_form_key(&f, UI_ACT_ERASE, 127));
    assert_string_equal(f.f[1].value, "ann@x.or");
}

static void blank_name_is_refused_like_the_backend_does(void **state)
{
    (void)state;
    ui_form f;
    make_buy_form(&f);
    type(&f, "   ");
    assert_non_null(ui_form_error(&f, 0));
    assert_string_equal(ui_form_error(&f, 0), bo_valid_text("customerName", "   "));
}

static void control_keys_are_not_typed_into_fields(void **state)
{
    (void)state;
    ui_form f;
    make_buy_form(&f);
    assert_false(ui_form_key(&f, UI_ACT_NONE, 0x1b));
    assert_false(ui_form_key(&f, UI_ACT_NONE, 0x07));
    assert_string_equal(f.f[0].value, "");
}

static void focus_wraps_both_ways(void **state)
{
    (void)state;
    ui_form f;
    make_buy_form(&f);
    ui_form_key(&f, UI_ACT_PREV_FIELD, 0);
    assert_int_equal(f.focus, 1);
    ui_form_key(&f, UI_ACT_DOWN, 0);
    assert_int_equal(f.focus, 0);
}

static void clear_wipes_the_previous_customer(void **state)
{
    (void)state;
    ui_form f;
    make_buy_form(&f);
    type(&f, "Ann");
    ui_form_key(&f, UI_ACT_NEXT_FIELD, '\t');
    type(&f, "ann@example.org");
    f.submitted = true;
    assert_true(ui_form_has_input(&f));
    ui_form_clear(&f);
    assert_false(ui_form_has_input(&f));
    assert_int_equal(f.focus, 0);
    assert_false(f.submitted);
    for (size_t i = 0; i < sizeof f.f[1].value; i++)
        assert_int_equal(f.f[1].value[i], 0);
}

static void a_full_field_refuses_more_text(void **state)
{
    (void)state;
    ui_form f;
    make_buy_form(&f);
    size_t typed = 0;
    while (ui_form_key(&f, UI_ACT_NONE, 'a'))
        typed++;
    assert_int_equal(typed, UI_FIELD_MAX - 1);
    assert_non_null(ui_form_error(&f, 0)); /* over 200 characters */
}

/* The New concert form's date reads the time zone field: the same text is fine in one zone and refused
 * in another, as the operator types either field. */
static const char *check_local_date(const char *v, const void *zone)
{
    client_time_local l;
    return client_time_local_message(client_time_local_to_utc(v, zone, &l));
}

static void a_rule_may_read_another_field(void **state)
{
    (void)state;
    ui_form f;
    memset(&f, 0, sizeof f);
    assert_int_equal(ui_form_add(&f, "Time zone", NULL, NULL, false), 0);
    assert_int_equal(ui_form_add(&f, "Date and time", NULL, NULL, false), 1);
    ui_form_check_with(&f, 1, check_local_date, f.f[0].value);
    type(&f, "Europe/Berlin");
    f.focus = 1;
    type(&f, "2027-03-28 02:30"); /* the clocks skip it in Berlin */
    assert_non_null(ui_form_error(&f, 1));
    assert_int_equal(ui_form_first_invalid(&f), 1);
    f.focus = 0;
    for (int i = 0; i < 6; i++)
        assert_true(ui_form_key(&f, UI_ACT_ERASE, 0));
    type(&f, "London"); /* Europe/London skips 01:00-02:00 that day, not 02:30 */
    assert_null(ui_form_error(&f, 1));
    assert_int_equal(ui_form_first_invalid(&f), -1);
}

/* A form taller than the rows it gets shows a window of fields that holds the focused one. */
static void a_short_window_keeps_the_focus_in_view(void **state)
{
    (void)state;
    ui_form f;
    memset(&f, 0, sizeof f);
    for (int i = 0; i < UI_FORM_FIELDS_MAX; i++)
        assert_int_equal(ui_form_add(&f, "Field", NULL, NULL, false), i);
    f.compact = true; /* 2 rows a field */
    assert_int_equal(ui_form_first_shown(&f, 16), 0);
    f.focus = UI_FORM_FIELDS_MAX - 1;
    assert_int_equal(ui_form_first_shown(&f, 16), 0);      /* all 8 fit */
    assert_int_equal(ui_form_first_shown(&f, 8), UI_FORM_FIELDS_MAX - 4);
    f.focus = 2;
    assert_int_equal(ui_form_first_shown(&f, 8), 0);
    assert_int_equal(ui_form_first_shown(&f, 1), 2);       /* never less than the focused field */
}

static void a_bad_value_is_not_left(void **state)
{
    (void)state;
    ui_form f;
    make_buy_form(&f);
    assert_null(ui_form_error(&f, 0));       /* empty and untouched: no complaint yet */
    assert_false(ui_form_may_leave(&f));     /* but the name is required: leaving it is refused... */
    assert_int_equal(f.focus, 0);
    assert_non_null(ui_form_error(&f, 0));   /* ...and now its message shows, though it is empty */
    type(&f, "Ada");
    assert_true(ui_form_may_leave(&f));
    ui_form_key(&f, UI_ACT_NEXT_FIELD, 0);
    type(&f, "ada@");
    assert_false(ui_form_may_leave(&f));     /* a bad e-mail keeps the focus */
    type(&f, "example.org");
    assert_true(ui_form_may_leave(&f));
    ui_form_clear(&f);                       /* the marks go with the values */
    assert_null(ui_form_error(&f, 0));
}

int main(void)
{
    setlocale(LC_CTYPE, "C.UTF-8");
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(untouched_fields_do_not_complain_until_submit),
        cmocka_unit_test(email_is_checked_as_typed),
        cmocka_unit_test(blank_name_is_refused_like_the_backend_does),
        cmocka_unit_test(control_keys_are_not_typed_into_fields),
        cmocka_unit_test(focus_wraps_both_ways),
        cmocka_unit_test(clear_wipes_the_previous_customer),
        cmocka_unit_test(a_full_field_refuses_more_text),
        cmocka_unit_test(a_rule_may_read_another_field),
        cmocka_unit_test(a_short_window_keeps_the_focus_in_view),
        cmocka_unit_test(a_bad_value_is_not_left),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
