#ifndef GW_STRICT_H
#define GW_STRICT_H
/* RFC 9112 strictness for the local gateway's HTTP server, in front of libmicrohttpd (0.9.75), so that
 * every malformed request gets a JSON 400 {"message":"Bad Request"} (as API Gateway's errors are JSON)
 * or a closed connection — never libmicrohttpd's own HTML error pages, never a request served from a
 * mangled request line. libmicrohttpd offers no way to replace those pages, so this module:
 *
 *  - checks the first request line of a connection before libmicrohttpd reads it
 *    (gw_strict_on_connection, MHD_OPTION_NOTIFY_CONNECTION; the listening socket uses
 *    TCP_DEFER_ACCEPT so the line is normally there): HTTP/0.9 lines, HTTP/2 prefaces, other versions,
 *    control bytes or spaces in the target -> JSON 400, connection closed;
 *  - checks each request target as received (gw_strict_target_ok, from MHD_OPTION_URI_LOG_CALLBACK),
 *    where a raw NUL would otherwise cut the path short;
 *  - checks the framing headers (gw_strict_framing): Content-Length together with Transfer-Encoding
 *    (request smuggling), a Transfer-Encoding other than "chunked", repeated framing headers;
 *  - turns libmicrohttpd's own error answers (bad Content-Length, header line without a colon, bad
 *    chunk size, a later request line on a kept-alive connection, ...) into a JSON answer with the
 *    same status, or into a plain close when an answer was already queued (gw_strict_logger,
 *    MHD_OPTION_EXTERNAL_LOGGER: libmicrohttpd logs "Error processing request (HTTP response code is
 *    N ...)" in the connection's own thread just before it queues its page; the JSON goes out first
 *    and the socket is shut for writing, so its page is never sent).
 *
 * The connection-thread functions keep per-thread state: they need libmicrohttpd's
 * MHD_USE_THREAD_PER_CONNECTION (one thread per connection, for the connection's whole life). */
#include <stdarg.h>
#include <stdbool.h>
#include <microhttpd.h>

/* The body of the gateway's own 400. */
#define GW_STRICT_BAD_REQUEST "{\"message\":\"Bad Request\"}"

/* Sets TCP_DEFER_ACCEPT on the daemon's listening socket (best effort). */
void gw_strict_prepare_listener(struct MHD_Daemon *d);

/* MHD_OPTION_NOTIFY_CONNECTION callback (cls unused). */
void gw_strict_on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                             enum MHD_ConnectionNotificationCode code);

/* For MHD_OPTION_URI_LOG_CALLBACK, in the connection's thread: remembers the connection's socket for
 * gw_strict_logger, starts a new request (see gw_strict_answered) and says whether the raw request
 * target `uri` (as libmicrohttpd passes it: before '?' splitting and unescaping) is acceptable: no NUL,
 * no control byte, no space, nothing outside printable ASCII. */
bool gw_strict_target_ok(struct MHD_Connection *c, const char *uri);

/* The message of a framing error of the request's headers (to answer 400 and close without reading
 * the body), or NULL when Content-Length / Transfer-Encoding are acceptable. */
const char *gw_strict_framing(struct MHD_Connection *c);

/* The application queued its answer to the current request of this thread's connection (true), or
 * that request is over (false). */
void gw_strict_set_answered(bool yes);

/* MHD_OPTION_EXTERNAL_LOGGER callback: writes libmicrohttpd's messages to stderr, as
 * MHD_USE_ERROR_LOG does by default, and replaces its error pages as described above. */
void gw_strict_logger(void *cls, const char *fmt, va_list ap);

/* Unit-testable core of gw_strict_on_connection: checks one request line (without its line end).
 * true when it is "METHOD SP TARGET SP HTTP/1.x" with a token method and a printable target. */
bool gw_strict_request_line_ok(const char *line, size_t len);

#endif
