/* Validation rules of orders and of the concert fields they use (see bo_valid_order.h). */
#include "bo_valid_order.h"

#include <math.h>
#include <string.h>

const char *bo_valid_currency(const char *value)
{
    if (!value)
        return "currency is required";
    if (strlen(value) != 3)
        return "currency must be three upper-case letters (ISO 4217)";
    for (int i = 0; i < 3; i++)
        if (value[i] < 'A' || value[i] > 'Z')
            return "currency must be three upper-case letters (ISO 4217)";
    return NULL;
}

static bool part_ok(const char *p, size_t n)
{
    if (n == 0 || n > 30)
        return false;
    if (!((p[0] >= 'A' && p[0] <= 'Z') || (p[0] >= 'a' && p[0] <= 'z')))
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = p[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '+' ||
              c == '-'))
            return false;
    }
    return true;
}

const char *bo_valid_timezone(const char *value)
{
    static const char *const areas[] = { "Africa", "America", "Antarctica", "Arctic",  "Asia", "Atlantic",
                                         "Australia", "Europe", "Indian", "Pacific", "Etc" };
    static const char BAD[] = "timezone must be an IANA time zone name such as Europe/Vienna";
    if (!value)
        return "timezone is required";
    size_t len = strlen(value);
    if (len == 0 || len > BO_TIMEZONE_MAX)
        return BAD;
    if (strcmp(value, "UTC") == 0)
        return NULL;
    const char *slash = strchr(value, '/');
    if (!slash)
        return BAD;
    bool area = false;
    for (size_t i = 0; i < sizeof areas / sizeof areas[0]; i++)
        if (strlen(areas[i]) == (size_t)(slash - value) && strncmp(value, areas[i], (size_t)(slash - value)) == 0)
            area = true;
    if (!area)
        return BAD;
    int parts = 0;
    for (const char *p = slash + 1;;) {
        const char *e = strchr(p, '/');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (!part_ok(p, n) || ++parts > 2)
            return BAD;
        if (!e)
            break;
        p = e + 1;
    }
    return NULL;
}

static const char *whole_in(double v, int64_t max, int64_t *out, const char *msg)
{
    if (!isfinite(v) || v != floor(v) || v < 1 || v > (double)max)
        return msg;
    *out = (int64_t)v;
    return NULL;
}

const char *bo_valid_max_per_order_double(double value, int64_t *out)
{
    return whole_in(value, BO_ORDER_MAX_TICKETS, out, "maxPerOrder must be a whole number from 1 to 47");
}

const char *bo_valid_max_per_order_text(const char *text, int64_t *out)
{
    static const char RANGE[] = "maxPerOrder must be a whole number from 1 to 47";
    if (!text)
        return "maxPerOrder is required";
    while (*text == ' ' || *text == '\t')
        text++;
    size_t n = strlen(text);
    while (n > 0 && (text[n - 1] == ' ' || text[n - 1] == '\t'))
        n--;
    if (n == 0)
        return "maxPerOrder is required";
    int64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (text[i] < '0' || text[i] > '9')
            return RANGE;
        v = v * 10 + (text[i] - '0');
        if (v > BO_ORDER_MAX_TICKETS)
            return RANGE;
    }
    int64_t got = 0;
    const char *msg = bo_valid_max_per_order_double((double)v, &got);
    if (!msg && out)
        *out = got;
    return msg;
}

const char *bo_valid_quantity_double(double value, int64_t *out)
{
    return whole_in(value, BO_ORDER_MAX_TICKETS, out, "quantity must be a whole number from 1 to 47");
}

static const char *tendered_answer(int rc, int64_t cents, int64_t *out)
{
    if (rc == BO_MONEY_TOO_LARGE)
        return BO_TENDERED_TOO_LARGE;
    if (rc != BO_MONEY_OK)
        return "payment.tendered must be an amount with at most 2 decimals";
    if (out)
        *out = cents;
    return NULL;
}

const char *bo_valid_tendered_text(const char *text, int64_t *out)
{
    int64_t c = 0;
    int rc = bo_money_parse_upto(text, BO_TENDERED_MAX_CENTS, &c);
    return tendered_answer(rc, c, out);
}

const char *bo_valid_tendered_double(double value, int64_t *out)
{
    int64_t c = 0;
    int rc = bo_money_from_double_upto(value, BO_TENDERED_MAX_CENTS, &c);
    return tendered_answer(rc, c, out);
}

const char *bo_valid_attendee_count(size_t names, int64_t quantity)
{
    if (quantity < 1 || names != (size_t)quantity)
        return "attendees must be an array with one name per ticket (quantity)";
    return NULL;
}

bool bo_valid_payment_method(const char *value)
{
    return value && (strcmp(value, "card") == 0 || strcmp(value, "cash") == 0 || strcmp(value, "comp") == 0);
}
