/* The Lambda Runtime API protocol: GET /next into a request (headers and event), POST .../response,
 * .../error and /init/error. See rt_api.h. HTTP itself is rt_http.c's; the loop is rt_loop.c's. */
#include "rt_api.h"

#include "bo_buf.h"
#include "bo_clock.h"
#include "rt_http.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/uio.h>

#define RT_API_MAX 255
#define RT_HEAD_MAX (2 * RT_API_MAX + 3 * RT_REQUEST_ID_MAX + 512)

struct rt_client {
    rt_http *http;                     /* owned */
    char api[RT_API_MAX + 1];          /* host:port as given, for the Host header */
    char next_head[RT_HEAD_MAX];       /* the whole GET /next request, built once */
    size_t next_head_len;
    /* response body of /next: grows to the largest event seen, reused; capped like Lambda's 6 MB limit
     * (past the cap its error is BO_BUF_TOO_BIG: the rest is read and dropped) */
    bo_buf event;
    rt_request req;                    /* filled from the /next headers */
    bool id_too_long;
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
    return rt_request_remaining_ms_at(req, bo_clock_wall_ms());
}

const char *rt_last_error(const rt_client *c)
{
    return c && c->err[0] ? c->err : "no error";
}

rt_client *rt_client_new(const char *api, char *err, size_t errlen)
{
    if (!api || !*api) {
        snprintf(err, errlen, "AWS_LAMBDA_RUNTIME_API is not set");
        return NULL;
    }
    rt_client *c = calloc(1, sizeof *c);
    if (!c) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    if (strlen(api) > RT_API_MAX || strpbrk(api, " /?#@\r\n\t") || !(c->http = rt_http_new(api, RT_CONNECT_TIMEOUT_MS))) {
        snprintf(err, errlen, "AWS_LAMBDA_RUNTIME_API is not a host:port");
        free(c);
        return NULL;
    }
    snprintf(c->api, sizeof c->api, "%s", api);
    int n = snprintf(c->next_head, sizeof c->next_head,
                     "GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: %s\r\n"
                     "User-Agent: boxoffice-bootstrap\r\nAccept: */*\r\n\r\n",
                     api);
    c->next_head_len = (size_t)n;
    bo_buf_init(&c->event, RT_EVENT_MAX_BYTES - 1);
    return c;
}

void rt_client_free(rt_client *c)
{
    if (!c)
        return;
    rt_http_free(c->http);
    bo_buf_free(&c->event);
    free(c);
}

/* Appends body bytes to the event buffer, like the 6 MB cap of Lambda: past RT_EVENT_MAX_BYTES the bytes
 * are read and dropped (the connection stays usable) and the event is flagged by the buffer's latched
 * BO_BUF_TOO_BIG. -1 out of memory. */
static int event_append(void *user, const char *data, size_t n)
{
    rt_client *c = user;
    return bo_buf_addn(&c->event, data, n) == BO_BUF_NOMEM ? -1 : 0;
}

/* The /next headers this runtime uses. */
static void next_header(void *user, const char *line, size_t n)
{
    rt_client *c = user;
    const char *v;
    size_t vn;
    if (n < 15 || strncasecmp(line, "Lambda-Runtime-", 15) != 0)
        return;
    if (rt_http_header_is(line, n, "Lambda-Runtime-Aws-Request-Id", &v, &vn)) {
        if (!rt_http_copy_value(c->req.request_id, sizeof c->req.request_id, v, vn))
            c->id_too_long = true;
    } else if (rt_http_header_is(line, n, "Lambda-Runtime-Trace-Id", &v, &vn)) {
        if (!rt_http_copy_value(c->req.trace_id, sizeof c->req.trace_id, v, vn))
            c->req.trace_id[0] = '\0'; /* a cut trace id is worse than none */
    } else if (rt_http_header_is(line, n, "Lambda-Runtime-Invoked-Function-Arn", &v, &vn)) {
        rt_http_copy_value(c->req.function_arn, sizeof c->req.function_arn, v, vn);
    } else if (rt_http_header_is(line, n, "Lambda-Runtime-Deadline-Ms", &v, &vn)) {
        uint64_t d;
        c->req.deadline_ms = rt_http_parse_u64(v, vn, &d) ? d : 0;
    }
}

/* Before each attempt of GET /next: an answer cut by a dead connection leaves nothing behind. */
static void next_begin(void *user)
{
    rt_client *c = user;
    memset(&c->req, 0, sizeof c->req);
    bo_buf_reset(&c->event);
    c->id_too_long = false;
}

/* ---- /next ---- */

int rt_next(rt_client *c, rt_request *req)
{
    c->err[0] = '\0';
    struct iovec iov = { .iov_base = c->next_head, .iov_len = c->next_head_len };
    const rt_http_sink sink = { .begin = next_begin, .header = next_header, .body = event_append, .user = c };
    rt_http_answer h;
    if (rt_http_exchange(c->http, "GET /next", &iov, 1, &sink, &h, 0) != 0) { /* no timeout: see rt_api.h */
        snprintf(c->err, sizeof c->err, "%s", rt_http_last_error(c->http));
        return -1;
    }
    if (h.status != 200) {
        snprintf(c->err, sizeof c->err, "GET /next: HTTP %d", h.status);
        return -1;
    }
    if (c->req.request_id[0] == '\0' || c->id_too_long) {
        snprintf(c->err, sizeof c->err, "GET /next: %s Lambda-Runtime-Aws-Request-Id",
                 c->id_too_long ? "over-long" : "no");
        return -1;
    }
    bool overflow = bo_buf_error(&c->event) == BO_BUF_TOO_BIG;
    c->req.payload = overflow ? "" : bo_buf_ptr(&c->event); /* "" for an empty body too */
    c->req.payload_len = overflow ? 0 : bo_buf_len(&c->event);
    c->req.payload_too_large = overflow;
    *req = c->req;
    return 0;
}

void rt_client_trim(rt_client *c)
{
    bo_buf_shrink(&c->event, RT_BUF_KEEP); /* one huge event must not pin megabytes for the warm life */
}

/* ---- posts ---- */

/* Appends the request id, percent-encoded as one path segment, at dst. Returns the bytes written. */
static size_t escape_id(char *dst, const char *request_id)
{
    static const char hex[] = "0123456789ABCDEF";
    size_t w = 0;
    for (const unsigned char *p = (const unsigned char *)request_id; *p && w + 3 <= 3 * RT_REQUEST_ID_MAX; p++) {
        unsigned char ch = *p;
        if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' ||
            ch == '.' || ch == '_' || ch == '~') {
            dst[w++] = (char)ch;
        } else {
            dst[w++] = '%';
            dst[w++] = hex[ch >> 4];
            dst[w++] = hex[ch & 15];
        }
    }
    return w;
}

/* POST path (from "/runtime/..." on, for messages) with body; error_type adds the error-type header. */
static int post(rt_client *c, const char *path, const char *body, size_t len, const char *error_type)
{
    char head[RT_HEAD_MAX + 160];
    int n = snprintf(head, sizeof head,
                     "POST /2018-06-01%s HTTP/1.1\r\nHost: %s\r\nUser-Agent: boxoffice-bootstrap\r\n"
                     "Content-Type: application/json\r\nContent-Length: %zu\r\n%s%s%s\r\n",
                     path, c->api, len, error_type ? "Lambda-Runtime-Function-Error-Type: " : "",
                     error_type ? error_type : "", error_type ? "\r\n" : "");
    if (n < 0 || (size_t)n >= sizeof head) {
        snprintf(c->err, sizeof c->err, "POST %s: request head too long", path);
        return -1;
    }
    char what[64 + 3 * RT_REQUEST_ID_MAX];
    snprintf(what, sizeof what, "POST %s", path);
    struct iovec iov[2] = { { .iov_base = head, .iov_len = (size_t)n }, { .iov_base = (void *)body, .iov_len = len } };
    const rt_http_sink discard = { 0 };
    rt_http_answer h;
    if (rt_http_exchange(c->http, what, iov, len ? 2 : 1, &discard, &h, RT_POST_TIMEOUT_MS) != 0) {
        snprintf(c->err, sizeof c->err, "%s", rt_http_last_error(c->http));
        return -1;
    }
    if (h.status < 200 || h.status > 299) {
        snprintf(c->err, sizeof c->err, "%.150s: HTTP %d", what, h.status);
        return -1;
    }
    return 0;
}

/* "/runtime/invocation/<escaped id>/<what>" */
static void invocation_path(char *path, const char *request_id, const char *what)
{
    static const char pre[] = "/runtime/invocation/";
    memcpy(path, pre, sizeof pre - 1);
    size_t w = sizeof pre - 1;
    w += escape_id(path + w, request_id);
    path[w++] = '/';
    strcpy(path + w, what);
}

#define RT_PATH_MAX (sizeof "/runtime/invocation//response" + 3 * RT_REQUEST_ID_MAX)

int rt_post_response(rt_client *c, const char *request_id, const char *payload, size_t len)
{
    char path[RT_PATH_MAX];
    invocation_path(path, request_id, "response");
    return post(c, path, payload ? payload : "", payload ? len : 0, NULL);
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

static int post_error_to(rt_client *c, const char *path, const char *error_type, const char *message)
{
    /* error types go into a header: keep them to a safe character set */
    char type[96];
    size_t w = 0;
    for (const char *p = error_type ? error_type : "Runtime.Error"; *p && w + 1 < sizeof type; p++)
        type[w++] = (strchr("\r\n:", *p) || (unsigned char)*p < 0x20) ? '_' : *p;
    type[w] = '\0';
    char *body = error_body(type, message);
    const char *fallback = "{\"errorMessage\":\"out of memory\",\"errorType\":\"Runtime.OutOfMemory\",\"stackTrace\":[]}";
    int rc = post(c, path, body ? body : fallback, strlen(body ? body : fallback), type);
    free(body);
    return rc;
}

int rt_post_error(rt_client *c, const char *request_id, const char *error_type, const char *message)
{
    char path[RT_PATH_MAX];
    invocation_path(path, request_id, "error");
    return post_error_to(c, path, error_type, message);
}

int rt_post_init_error(rt_client *c, const char *error_type, const char *message)
{
    return post_error_to(c, "/runtime/init/error", error_type, message);
}
