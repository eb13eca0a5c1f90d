/* Lambda Runtime API client (libcurl, one reused easy handle) and the invocation loop. */
#include "rt.h"

#include "log.h"
#include "timefmt.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#define RT_API_MAX 255
#define RT_URL_MAX (RT_API_MAX + 64 + 3 * RT_REQUEST_ID_MAX)

struct rt_client {
    CURL *curl;
    struct curl_slist *post_headers;   /* Content-Type + no Expect */
    char api[RT_API_MAX + 1];
    char next_url[RT_URL_MAX];
    /* response body of /next: grows to the largest event seen, reused */
    char *buf;
    size_t len, cap;
    bool overflow;
    rt_request req;                    /* filled by the header callback during /next */
    bool id_too_long;
    /* "_X_AMZN_TRACE_ID=<id>", handed to putenv and rewritten in place: glibc's setenv keeps every
     * value it was ever given (a leak of one trace id per invocation in a warm function) */
    char trace_env[sizeof "_X_AMZN_TRACE_ID=" + RT_TRACE_ID_MAX];
    bool trace_env_set;
    uint64_t rng;
    char err[256];
};

uint64_t rt_request_remaining_ms_at(const rt_request *req, uint64_t now_ms)
{
    if (!req || req->deadline_ms == 0)
        return UINT64_MAX;
    return req->deadline_ms > now_ms ? req->deadline_ms - now_ms : 0;
}

uint64_t rt_request_remaining_ms(const rt_request *req)
{
    return rt_request_remaining_ms_at(req, timefmt_now_ms());
}

rt_response rt_response_success(char *payload)
{
    if (!payload)
        return rt_response_failure("Runtime.OutOfMemory", "out of memory building the response");
    rt_response r = { .success = true, .payload = payload };
    return r;
}

rt_response rt_response_failure(const char *error_type, const char *message)
{
    rt_response r = { .success = false, .error_type = error_type ? error_type : "Runtime.Error" };
    snprintf(r.error_message, sizeof r.error_message, "%s", message ? message : "");
    return r;
}

void rt_response_clear(rt_response *r)
{
    if (!r)
        return;
    free(r->payload);
    r->payload = NULL;
}

const char *rt_last_error(const rt_client *c)
{
    return c && c->err[0] ? c->err : "no error";
}

uint64_t rt_backoff_ms(unsigned failures, uint32_t rnd)
{
    if (failures == 0)
        return 0;
    uint64_t ceiling = RT_BACKOFF_CAP_MS;
    if (failures - 1 < 16) {
        uint64_t exp = (uint64_t)RT_BACKOFF_BASE_MS << (failures - 1);
        if (exp < ceiling)
            ceiling = exp;
    }
    return rnd % (ceiling + 1);
}

static uint32_t rng_next(rt_client *c)
{
    /* xorshift64*: jitter only, not security */
    c->rng ^= c->rng >> 12;
    c->rng ^= c->rng << 25;
    c->rng ^= c->rng >> 27;
    return (uint32_t)((c->rng * UINT64_C(2685821657736338717)) >> 32);
}

rt_client *rt_client_new(const char *api, char *err, size_t errlen)
{
    if (!api || !*api) {
        snprintf(err, errlen, "AWS_LAMBDA_RUNTIME_API is not set");
        return NULL;
    }
    if (strlen(api) > RT_API_MAX || strpbrk(api, " /?#\r\n\t")) {
        snprintf(err, errlen, "AWS_LAMBDA_RUNTIME_API is not a host:port");
        return NULL;
    }
    rt_client *c = calloc(1, sizeof *c);
    if (!c) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    snprintf(c->api, sizeof c->api, "%s", api);
    snprintf(c->next_url, sizeof c->next_url, "http://%s/2018-06-01/runtime/invocation/next", api);
    c->curl = curl_easy_init();
    struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
    if (h) {
        c->post_headers = h;
        h = curl_slist_append(h, "Expect:");
        if (h)
            c->post_headers = h;
    }
    if (!c->curl || !h) {
        snprintf(err, errlen, "could not create a curl handle");
        rt_client_free(c);
        return NULL;
    }
    c->rng = ((uint64_t)getpid() << 32) ^ timefmt_now_ms() ^ UINT64_C(0x9E3779B97F4A7C15);
    curl_easy_setopt(c->curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c->curl, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(c->curl, CURLOPT_CONNECTTIMEOUT_MS, 2000L);
    curl_easy_setopt(c->curl, CURLOPT_PROXY, ""); /* the Runtime API is local: ignore *_proxy */
    curl_easy_setopt(c->curl, CURLOPT_PROTOCOLS_STR, "http");
    return c;
}

void rt_client_free(rt_client *c)
{
    if (!c)
        return;
    if (c->trace_env_set)
        unsetenv("_X_AMZN_TRACE_ID"); /* environ must not point into freed memory */
    if (c->curl)
        curl_easy_cleanup(c->curl);
    curl_slist_free_all(c->post_headers);
    free(c->buf);
    free(c);
}

/* ---- /next ---- */

static size_t next_body_cb(char *data, size_t size, size_t nmemb, void *userp)
{
    rt_client *c = userp;
    size_t n = size * nmemb;
    if (c->overflow)
        return n; /* keep reading to keep the connection usable, drop the bytes */
    if (c->len + n + 1 > RT_PAYLOAD_MAX) {
        c->overflow = true;
        return n;
    }
    if (c->len + n + 1 > c->cap) {
        size_t ncap = c->cap ? c->cap : 16384;
        while (ncap < c->len + n + 1)
            ncap *= 2;
        if (ncap > RT_PAYLOAD_MAX)
            ncap = RT_PAYLOAD_MAX;
        char *nb = realloc(c->buf, ncap);
        if (!nb)
            return 0; /* aborts the transfer: reported as a failed /next */
        c->buf = nb;
        c->cap = ncap;
    }
    memcpy(c->buf + c->len, data, n);
    c->len += n;
    return n;
}

/* Copies the trimmed header value into dst (cap bytes incl. NUL). Returns false when it did not fit. */
static bool copy_value(char *dst, size_t cap, const char *v, size_t n)
{
    while (n > 0 && (*v == ' ' || *v == '\t')) {
        v++;
        n--;
    }
    while (n > 0 && (v[n - 1] == '\r' || v[n - 1] == '\n' || v[n - 1] == ' ' || v[n - 1] == '\t'))
        n--;
    bool fits = n < cap;
    if (!fits)
        n = cap - 1;
    memcpy(dst, v, n);
    dst[n] = '\0';
    return fits;
}

static bool header_is(const char *line, size_t n, const char *name, const char **value, size_t *vlen)
{
    size_t k = strlen(name);
    if (n <= k || line[k] != ':' || strncasecmp(line, name, k) != 0)
        return false;
    *value = line + k + 1;
    *vlen = n - k - 1;
    return true;
}

static size_t next_header_cb(char *data, size_t size, size_t nmemb, void *userp)
{
    rt_client *c = userp;
    size_t n = size * nmemb;
    const char *v;
    size_t vn;
    if (header_is(data, n, "Lambda-Runtime-Aws-Request-Id", &v, &vn)) {
        if (!copy_value(c->req.request_id, sizeof c->req.request_id, v, vn))
            c->id_too_long = true;
    } else if (header_is(data, n, "Lambda-Runtime-Trace-Id", &v, &vn)) {
        if (!copy_value(c->req.trace_id, sizeof c->req.trace_id, v, vn))
            c->req.trace_id[0] = '\0'; /* a cut trace id is worse than none */
    } else if (header_is(data, n, "Lambda-Runtime-Invoked-Function-Arn", &v, &vn)) {
        copy_value(c->req.function_arn, sizeof c->req.function_arn, v, vn);
    } else if (header_is(data, n, "Lambda-Runtime-Deadline-Ms", &v, &vn)) {
        char num[32];
        copy_value(num, sizeof num, v, vn);
        char *end;
        errno = 0;
        unsigned long long d = strtoull(num, &end, 10);
        c->req.deadline_ms = (errno == 0 && end != num && *end == '\0' && num[0] != '-') ? d : 0;
    }
    return n;
}

static size_t discard_cb(char *data, size_t size, size_t nmemb, void *userp)
{
    (void)data;
    (void)userp;
    return size * nmemb;
}

int rt_next(rt_client *c, rt_request *req)
{
    memset(&c->req, 0, sizeof c->req);
    c->len = 0;
    c->overflow = false;
    c->id_too_long = false;
    c->err[0] = '\0';
    CURL *h = c->curl;
    curl_easy_setopt(h, CURLOPT_URL, c->next_url);
    curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 0L); /* no timeout: the process is frozen between events */
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, next_body_cb);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, c);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, next_header_cb);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, c);
    CURLcode rc = curl_easy_perform(h);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, NULL);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, NULL);
    if (rc != CURLE_OK) {
        snprintf(c->err, sizeof c->err, "GET /next: %s", curl_easy_strerror(rc));
        return -1;
    }
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    if (status != 200) {
        snprintf(c->err, sizeof c->err, "GET /next: HTTP %ld", status);
        return -1;
    }
    if (c->req.request_id[0] == '\0' || c->id_too_long) {
        snprintf(c->err, sizeof c->err, "GET /next: %s Lambda-Runtime-Aws-Request-Id",
                 c->id_too_long ? "over-long" : "no");
        return -1;
    }
    if (!c->buf) { /* empty body: still hand out a valid string */
        c->buf = malloc(16384);
        if (!c->buf) {
            snprintf(c->err, sizeof c->err, "out of memory");
            return -1;
        }
        c->cap = 16384;
    }
    if (c->overflow)
        c->len = 0;
    c->buf[c->len] = '\0';
    c->req.payload = c->buf;
    c->req.payload_len = c->len;
    c->req.payload_too_large = c->overflow;
    *req = c->req;
    return 0;
}

/* ---- posts ---- */

/* Percent-encodes the request id into the URL path segment. */
static void invocation_url(const rt_client *c, char *url, size_t cap, const char *request_id, const char *what)
{
    char esc[3 * RT_REQUEST_ID_MAX + 1];
    size_t w = 0;
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)request_id; *p && w + 4 < sizeof esc; p++) {
        unsigned char ch = *p;
        if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' ||
            ch == '.' || ch == '_' || ch == '~') {
            esc[w++] = (char)ch;
        } else {
            esc[w++] = '%';
            esc[w++] = hex[ch >> 4];
            esc[w++] = hex[ch & 15];
        }
    }
    esc[w] = '\0';
    snprintf(url, cap, "http://%s/2018-06-01/runtime/invocation/%s/%s", c->api, esc, what);
}

static int post(rt_client *c, const char *url, const char *body, size_t len, const char *error_type)
{
    CURL *h = c->curl;
    struct curl_slist *headers = c->post_headers, *extra = NULL;
    char typeh[160];
    if (error_type) {
        snprintf(typeh, sizeof typeh, "Lambda-Runtime-Function-Error-Type: %s", error_type);
        /* a private list: c->post_headers + this one (the shared list stays untouched) */
        extra = curl_slist_append(NULL, typeh);
        if (extra) {
            extra->next = c->post_headers;
            headers = extra;
        }
    }
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_POST, 1L);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)RT_POST_TIMEOUT_MS);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard_cb);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, NULL);
    CURLcode rc = curl_easy_perform(h);
    long status = 0;
    if (rc == CURLE_OK)
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, NULL);
    if (extra) {
        extra->next = NULL; /* detach before freeing only our node */
        curl_slist_free_all(extra);
    }
    if (rc != CURLE_OK) {
        snprintf(c->err, sizeof c->err, "POST %s: %s", strstr(url, "/runtime/") ? strstr(url, "/runtime/") : url,
                 curl_easy_strerror(rc));
        return -1;
    }
    if (status < 200 || status > 299) {
        snprintf(c->err, sizeof c->err, "POST %s: HTTP %ld", strstr(url, "/runtime/") ? strstr(url, "/runtime/") : url,
                 status);
        return -1;
    }
    return 0;
}

int rt_post_response(rt_client *c, const char *request_id, const char *payload, size_t len)
{
    char url[RT_URL_MAX];
    invocation_url(c, url, sizeof url, request_id, "response");
    return post(c, url, payload ? payload : "", payload ? len : 0, NULL);
}

/* {"errorMessage":…,"errorType":…,"stackTrace":[]} */
static char *error_body(const char *error_type, const char *message)
{
    cJSON *o = cJSON_CreateObject();
    char *out = NULL;
    if (o && cJSON_AddStringToObject(o, "errorMessage", message ? message : "") &&
        cJSON_AddStringToObject(o, "errorType", error_type ? error_type : "Runtime.Error") &&
        cJSON_AddArrayToObject(o, "stackTrace"))
        out = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return out;
}

static int post_error_to(rt_client *c, const char *url, const char *error_type, const char *message)
{
    /* error types go into a header: keep them to a safe character set */
    char type[96];
    size_t w = 0;
    for (const char *p = error_type ? error_type : "Runtime.Error"; *p && w + 1 < sizeof type; p++)
        type[w++] = (strchr("\r\n:", *p) || (unsigned char)*p < 0x20) ? '_' : *p;
    type[w] = '\0';
    char *body = error_body(type, message);
    const char *fallback = "{\"errorMessage\":\"out of memory\",\"errorType\":\"Runtime.OutOfMemory\",\"stackTrace\":[]}";
    int rc = post(c, url, body ? body : fallback, strlen(body ? body : fallback), type);
    free(body);
    return rc;
}

int rt_post_error(rt_client *c, const char *request_id, const char *error_type, const char *message)
{
    char url[RT_URL_MAX];
    invocation_url(c, url, sizeof url, request_id, "error");
    return post_error_to(c, url, error_type, message);
}

int rt_post_init_error(rt_client *c, const char *error_type, const char *message)
{
    char url[RT_URL_MAX];
    snprintf(url, sizeof url, "http://%s/2018-06-01/runtime/init/error", c->api);
    return post_error_to(c, url, error_type, message);
}

/* ---- the loop ---- */

static void sleep_ms(uint64_t ms)
{
    struct timespec ts = { (time_t)(ms / 1000), (long)(ms % 1000) * 1000000L };
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

/* Sets _X_AMZN_TRACE_ID to this invocation's trace id, or removes it when there is none. */
static void set_trace_env(rt_client *c, const rt_request *req)
{
    if (req->trace_id[0]) {
        snprintf(c->trace_env, sizeof c->trace_env, "_X_AMZN_TRACE_ID=%s", req->trace_id);
        const char *now = getenv("_X_AMZN_TRACE_ID");
        bool ours = c->trace_env_set && now == c->trace_env + sizeof "_X_AMZN_TRACE_ID=" - 1;
        if (!ours) /* first time, or someone replaced it: environ shall point at c->trace_env */
            c->trace_env_set = putenv(c->trace_env) == 0;
    } else if (c->trace_env_set) {
        unsetenv("_X_AMZN_TRACE_ID");
        c->trace_env_set = false;
    } else {
        unsetenv("_X_AMZN_TRACE_ID"); /* one inherited from the environment must not linger */
    }
}

int rt_run(rt_client *c, rt_handler_fn fn, void *user, const rt_options *opts)
{
    rt_options o = { 0 };
    if (opts)
        o = *opts;
    uint64_t give_up = o.next_give_up_ms ? o.next_give_up_ms : RT_NEXT_GIVE_UP_MS;
    unsigned done = 0, failures = 0;
    uint64_t first_failure = 0;
    for (;;) {
        if ((o.max_invocations && done >= o.max_invocations) || (o.stop && *o.stop))
            return 0;
        rt_request req;
        if (rt_next(c, &req) != 0) {
            uint64_t now = timefmt_now_ms();
            if (failures++ == 0)
                first_failure = now;
            log_event("warn", "runtime_api_unavailable", c->err);
            if (now - first_failure >= give_up) {
                log_event("error", "runtime_api_gone", "giving up on /next");
                return 1;
            }
            sleep_ms(rt_backoff_ms(failures, rng_next(c)));
            continue;
        }
        failures = 0;
        done++;
        set_trace_env(c, &req);
        rt_response r;
        if (req.payload_too_large)
            r = rt_response_failure("Runtime.PayloadTooLarge", "event larger than the runtime accepts");
        else
            r = fn(&req, user);
        int prc;
        if (r.success) {
            prc = rt_post_response(c, req.request_id, r.payload, strlen(r.payload));
            if (prc != 0) { /* e.g. 413 for a response over 6 MB: tell Lambda rather than leave it hanging */
                log_event("error", "response_rejected", c->err);
                prc = rt_post_error(c, req.request_id, "Runtime.ResponseRejected", "the Runtime API refused the response");
            }
        } else {
            prc = rt_post_error(c, req.request_id, r.error_type, r.error_message);
        }
        if (prc != 0)
            log_event("error", "runtime_api_post_failed", c->err);
        rt_response_clear(&r);
        if (c->cap > RT_BUF_KEEP) { /* one huge event must not pin megabytes for the warm life */
            free(c->buf);
            c->buf = NULL;
            c->cap = c->len = 0;
        }
    }
}
