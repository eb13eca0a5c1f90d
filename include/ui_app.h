#ifndef UI_APP_H
#define UI_APP_H
/* The box office's engine: the state every screen shares, the screen interface and the screen stack.
 * ui_app.c owns the loop: it reads keys (ui_term.c), maps them through the action table, hands them to
 * the top screen, polls the network worker, lets the catalogue refresh (ui_catalogue.c), resets an idle
 * kiosk and redraws when a handler asks for it. Each screen (ui_screen_*.c) fills in one ui_screen_ops
 * and keeps its own state in a struct private to its file (private_size), allocated when it first opens. */
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "client_model.h"
#include "net_inspector.h"
#include "net_worker.h"
#include "ui.h"
#include "ui_actions.h"
#include "ui_catalogue.h"
#include "ui_draw.h"
#include "ui_form.h"

/* What a handler asks the loop to do. */
enum { UI_UNHANDLED = 0, UI_HANDLED = 1, UI_REDRAW = 2, UI_QUIT = 4 };

typedef struct ui_app ui_app;

typedef struct ui_rect { int y, x, h, w; } ui_rect;

typedef struct ui_screen_ops {
    const char *title;
    const ui_action *bar;                           /* actions in the key bar, UI_ACT_NONE-terminated */
    /* The screen's own state: private_size bytes, zeroed, allocated by the stack the first time the screen
     * opens (ui_screen_state finds it) and freed at exit. init runs once after the allocation; wipe forgets
     * customer data (kiosk idle reset, and before the state is freed: a state whose wipe frees all it owns
     * needs no fini) and returns true when there was something to forget that the list does not show by
     * itself (e.g. a filter); fini frees the rest. All three may be NULL. */
    size_t private_size;
    int (*init)(ui_app *app, void *state);          /* 0, or -1 (OOM: the screen does not open) */
    bool (*wipe)(ui_app *app, void *state);
    void (*fini)(void *state);
    void (*enter)(ui_app *app);                     /* may be NULL */
    void (*draw)(ui_app *app, const ui_rect *area);
    int (*key)(ui_app *app, ui_action act, int key); /* returns UI_* flags; UI_UNHANDLED lets the loop try */
    int (*tick)(ui_app *app);                       /* every loop turn (~100 ms); may be NULL */
    void (*leave)(ui_app *app);                     /* may be NULL: wipe customer data here */
    bool (*typing)(const ui_app *app);              /* a text field has focus; may be NULL */
    const ui_action *(*bar_for)(const ui_app *app); /* the key bar when it depends on the screen's state
                                                     * (NULL: .bar) */
    bool (*unsaved)(const ui_app *app);             /* holds input that quitting would lose; may be NULL */
    /* holds a request whose outcome is not known (a sale sent without a definite answer), asked of every
     * opened screen, on the stack or not: quitting asks first; may be NULL */
    bool (*unsettled)(const ui_app *app);
    /* at exit, after the terminal is given back and the worker has stopped, before the states are wiped:
     * reports to err what the screen leaves unsettled (and how to settle it); may be NULL */
    void (*at_exit)(const ui_app *app, FILE *err);
    int (*result)(ui_app *app, net_result *r);      /* a job this screen submitted finished; may be NULL */
    /* the catalogue's list was replaced (before: the previous list, freed after the call); may be NULL */
    void (*catalogue)(ui_app *app, const bo_concert_list *before);
    bool overlay;                                   /* drawn over the screen below it */
    /* Drawn on the whole terminal (no header, status line or key bar: the screen shows app->msg itself)
     * and usable down to min_cols x min_rows (0: UI_MIN_COLS x UI_MIN_ROWS); the door. */
    bool fullscreen;
    int min_cols, min_rows;
    bool pauses_refresh;                            /* while on top, the catalogue's scheduled refresh
                                                     * waits: the worker is kept for this screen's jobs */
    /* the key bar's word for an action when this screen gives it another meaning (Enter "close" on the
     * receipt); NULL, or NULL returned: the action table's name */
    const char *(*bar_name)(const ui_app *app, ui_action a);
} ui_screen_ops;

#define UI_STACK_MAX 8
#define UI_SCREENS_MAX 16
#define UI_PENDING_MAX 8

struct ui_app {
    const ui_options *opts;
    net_worker *worker;
    net_inspector_ring inspector;      /* the HTTP exchanges the inspector panel shows (none on a kiosk) */
    bool inspector_on;                 /* the panel is shown */
    bool color;
    double now;                        /* monotonic seconds, updated every loop turn */

    ui_catalogue cat;                  /* the concerts, their refresh and staleness (ui_catalogue.c) */

    /* the concert the detail/buy screens show (a copy) */
    bo_concert current;
    bool have_current;

    /* a job of ui_submit_busy in flight (spinner in the status line); its result goes to busy_owner */
    unsigned long busy_seq;
    const ui_screen_ops *busy_owner;
    char busy_label[64];
    double busy_since;


    /* status line */
    char msg[256];
    bool msg_error;
    double msg_at;

    /* the screen stack, and each opened screen's private state (private to ui_app.c) */
    const ui_screen_ops *stack[UI_STACK_MAX];
    int depth;
    struct { const ui_screen_ops *ops; void *state; } screens[UI_SCREENS_MAX];
    int n_screens;
    bool quit;
    double last_input;
    bool locked;                       /* a kiosk, or the door started with a PIN: no other screen, and no
                                        * quitting without the PIN */

    /* jobs submitted with ui_submit_for, each answered to its screen (no spinner) */
    struct { unsigned long seq; const ui_screen_ops *owner; } pending[UI_PENDING_MAX];

    /* the sign-in (ui_signin.h): while gate is set, that screen holds the terminal — drawn alone, given
     * every key — whatever the stack beneath does (a result arriving pops and pushes there, unseen) */
    const ui_screen_ops *gate;
    net_identity who;                  /* who is signed in, as the last sign-in answered (who_known) */
    bool who_known;
};

/* The gate (see struct ui_app): opens s over everything (its state made as ui_push makes it, then enter);
 * false when the state cannot be made. ui_gate_close calls its leave and gives the terminal back. */
bool ui_gate_open(ui_app *app, const ui_screen_ops *s);
void ui_gate_close(ui_app *app);

/* Screen stack. push allocates the screen's state the first time (false, with a message, when it cannot)
 * and calls enter; pop calls leave. */
bool ui_push(ui_app *app, const ui_screen_ops *s);
void ui_pop(ui_app *app);
void ui_pop_to_list(ui_app *app);      /* pops everything above the list */
const ui_screen_ops *ui_top(const ui_app *app);
/* The kiosk's customer has gone: back to the list, and every opened screen forgets what it held of them
 * (closing the forms and the receipt wipes them; each wipe hook clears the rest, e.g. the list's filter
 * or an unconfirmed sale); the inspector log and the message go too. True when there was something to
 * reset. */
bool ui_idle_reset(ui_app *app);
/* At exit: every opened screen forgets its customer data (wipe) and frees its state (fini). */
void ui_screens_free(ui_app *app);
/* The private state of screen s (private_size bytes), or NULL while s has never been opened. */
void *ui_screen_state(const ui_app *app, const ui_screen_ops *s);
/* The same, allocated (and initialised) the first time even when s is not shown: a screen whose state others read
 * before it opens (the operator's shift, asked at start-up). NULL on OOM or when the table of states is full. */
void *ui_screen_state_open(ui_app *app, const ui_screen_ops *s);

/* The keys every form screen (buy, create) handles alike: Enter moves to the next field and, on the last
 * one, checks the form (focus and message on the first invalid field) and sets *complete when it is
 * valid, for the screen to act on; Esc leaves (asking first when there is input to discard); quit, help,
 * inspector and redraw go on to the loop (UI_UNHANDLED); any other key edits the form. */
int ui_form_screen_key(ui_app *app, ui_form *form, ui_action act, int key, bool *complete);

/* Status-line message (printf-like, sanitised before drawing). */
void ui_message(ui_app *app, bool error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* The catalogue's list was replaced (before: the previous one, freed after the call): the screens
 * showing it keep their selection. */
void ui_screens_catalogue_changed(ui_app *app, const bo_concert_list *before);
/* Submits a job owned by screen s (a sale, a refund, a new concert...), with a spinner labelled label.
 * false when busy/full. */
bool ui_submit_busy(ui_app *app, const ui_screen_ops *s, const net_job *job, const char *label);

/* Submits a job whose result goes to screen s's result hook, without the status line's spinner (several
 * may be in flight). Returns its seq, or 0 when the worker's queue or the pending table is full. */
unsigned long ui_submit_for(ui_app *app, const ui_screen_ops *s, const net_job *job);

/* True when the terminal is too small for the screens shown (the lowest non-overlay screen of the stack
 * sets the minimum); *min_cols / *min_rows (may be NULL) receive the minimum. */
bool ui_too_small(const ui_app *app, int *min_cols, int *min_rows);

/* Copies c into app->current (the concert the detail and purchase screens show); false on OOM. */
bool ui_set_current(ui_app *app, const bo_concert *c);

#endif
