#ifndef GW_LOG_H
#define GW_LOG_H
/* The gateway's log: whole lines on stdout, never interleaved between threads.
 *  - Lambda's own lines, prefixed with the function name:
 *      [getConcert] START RequestId: <id> Version: $LATEST
 *      [getConcert] <a line the function wrote to stdout/stderr>
 *      [getConcert] END RequestId: <id>
 *      [getConcert] REPORT RequestId: <id>\tDuration: 2.31 ms\tBilled Duration: 3 ms\tMemory Size: 128 MB\tMax Memory Used: 4 MB\tInit Duration: 1.52 ms
 *  - the gateway's events as one JSON object per line: {"time":"...","event":"access",...},
 *    {"event":"worker_start","function":...,"pid":...}, {"event":"worker_exit",...}. */
#include <stdint.h>

#include "bo_clock.h"

/* Writes one line: prefix (may be NULL) + formatted text + '\n', flushed. */
void gw_log(const char *prefix, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The gateway's names for the shared clock (bo_clock.h). */
/* Current UTC time as "2026-11-25T08:47:18.123Z" into buf (at least BO_CLOCK_ISO_BUF = 32 bytes). */
static inline void gw_log_now(char *buf)
{
    bo_clock_iso_ms(bo_clock_wall_ms(), buf);
}
/* Milliseconds since the epoch, and a monotonic clock in nanoseconds. */
static inline int64_t gw_now_ms(void)
{
    return (int64_t)bo_clock_wall_ms();
}
static inline int64_t gw_mono_ns(void)
{
    return (int64_t)bo_clock_mono_ns();
}

#endif
