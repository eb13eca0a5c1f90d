/* Exponential backoff with jitter; see bo_backoff.h. */
#include "bo_backoff.h"

uint64_t bo_backoff_ceiling(unsigned n, uint64_t base, uint64_t cap)
{
    if (n == 0)
        return 0;
    uint64_t c = base;
    for (unsigned i = 1; i < n && c < cap; i++)
        c = c > UINT64_MAX / 2 ? UINT64_MAX : c * 2;
    return c < cap ? c : cap;
}

uint64_t bo_backoff_full_jitter(unsigned n, uint64_t base, uint64_t cap, uint32_t rnd)
{
    uint64_t c = bo_backoff_ceiling(n, base, cap);
    return c == UINT64_MAX ? rnd : (uint64_t)rnd % (c + 1);
}

uint64_t bo_backoff_equal_jitter(unsigned n, uint64_t base, uint64_t cap, uint32_t rnd)
{
    uint64_t half = bo_backoff_ceiling(n, base, cap) / 2;
    return half + (uint64_t)rnd % (half + 1);
}
