/* libFuzzer target: the local gateway's Cognito token checks (backend/gateway/src/gw_jwt.c), what every
 * request to an operator route reaches before any worker runs. The first byte picks what the rest is:
 *   0  an Authorization value: gw_jwt_parse, gw_jwt_verify against cognito-local's public key (the seeds hold
 *      real tokens of that key, valid at the fixed time NOW), gw_jwt_claims
 *   1  "<header JSON>\n<payload JSON>": encoded as a token (with a made-up signature) and checked the same
 *      way, so that the fuzzer reaches the claims and their stringification without writing base64
 *   2  a JWKS document: gw_jwk_set_parse
 * Properties: no crash, leak or undefined behaviour; a parsed token's signing input is its first two parts;
 * claims are an object of strings only; a token that verifies was signed by the pool's key (here: only
 * the seeds) and says iss ISS, token_use id. */
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bo_base64.h"
#include "gw_jwt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                        \
    do {                                                                                                   \
        if (!(cond)) {                                                                                     \
            fprintf(stderr, "fuzz_gw_jwt: property failed: %s (line %d)\n", #cond, __LINE__);                \
            abort();                                                                                       \
        }                                                                                                  \
    } while (0)

#define ISS "http://127.0.0.1:18113/local_7iWzaYVn"
#define NOW 1796677200
/* cognito-local 5.3.0's signing key (lib/keys/cognitoLocal.private.json), public half, as its JWKS has it */
static const char JWKS[] =
    "{\"keys\":[{\"kty\":\"RSA\",\"e\":\"AQAB\",\"use\":\"sig\",\"kid\":\"CognitoLocal\",\"alg\":\"RS256\",\"n\":"
    "\"2uLO7yh1_6Icfd89V3nNTc_qhfpDN7vEmOYlmJQlc9_RmOns26lg88fXXFntZESwHOm7_homO2Ih6NOtu4P5eskGs8d8VQMOQfF4YrP-"
    "pawVz-gh1S7eSvzZRDHBT4ItUuoiVP1B9HN_uScKxIqjmitpPqEQB_o2NJv8npCfqUAU-4KmxquGtjdmfctswSZGdz59M3CAYKDfuvLH9_"
    "vV6TRGgbUaUAXWC2WJrbbEXzK3XUDBrmF3Xo-yw8f3SgD3JOPl3HaaWMKL1zGVAsge7gQaGiJBzBurg5vwN61uDGGz0QZC1JqcUTl3cZnrx_"
    "L8isIR7074SJEuljIZRnCcjQ\"}]}";

static gw_jwk_set *keys;

static void check_token(const char *tok, size_t len)
{
    gw_jwt jwt;
    gw_jwt_status st = gw_jwt_parse(tok, len, &jwt);
    if (st != GW_JWT_OK) {
        CHECK(jwt.header == NULL && jwt.payload == NULL && jwt.sig == NULL);
        return;
    }
    CHECK(jwt.signing_input == tok && jwt.signing_len < len && tok[jwt.signing_len] == '.');
    CHECK(cJSON_IsObject(jwt.header) && cJSON_IsObject(jwt.payload) && jwt.sig_len > 0);
    st = gw_jwt_verify(&jwt, keys, ISS, NOW);
    if (st == GW_JWT_OK) {
        const cJSON *iss = cJSON_GetObjectItemCaseSensitive(jwt.payload, "iss");
        const cJSON *use = cJSON_GetObjectItemCaseSensitive(jwt.payload, "token_use");
        CHECK(cJSON_IsString(iss) && strcmp(iss->valuestring, ISS) == 0);
        CHECK(cJSON_IsString(use) && strcmp(use->valuestring, "id") == 0);
    }
    cJSON *claims = gw_jwt_claims(&jwt);
    if (claims) { /* NULL only on OOM */
        const cJSON *c;
        CHECK(cJSON_GetArraySize(claims) == cJSON_GetArraySize(jwt.payload));
        cJSON_ArrayForEach(c, claims) CHECK(cJSON_IsString(c) && c->valuestring != NULL);
        cJSON_Delete(claims);
    }
    gw_jwt_clear(&jwt);
}

/* base64url without padding of len bytes appended at *w. */
static void put_b64url(const void *data, size_t len, char **w)
{
    char *s = bo_base64_encode(data, len);
    if (!s) return;
    for (char *p = s; *p && *p != '='; p++) *(*w)++ = *p == '+' ? '-' : *p == '/' ? '_' : *p;
    free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!keys) {
        char err[128];
        keys = gw_jwk_set_parse(JWKS, strlen(JWKS), err, sizeof err);
        CHECK(keys != NULL);
    }
    if (size < 1) return 0;
    const char *in = (const char *)data + 1;
    size_t n = size - 1;
    switch (data[0] % 3) {
    case 0:
        check_token(in, n);
        break;
    case 1: {
        const char *nl = memchr(in, '\n', n);
        if (!nl) break;
        char *tok = malloc(n * 2 + 16), *w = tok;
        if (!tok) break;
        put_b64url(in, (size_t)(nl - in), &w);
        *w++ = '.';
        put_b64url(nl + 1, n - (size_t)(nl + 1 - in), &w);
        memcpy(w, ".c2lnbmF0dXJl", 13);   /* "signature" */
        w += 13;
        check_token(tok, (size_t)(w - tok));
        free(tok);
        break;
    }
    default: {
        char err[128];
        gw_jwk_set *s = gw_jwk_set_parse(in, n, err, sizeof err);
        if (s) {
            CHECK(gw_jwk_set_count(s) > 0);
            gw_jwk_set_free(s);
        } else {
            CHECK(err[0] != '\0');
        }
        break;
    }
    }
    return 0;
}
