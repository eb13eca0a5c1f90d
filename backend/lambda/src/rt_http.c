/* HTTP/1.1 over one kept-alive, blocking TCP connection: the transport of the Lambda Runtime API
 * client (rt_api.c). See rt_http.h. Pre-built request heads go out in one sendmsg; a small buffered
 * reader takes the answer (Content-Length, chunked, or read-until-close bodies). */
#include "rt_http.h"

#include "bo_clock.h"

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
#include <unistd.h>

#define RT_HTTP_HOST_MAX 255
#define RT_HTTP_RBUF 16384            /* read buffer: also the longest header line accepted */
#define RT_HTTP_HEADERS_MAX 200       /* header lines per answer */

/* How an exchange went wrong: STALE = the kept-alive connection turned out to be closed by the server
 * before it answered a single byte (safe to resend once on a new connection), FAIL = anything else. */
enum { IO_OK = 0, IO_FAIL = -1, IO_STALE = -2 };

struct rt_http {
    int fd;                            /* -1 when not connected */
    char host[RT_HTTP_HOST_MAX + 1];   /* for getaddrinfo, without [] */
    char port[16];
    char hostport[RT_HTTP_HOST_MAX + 1]; /* as given, for messages */
    int connect_timeout_ms;
    /* buffered reader over fd */
    char rbuf[RT_HTTP_RBUF];
    size_t rpos, rlen;
    char err[256];
};


/* Splits "host:port", "[v6]:port" or "host" (port 80) into c->host / c->port. */
static bool split_hostport(rt_http *c, const char *api)
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

rt_http *rt_http_new(const char *hostport, int connect_timeout_ms)
{
    if (!hostport || strlen(hostport) > RT_HTTP_HOST_MAX)
        return NULL;
    rt_http *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    if (!split_hostport(c, hostport)) {
        free(c);
        return NULL;
    }
    c->fd = -1;
    c->connect_timeout_ms = connect_timeout_ms;
    snprintf(c->hostport, sizeof c->hostport, "%s", hostport);
    return c;
}

static void conn_close(rt_http *c)
{
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
    c->rpos = c->rlen = 0;
}

void rt_http_free(rt_http *c)
{
    if (!c)
        return;
    conn_close(c);
    free(c);
}

const char *rt_http_last_error(const rt_http *c)
{
    return c && c->err[0] ? c->err : "no error";
}

/* Waits until fd is ready for events or deadline (mono ms; 0 = never) passes. 0, or -1 (errno ETIMEDOUT). */
static int wait_fd(int fd, short events, uint64_t deadline)
{
    for (;;) {
        int tmo = -1;
        if (deadline) {
            uint64_t now = bo_clock_mono_ms();
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
    if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) != 0) /* blocking: an exchange without timeout waits in recv */
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
static int conn_open(rt_http *c, const char *what, uint64_t deadline)
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
    uint64_t cdl = bo_clock_mono_ms() + (uint64_t)c->connect_timeout_ms;
    if (deadline && deadline < cdl)
        cdl = deadline;
    int e = 0;
    for (const struct addrinfo *ai = res; ai && c->fd < 0; ai = ai->ai_next) {
        c->fd = connect_one(ai, cdl);
        e = errno;
    }
    freeaddrinfo(res);
    if (c->fd < 0) {
        snprintf(c->err, sizeof c->err, "%.150s: cannot connect to %.60s: %s", what, c->hostport, strerror(e));
        return -1;
    }
    c->rpos = c->rlen = 0;
    return 0;
}

/* Sends the whole iovec (modified in place). IO_OK, IO_STALE (peer closed/reset), IO_FAIL. */
static int send_all(rt_http *c, struct iovec *iov, int iovcnt, uint64_t deadline)
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
static ssize_t fill(rt_http *c, uint64_t deadline)
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
static int read_line(rt_http *c, const char **line, size_t *len, uint64_t deadline)
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

bool rt_http_header_is(const char *line, size_t n, const char *name, const char **value, size_t *vlen)
{
    size_t k = strlen(name);
    if (n <= k || line[k] != ':' || strncasecmp(line, name, k) != 0)
        return false;
    *value = line + k + 1;
    *vlen = n - k - 1;
    return true;
}

bool rt_http_copy_value(char *dst, size_t cap, const char *v, size_t n)
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

bool rt_http_parse_u64(const char *v, size_t n, uint64_t *out)
{
    char num[32];
    if (!rt_http_copy_value(num, sizeof num, v, n) || num[0] < '0' || num[0] > '9')
        return false;
    char *end;
    errno = 0;
    unsigned long long d = strtoull(num, &end, 10);
    if (errno != 0 || *end != '\0')
        return false;
    *out = d;
    return true;
}

/* Reads status line and headers of one answer (skipping 1xx ones). IO_OK, IO_STALE when the connection
 * ended before the first byte, IO_FAIL with c->err. */
static int read_head(rt_http *c, const char *what, rt_http_answer *h, const rt_http_sink *sink, uint64_t deadline)
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
            if (count >= RT_HTTP_HEADERS_MAX) {
                snprintf(c->err, sizeof c->err, "%.150s: too many header lines", what);
                return IO_FAIL;
            }
            const char *v;
            size_t vn;
            if (sink->header)
                sink->header(sink->user, line, n);
            if (rt_http_header_is(line, n, "Content-Length", &v, &vn)) {
                uint64_t len;
                if (!rt_http_parse_u64(v, vn, &len) || (h->has_length && len != h->length)) {
                    snprintf(c->err, sizeof c->err, "%.150s: bad Content-Length", what);
                    return IO_FAIL;
                }
                h->has_length = true;
                h->length = len;
            } else if (rt_http_header_is(line, n, "Transfer-Encoding", &v, &vn)) {
                te_seen = true;
                h->chunked = has_token(v, vn, "chunked");
            } else if (rt_http_header_is(line, n, "Connection", &v, &vn)) {
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

/* Reads exactly len body bytes (len UINT64_MAX: until the connection ends). 0 or -1 with c->err. */
static int read_fixed(rt_http *c, const char *what, const rt_http_sink *sink, uint64_t len, uint64_t deadline)
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
        if (sink->body && sink->body(sink->user, c->rbuf + c->rpos, take) != 0) {
            snprintf(c->err, sizeof c->err, "%.150s: out of memory for the body", what);
            return -1;
        }
        c->rpos += take;
        if (!to_eof)
            len -= take;
    }
    return 0;
}

/* Reads a chunked body (extensions and trailers are skipped). 0 or -1 with c->err. */
static int read_chunked(rt_http *c, const char *what, const rt_http_sink *sink, uint64_t deadline)
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
        if (count >= RT_HTTP_HEADERS_MAX)
            goto bad;
    }
cut:
    snprintf(c->err, sizeof c->err, "%.150s: answer cut short in its chunked body", what);
    return -1;
bad:
    snprintf(c->err, sizeof c->err, "%.150s: malformed chunked body", what);
    return -1;
}

/* The resend of a request that got no byte of an answer on a reused connection is safe for idempotent
 * requests, and for any request when the server had closed the connection before it saw all of it. */
int rt_http_exchange(rt_http *c, const char *what, const struct iovec *req, int nreq, const rt_http_sink *sink,
                     rt_http_answer *h, int timeout_ms)
{
    uint64_t deadline = timeout_ms > 0 ? bo_clock_mono_ms() + (uint64_t)timeout_ms : 0;
    c->err[0] = '\0';
    for (int attempt = 0; attempt < 2; attempt++) {
        bool reused = c->fd >= 0;
        if (sink->begin) /* forget what a dead answer may have set */
            sink->begin(sink->user);
        if (conn_open(c, what, deadline) != 0)
            return IO_FAIL;
        struct iovec iov[RT_HTTP_IOV_MAX];
        memcpy(iov, req, (size_t)nreq * sizeof *iov);
        c->rpos = c->rlen = 0;
        int rc = send_all(c, iov, nreq, deadline);
        if (rc != IO_OK)
            snprintf(c->err, sizeof c->err, "%.150s: send failed: %s", what,
                     errno == ETIMEDOUT ? "timed out" : strerror(errno));
        else
            rc = read_head(c, what, h, sink, deadline);
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
    }
    return IO_FAIL;
}
