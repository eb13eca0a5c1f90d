/* The concert list: columns date, name, venue, price, seats left; sort, incremental filter,
 * scrolling that draws only the visible rows; mouse selection. Past concerts (client_time_past) come after
 * the upcoming ones, marked "past"; a kiosk does not list them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bo_money.h"
#include "client_config.h"
#include "client_time.h"
#include "ui_app.h"
#include "ui_list_filter.h"
#include "ui_screens.h"
#include "ui_curses.h"
#include "ui_text.h"

/* What fits 80 columns with quit at the end; r (refresh, automatic anyway) is in the help. */
static const ui_action bar[] = { UI_ACT_OPEN, UI_ACT_BUY, UI_ACT_FIND, UI_ACT_FILTER, UI_ACT_SORT,
                                 UI_ACT_NEW, UI_ACT_HELP, UI_ACT_QUIT, UI_ACT_NONE };

/* The list's own state: which concerts the filter shows (indices into the catalogue), the selection and
 * the scroll window. The filter is wiped on a kiosk's idle reset. */
typedef struct list_state {
    size_t *view;                      /* owned */
    size_t view_n, view_cap;
    size_t sel, top;
    int list_y, list_rows;             /* where the rows were drawn last (mouse) */
    size_t listed;                     /* the concerts this list can show: a kiosk's leave out past ones */
    char filter[256];
    bool filtering;
} list_state;

static list_state *st(const ui_app *app)
{
    return ui_screen_state(app, &ui_screen_list);
}

static const bo_concert *selected(const ui_app *app)
{
    const list_state *ls = st(app);
    if (ls->view_n == 0 || ls->sel >= ls->view_n)
        return NULL;
    return &app->cat.data.items[ls->view[ls->sel]];
}

/* Moves the past concerts of view[0..n) after the upcoming ones, each part in its order; on a kiosk they
 * are dropped. Returns how many remain. */
static size_t past_last(const ui_app *app, size_t *view, size_t n)
{
    time_t now = time(NULL);
    size_t up = 0, past = 0;
    size_t *later = n > 0 ? malloc(n * sizeof *later) : NULL;
    for (size_t i = 0; i < n; i++) {
        if (client_time_past(app->cat.data.items[view[i]].date, now) == 1) {
            if (later != NULL)
                later[past++] = view[i];
            else if (!app->opts->kiosk) /* no room to keep them aside: listed where they are */
                view[up++] = view[i];
        } else {
            view[up++] = view[i];
        }
    }
    if (!app->opts->kiosk && later != NULL) {
        memcpy(view + up, later, past * sizeof *later);
        up += past;
    }
    free(later);
    return up;
}

/* Re-applies the filter to the catalogue; keeps keep_id selected when it is still shown (NULL: the
 * current selection). */
static void rebuild(ui_app *app, const char *keep_id)
{
    list_state *ls = st(app);
    char keep[BO_ID_MAX + 1] = "";
    if (keep_id != NULL) {
        snprintf(keep, sizeof keep, "%s", keep_id);
    } else {
        const bo_concert *s = selected(app);
        if (s != NULL)
            snprintf(keep, sizeof keep, "%s", s->id);
    }
    if (app->cat.data.n > ls->view_cap) {
        size_t *v = realloc(ls->view, app->cat.data.n * sizeof *v);
        if (v == NULL) {
            ls->view_n = 0;
            ui_message(app, true, "Out of memory: cannot show the list");
            return;
        }
        ls->view = v;
        ls->view_cap = app->cat.data.n;
    }
    ls->view_n = app->cat.data.n > 0 ? ui_list_filter(&app->cat.data, ls->filter, ls->view) : 0;
    ls->view_n = past_last(app, ls->view, ls->view_n);
    ls->listed = app->cat.data.n;
    if (app->opts->kiosk) {
        time_t now = time(NULL);
        for (size_t i = 0; i < app->cat.data.n; i++)
            ls->listed -= client_time_past(app->cat.data.items[i].date, now) == 1;
    }
    size_t at = ui_list_filter_find(&app->cat.data, ls->view, ls->view_n, keep);
    if (at != (size_t)-1)
        ls->sel = at;
    ui_scroll_fix(ls->view_n, ls->list_rows > 0 ? (size_t)ls->list_rows : 1, &ls->sel, &ls->top);
}

static void catalogue(ui_app *app, const bo_concert_list *before)
{
    const list_state *ls = st(app);
    char keep[BO_ID_MAX + 1] = "";
    if (ls->view_n > 0 && ls->sel < ls->view_n && ls->view[ls->sel] < before->n)
        snprintf(keep, sizeof keep, "%s", before->items[ls->view[ls->sel]].id);
    rebuild(app, keep[0] ? keep : NULL);
}

static bool wipe(ui_app *app, void *state)
{
    list_state *ls = state;
    if (ls->filter[0] == '\0' && !ls->filtering)
        return false;
    ls->filter[0] = '\0';
    ls->filtering = false;
    rebuild(app, NULL);
    return true;
}

static void fini(void *state)
{
    list_state *ls = state;
    free(ls->view);
    ls->view = NULL;
}

static void draw_row(ui_app *app, int y, int cols, const bo_concert *c, bool selected)
{
    ui_columns col;
    ui_columns_layout(cols, &col);
    int base = selected ? ui_attr(app, UI_A_SELECTED) : 0;
    bool stale = app->cat.conn == UI_CONN_FAILED;
    if (selected) {
        attron(base);
        mvhline(y, 0, ' ', cols);
        mvaddch(y, 0, '>'); /* visible without colours and in screen dumps */
        attroff(base);
    }
    char date[64], price[BO_MONEY_BUF], seats[32];
    client_time_format_short(c->date, c->timezone, time(NULL), date, sizeof date); /* the venue's zone */
    if (bo_concert_field_bad(c, BO_FIELD_PRICE))
        snprintf(price, sizeof price, "?");
    else
        bo_money_display(c->price_cents, price);
    ui_draw_text(y, col.date_x, col.date_w, date, base, false);
    ui_draw_text(y, col.name_x, col.name_w, c->name, base, false);
    ui_draw_text(y, col.venue_x, col.venue_w, c->venue, base, false);
    ui_draw_text(y, col.price_x, col.price_w, price, base, true);
    if (!bo_concert_sellable(c)) { /* damaged record: marked, listed, never sold */
        if (!selected)
            mvaddch(y, 0, '!' | (chtype)ui_attr(app, UI_A_SOLDOUT));
        ui_draw_text(y, col.seats_x, col.seats_w, "! DAMAGED", selected ? base : ui_attr(app, UI_A_SOLDOUT), true);
    } else if (client_time_past(c->date, time(NULL)) == 1) {
        ui_draw_text(y, col.seats_x, col.seats_w, "past", selected ? base : ui_attr(app, UI_A_DIM), true);
    } else if (c->seats_left <= 0) {
        ui_draw_text(y, col.seats_x, col.seats_w, "SOLD OUT", selected ? base : ui_attr(app, UI_A_SOLDOUT), true);
    } else {
        snprintf(seats, sizeof seats, "%lld", (long long)c->seats_left);
        ui_draw_text(y, col.seats_x, col.seats_w, seats, selected ? base : (stale ? ui_attr(app, UI_A_STALE) : base), true);
    }
}

static void draw(ui_app *app, const ui_rect *a)
{
    list_state *ls = st(app);
    ui_columns col;
    ui_columns_layout(a->w, &col);
    /* title line: counts, sort, filter */
    char title[600];
    if (!app->cat.have_data)
        snprintf(title, sizeof title, "Concerts");
    else if (ls->filtering || ls->filter[0] != '\0')
        snprintf(title, sizeof title, "Concerts %zu of %zu \xc2\xb7 sort: %s \xc2\xb7 filter: %s%s", ls->view_n,
                 ls->listed, bo_sort_name(app->cat.sort), ls->filter, ls->filtering ? "_" : "");
    else
        snprintf(title, sizeof title, "Concerts %zu \xc2\xb7 sort: %s", ls->listed, bo_sort_name(app->cat.sort));
    ui_draw_text(a->y, 1, a->w - 2, title, ui_attr(app, UI_A_TITLE), false);
    int hy = a->y + 1, hattr = ui_attr(app, UI_A_DIM) | A_UNDERLINE;
    attron(hattr);
    mvhline(hy, 0, ' ', a->w);
    attroff(hattr);
    ui_draw_text(hy, col.date_x, col.date_w, "Date", hattr, false);
    ui_draw_text(hy, col.name_x, col.name_w, "Name", hattr, false);
    ui_draw_text(hy, col.venue_x, col.venue_w, "Venue", hattr, false);
    ui_draw_text(hy, col.price_x, col.price_w, "Price", hattr, true);
    ui_draw_text(hy, col.seats_x, col.seats_w, "Seats left", hattr, true);

    int y0 = a->y + 2, rows = a->h - 2;
    if (rows < 1)
        rows = 1;
    ls->list_y = y0;
    ls->list_rows = rows;
    if (!app->cat.have_data && app->cat.conn == UI_CONN_FAILED && app->cat.unreachable) {
        /* a first start without a stack: what was tried and what to do (the URL is not a kiosk's business) */
        char line[700], hint[512];
        if (app->opts->kiosk) {
            ui_draw_text(y0 + 1, 2, a->w - 4, "Out of service: the box office cannot reach its server; retrying.",
                         ui_attr(app, UI_A_SOLDOUT), false);
            return;
        }
        snprintf(line, sizeof line, "Nothing answers at %s (retrying).", app->opts->api.base_url);
        ui_draw_text(y0 + 1, 2, a->w - 4, line, ui_attr(app, UI_A_SOLDOUT), false);
        config_hint(CONFIG_HINT_URL, hint, sizeof hint);
        int y = y0 + 3;
        char *save = NULL;
        for (char *l = strtok_r(hint, "\n", &save); l != NULL && y < a->y + a->h; l = strtok_r(NULL, "\n", &save))
            ui_draw_text(y++, 2, a->w - 4, l, 0, false);
        return;
    }
    if (!app->cat.have_data) {
        ui_draw_text(y0 + 1, 2, a->w - 4,
                     app->cat.conn == UI_CONN_FAILED ? "No data yet \xe2\x80\x94 the server did not answer; retrying."
                                                 : "Loading concerts\xe2\x80\xa6",
                     ui_attr(app, app->cat.conn == UI_CONN_FAILED ? UI_A_SOLDOUT : UI_A_DIM), false);
        return;
    }
    if (ls->view_n == 0) {
        ui_draw_text(y0 + 1, 2, a->w - 4,
                     ls->filter[0] ? "No concert matches the filter (Esc clears it)." : "No concerts yet.",
                     ui_attr(app, UI_A_DIM), false);
        return;
    }
    ui_scroll_fix(ls->view_n, (size_t)rows, &ls->sel, &ls->top);
    for (int r = 0; r < rows && ls->top + (size_t)r < ls->view_n; r++) {
        size_t i = ls->top + (size_t)r;
        draw_row(app, y0 + r, a->w, &app->cat.data.items[ls->view[i]], i == ls->sel);
    }
    if (ls->view_n > (size_t)rows) {
        char pos[64];
        snprintf(pos, sizeof pos, " %zu-%zu of %zu ", ls->top + 1,
                 ls->top + (size_t)rows < ls->view_n ? ls->top + (size_t)rows : ls->view_n, ls->view_n);
        int w = ui_text_width(pos);
        ui_draw_text(a->y, a->w - w - 1, w, pos, ui_attr(app, UI_A_DIM), false);
    }
}

static bool typing(const ui_app *app)
{
    const list_state *ls = st(app);
    return ls->filtering;
}

static void open_selected(ui_app *app, bool buy)
{
    const bo_concert *c = selected(app);
    if (c == NULL)
        return;
    if (buy && !bo_concert_sellable(c)) {
        ui_message(app, true, "Not for sale: this concert's record is damaged \xe2\x80\x94 Enter shows what is wrong");
        return;
    }
    if (buy && c->seats_left <= 0) {
        ui_message(app, true, "Sold out \xe2\x80\x94 no tickets left for %s", c->name);
        return;
    }
    if (!ui_set_current(app, c)) {
        ui_message(app, true, "Out of memory");
        return;
    }
    if (buy)
        ui_sell_open(app); /* a past concert: refused on a kiosk, asked first at the window */
    else
        ui_push(app, &ui_screen_detail);
}

static int mouse(ui_app *app)
{
    list_state *ls = st(app);
    MEVENT ev;
    if (getmouse(&ev) != OK)
        return UI_HANDLED;
    size_t rows = ls->list_rows > 0 ? (size_t)ls->list_rows : 1;
    if (ev.bstate & BUTTON4_PRESSED) {
        ui_scroll_move(ls->view_n, rows, &ls->sel, &ls->top, -3);
        return UI_HANDLED | UI_REDRAW;
    }
    if (ev.bstate & BUTTON5_PRESSED) {
        ui_scroll_move(ls->view_n, rows, &ls->sel, &ls->top, 3);
        return UI_HANDLED | UI_REDRAW;
    }
    if (ev.y < ls->list_y || ev.y >= ls->list_y + ls->list_rows)
        return UI_HANDLED;
    size_t i = ls->top + (size_t)(ev.y - ls->list_y);
    if (i >= ls->view_n)
        return UI_HANDLED;
    ls->sel = i;
    if (ev.bstate & BUTTON1_DOUBLE_CLICKED)
        open_selected(app, false);
    return UI_HANDLED | UI_REDRAW;
}

static int key(ui_app *app, ui_action act, int k)
{
    list_state *ls = st(app);
    size_t rows = ls->list_rows > 0 ? (size_t)ls->list_rows : 1;
    if (ls->filtering) {
        if (act == UI_ACT_NONE && ui_key_is_text(k)) {
            if (ui_text_append(ls->filter, sizeof ls->filter, (uint32_t)k)) {
                ls->sel = ls->top = 0;
                rebuild(app, "");
            }
            return UI_HANDLED | UI_REDRAW;
        }
        switch (act) {
        case UI_ACT_ERASE:
            ui_text_erase_last(ls->filter);
            ls->sel = ls->top = 0;
            rebuild(app, "");
            return UI_HANDLED | UI_REDRAW;
        case UI_ACT_BACK:
            ls->filter[0] = '\0';
            ls->filtering = false;
            rebuild(app, NULL);
            return UI_HANDLED | UI_REDRAW;
        case UI_ACT_OPEN:
            ls->filtering = false;
            return UI_HANDLED | UI_REDRAW;
        default:
            break; /* movement keys still work while filtering */
        }
    }
    switch (act) {
    case UI_ACT_UP: ui_scroll_move(ls->view_n, rows, &ls->sel, &ls->top, -1); break;
    case UI_ACT_DOWN: ui_scroll_move(ls->view_n, rows, &ls->sel, &ls->top, 1); break;
    case UI_ACT_PGUP: ui_scroll_move(ls->view_n, rows, &ls->sel, &ls->top, -(long)rows); break;
    case UI_ACT_PGDN: ui_scroll_move(ls->view_n, rows, &ls->sel, &ls->top, (long)rows); break;
    case UI_ACT_HOME: ui_scroll_move(ls->view_n, rows, &ls->sel, &ls->top, -(long)ls->view_n); break;
    case UI_ACT_END: ui_scroll_move(ls->view_n, rows, &ls->sel, &ls->top, (long)ls->view_n); break;
    case UI_ACT_OPEN: open_selected(app, false); break;
    case UI_ACT_BUY: open_selected(app, true); break;
    case UI_ACT_FILTER: ls->filtering = true; break;
    case UI_ACT_BACK:
        if (ls->filter[0] == '\0')
            return UI_HANDLED;
        ls->filter[0] = '\0';
        rebuild(app, NULL);
        break;
    case UI_ACT_SORT: {
        const bo_concert *c = selected(app);
        char keep[BO_ID_MAX + 1] = "";
        if (c != NULL)
            snprintf(keep, sizeof keep, "%s", c->id);
        app->cat.sort = (bo_sort)((app->cat.sort + 1) % BO_SORT__COUNT);
        bo_concert_list_sort(&app->cat.data, app->cat.sort);
        rebuild(app, keep);
        ui_message(app, false, "Sorted by %s", bo_sort_name(app->cat.sort));
        break;
    }
    case UI_ACT_NEW:
        if (app->opts->kiosk)
            ui_message(app, true, "Not available in kiosk mode");
        else if (!api_config_operator(&app->opts->api))
            ui_prompt_open(app, UI_PROMPT_KEY); /* says where the key is set */
        else
            ui_push(app, &ui_screen_create);
        break;
    case UI_ACT_FIND:
        if (app->opts->kiosk)
            ui_message(app, true, "Not available in kiosk mode");
        else if (!api_config_operator(&app->opts->api))
            ui_prompt_open(app, UI_PROMPT_KEY);
        else
            ui_push(app, &ui_screen_find);
        break;
    case UI_ACT_MOUSE:
        return mouse(app);
    default:
        return UI_UNHANDLED;
    }
    return UI_HANDLED | UI_REDRAW;
}

const ui_screen_ops ui_screen_list = {
    .title = "Concerts",
    .bar = bar,
    .private_size = sizeof(list_state),
    .wipe = wipe,
    .fini = fini,
    .catalogue = catalogue,
    .draw = draw,
    .key = key,
    .typing = typing,
    .min_cols = UI_SMALL_COLS,
    .min_rows = UI_SMALL_ROWS,
};
