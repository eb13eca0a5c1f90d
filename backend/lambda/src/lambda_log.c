/* Structured JSON log lines. */
#include "lambda_log.h"

#include "timefmt.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* A capped writer: appends stop silently at the cap (the line is then cut, still valid JSON is
 * not guaranteed; the cap is far above any line we produce). */
typedef struct lbuf {
    char *p;
    size_t cap, len;
} lbuf;

static void lb_raw(lbuf *b, const char *s, size_t n)
{
    if (b->len >= b->cap)
        return;
    size_t room = b->cap - b->len;
    if (n > room)
        n = room;
    memcpy(b->p + b->len, s, n);
    b->len += n;
}

static void lb_str(lbuf *b, const char *s)
{
    lb_raw(b, s, strlen(s));
}

/* Appends s as a JSON string, escaped, at most LOG_FIELD_MAX input bytes; non-UTF-8 bytes are
 * escaped as \u00XX so the line stays valid JSON whatever the input. */
static void lb_json_str(lbuf *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    lb_raw(b, "\"", 1);
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    for (size_t i = 0; i < LOG_FIELD_MAX && p[i]; i++) {
        unsigned char c = p[i];
        if (c == '"' || c == '\\') {
            char e[2] = { '\\', (char)c };
            lb_raw(b, e, 2);
        } else if (c < 0x20 || c == 0x7F || c >= 0x80) {
            if (c >= 0x80) { /* keep well-formed UTF-8 sequences, escape stray bytes */
                size_t n = (c >= 0xC2 && c <= 0xDF) ? 2 : (c >= 0xE0 && c <= 0xEF) ? 3 : (c >= 0xF0 && c <= 0xF4) ? 4 : 0;
                size_t k = 1;
                while (n && k < n && (p[i + k] & 0xC0) == 0x80)
                    k++;
                if (n && k == n) {
                    lb_raw(b, (const char *)p + i, n);
                    i += n - 1;
                    continue;
                }
            }
            char e[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
            lb_raw(b, e, 6);
        } else {
            lb_raw(b, (const char *)&c, 1);
        }
    }
    lb_raw(b, "\"", 1);
}

static void lb_field(lbuf *b, const char *key, const char *value)
{
    lb_raw(b, ",\"", 2);
    lb_str(b, key);
    lb_raw(b, "\":", 2);
    lb_json_str(b, value);
}

static void lb_ts(lbuf *b, uint64_t now_ms)
{
    char ts[TIMEFMT_BUF];
    timefmt_iso_ms(now_ms, ts);
    lb_str(b, "{\"ts\":\"");
    lb_str(b, ts);
    lb_str(b, "\"");
}

static size_t lb_finish(lbuf *b)
{
    /* always end with "}\n" even when the cap cut the line */
    if (b->len > b->cap - 3)
        b->len = b->cap - 3;
    memcpy(b->p + b->len, "}\n", 3);
    b->len += 2;
    return b->len;
}

size_t log_format_invocation(char *buf, size_t cap, const log_invocation *li, uint64_t now_ms)
{
    if (!buf || cap < 4)
        return 0;
    lbuf b = { buf, cap, 0 };
    lb_ts(&b, now_ms);
    lb_field(&b, "level", li->status >= 500 ? "error" : "info");
    lb_field(&b, "event", "invocation");
    lb_field(&b, "requestId", li->request_id);
    if (li->api_request_id)
        lb_field(&b, "apiRequestId", li->api_request_id);
    lb_field(&b, "handler", li->handler);
    if (li->method)
        lb_field(&b, "method", li->method);
    if (li->path)
        lb_field(&b, "path", li->path);
    char num[96];
    double d = li->duration_ms >= 0 ? li->duration_ms : 0;
    snprintf(num, sizeof num, ",\"status\":%d,\"durationMs\":%.3f,\"coldStart\":%s", li->status, d,
             li->cold_start ? "true" : "false");
    lb_str(&b, num);
    if (li->reason)
        lb_field(&b, "reason", li->reason);
    if (li->store_error)
        lb_field(&b, "storeError", li->store_error);
    return lb_finish(&b);
}

static void write_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return; /* nowhere to report a failing log */
        }
        p += w;
        n -= (size_t)w;
    }
}

void log_invocation_write(const log_invocation *li)
{
    char line[LOG_LINE_MAX];
    size_t n = log_format_invocation(line, sizeof line, li, timefmt_now_ms());
    write_all(1, line, n);
}

void log_event(const char *level, const char *event, const char *detail)
{
    char line[LOG_LINE_MAX];
    lbuf b = { line, sizeof line, 0 };
    lb_ts(&b, timefmt_now_ms());
    lb_field(&b, "level", level ? level : "info");
    lb_field(&b, "event", event ? event : "event");
    if (detail)
        lb_field(&b, "detail", detail);
    size_t n = lb_finish(&b);
    write_all(2, line, n);
}
