/* The screen stack and each screen's own state (ui_screen_ops.private_size, as tig's view_ops): allocated
 * zeroed when a screen first opens, kept while the program runs, wiped on a kiosk's idle reset, freed at
 * exit; a screen whose state cannot be made does not open. Fake screens, no terminal. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "ui_app.h"

typedef struct fake_state {
    int opened;            /* enter calls */
    char customer[32];     /* stands for customer data */
} fake_state;

static int inits, wipes, finis, leaves;
static bool fail_init;

static int fake_init(ui_app *app, void *state)
{
    (void)app;
    (void)state;
    inits++;
    return fail_init ? -1 : 0;
}
static bool fake_wipe(ui_app *app, void *state)
{
    (void)app;
    fake_state *fs = state;
    wipes++;
    bool had = fs->customer[0] != '\0';
    memset(fs->customer, 0, sizeof fs->customer);
    return had;
}
static void fake_fini(void *state)
{
    (void)state;
    finis++;
}
static void fake_draw(ui_app *app, const ui_rect *a)
{
    (void)app;
    (void)a;
}
static int fake_key(ui_app *app, ui_action act, int k)
{
    (void)app;
    (void)act;
    (void)k;
    return UI_UNHANDLED;
}

static const ui_screen_ops fake_bottom = {
    .title = "bottom", .private_size = sizeof(fake_state), .wipe = fake_wipe, .draw = fake_draw, .key = fake_key,
};
static void form_enter(ui_app *app);
static void form_leave(ui_app *app);
static const ui_screen_ops fake_form = {
    .title = "form", .private_size = sizeof(fake_state), .init = fake_init, .wipe = fake_wipe, .fini = fake_fini,
    .enter = form_enter, .leave = form_leave, .draw = fake_draw, .key = fake_key,
};
static void form_enter(ui_app *app)
{
    fake_state *fs = ui_screen_state(app, &fake_form);
    assert_non_null(fs); /* allocated before enter runs */
    fs->opened++;
}
static void form_leave(ui_app *app)
{
    (void)app;
    leaves++;
}

static int setup(void **state)
{
    inits = wipes = finis = leaves = 0;
    fail_init = false;
    ui_app *app = calloc(1, sizeof *app);
    assert_non_null(app);
    assert_int_equal(net_inspector_init(&app->inspector), 0);
    *state = app;
    return 0;
}

static int teardown(void **state)
{
    ui_app *app = *state;
    ui_screens_free(app);
    net_inspector_destroy(&app->inspector);
    free(app);
    return 0;
}

static void state_is_made_on_first_open_and_kept_until_exit(void **state)
{
    ui_app *app = *state;
    assert_null(ui_screen_state(app, &fake_form)); /* never opened */
    assert_true(ui_push(app, &fake_bottom));
    assert_true(ui_push(app, &fake_form));
    fake_state *fs = ui_screen_state(app, &fake_form);
    assert_non_null(fs);
    assert_int_equal(inits, 1);
    assert_int_equal(fs->opened, 1);
    ui_pop(app);
    assert_int_equal(leaves, 1);
    assert_int_equal(app->depth, 1);
    assert_true(ui_push(app, &fake_form));
    assert_ptr_equal(ui_screen_state(app, &fake_form), fs); /* the same state, not made again */
    assert_int_equal(inits, 1);
    assert_int_equal(fs->opened, 2);
    assert_ptr_not_equal(ui_screen_state(app, &fake_bottom), fs); /* each screen its own */
    ui_screens_free(app);
    assert_int_equal(finis, 1);
    assert_int_equal(wipes, 2); /* customer data forgotten before it is freed */
    assert_null(ui_screen_state(app, &fake_form));
}

static void a_screen_whose_state_cannot_be_made_does_not_open(void **state)
{
    ui_app *app = *state;
    assert_true(ui_push(app, &fake_bottom));
    fail_init = true;
    assert_false(ui_push(app, &fake_form));
    assert_int_equal(app->depth, 1);
    assert_null(ui_screen_state(app, &fake_form));
    assert_int_equal(finis, 1); /* what init made is freed */
    assert_true(app->msg_error);
    assert_non_null(strstr(app->msg, "form"));
}

static void idle_reset_closes_the_screens_and_wipes_every_state(void **state)
{
    ui_app *app = *state;
    assert_true(ui_push(app, &fake_bottom));
    assert_true(ui_push(app, &fake_form));
    fake_state *bottom = ui_screen_state(app, &fake_bottom), *form = ui_screen_state(app, &fake_form);
    strcpy(bottom->customer, "filter");
    strcpy(form->customer, "Jane <jane@example.com>");
    assert_true(ui_idle_reset(app));
    assert_int_equal(app->depth, 1);
    assert_int_equal(leaves, 1);
    assert_string_equal(bottom->customer, "");
    assert_string_equal(form->customer, "");
    /* nothing left to reset: nothing happens */
    assert_false(ui_idle_reset(app));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(state_is_made_on_first_open_and_kept_until_exit, setup, teardown),
        cmocka_unit_test_setup_teardown(a_screen_whose_state_cannot_be_made_does_not_open, setup, teardown),
        cmocka_unit_test_setup_teardown(idle_reset_closes_the_screens_and_wipes_every_state, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
