/* Modal questions drawn over the current screen: quit while a form has input, discard a form,
 * leave a sale unconfirmed, sell for a past concert, and the kiosk exit PIN. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "client_config.h"
#include "client_time.h"
#include "ui_app.h"
#include "ui_pin.h"
#include "ui_screens.h"
#include "ui_curses.h"
#include "ui_text.h"

static const ui_action bar[] = { UI_ACT_OPEN, UI_ACT_BACK, UI_ACT_NONE };

/* The question's own state: which question, the exit PIN typed (a secret: wiped whenever the question
 * closes) and the guard against guessing it, which lasts as long as the program. */
typedef struct prompt_state {
    ui_prompt_kind kind;
    ui_form pin;
    ui_pin_guard guard;                /* wrong exit PINs: wait and lockout (kiosk) */
} prompt_state;

static prompt_state *st(const ui_app *app)
{
    return ui_screen_state(app, &ui_screen_prompt);
}

static int init(ui_app *app, void *state)
{
    (void)app;
    prompt_state *ps = state;
    ui_form_add(&ps->pin, "Exit PIN", NULL, NULL, true);
    return 0;
}

static bool wipe(ui_app *app, void *state)
{
    (void)app;
    prompt_state *ps = state;
    ui_form_clear(&ps->pin);
    return false;
}

void ui_prompt_open(ui_app *app, ui_prompt_kind kind)
{
    const prompt_state *seen = st(app); /* NULL until the first question: no wrong PIN yet */
    if (kind == UI_PROMPT_PIN && seen != NULL && ui_pin_wait(&seen->guard, app->now) > 0) {
        char why[160]; /* refused, never slept on: the loop goes on */
        ui_pin_refusal(&seen->guard, app->now, why, sizeof why);
        ui_message(app, true, "%s", why);
        return;
    }
    if (ui_push(app, &ui_screen_prompt))
        st(app)->kind = kind;
    if (kind == UI_PROMPT_KEY)
        ui_message(app, true, "Not allowed: sign in as an operator");
}

void ui_sell_open(ui_app *app)
{
    bool recheck = ui_sale_unconfirmed_here(app);
    if (!recheck && client_time_past(app->current.date, time(NULL)) == 1) {
        if (app->opts->kiosk)
            ui_message(app, true, "Not for sale: this concert has already taken place");
        else
            ui_prompt_open(app, UI_PROMPT_PAST);
        return;
    }
    ui_push(app, &ui_screen_buy);
}

static void enter(ui_app *app)
{
    prompt_state *ps = st(app);
    ui_form_clear(&ps->pin);
}

static void leave(ui_app *app)
{
    prompt_state *ps = st(app);
    ui_form_clear(&ps->pin);
}

static bool typing(const ui_app *app)
{
    const prompt_state *ps = st(app);
    return ps->kind == UI_PROMPT_PIN;
}

static void draw(ui_app *app, const ui_rect *a)
{
    prompt_state *ps = st(app);
    int w = a->w - 8 > 70 ? 70 : a->w - 8;
    int h = ps->kind == UI_PROMPT_PIN ? 8 : ps->kind == UI_PROMPT_KEY ? 9 : 6;
    int y = a->y + (a->h - h) / 2, x = (a->w - w) / 2;
    if (y < a->y)
        y = a->y;
    switch (ps->kind) {
    case UI_PROMPT_QUIT:
        ui_draw_box(app, y, x, h, w, "Quit?");
        if (ui_sale_unconfirmed(app) != NULL) {
            ui_draw_text(y + 1, x + 2, w - 4, "Quit? A sale is NOT confirmed: it may have been sold.", A_BOLD, false);
            ui_draw_text(y + 2, x + 2, w - 4, "The command that checks it is printed on exit.", A_NORMAL, false);
        } else if (ui_door_waiting(app) > 0) {
            ui_draw_text(y + 1, x + 2, w - 4, "Quit? Door scans have no verdict: admit no one.", A_BOLD, false);
            ui_draw_text(y + 2, x + 2, w - 4, "The command settling each is printed on exit.", A_NORMAL, false);
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
    case UI_PROMPT_PAST: {
        char when[64], line[160];
        client_time_format(app->current.date, app->current.timezone, when, sizeof when);
        snprintf(line, sizeof line, "This concert was on %s \xe2\x80\x94 sell anyway?", when);
        ui_draw_box(app, y, x, h, w, "Concert is past");
        ui_draw_text(y + 1, x + 2, w - 4, line, A_BOLD, false);
        ui_draw_text(y + 2, x + 2, w - 4, app->current.name, A_NORMAL, false);
        ui_draw_text(y + 3, x + 2, w - 4, "y = sell anyway \xc2\xb7 n, Esc or Enter = do not sell",
                     ui_attr(app, UI_A_KEY), false);
        break;
    }
    case UI_PROMPT_KEY: {
        char hint[512], *save = NULL;
        int row = y + 2;
        config_hint(CONFIG_HINT_KEY, hint, sizeof hint);
        ui_draw_box(app, y, x, h, w, "Operator sign-in required");
        ui_draw_text(y + 1, x + 2, w - 4, "Not allowed without an operator's sign-in.", A_BOLD, false);
        for (char *l = strtok_r(hint, "\n", &save); l != NULL && row < y + h - 2; l = strtok_r(NULL, "\n", &save))
            ui_draw_text(row++, x + 2, w - 4, l, A_NORMAL, false);
        ui_draw_text(y + h - 2, x + 2, w - 4, "Any key closes this", ui_attr(app, UI_A_KEY), false);
        break;
    }
    case UI_PROMPT_PIN:
        ui_draw_box(app, y, x, h, w, "Exit kiosk");
        ui_form_draw(app, &ps->pin, y + 2, x + 2, w - 4);
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
    prompt_state *ps = st(app);
    switch (ps->kind) {
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
            const ui_sale *sale = ui_sale_unconfirmed(app);
            if (sale != NULL)
                ui_message(app, true, "Sale to %s not confirmed \xe2\x80\x94 b on %s checks it", sale->order.name,
                           sale->concert_name);
        } else if (act == UI_ACT_BACK || act == UI_ACT_NEW || act == UI_ACT_OPEN) {
            ui_pop(app);
        }
        return UI_HANDLED | UI_REDRAW;
    case UI_PROMPT_KEY: /* a notice: any key closes it; quit, help and the like then act as usual */
        ui_pop(app);
        return act == UI_ACT_BACK || act == UI_ACT_OPEN || act == UI_ACT_NONE ? UI_HANDLED | UI_REDRAW : UI_UNHANDLED;
    case UI_PROMPT_PAST:
        if (act == UI_ACT_YES) {
            ui_pop(app);
            ui_push(app, &ui_screen_buy);
        } else if (act == UI_ACT_BACK || act == UI_ACT_NEW || act == UI_ACT_OPEN) {
            ui_pop(app);
            ui_message(app, false, "Nothing sold: the concert is past");
        }
        return UI_HANDLED | UI_REDRAW;
    case UI_PROMPT_PIN:
        if (act == UI_ACT_OPEN) {
            const char *pin = app->opts->kiosk_pin ? app->opts->kiosk_pin : "";
            char why[160];
            ui_pin_refusal(&ps->guard, app->now, why, sizeof why);
            if (why[0] != '\0') { /* still waiting: the PIN is not even compared */
                ui_form_clear(&ps->pin);
                ui_message(app, true, "%s", why);
                ui_pop(app);
                return UI_HANDLED | UI_REDRAW;
            }
            if (same_secret(ps->pin.f[0].value, pin)) {
                ui_pin_right(&ps->guard);
                return UI_HANDLED | UI_QUIT;
            }
            ui_form_clear(&ps->pin);
            ui_pin_wrong(&ps->guard, app->now);
            ui_pin_refusal(&ps->guard, app->now, why, sizeof why);
            if (why[0] != '\0')
                ui_message(app, true, "Wrong PIN \xc2\xb7 %s", why);
            else
                ui_message(app, true, "Wrong PIN");
            ui_pop(app);
        } else if (act == UI_ACT_BACK) {
            ui_pop(app);
        } else {
            ui_form_key(&ps->pin, act, k);
        }
        return UI_HANDLED | UI_REDRAW;
    }
    return UI_HANDLED;
}

const ui_screen_ops ui_screen_prompt = {
    .title = "Question",
    .bar = bar,
    .private_size = sizeof(prompt_state),
    .init = init,
    .wipe = wipe,
    .enter = enter,
    .draw = draw,
    .key = key,
    .leave = leave,
    .typing = typing,
    .overlay = true,
};
