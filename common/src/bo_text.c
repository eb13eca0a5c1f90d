/* UTF-8 text helpers: validation, counting, control detection, trimming, terminal sanitising. */
#include "bo_text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* Decodes one well-formed UTF-8 sequence at s[0..len). Returns its length (1..4) and sets *cp,
 * or 0 when the bytes there are not well-formed (overlong, surrogate, > U+10FFFF, truncated). */
static size_t utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
    if (len == 0)
        return 0;
    unsigned char b = s[0];
    if (b < 0x80) {
        *cp = b;
        return 1;
    }
    size_t n;
    uint32_t c, min;
    if (b >= 0xC2 && b <= 0xDF) {
        n = 2; c = b & 0x1F; min = 0x80;
    } else if (b >= 0xE0 && b <= 0xEF) {
        n = 3; c = b & 0x0F; min = 0x800;
    } else if (b >= 0xF0 && b <= 0xF4) {
        n = 4; c = b & 0x07; min = 0x10000;
    } else {
        return 0; /* continuation byte, C0/C1 overlong lead, F5..FF */
    }
    if (len < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return n;
}

size_t bo_utf8_step(const char *s, size_t len, uint32_t *cp)
{
    if (s == NULL || len == 0)
        return 0;
    size_t n = utf8_decode((const unsigned char *)s, len, cp);
    if (n == 0) {
        *cp = 0xFFFD;
        n = 1;
    }
    return n;
}

size_t bo_utf8_cut(const char *s, size_t n)
{
    while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
        n--;
    return n;
}

int bo_cp_width(uint32_t cp)
{
    int w = wcwidth((wchar_t)cp);
    return w < 0 ? 1 : w;
}

size_t bo_utf8_copy(char *dst, size_t cap, const char *src)
{
    size_t n = strlen(src);
    if (n >= cap)
        n = bo_utf8_cut(src, cap - 1);
    memcpy(dst, src, n);
    dst[n] = '\0';
    return n;
}

size_t bo_text_width(const char *s)
{
    size_t cols = 0, len = s != NULL ? strlen(s) : 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        i += bo_utf8_step(s + i, len - i, &cp);
        cols += (size_t)bo_cp_width(cp);
    }
    return cols;
}

bool bo_utf8_valid(const char *s, size_t len)
{
    if (!s)
        return len == 0;
    size_t i = 0;
    while (i < len) {
        if ((unsigned char)s[i] < 0x80) { /* fast path for ASCII */
            i++;
            continue;
        }
        uint32_t cp;
        size_t n = bo_utf8_step(s + i, len - i, &cp);
        if (bo_utf8_bad(cp, n))
            return false;
        i += n;
    }
    return true;
}

bool bo_utf8_valid_no_nul(const char *s, size_t len)
{
    if (s != NULL && len > 0 && memchr(s, '\0', len) != NULL)
        return false;
    return bo_utf8_valid(s, len);
}

size_t bo_utf8_chars(const char *s)
{
    size_t n = 0;
    if (!s)
        return 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if ((*p & 0xC0) != 0x80)
            n++;
    return n;
}

static bool is_control(uint32_t cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
}

bool bo_text_has_control(const char *s)
{
    if (!s)
        return false;
    size_t len = strlen(s), i = 0;
    while (i < len) {
        uint32_t cp;
        size_t n = bo_utf8_step(s + i, len - i, &cp);
        if (bo_utf8_bad(cp, n)) /* not UTF-8: judge the raw byte (0x80..0x9F read as C1) */
            cp = (unsigned char)s[i];
        if (is_control(cp))
            return true;
        i += n;
    }
    return false;
}

static bool is_ascii_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

char *bo_text_trim_dup(const char *s)
{
    if (!s)
        s = "";
    const char *b = s;
    while (*b && is_ascii_space(*b))
        b++;
    const char *e = b + strlen(b);
    while (e > b && is_ascii_space(e[-1]))
        e--;
    size_t n = (size_t)(e - b);
    char *out = malloc(n + 1);
    if (!out)
        return NULL;
    memcpy(out, b, n);
    out[n] = '\0';
    return out;
}

/* Characters that reorder text on a bidi-aware terminal: LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI,
 * the left-to-right and right-to-left marks and the Arabic letter mark. Dropped by the sanitiser,
 * refused in names by bo_valid_text. */
static bool is_bidi_control(uint32_t cp)
{
    return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E || cp == 0x200F ||
           cp == 0x061C;
}

/* White space (Unicode White_Space) and default-ignorable code points (DerivedCoreProperties'
 * Default_Ignorable_Code_Point): nothing a reader sees. Plus U+2800, a braille cell with no dots. */
static bool is_invisible(uint32_t cp)
{
    static const struct { uint32_t lo, hi; } ranges[] = {
        { 0x0000, 0x0020 }, { 0x007F, 0x00A0 }, { 0x00AD, 0x00AD }, { 0x034F, 0x034F }, { 0x061C, 0x061C },
        { 0x115F, 0x1160 }, { 0x1680, 0x1680 }, { 0x17B4, 0x17B5 }, { 0x180B, 0x180F }, { 0x2000, 0x200F },
        { 0x2028, 0x202F }, { 0x205F, 0x206F }, { 0x2800, 0x2800 }, { 0x3000, 0x3000 }, { 0x3164, 0x3164 },
        { 0xFE00, 0xFE0F }, { 0xFEFF, 0xFEFF }, { 0xFFA0, 0xFFA0 }, { 0x1BCA0, 0x1BCA3 }, { 0x1D173, 0x1D17A },
        { 0xE0000, 0xE0FFF },
    };
    for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++)
        if (cp >= ranges[i].lo && cp <= ranges[i].hi)
            return true;
    return false;
}

/* Whether some code point of s satisfies pred; a byte that is not valid UTF-8 counts as `invalid`. */
static bool any_code_point(const char *s, bool (*pred)(uint32_t), bool invalid)
{
    if (!s)
        return false;
    size_t len = strlen(s), i = 0;
    while (i < len) {
        uint32_t cp;
        size_t n = bo_utf8_step(s + i, len - i, &cp);
        if (bo_utf8_bad(cp, n) ? invalid : pred(cp))
            return true;
        i += n;
    }
    return false;
}

static bool is_visible(uint32_t cp)
{
    return !is_invisible(cp);
}

bool bo_text_has_bidi_control(const char *s)
{
    return any_code_point(s, is_bidi_control, false);
}

bool bo_text_has_visible(const char *s)
{
    return any_code_point(s, is_visible, true);
}

/* Length of an escape sequence starting with ESC at s[0] (CSI, OSC, or ESC + one byte), capped at len. */
static size_t escape_len(const unsigned char *s, size_t len)
{
    if (len < 2)
        return len;
    size_t i = 2;
    if (s[1] == '[') { /* CSI: parameters and intermediates, then a final byte 0x40..0x7E */
        while (i < len && s[i] >= 0x20 && s[i] <= 0x3F)
            i++;
        if (i < len && s[i] >= 0x40 && s[i] <= 0x7E)
            i++;
        return i;
    }
    if (s[1] == ']' || s[1] == 'P' || s[1] == '_' || s[1] == '^' || s[1] == 'X') {
        /* OSC/DCS/APC/PM/SOS: up to BEL or ESC \ (string terminator) */
        while (i < len) {
            if (s[i] == 0x07)
                return i + 1;
            if (s[i] == 0x1B && i + 1 < len && s[i + 1] == '\\')
                return i + 2;
            i++;
        }
        return i;
    }
    if (s[1] < 0x20) /* ESC followed by a control: drop just the ESC */
        return 1;
    return 2;
}

size_t bo_text_sanitize(char *dst, size_t cap, const char *src)
{
    if (!dst || cap == 0)
        return 0;
    size_t w = 0;
    if (!src) {
        dst[0] = '\0';
        return 0;
    }
    const unsigned char *p = (const unsigned char *)src;
    size_t len = strlen(src);
    size_t i = 0;
    while (i < len) {
        char buf[4];
        size_t blen = 0;
        uint32_t cp;
        size_t n = bo_utf8_step(src + i, len - i, &cp);
        if (bo_utf8_bad(cp, n)) {
            memcpy(buf, "\xEF\xBF\xBD", 3); /* U+FFFD for one bad byte */
            blen = 3;
        } else if (cp == 0x1B) {
            n = escape_len(p + i, len - i);
        } else if (cp == '\t' || cp == '\n' || cp == '\r' || cp == '\v' || cp == '\f') {
            buf[0] = ' ';
            blen = 1;
        } else if (is_control(cp) || is_bidi_control(cp)) {
            /* other C0, DEL, C1 (including the 8-bit CSI 0x9B) and bidi controls: dropped */
        } else {
            memcpy(buf, p + i, n);
            blen = n;
        }
        if (blen > 0) {
            if (w + blen > cap - 1)
                break; /* truncate on a character boundary */
            memcpy(dst + w, buf, blen);
            w += blen;
        }
        i += n;
    }
    dst[w] = '\0';
    return w;
}
