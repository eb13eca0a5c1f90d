/* API Gateway REST v1.0 proxy events and responses. See gw_proxy.h. */
#include "gw_proxy.h"

#include "bo_base64.h"
#include "bo_text.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* Adds value to obj[key] (last wins) and to multi[key] (array, all values in order). The grouping
 * is case-insensitive for headers (the first spelling is kept), exact for query parameters. */
static int add_multi(cJSON *single, cJSON *multi, const char *key, const char *value, bool fold_case)
{
    cJSON *existing = NULL;
    cJSON *it;
    cJSON_ArrayForEach(it, multi) {
        if (fold_case ? strcasecmp(it->string, key) == 0 : strcmp(it->string, key) == 0) { existing = it; break; }
    }
    cJSON *sv = cJSON_CreateString(value);
    if (!sv) return -1;
    if (existing) {
        cJSON_AddItemToArray(existing, sv);
        cJSON_ReplaceItemInObjectCaseSensitive(single, existing->string, cJSON_CreateString(value));
        return 0;
    }
    cJSON *arr = cJSON_AddArrayToObject(multi, key);
    if (!arr) { cJSON_Delete(sv); return -1; }
    cJSON_AddItemToArray(arr, sv);
    return cJSON_AddStringToObject(single, key, value) ? 0 : -1;
}

static const char *header(const gw_request *req, const char *name)
{
    const char *v = NULL;
    for (size_t i = 0; i < req->n_headers; i++)
        if (strcasecmp(req->headers[i].key, name) == 0) v = req->headers[i].value;
    return v;
}

char *gw_event_build(const gw_request *req, const gw_route *route, const cJSON *path_params)
{
    char *out = NULL;
    char *b64 = NULL;
    cJSON *ev = cJSON_CreateObject();
    if (!ev) return NULL;
    if (!cJSON_AddStringToObject(ev, "resource", route->resource) ||
        !cJSON_AddStringToObject(ev, "path", req->path) ||
        !cJSON_AddStringToObject(ev, "httpMethod", req->method))
        goto done;

    if (req->n_headers > 0) {
        cJSON *h = cJSON_AddObjectToObject(ev, "headers");
        cJSON *mh = cJSON_AddObjectToObject(ev, "multiValueHeaders");
        if (!h || !mh) goto done;
        for (size_t i = 0; i < req->n_headers; i++)
            if (add_multi(h, mh, req->headers[i].key, req->headers[i].value ? req->headers[i].value : "", true) != 0)
                goto done;
    } else if (!cJSON_AddNullToObject(ev, "headers") || !cJSON_AddNullToObject(ev, "multiValueHeaders")) {
        goto done;
    }

    if (req->n_query > 0) {
        cJSON *q = cJSON_AddObjectToObject(ev, "queryStringParameters");
        cJSON *mq = cJSON_AddObjectToObject(ev, "multiValueQueryStringParameters");
        if (!q || !mq) goto done;
        for (size_t i = 0; i < req->n_query; i++)
            if (add_multi(q, mq, req->query[i].key, req->query[i].value ? req->query[i].value : "", false) != 0)
                goto done;
    } else if (!cJSON_AddNullToObject(ev, "queryStringParameters") ||
               !cJSON_AddNullToObject(ev, "multiValueQueryStringParameters")) {
        goto done;
    }

    if (path_params) {
        cJSON *pp = cJSON_Duplicate(path_params, true);
        if (!pp) goto done;
        cJSON_AddItemToObject(ev, "pathParameters", pp);
    } else if (!cJSON_AddNullToObject(ev, "pathParameters")) {
        goto done;
    }
    if (!cJSON_AddNullToObject(ev, "stageVariables")) goto done;

    cJSON *rc = cJSON_AddObjectToObject(ev, "requestContext");
    if (!rc) goto done;
    char when[64], full_path[2048];
    time_t secs = (time_t)(req->time_epoch_ms / 1000);
    struct tm tm;
    gmtime_r(&secs, &tm);
    strftime(when, sizeof when, "%d/%b/%Y:%H:%M:%S +0000", &tm);
    snprintf(full_path, sizeof full_path, "/%s%s", req->stage, req->path);
    const char *host = header(req, "Host");
    cJSON *id = NULL;
    if (!cJSON_AddStringToObject(rc, "resourceId", "local") ||
        !cJSON_AddStringToObject(rc, "resourcePath", route->resource) ||
        !cJSON_AddStringToObject(rc, "httpMethod", req->method) ||
        !cJSON_AddStringToObject(rc, "extendedRequestId", req->request_id) ||
        !cJSON_AddStringToObject(rc, "requestTime", when) ||
        !cJSON_AddStringToObject(rc, "path", full_path) ||
        !cJSON_AddStringToObject(rc, "accountId", "123456789012") ||
        !cJSON_AddStringToObject(rc, "protocol", "HTTP/1.1") ||
        !cJSON_AddStringToObject(rc, "stage", req->stage) ||
        !cJSON_AddStringToObject(rc, "domainPrefix", "local") ||
        !cJSON_AddNumberToObject(rc, "requestTimeEpoch", (double)req->time_epoch_ms) ||
        !cJSON_AddStringToObject(rc, "requestId", req->request_id) ||
        !(id = cJSON_AddObjectToObject(rc, "identity")) ||
        !cJSON_AddStringToObject(rc, "domainName", host ? host : "127.0.0.1") ||
        !cJSON_AddStringToObject(rc, "apiId", req->api_id ? req->api_id : "local"))
        goto done;
    const char *ua = header(req, "User-Agent");
    if (!cJSON_AddNullToObject(id, "cognitoIdentityPoolId") || !cJSON_AddNullToObject(id, "accountId") ||
        !cJSON_AddNullToObject(id, "cognitoIdentityId") || !cJSON_AddNullToObject(id, "caller") ||
        !cJSON_AddStringToObject(id, "sourceIp", req->source_ip ? req->source_ip : "127.0.0.1") ||
        !cJSON_AddNullToObject(id, "principalOrgId") || !cJSON_AddNullToObject(id, "accessKey") ||
        !cJSON_AddNullToObject(id, "cognitoAuthenticationType") ||
        !cJSON_AddNullToObject(id, "cognitoAuthenticationProvider") || !cJSON_AddNullToObject(id, "userArn") ||
        !(ua ? cJSON_AddStringToObject(id, "userAgent", ua) : cJSON_AddNullToObject(id, "userAgent")) ||
        !cJSON_AddNullToObject(id, "user"))
        goto done;
    if (req->api_key) {
        if (!cJSON_AddStringToObject(id, "apiKey", req->api_key) || !cJSON_AddStringToObject(id, "apiKeyId", "local-operator"))
            goto done;
    }
    if (req->claims) {
        cJSON *az = cJSON_AddObjectToObject(rc, "authorizer");
        cJSON *cl = cJSON_Duplicate(req->claims, true);
        if (!az || !cl) { cJSON_Delete(cl); goto done; }
        cJSON_AddItemToObject(az, "claims", cl);
    }

    bool is_b64 = false;
    if (!req->body) {
        if (!cJSON_AddNullToObject(ev, "body")) goto done;
    } else if (bo_utf8_valid_no_nul(req->body, req->body_len)) {
        if (!cJSON_AddStringToObject(ev, "body", req->body)) goto done;   /* no NUL inside: checked */
    } else {
        if (!(b64 = bo_base64_encode(req->body, req->body_len)) || !cJSON_AddStringToObject(ev, "body", b64)) goto done;
        is_b64 = true;
    }
    if (!cJSON_AddBoolToObject(ev, "isBase64Encoded", is_b64)) goto done;
    out = cJSON_PrintUnformatted(ev);
done:
    free(b64);
    cJSON_Delete(ev);
    return out;
}

void gw_response_clear(gw_response *r)
{
    if (!r) return;
    for (size_t i = 0; i < r->n_headers; i++) {
        free(r->headers[i].name);
        free(r->headers[i].value);
    }
    free(r->headers);
    free(r->body);
    memset(r, 0, sizeof *r);
}

static bool header_name_ok(const char *s)
{
    if (!*s) return false;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c <= 32 || c >= 127 || strchr("()<>@,;:\\\"/[]?={}", c)) return false;
    }
    return true;
}

/* A header value from a JSON scalar, or NULL when it is none / holds CR, LF or NUL. */
static char *header_value(const cJSON *v)
{
    char buf[64];
    const char *s;
    if (cJSON_IsString(v)) s = v->valuestring;
    else if (cJSON_IsBool(v)) s = cJSON_IsTrue(v) ? "true" : "false";
    else if (cJSON_IsNumber(v)) {
        if (v->valuedouble == (double)(long long)v->valuedouble) snprintf(buf, sizeof buf, "%lld", (long long)v->valuedouble);
        else snprintf(buf, sizeof buf, "%.17g", v->valuedouble);
        s = buf;
    } else return NULL;
    if (strpbrk(s, "\r\n")) return NULL;
    return strdup(s);
}

static int push_header(gw_response *r, const char *name, const cJSON *v)
{
    if (!header_name_ok(name)) return -1;
    char *val = header_value(v);
    if (!val) return -1;
    gw_header *h = realloc(r->headers, (r->n_headers + 1) * sizeof *h);
    char *nm = strdup(name);
    if (!h || !nm) { if (h) r->headers = h; free(nm); free(val); return -1; }
    r->headers = h;
    h[r->n_headers].name = nm;
    h[r->n_headers].value = val;
    r->n_headers++;
    return 0;
}

int gw_response_parse(const char *payload, size_t len, gw_response *out)
{
    memset(out, 0, sizeof *out);
    cJSON *j = cJSON_ParseWithLength(payload, len);
    if (!cJSON_IsObject(j)) goto bad;
    const cJSON *st = cJSON_GetObjectItemCaseSensitive(j, "statusCode");
    if (!cJSON_IsNumber(st) || st->valuedouble != (double)(int)st->valuedouble ||
        st->valueint < 100 || st->valueint > 599)
        goto bad;
    out->status = st->valueint;

    const cJSON *h = cJSON_GetObjectItemCaseSensitive(j, "headers");
    if (h && !cJSON_IsNull(h)) {
        if (!cJSON_IsObject(h)) goto bad;
        const cJSON *it;
        cJSON_ArrayForEach(it, h) if (push_header(out, it->string, it) != 0) goto bad;
    }
    const cJSON *mh = cJSON_GetObjectItemCaseSensitive(j, "multiValueHeaders");
    if (mh && !cJSON_IsNull(mh)) {
        if (!cJSON_IsObject(mh)) goto bad;
        const cJSON *it;
        cJSON_ArrayForEach(it, mh) {
            if (!cJSON_IsArray(it)) goto bad;
            /* API Gateway merges both maps; a name present in both takes the multi-value list. */
            for (size_t i = 0; i < out->n_headers;) {
                if (strcasecmp(out->headers[i].name, it->string) == 0) {
                    free(out->headers[i].name);
                    free(out->headers[i].value);
                    memmove(&out->headers[i], &out->headers[i + 1], (out->n_headers - i - 1) * sizeof *out->headers);
                    out->n_headers--;
                } else {
                    i++;
                }
            }
            const cJSON *v;
            cJSON_ArrayForEach(v, it) if (push_header(out, it->string, v) != 0) goto bad;
        }
    }

    const cJSON *b64 = cJSON_GetObjectItemCaseSensitive(j, "isBase64Encoded");
    if (b64 && !cJSON_IsNull(b64) && !cJSON_IsBool(b64)) goto bad;
    const cJSON *body = cJSON_GetObjectItemCaseSensitive(j, "body");
    if (body && !cJSON_IsNull(body)) {
        if (!cJSON_IsString(body)) goto bad;
        if (cJSON_IsTrue(b64)) {
            out->body = bo_base64_decode(body->valuestring, strlen(body->valuestring), SIZE_MAX, &out->body_len, NULL);
            if (!out->body) goto bad;
        } else {
            out->body_len = strlen(body->valuestring);
            out->body = strdup(body->valuestring);
            if (!out->body) goto bad;
        }
    }
    cJSON_Delete(j);
    return 0;
bad:
    cJSON_Delete(j);
    gw_response_clear(out);
    return -1;
}
