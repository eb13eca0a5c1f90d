#ifndef GW_JWT_H
#define GW_JWT_H
/* Cognito ID tokens as API Gateway's COGNITO_USER_POOLS authorizer checks them: a JWS in compact form
 * (three base64url parts), header alg RS256 with a kid of the pool's JWKS, the RSA PKCS#1 v1.5 SHA-256
 * signature valid, iss the pool's issuer exactly, token_use "id", exp in the future (nbf/iat not in the
 * future). Pure functions; the JWKS cache that fetches the keys is gw_jwks.h.
 *
 * Ownership: gw_jwt_parse fills a gw_jwt the caller releases with gw_jwt_clear; gw_jwk_set_parse returns a
 * key set the caller frees with gw_jwk_set_free (immutable once built: any number of threads may verify
 * with it at once); gw_jwt_claims returns a new cJSON object the caller deletes. Nothing here logs: a
 * token is a bearer secret. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>

/* The longest token accepted (API Gateway's whole header block is 10,240 bytes). */
#define GW_JWT_MAX_LEN 8192
/* How far in the future iat / nbf may be (clock skew) before the token is refused. */
#define GW_JWT_SKEW_S 300

typedef enum gw_jwt_status {
    GW_JWT_OK = 0,
    GW_JWT_MISSING,            /* no Authorization header, or more than one (gw_http; the parser never says it) */
    GW_JWT_MALFORMED,          /* not 3 base64url parts, not JSON objects, too long, claims of the wrong type */
    GW_JWT_ALG,                /* header alg is not RS256 (none, HS256, ...), or crit present */
    GW_JWT_UNKNOWN_KID,        /* kid missing or not in the key set */
    GW_JWT_BAD_SIGNATURE,
    GW_JWT_ISSUER,             /* iss missing or not the configured issuer */
    GW_JWT_TOKEN_USE,          /* token_use is not "id" (an access token) */
    GW_JWT_EXPIRED,            /* exp missing or not after now */
    GW_JWT_NOT_YET,            /* nbf or iat more than GW_JWT_SKEW_S in the future */
    GW_JWT_NOMEM
} gw_jwt_status;

/* A short name for logs ("expired", "bad_signature", ...). */
const char *gw_jwt_status_name(gw_jwt_status st);

typedef struct gw_jwt {
    cJSON *header;             /* the decoded header object (owned) */
    cJSON *payload;            /* the decoded claims object (owned) */
    const char *kid;           /* header's kid, points into header; NULL when absent */
    const char *signing_input; /* borrowed from the token given to gw_jwt_parse: "<header>.<payload>" */
    size_t signing_len;
    unsigned char *sig;        /* decoded signature (owned) */
    size_t sig_len;
} gw_jwt;

/* Splits and decodes token[0..len) (not NUL-terminated necessarily). Checks the shape only: 3 non-empty
 * base64url parts without padding, header and payload JSON objects, header alg RS256 (GW_JWT_ALG
 * otherwise). The token must outlive *out (signing_input points into it). On any status but GW_JWT_OK *out
 * is cleared. */
gw_jwt_status gw_jwt_parse(const char *token, size_t len, gw_jwt *out);
void gw_jwt_clear(gw_jwt *jwt);          /* NULL and a zeroed gw_jwt are fine */

typedef struct gw_jwk_set gw_jwk_set;

/* A JWKS document ({"keys":[{"kty":"RSA","kid","n","e",...}]}) -> its RSA signing keys (keys of another
 * kty or with "use" other than "sig" are skipped). NULL when the text is no JWKS or holds no usable key,
 * with err filled. */
gw_jwk_set *gw_jwk_set_parse(const char *json, size_t len, char *err, size_t errlen);
void gw_jwk_set_free(gw_jwk_set *set);
size_t gw_jwk_set_count(const gw_jwk_set *set);
bool gw_jwk_set_has(const gw_jwk_set *set, const char *kid);

/* Every check after parsing: the kid in set, the signature, iss == issuer, token_use "id", exp > now,
 * nbf/iat <= now + GW_JWT_SKEW_S. now in seconds since the epoch. */
gw_jwt_status gw_jwt_verify(const gw_jwt *jwt, const gw_jwk_set *set, const char *issuer, int64_t now);

/* The claims as API Gateway hands them to the function in requestContext.authorizer.claims: every value a
 * string: strings as they are, numbers in decimal, booleans "true"/"false", arrays comma-joined, objects
 * as compact JSON, null "null"; exp and iat as a date "Mon Dec 07 20:50:59 UTC 2026". NULL on OOM. */
cJSON *gw_jwt_claims(const gw_jwt *jwt);

#endif
