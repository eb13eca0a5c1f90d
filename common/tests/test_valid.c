/* bo_valid: every validation rule, with valid and invalid examples; messages name the field. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "bo_valid.h"
#include "bo_valid_order.h"

static void assert_names(const char *msg, const char *field)
{
    assert_non_null(msg);
    if (strncmp(msg, field, strlen(field)) != 0)
        fail_msg("message \"%s\" does not name %s", msg, field);
}

static void text_accepts_reasonable_values(void **state)
{
    (void)state;
    assert_null(bo_valid_text("name", "The Rolling Stones"));
    assert_null(bo_valid_text("venue", "  Olympiastadion  "));       /* trimmed before judging */
    assert_null(bo_valid_text("customerName", "Bj\xC3\xB6rk Gu\xC3\xB0mundsd\xC3\xB3ttir"));
    assert_null(bo_valid_text("name", "x"));
    assert_null(bo_valid_text("name", "trailing newline is trimmed\n"));
    char max[BO_TEXT_MAX_CHARS * 2 + 1]; /* 200 two-byte characters: 200 chars, 400 bytes */
    for (int i = 0; i < BO_TEXT_MAX_CHARS; i++)
        memcpy(max + 2 * i, "\xC3\xA9", 2);
    max[BO_TEXT_MAX_CHARS * 2] = '\0';
    assert_null(bo_valid_text("name", max));
}

/* A door's name: the text rule and at most 64 characters, one rule for the API and the client. */
static void door_names_follow_the_text_rule_and_64_characters(void **state)
{
    (void)state;
    assert_null(bo_valid_door("North gate"));
    assert_null(bo_valid_door("T\xC3\xBCr 2"));
    char max[BO_DOOR_MAX_CHARS * 2 + 3]; /* 64 two-byte characters pass, 65 do not */
    for (int i = 0; i < BO_DOOR_MAX_CHARS; i++)
        memcpy(max + 2 * i, "\xC3\xA9", 2);
    max[BO_DOOR_MAX_CHARS * 2] = '\0';
    assert_null(bo_valid_door(max));
    memcpy(max + BO_DOOR_MAX_CHARS * 2, "x", 2);
    assert_non_null(bo_valid_door(max));
    const char *bad[] = { NULL, "", "   ", "\t \n", "\xE2\x80\xAE" "edoc", "Gate\x1b[31m2", "\xE2\x80\x8B", "\xC3" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *msg = bo_valid_door(bad[i]);
        if (msg == NULL)
            fail_msg("door name %zu passes", i);
        assert_int_equal(strncmp(msg, "door must be", 12), 0);
    }
}

static void text_refuses_each_rule_and_names_the_field(void **state)
{
    (void)state;
    const char *fields[] = { "name", "venue", "customerName", "concertId", "someOtherField" };
    char long201[BO_TEXT_MAX_CHARS + 2];
    memset(long201, 'a', BO_TEXT_MAX_CHARS + 1);
    long201[BO_TEXT_MAX_CHARS + 1] = '\0';
    for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++) {
        const char *field = fields[f];
        const char *m;
        m = bo_valid_text(field, NULL);
        assert_names(m, field);
        assert_non_null(strstr(m, "required"));
        m = bo_valid_text(field, "");
        assert_names(m, field);
        assert_non_null(strstr(m, "empty"));
        m = bo_valid_text(field, " \t\n ");
        assert_names(m, field);
        assert_non_null(strstr(m, "empty"));
        m = bo_valid_text(field, "bad \xC3\x28 utf8");
        assert_names(m, field);
        assert_non_null(strstr(m, "UTF-8"));
        m = bo_valid_text(field, "tab\tinside");
        assert_names(m, field);
        assert_non_null(strstr(m, "control"));
        m = bo_valid_text(field, "esc\x1B[31m");
        assert_non_null(strstr(m, "control"));
        m = bo_valid_text(field, "c1 \xC2\x85 nel");
        assert_non_null(strstr(m, "control"));
        m = bo_valid_text(field, "del\x7F");
        assert_non_null(strstr(m, "control"));
        m = bo_valid_text(field, long201);
        assert_names(m, field);
        assert_non_null(strstr(m, "200"));
    }
}

/* A receipt must show who bought: names that show nothing or show reversed are refused. */
static void text_refuses_invisible_and_bidi_names(void **state)
{
    (void)state;
    const char *fields[] = { "name", "venue", "customerName" };
    const char *invisible[] = {
        "\xE2\x80\x8B",                          /* U+200B zero width space */
        "\xC2\xA0\xC2\xA0",                     /* two no-break spaces */
        " \xE3\x80\x80 ",                        /* ideographic space between ASCII spaces */
        "\xEF\xBB\xBF\xE2\x81\xA0\xC2\xAD",       /* BOM, word joiner, soft hyphen */
        "\xE2\xA0\x80\xE2\xA0\x80",                 /* blank braille cells */
        "\xE3\x85\xA4",                          /* Hangul filler */
        "\xF3\xA0\x80\x81\xF3\xA0\x81\xA1",       /* tag characters */
    };
    const char *bidi[] = {
        "\xE2\x80\xAE" "ecilA",                  /* U+202E right-to-left override: shows "Alice" reversed */
        "Alice\xE2\x80\xAA",                     /* U+202A LRE */
        "\xE2\x81\xA6" "Bob\xE2\x81\xA9",           /* U+2066 LRI .. U+2069 PDI */
        "Bob\xE2\x80\x8F",                       /* U+200F right-to-left mark */
        "\xE2\x80\x8E" "Bob",                    /* U+200E left-to-right mark */
        "Bob\xD8\x9C",                            /* U+061C Arabic letter mark */
    };
    for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++) {
        for (size_t i = 0; i < sizeof invisible / sizeof invisible[0]; i++) {
            const char *m = bo_valid_text(fields[f], invisible[i]);
            if (!m || !strstr(m, "visible character"))
                fail_msg("%s: invisible case %zu: %s", fields[f], i, m ? m : "accepted");
            assert_names(m, fields[f]);
        }
        for (size_t i = 0; i < sizeof bidi / sizeof bidi[0]; i++) {
            const char *m = bo_valid_text(fields[f], bidi[i]);
            if (!m || !strstr(m, "bidirectional"))
                fail_msg("%s: bidi case %zu: %s", fields[f], i, m ? m : "accepted");
            assert_names(m, fields[f]);
        }
    }
    /* visible text around invisible characters, and right-to-left scripts without controls, are fine */
    assert_null(bo_valid_text("customerName", "Ada\xC2\xA0Lovelace"));
    assert_null(bo_valid_text("customerName", "a\xE2\x80\x8B"));
    assert_null(bo_valid_text("name", "\xD7\xA9\xD7\x9C\xD7\x95\xD7\x9D"));   /* Hebrew */
    assert_null(bo_valid_text("venue", "\xD8\xA7\xD9\x84\xD9\x82\xD8\xA7\xD9\x87\xD8\xB1\xD8\xA9")); /* Arabic */
    assert_null(bo_valid_text("name", "\xF0\x9F\x8E\xB5"));                 /* an emoji alone */
}

static void text_message_never_echoes_the_input(void **state)
{
    (void)state;
    const char *m = bo_valid_text("name", "SECRET\x01VALUE");
    assert_non_null(m);
    assert_null(strstr(m, "SECRET"));
}

static void date_accepts_iso8601_dates_and_datetimes(void **state)
{
    (void)state;
    const char *ok[] = {
        "2026-11-25", "2024-02-29", "2000-02-29", "0001-01-01", "9999-12-31",
        "2026-11-25T20:00Z", "2026-11-25T20:00:00Z", "2026-11-25T20:00:00.123Z",
        "2026-11-25T20:00:00.123456789Z", "2026-11-25T20:00:00+01:00", "2026-11-25T23:59:59-05:30",
        "2026-11-25T00:00+00:00",
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        if (bo_valid_date(ok[i]) != NULL)
            fail_msg("refused %s: %s", ok[i], bo_valid_date(ok[i]));
}

static void date_refuses_everything_else(void **state)
{
    (void)state;
    const char *bad[] = {
        "", "tomorrow", "2026-1-5", "26-11-25", "2026/11/25", "2026-13-01", "2026-00-10",
        "2026-11-00", "2026-11-31", "2023-02-29", "1900-02-29", "0000-01-01", "2026-11-25T",
        "2026-11-25T20", "2026-11-25T20:00", /* no zone */ "2026-11-25T24:00Z", "2026-11-25T20:60Z",
        "2026-11-25T20:00:60Z", "2026-11-25T20:00:00.Z", "2026-11-25T20:00:00.1234567890Z",
        "2026-11-25T20:00:00+1:00", "2026-11-25T20:00:00+24:00", "2026-11-25T20:00:00+01:60",
        "2026-11-25 20:00:00Z", "2026-11-25T20:00:00Zjunk", "2026-11-25x", " 2026-11-25",
        "2026-11-25T20:00:00z", "20261125",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *m = bo_valid_date(bad[i]);
        if (!m)
            fail_msg("accepted %s", bad[i]);
        assert_names(m, "date");
    }
    assert_names(bo_valid_date(NULL), "date");
}

static void email_accepts_plausible_addresses(void **state)
{
    (void)state;
    const char *ok[] = {
        "a@b.co", "jane.doe@example.com", "x+tag@mail.example.org", "o'neil@ex-ample.ie",
        "user@xn--p1ai.xn--p1ai", "ren\xC3\xA9@example.fr", "UPPER@EXAMPLE.COM", "1@2.io",
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
        if (bo_valid_email(ok[i]) != NULL)
            fail_msg("refused %s: %s", ok[i], bo_valid_email(ok[i]));
    /* 64-byte local part and a 254-byte address are the limits */
    char addr[300];
    memset(addr, 'l', 64);
    strcpy(addr + 64, "@example.com");
    assert_null(bo_valid_email(addr));
    /* 63 + '@' + labels of 60 'd' separated by dots, ending in ".com", exactly 254 bytes */
    memset(addr, 'a', 63);
    addr[63] = '@';
    size_t n = 64;
    while (254 - n > 4 + 61) {
        memset(addr + n, 'd', 60);
        n += 60;
        addr[n++] = '.';
    }
    memset(addr + n, 'e', 254 - 4 - n);
    n = 254 - 4;
    memcpy(addr + n, ".com", 5);
    assert_int_equal(strlen(addr), 254);
    assert_null(bo_valid_email(addr));
    /* the limit counts characters: 32 x "é" (64 bytes) + '@' + 200 ASCII = 233 characters, 265 bytes */
    for (int i = 0; i < 32; i++)
        memcpy(addr + 2 * i, "\xc3\xa9", 2);
    addr[64] = '@';
    n = 65;
    for (int i = 0; i < 3; i++) {
        memset(addr + n, 'd', 60);
        n += 60;
        addr[n++] = '.';
    }
    memcpy(addr + n, "example.com", 12);
    assert_true(strlen(addr) > 254);
    assert_null(bo_valid_email(addr));
}

static void email_refuses_implausible_addresses(void **state)
{
    (void)state;
    const char *bad[] = {
        "", "plain", "@example.com", "a@", "a@b", "a@b.", "a@.com", "a@b..com", "a@@b.com",
        "a@b@c.com", "a b@c.com", "a@b c.com", ".a@b.com", "a.@b.com", "a..b@c.com",
        "a@-b.com", "a@b-.com", "a@b.c", "a@b.123", "a@b_c.com", "a\t@b.com", "a@b.com\n",
        "a(b)@c.com", "bad\xC3\x28@x.com", "a@\xC3\xA9.com",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *m = bo_valid_email(bad[i]);
        if (!m)
            fail_msg("accepted \"%s\"", bad[i]);
        assert_names(m, "customerEmail");
    }
    assert_names(bo_valid_email(NULL), "customerEmail");
    char addr[300];
    memset(addr, 'l', 65);
    strcpy(addr + 65, "@example.com");
    assert_names(bo_valid_email(addr), "customerEmail"); /* local part > 64 */
    memset(addr, 'a', 250);
    strcpy(addr + 250, "@b.co"); /* 255 bytes */
    const char *m = bo_valid_email(addr);
    assert_names(m, "customerEmail");
    assert_non_null(strstr(m, "254"));
}

static void tickets_double_rules(void **state)
{
    (void)state;
    int64_t v = -1;
    assert_null(bo_valid_tickets_double(0, &v));
    assert_int_equal(v, 0);
    assert_null(bo_valid_tickets_double(50, &v));
    assert_int_equal(v, 50);
    assert_null(bo_valid_tickets_double(1000000, &v));
    assert_int_equal(v, 1000000);
    assert_null(bo_valid_tickets_double(-0.0, &v));
    assert_int_equal(v, 0);
    const double bad[] = { -1, 1000001, 1.5, 0.0001, 1e18, -1e18, INFINITY, -INFINITY, NAN, 1.7976931348623157e308 };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        v = 42;
        const char *m = bo_valid_tickets_double(bad[i], &v);
        if (!m)
            fail_msg("accepted %g", bad[i]);
        assert_names(m, "availableTickets");
        assert_int_equal(v, 42);
    }
}

/* payment.tendered: any exact amount up to the stated maximum (far above a total of 49 x the highest
 * price), with the value read exactly; above it the message names the maximum. */
static void tendered_rules(void **state)
{
    (void)state;
    int64_t c = -1;
    assert_null(bo_valid_tendered_text("30", &c));
    assert_int_equal(c, 3000);
    assert_null(bo_valid_tendered_text("49000000.00", &c));
    assert_int_equal(c, INT64_C(4900000000));
    assert_null(bo_valid_tendered_text("1000000000.00", &c));
    assert_int_equal(c, BO_TENDERED_MAX_CENTS);
    assert_null(bo_valid_tendered_double(2500000.5, &c));
    assert_int_equal(c, INT64_C(250000050));
    assert_null(bo_valid_tendered_text("0", NULL));
    c = -1;
    assert_string_equal(bo_valid_tendered_text("1000000000.01", &c), BO_TENDERED_TOO_LARGE);
    assert_string_equal(BO_TENDERED_TOO_LARGE, "payment.tendered must be at most 1000000000.00");
    assert_string_equal(bo_valid_tendered_double(1e12, &c), BO_TENDERED_TOO_LARGE);
    assert_string_equal(bo_valid_tendered_text("1.001", &c), "payment.tendered must be an amount with at most 2 decimals");
    assert_string_equal(bo_valid_tendered_text("", &c), "payment.tendered must be an amount with at most 2 decimals");
    assert_string_equal(bo_valid_tendered_double(-1, &c), "payment.tendered must be an amount with at most 2 decimals");
    assert_int_equal(c, -1); /* untouched when refused */
}

static void price_double_rules(void **state)
{
    (void)state;
    int64_t c = -1;
    assert_null(bo_valid_price_double(49.99, &c));
    assert_int_equal(c, 4999);
    assert_null(bo_valid_price_double(0, &c));
    assert_int_equal(c, 0);
    assert_null(bo_valid_price_double(-0.0, &c));
    assert_int_equal(c, 0);
    assert_null(bo_valid_price_double(1000000, &c));
    assert_int_equal(c, 100000000);
    const char *m;
    m = bo_valid_price_double(-0.01, &c);
    assert_names(m, "ticketPrice");
    assert_non_null(strstr(m, "negative"));
    m = bo_valid_price_double(49.999, &c);
    assert_names(m, "ticketPrice");
    assert_non_null(strstr(m, "2 decimals"));
    m = bo_valid_price_double(1000000.01, &c);
    assert_names(m, "ticketPrice");
    m = bo_valid_price_double(NAN, &c);
    assert_names(m, "ticketPrice");
    m = bo_valid_price_double(INFINITY, &c);
    assert_names(m, "ticketPrice");
    assert_int_equal(c, 100000000); /* untouched by the refusals */
}

static void tickets_text_rules(void **state)
{
    (void)state;
    int64_t v = -1;
    assert_null(bo_valid_tickets_text("120", &v));
    assert_int_equal(v, 120);
    assert_null(bo_valid_tickets_text(" 0 ", &v));
    assert_int_equal(v, 0);
    assert_null(bo_valid_tickets_text("1000000", &v));
    assert_int_equal(v, 1000000);
    const char *bad[] = { "", "  ", "-1", "+1", "1.5", "1e3", "abc", "1000001", "99999999999999999999999", "1 2" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        v = 7;
        const char *m = bo_valid_tickets_text(bad[i], &v);
        if (!m)
            fail_msg("accepted \"%s\"", bad[i]);
        assert_names(m, "availableTickets");
        assert_int_equal(v, 7);
    }
    assert_names(bo_valid_tickets_text(NULL, &v), "availableTickets");
}

static void price_text_rules(void **state)
{
    (void)state;
    int64_t c = -1;
    assert_null(bo_valid_price_text("49.99", &c));
    assert_int_equal(c, 4999);
    assert_null(bo_valid_price_text(" 50 ", &c));
    assert_int_equal(c, 5000);
    assert_null(bo_valid_price_text("0.5", &c));
    assert_int_equal(c, 50);
    struct { const char *in, *word; } bad[] = {
        { "", "required" }, { "-5", "negative" }, { "49.999", "2 decimals" }, { "abc", "number" },
        { "1e3", "number" }, { "5.", "number" }, { "1000000.01", "1000000" }, { "1.2.3", "number" },
        { "99999999999999999999999999999999999999999999999999", "1000000" },
        { "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghij", "number" },
        { "-9999999999999999999999999999999999999999999999999", "negative" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        c = 3;
        const char *m = bo_valid_price_text(bad[i].in, &c);
        if (!m)
            fail_msg("accepted \"%s\"", bad[i].in);
        assert_names(m, "ticketPrice");
        if (!strstr(m, bad[i].word))
            fail_msg("\"%s\": message \"%s\" lacks \"%s\"", bad[i].in, m, bad[i].word);
        assert_int_equal(c, 3);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(text_accepts_reasonable_values),
        cmocka_unit_test(door_names_follow_the_text_rule_and_64_characters),
        cmocka_unit_test(text_refuses_each_rule_and_names_the_field),
        cmocka_unit_test(text_refuses_invisible_and_bidi_names),
        cmocka_unit_test(text_message_never_echoes_the_input),
        cmocka_unit_test(date_accepts_iso8601_dates_and_datetimes),
        cmocka_unit_test(date_refuses_everything_else),
        cmocka_unit_test(email_accepts_plausible_addresses),
        cmocka_unit_test(email_refuses_implausible_addresses),
        cmocka_unit_test(tickets_double_rules),
        cmocka_unit_test(price_double_rules),
        cmocka_unit_test(tendered_rules),
        cmocka_unit_test(tickets_text_rules),
        cmocka_unit_test(price_text_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
