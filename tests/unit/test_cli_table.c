/* The CLI's command table (src/cli_table.h) drives --help and the usage errors: every command's usage line
 * is in --help, every command word is named by the unknown-command error, every option a command requires
 * is asked for by name, and an unknown short option is echoed as given. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/cli_table.h"
#include "cli.h"
#include "stub_fixture.h"

static void help_has_every_usage_line(void **state)
{
    (void)state;
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_non_null(f);
    cli_usage(f);
    fclose(f);
    assert_true(strncmp(text, "Usage: boxoffice [OPTIONS] ", 27) == 0);
    for (size_t i = 0; i < cli_commands_count; i++) {
        char line[512];
        if (cli_commands[i].help == NULL) /* another spelling or part of the line before (shift x, operators list) */
            continue;
        snprintf(line, sizeof line, "boxoffice [OPTIONS] %s\n", cli_commands[i].help);
        assert_non_null(strstr(text, line));
    }
    free(text);
}

static void unknown_command_names_every_command(void **state)
{
    (void)state;
    cli_args a;
    char e[1024] = "";
    assert_int_equal(stub_cli_parse(&a, e, sizeof e, "sell", NULL), CLI_EXIT_USAGE);
    assert_non_null(strstr(e, "unknown command 'sell' (commands: list, show, buy, create, order, find, refund, "
                              "checkin, stats, shift, operators, journal, login, logout, whoami, config)"));
    for (size_t i = 0; i < cli_commands_count; i++)
        if (cli_commands[i].name != NULL)
            assert_non_null(strstr(e, cli_commands[i].name));
}

static void a_missing_required_option_is_named(void **state)
{
    (void)state;
    cli_args a;
    char e[512] = "";
    assert_int_equal(stub_cli_parse(&a, e, sizeof e, "buy", "c-1", "--email", "a@b.co", NULL), CLI_EXIT_USAGE);
    assert_non_null(strstr(e, "buy: --name is required"));
    assert_int_equal(stub_cli_parse(&a, e, sizeof e, "refund", "o-1", NULL), CLI_EXIT_USAGE);
    assert_non_null(strstr(e, "refund: --reason is required"));
    assert_int_equal(stub_cli_parse(&a, e, sizeof e, "order", "c-1", NULL), CLI_EXIT_USAGE);
    assert_non_null(strstr(e, "order: --quantity is required"));
    assert_int_equal(stub_cli_parse(&a, e, sizeof e, "checkin", "c-1", NULL), CLI_EXIT_USAGE);
    assert_non_null(strstr(e, "checkin: a ticket code is required"));
    assert_int_equal(stub_cli_parse(&a, e, sizeof e, "order", "show", NULL), CLI_EXIT_USAGE);
    assert_non_null(strstr(e, "order show: an order ID is required"));
    assert_int_equal(stub_cli_parse(&a, e, sizeof e, "checkin", "undo", "t-1", NULL), CLI_EXIT_OK);
    assert_int_equal(a.cmd, CLI_CMD_CHECKIN_UNDO);
    assert_string_equal(a.id, "t-1");
    assert_int_equal(stub_cli_parse(&a, e, sizeof e, "checkin", "c-1", "K", "--door-name", "East", NULL), CLI_EXIT_OK);
    assert_string_equal(a.id, "c-1");
    assert_string_equal(a.code, "K");
    assert_string_equal(a.door, "East");
}

static void an_unknown_short_option_is_echoed(void **state)
{
    (void)state;
    cli_args a;
    char e[512] = "";
    assert_int_equal(stub_cli_parse(&a, e, sizeof e, "-x", NULL), CLI_EXIT_USAGE);
    assert_non_null(strstr(e, "unknown option -x\n"));
}

static void every_command_has_its_handler(void **state)
{
    (void)state;
    for (size_t i = 0; i < cli_commands_count; i++) {
        const cli_command *c = &cli_commands[i];
        bool main_runs_it = c->cmd == CLI_CMD_UI || c->cmd == CLI_CMD_CONFIG;
        assert_true(main_runs_it ? c->run == NULL : c->run != NULL);
        assert_int_equal(cli_command_for(c->cmd)->cmd, c->cmd);
        assert_true((c->required & ~c->allowed) == 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(help_has_every_usage_line),
        cmocka_unit_test(unknown_command_names_every_command),
        cmocka_unit_test(a_missing_required_option_is_named),
        cmocka_unit_test(an_unknown_short_option_is_echoed),
        cmocka_unit_test(every_command_has_its_handler),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
