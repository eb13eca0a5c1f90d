/* API Gateway v1.0 proxy responses. */
#include "apigw.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int apigw_response_error(apigw_response *r, int status, const char *message)
{
    r->status = status;
    r->content_type = NULL;
    free(r->body);
    r->body = NULL;
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddStringToObject(o, "error", message ? message : "error")) {
        cJSON_Delete(o);
        return -1;
    }
    r->body = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return r->body ? 0 : -1;
}

void apigw_response_take(apigw_response *r, int status, char *body)
{
    r->content_type = NULL;
    free(r->body);
    r->status = status;
    r->body = body;
}

void apigw_response_clear(apigw_response *r)
{
    if (!r)
        return;
    free(r->body);
    memset(r, 0, sizeof *r);
}

/* Bytes needed to write s as the inside of a JSON string. */
static size_t escaped_len(const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\' || *p == '\n' || *p == '\r' || *p == '\t' || *p == '\b' || *p == '\f')
            n += 2;
        else if (*p < 0x20)
            n += 6;
        else
            n += 1;
    }
    return n;
}

static char *escape_into(char *w, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        unsigned char c = *p;
        switch (c) {
        case '"': *w++ = '\\'; *w++ = '"'; break;
        case '\\': *w++ = '\\'; *w++ = '\\'; break;
        case '\n': *w++ = '\\'; *w++ = 'n'; break;
        case '\r': *w++ = '\\'; *w++ = 'r'; break;
        case '\t': *w++ = '\\'; *w++ = 't'; break;
        case '\b': *w++ = '\\'; *w++ = 'b'; break;
        case '\f': *w++ = '\\'; *w++ = 'f'; break;
        default:
            if (c < 0x20) {
                memcpy(w, "\\u00", 4);
                w[4] = hex[c >> 4];
                w[5] = hex[c & 15];
                w += 6;
            } else {
                *w++ = (char)c;
            }
        }
    }
    return w;
}

/* Written by hand (one allocation, one pass over the body): this runs on every invocation. */
char *apigw_response_json(const apigw_response *r)
{
    const char *body = r->body ? r->body : "";
    char head[256];
    const char *type = r->content_type ? r->content_type : "application/json";
    if (strlen(type) > 64 || strpbrk(type, "\"\\"))
        return NULL;
    int hn = snprintf(head, sizeof head, "{\"statusCode\":%d,\"headers\":{\"Content-Type\":\"%s\"", r->status, type);
    if (r->retry_after_s > 0)
        hn += snprintf(head + hn, sizeof head - (size_t)hn, ",\"Retry-After\":\"%u\"", r->retry_after_s);
    if (r->replayed)
        hn += snprintf(head + hn, sizeof head - (size_t)hn, ",\"Idempotent-Replayed\":\"true\"");
    hn += snprintf(head + hn, sizeof head - (size_t)hn, "},\"isBase64Encoded\":false,\"body\":\"");
    if (hn < 0 || (size_t)hn >= sizeof head)
        return NULL;
    size_t total = (size_t)hn + escaped_len(body) + 3; /* "} NUL */
    char *out = malloc(total);
    if (!out)
        return NULL;
    memcpy(out, head, (size_t)hn);
    char *w = escape_into(out + hn, body);
    memcpy(w, "\"}", 3);
    return out;
}
