/* The HTTP API client (libcurl + cJSON): one reused easy handle per client, capped answers,
 * person-readable errors, idempotent purchase retries. No drawing, nothing written to disk. */
#include "api.h"
#include "api_internal.h"
#include "auth.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <uuid/uuid.h>

#include "bo_backoff.h"
#include "bo_buf.h"
#include "bo_clock.h"
#include "bo_money.h"
#include "bo_rand.h"
#include "bo_text.h"

#define DEFAULT_CONNECT_MS 3000L
#define DEFAULT_TIMEOUT_MS 10000L
#define DEFAULT_ATTEMPTS 3
#define MAX_ATTEMPTS 10
#define BACKOFF_BASE_MS 200L
#define BACKOFF_MAX_MS 2000L
#define URL_MAX API_URL_MAX

const char *api_status_message(api_status s)
{
    switch (s) {
    case API_OK: return "";
    case API_ERR_SOLD_OUT: return "Sold out";
    case API_ERR_NOT_FOUND: return "Concert no longer exists";
    case API_ERR_INVALID: return "Request refused";
    case API_ERR_FORBIDDEN: return "Not allowed: sign in as an operator";
    case API_ERR_THROTTLED: return "Too many requests — try again";
    case API_ERR_UNAVAILABLE: return "Service unavailable — try again";
    case API_ERR_UNREACHABLE: return "Server unreachable";
    case API_ERR_TIMEOUT: return "No answer from the server in time";
    case API_ERR_PROTOCOL: return "Malformed answer from the server";
    case API_ERR_NOMEM: return "Out of memory";
    }
    return "Unknown error";
}

api_status api_set_result(api_result *res, api_status st, long http, const char *fmt, ...)
{
    if (res == NULL)
        return st;
    res->status = st;
    res->http_status = http;
    res->unconfirmed = false;
    res->message[0] = '\0';
    if (fmt != NULL) {
        char raw[sizeof res->message];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(raw, sizeof raw, fmt, ap);
        va_end(ap);
        bo_text_sanitize(res->message, sizeof res->message, raw);
    } else {
        snprintf(res->message, sizeof res->message, "%s", api_status_message(st));
    }
    return st;
}

bool api_config_operator(const api_config *cfg)
{
    return cfg != NULL && cfg->auth != NULL && auth_can_sign_in(cfg->auth);
}

/* ---- client ---- */

api_client *api_client_new(const api_config *cfg)
{
    if (cfg == NULL || cfg->base_url == NULL)
        return NULL;
    const char *u = cfg->base_url;
    if (!((strncmp(u, "http://", 7) == 0 && u[7] != '\0') || (strncmp(u, "https://", 8) == 0 && u[8] != '\0'))
        || strlen(u) > URL_MAX / 2 || bo_text_has_control(u))
        return NULL;
    api_client *c = calloc(1, sizeof *c);
    if (c == NULL)
        return NULL;
    c->base_url = strdup(u);
    if (c->base_url == NULL)
        goto fail;
    for (size_t n = strlen(c->base_url); n > 0 && c->base_url[n - 1] == '/'; n--)
        c->base_url[n - 1] = '\0';
    c->auth = cfg->auth;
    c->connect_timeout_ms = cfg->connect_timeout_ms > 0 ? cfg->connect_timeout_ms : DEFAULT_CONNECT_MS;
    c->timeout_ms = cfg->timeout_ms > 0 ? cfg->timeout_ms : DEFAULT_TIMEOUT_MS;
    c->purchase_attempts = cfg->purchase_attempts > 0 ? cfg->purchase_attempts : DEFAULT_ATTEMPTS;
    if (c->purchase_attempts > MAX_ATTEMPTS)
        c->purchase_attempts = MAX_ATTEMPTS;
    c->max_body = cfg->max_response_bytes > 0 ? cfg->max_response_bytes : API_RESPONSE_MAX;
    c->curl = curl_easy_init();
    if (c->curl == NULL)
        goto fail;
    bo_rand_seed_os(&c->rng);
    return c;
fail:
    api_client_free(c);
    return NULL;
}

void api_client_free(api_client *c)
{
    if (c == NULL)
        return;
    if (c->curl != NULL)
        curl_easy_cleanup(c->curl);
    free(c->base_url);
    free(c);
}

void api_client_set_inspector(api_client *c, api_inspector_fn fn, void *userdata)
{
    c->inspector = fn;
    c->inspector_ud = userdata;
}

const char *api_client_base_url(const api_client *c)
{
    return c->base_url;
}

/* ---- transport ---- */

void api_http_resp_clear(http_resp *r)
{
    bo_buf_free(&r->body);
    memset(r, 0, sizeof *r);
}

/* One HTTP exchange with token (NULL: no Authorization header). 0 when curl ran, -1 on OOM. */
static int http_once(api_client *c, const char *method, const char *url, const char *body,
                     const char *idem_key, const char *token, http_resp *r)
{
    struct curl_slist *hdrs = NULL, *tmp;
    char line[URL_MAX];
    char *auth_line = NULL;
    int rc = -1;
    memset(r, 0, sizeof *r);
    r->max = c->max_body;
    bo_buf_init(&r->body, c->max_body);

#define ADD_HEADER(text) do { tmp = curl_slist_append(hdrs, (text)); if (tmp == NULL) goto cleanup; hdrs = tmp; } while (0)
    ADD_HEADER("Accept: application/json");
    ADD_HEADER("Expect:");
    if (body != NULL)
        ADD_HEADER("Content-Type: application/json");
    if (token != NULL) {
        size_t n = strlen("Authorization: ") + strlen(token) + 1;
        if ((auth_line = malloc(n)) == NULL)
            goto cleanup;
        snprintf(auth_line, n, "Authorization: %s", token);
        ADD_HEADER(auth_line);
    }
    if (idem_key != NULL) {
        snprintf(line, sizeof line, "Idempotency-Key: %s", idem_key);
        ADD_HEADER(line);
    }
#undef ADD_HEADER

    CURL *h = c->curl;
    curl_easy_reset(h);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, c->connect_timeout_ms);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, c->timeout_ms);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "boxoffice/1");
    curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)c->max_body);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, bo_buf_write_cb);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &r->body);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, r->errbuf);
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
    if (body != NULL) {
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
    }
    if (strcmp(method, "GET") == 0)
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, NULL);

    uint64_t t0 = bo_clock_mono_ns();
    r->cc = curl_easy_perform(h);
    r->ms = (double)(bo_clock_mono_ns() - t0) / 1e6;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r->status);
    curl_off_t connect_us = 0;
    curl_easy_getinfo(h, CURLINFO_CONNECT_TIME_T, &connect_us);
    r->connected = connect_us > 0 || r->status != 0;
    if (r->cc != CURLE_OK && r->errbuf[0] == '\0')
        snprintf(r->errbuf, sizeof r->errbuf, "%s", curl_easy_strerror(r->cc));
    if (r->cc == CURLE_FILESIZE_EXCEEDED || bo_buf_error(&r->body) == BO_BUF_TOO_BIG)
        r->too_big = true;
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, NULL);

    if (c->inspector != NULL) {
        api_exchange t = {
            .method = method, .url = url, .request_body = body, .http_status = r->status,
            .response_body = bo_buf_len(&r->body) > 0 ? bo_buf_ptr(&r->body) : NULL, .latency_ms = r->ms,
            .error = r->too_big ? "answer larger than the size cap" : r->cc != CURLE_OK ? r->errbuf : NULL,
        };
        c->inspector(c->inspector_ud, &t);
    }
    rc = 0;
cleanup:
    curl_slist_free_all(hdrs);
    if (auth_line != NULL) {
        memset(auth_line, 0, strlen(auth_line));
        free(auth_line);
    }
    return rc;
}

/* Performs one HTTP exchange with the operator's ID token when the client has a sign-in; a 401 answer gets a
 * new token (refresh, else the configured password) and one more try. When no token could be had the request
 * goes without one (a public route still works) and r->auth_err says why, for a 401's message.
 * Returns 0 when curl ran (inspect r->cc / r->status), -1 on OOM. */
int api_http_do(api_client *c, const char *method, const char *url, const char *body,
                   const char *idem_key, http_resp *r)
{
    if (c->auth == NULL)
        return http_once(c, method, url, body, idem_key, NULL, r);
    char *token = malloc(AUTH_TOKEN_MAX + 1);
    char why[sizeof r->auth_err] = "";
    if (token == NULL)
        return -1;
    bool have = auth_token(c->auth, token, AUTH_TOKEN_MAX + 1, why, sizeof why) == AUTH_OK;
    int rc = http_once(c, method, url, body, idem_key, have ? token : NULL, r);
    if (rc == 0 && r->cc == CURLE_OK && r->status == 401 && have) {
        /* expired or revoked since: a new token and one more try */
        if (auth_refresh(c->auth, why, sizeof why) == AUTH_OK
            && auth_token(c->auth, token, AUTH_TOKEN_MAX + 1, why, sizeof why) == AUTH_OK) {
            api_http_resp_clear(r);
            rc = http_once(c, method, url, body, idem_key, token, r);
        } else {
            have = false;
        }
    }
    if (rc == 0 && !have)
        snprintf(r->auth_err, sizeof r->auth_err, "%s", why);
    memset(token, 0, AUTH_TOKEN_MAX + 1);
    free(token);
    return rc;
}

/* The server's {"error": "..."} (or API Gateway's {"message": "..."}) text, borrowed from j, or NULL. */
static const char *error_text(const cJSON *j)
{
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(j, "error");
    if (cJSON_IsString(e) && e->valuestring != NULL && e->valuestring[0] != '\0')
        return e->valuestring;
    e = cJSON_GetObjectItemCaseSensitive(j, "message");
    if (cJSON_IsString(e) && e->valuestring != NULL && e->valuestring[0] != '\0')
        return e->valuestring;
    return NULL;
}

static bool contains_nocase(const char *hay, const char *needle)
{
    return hay != NULL && strcasestr(hay, needle) != NULL;
}

/* A 422 whose body is a concert record with the server's "problems" (a concert stored malformed): the
 * record itself, to be shown marked, not an error. */
static bool is_marked_record(long status, const cJSON *j)
{
    return status == 422 && cJSON_IsObject(j) && cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(j, "problems"))
           && cJSON_IsString(cJSON_GetObjectItemCaseSensitive(j, "id"));
}

/* Turns a finished exchange into a status. On API_OK *json holds the parsed 2xx body (caller frees); with
 * record_422, also a 422 that carries a marked record (is_marked_record). */
api_status api_classify(const http_resp *r, bool record_422, cJSON **json, cJSON **err_json, api_result *res)
{
    *json = NULL;
    if (r->too_big)
        return api_set_result(res, API_ERR_PROTOCOL, r->status, "Answer too large (over %zu bytes)", r->max);
    if (r->cc != CURLE_OK) {
        switch (r->cc) {
        case CURLE_COULDNT_CONNECT:
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_COULDNT_RESOLVE_PROXY:
            return api_set_result(res, API_ERR_UNREACHABLE, 0, NULL);
        case CURLE_OPERATION_TIMEDOUT:
            if (!r->connected)
                return api_set_result(res, API_ERR_UNREACHABLE, 0, NULL);
            return api_set_result(res, API_ERR_TIMEOUT, r->status, NULL);
        case CURLE_OUT_OF_MEMORY:
            return api_set_result(res, API_ERR_NOMEM, 0, NULL);
        case CURLE_UNSUPPORTED_PROTOCOL:
        case CURLE_URL_MALFORMAT:
            return api_set_result(res, API_ERR_PROTOCOL, 0, "Bad API URL");
        case CURLE_PEER_FAILED_VERIFICATION:
        case CURLE_SSL_CONNECT_ERROR:
            return api_set_result(res, API_ERR_UNREACHABLE, 0, "Secure connection failed: %s", r->errbuf);
        default:
            return api_set_result(res, API_ERR_UNAVAILABLE, r->status, "Connection lost — try again");
        }
    }
    cJSON *j = bo_buf_len(&r->body) > 0 ? cJSON_ParseWithLength(bo_buf_ptr(&r->body), bo_buf_len(&r->body)) : NULL;
    long st = r->status;
    if (st >= 200 && st < 300) {
        if (j == NULL)
            return api_set_result(res, API_ERR_PROTOCOL, st, NULL);
        *json = j;
        return api_set_result(res, API_OK, st, "%s", "");
    }
    if (record_422 && is_marked_record(st, j)) {
        *json = j;
        return api_set_result(res, API_OK, st, "%s", "");
    }
    const char *msg = error_text(j);
    api_status out;
    if (err_json != NULL)
        *err_json = NULL;
    if (st == 404) {
        out = api_set_result(res, API_ERR_NOT_FOUND, st, NULL);
    } else if (st == 401 || st == 403) {
        if (contains_nocase(msg, "Missing Authentication Token"))
            out = api_set_result(res, API_ERR_INVALID, st, "No such API route — check the API URL");
        else if (st == 401 && r->auth_err[0] != '\0')
            out = api_set_result(res, API_ERR_FORBIDDEN, st, "%s", r->auth_err);
        else if (st == 401)
            out = api_set_result(res, API_ERR_FORBIDDEN, st, "%s", API_UNAUTHORIZED_TEXT);
        else if (msg != NULL && !contains_nocase(msg, "Forbidden") && cJSON_IsString(cJSON_GetObjectItemCaseSensitive(j, "error")))
            out = api_set_result(res, API_ERR_FORBIDDEN, st, "Not allowed: %s", msg);
        else
            out = api_set_result(res, API_ERR_FORBIDDEN, st, NULL);
    } else if (st == 429) {
        out = api_set_result(res, API_ERR_THROTTLED, st, NULL);
    } else if (st >= 500) {
        out = api_set_result(res, API_ERR_UNAVAILABLE, st, NULL);
    } else if (st == 400 && (contains_nocase(msg, "no tickets available") || contains_nocase(msg, "sold out"))) {
        out = api_set_result(res, API_ERR_SOLD_OUT, st, NULL);
    } else if (st == 413) {
        out = api_set_result(res, API_ERR_INVALID, st, "Request too large");
    } else if (st >= 400) {
        out = msg != NULL ? api_set_result(res, API_ERR_INVALID, st, "%s", msg) : api_set_result(res, API_ERR_INVALID, st, NULL);
    } else {
        out = api_set_result(res, API_ERR_PROTOCOL, st, "Unexpected answer (HTTP %ld)", st);
    }
    if (err_json != NULL && st >= 400 && st < 500 && cJSON_IsObject(j)) {
        *err_json = j; /* the caller reads the refusal's details (a 409's ticket, say) */
        return out;
    }
    cJSON_Delete(j);
    return out;
}

bool api_build_url(const api_client *c, const char *path, const char *id, char out[URL_MAX])
{
    int n;
    if (id == NULL) {
        n = snprintf(out, URL_MAX, "%s%s", c->base_url, path);
    } else {
        char *esc = curl_easy_escape(c->curl, id, 0);
        if (esc == NULL)
            return false;
        n = snprintf(out, URL_MAX, "%s%s%s", c->base_url, path, esc);
        curl_free(esc);
    }
    return n > 0 && n < URL_MAX;
}

bool api_build_url_sub(const api_client *c, const char *path, const char *id, const char *suffix, char out[URL_MAX])
{
    if (!api_build_url(c, path, id, out) || strlen(out) + strlen(suffix) >= URL_MAX)
        return false;
    strcat(out, suffix);
    return true;
}

api_status api_request_ex(api_client *c, const char *method, const char *url, const char *body, bool record_422,
                          cJSON **json, api_result *res)
{
    return api_request_full(c, method, url, body, NULL, record_422, json, NULL, res);
}

api_status api_request_full(api_client *c, const char *method, const char *url, const char *body,
                            const char *idem_key, bool record_422, cJSON **json, cJSON **err_json, api_result *res)
{
    http_resp r;
    if (err_json != NULL)
        *err_json = NULL;
    if (api_http_do(c, method, url, body, idem_key, &r) != 0) {
        api_http_resp_clear(&r);
        return api_set_result(res, API_ERR_NOMEM, 0, NULL);
    }
    api_status st = api_classify(&r, record_422, json, err_json, res);
    if (res != NULL)
        res->latency_ms = r.ms;
    api_http_resp_clear(&r);
    return st;
}

static api_status request(api_client *c, const char *method, const char *url, const char *body,
                          cJSON **json, api_result *res)
{
    return api_request_ex(c, method, url, body, false, json, res);
}

bool api_id_ok(const char *id)
{
    return id != NULL && id[0] != '\0' && strlen(id) <= BO_ID_MAX && !bo_text_has_control(id);
}

api_status api_list_concerts(api_client *c, bo_concert_list *out, api_result *res)
{
    char url[URL_MAX];
    cJSON *j = NULL;
    out->items = NULL;
    out->n = 0;
    if (!api_build_url(c, "/concerts", NULL, url))
        return api_set_result(res, API_ERR_PROTOCOL, 0, "Bad API URL");
    api_status st = request(c, "GET", url, NULL, &j, res);
    if (st == API_ERR_NOT_FOUND) /* the list itself is missing: a wrong base URL, not a gone concert */
        return api_set_result(res, API_ERR_INVALID, res != NULL ? res->http_status : 404, "No such API route — check the API URL");
    if (st != API_OK)
        return st;
    if (bo_concert_list_from_json(j, out) != 0)
        st = api_set_result(res, API_ERR_PROTOCOL, res != NULL ? res->http_status : 200, NULL);
    cJSON_Delete(j);
    return st;
}

api_status api_get_concert(api_client *c, const char *id, bo_concert *out, api_result *res)
{
    char url[URL_MAX];
    cJSON *j = NULL;
    memset(out, 0, sizeof *out);
    if (!api_id_ok(id))
        return api_set_result(res, API_ERR_NOT_FOUND, 0, NULL);
    if (!api_build_url(c, "/concerts/", id, url))
        return api_set_result(res, API_ERR_NOMEM, 0, NULL);
    /* a concert stored malformed comes back as 422 with the record and its problems: shown marked, not sold */
    api_status st = api_request_ex(c, "GET", url, NULL, true, &j, res);
    if (st != API_OK)
        return st;
    if (bo_concert_from_json(j, out) != 0)
        st = api_set_result(res, API_ERR_PROTOCOL, res != NULL ? res->http_status : 200, NULL);
    cJSON_Delete(j);
    return st;
}

api_status api_create_concert(api_client *c, const bo_concert_input *in, char id_out[BO_ID_MAX + 1], api_result *res)
{
    char url[URL_MAX], price[BO_MONEY_BUF];
    cJSON *body = NULL, *j = NULL;
    char *text = NULL;
    api_status st;
    id_out[0] = '\0';
    if (!api_build_url(c, "/concerts", NULL, url))
        return api_set_result(res, API_ERR_PROTOCOL, 0, "Bad API URL");
    bo_money_format(in->price_cents, price);
    body = cJSON_CreateObject();
    if (body == NULL || cJSON_AddStringToObject(body, "name", in->name != NULL ? in->name : "") == NULL
        || cJSON_AddStringToObject(body, "date", in->date != NULL ? in->date : "") == NULL
        || cJSON_AddStringToObject(body, "venue", in->venue != NULL ? in->venue : "") == NULL
        || cJSON_AddNumberToObject(body, "availableTickets", (double)in->available_tickets) == NULL
        || cJSON_AddRawToObject(body, "ticketPrice", price) == NULL
        || (in->currency != NULL && in->currency[0] != '\0'
            && cJSON_AddStringToObject(body, "currency", in->currency) == NULL)
        || (in->timezone != NULL && in->timezone[0] != '\0'
            && cJSON_AddStringToObject(body, "timezone", in->timezone) == NULL)
        || (in->max_per_order > 0 && cJSON_AddNumberToObject(body, "maxPerOrder", (double)in->max_per_order) == NULL)
        || (text = cJSON_PrintUnformatted(body)) == NULL) {
        st = api_set_result(res, API_ERR_NOMEM, 0, NULL);
        goto cleanup;
    }
    st = request(c, "POST", url, text, &j, res);
    if (st == API_ERR_NOT_FOUND)
        st = api_set_result(res, API_ERR_INVALID, res != NULL ? res->http_status : 404, "No such API route — check the API URL");
    if (st != API_OK)
        goto cleanup;
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(j, "id");
    if (!cJSON_IsString(id) || !api_id_ok(id->valuestring) || !bo_utf8_valid(id->valuestring, strlen(id->valuestring))) {
        st = api_set_result(res, API_ERR_PROTOCOL, res != NULL ? res->http_status : 201, NULL);
        goto cleanup;
    }
    snprintf(id_out, BO_ID_MAX + 1, "%s", id->valuestring);
cleanup:
    cJSON_Delete(body);
    cJSON_Delete(j);
    free(text);
    return st;
}

bool api_retryable(api_status st)
{
    return st == API_ERR_UNAVAILABLE || st == API_ERR_UNREACHABLE || st == API_ERR_TIMEOUT
        || st == API_ERR_THROTTLED;
}

void api_backoff(api_client *c, int attempt)
{
    bo_sleep_ms(bo_backoff_equal_jitter((unsigned)attempt + 1, BACKOFF_BASE_MS, BACKOFF_MAX_MS, bo_rand_next(&c->rng)));
}

char *api_sanitized_copy(const char *s)
{
    size_t cap = strlen(s) * 3 + 1;
    char *out = malloc(cap);
    if (out != NULL)
        bo_text_sanitize(out, cap, s);
    return out;
}

/* The ticket from a 200/201 answer: the server's id, its fields when given, else what was sent. */
static api_status ticket_from_answer(const cJSON *j, const char *concert_id, const char *name,
                                     const char *email, bo_ticket *out, api_result *res)
{
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(j, "id");
    const cJSON *v;
    if (!cJSON_IsString(id) || !api_id_ok(id->valuestring) || !bo_utf8_valid(id->valuestring, strlen(id->valuestring)))
        return api_set_result(res, API_ERR_PROTOCOL, res != NULL ? res->http_status : 201, NULL);
    snprintf(out->id, sizeof out->id, "%s", id->valuestring);
    snprintf(out->concert_id, sizeof out->concert_id, "%s", concert_id);
    v = cJSON_GetObjectItemCaseSensitive(j, "customerName");
    out->customer_name = api_sanitized_copy(cJSON_IsString(v) ? v->valuestring : name);
    v = cJSON_GetObjectItemCaseSensitive(j, "customerEmail");
    out->customer_email = api_sanitized_copy(cJSON_IsString(v) ? v->valuestring : email);
    out->json = cJSON_Duplicate(j, true);
    if (out->customer_name == NULL || out->customer_email == NULL || out->json == NULL) {
        bo_ticket_clear(out);
        return api_set_result(res, API_ERR_NOMEM, 0, NULL);
    }
    v = cJSON_GetObjectItemCaseSensitive(j, "purchaseDate");
    if (cJSON_IsString(v) && v->valuestring[0] != '\0') {
        bo_text_sanitize(out->purchase_date, sizeof out->purchase_date, v->valuestring);
    } else { /* the server did not say: the time the sale was confirmed here */
        bo_clock_iso_ms(bo_clock_wall_ms(), out->purchase_date);
    }
    return API_OK;
}

bool api_idempotency_key_valid(const char *key)
{
    if (key == NULL || key[0] == '\0')
        return false;
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)key; *p != '\0'; p++, n++)
        if (*p < 0x21 || *p > 0x7E || n >= API_IDEM_KEY_MAX)
            return false;
    return true;
}

void api_idempotency_key_new(char out[API_IDEM_KEY_MAX + 1])
{
    uuid_t u;
    uuid_generate_random(u);
    uuid_unparse_lower(u, out);
}

/* Whether an attempt that ended with st may have been carried out by the server: it reached the server
 * and got no definite answer (a 5xx, no answer in time, a connection lost, a 2xx that could not be read). */
bool api_maybe_applied(const http_resp *r, api_status st)
{
    if (!r->connected)
        return false;
    switch (st) {
    case API_ERR_TIMEOUT:
    case API_ERR_UNAVAILABLE:
    case API_ERR_NOMEM:
        return true;
    case API_ERR_PROTOCOL:
        return r->status == 0 || (r->status >= 200 && r->status < 300);
    default:
        return false;
    }
}

/* A definite "not sold" from the server for this key: a 4xx other than 429. */
bool api_definite_refusal(api_status st)
{
    return st == API_ERR_SOLD_OUT || st == API_ERR_NOT_FOUND || st == API_ERR_INVALID || st == API_ERR_FORBIDDEN;
}

char *api_order_body(const bo_order_input *in)
{
    char money[BO_MONEY_BUF];
    char *text = NULL;
    cJSON *b = cJSON_CreateObject(), *arr, *pay;
    if (b == NULL || cJSON_AddStringToObject(b, "concertId", in->concert_id != NULL ? in->concert_id : "") == NULL
        || cJSON_AddNumberToObject(b, "quantity", (double)in->quantity) == NULL)
        goto done;
    if (in->customer_name != NULL && in->customer_name[0] != '\0'
        && cJSON_AddStringToObject(b, "customerName", in->customer_name) == NULL)
        goto done;
    if (in->customer_email != NULL && in->customer_email[0] != '\0'
        && cJSON_AddStringToObject(b, "customerEmail", in->customer_email) == NULL)
        goto done;
    if (in->n_attendees > 0) {
        if ((arr = cJSON_AddArrayToObject(b, "attendees")) == NULL)
            goto done;
        for (size_t i = 0; i < in->n_attendees; i++) {
            cJSON *s = cJSON_CreateString(in->attendees[i] != NULL ? in->attendees[i] : "");
            if (s == NULL || !cJSON_AddItemToArray(arr, s)) {
                cJSON_Delete(s);
                goto done;
            }
        }
    }
    if (in->method != BO_PAY_NONE) {
        if ((pay = cJSON_AddObjectToObject(b, "payment")) == NULL
            || cJSON_AddStringToObject(pay, "method", bo_pay_method_name(in->method)) == NULL)
            goto done;
        if (in->method == BO_PAY_CASH && in->tendered_cents >= 0) {
            snprintf(money, sizeof money, "%lld.%02lld", (long long)(in->tendered_cents / 100),
                     (long long)(in->tendered_cents % 100));
            if (cJSON_AddStringToObject(pay, "tendered", money) == NULL)
                goto done;
        }
    }
    text = cJSON_PrintUnformatted(b);
done:
    cJSON_Delete(b);
    return text;
}

/* POSTs text to url with the Idempotency-Key key, retried (backoff) on transport errors, 5xx and 429 with
 * the same key. *applied is set when some attempt may have been carried out (see maybe_applied). */
api_status api_post_idempotent(api_client *c, const char *url, const char *text, const char *key, cJSON **j,
                               cJSON **err_json, api_result *res, bool *applied, double *total_ms)
{
    api_status st = API_ERR_NOMEM;
    for (int attempt = 0; attempt < c->purchase_attempts; attempt++) {
        http_resp r;
        if (attempt > 0)
            api_backoff(c, attempt - 1);
        if (err_json != NULL) { /* only the last attempt's refusal is handed over */
            cJSON_Delete(*err_json);
            *err_json = NULL;
        }
        if (api_http_do(c, "POST", url, text, key, &r) != 0) {
            api_http_resp_clear(&r);
            return api_set_result(res, API_ERR_NOMEM, 0, NULL);
        }
        *total_ms += r.ms;
        st = api_classify(&r, false, j, err_json, res);
        if (api_maybe_applied(&r, st))
            *applied = true;
        api_http_resp_clear(&r);
        if (!api_retryable(st))
            break;
    }
    return st;
}

api_status api_idem_key_check(const char *idem_key, api_result *res)
{
    if (idem_key != NULL && !api_idempotency_key_valid(idem_key))
        return api_set_result(res, API_ERR_INVALID, 0, "Idempotency-Key must be 1 to %d visible ASCII characters",
                              API_IDEM_KEY_MAX);
    return API_OK;
}

api_status api_post_keyed(api_client *c, const char *url, const char *text, const char *idem_key, cJSON **j,
                          cJSON **err_json, api_result *res)
{
    char key[API_IDEM_KEY_MAX + 1];
    double total_ms = 0;
    bool applied = false;      /* some attempt may have been carried out */
    api_status st;
    if (text == NULL) {
        st = api_set_result(res, API_ERR_NOMEM, 0, NULL);
    } else {
        if (idem_key != NULL)
            snprintf(key, sizeof key, "%s", idem_key);
        else
            api_idempotency_key_new(key);
        st = api_post_idempotent(c, url, text, key, j, err_json, res, &applied, &total_ms);
        memset(key, 0, sizeof key);
    }
    if (res != NULL) {
        res->latency_ms = total_ms;
        res->unconfirmed = st != API_OK && !api_definite_refusal(st) && applied;
    }
    return st;
}

api_status api_post_unreadable(api_status st, api_result *res)
{
    if (res != NULL)
        res->unconfirmed = st != API_OK && !api_definite_refusal(st);
    return st;
}

api_status api_create_order(api_client *c, const bo_order_input *in, const char *idem_key, bo_order *out,
                            api_result *res)
{
    char url[URL_MAX];
    cJSON *j = NULL;
    api_status st;
    memset(out, 0, sizeof *out);
    if (!api_id_ok(in->concert_id))
        return api_set_result(res, API_ERR_NOT_FOUND, 0, NULL);
    if (in->quantity < 1 || in->quantity > BO_ORDER_TICKETS_MAX)
        return api_set_result(res, API_ERR_INVALID, 0, "quantity must be 1 to %d", BO_ORDER_TICKETS_MAX);
    if ((st = api_idem_key_check(idem_key, res)) != API_OK)
        return st;
    if (!api_build_url(c, in->operator_route ? "/box-office/orders" : "/orders", NULL, url))
        return api_set_result(res, API_ERR_PROTOCOL, 0, "Bad API URL");
    char *text = api_order_body(in);
    st = api_post_keyed(c, url, text, idem_key, &j, NULL, res);
    if (st == API_OK && bo_order_from_json(j, out) != 0) /* the order exists, but it could not be read */
        st = api_post_unreadable(api_set_result(res, API_ERR_PROTOCOL, res != NULL ? res->http_status : 201, NULL), res);
    cJSON_Delete(j);
    if (text != NULL)
        memset(text, 0, strlen(text)); /* names and e-mail */
    free(text);
    return st;
}

api_status api_get_order(api_client *c, const char *id, bo_order *out, api_result *res)
{
    char url[URL_MAX];
    cJSON *j = NULL;
    memset(out, 0, sizeof *out);
    if (!api_id_ok(id))
        return api_set_result(res, API_ERR_NOT_FOUND, 0, "No such order");
    if (!api_build_url(c, "/orders/", id, url))
        return api_set_result(res, API_ERR_NOMEM, 0, NULL);
    api_status st = request(c, "GET", url, NULL, &j, res);
    if (st == API_ERR_NOT_FOUND)
        return api_set_result(res, API_ERR_NOT_FOUND, res != NULL ? res->http_status : 404, "No such order");
    if (st != API_OK)
        return st;
    if (bo_order_from_json(j, out) != 0)
        st = api_set_result(res, API_ERR_PROTOCOL, res != NULL ? res->http_status : 200, NULL);
    cJSON_Delete(j);
    return st;
}

api_status api_purchase_key(api_client *c, const char *concert_id, const char *customer_name,
                            const char *customer_email, const char *idem_key, bo_ticket *out, api_result *res)
{
    char url[URL_MAX];
    cJSON *body = NULL, *j = NULL;
    char *text = NULL;
    api_status st;
    memset(out, 0, sizeof *out);
    if (!api_id_ok(concert_id))
        return api_set_result(res, API_ERR_NOT_FOUND, 0, NULL);
    if ((st = api_idem_key_check(idem_key, res)) != API_OK)
        return st;
    if (!api_build_url(c, "/tickets", NULL, url))
        return api_set_result(res, API_ERR_PROTOCOL, 0, "Bad API URL");
    body = cJSON_CreateObject();
    if (body != NULL && cJSON_AddStringToObject(body, "concertId", concert_id) != NULL
        && cJSON_AddStringToObject(body, "customerName", customer_name != NULL ? customer_name : "") != NULL
        && cJSON_AddStringToObject(body, "customerEmail", customer_email != NULL ? customer_email : "") != NULL)
        text = cJSON_PrintUnformatted(body);
    st = api_post_keyed(c, url, text, idem_key, &j, NULL, res);
    if (st == API_OK) /* a 2xx came back: the ticket exists; when it cannot be read, that is unconfirmed */
        st = api_post_unreadable(ticket_from_answer(j, concert_id, customer_name != NULL ? customer_name : "",
                                                    customer_email != NULL ? customer_email : "", out, res), res);
    cJSON_Delete(body);
    cJSON_Delete(j);
    free(text);
    return st;
}
