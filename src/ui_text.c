/* Pure text and layout helpers of the box office screens; see include/ui_text.h. */
#include "ui_text.h"

#include "bo_buf.h"
#include "bo_text.h"
#include "client_time.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

/* One character at s (len bytes left): sets *bytes (>= 1) and *cols (display width, >= 0); returns false
 * when the bytes do not decode or the character does not print (then *cols = 1 and the caller prints '?'). */
static bool next_char(const char *s, size_t len, size_t *bytes, int *cols)
{
    uint32_t cp;
    *bytes = bo_utf8_step(s, len, &cp);
    *cols = bo_cp_width(cp);
    return !bo_utf8_bad(cp, *bytes) && iswprint((wint_t)cp);
}

int ui_text_width(const char *s)
{
    return (int)bo_text_width(s);
}

/* Output goes through a fixed bo_buf over the caller's array: never overruns, and once a piece does not
 * fit nothing more is added, so the text is cut on a character boundary. */
static void sb_spaces(bo_buf *b, int n)
{
    for (int i = 0; i < n; i++)
        bo_buf_addn(b, " ", 1);
}

static const char *ellipsis(int *w)
{
    *w = 1;
    return MB_CUR_MAX > 1 ? "\xe2\x80\xa6" : "~";
}

size_t ui_text_fit(char *out, size_t cap, const char *s, int width, bool right)
{
    bo_buf b;
    if (cap == 0)
        return 0;
    bo_buf_init_fixed(&b, out, cap);
    if (width <= 0)
        return 0;
    if (s == NULL)
        s = "";
    int total = ui_text_width(s);
    size_t len = strlen(s);
    if (total <= width) {
        if (right)
            sb_spaces(&b, width - total);
        size_t i = 0;
        while (i < len) {
            size_t n;
            int w;
            if (next_char(s + i, len - i, &n, &w))
                bo_buf_addn(&b, s + i, n);
            else
                bo_buf_addn(&b, "?", 1);
            i += n;
        }
        if (!right)
            sb_spaces(&b, width - total);
        return bo_buf_len(&b);
    }
    int ew;
    const char *ell = ellipsis(&ew);
    int room = width - ew, used = 0;
    size_t i = 0;
    while (i < len) {
        size_t n;
        int w;
        bool ok = next_char(s + i, len - i, &n, &w);
        if (used + w > room)
            break;
        if (ok)
            bo_buf_addn(&b, s + i, n);
        else
            bo_buf_addn(&b, "?", 1);
        used += w;
        i += n;
    }
    /* keep zero-width combining marks that belong to the last character kept */
    while (i < len) {
        size_t n;
        int w;
        if (!next_char(s + i, len - i, &n, &w) || w != 0)
            break;
        bo_buf_addn(&b, s + i, n);
        i += n;
    }
    sb_spaces(&b, room - used);
    bo_buf_addn(&b, ell, strlen(ell));
    return bo_buf_len(&b);
}

size_t ui_text_fit_tail(char *out, size_t cap, const char *s, int width)
{
    if (s == NULL)
        s = "";
    size_t len = strlen(s), start = 0;
    int total = ui_text_width(s);
    while (total > width && start < len) {
        size_t n;
        int w;
        (void)next_char(s + start, len - start, &n, &w);
        start += n;
        total -= w;
    }
    return ui_text_fit(out, cap, s + start, width, false);
}

bool ui_text_append(char *buf, size_t cap, uint32_t wc)
{
    if (wc < 0x20 || (wc >= 0x7f && wc < 0xa0) || wc > 0x10ffff || (wc >= 0xd800 && wc <= 0xdfff))
        return false;
    if (!iswprint((wint_t)wc) && wc >= 0x80)
        return false;
    char enc[4];
    size_t n;
    if (wc < 0x80) {
        enc[0] = (char)wc;
        n = 1;
    } else if (wc < 0x800) {
        enc[0] = (char)(0xc0 | (wc >> 6));
        enc[1] = (char)(0x80 | (wc & 0x3f));
        n = 2;
    } else if (wc < 0x10000) {
        enc[0] = (char)(0xe0 | (wc >> 12));
        enc[1] = (char)(0x80 | ((wc >> 6) & 0x3f));
        enc[2] = (char)(0x80 | (wc & 0x3f));
        n = 3;
    } else {
        enc[0] = (char)(0xf0 | (wc >> 18));
        enc[1] = (char)(0x80 | ((wc >> 12) & 0x3f));
        enc[2] = (char)(0x80 | ((wc >> 6) & 0x3f));
        enc[3] = (char)(0x80 | (wc & 0x3f));
        n = 4;
    }
    size_t len = strlen(buf);
    if (len + n + 1 > cap)
        return false;
    memcpy(buf + len, enc, n);
    buf[len + n] = '\0';
    return true;
}

bool ui_text_erase_last(char *buf)
{
    size_t len = strlen(buf);
    if (len == 0)
        return false;
    buf[bo_utf8_cut(buf, len - 1)] = '\0';
    return true;
}

void ui_format_age(long seconds, char out[32])
{
    if (seconds < 0)
        seconds = 0;
    if (seconds < 60)
        snprintf(out, 32, "%lds", seconds);
    else if (seconds < 3600)
        snprintf(out, 32, "%ldm %02lds", seconds / 60, seconds % 60);
    else if (seconds < 86400)
        snprintf(out, 32, "%ldh %02ldm", seconds / 3600, (seconds % 3600) / 60);
    else
        snprintf(out, 32, "%ldd %ldh", seconds / 86400, (seconds % 86400) / 3600);
}

void ui_columns_layout(int cols, ui_columns *c)
{
    if (cols < UI_SMALL_COLS)
        cols = UI_SMALL_COLS;
    bool narrow = cols < UI_MIN_COLS; /* a small kiosk screen: the venue is on the detail only */
    c->date_w = CLIENT_TIME_SHORT_W; /* Sat 12 Dec 20:00 CET, in the venue's zone */
    c->price_w = narrow ? 9 : 12; /* 1,000,000.00; narrow: 99,999.99 */
    c->seats_w = 10; /* "Seats left", SOLD OUT, 1000000 */
    int fixed = 1 + c->date_w + 1 + 1 + 1 + c->price_w + 1 + c->seats_w + 1;
    int rest = cols - fixed;
    c->name_w = narrow ? rest : rest * 3 / 5;
    c->venue_w = rest - c->name_w;
    c->date_x = 1;
    c->name_x = c->date_x + c->date_w + 1;
    c->venue_x = c->name_x + c->name_w + 1;
    c->price_x = c->venue_x + c->venue_w + 1;
    c->seats_x = c->price_x + c->price_w + 1;
}

void ui_scroll_fix(size_t n, size_t rows, size_t *sel, size_t *top)
{
    if (n == 0) {
        *sel = 0;
        *top = 0;
        return;
    }
    if (rows == 0)
        rows = 1;
    if (*sel >= n)
        *sel = n - 1;
    if (*sel < *top)
        *top = *sel;
    if (*sel >= *top + rows)
        *top = *sel - rows + 1;
    size_t max_top = n > rows ? n - rows : 0;
    if (*top > max_top)
        *top = max_top;
}

void ui_scroll_move(size_t n, size_t rows, size_t *sel, size_t *top, long delta)
{
    if (n == 0) {
        *sel = *top = 0;
        return;
    }
    if (delta < 0) {
        size_t d = (size_t)(-delta);
        *sel = d > *sel ? 0 : *sel - d;
    } else {
        size_t d = (size_t)delta;
        *sel = d >= n - 1 - (*sel < n ? *sel : n - 1) ? n - 1 : *sel + d;
    }
    ui_scroll_fix(n, rows, sel, top);
}
