/* Create a concert (operators with an API key): name, venue, the venue's time zone, the date and time in
 * that zone (sent as the UTC instant, client_time_local_to_utc), tickets, price, currency and the most
 * tickets per order, checked as typed with the backend's rules; the server's message is shown when it
 * refuses. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bo_text.h"
#include "bo_valid.h"
#include "bo_valid_order.h"
#include "client_time.h"
#include "ui_app.h"
#include "ui_screens.h"
#include "ui_curses.h"
#include "ui_text.h"

static const ui_action bar[] = { UI_ACT_NEXT_FIELD, UI_ACT_OPEN, UI_ACT_BACK, UI_ACT_HELP, UI_ACT_NONE };

enum { F_NAME, F_VENUE, F_ZONE, F_DATE, F_TICKETS, F_PRICE, F_CURRENCY, F_MAX, F_COUNT };
_Static_assert(F_COUNT <= UI_FORM_FIELDS_MAX, "the New concert form has more fields than a ui_form holds");

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
static const char *check_tickets(const char *v) { int64_t n; return bo_valid_tickets_text(v, &n); }
static const char *check_price(const char *v) { int64_t c; return bo_valid_price_text(v, &c); }

/* Optional fields: empty is fine (the server's default, or no zone stored). */
static const char *check_zone(const char *v)
{
    if (v[0] == '\0')
        return NULL;
    if (bo_valid_timezone(v) != NULL) /* the backend's rule, worded to fit 80 columns */
        return "timezone: an IANA name such as Europe/Berlin";
    return client_time_zone_known(v) ? NULL : "timezone: not in this system's zone database";
}

static const char *check_currency(const char *v) { return v[0] == '\0' ? NULL : bo_valid_currency(v); }
static const char *check_max(const char *v) { int64_t m; return v[0] == '\0' ? NULL : bo_valid_max_per_order_text(v, &m); }

/* The date and time as typed (trimmed) converted in the zone typed (ctx: the zone field's value). */
static client_time_local_status convert(const char *date, const char *zone, client_time_local *out)
{
    char d[64], z[BO_TIMEZONE_MAX + 1];
    const char *b = date;
    while (*b == ' ')
        b++;
    size_t n = strlen(b);
    while (n > 0 && b[n - 1] == ' ')
        n--;
    if (n >= sizeof d || strlen(zone) >= sizeof z) {
        memset(out, 0, sizeof *out);
        return zone[0] != '\0' && strlen(zone) >= sizeof z ? CLIENT_TIME_LOCAL_NO_ZONE : CLIENT_TIME_LOCAL_BAD;
    }
    memcpy(d, b, n);
    d[n] = '\0';
    snprintf(z, sizeof z, "%s", zone);
    if (z[0] != '\0' && check_zone(z) != NULL) {
        memset(out, 0, sizeof *out);
        return CLIENT_TIME_LOCAL_NO_ZONE;
    }
    return client_time_local_to_utc(d, z[0] != '\0' ? z : NULL, out);
}

static const char *check_date(const char *v, const void *zone)
{
    client_time_local l;
    return client_time_local_message(convert(v, zone, &l));
}

static int init(ui_app *app, void *state)
{
    (void)app;
    create_state *cs = state;
    ui_form_add(&cs->form, "Name", NULL, check_concert_name, false);
    ui_form_add(&cs->form, "Venue", NULL, check_venue, false);
    ui_form_add(&cs->form, "Time zone", "e.g. Europe/Berlin \xc2\xb7 empty: your zone, not stored", check_zone, false);
    ui_form_add(&cs->form, "Date and time", "YYYY-MM-DD hh:mm at the venue, or a date", NULL, false);
    ui_form_check_with(&cs->form, F_DATE, check_date, cs->form.f[F_ZONE].value);
    ui_form_add(&cs->form, "Tickets", "0 - 1000000", check_tickets, false);
    ui_form_add(&cs->form, "Price", "e.g. 49.99", check_price, false);
    ui_form_add(&cs->form, "Currency", "e.g. USD \xc2\xb7 empty: the server's default", check_currency, false);
    ui_form_add(&cs->form, "Max per order", "1 - 49 \xc2\xb7 empty: 10", check_max, false);
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

/* The row under the date: what will be stored, in UTC, and the venue's wall time with its abbreviation. */
static void draw_date_note(ui_app *app, const create_state *cs, int y, int x, int w)
{
    const ui_field *f = &cs->form.f[F_DATE];
    client_time_local l;
    if (f->value[0] == '\0' || convert(f->value, cs->form.f[F_ZONE].value, &l) != CLIENT_TIME_LOCAL_OK)
        return; /* the form shows the rule that is broken */
    char note[256], utc[32] = "";
    if (!l.has_time) {
        snprintf(note, sizeof note, "ok \xc2\xb7 a date without a time: the same day everywhere");
    } else {
        struct tm u;
        gmtime_r(&l.instant, &u);
        strftime(utc, sizeof utc, "%Y-%m-%d %H:%M UTC", &u);
        const char *mine = cs->form.f[F_ZONE].value[0] == '\0' ? ", your zone" : "";
        if (l.ambiguous)
            snprintf(note, sizeof note, "%s occurs twice; first: %s = %s", l.clock, l.zone, utc);
        else
            snprintf(note, sizeof note, "ok = %s \xc2\xb7 %s %s%s", utc, l.clock, l.zone, mine);
    }
    ui_draw_text(y, x, w, note, ui_attr(app, l.ambiguous ? UI_A_TITLE : UI_A_OK), false);
}

static void draw(ui_app *app, const ui_rect *a)
{
    create_state *cs = st(app);
    int w = a->w - 4 > 100 ? 100 : a->w - 4;
    ui_draw_box(app, a->y, 1, a->h, w + 2, "New concert");
    int x = 3, y = a->y + 1;
    int rows = a->h - 3; /* inside the box, less the line of help or progress beneath the form */
    cs->form.compact = cs->form.n * 3 > rows;
    rows = ui_form_rows_fit(&cs->form, rows);
    ui_form_draw_rows(app, &cs->form, y, x, w - 2, rows);
    int first = ui_form_first_shown(&cs->form, rows);
    int date_row = y + (F_DATE - first) * (cs->form.compact ? 2 : 3) + 1;
    if (F_DATE >= first && date_row < y + rows)
        draw_date_note(app, cs, date_row, x + 16, w - 2 - 16);
    y += rows;
    if (y > a->y + a->h - 2)
        y = a->y + a->h - 2;
    if (app->busy_seq != 0 && app->busy_owner == &ui_screen_create)
        ui_draw_text(y, x, w - 2, "Creating\xe2\x80\xa6 please wait.", ui_attr(app, UI_A_TITLE), false);
    else
        ui_draw_text(y, x, w - 2, "Enter: next field / create on the last \xc2\xb7 Esc: back", ui_attr(app, UI_A_DIM),
                     false);
}

static void copy_trimmed(char *dst, size_t cap, const char *src)
{
    char *trim = bo_text_trim_dup(src);
    snprintf(dst, cap, "%s", trim ? trim : src);
    free(trim);
}

static void submit(ui_app *app)
{
    create_state *cs = st(app);
    net_job job;
    memset(&job, 0, sizeof job);
    job.kind = NET_JOB_CREATE;
    net_create_req *q = &job.req.create;
    const ui_form *f = &cs->form;
    client_time_local when;
    client_time_local_status ts = convert(f->f[F_DATE].value, f->f[F_ZONE].value, &when);
    if (ts != CLIENT_TIME_LOCAL_OK) { /* the zone's rules said otherwise since it was checked */
        ui_message(app, true, "%s", client_time_local_message(ts));
        return;
    }
    copy_trimmed(q->name, sizeof q->name, f->f[F_NAME].value);
    copy_trimmed(q->venue, sizeof q->venue, f->f[F_VENUE].value);
    snprintf(q->date, sizeof q->date, "%s", when.utc);
    const char *zone = f->f[F_ZONE].value, *cur = f->f[F_CURRENCY].value;
    if (check_zone(zone) != NULL || strlen(zone) >= sizeof q->timezone || check_currency(cur) != NULL
        || strlen(cur) >= sizeof q->currency) {
        ui_message(app, true, "Check the time zone and the currency");
        return;
    }
    memcpy(q->timezone, zone, strlen(zone) + 1);
    memcpy(q->currency, cur, strlen(cur) + 1);
    if (bo_valid_tickets_text(f->f[F_TICKETS].value, &q->tickets) != NULL
        || bo_valid_price_text(f->f[F_PRICE].value, &q->price_cents) != NULL
        || (f->f[F_MAX].value[0] != '\0' && bo_valid_max_per_order_text(f->f[F_MAX].value, &q->max_per_order) != NULL)) {
        ui_message(app, true, "Check tickets, price and max per order");
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
    if (cs->form.focus == F_CURRENCY && act == UI_ACT_NONE && k >= 'a' && k <= 'z')
        k -= 'a' - 'A'; /* ISO 4217 codes are upper case */
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
        bo_text_sanitize(name, sizeof name, cs->form.f[F_NAME].value);
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
