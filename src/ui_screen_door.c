/* Door mode: a full-screen scanner view. A barcode scanner (or a keyboard) types a code and Enter; each
 * scan gets its own nonce and joins a queue that the network worker checks in one at a time, in order
 * (POST /checkins). The answer is drawn as a large verdict band (ADMIT green, REFUSED red with the reason
 * and the bell), the last verdicts in a side list, the running count admitted / sold. When the API gives no
 * verdict the head of the queue stays where it is (the same nonce: a retry admits once), the band says
 * "CANNOT VERIFY — queued" (never ADMIT) and the head is tried again with a growing wait; the queued
 * scans are verified in order once the API answers. The moment a scan is taken the band is that scan's:
 * CHECKING (its short code) until its verdict, never the verdict of the scan before. Opened from a concert
 * (d) the door first asks for its name (remembered for the session), so that a refusal elsewhere says
 * where a ticket went in. Quitting with scans unsettled prints, for each, the command that settles it
 * with its own nonce. Usable from 40x12. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_door.h"
#include "bo_clock.h"
#include "bo_code.h"
#include "bo_text.h"
#include "bo_valid.h"
#include "cli.h"
#include "client_time.h"
#include "ui_app.h"
#include "ui_curses.h"
#include "ui_screens.h"
#include "ui_term.h"
#include "ui_text.h"

#define DOOR_QUEUE_MAX 1024      /* scans waiting for a verdict; past it the input is refused, not lost */
#define DOOR_HISTORY 64          /* verdicts kept for the side list */
#define DOOR_STATS_EVERY 15.0    /* seconds: the counts are read at least this often */
#define DOOR_STATS_QUIET 2.0     /* ... and once the scans pause this long (never between two quick scans:
                                  * a scan must not wait behind the counts on the one worker) */
#define DOOR_RETRY_MAX 5.0       /* seconds: the longest wait before the head of the queue is tried again */
#define DOOR_MIN_COLS 40
#define DOOR_MIN_ROWS 12

typedef struct door_scan {       /* a scan waiting for its verdict */
    char code[NET_CODE_MAX];     /* as typed (a secret: wiped once verified) */
    char nonce[API_NONCE_MAX + 1];
    uint64_t at_ms;              /* wall clock of the scan */
    bool failed;                 /* waited for the API: it or a scan ahead of it got no verdict */
} door_scan;

typedef struct door_entry {      /* one verdict, as the band and the side list show it */
    api_checkin_kind kind;
    char clock[16];              /* the scan's time in the venue's zone */
    char word[32];               /* ADMIT, REFUSED, ERROR */
    char line1[300];             /* the name, or the reason */
    char line2[400];             /* "ticket 2 of 4", "at 20:14:03 at door 2", the other concert */
    char brief[300];             /* the side list's text */
    bool late;                   /* verified after it had been queued without an answer */
} door_entry;

typedef struct door_state {
    char concert_id[BO_ID_MAX + 1];
    char door_name[API_DOOR_MAX * 4 + 1]; /* where the scans are made, sent with each ("" = not named) */
    bool naming;                 /* the input is the door's name, not a scan */
    char name_input[API_DOOR_MAX * 4 + 8];
    char concert_name[256];
    char tz[64];
    unsigned long concert_seq, scan_seq, stats_seq;
    double concert_retry_at;
    char input[NET_CODE_MAX];
    door_scan *queue;            /* ring of DOOR_QUEUE_MAX */
    size_t q_head, q_count;
    bool offline;                /* the head's last try got no verdict */
    char offline_why[256];
    int failures;
    double retry_at;
    door_entry hist[DOOR_HISTORY]; /* newest first; hist[0] is the band's verdict */
    size_t n_hist;
    api_stats stats;
    bool have_stats;
    double stats_due;            /* when to read the counts next */
    double stats_at;             /* when they were last asked for */
} door_state;

/* snprintf for texts that may be cut: names and reasons are fitted to the screen anyway. */
static void put(char *out, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void put(char *out, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out, cap, fmt, ap);
    va_end(ap);
}

static door_state *st(const ui_app *app)
{
    return ui_screen_state(app, &ui_screen_door);
}

static int init(ui_app *app, void *state)
{
    door_state *d = state;
    if (app->opts->door_name != NULL && bo_valid_door(app->opts->door_name) == NULL)
        put(d->door_name, sizeof d->door_name, "%s", app->opts->door_name);
    d->queue = calloc(DOOR_QUEUE_MAX, sizeof *d->queue);
    return d->queue != NULL ? 0 : -1;
}

/* Scans and verdicts are customer data: forgotten when the door is left for good (exit). */
static bool wipe(ui_app *app, void *state)
{
    (void)app;
    door_state *d = state;
    bool had = d->n_hist > 0 || d->q_count > 0;
    if (d->queue != NULL)
        memset(d->queue, 0, DOOR_QUEUE_MAX * sizeof *d->queue);
    d->q_head = d->q_count = 0;
    memset(d->hist, 0, sizeof d->hist);
    d->n_hist = 0;
    memset(d->input, 0, sizeof d->input);
    d->naming = false;
    return had;
}

static void fini(void *state)
{
    door_state *d = state;
    free(d->queue);
    d->queue = NULL;
}

/* ---- jobs ---- */

static void submit_concert(ui_app *app, door_state *d)
{
    net_job job;
    memset(&job, 0, sizeof job);
    job.kind = NET_JOB_GET;
    put(job.req.concert_id, sizeof job.req.concert_id, "%s", d->concert_id);
    d->concert_seq = ui_submit_for(app, &ui_screen_door, &job);
    d->concert_retry_at = app->now + 5;
}

static void submit_stats(ui_app *app, door_state *d)
{
    if (d->stats_seq != 0)
        return;
    net_job job;
    memset(&job, 0, sizeof job);
    job.kind = NET_JOB_STATS;
    put(job.req.concert_id, sizeof job.req.concert_id, "%s", d->concert_id);
    d->stats_seq = ui_submit_for(app, &ui_screen_door, &job);
    d->stats_at = app->now;
    d->stats_due = app->now + DOOR_STATS_EVERY;
}

/* Sends the head of the queue when nothing is in flight (and, after a failure, once its wait is over). */
static void pump(ui_app *app, door_state *d)
{
    if (d->scan_seq != 0 || d->q_count == 0 || (d->offline && app->now < d->retry_at))
        return;
    const door_scan *s = &d->queue[d->q_head];
    net_job job;
    memset(&job, 0, sizeof job);
    job.kind = NET_JOB_CHECKIN;
    net_checkin_req *q = &job.req.checkin;
    put(q->concert_id, sizeof q->concert_id, "%s", d->concert_id);
    memcpy(q->code, s->code, sizeof q->code);
    memcpy(q->nonce, s->nonce, sizeof q->nonce);
    put(q->door, sizeof q->door, "%s", d->door_name);
    q->attempts = 1; /* the door retries itself: the queue behind the head must not wait on backoffs */
    d->scan_seq = ui_submit_for(app, &ui_screen_door, &job);
    memset(q->code, 0, sizeof q->code);
}

/* ---- verdicts ---- */

/* What may be shown of a scanned code: its first 4 symbols. */
static void code_shown(const char *typed, char out[BO_CODE_REDACT_BUF])
{
    char canon[BO_CODE_BUF];
    if (bo_code_parse(typed, canon) == 0) {
        bo_code_redact(canon, out);
    } else {
        char raw[8];
        put(raw, sizeof raw, "%.4s", typed);
        char safe[BO_CODE_REDACT_BUF];
        bo_text_sanitize(safe, sizeof safe, raw);
        put(out, BO_CODE_REDACT_BUF, "%s\xe2\x80\xa6", safe);
    }
}

static void clock_of(const door_state *d, const char *iso, char *out, size_t cap)
{
    if (client_time_clock(iso, d->tz[0] != '\0' ? d->tz : NULL, out, cap) != 0)
        put(out, cap, "?");
}

static void make_entry(const door_state *d, const door_scan *s, const net_result *r, door_entry *e)
{
    const api_checkin_verdict *v = &r->out.checkin.verdict;
    char iso[BO_CLOCK_ISO_BUF], code[BO_CODE_REDACT_BUF], at[16];
    memset(e, 0, sizeof *e);
    e->kind = v->kind;
    e->late = s->failed;
    bo_clock_iso_ms(s->at_ms, iso);
    clock_of(d, iso, e->clock, sizeof e->clock);
    code_shown(s->code, code);
    const char *who = v->attendee[0] != '\0' ? v->attendee : v->customer[0] != '\0' ? v->customer : NULL;
    put(e->word, sizeof e->word, "REFUSED");
    switch (v->kind) {
    case API_CHECKIN_ADMITTED:
        put(e->word, sizeof e->word, "ADMIT");
        put(e->line1, sizeof e->line1, "%s", who != NULL ? who : "(no name on the ticket)");
        put(e->line2, sizeof e->line2, "ticket %d of %d", v->admitted_so_far, v->quantity);
        put(e->brief, sizeof e->brief, "ADMIT %s %d/%d", who != NULL ? who : code, v->admitted_so_far,
                 v->quantity);
        break;
    case API_CHECKIN_ALREADY_ADMITTED:
        clock_of(d, v->at, at, sizeof at);
        put(e->line1, sizeof e->line1, "ALREADY ADMITTED%s%s", who != NULL ? ": " : "", who != NULL ? who : "");
        if (v->door[0] != '\0')
            put(e->line2, sizeof e->line2, "at %s at door %s", at, v->door);
        else
            put(e->line2, sizeof e->line2, "at %s", at);
        put(e->brief, sizeof e->brief, "REFUSED already admitted %s", at);
        break;
    case API_CHECKIN_REFUNDED:
        put(e->line1, sizeof e->line1, "REFUNDED ticket");
        put(e->line2, sizeof e->line2, "%s", who != NULL ? who : code);
        put(e->brief, sizeof e->brief, "REFUSED refunded %s", who != NULL ? who : code);
        break;
    case API_CHECKIN_WRONG_CONCERT:
        put(e->line1, sizeof e->line1, "WRONG CONCERT");
        if (v->concert_name[0] != '\0') {
            char when[64];
            client_time_format(v->concert_date, NULL, when, sizeof when);
            put(e->line2, sizeof e->line2, "ticket for %s, %s", v->concert_name, when);
        } else {
            put(e->line2, sizeof e->line2, "ticket for concert %s", v->concert_id);
        }
        put(e->brief, sizeof e->brief, "REFUSED wrong concert: %s",
                 v->concert_name[0] != '\0' ? v->concert_name : v->concert_id);
        break;
    case API_CHECKIN_UNKNOWN_CODE:
        put(e->line1, sizeof e->line1, "UNKNOWN CODE");
        put(e->line2, sizeof e->line2, "%s is no ticket", code);
        put(e->brief, sizeof e->brief, "REFUSED unknown code %s", code);
        break;
    case API_CHECKIN_ERROR:
    case API_CHECKIN_UNVERIFIED:
        put(e->word, sizeof e->word, "ERROR");
        put(e->line1, sizeof e->line1, "%s", r->res.message[0] != '\0' ? r->res.message : "Request refused");
        put(e->line2, sizeof e->line2, "not admitted: %s", code);
        put(e->brief, sizeof e->brief, "ERROR %s", e->line1);
        break;
    }
}

static void push_history(door_state *d, const door_entry *e)
{
    memmove(&d->hist[1], &d->hist[0], (DOOR_HISTORY - 1) * sizeof d->hist[0]);
    d->hist[0] = *e;
    if (d->n_hist < DOOR_HISTORY)
        d->n_hist++;
}

static int scan_result(ui_app *app, door_state *d, net_result *r)
{
    d->scan_seq = 0;
    if (d->q_count == 0 || strcmp(d->queue[d->q_head].nonce, r->out.checkin.nonce) != 0)
        return UI_REDRAW; /* not the head (cannot happen: one scan in flight) */
    if (r->out.checkin.verdict.kind == API_CHECKIN_UNVERIFIED) {
        if (!d->offline)
            ui_term_bell();
        d->offline = true;
        for (size_t i = 0; i < d->q_count; i++) /* all of them wait for the API now */
            d->queue[(d->q_head + i) % DOOR_QUEUE_MAX].failed = true;
        d->failures++;
        double wait = 0.5;
        for (int i = 1; i < d->failures && wait < DOOR_RETRY_MAX; i++)
            wait *= 2;
        d->retry_at = app->now + (wait < DOOR_RETRY_MAX ? wait : DOOR_RETRY_MAX);
        put(d->offline_why, sizeof d->offline_why, "%s", r->res.message);
        return UI_REDRAW;
    }
    door_scan *s = &d->queue[d->q_head];
    door_entry e;
    make_entry(d, s, r, &e);
    push_history(d, &e);
    memset(s, 0, sizeof *s);
    d->q_head = (d->q_head + 1) % DOOR_QUEUE_MAX;
    d->q_count--;
    d->offline = false;
    d->failures = 0;
    if (e.kind == API_CHECKIN_ADMITTED) {
        if (d->have_stats)
            d->stats.admitted++; /* at once; the next read of the counts corrects it */
    } else {
        ui_term_bell();
    }
    pump(app, d);
    /* the counts once the scans pause (the tick asks for them), at least every DOOR_STATS_EVERY */
    double quiet = app->now + DOOR_STATS_QUIET, every = d->stats_at + DOOR_STATS_EVERY;
    d->stats_due = quiet < every ? quiet : every;
    return UI_REDRAW;
}

static int result(ui_app *app, net_result *r)
{
    door_state *d = st(app);
    if (r->seq == d->scan_seq && r->kind == NET_JOB_CHECKIN)
        return scan_result(app, d, r);
    if (r->seq == d->stats_seq && r->kind == NET_JOB_STATS) {
        d->stats_seq = 0;
        if (r->status == API_OK && strcmp(r->id, d->concert_id) == 0) {
            d->stats = r->out.stats;
            d->have_stats = true;
        }
        return UI_REDRAW;
    }
    if (r->seq == d->concert_seq && r->kind == NET_JOB_GET) {
        d->concert_seq = 0;
        if (r->status == API_OK && strcmp(r->id, d->concert_id) == 0) {
            const bo_concert *c = &r->out.concert;
            bo_text_sanitize(d->concert_name, sizeof d->concert_name, c->name != NULL ? c->name : "");
            put(d->tz, sizeof d->tz, "%s", c->timezone);
        } else if (r->status == API_ERR_NOT_FOUND) {
            put(d->concert_name, sizeof d->concert_name, "(no such concert: %s)", d->concert_id);
        }
        return UI_REDRAW;
    }
    return 0;
}

/* ---- screen ---- */

bool ui_door_open(ui_app *app, const char *concert_id)
{
    if (!ui_push(app, &ui_screen_door))
        return false;
    door_state *d = st(app);
    if (strcmp(d->concert_id, concert_id) != 0) { /* another concert: its own counts and verdicts */
        if (d->q_count > 0) {
            ui_pop(app);
            ui_message(app, true, "Door: %zu scans of the previous concert still wait for their verdict", d->q_count);
            return false;
        }
        wipe(app, d);
        memset(&d->stats, 0, sizeof d->stats);
        d->have_stats = false;
        d->concert_name[0] = d->tz[0] = '\0';
        bo_text_sanitize(d->concert_id, sizeof d->concert_id, concert_id);
    }
    submit_concert(app, d);
    submit_stats(app, d);
    pump(app, d);
    return true;
}

void ui_door_ask_name(ui_app *app)
{
    door_state *d = st(app);
    if (d == NULL || ui_top(app) != &ui_screen_door || d->q_count > 0)
        return;
    d->naming = true;
    put(d->name_input, sizeof d->name_input, "%s", d->door_name);
}

/* Takes the typed name when the API would (bo_valid_door), trimmed as the API stores it. */
static int name_door(ui_app *app, door_state *d)
{
    const char *bad = bo_valid_door(d->name_input);
    if (bad != NULL) {
        ui_message(app, true, "Not taken: %s", bad);
        ui_term_bell();
        return UI_HANDLED | UI_REDRAW;
    }
    char *name = bo_text_trim_dup(d->name_input);
    if (name == NULL) {
        ui_message(app, true, "Out of memory: the door's name is not taken");
        return UI_HANDLED | UI_REDRAW;
    }
    put(d->door_name, sizeof d->door_name, "%s", name);
    free(name);
    d->naming = false;
    memset(d->name_input, 0, sizeof d->name_input);
    ui_message(app, false, "This is door %s: refusals elsewhere name it", d->door_name);
    pump(app, d);
    return UI_HANDLED | UI_REDRAW;
}

void ui_door_report_unsettled(const ui_app *app, FILE *err)
{
    const door_state *d = st(app);
    if (d == NULL || d->q_count == 0)
        return;
    fprintf(err, "boxoffice: %zu door scan%s got no verdict here: %s may or may not have been admitted.\n"
                 "boxoffice: do not scan %s again as new; settle each with its own nonce (it admits once and tells "
                 "the true verdict):\n",
            d->q_count, d->q_count == 1 ? "" : "s", d->q_count == 1 ? "its ticket" : "their tickets",
            d->q_count == 1 ? "it" : "them");
    for (size_t i = 0; i < d->q_count; i++) {
        const door_scan *s = &d->queue[(d->q_head + i) % DOOR_QUEUE_MAX];
        char code[NET_CODE_MAX * 3], cmd[2048];
        if (bo_code_parse(s->code, code) != 0) /* the API would call it an unknown code: shown as typed */
            bo_text_sanitize(code, sizeof code, s->code);
        if (cli_checkin_command(cmd, sizeof cmd, app->opts->api.base_url, d->concert_id, code, d->door_name,
                                s->nonce))
            fprintf(err, "  %s\n", cmd);
        memset(code, 0, sizeof code);
        memset(cmd, 0, sizeof cmd);
    }
}

size_t ui_door_waiting(const ui_app *app)
{
    const door_state *d = st(app);
    return d != NULL ? d->q_count : 0;
}

static void leave(ui_app *app)
{
    memset(st(app)->input, 0, sizeof st(app)->input);
    if (app->cat.next_refresh <= 0) /* the list was not loaded while the door had the worker: now */
        app->cat.next_refresh = app->now;
}

static bool typing(const ui_app *app)
{
    (void)app;
    return true; /* a scanner types codes: every printable key is text */
}

static bool unsaved(const ui_app *app)
{
    const door_state *d = st(app);
    return d != NULL && d->q_count > 0;
}

static int tick(ui_app *app)
{
    door_state *d = st(app);
    int flags = 0;
    unsigned long before = d->scan_seq;
    pump(app, d);
    if (d->scan_seq != before)
        flags |= UI_REDRAW;
    if (d->concert_name[0] == '\0' && d->concert_seq == 0 && app->now >= d->concert_retry_at)
        submit_concert(app, d);
    if (d->scan_seq == 0 && app->now >= d->stats_due)
        submit_stats(app, d);
    return flags;
}

static int scan(ui_app *app, door_state *d)
{
    char text[NET_CODE_MAX];
    bo_text_sanitize(text, sizeof text, d->input);
    char *p = text; /* a scanner may send spaces around the code */
    while (*p == ' ')
        p++;
    size_t n = strlen(p);
    while (n > 0 && p[n - 1] == ' ')
        p[--n] = '\0';
    memset(d->input, 0, sizeof d->input);
    if (n == 0)
        return UI_HANDLED | UI_REDRAW;
    if (d->q_count >= DOOR_QUEUE_MAX) { /* refused, not lost: the text stays in the field */
        put(d->input, sizeof d->input, "%s", p);
        ui_message(app, true, "%d scans wait for the API: this one is not taken yet", DOOR_QUEUE_MAX);
        ui_term_bell();
        return UI_HANDLED | UI_REDRAW;
    }
    door_scan *s = &d->queue[(d->q_head + d->q_count) % DOOR_QUEUE_MAX];
    memset(s, 0, sizeof *s);
    put(s->code, sizeof s->code, "%s", p);
    api_checkin_nonce_new(s->nonce);
    s->at_ms = bo_clock_wall_ms();
    s->failed = d->offline;
    d->q_count++;
    memset(text, 0, sizeof text);
    if (d->offline)
        ui_term_bell(); /* queued, not verified: nobody goes in on it */
    pump(app, d);
    return UI_HANDLED | UI_REDRAW;
}

/* Keys go to the scan, or while the door asks its name (not on a locked door) to that name: Enter takes
 * it, Esc leaves the door. */
static int key(ui_app *app, ui_action act, int k)
{
    door_state *d = st(app);
    bool naming = d->naming && !app->locked;
    char *field = naming ? d->name_input : d->input;
    size_t cap = naming ? sizeof d->name_input : sizeof d->input;
    switch (act) {
    case UI_ACT_OPEN:
        return naming ? name_door(app, d) : scan(app, d);
    case UI_ACT_ERASE:
        ui_text_erase_last(field);
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_BACK:
        if (naming) {
            memset(d->name_input, 0, sizeof d->name_input);
            d->naming = false;
            ui_pop(app);
            return UI_HANDLED | UI_REDRAW;
        }
        if (app->locked) {
            ui_message(app, true, "Door mode: F10 and the PIN to leave");
        } else if (d->q_count > 0) {
            ui_message(app, true, "%zu scan%s still wait%s for a verdict", d->q_count, d->q_count == 1 ? "" : "s",
                       d->q_count == 1 ? "s" : "");
        } else {
            ui_pop(app);
        }
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_QUIT:
    case UI_ACT_REDRAW:
        return UI_UNHANDLED;
    case UI_ACT_NONE:
        if (ui_key_is_text(k)) {
            if (!ui_text_append(field, cap, (uint32_t)k) && naming)
                ui_term_bell(); /* longer than any name the API takes */
            return UI_HANDLED | UI_REDRAW;
        }
        return UI_HANDLED;
    case UI_ACT_HELP: /* the help screen needs 80x24 and would leave a small door terminal stuck */
        ui_message(app, false, app->locked ? "Scan, then Enter \xc2\xb7 F10 and the PIN leave"
                                           : "Scan, then Enter \xc2\xb7 Esc back \xc2\xb7 F10 quit");
        return UI_HANDLED | UI_REDRAW;
    default:
        return UI_HANDLED; /* no other screen from the door */
    }
}

/* ---- drawing ---- */

/* One row of the band: text centred on the whole width, in attr (the band's colour fills the row). */
static void band_row(int y, int x, int w, const char *text, int attr)
{
    int tw = ui_text_width(text);
    if (tw > w)
        tw = w;
    int pad = (w - tw) / 2;
    attron(attr);
    mvhline(y, x, ' ', w);
    attroff(attr);
    ui_draw_text(y, x + pad, w - pad, text, attr, false);
}

static void draw_band(ui_app *app, const door_state *d, int y, int x, int h, int w)
{
    char word[64], l1[400], l2[400];
    int attr;
    if (d->naming) {
        put(word, sizeof word, "WHICH DOOR IS THIS?");
        put(l1, sizeof l1, "type its name, then Enter");
        put(l2, sizeof l2, "a refusal at another door says where a ticket went in");
        attr = ui_attr(app, UI_A_TITLE);
    } else if (d->offline && d->q_count > 0) {
        put(word, sizeof word, "CANNOT VERIFY \xe2\x80\x94 queued");
        put(l1, sizeof l1, "%zu scan%s waiting: do not admit", d->q_count, d->q_count == 1 ? "" : "s");
        double left = d->retry_at - app->now;
        put(l2, sizeof l2, "API unreachable \xc2\xb7 retry in %.0fs", left > 0 ? left + 0.49 : 0.0);
        attr = ui_attr(app, UI_A_WAIT);
    } else if (d->q_count > 0) { /* the newest scan is the band's: no earlier verdict stands for it */
        char code[BO_CODE_REDACT_BUF];
        code_shown(d->queue[(d->q_head + d->q_count - 1) % DOOR_QUEUE_MAX].code, code);
        put(word, sizeof word, "CHECKING\xe2\x80\xa6");
        put(l1, sizeof l1, "%s \xe2\x80\x94 wait for the verdict: do not admit yet", code);
        if (d->q_count > 1)
            put(l2, sizeof l2, "%zu scans waiting", d->q_count);
        else
            l2[0] = '\0';
        attr = ui_attr(app, UI_A_WAIT);
    } else if (d->n_hist > 0) {
        const door_entry *e = &d->hist[0];
        put(word, sizeof word, "%s", e->word);
        put(l1, sizeof l1, "%s", e->line1);
        put(l2, sizeof l2, "%s%s", e->line2, e->late ? " (verified late)" : "");
        attr = ui_attr(app, e->kind == API_CHECKIN_ADMITTED ? UI_A_ADMIT : UI_A_REFUSE);
    } else {
        put(word, sizeof word, "READY");
        put(l1, sizeof l1, "scan a ticket");
        l2[0] = '\0';
        attr = ui_attr(app, UI_A_TITLE);
    }
    int bw = ui_big_word_width(word);
    if (h >= 10 && bw > 0 && bw <= w - 2) { /* room for the word in large letters, its two lines beneath */
        int top = y + (h - 8) / 2;
        for (int r = 0; r < h; r++)
            band_row(y + r, x, w, r == top - y + 6 ? l1 : r == top - y + 7 ? l2 : "", attr);
        ui_draw_big_word(top, x + (w - bw) / 2, word, attr);
        return;
    }
    int lines = h >= 5 ? 3 : h; /* word, then its two lines, centred in the band */
    int top = y + (h - lines) / 2;
    for (int r = 0; r < h; r++) {
        const char *t = "";
        if (r == top - y)
            t = word;
        else if (r == top - y + 1 && lines > 1)
            t = l1;
        else if (r == top - y + 2 && lines > 2)
            t = l2;
        band_row(y + r, x, w, t, attr);
    }
}

static void draw_history(ui_app *app, const door_state *d, int y, int x, int h, int w)
{
    int row = 0;
    /* the scans still waiting come first (newest on top), then the verdicts */
    for (size_t i = d->q_count; i > 0 && row < h; i--, row++) {
        const door_scan *s = &d->queue[(d->q_head + i - 1) % DOOR_QUEUE_MAX];
        char iso[BO_CLOCK_ISO_BUF], clk[16], code[BO_CODE_REDACT_BUF], line[128];
        bo_clock_iso_ms(s->at_ms, iso);
        clock_of(d, iso, clk, sizeof clk);
        code_shown(s->code, code);
        put(line, sizeof line, "%s %s %s", clk, s->failed || d->offline ? "QUEUED" : "checking", code);
        ui_draw_text(y + row, x, w, line, ui_attr(app, UI_A_STALE), false);
    }
    for (size_t i = 0; i < d->n_hist && row < h; i++, row++) {
        const door_entry *e = &d->hist[i];
        char line[400];
        put(line, sizeof line, "%s %s%s", e->clock, e->brief, e->late ? " (late)" : "");
        ui_draw_text(y + row, x, w, line,
                     e->kind == API_CHECKIN_ADMITTED ? ui_attr(app, UI_A_OK) : ui_attr(app, UI_A_SOLDOUT), false);
    }
}

static void draw(ui_app *app, const ui_rect *a)
{
    door_state *d = st(app);
    int W = a->w, H = a->h;
    int side = W >= 72 ? (W * 9 / 20 > 48 ? 48 : W * 9 / 20) : 0;
    int mw = W - side;
    char line[600], counts[160];

    /* header: where, and the count */
    int hattr = ui_attr(app, UI_A_HEADER);
    attron(hattr);
    mvhline(a->y, a->x, ' ', W);
    attroff(hattr);
    put(line, sizeof line, " DOOR%s%s \xc2\xb7 %s", d->door_name[0] != '\0' ? " " : "", d->door_name,
             d->concert_name[0] != '\0' ? d->concert_name : d->concert_id);
    ui_draw_text(a->y, a->x, W, line, hattr, false);
    /* admitted of the tickets that can still be admitted: sold minus refunded (the API's counts) */
    if (d->have_stats && d->stats.refunded > 0)
        put(counts, sizeof counts, "Admitted %lld of %lld (%lld refunded)", (long long)d->stats.admitted,
            (long long)(d->stats.sold - d->stats.refunded), (long long)d->stats.refunded);
    else if (d->have_stats)
        put(counts, sizeof counts, "Admitted %lld of %lld", (long long)d->stats.admitted,
            (long long)(d->stats.sold - d->stats.refunded));
    else
        put(counts, sizeof counts, "Admitted \xe2\x80\xa6 of \xe2\x80\xa6");
    ui_draw_text(a->y + 1, a->x + 1, mw - 2, counts, A_BOLD, false);

    /* bottom: the status line and the input */
    int status_y = a->y + H - 2, input_y = a->y + H - 1;
    if (app->msg[0] != '\0') {
        ui_draw_text(status_y, a->x + 1, W - 2, app->msg, app->msg_error ? ui_attr(app, UI_A_ERROR) : ui_attr(app, UI_A_OK),
                     false);
    } else if (d->offline) {
        put(line, sizeof line, "OFFLINE \xe2\x80\x94 cannot verify \xe2\x80\x94 %zu queued \xc2\xb7 %s", d->q_count,
                 d->offline_why);
        ui_draw_text(status_y, a->x + 1, W - 2, line, ui_attr(app, UI_A_ERROR), false);
    } else {
        put(line, sizeof line, "online \xc2\xb7 %zu in the queue%s", d->q_count, d->scan_seq != 0 ? " \xc2\xb7 checking\xe2\x80\xa6" : "");
        ui_draw_text(status_y, a->x + 1, W - 2, line, ui_attr(app, UI_A_DIM), false);
    }
    const char *hint = app->locked ? "  F10 exit (PIN)"
                       : d->naming ? "  Enter take \xc2\xb7 Esc back" : "  Esc back \xc2\xb7 F10 quit";
    int hw = W >= 60 ? ui_text_width(hint) : 0;
    if (d->naming)
        put(line, sizeof line, "Door name \xe2\x96\xb8 %s\xe2\x96\x8f", d->name_input);
    else
        put(line, sizeof line, "Scan \xe2\x96\xb8 %s\xe2\x96\x8f", d->input);
    ui_draw_text(input_y, a->x + 1, W - 2 - hw, line, A_BOLD, false);
    if (hw > 0)
        ui_draw_text(input_y, a->x + W - hw - 1, hw, hint, ui_attr(app, UI_A_DIM), false);

    /* the band and the last scans: side by side when wide, stacked when narrow */
    int top = a->y + 2, avail = status_y - top;
    if (side > 0) {
        draw_band(app, d, top, a->x, avail, mw - 1);
        ui_draw_text(top, a->x + mw + 1, side - 2, "Last scans", ui_attr(app, UI_A_TITLE), false);
        draw_history(app, d, top + 1, a->x + mw + 1, avail - 1, side - 2);
    } else {
        int bh = avail >= 10 ? avail / 2 : (avail >= 8 ? 5 : avail - 3);
        if (bh < 3)
            bh = avail;
        draw_band(app, d, top, a->x, bh, W);
        draw_history(app, d, top + bh, a->x + 1, avail - bh, W - 2);
    }
}

const ui_screen_ops ui_screen_door = {
    .title = "Door",
    .bar = NULL,
    .private_size = sizeof(door_state),
    .at_exit = ui_door_report_unsettled,      /* the operator chose to quit with scans unsettled */
    .init = init,
    .wipe = wipe,
    .fini = fini,
    .draw = draw,
    .key = key,
    .tick = tick,
    .leave = leave,
    .typing = typing,
    .unsaved = unsaved,
    .result = result,
    .fullscreen = true,
    .min_cols = DOOR_MIN_COLS,
    .min_rows = DOOR_MIN_ROWS,
    .pauses_refresh = true,
};
