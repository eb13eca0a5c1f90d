#ifndef BO_CLOCK_H
#define BO_CLOCK_H
/* Clocks, sleeping, and the ISO-8601 UTC form with milliseconds (as JavaScript's
 * Date.prototype.toISOString: "2026-11-25T08:47:18.123Z"), for the client and the backend.
 * Wall-clock time is for timestamps people read and for deadlines other machines set (Lambda's
 * deadline, DynamoDB's); the monotonic clock is for durations and local timers. */
#include <stdint.h>

#define BO_CLOCK_ISO_BUF 32 /* room for the 24 characters and the NUL */

uint64_t bo_clock_wall_ms(void); /* CLOCK_REALTIME: milliseconds since the epoch */
uint64_t bo_clock_mono_ns(void); /* CLOCK_MONOTONIC in nanoseconds */
uint64_t bo_clock_mono_ms(void); /* CLOCK_MONOTONIC in whole milliseconds */
double bo_clock_mono_s(void);    /* CLOCK_MONOTONIC in seconds, with the fraction */

/* Writes the ISO form of epoch_ms into out (always NUL-terminated; years past 9999 are clamped to
 * 9999-12-31T23:59:59.999Z). */
void bo_clock_iso_ms(uint64_t epoch_ms, char out[BO_CLOCK_ISO_BUF]);

/* Sleeps ms milliseconds, the whole time even when signals interrupt it. */
void bo_sleep_ms(uint64_t ms);

#endif
