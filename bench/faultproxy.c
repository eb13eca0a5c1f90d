/* faultproxy: a TCP proxy for fault tests, put between the bootstrap workers and DynamoDB Local.
 *
 *   faultproxy LISTEN_PORT TARGET_PORT CONTROL_FILE
 *
 * Listens on 127.0.0.1:LISTEN_PORT and forwards each connection to 127.0.0.1:TARGET_PORT.
 * The first word of CONTROL_FILE, read again for every chunk of data, sets the behaviour
 * (so a test switches it while connections are kept alive):
 *   pass            forward as is (also when the file is missing or empty)
 *   delay MS        hold every chunk going to the target for MS milliseconds, then forward it
 *   delay-answer MS hold every chunk coming back from the target for MS milliseconds (the request goes
 *                   through at once: the server acts, its answer comes late or, past the client's
 *                   timeout, never), then forward it
 *   blackhole       accept, read and discard: nothing reaches the target, no answer comes back
 *   reset           close new and existing connections with a TCP reset
 * One thread per direction of each connection; logs one JSON line per connection event to stderr.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

typedef enum mode { MODE_PASS, MODE_DELAY, MODE_DELAY_ANSWER, MODE_BLACKHOLE, MODE_RESET } mode;

typedef struct pipe_end {
    int from, to;
    int to_target;              /* 1: client -> target direction (where faults apply) */
    atomic_int *closed;         /* shared by both directions of a connection */
    int peer_fds[2];            /* both sockets, to shut down the other direction */
    atomic_int *refs;
} pipe_end;

static const char *control_path;
static int target_port;

static mode read_mode(long *delay_ms)
{
    char buf[64] = "";
    FILE *f = fopen(control_path, "r");
    if (f) {
        if (!fgets(buf, sizeof buf, f))
            buf[0] = '\0';
        fclose(f);
    }
    *delay_ms = 0;
    if (strncmp(buf, "delay-answer", 12) == 0) {
        *delay_ms = strtol(buf + 12, NULL, 10);
        return MODE_DELAY_ANSWER;
    }
    if (strncmp(buf, "delay", 5) == 0) {
        *delay_ms = strtol(buf + 5, NULL, 10);
        return MODE_DELAY;
    }
    if (strncmp(buf, "blackhole", 9) == 0)
        return MODE_BLACKHOLE;
    if (strncmp(buf, "reset", 5) == 0)
        return MODE_RESET;
    return MODE_PASS;
}

static void reset_close(int fd)
{
    struct linger l = {.l_onoff = 1, .l_linger = 0};
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    close(fd);
}

static int write_all(int fd, const char *p, size_t n)
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

static void *pump(void *arg)
{
    pipe_end *pe = arg;
    char buf[16384];
    for (;;) {
        ssize_t n = recv(pe->from, buf, sizeof buf, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        long delay = 0;
        mode m = read_mode(&delay);
        if (m == MODE_RESET) {
            atomic_store(pe->closed, 2);
            fprintf(stderr, "{\"event\":\"reset\",\"on\":\"data\"}\n");
            break;
        }
        if (pe->to_target && m == MODE_BLACKHOLE)
            continue;
        if (delay > 0 && ((pe->to_target && m == MODE_DELAY) || (!pe->to_target && m == MODE_DELAY_ANSWER))) {
            struct timespec ts = {.tv_sec = delay / 1000, .tv_nsec = (delay % 1000) * 1000000L};
            while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
            }
        }
        if (write_all(pe->to, buf, (size_t)n) != 0)
            break;
    }
    int expected = 0;
    atomic_compare_exchange_strong(pe->closed, &expected, 1);
    shutdown(pe->peer_fds[0], SHUT_RDWR);
    shutdown(pe->peer_fds[1], SHUT_RDWR);
    if (atomic_fetch_sub(pe->refs, 1) == 1) {
        if (atomic_load(pe->closed) == 2) {
            reset_close(pe->peer_fds[0]);
            reset_close(pe->peer_fds[1]);
        } else {
            close(pe->peer_fds[0]);
            close(pe->peer_fds[1]);
        }
        free(pe->closed);
        free(pe->refs);
    }
    free(pe);
    return NULL;
}

static int connect_target(void)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)target_port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        close(fd);
        return -1;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

static int start_pumps(int client, int target)
{
    atomic_int *closed = malloc(sizeof *closed), *refs = malloc(sizeof *refs);
    pipe_end *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
    if (!closed || !refs || !a || !b)
        goto fail;
    atomic_init(closed, 0);
    atomic_init(refs, 2);
    *a = (pipe_end){client, target, 1, closed, {client, target}, refs};
    *b = (pipe_end){target, client, 0, closed, {client, target}, refs};
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_t t;
    if (pthread_create(&t, &attr, pump, a) != 0) {
        pthread_attr_destroy(&attr);
        goto fail;
    }
    if (pthread_create(&t, &attr, pump, b) != 0) {
        /* a is running and owns the sockets with refs 2: make it the last one out. */
        atomic_fetch_sub(refs, 1);
        shutdown(client, SHUT_RDWR);
        free(b);
        pthread_attr_destroy(&attr);
        return 0;
    }
    pthread_attr_destroy(&attr);
    return 0;
fail:
    free(closed);
    free(refs);
    free(a);
    free(b);
    return -1;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: faultproxy LISTEN_PORT TARGET_PORT CONTROL_FILE\n");
        return 2;
    }
    int lport = atoi(argv[1]);
    target_port = atoi(argv[2]);
    control_path = argv[3];
    signal(SIGPIPE, SIG_IGN);
    setvbuf(stderr, NULL, _IOLBF, 0);

    int ls = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)lport)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (ls < 0 || bind(ls, (struct sockaddr *)&a, sizeof a) != 0 || listen(ls, 128) != 0) {
        fprintf(stderr, "{\"event\":\"listen-failed\",\"port\":%d,\"error\":\"%s\"}\n", lport, strerror(errno));
        return 1;
    }
    fprintf(stderr, "{\"event\":\"ready\",\"port\":%d,\"target\":%d}\n", lport, target_port);
    for (;;) {
        int c = accept4(ls, NULL, NULL, SOCK_CLOEXEC);
        if (c < 0) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            fprintf(stderr, "{\"event\":\"accept-failed\",\"error\":\"%s\"}\n", strerror(errno));
            sleep(1);
            continue;
        }
        setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        long delay;
        mode m = read_mode(&delay);
        if (m == MODE_RESET) {
            reset_close(c);
            fprintf(stderr, "{\"event\":\"reset\",\"on\":\"connect\"}\n");
            continue;
        }
        int t = connect_target();
        if (t < 0) {
            reset_close(c);
            fprintf(stderr, "{\"event\":\"target-unreachable\",\"error\":\"%s\"}\n", strerror(errno));
            continue;
        }
        if (start_pumps(c, t) != 0) {
            close(c);
            close(t);
            continue;
        }
        fprintf(stderr, "{\"event\":\"connection\",\"mode\":%d}\n", (int)m);
    }
}
