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

/* Writes one line: prefix (may be NULL) + formatted text + '\n', flushed. */
void gw_log(const char *prefix, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Current UTC time as "2026-11-25T08:47:18.123Z" into buf (at least 32 bytes). */
void gw_log_now(char *buf);
/* Milliseconds since the epoch, and a monotonic clock in nanoseconds. */
int64_t gw_now_ms(void);
int64_t gw_mono_ns(void);

#endif
