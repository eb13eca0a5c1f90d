/* Route matching. See gw_route.h. */
#include "gw_route.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SEGS 64

const char *gw_route_strip_stage(const char *path, const char *stage)
{
    if (!path || path[0] != '/') return NULL;
    size_t sl = strlen(stage);
    if (strncmp(path + 1, stage, sl) != 0) return NULL;
    const char *rest = path + 1 + sl;
    if (*rest == '\0') return "/";
    return *rest == '/' ? rest : NULL;
}

typedef struct seg {
    const char *s;
    size_t len;
} seg;

/* Splits "/a/b/c" (len bytes, NULs included) into segments; one trailing slash is ignored. -1 when too many. */
static int split_n(const char *path, size_t len, seg *out, size_t *n)
{
    *n = 0;
    const char *s = path;
    if (len > 0 && *s == '/') { s++; len--; }
    size_t total = len;
    if (total > 0 && s[total - 1] == '/') total--;
    if (total == 0) return 0;
    const char *end = s + total;
    while (s <= end) {
        const char *slash = memchr(s, '/', (size_t)(end - s));
        const char *e = slash ? slash : end;
        if (*n == MAX_SEGS) return -1;
        out[*n].s = s;
        out[*n].len = (size_t)(e - s);
        (*n)++;
        if (!slash) break;
        s = slash + 1;
    }
    return 0;
}

static int hex(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static int split(const char *path, seg *out, size_t *n) { return split_n(path, strlen(path), out, n); }

static bool is_param(const seg *t) { return t->len >= 3 && t->s[0] == '{' && t->s[t->len - 1] == '}'; }
static bool is_greedy(const seg *t) { return is_param(t) && t->s[t->len - 2] == '+'; }

/* Score of a match (higher is more specific), or -1 when the template does not match. */
static long match_score(const seg *tpl, size_t nt, const seg *req, size_t nr)
{
    long score = 0;
    for (size_t i = 0; i < nt; i++) {
        if (is_greedy(&tpl[i])) return i + 1 == nt && nr > i ? score * 4 + 1 : -1;
        if (i >= nr) return -1;
        if (is_param(&tpl[i])) {
            if (req[i].len == 0) return -1;
            score = score * 4 + 2;
        } else {
            if (tpl[i].len != req[i].len || memcmp(tpl[i].s, req[i].s, req[i].len) != 0) return -1;
            score = score * 4 + 3;
        }
    }
    return nt == nr ? score : -1;
}

/* A JSON string literal of the len bytes at v, every control byte (NUL included) as \u00XX: the form
 * in which the event hands a parameter that a C string cannot hold. NULL on OOM. */
static char *json_literal(const char *v, size_t len)
{
    char *out = malloc(len * 6 + 3), *w = out;
    if (!out) return NULL;
    *w++ = '"';
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)v[i];
        if (c < 0x20 || c == 0x7F) w += sprintf(w, "\\u%04x", c);
        else if (c == '"' || c == '\\') { *w++ = '\\'; *w++ = (char)c; }
        else *w++ = (char)c;
    }
    *w++ = '"';
    *w = '\0';
    return out;
}

static bool add_param(cJSON *p, const char *name, const char *v, size_t vl)
{
    if (!memchr(v, '\0', vl)) {
        char *s = strndup(v, vl);
        bool ok = s && cJSON_AddStringToObject(p, name, s);
        free(s);
        return ok;
    }
    char *lit = json_literal(v, vl);
    bool ok = lit && cJSON_AddRawToObject(p, name, lit);
    free(lit);
    return ok;
}

gw_route_status gw_route_match(const gw_config *cfg, const char *method, const char *path,
                               const gw_route **route, cJSON **params)
{
    return gw_route_match_n(cfg, method, path, path ? strlen(path) : 0, route, params);
}

gw_route_status gw_route_match_n(const gw_config *cfg, const char *method, const char *path, size_t path_len,
                                 const gw_route **route, cJSON **params)
{
    seg req[MAX_SEGS], tpl[MAX_SEGS];
    size_t nr, nt;
    *route = NULL;
    *params = NULL;
    if (!path || split_n(path, path_len, req, &nr) != 0) return GW_ROUTE_NONE;
    for (size_t i = 0; i < nr; i++) if (req[i].len == 0) return GW_ROUTE_NONE;   /* "//" */
    const gw_route *best = NULL;
    long best_score = -1;
    bool best_exact_method = false;
    for (size_t r = 0; r < cfg->n_routes; r++) {
        const gw_route *rt = &cfg->routes[r];
        bool exact = strcmp(rt->method, method) == 0;
        if (!exact && strcmp(rt->method, "ANY") != 0) continue;
        if (split(rt->resource, tpl, &nt) != 0) continue;
        long sc = match_score(tpl, nt, req, nr);
        if (sc < 0) continue;
        if (sc > best_score || (sc == best_score && exact && !best_exact_method)) {
            best = rt;
            best_score = sc;
            best_exact_method = exact;
        }
    }
    if (!best) return GW_ROUTE_NONE;
    split(best->resource, tpl, &nt);
    cJSON *p = NULL;
    for (size_t i = 0; i < nt; i++) {
        if (!is_param(&tpl[i])) continue;
        if (i >= nr) break;      /* cannot happen for a matched route; keeps req[i] in bounds */
        if (!p && !(p = cJSON_CreateObject())) return GW_ROUTE_NOMEM;
        bool greedy = is_greedy(&tpl[i]);
        char name[128];
        size_t nl = tpl[i].len - 2 - (greedy ? 1 : 0);
        if (nl >= sizeof name) nl = sizeof name - 1;
        memcpy(name, tpl[i].s + 1, nl);
        name[nl] = '\0';
        const char *vs = req[i].s;
        size_t vl = greedy ? (size_t)(req[nr - 1].s + req[nr - 1].len - vs) : req[i].len;
        if (!add_param(p, name, vs, vl)) { cJSON_Delete(p); return GW_ROUTE_NOMEM; }
    }
    *route = best;
    *params = p;
    return GW_ROUTE_OK;
}

int gw_route_unescape(const char *raw, size_t raw_len, char **out, size_t *out_len)
{
    char *d = malloc(raw_len + 1);
    if (!d) return -1;
    size_t n = 0;
    for (size_t i = 0; i < raw_len; i++) {
        int hi, lo;
        if (raw[i] == '%' && i + 2 < raw_len &&
            (hi = hex(raw[i + 1])) >= 0 && (lo = hex(raw[i + 2])) >= 0) {
            d[n++] = (char)(hi * 16 + lo);
            i += 2;
        } else {
            d[n++] = raw[i];
        }
    }
    d[n] = '\0';
    *out = d;
    *out_len = n;
    return 0;
}
