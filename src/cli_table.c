/* The CLI's command table and its usage errors (see cli_table.h). */
#include <stdlib.h>
#include <string.h>

#include "bo_money.h"
#include "bo_text.h"
#include "bo_valid.h"
#include "bo_valid_order.h"
#include "api_operators.h"
#include "cli_table.h"

int cli_usage_error(FILE *err, const char *fmt, const char *arg)
{
    char safe[256]; /* the argument is echoed: keep escape sequences off the terminal */
    bo_text_sanitize(safe, sizeof safe, arg != NULL ? arg : "");
    fputs("boxoffice: ", err);
    fprintf(err, fmt, safe);
    fputs("\nTry 'boxoffice --help'.\n", err);
    return CLI_EXIT_USAGE;
}

bool cli_number_in(const char *v, long min, long max, long *value)
{
    char *end = NULL;
    long n = strtol(v, &end, 10);
    if (v[0] < '0' || v[0] > '9' || *end != '\0' || n < min || n > max)
        return false;
    if (value != NULL)
        *value = n;
    return true;
}

/* find: exactly one of --email, --name, --code; --code is a lookup, not a page of orders. */
static int check_find_opts(const cli_args *a, cli_opt_set seen, FILE *err)
{
    (void)a;
    if (((seen & CLI_OPT(EMAIL)) != 0) + ((seen & CLI_OPT(NAME)) != 0) + ((seen & CLI_OPT(CODE)) != 0) != 1)
        return cli_usage_error(err, "find: give one of --email, --name or --code%s", "");
    if ((seen & CLI_OPT(CODE)) && (seen & (CLI_OPT(CONCERT) | CLI_OPT(LIMIT) | CLI_OPT(CURSOR))))
        return cli_usage_error(err, "find --code: --concert, --limit and --cursor do not apply%s", "");
    return CLI_EXIT_OK;
}

/* order: the quantity, the payment and the attendees, by the backend's rules (common/bo_valid_order.c). */
static int check_order_values(const cli_args *a, cli_opt_set seen, FILE *err)
{
    (void)seen;
    long q = 0;
    if (!cli_number_in(a->quantity, 1, BO_ORDER_TICKETS_MAX, &q))
        return cli_usage_error(err, "--quantity needs a number of tickets 1..100, not '%s'", a->quantity);
    if (a->pay != NULL && bo_pay_method_parse(a->pay) == BO_PAY_NONE)
        return cli_usage_error(err, "--pay takes cash, card or comp, not '%s'", a->pay);
    if (a->tendered != NULL && (a->pay == NULL || strcmp(a->pay, "cash") != 0))
        return cli_usage_error(err, "--tendered goes with --pay cash%s", "");
    const char *bad_tendered = a->tendered != NULL ? bo_valid_tendered_text(a->tendered, NULL) : NULL;
    if (bad_tendered != NULL && strcmp(bad_tendered, BO_TENDERED_TOO_LARGE) == 0)
        return cli_usage_error(err, "--tendered: %s", bad_tendered);
    if (bad_tendered != NULL)
        return cli_usage_error(err, "--tendered takes an amount such as 100.00, not '%s'", a->tendered);
    if (a->n_attendees > 0 && bo_valid_attendee_count(a->n_attendees, q) != NULL) {
        char counts[64];
        snprintf(counts, sizeof counts, "%zu for %ld tickets", a->n_attendees, q);
        return cli_usage_error(err, "--attendee names each ticket: one per ticket, or none (%s)", counts);
    }
    return CLI_EXIT_OK;
}

/* operators add: the e-mail and the name by the rules the API client checks before sending */
static int check_operator_add(const cli_args *a, cli_opt_set seen, FILE *err)
{
    (void)seen;
    api_operator_input in = { .username = a->id, .name = a->name, .group = a->group,
                              .temporary_password = a->temp_password != NULL ? a->temp_password : "asked-on-the-tty" };
    const char *bad = api_operator_input_check(&in); /* the password asked for is checked once typed */
    return bad != NULL ? cli_usage_error(err, "operators add: %s", bad) : CLI_EXIT_OK;
}

static int check_operator_role(const cli_args *a, cli_opt_set seen, FILE *err)
{
    (void)seen;
    if (!api_operator_group_valid(a->group))
        return cli_usage_error(err, "operators role: the group is manager, cashier, door or kiosk, not '%s'", a->group);
    return CLI_EXIT_OK;
}

/* journal: by one of day, concert, shift (today's day when none is given); --operator only with the day */
static int check_journal_opts(const cli_args *a, cli_opt_set seen, FILE *err)
{
    (void)a;
    if (((seen & CLI_OPT(DAY)) != 0) + ((seen & CLI_OPT(CONCERT)) != 0) + ((seen & CLI_OPT(SHIFT)) != 0) > 1)
        return cli_usage_error(err, "journal: give one of --day, --concert or --shift%s", "");
    if ((seen & CLI_OPT(OPERATOR)) && (seen & (CLI_OPT(CONCERT) | CLI_OPT(SHIFT))))
        return cli_usage_error(err, "journal: --operator goes with --day (an operator's entries of a day)%s", "");
    return CLI_EXIT_OK;
}

#define CONCERT_ID_BAD "'%s' is not a concert ID"
#define ORDER_ID_BAD "'%s' is not an order ID"
#define SHIFT_ID_BAD "'%s' is not a shift ID"

/* order, refund: --terminal names the terminal of --shift. */
static int check_sale_shift(const cli_args *a, cli_opt_set seen, FILE *err)
{
    (void)a;
    if ((seen & CLI_OPT(TERMINAL)) && !(seen & CLI_OPT(SHIFT)))
        return cli_usage_error(err, "--terminal goes with --shift (the terminal of that shift)%s", "");
    return CLI_EXIT_OK;
}

/* shift open: --float AMOUNT, or CUR=AMOUNT,CUR=AMOUNT (then no --currency). */
static int check_shift_float(const cli_args *a, cli_opt_set seen, FILE *err)
{
    (void)seen;
    api_shift_amount v[API_SHIFT_CURRENCIES_MAX];
    size_t n;
    const char *why = api_shift_amounts_parse(a->float_amount, a->currency, v, &n);
    return why != NULL ? cli_usage_error(err, "--float: %s", why) : CLI_EXIT_OK;
}

static int check_shift_counted(const cli_args *a, cli_opt_set seen, FILE *err)
{
    (void)seen;
    api_shift_amount v[API_SHIFT_CURRENCIES_MAX];
    size_t n;
    const char *why = a->counted != NULL ? api_shift_amounts_parse(a->counted, a->currency, v, &n) : NULL;
    return why != NULL ? cli_usage_error(err, "--counted: %s", why) : CLI_EXIT_OK;
}

/* shift drop / paidout AMOUNT: an amount of cash above 0. */
static int check_shift_amount(const cli_args *a, cli_opt_set seen, FILE *err)
{
    (void)seen;
    int64_t cents = 0;
    const char *why = api_shift_amount_check(a->id, &cents);
    if (why == NULL && cents == 0)
        why = "more than 0.00";
    if (why != NULL) {
        char msg[200];
        snprintf(msg, sizeof msg, "%s: '%%s': %s", a->cmd == CLI_CMD_SHIFT_DROP ? "shift drop" : "shift paidout", why);
        return cli_usage_error(err, msg, a->id);
    }
    return CLI_EXIT_OK;
}

static int check_shift_day(const cli_args *a, cli_opt_set seen, FILE *err)
{
    (void)seen;
    if (a->id != NULL && (strlen(a->id) != 10 || bo_valid_date(a->id) != NULL))
        return cli_usage_error(err, "shift day: '%s' is not a date (YYYY-MM-DD)", a->id);
    return CLI_EXIT_OK;
}

/* In --help order. An entry with a word is chosen before the same name without one. */
const cli_command cli_commands[] = {
    { .name = NULL, .cmd = CLI_CMD_UI,
      .help = "                     the interactive box office (terminal UI)" },
    { .name = "list", .cmd = CLI_CMD_LIST, .npos = 1, .run = cli_sale_list,
      .allowed = CLI_OPT(SORT) | CLI_OPT(FILTER),
      .help = "list [--sort date|name|seats] [--filter TEXT]" },
    { .name = "show", .cmd = CLI_CMD_SHOW, .npos = 2, .run = cli_sale_show,
      .missing = { "show: a concert ID is required" }, .bad_id = CONCERT_ID_BAD,
      .help = "show ID" },
    { .name = "buy", .cmd = CLI_CMD_BUY, .npos = 2, .run = cli_sale_buy,
      .allowed = CLI_OPT(NAME) | CLI_OPT(EMAIL) | CLI_OPT(IDEM_KEY) | CLI_OPT(PAST),
      .required = CLI_OPT(NAME) | CLI_OPT(EMAIL),
      .missing = { "buy: a concert ID is required" }, .bad_id = CONCERT_ID_BAD,
      .help = "buy ID --name NAME --email EMAIL [--idempotency-key KEY] [--past]" },
    { .name = "create", .cmd = CLI_CMD_CREATE, .npos = 1, .run = cli_sale_create,
      .allowed = CLI_OPT(NAME) | CLI_OPT(DATE) | CLI_OPT(VENUE) | CLI_OPT(TICKETS) | CLI_OPT(PRICE)
                 | CLI_OPT(CURRENCY) | CLI_OPT(TIMEZONE) | CLI_OPT(MAX_PER_ORDER),
      .required = CLI_OPT(NAME) | CLI_OPT(DATE) | CLI_OPT(VENUE) | CLI_OPT(TICKETS) | CLI_OPT(PRICE),
      .help = "create --name NAME --date DATE --venue VENUE --tickets N --price PRICE\n"
              "                 [--currency EUR] [--timezone Europe/Berlin] [--max-per-order N]" },
    /* name and e-mail: required on the public route only (cli_sale_order) */
    { .name = "order", .cmd = CLI_CMD_ORDER, .npos = 2, .run = cli_sale_order,
      .allowed = CLI_OPT(QUANTITY) | CLI_OPT(NAME) | CLI_OPT(EMAIL) | CLI_OPT(ATTENDEE) | CLI_OPT(PAY)
                 | CLI_OPT(TENDERED) | CLI_OPT(IDEM_KEY) | CLI_OPT(PAST) | CLI_OPT(SHIFT) | CLI_OPT(TERMINAL),
      .required = CLI_OPT(QUANTITY),
      .missing = { "order: a concert ID is required" }, .bad_id = CONCERT_ID_BAD,
      .check_opts = check_sale_shift, .check_values = check_order_values,
      .help = "order ID --quantity N [--name NAME] [--email EMAIL] [--attendee NAME]...\n"
              "                 [--pay cash|card|comp] [--tendered AMOUNT] [--idempotency-key KEY] [--past]\n"
              "                 [--shift ID --terminal NAME]" },
    { .name = "order", .word = "show", .cmd = CLI_CMD_ORDER_SHOW, .npos = 3, .run = cli_sale_order_show,
      .missing = { "order show: an order ID is required", "order show: an order ID is required" },
      .bad_id = ORDER_ID_BAD,
      .help = "order show ORDER_ID" },
    { .name = "find", .cmd = CLI_CMD_FIND, .npos = 1, .run = cli_aftersale_find,
      .allowed = CLI_OPT(EMAIL) | CLI_OPT(NAME) | CLI_OPT(CODE) | CLI_OPT(CONCERT) | CLI_OPT(LIMIT)
                 | CLI_OPT(CURSOR),
      .check_opts = check_find_opts,
      .help = "find (--email E | --name N | --code C) [--concert ID] [--limit N] [--cursor C]" },
    /* without --tickets a refund takes every valid ticket */
    { .name = "refund", .cmd = CLI_CMD_REFUND, .npos = 2, .run = cli_aftersale_refund,
      .allowed = CLI_OPT(REASON) | CLI_OPT(TICKETS) | CLI_OPT(METHOD) | CLI_OPT(IDEM_KEY) | CLI_OPT(SHIFT)
                 | CLI_OPT(TERMINAL),
      .required = CLI_OPT(REASON),
      .missing = { "refund: an order ID is required" }, .bad_id = ORDER_ID_BAD, .check_opts = check_sale_shift,
      .help = "refund ORDER_ID --reason TEXT [--tickets ID,ID] [--method cash|card|comp]\n"
              "                 [--idempotency-key KEY] [--shift ID --terminal NAME]" },
    { .name = "checkin", .cmd = CLI_CMD_CHECKIN, .npos = 3, .run = cli_door_checkin,
      .missing = { "checkin: a concert ID is required",
                   "checkin: a ticket code is required (checkin CONCERT_ID CODE)" },
      .bad_id = CONCERT_ID_BAD,
      .help = "checkin CONCERT_ID CODE [--door NAME] [--nonce NONCE]" },
    { .name = "checkin", .word = "undo", .cmd = CLI_CMD_CHECKIN_UNDO, .npos = 3, .run = cli_door_undo,
      .missing = { "checkin undo: a ticket ID is required", "checkin undo: a ticket ID is required" },
      .bad_id = "'%s' is not a ticket ID",
      .help = "checkin undo TICKET_ID" },
    { .name = "stats", .cmd = CLI_CMD_STATS, .npos = 2, .run = cli_door_stats,
      .missing = { "stats: a concert ID is required" }, .bad_id = CONCERT_ID_BAD,
      .help = "stats CONCERT_ID" },
    /* shifts and cash-up (src/cli_shift.c) */
    { .name = "shift", .cmd = CLI_CMD_SHIFT_X, .npos = 1, .run = cli_shift_x,
      .help = "shift | shift x          the X report of your open shift" },
    { .name = "shift", .word = "x", .cmd = CLI_CMD_SHIFT_X, .npos = 2, .run = cli_shift_x, .help = NULL },
    { .name = "shift", .word = "open", .cmd = CLI_CMD_SHIFT_OPEN, .npos = 2, .run = cli_shift_open,
      .allowed = CLI_OPT(FLOAT) | CLI_OPT(CURRENCY) | CLI_OPT(TERMINAL) | CLI_OPT(IDEM_KEY), .required = CLI_OPT(FLOAT),
      .check_values = check_shift_float,
      .help = "shift open --float AMOUNT [--currency EUR] [--terminal NAME] [--idempotency-key KEY]" },
    { .name = "shift", .word = "drop", .cmd = CLI_CMD_SHIFT_DROP, .npos = 3, .run = cli_shift_drop,
      .allowed = CLI_OPT(NOTE) | CLI_OPT(CURRENCY),
      .missing = { "shift drop: an amount is required", "shift drop: an amount is required (shift drop 50.00)" },
      .bad_id = "shift drop: '%s' is not an amount", .check_values = check_shift_amount,
      .help = "shift drop AMOUNT [--currency EUR] [--note TEXT]" },
    { .name = "shift", .word = "paidout", .cmd = CLI_CMD_SHIFT_PAIDOUT, .npos = 3, .run = cli_shift_paidout,
      .allowed = CLI_OPT(NOTE) | CLI_OPT(CURRENCY), .required = CLI_OPT(NOTE),
      .missing = { "shift paidout: an amount is required", "shift paidout: an amount is required (shift paidout 12.00 --note taxi)" },
      .bad_id = "shift paidout: '%s' is not an amount", .check_values = check_shift_amount,
      .help = "shift paidout AMOUNT --note TEXT [--currency EUR]" },
    { .name = "shift", .word = "close", .cmd = CLI_CMD_SHIFT_CLOSE, .npos = 2, .run = cli_shift_close,
      .allowed = CLI_OPT(COUNTED) | CLI_OPT(CURRENCY) | CLI_OPT(NOTE) | CLI_OPT(IDEM_KEY),
      .check_values = check_shift_counted,
      .help = "shift close [--counted AMOUNT | --counted EUR=174.50,USD=20.00] [--note TEXT]\n"
              "                 [--idempotency-key KEY]   the blind count (asked on the terminal without --counted)" },
    { .name = "shift", .word = "show", .cmd = CLI_CMD_SHIFT_SHOW, .npos = 3, .run = cli_shift_show,
      .missing = { "shift show: a shift ID is required", "shift show: a shift ID is required" },
      .bad_id = SHIFT_ID_BAD,
      .help = "shift show SHIFT_ID" },
    { .name = "shift", .word = "day", .cmd = CLI_CMD_SHIFT_DAY, .npos = 3, .last_optional = true, .run = cli_shift_day,
      .allowed = CLI_OPT(CSV), .missing = { "", "" }, .bad_id = "shift day: '%s' is not a date (YYYY-MM-DD)",
      .check_values = check_shift_day,
      .help = "shift day [YYYY-MM-DD] [--csv]   every shift of a day (managers)" },
    { .name = "shift", .word = "verify", .cmd = CLI_CMD_SHIFT_VERIFY, .npos = 3, .run = cli_shift_verify,
      .missing = { "shift verify: a shift ID is required", "shift verify: a shift ID is required" },
      .bad_id = SHIFT_ID_BAD,
      .help = "shift verify SHIFT_ID    recompute the Z report's hash from the journal" },
    /* operators and the journal (managers; the server refuses others with 403) */
    { .name = "operators", .cmd = CLI_CMD_OPERATORS_LIST, .npos = 1, .run = cli_ops_list,
      .help = "operators [list]" },
    { .name = "operators", .word = "list", .cmd = CLI_CMD_OPERATORS_LIST, .npos = 2, .run = cli_ops_list },
    { .name = "operators", .word = "add", .cmd = CLI_CMD_OPERATORS_ADD, .npos = 3, .run = cli_ops_add,
      .allowed = CLI_OPT(NAME) | CLI_OPT(GROUP) | CLI_OPT(TEMP_PASSWORD), .required = CLI_OPT(NAME) | CLI_OPT(GROUP),
      .missing = { "operators add: an e-mail is required", "operators add: an e-mail is required" },
      .bad_id = "'%s' is not an e-mail", .check_values = check_operator_add,
      .help = "operators add EMAIL --name NAME --group manager|cashier|door|kiosk\n"
              "                 [--temporary-password P]" },
    { .name = "operators", .word = "disable", .cmd = CLI_CMD_OPERATORS_DISABLE, .npos = 3, .run = cli_ops_disable,
      .missing = { "operators disable: an e-mail is required", "operators disable: an e-mail is required" },
      .bad_id = "'%s' is not an e-mail", .help = "operators disable EMAIL | operators enable EMAIL" },
    { .name = "operators", .word = "enable", .cmd = CLI_CMD_OPERATORS_ENABLE, .npos = 3, .run = cli_ops_enable,
      .missing = { "operators enable: an e-mail is required", "operators enable: an e-mail is required" },
      .bad_id = "'%s' is not an e-mail" },
    { .name = "operators", .word = "role", .cmd = CLI_CMD_OPERATORS_ROLE, .npos = 4, .run = cli_ops_role,
      .missing = { "operators role: an e-mail is required", "operators role: an e-mail is required",
                   "operators role: a group is required (manager, cashier, door, kiosk)" },
      .bad_id = "'%s' is not an e-mail", .check_values = check_operator_role,
      .help = "operators role EMAIL manager|cashier|door|kiosk" },
    { .name = "journal", .cmd = CLI_CMD_JOURNAL, .npos = 1, .run = cli_ops_journal,
      .allowed = CLI_OPT(DAY) | CLI_OPT(OPERATOR) | CLI_OPT(CONCERT) | CLI_OPT(SHIFT) | CLI_OPT(LIMIT) | CLI_OPT(CURSOR),
      .check_opts = check_journal_opts,
      .help = "journal [--day YYYY-MM-DD [--operator SUB] | --concert ID | --shift ID] [--limit N] [--cursor C]" },
    { .name = NULL, .cmd = CLI_CMD_UI, /* the same mode, with --door: its usage line */
      .help = "--door CONCERT_ID [--door-name NAME]   door mode (scanner view)" },
    { .name = "login", .cmd = CLI_CMD_LOGIN, .npos = 1, .run = cli_auth_login, .allowed = CLI_OPT(REMEMBER),
      .help = "login [--remember]   sign in as an operator (BOXOFFICE_USER / BOXOFFICE_PASSWORD, else asks)" },
    { .name = "logout", .cmd = CLI_CMD_LOGOUT, .npos = 1, .run = cli_auth_logout,
      .help = "logout     forget the remembered sign-in" },
    { .name = "whoami", .cmd = CLI_CMD_WHOAMI, .npos = 1, .run = cli_auth_whoami,
      .help = "whoami     who is signed in: name, groups" },
    { .name = "config", .cmd = CLI_CMD_CONFIG, .npos = 1,
      .help = "config     where the API URL and the sign-in come from (no password shown)" },
};
const size_t cli_commands_count = sizeof cli_commands / sizeof cli_commands[0];

const cli_command *cli_command_for(cli_cmd cmd)
{
    for (size_t i = 0; i < cli_commands_count; i++)
        if (cli_commands[i].cmd == cmd)
            return &cli_commands[i];
    return NULL;
}
