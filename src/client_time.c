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
#include "bo_valid.h"
#include "bo_valid_order.h"
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
    if (tz == NULL || !model_tz_name_plausible(tz))
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

int client_time_past(const char *iso, time_t now)
{
    time_t t;
    bool has_time;
    struct tm tm;
    if (iso == NULL || parse_iso(iso, &t, &has_time, &tm) != 0)
        return -1;
    if (!has_time)
        t += 24 * 3600; /* the day's end */
    return now - t >= CLIENT_TIME_PAST_GRACE_S ? 1 : 0;
}

int client_time_format(const char *iso, const char *tz, char *out, size_t cap)
{
    return client_time_strftime(iso, tz, "%a %d %b %Y %H:%M %Z", out, cap);
}

/* ---- a local time typed in the venue's zone -> the instant the API stores ---------------------------- */

/* Parses "YYYY-MM-DD[( |T)hh:mm[:ss]]" into *wall; *rest points past it (a zone designator or the end). */
static int parse_wall(const char *s, struct tm *wall, bool *has_time, const char **rest)
{
    memset(wall, 0, sizeof *wall);
    if (strlen(s) < 10 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) || s[7] != '-' || !digits(s + 8, 2))
        return -1;
    wall->tm_year = num(s, 4) - 1900;
    wall->tm_mon = num(s + 5, 2) - 1;
    wall->tm_mday = num(s + 8, 2);
    const char *p = s + 10;
    *has_time = false;
    if (*p == 'T' || *p == ' ') {
        p++;
        if (!digits(p, 2) || p[2] != ':' || !digits(p + 3, 2))
            return -1;
        wall->tm_hour = num(p, 2);
        wall->tm_min = num(p + 3, 2);
        p += 5;
        if (*p == ':') {
            if (!digits(p + 1, 2))
                return -1;
            wall->tm_sec = num(p + 1, 2);
            p += 3;
        }
        if (wall->tm_hour > 23 || wall->tm_min > 59 || wall->tm_sec > 59)
            return -1;
        *has_time = true;
    }
    /* a real calendar day: timegm would carry Feb 30 into March */
    struct tm chk = *wall;
    time_t t = timegm(&chk);
    if (t == (time_t)-1 || chk.tm_year != wall->tm_year || chk.tm_mon != wall->tm_mon || chk.tm_mday != wall->tm_mday)
        return -1;
    *rest = p;
    return 0;
}

static bool same_wall(const struct tm *a, const struct tm *b)
{
    return a->tm_year == b->tm_year && a->tm_mon == b->tm_mon && a->tm_mday == b->tm_mday && a->tm_hour == b->tm_hour
           && a->tm_min == b->tm_min && a->tm_sec == b->tm_sec;
}

#define PROBES 61 /* the zone's offsets from 30 hours before to 30 after: wider than any offset (±14 h) */

client_time_local_status client_time_local_to_utc(const char *text, const char *tz, client_time_local *out)
{
    memset(out, 0, sizeof *out);
    bool zoned = tz != NULL && tz[0] != '\0';
    if (zoned && (bo_valid_timezone(tz) != NULL || !client_time_zone_known(tz)))
        return CLIENT_TIME_LOCAL_NO_ZONE;
    struct tm wall;
    const char *rest;
    if (text == NULL || parse_wall(text, &wall, &out->has_time, &rest) != 0)
        return CLIENT_TIME_LOCAL_BAD;
    if (!out->has_time) { /* a day is the same day everywhere: sent as typed */
        if (*rest != '\0' || bo_valid_date(text) != NULL)
            return CLIENT_TIME_LOCAL_BAD;
        snprintf(out->utc, sizeof out->utc, "%.10s", text);
        return CLIENT_TIME_LOCAL_OK;
    }
    time_t cand[PROBES];
    struct tm loc[PROBES];
    size_t nc = 0;
    if (*rest != '\0') { /* its own Z or offset: an instant already, sent as typed */
        bool dummy;
        struct tm d;
        if (bo_valid_date(text) != NULL || strlen(text) >= sizeof out->utc || parse_iso(text, &cand[0], &dummy, &d) != 0)
            return CLIENT_TIME_LOCAL_BAD;
        snprintf(out->utc, sizeof out->utc, "%s", text);
        nc = 1;
        if (!zone_tm(zoned ? tz : NULL, cand, loc, 1))
            return CLIENT_TIME_LOCAL_BAD;
    } else {
        /* every offset the zone has near that wall time; the instants wall - offset that show that wall time */
        struct tm w = wall;
        time_t as_utc = timegm(&w);
        time_t probe[PROBES];
        struct tm at[PROBES];
        for (int k = 0; k < PROBES; k++)
            probe[k] = as_utc + (time_t)(k - PROBES / 2) * 3600;
        if (!zone_tm(zoned ? tz : NULL, probe, at, PROBES))
            return CLIENT_TIME_LOCAL_BAD;
        for (int k = 0; k < PROBES; k++) {
            time_t t = as_utc - (time_t)at[k].tm_gmtoff;
            bool seen = false;
            for (size_t i = 0; i < nc; i++)
                seen = seen || cand[i] == t;
            if (!seen)
                cand[nc++] = t;
        }
        if (!zone_tm(zoned ? tz : NULL, cand, loc, nc))
            return CLIENT_TIME_LOCAL_BAD;
        size_t keep = 0; /* the candidates that really show the wall time, earliest first */
        for (size_t i = 0; i < nc; i++)
            if (same_wall(&loc[i], &wall)) {
                cand[keep] = cand[i];
                loc[keep++] = loc[i];
            }
        nc = keep;
        for (size_t i = 1; i < nc; i++)
            for (size_t j = i; j > 0 && cand[j] < cand[j - 1]; j--) {
                time_t tt = cand[j];
                cand[j] = cand[j - 1];
                cand[j - 1] = tt;
                struct tm tl = loc[j];
                loc[j] = loc[j - 1];
                loc[j - 1] = tl;
            }
        if (nc == 0)
            return CLIENT_TIME_LOCAL_GAP;
        struct tm u;
        gmtime_r(&cand[0], &u);
        strftime(out->utc, sizeof out->utc, "%Y-%m-%dT%H:%M:%SZ", &u);
        if (nc > 1) {
            out->ambiguous = true;
            strftime(out->other_zone, sizeof out->other_zone, "%Z", &loc[nc - 1]);
        }
    }
    out->instant = cand[0];
    strftime(out->clock, sizeof out->clock, "%H:%M", &loc[0]);
    strftime(out->zone, sizeof out->zone, "%Z", &loc[0]);
    strftime(out->shown, sizeof out->shown, "%a %d %b %Y %H:%M %Z", &loc[0]);
    return CLIENT_TIME_LOCAL_OK;
}

const char *client_time_local_message(client_time_local_status st)
{
    switch (st) {
    case CLIENT_TIME_LOCAL_OK:
        return NULL;
    case CLIENT_TIME_LOCAL_GAP:
        return "date: no such time there (the clocks go forward)";
    case CLIENT_TIME_LOCAL_NO_ZONE:
        return "date: set a valid time zone first";
    case CLIENT_TIME_LOCAL_BAD:
    default:
        return "date: YYYY-MM-DD or YYYY-MM-DD hh:mm, a real day";
    }
}

int client_time_clock(const char *iso, const char *tz, char *out, size_t cap)
{
    return client_time_strftime(iso, tz, "%H:%M:%S", out, cap);
}
