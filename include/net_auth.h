#ifndef NET_AUTH_H
#define NET_AUTH_H
/* The box office's sign-in as the network worker runs it: a small port over the client's Cognito sign-in
 * (auth.h's auth_signin, auth_respond_new_password, auth_remember, auth_identity_get, auth_signout), so that
 * the UI neither builds a Cognito request nor waits for one. main() fills it over its auth session; the unit
 * tests fill it with a fake. signin and new_password block (an HTTP exchange): only the worker calls them;
 * so does identity (it may sign in with the configured credentials first). The UI keeps the identity the
 * worker last reported (ui_app.who).
 * Strings are borrowed; err receives a person-readable reason (Cognito's own words, never a token, a
 * password or an e-mail in full). */
#include <stdbool.h>
#include <stddef.h>

typedef enum net_auth_status {
    NET_AUTH_OK = 0,
    NET_AUTH_NEW_PASSWORD,   /* the operator must choose a new password (new_password) */
    NET_AUTH_REFUSED,        /* wrong e-mail or password, disabled user */
    NET_AUTH_BAD_PASSWORD,   /* the new password breaks the pool's password policy */
    NET_AUTH_UNAVAILABLE,    /* Cognito did not answer, or is not configured */
    NET_AUTH_FAILED          /* anything else (a malformed answer, no memory, the token file) */
} net_auth_status;

/* Who holds the session (the ID token's claims; texts sanitised). */
typedef struct net_identity {
    char sub[80];
    char name[128];          /* the display name */
    char email_masked[160];  /* "ma…@boxoffice.local" */
    char groups[256];        /* "manager,cashier" */
} net_identity;

typedef struct net_auth_port {
    void *ctx;
    /* user NULL or "": the one configured or last signed in. remember: keep the session in the token file
     * (mode 0600, the config directory), else in memory only. */
    net_auth_status (*signin)(void *ctx, const char *user, const char *password, bool remember, char *err,
                              size_t cap);
    /* answers the NEW_PASSWORD_REQUIRED challenge of the last signin */
    net_auth_status (*new_password)(void *ctx, const char *password, bool remember, char *err, size_t cap);
    /* who is signed in (false: nobody); may sign in first with the configured user and password, or
     * refresh a remembered session: the worker calls it */
    bool (*identity)(void *ctx, net_identity *out);
} net_auth_port;

#endif
