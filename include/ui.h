#ifndef UI_H
#define UI_H
/* The interactive box office (ncursesw). main() resolves the configuration and hands it over here. */
#include <stdbool.h>
#include "api.h"
#include "net_auth.h"

typedef struct ui_options {
    api_config api;          /* base URL, key, timeouts */
    bool kiosk;              /* purchase-only, no quit key without the PIN, idle return to the list */
    const char *kiosk_pin;   /* exit PIN in kiosk mode; NULL: no way out from the keyboard */
    int idle_timeout_s;      /* kiosk: back to the list after this many idle seconds (default 60) */
    int refresh_s;           /* auto-refresh of seats left (default 5; 0 = off) */
    bool inspect;            /* show the HTTP inspector panel */
    bool no_color;           /* NO_COLOR set or --no-color */
    const char *door_concert_id; /* --door: start in door mode for this concert (NULL: the list) */
    const char *door_name;   /* --door-name: where the scans are made (sent with each check-in; may be NULL) */
    /* the operator's sign-in (NULL: none configured: no sign-in screen, no lock); its ctx outlives ui_run */
    const net_auth_port *auth;
    int lock_after_s;        /* idle seconds before the screen locks (BOXOFFICE_LOCK_AFTER; 0: 300; < 0: never) */
} ui_options;

/* Runs until the user quits. Returns a process exit code (0 ok, 1 when the terminal cannot be used,
 * 128 + the signal number when SIGINT/SIGTERM/SIGHUP ended it; the terminal is restored in every case). */
int ui_run(const ui_options *opts);

#endif
