#ifndef DDB_SHA256_H
#define DDB_SHA256_H
/* SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104), written for the tests so that they can check
 * libcurl's SigV4 signatures independently of libcurl. Checked against published test vectors. */
#include <stddef.h>
#include <stdint.h>

void ddb_sha256(const void *data, size_t len, uint8_t out[32]);
void ddb_hmac_sha256(const void *key, size_t key_len, const void *data, size_t len, uint8_t out[32]);
/* Lower-case hex of n bytes into out (2n+1 bytes). */
void ddb_hex(const uint8_t *bytes, size_t n, char *out);

#endif
