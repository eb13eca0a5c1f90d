/* loadgen: an HTTP load generator over the libcurl multi interface, for `make bench` and the fault tests.
 *
 *   loadgen [options] URL-TEMPLATE
 *     -c N        concurrent connections (default 1); each keeps its connection alive
 *     -n N        requests to send (default 100)
 *     -d SECONDS  send for this long instead of a count
 *     -W N        warm-up requests first (same concurrency), not counted
 *     -X METHOD   GET (default), POST, PUT, ...
 *     -H HEADER   "Name: value", repeatable (up to 16)
 *     -b TEMPLATE request body
 *     -K          add "Idempotency-Key: <fresh uuid>" to every request
 *     -t MS       total timeout of one request (default 30000); an expired request counts as "timeout"
 *     -l FILE     one line per request: seq status latency_us curl_code idempotency_key body (newlines flattened)
 *     -j          print the summary as one JSON object instead of text
 *     -f FILE     lines for {line} (request seq uses line seq mod count), e.g. concert ids
 *   In URL and body templates, {seq} becomes the request number (0, 1, ...), {uuid} a fresh UUID and
 *   {line} a line of the -f file.
 *
 * Latencies go into a log-linear histogram (256 sub-buckets per power of two: < 0.8 % error), from which
 * p50/p90/p99 are read. Status 0 in the counts means no HTTP answer (transport error or timeout).
 * Exit status: 0 when every request got an HTTP answer, 1 when some did not, 2 on usage or set-up errors.
 */
#include <curl/curl.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <uuid/uuid.h>

#define MAX_HEADERS 16
#define BODY_KEEP 4096          /* bytes of each response kept for the log */
#define SUB_BITS 8
#define SUB (1u << SUB_BITS)
#define HALF (SUB / 2)
#define HIST_N (SUB + 64 * HALF)

typedef struct histogram {
    uint64_t count[HIST_N];
    uint64_t n, min, max;
    double sum;
} histogram;

typedef struct stats {
    histogram h;
    uint64_t status[600];       /* by HTTP status; [0] = no answer */
    uint64_t timeouts;          /* subset of status[0] */
    uint64_t done;
    double wall, last_2xx_end;       /* seconds: the phase's length, and when its last 2xx ended */
} stats;

typedef struct slot {
    CURL *easy;
    struct curl_slist *headers;
    char *url, *body;
    char key[40];
    char resp[BODY_KEEP];
    size_t resp_len;
    uint64_t seq;
    double t0;
    bool busy;
} slot;

typedef struct options {
    long conc, total, warmup, timeout_ms;
    double duration;
    const char *method, *url_tpl, *body_tpl, *log_path;
    const char *headers[MAX_HEADERS];
    int nheaders;
    bool idem, json;
} options;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static unsigned hist_index(uint64_t v)
{
    if (v < SUB)
        return (unsigned)v;
    unsigned msb = 63u - (unsigned)__builtin_clzll(v);
    unsigned shift = msb + 1u - SUB_BITS;           /* >= 1 */
    uint64_t sub = v >> shift;                       /* in [HALF, SUB) */
    return SUB + (shift - 1u) * HALF + (unsigned)(sub - HALF);
}

/* Midpoint of the values that fall into bucket i. */
static double hist_value(unsigned i)
{
    if (i < SUB)
        return (double)i;
    unsigned shift = (i - SUB) / HALF + 1u;
    uint64_t sub = (i - SUB) % HALF + HALF;
    double lo = (double)(sub << shift), hi = (double)(((sub + 1) << shift) - 1);
    return (lo + hi) / 2.0;
}

static void hist_add(histogram *h, uint64_t v)
{
    h->count[hist_index(v)]++;
    if (h->n == 0 || v < h->min)
        h->min = v;
    if (v > h->max)
        h->max = v;
    h->n++;
    h->sum += (double)v;
}

/* The p-quantile (0..1) in the histogram's unit; 0 when empty. */
static double hist_quantile(const histogram *h, double p)
{
    if (h->n == 0)
        return 0;
    uint64_t want = (uint64_t)ceil(p * (double)h->n), seen = 0;
    if (want < 1)
        want = 1;
    for (unsigned i = 0; i < HIST_N; i++) {
        seen += h->count[i];
        if (seen >= want) {
            double v = hist_value(i);
            if (v > (double)h->max)
                v = (double)h->max;
            if (v < (double)h->min)
                v = (double)h->min;
            return v;
        }
    }
    return (double)h->max;
}

static char **lines;             /* -f FILE, owned for the whole run */
static size_t nlines;

/* Reads FILE's non-empty lines into `lines`. Returns 0 or -1. */
static int load_lines(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    char buf[4096];
    size_t cap = 0;
    while (fgets(buf, sizeof buf, f)) {
        buf[strcspn(buf, "\r\n")] = '\0';
        if (!buf[0])
            continue;
        if (nlines == cap) {
            char **nl = realloc(lines, (cap = cap * 2 + 64) * sizeof *nl);
            if (!nl)
                break;
            lines = nl;
        }
        if (!(lines[nlines] = strdup(buf)))
            break;
        nlines++;
    }
    fclose(f);
    return nlines > 0 ? 0 : -1;
}

static void new_uuid(char out[40])
{
    uuid_t u;
    uuid_generate_random(u);
    uuid_unparse_lower(u, out);
}

/* Expands {seq} and {uuid} in tpl. Returns a malloc'ed string (caller frees) or NULL on OOM. */
static char *expand(const char *tpl, uint64_t seq)
{
    size_t cap = strlen(tpl) + 1, len = 0, longest = 40;
    for (size_t i = 0; i < nlines; i++)
        if (strlen(lines[i]) + 1 > longest)
            longest = strlen(lines[i]) + 1;
    for (const char *p = tpl; (p = strchr(p, '{')) != NULL; p++)
        cap += longest;
    char *out = malloc(cap);
    if (!out)
        return NULL;
    for (const char *p = tpl; *p;) {
        if (strncmp(p, "{seq}", 5) == 0) {
            len += (size_t)snprintf(out + len, cap - len, "%" PRIu64, seq);
            p += 5;
        } else if (strncmp(p, "{uuid}", 6) == 0) {
            char u[40];
            new_uuid(u);
            len += (size_t)snprintf(out + len, cap - len, "%s", u);
            p += 6;
        } else if (strncmp(p, "{line}", 6) == 0 && nlines > 0) {
            len += (size_t)snprintf(out + len, cap - len, "%s", lines[seq % nlines]);
            p += 6;
        } else {
            out[len++] = *p++;
        }
    }
    out[len] = '\0';
    return out;
}

static size_t on_body(char *data, size_t size, size_t nmemb, void *userdata)
{
    slot *s = userdata;
    size_t n = size * nmemb, room = sizeof s->resp - 1 - s->resp_len;
    size_t take = n < room ? n : room;
    memcpy(s->resp + s->resp_len, data, take);
    s->resp_len += take;
    return n;
}

/* Prepares slot s for request number seq. Returns 0 or -1 (OOM). */
static int slot_prepare(slot *s, const options *o, uint64_t seq)
{
    free(s->url);
    free(s->body);
    curl_slist_free_all(s->headers);
    s->url = s->body = NULL;
    s->headers = NULL;
    s->resp_len = 0;
    s->key[0] = '\0';
    s->seq = seq;

    s->url = expand(o->url_tpl, seq);
    if (!s->url)
        return -1;
    for (int i = 0; i < o->nheaders; i++) {
        struct curl_slist *l = curl_slist_append(s->headers, o->headers[i]);
        if (!l)
            return -1;
        s->headers = l;
    }
    if (o->idem) {
        char h[80];
        new_uuid(s->key);
        snprintf(h, sizeof h, "Idempotency-Key: %s", s->key);
        struct curl_slist *l = curl_slist_append(s->headers, h);
        if (!l)
            return -1;
        s->headers = l;
    }
    curl_easy_setopt(s->easy, CURLOPT_URL, s->url);
    curl_easy_setopt(s->easy, CURLOPT_HTTPHEADER, s->headers);
    if (o->body_tpl) {
        s->body = expand(o->body_tpl, seq);
        if (!s->body)
            return -1;
        curl_easy_setopt(s->easy, CURLOPT_POSTFIELDSIZE, (long)strlen(s->body));
        curl_easy_setopt(s->easy, CURLOPT_POSTFIELDS, s->body);
    } else if (strcmp(o->method, "GET") == 0) {
        curl_easy_setopt(s->easy, CURLOPT_HTTPGET, 1L);
    }
    if (strcmp(o->method, "GET") != 0 && strcmp(o->method, "POST") != 0)
        curl_easy_setopt(s->easy, CURLOPT_CUSTOMREQUEST, o->method);
    return 0;
}

static void log_line(FILE *f, const slot *s, long status, uint64_t lat_us, CURLcode rc)
{
    fprintf(f, "%" PRIu64 " %ld %" PRIu64 " %d %s ", s->seq, status, lat_us, (int)rc, s->key[0] ? s->key : "-");
    for (size_t i = 0; i < s->resp_len; i++) {
        unsigned char ch = (unsigned char)s->resp[i];
        fputc(ch == '\n' || ch == '\r' || ch == '\0' ? ' ' : ch, f);
    }
    fputc('\n', f);
}

/* Runs one phase: `total` requests (or until `deadline`, when > 0). Returns 0 or -1 on set-up errors. */
static int run_phase(CURLM *multi, slot *slots, const options *o, long total, double duration,
                     stats *st, FILE *logf)
{
    memset(st, 0, sizeof *st);
    double t_start = now_s(), deadline = duration > 0 ? t_start + duration : 0;
    uint64_t issued = 0;
    long running_slots = 0;

    for (long i = 0; i < o->conc; i++) {
        if (!deadline && (long)issued >= total)
            break;
        if (slot_prepare(&slots[i], o, issued) != 0)
            return -1;
        issued++;
        slots[i].t0 = now_s();
        slots[i].busy = true;
        curl_multi_add_handle(multi, slots[i].easy);
        running_slots++;
    }
    while (running_slots > 0) {
        int still;
        CURLMcode mc = curl_multi_perform(multi, &still);
        if (mc != CURLM_OK) {
            fprintf(stderr, "loadgen: curl_multi_perform: %s\n", curl_multi_strerror(mc));
            return -1;
        }
        CURLMsg *msg;
        int left;
        while ((msg = curl_multi_info_read(multi, &left)) != NULL) {
            if (msg->msg != CURLMSG_DONE)
                continue;
            slot *s = NULL;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&s);
            double t1 = now_s();
            long code = 0;
            CURLcode rc = msg->data.result;
            if (rc == CURLE_OK)
                curl_easy_getinfo(s->easy, CURLINFO_RESPONSE_CODE, &code);
            if (code < 0 || code >= 600)
                code = 0;
            uint64_t lat = (uint64_t)((t1 - s->t0) * 1e6);
            hist_add(&st->h, lat);
            st->status[code]++;
            if (rc == CURLE_OPERATION_TIMEDOUT)
                st->timeouts++;
            st->done++;
            if (code >= 200 && code < 300)
                st->last_2xx_end = t1 - t_start;
            if (logf)
                log_line(logf, s, code, lat, rc);
            curl_multi_remove_handle(multi, s->easy);
            s->busy = false;
            running_slots--;
            bool more = deadline ? t1 < deadline : (long)issued < total;
            if (more) {
                if (slot_prepare(s, o, issued) != 0)
                    return -1;
                issued++;
                s->t0 = now_s();
                s->busy = true;
                curl_multi_add_handle(multi, s->easy);
                running_slots++;
            }
        }
        if (running_slots > 0)
            curl_multi_poll(multi, NULL, 0, 50, NULL);
    }
    st->wall = now_s() - t_start;
    return 0;
}

static void print_summary(const options *o, const stats *st, bool json)
{
    double wall = st->wall;
    double rps = wall > 0 ? (double)st->done / wall : 0;
    double p50 = hist_quantile(&st->h, 0.50) / 1000.0, p90 = hist_quantile(&st->h, 0.90) / 1000.0;
    double p99 = hist_quantile(&st->h, 0.99) / 1000.0;
    double mean = st->h.n ? st->h.sum / (double)st->h.n / 1000.0 : 0;
    if (json) {
        printf("{\"requests\":%" PRIu64 ",\"concurrency\":%ld,\"duration_s\":%.4f,\"throughput_rps\":%.1f,"
               "\"p50_ms\":%.3f,\"p90_ms\":%.3f,\"p99_ms\":%.3f,\"mean_ms\":%.3f,\"min_ms\":%.3f,\"max_ms\":%.3f,"
               "\"last_2xx_s\":%.4f,\"timeouts\":%" PRIu64 ",\"status\":{",
               st->done, o->conc, wall, rps, p50, p90, p99, mean, (double)st->h.min / 1000.0,
               (double)st->h.max / 1000.0, st->last_2xx_end, st->timeouts);
        bool first = true;
        for (int i = 0; i < 600; i++) {
            if (!st->status[i])
                continue;
            printf("%s\"%d\":%" PRIu64, first ? "" : ",", i, st->status[i]);
            first = false;
        }
        printf("}}\n");
    } else {
        printf("requests %" PRIu64 "  concurrency %ld  wall %.3f s  throughput %.1f req/s\n", st->done, o->conc,
               wall, rps);
        printf("latency ms: p50 %.3f  p90 %.3f  p99 %.3f  mean %.3f  min %.3f  max %.3f\n", p50, p90, p99, mean,
               (double)st->h.min / 1000.0, (double)st->h.max / 1000.0);
        printf("status:");
        for (int i = 0; i < 600; i++)
            if (st->status[i])
                printf(" %d:%" PRIu64, i, st->status[i]);
        printf("  (0 = no answer; timeouts %" PRIu64 ")  last 2xx at %.3f s\n", st->timeouts, st->last_2xx_end);
    }
}

static void usage(void)
{
    fprintf(stderr, "usage: loadgen [-c conns] [-n requests | -d seconds] [-W warmup] [-X method] [-H header]...\n"
                    "               [-b body-template] [-K] [-t timeout-ms] [-l logfile] [-f lines] [-j] URL-TEMPLATE\n");
}

static long parse_long(const char *s, long lo, long hi)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || v < lo || v > hi)
        return -1;
    return v;
}

int main(int argc, char **argv)
{
    options o = {.conc = 1, .total = 100, .timeout_ms = 30000, .method = "GET"};
    int opt, rc = 2;
    while ((opt = getopt(argc, argv, "c:n:d:W:X:H:b:Kt:l:jf:")) != -1) {
        switch (opt) {
        case 'c': o.conc = parse_long(optarg, 1, 4096); break;
        case 'n': o.total = parse_long(optarg, 1, 100000000); break;
        case 'W': o.warmup = parse_long(optarg, 0, 100000000); break;
        case 't': o.timeout_ms = parse_long(optarg, 1, 3600000); break;
        case 'd': o.duration = strtod(optarg, NULL); break;
        case 'X': o.method = optarg; break;
        case 'b': o.body_tpl = optarg; break;
        case 'K': o.idem = true; break;
        case 'l': o.log_path = optarg; break;
        case 'j': o.json = true; break;
        case 'f':
            if (load_lines(optarg) != 0) {
                fprintf(stderr, "loadgen: no lines in %s\n", optarg);
                return 2;
            }
            break;
        case 'H':
            if (o.nheaders == MAX_HEADERS) {
                fprintf(stderr, "loadgen: at most %d headers\n", MAX_HEADERS);
                return 2;
            }
            o.headers[o.nheaders++] = optarg;
            break;
        default: usage(); return 2;
        }
    }
    if (optind != argc - 1 || o.conc < 1 || o.total < 1 || o.warmup < 0 || o.timeout_ms < 1 || o.duration < 0) {
        usage();
        return 2;
    }
    o.url_tpl = argv[optind];

    FILE *logf = NULL;
    CURLM *multi = NULL;
    slot *slots = NULL;
    stats *st = NULL;
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return 2;
    if (o.log_path && !(logf = fopen(o.log_path, "w"))) {
        fprintf(stderr, "loadgen: %s: %s\n", o.log_path, strerror(errno));
        goto cleanup;
    }
    multi = curl_multi_init();
    slots = calloc((size_t)o.conc, sizeof *slots);
    st = calloc(1, sizeof *st);
    if (!multi || !slots || !st)
        goto cleanup;
    curl_multi_setopt(multi, CURLMOPT_MAXCONNECTS, o.conc);
    for (long i = 0; i < o.conc; i++) {
        slot *s = &slots[i];
        if (!(s->easy = curl_easy_init()))
            goto cleanup;
        curl_easy_setopt(s->easy, CURLOPT_PRIVATE, (char *)s);
        curl_easy_setopt(s->easy, CURLOPT_WRITEFUNCTION, on_body);
        curl_easy_setopt(s->easy, CURLOPT_WRITEDATA, s);
        curl_easy_setopt(s->easy, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(s->easy, CURLOPT_TIMEOUT_MS, o.timeout_ms);
        curl_easy_setopt(s->easy, CURLOPT_CONNECTTIMEOUT_MS, o.timeout_ms < 5000 ? o.timeout_ms : 5000L);
        curl_easy_setopt(s->easy, CURLOPT_TCP_NODELAY, 1L);
    }
    if (o.warmup > 0 && run_phase(multi, slots, &o, o.warmup, 0, st, NULL) != 0)
        goto cleanup;
    if (run_phase(multi, slots, &o, o.total, o.duration, st, logf) != 0)
        goto cleanup;
    print_summary(&o, st, o.json);
    rc = st->status[0] ? 1 : 0;

cleanup:
    if (slots) {
        for (long i = 0; i < o.conc; i++) {
            if (slots[i].busy)
                curl_multi_remove_handle(multi, slots[i].easy);
            if (slots[i].easy)
                curl_easy_cleanup(slots[i].easy);
            curl_slist_free_all(slots[i].headers);
            free(slots[i].url);
            free(slots[i].body);
        }
    }
    free(slots);
    free(st);
    for (size_t i = 0; i < nlines; i++)
        free(lines[i]);
    free(lines);
    if (multi)
        curl_multi_cleanup(multi);
    if (logf && fclose(logf) != 0)
        rc = 2;
    curl_global_cleanup();
    return rc;
}
