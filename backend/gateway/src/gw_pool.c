/* Worker pools and the Lambda Runtime API. See gw_pool.h.
 *
 * Locking: one mutex (pool->mu) guards every worker, queue and invocation field. Each invocation has
 * its own condition variable (its waiting API thread sleeps on it), each worker one (its /next
 * handler sleeps on it), the manager thread one. Nothing sleeps with a timer except on a deadline. */
#include "gw_pool.h"

#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <uuid/uuid.h>

#include "gw_log.h"

#define RT_MAX_PAYLOAD 6291556              /* Lambda's synchronous response limit, in bytes */
#define RT_PREFIX "/2018-06-01/runtime/"
#define LOG_LINE_MAX 8192

enum inv_state { INV_QUEUED, INV_RUNNING, INV_DONE };
enum w_state { W_STARTING, W_IDLE, W_BUSY, W_AFTER, W_DEAD };
static const char *const w_state_name[] = {"starting", "idle", "busy", "busy", "stopping"};

typedef struct worker worker;
typedef struct fnpool fnpool;

typedef struct inv {
    char id[40];
    const char *event;             /* borrowed from the waiting caller (owned once abandoned) */
    size_t event_len;
    enum inv_state state;
    gw_inv_result result;
    char *payload;                 /* owned until handed to the caller */
    size_t payload_len;
    worker *w;                     /* while running */
    pid_t pid;
    int64_t start_ns;              /* when a worker took it */
    int64_t deadline_ns;           /* monotonic */
    int64_t deadline_ms;           /* epoch, for Lambda-Runtime-Deadline-Ms */
    pthread_cond_t cond;
    bool abandoned;                /* the caller stopped waiting: whoever finishes it frees it */
    struct inv *next;              /* queue link */
} inv;

struct worker {
    fnpool *fp;
    pid_t pid;                     /* 0 until the manager has started it */
    enum w_state state;
    bool spawned;
    bool quit;                     /* tells a waiting /next to give up */
    bool first_next_seen;
    bool init_reported;
    bool init_error;
    inv *cur;
    pthread_cond_t cond;
    struct MHD_Daemon *daemon;
    uint16_t port;
    int out_fd;
    int64_t spawn_ns;
    int64_t idle_since_ns;
    double init_ms;
    unsigned long invocations;
    worker *next;
};

struct fnpool {
    gw_pool *pool;
    const gw_function *fn;
    int timeout_s;
    worker *workers;
    inv *qhead, *qtail;
    int qlen;
    unsigned long started;         /* workers started so far */
    char **env;                    /* static part of the worker environment, NULL-terminated */
    size_t n_env;
};

struct gw_pool {
    pthread_mutex_t mu;
    pthread_cond_t mgr_cond;       /* manager: spawn requests, idle deadlines, stop */
    pthread_cond_t drain_cond;     /* stop: the last reader thread is gone */
    pthread_condattr_t cattr;
    bool mgr_waiting_untimed;
    bool stopping;
    int readers;                   /* live reader threads */
    pthread_t manager;
    const gw_config *cfg;
    gw_pool_options opts;
    fnpool *fps;
    size_t n;
};

/* ---- small helpers ------------------------------------------------------------------------- */

static void log_end_report(const gw_function *f, const char *id, pid_t pid, double ms, double init_ms, long mem_mb,
                           bool timed_out);

static void abs_deadline(int64_t mono_ns, struct timespec *ts)
{
    ts->tv_sec = (time_t)(mono_ns / 1000000000);
    ts->tv_nsec = (long)(mono_ns % 1000000000);
}

/* Kills a worker with everything it started (it leads its own process group). */
static void kill_worker(pid_t pid)
{
    if (pid <= 0) return;
    if (kill(-pid, SIGKILL) != 0) kill(pid, SIGKILL);
}

static void new_request_id(char *out)
{
    uuid_t u;
    uuid_generate_random(u);
    uuid_unparse_lower(u, out);
}

static long max_rss_mb(pid_t pid)
{
    char path[64], line[256];
    snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    long kb = 0;
    if (!f) return 0;
    while (fgets(line, sizeof line, f))
        if (strncmp(line, "VmHWM:", 6) == 0) { kb = strtol(line + 6, NULL, 10); break; }
    fclose(f);
    return (kb + 1023) / 1024;
}

static int env_push(char ***env, size_t *n, const char *key, const char *value)
{
    char **e = realloc(*env, (*n + 2) * sizeof *e);
    if (!e) return -1;
    *env = e;
    size_t len = strlen(key) + strlen(value) + 2;
    if (!(e[*n] = malloc(len))) return -1;
    snprintf(e[*n], len, "%s=%s", key, value);
    (*n)++;
    e[*n] = NULL;
    return 0;
}

static int build_env(gw_pool *p, fnpool *fp)
{
    const gw_function *f = fp->fn;
    const gw_pool_options *o = &p->opts;
    char mem[16], stream[96], group[300], day[16];
    snprintf(mem, sizeof mem, "%d", f->memory_mb);
    snprintf(group, sizeof group, "/aws/lambda/%s", f->full_name);
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    strftime(day, sizeof day, "%Y/%m/%d", &tm);
    char rid[40];
    new_request_id(rid);
    /* Lambda's shape: YYYY/MM/DD/[$LATEST] + 32 hex digits */
    snprintf(stream, sizeof stream, "%s/[$LATEST]%.8s%.4s%.4s%.4s%.12s", day, rid, rid + 9, rid + 14, rid + 19, rid + 24);
    const char *path = getenv("PATH");
    int rc = 0;
    rc |= env_push(&fp->env, &fp->n_env, "PATH", path && *path ? path : "/usr/local/bin:/usr/bin:/bin");
    rc |= env_push(&fp->env, &fp->n_env, "LANG", "C.UTF-8");
    rc |= env_push(&fp->env, &fp->n_env, "TZ", ":UTC");
    rc |= env_push(&fp->env, &fp->n_env, "_HANDLER", f->handler);
    rc |= env_push(&fp->env, &fp->n_env, "AWS_LAMBDA_FUNCTION_NAME", f->full_name);
    rc |= env_push(&fp->env, &fp->n_env, "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", mem);
    rc |= env_push(&fp->env, &fp->n_env, "AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
    rc |= env_push(&fp->env, &fp->n_env, "AWS_LAMBDA_LOG_GROUP_NAME", group);
    rc |= env_push(&fp->env, &fp->n_env, "AWS_LAMBDA_LOG_STREAM_NAME", stream);
    rc |= env_push(&fp->env, &fp->n_env, "AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
    rc |= env_push(&fp->env, &fp->n_env, "AWS_REGION", p->cfg->region);
    rc |= env_push(&fp->env, &fp->n_env, "AWS_DEFAULT_REGION", p->cfg->region);
    rc |= env_push(&fp->env, &fp->n_env, "LAMBDA_TASK_ROOT", o->task_root);
    rc |= env_push(&fp->env, &fp->n_env, "LAMBDA_RUNTIME_DIR", o->task_root);
    /* DynamoDB Local accepts any credentials; Lambda always sets a session token. */
    rc |= env_push(&fp->env, &fp->n_env, "AWS_ACCESS_KEY_ID", "AKIALOCALGATEWAY0000");
    rc |= env_push(&fp->env, &fp->n_env, "AWS_SECRET_ACCESS_KEY", "local-gateway-secret");
    rc |= env_push(&fp->env, &fp->n_env, "AWS_SESSION_TOKEN", "local-gateway-session");
    if (o->ddb_endpoint) rc |= env_push(&fp->env, &fp->n_env, "AWS_ENDPOINT_URL_DYNAMODB", o->ddb_endpoint);
    for (size_t i = 0; i < f->n_env && rc == 0; i++) {
        char **e = realloc(fp->env, (fp->n_env + 2) * sizeof *e);
        if (!e || !(e[fp->n_env] = strdup(f->env[i]))) { if (e) fp->env = e; rc = -1; break; }
        fp->env = e;
        fp->env[++fp->n_env] = NULL;
    }
    for (size_t i = 0; i < o->n_extra_env && rc == 0; i++) {
        char **e = realloc(fp->env, (fp->n_env + 2) * sizeof *e);
        if (!e || !(e[fp->n_env] = strdup(o->extra_env[i]))) { if (e) fp->env = e; rc = -1; break; }
        fp->env = e;
        fp->env[++fp->n_env] = NULL;
    }
    return rc;
}

/* ---- queue and assignment (pool->mu held) --------------------------------------------------- */

static void assign(worker *w, inv *v)
{
    fnpool *fp = w->fp;
    w->cur = v;
    w->state = W_BUSY;
    v->state = INV_RUNNING;
    v->w = w;
    v->pid = w->pid;
    v->start_ns = gw_mono_ns();
    v->deadline_ns = v->start_ns + (int64_t)fp->timeout_s * 1000000000;
    v->deadline_ms = gw_now_ms() + (int64_t)fp->timeout_s * 1000;
    pthread_cond_signal(&v->cond);
}

static inv *queue_pop(fnpool *fp)
{
    inv *v = fp->qhead;
    if (!v) return NULL;
    fp->qhead = v->next;
    if (!fp->qhead) fp->qtail = NULL;
    v->next = NULL;
    fp->qlen--;
    return v;
}

static void queue_remove(fnpool *fp, inv *v)
{
    inv **pp = &fp->qhead;
    inv *prev = NULL;
    while (*pp && *pp != v) { prev = *pp; pp = &(*pp)->next; }
    if (!*pp) return;
    *pp = v->next;
    if (fp->qtail == v) fp->qtail = prev;
    v->next = NULL;
    fp->qlen--;
}

static void finish(inv *v, gw_inv_result r)
{
    v->result = r;
    v->state = INV_DONE;
    v->w = NULL;
    if (!v->abandoned) { pthread_cond_signal(&v->cond); return; }
    /* nobody waits for it any more: its answer goes nowhere */
    free(v->payload);
    free((char *)v->event);
    pthread_cond_destroy(&v->cond);
    free(v);
}

/* What a timed-out invocation logs once the lock is released. */
typedef struct timeout_note {
    const gw_function *fn;
    char id[40];
    pid_t pid;
    int timeout_s;
    double ms, init_ms;
    long mem_mb;
} timeout_note;

/* The running invocation v passed its function timeout: kills its worker (the worker is not reused,
 * as on Lambda) and finishes v with GW_INV_TIMEOUT; fills *note for timeout_log. */
static void time_out(inv *v, timeout_note *note)
{
    worker *w = v->w;
    fnpool *fp = w->fp;
    note->fn = fp->fn;
    memcpy(note->id, v->id, sizeof note->id);
    note->pid = w->pid;
    note->timeout_s = fp->timeout_s;
    note->ms = (double)(gw_mono_ns() - v->start_ns) / 1e6;
    note->init_ms = w->init_reported ? -1 : w->init_ms;
    note->mem_mb = max_rss_mb(w->pid);       /* before the kill: a dead process has no VmHWM */
    w->init_reported = true;
    w->cur = NULL;
    w->state = W_DEAD;
    w->quit = true;
    kill_worker(w->pid);
    finish(v, GW_INV_TIMEOUT);
}

/* Lambda's lines for a timeout: "<time> <id> Task timed out after N.00 seconds", END, REPORT ... Status: timeout. */
static void timeout_log(const timeout_note *n)
{
    char now[32];
    gw_log_now(now);
    gw_log(n->fn->name, "%s %s Task timed out after %d.00 seconds", now, n->id, n->timeout_s);
    log_end_report(n->fn, n->id, n->pid, n->ms, n->init_ms, n->mem_mb, true);
}

/* Adds STARTING workers (started by the manager) while the queue holds more invocations than
 * workers that will soon ask for one. */
static void maybe_spawn(fnpool *fp)
{
    gw_pool *p = fp->pool;
    if (p->stopping) return;
    int alive = 0, coming = 0;
    for (worker *w = fp->workers; w; w = w->next) {
        if (w->state == W_DEAD) continue;
        alive++;
        if (w->state == W_STARTING || w->state == W_AFTER) coming++;
    }
    bool want = false;
    while (fp->qlen > coming && alive < p->opts.concurrency) {
        worker *w = calloc(1, sizeof *w);
        if (!w) break;
        w->fp = fp;
        w->state = W_STARTING;
        w->out_fd = -1;
        pthread_cond_init(&w->cond, &p->cattr);
        w->next = fp->workers;
        fp->workers = w;
        alive++;
        coming++;
        want = true;
    }
    if (want) pthread_cond_signal(&p->mgr_cond);
}

/* ---- the Runtime API (one daemon per worker) ------------------------------------------------ */

typedef struct rt_req {
    char *body;
    size_t len;
    bool too_big;
    /* END/REPORT, written by rt_completed once the 202 is out (off the invocation's critical path) */
    bool report;
    char id[40];
    pid_t pid;
    double ms;
    double init_ms;            /* < 0: not the worker's first invocation */
    const gw_function *fn;
} rt_req;

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

static enum MHD_Result rt_next(worker *w, struct MHD_Connection *c)
{
    gw_pool *p = w->fp->pool;
    const gw_function *f = w->fp->fn;
    pthread_mutex_lock(&p->mu);
    if (w->cur) {   /* asked for the next event without answering the last one */
        inv *old = w->cur;
        w->cur = NULL;
        finish(old, GW_INV_FUNCTION_ERROR);
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
        if ((v = queue_pop(w->fp)) != NULL) { assign(w, v); break; }
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
static enum MHD_Result rt_result(worker *w, struct MHD_Connection *c, const char *id, bool is_error, rt_req *req)
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
        finish(v, GW_INV_FUNCTION_ERROR);
    } else {
        v->payload = req->body ? req->body : strdup("");
        v->payload_len = req->len;
        req->body = NULL;
        if (is_error) log_json_line(f->name, "function_error", id, v->payload, v->payload_len);
        finish(v, is_error ? GW_INV_FUNCTION_ERROR : GW_INV_OK);
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

static enum MHD_Result rt_handler(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                  const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
    (void)version;
    worker *w = cls;
    rt_req *req = *con_cls;
    if (!req) {
        if (!(req = calloc(1, sizeof *req))) return MHD_NO;
        *con_cls = req;
        return MHD_YES;
    }
    if (*upload_size) {
        if (!req->too_big && req->len + *upload_size <= RT_MAX_PAYLOAD) {
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
    if (strncmp(url, RT_PREFIX, strlen(RT_PREFIX)) != 0)
        return reply(c, MHD_HTTP_NOT_FOUND, "{\"errorMessage\":\"Unknown path\",\"errorType\":\"NotFound\"}");
    const char *rest = url + strlen(RT_PREFIX);
    if (strcmp(rest, "invocation/next") == 0 && strcmp(method, "GET") == 0) return rt_next(w, c);
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
            if (strcmp(slash, "/response") == 0) return rt_result(w, c, rid, false, req);
            if (strcmp(slash, "/error") == 0) return rt_result(w, c, rid, true, req);
        }
    }
    return reply(c, MHD_HTTP_NOT_FOUND, "{\"errorMessage\":\"Unknown path\",\"errorType\":\"NotFound\"}");
}

/* Lambda's END and REPORT lines; mem_mb < 0: read the worker's peak RSS now. A timed-out invocation
 * ends with "\tStatus: timeout" as on Lambda. */
static void log_end_report(const gw_function *f, const char *id, pid_t pid, double ms, double init_ms, long mem_mb,
                           bool timed_out)
{
    long billed = (long)ms + 1;
    long mem = mem_mb >= 0 ? mem_mb : max_rss_mb(pid);
    char init[64] = "";
    if (init_ms >= 0) snprintf(init, sizeof init, "\tInit Duration: %.2f ms", init_ms);
    gw_log(f->name, "END RequestId: %s", id);
    gw_log(f->name, "REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %ld ms\tMemory Size: %d MB\tMax Memory Used: %ld MB%s%s",
           id, ms, billed, f->memory_mb, mem, init, timed_out ? "\tStatus: timeout" : "");
}

static void log_report(const rt_req *req)
{
    log_end_report(req->fn, req->id, req->pid, req->ms, req->init_ms, -1, false);
}

static void rt_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)c;
    (void)toe;
    rt_req *req = *con_cls;
    if (req && req->report) log_report(req);
    if (req) { free(req->body); free(req); }
    *con_cls = NULL;
}

/* ---- worker processes --------------------------------------------------------------------- */

typedef struct reader_arg {
    worker *w;
} reader_arg;

/* Forwards the worker's output line by line, then reaps it and cleans up after it. */
static void *reader_main(void *arg)
{
    worker *w = arg;
    fnpool *fp = w->fp;
    gw_pool *p = fp->pool;
    const char *name = fp->fn->name;
    char *line = malloc(LOG_LINE_MAX + 1);
    size_t len = 0;
    char chunk[4096];
    for (;;) {
        ssize_t n = read(w->out_fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        for (ssize_t i = 0; i < n && line; i++) {
            if (chunk[i] == '\n' || len == LOG_LINE_MAX) {
                line[len] = '\0';
                gw_log(name, "%s", line);
                len = 0;
                if (chunk[i] == '\n') continue;
            }
            line[len++] = chunk[i];
        }
    }
    if (line && len > 0) { line[len] = '\0'; gw_log(name, "%s", line); }
    free(line);

    int status = 0;
    while (waitpid(w->pid, &status, 0) < 0 && errno == EINTR) {}
    pthread_mutex_lock(&p->mu);
    bool was_killed = w->state == W_DEAD;
    w->state = W_DEAD;
    w->quit = true;
    pthread_cond_broadcast(&w->cond);
    if (w->cur) { inv *v = w->cur; w->cur = NULL; finish(v, GW_INV_CRASH); }
    else if (!w->first_next_seen && fp->qhead) finish(queue_pop(fp), GW_INV_CRASH);  /* init failed */
    for (worker **pp = &fp->workers; *pp; pp = &(*pp)->next)
        if (*pp == w) { *pp = w->next; break; }
    maybe_spawn(fp);
    pthread_mutex_unlock(&p->mu);

    char how[64];
    if (WIFEXITED(status)) snprintf(how, sizeof how, "\"exitCode\":%d", WEXITSTATUS(status));
    else snprintf(how, sizeof how, "\"signal\":%d", WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    char now[32];
    gw_log_now(now);
    gw_log(NULL, "{\"time\":\"%s\",\"event\":\"worker_exit\",\"function\":\"%s\",\"pid\":%d,%s,\"invocations\":%lu,\"stoppedByGateway\":%s}",
           now, name, (int)w->pid, how, w->invocations, was_killed ? "true" : "false");
    MHD_stop_daemon(w->daemon);
    close(w->out_fd);
    pthread_cond_destroy(&w->cond);
    free(w);

    pthread_mutex_lock(&p->mu);
    if (--p->readers == 0) pthread_cond_broadcast(&p->drain_cond);
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

/* Starts the process of a STARTING worker (called by the manager without the lock held; the worker
 * cannot go away meanwhile: only its reader thread frees it, and that does not exist yet).
 * 0, or -1 when it could not be started. */
static int spawn(gw_pool *p, worker *w)
{
    fnpool *fp = w->fp;
    char **env = NULL;
    int fds[2] = {-1, -1};
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sa.sin_port = 0;
    w->daemon = MHD_start_daemon(MHD_USE_POLL_INTERNAL_THREAD, 0, NULL, NULL,
                                 rt_handler, w, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
                                 MHD_OPTION_NOTIFY_COMPLETED, rt_completed, NULL,
                                 MHD_OPTION_CONNECTION_LIMIT, (unsigned)8, MHD_OPTION_END);
    if (!w->daemon) goto fail;
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(w->daemon, MHD_DAEMON_INFO_BIND_PORT);
    if (!di || !di->port) goto fail;
    w->port = di->port;
    env = calloc(fp->n_env + 2, sizeof *env);
    if (!env) goto fail;
    memcpy(env, fp->env, fp->n_env * sizeof *env);
    char api[64];
    snprintf(api, sizeof api, "AWS_LAMBDA_RUNTIME_API=127.0.0.1:%u", (unsigned)w->port);
    env[fp->n_env] = api;
    if (pipe2(fds, O_CLOEXEC) != 0) goto fail;
    char *argv[] = {(char *)p->opts.bootstrap, NULL};
    const char *cwd = p->opts.task_root;
    w->spawn_ns = gw_mono_ns();
    pid_t pid = fork();
    if (pid < 0) goto fail;
    if (pid == 0) {            /* child: async-signal-safe calls only */
        sigset_t all;
        sigemptyset(&all);
        sigprocmask(SIG_SETMASK, &all, NULL);
        signal(SIGPIPE, SIG_DFL);
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        setpgid(0, 0);
        int devnull = open("/dev/null", O_RDONLY);
        if (devnull >= 0) dup2(devnull, 0);
        dup2(fds[1], 1);
        dup2(fds[1], 2);
        if (chdir(cwd) != 0) _exit(126);
        execve(argv[0], argv, env);
        _exit(127);
    }
    setpgid(pid, pid);         /* also done by the child: whoever runs first */
    close(fds[1]);
    free(env);
    w->out_fd = fds[0];
    w->pid = pid;
    return 0;
fail:
    if (fds[0] >= 0) close(fds[0]);
    if (fds[1] >= 0) close(fds[1]);
    free(env);
    if (w->daemon) MHD_stop_daemon(w->daemon);
    w->daemon = NULL;
    return -1;
}

static void *manager_main(void *arg)
{
    gw_pool *p = arg;
    pthread_mutex_lock(&p->mu);
    while (!p->stopping) {
        /* 1. start requested workers */
        worker *todo = NULL;
        for (size_t i = 0; i < p->n && !todo; i++)
            for (worker *w = p->fps[i].workers; w && !todo; w = w->next)
                if (!w->spawned && w->state == W_STARTING) todo = w;
        if (todo) {
            todo->spawned = true;
            pthread_mutex_unlock(&p->mu);
            int rc = spawn(p, todo);
            pthread_mutex_lock(&p->mu);
            fnpool *fp = todo->fp;
            char now[32];
            gw_log_now(now);
            if (rc == 0) {
                pthread_t t;
                fp->started++;
                p->readers++;
                if (pthread_create(&t, NULL, reader_main, todo) != 0) {
                    p->readers--;
                    kill_worker(todo->pid);   /* cannot watch it: reap it here instead */
                    waitpid(todo->pid, NULL, 0);
                    rc = -1;
                } else {
                    pthread_detach(t);
                    gw_log(NULL, "{\"time\":\"%s\",\"event\":\"worker_start\",\"function\":\"%s\",\"pid\":%d,\"runtimeApi\":\"127.0.0.1:%u\"}",
                           now, fp->fn->name, (int)todo->pid, (unsigned)todo->port);
                }
            }
            if (rc != 0) {
                gw_log(NULL, "{\"time\":\"%s\",\"event\":\"worker_start_failed\",\"function\":\"%s\",\"bootstrap\":\"%s\"}",
                       now, fp->fn->name, p->opts.bootstrap);
                for (worker **pp = &fp->workers; *pp; pp = &(*pp)->next)
                    if (*pp == todo) { *pp = todo->next; break; }
                if (todo->daemon) { pthread_mutex_unlock(&p->mu); MHD_stop_daemon(todo->daemon); pthread_mutex_lock(&p->mu); }
                pthread_cond_destroy(&todo->cond);
                free(todo);
                if (fp->qhead) finish(queue_pop(fp), GW_INV_INTERNAL);
            }
            continue;
        }
        /* 2. time out invocations nobody waits for any more (their caller's own wait ended first);
         * stop workers idle too long; find the next expiry */
        int64_t now_ns = gw_mono_ns();
        int64_t idle_ns = (int64_t)p->opts.idle_timeout_ms * 1000000;
        int64_t next = INT64_MAX;
        timeout_note late;
        bool have_late = false;
        for (size_t i = 0; i < p->n && !have_late; i++) {
            for (worker *w = p->fps[i].workers; w; w = w->next) {
                if (!w->cur || !w->cur->abandoned || w->cur->state != INV_RUNNING) continue;
                if (now_ns >= w->cur->deadline_ns) { time_out(w->cur, &late); have_late = true; break; }
                if (w->cur->deadline_ns < next) next = w->cur->deadline_ns;
            }
        }
        if (have_late) {
            pthread_mutex_unlock(&p->mu);
            timeout_log(&late);
            pthread_mutex_lock(&p->mu);
            continue;
        }
        for (size_t i = 0; i < p->n; i++) {
            for (worker *w = p->fps[i].workers; w; w = w->next) {
                if (w->state != W_IDLE) continue;
                if (now_ns - w->idle_since_ns >= idle_ns) {
                    w->state = W_DEAD;
                    w->quit = true;
                    pthread_cond_broadcast(&w->cond);
                    kill_worker(w->pid);
                } else if (w->idle_since_ns + idle_ns < next) {
                    next = w->idle_since_ns + idle_ns;
                }
            }
        }
        if (next == INT64_MAX) {
            p->mgr_waiting_untimed = true;
            pthread_cond_wait(&p->mgr_cond, &p->mu);
            p->mgr_waiting_untimed = false;
        } else {
            struct timespec ts;
            abs_deadline(next, &ts);
            pthread_cond_timedwait(&p->mgr_cond, &p->mu, &ts);
        }
    }
    pthread_mutex_unlock(&p->mu);
    return NULL;
}

/* ---- public ------------------------------------------------------------------------------- */

gw_pool *gw_pool_start(const gw_config *cfg, const gw_pool_options *opts, char *err, size_t errlen)
{
    gw_pool *p = calloc(1, sizeof *p);
    if (!p) { snprintf(err, errlen, "out of memory"); return NULL; }
    p->cfg = cfg;
    p->opts = *opts;
    if (p->opts.concurrency < 1) p->opts.concurrency = 1;
    if (p->opts.idle_timeout_ms < 1) p->opts.idle_timeout_ms = 1;
    pthread_mutex_init(&p->mu, NULL);
    pthread_condattr_init(&p->cattr);
    pthread_condattr_setclock(&p->cattr, CLOCK_MONOTONIC);
    pthread_cond_init(&p->mgr_cond, &p->cattr);
    pthread_cond_init(&p->drain_cond, &p->cattr);
    p->n = cfg->n_functions;
    p->fps = calloc(p->n ? p->n : 1, sizeof *p->fps);
    if (!p->fps) { snprintf(err, errlen, "out of memory"); goto fail; }
    for (size_t i = 0; i < p->n; i++) {
        p->fps[i].pool = p;
        p->fps[i].fn = &cfg->functions[i];
        p->fps[i].timeout_s = opts->timeout_s > 0 ? opts->timeout_s : cfg->functions[i].timeout_s;
        if (build_env(p, &p->fps[i]) != 0) { snprintf(err, errlen, "out of memory"); goto fail; }
    }
    if (pthread_create(&p->manager, NULL, manager_main, p) != 0) {
        snprintf(err, errlen, "cannot start the pool manager thread");
        goto fail;
    }
    return p;
fail:
    for (size_t i = 0; p->fps && i < p->n; i++) {
        for (size_t k = 0; k < p->fps[i].n_env; k++) free(p->fps[i].env[k]);
        free(p->fps[i].env);
    }
    free(p->fps);
    free(p);
    return NULL;
}

void gw_pool_invoke(gw_pool *p, size_t fn, const char *event, size_t len, int wait_ms, gw_invocation_out *out)
{
    memset(out, 0, sizeof *out);
    if (fn >= p->n) { out->result = GW_INV_INTERNAL; return; }
    fnpool *fp = &p->fps[fn];
    /* On the heap: if the caller stops waiting, the invocation lives on (see finish). */
    inv *v = calloc(1, sizeof *v);
    if (!v) { out->result = GW_INV_INTERNAL; return; }
    new_request_id(v->id);
    v->event = event;
    v->event_len = len;
    v->state = INV_QUEUED;
    pthread_cond_init(&v->cond, &p->cattr);
    int64_t give_up_ns = gw_mono_ns() + (int64_t)(wait_ms > 0 ? wait_ms : 1) * 1000000;

    pthread_mutex_lock(&p->mu);
    if (p->stopping) {
        finish(v, GW_INV_INTERNAL);
    } else {
        worker *idle = NULL;   /* the most recently idle one: the others may then time out */
        for (worker *w = fp->workers; w; w = w->next)
            if (w->state == W_IDLE && !w->cur && (!idle || w->idle_since_ns > idle->idle_since_ns)) idle = w;
        if (idle) {
            assign(idle, v);
            pthread_cond_signal(&idle->cond);
        } else {
            if (fp->qtail) fp->qtail->next = v;
            else fp->qhead = v;
            fp->qtail = v;
            fp->qlen++;
            maybe_spawn(fp);
        }
    }
    struct timespec ts;
    int64_t queue_end = gw_mono_ns() + (int64_t)p->opts.queue_timeout_ms * 1000000;
    abs_deadline(queue_end < give_up_ns ? queue_end : give_up_ns, &ts);
    while (v->state == INV_QUEUED) {
        if (pthread_cond_timedwait(&v->cond, &p->mu, &ts) == ETIMEDOUT && v->state == INV_QUEUED) {
            queue_remove(fp, v);
            finish(v, queue_end < give_up_ns ? GW_INV_THROTTLED : GW_INV_NO_ANSWER);
        }
    }
    timeout_note note;
    bool timed_out = false;
    while (v->state == INV_RUNNING) {
        bool function_first = v->deadline_ns <= give_up_ns;
        abs_deadline(function_first ? v->deadline_ns : give_up_ns, &ts);
        if (pthread_cond_timedwait(&v->cond, &p->mu, &ts) != ETIMEDOUT || v->state != INV_RUNNING) continue;
        if (function_first) {
            time_out(v, &note);
            timed_out = true;
        } else {
            /* The caller's wait ends before the function's timeout: it runs on (the manager enforces
             * its timeout) and its answer, if any, is dropped. */
            char *copy = malloc(v->event_len + 1);
            if (copy) {
                memcpy(copy, v->event, v->event_len);
                copy[v->event_len] = '\0';
            }
            if (!copy) {       /* cannot keep it: stop it like a timeout */
                time_out(v, &note);
                timed_out = true;
                break;
            }
            out->result = GW_INV_NO_ANSWER;
            out->pid = v->pid;
            memcpy(out->request_id, v->id, sizeof out->request_id);
            v->event = copy;
            v->abandoned = true;
            pthread_cond_signal(&p->mgr_cond);
            pthread_mutex_unlock(&p->mu);
            return;
        }
    }
    pthread_mutex_unlock(&p->mu);
    if (timed_out) timeout_log(&note);
    pthread_cond_destroy(&v->cond);
    out->result = v->result;
    out->payload = v->payload;
    out->payload_len = v->payload_len;
    out->pid = v->pid;
    memcpy(out->request_id, v->id, sizeof out->request_id);
    free(v);
}

cJSON *gw_pool_status(gw_pool *p)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *fns = root ? cJSON_AddObjectToObject(root, "functions") : NULL;
    if (!fns) { cJSON_Delete(root); return NULL; }
    pthread_mutex_lock(&p->mu);
    bool ok = true;
    for (size_t i = 0; i < p->n && ok; i++) {
        fnpool *fp = &p->fps[i];
        cJSON *f = cJSON_AddObjectToObject(fns, fp->fn->name);
        cJSON *ws = f ? cJSON_AddArrayToObject(f, "workers") : NULL;
        ok = ws && cJSON_AddNumberToObject(f, "queued", fp->qlen) && cJSON_AddNumberToObject(f, "started", (double)fp->started);
        for (worker *w = fp->workers; w && ok; w = w->next) {
            cJSON *o = cJSON_CreateObject();
            ok = o && cJSON_AddNumberToObject(o, "pid", w->pid) &&
                 cJSON_AddStringToObject(o, "state", w_state_name[w->state]) &&
                 cJSON_AddNumberToObject(o, "invocations", (double)w->invocations);
            if (o) cJSON_AddItemToArray(ws, o);
        }
    }
    pthread_mutex_unlock(&p->mu);
    if (!ok) { cJSON_Delete(root); return NULL; }
    return root;
}

void gw_pool_stop(gw_pool *p)
{
    if (!p) return;
    pthread_mutex_lock(&p->mu);
    if (p->stopping) { pthread_mutex_unlock(&p->mu); return; }
    p->stopping = true;
    pthread_cond_broadcast(&p->mgr_cond);
    pthread_mutex_unlock(&p->mu);
    pthread_join(p->manager, NULL);
    pthread_mutex_lock(&p->mu);
    for (size_t i = 0; i < p->n; i++) {
        fnpool *fp = &p->fps[i];
        inv *v;
        while ((v = queue_pop(fp)) != NULL) finish(v, GW_INV_INTERNAL);
        for (worker **pp = &fp->workers; *pp;) {
            worker *w = *pp;
            if (!w->spawned) {           /* never started: nobody else knows it */
                *pp = w->next;
                pthread_cond_destroy(&w->cond);
                free(w);
                continue;
            }
            w->quit = true;
            if (w->state != W_DEAD) { w->state = W_DEAD; kill_worker(w->pid); }
            pthread_cond_broadcast(&w->cond);
            pp = &w->next;
        }
    }
    /* Callers still waiting get their answers as the readers reap the workers. */
    while (p->readers > 0) pthread_cond_wait(&p->drain_cond, &p->mu);
    pthread_mutex_unlock(&p->mu);
}

void gw_pool_free(gw_pool *p)
{
    if (!p) return;
    gw_pool_stop(p);
    for (size_t i = 0; i < p->n; i++) {
        for (size_t k = 0; k < p->fps[i].n_env; k++) free(p->fps[i].env[k]);
        free(p->fps[i].env);
    }
    free(p->fps);
    pthread_cond_destroy(&p->mgr_cond);
    pthread_cond_destroy(&p->drain_cond);
    pthread_condattr_destroy(&p->cattr);
    pthread_mutex_destroy(&p->mu);
    free(p);
}
