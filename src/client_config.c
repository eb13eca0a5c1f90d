/* Configuration resolution: flags, environment, config file, local-stack defaults (see client_config.h). */
#include "client_config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "bo_err.h"

#define LINE_MAX_BYTES 2048

/* Values read from the config file; NULL / -1 when absent. Strings owned. */
typedef struct file_values {
    char *api_url, *cognito_url, *client_id, *user, *kiosk_pin;
    int refresh_s, idle_timeout_s;
} file_values;

const char *config_source_name(config_source s)
{
    switch (s) {
    case CONFIG_SRC_DEFAULT: return "default";
    case CONFIG_SRC_FLAG: return "flag";
    case CONFIG_SRC_ENV: return "environment";
    case CONFIG_SRC_FILE: return "config file";
    case CONFIG_SRC_KEY_FILE: return "local stack file";
    }
    return "?";
}

static const char *env_nonempty(const char *name)
{
    const char *v = getenv(name);
    return (v != NULL && v[0] != '\0') ? v : NULL;
}

char *config_default_path(void)
{
    const char *xdg = env_nonempty("XDG_CONFIG_HOME");
    const char *home = env_nonempty("HOME");
    const char *base, *suffix;
    if (xdg != NULL) {
        base = xdg;
        suffix = "/boxoffice/config";
    } else if (home != NULL) {
        base = home;
        suffix = "/.config/boxoffice/config";
    } else {
        return NULL;
    }
    size_t n = strlen(base) + strlen(suffix) + 1;
    char *p = malloc(n);
    if (p != NULL)
        snprintf(p, n, "%s%s", base, suffix);
    return p;
}

void config_hint(config_hint_kind kind, char *out, size_t cap)
{
    char *path = config_default_path();
    const char *home = env_nonempty("HOME"), *file = path != NULL ? path : "~/.config/boxoffice/config";
    size_t hl = home != NULL ? strlen(home) : 0;
    bool tilde = path != NULL && hl > 1 && strncmp(path, home, hl) == 0 && path[hl] == '/';
    if (cap == 0)
        goto cleanup;
    if (kind == CONFIG_HINT_URL)
        snprintf(out, cap,
                 "Start the local stack with `make local-up` (or `make run`),\n"
                 "or set the API's URL in BOXOFFICE_API_URL (or --api-url),\n"
                 "or as api_url in %s%s",
                 tilde ? "~" : "", tilde ? file + hl : file);
    else
        snprintf(out, cap,
                 "Sign in as an operator: `boxoffice login`\n"
                 "(scripts: BOXOFFICE_USER and BOXOFFICE_PASSWORD);\n"
                 "the user pool: BOXOFFICE_COGNITO_URL and BOXOFFICE_CLIENT_ID,\n"
                 "or cognito_url and client_id in %s%s;\n"
                 "`make local-up` prints the local stack's manager sign-in",
                 tilde ? "~" : "", tilde ? file + hl : file);
cleanup:
    free(path);
}

/* Trims ASCII white space in place; returns the start. */
static char *trim(char *s)
{
    while (*s != '\0' && isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}

/* Parses a non-negative int in [lo, hi]. Returns 0 or -1. */
static int parse_int(const char *s, int lo, int hi, int *out)
{
    char *end = NULL;
    if (s == NULL || !isdigit((unsigned char)s[0]))
        return -1;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno != 0 || *end != '\0' || v < lo || v > hi)
        return -1;
    *out = (int)v;
    return 0;
}

static bool has_control(const char *s)
{
    for (; *s != '\0'; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return true;
    return false;
}

static void file_values_free(file_values *v)
{
    free(v->api_url);
    free(v->cognito_url);
    free(v->client_id);
    free(v->user);
    free(v->kiosk_pin);
    v->api_url = v->cognito_url = v->client_id = v->user = v->kiosk_pin = NULL;
}

/* Sets *slot to a copy of value, replacing an earlier one (the last line wins). */
static int set_str(char **slot, const char *value)
{
    char *copy = strdup(value);
    if (copy == NULL)
        return -1;
    free(*slot);
    *slot = copy;
    return 0;
}

/* Reads the config file. A missing file leaves everything unset and returns 0. */
static int load_file(const char *path, file_values *v, char *err, size_t errcap)
{
    v->api_url = v->cognito_url = v->client_id = v->user = v->kiosk_pin = NULL;
    v->refresh_s = v->idle_timeout_s = -1;
    if (path == NULL)
        return 0;
    FILE *f = fopen(path, "r");
    if (f == NULL) {
        if (errno == ENOENT || errno == ENOTDIR)
            return 0;
        bo_err_set(err, errcap, "cannot read %s: %s", path, strerror(errno));
        return -1;
    }
    char line[LINE_MAX_BYTES];
    int lineno = 0;
    int rc = 0;
    while (fgets(line, sizeof line, f) != NULL) {
        lineno++;
        size_t len = strlen(line);
        if (len == sizeof line - 1 && line[len - 1] != '\n' && !feof(f)) {
            bo_err_set(err, errcap, "%s:%d: line too long", path, lineno);
            rc = -1;
            break;
        }
        char *s = trim(line);
        if (s[0] == '\0' || s[0] == '#' || s[0] == ';')
            continue;
        char *eq = strchr(s, '=');
        if (eq == NULL) {
            bo_err_set(err, errcap, "%s:%d: expected \"key = value\"", path, lineno);
            rc = -1;
            break;
        }
        *eq = '\0';
        char *key = trim(s);
        char *value = trim(eq + 1);
        size_t vlen = strlen(value);
        if (vlen >= 2 && (value[0] == '"' || value[0] == '\'') && value[vlen - 1] == value[0]) {
            value[vlen - 1] = '\0';
            value++;
        }
        if (strlen(value) > CONFIG_VALUE_MAX || has_control(value)) {
            bo_err_set(err, errcap, "%s:%d: bad value for %s", path, lineno, key);
            rc = -1;
            break;
        }
        int r = 0;
        if (strcmp(key, "api_url") == 0) {
            r = set_str(&v->api_url, value);
        } else if (strcmp(key, "api_key") == 0) {
            bo_err_set(err, errcap, "%s:%d: api_key no longer authorizes anything: remove the line and sign in "
                   "(boxoffice login)", path, lineno);
            rc = -1;
            break;
        } else if (strcmp(key, "cognito_url") == 0) {
            r = set_str(&v->cognito_url, value);
        } else if (strcmp(key, "client_id") == 0) {
            r = set_str(&v->client_id, value);
        } else if (strcmp(key, "user") == 0) {
            r = set_str(&v->user, value);
        } else if (strcmp(key, "kiosk_pin") == 0) {
            r = set_str(&v->kiosk_pin, value);
        } else if (strcmp(key, "refresh_seconds") == 0) {
            if (parse_int(value, 0, 86400, &v->refresh_s) != 0) {
                bo_err_set(err, errcap, "%s:%d: refresh_seconds must be 0..86400", path, lineno);
                rc = -1;
                break;
            }
        } else if (strcmp(key, "idle_timeout_seconds") == 0) {
            if (parse_int(value, 1, 86400, &v->idle_timeout_s) != 0) {
                bo_err_set(err, errcap, "%s:%d: idle_timeout_seconds must be 1..86400", path, lineno);
                rc = -1;
                break;
            }
        } else {
            bo_err_set(err, errcap, "%s:%d: unknown key \"%.40s\" (known: api_url, cognito_url, client_id, user, "
                   "refresh_seconds, kiosk_pin, idle_timeout_seconds)", path, lineno, key);
            rc = -1;
            break;
        }
        if (r != 0) {
            bo_err_set(err, errcap, "out of memory");
            rc = -1;
            break;
        }
    }
    if (rc == 0 && ferror(f)) {
        bo_err_set(err, errcap, "cannot read %s", path);
        rc = -1;
    }
    fclose(f);
    if (rc != 0)
        file_values_free(v);
    return rc;
}

/* The value of "KEY=" in the local stack's cognito.env (its lines KEY=value), trimmed; NULL when absent. */
static char *read_env_file(const char *path, const char *key)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return NULL;
    char buf[CONFIG_VALUE_MAX + 64];
    char *res = NULL;
    size_t kl = strlen(key);
    while (res == NULL && fgets(buf, sizeof buf, f) != NULL) {
        if (strncmp(buf, key, kl) != 0 || buf[kl] != '=')
            continue;
        char *s = trim(buf + kl + 1);
        if (s[0] != '\0' && !has_control(s))
            res = strdup(s);
    }
    fclose(f);
    return res;
}

static bool url_ok(const char *u)
{
    return (strncmp(u, "http://", 7) == 0 && u[7] != '\0') || (strncmp(u, "https://", 8) == 0 && u[8] != '\0');
}

void config_free(config *c)
{
    if (c == NULL)
        return;
    free(c->api_url);
    free(c->cognito_url);
    free(c->client_id);
    free(c->user);
    if (c->password != NULL) {
        volatile char *v = c->password;
        for (size_t i = 0; v[i] != '\0'; i++)
            v[i] = '\0';
        free(c->password);
    }
    free(c->kiosk_pin);
    free(c->file_path);
    free(c->token_file);
    memset(c, 0, sizeof *c);
}

int config_resolve(const config_flags *flags, config *out, char *err, size_t errcap)
{
    static const config_flags none = CONFIG_FLAGS_INIT;
    file_values fv;
    if (flags == NULL)
        flags = &none;
    memset(out, 0, sizeof *out);
    out->file_path = config_default_path();
    if (load_file(out->file_path, &fv, err, errcap) != 0) {
        config_free(out);
        return -1;
    }

    /* api_url */
    const char *url = NULL;
    char local[128];
    if (flags->api_url != NULL) {
        url = flags->api_url;
        out->url_source = CONFIG_SRC_FLAG;
    } else if (env_nonempty("BOXOFFICE_API_URL") != NULL) {
        url = env_nonempty("BOXOFFICE_API_URL");
        out->url_source = CONFIG_SRC_ENV;
    } else if (fv.api_url != NULL && fv.api_url[0] != '\0') {
        url = fv.api_url;
        out->url_source = CONFIG_SRC_FILE;
    } else {
        const char *port = env_nonempty("API_PORT");
        int p;
        if (port == NULL)
            port = "3000";
        if (parse_int(port, 1, 65535, &p) != 0) {
            bo_err_set(err, errcap, "API_PORT must be a port number 1..65535");
            goto fail;
        }
        snprintf(local, sizeof local, CONFIG_LOCAL_URL_FMT, port);
        url = local;
        out->url_source = CONFIG_SRC_DEFAULT;
    }
    if (!url_ok(url) || strlen(url) > CONFIG_VALUE_MAX || has_control(url)) {
        bo_err_set(err, errcap, "the API URL (from %s) must start with http:// or https://",
               config_source_name(out->url_source));
        goto fail;
    }
    out->api_url = strdup(url);
    if (out->api_url == NULL)
        goto oom;
    /* strip trailing slashes: the client appends "/concerts" */
    for (size_t n = strlen(out->api_url); n > 8 && out->api_url[n - 1] == '/'; n--)
        out->api_url[n - 1] = '\0';

    /* the operator sign-in */
    out->token_file = auth_default_token_file();
    char local_env[4096] = "";
    if (out->url_source == CONFIG_SRC_DEFAULT) {
        const char *dir = env_nonempty("LOCAL_STATE_DIR");
        if ((size_t)snprintf(local_env, sizeof local_env, "%s/cognito.env", dir != NULL ? dir : ".local") >= sizeof local_env)
            local_env[0] = '\0';
    }
    const char *cu = env_nonempty("BOXOFFICE_COGNITO_URL"), *ci = env_nonempty("BOXOFFICE_CLIENT_ID");
    out->cognito_source = CONFIG_SRC_ENV;
    if (cu == NULL && ci == NULL && (fv.cognito_url != NULL || fv.client_id != NULL)) {
        cu = fv.cognito_url;
        ci = fv.client_id;
        out->cognito_source = CONFIG_SRC_FILE;
    }
    if ((cu != NULL && (out->cognito_url = strdup(cu)) == NULL) || (ci != NULL && (out->client_id = strdup(ci)) == NULL))
        goto oom;
    if (cu == NULL && ci == NULL && local_env[0] != '\0') {
        out->cognito_url = read_env_file(local_env, "COGNITO_URL");
        out->client_id = read_env_file(local_env, "CLIENT_ID");
        out->cognito_source = CONFIG_SRC_KEY_FILE;
    }
    if (out->cognito_url == NULL) {
        const char *region = env_nonempty("AWS_REGION");
        if (region == NULL)
            region = env_nonempty("AWS_DEFAULT_REGION");
        if (region != NULL && strlen(region) < 64 && !has_control(region)) {
            char u[128];
            snprintf(u, sizeof u, "https://cognito-idp.%s.amazonaws.com/", region);
            if ((out->cognito_url = strdup(u)) == NULL)
                goto oom;
            if (out->client_id == NULL)
                out->cognito_source = CONFIG_SRC_DEFAULT;
        }
    }
    if (out->cognito_url != NULL && (!url_ok(out->cognito_url) || strlen(out->cognito_url) > CONFIG_VALUE_MAX
                                     || has_control(out->cognito_url))) {
        bo_err_set(err, errcap, "the Cognito URL (from %s) must start with http:// or https://",
               config_source_name(out->cognito_source));
        goto fail;
    }
    if (out->client_id != NULL && (has_control(out->client_id) || strlen(out->client_id) > 128)) {
        bo_err_set(err, errcap, "the Cognito app client id (from %s) is not an id", config_source_name(out->cognito_source));
        goto fail;
    }
    const char *user = env_nonempty("BOXOFFICE_USER");
    out->user_source = CONFIG_SRC_ENV;
    if (user == NULL && fv.user != NULL && fv.user[0] != '\0') {
        user = fv.user;
        out->user_source = CONFIG_SRC_FILE;
    }
    if (user != NULL) {
        if (has_control(user) || strlen(user) > 256) {
            bo_err_set(err, errcap, "the user (from %s) holds control characters or is too long",
                   config_source_name(out->user_source));
            goto fail;
        }
        if ((out->user = strdup(user)) == NULL)
            goto oom;
        const char *pw = env_nonempty("BOXOFFICE_PASSWORD");
        if (pw != NULL) {
            if (has_control(pw) || strlen(pw) > 256) {
                bo_err_set(err, errcap, "BOXOFFICE_PASSWORD holds control characters or is too long");
                goto fail;
            }
            if ((out->password = strdup(pw)) == NULL)
                goto oom;
        }
    }

    /* kiosk_pin */
    const char *pin = flags->kiosk_pin != NULL ? flags->kiosk_pin : fv.kiosk_pin;
    if (pin != NULL && pin[0] != '\0') {
        if (has_control(pin) || strlen(pin) > 64) {
            bo_err_set(err, errcap, "the kiosk PIN must be at most 64 printable characters");
            goto fail;
        }
        out->kiosk_pin = strdup(pin);
        if (out->kiosk_pin == NULL)
            goto oom;
    }

    /* numbers */
    out->refresh_s = flags->refresh_s >= 0 ? flags->refresh_s
                   : fv.refresh_s >= 0 ? fv.refresh_s : CONFIG_REFRESH_DEFAULT_S;
    out->idle_timeout_s = fv.idle_timeout_s > 0 ? fv.idle_timeout_s : CONFIG_IDLE_DEFAULT_S;
    file_values_free(&fv);
    return 0;

oom:
    bo_err_set(err, errcap, "out of memory");
fail:
    file_values_free(&fv);
    config_free(out);
    return -1;
}
