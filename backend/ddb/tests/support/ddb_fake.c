/* Scripted HTTP server for DynamoDB client tests (see ddb_fake.h). */
#include "ddb_fake.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define BODY_CAP (8u * 1024u * 1024u)

struct ddb_fake {
    struct MHD_Daemon *daemon;
    char url[64];
    ddb_fake_reply *replies;
    size_t n_replies;
    pthread_mutex_t lock;
    size_t n_requests;     /* complete requests recorded */
    size_t n_answered;     /* replies handed out */
    ddb_fake_request requests[DDB_FAKE_MAX_REQUESTS];
    atomic_int stopping;
};

/* Per-request state while the body arrives. */
struct pending {
    char *body;
    size_t len;
};

struct header_ctx {
    ddb_fake_request *r;
};

static enum MHD_Result on_header(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    struct header_ctx *h = cls;
    ddb_fake_request *r = h->r;
    if (r->n_headers < DDB_FAKE_MAX_HEADERS) {
        snprintf(r->names[r->n_headers], sizeof r->names[0], "%s", key);
        snprintf(r->values[r->n_headers], sizeof r->values[0], "%s", value ? value : "");
        r->n_headers++;
    }
    return MHD_YES;
}

static void pause_ms(ddb_fake *f, unsigned ms)
{
    struct timespec ts = {0, 10 * 1000000L};
    for (unsigned waited = 0; waited < ms && !atomic_load(&f->stopping); waited += 10)
        nanosleep(&ts, NULL);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_size,
                                  void **req_cls)
{
    (void)version;
    ddb_fake *f = cls;
    struct pending *p = *req_cls;
    if (!p) {
        p = calloc(1, sizeof *p);
        if (!p)
            return MHD_NO;
        *req_cls = p;
        return MHD_YES;
    }
    if (*upload_size) {
        if (p->len + *upload_size > BODY_CAP)
            return MHD_NO;
        char *nb = realloc(p->body, p->len + *upload_size + 1);
        if (!nb)
            return MHD_NO;
        memcpy(nb + p->len, upload_data, *upload_size);
        p->body = nb;
        p->len += *upload_size;
        p->body[p->len] = '\0';
        *upload_size = 0;
        return MHD_YES;
    }

    /* Complete request: record it, pick the reply. */
    ddb_fake_reply reply = {500, "{}", 0, 0, NULL};
    pthread_mutex_lock(&f->lock);
    if (f->n_requests < DDB_FAKE_MAX_REQUESTS) {
        ddb_fake_request *r = &f->requests[f->n_requests];
        memset(r, 0, sizeof *r);
        snprintf(r->method, sizeof r->method, "%s", method);
        snprintf(r->path, sizeof r->path, "%s", url);
        struct header_ctx h = {r};
        MHD_get_connection_values(conn, MHD_HEADER_KIND, on_header, &h);
        r->body = p->body ? p->body : calloc(1, 1);
        r->body_len = p->len;
        p->body = NULL;
        const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
        if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET)
            r->client_port = ntohs(((const struct sockaddr_in *)(const void *)ci->client_addr)->sin_port);
        f->n_requests++;
    }
    if (f->n_replies)
        reply = f->replies[f->n_answered < f->n_replies ? f->n_answered : f->n_replies - 1];
    f->n_answered++;
    pthread_mutex_unlock(&f->lock);

    if (reply.delay_ms)
        pause_ms(f, reply.delay_ms);
    if (reply.drop)
        return MHD_NO;
    const char *body = reply.body ? reply.body : "";
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(strlen(body), (void *)(uintptr_t)body, MHD_RESPMEM_PERSISTENT);
    if (!resp)
        return MHD_NO;
    MHD_add_response_header(resp, "Content-Type", "application/x-amz-json-1.0");
    MHD_add_response_header(resp, "x-amzn-RequestId", "FAKE0000000000000000000000000000000000000000000000");
    if (reply.crc32)
        MHD_add_response_header(resp, "x-amz-crc32", reply.crc32);
    enum MHD_Result ret = MHD_queue_response(conn, reply.status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **req_cls, enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)conn;
    (void)toe;
    struct pending *p = *req_cls;
    if (p) {
        free(p->body);
        free(p);
        *req_cls = NULL;
    }
}

ddb_fake *ddb_fake_start(const ddb_fake_reply *replies, size_t n)
{
    ddb_fake *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    pthread_mutex_init(&f->lock, NULL);
    if (n) {
        f->replies = calloc(n, sizeof *f->replies);
        if (!f->replies)
            goto fail;
        memcpy(f->replies, replies, n * sizeof *replies);
        f->n_replies = n;
    }
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_port = 0;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    f->daemon = MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL,
                                 on_request, f, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
                                 MHD_OPTION_NOTIFY_COMPLETED, on_completed, f, MHD_OPTION_CONNECTION_TIMEOUT,
                                 (unsigned)30, MHD_OPTION_END);
    if (!f->daemon)
        goto fail;
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(f->daemon, MHD_DAEMON_INFO_BIND_PORT);
    if (!di || !di->port)
        goto fail;
    snprintf(f->url, sizeof f->url, "http://127.0.0.1:%u", (unsigned)di->port);
    return f;
fail:
    ddb_fake_stop(f);
    return NULL;
}

const char *ddb_fake_url(const ddb_fake *f)
{
    return f->url;
}

size_t ddb_fake_count(ddb_fake *f)
{
    pthread_mutex_lock(&f->lock);
    size_t n = f->n_requests;
    pthread_mutex_unlock(&f->lock);
    return n;
}

const ddb_fake_request *ddb_fake_request_at(ddb_fake *f, size_t i)
{
    pthread_mutex_lock(&f->lock);
    const ddb_fake_request *r = i < f->n_requests ? &f->requests[i] : NULL;
    pthread_mutex_unlock(&f->lock);
    return r;
}

const char *ddb_fake_header(const ddb_fake_request *r, const char *name)
{
    for (size_t i = 0; i < r->n_headers; i++)
        if (strcasecmp(r->names[i], name) == 0)
            return r->values[i];
    return NULL;
}

void ddb_fake_stop(ddb_fake *f)
{
    if (!f)
        return;
    atomic_store(&f->stopping, 1);
    if (f->daemon)
        MHD_stop_daemon(f->daemon);
    for (size_t i = 0; i < f->n_requests; i++)
        free(f->requests[i].body);
    free(f->replies);
    pthread_mutex_destroy(&f->lock);
    free(f);
}

void ddb_fake_use_env_url(const char *url)
{
    setenv("AWS_ACCESS_KEY_ID", "AKIDTEST", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "secret", 1);
    unsetenv("AWS_SESSION_TOKEN");
    setenv("AWS_REGION", "us-east-1", 1);
    setenv("AWS_ENDPOINT_URL_DYNAMODB", url, 1);
}

void ddb_fake_use_env(const ddb_fake *f)
{
    ddb_fake_use_env_url(ddb_fake_url(f));
}
