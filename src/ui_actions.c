/* The action table of the box office; see include/ui_actions.h. */
#include "ui_actions.h"

#include "ui_curses.h"

/* Screens a key opens from anywhere: adding one is its file and a row below. */
extern const struct ui_screen_ops ui_screen_help, ui_screen_operators, ui_screen_journal;

static const ui_action_def actions[] = {
    { UI_ACT_UP, "up", "\xe2\x86\x91/k", { UI_KEY_FN(KEY_UP), 'k' }, "list, forms", "move up one row (previous field in forms)", UI_MODES_ALL, NULL },
    { UI_ACT_DOWN, "down", "\xe2\x86\x93/j", { UI_KEY_FN(KEY_DOWN), 'j' }, "list, forms", "move down one row (next field in forms)", UI_MODES_ALL, NULL },
    { UI_ACT_PGUP, "page up", "PgUp", { UI_KEY_FN(KEY_PPAGE) }, "list, help, receipt", "scroll up one page (receipt: previous ticket)", UI_MODES_ALL, NULL },
    { UI_ACT_PGDN, "page down", "PgDn", { UI_KEY_FN(KEY_NPAGE) }, "list, help, receipt", "scroll down one page (receipt: next ticket)", UI_MODES_ALL, NULL },
    { UI_ACT_PREV_TICKET, "previous ticket", "\xe2\x86\x90", { UI_KEY_FN(KEY_LEFT) }, "receipt", "the previous ticket's QR code (PgUp too)", UI_MODES_ALL, NULL },
    { UI_ACT_NEXT_TICKET, "next ticket", "\xe2\x86\x92", { UI_KEY_FN(KEY_RIGHT) }, "receipt", "the next ticket's QR code (PgDn too)", UI_MODES_ALL, NULL },
    { UI_ACT_HOME, "first", "Home", { UI_KEY_FN(KEY_HOME) }, "list", "go to the first concert", UI_MODES_ALL, NULL },
    { UI_ACT_END, "last", "End", { UI_KEY_FN(KEY_END) }, "list", "go to the last concert", UI_MODES_ALL, NULL },
    { UI_ACT_OPEN, "select", "Enter", { '\n', '\r', UI_KEY_FN(KEY_ENTER) }, "everywhere", "open the selected concert / next field / confirm", UI_MODES_ALL, NULL },
    { UI_ACT_BACK, "back", "Esc/h", { UI_KEY_ESC, 'h' }, "everywhere", "go back (clears the filter on the list)", UI_MODES_ALL, NULL },
    { UI_ACT_NEXT_FIELD, "next field", "Tab", { '\t' }, "forms", "go to the next field", UI_MODES_ALL, NULL },
    { UI_ACT_PREV_FIELD, "previous field", "S-Tab", { UI_KEY_FN(KEY_BTAB) }, "forms", "go to the previous field", UI_MODES_ALL, NULL },
    { UI_ACT_ERASE, "erase", "Backspace", { UI_KEY_FN(KEY_BACKSPACE), 127, 8 }, "forms, filter", "delete the last character", UI_MODES_ALL, NULL },
    { UI_ACT_FILTER, "filter", "/", { '/' }, "list", "narrow the list by name/venue as you type; Esc clears", UI_MODES_ALL, NULL },
    { UI_ACT_SORT, "sort", "s", { 's' }, "list", "sort by date, name or seats left (cycles)", UI_MODES_ALL, NULL },
    { UI_ACT_REFRESH, "refresh", "r", { 'r', UI_KEY_FN(KEY_F(5)) }, "list, detail", "reload the concerts now", UI_MODES_ALL, NULL },
    { UI_ACT_BUY, "buy", "b", { 'b' }, "list, detail", "sell tickets (one order) for the selected concert", UI_MODES_ALL, NULL },
    { UI_ACT_FIND, "find", "f", { 'f' }, "list", "find an order by e-mail, name or ticket code as you type (operators)", UI_MODE_DESK, NULL },
    { UI_ACT_SELECT, "select ticket", "Space", { ' ' }, "order", "select or unselect the ticket for a refund", UI_MODE_DESK, NULL },
    { UI_ACT_REFUND, "refund", "R", { 'R' }, "order", "refund the selected tickets (none selected: every valid one), after a confirmation", UI_MODE_DESK, NULL },
    { UI_ACT_UNDO_CHECKIN, "undo", "U", { 'U' }, "order", "undo the selected admitted ticket's check-in (an operator's correction), after a confirmation", UI_MODE_DESK, NULL },
    { UI_ACT_DOOR, "door", "d", { 'd' }, "detail", "door mode: scan tickets of this concert in (operators)", UI_MODE_DESK, NULL },
    { UI_ACT_SHIFT, "shift", "S", { 'S' }, "list", "your shift: open it (terminal, float), its X report, drops, paid-outs, the blind close (operators)", UI_MODE_DESK, NULL },
    { UI_ACT_DROP, "drop", "D", { 'D' }, "shift", "take cash from the drawer to the safe (amount, note)", UI_MODE_DESK, NULL },
    { UI_ACT_PAIDOUT, "paid-out", "P", { 'P' }, "shift", "pay cash out of the drawer (amount, a note saying what for)", UI_MODE_DESK, NULL },
    { UI_ACT_CLOSE_SHIFT, "close", "C", { 'C' }, "shift", "close the shift: count the cash blind; the Z report follows the server's answer", UI_MODE_DESK, NULL },
    { UI_ACT_DAY_SHEET, "day sheet", "T", { 'T' }, "shift", "every shift of a day, per currency (managers); \xe2\x86\x90/\xe2\x86\x92 another day", UI_MODE_DESK, NULL },
    { UI_ACT_NEW, "new", "n", { 'n' }, "list, operators", "create a concert (signed-in managers); add an operator", UI_MODE_DESK, NULL },
    { UI_ACT_OPERATORS, "operators", "O", { 'O' }, "everywhere", "operators: who may sign in, their group, disable/enable (managers)", UI_MODE_DESK, &ui_screen_operators },
    { UI_ACT_OP_ENABLE, "disable/enable", "e", { 'e' }, "operators", "disable or enable the selected operator, after a question", UI_MODE_DESK, NULL },
    { UI_ACT_OP_ROLE, "group", "g", { 'g' }, "operators", "change the selected operator's group (manager, cashier, door, kiosk)", UI_MODE_DESK, NULL },
    { UI_ACT_JOURNAL, "journal", "J", { 'J' }, "everywhere", "the journal: every change by day, operator or concert, paged (managers)", UI_MODE_DESK, &ui_screen_journal },
    { UI_ACT_LOCK, "lock", "L/F12", { 'L', UI_KEY_FN(KEY_F(12)) }, "everywhere", "lock the screen: the same operator's password, or another operator, opens it", UI_MODE_DESK, NULL },
    { UI_ACT_REMEMBER, "remember me", "F2", { UI_KEY_FN(KEY_F(2)) }, "sign-in", "keep the session on this computer (a file only you can read) or in memory only", UI_MODE_DESK, NULL },
    { UI_ACT_YES, "yes", "y", { 'y' }, "confirmations", "answer yes (Enter too; Esc or n answers no)", UI_MODES_ALL, NULL },
    { UI_ACT_INSPECTOR, "inspector", "i", { 'i' }, "everywhere", "show or hide the HTTP inspector panel", UI_MODE_DESK, NULL },
    { UI_ACT_HELP, "help", "?/F1", { '?', UI_KEY_FN(KEY_F(1)) }, "everywhere", "show this help", UI_MODES_ALL, &ui_screen_help },
    { UI_ACT_REDRAW, "redraw", "Ctrl-L", { UI_KEY_CTRL('l') }, "everywhere", "repaint the screen", UI_MODES_ALL, NULL },
    { UI_ACT_QUIT, "quit", "q/F10", { 'q', UI_KEY_FN(KEY_F(10)) }, "everywhere", "quit (asks if a form has input; kiosk: needs the PIN)", UI_MODE_DESK, NULL },
    { UI_ACT_MOUSE, "click", "mouse", { UI_KEY_FN(KEY_MOUSE) }, "list", "click selects a row, double-click opens it", UI_MODES_ALL, NULL },
};

const ui_action_def *ui_actions(size_t *n)
{
    *n = sizeof actions / sizeof actions[0];
    return actions;
}

const ui_action_def *ui_action_get(ui_action a)
{
    for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++)
        if (actions[i].action == a)
            return &actions[i];
    return NULL;
}

bool ui_action_offered(ui_action a, ui_mode mode)
{
    const ui_action_def *d = ui_action_get(a);
    return d != NULL && (d->modes & (unsigned)mode) != 0;
}

bool ui_key_is_text(int key)
{
    return !UI_KEY_IS_FN(key) && key >= 0x20 && key != 0x7f && !(key >= 0x80 && key < 0xa0);
}

ui_action ui_action_for_key(int key, bool typing)
{
    if (typing && ui_key_is_text(key))
        return UI_ACT_NONE;
    for (size_t i = 0; i < sizeof actions / sizeof actions[0]; i++)
        for (int k = 0; k < UI_ACTION_KEYS_MAX && actions[i].keys[k] != 0; k++)
            if (actions[i].keys[k] == key)
                return actions[i].action;
    return UI_ACT_NONE;
}
