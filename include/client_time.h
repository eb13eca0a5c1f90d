#ifndef CLIENT_TIME_H
#define CLIENT_TIME_H
/* Instants from the API (ISO-8601, UTC) shown in the venue's time zone with the zone's abbreviation:
 * "Sat 12 Dec 2026 20:00 CET". Uses the system's tzdata (Debian's tzdata package). No drawing. */
#include <stddef.h>
#include <time.h>

/* Formats iso in the IANA zone tz ("Europe/Berlin"); tz NULL, "", implausible or not installed: the
 * operator's local zone. A date without a time ("2026-12-12") is shown as that day ("Sat 12 Dec 2026"),
 * never moved across zones. Returns 0, or -1 when iso is not an ISO-8601 date (out then holds iso
 * sanitised, cut to cap). Thread-safe: the zone is switched under a lock (TZ + tzset + localtime_r) and
 * put back before the lock is released. */
int client_time_format(const char *iso, const char *tz, char *out, size_t cap);
/* The same with a strftime format for an instant with a time ("%H:%M:%S %Z": when a ticket was admitted). */
int client_time_strftime(const char *iso, const char *tz, const char *fmt, char *out, size_t cap);

/* The same in at most CLIENT_TIME_SHORT_W columns, for lists: "Sat 12 Dec 20:00 CET" when the instant
 * falls in now's year (in that zone), else "15 Jan 2027 20:00 CET" (zones of 5 letters: "15 Jan 27 20:00
 * +0545"); a date without a time: "Sat 12 Dec" or "15 Jan 2027". Returns 0, or -1 as above. */
#define CLIENT_TIME_SHORT_W 22
int client_time_format_short(const char *iso, const char *tz, time_t now, char *out, size_t cap);

/* True when tz names a zone installed on this machine (TZDIR, else /usr/share/zoneinfo). */
int client_time_zone_known(const char *tz);

#endif
