/* xorshift64* (Vigna, "An experimental exploration of Marsaglia's xorshift generators"); see bo_rand.h. */
#include "bo_rand.h"

#include <sys/random.h>
#include <unistd.h>

#include "bo_clock.h"

#define SEED_ZERO UINT64_C(0x9E3779B97F4A7C15)

void bo_rand_seed(bo_rand *r, uint64_t seed)
{
    r->s = seed != 0 ? seed : SEED_ZERO;
}

void bo_rand_seed_os(bo_rand *r)
{
    uint64_t seed = 0;
    if (getrandom(&seed, sizeof seed, GRND_NONBLOCK) != (ssize_t)sizeof seed)
        seed = bo_clock_wall_ms() ^ bo_clock_mono_ns() ^ ((uint64_t)getpid() << 32) ^ (uint64_t)(uintptr_t)r;
    bo_rand_seed(r, seed);
}

uint32_t bo_rand_next(bo_rand *r)
{
    uint64_t x = r->s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    r->s = x;
    return (uint32_t)((x * UINT64_C(2685821657736338717)) >> 32);
}
