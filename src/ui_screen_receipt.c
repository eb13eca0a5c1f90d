/* The receipt after a sale: the order (concert, time in the venue's zone, tickets, total, payment,
 * change due) and ONE QR CODE PER TICKET, drawn with half blocks (ui_qr.h) with the code in text beneath;
 * Left/Right or PgUp/PgDn page through the tickets ("ticket 2 of 4"). A kiosk without a printer shows it
 * for the customer to photograph. Enter starts the next sale; in kiosk mode Enter or Esc (or the idle
 * timeout) take it away, and leaving wipes the customer's data (names, e-mail, codes). */
#include <stdio.h>
#include <string.h>

#include "bo_money.h"
#include "client_time.h"
#include "ui_app.h"
#include "ui_qr.h"
#include "ui_screens.h"
#include "ui_curses.h"
#include "ui_text.h"

static const ui_action bar[] = { UI_ACT_NEXT_TICKET, UI_ACT_PREV_TICKET, UI_ACT_OPEN, UI_ACT_HELP, UI_ACT_QUIT, UI_ACT_NONE };
/* one ticket: nothing to page through */
static const ui_action bar_one[] = { UI_ACT_OPEN, UI_ACT_HELP, UI_ACT_QUIT, UI_ACT_NONE };

/* The receipt's own state: the order sold and its concert, the ticket shown and its QR code (customer
 * data: wiped when the receipt closes, on a kiosk's idle reset and at exit). */
typedef struct receipt_state {
    bo_order order;
    bo_concert concert;
    size_t page;             /* the ticket shown */
    ui_qr qr;                /* its code, rendered (qr_page says for which ticket; empty: none yet) */
    size_t qr_page;
} receipt_state;

static receipt_state *st(const ui_app *app)
{
    return ui_screen_state(app, &ui_screen_receipt);
}

static const ui_action *bar_for(const ui_app *app)
{
    const receipt_state *rs = st(app);
    return rs != NULL && rs->order.n_tickets > 1 ? bar : bar_one;
}

/* Enter closes the receipt (the next sale; on a kiosk it finishes). */
static const char *bar_name(const ui_app *app, ui_action a)
{
    (void)app;
    return a == UI_ACT_OPEN ? "close" : NULL;
}

static bool wipe(ui_app *app, void *state)
{
    (void)app;
    receipt_state *rs = state;
    bo_order_clear(&rs->order);
    bo_concert_clear(&rs->concert);
    ui_qr_free(&rs->qr);
    rs->page = rs->qr_page = 0;
    return false;
}

void ui_receipt_open(ui_app *app, bo_order *o, const bo_concert *c)
{
    if (!ui_push(app, &ui_screen_receipt)) {
        bo_order_clear(o); /* ui_push said why */
        return;
    }
    receipt_state *rs = st(app);
    wipe(app, rs);
    rs->order = *o;
    memset(o, 0, sizeof *o);
    if (bo_concert_copy(&rs->concert, c) != 0)
        memset(&rs->concert, 0, sizeof rs->concert);
}

static void leave(ui_app *app)
{
    wipe(app, st(app));
    if (app->opts->kiosk)
        net_inspector_clear(&app->inspector); /* the inspector held the customer's name and e-mail */
}

/* The QR code of the ticket shown, rendered once per page. NULL when it cannot be made. */
static const ui_qr *page_qr(receipt_state *rs)
{
    if (rs->page >= rs->order.n_tickets)
        return NULL;
    if (rs->qr.lines == NULL || rs->qr_page != rs->page) {
        ui_qr_free(&rs->qr);
        if (ui_qr_render(rs->order.tickets[rs->page].code, &rs->qr) != 0)
            return NULL;
        rs->qr_page = rs->page;
    }
    return &rs->qr;
}

/* An id on lines of at most w columns, broken after a '-' where one is near (an order id is ASCII);
 * returns the next row. */
static int draw_id(int y, int x, int w, int bottom, const char *id)
{
    size_t len = strlen(id);
    for (size_t at = 0; at < len && y < bottom && w > 0;) {
        size_t n = len - at;
        if (n > (size_t)w) {
            n = (size_t)w;
            for (size_t k = n; k > n / 2; k--)
                if (id[at + k - 1] == '-') {
                    n = k;
                    break;
                }
        }
        char part[128];
        snprintf(part, sizeof part, "%.*s", (int)n, id + at);
        ui_draw_text(y++, x, w, part, A_NORMAL, false);
        at += n;
    }
    return y;
}

/* The order's details in a column from (y, x), w wide, up to bottom; returns the next row. */
static int draw_details(ui_app *app, const receipt_state *rs, int y, int x, int w, int bottom)
{
    const bo_order *o = &rs->order;
    const bo_concert *c = &rs->concert;
    const char *cur = o->currency[0] != '\0' ? o->currency : c->currency;
    char date[64], m[64], line[512];
    client_time_format(c->date, c->timezone, date, sizeof date);
    int lw = w < 40 ? 11 : 14; /* beside the QR code on a small screen: more room for the values */
#define ROW(label, value) do { if (y < bottom) ui_draw_field_line_w(app, y++, x, w, lw, label, value); } while (0)
    if (y < bottom)
        ui_draw_text(y++, x, w, "\xe2\x9c\x93 Sale complete", ui_attr(app, UI_A_OK), false);
    if (lw + ui_text_width(o->id) <= w) {
        ROW("Order", o->id);
    } else { /* beside the QR code: the whole id on a line of its own, for the operator to read out */
        ROW("Order", "");
        y = draw_id(y, x, w, bottom, o->id);
    }
    ROW("Concert", c->name);
    ROW("When", date);
    ROW("Venue", c->venue);
    if (o->unit_price_cents >= 0) {
        model_money_with_currency(o->unit_price_cents, cur, m, sizeof m);
        snprintf(line, sizeof line, "%lld \xc3\x97 %s", (long long)o->quantity, m);
    } else {
        snprintf(line, sizeof line, "%lld", (long long)o->quantity);
    }
    ROW("Tickets", line);
    model_money_with_currency(o->total_cents, cur, m, sizeof m);
    ROW("Total", m);
    if (o->method != BO_PAY_NONE) {
        if (o->tendered_cents >= 0) {
            model_money_with_currency(o->tendered_cents, cur, m, sizeof m);
            snprintf(line, sizeof line, "%s, tendered %s", bo_pay_method_name(o->method), m);
        } else {
            snprintf(line, sizeof line, "%s", bo_pay_method_name(o->method));
        }
        ROW("Payment", line);
    }
    if (o->customer_name != NULL)
        ROW("Customer", o->customer_name);
    if (o->change_cents >= 0) {
        char amount[BO_MONEY_BUF];
        bo_money_display(o->change_cents, amount);
        model_money_with_currency(o->change_cents, cur, m, sizeof m);
        ROW("CHANGE DUE", m); /* and large beneath */
        if (y + 5 <= bottom) {
            int bw = ui_draw_big(y, x, w - 5, amount, ui_attr(app, UI_A_OK));
            ui_draw_text(y + 4, x + bw + 1, 4, cur, ui_attr(app, UI_A_OK), false);
            y += 5;
        }
    }
#undef ROW
    return y;
}

static void draw(ui_app *app, const ui_rect *a)
{
    receipt_state *rs = st(app);
    const bo_order *o = &rs->order;
    int w = a->w - 2;
    int bottom = a->y + a->h - 1;
    char line[512], code[BO_CODE_MAX * 2];
    const ui_qr *q = page_qr(rs);
    int inner_h = a->h - 2;
    bool qr_fits = q != NULL && q->rows + 1 <= inner_h && q->cols + 4 <= w;
    bool qr_small = !qr_fits && q != NULL && q->rows <= a->h && q->cols + 26 <= a->w;
    if (!qr_small)
        ui_draw_box(app, a->y, 1, a->h, w, "Order sold");
    int x = 3, y = a->y + 1;
    if (qr_fits) {
        int qattr = ui_attr(app, UI_A_QR);
        attron(qattr);
        for (int r = 0; r < q->rows; r++)
            mvaddstr(y + r, x, q->lines[r]);
        attroff(qattr);
        const bo_order_ticket *t = &o->tickets[rs->page];
        model_code_grouped(t->code, code, sizeof code);
        int cx = x + (q->cols - ui_text_width(code)) / 2;
        ui_draw_text(y + q->rows, cx > x ? cx : x, q->cols, code, A_BOLD, false);
        int dx = x + q->cols + 2, dw = w - (dx - 1) - 2;
        int dy = y;
        snprintf(line, sizeof line, "Ticket %zu of %zu%s%s", rs->page + 1, o->n_tickets,
                 t->attendee != NULL ? " \xc2\xb7 " : "", t->attendee != NULL ? t->attendee : "");
        ui_draw_text(dy++, dx, dw, line, ui_attr(app, UI_A_TITLE), false);
        dy = draw_details(app, rs, dy, dx, dw, bottom - 1);
        if (dy < bottom)
            ui_draw_text(bottom - 1, dx, dw,
                         o->n_tickets > 1 ? "\xe2\x86\x90/\xe2\x86\x92 PgUp/PgDn: tickets \xc2\xb7 Enter: done"
                                          : "Enter: done", ui_attr(app, UI_A_KEY), false);
        return;
    }
    if (qr_small) {
        /* a small terminal: no box; the QR code first, on the whole height, and beside it the code in text,
         * the order's id and as much of the rest as fits */
        int qattr = ui_attr(app, UI_A_QR);
        int top = a->y, bot = a->y + a->h;
        attron(qattr);
        for (int r = 0; r < q->rows; r++)
            mvaddstr(top + r, 1, q->lines[r]);
        attroff(qattr);
        const bo_order_ticket *t = &o->tickets[rs->page];
        int dx = 1 + q->cols + 1, dw = a->w - dx - 1, dy = top;
        snprintf(line, sizeof line, "Ticket %zu of %zu", rs->page + 1, o->n_tickets);
        ui_draw_text(dy++, dx, dw, line, ui_attr(app, UI_A_TITLE), false);
        model_code_grouped(t->code, code, sizeof code);
        ui_draw_text(dy++, dx, dw, code, A_BOLD, false);
        if (t->attendee != NULL)
            ui_draw_text(dy++, dx, dw, t->attendee, A_NORMAL, false);
        dy = draw_details(app, rs, dy, dx, dw, bot - 1);
        ui_draw_text(bot - 1, dx, dw, o->n_tickets > 1 ? "\xe2\x86\x90/\xe2\x86\x92 \xc2\xb7 Enter: done" : "Enter: done",
                     ui_attr(app, UI_A_KEY), false);
        return;
    }
    /* no room for the code (or none): the order and the codes in text */
    y = draw_details(app, rs, y, x, w - 4, bottom - 2);
    if (q == NULL && o->n_tickets > 0)
        ui_draw_text(y++, x, w - 4, "(this ticket's code cannot be drawn as a QR code)", ui_attr(app, UI_A_ERROR), false);
    else if (o->n_tickets > 0)
        ui_draw_text(y++, x, w - 4, "Enlarge the terminal to see the QR code", ui_attr(app, UI_A_ERROR), false);
    if (o->n_tickets > 0 && y < bottom) {
        model_code_grouped(o->tickets[rs->page].code, code, sizeof code);
        snprintf(line, sizeof line, "Ticket %zu of %zu: %s", rs->page + 1, o->n_tickets, code);
        ui_draw_text(y++, x, w - 4, line, A_BOLD, false);
    }
    if (y < bottom)
        ui_draw_text(y, x, w - 4, app->opts->kiosk ? "Press Enter to finish." : "Press Enter for the next sale.",
                     ui_attr(app, UI_A_KEY), false);
}

static int key(ui_app *app, ui_action act, int k)
{
    receipt_state *rs = st(app);
    (void)k;
    bool next = act == UI_ACT_NEXT_TICKET || act == UI_ACT_PGDN || act == UI_ACT_DOWN;
    bool prev = act == UI_ACT_PREV_TICKET || act == UI_ACT_PGUP || act == UI_ACT_UP;
    if (next || prev) {
        if (next && rs->page + 1 < rs->order.n_tickets)
            rs->page++;
        else if (prev && rs->page > 0)
            rs->page--;
        return UI_HANDLED | UI_REDRAW;
    }
    if (app->opts->kiosk && act != UI_ACT_QUIT && act != UI_ACT_REDRAW && act != UI_ACT_HELP) {
        if (act == UI_ACT_OPEN || act == UI_ACT_BACK) {
            ui_pop_to_list(app);
            return UI_HANDLED | UI_REDRAW;
        }
        return UI_HANDLED; /* a stray key must not take the codes away before they are photographed */
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
    .bar_for = bar_for,
    .bar_name = bar_name,
    .min_cols = UI_SMALL_COLS,
    .min_rows = UI_SMALL_ROWS,
    .private_size = sizeof(receipt_state),
    .wipe = wipe,
    .draw = draw,
    .key = key,
    .leave = leave,
};
