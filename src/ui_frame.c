/* The frame around the screens: header, status line, key bar, the inspector panel's place; see
 * include/ui_frame.h. */
#include "ui_frame.h"

#include <stdio.h>
#include <string.h>

#include "bo_text.h"
#include "ui_app.h"
#include "ui_curses.h"
#include "ui_screens.h"
#include "ui_signin.h"
#include "ui_term.h"
#include "ui_text.h"

static void draw_header(ui_app *app)
{
    int attr = ui_attr(app, UI_A_HEADER);
    attron(attr);
    mvhline(0, 0, ' ', COLS);
    attroff(attr);
    char state[400];
    bool failed;
    ui_catalogue_describe(app, state, sizeof state, &failed);
    char mode[64];
    snprintf(mode, sizeof mode, "%s%s", app->opts->kiosk ? "[kiosk] " : "",
             (!app->opts->kiosk && api_config_operator(&app->opts->api)) ? "[operator] " : "");
    int sw = ui_text_width(state);
    if (sw > COLS - 30)
        sw = COLS - 30;
    int state_attr = failed ? ui_attr(app, UI_A_ERROR) : attr;
    ui_draw_text(0, COLS - sw - 1, sw, state, state_attr, false);
    char left[700], who[400];
    ui_signin_header(app, who, sizeof who); /* who is signed in, the terminal ("" without a sign-in) */
    /* the API's address is for operators, not customers */
    const char *url = !app->opts->kiosk && app->opts->api.base_url ? app->opts->api.base_url : "";
    snprintf(left, sizeof left, " BOX OFFICE  %s%s%s%s", mode, who, who[0] != '\0' && url[0] != '\0' ? "  " : "", url);
    char safe[700];
    bo_text_sanitize(safe, sizeof safe, left);
    ui_draw_text(0, 0, COLS - sw - 2, safe, attr, false);
}

/* The keys of a bar entry that act here: while a text field has focus a key that types a character
 * ('?' of "?/F1", 'h' of "Esc/h") goes into the field, so only the others are shown ("F1", "Esc"). */
static void bar_keys(const char *label, bool typing, char *out, size_t cap)
{
    if (!typing) {
        snprintf(out, cap, "%s", label);
        return;
    }
    size_t n = 0;
    out[0] = '\0';
    for (const char *p = label; *p != '\0';) {
        const char *e = strchr(p, '/');
        size_t len = e != NULL ? (size_t)(e - p) : strlen(p);
        bool types = (len == 1 && p[0] > ' ' && p[0] < 0x7f) || (len == 5 && strncmp(p, "Space", 5) == 0);
        if (!types && len > 0 && n + len + 2 < cap) {
            n += (size_t)snprintf(out + n, cap - n, "%s%.*s", n > 0 ? "/" : "", (int)len, p);
        }
        p += len;
        if (*p == '/')
            p++;
    }
}

static void draw_bar(ui_app *app)
{
    const ui_screen_ops *s = ui_top(app);
    int y = LINES - 1, x = 1;
    move(y, 0);
    clrtoeol();
    const ui_action *bar = s->bar_for != NULL ? s->bar_for(app) : s->bar;
    if (bar == NULL)
        return;
    bool typing = s->typing != NULL && s->typing(app);
    for (const ui_action *a = bar; *a != UI_ACT_NONE; a++) {
        const ui_action_def *d = ui_action_get(*a);
        if (d == NULL || !ui_action_offered(*a, app->opts->kiosk ? UI_MODE_KIOSK : UI_MODE_DESK))
            continue;
        char keys[64];
        bar_keys(d->keys_label, typing, keys, sizeof keys);
        const char *name = s->bar_name != NULL ? s->bar_name(app, *a) : NULL;
        if (name == NULL)
            name = d->name;
        if (keys[0] == '\0')
            continue; /* every key of it would be typed into the field */
        int kw = ui_text_width(keys), nw = ui_text_width(name);
        if (x + kw + 1 + nw >= COLS)
            break;
        ui_draw_text(y, x, kw, keys, ui_attr(app, UI_A_KEY), false);
        ui_draw_text(y, x + kw + 1, nw, name, A_NORMAL, false);
        x += kw + 1 + nw + 2;
    }
}

static void draw_status(ui_app *app)
{
    int y = LINES - 2;
    move(y, 0);
    clrtoeol();
    char line[400];
    if (app->busy_seq != 0) {
        snprintf(line, sizeof line, "%s %s %.1fs", ui_spinner(app->now), app->busy_label, app->now - app->busy_since);
        ui_draw_text(y, 1, COLS - 2, line, ui_attr(app, UI_A_TITLE), false);
    } else if (app->msg[0] != '\0') {
        ui_draw_text(y, 1, COLS - 2, app->msg, app->msg_error ? ui_attr(app, UI_A_ERROR) : ui_attr(app, UI_A_OK), false);
    }
}

void ui_frame_draw(ui_app *app)
{
    int min_cols, min_rows;
    if (ui_too_small(app, &min_cols, &min_rows)) {
        ui_term_draw_too_small(min_cols, min_rows);
        return;
    }
    erase();
    if (app->gate != NULL) { /* the sign-in holds the terminal: nothing of the screens beneath shows */
        ui_rect all = { 0, 0, LINES, COLS };
        app->gate->draw(app, &all);
        refresh();
        return;
    }
    int base = app->depth - 1;
    while (base > 0 && app->stack[base]->overlay)
        base--;
    if (base >= 0 && app->stack[base]->fullscreen) { /* the door: the whole terminal, its own status */
        ui_rect all = { 0, 0, LINES, COLS };
        for (int i = base; i < app->depth; i++)
            app->stack[i]->draw(app, &all);
        refresh();
        return;
    }
    draw_header(app);
    ui_rect area = { 1, 0, LINES - 3, COLS };
    ui_rect panel = { 0, 0, 0, 0 };
    if (app->inspector_on) {
        int ph = area.h / 2;
        panel = (ui_rect){ area.y + area.h - ph, 0, ph, COLS };
        area.h -= ph;
    }
    for (int i = base; i < app->depth; i++)
        app->stack[i]->draw(app, &area);
    if (app->inspector_on)
        ui_screen_inspector.draw(app, &panel);
    draw_status(app);
    draw_bar(app);
    refresh();
}
