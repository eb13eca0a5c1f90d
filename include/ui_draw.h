#ifndef UI_DRAW_H
#define UI_DRAW_H
/* Drawing helpers shared by the screens (ui_draw.c): attributes with and without colours, text fitted
 * to a width and sanitised on the way to the terminal, boxes, label/value lines, forms, the spinner. */
#include <stdbool.h>

#include "ui_form.h"

struct ui_app;

typedef enum ui_attr_kind {
    UI_A_NORMAL = 0, UI_A_HEADER, UI_A_TITLE, UI_A_SELECTED, UI_A_SOLDOUT, UI_A_ERROR, UI_A_OK,
    UI_A_DIM, UI_A_KEY, UI_A_FIELD, UI_A_STALE,
    UI_A_QR,                       /* QR glyphs: dark on light (see ui_qr.h) */
    UI_A_ADMIT, UI_A_REFUSE, UI_A_WAIT /* the door's verdict bands: green, red, yellow backgrounds */
} ui_attr_kind;

void ui_colors_init(void);         /* once after start_color() (ui_term_start) */
const char *ui_spinner(double t);  /* the frame of the busy spinner at time t (seconds) */
int ui_attr(const struct ui_app *app, ui_attr_kind k);
void ui_draw_text(int y, int x, int width, const char *s, int attr, bool right); /* fitted with ui_text_fit */
void ui_draw_field_line(const struct ui_app *app, int y, int x, int w, const char *label, const char *value);
/* The same with the label lw columns wide (ui_draw_field_line: 14), for a narrow column. */
void ui_draw_field_line_w(const struct ui_app *app, int y, int x, int w, int lw, const char *label, const char *value);
void ui_form_draw(const struct ui_app *app, const ui_form *form, int y, int x, int w);
int ui_form_height(const ui_form *form);
/* ui_form_draw in at most rows rows: fields past them are left out, scrolled so the focused one shows. */
void ui_form_draw_rows(const struct ui_app *app, const ui_form *form, int y, int x, int w, int rows);
/* The first field ui_form_draw_rows shows in rows rows (field i is drawn at row (i - first) * 2 or 3). */
int ui_form_first_shown(const ui_form *form, int rows);
/* The rows to give ui_form_draw_rows out of `avail`: no more than the form needs, at least 2. */
int ui_form_rows_fit(const ui_form *form, int avail);
/* The row (from the form's top) where ui_form_draw_rows puts field i in rows rows; -1 when it is not shown. */
int ui_form_field_row(const ui_form *form, int rows, int i);
/* Draws an amount (digits, '.', ',') 5 rows tall in a block font from (y, x), at most max_w columns;
 * returns the columns used. Other characters are skipped (draw a currency beside it in plain text). */
int ui_draw_big(int y, int x, int max_w, const char *text, int attr);
/* A word (the letters of ADMIT, REFUSED, ERROR, READY and spaces) 5 rows tall in a block font: its width in
 * columns, or -1 when it has a letter the font lacks; drawn from (y, x) in attr (the blocks in its colour). */
int ui_big_word_width(const char *word);
void ui_draw_big_word(int y, int x, const char *word, int attr);
void ui_draw_box(const struct ui_app *app, int y, int x, int h, int w, const char *title);

#endif
