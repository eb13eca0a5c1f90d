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

/* iso in zone tz with the strftime format fmt (a time of day); a date alone is shown as that day. */
static int format_in_zone(const char *iso, const char *tz, const char *fmt, char *out, size_t cap)
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
    bool zone = tz != NULL && client_time_zone_known(tz);
    pthread_mutex_lock(&tz_lock);
    char *saved = NULL;
    if (zone) {
        const char *old = getenv("TZ");
        if (old != NULL)
            saved = strdup(old);
        setenv("TZ", tz, 1);
    }
    tzset();
    struct tm local;
    bool ok = localtime_r(&t, &local) != NULL && strftime(out, cap, fmt, &local) > 0;
    if (zone) {
        if (saved != NULL)
            setenv("TZ", saved, 1);
        else
            unsetenv("TZ");
        tzset();
    }
    pthread_mutex_unlock(&tz_lock);
    free(saved);
    if (!ok) {
        bo_text_sanitize(out, cap, iso);
        return -1;
    }
    return 0;
}

int client_time_format(const char *iso, const char *tz, char *out, size_t cap)
{
    return format_in_zone(iso, tz, "%a %d %b %Y %H:%M %Z", out, cap);
}

int client_time_clock(const char *iso, const char *tz, char *out, size_t cap)
{
    return format_in_zone(iso, tz, "%H:%M:%S", out, cap);
}
