#ifndef STUB_FIXTURE_H
#define STUB_FIXTURE_H
/* Fixtures of the client's unit tests on top of http_stub, in one place for every suite: an
 * API client against a fresh stub, a run of boxoffice's command line against a stub with its output captured,
 * and the command line's parse alone. Both fail the running cmocka test on a set-up error. */
#include <stddef.h>

#include "api.h"
#include "auth.h"
#include "cli.h"
#include "http_stub.h"

/* cmocka setup/teardown: *state is a stub_client (owned by the fixture): a started stub and a client of it
 * signed in with the fixed ID token "op-key" (Authorization: op-key), 5 s to connect, 30 s per request,
 * 3 purchase attempts. */
typedef struct stub_client {
    http_stub *stub;
    api_client *client;
    auth_session *auth;
} stub_client;

int stub_client_setup(void **state);
int stub_client_teardown(void **state);

/* What one run of the command line printed and returned. Start from {0}; each run frees the previous output,
 * stub_cli_free the last. */
typedef struct stub_cli_out {
    char *out, *err;
    size_t out_len, err_len;
    int rc;
} stub_cli_out;

/* Runs `boxoffice ARGS...` (NULL-terminated, at most 38) against the stub signed in with the fixed ID token KEY (NULL: not signed in),
 * 5 s to connect, 30 s per request, 2 purchase attempts: cli_parse_args, then cli_run when it parsed. Returns the
 * exit code (also in o->rc). */
int stub_cli_run(http_stub *stub, const char *key, stub_cli_out *o, ...);
/* The same with the arguments in a NULL-terminated array. */
int stub_cli_runv(http_stub *stub, const char *key, stub_cli_out *o, const char *const args[]);
void stub_cli_free(stub_cli_out *o);

/* A session with the fixed ID token (auth_session_with_token), one per distinct token, kept for the whole run:
 * for api_config.auth in tests. stub_auth_teardown (a cmocka group teardown) frees them all. */
auth_session *stub_token_auth(const char *token);
int stub_auth_teardown(void **state);

/* cli_parse_args on `boxoffice ARGS...` (NULL-terminated, at most 38), its messages into errbuf (cap bytes). */
int stub_cli_parse(cli_args *a, char *errbuf, size_t cap, ...);

#endif
