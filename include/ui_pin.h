#ifndef UI_PIN_H
#define UI_PIN_H
/* The kiosk's exit-PIN guard against guessing: free tries, then a growing wait, then a lockout.
 * Pure (no curses, no sleeping, no clock of its own): the caller passes monotonic seconds, and the UI
 * loop asks how long to wait instead of waiting, so input is never blocked. State lives in memory: a
 * restart of the program ends a lockout (whoever can restart a kiosk is staff). */
#include <stdbool.h>

#define UI_PIN_FREE_TRIES 3      /* wrong PINs before the first wait */
#define UI_PIN_WAIT_MAX 30       /* seconds: waits double from 1 s up to this */
#define UI_PIN_LOCK_AFTER 10     /* wrong PINs that lock the exit ... */
#define UI_PIN_LOCK_SECONDS 300  /* ... for this long; each wrong PIN after it locks again */

typedef struct ui_pin_guard {
    int wrong;       /* wrong PINs since the last right one */
    double until;    /* no try before this time (0: none) */
} ui_pin_guard;

/* Seconds (rounded up, >= 1) before the next try is allowed; 0 when a try may be made now. */
int ui_pin_wait(const ui_pin_guard *g, double now);
/* True while the lockout holds (a wait that came from UI_PIN_LOCK_AFTER wrong PINs). */
bool ui_pin_locked(const ui_pin_guard *g, double now);
/* Records a wrong PIN at now: sets the next wait or the lockout. */
void ui_pin_wrong(ui_pin_guard *g, double now);
/* Records the right PIN: forgets the wrong ones. */
void ui_pin_right(ui_pin_guard *g);
/* The person-readable refusal while waiting/locked ("" when a try may be made), into out (cap bytes). */
void ui_pin_refusal(const ui_pin_guard *g, double now, char *out, unsigned long cap);

#endif
