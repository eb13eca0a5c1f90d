/* The sign-in, the lock and who is signed in; see include/ui_signin.h. The screen holds the terminal as
 * ui_app's gate (drawn alone, every key), so nothing of the screens beneath shows while it is up and nothing
 * they do (a result popping or pushing) can take it away. Sign-ins run on the network worker through the
 * auth port; the password typed is wiped from the form as soon as it is handed to the job. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bo_text.h"
#include "bo_valid.h"
#include "ui_app.h"
#include "ui_curses.h"
#include "ui_screens.h"
#include "ui_signin.h"
#include "ui_text.h"

#define LOCK_AFTER_DEFAULT_S 300
#define SHIFT_SHORT 8                  /* characters of the open shift's id in the header */

/* The open shift's id (and terminal), from the Shift screen (the cshift branch's ui_screen_shift.c, declared in
 * its ui_screens.h) when that screen is in the program: weak here, so that the header links without it and
 * names the shift once the two meet. Its terminal buffer holds API_TERMINAL_MAX * 4 + 1 bytes (257). */
void ui_shift_stamp(const ui_app *app, char shift_id[BO_ID_MAX + 1], char terminal[]) __attribute__((weak));

static const ui_action bar_signin[] = { UI_ACT_OPEN, UI_ACT_NEXT_FIELD, UI_ACT_REMEMBER, UI_ACT_NONE };
static const ui_action bar_newpw[] = { UI_ACT_OPEN, UI_ACT_NEXT_FIELD, UI_ACT_BACK, UI_ACT_NONE };

typedef enum si_mode { SI_CHECKING = 0, SI_SIGNIN, SI_NEWPW } si_mode;
enum { F_USER, F_PASSWORD };
enum { F_NEW, F_AGAIN };

typedef struct signin_state {
    ui_signin_reason why;
    si_mode mode;
    ui_form form;
    bool remember;                     /* keep the session in the token file (else memory only) */
    unsigned long seq;                 /* the sign-in job in flight (0: none) */
    char err[256];                     /* Cognito's words for the last refusal ("" = none) */
    net_identity locked_by;            /* UI_SIGNIN_LOCK: who was signed in */
} signin_state;

static signin_state *st(const ui_app *app)
{
    return ui_screen_state(app, &ui_screen_signin);
}

static const net_auth_port *port(const ui_app *app)
{
    return app->opts != NULL ? app->opts->auth : NULL;
}

static const char *check_user(const char *v)
{
    return v[0] == '\0' ? NULL : bo_valid_email(v); /* empty: the one configured or last signed in */
}

static const char *check_password(const char *v)
{
    return v[0] == '\0' ? "The password is required" : NULL;
}

static void form_signin(signin_state *ss)
{
    ui_form_clear(&ss->form);
    memset(&ss->form, 0, sizeof ss->form);
    ui_form_add(&ss->form, "E-mail", ss->why == UI_SIGNIN_START ? "name@example.org" : "empty: the same operator",
                check_user, false);
    ui_form_add(&ss->form, "Password", NULL, check_password, true);
    ss->mode = SI_SIGNIN;
}

static void form_newpw(signin_state *ss)
{
    ui_form_clear(&ss->form);
    memset(&ss->form, 0, sizeof ss->form);
    ui_form_add(&ss->form, "New password", "as the pool's policy says", check_password, true);
    ui_form_add(&ss->form, "Again", "the same once more", check_password, true);
    ss->mode = SI_NEWPW;
}

static bool wipe(ui_app *app, void *state)
{
    (void)app;
    signin_state *ss = state;
    ui_form_clear(&ss->form);
    memset(ss, 0, sizeof *ss);
    return false;
}

static void leave(ui_app *app)
{
    signin_state *ss = st(app);
    ui_form_clear(&ss->form); /* nothing typed lingers */
    ss->err[0] = '\0';
    ss->seq = 0;              /* an answer still in flight is dropped when it lands */
}

static bool typing(const ui_app *app)
{
    signin_state *ss = st(app);
    return ss != NULL && ss->mode != SI_CHECKING;
}

static const ui_action *bar_for(const ui_app *app)
{
    signin_state *ss = st(app);
    return ss != NULL && ss->mode == SI_NEWPW ? bar_newpw : bar_signin;
}

/* Hands the form to a sign-in job; the password leaves the form at once. */
static void submit(ui_app *app, signin_state *ss)
{
    net_job job;
    memset(&job, 0, sizeof job);
    job.kind = NET_JOB_SIGNIN;
    net_signin_req *q = &job.req.signin;
    q->port = port(app);
    q->remember = ss->remember;
    if (ss->mode == SI_NEWPW) {
        if (strcmp(ss->form.f[F_NEW].value, ss->form.f[F_AGAIN].value) != 0) {
            snprintf(ss->err, sizeof ss->err, "The two passwords differ: type the new one twice");
            memset(ss->form.f[F_AGAIN].value, 0, sizeof ss->form.f[F_AGAIN].value);
            ss->form.focus = F_AGAIN;
            return;
        }
        q->new_password = true;
        snprintf(q->password, sizeof q->password, "%s", ss->form.f[F_NEW].value);
        memset(ss->form.f[F_NEW].value, 0, sizeof ss->form.f[F_NEW].value);
        memset(ss->form.f[F_AGAIN].value, 0, sizeof ss->form.f[F_AGAIN].value);
    } else {
        snprintf(q->user, sizeof q->user, "%s", ss->form.f[F_USER].value);
        snprintf(q->password, sizeof q->password, "%s", ss->form.f[F_PASSWORD].value);
        memset(ss->form.f[F_PASSWORD].value, 0, sizeof ss->form.f[F_PASSWORD].value);
        ss->form.focus = F_PASSWORD;
    }
    ss->form.submitted = false;
    ss->form.f[ss->form.focus].tried = false;
    ss->seq = ui_submit_for(app, &ui_screen_signin, &job);
    memset(&job, 0, sizeof job);
    if (ss->seq == 0)
        snprintf(ss->err, sizeof ss->err, "Busy \xe2\x80\x94 try again in a moment");
    else
        ss->err[0] = '\0';
}

static void whoami(ui_app *app, signin_state *ss)
{
    net_job job;
    memset(&job, 0, sizeof job);
    job.kind = NET_JOB_SIGNIN;
    job.req.signin.port = port(app);
    job.req.signin.whoami = true;
    ss->mode = SI_CHECKING;
    ss->seq = ui_submit_for(app, &ui_screen_signin, &job);
    if (ss->seq == 0)
        form_signin(ss);
}

void ui_signin_start(ui_app *app)
{
    if (port(app) == NULL || !ui_gate_open(app, &ui_screen_signin))
        return;
    signin_state *ss = st(app);
    ss->why = UI_SIGNIN_START;
    whoami(app, ss);
}

void ui_signin_open(ui_app *app, ui_signin_reason why)
{
    if (port(app) == NULL) {
        ui_message(app, true, "Sign-in is not configured (BOXOFFICE_COGNITO_URL, BOXOFFICE_CLIENT_ID)");
        return;
    }
    if (app->gate == &ui_screen_signin) {
        signin_state *cur = st(app);
        if (why != UI_SIGNIN_LOCK && cur->why == UI_SIGNIN_START)
            return; /* already asking */
    }
    if (why == UI_SIGNIN_LOCK && !app->who_known)
        why = UI_SIGNIN_START; /* nobody to lock for: the lock key signs someone in */
    if (!ui_gate_open(app, &ui_screen_signin))
        return;
    signin_state *ss = st(app);
    ss->why = why;
    ss->seq = 0;
    ss->err[0] = '\0';
    if (why == UI_SIGNIN_LOCK)
        ss->locked_by = app->who;
    if (why == UI_SIGNIN_EXPIRED)
        snprintf(ss->err, sizeof ss->err, "The session expired or was refused (401): sign in again");
    form_signin(ss);
}

bool ui_signin_after_401(ui_app *app, const net_result *r)
{
    if (port(app) == NULL || r->kind == NET_JOB_SIGNIN || r->res.http_status != 401)
        return false;
    if (app->gate != &ui_screen_signin)
        ui_signin_open(app, UI_SIGNIN_EXPIRED);
    return true;
}

int ui_signin_tick(ui_app *app)
{
    const ui_options *o = app->opts;
    if (port(app) == NULL || o->kiosk || app->gate != NULL || !app->who_known || o->lock_after_s < 0)
        return 0;
    int after = o->lock_after_s > 0 ? o->lock_after_s : LOCK_AFTER_DEFAULT_S;
    if (app->now - app->last_input < after)
        return 0;
    ui_signin_open(app, UI_SIGNIN_LOCK);
    return UI_REDRAW;
}

void ui_terminal_name(char *out, size_t cap)
{
    const char *t = getenv("BOXOFFICE_TERMINAL");
    char host[256] = "";
    if (t == NULL || t[0] == '\0') {
        if (gethostname(host, sizeof host - 1) != 0)
            host[0] = '\0';
        host[sizeof host - 1] = '\0';
        t = host;
    }
    char clean[256];
    bo_text_sanitize(clean, sizeof clean, t);
    size_t limit = 32 < cap ? 32 : cap - 1, n = strlen(clean);
    if (n > limit)
        n = bo_utf8_cut(clean, limit);
    snprintf(out, cap, "%.*s", (int)n, clean);
}

void ui_signin_header(const ui_app *app, char *out, size_t cap)
{
    out[0] = '\0';
    if (port(app) == NULL || cap == 0)
        return;
    char term[64];
    ui_terminal_name(term, sizeof term);
    char shift[BO_ID_MAX + 1] = "", shift_terminal[512] = "", shift_text[32] = "";
    if (app->who_known && ui_shift_stamp != NULL)
        ui_shift_stamp(app, shift, shift_terminal);
    if (shift[0] != '\0') /* the open shift, as the server last said: a short id */
        snprintf(shift_text, sizeof shift_text, " \xc2\xb7 shift %.*s", (int)bo_utf8_cut(shift, strlen(shift) > SHIFT_SHORT ? SHIFT_SHORT : strlen(shift)), shift);
    if (!app->who_known)
        snprintf(out, cap, "not signed in \xc2\xb7 %s", term[0] != '\0' ? term : "?");
    else
        snprintf(out, cap, "%s (%s) \xc2\xb7 %s%s", app->who.name[0] != '\0' ? app->who.name : app->who.email_masked,
                 app->who.groups[0] != '\0' ? app->who.groups : "no group", term[0] != '\0' ? term : "?", shift_text);
}

static void draw(ui_app *app, const ui_rect *a)
{
    signin_state *ss = st(app);
    int w = a->w - 4 > 64 ? 64 : a->w - 4;
    int x0 = (a->w - w) / 2, h = a->h - 2 > 18 ? 18 : a->h - 2;
    int y0 = (a->h - h) / 2, x = x0 + 2, iw = w - 4, y = y0 + 1;
    const char *title = ss->why == UI_SIGNIN_LOCK      ? "Locked"
                        : ss->why == UI_SIGNIN_EXPIRED ? "Sign in again"
                        : ss->mode == SI_NEWPW         ? "Choose a new password"
                                                       : "Sign in";
    ui_draw_box(app, y0, x0, h, w, title);
    char line[400], term[64];
    if (ss->mode == SI_CHECKING) {
        ui_draw_text(y + 1, x, iw, "Checking who is signed in\xe2\x80\xa6", ui_attr(app, UI_A_DIM), false);
        return;
    }
    if (ss->why == UI_SIGNIN_LOCK) {
        snprintf(line, sizeof line, "Locked by %s (%s).", ss->locked_by.name[0] != '\0' ? ss->locked_by.name : "?",
                 ss->locked_by.groups);
        ui_draw_text(y++, x, iw, line, ui_attr(app, UI_A_TITLE), false);
        ui_draw_text(y++, x, iw, "Their password opens it; another operator may sign in.", ui_attr(app, UI_A_DIM), false);
    } else if (ss->mode == SI_NEWPW) {
        ui_draw_text(y++, x, iw, "First sign-in: choose your own password.", ui_attr(app, UI_A_TITLE), false);
        y++;
    } else {
        ui_draw_text(y++, x, iw, "BOX OFFICE \xe2\x80\x94 operators sign in.", ui_attr(app, UI_A_TITLE), false);
        y++;
    }
    int rows = ui_form_rows_fit(&ss->form, h - (y - y0) - 4);
    ui_form_draw_rows(app, &ss->form, y, x, iw, rows);
    y += rows;
    if (ss->mode == SI_SIGNIN) {
        snprintf(line, sizeof line, "[%s] Remember me on this computer (F2)", ss->remember ? "x" : " ");
        ui_draw_text(y++, x, iw, line, 0, false);
    }
    if (ss->seq != 0)
        ui_draw_text(y, x, iw, "Signing in\xe2\x80\xa6", ui_attr(app, UI_A_TITLE), false);
    else if (ss->err[0] != '\0')
        ui_draw_text(y, x, iw, ss->err, ui_attr(app, UI_A_ERROR), false);
    ui_terminal_name(term, sizeof term);
    snprintf(line, sizeof line, "Terminal %s%s", term[0] != '\0' ? term : "?",
             ss->why == UI_SIGNIN_START && !app->who_known ? " \xc2\xb7 Esc: no sign-in \xc2\xb7 F10 quits" : "");
    ui_draw_text(y0 + h - 2, x, iw, line, ui_attr(app, UI_A_DIM), false);
}

static int key(ui_app *app, ui_action act, int k)
{
    signin_state *ss = st(app);
    if (act == UI_ACT_REDRAW)
        return UI_UNHANDLED;
    if (act == UI_ACT_QUIT && ss->why == UI_SIGNIN_START && !typing(app))
        return UI_HANDLED | UI_QUIT;
    if (k == UI_KEY_FN(KEY_F(10)) && ss->why == UI_SIGNIN_START) /* F10 quits before anyone signed in */
        return UI_HANDLED | UI_QUIT;
    if (ss->mode == SI_CHECKING || ss->seq != 0)
        return UI_HANDLED; /* waiting for the answer */
    switch (act) {
    case UI_ACT_REMEMBER:
        ss->remember = !ss->remember;
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_BACK:
        if (ss->mode == SI_NEWPW) {
            form_signin(ss);
            ss->err[0] = '\0';
        } else if (ss->why == UI_SIGNIN_START && !app->who_known) {
            /* nobody signed in: the box office goes on without an operator (public sales, by card), as it
             * does without a user pool; L signs in later */
            ui_form_clear(&ss->form);
            ui_gate_close(app);
            ui_message(app, false, "Not signed in: public sales only (L signs in)");
        }
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_OPEN:
        if (ss->form.focus < ss->form.n - 1) {
            if (ui_form_may_leave(&ss->form))
                ss->form.focus++;
            return UI_HANDLED | UI_REDRAW;
        }
        ss->form.submitted = true;
        int bad = ui_form_first_invalid(&ss->form);
        if (bad >= 0) {
            ss->form.focus = bad;
            snprintf(ss->err, sizeof ss->err, "%s", ui_form_error(&ss->form, bad));
        } else {
            submit(app, ss);
        }
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_HELP:
    case UI_ACT_INSPECTOR:
    case UI_ACT_QUIT:
    case UI_ACT_LOCK:
        return UI_HANDLED; /* nothing beneath may open while the sign-in holds the terminal */
    default:
        ui_form_key(&ss->form, act, k);
        return UI_HANDLED | UI_REDRAW;
    }
}

static int result(ui_app *app, net_result *r)
{
    signin_state *ss = st(app);
    if (r->kind != NET_JOB_SIGNIN || r->seq != ss->seq || app->gate != &ui_screen_signin)
        return 0;
    ss->seq = 0;
    bool checking = ss->mode == SI_CHECKING;
    switch (r->out.signin.status) {
    case NET_AUTH_OK: {
        bool other = ss->why == UI_SIGNIN_LOCK && strcmp(r->out.signin.who.sub, ss->locked_by.sub) != 0;
        app->who = r->out.signin.who;
        app->who_known = true;
        if (other)
            ui_message(app, false, "Signed in: %s \xe2\x80\x94 %s's shift stays open", app->who.name,
                       ss->locked_by.name);
        else if (!checking)
            ui_message(app, false, "Signed in: %s (%s)", app->who.name, app->who.groups);
        ui_form_clear(&ss->form);
        ui_gate_close(app);
        return UI_REDRAW;
    }
    case NET_AUTH_NEW_PASSWORD:
        form_newpw(ss);
        snprintf(ss->err, sizeof ss->err, "A new password is required");
        return UI_REDRAW;
    default:
        if (checking) { /* nobody signed in yet: ask */
            form_signin(ss);
            return UI_REDRAW;
        }
        snprintf(ss->err, sizeof ss->err, "%s", r->out.signin.err[0] != '\0' ? r->out.signin.err : "Not signed in");
        return UI_REDRAW;
    }
}

const ui_screen_ops ui_screen_signin = {
    .title = "Sign in",
    .bar = bar_signin,
    .private_size = sizeof(signin_state),
    .wipe = wipe,
    .draw = draw,
    .key = key,
    .leave = leave,
    .typing = typing,
    .bar_for = bar_for,
    .result = result,
    .fullscreen = true,
    .min_cols = UI_SMALL_COLS,
    .min_rows = UI_SMALL_ROWS,
};
