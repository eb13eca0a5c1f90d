/* The day sheet (managers; T on the Shift screen): every shift opened on a UTC day, one row per shift and
 * currency: Z number, operator, terminal, expected, counted and difference, as the server answers
 * GET /shifts?day=. ←/→ another day; r asks again. A refusal (403: managers only) is the server's message. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "api_shift.h"
#include "bo_text.h"
#include "ui_app.h"
#include "ui_curses.h"
#include "ui_screens.h"
#include "ui_text.h"

static const ui_action bar[] = { UI_ACT_PREV_TICKET, UI_ACT_NEXT_TICKET, UI_ACT_UP, UI_ACT_DOWN, UI_ACT_REFRESH,
                                 UI_ACT_BACK, UI_ACT_HELP, UI_ACT_NONE };

typedef struct day_state {
    time_t day;                        /* 00:00 UTC of the day shown */
    api_shift_day sheet;               /* the server's answer for that day (sheet.day "" = none yet) */
    unsigned long seq;
    char said[320];                    /* the last refusal, as the server said it */
    size_t top;                        /* the first row shown */
} day_state;

static day_state *st(const ui_app *app)
{
    return ui_screen_state(app, &ui_screen_day);
}

static void day_text(time_t t, char out[11])
{
    struct tm u;
    gmtime_r(&t, &u);
    strftime(out, 11, "%Y-%m-%d", &u);
}

static void ask(ui_app *app, day_state *ds)
{
    net_job job;
    memset(&job, 0, sizeof job);
    job.kind = NET_JOB_SHIFT;
    job.req.shift.op = NET_SHIFT_DAY;
    day_text(ds->day, job.req.shift.id);
    unsigned long seq = ui_submit_for(app, &ui_screen_day, &job);
    if (seq == 0)
        ui_message(app, true, "Busy \xe2\x80\x94 try again in a moment");
    else
        ds->seq = seq;
}

static void fini(void *state)
{
    day_state *ds = state;
    api_shift_day_clear(&ds->sheet);
}

static void enter(ui_app *app)
{
    day_state *ds = st(app);
    time_t now = time(NULL);
    ds->day = now - now % 86400;
    ds->top = 0;
    ds->said[0] = '\0';
    api_shift_day_clear(&ds->sheet);
    ask(app, ds);
}

static const char *bar_name(const ui_app *app, ui_action a)
{
    (void)app;
    return a == UI_ACT_PREV_TICKET ? "day before" : a == UI_ACT_NEXT_TICKET ? "day after" : NULL;
}

/* The rows: one per shift and currency (a shift without figures: one row). */
static size_t row_count(const api_shift_day *d)
{
    size_t n = 0;
    for (size_t i = 0; i < d->n; i++)
        n += d->shifts[i].report.n > 0 ? d->shifts[i].report.n : 1;
    return n;
}

static void money(const api_shift_row *r, int which, char out[BO_MONEY_BUF])
{
    bool known = r != NULL && (which == 0 || (which == 1 ? r->counted_known : r->difference_known));
    if (!known) {
        snprintf(out, BO_MONEY_BUF, "-");
        return;
    }
    api_shift_money(which == 0 ? r->expected : which == 1 ? r->counted : r->difference, out);
}

static void draw(ui_app *app, const ui_rect *a)
{
    day_state *ds = st(app);
    int w = a->w - 4 > 110 ? 110 : a->w - 4, x = 3, y = a->y + 1, bottom = a->y + a->h - 1;
    char day[11], title[64];
    day_text(ds->day, day);
    snprintf(title, sizeof title, "Day sheet %s (UTC)", day);
    ui_draw_box(app, a->y, 1, a->h, w + 2, title);
    w -= 2;
    if (ds->seq != 0 && ds->sheet.day[0] == '\0') {
        ui_draw_text(y, x, w, "Asking the server\xe2\x80\xa6", ui_attr(app, UI_A_DIM), false);
        return;
    }
    if (ds->said[0] != '\0') {
        ui_draw_text(y, x, w, ds->said, ui_attr(app, UI_A_ERROR), false);
        return;
    }
    if (ds->sheet.n == 0) {
        ui_draw_text(y, x, w, "No shift was opened that day.", A_NORMAL, false);
        return;
    }
    /* columns: Z, operator, terminal, currency, expected, counted, difference; names take what is left */
    int wz = 5, wc = 4, wm = w >= 90 ? 12 : 10, wname = (w - wz - wc - 3 * wm - 5) / 2;
    if (wname < 6)
        wname = 6;
    int cx[7];
    cx[0] = x;
    cx[1] = cx[0] + wz + 1;
    cx[2] = cx[1] + wname + 1;
    cx[3] = cx[2] + wname + 1;
    cx[4] = cx[3] + wc;
    cx[5] = cx[4] + wm;
    cx[6] = cx[5] + wm;
    int hdr = ui_attr(app, UI_A_TITLE);
    ui_draw_text(y, cx[0], wz, "Z", hdr, true);
    ui_draw_text(y, cx[1], wname, "Operator", hdr, false);
    ui_draw_text(y, cx[2], wname, "Terminal", hdr, false);
    ui_draw_text(y, cx[3], wc, "Cur", hdr, false);
    ui_draw_text(y, cx[4], wm, "Expected", hdr, true);
    ui_draw_text(y, cx[5], wm, "Counted", hdr, true);
    ui_draw_text(y, cx[6], wm, "Diff.", hdr, true);
    y++;
    size_t total = row_count(&ds->sheet), row = 0;
    size_t rows = bottom > y ? (size_t)(bottom - y) : 0;
    if (ds->top + rows > total)
        ds->top = total > rows ? total - rows : 0;
    for (size_t i = 0; i < ds->sheet.n && y < bottom; i++) {
        const api_shift *s = &ds->sheet.shifts[i];
        size_t n = s->report.n > 0 ? s->report.n : 1;
        for (size_t k = 0; k < n && y < bottom; k++, row++) {
            if (row < ds->top)
                continue;
            const api_shift_row *r = s->report.n > 0 ? &s->report.rows[k] : NULL;
            char z[24], e[BO_MONEY_BUF], c[BO_MONEY_BUF], d[BO_MONEY_BUF];
            if (s->report.kind == 'Z')
                snprintf(z, sizeof z, "%lld", (long long)s->report.z);
            else
                snprintf(z, sizeof z, "open");
            money(r, 0, e);
            money(r, 1, c);
            money(r, 2, d);
            bool first = k == 0;
            ui_draw_text(y, cx[0], wz, first ? z : "", A_NORMAL, true);
            ui_draw_text(y, cx[1], wname, first ? s->operator_name : "", A_NORMAL, false);
            ui_draw_text(y, cx[2], wname, first ? s->terminal : "", A_NORMAL, false);
            ui_draw_text(y, cx[3], wc, r != NULL ? r->currency : "-", A_NORMAL, false);
            ui_draw_text(y, cx[4], wm, e, A_NORMAL, true);
            ui_draw_text(y, cx[5], wm, c, A_NORMAL, true);
            bool off = r != NULL && r->difference_known && r->difference != 0;
            ui_draw_text(y, cx[6], wm, d, off ? ui_attr(app, UI_A_ERROR) : (int)A_NORMAL, true);
            y++;
        }
    }
}

static int key(ui_app *app, ui_action act, int k)
{
    (void)k;
    day_state *ds = st(app);
    switch (act) {
    case UI_ACT_BACK:
        ui_pop(app);
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_PREV_TICKET:
    case UI_ACT_NEXT_TICKET:
        ds->day += act == UI_ACT_PREV_TICKET ? -86400 : 86400;
        ds->top = 0;
        ds->said[0] = '\0';
        api_shift_day_clear(&ds->sheet);
        ask(app, ds);
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_REFRESH:
        ds->said[0] = '\0';
        ask(app, ds);
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_UP:
        if (ds->top > 0)
            ds->top--;
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_DOWN:
        if (ds->top + 1 < row_count(&ds->sheet))
            ds->top++;
        return UI_HANDLED | UI_REDRAW;
    default:
        return UI_UNHANDLED;
    }
}

static int result(ui_app *app, net_result *r)
{
    day_state *ds = st(app);
    char day[11];
    if (r->seq != ds->seq)
        return 0; /* an answer for a day no longer shown */
    ds->seq = 0;
    day_text(ds->day, day);
    if (r->status == API_OK && strcmp(r->out.shift.day.day, day) == 0) {
        api_shift_day_clear(&ds->sheet);
        ds->sheet = r->out.shift.day;
        memset(&r->out.shift.day, 0, sizeof r->out.shift.day);
        ds->said[0] = '\0';
        return UI_REDRAW;
    }
    char m[200];
    bo_text_sanitize(m, sizeof m, r->res.message[0] ? r->res.message : api_status_message(r->status));
    if (r->res.http_status > 0)
        snprintf(ds->said, sizeof ds->said, "No day sheet: %s (HTTP %ld)", m, r->res.http_status);
    else
        snprintf(ds->said, sizeof ds->said, "No day sheet: %s", m);
    ui_message(app, true, "%s", ds->said);
    return UI_REDRAW;
}

const ui_screen_ops ui_screen_day = {
    .title = "Day sheet",
    .bar = bar,
    .bar_name = bar_name,
    .private_size = sizeof(day_state),
    .fini = fini,
    .enter = enter,
    .draw = draw,
    .key = key,
    .result = result,
    .min_cols = UI_SMALL_COLS,
    .min_rows = UI_SMALL_ROWS,
};
