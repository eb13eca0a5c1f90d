#ifndef CLIENT_TIME_H
#define CLIENT_TIME_H
/* Instants from the API (ISO-8601, UTC) shown in the venue's time zone with the zone's abbreviation:
 * "Sat 12 Dec 2026 20:00 CET". Uses the system's tzdata (Debian's tzdata package). No drawing. */
#include <stdbool.h>
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

/* The time of day of iso in the zone tz (as client_time_format chooses it): "20:14:03". A date without a time
 * is shown as that day. Returns 0, or -1 as client_time_format. */
int client_time_clock(const char *iso, const char *tz, char *out, size_t cap);
/* When a concert counts as past, for selling: CLIENT_TIME_PAST_GRACE_S after its start (a box office
 * sells at the door after the start); a date without a time, from the end of that day (UTC) plus the grace. */
#define CLIENT_TIME_PAST_GRACE_S (3 * 3600)
/* 1 when the concert starting at iso is past at now (see above), 0 when not, -1 when iso is not an ISO-8601
 * date (a damaged record: never called past, its own marks say what is wrong). */
int client_time_past(const char *iso, time_t now);
/* True when tz names a zone installed on this machine (TZDIR, else /usr/share/zoneinfo). */
int client_time_zone_known(const char *tz);

/* A date and time typed in the venue's local time, turned into what the API stores. */
typedef enum client_time_local_status {
    CLIENT_TIME_LOCAL_OK = 0,
    CLIENT_TIME_LOCAL_BAD = -1,      /* not YYYY-MM-DD[( |T)hh:mm[:ss]][Z|+hh:mm], or no such calendar day */
    CLIENT_TIME_LOCAL_GAP = -2,      /* the clocks skip that local time in the zone (spring forward) */
    CLIENT_TIME_LOCAL_NO_ZONE = -3   /* tz is not an installed zone (bo_valid_timezone + client_time_zone_known) */
} client_time_local_status;

typedef struct client_time_local {
    char utc[32];        /* what the API gets: "2027-03-15T01:00:00Z"; a date alone as typed ("2027-03-14");
                          * a time with its own Z or offset as typed (an instant already) */
    char shown[64];      /* the instant in the venue's zone, "Sun 14 Mar 2027 20:00 EDT" ("" for a date alone) */
    char clock[8];       /* the wall time there, "20:00" ("" for a date alone) */
    char zone[16];       /* the zone's abbreviation at that instant ("EDT", "+0545"; "" for a date alone) */
    char other_zone[16]; /* ambiguous (clocks go back): the abbreviation of the later of the two instants */
    time_t instant;      /* the instant (0 for a date alone) */
    bool has_time;       /* a time was typed */
    bool ambiguous;      /* the local time happens twice; utc is the first of the two */
} client_time_local;

/* Converts text, a local date and time in the IANA zone tz (NULL or "": the operator's local zone, whose
 * name is not known here), with the zone's rules from the system's tzdata. Fills *out (zeroed first) and
 * returns CLIENT_TIME_LOCAL_OK or the reason it cannot; client_time_local_message words it. Thread-safe
 * as client_time_format. */
client_time_local_status client_time_local_to_utc(const char *text, const char *tz, client_time_local *out);

/* A static English message for a status other than OK, naming the field "date"; never echoes input. */
const char *client_time_local_message(client_time_local_status st);

#endif
