/* Endpoint, region and credentials come from the AWS SDKs' environment variables. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ddb.h"

static const char *const vars[] = {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION",
                                   "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL", "SSL_CERT_FILE"};

static int reset_env(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++)
        unsetenv(vars[i]);
    setenv("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE123", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "s3cr3t/Value+XYZ", 1);
    setenv("AWS_REGION", "eu-west-1", 1);
    return 0;
}

static ddb_status load(ddb_config *cfg, ddb_error *err)
{
    memset(err, 0x5a, sizeof *err);
    return ddb_config_from_env(cfg, err);
}

static void test_default_endpoint_follows_the_region(void **state)
{
    (void)state;
    ddb_config cfg;
    ddb_error err;
    assert_int_equal(load(&cfg, &err), DDB_OK);
    assert_string_equal(cfg.endpoint, "https://dynamodb.eu-west-1.amazonaws.com/");
    assert_string_equal(cfg.region, "eu-west-1");
    assert_string_equal(cfg.access_key_id, "AKIAEXAMPLE123");
    assert_string_equal(cfg.secret_access_key, "s3cr3t/Value+XYZ");
    assert_null(cfg.session_token);
    ddb_config_clear(&cfg);
    assert_null(cfg.endpoint);
    ddb_config_clear(&cfg); /* twice is fine */
}

static void test_region_falls_back_to_aws_default_region(void **state)
{
    (void)state;
    ddb_config cfg;
    ddb_error err;
    unsetenv("AWS_REGION");
    setenv("AWS_DEFAULT_REGION", "ap-southeast-2", 1);
    assert_int_equal(load(&cfg, &err), DDB_OK);
    assert_string_equal(cfg.region, "ap-southeast-2");
    assert_string_equal(cfg.endpoint, "https://dynamodb.ap-southeast-2.amazonaws.com/");
    ddb_config_clear(&cfg);

    setenv("AWS_REGION", "us-east-2", 1); /* AWS_REGION wins */
    assert_int_equal(load(&cfg, &err), DDB_OK);
    assert_string_equal(cfg.region, "us-east-2");
    ddb_config_clear(&cfg);

    setenv("AWS_REGION", "", 1); /* empty counts as unset */
    assert_int_equal(load(&cfg, &err), DDB_OK);
    assert_string_equal(cfg.region, "ap-southeast-2");
    ddb_config_clear(&cfg);

    unsetenv("AWS_REGION");
    unsetenv("AWS_DEFAULT_REGION");
    assert_int_equal(load(&cfg, &err), DDB_ERR_CONFIG);
    assert_int_equal(err.status, DDB_ERR_CONFIG);
    assert_non_null(strstr(err.message, "AWS_REGION"));
    assert_null(cfg.endpoint);
}

static void test_endpoint_overrides_in_sdk_order(void **state)
{
    (void)state;
    ddb_config cfg;
    ddb_error err;
    setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:4566", 1);
    assert_int_equal(load(&cfg, &err), DDB_OK);
    assert_string_equal(cfg.endpoint, "http://127.0.0.1:4566/");
    ddb_config_clear(&cfg);

    setenv("AWS_ENDPOINT_URL_DYNAMODB", "http://localhost:8000/", 1); /* the service-specific one wins */
    assert_int_equal(load(&cfg, &err), DDB_OK);
    assert_string_equal(cfg.endpoint, "http://localhost:8000/");
    ddb_config_clear(&cfg);

    setenv("AWS_ENDPOINT_URL_DYNAMODB", "", 1); /* empty: next one */
    assert_int_equal(load(&cfg, &err), DDB_OK);
    assert_string_equal(cfg.endpoint, "http://127.0.0.1:4566/");
    ddb_config_clear(&cfg);

    setenv("AWS_ENDPOINT_URL_DYNAMODB", "https://ddb.example.test/prefix", 1); /* a path is kept */
    assert_int_equal(load(&cfg, &err), DDB_OK);
    assert_string_equal(cfg.endpoint, "https://ddb.example.test/prefix");
    ddb_config_clear(&cfg);
}

static void test_bad_endpoints_are_refused(void **state)
{
    (void)state;
    const char *bad[] = {"ftp://host", "localhost:8000", "http://", "http:///path", "http://host name",
                         "http://host\r\nX-Evil: 1", "http://host/?q=1", "http://host/#frag"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ddb_config cfg;
        ddb_error err;
        setenv("AWS_ENDPOINT_URL_DYNAMODB", bad[i], 1);
        if (load(&cfg, &err) != DDB_ERR_CONFIG)
            fail_msg("accepted %s", bad[i]);
        assert_non_null(strstr(err.message, "AWS_ENDPOINT_URL_DYNAMODB"));
        assert_null(cfg.endpoint);
    }
}

static void test_session_token_is_optional(void **state)
{
    (void)state;
    ddb_config cfg;
    ddb_error err;
    setenv("AWS_SESSION_TOKEN", "FwoGZXIvYXdzEJr//////////wEaDM+token==", 1);
    assert_int_equal(load(&cfg, &err), DDB_OK);
    assert_string_equal(cfg.session_token, "FwoGZXIvYXdzEJr//////////wEaDM+token==");
    ddb_config_clear(&cfg);
    setenv("AWS_SESSION_TOKEN", "", 1);
    assert_int_equal(load(&cfg, &err), DDB_OK);
    assert_null(cfg.session_token);
    ddb_config_clear(&cfg);
}

static void test_missing_or_bad_credentials_name_the_variable_not_the_value(void **state)
{
    (void)state;
    ddb_config cfg;
    ddb_error err;
    unsetenv("AWS_ACCESS_KEY_ID");
    assert_int_equal(load(&cfg, &err), DDB_ERR_CONFIG);
    assert_non_null(strstr(err.message, "AWS_ACCESS_KEY_ID"));

    setenv("AWS_ACCESS_KEY_ID", "AKIAEXAMPLE123", 1);
    unsetenv("AWS_SECRET_ACCESS_KEY");
    assert_int_equal(load(&cfg, &err), DDB_ERR_CONFIG);
    assert_non_null(strstr(err.message, "AWS_SECRET_ACCESS_KEY"));

    setenv("AWS_SECRET_ACCESS_KEY", "topsecret\nvalue", 1);
    assert_int_equal(load(&cfg, &err), DDB_ERR_CONFIG);
    assert_null(strstr(err.message, "topsecret"));

    setenv("AWS_SECRET_ACCESS_KEY", "fine", 1);
    setenv("AWS_SESSION_TOKEN", "tok\r\nen-secret", 1);
    assert_int_equal(load(&cfg, &err), DDB_ERR_CONFIG);
    assert_non_null(strstr(err.message, "AWS_SESSION_TOKEN"));
    assert_null(strstr(err.message, "en-secret"));

    unsetenv("AWS_SESSION_TOKEN");
    setenv("AWS_ACCESS_KEY_ID", "AKIA:EVIL", 1);
    assert_int_equal(load(&cfg, &err), DDB_ERR_CONFIG);

    /* the client constructor reports the same */
    unsetenv("AWS_ACCESS_KEY_ID");
    assert_null(ddb_client_new_from_env(&err));
    assert_int_equal(err.status, DDB_ERR_CONFIG);
    assert_non_null(strstr(err.message, "AWS_ACCESS_KEY_ID"));
}

static void test_region_cannot_inject_into_the_signing_scope(void **state)
{
    (void)state;
    ddb_config cfg;
    ddb_error err;
    const char *bad[] = {"us-east-1:evil", "US-EAST-1", "eu west", "a/b"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        setenv("AWS_REGION", bad[i], 1);
        assert_int_equal(load(&cfg, &err), DDB_ERR_CONFIG);
        assert_non_null(strstr(err.message, "AWS_REGION"));
    }
}

/* A CA bundle file for the https clients below (any non-empty file: nothing connects). */
static char ca_file[] = "/tmp/test_ddb_config_ca.XXXXXX";

static void use_ca_file(void)
{
    int fd = mkstemp(ca_file);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "not parsed before a connection\n", 31), 31);
    close(fd);
    setenv("SSL_CERT_FILE", ca_file, 1);
}

static void test_client_from_env_and_from_config(void **state)
{
    (void)state;
    ddb_error err;
    use_ca_file();
    ddb_client *c = ddb_client_new_from_env(&err);
    unlink(ca_file);
    assert_non_null(c);
    assert_int_equal(ddb_client_last_attempts(c), 0);
    ddb_client_set_deadline(c, 0);
    ddb_client_free(c);
    ddb_client_free(NULL);

    ddb_config cfg = {0};
    assert_null(ddb_client_new(&cfg, &err)); /* incomplete */
    assert_int_equal(err.status, DDB_ERR_CONFIG);
    assert_null(ddb_client_new(NULL, &err));
}

/* https (AWS) needs a CA bundle, found when the client is made (an /init/error, not a failure at every
 * call); http (DynamoDB Local) needs none. */
static void test_https_client_needs_a_ca_bundle_http_does_not(void **state)
{
    (void)state;
    ddb_error err;
    setenv("SSL_CERT_FILE", "/nonexistent/ca.pem", 1);
    assert_null(ddb_client_new_from_env(&err)); /* https://dynamodb.eu-west-1.amazonaws.com/ */
    assert_int_equal(err.status, DDB_ERR_CONFIG);
    assert_non_null(strstr(err.message, "SSL_CERT_FILE=/nonexistent/ca.pem"));

    setenv("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:8000", 1);
    ddb_client *c = ddb_client_new_from_env(&err);
    assert_non_null(c);
    ddb_client_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_default_endpoint_follows_the_region, reset_env),
        cmocka_unit_test_setup(test_region_falls_back_to_aws_default_region, reset_env),
        cmocka_unit_test_setup(test_endpoint_overrides_in_sdk_order, reset_env),
        cmocka_unit_test_setup(test_bad_endpoints_are_refused, reset_env),
        cmocka_unit_test_setup(test_session_token_is_optional, reset_env),
        cmocka_unit_test_setup(test_missing_or_bad_credentials_name_the_variable_not_the_value, reset_env),
        cmocka_unit_test_setup(test_region_cannot_inject_into_the_signing_scope, reset_env),
        cmocka_unit_test_setup(test_client_from_env_and_from_config, reset_env),
        cmocka_unit_test_setup(test_https_client_needs_a_ca_bundle_http_does_not, reset_env),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
