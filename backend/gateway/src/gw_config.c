/* serverless.yml -> gw_config. See gw_config.h. */
#include "gw_config.h"

#include "bo_err.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void gw_config_free(gw_config *cfg)
{
    if (!cfg) return;
    for (size_t i = 0; i < cfg->n_functions; i++) {
        gw_function *f = &cfg->functions[i];
        free(f->name);
        free(f->full_name);
        free(f->handler);
        for (size_t j = 0; j < f->n_env; j++) free(f->env[j]);
        free(f->env);
    }
    free(cfg->functions);
    for (size_t i = 0; i < cfg->n_routes; i++) {
        free(cfg->routes[i].resource);
        free(cfg->routes[i].method);
    }
    free(cfg->routes);
    for (size_t i = 0; i < cfg->n_tables; i++) cJSON_Delete(cfg->tables[i]);
    free(cfg->tables);
    for (size_t i = 0; i < cfg->n_api_keys; i++) free(cfg->api_keys[i]);
    free(cfg->api_keys);
    free(cfg->unauthorized_body);
    free(cfg->service);
    free(cfg->stage);
    free(cfg->region);
    memset(cfg, 0, sizeof *cfg);
}

int gw_config_function(const gw_config *cfg, const char *name)
{
    for (size_t i = 0; i < cfg->n_functions; i++)
        if (strcmp(cfg->functions[i].name, name) == 0) return (int)i;
    return -1;
}

/* A resolved scalar: NULL when absent; -1 in *bad when present but not a plain resolved string. */
static const char *scalar_at(const gw_ynode *n, const char *key, bool *bad)
{
    const gw_ynode *v = gw_yaml_child(n, key);
    if (!v) return NULL;
    if (v->type != GW_Y_SCALAR || strstr(v->scalar, "${")) { *bad = true; return NULL; }
    return v->scalar;
}

static int parse_int(const char *s, int lo, int hi, int *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (end == s || *end || v < lo || v > hi) return -1;
    *out = (int)v;
    return 0;
}

static bool truthy(const char *s)
{
    return s && (strcasecmp(s, "true") == 0 || strcasecmp(s, "yes") == 0 || strcmp(s, "1") == 0);
}

/* Sets KEY=VALUE in env (replacing KEY). 0, or -1 when out of memory. */
static int env_set(gw_function *f, const char *key, const char *value)
{
    size_t klen = strlen(key);
    char *kv = malloc(klen + strlen(value) + 2);
    if (!kv) return -1;
    sprintf(kv, "%s=%s", key, value);
    for (size_t i = 0; i < f->n_env; i++) {
        if (strncmp(f->env[i], key, klen) == 0 && f->env[i][klen] == '=') {
            free(f->env[i]);
            f->env[i] = kv;
            return 0;
        }
    }
    char **e = realloc(f->env, (f->n_env + 1) * sizeof *e);
    if (!e) { free(kv); return -1; }
    f->env = e;
    f->env[f->n_env++] = kv;
    return 0;
}

/* The Type of resources.Resources.<name>, or NULL. */
static const char *resource_type(const gw_ynode *root, const char *name)
{
    const gw_ynode *res = gw_yaml_get(root, "resources.Resources");
    return name ? gw_yaml_str(gw_yaml_child(res, name), "Type") : NULL;
}

/* An environment value written as a CloudFormation intrinsic ({Ref: X}, {Fn::GetAtt: ...}): only known
 * once deployed. {Ref: <an AWS::Cognito::UserPool>} is the pool id, which the local gateway knows from
 * --cognito-issuer (opts->user_pool_id); any other intrinsic is left unset (--env KEY=VALUE sets it).
 * The value, or NULL to leave the variable unset; -1 in *bad when v is no intrinsic at all. */
static const char *intrinsic_value(const gw_ynode *root, const gw_yopts *opts, const gw_ynode *v, bool *bad)
{
    if (v->type != GW_Y_MAP || v->n != 1 || (strcmp(v->keys[0], "Ref") != 0 && strncmp(v->keys[0], "Fn::", 4) != 0)) {
        *bad = true;
        return NULL;
    }
    if (strcmp(v->keys[0], "Ref") != 0 || v->items[0]->type != GW_Y_SCALAR) return NULL;
    const char *type = resource_type(root, v->items[0]->scalar);
    if (type && strcmp(type, "AWS::Cognito::UserPool") == 0 && opts && opts->user_pool_id && *opts->user_pool_id)
        return opts->user_pool_id;
    return NULL;
}

static int env_merge(gw_function *f, const gw_ynode *env, const gw_ynode *root, const gw_yopts *opts,
                     char *err, size_t errlen)
{
    if (!env) return 0;
    if (env->type != GW_Y_MAP) { bo_err_set(err, errlen, "line %zu: environment must be a map", env->line); return -1; }
    for (size_t i = 0; i < env->n; i++) {
        const gw_ynode *v = env->items[i];
        const char *value = v->scalar;
        if (v->type != GW_Y_SCALAR) {
            bool bad = false;
            value = intrinsic_value(root, opts, v, &bad);
            if (!bad && !value) continue;
        }
        if (!value || strstr(value, "${")) {
            bo_err_set(err, errlen, "line %zu: environment %s has no value the gateway can resolve", v->line, env->keys[i]);
            return -1;
        }
        if (env_set(f, env->keys[i], value) != 0) { bo_err_set(err, errlen, "out of memory"); return -1; }
    }
    return 0;
}

/* A cognito-idp ARN, as the framework's cognitoIdpArnExpr tests it. */
static bool cognito_arn(const char *s)
{
    return s && strncmp(s, "arn:aws", 7) == 0 && strstr(s, ":cognito-idp:") != NULL;
}

/* An http event's authorizer (node may be NULL) as Serverless v3 reads it for a REST API
 * (lib/plugins/aws/package/compile/events/api-gateway/lib/validate.js, getAuthorizer): a string is
 * "aws_iam", an ARN or a function name; a map has type (+ authorizerId), arn (+ name) or name (a function).
 * COGNITO_USER_POOLS when the type says so or the arn is a user pool's (a cognito-idp ARN, or Fn::GetAtt
 * of an AWS::Cognito::UserPool resource); any other authorizer the gateway cannot run: unsupported. */
static gw_authorizer parse_authorizer(const gw_ynode *root, const gw_ynode *a)
{
    if (!a) return GW_AUTHZ_NONE;
    if (a->type == GW_Y_SCALAR) return cognito_arn(a->scalar) ? GW_AUTHZ_COGNITO : GW_AUTHZ_UNSUPPORTED;
    if (a->type != GW_Y_MAP) return GW_AUTHZ_UNSUPPORTED;
    const char *type = gw_yaml_str(a, "type");
    if (type && strcasecmp(type, "COGNITO_USER_POOLS") == 0) return GW_AUTHZ_COGNITO;
    if (type) return GW_AUTHZ_UNSUPPORTED;           /* TOKEN, REQUEST, AWS_IAM */
    const gw_ynode *arn = gw_yaml_child(a, "arn");
    if (!arn) return GW_AUTHZ_UNSUPPORTED;           /* name only: a Lambda authorizer function */
    if (arn->type == GW_Y_SCALAR) return cognito_arn(arn->scalar) ? GW_AUTHZ_COGNITO : GW_AUTHZ_UNSUPPORTED;
    const gw_ynode *ga = gw_yaml_child(arn, "Fn::GetAtt");
    const char *res = NULL;
    if (ga && ga->type == GW_Y_SEQ && ga->n == 2 && ga->items[0]->type == GW_Y_SCALAR) res = ga->items[0]->scalar;
    else if (ga && ga->type == GW_Y_SCALAR) res = ga->scalar;              /* "Pool.Arn" */
    char name[256] = "";
    if (res) snprintf(name, sizeof name, "%.*s", (int)strcspn(res, "."), res);
    const char *rtype = res ? resource_type(root, name) : NULL;
    return rtype && strcmp(rtype, "AWS::Cognito::UserPool") == 0 ? GW_AUTHZ_COGNITO : GW_AUTHZ_UNSUPPORTED;
}

static int add_route(gw_config *cfg, size_t fn, const char *path, const char *method, bool priv,
                     gw_authorizer authz, size_t line, char *err, size_t errlen)
{
    gw_route *r = realloc(cfg->routes, (cfg->n_routes + 1) * sizeof *r);
    if (!r) goto oom;
    cfg->routes = r;
    r = &cfg->routes[cfg->n_routes];
    memset(r, 0, sizeof *r);
    while (*path == '/') path++;
    size_t plen = strlen(path);
    while (plen > 0 && path[plen - 1] == '/') plen--;
    r->resource = malloc(plen + 2);
    r->method = strdup(method);
    if (!r->resource || !r->method) { free(r->resource); free(r->method); goto oom; }
    r->resource[0] = '/';
    memcpy(r->resource + 1, path, plen);
    r->resource[plen + 1] = '\0';
    for (char *m = r->method; *m; m++) *m = (char)toupper((unsigned char)*m);
    if (strcmp(r->method, "*") == 0) { free(r->method); r->method = strdup("ANY"); if (!r->method) { free(r->resource); goto oom; } }
    static const char *const known[] = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ANY"};
    bool ok = false;
    for (size_t i = 0; i < sizeof known / sizeof *known; i++) ok = ok || strcmp(r->method, known[i]) == 0;
    if (!ok) {
        bo_err_set(err, errlen, "line %zu: unknown http method \"%s\"", line, method);
        free(r->resource);
        free(r->method);
        return -1;
    }
    r->private_route = priv;
    r->authorizer = authz;
    r->fn = fn;
    cfg->n_routes++;
    return 0;
oom:
    bo_err_set(err, errlen, "out of memory");
    return -1;
}

static int load_function(gw_config *cfg, const gw_ynode *root, const gw_yopts *opts, const char *name,
                         const gw_ynode *fnode, char *err, size_t errlen)
{
    size_t idx = cfg->n_functions;
    gw_function *f = realloc(cfg->functions, (idx + 1) * sizeof *f);
    if (!f) { bo_err_set(err, errlen, "out of memory"); return -1; }
    cfg->functions = f;
    f = &cfg->functions[idx];
    memset(f, 0, sizeof *f);
    cfg->n_functions++;

    bool bad = false;
    const char *handler = scalar_at(fnode, "handler", &bad);
    if (bad || !handler) { bo_err_set(err, errlen, "line %zu: function %s needs a handler", fnode->line, name); return -1; }
    const gw_ynode *provider = gw_yaml_child(root, "provider");
    const char *mem = scalar_at(fnode, "memorySize", &bad);
    if (!mem) mem = scalar_at(provider, "memorySize", &bad);
    const char *tmo = scalar_at(fnode, "timeout", &bad);
    if (!tmo) tmo = scalar_at(provider, "timeout", &bad);
    if (bad) { bo_err_set(err, errlen, "function %s: memorySize/timeout cannot be resolved", name); return -1; }
    f->memory_mb = 1024;
    f->timeout_s = 6;
    if (mem && parse_int(mem, 128, 10240, &f->memory_mb) != 0) {
        bo_err_set(err, errlen, "function %s: memorySize \"%s\" is not 128..10240", name, mem);
        return -1;
    }
    if (tmo && parse_int(tmo, 1, 900, &f->timeout_s) != 0) {
        bo_err_set(err, errlen, "function %s: timeout \"%s\" is not 1..900", name, tmo);
        return -1;
    }
    f->name = strdup(name);
    f->handler = strdup(handler);
    size_t fl = strlen(cfg->service) + strlen(cfg->stage) + strlen(name) + 3;
    f->full_name = malloc(fl);
    if (!f->name || !f->handler || !f->full_name) { bo_err_set(err, errlen, "out of memory"); return -1; }
    snprintf(f->full_name, fl, "%s-%s-%s", cfg->service, cfg->stage, name);
    if (env_merge(f, gw_yaml_child(provider, "environment"), root, opts, err, errlen) != 0) return -1;
    if (env_merge(f, gw_yaml_child(fnode, "environment"), root, opts, err, errlen) != 0) return -1;

    const gw_ynode *events = gw_yaml_child(fnode, "events");
    if (!events) return 0;
    if (events->type != GW_Y_SEQ) { bo_err_set(err, errlen, "line %zu: events must be a list", events->line); return -1; }
    for (size_t i = 0; i < events->n; i++) {
        const gw_ynode *http = gw_yaml_child(events->items[i], "http");
        if (!http) continue;                    /* other event sources do not reach the gateway */
        if (http->type == GW_Y_SCALAR) {       /* shorthand "- http: GET concerts" */
            char method[16] = "";
            const char *sp = strchr(http->scalar, ' ');
            if (!sp || (size_t)(sp - http->scalar) >= sizeof method) {
                bo_err_set(err, errlen, "line %zu: http event \"%s\" is not \"METHOD path\"", http->line, http->scalar);
                return -1;
            }
            memcpy(method, http->scalar, (size_t)(sp - http->scalar));
            while (*sp == ' ') sp++;
            if (add_route(cfg, idx, sp, method, false, GW_AUTHZ_NONE, http->line, err, errlen) != 0) return -1;
            continue;
        }
        const char *path = scalar_at(http, "path", &bad);
        const char *method = scalar_at(http, "method", &bad);
        const char *priv = scalar_at(http, "private", &bad);
        if (bad || !path || !method) {
            bo_err_set(err, errlen, "line %zu: http event of %s needs path and method", http->line, name);
            return -1;
        }
        gw_authorizer authz = parse_authorizer(root, gw_yaml_child(http, "authorizer"));
        if (add_route(cfg, idx, path, method, truthy(priv), authz, http->line, err, errlen) != 0) return -1;
    }
    return 0;
}

/* Converts a CloudFormation Properties subtree to DynamoDB JSON: unquoted integers become numbers. */
static cJSON *to_json(const gw_ynode *n)
{
    if (n->type == GW_Y_SCALAR) {
        const char *s = n->scalar;
        if (!n->quoted && *s) {
            char *end;
            double d = strtod(s, &end);
            if (*end == '\0' && (isdigit((unsigned char)s[0]) || s[0] == '-')) return cJSON_CreateNumber(d);
            if (strcmp(s, "true") == 0) return cJSON_CreateTrue();
            if (strcmp(s, "false") == 0) return cJSON_CreateFalse();
        }
        return cJSON_CreateString(s);
    }
    cJSON *out = n->type == GW_Y_MAP ? cJSON_CreateObject() : cJSON_CreateArray();
    if (!out) return NULL;
    for (size_t i = 0; i < n->n; i++) {
        cJSON *c = to_json(n->items[i]);
        if (!c) { cJSON_Delete(out); return NULL; }
        if (n->type == GW_Y_MAP) cJSON_AddItemToObject(out, n->keys[i], c);
        else cJSON_AddItemToArray(out, c);
    }
    return out;
}

static int load_tables(gw_config *cfg, const gw_ynode *root, char *err, size_t errlen)
{
    const gw_ynode *res = gw_yaml_get(root, "resources.Resources");
    if (!res || res->type != GW_Y_MAP) return 0;
    static const char *const keep[] = {"TableName", "AttributeDefinitions", "KeySchema", "BillingMode",
                                       "ProvisionedThroughput", "GlobalSecondaryIndexes",
                                       "LocalSecondaryIndexes"};
    for (size_t i = 0; i < res->n; i++) {
        const char *type = gw_yaml_str(res->items[i], "Type");
        if (!type || strcmp(type, "AWS::DynamoDB::Table") != 0) continue;
        const gw_ynode *props = gw_yaml_child(res->items[i], "Properties");
        const char *tname = gw_yaml_str(props, "TableName");
        if (!tname || strstr(tname, "${") || !*tname) {
            bo_err_set(err, errlen, "resource %s: TableName missing or unresolved", res->keys[i]);
            return -1;
        }
        cJSON *req = cJSON_CreateObject();
        if (!req) goto oom;
        for (size_t k = 0; k < sizeof keep / sizeof *keep; k++) {
            const gw_ynode *v = gw_yaml_child(props, keep[k]);
            if (!v) continue;
            cJSON *j = to_json(v);
            if (!j) { cJSON_Delete(req); goto oom; }
            if (strcmp(keep[k], "TableName") == 0 && !cJSON_IsString(j)) {  /* a numeric-looking name */
                cJSON_Delete(j);
                j = cJSON_CreateString(tname);
                if (!j) { cJSON_Delete(req); goto oom; }
            }
            cJSON_AddItemToObject(req, keep[k], j);
        }
        cJSON **t = realloc(cfg->tables, (cfg->n_tables + 1) * sizeof *t);
        if (!t) { cJSON_Delete(req); goto oom; }
        cfg->tables = t;
        cfg->tables[cfg->n_tables++] = req;
    }
    return 0;
oom:
    bo_err_set(err, errlen, "out of memory");
    return -1;
}

static int load_api_keys(gw_config *cfg, const gw_ynode *root, char *err, size_t errlen)
{
    const gw_ynode *keys = gw_yaml_get(root, "provider.apiGateway.apiKeys");
    if (!keys) keys = gw_yaml_get(root, "provider.apiKeys");     /* framework v1/v2 spelling */
    if (!keys || keys->type != GW_Y_SEQ) return 0;
    for (size_t i = 0; i < keys->n; i++) {
        const gw_ynode *k = keys->items[i];
        cfg->n_api_key_names++;
        const char *value = k->type == GW_Y_MAP ? gw_yaml_str(k, "value") : NULL;
        if (!value || strstr(value, "${") || strlen(value) < 20) continue;  /* AWS wants >= 20 chars */
        char **a = realloc(cfg->api_keys, (cfg->n_api_keys + 1) * sizeof *a);
        if (!a) goto oom;
        cfg->api_keys = a;
        if (!(a[cfg->n_api_keys] = strdup(value))) goto oom;
        cfg->n_api_keys++;
    }
    return 0;
oom:
    bo_err_set(err, errlen, "out of memory");
    return -1;
}

/* The UNAUTHORIZED GatewayResponse's JSON template (resources), else API Gateway's default body. */
static int load_unauthorized(gw_config *cfg, const gw_ynode *root, char *err, size_t errlen)
{
    const gw_ynode *res = gw_yaml_get(root, "resources.Resources");
    const char *body = NULL;
    for (size_t i = 0; res && res->type == GW_Y_MAP && i < res->n && !body; i++) {
        const char *type = gw_yaml_str(res->items[i], "Type");
        const gw_ynode *props = gw_yaml_child(res->items[i], "Properties");
        const char *rt = gw_yaml_str(props, "ResponseType");
        if (!type || strcmp(type, "AWS::ApiGateway::GatewayResponse") != 0 || !rt || strcmp(rt, "UNAUTHORIZED") != 0)
            continue;
        body = gw_yaml_str(gw_yaml_child(props, "ResponseTemplates"), "application/json");
    }
    cJSON *check = body ? cJSON_Parse(body) : NULL;
    bool ok = cJSON_IsObject(check);        /* a template with $context variables is not JSON: the default */
    cJSON_Delete(check);
    cfg->unauthorized_body = strdup(ok ? body : GW_UNAUTHORIZED_DEFAULT);
    if (!cfg->unauthorized_body) { bo_err_set(err, errlen, "out of memory"); return -1; }
    return 0;
}

static int from_tree(gw_ynode *root, const gw_yopts *opts, gw_config *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    if (gw_yaml_resolve(root, opts, NULL, err, errlen) != 0) return -1;
    if (root->type != GW_Y_MAP) { bo_err_set(err, errlen, "the file is not a map"); return -1; }
    const char *service = gw_yaml_str(root, "service");
    if (!service) service = gw_yaml_str(root, "service.name");
    const char *stage = opts && opts->stage ? opts->stage : gw_yaml_str(root, "provider.stage");
    const char *region = opts && opts->region ? opts->region : gw_yaml_str(root, "provider.region");
    if (!stage) stage = "dev";
    if (!region) region = "us-east-1";
    if (!service || strstr(service, "${")) { bo_err_set(err, errlen, "service name missing or unresolved"); return -1; }
    if (strstr(stage, "${") || strstr(region, "${") || strchr(stage, '/') || !*stage) {
        bo_err_set(err, errlen, "provider.stage/region cannot be resolved");
        return -1;
    }
    out->service = strdup(service);
    out->stage = strdup(stage);
    out->region = strdup(region);
    if (!out->service || !out->stage || !out->region) { bo_err_set(err, errlen, "out of memory"); goto fail; }
    const gw_ynode *fns = gw_yaml_child(root, "functions");
    if (!fns || fns->type != GW_Y_MAP || fns->n == 0) { bo_err_set(err, errlen, "no functions"); goto fail; }
    for (size_t i = 0; i < fns->n; i++)
        if (load_function(out, root, opts, fns->keys[i], fns->items[i], err, errlen) != 0) goto fail;
    for (size_t i = 0; i < out->n_routes; i++)
        for (size_t j = 0; j < i; j++)
            if (strcmp(out->routes[i].resource, out->routes[j].resource) == 0 &&
                strcmp(out->routes[i].method, out->routes[j].method) == 0) {
                bo_err_set(err, errlen, "route %s %s is declared twice", out->routes[i].method, out->routes[i].resource);
                goto fail;
            }
    if (load_tables(out, root, err, errlen) != 0) goto fail;
    if (load_api_keys(out, root, err, errlen) != 0) goto fail;
    if (load_unauthorized(out, root, err, errlen) != 0) goto fail;
    return 0;
fail:
    gw_config_free(out);
    return -1;
}

int gw_config_from_text(const char *text, size_t len, const gw_yopts *opts, gw_config *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    gw_ynode *root = gw_yaml_parse(text, len, err, errlen);
    if (!root) return -1;
    int rc = from_tree(root, opts, out, err, errlen);
    gw_yaml_free(root);
    return rc;
}

int gw_config_load(const char *path, const gw_yopts *opts, gw_config *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    char perr[512] = "";
    gw_ynode *root = gw_yaml_load(path, perr, sizeof perr);
    if (!root) { bo_err_set(err, errlen, "%s", perr); return -1; }
    int rc = from_tree(root, opts, out, perr, sizeof perr);
    if (rc != 0) bo_err_set(err, errlen, "%s: %s", path, perr);
    gw_yaml_free(root);
    return rc;
}
