/* The CLI's output helpers (see cli_out.h): exit codes, shell-quoted arguments, table cells, terminal-safe
 * JSON, errors, and the concert and order in the API's shape. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "bo_money.h"
#include "bo_text.h"
#include "cli_out.h"
#include "client_time.h"

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

/* ---- display width of sanitised UTF-8 ---- */

/* Prints s padded (or cut with "...") to exactly width columns. */
void cli_put_cell(FILE *out, const char *s, int width, bool right)
{
    const char *p = s != NULL ? s : "";
    size_t left = strlen(p);
    int total = (int)bo_text_width(p);
    if (total <= width) {
        if (right)
            fprintf(out, "%*s", width - total, "");
        fputs(p, out);
        if (!right)
            fprintf(out, "%*s", width - total, "");
        return;
    }
    int used = 0;
    uint32_t cp;
    for (size_t n; (n = bo_utf8_step(p, left, &cp)) > 0; p += n, left -= n) {
        int w = bo_cp_width(cp);
        if (used + w > width - 3)
            break;
        fwrite(p, 1, n, out);
        used += w;
    }
    fputs("...", out);
    fprintf(out, "%*s", width - 3 - used, "");
}

int cli_text_width(const char *s, int cap)
{
    size_t w = bo_text_width(s != NULL ? s : "");
    return w > (size_t)cap ? cap : (int)w;
}

/* Writes config_hint(kind) to err, a line each, and leaves it in hint. */
void cli_print_hint(FILE *err, config_hint_kind kind, char *hint, size_t cap)
{
    config_hint(kind, hint, cap);
    for (const char *line = hint; *line != '\0';) {
        const char *end = strchr(line, '\n');
        int n = end != NULL ? (int)(end - line) : (int)strlen(line);
        fprintf(err, "boxoffice: %.*s\n", n, line);
        line += n + (end != NULL);
    }
}

void cli_print_error(const cli_args *a, FILE *out, FILE *err, const api_client *c, const api_result *res)
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
    if (res->status == API_ERR_UNREACHABLE || (res->status == API_ERR_FORBIDDEN && res->http_status != 403))
        cli_print_hint(err, res->status == API_ERR_UNREACHABLE ? CONFIG_HINT_URL : CONFIG_HINT_KEY, hint, sizeof hint);
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

int cli_report(const cli_args *a, FILE *out, FILE *err, const api_client *c, const api_result *res)
{
    cli_print_error(a, out, err, c, res);
    return cli_exit_code(res->status);
}

/* The concert as JSON, in the API's own shape (price an exact number, texts exactly as the API gave them:
 * print_json escapes what a terminal would act on). A damaged record carries
 * "problems" (what is wrong), its exact id, and null for a value the client could not read. NULL on OOM. */
cJSON *cli_concert_json(const bo_concert *c)
{
    char price[BO_MONEY_BUF];
    bo_money_format(c->price_cents, price);
    const char *id = c->bad != NULL && c->bad->raw_id != NULL ? c->bad->raw_id : c->id;
    cJSON *j = cJSON_CreateObject();
    if (j == NULL || cJSON_AddStringToObject(j, "id", id) == NULL
        || cJSON_AddStringToObject(j, "name", model_json_text(c->json, "name", c->name != NULL ? c->name : "")) == NULL
        || cJSON_AddStringToObject(j, "date", model_json_text(c->json, "date", c->date != NULL ? c->date : "")) == NULL
        || cJSON_AddStringToObject(j, "venue", model_json_text(c->json, "venue", c->venue != NULL ? c->venue : "")) == NULL
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
    size_t left = strlen(text);
    uint32_t cp;
    for (size_t n; (n = bo_utf8_step(text, left, &cp)) > 0; text += n, left -= n) {
        if (cp == 0xFFFD && n == 1)
            fputs("\\ufffd", out);
        else if (terminal_unsafe(cp))
            fprintf(out, "\\u%04x", (unsigned)cp);
        else
            fwrite(text, 1, n, out);
    }
}

int cli_print_json(FILE *out, FILE *err, cJSON *j)
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
cJSON *cli_order_json(const bo_order *o, const bo_concert *con)
{
    cJSON *j = cJSON_CreateObject(), *pay, *arr;
    if (j == NULL || cJSON_AddStringToObject(j, "id", o->id) == NULL
        || !add_opt_string(j, "concertId", model_json_text(o->json, "concertId", o->concert_id))
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
    if (!add_opt_string(j, "createdAt", model_json_text(o->json, "createdAt", o->created_at))
        || !add_opt_string(j, "soldBy", model_json_text(o->json, "soldBy", o->sold_by))
        || !add_opt_string(j, "customerName", model_json_text(o->json, "customerName", o->customer_name))
        || !add_opt_string(j, "customerEmail", model_json_text(o->json, "customerEmail", o->customer_email))
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
            || !add_opt_string(tj, "attendee", model_json_text(t->json, "attendee", t->attendee))
            || !add_opt_string(tj, "status", model_json_text(t->json, "status", t->status))
            || !add_opt_string(tj, "checkedInAt", model_json_text(t->json, "checkedInAt", t->checked_in_at))
            || !add_opt_string(tj, "door", model_json_text(t->json, "door", t->door))
            || !add_opt_string(tj, "refundedAt", model_json_text(t->json, "refundedAt", t->refunded_at)))
            goto fail;
    }
    if (o->admitted >= 0 && cJSON_AddNumberToObject(j, "admitted", (double)o->admitted) == NULL)
        goto fail;
    const cJSON *refunds = o->json != NULL ? cJSON_GetObjectItemCaseSensitive(o->json, "refunds") : NULL;
    if (cJSON_IsArray(refunds) && !cJSON_AddItemToObject(j, "refunds", cJSON_Duplicate(refunds, true)))
        goto fail; /* as the API gave them: amounts, reasons, who and when */
    if (con != NULL && !cJSON_AddItemToObject(j, "concert", cli_concert_json(con)))
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
        model_money_with_currency(o->unit_price_cents, cur, m1, sizeof m1);
        fprintf(out, "Tickets:     %lld x %s\n", (long long)o->quantity, m1);
    } else {
        fprintf(out, "Tickets:     %lld\n", (long long)o->quantity);
    }
    model_money_with_currency(o->total_cents, cur, m1, sizeof m1);
    fprintf(out, "Total:       %s\n", m1);
    if (o->method != BO_PAY_NONE) {
        fprintf(out, "Payment:     %s", bo_pay_method_name(o->method));
        if (o->tendered_cents >= 0) {
            model_money_with_currency(o->tendered_cents, cur, m2, sizeof m2);
            fprintf(out, ", tendered %s", m2);
        }
        fputc('\n', out);
    }
    if (o->change_cents >= 0) {
        model_money_with_currency(o->change_cents, cur, m2, sizeof m2);
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
        model_money_with_currency(o->refunded_cents, cur, m2, sizeof m2);
        fprintf(out, "Refunded:    %s (%zu refund%s)\n", m2, o->n_refunds, o->n_refunds == 1 ? "" : "s");
    }
    for (size_t i = 0; i < o->n_tickets; i++) {
        const bo_order_ticket *t = &o->tickets[i];
        char state[160] = "";
        model_code_grouped(t->code, code, sizeof code);
        if (t->checked_in_at[0] != '\0' && client_time_strftime(t->checked_in_at, con != NULL ? con->timezone : NULL,
                                                               "%H:%M:%S %Z", when, sizeof when) == 0)
            snprintf(state, sizeof state, " at %s%s%s", when, t->door[0] != '\0' ? " door " : "", t->door);
        fprintf(out, "Ticket %zu:%*s%s  %s%s%s%s\n", i + 1, i + 1 < 10 ? 3 : 2, "", code,
                t->status[0] != '\0' ? t->status : "", state, t->attendee != NULL ? "  " : "",
                t->attendee != NULL ? t->attendee : "");
    }
}

/* Prints an order (text or --json) with its concert's time zone and name when the concert can be read;
 * without them when it cannot (best effort: the order is what matters). extra (owned; may be NULL) goes
 * into the JSON as "name". */
int cli_print_order_with(const cli_args *a, api_client *c, const bo_order *o, const char *name, cJSON *extra, FILE *out,
                       FILE *err)
{
    bo_concert con;
    api_result res;
    bool have = o->concert_id[0] != '\0' && api_get_concert(c, o->concert_id, &con, &res) == API_OK;
    int rc = CLI_EXIT_OK;
    if (a->json) {
        cJSON *j = cli_order_json(o, have ? &con : NULL);
        if (j != NULL && extra != NULL && !cJSON_AddItemToObject(j, name, extra)) {
            cJSON_Delete(j);
            j = NULL;
        } else if (j != NULL) {
            extra = NULL;
        }
        cJSON_Delete(extra);
        rc = cli_print_json(out, err, j);
    } else {
        cJSON_Delete(extra);
        print_order_text(out, o, have ? &con : NULL);
    }
    if (have)
        bo_concert_clear(&con);
    return rc;
}

int cli_print_order(const cli_args *a, api_client *c, const bo_order *o, FILE *out, FILE *err)
{
    return cli_print_order_with(a, c, o, NULL, NULL, out, err);
}
