/* Configuration precedence: flag > environment > config file > local-stack default. */
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

#include "client_config.h"

static char tmpdir[256];

static void write_file(const char *rel, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", tmpdir, rel);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void write_config(const char *text)
{
    write_file("xdg/boxoffice/config", text);
}

static int setup(void **state)
{
    (void)state;
    char path[512];
    snprintf(tmpdir, sizeof tmpdir, "/tmp/test_config.XXXXXX");
    if (mkdtemp(tmpdir) == NULL)
        return -1;
    snprintf(path, sizeof path, "%s/xdg", tmpdir);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/xdg/boxoffice", tmpdir);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/state", tmpdir);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/xdg", tmpdir);
    setenv("XDG_CONFIG_HOME", path, 1);
    snprintf(path, sizeof path, "%s/state", tmpdir);
    setenv("LOCAL_STATE_DIR", path, 1);
    unsetenv("BOXOFFICE_API_URL");
    unsetenv("BOXOFFICE_COGNITO_URL");
    unsetenv("BOXOFFICE_CLIENT_ID");
    unsetenv("BOXOFFICE_USER");
    unsetenv("BOXOFFICE_PASSWORD");
    unsetenv("AWS_REGION");
    unsetenv("AWS_DEFAULT_REGION");
    unsetenv("API_PORT");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    return system(cmd) == 0 ? 0 : -1;
}

static void defaults_point_at_the_local_stack(void **state)
{
    (void)state;
    config c;
    char err[256];
    assert_int_equal(config_resolve(NULL, &c, err, sizeof err), 0);
    assert_string_equal(c.api_url, "http://127.0.0.1:3000/dev");
    assert_int_equal(c.url_source, CONFIG_SRC_DEFAULT);
    assert_null(c.cognito_url);
    assert_null(c.client_id);
    assert_null(c.user);
    assert_null(c.password);
    assert_null(c.kiosk_pin);
    assert_int_equal(c.refresh_s, CONFIG_REFRESH_DEFAULT_S);
    assert_int_equal(c.idle_timeout_s, CONFIG_IDLE_DEFAULT_S);
    assert_non_null(strstr(c.file_path, "/xdg/boxoffice/config"));
    config_free(&c);
}

static void local_stack_port_and_key_file(void **state)
{
    (void)state;
    config c;
    char err[256];
    setenv("API_PORT", "3456", 1);
    write_file("state/cognito.env", "COGNITO_URL=http://127.0.0.1:9229\nUSER_POOL_ID=local_x\nCLIENT_ID= c1ient \n"
               "MANAGER_USER=manager@boxoffice.local\nMANAGER_PASSWORD=pw\n");
    assert_int_equal(config_resolve(NULL, &c, err, sizeof err), 0);
    assert_string_equal(c.api_url, "http://127.0.0.1:3456/dev");
    assert_string_equal(c.cognito_url, "http://127.0.0.1:9229");
    assert_string_equal(c.client_id, "c1ient");
    assert_int_equal(c.cognito_source, CONFIG_SRC_KEY_FILE);
    assert_null(c.user);       /* the manager's sign-in is make run's to pass, not the client's to take */
    assert_null(c.password);
    config_free(&c);

    setenv("API_PORT", "http", 1);
    assert_int_equal(config_resolve(NULL, &c, err, sizeof err), -1);
    assert_non_null(strstr(err, "API_PORT"));
}

static void key_file_is_ignored_for_another_api(void **state)
{
    (void)state;
    config c;
    char err[256];
    write_file("state/cognito.env", "COGNITO_URL=http://127.0.0.1:9229\nCLIENT_ID=local\n");
    setenv("BOXOFFICE_API_URL", "https://api.example.com/prod", 1);
    assert_int_equal(config_resolve(NULL, &c, err, sizeof err), 0);
    assert_int_equal(c.url_source, CONFIG_SRC_ENV);
    assert_null(c.cognito_url);   /* never sign in to the local pool for a remote API */
    assert_null(c.client_id);
    config_free(&c);
    setenv("AWS_REGION", "eu-west-1", 1);
    assert_int_equal(config_resolve(NULL, &c, err, sizeof err), 0);
    assert_string_equal(c.cognito_url, "https://cognito-idp.eu-west-1.amazonaws.com/");
    config_free(&c);
}

static void file_beats_default(void **state)
{
    (void)state;
    config c;
    char err[256];
    write_config("# box office\n\napi_url = https://file.example.com/dev/\ncognito_url = \"https://idp.example.com/\"\n"
                 "client_id = file-client\nuser = ana@example.org\n"
                 "refresh_seconds = 12\nkiosk_pin = 4711\nidle_timeout_seconds = 30\n");
    write_file("state/cognito.env", "COGNITO_URL=http://127.0.0.1:9229\nCLIENT_ID=local\n");
    assert_int_equal(config_resolve(NULL, &c, err, sizeof err), 0);
    assert_string_equal(c.api_url, "https://file.example.com/dev");
    assert_int_equal(c.url_source, CONFIG_SRC_FILE);
    assert_string_equal(c.cognito_url, "https://idp.example.com/");
    assert_string_equal(c.client_id, "file-client");
    assert_int_equal(c.cognito_source, CONFIG_SRC_FILE);
    assert_string_equal(c.user, "ana@example.org");
    assert_int_equal(c.user_source, CONFIG_SRC_FILE);
    assert_null(c.password);
    assert_int_equal(c.refresh_s, 12);
    assert_string_equal(c.kiosk_pin, "4711");
    assert_int_equal(c.idle_timeout_s, 30);
    config_free(&c);
}

static void env_beats_file(void **state)
{
    (void)state;
    config c;
    char err[256];
    write_config("api_url = https://file.example.com/dev\ncognito_url = https://idp.example.com/\nclient_id = f\n"
                 "user = file@example.org\n");
    setenv("BOXOFFICE_API_URL", "http://env.example.com:8080/stage", 1);
    setenv("BOXOFFICE_COGNITO_URL", "http://env-idp.example.com", 1);
    setenv("BOXOFFICE_CLIENT_ID", "env-client", 1);
    setenv("BOXOFFICE_USER", "env@example.org", 1);
    setenv("BOXOFFICE_PASSWORD", "env-pw", 1);
    assert_int_equal(config_resolve(NULL, &c, err, sizeof err), 0);
    assert_string_equal(c.api_url, "http://env.example.com:8080/stage");
    assert_int_equal(c.url_source, CONFIG_SRC_ENV);
    assert_string_equal(c.cognito_url, "http://env-idp.example.com");
    assert_string_equal(c.client_id, "env-client");
    assert_int_equal(c.cognito_source, CONFIG_SRC_ENV);
    assert_string_equal(c.user, "env@example.org");
    assert_string_equal(c.password, "env-pw");
    config_free(&c);
    /* an api_key line is refused, naming the way to sign in */
    write_config("api_key = old-key\n");
    assert_int_equal(config_resolve(NULL, &c, err, sizeof err), -1);
    assert_non_null(strstr(err, ":1: api_key no longer authorizes"));
    assert_non_null(strstr(err, "boxoffice login"));
}

static void flag_beats_env_and_file(void **state)
{
    (void)state;
    config c;
    char err[256];
    write_config("api_url = https://file.example.com/dev\nrefresh_seconds = 12\nkiosk_pin = 1\n");
    setenv("BOXOFFICE_API_URL", "http://env.example.com/stage", 1);
    config_flags f = { "http://flag.example.com/x", "9999", 0 };
    assert_int_equal(config_resolve(&f, &c, err, sizeof err), 0);
    assert_string_equal(c.api_url, "http://flag.example.com/x");
    assert_int_equal(c.url_source, CONFIG_SRC_FLAG);
    assert_string_equal(c.kiosk_pin, "9999");
    assert_int_equal(c.refresh_s, 0);
    config_free(&c);
}

static void empty_env_counts_as_unset(void **state)
{
    (void)state;
    config c;
    char err[256];
    write_config("api_url = https://file.example.com/dev\n");
    setenv("BOXOFFICE_API_URL", "", 1);
    assert_int_equal(config_resolve(NULL, &c, err, sizeof err), 0);
    assert_int_equal(c.url_source, CONFIG_SRC_FILE);
    config_free(&c);
}

static void bad_config_lines_are_reported_with_their_line(void **state)
{
    (void)state;
    config c;
    char err[256];
    write_config("api_url = http://x.example.com\nthis is not a setting\n");
    assert_int_equal(config_resolve(NULL, &c, err, sizeof err), -1);
    assert_non_null(strstr(err, ":2:"));
    write_config("colour = blue\n");
    assert_int_equal(config_resolve(NULL, &c, err, sizeof err), -1);
    assert_non_null(strstr(err, "unknown key"));
    write_config("refresh_seconds = soon\n");
    assert_int_equal(config_resolve(NULL, &c, err, sizeof err), -1);
    assert_non_null(strstr(err, "refresh_seconds"));
    write_config("idle_timeout_seconds = 0\n");
    assert_int_equal(config_resolve(NULL, &c, err, sizeof err), -1);
    write_config("api_url = ftp://files.example.com\n");
    assert_int_equal(config_resolve(NULL, &c, err, sizeof err), -1);
    assert_non_null(strstr(err, "http"));
}

static void bad_url_from_flag_is_refused(void **state)
{
    (void)state;
    config c;
    char err[256];
    config_flags f = CONFIG_FLAGS_INIT;
    f.api_url = "localhost:3000";
    assert_int_equal(config_resolve(&f, &c, err, sizeof err), -1);
    assert_non_null(strstr(err, "flag"));
}

static void home_is_the_fallback_for_the_config_path(void **state)
{
    (void)state;
    char home[512], path[600];
    snprintf(home, sizeof home, "%s/home", tmpdir);
    mkdir(home, 0700);
    snprintf(path, sizeof path, "%s/.config", home);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/.config/boxoffice", home);
    mkdir(path, 0700);
    write_file("home/.config/boxoffice/config", "api_url = http://home.example.com/dev\n");
    const char *old_home = getenv("HOME");
    char *saved = old_home ? strdup(old_home) : NULL;
    unsetenv("XDG_CONFIG_HOME");
    setenv("HOME", home, 1);
    config c;
    char err[256];
    assert_int_equal(config_resolve(NULL, &c, err, sizeof err), 0);
    assert_string_equal(c.api_url, "http://home.example.com/dev");
    config_free(&c);
    /* the hints name the file under HOME with ~, the variables and the command that starts the stack */
    char hint[512];
    config_hint(CONFIG_HINT_URL, hint, sizeof hint);
    assert_non_null(strstr(hint, "make local-up"));
    assert_non_null(strstr(hint, "BOXOFFICE_API_URL"));
    assert_non_null(strstr(hint, "api_url in ~/.config/boxoffice/config"));
    config_hint(CONFIG_HINT_KEY, hint, sizeof hint);
    assert_non_null(strstr(hint, "boxoffice login"));
    assert_non_null(strstr(hint, "BOXOFFICE_USER"));
    assert_non_null(strstr(hint, "client_id in ~/.config/boxoffice/config"));
    assert_non_null(strstr(hint, "make local-up"));
    assert_null(strstr(hint, home));
    for (char *l = hint, *nl; l != NULL; l = nl != NULL ? nl + 1 : NULL) { /* lines fit 70 columns */
        nl = strchr(l, '\n');
        assert_true((nl != NULL ? (size_t)(nl - l) : strlen(l)) <= 70);
    }
    config_hint(CONFIG_HINT_KEY, hint, 8); /* cut, terminated */
    assert_int_equal(strlen(hint), 7);
    if (saved) {
        setenv("HOME", saved, 1);
        free(saved);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(defaults_point_at_the_local_stack, setup, teardown),
        cmocka_unit_test_setup_teardown(local_stack_port_and_key_file, setup, teardown),
        cmocka_unit_test_setup_teardown(key_file_is_ignored_for_another_api, setup, teardown),
        cmocka_unit_test_setup_teardown(file_beats_default, setup, teardown),
        cmocka_unit_test_setup_teardown(env_beats_file, setup, teardown),
        cmocka_unit_test_setup_teardown(flag_beats_env_and_file, setup, teardown),
        cmocka_unit_test_setup_teardown(empty_env_counts_as_unset, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_config_lines_are_reported_with_their_line, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_url_from_flag_is_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(home_is_the_fallback_for_the_config_path, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
