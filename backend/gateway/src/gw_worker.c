/* Worker processes of the local gateway's Lambda service: the environment Lambda gives a function,
 * fork/exec of `bootstrap` in its own process group (dying with the gateway), the reader thread that
 * forwards its output to the log and reaps it, and Lambda's END/REPORT lines. See gw_pool.h; the
 * scheduling is gw_pool.c's (locking: gw_pool_internal.h). */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "gw_log.h"
#include "gw_pool_internal.h"

#define GW_WORKER_LINE_MAX 8192   /* a longer line of a worker's output is logged in pieces of this size */

void gw_worker_kill(pid_t pid)
{
    if (pid <= 0) return;
    if (kill(-pid, SIGKILL) != 0) kill(pid, SIGKILL);
}

long gw_worker_max_rss_mb(pid_t pid)
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

int gw_worker_build_env(gw_pool *p, fnpool *fp)
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
    gw_new_request_id(rid);
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
    rc |= env_push(&fp->env, &fp->n_env, "AWS_ACCESS_KEY_ID", GW_DDB_ACCESS_KEY_ID);
    rc |= env_push(&fp->env, &fp->n_env, "AWS_SECRET_ACCESS_KEY", GW_DDB_SECRET_ACCESS_KEY);
    rc |= env_push(&fp->env, &fp->n_env, "AWS_SESSION_TOKEN", GW_DDB_SESSION_TOKEN);
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

void gw_worker_log_end_report(const gw_function *f, const char *id, pid_t pid, double ms, double init_ms, long mem_mb,
                              bool timed_out)
{
    long billed = (long)ms + 1;
    long mem = mem_mb >= 0 ? mem_mb : gw_worker_max_rss_mb(pid);
    char init[64] = "";
    if (init_ms >= 0) snprintf(init, sizeof init, "\tInit Duration: %.2f ms", init_ms);
    gw_log(f->name, "END RequestId: %s", id);
    gw_log(f->name, "REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %ld ms\tMemory Size: %d MB\tMax Memory Used: %ld MB%s%s",
           id, ms, billed, f->memory_mb, mem, init, timed_out ? "\tStatus: timeout" : "");
}

void *gw_worker_reader_main(void *arg)
{
    worker *w = arg;
    fnpool *fp = w->fp;
    gw_pool *p = fp->pool;
    const char *name = fp->fn->name;
    char *line = malloc(GW_WORKER_LINE_MAX + 1);
    size_t len = 0;
    char chunk[4096];
    for (;;) {
        ssize_t n = read(w->out_fd, chunk, sizeof chunk);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        for (ssize_t i = 0; i < n && line; i++) {
            if (chunk[i] == '\n' || len == GW_WORKER_LINE_MAX) {
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
    bool was_killed;
    gw_pool_worker_gone(w, &was_killed);

    char how[64];
    if (WIFEXITED(status)) snprintf(how, sizeof how, "\"exitCode\":%d", WEXITSTATUS(status));
    else snprintf(how, sizeof how, "\"signal\":%d", WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    char now[32];
    gw_log_now(now);
    gw_log(NULL, "{\"time\":\"%s\",\"event\":\"worker_exit\",\"function\":\"%s\",\"pid\":%d,%s,\"invocations\":%lu,\"stoppedByGateway\":%s}",
           now, name, (int)w->pid, how, w->invocations, was_killed ? "true" : "false");
    gw_runtime_api_stop(w);
    close(w->out_fd);
    pthread_cond_destroy(&w->cond);
    free(w);

    gw_pool_reader_done(p);
    return NULL;
}

int gw_worker_spawn(gw_pool *p, worker *w)
{
    fnpool *fp = w->fp;
    char **env = NULL;
    int fds[2] = {-1, -1};
    if (gw_runtime_api_start(w) != 0) goto fail;
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
    gw_runtime_api_stop(w);
    return -1;
}
