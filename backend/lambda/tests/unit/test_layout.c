/* layout: the pure policy shared by the store and the model (which shard, pool and bucket). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "layout.h"

static void pooled_from_capacity(void **state)
{
    (void)state;
    assert_false(layout_pooled(0));
    assert_false(layout_pooled(LAYOUT_POOL_MIN_CAPACITY - 1));
    assert_true(layout_pooled(LAYOUT_POOL_MIN_CAPACITY));
    assert_true(layout_pooled(50000));
}

static void pool_seats_add_up(void **state)
{
    (void)state;
    int64_t caps[] = {2000, 2001, 20000, 50000, 50063, 1000000};
    for (size_t c = 0; c < sizeof caps / sizeof caps[0]; c++) {
        int64_t sum = 0, lo = INT64_MAX, hi = 0;
        for (int k = 0; k < LAYOUT_SHARDS; k++) {
            int64_t s = layout_pool_seats(caps[c], k, LAYOUT_SHARDS);
            sum += s;
            lo = s < lo ? s : lo;
            hi = s > hi ? s : hi;
        }
        assert_int_equal(sum, caps[c]);
        assert_true(hi - lo <= 1);
    }
    assert_int_equal(layout_pool_seats(100, 64, 64), 0);
    assert_int_equal(layout_pool_seats(100, -1, 64), 0);
    assert_int_equal(layout_pool_seats(100, 0, 0), 0);
}

static void pick_avoids_tried_until_all_are(void **state)
{
    (void)state;
    uint64_t tried = 0;
    for (uint32_t r = 0; r < 64; r++) {
        int p = layout_pick(r * 2654435761u, 64, tried);
        assert_true(p >= 0 && p < 64);
        assert_false(tried & ((uint64_t)1 << p));
        tried |= (uint64_t)1 << p;
    }
    assert_true(tried == ~(uint64_t)0);
    int p = layout_pick(7, 64, tried); /* all tried: any */
    assert_true(p >= 0 && p < 64);
    assert_int_equal(layout_pick(5, 3, 0x3), 2); /* only 2 is open */
    assert_int_equal(layout_pick(1, 0, 0), -1);
    assert_int_equal(layout_pick(1, 65, 0), -1);
    int seen[4] = {0};
    for (uint32_t r = 0; r < 400; r++)
        seen[layout_pick(r, 4, 0)]++;
    for (int i = 0; i < 4; i++)
        assert_int_equal(seen[i], 100);
}

static void bucket_in_range(void **state)
{
    (void)state;
    for (uint32_t r = 0; r < 1000; r++) {
        int b = layout_journal_bucket(r * 40503u);
        assert_true(b >= 0 && b < LAYOUT_JOURNAL_BUCKETS);
    }
}

static void plan_one_pool_or_the_fullest(void **state)
{
    (void)state;
    int pools[LAYOUT_PLAN_MAX], n;
    int64_t takes[LAYOUT_PLAN_MAX], left;
    int64_t avail[4] = {0, 5, 2, 9};
    /* one pool with >= 3: 1 or 3, picked by rnd */
    assert_int_equal(layout_pool_plan(avail, 4, 3, 4, 0, pools, takes, &n, &left), LAYOUT_PLAN_OK);
    assert_int_equal(n, 1);
    assert_int_equal(pools[0], 1);
    assert_int_equal(takes[0], 3);
    assert_int_equal(left, 16);
    assert_int_equal(layout_pool_plan(avail, 4, 3, 4, 1, pools, takes, &n, &left), LAYOUT_PLAN_OK);
    assert_int_equal(pools[0], 3);
    /* none has 12: the fullest first, 9 then 3 of 5 */
    assert_int_equal(layout_pool_plan(avail, 4, 12, 4, 0, pools, takes, &n, &left), LAYOUT_PLAN_OK);
    assert_int_equal(n, 2);
    assert_int_equal(pools[0], 3);
    assert_int_equal(takes[0], 9);
    assert_int_equal(pools[1], 1);
    assert_int_equal(takes[1], 3);
    /* 16 exist, 17 asked: sold out with the exact seats left */
    assert_int_equal(layout_pool_plan(avail, 4, 17, 4, 0, pools, takes, &n, &left), LAYOUT_PLAN_SOLD_OUT);
    assert_int_equal(left, 16);
    assert_int_equal(n, 0);
    int64_t none[3] = {0, 0, 0};
    assert_int_equal(layout_pool_plan(none, 3, 1, 3, 0, pools, takes, &n, &left), LAYOUT_PLAN_SOLD_OUT);
    assert_int_equal(left, 0);
    /* 16 exist, 15 asked, one pool allowed: too wide, at most 9 now */
    assert_int_equal(layout_pool_plan(avail, 4, 15, 1, 0, pools, takes, &n, &left), LAYOUT_PLAN_TOO_WIDE);
    assert_int_equal(left, 9);
    /* equal pools, none with room: two of them, and not always the same two */
    int64_t even[8] = {3, 3, 3, 3, 3, 3, 3, 3};
    unsigned firsts = 0;
    for (uint32_t r = 0; r < 64; r++) {
        assert_int_equal(layout_pool_plan(even, 8, 5, 8, r << 8, pools, takes, &n, &left), LAYOUT_PLAN_OK);
        assert_int_equal(n, 2);
        assert_true(pools[0] != pools[1]);
        assert_int_equal(takes[0] + takes[1], 5);
        firsts |= 1u << pools[0];
    }
    assert_int_equal(firsts, 0xffu);
    /* a negative counter (never written by us) counts as none */
    int64_t neg[2] = {-3, 2};
    assert_int_equal(layout_pool_plan(neg, 2, 2, 2, 0, pools, takes, &n, &left), LAYOUT_PLAN_OK);
    assert_int_equal(pools[0], 1);
    assert_int_equal(layout_pool_plan(neg, 2, 0, 2, 0, pools, takes, &n, &left), -1);
    assert_int_equal(layout_pool_plan(neg, 2, 1, 0, 0, pools, takes, &n, &left), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pooled_from_capacity),
        cmocka_unit_test(pool_seats_add_up),
        cmocka_unit_test(pick_avoids_tried_until_all_are),
        cmocka_unit_test(bucket_in_range),
        cmocka_unit_test(plan_one_pool_or_the_fullest),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
