/* The auth port over auth.h; see include/net_auth_cognito.h. Runs on the network worker (blocking). */
#include "net_auth_cognito.h"

#include <stdio.h>
#include <string.h>

static net_auth_status of(auth_status st)
{
    switch (st) {
    case AUTH_OK: return NET_AUTH_OK;
    case AUTH_NEW_PASSWORD: return NET_AUTH_NEW_PASSWORD;
    case AUTH_REFUSED: return NET_AUTH_REFUSED;
    case AUTH_BAD_PASSWORD: return NET_AUTH_BAD_PASSWORD;
    case AUTH_NOT_CONFIGURED:
    case AUTH_UNREACHABLE: return NET_AUTH_UNAVAILABLE;
    default: return NET_AUTH_FAILED;
    }
}

/* After a sign-in: the session into the token file when asked (a failure to write it is said, the sign-in
 * stands). */
static void keep(net_auth_cognito *a, bool remember, char *err, size_t cap)
{
    char why[256] = "";
    if (remember && auth_remember(a->session, why, sizeof why) != AUTH_OK)
        snprintf(err, cap, "Signed in, but not remembered: %s", why);
}

static net_auth_status signin(void *ctx, const char *user, const char *password, bool remember, char *err, size_t cap)
{
    net_auth_cognito *a = ctx;
    const char *who = user != NULL && user[0] != '\0' ? user : a->user;
    if (who[0] == '\0') {
        snprintf(err, cap, "Type your e-mail address");
        return NET_AUTH_REFUSED;
    }
    char copy[sizeof a->user];
    snprintf(copy, sizeof copy, "%s", who);
    auth_status st = auth_signin(a->session, copy, password, err, cap);
    if (st == AUTH_OK || st == AUTH_NEW_PASSWORD)
        memcpy(a->user, copy, sizeof a->user);
    memset(copy, 0, sizeof copy);
    if (st == AUTH_OK)
        keep(a, remember, err, cap);
    return of(st);
}

static net_auth_status new_password(void *ctx, const char *password, bool remember, char *err, size_t cap)
{
    net_auth_cognito *a = ctx;
    auth_status st = auth_respond_new_password(a->session, password, err, cap);
    if (st == AUTH_OK)
        keep(a, remember, err, cap);
    return of(st);
}

static bool identity(void *ctx, net_identity *out)
{
    net_auth_cognito *a = ctx;
    auth_identity id;
    memset(out, 0, sizeof *out);
    if (!auth_identity_get(a->session, &id)) {
        /* not yet: the configured user and password, or a remembered session, sign in now */
        char token[AUTH_TOKEN_MAX + 1], why[256];
        if (!auth_can_sign_in(a->session) || auth_token(a->session, token, sizeof token, why, sizeof why) != AUTH_OK) {
            memset(token, 0, sizeof token);
            return false;
        }
        memset(token, 0, sizeof token);
        if (!auth_identity_get(a->session, &id))
            return false;
    }
    snprintf(out->sub, sizeof out->sub, "%s", id.sub);
    snprintf(out->name, sizeof out->name, "%s", id.name);
    snprintf(out->email_masked, sizeof out->email_masked, "%s", id.email_masked);
    snprintf(out->groups, sizeof out->groups, "%s", id.groups);
    return true;
}

void net_auth_cognito_init(net_auth_cognito *a, net_auth_port *port, auth_session *s, const char *configured_user)
{
    memset(a, 0, sizeof *a);
    a->session = s;
    if (configured_user != NULL)
        snprintf(a->user, sizeof a->user, "%s", configured_user);
    *port = (net_auth_port){ .ctx = a, .signin = signin, .new_password = new_password, .identity = identity };
}

void net_auth_cognito_clear(net_auth_cognito *a)
{
    memset(a, 0, sizeof *a);
}
