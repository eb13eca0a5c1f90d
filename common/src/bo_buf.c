/* The capped growable buffer; see bo_buf.h. */
#include "bo_buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FIRST_ALLOC 64

void bo_buf_init(bo_buf *b, size_t max)
{
    memset(b, 0, sizeof *b);
    b->max = max < SIZE_MAX / 2 ? max : SIZE_MAX / 2; /* max + 1 and the doubling never overflow */
}

void bo_buf_init_fixed(bo_buf *b, char *storage, size_t size)
{
    memset(b, 0, sizeof *b);
    b->fixed = true;
    if (storage == NULL || size == 0)
        return; /* a buffer that holds nothing: every add fails with BO_BUF_TOO_BIG */
    b->mem = storage;
    b->alloc = size;
    b->max = size - 1;
    storage[0] = '\0';
}

/* Makes room for n more content bytes (and the NUL). BO_BUF_OK or the failure, latched. */
static int reserve(bo_buf *b, size_t n)
{
    if (b->error != BO_BUF_OK)
        return b->error;
    if (n > b->max - b->len)
        return b->error = BO_BUF_TOO_BIG;
    size_t need = b->len + n + 1;
    if (need <= b->alloc)
        return BO_BUF_OK;
    if (b->fixed) /* cannot happen: alloc is max + 1 */
        return b->error = BO_BUF_TOO_BIG;
    size_t a = b->alloc > 0 ? b->alloc : FIRST_ALLOC;
    while (a < need)
        a *= 2;
    if (a > b->max + 1)
        a = b->max + 1;
    char *m = realloc(b->mem, a);
    if (m == NULL)
        return b->error = BO_BUF_NOMEM;
    b->mem = m;
    b->alloc = a;
    return BO_BUF_OK;
}

int bo_buf_addn(bo_buf *b, const void *mem, size_t n)
{
    int rc = reserve(b, n);
    if (rc != BO_BUF_OK)
        return rc;
    if (n > 0)
        memcpy(b->mem + b->len, mem, n);
    b->len += n;
    b->mem[b->len] = '\0';
    return BO_BUF_OK;
}

int bo_buf_add(bo_buf *b, const char *s)
{
    return bo_buf_addn(b, s, strlen(s));
}

int bo_buf_vaddf(bo_buf *b, const char *fmt, va_list ap)
{
    if (b->error != BO_BUF_OK)
        return b->error;
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0) /* an encoding error: nothing to add, say so as a failure to add */
        return b->error = BO_BUF_NOMEM;
    int rc = reserve(b, (size_t)n);
    if (rc != BO_BUF_OK)
        return rc;
    vsnprintf(b->mem + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return BO_BUF_OK;
}

int bo_buf_addf(bo_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = bo_buf_vaddf(b, fmt, ap);
    va_end(ap);
    return rc;
}

const char *bo_buf_ptr(const bo_buf *b)
{
    return b->mem != NULL ? b->mem : "";
}

size_t bo_buf_len(const bo_buf *b)
{
    return b->len;
}

int bo_buf_error(const bo_buf *b)
{
    return b->error;
}

void bo_buf_reset(bo_buf *b)
{
    b->len = 0;
    b->error = BO_BUF_OK;
    if (b->mem != NULL)
        b->mem[0] = '\0';
}

void bo_buf_shrink(bo_buf *b, size_t keep)
{
    if (!b->fixed && b->alloc > keep)
        bo_buf_free(b);
}

char *bo_buf_take(bo_buf *b, size_t *len)
{
    if (len != NULL)
        *len = 0;
    if (b->fixed)
        return NULL;
    char *out = b->mem != NULL ? b->mem : calloc(1, 1);
    if (out == NULL)
        return NULL;
    if (len != NULL)
        *len = b->len;
    b->mem = NULL;
    b->len = b->alloc = 0;
    b->error = BO_BUF_OK;
    return out;
}

void bo_buf_free(bo_buf *b)
{
    if (!b->fixed) {
        free(b->mem);
        b->mem = NULL;
        b->alloc = 0;
    }
    bo_buf_reset(b);
}

size_t bo_buf_write_cb(char *data, size_t size, size_t nmemb, void *buf)
{
    if (nmemb != 0 && size > SIZE_MAX / nmemb)
        return 0;
    size_t n = size * nmemb;
    return bo_buf_addn(buf, data, n) == BO_BUF_OK ? n : 0;
}
