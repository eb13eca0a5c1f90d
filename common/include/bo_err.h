#ifndef BO_ERR_H
#define BO_ERR_H
/* The one way to write an error message into a caller's buffer (char err[cap]): printf-style, cut to
 * fit, always NUL-terminated. A NULL err or a cap of 0 means the caller wants no message: nothing is
 * written. */
#include <stdarg.h>
#include <stddef.h>

void bo_err_set(char *err, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void bo_err_vset(char *err, size_t cap, const char *fmt, va_list ap);

#endif
