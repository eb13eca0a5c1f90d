/* The CLI's sign-in commands: login [--remember], logout, whoami (auth.h does the work; this file asks on the
 * terminal and prints). A password is read from the terminal without echo, or from the environment for
 * scripts; it is never printed, and neither is a token or the e-mail in full. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "auth.h"
#include "cli_cmds.h"
#include "cli_out.h"

#define FIELD_MAX CLI_TTY_FIELD_MAX

bool cli_ask_tty(const char *prompt, bool secret, char out[CLI_TTY_FIELD_MAX])
{
    out[0] = '\0';
    FILE *tty = fopen("/dev/tty", "r+");
    if (tty == NULL)
        return false;
    struct termios old, quiet;
    bool restore = false;
    fprintf(tty, "%s", prompt);
    fflush(tty);
    if (secret && tcgetattr(fileno(tty), &old) == 0) {
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        restore = tcsetattr(fileno(tty), TCSAFLUSH, &quiet) == 0;
    }
    bool ok = fgets(out, FIELD_MAX, tty) != NULL;
    if (restore) {
        tcsetattr(fileno(tty), TCSAFLUSH, &old);
        fputc('\n', tty);
    }
    fclose(tty);
    size_t n = strlen(out);
    while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == '\r'))
        out[--n] = '\0';
    return ok && n > 0;
}

static void wipe(char *s, size_t n)
{
    volatile char *v = s;
    for (size_t i = 0; i < n; i++)
        v[i] = '\0';
}

static const char *env_nonempty(const char *name)
{
    const char *v = getenv(name);
    return v != NULL && v[0] != '\0' ? v : NULL;
}

static int auth_exit(auth_status st)
{
    switch (st) {
    case AUTH_OK: return CLI_EXIT_OK;
    case AUTH_UNREACHABLE: return CLI_EXIT_UNAVAILABLE;
    case AUTH_NOT_CONFIGURED:
    case AUTH_IO: return CLI_EXIT_USAGE;
    case AUTH_PROTOCOL: return CLI_EXIT_API;
    default: return CLI_EXIT_FORBIDDEN;
    }
}

/* "Manager (manager)" or its JSON object, from the session's ID token */
static int print_identity(const cli_args *a, auth_session *s, const char *lead, FILE *out, FILE *err)
{
    auth_identity id;
    if (!auth_identity_get(s, &id)) {
        fputs("boxoffice: not signed in: boxoffice login\n", err);
        return CLI_EXIT_FORBIDDEN;
    }
    if (a->json) {
        cJSON *j = cJSON_CreateObject();
        cJSON *groups = j != NULL ? cJSON_AddArrayToObject(j, "groups") : NULL;
        if (groups != NULL) {
            char g[sizeof id.groups];
            snprintf(g, sizeof g, "%s", id.groups);
            for (char *save = NULL, *t = strtok_r(g, ",", &save); t != NULL; t = strtok_r(NULL, ",", &save))
                cJSON_AddItemToArray(groups, cJSON_CreateString(t));
        }
        if (groups == NULL || cJSON_AddStringToObject(j, "name", id.name) == NULL
            || cJSON_AddStringToObject(j, "sub", id.sub) == NULL
            || cJSON_AddStringToObject(j, "email", id.email_masked) == NULL
            || cJSON_AddNumberToObject(j, "expires", (double)id.exp) == NULL) {
            cJSON_Delete(j);
            j = NULL;
        }
        return cli_print_json(out, err, j);
    }
    char when[32] = "?";
    time_t t = (time_t)id.exp;
    struct tm tm;
    if (id.exp > 0 && gmtime_r(&t, &tm) != NULL)
        strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", &tm);
    fprintf(out, "%s%s (%s)\n", lead, id.name[0] != '\0' ? id.name : "?", id.groups[0] != '\0' ? id.groups : "no group");
    fprintf(out, "  e-mail  %s\n  sub     %s\n  until   %s\n", id.email_masked, id.sub, when);
    return CLI_EXIT_OK;
}

int cli_auth_login(const cli_args *a, api_client *c, const api_config *api, FILE *out, FILE *err)
{
    (void)c;
    auth_session *s = api->auth;
    if (s == NULL) {
        fputs("boxoffice: sign-in is not configured: set BOXOFFICE_COGNITO_URL and BOXOFFICE_CLIENT_ID\n", err);
        return CLI_EXIT_USAGE;
    }
    char user[FIELD_MAX] = "", pw[FIELD_MAX] = "", msg[512] = "";
    const char *eu = env_nonempty("BOXOFFICE_USER"), *ep = env_nonempty("BOXOFFICE_PASSWORD");
    int rc;
    if (eu != NULL)
        snprintf(user, sizeof user, "%s", eu);
    else if (!cli_ask_tty("E-mail: ", false, user)) {
        fputs("boxoffice: login needs a terminal to ask on, or BOXOFFICE_USER and BOXOFFICE_PASSWORD\n", err);
        return CLI_EXIT_USAGE;
    }
    if (ep != NULL && eu != NULL)
        snprintf(pw, sizeof pw, "%s", ep);
    else if (!cli_ask_tty("Password: ", true, pw)) {
        fputs("boxoffice: login needs a terminal to ask on, or BOXOFFICE_USER and BOXOFFICE_PASSWORD\n", err);
        rc = CLI_EXIT_USAGE;
        goto done;
    }
    auth_status st = auth_signin(s, user, pw, msg, sizeof msg);
    if (st == AUTH_NEW_PASSWORD) {
        char np[FIELD_MAX] = "", again[FIELD_MAX] = "";
        const char *env_np = env_nonempty("BOXOFFICE_NEW_PASSWORD");
        if (env_np != NULL) {
            snprintf(np, sizeof np, "%s", env_np);
        } else {
            fputs("boxoffice: this is a first sign-in: choose a new password\n", err);
            if (!cli_ask_tty("New password: ", true, np) || !cli_ask_tty("New password again: ", true, again)) {
                fputs("boxoffice: a new password is required (a terminal to ask on, or BOXOFFICE_NEW_PASSWORD)\n", err);
                wipe(np, sizeof np);
                rc = CLI_EXIT_FORBIDDEN;
                goto done;
            }
            if (strcmp(np, again) != 0) {
                fputs("boxoffice: the two new passwords differ; nothing changed\n", err);
                wipe(np, sizeof np);
                wipe(again, sizeof again);
                rc = CLI_EXIT_USAGE;
                goto done;
            }
        }
        st = auth_respond_new_password(s, np, msg, sizeof msg);
        wipe(np, sizeof np);
        wipe(again, sizeof again);
    }
    if (st != AUTH_OK) {
        fprintf(err, "boxoffice: %s\n", msg[0] != '\0' ? msg : auth_status_name(st));
        rc = auth_exit(st);
        goto done;
    }
    if (a->remember && auth_remember(s, msg, sizeof msg) != AUTH_OK) {
        fprintf(err, "boxoffice: signed in, but the session could not be remembered: %s\n", msg);
        rc = CLI_EXIT_USAGE;
        goto done;
    }
    rc = print_identity(a, s, "signed in as ", out, err);
    if (rc == CLI_EXIT_OK && !a->json)
        fputs(a->remember ? "  the session is remembered for later commands (boxoffice logout forgets it)\n"
                          : "  not remembered: later commands sign in again (login --remember keeps the session)\n",
              out);
done:
    wipe(pw, sizeof pw);
    return rc;
}

int cli_auth_logout(const cli_args *a, api_client *c, const api_config *api, FILE *out, FILE *err)
{
    (void)a;
    (void)c;
    char msg[512] = "";
    if (api->auth == NULL) {
        fputs("signed out (no sign-in was configured)\n", out);
        return CLI_EXIT_OK;
    }
    if (auth_signout(api->auth, msg, sizeof msg) != 0) {
        fprintf(err, "boxoffice: %s\n", msg);
        return CLI_EXIT_USAGE;
    }
    fputs("signed out: the remembered session is gone\n", out);
    return CLI_EXIT_OK;
}

int cli_auth_whoami(const cli_args *a, api_client *c, const api_config *api, FILE *out, FILE *err)
{
    (void)c;
    if (api->auth == NULL) {
        fputs("boxoffice: not signed in: boxoffice login\n", err);
        return CLI_EXIT_FORBIDDEN;
    }
    char *token = malloc(AUTH_TOKEN_MAX + 1);
    char msg[512] = "";
    if (token == NULL)
        return CLI_EXIT_UNAVAILABLE;
    auth_status st = auth_token(api->auth, token, AUTH_TOKEN_MAX + 1, msg, sizeof msg);
    wipe(token, AUTH_TOKEN_MAX + 1);
    free(token);
    if (st != AUTH_OK) {
        fprintf(err, "boxoffice: %s\n", msg[0] != '\0' ? msg : "not signed in: boxoffice login");
        return auth_exit(st);
    }
    return print_identity(a, api->auth, "", out, err);
}
