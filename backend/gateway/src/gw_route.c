/* Route matching. See gw_route.h. */
#include "gw_route.h"

#include <stdbool.h>
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

/* Splits "/a/b/c" into segments; one trailing slash is ignored. -1 when too many. */
static int split(const char *path, seg *out, size_t *n)
{
    *n = 0;
    const char *s = path;
    if (*s == '/') s++;
    size_t total = strlen(s);
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

gw_route_status gw_route_match(const gw_config *cfg, const char *method, const char *path,
                               const gw_route **route, cJSON **params)
{
    seg req[MAX_SEGS], tpl[MAX_SEGS];
    size_t nr, nt;
    *route = NULL;
    *params = NULL;
    if (split(path, req, &nr) != 0) return GW_ROUTE_NONE;
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
        char *v = strndup(vs, vl);
        if (!v || !cJSON_AddStringToObject(p, name, v)) { free(v); cJSON_Delete(p); return GW_ROUTE_NOMEM; }
        free(v);
    }
    *route = best;
    *params = p;
    return GW_ROUTE_OK;
}
