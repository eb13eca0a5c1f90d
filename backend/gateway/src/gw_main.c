/* local-gateway: API Gateway + the Lambda service on one machine, for the local stack.
 * Reads backend/serverless.yml, serves its routes at http://HOST:PORT/<stage>/..., runs the real
 * `bootstrap` as Lambda workers over the Runtime API. See --help. */
#include <curl/curl.h>
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "gw_config.h"
#include "gw_http.h"
#include "gw_jwks.h"
#include "gw_log.h"
#include "gw_pool.h"
#include "gw_tables.h"

#define MAX_EXTRA_ENV 64

static void usage(FILE *f)
{
    fputs("usage: local-gateway [options]\n"
          "  --config PATH            serverless.yml (default: ../serverless.yml beside this binary)\n"
          "  --host ADDR              listen address (default 127.0.0.1)\n"
          "  --port N                 API port (default 3000; 0 = any free port)\n"
          "  --stage NAME             like serverless --stage (default: the file's, i.e. dev)\n"
          "  --region NAME            like serverless --region\n"
          "  --bootstrap PATH         the custom runtime to run (default: task/bootstrap beside this binary,\n"
          "                           i.e. bootstrap.zip as unpacked by make -C backend package)\n"
          "  --dynamodb-endpoint URL  AWS_ENDPOINT_URL_DYNAMODB for the workers and --create-tables\n"
          "                           (default http://127.0.0.1:8000)\n"
          "  --api-key KEY            operator key for private routes (default: $BOXOFFICE_API_KEY)\n"
          "  --api-key-file PATH      read the operator key from a file\n"
          "  --cognito-issuer ISS     the user pool's issuer, exactly as in its tokens' iss (e.g.\n"
          "                           http://127.0.0.1:9229/local_abc); routes with a COGNITO_USER_POOLS\n"
          "                           authorizer demand an ID token of that pool in Authorization, and\n"
          "                           answer 401 for every request while none is set (default:\n"
          "                           $GW_COGNITO_ISSUER). Its last path segment is the pool id that an\n"
          "                           environment value {Ref: <the AWS::Cognito::UserPool>} becomes\n"
          "  --cognito-jwks URL       the pool's signing keys (default: $GW_COGNITO_JWKS, else\n"
          "                           ISS/.well-known/jwks.json); fetched on first use, again on an unknown\n"
          "                           kid (at most every 5 s)\n"
          "  --concurrency N          max workers per function (default 10)\n"
          "  --idle-timeout-ms N      stop a worker idle this long (default 300000)\n"
          "  --queue-timeout-ms N     max wait for a free worker before 429 (default 10000)\n"
          "  --timeout SEC            override every function's timeout\n"
          "  --integration-timeout-ms N  API Gateway's wait for a function (default 29000): then 504\n"
          "  --max-body BYTES         larger request bodies get 413 (default 6291456)\n"
          "  --env KEY=VALUE          extra environment for the workers (repeatable)\n"
          "  --create-tables          create the missing tables of `resources`, wait until ACTIVE, exit\n"
          "  --print-config           print the resolved routes and functions as JSON, exit\n"
          "Logs go to stdout: Lambda lines \"[function] START/END/REPORT ...\", the functions' own output\n"
          "prefixed \"[function] \", and JSON lines for access and worker events.\n",
          f);
}

static int parse_num(const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end || v < lo || v > hi) return -1;
    *out = v;
    return 0;
}

static int read_key_file(const char *path, char *buf, size_t len)
{
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    if (!fgets(buf, (int)len, f)) buf[0] = '\0';
    fclose(f);
    buf[strcspn(buf, "\r\n")] = '\0';
    return buf[0] ? 0 : -1;
}

static int print_config(const gw_config *cfg)
{
    cJSON *j = cJSON_CreateObject();
    cJSON *routes = j ? cJSON_AddArrayToObject(j, "routes") : NULL;
    cJSON *fns = j ? cJSON_AddArrayToObject(j, "functions") : NULL;
    cJSON *tables = j ? cJSON_AddArrayToObject(j, "tables") : NULL;
    if (!routes || !fns || !tables) { cJSON_Delete(j); return 1; }
    cJSON_AddStringToObject(j, "service", cfg->service);
    cJSON_AddStringToObject(j, "stage", cfg->stage);
    cJSON_AddStringToObject(j, "region", cfg->region);
    for (size_t i = 0; i < cfg->n_routes; i++) {
        cJSON *r = cJSON_CreateObject();
        cJSON_AddStringToObject(r, "method", cfg->routes[i].method);
        cJSON_AddStringToObject(r, "resource", cfg->routes[i].resource);
        cJSON_AddStringToObject(r, "function", cfg->functions[cfg->routes[i].fn].name);
        cJSON_AddBoolToObject(r, "private", cfg->routes[i].private_route);
        static const char *const authz[] = {"none", "cognito", "unsupported"};
        cJSON_AddStringToObject(r, "authorizer", authz[cfg->routes[i].authorizer]);
        cJSON_AddItemToArray(routes, r);
    }
    for (size_t i = 0; i < cfg->n_functions; i++) {
        const gw_function *f = &cfg->functions[i];
        cJSON *o = cJSON_CreateObject();
        cJSON_AddStringToObject(o, "name", f->name);
        cJSON_AddStringToObject(o, "functionName", f->full_name);
        cJSON_AddStringToObject(o, "handler", f->handler);
        cJSON_AddNumberToObject(o, "memorySize", f->memory_mb);
        cJSON_AddNumberToObject(o, "timeout", f->timeout_s);
        cJSON *env = cJSON_AddObjectToObject(o, "environment");
        for (size_t k = 0; k < f->n_env; k++) {
            char *eq = strchr(f->env[k], '=');
            char key[256];
            snprintf(key, sizeof key, "%.*s", (int)(eq - f->env[k]), f->env[k]);
            cJSON_AddStringToObject(env, key, eq + 1);
        }
        cJSON_AddItemToArray(fns, o);
    }
    for (size_t i = 0; i < cfg->n_tables; i++) cJSON_AddItemToArray(tables, cJSON_Duplicate(cfg->tables[i], 1));
    cJSON_AddStringToObject(j, "unauthorizedBody", cfg->unauthorized_body);
    char *s = cJSON_Print(j);
    if (s) puts(s);
    free(s);
    cJSON_Delete(j);
    return 0;
}

/* The command line, resolved. */
typedef struct gw_args {
    char def_config[PATH_MAX + 32], def_bootstrap[PATH_MAX + 24];
    const char *config, *host, *bootstrap, *ddb, *api_key, *cognito_issuer, *cognito_jwks;
    char key_buf[512];
    char pool_id[128];         /* the last path segment of cognito_issuer */
    long port, concurrency, idle_ms, queue_ms, timeout_s, max_body, integ_ms;
    char *extra_env[MAX_EXTRA_ENV];
    size_t n_extra;
    int create_tables, show_config;
    gw_yopts yopts;
} gw_args;

/* The defaults: the config and bootstrap beside this binary, the other options' documented values. */
static void args_defaults(gw_args *a)
{
    memset(a, 0, sizeof *a);
    char exe_dir[PATH_MAX] = ".";
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n > 0) { self[n] = '\0'; snprintf(exe_dir, sizeof exe_dir, "%s", dirname(self)); }
    snprintf(a->def_config, sizeof a->def_config, "%s/../serverless.yml", exe_dir);
    snprintf(a->def_bootstrap, sizeof a->def_bootstrap, "%s/task/bootstrap", exe_dir);
    a->config = a->def_config;
    a->host = "127.0.0.1";
    a->bootstrap = a->def_bootstrap;
    a->ddb = "http://127.0.0.1:8000";
    a->api_key = getenv("BOXOFFICE_API_KEY");
    a->cognito_issuer = getenv("GW_COGNITO_ISSUER");
    a->cognito_jwks = getenv("GW_COGNITO_JWKS");
    a->port = 3000;
    a->concurrency = 10;
    a->idle_ms = 300000;
    a->queue_ms = 10000;
    a->max_body = 6291456;
    a->integ_ms = 29000;
}

/* Reads the options into *a. -1 to go on, else the exit status (0 after --help, 2 on a usage error). */
static int parse_args(int argc, char **argv, gw_args *a)
{
    enum { O_CONFIG = 256, O_HOST, O_PORT, O_STAGE, O_REGION, O_BOOT, O_DDB, O_KEY, O_KEYFILE, O_CONC, O_IDLE,
           O_QUEUE, O_TIMEOUT, O_MAXBODY, O_ENV, O_CREATE, O_PRINT, O_HELP, O_INTEG, O_ISSUER, O_JWKS };
    static const struct option longopts[] = {
        {"config", required_argument, NULL, O_CONFIG}, {"host", required_argument, NULL, O_HOST},
        {"port", required_argument, NULL, O_PORT}, {"stage", required_argument, NULL, O_STAGE},
        {"region", required_argument, NULL, O_REGION}, {"bootstrap", required_argument, NULL, O_BOOT},
        {"dynamodb-endpoint", required_argument, NULL, O_DDB}, {"api-key", required_argument, NULL, O_KEY},
        {"api-key-file", required_argument, NULL, O_KEYFILE}, {"concurrency", required_argument, NULL, O_CONC},
        {"idle-timeout-ms", required_argument, NULL, O_IDLE}, {"queue-timeout-ms", required_argument, NULL, O_QUEUE},
        {"timeout", required_argument, NULL, O_TIMEOUT}, {"max-body", required_argument, NULL, O_MAXBODY},
        {"env", required_argument, NULL, O_ENV}, {"create-tables", no_argument, NULL, O_CREATE},
        {"print-config", no_argument, NULL, O_PRINT}, {"help", no_argument, NULL, O_HELP},
        {"integration-timeout-ms", required_argument, NULL, O_INTEG},
        {"cognito-issuer", required_argument, NULL, O_ISSUER}, {"cognito-jwks", required_argument, NULL, O_JWKS},
        {NULL, 0, NULL, 0}};
    int ch;
    while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        int bad = 0;
        switch (ch) {
        case O_CONFIG: a->config = optarg; break;
        case O_HOST: a->host = optarg; break;
        case O_PORT: bad = parse_num(optarg, 0, 65535, &a->port); break;
        case O_STAGE: a->yopts.stage = optarg; break;
        case O_REGION: a->yopts.region = optarg; break;
        case O_BOOT: a->bootstrap = optarg; break;
        case O_DDB: a->ddb = optarg; break;
        case O_KEY: a->api_key = optarg; break;
        case O_KEYFILE:
            if (read_key_file(optarg, a->key_buf, sizeof a->key_buf) != 0) {
                fprintf(stderr, "local-gateway: cannot read a key from %s\n", optarg);
                return 2;
            }
            a->api_key = a->key_buf;
            break;
        case O_CONC: bad = parse_num(optarg, 1, 1000, &a->concurrency); break;
        case O_IDLE: bad = parse_num(optarg, 1, 86400000, &a->idle_ms); break;
        case O_QUEUE: bad = parse_num(optarg, 0, 600000, &a->queue_ms); break;
        case O_TIMEOUT: bad = parse_num(optarg, 1, 900, &a->timeout_s); break;
        case O_MAXBODY: bad = parse_num(optarg, 0, 64L * 1024 * 1024, &a->max_body); break;
        case O_INTEG: bad = parse_num(optarg, 1, 900000, &a->integ_ms); break;
        case O_ISSUER: a->cognito_issuer = optarg; break;
        case O_JWKS: a->cognito_jwks = optarg; break;
        case O_ENV:
            if (!strchr(optarg, '=') || a->n_extra == MAX_EXTRA_ENV) bad = -1;
            else a->extra_env[a->n_extra++] = optarg;
            break;
        case O_CREATE: a->create_tables = 1; break;
        case O_PRINT: a->show_config = 1; break;
        case O_HELP: usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
        if (bad) {
            fprintf(stderr, "local-gateway: bad value for --%s: %s\n", longopts[ch - O_CONFIG].name, optarg);
            return 2;
        }
    }
    if (optind < argc) { usage(stderr); return 2; }
    if (a->cognito_issuer && *a->cognito_issuer) {
        const char *iss = a->cognito_issuer;
        size_t n = strlen(iss);
        while (n > 0 && iss[n - 1] == '/') n--;
        const char *slash = memrchr(iss, '/', n);
        if (strncmp(iss, "http://", 7) != 0 && strncmp(iss, "https://", 8) != 0) {
            fprintf(stderr, "local-gateway: --cognito-issuer must be an http(s) URL: %s\n", iss);
            return 2;
        }
        if (slash && (size_t)(slash - iss) > 8 && (size_t)(iss + n - slash - 1) < sizeof a->pool_id)
            snprintf(a->pool_id, sizeof a->pool_id, "%.*s", (int)(iss + n - slash - 1), slash + 1);
        a->yopts.user_pool_id = a->pool_id[0] ? a->pool_id : NULL;
    }
    return -1;
}

/* Runs the gateway on cfg until SIGINT, SIGTERM or SIGHUP: the exit status. */
static int serve(const gw_args *a, const gw_config *cfg)
{
    char err[1024] = "";
    char boot_abs[PATH_MAX], root_buf[PATH_MAX];
    if (!realpath(a->bootstrap, boot_abs) || access(boot_abs, X_OK) != 0) {
        fprintf(stderr, "local-gateway: bootstrap %s is missing or not executable (make -C backend package)\n",
                a->bootstrap);
        return 1;
    }
    snprintf(root_buf, sizeof root_buf, "%s", boot_abs);
    const char *task_root = dirname(root_buf);

    /* Many workers and connections need descriptors: take the hard limit (poll() has no FD_SETSIZE cap). */
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }

    /* Signals: SIGINT/SIGTERM are taken by sigwait below; every thread inherits the mask. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    gw_pool_options po = {
        .bootstrap = boot_abs, .task_root = task_root, .ddb_endpoint = a->ddb, .concurrency = (int)a->concurrency,
        .idle_timeout_ms = (int)a->idle_ms, .queue_timeout_ms = (int)a->queue_ms, .timeout_s = (int)a->timeout_s,
        .extra_env = a->extra_env, .n_extra_env = a->n_extra,
    };
    gw_pool *pool = gw_pool_start(cfg, &po, err, sizeof err);
    if (!pool) {
        fprintf(stderr, "local-gateway: %s\n", err);
        return 1;
    }
    gw_jwks *jwks = NULL;       /* its fetches use libcurl from connection threads: initialise it first */
    if (a->cognito_issuer && *a->cognito_issuer && curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        fprintf(stderr, "local-gateway: curl_global_init failed\n");
        gw_pool_free(pool);
        return 1;
    }
    if (a->cognito_issuer && *a->cognito_issuer && !(jwks = gw_jwks_new(a->cognito_issuer, a->cognito_jwks))) {
        fprintf(stderr, "local-gateway: out of memory\n");
        gw_pool_free(pool);
        return 1;
    }
    gw_http_options ho = {.host = a->host, .port = (uint16_t)a->port, .max_body = (size_t)a->max_body,
                          .api_key = a->api_key, .integration_timeout_ms = (int)a->integ_ms, .jwks = jwks};
    gw_http *http = gw_http_start(cfg, pool, &ho, err, sizeof err);
    if (!http) {
        fprintf(stderr, "local-gateway: %s\n", err);
        gw_pool_free(pool);
        gw_jwks_free(jwks);
        return 1;
    }
    char now[32];
    gw_log_now(now);
    gw_log(NULL, "{\"time\":\"%s\",\"event\":\"listening\",\"url\":\"http://%s:%u/%s\",\"pid\":%d,\"bootstrap\":\"%s\","
                 "\"functions\":%zu,\"routes\":%zu,\"concurrency\":%ld,\"operatorKey\":%s,\"cognitoIssuer\":%s%s%s}",
           now, a->host, (unsigned)gw_http_port(http), cfg->stage, (int)getpid(), boot_abs, cfg->n_functions,
           cfg->n_routes, a->concurrency, a->api_key && *a->api_key ? "true" : "false",
           jwks ? "\"" : "", jwks ? gw_jwks_issuer(jwks) : "null", jwks ? "\"" : "");

    int sig = 0;
    sigwait(&stop, &sig);
    gw_log_now(now);
    gw_log(NULL, "{\"time\":\"%s\",\"event\":\"stopping\",\"signal\":%d}", now, sig);
    gw_pool_stop(pool);
    gw_http_stop(http);
    gw_pool_free(pool);
    gw_jwks_free(jwks);
    return 0;
}

int main(int argc, char **argv)
{
    gw_args a;
    args_defaults(&a);
    int rc = parse_args(argc, argv, &a);
    if (rc >= 0)
        return rc;
    char err[1024] = "";
    gw_config cfg;
    if (gw_config_load(a.config, &a.yopts, &cfg, err, sizeof err) != 0) {
        fprintf(stderr, "local-gateway: %s\n", err);
        return 1;
    }
    if (a.show_config) {
        rc = print_config(&cfg);
    } else if (a.create_tables) {
        rc = gw_tables_ensure(&cfg, a.ddb, 30000, err, sizeof err) == 0 ? 0 : 1;
        if (rc != 0) fprintf(stderr, "local-gateway: %s\n", err);
    } else {
        rc = serve(&a, &cfg);
    }
    gw_config_free(&cfg);
    return rc;
}
