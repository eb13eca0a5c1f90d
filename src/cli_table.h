#ifndef CLI_TABLE_H
#define CLI_TABLE_H
/* The CLI's command table: one entry per command (its words, the options it allows and requires, its
 * positional arguments, its handler and its usage line). It drives parsing (cli_args.c), dispatch (cli.c)
 * and the --help text. The handlers are the commands' (cli_cmds.h). */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "api.h"
#include "api_shift.h"
#include "cli.h"
#include "cli_cmds.h"

/* The options that belong to a command, as bits of cli_command.allowed / .required (in this order the
 * "is required" errors are given). */
enum cli_opt_bit {
    CLI_OPT_NAME, CLI_OPT_EMAIL, CLI_OPT_DATE, CLI_OPT_VENUE, CLI_OPT_TICKETS, CLI_OPT_PRICE, CLI_OPT_SORT,
    CLI_OPT_FILTER, CLI_OPT_IDEM_KEY, CLI_OPT_QUANTITY, CLI_OPT_ATTENDEE, CLI_OPT_PAY, CLI_OPT_TENDERED,
    CLI_OPT_CURRENCY, CLI_OPT_TIMEZONE, CLI_OPT_MAX_PER_ORDER, CLI_OPT_CODE, CLI_OPT_CONCERT, CLI_OPT_LIMIT,
    CLI_OPT_CURSOR, CLI_OPT_REASON, CLI_OPT_METHOD, CLI_OPT_PAST, CLI_OPT_REMEMBER,
    CLI_OPT_SHIFT, CLI_OPT_TERMINAL, CLI_OPT_FLOAT, CLI_OPT_COUNTED, CLI_OPT_NOTE, CLI_OPT_CSV,
    CLI_OPT_GROUP, CLI_OPT_TEMP_PASSWORD, CLI_OPT_DAY, CLI_OPT_OPERATOR, /* operators, journal */
    CLI_OPT_COUNT
};
/* A set of options: one bit each (64 of them at most). */
typedef uint64_t cli_opt_set;
#define CLI_OPT(o) ((cli_opt_set)1 << CLI_OPT_##o)
_Static_assert(CLI_OPT_COUNT <= 64, "cli_opt_set has a bit per option");

/* A command-specific rule on the options seen (bits) or on the parsed values; NULL when none. Returns
 * CLI_EXIT_OK, or CLI_EXIT_USAGE after writing the reason (cli_usage_error). */
typedef int cli_check(const cli_args *a, cli_opt_set seen, FILE *err);

typedef struct cli_command {
    const char *name;          /* the first word; NULL: no command word (the interactive mode) */
    const char *word;          /* the second word that selects this entry ("show" in "order show"), or NULL */
    cli_cmd cmd;
    cli_opt_set allowed, required; /* CLI_OPT bits */
    int npos;                  /* positional arguments, the command's words included */
    bool last_optional;        /* the last positional argument may be left out (shift day [DATE]) */
    const char *missing[3];    /* the error when positional 1 (2, 3) is missing */
    const char *bad_id;        /* the error for an ID that cannot be one (one %s), or NULL */
    cli_check *check_opts;     /* after the generic option checks */
    cli_check *check_values;   /* after the generic value checks */
    cli_handler *run;          /* NULL: run by main (interactive mode, config) */
    const char *help;          /* the usage line(s) after "boxoffice [OPTIONS] " */
} cli_command;

extern const cli_command cli_commands[];
extern const size_t cli_commands_count;

/* The table entry that runs cmd, or NULL. */
const cli_command *cli_command_for(cli_cmd cmd);

/* Writes "boxoffice: " fmt (one %s: arg, sanitised) and the --help hint to err; returns CLI_EXIT_USAGE. */
int cli_usage_error(FILE *err, const char *fmt, const char *arg);

/* True when v is a whole number min..max in decimal digits (no sign, no space); *value gets it (may be NULL). */
bool cli_number_in(const char *v, long min, long max, long *value);

#endif
