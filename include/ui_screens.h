#ifndef UI_SCREENS_H
#define UI_SCREENS_H
/* The screens of the box office, one file each (src/ui_screen_*.c), and the few that are opened with
 * something to show. A screen that a key opens from anywhere (help) is named in the action table instead
 * (ui_actions.c), so the loop needs no case for it. */
#include <stdio.h>

#include "client_model.h"
#include "ui_app.h"

extern const ui_screen_ops ui_screen_list, ui_screen_detail, ui_screen_buy, ui_screen_receipt,
    ui_screen_create, ui_screen_help, ui_screen_prompt, ui_screen_inspector, ui_screen_find, ui_screen_order,
    ui_screen_door, ui_screen_shift, ui_screen_day, ui_screen_operators, ui_screen_journal, ui_screen_signin;

typedef enum ui_prompt_kind {
    UI_PROMPT_QUIT = 0, UI_PROMPT_DISCARD, UI_PROMPT_PIN,
    UI_PROMPT_UNCONFIRMED,     /* leave the purchase form while its sale is unconfirmed? */
    UI_PROMPT_PAST,            /* sell tickets for a concert that is past (client_time_past)? */
    UI_PROMPT_KEY,             /* not a question: an operator key is needed, and where it is set */
    UI_PROMPT_SHIFT            /* a cash sale was refused for want of an open shift: open one now? */
} ui_prompt_kind;

/* Opens the question kind over the current screen (UI_PROMPT_KEY also says "Not allowed: operator key
 * required" in the status line). UI_PROMPT_PIN is refused (with the reason in the status
 * line) while wrong PINs make the kiosk wait or lock it. */
void ui_prompt_open(ui_app *app, ui_prompt_kind kind);

/* The order last sent from the sell form (ui_screen_buy.c keeps it), with its Idempotency-Key, until its
 * outcome is known (an order or a 4xx), so that checking it re-sends the very same request and can never
 * sell twice. Customer data: wiped once the outcome is known or the form is left without an unconfirmed
 * sale. A new key is drawn only for a different order (concert, quantity, customer, names, payment or
 * route). */
typedef struct ui_sale {
    net_order_req order;               /* what the job sends; order.idem_key "" = none */
    char concert_name[UI_FIELD_MAX];   /* for the warnings */
    bool unconfirmed;                  /* sent, no definite answer: the tickets may have been sold */
    bool past;                         /* its concert was past (client_time_past): re-sending needs --past */
} ui_sale;

/* The sale whose outcome is not known (the tickets may have been sold), or NULL. */
const ui_sale *ui_sale_unconfirmed(const ui_app *app);
/* That sale is of app->current: its form shows it and offers the check. */
bool ui_sale_unconfirmed_here(const ui_app *app);

/* Opens the sell form for app->current (sellable, seats left: the caller checked). A past concert
 * (client_time_past) is refused on a kiosk and asks UI_PROMPT_PAST first at the window; the check of an
 * unconfirmed sale of this concert opens the form as it is. */
void ui_sell_open(ui_app *app);

/* Shows the receipt of order o (taken: *o is emptied) for concert c (copied): the order and one QR code
 * per ticket, paged. */
void ui_receipt_open(ui_app *app, bo_order *o, const bo_concert *c);

/* Opens the order screen (operators) for order_id, loaded from the server; ticket_id (may be NULL) is the
 * ticket a scanned code named, marked in the list. */
void ui_order_open(ui_app *app, const char *order_id, const char *ticket_id);

/* Opens door mode (ui_screen_door.c) for the concert concert_id: a full-screen scanner view whose scans
 * are checked in through the network worker, in order, queued while the API cannot answer. false (with
 * the reason in the status line) when the screen cannot open. */
bool ui_door_open(ui_app *app, const char *concert_id);
/* Asks for the open door's name first (pre-filled with the one of this session, --door-name by default);
 * the box office's d does, so that refusals elsewhere say where a ticket went in. */
void ui_door_ask_name(ui_app *app);
/* Scans still waiting for their verdict (0 when the door was never opened). */
size_t ui_door_waiting(const ui_app *app);
/* At exit: for each scan without a verdict, the command that settles it with its own nonce (to err). */
void ui_door_report_unsettled(const ui_app *app, FILE *err);

/* The operator's shift (ui_screen_shift.c keeps what the server last said of it). */
struct api_shift;
typedef enum ui_shift_known {
    UI_SHIFT_UNKNOWN = 0,              /* not asked yet, or no definite answer */
    UI_SHIFT_NONE,                     /* the server said: no open shift */
    UI_SHIFT_OPEN                      /* the server said: this one is open (*open, borrowed) */
} ui_shift_known;
ui_shift_known ui_shift_state(const ui_app *app, const struct api_shift **open);
/* Asks the server for the caller's open shift in the background (not on a kiosk or at a door). */
void ui_shift_refresh(ui_app *app);
/* Opens the Shift screen (the open form when no shift is open). */
void ui_shift_open_screen(ui_app *app);
/* The open shift's id and its terminal (exactly as the server has it) for a sale or a refund; "" when none. */
void ui_shift_stamp(const ui_app *app, char shift_id[BO_ID_MAX + 1], char terminal[]);

#endif
