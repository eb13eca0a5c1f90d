/* Search-key folding (see bo_fold.h). One pass that measures, one that writes. */
#include "bo_fold.h"

#include "bo_text.h"

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
    const char *p = s, *end = s + strlen(s);
    bool pending_space = false;
    while (p < end) {
        uint32_t cp;
        size_t n = bo_utf8_step(p, (size_t)(end - p), &cp);
        const char *emit = NULL;
        size_t emit_len = 0;
        char lower;
        bool sep = false;
        if (bo_utf8_bad(cp, n)) { /* an invalid byte */
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
                emit = p, emit_len = n;
            else if (r->kind == BO_FOLD_MAP)
                emit = r->to, emit_len = strlen(r->to);
            else if ((r->kind == BO_FOLD_SEP || r->kind == BO_FOLD_CTRL) && name)
                sep = true;
            else if (r->kind == BO_FOLD_SEP)   /* e-mails keep punctuation; drop marks and controls */
                emit = p, emit_len = n;
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
    size_t i = 0, len = strlen(s);
    for (; i < len && n > 0; n--) {
        uint32_t cp;
        i += bo_utf8_step(s + i, len - i, &cp);
    }
    return i;
}
