#ifndef CMDLINE_H
#define CMDLINE_H
/* The command lines the client prints for an operator to run, every value shell-quoted: the argument
 * appender, and the order that re-sends a sale with its Idempotency-Key. Shared by the CLI's reports
 * (cli.c) and the box office's exit report of an unconfirmed sale (ui_screen_buy.c). */
#include <stdbool.h>
#include <stddef.h>

#define CMDLINE_MAX 8192 /* bytes of a command line: enough for every field of an order at its limit */

/* Appends ' ' (unless *n is 0) and s to out (at *n), quoted for a POSIX shell unless quote is false or s
 * holds only safe characters: in single quotes, each ' written as '\''. false when it does not fit. */
bool cmdline_arg(char *out, size_t cap, size_t *n, const char *s, bool quote);

/* Starts out with "boxoffice [--api-url URL] COMMAND" (api_url may be NULL or "": left out); *n is set.
 * false when it does not fit (cap 0 included). */
bool cmdline_start(char *out, size_t cap, size_t *n, const char *api_url, const char *command);
/* Appends the option opt and its value v (quoted) when v is not NULL. false when it does not fit. */
bool cmdline_option(char *out, size_t cap, size_t *n, const char *opt, const char *v);

/* An order as the command line gives it (strings borrowed; NULL: the option is left out). */
typedef struct cmdline_order {
    const char *concert_id, *quantity;
    const char *name, *email;
    const char *const *attendees;      /* n_attendees names, one --attendee each */
    size_t n_attendees;
    const char *pay, *tendered;        /* --pay cash|card|comp, --tendered 200.00 */
    bool past;                         /* --past: the concert is past (the CLI refuses it without) */
    const char *shift_id, *terminal;   /* --shift, --terminal: the open shift the sale was sent in */
} cmdline_order;

/* "boxoffice [--api-url URL] order ID --quantity N [--name ..] [--email ..] [--attendee ..]... [--pay ..]
 * [--tendered ..] [--shift ID --terminal NAME] --idempotency-key KEY [--past]"; api_url may be NULL. false when it does not fit in cap (out is
 * then ""). */
bool cmdline_order_command(char *out, size_t cap, const char *api_url, const cmdline_order *o,
                           const char *idem_key);

#endif
