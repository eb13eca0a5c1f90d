#ifndef UI_CATALOGUE_H
#define UI_CATALOGUE_H
/* The catalogue the screens show, kept fresh apart from the loop: it asks the network worker for the
 * list (now, on a schedule every refresh_s seconds, again after a sale), backs off while the server does
 * not answer (1, 2, 4, 8, 10 s), keeps the last good list and marks it stale, and reloads the current
 * concert (the one the detail and purchase screens show). The loop calls ui_catalogue_tick every turn and
 * hands it every finished job (ui_catalogue_result); screens call ui_catalogue_refresh. */
#include <stdbool.h>
#include <stddef.h>

#include "client_model.h"
#include "net_worker.h"

struct ui_app;

typedef enum ui_conn { UI_CONN_CONNECTING = 0, UI_CONN_ONLINE, UI_CONN_FAILED } ui_conn;

typedef struct ui_catalogue {
    bo_concert_list data;              /* owned; sorted by sort */
    bo_sort sort;
    bool have_data;
    double data_at;                    /* when data was last fetched successfully */
    ui_conn conn;                      /* UI_CONN_FAILED: data (if any) is stale */
    char conn_msg[256];                /* sanitised reason of the last failed refresh */
    bool unreachable;                  /* the last refresh found nothing answering at the URL */
    int failures;                      /* consecutive failed refreshes */
    double next_refresh;               /* when to refresh next (0: not scheduled) */
    unsigned long list_seq;            /* list job in flight (0: none) */
    bool refresh_again;                /* asked for while one was in flight (e.g. after a sale): run another */
    double list_since;
    unsigned long current_seq;         /* reload of app->current in flight (0: none) */
} ui_catalogue;

/* Asks the worker for a fresh list (while one is in flight: once more when it lands). */
void ui_catalogue_refresh(struct ui_app *app);
/* Reloads app->current from the server (no-op when there is none or its id is not the server's). */
void ui_catalogue_reload_current(struct ui_app *app);
/* Every loop turn: runs the scheduled refresh when it is due. */
void ui_catalogue_tick(struct ui_app *app);
/* A finished job: true when it was the catalogue's (list or current concert), *flags then holds UI_* flags.
 * The list's memory moves into the catalogue (r->list is emptied). */
bool ui_catalogue_result(struct ui_app *app, net_result *r, int *flags);
/* When the loop must wake for the next refresh (0: none scheduled). */
double ui_catalogue_next_refresh(const ui_catalogue *c);
/* The header's connection state: "online", "connecting…", the spinner while loading, or the reason of the
 * failure with the age of the stale data. Sets *failed when the connection failed. */
void ui_catalogue_describe(const struct ui_app *app, char *out, size_t cap, bool *failed);
/* The concert with this id in the list, or NULL (borrowed until the list is replaced). */
const bo_concert *ui_catalogue_find(const ui_catalogue *c, const char *id);
/* n seats of concert id came back (a refund): the list and the current concert show them at once, and a
 * refresh is asked for to confirm them with the server's count. */
void ui_catalogue_seats_returned(struct ui_app *app, const char *id, int64_t n);
/* Frees the list. */
void ui_catalogue_free(ui_catalogue *c);

#endif
