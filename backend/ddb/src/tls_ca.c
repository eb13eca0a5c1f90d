/* CA bundle lookup for TLS certificate verification (see tls_ca.h). */
#include "tls_ca.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const DEFAULT_CANDIDATES[] = {TLS_CA_AL2023, TLS_CA_DEBIAN, NULL};

/* 0 when path is a readable, non-empty regular file; else an errno-like reason. */
static int usable(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return errno;
    struct stat st;
    int rc = 0;
    if (fstat(fd, &st) != 0)
        rc = errno;
    else if (!S_ISREG(st.st_mode))
        rc = EISDIR;
    else if (st.st_size == 0)
        rc = ENODATA;
    close(fd);
    return rc;
}

static int put(char *out, size_t outlen, const char *path)
{
    if (strlen(path) >= outlen)
        return -1;
    memcpy(out, path, strlen(path) + 1);
    return 0;
}

int tls_ca_find(const char *const *candidates, char *out, size_t outlen, char *err, size_t errlen)
{
    if (outlen)
        out[0] = '\0';
    if (errlen)
        err[0] = '\0';
    const char *env = getenv("SSL_CERT_FILE");
    if (env && *env) {
        int why = usable(env);
        if (why != 0) {
            snprintf(err, errlen, "SSL_CERT_FILE=%.200s is not a usable CA bundle: %s", env, strerror(why));
            return -1;
        }
        if (put(out, outlen, env) != 0) {
            snprintf(err, errlen, "SSL_CERT_FILE is too long");
            return -1;
        }
        return 0;
    }
    if (!candidates)
        candidates = DEFAULT_CANDIDATES;
    size_t used = 0;
    if (errlen)
        used = (size_t)snprintf(err, errlen, "no CA bundle to verify TLS peers: SSL_CERT_FILE is not set");
    for (const char *const *c = candidates; *c; c++) {
        int why = usable(*c);
        if (why == 0 && put(out, outlen, *c) == 0) {
            if (errlen)
                err[0] = '\0';
            return 0;
        }
        if (used < errlen)
            used += (size_t)snprintf(err + used, errlen - used, ", %s: %s", *c, strerror(why ? why : ENAMETOOLONG));
    }
    return -1;
}
