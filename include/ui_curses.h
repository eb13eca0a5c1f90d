#ifndef UI_CURSES_H
#define UI_CURSES_H
/* The one place the UI includes curses: wide-character ncursesw (get_wch, UTF-8 output). */
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <ncursesw/curses.h>

#endif
