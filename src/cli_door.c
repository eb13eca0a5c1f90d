/* The door's subcommands: checkin (one scan, a verdict and an exit code that tells admitted, refused and
 * cannot verify apart), checkin undo (an operator's correction) and stats (the concert's counts).
 * Run from the command table (cli_table.h). */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_door.h"
#include "bo_text.h"
#include "cli.h"
#include "cli_cmds.h"
#include "cli_out.h"
#include "cmdline.h"
#include "client_time.h"

/* Prints j as the other --json outputs (exact texts, escaped for the terminal) and frees it; rc, or
 * CLI_EXIT_API on OOM. */
static int print_json(FILE *out, FILE *err, cJSON *j, int rc)
{
    int printed = cli_print_json(out, err, j);
    return printed == CLI_EXIT_OK ? rc : printed;
}

static const char *result_token(api_checkin_kind k)
{
    switch (k) {
    case API_CHECKIN_ADMITTED: return "admitted";
    case API_CHECKIN_ALREADY_ADMITTED: return "already_admitted";
    case API_CHECKIN_REFUNDED: return "refunded";
    case API_CHECKIN_WRONG_CONCERT: return "wrong_concert";
    case API_CHECKIN_UNKNOWN_CODE: return "unknown_code";
    case API_CHECKIN_ERROR: return "error";
    case API_CHECKIN_UNVERIFIED: return "cannot_verify";
    }
    return "error";
}

static int exit_code(api_status st, const api_checkin_verdict *v)
{
    switch (v->kind) {
    case API_CHECKIN_ADMITTED: return CLI_EXIT_OK;
    case API_CHECKIN_ALREADY_ADMITTED:
    case API_CHECKIN_REFUNDED:
    case API_CHECKIN_WRONG_CONCERT:
    case API_CHECKIN_UNKNOWN_CODE: return CLI_EXIT_REFUSED;
    case API_CHECKIN_UNVERIFIED: return CLI_EXIT_UNAVAILABLE;
    case API_CHECKIN_ERROR: break;
    }
    return st == API_OK ? CLI_EXIT_API : cli_exit_code(st);
}

static bool add_text(cJSON *j, const char *key, const char *v)
{
    return v == NULL || v[0] == '\0' || cJSON_AddStringToObject(j, key, v) != NULL;
}

/* The time of an earlier check-in in the concert's zone ("20:14:03 Europe/Berlin"), else as the API gave it. */
static void venue_clock(api_client *c, const char *concert_id, const char *iso, char *out, size_t cap)
{
    bo_concert con;
    char clk[32];
    const char *tz = NULL;
    bool have = api_get_concert(c, concert_id, &con, NULL) == API_OK;
    if (have && con.timezone[0] != '\0' && client_time_zone_known(con.timezone))
        tz = con.timezone;
    if (client_time_clock(iso, tz, clk, sizeof clk) == 0)
        snprintf(out, cap, "%s %s (%s)", clk, tz != NULL ? tz : "local time", iso);
    else
        snprintf(out, cap, "%s", iso);
    if (have)
        bo_concert_clear(&con);
}

bool cli_checkin_command(char *out, size_t cap, const char *api_url, const char *concert_id, const char *code,
                         const char *door, const char *nonce)
{
    size_t n;
    bool ok = cmdline_start(out, cap, &n, api_url, "checkin") && cmdline_arg(out, cap, &n, concert_id, true)
              && cmdline_arg(out, cap, &n, code, true)
              && cmdline_option(out, cap, &n, "--door", door != NULL && door[0] != '\0' ? door : NULL)
              && cmdline_option(out, cap, &n, "--nonce", nonce);
    if (!ok && cap > 0)
        out[0] = '\0';
    return ok;
}

int cli_door_checkin(const cli_args *a, api_client *c, const api_config *api, FILE *out, FILE *err)
{
    (void)api;
    char nonce[API_NONCE_MAX + 1], at[200] = "";
    api_checkin_verdict v;
    api_result res;
    if (a->nonce != NULL)
        snprintf(nonce, sizeof nonce, "%s", a->nonce);
    else
        api_checkin_nonce_new(nonce);
    api_status st = api_checkin(c, a->id, a->code, nonce, a->door, 0, &v, &res);
    int rc = exit_code(st, &v);
    if (v.kind == API_CHECKIN_ALREADY_ADMITTED && v.at[0] != '\0')
        venue_clock(c, a->id, v.at, at, sizeof at);
    if (a->json) {
        cJSON *j = cJSON_CreateObject();
        bool ok = j != NULL && cJSON_AddStringToObject(j, "result", result_token(v.kind)) != NULL
                  && add_text(j, "ticketId", v.ticket_id) && add_text(j, "attendee", v.exact.attendee)
                  && add_text(j, "orderId", v.order_id) && add_text(j, "at", v.exact.at)
                  && add_text(j, "door", v.exact.door);
        if (ok && v.kind == API_CHECKIN_ADMITTED)
            ok = cJSON_AddNumberToObject(j, "quantity", v.quantity) != NULL
                 && cJSON_AddNumberToObject(j, "admittedSoFar", v.admitted_so_far) != NULL
                 && add_text(j, "customerName", v.exact.customer);
        if (ok && v.kind == API_CHECKIN_WRONG_CONCERT)
            ok = add_text(j, "concertId", v.concert_id) && add_text(j, "concertName", v.exact.concert_name);
        if (ok && (v.kind == API_CHECKIN_ERROR || v.kind == API_CHECKIN_UNVERIFIED))
            ok = cJSON_AddStringToObject(j, "error", res.message) != NULL
                 && cJSON_AddNumberToObject(j, "status", (double)res.http_status) != NULL;
        ok = ok && cJSON_AddStringToObject(j, "nonce", nonce) != NULL
             && cJSON_AddNumberToObject(j, "exitCode", rc) != NULL;
        if (!ok) {
            cJSON_Delete(j);
            fputs("boxoffice: out of memory\n", err);
            return CLI_EXIT_API;
        }
        rc = print_json(out, err, j, rc);
    } else {
        switch (v.kind) {
        case API_CHECKIN_ADMITTED:
            fprintf(out, "ADMIT  %s \xe2\x80\x94 ticket %d of %d (order %s)\n",
                    v.attendee[0] != '\0' ? v.attendee : v.customer[0] != '\0' ? v.customer : "(no name)",
                    v.admitted_so_far, v.quantity, v.order_id);
            break;
        case API_CHECKIN_ALREADY_ADMITTED:
            fprintf(out, "REFUSED  already admitted at %s%s%s\n", at, v.door[0] != '\0' ? " at door " : "", v.door);
            break;
        case API_CHECKIN_REFUNDED:
            fprintf(out, "REFUSED  refunded%s%s\n", v.attendee[0] != '\0' ? ": " : "", v.attendee);
            break;
        case API_CHECKIN_WRONG_CONCERT:
            fprintf(out, "REFUSED  wrong concert: the ticket is for %s%s%s%s\n",
                    v.concert_name[0] != '\0' ? v.concert_name : v.concert_id, v.concert_name[0] != '\0' ? " (" : "",
                    v.concert_name[0] != '\0' ? v.concert_id : "", v.concert_name[0] != '\0' ? ")" : "");
            break;
        case API_CHECKIN_UNKNOWN_CODE:
            fputs("REFUSED  unknown code\n", out);
            break;
        case API_CHECKIN_UNVERIFIED:
        case API_CHECKIN_ERROR:
            break;
        }
    }
    if (v.kind == API_CHECKIN_UNVERIFIED || v.kind == API_CHECKIN_ERROR) {
        if (res.http_status > 0)
            fprintf(err, "boxoffice: %s (HTTP %ld)\n", res.message, res.http_status);
        else
            fprintf(err, "boxoffice: %s\n", res.message);
    }
    if (v.kind == API_CHECKIN_UNVERIFIED) /* the code itself is not echoed: the operator has it */
        fprintf(err, "boxoffice: CANNOT VERIFY \xe2\x80\x94 do not admit yet. Retry this very scan (it admits once):\n"
                     "  boxoffice checkin %s CODE%s%s --nonce %s\n",
                a->id, a->door != NULL ? " --door " : "", a->door != NULL ? "NAME" : "", nonce);
    return rc;
}

int cli_door_undo(const cli_args *a, api_client *c, const api_config *api, FILE *out, FILE *err)
{
    (void)api;
    api_undo_result u;
    api_result res;
    api_status st = api_undo_checkin(c, a->id, &u, &res);
    int rc = st == API_OK ? CLI_EXIT_OK
             : u.not_checked_in ? CLI_EXIT_REFUSED
             : res.unconfirmed ? CLI_EXIT_UNCONFIRMED
                               : cli_exit_code(st);
    const char *result = st == API_OK ? "undone" : u.not_checked_in ? "not_checked_in"
                         : res.unconfirmed ? "not_confirmed" : "error";
    if (a->json) {
        cJSON *j = cJSON_CreateObject();
        bool ok = j != NULL && cJSON_AddStringToObject(j, "result", result) != NULL
                  && cJSON_AddStringToObject(j, "ticketId", u.ticket_id[0] != '\0' ? u.ticket_id : a->id) != NULL
                  && add_text(j, "ticketStatus", u.status) && add_text(j, "orderId", u.order_id)
                  && add_text(j, "attendee", u.attendee_exact)
                  && (st == API_OK || (cJSON_AddStringToObject(j, "error", res.message) != NULL
                                       && cJSON_AddNumberToObject(j, "status", (double)res.http_status) != NULL))
                  && cJSON_AddNumberToObject(j, "exitCode", rc) != NULL;
        if (!ok) {
            cJSON_Delete(j);
            fputs("boxoffice: out of memory\n", err);
            return CLI_EXIT_API;
        }
        rc = print_json(out, err, j, rc);
    } else if (st == API_OK) {
        char safe[BO_ID_MAX * 3 + 1];
        bo_text_sanitize(safe, sizeof safe, u.ticket_id);
        fprintf(out, "UNDONE  ticket %s%s%s%s is valid again (order %s)\n", safe, u.attendee[0] != '\0' ? " (" : "",
                u.attendee, u.attendee[0] != '\0' ? ")" : "", u.order_id);
    }
    if (st != API_OK) {
        const char *msg = res.message[0] != '\0' ? res.message : api_status_message(st);
        if (res.http_status > 0)
            fprintf(err, "boxoffice: %s (HTTP %ld)\n", msg, res.http_status);
        else
            fprintf(err, "boxoffice: %s\n", msg);
        if (res.unconfirmed)
            fputs("boxoffice: undo NOT CONFIRMED \xe2\x80\x94 it may have been made; 'boxoffice order show ORDER_ID'"
                  " tells the ticket's state (do not simply run it again)\n", err);
    }
    return rc;
}

int cli_door_stats(const cli_args *a, api_client *c, const api_config *api, FILE *out, FILE *err)
{
    (void)api;
    api_stats s;
    api_result res;
    api_status st = api_concert_stats(c, a->id, &s, &res);
    if (st != API_OK) {
        const char *msg = st == API_ERR_NOT_FOUND ? "Concert not found" : res.message;
        if (res.http_status > 0)
            fprintf(err, "boxoffice: %s (HTTP %ld)\n", msg, res.http_status);
        else
            fprintf(err, "boxoffice: %s\n", msg);
        return cli_exit_code(st);
    }
    if (a->json) {
        cJSON *j = cJSON_CreateObject(), *rev = NULL;
        if (j == NULL || cJSON_AddStringToObject(j, "concertId", s.concert_id) == NULL
            || cJSON_AddNumberToObject(j, "capacity", (double)s.capacity) == NULL
            || cJSON_AddNumberToObject(j, "sold", (double)s.sold) == NULL
            || cJSON_AddNumberToObject(j, "refunded", (double)s.refunded) == NULL
            || cJSON_AddNumberToObject(j, "admitted", (double)s.admitted) == NULL
            || cJSON_AddNumberToObject(j, "available", (double)s.available) == NULL
            || (rev = cJSON_AddObjectToObject(j, "revenue")) == NULL
            || cJSON_AddStringToObject(rev, "card", s.revenue_card) == NULL
            || cJSON_AddStringToObject(rev, "cash", s.revenue_cash) == NULL
            || cJSON_AddStringToObject(rev, "comp", s.revenue_comp) == NULL
            || (s.currency[0] != '\0' ? cJSON_AddStringToObject(j, "currency", s.currency)
                                      : cJSON_AddNullToObject(j, "currency")) == NULL) {
            cJSON_Delete(j);
            fputs("boxoffice: out of memory\n", err);
            return CLI_EXIT_API;
        }
        return print_json(out, err, j, CLI_EXIT_OK);
    }
    fprintf(out, "Concert    %s\n", s.concert_id);
    fprintf(out, "Capacity   %lld\n", (long long)s.capacity);
    fprintf(out, "Sold       %lld\n", (long long)s.sold);
    fprintf(out, "Refunded   %lld\n", (long long)s.refunded);
    fprintf(out, "Admitted   %lld of %lld valid\n", (long long)s.admitted, (long long)(s.sold - s.refunded));
    fprintf(out, "Available  %lld\n", (long long)s.available);
    fprintf(out, "Revenue    card %s \xc2\xb7 cash %s \xc2\xb7 comp %s%s%s\n", s.revenue_card, s.revenue_cash,
            s.revenue_comp, s.currency[0] != '\0' ? " " : "", s.currency);
    return CLI_EXIT_OK;
}
