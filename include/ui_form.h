#ifndef UI_FORM_H
#define UI_FORM_H
/* Text-entry forms of the box office (purchase, create concert, PIN): fields with a label, a UTF-8
 * value edited at its end, and a validation rule checked as the operator types. Drawing is in
 * ui_form_draw; the rest is pure. Values may be customer data: ui_form_clear wipes them. */
#include <stdbool.h>
#include <stddef.h>

#include "net_worker.h"

#define UI_FIELD_MAX NET_TEXT_MAX /* bytes of a form value: what a job carries */

#define UI_FORM_FIELDS_MAX 8

/* Returns NULL when value is valid, else a static message (the bo_valid_* rules). */
typedef const char *(*ui_field_check)(const char *value);
/* The same for a rule that also reads something else (another field of the form: ctx). */
typedef const char *(*ui_field_check_with)(const char *value, const void *ctx);

typedef struct ui_field {
    const char *label;
    const char *hint;        /* shown while empty, e.g. "YYYY-MM-DD"; may be NULL */
    ui_field_check check;    /* may be NULL */
    ui_field_check_with check_with; /* used instead of check when set (ui_form_check_with) */
    const void *check_ctx;   /* handed to check_with; owned by the screen, outlives the form */
    bool secret;             /* drawn as '*' (PIN) */
    bool tried;              /* leaving it was refused: its message shows even while it is empty */
    char value[UI_FIELD_MAX];
} ui_field;

typedef struct ui_form {
    ui_field f[UI_FORM_FIELDS_MAX];
    int n;
    int focus;
    bool submitted;          /* a submit was tried: show errors of empty fields too */
    bool compact;            /* drawn 2 rows per field instead of 3 (a long form at 80x24) */
} ui_form;

/* Adds a field; returns its index. */
int ui_form_add(ui_form *form, const char *label, const char *hint, ui_field_check check, bool secret);
/* Gives field i a rule that reads ctx too (e.g. the date reads the time zone field's value). */
void ui_form_check_with(ui_form *form, int i, ui_field_check_with check, const void *ctx);
/* The field's rule applied to its value: NULL when valid or when it has no rule. */
const char *ui_field_verdict(const ui_field *f);
bool ui_field_has_rule(const ui_field *f);
void ui_form_clear(ui_form *form);           /* wipes every value (customer data), focus to the first field */
bool ui_form_has_input(const ui_form *form); /* any value non-empty */
const char *ui_form_error(const ui_form *form, int i); /* the field's current message or NULL */
int ui_form_first_invalid(const ui_form *form);        /* index, or -1 when every field is valid */

/* Whether the focused field may be left for the next one: true when its rule accepts its value; else
 * the field is marked (ui_form_error then names the problem even for an empty value) and stays focused. */
bool ui_form_may_leave(ui_form *form);

/* Applies a key to the focused field: text, erase, field movement. Returns true when the form changed. */
bool ui_form_key(ui_form *form, int action, int key);

#endif
