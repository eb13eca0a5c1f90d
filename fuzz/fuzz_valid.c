/* libFuzzer target: the shared validation rules and the text/money helpers they stand on
 * (common/include/bo_valid.h, bo_text.h, bo_money.h). Every input goes through every rule; the
 * properties the rest of the code relies on are checked, and a violation aborts (= a finding):
 *   - bo_text_sanitize always yields valid UTF-8 without control characters, within its capacity;
 *   - a price or ticket count a rule accepts is in range, and money text round-trips exactly;
 *   - a valid name stays valid after trimming (it is trimmed by the backend before storing). */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bo_money.h"
#include "bo_text.h"
#include "bo_valid.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                        \
    do {                                                                                                   \
        if (!(cond)) {                                                                                     \
            fprintf(stderr, "fuzz_valid: property failed: %s (line %d)\n", #cond, __LINE__);              \
            abort();                                                                                       \
        }                                                                                                  \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 300000)
        return 0;
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0'; /* text up to the first NUL, as C callers see it */
    size_t len = strlen(s);

    bool utf8 = bo_utf8_valid(s, len);
    if (utf8)
        CHECK(bo_utf8_chars(s) <= len);
    (void)bo_text_has_control(s);

    char *t = bo_text_trim_dup(s);
    if (t) {
        CHECK(strlen(t) <= len);
        free(t);
    }

    static const size_t caps[] = {1, 2, 3, 4, 7, 16, 64, 257, 4096};
    for (size_t i = 0; i < sizeof caps / sizeof caps[0]; i++) {
        char out[4096];
        size_t n = bo_text_sanitize(out, caps[i], s);
        CHECK(n < caps[i]);
        CHECK(strlen(out) == n);
        CHECK(bo_utf8_valid(out, n));
        CHECK(!bo_text_has_control(out));
        CHECK(!bo_text_has_bidi_control(out));
    }

    const char *m;
    if (bo_valid_text("name", s) == NULL) {
        CHECK(utf8);
        CHECK(bo_text_has_visible(s) && !bo_text_has_bidi_control(s));
        CHECK(bo_valid_text_fault(s) == BO_TEXT_OK);
        char *tt = bo_text_trim_dup(s);
        if (tt) {
            CHECK(bo_valid_text("name", tt) == NULL);
            free(tt);
        }
    }
    (void)bo_valid_date(s);
    if (bo_valid_email(s) == NULL)
        CHECK(len <= BO_EMAIL_MAX && strchr(s, '@') != NULL);

    int64_t v = -1;
    if ((m = bo_valid_tickets_text(s, &v)) == NULL)
        CHECK(v >= 0 && v <= BO_TICKETS_MAX);
    v = -1;
    if ((m = bo_valid_price_text(s, &v)) == NULL)
        CHECK(v >= 0 && v <= BO_PRICE_MAX_CENTS);
    int64_t cents = -1;
    if (bo_money_parse(s, &cents) == 0) {
        CHECK(cents >= 0 && cents <= BO_PRICE_MAX_CENTS);
        char buf[BO_MONEY_BUF], disp[BO_MONEY_BUF];
        bo_money_format(cents, buf);
        int64_t back = -1;
        CHECK(bo_money_parse(buf, &back) == 0 && back == cents);
        bo_money_display(cents, disp);
        CHECK(strlen(disp) < BO_MONEY_BUF);
    }

    /* The JSON-number forms: the first 8 bytes as a double (NaN, inf, -0, subnormals all reachable). */
    if (size >= 8) {
        double d;
        memcpy(&d, data, sizeof d);
        v = -1;
        if (bo_valid_tickets_double(d, &v) == NULL)
            CHECK(isfinite(d) && v >= 0 && v <= BO_TICKETS_MAX && (double)v == d);
        v = -1;
        if (bo_valid_price_double(d, &v) == NULL)
            CHECK(isfinite(d) && v >= 0 && v <= BO_PRICE_MAX_CENTS);
        cents = -1;
        if (bo_money_from_double(d, &cents) == 0) {
            CHECK(cents >= 0 && cents <= BO_PRICE_MAX_CENTS);
            CHECK(fabs((double)cents / 100.0 - d) < 0.005);
        }
    }
    free(s);
    return 0;
}
