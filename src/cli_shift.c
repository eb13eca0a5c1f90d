/* The CLI's shift commands: open, the X report, drop, paid-out, the blind close, show, the day sheet and verify
 * (the Z hash recomputed from the journal). Everything said about money is the server's answer to the very
 * request (the close's expected amount and difference are printed only from its answer). Output helpers and
 * exit codes are cli_out.h's; run from the command table (cli_table.h). */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api_shift.h"
#include "bo_money.h"
#include "bo_text.h"
#include "client_config.h"
#include "cli.h"
#include "cli_cmds.h"
#include "cli_out.h"
#include "cli_table.h"
#include "cmdline.h"
#include "shift_verify.h"

#define DEFAULT_CURRENCY "EUR"

/* ---- input ---- */

/* One line typed on the terminal (stdin), without its newline; false at the end of input. */
static bool ask_line(FILE *err, const char *prompt, char *out, size_t cap)
{
    fputs(prompt, err);
    fflush(err);
    if (fgets(out, (int)cap, stdin) == NULL)
        return false;
    out[strcspn(out, "\r\n")] = '\0';
    return true;
}

/* ---- output ---- */

static void money_cell(FILE *out, int64_t cents, bool known)
{
    char m[BO_MONEY_BUF];
    if (known)
        api_shift_money(cents, m);
    else
        snprintf(m, sizeof m, "-");
    cli_put_cell(out, m, 14, true);
}

/* The report, one column per currency. */
static void print_report(FILE *out, const api_shift *s)
{
    const api_shift_report *r = &s->report;
    fprintf(out, "Shift %s  operator %s  terminal %s\n", s->id, s->operator_name[0] ? s->operator_name : "?",
            s->terminal[0] ? s->terminal : "?");
    fprintf(out, "Opened %s%s%s\n", s->opened_at[0] ? s->opened_at : "?", s->open ? "" : "  closed ",
            s->open ? "" : (s->closed_at[0] ? s->closed_at : "?"));
    if (!r->known) {
        fputs("Report: not in the server's answer\n", out);
        return;
    }
    if (r->kind == 'Z')
        fprintf(out, "Z report #%lld (final)\n", (long long)r->z);
    else
        fputs("X report (the figures so far; the shift is open)\n", out);
    cli_put_cell(out, "", 16, false);
    for (size_t i = 0; i < r->n; i++)
        cli_put_cell(out, r->rows[i].currency, 14, true);
    fputc('\n', out);
#define MONEY_LINE(label, field, known)                                          \
    do {                                                                          \
        cli_put_cell(out, label, 16, false);                                      \
        for (size_t i = 0; i < r->n; i++)                                         \
            money_cell(out, r->rows[i].field, known);                             \
        fputc('\n', out);                                                         \
    } while (0)
#define COUNT_LINE(label, field)                                                  \
    do {                                                                          \
        cli_put_cell(out, label, 16, false);                                      \
        for (size_t i = 0; i < r->n; i++) {                                       \
            char c[32];                                                           \
            snprintf(c, sizeof c, "%lld", (long long)r->rows[i].field);           \
            cli_put_cell(out, c, 14, true);                                       \
        }                                                                         \
        fputc('\n', out);                                                         \
    } while (0)
    MONEY_LINE("Float", float_cents, true);
    MONEY_LINE("Cash sales", sales_cash, true);
    MONEY_LINE("Card sales", sales_card, true);
    MONEY_LINE("Other sales", sales_other, true);
    COUNT_LINE("Orders", orders);
    COUNT_LINE("Comps", comps);
    COUNT_LINE("Comp tickets", comp_tickets);
    MONEY_LINE("Refunds cash", refunds_cash, true);
    MONEY_LINE("Refunds card", refunds_card, true);
    MONEY_LINE("Refunds other", refunds_other, true);
    COUNT_LINE("Refunds", refund_count);
    MONEY_LINE("Drops", drops, true);
    MONEY_LINE("Paid-outs", paid_outs, true);
    MONEY_LINE("Expected cash", expected, true);
    if (r->kind == 'Z') {
        MONEY_LINE("Counted", counted, r->rows[i].counted_known);
        MONEY_LINE("Difference", difference, r->rows[i].difference_known);
    }
#undef MONEY_LINE
#undef COUNT_LINE
    if (r->note[0] != '\0')
        fprintf(out, "Note: %s\n", r->note);
    if (r->entries >= 0)
        fprintf(out, "Journal entries: %lld\n", (long long)r->entries);
    if (r->hash[0] != '\0')
        fprintf(out, "Hash: %s\n", r->hash);
}

static int print_shift(const cli_args *a, const api_shift *s, FILE *out, FILE *err)
{
    if (a->json)
        return cli_print_json(out, err, cJSON_Duplicate(s->json, true));
    print_report(out, s);
    return CLI_EXIT_OK;
}

/* ---- the caller's open shift ---- */

/* GET /shifts/current, and the shift with its report when the answer had none. */
static api_status current_shift(api_client *c, api_shift *s, api_result *res)
{
    api_status st = api_shift_current(c, s, res);
    if (st != API_OK || s->report.known)
        return st;
    char id[BO_ID_MAX + 1];
    snprintf(id, sizeof id, "%s", s->id);
    api_shift_clear(s);
    return api_shift_get(c, id, s, res);
}

/* The currency of an amount given without one: --currency, else the shift's only one, else none ("" and the
 * reason in err). */
static bool fill_currency(const cli_args *a, const api_shift *s, char cur[4], FILE *err)
{
    if (a->currency != NULL) {
        snprintf(cur, 4, "%s", a->currency);
        return true;
    }
    if (s->report.n == 1) {
        memcpy(cur, s->report.rows[0].currency, 4);
        return true;
    }
    fprintf(err, "boxoffice: the shift %s; give --currency\n",
            s->report.n == 0 ? "does not say its currency" : "holds several currencies");
    return false;
}

int cli_shift_for_sale(const cli_args *a, api_client *c, bool cash, char shift_id[], size_t id_cap, char terminal[],
                       size_t term_cap, FILE *err)
{
    shift_id[0] = terminal[0] = '\0';
    if (a->terminal != NULL && a->shift == NULL) {
        fputs("boxoffice: --terminal goes with --shift\n", err);
        return CLI_EXIT_USAGE;
    }
    if (a->shift != NULL) {
        snprintf(shift_id, id_cap, "%s", a->shift);
        if (a->terminal != NULL)
            snprintf(terminal, term_cap, "%s", a->terminal);
        else
            config_terminal(terminal, term_cap);
        return CLI_EXIT_OK;
    }
    if (!cash)
        return CLI_EXIT_OK;
    api_shift s;
    api_result res;
    if (api_shift_current(c, &s, &res) == API_OK) { /* none, or no answer: the server decides (a cash sale needs one) */
        snprintf(shift_id, id_cap, "%s", s.id);
        snprintf(terminal, term_cap, "%s", model_json_text(s.json, "terminal", s.terminal));
        api_shift_clear(&s);
    }
    return CLI_EXIT_OK;
}

/* ---- commands ---- */

int cli_shift_x(const cli_args *a, api_client *c, const api_config *api, FILE *out, FILE *err)
{
    (void)api;
    api_shift s;
    api_result res;
    if (current_shift(c, &s, &res) != API_OK)
        return cli_report(a, out, err, c, &res);
    int rc = print_shift(a, &s, out, err);
    api_shift_clear(&s);
    return rc;
}

int cli_shift_show(const cli_args *a, api_client *c, const api_config *api, FILE *out, FILE *err)
{
    (void)api;
    api_shift s;
    api_result res;
    if (api_shift_get(c, a->id, &s, &res) != API_OK)
        return cli_report(a, out, err, c, &res);
    int rc = print_shift(a, &s, out, err);
    api_shift_clear(&s);
    return rc;
}

/* A request whose outcome is unknown: the command that re-sends it with its key (exit 7). */
static int report_unconfirmed(const cli_args *a, const char *what, const char *cmd, const char *key, FILE *out,
                              FILE *err, const api_result *res)
{
    const char *msg = res->message[0] != '\0' ? res->message : api_status_message(res->status);
    fprintf(err, "boxoffice: %s NOT CONFIRMED: %s; it may have been done.\n", what, msg);
    if (cmd != NULL && cmd[0] != '\0')
        fprintf(err, "boxoffice: to learn the outcome, re-send the same request (it is done once):\n  %s\n", cmd);
    else
        fprintf(err, "boxoffice: 'boxoffice shift' shows the shift as the server has it\n");
    if (a->json) {
        cJSON *j = cJSON_CreateObject();
        if (j == NULL || cJSON_AddStringToObject(j, "error", msg) == NULL
            || cJSON_AddNumberToObject(j, "status", (double)res->http_status) == NULL
            || cJSON_AddNumberToObject(j, "exitCode", CLI_EXIT_UNCONFIRMED) == NULL
            || cJSON_AddTrueToObject(j, "unconfirmed") == NULL
            || (key != NULL && cJSON_AddStringToObject(j, "idempotencyKey", key) == NULL)
            || (cmd != NULL && cmd[0] != '\0' && cJSON_AddStringToObject(j, "retryCommand", cmd) == NULL)) {
            cJSON_Delete(j);
            j = NULL;
        }
        cli_print_json(out, err, j);
    }
    return CLI_EXIT_UNCONFIRMED;
}

/* "EUR=100.00,USD=20.00" */
static void amounts_text(const api_shift_amount *v, size_t n, char *out, size_t cap)
{
    size_t k = 0;
    out[0] = '\0';
    for (size_t i = 0; i < n && k < cap; i++) {
        char m[BO_MONEY_BUF];
        api_shift_money(v[i].cents, m);
        int w = snprintf(out + k, cap - k, "%s%s=%s", i > 0 ? "," : "", v[i].currency, m);
        if (w < 0)
            break;
        k += (size_t)w;
    }
}

int cli_shift_open(const cli_args *a, api_client *c, const api_config *api, FILE *out, FILE *err)
{
    (void)api;
    api_shift_amount fl[API_SHIFT_CURRENCIES_MAX];
    size_t n;
    char terminal[CONFIG_TERMINAL_MAX], key[API_IDEM_KEY_MAX + 1];
    api_shift_amounts_parse(a->float_amount, a->currency, fl, &n); /* checked by cli_parse_args */
    if (n == 1 && fl[0].currency[0] == '\0')
        snprintf(fl[0].currency, sizeof fl[0].currency, "%s", DEFAULT_CURRENCY);
    if (a->terminal != NULL)
        snprintf(terminal, sizeof terminal, "%s", a->terminal);
    else
        config_terminal(terminal, sizeof terminal);
    const char *bad = api_shift_terminal_check(terminal);
    if (bad != NULL) {
        fprintf(err, "boxoffice: %s\n", bad);
        return CLI_EXIT_USAGE;
    }
    if (a->idem_key != NULL)
        snprintf(key, sizeof key, "%s", a->idem_key);
    else
        api_idempotency_key_new(key);
    api_shift s;
    api_result res;
    bool already = false;
    if (api_shift_open(c, terminal, fl, n, key, &s, &already, &res) != API_OK) {
        if (res.unconfirmed) {
            char cmd[CMDLINE_MAX], floats[256];
            size_t k;
            amounts_text(fl, n, floats, sizeof floats);
            if (!(cmdline_start(cmd, sizeof cmd, &k, api_client_base_url(c), "shift open")
                  && cmdline_option(cmd, sizeof cmd, &k, "--float", floats)
                  && cmdline_option(cmd, sizeof cmd, &k, "--terminal", terminal)
                  && cmdline_option(cmd, sizeof cmd, &k, "--idempotency-key", key)))
                cmd[0] = '\0';
            return report_unconfirmed(a, "shift open", cmd, key, out, err, &res);
        }
        int rc = cli_report(a, out, err, c, &res);
        if (already && !a->json)
            fprintf(err, "boxoffice: your open shift: %s at terminal %s (opened %s)\n", s.id, s.terminal, s.opened_at);
        api_shift_clear(&s);
        return rc;
    }
    int rc = CLI_EXIT_OK;
    if (a->json) {
        rc = print_shift(a, &s, out, err);
    } else {
        fprintf(out, "Shift opened: %s at terminal %s\n", s.id, s.terminal);
        for (size_t i = 0; i < s.report.n; i++) {
            char m[BO_MONEY_BUF];
            api_shift_money(s.report.rows[i].float_cents, m);
            fprintf(out, "Float %s %s\n", m, s.report.rows[i].currency);
        }
        if (!s.report.known)
            fputs("Float: the server's answer does not say ('boxoffice shift' shows it)\n", out);
    }
    api_shift_clear(&s);
    return rc;
}

static int move_cash(const cli_args *a, api_client *c, api_shift_move kind, FILE *out, FILE *err)
{
    const char *what = kind == API_SHIFT_DROP ? "drop" : "paid-out";
    api_shift s, after;
    api_result res;
    int64_t cents = 0;
    char cur[4];
    api_shift_amount_check(a->id, &cents); /* checked by cli_parse_args */
    if (current_shift(c, &s, &res) != API_OK)
        return cli_report(a, out, err, c, &res);
    if (!fill_currency(a, &s, cur, err)) {
        api_shift_clear(&s);
        return CLI_EXIT_USAGE;
    }
    api_status st = api_shift_move_cash(c, s.id, kind, cents, cur, a->note, &after, &res);
    api_shift_clear(&s);
    if (st != API_OK) {
        if (res.unconfirmed)
            return report_unconfirmed(a, what, NULL, NULL, out, err, &res);
        return cli_report(a, out, err, c, &res);
    }
    int rc = CLI_EXIT_OK;
    if (a->json) {
        rc = print_shift(a, &after, out, err);
    } else {
        char m[BO_MONEY_BUF], total[BO_MONEY_BUF];
        const api_shift_row *row = api_shift_row_for(&after, cur);
        api_shift_money(cents, m);
        fprintf(out, "%s %s %s%s\n", kind == API_SHIFT_DROP ? "Dropped" : "Paid out", m, cur,
                kind == API_SHIFT_DROP ? " to the safe" : "");
        if (row != NULL) {
            api_shift_money(kind == API_SHIFT_DROP ? row->drops : row->paid_outs, total);
            fprintf(out, "%s this shift: %s %s\n", kind == API_SHIFT_DROP ? "Drops" : "Paid-outs", total, cur);
        }
    }
    api_shift_clear(&after);
    return rc;
}

int cli_shift_drop(const cli_args *a, api_client *c, const api_config *api, FILE *out, FILE *err)
{
    (void)api;
    return move_cash(a, c, API_SHIFT_DROP, out, err);
}

int cli_shift_paidout(const cli_args *a, api_client *c, const api_config *api, FILE *out, FILE *err)
{
    (void)api;
    return move_cash(a, c, API_SHIFT_PAIDOUT, out, err);
}

/* The counted cash of every currency of the shift, typed on the terminal (the expected amount is not shown). */
static bool ask_counted(const api_shift *s, api_shift_amount *v, size_t *n, FILE *err)
{
    *n = 0;
    for (size_t i = 0; i < s->report.n; i++) {
        char line[128], prompt[96];
        const char *why = "";
        snprintf(prompt, sizeof prompt, "Counted cash %s: ", s->report.rows[i].currency);
        for (int tries = 0; why != NULL; tries++) {
            if (tries == 3 || !ask_line(err, prompt, line, sizeof line))
                return false;
            why = api_shift_amount_check(line, &v[*n].cents);
            if (why != NULL)
                fprintf(err, "boxoffice: %s\n", why);
        }
        memcpy(v[*n].currency, s->report.rows[i].currency, 4);
        (*n)++;
    }
    return *n > 0;
}

static void close_command(char *cmd, size_t cap, const api_client *c, const api_shift_amount *v, size_t n,
                          const char *note, const char *key)
{
    char counted[256];
    size_t k;
    amounts_text(v, n, counted, sizeof counted);
    if (!(cmdline_start(cmd, cap, &k, api_client_base_url(c), "shift close")
          && cmdline_option(cmd, cap, &k, "--counted", counted)
          && (note == NULL || note[0] == '\0' || cmdline_option(cmd, cap, &k, "--note", note))
          && cmdline_option(cmd, cap, &k, "--idempotency-key", key)))
        cmd[0] = '\0';
}

int cli_shift_close(const cli_args *a, api_client *c, const api_config *api, FILE *out, FILE *err)
{
    (void)api;
    api_shift s, z;
    api_result res;
    api_shift_amount v[API_SHIFT_CURRENCIES_MAX];
    size_t n = 0;
    char key[API_IDEM_KEY_MAX + 1], note[API_SHIFT_NOTE_MAX * 4 + 1] = "", id[BO_ID_MAX + 1];
    bool tty = isatty(STDIN_FILENO) != 0;
    if (a->counted == NULL && !tty) {
        fputs("boxoffice: shift close: --counted is required (no terminal to ask the count on)\n", err);
        return CLI_EXIT_USAGE;
    }
    if (current_shift(c, &s, &res) != API_OK)
        return cli_report(a, out, err, c, &res);
    snprintf(id, sizeof id, "%s", s.id);
    if (a->counted != NULL) {
        api_shift_amounts_parse(a->counted, a->currency, v, &n); /* checked by cli_parse_args */
        if (n == 1 && v[0].currency[0] == '\0' && !fill_currency(a, &s, v[0].currency, err)) {
            api_shift_clear(&s);
            return CLI_EXIT_USAGE;
        }
    } else if (!ask_counted(&s, v, &n, err)) {
        api_shift_clear(&s);
        fputs("boxoffice: shift close: no count given; nothing was sent\n", err);
        return CLI_EXIT_USAGE;
    }
    api_shift_clear(&s);
    if (a->note != NULL)
        snprintf(note, sizeof note, "%s", a->note);
    if (a->idem_key != NULL)
        snprintf(key, sizeof key, "%s", a->idem_key);
    else
        api_idempotency_key_new(key);
    api_status st = api_shift_close(c, id, v, n, note, key, &z, &res);
    if (st != API_OK && !res.unconfirmed && res.http_status == 400 && note[0] == '\0' && a->note == NULL && tty) {
        /* the server says a note is needed (the counted cash differs); it does not say by how much */
        fprintf(err, "boxoffice: %s\n", res.message);
        const char *why = "";
        while (why != NULL) {
            if (!ask_line(err, "Note (why the count differs): ", note, sizeof note) || note[0] == '\0') {
                fputs("boxoffice: shift close: no note given; the shift stays open\n", err);
                return CLI_EXIT_API;
            }
            if ((why = api_shift_note_check(note)) != NULL)
                fprintf(err, "boxoffice: %s\n", why);
        }
        api_idempotency_key_new(key); /* the first request was refused: this is another one */
        st = api_shift_close(c, id, v, n, note, key, &z, &res);
    }
    if (st != API_OK) {
        if (res.unconfirmed) {
            char cmd[CMDLINE_MAX];
            close_command(cmd, sizeof cmd, c, v, n, note, key);
            return report_unconfirmed(a, "shift close", cmd, key, out, err, &res);
        }
        return cli_report(a, out, err, c, &res);
    }
    int rc = print_shift(a, &z, out, err);
    api_shift_clear(&z);
    return rc;
}

/* The day sheet: one row per shift and currency. */
static void print_day(FILE *out, const api_shift_day *d)
{
    fprintf(out, "Day %s: %zu shift%s\n", d->day, d->n, d->n == 1 ? "" : "s");
    cli_put_cell(out, "Z", 5, true); fputs("  ", out);
    cli_put_cell(out, "OPERATOR", 16, false); fputs("  ", out);
    cli_put_cell(out, "TERMINAL", 16, false); fputs("  ", out);
    cli_put_cell(out, "CUR", 3, false);
    cli_put_cell(out, "FLOAT", 14, true);
    cli_put_cell(out, "EXPECTED", 14, true);
    cli_put_cell(out, "COUNTED", 14, true);
    cli_put_cell(out, "DIFFERENCE", 14, true);
    fputs("  SHIFT\n", out);
    for (size_t i = 0; i < d->n; i++) {
        const api_shift *s = &d->shifts[i];
        char z[24];
        if (s->report.kind == 'Z')
            snprintf(z, sizeof z, "%lld", (long long)s->report.z);
        else
            snprintf(z, sizeof z, "open");
        size_t rows = s->report.n > 0 ? s->report.n : 1;
        for (size_t k = 0; k < rows; k++) {
            const api_shift_row *r = s->report.n > 0 ? &s->report.rows[k] : NULL;
            cli_put_cell(out, k == 0 ? z : "", 5, true); fputs("  ", out);
            cli_put_cell(out, k == 0 ? s->operator_name : "", 16, false); fputs("  ", out);
            cli_put_cell(out, k == 0 ? s->terminal : "", 16, false); fputs("  ", out);
            cli_put_cell(out, r != NULL ? r->currency : "-", 3, false);
            money_cell(out, r != NULL ? r->float_cents : 0, r != NULL);
            money_cell(out, r != NULL ? r->expected : 0, r != NULL);
            money_cell(out, r != NULL ? r->counted : 0, r != NULL && r->counted_known);
            money_cell(out, r != NULL ? r->difference : 0, r != NULL && r->difference_known);
            fprintf(out, "  %s\n", k == 0 ? s->id : "");
        }
        if (s->report.note[0] != '\0')
            fprintf(out, "       note: %s\n", s->report.note);
    }
}

int cli_shift_day(const cli_args *a, api_client *c, const api_config *api, FILE *out, FILE *err)
{
    (void)api;
    api_result res;
    if (a->csv) {
        char *csv = NULL;
        if (api_shift_day_sheet_csv(c, a->id, &csv, &res) != API_OK)
            return cli_report(a, out, err, c, &res);
        /* line by line through the terminal cleaner: an operator's name or a note cannot act on the terminal */
        char *save = NULL;
        for (char *line = strtok_r(csv, "\n", &save); line != NULL; line = strtok_r(NULL, "\n", &save)) {
            char clean[4096];
            line[strcspn(line, "\r")] = '\0';
            bo_text_sanitize(clean, sizeof clean, line);
            fprintf(out, "%s\n", clean);
        }
        free(csv);
        return CLI_EXIT_OK;
    }
    api_shift_day d;
    if (api_shift_day_sheet(c, a->id, &d, &res) != API_OK)
        return cli_report(a, out, err, c, &res);
    int rc = CLI_EXIT_OK;
    if (a->json)
        rc = cli_print_json(out, err, cJSON_Duplicate(d.json, true));
    else
        print_day(out, &d);
    api_shift_day_clear(&d);
    return rc;
}

/* Every page of the shift's journal into one array (owned by the caller). */
static api_status journal_all(api_client *c, const char *id, cJSON **all, api_result *res)
{
    char cursor[API_JOURNAL_CURSOR_MAX + 1] = "", next[API_JOURNAL_CURSOR_MAX + 1];
    *all = cJSON_CreateArray();
    if (*all == NULL) {
        memset(res, 0, sizeof *res);
        res->status = API_ERR_NOMEM;
        snprintf(res->message, sizeof res->message, "%s", api_status_message(API_ERR_NOMEM));
        return API_ERR_NOMEM;
    }
    for (int page = 0; page < 10000; page++) {
        cJSON *p = NULL;
        api_status st = api_shift_journal_page(c, id, cursor, &p, next, res);
        if (st != API_OK) {
            cJSON_Delete(*all);
            *all = NULL;
            return st;
        }
        cJSON *entries = cJSON_DetachItemFromObjectCaseSensitive(p, "entries"), *e;
        while ((e = cJSON_DetachItemFromArray(entries, 0)) != NULL)
            cJSON_AddItemToArray(*all, e);
        cJSON_Delete(entries);
        cJSON_Delete(p);
        if (next[0] == '\0' || strcmp(next, cursor) == 0)
            return API_OK;
        memcpy(cursor, next, sizeof cursor);
    }
    return API_OK;
}

int cli_shift_verify(const cli_args *a, api_client *c, const api_config *api, FILE *out, FILE *err)
{
    (void)api;
    api_shift s;
    api_result res;
    cJSON *entries = NULL;
    shift_verify_out v;
    if (api_shift_get(c, a->id, &s, &res) != API_OK)
        return cli_report(a, out, err, c, &res);
    if (s.open || s.report.kind != 'Z' || s.report.hash[0] == '\0') {
        fprintf(err, "boxoffice: shift %s %s: no Z report hash to verify\n", s.id, s.open ? "is open" : "has no hash");
        api_shift_clear(&s);
        return CLI_EXIT_API;
    }
    if (journal_all(c, s.id, &entries, &res) != API_OK) {
        api_shift_clear(&s);
        return cli_report(a, out, err, c, &res);
    }
    int rc = shift_verify_chain(entries, s.id, s.report.hash, (long)s.report.entries, &v) != 0 ? -1 : 0;
    cJSON_Delete(entries);
    if (rc != 0) {
        api_shift_clear(&s);
        fputs("boxoffice: out of memory\n", err);
        return CLI_EXIT_API;
    }
    if (a->json) {
        cJSON *j = cJSON_CreateObject();
        if (j == NULL || cJSON_AddStringToObject(j, "shiftId", s.id) == NULL
            || cJSON_AddNumberToObject(j, "z", (double)s.report.z) == NULL
            || cJSON_AddBoolToObject(j, "verified", v.ok) == NULL
            || cJSON_AddNumberToObject(j, "entries", (double)v.entries) == NULL
            || cJSON_AddStringToObject(j, "hash", s.report.hash) == NULL
            || (v.hash[0] != '\0' && cJSON_AddStringToObject(j, "computed", v.hash) == NULL)
            || (!v.ok && cJSON_AddStringToObject(j, "reason", v.why) == NULL)
            || (v.bad_seq > 0 && cJSON_AddNumberToObject(j, "firstDifferentSeq", (double)v.bad_seq) == NULL)
            || (v.bad_id[0] != '\0' && cJSON_AddStringToObject(j, "firstDifferentId", v.bad_id) == NULL)) {
            cJSON_Delete(j);
            j = NULL;
        }
        cli_print_json(out, err, j);
    } else if (v.ok) {
        fprintf(out, "verified: %zu entries, Z #%lld, hash %s\n", v.entries, (long long)s.report.z, v.hash);
    } else {
        fprintf(out, "NOT verified: %s", v.why);
        if (v.bad_seq > 0)
            fprintf(out, "; first entry that differs: seq %ld%s%s", v.bad_seq, v.bad_id[0] ? " id " : "", v.bad_id);
        fputc('\n', out);
    }
    api_shift_clear(&s);
    return v.ok ? CLI_EXIT_OK : CLI_EXIT_USAGE; /* exit 1: the journal does not give the Z report's hash */
}
