/* The purchase form: customer name and e-mail checked as typed with the backend's rules,
 * a confirmation step, then the purchase in the worker (spinner) and the receipt. */
#include <stdio.h>
#include <string.h>

#include "bo_money.h"
#include "bo_text.h"
#include "bo_valid.h"
#include "ui_app.h"
#include "ui_screens.h"
#include "ui_curses.h"
#include "ui_text.h"

static const ui_action bar_edit[] = { UI_ACT_NEXT_FIELD, UI_ACT_OPEN, UI_ACT_BACK, UI_ACT_HELP, UI_ACT_NONE };

/* The form's own state: the customer's name and e-mail (customer data: wiped when the form closes, on a
 * kiosk's idle reset and at exit) and whether the sale is being confirmed. */
typedef struct buy_state {
    ui_form form;
    bool confirm;
} buy_state;

static buy_state *st(const ui_app *app)
{
    return ui_screen_state(app, &ui_screen_buy);
}

static const char *check_customer_name(const char *v) { return bo_valid_text("customerName", v); }
static const char *check_email(const char *v) { return bo_valid_email(v); }

static int init(ui_app *app, void *state)
{
    (void)app;
    buy_state *bs = state;
    ui_form_add(&bs->form, "Customer name", "as on the ticket", check_customer_name, false);
    ui_form_add(&bs->form, "E-mail", "name@example.com", check_email, false);
    return 0;
}

static bool wipe(ui_app *app, void *state)
{
    (void)app;
    buy_state *bs = state;
    ui_form_clear(&bs->form);
    bs->confirm = false;
    return false; /* closing the form already left nothing to show */
}

void ui_sale_clear(ui_sale *s)
{
    memset(s, 0, sizeof *s); /* customer data and the key */
}

/* The sale kept for this form's concert has no known outcome: the form shows it and offers a check. */
static bool unconfirmed_here(const ui_app *app)
{
    return app->sale.unconfirmed && strcmp(app->sale.concert_id, app->current.id) == 0;
}

static bool selling(const ui_app *app)
{
    return app->busy_seq != 0 && app->busy_owner == &ui_screen_buy;
}

static void enter(ui_app *app)
{
    buy_state *bs = st(app);
    ui_form_clear(&bs->form); /* never the previous customer's data... */
    bs->confirm = false;
    if (unconfirmed_here(app)) { /* ...unless their sale is still unconfirmed: it is shown to be checked */
        snprintf(bs->form.f[0].value, sizeof bs->form.f[0].value, "%s", app->sale.name);
        snprintf(bs->form.f[1].value, sizeof bs->form.f[1].value, "%s", app->sale.email);
        ui_message(app, true, "A sale for this concert is not confirmed \xe2\x80\x94 check it first");
    } else if (app->sale.unconfirmed) {
        ui_message(app, true, "A sale for %s is not confirmed \xe2\x80\x94 selling here forgets it",
                   app->sale.concert_name);
    }
}

static void leave(ui_app *app)
{
    buy_state *bs = st(app);
    ui_form_clear(&bs->form);
    bs->confirm = false;
    if (!app->sale.unconfirmed)
        ui_sale_clear(&app->sale); /* an unconfirmed sale stays: re-opening the form checks it */
}

static bool typing(const ui_app *app)
{
    const buy_state *bs = st(app);
    return !bs->confirm && app->busy_seq == 0 && !unconfirmed_here(app);
}

static bool unsaved(const ui_app *app)
{
    const buy_state *bs = st(app);
    return ui_form_has_input(&bs->form) || selling(app) || app->sale.unconfirmed;
}

static void draw(ui_app *app, const ui_rect *a)
{
    buy_state *bs = st(app);
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
    ui_form_draw(app, &bs->form, y, x, w - 2);
    y += ui_form_height(&bs->form);
    if (y >= a->y + a->h - 1)
        y = a->y + a->h - 2;
    int y2 = y + 1 < a->y + a->h - 1 ? y + 1 : y;
    if (selling(app)) {
        ui_draw_text(y, x, w - 2, unconfirmed_here(app) ? "Checking the sale\xe2\x80\xa6 please wait."
                     : "Selling\xe2\x80\xa6 please wait.", ui_attr(app, UI_A_TITLE), false);
    } else if (unconfirmed_here(app)) {
        ui_draw_text(y, x, w - 2, "Sale not confirmed \xe2\x80\x94 the ticket may have been sold.",
                     ui_attr(app, UI_A_ERROR), false);
        ui_draw_text(y2, x, w - 2, "Press Enter to check (same request, never a second ticket), Esc to leave",
                     ui_attr(app, UI_A_KEY), false);
    } else if (bs->confirm) {
        snprintf(line, sizeof line, "Sell 1 ticket at %s to %s <%s>?", price, bs->form.f[0].value, bs->form.f[1].value);
        ui_draw_text(y, x, w - 2, line, ui_attr(app, UI_A_TITLE), false);
        ui_draw_text(y2, x, w - 2, "Enter/y = confirm \xc2\xb7 Esc = change", ui_attr(app, UI_A_KEY), false);
    } else {
        ui_draw_text(y, x, w - 2, "Enter: next field / review \xc2\xb7 Tab: next field \xc2\xb7 Esc: back",
                     ui_attr(app, UI_A_DIM), false);
    }
}

/* Sends the form's sale. The kept sale's Idempotency-Key goes with it when it is the same sale (same
 * concert, name and e-mail): a check or a re-sent sale can then only ever give back the same ticket. */
static void submit(ui_app *app)
{
    buy_state *bs = st(app);
    ui_sale *s = &app->sale;
    const char *name = bs->form.f[0].value, *email = bs->form.f[1].value;
    bool same = s->key[0] != '\0' && strcmp(s->concert_id, app->current.id) == 0 && strcmp(s->name, name) == 0
                && strcmp(s->email, email) == 0;
    if (!same) {
        ui_sale_clear(s);
        api_idempotency_key_new(s->key);
        snprintf(s->concert_id, sizeof s->concert_id, "%s", app->current.id);
        snprintf(s->concert_name, sizeof s->concert_name, "%s", app->current.name ? app->current.name : "");
        snprintf(s->name, sizeof s->name, "%s", name);
        snprintf(s->email, sizeof s->email, "%s", email);
    }
    net_job job;
    memset(&job, 0, sizeof job);
    job.kind = NET_JOB_PURCHASE;
    snprintf(job.id, sizeof job.id, "%s", s->concert_id);
    snprintf(job.name, sizeof job.name, "%s", s->name);
    snprintf(job.email, sizeof job.email, "%s", s->email);
    snprintf(job.idem_key, sizeof job.idem_key, "%s", s->key);
    if (!ui_submit_busy(app, &ui_screen_buy, &job,
                        s->unconfirmed ? "Checking the sale\xe2\x80\xa6" : "Selling a ticket\xe2\x80\xa6"))
        ui_message(app, true, "Busy \xe2\x80\x94 try again in a moment");
    memset(&job, 0, sizeof job);
}

static int key(ui_app *app, ui_action act, int k)
{
    buy_state *bs = st(app);
    if (selling(app)) {
        if (act == UI_ACT_HELP || act == UI_ACT_INSPECTOR || act == UI_ACT_REDRAW || act == UI_ACT_QUIT)
            return UI_UNHANDLED;
        ui_message(app, false, "Please wait \xe2\x80\x94 the sale is in progress");
        return UI_HANDLED | UI_REDRAW;
    }
    if (unconfirmed_here(app)) {
        switch (act) {
        case UI_ACT_OPEN:
        case UI_ACT_YES:
            submit(app); /* the same request, the same key */
            return UI_HANDLED | UI_REDRAW;
        case UI_ACT_BACK:
            ui_prompt_open(app, UI_PROMPT_UNCONFIRMED);
            return UI_HANDLED | UI_REDRAW;
        case UI_ACT_QUIT:
        case UI_ACT_HELP:
        case UI_ACT_INSPECTOR:
        case UI_ACT_REDRAW:
            return UI_UNHANDLED;
        default:
            ui_message(app, true, "The sale is not confirmed \xe2\x80\x94 Enter checks it, Esc leaves");
            return UI_HANDLED | UI_REDRAW;
        }
    }
    if (bs->confirm) {
        switch (act) {
        case UI_ACT_OPEN:
        case UI_ACT_YES:
            submit(app);
            return UI_HANDLED | UI_REDRAW;
        case UI_ACT_BACK:
        case UI_ACT_NEW:
            bs->confirm = false;
            return UI_HANDLED | UI_REDRAW;
        default:
            return act == UI_ACT_QUIT || act == UI_ACT_HELP || act == UI_ACT_INSPECTOR ? UI_UNHANDLED : UI_HANDLED;
        }
    }
    bool complete;
    int flags = ui_form_screen_key(app, &bs->form, act, k, &complete);
    if (complete) {
        if (app->current.seats_left <= 0)
            ui_message(app, true, "Sold out \xe2\x80\x94 no tickets left");
        else
            bs->confirm = true;
    }
    return flags;
}

/* Why a sale got no definite answer, in words that do not ask for a new sale. */
static const char *no_answer_reason(const net_result *r, char *buf, size_t cap)
{
    switch (r->status) {
    case API_ERR_TIMEOUT: return "no answer from the server in time";
    case API_ERR_UNREACHABLE: return "server unreachable";
    case API_ERR_THROTTLED: return "server too busy (HTTP 429)";
    case API_ERR_PROTOCOL: return "the server's answer could not be read";
    case API_ERR_UNAVAILABLE:
        if (r->res.http_status > 0) {
            snprintf(buf, cap, "server error (HTTP %ld)", r->res.http_status);
            return buf;
        }
        return "connection lost";
    default: return "no definite answer";
    }
}

static int result(ui_app *app, net_result *r)
{
    buy_state *bs = st(app);
    char m[256], why[64];
    ui_sale *s = &app->sale;
    if (r->status == API_OK) {
        ui_sale_clear(s); /* a definite answer: the key has done its job */
        ui_pop_to_list(app); /* leaves the form: the customer's input is wiped */
        ui_receipt_open(app, &r->ticket, &app->current);
        ui_catalogue_refresh(app); /* seats left changed */
        return UI_REDRAW;
    }
    bs->confirm = false;
    bo_text_sanitize(m, sizeof m, r->res.message[0] ? r->res.message : api_status_message(r->status));
    bool refused = r->status == API_ERR_SOLD_OUT || r->status == API_ERR_NOT_FOUND || r->status == API_ERR_INVALID
                   || r->status == API_ERR_FORBIDDEN;
    if (!refused && (r->res.unconfirmed || s->unconfirmed)) {
        /* the outcome is unknown (also when a check could not reach the server): keep the key */
        s->unconfirmed = true;
        ui_message(app, true, "Sale not confirmed: %s \xe2\x80\x94 the ticket may have been sold",
                   no_answer_reason(r, why, sizeof why));
        ui_catalogue_refresh(app);
        return UI_REDRAW;
    }
    ui_sale_clear(s); /* a definite answer, or nothing reached the server */
    switch (r->status) {
    case API_ERR_SOLD_OUT:
        app->current.seats_left = 0;
        ui_message(app, true, "Sold out \xe2\x80\x94 the last ticket went to someone else");
        ui_catalogue_refresh(app);
        break;
    case API_ERR_NOT_FOUND:
        ui_message(app, true, "Concert no longer exists");
        ui_catalogue_refresh(app);
        break;
    case API_ERR_INVALID:
        ui_message(app, true, "Not sold: %s (HTTP %ld)", m, r->res.http_status);
        break;
    case API_ERR_THROTTLED:
        ui_message(app, true, "Not sold: server too busy (HTTP 429) \xe2\x80\x94 try again in a moment");
        break;
    case API_ERR_UNREACHABLE:
    case API_ERR_TIMEOUT:
    case API_ERR_UNAVAILABLE:
        ui_message(app, true, "Not sold: %s \xe2\x80\x94 nothing reached the server; try again",
                   no_answer_reason(r, why, sizeof why));
        ui_catalogue_refresh(app);
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
    .private_size = sizeof(buy_state),
    .init = init,
    .wipe = wipe,
    .enter = enter,
    .draw = draw,
    .key = key,
    .leave = leave,
    .typing = typing,
    .unsaved = unsaved,
    .result = result,
};
