#ifndef GW_POOL_INTERNAL_H
#define GW_POOL_INTERNAL_H
/* Private to the Lambda service of the local gateway (gw_pool.h), shared by its three files:
 *   gw_pool.c         the scheduler: per-function pools, the queue, concurrency, timeouts, the manager thread
 *   gw_runtime_api.c  the Runtime API server each worker talks to (one libmicrohttpd daemon per worker)
 *   gw_worker.c       worker processes: environment, fork/exec, reading their output, reaping them
 * Locking: one mutex (gw_pool.mu) guards every worker, queue and invocation field. Each invocation has
 * its own condition variable (its waiting API thread sleeps on it), each worker one (its /next
 * handler sleeps on it), the manager thread one. Nothing sleeps with a timer except on a deadline. */
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "gw_pool.h"

struct MHD_Daemon;

enum inv_state { INV_QUEUED, INV_RUNNING, INV_DONE };
enum w_state { W_STARTING, W_IDLE, W_BUSY, W_AFTER, W_DEAD };

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

/* ---- the scheduler (gw_pool.c); the functions named "locked" need gw_pool.mu held ---- */

/* Ends invocation v with result r: wakes its caller, or frees it when nobody waits any more. Locked. */
void gw_pool_finish(inv *v, gw_inv_result r);
/* Takes the oldest queued invocation of fp, NULL when none. Locked. */
inv *gw_pool_queue_pop(fnpool *fp);
/* Gives invocation v to worker w (which becomes busy) and starts the function timeout. Locked. */
void gw_pool_assign(worker *w, inv *v);
/* The worker's process has ended and was reaped: fails what it held, unlinks it and starts a
 * replacement when invocations wait. Takes the lock itself; w is then the caller's to free. */
void gw_pool_worker_gone(worker *w, bool *was_killed);
/* The reader thread of a worker is about to end (gw_pool_stop waits for all of them). */
void gw_pool_reader_done(gw_pool *p);
/* A new Lambda request id (a random UUID, 37 bytes with the NUL). */
void gw_new_request_id(char *out);

/* ---- the Runtime API server (gw_runtime_api.c) ---- */

/* Starts w's Runtime API daemon on 127.0.0.1:<ephemeral port> (w->daemon, w->port). 0 or -1. */
int gw_runtime_api_start(worker *w);
void gw_runtime_api_stop(worker *w);   /* stops w->daemon, if any; without the lock held */

/* ---- worker processes (gw_worker.c) ---- */

/* Builds fp->env, the static part of its workers' environment (what Lambda sets). 0 or -1 (OOM). */
int gw_worker_build_env(gw_pool *p, fnpool *fp);
/* Starts the process of a STARTING worker with its Runtime API (without the lock held; the worker
 * cannot go away meanwhile: only its reader thread frees it, and that does not exist yet). 0 or -1. */
int gw_worker_spawn(gw_pool *p, worker *w);
/* The reader thread of a started worker (arg: worker *): forwards its output line by line, then reaps
 * it, reports it gone (gw_pool_worker_gone) and frees it. */
void *gw_worker_reader_main(void *arg);
/* Kills a worker with everything it started (it leads its own process group). */
void gw_worker_kill(pid_t pid);
/* The peak RSS (VmHWM) of a live process in MiB, 0 when unknown. */
long gw_worker_max_rss_mb(pid_t pid);
/* Lambda's END and REPORT lines of one invocation; mem_mb < 0: read the worker's peak RSS now. A
 * timed-out invocation ends with "\tStatus: timeout" as on Lambda. */
void gw_worker_log_end_report(const gw_function *f, const char *id, pid_t pid, double ms, double init_ms, long mem_mb,
                              bool timed_out);

#endif
