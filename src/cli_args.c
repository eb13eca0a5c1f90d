/* Command-line parsing and the --help text (see cli.h), driven by the option table below and the
 * command table (cli_table.h). */
#include <getopt.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_door.h"
#include "api_shift.h"
#include "api_operators.h"
#include "bo_money.h"
#include "bo_text.h"
#include "bo_valid.h"
#include "bo_valid_order.h"
#include "cli.h"
#include "cli_table.h"

/* How an option's value is stored in cli_args (at .off). */
typedef enum opt_store {
    STORE_TEXT,     /* const char *: the argument itself (borrowed from argv) */
    STORE_TRUE,     /* bool: set */
    STORE_SECONDS,  /* int: a whole number of seconds .min..max */
    STORE_APPEND,   /* attendees[]: one more, at most BO_ORDER_TICKETS_MAX */
    STORE_HELP,
    STORE_VERSION
} opt_store;

typedef struct cli_option {
    const char *name;
    bool value;     /* takes a value */
    int bit;        /* enum cli_opt_bit for an option of a command; -1 for a global one */
    opt_store store;
    size_t off;
    int min, max;   /* STORE_SECONDS */
    bool (*valid)(const char *v); /* STORE_TEXT: the value's rule, checked once the command is known */
    const char *bad;              /* the usage error when it fails (one %s: the value) */
} cli_option;

static bool sort_valid(const char *v)
{
    return strcmp(v, "date") == 0 || strcmp(v, "name") == 0 || strcmp(v, "seats") == 0;
}

static bool id_valid(const char *v)
{
    return v[0] != '\0' && strlen(v) <= BO_ID_MAX;
}

static bool limit_valid(const char *v)
{
    return cli_number_in(v, 1, 50, NULL);
}

static bool group_valid(const char *v)
{
    return api_operator_group_valid(v);
}

static bool day_valid(const char *v)
{
    return strlen(v) == 10 && bo_valid_date(v) == NULL;
}

static bool pay_valid(const char *v)
{
    return bo_pay_method_parse(v) != BO_PAY_NONE;
}

static bool currency_valid(const char *v)
{
    return bo_valid_currency(v) == NULL;
}

static bool timezone_valid(const char *v)
{
    return bo_valid_timezone(v) == NULL && model_tz_name_plausible(v);
}

static bool terminal_valid(const char *v)
{
    return api_shift_terminal_check(v) == NULL;
}

static bool note_valid(const char *v)
{
    return api_shift_note_check(v) == NULL;
}

static bool max_per_order_valid(const char *v)
{
    return bo_valid_max_per_order_text(v, NULL) == NULL;
}

#define TEXT(n, field, b) { n, true, b, STORE_TEXT, offsetof(cli_args, field), 0, 0, NULL, NULL }
#define FLAG(n, field, b) { n, false, b, STORE_TRUE, offsetof(cli_args, field), 0, 0, NULL, NULL }
/* A checked value: by the backend's rule where it has one (common/bo_valid*.h), so a refusal comes before
 * anything is sent. */
#define CHECKED(n, field, b, rule, msg) { n, true, b, STORE_TEXT, offsetof(cli_args, field), 0, 0, rule, msg }

/* getopt_long reports option i as OPT_BASE + i; -h and -V as themselves. */
#define OPT_BASE 256

static const cli_option options[] = {
    TEXT("api-url", flags.api_url, -1),
    FLAG("json", json, -1),
    FLAG("kiosk", kiosk, -1),
    TEXT("kiosk-pin", flags.kiosk_pin, -1),
    FLAG("inspect", inspect, -1),
    { "refresh", true, -1, STORE_SECONDS, offsetof(cli_args, flags.refresh_s), 0, 86400, NULL, NULL },
    FLAG("no-color", no_color, -1),
    TEXT("name", name, CLI_OPT_NAME),
    TEXT("email", email, CLI_OPT_EMAIL),
    TEXT("date", date, CLI_OPT_DATE),
    TEXT("venue", venue, CLI_OPT_VENUE),
    TEXT("tickets", tickets, CLI_OPT_TICKETS),
    TEXT("price", price, CLI_OPT_PRICE),
    CHECKED("sort", sort, CLI_OPT_SORT, sort_valid, "--sort takes date, name or seats, not '%s'"),
    TEXT("filter", filter, CLI_OPT_FILTER),
    TEXT("quantity", quantity, CLI_OPT_QUANTITY),
    { "attendee", true, CLI_OPT_ATTENDEE, STORE_APPEND, offsetof(cli_args, attendees), 0, 0, NULL, NULL },
    TEXT("pay", pay, CLI_OPT_PAY),
    TEXT("tendered", tendered, CLI_OPT_TENDERED),
    CHECKED("currency", currency, CLI_OPT_CURRENCY, currency_valid,
            "--currency takes an ISO 4217 code such as EUR, not '%s'"),
    CHECKED("timezone", timezone, CLI_OPT_TIMEZONE, timezone_valid,
            "--timezone takes an IANA zone name such as Europe/Berlin, not '%s'"),
    CHECKED("max-per-order", max_per_order, CLI_OPT_MAX_PER_ORDER, max_per_order_valid,
            "--max-per-order takes a number 1..49, not '%s'"),
    TEXT("code", code, CLI_OPT_CODE),
    CHECKED("concert", concert, CLI_OPT_CONCERT, id_valid, "--concert: '%s' is not a concert ID"),
    CHECKED("limit", limit, CLI_OPT_LIMIT, limit_valid, "--limit takes a number 1..50, not '%s'"),
    TEXT("cursor", cursor, CLI_OPT_CURSOR),
    TEXT("reason", reason, CLI_OPT_REASON),
    CHECKED("method", method, CLI_OPT_METHOD, pay_valid, "--method takes cash, card or comp, not '%s'"),
    CHECKED("idempotency-key", idem_key, CLI_OPT_IDEM_KEY, api_idempotency_key_valid,
            "--idempotency-key takes 1 to 255 visible ASCII characters (no spaces), not '%s'"),
    FLAG("past", past, CLI_OPT_PAST),
    CHECKED("shift", shift, CLI_OPT_SHIFT, id_valid, "--shift: '%s' is not a shift ID"),
    CHECKED("terminal", terminal, CLI_OPT_TERMINAL, terminal_valid, "--terminal takes 1 to 64 characters, a visible one, no control or bidi character, not '%s'"),
    TEXT("float", float_amount, CLI_OPT_FLOAT),
    TEXT("counted", counted, CLI_OPT_COUNTED),
    CHECKED("note", note, CLI_OPT_NOTE, note_valid, "--note takes at most 200 characters, no control or bidi character, not '%s'"),
    FLAG("csv", csv, CLI_OPT_CSV),
    CHECKED("group", group, CLI_OPT_GROUP, group_valid, "--group takes manager, cashier, door or kiosk, not '%s'"),
    TEXT("temporary-password", temp_password, CLI_OPT_TEMP_PASSWORD),
    CHECKED("day", day, CLI_OPT_DAY, day_valid, "--day takes a date such as 2026-12-07, not '%s'"),
    CHECKED("operator", operator_sub, CLI_OPT_OPERATOR, id_valid, "--operator: '%s' is not an operator's sub"),
    FLAG("remember", remember, CLI_OPT_REMEMBER),
    { "timeout", true, -1, STORE_SECONDS, offsetof(cli_args, timeout_s), 1, 600, NULL, NULL },
    TEXT("door", door, -1),
    TEXT("door-name", door_name, -1),
    TEXT("nonce", nonce, -1),
    { "help", false, -1, STORE_HELP, 0, 0, 0, NULL, NULL },
    { "version", false, -1, STORE_VERSION, 0, 0, 0, NULL, NULL },
};
#define N_OPTIONS (sizeof options / sizeof options[0])

static const char *bit_name(int bit)
{
    for (size_t i = 0; i < N_OPTIONS; i++)
        if (options[i].bit == bit)
            return options[i].name;
    return "?";
}

/* Stores one option's value; *seen gets its bit. CLI_EXIT_USAGE (reason written) for a bad value. */
static int store_option(const cli_option *o, const char *arg, cli_args *out, cli_opt_set *seen, FILE *err)
{
    char *field = (char *)out + o->off;
    switch (o->store) {
    case STORE_TEXT: *(const char **)field = arg; break;
    case STORE_TRUE: *(bool *)field = true; break;
    case STORE_SECONDS: {
        char fmt[96];
        long v = 0;
        if (!cli_number_in(arg, o->min, o->max, &v)) {
            snprintf(fmt, sizeof fmt, "--%s needs a number of seconds %d..%d, not '%%s'", o->name, o->min, o->max);
            return cli_usage_error(err, fmt, arg);
        }
        *(int *)field = (int)v;
        break;
    }
    case STORE_APPEND:
        if (out->n_attendees >= BO_ORDER_TICKETS_MAX)
            return cli_usage_error(err, "--attendee: at most 100 names%s", "");
        out->attendees[out->n_attendees++] = arg;
        break;
    case STORE_HELP: /* reported by getopt as -h and -V (read_options) */
    case STORE_VERSION: break;
    }
    if (o->bit >= 0)
        *seen |= (cli_opt_set)1 << o->bit;
    return CLI_EXIT_OK;
}

/* Reads every option (GNU getopt_long: they may follow the command). out->cmd is CLI_CMD_HELP or
 * CLI_CMD_VERSION when asked for. */
static int read_options(int argc, char **argv, cli_args *out, cli_opt_set *seen, FILE *err)
{
    struct option long_opts[N_OPTIONS + 1];
    for (size_t i = 0; i < N_OPTIONS; i++)
        long_opts[i] = (struct option){ options[i].name, options[i].value ? required_argument : no_argument, NULL,
                                        options[i].store == STORE_HELP      ? 'h'
                                        : options[i].store == STORE_VERSION ? 'V'
                                                                            : OPT_BASE + (int)i };
    long_opts[N_OPTIONS] = (struct option){ NULL, 0, NULL, 0 };
    int opt, rc;
    optind = 0; /* GNU: full re-initialisation, so this can be called more than once */
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":hV", long_opts, NULL)) != -1) {
        if (opt >= OPT_BASE) {
            if ((rc = store_option(&options[opt - OPT_BASE], optarg, out, seen, err)) != CLI_EXIT_OK)
                return rc;
        } else if (opt == 'h' || opt == 'V') {
            out->cmd = opt == 'h' || out->cmd == CLI_CMD_HELP ? CLI_CMD_HELP : CLI_CMD_VERSION;
        } else if (opt == ':') {
            if (optopt >= OPT_BASE)
                return cli_usage_error(err, "option --%s needs a value", options[optopt - OPT_BASE].name);
            return cli_usage_error(err, "option %s needs a value", argv[optind - 1]);
        } else {
            if (optopt > 0 && optopt < OPT_BASE)
                return cli_usage_error(err, "unknown option -%s", (char[]){ (char)optopt, '\0' });
            return cli_usage_error(err, "unknown option %s", argv[optind - 1]);
        }
    }
    return CLI_EXIT_OK;
}

/* The table entry named by the positional arguments: an entry with a second word first. */
static const cli_command *find_command(int npos, char **pos)
{
    const cli_command *plain = NULL;
    for (size_t i = 0; i < cli_commands_count; i++) {
        const cli_command *c = &cli_commands[i];
        if (npos == 0 ? c->name != NULL : c->name == NULL || strcmp(c->name, pos[0]) != 0)
            continue;
        if (c->word == NULL && plain == NULL)
            plain = c;
        else if (c->word != NULL && npos >= 2 && strcmp(pos[1], c->word) == 0)
            return c;
    }
    return plain;
}

/* "unknown command 'X' (commands: list, show, ...)": every named command once, in table order. */
static int unknown_command(const char *sub, FILE *err)
{
    char fmt[512] = "unknown command '%s' (commands: ";
    const char *last = NULL;
    for (size_t i = 0; i < cli_commands_count; i++) {
        const char *name = cli_commands[i].name;
        if (name == NULL || (last != NULL && strcmp(last, name) == 0))
            continue;
        if (last != NULL)
            strncat(fmt, ", ", sizeof fmt - strlen(fmt) - 1);
        strncat(fmt, name, sizeof fmt - strlen(fmt) - 1);
        last = name;
    }
    strncat(fmt, ")", sizeof fmt - strlen(fmt) - 1);
    return cli_usage_error(err, fmt, sub);
}

/* The command's options: only those it allows, every one it requires, its own rule; then its positional
 * arguments (the ID and, for checkin, the code). */
static int check_command(const cli_command *cmd, cli_opt_set seen, int npos, char **pos, cli_args *out, FILE *err)
{
    for (int o = 0; o < CLI_OPT_COUNT; o++) {
        if ((seen & ((cli_opt_set)1 << o)) && !(cmd->allowed & ((cli_opt_set)1 << o))) {
            if (cmd->name == NULL)
                return cli_usage_error(err, "--%s belongs to a command (list, show, buy, create, order)", bit_name(o));
            char msg[128];
            snprintf(msg, sizeof msg, "%s: option --%s does not apply here", cmd->name, bit_name(o));
            return cli_usage_error(err, "%s", msg);
        }
    }
    int rc = cmd->check_opts != NULL ? cmd->check_opts(out, seen, err) : CLI_EXIT_OK;
    if (rc != CLI_EXIT_OK)
        return rc;
    for (int o = 0; o < CLI_OPT_COUNT; o++)
        if ((cmd->required & ((cli_opt_set)1 << o)) && !(seen & ((cli_opt_set)1 << o))) {
            char msg[128];
            snprintf(msg, sizeof msg, "%s: --%s is required", cmd->name, bit_name(o));
            return cli_usage_error(err, "%s", msg);
        }
    if (npos > cmd->npos)
        return cli_usage_error(err, "unexpected argument '%s'", pos[cmd->npos]);
    if (npos < cmd->npos && !(cmd->last_optional && npos == cmd->npos - 1))
        return cli_usage_error(err, "%s", cmd->missing[npos - 1]);
    if (cmd->npos >= 2 && npos > (cmd->word != NULL ? 2 : 1)) /* the command's ID follows its word(s); checkin:
                                                                    * CONCERT_ID CODE */
        out->id = pos[cmd->word != NULL ? 2 : 1];
    if (cmd->cmd == CLI_CMD_CHECKIN)
        out->code = pos[2];
    if (cmd->cmd == CLI_CMD_OPERATORS_ROLE) /* operators role EMAIL GROUP */
        out->group = pos[3];
    return CLI_EXIT_OK;
}

/* --door, --door-name and --nonce: where they apply and what they take. */
static int check_door(cli_args *out, FILE *err)
{
    if (out->cmd == CLI_CMD_CHECKIN_UNDO && (out->nonce != NULL || out->door != NULL || out->door_name != NULL))
        return cli_usage_error(err, "checkin undo: --door, --door-name and --nonce do not apply%s", "");
    if (out->nonce != NULL && out->cmd != CLI_CMD_CHECKIN)
        return cli_usage_error(err, "--nonce belongs to the command checkin%s", "");
    if (out->door != NULL && out->cmd != CLI_CMD_UI && out->cmd != CLI_CMD_CHECKIN)
        return cli_usage_error(err, "--door applies to the interactive mode (door mode) and to checkin%s", "");
    if (out->door_name != NULL && out->cmd != CLI_CMD_UI && out->cmd != CLI_CMD_CHECKIN)
        return cli_usage_error(err, "--door-name applies to door mode and to checkin%s", "");
    if (out->cmd == CLI_CMD_CHECKIN) { /* --door names the door here; --door-name is the same */
        if (out->door != NULL && out->door_name != NULL)
            return cli_usage_error(err, "checkin: --door and --door-name say the same: give one%s", "");
        if (out->door == NULL)
            out->door = out->door_name;
        out->door_name = out->door;
    }
    const char *door_bad = out->door_name != NULL ? bo_valid_door(out->door_name) : NULL;
    if (door_bad != NULL) /* the API's own rule: refused here, before anything is sent */
        return cli_usage_error(err, "%s", door_bad);
    if (out->cmd == CLI_CMD_UI && out->door != NULL
        && (out->door[0] == '\0' || strlen(out->door) > BO_ID_MAX || bo_text_has_control(out->door)))
        return cli_usage_error(err, "--door takes a concert ID, not '%s'", out->door);
    if (out->nonce != NULL && !api_checkin_nonce_valid(out->nonce))
        return cli_usage_error(err, "--nonce takes 1 to 128 visible ASCII characters, not '%s'", out->nonce);
    if (out->cmd == CLI_CMD_CHECKIN && (out->code[0] == '\0' || strlen(out->code) > 256))
        return cli_usage_error(err, "checkin: '%s' is not a ticket code", out->code);
    return CLI_EXIT_OK;
}

/* The interactive mode's options (--json never; --inspect not on a kiosk) and theirs only there. */
static int check_mode(const cli_args *out, FILE *err)
{
    if (out->cmd == CLI_CMD_UI) {
        if (out->json)
            return cli_usage_error(err, "--json applies to the commands list, show, buy, create, order, find, refund, checkin, checkin undo and stats%s", "");
        /* the inspector shows every request body, customers' names and e-mails included: never on a kiosk */
        if (out->kiosk && out->inspect)
            return cli_usage_error(err, "--inspect cannot be combined with --kiosk (it would show customers' data)%s", "");
    } else if (out->kiosk || out->inspect || out->flags.kiosk_pin != NULL || out->flags.refresh_s >= 0) {
        return cli_usage_error(err, "--kiosk, --kiosk-pin, --inspect and --refresh apply to the interactive mode only%s", "");
    }
    return CLI_EXIT_OK;
}

/* The command's ID, its own rule (order: quantity, payment, attendees), then each checked option's value in
 * the option table's order. */
static int check_values(const cli_command *cmd, const cli_args *out, cli_opt_set seen, FILE *err)
{
    if (out->id != NULL && !id_valid(out->id))
        return cli_usage_error(err, cmd->bad_id, out->id);
    int rc = cmd->check_values != NULL ? cmd->check_values(out, seen, err) : CLI_EXIT_OK;
    if (rc != CLI_EXIT_OK)
        return rc;
    for (size_t i = 0; i < N_OPTIONS; i++) {
        const char *v = options[i].valid != NULL ? *(const char *const *)((const char *)out + options[i].off) : NULL;
        if (v != NULL && !options[i].valid(v))
            return cli_usage_error(err, options[i].bad, v);
    }
    return CLI_EXIT_OK;
}

void cli_usage(FILE *out)
{
    for (size_t i = 0; i < cli_commands_count; i++)
        if (cli_commands[i].help != NULL) /* an alias (shift x) shares its usage line */
            fprintf(out, "%s boxoffice [OPTIONS] %s\n", i == 0 ? "Usage:" : "      ", cli_commands[i].help);
    fputs(
        "\n"
        "Sells concert tickets through the concert service's HTTP API.\n"
        "\n"
        "Options:\n"
        "  --api-url URL       API base URL, e.g. https://abc.execute-api.us-east-1.amazonaws.com/dev\n"
        "  --json              subcommands print JSON instead of a table (texts whole and exactly as the API\n"
        "                      gave them, controls and bidi characters as \\u escapes)\n"
        "  --kiosk             purchase-only terminal: no create, no quit without the PIN, idle reset;\n"
        "                      its screens work from 60x20 (the receipt's QR code first)\n"
        "  --kiosk-pin PIN     PIN that lets a kiosk quit (or kiosk_pin in the config file)\n"
        "  --inspect           show every HTTP request and answer in a side panel (not with --kiosk)\n"
        "  --refresh SECONDS   auto-refresh of seats left (default 5; 0 turns it off)\n"
        "  --timeout SECONDS   how long to wait for each answer (default 10, 1..600)\n"
        "  --idempotency-key KEY  buy, order: the sale's key (1-255 visible ASCII); the same key never sells twice\n"
        "  --past              buy, order: sell for a concert that is past (it started more than 3 hours ago;\n"
        "                      a date without a time: the day is over); without it such a sale is refused\n"
        "\n"
        "Orders: signed in as an operator the box-office route (name and e-mail optional for a walk-up; --pay cash,\n"
        "  card or comp; --tendered for cash, e.g. 100.00, at most 1000000000.00, prints the change);\n"
        "  not signed in the public route (--name and --email required, card only). --attendee names the\n"
        "  tickets in order, once per ticket or not at all.\n"
        "  'order show' (signed in) prints an order with its ticket codes and their status.\n"
        "Find (signed in): orders by a prefix of the customer's e-mail or name, or of a ticket holder's name\n"
        "  (its state says 'ticket holder NAME'; case and accents do not matter; at least 2 characters), newest\n"
        "  first per customer, --limit 1..50 (default 20); --cursor continues with the next page (printed last\n"
        "  when there is one); --code shows a ticket by its code\n"
        "  (letters only, such as a 20-letter name, that no ticket has: the orders of that name instead).\n"
        "Refund (signed in): the tickets (ids from 'order show'; default every valid one) go back on sale;\n"
        "  --method how the money goes back (default the order's payment); a ticket refunded or admitted\n"
        "  already refunds nothing (exit 2, naming each ticket's state). Same --idempotency-key: refunds once;\n"
        "  with other tickets, reason or method: refused (exit 2). Prints what the server refunded: how many\n"
        "  tickets, which, the amount and the method (--json: \"refund\").\n"
        "Door (signed in): --door CONCERT_ID opens the full-screen scanner view (a scanner types the code and\n"
        "  Enter; with --kiosk-pin only F10 and the PIN leave it); --door-name NAME says where (sent with each\n"
        "  check-in; alone, the name d on a concert offers; 1 to 64 characters, a visible one, no control or\n"
        "  bidi character). Quitting with scans unverified prints each one's checkin command with its nonce.\n"
        "  'checkin' admits one code (--door NAME: where; --nonce: the scan's id, to retry the very\n"
        "  same scan: it admits once); 'checkin undo' puts an admitted ticket back to valid (an operator's\n"
        "  correction; the ticket id as 'find --code' or 'order show --json' gives it); 'stats' prints\n"
        "  capacity, sold, refunded, admitted and revenue.\n"
        "Shifts (operators): 'shift open' opens your shift at this terminal (--terminal, else BOXOFFICE_TERMINAL,\n"
        "  else the host name) with a float (--float 100.00 [--currency EUR], or EUR=100.00,USD=20.00); 'shift' /\n"
        "  'shift x' prints its X report; 'shift drop' takes cash to the safe, 'shift paidout' pays cash out\n"
        "  (--note says what for); 'shift close' is a blind count: the counted cash is typed (or --counted)\n"
        "  before anything is shown, and the expected amount and the difference come from the server's answer;\n"
        "  a difference needs --note (asked on the terminal; without one: exit 2 with the server's message).\n"
        "  A close without an answer (exit 7) prints the command that re-sends it with the same key: it closes\n"
        "  once and answers the same Z report. 'shift show ID', 'shift day [DATE] [--csv]' (managers) and\n"
        "  'shift verify ID' (the Z report's hash recomputed from the journal: exit 0 verified, 1 not).\n"
        "  A cash order or a cash refund is sent with your open shift (--shift ID --terminal NAME to name it).\n"
        "Operators (managers): 'operators' lists them (the e-mail shown as its first 2 characters and the\n"
        "  domain); 'operators add' makes one in a group (manager, cashier, door, kiosk) with a temporary\n"
        "  password (8+ characters) to change at the first sign-in, asked on the terminal without\n"
        "  --temporary-password (better: flags show in ps); disable,\n"
        "  enable and role act on the e-mail. Each prints what the server answered.\n"
        "Journal (managers): every change, oldest first, by --day (with --operator SUB: one operator's),\n"
        "  --concert ID or --shift ID; a page at a time (--limit 1..50, --cursor C), --json: every page.\n"
        "  --no-color          no colours (also when NO_COLOR is set)\n"
        "  -h, --help          this text\n"
        "  -V, --version       the version\n"
        "\n"
        "Operators sign in with the user pool (Amazon Cognito): `boxoffice login` asks for e-mail and password\n"
        "  (a first sign-in: a new password too); --remember keeps the session in the token file\n"
        "  ($XDG_CONFIG_HOME/boxoffice/session, mode 0600) for later commands, `boxoffice logout` removes it.\n"
        "  Scripts set BOXOFFICE_USER and BOXOFFICE_PASSWORD (every command then signs in by itself).\n"
        "Environment: BOXOFFICE_API_URL, BOXOFFICE_COGNITO_URL, BOXOFFICE_CLIENT_ID, BOXOFFICE_USER,\n"
        "  BOXOFFICE_PASSWORD, BOXOFFICE_NEW_PASSWORD (login: the answer to a new-password request), NO_COLOR,\n"
        "  BOXOFFICE_TERMINAL (this terminal's name for shifts; default the host name),\n"
        "  XDG_CONFIG_HOME, API_PORT and LOCAL_STATE_DIR (the local stack used when no API URL is configured;\n"
        "  its user pool from LOCAL_STATE_DIR/cognito.env).\n"
        "Config file: $XDG_CONFIG_HOME/boxoffice/config (~/.config/boxoffice/config), lines \"key = value\"\n"
        "  with keys api_url, cognito_url, client_id, user, refresh_seconds, kiosk_pin, idle_timeout_seconds.\n"
        "\n"
        "Exit codes:\n"
        "  0  success\n"
        "  1  usage error, or input refused by the client-side validation (nothing was sent);\n"
        "     shift verify: the journal does not give the Z report's hash\n"
        "  2  API error: the server refused the request (4xx) or answered something malformed;\n"
        "     buy of a concert whose record is damaged (list marks it !); buy or order of a past\n"
        "     concert without --past (nothing was sent)\n"
        "  3  sold out\n"
        "  4  concert not found (refund: order; find --code: unknown code; checkin undo: ticket)\n"
        "  5  not allowed: not signed in, sign-in refused or expired (401), or not the operator's group (403)\n"
        "  6  service unavailable, unreachable, too busy (429) or timed out: try again later\n"
        "  7  buy, order: sale NOT CONFIRMED (no answer, the tickets may have been sold): run the printed\n"
        "     command, which re-sends it with the same --idempotency-key, never a plain retry;\n"
        "     refund: refund NOT CONFIRMED (it may have been made): run the printed command likewise\n"
        "     checkin: CANNOT VERIFY (no verdict): run the printed command (the same --nonce), do not admit yet\n"
        "     checkin undo: NOT CONFIRMED (it may have been undone): 'order show' tells the ticket's state\n"
        "  8  checkin: REFUSED (already admitted, refunded, wrong concert or unknown code);\n"
        "     checkin undo: the ticket is not checked in (its state is named)\n"
        "\n"
        "See boxoffice(1) for the keys of the interactive mode.\n",
        out);
}

int cli_parse_args(int argc, char **argv, cli_args *out, FILE *err)
{
    static const config_flags no_flags = CONFIG_FLAGS_INIT;
    memset(out, 0, sizeof *out);
    out->flags = no_flags;
    cli_opt_set seen = 0; /* a bit (CLI_OPT) for each command option given */
    int rc = read_options(argc, argv, out, &seen, err);
    if (rc != CLI_EXIT_OK || out->cmd == CLI_CMD_HELP || out->cmd == CLI_CMD_VERSION)
        return rc;
    int npos = argc - optind;
    char **pos = argv + optind;
    if (npos == 1 && strcmp(pos[0], "help") == 0) {
        out->cmd = CLI_CMD_HELP;
        return CLI_EXIT_OK;
    }
    const cli_command *cmd = find_command(npos, pos);
    if (cmd == NULL)
        return unknown_command(pos[0], err);
    out->cmd = cmd->cmd;
    if ((rc = check_command(cmd, seen, npos, pos, out, err)) != CLI_EXIT_OK
        || (rc = check_door(out, err)) != CLI_EXIT_OK || (rc = check_mode(out, err)) != CLI_EXIT_OK)
        return rc;
    return check_values(cmd, out, seen, err);
}
