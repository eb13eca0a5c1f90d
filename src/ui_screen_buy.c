/* The purchase form: customer name and e-mail checked as typed with the backend's rules,
 * a confirmation step, then the purchase in the worker (spinner) and the receipt. */
#include <stdio.h>
#include <string.h>

#include "bo_money.h"
#include "bo_text.h"
#include "ui_app.h"
#include "ui_curses.h"
#include "ui_text.h"

static const ui_action bar_edit[] = { UI_ACT_NEXT_FIELD, UI_ACT_OPEN, UI_ACT_BACK, UI_ACT_HELP, UI_ACT_NONE };

static void enter(ui_app *app)
{
    ui_form_clear(&app->buy); /* never the previous customer's data */
    app->buy_confirm = false;
}

static void leave(ui_app *app)
{
    ui_form_clear(&app->buy);
    app->buy_confirm = false;
}

static bool typing(const ui_app *app)
{
    return !app->buy_confirm && app->busy_seq == 0;
}

static bool unsaved(const ui_app *app)
{
    return ui_form_has_input(&app->buy) || (app->busy_seq != 0 && app->busy_owner == &ui_screen_buy);
}

static void draw(ui_app *app, const ui_rect *a)
{
    const bo_concert *c = &app->current;
    int w = a->w - 4 > 100 ? 100 : a->w - 4;
    ui_draw_box(app, a->y, 1, a->h, w + 2, "Sell a ticket");
    char date[32], price[BO_MONEY_BUF], line[2400];
    ui_format_date(c->date, date);
    bo_money_display(c->price_cents, price);
    int x = 3, y = a->y + 1;
    ui_draw_text(y++, x, w - 2, c->name, ui_attr(app, UI_A_TITLE), false);
    snprintf(line, sizeof line, "%s \xc2\xb7 %s \xc2\xb7 %s \xc2\xb7 %lld seats left", date, c->venue ? c->venue : "",
             price, (long long)c->seats_left);
    ui_draw_text(y++, x, w - 2, line, A_NORMAL, false);
    y++;
    ui_form_draw(app, &app->buy, y, x, w - 2);
    y += ui_form_height(&app->buy);
    if (y >= a->y + a->h - 1)
        y = a->y + a->h - 2;
    if (app->busy_seq != 0 && app->busy_owner == &ui_screen_buy) {
        ui_draw_text(y, x, w - 2, "Selling\xe2\x80\xa6 please wait.", ui_attr(app, UI_A_TITLE), false);
    } else if (app->buy_confirm) {
        snprintf(line, sizeof line, "Sell 1 ticket at %s to %s <%s>?", price, app->buy.f[0].value, app->buy.f[1].value);
        ui_draw_text(y, x, w - 2, line, ui_attr(app, UI_A_TITLE), false);
        ui_draw_text(y + 1 < a->y + a->h - 1 ? y + 1 : y, x, w - 2, "Enter/y = confirm \xc2\xb7 Esc = change", ui_attr(app, UI_A_KEY), false);
    } else {
        ui_draw_text(y, x, w - 2, "Enter: next field / review \xc2\xb7 Tab: next field \xc2\xb7 Esc: back",
                     ui_attr(app, UI_A_DIM), false);
    }
}

static void submit(ui_app *app)
{
    ui_job job;
    memset(&job, 0, sizeof job);
    job.kind = UI_JOB_PURCHASE;
    snprintf(job.id, sizeof job.id, "%s", app->current.id);
    snprintf(job.name, sizeof job.name, "%s", app->buy.f[0].value);
    snprintf(job.email, sizeof job.email, "%s", app->buy.f[1].value);
    if (!ui_submit_busy(app, &ui_screen_buy, &job, "Selling a ticket\xe2\x80\xa6"))
        ui_message(app, true, "Busy \xe2\x80\x94 try again in a moment");
    memset(&job, 0, sizeof job);
}

static int key(ui_app *app, ui_action act, int k)
{
    if (app->busy_seq != 0 && app->busy_owner == &ui_screen_buy) {
        if (act == UI_ACT_HELP || act == UI_ACT_INSPECT || act == UI_ACT_REDRAW || act == UI_ACT_QUIT)
            return UI_UNHANDLED;
        ui_message(app, false, "Please wait \xe2\x80\x94 the sale is in progress");
        return UI_HANDLED | UI_REDRAW;
    }
    if (app->buy_confirm) {
        switch (act) {
        case UI_ACT_OPEN:
        case UI_ACT_YES:
            submit(app);
            return UI_HANDLED | UI_REDRAW;
        case UI_ACT_BACK:
        case UI_ACT_NEW:
            app->buy_confirm = false;
            return UI_HANDLED | UI_REDRAW;
        default:
            return act == UI_ACT_QUIT || act == UI_ACT_HELP || act == UI_ACT_INSPECT ? UI_UNHANDLED : UI_HANDLED;
        }
    }
    bool complete;
    int flags = ui_form_screen_key(app, &app->buy, act, k, &complete);
    if (complete) {
        if (app->current.seats_left <= 0)
            ui_message(app, true, "Sold out \xe2\x80\x94 no tickets left");
        else
            app->buy_confirm = true;
    }
    return flags;
}

static int result(ui_app *app, ui_result *r)
{
    char m[256];
    if (r->status == API_OK) {
        bo_ticket_clear(&app->receipt);
        app->receipt = r->ticket;
        memset(&r->ticket, 0, sizeof r->ticket);
        bo_concert_clear(&app->receipt_concert);
        if (bo_concert_copy(&app->receipt_concert, &app->current) != 0)
            memset(&app->receipt_concert, 0, sizeof app->receipt_concert);
        ui_pop_to_list(app); /* leaves the form: the customer's input is wiped */
        ui_push(app, &ui_screen_receipt);
        ui_request_refresh(app); /* seats left changed */
        return UI_REDRAW;
    }
    app->buy_confirm = false;
    bo_text_sanitize(m, sizeof m, r->res.message[0] ? r->res.message : api_status_message(r->status));
    switch (r->status) {
    case API_ERR_SOLD_OUT:
        app->current.seats_left = 0;
        ui_message(app, true, "Sold out \xe2\x80\x94 the last ticket went to someone else");
        ui_request_refresh(app);
        break;
    case API_ERR_NOT_FOUND:
        ui_message(app, true, "Concert no longer exists");
        ui_request_refresh(app);
        break;
    case API_ERR_INVALID:
        ui_message(app, true, "Not sold: %s (HTTP %ld)", m, r->res.http_status);
        break;
    case API_ERR_UNREACHABLE:
    case API_ERR_TIMEOUT:
    case API_ERR_UNAVAILABLE:
        ui_message(app, true, "Not confirmed: %s \xe2\x80\x94 check seats left before selling again", m);
        ui_request_refresh(app);
        break;
    default:
        if (r->res.http_status > 0)
            ui_message(app, true, "Not sold: %s (HTTP %ld)", m, r->res.http_status);
        else
            ui_message(app, true, "Not sold: %s", m);
        break;
    }
    return UI_REDRAW;
}

const ui_screen_ops ui_screen_buy = {
    .title = "Sell a ticket",
    .bar = bar_edit,
    .enter = enter,
    .draw = draw,
    .key = key,
    .leave = leave,
    .typing = typing,
    .unsaved = unsaved,
    .result = result,
};
