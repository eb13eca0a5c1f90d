/* DynamoDB client: configuration from the environment, one kept-alive curl handle, SigV4 through
 * libcurl, retries with backoff (see ddb.h).
 *
 * What libcurl 7.88's CURLOPT_AWS_SIGV4 needs to sign DynamoDB requests the way AWS checks them
 * (tests/unit/test_sigv4.c verifies the result independently):
 *  - "aws:amz:<region>:dynamodb": region and service named, not guessed from the host name;
 *  - the body through CURLOPT_POSTFIELDS(+SIZE): libcurl hashes only POSTFIELDS as the payload;
 *  - no empty-valued header ("Expect:"): 7.88 puts every CURLOPT_HTTPHEADER entry into SignedHeaders,
 *    also those that only suppress a header and are never sent, and AWS then rejects the signature.
 *    The same rule is why the session token works: "X-Amz-Security-Token: ..." is a custom header,
 *    so it is signed (libcurl has no option of its own for it);
 *  - X-Amz-Date left to libcurl, which dates the signature and sends the header itself. */
#include "ddb.h"

#include "tls_ca.h"

#include <ctype.h>
#include <stdarg.h>
#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <uuid/uuid.h>

#include "bo_buf.h"
#include "bo_clock.h"
#include "bo_err.h"
#include "bo_rand.h"

#define TARGET_HEADER "X-Amz-Target: "
#define OP_MAX 64
#define SERVICE_FIELD_MAX 64
#define ENDPOINT_MAX 512

struct ddb_client {
    CURL *curl;
    ddb_config cfg;
    char sigv4[96];               /* "aws:amz:<region>:dynamodb" (or the service's SigV4 name) */
    char target_prefix[SERVICE_FIELD_MAX];  /* "DynamoDB_20120810." (X-Amz-Target is this + the operation) */
    char content_type[SERVICE_FIELD_MAX + 16]; /* "Content-Type: application/x-amz-json-1.0" */
    char *token_header;           /* "X-Amz-Security-Token: ..." or NULL; owned, wiped on free */
    uint64_t deadline_ms;
    bo_rand rng;                  /* for the jitter */
    unsigned last_attempts;
    bool return_conflicts;        /* ddb_client_return_conflicts */
    char curl_err[CURL_ERROR_SIZE]; /* libcurl's detail of the last transport failure */
    char request_id[80];          /* x-amzn-RequestId of the last answer */
    bool has_crc;                 /* the answer carried x-amz-crc32 ... */
    uint32_t crc;                 /* ... with this value */
    /* response of the attempt in flight, at most DDB_MAX_RESPONSE_BYTES (BO_BUF_TOO_BIG past it) */
    bo_buf resp;
};

/* ---------------------------------------------------------------------------------------------- */

__attribute__((format(printf, 3, 4))) static void set_err(ddb_error *err, ddb_status st, const char *fmt, ...)
{
    if (!err)
        return;
    memset(err, 0, sizeof *err);
    err->status = st;
    va_list ap;
    va_start(ap, fmt);
    bo_err_vset(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
}

static const char *env_nonempty(const char *name)
{
    const char *v = getenv(name);
    return (v && *v) ? v : NULL;
}

static void wipe_free(char *s)
{
    if (!s)
        return;
    volatile char *p = s;
    while (*p)
        *p++ = '\0';
    free(s);
}

void ddb_config_clear(ddb_config *cfg)
{
    if (!cfg)
        return;
    free(cfg->endpoint);
    free(cfg->region);
    free(cfg->access_key_id);
    wipe_free(cfg->secret_access_key);
    wipe_free(cfg->session_token);
    memset(cfg, 0, sizeof *cfg);
}

static bool region_ok(const char *r)
{
    size_t n = strlen(r);
    if (n == 0 || n > 40)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!(islower((unsigned char)r[i]) || isdigit((unsigned char)r[i]) || r[i] == '-'))
            return false;
    return true;
}

/* Header values must not be able to inject lines. */
static bool header_value_ok(const char *v)
{
    for (; *v; v++)
        if ((unsigned char)*v < 0x20 || *v == 0x7f)
            return false;
    return true;
}

static bool key_id_ok(const char *v)
{
    if (strlen(v) > 128)
        return false;
    for (; *v; v++)
        if (!isalnum((unsigned char)*v))
            return false;
    return true;
}

/* "http(s)://host[:port][/path]" -> copy that ends with a path ('/' added when missing). */
static char *endpoint_normalise(const char *url)
{
    size_t n = strlen(url);
    const char *rest;
    if (strncmp(url, "https://", 8) == 0)
        rest = url + 8;
    else if (strncmp(url, "http://", 7) == 0)
        rest = url + 7;
    else
        return NULL;
    if (n > ENDPOINT_MAX || !*rest || *rest == '/' || !header_value_ok(url))
        return NULL;
    for (const char *p = url; *p; p++)
        if (*p == ' ' || *p == '?' || *p == '#')
            return NULL;
    bool has_path = strchr(rest, '/') != NULL;
    char *out = malloc(n + 2);
    if (!out)
        return NULL;
    memcpy(out, url, n + 1);
    if (!has_path) {
        out[n] = '/';
        out[n + 1] = '\0';
    }
    return out;
}

ddb_status ddb_config_set_endpoint(ddb_config *cfg, const char *url, ddb_error *err)
{
    char *endpoint = url ? endpoint_normalise(url) : NULL;
    if (!endpoint) { /* (or out of memory, which the copy of a short string hardly is) */
        set_err(err, DDB_ERR_CONFIG, "the DynamoDB endpoint is not an http(s)://host[:port] URL");
        return DDB_ERR_CONFIG;
    }
    free(cfg->endpoint);
    cfg->endpoint = endpoint;
    return DDB_OK;
}

ddb_status ddb_config_from_env(ddb_config *out, ddb_error *err)
{
    memset(out, 0, sizeof *out);
    const char *akid = env_nonempty("AWS_ACCESS_KEY_ID");
    const char *secret = env_nonempty("AWS_SECRET_ACCESS_KEY");
    const char *token = env_nonempty("AWS_SESSION_TOKEN");
    const char *region = env_nonempty("AWS_REGION");
    const char *region_var = "AWS_REGION";
    if (!region) {
        region = env_nonempty("AWS_DEFAULT_REGION");
        region_var = "AWS_DEFAULT_REGION";
    }
    const char *endpoint = env_nonempty("AWS_ENDPOINT_URL_DYNAMODB");
    const char *endpoint_var = "AWS_ENDPOINT_URL_DYNAMODB";
    if (!endpoint) {
        endpoint = env_nonempty("AWS_ENDPOINT_URL");
        endpoint_var = "AWS_ENDPOINT_URL";
    }

    if (!akid) {
        set_err(err, DDB_ERR_CONFIG, "AWS_ACCESS_KEY_ID is not set");
        return DDB_ERR_CONFIG;
    }
    if (!key_id_ok(akid)) {
        set_err(err, DDB_ERR_CONFIG, "AWS_ACCESS_KEY_ID is not a valid access key id");
        return DDB_ERR_CONFIG;
    }
    if (!secret) {
        set_err(err, DDB_ERR_CONFIG, "AWS_SECRET_ACCESS_KEY is not set");
        return DDB_ERR_CONFIG;
    }
    if (strlen(secret) > 256 || !header_value_ok(secret)) {
        set_err(err, DDB_ERR_CONFIG, "AWS_SECRET_ACCESS_KEY is not valid");
        return DDB_ERR_CONFIG;
    }
    if (token && (strlen(token) > 8192 || !header_value_ok(token))) {
        set_err(err, DDB_ERR_CONFIG, "AWS_SESSION_TOKEN is not valid");
        return DDB_ERR_CONFIG;
    }
    if (!region) {
        set_err(err, DDB_ERR_CONFIG, "AWS_REGION (or AWS_DEFAULT_REGION) is not set");
        return DDB_ERR_CONFIG;
    }
    if (!region_ok(region)) {
        set_err(err, DDB_ERR_CONFIG, "%s is not a valid region name", region_var);
        return DDB_ERR_CONFIG;
    }

    if (endpoint) {
        out->endpoint = endpoint_normalise(endpoint);
        if (!out->endpoint) {
            set_err(err, DDB_ERR_CONFIG, "%s is not an http(s)://host[:port] URL", endpoint_var);
            return DDB_ERR_CONFIG;
        }
    } else {
        char url[128];
        snprintf(url, sizeof url, "https://dynamodb.%s.amazonaws.com/", region);
        out->endpoint = strdup(url);
    }
    out->region = strdup(region);
    out->access_key_id = strdup(akid);
    out->secret_access_key = strdup(secret);
    out->session_token = token ? strdup(token) : NULL;
    if (!out->endpoint || !out->region || !out->access_key_id || !out->secret_access_key ||
        (token && !out->session_token)) {
        ddb_config_clear(out);
        set_err(err, DDB_ERR_NOMEM, "out of memory");
        return DDB_ERR_NOMEM;
    }
    return DDB_OK;
}

/* ---------------------------------------------------------------------------------------------- */

void ddb_client_seed(ddb_client *c, uint64_t seed)
{
    bo_rand_seed(&c->rng, seed);
}

/* CRC-32 (IEEE, as zlib) of the answer, which DynamoDB sends in x-amz-crc32; 4-bit table. */
static uint32_t crc32_ieee(const char *data, size_t len)
{
    static const uint32_t t[16] = {0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac, 0x76dc4190, 0x6b6b51f4,
                                   0x4db26158, 0x5005713c, 0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c,
                                   0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c};
    uint32_t crc = 0xffffffffu;
    for (size_t i = 0; i < len; i++) {
        crc ^= (unsigned char)data[i];
        crc = (crc >> 4) ^ t[crc & 15];
        crc = (crc >> 4) ^ t[crc & 15];
    }
    return ~crc;
}

/* "Name: value\r\n" -> value (trimmed) into out when the name matches, else false. */
static bool header_value(const char *line, size_t n, const char *name, char *out, size_t size)
{
    size_t nl = strlen(name);
    if (n <= nl || strncasecmp(line, name, nl) != 0 || line[nl] != ':')
        return false;
    const char *v = line + nl + 1, *end = line + n;
    while (v < end && (*v == ' ' || *v == '\t'))
        v++;
    while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' ' || end[-1] == '\t'))
        end--;
    size_t len = (size_t)(end - v);
    if (len >= size)
        len = size - 1;
    memcpy(out, v, len);
    out[len] = '\0';
    return true;
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *userp)
{
    ddb_client *c = userp;
    size_t n = size * nmemb;
    char value[32];
    if (n >= 5 && strncmp(data, "HTTP/", 5) == 0) { /* a new answer (e.g. after 100 Continue) */
        c->has_crc = false;
        c->request_id[0] = '\0';
    } else if (header_value(data, n, "x-amz-crc32", value, sizeof value)) {
        char *end;
        errno = 0;
        unsigned long long v = strtoull(value, &end, 10);
        c->has_crc = errno == 0 && end != value && *end == '\0' && v <= UINT32_MAX;
        c->crc = (uint32_t)v;
    } else {
        header_value(data, n, "x-amzn-RequestId", c->request_id, sizeof c->request_id);
    }
    return n;
}

const ddb_service DDB_SERVICE_DYNAMODB = { "dynamodb", "DynamoDB_20120810.", "application/x-amz-json-1.0" };
const ddb_service DDB_SERVICE_COGNITO_IDP = { "cognito-idp", "AWSCognitoIdentityProviderService.",
                                              "application/x-amz-json-1.1" };

ddb_client *ddb_client_new(const ddb_config *cfg, ddb_error *err)
{
    return ddb_client_new_service(cfg, &DDB_SERVICE_DYNAMODB, err);
}

static bool service_field_ok(const char *v)
{
    size_t n = v ? strlen(v) : 0;
    if (n == 0 || n >= SERVICE_FIELD_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!(isalnum((unsigned char)v[i]) || v[i] == '-' || v[i] == '_' || v[i] == '.' || v[i] == '/'))
            return false;
    return true;
}

ddb_client *ddb_client_new_service(const ddb_config *cfg, const ddb_service *svc, ddb_error *err)
{
    if (!svc || !service_field_ok(svc->sigv4_name) || !service_field_ok(svc->target_prefix) ||
        !service_field_ok(svc->content_type)) {
        set_err(err, DDB_ERR_CONFIG, "invalid service description");
        return NULL;
    }
    ddb_client *c = calloc(1, sizeof *c);
    if (!c) {
        set_err(err, DDB_ERR_NOMEM, "out of memory");
        return NULL;
    }
    bo_buf_init(&c->resp, DDB_MAX_RESPONSE_BYTES);
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        free(c);
        set_err(err, DDB_ERR_TRANSPORT, "curl_global_init failed");
        return NULL;
    }
    if (!cfg || !cfg->endpoint || !cfg->region || !cfg->access_key_id || !cfg->secret_access_key ||
        !region_ok(cfg->region)) {
        set_err(err, DDB_ERR_CONFIG, "incomplete DynamoDB configuration");
        goto fail;
    }
    c->cfg.endpoint = strdup(cfg->endpoint);
    c->cfg.region = strdup(cfg->region);
    c->cfg.access_key_id = strdup(cfg->access_key_id);
    c->cfg.secret_access_key = strdup(cfg->secret_access_key);
    if (cfg->session_token) {
        c->cfg.session_token = strdup(cfg->session_token);
        size_t n = strlen(cfg->session_token) + sizeof "X-Amz-Security-Token: ";
        c->token_header = malloc(n);
        if (c->token_header)
            snprintf(c->token_header, n, "X-Amz-Security-Token: %s", cfg->session_token);
    }
    if (!c->cfg.endpoint || !c->cfg.region || !c->cfg.access_key_id || !c->cfg.secret_access_key ||
        (cfg->session_token && (!c->cfg.session_token || !c->token_header))) {
        set_err(err, DDB_ERR_NOMEM, "out of memory");
        goto fail;
    }
    snprintf(c->sigv4, sizeof c->sigv4, "aws:amz:%s:%s", c->cfg.region, svc->sigv4_name);
    snprintf(c->target_prefix, sizeof c->target_prefix, "%s", svc->target_prefix);
    snprintf(c->content_type, sizeof c->content_type, "Content-Type: %s", svc->content_type);

    bo_rand_seed_os(&c->rng);

    c->curl = curl_easy_init();
    if (!c->curl) {
        set_err(err, DDB_ERR_NOMEM, "curl_easy_init failed");
        goto fail;
    }
    /* Options that stay the same for every call; per-call ones are set in one_attempt(). */
    CURL *h = c->curl;
    if (curl_easy_setopt(h, CURLOPT_URL, c->cfg.endpoint) != CURLE_OK ||
        curl_easy_setopt(h, CURLOPT_AWS_SIGV4, c->sigv4) != CURLE_OK ||
        curl_easy_setopt(h, CURLOPT_USERNAME, c->cfg.access_key_id) != CURLE_OK ||
        curl_easy_setopt(h, CURLOPT_PASSWORD, c->cfg.secret_access_key) != CURLE_OK ||
        curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https") != CURLE_OK) {
        set_err(err, DDB_ERR_CONFIG, "libcurl lacks AWS SigV4 or http(s) support");
        goto fail;
    }
    if (strncmp(c->cfg.endpoint, "https://", 8) == 0) {
        /* The TLS library is linked in statically and knows no CA path of the system it runs on:
         * name the bundle (TLS_CA_* or SSL_CERT_FILE), or fail now rather than at every call. An http
         * endpoint (DynamoDB Local) needs none. */
        char ca[TLS_CA_PATH_MAX], why[sizeof err->message];
        if (tls_ca_find(NULL, ca, sizeof ca, why, sizeof why) != 0) {
            set_err(err, DDB_ERR_CONFIG, "%s", why);
            goto fail;
        }
        if (curl_easy_setopt(h, CURLOPT_CAINFO, ca) != CURLE_OK ||
            curl_easy_setopt(h, CURLOPT_CAPATH, NULL) != CURLE_OK ||
            curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L) != CURLE_OK ||
            curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L) != CURLE_OK) {
            set_err(err, DDB_ERR_CONFIG, "libcurl lacks TLS support for %s", c->cfg.endpoint);
            goto fail;
        }
    }
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, c->curl_err);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, bo_buf_write_cb);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &c->resp);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, c);
    curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(h, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "boxoffice-ddb/1.0");
    return c;

fail:
    ddb_client_free(c);
    return NULL;
}

ddb_client *ddb_client_new_from_env(ddb_error *err)
{
    ddb_config cfg;
    if (ddb_config_from_env(&cfg, err) != DDB_OK)
        return NULL;
    ddb_client *c = ddb_client_new(&cfg, err);
    ddb_config_clear(&cfg);
    return c;
}

void ddb_client_free(ddb_client *c)
{
    if (!c)
        return;
    if (c->curl)
        curl_easy_cleanup(c->curl);
    ddb_config_clear(&c->cfg);
    wipe_free(c->token_header);
    bo_buf_free(&c->resp);
    free(c);
    curl_global_cleanup();
}

void ddb_client_set_deadline(ddb_client *c, uint64_t deadline_ms_epoch)
{
    c->deadline_ms = deadline_ms_epoch;
}

void ddb_client_return_conflicts(ddb_client *c, bool on)
{
    if (c)
        c->return_conflicts = on;
}

unsigned ddb_client_last_attempts(const ddb_client *c)
{
    return c->last_attempts;
}

const char *ddb_client_last_request_id(const ddb_client *c)
{
    return c->request_id;
}

/* ---------------------------------------------------------------------------------------------- */

static ddb_status status_from_curl(CURLcode rc)
{
    switch (rc) {
    case CURLE_OPERATION_TIMEDOUT:
        return DDB_ERR_TIMEOUT;
    case CURLE_OUT_OF_MEMORY:
        return DDB_ERR_NOMEM;
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_BAD_FUNCTION_ARGUMENT:
    case CURLE_NOT_BUILT_IN:
        return DDB_ERR_CONFIG;
    default:
        return DDB_ERR_TRANSPORT;
    }
}

/* Timeouts of the next attempt: false when the deadline leaves no room for one. */
static bool attempt_budget(const ddb_client *c, long *total_ms, long *connect_ms)
{
    *total_ms = DDB_ATTEMPT_TIMEOUT_MS;
    *connect_ms = DDB_CONNECT_TIMEOUT_MS;
    if (!c->deadline_ms)
        return true;
    uint64_t now = bo_clock_wall_ms();
    if (now + DDB_MIN_ATTEMPT_MS + DDB_DEADLINE_MARGIN_MS > c->deadline_ms)
        return false;
    uint64_t left = c->deadline_ms - DDB_DEADLINE_MARGIN_MS - now;
    if (left < (uint64_t)*total_ms)
        *total_ms = (long)left;
    if (*connect_ms > *total_ms)
        *connect_ms = *total_ms;
    return true;
}

/* One HTTP exchange. DDB_OK with *response set, or an error in err. */
static ddb_status one_attempt(ddb_client *c, struct curl_slist *headers, const char *body, size_t body_len,
                              long total_ms, long connect_ms, cJSON **response, ddb_error *err)
{
    CURL *h = c->curl;
    bo_buf_reset(&c->resp);
    c->curl_err[0] = '\0';
    c->request_id[0] = '\0';
    c->has_crc = false;
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, total_ms);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, connect_ms);

    CURLcode rc = curl_easy_perform(h);
    long http = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &http);
    if (rc != CURLE_OK) {
        if (bo_buf_error(&c->resp) == BO_BUF_TOO_BIG) {
            set_err(err, DDB_ERR_PROTOCOL, "answer larger than 16 MiB");
            return DDB_ERR_PROTOCOL;
        }
        ddb_status st = status_from_curl(rc);
        set_err(err, st, "%s%s%s", curl_easy_strerror(rc), c->curl_err[0] ? ": " : "", c->curl_err);
        if (err)
            err->http_status = http;
        return st;
    }
    if (c->has_crc && crc32_ieee(bo_buf_ptr(&c->resp), bo_buf_len(&c->resp)) != c->crc) {
        /* damaged on the way: as the SDKs, treat it as a transport failure (retried) */
        set_err(err, DDB_ERR_TRANSPORT, "answer failed its x-amz-crc32 check (HTTP %ld)", http);
        if (err)
            err->http_status = http;
        return DDB_ERR_TRANSPORT;
    }
    if (http >= 200 && http < 300) {
        cJSON *root = cJSON_ParseWithLength(bo_buf_ptr(&c->resp), bo_buf_len(&c->resp));
        if (!cJSON_IsObject(root)) {
            cJSON_Delete(root);
            set_err(err, DDB_ERR_PROTOCOL, "answer is not a JSON object");
            if (err)
                err->http_status = http;
            return DDB_ERR_PROTOCOL;
        }
        *response = root;
        return DDB_OK;
    }
    ddb_error tmp;
    ddb_error *e = err ? err : &tmp;
    return ddb_parse_error(http, bo_buf_ptr(&c->resp), bo_buf_len(&c->resp), e);
}

static bool op_ok(const char *op)
{
    size_t n = strlen(op);
    if (n == 0 || n > OP_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isalpha((unsigned char)op[i]))
            return false;
    return true;
}

/* The JSON body: the request, plus a ClientRequestToken for TransactWriteItems when missing. */
static bool wants_token(const char *op, const cJSON *request)
{
    return request && strcmp(op, "TransactWriteItems") == 0 && cJSON_IsObject(request) &&
           !cJSON_GetObjectItemCaseSensitive(request, "ClientRequestToken");
}

static char *build_body(const char *op, const cJSON *request)
{
    if (!request)
        return strdup("{}");
    if (wants_token(op, request)) {
        cJSON *copy = cJSON_Duplicate(request, 1);
        if (!copy)
            return NULL;
        uuid_t u;
        char token[37];
        uuid_generate_random(u);
        uuid_unparse_lower(u, token);
        char *out = NULL;
        if (cJSON_AddStringToObject(copy, "ClientRequestToken", token))
            out = cJSON_PrintUnformatted(copy);
        cJSON_Delete(copy);
        return out;
    }
    return cJSON_PrintUnformatted(request);
}

ddb_status ddb_call(ddb_client *c, const char *op, const cJSON *request, cJSON **response, ddb_error *err)
{
    ddb_error local;
    if (!err)
        err = &local;
    memset(err, 0, sizeof *err);
    if (response)
        *response = NULL;
    if (!c || !op || !response) {
        set_err(err, DDB_ERR_CONFIG, "ddb_call without client, operation or response");
        return DDB_ERR_CONFIG;
    }
    c->last_attempts = 0;
    if (!op_ok(op)) {
        set_err(err, DDB_ERR_CONFIG, "invalid operation name");
        return DDB_ERR_CONFIG;
    }

    ddb_status st = DDB_ERR_NOMEM;
    struct curl_slist *headers = NULL, *tmp;
    char target[sizeof TARGET_HEADER + SERVICE_FIELD_MAX + OP_MAX];
    snprintf(target, sizeof target, TARGET_HEADER "%s%s", c->target_prefix, op);
    bool own_token = wants_token(op, request);
    char *body = build_body(op, request);
    if (!body)
        goto nomem;
    /* Every header here is signed by libcurl; none may be empty-valued (see ddb.h). */
    if (!(tmp = curl_slist_append(headers, c->content_type)))
        goto nomem;
    headers = tmp;
    if (!(tmp = curl_slist_append(headers, target)))
        goto nomem;
    headers = tmp;
    if (c->token_header) {
        if (!(tmp = curl_slist_append(headers, c->token_header)))
            goto nomem;
        headers = tmp;
    }

    for (unsigned attempt = 1;; attempt++) {
        long total_ms, connect_ms;
        if (!attempt_budget(c, &total_ms, &connect_ms)) {
            if (attempt == 1) { /* nothing sent; later attempts keep the last answer's error */
                set_err(err, DDB_ERR_TIMEOUT, "no time left before the deadline");
                st = DDB_ERR_TIMEOUT;
            }
            break;
        }
        c->last_attempts = attempt;
        st = one_attempt(c, headers, body, strlen(body), total_ms, connect_ms, response, err);
        if (st == DDB_OK) {
            memset(err, 0, sizeof *err);
            err->http_status = 200;
            break;
        }
        if (c->return_conflicts && ddb_error_conflict_only(err))
            break; /* the caller moves to another item (ddb_client_return_conflicts) */
        uint64_t wait;
        if (!ddb_retry_decide(err, attempt, bo_clock_wall_ms(), c->deadline_ms, bo_rand_next(&c->rng), &wait))
            break;
        /* Our own ClientRequestToken is kept when the outcome is unknown (5xx, timeout, transport),
         * so that DynamoDB applies the transaction at most once. After a definite rejection
         * (throttled, cancelled: nothing was written) the retry gets a fresh one, so that it is
         * really executed again rather than answered from the first request's token. */
        if (own_token && (st == DDB_ERR_THROTTLED || st == DDB_ERR_TRANSACTION_CANCELED ||
                          st == DDB_ERR_TRANSACTION_CONFLICT)) {
            char *fresh = build_body(op, request);
            if (!fresh)
                goto nomem;
            curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, NULL);
            free(body);
            body = fresh;
        }
        bo_sleep_ms(wait);
    }
    goto done;

nomem:
    set_err(err, DDB_ERR_NOMEM, "out of memory");
    st = DDB_ERR_NOMEM;
done:
    /* the handle keeps a pointer to the list and body: clear them before freeing */
    curl_easy_setopt(c->curl, CURLOPT_HTTPHEADER, NULL);
    curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, NULL);
    curl_slist_free_all(headers);
    free(body);
    bo_buf_shrink(&c->resp, 256 * 1024); /* do not keep a huge scan page around between calls */
    return st;
}
