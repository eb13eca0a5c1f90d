/* Find (operators, `f` on the list): one line of text searched as it is typed — an e-mail (text with '@'),
 * a name, or a scanned/typed ticket code (text that common/bo_code reads as a code) — debounced, through
 * the network worker (the UI never waits), with the matching orders listed (customer, e-mail, quantity,
 * what happened to them; concert and date in the venue's zone beneath). Enter opens the order. The query
 * and the results are customer data: wiped when the screen closes. */
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

typedef enum find_kind { FIND_NONE = 0, FIND_EMAIL, FIND_NAME, FIND_CODE } find_kind;

typedef struct find_state {
    char query[QUERY_MAX];             /* as typed */
    char shown[QUERY_MAX];             /* the query whose results are shown (or in flight) */
    double due;                        /* when to send the query (0: nothing to send) */
    unsigned long seq;                 /* the search in flight (0: none) */
    bool more;                         /* seq fetches the next page (appends) */
    bo_order *rows;                    /* owned: the results (summaries) */
    size_t n, cap;
    char cursor[API_CURSOR_MAX + 1];   /* the next page ("" = none) */
    char code_ticket[BO_ID_MAX + 1];   /* a code lookup: the ticket it named */
    char reopen[BO_ID_MAX + 1];        /* the order opened from here: selected again when the results come
                                        * back (they are asked again on return: a refund changes them) */
    size_t sel, top;
    int list_rows;                     /* results that fit (2 lines each), from the last draw */
    char note[320];                    /* why there is nothing to show ("" = the results) */
    bool note_error;
} find_state;

static find_state *st(const ui_app *app)
{
    return ui_screen_state(app, &ui_screen_find);
}

static void clear_rows(find_state *fs)
{
    for (size_t i = 0; i < fs->n; i++)
        bo_order_clear(&fs->rows[i]);
    fs->n = 0;
    fs->sel = fs->top = 0;
    fs->cursor[0] = '\0';
    fs->code_ticket[0] = '\0';
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
    memset(fs->shown, 0, sizeof fs->shown);
    fs->due = 0;
    fs->reopen[0] = '\0';
    fs->seq = 0;   /* an answer still in flight is dropped when it lands */
    fs->note[0] = '\0';
    return false;
}

static void leave(ui_app *app)
{
    wipe(app, st(app));
}

/* What the text is: a code (bo_code reads it), an e-mail (holds '@'), else a name; FIND_NONE when it is too
 * short to ask for (the server wants 2 characters). The trimmed text goes to out. */
static find_kind classify(const char *query, char out[QUERY_MAX])
{
    char canon[BO_CODE_BUF];
    const char *s = query;
    while (*s == ' ')
        s++;
    snprintf(out, QUERY_MAX, "%s", s);
    size_t n = strlen(out);
    while (n > 0 && out[n - 1] == ' ')
        out[--n] = '\0';
    if (bo_utf8_chars(out) < 2)
        return FIND_NONE;
    if (bo_code_parse(out, canon) == 0)
        return FIND_CODE;
    return strchr(out, '@') != NULL ? FIND_EMAIL : FIND_NAME;
}

/* Sends the search for the current query (the first page, or with more the next one). */
static void send_query(ui_app *app, find_state *fs, bool more)
{
    char text[QUERY_MAX];
    find_kind k = classify(fs->query, text);
    net_job job;
    memset(&job, 0, sizeof job);
    fs->due = 0;
    if (k == FIND_NONE) {
        clear_rows(fs);
        snprintf(fs->shown, sizeof fs->shown, "%s", fs->query);
        snprintf(fs->note, sizeof fs->note, "Type at least 2 characters of an e-mail or a name, or a ticket code.");
        fs->note_error = false;
        fs->seq = 0;
        return;
    }
    if (k == FIND_CODE) {
        job.kind = NET_JOB_TICKET_BY_CODE;
        snprintf(job.name, sizeof job.name, "%s", text);
    } else {
        job.kind = NET_JOB_FIND_ORDERS;
        snprintf(k == FIND_EMAIL ? job.email : job.name, sizeof job.name, "%s", text);
        job.tickets = PAGE_LIMIT;
        if (more)
            snprintf(job.cursor, sizeof job.cursor, "%s", fs->cursor);
    }
    unsigned long seq = ui_submit_for(app, &ui_screen_find, &job);
    memset(&job, 0, sizeof job);
    memset(text, 0, sizeof text);
    if (seq == 0) {
        fs->due = app->now + DEBOUNCE_S; /* the queue is full: try again shortly */
        return;
    }
    fs->seq = seq;
    fs->more = more;
    snprintf(fs->shown, sizeof fs->shown, "%s", fs->query);
}

static int tick(ui_app *app)
{
    find_state *fs = st(app);
    if (fs->due > 0 && app->now >= fs->due && fs->seq == 0) {
        send_query(app, fs, false);
        return UI_REDRAW;
    }
    return fs->seq != 0 ? UI_REDRAW : 0; /* the "searching" mark */
}

static bool rows_reserve(find_state *fs, size_t n)
{
    if (n <= fs->cap)
        return true;
    bo_order *r = realloc(fs->rows, n * sizeof *r);
    if (r == NULL)
        return false;
    fs->rows = r;
    fs->cap = n;
    return true;
}

static int result(ui_app *app, net_result *r)
{
    find_state *fs = st(app);
    if (fs == NULL || r->seq != fs->seq)
        return 0; /* an older search: its answer is not wanted */
    fs->seq = 0;
    bool more = fs->more;
    fs->more = false;
    if (strcmp(fs->shown, fs->query) != 0 && fs->due == 0)
        fs->due = app->now; /* typed on while it was in flight: ask again */
    if (!more)
        clear_rows(fs);
    fs->note[0] = '\0';
    if (r->status != API_OK) {
        char m[256];
        bo_text_sanitize(m, sizeof m, r->res.message[0] ? r->res.message : api_status_message(r->status));
        if (r->kind == NET_JOB_TICKET_BY_CODE && r->status == API_ERR_NOT_FOUND)
            snprintf(fs->note, sizeof fs->note, "No ticket has this code.");
        else if (r->res.http_status > 0)
            snprintf(fs->note, sizeof fs->note, "%s (HTTP %ld)", m, r->res.http_status);
        else
            snprintf(fs->note, sizeof fs->note, "%s", m);
        fs->note_error = r->status != API_ERR_NOT_FOUND;
        return UI_REDRAW;
    }
    if (r->kind == NET_JOB_TICKET_BY_CODE) {
        if (!rows_reserve(fs, 1)) {
            snprintf(fs->note, sizeof fs->note, "Out of memory");
            fs->note_error = true;
            return UI_REDRAW;
        }
        fs->rows[0] = r->order;
        memset(&r->order, 0, sizeof r->order);
        fs->n = 1;
        fs->reopen[0] = '\0';
        snprintf(fs->code_ticket, sizeof fs->code_ticket, "%s", r->id);
        return UI_REDRAW;
    }
    if (!rows_reserve(fs, fs->n + r->page.n)) {
        snprintf(fs->note, sizeof fs->note, "Out of memory");
        fs->note_error = true;
        return UI_REDRAW;
    }
    for (size_t i = 0; i < r->page.n; i++) {
        fs->rows[fs->n++] = r->page.orders[i];
        memset(&r->page.orders[i], 0, sizeof r->page.orders[i]);
    }
    memcpy(fs->cursor, r->page.cursor, sizeof fs->cursor);
    for (size_t i = 0; !more && fs->reopen[0] != '\0' && i < fs->n; i++)
        if (strcmp(fs->rows[i].id, fs->reopen) == 0)
            fs->sel = i;
    fs->reopen[0] = '\0';
    if (fs->n == 0)
        snprintf(fs->note, sizeof fs->note, "No order matches.");
    return UI_REDRAW;
}

/* "2 tickets · 1 admitted · refunded 25.00 EUR", in at most cols columns: shorter words when the
 * column is narrow ("2 tickets · 1 in · ref 25.00"), never the refund cut off. */
static void state_summary(const bo_order *o, int cols, char *out, size_t cap)
{
    static const char *const forms[][3] = { /* tickets, admitted, refunded */
        { "%lld ticket%s", " \xc2\xb7 %lld admitted", " \xc2\xb7 refunded %s" },
        { "%lld ticket%s", " \xc2\xb7 %lld in", " \xc2\xb7 ref %s" },
        { "%lld tk%s", " \xc2\xb7 %lld in", " \xc2\xb7 ref %s" },
    };
    char m[64];
    for (size_t f = 0; f < sizeof forms / sizeof forms[0]; f++) {
        int n = snprintf(out, cap, forms[f][0], (long long)o->quantity, o->quantity == 1 || f == 2 ? "" : "s");
        if (o->admitted > 0 && n > 0 && (size_t)n < cap)
            n += snprintf(out + n, cap - (size_t)n, forms[f][1], (long long)o->admitted);
        if (o->n_refunds > 0 && n > 0 && (size_t)n < cap) {
            if (f == 0)
                bo_money_with_currency(o->refunded_cents, o->currency, m, sizeof m);
            else
                bo_money_display(o->refunded_cents, m);
            snprintf(out + n, cap - (size_t)n, forms[f][2], m);
        }
        if ((int)bo_utf8_chars(out) <= cols)
            return;
    }
}

static void draw_row(ui_app *app, int y, int w, const bo_order *o, bool selected)
{
    int base = selected ? ui_attr(app, UI_A_SELECTED) : 0;
    if (selected) {
        attron(base);
        mvhline(y, 0, ' ', w);
        mvhline(y + 1, 0, ' ', w);
        mvaddch(y, 0, '>');
        attroff(base);
    }
    char state[128], when[64], line2[400];
    int name_w = (w - 4) / 4, mail_w = (w - 4) * 7 / 20, state_w = w - 4 - name_w - mail_w - 2;
    state_summary(o, state_w, state, sizeof state);
    ui_draw_text(y, 2, name_w, o->customer_name != NULL ? o->customer_name : "(walk-up)", base, false);
    ui_draw_text(y, 3 + name_w, mail_w, o->customer_email != NULL ? o->customer_email : "", base, false);
    ui_draw_text(y, 4 + name_w + mail_w, state_w, state, base, false);
    const bo_concert *c = ui_catalogue_find(&app->cat, o->concert_id);
    if (c != NULL) {
        client_time_format(c->date, c->timezone, when, sizeof when); /* the venue's zone */
        snprintf(line2, sizeof line2, "%s \xc2\xb7 %s", c->name != NULL ? c->name : "", when);
    } else {
        snprintf(line2, sizeof line2, "concert %s", o->concert_id);
    }
    ui_draw_text(y + 1, 4, w - 6, line2, selected ? base : ui_attr(app, UI_A_DIM), false);
}

static void draw(ui_app *app, const ui_rect *a)
{
    find_state *fs = st(app);
    char text[QUERY_MAX], line[QUERY_MAX + 64];
    find_kind k = classify(fs->query, text);
    const char *what = k == FIND_CODE ? "ticket code" : k == FIND_EMAIL ? "e-mail" : k == FIND_NAME ? "name" : "";
    ui_draw_text(a->y, 1, a->w - 2, "Find an order \xe2\x80\x94 e-mail, name or ticket code", ui_attr(app, UI_A_TITLE), false);
    snprintf(line, sizeof line, "Find: %s_", fs->query);
    ui_draw_text(a->y + 1, 1, a->w - 20, line, ui_attr(app, UI_A_FIELD), false);
    snprintf(line, sizeof line, "%s%s", fs->seq != 0 ? "searching\xe2\x80\xa6 " : "", what);
    ui_draw_text(a->y + 1, a->w - 19, 18, line, ui_attr(app, UI_A_DIM), true);
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
        if (fs->n > 0 && fs->sel + 1 == fs->n && fs->cursor[0] != '\0' && fs->seq == 0
            && strcmp(fs->shown, fs->query) == 0)
            send_query(app, fs, true); /* at the end of what is shown: the next page */
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_OPEN:
        if (fs->n == 0 || fs->sel >= fs->n) {
            if (fs->seq == 0 && fs->query[0] != '\0')
                send_query(app, fs, false); /* Enter after typing (a scanner ends with Enter): at once */
            return UI_HANDLED | UI_REDRAW;
        }
        snprintf(fs->reopen, sizeof fs->reopen, "%s", fs->rows[fs->sel].id);
        fs->due = app->now; /* back here, the results are asked again (the order may be refunded meanwhile) */
        ui_order_open(app, fs->rows[fs->sel].id, fs->code_ticket[0] != '\0' ? fs->code_ticket : NULL);
        return UI_HANDLED | UI_REDRAW;
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
