#ifndef CLI_CMDS_H
#define CLI_CMDS_H
/* The CLI's commands, each a handler that the command table (cli_table.h) names: cli_sale.c (list, show,
 * buy, create, order, order show), cli_aftersale.c (find, refund), cli_door.c (checkin, checkin undo,
 * stats), cli_auth.c (login, logout, whoami). They print through cli_out.h. */
#include <stdio.h>

#include "api.h"
#include "cli.h"

/* Runs a command on its client; api is the configuration it was made from (order: whether an operator key
 * is set). Returns the process exit code. */
typedef int cli_handler(const cli_args *a, api_client *c, const api_config *api, FILE *out, FILE *err);

/* cli_sale.c */
cli_handler cli_sale_list, cli_sale_show, cli_sale_buy, cli_sale_create, cli_sale_order, cli_sale_order_show;
/* cli_aftersale.c */
cli_handler cli_aftersale_find, cli_aftersale_refund;
/* cli_door.c */
cli_handler cli_door_checkin, cli_door_undo, cli_door_stats;
/* cli_shift.c */
cli_handler cli_shift_x, cli_shift_open, cli_shift_drop, cli_shift_paidout, cli_shift_close, cli_shift_show,
    cli_shift_day, cli_shift_verify;
/* order and refund: the caller's open shift (--shift, or asked of the server for a cash sale or refund) */
struct api_client;
int cli_shift_for_sale(const cli_args *a, api_client *c, bool cash, char shift_id[], size_t id_cap, char terminal[],
                       size_t term_cap, FILE *err);
/* cli_ops.c: operators (list, add, disable, enable, role) and the journal */
cli_handler cli_ops_list, cli_ops_add, cli_ops_disable, cli_ops_enable, cli_ops_role, cli_ops_journal;
/* cli_auth.c */
cli_handler cli_auth_login, cli_auth_logout, cli_auth_whoami;

#endif
