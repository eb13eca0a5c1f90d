/* Error messages into a caller's buffer; see bo_err.h. */
#include "bo_err.h"

#include <stdio.h>

void bo_err_vset(char *err, size_t cap, const char *fmt, va_list ap)
{
    if (err == NULL || cap == 0)
        return;
    vsnprintf(err, cap, fmt, ap);
}

void bo_err_set(char *err, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    bo_err_vset(err, cap, fmt, ap);
    va_end(ap);
}
