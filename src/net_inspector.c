/* The HTTP inspector's ring buffer; see include/net_inspector.h. */
#include "net_inspector.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bo_buf.h"
#include "bo_text.h"

int net_inspector_init(net_inspector_ring *r)
{
    memset(r, 0, sizeof *r);
    return pthread_mutex_init(&r->lock, NULL) == 0 ? 0 : -1;
}

static void entry_clear(net_inspector_entry *e)
{
    free(e->request);
    free(e->response);
    free(e->raw_request);
    free(e->raw_response);
    memset(e, 0, sizeof *e);
}

void net_inspector_clear(net_inspector_ring *r)
{
    pthread_mutex_lock(&r->lock);
    for (size_t i = 0; i < NET_INSPECTOR_RING; i++)
        entry_clear(&r->e[i]);
    pthread_mutex_unlock(&r->lock);
}

void net_inspector_destroy(net_inspector_ring *r)
{
    for (size_t i = 0; i < NET_INSPECTOR_RING; i++)
        entry_clear(&r->e[i]);
    pthread_mutex_destroy(&r->lock);
}

/* Sanitises text line by line (tabs become two spaces) into a new capped string. */
static char *sanitize_lines(const char *text)
{
    size_t cap = NET_INSPECTOR_BODY_MAX;
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

static bool out_put(bo_buf *o, char c)
{
    return bo_buf_addn(o, &c, 1) == BO_BUF_OK;
}

/* A new line indented by depth tabs (sanitize_lines turns each leading tab into two spaces). */
static bool out_newline(bo_buf *o, int depth)
{
    if (!out_put(o, '\n'))
        return false;
    for (int i = 0; i < depth && i < 32; i++)
        if (!out_put(o, '\t'))
            return false;
    return true;
}

#define NEST_MAX 64

/* Re-indents JSON text the way cJSON_Print lays it out (one object member a line, array elements
 * inline, "key":<tab>value) without parsing it, so a body cut off at NET_INSPECTOR_RAW_MAX, or one that is
 * not valid JSON, still comes out readable. Strings are copied as they are. Stops when o is full. */
static void reindent_json(const char *s, bo_buf *o)
{
    bool in_str = false, esc = false, pending = false; /* pending: a '{' waits to see if it is empty */
    char nest[NEST_MAX];                               /* '{' or '[' per level (deeper levels: like '{') */
    int depth = 0;
    for (; *s != '\0'; s++) {
        char c = *s;
        if (in_str) {
            if (esc)
                esc = false;
            else if (c == '\\')
                esc = true;
            else if (c == '"')
                in_str = false;
            if (!out_put(o, c))
                return;
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
            continue;
        if (pending) {
            pending = false;
            if (c != '}' && !out_newline(o, depth))
                return;
        } else if (c == '}' && !out_newline(o, depth > 0 ? depth - 1 : 0)) {
            return;
        }
        bool ok = true;
        switch (c) {
        case '"':
            in_str = true;
            ok = out_put(o, c);
            break;
        case '{':
        case '[':
            if (depth < NEST_MAX)
                nest[depth] = c;
            depth++;
            pending = c == '{';
            ok = out_put(o, c);
            break;
        case '}':
        case ']':
            if (depth > 0)
                depth--;
            ok = out_put(o, c);
            break;
        case ',':
            ok = out_put(o, ',');
            if (ok && depth > 0 && (depth > NEST_MAX || nest[depth - 1] == '{'))
                ok = out_newline(o, depth);
            else if (ok)
                ok = out_put(o, ' ');
            break;
        case ':':
            ok = out_put(o, ':') && out_put(o, '\t');
            break;
        default:
            ok = out_put(o, c);
            break;
        }
        if (!ok)
            return;
    }
}

/* Pretty-prints and sanitises the kept part of a body of full_len bytes; notes what was not kept. */
static char *pretty_kept(const char *kept, size_t full_len)
{
    if (kept == NULL || kept[0] == '\0')
        return NULL;
    const char *first = kept + strspn(kept, " \t\r\n");
    char *out;
    if (*first == '{' || *first == '[') {
        bo_buf o;
        bo_buf_init(&o, 2 * NET_INSPECTOR_BODY_MAX - 1);
        reindent_json(first, &o);
        out = bo_buf_error(&o) == BO_BUF_NOMEM ? NULL : sanitize_lines(bo_buf_ptr(&o));
        bo_buf_free(&o);
    } else {
        out = sanitize_lines(kept);
    }
    size_t kept_len = strlen(kept);
    if (out != NULL && full_len > kept_len) {
        char note[96];
        int n = snprintf(note, sizeof note, "\n\xe2\x80\xa6 (first %zu of %zu bytes kept)", kept_len, full_len);
        size_t len = strlen(out);
        char *grown = realloc(out, len + (size_t)n + 1);
        if (grown != NULL) {
            memcpy(grown + len, note, (size_t)n + 1);
            out = grown;
        }
    }
    return out;
}

char *net_inspector_pretty(const char *body)
{
    return body != NULL ? pretty_kept(body, strlen(body)) : NULL;
}

/* A copy of the first NET_INSPECTOR_RAW_MAX bytes of body (NULL for NULL/empty or OOM); *full gets its size. */
static char *keep_raw(const char *body, size_t *full)
{
    *full = body != NULL ? strlen(body) : 0;
    if (*full == 0)
        return NULL;
    size_t n = *full < NET_INSPECTOR_RAW_MAX ? *full : NET_INSPECTOR_RAW_MAX;
    char *k = malloc(n + 1);
    if (k == NULL)
        return NULL;
    memcpy(k, body, n);
    k[n] = '\0';
    return k;
}

void net_inspector_record(void *ring, const api_exchange *t)
{
    net_inspector_ring *r = ring;
    size_t req_len, resp_len;
    char *req = keep_raw(t->request_body, &req_len);
    char *resp = keep_raw(t->response_body, &resp_len);
    char url[512], err[160];
    bo_text_sanitize(url, sizeof url, t->url ? t->url : "");
    bo_text_sanitize(err, sizeof err, t->error ? t->error : "");

    pthread_mutex_lock(&r->lock);
    r->next_seq++;
    net_inspector_entry *e = &r->e[r->next_seq % NET_INSPECTOR_RING];
    entry_clear(e);
    e->seq = r->next_seq;
    bo_text_sanitize(e->method, sizeof e->method, t->method ? t->method : "?");
    memcpy(e->url, url, sizeof url);
    memcpy(e->error, err, sizeof err);
    e->http_status = t->http_status;
    e->latency_ms = t->latency_ms;
    e->raw_request = req;
    e->raw_response = resp;
    e->request_len = req_len;
    e->response_len = resp_len;
    pthread_mutex_unlock(&r->lock);
}

/* Makes the entry's display text from its raw bodies, once (the raw copies are freed then).
 * On OOM the raw body stays for the next visit. Called with the lock held. */
static void entry_prettify(net_inspector_entry *e)
{
    if (e->raw_request != NULL && (e->request = pretty_kept(e->raw_request, e->request_len)) != NULL) {
        free(e->raw_request);
        e->raw_request = NULL;
    }
    if (e->raw_response != NULL && (e->response = pretty_kept(e->raw_response, e->response_len)) != NULL) {
        free(e->raw_response);
        e->raw_response = NULL;
    }
}

void net_inspector_visit(net_inspector_ring *r, size_t max, net_inspector_visit_fn fn, void *ctx)
{
    pthread_mutex_lock(&r->lock);
    for (size_t i = 0; i < max && i < NET_INSPECTOR_RING; i++) {
        if (r->next_seq < i + 1)
            break;
        net_inspector_entry *e = &r->e[(r->next_seq - i) % NET_INSPECTOR_RING];
        if (e->seq == 0)
            break;
        entry_prettify(e);
        if (fn(ctx, e) != 0)
            break;
    }
    pthread_mutex_unlock(&r->lock);
}
