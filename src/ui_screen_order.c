/* The order screen (operators; from Find): the order, its payment and each ticket's state — valid,
 * admitted at HH:MM:SS at door X (the venue's zone), refunded. Space selects tickets; R refunds the selected
 * ones (none selected: every valid one) after a confirmation that shows the amount, the payment method the
 * money goes back by (Tab changes it) and asks for a reason. The refund's Idempotency-Key is kept until its
 * outcome is known: a refund that got no definite answer is "not confirmed", and R then re-sends the very
 * same request (the server refunds once per key). After a refund the tickets' new states are shown and the
 * concert's seats left go up at once in the list. U on an admitted ticket undoes its check-in (an operator's
 * correction) after a confirmation that names the ticket, its time and its door; the ticket shows valid
 * again and the order's admitted count drops. Customer data is wiped when the screen closes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bo_money.h"
#include "bo_text.h"
#include "bo_valid.h"
#include "client_time.h"
#include "ui_app.h"
#include "ui_curses.h"
#include "ui_screens.h"
#include "ui_text.h"

#define REASON_MAX 256

static const ui_action bar[] = { UI_ACT_SELECT, UI_ACT_REFUND, UI_ACT_UNDO_CHECKIN, UI_ACT_BACK, UI_ACT_REFRESH,
                                 UI_ACT_HELP, UI_ACT_NONE };
/* while the reason is typed letters are text: Enter refunds, Tab changes the method, Backspace erases (Esc
 * cancels, as the question says) */
static const ui_action bar_reason[] = { UI_ACT_OPEN, UI_ACT_NEXT_FIELD, UI_ACT_ERASE, UI_ACT_NONE };
static const ui_action bar_undo[] = { UI_ACT_YES, UI_ACT_BACK, UI_ACT_NONE };

/* The refund last sent, kept with its key until its outcome is known (a changed order or a 4xx). */
typedef struct refund_pending {
    net_refund_req req;                /* what was sent, with its key (req.idem_key "" = none) */
    size_t n;
    int64_t amount_cents;
    bool unconfirmed;                  /* sent, no definite answer: the refund may have been made */
} refund_pending;

typedef struct order_state {
    char id[BO_ID_MAX + 1];            /* the order shown */
    char mark[BO_ID_MAX + 1];          /* the ticket a scanned code named ("" = none) */
    bo_order order;                    /* owned; customer data */
    bool have;
    unsigned long load_seq;            /* GET /orders/{id} in flight (0: none) */
    char error[320];                   /* why the order is not shown */
    bool picked[BO_ORDER_TICKETS_MAX];
    size_t sel, top;
    int rows;
    bool confirming;                   /* the refund question is open */
    char reason[REASON_MAX];
    bo_pay_method method;              /* the method in the question */
    bool leave_warned;                 /* Esc once more leaves an unconfirmed refund behind */
    refund_pending refund;
    bool undo_confirming;              /* the undo question is open for ... */
    char undo_id[BO_ID_MAX + 1];       /* ... this ticket (also: the undo in flight) */
} order_state;

static order_state *st(const ui_app *app)
{
    return ui_screen_state(app, &ui_screen_order);
}

static void forget_order(order_state *os)
{
    bo_order_clear(&os->order);
    os->have = false;
    memset(os->picked, 0, sizeof os->picked);
    memset(os->reason, 0, sizeof os->reason);
    os->confirming = false;
    os->undo_confirming = false;
    os->undo_id[0] = '\0';
    os->sel = os->top = 0;
    os->error[0] = '\0';
    os->load_seq = 0;
    os->leave_warned = false;
}

static bool wipe(ui_app *app, void *state)
{
    (void)app;
    order_state *os = state;
    forget_order(os);
    memset(&os->refund, 0, sizeof os->refund);
    os->id[0] = os->mark[0] = '\0';
    return false;
}

static void leave(ui_app *app)
{
    forget_order(st(app)); /* an unconfirmed refund stays: reopening the order shows it */
}

static void load(ui_app *app, order_state *os)
{
    net_job job;
    memset(&job, 0, sizeof job);
    job.kind = NET_JOB_GET_ORDER;
    snprintf(job.req.order_id, sizeof job.req.order_id, "%s", os->id);
    os->load_seq = ui_submit_for(app, &ui_screen_order, &job);
    if (os->load_seq == 0)
        snprintf(os->error, sizeof os->error, "Busy \xe2\x80\x94 press r to load the order again");
}

void ui_order_open(ui_app *app, const char *order_id, const char *ticket_id)
{
    if (!ui_push(app, &ui_screen_order))
        return; /* ui_push said why */
    order_state *os = st(app);
    forget_order(os);
    snprintf(os->id, sizeof os->id, "%s", order_id);
    snprintf(os->mark, sizeof os->mark, "%s", ticket_id != NULL ? ticket_id : "");
    load(app, os);
}

static bool is_valid(const bo_order_ticket *t)
{
    return strcmp(t->status, "valid") == 0;
}

/* The tickets a refund would take now: the selected ones, else every valid one. Their ids go to ids
 * (',' between, "" when none is selected: the server takes every valid one). Returns how many. */
static size_t refund_targets(const order_state *os, char *ids, size_t cap)
{
    size_t n = 0, picked = 0, len = 0;
    ids[0] = '\0';
    for (size_t i = 0; i < os->order.n_tickets; i++)
        if (os->picked[i])
            picked++;
    for (size_t i = 0; i < os->order.n_tickets; i++) {
        if (picked > 0 ? !os->picked[i] : !is_valid(&os->order.tickets[i]))
            continue;
        n++;
        if (picked > 0) {
            int w = snprintf(ids + len, cap - len, "%s%s", len > 0 ? "," : "", os->order.tickets[i].id);
            if (w > 0 && (size_t)w < cap - len)
                len += (size_t)w;
        }
    }
    return n;
}

/* Money back for n tickets: the unit price each (nothing for a comp order), as the server reckons it. */
static int64_t refund_amount(const bo_order *o, size_t n)
{
    if (o->method == BO_PAY_COMP)
        return 0;
    int64_t unit = o->unit_price_cents >= 0 ? o->unit_price_cents
                   : o->quantity > 0 ? o->total_cents / o->quantity : 0;
    return unit * (int64_t)n;
}

/* "valid", "admitted at 20:14:03 CET at door 2", "refunded" ... With short set, an admitted ticket's state
 * in fewer columns for a narrow state column: "admitted 20:14:03 at door 2" (no zone, no "at"). */
static void ticket_state(const bo_order_ticket *t, const char *tz, bool short_form, char *out, size_t cap)
{
    char when[64];
    if (strcmp(t->status, "checkedIn") == 0) {
        if (t->checked_in_at[0] == '\0' ||
            client_time_strftime(t->checked_in_at, tz, short_form ? "%H:%M:%S" : "%H:%M:%S %Z", when, sizeof when) != 0)
            snprintf(when, sizeof when, "?");
        snprintf(out, cap, "admitted %s%s%s%s", short_form ? "" : "at ", when,
                 t->door[0] != '\0' ? " at door " : "", t->door);
    } else if (strcmp(t->status, "refunded") == 0) {
        snprintf(out, cap, "refunded");
    } else {
        snprintf(out, cap, "%s", t->status[0] != '\0' ? t->status : "?");
    }
}

static void draw_confirm(ui_app *app, order_state *os, int y, int x, int w)
{
    char ids[NET_TEXT_MAX], money[64], line[600];
    size_t n = refund_targets(os, ids, sizeof ids);
    model_money_with_currency(refund_amount(&os->order, n), os->order.currency, money, sizeof money);
    ui_draw_box(app, y, x, 6, w, "Refund");
    snprintf(line, sizeof line, "Refund %zu ticket%s: %s back by %s", n, n == 1 ? "" : "s", money,
             bo_pay_method_name(os->method));
    ui_draw_text(y + 1, x + 2, w - 4, line, ui_attr(app, UI_A_TITLE), false);
    snprintf(line, sizeof line, "Reason: %s_", os->reason);
    ui_draw_text(y + 2, x + 2, w - 4, line, ui_attr(app, UI_A_FIELD), false);
    ui_draw_text(y + 4, x + 2, w - 4, "Enter refunds \xc2\xb7 Tab changes the method \xc2\xb7 Esc cancels",
                 ui_attr(app, UI_A_DIM), false);
}

/* The index of ticket id in the order shown, or n_tickets when it is not there. */
static size_t ticket_index(const order_state *os, const char *id)
{
    size_t i = 0;
    while (i < os->order.n_tickets && strcmp(os->order.tickets[i].id, id) != 0)
        i++;
    return i;
}

static void draw_undo_confirm(ui_app *app, order_state *os, const char *tz, int y, int x, int w)
{
    char line[600], code[BO_CODE_MAX * 2], state[160];
    size_t i = ticket_index(os, os->undo_id);
    if (i >= os->order.n_tickets)
        return;
    const bo_order_ticket *t = &os->order.tickets[i];
    model_code_grouped(t->code, code, sizeof code);
    ticket_state(t, tz, false, state, sizeof state);
    ui_draw_box(app, y, x, 6, w, "Undo check-in");
    snprintf(line, sizeof line, "Undo the check-in of ticket %zu %s%s%s?", i + 1, code,
             t->attendee != NULL ? " \xc2\xb7 " : "", t->attendee != NULL ? t->attendee : "");
    ui_draw_text(y + 1, x + 2, w - 4, line, ui_attr(app, UI_A_TITLE), false);
    snprintf(line, sizeof line, "It was %s", state);
    ui_draw_text(y + 2, x + 2, w - 4, line, ui_attr(app, UI_A_FIELD), false);
    ui_draw_text(y + 3, x + 2, w - 4, "It becomes valid again: the door admits it once more", ui_attr(app, UI_A_FIELD),
                 false);
    ui_draw_text(y + 4, x + 2, w - 4, "y/Enter undoes it \xc2\xb7 Esc/n keeps the check-in", ui_attr(app, UI_A_DIM), false);
}

static void draw(ui_app *app, const ui_rect *a)
{
    order_state *os = st(app);
    int w = a->w - 2, x = 2, y = a->y + 1;
    char line[700], m1[64], m2[64], when[64], code[BO_CODE_MAX * 2], state[160];
    ui_draw_box(app, a->y, 0, a->h, a->w, "Order");
    if (!os->have) {
        ui_draw_text(y, x, w - 2, os->error[0] != '\0' ? os->error : "Loading the order\xe2\x80\xa6",
                     ui_attr(app, os->error[0] != '\0' ? UI_A_ERROR : UI_A_DIM), false);
        return;
    }
    const bo_order *o = &os->order;
    const bo_concert *c = ui_catalogue_find(&app->cat, o->concert_id);
    const char *tz = c != NULL ? c->timezone : NULL;
    ui_draw_field_line(app, y++, x, w - 2, "Order", o->id);
    snprintf(line, sizeof line, "%s%s%s%s", o->customer_name != NULL ? o->customer_name : "(walk-up)",
             o->customer_email != NULL ? " <" : "", o->customer_email != NULL ? o->customer_email : "",
             o->customer_email != NULL ? ">" : "");
    ui_draw_field_line(app, y++, x, w - 2, "Customer", line);
    if (c != NULL) {
        client_time_format(c->date, c->timezone, when, sizeof when);
        snprintf(line, sizeof line, "%s \xc2\xb7 %s", c->name != NULL ? c->name : "", when);
    } else {
        snprintf(line, sizeof line, "%s", o->concert_id);
    }
    ui_draw_field_line(app, y++, x, w - 2, "Concert", line);
    model_money_with_currency(o->total_cents, o->currency, m1, sizeof m1);
    if (o->unit_price_cents >= 0) {
        model_money_with_currency(o->unit_price_cents, o->currency, m2, sizeof m2);
        snprintf(line, sizeof line, "%lld \xc3\x97 %s = %s, %s", (long long)o->quantity, m2, m1,
                 o->method != BO_PAY_NONE ? bo_pay_method_name(o->method) : "?");
    } else {
        snprintf(line, sizeof line, "%s, %s", m1, o->method != BO_PAY_NONE ? bo_pay_method_name(o->method) : "?");
    }
    ui_draw_field_line(app, y++, x, w - 2, "Payment", line);
    if (o->n_refunds > 0) {
        model_money_with_currency(o->refunded_cents, o->currency, m1, sizeof m1);
        snprintf(line, sizeof line, "%s (%zu refund%s)", m1, o->n_refunds, o->n_refunds == 1 ? "" : "s");
        ui_draw_field_line(app, y++, x, w - 2, "Refunded", line);
    }
    if (o->n_tickets > 0) {
        int64_t admitted = o->admitted;
        if (admitted < 0) { /* the API leaves it out while it is 0: the tickets tell */
            admitted = 0;
            for (size_t i = 0; i < o->n_tickets; i++)
                admitted += strcmp(o->tickets[i].status, "checkedIn") == 0;
        }
        size_t refunded = 0; /* a refunded ticket is no longer one to admit */
        for (size_t i = 0; i < o->n_tickets; i++)
            refunded += strcmp(o->tickets[i].status, "refunded") == 0;
        int len = snprintf(line, sizeof line, "%lld of %zu", (long long)admitted, o->n_tickets - refunded);
        if (refunded > 0 && len > 0 && (size_t)len < sizeof line)
            snprintf(line + len, sizeof line - (size_t)len, " (%zu refunded)", refunded);
        ui_draw_field_line(app, y++, x, w - 2, "Admitted", line);
    }
    if (os->refund.unconfirmed && strcmp(os->refund.req.order_id, o->id) == 0)
        ui_draw_text(y++, x, w - 2, "Refund NOT CONFIRMED \xe2\x80\x94 press R to check it (same key: never refunds twice)",
                     ui_attr(app, UI_A_ERROR), false);
    y++;
    int confirm_h = os->confirming ? 6 : os->undo_confirming ? 6 : 0;
    int rows = a->y + a->h - 1 - y - confirm_h;
    if (rows < 1)
        rows = 1;
    os->rows = rows;
    ui_scroll_fix(o->n_tickets, (size_t)rows, &os->sel, &os->top);
    /* The state column: at least STATE_W, wider when a state needs it (the door of an admitted ticket) and
     * the row has room left after the code and the widest name on the tickets; a state that still does not
     * fit takes its short form. */
    enum { STATE_W = 34, CODE_PART = 35 /* ">[x] nn  CODE  " */, NAME_MAX_W = 16 };
    int need = STATE_W, names = 0;
    for (size_t i = 0; i < o->n_tickets; i++) {
        const bo_order_ticket *t = &o->tickets[i];
        ticket_state(t, tz, false, state, sizeof state);
        int sw_i = ui_text_width(state) + 2; /* + " ◂" */
        need = sw_i > need ? sw_i : need;
        int nw = t->attendee != NULL ? ui_text_width(t->attendee) : 0;
        names = nw > names ? nw : names;
    }
    if (names > NAME_MAX_W)
        names = NAME_MAX_W;
    int room = w - 1 - CODE_PART - names;
    int sw = need < room ? need : room;
    if (sw < STATE_W)
        sw = STATE_W;
    for (int r = 0; r < rows && os->top + (size_t)r < o->n_tickets; r++) {
        size_t i = os->top + (size_t)r;
        const bo_order_ticket *t = &o->tickets[i];
        bool sel = i == os->sel;
        int base = sel ? ui_attr(app, UI_A_SELECTED) : 0;
        model_code_grouped(t->code, code, sizeof code);
        bool marked = os->mark[0] != '\0' && strcmp(os->mark, t->id) == 0;
        ticket_state(t, tz, false, state, sizeof state);
        if (ui_text_width(state) + (marked ? 2 : 0) > sw)
            ticket_state(t, tz, true, state, sizeof state);
        snprintf(line, sizeof line, "%s[%s] %2zu  %s  %s", sel ? ">" : " ", os->picked[i] ? "x" : " ", i + 1, code,
                 t->attendee != NULL ? t->attendee : "");
        ui_draw_text(y + r, x - 1, w - sw - 1, line, base, false);
        int sattr = sel ? base : strcmp(t->status, "refunded") == 0 ? ui_attr(app, UI_A_SOLDOUT)
                               : strcmp(t->status, "checkedIn") == 0 ? ui_attr(app, UI_A_DIM) : ui_attr(app, UI_A_OK);
        snprintf(line, sizeof line, "%s%s", state, marked ? " \xe2\x97\x82" : "");
        ui_draw_text(y + r, x + w - sw - 1, sw, line, sattr, false);
    }
    if (os->confirming)
        draw_confirm(app, os, a->y + a->h - 1 - confirm_h, 2, a->w - 4 > 76 ? 76 : a->w - 4);
    if (os->undo_confirming)
        draw_undo_confirm(app, os, tz, a->y + a->h - 1 - confirm_h, 2, a->w - 4 > 76 ? 76 : a->w - 4);
}

static bool operator_desk(const ui_app *app)
{
    return !app->opts->kiosk && api_config_operator(&app->opts->api);
}

/* The bar offers the keys that act now: Space on a valid (or selected) ticket, R while a ticket is valid or a
 * refund waits to be checked, U on an admitted ticket; the questions have their own. */
static const ui_action *bar_for(const ui_app *app)
{
    static ui_action now[sizeof bar / sizeof bar[0]];
    const order_state *os = st(app);
    if (os == NULL)
        return bar;
    if (os->confirming)
        return bar_reason;
    if (os->undo_confirming)
        return bar_undo;
    size_t n = 0, valid = 0;
    const bo_order_ticket *t = os->have && os->sel < os->order.n_tickets ? &os->order.tickets[os->sel] : NULL;
    for (size_t i = 0; os->have && i < os->order.n_tickets; i++)
        valid += is_valid(&os->order.tickets[i]);
    if (t != NULL && (is_valid(t) || os->picked[os->sel]))
        now[n++] = UI_ACT_SELECT;
    if (valid > 0 || (os->refund.unconfirmed && strcmp(os->refund.req.order_id, os->id) == 0))
        now[n++] = UI_ACT_REFUND;
    if (t != NULL && strcmp(t->status, "checkedIn") == 0 && operator_desk(app))
        now[n++] = UI_ACT_UNDO_CHECKIN;
    now[n++] = UI_ACT_BACK;
    now[n++] = UI_ACT_REFRESH;
    now[n++] = UI_ACT_HELP;
    now[n] = UI_ACT_NONE;
    return now;
}

static bool typing(const ui_app *app)
{
    return st(app)->confirming;
}

static bool unsaved(const ui_app *app)
{
    const order_state *os = st(app);
    return os->refund.unconfirmed || (os->confirming && os->reason[0] != '\0');
}

static void send_refund(ui_app *app, order_state *os)
{
    net_job job;
    memset(&job, 0, sizeof job);
    job.kind = NET_JOB_REFUND;
    job.req.refund = os->refund.req;
    if (!ui_submit_busy(app, &ui_screen_order, &job, "Refunding\xe2\x80\xa6"))
        ui_message(app, true, "Busy \xe2\x80\x94 try again in a moment");
    memset(&job, 0, sizeof job);
}

/* Enter in the question: the refund is sent with a key kept until its outcome is known. */
static int confirm(ui_app *app, order_state *os)
{
    char ids[NET_TEXT_MAX], reason[REASON_MAX];
    const char *bad = bo_valid_text("reason", os->reason);
    if (bad != NULL) {
        ui_message(app, true, "A reason is required: %s", bad);
        return UI_HANDLED | UI_REDRAW;
    }
    size_t n = refund_targets(os, ids, sizeof ids);
    if (n == 0) {
        os->confirming = false;
        ui_message(app, true, "No valid ticket to refund");
        return UI_HANDLED | UI_REDRAW;
    }
    char *trimmed = bo_text_trim_dup(os->reason);
    snprintf(reason, sizeof reason, "%s", trimmed != NULL ? trimmed : os->reason);
    free(trimmed);
    refund_pending *p = &os->refund;
    memset(p, 0, sizeof *p);
    api_idempotency_key_new(p->req.idem_key);
    snprintf(p->req.order_id, sizeof p->req.order_id, "%s", os->order.id);
    snprintf(p->req.ticket_ids, sizeof p->req.ticket_ids, "%s", ids);
    snprintf(p->req.reason, sizeof p->req.reason, "%s", reason);
    p->req.method = os->method;
    p->n = n;
    p->amount_cents = refund_amount(&os->order, n);
    os->confirming = false;
    memset(os->reason, 0, sizeof os->reason);
    send_refund(app, os);
    return UI_HANDLED | UI_REDRAW;
}

static int confirm_key(ui_app *app, order_state *os, ui_action act, int k)
{
    if (act == UI_ACT_NONE && ui_key_is_text(k)) {
        ui_text_append(os->reason, sizeof os->reason, (uint32_t)k);
        return UI_HANDLED | UI_REDRAW;
    }
    switch (act) {
    case UI_ACT_ERASE:
        ui_text_erase_last(os->reason);
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_NEXT_FIELD:
    case UI_ACT_PREV_FIELD:
        os->method = os->method == BO_PAY_CASH ? BO_PAY_CARD : os->method == BO_PAY_CARD ? BO_PAY_COMP : BO_PAY_CASH;
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_OPEN:
        return confirm(app, os);
    case UI_ACT_BACK:
        os->confirming = false;
        memset(os->reason, 0, sizeof os->reason);
        ui_message(app, false, "Nothing refunded");
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_QUIT:
    case UI_ACT_HELP:
    case UI_ACT_REDRAW:
        return UI_UNHANDLED;
    default:
        return UI_HANDLED;
    }
}

static int refund_key(ui_app *app, order_state *os)
{
    char ids[NET_TEXT_MAX];
    if (app->busy_seq != 0)
        return UI_HANDLED;
    if (os->refund.unconfirmed) {
        if (strcmp(os->refund.req.order_id, os->id) != 0) {
            ui_message(app, true, "A refund of order %s is not confirmed \xe2\x80\x94 open it and press R to check it",
                       os->refund.req.order_id);
            return UI_HANDLED | UI_REDRAW;
        }
        send_refund(app, os); /* the check: the very same request and key */
        return UI_HANDLED | UI_REDRAW;
    }
    if (!os->have)
        return UI_HANDLED;
    if (refund_targets(os, ids, sizeof ids) == 0) {
        ui_message(app, true, "No valid ticket to refund");
        return UI_HANDLED | UI_REDRAW;
    }
    os->confirming = true;
    os->method = os->order.method != BO_PAY_NONE ? os->order.method : BO_PAY_CARD;
    memset(os->reason, 0, sizeof os->reason);
    return UI_HANDLED | UI_REDRAW;
}

/* U: the question for the selected ticket, when it is admitted (operators only; never on a kiosk). */
static int undo_key(ui_app *app, order_state *os)
{
    if (app->busy_seq != 0 || !os->have || os->sel >= os->order.n_tickets)
        return UI_HANDLED;
    if (app->opts->kiosk) {
        ui_message(app, true, "Not available in kiosk mode");
        return UI_HANDLED | UI_REDRAW;
    }
    if (!api_config_operator(&app->opts->api)) {
        ui_message(app, true, "Not allowed: sign in as an operator");
        return UI_HANDLED | UI_REDRAW;
    }
    const bo_order_ticket *t = &os->order.tickets[os->sel];
    if (strcmp(t->status, "checkedIn") != 0) {
        ui_message(app, true, "Ticket %zu is %s: only an admitted ticket's check-in can be undone", os->sel + 1,
                   t->status[0] != '\0' ? t->status : "in an unknown state");
        return UI_HANDLED | UI_REDRAW;
    }
    snprintf(os->undo_id, sizeof os->undo_id, "%s", t->id);
    os->undo_confirming = true;
    return UI_HANDLED | UI_REDRAW;
}

static int undo_confirm_key(ui_app *app, order_state *os, ui_action act)
{
    switch (act) {
    case UI_ACT_YES:
    case UI_ACT_OPEN: {
        net_job job;
        memset(&job, 0, sizeof job);
        job.kind = NET_JOB_UNDO_CHECKIN;
        snprintf(job.req.ticket_id, sizeof job.req.ticket_id, "%s", os->undo_id);
        os->undo_confirming = false;
        if (!ui_submit_busy(app, &ui_screen_order, &job, "Undoing the check-in\xe2\x80\xa6"))
            ui_message(app, true, "Busy \xe2\x80\x94 try again in a moment");
        return UI_HANDLED | UI_REDRAW;
    }
    case UI_ACT_BACK:
    case UI_ACT_NEW: /* n: no */
        os->undo_confirming = false;
        ui_message(app, false, "The check-in is kept");
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_QUIT:
    case UI_ACT_HELP:
    case UI_ACT_REDRAW:
        return UI_UNHANDLED;
    default:
        return UI_HANDLED;
    }
}

static int key(ui_app *app, ui_action act, int k)
{
    order_state *os = st(app);
    size_t rows = os->rows > 0 ? (size_t)os->rows : 1;
    if (os->confirming)
        return confirm_key(app, os, act, k);
    if (os->undo_confirming)
        return undo_confirm_key(app, os, act);
    size_t n = os->have ? os->order.n_tickets : 0;
    switch (act) {
    case UI_ACT_UP: ui_scroll_move(n, rows, &os->sel, &os->top, -1); break;
    case UI_ACT_DOWN: ui_scroll_move(n, rows, &os->sel, &os->top, 1); break;
    case UI_ACT_PGUP: ui_scroll_move(n, rows, &os->sel, &os->top, -(long)rows); break;
    case UI_ACT_PGDN: ui_scroll_move(n, rows, &os->sel, &os->top, (long)rows); break;
    case UI_ACT_HOME: ui_scroll_move(n, rows, &os->sel, &os->top, -(long)n); break;
    case UI_ACT_END: ui_scroll_move(n, rows, &os->sel, &os->top, (long)n); break;
    case UI_ACT_SELECT:
        if (os->sel >= n)
            break;
        if (!os->picked[os->sel] && !is_valid(&os->order.tickets[os->sel])) {
            ui_message(app, true, "Ticket %zu is %s: only valid tickets can be refunded", os->sel + 1,
                       os->order.tickets[os->sel].status);
            break;
        }
        os->picked[os->sel] = !os->picked[os->sel];
        ui_scroll_move(n, rows, &os->sel, &os->top, 1);
        break;
    case UI_ACT_REFUND:
        return refund_key(app, os);
    case UI_ACT_UNDO_CHECKIN:
        return undo_key(app, os);
    case UI_ACT_REFRESH:
        if (os->load_seq == 0)
            load(app, os);
        break;
    case UI_ACT_BACK:
        if (os->refund.unconfirmed && !os->leave_warned) {
            os->leave_warned = true;
            ui_message(app, true, "The refund is not confirmed \xe2\x80\x94 R checks it; Esc again leaves it unchecked");
            break;
        }
        ui_pop(app);
        break;
    default:
        return UI_UNHANDLED;
    }
    return UI_HANDLED | UI_REDRAW;
}

/* The tickets that the new order shows refunded and the old one did not. */
static int64_t newly_refunded(const bo_order *before, const bo_order *after)
{
    int64_t n = 0;
    for (size_t i = 0; i < after->n_tickets; i++) {
        if (strcmp(after->tickets[i].status, "refunded") != 0)
            continue;
        bool was = false;
        for (size_t j = 0; j < before->n_tickets; j++)
            if (strcmp(before->tickets[j].id, after->tickets[i].id) == 0)
                was = strcmp(before->tickets[j].status, "refunded") == 0;
        n += !was;
    }
    return n;
}

static void take_order(order_state *os, bo_order *o)
{
    bo_order_clear(&os->order);
    os->order = *o;
    memset(o, 0, sizeof *o);
    os->have = true;
    os->error[0] = '\0';
    memset(os->picked, 0, sizeof os->picked);
}

static int refund_result(ui_app *app, order_state *os, net_result *r)
{
    net_refund_out *out = &r->out.refund;
    char m[256];
    refund_pending *p = &os->refund;
    if (r->status == API_OK) {
        /* what the server says this request refunded: with nothing selected, the tickets still valid there */
        char said[160];
        api_refund_made_text(&out->made, out->order.currency, said, sizeof said);
        int64_t back = (int64_t)out->made.n;
        if (!out->made.known) /* not said: the tickets the screen did not show refunded before */
            back = strcmp(out->order.id, os->id) == 0 && os->have ? newly_refunded(&os->order, &out->order) : 0;
        if (back > 0 && out->order.concert_id[0] != '\0')
            ui_catalogue_seats_returned(app, out->order.concert_id, back);
        char nums[96] = "";
        size_t len = 0;
        for (size_t i = 0; i < out->made.n && len < sizeof nums; i++)
            for (size_t j = 0; j < out->order.n_tickets; j++)
                if (strcmp(out->order.tickets[j].id, out->made.ticket_ids[i]) == 0) {
                    int w = snprintf(nums + len, sizeof nums - len, "%s%zu", len ? ", " : out->made.n == 1 ? " (ticket " : " (tickets ", j + 1);
                    len += w > 0 ? (size_t)w : 0;
                }
        if (len > 0 && len + 1 < sizeof nums)
            nums[len++] = ')', nums[len] = '\0';
        ui_message(app, false, "%s%s", said, nums);
        if (strcmp(out->order.id, os->id) == 0)
            take_order(os, &out->order);
        memset(p, 0, sizeof *p); /* a definite answer: the key has done its job */
        return UI_REDRAW;
    }
    bo_text_sanitize(m, sizeof m, r->res.message[0] ? r->res.message : api_status_message(r->status));
    bool refused = r->status == API_ERR_INVALID || r->status == API_ERR_NOT_FOUND || r->status == API_ERR_FORBIDDEN
                   || r->status == API_ERR_SOLD_OUT; /* the server said no: nothing was refunded */
    if (!refused && (r->res.unconfirmed || p->unconfirmed)) {
        p->unconfirmed = true;
        os->leave_warned = false;
        ui_message(app, true, "Refund not confirmed: %s \xe2\x80\x94 R checks it (same key: never refunds twice)", m);
        return UI_REDRAW;
    }
    memset(p, 0, sizeof *p);
    if (out->refused.n > 0) { /* 409: which ticket is in which state; nothing was refunded */
        char states[200] = "";
        size_t len = 0;
        for (size_t i = 0; i < out->refused.n && len < sizeof states; i++) {
            size_t num = 0;
            for (size_t j = 0; j < os->order.n_tickets; j++)
                if (strcmp(os->order.tickets[j].id, out->refused.tickets[i].id) == 0)
                    num = j + 1;
            int w = snprintf(states + len, sizeof states - len, "%sticket %zu %s", len ? ", " : "", num,
                             out->refused.tickets[i].status);
            if (w > 0)
                len += (size_t)w;
        }
        ui_message(app, true, "Not refunded: %s (%s)", m, states);
    } else if (r->res.http_status > 0) {
        ui_message(app, true, "Not refunded: %s (HTTP %ld)", m, r->res.http_status);
    } else {
        ui_message(app, true, "Not refunded: %s \xe2\x80\x94 nothing reached the server; try again", m);
    }
    if (os->load_seq == 0)
        load(app, os); /* the tickets' states as they are now */
    return UI_REDRAW;
}

/* The undo's answer: the ticket valid again and the admitted count one less at once, then the order is read
 * again (the server's word on both). A refusal or an unknown outcome reads it again too. */
static int undo_result(ui_app *app, order_state *os, net_result *r)
{
    char m[256];
    size_t i = ticket_index(os, r->id);
    size_t num = i < os->order.n_tickets ? i + 1 : 0;
    os->undo_id[0] = '\0';
    if (r->status == API_OK) {
        if (num > 0) {
            bo_order_ticket *t = &os->order.tickets[i];
            snprintf(t->status, sizeof t->status, "%s", r->out.undo.status[0] != '\0' ? r->out.undo.status : "valid");
            t->checked_in_at[0] = t->door[0] = '\0';
            if (os->order.admitted > 0)
                os->order.admitted--;
        }
        if (num > 0)
            ui_message(app, false, "Check-in of ticket %zu undone: it is valid again", num);
        else
            ui_message(app, false, "Check-in undone: the ticket is valid again");
    } else {
        bo_text_sanitize(m, sizeof m, r->res.message[0] ? r->res.message : api_status_message(r->status));
        if (r->out.undo.not_checked_in)
            ui_message(app, true, "Not undone: ticket %zu \xe2\x80\x94 %s", num, m);
        else if (r->res.unconfirmed)
            ui_message(app, true, "Undo not confirmed: %s \xe2\x80\x94 the order is read again to show the ticket's state", m);
        else if (r->res.http_status > 0)
            ui_message(app, true, "Not undone: %s (HTTP %ld)", m, r->res.http_status);
        else
            ui_message(app, true, "Not undone: %s \xe2\x80\x94 nothing reached the server; try again", m);
    }
    if (os->load_seq == 0 && os->id[0] != '\0')
        load(app, os);
    return UI_REDRAW;
}

static int result(ui_app *app, net_result *r)
{
    order_state *os = st(app);
    if (r->kind == NET_JOB_REFUND)
        return refund_result(app, os, r);
    if (r->kind == NET_JOB_UNDO_CHECKIN)
        return undo_result(app, os, r);
    if (r->kind != NET_JOB_GET_ORDER || r->seq != os->load_seq)
        return 0;
    os->load_seq = 0;
    if (strcmp(r->id, os->id) != 0)
        return 0;
    if (r->status == API_OK) {
        take_order(os, &r->out.order);
        return UI_REDRAW;
    }
    char m[256];
    bo_text_sanitize(m, sizeof m, r->res.message[0] ? r->res.message : api_status_message(r->status));
    if (os->have)
        ui_message(app, true, "Could not reload the order: %s", m);
    else
        snprintf(os->error, sizeof os->error, "Could not load the order: %s", m);
    return UI_REDRAW;
}

const ui_screen_ops ui_screen_order = {
    .title = "Order",
    .bar = bar,
    .bar_for = bar_for,
    .private_size = sizeof(order_state),
    .wipe = wipe,
    .draw = draw,
    .key = key,
    .leave = leave,
    .typing = typing,
    .unsaved = unsaved,
    .result = result,
};
