/* The receipt after a sale: ticket id, concert, date, venue, price, purchase time.
 * Enter starts the next sale. In kiosk mode any key (or the idle timeout) takes it away,
 * and leaving wipes the customer's data. */
#include <stdio.h>
#include <string.h>

#include "bo_money.h"
#include "ui_app.h"
#include "ui_screens.h"
#include "ui_curses.h"
#include "ui_text.h"

static const ui_action bar[] = { UI_ACT_OPEN, UI_ACT_HELP, UI_ACT_QUIT, UI_ACT_NONE };

/* The receipt's own state: the ticket sold and its concert (customer data: wiped when the receipt
 * closes, on a kiosk's idle reset and at exit). */
typedef struct receipt_state {
    bo_ticket ticket;
    bo_concert concert;
} receipt_state;

static receipt_state *st(const ui_app *app)
{
    return ui_screen_state(app, &ui_screen_receipt);
}

static bool wipe(ui_app *app, void *state)
{
    (void)app;
    receipt_state *rs = state;
    bo_ticket_clear(&rs->ticket);
    bo_concert_clear(&rs->concert);
    return false;
}

void ui_receipt_open(ui_app *app, bo_ticket *t, const bo_concert *c)
{
    if (!ui_push(app, &ui_screen_receipt)) {
        bo_ticket_clear(t); /* ui_push said why */
        return;
    }
    receipt_state *rs = st(app);
    wipe(app, rs);
    rs->ticket = *t;
    memset(t, 0, sizeof *t);
    if (bo_concert_copy(&rs->concert, c) != 0)
        memset(&rs->concert, 0, sizeof rs->concert);
}

static void leave(ui_app *app)
{
    wipe(app, st(app));
    if (app->opts->kiosk)
        net_inspector_clear(&app->inspector); /* the inspector held the customer's name and e-mail */
}

static void draw(ui_app *app, const ui_rect *a)
{
    const receipt_state *rs = st(app);
    const bo_ticket *t = &rs->ticket;
    const bo_concert *c = &rs->concert;
    int w = a->w - 4 > 100 ? 100 : a->w - 4;
    ui_draw_box(app, a->y, 1, a->h, w + 2, "Ticket sold");
    char date[32], price[BO_MONEY_BUF];
    ui_format_date(c->date, date);
    bo_money_display(c->price_cents, price);
    int x = 3, y = a->y + 2;
    ui_draw_text(y++, x, w - 2, "\xe2\x9c\x93 Sale complete", ui_attr(app, UI_A_OK), false);
    y++;
    ui_draw_field_line(app, y++, x, w - 2, "Ticket", t->id);
    ui_draw_field_line(app, y++, x, w - 2, "Concert", c->name);
    ui_draw_field_line(app, y++, x, w - 2, "Date (UTC)", date);
    ui_draw_field_line(app, y++, x, w - 2, "Venue", c->venue);
    ui_draw_field_line(app, y++, x, w - 2, "Price", price);
    ui_draw_field_line(app, y++, x, w - 2, "Customer", t->customer_name);
    ui_draw_field_line(app, y++, x, w - 2, "Purchased", t->purchase_date);
    y++;
    if (y < a->y + a->h - 1)
        ui_draw_text(y, x, w - 2,
                     app->opts->kiosk ? "Press any key to finish." : "Press Enter for the next sale.",
                     ui_attr(app, UI_A_KEY), false);
}

static int key(ui_app *app, ui_action act, int k)
{
    (void)k;
    if (app->opts->kiosk && act != UI_ACT_QUIT && act != UI_ACT_REDRAW) {
        ui_pop_to_list(app);
        return UI_HANDLED | UI_REDRAW;
    }
    if (act == UI_ACT_OPEN || act == UI_ACT_BACK) {
        ui_pop_to_list(app);
        return UI_HANDLED | UI_REDRAW;
    }
    return UI_UNHANDLED;
}

const ui_screen_ops ui_screen_receipt = {
    .title = "Receipt",
    .bar = bar,
    .private_size = sizeof(receipt_state),
    .wipe = wipe,
    .draw = draw,
    .key = key,
    .leave = leave,
};
