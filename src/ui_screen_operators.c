/* Operators (managers; `O` from the box office): who may sign in, in which group, enabled or not. `n` adds
 * one (e-mail, display name, group, a temporary password to change at the first sign-in), `e` disables or
 * enables the selected one after a question, `g` changes its group. Every change is a job on the network
 * worker; the list shows what the server answered to that very request (its operator object), and a
 * refusal (403 "... needs the manager group", 409 exists) in the server's words. E-mails are shown masked
 * (bo_operator_mask); the temporary password typed is wiped once sent or when the form closes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api_operators.h"
#include "bo_text.h"
#include "bo_valid.h"
#include "ui_app.h"
#include "ui_curses.h"
#include "ui_screens.h"
#include "ui_signin.h"
#include "ui_text.h"

static const ui_action bar_list[] = { UI_ACT_NEW, UI_ACT_OP_ENABLE, UI_ACT_OP_ROLE, UI_ACT_REFRESH, UI_ACT_BACK,
                                      UI_ACT_HELP, UI_ACT_NONE };
static const ui_action bar_form[] = { UI_ACT_OPEN, UI_ACT_NEXT_FIELD, UI_ACT_BACK, UI_ACT_NONE };
static const ui_action bar_ask[] = { UI_ACT_YES, UI_ACT_BACK, UI_ACT_NONE };

typedef enum ops_mode { OPS_LIST = 0, OPS_ADD, OPS_ROLE, OPS_ASK } ops_mode;
enum { F_EMAIL, F_NAME, F_GROUP, F_PASSWORD };

typedef struct ops_state {
    api_operator_list list;            /* the server's last answer */
    bool loaded;                       /* list holds an answer (else: not known yet) */
    char note[256];                    /* why there is no list (the server's refusal), "" = none */
    size_t sel, top;
    ops_mode mode;
    ui_form form;                      /* OPS_ADD: e-mail, name, group, password; OPS_ROLE: group */
    char target[API_OP_TEXT_MAX];      /* OPS_ROLE, OPS_ASK: the operator's e-mail */
    char target_name[API_OP_TEXT_MAX];
    bool target_enable;                /* OPS_ASK: enable (else disable) */
} ops_state;

static ops_state *st(const ui_app *app)
{
    return ui_screen_state(app, &ui_screen_operators);
}

static const char *check_email(const char *v)
{
    return v[0] == '\0' ? "An e-mail address is required" : bo_valid_email(v);
}

static const char *check_name(const char *v)
{
    api_operator_input in = { .username = "x@example.org", .name = v, .group = "door", .temporary_password = "12345678" };
    return api_operator_input_check(&in);
}

static const char *check_group(const char *v)
{
    return api_operator_group_valid(v) ? NULL : "One of manager, cashier, door, kiosk";
}

static const char *check_password(const char *v)
{
    api_operator_input in = { .username = "x@example.org", .name = "x", .group = "door", .temporary_password = v };
    return api_operator_input_check(&in);
}

static void close_form(ops_state *os)
{
    ui_form_clear(&os->form);          /* wipes the password typed */
    memset(&os->form, 0, sizeof os->form);
    os->mode = OPS_LIST;
}

static bool wipe(ui_app *app, void *state)
{
    (void)app;
    ops_state *os = state;
    close_form(os);
    api_operator_list_clear(&os->list);
    os->loaded = false;
    os->note[0] = '\0';
    os->sel = os->top = 0;
    memset(os->target, 0, sizeof os->target);
    return false;
}

static void load(ui_app *app)
{
    net_job job;
    memset(&job, 0, sizeof job);
    job.kind = NET_JOB_OPERATORS;
    if (!ui_submit_busy(app, &ui_screen_operators, &job, "Loading the operators\xe2\x80\xa6"))
        ui_message(app, true, "Busy \xe2\x80\x94 try again in a moment");
}

static void enter(ui_app *app)
{
    load(app);
}

static void leave(ui_app *app)
{
    close_form(st(app));
}

static bool typing(const ui_app *app)
{
    ops_state *os = st(app);
    return os != NULL && (os->mode == OPS_ADD || os->mode == OPS_ROLE);
}

static bool unsaved(const ui_app *app)
{
    ops_state *os = st(app);
    return os != NULL && os->mode == OPS_ADD && ui_form_has_input(&os->form);
}

static const ui_action *bar_for(const ui_app *app)
{
    ops_state *os = st(app);
    return os == NULL || os->mode == OPS_LIST ? bar_list : os->mode == OPS_ASK ? bar_ask : bar_form;
}

static void draw_list(ui_app *app, ops_state *os, const ui_rect *a, int w)
{
    int x = 3, y = a->y + 1, rows = a->h - 4;
    if (!os->loaded) {
        const char *t = os->note[0] != '\0' ? os->note
                        : app->busy_seq != 0 && app->busy_owner == &ui_screen_operators ? "Loading\xe2\x80\xa6"
                                                                                           : "Not known yet (r loads it)";
        ui_draw_text(y + 1, x, w - 2, t, ui_attr(app, os->note[0] != '\0' ? UI_A_ERROR : UI_A_DIM), false);
        return;
    }
    int wn = w - 2 - 27 - 11 - 25; /* the name's column: what the e-mail, group and state leave, 10..30 */
    if (wn > 30)
        wn = 30;
    if (wn < 10)
        wn = 10;
    char head[256];
    snprintf(head, sizeof head, "%-*s %-26s %-10s %s", wn, "Name", "E-mail", "Group", "State");
    ui_draw_text(y++, x, w - 2, head, ui_attr(app, UI_A_HEADER), false);
    if (os->list.n == 0)
        ui_draw_text(y, x, w - 2, "No operators.", ui_attr(app, UI_A_DIM), false);
    if (os->sel >= os->list.n && os->list.n > 0)
        os->sel = os->list.n - 1;
    if (os->sel < os->top)
        os->top = os->sel;
    if (rows > 0 && os->sel >= os->top + (size_t)rows)
        os->top = os->sel - (size_t)rows + 1;
    for (size_t i = os->top; i < os->list.n && y < a->y + 1 + rows + 1; i++, y++) {
        const bo_operator *o = &os->list.ops[i];
        char mask[API_OP_TEXT_MAX + 8];
        bo_operator_mask(o->username, mask, sizeof mask);
        bool selected = i == os->sel;
        int attr = selected ? ui_attr(app, UI_A_SELECTED) : 0;
        int cx = x;
        ui_draw_text(y, cx, w - 2, "", attr, false);
        ui_draw_text(y, cx, wn, o->name[0] != '\0' ? o->name : "-", attr, false);
        cx += wn + 1;
        ui_draw_text(y, cx, 26, mask, attr, false);
        cx += 27;
        ui_draw_text(y, cx, 10, o->group[0] != '\0' ? o->group : "-", attr, false);
        cx += 11;
        char state[64];
        snprintf(state, sizeof state, "%s%s", o->enabled ? "enabled" : "DISABLED",
                 strcmp(o->status, "FORCE_CHANGE_PASSWORD") == 0 ? " (new password)" : "");
        ui_draw_text(y, cx, w - 2 - (cx - x), state, o->enabled ? attr : (selected ? attr : ui_attr(app, UI_A_SOLDOUT)),
                     false);
    }
}

static void draw(ui_app *app, const ui_rect *a)
{
    ops_state *os = st(app);
    int w = a->w - 4 > 100 ? 100 : a->w - 4;
    int x = 3;
    if (os->mode == OPS_ADD || os->mode == OPS_ROLE) {
        char title[API_OP_TEXT_MAX + 32];
        snprintf(title, sizeof title, os->mode == OPS_ADD ? "New operator" : "Group of %s", os->target_name);
        ui_draw_box(app, a->y, 1, a->h, w + 2, title);
        int rows = ui_form_rows_fit(&os->form, a->h - 3);
        ui_form_draw_rows(app, &os->form, a->y + 1, x, w - 2, rows);
        ui_draw_text(a->y + a->h - 2, x, w - 2,
                     os->mode == OPS_ADD ? "Enter: next field / add on the last \xc2\xb7 Esc: cancel"
                                         : "manager, cashier, door or kiosk \xc2\xb7 Enter: change \xc2\xb7 Esc: cancel",
                     ui_attr(app, UI_A_DIM), false);
        return;
    }
    ui_draw_box(app, a->y, 1, a->h, w + 2, "Operators");
    draw_list(app, os, a, w);
    if (os->mode == OPS_ASK) {
        char q[API_OP_TEXT_MAX + 64];
        snprintf(q, sizeof q, "%s %s? y: yes \xc2\xb7 Esc: no", os->target_enable ? "Enable" : "Disable",
                 os->target_name);
        ui_draw_text(a->y + a->h - 2, x, w - 2, q, ui_attr(app, UI_A_TITLE), false);
    } else if (os->loaded) {
        ui_draw_text(a->y + a->h - 2, x, w - 2, "n: add \xc2\xb7 e: disable/enable \xc2\xb7 g: group \xc2\xb7 r: reload",
                     ui_attr(app, UI_A_DIM), false);
    }
}

static const bo_operator *selected(const ops_state *os)
{
    return os->loaded && os->sel < os->list.n ? &os->list.ops[os->sel] : NULL;
}

static void submit_op(ui_app *app, ops_state *os, net_op_action action)
{
    net_job job;
    memset(&job, 0, sizeof job);
    job.kind = NET_JOB_OPERATOR;
    net_op_req *q = &job.req.op;
    q->action = action;
    const char *label = "Changing\xe2\x80\xa6";
    if (action == NET_OP_ADD) {
        bo_utf8_copy(q->username, sizeof q->username, os->form.f[F_EMAIL].value);
        char *name = bo_text_trim_dup(os->form.f[F_NAME].value);
        bo_utf8_copy(q->name, sizeof q->name, name != NULL ? name : os->form.f[F_NAME].value);
        free(name);
        bo_utf8_copy(q->group, sizeof q->group, os->form.f[F_GROUP].value);
        bo_utf8_copy(q->temp_password, sizeof q->temp_password, os->form.f[F_PASSWORD].value);
        label = "Adding the operator\xe2\x80\xa6";
    } else {
        bo_utf8_copy(q->username, sizeof q->username, os->target);
        if (action == NET_OP_ROLE)
            bo_utf8_copy(q->group, sizeof q->group, os->form.f[0].value);
    }
    bool ok = ui_submit_busy(app, &ui_screen_operators, &job, label);
    memset(&job, 0, sizeof job); /* the password */
    if (!ok) {
        ui_message(app, true, "Busy \xe2\x80\x94 try again in a moment");
        return;
    }
    close_form(os);
}

static int form_key(ui_app *app, ops_state *os, ui_action act, int k)
{
    if (act == UI_ACT_BACK) {
        close_form(os);
        return UI_HANDLED | UI_REDRAW;
    }
    if (os->form.focus == F_GROUP && os->mode == OPS_ADD && act == UI_ACT_NONE && k >= 'A' && k <= 'Z')
        k += 'a' - 'A';
    bool complete;
    int flags = ui_form_screen_key(app, &os->form, act, k, &complete);
    if (complete)
        submit_op(app, os, os->mode == OPS_ADD ? NET_OP_ADD : NET_OP_ROLE);
    return flags;
}

static int key(ui_app *app, ui_action act, int k)
{
    ops_state *os = st(app);
    if (app->busy_seq != 0 && app->busy_owner == &ui_screen_operators)
        return act == UI_ACT_HELP || act == UI_ACT_QUIT || act == UI_ACT_REDRAW || act == UI_ACT_LOCK ? UI_UNHANDLED
                                                                                                     : UI_HANDLED;
    if (os->mode == OPS_ADD || os->mode == OPS_ROLE)
        return form_key(app, os, act, k);
    if (os->mode == OPS_ASK) {
        if (act == UI_ACT_YES || act == UI_ACT_OPEN)
            submit_op(app, os, os->target_enable ? NET_OP_ENABLE : NET_OP_DISABLE);
        else if (act == UI_ACT_BACK || k == 'n')
            os->mode = OPS_LIST;
        else
            return UI_HANDLED;
        return UI_HANDLED | UI_REDRAW;
    }
    const bo_operator *o = selected(os);
    switch (act) {
    case UI_ACT_UP:
        if (os->sel > 0)
            os->sel--;
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_DOWN:
        if (os->sel + 1 < os->list.n)
            os->sel++;
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_HOME:
        os->sel = 0;
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_END:
        os->sel = os->list.n > 0 ? os->list.n - 1 : 0;
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_REFRESH:
        load(app);
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_NEW:
        memset(&os->form, 0, sizeof os->form);
        ui_form_add(&os->form, "E-mail", "name@example.org", check_email, false);
        ui_form_add(&os->form, "Name", "shown on screens and in the journal", check_name, false);
        ui_form_add(&os->form, "Group", "manager, cashier, door or kiosk", check_group, false);
        ui_form_add(&os->form, "Temp. password", "8+ characters, changed at the first sign-in", check_password, true);
        os->mode = OPS_ADD;
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_OP_ENABLE:
    case UI_ACT_OP_ROLE:
        if (o == NULL)
            return UI_HANDLED;
        bo_utf8_copy(os->target, sizeof os->target, o->username);
        bo_utf8_copy(os->target_name, sizeof os->target_name, o->name[0] != '\0' ? o->name : "-");
        if (act == UI_ACT_OP_ENABLE) {
            os->target_enable = !o->enabled;
            os->mode = OPS_ASK;
        } else {
            memset(&os->form, 0, sizeof os->form);
            ui_form_add(&os->form, "Group", "manager, cashier, door or kiosk", check_group, false);
            bo_utf8_copy(os->form.f[0].value, sizeof os->form.f[0].value, o->group);
            os->mode = OPS_ROLE;
        }
        return UI_HANDLED | UI_REDRAW;
    case UI_ACT_BACK:
        ui_pop(app);
        return UI_HANDLED | UI_REDRAW;
    default:
        return UI_UNHANDLED;
    }
}

/* The operator the server answered replaces the row of the same sub, or is added. */
static void put_operator(ops_state *os, bo_operator *o)
{
    for (size_t i = 0; i < os->list.n; i++)
        if (strcmp(os->list.ops[i].sub, o->sub) == 0) {
            bo_operator_clear(&os->list.ops[i]);
            os->list.ops[i] = *o;
            os->sel = i;
            memset(o, 0, sizeof *o);
            return;
        }
    bo_operator *grown = realloc(os->list.ops, (os->list.n + 1) * sizeof *grown);
    if (grown == NULL)
        return; /* the list misses it until reloaded; the message says what happened */
    os->list.ops = grown;
    os->list.ops[os->list.n] = *o;
    os->sel = os->list.n++;
    memset(o, 0, sizeof *o);
}

static int result(ui_app *app, net_result *r)
{
    ops_state *os = st(app);
    if (ui_signin_after_401(app, r))
        return UI_REDRAW;
    const char *msg = r->res.message[0] != '\0' ? r->res.message : api_status_message(r->status);
    if (r->kind == NET_JOB_OPERATORS) {
        if (r->status != API_OK) {
            api_operator_list_clear(&os->list);
            os->loaded = false;
            bo_utf8_copy(os->note, sizeof os->note, msg);
            ui_message(app, true, "%s", msg);
            return UI_REDRAW;
        }
        api_operator_list_clear(&os->list);
        os->list = r->out.operators; /* moved */
        memset(&r->out.operators, 0, sizeof r->out.operators);
        os->loaded = true;
        os->note[0] = '\0';
        return UI_REDRAW;
    }
    if (r->kind != NET_JOB_OPERATOR)
        return 0;
    if (r->status != API_OK) {
        ui_message(app, true, "Not changed: %s", msg);
        return UI_REDRAW;
    }
    bo_operator *o = &r->out.op;
    char mask[API_OP_TEXT_MAX + 8];
    bo_operator_mask(o->username, mask, sizeof mask);
    ui_message(app, false, "%s (%s): group %s, %s", o->name[0] != '\0' ? o->name : "-", mask, o->group,
               o->enabled ? "enabled" : "disabled");
    if (os->loaded)
        put_operator(os, o);
    return UI_REDRAW;
}

const ui_screen_ops ui_screen_operators = {
    .title = "Operators",
    .bar = bar_list,
    .private_size = sizeof(ops_state),
    .wipe = wipe,
    .enter = enter,
    .draw = draw,
    .key = key,
    .leave = leave,
    .typing = typing,
    .bar_for = bar_for,
    .unsaved = unsaved,
    .result = result,
};
