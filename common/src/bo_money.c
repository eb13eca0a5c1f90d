/* Exact money in integer cents: parsing, conversion from JSON doubles, formatting. */
#include "bo_money.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

int bo_money_parse_upto(const char *text, int64_t max, int64_t *cents)
{
    if (!text || !cents || max < 0 || max > BO_AMOUNT_MAX_CENTS)
        return BO_MONEY_MALFORMED;
    const char *p = text;
    int64_t whole = 0;
    int digits = 0;
    bool too_large = false;
    while (*p >= '0' && *p <= '9') {
        if (whole > BO_AMOUNT_MAX_CENTS / 100) /* keeps the arithmetic far from overflow */
            too_large = true;
        else
            whole = whole * 10 + (*p - '0');
        digits++;
        p++;
    }
    if (digits == 0)
        return BO_MONEY_MALFORMED;
    int64_t frac = 0;
    if (*p == '.') {
        p++;
        int fd = 0;
        while (*p >= '0' && *p <= '9') {
            if (fd == 2)
                return BO_MONEY_MALFORMED; /* more than 2 decimals */
            frac = frac * 10 + (*p - '0');
            fd++;
            p++;
        }
        if (fd == 0)
            return BO_MONEY_MALFORMED; /* "5." */
        if (fd == 1)
            frac *= 10;
    }
    if (*p != '\0')
        return BO_MONEY_MALFORMED;
    if (too_large || whole > max / 100 || whole * 100 + frac > max)
        return BO_MONEY_TOO_LARGE;
    *cents = whole * 100 + frac;
    return BO_MONEY_OK;
}

int bo_money_parse(const char *text, int64_t *cents)
{
    return bo_money_parse_upto(text, BO_PRICE_MAX_CENTS, cents) == BO_MONEY_OK ? 0 : -1;
}

int bo_money_from_double_upto(double value, int64_t max, int64_t *cents)
{
    if (!cents || !isfinite(value) || value < 0.0 || max < 0 || max > BO_AMOUNT_MAX_CENTS)
        return BO_MONEY_MALFORMED;
    if (value > (double)max / 100.0)
        return BO_MONEY_TOO_LARGE;
    /* value is the double nearest to some decimal with at most 2 decimals exactly when
     * c/100.0 (correctly rounded by IEEE division) gives value back, c = round(value*100);
     * exact for every c below 2^53, far above BO_AMOUNT_MAX_CENTS. */
    double scaled = nearbyint(value * 100.0);
    int64_t c = (int64_t)scaled;
    if ((double)c / 100.0 != value)
        return BO_MONEY_MALFORMED;
    if (c < 0)
        return BO_MONEY_MALFORMED;
    if (c > max)
        return BO_MONEY_TOO_LARGE;
    *cents = c; /* -0.0 lands here as 0 */
    return BO_MONEY_OK;
}

int bo_money_from_double(double value, int64_t *cents)
{
    return bo_money_from_double_upto(value, BO_PRICE_MAX_CENTS, cents) == BO_MONEY_OK ? 0 : -1;
}

/* Magnitude of cents as unsigned, without overflowing on INT64_MIN. */
static uint64_t money_abs(int64_t cents)
{
    return cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
}

void bo_money_format(int64_t cents, char out[BO_MONEY_BUF])
{
    uint64_t m = money_abs(cents);
    uint64_t whole = m / 100, frac = m % 100;
    const char *sign = cents < 0 ? "-" : "";
    if (frac == 0)
        snprintf(out, BO_MONEY_BUF, "%s%llu", sign, (unsigned long long)whole);
    else if (frac % 10 == 0)
        snprintf(out, BO_MONEY_BUF, "%s%llu.%llu", sign, (unsigned long long)whole,
                 (unsigned long long)(frac / 10));
    else
        snprintf(out, BO_MONEY_BUF, "%s%llu.%02llu", sign, (unsigned long long)whole,
                 (unsigned long long)frac);
}

void bo_money_display(int64_t cents, char out[BO_MONEY_BUF])
{
    uint64_t m = money_abs(cents);
    uint64_t whole = m / 100, frac = m % 100;
    char digits[24];
    int nd = snprintf(digits, sizeof digits, "%llu", (unsigned long long)whole);
    /* worst case (INT64_MIN): "-92,233,720,368,547,758.08" is 26 bytes + NUL < BO_MONEY_BUF */
    size_t w = 0;
    if (cents < 0)
        out[w++] = '-';
    for (int i = 0; i < nd; i++) {
        if (i > 0 && (nd - i) % 3 == 0)
            out[w++] = ',';
        out[w++] = digits[i];
    }
    out[w++] = '.';
    out[w++] = (char)('0' + frac / 10);
    out[w++] = (char)('0' + frac % 10);
    out[w] = '\0';
}
