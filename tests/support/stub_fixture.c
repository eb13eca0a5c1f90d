/* Fixtures of the client's unit tests on top of http_stub: see stub_fixture.h. */
#include "stub_fixture.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct { char token[64]; auth_session *s; } token_sessions[16];

auth_session *stub_token_auth(const char *token)
{
    size_t i = 0;
    for (; i < sizeof token_sessions / sizeof token_sessions[0] && token_sessions[i].s != NULL; i++)
        if (strcmp(token_sessions[i].token, token) == 0)
            return token_sessions[i].s;
    assert_true(i < sizeof token_sessions / sizeof token_sessions[0] && strlen(token) < 64);
    token_sessions[i].s = auth_session_with_token(token);
    assert_non_null(token_sessions[i].s);
    snprintf(token_sessions[i].token, sizeof token_sessions[i].token, "%s", token);
    return token_sessions[i].s;
}

int stub_auth_teardown(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof token_sessions / sizeof token_sessions[0]; i++) {
        auth_session_free(token_sessions[i].s);
        token_sessions[i].s = NULL;
    }
    return 0;
}


int stub_client_setup(void **state)
{
    stub_client *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->stub = stub_start();
    assert_non_null(f->stub);
    f->auth = auth_session_with_token("op-key");
    assert_non_null(f->auth);
    api_config cfg = { .base_url = stub_base_url(f->stub), .auth = f->auth, .connect_timeout_ms = 5000,
                       .timeout_ms = 30000, .purchase_attempts = 3 };
    f->client = api_client_new(&cfg);
    assert_non_null(f->client);
    *state = f;
    return 0;
}

int stub_client_teardown(void **state)
{
    stub_client *f = *state;
    api_client_free(f->client);
    auth_session_free(f->auth);
    stub_stop(f->stub);
    free(f);
    return 0;
}

#define ARGV_MAX 40

/* argv = "boxoffice" and the NULL-terminated arguments (at most ARGV_MAX - 2); returns argc. */
static int argv_from(va_list ap, char *argv[ARGV_MAX])
{
    int argc = 0;
    argv[argc++] = (char *)"boxoffice";
    for (char *s; (s = va_arg(ap, char *)) != NULL && argc < ARGV_MAX - 1;)
        argv[argc++] = s;
    argv[argc] = NULL;
    return argc;
}

int stub_cli_parse(cli_args *a, char *errbuf, size_t cap, ...)
{
    char *argv[ARGV_MAX];
    va_list ap;
    va_start(ap, cap);
    int argc = argv_from(ap, argv);
    va_end(ap);
    FILE *err = fmemopen(errbuf, cap, "w");
    assert_non_null(err);
    int rc = cli_parse_args(argc, argv, a, err);
    fclose(err);
    return rc;
}

int stub_cli_run(http_stub *stub, const char *key, stub_cli_out *o, ...)
{
    char *argv[ARGV_MAX];
    va_list ap;
    va_start(ap, o);
    argv_from(ap, argv);
    va_end(ap);
    return stub_cli_runv(stub, key, o, (const char *const *)argv + 1);
}

int stub_cli_runv(http_stub *stub, const char *key, stub_cli_out *o, const char *const args[])
{
    char *argv[ARGV_MAX];
    int argc = 0;
    argv[argc++] = (char *)"boxoffice";
    for (size_t i = 0; args[i] != NULL && argc < ARGV_MAX - 1; i++)
        argv[argc++] = (char *)args[i];
    argv[argc] = NULL;
    stub_cli_free(o);
    cli_args a;
    FILE *out = open_memstream(&o->out, &o->out_len), *err = open_memstream(&o->err, &o->err_len);
    assert_non_null(out);
    assert_non_null(err);
    int rc = cli_parse_args(argc, argv, &a, err);
    if (rc == 0) {
        auth_session *auth = key != NULL ? auth_session_with_token(key) : NULL;
        assert_true(key == NULL || auth != NULL);
        api_config cfg = { .base_url = stub_base_url(stub), .auth = auth, .timeout_ms = 30000,
                           .connect_timeout_ms = 5000, .purchase_attempts = 2 };
        rc = cli_run(&a, &cfg, out, err);
        auth_session_free(auth);
    }
    fclose(out);
    fclose(err);
    o->rc = rc;
    return rc;
}

void stub_cli_free(stub_cli_out *o)
{
    free(o->out);
    free(o->err);
    o->out = o->err = NULL;
    o->out_len = o->err_len = 0;
}
