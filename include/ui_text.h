#ifndef UI_TEXT_H
#define UI_TEXT_H
/* Pure text and layout helpers of the box office screens (no curses, no I/O): display-width aware
 * truncation and padding (CJK = 2 columns, combining marks = 0), column layout of the concert list,
 * age formatting, and the scroll arithmetic of a list window.
 * Width functions decode with common/bo_text (bo_utf8_step, bo_cp_width), whose widths need a UTF-8
 * LC_CTYPE (ui_run sets one). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UI_MIN_COLS 80
#define UI_MIN_ROWS 24
/* What a kiosk shows (list, detail, sell form, review, receipt with its QR code) works down to this. */
#define UI_SMALL_COLS 60
#define UI_SMALL_ROWS 20

/* Display width (terminal columns) of a string; undecodable bytes and non-printables count 1. */
int ui_text_width(const char *s);

/* Writes into out (capacity cap, always NUL-terminated) s fitted to exactly `width` columns:
 * cut on a character boundary with an ellipsis when it is wider, then padded with spaces
 * (text left-aligned, or right-aligned when right is true). A double-width character that would
 * straddle the edge is replaced by a space. Undecodable bytes become '?'.
 * Returns the number of bytes written. If cap is too small the result is cut short (still valid UTF-8). */
size_t ui_text_fit(char *out, size_t cap, const char *s, int width, bool right);

/* Like ui_text_fit but keeps the END of s (for a text field whose value is wider than the box);
 * no ellipsis, left-aligned, padded. */
size_t ui_text_fit_tail(char *out, size_t cap, const char *s, int width);

/* UTF-8 editing of a text buffer (capacity cap incl. NUL) for the forms.
 * append: adds code point wc when it is printable and fits; returns true when added.
 * erase_last: removes the last character; returns true when something was removed. */
bool ui_text_append(char *buf, size_t cap, uint32_t wc);
bool ui_text_erase_last(char *buf);

/* Age of data for the header: 0..59 -> "12s", < 1 h -> "3m 05s", < 1 day -> "2h 10m", else "3d 4h".
 * Negative ages count as 0. */
void ui_format_age(long seconds, char out[32]);

/* Column layout of the concert list for a terminal `cols` wide (>= UI_MIN_COLS):
 * fixed date, price and seats columns, name and venue share the rest (name gets 3/5).
 * x positions are absolute columns; columns are separated by one space. */
typedef struct ui_columns {
    int date_x, date_w;
    int name_x, name_w;
    int venue_x, venue_w;
    int price_x, price_w;
    int seats_x, seats_w;
} ui_columns;
void ui_columns_layout(int cols, ui_columns *out);

/* A window of `rows` rows over n items with a selection: keeps sel in [0, n) (0 when n == 0) and
 * top such that sel is visible and the window does not run past the end more than needed. */
void ui_scroll_fix(size_t n, size_t rows, size_t *sel, size_t *top);
/* Moves the selection by delta (clamped at both ends) and fixes the window. */
void ui_scroll_move(size_t n, size_t rows, size_t *sel, size_t *top, long delta);

#endif
