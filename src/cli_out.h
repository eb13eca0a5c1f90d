#ifndef CLI_OUT_H
#define CLI_OUT_H
/* The CLI's output helpers, used by the commands (cli_sale.c, cli_aftersale.c, cli_door.c): errors and
 * their hints, terminal-safe JSON, the concert and the order in the API's shape, table cells by display
 * width, shell-quoted arguments. Depends on no command. Not for the UI: it uses cli.h. */
#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "api.h"
#include "cli.h"
#include "client_model.h"

/* Writes config_hint(kind) to err ("boxoffice: " before each line) and leaves it in hint. */
void cli_print_hint(FILE *err, config_hint_kind kind, char *hint, size_t cap);
/* "boxoffice: <message> (HTTP <status>)" on err; with --json also {"error","status","exitCode"} on out. */
void cli_print_error(const cli_args *a, FILE *out, FILE *err, const api_client *c, const api_result *res);
/* cli_print_error, then the exit code of res (cli_exit_code). */
int cli_report(const cli_args *a, FILE *out, FILE *err, const api_client *c, const api_result *res);
/* Prints j (terminal-safe) and frees it. CLI_EXIT_OK, or CLI_EXIT_API when j is NULL (OOM). */
int cli_print_json(FILE *out, FILE *err, cJSON *j);
/* The order (with its concert when con is not NULL) in the API's shape; NULL on OOM. Caller frees. */
cJSON *cli_order_json(const bo_order *o, const bo_concert *con);
/* The concert in the API's shape; NULL on OOM. Caller frees. */
cJSON *cli_concert_json(const bo_concert *c);
/* Prints an order (text or --json) with its concert when it can be read. */
int cli_print_order(const cli_args *a, api_client *c, const bo_order *o, FILE *out, FILE *err);
/* The same, with extra (owned, may be NULL) in the JSON as "name" (text: extra is dropped). */
int cli_print_order_with(const cli_args *a, api_client *c, const bo_order *o, const char *name, cJSON *extra,
                         FILE *out, FILE *err);
/* Prints s padded or cut to width columns (right-aligned when right). */
void cli_put_cell(FILE *out, const char *s, int width, bool right);
/* Asks on /dev/tty (echo off for a secret: a password), the line without its end into out. false when there
 * is no terminal or nothing was typed (src/cli_auth.c). */
#define CLI_TTY_FIELD_MAX 257
bool cli_ask_tty(const char *prompt, bool secret, char out[CLI_TTY_FIELD_MAX]);
/* Display width of s in terminal columns, at most cap. */
int cli_text_width(const char *s, int cap);

#endif
