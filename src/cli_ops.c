/* The CLI's operators and journal commands (managers): operators list|add|disable|enable|role and journal.
 * Each prints what the server answered (text, or --json: the server's objects); a table through cli_out.h's
 * cells. Run from the command table (cli_table.h). */
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api_journal.h"
#include "api_operators.h"
#include "bo_money.h"
#include "cli.h"
#include "cli_cmds.h"
#include "cli_out.h"
#include "cli_table.h"

#define JOURNAL_PAGES_MAX 10000   /* --json: a server that never ends its cursor chain is cut off here */

static cJSON *dup_or_null(const cJSON *j)
{
    return j != NULL ? cJSON_Duplicate(j, true) : NULL;
}

/* "ACTIVE" / "DISABLED", and the Cognito status when it is not the usual one */
static void state_text(const bo_operator *o, char *out, size_t cap)
{
    snprintf(out, cap, "%s%s%s", o->enabled ? "enabled" : "DISABLED",
             o->status[0] != '\0' && strcmp(o->status, "CONFIRMED") != 0 ? ", " : "",
             o->status[0] != '\0' && strcmp(o->status, "CONFIRMED") != 0 ? o->status : "");
}

int cli_ops_list(const cli_args *a, api_client *c, const api_config *api, FILE *out, FILE *err)
{
    (void)api;
    api_operator_list l;
    api_result res;
    if (api_operators_list(c, &l, &res) != API_OK)
        return cli_report(a, out, err, c, &res);
    int rc = CLI_EXIT_OK;
    if (a->json) {
        cJSON *j = cJSON_CreateObject(), *arr = j != NULL ? cJSON_AddArrayToObject(j, "operators") : NULL;
        bool ok = arr != NULL;
        for (size_t i = 0; ok && i < l.n; i++) {
            cJSON *o = dup_or_null(l.ops[i].json);
            ok = o != NULL && cJSON_AddItemToArray(arr, o);
            if (!ok)
                cJSON_Delete(o);
        }
        if (!ok) {
            cJSON_Delete(j);
            j = NULL;
        }
        rc = cli_print_json(out, err, j);
    } else {
        int wname = 4, wmail = 6, w;
        char mask[API_OP_TEXT_MAX + 8], state[API_OP_TEXT_MAX + 16];
        for (size_t i = 0; i < l.n; i++) {
            bo_operator_mask(l.ops[i].username, mask, sizeof mask);
            if ((w = cli_text_width(l.ops[i].name, 40)) > wname) wname = w;
            if ((w = cli_text_width(mask, 50)) > wmail) wmail = w;
        }
        cli_put_cell(out, "NAME", wname, false); fputs("  ", out);
        cli_put_cell(out, "E-MAIL", wmail, false); fputs("  ", out);
        cli_put_cell(out, "GROUP", 8, false); fputs("  ", out);
        cli_put_cell(out, "STATE", 32, false); fputs("  ", out);
        fputs("SUB\n", out);
        for (size_t i = 0; i < l.n; i++) {
            const bo_operator *o = &l.ops[i];
            bo_operator_mask(o->username, mask, sizeof mask);
            state_text(o, state, sizeof state);
            cli_put_cell(out, o->name[0] != '\0' ? o->name : "-", wname, false); fputs("  ", out);
            cli_put_cell(out, mask, wmail, false); fputs("  ", out);
            cli_put_cell(out, o->group[0] != '\0' ? o->group : "-", 8, false); fputs("  ", out);
            cli_put_cell(out, state, 32, false); fputs("  ", out);
            fprintf(out, "%s\n", o->sub);
        }
        fprintf(out, "%zu operator%s\n", l.n, l.n == 1 ? "" : "s");
    }
    api_operator_list_clear(&l);
    return rc;
}

/* One operator as the server answered it, after verb ("Added", "Disabled" ...). */
static int print_one(const cli_args *a, const char *verb, bo_operator *o, FILE *out, FILE *err)
{
    int rc = CLI_EXIT_OK;
    if (a->json) {
        rc = cli_print_json(out, err, dup_or_null(o->json));
    } else {
        char mask[API_OP_TEXT_MAX + 8], state[API_OP_TEXT_MAX + 16];
        bo_operator_mask(o->username, mask, sizeof mask);
        state_text(o, state, sizeof state);
        fprintf(out, "%s %s (%s): group %s, %s\n", verb, o->name[0] != '\0' ? o->name : "-", mask, o->group, state);
        fprintf(out, "sub %s\n", o->sub);
    }
    bo_operator_clear(o);
    return rc;
}

int cli_ops_add(const cli_args *a, api_client *c, const api_config *api, FILE *out, FILE *err)
{
    (void)api;
    bo_operator o;
    api_result res;
    char typed[CLI_TTY_FIELD_MAX] = "";
    if (a->temp_password == NULL && !cli_ask_tty("Temporary password (changed at the first sign-in): ", true, typed)) {
        fputs("boxoffice: operators add: --temporary-password is required (or a terminal to type it on)\n", err);
        return CLI_EXIT_USAGE;
    }
    api_operator_input in = { .username = a->id, .name = a->name, .group = a->group,
                              .temporary_password = a->temp_password != NULL ? a->temp_password : typed };
    const char *bad = api_operator_input_check(&in);
    api_status st = bad != NULL ? API_ERR_INVALID : api_operator_add(c, &in, &o, &res);
    memset(typed, 0, sizeof typed);
    if (bad != NULL) {
        fprintf(err, "boxoffice: operators add: %s\n", bad);
        return CLI_EXIT_USAGE;
    }
    if (st != API_OK)
        return cli_report(a, out, err, c, &res);
    return print_one(a, "Added", &o, out, err);
}

static int set_enabled(const cli_args *a, api_client *c, bool enable, FILE *out, FILE *err)
{
    bo_operator o;
    api_result res;
    if (api_operator_set_enabled(c, a->id, enable, &o, &res) != API_OK)
        return cli_report(a, out, err, c, &res);
    return print_one(a, o.enabled ? "Enabled" : "Disabled", &o, out, err);
}

int cli_ops_disable(const cli_args *a, api_client *c, const api_config *api, FILE *out, FILE *err)
{
    (void)api;
    return set_enabled(a, c, false, out, err);
}

int cli_ops_enable(const cli_args *a, api_client *c, const api_config *api, FILE *out, FILE *err)
{
    (void)api;
    return set_enabled(a, c, true, out, err);
}

int cli_ops_role(const cli_args *a, api_client *c, const api_config *api, FILE *out, FILE *err)
{
    (void)api;
    bo_operator o;
    api_result res;
    if (api_operator_set_role(c, a->id, a->group, &o, &res) != API_OK)
        return cli_report(a, out, err, c, &res);
    return print_one(a, "Changed", &o, out, err);
}

/* The amount of an entry with its currency ("12.50 EUR"), "" when it has none. */
static void entry_amount(const bo_journal_entry *e, char *out, size_t cap)
{
    out[0] = '\0';
    if (!e->has_amount)
        return;
    char m[BO_MONEY_BUF];
    bo_money_display(e->amount_cents < 0 ? -e->amount_cents : e->amount_cents, m);
    snprintf(out, cap, "%s%s%s%s", e->amount_cents < 0 ? "-" : "", m, e->currency[0] != '\0' ? " " : "", e->currency);
}

static void print_entries_table(const api_journal_page *p, FILE *out)
{
    int wname = 8, wterm = 8, w;
    for (size_t i = 0; i < p->n; i++) {
        if ((w = cli_text_width(p->entries[i].operator_name, 24)) > wname) wname = w;
        if ((w = cli_text_width(p->entries[i].terminal, 16)) > wterm) wterm = w;
    }
    cli_put_cell(out, "AT (UTC)", 24, false); fputs("  ", out);
    cli_put_cell(out, "TYPE", 18, false); fputs("  ", out);
    cli_put_cell(out, "OPERATOR", wname, false); fputs("  ", out);
    cli_put_cell(out, "TERMINAL", wterm, false); fputs("  ", out);
    cli_put_cell(out, "SEQ", 4, true); fputs("  ", out);
    cli_put_cell(out, "AMOUNT", 16, true); fputs("  ", out);
    cli_put_cell(out, "COUNT", 5, true); fputs("  ", out);
    fputs("ORDER / CONCERT  DETAIL\n", out);
    for (size_t i = 0; i < p->n; i++) {
        const bo_journal_entry *e = &p->entries[i];
        char amount[BO_MONEY_BUF + 8], seq[24] = "", count[24] = "";
        entry_amount(e, amount, sizeof amount);
        if (e->has_seq)
            snprintf(seq, sizeof seq, "%lld", (long long)e->seq);
        if (e->has_count)
            snprintf(count, sizeof count, "%lld", (long long)e->count);
        cli_put_cell(out, e->at, 24, false); fputs("  ", out);
        cli_put_cell(out, e->type, 18, false); fputs("  ", out);
        cli_put_cell(out, e->operator_name[0] != '\0' ? e->operator_name : e->operator_sub[0] != '\0' ? "-" : "online",
                     wname, false); fputs("  ", out);
        cli_put_cell(out, e->terminal[0] != '\0' ? e->terminal : "-", wterm, false); fputs("  ", out);
        cli_put_cell(out, seq, 4, true); fputs("  ", out);
        cli_put_cell(out, amount, 16, true); fputs("  ", out);
        cli_put_cell(out, count, 5, true); fputs("  ", out);
        fprintf(out, "%s  %s\n", e->order_id[0] != '\0' ? e->order_id : e->concert_id[0] != '\0' ? e->concert_id : "-",
                e->detail);
    }
    fprintf(out, "%zu entr%s\n", p->n, p->n == 1 ? "y" : "ies");
    if (p->cursor[0] != '\0')
        fprintf(out, "More: add --cursor %s\n", p->cursor);
}

/* --json: every page, one {"entries":[...]} in the server's order. */
static int journal_all_pages(const cli_args *a, api_client *c, api_journal_query q, FILE *out, FILE *err)
{
    cJSON *j = cJSON_CreateObject(), *arr = j != NULL ? cJSON_AddArrayToObject(j, "entries") : NULL;
    char cursor[API_JOURNAL_CURSOR_MAX + 1] = "";
    api_journal_page p;
    api_result res;
    if (arr == NULL) {
        cJSON_Delete(j);
        return cli_print_json(out, err, NULL);
    }
    if (q.cursor != NULL)
        snprintf(cursor, sizeof cursor, "%s", q.cursor);
    for (int page = 0; page < JOURNAL_PAGES_MAX; page++) {
        q.cursor = cursor;
        if (api_journal_get(c, &q, &p, &res) != API_OK) {
            cJSON_Delete(j);
            return cli_report(a, out, err, c, &res);
        }
        bool ok = true;
        for (size_t i = 0; ok && i < p.n; i++) {
            cJSON *e = dup_or_null(p.entries[i].json);
            ok = e != NULL && cJSON_AddItemToArray(arr, e);
            if (!ok)
                cJSON_Delete(e);
        }
        bool same = p.cursor[0] != '\0' && strcmp(p.cursor, cursor) == 0;
        snprintf(cursor, sizeof cursor, "%s", p.cursor);
        api_journal_page_clear(&p);
        if (!ok) {
            cJSON_Delete(j);
            return cli_print_json(out, err, NULL);
        }
        if (same) {
            cJSON_Delete(j);
            fputs("boxoffice: the server answered the same cursor again: the journal is incomplete\n", err);
            return CLI_EXIT_API;
        }
        if (cursor[0] == '\0')
            return cli_print_json(out, err, j);
    }
    cJSON_Delete(j);
    fputs("boxoffice: too many pages of journal entries\n", err);
    return CLI_EXIT_API;
}

int cli_ops_journal(const cli_args *a, api_client *c, const api_config *api, FILE *out, FILE *err)
{
    (void)api;
    char today[16];
    long limit = 0;
    if (a->limit != NULL)
        cli_number_in(a->limit, 1, API_JOURNAL_LIMIT_MAX, &limit);
    api_journal_query q = { .day = a->day, .operator_sub = a->operator_sub, .concert_id = a->concert,
                            .shift_id = a->shift, .limit = (int)limit, .cursor = a->cursor };
    if (q.day == NULL && q.concert_id == NULL && q.shift_id == NULL) { /* today's (UTC) */
        time_t now = time(NULL);
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(today, sizeof today, "%Y-%m-%d", &tm);
        q.day = today;
    }
    const char *bad = api_journal_query_check(&q);
    if (bad != NULL) {
        fprintf(err, "boxoffice: journal: %s\n", bad);
        return CLI_EXIT_USAGE;
    }
    if (a->json)
        return journal_all_pages(a, c, q, out, err);
    api_journal_page p;
    api_result res;
    if (api_journal_get(c, &q, &p, &res) != API_OK)
        return cli_report(a, out, err, c, &res);
    print_entries_table(&p, out);
    api_journal_page_clear(&p);
    return CLI_EXIT_OK;
}
