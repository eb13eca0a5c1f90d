/* RFC 9112 strictness in front of libmicrohttpd. See gw_strict.h. */
#include "gw_strict.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <uuid/uuid.h>

#define PEEK_MAX 8192

/* The connection this thread serves (MHD_USE_THREAD_PER_CONNECTION), once its first request line
 * has been parsed; -1 before. */
static _Thread_local int conn_fd = -1;
static _Thread_local bool answered;

void gw_strict_prepare_listener(struct MHD_Daemon *d)
{
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_LISTEN_FD);
    int secs = 2;
    if (di) (void)setsockopt(di->listen_fd, IPPROTO_TCP, TCP_DEFER_ACCEPT, &secs, sizeof secs);
}

/* tchar of RFC 9110 */
static bool is_tchar(unsigned char ch)
{
    return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
           (ch && strchr("!#$%&'*+-.^_`|~", ch) != NULL);
}

static bool target_bytes_ok(const char *t, size_t len)
{
    if (len == 0) return false;
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)t[i];
        if (ch <= 0x20 || ch >= 0x7f) return false;
    }
    return true;
}

bool gw_strict_request_line_ok(const char *line, size_t len)
{
    size_t i = 0;
    while (i < len && is_tchar((unsigned char)line[i])) i++;
    if (i == 0 || i >= len || line[i] != ' ') return false;
    const char *target = line + i + 1;
    const char *end = line + len;
    const char *sp = memchr(target, ' ', (size_t)(end - target));
    if (!sp || !target_bytes_ok(target, (size_t)(sp - target))) return false;
    const char *ver = sp + 1;
    return end - ver == 8 && (memcmp(ver, "HTTP/1.1", 8) == 0 || memcmp(ver, "HTTP/1.0", 8) == 0);
}

static const char *message_for(unsigned status)
{
    switch (status) {
    case 413: return "Request Too Long";
    case 414: return "Request-URI Too Long";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal server error";
    default: return "Bad Request";
    }
}

/* Writes a whole JSON error answer to fd (best effort: the connection is closed right after). */
static void send_json_error(int fd, unsigned status)
{
    if (status == 505) status = 400;     /* an unsupported version is a malformed request here */
    const char *msg = message_for(status);
    char body[128], rid[40], head[512];
    uuid_t u;
    uuid_generate_random(u);
    uuid_unparse_lower(u, rid);
    int blen = snprintf(body, sizeof body, "{\"message\":\"%s\"}", msg);
    int hlen = snprintf(head, sizeof head,
                        "HTTP/1.1 %u %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n"
                        "x-amzn-RequestId: %s\r\nConnection: close\r\n\r\n%s",
                        status, msg, blen, rid, body);
    if (hlen > 0 && (size_t)hlen < sizeof head) (void)send(fd, head, (size_t)hlen, MSG_NOSIGNAL);
}

void gw_strict_on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                             enum MHD_ConnectionNotificationCode code)
{
    (void)cls;
    (void)socket_context;
    if (code != MHD_CONNECTION_NOTIFY_STARTED) return;
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
    if (!ci) return;
    int fd = ci->connect_fd;
    char buf[PEEK_MAX];
    ssize_t n = recv(fd, buf, sizeof buf, MSG_PEEK | MSG_DONTWAIT);
    if (n <= 0) return;                      /* nothing yet: libmicrohttpd reads it (see gw_strict_logger) */
    size_t start = 0, len = (size_t)n;
    while (start + 1 < len && buf[start] == '\r' && buf[start + 1] == '\n') start += 2;   /* empty lines */
    const char *lf = memchr(buf + start, '\n', len - start);
    if (!lf) return;                         /* line incomplete: left to libmicrohttpd */
    size_t line_len = (size_t)(lf - (buf + start));
    if (line_len > 0 && buf[start + line_len - 1] == '\r') line_len--;
    if (gw_strict_request_line_ok(buf + start, line_len)) return;
    /* Refuse it: take what was peeked, answer, close both ways (libmicrohttpd then sees the end of
     * the stream and drops the connection without a word). */
    (void)recv(fd, buf, (size_t)n, MSG_DONTWAIT);
    send_json_error(fd, 400);
    shutdown(fd, SHUT_RDWR);
}

bool gw_strict_target_ok(struct MHD_Connection *c, const char *uri)
{
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
    conn_fd = ci ? ci->connect_fd : -1;
    answered = false;
    if (!uri) return false;
    size_t n = strlen(uri);
    if (!target_bytes_ok(uri, n)) return false;
    /* libmicrohttpd 0.9.75 hands over the target in place inside the request line, which it has already
     * split: "<target>\0HTTP/1.x\0" (the version was checked to be 8 bytes). Anything else right after
     * the terminating NUL means the target itself held a NUL. */
    const char *after = uri + n + 1;
    return memcmp(after, "HTTP/1.", 7) == 0 && after[8] == '\0';
}

typedef struct header_query {
    const char *name;
    unsigned n;
} header_query;

static enum MHD_Result count_values(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    (void)value;
    header_query *q = cls;
    if (strcasecmp(key, q->name) == 0) q->n++;
    return MHD_YES;
}

static unsigned header_count(struct MHD_Connection *c, const char *name)
{
    header_query q = {name, 0};
    MHD_get_connection_values(c, MHD_HEADER_KIND, count_values, &q);
    return q.n;
}

const char *gw_strict_framing(struct MHD_Connection *c)
{
    unsigned n_cl = header_count(c, "Content-Length");
    unsigned n_te = header_count(c, "Transfer-Encoding");
    if (n_cl && n_te) return "Content-Length together with Transfer-Encoding";
    if (n_cl > 1) return "more than one Content-Length";
    if (n_te > 1) return "more than one Transfer-Encoding";
    if (n_te) {
        const char *te = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Transfer-Encoding");
        if (!te || strcasecmp(te, "chunked") != 0) return "Transfer-Encoding other than chunked";
    }
    return NULL;
}

void gw_strict_set_answered(bool yes) { answered = yes; }

void gw_strict_logger(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    static const char prefix[] = "Error processing request (HTTP response code is %u";
    va_list copy;
    va_copy(copy, ap);
    vfprintf(stderr, fmt, ap);
    if (strncmp(fmt, prefix, sizeof prefix - 1) == 0 && conn_fd >= 0) {
        unsigned status = va_arg(copy, unsigned);
        /* Answer in JSON unless an answer is already on its way (then just close); either way the
         * socket is shut for writing so libmicrohttpd's own page never goes out. */
        if (!answered) send_json_error(conn_fd, status);
        answered = true;
        shutdown(conn_fd, SHUT_WR);
    }
    va_end(copy);
}
