/* The box office's loop and screen stack: keys -> action table -> top screen -> global actions; finished
 * jobs -> the catalogue or the screen that submitted them; the kiosk's idle reset; a frame drawn
 * (ui_frame.c) when something changed. The terminal itself (set-up, signals, restoring it, resize and "too
 * small") is ui_term.c; the catalogue's refresh and backoff are ui_catalogue.c; each screen's state is its
 * own (ui_screen_ops.private_size). */
#include <math.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bo_backoff.h"
#include "bo_clock.h"
#include "bo_text.h"
#include "ui.h"
#include "ui_app.h"
#include "ui_curses.h"
#include "ui_frame.h"
#include "ui_screens.h"
#include "ui_signin.h"
#include "ui_term.h"
#include "ui_text.h"

/* ---- screen stack ---- */

const ui_screen_ops *ui_top(const ui_app *app)
{
    return app->depth > 0 ? app->stack[app->depth - 1] : &ui_screen_list;
}

void *ui_screen_state(const ui_app *app, const ui_screen_ops *s)
{
    for (int i = 0; i < app->n_screens; i++)
        if (app->screens[i].ops == s)
            return app->screens[i].state;
    return NULL;
}

/* The screen's state, allocated (and initialised) the first time; true when s has it (or needs none). */
static bool screen_open_state(ui_app *app, const ui_screen_ops *s)
{
    if (s->private_size == 0 || ui_screen_state(app, s) != NULL)
        return true;
    if (app->n_screens >= UI_SCREENS_MAX)
        return false;
    void *st = calloc(1, s->private_size);
    if (st == NULL)
        return false;
    if (s->init != NULL && s->init(app, st) != 0) {
        if (s->wipe != NULL)
            s->wipe(app, st);
        if (s->fini != NULL)
            s->fini(st);
        free(st);
        return false;
    }
    app->screens[app->n_screens].ops = s;
    app->screens[app->n_screens].state = st;
    app->n_screens++;
    return true;
}

void *ui_screen_state_open(ui_app *app, const ui_screen_ops *s)
{
    return screen_open_state(app, s) ? ui_screen_state(app, s) : NULL;
}

void ui_screens_free(ui_app *app)
{
    for (int i = 0; i < app->n_screens; i++) {
        const ui_screen_ops *s = app->screens[i].ops;
        if (s->wipe != NULL)
            s->wipe(app, app->screens[i].state);
        if (s->fini != NULL)
            s->fini(app->screens[i].state);
        free(app->screens[i].state);
        app->screens[i].state = NULL;
    }
    app->n_screens = 0;
}

bool ui_push(ui_app *app, const ui_screen_ops *s)
{
    if (app->depth >= UI_STACK_MAX)
        return false;
    if (!screen_open_state(app, s)) {
        ui_message(app, true, "Out of memory: cannot open %s", s->title);
        return false;
    }
    app->stack[app->depth++] = s;
    if (s->enter != NULL)
        s->enter(app);
    return true;
}

bool ui_gate_open(ui_app *app, const ui_screen_ops *s)
{
    if (app->gate == s)
        return true;
    if (!screen_open_state(app, s)) {
        ui_message(app, true, "Out of memory: cannot open %s", s->title);
        return false;
    }
    if (app->gate != NULL && app->gate->leave != NULL)
        app->gate->leave(app);
    app->gate = s;
    if (s->enter != NULL)
        s->enter(app);
    return true;
}

void ui_gate_close(ui_app *app)
{
    const ui_screen_ops *s = app->gate;
    app->gate = NULL;
    if (s != NULL && s->leave != NULL)
        s->leave(app);
}

void ui_pop(ui_app *app)
{
    if (app->depth <= 1)
        return;
    const ui_screen_ops *s = app->stack[--app->depth];
    if (s->leave != NULL)
        s->leave(app);
}

void ui_pop_to_list(ui_app *app)
{
    while (app->depth > 1)
        ui_pop(app);
}

int ui_form_screen_key(ui_app *app, ui_form *form, ui_action act, int key, bool *complete)
{
    *complete = false;
    switch (act) {
    case UI_ACT_OPEN:
        if (form->focus < form->n - 1) {
            form->focus++;
            return UI_HANDLED | UI_REDRAW;
        }
        form->submitted = true;
        int bad = ui_form_first_invalid(form);
        if (bad >= 0) {
            form->focus = bad;
            ui_message(app, true, "%s", ui_form_error(form, bad));
        } else {
            *complete = true;
        }
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_BACK:
        if (ui_form_has_input(form)) {
            ui_prompt_open(app, UI_PROMPT_DISCARD);
        } else {
            ui_pop(app);
        }
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_QUIT:
    case UI_ACT_HELP:
    case UI_ACT_INSPECTOR:
    case UI_ACT_REDRAW:
        return UI_UNHANDLED;
    default:
        ui_form_key(form, act, key);
        return UI_HANDLED | UI_REDRAW;
    }
}

void ui_message(ui_app *app, bool error, const char *fmt, ...)
{
    char raw[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(raw, sizeof raw, fmt, ap);
    va_end(ap);
    bo_text_sanitize(app->msg, sizeof app->msg, raw);
    app->msg_error = error;
    app->msg_at = app->now;
}

void ui_screens_catalogue_changed(ui_app *app, const bo_concert_list *before)
{
    for (int i = 0; i < app->n_screens; i++)
        if (app->screens[i].ops->catalogue != NULL)
            app->screens[i].ops->catalogue(app, before);
}

/* ---- jobs ---- */

bool ui_submit_busy(ui_app *app, const ui_screen_ops *s, const net_job *job, const char *label)
{
    if (app->busy_seq != 0)
        return false;
    unsigned long seq = net_worker_submit(app->worker, job);
    if (seq == 0)
        return false;
    app->busy_seq = seq;
    app->busy_owner = s;
    app->busy_since = app->now;
    snprintf(app->busy_label, sizeof app->busy_label, "%s", label);
    return true;
}

unsigned long ui_submit_for(ui_app *app, const ui_screen_ops *s, const net_job *job)
{
    for (int i = 0; i < UI_PENDING_MAX; i++) {
        if (app->pending[i].seq != 0)
            continue;
        unsigned long seq = net_worker_submit(app->worker, job);
        if (seq != 0) {
            app->pending[i].seq = seq;
            app->pending[i].owner = s;
        }
        return seq;
    }
    return 0;
}

/* The lowest screen drawn (the base of the overlays on top). */
static const ui_screen_ops *base_screen(const ui_app *app)
{
    if (app->gate != NULL)
        return app->gate;
    int base = app->depth - 1;
    while (base > 0 && app->stack[base]->overlay)
        base--;
    return base >= 0 ? app->stack[base] : &ui_screen_list;
}

bool ui_too_small(const ui_app *app, int *min_cols, int *min_rows)
{
    const ui_screen_ops *s = base_screen(app);
    int c = s->min_cols > 0 ? s->min_cols : UI_MIN_COLS, r = s->min_rows > 0 ? s->min_rows : UI_MIN_ROWS;
    if (min_cols != NULL)
        *min_cols = c;
    if (min_rows != NULL)
        *min_rows = r;
    return ui_term_too_small(c, r);
}

bool ui_set_current(ui_app *app, const bo_concert *c)
{
    bo_concert copy;
    if (bo_concert_copy(&copy, c) != 0)
        return false;
    bo_concert_clear(&app->current);
    app->current = copy;
    app->have_current = true;
    return true;
}

static int handle_result(ui_app *app, net_result *r)
{
    int flags = 0;
    ui_signin_after_401(app, r); /* a 401 anywhere: the sign-in holds the terminal; the owner still hears */
    if (ui_catalogue_result(app, r, &flags))
        return flags;
    if (r->seq != 0 && r->seq == app->busy_seq) {
        const ui_screen_ops *owner = app->busy_owner;
        app->busy_seq = 0;
        app->busy_owner = NULL;
        if (owner != NULL && owner->result != NULL)
            return owner->result(app, r) | UI_REDRAW;
        return UI_REDRAW;
    }
    for (int i = 0; r->seq != 0 && i < UI_PENDING_MAX; i++) {
        if (app->pending[i].seq != r->seq)
            continue;
        const ui_screen_ops *owner = app->pending[i].owner;
        app->pending[i].seq = 0;
        app->pending[i].owner = NULL;
        if (owner->result != NULL && (owner->private_size == 0 || ui_screen_state(app, owner) != NULL))
            return owner->result(app, r) | UI_REDRAW;
        return 0;
    }
    return 0; /* a stale answer nobody waits for */
}

/* ---- quitting ---- */

/* An opened screen, shown or not, holds a request whose outcome is not known (a sale not confirmed). */
static bool any_unsettled(const ui_app *app)
{
    for (int i = 0; i < app->n_screens; i++)
        if (app->screens[i].ops->unsettled != NULL && app->screens[i].ops->unsettled(app))
            return true;
    return false;
}

static bool any_unsaved(const ui_app *app)
{
    for (int i = 0; i < app->depth; i++)
        if (app->stack[i]->unsaved != NULL && app->stack[i]->unsaved(app))
            return true;
    return false;
}

static int request_quit(ui_app *app)
{
    if (app->locked) {
        if (app->opts->kiosk_pin == NULL || app->opts->kiosk_pin[0] == '\0') {
            ui_message(app, true, "Exit is disabled on this kiosk");
            return UI_HANDLED | UI_REDRAW;
        }
        ui_prompt_open(app, UI_PROMPT_PIN); /* refused while wrong PINs make it wait, never slept on */
        return UI_HANDLED | UI_REDRAW;
    }
    if (any_unsaved(app) || any_unsettled(app)) {
        ui_prompt_open(app, UI_PROMPT_QUIT);
        return UI_HANDLED | UI_REDRAW;
    }
    return UI_HANDLED | UI_QUIT;
}

/* ---- keys ---- */

static int global_key(ui_app *app, ui_action act, int key)
{
    const ui_action_def *d = ui_action_get(act);
    bool offered = ui_action_offered(act, app->opts->kiosk ? UI_MODE_KIOSK : UI_MODE_DESK)
                   && !(app->locked && !ui_action_offered(act, UI_MODE_KIOSK)); /* a door with a PIN: no more */
    if (d != NULL && d->screen != NULL && offered) { /* a screen the action table opens from anywhere (help) */
        if (ui_top(app) != d->screen)
            ui_push(app, d->screen);
        return UI_HANDLED | UI_REDRAW;
    }
    switch (act) {
    case UI_ACT_QUIT:
        return request_quit(app);
    case UI_ACT_LOCK:
        if (offered)
            ui_signin_open(app, UI_SIGNIN_LOCK);
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_INSPECTOR:
        if (app->opts->kiosk) {
            ui_message(app, true, "The inspector is not available in kiosk mode");
        } else {
            app->inspector_on = !app->inspector_on;
        }
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_REDRAW:
        ui_term_repaint();
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_REFRESH:
        ui_catalogue_refresh(app);
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_NONE:
        if (ui_key_is_text(key) || key == UI_KEY_ESC) {
            ui_message(app, false, "Unknown key \xe2\x80\x94 press ? for help");
            return UI_HANDLED | UI_REDRAW;
        }
        return UI_HANDLED;
    default:
        return UI_HANDLED | UI_REDRAW;
    }
}

static int dispatch_key(ui_app *app, int key)
{
    const ui_screen_ops *s = app->gate != NULL ? app->gate : ui_top(app);
    bool typing = s->typing != NULL && s->typing(app);
    ui_action act = ui_action_for_key(key, typing);
    if (app->gate != NULL) { /* the sign-in takes every key; only a redraw goes on */
        app->msg[0] = '\0';
        int f = s->key(app, act, key);
        if (!(f & UI_HANDLED) && act == UI_ACT_REDRAW)
            ui_term_repaint();
        return f | UI_REDRAW;
    }
    if (ui_too_small(app, NULL, NULL)) {
        /* nothing is visible: only a plain quit works */
        if (act == UI_ACT_QUIT && !app->locked && !any_unsaved(app) && !any_unsettled(app))
            return UI_QUIT;
        return UI_REDRAW;
    }
    app->msg[0] = '\0';
    int f = s->key(app, act, key);
    if (f & UI_HANDLED)
        return f | UI_REDRAW;
    return global_key(app, act, key) | UI_REDRAW;
}

/* ---- timers ---- */

bool ui_idle_reset(ui_app *app)
{
    bool reset = app->depth > 1;
    ui_pop_to_list(app);
    for (int i = 0; i < app->n_screens; i++)
        if (app->screens[i].ops->wipe != NULL && app->screens[i].ops->wipe(app, app->screens[i].state))
            reset = true;
    if (!reset)
        return false;
    net_inspector_clear(&app->inspector);   /* nothing of the last customer stays on the kiosk's screen */
    app->msg[0] = '\0';
    app->last_input = app->now;
    return true;
}

static int app_tick(ui_app *app)
{
    int flags = 0;
    ui_catalogue_tick(app);
    if (app->cat.list_seq != 0 || app->busy_seq != 0)
        flags |= UI_REDRAW; /* spinner */
    if (app->msg[0] != '\0' && app->now - app->msg_at > 10) {
        app->msg[0] = '\0';
        flags |= UI_REDRAW;
    }
    if (app->opts->kiosk && app->opts->door_concert_id == NULL && app->opts->idle_timeout_s > 0 && app->busy_seq == 0
        && app->now - app->last_input >= app->opts->idle_timeout_s && ui_idle_reset(app))
        flags |= UI_REDRAW;
    flags |= ui_signin_tick(app); /* the idle lock */
    const ui_screen_ops *s = app->gate != NULL ? app->gate : ui_top(app);
    if (s->tick != NULL)
        flags |= s->tick(app);
    return flags;
}

/* ---- waiting ---- */

/* How long the loop may sleep: the spinner turns every 100 ms while work is in flight, and a screen with a
 * tick hook (a search waiting for typing to pause) is ticked at that pace; otherwise nothing changes on
 * screen before the next whole second (ages) or the next scheduled refresh. */
static int wait_ms(const ui_app *app)
{
    if (app->cat.list_seq != 0 || app->busy_seq != 0 || ui_top(app)->tick != NULL)
        return 100;
    for (int i = 0; i < UI_PENDING_MAX; i++)
        if (app->pending[i].seq != 0)
            return 100;
    double until = floor(app->now) + 1.0;
    double next_refresh = ui_catalogue_next_refresh(&app->cat);
    if (next_refresh > 0 && next_refresh < until && !ui_top(app)->pauses_refresh)
        until = next_refresh;
    double ms = (until - app->now) * 1000.0;
    return ms <= 0 ? 0 : (int)ms + 1;
}

/* The one place the loop waits: for a key on stdin, a finished job from the worker, a signal
 * (EINTR: SIGWINCH, SIGTERM...) or the tick. Returns false when the terminal is gone. */
static bool wait_for_event(ui_app *app)
{
    struct pollfd fds[2] = {
        { .fd = STDIN_FILENO, .events = POLLIN },
        { .fd = net_worker_wake_fd(app->worker), .events = POLLIN },
    };
    int n = poll(fds, 2, wait_ms(app));
    if (n < 0)
        return true; /* EINTR: the loop looks at signals and KEY_RESIZE */
    return (fds[0].revents & (POLLHUP | POLLERR | POLLNVAL)) == 0 || (fds[0].revents & POLLIN) != 0;
}

/* ---- set-up and tear-down ---- */

static void app_free(ui_app *app)
{
    ui_pop_to_list(app);
    ui_screens_free(app);
    bo_concert_clear(&app->current);
    ui_catalogue_free(&app->cat);
    net_inspector_destroy(&app->inspector);
    free(app);
}

/* After the terminal is given back and the worker has stopped: each opened screen reports what it leaves
 * unsettled (a sale not confirmed, scans without a verdict) and how to settle it. */
static void report_at_exit(const ui_app *app)
{
    for (int i = 0; i < app->n_screens; i++)
        if (app->screens[i].ops->at_exit != NULL)
            app->screens[i].ops->at_exit(app, stderr);
}

int ui_run(const ui_options *opts)
{
    if (!ui_term_check())
        return 1;
    ui_app *app = calloc(1, sizeof *app);
    if (app == NULL) {
        fprintf(stderr, "boxoffice: out of memory\n");
        return 1;
    }
    app->opts = opts;
    app->now = bo_clock_mono_s();
    if (net_inspector_init(&app->inspector) != 0) {
        free(app);
        fprintf(stderr, "boxoffice: cannot start\n");
        return 1;
    }
    bool record = !opts->kiosk; /* a kiosk records no HTTP exchange (cli_parse_args refuses --kiosk --inspect) */
    app->worker = net_worker_start(&opts->api, record ? net_inspector_record : NULL, &app->inspector);
    if (app->worker == NULL) {
        fprintf(stderr, "boxoffice: cannot start the network worker (bad API URL \"%s\"?)\n",
                opts->api.base_url ? opts->api.base_url : "");
        app_free(app);
        return 1;
    }

    /* a kiosk, or the door started with a PIN: nothing but its screen, no way out without the PIN */
    app->locked = opts->kiosk || (opts->door_concert_id != NULL && opts->kiosk_pin != NULL && opts->kiosk_pin[0] != '\0');
    if (ui_term_start(app->locked, opts->no_color, &app->color) != 0) {
        net_worker_stop(app->worker, -1);
        app_free(app);
        return 1;
    }

    app->inspector_on = opts->inspect && !opts->kiosk;
    app->last_input = app->now;
    if (!ui_push(app, &ui_screen_list)) {
        ui_term_stop();
        net_worker_stop(app->worker, -1);
        app_free(app);
        fprintf(stderr, "boxoffice: out of memory\n");
        return 1;
    }
    if (opts->door_concert_id != NULL) {
        if (!ui_door_open(app, opts->door_concert_id)) {
            ui_term_stop();
            net_worker_stop(app->worker, -1);
            app_free(app);
            fprintf(stderr, "boxoffice: cannot open door mode\n");
            return 1;
        }
    } else {
        ui_catalogue_refresh(app);
        ui_shift_refresh(app); /* the operator's open shift: sales and refunds carry it */
    }
    ui_signin_start(app); /* with a sign-in configured: held until someone is signed in */
    bool redraw = true;
    long last_sec = -1;
    while (!app->quit && ui_term_signal() == 0) {
        app->now = bo_clock_mono_s();
        net_result r;
        while (net_worker_poll(app->worker, &r)) {
            if (handle_result(app, &r) & UI_REDRAW)
                redraw = true;
            net_result_clear(&r);
        }
        int flags = app_tick(app);
        if (flags & UI_QUIT)
            break;
        if ((long)app->now != last_sec) { /* ages and elapsed times */
            last_sec = (long)app->now;
            redraw = true;
        }
        if (flags & UI_REDRAW)
            redraw = true;
        int key;
        if (!ui_term_read_key(&key)) {
            /* drawn once the keys that came in together are handled: a scanner's code and Enter (or a
             * paste) is one frame, not one per character before the Enter is even read */
            if (redraw) {
                ui_frame_draw(app);
                redraw = false;
            }
            if (!wait_for_event(app))
                break; /* the terminal hung up */
            continue;
        }
        app->now = bo_clock_mono_s();
        if (key == UI_KEY_FN(KEY_RESIZE)) {
            redraw = true;
            continue;
        }
        app->last_input = app->now;
        flags = dispatch_key(app, key);
        if (flags & UI_QUIT)
            app->quit = true;
        if (flags & UI_REDRAW)
            redraw = true;
    }

    int sig = ui_term_signal();
    ui_term_stop();
    if (!net_worker_stop(app->worker, 300)) {
        /* a request is still in flight (maybe a sale): let it end rather than cut it off; the client's
         * timeouts bound the wait */
        fprintf(stderr, "boxoffice: waiting for the request in flight to finish\xe2\x80\xa6\n");
        net_worker_stop(app->worker, -1);
    }
    report_at_exit(app);
    app_free(app);
    return sig != 0 ? 128 + sig : 0;
}
