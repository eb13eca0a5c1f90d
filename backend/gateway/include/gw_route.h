#ifndef GW_ROUTE_H
#define GW_ROUTE_H
/* API Gateway route matching: a request path (below the stage) and method against the routes of
 * serverless.yml. Literal segments win over {param} segments, which win over a greedy {name+}. */
#include <cjson/cJSON.h>
#include "gw_config.h"

typedef enum gw_route_status {
    GW_ROUTE_OK = 0,
    GW_ROUTE_NONE,             /* no resource matches the path, or none with that method: API Gateway's 403 */
    GW_ROUTE_NOMEM
} gw_route_status;

/* path: "/concerts/abc" (already percent-decoded, no query). On GW_ROUTE_OK *route points into cfg
 * and *params is a new object {"id":"abc"} owned by the caller (cJSON_Delete), or NULL when the
 * resource has no parameters. */
gw_route_status gw_route_match(const gw_config *cfg, const char *method, const char *path,
                               const gw_route **route, cJSON **params);

/* As gw_route_match for a path of path_len bytes that may hold NULs (a decoded %00): routed on the whole
 * path, as API Gateway does; a parameter holding a control byte is handed to the function as a JSON
 * string with \u00XX escapes (a raw cJSON item), never cut. */
gw_route_status gw_route_match_n(const gw_config *cfg, const char *method, const char *path, size_t path_len,
                                 const gw_route **route, cJSON **params);

/* Percent-decodes raw_len bytes of a request path as libmicrohttpd does (%XX with two hex digits; any
 * other '%' stays), keeping a decoded NUL: *out (malloc'd, NUL-terminated after *out_len bytes). 0 or -1 (OOM). */
int gw_route_unescape(const char *raw, size_t raw_len, char **out, size_t *out_len);

/* Splits "/<stage>/rest" into rest ("/" when nothing follows). NULL when path is not below stage. */
const char *gw_route_strip_stage(const char *path, const char *stage);

#endif
