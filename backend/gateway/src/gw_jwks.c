/* The JWKS cache. See gw_jwks.h. */
#include "gw_jwks.h"

#include "bo_buf.h"
#include "gw_log.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_JWKS_BYTES (256 * 1024)

struct gw_jwks {
    char *issuer;
    char *url;
    pthread_mutex_t mu;
    gw_jwk_set *set;           /* current keys, or NULL before the first successful fetch */
    int64_t last_fetch_ms;     /* monotonic time of the last attempt, 0: never */
    unsigned refs_busy;        /* verifications running on set (a replaced set is freed when they end) */
    gw_jwk_set *retired;       /* a replaced set still in use */
};

static int64_t mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

gw_jwks *gw_jwks_new(const char *issuer, const char *url)
{
    if (!issuer || !*issuer) return NULL;
    gw_jwks *j = calloc(1, sizeof *j);
    if (!j) return NULL;
    j->issuer = strdup(issuer);
    if (url && *url) {
        j->url = strdup(url);
    } else if (j->issuer) {
        size_t n = strlen(issuer) + sizeof "/.well-known/jwks.json";
        if ((j->url = malloc(n))) snprintf(j->url, n, "%s/.well-known/jwks.json", issuer);
    }
    if (!j->issuer || !j->url || pthread_mutex_init(&j->mu, NULL) != 0) {
        free(j->issuer);
        free(j->url);
        free(j);
        return NULL;
    }
    return j;
}

void gw_jwks_free(gw_jwks *j)
{
    if (!j) return;
    gw_jwk_set_free(j->set);
    gw_jwk_set_free(j->retired);
    pthread_mutex_destroy(&j->mu);
    free(j->issuer);
    free(j->url);
    free(j);
}

const char *gw_jwks_issuer(const gw_jwks *j) { return j ? j->issuer : NULL; }
const char *gw_jwks_url(const gw_jwks *j) { return j ? j->url : NULL; }

/* GET url -> a key set, or NULL with err filled. */
static gw_jwk_set *fetch(const char *url, char *err, size_t errlen)
{
    CURL *c = curl_easy_init();
    if (!c) { snprintf(err, errlen, "curl_easy_init failed"); return NULL; }
    bo_buf body;
    bo_buf_init(&body, MAX_JWKS_BYTES);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, bo_buf_write_cb);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)GW_JWKS_FETCH_TIMEOUT_MS);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    CURLcode rc = curl_easy_perform(c);
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(c);
    gw_jwk_set *set = NULL;
    if (rc != CURLE_OK) snprintf(err, errlen, "%s", bo_buf_error(&body) ? "document too large" : curl_easy_strerror(rc));
    else if (status != 200) snprintf(err, errlen, "HTTP %ld", status);
    else set = gw_jwk_set_parse(bo_buf_ptr(&body), bo_buf_len(&body), err, errlen);
    bo_buf_free(&body);
    return set;
}

static void log_fetch(const gw_jwks *j, const gw_jwk_set *set, const char *err)
{
    char now[32];
    gw_log_now(now);
    cJSON *o = cJSON_CreateObject();
    char *s = NULL;
    if (o && cJSON_AddStringToObject(o, "time", now) && cJSON_AddStringToObject(o, "event", "jwks_fetch") &&
        cJSON_AddStringToObject(o, "url", j->url) &&
        (set ? cJSON_AddNumberToObject(o, "keys", (double)gw_jwk_set_count(set)) != NULL
             : cJSON_AddStringToObject(o, "error", err) != NULL))
        s = cJSON_PrintUnformatted(o);
    if (s) gw_log(NULL, "%s", s);
    free(s);
    cJSON_Delete(o);
}

/* Fetches the keys again unless the last attempt was less than GW_JWKS_REFETCH_MS ago (then the cache
 * stays as it is). Called without the mutex held. */
static void refresh(gw_jwks *j)
{
    pthread_mutex_lock(&j->mu);
    int64_t now = mono_ms();
    bool due = j->last_fetch_ms == 0 || now - j->last_fetch_ms >= GW_JWKS_REFETCH_MS;
    if (due) j->last_fetch_ms = now;
    pthread_mutex_unlock(&j->mu);
    if (!due) return;
    char err[256] = "";
    gw_jwk_set *set = fetch(j->url, err, sizeof err);
    log_fetch(j, set, err);
    if (!set) return;
    pthread_mutex_lock(&j->mu);
    if (j->refs_busy == 0) {
        gw_jwk_set_free(j->set);
    } else {                   /* still read by a running check: freed when the last one ends */
        gw_jwk_set_free(j->retired);
        j->retired = j->set;
    }
    j->set = set;
    pthread_mutex_unlock(&j->mu);
}

/* The current set, held for reading (release with release_set), or NULL. */
static gw_jwk_set *hold_set(gw_jwks *j, const char *kid, bool *known)
{
    pthread_mutex_lock(&j->mu);
    gw_jwk_set *s = j->set;
    *known = s && gw_jwk_set_has(s, kid);
    if (s) j->refs_busy++;
    pthread_mutex_unlock(&j->mu);
    return s;
}

static void release_set(gw_jwks *j, gw_jwk_set *s)
{
    if (!s) return;
    pthread_mutex_lock(&j->mu);
    if (--j->refs_busy == 0 && j->retired) {
        gw_jwk_set_free(j->retired);
        j->retired = NULL;
    }
    pthread_mutex_unlock(&j->mu);
}

gw_jwt_status gw_jwks_check(gw_jwks *j, const char *token, size_t len, cJSON **claims)
{
    *claims = NULL;
    gw_jwt jwt;
    gw_jwt_status st = gw_jwt_parse(token, len, &jwt);
    if (st != GW_JWT_OK) return st;
    if (!j) { gw_jwt_clear(&jwt); return GW_JWT_ISSUER; }
    if (!jwt.kid) { gw_jwt_clear(&jwt); return GW_JWT_UNKNOWN_KID; }
    bool known;
    gw_jwk_set *s = hold_set(j, jwt.kid, &known);
    if (!known) {              /* first use, or a kid the cache does not hold: fetch (rate-limited) */
        release_set(j, s);
        refresh(j);
        s = hold_set(j, jwt.kid, &known);
    }
    st = known ? gw_jwt_verify(&jwt, s, j->issuer, (int64_t)time(NULL)) : GW_JWT_UNKNOWN_KID;
    release_set(j, s);
    if (st == GW_JWT_OK && !(*claims = gw_jwt_claims(&jwt))) st = GW_JWT_NOMEM;
    gw_jwt_clear(&jwt);
    return st;
}
