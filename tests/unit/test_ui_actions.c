/* The one action table: unique keys, every action documented, lookup and typing rules. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "ui_actions.h"
#include "ui_curses.h"

static void every_key_is_bound_to_one_action_only(void **state)
{
    (void)state;
    size_t n;
    const ui_action_def *t = ui_actions(&n);
    for (size_t i = 0; i < n; i++)
        for (int a = 0; a < UI_ACTION_KEYS_MAX && t[i].keys[a] != 0; a++)
            for (size_t j = 0; j < n; j++)
                for (int b = 0; b < UI_ACTION_KEYS_MAX && t[j].keys[b] != 0; b++)
                    if (i != j || a != b)
                        assert_int_not_equal(t[i].keys[a], t[j].keys[b]);
}

static void every_action_has_a_name_keys_and_help(void **state)
{
    (void)state;
    size_t n;
    const ui_action_def *t = ui_actions(&n);
    assert_int_equal(n, UI_ACT__COUNT - 1); /* every action but NONE is in the table */
    for (size_t i = 0; i < n; i++) {
        assert_non_null(t[i].name);
        assert_true(strlen(t[i].name) > 0);
        assert_non_null(t[i].keys_label);
        assert_true(strlen(t[i].keys_label) > 0);
        assert_non_null(t[i].help);
        assert_true(strlen(t[i].help) > 10);
        assert_non_null(t[i].where);
        assert_int_not_equal(t[i].keys[0], 0);
        assert_ptr_equal(ui_action_get(t[i].action), &t[i]);
        for (size_t j = 0; j < i; j++)
            assert_int_not_equal(t[i].action, t[j].action);
    }
    assert_null(ui_action_get(UI_ACT_NONE));
}

static void the_keys_of_the_issue_are_bound(void **state)
{
    (void)state;
    assert_int_equal(ui_action_for_key(UI_KEY_FN(KEY_UP), false), UI_ACT_UP);
    assert_int_equal(ui_action_for_key('k', false), UI_ACT_UP);
    assert_int_equal(ui_action_for_key(UI_KEY_FN(KEY_DOWN), false), UI_ACT_DOWN);
    assert_int_equal(ui_action_for_key('j', false), UI_ACT_DOWN);
    assert_int_equal(ui_action_for_key(UI_KEY_FN(KEY_PPAGE), false), UI_ACT_PGUP);
    assert_int_equal(ui_action_for_key(UI_KEY_FN(KEY_NPAGE), false), UI_ACT_PGDN);
    assert_int_equal(ui_action_for_key(UI_KEY_FN(KEY_HOME), false), UI_ACT_HOME);
    assert_int_equal(ui_action_for_key(UI_KEY_FN(KEY_END), false), UI_ACT_END);
    assert_int_equal(ui_action_for_key('\r', false), UI_ACT_OPEN);
    assert_int_equal(ui_action_for_key('\n', false), UI_ACT_OPEN);
    assert_int_equal(ui_action_for_key(UI_KEY_ESC, false), UI_ACT_BACK);
    assert_int_equal(ui_action_for_key('h', false), UI_ACT_BACK);
    assert_int_equal(ui_action_for_key('/', false), UI_ACT_FILTER);
    assert_int_equal(ui_action_for_key('s', false), UI_ACT_SORT);
    assert_int_equal(ui_action_for_key('r', false), UI_ACT_REFRESH);
    assert_int_equal(ui_action_for_key('b', false), UI_ACT_BUY);
    assert_int_equal(ui_action_for_key('n', false), UI_ACT_NEW);
    assert_int_equal(ui_action_for_key('?', false), UI_ACT_HELP);
    assert_int_equal(ui_action_for_key('q', false), UI_ACT_QUIT);
    assert_int_equal(ui_action_for_key(UI_KEY_FN(KEY_MOUSE), false), UI_ACT_MOUSE);
    assert_int_equal(ui_action_for_key('f', false), UI_ACT_FIND);
    assert_int_equal(ui_action_for_key(' ', false), UI_ACT_SELECT);
    assert_int_equal(ui_action_for_key('R', false), UI_ACT_REFUND);
    assert_int_equal(ui_action_for_key('U', false), UI_ACT_UNDO_CHECKIN);
    assert_int_equal(ui_action_for_key('U', true), UI_ACT_NONE); /* a reason typed may hold a U */
    assert_int_equal(ui_action_for_key('x', false), UI_ACT_NONE);
}

static void typing_turns_letters_into_text_but_keeps_special_keys(void **state)
{
    (void)state;
    assert_int_equal(ui_action_for_key('q', true), UI_ACT_NONE);
    assert_int_equal(ui_action_for_key('j', true), UI_ACT_NONE);
    assert_int_equal(ui_action_for_key('/', true), UI_ACT_NONE);
    assert_int_equal(ui_action_for_key(0x00FC, true), UI_ACT_NONE); /* ü */
    assert_int_equal(ui_action_for_key(UI_KEY_ESC, true), UI_ACT_BACK);
    assert_int_equal(ui_action_for_key('\r', true), UI_ACT_OPEN);
    assert_int_equal(ui_action_for_key('\t', true), UI_ACT_NEXT_FIELD);
    assert_int_equal(ui_action_for_key(127, true), UI_ACT_ERASE);
    assert_int_equal(ui_action_for_key(UI_KEY_FN(KEY_BACKSPACE), true), UI_ACT_ERASE);
    assert_int_equal(ui_action_for_key(UI_KEY_FN(KEY_UP), true), UI_ACT_UP);
    assert_int_equal(ui_action_for_key(UI_KEY_FN(KEY_F(10)), true), UI_ACT_QUIT);
    assert_true(ui_key_is_text('a'));
    assert_true(ui_key_is_text(0x5742));
    assert_false(ui_key_is_text(UI_KEY_ESC));
    assert_false(ui_key_is_text(0x9b));
    assert_false(ui_key_is_text(UI_KEY_FN(KEY_UP)));
}

static void function_keys_never_collide_with_typed_characters(void **state)
{
    (void)state;
    /* KEY_DOWN is 0402 = U+0102 'Ă': typing Ă must not move the selection */
    assert_int_equal(ui_action_for_key(KEY_DOWN, false), UI_ACT_NONE);
    assert_int_equal(ui_action_for_key(KEY_DOWN, true), UI_ACT_NONE);
}

/* The key bar is generated from the table filtered by mode: a kiosk shows only what a customer can do. */
static void the_kiosk_bar_offers_only_what_a_kiosk_can_do(void **state)
{
    (void)state;
    size_t n;
    const ui_action_def *t = ui_actions(&n);
    for (size_t i = 0; i < n; i++) {
        assert_true(ui_action_offered(t[i].action, UI_MODE_DESK));
        bool kiosk = ui_action_offered(t[i].action, UI_MODE_KIOSK);
        bool customer_cannot = t[i].action == UI_ACT_NEW || t[i].action == UI_ACT_QUIT || t[i].action == UI_ACT_INSPECTOR
                               || t[i].action == UI_ACT_FIND || t[i].action == UI_ACT_SELECT
                               || t[i].action == UI_ACT_REFUND /* other customers' orders: operators only */
                               || t[i].action == UI_ACT_DOOR || t[i].action == UI_ACT_UNDO_CHECKIN
                               /* the drawer and its shift: operators only */
                               || t[i].action == UI_ACT_SHIFT || t[i].action == UI_ACT_DROP
                               || t[i].action == UI_ACT_PAIDOUT || t[i].action == UI_ACT_CLOSE_SHIFT
                               || t[i].action == UI_ACT_DAY_SHEET
                               || t[i].action == UI_ACT_OPERATORS || t[i].action == UI_ACT_OP_ENABLE
                               || t[i].action == UI_ACT_OP_ROLE || t[i].action == UI_ACT_JOURNAL
                               || t[i].action == UI_ACT_LOCK || t[i].action == UI_ACT_REMEMBER;
        if (kiosk == customer_cannot)
            fail_msg("action '%s' %s on the kiosk's key bar", t[i].name, kiosk ? "wrongly offered" : "missing");
    }
    assert_false(ui_action_offered(UI_ACT_NONE, UI_MODE_DESK));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_key_is_bound_to_one_action_only),
        cmocka_unit_test(every_action_has_a_name_keys_and_help),
        cmocka_unit_test(the_keys_of_the_issue_are_bound),
        cmocka_unit_test(typing_turns_letters_into_text_but_keeps_special_keys),
        cmocka_unit_test(function_keys_never_collide_with_typed_characters),
        cmocka_unit_test(the_kiosk_bar_offers_only_what_a_kiosk_can_do),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
