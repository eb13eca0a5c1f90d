/* The API Gateway stand-in. See gw_http.h. */
#include "gw_http.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <uuid/uuid.h>

#include "gw_proxy.h"
#include "bo_code.h"
#include "gw_log.h"
#include "gw_route.h"
#include "gw_strict.h"

#define MAX_HEADERS 200
#define MAX_QUERY 200

struct gw_http {
    struct MHD_Daemon *d;
    const gw_config *cfg;
    gw_pool *pool;
    gw_http_options opts;
    uint16_t port;
};

typedef struct outcome {
    unsigned status;
    const char *function;      /* NULL when no function ran (points into the config) */
    int pid;
    const char *error_type;    /* static string or NULL */
    size_t bytes;
    bool secret_path;          /* the route has a {code} parameter (a ticket code, a bearer secret): the
                                  access log gives the route's template, not the path */
    const char *resource;      /* the matched route's template (points into the config), or NULL */
    const char *auth_error;    /* why a Cognito route answered 401 (gw_jwt_status_name), or NULL */
} outcome;

typedef struct api_req {
    char *body;
    size_t len;
    bool started;              /* the headers have been seen (first call of on_request) */
    bool bad_target;           /* NUL, control byte or space in the raw request target */
    bool too_big;
    bool headers_too_big;      /* request line + headers over API Gateway's 10,240 bytes */
    size_t drained;            /* body bytes read and dropped after a refusal (413/431) */
    int64_t t0_ns;
    int64_t t0_ms;
    bool answered;             /* the access-log fields below are set: log when the answer is sent */
    outcome o;
    char rid[40];
    char lambda_rid[40];
    char method[16];
    char *url;
    char *raw_path;            /* the request target's path as sent (before '?'), NULL on OOM */
} api_req;

typedef struct kv_list {
    gw_kv *items;
    size_t n, cap;
} kv_list;

static enum MHD_Result collect(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    kv_list *l = cls;
    if (l->n < l->cap) {
        l->items[l->n].key = key;
        l->items[l->n].value = value;
        l->n++;
    }
    return MHD_YES;
}

static enum MHD_Result send_json_ex(struct MHD_Connection *c, unsigned status, const char *body, const char *rid,
                                    const char *error_type, bool close, outcome *o)
{
    struct MHD_Response *r = MHD_create_response_from_buffer(strlen(body), (void *)body, MHD_RESPMEM_MUST_COPY);
    if (!r) return MHD_NO;
    MHD_add_response_header(r, "Content-Type", "application/json");
    if (close) MHD_add_response_header(r, "Connection", "close");
    MHD_add_response_header(r, "x-amzn-RequestId", rid);
    if (error_type) MHD_add_response_header(r, "x-amzn-ErrorType", error_type);
    o->status = status;
    o->error_type = error_type;
    o->bytes = strlen(body);
    enum MHD_Result ret = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result send_json(struct MHD_Connection *c, unsigned status, const char *body, const char *rid,
                                 const char *error_type, outcome *o)
{
    return send_json_ex(c, status, body, rid, error_type, false, o);
}

static void client_ip(struct MHD_Connection *c, char *buf, size_t len)
{
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    snprintf(buf, len, "127.0.0.1");
    if (!ci || !ci->client_addr) return;
    if (ci->client_addr->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)ci->client_addr)->sin_addr, buf, (socklen_t)len);
    else if (ci->client_addr->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)ci->client_addr)->sin6_addr, buf, (socklen_t)len);
}

/* The path as it may be logged: a ticket code in it (GET /tickets/by-code/{code}) is a bearer secret and keeps
 * only its first symbols (bo_code_redact), as the function's own log line does. */
static const char *loggable_path(const char *url, char *buf, size_t cap)
{
    static const char seg[] = "/tickets/by-code/";
    const char *p = strstr(url, seg);
    if (p == NULL)
        return url;
    char red[BO_CODE_REDACT_BUF];
    bo_code_redact(p + sizeof seg - 1, red);
    snprintf(buf, cap, "%.*s%s%s", (int)(p - url), url, seg, red);
    return buf;
}

static void access_log(const char *rid, const char *ip, const char *method, const char *url, const outcome *o,
                       int64_t t0_ns, const char *lambda_rid)
{
    char pathbuf[2048];
    url = loggable_path(url, pathbuf, sizeof pathbuf);
    cJSON *j = cJSON_CreateObject();
    char now[32];
    gw_log_now(now);
    double ms = (double)(gw_mono_ns() - t0_ns) / 1e6;
    char *s = NULL;
    if (j && cJSON_AddStringToObject(j, "time", now) && cJSON_AddStringToObject(j, "event", "access") &&
        cJSON_AddStringToObject(j, "requestId", rid) && cJSON_AddStringToObject(j, "ip", ip) &&
        cJSON_AddStringToObject(j, "method", method) &&
        cJSON_AddStringToObject(j, "path", o->secret_path && o->resource ? o->resource : url) &&
        cJSON_AddNumberToObject(j, "status", o->status) && cJSON_AddNumberToObject(j, "bytes", (double)o->bytes) &&
        cJSON_AddNumberToObject(j, "durationMs", (double)(long long)(ms * 100) / 100) &&
        (o->function ? cJSON_AddStringToObject(j, "function", o->function) != NULL : true) &&
        (o->function && lambda_rid[0] ? cJSON_AddStringToObject(j, "lambdaRequestId", lambda_rid) != NULL : true) &&
        (o->pid ? cJSON_AddNumberToObject(j, "workerPid", o->pid) != NULL : true) &&
        (o->error_type ? cJSON_AddStringToObject(j, "errorType", o->error_type) != NULL : true) &&
        (o->auth_error ? cJSON_AddStringToObject(j, "authError", o->auth_error) != NULL : true))
        s = cJSON_PrintUnformatted(j);
    if (s) gw_log(NULL, "%s", s);
    free(s);
    cJSON_Delete(j);
}

/* key (len bytes) is one of the gateway's keys */
static bool key_ok(const gw_http *h, const char *key, size_t len)
{
    if (!key || len == 0) return false;
    if (h->opts.api_key && strlen(h->opts.api_key) == len && memcmp(key, h->opts.api_key, len) == 0) return true;
    for (size_t i = 0; i < h->cfg->n_api_keys; i++)
        if (strlen(h->cfg->api_keys[i]) == len && memcmp(key, h->cfg->api_keys[i], len) == 0) return true;
    return false;
}

typedef struct key_query {
    unsigned n;
    const char *value;
} key_query;

static enum MHD_Result find_api_keys(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    key_query *q = cls;
    if (strcasecmp(key, "x-api-key") == 0 && q->n++ == 0) q->value = value;
    return MHD_YES;
}

/* The request's x-api-key as API Gateway reads it: the one header's value without leading and trailing
 * whitespace (RFC 9110 OWS: spaces and tabs). NULL when absent or sent more than once (refused rather
 * than half-read). *len is its length; the value is not NUL-terminated at *len. */
static const char *request_api_key(struct MHD_Connection *c, size_t *len)
{
    key_query q = {0, NULL};
    MHD_get_connection_values(c, MHD_HEADER_KIND, find_api_keys, &q);
    if (q.n != 1 || !q.value) return NULL;
    const char *v = q.value;
    size_t n = strlen(v);
    while (n > 0 && (*v == ' ' || *v == '\t')) { v++; n--; }
    while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t')) n--;
    *len = n;
    return v;
}

typedef struct auth_query {
    unsigned n;
    const char *value;
} auth_query;

static enum MHD_Result find_authorization(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    auth_query *q = cls;
    if (strcasecmp(key, "Authorization") == 0 && q->n++ == 0) q->value = value;
    return MHD_YES;
}

/* The route's authorizer on this request: GW_JWT_OK with *claims (caller deletes), else why not. The
 * token is the one Authorization header's value without surrounding spaces/tabs (none, or more than one
 * header: refused); it never leaves this function except as claims. */
static gw_jwt_status authorize(const gw_http *h, struct MHD_Connection *c, const gw_route *route, cJSON **claims)
{
    *claims = NULL;
    if (route->authorizer != GW_AUTHZ_COGNITO) return GW_JWT_ALG;     /* one the gateway cannot run */
    auth_query q = {0, NULL};
    MHD_get_connection_values(c, MHD_HEADER_KIND, find_authorization, &q);
    if (q.n != 1 || !q.value) return GW_JWT_MISSING;
    const char *v = q.value;
    size_t n = strlen(v);
    while (n > 0 && (*v == ' ' || *v == '\t')) { v++; n--; }
    while (n > 0 && (v[n - 1] == ' ' || v[n - 1] == '\t')) n--;
    return gw_jwks_check(h->opts.jwks, v, n, claims);
}

static enum MHD_Result admin(gw_http *h, struct MHD_Connection *c, const char *url, const char *rid, outcome *o)
{
    if (strcmp(url, "/__gateway/health") == 0) {
        char body[512];
        snprintf(body, sizeof body, "{\"status\":\"ok\",\"service\":\"%s\",\"stage\":\"%s\",\"functions\":%zu}",
                 h->cfg->service, h->cfg->stage, h->cfg->n_functions);
        return send_json(c, 200, body, rid, NULL, o);
    }
    if (strcmp(url, "/__gateway/workers") == 0) {
        cJSON *st = gw_pool_status(h->pool);
        char *s = st ? cJSON_PrintUnformatted(st) : NULL;
        cJSON_Delete(st);
        enum MHD_Result r = s ? send_json(c, 200, s, rid, NULL, o)
                              : send_json(c, 500, "{\"message\":\"out of memory\"}", rid, NULL, o);
        free(s);
        return r;
    }
    return send_json(c, 403, "{\"message\":\"Missing Authentication Token\"}", rid, "MissingAuthenticationTokenException", o);
}

static enum MHD_Result handle(gw_http *h, struct MHD_Connection *c, const char *url, const char *method,
                              api_req *req, const char *rid, char *lambda_rid, outcome *o)
{
    if (strncmp(url, "/__gateway/", 11) == 0) return admin(h, c, url, rid, o);
    /* libmicrohttpd's url ends at a decoded %00: route on the whole decoded path instead */
    char *whole = NULL;
    size_t whole_len = 0;
    if (req->raw_path && gw_route_unescape(req->raw_path, strlen(req->raw_path), &whole, &whole_len) != 0)
        return send_json(c, 500, "{\"message\": \"Internal server error\"}", rid, NULL, o);
    const char *rest = gw_route_strip_stage(url, h->cfg->stage); /* the event's path: a C string */
    const char *route_path = rest;
    size_t route_len = rest ? strlen(rest) : 0, sl = strlen(h->cfg->stage);
    if (whole && memchr(whole, '\0', whole_len)) {
        bool below = whole_len > sl + 1 && whole[0] == '/' && memcmp(whole + 1, h->cfg->stage, sl) == 0
                     && whole[sl + 1] == '/';
        route_path = below ? whole + sl + 1 : NULL;
        route_len = below ? whole_len - sl - 1 : 0;
    }
    const gw_route *route = NULL;
    cJSON *params = NULL;
    gw_route_status rs = rest && route_path ? gw_route_match_n(h->cfg, method, route_path, route_len, &route, &params)
                                            : GW_ROUTE_NONE;
    free(whole);
    if (rs == GW_ROUTE_NOMEM) return send_json(c, 500, "{\"message\": \"Internal server error\"}", rid, NULL, o);
    if (rs != GW_ROUTE_OK) goto missing;
    o->resource = route->resource;
    o->secret_path = strstr(route->resource, "{code}") != NULL;
    cJSON *claims = NULL;      /* the authorizer's, for the event */
    if (route->authorizer != GW_AUTHZ_NONE) {
        gw_jwt_status st = authorize(h, c, route, &claims);
        if (st == GW_JWT_NOMEM) {
            cJSON_Delete(params);
            return send_json(c, 500, "{\"message\": \"Internal server error\"}", rid, NULL, o);
        }
        if (st != GW_JWT_OK) {
            cJSON_Delete(params);
            o->auth_error = route->authorizer == GW_AUTHZ_COGNITO ? gw_jwt_status_name(st) : "unsupported_authorizer";
            return send_json(c, 401, h->cfg->unauthorized_body ? h->cfg->unauthorized_body : GW_UNAUTHORIZED_DEFAULT,
                             rid, "UnauthorizedException", o);
        }
    }
    size_t key_len = 0;
    const char *key = request_api_key(c, &key_len);
    if (route->private_route && !key_ok(h, key, key_len)) {
        cJSON_Delete(params);
        cJSON_Delete(claims);
        return send_json(c, 403, "{\"message\":\"Forbidden\"}", rid, "ForbiddenException", o);
    }
    char *key_copy = NULL;      /* for the event's identity.apiKey */
    if (route->private_route && !(key_copy = strndup(key, key_len))) {
        cJSON_Delete(params);
        cJSON_Delete(claims);
        return send_json(c, 500, "{\"message\": \"Internal server error\"}", rid, NULL, o);
    }
    if (req->too_big) {
        cJSON_Delete(params);
        cJSON_Delete(claims);
        free(key_copy);
        return send_json(c, 413, "{\"message\":\"Request Too Long\"}", rid, NULL, o);
    }

    gw_kv hbuf[MAX_HEADERS + 3], qbuf[MAX_QUERY];
    kv_list hl = {hbuf, 0, MAX_HEADERS}, ql = {qbuf, 0, MAX_QUERY};
    MHD_get_connection_values(c, MHD_HEADER_KIND, collect, &hl);
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect, &ql);
    char ip[64], port[16];
    client_ip(c, ip, sizeof ip);
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_DAEMON);
    const union MHD_DaemonInfo *di = ci ? MHD_get_daemon_info(ci->daemon, MHD_DAEMON_INFO_BIND_PORT) : NULL;
    snprintf(port, sizeof port, "%u", di ? (unsigned)di->port : (unsigned)h->opts.port);
    /* API Gateway adds these for the integration */
    if (!MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-For")) hbuf[hl.n++] = (gw_kv){"X-Forwarded-For", ip};
    if (!MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-Port")) hbuf[hl.n++] = (gw_kv){"X-Forwarded-Port", port};
    if (!MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Forwarded-Proto")) hbuf[hl.n++] = (gw_kv){"X-Forwarded-Proto", "http"};

    gw_request greq = {
        .method = method, .path = rest, .stage = h->cfg->stage,
        .headers = hbuf, .n_headers = hl.n, .query = qbuf, .n_query = ql.n,
        .body = req->len > 0 ? req->body : NULL, .body_len = req->len,
        .source_ip = ip, .request_id = rid, .time_epoch_ms = req->t0_ms,
        .api_key = key_copy, .api_id = "local", .claims = claims,
    };
    char *event = gw_event_build(&greq, route, params);
    cJSON_Delete(params);
    cJSON_Delete(claims);
    free(key_copy);
    if (!event) return send_json(c, 500, "{\"message\": \"Internal server error\"}", rid, NULL, o);
    const gw_function *fn = &h->cfg->functions[route->fn];
    o->function = fn->name;
    gw_invocation_out out;
    gw_pool_invoke(h->pool, route->fn, event, strlen(event), h->opts.integration_timeout_ms, &out);
    free(event);
    o->pid = (int)out.pid;
    memcpy(lambda_rid, out.request_id, sizeof out.request_id);
    enum MHD_Result ret;
    gw_response resp;
    switch (out.result) {
    case GW_INV_OK:
        if (gw_response_parse(out.payload, out.payload_len, &resp) != 0) {
            gw_log(fn->name, "{\"event\":\"malformed_response\",\"requestId\":\"%s\"}", out.request_id);
            ret = send_json(c, 502, "{\"message\": \"Internal server error\"}", rid, NULL, o);
            break;
        }
        {
            struct MHD_Response *r = MHD_create_response_from_buffer(resp.body_len, resp.body ? resp.body : (void *)"",
                                                                     MHD_RESPMEM_MUST_COPY);
            if (!r) { gw_response_clear(&resp); ret = MHD_NO; break; }
            bool has_ct = false;
            for (size_t i = 0; i < resp.n_headers; i++) {
                if (strcasecmp(resp.headers[i].name, "Content-Length") == 0 ||
                    strcasecmp(resp.headers[i].name, "Transfer-Encoding") == 0 ||
                    strcasecmp(resp.headers[i].name, "Connection") == 0)
                    continue;
                if (strcasecmp(resp.headers[i].name, "Content-Type") == 0) has_ct = true;
                MHD_add_response_header(r, resp.headers[i].name, resp.headers[i].value);
            }
            if (!has_ct) MHD_add_response_header(r, "Content-Type", "application/json");
            MHD_add_response_header(r, "x-amzn-RequestId", rid);
            o->status = (unsigned)resp.status;
            o->bytes = resp.body_len;
            ret = MHD_queue_response(c, (unsigned)resp.status, r);
            MHD_destroy_response(r);
            gw_response_clear(&resp);
        }
        break;
    case GW_INV_NO_ANSWER:      /* API Gateway's integration timeout passed first */
        ret = send_json(c, 504, "{\"message\": \"Endpoint request timed out\"}", rid, NULL, o);
        break;
    case GW_INV_THROTTLED:
        ret = send_json(c, 429, "{\"message\":\"Too Many Requests\"}", rid, "TooManyRequestsException", o);
        break;
    default:      /* function error or timeout, crash, gateway trouble */
        ret = send_json(c, 502, "{\"message\": \"Internal server error\"}", rid, NULL, o);
        break;
    }
    free(out.payload);
    return ret;
missing:
    return send_json(c, 403, "{\"message\":\"Missing Authentication Token\"}", rid, "MissingAuthenticationTokenException", o);
}

/* API Gateway (REST) refuses a request whose request line and headers exceed 10,240 bytes. libmicrohttpd's
 * per-connection memory (GW_CONN_MEMORY) is larger, so such a request reaches us and gets a JSON answer
 * instead of the library's own HTML page. */
#define GW_MAX_HEADER_BYTES 10240
#define GW_CONN_MEMORY (512 * 1024)

static enum MHD_Result add_header_len(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    size_t *total = cls;
    *total += strlen(key) + (value ? strlen(value) : 0) + 4; /* ": " and CRLF */
    return MHD_YES;
}

/* After refusing a request (413, 431) the gateway still reads and drops its body, up to these bounds,
 * so that clients which send the whole body before reading (Python's urllib, requests) read the answer
 * instead of a reset connection; past them the connection is closed. */
#define GW_DRAIN_MAX_BYTES (64 * 1024 * 1024)
#define GW_DRAIN_MAX_NS (15LL * 1000000000)

static api_req *new_req(void)
{
    api_req *req = calloc(1, sizeof *req);
    if (!req) return NULL;
    req->t0_ns = gw_mono_ns();
    req->t0_ms = gw_now_ms();
    return req;
}

/* MHD_OPTION_URI_LOG_CALLBACK: the request line has been read; its raw target is checked here, before
 * libmicrohttpd unescapes it (the result becomes the request's *con_cls). */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c)
{
    (void)cls;
    bool ok = gw_strict_target_ok(c, uri);
    api_req *req = new_req();
    if (req) {
        req->bad_target = !ok;
        req->raw_path = uri ? strndup(uri, strcspn(uri, "?#")) : NULL;
    }
    return req;
}

/* The headers are in: decides what can be refused before the body is read. Returns the refusal to
 * send at once (with the connection closed), or 0 to go on reading. */
static unsigned first_look(gw_http *h, struct MHD_Connection *c, const char *url, const char *method, api_req *req)
{
    if (req->bad_target || gw_strict_framing(c)) return 400;
    const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
    unsigned long long declared = cl ? strtoull(cl, NULL, 10) : 0;
    if (declared > h->opts.max_body) req->too_big = true;
    size_t head = strlen(method) + strlen(url) + 12;
    MHD_get_connection_values(c, MHD_HEADER_KIND, add_header_len, &head);
    req->headers_too_big = head > GW_MAX_HEADER_BYTES;
    if (!req->too_big && !req->headers_too_big) return 0;
    /* Refuse at once when there is too much to drain, or when the client waits for "100 Continue"
     * before sending the body (curl does for large bodies): it reads the answer instead. */
    const char *expect = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Expect");
    if (declared > GW_DRAIN_MAX_BYTES || (expect && strcasecmp(expect, "100-continue") == 0))
        return req->headers_too_big ? 431 : 413;
    return 0;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                                  const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
    (void)version;
    gw_http *h = cls;
    api_req *req = *con_cls;
    if (!req) return MHD_NO;     /* on_uri could not allocate it (and check the target): close */
    unsigned refuse_now = 0;
    if (!req->started) {
        req->started = true;
        refuse_now = first_look(h, c, url, method, req);
        if (!refuse_now) return MHD_YES;
    }
    if (*upload_size) {
        if (!req->too_big && !req->headers_too_big && req->len + *upload_size <= h->opts.max_body) {
            char *b = realloc(req->body, req->len + *upload_size + 1);
            if (!b) return MHD_NO;
            memcpy(b + req->len, upload, *upload_size);
            req->body = b;
            req->len += *upload_size;
            b[req->len] = '\0';
        } else {
            req->too_big = req->too_big || !req->headers_too_big;
            free(req->body);
            req->body = NULL;
            req->len = 0;
            req->drained += *upload_size;
            if (req->drained > GW_DRAIN_MAX_BYTES || gw_mono_ns() - req->t0_ns > GW_DRAIN_MAX_NS)
                return MHD_NO;       /* enough: close without reading the rest */
        }
        *upload_size = 0;
        return MHD_YES;
    }
    char rid[40], lambda_rid[40] = "";
    uuid_t u;
    uuid_generate_random(u);
    uuid_unparse_lower(u, rid);
    outcome o = {0};
    enum MHD_Result ret;
    if (refuse_now == 400) {
        /* never read a body whose length is in doubt: answer and close */
        ret = send_json_ex(c, 400, GW_STRICT_BAD_REQUEST, rid, NULL, true, &o);
    } else if (req->headers_too_big) {
        ret = send_json_ex(c, 431, "{\"message\":\"Request Header Fields Too Large\"}", rid, NULL, refuse_now != 0, &o);
    } else if (req->too_big && strncmp(url, "/__gateway/", 11) != 0 && gw_route_strip_stage(url, h->cfg->stage)) {
        /* API Gateway refuses an oversized payload before routing */
        ret = send_json_ex(c, 413, "{\"message\":\"Request Too Long\"}", rid, NULL, refuse_now != 0, &o);
    } else {
        ret = handle(h, c, url, method, req, rid, lambda_rid, &o);
    }
    gw_strict_set_answered(true);
    /* logged by on_completed once the answer is out, off the request's critical path */
    req->answered = true;
    req->o = o;
    memcpy(req->rid, rid, sizeof req->rid);
    memcpy(req->lambda_rid, lambda_rid, sizeof req->lambda_rid);
    snprintf(req->method, sizeof req->method, "%s", method);
    req->url = strdup(url);      /* NULL on OOM: logged as "?" */
    return ret;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe)
{
    (void)cls;
    (void)toe;
    api_req *req = *con_cls;
    gw_strict_set_answered(false);
    if (req && req->answered) {
        char ip[64];
        client_ip(c, ip, sizeof ip);
        access_log(req->rid, ip, req->method, req->url ? req->url : "?", &req->o, req->t0_ns, req->lambda_rid);
    }
    if (req) { free(req->url); free(req->raw_path); free(req->body); free(req); }
    *con_cls = NULL;
}

gw_http *gw_http_start(const gw_config *cfg, gw_pool *pool, const gw_http_options *opts, char *err, size_t errlen)
{
    gw_http *h = calloc(1, sizeof *h);
    if (!h) { snprintf(err, errlen, "out of memory"); return NULL; }
    h->cfg = cfg;
    h->pool = pool;
    h->opts = *opts;
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons(opts->port);
    if (inet_pton(AF_INET, opts->host ? opts->host : "127.0.0.1", &sa.sin_addr) != 1) {
        snprintf(err, errlen, "bad listen address %s (IPv4 expected)", opts->host);
        free(h);
        return NULL;
    }
    h->d = MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL |
                                MHD_USE_ERROR_LOG,
                            opts->port, NULL, NULL, on_request, h,
                            MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
                            MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
                            MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL,
                            MHD_OPTION_NOTIFY_CONNECTION, gw_strict_on_connection, NULL,
                            MHD_OPTION_EXTERNAL_LOGGER, gw_strict_logger, NULL,
                            MHD_OPTION_CONNECTION_LIMIT, (unsigned)2000,
                            MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)GW_CONN_MEMORY,
                            MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)120,
                            MHD_OPTION_THREAD_STACK_SIZE, (size_t)(512 * 1024),
                            MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)1024,
                            MHD_OPTION_END);
    if (!h->d) {
        snprintf(err, errlen, "cannot listen on %s:%u (port in use?)", opts->host ? opts->host : "127.0.0.1",
                 (unsigned)opts->port);
        free(h);
        return NULL;
    }
    gw_strict_prepare_listener(h->d);
    if (h->opts.integration_timeout_ms <= 0) h->opts.integration_timeout_ms = GW_INTEGRATION_TIMEOUT_MS;
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_BIND_PORT);
    h->port = di ? di->port : opts->port;
    return h;
}

uint16_t gw_http_port(const gw_http *h) { return h->port; }

void gw_http_stop(gw_http *h)
{
    if (!h) return;
    MHD_stop_daemon(h->d);
    free(h);
}
