/* The Operators, Journal and sign-in screens drawn into a real curses screen (newterm on /dev/null, 80x24)
 * and read back as text: the real screens and the real network worker against the scripted HTTP stub, the
 * sign-in against a fake auth port. What is drawn is what the server (or the port) answered; e-mails are
 * masked; a password never shows; a lock shows nothing of the screen beneath; a 401 opens the sign-in. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <locale.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "bo_clock.h"
#include "http_stub.h"
#include "ui_app.h"
#include "ui_curses.h"
#include "ui_frame.h"
#include "ui_screens.h"
#include "ui_signin.h"

#define OP(sub, user, name, group, enabled) "{\"sub\":\"" sub "\",\"username\":\"" user "\",\"name\":\"" name "\"," \
    "\"group\":\"" group "\",\"enabled\":" enabled ",\"status\":\"CONFIRMED\"}"
#define ENTRY(id, at, type, extra) "{\"id\":\"" id "\",\"at\":\"" at "\",\"day\":\"2026-12-07\"," \
    "\"type\":\"" type "\",\"operator\":{\"sub\":\"s-1\",\"name\":\"Ana\"}" extra "}"

/* ---- a fake auth port ---- */
typedef struct fake_auth {
    int signins, new_passwords;
    bool challenge;              /* the next sign-in answers NEW_PASSWORD_REQUIRED */
    bool signed_in;
    char last_user[128], last_password[128];
    net_identity who;
} fake_auth;

static net_auth_status fake_signin(void *ctx, const char *user, const char *password, bool remember, char *err, size_t cap)
{
    (void)remember;
    fake_auth *f = ctx;
    f->signins++;
    snprintf(f->last_user, sizeof f->last_user, "%s", user);
    snprintf(f->last_password, sizeof f->last_password, "%s", password);
    if (strcmp(password, "right") != 0 && strcmp(password, "temp-pw") != 0) {
        snprintf(err, cap, "Incorrect username or password.");
        return NET_AUTH_REFUSED;
    }
    if (f->challenge) {
        f->challenge = false;
        return NET_AUTH_NEW_PASSWORD;
    }
    f->signed_in = true;
    return NET_AUTH_OK;
}

static net_auth_status fake_new_password(void *ctx, const char *password, bool remember, char *err, size_t cap)
{
    (void)remember;
    (void)err;
    (void)cap;
    fake_auth *f = ctx;
    f->new_passwords++;
    snprintf(f->last_password, sizeof f->last_password, "%s", password);
    f->signed_in = true;
    return NET_AUTH_OK;
}

static bool fake_identity(void *ctx, net_identity *out)
{
    fake_auth *f = ctx;
    if (!f->signed_in)
        return false;
    *out = f->who;
    return true;
}

typedef struct fixture {
    http_stub *stub;
    ui_options opts;
    ui_app *app;
    fake_auth fa;
    net_auth_port port;
    SCREEN *scr;
    FILE *out, *in;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->stub = stub_start();
    assert_non_null(f->stub);
    f->opts.api = (api_config){ .base_url = stub_base_url(f->stub), .purchase_attempts = 1 };
    f->fa.who = (net_identity){ .sub = "s-1", .name = "Ana", .email_masked = "an\xe2\x80\xa6@example.org",
                                .groups = "manager" };
    f->port = (net_auth_port){ .ctx = &f->fa, .signin = fake_signin, .new_password = fake_new_password,
                               .identity = fake_identity };
    f->app = calloc(1, sizeof *f->app);
    assert_non_null(f->app);
    f->app->opts = &f->opts;
    f->app->now = bo_clock_mono_s();
    f->app->last_input = f->app->now;
    f->app->worker = net_worker_start(&f->opts.api, NULL, NULL);
    assert_non_null(f->app->worker);
    f->out = fopen("/dev/null", "w");
    f->in = fopen("/dev/null", "r");
    f->scr = newterm("xterm", f->out, f->in);
    assert_non_null(f->scr);
    resize_term(24, 80);
    setenv("BOXOFFICE_TERMINAL", "window-2", 1);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    assert_true(net_worker_stop(f->app->worker, -1));
    ui_screens_free(f->app);
    bo_concert_clear(&f->app->current);
    bo_concert_list_clear(&f->app->cat.data);
    free(f->app);
    endwin();
    delscreen(f->scr);
    fclose(f->out);
    fclose(f->in);
    stub_stop(f->stub);
    free(f);
    return 0;
}

/* Hands the next finished job to the screen that asked, as the loop does (busy job or pending). */
static void deliver_one(fixture *f)
{
    net_result r;
    memset(&r, 0, sizeof r);
    bool got = false;
    for (int i = 0; i < 200 && !(got = net_worker_poll(f->app->worker, &r)); i++) {
        struct pollfd p = { .fd = net_worker_wake_fd(f->app->worker), .events = POLLIN };
        poll(&p, 1, 50);
    }
    assert_true(got);
    ui_app *app = f->app;
    ui_signin_after_401(app, &r);
    int flags = 0;
    if (ui_catalogue_result(app, &r, &flags)) { /* the catalogue's own job */
        net_result_clear(&r);
        return;
    }
    if (r.seq == app->busy_seq) {
        const ui_screen_ops *owner = app->busy_owner;
        app->busy_seq = 0;
        app->busy_owner = NULL;
        owner->result(app, &r);
    } else {
        bool found = false;
        for (int i = 0; i < UI_PENDING_MAX; i++)
            if (app->pending[i].seq == r.seq) {
                const ui_screen_ops *owner = app->pending[i].owner;
                app->pending[i].seq = 0;
                owner->result(app, &r);
                found = true;
                break;
            }
        assert_true(found);
    }
    net_result_clear(&r);
}

/* The whole screen as UTF-8 text, a '\n' after each row. */
static char *dump(fixture *f)
{
    ui_frame_draw(f->app);
    size_t cap = (size_t)LINES * ((size_t)COLS * 4 + 1) + 1, n = 0;
    char *s = calloc(1, cap);
    assert_non_null(s);
    for (int y = 0; y < LINES; y++) {
        wchar_t row[512];
        mvinnwstr(y, 0, row, COLS);
        char mb[2048];
        size_t k = wcstombs(mb, row, sizeof mb - 1);
        if (k == (size_t)-1)
            k = 0;
        mb[k] = '\0';
        n += (size_t)snprintf(s + n, cap - n, "%s\n", mb);
    }
    if (getenv("TEST_DUMP") != NULL) /* to look at the screens: TEST_DUMP=1 */
        fprintf(stderr, "%s--------\n", s);
    return s;
}

static void type(fixture *f, const char *text)
{
    const ui_screen_ops *s = f->app->gate != NULL ? f->app->gate : ui_top(f->app);
    for (const char *p = text; *p != '\0'; p++)
        s->key(f->app, UI_ACT_NONE, (unsigned char)*p);
}

static void press(fixture *f, ui_action act, int k)
{
    const ui_screen_ops *s = f->app->gate != NULL ? f->app->gate : ui_top(f->app);
    s->key(f->app, act, k);
}

static void operators_are_listed_masked_and_a_disable_shows_the_servers_answer(void **state)
{
    fixture *f = *state;
    stub_push(f->stub, 200, "{\"operators\":[" OP("s-1", "ana@example.org", "Ana", "manager", "true") ","
                            OP("s-2", "bo@example.org", "Bo", "cashier", "true") "]}");
    assert_true(ui_push(f->app, &ui_screen_operators));
    char *d = dump(f);
    assert_non_null(strstr(d, "Loading")); /* not known yet: not drawn as empty */
    free(d);
    deliver_one(f);
    d = dump(f);
    assert_non_null(strstr(d, "Operators"));
    assert_non_null(strstr(d, "an\xe2\x80\xa6@example.org"));
    assert_null(strstr(d, "ana@example.org"));
    assert_non_null(strstr(d, "cashier"));
    free(d);
    press(f, UI_ACT_DOWN, 'j');
    press(f, UI_ACT_OP_ENABLE, 'e');
    d = dump(f);
    assert_non_null(strstr(d, "Disable Bo? y: yes"));
    free(d);
    stub_push(f->stub, 200, OP("s-2", "bo@example.org", "Bo", "cashier", "false"));
    press(f, UI_ACT_YES, 'y');
    deliver_one(f);
    assert_string_equal(stub_request_at(f->stub, 1)->path, "/dev/operators/bo%40example.org/disable");
    d = dump(f);
    assert_non_null(strstr(d, "DISABLED"));
    assert_non_null(strstr(d, "Bo (bo\xe2\x80\xa6@example.org): group cashier, disabled")); /* the status line */
    free(d);
    /* a refusal: the server's own words, and the list as it was */
    press(f, UI_ACT_OP_ROLE, 'g');
    d = dump(f);
    assert_non_null(strstr(d, "Group of Bo"));
    free(d);
    for (int i = 0; i < 8; i++)
        press(f, UI_ACT_ERASE, 127);
    type(f, "door");
    stub_push(f->stub, 403, "{\"error\":\"changing a role needs the manager group\"}");
    press(f, UI_ACT_OPEN, '\n');
    deliver_one(f);
    assert_string_equal(stub_request_at(f->stub, 2)->body, "{\"group\":\"door\"}");
    d = dump(f);
    assert_non_null(strstr(d, "Not changed: changing a role needs the manager group"));
    free(d);
}

static void operators_add_sends_the_form_and_the_password_never_shows(void **state)
{
    fixture *f = *state;
    stub_push(f->stub, 200, "{\"operators\":[]}");
    assert_true(ui_push(f->app, &ui_screen_operators));
    deliver_one(f);
    press(f, UI_ACT_NEW, 'n');
    type(f, "nina@example.org");
    press(f, UI_ACT_OPEN, '\n');
    type(f, "Nina");
    press(f, UI_ACT_OPEN, '\n');
    type(f, "DOOR"); /* typed in any case */
    press(f, UI_ACT_OPEN, '\n');
    type(f, "Secret-123");
    char *d = dump(f);
    assert_null(strstr(d, "Secret-123"));
    assert_non_null(strstr(d, "New operator"));
    free(d);
    stub_push(f->stub, 201, OP("s-9", "nina@example.org", "Nina", "door", "true"));
    press(f, UI_ACT_OPEN, '\n');
    deliver_one(f);
    assert_non_null(strstr(stub_request_at(f->stub, 1)->body, "\"temporaryPassword\":\"Secret-123\""));
    assert_non_null(strstr(stub_request_at(f->stub, 1)->body, "\"group\":\"door\""));
    d = dump(f);
    assert_non_null(strstr(d, "Nina"));
    assert_non_null(strstr(d, "ni\xe2\x80\xa6@example.org"));
    free(d);
}

static void operators_403_shows_the_servers_message_instead_of_a_list(void **state)
{
    fixture *f = *state;
    stub_push(f->stub, 403, "{\"error\":\"operators need the manager group\"}");
    assert_true(ui_push(f->app, &ui_screen_operators));
    deliver_one(f);
    char *d = dump(f);
    assert_non_null(strstr(d, "operators need the manager group"));
    assert_null(strstr(d, "No operators"));
    free(d);
}

static void journal_shows_a_page_and_turns_pages_with_the_cursor(void **state)
{
    fixture *f = *state;
    stub_push(f->stub, 200, "{\"entries\":["
        ENTRY("j-1", "2026-12-07T09:00:00.000Z", "shift.opened", ",\"terminal\":\"window-2\",\"currency\":\"EUR\",\"amount\":\"100.00\"") ","
        ENTRY("j-2", "2026-12-07T09:05:30.000Z", "order.created", ",\"currency\":\"EUR\",\"amount\":\"1234.50\",\"detail\":\"cash\"")
        "],\"cursor\":\"p2\"}");
    assert_true(ui_push(f->app, &ui_screen_journal));
    deliver_one(f);
    assert_non_null(strstr(stub_request_at(f->stub, 0)->path, "/dev/journal?day=20"));
    assert_non_null(strstr(stub_request_at(f->stub, 0)->path, "&limit=50"));
    char *d = dump(f);
    assert_non_null(strstr(d, "page 1"));
    assert_non_null(strstr(d, "09:05:30 order.created"));
    assert_non_null(strstr(d, "1,234.50 EUR"));
    assert_non_null(strstr(d, "PgDn: next page"));
    free(d);
    stub_push(f->stub, 200, "{\"entries\":[" ENTRY("j-3", "2026-12-07T10:00:00.000Z", "checkin", "") "]}");
    press(f, UI_ACT_PGDN, 0);
    deliver_one(f);
    assert_non_null(strstr(stub_request_at(f->stub, 1)->path, "&cursor=p2"));
    d = dump(f);
    assert_non_null(strstr(d, "page 2"));
    assert_non_null(strstr(d, "checkin"));
    assert_null(strstr(d, "order.created"));
    assert_non_null(strstr(d, "last page"));
    free(d);
    /* back to page 1 with its own cursor (none) */
    stub_push(f->stub, 200, "{\"entries\":[" ENTRY("j-1", "2026-12-07T09:00:00.000Z", "shift.opened", "") "],\"cursor\":\"p2\"}");
    press(f, UI_ACT_PGUP, 0);
    deliver_one(f);
    assert_null(strstr(stub_request_at(f->stub, 2)->path, "cursor="));
    d = dump(f);
    assert_non_null(strstr(d, "page 1"));
    free(d);
    /* Enter: that entry's operator of the day */
    stub_push(f->stub, 200, "{\"entries\":[]}");
    press(f, UI_ACT_OPEN, '\n');
    deliver_one(f);
    assert_non_null(strstr(stub_request_at(f->stub, 3)->path, "&operator=s-1"));
    d = dump(f);
    assert_non_null(strstr(d, "\xc2\xb7 Ana \xc2\xb7 page 1"));
    assert_non_null(strstr(d, "No entries."));
    free(d);
    /* a refusal: the server's words */
    stub_push(f->stub, 403, "{\"error\":\"the journal needs the manager group\"}");
    press(f, UI_ACT_REFRESH, 'r');
    deliver_one(f);
    d = dump(f);
    assert_non_null(strstr(d, "the journal needs the manager group"));
    free(d);
}

static void signin_with_the_new_password_challenge_then_the_header_names_the_operator(void **state)
{
    fixture *f = *state;
    f->opts.auth = &f->port;
    f->fa.challenge = true;
    assert_true(ui_push(f->app, &ui_screen_operators)); /* beneath: never shown while signing in */
    stub_push(f->stub, 200, "{\"operators\":[" OP("s-1", "ana@example.org", "Ana", "manager", "true") "]}");
    deliver_one(f);
    ui_signin_start(f->app);
    char *d = dump(f);
    assert_non_null(strstr(d, "Checking who is signed in"));
    free(d);
    deliver_one(f); /* nobody: the form */
    d = dump(f);
    assert_non_null(strstr(d, "Sign in"));
    assert_non_null(strstr(d, "E-mail"));
    assert_non_null(strstr(d, "Remember me"));
    assert_null(strstr(d, "Operators")); /* nothing of the screen beneath */
    free(d);
    resize_term(20, 60); /* the smallest screen the kiosk's screens work in */
    d = dump(f);
    assert_non_null(strstr(d, "Password"));
    assert_non_null(strstr(d, "Remember me"));
    assert_non_null(strstr(d, "Terminal window-2"));
    assert_null(strstr(d, "Terminal too small"));
    free(d);
    resize_term(24, 80);
    type(f, "ana@example.org");
    press(f, UI_ACT_OPEN, '\n');
    type(f, "wrong");
    d = dump(f);
    assert_null(strstr(d, "wrong"));
    free(d);
    press(f, UI_ACT_OPEN, '\n');
    deliver_one(f);
    d = dump(f);
    assert_non_null(strstr(d, "Incorrect username or password."));
    free(d);
    type(f, "temp-pw");
    press(f, UI_ACT_REMEMBER, UI_KEY_FN(KEY_F(2)));
    press(f, UI_ACT_OPEN, '\n');
    deliver_one(f);
    assert_string_equal(f->fa.last_user, "ana@example.org");
    d = dump(f);
    assert_non_null(strstr(d, "Choose a new password"));
    free(d);
    type(f, "new-one-1");
    press(f, UI_ACT_OPEN, '\n');
    type(f, "new-one-2");
    press(f, UI_ACT_OPEN, '\n');
    d = dump(f);
    assert_non_null(strstr(d, "The two passwords differ"));
    free(d);
    assert_int_equal(f->fa.new_passwords, 0);
    type(f, "new-one-1");
    press(f, UI_ACT_OPEN, '\n');
    deliver_one(f);
    assert_int_equal(f->fa.new_passwords, 1);
    assert_string_equal(f->fa.last_password, "new-one-1");
    assert_null(f->app->gate);
    d = dump(f);
    assert_non_null(strstr(d, "Ana (manager) \xc2\xb7 window-2"));
    assert_non_null(strstr(d, "Operators"));
    free(d);
}

static void esc_at_start_goes_on_without_an_operator_and_l_signs_in_later(void **state)
{
    fixture *f = *state;
    f->opts.auth = &f->port;
    assert_true(ui_push(f->app, &ui_screen_operators));
    stub_push(f->stub, 200, "{\"operators\":[]}");
    deliver_one(f);
    ui_signin_start(f->app);
    deliver_one(f); /* nobody */
    char *d = dump(f);
    assert_non_null(strstr(d, "Esc: no sign-in"));
    free(d);
    press(f, UI_ACT_BACK, UI_KEY_ESC);
    assert_null(f->app->gate);
    d = dump(f);
    assert_non_null(strstr(d, "not signed in \xc2\xb7 window-2"));
    assert_non_null(strstr(d, "Not signed in: public sales only (L signs in)"));
    free(d);
    /* the lock key with nobody to lock for: the sign-in */
    ui_signin_open(f->app, UI_SIGNIN_LOCK);
    assert_ptr_equal(f->app->gate, &ui_screen_signin);
    d = dump(f);
    assert_non_null(strstr(d, "operators sign in"));
    assert_null(strstr(d, "Locked by"));
    free(d);
}

static void the_lock_hides_everything_and_another_operator_may_open_it(void **state)
{
    fixture *f = *state;
    f->opts.auth = &f->port;
    f->fa.signed_in = true;
    stub_push(f->stub, 200, "{\"operators\":[" OP("s-1", "ana@example.org", "Ana", "manager", "true") "]}");
    assert_true(ui_push(f->app, &ui_screen_operators));
    deliver_one(f);
    ui_signin_start(f->app);
    deliver_one(f); /* signed in already: the box office shows */
    assert_null(f->app->gate);
    assert_true(f->app->who_known);
    /* idle past BOXOFFICE_LOCK_AFTER */
    f->opts.lock_after_s = 60;
    f->app->now = f->app->last_input + 30;
    assert_int_equal(ui_signin_tick(f->app), 0);
    f->app->now = f->app->last_input + 61;
    assert_int_equal(ui_signin_tick(f->app), UI_REDRAW);
    char *d = dump(f);
    assert_non_null(strstr(d, "Locked by Ana (manager)"));
    assert_null(strstr(d, "an\xe2\x80\xa6@example.org"));
    assert_null(strstr(d, "Operators"));
    assert_null(strstr(d, "BOX OFFICE  ")); /* no header either */
    free(d);
    /* keys that would open something beneath do nothing */
    press(f, UI_ACT_HELP, UI_KEY_FN(KEY_F(1)));
    assert_ptr_equal(f->app->gate, &ui_screen_signin);
    /* another operator signs in: Ana's shift stays open */
    f->fa.who = (net_identity){ .sub = "s-2", .name = "Bo", .groups = "cashier" };
    type(f, "bo@example.org");
    press(f, UI_ACT_OPEN, '\n');
    type(f, "right");
    press(f, UI_ACT_OPEN, '\n');
    deliver_one(f);
    assert_null(f->app->gate);
    assert_string_equal(f->app->msg, "Signed in: Bo \xe2\x80\x94 Ana's shift stays open");
    d = dump(f);
    assert_non_null(strstr(d, "Bo (cashier)"));
    free(d);
}

static void a_401_opens_the_sign_in_and_the_same_operator_goes_on(void **state)
{
    fixture *f = *state;
    f->opts.auth = &f->port;
    f->app->who = f->fa.who;
    f->app->who_known = true;
    stub_push(f->stub, 401, "{\"message\":\"Unauthorized: sign in as an operator (boxoffice login); an API key alone no longer authorizes\"}");
    assert_true(ui_push(f->app, &ui_screen_journal));
    deliver_one(f);
    assert_ptr_equal(f->app->gate, &ui_screen_signin);
    char *d = dump(f);
    assert_non_null(strstr(d, "Sign in again"));
    assert_non_null(strstr(d, "(401)"));
    free(d);
    /* the e-mail left empty: the same operator */
    press(f, UI_ACT_NEXT_FIELD, '\t');
    type(f, "right");
    f->fa.signed_in = false;
    press(f, UI_ACT_OPEN, '\n');
    d = dump(f);
    assert_non_null(strstr(d, "Signing in"));
    free(d);
    deliver_one(f);
    assert_string_equal(f->fa.last_user, "");
    assert_null(f->app->gate);
}

static void base_draw(ui_app *app, const ui_rect *a)
{
    (void)app;
    (void)a;
}
static int base_key(ui_app *app, ui_action act, int k)
{
    (void)app;
    (void)act;
    (void)k;
    return UI_UNHANDLED;
}
static const ui_screen_ops base = { .title = "base", .draw = base_draw, .key = base_key };

/* A sale with no definite answer, then a 401 when it is checked: the sign-in opens over the form, and the
 * sale stays unconfirmed with the same Idempotency-Key (its re-send command kept); once signed in, Enter
 * re-sends the very same request. */
static void a_401_keeps_an_unconfirmed_sale_and_its_key(void **state)
{
    fixture *f = *state;
    f->opts.auth = &f->port;
    f->app->who = f->fa.who;
    f->app->who_known = true;
    bo_concert c;
    cJSON *j = cJSON_Parse("{\"id\":\"c-1\",\"name\":\"Gala\",\"date\":\"2094-06-01T19:00:00Z\",\"venue\":\"Hall\","
                           "\"availableTickets\":50,\"ticketPrice\":20,\"currency\":\"EUR\"}");
    assert_non_null(j);
    assert_int_equal(bo_concert_from_json(j, &c), 0);
    cJSON_Delete(j);
    assert_true(ui_set_current(f->app, &c));
    bo_concert_clear(&c);
    assert_true(ui_push(f->app, &base));
    ui_sell_open(f->app);
    assert_ptr_equal(ui_top(f->app), &ui_screen_buy);
    type(f, "1");
    press(f, UI_ACT_OPEN, '\n');
    type(f, "Ada Lovelace");
    press(f, UI_ACT_OPEN, '\n');
    type(f, "ada@example.org");
    press(f, UI_ACT_OPEN, '\n');
    press(f, UI_ACT_OPEN, '\n'); /* no names on the tickets: the review */
    stub_push(f->stub, 503, "{\"error\":\"busy\"}");
    stub_push(f->stub, 200, "[]"); /* the catalogue's refresh the unconfirmed sale asks for at once */
    press(f, UI_ACT_YES, 'y');
    deliver_one(f);
    const ui_sale *sale = ui_sale_unconfirmed(f->app);
    assert_non_null(sale);
    char key1[API_IDEM_KEY_MAX + 1], key2[API_IDEM_KEY_MAX + 1];
    assert_true(stub_header(stub_request_at(f->stub, 0), "Idempotency-Key", key1, sizeof key1));
    /* the check meets a 401: signed out, the sale as it was */
    stub_push(f->stub, 401, "{\"message\":\"Unauthorized: sign in as an operator (boxoffice login); an API key alone no longer authorizes\"}");
    press(f, UI_ACT_OPEN, '\n');
    deliver_one(f); /* one of them: the catalogue's or the check's */
    deliver_one(f);
    assert_string_equal(stub_request_at(f->stub, 1)->path, "/dev/concerts");
    assert_string_equal(stub_request_at(f->stub, 2)->path, "/dev/orders");
    assert_ptr_equal(f->app->gate, &ui_screen_signin);
    sale = ui_sale_unconfirmed(f->app);
    assert_non_null(sale);
    assert_string_equal(sale->order.idem_key, key1);
    assert_true(stub_header(stub_request_at(f->stub, 2), "Idempotency-Key", key2, sizeof key2));
    assert_string_equal(key1, key2);
    /* signed in again: Enter on the form checks the same sale with the same key */
    press(f, UI_ACT_NEXT_FIELD, '\t');
    type(f, "right");
    press(f, UI_ACT_OPEN, '\n');
    deliver_one(f);
    assert_null(f->app->gate);
    assert_ptr_equal(ui_top(f->app), &ui_screen_buy);
    stub_push(f->stub, 201, "{\"id\":\"o-1\",\"concertId\":\"c-1\",\"quantity\":1,\"unitPrice\":\"20.00\",\"total\":\"20.00\","
                            "\"currency\":\"EUR\",\"payment\":{\"method\":\"card\"},\"createdAt\":\"2026-12-07T10:00:00.000Z\","
                            "\"customerName\":\"Ada Lovelace\",\"customerEmail\":\"ada@example.org\","
                            "\"tickets\":[{\"id\":\"t-1\",\"code\":\"ABCDEFGHJKMNPQRSTVWX\",\"status\":\"valid\"}]}");
    stub_push(f->stub, 200, "[]"); /* the catalogue's refresh after a sale */
    press(f, UI_ACT_OPEN, '\n');
    deliver_one(f);
    assert_true(stub_header(stub_request_at(f->stub, 3), "Idempotency-Key", key2, sizeof key2));
    assert_string_equal(key1, key2);
    assert_null(ui_sale_unconfirmed(f->app));
    assert_ptr_equal(ui_top(f->app), &ui_screen_receipt);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(operators_are_listed_masked_and_a_disable_shows_the_servers_answer, setup, teardown),
        cmocka_unit_test_setup_teardown(operators_add_sends_the_form_and_the_password_never_shows, setup, teardown),
        cmocka_unit_test_setup_teardown(operators_403_shows_the_servers_message_instead_of_a_list, setup, teardown),
        cmocka_unit_test_setup_teardown(journal_shows_a_page_and_turns_pages_with_the_cursor, setup, teardown),
        cmocka_unit_test_setup_teardown(signin_with_the_new_password_challenge_then_the_header_names_the_operator, setup, teardown),
        cmocka_unit_test_setup_teardown(esc_at_start_goes_on_without_an_operator_and_l_signs_in_later, setup, teardown),
        cmocka_unit_test_setup_teardown(the_lock_hides_everything_and_another_operator_may_open_it, setup, teardown),
        cmocka_unit_test_setup_teardown(a_401_opens_the_sign_in_and_the_same_operator_goes_on, setup, teardown),
        cmocka_unit_test_setup_teardown(a_401_keeps_an_unconfirmed_sale_and_its_key, setup, teardown),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
