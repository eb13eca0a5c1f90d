#ifndef RT_HTTP_H
#define RT_HTTP_H
/* The transport under the Lambda Runtime API client (rt_api.h): HTTP/1.1 over one kept-alive,
 * blocking TCP connection to host:port. It knows no path or header of Lambda's: the caller builds
 * the request and receives the answer's header lines and body through a sink.
 *
 * The connection is opened on first use (connect_timeout_ms) and reopened when the server closed it;
 * a request that got no byte of an answer on a reused connection is sent once more on a new one (as
 * libcurl does). Answers may use Content-Length, chunked encoding, or end with the connection; 1xx
 * interim answers are skipped. Not thread-safe. The client owns its socket; rt_http_free closes it.
 * (libcurl stays in the DynamoDB client only: through it every exchange cost ~40 us of CPU.) */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#define RT_HTTP_IOV_MAX 4   /* iovecs per request */

typedef struct rt_http rt_http;

/* What the reader learnt from an answer's head. */
typedef struct rt_http_answer {
    int status;
    bool chunked, has_length, close_after;
    uint64_t length;
} rt_http_answer;

/* Where an answer goes. Every callback may be NULL (NULL body: the body is read and dropped). */
typedef struct rt_http_sink {
    void (*begin)(void *user);                                 /* before each attempt: forget a dead answer */
    void (*header)(void *user, const char *line, size_t len);  /* one header line, without CR LF */
    int (*body)(void *user, const char *data, size_t len);     /* -1 (out of memory) fails the exchange */
    void *user;
} rt_http_sink;

/* hostport is "host:port", "[v6]:port" or "host" (port 80). NULL when it is none of these, or out
 * of memory. No connection is made yet. */
rt_http *rt_http_new(const char *hostport, int connect_timeout_ms);
void rt_http_free(rt_http *c);   /* NULL is fine */

/* One request (nreq <= RT_HTTP_IOV_MAX iovecs, sent as they are) and its answer. timeout_ms bounds the
 * whole exchange, 0 = none. what names the request in error messages ("GET /next"). 0 with *a filled
 * and the body handed to the sink, or -1 with a reason in rt_http_last_error. */
int rt_http_exchange(rt_http *c, const char *what, const struct iovec *req, int nreq, const rt_http_sink *sink,
                     rt_http_answer *a, int timeout_ms);
/* The reason of the last failure, for logs; never NULL. */
const char *rt_http_last_error(const rt_http *c);

/* Header helpers for sinks. */
/* Is line (n bytes) the header `name` (case-insensitive)? Then *value (*vlen bytes) is what follows the ':'. */
bool rt_http_header_is(const char *line, size_t n, const char *name, const char **value, size_t *vlen);
/* Copies the trimmed value into dst (cap bytes incl. NUL). false when it did not fit (then cut). */
bool rt_http_copy_value(char *dst, size_t cap, const char *v, size_t n);
/* Strict decimal (optional blanks around). false when not a number or too large. */
bool rt_http_parse_u64(const char *v, size_t n, uint64_t *out);

#endif
