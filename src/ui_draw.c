/* Drawing helpers shared by the screens; see include/ui_draw.h. */
#include <string.h>

#include "bo_text.h"
#include "ui_app.h"
#include "ui_draw.h"
#include "ui_curses.h"
#include "ui_text.h"

enum { PAIR_HEADER = 1, PAIR_TITLE, PAIR_SELECTED, PAIR_SOLDOUT, PAIR_ERROR, PAIR_OK, PAIR_KEY, PAIR_STALE, PAIR_QR, PAIR_ADMIT, PAIR_REFUSE,
       PAIR_WAIT };

int ui_attr(const ui_app *app, ui_attr_kind k)
{
    if (app->color) {
        switch (k) {
        case UI_A_NORMAL: return A_NORMAL;
        case UI_A_HEADER: return (int)(COLOR_PAIR(PAIR_HEADER) | A_BOLD);
        case UI_A_TITLE: return (int)(COLOR_PAIR(PAIR_TITLE) | A_BOLD);
        case UI_A_SELECTED: return (int)(COLOR_PAIR(PAIR_SELECTED) | A_BOLD);
        case UI_A_SOLDOUT: return (int)(COLOR_PAIR(PAIR_SOLDOUT) | A_BOLD);
        case UI_A_ERROR: return (int)(COLOR_PAIR(PAIR_ERROR) | A_BOLD);
        case UI_A_OK: return (int)(COLOR_PAIR(PAIR_OK) | A_BOLD);
        case UI_A_DIM: return A_DIM;
        case UI_A_KEY: return (int)(COLOR_PAIR(PAIR_KEY) | A_BOLD);
        case UI_A_FIELD: return A_UNDERLINE;
        case UI_A_STALE: return (int)(COLOR_PAIR(PAIR_STALE) | A_BOLD);
        case UI_A_QR: return (int)COLOR_PAIR(PAIR_QR);
        case UI_A_ADMIT: return (int)(COLOR_PAIR(PAIR_ADMIT) | A_BOLD);
        case UI_A_REFUSE: return (int)(COLOR_PAIR(PAIR_REFUSE) | A_BOLD);
        case UI_A_WAIT: return (int)(COLOR_PAIR(PAIR_WAIT) | A_BOLD);
        }
        return A_NORMAL;
    }
    switch (k) {
    case UI_A_HEADER: case UI_A_SELECTED: return A_REVERSE;
    case UI_A_TITLE: case UI_A_SOLDOUT: case UI_A_ERROR: case UI_A_OK: case UI_A_KEY: case UI_A_STALE: return A_BOLD;
    case UI_A_DIM: return A_DIM;
    case UI_A_FIELD: return A_UNDERLINE;
    /* no colours: reverse video draws the glyphs in the background colour on the foreground colour, dark
     * on light on the usual light-on-dark terminal (a light-themed one shows the code inverted) */
    case UI_A_QR: return A_REVERSE;
    case UI_A_ADMIT: return A_BOLD;
    case UI_A_REFUSE: case UI_A_WAIT: return A_REVERSE | A_BOLD;
    case UI_A_NORMAL: break;
    }
    return A_NORMAL;
}

const char *ui_spinner(double t)
{
    static const char *const frames[] = { "|", "/", "-", "\\" };
    return frames[(long)(t * 10) % 4];
}

void ui_colors_init(void)
{
    use_default_colors();
    init_pair(PAIR_HEADER, COLOR_WHITE, COLOR_BLUE);
    init_pair(PAIR_TITLE, COLOR_CYAN, -1);
    init_pair(PAIR_SELECTED, COLOR_BLACK, COLOR_CYAN);
    init_pair(PAIR_SOLDOUT, COLOR_RED, -1);
    init_pair(PAIR_ERROR, COLOR_WHITE, COLOR_RED);
    init_pair(PAIR_OK, COLOR_GREEN, -1);
    init_pair(PAIR_KEY, COLOR_YELLOW, -1);
    init_pair(PAIR_STALE, COLOR_YELLOW, -1);
    init_pair(PAIR_QR, COLOR_BLACK, COLOR_WHITE); /* dark modules on light, whatever the terminal's theme */
    init_pair(PAIR_ADMIT, COLOR_BLACK, COLOR_GREEN);
    init_pair(PAIR_REFUSE, COLOR_WHITE, COLOR_RED);
    init_pair(PAIR_WAIT, COLOR_BLACK, COLOR_YELLOW);
}

/* A 3x5 block font for amounts (digits, '.', ','): five rows of three cells each. */
#define B "\xe2\x96\x88"        /* U+2588 full block */
#define T "\xe2\x96\x80"        /* U+2580 upper half block */
static const char *const big_glyphs[12][5] = {
    { B B B, B " " B, B " " B, B " " B, B B B },
    { " " B " ", B B " ", " " B " ", " " B " ", B B B },
    { B B B, "  " B, B B B, B "  ", B B B },
    { B B B, "  " B, B B B, "  " B, B B B },
    { B " " B, B " " B, B B B, "  " B, "  " B },
    { B B B, B "  ", B B B, "  " B, B B B },
    { B B B, B "  ", B B B, B " " B, B B B },
    { B B B, "  " B, "  " B, "  " B, "  " B },
    { B B B, B " " B, B B B, B " " B, B B B },
    { B B B, B " " B, B B B, "  " B, B B B },
    { " ", " ", " ", " ", B },   /* . */
    { " ", " ", " ", B, T },     /* , */
};
#undef B
#undef T

int ui_draw_big(int y, int x, int max_w, const char *text, int attr)
{
    int w = 0;
    for (const char *p = text; *p != '\0'; p++) {
        int g = *p >= '0' && *p <= '9' ? *p - '0' : *p == '.' ? 10 : *p == ',' ? 11 : -1;
        if (g < 0)
            continue;
        int gw = g >= 10 ? 1 : 3;
        if (w + gw > max_w)
            break;
        attron(attr);
        for (int r = 0; r < 5; r++)
            mvaddstr(y + r, x + w, big_glyphs[g][r]);
        attroff(attr);
        w += gw + 1;
    }
    return w > 0 ? w - 1 : 0;
}

/* A 5x5 block font for the door's verdicts: the letters of ADMIT, REFUSED, ERROR, READY ('#' = a block). */
static const struct { char c; const char *rows[5]; } word_glyphs[] = {
    { 'A', { " ### ", "#   #", "#####", "#   #", "#   #" } }, { 'C', { " ####", "#    ", "#    ", "#    ", " ####" } },
    { 'D', { "#### ", "#   #", "#   #", "#   #", "#### " } }, { 'E', { "#####", "#    ", "#### ", "#    ", "#####" } },
    { 'F', { "#####", "#    ", "#### ", "#    ", "#    " } }, { 'I', { "#####", "  #  ", "  #  ", "  #  ", "#####" } },
    { 'M', { "#   #", "## ##", "# # #", "#   #", "#   #" } }, { 'N', { "#   #", "##  #", "# # #", "#  ##", "#   #" } },
    { 'O', { " ### ", "#   #", "#   #", "#   #", " ### " } }, { 'R', { "#### ", "#   #", "#### ", "#  # ", "#   #" } },
    { 'S', { " ####", "#    ", " ### ", "    #", "#### " } }, { 'T', { "#####", "  #  ", "  #  ", "  #  ", "  #  " } },
    { 'U', { "#   #", "#   #", "#   #", "#   #", " ### " } }, { 'V', { "#   #", "#   #", "#   #", " # # ", "  #  " } },
    { 'Y', { "#   #", " # # ", "  #  ", "  #  ", "  #  " } },
};

static int word_glyph(char c)
{
    for (size_t i = 0; i < sizeof word_glyphs / sizeof word_glyphs[0]; i++)
        if (word_glyphs[i].c == c)
            return (int)i;
    return -1;
}

int ui_big_word_width(const char *word)
{
    int w = 0;
    for (const char *p = word; *p != '\0'; p++) {
        if (*p != ' ' && word_glyph(*p) < 0)
            return -1;
        w += (*p == ' ' ? 3 : 5) + (p[1] != '\0' ? 1 : 0);
    }
    return w;
}

void ui_draw_big_word(int y, int x, const char *word, int attr)
{
    attron(attr);
    for (int r = 0; r < 5; r++) {
        int cx = x;
        for (const char *p = word; *p != '\0'; p++) {
            int g = word_glyph(*p);
            for (int k = 0; k < (g < 0 ? 3 : 5); k++)
                mvaddstr(y + r, cx + k, g >= 0 && word_glyphs[g].rows[r][k] == '#' ? "\xe2\x96\x88" : " ");
            cx += (g < 0 ? 3 : 5) + 1;
        }
    }
    attroff(attr);
}

void ui_draw_text(int y, int x, int width, const char *s, int attr, bool right)
{
    char clean[4096], buf[4096];
    if (width <= 0)
        return;
    if (width > 1000)
        width = 1000;
    /* the model keeps server text clean already; this is the last gate before the terminal, for
     * whatever else reaches a screen (ids, messages): no control, escape or bidi character passes */
    bo_text_sanitize(clean, sizeof clean, s != NULL ? s : "");
    ui_text_fit(buf, sizeof buf, clean, width, right);
    attron(attr);
    mvaddstr(y, x, buf);
    attroff(attr);
}

void ui_draw_field_line_w(const ui_app *app, int y, int x, int w, int lw, const char *label, const char *value)
{
    ui_draw_text(y, x, lw, label, ui_attr(app, UI_A_DIM), false);
    ui_draw_text(y, x + lw, w - lw, value ? value : "", A_NORMAL, false);
}

void ui_draw_field_line(const ui_app *app, int y, int x, int w, const char *label, const char *value)
{
    ui_draw_field_line_w(app, y, x, w, 14, label, value);
}

void ui_draw_box(const ui_app *app, int y, int x, int h, int w, const char *title)
{
    if (h < 2 || w < 2)
        return;
    for (int r = y; r < y + h; r++)
        mvhline(r, x, ' ', w);
    mvaddch(y, x, ACS_ULCORNER);
    mvhline(y, x + 1, ACS_HLINE, w - 2);
    mvaddch(y, x + w - 1, ACS_URCORNER);
    mvvline(y + 1, x, ACS_VLINE, h - 2);
    mvvline(y + 1, x + w - 1, ACS_VLINE, h - 2);
    mvaddch(y + h - 1, x, ACS_LLCORNER);
    mvhline(y + h - 1, x + 1, ACS_HLINE, w - 2);
    mvaddch(y + h - 1, x + w - 1, ACS_LRCORNER);
    if (title != NULL && title[0] != '\0') {
        char t[256];
        snprintf(t, sizeof t, " %s ", title);
        int tw = ui_text_width(t);
        if (tw > w - 4)
            tw = w - 4;
        ui_draw_text(y, x + 2, tw, t, ui_attr(app, UI_A_TITLE), false);
    }
}

int ui_form_height(const ui_form *form)
{
    return form->n * (form->compact ? 2 : 3);
}

int ui_form_first_shown(const ui_form *form, int rows)
{
    int per = form->compact ? 2 : 3;
    int fit = rows / per;
    if (fit < 1)
        fit = 1;
    return form->focus >= fit ? form->focus - fit + 1 : 0;
}

int ui_form_rows_fit(const ui_form *form, int avail)
{
    int need = ui_form_height(form);
    if (avail > need)
        avail = need;
    return avail < 2 ? 2 : avail;
}

int ui_form_field_row(const ui_form *form, int rows, int i)
{
    int first = ui_form_first_shown(form, rows);
    int row = (i - first) * (form->compact ? 2 : 3);
    if (i < first || i >= form->n || (i > first && row + 1 >= rows))
        return -1;
    return row;
}

void ui_form_draw(const ui_app *app, const ui_form *form, int y, int x, int w)
{
    ui_form_draw_rows(app, form, y, x, w, ui_form_height(form));
}

void ui_form_draw_rows(const ui_app *app, const ui_form *form, int y, int x, int w, int rows)
{
    int first = ui_form_first_shown(form, rows);
    int lw = 16;
    int fw = w - lw - 1;
    if (fw > 60)
        fw = 60;
    for (int i = first; i < form->n; i++) {
        const ui_field *f = &form->f[i];
        bool focus = i == form->focus;
        int row = y + (i - first) * (form->compact ? 2 : 3);
        if (i > first && row + 1 >= y + rows)
            break; /* the rest does not fit: shown when the focus gets there */
        ui_draw_text(row, x, lw, f->label, focus ? ui_attr(app, UI_A_TITLE) : 0, false);
        char shown[UI_FIELD_MAX * 2];
        if (f->secret) {
            size_t n = bo_utf8_chars(f->value); /* one star a character */
            if (n > sizeof shown - 1)
                n = sizeof shown - 1;
            memset(shown, '*', n);
            shown[n] = '\0';
        } else { /* what is typed may be a bidi override or the like: the same gate as ui_draw_text */
            bo_text_sanitize(shown, sizeof shown, f->value);
        }
        char fitted[4096];
        ui_text_fit_tail(fitted, sizeof fitted, shown, fw - 1);
        int fattr = ui_attr(app, UI_A_FIELD) | (focus ? A_BOLD : 0);
        attron(fattr);
        mvaddstr(row, x + lw, fitted);
        attroff(fattr);
        if (f->value[0] == '\0' && f->hint != NULL)
            ui_draw_text(row, x + lw + (focus ? 1 : 0), fw - 2, f->hint, ui_attr(app, UI_A_DIM) | ui_attr(app, UI_A_FIELD),
                         false);
        if (focus) {
            int cx = x + lw + ui_text_width(shown);
            if (cx > x + lw + fw - 1)
                cx = x + lw + fw - 1;
            mvaddch(row, cx, ' ' | A_REVERSE);
        }
        const char *err = ui_form_error(form, i);
        if (err != NULL)
            ui_draw_text(row + 1, x + lw, w - lw, err, ui_attr(app, UI_A_SOLDOUT), false);
        else if (f->value[0] != '\0' && ui_field_has_rule(f))
            ui_draw_text(row + 1, x + lw, w - lw, "ok", ui_attr(app, UI_A_OK), false);
    }
}
