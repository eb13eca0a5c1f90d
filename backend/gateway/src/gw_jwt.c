/* Cognito ID token checks. See gw_jwt.h. */
#include "gw_jwt.h"

#include "bo_base64.h"
#include "bo_err.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mbedtls/rsa.h>
#include <mbedtls/sha256.h>
#include <mbedtls/version.h>

#define MAX_KEYS 16
#define MAX_KID 128

typedef struct gw_jwk {
    char kid[MAX_KID];
    mbedtls_rsa_context rsa;
} gw_jwk;

struct gw_jwk_set {
    gw_jwk keys[MAX_KEYS];
    size_t n;
};

const char *gw_jwt_status_name(gw_jwt_status st)
{
    switch (st) {
    case GW_JWT_OK: return "ok";
    case GW_JWT_MISSING: return "missing";
    case GW_JWT_MALFORMED: return "malformed";
    case GW_JWT_ALG: return "alg";
    case GW_JWT_UNKNOWN_KID: return "unknown_kid";
    case GW_JWT_BAD_SIGNATURE: return "bad_signature";
    case GW_JWT_ISSUER: return "issuer";
    case GW_JWT_TOKEN_USE: return "token_use";
    case GW_JWT_EXPIRED: return "expired";
    case GW_JWT_NOT_YET: return "not_yet_valid";
    case GW_JWT_NOMEM: return "out_of_memory";
    }
    return "?";
}

/* base64url without padding (RFC 7515 section 2) -> bytes, through the strict standard decoder. NULL when
 * the text is not canonical base64url or memory ran out (*nomem tells which). */
static unsigned char *b64url_decode(const char *s, size_t len, size_t *out_len, bool *nomem)
{
    *nomem = false;
    if (len == 0 || len % 4 == 1) return NULL;
    char *std = malloc(len + 3);
    if (!std) { *nomem = true; return NULL; }
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c == '+' || c == '/' || c == '=') { free(std); return NULL; }
        std[i] = c == '-' ? '+' : c == '_' ? '/' : c;
    }
    size_t n = len;
    while (n % 4) std[n++] = '=';
    char *d = bo_base64_decode(std, n, GW_JWT_MAX_LEN, out_len, NULL);
    free(std);
    return (unsigned char *)d;
}

static cJSON *decode_object(const char *s, size_t len, gw_jwt_status *st)
{
    bool nomem;
    size_t n;
    unsigned char *raw = b64url_decode(s, len, &n, &nomem);
    if (!raw) { *st = nomem ? GW_JWT_NOMEM : GW_JWT_MALFORMED; return NULL; }
    if (memchr(raw, '\0', n)) { free(raw); *st = GW_JWT_MALFORMED; return NULL; }
    cJSON *j = cJSON_ParseWithLength((const char *)raw, n);
    free(raw);
    if (!cJSON_IsObject(j)) { cJSON_Delete(j); *st = GW_JWT_MALFORMED; return NULL; }
    return j;
}

void gw_jwt_clear(gw_jwt *jwt)
{
    if (!jwt) return;
    cJSON_Delete(jwt->header);
    cJSON_Delete(jwt->payload);
    free(jwt->sig);
    memset(jwt, 0, sizeof *jwt);
}

gw_jwt_status gw_jwt_parse(const char *token, size_t len, gw_jwt *out)
{
    memset(out, 0, sizeof *out);
    if (!token || len == 0 || len > GW_JWT_MAX_LEN) return GW_JWT_MALFORMED;
    const char *d1 = memchr(token, '.', len);
    const char *d2 = d1 ? memchr(d1 + 1, '.', len - (size_t)(d1 + 1 - token)) : NULL;
    if (!d1 || !d2 || memchr(d2 + 1, '.', len - (size_t)(d2 + 1 - token))) return GW_JWT_MALFORMED;
    size_t hl = (size_t)(d1 - token), pl = (size_t)(d2 - d1 - 1), sl = len - (size_t)(d2 + 1 - token);
    if (hl == 0 || pl == 0 || sl == 0) return GW_JWT_MALFORMED;
    gw_jwt_status st = GW_JWT_MALFORMED;
    if (!(out->header = decode_object(token, hl, &st))) goto fail;
    const cJSON *alg = cJSON_GetObjectItemCaseSensitive(out->header, "alg");
    if (!cJSON_IsString(alg)) { st = GW_JWT_MALFORMED; goto fail; }
    if (strcmp(alg->valuestring, "RS256") != 0 || cJSON_GetObjectItemCaseSensitive(out->header, "crit")) {
        st = GW_JWT_ALG;
        goto fail;
    }
    const cJSON *kid = cJSON_GetObjectItemCaseSensitive(out->header, "kid");
    if (kid && !cJSON_IsString(kid)) { st = GW_JWT_MALFORMED; goto fail; }
    out->kid = kid ? kid->valuestring : NULL;
    if (!(out->payload = decode_object(d1 + 1, pl, &st))) goto fail;
    bool nomem;
    if (!(out->sig = b64url_decode(d2 + 1, sl, &out->sig_len, &nomem))) {
        st = nomem ? GW_JWT_NOMEM : GW_JWT_MALFORMED;
        goto fail;
    }
    out->signing_input = token;
    out->signing_len = (size_t)(d2 - token);
    return GW_JWT_OK;
fail:
    gw_jwt_clear(out);
    return st;
}

void gw_jwk_set_free(gw_jwk_set *set)
{
    if (!set) return;
    for (size_t i = 0; i < set->n; i++) mbedtls_rsa_free(&set->keys[i].rsa);
    free(set);
}

size_t gw_jwk_set_count(const gw_jwk_set *set) { return set ? set->n : 0; }

static const gw_jwk *find_key(const gw_jwk_set *set, const char *kid)
{
    if (!set || !kid) return NULL;
    for (size_t i = 0; i < set->n; i++)
        if (strcmp(set->keys[i].kid, kid) == 0) return &set->keys[i];
    return NULL;
}

bool gw_jwk_set_has(const gw_jwk_set *set, const char *kid) { return find_key(set, kid) != NULL; }

static const char *jstr(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* One RSA JWK into k (rsa initialised either way: free it). 0, 1 to skip the key, -1 when it is broken. */
static int load_key(const cJSON *jwk, gw_jwk *k)
{
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
    mbedtls_rsa_init(&k->rsa);
    mbedtls_rsa_set_padding(&k->rsa, MBEDTLS_RSA_PKCS_V15, MBEDTLS_MD_SHA256);
#else
    mbedtls_rsa_init(&k->rsa, MBEDTLS_RSA_PKCS_V15, 0);
#endif
    const char *kty = jstr(jwk, "kty"), *kid = jstr(jwk, "kid"), *use = jstr(jwk, "use"), *alg = jstr(jwk, "alg");
    if (!kty || strcmp(kty, "RSA") != 0 || (use && strcmp(use, "sig") != 0) || (alg && strcmp(alg, "RS256") != 0))
        return 1;
    const char *n64 = jstr(jwk, "n"), *e64 = jstr(jwk, "e");
    if (!kid || !*kid || strlen(kid) >= MAX_KID || !n64 || !e64) return -1;
    bool nomem;
    size_t nl = 0, el = 0;
    unsigned char *n = b64url_decode(n64, strlen(n64), &nl, &nomem);
    unsigned char *e = b64url_decode(e64, strlen(e64), &el, &nomem);
    int rc = -1;
    if (n && e && nl >= 128 && nl <= 1024 && el <= 8 &&
        mbedtls_rsa_import_raw(&k->rsa, n, nl, NULL, 0, NULL, 0, NULL, 0, e, el) == 0 &&
        mbedtls_rsa_complete(&k->rsa) == 0 && mbedtls_rsa_check_pubkey(&k->rsa) == 0) {
        snprintf(k->kid, sizeof k->kid, "%s", kid);
        rc = 0;
    }
    free(n);
    free(e);
    return rc;
}

gw_jwk_set *gw_jwk_set_parse(const char *json, size_t len, char *err, size_t errlen)
{
    cJSON *j = cJSON_ParseWithLength(json, len);
    const cJSON *keys = cJSON_GetObjectItemCaseSensitive(j, "keys");
    gw_jwk_set *set = NULL;
    if (!cJSON_IsArray(keys)) { bo_err_set(err, errlen, "not a JWKS document (no \"keys\" array)"); goto done; }
    if (!(set = calloc(1, sizeof *set))) { bo_err_set(err, errlen, "out of memory"); goto done; }
    const cJSON *k;
    cJSON_ArrayForEach(k, keys) {
        if (set->n == MAX_KEYS) break;
        int rc = load_key(k, &set->keys[set->n]);
        if (rc == 0) { set->n++; continue; }
        mbedtls_rsa_free(&set->keys[set->n].rsa);
        if (rc < 0) { bo_err_set(err, errlen, "a broken RSA key in the JWKS"); gw_jwk_set_free(set); set = NULL; goto done; }
    }
    if (set->n == 0) { bo_err_set(err, errlen, "no RS256 signing key in the JWKS"); gw_jwk_set_free(set); set = NULL; }
done:
    cJSON_Delete(j);
    return set;
}

/* A claim that must be a number of seconds: present and finite, else *ok false. */
static bool num_claim(const cJSON *payload, const char *name, bool required, double *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(payload, name);
    if (!v) { *out = 0; return !required; }
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble)) return false;
    *out = v->valuedouble;
    return true;
}

gw_jwt_status gw_jwt_verify(const gw_jwt *jwt, const gw_jwk_set *set, const char *issuer, int64_t now)
{
    if (!jwt || !jwt->payload || !jwt->sig) return GW_JWT_MALFORMED;
    const gw_jwk *key = find_key(set, jwt->kid);
    if (!key) return GW_JWT_UNKNOWN_KID;
    if (jwt->sig_len != mbedtls_rsa_get_len(&key->rsa)) return GW_JWT_BAD_SIGNATURE;
    unsigned char hash[32];
#if MBEDTLS_VERSION_NUMBER >= 0x03000000
    if (mbedtls_sha256((const unsigned char *)jwt->signing_input, jwt->signing_len, hash, 0) != 0)
        return GW_JWT_BAD_SIGNATURE;
    /* the context is const in use: verification reads the public key only */
    if (mbedtls_rsa_pkcs1_verify((mbedtls_rsa_context *)&key->rsa, MBEDTLS_MD_SHA256, 32, hash, jwt->sig) != 0)
        return GW_JWT_BAD_SIGNATURE;
#else
    if (mbedtls_sha256_ret((const unsigned char *)jwt->signing_input, jwt->signing_len, hash, 0) != 0)
        return GW_JWT_BAD_SIGNATURE;
    if (mbedtls_rsa_pkcs1_verify((mbedtls_rsa_context *)&key->rsa, NULL, NULL, MBEDTLS_RSA_PUBLIC,
                                 MBEDTLS_MD_SHA256, 32, hash, jwt->sig) != 0)
        return GW_JWT_BAD_SIGNATURE;
#endif
    const char *iss = jstr(jwt->payload, "iss");
    if (!iss || !issuer || strcmp(iss, issuer) != 0) return GW_JWT_ISSUER;
    const char *use = jstr(jwt->payload, "token_use");
    if (!use || strcmp(use, "id") != 0) return GW_JWT_TOKEN_USE;
    double exp, nbf, iat;
    if (!num_claim(jwt->payload, "exp", true, &exp)) return GW_JWT_EXPIRED;
    if (!num_claim(jwt->payload, "nbf", false, &nbf) || !num_claim(jwt->payload, "iat", false, &iat))
        return GW_JWT_MALFORMED;
    if (exp <= (double)now) return GW_JWT_EXPIRED;
    if (nbf > (double)(now + GW_JWT_SKEW_S) || iat > (double)(now + GW_JWT_SKEW_S)) return GW_JWT_NOT_YET;
    return GW_JWT_OK;
}

/* A number as API Gateway prints it: integers without a fraction. */
static void num_text(double d, char *buf, size_t cap)
{
    if (d == floor(d) && fabs(d) < 9.2e18) snprintf(buf, cap, "%lld", (long long)d);
    else snprintf(buf, cap, "%.17g", d);
}

/* The string form of one claim value: a new string (caller frees), NULL on OOM. */
static char *claim_text(const cJSON *v, bool date)
{
    char buf[64];
    if (cJSON_IsString(v)) return strdup(v->valuestring);
    if (cJSON_IsBool(v)) return strdup(cJSON_IsTrue(v) ? "true" : "false");
    if (cJSON_IsNull(v)) return strdup("null");
    if (cJSON_IsNumber(v)) {
        double d = v->valuedouble;
        if (date && isfinite(d) && d >= 0 && d < 253402300800.0) {   /* up to year 9999 */
            time_t t = (time_t)d;
            struct tm tm;
            if (gmtime_r(&t, &tm) && strftime(buf, sizeof buf, "%a %b %d %H:%M:%S UTC %Y", &tm) > 0)
                return strdup(buf);
        }
        num_text(d, buf, sizeof buf);
        return strdup(buf);
    }
    if (cJSON_IsArray(v)) {
        size_t cap = 1, n = 0;
        char *out = malloc(cap);
        if (!out) return NULL;
        out[0] = '\0';
        const cJSON *it;
        cJSON_ArrayForEach(it, v) {
            char *s = claim_text(it, false);
            if (!s) { free(out); return NULL; }
            size_t sl = strlen(s);
            char *grown = realloc(out, cap + sl + 1);
            if (!grown) { free(s); free(out); return NULL; }
            out = grown;
            if (n > 0) out[n++] = ',';
            memcpy(out + n, s, sl);
            n += sl;
            out[n] = '\0';
            cap += sl + 1;
            free(s);
        }
        return out;
    }
    return cJSON_PrintUnformatted(v);          /* an object */
}

cJSON *gw_jwt_claims(const gw_jwt *jwt)
{
    cJSON *out = cJSON_CreateObject();
    if (!out || !jwt || !jwt->payload) return out;
    const cJSON *c;
    cJSON_ArrayForEach(c, jwt->payload) {
        bool date = strcmp(c->string, "exp") == 0 || strcmp(c->string, "iat") == 0;
        char *s = claim_text(c, date);
        if (!s || !cJSON_AddStringToObject(out, c->string, s)) { free(s); cJSON_Delete(out); return NULL; }
        free(s);
    }
    return out;
}
