/* The journal's canonical line and hash chain (see bo_journal_hash.h). */
#include "bo_journal_hash.h"

#include <mbedtls/sha256.h>
#include <mbedtls/version.h>

#include <stdio.h>
#include <string.h>

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

int bo_jline(const bo_jfields *f, char *out, size_t size)
{
    char seq[24] = "", count[24] = "";
    if (f->seq > 0)
        snprintf(seq, sizeof seq, "%lld", f->seq);
    if (f->has_count)
        snprintf(count, sizeof count, "%lld", f->count);
    int n = snprintf(out, size, "%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s|%s", seq, or_empty(f->id), or_empty(f->at),
                     or_empty(f->type), or_empty(f->operator_sub), or_empty(f->terminal), or_empty(f->shift_id),
                     or_empty(f->concert_id), or_empty(f->order_id), or_empty(f->currency), or_empty(f->amount),
                     count);
    if (n < 0 || (size_t)n >= size) {
        if (size)
            out[0] = '\0';
        return -1;
    }
    return 0;
}

void bo_jhash_init(char out[BO_JHASH_HEX])
{
    memset(out, '0', BO_JHASH_HEX - 1);
    out[BO_JHASH_HEX - 1] = '\0';
}

/* mbedTLS 2.x names the int-returning calls *_ret; 3.x dropped the suffix. */
#if MBEDTLS_VERSION_MAJOR >= 3
#define SHA_STARTS mbedtls_sha256_starts
#define SHA_UPDATE mbedtls_sha256_update
#define SHA_FINISH mbedtls_sha256_finish
#else
#define SHA_STARTS mbedtls_sha256_starts_ret
#define SHA_UPDATE mbedtls_sha256_update_ret
#define SHA_FINISH mbedtls_sha256_finish_ret
#endif

static int sha256_parts(const void *a, size_t alen, const void *b, size_t blen, char out[BO_JHASH_HEX])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char d[32];
    mbedtls_sha256_context c;
    mbedtls_sha256_init(&c);
    int rc = SHA_STARTS(&c, 0);
    if (rc == 0)
        rc = SHA_UPDATE(&c, (const unsigned char *)a, alen);
    if (rc == 0 && blen)
        rc = SHA_UPDATE(&c, (const unsigned char *)b, blen);
    if (rc == 0)
        rc = SHA_FINISH(&c, d);
    mbedtls_sha256_free(&c);
    if (rc != 0)
        return -1;
    for (int i = 0; i < 32; i++) {
        out[2 * i] = hex[d[i] >> 4];
        out[2 * i + 1] = hex[d[i] & 15];
    }
    out[64] = '\0';
    return 0;
}

int bo_sha256_hex(const void *data, size_t len, char out[BO_JHASH_HEX])
{
    return sha256_parts(data, len, NULL, 0, out);
}

int bo_jhash_step(const char prev[BO_JHASH_HEX], const bo_jfields *f, char out[BO_JHASH_HEX])
{
    char buf[BO_JHASH_HEX + BO_JLINE_MAX];
    size_t p = strnlen(prev, BO_JHASH_HEX - 1);
    memcpy(buf, prev, p);
    buf[p] = '\n';
    if (bo_jline(f, buf + p + 1, sizeof buf - p - 1) != 0)
        return -1;
    return sha256_parts(buf, strlen(buf + p + 1) + p + 1, NULL, 0, out);
}
