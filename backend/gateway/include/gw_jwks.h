#ifndef GW_JWKS_H
#define GW_JWKS_H
/* The user pool's signing keys for the local gateway's Cognito authorizer: fetched from the JWKS URL
 * (libcurl) on first use, cached, fetched again once when a token names a kid the cache does not hold (a
 * key rotation, a pool created after the gateway started), but at most every GW_JWKS_REFETCH_MS, so that
 * tokens with made-up kids cannot make the gateway hammer the pool. Thread-safe (one mutex; the network
 * fetch happens outside it).
 *
 * Ownership: gw_jwks_new copies issuer and url; the caller frees the cache with gw_jwks_free. */
#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>
#include "gw_jwt.h"

#define GW_JWKS_REFETCH_MS 5000
#define GW_JWKS_FETCH_TIMEOUT_MS 5000

typedef struct gw_jwks gw_jwks;

/* issuer: the exact iss to accept. url: the JWKS document; NULL -> issuer + "/.well-known/jwks.json".
 * NULL on OOM or when issuer is empty. */
gw_jwks *gw_jwks_new(const char *issuer, const char *url);
void gw_jwks_free(gw_jwks *j);          /* NULL is fine */
const char *gw_jwks_issuer(const gw_jwks *j);
const char *gw_jwks_url(const gw_jwks *j);

/* The whole authorizer check of an Authorization header value (token[0..len), no "Bearer " prefix, as
 * API Gateway expects it without scopes). GW_JWT_OK with *claims (a new object of strings, see
 * gw_jwt_claims; caller deletes) or another status with *claims NULL. j NULL (no issuer configured)
 * refuses every token (GW_JWT_ISSUER). When the keys cannot be fetched the token counts as
 * GW_JWT_UNKNOWN_KID (fail closed). */
gw_jwt_status gw_jwks_check(gw_jwks *j, const char *token, size_t len, cJSON **claims);

#endif
