/* The kiosk's exit-PIN guard: free tries, a doubling wait, the lockout, and the right PIN resetting it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "ui_pin.h"

static void three_free_tries_then_a_doubling_wait(void **state)
{
    (void)state;
    ui_pin_guard g = { 0, 0 };
    double t = 1000;
    ui_pin_wrong(&g, t);
    ui_pin_wrong(&g, t);
    assert_int_equal(ui_pin_wait(&g, t), 0);
    ui_pin_wrong(&g, t); /* third wrong: 1 s */
    assert_int_equal(ui_pin_wait(&g, t), 1);
    assert_int_equal(ui_pin_wait(&g, t + 1.0), 0);
    static const int waits[] = { 2, 4, 8, 16, 30, 30 }; /* 4th .. 9th wrong */
    for (size_t i = 0; i < sizeof waits / sizeof waits[0]; i++) {
        t += 100;
        ui_pin_wrong(&g, t);
        assert_int_equal(ui_pin_wait(&g, t), waits[i]);
        assert_false(ui_pin_locked(&g, t));
        char msg[160];
        ui_pin_refusal(&g, t + 0.5, msg, sizeof msg);
        assert_non_null(strstr(msg, "wait"));
    }
}

static void ten_wrong_lock_the_exit_and_each_after_locks_again(void **state)
{
    (void)state;
    ui_pin_guard g = { 0, 0 };
    double t = 50;
    for (int i = 0; i < UI_PIN_LOCK_AFTER; i++) {
        t += 100;
        ui_pin_wrong(&g, t);
    }
    assert_true(ui_pin_locked(&g, t));
    assert_int_equal(ui_pin_wait(&g, t), UI_PIN_LOCK_SECONDS);
    char msg[160];
    ui_pin_refusal(&g, t + 1, msg, sizeof msg);
    assert_non_null(strstr(msg, "Locked \xe2\x80\x94 ask staff"));
    assert_non_null(strstr(msg, "4m 59s"));
    t += UI_PIN_LOCK_SECONDS;
    assert_false(ui_pin_locked(&g, t));
    assert_int_equal(ui_pin_wait(&g, t), 0);
    ui_pin_refusal(&g, t, msg, sizeof msg);
    assert_string_equal(msg, "");
    ui_pin_wrong(&g, t); /* one more wrong after the lock: locked again at once */
    assert_true(ui_pin_locked(&g, t));
    /* 10,000 four-digit PINs would now take weeks, not minutes */
    ui_pin_right(&g);
    assert_int_equal(ui_pin_wait(&g, t), 0);
    assert_int_equal(g.wrong, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(three_free_tries_then_a_doubling_wait),
        cmocka_unit_test(ten_wrong_lock_the_exit_and_each_after_locks_again),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
