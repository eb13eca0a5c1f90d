#ifndef BO_TEXT_H
#define BO_TEXT_H
/* UTF-8 text helpers shared by backend validation and the client's display. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True when s[0..len) is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF). A NUL byte is
 * well-formed UTF-8 (U+0000) and passes: callers that need a C string check for it themselves. */
bool bo_utf8_valid(const char *s, size_t len);
/* The same, and false when s[0..len) holds a NUL byte: text that a C string or a JSON string carries
 * whole (the local gateway sends any other body base64-encoded). */
bool bo_utf8_valid_no_nul(const char *s, size_t len);

/* One step through UTF-8, the one decoder every module uses: decodes the well-formed sequence at s[0..len)
 * into *cp and returns its length (1..4). A byte that starts no well-formed sequence (a continuation
 * byte, an overlong or surrogate form, a truncated sequence) gives *cp = U+FFFD and returns 1, so a loop
 * always moves on; bo_utf8_valid says whether a text had any. Returns 0 only when len is 0.
 * A bad byte is told from a real U+FFFD by its length: *cp == 0xFFFD with 1 byte (the real one takes 3). */
size_t bo_utf8_step(const char *s, size_t len, uint32_t *cp);
/* True when the step that gave cp over n bytes met a bad byte, not a real U+FFFD. */
static inline bool bo_utf8_bad(uint32_t cp, size_t n)
{
    return cp == 0xFFFD && n == 1;
}

/* The largest k <= n such that s[k] is not a UTF-8 continuation byte: cutting s to k bytes never splits a
 * character. s[0..n] must be readable (s[n] may be the terminating NUL). */
size_t bo_utf8_cut(const char *s, size_t n);
/* src copied into dst (cap > 0 bytes), cut at a character boundary (bo_utf8_cut) when it does not fit; always
 * NUL-terminated. Returns the bytes copied. */
size_t bo_utf8_copy(char *dst, size_t cap, const char *src);

/* Terminal columns of one code point: 0 for combining and zero-width ones, 2 for wide ones, 1 for
 * anything the locale does not know or cannot print (controls, U+FFFD stand-ins). Uses the C library's
 * wcwidth, so the caller sets a UTF-8 LC_CTYPE first (the box office and the CLI do at start-up). */
int bo_cp_width(uint32_t cp);

/* Terminal columns of a NUL-terminated string, by bo_utf8_step and bo_cp_width. */
size_t bo_text_width(const char *s);

/* Number of code points in a valid UTF-8 string. */
size_t bo_utf8_chars(const char *s);

/* True when the string holds a C0/C1 control character or DEL (after UTF-8 decoding). */
bool bo_text_has_control(const char *s);

/* True when the string holds a bidi control character: the embeddings and overrides U+202A..U+202E,
 * the isolates U+2066..U+2069, the marks U+200E, U+200F and U+061C. They reorder or hide text on a
 * bidi-aware terminal (a name shown reversed). Invalid UTF-8 bytes are skipped. */
bool bo_text_has_bidi_control(const char *s);

/* True when the string holds at least one character that shows: anything but white space (ASCII and
 * Unicode spaces such as U+00A0, U+2000..U+200A, U+3000), default-ignorable code points (zero-width
 * U+200B..U+200F, U+2060..U+206F, U+FEFF, U+00AD, U+034F, variation selectors, tags, Hangul fillers...),
 * controls, and U+2800 (the blank braille pattern). An invalid UTF-8 byte counts as visible (U+FFFD). */
bool bo_text_has_visible(const char *s);

/* Returns a newly allocated copy without leading/trailing ASCII white space; NULL on OOM. Caller frees. */
char *bo_text_trim_dup(const char *s);

/* Copies src into dst (capacity cap, always NUL-terminated) so that it is safe to print on a terminal:
 * invalid UTF-8 becomes U+FFFD, control characters (C0, C1, DEL, ESC sequences) become spaces or are dropped,
 * bidi controls (see bo_text_has_bidi_control) are dropped. Truncates on a character boundary. Returns bytes written. */
size_t bo_text_sanitize(char *dst, size_t cap, const char *src);

#endif
