/* The layout's pure policy: see layout.h. */
#include "layout.h"

int layout_pooled(int64_t capacity)
{
    return capacity >= LAYOUT_POOL_MIN_CAPACITY;
}

int64_t layout_pool_seats(int64_t capacity, int k, int k_total)
{
    if (k_total < 1 || k < 0 || k >= k_total || capacity <= 0)
        return 0;
    return capacity / k_total + (k < capacity % k_total ? 1 : 0);
}

int layout_pick(uint32_t rnd, int k_total, uint64_t tried)
{
    if (k_total < 1 || k_total > 64)
        return -1;
    uint64_t all = k_total == 64 ? ~(uint64_t)0 : (((uint64_t)1 << k_total) - 1);
    uint64_t open = all & ~tried;
    if (!open)
        open = all;
    int count = __builtin_popcountll(open);
    int want = (int)(rnd % (uint32_t)count);
    for (int i = 0; i < k_total; i++) {
        if (!(open & ((uint64_t)1 << i)))
            continue;
        if (want-- == 0)
            return i;
    }
    return -1; /* not reached */
}

int layout_journal_bucket(uint32_t rnd)
{
    return (int)(rnd % LAYOUT_JOURNAL_BUCKETS);
}

int layout_pool_plan(const int64_t *avail, int k_total, int q, int max_pools, uint32_t rnd, int *pools,
                     int64_t *takes, int *n, int64_t *seats_left)
{
    if (!avail || !pools || !takes || !n || !seats_left || q < 1 || k_total < 1 || k_total > 64 || max_pools < 1 ||
        max_pools > LAYOUT_PLAN_MAX)
        return -1;
    *n = 0;
    *seats_left = 0;
    int64_t total = 0;
    int fits = 0;
    for (int i = 0; i < k_total; i++) {
        int64_t a = avail[i] > 0 ? avail[i] : 0;
        total += a;
        if (a >= q)
            fits++;
    }
    if (total < q) {
        *seats_left = total;
        return LAYOUT_PLAN_SOLD_OUT;
    }
    if (fits > 0) {
        int want = (int)(rnd % (uint32_t)fits);
        for (int i = 0; i < k_total; i++) {
            if (avail[i] >= q && want-- == 0) {
                pools[0] = i;
                takes[0] = q;
                *n = 1;
                *seats_left = total;
                return LAYOUT_PLAN_OK;
            }
        }
    }
    /* The fullest first: a selection of at most max_pools by repeated maximum (k_total <= 64). Ties go to the
     * first from a random offset, so that the buyers who all find no pool with room late in an on-sale do not
     * all pick the same ones. */
    uint64_t used = 0;
    int64_t need = q, reach = 0;
    int m = 0;
    int offset = (int)((rnd >> 8) % (uint32_t)k_total);
    while (m < max_pools) {
        int best = -1;
        for (int j = 0; j < k_total; j++) {
            int i = (offset + j) % k_total;
            if (!(used & ((uint64_t)1 << i)) && avail[i] > 0 && (best < 0 || avail[i] > avail[best]))
                best = i;
        }
        if (best < 0)
            break;
        used |= (uint64_t)1 << best;
        int64_t t = avail[best] < need ? avail[best] : need;
        reach += avail[best];
        if (need > 0) {
            pools[m] = best;
            takes[m] = t;
            m++;
            need -= t;
        }
        if (need == 0)
            break;
    }
    if (need > 0) {
        *n = 0;
        *seats_left = reach;
        return LAYOUT_PLAN_TOO_WIDE;
    }
    *n = m;
    *seats_left = total;
    return LAYOUT_PLAN_OK;
}
