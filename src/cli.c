/* The scriptable subcommands: list, show, buy, create, order (see cli.h). Same api_client as the UI. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#include "bo_money.h"
#include "bo_text.h"
#include "bo_valid.h"
#include "bo_valid_order.h"
#include "cli.h"
#include "cli_internal.h"
#include "client_time.h"
#include "cmdline.h"

#define COL_NAME_MAX 40
#define COL_VENUE_MAX 30

int cli_exit_code(api_status s)
{
    switch (s) {
    case API_OK: return CLI_EXIT_OK;
    case API_ERR_SOLD_OUT: return CLI_EXIT_SOLD_OUT;
    case API_ERR_NOT_FOUND: return CLI_EXIT_NOT_FOUND;
    case API_ERR_FORBIDDEN: return CLI_EXIT_FORBIDDEN;
    case API_ERR_THROTTLED:
    case API_ERR_UNAVAILABLE:
    case API_ERR_UNREACHABLE:
    case API_ERR_TIMEOUT: return CLI_EXIT_UNAVAILABLE;
    case API_ERR_INVALID:
    case API_ERR_PROTOCOL:
    case API_ERR_NOMEM: return CLI_EXIT_API;
    }
    return CLI_EXIT_API;
}

/* ---- the command that resolves an unconfirmed sale ---- */

bool cli_buy_command(char *out, size_t cap, const char *api_url, const char *concert_id, const char *name,
                     const char *email, const char *idem_key)
{
    size_t n;
    bool ok = cmdline_start(out, cap, &n, api_url, "buy") && cmdline_arg(out, cap, &n, concert_id, true)
              && cmdline_option(out, cap, &n, "--name", name) && cmdline_option(out, cap, &n, "--email", email)
              && cmdline_option(out, cap, &n, "--idempotency-key", idem_key);
    if (!ok && cap > 0)
        out[0] = '\0';
    return ok;
}

/* ---- display width of sanitised UTF-8 ---- */

static uint32_t decode(const unsigned char **s)
{
    const unsigned char *p = *s;
    uint32_t c = p[0];
    int len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
    if (len == 1) {
        *s = p + 1;
        return c;
    }
    uint32_t cp = c & (0xFFu >> (len + 1));
    for (int i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80) {
            *s = p + 1;
            return 0xFFFD;
        }
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    *s = p + len;
    return cp;
}

static int cp_width(uint32_t cp)
{
    int w = wcwidth((wchar_t)cp);
    return w < 0 ? 1 : w;
}

/* Prints s padded (or cut with "...") to exactly width columns. */
static void put_cell(FILE *out, const char *s, int width, bool right)
{
    const unsigned char *p = (const unsigned char *)(s != NULL ? s : "");
    int total = 0;
    for (const unsigned char *q = p; *q != '\0';)
        total += cp_width(decode(&q));
    if (total <= width) {
        if (right)
            fprintf(out, "%*s", width - total, "");
        fputs((const char *)p, out);
        if (!right)
            fprintf(out, "%*s", width - total, "");
        return;
    }
    int used = 0;
    while (*p != '\0') {
        const unsigned char *start = p;
        int w = cp_width(decode(&p));
        if (used + w > width - 3)
            break;
        fwrite(start, 1, (size_t)(p - start), out);
        used += w;
    }
    fputs("...", out);
    fprintf(out, "%*s", width - 3 - used, "");
}

static int text_width(const char *s, int cap)
{
    int w = 0;
    for (const unsigned char *q = (const unsigned char *)(s != NULL ? s : ""); *q != '\0';)
        w += cp_width(decode(&q));
    return w > cap ? cap : w;
}

bool cli_order_command(char *out, size_t cap, const char *api_url, const cli_args *a, const char *idem_key)
{
    cmdline_order o = { .concert_id = a->id, .quantity = a->quantity, .name = a->name, .email = a->email,
                        .attendees = a->attendees, .n_attendees = a->n_attendees, .pay = a->pay,
                        .tendered = a->tendered };
    return cmdline_order_command(out, cap, api_url, &o, idem_key);
}

/* ---- output ---- */

/* Writes config_hint(kind) to err, a line each, and leaves it in hint. */
static void print_hint(FILE *err, config_hint_kind kind, char *hint, size_t cap)
{
    config_hint(kind, hint, cap);
    for (const char *line = hint; *line != '\0';) {
        const char *end = strchr(line, '\n');
        int n = end != NULL ? (int)(end - line) : (int)strlen(line);
        fprintf(err, "boxoffice: %.*s\n", n, line);
        line += n + (end != NULL);
    }
}

static void print_error(const cli_args *a, FILE *out, FILE *err, const api_client *c, const api_result *res)
{
    const char *msg = res->message[0] != '\0' ? res->message : api_status_message(res->status);
    char buf[512];
    if (res->status == API_ERR_UNREACHABLE)
        snprintf(buf, sizeof buf, "Server unreachable at %s", api_client_base_url(c));
    else if (res->status == API_ERR_NOT_FOUND && a->cmd == CLI_CMD_SHOW)
        snprintf(buf, sizeof buf, "Concert not found");
    else if (res->status == API_ERR_NOT_FOUND && a->cmd == CLI_CMD_ORDER_SHOW)
        snprintf(buf, sizeof buf, "Order not found");
    else
        snprintf(buf, sizeof buf, "%s", msg);
    if (res->http_status > 0)
        fprintf(err, "boxoffice: %s (HTTP %ld)\n", buf, res->http_status);
    else
        fprintf(err, "boxoffice: %s\n", buf);
    char hint[512] = ""; /* what to do about it: where the URL or the key is set */
    if (res->status == API_ERR_UNREACHABLE || res->status == API_ERR_FORBIDDEN)
        print_hint(err, res->status == API_ERR_UNREACHABLE ? CONFIG_HINT_URL : CONFIG_HINT_KEY, hint, sizeof hint);
    if (a->json) {
        cJSON *j = cJSON_CreateObject();
        char *text = NULL;
        for (char *nl = strchr(hint, '\n'); nl != NULL; nl = strchr(nl, '\n'))
            *nl = ' ';
        if (j != NULL && cJSON_AddStringToObject(j, "error", buf) != NULL
            && (hint[0] == '\0' || cJSON_AddStringToObject(j, "hint", hint) != NULL)
            && cJSON_AddNumberToObject(j, "status", (double)res->http_status) != NULL
            && cJSON_AddNumberToObject(j, "exitCode", cli_exit_code(res->status)) != NULL
            && (text = cJSON_Print(j)) != NULL)
            fprintf(out, "%s\n", text);
        free(text);
        cJSON_Delete(j);
    }
}

/* The concert as JSON, in the API's own shape (price an exact number, texts exactly as the API gave them:
 * print_json escapes what a terminal would act on). A damaged record carries
 * "problems" (what is wrong), its exact id, and null for a value the client could not read. NULL on OOM. */
static cJSON *concert_json(const bo_concert *c)
{
    char price[BO_MONEY_BUF];
    bo_money_format(c->price_cents, price);
    const char *id = c->bad != NULL && c->bad->raw_id != NULL ? c->bad->raw_id : c->id;
    cJSON *j = cJSON_CreateObject();
    if (j == NULL || cJSON_AddStringToObject(j, "id", id) == NULL
        || cJSON_AddStringToObject(j, "name", bo_json_text(c->json, "name", c->name != NULL ? c->name : "")) == NULL
        || cJSON_AddStringToObject(j, "date", bo_json_text(c->json, "date", c->date != NULL ? c->date : "")) == NULL
        || cJSON_AddStringToObject(j, "venue", bo_json_text(c->json, "venue", c->venue != NULL ? c->venue : "")) == NULL
        || (bo_concert_field_bad(c, BO_FIELD_SEATS) ? cJSON_AddNullToObject(j, "availableTickets")
                                                    : cJSON_AddNumberToObject(j, "availableTickets", (double)c->seats_left)) == NULL
        || (bo_concert_field_bad(c, BO_FIELD_PRICE) ? cJSON_AddNullToObject(j, "ticketPrice")
                                                    : cJSON_AddRawToObject(j, "ticketPrice", price)) == NULL)
        goto fail;
    if ((c->currency[0] != '\0' && cJSON_AddStringToObject(j, "currency", c->currency) == NULL)
        || (c->timezone[0] != '\0' && cJSON_AddStringToObject(j, "timezone", c->timezone) == NULL))
        goto fail;
    if (c->bad != NULL) {
        cJSON *p = cJSON_AddArrayToObject(j, "problems");
        if (p == NULL)
            goto fail;
        for (size_t i = 0; i < c->bad->n; i++) {
            cJSON *s = cJSON_CreateString(c->bad->problems[i]);
            if (s == NULL || !cJSON_AddItemToArray(p, s)) {
                cJSON_Delete(s);
                goto fail;
            }
        }
    }
    return j;
fail:
    cJSON_Delete(j);
    return NULL;
}

/* True for a code point a terminal acts on rather than shows: DEL, C1 controls, bidi embedding /
 * override / isolate and marks, line and paragraph separators. (cJSON escapes C0 controls inside strings
 * itself; outside them it writes only its own new lines and tabs.) */
static bool terminal_unsafe(uint32_t cp)
{
    return (cp >= 0x7F && cp <= 0x9F) || cp == 0x061C || cp == 0x200E || cp == 0x200F
        || (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

/* Writes JSON text (as cJSON prints it) so that the terminal is safe and the JSON still means the same:
 * an unsafe code point (terminal_unsafe) can only stand inside a string, where \uXXXX is the same
 * character; bytes that are not UTF-8 (JSON cannot carry them) become \ufffd. */
static void put_json_safe(FILE *out, const char *text)
{
    const unsigned char *p = (const unsigned char *)text;
    while (*p != '\0') {
        unsigned char c = *p;
        size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
        size_t have = 0;
        while (have < len && p[have] != '\0')
            have++;
        if (len == 0 || have < len || !bo_utf8_valid((const char *)p, len)) {
            fputs("\\ufffd", out);
            p++;
            continue;
        }
        const unsigned char *q = p;
        uint32_t cp = decode(&q);
        if (terminal_unsafe(cp))
            fprintf(out, "\\u%04x", (unsigned)cp);
        else
            fwrite(p, 1, len, out);
        p += len;
    }
}

/* Prints and frees j. Returns CLI_EXIT_OK, or CLI_EXIT_API on OOM. */
static int print_json(FILE *out, FILE *err, cJSON *j)
{
    char *text = j != NULL ? cJSON_Print(j) : NULL;
    cJSON_Delete(j);
    if (text == NULL) {
        fputs("boxoffice: out of memory\n", err);
        return CLI_EXIT_API;
    }
    put_json_safe(out, text);
    fputc('\n', out);
    free(text);
    return CLI_EXIT_OK;
}

static void price_text(const bo_concert *c, char out[BO_MONEY_BUF])
{
    if (bo_concert_field_bad(c, BO_FIELD_PRICE))
        snprintf(out, BO_MONEY_BUF, "?");
    else
        bo_money_display(c->price_cents, out);
}

static void seats_text(const bo_concert *c, char out[32])
{
    int64_t seats = c->seats_left;
    if (!bo_concert_sellable(c))
        snprintf(out, 32, "! damaged");
    else if (seats <= 0)
        snprintf(out, 32, "sold out");
    else
        snprintf(out, 32, "%lld", (long long)seats);
}

static int print_list(const cli_args *a, FILE *out, FILE *err, const bo_concert_list *l)
{
    if (a->json) {
        cJSON *arr = cJSON_CreateArray();
        if (arr == NULL)
            return print_json(out, err, NULL);
        for (size_t i = 0; i < l->n; i++) {
            if (!bo_concert_matches(&l->items[i], a->filter))
                continue;
            cJSON *c = concert_json(&l->items[i]);
            if (c == NULL || !cJSON_AddItemToArray(arr, c)) {
                cJSON_Delete(c);
                cJSON_Delete(arr);
                return print_json(out, err, NULL);
            }
        }
        return print_json(out, err, arr);
    }
    int wdate = 4, wname = 4, wvenue = 5, wprice = 5, wseats = 10;
    size_t shown = 0;
    time_t now = time(NULL); /* dates in the venue's zone; the year only when it is not this one */
    for (size_t i = 0; i < l->n; i++) {
        const bo_concert *c = &l->items[i];
        char price[BO_MONEY_BUF];
        if (!bo_concert_matches(c, a->filter))
            continue;
        price_text(c, price);
        char when[64];
        client_time_format_short(c->date, c->timezone, now, when, sizeof when);
        int w;
        if ((w = text_width(when, 32)) > wdate) wdate = w;
        if ((w = text_width(c->name, COL_NAME_MAX)) > wname) wname = w;
        if ((w = text_width(c->venue, COL_VENUE_MAX)) > wvenue) wvenue = w;
        if ((w = text_width(price, 32)) > wprice) wprice = w;
    }
    put_cell(out, "DATE", wdate, false); fputs("  ", out);
    put_cell(out, "NAME", wname, false); fputs("  ", out);
    put_cell(out, "VENUE", wvenue, false); fputs("  ", out);
    put_cell(out, "PRICE", wprice, true); fputs("  ", out);
    put_cell(out, "SEATS LEFT", wseats, true); fputs("  ", out);
    fputs("ID\n", out);
    for (size_t i = 0; i < l->n; i++) {
        const bo_concert *c = &l->items[i];
        char price[BO_MONEY_BUF], seats[32], when[64];
        if (!bo_concert_matches(c, a->filter))
            continue;
        bo_money_display(c->price_cents, price);
        seats_text(c, seats);
        price_text(c, price);
        client_time_format_short(c->date, c->timezone, now, when, sizeof when);
        put_cell(out, when, wdate, false); fputs("  ", out);
        put_cell(out, c->name, wname, false); fputs("  ", out);
        put_cell(out, c->venue, wvenue, false); fputs("  ", out);
        put_cell(out, price, wprice, true); fputs("  ", out);
        put_cell(out, seats, wseats, true); fputs("  ", out);
        fprintf(out, "%s\n", c->id);
        shown++;
    }
    fprintf(out, "%zu concert%s", shown, shown == 1 ? "" : "s");
    if (shown != l->n)
        fprintf(out, " (of %zu)", l->n);
    size_t damaged = 0;
    for (size_t i = 0; i < l->n; i++)
        if (bo_concert_matches(&l->items[i], a->filter) && !bo_concert_sellable(&l->items[i]))
            damaged++;
    if (damaged > 0)
        fprintf(out, "; %zu damaged (marked !, not for sale):", damaged);
    fputc('\n', out);
    for (size_t i = 0; i < l->n && damaged > 0; i++) {
        const bo_concert *c = &l->items[i];
        char problems[1024];
        if (!bo_concert_matches(c, a->filter) || bo_concert_sellable(c))
            continue;
        bo_concert_problems_text(c, problems, sizeof problems);
        fprintf(out, "! %s: %s\n", c->id[0] != '\0' ? c->id : "(no id)", problems);
    }
    return CLI_EXIT_OK;
}

static void print_concert_text(FILE *out, const bo_concert *c)
{
    char price[BO_MONEY_BUF], seats[32], when[64];
    price_text(c, price);
    if (bo_concert_field_bad(c, BO_FIELD_SEATS))
        snprintf(seats, sizeof seats, "?");
    else if (c->seats_left <= 0)
        snprintf(seats, sizeof seats, "sold out");
    else
        snprintf(seats, sizeof seats, "%lld", (long long)c->seats_left);
    fprintf(out, "ID:          %s\n", c->id);
    fprintf(out, "Name:        %s\n", c->name);
    if (client_time_format(c->date, c->timezone, when, sizeof when) == 0) /* the venue's zone */
        fprintf(out, "When:        %s%s%s\n", when, c->timezone[0] != '\0' ? " \xc2\xb7 " : "", c->timezone);
    fprintf(out, "Date (raw):  %s\n", c->date); /* as stored, UTC: as the detail screen labels it */
    fprintf(out, "Venue:       %s\n", c->venue);
    fprintf(out, "Price:       %s%s%s\n", price, c->currency[0] != '\0' ? " " : "", c->currency);
    fprintf(out, "Per order:   %lld\n", (long long)(c->max_per_order > 0 ? c->max_per_order : BO_MAX_PER_ORDER_DEFAULT));
    fprintf(out, "Seats left:  %s\n", seats);
    if (c->bad != NULL) {
        fputs("Not for sale: the record is damaged.\n", out);
        for (size_t i = 0; i < c->bad->n; i++)
            fprintf(out, "Problem:     %s\n", c->bad->problems[i]);
    }
}

/* ---- subcommands ---- */

static int cmd_list(const cli_args *a, api_client *c, FILE *out, FILE *err)
{
    bo_concert_list l;
    api_result res;
    if (api_list_concerts(c, &l, &res) != API_OK) {
        print_error(a, out, err, c, &res);
        return cli_exit_code(res.status);
    }
    bo_sort by = BO_SORT_DATE;
    if (a->sort != NULL && strcmp(a->sort, "name") == 0)
        by = BO_SORT_NAME;
    else if (a->sort != NULL && strcmp(a->sort, "seats") == 0)
        by = BO_SORT_SEATS;
    bo_concert_list_sort(&l, by);
    int rc = print_list(a, out, err, &l);
    bo_concert_list_clear(&l);
    return rc;
}

static int cmd_show(const cli_args *a, api_client *c, FILE *out, FILE *err)
{
    bo_concert con;
    api_result res;
    if (api_get_concert(c, a->id, &con, &res) != API_OK) {
        print_error(a, out, err, c, &res);
        return cli_exit_code(res.status);
    }
    int rc = CLI_EXIT_OK;
    if (a->json)
        rc = print_json(out, err, concert_json(&con));
    else
        print_concert_text(out, &con);
    bo_concert_clear(&con);
    return rc;
}

static int invalid(FILE *err, const char *msg)
{
    fprintf(err, "boxoffice: %s\n", msg);
    return CLI_EXIT_USAGE;
}

/* The sale got no definite answer: says so, and how to learn the outcome without selling twice
 * (stderr; with --json also on stdout). Returns CLI_EXIT_UNCONFIRMED. */
static int print_unconfirmed(const cli_args *a, const char *key, FILE *out, FILE *err, const api_client *c,
                             const api_result *res)
{
    char cmd[CLI_BUY_COMMAND_MAX], why[300];
    const char *msg = res->message[0] != '\0' ? res->message : api_status_message(res->status);
    if (res->http_status > 0)
        snprintf(why, sizeof why, "%s (HTTP %ld)", msg, res->http_status);
    else
        snprintf(why, sizeof why, "%s", msg);
    bool have_cmd = a->cmd == CLI_CMD_ORDER ? cli_order_command(cmd, sizeof cmd, api_client_base_url(c), a, key)
                    : cli_buy_command(cmd, sizeof cmd, api_client_base_url(c), a->id, a->name, a->email, key);
    if (have_cmd && a->past) { /* the same request: a past concert's sale needs the flag again */
        size_t used = strlen(cmd);
        have_cmd = used + sizeof " --past" <= sizeof cmd;
        if (have_cmd)
            memcpy(cmd + used, " --past", sizeof " --past");
    }
    fprintf(err, "boxoffice: sale NOT CONFIRMED: %s; the ticket may have been sold.\n", why);
    if (have_cmd)
        fprintf(err, "boxoffice: to learn the outcome, re-send the same request (it never sells twice):\n"
                     "  %s\n", cmd);
    if (a->json) {
        cJSON *j = cJSON_CreateObject();
        char *text = NULL;
        if (j != NULL && cJSON_AddStringToObject(j, "error", "Sale not confirmed: the ticket may have been sold") != NULL
            && cJSON_AddStringToObject(j, "reason", why) != NULL
            && cJSON_AddNumberToObject(j, "status", (double)res->http_status) != NULL
            && cJSON_AddNumberToObject(j, "exitCode", CLI_EXIT_UNCONFIRMED) != NULL
            && cJSON_AddTrueToObject(j, "unconfirmed") != NULL
            && cJSON_AddStringToObject(j, "idempotencyKey", key) != NULL
            && (!have_cmd || cJSON_AddStringToObject(j, "retryCommand", cmd) != NULL)
            && (text = cJSON_Print(j)) != NULL)
            fprintf(out, "%s\n", text);
        free(text);
        cJSON_Delete(j);
    }
    return CLI_EXIT_UNCONFIRMED;
}

/* A damaged record is never sold: reads the concert first and refuses (CLI_EXIT_API) when the client
 * cannot show it faithfully or the server reports problems with it; nor is a past one (client_time_past)
 * without --past. Returns CLI_EXIT_OK to go on.
 * A definite answer (404, other 4xx) ends the command here; when the read gets no definite answer
 * (timeout, unreachable, 5xx, 429, unreadable) the sale goes on and reports its own outcome: the server
 * refuses a damaged record too, and checking an unconfirmed sale must not fail on the read alone. */
static int refuse_damaged(const cli_args *a, api_client *c, FILE *out, FILE *err)
{
    bo_concert con;
    api_result res;
    if (api_get_concert(c, a->id, &con, &res) != API_OK) {
        switch (res.status) {
        case API_ERR_THROTTLED: case API_ERR_UNAVAILABLE: case API_ERR_UNREACHABLE:
        case API_ERR_TIMEOUT: case API_ERR_PROTOCOL:
            return CLI_EXIT_OK;
        default:
            print_error(a, out, err, c, &res);
            return cli_exit_code(res.status);
        }
    }
    int rc = CLI_EXIT_OK;
    if (!bo_concert_sellable(&con)) {
        char problems[sizeof res.message - 64]; /* the message's room */
        bo_concert_problems_text(&con, problems, sizeof problems);
        snprintf(res.message, sizeof res.message, "Not for sale: the concert's record is damaged (%s)", problems);
        res.status = API_ERR_INVALID;
        res.http_status = 0;
        print_error(a, out, err, c, &res);
        rc = CLI_EXIT_API;
    } else if (!a->past && client_time_past(con.date, time(NULL)) == 1) {
        char when[64];
        client_time_format(con.date, con.timezone, when, sizeof when);
        snprintf(res.message, sizeof res.message,
                 "Not sold: this concert was on %s (it is past); add --past to sell anyway", when);
        res.status = API_ERR_INVALID;
        res.http_status = 0;
        print_error(a, out, err, c, &res);
        rc = CLI_EXIT_API;
    }
    bo_concert_clear(&con);
    return rc;
}

static int cmd_buy(const cli_args *a, api_client *c, FILE *out, FILE *err)
{
    const char *msg;
    if ((msg = bo_valid_text("customerName", a->name)) != NULL || (msg = bo_valid_email(a->email)) != NULL)
        return invalid(err, msg);
    int refused = refuse_damaged(a, c, out, err);
    if (refused != CLI_EXIT_OK)
        return refused;
    char key[API_IDEM_KEY_MAX + 1];
    if (a->idem_key != NULL)
        snprintf(key, sizeof key, "%s", a->idem_key); /* checked by cli_parse_args */
    else
        api_idempotency_key_new(key);
    bo_ticket t;
    api_result res;
    if (api_purchase_key(c, a->id, a->name, a->email, key, &t, &res) != API_OK) {
        if (res.unconfirmed)
            return print_unconfirmed(a, key, out, err, c, &res);
        print_error(a, out, err, c, &res);
        return cli_exit_code(res.status);
    }
    /* the receipt names the concert: best effort, the sale stands either way */
    bo_concert con;
    api_result res2;
    bool have = api_get_concert(c, t.concert_id, &con, &res2) == API_OK;
    int rc = CLI_EXIT_OK;
    if (a->json) {
        cJSON *j = cJSON_CreateObject();
        if (j == NULL || cJSON_AddStringToObject(j, "id", t.id) == NULL
            || cJSON_AddStringToObject(j, "concertId", t.concert_id) == NULL
            || cJSON_AddStringToObject(j, "customerName", bo_json_text(t.json, "customerName", t.customer_name)) == NULL
            || cJSON_AddStringToObject(j, "customerEmail", bo_json_text(t.json, "customerEmail", t.customer_email)) == NULL
            || cJSON_AddStringToObject(j, "purchaseDate", bo_json_text(t.json, "purchaseDate", t.purchase_date)) == NULL
            || (have && !cJSON_AddItemToObject(j, "concert", concert_json(&con)))) {
            cJSON_Delete(j);
            j = NULL;
        }
        rc = print_json(out, err, j);
    } else {
        fprintf(out, "Ticket:      %s\n", t.id);
        char when[64];
        if (have) {
            char price[BO_MONEY_BUF];
            bo_money_display(con.price_cents, price);
            client_time_format(con.date, con.timezone, when, sizeof when);
            fprintf(out, "Concert:     %s\n", con.name);
            fprintf(out, "Date:        %s\n", when);
            fprintf(out, "Venue:       %s\n", con.venue);
            fprintf(out, "Price:       %s\n", price);
        }
        fprintf(out, "Concert ID:  %s\n", t.concert_id);
        fprintf(out, "Customer:    %s <%s>\n", t.customer_name, t.customer_email);
        client_time_format(t.purchase_date, have ? con.timezone : NULL, when, sizeof when);
        fprintf(out, "Purchased:   %s\n", when);
    }
    if (have)
        bo_concert_clear(&con);
    bo_ticket_clear(&t);
    return rc;
}

/* Money as the API writes it: an exact decimal string with two decimals ("0.04"). */
static void money_string(int64_t cents, char out[BO_MONEY_BUF])
{
    snprintf(out, BO_MONEY_BUF, "%lld.%02lld", (long long)(cents / 100), (long long)(cents % 100));
}

static bool add_money(cJSON *j, const char *key, int64_t cents)
{
    char m[BO_MONEY_BUF];
    if (cents < 0)
        return true; /* absent */
    money_string(cents, m);
    return cJSON_AddStringToObject(j, key, m) != NULL;
}

static bool add_opt_string(cJSON *j, const char *key, const char *v)
{
    return v == NULL || v[0] == '\0' || cJSON_AddStringToObject(j, key, v) != NULL;
}

/* The order as JSON, in the API's shape (money as exact decimal strings, codes and texts as the API gave them);
 * with the concert when known. NULL on OOM. */
static cJSON *order_json(const bo_order *o, const bo_concert *con)
{
    cJSON *j = cJSON_CreateObject(), *pay, *arr;
    if (j == NULL || cJSON_AddStringToObject(j, "id", o->id) == NULL
        || !add_opt_string(j, "concertId", bo_json_text(o->json, "concertId", o->concert_id))
        || cJSON_AddNumberToObject(j, "quantity", (double)o->quantity) == NULL
        || !add_money(j, "unitPrice", o->unit_price_cents) || !add_money(j, "total", o->total_cents)
        || !add_opt_string(j, "currency", o->currency))
        goto fail;
    if (o->method != BO_PAY_NONE || o->tendered_cents >= 0) {
        if ((pay = cJSON_AddObjectToObject(j, "payment")) == NULL
            || !add_opt_string(pay, "method", bo_pay_method_name(o->method))
            || !add_money(pay, "tendered", o->tendered_cents) || !add_money(pay, "change", o->change_cents))
            goto fail;
    }
    if (!add_opt_string(j, "createdAt", bo_json_text(o->json, "createdAt", o->created_at))
        || !add_opt_string(j, "soldBy", bo_json_text(o->json, "soldBy", o->sold_by))
        || !add_opt_string(j, "customerName", bo_json_text(o->json, "customerName", o->customer_name))
        || !add_opt_string(j, "customerEmail", bo_json_text(o->json, "customerEmail", o->customer_email))
        || (arr = cJSON_AddArrayToObject(j, "tickets")) == NULL)
        goto fail;
    for (size_t i = 0; i < o->n_tickets; i++) {
        const bo_order_ticket *t = &o->tickets[i];
        cJSON *tj = cJSON_CreateObject();
        if (tj == NULL || !cJSON_AddItemToArray(arr, tj)) {
            cJSON_Delete(tj);
            goto fail;
        }
        if (cJSON_AddStringToObject(tj, "id", t->id) == NULL || cJSON_AddStringToObject(tj, "code", t->code) == NULL
            || !add_opt_string(tj, "attendee", bo_json_text(t->json, "attendee", t->attendee))
            || !add_opt_string(tj, "status", bo_json_text(t->json, "status", t->status))
            || !add_opt_string(tj, "checkedInAt", bo_json_text(t->json, "checkedInAt", t->checked_in_at))
            || !add_opt_string(tj, "door", bo_json_text(t->json, "door", t->door))
            || !add_opt_string(tj, "refundedAt", bo_json_text(t->json, "refundedAt", t->refunded_at)))
            goto fail;
    }
    if (o->admitted >= 0 && cJSON_AddNumberToObject(j, "admitted", (double)o->admitted) == NULL)
        goto fail;
    const cJSON *refunds = o->json != NULL ? cJSON_GetObjectItemCaseSensitive(o->json, "refunds") : NULL;
    if (cJSON_IsArray(refunds) && !cJSON_AddItemToObject(j, "refunds", cJSON_Duplicate(refunds, true)))
        goto fail; /* as the API gave them: amounts, reasons, who and when */
    if (con != NULL && !cJSON_AddItemToObject(j, "concert", concert_json(con)))
        goto fail;
    return j;
fail:
    cJSON_Delete(j);
    return NULL;
}

static void print_order_text(FILE *out, const bo_order *o, const bo_concert *con)
{
    char m1[64], m2[64], when[64], code[BO_CODE_MAX * 2];
    const char *cur = o->currency[0] != '\0' ? o->currency : con != NULL ? con->currency : "";
    fprintf(out, "Order:       %s\n", o->id);
    if (con != NULL) {
        client_time_format(con->date, con->timezone, when, sizeof when);
        fprintf(out, "Concert:     %s\n", con->name);
        fprintf(out, "Date:        %s\n", when);
        fprintf(out, "Venue:       %s\n", con->venue);
    }
    if (o->concert_id[0] != '\0')
        fprintf(out, "Concert ID:  %s\n", o->concert_id);
    if (o->unit_price_cents >= 0) {
        bo_money_with_currency(o->unit_price_cents, cur, m1, sizeof m1);
        fprintf(out, "Tickets:     %lld x %s\n", (long long)o->quantity, m1);
    } else {
        fprintf(out, "Tickets:     %lld\n", (long long)o->quantity);
    }
    bo_money_with_currency(o->total_cents, cur, m1, sizeof m1);
    fprintf(out, "Total:       %s\n", m1);
    if (o->method != BO_PAY_NONE) {
        fprintf(out, "Payment:     %s", bo_pay_method_name(o->method));
        if (o->tendered_cents >= 0) {
            bo_money_with_currency(o->tendered_cents, cur, m2, sizeof m2);
            fprintf(out, ", tendered %s", m2);
        }
        fputc('\n', out);
    }
    if (o->change_cents >= 0) {
        bo_money_with_currency(o->change_cents, cur, m2, sizeof m2);
        fprintf(out, "Change due:  %s\n", m2);
    }
    if (o->customer_name != NULL || o->customer_email != NULL)
        fprintf(out, "Customer:    %s%s%s%s\n", o->customer_name != NULL ? o->customer_name : "",
                o->customer_email != NULL ? " <" : "", o->customer_email != NULL ? o->customer_email : "",
                o->customer_email != NULL ? ">" : "");
    if (o->sold_by[0] != '\0')
        fprintf(out, "Sold by:     %s\n", o->sold_by);
    if (o->created_at[0] != '\0') {
        client_time_format(o->created_at, con != NULL ? con->timezone : NULL, when, sizeof when);
        fprintf(out, "Created:     %s\n", when);
    }
    if (o->n_refunds > 0) {
        bo_money_with_currency(o->refunded_cents, cur, m2, sizeof m2);
        fprintf(out, "Refunded:    %s (%zu refund%s)\n", m2, o->n_refunds, o->n_refunds == 1 ? "" : "s");
    }
    for (size_t i = 0; i < o->n_tickets; i++) {
        const bo_order_ticket *t = &o->tickets[i];
        char state[160] = "";
        bo_code_grouped(t->code, code, sizeof code);
        if (t->checked_in_at[0] != '\0' && client_time_strftime(t->checked_in_at, con != NULL ? con->timezone : NULL,
                                                               "%H:%M:%S %Z", when, sizeof when) == 0)
            snprintf(state, sizeof state, " at %s%s%s", when, t->door[0] != '\0' ? " door " : "", t->door);
        fprintf(out, "Ticket %zu:%*s%s  %s%s%s%s\n", i + 1, i + 1 < 10 ? 3 : 2, "", code,
                t->status[0] != '\0' ? t->status : "", state, t->attendee != NULL ? "  " : "",
                t->attendee != NULL ? t->attendee : "");
    }
}

/* An order: the public route (name and e-mail required, card only) unless an operator key is configured. */
/* Prints an order (text or --json) with its concert's time zone and name when the concert can be read;
 * without them when it cannot (best effort: the order is what matters). */
/* extra (owned; may be NULL) goes into the JSON as "name". */
static int print_order(const cli_args *a, api_client *c, const bo_order *o, const char *name, cJSON *extra, FILE *out,
                       FILE *err)
{
    bo_concert con;
    api_result res;
    bool have = o->concert_id[0] != '\0' && api_get_concert(c, o->concert_id, &con, &res) == API_OK;
    int rc = CLI_EXIT_OK;
    if (a->json) {
        cJSON *j = order_json(o, have ? &con : NULL);
        if (j != NULL && extra != NULL && !cJSON_AddItemToObject(j, name, extra)) {
            cJSON_Delete(j);
            j = NULL;
        } else if (j != NULL) {
            extra = NULL;
        }
        cJSON_Delete(extra);
        rc = print_json(out, err, j);
    } else {
        cJSON_Delete(extra);
        print_order_text(out, o, have ? &con : NULL);
    }
    if (have)
        bo_concert_clear(&con);
    return rc;
}

static int cmd_order(const cli_args *a, api_client *c, bool operator_key, FILE *out, FILE *err)
{
    const char *msg;
    bo_pay_method pay = bo_pay_method_parse(a->pay);
    if (!operator_key) {
        const char *why = NULL;
        char hint[512];
        if (a->name == NULL || a->email == NULL)
            why = "order: --name and --email are required without an operator key";
        else if (pay == BO_PAY_CASH || pay == BO_PAY_COMP)
            why = "order: cash and comp need an operator key (the public route takes card only)";
        if (why != NULL) {
            invalid(err, why);
            print_hint(err, CONFIG_HINT_KEY, hint, sizeof hint);
            return CLI_EXIT_USAGE;
        }
    }
    if ((a->name != NULL && (msg = bo_valid_text("customerName", a->name)) != NULL)
        || (a->email != NULL && (msg = bo_valid_email(a->email)) != NULL))
        return invalid(err, msg);
    for (size_t i = 0; i < a->n_attendees; i++)
        if ((msg = bo_valid_text("attendee", a->attendees[i])) != NULL)
            return invalid(err, msg);
    int refused = refuse_damaged(a, c, out, err);
    if (refused != CLI_EXIT_OK)
        return refused;
    char key[API_IDEM_KEY_MAX + 1];
    if (a->idem_key != NULL)
        snprintf(key, sizeof key, "%s", a->idem_key); /* checked by cli_parse_args */
    else
        api_idempotency_key_new(key);
    int64_t tendered = -1;
    if (a->tendered != NULL)
        bo_valid_tendered_text(a->tendered, &tendered); /* checked by cli_parse_args */
    bo_order_input in = {
        .concert_id = a->id, .quantity = strtol(a->quantity, NULL, 10), .customer_name = a->name,
        .customer_email = a->email, .attendees = a->attendees, .n_attendees = a->n_attendees, .method = pay,
        .tendered_cents = tendered, .operator_route = operator_key,
    };
    bo_order o;
    api_result res;
    if (api_create_order(c, &in, key, &o, &res) != API_OK) {
        if (res.unconfirmed)
            return print_unconfirmed(a, key, out, err, c, &res);
        print_error(a, out, err, c, &res);
        return cli_exit_code(res.status);
    }
    int rc = print_order(a, c, &o, NULL, NULL, out, err); /* the concert is read best effort: the sale stands */
    bo_order_clear(&o);
    return rc;
}

static int cmd_order_show(const cli_args *a, api_client *c, FILE *out, FILE *err)
{
    bo_order o;
    api_result res;
    if (api_get_order(c, a->id, &o, &res) != API_OK) {
        print_error(a, out, err, c, &res);
        return cli_exit_code(res.status);
    }
    int rc = print_order(a, c, &o, NULL, NULL, out, err);
    bo_order_clear(&o);
    return rc;
}

static int cmd_create(const cli_args *a, api_client *c, FILE *out, FILE *err)
{
    const char *msg;
    bo_concert_input in = { .name = a->name, .date = a->date, .venue = a->venue, .currency = a->currency,
                            .timezone = a->timezone,
                            .max_per_order = a->max_per_order != NULL ? strtol(a->max_per_order, NULL, 10) : 0 };
    if ((msg = bo_valid_text("name", a->name)) != NULL || (msg = bo_valid_date(a->date)) != NULL
        || (msg = bo_valid_text("venue", a->venue)) != NULL
        || (msg = bo_valid_tickets_text(a->tickets, &in.available_tickets)) != NULL
        || (msg = bo_valid_price_text(a->price, &in.price_cents)) != NULL)
        return invalid(err, msg);
    /* the server trims; send what it will store */
    char *name = bo_text_trim_dup(a->name), *venue = bo_text_trim_dup(a->venue), *date = bo_text_trim_dup(a->date);
    int rc = CLI_EXIT_OK;
    if (name == NULL || venue == NULL || date == NULL) {
        rc = invalid(err, "out of memory");
        goto cleanup;
    }
    in.name = name;
    in.venue = venue;
    in.date = date;
    char id[BO_ID_MAX + 1];
    api_result res;
    if (api_create_concert(c, &in, id, &res) != API_OK) {
        print_error(a, out, err, c, &res);
        rc = cli_exit_code(res.status);
        goto cleanup;
    }
    if (a->json) {
        cJSON *j = cJSON_CreateObject();
        if (j != NULL && cJSON_AddStringToObject(j, "id", id) == NULL) {
            cJSON_Delete(j);
            j = NULL;
        }
        rc = print_json(out, err, j);
    } else {
        char safe[BO_ID_MAX * 3 + 1];
        bo_text_sanitize(safe, sizeof safe, id);
        fprintf(out, "Created concert %s\n", safe);
    }
cleanup:
    free(name);
    free(venue);
    free(date);
    return rc;
}

static const char *source_token(config_source s)
{
    switch (s) {
    case CONFIG_SRC_DEFAULT: return "default";
    case CONFIG_SRC_FLAG: return "flag";
    case CONFIG_SRC_ENV: return "env";
    case CONFIG_SRC_FILE: return "file";
    case CONFIG_SRC_KEY_FILE: return "key-file";
    }
    return "?";
}

int cli_print_config(const cli_args *a, const config *cfg, FILE *out)
{
    FILE *f = cfg->file_path != NULL ? fopen(cfg->file_path, "r") : NULL;
    bool file_exists = f != NULL;
    if (f != NULL)
        fclose(f);
    if (a->json) {
        cJSON *j = cJSON_CreateObject();
        if (j == NULL || cJSON_AddStringToObject(j, "apiUrl", cfg->api_url) == NULL
            || cJSON_AddStringToObject(j, "apiUrlSource", source_token(cfg->url_source)) == NULL
            || cJSON_AddBoolToObject(j, "apiKeySet", cfg->api_key != NULL) == NULL
            || (cfg->api_key != NULL && cJSON_AddStringToObject(j, "apiKeySource", source_token(cfg->key_source)) == NULL)
            || cJSON_AddNumberToObject(j, "refreshSeconds", cfg->refresh_s) == NULL
            || cJSON_AddNumberToObject(j, "idleTimeoutSeconds", cfg->idle_timeout_s) == NULL
            || cJSON_AddBoolToObject(j, "kioskPinSet", cfg->kiosk_pin != NULL) == NULL
            || (cfg->file_path != NULL && cJSON_AddStringToObject(j, "configFile", cfg->file_path) == NULL)
            || cJSON_AddBoolToObject(j, "configFileExists", file_exists) == NULL) {
            cJSON_Delete(j);
            j = NULL;
        }
        return print_json(out, stderr, j);
    }
    fprintf(out, "api_url               %s (%s)\n", cfg->api_url,
            cfg->url_source == CONFIG_SRC_DEFAULT ? "default: the local stack" : config_source_name(cfg->url_source));
    if (cfg->api_key != NULL)
        fprintf(out, "api_key               set (%s)\n", config_source_name(cfg->key_source));
    else
        fprintf(out, "api_key               not set\n");
    fprintf(out, "refresh_seconds       %d\n", cfg->refresh_s);
    fprintf(out, "idle_timeout_seconds  %d\n", cfg->idle_timeout_s);
    fprintf(out, "kiosk_pin             %s\n", cfg->kiosk_pin != NULL ? "set" : "not set");
    fprintf(out, "config file           %s%s\n", cfg->file_path != NULL ? cfg->file_path : "(no HOME)",
            file_exists ? "" : " (absent)");
    return CLI_EXIT_OK;
}

int cli_run(const cli_args *a, const api_config *api, FILE *out, FILE *err)
{
    api_client *c = api_client_new(api);
    if (c == NULL) {
        fprintf(err, "boxoffice: cannot use the API URL '%s'\n", api->base_url != NULL ? api->base_url : "");
        return CLI_EXIT_USAGE;
    }
    int rc;
    switch (a->cmd) {
    case CLI_CMD_LIST: rc = cmd_list(a, c, out, err); break;
    case CLI_CMD_SHOW: rc = cmd_show(a, c, out, err); break;
    case CLI_CMD_BUY: rc = cmd_buy(a, c, out, err); break;
    case CLI_CMD_CREATE: rc = cmd_create(a, c, out, err); break;
    case CLI_CMD_ORDER: rc = cmd_order(a, c, api->api_key != NULL && api->api_key[0] != '\0', out, err); break;
    case CLI_CMD_ORDER_SHOW: rc = cmd_order_show(a, c, out, err); break;
    case CLI_CMD_FIND: rc = cli_cmd_find(a, c, out, err); break;
    case CLI_CMD_REFUND: rc = cli_cmd_refund(a, c, out, err); break;
    case CLI_CMD_CHECKIN: rc = cli_door_checkin(a, c, out, err); break;
    case CLI_CMD_STATS: rc = cli_door_stats(a, c, out, err); break;
    case CLI_CMD_CHECKIN_UNDO: rc = cli_door_undo(a, c, out, err); break;
    default:
        fputs("boxoffice: not a command\n", err);
        rc = CLI_EXIT_USAGE;
        break;
    }
    api_client_free(c);
    return rc;
}

/* ---- shared with cli_aftersale.c (cli_internal.h) ---- */

void cli_print_error(const cli_args *a, FILE *out, FILE *err, const api_client *c, const api_result *res)
{
    print_error(a, out, err, c, res);
}

int cli_print_json(FILE *out, FILE *err, cJSON *j)
{
    return print_json(out, err, j);
}

cJSON *cli_order_json(const bo_order *o, const bo_concert *con)
{
    return order_json(o, con);
}

cJSON *cli_concert_json(const bo_concert *c)
{
    return concert_json(c);
}

int cli_print_order(const cli_args *a, api_client *c, const bo_order *o, FILE *out, FILE *err)
{
    return print_order(a, c, o, NULL, NULL, out, err);
}

int cli_print_order_with(const cli_args *a, api_client *c, const bo_order *o, const char *name, cJSON *extra,
                         FILE *out, FILE *err)
{
    return print_order(a, c, o, name, extra, out, err);
}

bool cli_shell_arg(char *out, size_t cap, size_t *n, const char *s, bool quote)
{
    return cmdline_arg(out, cap, n, s, quote);
}

void cli_put_cell(FILE *out, const char *s, int width, bool right)
{
    put_cell(out, s, width, right);
}

int cli_text_width(const char *s, int cap)
{
    return text_width(s, cap);
}
