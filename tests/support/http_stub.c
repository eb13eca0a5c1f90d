/* In-test HTTP/1.1 server with scripted answers (see http_stub.h). */
#include "http_stub.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_SCRIPT 64
#define MAX_RECORDED 64
#define REQ_MAX ((size_t)1024 * 1024)

struct http_stub {
    int listen_fd;
    int port;
    char url[64];
    pthread_t thread;
    atomic_bool stop;
    pthread_mutex_t mu;
    stub_reply script[MAX_SCRIPT];
    size_t script_head, script_n;
    stub_request reqs[MAX_RECORDED];
    size_t nreq;
};

static bool stopping(http_stub *s)
{
    return atomic_load(&s->stop);
}

/* Waits until fd is readable or stop; returns 1 readable, 0 stop. */
static int wait_readable(http_stub *s, int fd)
{
    while (!stopping(s)) {
        struct pollfd p = { fd, POLLIN, 0 };
        int r = poll(&p, 1, 50);
        if (r > 0)
            return 1;
        if (r < 0 && errno != EINTR)
            return 0;
    }
    return 0;
}

static void send_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w <= 0) {
            if (w < 0 && errno == EINTR)
                continue;
            return;
        }
        p += w;
        n -= (size_t)w;
    }
}

/* Reads one request. Returns 0 and fills *req (owned strings), -1 on error/close. */
static int read_request(http_stub *s, int fd, stub_request *req)
{
    char *buf = malloc(REQ_MAX + 1);
    size_t len = 0;
    char *hdr_end = NULL;
    if (buf == NULL)
        return -1;
    while (hdr_end == NULL) {
        if (len >= REQ_MAX || !wait_readable(s, fd))
            goto fail;
        ssize_t r = recv(fd, buf + len, REQ_MAX - len, 0);
        if (r <= 0)
            goto fail;
        len += (size_t)r;
        buf[len] = '\0';
        hdr_end = strstr(buf, "\r\n\r\n");
    }
    size_t hlen = (size_t)(hdr_end - buf) + 4;
    size_t clen = 0;
    for (char *p = buf; p < hdr_end; p = strstr(p, "\r\n") + 2) {
        if (strncasecmp(p, "Content-Length:", 15) == 0)
            clen = strtoul(p + 15, NULL, 10);
        if (strstr(p, "\r\n") == NULL)
            break;
    }
    if (clen > REQ_MAX - hlen)
        goto fail;
    while (len < hlen + clen) {
        if (!wait_readable(s, fd))
            goto fail;
        ssize_t r = recv(fd, buf + len, hlen + clen - len, 0);
        if (r <= 0)
            goto fail;
        len += (size_t)r;
    }
    memset(req, 0, sizeof *req);
    sscanf(buf, "%15s %1023s", req->method, req->path);
    char *line_end = strstr(buf, "\r\n");
    size_t hstart = (size_t)(line_end - buf) + 2;
    req->headers = strndup(buf + hstart, hlen - hstart);
    req->body = strndup(buf + hlen, clen);
    free(buf);
    if (req->headers == NULL || req->body == NULL) {
        free(req->headers);
        free(req->body);
        return -1;
    }
    return 0;
fail:
    free(buf);
    return -1;
}

static const char *reason(int status)
{
    switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 400: return "Bad Request";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    default: return "Status";
    }
}

static void serve(http_stub *s, int fd)
{
    stub_request req;
    if (read_request(s, fd, &req) != 0)
        return;
    stub_reply rep = { STUB_REPLY, 500, NULL, "{\"error\":\"stub: no scripted answer\"}", 36, false };
    bool owned = false;
    pthread_mutex_lock(&s->mu);
    if (s->nreq < MAX_RECORDED)
        s->reqs[s->nreq++] = req;
    else {
        free(req.headers);
        free(req.body);
    }
    if (s->script_n > 0) {
        rep = s->script[s->script_head];
        s->script_head = (s->script_head + 1) % MAX_SCRIPT;
        s->script_n--;
        owned = true;
    }
    pthread_mutex_unlock(&s->mu);

    if (rep.action == STUB_HANG) {
        char tmp[256];
        while (wait_readable(s, fd) && recv(fd, tmp, sizeof tmp, 0) > 0)
            ;
    } else if (rep.action == STUB_REPLY) {
        size_t blen = rep.body == NULL ? 0 : rep.body_len;
        char head[512];
        int n = snprintf(head, sizeof head, "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nConnection: close\r\n",
                         rep.status, reason(rep.status), rep.content_type ? rep.content_type : "application/json");
        if (!rep.no_length)
            n += snprintf(head + n, sizeof head - (size_t)n, "Content-Length: %zu\r\n", blen);
        n += snprintf(head + n, sizeof head - (size_t)n, "\r\n");
        send_all(fd, head, (size_t)n);
        if (blen > 0)
            send_all(fd, rep.body, blen);
    }
    if (owned) {
        free((char *)rep.body);
        free((char *)rep.content_type);
    }
}

static void *loop(void *arg)
{
    http_stub *s = arg;
    while (!stopping(s)) {
        if (!wait_readable(s, s->listen_fd))
            break;
        int fd = accept(s->listen_fd, NULL, NULL);
        if (fd < 0)
            continue;
        serve(s, fd);
        shutdown(fd, SHUT_WR);
        close(fd);
    }
    return NULL;
}

http_stub *stub_start(void)
{
    http_stub *s = calloc(1, sizeof *s);
    if (s == NULL)
        return NULL;
    pthread_mutex_init(&s->mu, NULL);
    s->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = 0 };
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t al = sizeof a;
    if (s->listen_fd < 0 || bind(s->listen_fd, (struct sockaddr *)&a, sizeof a) != 0
        || listen(s->listen_fd, 16) != 0 || getsockname(s->listen_fd, (struct sockaddr *)&a, &al) != 0)
        goto fail;
    s->port = ntohs(a.sin_port);
    snprintf(s->url, sizeof s->url, "http://127.0.0.1:%d/dev", s->port);
    if (pthread_create(&s->thread, NULL, loop, s) != 0)
        goto fail;
    return s;
fail:
    if (s->listen_fd >= 0)
        close(s->listen_fd);
    pthread_mutex_destroy(&s->mu);
    free(s);
    return NULL;
}

void stub_stop(http_stub *s)
{
    if (s == NULL)
        return;
    atomic_store(&s->stop, true);
    pthread_join(s->thread, NULL);
    close(s->listen_fd);
    for (size_t i = 0; i < s->nreq; i++) {
        free(s->reqs[i].headers);
        free(s->reqs[i].body);
    }
    while (s->script_n > 0) {
        free((char *)s->script[s->script_head].body);
        free((char *)s->script[s->script_head].content_type);
        s->script_head = (s->script_head + 1) % MAX_SCRIPT;
        s->script_n--;
    }
    pthread_mutex_destroy(&s->mu);
    free(s);
}

const char *stub_base_url(const http_stub *s)
{
    return s->url;
}

int stub_port(const http_stub *s)
{
    return s->port;
}

void stub_push_reply(http_stub *s, const stub_reply *r)
{
    stub_reply c = *r;
    size_t blen = r->body == NULL ? 0 : r->body_len > 0 ? r->body_len : strlen(r->body);
    c.body = NULL;
    c.body_len = blen;
    if (r->body != NULL) {
        char *b = malloc(blen + 1);
        if (b == NULL)
            abort();
        memcpy(b, r->body, blen);
        b[blen] = '\0';
        c.body = b;
    }
    c.content_type = r->content_type != NULL ? strdup(r->content_type) : NULL;
    pthread_mutex_lock(&s->mu);
    if (s->script_n == MAX_SCRIPT)
        abort();
    s->script[(s->script_head + s->script_n) % MAX_SCRIPT] = c;
    s->script_n++;
    pthread_mutex_unlock(&s->mu);
}

void stub_push(http_stub *s, int status, const char *body)
{
    stub_reply r = { STUB_REPLY, status, NULL, body, 0, false };
    stub_push_reply(s, &r);
}

size_t stub_request_count(http_stub *s)
{
    pthread_mutex_lock(&s->mu);
    size_t n = s->nreq;
    pthread_mutex_unlock(&s->mu);
    return n;
}

const stub_request *stub_request_at(http_stub *s, size_t i)
{
    pthread_mutex_lock(&s->mu);
    const stub_request *r = i < s->nreq ? &s->reqs[i] : NULL;
    pthread_mutex_unlock(&s->mu);
    return r;
}

bool stub_header(const stub_request *r, const char *name, char *out, size_t cap)
{
    size_t nl = strlen(name);
    for (const char *p = r->headers; p != NULL && *p != '\0';) {
        const char *eol = strstr(p, "\r\n");
        if (eol == NULL)
            eol = p + strlen(p);
        if ((size_t)(eol - p) > nl && strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
            const char *v = p + nl + 1;
            while (*v == ' ')
                v++;
            snprintf(out, cap, "%.*s", (int)(eol - v), v);
            return true;
        }
        p = *eol != '\0' ? eol + 2 : eol;
    }
    return false;
}

int stub_closed_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = 0 };
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t al = sizeof a;
    int port = -1;
    if (fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0 && getsockname(fd, (struct sockaddr *)&a, &al) == 0)
        port = ntohs(a.sin_port);
    if (fd >= 0)
        close(fd);
    return port;
}
