/* bo_clock (common/): ISO-8601 with milliseconds against known dates and against libc, the clocks, and a
 * sleep that lasts through signals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "bo_clock.h"
#include "bo_rand.h"

static void iso_of_known_instants(void **state)
{
    (void)state;
    static const struct { uint64_t ms; const char *iso; } cases[] = {
        { 0, "1970-01-01T00:00:00.000Z" },
        { 1764060438123ull, "2025-11-25T08:47:18.123Z" },
        { 1709251199999ull, "2024-02-29T23:59:59.999Z" },  /* leap day, last millisecond */
        { 951782400000ull, "2000-02-29T00:00:00.000Z" },   /* the 400-year leap day */
        { 4102444800000ull, "2100-01-01T00:00:00.000Z" },
        { 253402300799999ull, "9999-12-31T23:59:59.999Z" },
        { 253402300800000ull, "9999-12-31T23:59:59.999Z" }, /* past year 9999: clamped */
        { UINT64_MAX, "9999-12-31T23:59:59.999Z" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[BO_CLOCK_ISO_BUF];
        memset(out, '#', sizeof out);
        bo_clock_iso_ms(cases[i].ms, out);
        assert_string_equal(out, cases[i].iso);
    }
}

static void iso_agrees_with_strftime(void **state)
{
    (void)state;
    bo_rand r;
    bo_rand_seed(&r, 42);
    for (int i = 0; i < 20000; i++) {
        uint64_t ms = (((uint64_t)bo_rand_next(&r) << 32) | bo_rand_next(&r)) % UINT64_C(253402300800000);
        time_t secs = (time_t)(ms / 1000);
        struct tm tm;
        gmtime_r(&secs, &tm);
        char base[32], want[48], got[BO_CLOCK_ISO_BUF];
        strftime(base, sizeof base, "%Y-%m-%dT%H:%M:%S", &tm);
        snprintf(want, sizeof want, "%s.%03uZ", base, (unsigned)(ms % 1000));
        bo_clock_iso_ms(ms, got);
        assert_string_equal(got, want);
    }
}

static void wall_clock_is_the_epoch_clock(void **state)
{
    (void)state;
    uint64_t before = (uint64_t)time(NULL) * 1000;
    uint64_t now = bo_clock_wall_ms();
    uint64_t after = (uint64_t)time(NULL) * 1000 + 1000;
    assert_true(now >= before && now <= after);
}

static void monotonic_clocks_agree_and_never_go_back(void **state)
{
    (void)state;
    uint64_t ns0 = bo_clock_mono_ns();
    uint64_t ms = bo_clock_mono_ms();
    double s = bo_clock_mono_s();
    uint64_t ns1 = bo_clock_mono_ns();
    assert_true(ns1 >= ns0);
    assert_true(ms >= ns0 / 1000000 && ms <= ns1 / 1000000);
    assert_true(s * 1e9 >= (double)ns0 - 1000 && s * 1e9 <= (double)ns1 + 1000);
    uint64_t prev = ns1;
    for (int i = 0; i < 100000; i++) {
        uint64_t t = bo_clock_mono_ns();
        assert_true(t >= prev);
        prev = t;
    }
}

static volatile sig_atomic_t alarms;
static void on_alarm(int sig)
{
    (void)sig;
    alarms++;
}

static void sleep_lasts_through_signals(void **state)
{
    (void)state;
    struct sigaction sa, old;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm; /* no SA_RESTART: nanosleep is interrupted with EINTR */
    sigemptyset(&sa.sa_mask);
    assert_int_equal(sigaction(SIGALRM, &sa, &old), 0);
    struct itimerval every10 = { { 0, 10000 }, { 0, 10000 } }, off = { { 0, 0 }, { 0, 0 } };
    alarms = 0;
    assert_int_equal(setitimer(ITIMER_REAL, &every10, NULL), 0);
    uint64_t t0 = bo_clock_mono_ns();
    bo_sleep_ms(120);
    uint64_t slept = bo_clock_mono_ns() - t0;
    setitimer(ITIMER_REAL, &off, NULL);
    sigaction(SIGALRM, &old, NULL);
    assert_true(alarms >= 2);                         /* it was interrupted ... */
    assert_true(slept >= UINT64_C(120) * 1000000);    /* ... and still slept the whole time */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(iso_of_known_instants),
        cmocka_unit_test(iso_agrees_with_strftime),
        cmocka_unit_test(wall_clock_is_the_epoch_clock),
        cmocka_unit_test(monotonic_clocks_agree_and_never_go_back),
        cmocka_unit_test(sleep_lasts_through_signals),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
