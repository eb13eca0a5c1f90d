/* The HTTP inspector's ring buffer; see include/ui_trace.h. */
#include "ui_trace.h"

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "bo_text.h"

int ui_trace_init(ui_trace_ring *r)
{
    memset(r, 0, sizeof *r);
    return pthread_mutex_init(&r->lock, NULL) == 0 ? 0 : -1;
}

static void entry_clear(ui_trace_entry *e)
{
    free(e->request);
    free(e->response);
    memset(e, 0, sizeof *e);
}

void ui_trace_clear(ui_trace_ring *r)
{
    pthread_mutex_lock(&r->lock);
    for (size_t i = 0; i < UI_TRACE_RING; i++)
        entry_clear(&r->e[i]);
    pthread_mutex_unlock(&r->lock);
}

void ui_trace_destroy(ui_trace_ring *r)
{
    for (size_t i = 0; i < UI_TRACE_RING; i++)
        entry_clear(&r->e[i]);
    pthread_mutex_destroy(&r->lock);
}

/* Sanitises text line by line (tabs become two spaces) into a new capped string. */
static char *sanitize_lines(const char *text)
{
    size_t cap = UI_TRACE_BODY_MAX;
    char *out = malloc(cap);
    if (out == NULL)
        return NULL;
    size_t len = 0;
    char line[1024];
    const char *p = text;
    out[0] = '\0';
    while (*p != '\0' && len + 2 < cap) {
        size_t n = 0;
        char raw[1024];
        bool leading = true; /* cJSON indents with tabs (2 spaces here) and puts one after ':' (1 space) */
        while (*p != '\0' && *p != '\n' && n + 3 < sizeof raw) {
            if (*p == '\t') {
                raw[n++] = ' ';
                if (leading)
                    raw[n++] = ' ';
            } else if (*p != '\r') {
                raw[n++] = *p;
                leading = false;
            }
            p++;
        }
        raw[n] = '\0';
        if (*p == '\n')
            p++;
        size_t w = bo_text_sanitize(line, sizeof line, raw);
        if (len + w + 2 > cap)
            break;
        memcpy(out + len, line, w);
        len += w;
        out[len++] = '\n';
        out[len] = '\0';
    }
    if (len > 0 && out[len - 1] == '\n')
        out[--len] = '\0';
    return out;
}

char *ui_trace_pretty(const char *body)
{
    if (body == NULL || body[0] == '\0')
        return NULL;
    size_t blen = strlen(body);
    char *printed = NULL;
    if (blen <= (size_t)4 * 1024 * 1024) {
        cJSON *j = cJSON_ParseWithLength(body, blen);
        if (j != NULL) {
            printed = cJSON_Print(j);
            cJSON_Delete(j);
        }
    }
    char *out = sanitize_lines(printed != NULL ? printed : body);
    cJSON_free(printed);
    return out;
}

void ui_trace_record(void *ring, const api_trace *t)
{
    ui_trace_ring *r = ring;
    /* the slow part (parse, print, sanitise) outside the lock */
    char *req = ui_trace_pretty(t->request_body);
    char *resp = ui_trace_pretty(t->response_body);
    char url[512], err[160];
    bo_text_sanitize(url, sizeof url, t->url ? t->url : "");
    bo_text_sanitize(err, sizeof err, t->error ? t->error : "");

    pthread_mutex_lock(&r->lock);
    r->next_seq++;
    ui_trace_entry *e = &r->e[r->next_seq % UI_TRACE_RING];
    entry_clear(e);
    e->seq = r->next_seq;
    bo_text_sanitize(e->method, sizeof e->method, t->method ? t->method : "?");
    memcpy(e->url, url, sizeof url);
    memcpy(e->error, err, sizeof err);
    e->http_status = t->http_status;
    e->latency_ms = t->latency_ms;
    e->request = req;
    e->response = resp;
    pthread_mutex_unlock(&r->lock);
}

void ui_trace_visit(ui_trace_ring *r, size_t max, ui_trace_visit_fn fn, void *ctx)
{
    pthread_mutex_lock(&r->lock);
    for (size_t i = 0; i < max && i < UI_TRACE_RING; i++) {
        if (r->next_seq < i + 1)
            break;
        const ui_trace_entry *e = &r->e[(r->next_seq - i) % UI_TRACE_RING];
        if (e->seq == 0 || fn(ctx, e) != 0)
            break;
    }
    pthread_mutex_unlock(&r->lock);
}
