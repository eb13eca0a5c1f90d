/* Command-line parsing and the --help text (see cli.h). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bo_money.h"
#include "bo_text.h"
#include "bo_valid.h"
#include "bo_valid_order.h"
#include "api_door.h"
#include "cli.h"

enum {
    OPT_API_URL = 256, OPT_API_KEY, OPT_JSON, OPT_KIOSK, OPT_KIOSK_PIN, OPT_INSPECT, OPT_REFRESH,
    OPT_NO_COLOR, OPT_NAME, OPT_EMAIL, OPT_DATE, OPT_VENUE, OPT_TICKETS, OPT_PRICE, OPT_SORT, OPT_FILTER,
    OPT_IDEM_KEY, OPT_QUANTITY, OPT_ATTENDEE, OPT_PAY, OPT_TENDERED, OPT_CURRENCY, OPT_TIMEZONE,
    OPT_MAX_PER_ORDER, OPT_CODE, OPT_CONCERT, OPT_LIMIT, OPT_CURSOR, OPT_REASON, OPT_METHOD, OPT_PAST,
    OPT_TIMEOUT, OPT_DOOR, OPT_DOOR_NAME, OPT_NONCE
};
#define OPT_SUB_LAST OPT_PAST /* the options of subcommands: OPT_NAME..OPT_SUB_LAST */

static const struct option long_opts[] = {
    { "api-url", required_argument, NULL, OPT_API_URL },
    { "api-key", required_argument, NULL, OPT_API_KEY },
    { "json", no_argument, NULL, OPT_JSON },
    { "kiosk", no_argument, NULL, OPT_KIOSK },
    { "kiosk-pin", required_argument, NULL, OPT_KIOSK_PIN },
    { "inspect", no_argument, NULL, OPT_INSPECT },
    { "refresh", required_argument, NULL, OPT_REFRESH },
    { "no-color", no_argument, NULL, OPT_NO_COLOR },
    { "name", required_argument, NULL, OPT_NAME },
    { "email", required_argument, NULL, OPT_EMAIL },
    { "date", required_argument, NULL, OPT_DATE },
    { "venue", required_argument, NULL, OPT_VENUE },
    { "tickets", required_argument, NULL, OPT_TICKETS },
    { "price", required_argument, NULL, OPT_PRICE },
    { "sort", required_argument, NULL, OPT_SORT },
    { "filter", required_argument, NULL, OPT_FILTER },
    { "idempotency-key", required_argument, NULL, OPT_IDEM_KEY },
    { "quantity", required_argument, NULL, OPT_QUANTITY },
    { "attendee", required_argument, NULL, OPT_ATTENDEE },
    { "pay", required_argument, NULL, OPT_PAY },
    { "tendered", required_argument, NULL, OPT_TENDERED },
    { "currency", required_argument, NULL, OPT_CURRENCY },
    { "timezone", required_argument, NULL, OPT_TIMEZONE },
    { "max-per-order", required_argument, NULL, OPT_MAX_PER_ORDER },
    { "code", required_argument, NULL, OPT_CODE },
    { "concert", required_argument, NULL, OPT_CONCERT },
    { "limit", required_argument, NULL, OPT_LIMIT },
    { "cursor", required_argument, NULL, OPT_CURSOR },
    { "reason", required_argument, NULL, OPT_REASON },
    { "method", required_argument, NULL, OPT_METHOD },
    { "past", no_argument, NULL, OPT_PAST },
    { "timeout", required_argument, NULL, OPT_TIMEOUT },
    { "door", required_argument, NULL, OPT_DOOR },
    { "door-name", required_argument, NULL, OPT_DOOR_NAME },
    { "nonce", required_argument, NULL, OPT_NONCE },
    { "help", no_argument, NULL, 'h' },
    { "version", no_argument, NULL, 'V' },
    { NULL, 0, NULL, 0 }
};

void cli_usage(FILE *out)
{
    fputs(
        "Usage: boxoffice [OPTIONS]                      the interactive box office (terminal UI)\n"
        "       boxoffice [OPTIONS] list [--sort date|name|seats] [--filter TEXT]\n"
        "       boxoffice [OPTIONS] show ID\n"
        "       boxoffice [OPTIONS] buy ID --name NAME --email EMAIL [--idempotency-key KEY] [--past]\n"
        "       boxoffice [OPTIONS] create --name NAME --date DATE --venue VENUE --tickets N --price PRICE\n"
        "                 [--currency EUR] [--timezone Europe/Berlin] [--max-per-order N]\n"
        "       boxoffice [OPTIONS] order ID --quantity N [--name NAME] [--email EMAIL] [--attendee NAME]...\n"
        "                 [--pay cash|card|comp] [--tendered AMOUNT] [--idempotency-key KEY] [--past]\n"
        "       boxoffice [OPTIONS] order show ORDER_ID\n"
        "       boxoffice [OPTIONS] find (--email E | --name N | --code C) [--concert ID] [--limit N] [--cursor C]\n"
        "       boxoffice [OPTIONS] refund ORDER_ID --reason TEXT [--tickets ID,ID] [--method cash|card|comp]\n"
        "                 [--idempotency-key KEY]\n"
        "       boxoffice [OPTIONS] checkin CONCERT_ID CODE [--door NAME] [--nonce NONCE]\n"
        "       boxoffice [OPTIONS] checkin undo TICKET_ID\n"
        "       boxoffice [OPTIONS] stats CONCERT_ID\n"
        "       boxoffice [OPTIONS] --door CONCERT_ID [--door-name NAME]   door mode (scanner view)\n"
        "       boxoffice [OPTIONS] config     where the API URL and key come from (the key is not shown)\n"
        "\n"
        "Sells concert tickets through the concert service's HTTP API.\n"
        "\n"
        "Options:\n"
        "  --api-url URL       API base URL, e.g. https://abc.execute-api.us-east-1.amazonaws.com/dev\n"
        "  --api-key KEY       operator API key for create (prefer BOXOFFICE_API_KEY: flags show in ps)\n"
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
        "Orders: with an operator key the box-office route (name and e-mail optional for a walk-up; --pay cash,\n"
        "  card or comp; --tendered for cash, e.g. 100.00, at most 1000000000.00, prints the change);\n"
        "  without a key the public route (--name and --email required, card only). --attendee names the\n"
        "  tickets in order, once per ticket or not at all.\n"
        "  'order show' (operator key) prints an order with its ticket codes and their status.\n"
        "Find (operator key): orders by a prefix of the customer's e-mail or name, or of a ticket holder's name\n"
        "  (its state says 'ticket holder NAME'; case and accents do not matter; at least 2 characters), newest\n"
        "  first per customer, --limit 1..50 (default 20); --cursor continues with the next page (printed last\n"
        "  when there is one); --code shows a ticket by its code\n"
        "  (letters only, such as a 20-letter name, that no ticket has: the orders of that name instead).\n"
        "Refund (operator key): the tickets (ids from 'order show'; default every valid one) go back on sale;\n"
        "  --method how the money goes back (default the order's payment); a ticket refunded or admitted\n"
        "  already refunds nothing (exit 2, naming each ticket's state). Same --idempotency-key: refunds once;\n"
        "  with other tickets, reason or method: refused (exit 2). Prints what the server refunded: how many\n"
        "  tickets, which, the amount and the method (--json: \"refund\").\n"
        "Door (operator key): --door CONCERT_ID opens the full-screen scanner view (a scanner types the code and\n"
        "  Enter; with --kiosk-pin only F10 and the PIN leave it); --door-name NAME says where (sent with each\n"
        "  check-in; alone, the name d on a concert offers; 1 to 64 characters, a visible one, no control or\n"
        "  bidi character). Quitting with scans unverified prints each one's checkin command with its nonce.\n"
        "  'checkin' admits one code (--door NAME: where; --nonce: the scan's id, to retry the very\n"
        "  same scan: it admits once); 'checkin undo' puts an admitted ticket back to valid (an operator's\n"
        "  correction; the ticket id as 'find --code' or 'order show --json' gives it); 'stats' prints\n"
        "  capacity, sold, refunded, admitted and revenue.\n"
        "  --no-color          no colours (also when NO_COLOR is set)\n"
        "  -h, --help          this text\n"
        "  -V, --version       the version\n"
        "\n"
        "Environment: BOXOFFICE_API_URL, BOXOFFICE_API_KEY, NO_COLOR, XDG_CONFIG_HOME,\n"
        "  API_PORT and LOCAL_STATE_DIR (the local stack used when no API URL is configured).\n"
        "Config file: $XDG_CONFIG_HOME/boxoffice/config (~/.config/boxoffice/config), lines \"key = value\"\n"
        "  with keys api_url, api_key, refresh_seconds, kiosk_pin, idle_timeout_seconds.\n"
        "\n"
        "Exit codes:\n"
        "  0  success\n"
        "  1  usage error, or input refused by the client-side validation (nothing was sent)\n"
        "  2  API error: the server refused the request (4xx) or answered something malformed;\n"
        "     buy of a concert whose record is damaged (list marks it !); buy or order of a past\n"
        "     concert without --past (nothing was sent)\n"
        "  3  sold out\n"
        "  4  concert not found (refund: order; find --code: unknown code; checkin undo: ticket)\n"
        "  5  not allowed: operator API key missing or wrong (403)\n"
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

static int usage_error(FILE *err, const char *fmt, const char *arg)
{
    char safe[256]; /* the argument is echoed: keep escape sequences off the terminal */
    bo_text_sanitize(safe, sizeof safe, arg != NULL ? arg : "");
    fputs("boxoffice: ", err);
    fprintf(err, fmt, safe);
    fputs("\nTry 'boxoffice --help'.\n", err);
    return CLI_EXIT_USAGE;
}

static const char *opt_name(int opt)
{
    for (const struct option *o = long_opts; o->name != NULL; o++)
        if (o->val == opt)
            return o->name;
    return "?";
}

int cli_parse_args(int argc, char **argv, cli_args *out, FILE *err)
{
    static const config_flags no_flags = CONFIG_FLAGS_INIT;
    memset(out, 0, sizeof *out);
    out->flags = no_flags;
    bool help = false, version = false;
    unsigned sub_opts = 0;     /* bit (opt - OPT_NAME) for each subcommand option seen */
    int opt;

    optind = 0;   /* GNU: full re-initialisation, so this can be called more than once */
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":hV", long_opts, NULL)) != -1) {
        switch (opt) {
        case OPT_API_URL: out->flags.api_url = optarg; break;
        case OPT_API_KEY: out->flags.api_key = optarg; break;
        case OPT_JSON: out->json = true; break;
        case OPT_KIOSK: out->kiosk = true; break;
        case OPT_KIOSK_PIN: out->flags.kiosk_pin = optarg; break;
        case OPT_INSPECT: out->inspect = true; break;
        case OPT_NO_COLOR: out->no_color = true; break;
        case OPT_REFRESH: {
            char *end = NULL;
            long v = strtol(optarg, &end, 10);
            if (optarg[0] < '0' || optarg[0] > '9' || *end != '\0' || v > 86400)
                return usage_error(err, "--refresh needs a number of seconds 0..86400, not '%s'", optarg);
            out->flags.refresh_s = (int)v;
            break;
        }
        case OPT_NAME: out->name = optarg; sub_opts |= 1u << (opt - OPT_NAME); break;
        case OPT_EMAIL: out->email = optarg; sub_opts |= 1u << (opt - OPT_NAME); break;
        case OPT_DATE: out->date = optarg; sub_opts |= 1u << (opt - OPT_NAME); break;
        case OPT_VENUE: out->venue = optarg; sub_opts |= 1u << (opt - OPT_NAME); break;
        case OPT_TICKETS: out->tickets = optarg; sub_opts |= 1u << (opt - OPT_NAME); break;
        case OPT_PRICE: out->price = optarg; sub_opts |= 1u << (opt - OPT_NAME); break;
        case OPT_SORT: out->sort = optarg; sub_opts |= 1u << (opt - OPT_NAME); break;
        case OPT_FILTER: out->filter = optarg; sub_opts |= 1u << (opt - OPT_NAME); break;
        case OPT_IDEM_KEY: out->idem_key = optarg; sub_opts |= 1u << (opt - OPT_NAME); break;
        case OPT_QUANTITY: out->quantity = optarg; sub_opts |= 1u << (opt - OPT_NAME); break;
        case OPT_PAY: out->pay = optarg; sub_opts |= 1u << (opt - OPT_NAME); break;
        case OPT_TENDERED: out->tendered = optarg; sub_opts |= 1u << (opt - OPT_NAME); break;
        case OPT_CURRENCY: out->currency = optarg; sub_opts |= 1u << (opt - OPT_NAME); break;
        case OPT_TIMEZONE: out->timezone = optarg; sub_opts |= 1u << (opt - OPT_NAME); break;
        case OPT_MAX_PER_ORDER: out->max_per_order = optarg; sub_opts |= 1u << (opt - OPT_NAME); break;
        case OPT_CODE: out->code = optarg; sub_opts |= 1u << (opt - OPT_NAME); break;
        case OPT_CONCERT: out->concert = optarg; sub_opts |= 1u << (opt - OPT_NAME); break;
        case OPT_LIMIT: out->limit = optarg; sub_opts |= 1u << (opt - OPT_NAME); break;
        case OPT_CURSOR: out->cursor = optarg; sub_opts |= 1u << (opt - OPT_NAME); break;
        case OPT_REASON: out->reason = optarg; sub_opts |= 1u << (opt - OPT_NAME); break;
        case OPT_METHOD: out->method = optarg; sub_opts |= 1u << (opt - OPT_NAME); break;
        case OPT_PAST: out->past = true; sub_opts |= 1u << (opt - OPT_NAME); break;
        case OPT_ATTENDEE:
            if (out->n_attendees >= BO_ORDER_TICKETS_MAX)
                return usage_error(err, "--attendee: at most 100 names%s", "");
            out->attendees[out->n_attendees++] = optarg;
            sub_opts |= 1u << (opt - OPT_NAME);
            break;
        case OPT_DOOR: out->door = optarg; break;
        case OPT_DOOR_NAME: out->door_name = optarg; break;
        case OPT_NONCE: out->nonce = optarg; break;
        case OPT_TIMEOUT: {
            char *end = NULL;
            long v = strtol(optarg, &end, 10);
            if (optarg[0] < '0' || optarg[0] > '9' || *end != '\0' || v < 1 || v > 600)
                return usage_error(err, "--timeout needs a number of seconds 1..600, not '%s'", optarg);
            out->timeout_s = (int)v;
            break;
        }
        case 'h': help = true; break;
        case 'V': version = true; break;
        case ':':
            if (optopt >= OPT_API_URL)
                return usage_error(err, "option --%s needs a value", opt_name(optopt));
            return usage_error(err, "option %s needs a value", argv[optind - 1]);
        default:
            if (optopt > 0 && optopt < 256)
                return usage_error(err, "unknown option -%c", (char[]){ (char)optopt, '\0' });
            return usage_error(err, "unknown option %s", argv[optind - 1]);
        }
    }
    if (help) {
        out->cmd = CLI_CMD_HELP;
        return CLI_EXIT_OK;
    }
    if (version) {
        out->cmd = CLI_CMD_VERSION;
        return CLI_EXIT_OK;
    }

    int npos = argc - optind;
    char **pos = argv + optind;
    unsigned allowed;
    int want_pos;
    const char *sub = npos > 0 ? pos[0] : NULL;
#define BIT(o) (1u << ((o) - OPT_NAME))
    if (sub == NULL) {
        out->cmd = CLI_CMD_UI;
        allowed = 0;
        want_pos = 0;
    } else if (strcmp(sub, "list") == 0) {
        out->cmd = CLI_CMD_LIST;
        allowed = BIT(OPT_SORT) | BIT(OPT_FILTER);
        want_pos = 1;
    } else if (strcmp(sub, "show") == 0) {
        out->cmd = CLI_CMD_SHOW;
        allowed = 0;
        want_pos = 2;
    } else if (strcmp(sub, "buy") == 0) {
        out->cmd = CLI_CMD_BUY;
        allowed = BIT(OPT_NAME) | BIT(OPT_EMAIL) | BIT(OPT_IDEM_KEY) | BIT(OPT_PAST);
        want_pos = 2;
    } else if (strcmp(sub, "create") == 0) {
        out->cmd = CLI_CMD_CREATE;
        allowed = BIT(OPT_NAME) | BIT(OPT_DATE) | BIT(OPT_VENUE) | BIT(OPT_TICKETS) | BIT(OPT_PRICE)
                  | BIT(OPT_CURRENCY) | BIT(OPT_TIMEZONE) | BIT(OPT_MAX_PER_ORDER);
        want_pos = 1;
    } else if (strcmp(sub, "order") == 0 && npos >= 2 && strcmp(pos[1], "show") == 0) {
        out->cmd = CLI_CMD_ORDER_SHOW;
        allowed = 0;
        want_pos = 3;
    } else if (strcmp(sub, "order") == 0) {
        out->cmd = CLI_CMD_ORDER;
        allowed = BIT(OPT_QUANTITY) | BIT(OPT_NAME) | BIT(OPT_EMAIL) | BIT(OPT_ATTENDEE) | BIT(OPT_PAY)
                  | BIT(OPT_TENDERED) | BIT(OPT_IDEM_KEY) | BIT(OPT_PAST);
        want_pos = 2;
    } else if (strcmp(sub, "find") == 0) {
        out->cmd = CLI_CMD_FIND;
        allowed = BIT(OPT_EMAIL) | BIT(OPT_NAME) | BIT(OPT_CODE) | BIT(OPT_CONCERT) | BIT(OPT_LIMIT) | BIT(OPT_CURSOR);
        want_pos = 1;
    } else if (strcmp(sub, "refund") == 0) {
        out->cmd = CLI_CMD_REFUND;
        allowed = BIT(OPT_REASON) | BIT(OPT_TICKETS) | BIT(OPT_METHOD) | BIT(OPT_IDEM_KEY);
        want_pos = 2;
    } else if (strcmp(sub, "checkin") == 0 && npos >= 2 && strcmp(pos[1], "undo") == 0) {
        out->cmd = CLI_CMD_CHECKIN_UNDO;
        allowed = 0;
        want_pos = 3;
    } else if (strcmp(sub, "checkin") == 0) {
        out->cmd = CLI_CMD_CHECKIN;
        allowed = 0;
        want_pos = 3;
    } else if (strcmp(sub, "stats") == 0) {
        out->cmd = CLI_CMD_STATS;
        allowed = 0;
        want_pos = 2;
    } else if (strcmp(sub, "config") == 0) {
        out->cmd = CLI_CMD_CONFIG;
        allowed = 0;
        want_pos = 1;
    } else if (strcmp(sub, "help") == 0 && npos == 1) {
        out->cmd = CLI_CMD_HELP;
        return CLI_EXIT_OK;
    } else {
        return usage_error(err, "unknown command '%s' (commands: list, show, buy, create, order, find, refund, checkin, stats, config)", sub);
    }
    for (int o = OPT_NAME; o <= OPT_SUB_LAST; o++) {
        if ((sub_opts & BIT(o)) && !(allowed & BIT(o))) {
            if (sub == NULL)
                return usage_error(err, "--%s belongs to a command (list, show, buy, create, order)", opt_name(o));
            char msg[128];
            snprintf(msg, sizeof msg, "%s: option --%s does not apply here", sub, opt_name(o));
            return usage_error(err, "%s", msg);
        }
    }
    unsigned optional = BIT(OPT_IDEM_KEY) | BIT(OPT_CURRENCY) | BIT(OPT_TIMEZONE) | BIT(OPT_MAX_PER_ORDER)
                        | BIT(OPT_CONCERT) | BIT(OPT_LIMIT) | BIT(OPT_CURSOR) | BIT(OPT_METHOD) | BIT(OPT_PAST);
    if (out->cmd == CLI_CMD_REFUND) /* create needs --tickets; a refund takes every valid ticket without it */
        optional |= BIT(OPT_TICKETS);
    if (out->cmd == CLI_CMD_FIND) { /* exactly one of them: checked below */
        optional |= BIT(OPT_EMAIL) | BIT(OPT_NAME) | BIT(OPT_CODE);
        if (((sub_opts & BIT(OPT_EMAIL)) != 0) + ((sub_opts & BIT(OPT_NAME)) != 0) + ((sub_opts & BIT(OPT_CODE)) != 0) != 1)
            return usage_error(err, "find: give one of --email, --name or --code%s", "");
        if ((sub_opts & BIT(OPT_CODE)) && (sub_opts & (BIT(OPT_CONCERT) | BIT(OPT_LIMIT) | BIT(OPT_CURSOR))))
            return usage_error(err, "find --code: --concert, --limit and --cursor do not apply%s", "");
    }
    if (out->cmd == CLI_CMD_ORDER) /* name and e-mail: required on the public route only (cmd_order) */
        optional |= BIT(OPT_NAME) | BIT(OPT_EMAIL) | BIT(OPT_ATTENDEE) | BIT(OPT_PAY) | BIT(OPT_TENDERED);
    if ((allowed & ~optional & ~sub_opts) != 0 && out->cmd != CLI_CMD_LIST) {
        for (int o = OPT_NAME; o <= OPT_SUB_LAST; o++)
            if ((allowed & ~optional & BIT(o)) && !(sub_opts & BIT(o))) {
                char msg[128];
                snprintf(msg, sizeof msg, "%s: --%s is required", sub, opt_name(o));
                return usage_error(err, "%s", msg);
            }
    }
#undef BIT
    if (out->cmd == CLI_CMD_CHECKIN && npos == 2)
        return usage_error(err, "%s: a ticket code is required (checkin CONCERT_ID CODE)", sub);
    if (npos > want_pos && out->cmd != CLI_CMD_UI)
        return usage_error(err, "unexpected argument '%s'", pos[want_pos]);
    if (out->cmd == CLI_CMD_UI && npos > 0)
        return usage_error(err, "unexpected argument '%s'", pos[0]);
    if (npos < want_pos)
        return usage_error(err, out->cmd == CLI_CMD_ORDER_SHOW ? "%s show: an order ID is required"
                                : out->cmd == CLI_CMD_CHECKIN_UNDO ? "%s undo: a ticket ID is required"
                                : out->cmd == CLI_CMD_REFUND ? "%s: an order ID is required"
                                                             : "%s: a concert ID is required", sub);
    if (want_pos == 2 || out->cmd == CLI_CMD_CHECKIN)
        out->id = pos[1];
    if (out->cmd == CLI_CMD_CHECKIN)
        out->code = pos[2];
    if (want_pos == 3 && out->cmd != CLI_CMD_CHECKIN)
        out->id = pos[2];
    if (out->cmd == CLI_CMD_CHECKIN_UNDO && (out->nonce != NULL || out->door != NULL || out->door_name != NULL))
        return usage_error(err, "checkin undo: --door, --door-name and --nonce do not apply%s", "");
    if (out->nonce != NULL && out->cmd != CLI_CMD_CHECKIN)
        return usage_error(err, "--nonce belongs to the command checkin%s", "");
    if (out->door != NULL && out->cmd != CLI_CMD_UI && out->cmd != CLI_CMD_CHECKIN)
        return usage_error(err, "--door applies to the interactive mode (door mode) and to checkin%s", "");
    if (out->door_name != NULL && out->cmd != CLI_CMD_UI && out->cmd != CLI_CMD_CHECKIN)
        return usage_error(err, "--door-name applies to door mode and to checkin%s", "");
    if (out->cmd == CLI_CMD_CHECKIN) { /* --door names the door here; --door-name is the same */
        if (out->door != NULL && out->door_name != NULL)
            return usage_error(err, "checkin: --door and --door-name say the same: give one%s", "");
        if (out->door == NULL)
            out->door = out->door_name;
        out->door_name = out->door;
    }
    const char *door_bad = out->door_name != NULL ? bo_valid_door(out->door_name) : NULL;
    if (door_bad != NULL) /* the API's own rule: refused here, before anything is sent */
        return usage_error(err, "%s", door_bad);
    if (out->cmd == CLI_CMD_UI && out->door != NULL
        && (out->door[0] == '\0' || strlen(out->door) > BO_ID_MAX || bo_text_has_control(out->door)))
        return usage_error(err, "--door takes a concert ID, not '%s'", out->door);
    if (out->nonce != NULL && !api_checkin_nonce_valid(out->nonce))
        return usage_error(err, "--nonce takes 1 to 128 visible ASCII characters, not '%s'", out->nonce);
    if (out->cmd == CLI_CMD_CHECKIN && (out->code[0] == '\0' || strlen(out->code) > 256))
        return usage_error(err, "checkin: '%s' is not a ticket code", out->code);
    if (out->cmd == CLI_CMD_UI) {
        if (out->json)
            return usage_error(err, "--json applies to the commands list, show, buy, create, order, find, refund, checkin, checkin undo and stats%s", "");
        /* the inspector shows every request body, customers' names and e-mails included: never on a kiosk */
        if (out->kiosk && out->inspect)
            return usage_error(err, "--inspect cannot be combined with --kiosk (it would show customers' data)%s", "");
    } else if (out->kiosk || out->inspect || out->flags.kiosk_pin != NULL || out->flags.refresh_s >= 0) {
        return usage_error(err, "--kiosk, --kiosk-pin, --inspect and --refresh apply to the interactive mode only%s", "");
    }
    if (out->cmd == CLI_CMD_LIST && out->sort != NULL && strcmp(out->sort, "date") != 0
        && strcmp(out->sort, "name") != 0 && strcmp(out->sort, "seats") != 0)
        return usage_error(err, "--sort takes date, name or seats, not '%s'", out->sort);
    if (out->id != NULL && (out->id[0] == '\0' || strlen(out->id) > BO_ID_MAX))
        return usage_error(err, out->cmd == CLI_CMD_ORDER_SHOW || out->cmd == CLI_CMD_REFUND ? "'%s' is not an order ID"
                                : out->cmd == CLI_CMD_CHECKIN_UNDO ? "'%s' is not a ticket ID"
                                                                   : "'%s' is not a concert ID",
                           out->id);
    if (out->concert != NULL && (out->concert[0] == '\0' || strlen(out->concert) > BO_ID_MAX))
        return usage_error(err, "--concert: '%s' is not a concert ID", out->concert);
    if (out->limit != NULL) {
        char *end = NULL;
        long l = strtol(out->limit, &end, 10);
        if (out->limit[0] < '0' || out->limit[0] > '9' || *end != '\0' || l < 1 || l > 50)
            return usage_error(err, "--limit takes a number 1..50, not '%s'", out->limit);
    }
    if (out->method != NULL && bo_pay_method_parse(out->method) == BO_PAY_NONE)
        return usage_error(err, "--method takes cash, card or comp, not '%s'", out->method);
    /* the backend's rules (common/bo_valid_order.c), so a refusal comes before anything is sent */
    if (out->currency != NULL && bo_valid_currency(out->currency) != NULL)
        return usage_error(err, "--currency takes an ISO 4217 code such as EUR, not '%s'", out->currency);
    if (out->timezone != NULL && (bo_valid_timezone(out->timezone) != NULL || !bo_tz_name_plausible(out->timezone)))
        return usage_error(err, "--timezone takes an IANA zone name such as Europe/Berlin, not '%s'", out->timezone);
    if (out->max_per_order != NULL && bo_valid_max_per_order_text(out->max_per_order, NULL) != NULL)
        return usage_error(err, "--max-per-order takes a number 1..49, not '%s'", out->max_per_order);
    if (out->cmd == CLI_CMD_ORDER) {
        char *end = NULL;
        long q = strtol(out->quantity, &end, 10);
        if (out->quantity[0] < '0' || out->quantity[0] > '9' || *end != '\0' || q < 1 || q > BO_ORDER_TICKETS_MAX)
            return usage_error(err, "--quantity needs a number of tickets 1..100, not '%s'", out->quantity);
        if (out->pay != NULL && bo_pay_method_parse(out->pay) == BO_PAY_NONE)
            return usage_error(err, "--pay takes cash, card or comp, not '%s'", out->pay);
        if (out->tendered != NULL && (out->pay == NULL || strcmp(out->pay, "cash") != 0))
            return usage_error(err, "--tendered goes with --pay cash%s", "");
        const char *bad_tendered = out->tendered != NULL ? bo_valid_tendered_text(out->tendered, NULL) : NULL;
        if (bad_tendered != NULL && strcmp(bad_tendered, BO_TENDERED_TOO_LARGE) == 0)
            return usage_error(err, "--tendered: %s", bad_tendered);
        if (bad_tendered != NULL)
            return usage_error(err, "--tendered takes an amount such as 100.00, not '%s'", out->tendered);
        if (out->n_attendees > 0 && bo_valid_attendee_count(out->n_attendees, q) != NULL) {
            char counts[64];
            snprintf(counts, sizeof counts, "%zu for %ld tickets", out->n_attendees, q);
            return usage_error(err, "--attendee names each ticket: one per ticket, or none (%s)", counts);
        }
    }
    if (out->idem_key != NULL && !api_idempotency_key_valid(out->idem_key))
        return usage_error(err, "--idempotency-key takes 1 to 255 visible ASCII characters (no spaces), not '%s'",
                           out->idem_key);
    return CLI_EXIT_OK;
}
