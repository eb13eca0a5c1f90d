/* rtstub: a minimal Lambda Runtime API that starts a bootstrap, feeds it events and times it.
 *
 *   rtstub [-p PORT] [-r RUNS] [-n INVOCATIONS] [-t TIMEOUT_S] [-g] [-j] -e EVENT.json [-e ...] -- CMD [ARGS...]
 *     -p PORT   listen on 127.0.0.1:PORT (default 9601); CMD gets AWS_LAMBDA_RUNTIME_API=127.0.0.1:PORT
 *     -r RUNS   start CMD this many times, one after the other (cold starts; default 1)
 *     -n N      invocations per run (default 1); events are served round-robin from the -e files
 *     -t S      give up on a run when CMD has not answered for S seconds (default 30)
 *     -g        end each run with SIGTERM and wait for CMD to exit (e.g. valgrind, to get its report);
 *               default SIGKILL
 *     -j        print the summary as one JSON object
 *     -o FILE   append CMD's stdout and stderr to FILE (default: /dev/null)
 *
 * Per run it measures: ready = fork() of CMD -> its first GET /next (init done); cold start = fork() of
 * CMD -> first /response fully received; CPU of CMD over the whole run (wait4's user+sys); peak RSS (wait4's
 * ru_maxrss of CMD); CPU time of the warm invocations (invocations 2..N: /proc/PID/stat utime+stime and
 * /proc/PID/task/N/schedstat on-CPU ns, taken when invocation 2 is handed out and after the last answer);
 * per-invocation latency (event handed out -> response received); the statusCode of each response.
 * Exit status 0 when every invocation of every run was answered with /response and no /init/error came.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_EVENTS 64
#define MAX_CONNS 8
#define REQ_MAX (8 * 1024 * 1024)

typedef struct conn {
    int fd;
    char *buf;
    size_t len, cap;
    bool sent_continue;
} conn;

typedef struct run_result {
    double ready_ms;            /* fork -> first GET /next */
    double cold_ms;             /* fork -> first response */
    long maxrss_kb;
    double cpu_total_ms;        /* user+sys of CMD over the whole run (wait4's rusage) */
    double cpu_ticks_us;        /* warm invocations, from /proc/PID/stat */
    double cpu_sched_us;        /* warm invocations, from schedstat */
    long answered, errors, init_errors;
    bool timed_out;
    int exit_status;
} run_result;

typedef struct cfg {
    int port, runs, timeout_s;
    long per_run;
    bool graceful, json;
    char *events[MAX_EVENTS];
    size_t event_len[MAX_EVENTS];
    int nevents;
    char **cmd;
    const char *child_out;
} cfg;

static double *lat_ms;          /* every invocation latency, all runs */
static size_t nlat;
static long statuses[600];

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t epoch_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
    size_t cap = 0, n = 0;
    for (;;) {
        if (n + 4096 > cap) {
            char *nb = realloc(buf, cap = cap * 2 + 8192);
            if (!nb) {
                free(buf);
                fclose(f);
                return NULL;
            }
            buf = nb;
        }
        size_t r = fread(buf + n, 1, cap - n - 1, f);
        n += r;
        if (r == 0)
            break;
    }
    fclose(f);
    buf[n] = '\0';
    *len = n;
    return buf;
}

/* user+sys of pid in microseconds from /proc/PID/stat (clock-tick resolution); -1 when unreadable. */
static double proc_cpu_us(pid_t pid)
{
    char path[64], buf[2048];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *p = strrchr(buf, ')');
    if (!p)
        return -1;
    unsigned long ut = 0, st = 0;
    /* after ") ": state(3) ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime(14) stime(15) */
    if (sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %lu %lu", &ut, &st) != 2)
        return -1;
    return (double)(ut + st) * 1e6 / (double)sysconf(_SC_CLK_TCK);
}

/* Sum of on-CPU nanoseconds of pid's live threads (schedstat), in microseconds; -1 when unreadable. */
static double proc_sched_us(pid_t pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
    DIR *d = opendir(path);
    if (!d)
        return -1;
    double total = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        char p2[128];
        snprintf(p2, sizeof p2, "/proc/%d/task/%.20s/schedstat", (int)pid, e->d_name);
        FILE *f = fopen(p2, "r");
        if (!f)
            continue;
        unsigned long long ns = 0;
        if (fscanf(f, "%llu", &ns) == 1)
            total += (double)ns / 1000.0;
        fclose(f);
    }
    closedir(d);
    return total;
}

static int send_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static int reply(int fd, int status, const char *extra_headers, const char *body, size_t body_len)
{
    char head[1024];
    int n = snprintf(head, sizeof head,
                     "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n%s\r\n", status,
                     status == 200 ? "OK" : status == 202 ? "Accepted" : "Error", body_len,
                     extra_headers ? extra_headers : "");
    if (send_all(fd, head, (size_t)n) != 0)
        return -1;
    return body_len ? send_all(fd, body, body_len) : 0;
}

/* Finds header `name` in the header block [h, end): copies its value into out. Returns 1 if found. */
static int header_value(const char *h, const char *end, const char *name, char *out, size_t cap)
{
    size_t nl = strlen(name);
    for (const char *line = h; line < end;) {
        const char *eol = memmem(line, (size_t)(end - line), "\r\n", 2);
        if (!eol)
            eol = end;
        if ((size_t)(eol - line) > nl && strncasecmp(line, name, nl) == 0 && line[nl] == ':') {
            const char *v = line + nl + 1;
            while (v < eol && (*v == ' ' || *v == '\t'))
                v++;
            size_t vl = (size_t)(eol - v);
            if (vl >= cap)
                vl = cap - 1;
            memcpy(out, v, vl);
            out[vl] = '\0';
            return 1;
        }
        line = eol + 2;
    }
    return 0;
}

/* Decodes a chunked body starting at p (n bytes available). Returns the bytes consumed when complete
 * (body copied to out / *outlen, out may be NULL), 0 when more data is needed, -1 when malformed. */
static long dechunk(const char *p, size_t n, char *out, size_t *outlen)
{
    size_t i = 0, o = 0;
    for (;;) {
        const char *eol = memmem(p + i, n - i, "\r\n", 2);
        if (!eol)
            return 0;
        char *end;
        unsigned long sz = strtoul(p + i, &end, 16);
        if (end == p + i)
            return -1;
        i = (size_t)(eol - p) + 2;
        if (sz == 0) {
            const char *fin = memmem(p + i, n - i, "\r\n", 2); /* no trailers expected */
            if (!fin)
                return 0;
            *outlen = o;
            return (long)((size_t)(fin - p) + 2);
        }
        if (n - i < sz + 2)
            return 0;
        if (out)
            memcpy(out + o, p + i, sz);
        o += sz;
        i += sz + 2;
    }
}

typedef struct run_state {
    const cfg *c;
    pid_t pid;
    long served, answered;
    double t_fork, t_first, t_handed;
    double cpu0, sched0, cpu1, sched1;
    run_result *res;
    bool done;
} run_state;

/* Handles one complete request. Returns 0, or -1 to drop the connection. */
static int handle(run_state *rs, int fd, const char *method, const char *path, const char *body, size_t body_len)
{
    const cfg *c = rs->c;
    if (strcmp(method, "GET") == 0 && strcmp(path, "/2018-06-01/runtime/invocation/next") == 0) {
        if (rs->served == 0 && rs->res->ready_ms == 0)
            rs->res->ready_ms = (now_s() - rs->t_fork) * 1000.0;
        if (rs->served == c->per_run) {
            rs->done = true;    /* park it: the run is over */
            return 0;
        }
        if (rs->served == 1) {
            rs->cpu0 = proc_cpu_us(rs->pid);
            rs->sched0 = proc_sched_us(rs->pid);
        }
        const char *ev = c->events[rs->served % c->nevents];
        size_t evl = c->event_len[rs->served % c->nevents];
        char hdr[512];
        snprintf(hdr, sizeof hdr,
                 "Lambda-Runtime-Aws-Request-Id: rtstub-%ld\r\n"
                 "Lambda-Runtime-Deadline-Ms: %" PRIu64 "\r\n"
                 "Lambda-Runtime-Invoked-Function-Arn: arn:aws:lambda:us-east-1:000000000000:function:rtstub\r\n"
                 "Lambda-Runtime-Trace-Id: Root=1-00000000-000000000000000000000000;Sampled=0\r\n",
                 rs->served, epoch_ms() + 30000u);
        rs->served++;
        rs->t_handed = now_s();
        return reply(fd, 200, hdr, ev, evl);
    }
    if (strcmp(method, "POST") == 0 && strncmp(path, "/2018-06-01/runtime/invocation/", 31) == 0) {
        double t = now_s();
        bool ok = strstr(path, "/response") != NULL;
        if (ok) {
            if (rs->answered == 0) {
                rs->t_first = t;
                rs->res->cold_ms = (t - rs->t_fork) * 1000.0;
            }
            const char *sc = memmem(body, body_len, "\"statusCode\"", 12);
            if (sc) {
                int code = atoi(sc + 12 + strspn(sc + 12, ": \t"));
                if (code > 0 && code < 600)
                    statuses[code]++;
            }
        } else {
            rs->res->errors++;
        }
        lat_ms[nlat++] = (t - rs->t_handed) * 1000.0;
        rs->answered++;
        if (rs->answered == c->per_run) {
            rs->cpu1 = proc_cpu_us(rs->pid);
            rs->sched1 = proc_sched_us(rs->pid);
        }
        return reply(fd, 202, NULL, "{\"status\":\"OK\"}", 15);
    }
    if (strcmp(method, "POST") == 0 && strcmp(path, "/2018-06-01/runtime/init/error") == 0) {
        rs->res->init_errors++;
        fprintf(stderr, "rtstub: init error: %.*s\n", (int)(body_len > 500 ? 500 : body_len), body);
        rs->done = true;
        return reply(fd, 202, NULL, "{\"status\":\"OK\"}", 15);
    }
    reply(fd, 404, NULL, "{\"message\":\"unknown\"}", 21);
    return 0;
}

/* Consumes complete requests from conn. Returns 0, or -1 to drop it. */
static int process(run_state *rs, conn *k)
{
    for (;;) {
        char *hend = memmem(k->buf, k->len, "\r\n\r\n", 4);
        if (!hend)
            return k->len > 65536 ? -1 : 0;
        size_t hlen = (size_t)(hend - k->buf) + 4;
        char method[16], path[512];
        if (sscanf(k->buf, "%15s %511s", method, path) != 2)
            return -1;
        char v[64];
        const char *hstart = memchr(k->buf, '\n', hlen);
        hstart = hstart ? hstart + 1 : hend;
        if (!k->sent_continue && header_value(hstart, hend, "Expect", v, sizeof v) &&
            strcasecmp(v, "100-continue") == 0) {
            if (send_all(k->fd, "HTTP/1.1 100 Continue\r\n\r\n", 25) != 0)
                return -1;
            k->sent_continue = true;
        }
        size_t total;
        char *body = NULL;
        size_t body_len = 0;
        if (header_value(hstart, hend, "Transfer-Encoding", v, sizeof v) && strcasecmp(v, "chunked") == 0) {
            long used = dechunk(k->buf + hlen, k->len - hlen, NULL, &body_len);
            if (used < 0)
                return -1;
            if (used == 0)
                return 0;
            body = malloc(body_len + 1);
            if (!body)
                return -1;
            dechunk(k->buf + hlen, k->len - hlen, body, &body_len);
            body[body_len] = '\0';
            total = hlen + (size_t)used;
        } else {
            size_t cl = header_value(hstart, hend, "Content-Length", v, sizeof v) ? strtoul(v, NULL, 10) : 0;
            if (cl > REQ_MAX)
                return -1;
            if (k->len - hlen < cl)
                return 0;
            body = malloc(cl + 1);
            if (!body)
                return -1;
            memcpy(body, k->buf + hlen, cl);
            body[cl] = '\0';
            body_len = cl;
            total = hlen + cl;
        }
        int r = handle(rs, k->fd, method, path, body, body_len);
        free(body);
        memmove(k->buf, k->buf + total, k->len - total);
        k->len -= total;
        k->sent_continue = false;
        if (r != 0)
            return -1;
    }
}

static void conn_close(conn *k)
{
    if (k->fd >= 0)
        close(k->fd);
    free(k->buf);
    *k = (conn){.fd = -1};
}

static int run_once(const cfg *c, int ls, run_result *res)
{
    conn conns[MAX_CONNS];
    for (int i = 0; i < MAX_CONNS; i++)
        conns[i] = (conn){.fd = -1};
    run_state rs = {.c = c, .res = res};
    memset(res, 0, sizeof *res);
    char api[64];
    snprintf(api, sizeof api, "127.0.0.1:%d", c->port);

    /* A connection the previous run's CMD opened just before it was killed may still wait in the
     * backlog: drop it, or its GET /next would be taken for this run's. */
    for (;;) {
        struct pollfd lp = {.fd = ls, .events = POLLIN};
        if (poll(&lp, 1, 0) != 1)
            break;
        int stale = accept4(ls, NULL, NULL, SOCK_CLOEXEC);
        if (stale < 0)
            break;
        close(stale);
    }
    rs.t_fork = now_s();
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        close(ls);
        int fd = open(c->child_out ? c->child_out : "/dev/null", O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
            close(fd);
        }
        setenv("AWS_LAMBDA_RUNTIME_API", api, 1);
        execvp(c->cmd[0], c->cmd);
        fprintf(stderr, "rtstub: exec %s: %s\n", c->cmd[0], strerror(errno));
        _exit(127);
    }
    rs.pid = pid;
    double last_progress = now_s();
    int status = 0;
    bool exited = false;
    while (!rs.done) {
        struct pollfd pf[MAX_CONNS + 1];
        int map[MAX_CONNS + 1], n = 0;
        pf[n] = (struct pollfd){.fd = ls, .events = POLLIN};
        map[n++] = -1;
        for (int i = 0; i < MAX_CONNS; i++)
            if (conns[i].fd >= 0) {
                pf[n] = (struct pollfd){.fd = conns[i].fd, .events = POLLIN};
                map[n++] = i;
            }
        int pr = poll(pf, (nfds_t)n, 100);
        if (pr < 0 && errno != EINTR)
            break;
        if (!exited && waitpid(pid, &status, WNOHANG) == pid) {
            exited = true;
            fprintf(stderr, "rtstub: the command exited early (status %d)\n", status);
            break;
        }
        if (now_s() - last_progress > c->timeout_s) {
            res->timed_out = true;
            fprintf(stderr, "rtstub: no progress for %d s\n", c->timeout_s);
            break;
        }
        for (int j = 0; j < n && pr > 0; j++) {
            if (!(pf[j].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            if (map[j] < 0) {
                int fd = accept4(ls, NULL, NULL, SOCK_CLOEXEC);
                if (fd < 0)
                    continue;
                int one = 1;
                setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                int i;
                for (i = 0; i < MAX_CONNS && conns[i].fd >= 0; i++) {
                }
                if (i == MAX_CONNS) {
                    close(fd);
                    continue;
                }
                conns[i].fd = fd;
                continue;
            }
            conn *k = &conns[map[j]];
            if (k->cap - k->len < 65536) {
                size_t ncap = k->cap ? k->cap * 2 : 131072;
                if (ncap > REQ_MAX + 131072) {
                    conn_close(k);
                    continue;
                }
                char *nb = realloc(k->buf, ncap);
                if (!nb) {
                    conn_close(k);
                    continue;
                }
                k->buf = nb;
                k->cap = ncap;
            }
            ssize_t r = recv(k->fd, k->buf + k->len, k->cap - k->len, 0);
            if (r <= 0) {
                conn_close(k);
                continue;
            }
            k->len += (size_t)r;
            long before = rs.answered + rs.served;
            if (process(&rs, k) != 0)
                conn_close(k);
            if (rs.answered + rs.served != before)
                last_progress = now_s();
        }
    }
    res->answered = rs.answered;
    if (rs.answered == c->per_run && c->per_run > 1) {
        res->cpu_ticks_us = rs.cpu1 - rs.cpu0;
        res->cpu_sched_us = rs.sched1 - rs.sched0;
    }
    struct rusage ru = {0};
    if (!exited) {
        kill(pid, c->graceful ? SIGTERM : SIGKILL);
        double t_kill = now_s();
        for (;;) {
            pid_t w = wait4(pid, &status, WNOHANG, &ru);
            if (w == pid)
                break;
            if (now_s() - t_kill > (c->graceful ? 120 : 10)) {
                kill(pid, SIGKILL);
                wait4(pid, &status, 0, &ru);
                break;
            }
            /* keep the parked /next connections drained while valgrind writes its report */
            usleep(10000);
        }
    } else {
        getrusage(RUSAGE_CHILDREN, &ru); /* approximate: the child is gone already */
    }
    res->maxrss_kb = ru.ru_maxrss;
    res->cpu_total_ms = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000.0 +
                        (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000.0;
    res->exit_status = status;
    for (int i = 0; i < MAX_CONNS; i++)
        conn_close(&conns[i]);
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double pct(double *v, size_t n, double p)
{
    if (n == 0)
        return 0;
    qsort(v, n, sizeof *v, cmp_double);
    size_t i = (size_t)(p * (double)(n - 1) + 0.5);
    return v[i];
}

int main(int argc, char **argv)
{
    cfg c = {.port = 9601, .runs = 1, .per_run = 1, .timeout_s = 30};
    int opt;
    while ((opt = getopt(argc, argv, "+p:r:n:t:e:gjo:")) != -1) {
        switch (opt) {
        case 'p': c.port = atoi(optarg); break;
        case 'r': c.runs = atoi(optarg); break;
        case 'n': c.per_run = atol(optarg); break;
        case 't': c.timeout_s = atoi(optarg); break;
        case 'g': c.graceful = true; break;
        case 'j': c.json = true; break;
        case 'o': c.child_out = optarg; break;
        case 'e':
            if (c.nevents == MAX_EVENTS || !(c.events[c.nevents] = slurp(optarg, &c.event_len[c.nevents]))) {
                fprintf(stderr, "rtstub: cannot read event %s\n", optarg);
                return 2;
            }
            c.nevents++;
            break;
        default: return 2;
        }
    }
    if (optind >= argc || c.nevents == 0 || c.runs < 1 || c.per_run < 1 || c.port <= 0) {
        fprintf(stderr, "usage: rtstub [-p port] [-r runs] [-n invocations] [-t timeout-s] [-g] [-j] [-o log] -e event.json"
                        " [-e ...] -- command [args...]\n");
        return 2;
    }
    c.cmd = argv + optind;
    signal(SIGPIPE, SIG_IGN);

    int ls = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)c.port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (ls < 0 || bind(ls, (struct sockaddr *)&a, sizeof a) != 0 || listen(ls, 16) != 0) {
        fprintf(stderr, "rtstub: cannot listen on %d: %s\n", c.port, strerror(errno));
        return 2;
    }
    lat_ms = calloc((size_t)c.runs * (size_t)c.per_run, sizeof *lat_ms);
    run_result *res = calloc((size_t)c.runs, sizeof *res);
    double *cold = calloc((size_t)c.runs, sizeof *cold), *ready = calloc((size_t)c.runs, sizeof *ready), *runcpu = calloc((size_t)c.runs, sizeof *runcpu), *rss = calloc((size_t)c.runs, sizeof *rss);
    if (!lat_ms || !res || !cold || !ready || !runcpu || !rss)
        return 2;
    bool ok = true;
    double cpu_ticks = 0, cpu_sched = 0;
    long warm = 0, errors = 0, init_errors = 0;
    for (int r = 0; r < c.runs; r++) {
        if (run_once(&c, ls, &res[r]) != 0)
            return 2;
        cold[r] = res[r].cold_ms;
        ready[r] = res[r].ready_ms;
        runcpu[r] = res[r].cpu_total_ms;
        rss[r] = (double)res[r].maxrss_kb;
        errors += res[r].errors;
        init_errors += res[r].init_errors;
        if (res[r].answered != c.per_run || res[r].errors || res[r].init_errors || res[r].timed_out) {
            ok = false;
            fprintf(stderr, "rtstub: run %d failed: %ld of %ld invocations answered, %ld errors, %ld init errors%s\n",
                    r + 1, res[r].answered, c.per_run, res[r].errors, res[r].init_errors,
                    res[r].timed_out ? ", timed out" : "");
        }
        if (res[r].answered == c.per_run && c.per_run > 1) {
            cpu_ticks += res[r].cpu_ticks_us;
            cpu_sched += res[r].cpu_sched_us;
            warm += c.per_run - 1;
        }
    }
    size_t nr = c.runs > 1 ? (size_t)c.runs : 1;
    double cold_med = pct(cold, nr, 0.5), cold_min = cold[0], cold_max = cold[nr - 1];
    double ready_med = pct(ready, nr, 0.5), ready_min = ready[0], ready_max = ready[nr - 1];
    double runcpu_med = pct(runcpu, nr, 0.5);
    double rss_med = pct(rss, nr, 0.5), rss_max = rss[nr - 1];
    double p50 = pct(lat_ms, nlat, 0.5), p90 = pct(lat_ms, nlat, 0.9), p99 = pct(lat_ms, nlat, 0.99);
    double cpu_t = warm ? cpu_ticks / (double)warm : 0, cpu_s = warm ? cpu_sched / (double)warm : 0;
    if (c.json) {
        printf("{\"ok\":%s,\"runs\":%d,\"invocations_per_run\":%ld,\"cold_start_ms\":{\"median\":%.3f,\"min\":%.3f,"
               "\"max\":%.3f},\"ready_ms\":{\"median\":%.3f,\"min\":%.3f,\"max\":%.3f},\"run_cpu_ms\":{\"median\":%.3f},\"peak_rss_kb\":{\"median\":%.0f,\"max\":%.0f},\"cpu_us_per_invocation\":%.2f,"
               "\"cpu_us_per_invocation_ticks\":%.2f,\"invoke_ms\":{\"p50\":%.3f,\"p90\":%.3f,\"p99\":%.3f},"
               "\"errors\":%ld,\"init_errors\":%ld,\"last_exit_status\":%d,\"statuses\":{",
               ok ? "true" : "false", c.runs, c.per_run, cold_med, cold_min, cold_max, ready_med, ready_min, ready_max, runcpu_med, rss_med, rss_max, cpu_s, cpu_t,
               p50, p90, p99, errors, init_errors, res[nr - 1].exit_status);
        bool first = true;
        for (int i = 0; i < 600; i++)
            if (statuses[i]) {
                printf("%s\"%d\":%ld", first ? "" : ",", i, statuses[i]);
                first = false;
            }
        printf("}}\n");
    } else {
        printf("runs %d x %ld invocations: %s\n", c.runs, c.per_run, ok ? "ok" : "FAILED");
        printf("ready ms: median %.3f min %.3f max %.3f\n", ready_med, ready_min, ready_max);
        printf("cold start ms: median %.3f min %.3f max %.3f; peak RSS KiB: median %.0f max %.0f\n", cold_med,
               cold_min, cold_max, rss_med, rss_max);
        printf("warm CPU per invocation: %.2f us (schedstat), %.2f us (stat ticks)\n", cpu_s, cpu_t);
        printf("invocation ms: p50 %.3f p90 %.3f p99 %.3f; errors %ld, init errors %ld\nstatuses:", p50, p90, p99,
               errors, init_errors);
        for (int i = 0; i < 600; i++)
            if (statuses[i])
                printf(" %d:%ld", i, statuses[i]);
        printf("\n");
    }
    for (int i = 0; i < c.nevents; i++)
        free(c.events[i]);
    free(lat_ms);
    free(res);
    free(cold);
    free(ready);
    free(runcpu);
    free(rss);
    close(ls);
    return ok ? 0 : 1;
}
