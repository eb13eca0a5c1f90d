/* Clocks, sleeping and ISO-8601; see bo_clock.h. */
#include "bo_clock.h"

#include <errno.h>
#include <time.h>

uint64_t bo_clock_wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

uint64_t bo_clock_mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * UINT64_C(1000000000) + (uint64_t)ts.tv_nsec;
}

uint64_t bo_clock_mono_ms(void)
{
    return bo_clock_mono_ns() / 1000000u;
}

double bo_clock_mono_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void put_num(char *p, unsigned v, int width)
{
    for (int i = width - 1; i >= 0; i--) {
        p[i] = (char)('0' + v % 10);
        v /= 10;
    }
}

void bo_clock_iso_ms(uint64_t epoch_ms, char out[BO_CLOCK_ISO_BUF])
{
    const uint64_t max_ms = UINT64_C(253402300799999); /* 9999-12-31T23:59:59.999Z */
    if (epoch_ms > max_ms)
        epoch_ms = max_ms;
    time_t secs = (time_t)(epoch_ms / 1000);
    struct tm tm;
    gmtime_r(&secs, &tm);
    /* YYYY-MM-DDThh:mm:ss.fffZ, 24 characters */
    put_num(out, (unsigned)(tm.tm_year + 1900), 4);
    out[4] = '-';
    put_num(out + 5, (unsigned)(tm.tm_mon + 1), 2);
    out[7] = '-';
    put_num(out + 8, (unsigned)tm.tm_mday, 2);
    out[10] = 'T';
    put_num(out + 11, (unsigned)tm.tm_hour, 2);
    out[13] = ':';
    put_num(out + 14, (unsigned)tm.tm_min, 2);
    out[16] = ':';
    put_num(out + 17, (unsigned)tm.tm_sec, 2);
    out[19] = '.';
    put_num(out + 20, (unsigned)(epoch_ms % 1000), 3);
    out[23] = 'Z';
    out[24] = '\0';
}

void bo_sleep_ms(uint64_t ms)
{
    struct timespec ts = { .tv_sec = (time_t)(ms / 1000), .tv_nsec = (long)(ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}
