#ifndef CLIENT_TIME_H
#define CLIENT_TIME_H
/* Instants from the API (ISO-8601, UTC) shown in the venue's time zone with the zone's abbreviation:
 * "Sat 12 Dec 2026 20:00 CET". Uses the system's tzdata (Debian's tzdata package). No drawing. */
#include <stddef.h>

/* Formats iso in the IANA zone tz ("Europe/Berlin"); tz NULL, "", implausible or not installed: the
 * operator's local zone. A date without a time ("2026-12-12") is shown as that day ("Sat 12 Dec 2026"),
 * never moved across zones. Returns 0, or -1 when iso is not an ISO-8601 date (out then holds iso
 * sanitised, cut to cap). Thread-safe: the zone is switched under a lock (TZ + tzset + localtime_r) and
 * put back before the lock is released. */
int client_time_format(const char *iso, const char *tz, char *out, size_t cap);

/* The time of day of iso in the zone tz (as client_time_format chooses it): "20:14:03". A date without a time
 * is shown as that day. Returns 0, or -1 as client_time_format. */
int client_time_clock(const char *iso, const char *tz, char *out, size_t cap);
/* True when tz names a zone installed on this machine (TZDIR, else /usr/share/zoneinfo). */
int client_time_zone_known(const char *tz);

#endif
