#ifndef LAYOUT_H
#define LAYOUT_H
/* The layout's pure policy (layout.c): which concerts are pooled, how many counter shards and journal buckets
 * there are, and which shard, pool or bucket a write goes to. No I/O, no allocation, no state: the store calls
 * these, and the model of DynamoDB's limits (bench/ddbsim) calls the very same code through ctypes
 * (build/libboxpolicy.so), so that what the model replays decides as the function does.
 *
 * Why these numbers (docs/architecture.md, "Stadium scale", has the derivation and the model's figures):
 *   LAYOUT_SHARDS         K counter items per pooled concert. An item takes one transaction at a time (a second
 *                         one is cancelled with TransactionConflict) and its partition at most 1,000 write units
 *                         a second; a transaction holds an item for about one transactional round trip (~10-20
 *                         ms). At the design rate of 2,000 writes a second on one concert, K = 64 keeps each
 *                         item below a third busy (~31 writes/s * 15 ms) and far below its write units
 *                         (~62 WCU/s), and K + 1 keys fit one BatchGetItem (100), so the stats stay one request.
 *   LAYOUT_POOL_MIN_CAPACITY  below it a concert keeps today's layout (one item): its evening cannot reach the
 *                         rates above, and the reference service's items (no capacity) stay as they are.
 *   LAYOUT_JOURNAL_BUCKETS J partitions of a day's journal (and of a concert's, in the byConcert index): a day's
 *                         entries in one partition would cap every change of the day at 1,000 WCU/s, and the
 *                         sort key (at#id) only grows, so split for heat cannot spread it. 2,000 entries/s of
 *                         under 1 KB at 2 WCU each are 4,000 WCU/s: J = 16 keeps a bucket at 250. */
#include <stdint.h>

#define LAYOUT_POOL_MIN_CAPACITY 2000
#define LAYOUT_SHARDS 64
#define LAYOUT_JOURNAL_BUCKETS 16
#define LAYOUT_PLAN_MAX LAYOUT_SHARDS

/* A concert created with this capacity is pooled. */
int layout_pooled(int64_t capacity);

/* The seats pool k of k_total starts with: capacity split as evenly as it goes (the first capacity % k_total
 * pools one more). 0 for k outside [0, k_total) or k_total < 1. */
int64_t layout_pool_seats(int64_t capacity, int k, int k_total);

/* A shard (or pool) to try, uniformly among 0..k_total-1 whose bit in tried is clear (bit i: shard i was tried
 * and met a conflict or was short); once all are tried, uniformly among all. k_total is 1..64. -1 when
 * k_total is out of range. rnd: a uniform random 32-bit value. */
int layout_pick(uint32_t rnd, int k_total, uint64_t tried);

/* The journal bucket of an entry: 0..LAYOUT_JOURNAL_BUCKETS-1. */
int layout_journal_bucket(uint32_t rnd);

enum {
    LAYOUT_PLAN_OK = 0,       /* pools[0..*n) give takes[0..*n) seats, in all q */
    LAYOUT_PLAN_SOLD_OUT = 1, /* fewer than q seats in all the pools: *seats_left says how many (0: sold out) */
    LAYOUT_PLAN_TOO_WIDE = 2  /* q seats exist but not within max_pools pools: *seats_left is the most one
                                 order can take now (the max_pools fullest pools) */
};
/* Where an order of q seats takes them, from avail[0..k_total) (each pool's seats as just read, strongly
 * consistent): one pool with at least q seats, picked uniformly among those (so that buyers spread); when no
 * pool has q, the fullest pools first (ties from a random offset), at most max_pools of them. pools/takes have
 * room for max_pools (<= LAYOUT_PLAN_MAX). Returns LAYOUT_PLAN_*; -1 on a bad argument (q < 1, k_total outside 1..64, max_pools < 1). */
int layout_pool_plan(const int64_t *avail, int k_total, int q, int max_pools, uint32_t rnd, int *pools,
                     int64_t *takes, int *n, int64_t *seats_left);

#endif
