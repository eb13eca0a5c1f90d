/* Modal questions drawn over the current screen: quit while a form has input, discard a form,
 * leave a sale unconfirmed, and the kiosk exit PIN. */
#include <stdio.h>
#include <string.h>

#include "ui_app.h"
#include "ui_curses.h"
#include "ui_text.h"

static const ui_action bar[] = { UI_ACT_OPEN, UI_ACT_BACK, UI_ACT_NONE };

static void enter(ui_app *app)
{
    ui_form_clear(&app->pin);
}

static void leave(ui_app *app)
{
    ui_form_clear(&app->pin);
}

static bool typing(const ui_app *app)
{
    return app->prompt == UI_PROMPT_PIN;
}

static void draw(ui_app *app, const ui_rect *a)
{
    int w = a->w - 8 > 70 ? 70 : a->w - 8;
    int h = app->prompt == UI_PROMPT_PIN ? 8 : 6;
    int y = a->y + (a->h - h) / 2, x = (a->w - w) / 2;
    if (y < a->y)
        y = a->y;
    switch (app->prompt) {
    case UI_PROMPT_QUIT:
        ui_draw_box(app, y, x, h, w, "Quit?");
        if (app->sale.unconfirmed) {
            ui_draw_text(y + 1, x + 2, w - 4, "Quit? A sale is NOT confirmed: it may have been sold.", A_BOLD, false);
            ui_draw_text(y + 2, x + 2, w - 4, "The command that checks it is printed on exit.", A_NORMAL, false);
        } else {
            ui_draw_text(y + 2, x + 2, w - 4, "Quit the box office? What you typed will be lost.", A_BOLD, false);
        }
        ui_draw_text(y + 3, x + 2, w - 4, "y or Enter = quit \xc2\xb7 n or Esc = stay", ui_attr(app, UI_A_KEY), false);
        break;
    case UI_PROMPT_DISCARD:
        ui_draw_box(app, y, x, h, w, "Discard?");
        ui_draw_text(y + 2, x + 2, w - 4, "Discard what you typed in this form?", A_BOLD, false);
        ui_draw_text(y + 3, x + 2, w - 4, "y or Enter = discard \xc2\xb7 n or Esc = keep editing", ui_attr(app, UI_A_KEY),
                     false);
        break;
    case UI_PROMPT_UNCONFIRMED:
        ui_draw_box(app, y, x, h, w, "Sale not confirmed");
        ui_draw_text(y + 1, x + 2, w - 4, "Leave without checking? The ticket may have been sold.", A_BOLD, false);
        ui_draw_text(y + 2, x + 2, w - 4, "To check it later: b on this concert.", A_NORMAL, false);
        ui_draw_text(y + 3, x + 2, w - 4, "y = leave \xc2\xb7 n, Esc or Enter = stay", ui_attr(app, UI_A_KEY), false);
        break;
    case UI_PROMPT_PIN:
        ui_draw_box(app, y, x, h, w, "Exit kiosk");
        ui_form_draw(app, &app->pin, y + 2, x + 2, w - 4);
        ui_draw_text(y + 5, x + 2, w - 4, "Enter = exit \xc2\xb7 Esc = cancel", ui_attr(app, UI_A_KEY), false);
        break;
    }
}

/* Compares without stopping at the first difference. */
static bool same_secret(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    unsigned diff = (unsigned)(la ^ lb);
    for (size_t i = 0; i < la; i++)
        diff |= (unsigned)(unsigned char)a[i] ^ (unsigned)(unsigned char)b[i % (lb ? lb : 1)];
    return diff == 0 && lb > 0;
}

static int key(ui_app *app, ui_action act, int k)
{
    switch (app->prompt) {
    case UI_PROMPT_QUIT:
        if (act == UI_ACT_YES || act == UI_ACT_OPEN || act == UI_ACT_QUIT)
            return UI_HANDLED | UI_QUIT;
        if (act == UI_ACT_BACK || act == UI_ACT_NEW)
            ui_pop(app);
        return UI_HANDLED | UI_REDRAW;
    case UI_PROMPT_DISCARD:
        if (act == UI_ACT_YES || act == UI_ACT_OPEN) {
            ui_pop(app); /* the prompt */
            ui_pop(app); /* the form: leave() wipes it */
        } else if (act == UI_ACT_BACK || act == UI_ACT_NEW) {
            ui_pop(app);
        }
        return UI_HANDLED | UI_REDRAW;
    case UI_PROMPT_UNCONFIRMED:
        if (act == UI_ACT_YES) {
            ui_pop(app); /* the prompt */
            ui_pop(app); /* the form: the unconfirmed sale is kept for a later check */
            ui_message(app, true, "Sale to %s not confirmed \xe2\x80\x94 b on %s checks it", app->sale.name,
                       app->sale.concert_name);
        } else if (act == UI_ACT_BACK || act == UI_ACT_NEW || act == UI_ACT_OPEN) {
            ui_pop(app);
        }
        return UI_HANDLED | UI_REDRAW;
    case UI_PROMPT_PIN:
        if (act == UI_ACT_OPEN) {
            const char *pin = app->opts->kiosk_pin ? app->opts->kiosk_pin : "";
            char why[160];
            ui_pin_refusal(&app->pin_guard, app->now, why, sizeof why);
            if (why[0] != '\0') { /* still waiting: the PIN is not even compared */
                ui_form_clear(&app->pin);
                ui_message(app, true, "%s", why);
                ui_pop(app);
                return UI_HANDLED | UI_REDRAW;
            }
            if (same_secret(app->pin.f[0].value, pin)) {
                ui_pin_right(&app->pin_guard);
                return UI_HANDLED | UI_QUIT;
            }
            ui_form_clear(&app->pin);
            ui_pin_wrong(&app->pin_guard, app->now);
            ui_pin_refusal(&app->pin_guard, app->now, why, sizeof why);
            if (why[0] != '\0')
                ui_message(app, true, "Wrong PIN \xc2\xb7 %s", why);
            else
                ui_message(app, true, "Wrong PIN");
            ui_pop(app);
        } else if (act == UI_ACT_BACK) {
            ui_pop(app);
        } else {
            ui_form_key(&app->pin, act, k);
        }
        return UI_HANDLED | UI_REDRAW;
    }
    return UI_HANDLED;
}

const ui_screen_ops ui_screen_prompt = {
    .title = "Question",
    .bar = bar,
    .enter = enter,
    .draw = draw,
    .key = key,
    .leave = leave,
    .typing = typing,
    .overlay = true,
};
