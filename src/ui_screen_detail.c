/* The concert detail: every field, seats left, price; `b` buys. Reloads the concert on entry. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "bo_money.h"
#include "client_time.h"
#include "ui_app.h"
#include "ui_screens.h"
#include "ui_curses.h"
#include "ui_text.h"

static const ui_action bar[] = { UI_ACT_BUY, UI_ACT_DOOR, UI_ACT_BACK, UI_ACT_REFRESH, UI_ACT_HELP, UI_ACT_QUIT, UI_ACT_NONE };

static void enter(ui_app *app)
{
    ui_catalogue_reload_current(app);
}

/* Draws the concert summary lines from row y; returns the next free row. Used by buy and receipt too. */
static void draw(ui_app *app, const ui_rect *a)
{
    const bo_concert *c = &app->current;
    int w = a->w - 4 > 100 ? 100 : a->w - 4;
    ui_draw_box(app, a->y, 1, a->h, w + 2, "Concert");
    if (!app->have_current)
        return;
    char date[64], price[64], seats[64], per[32];
    client_time_format(c->date, c->timezone, date, sizeof date); /* the venue's zone, else the local one */
    bool sellable = bo_concert_sellable(c);
    if (bo_concert_field_bad(c, BO_FIELD_PRICE))
        snprintf(price, sizeof price, "?");
    else
        model_money_with_currency(c->price_cents, c->currency, price, sizeof price);
    if (bo_concert_field_bad(c, BO_FIELD_SEATS))
        snprintf(seats, sizeof seats, "?");
    else if (c->seats_left <= 0)
        snprintf(seats, sizeof seats, "0 \xe2\x80\x94 SOLD OUT");
    else
        snprintf(seats, sizeof seats, "%lld", (long long)c->seats_left);
    int y = a->y + 2, x = 3;
    ui_draw_field_line(app, y++, x, w - 2, "Name", c->name);
    ui_draw_field_line(app, y++, x, w - 2, "When", date);
    ui_draw_field_line(app, y++, x, w - 2, "Date (raw)", c->date);
    ui_draw_field_line(app, y++, x, w - 2, "Venue", c->venue);
    ui_draw_field_line(app, y++, x, w - 2, "Price", price);
    ui_draw_field_line(app, y, x, w - 2, "Seats left", "");
    ui_draw_text(y++, x + 14, w - 16, seats, c->seats_left <= 0 ? ui_attr(app, UI_A_SOLDOUT) : 0, false);
    snprintf(per, sizeof per, "%lld", (long long)(c->max_per_order > 0 ? c->max_per_order : BO_MAX_PER_ORDER_DEFAULT));
    ui_draw_field_line(app, y++, x, w - 2, "Per order", per);
    ui_draw_field_line(app, y++, x, w - 2, "ID", c->id);
    y++;
    if (!sellable) { /* what is wrong, one problem a line, as far as the box has room */
        ui_draw_text(y++, x, w - 2, "! Not for sale: this record is damaged.", ui_attr(app, UI_A_SOLDOUT), false);
        for (size_t i = 0; i < c->bad->n && y < a->y + a->h - 2; i++) {
            char line[600];
            snprintf(line, sizeof line, "! %s", c->bad->problems[i]);
            ui_draw_text(y++, x, w - 2, line, ui_attr(app, UI_A_SOLDOUT), false);
        }
    } else if (client_time_past(c->date, time(NULL)) == 1) {
        char line[160];
        snprintf(line, sizeof line, "Past: this concert was on %s.", date);
        ui_draw_text(y++, x, w - 2, line, ui_attr(app, UI_A_SOLDOUT), false);
        if (y < a->y + a->h - 1)
            ui_draw_text(y, x, w - 2,
                         app->opts->kiosk ? "No tickets are sold for it." : "b asks before selling tickets for it.",
                         ui_attr(app, UI_A_DIM), false);
    } else if (y < a->y + a->h - 1) {
        if (c->seats_left > 0)
            ui_draw_text(y, x, w - 2, "Press b to sell tickets for this concert.", ui_attr(app, UI_A_DIM), false);
        else
            ui_draw_text(y, x, w - 2, "Sold out: no tickets can be sold.", ui_attr(app, UI_A_SOLDOUT), false);
    }
    if (app->cat.current_seq != 0)
        ui_draw_text(a->y + a->h - 2, x, w - 2, "reloading\xe2\x80\xa6", ui_attr(app, UI_A_DIM), false);
}

static int key(ui_app *app, ui_action act, int k)
{
    (void)k;
    switch (act) {
    case UI_ACT_BUY:
        if (!app->have_current)
            return UI_HANDLED;
        if (!bo_concert_sellable(&app->current)) {
            ui_message(app, true, "Not for sale: this concert's record is damaged");
            return UI_HANDLED | UI_REDRAW;
        }
        if (app->current.seats_left <= 0 && !ui_sale_unconfirmed_here(app)) {
            ui_message(app, true, "Sold out \xe2\x80\x94 no tickets left for %s", app->current.name);
            return UI_HANDLED | UI_REDRAW;
        }
        ui_sell_open(app); /* a past concert: refused on a kiosk, asked first at the window */
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_DOOR: /* check-in needs the operator key; a kiosk's customers never get there */
        if (!app->have_current || app->opts->kiosk)
            return UI_HANDLED;
        if (!api_config_operator(&app->opts->api)) {
            ui_prompt_open(app, UI_PROMPT_KEY); /* says where the key is set */
            return UI_HANDLED | UI_REDRAW;
        }
        if (ui_door_open(app, app->current.id))
            ui_door_ask_name(app);
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_BACK:
        ui_pop(app);
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_REFRESH:
        ui_catalogue_reload_current(app);
        ui_catalogue_refresh(app);
        return UI_HANDLED | UI_REDRAW;
    default:
        return UI_UNHANDLED;
    }
}

const ui_screen_ops ui_screen_detail = {
    .title = "Concert",
    .bar = bar,
    .enter = enter,
    .draw = draw,
    .key = key,
    .min_cols = UI_SMALL_COLS,
    .min_rows = UI_SMALL_ROWS,
};
