#ifndef BO_BASE64_H
#define BO_BASE64_H
/* Standard base64 (RFC 4648 section 4: A-Z a-z 0-9 + /), as API Gateway's isBase64Encoded bodies use it. */
#include <stdbool.h>
#include <stddef.h>

/* Encodes data[0..len) with '=' padding. A new NUL-terminated string (caller frees), NULL when out of memory. */
char *bo_base64_encode(const void *data, size_t len);

/* Decodes text[0..len) strictly: padding optional but, when present, whole (the text a multiple of 4);
 * no white space; the unused bits of the last character zero (the canonical encoding). Returns a new
 * buffer (caller frees), NUL-terminated (NUL bytes inside come through), with *out_len its length
 * without that NUL; NULL when the text is not such base64, decodes to more than max bytes (then
 * *too_large is set, when too_large is not NULL) or memory ran out. */
char *bo_base64_decode(const char *text, size_t len, size_t max, size_t *out_len, bool *too_large);

#endif
