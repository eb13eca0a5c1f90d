#ifndef TIMEFMT_H
#define TIMEFMT_H
/* Wall-clock time in ms and its ISO-8601 UTC form with milliseconds, like JavaScript's
 * Date.prototype.toISOString(): "2026-11-25T08:47:18.123Z". */
#include <stdint.h>

#define TIMEFMT_BUF 32

uint64_t timefmt_now_ms(void);      /* CLOCK_REALTIME, ms since the epoch */
double timefmt_mono_ms(void);       /* CLOCK_MONOTONIC in ms, with fraction (durations) */
/* Writes the ISO form of epoch_ms into out (always NUL-terminated; years past 9999 are clamped). */
void timefmt_iso_ms(uint64_t epoch_ms, char out[TIMEFMT_BUF]);

#endif
