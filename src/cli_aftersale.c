/* The after-sale commands of the CLI: find (orders by e-mail or name prefix, a ticket by its code) and
 * refund (with an Idempotency-Key; an unconfirmed refund prints the command that checks it). Output
 * helpers and exit codes are cli_out.h's; run from the command table (cli_table.h). Operator key required
 * (the API checks it). */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "api_lookup.h"
#include "api_refund.h"
#include "bo_code.h"
#include "bo_money.h"
#include "bo_text.h"
#include "bo_valid.h"
#include "cli.h"
#include "cli_cmds.h"
#include "cli_out.h"
#include "cmdline.h"

#define REFUND_COMMAND_MAX 8192

/* "2 admitted, refunded 25.00" / "" ("ticket holder Hugo Ball, ..." first when a holder matched) */
static void state_text(const bo_order *o, char *out, size_t cap)
{
    char m[BO_MONEY_BUF];
    int n = 0;
    out[0] = '\0';
    if (o->matched_attendee != NULL)
        n = snprintf(out, cap, "ticket holder %s", o->matched_attendee);
    if (o->admitted > 0 && n >= 0 && (size_t)n < cap)
        n += snprintf(out + n, cap - (size_t)n, "%s%lld admitted", n > 0 ? ", " : "", (long long)o->admitted);
    if (o->n_refunds > 0 && n >= 0 && (size_t)n < cap) {
        bo_money_display(o->refunded_cents, m);
        snprintf(out + n, cap - (size_t)n, "%srefunded %s", n > 0 ? ", " : "", m);
    }
}

/* A summary in the API's shape: the order without "tickets". NULL on OOM. */
static cJSON *summary_json(const bo_order *o)
{
    cJSON *j = cli_order_json(o, NULL);
    if (j != NULL)
        cJSON_DeleteItemFromObjectCaseSensitive(j, "tickets");
    if (j != NULL && o->matched_attendee != NULL && cJSON_AddStringToObject(j, "matchedAttendee", model_json_text(o->json, "matchedAttendee", o->matched_attendee)) == NULL) {
        cJSON_Delete(j);
        j = NULL;
    }
    return j;
}

static int print_page(const cli_args *a, const api_order_page *p, FILE *out, FILE *err)
{
    if (a->json) {
        cJSON *j = cJSON_CreateObject(), *arr = j != NULL ? cJSON_AddArrayToObject(j, "orders") : NULL;
        bool ok = arr != NULL;
        for (size_t i = 0; ok && i < p->n; i++) {
            cJSON *o = summary_json(&p->orders[i]);
            ok = o != NULL && cJSON_AddItemToArray(arr, o);
            if (!ok)
                cJSON_Delete(o);
        }
        if (ok && p->cursor[0] != '\0')
            ok = cJSON_AddStringToObject(j, "cursor", p->cursor) != NULL;
        if (!ok) {
            cJSON_Delete(j);
            j = NULL;
        }
        return cli_print_json(out, err, j);
    }
    int wname = 8, wmail = 6, w;
    for (size_t i = 0; i < p->n; i++) {
        if ((w = cli_text_width(p->orders[i].customer_name, 40)) > wname) wname = w;
        if ((w = cli_text_width(p->orders[i].customer_email, 50)) > wmail) wmail = w;
    }
    cli_put_cell(out, "ORDER ID", 36, false); fputs("  ", out);
    cli_put_cell(out, "CUSTOMER", wname, false); fputs("  ", out);
    cli_put_cell(out, "E-MAIL", wmail, false); fputs("  ", out);
    cli_put_cell(out, "QTY", 3, true); fputs("  ", out);
    cli_put_cell(out, "TOTAL", 12, true); fputs("  ", out);
    cli_put_cell(out, "PAY", 4, false); fputs("  ", out);
    cli_put_cell(out, "STATE", 26, false); fputs("  ", out);
    fputs("CREATED (UTC)             CONCERT ID\n", out);
    for (size_t i = 0; i < p->n; i++) {
        const bo_order *o = &p->orders[i];
        char total[BO_MONEY_BUF + 8], state[1200], qty[16];
        model_money_with_currency(o->total_cents, o->currency, total, sizeof total);
        state_text(o, state, sizeof state);
        snprintf(qty, sizeof qty, "%lld", (long long)o->quantity);
        cli_put_cell(out, o->id, 36, false); fputs("  ", out);
        cli_put_cell(out, o->customer_name != NULL ? o->customer_name : "-", wname, false); fputs("  ", out);
        cli_put_cell(out, o->customer_email != NULL ? o->customer_email : "-", wmail, false); fputs("  ", out);
        cli_put_cell(out, qty, 3, true); fputs("  ", out);
        cli_put_cell(out, total, 12, true); fputs("  ", out);
        cli_put_cell(out, bo_pay_method_name(o->method), 4, false); fputs("  ", out);
        cli_put_cell(out, state, 26, false); fputs("  ", out);
        cli_put_cell(out, o->created_at, 24, false); fputs("  ", out);
        fprintf(out, "%s\n", o->concert_id);
    }
    fprintf(out, "%zu order%s\n", p->n, p->n == 1 ? "" : "s");
    if (p->cursor[0] != '\0')
        fprintf(out, "More: add --cursor %s\n", p->cursor);
    return CLI_EXIT_OK;
}

static cJSON *found_json(const api_ticket_found *f)
{
    cJSON *j = cJSON_CreateObject(), *t = j != NULL ? cJSON_AddObjectToObject(j, "ticket") : NULL;
    const bo_order_ticket *tk = &f->ticket;
    if (t == NULL || cJSON_AddStringToObject(t, "id", tk->id) == NULL
        || cJSON_AddStringToObject(t, "code", tk->code) == NULL
        || cJSON_AddStringToObject(t, "orderId", model_json_text(tk->json, "orderId", f->order_id)) == NULL
        || (f->order.concert_id[0] != '\0'
            && cJSON_AddStringToObject(t, "concertId", model_json_text(tk->json, "concertId", f->order.concert_id)) == NULL)
        || (tk->attendee != NULL && cJSON_AddStringToObject(t, "attendee", model_json_text(tk->json, "attendee", tk->attendee)) == NULL)
        || cJSON_AddStringToObject(t, "status", model_json_text(tk->json, "status", tk->status)) == NULL
        || (tk->checked_in_at[0] != '\0'
            && cJSON_AddStringToObject(t, "checkedInAt", model_json_text(tk->json, "checkedInAt", tk->checked_in_at)) == NULL)
        || (tk->door[0] != '\0' && cJSON_AddStringToObject(t, "door", model_json_text(tk->json, "door", tk->door)) == NULL)
        || !cJSON_AddItemToObject(j, "order", summary_json(&f->order))
        || !cJSON_AddItemToObject(j, "concert", cli_concert_json(&f->concert))) {
        cJSON_Delete(j);
        return NULL;
    }
    return j;
}

/* With after_code (a code nobody has, searched as a name): no order either is exit 4, as an unknown code. */
static int find_orders(const cli_args *a, api_client *c, const api_order_query *q, bool after_code, FILE *out,
                       FILE *err)
{
    api_order_page p;
    api_result res;
    if (api_find_orders(c, q, &p, &res) != API_OK)
        return cli_report(a, out, err, c, &res);
    int rc = print_page(a, &p, out, err);
    if (after_code && p.n == 0 && rc == CLI_EXIT_OK)
        rc = cli_exit_code(API_ERR_NOT_FOUND);
    api_order_page_clear(&p);
    return rc;
}

static int find_code(const cli_args *a, api_client *c, FILE *out, FILE *err)
{
    api_ticket_found f;
    api_result res;
    if (api_ticket_by_code(c, a->code, &f, &res) != API_OK) {
        if (res.http_status == 0 && res.status == API_ERR_INVALID) {
            fprintf(err, "boxoffice: %s\n", res.message);
            return CLI_EXIT_USAGE; /* not a code: nothing was sent */
        }
        if (res.status == API_ERR_NOT_FOUND && bo_code_reads_as_name(a->code)) {
            /* "Maximilian Rothenberg" reads as a code too: no ticket has it, so it is searched as a name */
            fprintf(err, "boxoffice: no ticket has this code; it reads as a name too: the orders of that name follow\n");
            api_order_query q = { .name = a->code };
            return find_orders(a, c, &q, true, out, err);
        }
        return cli_report(a, out, err, c, &res);
    }
    int rc;
    if (a->json) {
        rc = cli_print_json(out, err, found_json(&f));
    } else {
        char code[BO_CODE_MAX * 2];
        model_code_grouped(f.ticket.code, code, sizeof code);
        fprintf(out, "Ticket code: %s\n", code);
        fprintf(out, "Ticket ID:   %s\n", f.ticket.id);
        fprintf(out, "Status:      %s", f.ticket.status);
        if (f.ticket.checked_in_at[0] != '\0')
            fprintf(out, " at %s%s%s", f.ticket.checked_in_at, f.ticket.door[0] ? " door " : "", f.ticket.door);
        fputc('\n', out);
        if (f.ticket.attendee != NULL)
            fprintf(out, "Attendee:    %s\n", f.ticket.attendee);
        rc = cli_print_order(a, c, &f.order, out, err);
    }
    api_ticket_found_clear(&f);
    return rc;
}

int cli_aftersale_find(const cli_args *a, api_client *c, const api_config *api, FILE *out, FILE *err)
{
    (void)api;
    if (a->code != NULL)
        return find_code(a, c, out, err);
    api_order_query q = { .email = a->email, .name = a->name, .concert_id = a->concert,
                          .limit = a->limit != NULL ? (int)strtol(a->limit, NULL, 10) : 0, .cursor = a->cursor };
    return find_orders(a, c, &q, false, out, err);
}

/* The command that re-sends this refund with its key (every value shell-quoted); false when it does not fit. */
static bool refund_command(char *out, size_t cap, const char *api_url, const cli_args *a, const char *key)
{
    size_t n;
    bool ok = cmdline_start(out, cap, &n, api_url, "refund") && cmdline_arg(out, cap, &n, a->id, true)
              && cmdline_option(out, cap, &n, "--reason", a->reason) && cmdline_option(out, cap, &n, "--tickets", a->tickets)
              && cmdline_option(out, cap, &n, "--method", a->method)
              && (a->shift == NULL || (cmdline_option(out, cap, &n, "--shift", a->shift)
                                       && cmdline_option(out, cap, &n, "--terminal", a->terminal)))
              && cmdline_option(out, cap, &n, "--idempotency-key", key);
    if (!ok && cap > 0)
        out[0] = '\0';
    return ok;
}

static int refund_unconfirmed(const cli_args *a, const char *key, FILE *out, FILE *err, const api_client *c,
                              const api_result *res)
{
    char cmd[REFUND_COMMAND_MAX], why[300];
    const char *msg = res->message[0] != '\0' ? res->message : api_status_message(res->status);
    if (res->http_status > 0)
        snprintf(why, sizeof why, "%s (HTTP %ld)", msg, res->http_status);
    else
        snprintf(why, sizeof why, "%s", msg);
    bool have_cmd = refund_command(cmd, sizeof cmd, api_client_base_url(c), a, key);
    fprintf(err, "boxoffice: refund NOT CONFIRMED: %s; it may have been made.\n", why);
    if (have_cmd)
        fprintf(err, "boxoffice: to learn the outcome, re-send the same request (it never refunds twice):\n  %s\n", cmd);
    if (a->json) {
        cJSON *j = cJSON_CreateObject();
        if (j == NULL || cJSON_AddStringToObject(j, "error", "Refund not confirmed: it may have been made") == NULL
            || cJSON_AddStringToObject(j, "reason", why) == NULL
            || cJSON_AddNumberToObject(j, "status", (double)res->http_status) == NULL
            || cJSON_AddNumberToObject(j, "exitCode", CLI_EXIT_UNCONFIRMED) == NULL
            || cJSON_AddTrueToObject(j, "unconfirmed") == NULL
            || cJSON_AddStringToObject(j, "idempotencyKey", key) == NULL
            || (have_cmd && cJSON_AddStringToObject(j, "retryCommand", cmd) == NULL)) {
            cJSON_Delete(j);
            j = NULL;
        }
        cli_print_json(out, err, j);
    }
    return CLI_EXIT_UNCONFIRMED;
}

/* A 409: nothing was refunded; each ticket asked for that is not valid, with its state. */
static int refund_refused(const cli_args *a, const api_refund_refusal *why, FILE *out, FILE *err,
                          const api_client *c, const api_result *res)
{
    if (!a->json) {
        cli_print_error(a, out, err, c, res);
        for (size_t i = 0; i < why->n; i++)
            fprintf(err, "  ticket %s: %s\n", why->tickets[i].id, why->tickets[i].status);
        return cli_exit_code(res->status);
    }
    fprintf(err, "boxoffice: %s (HTTP %ld)\n", res->message, res->http_status);
    cJSON *j = cJSON_CreateObject(), *arr = j != NULL ? cJSON_AddArrayToObject(j, "tickets") : NULL;
    bool ok = arr != NULL && cJSON_AddStringToObject(j, "error", res->message) != NULL
              && cJSON_AddNumberToObject(j, "status", (double)res->http_status) != NULL
              && cJSON_AddNumberToObject(j, "exitCode", cli_exit_code(res->status)) != NULL;
    for (size_t i = 0; ok && i < why->n; i++) {
        cJSON *t = cJSON_CreateObject();
        if (t == NULL || !cJSON_AddItemToArray(arr, t)) {
            cJSON_Delete(t);
            ok = false;
            break;
        }
        ok = cJSON_AddStringToObject(t, "id", why->tickets[i].id) != NULL
             && cJSON_AddStringToObject(t, "status", why->tickets[i].status) != NULL;
    }
    if (!ok) {
        cJSON_Delete(j);
        j = NULL;
    }
    cli_print_json(out, err, j);
    return cli_exit_code(res->status);
}

/* The server's word on what this request refunded, then the order as it is now. --json: the order with
 * "refund": {"ticketIds", "count", "amount", "currency", "method"}, or "refund": null when the answer did not say. */
static int refund_made(const cli_args *a, api_client *c, const bo_order *o, const api_refund_made *m, FILE *out,
                       FILE *err)
{
    if (!a->json) {
        char line[160];
        api_refund_made_text(m, o->currency, line, sizeof line);
        fprintf(out, "%s\n", line);
        for (size_t i = 0; i < m->n; i++)
            fprintf(out, "  ticket %s\n", m->ticket_ids[i]);
        return cli_print_order(a, c, o, out, err);
    }
    char money[BO_MONEY_BUF];
    cJSON *j = m->known ? cJSON_CreateObject() : cJSON_CreateNull();
    cJSON *ids = m->known && j != NULL ? cJSON_AddArrayToObject(j, "ticketIds") : NULL;
    bool ok = j != NULL && (!m->known || ids != NULL);
    for (size_t i = 0; ok && ids != NULL && i < m->n; i++) {
        cJSON *id = cJSON_CreateString(m->ticket_ids[i]);
        ok = id != NULL && cJSON_AddItemToArray(ids, id);
        if (!ok)
            cJSON_Delete(id);
    }
    if (ok && m->known) {
        snprintf(money, sizeof money, "%lld.%02lld", (long long)(m->amount_cents / 100),
                 (long long)(m->amount_cents % 100)); /* "20.00", as the API writes amounts */
        ok = cJSON_AddNumberToObject(j, "count", (double)m->n) != NULL
             && cJSON_AddStringToObject(j, "amount", money) != NULL
             && cJSON_AddStringToObject(j, "currency", o->currency) != NULL
             && cJSON_AddStringToObject(j, "method", bo_pay_method_name(m->method)) != NULL;
    }
    if (!ok) {
        cJSON_Delete(j);
        fputs("boxoffice: out of memory\n", err);
        return CLI_EXIT_API;
    }
    return cli_print_order_with(a, c, o, "refund", j, out, err);
}

int cli_aftersale_refund(const cli_args *a, api_client *c, const api_config *api, FILE *out, FILE *err)
{
    (void)api;
    const char *msg = bo_valid_text("reason", a->reason);
    char ids_buf[4096], key[API_IDEM_KEY_MAX + 1];
    const char *ids[BO_ORDER_TICKETS_MAX];
    size_t n = 0;
    if (msg != NULL) {
        fprintf(err, "boxoffice: %s\n", msg);
        return CLI_EXIT_USAGE;
    }
    if (a->tickets != NULL) {
        if (strlen(a->tickets) >= sizeof ids_buf) {
            fputs("boxoffice: --tickets: too many ids\n", err);
            return CLI_EXIT_USAGE;
        }
        snprintf(ids_buf, sizeof ids_buf, "%s", a->tickets);
        n = model_names_split(ids_buf, ids, BO_ORDER_TICKETS_MAX);
        if (n == 0) {
            fputs("boxoffice: --tickets takes ticket ids with ',' between them\n", err);
            return CLI_EXIT_USAGE;
        }
    }
    if (a->idem_key != NULL)
        snprintf(key, sizeof key, "%s", a->idem_key); /* checked by cli_parse_args */
    else
        api_idempotency_key_new(key);
    /* the open shift the refund is made in: --shift, or the caller's for a cash refund (the server needs it);
     * without --method the money goes back the order's own way, which may be cash: the shift goes too */
    char shift_id[BO_ID_MAX + 1] = "", terminal[CONFIG_TERMINAL_MAX] = "";
    bo_pay_method method = bo_pay_method_parse(a->method);
    int rc = cli_shift_for_sale(a, c, method == BO_PAY_CASH || method == BO_PAY_NONE, shift_id, sizeof shift_id,
                                terminal, sizeof terminal, err);
    if (rc != CLI_EXIT_OK)
        return rc;
    cli_args sent = *a; /* what was sent, for the re-send command */
    sent.shift = shift_id[0] != '\0' ? shift_id : NULL;
    sent.terminal = shift_id[0] != '\0' ? terminal : NULL;
    a = &sent;
    api_refund_input in = { .order_id = a->id, .ticket_ids = ids, .n_ticket_ids = n, .reason = a->reason,
                            .method = method, .shift_id = a->shift, .terminal = a->terminal };
    bo_order o;
    api_result res;
    api_refund_refusal *why = calloc(1, sizeof *why);
    if (why == NULL) {
        fputs("boxoffice: out of memory\n", err);
        return CLI_EXIT_API;
    }
    api_refund_made made;
    if (api_refund_order(c, &in, key, &o, &made, why, &res) == API_OK) {
        rc = refund_made(a, c, &o, &made, out, err);
        bo_order_clear(&o);
    } else if (res.unconfirmed) {
        rc = refund_unconfirmed(a, key, out, err, c, &res);
    } else if (res.http_status == 409) {
        rc = refund_refused(a, why, out, err, c, &res);
    } else {
        cli_print_error(a, out, err, c, &res);
        rc = cli_exit_code(res.status);
    }
    free(why);
    return rc;
}
