/* The sell form: one order of several tickets. Quantity (digits, + and -, bounded by the concert's
 * maxPerOrder and the seats left), the customer's name and e-mail (optional for an operator's walk-up,
 * required on a kiosk or without an operator key), the names on the tickets (one per ticket, or one for
 * all) and the payment: cash (amount tendered, change due shown large), card, or comp (operators only).
 * The total with its currency is reviewed before confirming; the order goes out in the worker (spinner)
 * and the receipt shows its tickets. An order whose outcome is unknown stays the same order, with the same
 * Idempotency-Key, and is checked by sending it again. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bo_money.h"
#include "bo_text.h"
#include "bo_valid.h"
#include "bo_valid_order.h"
#include "client_time.h"
#include "cmdline.h"
#include "ui_app.h"
#include "ui_screens.h"
#include "ui_curses.h"
#include "ui_text.h"

static const ui_action bar_edit[] = { UI_ACT_NEXT_FIELD, UI_ACT_OPEN, UI_ACT_BACK, UI_ACT_HELP, UI_ACT_NONE };
/* the review: confirm or go back to the form, nothing to type */
static const ui_action bar_review[] = { UI_ACT_YES, UI_ACT_BACK, UI_ACT_HELP, UI_ACT_NONE };

/* The form's fields (an operator's form has all of them; a public one stops at F_NAMES). */
enum { F_QTY = 0, F_NAME, F_EMAIL, F_NAMES, F_PAY, F_TENDERED };

/* The form's own state: the order being typed (customer data: wiped when the form closes, on a kiosk's
 * idle reset and at exit), which form it is, and whether the order is being confirmed. */
typedef struct buy_state {
    ui_form form;
    bool operator_form;      /* built for the box-office route (an operator key, not a kiosk) */
    bool confirm;
    ui_sale sale;            /* the order last sent (see ui_sale): kept while the form is closed */
} buy_state;

static buy_state *st(const ui_app *app)
{
    return ui_screen_state(app, &ui_screen_buy);
}

/* The box-office route: an operator key is configured and this is not a kiosk. */
static bool operator_route(const ui_app *app)
{
    return !app->opts->kiosk && api_config_operator(&app->opts->api);
}

static int64_t qty_limit(const bo_concert *c);
static int64_t qty_of(const buy_state *bs);

/* Messages with a number in them: the UI's one thread reads each before the next check writes it. */
static char check_msg[128];

/* quantity: digits only, the shared rule (1..49), then the concert's maxPerOrder and the seats left. */
static const char *check_qty(const char *v, const void *ctx)
{
    const ui_app *app = ctx;
    if (v[0] == '\0')
        return NULL; /* empty: 1 */
    int64_t q = 0, got = 0;
    for (const char *p = v; *p != '\0'; p++) {
        if (*p < '0' || *p > '9')
            return "quantity: digits only (+ and - change it)";
        if (q < 1000)
            q = q * 10 + (*p - '0');
    }
    const char *m = bo_valid_quantity_double((double)q, &got);
    if (m != NULL)
        return m;
    int64_t lim = qty_limit(&app->current);
    if (lim <= 0)
        return "sold out: no tickets left";
    if (got > lim) {
        snprintf(check_msg, sizeof check_msg, "quantity: at most %lld in one order here", (long long)lim);
        return check_msg;
    }
    return NULL;
}
static const char *check_name_required(const char *v) { return bo_valid_text("customerName", v); }
static const char *check_email_required(const char *v) { return bo_valid_email(v); }
static const char *check_name_optional(const char *v) { return v[0] == '\0' ? NULL : bo_valid_text("customerName", v); }
static const char *check_email_optional(const char *v) { return v[0] == '\0' ? NULL : bo_valid_email(v); }
/* The names on the tickets: none, one (on every ticket) or, by the server's rule, one per ticket. */
static const char *check_names(const char *v, const void *ctx)
{
    const ui_app *app = ctx;
    char buf[UI_FIELD_MAX];
    const char *names[BO_ORDER_TICKETS_MAX];
    snprintf(buf, sizeof buf, "%s", v);
    size_t n = model_names_split(buf, names, BO_ORDER_TICKETS_MAX);
    for (size_t i = 0; i < n; i++) {
        const char *m = bo_valid_text("attendee", names[i]);
        if (m != NULL)
            return m;
    }
    int64_t q = qty_of(st(app));
    if (n > 1 && bo_valid_attendee_count(n, q) != NULL) {
        snprintf(check_msg, sizeof check_msg, "%zu names for %lld ticket%s: give one per ticket, or one for all", n,
                 (long long)q, q == 1 ? "" : "s");
        return check_msg;
    }
    return NULL;
}
static const char *check_pay(const char *v)
{
    return bo_pay_method_parse(v) != BO_PAY_NONE ? NULL : "payment: cash, card or comp (+, - or Space change it)";
}
static int64_t total_of(const ui_app *app, const buy_state *bs);

static const char *check_tendered(const char *v, const void *ctx)
{
    const ui_app *app = ctx;
    int64_t c;
    if (v[0] == '\0')
        return NULL;
    const char *m = bo_valid_tendered_text(v, &c);
    if (m != NULL)
        return strcmp(m, BO_TENDERED_TOO_LARGE) == 0 ? m : "tendered: an amount such as 100.00 (or empty)";
    const buy_state *bs = st(app);
    if (bo_pay_method_parse(bs->form.f[F_PAY].value) == BO_PAY_CASH && c < total_of(app, bs)) {
        char total[64];
        model_money_with_currency(total_of(app, bs), app->current.currency, total, sizeof total);
        snprintf(check_msg, sizeof check_msg, "not enough cash: the total is %s", total);
        return check_msg;
    }
    return NULL;
}

/* Builds the form for the route this box office uses. */
static void build_form(ui_app *app, buy_state *bs)
{
    memset(&bs->form, 0, sizeof bs->form);
    bs->operator_form = operator_route(app);
    bs->form.compact = true;
    ui_form_check_with(&bs->form, ui_form_add(&bs->form, "Quantity", "1 (digits, + and -)", NULL, false), check_qty, app);
    if (bs->operator_form) {
        ui_form_add(&bs->form, "Customer name", "optional (walk-up)", check_name_optional, false);
        ui_form_add(&bs->form, "E-mail", "optional: name@example.com", check_email_optional, false);
    } else {
        ui_form_add(&bs->form, "Customer name", "as on the ticket", check_name_required, false);
        ui_form_add(&bs->form, "E-mail", "name@example.com", check_email_required, false);
    }
    ui_form_check_with(&bs->form, ui_form_add(&bs->form, "Ticket names", "optional: one per ticket, commas between", NULL, false),
                       check_names, app);
    if (bs->operator_form) {
        ui_form_add(&bs->form, "Payment", NULL, check_pay, false);
        ui_form_check_with(&bs->form,
                           ui_form_add(&bs->form, "Cash tendered", "cash: e.g. 100.00 (shows the change)", NULL, false),
                           check_tendered, app);
    }
}

static int init(ui_app *app, void *state)
{
    build_form(app, state);
    return 0;
}

/* The form emptied, with the default payment. */
static void reset_form(ui_app *app, buy_state *bs)
{
    if (bs->operator_form != operator_route(app))
        build_form(app, bs);
    ui_form_clear(&bs->form);
    if (bs->operator_form)
        snprintf(bs->form.f[F_PAY].value, sizeof bs->form.f[F_PAY].value, "cash");
    bs->confirm = false;
}

static void sale_clear(ui_sale *s)
{
    memset(s, 0, sizeof *s); /* customer data and the key */
    s->order.tendered_cents = -1;
}

/* The kiosk's customer has gone (or the box office exits): the form and the sale are forgotten; an
 * unconfirmed sale is something to forget that the list does not show. */
static bool wipe(ui_app *app, void *state)
{
    (void)app;
    buy_state *bs = state;
    bool had_sale = bs->sale.unconfirmed;
    ui_form_clear(&bs->form);
    bs->confirm = false;
    sale_clear(&bs->sale);
    return had_sale; /* closing the form already left nothing else to show */
}

const ui_sale *ui_sale_unconfirmed(const ui_app *app)
{
    const buy_state *bs = st(app);
    return bs != NULL && bs->sale.unconfirmed ? &bs->sale : NULL;
}

bool ui_sale_unconfirmed_here(const ui_app *app)
{
    const ui_sale *s = ui_sale_unconfirmed(app);
    return s != NULL && strcmp(s->order.concert_id, app->current.id) == 0;
}

static bool selling(const ui_app *app)
{
    return app->busy_seq != 0 && app->busy_owner == &ui_screen_buy;
}

/* The review (confirm or back) has its own keys; the form's otherwise. */
static const ui_action *bar_for(const ui_app *app)
{
    const buy_state *bs = st(app);
    return bs != NULL && bs->confirm && !selling(app) && !ui_sale_unconfirmed_here(app) ? bar_review : bar_edit;
}

/* The most tickets one order may have here: maxPerOrder (default 10) and the seats left. */
static int64_t qty_limit(const bo_concert *c)
{
    int64_t lim = c->max_per_order > 0 ? c->max_per_order : BO_MAX_PER_ORDER_DEFAULT;
    return c->seats_left < lim ? c->seats_left : lim;
}

static int64_t qty_of(const buy_state *bs)
{
    const char *v = bs->form.f[F_QTY].value;
    return v[0] == '\0' ? 1 : strtol(v, NULL, 10);
}

static bo_pay_method pay_of(const buy_state *bs)
{
    return bs->operator_form ? bo_pay_method_parse(bs->form.f[F_PAY].value) : BO_PAY_CARD;
}

static int64_t tendered_of(const buy_state *bs)
{
    int64_t c;
    if (!bs->operator_form || pay_of(bs) != BO_PAY_CASH || bs->form.f[F_TENDERED].value[0] == '\0'
        || bo_valid_tendered_text(bs->form.f[F_TENDERED].value, &c) != NULL)
        return -1;
    return c;
}

static int64_t total_of(const ui_app *app, const buy_state *bs)
{
    return pay_of(bs) == BO_PAY_COMP ? 0 : qty_of(bs) * app->current.price_cents;
}

static void enter(ui_app *app)
{
    buy_state *bs = st(app);
    reset_form(app, bs); /* never the previous customer's data... */
    if (ui_sale_unconfirmed_here(app)) { /* ...unless their order is still unconfirmed: it is shown to be checked */
        const net_order_req *s = &bs->sale.order;
        snprintf(bs->form.f[F_QTY].value, sizeof bs->form.f[F_QTY].value, "%lld", (long long)s->quantity);
        snprintf(bs->form.f[F_NAME].value, sizeof bs->form.f[F_NAME].value, "%s", s->name);
        snprintf(bs->form.f[F_EMAIL].value, sizeof bs->form.f[F_EMAIL].value, "%s", s->email);
        snprintf(bs->form.f[F_NAMES].value, sizeof bs->form.f[F_NAMES].value, "%s", s->attendees);
        if (bs->operator_form) {
            snprintf(bs->form.f[F_PAY].value, sizeof bs->form.f[F_PAY].value, "%s", bo_pay_method_name(s->pay));
            if (s->tendered_cents >= 0)
                snprintf(bs->form.f[F_TENDERED].value, sizeof bs->form.f[F_TENDERED].value, "%lld.%02lld",
                         (long long)(s->tendered_cents / 100), (long long)(s->tendered_cents % 100));
        }
        ui_message(app, true, "A sale for this concert is not confirmed \xe2\x80\x94 check it first");
    } else if (bs->sale.unconfirmed) {
        ui_message(app, true, "A sale for %s is not confirmed \xe2\x80\x94 selling here forgets it",
                   bs->sale.concert_name);
    }
}

static void leave(ui_app *app)
{
    buy_state *bs = st(app);
    ui_form_clear(&bs->form);
    bs->confirm = false;
    if (!bs->sale.unconfirmed)
        sale_clear(&bs->sale); /* an unconfirmed sale stays: re-opening the form checks it */
}

static bool typing(const ui_app *app)
{
    const buy_state *bs = st(app);
    return !bs->confirm && app->busy_seq == 0 && !ui_sale_unconfirmed_here(app);
}

/* Input that leaving would lose: anything but the default payment. */
static bool has_input(const buy_state *bs)
{
    for (int i = 0; i < bs->form.n; i++)
        if (bs->form.f[i].value[0] != '\0' && !(bs->operator_form && i == F_PAY && strcmp(bs->form.f[i].value, "cash") == 0))
            return true;
    return false;
}

static bool unsaved(const ui_app *app)
{
    const buy_state *bs = st(app);
    return has_input(bs) || selling(app) || bs->sale.unconfirmed;
}

/* The names as they go on the tickets: "Grace, Hugo, Ines", or one name on every ticket. Empty: none. */
static void names_shown(const buy_state *bs, char *out, size_t cap)
{
    char buf[UI_FIELD_MAX];
    const char *names[BO_ORDER_TICKETS_MAX];
    snprintf(buf, sizeof buf, "%s", bs->form.f[F_NAMES].value);
    size_t n = model_names_split(buf, names, BO_ORDER_TICKETS_MAX), len = 0;
    int64_t q = qty_of(bs);
    out[0] = '\0';
    if (n == 1 && q > 1) {
        snprintf(out, cap, "%s (on all %lld tickets)", names[0], (long long)q);
        return;
    }
    for (size_t i = 0; i < n && len + 1 < cap; i++)
        len += (size_t)snprintf(out + len, cap - len, "%s%s", i > 0 ? ", " : "", names[i]);
}

/* The confirmation: what is sold, the total with its currency, the customer, the names on the tickets,
 * the payment and the change due (large, when there is room). Rows from y up to (not on) bottom. */
static void draw_review(ui_app *app, const buy_state *bs, int y, int x, int w, int bottom)
{
    const bo_concert *c = &app->current;
    char unit[64], total[64], tend[64], change[BO_MONEY_BUF], line[2400];
    int64_t q = qty_of(bs), t = total_of(app, bs), tendered = tendered_of(bs);
    model_money_with_currency(c->price_cents, c->currency, unit, sizeof unit);
    model_money_with_currency(t, c->currency, total, sizeof total);
#define ROW(label, value) do { if (y < bottom) ui_draw_field_line(app, y++, x, w, label, value); } while (0)
    snprintf(line, sizeof line, "%lld ticket%s \xc3\x97 %s", (long long)q, q == 1 ? "" : "s", unit);
    ROW("Tickets", line);
    ROW("TOTAL", total);
    const char *who = bs->form.f[F_NAME].value[0] != '\0' ? bs->form.f[F_NAME].value : "walk-up customer";
    if (bs->form.f[F_EMAIL].value[0] != '\0')
        snprintf(line, sizeof line, "%s <%s>", who, bs->form.f[F_EMAIL].value);
    else
        snprintf(line, sizeof line, "%s", who);
    ROW("Customer", line);
    names_shown(bs, line, sizeof line);
    ROW("Ticket names", line[0] != '\0' ? line : "none (the tickets go unnamed)");
    ROW("Payment", bo_pay_method_name(pay_of(bs)));
    if (tendered >= 0) {
        model_money_with_currency(tendered, c->currency, tend, sizeof tend);
        ROW("Tendered", tend);
        model_money_with_currency(tendered - t, c->currency, tend, sizeof tend);
        ROW("CHANGE DUE", tend);
        if (y + 6 < bottom) { /* and large beneath */
            bo_money_display(tendered - t, change);
            int bw = ui_draw_big(y, x, w - 6, change, ui_attr(app, UI_A_OK));
            ui_draw_text(y + 4, x + bw + 2, 4, c->currency, ui_attr(app, UI_A_OK), false);
            y += 5;
        }
    }
#undef ROW
    if (y + 1 < bottom)
        y++;
    if (y < bottom)
        ui_draw_text(y, x, w, "Enter/y = confirm the sale \xc2\xb7 Esc = change", ui_attr(app, UI_A_KEY), false);
}

/* The concert's lines at the top of the form: the name, then the date, venue, price and limits on one
 * line when they fit, else on two. Returns the next row. */
static int draw_header(ui_app *app, int y, int x, int w, int bottom)
{
    const bo_concert *c = &app->current;
    char date[64], price[64], when[600], terms[200], line[900];
    client_time_format(c->date, c->timezone, date, sizeof date);
    model_money_with_currency(c->price_cents, c->currency, price, sizeof price);
    snprintf(when, sizeof when, "%s \xc2\xb7 %s", date, c->venue ? c->venue : "");
    snprintf(terms, sizeof terms, "%s \xc2\xb7 %lld seats left \xc2\xb7 up to %lld per order", price,
             (long long)c->seats_left, (long long)qty_limit(c));
    if (y < bottom)
        ui_draw_text(y++, x, w, c->name, ui_attr(app, UI_A_TITLE), false);
    snprintf(line, sizeof line, "%s \xc2\xb7 %s", when, terms);
    if (ui_text_width(line) <= w) {
        if (y < bottom)
            ui_draw_text(y++, x, w, line, A_NORMAL, false);
    } else {
        if (y < bottom)
            ui_draw_text(y++, x, w, when, A_NORMAL, false);
        if (y < bottom)
            ui_draw_text(y++, x, w, terms, A_NORMAL, false);
    }
    return y;
}

/* Rows the status lines under the form take: the total (or the selling / not-confirmed notice). */
static int status_rows(const ui_app *app)
{
    return ui_sale_unconfirmed_here(app) && !selling(app) ? 2 : 1;
}

static void draw(ui_app *app, const ui_rect *a)
{
    buy_state *bs = st(app);
    const bo_concert *c = &app->current;
    int w = a->w - 4 > 100 ? 100 : a->w - 4;
    int bottom = a->y + a->h - 1; /* the box's lower border: nothing is drawn on it */
    ui_draw_box(app, a->y, 1, a->h, w + 2, "Sell tickets");
    char line[2400];
    int x = 3, y = draw_header(app, a->y + 1, x, w - 2, bottom);
    if (bottom - y > 10)
        y++; /* a blank row when there is room for it */
    if (bs->confirm && !selling(app) && !ui_sale_unconfirmed_here(app)) {
        draw_review(app, bs, y, x, w - 2, bottom);
        return;
    }
    /* the fields in the rows left, scrolled so that the focused one shows */
    int below = status_rows(app) + (bs->operator_form ? 0 : 1);
    int rows = ui_form_rows_fit(&bs->form, bottom - y - below);
    ui_form_draw_rows(app, &bs->form, y, x, w - 2, rows);
    int first = ui_form_first_shown(&bs->form, rows);
    int pay_row = bs->operator_form ? ui_form_field_row(&bs->form, rows, F_PAY) : -1;
    if (pay_row >= 0 && bs->form.f[F_PAY].value[0] != '\0' && w - 2 - 24 > 10) /* the choices beside the payment */
        ui_draw_text(y + pay_row, x + 16 + 8, w - 2 - 24, "cash \xc2\xb7 card \xc2\xb7 comp  (+/-/Space)",
                     ui_attr(app, UI_A_DIM), false);
    y += rows;
    if (!bs->operator_form && y < bottom)
        ui_draw_field_line(app, y++, x, w - 2, "Payment", "card");
    if (y >= bottom)
        y = bottom - 1;
    int y2 = y + 1 < bottom ? y + 1 : y;
    if (selling(app)) {
        ui_draw_text(y, x, w - 2, ui_sale_unconfirmed_here(app) ? "Checking the sale\xe2\x80\xa6 please wait."
                     : "Selling\xe2\x80\xa6 please wait.", ui_attr(app, UI_A_TITLE), false);
    } else if (ui_sale_unconfirmed_here(app)) {
        ui_draw_text(y, x, w - 2, "Sale not confirmed \xe2\x80\x94 the tickets may have been sold.",
                     ui_attr(app, UI_A_ERROR), false);
        ui_draw_text(y2, x, w - 2, "Press Enter to check (same request, never a second sale), Esc to leave",
                     ui_attr(app, UI_A_KEY), false);
    } else {
        char total[64];
        model_money_with_currency(total_of(app, bs), c->currency, total, sizeof total);
        const char *more = first + (rows / 2 > 0 ? rows / 2 : 1) < bs->form.n ? " \xc2\xb7 more fields below" : "";
        snprintf(line, sizeof line, "Total %s \xc2\xb7 %s%s", total,
                 bs->form.focus == bs->form.n - 1 ? "Enter: review" : "Enter: next field", more);
        ui_draw_text(y, x, w - 2, line, ui_attr(app, UI_A_DIM), false);
    }
}

/* The bar's Enter on the form: the next field, or the review from the last one. */
static const char *bar_name(const ui_app *app, ui_action a)
{
    const buy_state *bs = st(app);
    if (a != UI_ACT_OPEN || bs == NULL || bs->confirm || selling(app))
        return NULL;
    if (ui_sale_unconfirmed_here(app))
        return "check the sale";
    return bs->form.focus == bs->form.n - 1 ? "review" : "next field";
}

/* Two orders are the same request when everything but the key is. */
static bool same_order(const net_order_req *a, const net_order_req *b)
{
    return strcmp(a->concert_id, b->concert_id) == 0 && a->quantity == b->quantity && strcmp(a->name, b->name) == 0
           && strcmp(a->email, b->email) == 0 && strcmp(a->attendees, b->attendees) == 0 && a->pay == b->pay
           && a->tendered_cents == b->tendered_cents && a->operator_route == b->operator_route
           && strcmp(a->shift_id, b->shift_id) == 0 && strcmp(a->terminal, b->terminal) == 0;
}

/* The form's order. One name for several tickets: that name on every ticket. */
static void order_of(const ui_app *app, const buy_state *bs, net_order_req *o)
{
    memset(o, 0, sizeof *o);
    o->quantity = qty_of(bs);
    o->pay = pay_of(bs);
    o->tendered_cents = tendered_of(bs);
    o->operator_route = bs->operator_form;
    if (o->operator_route) /* the sale is made in the operator's open shift, when the server said one is */
        ui_shift_stamp(app, o->shift_id, o->terminal);
    snprintf(o->concert_id, sizeof o->concert_id, "%s", app->current.id);
    snprintf(o->name, sizeof o->name, "%s", bs->form.f[F_NAME].value);
    snprintf(o->email, sizeof o->email, "%s", bs->form.f[F_EMAIL].value);
    snprintf(o->attendees, sizeof o->attendees, "%s", bs->form.f[F_NAMES].value);
    const char *list[BO_ORDER_TICKETS_MAX];
    char tmp[UI_FIELD_MAX];
    snprintf(tmp, sizeof tmp, "%s", o->attendees);
    if (model_names_split(tmp, list, BO_ORDER_TICKETS_MAX) == 1 && o->quantity > 1) {
        size_t n = 0;
        for (int64_t i = 0; i < o->quantity && n < sizeof o->attendees; i++)
            n += (size_t)snprintf(o->attendees + n, sizeof o->attendees - n, "%s%s", i > 0 ? "," : "", list[0]);
    }
    memset(tmp, 0, sizeof tmp);
}

/* Sends the form's order. The kept sale's Idempotency-Key goes with it when it is the same order: a
 * check or a re-sent order can then only ever give back the same order. The job carries the sale's own
 * request. */
static void submit(ui_app *app)
{
    buy_state *bs = st(app);
    ui_sale *s = &bs->sale;
    net_job job;
    memset(&job, 0, sizeof job);
    order_of(app, bs, &job.req.order);
    if (s->order.idem_key[0] == '\0' || !same_order(&s->order, &job.req.order)) {
        sale_clear(s);
        s->order = job.req.order;
        snprintf(s->concert_name, sizeof s->concert_name, "%s", app->current.name ? app->current.name : "");
        s->past = client_time_past(app->current.date, time(NULL)) == 1;
        api_idempotency_key_new(s->order.idem_key);
    }
    job.kind = NET_JOB_ORDER;
    job.req.order = s->order;
    if (!ui_submit_busy(app, &ui_screen_buy, &job,
                        s->unconfirmed ? "Checking the sale\xe2\x80\xa6" : "Selling\xe2\x80\xa6"))
        ui_message(app, true, "Busy \xe2\x80\x94 try again in a moment");
    memset(&job, 0, sizeof job);
}

/* The whole order checked before the review: quantity within the limits, no names, one for all or one
 * per ticket, enough cash. Returns the field to fix (focus and message set), or -1. */
static int check_order(ui_app *app, buy_state *bs)
{
    int64_t q = qty_of(bs), lim = qty_limit(&app->current);
    char buf[UI_FIELD_MAX];
    const char *names[BO_ORDER_TICKETS_MAX];
    if (app->current.seats_left <= 0) {
        ui_message(app, true, "Sold out \xe2\x80\x94 no tickets left");
        return F_QTY;
    }
    if (q > lim) {
        ui_message(app, true, "At most %lld ticket%s in one order here", (long long)lim, lim == 1 ? "" : "s");
        return F_QTY;
    }
    snprintf(buf, sizeof buf, "%s", bs->form.f[F_NAMES].value);
    size_t n = model_names_split(buf, names, BO_ORDER_TICKETS_MAX);
    if (n > 1 && bo_valid_attendee_count(n, q) != NULL) {
        ui_message(app, true, "%s", check_names(bs->form.f[F_NAMES].value, app));
        return F_NAMES;
    }
    int64_t tendered = tendered_of(bs);
    if (tendered >= 0 && tendered < total_of(app, bs)) {
        char total[64];
        model_money_with_currency(total_of(app, bs), app->current.currency, total, sizeof total);
        ui_message(app, true, "Not enough cash: the total is %s", total);
        return F_TENDERED;
    }
    return -1;
}

/* The form's own keys: + and - on the quantity, + - Space (or typing over a whole word) on the payment. */
static bool own_key(ui_app *app, buy_state *bs, int k)
{
    ui_field *f = &bs->form.f[bs->form.focus];
    if (bs->form.focus == F_QTY && (k == '+' || k == '-')) {
        int64_t q = qty_of(bs) + (k == '+' ? 1 : -1), lim = qty_limit(&app->current);
        if (q > lim) {
            q = lim > 0 ? lim : 1;
            ui_message(app, false, "At most %lld ticket%s in one order here", (long long)q, q == 1 ? "" : "s");
        }
        if (q < 1)
            q = 1;
        snprintf(f->value, sizeof f->value, "%lld", (long long)q);
        return true;
    }
    if (bs->form.focus == F_QTY && ui_key_is_text(k) && (k < '0' || k > '9')) {
        ui_message(app, true, "Quantity takes digits (+ and - change it); Tab goes to the customer's name");
        return true; /* not typed: a name never lands in the quantity */
    }
    if (bs->operator_form && bs->form.focus == F_PAY) {
        static const char *const cycle[] = { "cash", "card", "comp" };
        if (k == '+' || k == '-' || k == ' ') {
            int i = 0;
            while (i < 3 && strcmp(f->value, cycle[i]) != 0)
                i++;
            i = i == 3 ? 0 : (i + (k == '-' ? 2 : 1)) % 3;
            snprintf(f->value, sizeof f->value, "%s", cycle[i]);
            return true;
        }
        if (ui_key_is_text(k) && bo_pay_method_parse(f->value) != BO_PAY_NONE)
            f->value[0] = '\0'; /* typing over a whole word starts a new one */
    }
    return false;
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
    if (ui_sale_unconfirmed_here(app)) {
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
    if (act == UI_ACT_NONE && own_key(app, bs, k))
        return UI_HANDLED | UI_REDRAW;
    if (act == UI_ACT_BACK && !has_input(bs)) { /* nothing typed but the default payment */
        ui_pop(app);
        return UI_HANDLED | UI_REDRAW;
    }
    bool forward = act == UI_ACT_NEXT_FIELD || act == UI_ACT_DOWN
                   || (act == UI_ACT_OPEN && bs->form.focus < bs->form.n - 1);
    if (forward && !ui_form_may_leave(&bs->form)) { /* a bad value is not left behind */
        ui_message(app, true, "%s", ui_form_error(&bs->form, bs->form.focus));
        return UI_HANDLED | UI_REDRAW;
    }
    bool complete;
    int flags = ui_form_screen_key(app, &bs->form, act, k, &complete);
    if (complete) {
        int bad = check_order(app, bs);
        if (bad >= 0)
            bs->form.focus = bad;
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
    ui_sale *s = &bs->sale;
    if (r->status == API_OK) {
        sale_clear(s); /* a definite answer: the key has done its job */
        ui_pop_to_list(app); /* leaves the form: the customer's input is wiped */
        ui_receipt_open(app, &r->out.order, &app->current);
        ui_catalogue_refresh(app); /* seats left changed */
        return UI_REDRAW;
    }
    bs->confirm = false;
    if (r->res.http_status == 401) {
        /* refused at the gateway, before the function: not an answer about the sale. It stays as it was (an
         * unconfirmed one keeps its key and its re-send command) while the operator signs in again */
        ui_message(app, true, "Not signed in â sign in, then Enter %s",
                    s->unconfirmed ? "checks the unconfirmed sale (same key)" : "sends the sale");
        return UI_REDRAW;
    }
    bo_text_sanitize(m, sizeof m, r->res.message[0] ? r->res.message : api_status_message(r->status));
    bool refused = r->status == API_ERR_SOLD_OUT || r->status == API_ERR_NOT_FOUND || r->status == API_ERR_INVALID
                   || r->status == API_ERR_FORBIDDEN;
    if (!refused && (r->res.unconfirmed || s->unconfirmed)) {
        /* the outcome is unknown (also when a check could not reach the server): keep the key */
        s->unconfirmed = true;
        ui_message(app, true, "Sale not confirmed: %s \xe2\x80\x94 the tickets may have been sold",
                   no_answer_reason(r, why, sizeof why));
        ui_catalogue_refresh(app);
        return UI_REDRAW;
    }
    sale_clear(s); /* a definite answer, or nothing reached the server */
    switch (r->status) {
    case API_ERR_SOLD_OUT:
        app->current.seats_left = 0;
        ui_message(app, true, "Sold out \xe2\x80\x94 the last tickets went to someone else");
        ui_catalogue_refresh(app);
        break;
    case API_ERR_NOT_FOUND:
        ui_message(app, true, "Concert no longer exists");
        ui_catalogue_refresh(app);
        break;
    case API_ERR_INVALID:
        ui_message(app, true, "Not sold: %s (HTTP %ld)", m, r->res.http_status);
        if (r->res.http_status == 409 && pay_of(bs) == BO_PAY_CASH && strstr(m, "shift") != NULL) {
            /* a cash sale needs an open shift (or the one sent is no longer open): the server's word, and the
             * offer to open one; what the sale screen knows of the shift is asked again */
            ui_shift_refresh(app);
            ui_prompt_open(app, UI_PROMPT_SHIFT);
            break;
        }
        ui_catalogue_refresh(app); /* "Only N tickets left": the seats left changed */
        break;
    case API_ERR_FORBIDDEN:
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

static bool unsettled(const ui_app *app)
{
    return ui_sale_unconfirmed(app) != NULL;
}

/* At exit: a sale left unconfirmed (or still in flight at quit) is not lost; the operator gets the command
 * that re-sends it with the same Idempotency-Key and so learns its outcome. */
static void at_exit(const ui_app *app, FILE *err)
{
    const buy_state *bs = st(app);
    if (bs == NULL || bs->sale.order.idem_key[0] == '\0' || !(bs->sale.unconfirmed || selling(app)))
        return;
    const net_order_req *s = &bs->sale.order;
    char cmd[CMDLINE_MAX], qty[24], tendered[32], names[NET_TEXT_MAX];
    cmdline_order o = { .concert_id = s->concert_id, .quantity = qty, .name = s->name[0] != '\0' ? s->name : NULL,
                        .email = s->email[0] != '\0' ? s->email : NULL,
                        .pay = s->pay != BO_PAY_NONE ? bo_pay_method_name(s->pay) : NULL,
                        .past = bs->sale.past, .shift_id = s->shift_id[0] != '\0' ? s->shift_id : NULL,
                        .terminal = s->terminal };
    const char *list[BO_ORDER_TICKETS_MAX];
    snprintf(qty, sizeof qty, "%lld", (long long)s->quantity);
    memcpy(names, s->attendees, sizeof names);
    o.n_attendees = model_names_split(names, list, BO_ORDER_TICKETS_MAX);
    o.attendees = list;
    if (s->tendered_cents >= 0) {
        snprintf(tendered, sizeof tendered, "%lld.%02lld", (long long)(s->tendered_cents / 100),
                 (long long)(s->tendered_cents % 100));
        o.tendered = tendered;
    }
    fprintf(err, "boxoffice: the order of %lld ticket(s) for %s is NOT CONFIRMED: it may have been sold.\n",
            (long long)s->quantity, bs->sale.concert_name);
    if (cmdline_order_command(cmd, sizeof cmd, app->opts->api.base_url, &o, s->idem_key))
        fprintf(err, "boxoffice: to check it (the same request: it never sells twice), run:\n  %s\n", cmd);
    memset(names, 0, sizeof names);
    memset(cmd, 0, sizeof cmd);
}

const ui_screen_ops ui_screen_buy = {
    .title = "Sell tickets",
    .bar = bar_edit,
    .bar_for = bar_for,
    .bar_name = bar_name,
    .private_size = sizeof(buy_state),
    .init = init,
    .wipe = wipe,
    .enter = enter,
    .draw = draw,
    .key = key,
    .leave = leave,
    .typing = typing,
    .unsaved = unsaved,
    .unsettled = unsettled,
    .at_exit = at_exit,
    .result = result,
    .min_cols = UI_SMALL_COLS,
    .min_rows = UI_SMALL_ROWS,
};
