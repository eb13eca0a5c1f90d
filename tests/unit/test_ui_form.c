/* Forms: as-you-type validation with the backend's rules, editing, wiping customer data. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <string.h>

#include "bo_valid.h"
#include "ui_actions.h"
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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
