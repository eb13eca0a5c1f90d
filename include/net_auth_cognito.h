#ifndef NET_AUTH_COGNITO_H
#define NET_AUTH_COGNITO_H
/* The box office's auth port (net_auth.h) over the client's Cognito sign-in (auth.h). The adapter keeps the
 * e-mail last signed in with (or the configured BOXOFFICE_USER), so that an empty e-mail on the lock means the
 * same operator; it never hands it to the UI. Owned by main(): it and its session outlive ui_run. */
#include "auth.h"
#include "net_auth.h"

typedef struct net_auth_cognito {
    auth_session *session;             /* borrowed */
    char user[256];                    /* the e-mail of the last sign-in ("" = none yet) */
} net_auth_cognito;

/* Fills port over a (whose session is s; configured_user may be NULL). */
void net_auth_cognito_init(net_auth_cognito *a, net_auth_port *port, auth_session *s, const char *configured_user);
/* Forgets the e-mail kept (at exit). */
void net_auth_cognito_clear(net_auth_cognito *a);

#endif
