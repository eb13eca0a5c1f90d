/* Command lines for the operator to run; see include/cmdline.h. */
#include "cmdline.h"

#include <string.h>

bool cmdline_arg(char *out, size_t cap, size_t *n, const char *s, bool quote)
{
    static const char safe[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@%+=:,./_-";
    bool plain = !quote || (s[0] != '\0' && strspn(s, safe) == strlen(s));
    size_t need = 1 + (plain ? 0 : 2);
    for (const char *p = s; *p != '\0'; p++)
        need += !plain && *p == '\'' ? 4 : 1;
    if (*n + need >= cap)
        return false;
    char *o = out + *n;
    if (*n > 0)
        *o++ = ' ';
    if (!plain)
        *o++ = '\'';
    for (const char *p = s; *p != '\0'; p++) {
        if (!plain && *p == '\'') {
            memcpy(o, "'\\''", 4);
            o += 4;
        } else {
            *o++ = *p;
        }
    }
    if (!plain)
        *o++ = '\'';
    *o = '\0';
    *n = (size_t)(o - out);
    return true;
}

bool cmdline_option(char *out, size_t cap, size_t *n, const char *opt, const char *v)
{
    return v == NULL || (cmdline_arg(out, cap, n, opt, false) && cmdline_arg(out, cap, n, v, true));
}

bool cmdline_start(char *out, size_t cap, size_t *n, const char *api_url, const char *command)
{
    *n = 0;
    if (cap == 0)
        return false;
    out[0] = '\0';
    bool ok = cmdline_arg(out, cap, n, "boxoffice", false);
    if (ok && api_url != NULL && api_url[0] != '\0')
        ok = cmdline_option(out, cap, n, "--api-url", api_url);
    return ok && cmdline_arg(out, cap, n, command, false);
}

bool cmdline_order_command(char *out, size_t cap, const char *api_url, const cmdline_order *o,
                           const char *idem_key)
{
    size_t n;
    bool ok = cmdline_start(out, cap, &n, api_url, "order") && cmdline_arg(out, cap, &n, o->concert_id, true)
              && cmdline_option(out, cap, &n, "--quantity", o->quantity)
              && cmdline_option(out, cap, &n, "--name", o->name) && cmdline_option(out, cap, &n, "--email", o->email);
    for (size_t i = 0; ok && i < o->n_attendees; i++)
        ok = cmdline_option(out, cap, &n, "--attendee", o->attendees[i]);
    ok = ok && cmdline_option(out, cap, &n, "--pay", o->pay)
         && cmdline_option(out, cap, &n, "--tendered", o->tendered)
         && (o->shift_id == NULL || o->shift_id[0] == '\0'
             || (cmdline_option(out, cap, &n, "--shift", o->shift_id)
                 && cmdline_option(out, cap, &n, "--terminal", o->terminal != NULL ? o->terminal : "")))
         && cmdline_option(out, cap, &n, "--idempotency-key", idem_key);
    if (ok && o->past)
        ok = cmdline_arg(out, cap, &n, "--past", false);
    if (!ok && cap > 0)
        out[0] = '\0';
    return ok;
}
