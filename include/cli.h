#ifndef CLI_H
#define CLI_H
/* The command line: option parsing (for the UI and the scriptable commands) and the commands (list, show,
 * buy, create, order, find, refund, checkin, stats: their table is src/cli_table.c), on the same api_client
 * as the UI. Output goes to the given streams only. */
#include <stdbool.h>
#include <stdio.h>
#include "api.h"
#include "client_config.h"

#ifndef BOXOFFICE_VERSION
#define BOXOFFICE_VERSION "0.1.0"
#endif

/* Process exit codes (documented in --help and boxoffice(1)). */
enum cli_exit {
    CLI_EXIT_OK = 0,
    CLI_EXIT_USAGE = 1,        /* bad options, or input refused by the client-side validation */
    CLI_EXIT_API = 2,          /* any other API error: server-side validation (4xx), malformed answer */
    CLI_EXIT_SOLD_OUT = 3,
    CLI_EXIT_NOT_FOUND = 4,
    CLI_EXIT_FORBIDDEN = 5,    /* 401: not signed in, session expired, sign-in refused; 403: the group lacks it */
    CLI_EXIT_UNAVAILABLE = 6,  /* 5xx, 429, unreachable, timeout: try again later */
    CLI_EXIT_UNCONFIRMED = 7,  /* buy, order: no definite answer, the ticket(s) may have been sold: re-run the
                                * printed command (same Idempotency-Key), never a plain retry */
    CLI_EXIT_REFUSED = 8       /* checkin: NOT admitted (already admitted, refunded, wrong concert, unknown
                                * code); "cannot verify" is CLI_EXIT_UNAVAILABLE (re-run the printed command:
                                * the same --nonce admits once). checkin undo: the ticket is not checked in */
};

typedef enum cli_cmd {
    CLI_CMD_UI = 0,            /* no subcommand: the interactive box office */
    CLI_CMD_LIST,
    CLI_CMD_SHOW,
    CLI_CMD_BUY,
    CLI_CMD_CREATE,
    CLI_CMD_HELP,
    CLI_CMD_VERSION,
    CLI_CMD_CONFIG,            /* prints the resolved configuration (never the key itself) */
    CLI_CMD_ORDER,             /* order CONCERT_ID --quantity N ...: one sale of several tickets */
    CLI_CMD_ORDER_SHOW,        /* order show ORDER_ID (operator key) */
    CLI_CMD_FIND,              /* find (--email E | --name N | --code C) (operator key): src/cli_aftersale.c */
    CLI_CMD_REFUND,            /* refund ORDER_ID --reason TEXT (operator key): src/cli_aftersale.c */
    CLI_CMD_CHECKIN,           /* checkin CONCERT_ID CODE [--door NAME] [--nonce N] (operator key) */
    CLI_CMD_STATS,             /* stats CONCERT_ID (operator key) */
    CLI_CMD_CHECKIN_UNDO,      /* checkin undo TICKET_ID (operator key): the ticket goes back to valid */
    /* shifts and cash-up (src/cli_shift.c) */
    CLI_CMD_SHIFT_X,           /* shift | shift x: the X report of the caller's open shift */
    CLI_CMD_SHIFT_OPEN,        /* shift open --float AMOUNT [--currency C] [--terminal NAME] */
    CLI_CMD_SHIFT_DROP,        /* shift drop AMOUNT [--note TEXT] */
    CLI_CMD_SHIFT_PAIDOUT,     /* shift paidout AMOUNT --note TEXT */
    CLI_CMD_SHIFT_CLOSE,       /* shift close [--counted AMOUNT] [--note TEXT]: the blind count */
    CLI_CMD_SHIFT_SHOW,        /* shift show SHIFT_ID */
    CLI_CMD_SHIFT_DAY,         /* shift day [YYYY-MM-DD] [--csv] (managers) */
    CLI_CMD_SHIFT_VERIFY,      /* shift verify SHIFT_ID: the Z hash recomputed from the journal */
    CLI_CMD_LOGIN,             /* login [--remember]: sign in as an operator (src/cli_auth.c) */
    CLI_CMD_LOGOUT,            /* logout: forget the remembered session (the token file) */
    CLI_CMD_WHOAMI,            /* whoami: who is signed in (name, groups, sub) */
    /* operators and the journal (managers): src/cli_ops.c */
    CLI_CMD_OPERATORS_LIST, CLI_CMD_OPERATORS_ADD, CLI_CMD_OPERATORS_DISABLE, CLI_CMD_OPERATORS_ENABLE,
    CLI_CMD_OPERATORS_ROLE, CLI_CMD_JOURNAL
} cli_cmd;

/* Parsed command line. Strings are borrowed from argv. */
typedef struct cli_args {
    cli_cmd cmd;
    const char *id;                                        /* show, buy; checkin undo: the ticket */
    const char *name, *email;                              /* buy, create (name) */
    const char *date, *venue, *tickets, *price;            /* create (refund: tickets = ids, ',' between) */
    const char *sort;                                      /* list: date|name|seats */
    const char *filter;                                    /* list: substring of name or venue */
    const char *idem_key;                                  /* buy, order: --idempotency-key (checked), NULL: new */
    const char *quantity, *pay, *tendered;                 /* order: --quantity, --pay cash|card|comp, --tendered */
    const char *attendees[BO_ORDER_TICKETS_MAX];           /* order: --attendee NAME, repeatable */
    size_t n_attendees;
    const char *currency, *timezone, *max_per_order;       /* create: optional concert fields */
    const char *code, *concert, *limit, *cursor;           /* find: --code, --concert, --limit, --cursor;
                                                            * checkin: code = the scanned code */
    const char *reason, *method;                           /* refund: --reason, --method; --tickets ID,ID */
    const char *door;                                      /* --door: UI: door mode's concert; checkin: the door */
    const char *door_name;                                 /* --door-name: the door (UI and checkin) */
    const char *nonce;                                     /* checkin --nonce: the scan's id (retry: the same) */
    const char *group, *temp_password;                     /* operators add --group, --temporary-password;
                                                            * operators role: group = the GROUP argument */
    const char *day, *operator_sub;                        /* journal --day, --operator (and --shift below) */
    int timeout_s;                                         /* --timeout: seconds per answer, 0 = default */
    bool json, kiosk, inspect, no_color;
    bool past;                                             /* buy, order: --past, sell for a past concert */
    const char *shift, *terminal;                          /* order, refund, journal: --shift; order, refund: --terminal; shift open:
                                                            * --terminal */
    const char *float_amount, *counted, *note;             /* shift open --float, close --counted; --note */
    bool csv;                                              /* shift day --csv */
    bool remember;                                         /* login --remember: keep the session in the token file */
    config_flags flags;                                    /* --api-url, --kiosk-pin, --refresh */
} cli_args;

/* Parses argv by the command table (src/cli_table.c; GNU getopt_long: options may follow the command).
 * Returns CLI_EXIT_OK, or CLI_EXIT_USAGE after writing a one-line reason and a hint to err. Resets
 * getopt's state itself. */
int cli_parse_args(int argc, char **argv, cli_args *out, FILE *err);

void cli_usage(FILE *out);                 /* the --help text */
int cli_exit_code(api_status s);           /* API outcome -> process exit code */

/* The command line that re-sends a sale with its Idempotency-Key (every value shell-quoted), e.g.
 *   boxoffice --api-url 'http://…/dev' buy ID --name 'Alan Turing' --email alan@example.org --idempotency-key K
 * and --past when past (a past concert's sale needs the flag again). api_url may be NULL (then left out).
 * false when it does not fit in cap (out is then ""). */
#define CLI_BUY_COMMAND_MAX 8192
bool cli_buy_command(char *out, size_t cap, const char *api_url, const char *concert_id, const char *name,
                     const char *email, const char *idem_key, bool past);

/* The command line that re-sends an order with its Idempotency-Key (every value shell-quoted), from the
 * parsed arguments a; false when it does not fit in cap (out is then ""). */
bool cli_order_command(char *out, size_t cap, const char *api_url, const cli_args *a, const char *idem_key);

/* Runs the command a->cmd (its handler in the command table, src/cli_table.c) on a new api_client and returns
 * the exit code. Results go to out (a table, or JSON with --json), errors to err as
 * "boxoffice: <message> (HTTP <status>)". */
int cli_run(const cli_args *a, const api_config *api, FILE *out, FILE *err);

/* The command line that sends a door's scan again with its nonce (every value shell-quoted): it admits the
 * ticket at most once and answers the true verdict. api_url and door may be NULL (then left out). false when
 * it does not fit in cap (out is then ""). */
bool cli_checkin_command(char *out, size_t cap, const char *api_url, const char *concert_id, const char *code,
                         const char *door, const char *nonce);

/* "boxoffice config": where the API URL and the sign-in's settings come from (flag, environment, config file,
 * local stack), as text or JSON (--json). A script can use it to decide whether to start the local stack.
 * The password and the PIN are never printed, only whether they are set. Returns CLI_EXIT_OK. */
int cli_print_config(const cli_args *a, const config *cfg, FILE *out);

#endif
