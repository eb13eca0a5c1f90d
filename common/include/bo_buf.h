#ifndef BO_BUF_H
#define BO_BUF_H
/* One growable buffer with a size cap, for the whole code base (client and backend), after curl's
 * lib/curlx/dynbuf.h: answers read off the network, log lines, expanded text, pretty-printed bodies.
 *
 *   bo_buf b;
 *   bo_buf_init(&b, 64 * 1024);            // at most 64 KiB of content
 *   if (bo_buf_add(&b, "a") != BO_BUF_OK || bo_buf_addf(&b, "%d", 42) != BO_BUF_OK) { bo_buf_free(&b); ... }
 *   char *text = bo_buf_take(&b, NULL);    // the caller owns text now (free()); b is empty and usable
 *
 * Who owns what:
 *  - a heap buffer (bo_buf_init) owns its memory. bo_buf_free releases it; bo_buf_take hands it over to
 *    the caller, who frees it with free(), and leaves the buffer empty. A zero-filled bo_buf is a valid
 *    empty heap buffer with a cap of 0 (bo_buf_free on it is fine).
 *  - a fixed buffer (bo_buf_init_fixed) writes into storage the caller owns (a stack array, a struct
 *    field): it never allocates, never frees, and bo_buf_take refuses it (NULL).
 *  - bo_buf_ptr lends the content: valid until the next add, reset, shrink, take or free.
 *
 * The cap counts content bytes, not the NUL that always follows the content. An add that would pass the
 * cap adds nothing and fails with BO_BUF_TOO_BIG; a failed allocation fails with BO_BUF_NOMEM. Failures
 * latch: after one, every add fails with the same code until bo_buf_reset, so a caller may add many
 * pieces and look once (bo_buf_error). The content is then the whole pieces added before the failure.
 * Not thread-safe: one owner at a time. The fields are private: use the functions. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

enum {
    BO_BUF_OK = 0,
    BO_BUF_NOMEM = -1,     /* out of memory */
    BO_BUF_TOO_BIG = -2,   /* past the cap */
};

typedef struct bo_buf {
    char *mem;       /* heap: owned, NULL until the first add; fixed: the caller's storage */
    size_t len;      /* content bytes (mem[len] == '\0' whenever mem != NULL) */
    size_t alloc;    /* bytes at mem */
    size_t max;      /* cap on len */
    int error;       /* latched failure, BO_BUF_OK when none */
    bool fixed;      /* mem belongs to the caller */
} bo_buf;

/* An empty heap buffer that will hold at most max content bytes. Allocates nothing yet. */
void bo_buf_init(bo_buf *b, size_t max);
/* An empty buffer over the caller's storage of size bytes (>= 1): at most size - 1 content bytes. */
void bo_buf_init_fixed(bo_buf *b, char *storage, size_t size);

/* Appends n bytes (any bytes, NUL included), a C string, or printf-style text. BO_BUF_OK, or the
 * (latched) failure. */
int bo_buf_addn(bo_buf *b, const void *mem, size_t n);
int bo_buf_add(bo_buf *b, const char *s);
int bo_buf_addf(bo_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int bo_buf_vaddf(bo_buf *b, const char *fmt, va_list ap);

/* The content, NUL-terminated; "" when empty (never NULL). Borrowed, see above. */
const char *bo_buf_ptr(const bo_buf *b);
size_t bo_buf_len(const bo_buf *b);
/* The latched failure: BO_BUF_OK, BO_BUF_NOMEM or BO_BUF_TOO_BIG. */
int bo_buf_error(const bo_buf *b);

/* Empties the buffer and clears a latched failure; the memory is kept for reuse. */
void bo_buf_reset(bo_buf *b);
/* Heap buffer: when more than keep bytes are allocated, frees them (the buffer is then empty), so that
 * one huge answer does not pin its memory for the life of a long-lived buffer. Otherwise does nothing. */
void bo_buf_shrink(bo_buf *b, size_t keep);
/* Heap buffer: hands the content over to the caller (NUL-terminated, free() it) and leaves the buffer
 * empty, failure cleared, cap unchanged. *len (when len is not NULL) gets its length. An empty buffer
 * gives a new "" string. NULL for a fixed buffer, or when memory for "" ran out. */
char *bo_buf_take(bo_buf *b, size_t *len);
/* Heap buffer: frees the memory. Fixed buffer: only empties it. The buffer stays usable (empty). */
void bo_buf_free(bo_buf *b);

/* A write callback in libcurl's shape (CURLOPT_WRITEFUNCTION, with CURLOPT_WRITEDATA the bo_buf): appends
 * size * nmemb bytes and returns that count, or 0 when the add failed, which makes libcurl abort the
 * transfer (CURLE_WRITE_ERROR); bo_buf_error then tells BO_BUF_TOO_BIG from BO_BUF_NOMEM. */
size_t bo_buf_write_cb(char *data, size_t size, size_t nmemb, void *buf);

#endif
