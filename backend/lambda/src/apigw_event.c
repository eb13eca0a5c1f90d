/* API Gateway v1.0 proxy event parsing. */
#include "apigw.h"

#include "bo_text.h"

#include <stdbool.h>
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

/* Offset of the first "\u0000" escape inside a string of s[from..len), or len when none (scans string
 * tokens, so an escaped backslash followed by "u0000" is not counted). from is outside a string. */
static size_t nul_escape_from(const char *s, size_t len, size_t from)
{
    bool in_str = false;
    for (size_t i = from; i < len; i++) {
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
                return i;
            i++; /* skip the escaped character */
        }
    }
    return len;
}

bool apigw_json_has_nul_escape(const char *s, size_t len)
{
    if (!memmem(s, len, "\\u0000", 6)) /* the common case, in one vectorised pass */
        return false;
    return nul_escape_from(s, len, 0) < len;
}

/* A copy of s[0..len) with every "\u0000" escape inside a string written "\u001a" (SUBSTITUTE): cJSON
 * would end the string at the NUL, and a value cut short is another value; a control character stays
 * one, so whatever refuses controls refuses it. NULL on OOM. */
static char *nul_escapes_substituted(const char *s, size_t len)
{
    char *copy = malloc(len + 1);
    if (!copy)
        return NULL;
    memcpy(copy, s, len);
    copy[len] = '\0';
    /* rescanned from the start after each hit (so that the scan knows it is inside a string); a written
     * escape is no hit any more, and events with a NUL escape are rare */
    for (size_t i = nul_escape_from(copy, len, 0); i < len; i = nul_escape_from(copy, len, 0))
        memcpy(copy + i, "\\u001a", 6);
    return copy;
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
    bool nul_escape = apigw_json_has_nul_escape(json, len);
    char *substituted = nul_escape ? nul_escapes_substituted(json, len) : NULL;
    if (nul_escape && !substituted)
        return -1;
    const char *text = substituted ? substituted : json;
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    bool whole = root && end && end >= text && end <= text + len && only_space(end, text + len);
    free(substituted);
    if (!root)
        return -1;
    if (!cJSON_IsObject(root) || !whole) {
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
    out->has_nul_escape = nul_escape;
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

/* The message for a path parameter holding a control character: static, as handler_fail keeps it. */
static const char *control_message(const char *name)
{
    static const struct { const char *name, *msg; } known[] = {
        { "id", "id must not contain control characters" },
        { "code", "code must not contain control characters" },
        { "ticketId", "ticketId must not contain control characters" },
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (strcmp(known[i].name, name) == 0)
            return known[i].msg;
    return "path parameters must not contain control characters";
}

const char *apigw_path_params_problem(const apigw_event *ev)
{
    if (!ev || !ev->path_parameters)
        return NULL;
    for (const cJSON *it = ev->path_parameters->child; it; it = it->next)
        if (cJSON_IsString(it) && it->string && bo_text_has_control(it->valuestring))
            return control_message(it->string);
    return NULL;
}
