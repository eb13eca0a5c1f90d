/* The catalogue: refresh scheduling, backoff, stale marking, the current concert's reload;
 * see include/ui_catalogue.h. */
#include "ui_catalogue.h"

#include <stdio.h>
#include <string.h>

#include "bo_backoff.h"
#include "bo_text.h"
#include "ui_app.h"
#include "ui_text.h"

void ui_catalogue_refresh(ui_app *app)
{
    ui_catalogue *cat = &app->cat;
    if (cat->list_seq != 0) {
        /* the answer in flight may predate what changed: fetch once more when it lands */
        cat->refresh_again = true;
        return;
    }
    cat->refresh_again = false;
    net_job job;
    memset(&job, 0, sizeof job);
    job.kind = NET_JOB_LIST;
    unsigned long seq = net_worker_submit(app->worker, &job);
    if (seq == 0) {
        cat->next_refresh = app->now + 1;
        return;
    }
    cat->list_seq = seq;
    cat->list_since = app->now;
    cat->next_refresh = 0;
}

void ui_catalogue_reload_current(ui_app *app)
{
    if (!app->have_current || bo_concert_field_bad(&app->current, BO_FIELD_ID))
        return; /* an id that is not the server's cannot be asked for */
    net_job job;
    memset(&job, 0, sizeof job);
    job.kind = NET_JOB_GET;
    snprintf(job.req.concert_id, sizeof job.req.concert_id, "%s", app->current.id);
    app->cat.current_seq = net_worker_submit(app->worker, &job);
}

static bo_concert *find_concert(const bo_concert_list *l, const char *id)
{
    for (size_t i = 0; id != NULL && i < l->n; i++)
        if (strcmp(l->items[i].id, id) == 0)
            return &l->items[i];
    return NULL;
}

const bo_concert *ui_catalogue_find(const ui_catalogue *c, const char *id)
{
    return find_concert(&c->data, id);
}

void ui_catalogue_seats_returned(ui_app *app, const char *id, int64_t n)
{
    bo_concert *c = find_concert(&app->cat.data, id);
    if (c != NULL && !bo_concert_field_bad(c, BO_FIELD_SEATS))
        c->seats_left += n;
    if (app->have_current && strcmp(app->current.id, id) == 0 && !bo_concert_field_bad(&app->current, BO_FIELD_SEATS))
        app->current.seats_left += n;
    ui_catalogue_refresh(app);
}

void ui_catalogue_tick(ui_app *app)
{
    const ui_catalogue *cat = &app->cat;
    if (ui_top(app)->pauses_refresh) /* the door keeps the worker for its scans */
        return;
    if (cat->list_seq == 0 && cat->next_refresh > 0 && app->now >= cat->next_refresh)
        ui_catalogue_refresh(app);
}

double ui_catalogue_next_refresh(const ui_catalogue *c)
{
    return c->next_refresh;
}

/* Seconds before the next automatic refresh after `failures` failed ones in a row: 1, 2, 4, 8, then 10
 * (no jitter). */
static double backoff_s(int failures)
{
    return (double)bo_backoff_ceiling(failures > 0 ? (unsigned)failures : 1, 1000, 10000) / 1000.0;
}

static void status_text(const api_result *res, api_status st, char *out, size_t cap)
{
    const char *m = res->message[0] != '\0' ? res->message : api_status_message(st);
    bo_text_sanitize(out, cap, m);
}

static void list_arrived(ui_app *app, net_result *r)
{
    ui_catalogue *cat = &app->cat;
    cat->list_seq = 0;
    if (cat->refresh_again)
        cat->next_refresh = app->now; /* ui_catalogue_tick submits it */
    if (r->status == API_OK) {
        bo_concert_list before = cat->data;
        cat->data = r->out.list;
        memset(&r->out.list, 0, sizeof r->out.list);
        bo_concert_list_sort(&cat->data, cat->sort);
        cat->have_data = true;
        cat->data_at = app->now;
        cat->conn = UI_CONN_ONLINE;
        cat->conn_msg[0] = '\0';
        cat->unreachable = false;
        cat->failures = 0;
        if (!cat->refresh_again)
            cat->next_refresh = app->opts->refresh_s > 0 ? app->now + app->opts->refresh_s : 0;
        ui_screens_catalogue_changed(app, &before);
        bo_concert_list_clear(&before);
        if (app->have_current)
            for (size_t i = 0; i < cat->data.n; i++)
                if (strcmp(cat->data.items[i].id, app->current.id) == 0) {
                    if (!bo_concert_sellable(&cat->data.items[i]))
                        ui_set_current(app, &cat->data.items[i]); /* damaged now: its marks too */
                    else
                        app->current.seats_left = cat->data.items[i].seats_left;
                    break;
                }
    } else {
        cat->conn = UI_CONN_FAILED;
        status_text(&r->res, r->status, cat->conn_msg, sizeof cat->conn_msg);
        cat->unreachable = r->status == API_ERR_UNREACHABLE;
        if (cat->unreachable && !app->opts->kiosk && (cat->failures == 0 || app->msg[0] == '\0'))
            ui_message(app, true, "No API at %s: make local-up, or set BOXOFFICE_API_URL", app->opts->api.base_url);
        cat->failures++;
        cat->next_refresh = app->now + backoff_s(cat->failures);
    }
}

static int current_arrived(ui_app *app, net_result *r)
{
    app->cat.current_seq = 0;
    if (!app->have_current || strcmp(r->id, app->current.id) != 0)
        return 0;
    if (r->status == API_OK) {
        bo_concert_clear(&app->current);
        app->current = r->out.concert;
        memset(&r->out.concert, 0, sizeof r->out.concert);
    } else if (r->status == API_ERR_NOT_FOUND) {
        ui_message(app, true, "Concert no longer exists");
    } else {
        char m[256];
        status_text(&r->res, r->status, m, sizeof m);
        ui_message(app, true, "Could not reload the concert: %s", m);
    }
    return UI_REDRAW;
}

bool ui_catalogue_result(ui_app *app, net_result *r, int *flags)
{
    if (r->kind == NET_JOB_LIST && r->seq == app->cat.list_seq) {
        list_arrived(app, r);
        *flags = UI_REDRAW;
        return true;
    }
    if (r->kind == NET_JOB_GET && r->seq == app->cat.current_seq) {
        *flags = current_arrived(app, r);
        return true;
    }
    return false;
}

void ui_catalogue_describe(const ui_app *app, char *out, size_t cap, bool *failed)
{
    const ui_catalogue *cat = &app->cat;
    char age[32];
    *failed = cat->conn == UI_CONN_FAILED;
    bool show_spinner = cat->list_seq != 0 && (!cat->have_data || app->now - cat->list_since >= 0.3);
    if (show_spinner && cat->conn != UI_CONN_FAILED) { /* quick refreshes do not flicker the header */
        snprintf(out, cap, "%s %s %.1fs", ui_spinner(app->now), cat->have_data ? "refreshing" : "loading",
                 app->now - cat->list_since);
    } else if (cat->conn == UI_CONN_FAILED) {
        if (cat->have_data) {
            ui_format_age((long)(app->now - cat->data_at), age);
            snprintf(out, cap, "%s \xe2\x80\x94 retrying \xc2\xb7 stale data, %s old", cat->conn_msg, age);
        } else {
            snprintf(out, cap, "%s \xe2\x80\x94 retrying", cat->conn_msg);
        }
    } else if (cat->conn == UI_CONN_ONLINE) {
        snprintf(out, cap, "online");
    } else {
        snprintf(out, cap, "connecting\xe2\x80\xa6");
    }
}

void ui_catalogue_free(ui_catalogue *c)
{
    bo_concert_list_clear(&c->data);
}
