#ifndef TLS_CA_H
#define TLS_CA_H
/* Which CA bundle verifies TLS peers. The function's TLS library is linked statically on Debian but
 * runs on Amazon Linux 2023, so it cannot rely on a compiled-in path: the bundle is looked up at start.
 *
 *   char path[TLS_CA_PATH_MAX], err[256];
 *   if (tls_ca_find(NULL, path, sizeof path, err, sizeof err) != 0) -> fail init with err
 *
 * Order: $SSL_CERT_FILE when set and non-empty (it takes precedence: a set but unreadable one is an
 * error, never silently replaced), else the first readable non-empty regular file of the candidates
 * (NULL = TLS_CA_CANDIDATES: Amazon Linux 2023's bundle, then Debian's). */
#include <stddef.h>

#define TLS_CA_AL2023 "/etc/pki/tls/certs/ca-bundle.crt"
#define TLS_CA_DEBIAN "/etc/ssl/certs/ca-certificates.crt"
#define TLS_CA_PATH_MAX 4096

/* Returns 0 with the bundle's path in out, or -1 with a readable reason in err (both always
 * NUL-terminated). candidates: NULL-terminated list, or NULL for the default list. */
int tls_ca_find(const char *const *candidates, char *out, size_t outlen, char *err, size_t errlen);

#endif
