#ifndef AUTH_H
#define AUTH_H
/* The operator's sign-in with Amazon Cognito (or cognito-local): the app client's public flows, no secret,
 * no SigV4 — POST to the Cognito endpoint with X-Amz-Target AWSCognitoIdentityProviderService.<Op>:
 *   InitiateAuth USER_PASSWORD_AUTH       sign in with e-mail and password
 *   RespondToAuthChallenge NEW_PASSWORD   the first sign-in of a user made with a temporary password; then
 *                                         signs in again with the new password (the refresh token of a
 *                                         challenge answer is refused by cognito-local's REFRESH_TOKEN_AUTH)
 *   InitiateAuth REFRESH_TOKEN_AUTH       a new ID token, silently, before the old one expires or after a 401
 * The API takes the ID token raw in `Authorization: <IdToken>` (api.c asks auth_token for it).
 * The client does not verify the token's signature (the gateway does); it decodes the ID token's claims
 * only to show who is signed in.
 *
 * Ownership: an auth_session owns copies of everything it is given and every token; auth_session_free wipes
 * and frees them. The password given to auth_session_new / auth_signin is kept (wiped at free) only to sign
 * in lazily on the first auth_token. Nothing here draws or prints: results are values, messages go into
 * the caller's err buffer (bo_err), never holding a token, a password or an e-mail in full.
 * Thread safety: every function on one session takes its lock (the UI's worker thread asks for tokens
 * while the UI thread shows the identity); a sign-in or refresh holds it during its HTTP exchange. */
#include <stdbool.h>
#include <stddef.h>

typedef enum auth_status {
    AUTH_OK = 0,
    AUTH_NEW_PASSWORD,     /* the user must choose a new password: auth_respond_new_password */
    AUTH_REFUSED,          /* wrong user or password, unknown user, refresh token refused */
    AUTH_BAD_PASSWORD,     /* the new password breaks the pool's password policy */
    AUTH_NOT_SIGNED_IN,    /* no credentials, no token */
    AUTH_NOT_CONFIGURED,   /* no Cognito endpoint or app client id */
    AUTH_UNREACHABLE,      /* Cognito did not answer */
    AUTH_PROTOCOL,         /* an answer that could not be read */
    AUTH_IO,               /* the token file could not be read or written */
    AUTH_NOMEM
} auth_status;
const char *auth_status_name(auth_status s);    /* "ok", "new password required", ... */

#define AUTH_TOKEN_MAX 16384   /* longest token accepted */

typedef struct auth_config {
    const char *cognito_url;   /* "http://127.0.0.1:9229" or "https://cognito-idp.<region>.amazonaws.com/" */
    const char *client_id;     /* the app client (no secret) */
    const char *user;          /* e-mail, may be NULL: then auth_signin or the token file */
    const char *password;      /* may be NULL */
    const char *token_file;    /* where auth_remember writes and auth_session_new reads the session; NULL: none */
    long timeout_ms;           /* per exchange, default 10000 */
} auth_config;

typedef struct auth_session auth_session;

/* A new session (NULL on OOM; err says why). Reads cfg->token_file when it exists and no user is given
 * (a remembered session: its ID token is used until it expires, then its refresh token); a token file that
 * cannot be read leaves the session signed out with err saying why (err[0] != '\0': warn). */
auth_session *auth_session_new(const auth_config *cfg, char *err, size_t errcap);
/* A session with one fixed ID token and no Cognito (tests, tools): auth_token gives it, refresh fails. */
auth_session *auth_session_with_token(const char *id_token);
void auth_session_free(auth_session *s);

/* Signs in. AUTH_OK, AUTH_NEW_PASSWORD (call auth_respond_new_password), or a failure with err. */
auth_status auth_signin(auth_session *s, const char *user, const char *password, char *err, size_t errcap);
/* Answers the NEW_PASSWORD_REQUIRED challenge of the last auth_signin, then signs in with the new password. */
auth_status auth_respond_new_password(auth_session *s, const char *new_password, char *err, size_t errcap);
/* The current ID token, copied into out (NUL-terminated): signs in first with the configured user and
 * password when there is no token yet, refreshes when it expires within a minute. */
auth_status auth_token(auth_session *s, char *out, size_t cap, char *err, size_t errcap);
/* A new ID token now (after a 401): refresh token, else the configured password. */
auth_status auth_refresh(auth_session *s, char *err, size_t errcap);
/* true when the session holds a token or the means to get one (credentials, a remembered session). */
bool auth_can_sign_in(auth_session *s);
/* Writes the session (refresh token, ID token) to the token file, mode 0600 (the config directory made 0700
 * when missing). AUTH_IO when there is no token file configured or it cannot be written. */
auth_status auth_remember(auth_session *s, char *err, size_t errcap);
/* Forgets every token and the password; removes the token file when there is one. 0, or -1 with err when
 * the file could not be removed. */
int auth_signout(auth_session *s, char *err, size_t errcap);

/* Who is signed in, from the ID token's claims (not verified here). Text sanitised for a terminal. */
typedef struct auth_identity {
    char sub[80];
    char name[128];            /* attribute name, else custom:display_name, else the e-mail's local part cut to 2
                                * characters + "…" */
    char email_masked[160];    /* "ma…@boxoffice.local" */
    char groups[256];          /* "manager,cashier" ("" when none) */
    long long exp;             /* seconds since the epoch, 0 when absent */
    char token_use[16];        /* "id", "access" */
} auth_identity;
/* true and *out filled when the session has an ID token. */
bool auth_identity_get(auth_session *s, auth_identity *out);

/* ---- the parsing, exposed for the unit tests and the fuzz target ---- */

/* The claims of a JWT's payload (the second dot-separated part, base64url without padding, a JSON
 * object): no signature check. 0, or -1 with err (not three parts, bad base64url, not a JSON object,
 * groups not a list of strings or a "a,b" string, too long). */
int auth_jwt_identity(const char *jwt, auth_identity *out, char *err, size_t errcap);

/* One Cognito answer (InitiateAuth / RespondToAuthChallenge), its HTTP status and body. */
typedef struct auth_answer {
    char *id_token, *refresh_token, *session;   /* owned (auth_answer_clear), NULL when absent */
    long expires_in;                            /* seconds, 0 when absent */
    bool new_password;                          /* ChallengeName NEW_PASSWORD_REQUIRED (session set) */
} auth_answer;
/* AUTH_OK (tokens), AUTH_NEW_PASSWORD (session), or the error the answer names (AUTH_REFUSED for
 * NotAuthorizedException / UserNotFoundException / PasswordResetRequiredException / UserNotConfirmedException,
 * AUTH_BAD_PASSWORD for InvalidPasswordException, AUTH_PROTOCOL for anything unreadable), err says it. */
auth_status auth_parse_answer(long http_status, const char *body, size_t len, auth_answer *out, char *err,
                              size_t errcap);
void auth_answer_clear(auth_answer *a);

/* The default token file: $XDG_CONFIG_HOME/boxoffice/session, else $HOME/.config/boxoffice/session.
 * Newly allocated, NULL without either variable or on OOM. */
char *auth_default_token_file(void);

#endif
