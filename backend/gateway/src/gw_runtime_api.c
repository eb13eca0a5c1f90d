/* The Lambda Runtime API as the local gateway serves it to its workers: one libmicrohttpd daemon per
 * worker on 127.0.0.1:<ephemeral port> (so the gateway knows which process holds which invocation):
 * GET /2018-06-01/runtime/invocation/next, POST .../{id}/response, .../{id}/error, /runtime/init/error.
 * See gw_pool.h; the scheduling is gw_pool.c's (locking: gw_pool_internal.h). */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uuid/uuid.h>

#include "gw_log.h"
#include "gw_pool_internal.h"

#define GW_RESPONSE_MAX_BYTES 6291556       /* Lambda's synchronous response limit */
#define RUNTIME_PREFIX "/2018-06-01/runtime/"

typedef struct api_request {
    char *body;
    size_t len;
    bool too_big;
    /* END/REPORT, written by request_completed once the 202 is out (off the invocation's critical path) */
    bool report;
    char id[40];
    pid_t pid;
    double ms;
    double init_ms;            /* < 0: not the worker's first invocation */
    const gw_function *fn;
} api_request;

static enum MHD_Result reply(struct MHD_Connection *c, unsigned status, const char *body)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(strlen(body), (void *)body, MHD_RESPMEM_MUST_COPY);
    if (!r) return MHD_NO;
    MHD_add_response_header(r, "Content-Type", "application/json");
    enum MHD_Result ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ret;
}

static void log_json_line(const char *prefix, const char *what, const char *rid, const char *body, size_t len)
{
    cJSON *j = cJSON_CreateObject();
    char *s = NULL;
    char *copy = strndup(body ? body : "", len > 2000 ? 2000 : len);
    if (j && copy && cJSON_AddStringToObject(j, "event", what) && cJSON_AddStringToObject(j, "requestId", rid) &&
        cJSON_AddStringToObject(j, "payload", copy))
        s = cJSON_PrintUnformatted(j);
    if (s) gw_log(prefix, "%s", s);
    free(s);
    free(copy);
    cJSON_Delete(j);
}

static enum MHD_Result serve_next(worker *w, struct MHD_Connection *c)
{
    gw_pool *p = w->fp->pool;
    const gw_function *f = w->fp->fn;
    pthread_mutex_lock(&p->mu);
    if (w->cur) {   /* asked for the next event without answering the last one */
        inv *old = w->cur;
        w->cur = NULL;
        gw_pool_finish(old, GW_INV_FUNCTION_ERROR);
    }
    if (!w->first_next_seen) {
        w->first_next_seen = true;
        w->init_ms = (double)(gw_mono_ns() - w->spawn_ns) / 1e6;
    }
    if (w->state != W_DEAD) w->state = W_IDLE;
    w->idle_since_ns = gw_mono_ns();
    inv *v = NULL;
    while (!w->quit && w->state != W_DEAD) {
        if (w->cur) { v = w->cur; break; }          /* handed over directly by gw_pool_invoke */
        if ((v = gw_pool_queue_pop(w->fp)) != NULL) { gw_pool_assign(w, v); break; }
        if (p->mgr_waiting_untimed) pthread_cond_signal(&p->mgr_cond);   /* start its idle timer */
        pthread_cond_wait(&w->cond, &p->mu);
    }
    if (!v) {
        pthread_mutex_unlock(&p->mu);
        return MHD_NO;        /* stopping: drop the connection */
    }
    struct MHD_Response *r = MHD_create_response_from_buffer(v->event_len, (void *)v->event, MHD_RESPMEM_MUST_COPY);
    char id[40], deadline[32], arn[512], trace[128];
    snprintf(id, sizeof id, "%s", v->id);
    snprintf(deadline, sizeof deadline, "%lld", (long long)v->deadline_ms);
    bool first = !w->init_reported;
    pthread_mutex_unlock(&p->mu);
    if (!r) return MHD_NO;

    snprintf(arn, sizeof arn, "arn:aws:lambda:%s:123456789012:function:%s", p->cfg->region, f->full_name);
    unsigned char rnd[20];
    uuid_t u1, u2;
    uuid_generate_random(u1);
    uuid_generate_random(u2);
    memcpy(rnd, u1, 16);
    memcpy(rnd + 16, u2, 4);
    snprintf(trace, sizeof trace,
             "Root=1-%08llx-%02x%02x%02x%02x%02x%02x%02x%02x%02x%02x%02x%02x;Parent=%02x%02x%02x%02x%02x%02x%02x%02x;Sampled=0",
             (unsigned long long)(gw_now_ms() / 1000), rnd[0], rnd[1], rnd[2], rnd[3], rnd[4], rnd[5], rnd[6], rnd[7],
             rnd[8], rnd[9], rnd[10], rnd[11], rnd[12], rnd[13], rnd[14], rnd[15], rnd[16], rnd[17], rnd[18], rnd[19]);
    MHD_add_response_header(r, "Content-Type", "application/json");
    MHD_add_response_header(r, "Lambda-Runtime-Aws-Request-Id", id);
    MHD_add_response_header(r, "Lambda-Runtime-Deadline-Ms", deadline);
    MHD_add_response_header(r, "Lambda-Runtime-Invoked-Function-Arn", arn);
    MHD_add_response_header(r, "Lambda-Runtime-Trace-Id", trace);
    (void)first;
    gw_log(f->name, "START RequestId: %s Version: $LATEST", id);
    enum MHD_Result ret = MHD_queue_response(c, MHD_HTTP_OK, r);
    MHD_destroy_response(r);
    return ret;
}

/* POST .../invocation/<id>/response or /error. */
static enum MHD_Result serve_result(worker *w, struct MHD_Connection *c, const char *id, bool is_error, api_request *req)
{
    gw_pool *p = w->fp->pool;
    const gw_function *f = w->fp->fn;
    pthread_mutex_lock(&p->mu);
    inv *v = w->cur;
    if (!v || strcmp(v->id, id) != 0) {
        pthread_mutex_unlock(&p->mu);
        return reply(c, MHD_HTTP_BAD_REQUEST,
                     "{\"errorMessage\":\"Invalid request ID\",\"errorType\":\"InvalidRequestID\"}");
    }
    int64_t dur_ns = gw_mono_ns() - v->start_ns;
    pid_t pid = w->pid;
    double init_ms = w->init_reported ? -1 : w->init_ms;
    w->init_reported = true;
    w->cur = NULL;
    w->state = W_AFTER;
    w->invocations++;
    if (req->too_big) {
        gw_pool_finish(v, GW_INV_FUNCTION_ERROR);
    } else {
        v->payload = req->body ? req->body : strdup("");
        v->payload_len = req->len;
        req->body = NULL;
        if (is_error) log_json_line(f->name, "function_error", id, v->payload, v->payload_len);
        gw_pool_finish(v, is_error ? GW_INV_FUNCTION_ERROR : GW_INV_OK);
    }
    pthread_mutex_unlock(&p->mu);

    req->report = true;
    memcpy(req->id, id, sizeof req->id);
    req->pid = pid;
    req->ms = (double)dur_ns / 1e6;
    req->init_ms = init_ms;
    req->fn = f;
    if (req->too_big)
        return reply(c, MHD_HTTP_CONTENT_TOO_LARGE,
                     "{\"errorMessage\":\"Response payload size exceeded maximum allowed payload size (6291556 bytes).\",\"errorType\":\"RequestEntityTooLarge\"}");
    return reply(c, MHD_HTTP_ACCEPTED, "{\"status\":\"OK\"}");
}

static enum MHD_Result serve_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                  const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
    (void)version;
    worker *w = cls;
    api_request *req = *con_cls;
    if (!req) {
        if (!(req = calloc(1, sizeof *req))) return MHD_NO;
        *con_cls = req;
        return MHD_YES;
    }
    if (*upload_size) {
        if (!req->too_big && req->len + *upload_size <= GW_RESPONSE_MAX_BYTES) {
            char *b = realloc(req->body, req->len + *upload_size + 1);
            if (!b) return MHD_NO;
            memcpy(b + req->len, upload, *upload_size);
            req->body = b;
            req->len += *upload_size;
            b[req->len] = '\0';
        } else {
            req->too_big = true;
        }
        *upload_size = 0;
        return MHD_YES;
    }
    if (strncmp(url, RUNTIME_PREFIX, strlen(RUNTIME_PREFIX)) != 0)
        return reply(c, MHD_HTTP_NOT_FOUND, "{\"errorMessage\":\"Unknown path\",\"errorType\":\"NotFound\"}");
    const char *rest = url + strlen(RUNTIME_PREFIX);
    if (strcmp(rest, "invocation/next") == 0 && strcmp(method, "GET") == 0) return serve_next(w, c);
    if (strcmp(rest, "init/error") == 0 && strcmp(method, "POST") == 0) {
        gw_pool *p = w->fp->pool;
        pthread_mutex_lock(&p->mu);
        w->init_error = true;
        pthread_mutex_unlock(&p->mu);
        log_json_line(w->fp->fn->name, "init_error", "", req->body, req->len);
        return reply(c, MHD_HTTP_ACCEPTED, "{\"status\":\"OK\"}");
    }
    if (strncmp(rest, "invocation/", 11) == 0 && strcmp(method, "POST") == 0) {
        const char *id = rest + 11;
        const char *slash = strchr(id, '/');
        if (slash && (size_t)(slash - id) < 40) {
            char rid[40];
            memcpy(rid, id, (size_t)(slash - id));
            rid[slash - id] = '\0';
            if (strcmp(slash, "/response") == 0) return serve_result(w, c, rid, false, req);
            if (strcmp(slash, "/error") == 0) return serve_result(w, c, rid, true, req);
        }
    }
    return reply(c, MHD_HTTP_NOT_FOUND, "{\"errorMessage\":\"Unknown path\",\"errorType\":\"NotFound\"}");
}

static void log_report(const api_request *req)
{
    gw_worker_log_end_report(req->fn, req->id, req->pid, req->ms, req->init_ms, -1, false);
}

static void request_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)c;
    (void)toe;
    api_request *req = *con_cls;
    if (req && req->report) log_report(req);
    if (req) { free(req->body); free(req); }
    *con_cls = NULL;
}

int gw_runtime_api_start(worker *w)
{
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sa.sin_port = 0;
    w->daemon = MHD_start_daemon(MHD_USE_POLL_INTERNAL_THREAD, 0, NULL, NULL,
                                 serve_request, w, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
                                 MHD_OPTION_NOTIFY_COMPLETED, request_completed, NULL,
                                 MHD_OPTION_CONNECTION_LIMIT, (unsigned)8, MHD_OPTION_END);
    if (!w->daemon) return -1;
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(w->daemon, MHD_DAEMON_INFO_BIND_PORT);
    if (!di || !di->port) {
        gw_runtime_api_stop(w);
        return -1;
    }
    w->port = di->port;
    return 0;
}

void gw_runtime_api_stop(worker *w)
{
    if (w->daemon) MHD_stop_daemon(w->daemon);
    w->daemon = NULL;
}
