/* The journal (managers; `J` from the box office): every change the server recorded, oldest first, a page
 * at a time — by day (today, UTC, to begin with), one operator's of that day, or a concert's. `/` opens the
 * filter (day, operator, concert), Enter on an entry keeps only its operator's entries of the day, PgDn/PgUp
 * turn the pages (the server's cursor; the pages seen are remembered to go back). What is shown is the
 * server's answer to the query on the title; a refusal (403) in its words. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api_journal.h"
#include "bo_money.h"
#include "bo_text.h"
#include "ui_app.h"
#include "ui_curses.h"
#include "ui_screens.h"
#include "ui_signin.h"
#include "ui_text.h"

#define PAGE_LIMIT 50
#define PAGES_BACK 64                  /* pages remembered for PgUp */

static const ui_action bar_view[] = { UI_ACT_FILTER, UI_ACT_OPEN, UI_ACT_PGDN, UI_ACT_PGUP, UI_ACT_REFRESH,
                                      UI_ACT_BACK, UI_ACT_HELP, UI_ACT_NONE };
static const ui_action bar_form[] = { UI_ACT_OPEN, UI_ACT_NEXT_FIELD, UI_ACT_BACK, UI_ACT_NONE };

enum { F_DAY, F_OPERATOR, F_CONCERT };

typedef struct journal_state {
    net_journal_req q;                 /* the query shown (its cursor: the page shown) */
    char op_name[API_JOURNAL_TEXT_MAX]; /* the operator filtered by, as the entries name them ("" = by sub) */
    char back[PAGES_BACK][API_JOURNAL_CURSOR_MAX + 1]; /* cursors of the pages before the one shown */
    int n_back;
    int page;                          /* 1 = the first page */
    api_journal_page shown;            /* the server's answer to q */
    bool loaded;
    char note[256];                    /* a refusal, "" = none */
    size_t sel, top;
    bool filtering;
    ui_form form;
    unsigned long want;                /* the job whose answer is shown next (older ones are dropped) */
    int want_dir;                      /* +1 next page, -1 previous, 0 a new query */
    char want_cursor[API_JOURNAL_CURSOR_MAX + 1];
} journal_state;

static journal_state *st(const ui_app *app)
{
    return ui_screen_state(app, &ui_screen_journal);
}

static void today(char out[16])
{
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(out, 16, "%Y-%m-%d", &tm);
}

static bool wipe(ui_app *app, void *state)
{
    (void)app;
    journal_state *js = state;
    api_journal_page_clear(&js->shown);
    memset(js, 0, sizeof *js);
    return false;
}

/* Asks for the page with cursor (NULL: the first) of js->q; dir says where it goes. */
static void fetch(ui_app *app, journal_state *js, const char *cursor, int dir)
{
    net_job job;
    memset(&job, 0, sizeof job);
    job.kind = NET_JOB_JOURNAL;
    job.req.journal = js->q;
    job.req.journal.limit = PAGE_LIMIT;
    bo_utf8_copy(job.req.journal.cursor, sizeof job.req.journal.cursor, cursor != NULL ? cursor : "");
    if (!ui_submit_busy(app, &ui_screen_journal, &job, "Reading the journal\xe2\x80\xa6")) {
        ui_message(app, true, "Busy \xe2\x80\x94 try again in a moment");
        return;
    }
    js->want = app->busy_seq;
    js->want_dir = dir;
    bo_utf8_copy(js->want_cursor, sizeof js->want_cursor, job.req.journal.cursor);
}

static void new_query(ui_app *app, journal_state *js)
{
    js->n_back = 0;
    js->page = 0;
    fetch(app, js, NULL, 0);
}

static void enter(ui_app *app)
{
    journal_state *js = st(app);
    if (js->q.day[0] == '\0' && js->q.concert_id[0] == '\0') {
        today(js->q.day);
        new_query(app, js);
    } else {
        fetch(app, js, js->q.cursor, 2); /* the same page again: it may have grown */
    }
}

static bool typing(const ui_app *app)
{
    journal_state *js = st(app);
    return js != NULL && js->filtering;
}

static const ui_action *bar_for(const ui_app *app)
{
    journal_state *js = st(app);
    return js != NULL && js->filtering ? bar_form : bar_view;
}

/* "Journal — 2026-12-07 · Ana · page 2" */
static void title_of(const journal_state *js, char *out, size_t cap)
{
    char who[API_JOURNAL_TEXT_MAX + 16] = "";
    if (js->q.operator_sub[0] != '\0')
        snprintf(who, sizeof who, " \xc2\xb7 %s", js->op_name[0] != '\0' ? js->op_name : js->q.operator_sub);
    if (js->q.concert_id[0] != '\0')
        snprintf(out, cap, "Journal \xe2\x80\x94 concert %s \xc2\xb7 page %d", js->q.concert_id, js->page > 0 ? js->page : 1);
    else
        snprintf(out, cap, "Journal \xe2\x80\x94 %s%s \xc2\xb7 page %d", js->q.day, who, js->page > 0 ? js->page : 1);
}

static void amount_text(const bo_journal_entry *e, char *out, size_t cap)
{
    out[0] = '\0';
    if (!e->has_amount)
        return;
    char m[BO_MONEY_BUF];
    bo_money_display(e->amount_cents < 0 ? -e->amount_cents : e->amount_cents, m);
    snprintf(out, cap, "%s%s %s", e->amount_cents < 0 ? "-" : "", m, e->currency);
}

static void draw_entries(ui_app *app, journal_state *js, const ui_rect *a, int w)
{
    int x = 3, y = a->y + 1, rows = a->h - 4;
    if (!js->loaded) {
        const char *t = js->note[0] != '\0' ? js->note : app->busy_seq != 0 ? "Reading\xe2\x80\xa6" : "Not known yet";
        ui_draw_text(y + 1, x, w - 2, t, ui_attr(app, js->note[0] != '\0' ? UI_A_ERROR : UI_A_DIM), false);
        return;
    }
    int wd = w - 2 - 9 - 19 - 13 - 15 - 4;
    char head[256];
    snprintf(head, sizeof head, "%-8s %-18s %-12s %14s %s", "Time", "What", "Operator", "Amount", "Detail");
    ui_draw_text(y++, x, w - 2, head, ui_attr(app, UI_A_HEADER), false);
    if (js->shown.n == 0)
        ui_draw_text(y, x, w - 2, "No entries.", ui_attr(app, UI_A_DIM), false);
    if (js->sel >= js->shown.n && js->shown.n > 0)
        js->sel = js->shown.n - 1;
    if (js->sel < js->top)
        js->top = js->sel;
    if (rows > 0 && js->sel >= js->top + (size_t)rows)
        js->top = js->sel - (size_t)rows + 1;
    for (size_t i = js->top; i < js->shown.n && y < a->y + 2 + rows; i++, y++) {
        const bo_journal_entry *e = &js->shown.entries[i];
        int attr = i == js->sel ? ui_attr(app, UI_A_SELECTED) : 0;
        char tm[16] = "", amount[BO_MONEY_BUF + 8], detail[2 * API_JOURNAL_TEXT_MAX + 8];
        if (strlen(e->at) >= 19)
            snprintf(tm, sizeof tm, "%.8s", e->at + 11); /* HH:MM:SS (UTC) */
        amount_text(e, amount, sizeof amount);
        snprintf(detail, sizeof detail, "%s%s%s", e->terminal, e->terminal[0] != '\0' && e->detail[0] != '\0' ? " \xc2\xb7 " : "",
                 e->detail);
        ui_draw_text(y, x, w - 2, "", attr, false);
        ui_draw_text(y, x, 8, tm, attr, false);
        ui_draw_text(y, x + 9, 18, e->type, attr, false);
        ui_draw_text(y, x + 28, 12, e->operator_name[0] != '\0' ? e->operator_name : e->operator_sub[0] != '\0' ? "-" : "online",
                     attr, false);
        ui_draw_text(y, x + 41, 14, amount, attr, true);
        if (wd > 0)
            ui_draw_text(y, x + 56, wd, detail, attr, false);
    }
}

static void draw(ui_app *app, const ui_rect *a)
{
    journal_state *js = st(app);
    int w = a->w - 4 > 120 ? 120 : a->w - 4;
    char title[API_JOURNAL_TEXT_MAX + 64]; /* the day, who (up to API_JOURNAL_TEXT_MAX + 16), the page */
    if (js->filtering) {
        ui_draw_box(app, a->y, 1, a->h, w + 2, "Journal \xe2\x80\x94 which entries");
        int rows = ui_form_rows_fit(&js->form, a->h - 3);
        ui_form_draw_rows(app, &js->form, a->y + 1, 3, w - 2, rows);
        ui_draw_text(a->y + a->h - 2, 3, w - 2, "A concert: all its days \xc2\xb7 Enter: read \xc2\xb7 Esc: cancel",
                     ui_attr(app, UI_A_DIM), false);
        return;
    }
    title_of(js, title, sizeof title);
    ui_draw_box(app, a->y, 1, a->h, w + 2, title);
    draw_entries(app, js, a, w);
    if (js->loaded)
        ui_draw_text(a->y + a->h - 2, 3, w - 2,
                     js->shown.cursor[0] != '\0' ? "/: filter \xc2\xb7 Enter: this operator's \xc2\xb7 PgDn: next page"
                                                 : "/: filter \xc2\xb7 Enter: this operator's \xc2\xb7 last page",
                     ui_attr(app, UI_A_DIM), false);
}

static const char *check_day(const char *v)
{
    api_journal_query q = { .day = v };
    return v[0] == '\0' ? NULL : api_journal_query_check(&q);
}

static const char *check_id(const char *v)
{
    return v[0] == '\0' || (strlen(v) <= BO_ID_MAX && !bo_text_has_control(v)) ? NULL : "Not an ID";
}

static void open_filter(journal_state *js)
{
    memset(&js->form, 0, sizeof js->form);
    ui_form_add(&js->form, "Day (UTC)", "YYYY-MM-DD, empty: today", check_day, false);
    ui_form_add(&js->form, "Operator", "an operator's sub (Enter on an entry picks its one)", check_id, false);
    ui_form_add(&js->form, "Concert", "a concert's ID: its entries of every day", check_id, false);
    bo_utf8_copy(js->form.f[F_DAY].value, sizeof js->form.f[F_DAY].value, js->q.day);
    bo_utf8_copy(js->form.f[F_OPERATOR].value, sizeof js->form.f[F_OPERATOR].value, js->q.operator_sub);
    bo_utf8_copy(js->form.f[F_CONCERT].value, sizeof js->form.f[F_CONCERT].value, js->q.concert_id);
    js->filtering = true;
}

static void apply_filter(ui_app *app, journal_state *js)
{
    net_journal_req q;
    memset(&q, 0, sizeof q);
    const ui_form *f = &js->form;
    if (f->f[F_CONCERT].value[0] != '\0') {
        bo_utf8_copy(q.concert_id, sizeof q.concert_id, f->f[F_CONCERT].value);
    } else {
        if (f->f[F_DAY].value[0] != '\0')
            bo_utf8_copy(q.day, sizeof q.day, f->f[F_DAY].value);
        else
            today(q.day);
        bo_utf8_copy(q.operator_sub, sizeof q.operator_sub, f->f[F_OPERATOR].value);
    }
    if (strcmp(q.operator_sub, js->q.operator_sub) != 0)
        js->op_name[0] = '\0';
    js->q = q;
    js->filtering = false;
    new_query(app, js);
}

static int key(ui_app *app, ui_action act, int k)
{
    journal_state *js = st(app);
    if (js->filtering) {
        if (act == UI_ACT_BACK) {
            js->filtering = false;
            return UI_HANDLED | UI_REDRAW;
        }
        bool complete;
        int flags = ui_form_screen_key(app, &js->form, act, k, &complete);
        if (complete)
            apply_filter(app, js);
        return flags;
    }
    if (app->busy_seq != 0 && app->busy_owner == &ui_screen_journal && act != UI_ACT_BACK)
        return act == UI_ACT_HELP || act == UI_ACT_QUIT || act == UI_ACT_REDRAW || act == UI_ACT_LOCK ? UI_UNHANDLED
                                                                                                     : UI_HANDLED;
    switch (act) {
    case UI_ACT_UP:
        if (js->sel > 0)
            js->sel--;
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_DOWN:
        if (js->sel + 1 < js->shown.n)
            js->sel++;
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_PGDN:
        if (js->loaded && js->shown.cursor[0] != '\0')
            fetch(app, js, js->shown.cursor, 1);
        else
            ui_message(app, false, "The last page");
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_PGUP:
        if (js->n_back > 0)
            fetch(app, js, js->back[js->n_back - 1], -1);
        else
            ui_message(app, false, "The first page");
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_REFRESH:
        new_query(app, js);
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_FILTER:
        open_filter(js);
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_OPEN:
        if (js->loaded && js->sel < js->shown.n && js->q.concert_id[0] == '\0'
            && js->shown.entries[js->sel].operator_sub[0] != '\0') { /* an online order has no operator */
            const bo_journal_entry *e = &js->shown.entries[js->sel];
            bo_utf8_copy(js->q.operator_sub, sizeof js->q.operator_sub, e->operator_sub);
            bo_utf8_copy(js->op_name, sizeof js->op_name, e->operator_name);
            new_query(app, js);
        }
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_BACK:
        if (js->q.operator_sub[0] != '\0' && js->q.concert_id[0] == '\0') { /* back to the whole day */
            js->q.operator_sub[0] = js->op_name[0] = '\0';
            new_query(app, js);
        } else {
            ui_pop(app);
        }
        return UI_HANDLED | UI_REDRAW;
    default:
        return UI_UNHANDLED;
    }
}

static int result(ui_app *app, net_result *r)
{
    journal_state *js = st(app);
    if (r->kind != NET_JOB_JOURNAL || r->seq != js->want)
        return 0; /* an answer to an older query */
    js->want = 0;
    if (ui_signin_after_401(app, r))
        return UI_REDRAW;
    if (r->status != API_OK) {
        const char *msg = r->res.message[0] != '\0' ? r->res.message : api_status_message(r->status);
        if (!js->loaded || js->want_dir == 0) {
            api_journal_page_clear(&js->shown);
            js->loaded = false;
            bo_utf8_copy(js->note, sizeof js->note, msg);
        }
        ui_message(app, true, "%s", msg);
        return UI_REDRAW;
    }
    if (js->want_dir == 1 && js->n_back < PAGES_BACK) { /* the page shown goes onto the way back */
        bo_utf8_copy(js->back[js->n_back++], sizeof js->back[0], js->q.cursor);
    } else if (js->want_dir == -1 && js->n_back > 0) {
        js->n_back--;
    }
    js->page = js->want_dir == 1 ? js->page + 1 : js->want_dir == -1 ? js->page - 1 : js->want_dir == 0 ? 1 : js->page;
    bo_utf8_copy(js->q.cursor, sizeof js->q.cursor, js->want_cursor);
    api_journal_page_clear(&js->shown);
    js->shown = r->out.journal; /* moved */
    memset(&r->out.journal, 0, sizeof r->out.journal);
    js->loaded = true;
    js->note[0] = '\0';
    if (js->want_dir != 2)
        js->sel = js->top = 0;
    return UI_REDRAW;
}

const ui_screen_ops ui_screen_journal = {
    .title = "Journal",
    .bar = bar_view,
    .private_size = sizeof(journal_state),
    .wipe = wipe,
    .enter = enter,
    .draw = draw,
    .key = key,
    .typing = typing,
    .bar_for = bar_for,
    .result = result,
};
