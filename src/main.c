/* boxoffice: resolves the configuration, then runs a CLI subcommand or the interactive box office. */
#include <curl/curl.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "auth.h"
#include "cli.h"
#include "client_config.h"
#include "net_auth_cognito.h"
#include "ui.h"

static bool env_set(const char *name)
{
    const char *v = getenv(name);
    return v != NULL && v[0] != '\0';
}

/* BOXOFFICE_LOCK_AFTER: idle seconds before the box office locks (1..86400); "0" or "off": never; unset or
 * unreadable: the default (0 in ui_options: 5 minutes). */
static int lock_after_s(void)
{
    const char *v = getenv("BOXOFFICE_LOCK_AFTER");
    if (v == NULL || v[0] == '\0')
        return 0;
    if (strcmp(v, "off") == 0 || strcmp(v, "0") == 0)
        return -1;
    char *end = NULL;
    long n = strtol(v, &end, 10);
    return v[0] >= '0' && v[0] <= '9' && *end == '\0' && n >= 1 && n <= 86400 ? (int)n : 0;
}

int main(int argc, char **argv)
{
    cli_args args;
    config cfg;
    char err[512];
    int rc = cli_parse_args(argc, argv, &args, stderr);
    if (rc != CLI_EXIT_OK)
        return rc;
    if (args.cmd == CLI_CMD_HELP) {
        cli_usage(stdout);
        return CLI_EXIT_OK;
    }
    if (args.cmd == CLI_CMD_VERSION) {
        printf("boxoffice %s\n", BOXOFFICE_VERSION);
        return CLI_EXIT_OK;
    }
    if (config_resolve(&args.flags, &cfg, err, sizeof err) != 0) {
        fprintf(stderr, "boxoffice: %s\n", err);
        return CLI_EXIT_USAGE;
    }
    if (args.cmd == CLI_CMD_CONFIG) {
        rc = cli_print_config(&args, &cfg, stdout);
        config_free(&cfg);
        return rc;
    }
    setlocale(LC_ALL, "");
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        fprintf(stderr, "boxoffice: cannot initialise libcurl\n");
        config_free(&cfg);
        return CLI_EXIT_UNAVAILABLE;
    }
    /* the operator's sign-in: configured, or a remembered session (login --remember) */
    auth_config ac = {
        .cognito_url = cfg.cognito_url, .client_id = cfg.client_id, .user = cfg.user, .password = cfg.password,
        .token_file = cfg.token_file, .timeout_ms = args.timeout_s > 0 ? args.timeout_s * 1000L : 10000,
    };
    err[0] = '\0';
    auth_session *auth = auth_session_new(&ac, err, sizeof err);
    if (auth == NULL) {
        fprintf(stderr, "boxoffice: %s\n", err);
        curl_global_cleanup();
        config_free(&cfg);
        return CLI_EXIT_UNAVAILABLE;
    }
    if (err[0] != '\0' && args.cmd != CLI_CMD_LOGOUT && args.cmd != CLI_CMD_LOGIN)
        fprintf(stderr, "boxoffice: warning: %s\n", err);
    api_config api = {
        .base_url = cfg.api_url,
        .auth = auth,
        .connect_timeout_ms = 3000,
        .timeout_ms = args.timeout_s > 0 ? args.timeout_s * 1000L : 10000,
        .purchase_attempts = 3,
    };
    if (args.cmd == CLI_CMD_UI && args.door != NULL && !api_config_operator(&api)) {
        fprintf(stderr, "boxoffice: door mode needs an operator's sign-in (boxoffice login --remember, or "
                        "BOXOFFICE_USER and BOXOFFICE_PASSWORD)\n");
        rc = CLI_EXIT_USAGE;
    } else if (args.cmd == CLI_CMD_UI) {
        net_auth_cognito adapter;
        net_auth_port port;
        net_auth_cognito_init(&adapter, &port, auth, cfg.user);
        bool signin = cfg.cognito_url != NULL && cfg.client_id != NULL; /* else: no sign-in screen, no lock */
        ui_options opts = {
            .api = api,
            .kiosk = args.kiosk,
            .kiosk_pin = cfg.kiosk_pin,
            .idle_timeout_s = cfg.idle_timeout_s,
            .refresh_s = cfg.refresh_s,
            .inspect = args.inspect,
            .no_color = args.no_color || env_set("NO_COLOR"),
            .door_concert_id = args.door,
            .door_name = args.door_name,
            .auth = signin ? &port : NULL,
            .lock_after_s = lock_after_s(),
        };
        rc = ui_run(&opts);
        net_auth_cognito_clear(&adapter);
    } else {
        rc = cli_run(&args, &api, stdout, stderr);
    }
    auth_session_free(auth);
    curl_global_cleanup();
    config_free(&cfg);
    return rc;
}
