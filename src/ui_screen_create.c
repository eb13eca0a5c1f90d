/* Create a concert (operators with an API key): name, date, venue, tickets, price, checked as typed
 * with the backend's rules; the server's message is shown when it refuses. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bo_text.h"
#include "bo_valid.h"
#include "ui_app.h"
#include "ui_screens.h"
#include "ui_curses.h"
#include "ui_text.h"

static const ui_action bar[] = { UI_ACT_NEXT_FIELD, UI_ACT_OPEN, UI_ACT_BACK, UI_ACT_HELP, UI_ACT_NONE };

/* The form's own state: the new concert's fields (wiped when the form closes and at exit). */
typedef struct create_state {
    ui_form form;
} create_state;

static create_state *st(const ui_app *app)
{
    return ui_screen_state(app, &ui_screen_create);
}

static const char *check_concert_name(const char *v) { return bo_valid_text("name", v); }
static const char *check_venue(const char *v) { return bo_valid_text("venue", v); }
static const char *check_date(const char *v) { return bo_valid_date(v); }
static const char *check_tickets(const char *v) { int64_t n; return bo_valid_tickets_text(v, &n); }
static const char *check_price(const char *v) { int64_t c; return bo_valid_price_text(v, &c); }

static int init(ui_app *app, void *state)
{
    (void)app;
    create_state *cs = state;
    ui_form_add(&cs->form, "Name", NULL, check_concert_name, false);
    ui_form_add(&cs->form, "Date (UTC)", "YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ", check_date, false);
    ui_form_add(&cs->form, "Venue", NULL, check_venue, false);
    ui_form_add(&cs->form, "Tickets", "0 - 1000000", check_tickets, false);
    ui_form_add(&cs->form, "Price", "e.g. 49.99", check_price, false);
    return 0;
}

static bool wipe(ui_app *app, void *state)
{
    (void)app;
    create_state *cs = state;
    ui_form_clear(&cs->form);
    return false;
}

static void enter(ui_app *app)
{
    create_state *cs = st(app);
    ui_form_clear(&cs->form);
}

static void leave(ui_app *app)
{
    create_state *cs = st(app);
    ui_form_clear(&cs->form);
}

static bool typing(const ui_app *app)
{
    return app->busy_seq == 0;
}

static bool unsaved(const ui_app *app)
{
    const create_state *cs = st(app);
    return ui_form_has_input(&cs->form) || (app->busy_seq != 0 && app->busy_owner == &ui_screen_create);
}

static void draw(ui_app *app, const ui_rect *a)
{
    create_state *cs = st(app);
    int w = a->w - 4 > 100 ? 100 : a->w - 4;
    ui_draw_box(app, a->y, 1, a->h, w + 2, "New concert");
    int x = 3, y = a->y + 1;
    ui_form_draw(app, &cs->form, y, x, w - 2);
    y += ui_form_height(&cs->form);
    if (y > a->y + a->h - 2)
        y = a->y + a->h - 2;
    if (app->busy_seq != 0 && app->busy_owner == &ui_screen_create)
        ui_draw_text(y, x, w - 2, "Creating\xe2\x80\xa6 please wait.", ui_attr(app, UI_A_TITLE), false);
    else
        ui_draw_text(y, x, w - 2, "Enter: next field / create on the last \xc2\xb7 Esc: back", ui_attr(app, UI_A_DIM),
                     false);
}

static void submit(ui_app *app)
{
    create_state *cs = st(app);
    net_job job;
    memset(&job, 0, sizeof job);
    job.kind = NET_JOB_CREATE;
    const ui_form *f = &cs->form;
    char *trim;
    trim = bo_text_trim_dup(f->f[0].value);
    snprintf(job.name, sizeof job.name, "%s", trim ? trim : f->f[0].value);
    free(trim);
    trim = bo_text_trim_dup(f->f[1].value);
    snprintf(job.date, sizeof job.date, "%s", trim ? trim : f->f[1].value);
    free(trim);
    trim = bo_text_trim_dup(f->f[2].value);
    snprintf(job.venue, sizeof job.venue, "%s", trim ? trim : f->f[2].value);
    free(trim);
    if (bo_valid_tickets_text(f->f[3].value, &job.tickets) != NULL
        || bo_valid_price_text(f->f[4].value, &job.price_cents) != NULL) {
        ui_message(app, true, "Check tickets and price");
        return;
    }
    if (!ui_submit_busy(app, &ui_screen_create, &job, "Creating the concert\xe2\x80\xa6"))
        ui_message(app, true, "Busy \xe2\x80\x94 try again in a moment");
}

static int key(ui_app *app, ui_action act, int k)
{
    create_state *cs = st(app);
    if (app->busy_seq != 0 && app->busy_owner == &ui_screen_create) {
        if (act == UI_ACT_HELP || act == UI_ACT_INSPECTOR || act == UI_ACT_REDRAW || act == UI_ACT_QUIT)
            return UI_UNHANDLED;
        return UI_HANDLED;
    }
    bool complete;
    int flags = ui_form_screen_key(app, &cs->form, act, k, &complete);
    if (complete)
        submit(app);
    return flags;
}

static int result(ui_app *app, net_result *r)
{
    create_state *cs = st(app);
    char m[256];
    if (r->status == API_OK) {
        char name[200];
        bo_text_sanitize(name, sizeof name, cs->form.f[0].value);
        ui_message(app, false, "Concert created: %s (id %s)", name, r->id);
        while (app->depth > 1 && ui_top(app) != &ui_screen_create)
            ui_pop(app);
        ui_pop(app); /* leave() clears the form */
        ui_catalogue_refresh(app);
        return UI_REDRAW;
    }
    bo_text_sanitize(m, sizeof m, r->res.message[0] ? r->res.message : api_status_message(r->status));
    if (r->res.http_status > 0)
        ui_message(app, true, "Not created: %s (HTTP %ld)", m, r->res.http_status);
    else
        ui_message(app, true, "Not created: %s", m);
    return UI_REDRAW;
}

const ui_screen_ops ui_screen_create = {
    .title = "New concert",
    .bar = bar,
    .private_size = sizeof(create_state),
    .init = init,
    .wipe = wipe,
    .enter = enter,
    .draw = draw,
    .key = key,
    .leave = leave,
    .typing = typing,
    .unsaved = unsaved,
    .result = result,
};
