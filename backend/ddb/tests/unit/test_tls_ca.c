/* Where the CA bundle comes from (tls_ca.h): SSL_CERT_FILE first and strictly, then the first usable
 * candidate (AL2023's path, then Debian's); a clear reason when there is none. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tls_ca.h"

static char dir[] = "/tmp/test_tls_ca.XXXXXX";
static char good[256], other[256], empty[256], missing[256], subdir[256];

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int setup(void **state)
{
    (void)state;
    if (!mkdtemp(dir))
        return -1;
    snprintf(good, sizeof good, "%s/good.pem", dir);
    snprintf(other, sizeof other, "%s/other.pem", dir);
    snprintf(empty, sizeof empty, "%s/empty.pem", dir);
    snprintf(missing, sizeof missing, "%s/missing.pem", dir);
    snprintf(subdir, sizeof subdir, "%s/certs", dir);
    write_file(good, "-----BEGIN CERTIFICATE-----\n");
    write_file(other, "-----BEGIN CERTIFICATE-----\n");
    write_file(empty, "");
    return mkdir(subdir, 0700);
}

static int teardown(void **state)
{
    (void)state;
    unlink(good);
    unlink(other);
    unlink(empty);
    rmdir(subdir);
    rmdir(dir);
    return 0;
}

static int no_env(void **state)
{
    (void)state;
    unsetenv("SSL_CERT_FILE");
    return 0;
}

static void test_default_candidates_are_al2023_then_debian(void **state)
{
    (void)state;
    assert_string_equal(TLS_CA_AL2023, "/etc/pki/tls/certs/ca-bundle.crt");
    assert_string_equal(TLS_CA_DEBIAN, "/etc/ssl/certs/ca-certificates.crt");
}

static void test_first_usable_candidate_wins(void **state)
{
    (void)state;
    char out[TLS_CA_PATH_MAX], err[512];
    const char *list[] = {missing, empty, subdir, good, other, NULL};
    assert_int_equal(tls_ca_find(list, out, sizeof out, err, sizeof err), 0);
    assert_string_equal(out, good);
    assert_string_equal(err, "");
}

static void test_ssl_cert_file_takes_precedence(void **state)
{
    (void)state;
    char out[TLS_CA_PATH_MAX], err[512];
    const char *list[] = {good, NULL};
    setenv("SSL_CERT_FILE", other, 1);
    assert_int_equal(tls_ca_find(list, out, sizeof out, err, sizeof err), 0);
    assert_string_equal(out, other);
}

static void test_empty_ssl_cert_file_is_unset(void **state)
{
    (void)state;
    char out[TLS_CA_PATH_MAX], err[512];
    const char *list[] = {good, NULL};
    setenv("SSL_CERT_FILE", "", 1);
    assert_int_equal(tls_ca_find(list, out, sizeof out, err, sizeof err), 0);
    assert_string_equal(out, good);
}

static void test_unusable_ssl_cert_file_is_an_error_not_a_fallback(void **state)
{
    (void)state;
    char out[TLS_CA_PATH_MAX], err[512];
    const char *list[] = {good, NULL};
    const char *bad[] = {missing, empty, subdir};
    for (size_t i = 0; i < 3; i++) {
        setenv("SSL_CERT_FILE", bad[i], 1);
        assert_int_equal(tls_ca_find(list, out, sizeof out, err, sizeof err), -1);
        assert_string_equal(out, "");
        assert_non_null(strstr(err, "SSL_CERT_FILE="));
        assert_non_null(strstr(err, bad[i]));
    }
}

static void test_none_found_names_every_place_tried(void **state)
{
    (void)state;
    char out[TLS_CA_PATH_MAX], err[512];
    const char *list[] = {missing, empty, NULL};
    assert_int_equal(tls_ca_find(list, out, sizeof out, err, sizeof err), -1);
    assert_string_equal(out, "");
    assert_non_null(strstr(err, "no CA bundle"));
    assert_non_null(strstr(err, "SSL_CERT_FILE is not set"));
    assert_non_null(strstr(err, missing));
    assert_non_null(strstr(err, empty));
}

static void test_small_buffers_stay_terminated(void **state)
{
    (void)state;
    char out[8], err[16];
    const char *list[] = {good, NULL}; /* longer than out */
    assert_int_equal(tls_ca_find(list, out, sizeof out, err, sizeof err), -1);
    assert_string_equal(out, "");
    assert_true(strlen(err) < sizeof err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_candidates_are_al2023_then_debian),
        cmocka_unit_test_setup(test_first_usable_candidate_wins, no_env),
        cmocka_unit_test_setup(test_ssl_cert_file_takes_precedence, no_env),
        cmocka_unit_test_setup(test_empty_ssl_cert_file_is_unset, no_env),
        cmocka_unit_test_setup(test_unusable_ssl_cert_file_is_an_error_not_a_fallback, no_env),
        cmocka_unit_test_setup(test_none_found_names_every_place_tried, no_env),
        cmocka_unit_test_setup(test_small_buffers_stay_terminated, no_env),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
