/* ptytime: runs a full-screen program in a pseudo-terminal and times its first complete screen.
 *
 *   ptytime [-r ROWS] [-c COLS] [-t TIMEOUT_S] [-s SETTLE_MS] -p TEXT [-p TEXT ...] -- CMD [ARGS...]
 *
 * Starts CMD on a new pty of ROWSxCOLS (default 24x80) and reads what it draws. The first screen is
 * complete when every TEXT has appeared in the output; the time from fork() to then is reported. After
 * SETTLE_MS more (default 200) CMD gets SIGTERM (SIGKILL 2 s later) and its peak RSS comes from wait4().
 * Prints one JSON object: {"found":true,"first_screen_ms":..,"peak_rss_kb":..}. Exit 0 when all were found.
 */
#include <errno.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_PAT 16
#define KEEP (8 * 1024 * 1024)

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    int rows = 24, cols = 80, timeout_s = 20, settle_ms = 200, npat = 0, opt;
    const char *pat[MAX_PAT];
    while ((opt = getopt(argc, argv, "+r:c:t:s:p:")) != -1) {
        switch (opt) {
        case 'r': rows = atoi(optarg); break;
        case 'c': cols = atoi(optarg); break;
        case 't': timeout_s = atoi(optarg); break;
        case 's': settle_ms = atoi(optarg); break;
        case 'p':
            if (npat == MAX_PAT)
                return 2;
            pat[npat++] = optarg;
            break;
        default: return 2;
        }
    }
    if (optind >= argc || npat == 0 || rows < 2 || cols < 2) {
        fprintf(stderr, "usage: ptytime [-r rows] [-c cols] [-t timeout-s] [-s settle-ms] -p text [...] -- cmd...\n");
        return 2;
    }
    char *out = malloc(KEEP + 1);
    if (!out)
        return 2;
    size_t len = 0;
    struct winsize ws = {.ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols};
    int master;
    double t0 = now_s();
    pid_t pid = forkpty(&master, NULL, NULL, &ws);
    if (pid < 0) {
        perror("forkpty");
        return 2;
    }
    if (pid == 0) {
        execvp(argv[optind], argv + optind);
        fprintf(stderr, "ptytime: exec %s: %s\n", argv[optind], strerror(errno));
        _exit(127);
    }
    bool found = false;
    double t_found = 0;
    for (;;) {
        double t = now_s();
        if (t - t0 > timeout_s)
            break;
        if (found && (t - t_found) * 1000.0 >= settle_ms)
            break;
        struct pollfd pf = {.fd = master, .events = POLLIN};
        int pr = poll(&pf, 1, 20);
        if (pr < 0 && errno != EINTR)
            break;
        if (pr <= 0)
            continue;
        char buf[65536];
        ssize_t n = read(master, buf, sizeof buf);
        if (n <= 0)
            break;
        if (len + (size_t)n > KEEP) /* keep the tail; patterns are short */
            len = 0;
        memcpy(out + len, buf, (size_t)n);
        len += (size_t)n;
        out[len] = '\0';
        if (!found) {
            int hit = 0;
            for (int i = 0; i < npat; i++)
                if (memmem(out, len, pat[i], strlen(pat[i])))
                    hit++;
            if (hit == npat) {
                found = true;
                t_found = now_s();
            }
        }
    }
    kill(pid, SIGTERM);
    struct rusage ru = {0};
    int status;
    double tk = now_s();
    for (;;) {
        char buf[4096];
        while (read(master, buf, sizeof buf) > 0 && now_s() - tk < 2) {
        }
        if (wait4(pid, &status, WNOHANG, &ru) == pid)
            break;
        if (now_s() - tk > 2) {
            kill(pid, SIGKILL);
            wait4(pid, &status, 0, &ru);
            break;
        }
        usleep(10000);
    }
    close(master);
    printf("{\"found\":%s,\"first_screen_ms\":%.2f,\"peak_rss_kb\":%ld}\n", found ? "true" : "false",
           found ? (t_found - t0) * 1000.0 : 0.0, ru.ru_maxrss);
    if (!found) {
        fprintf(stderr, "ptytime: not all texts appeared within %d s; last output (sanitised):\n", timeout_s);
        size_t from = len > 2000 ? len - 2000 : 0;
        for (size_t i = from; i < len; i++)
            fputc(out[i] >= 32 && out[i] < 127 ? out[i] : '.', stderr);
        fputc('\n', stderr);
    }
    free(out);
    return found ? 0 : 1;
}
