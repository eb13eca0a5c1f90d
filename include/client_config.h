#ifndef CLIENT_CONFIG_H
#define CLIENT_CONFIG_H
/* Where the box office finds its API and settings. Precedence, highest first:
 *   api_url:  --api-url, BOXOFFICE_API_URL, config file "api_url", the local stack
 *             http://127.0.0.1:${API_PORT:-3000}/dev
 *   operator sign-in (Cognito, see auth.h):
 *     cognito_url: BOXOFFICE_COGNITO_URL, config file "cognito_url", https://cognito-idp.<AWS_REGION>.amazonaws.com/
 *                  when AWS_REGION (or AWS_DEFAULT_REGION) is set, and only when the URL is the local-stack
 *                  default: COGNITO_URL of ${LOCAL_STATE_DIR:-.local}/cognito.env
 *     client_id:   BOXOFFICE_CLIENT_ID, config file "client_id", the local stack's cognito.env (as above)
 *     user:        BOXOFFICE_USER, config file "user" (an e-mail)
 *     password:    BOXOFFICE_PASSWORD only (never in the config file); else `boxoffice login` asks
 *   The token file (a remembered session, auth.h) is "session" beside the config file.
 *   A config file's api_key line is refused: an API key no longer authorizes anything.
 *   kiosk_pin, refresh_seconds: flag, then config file, then default; idle_timeout_seconds: config file.
 * The config file is $XDG_CONFIG_HOME/boxoffice/config (default ~/.config/boxoffice/config) with
 * "key = value" lines; '#' starts a comment line; a missing file is not an error.
 * Nothing here writes to disk. */
#include <stdbool.h>
#include <stddef.h>

#define CONFIG_REFRESH_DEFAULT_S 5
#define CONFIG_IDLE_DEFAULT_S 60
#define CONFIG_LOCAL_URL_FMT "http://127.0.0.1:%s/dev"
#define CONFIG_VALUE_MAX 1024     /* longest accepted value (URL, key, PIN) */

typedef enum config_source {
    CONFIG_SRC_DEFAULT = 0,   /* built-in default (the local stack) */
    CONFIG_SRC_FLAG,          /* command-line option */
    CONFIG_SRC_ENV,           /* environment variable */
    CONFIG_SRC_FILE,          /* config file */
    CONFIG_SRC_KEY_FILE       /* the local stack's cognito.env (cognito_url, client_id only) */
} config_source;
const char *config_source_name(config_source s); /* "default", "flag", "environment", "config file", "local stack file" */

/* What the command line gave; NULL / -1 = not given. Strings borrowed. */
typedef struct config_flags {
    const char *api_url;
    const char *kiosk_pin;
    int refresh_s;
} config_flags;
#define CONFIG_FLAGS_INIT { NULL, NULL, -1 }

/* The resolved configuration. Every string is owned; config_free() frees them. */
typedef struct config {
    char *api_url;            /* never NULL after a successful config_resolve */
    char *cognito_url;        /* NULL when unknown */
    char *client_id;          /* NULL when unknown */
    char *user;               /* NULL when not given */
    char *password;           /* NULL when not given (from the environment only); wiped by config_free */
    char *kiosk_pin;          /* NULL when none */
    int refresh_s;            /* >= 0; 0 = no auto-refresh */
    int idle_timeout_s;       /* > 0 */
    config_source url_source, cognito_source, user_source;
    char *file_path;          /* the config file consulted (may not exist); NULL when no HOME */
    char *token_file;         /* the remembered session's file (auth.h); NULL when no HOME */
} config;

/* Resolves the configuration from flags, the environment (getenv) and the config file.
 * Returns 0, or -1 with a person-readable message in err (e.g. a bad line in the config file,
 * an out-of-range value, OOM). On -1 *out holds nothing to free. */
int config_resolve(const config_flags *flags, config *out, char *err, size_t errcap);
void config_free(config *c);

/* Path of the config file: $XDG_CONFIG_HOME/boxoffice/config, else $HOME/.config/boxoffice/config.
 * Newly allocated (caller frees), NULL when neither variable is set or on OOM. */
char *config_default_path(void);

/* What to do when nothing answers at the API's URL (CONFIG_HINT_URL) or an operator command is not signed
 * in (CONFIG_HINT_KEY): where the setting goes (variable, flag, the config file's path with ~ for $HOME) and
 * how the local stack gives it. Lines separated by '\n' (none at the end), cut to cap. */
typedef enum config_hint_kind { CONFIG_HINT_URL, CONFIG_HINT_KEY } config_hint_kind;
void config_hint(config_hint_kind kind, char *out, size_t cap);

#endif
