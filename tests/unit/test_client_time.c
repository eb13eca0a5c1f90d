/* A date and time typed in the venue's local time, turned into the UTC instant the API stores, with the
 * zone's rules from the system's tzdata: daylight saving gaps refused, overlaps resolved to the first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "client_time.h"

static void winter_evening_in_new_york_is_the_next_day_in_utc(void **state)
{
    (void)state;
    client_time_local l;
    assert_int_equal(client_time_local_to_utc("2027-01-15 20:00", "America/New_York", &l), CLIENT_TIME_LOCAL_OK);
    assert_string_equal(l.utc, "2027-01-16T01:00:00Z");
    assert_string_equal(l.zone, "EST");
    assert_string_equal(l.shown, "Fri 15 Jan 2027 20:00 EST");
    assert_string_equal(l.clock, "20:00");
    assert_int_equal(l.instant, 1800061200); /* date -u -d 2027-01-16T01:00:00Z +%s */
    assert_true(l.has_time);
    assert_false(l.ambiguous);
    /* the 'T' form and seconds are the same thing */
    assert_int_equal(client_time_local_to_utc("2027-01-15T20:00:30", "America/New_York", &l), CLIENT_TIME_LOCAL_OK);
    assert_string_equal(l.utc, "2027-01-16T01:00:30Z");
    /* on the day the clocks go forward (Sun 14 Mar 2027), the evening is already EDT */
    assert_int_equal(client_time_local_to_utc("2027-03-14 20:00", "America/New_York", &l), CLIENT_TIME_LOCAL_OK);
    assert_string_equal(l.utc, "2027-03-15T00:00:00Z");
    assert_string_equal(l.zone, "EDT");
}

static void a_time_the_clocks_skip_in_berlin_is_refused(void **state)
{
    (void)state;
    client_time_local l;
    /* Sun 28 Mar 2027: 02:00 CET becomes 03:00 CEST */
    assert_int_equal(client_time_local_to_utc("2027-03-28 02:30", "Europe/Berlin", &l), CLIENT_TIME_LOCAL_GAP);
    assert_string_equal(l.utc, "");
    assert_non_null(strstr(client_time_local_message(CLIENT_TIME_LOCAL_GAP), "no such time"));
    /* either side of the gap is fine */
    assert_int_equal(client_time_local_to_utc("2027-03-28 01:59", "Europe/Berlin", &l), CLIENT_TIME_LOCAL_OK);
    assert_string_equal(l.utc, "2027-03-28T00:59:00Z");
    assert_string_equal(l.zone, "CET");
    assert_int_equal(client_time_local_to_utc("2027-03-28 03:00", "Europe/Berlin", &l), CLIENT_TIME_LOCAL_OK);
    assert_string_equal(l.utc, "2027-03-28T01:00:00Z");
    assert_string_equal(l.zone, "CEST");
}

static void a_time_that_happens_twice_takes_the_first_and_says_so(void **state)
{
    (void)state;
    client_time_local l;
    /* Sun 31 Oct 2027: 03:00 CEST becomes 02:00 CET, so 02:30 happens at 00:30Z and at 01:30Z */
    assert_int_equal(client_time_local_to_utc("2027-10-31 02:30", "Europe/Berlin", &l), CLIENT_TIME_LOCAL_OK);
    assert_true(l.ambiguous);
    assert_string_equal(l.utc, "2027-10-31T00:30:00Z");
    assert_string_equal(l.zone, "CEST");
    assert_string_equal(l.other_zone, "CET");
    /* an hour later it is unique again */
    assert_int_equal(client_time_local_to_utc("2027-10-31 03:30", "Europe/Berlin", &l), CLIENT_TIME_LOCAL_OK);
    assert_false(l.ambiguous);
    assert_string_equal(l.utc, "2027-10-31T02:30:00Z");
}

static void kathmandu_is_five_hours_forty_five_ahead(void **state)
{
    (void)state;
    client_time_local l;
    assert_int_equal(client_time_local_to_utc("2027-01-15 20:00", "Asia/Kathmandu", &l), CLIENT_TIME_LOCAL_OK);
    assert_string_equal(l.utc, "2027-01-15T14:15:00Z");
    assert_string_equal(l.zone, "+0545");
}

static void a_date_alone_stays_that_date(void **state)
{
    (void)state;
    client_time_local l;
    assert_int_equal(client_time_local_to_utc("2027-03-14", "Pacific/Auckland", &l), CLIENT_TIME_LOCAL_OK);
    assert_string_equal(l.utc, "2027-03-14");
    assert_false(l.has_time);
    assert_string_equal(l.zone, "");
    assert_int_equal(client_time_local_to_utc("2028-02-29", NULL, &l), CLIENT_TIME_LOCAL_OK);
    assert_string_equal(l.utc, "2028-02-29");
}

static void an_instant_with_its_own_offset_is_sent_as_typed(void **state)
{
    (void)state;
    client_time_local l;
    assert_int_equal(client_time_local_to_utc("2027-01-16T01:00:00Z", "America/New_York", &l), CLIENT_TIME_LOCAL_OK);
    assert_string_equal(l.utc, "2027-01-16T01:00:00Z");
    assert_string_equal(l.shown, "Fri 15 Jan 2027 20:00 EST");
    assert_int_equal(client_time_local_to_utc("2027-01-15T20:00+01:00", "Europe/Berlin", &l), CLIENT_TIME_LOCAL_OK);
    assert_string_equal(l.utc, "2027-01-15T20:00+01:00");
    assert_string_equal(l.zone, "CET");
}

static void no_zone_means_the_operators_own(void **state)
{
    (void)state;
    client_time_local l;
    setenv("TZ", "Asia/Tokyo", 1);
    assert_int_equal(client_time_local_to_utc("2027-01-15 20:00", "", &l), CLIENT_TIME_LOCAL_OK);
    assert_string_equal(l.utc, "2027-01-15T11:00:00Z");
    assert_string_equal(l.zone, "JST");
    assert_int_equal(client_time_local_to_utc("2027-01-15 20:00", NULL, &l), CLIENT_TIME_LOCAL_OK);
    assert_string_equal(l.utc, "2027-01-15T11:00:00Z");
    assert_string_equal(getenv("TZ"), "Asia/Tokyo");
    setenv("TZ", ":/etc/localtime", 1);
}

static void bad_days_times_and_zones_are_refused(void **state)
{
    (void)state;
    client_time_local l;
    const char *bad[] = { "2027-02-29 20:00", "2027-02-30", "2027-13-01", "2027-01-15 24:00", "2027-01-15 20:60",
                          "2027-01-15 20", "2027-01-15 20:00 CET", "15.01.2027 20:00", "", "2027-01-15T20:00:00.5" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(client_time_local_to_utc(bad[i], "Europe/Berlin", &l), CLIENT_TIME_LOCAL_BAD);
    assert_int_equal(client_time_local_to_utc(NULL, "Europe/Berlin", &l), CLIENT_TIME_LOCAL_BAD);
    /* not a zone, not installed, or installed but not a name the backend accepts */
    const char *zones[] = { "Mars/Olympus", "Europe/Atlantis", "CET", "US/Eastern", "europe/../../etc/passwd" };
    for (size_t i = 0; i < sizeof zones / sizeof zones[0]; i++)
        assert_int_equal(client_time_local_to_utc("2027-01-15 20:00", zones[i], &l), CLIENT_TIME_LOCAL_NO_ZONE);
    assert_non_null(client_time_local_message(CLIENT_TIME_LOCAL_BAD));
    assert_non_null(client_time_local_message(CLIENT_TIME_LOCAL_NO_ZONE));
    assert_null(client_time_local_message(CLIENT_TIME_LOCAL_OK));
}

/* Past for selling: 3 hours after the start; a date alone once its day (UTC) is over plus the grace. */
static void a_concert_is_past_after_the_grace(void **state)
{
    (void)state;
    time_t start = 1796000000; /* an instant of 2026 */
    char iso[32];
    struct tm tm;
    gmtime_r(&start, &tm);
    strftime(iso, sizeof iso, "%Y-%m-%dT%H:%M:%SZ", &tm);
    assert_int_equal(client_time_past(iso, start - 60), 0);
    assert_int_equal(client_time_past(iso, start + CLIENT_TIME_PAST_GRACE_S - 1), 0);
    assert_int_equal(client_time_past(iso, start + CLIENT_TIME_PAST_GRACE_S), 1);
    assert_int_equal(client_time_past("2026-12-05T20:00:00+01:00", 1797000000), 1); /* 5 Dec 19:00Z, now 11 Dec */
    assert_int_equal(client_time_past("2026-12-05", 1797000000), 1);
    assert_int_equal(client_time_past("2027-12-05", 1797000000), 0);
    assert_int_equal(client_time_past("not a date", 1796000000), -1);
    assert_int_equal(client_time_past(NULL, 1796000000), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(winter_evening_in_new_york_is_the_next_day_in_utc),
        cmocka_unit_test(a_time_the_clocks_skip_in_berlin_is_refused),
        cmocka_unit_test(a_time_that_happens_twice_takes_the_first_and_says_so),
        cmocka_unit_test(kathmandu_is_five_hours_forty_five_ahead),
        cmocka_unit_test(a_date_alone_stays_that_date),
        cmocka_unit_test(an_instant_with_its_own_offset_is_sent_as_typed),
        cmocka_unit_test(no_zone_means_the_operators_own),
        cmocka_unit_test(bad_days_times_and_zones_are_refused),
        cmocka_unit_test(a_concert_is_past_after_the_grace),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
