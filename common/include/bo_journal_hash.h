#ifndef BO_JOURNAL_HASH_H
#define BO_JOURNAL_HASH_H
/* The journal's hash chain (issue 18, docs/openapi.yaml "Z hash"), shared by the backend (which stores the
 * chain on the shift and the Z report's hash) and the client (`boxoffice shift verify`, which recomputes it):
 *
 *   h0   = 64 zeros (hex text)
 *   h_i  = lowercase hex SHA-256 of (h_{i-1} + "\n" + line_i)
 *   line = seq|id|at|type|operator.sub|terminal|shiftId|concertId|orderId|currency|amount|count
 *          (absent or null fields empty; amount as its decimal text "12.50"; seq and count as whole numbers)
 *
 *   char h[BO_JHASH_HEX];
 *   bo_jhash_init(h);
 *   for (each entry in seq order) if (bo_jhash_step(h, &fields, h) != 0) ...;
 *
 * Pure: no allocation beyond a fixed buffer, no I/O. SHA-256 is mbedTLS's (libmbedcrypto). */
#include <stdbool.h>
#include <stddef.h>

#define BO_JHASH_HEX 65           /* 64 hex digits + NUL */
#define BO_JLINE_MAX 2048         /* bytes of a canonical line, NUL included */

typedef struct bo_jfields {
    long long seq;                /* 1.. (0: absent) */
    const char *id, *at, *type;   /* NULL counts as absent (empty) */
    const char *operator_sub, *terminal, *shift_id, *concert_id, *order_id, *currency;
    const char *amount;           /* "12.50" or NULL */
    bool has_count;
    long long count;
} bo_jfields;

/* The canonical line of f into out (size bytes). 0, or -1 when it does not fit (out is then ""). */
int bo_jline(const bo_jfields *f, char *out, size_t size);
/* h0: 64 '0' characters. */
void bo_jhash_init(char out[BO_JHASH_HEX]);
/* The lowercase hex SHA-256 of data[0..len) into out. 0, or -1 when the hash failed. */
int bo_sha256_hex(const void *data, size_t len, char out[BO_JHASH_HEX]);
/* out = h_i from prev = h_{i-1} and the entry's fields (out may be prev). 0, or -1 (line too long, hash failed). */
int bo_jhash_step(const char prev[BO_JHASH_HEX], const bo_jfields *f, char out[BO_JHASH_HEX]);

#endif
