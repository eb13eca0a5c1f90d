/* bo_backoff and bo_rand (common/): the exponential ceiling, full and equal jitter, and the xorshift64*
 * source that draws the jitter. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <limits.h>

#include "bo_backoff.h"
#include "bo_rand.h"

static void ceiling_doubles_from_base_up_to_cap(void **state)
{
    (void)state;
    assert_int_equal(bo_backoff_ceiling(0, 50, 5000), 0); /* nothing failed yet: no wait */
    assert_int_equal(bo_backoff_ceiling(1, 50, 5000), 50);
    assert_int_equal(bo_backoff_ceiling(2, 50, 5000), 100);
    assert_int_equal(bo_backoff_ceiling(7, 50, 5000), 3200);
    assert_int_equal(bo_backoff_ceiling(8, 50, 5000), 5000);
    assert_int_equal(bo_backoff_ceiling(UINT_MAX, 50, 5000), 5000);
    assert_int_equal(bo_backoff_ceiling(1, 8000, 5000), 5000);       /* a base above the cap */
    assert_int_equal(bo_backoff_ceiling(200, UINT64_MAX / 2 + 1, UINT64_MAX), UINT64_MAX); /* no overflow */
}

static void full_jitter_spans_zero_to_ceiling(void **state)
{
    (void)state;
    assert_int_equal(bo_backoff_full_jitter(3, 10, 1000, 0), 0);
    assert_int_equal(bo_backoff_full_jitter(3, 10, 1000, 40), 40);   /* the ceiling itself is reachable */
    assert_int_equal(bo_backoff_full_jitter(3, 10, 1000, 41), 0);
    assert_int_equal(bo_backoff_full_jitter(0, 10, 1000, 12345), 0);
    assert_int_equal(bo_backoff_full_jitter(30, 10, 1000, UINT32_MAX), UINT32_MAX % 1001);
    bo_rand r;
    bo_rand_seed(&r, 7);
    for (unsigned n = 1; n < 20; n++)
        for (int i = 0; i < 1000; i++)
            assert_true(bo_backoff_full_jitter(n, 10, 1000, bo_rand_next(&r)) <= bo_backoff_ceiling(n, 10, 1000));
}

static void equal_jitter_spans_half_to_ceiling(void **state)
{
    (void)state;
    /* the client's purchase retries: base 200 ms, cap 2 s */
    assert_int_equal(bo_backoff_equal_jitter(1, 200, 2000, 0), 100);
    assert_int_equal(bo_backoff_equal_jitter(1, 200, 2000, 100), 200);
    assert_int_equal(bo_backoff_equal_jitter(1, 200, 2000, 101), 100);
    assert_int_equal(bo_backoff_equal_jitter(5, 200, 2000, 0), 1000);
    assert_int_equal(bo_backoff_equal_jitter(9, 200, 2000, 1000), 2000);
    bo_rand r;
    bo_rand_seed(&r, 9);
    for (unsigned n = 1; n < 10; n++)
        for (int i = 0; i < 1000; i++) {
            uint64_t c = bo_backoff_ceiling(n, 200, 2000), w = bo_backoff_equal_jitter(n, 200, 2000, bo_rand_next(&r));
            assert_true(w >= c / 2 && w <= c);
        }
}

static void rand_is_xorshift64_star(void **state)
{
    (void)state;
    bo_rand r;
    bo_rand_seed(&r, 1); /* known answers of xorshift64* (12, 25, 27; 2685821657736338717), high 32 bits */
    assert_int_equal(bo_rand_next(&r), 1206177355u);
    assert_int_equal(bo_rand_next(&r), 2882512552u);
    assert_int_equal(bo_rand_next(&r), 3117485455u);
    assert_int_equal(bo_rand_next(&r), 1303648416u);
    bo_rand_seed(&r, 0); /* 0 would be a fixed point: it stands for a constant */
    assert_int_equal(bo_rand_next(&r), 226735074u);
    assert_int_equal(bo_rand_next(&r), 1422150777u);
}

static void rand_spreads_evenly(void **state)
{
    (void)state;
    bo_rand r;
    bo_rand_seed(&r, 12345);
    unsigned buckets[10] = { 0 };
    for (int i = 0; i < 100000; i++)
        buckets[bo_rand_next(&r) % 10]++;
    for (int b = 0; b < 10; b++)
        assert_true(buckets[b] > 9500 && buckets[b] < 10500);
}

static void os_seeds_differ(void **state)
{
    (void)state;
    bo_rand a, b;
    bo_rand_seed_os(&a);
    bo_rand_seed_os(&b);
    int same = 0;
    for (int i = 0; i < 4; i++)
        same += bo_rand_next(&a) == bo_rand_next(&b);
    assert_true(same < 4);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ceiling_doubles_from_base_up_to_cap),
        cmocka_unit_test(full_jitter_spans_zero_to_ceiling),
        cmocka_unit_test(equal_jitter_spans_half_to_ceiling),
        cmocka_unit_test(rand_is_xorshift64_star),
        cmocka_unit_test(rand_spreads_evenly),
        cmocka_unit_test(os_seeds_differ),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
