#ifndef API_INTERNAL_H
#define API_INTERNAL_H
/* Shared by the api*.c modules only (one HTTP client, split by route family: api.c concerts, tickets
 * and orders; further files for later families). Not for the UI or the CLI: they use api.h.
 *
 * Ownership: an http_resp's body is freed by api_http_resp_clear; a cJSON handed out through json or
 * err_json belongs to the caller (cJSON_Delete). All const char * parameters are borrowed. */
#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <stdbool.h>

#include "api.h"
#include "bo_buf.h"
#include "bo_rand.h"

#define API_URL_MAX 4096

struct api_client {
    CURL *curl;
    char *base_url;            /* owned, no trailing slash */
    struct auth_session *auth; /* borrowed (api_config.auth) or NULL */
    long connect_timeout_ms, timeout_ms;
    int purchase_attempts;
    size_t max_body;
    api_inspector_fn inspector;
    void *inspector_ud;
    bo_rand rng;               /* retry jitter */
};

/* One HTTP exchange's answer. body (capped at max) is freed by api_http_resp_clear. */
typedef struct http_resp {
    long status;               /* 0: no HTTP answer */
    bo_buf body;
    size_t max;
    bool too_big;
    CURLcode cc;
    bool connected;            /* a TCP connection was established */
    char errbuf[CURL_ERROR_SIZE];
    double ms;
    char auth_err[200];        /* why no token could be had (the sign-in's error), "" when one was sent */
} http_resp;

/* Fills res (may be NULL) and returns st; fmt NULL = api_status_message(st). The text is sanitised. */
api_status api_set_result(api_result *res, api_status st, long http, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Performs one exchange (idem_key: an Idempotency-Key header, may be NULL). 0 when curl ran, -1 on OOM. */
int api_http_do(api_client *c, const char *method, const char *url, const char *body, const char *idem_key,
                http_resp *r);
void api_http_resp_clear(http_resp *r);

/* Turns a finished exchange into a status. API_OK: *json is the parsed 2xx body (with record_422, also a
 * 422 carrying a marked concert record). A 4xx with a JSON object body is handed over in *err_json when
 * err_json is not NULL (its status and message are in res as usual). */
api_status api_classify(const http_resp *r, bool record_422, cJSON **json, cJSON **err_json, api_result *res);

/* base_url + path + the URL-escaped id (id may be NULL). false when it does not fit or on OOM. */
bool api_build_url(const api_client *c, const char *path, const char *id, char out[API_URL_MAX]);
/* The same followed by suffix (an item's sub-resource: "/orders/", id, "/refund"). */
bool api_build_url_sub(const api_client *c, const char *path, const char *id, const char *suffix,
                       char out[API_URL_MAX]);
bool api_id_ok(const char *id);       /* 1..BO_ID_MAX bytes without control characters */

/* One request, no retries (see api_classify for json, err_json and record_422). */
api_status api_request_ex(api_client *c, const char *method, const char *url, const char *body, bool record_422,
                          cJSON **json, api_result *res);
api_status api_request_full(api_client *c, const char *method, const char *url, const char *body,
                            const char *idem_key, bool record_422, cJSON **json, cJSON **err_json, api_result *res);

/* POSTs text with the Idempotency-Key key, retried with backoff on transport errors, 5xx and 429 (same key).
 * *applied: some attempt may have been carried out by the server. err_json as api_classify (last attempt). */
api_status api_post_idempotent(api_client *c, const char *url, const char *text, const char *key, cJSON **j,
                               cJSON **err_json, api_result *res, bool *applied, double *total_ms);
/* The caller's Idempotency-Key checked: API_OK for NULL (api_post_keyed makes a new one) or a valid key,
 * API_ERR_INVALID with its message in res otherwise. */
api_status api_idem_key_check(const char *idem_key, api_result *res);
/* api_post_idempotent with the caller's Idempotency-Key (checked; NULL: a new one); text NULL means building it
 * ran out of memory (API_ERR_NOMEM, nothing sent). Fills res->latency_ms and res->unconfirmed (some attempt may
 * have been carried out and no answer said yes or no). A caller that then cannot read a 2xx answer reports it
 * with api_post_unreadable. */
api_status api_post_keyed(api_client *c, const char *url, const char *text, const char *idem_key, cJSON **j,
                          cJSON **err_json, api_result *res);
/* After api_post_keyed returned API_OK: the answer st (not API_OK) from reading it, marked unconfirmed (the
 * server did it, but what it did could not be read). Returns st. */
api_status api_post_unreadable(api_status st, api_result *res);
bool api_retryable(api_status st);
void api_backoff(api_client *c, int attempt);
bool api_maybe_applied(const http_resp *r, api_status st);
bool api_definite_refusal(api_status st);     /* a 4xx other than 429: the server said no */
char *api_sanitized_copy(const char *s);       /* malloc'd terminal-safe copy, NULL on OOM */
/* After a refusal st (not API_OK): res->message becomes the server's own "error" (else "message") text of
 * err_json (sanitised), as a 403 "... needs the manager group" is shown to the operator (api_operators.c). */
void api_refusal_message(api_status st, const cJSON *err_json, api_result *res);

#endif
