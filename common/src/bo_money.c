/* Exact money in integer cents: parsing, conversion from JSON doubles, formatting. */
#include "bo_money.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

int bo_money_parse(const char *text, int64_t *cents)
{
    if (!text || !cents)
        return -1;
    const char *p = text;
    int64_t whole = 0;
    int digits = 0;
    while (*p >= '0' && *p <= '9') {
        if (whole > BO_PRICE_MAX_CENTS / 100) /* keeps the arithmetic far from overflow */
            return -1;
        whole = whole * 10 + (*p - '0');
        digits++;
        p++;
    }
    if (digits == 0)
        return -1;
    int64_t frac = 0;
    if (*p == '.') {
        p++;
        int fd = 0;
        while (*p >= '0' && *p <= '9') {
            if (fd == 2)
                return -1; /* more than 2 decimals */
            frac = frac * 10 + (*p - '0');
            fd++;
            p++;
        }
        if (fd == 0)
            return -1; /* "5." */
        if (fd == 1)
            frac *= 10;
    }
    if (*p != '\0')
        return -1;
    if (whole > BO_PRICE_MAX_CENTS / 100)
        return -1;
    int64_t total = whole * 100 + frac;
    if (total > BO_PRICE_MAX_CENTS)
        return -1;
    *cents = total;
    return 0;
}

int bo_money_from_double(double value, int64_t *cents)
{
    if (!cents || !isfinite(value) || value < 0.0)
        return -1;
    if (value > (double)BO_PRICE_MAX_CENTS / 100.0)
        return -1;
    /* value is the double nearest to some decimal with at most 2 decimals exactly when
     * c/100.0 (correctly rounded by IEEE division) gives value back, c = round(value*100). */
    double scaled = nearbyint(value * 100.0);
    int64_t c = (int64_t)scaled;
    if ((double)c / 100.0 != value)
        return -1;
    if (c < 0 || c > BO_PRICE_MAX_CENTS)
        return -1;
    *cents = c; /* -0.0 lands here as 0 */
    return 0;
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
