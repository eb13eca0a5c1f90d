/* The local gateway's Cognito ID token checks (gw_jwt): tokens signed here with RSA keys generated at the
 * start (mbedTLS, as Cognito signs: RS256), checked against a JWKS document made of their public halves.
 * Valid, expired, wrong signature, other issuer, unknown kid, alg none/HS256, an access token, malformed
 * ones (2 parts, bad base64, bad JSON, huge), nbf/iat in the future, the JWKS parser, and the claims as
 * API Gateway hands them to the function (every value a string). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <mbedtls/ctr_drbg.h>
#include <mbedtls/entropy.h>
#include <mbedtls/rsa.h>
#include <mbedtls/sha256.h>

#include "bo_base64.h"
#include "gw_jwks.h"
#include "gw_jwt.h"

#define ISS "http://127.0.0.1:9229/local_test"
#define KID "CognitoLocal"

static mbedtls_rsa_context key, other_key;    /* the pool's key; a stranger's */
static mbedtls_entropy_context entropy;
static mbedtls_ctr_drbg_context drbg;
static char jwks_json[2048];
static gw_jwk_set *keys;
static int64_t now;

/* base64url without padding of len bytes into a new string. */
static char *b64url(const void *data, size_t len)
{
    char *s = bo_base64_encode(data, len);
    assert_non_null(s);
    for (char *p = s; *p; p++) {
        if (*p == '+') *p = '-';
        else if (*p == '/') *p = '_';
        else if (*p == '=') { *p = '\0'; break; }
    }
    return s;
}

/* header.payload.signature, signed with k (NULL: the signature part is sig_text). */
static char *make_token(const char *header, const char *payload, mbedtls_rsa_context *k, const char *sig_text)
{
    char *h = b64url(header, strlen(header)), *p = b64url(payload, strlen(payload));
    size_t n = strlen(h) + strlen(p) + 2;
    char *input = malloc(n);
    assert_non_null(input);
    snprintf(input, n, "%s.%s", h, p);
    char *sig;
    if (k) {
        unsigned char hash[32], raw[512];
        assert_int_equal(mbedtls_sha256_ret((const unsigned char *)input, strlen(input), hash, 0), 0);
        assert_int_equal(mbedtls_rsa_pkcs1_sign(k, mbedtls_ctr_drbg_random, &drbg, MBEDTLS_RSA_PRIVATE,
                                                MBEDTLS_MD_SHA256, 32, hash, raw), 0);
        sig = b64url(raw, mbedtls_rsa_get_len(k));
    } else {
        sig = strdup(sig_text);
    }
    size_t tl = strlen(input) + strlen(sig) + 2;
    char *tok = malloc(tl);
    assert_non_null(tok);
    snprintf(tok, tl, "%s.%s", input, sig);
    free(h);
    free(p);
    free(sig);
    free(input);
    return tok;
}

/* A payload: an ID token of ISS valid for an hour, with extra claims appended (",\"k\":v..." or ""). */
static char *payload(const char *iss, const char *use, int64_t exp, const char *extra)
{
    char *s = malloc(1024);
    assert_non_null(s);
    snprintf(s, 1024,
             "{\"sub\":\"5f0c\",\"cognito:groups\":[\"manager\",\"cashier\"],\"email\":\"ana@example.org\","
             "\"email_verified\":false,\"iss\":\"%s\",\"token_use\":\"%s\",\"auth_time\":%lld,\"iat\":%lld,"
             "\"exp\":%lld,\"aud\":\"client1\"%s}",
             iss, use, (long long)(now - 60), (long long)(now - 60), (long long)exp, extra);
    return s;
}

static const char *HDR = "{\"alg\":\"RS256\",\"kid\":\"" KID "\"}";

/* Parses and verifies: the status. */
static gw_jwt_status check(const char *tok)
{
    gw_jwt jwt;
    gw_jwt_status st = gw_jwt_parse(tok, strlen(tok), &jwt);
    if (st == GW_JWT_OK) st = gw_jwt_verify(&jwt, keys, ISS, now);
    gw_jwt_clear(&jwt);
    return st;
}

static gw_jwt_status check_payload(const char *header, const char *pl, mbedtls_rsa_context *k)
{
    char *tok = make_token(header, pl, k, NULL);
    gw_jwt_status st = check(tok);
    free(tok);
    return st;
}

static int setup(void **state)
{
    (void)state;
    now = (int64_t)time(NULL);
    mbedtls_entropy_init(&entropy);
    mbedtls_ctr_drbg_init(&drbg);
    if (mbedtls_ctr_drbg_seed(&drbg, mbedtls_entropy_func, &entropy, (const unsigned char *)"gw_jwt", 6) != 0) return -1;
    mbedtls_rsa_init(&key, MBEDTLS_RSA_PKCS_V15, 0);
    mbedtls_rsa_init(&other_key, MBEDTLS_RSA_PKCS_V15, 0);
    if (mbedtls_rsa_gen_key(&key, mbedtls_ctr_drbg_random, &drbg, 2048, 65537) != 0 ||
        mbedtls_rsa_gen_key(&other_key, mbedtls_ctr_drbg_random, &drbg, 2048, 65537) != 0)
        return -1;
    unsigned char n[256], e[3];
    if (mbedtls_rsa_export_raw(&key, n, sizeof n, NULL, 0, NULL, 0, NULL, 0, e, sizeof e) != 0) return -1;
    char *n64 = b64url(n, sizeof n), *e64 = b64url(e, sizeof e);
    /* as Cognito (and cognito-local) publish it, with a key of another type before it */
    snprintf(jwks_json, sizeof jwks_json,
             "{\"keys\":[{\"kty\":\"EC\",\"kid\":\"ec1\",\"crv\":\"P-256\",\"x\":\"AA\",\"y\":\"AA\"},"
             "{\"kty\":\"RSA\",\"e\":\"%s\",\"use\":\"sig\",\"kid\":\"" KID "\",\"alg\":\"RS256\",\"n\":\"%s\"}]}",
             e64, n64);
    free(n64);
    free(e64);
    char err[128];
    keys = gw_jwk_set_parse(jwks_json, strlen(jwks_json), err, sizeof err);
    return keys ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    gw_jwk_set_free(keys);
    mbedtls_rsa_free(&key);
    mbedtls_rsa_free(&other_key);
    mbedtls_ctr_drbg_free(&drbg);
    mbedtls_entropy_free(&entropy);
    return 0;
}

static void valid_id_token(void **state)
{
    (void)state;
    char *pl = payload(ISS, "id", now + 3600, "");
    assert_int_equal(check_payload(HDR, pl, &key), GW_JWT_OK);
    free(pl);
    assert_int_equal(gw_jwk_set_count(keys), 1);     /* the EC key is skipped */
    assert_true(gw_jwk_set_has(keys, KID));
    assert_false(gw_jwk_set_has(keys, "ec1"));
}

static void expired(void **state)
{
    (void)state;
    char *pl = payload(ISS, "id", now - 1, "");
    assert_int_equal(check_payload(HDR, pl, &key), GW_JWT_EXPIRED);
    free(pl);
    pl = payload(ISS, "id", now, "");               /* exp must be after now */
    assert_int_equal(check_payload(HDR, pl, &key), GW_JWT_EXPIRED);
    free(pl);
    /* no exp at all, or exp not a number */
    assert_int_equal(check_payload(HDR, "{\"iss\":\"" ISS "\",\"token_use\":\"id\"}", &key), GW_JWT_EXPIRED);
    assert_int_equal(check_payload(HDR, "{\"iss\":\"" ISS "\",\"token_use\":\"id\",\"exp\":\"9999999999\"}", &key),
                     GW_JWT_EXPIRED);
}

static void not_yet_valid(void **state)
{
    (void)state;
    char extra[64];
    snprintf(extra, sizeof extra, ",\"nbf\":%lld", (long long)(now + GW_JWT_SKEW_S + 60));
    char *pl = payload(ISS, "id", now + 7200, extra);
    assert_int_equal(check_payload(HDR, pl, &key), GW_JWT_NOT_YET);
    free(pl);
    /* iat far in the future (the payload's iat is replaced: cJSON keeps the first of duplicate keys, so build anew) */
    char buf[512];
    snprintf(buf, sizeof buf, "{\"iss\":\"" ISS "\",\"token_use\":\"id\",\"iat\":%lld,\"exp\":%lld}",
             (long long)(now + 3600), (long long)(now + 7200));
    assert_int_equal(check_payload(HDR, buf, &key), GW_JWT_NOT_YET);
    snprintf(buf, sizeof buf, "{\"iss\":\"" ISS "\",\"token_use\":\"id\",\"iat\":%lld,\"exp\":%lld}",
             (long long)(now + 10), (long long)(now + 7200));    /* a little clock skew is fine */
    assert_int_equal(check_payload(HDR, buf, &key), GW_JWT_OK);
}

static void wrong_signature(void **state)
{
    (void)state;
    char *pl = payload(ISS, "id", now + 3600, "");
    /* signed by another key under the pool's kid */
    assert_int_equal(check_payload(HDR, pl, &other_key), GW_JWT_BAD_SIGNATURE);
    /* a valid token whose payload was changed afterwards (groups raised to manager) */
    char *tok = make_token(HDR, pl, &key, NULL);
    char *forged_pl = payload(ISS, "id", now + 3600, ",\"custom:x\":\"y\"");
    char *forged = make_token(HDR, forged_pl, NULL, strrchr(tok, '.') + 1);
    assert_int_equal(check(forged), GW_JWT_BAD_SIGNATURE);
    /* a signature of the wrong length */
    char *shortsig = make_token(HDR, pl, NULL, "AAAA");
    assert_int_equal(check(shortsig), GW_JWT_BAD_SIGNATURE);
    free(tok);
    free(forged_pl);
    free(forged);
    free(shortsig);
    free(pl);
}

static void other_issuer(void **state)
{
    (void)state;
    char *pl = payload("http://127.0.0.1:9229/local_other", "id", now + 3600, "");
    assert_int_equal(check_payload(HDR, pl, &key), GW_JWT_ISSUER);
    free(pl);
    pl = payload(ISS "/", "id", now + 3600, "");    /* exactly, not a prefix */
    assert_int_equal(check_payload(HDR, pl, &key), GW_JWT_ISSUER);
    free(pl);
    assert_int_equal(check_payload(HDR, "{\"token_use\":\"id\",\"exp\":99999999999}", &key), GW_JWT_ISSUER);
    /* the cache refuses everything when no issuer is configured */
    cJSON *claims = (cJSON *)1;
    char *good = payload(ISS, "id", now + 3600, "");
    char *tok = make_token(HDR, good, &key, NULL);
    assert_int_equal(gw_jwks_check(NULL, tok, strlen(tok), &claims), GW_JWT_ISSUER);
    assert_null(claims);
    assert_null(gw_jwks_new("", NULL));
    free(tok);
    free(good);
}

static void unknown_kid(void **state)
{
    (void)state;
    char *pl = payload(ISS, "id", now + 3600, "");
    assert_int_equal(check_payload("{\"alg\":\"RS256\",\"kid\":\"rotated\"}", pl, &key), GW_JWT_UNKNOWN_KID);
    assert_int_equal(check_payload("{\"alg\":\"RS256\"}", pl, &key), GW_JWT_UNKNOWN_KID);
    assert_int_equal(check_payload("{\"alg\":\"RS256\",\"kid\":\"ec1\"}", pl, &key), GW_JWT_UNKNOWN_KID);
    free(pl);
}

static void alg_none_and_hs256_refused(void **state)
{
    (void)state;
    char *pl = payload(ISS, "id", now + 3600, "");
    char *none = make_token("{\"alg\":\"none\",\"kid\":\"" KID "\"}", pl, NULL, "AAAA");
    assert_int_equal(check(none), GW_JWT_ALG);
    /* HS256 "signed" with the public key as the HMAC secret: the classic confusion */
    char *hs = make_token("{\"alg\":\"HS256\",\"kid\":\"" KID "\"}", pl, NULL, "c2lnbmF0dXJl");
    assert_int_equal(check(hs), GW_JWT_ALG);
    assert_int_equal(check_payload("{\"alg\":\"rs256\",\"kid\":\"" KID "\"}", pl, &key), GW_JWT_ALG);
    assert_int_equal(check_payload("{\"alg\":\"RS256\",\"kid\":\"" KID "\",\"crit\":[\"b64\"]}", pl, &key), GW_JWT_ALG);
    assert_int_equal(check_payload("{\"kid\":\"" KID "\"}", pl, &key), GW_JWT_MALFORMED);   /* no alg */
    free(none);
    free(hs);
    free(pl);
}

static void access_token_refused(void **state)
{
    (void)state;
    char *pl = payload(ISS, "access", now + 3600, "");
    assert_int_equal(check_payload(HDR, pl, &key), GW_JWT_TOKEN_USE);
    free(pl);
    assert_int_equal(check_payload(HDR, "{\"iss\":\"" ISS "\",\"exp\":99999999999}", &key), GW_JWT_TOKEN_USE);
}

static void malformed(void **state)
{
    (void)state;
    char *pl = payload(ISS, "id", now + 3600, "");
    char *tok = make_token(HDR, pl, &key, NULL);
    gw_jwt jwt;
    /* two parts */
    *strrchr(tok, '.') = '\0';
    assert_int_equal(gw_jwt_parse(tok, strlen(tok), &jwt), GW_JWT_MALFORMED);
    assert_null(jwt.payload);
    free(tok);
    static const char *const bad[] = {
        "", ".", "..", "a.b", "a.b.c.d", "eyJhbGciOiJSUzI1NiJ9..c2ln",          /* empty payload */
        "eyJhbGciOiJSUzI1NiJ9.e30.",                                           /* empty signature */
        "eyJhbGciOiJSUzI1NiJ9.e30.c2ln=",                                      /* padding */
        "eyJhbGciOiJSUzI1NiJ9.e3*.c2ln",                                       /* not base64url */
        "eyJhbGciOiJSUzI1NiJ9.e30+.c2ln",                                      /* standard alphabet */
        "eyJhbGciOiJSUzI1NiJ9.e.c2ln",                                         /* 1 char: no byte */
        "eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.c2ln",                               /* "not json" */
        "eyJhbGciOiJSUzI1NiJ9.WzFd.c2ln",                                      /* [1]: not an object */
        "bm9wZQ.e30.c2ln",                                                     /* header not JSON */
        "eyJhbGciOiJSUzI1NiJ9.eyJhIjoiAA.c2ln",                                /* a NUL inside */
        "Bearer eyJhbGciOiJSUzI1NiJ9.e30.c2ln",                                /* a prefix */
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        gw_jwt_status st = gw_jwt_parse(bad[i], strlen(bad[i]), &jwt);
        if (st != GW_JWT_MALFORMED) fail_msg("%s: status %s", bad[i], gw_jwt_status_name(st));
        assert_null(jwt.header);
    }
    /* huge: over GW_JWT_MAX_LEN, whatever it holds */
    size_t big = GW_JWT_MAX_LEN + 1;
    char *huge = malloc(big + 1);
    assert_non_null(huge);
    memset(huge, 'A', big);
    huge[10] = '.';
    huge[20] = '.';
    huge[big] = '\0';
    assert_int_equal(gw_jwt_parse(huge, big, &jwt), GW_JWT_MALFORMED);
    free(huge);
    /* a claim of the wrong type where a number is needed */
    assert_int_equal(check_payload(HDR, "{\"iss\":\"" ISS "\",\"token_use\":\"id\",\"exp\":99999999999,\"nbf\":\"x\"}", &key),
                     GW_JWT_MALFORMED);
    free(pl);
    /* the token is read within its length only (no NUL needed after it) */
    pl = payload(ISS, "id", now + 3600, "");
    tok = make_token(HDR, pl, &key, NULL);
    size_t tl = strlen(tok);
    char *padded = malloc(tl + 8);
    assert_non_null(padded);
    memcpy(padded, tok, tl);
    memcpy(padded + tl, "garbage", 8);
    assert_int_equal(gw_jwt_parse(padded, tl, &jwt), GW_JWT_OK);
    assert_int_equal(gw_jwt_verify(&jwt, keys, ISS, now), GW_JWT_OK);
    gw_jwt_clear(&jwt);
    free(padded);
    free(tok);
    free(pl);
}

static void claims_as_strings(void **state)
{
    (void)state;
    char *pl = payload(ISS, "id", 1796677859, ",\"custom:n\":12.5,\"custom:o\":{\"a\":[1,true]},\"custom:z\":null");
    char *tok = make_token(HDR, pl, &key, NULL);
    gw_jwt jwt;
    assert_int_equal(gw_jwt_parse(tok, strlen(tok), &jwt), GW_JWT_OK);
    cJSON *c = gw_jwt_claims(&jwt);
    assert_non_null(c);
    const cJSON *it;
    cJSON_ArrayForEach(it, c) assert_true(cJSON_IsString(it));   /* every value a string */
    assert_string_equal(cJSON_GetObjectItem(c, "cognito:groups")->valuestring, "manager,cashier");
    assert_string_equal(cJSON_GetObjectItem(c, "sub")->valuestring, "5f0c");
    assert_string_equal(cJSON_GetObjectItem(c, "email_verified")->valuestring, "false");
    assert_string_equal(cJSON_GetObjectItem(c, "exp")->valuestring, "Mon Dec 07 21:10:59 UTC 2026");
    char at[32];
    snprintf(at, sizeof at, "%lld", (long long)(now - 60));
    assert_string_equal(cJSON_GetObjectItem(c, "auth_time")->valuestring, at);   /* numbers in decimal */
    assert_string_equal(cJSON_GetObjectItem(c, "custom:n")->valuestring, "12.5");
    assert_string_equal(cJSON_GetObjectItem(c, "custom:o")->valuestring, "{\"a\":[1,true]}");
    assert_string_equal(cJSON_GetObjectItem(c, "custom:z")->valuestring, "null");
    assert_string_equal(cJSON_GetObjectItem(c, "token_use")->valuestring, "id");
    /* iat as a date too, in UTC */
    time_t iat = (time_t)(now - 60);
    struct tm tm;
    char want[64];
    gmtime_r(&iat, &tm);
    strftime(want, sizeof want, "%a %b %d %H:%M:%S UTC %Y", &tm);
    assert_string_equal(cJSON_GetObjectItem(c, "iat")->valuestring, want);
    cJSON_Delete(c);
    gw_jwt_clear(&jwt);
    free(tok);
    free(pl);
}

static void jwks_documents(void **state)
{
    (void)state;
    char err[128];
    static const char *const bad[] = {
        "", "[]", "{}", "{\"keys\":{}}", "{\"keys\":[]}",
        "{\"keys\":[{\"kty\":\"EC\",\"kid\":\"a\"}]}",                                  /* no RSA key */
        "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"a\",\"n\":\"AQAB\",\"e\":\"AQAB\"}]}",     /* 3-byte modulus */
        "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"a\",\"e\":\"AQAB\"}]}",                   /* no n */
        "{\"keys\":[{\"kty\":\"RSA\",\"n\":\"AQAB\",\"e\":\"AQAB\"}]}",                   /* no kid */
        "{\"keys\":[{\"kty\":\"RSA\",\"kid\":\"a\",\"n\":\"***\",\"e\":\"AQAB\"}]}",      /* not base64url */
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        gw_jwk_set *s = gw_jwk_set_parse(bad[i], strlen(bad[i]), err, sizeof err);
        if (s) fail_msg("accepted: %s", bad[i]);
        assert_true(err[0] != '\0');
    }
    /* a key meant for encryption, or for another algorithm, is not a signing key */
    char doc[2048];
    snprintf(doc, sizeof doc, "%s", jwks_json);
    char *use = strstr(doc, "\"use\":\"sig\"");
    assert_non_null(use);
    memcpy(use, "\"use\":\"enc\"", 11);
    assert_null(gw_jwk_set_parse(doc, strlen(doc), err, sizeof err));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(valid_id_token),
        cmocka_unit_test(expired),
        cmocka_unit_test(not_yet_valid),
        cmocka_unit_test(wrong_signature),
        cmocka_unit_test(other_issuer),
        cmocka_unit_test(unknown_kid),
        cmocka_unit_test(alg_none_and_hs256_refused),
        cmocka_unit_test(access_token_refused),
        cmocka_unit_test(malformed),
        cmocka_unit_test(claims_as_strings),
        cmocka_unit_test(jwks_documents),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
