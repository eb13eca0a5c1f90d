/* Text-entry forms; see include/ui_form.h. */
#include "ui_form.h"

#include <string.h>

#include "ui_actions.h"
#include "ui_text.h"

int ui_form_add(ui_form *form, const char *label, const char *hint, ui_field_check check, bool secret)
{
    if (form->n >= UI_FORM_FIELDS_MAX)
        return -1;
    ui_field *f = &form->f[form->n];
    memset(f, 0, sizeof *f);
    f->label = label;
    f->hint = hint;
    f->check = check;
    f->secret = secret;
    return form->n++;
}

void ui_form_check_with(ui_form *form, int i, ui_field_check_with check, const void *ctx)
{
    if (i < 0 || i >= form->n)
        return;
    form->f[i].check_with = check;
    form->f[i].check_ctx = ctx;
}

bool ui_field_has_rule(const ui_field *f)
{
    return f->check_with != NULL || f->check != NULL;
}

const char *ui_field_verdict(const ui_field *f)
{
    if (f->check_with != NULL)
        return f->check_with(f->value, f->check_ctx);
    return f->check != NULL ? f->check(f->value) : NULL;
}

void ui_form_clear(ui_form *form)
{
    for (int i = 0; i < form->n; i++) {
        memset(form->f[i].value, 0, sizeof form->f[i].value);
        form->f[i].tried = false;
    }
    form->focus = 0;
    form->submitted = false;
}

bool ui_form_has_input(const ui_form *form)
{
    for (int i = 0; i < form->n; i++)
        if (form->f[i].value[0] != '\0')
            return true;
    return false;
}

const char *ui_form_error(const ui_form *form, int i)
{
    const ui_field *f = &form->f[i];
    if (!ui_field_has_rule(f))
        return NULL;
    if (f->value[0] == '\0' && !form->submitted && !f->tried)
        return NULL; /* untouched: no complaint yet */
    return ui_field_verdict(f);
}

int ui_form_first_invalid(const ui_form *form)
{
    for (int i = 0; i < form->n; i++)
        if (ui_field_verdict(&form->f[i]) != NULL)
            return i;
    return -1;
}

bool ui_form_may_leave(ui_form *form)
{
    if (form->n == 0)
        return true;
    ui_field *f = &form->f[form->focus];
    if (ui_field_verdict(f) == NULL)
        return true;
    f->tried = true;
    return false;
}

bool ui_form_key(ui_form *form, int action, int key)
{
    if (form->n == 0)
        return false;
    ui_field *f = &form->f[form->focus];
    switch (action) {
    case UI_ACT_ERASE:
        return ui_text_erase_last(f->value);
    case UI_ACT_NEXT_FIELD:
    case UI_ACT_DOWN:
        form->focus = (form->focus + 1) % form->n;
        return true;
    case UI_ACT_PREV_FIELD:
    case UI_ACT_UP:
        form->focus = (form->focus + form->n - 1) % form->n;
        return true;
    case UI_ACT_NONE:
        if (ui_key_is_text(key))
            return ui_text_append(f->value, sizeof f->value, (uint32_t)key);
        return false;
    default:
        return false;
    }
}
