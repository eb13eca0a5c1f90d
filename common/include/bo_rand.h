#ifndef BO_RAND_H
#define BO_RAND_H
/* A small, fast pseudo-random source (xorshift64*) for retry jitter. Not for anything secret: ticket
 * ids, idempotency keys and request tokens come from uuid_generate_random / getrandom instead.
 * The state belongs to its owner (one per client); not thread-safe. */
#include <stdint.h>

typedef struct bo_rand {
    uint64_t s; /* private; never 0 once seeded */
} bo_rand;

/* A fixed seed, for tests that need a repeatable sequence; 0 stands for a fixed non-zero constant. */
void bo_rand_seed(bo_rand *r, uint64_t seed);
/* A seed from the kernel (getrandom), or from the clock, the pid and r's address when none is at hand. */
void bo_rand_seed_os(bo_rand *r);
/* The next 32 random bits. */
uint32_t bo_rand_next(bo_rand *r);

#endif
