/* Base64; see bo_base64.h. */
#include "bo_base64.h"

#include <stdint.h>
#include <stdlib.h>

static const char ALPHABET[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *bo_base64_encode(const void *data, size_t len)
{
    const unsigned char *d = data;
    if (len > (SIZE_MAX - 1) / 4 * 3 - 2)
        return NULL;
    char *out = malloc((len + 2) / 3 * 4 + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < len; i += 3) {
        uint32_t v = (uint32_t)d[i] << 16;
        if (i + 1 < len)
            v |= (uint32_t)d[i + 1] << 8;
        if (i + 2 < len)
            v |= d[i + 2];
        out[o++] = ALPHABET[(v >> 18) & 63];
        out[o++] = ALPHABET[(v >> 12) & 63];
        out[o++] = i + 1 < len ? ALPHABET[(v >> 6) & 63] : '=';
        out[o++] = i + 2 < len ? ALPHABET[v & 63] : '=';
    }
    out[o] = '\0';
    return out;
}

static int value_of(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+')
        return 62;
    if (c == '/')
        return 63;
    return -1;
}

char *bo_base64_decode(const char *text, size_t len, size_t max, size_t *out_len, bool *too_large)
{
    if (too_large)
        *too_large = false;
    if (!out_len || (!text && len > 0))
        return NULL;
    size_t pad = 0;
    while (pad < 2 && pad < len && text[len - 1 - pad] == '=')
        pad++;
    size_t n = len - pad; /* data characters */
    if (n % 4 == 1 || (pad > 0 && len % 4 != 0))
        return NULL;
    size_t decoded = n / 4 * 3 + (n % 4 ? n % 4 - 1 : 0);
    if (decoded > max) {
        if (too_large)
            *too_large = true;
        return NULL;
    }
    char *out = malloc(decoded + 1);
    if (!out)
        return NULL;
    size_t w = 0;
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
        int v = value_of((unsigned char)text[i]);
        if (v < 0) {
            free(out);
            return NULL;
        }
        acc = (acc << 6) | (uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[w++] = (char)((acc >> bits) & 0xFF);
        }
    }
    /* the leftover bits of the last character must be zero (canonical encoding) */
    if (bits > 0 && (acc & ((1u << bits) - 1)) != 0) {
        free(out);
        return NULL;
    }
    out[w] = '\0';
    *out_len = w;
    return out;
}
