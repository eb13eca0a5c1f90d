/* Ticket codes: Crockford base32, 100 bits from getrandom (see bo_code.h). */
#include "bo_code.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>

const char bo_code_alphabet[33] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

void bo_code_from_bytes(const uint8_t bytes[13], char out[BO_CODE_BUF])
{
    size_t o = 0;
    for (int i = 0; i < BO_CODE_SYMBOLS; i++) {
        if (i > 0 && i % 5 == 0)
            out[o++] = '-';
        unsigned v = 0;
        for (int b = 0; b < 5; b++) {
            int bit = i * 5 + b; /* big-endian bit index into bytes */
            v = (v << 1) | ((bytes[bit / 8] >> (7 - bit % 8)) & 1u);
        }
        out[o++] = bo_code_alphabet[v];
    }
    out[o] = '\0';
}

int bo_code_new(char out[BO_CODE_BUF])
{
    uint8_t bytes[13];
    size_t got = 0;
    while (got < sizeof bytes) {
        ssize_t n = getrandom(bytes + got, sizeof bytes - got, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            out[0] = '\0';
            return -1;
        }
        got += (size_t)n;
    }
    bo_code_from_bytes(bytes, out);
    memset(bytes, 0, sizeof bytes);
    return 0;
}

/* The symbol of character ch (look-alikes folded), or -1. */
static int symbol_of(char ch)
{
    if (ch >= 'a' && ch <= 'z')
        ch = (char)(ch - 'a' + 'A');
    if (ch == 'O')
        ch = '0';
    else if (ch == 'I' || ch == 'L')
        ch = '1';
    const char *p = ch ? strchr(bo_code_alphabet, ch) : NULL;
    return p ? (int)(p - bo_code_alphabet) : -1;
}

int bo_code_parse(const char *text, char out[BO_CODE_BUF])
{
    out[0] = '\0';
    if (!text)
        return -1;
    char sym[BO_CODE_SYMBOLS];
    size_t n = 0;
    for (const char *p = text; *p; p++) {
        if (*p == '-' || *p == ' ')
            continue;
        int v = symbol_of(*p);
        if (v < 0 || n == BO_CODE_SYMBOLS)
            return -1;
        sym[n++] = bo_code_alphabet[v];
    }
    if (n != BO_CODE_SYMBOLS)
        return -1;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && i % 5 == 0)
            out[o++] = '-';
        out[o++] = sym[i];
    }
    out[o] = '\0';
    return 0;
}

bool bo_code_reads_as_name(const char *text)
{
    char canon[BO_CODE_BUF];
    if (bo_code_parse(text, canon) != 0)
        return false;
    for (const char *p = text; *p; p++)
        if (*p == '-' || (*p >= '0' && *p <= '9'))
            return false;
    return true;
}

void bo_code_redact(const char *code, char out[BO_CODE_REDACT_BUF])
{
    out[0] = '\0';
    if (!code)
        return;
    size_t n = strnlen(code, 4);
    memcpy(out, code, n);
    memcpy(out + n, "\xe2\x80\xa6", 4); /* "…" and the NUL */
}
