/* bo_err (common/): printf-style error messages into a caller's buffer, cut to fit, never overrun. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "bo_err.h"

static void formats_into_the_buffer(void **state)
{
    (void)state;
    char err[64];
    bo_err_set(err, sizeof err, "%s: line %d", "serverless.yml", 12);
    assert_string_equal(err, "serverless.yml: line 12");
    bo_err_set(err, sizeof err, "out of memory");
    assert_string_equal(err, "out of memory");
}

static void cuts_to_fit_and_terminates(void **state)
{
    (void)state;
    char err[8];
    memset(err, '#', sizeof err);
    bo_err_set(err, 6, "%s", "a longer message");
    assert_string_equal(err, "a lon");
    assert_int_equal(err[6], '#'); /* nothing past cap is touched */
    bo_err_set(err, 1, "x");
    assert_string_equal(err, "");
}

static void no_buffer_means_no_message(void **state)
{
    (void)state;
    bo_err_set(NULL, 100, "ignored %d", 1);
    char err[4] = "abc";
    bo_err_set(err, 0, "ignored");
    assert_string_equal(err, "abc");
}

static void set_with(char *err, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    bo_err_vset(err, cap, fmt, ap);
    va_end(ap);
}

static void va_list_form_for_wrappers(void **state)
{
    (void)state;
    char err[32];
    set_with(err, sizeof err, "%s %s: %d", "GetItem", "failed", 400);
    assert_string_equal(err, "GetItem failed: 400");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(formats_into_the_buffer),
        cmocka_unit_test(cuts_to_fit_and_terminates),
        cmocka_unit_test(no_buffer_means_no_message),
        cmocka_unit_test(va_list_form_for_wrappers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
