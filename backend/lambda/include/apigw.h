#ifndef APIGW_H
#define APIGW_H
/* API Gateway REST API (payload format 1.0, "Lambda proxy") events and responses, as the function
 * reads and answers them (the local gateway builds them: backend/gateway/include/gw_proxy.h).
 *
 *   apigw_event ev;
 *   if (apigw_event_parse(json, len, &ev) == 0) { ... apigw_header(&ev, "idempotency-key") ...; }
 *   apigw_event_clear(&ev);          // always, also after a failed parse
 *
 * The parser survives any input (fuzzed): fields of the wrong type read as absent (NULL / false). */
#include <stdbool.h>
#include <stddef.h>
#include <cjson/cJSON.h>

#define APIGW_EVENT_MAX (6u * 1024u * 1024u) /* Lambda's synchronous payload limit */

typedef struct apigw_event {
    cJSON *root;                   /* owned: the parsed event; every pointer below borrows from it */
    const char *http_method;       /* "POST", or NULL */
    const char *path;              /* "/concerts/abc", or NULL */
    const char *resource;          /* "/concerts/{id}", or NULL */
    const cJSON *path_parameters;  /* object, or NULL */
    const cJSON *query;            /* queryStringParameters object, or NULL */
    const cJSON *headers;          /* object, or NULL */
    const cJSON *multi_headers;    /* multiValueHeaders object, or NULL */
    const char *body;              /* as sent (maybe base64), or NULL when absent/null/not a string */
    bool is_base64;                /* isBase64Encoded === true */
    const char *request_id;        /* requestContext.requestId, or NULL */
    const char *api_key_id;        /* requestContext.identity.apiKeyId when a non-empty string, else NULL:
                                      API Gateway fills it on private routes only, after checking the key */
    bool has_nul_escape;           /* some string of the event holds \u0000 (cJSON strings stop there): it
                                      is read as U+001A, so that no value is cut short */
} apigw_event;

/* Parses json[0..len) (need not be NUL-terminated). Returns 0 when it is a JSON object (fields
 * filled as far as present and well-typed), -1 when it is not JSON, not an object, larger than
 * APIGW_EVENT_MAX, or memory ran out; *out is then zeroed (apigw_event_clear is still safe). */
int apigw_event_parse(const char *json, size_t len, apigw_event *out);
void apigw_event_clear(apigw_event *ev);

/* Header value by case-insensitive name: from headers, else the first string of multiValueHeaders.
 * NULL when absent or not a string. Borrowed from ev. */
const char *apigw_header(const apigw_event *ev, const char *name);
/* NULL when every path parameter is free of control characters (a decoded %00 or %1B ... API Gateway
 * hands over as is), else the static message of the 400 to answer before any handler runs:
 * "id must not contain control characters". */
const char *apigw_path_params_problem(const apigw_event *ev);
/* pathParameters[name] / queryStringParameters[name] when a string, else NULL. Borrowed. */
const char *apigw_path_param(const apigw_event *ev, const char *name);
const char *apigw_query_param(const apigw_event *ev, const char *name);

/* True when s[0..len) holds a JSON "\u0000" escape inside a string (scans string tokens, so
 * an escaped backslash followed by "u0000" is not counted). */
bool apigw_json_has_nul_escape(const char *s, size_t len);

/* The proxy response. body is owned (free with apigw_response_clear). */
typedef struct apigw_response {
    int status;
    char *body;                    /* JSON text (or content_type's), or NULL for an empty body */
    const char *content_type;      /* static; NULL: application/json (the day sheet's CSV: text/csv) */
    unsigned retry_after_s;        /* > 0: adds Retry-After */
    bool replayed;                 /* adds Idempotent-Replayed: true */
} apigw_response;

/* Sets status and body {"error": message} (message copied). Returns 0, or -1 on OOM (status kept). */
int apigw_response_error(apigw_response *r, int status, const char *message);
/* Sets status and takes ownership of body (a JSON text from cJSON_Print*). */
void apigw_response_take(apigw_response *r, int status, char *body);
void apigw_response_clear(apigw_response *r);

/* {"statusCode":201,"headers":{"Content-Type":"application/json" (or content_type),...},"isBase64Encoded":false,"body":"..."}
 * as a new string (caller frees); NULL on OOM. */
char *apigw_response_json(const apigw_response *r);

#endif
