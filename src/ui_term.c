/* The terminal: set-up, signals, stderr parking, restoring on crash and exit, keys, too small;
 * see include/ui_term.h. */
#include "ui_term.h"

#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ui_actions.h"
#include "ui_draw.h"
#include "ui_curses.h"
#include "ui_text.h"

static volatile sig_atomic_t got_signal; /* set by on_signal, read by the loop */
static volatile sig_atomic_t curses_on;  /* endwin needed on a crash */
static SCREEN *scr;
static int saved_err = -1;               /* the real stderr while curses owns the terminal */

static void on_signal(int sig)
{
    got_signal = sig;
}

static void on_crash(int sig)
{
    /* like htop: give the terminal back before dying */
    if (curses_on)
        endwin();
    signal(sig, SIG_DFL);
    raise(sig);
}

static void set_handlers(void (*fn)(int), void (*crash)(int))
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sigemptyset(&sa.sa_mask);
    sa.sa_handler = fn;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sa.sa_handler = crash;
    sa.sa_flags = SA_RESETHAND;
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
    sigaction(SIGFPE, &sa, NULL);
    sigaction(SIGABRT, &sa, NULL);
}

static void ensure_utf8(void)
{
    setlocale(LC_ALL, "");
    const char *cs = nl_langinfo(CODESET);
    if (cs == NULL || strcmp(cs, "UTF-8") != 0)
        if (setlocale(LC_CTYPE, "C.UTF-8") == NULL)
            setlocale(LC_CTYPE, "en_US.UTF-8");
}

bool ui_term_check(void)
{
    ensure_utf8();
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        fprintf(stderr, "boxoffice: the interactive box office needs a terminal (try 'boxoffice list')\n");
        return false;
    }
    return true;
}

int ui_term_start(bool kiosk, bool no_color, bool *color)
{
    *color = false;
    scr = newterm(NULL, stdout, stdin);
    if (scr == NULL) {
        fprintf(stderr, "boxoffice: cannot use this terminal (TERM=%s)\n", getenv("TERM") ? getenv("TERM") : "");
        return -1;
    }
    /* stderr would scribble over the screen: park it on /dev/null while curses owns the terminal */
    saved_err = dup(STDERR_FILENO);
    int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (devnull >= 0) {
        dup2(devnull, STDERR_FILENO);
        close(devnull);
    }
    curses_on = 1;
    set_handlers(on_signal, on_crash);
    set_escdelay(25);
    if (kiosk)
        raw(); /* Ctrl-C / Ctrl-Z / Ctrl-\ are plain keys on a kiosk */
    else
        cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    curs_set(0);
    nodelay(stdscr, TRUE); /* the loop waits in its own poll, never inside curses */
    mousemask(BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
    if (!no_color && has_colors() && start_color() == OK) {
        *color = true;
        ui_colors_init();
    }
    return 0;
}

void ui_term_stop(void)
{
    if (scr == NULL)
        return;
    erase();
    refresh();
    endwin();
    curses_on = 0;
    delscreen(scr);
    scr = NULL;
    set_handlers(SIG_DFL, SIG_DFL);
    if (saved_err >= 0) {
        dup2(saved_err, STDERR_FILENO);
        close(saved_err);
        saved_err = -1;
    }
}

int ui_term_signal(void)
{
    return got_signal;
}

bool ui_term_read_key(int *key)
{
    wint_t wch;
    int rc = get_wch(&wch); /* keys curses has read ahead come first */
    if (rc == ERR)
        return false;
    *key = rc == KEY_CODE_YES ? UI_KEY_FN(wch) : (int)wch;
    return true;
}

bool ui_term_too_small(int min_cols, int min_rows)
{
    return LINES < min_rows || COLS < min_cols;
}

void ui_term_draw_too_small(int min_cols, int min_rows)
{
    erase();
    char line[128];
    snprintf(line, sizeof line, "Terminal too small (need %d%s%d, have %d%s%d)", min_cols,
             MB_CUR_MAX > 1 ? "\xc3\x97" : "x", min_rows, COLS, MB_CUR_MAX > 1 ? "\xc3\x97" : "x", LINES);
    int w = ui_text_width(line);
    if (w > COLS)
        w = COLS;
    ui_draw_text(LINES / 2, (COLS - w) / 2 > 0 ? (COLS - w) / 2 : 0, w, line, A_BOLD, false);
    refresh();
}

void ui_term_bell(void)
{
    beep();
}

void ui_term_repaint(void)
{
    clearok(curscr, TRUE);
}
