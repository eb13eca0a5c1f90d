#ifndef UI_TERM_H
#define UI_TERM_H
/* The terminal, in one module (as htop's CRT.c): locale, curses set-up (modes, keypad, mouse, colours),
 * the signals that end the program, stderr parked on /dev/null while curses owns the screen, the terminal
 * given back on a crash and at exit, reading keys, and the "terminal too small" check and notice.
 * One terminal per process: the state is private to ui_term.c. */
#include <stdbool.h>

/* Before anything else: a UTF-8 locale, and stdin/stdout must be a terminal (false: a message was printed). */
bool ui_term_check(void);

/* Takes the terminal over: newterm, modes (raw on a kiosk, so Ctrl-C/Ctrl-Z are plain keys; else cbreak),
 * keypad, no cursor, mouse clicks and wheel, colours unless no_color (*color tells whether they are on),
 * stderr parked, handlers for SIGINT/SIGTERM/SIGHUP (recorded, see ui_term_signal) and for crashes
 * (the terminal is restored before the process dies). 0, or -1 with a message printed. */
int ui_term_start(bool kiosk, bool no_color, bool *color);

/* Gives the terminal back (cleared), restores the handlers and stderr. Safe to call once after start. */
void ui_term_stop(void);

/* The SIGINT/SIGTERM/SIGHUP received since start (0: none): the loop ends on it. */
int ui_term_signal(void);

/* Reads a key without waiting: true and *key (a code point, or UI_KEY_FN(code) for a function key)
 * when one was there. KEY_RESIZE comes through as UI_KEY_FN(KEY_RESIZE). */
bool ui_term_read_key(int *key);

/* True when the terminal is smaller than min_cols x min_rows (the screens' minimum: UI_MIN_COLS x
 * UI_MIN_ROWS, the door's less; ui_app knows which): nothing but the notice is drawn. */
bool ui_term_too_small(int min_cols, int min_rows);
/* Draws the "terminal too small" notice (the whole screen), naming the size needed. */
void ui_term_draw_too_small(int min_cols, int min_rows);
/* Rings the terminal's bell (a refusal at the door). */
void ui_term_bell(void);

/* Repaints the whole screen on the next refresh (Ctrl-L). */
void ui_term_repaint(void);

#endif
