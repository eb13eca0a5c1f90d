/* Help: generated from the action table, so it always lists the keys that really work. */
#include <stdio.h>

#include "ui_app.h"
#include "ui_screens.h"
#include "ui_curses.h"
#include "ui_text.h"

static const ui_action bar[] = { UI_ACT_DOWN, UI_ACT_PGDN, UI_ACT_BACK, UI_ACT_QUIT, UI_ACT_NONE };

/* The help's own state: how far it is scrolled. */
typedef struct help_state {
    int top;
} help_state;

static help_state *st(const ui_app *app)
{
    return ui_screen_state(app, &ui_screen_help);
}

static void enter(ui_app *app)
{
    st(app)->top = 0;
}

static int lines_total(const ui_app *app)
{
    size_t n;
    ui_actions(&n);
    return (int)n + (app->opts->kiosk ? 3 : 2);
}

static void draw(ui_app *app, const ui_rect *a)
{
    help_state *hs = st(app);
    ui_draw_box(app, a->y, 0, a->h, a->w, "Help \xe2\x80\x94 keys");
    size_t n;
    const ui_action_def *acts = ui_actions(&n);
    int rows = a->h - 2, y = a->y + 1, line = 0;
    int kw = 12, ww = a->w >= 110 ? 22 : 0; /* "where" column only when there is room */
    int hw = a->w - 4 - kw - 1 - (ww > 0 ? ww + 1 : 0);
    char text[300];
    for (int i = 0; i < lines_total(app) && y < a->y + 1 + rows; i++, line++) {
        if (line < hs->top)
            continue;
        if (i < (int)n) {
            const ui_action_def *d = &acts[i];
            ui_draw_text(y, 2, kw, d->keys_label, ui_attr(app, UI_A_KEY), false);
            snprintf(text, sizeof text, "%s: %s", d->name, d->help);
            ui_draw_text(y, 2 + kw + 1, hw, text, A_NORMAL, false);
            if (ww > 0)
                ui_draw_text(y, 2 + kw + 1 + hw + 1, ww, d->where, ui_attr(app, UI_A_DIM), false);
        } else if (i == (int)n) {
            ui_draw_text(y, 2, a->w - 4, "Typing in a form or the filter enters text; letters are not commands there.",
                         ui_attr(app, UI_A_DIM), false);
        } else if (i == (int)n + 1) {
            ui_draw_text(y, 2, a->w - 4, "Sold-out concerts are marked SOLD OUT and cannot be bought.",
                         ui_attr(app, UI_A_DIM), false);
        } else {
            ui_draw_text(y, 2, a->w - 4, "Kiosk mode: no concert creation; q asks for the exit PIN.",
                         ui_attr(app, UI_A_DIM), false);
        }
        y++;
    }
}

static int key(ui_app *app, ui_action act, int k)
{
    help_state *hs = st(app);
    (void)k;
    int max_top = lines_total(app) - 1;
    switch (act) {
    case UI_ACT_DOWN: if (hs->top < max_top) hs->top++; break;
    case UI_ACT_UP: if (hs->top > 0) hs->top--; break;
    case UI_ACT_PGDN: hs->top = hs->top + 10 > max_top ? max_top : hs->top + 10; break;
    case UI_ACT_PGUP: hs->top = hs->top > 10 ? hs->top - 10 : 0; break;
    case UI_ACT_BACK:
    case UI_ACT_OPEN:
    case UI_ACT_HELP:
        ui_pop(app);
        break;
    default:
        return UI_UNHANDLED;
    }
    return UI_HANDLED | UI_REDRAW;
}

const ui_screen_ops ui_screen_help = {
    .title = "Help",
    .bar = bar,
    .private_size = sizeof(help_state),
    .enter = enter,
    .draw = draw,
    .key = key,
    .min_cols = UI_SMALL_COLS,
    .min_rows = UI_SMALL_ROWS,
};
