/* The CLI's dispatcher: runs a parsed command through the command table (cli_table.h), and "boxoffice
 * config" (see cli.h). */
#include <cjson/cJSON.h>
#include <stdio.h>

#include "cli.h"
#include "cli_table.h"
#include "cli_out.h"

static const char *source_token(config_source s)
{
    switch (s) {
    case CONFIG_SRC_DEFAULT: return "default";
    case CONFIG_SRC_FLAG: return "flag";
    case CONFIG_SRC_ENV: return "env";
    case CONFIG_SRC_FILE: return "file";
    case CONFIG_SRC_KEY_FILE: return "local-stack";
    }
    return "?";
}

int cli_print_config(const cli_args *a, const config *cfg, FILE *out)
{
    FILE *f = cfg->file_path != NULL ? fopen(cfg->file_path, "r") : NULL;
    bool file_exists = f != NULL;
    if (f != NULL)
        fclose(f);
    if (a->json) {
        cJSON *j = cJSON_CreateObject();
        if (j == NULL || cJSON_AddStringToObject(j, "apiUrl", cfg->api_url) == NULL
            || cJSON_AddStringToObject(j, "apiUrlSource", source_token(cfg->url_source)) == NULL
            || (cfg->cognito_url != NULL && cJSON_AddStringToObject(j, "cognitoUrl", cfg->cognito_url) == NULL)
            || cJSON_AddBoolToObject(j, "clientIdSet", cfg->client_id != NULL) == NULL
            || ((cfg->cognito_url != NULL || cfg->client_id != NULL)
                && cJSON_AddStringToObject(j, "cognitoSource", source_token(cfg->cognito_source)) == NULL)
            || cJSON_AddBoolToObject(j, "userSet", cfg->user != NULL) == NULL
            || cJSON_AddBoolToObject(j, "passwordSet", cfg->password != NULL) == NULL
            || (cfg->token_file != NULL && cJSON_AddStringToObject(j, "tokenFile", cfg->token_file) == NULL)
            || cJSON_AddNumberToObject(j, "refreshSeconds", cfg->refresh_s) == NULL
            || cJSON_AddNumberToObject(j, "idleTimeoutSeconds", cfg->idle_timeout_s) == NULL
            || cJSON_AddBoolToObject(j, "kioskPinSet", cfg->kiosk_pin != NULL) == NULL
            || (cfg->file_path != NULL && cJSON_AddStringToObject(j, "configFile", cfg->file_path) == NULL)
            || cJSON_AddBoolToObject(j, "configFileExists", file_exists) == NULL) {
            cJSON_Delete(j);
            j = NULL;
        }
        return cli_print_json(out, stderr, j);
    }
    fprintf(out, "api_url               %s (%s)\n", cfg->api_url,
            cfg->url_source == CONFIG_SRC_DEFAULT ? "default: the local stack" : config_source_name(cfg->url_source));
    if (cfg->cognito_url != NULL)
        fprintf(out, "cognito_url           %s (%s)\n", cfg->cognito_url, config_source_name(cfg->cognito_source));
    else
        fprintf(out, "cognito_url           not set\n");
    fprintf(out, "client_id             %s\n", cfg->client_id != NULL ? "set" : "not set");
    fprintf(out, "user                  %s\n", cfg->user != NULL ? config_source_name(cfg->user_source) : "not set");
    fprintf(out, "password              %s\n", cfg->password != NULL ? "set (environment)" : "not set");
    fprintf(out, "refresh_seconds       %d\n", cfg->refresh_s);
    fprintf(out, "idle_timeout_seconds  %d\n", cfg->idle_timeout_s);
    fprintf(out, "kiosk_pin             %s\n", cfg->kiosk_pin != NULL ? "set" : "not set");
    fprintf(out, "config file           %s%s\n", cfg->file_path != NULL ? cfg->file_path : "(no HOME)",
            file_exists ? "" : " (absent)");
    return CLI_EXIT_OK;
}

int cli_run(const cli_args *a, const api_config *api, FILE *out, FILE *err)
{
    const cli_command *cmd = cli_command_for(a->cmd);
    if (cmd == NULL || cmd->run == NULL) {
        fputs("boxoffice: not a command\n", err);
        return CLI_EXIT_USAGE;
    }
    api_client *c = api_client_new(api);
    if (c == NULL) {
        fprintf(err, "boxoffice: cannot use the API URL '%s'\n", api->base_url != NULL ? api->base_url : "");
        return CLI_EXIT_USAGE;
    }
    int rc = cmd->run(a, c, api, out, err);
    api_client_free(c);
    return rc;
}
