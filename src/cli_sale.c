/* The commands on concerts and orders: list, show, buy, create, order, order show (their handlers in
 * cli_cmds.h, run from the command table cli_table.h), and the command lines that resend an unconfirmed
 * sale (cli.h). */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bo_money.h"
#include "bo_text.h"
#include "bo_valid.h"
#include "bo_valid_order.h"
#include "cli.h"
#include "cli_cmds.h"
#include "cli_out.h"
#include "client_time.h"
#include "cmdline.h"

#define COL_NAME_MAX 40
#define COL_VENUE_MAX 30

bool cli_buy_command(char *out, size_t cap, const char *api_url, const char *concert_id, const char *name,
                     const char *email, const char *idem_key, bool past)
{
    size_t n;
    bool ok = cmdline_start(out, cap, &n, api_url, "buy") && cmdline_arg(out, cap, &n, concert_id, true)
              && cmdline_option(out, cap, &n, "--name", name) && cmdline_option(out, cap, &n, "--email", email)
              && cmdline_option(out, cap, &n, "--idempotency-key", idem_key)
              && (!past || cmdline_arg(out, cap, &n, "--past", false));
    if (!ok && cap > 0)
        out[0] = '\0';
    return ok;
}

bool cli_order_command(char *out, size_t cap, const char *api_url, const cli_args *a, const char *idem_key)
{
    cmdline_order o = { .concert_id = a->id, .quantity = a->quantity, .name = a->name, .email = a->email,
                        .attendees = a->attendees, .n_attendees = a->n_attendees,
                        .pay = a->pay, .tendered = a->tendered, .past = a->past };
    return cmdline_order_command(out, cap, api_url, &o, idem_key);
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
            return cli_print_json(out, err, NULL);
        for (size_t i = 0; i < l->n; i++) {
            if (!bo_concert_matches(&l->items[i], a->filter))
                continue;
            cJSON *c = cli_concert_json(&l->items[i]);
            if (c == NULL || !cJSON_AddItemToArray(arr, c)) {
                cJSON_Delete(c);
                cJSON_Delete(arr);
                return cli_print_json(out, err, NULL);
            }
        }
        return cli_print_json(out, err, arr);
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
        if ((w = cli_text_width(when, 32)) > wdate) wdate = w;
        if ((w = cli_text_width(c->name, COL_NAME_MAX)) > wname) wname = w;
        if ((w = cli_text_width(c->venue, COL_VENUE_MAX)) > wvenue) wvenue = w;
        if ((w = cli_text_width(price, 32)) > wprice) wprice = w;
    }
    cli_put_cell(out, "DATE", wdate, false); fputs("  ", out);
    cli_put_cell(out, "NAME", wname, false); fputs("  ", out);
    cli_put_cell(out, "VENUE", wvenue, false); fputs("  ", out);
    cli_put_cell(out, "PRICE", wprice, true); fputs("  ", out);
    cli_put_cell(out, "SEATS LEFT", wseats, true); fputs("  ", out);
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
        cli_put_cell(out, when, wdate, false); fputs("  ", out);
        cli_put_cell(out, c->name, wname, false); fputs("  ", out);
        cli_put_cell(out, c->venue, wvenue, false); fputs("  ", out);
        cli_put_cell(out, price, wprice, true); fputs("  ", out);
        cli_put_cell(out, seats, wseats, true); fputs("  ", out);
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

int cli_sale_list(const cli_args *a, api_client *c, const api_config *api, FILE *out, FILE *err)
{
    (void)api;
    bo_concert_list l;
    api_result res;
    if (api_list_concerts(c, &l, &res) != API_OK)
        return cli_report(a, out, err, c, &res);
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

int cli_sale_show(const cli_args *a, api_client *c, const api_config *api, FILE *out, FILE *err)
{
    (void)api;
    bo_concert con;
    api_result res;
    if (api_get_concert(c, a->id, &con, &res) != API_OK)
        return cli_report(a, out, err, c, &res);
    int rc = CLI_EXIT_OK;
    if (a->json)
        rc = cli_print_json(out, err, cli_concert_json(&con));
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
                    : cli_buy_command(cmd, sizeof cmd, api_client_base_url(c), a->id, a->name, a->email, key,
                                      a->past);
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
            return cli_report(a, out, err, c, &res);
        }
    }
    int rc = CLI_EXIT_OK;
    if (!bo_concert_sellable(&con)) {
        char problems[sizeof res.message - 64]; /* the message's room */
        bo_concert_problems_text(&con, problems, sizeof problems);
        snprintf(res.message, sizeof res.message, "Not for sale: the concert's record is damaged (%s)", problems);
        res.status = API_ERR_INVALID;
        res.http_status = 0;
        cli_print_error(a, out, err, c, &res);
        rc = CLI_EXIT_API;
    } else if (!a->past && client_time_past(con.date, time(NULL)) == 1) {
        char when[64];
        client_time_format(con.date, con.timezone, when, sizeof when);
        snprintf(res.message, sizeof res.message,
                 "Not sold: this concert was on %s (it is past); add --past to sell anyway", when);
        res.status = API_ERR_INVALID;
        res.http_status = 0;
        cli_print_error(a, out, err, c, &res);
        rc = CLI_EXIT_API;
    }
    bo_concert_clear(&con);
    return rc;
}

int cli_sale_buy(const cli_args *a, api_client *c, const api_config *api, FILE *out, FILE *err)
{
    (void)api;
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
        return cli_report(a, out, err, c, &res);
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
            || cJSON_AddStringToObject(j, "customerName", model_json_text(t.json, "customerName", t.customer_name)) == NULL
            || cJSON_AddStringToObject(j, "customerEmail", model_json_text(t.json, "customerEmail", t.customer_email)) == NULL
            || cJSON_AddStringToObject(j, "purchaseDate", model_json_text(t.json, "purchaseDate", t.purchase_date)) == NULL
            || (have && !cJSON_AddItemToObject(j, "concert", cli_concert_json(&con)))) {
            cJSON_Delete(j);
            j = NULL;
        }
        rc = cli_print_json(out, err, j);
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

/* An order: the public route (name and e-mail required, card only) unless an operator key is configured. */
int cli_sale_order(const cli_args *a, api_client *c, const api_config *api, FILE *out, FILE *err)
{
    bool operator_key = api_config_operator(api);
    const char *msg;
    bo_pay_method pay = bo_pay_method_parse(a->pay);
    if (!operator_key) {
        const char *why = NULL;
        char hint[512];
        if (a->name == NULL || a->email == NULL)
            why = "order: --name and --email are required without an operator's sign-in";
        else if (pay == BO_PAY_CASH || pay == BO_PAY_COMP)
            why = "order: cash and comp need an operator's sign-in (the public route takes card only)";
        if (why != NULL) {
            invalid(err, why);
            cli_print_hint(err, CONFIG_HINT_KEY, hint, sizeof hint);
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
        return cli_report(a, out, err, c, &res);
    }
    int rc = cli_print_order_with(a, c, &o, NULL, NULL, out, err); /* the concert is read best effort: the sale stands */
    bo_order_clear(&o);
    return rc;
}

int cli_sale_order_show(const cli_args *a, api_client *c, const api_config *api, FILE *out, FILE *err)
{
    (void)api;
    bo_order o;
    api_result res;
    if (api_get_order(c, a->id, &o, &res) != API_OK)
        return cli_report(a, out, err, c, &res);
    int rc = cli_print_order_with(a, c, &o, NULL, NULL, out, err);
    bo_order_clear(&o);
    return rc;
}

int cli_sale_create(const cli_args *a, api_client *c, const api_config *api, FILE *out, FILE *err)
{
    (void)api;
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
        cli_print_error(a, out, err, c, &res);
        rc = cli_exit_code(res.status);
        goto cleanup;
    }
    if (a->json) {
        cJSON *j = cJSON_CreateObject();
        if (j != NULL && cJSON_AddStringToObject(j, "id", id) == NULL) {
            cJSON_Delete(j);
            j = NULL;
        }
        rc = cli_print_json(out, err, j);
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
