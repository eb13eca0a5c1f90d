/* Find (operators, `f` on the list): one line of text searched as it is typed — an e-mail (text with '@'),
 * a name, or a scanned/typed ticket code (text that common/bo_code reads as a code) — debounced, through
 * the network worker (the UI never waits), with the matching orders listed (customer, e-mail, quantity,
 * what happened to them; concert and date in the venue's zone beneath, with what matched when it is not the
 * customer: the ticket code, or a ticket holder's name). Text that reads as a code and as a name (letters
 * only: bo_code_reads_as_name) is searched both ways. Enter opens the selected order of the CURRENT text's
 * results: typed on since they came, it waits for the new ones ("searching…") and then opens the ticket a
 * code named, or the one result; an answer to older text is never shown. The query and the results are
 * customer data: wiped when the screen closes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bo_code.h"
#include "bo_money.h"
#include "bo_text.h"
#include "client_time.h"
#include "ui_app.h"
#include "ui_curses.h"
#include "ui_screens.h"
#include "ui_text.h"

#define DEBOUNCE_S 0.3        /* a pause in typing this long sends the search */
#define PAGE_LIMIT 20
#define QUERY_MAX 256

static const ui_action bar[] = { UI_ACT_OPEN, UI_ACT_ERASE, UI_ACT_BACK, UI_ACT_HELP, UI_ACT_NONE };

typedef enum find_kind { FIND_NONE = 0, FIND_EMAIL, FIND_NAME, FIND_CODE, FIND_CODE_OR_NAME } find_kind;

typedef struct find_row {
    bo_order o;                        /* a summary */
    char ticket[BO_ID_MAX + 1];        /* found by its ticket code: that ticket ("" = found by name/e-mail) */
} find_row;

typedef struct find_state {
    char query[QUERY_MAX];             /* as typed */
    char asked[QUERY_MAX];             /* the query of the searches in flight */
    char shown[QUERY_MAX];             /* the query whose results are in rows */
    double due;                        /* when to send the query (0: nothing to send) */
    unsigned long seq_text;            /* the search by name or e-mail in flight (0: none) */
    unsigned long seq_code;            /* the lookup by ticket code in flight (0: none) */
    bool more;                         /* seq_text fetches the next page (appends) */
    bool fresh;                        /* the next answer to asked replaces the rows */
    bool open_wait;                    /* Enter came before the current query's results: open when they are in */
    char open_id[BO_ID_MAX + 1];       /* ... the order selected then ("" = none) */
    find_row *rows;                    /* owned: the results of shown */
    size_t n, cap;
    char cursor[API_CURSOR_MAX + 1];   /* the next page ("" = none) */
    char reopen[BO_ID_MAX + 1];        /* the order opened from here: selected again when the results come
                                        * back (they are asked again on return: a refund changes them) */
    size_t sel, top;
    int list_rows;                     /* results that fit (2 lines each), from the last draw */
    char note[320];                    /* why there is nothing to show ("" = the results) */
    bool note_error;
    bool code_missed;                  /* the code lookup of shown found no ticket */
} find_state;

static find_state *st(const ui_app *app)
{
    return ui_screen_state(app, &ui_screen_find);
}

static void clear_rows(find_state *fs)
{
    for (size_t i = 0; i < fs->n; i++)
        bo_order_clear(&fs->rows[i].o);
    fs->n = 0;
    fs->sel = fs->top = 0;
    fs->cursor[0] = '\0';
    fs->code_missed = false;
}

static bool in_flight(const find_state *fs)
{
    return fs->seq_text != 0 || fs->seq_code != 0;
}

static bool wipe(ui_app *app, void *state)
{
    (void)app;
    find_state *fs = state;
    clear_rows(fs);
    free(fs->rows);
    fs->rows = NULL;
    fs->cap = 0;
    memset(fs->query, 0, sizeof fs->query);
    memset(fs->asked, 0, sizeof fs->asked);
    memset(fs->shown, 0, sizeof fs->shown);
    fs->due = 0;
    fs->reopen[0] = fs->open_id[0] = '\0';
    fs->open_wait = false;
    fs->seq_text = fs->seq_code = 0;   /* an answer still in flight is dropped when it lands */
    fs->note[0] = '\0';
    return false;
}

static void leave(ui_app *app)
{
    wipe(app, st(app));
}

/* What the text is: an e-mail (holds '@'); a code (bo_code reads it), which may as well be a name
 * (bo_code_reads_as_name: letters and spaces only); else a name. FIND_NONE when it is too short to ask for
 * (the server wants 2 characters). The trimmed text goes to out. */
static find_kind classify(const char *query, char out[QUERY_MAX])
{
    const char *s = query;
    while (*s == ' ')
        s++;
    snprintf(out, QUERY_MAX, "%s", s);
    size_t n = strlen(out);
    while (n > 0 && out[n - 1] == ' ')
        out[--n] = '\0';
    if (bo_utf8_chars(out) < 2)
        return FIND_NONE;
    if (strchr(out, '@') != NULL)
        return FIND_EMAIL;
    char canon[BO_CODE_BUF];
    if (bo_code_parse(out, canon) == 0)
        return bo_code_reads_as_name(out) ? FIND_CODE_OR_NAME : FIND_CODE;
    return FIND_NAME;
}

/* Sends the search for the current query (the first page, or with more the next one): a code lookup,
 * a search by name or e-mail, or both for text that reads as a code and a name. An answer to an earlier
 * query is dropped when it lands (its seq is no longer the one asked for). */
static void send_query(ui_app *app, find_state *fs, bool more)
{
    char text[QUERY_MAX];
    find_kind k = classify(fs->query, text);
    net_job job;
    fs->due = 0;
    fs->seq_code = 0;
    fs->seq_text = 0;
    fs->more = false;
    snprintf(fs->asked, sizeof fs->asked, "%s", fs->query);
    if (k == FIND_NONE) {
        clear_rows(fs);
        snprintf(fs->shown, sizeof fs->shown, "%s", fs->query);
        snprintf(fs->note, sizeof fs->note, "Type at least 2 characters of an e-mail or a name, or a ticket code.");
        fs->note_error = false;
        fs->open_wait = false;
        return;
    }
    bool ok = true;
    if ((k == FIND_CODE || k == FIND_CODE_OR_NAME) && !more) {
        memset(&job, 0, sizeof job);
        job.kind = NET_JOB_TICKET_BY_CODE;
        snprintf(job.req.code, sizeof job.req.code, "%s", text);
        ok = (fs->seq_code = ui_submit_for(app, &ui_screen_find, &job)) != 0;
    }
    if (ok && k != FIND_CODE) {
        memset(&job, 0, sizeof job);
        job.kind = NET_JOB_FIND_ORDERS;
        net_find_req *q = &job.req.find;
        snprintf(k == FIND_EMAIL ? q->email : q->name, sizeof q->name, "%s", text);
        q->limit = PAGE_LIMIT;
        if (more)
            snprintf(q->cursor, sizeof q->cursor, "%s", fs->cursor);
        ok = (fs->seq_text = ui_submit_for(app, &ui_screen_find, &job)) != 0;
        fs->more = ok && more;
    }
    memset(&job, 0, sizeof job);
    memset(text, 0, sizeof text);
    if (!ok) {
        fs->seq_code = fs->seq_text = 0;  /* the queue is full: try again shortly */
        fs->more = false;
        fs->due = app->now + DEBOUNCE_S;
        return;
    }
    fs->fresh = !more;
}

static int tick(ui_app *app)
{
    find_state *fs = st(app);
    if (fs->due > 0 && app->now >= fs->due && !in_flight(fs)) {
        send_query(app, fs, false);
        return UI_REDRAW;
    }
    return in_flight(fs) ? UI_REDRAW : 0; /* the "searching" mark */
}

static bool rows_reserve(find_state *fs, size_t n)
{
    if (n <= fs->cap)
        return true;
    find_row *r = realloc(fs->rows, n * sizeof *r);
    if (r == NULL)
        return false;
    fs->rows = r;
    fs->cap = n;
    return true;
}

/* Opens row i: the order, with the ticket the code named marked. */
static void open_row(ui_app *app, find_state *fs, size_t i)
{
    fs->open_wait = false;
    fs->open_id[0] = '\0';
    snprintf(fs->reopen, sizeof fs->reopen, "%s", fs->rows[i].o.id);
    fs->due = app->now; /* back here, the results are asked again (the order may be refunded meanwhile) */
    ui_order_open(app, fs->rows[i].o.id, fs->rows[i].ticket[0] != '\0' ? fs->rows[i].ticket : NULL);
}

/* Enter came before the results: now that every answer to the current query is in, open the order that
 * was selected then if it is still there, else the ticket a code named, else the one result; with several
 * results they are shown to choose from. */
static void open_waiting(ui_app *app, find_state *fs)
{
    size_t pick = fs->n;
    for (size_t i = 0; fs->open_id[0] != '\0' && i < fs->n; i++)
        if (strcmp(fs->rows[i].o.id, fs->open_id) == 0)
            pick = i;
    for (size_t i = 0; pick == fs->n && i < fs->n; i++)
        if (fs->rows[i].ticket[0] != '\0')
            pick = i;
    if (pick == fs->n && fs->n == 1)
        pick = 0;
    fs->open_wait = false;
    fs->open_id[0] = '\0';
    if (pick < fs->n)
        open_row(app, fs, pick);
}

static void set_note(find_state *fs, const net_result *r)
{
    char m[256];
    bo_text_sanitize(m, sizeof m, r->res.message[0] ? r->res.message : api_status_message(r->status));
    if (r->res.http_status > 0)
        snprintf(fs->note, sizeof fs->note, "%s (HTTP %ld)", m, r->res.http_status);
    else
        snprintf(fs->note, sizeof fs->note, "%s", m);
    fs->note_error = true;
}

/* Takes r's rows (a code lookup's one row goes first) into the results. false on OOM. */
static bool take_rows(find_state *fs, net_result *r)
{
    if (r->kind == NET_JOB_TICKET_BY_CODE) {
        if (!rows_reserve(fs, fs->n + 1))
            return false;
        memmove(&fs->rows[1], &fs->rows[0], fs->n * sizeof fs->rows[0]);
        memset(&fs->rows[0], 0, sizeof fs->rows[0]);
        fs->rows[0].o = r->out.found.order;
        memset(&r->out.found.order, 0, sizeof r->out.found.order);
        snprintf(fs->rows[0].ticket, sizeof fs->rows[0].ticket, "%s", r->id);
        fs->n++;
        return true;
    }
    if (!rows_reserve(fs, fs->n + r->out.page.n))
        return false;
    for (size_t i = 0; i < r->out.page.n; i++) {
        memset(&fs->rows[fs->n], 0, sizeof fs->rows[fs->n]);
        fs->rows[fs->n++].o = r->out.page.orders[i];
        memset(&r->out.page.orders[i], 0, sizeof r->out.page.orders[i]);
    }
    memcpy(fs->cursor, r->out.page.cursor, sizeof fs->cursor);
    return true;
}

static int result(ui_app *app, net_result *r)
{
    find_state *fs = st(app);
    if (fs == NULL || r->seq == 0 || (r->seq != fs->seq_text && r->seq != fs->seq_code))
        return 0; /* an older search: its answer is not wanted */
    bool is_text = r->seq == fs->seq_text, more = is_text && fs->more;
    if (is_text) {
        fs->seq_text = 0;
        fs->more = false;
    } else {
        fs->seq_code = 0;
    }
    if (strcmp(fs->asked, fs->query) != 0) {
        /* typed on while it was in flight: this answer is to another query; never shown, asked again (at
         * once when Enter waits for it) */
        if (!in_flight(fs) && fs->open_wait)
            send_query(app, fs, false);
        else if (!in_flight(fs) && fs->due == 0)
            fs->due = app->now;
        return UI_REDRAW;
    }
    if (fs->fresh) {
        fs->fresh = false;
        clear_rows(fs);
        fs->note[0] = '\0';
        snprintf(fs->shown, sizeof fs->shown, "%s", fs->asked);
    }
    bool code_miss = r->kind == NET_JOB_TICKET_BY_CODE && r->status == API_ERR_NOT_FOUND;
    if (code_miss)
        fs->code_missed = true;
    else if (r->status != API_OK)
        set_note(fs, r);
    else if (!take_rows(fs, r)) {
        snprintf(fs->note, sizeof fs->note, "Out of memory");
        fs->note_error = true;
    }
    if (in_flight(fs))
        return UI_REDRAW; /* the other half of a code-or-name search is still to come */
    for (size_t i = 0; !more && fs->reopen[0] != '\0' && i < fs->n; i++)
        if (strcmp(fs->rows[i].o.id, fs->reopen) == 0)
            fs->sel = i;
    fs->reopen[0] = '\0';
    if (fs->n == 0 && fs->note[0] == '\0') {
        char text[QUERY_MAX];
        find_kind k = classify(fs->shown, text);
        memset(text, 0, sizeof text);
        snprintf(fs->note, sizeof fs->note, "%s",
                 k == FIND_CODE ? "No ticket has this code."
                 : k == FIND_CODE_OR_NAME ? "No ticket has this code, and no order this name."
                                          : "No order matches.");
        fs->note_error = false;
    }
    if (fs->open_wait && !more)
        open_waiting(app, fs);
    return UI_REDRAW;
}

/* "2 tickets · 1 admitted · refunded 25.00 EUR", in at most cols columns: shorter words when the
 * column is narrow ("2 tickets · 1 in · refunded 25.00", "1 of 1 in · refunded 25.00": admitted of the
 * tickets not refunded, as the door and the order screen count), never the refund cut off nor called
 * anything but refunded. */
static void state_summary(const bo_order *o, int cols, char *out, size_t cap)
{
    char m[64];
    long long q = (long long)o->quantity, in = (long long)o->admitted;
    long long admissible = q - (o->refunded_tickets > 0 && o->refunded_tickets <= q ? o->refunded_tickets : 0);
    for (int f = 0; f < 4; f++) {
        int n;
        if (f >= 2 && in > 0)
            n = snprintf(out, cap, f == 2 ? "%lld of %lld in" : "%lld/%lld in", in, admissible);
        else
            n = snprintf(out, cap, "%lld ticket%s", q, q == 1 ? "" : "s");
        if (f < 2 && in > 0 && n > 0 && (size_t)n < cap)
            n += snprintf(out + n, cap - (size_t)n, f == 0 ? " \xc2\xb7 %lld admitted" : " \xc2\xb7 %lld in", in);
        if (o->n_refunds > 0 && n > 0 && (size_t)n < cap) {
            if (f == 0)
                model_money_with_currency(o->refunded_cents, o->currency, m, sizeof m);
            else
                bo_money_display(o->refunded_cents, m);
            snprintf(out + n, cap - (size_t)n, " \xc2\xb7 refunded %s", m);
        }
        if ((int)bo_utf8_chars(out) <= cols)
            return;
    }
}

static void draw_row(ui_app *app, int y, int w, const find_row *row, bool selected)
{
    const bo_order *o = &row->o;
    int base = selected ? ui_attr(app, UI_A_SELECTED) : 0;
    if (selected) {
        attron(base);
        mvhline(y, 0, ' ', w);
        mvhline(y + 1, 0, ' ', w);
        mvaddch(y, 0, '>');
        attroff(base);
    }
    char state[128], when[64], how[300], line2[sizeof how + 512];
    int name_w = (w - 4) / 4, mail_w = (w - 4) * 7 / 20, state_w = w - 4 - name_w - mail_w - 2;
    state_summary(o, state_w, state, sizeof state);
    ui_draw_text(y, 2, name_w, o->customer_name != NULL ? o->customer_name : "(walk-up)", base, false);
    ui_draw_text(y, 3 + name_w, mail_w, o->customer_email != NULL ? o->customer_email : "", base, false);
    ui_draw_text(y, 4 + name_w + mail_w, state_w, state, base, false);
    /* what matched, when it is not the customer's name or e-mail */
    if (row->ticket[0] != '\0')
        snprintf(how, sizeof how, "by ticket code \xc2\xb7 ");
    else if (o->matched_attendee != NULL)
        snprintf(how, sizeof how, "ticket holder %s \xc2\xb7 ", o->matched_attendee);
    else
        how[0] = '\0';
    const bo_concert *c = ui_catalogue_find(&app->cat, o->concert_id);
    if (c != NULL) {
        client_time_format(c->date, c->timezone, when, sizeof when); /* the venue's zone */
        snprintf(line2, sizeof line2, "%s%s \xc2\xb7 %s", how, c->name != NULL ? c->name : "", when);
    } else {
        snprintf(line2, sizeof line2, "%sconcert %s", how, o->concert_id);
    }
    ui_draw_text(y + 1, 4, w - 6, line2, selected ? base : ui_attr(app, UI_A_DIM), false);
}

static void draw(ui_app *app, const ui_rect *a)
{
    find_state *fs = st(app);
    char text[QUERY_MAX], line[QUERY_MAX + 64];
    find_kind k = classify(fs->query, text);
    const char *what = k == FIND_CODE ? "ticket code" : k == FIND_CODE_OR_NAME ? "code or name"
                       : k == FIND_EMAIL ? "e-mail" : k == FIND_NAME ? "name" : "";
    ui_draw_text(a->y, 1, a->w - 2, "Find an order \xe2\x80\x94 e-mail, name or ticket code", ui_attr(app, UI_A_TITLE), false);
    snprintf(line, sizeof line, "Find: %s_", fs->query);
    ui_draw_text(a->y + 1, 1, a->w - 28, line, ui_attr(app, UI_A_FIELD), false);
    snprintf(line, sizeof line, "%s%s", in_flight(fs) || fs->open_wait ? "searching\xe2\x80\xa6 " : "", what);
    ui_draw_text(a->y + 1, a->w - 27, 26, line, ui_attr(app, UI_A_DIM), true);
    int y0 = a->y + 3, rows = (a->h - 3) / 2;
    if (rows < 1)
        rows = 1;
    fs->list_rows = rows;
    if (fs->n == 0) {
        const char *note = fs->note[0] != '\0' ? fs->note
                           : fs->query[0] == '\0' ? "Type an e-mail, a name or scan a ticket code." : "";
        ui_draw_text(y0, 2, a->w - 4, note, ui_attr(app, fs->note_error ? UI_A_ERROR : UI_A_DIM), false);
        return;
    }
    ui_scroll_fix(fs->n, (size_t)rows, &fs->sel, &fs->top);
    for (int r = 0; r < rows && fs->top + (size_t)r < fs->n; r++)
        draw_row(app, y0 + 2 * r, a->w, &fs->rows[fs->top + (size_t)r], fs->top + (size_t)r == fs->sel);
    snprintf(line, sizeof line, " %zu order%s%s ", fs->n, fs->n == 1 ? "" : "s", fs->cursor[0] ? ", more below" : "");
    int lw = ui_text_width(line);
    ui_draw_text(a->y, a->w - lw - 1, lw, line, ui_attr(app, UI_A_DIM), false);
    if (fs->note[0] != '\0')
        ui_draw_text(a->y + 2, 2, a->w - 4, fs->note, ui_attr(app, UI_A_ERROR), false);
}

static bool typing(const ui_app *app)
{
    (void)app;
    return true; /* the search field always has the focus: letters are text, arrows move */
}

static void edited(ui_app *app, find_state *fs)
{
    fs->due = app->now + DEBOUNCE_S;
    fs->open_wait = false; /* an Enter was for the text before */
    fs->open_id[0] = '\0';
}

static int key(ui_app *app, ui_action act, int k)
{
    find_state *fs = st(app);
    size_t rows = fs->list_rows > 0 ? (size_t)fs->list_rows : 1;
    if (act == UI_ACT_NONE && ui_key_is_text(k)) {
        if (ui_text_append(fs->query, sizeof fs->query, (uint32_t)k))
            edited(app, fs);
        return UI_HANDLED | UI_REDRAW;
    }
    switch (act) {
    case UI_ACT_ERASE:
        if (ui_text_erase_last(fs->query))
            edited(app, fs);
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_UP: ui_scroll_move(fs->n, rows, &fs->sel, &fs->top, -1); return UI_HANDLED | UI_REDRAW;
    case UI_ACT_PGUP: ui_scroll_move(fs->n, rows, &fs->sel, &fs->top, -(long)rows); return UI_HANDLED | UI_REDRAW;
    case UI_ACT_HOME: ui_scroll_move(fs->n, rows, &fs->sel, &fs->top, -(long)fs->n); return UI_HANDLED | UI_REDRAW;
    case UI_ACT_DOWN:
    case UI_ACT_PGDN:
    case UI_ACT_END:
        ui_scroll_move(fs->n, rows, &fs->sel, &fs->top, act == UI_ACT_DOWN ? 1 : act == UI_ACT_PGDN ? (long)rows : (long)fs->n);
        if (fs->n > 0 && fs->sel + 1 == fs->n && fs->cursor[0] != '\0' && !in_flight(fs)
            && strcmp(fs->shown, fs->query) == 0)
            send_query(app, fs, true); /* at the end of what is shown: the next page */
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_OPEN: {
        if (strcmp(fs->shown, fs->query) == 0 && fs->sel < fs->n) {
            open_row(app, fs, fs->sel); /* the results are the current query's */
            return UI_HANDLED | UI_REDRAW;
        }
        /* the results shown (if any) are another query's: wait for this one's (a scanner ends with Enter) */
        char text[QUERY_MAX];
        find_kind kind = classify(fs->query, text);
        memset(text, 0, sizeof text);
        if (kind == FIND_NONE)
            return UI_HANDLED | UI_REDRAW;
        fs->open_wait = true;
        fs->open_id[0] = '\0';
        if (!in_flight(fs))
            send_query(app, fs, false); /* at once; one in flight for older text is asked again when it lands */
        return UI_HANDLED | UI_REDRAW;
    }
    case UI_ACT_BACK:
        ui_pop(app);
        return UI_HANDLED | UI_REDRAW;
    default:
        return UI_UNHANDLED;
    }
}

const ui_screen_ops ui_screen_find = {
    .title = "Find",
    .bar = bar,
    .private_size = sizeof(find_state),
    .wipe = wipe,
    .fini = NULL,
    .draw = draw,
    .key = key,
    .tick = tick,
    .leave = leave,
    .typing = typing,
    .result = result,
};
