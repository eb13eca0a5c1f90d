/* Search-key folding (see bo_fold.h). One pass that measures, one that writes. */
#include "bo_fold.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum bo_fold_kind { BO_FOLD_MAP, BO_FOLD_SEP, BO_FOLD_MARK, BO_FOLD_CTRL };

struct bo_fold_row {
    uint32_t cp;
    unsigned char kind;      /* enum bo_fold_kind */
    const char *to;          /* BO_FOLD_MAP: the folded letters (UTF-8) */
};

#include "bo_fold_table.h"

static const struct bo_fold_row *lookup(uint32_t cp)
{
    size_t lo = 0, hi = BO_FOLD_TABLE_N;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (bo_fold_table[mid].cp == cp)
            return &bo_fold_table[mid];
        if (bo_fold_table[mid].cp < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* Decodes one well-formed UTF-8 sequence at s: its length (1..4), or 0 when s[0] does not start one. */
static size_t decode(const unsigned char *s, uint32_t *cp)
{
    unsigned char c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t n;
    uint32_t v, min;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2, v = c & 0x1F, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3, v = c & 0x0F, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4, v = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return n;
}

typedef struct out {
    char *buf;               /* NULL while measuring */
    size_t len;
} out;

static void put(out *o, const char *p, size_t n)
{
    if (o->buf)
        memcpy(o->buf + o->len, p, n);
    o->len += n;
}

static bool ascii_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* Folds s into o (see bo_fold.h); name selects the name rules. */
static void fold(const char *s, bool name, out *o)
{
    const unsigned char *p = (const unsigned char *)s;
    bool pending_space = false;
    while (*p) {
        uint32_t cp;
        size_t n = decode(p, &cp);
        const char *emit = NULL;
        size_t emit_len = 0;
        char lower;
        bool sep = false;
        if (n == 0) { /* an invalid byte */
            n = 1;
            sep = name;
        } else if (cp < 0x80) {
            lower = (char)(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
            bool alnum = (lower >= 'a' && lower <= 'z') || (lower >= '0' && lower <= '9');
            if (cp < 0x20 || cp == 0x7F)
                sep = name;   /* controls: a separator in names, dropped from e-mails */
            else if (name && !alnum)
                sep = true;
            else
                emit = &lower, emit_len = 1;
        } else {
            const struct bo_fold_row *r = lookup(cp);
            if (!r)
                emit = (const char *)p, emit_len = n;
            else if (r->kind == BO_FOLD_MAP)
                emit = r->to, emit_len = strlen(r->to);
            else if ((r->kind == BO_FOLD_SEP || r->kind == BO_FOLD_CTRL) && name)
                sep = true;
            else if (r->kind == BO_FOLD_SEP)   /* e-mails keep punctuation; drop marks and controls */
                emit = (const char *)p, emit_len = n;
        }
        p += n;
        if (sep) {
            pending_space = o->len > 0;
            continue;
        }
        if (emit_len == 0)
            continue;
        if (pending_space) {
            put(o, " ", 1);
            pending_space = false;
        }
        put(o, emit, emit_len);
    }
}

static char *fold_dup(const char *s, bool name)
{
    if (!s)
        s = "";
    out o = { NULL, 0 };
    fold(s, name, &o);
    char *buf = malloc(o.len + 1);
    if (!buf)
        return NULL;
    o.buf = buf;
    o.len = 0;
    fold(s, name, &o);
    size_t start = 0, end = o.len;
    if (!name) { /* e-mails: trimmed afterwards, so that a dropped mark cannot leave a space at an end */
        while (start < end && ascii_space((unsigned char)buf[start]))
            start++;
        while (end > start && ascii_space((unsigned char)buf[end - 1]))
            end--;
        memmove(buf, buf + start, end - start);
    }
    buf[end - start] = '\0';
    return buf;
}

char *bo_fold_name(const char *s)
{
    return fold_dup(s, true);
}

char *bo_fold_email(const char *s)
{
    return fold_dup(s, false);
}

size_t bo_fold_head_len(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (p[i] && n > 0) {
        i++;
        while ((p[i] & 0xC0) == 0x80)
            i++;
        n--;
    }
    return i;
}
