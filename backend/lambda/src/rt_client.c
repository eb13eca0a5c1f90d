/* Lambda Runtime API client and the invocation loop.
 *
 * The Runtime API is a plain-HTTP endpoint on the local host (AWS_LAMBDA_RUNTIME_API = host:port), so
 * this module speaks just enough HTTP/1.1 over one kept-alive, blocking TCP socket: pre-built request
 * heads, one sendmsg per request, a small buffered reader for the answer (Content-Length, chunked, or
 * read-until-close bodies). libcurl stays in the DynamoDB client only; every exchange here would cost
 * ~40 us of CPU through it. */
#include "rt.h"

#include "log.h"
#include "timefmt.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define RT_API_MAX 255
#define RT_RBUF 16384                 /* read buffer: also the longest header line accepted */
#define RT_HEAD_MAX (2 * RT_API_MAX + 3 * RT_REQUEST_ID_MAX + 512)
#define RT_HEADERS_MAX 200            /* header lines per answer */
#define RT_EVENT_BUF0 16384

/* How an exchange went wrong: STALE = the kept-alive connection turned out to be closed by the server
 * before it answered a single byte (safe to resend once on a new connection), FAIL = anything else. */
enum { IO_OK = 0, IO_FAIL = -1, IO_STALE = -2 };

struct rt_client {
    int fd;                            /* -1 when not connected */
    char host[RT_API_MAX + 1];         /* for getaddrinfo, without [] */
    char port[16];
    char api[RT_API_MAX + 1];          /* host:port as given, for the Host header */
    char next_head[RT_HEAD_MAX];       /* the whole GET /next request, built once */
    size_t next_head_len;
    /* buffered reader over fd */
    char rbuf[RT_RBUF];
    size_t rpos, rlen;
    /* response body of /next: grows to the largest event seen, reused */
    char *buf;
    size_t len, cap;
    bool overflow;
    rt_request req;                    /* filled from the /next headers */
    bool id_too_long;
    /* "_X_AMZN_TRACE_ID=<id>", handed to putenv and rewritten in place: glibc's setenv keeps every
     * value it was ever given (a leak of one trace id per invocation in a warm function) */
    char trace_env[sizeof "_X_AMZN_TRACE_ID=" + RT_TRACE_ID_MAX];
    bool trace_env_set;
    uint64_t rng;
    char err[256];
};

/* What the reader learnt from one answer's head. */
typedef struct http_head {
    int status;
    bool chunked, has_length, close_after;
    uint64_t length;
} http_head;

/* Where a body goes: the event buffer (/next) or nowhere (posts). */
typedef enum { SINK_EVENT, SINK_DISCARD } body_sink;

uint64_t rt_request_remaining_ms_at(const rt_request *req, uint64_t now_ms)
{
    if (!req || req->deadline_ms == 0)
        return UINT64_MAX;
    return req->deadline_ms > now_ms ? req->deadline_ms - now_ms : 0;
}

uint64_t rt_request_remaining_ms(const rt_request *req)
{
    return rt_request_remaining_ms_at(req, timefmt_now_ms());
}

rt_response rt_response_success(char *payload)
{
    if (!payload)
        return rt_response_failure("Runtime.OutOfMemory", "out of memory building the response");
    rt_response r = { .success = true, .payload = payload };
    return r;
}

rt_response rt_response_failure(const char *error_type, const char *message)
{
    rt_response r = { .success = false, .error_type = error_type ? error_type : "Runtime.Error" };
    snprintf(r.error_message, sizeof r.error_message, "%s", message ? message : "");
    return r;
}

void rt_response_clear(rt_response *r)
{
    if (!r)
        return;
    free(r->payload);
    r->payload = NULL;
}

const char *rt_last_error(const rt_client *c)
{
    return c && c->err[0] ? c->err : "no error";
}

uint64_t rt_backoff_ms(unsigned failures, uint32_t rnd)
{
    if (failures == 0)
        return 0;
    uint64_t ceiling = RT_BACKOFF_CAP_MS;
    if (failures - 1 < 16) {
        uint64_t exp = (uint64_t)RT_BACKOFF_BASE_MS << (failures - 1);
        if (exp < ceiling)
            ceiling = exp;
    }
    return rnd % (ceiling + 1);
}

static uint32_t rng_next(rt_client *c)
{
    /* xorshift64*: jitter only, not security */
    c->rng ^= c->rng >> 12;
    c->rng ^= c->rng << 25;
    c->rng ^= c->rng >> 27;
    return (uint32_t)((c->rng * UINT64_C(2685821657736338717)) >> 32);
}

static uint64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Splits "host:port", "[v6]:port" or "host" (port 80) into c->host / c->port. */
static bool split_api(rt_client *c, const char *api)
{
    const char *colon;
    size_t hl;
    if (api[0] == '[') {
        const char *rb = strchr(api, ']');
        if (!rb || rb == api + 1 || (rb[1] != '\0' && rb[1] != ':'))
            return false;
        hl = (size_t)(rb - api - 1);
        memcpy(c->host, api + 1, hl);
        colon = rb[1] == ':' ? rb + 1 : NULL;
    } else {
        colon = strrchr(api, ':');
        hl = colon ? (size_t)(colon - api) : strlen(api);
        if (hl == 0 || (colon && memchr(api, ':', hl)))
            return false; /* an IPv6 address must be bracketed */
        memcpy(c->host, api, hl);
    }
    c->host[hl] = '\0';
    const char *port = colon ? colon + 1 : "80";
    size_t pl = strlen(port);
    if (pl == 0 || pl >= sizeof c->port || strspn(port, "0123456789") != pl || atoi(port) > 65535)
        return false;
    memcpy(c->port, port, pl + 1);
    return true;
}

rt_client *rt_client_new(const char *api, char *err, size_t errlen)
{
    if (!api || !*api) {
        snprintf(err, errlen, "AWS_LAMBDA_RUNTIME_API is not set");
        return NULL;
    }
    rt_client *c = calloc(1, sizeof *c);
    if (!c) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    if (strlen(api) > RT_API_MAX || strpbrk(api, " /?#@\r\n\t") || !split_api(c, api)) {
        snprintf(err, errlen, "AWS_LAMBDA_RUNTIME_API is not a host:port");
        free(c);
        return NULL;
    }
    c->fd = -1;
    snprintf(c->api, sizeof c->api, "%s", api);
    int n = snprintf(c->next_head, sizeof c->next_head,
                     "GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: %s\r\n"
                     "User-Agent: boxoffice-bootstrap\r\nAccept: */*\r\n\r\n",
                     api);
    c->next_head_len = (size_t)n;
    c->rng = ((uint64_t)getpid() << 32) ^ timefmt_now_ms() ^ UINT64_C(0x9E3779B97F4A7C15);
    return c;
}

static void conn_close(rt_client *c)
{
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
    c->rpos = c->rlen = 0;
}

void rt_client_free(rt_client *c)
{
    if (!c)
        return;
    if (c->trace_env_set)
        unsetenv("_X_AMZN_TRACE_ID"); /* environ must not point into freed memory */
    conn_close(c);
    free(c->buf);
    free(c);
}

/* ---- the connection ---- */

/* Waits until fd is ready for events or deadline (mono ms; 0 = never) passes. 0, or -1 (errno ETIMEDOUT). */
static int wait_fd(int fd, short events, uint64_t deadline)
{
    for (;;) {
        int tmo = -1;
        if (deadline) {
            uint64_t now = mono_ms();
            if (now >= deadline) {
                errno = ETIMEDOUT;
                return -1;
            }
            tmo = (int)(deadline - now);
        }
        struct pollfd p = { .fd = fd, .events = events };
        int r = poll(&p, 1, tmo);
        if (r > 0)
            return 0;
        if (r == 0)
            continue; /* re-checks the deadline */
        if (errno != EINTR)
            return -1;
    }
}

static int connect_one(const struct addrinfo *ai, uint64_t deadline)
{
    int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, ai->ai_protocol);
    if (fd < 0)
        return -1;
    if (connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
        if (errno != EINPROGRESS && errno != EINTR)
            goto fail;
        if (wait_fd(fd, POLLOUT, deadline) != 0)
            goto fail;
        int soerr = 0;
        socklen_t sl = sizeof soerr;
        if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &sl) != 0)
            goto fail;
        if (soerr) {
            errno = soerr;
            goto fail;
        }
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) != 0) /* blocking: /next waits in recv */
        goto fail;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one);
    return fd;
fail:;
    int e = errno;
    close(fd);
    errno = e;
    return -1;
}

/* Opens the connection when there is none. 0, or -1 with c->err set (prefix what). */
static int conn_open(rt_client *c, const char *what, uint64_t deadline)
{
    if (c->fd >= 0)
        return 0;
    /* no AI_ADDRCONFIG: in a sandbox with only a loopback interface it would hide "localhost" */
    struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM };
    struct addrinfo *res = NULL;
    int g = getaddrinfo(c->host, c->port, &hints, &res);
    if (g != 0) {
        snprintf(c->err, sizeof c->err, "%.150s: cannot resolve %.60s: %s", what, c->host, gai_strerror(g));
        return -1;
    }
    uint64_t cdl = mono_ms() + RT_CONNECT_TIMEOUT_MS;
    if (deadline && deadline < cdl)
        cdl = deadline;
    int e = 0;
    for (const struct addrinfo *ai = res; ai && c->fd < 0; ai = ai->ai_next) {
        c->fd = connect_one(ai, cdl);
        e = errno;
    }
    freeaddrinfo(res);
    if (c->fd < 0) {
        snprintf(c->err, sizeof c->err, "%.150s: cannot connect to %.60s: %s", what, c->api, strerror(e));
        return -1;
    }
    c->rpos = c->rlen = 0;
    return 0;
}

/* Sends the whole iovec (modified in place). IO_OK, IO_STALE (peer closed/reset), IO_FAIL. */
static int send_all(rt_client *c, struct iovec *iov, int iovcnt, uint64_t deadline)
{
    while (iovcnt > 0) {
        struct msghdr m = { .msg_iov = iov, .msg_iovlen = (size_t)iovcnt };
        ssize_t w = sendmsg(c->fd, &m, MSG_NOSIGNAL | (deadline ? MSG_DONTWAIT : 0));
        if (w < 0) {
            if (errno == EINTR)
                continue;
            if ((errno == EAGAIN || errno == EWOULDBLOCK) && deadline) {
                if (wait_fd(c->fd, POLLOUT, deadline) != 0)
                    return IO_FAIL;
                continue;
            }
            return (errno == EPIPE || errno == ECONNRESET) ? IO_STALE : IO_FAIL;
        }
        size_t n = (size_t)w;
        while (iovcnt > 0 && n >= iov->iov_len) {
            n -= iov->iov_len;
            iov++;
            iovcnt--;
        }
        if (iovcnt > 0) {
            iov->iov_base = (char *)iov->iov_base + n;
            iov->iov_len -= n;
        }
    }
    return IO_OK;
}

/* Reads more bytes into rbuf (compacting it first). >0 bytes read, 0 on EOF, -1 on error/timeout. */
static ssize_t fill(rt_client *c, uint64_t deadline)
{
    if (c->rpos > 0) {
        memmove(c->rbuf, c->rbuf + c->rpos, c->rlen - c->rpos);
        c->rlen -= c->rpos;
        c->rpos = 0;
    }
    if (c->rlen == sizeof c->rbuf) {
        errno = EMSGSIZE;
        return -1;
    }
    for (;;) {
        /* with a deadline (posts) wait first: the answer is rarely there already, and poll + recv is
         * cheaper than recv (EAGAIN) + poll + recv */
        if (deadline && wait_fd(c->fd, POLLIN, deadline) != 0)
            return -1;
        ssize_t r = recv(c->fd, c->rbuf + c->rlen, sizeof c->rbuf - c->rlen, deadline ? MSG_DONTWAIT : 0);
        if (r >= 0) {
            c->rlen += (size_t)r;
            return r;
        }
        if (errno == EINTR)
            continue;
        if ((errno == EAGAIN || errno == EWOULDBLOCK) && deadline)
            continue;
        return -1;
    }
}

/* One line (without CR LF) from the reader, valid until the next read. 0, or -1 (EOF: errno 0). */
static int read_line(rt_client *c, const char **line, size_t *len, uint64_t deadline)
{
    for (;;) {
        char *nl = memchr(c->rbuf + c->rpos, '\n', c->rlen - c->rpos);
        if (nl) {
            *line = c->rbuf + c->rpos;
            size_t n = (size_t)(nl - *line);
            c->rpos += n + 1;
            if (n > 0 && (*line)[n - 1] == '\r')
                n--;
            *len = n;
            return 0;
        }
        ssize_t r = fill(c, deadline);
        if (r <= 0) {
            if (r == 0)
                errno = 0;
            return -1;
        }
    }
}

/* Appends body bytes to the event buffer, like the 6 MB cap of Lambda: past RT_PAYLOAD_MAX the bytes
 * are read and dropped (the connection stays usable) and the event is flagged. -1 out of memory. */
static int event_append(rt_client *c, const char *data, size_t n)
{
    if (c->overflow)
        return 0;
    if (c->len + n + 1 > RT_PAYLOAD_MAX) {
        c->overflow = true;
        return 0;
    }
    if (c->len + n + 1 > c->cap) {
        size_t ncap = c->cap ? c->cap : RT_EVENT_BUF0;
        while (ncap < c->len + n + 1)
            ncap *= 2;
        if (ncap > RT_PAYLOAD_MAX)
            ncap = RT_PAYLOAD_MAX;
        char *nb = realloc(c->buf, ncap);
        if (!nb)
            return -1;
        c->buf = nb;
        c->cap = ncap;
    }
    memcpy(c->buf + c->len, data, n);
    c->len += n;
    return 0;
}

static bool header_is(const char *line, size_t n, const char *name, const char **value, size_t *vlen)
{
    size_t k = strlen(name);
    if (n <= k || line[k] != ':' || strncasecmp(line, name, k) != 0)
        return false;
    *value = line + k + 1;
    *vlen = n - k - 1;
    return true;
}

/* Copies the trimmed header value into dst (cap bytes incl. NUL). Returns false when it did not fit. */
static bool copy_value(char *dst, size_t cap, const char *v, size_t n)
{
    while (n > 0 && (*v == ' ' || *v == '\t')) {
        v++;
        n--;
    }
    while (n > 0 && (v[n - 1] == '\r' || v[n - 1] == '\n' || v[n - 1] == ' ' || v[n - 1] == '\t'))
        n--;
    bool fits = n < cap;
    if (!fits)
        n = cap - 1;
    memcpy(dst, v, n);
    dst[n] = '\0';
    return fits;
}

/* Case-insensitive: does the comma-separated header value contain token? */
static bool has_token(const char *v, size_t n, const char *token)
{
    size_t k = strlen(token);
    size_t i = 0;
    while (i < n) {
        while (i < n && (v[i] == ' ' || v[i] == '\t' || v[i] == ','))
            i++;
        size_t s = i;
        while (i < n && v[i] != ',')
            i++;
        size_t e = i;
        while (e > s && (v[e - 1] == ' ' || v[e - 1] == '\t'))
            e--;
        if (e - s == k && strncasecmp(v + s, token, k) == 0)
            return true;
    }
    return false;
}

/* Strict decimal (optional blanks around). false when not a number or too large. */
static bool parse_u64(const char *v, size_t n, uint64_t *out)
{
    char num[32];
    if (!copy_value(num, sizeof num, v, n) || num[0] < '0' || num[0] > '9')
        return false;
    char *end;
    errno = 0;
    unsigned long long d = strtoull(num, &end, 10);
    if (errno != 0 || *end != '\0')
        return false;
    *out = d;
    return true;
}

/* The /next headers this runtime uses. */
static void lambda_header(rt_client *c, const char *line, size_t n)
{
    const char *v;
    size_t vn;
    if (n < 15 || strncasecmp(line, "Lambda-Runtime-", 15) != 0)
        return;
    if (header_is(line, n, "Lambda-Runtime-Aws-Request-Id", &v, &vn)) {
        if (!copy_value(c->req.request_id, sizeof c->req.request_id, v, vn))
            c->id_too_long = true;
    } else if (header_is(line, n, "Lambda-Runtime-Trace-Id", &v, &vn)) {
        if (!copy_value(c->req.trace_id, sizeof c->req.trace_id, v, vn))
            c->req.trace_id[0] = '\0'; /* a cut trace id is worse than none */
    } else if (header_is(line, n, "Lambda-Runtime-Invoked-Function-Arn", &v, &vn)) {
        copy_value(c->req.function_arn, sizeof c->req.function_arn, v, vn);
    } else if (header_is(line, n, "Lambda-Runtime-Deadline-Ms", &v, &vn)) {
        uint64_t d;
        c->req.deadline_ms = parse_u64(v, vn, &d) ? d : 0;
    }
}

/* Reads status line and headers of one answer (skipping 1xx ones). IO_OK, IO_STALE when the connection
 * ended before the first byte, IO_FAIL with c->err. */
static int read_head(rt_client *c, const char *what, http_head *h, bool lambda, uint64_t deadline)
{
    const char *line;
    size_t n;
    for (;;) {
        memset(h, 0, sizeof *h);
        if (read_line(c, &line, &n, deadline) != 0) {
            if (errno == 0 || errno == ECONNRESET) {
                snprintf(c->err, sizeof c->err, "%.150s: connection closed before an answer", what);
                return IO_STALE;
            }
            snprintf(c->err, sizeof c->err, "%.150s: %s", what, errno == ETIMEDOUT ? "timed out" : strerror(errno));
            return IO_FAIL;
        }
        /* HTTP/1.x SSS [reason] */
        if (n < 12 || strncmp(line, "HTTP/1.", 7) != 0 || line[8] != ' ' || line[9] < '1' || line[9] > '5' ||
            line[10] < '0' || line[10] > '9' || line[11] < '0' || line[11] > '9' || (n > 12 && line[12] != ' ')) {
            snprintf(c->err, sizeof c->err, "%.150s: not an HTTP/1.x answer", what);
            return IO_FAIL;
        }
        h->status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
        h->close_after = line[7] == '0'; /* HTTP/1.0: closes unless it says keep-alive */
        bool te_seen = false;
        for (int count = 0;; count++) {
            if (read_line(c, &line, &n, deadline) != 0) {
                snprintf(c->err, sizeof c->err, "%.150s: answer cut short in its headers", what);
                return IO_FAIL;
            }
            if (n == 0)
                break;
            if (count >= RT_HEADERS_MAX) {
                snprintf(c->err, sizeof c->err, "%.150s: too many header lines", what);
                return IO_FAIL;
            }
            const char *v;
            size_t vn;
            if (lambda)
                lambda_header(c, line, n);
            if (header_is(line, n, "Content-Length", &v, &vn)) {
                uint64_t len;
                if (!parse_u64(v, vn, &len) || (h->has_length && len != h->length)) {
                    snprintf(c->err, sizeof c->err, "%.150s: bad Content-Length", what);
                    return IO_FAIL;
                }
                h->has_length = true;
                h->length = len;
            } else if (header_is(line, n, "Transfer-Encoding", &v, &vn)) {
                te_seen = true;
                h->chunked = has_token(v, vn, "chunked");
            } else if (header_is(line, n, "Connection", &v, &vn)) {
                if (has_token(v, vn, "close"))
                    h->close_after = true;
                else if (has_token(v, vn, "keep-alive"))
                    h->close_after = false;
            }
        }
        if (te_seen) { /* RFC 9112 6.3: Transfer-Encoding overrides Content-Length; without chunked as
                        * the last coding only the end of the connection ends the body */
            h->has_length = false;
            if (!h->chunked)
                h->close_after = true;
        }
        if (h->status >= 200)
            return IO_OK;
        if (h->status == 101) {
            snprintf(c->err, sizeof c->err, "%.150s: unexpected 101 Switching Protocols", what);
            return IO_FAIL;
        }
        /* an interim 1xx answer (e.g. 100 Continue): the real one follows */
    }
}

/* Hands n bytes to the sink. -1 when the event buffer could not grow. */
static int sink_put(rt_client *c, body_sink sink, const char *data, size_t n)
{
    return sink == SINK_EVENT ? event_append(c, data, n) : 0;
}

/* Reads exactly len body bytes (len UINT64_MAX: until the connection ends). 0 or -1 with c->err. */
static int read_fixed(rt_client *c, const char *what, body_sink sink, uint64_t len, uint64_t deadline)
{
    bool to_eof = len == UINT64_MAX;
    while (len > 0) {
        if (c->rpos == c->rlen) {
            c->rpos = c->rlen = 0;
            ssize_t r = fill(c, deadline);
            if (r == 0 && to_eof)
                return 0;
            if (r <= 0) {
                snprintf(c->err, sizeof c->err, "%.150s: answer cut short in its body", what);
                return -1;
            }
        }
        size_t avail = c->rlen - c->rpos;
        size_t take = (uint64_t)avail < len ? avail : (size_t)len;
        if (sink_put(c, sink, c->rbuf + c->rpos, take) != 0) {
            snprintf(c->err, sizeof c->err, "%.150s: out of memory for the event", what);
            return -1;
        }
        c->rpos += take;
        if (!to_eof)
            len -= take;
    }
    return 0;
}

/* Reads a chunked body (extensions and trailers are skipped). 0 or -1 with c->err. */
static int read_chunked(rt_client *c, const char *what, body_sink sink, uint64_t deadline)
{
    const char *line;
    size_t n;
    for (;;) {
        if (read_line(c, &line, &n, deadline) != 0)
            goto cut;
        uint64_t size = 0;
        size_t i = 0;
        for (; i < n; i++) {
            char ch = line[i];
            int d = ch >= '0' && ch <= '9' ? ch - '0' : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
                                                       : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;
            if (d < 0)
                break;
            if (size > (UINT64_MAX >> 4))
                goto bad;
            size = size * 16 + (uint64_t)d;
        }
        if (i == 0 || (i < n && line[i] != ';' && line[i] != ' ' && line[i] != '\t'))
            goto bad;
        if (size == 0)
            break;
        if (read_fixed(c, what, sink, size, deadline) != 0)
            return -1;
        if (read_line(c, &line, &n, deadline) != 0)
            goto cut;
        if (n != 0)
            goto bad;
    }
    for (int count = 0;; count++) { /* trailers, up to the empty line */
        if (read_line(c, &line, &n, deadline) != 0)
            goto cut;
        if (n == 0)
            return 0;
        if (count >= RT_HEADERS_MAX)
            goto bad;
    }
cut:
    snprintf(c->err, sizeof c->err, "%.150s: answer cut short in its chunked body", what);
    return -1;
bad:
    snprintf(c->err, sizeof c->err, "%.150s: malformed chunked body", what);
    return -1;
}

/* One request/answer on the kept-alive connection, opening it when needed. A reused connection that the
 * server had closed (it gets no byte of an answer) is reopened and the request sent once more, as libcurl
 * does; that is safe for /next (idempotent) and for posts (the server never saw a whole request on a
 * connection it had already closed). deadline: mono ms, 0 = none (GET /next: Lambda freezes the process
 * between events). IO_OK with *h filled and the body in the sink, or IO_FAIL with c->err. */
static int exchange(rt_client *c, const char *what, const struct iovec *req, int nreq, body_sink sink, http_head *h,
                    uint64_t deadline)
{
    for (int attempt = 0; attempt < 2; attempt++) {
        bool reused = c->fd >= 0;
        if (conn_open(c, what, deadline) != 0)
            return IO_FAIL;
        struct iovec iov[4];
        memcpy(iov, req, (size_t)nreq * sizeof *iov);
        c->rpos = c->rlen = 0;
        int rc = send_all(c, iov, nreq, deadline);
        if (rc != IO_OK)
            snprintf(c->err, sizeof c->err, "%.150s: send failed: %s", what,
                     errno == ETIMEDOUT ? "timed out" : strerror(errno));
        else
            rc = read_head(c, what, h, sink == SINK_EVENT, deadline);
        if (rc == IO_OK) {
            int brc = 0;
            if (h->status == 204 || h->status == 304)
                brc = 0;
            else if (h->chunked)
                brc = read_chunked(c, what, sink, deadline);
            else if (h->has_length)
                brc = read_fixed(c, what, sink, h->length, deadline);
            else {
                h->close_after = true; /* the body ends with the connection */
                brc = read_fixed(c, what, sink, UINT64_MAX, deadline);
            }
            if (brc != 0 || h->close_after || c->rpos != c->rlen) /* unread bytes: out of step, start afresh */
                conn_close(c);
            return brc != 0 ? IO_FAIL : IO_OK;
        }
        conn_close(c);
        if (rc != IO_STALE || !reused)
            return IO_FAIL;
        if (sink == SINK_EVENT) { /* forget what the dead answer may have set */
            memset(&c->req, 0, sizeof c->req);
            c->id_too_long = false;
        }
    }
    return IO_FAIL;
}

/* ---- /next ---- */

int rt_next(rt_client *c, rt_request *req)
{
    memset(&c->req, 0, sizeof c->req);
    c->len = 0;
    c->overflow = false;
    c->id_too_long = false;
    c->err[0] = '\0';
    struct iovec iov = { .iov_base = c->next_head, .iov_len = c->next_head_len };
    http_head h;
    if (exchange(c, "GET /next", &iov, 1, SINK_EVENT, &h, 0) != IO_OK)
        return -1;
    if (h.status != 200) {
        snprintf(c->err, sizeof c->err, "GET /next: HTTP %d", h.status);
        return -1;
    }
    if (c->req.request_id[0] == '\0' || c->id_too_long) {
        snprintf(c->err, sizeof c->err, "GET /next: %s Lambda-Runtime-Aws-Request-Id",
                 c->id_too_long ? "over-long" : "no");
        return -1;
    }
    if (!c->buf) { /* empty body: still hand out a valid string */
        c->buf = malloc(RT_EVENT_BUF0);
        if (!c->buf) {
            snprintf(c->err, sizeof c->err, "out of memory");
            return -1;
        }
        c->cap = RT_EVENT_BUF0;
    }
    if (c->overflow)
        c->len = 0;
    c->buf[c->len] = '\0';
    c->req.payload = c->buf;
    c->req.payload_len = c->len;
    c->req.payload_too_large = c->overflow;
    *req = c->req;
    return 0;
}

/* ---- posts ---- */

/* Appends the request id, percent-encoded as one path segment, at dst. Returns the bytes written. */
static size_t escape_id(char *dst, const char *request_id)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t w = 0;
    for (const unsigned char *p = (const unsigned char *)request_id; *p && w + 3 <= 3 * RT_REQUEST_ID_MAX; p++) {
        unsigned char ch = *p;
        if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' ||
            ch == '.' || ch == '_' || ch == '~') {
            dst[w++] = (char)ch;
        } else {
            dst[w++] = '%';
            dst[w++] = hex[ch >> 4];
            dst[w++] = hex[ch & 15];
        }
    }
    return w;
}

/* POST path (from "/runtime/..." on, for messages) with body; error_type adds the error-type header. */
static int post(rt_client *c, const char *path, const char *body, size_t len, const char *error_type)
{
    char head[RT_HEAD_MAX + 160];
    int n = snprintf(head, sizeof head,
                     "POST /2018-06-01%s HTTP/1.1\r\nHost: %s\r\nUser-Agent: boxoffice-bootstrap\r\n"
                     "Content-Type: application/json\r\nContent-Length: %zu\r\n%s%s%s\r\n",
                     path, c->api, len, error_type ? "Lambda-Runtime-Function-Error-Type: " : "",
                     error_type ? error_type : "", error_type ? "\r\n" : "");
    if (n < 0 || (size_t)n >= sizeof head) {
        snprintf(c->err, sizeof c->err, "POST %s: request head too long", path);
        return -1;
    }
    char what[64 + 3 * RT_REQUEST_ID_MAX];
    snprintf(what, sizeof what, "POST %s", path);
    struct iovec iov[2] = { { .iov_base = head, .iov_len = (size_t)n }, { .iov_base = (void *)body, .iov_len = len } };
    http_head h;
    if (exchange(c, what, iov, len ? 2 : 1, SINK_DISCARD, &h, mono_ms() + RT_POST_TIMEOUT_MS) != IO_OK)
        return -1;
    if (h.status < 200 || h.status > 299) {
        snprintf(c->err, sizeof c->err, "%.150s: HTTP %d", what, h.status);
        return -1;
    }
    return 0;
}

/* "/runtime/invocation/<escaped id>/<what>" */
static void invocation_path(char *path, const char *request_id, const char *what)
{
    static const char pre[] = "/runtime/invocation/";
    memcpy(path, pre, sizeof pre - 1);
    size_t w = sizeof pre - 1;
    w += escape_id(path + w, request_id);
    path[w++] = '/';
    strcpy(path + w, what);
}

#define RT_PATH_MAX (sizeof "/runtime/invocation//response" + 3 * RT_REQUEST_ID_MAX)

int rt_post_response(rt_client *c, const char *request_id, const char *payload, size_t len)
{
    char path[RT_PATH_MAX];
    invocation_path(path, request_id, "response");
    return post(c, path, payload ? payload : "", payload ? len : 0, NULL);
}

/* {"errorMessage":…,"errorType":…,"stackTrace":[]} */
static char *error_body(const char *error_type, const char *message)
{
    cJSON *o = cJSON_CreateObject();
    char *out = NULL;
    if (o && cJSON_AddStringToObject(o, "errorMessage", message ? message : "") &&
        cJSON_AddStringToObject(o, "errorType", error_type ? error_type : "Runtime.Error") &&
        cJSON_AddArrayToObject(o, "stackTrace"))
        out = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return out;
}

static int post_error_to(rt_client *c, const char *path, const char *error_type, const char *message)
{
    /* error types go into a header: keep them to a safe character set */
    char type[96];
    size_t w = 0;
    for (const char *p = error_type ? error_type : "Runtime.Error"; *p && w + 1 < sizeof type; p++)
        type[w++] = (strchr("\r\n:", *p) || (unsigned char)*p < 0x20) ? '_' : *p;
    type[w] = '\0';
    char *body = error_body(type, message);
    const char *fallback = "{\"errorMessage\":\"out of memory\",\"errorType\":\"Runtime.OutOfMemory\",\"stackTrace\":[]}";
    int rc = post(c, path, body ? body : fallback, strlen(body ? body : fallback), type);
    free(body);
    return rc;
}

int rt_post_error(rt_client *c, const char *request_id, const char *error_type, const char *message)
{
    char path[RT_PATH_MAX];
    invocation_path(path, request_id, "error");
    return post_error_to(c, path, error_type, message);
}

int rt_post_init_error(rt_client *c, const char *error_type, const char *message)
{
    return post_error_to(c, "/runtime/init/error", error_type, message);
}

/* ---- the loop ---- */

static void sleep_ms(uint64_t ms)
{
    struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

/* Sets _X_AMZN_TRACE_ID to this invocation's trace id, or removes it when there is none. */
static void set_trace_env(rt_client *c, const rt_request *req)
{
    if (req->trace_id[0]) {
        snprintf(c->trace_env, sizeof c->trace_env, "_X_AMZN_TRACE_ID=%s", req->trace_id);
        const char *now = getenv("_X_AMZN_TRACE_ID");
        bool ours = c->trace_env_set && now == c->trace_env + sizeof "_X_AMZN_TRACE_ID=" - 1;
        if (!ours) /* first time, or someone replaced it: environ shall point at c->trace_env */
            c->trace_env_set = putenv(c->trace_env) == 0;
    } else if (c->trace_env_set) {
        unsetenv("_X_AMZN_TRACE_ID");
        c->trace_env_set = false;
    } else {
        unsetenv("_X_AMZN_TRACE_ID"); /* one inherited from the environment must not linger */
    }
}

int rt_run(rt_client *c, rt_handler_fn fn, void *user, const rt_options *opts)
{
    rt_options o = { 0 };
    if (opts)
        o = *opts;
    uint64_t give_up = o.next_give_up_ms ? o.next_give_up_ms : RT_NEXT_GIVE_UP_MS;
    unsigned done = 0, failures = 0;
    uint64_t first_failure = 0;
    for (;;) {
        if ((o.max_invocations && done >= o.max_invocations) || (o.stop && *o.stop))
            return 0;
        rt_request req;
        if (rt_next(c, &req) != 0) {
            uint64_t now = timefmt_now_ms();
            if (failures++ == 0)
                first_failure = now;
            log_event("warn", "runtime_api_unavailable", c->err);
            if (now - first_failure >= give_up) {
                log_event("error", "runtime_api_gone", "giving up on /next");
                return 1;
            }
            sleep_ms(rt_backoff_ms(failures, rng_next(c)));
            continue;
        }
        failures = 0;
        done++;
        set_trace_env(c, &req);
        rt_response r;
        if (req.payload_too_large)
            r = rt_response_failure("Runtime.PayloadTooLarge", "event larger than the runtime accepts");
        else
            r = fn(&req, user);
        int prc;
        if (r.success) {
            prc = rt_post_response(c, req.request_id, r.payload, strlen(r.payload));
            if (prc != 0) { /* e.g. 413 for a response over 6 MB: tell Lambda rather than leave it hanging */
                log_event("error", "response_rejected", c->err);
                prc = rt_post_error(c, req.request_id, "Runtime.ResponseRejected", "the Runtime API refused the response");
            }
        } else {
            prc = rt_post_error(c, req.request_id, r.error_type, r.error_message);
        }
        if (prc != 0)
            log_event("error", "runtime_api_post_failed", c->err);
        rt_response_clear(&r);
        if (c->cap > RT_BUF_KEEP) { /* one huge event must not pin megabytes for the warm life */
            free(c->buf);
            c->buf = NULL;
            c->cap = c->len = 0;
        }
    }
}
