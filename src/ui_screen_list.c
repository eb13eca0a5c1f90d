/* The concert list: columns date, name, venue, price, seats left; sort, incremental filter,
 * scrolling that draws only the visible rows; mouse selection. */
#include <stdio.h>
#include <string.h>

#include "bo_money.h"
#include "ui_app.h"
#include "ui_curses.h"
#include "ui_text.h"

static const ui_action bar[] = { UI_ACT_OPEN, UI_ACT_BUY, UI_ACT_FILTER, UI_ACT_SORT,
                                 UI_ACT_NEW, UI_ACT_REFRESH, UI_ACT_HELP, UI_ACT_QUIT, UI_ACT_NONE };

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
    char date[32], price[BO_MONEY_BUF], seats[32];
    ui_format_date(c->date, date);
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
    } else if (c->seats_left <= 0) {
        ui_draw_text(y, col.seats_x, col.seats_w, "SOLD OUT", selected ? base : ui_attr(app, UI_A_SOLDOUT), true);
    } else {
        snprintf(seats, sizeof seats, "%lld", (long long)c->seats_left);
        ui_draw_text(y, col.seats_x, col.seats_w, seats, selected ? base : (stale ? ui_attr(app, UI_A_STALE) : base), true);
    }
}

static void draw(ui_app *app, const ui_rect *a)
{
    ui_columns col;
    ui_columns_layout(a->w, &col);
    /* title line: counts, sort, filter */
    char title[600];
    if (!app->cat.have_data)
        snprintf(title, sizeof title, "Concerts");
    else if (app->filtering || app->filter[0] != '\0')
        snprintf(title, sizeof title, "Concerts %zu of %zu \xc2\xb7 sort: %s \xc2\xb7 filter: %s%s", app->view_n,
                 app->cat.data.n, bo_sort_name(app->cat.sort), app->filter, app->filtering ? "_" : "");
    else
        snprintf(title, sizeof title, "Concerts %zu \xc2\xb7 sort: %s", app->cat.data.n, bo_sort_name(app->cat.sort));
    ui_draw_text(a->y, 1, a->w - 2, title, ui_attr(app, UI_A_TITLE), false);
    int hy = a->y + 1, hattr = ui_attr(app, UI_A_DIM) | A_UNDERLINE;
    attron(hattr);
    mvhline(hy, 0, ' ', a->w);
    attroff(hattr);
    ui_draw_text(hy, col.date_x, col.date_w, "Date (UTC)", hattr, false);
    ui_draw_text(hy, col.name_x, col.name_w, "Name", hattr, false);
    ui_draw_text(hy, col.venue_x, col.venue_w, "Venue", hattr, false);
    ui_draw_text(hy, col.price_x, col.price_w, "Price", hattr, true);
    ui_draw_text(hy, col.seats_x, col.seats_w, "Seats left", hattr, true);

    int y0 = a->y + 2, rows = a->h - 2;
    if (rows < 1)
        rows = 1;
    app->list_y = y0;
    app->list_rows = rows;
    if (!app->cat.have_data) {
        ui_draw_text(y0 + 1, 2, a->w - 4,
                     app->cat.conn == UI_CONN_FAILED ? "No data yet \xe2\x80\x94 the server did not answer; retrying."
                                                 : "Loading concerts\xe2\x80\xa6",
                     ui_attr(app, app->cat.conn == UI_CONN_FAILED ? UI_A_SOLDOUT : UI_A_DIM), false);
        return;
    }
    if (app->view_n == 0) {
        ui_draw_text(y0 + 1, 2, a->w - 4,
                     app->filter[0] ? "No concert matches the filter (Esc clears it)." : "No concerts yet.",
                     ui_attr(app, UI_A_DIM), false);
        return;
    }
    ui_scroll_fix(app->view_n, (size_t)rows, &app->sel, &app->top);
    for (int r = 0; r < rows && app->top + (size_t)r < app->view_n; r++) {
        size_t i = app->top + (size_t)r;
        draw_row(app, y0 + r, a->w, &app->cat.data.items[app->view[i]], i == app->sel);
    }
    if (app->view_n > (size_t)rows) {
        char pos[64];
        snprintf(pos, sizeof pos, " %zu-%zu of %zu ", app->top + 1,
                 app->top + (size_t)rows < app->view_n ? app->top + (size_t)rows : app->view_n, app->view_n);
        int w = ui_text_width(pos);
        ui_draw_text(a->y, a->w - w - 1, w, pos, ui_attr(app, UI_A_DIM), false);
    }
}

static bool typing(const ui_app *app)
{
    return app->filtering;
}

static void open_selected(ui_app *app, bool buy)
{
    const bo_concert *c = ui_view_selected(app);
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
    ui_push(app, buy ? &ui_screen_buy : &ui_screen_detail);
}

static int mouse(ui_app *app)
{
    MEVENT ev;
    if (getmouse(&ev) != OK)
        return UI_HANDLED;
    size_t rows = app->list_rows > 0 ? (size_t)app->list_rows : 1;
    if (ev.bstate & BUTTON4_PRESSED) {
        ui_scroll_move(app->view_n, rows, &app->sel, &app->top, -3);
        return UI_HANDLED | UI_REDRAW;
    }
    if (ev.bstate & BUTTON5_PRESSED) {
        ui_scroll_move(app->view_n, rows, &app->sel, &app->top, 3);
        return UI_HANDLED | UI_REDRAW;
    }
    if (ev.y < app->list_y || ev.y >= app->list_y + app->list_rows)
        return UI_HANDLED;
    size_t i = app->top + (size_t)(ev.y - app->list_y);
    if (i >= app->view_n)
        return UI_HANDLED;
    app->sel = i;
    if (ev.bstate & BUTTON1_DOUBLE_CLICKED)
        open_selected(app, false);
    return UI_HANDLED | UI_REDRAW;
}

static int key(ui_app *app, ui_action act, int k)
{
    size_t rows = app->list_rows > 0 ? (size_t)app->list_rows : 1;
    if (app->filtering) {
        if (act == UI_ACT_NONE && ui_key_is_text(k)) {
            if (ui_text_append(app->filter, sizeof app->filter, (uint32_t)k)) {
                app->sel = app->top = 0;
                ui_view_rebuild(app, "");
            }
            return UI_HANDLED | UI_REDRAW;
        }
        switch (act) {
        case UI_ACT_ERASE:
            ui_text_erase_last(app->filter);
            app->sel = app->top = 0;
            ui_view_rebuild(app, "");
            return UI_HANDLED | UI_REDRAW;
        case UI_ACT_BACK:
            app->filter[0] = '\0';
            app->filtering = false;
            ui_view_rebuild(app, NULL);
            return UI_HANDLED | UI_REDRAW;
        case UI_ACT_OPEN:
            app->filtering = false;
            return UI_HANDLED | UI_REDRAW;
        default:
            break; /* movement keys still work while filtering */
        }
    }
    switch (act) {
    case UI_ACT_UP: ui_scroll_move(app->view_n, rows, &app->sel, &app->top, -1); break;
    case UI_ACT_DOWN: ui_scroll_move(app->view_n, rows, &app->sel, &app->top, 1); break;
    case UI_ACT_PGUP: ui_scroll_move(app->view_n, rows, &app->sel, &app->top, -(long)rows); break;
    case UI_ACT_PGDN: ui_scroll_move(app->view_n, rows, &app->sel, &app->top, (long)rows); break;
    case UI_ACT_HOME: ui_scroll_move(app->view_n, rows, &app->sel, &app->top, -(long)app->view_n); break;
    case UI_ACT_END: ui_scroll_move(app->view_n, rows, &app->sel, &app->top, (long)app->view_n); break;
    case UI_ACT_OPEN: open_selected(app, false); break;
    case UI_ACT_BUY: open_selected(app, true); break;
    case UI_ACT_FILTER: app->filtering = true; break;
    case UI_ACT_BACK:
        if (app->filter[0] == '\0')
            return UI_HANDLED;
        app->filter[0] = '\0';
        ui_view_rebuild(app, NULL);
        break;
    case UI_ACT_SORT: {
        const bo_concert *c = ui_view_selected(app);
        char keep[BO_ID_MAX + 1] = "";
        if (c != NULL)
            snprintf(keep, sizeof keep, "%s", c->id);
        app->cat.sort = (bo_sort)((app->cat.sort + 1) % BO_SORT__COUNT);
        bo_concert_list_sort(&app->cat.data, app->cat.sort);
        ui_view_rebuild(app, keep);
        ui_message(app, false, "Sorted by %s", bo_sort_name(app->cat.sort));
        break;
    }
    case UI_ACT_NEW:
        if (app->opts->kiosk)
            ui_message(app, true, "Not available in kiosk mode");
        else if (app->opts->api.api_key == NULL || app->opts->api.api_key[0] == '\0')
            ui_message(app, true, "Not allowed: operator key required");
        else
            ui_push(app, &ui_screen_create);
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
    .draw = draw,
    .key = key,
    .typing = typing,
};
