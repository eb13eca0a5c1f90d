/* The scheduler of the local gateway's Lambda service: per-function pools of workers, the FIFO queue,
 * concurrency, function timeouts and idle workers (the manager thread). See gw_pool.h; the Runtime API
 * server is gw_runtime_api.c's, the worker processes gw_worker.c's (locking: gw_pool_internal.h). */
#include "gw_pool.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <uuid/uuid.h>

#include "gw_log.h"
#include "gw_pool_internal.h"

static const char *const w_state_name[] = {"starting", "idle", "busy", "busy", "stopping"};

static void abs_deadline(int64_t mono_ns, struct timespec *ts)
{
    ts->tv_sec = (time_t)(mono_ns / 1000000000);
    ts->tv_nsec = (long)(mono_ns % 1000000000);
}

void gw_new_request_id(char *out)
{
    uuid_t u;
    uuid_generate_random(u);
    uuid_unparse_lower(u, out);
}

/* ---- queue and assignment (pool->mu held) --------------------------------------------------- */

void gw_pool_assign(worker *w, inv *v)
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

inv *gw_pool_queue_pop(fnpool *fp)
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

void gw_pool_finish(inv *v, gw_inv_result r)
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
    note->mem_mb = gw_worker_max_rss_mb(w->pid);       /* before the kill: a dead process has no VmHWM */
    w->init_reported = true;
    w->cur = NULL;
    w->state = W_DEAD;
    w->quit = true;
    gw_worker_kill(w->pid);
    gw_pool_finish(v, GW_INV_TIMEOUT);
}

/* Lambda's lines for a timeout: "<time> <id> Task timed out after N.00 seconds", END, REPORT ... Status: timeout. */
static void timeout_log(const timeout_note *n)
{
    char now[32];
    gw_log_now(now);
    gw_log(n->fn->name, "%s %s Task timed out after %d.00 seconds", now, n->id, n->timeout_s);
    gw_worker_log_end_report(n->fn, n->id, n->pid, n->ms, n->init_ms, n->mem_mb, true);
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

/* ---- a worker's end (called from its reader thread, gw_worker.c) --------------------------- */

void gw_pool_worker_gone(worker *w, bool *was_killed)
{
    fnpool *fp = w->fp;
    gw_pool *p = fp->pool;
    pthread_mutex_lock(&p->mu);
    *was_killed = w->state == W_DEAD;
    w->state = W_DEAD;
    w->quit = true;
    pthread_cond_broadcast(&w->cond);
    if (w->cur) { inv *v = w->cur; w->cur = NULL; gw_pool_finish(v, GW_INV_CRASH); }
    else if (!w->first_next_seen && fp->qhead) gw_pool_finish(gw_pool_queue_pop(fp), GW_INV_CRASH);  /* init failed */
    for (worker **pp = &fp->workers; *pp; pp = &(*pp)->next)
        if (*pp == w) { *pp = w->next; break; }
    maybe_spawn(fp);
    pthread_mutex_unlock(&p->mu);
}

void gw_pool_reader_done(gw_pool *p)
{
    pthread_mutex_lock(&p->mu);
    if (--p->readers == 0) pthread_cond_broadcast(&p->drain_cond);
    pthread_mutex_unlock(&p->mu);
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
            int rc = gw_worker_spawn(p, todo);
            pthread_mutex_lock(&p->mu);
            fnpool *fp = todo->fp;
            char now[32];
            gw_log_now(now);
            if (rc == 0) {
                pthread_t t;
                fp->started++;
                p->readers++;
                if (pthread_create(&t, NULL, gw_worker_reader_main, todo) != 0) {
                    p->readers--;
                    gw_worker_kill(todo->pid);   /* cannot watch it: reap it here instead */
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
                if (todo->daemon) { pthread_mutex_unlock(&p->mu); gw_runtime_api_stop(todo); pthread_mutex_lock(&p->mu); }
                pthread_cond_destroy(&todo->cond);
                free(todo);
                if (fp->qhead) gw_pool_finish(gw_pool_queue_pop(fp), GW_INV_INTERNAL);
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
                    gw_worker_kill(w->pid);
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
        if (gw_worker_build_env(p, &p->fps[i]) != 0) { snprintf(err, errlen, "out of memory"); goto fail; }
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
    gw_new_request_id(v->id);
    v->event = event;
    v->event_len = len;
    v->state = INV_QUEUED;
    pthread_cond_init(&v->cond, &p->cattr);
    int64_t give_up_ns = gw_mono_ns() + (int64_t)(wait_ms > 0 ? wait_ms : 1) * 1000000;

    pthread_mutex_lock(&p->mu);
    if (p->stopping) {
        gw_pool_finish(v, GW_INV_INTERNAL);
    } else {
        worker *idle = NULL;   /* the most recently idle one: the others may then time out */
        for (worker *w = fp->workers; w; w = w->next)
            if (w->state == W_IDLE && !w->cur && (!idle || w->idle_since_ns > idle->idle_since_ns)) idle = w;
        if (idle) {
            gw_pool_assign(idle, v);
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
            gw_pool_finish(v, queue_end < give_up_ns ? GW_INV_THROTTLED : GW_INV_NO_ANSWER);
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
        while ((v = gw_pool_queue_pop(fp)) != NULL) gw_pool_finish(v, GW_INV_INTERNAL);
        for (worker **pp = &fp->workers; *pp;) {
            worker *w = *pp;
            if (!w->spawned) {           /* never started: nobody else knows it */
                *pp = w->next;
                pthread_cond_destroy(&w->cond);
                free(w);
                continue;
            }
            w->quit = true;
            if (w->state != W_DEAD) { w->state = W_DEAD; gw_worker_kill(w->pid); }
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
