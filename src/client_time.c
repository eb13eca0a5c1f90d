/* Instants in the venue's time zone (see client_time.h). */
#include "client_time.h"

#include <ctype.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bo_text.h"
#include "client_model.h"

static pthread_mutex_t tz_lock = PTHREAD_MUTEX_INITIALIZER;

/* Zones are switched through TZ (glibc has no localtime in a given zone). Other threads read the
 * environment without our lock (libcurl's getenv for proxies in the network worker): replacing an existing
 * TZ only swaps one pointer (glibc keeps the old string), but adding or removing one moves the environ
 * array under their feet. So TZ exists before any thread starts, with the meaning an unset TZ has (the
 * system's /etc/localtime), and zone_tm only ever replaces it. */
__attribute__((constructor)) static void tz_pin(void)
{
    if (getenv("TZ") == NULL)
        setenv("TZ", ":/etc/localtime", 0);
}

static bool digits(const char *s, int n)
{
    for (int i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return false;
    return true;
}

static int num(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

int client_time_zone_known(const char *tz)
{
    char path[512];
    if (tz == NULL || !bo_tz_name_plausible(tz))
        return 0;
    const char *dir = getenv("TZDIR");
    snprintf(path, sizeof path, "%s/%s", dir != NULL && dir[0] != '\0' ? dir : "/usr/share/zoneinfo", tz);
    return access(path, R_OK) == 0;
}

/* Parses YYYY-MM-DD[Thh:mm[:ss[.fff]]][Z|+hh:mm|-hh:mm] (no zone: UTC). *has_time says whether a time was
 * given. Returns 0 and the instant, or -1. */
static int parse_iso(const char *s, time_t *out, bool *has_time, struct tm *date_only)
{
    struct tm tm;
    memset(&tm, 0, sizeof tm);
    size_t n = strlen(s);
    if (n < 10 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) || s[7] != '-' || !digits(s + 8, 2))
        return -1;
    tm.tm_year = num(s, 4) - 1900;
    tm.tm_mon = num(s + 5, 2) - 1;
    tm.tm_mday = num(s + 8, 2);
    if (tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31)
        return -1;
    *has_time = false;
    const char *p = s + 10;
    long offset = 0;
    if (*p == 'T' || *p == ' ') {
        p++;
        if (!digits(p, 2) || p[2] != ':' || !digits(p + 3, 2))
            return -1;
        tm.tm_hour = num(p, 2);
        tm.tm_min = num(p + 3, 2);
        p += 5;
        if (*p == ':' && digits(p + 1, 2)) {
            tm.tm_sec = num(p + 1, 2);
            p += 3;
            if (*p == '.')
                for (p++; isdigit((unsigned char)*p); p++) {
                }
        }
        if (tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60)
            return -1;
        if (*p == 'Z') {
            p++;
        } else if ((*p == '+' || *p == '-') && digits(p + 1, 2) && p[3] == ':' && digits(p + 4, 2)) {
            offset = (num(p + 1, 2) * 3600L + num(p + 4, 2) * 60L) * (*p == '-' ? -1 : 1);
            p += 6;
        }
        *has_time = true;
    }
    if (*p != '\0')
        return -1;
    *date_only = tm;
    time_t t = timegm(&tm);
    if (t == (time_t)-1 && !(tm.tm_year == 69 && tm.tm_mon == 11 && tm.tm_mday == 31))
        return -1;
    *out = t - offset;
    return 0;
}

/* Breaks the instants t[0..n) down in zone tz (known) or the local zone, under the lock; put back after. */
static bool zone_tm(const char *tz, const time_t *t, struct tm *out, size_t n)
{
    bool zone = tz != NULL && client_time_zone_known(tz), ok = true;
    pthread_mutex_lock(&tz_lock);
    char *saved = NULL;
    if (zone) {
        const char *old = getenv("TZ");
        saved = strdup(old != NULL ? old : ":/etc/localtime"); /* put back, never removed (see tz_pin) */
        if (saved == NULL)
            zone = false;
        else
            setenv("TZ", tz, 1);
    }
    tzset();
    for (size_t i = 0; i < n && ok; i++)
        ok = localtime_r(&t[i], &out[i]) != NULL;
    if (zone) {
        setenv("TZ", saved, 1);
        tzset();
    }
    pthread_mutex_unlock(&tz_lock);
    free(saved);
    return ok;
}

int client_time_strftime(const char *iso, const char *tz, const char *fmt, char *out, size_t cap)
{
    time_t t;
    bool has_time;
    struct tm tm;
    if (cap == 0)
        return -1;
    out[0] = '\0';
    if (iso == NULL || parse_iso(iso, &t, &has_time, &tm) != 0) {
        bo_text_sanitize(out, cap, iso != NULL ? iso : "");
        return -1;
    }
    if (!has_time) { /* a day is the same day everywhere */
        struct tm d = tm;
        time_t day = timegm(&d);
        gmtime_r(&day, &d);
        strftime(out, cap, "%a %d %b %Y", &d);
        return 0;
    }
    struct tm local;
    if (!zone_tm(tz, &t, &local, 1) || strftime(out, cap, fmt, &local) == 0) {
        bo_text_sanitize(out, cap, iso);
        return -1;
    }
    return 0;
}

int client_time_format_short(const char *iso, const char *tz, time_t now, char *out, size_t cap)
{
    time_t t[2] = { 0, now };
    bool has_time;
    struct tm tm, local[2];
    if (cap == 0)
        return -1;
    out[0] = '\0';
    if (iso == NULL || parse_iso(iso, &t[0], &has_time, &tm) != 0) {
        bo_text_sanitize(out, cap, iso != NULL ? iso : "");
        return -1;
    }
    if (!zone_tm(tz, t, local, 2)) {
        bo_text_sanitize(out, cap, iso);
        return -1;
    }
    if (!has_time) { /* the day as given, the year of now in the zone */
        time_t day = timegm(&tm);
        gmtime_r(&day, &tm);
        strftime(out, cap, tm.tm_year == local[1].tm_year ? "%a %d %b" : "%d %b %Y", &tm);
        return 0;
    }
    /* another year: the year instead of the weekday; "+0545"-long zones drop the century */
    const char *fmt = local[0].tm_year == local[1].tm_year ? "%a %d %b %H:%M %Z" : "%d %b %Y %H:%M %Z";
    char zone[16];
    if (local[0].tm_year != local[1].tm_year && strftime(zone, sizeof zone, "%Z", &local[0]) > 4)
        fmt = "%d %b %y %H:%M %Z";
    if (strftime(out, cap, fmt, &local[0]) == 0) {
        bo_text_sanitize(out, cap, iso);
        return -1;
    }
    return 0;
}

int client_time_format(const char *iso, const char *tz, char *out, size_t cap)
{
    return client_time_strftime(iso, tz, "%a %d %b %Y %H:%M %Z", out, cap);
}
