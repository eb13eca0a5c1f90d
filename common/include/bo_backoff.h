#ifndef BO_BACKOFF_H
#define BO_BACKOFF_H
/* Exponential backoff before retry n (n = 1 after the first failure): the ceiling doubles from base
 * up to cap. Jitter spreads the clients that failed together (AWS Architecture Blog, "Exponential
 * Backoff And Jitter"): full jitter waits anywhere in [0, ceiling], equal jitter in
 * [ceiling/2, ceiling]. rnd is the caller's random draw (bo_rand_next), so the functions are pure. */
#include <stdint.h>

/* min(cap, base * 2^(n-1)); 0 for n == 0. */
uint64_t bo_backoff_ceiling(unsigned n, uint64_t base, uint64_t cap);
/* rnd mod (ceiling + 1): uniform in [0, ceiling]. */
uint64_t bo_backoff_full_jitter(unsigned n, uint64_t base, uint64_t cap, uint32_t rnd);
/* ceiling/2 + rnd mod (ceiling/2 + 1): in [ceiling/2, ceiling]. */
uint64_t bo_backoff_equal_jitter(unsigned n, uint64_t base, uint64_t cap, uint32_t rnd);

#endif
