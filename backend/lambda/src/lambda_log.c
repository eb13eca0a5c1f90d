/* Structured JSON log lines. */
#include "lambda_log.h"

#include "bo_buf.h"
#include "bo_clock.h"
#include "bo_text.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* A line is written into a fixed bo_buf over the caller's array, set up 2 bytes short of it so that
 * the closing "}\n" always fits: past the cap, fields are left out (the cap is far above any line we
 * produce) and the line still ends. */

/* Appends s as a JSON string, escaped, at most LOG_FIELD_MAX input bytes; non-UTF-8 bytes are
 * escaped as \u00XX so the line stays valid JSON whatever the input. */
static void lb_json_str(bo_buf *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    bo_buf_addn(b, "\"", 1);
    const char *p = s ? s : "";
    size_t len = strnlen(p, LOG_FIELD_MAX + 4);
    for (size_t i = 0; i < LOG_FIELD_MAX && i < len;) {
        unsigned char c = (unsigned char)p[i];
        uint32_t cp;
        size_t n = bo_utf8_step(p + i, len - i, &cp);
        if (c == '"' || c == '\\') {
            char e[2] = { '\\', (char)c };
            bo_buf_addn(b, e, 2);
        } else if (c >= 0x80 && !bo_utf8_bad(cp, n)) { /* a well-formed UTF-8 sequence is kept */
            bo_buf_addn(b, p + i, n);
        } else if (c < 0x20 || c >= 0x7F) { /* controls and stray bytes */
            char e[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
            bo_buf_addn(b, e, 6);
        } else {
            bo_buf_addn(b, p + i, 1);
        }
        i += n;
    }
    bo_buf_addn(b, "\"", 1);
}

static void lb_field(bo_buf *b, const char *key, const char *value)
{
    bo_buf_addf(b, ",\"%s\":", key);
    lb_json_str(b, value);
}

/* Starts the line in line[0..cap) (cap >= 4) with its timestamp. */
static void lb_start(bo_buf *b, char *line, size_t cap, uint64_t now_ms)
{
    char ts[BO_CLOCK_ISO_BUF];
    bo_clock_iso_ms(now_ms, ts);
    bo_buf_init_fixed(b, line, cap - 2);
    bo_buf_addf(b, "{\"ts\":\"%s\"", ts);
}

/* Ends the line with "}\n" (room kept by lb_start); returns its length. */
static size_t lb_finish(bo_buf *b, char *line)
{
    size_t n = bo_buf_len(b);
    memcpy(line + n, "}\n", 3);
    return n + 2;
}

size_t log_format_invocation(char *buf, size_t cap, const log_invocation *li, uint64_t now_ms)
{
    if (!buf || cap < 4)
        return 0;
    bo_buf b;
    lb_start(&b, buf, cap, now_ms);
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
    double d = li->duration_ms >= 0 ? li->duration_ms : 0;
    bo_buf_addf(&b, ",\"status\":%d,\"durationMs\":%.3f,\"coldStart\":%s", li->status, d,
                li->cold_start ? "true" : "false");
    if (li->reason)
        lb_field(&b, "reason", li->reason);
    if (li->store_error)
        lb_field(&b, "storeError", li->store_error);
    return lb_finish(&b, buf);
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
    size_t n = log_format_invocation(line, sizeof line, li, bo_clock_wall_ms());
    write_all(1, line, n);
}

void log_event(const char *level, const char *event, const char *detail)
{
    char line[LOG_LINE_MAX];
    bo_buf b;
    lb_start(&b, line, sizeof line, bo_clock_wall_ms());
    lb_field(&b, "level", level ? level : "info");
    lb_field(&b, "event", event ? event : "event");
    if (detail)
        lb_field(&b, "detail", detail);
    size_t n = lb_finish(&b, line);
    write_all(2, line, n);
}
