/* API Gateway v1.0 proxy event parsing. */
#include "apigw.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *str_field(const cJSON *obj, const char *name)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, name);
    return cJSON_IsString(it) ? it->valuestring : NULL;
}

static const cJSON *obj_field(const cJSON *obj, const char *name)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, name);
    return cJSON_IsObject(it) ? it : NULL;
}

bool apigw_json_has_nul_escape(const char *s, size_t len)
{
    if (!memmem(s, len, "\\u0000", 6)) /* the common case, in one vectorised pass */
        return false;
    bool in_str = false;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (!in_str) {
            if (c == '"')
                in_str = true;
            continue;
        }
        if (c == '"') {
            in_str = false;
        } else if (c == '\\') {
            if (i + 5 < len && s[i + 1] == 'u' && s[i + 2] == '0' && s[i + 3] == '0' && s[i + 4] == '0' &&
                s[i + 5] == '0')
                return true;
            i++; /* skip the escaped character */
        }
    }
    return false;
}

static bool only_space(const char *p, const char *end)
{
    for (; p < end; p++)
        if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
            return false;
    return true;
}

int apigw_event_parse(const char *json, size_t len, apigw_event *out)
{
    if (!out)
        return -1;
    memset(out, 0, sizeof *out);
    if (!json || len == 0 || len > APIGW_EVENT_MAX)
        return -1;
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(json, len, &end, 0);
    if (!root)
        return -1;
    if (!cJSON_IsObject(root) || !end || end < json || end > json + len || !only_space(end, json + len)) {
        cJSON_Delete(root);
        return -1;
    }
    out->root = root;
    out->http_method = str_field(root, "httpMethod");
    out->path = str_field(root, "path");
    out->resource = str_field(root, "resource");
    out->path_parameters = obj_field(root, "pathParameters");
    out->query = obj_field(root, "queryStringParameters");
    out->headers = obj_field(root, "headers");
    out->multi_headers = obj_field(root, "multiValueHeaders");
    out->body = str_field(root, "body");
    out->is_base64 = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(root, "isBase64Encoded"));
    out->request_id = str_field(obj_field(root, "requestContext"), "requestId");
    out->api_key_id = str_field(obj_field(obj_field(root, "requestContext"), "identity"), "apiKeyId");
    if (out->api_key_id && !out->api_key_id[0])
        out->api_key_id = NULL;
    out->has_nul_escape = apigw_json_has_nul_escape(json, len);
    return 0;
}

void apigw_event_clear(apigw_event *ev)
{
    if (!ev)
        return;
    cJSON_Delete(ev->root);
    memset(ev, 0, sizeof *ev);
}

/* Case-insensitive member lookup (HTTP header names). */
static const cJSON *find_ci(const cJSON *obj, const char *name)
{
    if (!obj || !name)
        return NULL;
    for (const cJSON *it = obj->child; it; it = it->next)
        if (it->string && strcasecmp(it->string, name) == 0)
            return it;
    return NULL;
}

const char *apigw_header(const apigw_event *ev, const char *name)
{
    if (!ev)
        return NULL;
    const cJSON *h = find_ci(ev->headers, name);
    if (cJSON_IsString(h))
        return h->valuestring;
    const cJSON *m = find_ci(ev->multi_headers, name);
    if (cJSON_IsArray(m)) {
        const cJSON *first = m->child;
        if (cJSON_IsString(first))
            return first->valuestring;
    } else if (cJSON_IsString(m)) {
        return m->valuestring;
    }
    return NULL;
}

const char *apigw_path_param(const apigw_event *ev, const char *name)
{
    return ev ? str_field(ev->path_parameters, name) : NULL;
}

const char *apigw_query_param(const apigw_event *ev, const char *name)
{
    return ev ? str_field(ev->query, name) : NULL;
}
