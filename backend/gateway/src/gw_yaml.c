/* YAML tree (libyaml event API) and Serverless Framework variable resolution. See gw_yaml.h. */
#include "gw_yaml.h"

#include "bo_buf.h"
#include "bo_err.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#define YAML_MAX_FILE (1024 * 1024)
#define YAML_MAX_DEPTH 64
#define VAR_MAX_DEPTH 16
#define EXPAND_MAX (64 * 1024)

void gw_yaml_free(gw_ynode *n)
{
    if (!n) return;
    for (size_t i = 0; i < n->n; i++) {
        if (n->keys) free(n->keys[i]);
        gw_yaml_free(n->items[i]);
    }
    free(n->keys);
    free(n->items);
    free(n->scalar);
    free(n);
}

static gw_ynode *node_new(gw_ytype t, size_t line)
{
    gw_ynode *n = calloc(1, sizeof *n);
    if (n) { n->type = t; n->line = line; }
    return n;
}

/* Appends child (and key for maps, taken over) to parent. 0, or -1 when out of memory. */
static int node_add(gw_ynode *parent, char *key, gw_ynode *child)
{
    gw_ynode **items = realloc(parent->items, (parent->n + 1) * sizeof *items);
    if (!items) return -1;
    parent->items = items;
    if (parent->type == GW_Y_MAP) {
        char **keys = realloc(parent->keys, (parent->n + 1) * sizeof *keys);
        if (!keys) return -1;
        parent->keys = keys;
        keys[parent->n] = key;
    }
    items[parent->n++] = child;
    return 0;
}

typedef struct frame {
    gw_ynode *node;
    char *pending_key;         /* map: key read, value not yet */
} frame;

gw_ynode *gw_yaml_parse(const char *text, size_t len, char *err, size_t errlen)
{
    yaml_parser_t p;
    yaml_event_t ev;
    frame stack[YAML_MAX_DEPTH];
    size_t depth = 0;
    gw_ynode *root = NULL;
    bool done = false;

    if (!yaml_parser_initialize(&p)) { bo_err_set(err, errlen, "out of memory"); return NULL; }
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    while (!done) {
        if (!yaml_parser_parse(&p, &ev)) {
            bo_err_set(err, errlen, "YAML error at line %zu: %s", (size_t)p.problem_mark.line + 1,
                   p.problem ? p.problem : "unknown");
            goto fail;
        }
        size_t line = (size_t)ev.start_mark.line + 1;
        gw_ynode *made = NULL;
        switch (ev.type) {
        case YAML_STREAM_END_EVENT:
        case YAML_DOCUMENT_END_EVENT:
            done = ev.type == YAML_STREAM_END_EVENT || root != NULL;
            break;
        case YAML_ALIAS_EVENT:
            bo_err_set(err, errlen, "line %zu: YAML aliases are not supported", line);
            yaml_event_delete(&ev);
            goto fail;
        case YAML_SCALAR_EVENT:
            made = node_new(GW_Y_SCALAR, line);
            if (made) {
                made->scalar = strndup((const char *)ev.data.scalar.value, ev.data.scalar.length);
                made->quoted = ev.data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
                               ev.data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE;
                if (!made->scalar) { gw_yaml_free(made); made = NULL; }
            }
            if (!made) { bo_err_set(err, errlen, "out of memory"); yaml_event_delete(&ev); goto fail; }
            break;
        case YAML_MAPPING_START_EVENT:
        case YAML_SEQUENCE_START_EVENT:
            made = node_new(ev.type == YAML_MAPPING_START_EVENT ? GW_Y_MAP : GW_Y_SEQ, line);
            if (!made) { bo_err_set(err, errlen, "out of memory"); yaml_event_delete(&ev); goto fail; }
            break;
        case YAML_MAPPING_END_EVENT:
        case YAML_SEQUENCE_END_EVENT:
            if (depth > 0) depth--;
            break;
        default:
            break;
        }
        yaml_event_delete(&ev);
        if (!made) continue;

        /* Attach the new node to its parent (or make it the root). */
        if (depth == 0) {
            if (root) { gw_yaml_free(made); bo_err_set(err, errlen, "line %zu: more than one root", line); goto fail; }
            root = made;
        } else {
            frame *f = &stack[depth - 1];
            if (f->node->type == GW_Y_MAP && !f->pending_key) {
                if (made->type != GW_Y_SCALAR) {
                    gw_yaml_free(made);
                    bo_err_set(err, errlen, "line %zu: only plain keys are supported", line);
                    goto fail;
                }
                f->pending_key = made->scalar;
                made->scalar = NULL;
                gw_yaml_free(made);
                continue;
            }
            char *key = f->pending_key;
            f->pending_key = NULL;
            if (node_add(f->node, key, made) != 0) {
                free(key);
                gw_yaml_free(made);
                bo_err_set(err, errlen, "out of memory");
                goto fail;
            }
        }
        if (made->type != GW_Y_SCALAR) {
            if (depth == YAML_MAX_DEPTH) { bo_err_set(err, errlen, "line %zu: nested too deeply", line); goto fail; }
            stack[depth].node = made;
            stack[depth].pending_key = NULL;
            depth++;
        }
    }
    yaml_parser_delete(&p);
    if (!root) root = node_new(GW_Y_MAP, 1);   /* empty document */
    if (!root) bo_err_set(err, errlen, "out of memory");
    return root;
fail:
    for (size_t i = 0; i < depth; i++) free(stack[i].pending_key);
    yaml_parser_delete(&p);
    gw_yaml_free(root);
    return NULL;
}

gw_ynode *gw_yaml_load(const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) { bo_err_set(err, errlen, "%s: %s", path, strerror(errno)); return NULL; }
    char *buf = malloc(YAML_MAX_FILE + 1);
    if (!buf) { fclose(f); bo_err_set(err, errlen, "out of memory"); return NULL; }
    size_t len = fread(buf, 1, YAML_MAX_FILE + 1, f);
    int bad = ferror(f);
    fclose(f);
    gw_ynode *root = NULL;
    if (bad) bo_err_set(err, errlen, "%s: read error", path);
    else if (len > YAML_MAX_FILE) bo_err_set(err, errlen, "%s: larger than %d bytes", path, YAML_MAX_FILE);
    else {
        char perr[256] = "";
        root = gw_yaml_parse(buf, len, perr, sizeof perr);
        if (!root) bo_err_set(err, errlen, "%s: %s", path, perr);
    }
    free(buf);
    return root;
}

const gw_ynode *gw_yaml_child(const gw_ynode *map, const char *key)
{
    if (!map || map->type != GW_Y_MAP || !key) return NULL;
    for (size_t i = 0; i < map->n; i++)
        if (strcmp(map->keys[i], key) == 0) return map->items[i];
    return NULL;
}

const gw_ynode *gw_yaml_get(const gw_ynode *root, const char *path)
{
    const gw_ynode *n = root;
    const char *s = path;
    while (n && s && *s) {
        const char *dot = strchr(s, '.');
        size_t len = dot ? (size_t)(dot - s) : strlen(s);
        char seg[256];
        if (len == 0 || len >= sizeof seg) return NULL;
        memcpy(seg, s, len);
        seg[len] = '\0';
        if (n->type == GW_Y_MAP) {
            n = gw_yaml_child(n, seg);
        } else if (n->type == GW_Y_SEQ) {
            char *end;
            unsigned long idx = strtoul(seg, &end, 10);
            n = (*end == '\0' && isdigit((unsigned char)seg[0]) && idx < n->n) ? n->items[idx] : NULL;
        } else {
            return NULL;
        }
        s = dot ? dot + 1 : NULL;
    }
    return n;
}

const char *gw_yaml_str(const gw_ynode *root, const char *path)
{
    const gw_ynode *n = gw_yaml_get(root, path);
    return n && n->type == GW_Y_SCALAR ? n->scalar : NULL;
}

/* ---- variables ------------------------------------------------------------------------------ */

typedef struct vctx {
    const gw_ynode *root;
    const gw_yopts *opts;
    char *err;
    size_t errlen;
    bool failed;               /* hard error: malformed, loop, memory */
} vctx;

static char *expand(vctx *c, const char *text, int depth, bool *unresolved);

/* Index just past the '}' closing the "${" at s, or 0 when unbalanced. */
static size_t match_var(const char *s)
{
    int level = 0;
    char quote = 0;
    for (size_t i = 0; s[i]; i++) {
        if (quote) { if (s[i] == quote) quote = 0; continue; }
        if (s[i] == '\'' || s[i] == '"') quote = s[i];
        else if (s[i] == '$' && s[i + 1] == '{') { level++; i++; }
        else if (s[i] == '}') { if (--level == 0) return i + 1; }
    }
    return 0;
}

/* Resolves one reference "source:address" (no fallbacks). New string or NULL when unresolved. */
static char *resolve_ref(vctx *c, const char *ref, int depth)
{
    bool unres = false;
    char *out = NULL;
    if (strncmp(ref, "self:", 5) == 0) {
        const gw_ynode *n = ref[5] ? gw_yaml_get(c->root, ref + 5) : NULL;
        if (!n || n->type != GW_Y_SCALAR) return NULL;
        out = expand(c, n->scalar, depth + 1, &unres);
    } else if (strcmp(ref, "opt:stage") == 0) {
        out = c->opts && c->opts->stage ? strdup(c->opts->stage) : NULL;
    } else if (strcmp(ref, "opt:region") == 0) {
        out = c->opts && c->opts->region ? strdup(c->opts->region) : NULL;
    } else if (strcmp(ref, "sls:stage") == 0) {
        if (c->opts && c->opts->stage) return strdup(c->opts->stage);
        const char *st = gw_yaml_str(c->root, "provider.stage");
        out = st ? expand(c, st, depth + 1, &unres) : strdup("dev");
    } else if (strncmp(ref, "env:", 4) == 0) {
        const char *v = getenv(ref + 4);
        out = v && *v ? strdup(v) : NULL;
    }
    if (unres) { free(out); return NULL; }
    return out;
}

/* Resolves the inside of ${...}: comma-separated alternatives, first resolvable wins. */
static char *resolve_inner(vctx *c, const char *inner, int depth)
{
    size_t len = strlen(inner);
    size_t start = 0;
    while (start <= len) {
        /* find the end of this alternative: a top-level comma */
        size_t i = start;
        int level = 0;
        char quote = 0;
        for (; i < len; i++) {
            char ch = inner[i];
            if (quote) { if (ch == quote) quote = 0; continue; }
            if (ch == '\'' || ch == '"') quote = ch;
            else if (ch == '$' && inner[i + 1] == '{') { level++; i++; }
            else if (ch == '}') level--;
            else if (ch == ',' && level == 0) break;
        }
        size_t a = start, b = i;
        while (a < b && isspace((unsigned char)inner[a])) a++;
        while (b > a && isspace((unsigned char)inner[b - 1])) b--;
        if (b > a) {
            char *part = strndup(inner + a, b - a);
            if (!part) { c->failed = true; bo_err_set(c->err, c->errlen, "out of memory"); return NULL; }
            char *val = NULL;
            size_t plen = b - a;
            if (plen >= 2 && (part[0] == '\'' || part[0] == '"') && part[plen - 1] == part[0]) {
                val = strndup(part + 1, plen - 2);
            } else if (strstr(part, "${")) {
                bool unres = false;
                val = expand(c, part, depth + 1, &unres);
                if (unres) { free(val); val = NULL; }
            } else if (strncmp(part, "self:", 5) == 0 || strncmp(part, "opt:", 4) == 0 ||
                       strncmp(part, "sls:", 4) == 0 || strncmp(part, "env:", 4) == 0) {
                val = resolve_ref(c, part, depth);
            } else if (strchr(part, ':')) {
                val = NULL;    /* another source (ssm:, cf:, file(...)...): not available locally */
            } else {
                val = strdup(part);   /* a bare literal such as a number */
            }
            free(part);
            if (c->failed) { free(val); return NULL; }
            if (val) return val;
        }
        start = i + 1;
    }
    return NULL;
}

/* Expands every ${...} of text. Returns a new string (unresolved variables kept as written, with
 * *unresolved set), or NULL on a hard error (c->failed). */
static char *expand(vctx *c, const char *text, int depth, bool *unresolved)
{
    if (depth > VAR_MAX_DEPTH) {
        if (!c->failed) bo_err_set(c->err, c->errlen, "variables nested too deeply (reference loop?) near \"%.60s\"", text);
        c->failed = true;
        return NULL;
    }
    bo_buf b;
    bo_buf_init(&b, EXPAND_MAX - 1);
    const char *s = text;
    while (*s) {
        const char *v = strstr(s, "${");
        if (!v) { if (bo_buf_add(&b, s) != 0) goto oom; break; }
        if (bo_buf_addn(&b, s, (size_t)(v - s)) != 0) goto oom;
        size_t end = match_var(v);
        if (end == 0) {
            bo_err_set(c->err, c->errlen, "unbalanced variable in \"%.60s\"", text);
            c->failed = true;
            bo_buf_free(&b);
            return NULL;
        }
        char *inner = strndup(v + 2, end - 3);
        if (!inner) goto oom;
        char *val = resolve_inner(c, inner, depth);
        free(inner);
        if (c->failed) { bo_buf_free(&b); return NULL; }
        int rc;
        if (val) rc = bo_buf_add(&b, val);
        else { *unresolved = true; rc = bo_buf_addn(&b, v, end); }
        free(val);
        if (rc != 0) goto oom;
        s = v + end;
    }
    char *out = bo_buf_take(&b, NULL);
    if (out) return out;
oom:
    bo_buf_free(&b);
    if (!c->failed) bo_err_set(c->err, c->errlen, "out of memory or value too long");
    c->failed = true;
    return NULL;
}

char *gw_yaml_expand(const gw_ynode *root, const gw_yopts *opts, const char *text, char *err, size_t errlen)
{
    vctx c = {root, opts, err, errlen, false};
    bool unres = false;
    char *out = expand(&c, text, 0, &unres);
    if (out && unres) {
        bo_err_set(err, errlen, "cannot resolve \"%.80s\"", text);
        free(out);
        return NULL;
    }
    return out;
}

static int resolve_node(vctx *c, gw_ynode *n, size_t *count)
{
    if (n->type == GW_Y_SCALAR) {
        if (!strstr(n->scalar, "${")) return 0;
        bool unres = false;
        char *v = expand(c, n->scalar, 0, &unres);
        if (!v) return -1;
        if (unres) (*count)++;
        free(n->scalar);
        n->scalar = v;
        return 0;
    }
    for (size_t i = 0; i < n->n; i++)
        if (resolve_node(c, n->items[i], count) != 0) return -1;
    return 0;
}

int gw_yaml_resolve(gw_ynode *root, const gw_yopts *opts, size_t *unresolved, char *err, size_t errlen)
{
    vctx c = {root, opts, err, errlen, false};
    size_t count = 0;
    int rc = resolve_node(&c, root, &count);
    if (unresolved) *unresolved = count;
    return rc;
}
