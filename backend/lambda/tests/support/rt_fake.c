/* A fake Lambda Runtime API (see rt_fake.h). */
#include "rt_fake.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct fake_event {
    char *request_id, *payload, *trace;
    uint64_t deadline_ms;
} fake_event;

struct rt_fake {
    struct MHD_Daemon *daemon;
    char api[64];
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stopping;
    fake_event events[RT_FAKE_MAX];
    size_t n_events, next_event;
    unsigned fail_next, fail_status, response_status, next_calls;
    rt_fake_post posts[RT_FAKE_MAX];
    size_t n_posts;
};

typedef struct upload {
    char *buf;
    size_t len;
} upload;

static enum MHD_Result reply(struct MHD_Connection *conn, unsigned status, const char *body, const fake_event *ev)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(strlen(body), (void *)body, MHD_RESPMEM_MUST_COPY);
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, "Content-Type", "application/json");
    if (ev) {
        char num[32];
        if (ev->request_id)
            MHD_add_response_header(r, "Lambda-Runtime-Aws-Request-Id", ev->request_id);
        if (ev->deadline_ms) {
            snprintf(num, sizeof num, "%llu", (unsigned long long)ev->deadline_ms);
            MHD_add_response_header(r, "Lambda-Runtime-Deadline-Ms", num);
        }
        if (ev->trace)
            MHD_add_response_header(r, "Lambda-Runtime-Trace-Id", ev->trace);
        MHD_add_response_header(r, "Lambda-Runtime-Invoked-Function-Arn",
                                "arn:aws:lambda:us-east-1:000000000000:function:test");
    }
    enum MHD_Result ret = MHD_queue_response(conn, status, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result serve_next(rt_fake *f, struct MHD_Connection *conn)
{
    pthread_mutex_lock(&f->mu);
    f->next_calls++;
    if (f->fail_next > 0) {
        f->fail_next--;
        unsigned st = f->fail_status;
        pthread_mutex_unlock(&f->mu);
        return reply(conn, st, "{\"errorMessage\":\"scripted failure\"}", NULL);
    }
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 30;
    while (!f->stopping && f->next_event >= f->n_events)
        if (pthread_cond_timedwait(&f->cv, &f->mu, &until) != 0)
            break;
    if (f->stopping || f->next_event >= f->n_events) {
        pthread_mutex_unlock(&f->mu);
        return reply(conn, 503, "{\"errorMessage\":\"no event\"}", NULL);
    }
    fake_event ev = f->events[f->next_event++];
    pthread_mutex_unlock(&f->mu);
    return reply(conn, 200, ev.payload, &ev);
}

static void record(rt_fake *f, char kind, const char *id, size_t id_len, const char *etype, upload *u)
{
    pthread_mutex_lock(&f->mu);
    if (f->n_posts < RT_FAKE_MAX) {
        rt_fake_post *p = &f->posts[f->n_posts++];
        p->kind = kind;
        snprintf(p->request_id, sizeof p->request_id, "%.*s", (int)id_len, id);
        snprintf(p->error_type, sizeof p->error_type, "%s", etype ? etype : "");
        p->body = u->buf ? u->buf : strdup("");
        u->buf = NULL;
    }
    pthread_cond_broadcast(&f->cv);
    pthread_mutex_unlock(&f->mu);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                  const char *version, const char *data, size_t *data_size, void **req_cls)
{
    (void)version;
    rt_fake *f = cls;
    if (strcmp(method, "GET") == 0) {
        if (strcmp(url, "/2018-06-01/runtime/invocation/next") == 0)
            return serve_next(f, conn);
        return reply(conn, 404, "{}", NULL);
    }
    upload *u = *req_cls;
    if (!u) {
        u = calloc(1, sizeof *u);
        if (!u)
            return MHD_NO;
        *req_cls = u;
        return MHD_YES;
    }
    if (*data_size > 0) {
        char *nb = realloc(u->buf, u->len + *data_size + 1);
        if (!nb)
            return MHD_NO;
        memcpy(nb + u->len, data, *data_size);
        u->buf = nb;
        u->len += *data_size;
        u->buf[u->len] = '\0';
        *data_size = 0;
        return MHD_YES;
    }
    const char *etype = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Lambda-Runtime-Function-Error-Type");
    static const char inv[] = "/2018-06-01/runtime/invocation/";
    if (strcmp(url, "/2018-06-01/runtime/init/error") == 0) {
        record(f, 'i', "", 0, etype, u);
        return reply(conn, 202, "{\"status\":\"OK\"}", NULL);
    }
    if (strncmp(url, inv, sizeof inv - 1) == 0) {
        const char *id = url + sizeof inv - 1;
        const char *slash = strrchr(id, '/');
        if (slash && strcmp(slash, "/response") == 0) {
            pthread_mutex_lock(&f->mu);
            unsigned st = f->response_status;
            pthread_mutex_unlock(&f->mu);
            if (st >= 200 && st < 300)
                record(f, 'r', id, (size_t)(slash - id), etype, u);
            return reply(conn, st, "{\"status\":\"OK\"}", NULL);
        }
        if (slash && strcmp(slash, "/error") == 0) {
            record(f, 'e', id, (size_t)(slash - id), etype, u);
            return reply(conn, 202, "{\"status\":\"OK\"}", NULL);
        }
    }
    return reply(conn, 404, "{}", NULL);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **req_cls, enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)conn;
    (void)toe;
    upload *u = *req_cls;
    if (u) {
        free(u->buf);
        free(u);
        *req_cls = NULL;
    }
}

rt_fake *rt_fake_start(void)
{
    rt_fake *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    pthread_mutex_init(&f->mu, NULL);
    pthread_cond_init(&f->cv, NULL);
    f->response_status = 202;
    f->fail_status = 500;
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sa.sin_port = 0;
    f->daemon = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION, 0, NULL, NULL,
                                 on_request, f, MHD_OPTION_SOCK_ADDR, &sa, MHD_OPTION_NOTIFY_COMPLETED,
                                 on_completed, f, MHD_OPTION_END);
    if (!f->daemon) {
        free(f);
        return NULL;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(f->daemon, MHD_DAEMON_INFO_BIND_PORT);
    snprintf(f->api, sizeof f->api, "127.0.0.1:%u", di ? (unsigned)di->port : 0u);
    return f;
}

const char *rt_fake_api(const rt_fake *f)
{
    return f->api;
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

void rt_fake_push(rt_fake *f, const char *request_id, const char *payload, uint64_t deadline_ms, const char *trace)
{
    pthread_mutex_lock(&f->mu);
    if (f->n_events < RT_FAKE_MAX) {
        fake_event *e = &f->events[f->n_events++];
        e->request_id = dup_or_null(request_id);
        e->payload = strdup(payload ? payload : "");
        e->trace = dup_or_null(trace);
        e->deadline_ms = deadline_ms;
    }
    pthread_cond_broadcast(&f->cv);
    pthread_mutex_unlock(&f->mu);
}

void rt_fake_fail_next(rt_fake *f, unsigned n, unsigned status)
{
    pthread_mutex_lock(&f->mu);
    f->fail_next = n;
    f->fail_status = status;
    pthread_mutex_unlock(&f->mu);
}

void rt_fake_response_status(rt_fake *f, unsigned status)
{
    pthread_mutex_lock(&f->mu);
    f->response_status = status;
    pthread_mutex_unlock(&f->mu);
}

size_t rt_fake_wait_posts(rt_fake *f, size_t n, unsigned timeout_ms)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += timeout_ms / 1000;
    until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&f->mu);
    while (f->n_posts < n)
        if (pthread_cond_timedwait(&f->cv, &f->mu, &until) != 0)
            break;
    size_t got = f->n_posts;
    pthread_mutex_unlock(&f->mu);
    return got;
}

const rt_fake_post *rt_fake_post_at(rt_fake *f, size_t i)
{
    pthread_mutex_lock(&f->mu);
    const rt_fake_post *p = i < f->n_posts ? &f->posts[i] : NULL;
    pthread_mutex_unlock(&f->mu);
    return p;
}

unsigned rt_fake_next_calls(rt_fake *f)
{
    pthread_mutex_lock(&f->mu);
    unsigned n = f->next_calls;
    pthread_mutex_unlock(&f->mu);
    return n;
}

void rt_fake_stop(rt_fake *f)
{
    if (!f)
        return;
    pthread_mutex_lock(&f->mu);
    f->stopping = true;
    pthread_cond_broadcast(&f->cv);
    pthread_mutex_unlock(&f->mu);
    MHD_stop_daemon(f->daemon);
    for (size_t i = 0; i < f->n_events; i++) {
        free(f->events[i].request_id);
        free(f->events[i].payload);
        free(f->events[i].trace);
    }
    for (size_t i = 0; i < f->n_posts; i++)
        free(f->posts[i].body);
    pthread_mutex_destroy(&f->mu);
    pthread_cond_destroy(&f->cv);
    free(f);
}
