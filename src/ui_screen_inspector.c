/* The HTTP inspector panel (--inspect, toggled with i): each request and response, newest first,
 * with method, URL, status, latency and the pretty-printed JSON bodies from the inspector log (net_inspector). */
#include <stdio.h>
#include <string.h>

#include "ui_app.h"
#include "ui_screens.h"
#include "ui_curses.h"
#include "ui_text.h"

typedef struct panel_ctx {
    ui_app *app;
    int y, x, w, end;   /* next row to draw, last row + 1 */
    int first;          /* entries drawn so far */
} panel_ctx;

static void draw_body(panel_ctx *p, const char *label, const char *body, int max_lines)
{
    if (body == NULL || p->y >= p->end)
        return;
    ui_draw_text(p->y++, p->x + 2, p->w - 2, label, ui_attr(p->app, UI_A_DIM), false);
    const char *s = body;
    char line[1024];
    int n = 0;
    while (*s != '\0' && p->y < p->end && n < max_lines) {
        size_t len = strcspn(s, "\n");
        size_t c = len < sizeof line - 1 ? len : sizeof line - 1;
        memcpy(line, s, c);
        line[c] = '\0';
        ui_draw_text(p->y++, p->x + 4, p->w - 4, line, A_NORMAL, false);
        s += len;
        if (*s == '\n')
            s++;
        n++;
    }
    if (*s != '\0' && p->y < p->end)
        ui_draw_text(p->y++, p->x + 4, p->w - 4, "\xe2\x80\xa6", ui_attr(p->app, UI_A_DIM), false);
}

static int visit(void *ctx, const net_inspector_entry *e)
{
    panel_ctx *p = ctx;
    if (p->y >= p->end)
        return 1;
    char head[800];
    if (e->http_status > 0)
        snprintf(head, sizeof head, "#%lu %s %s \xe2\x86\x92 %ld (%.0f ms)", e->seq, e->method, e->url, e->http_status,
                 e->latency_ms);
    else
        snprintf(head, sizeof head, "#%lu %s %s \xe2\x86\x92 failed: %s (%.0f ms)", e->seq, e->method, e->url,
                 e->error[0] ? e->error : "no answer", e->latency_ms);
    int attr = e->http_status >= 400 || e->http_status == 0 ? ui_attr(p->app, UI_A_SOLDOUT) : ui_attr(p->app, UI_A_TITLE);
    ui_draw_text(p->y++, p->x, p->w, head, attr, false);
    /* the newest exchange gets the room; older ones a few lines each */
    int room = p->end - p->y;
    int budget = p->first == 0 ? (room / 2 < 10 ? room / 2 : 10) : 5;
    if (budget < 2)
        budget = 2;
    draw_body(p, "request:", e->request, 8);
    draw_body(p, "response:", e->response, budget);
    p->first++;
    return 0;
}

static void draw(ui_app *app, const ui_rect *a)
{
    int attr = ui_attr(app, UI_A_HEADER);
    attron(attr);
    mvhline(a->y, 0, ' ', a->w);
    attroff(attr);
    ui_draw_text(a->y, 1, a->w - 2, "HTTP inspector (i hides) \xe2\x80\x94 newest first", attr, false);
    panel_ctx p = { app, a->y + 1, 1, a->w - 2, a->y + a->h, 0 };
    net_inspector_visit(&app->inspector, NET_INSPECTOR_RING, visit, &p);
    if (p.first == 0)
        ui_draw_text(a->y + 1, 2, a->w - 4, "No HTTP exchange yet.", ui_attr(app, UI_A_DIM), false);
}

const ui_screen_ops ui_screen_inspector = {
    .title = "Inspector",
    .draw = draw,
};
