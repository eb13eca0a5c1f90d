/* The operator's shift (S on the list): with no shift open, the form that opens one (terminal, float); with one
 * open, its X report and the keys for a drop, a paid-out and the close. The close is blind: a form for the cash
 * counted per currency, and the expected amount and the difference appear only from the server's answer; a
 * difference needs a note (the server's 400 says so). After the close, the Z report (number, figures, the hash's
 * start). Also keeps, for the whole box office, what the server last said of the caller's open shift (the sell
 * form and the refund send it; the header shows it) and the terminal's name.
 * Requests go through the worker (NET_JOB_SHIFT) and answer here (ui_submit_for), even when the screen is not
 * shown. A close without an answer is kept with its Idempotency-Key: "NOT CONFIRMED" until the same request,
 * re-sent, answers (it closes once and gives the same Z). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_shift.h"
#include "bo_money.h"
#include "bo_text.h"
#include "client_config.h"
#include "cmdline.h"
#include "ui_app.h"
#include "ui_curses.h"
#include "ui_screens.h"
#include "ui_text.h"

typedef enum shift_mode { M_VIEW = 0, M_OPEN, M_DROP, M_PAIDOUT, M_CLOSE } shift_mode;

enum { OF_TERMINAL, OF_FLOAT, OF_CURRENCY };                  /* the open form */
enum { MF_AMOUNT, MF_CURRENCY, MF_NOTE };                     /* drop, paid-out */
/* the close form: one "Counted XXX" per currency, then the note */

typedef struct shift_state {
    ui_shift_known known;              /* what the server last said of the caller's open shift */
    api_shift open;                    /* known == UI_SHIFT_OPEN: the shift with its X report */
    api_shift z;                       /* the shift just closed, with its Z (z.json != NULL) */
    shift_mode mode;
    ui_form form;
    char currencies[API_SHIFT_CURRENCIES_MAX][4]; /* the close form's, in its order */
    size_t n_currencies;
    bool note_required;                /* the server said a note is needed (close) */
    unsigned long seq;                 /* a request in flight (0: none) */
    net_shift_op in_flight;
    net_shift_req close;               /* the close sent, with its key, until its answer (id "" = none) */
    bool close_unconfirmed;            /* sent, no definite answer: the shift may be closed */
    net_shift_req opened;              /* the open last sent, with its key, kept while its outcome is unknown
                                        * (idem_key "" = none): the same request re-sent keeps the key */
    char said[320];                    /* the last refusal, as the server said it */
} shift_state;

static const ui_action bar_view[] = { UI_ACT_DROP, UI_ACT_PAIDOUT, UI_ACT_CLOSE_SHIFT, UI_ACT_REFRESH, UI_ACT_DAY_SHEET,
                                      UI_ACT_BACK, UI_ACT_HELP, UI_ACT_NONE };
static const ui_action bar_none[] = { UI_ACT_OPEN, UI_ACT_REFRESH, UI_ACT_DAY_SHEET, UI_ACT_BACK, UI_ACT_HELP, UI_ACT_NONE };
static const ui_action bar_form[] = { UI_ACT_NEXT_FIELD, UI_ACT_OPEN, UI_ACT_BACK, UI_ACT_HELP, UI_ACT_NONE };

static shift_state *st(const ui_app *app)
{
    return ui_screen_state(app, &ui_screen_shift);
}

/* ---- what the rest of the box office reads ---- */

/* This terminal's name (client_config's config_terminal: BOXOFFICE_TERMINAL, else the host name), read once. */
static const char *terminal_name(void)
{
    static char name[CONFIG_TERMINAL_MAX];
    static bool done;
    if (!done) {
        config_terminal(name, sizeof name);
        done = true;
    }
    return name;
}

ui_shift_known ui_shift_state(const ui_app *app, const api_shift **open)
{
    const shift_state *ss = st(app);
    if (open != NULL)
        *open = ss != NULL && ss->known == UI_SHIFT_OPEN ? &ss->open : NULL;
    return ss != NULL ? ss->known : UI_SHIFT_UNKNOWN;
}

void ui_shift_stamp(const ui_app *app, char shift_id[BO_ID_MAX + 1], char terminal[])
{
    const api_shift *s = NULL;
    shift_id[0] = terminal[0] = '\0';
    if (ui_shift_state(app, &s) != UI_SHIFT_OPEN || s == NULL)
        return;
    snprintf(shift_id, BO_ID_MAX + 1, "%s", s->id);
    /* the terminal exactly as the server has it (its condition compares it) */
    snprintf(terminal, API_TERMINAL_MAX * 4 + 1, "%s", model_json_text(s->json, "terminal", s->terminal));
}

static bool submit(ui_app *app, shift_state *ss, net_job *job)
{
    job->kind = NET_JOB_SHIFT;
    unsigned long seq = ui_submit_for(app, &ui_screen_shift, job);
    if (seq == 0) {
        ui_message(app, true, "Busy \xe2\x80\x94 try again in a moment");
        return false;
    }
    ss->seq = seq;
    ss->in_flight = job->req.shift.op;
    return true;
}

void ui_shift_refresh(ui_app *app)
{
    if (app->opts->kiosk || app->opts->door_concert_id != NULL || !api_config_operator(&app->opts->api))
        return; /* customers, doors and the signed-out have no drawer */
    shift_state *ss = ui_screen_state_open(app, &ui_screen_shift);
    if (ss == NULL || ss->seq != 0)
        return;
    net_job job;
    memset(&job, 0, sizeof job);
    job.req.shift.op = NET_SHIFT_CURRENT;
    submit(app, ss, &job);
}

void ui_shift_open_screen(ui_app *app)
{
    if (app->opts->kiosk) {
        ui_message(app, true, "Not available in kiosk mode");
        return;
    }
    if (ui_top(app) != &ui_screen_shift)
        ui_push(app, &ui_screen_shift);
}

/* ---- forms ---- */

static const char *check_terminal(const char *v) { return api_shift_terminal_check(v); }
static const char *check_note(const char *v) { return api_shift_note_check(v); }
static const char *check_currency(const char *v)
{
    return strlen(v) == 3 && v[0] >= 'A' && v[0] <= 'Z' && v[1] >= 'A' && v[1] <= 'Z' && v[2] >= 'A' && v[2] <= 'Z'
               ? NULL
               : "currency: a code such as EUR";
}
static const char *check_amount(const char *v) { int64_t c; return api_shift_amount_check(v, &c); }
static const char *check_move_amount(const char *v)
{
    int64_t c = 0;
    const char *why = api_shift_amount_check(v, &c);
    return why != NULL ? why : c == 0 ? "more than 0.00" : NULL;
}
static const char *check_float(const char *v)
{
    api_shift_amount a[API_SHIFT_CURRENCIES_MAX];
    size_t n;
    return api_shift_amounts_parse(v, strchr(v, '=') != NULL ? NULL : "", a, &n);
}
static const char *check_paidout_note(const char *v)
{
    return !bo_text_has_visible(v) ? "note: say what the cash paid for" : api_shift_note_check(v);
}
static const char *check_close_note(const char *v)
{
    return api_shift_note_check(v);
}
static const char *check_close_note_required(const char *v)
{
    return !bo_text_has_visible(v) ? "note: the count differs; say why" : api_shift_note_check(v);
}

/* The shift's only currency, or "EUR" when it has none or several. */
static const char *default_currency(const shift_state *ss)
{
    return ss->known == UI_SHIFT_OPEN && ss->open.report.n == 1 ? ss->open.report.rows[0].currency : "EUR";
}

static void start_form(shift_state *ss, shift_mode mode)
{
    ui_form_clear(&ss->form);
    memset(&ss->form, 0, sizeof ss->form);
    ss->mode = mode;
    ss->note_required = false;
    ss->said[0] = '\0';
    switch (mode) {
    case M_OPEN:
        ui_form_add(&ss->form, "Terminal", "this window's name", check_terminal, false);
        ui_form_add(&ss->form, "Float", "e.g. 100.00, or EUR=100.00,USD=20", check_float, false);
        ui_form_add(&ss->form, "Currency", "of a plain float, e.g. EUR", check_currency, false);
        snprintf(ss->form.f[OF_TERMINAL].value, UI_FIELD_MAX, "%s", terminal_name());
        snprintf(ss->form.f[OF_CURRENCY].value, UI_FIELD_MAX, "EUR");
        ss->form.focus = ss->form.f[OF_TERMINAL].value[0] != '\0' ? OF_FLOAT : OF_TERMINAL;
        break;
    case M_DROP:
    case M_PAIDOUT:
        ui_form_add(&ss->form, "Amount", "e.g. 50.00", check_move_amount, false);
        ui_form_add(&ss->form, "Currency", NULL, check_currency, false);
        ui_form_add(&ss->form, "Note", mode == M_DROP ? "optional, e.g. to safe" : "what it paid for",
                    mode == M_DROP ? check_note : check_paidout_note, false);
        snprintf(ss->form.f[MF_CURRENCY].value, UI_FIELD_MAX, "%s", default_currency(ss));
        break;
    case M_CLOSE: {
        ss->n_currencies = 0;
        for (size_t i = 0; i < ss->open.report.n && i < UI_FORM_FIELDS_MAX - 1; i++)
            memcpy(ss->currencies[ss->n_currencies++], ss->open.report.rows[i].currency, 4);
        if (ss->n_currencies == 0)
            memcpy(ss->currencies[ss->n_currencies++], "EUR", 4);
        static char labels[API_SHIFT_CURRENCIES_MAX][24]; /* the fields keep pointers to them: one Shift screen */
        for (size_t i = 0; i < ss->n_currencies; i++) {
            snprintf(labels[i], sizeof labels[i], "Counted %s", ss->currencies[i]);
            ui_form_add(&ss->form, labels[i], "the cash in the drawer", check_amount, false);
        }
        ui_form_add(&ss->form, "Note", "needed when the count differs", check_close_note, false);
        break;
    }
    case M_VIEW:
        break;
    }
}

/* ---- lifecycle ---- */

static bool wipe(ui_app *app, void *state)
{
    (void)app;
    shift_state *ss = state;
    ui_form_clear(&ss->form);
    return false;
}

static void fini(void *state)
{
    shift_state *ss = state;
    api_shift_clear(&ss->open);
    api_shift_clear(&ss->z);
}

static void enter(ui_app *app)
{
    shift_state *ss = st(app);
    api_shift_clear(&ss->z);
    if (ss->close_unconfirmed) { /* the close is what is pending: its form, ready to re-send */
        ss->mode = M_CLOSE;
        return;
    }
    start_form(ss, ss->known == UI_SHIFT_NONE ? M_OPEN : M_VIEW);
    ui_shift_refresh(app);
}

static void leave(ui_app *app)
{
    shift_state *ss = st(app);
    if (!ss->close_unconfirmed)
        ui_form_clear(&ss->form);
}

static bool typing(const ui_app *app)
{
    const shift_state *ss = st(app);
    return ss->mode != M_VIEW;
}

static const ui_action *bar_for(const ui_app *app)
{
    const shift_state *ss = st(app);
    if (ss->mode != M_VIEW)
        return bar_form;
    return ss->known == UI_SHIFT_OPEN && ss->z.json == NULL ? bar_view : bar_none;
}

static const char *bar_name(const ui_app *app, ui_action a)
{
    const shift_state *ss = st(app);
    if (a != UI_ACT_OPEN)
        return NULL;
    if (ss->mode == M_VIEW)
        return "open a shift";
    if (ss->form.focus < ss->form.n - 1)
        return "next field";
    return ss->mode == M_CLOSE ? (ss->close_unconfirmed ? "re-send the close" : "close the shift") : "send";
}

static bool unsaved(const ui_app *app)
{
    const shift_state *ss = st(app);
    return ss->mode != M_VIEW && ui_form_has_input(&ss->form) && !ss->close_unconfirmed;
}

static bool unsettled(const ui_app *app)
{
    const shift_state *ss = st(app);
    return ss != NULL && ss->close_unconfirmed;
}

/* At exit: a close without an answer is settled by re-sending it with its key. */
static void at_exit(const ui_app *app, FILE *err)
{
    const shift_state *ss = st(app);
    if (ss == NULL || !ss->close_unconfirmed)
        return;
    char cmd[CMDLINE_MAX], counted[256] = "";
    size_t n = 0, k;
    for (size_t i = 0; i < ss->close.n; i++) {
        char m[BO_MONEY_BUF];
        api_shift_money(ss->close.amounts[i].cents, m);
        n += (size_t)snprintf(counted + n, sizeof counted - n, "%s%s=%s", i ? "," : "", ss->close.amounts[i].currency, m);
        if (n >= sizeof counted)
            break;
    }
    fputs("boxoffice: the close of your shift is NOT CONFIRMED: the shift may be closed.\n", err);
    if (cmdline_start(cmd, sizeof cmd, &k, app->opts->api.base_url, "shift close")
        && cmdline_option(cmd, sizeof cmd, &k, "--counted", counted)
        && (ss->close.note[0] == '\0' || cmdline_option(cmd, sizeof cmd, &k, "--note", ss->close.note))
        && cmdline_option(cmd, sizeof cmd, &k, "--idempotency-key", ss->close.idem_key))
        fprintf(err, "boxoffice: to learn the outcome (it closes once and answers the same Z report), run:\n  %s\n", cmd);
}

/* ---- drawing ---- */

typedef struct report_line {
    const char *label;
    int prio;                          /* 0: always shown; higher: left out first on a small terminal */
} report_line;

/* The value of line i of row r ("" when not known). */
static void line_value(int i, const api_shift_row *r, char out[BO_MONEY_BUF])
{
    int64_t v = 0;
    bool money = true, known = true;
    switch (i) {
    case 0: v = r->float_cents; break;
    case 1: v = r->sales_cash; break;
    case 2: v = r->sales_card; break;
    case 3: v = r->sales_other; break;
    case 4: v = r->orders; money = false; break;
    case 5: v = r->comps; money = false; break;
    case 6: v = r->refunds_cash; break;
    case 7: v = r->refunds_card + r->refunds_other; break;
    case 8: v = r->drops; break;
    case 9: v = r->paid_outs; break;
    case 10: v = r->expected; break;
    case 11: v = r->counted; known = r->counted_known; break;
    case 12: v = r->difference; known = r->difference_known; break;
    }
    if (!known)
        snprintf(out, BO_MONEY_BUF, "-");
    else if (money)
        api_shift_money(v, out);
    else
        snprintf(out, BO_MONEY_BUF, "%lld", (long long)v);
}

static const report_line lines[] = {
    { "Float", 0 }, { "Cash sales", 0 }, { "Card sales", 1 }, { "Other sales", 3 }, { "Orders", 3 },
    { "Comps", 2 }, { "Cash refunds", 0 }, { "Other refunds", 2 }, { "Drops", 0 }, { "Paid-outs", 0 },
    { "Expected cash", 0 }, { "Counted", 0 }, { "Difference", 0 },
};
#define N_LINES (sizeof lines / sizeof lines[0])

/* The report's figures from row y, at most rows rows; returns the next row. */
static int draw_figures(ui_app *app, const api_shift *s, int y, int x, int w, int rows)
{
    const api_shift_report *r = &s->report;
    int n_lines = r->kind == 'Z' ? (int)N_LINES : (int)N_LINES - 2, lw = 15;
    int col = r->n > 0 ? (w - lw) / (int)r->n : 0;
    if (col > 16)
        col = 16;
    int maxprio = 3;
    for (;;) { /* leave out the least needed lines until the figures fit */
        int shown = 1;
        for (int i = 0; i < n_lines; i++)
            shown += lines[i].prio <= maxprio;
        if (shown <= rows || maxprio == 0)
            break;
        maxprio--;
    }
    ui_draw_text(y, x, lw, "", A_NORMAL, false);
    for (size_t c = 0; c < r->n; c++)
        ui_draw_text(y, x + lw + (int)c * col, col, r->rows[c].currency, ui_attr(app, UI_A_TITLE), true);
    y++;
    int end = y + rows - 1;
    for (int i = 0; i < n_lines && y < end; i++) {
        if (lines[i].prio > maxprio)
            continue;
        bool key_line = i >= 10;
        ui_draw_text(y, x, lw, lines[i].label, key_line ? A_BOLD : A_NORMAL, false);
        for (size_t c = 0; c < r->n; c++) {
            char v[BO_MONEY_BUF];
            line_value(i, &r->rows[c], v);
            int attr = key_line ? A_BOLD : A_NORMAL;
            if (i == 12 && r->rows[c].difference_known && r->rows[c].difference != 0)
                attr = ui_attr(app, UI_A_ERROR);
            ui_draw_text(y, x + lw + (int)c * col, col, v, attr, true);
        }
        y++;
    }
    return y;
}

static void draw_header_lines(ui_app *app, const api_shift *s, int *y, int x, int w)
{
    char line[600];
    snprintf(line, sizeof line, "%s \xc2\xb7 terminal %s", s->operator_name[0] ? s->operator_name : "?",
             s->terminal[0] ? s->terminal : "?");
    ui_draw_text((*y)++, x, w, line, A_NORMAL, false);
    snprintf(line, sizeof line, "opened %s%s%s", s->opened_at[0] ? s->opened_at : "?", s->open ? "" : " \xc2\xb7 closed ",
             s->open ? "" : s->closed_at);
    ui_draw_text((*y)++, x, w, line, ui_attr(app, UI_A_DIM), false);
}

static void draw_view(ui_app *app, shift_state *ss, const ui_rect *a, int x, int w)
{
    int y = a->y + 1, bottom = a->y + a->h - 1;
    if (ss->z.json != NULL) {
        const api_shift *z = &ss->z;
        char title[96], hash[40];
        snprintf(title, sizeof title, "Z report #%lld \xc2\xb7 shift closed", (long long)z->report.z);
        ui_draw_text(y++, x, w, title, A_BOLD, false);
        draw_header_lines(app, z, &y, x, w);
        int rows = bottom - y - (z->report.note[0] ? 2 : 1);
        y = draw_figures(app, z, y, x, w, rows);
        if (z->report.note[0] != '\0' && y < bottom) {
            char note[sizeof z->report.note + 8];
            snprintf(note, sizeof note, "Note: %s", z->report.note);
            ui_draw_text(y++, x, w, note, A_NORMAL, false);
        }
        snprintf(hash, sizeof hash, "hash %.12s\xe2\x80\xa6 \xc2\xb7 %lld entries",
                 z->report.hash[0] ? z->report.hash : "(none)", (long long)z->report.entries);
        if (y < bottom)
            ui_draw_text(y, x, w, hash, ui_attr(app, UI_A_DIM), false);
        return;
    }
    switch (ss->known) {
    case UI_SHIFT_UNKNOWN:
        ui_draw_text(y, x, w, ss->seq != 0 ? "Asking the server for your shift\xe2\x80\xa6" : "Your shift is not known: r asks again",
                     ui_attr(app, UI_A_DIM), false);
        if (ss->said[0] != '\0')
            ui_draw_text(y + 1, x, w, ss->said, ui_attr(app, UI_A_ERROR), false);
        return;
    case UI_SHIFT_NONE:
        ui_draw_text(y++, x, w, "No shift open.", A_BOLD, false);
        ui_draw_text(y++, x, w, "Enter opens one at this terminal with a float.", A_NORMAL, false);
        if (ss->said[0] != '\0')
            ui_draw_text(y, x, w, ss->said, ui_attr(app, UI_A_ERROR), false);
        return;
    case UI_SHIFT_OPEN:
        break;
    }
    const api_shift *s = &ss->open;
    ui_draw_text(y++, x, w, "X report \xc2\xb7 the shift is open", A_BOLD, false);
    draw_header_lines(app, s, &y, x, w);
    if (!s->report.known) {
        ui_draw_text(y, x, w, "The server's answer had no report: r asks again", ui_attr(app, UI_A_DIM), false);
        return;
    }
    draw_figures(app, s, y, x, w, bottom - y);
}

static void draw_form(ui_app *app, shift_state *ss, const ui_rect *a, int x, int w)
{
    int y = a->y + 1, bottom = a->y + a->h - 1;
    const char *title = ss->mode == M_OPEN ? "Open a shift" : ss->mode == M_DROP ? "Cash drop to the safe"
                        : ss->mode == M_PAIDOUT ? "Paid-out from the drawer" : "Close the shift: count the cash";
    ui_draw_text(y++, x, w, title, A_BOLD, false);
    if (ss->mode == M_CLOSE)
        ui_draw_text(y++, x, w, "Blind count: the expected cash shows after the answer.",
                     ui_attr(app, UI_A_DIM), false);
    int rows = bottom - y - 2;
    ss->form.compact = ss->form.n * 3 > rows;
    rows = ui_form_rows_fit(&ss->form, rows);
    ui_form_draw_rows(app, &ss->form, y, x, w, rows);
    y += rows;
    if (y >= bottom - 1)
        y = bottom - 2;
    if (ss->mode == M_CLOSE && ss->close_unconfirmed) {
        ui_draw_text(y, x, w, "Close NOT CONFIRMED: the shift may be closed.", ui_attr(app, UI_A_ERROR), false);
        ui_draw_text(y + 1, x, w, "Enter re-sends the same close: it closes once.", ui_attr(app, UI_A_ERROR), false);
    }
    else if (ss->seq != 0)
        ui_draw_text(y, x, w, "Sending\xe2\x80\xa6 please wait.", ui_attr(app, UI_A_TITLE), false);
    else if (ss->said[0] != '\0')
        ui_draw_text(y, x, w, ss->said, ui_attr(app, UI_A_ERROR), false);
}

static void draw(ui_app *app, const ui_rect *a)
{
    shift_state *ss = st(app);
    int w = a->w - 4 > 100 ? 100 : a->w - 4;
    ui_draw_box(app, a->y, 1, a->h, w + 2, "Shift");
    if (ss->mode == M_VIEW)
        draw_view(app, ss, a, 3, w - 2);
    else
        draw_form(app, ss, a, 3, w - 2);
}

/* ---- sending ---- */

static void copy_trimmed(char *dst, size_t cap, const char *src)
{
    char *t = bo_text_trim_dup(src);
    bo_utf8_copy(dst, cap, t != NULL ? t : src);
    free(t);
}

static void send_open(ui_app *app, shift_state *ss)
{
    net_job job;
    memset(&job, 0, sizeof job);
    net_shift_req *q = &job.req.shift;
    q->op = NET_SHIFT_OPEN;
    copy_trimmed(q->terminal, sizeof q->terminal, ss->form.f[OF_TERMINAL].value);
    const char *fl = ss->form.f[OF_FLOAT].value;
    if (api_shift_amounts_parse(fl, strchr(fl, '=') != NULL ? NULL : ss->form.f[OF_CURRENCY].value, q->amounts, &q->n)
        != NULL) {
        ui_message(app, true, "Check the float");
        return;
    }
    /* the same open re-sent (its outcome unknown) keeps its key: the server opens once; another one gets a new key */
    bool same = ss->opened.idem_key[0] != '\0' && strcmp(ss->opened.terminal, q->terminal) == 0 && ss->opened.n == q->n;
    for (size_t i = 0; same && i < q->n; i++)
        same = strcmp(ss->opened.amounts[i].currency, q->amounts[i].currency) == 0
               && ss->opened.amounts[i].cents == q->amounts[i].cents;
    if (!same)
        api_idempotency_key_new(q->idem_key);
    else
        memcpy(q->idem_key, ss->opened.idem_key, sizeof q->idem_key);
    ss->opened = *q;
    submit(app, ss, &job);
}

static void send_move(ui_app *app, shift_state *ss)
{
    net_job job;
    memset(&job, 0, sizeof job);
    net_shift_req *q = &job.req.shift;
    q->op = ss->mode == M_DROP ? NET_SHIFT_DROP : NET_SHIFT_PAIDOUT;
    snprintf(q->id, sizeof q->id, "%s", ss->open.id);
    if (api_shift_amount_check(ss->form.f[MF_AMOUNT].value, &q->amounts[0].cents) != NULL) {
        ui_message(app, true, "Check the amount");
        return;
    }
    if (check_currency(ss->form.f[MF_CURRENCY].value) != NULL) {
        ui_message(app, true, "Check the currency");
        return;
    }
    memcpy(q->amounts[0].currency, ss->form.f[MF_CURRENCY].value, 4);
    q->n = 1;
    copy_trimmed(q->note, sizeof q->note, ss->form.f[MF_NOTE].value);
    submit(app, ss, &job);
}

/* The close as typed (a new request, a new key), or the one kept unconfirmed (the same request, the same key). */
static void send_close(ui_app *app, shift_state *ss)
{
    if (!ss->close_unconfirmed) {
        net_shift_req *q = &ss->close;
        memset(q, 0, sizeof *q);
        q->op = NET_SHIFT_CLOSE;
        snprintf(q->id, sizeof q->id, "%s", ss->open.id);
        for (size_t i = 0; i < ss->n_currencies; i++) {
            if (api_shift_amount_check(ss->form.f[i].value, &q->amounts[i].cents) != NULL) {
                ui_message(app, true, "Check the counted cash");
                return;
            }
            memcpy(q->amounts[i].currency, ss->currencies[i], 4);
        }
        q->n = ss->n_currencies;
        copy_trimmed(q->note, sizeof q->note, ss->form.f[ss->form.n - 1].value);
        api_idempotency_key_new(q->idem_key);
    }
    net_job job;
    memset(&job, 0, sizeof job);
    job.req.shift = ss->close;
    submit(app, ss, &job);
}

/* ---- keys ---- */

static int key_view(ui_app *app, shift_state *ss, ui_action act)
{
    bool open = ss->known == UI_SHIFT_OPEN && ss->z.json == NULL;
    switch (act) {
    case UI_ACT_BACK:
        ui_pop(app);
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_REFRESH:
        api_shift_clear(&ss->z);
        ui_shift_refresh(app);
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_OPEN:
        if (ss->z.json != NULL)
            api_shift_clear(&ss->z);
        if (ss->known == UI_SHIFT_NONE)
            start_form(ss, M_OPEN);
        else if (ss->known == UI_SHIFT_UNKNOWN)
            ui_message(app, true, "Your shift is not known yet: r asks the server");
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_DROP:
    case UI_ACT_PAIDOUT:
    case UI_ACT_CLOSE_SHIFT:
        if (!open) {
            ui_message(app, true, "No shift open: Enter opens one");
            return UI_HANDLED | UI_REDRAW;
        }
        start_form(ss, act == UI_ACT_DROP ? M_DROP : act == UI_ACT_PAIDOUT ? M_PAIDOUT : M_CLOSE);
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_DAY_SHEET:
        ui_push(app, &ui_screen_day);
        return UI_HANDLED | UI_REDRAW;
    default:
        return UI_UNHANDLED;
    }
}

static int key(ui_app *app, ui_action act, int k)
{
    shift_state *ss = st(app);
    if (ss->mode == M_VIEW)
        return key_view(app, ss, act);
    if (ss->seq != 0 && ss->in_flight != NET_SHIFT_CURRENT) { /* the form's request is in flight */
        if (act == UI_ACT_HELP || act == UI_ACT_INSPECTOR || act == UI_ACT_REDRAW || act == UI_ACT_QUIT)
            return UI_UNHANDLED;
        return UI_HANDLED;
    }
    if (ss->close_unconfirmed) { /* only re-sending the very same close, or leaving it unconfirmed */
        if (act == UI_ACT_OPEN) {
            send_close(app, ss);
        } else if (act == UI_ACT_BACK) {
            ui_message(app, true, "The close is NOT CONFIRMED: S and Enter re-send it");
            ui_pop(app);
        } else if (act == UI_ACT_HELP || act == UI_ACT_INSPECTOR || act == UI_ACT_REDRAW || act == UI_ACT_QUIT) {
            return UI_UNHANDLED;
        }
        return UI_HANDLED | UI_REDRAW;
    }
    if (ss->mode == M_OPEN && ss->form.focus == OF_CURRENCY && act == UI_ACT_NONE && k >= 'a' && k <= 'z')
        k -= 'a' - 'A';
    if ((ss->mode == M_DROP || ss->mode == M_PAIDOUT) && ss->form.focus == MF_CURRENCY && act == UI_ACT_NONE && k >= 'a'
        && k <= 'z')
        k -= 'a' - 'A';
    if (act == UI_ACT_BACK && !ui_form_has_input(&ss->form)) {
        start_form(ss, M_VIEW);
        return UI_HANDLED | UI_REDRAW;
    }
    if (act == UI_ACT_BACK && ss->mode != M_OPEN) { /* a drop or a count typed: back to the report, nothing sent */
        ui_form_clear(&ss->form);
        start_form(ss, M_VIEW);
        return UI_HANDLED | UI_REDRAW;
    }
    bool complete;
    int flags = ui_form_screen_key(app, &ss->form, act, k, &complete);
    if (!complete)
        return flags;
    if (ss->mode == M_OPEN)
        send_open(app, ss);
    else if (ss->mode == M_CLOSE)
        send_close(app, ss);
    else
        send_move(app, ss);
    return flags | UI_REDRAW;
}

/* ---- answers ---- */

static void take_open(shift_state *ss, api_shift *s)
{
    api_shift_clear(&ss->open);
    ss->open = *s;
    memset(s, 0, sizeof *s);
    ss->known = UI_SHIFT_OPEN;
}

static void refused(ui_app *app, shift_state *ss, const char *what, const net_result *r)
{
    char m[200];
    bo_text_sanitize(m, sizeof m, r->res.message[0] ? r->res.message : api_status_message(r->status));
    if (r->res.http_status > 0)
        snprintf(ss->said, sizeof ss->said, "%s: %s (HTTP %ld)", what, m, r->res.http_status);
    else
        snprintf(ss->said, sizeof ss->said, "%s: %s", what, m);
    ui_message(app, true, "%s", ss->said);
}

static int result_close(ui_app *app, shift_state *ss, net_result *r)
{
    net_shift_out *o = &r->out.shift;
    if (r->status == API_OK) {
        memset(&ss->close, 0, sizeof ss->close);
        ss->close_unconfirmed = false;
        api_shift_clear(&ss->z);
        ss->z = o->shift;
        memset(&o->shift, 0, sizeof o->shift);
        api_shift_clear(&ss->open);
        ss->known = UI_SHIFT_NONE;
        ui_form_clear(&ss->form);
        start_form(ss, M_VIEW);
        ui_message(app, false, "Shift closed: Z report #%lld", (long long)ss->z.report.z);
        return UI_REDRAW;
    }
    bool definite = r->status == API_ERR_INVALID || r->status == API_ERR_NOT_FOUND || r->status == API_ERR_FORBIDDEN;
    if (r->res.unconfirmed || (ss->close_unconfirmed && !definite)) {
        ss->close_unconfirmed = true;
        ui_message(app, true, "Close NOT CONFIRMED: no definite answer \xe2\x80\x94 Enter re-sends the same close");
        return UI_REDRAW;
    }
    ss->close_unconfirmed = false;
    memset(&ss->close, 0, sizeof ss->close);
    refused(app, ss, "Not closed", r);
    if (r->res.http_status == 400 && !bo_text_has_visible(ss->form.f[ss->form.n - 1].value)) {
        /* the server says a note is needed: the count differs (by how much it does not say) */
        ss->note_required = true;
        ss->form.f[ss->form.n - 1].check = check_close_note_required;
        ss->form.focus = ss->form.n - 1;
    }
    return UI_REDRAW;
}

static int result(ui_app *app, net_result *r)
{
    shift_state *ss = st(app);
    if (r->seq != ss->seq)
        return 0;
    ss->seq = 0;
    net_shift_out *o = &r->out.shift;
    switch (o->op) {
    case NET_SHIFT_CURRENT:
    case NET_SHIFT_GET:
        if (r->status == API_OK) {
            take_open(ss, &o->shift);
            ss->said[0] = '\0';
            if (ss->mode == M_OPEN && !ui_form_has_input(&ss->form))
                start_form(ss, M_VIEW);
        } else if (r->status == API_ERR_NOT_FOUND) {
            api_shift_clear(&ss->open);
            ss->known = UI_SHIFT_NONE;
            ss->said[0] = '\0';
            if (ss->mode == M_VIEW && ss->z.json == NULL && ui_top(app) == &ui_screen_shift)
                start_form(ss, M_OPEN);
        } else {
            refused(app, ss, "Shift not known", r);
        }
        return UI_REDRAW;
    case NET_SHIFT_OPEN:
        if (r->status == API_OK) {
            memset(&ss->opened, 0, sizeof ss->opened);
            take_open(ss, &o->shift);
            ui_form_clear(&ss->form);
            start_form(ss, M_VIEW);
            ui_message(app, false, "Shift opened at %s", ss->open.terminal);
            ui_shift_refresh(app); /* the report as the server has it */
        } else if (r->res.unconfirmed) {
            ui_message(app, true, "Open not confirmed: no definite answer \xe2\x80\x94 Enter re-sends it (opens once)");
        } else {
            memset(&ss->opened, 0, sizeof ss->opened);
            refused(app, ss, "Not opened", r);
            if (o->already) { /* the server says which shift is open: it is shown */
                take_open(ss, &o->shift);
                ui_form_clear(&ss->form);
                start_form(ss, M_VIEW);
                ui_message(app, true, "%s", r->res.message);
            }
        }
        return UI_REDRAW;
    case NET_SHIFT_DROP:
    case NET_SHIFT_PAIDOUT: {
        const char *what = o->op == NET_SHIFT_DROP ? "Drop" : "Paid-out";
        if (r->status == API_OK) {
            char m[BO_MONEY_BUF], cur[4];
            memcpy(cur, ss->form.f[MF_CURRENCY].value, 3); /* checked when sent; the form waited meanwhile */
            cur[3] = '\0';
            take_open(ss, &o->shift);
            ui_form_clear(&ss->form);
            start_form(ss, M_VIEW);
            const api_shift_row *row = api_shift_row_for(&ss->open, cur);
            if (row != NULL) { /* the server's total, not a sum of the client's */
                api_shift_money(o->op == NET_SHIFT_DROP ? row->drops : row->paid_outs, m);
                ui_message(app, false, "%s recorded \xc2\xb7 %s this shift: %s %s", what,
                           o->op == NET_SHIFT_DROP ? "drops" : "paid-outs", m, cur);
            } else {
                ui_message(app, false, "%s recorded", what);
            }
        } else if (r->res.unconfirmed) {
            ui_form_clear(&ss->form);
            start_form(ss, M_VIEW);
            ui_message(app, true, "%s NOT CONFIRMED: it may have been recorded \xe2\x80\x94 the report is asked again",
                       what);
            ui_shift_refresh(app);
        } else {
            refused(app, ss, o->op == NET_SHIFT_DROP ? "No drop" : "No paid-out", r);
        }
        return UI_REDRAW;
    }
    case NET_SHIFT_CLOSE:
        return result_close(app, ss, r);
    case NET_SHIFT_DAY:
        return 0;
    }
    return 0;
}

const ui_screen_ops ui_screen_shift = {
    .title = "Shift",
    .bar = bar_view,
    .bar_for = bar_for,
    .bar_name = bar_name,
    .private_size = sizeof(shift_state),
    .wipe = wipe,
    .fini = fini,
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
