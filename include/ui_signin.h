#ifndef UI_SIGNIN_H
#define UI_SIGNIN_H
/* The sign-in of the box office (src/ui_screen_signin.c): the screen that holds the terminal (ui_app's gate:
 * drawn alone, every key) while nobody is signed in, after a 401 (the session expired: the screens beneath
 * keep what they hold — an unconfirmed sale keeps its key and its re-send command), or while the screen is
 * locked (the lock key, or BOXOFFICE_LOCK_AFTER idle seconds). E-mail and password (hidden), the new password
 * twice when Cognito asks for one, "remember me" (F2: the token file, else memory only), Cognito's own words
 * when it refuses. A lock opens with the same operator's password, or another operator signs in (the first
 * one's open shift stays open). Everything goes through the auth port (ui_options.auth, net_auth.h) on the
 * network worker; without a port there is no sign-in, lock or identity. */
#include <stddef.h>

#include "net_worker.h"
#include "ui_app.h"

typedef enum ui_signin_reason {
    UI_SIGNIN_START = 0,     /* nobody signed in yet */
    UI_SIGNIN_EXPIRED,       /* a 401: sign in again */
    UI_SIGNIN_LOCK           /* locked: the same operator's password, or another operator */
} ui_signin_reason;

/* At start, with a port: holds the terminal ("checking…") and asks the worker who is signed in (the
 * remembered session, or BOXOFFICE_USER/PASSWORD); the box office shows when someone is. Nobody: the
 * sign-in form; Esc there goes on without an operator (public sales, as without a user pool). */
void ui_signin_start(ui_app *app);
/* Opens the sign-in for why (nothing without a port; the lock with nobody signed in asks for a sign-in). */
void ui_signin_open(ui_app *app, ui_signin_reason why);
/* When r is a 401 (with a port): the sign-in opens (UI_SIGNIN_EXPIRED) and true is returned. */
bool ui_signin_after_401(ui_app *app, const net_result *r);
/* The idle lock: locks after the idle time; returns UI_REDRAW when it did. */
int ui_signin_tick(ui_app *app);
/* The header's words for who is signed in: "Ana (manager) · window-2" ("" without a port). */
void ui_signin_header(const ui_app *app, char *out, size_t cap);
/* This terminal's name: BOXOFFICE_TERMINAL, else the host name (sanitised, at most 32 bytes). */
void ui_terminal_name(char *out, size_t cap);

#endif
