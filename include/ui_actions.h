#ifndef UI_ACTIONS_H
#define UI_ACTIONS_H
/* The one table of actions of the box office: name, key(s), help text. It drives the key bindings,
 * the help screen and the key bar, so they cannot drift apart. Pure (no curses calls). */
#include <stdbool.h>
#include <stddef.h>

/* Keys are ints: a typed character is its code point; a curses function key (KEY_UP, KEY_F(1) ...)
 * is UI_KEY_FN(code) so it never collides with a typed character. */
#define UI_KEY_FN(k) (0x40000000 | (int)(k))
#define UI_KEY_IS_FN(k) (((k) & 0x40000000) != 0)
#define UI_KEY_ESC 27
#define UI_KEY_CTRL(c) ((c) & 0x1f)

typedef enum ui_action {
    UI_ACT_NONE = 0,
    UI_ACT_UP, UI_ACT_DOWN, UI_ACT_PGUP, UI_ACT_PGDN, UI_ACT_HOME, UI_ACT_END,
    UI_ACT_OPEN, UI_ACT_BACK, UI_ACT_NEXT_FIELD, UI_ACT_PREV_FIELD, UI_ACT_ERASE,
    UI_ACT_FILTER, UI_ACT_SORT, UI_ACT_REFRESH, UI_ACT_BUY, UI_ACT_NEW, UI_ACT_YES,
    UI_ACT_INSPECTOR, UI_ACT_HELP, UI_ACT_REDRAW, UI_ACT_QUIT, UI_ACT_MOUSE,
    UI_ACT_PREV_TICKET, UI_ACT_NEXT_TICKET,
    UI_ACT_FIND, UI_ACT_SELECT, UI_ACT_REFUND, UI_ACT_DOOR, UI_ACT_UNDO_CHECKIN,
    UI_ACT_SHIFT, UI_ACT_DROP, UI_ACT_PAIDOUT, UI_ACT_CLOSE_SHIFT, UI_ACT_DAY_SHEET,
    UI_ACT_OPERATORS, UI_ACT_OP_ENABLE, UI_ACT_OP_ROLE, UI_ACT_JOURNAL, UI_ACT_LOCK, UI_ACT_REMEMBER,
    UI_ACT__COUNT
} ui_action;

#define UI_ACTION_KEYS_MAX 4

/* Where an action is offered in the key bar: at a desk (operators) or on a kiosk (customers). */
typedef enum ui_mode { UI_MODE_DESK = 1, UI_MODE_KIOSK = 2 } ui_mode;
#define UI_MODES_ALL (UI_MODE_DESK | UI_MODE_KIOSK)

typedef struct ui_action_def {
    ui_action action;
    const char *name;       /* short name for the key bar, e.g. "filter" */
    const char *keys_label; /* how the keys are written, e.g. "/" or "↑/k" */
    int keys[UI_ACTION_KEYS_MAX]; /* 0-terminated when fewer */
    const char *where;      /* "list", "forms", "everywhere" ... */
    const char *help;       /* one line for the help screen */
    unsigned modes;         /* UI_MODE_* whose key bar offers it: a kiosk's customers cannot create,
                             * inspect or quit (q there asks staff for the PIN) */
    const struct ui_screen_ops *screen; /* the screen this key opens from anywhere (help); NULL: the
                                         * screens and the loop decide what the action does */
} ui_action_def;

/* The table, in help order; n set to its length. Static storage. */
const ui_action_def *ui_actions(size_t *n);
/* The entry of an action, or NULL for UI_ACT_NONE / unknown. */
const ui_action_def *ui_action_get(ui_action a);

/* True when the key bar of mode offers action a (generated from the table's modes). */
bool ui_action_offered(ui_action a, ui_mode mode);

/* The action bound to key. While typing (a text field has focus) printable characters are text,
 * not commands: they map to UI_ACT_NONE. */
ui_action ui_action_for_key(int key, bool typing);

/* True when key is a printable character a text field should take. */
bool ui_key_is_text(int key);

#endif
