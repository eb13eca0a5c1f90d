/* Validation rules for concerts and tickets, shared by the backend (400 messages) and the client forms. */
#include "bo_valid.h"

#include "bo_money.h"
#include "bo_text.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* Message index of a fault: BO_TEXT_REQUIRED is 0. */
#define TP_COUNT ((int)BO_TEXT_LONG)

/* Messages for the text fields of the API, fixed at compile time. */
#define TEXT_MESSAGES(f)                                                                          \
    { f " is required", f " must not be empty", f " must be valid UTF-8",                         \
      f " must not contain control characters", f " must not contain bidirectional control characters", \
      f " must contain a visible character", f " must be at most 200 characters" }

static const struct {
    const char *field;
    const char *msg[TP_COUNT];
} text_fields[] = {
    { "name", TEXT_MESSAGES("name") },
    { "venue", TEXT_MESSAGES("venue") },
    { "customerName", TEXT_MESSAGES("customerName") },
    { "concertId", TEXT_MESSAGES("concertId") },
};

static const char *const text_generic[TP_COUNT] = TEXT_MESSAGES("text");

/* The message for problem p of field: static for the known fields; for any other field, composed
 * into a per-thread buffer that stays valid until this thread's next call with an unknown field. */
static const char *text_message(const char *field, bo_text_fault f)
{
    int p = (int)f - 1;
    if (!field)
        return text_generic[p];
    for (size_t i = 0; i < sizeof text_fields / sizeof text_fields[0]; i++)
        if (strcmp(field, text_fields[i].field) == 0)
            return text_fields[i].msg[p];
    static _Thread_local char buf[128];
    static const char *const tails[TP_COUNT] = {
        " is required", " must not be empty", " must be valid UTF-8",
        " must not contain control characters", " must not contain bidirectional control characters",
        " must contain a visible character", " must be at most 200 characters",
    };
    snprintf(buf, sizeof buf, "%.64s%s", field, tails[p]);
    return buf;
}

static bool is_ascii_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* True when s[0..len) holds a C0 or C1 control or DEL (s is valid UTF-8). */
static bool range_has_control(const unsigned char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (s[i] < 0x20 || s[i] == 0x7F)
            return true;
        /* C1 controls U+0080..U+009F are encoded C2 80..C2 9F */
        if (s[i] == 0xC2 && i + 1 < len && s[i + 1] >= 0x80 && s[i + 1] <= 0x9F)
            return true;
    }
    return false;
}

bo_text_fault bo_valid_text_fault(const char *value)
{
    if (!value)
        return BO_TEXT_REQUIRED;
    size_t len = strlen(value);
    if (!bo_utf8_valid(value, len))
        return BO_TEXT_UTF8;
    const unsigned char *b = (const unsigned char *)value, *e = b + len;
    while (b < e && is_ascii_space(*b))
        b++;
    while (e > b && is_ascii_space(e[-1]))
        e--;
    if (b == e)
        return BO_TEXT_EMPTY;
    if (range_has_control(b, (size_t)(e - b)))
        return BO_TEXT_CONTROL;
    if (bo_text_has_bidi_control(value))
        return BO_TEXT_BIDI;
    if (!bo_text_has_visible(value))
        return BO_TEXT_INVISIBLE;
    size_t chars = 0;
    for (const unsigned char *p = b; p < e; p++)
        if ((*p & 0xC0) != 0x80)
            chars++;
    if (chars > BO_TEXT_MAX_CHARS)
        return BO_TEXT_LONG;
    return BO_TEXT_OK;
}

const char *bo_valid_text(const char *field, const char *value)
{
    bo_text_fault f = bo_valid_text_fault(value);
    return f == BO_TEXT_OK ? NULL : text_message(field, f);
}

const char *bo_valid_door(const char *value)
{
    if (bo_valid_text_fault(value) != BO_TEXT_OK || bo_utf8_chars(value) > BO_DOOR_MAX_CHARS)
        return "door must be a name of 1 to 64 characters with a visible one, and no control or bidi character";
    return NULL;
}

/* ---- dates ---- */

/* Reads exactly n digits at *p into *out and advances *p. */
static bool digits(const char **p, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        char c = (*p)[i];
        if (c < '0' || c > '9')
            return false;
        v = v * 10 + (c - '0');
    }
    *p += n;
    *out = v;
    return true;
}

static int days_in_month(int y, int m)
{
    static const int d[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return d[m - 1];
}

static const char DATE_REQUIRED[] = "date is required";
static const char DATE_BAD[] =
    "date must be an ISO-8601 date (YYYY-MM-DD) or date-time (YYYY-MM-DDThh:mm[:ss[.fff]] with Z or an offset)";
static const char DATE_BAD_DAY[] = "date must be a real calendar date and time";

const char *bo_valid_date(const char *value)
{
    if (!value)
        return DATE_REQUIRED;
    const char *p = value;
    int y, mo, d, h, mi, s = 0;
    if (!digits(&p, 4, &y) || *p++ != '-' || !digits(&p, 2, &mo) || *p++ != '-' || !digits(&p, 2, &d))
        return *value ? DATE_BAD : DATE_REQUIRED;
    if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo))
        return DATE_BAD_DAY;
    if (*p == '\0')
        return NULL;
    if (*p++ != 'T')
        return DATE_BAD;
    if (!digits(&p, 2, &h) || *p++ != ':' || !digits(&p, 2, &mi))
        return DATE_BAD;
    if (*p == ':') {
        p++;
        if (!digits(&p, 2, &s))
            return DATE_BAD;
        if (*p == '.') {
            p++;
            int nf = 0;
            while (*p >= '0' && *p <= '9') {
                p++;
                nf++;
            }
            if (nf < 1 || nf > 9)
                return DATE_BAD;
        }
    }
    if (h > 23 || mi > 59 || s > 59)
        return DATE_BAD_DAY;
    if (*p == 'Z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        p++;
        int oh, om;
        if (!digits(&p, 2, &oh) || *p++ != ':' || !digits(&p, 2, &om))
            return DATE_BAD;
        if (oh > 23 || om > 59)
            return DATE_BAD_DAY;
    } else {
        return DATE_BAD;
    }
    return *p == '\0' ? NULL : DATE_BAD;
}

/* ---- e-mail ---- */

static const char EMAIL_REQUIRED[] = "customerEmail is required";
static const char EMAIL_LONG[] = "customerEmail must be at most 254 characters";
static const char EMAIL_BAD[] = "customerEmail must be a valid e-mail address";

static bool is_atext(unsigned char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return c != '\0' && strchr("!#$%&'*+/=?^_`{|}~-", c) != NULL;
}

static bool is_alnum(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

const char *bo_valid_email(const char *value)
{
    if (!value || !*value)
        return EMAIL_REQUIRED;
    size_t len = strlen(value);
    if (!bo_utf8_valid(value, len))
        return EMAIL_BAD;
    if (bo_utf8_chars(value) > BO_EMAIL_MAX) /* characters, as the contract's maxLength counts */
        return EMAIL_LONG;
    if (bo_text_has_control(value))
        return EMAIL_BAD;
    const char *at = strchr(value, '@');
    if (!at || strchr(at + 1, '@'))
        return EMAIL_BAD;
    size_t local_len = (size_t)(at - value);
    if (local_len == 0 || local_len > 64)
        return EMAIL_BAD;
    /* local part: dot-atom (atext and dots, no leading/trailing/double dot); non-ASCII UTF-8 allowed */
    const unsigned char *l = (const unsigned char *)value;
    if (l[0] == '.' || l[local_len - 1] == '.')
        return EMAIL_BAD;
    for (size_t i = 0; i < local_len; i++) {
        unsigned char c = l[i];
        if (c == '.') {
            if (l[i + 1] == '.')
                return EMAIL_BAD;
        } else if (c < 0x80 && !is_atext(c)) {
            return EMAIL_BAD;
        }
    }
    /* domain: at least two labels of letters/digits/hyphens, 1..63 each, no edge hyphens;
     * the last label (top-level domain) at least 2 characters and not all digits */
    const unsigned char *dm = (const unsigned char *)at + 1;
    size_t labels = 0, lab_len = 0;
    bool lab_all_digits = true;
    const unsigned char *lab = dm;
    for (const unsigned char *p = dm;; p++) {
        if (*p == '.' || *p == '\0') {
            if (lab_len == 0 || lab_len > 63 || lab[0] == '-' || p[-1] == '-')
                return EMAIL_BAD;
            labels++;
            if (*p == '\0')
                break;
            lab = p + 1;
            lab_len = 0;
            lab_all_digits = true;
            continue;
        }
        if (!is_alnum(*p) && *p != '-')
            return EMAIL_BAD;
        if (!(*p >= '0' && *p <= '9'))
            lab_all_digits = false;
        lab_len++;
    }
    if (labels < 2 || lab_len < 2 || lab_all_digits)
        return EMAIL_BAD;
    return NULL;
}

/* ---- numbers ---- */

static const char TICKETS_NOT_INT[] = "availableTickets must be an integer";
static const char TICKETS_RANGE[] = "availableTickets must be between 0 and 1000000";
static const char PRICE_NOT_NUM[] = "ticketPrice must be a number";
static const char PRICE_NEG[] = "ticketPrice must not be negative";
static const char PRICE_DECIMALS[] = "ticketPrice must have at most 2 decimals";
static const char PRICE_MAX[] = "ticketPrice must be at most 1000000";

const char *bo_valid_tickets_double(double value, int64_t *out)
{
    if (!isfinite(value) || value != floor(value))
        return TICKETS_NOT_INT;
    if (value < 0 || value > BO_TICKETS_MAX)
        return TICKETS_RANGE;
    if (out)
        *out = (int64_t)value; /* -0.0 becomes 0 */
    return NULL;
}

const char *bo_valid_price_double(double value, int64_t *cents_out)
{
    if (!isfinite(value))
        return PRICE_NOT_NUM;
    if (value < 0)
        return PRICE_NEG;
    if (value > (double)BO_PRICE_MAX_CENTS / 100.0)
        return PRICE_MAX;
    int64_t cents;
    if (bo_money_from_double(value, &cents) != 0)
        return PRICE_DECIMALS;
    if (cents_out)
        *cents_out = cents;
    return NULL;
}

/* Bounds of text without surrounding ASCII white space. */
static void trim_bounds(const char *text, const char **b, const char **e)
{
    const char *s = text, *t = text + strlen(text);
    while (s < t && is_ascii_space((unsigned char)*s))
        s++;
    while (t > s && is_ascii_space((unsigned char)t[-1]))
        t--;
    *b = s;
    *e = t;
}

const char *bo_valid_tickets_text(const char *text, int64_t *out)
{
    if (!text)
        return "availableTickets is required";
    const char *b, *e;
    trim_bounds(text, &b, &e);
    if (b == e)
        return "availableTickets is required";
    int64_t v = 0;
    for (const char *p = b; p < e; p++) {
        if (*p < '0' || *p > '9')
            return TICKETS_NOT_INT;
        v = v * 10 + (*p - '0');
        if (v > BO_TICKETS_MAX)
            return TICKETS_RANGE;
    }
    if (out)
        *out = v;
    return NULL;
}

const char *bo_valid_price_text(const char *text, int64_t *cents_out)
{
    if (!text)
        return "ticketPrice is required";
    const char *b, *e;
    trim_bounds(text, &b, &e);
    if (b == e)
        return "ticketPrice is required";
    char buf[48];
    size_t n = (size_t)(e - b);
    if (n >= sizeof buf) { /* far too long for a price: say which rule it breaks */
        for (const char *p = b; p < e; p++)
            if ((*p < '0' || *p > '9') && *p != '.')
                return *b == '-' ? PRICE_NEG : PRICE_NOT_NUM;
        return PRICE_MAX;
    }
    memcpy(buf, b, n);
    buf[n] = '\0';
    if (buf[0] == '-')
        return PRICE_NEG;
    int64_t cents;
    if (bo_money_parse(buf, &cents) == 0) {
        if (cents_out)
            *cents_out = cents;
        return NULL;
    }
    /* tell the operator which rule failed */
    const char *dot = strchr(buf, '.');
    bool only_digits_dot = strspn(buf, "0123456789.") == n && buf[0] != '.' &&
                           (!dot || (strchr(dot + 1, '.') == NULL && dot[1] != '\0'));
    if (!only_digits_dot)
        return PRICE_NOT_NUM;
    if (dot && strlen(dot + 1) > 2)
        return PRICE_DECIMALS;
    return PRICE_MAX;
}
