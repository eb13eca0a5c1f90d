/* The Shift screen without a terminal of its own: the real screen (ui_screen_shift.c) and the real network worker
 * against the scripted HTTP stub, and its drawing read back from a curses screen made in memory (newterm on
 * /dev/null) at 80x24 and 60x20. The close is blind (the expected amount is not on the screen before the server's
 * answer); the server's 400 asks for a note; a close whose answer is lost stays NOT CONFIRMED and Enter re-sends it
 * with the same Idempotency-Key until the Z report comes; amounts an operator may type wrongly are refused before
 * anything is sent; the open shift is stamped on sales with its terminal exactly as the server has it. */
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

#include "api_shift.h"
#include "bo_clock.h"
#include "http_stub.h"
#include "stub_fixture.h"
#include "ui_app.h"
#include "ui_curses.h"
#include "ui_screens.h"

#define ROW(counted, diff) "{\"currency\":\"EUR\",\"float\":\"100.00\",\"sales\":{\"cash\":\"60.00\",\"card\":\"25.00\"," \
    "\"other\":\"0.00\"},\"orders\":3,\"comps\":1,\"compTickets\":2,\"refunds\":{\"cash\":\"12.50\",\"card\":\"0.00\"," \
    "\"other\":\"0.00\"},\"refundCount\":1,\"drops\":\"50.00\",\"paidOuts\":\"0.00\",\"expectedCash\":\"97.50\"," \
    "\"counted\":" counted ",\"difference\":" diff "}"
#define OPEN "{\"id\":\"s-1\",\"operator\":{\"sub\":\"u-1\",\"name\":\"Ana\"},\"terminal\":\"window 2\"," \
    "\"status\":\"open\",\"openedAt\":\"2026-12-07T09:00:00.000Z\",\"closedAt\":null,\"report\":{\"kind\":\"X\"," \
    "\"currencies\":[" ROW("null", "null") "],\"note\":null,\"entries\":9,\"hash\":null}}"
#define CLOSED "{\"id\":\"s-1\",\"operator\":{\"sub\":\"u-1\",\"name\":\"Ana\"},\"terminal\":\"window 2\"," \
    "\"status\":\"closed\",\"openedAt\":\"2026-12-07T09:00:00.000Z\",\"closedAt\":\"2026-12-07T17:00:00.000Z\"," \
    "\"report\":{\"kind\":\"Z\",\"z\":7,\"currencies\":[" ROW("\"97.00\"", "\"-0.50\"") "],\"note\":\"coin fell\"," \
    "\"entries\":12,\"hash\":\"a3f1c2d4e5b60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90\"}}"

typedef struct fixture {
    http_stub *stub;
    ui_options opts;
    ui_app *app;
    SCREEN *scr;
    FILE *tty_out, *tty_in;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->stub = stub_start();
    assert_non_null(f->stub);
    f->opts.api = (api_config){ .base_url = stub_base_url(f->stub), .auth = stub_token_auth("op"), .purchase_attempts = 3 };
    f->app = calloc(1, sizeof *f->app);
    assert_non_null(f->app);
    f->app->opts = &f->opts;
    f->app->now = bo_clock_mono_s();
    f->app->worker = net_worker_start(&f->opts.api, NULL, NULL);
    assert_non_null(f->app->worker);
    assert_true(ui_push(f->app, &ui_screen_list));
    /* a curses screen in memory: drawn into, read back, never shown */
    f->tty_out = fopen("/dev/null", "w");
    f->tty_in = fopen("/dev/null", "r");
    f->scr = newterm("xterm", f->tty_out, f->tty_in);
    assert_non_null(f->scr);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    endwin();
    delscreen(f->scr);
    fclose(f->tty_out);
    fclose(f->tty_in);
    assert_true(net_worker_stop(f->app->worker, -1));
    ui_screens_free(f->app);
    bo_concert_clear(&f->app->current);
    free(f->app);
    stub_stop(f->stub);
    free(f);
    return 0;
}

/* Waits for the next finished job and hands it to the screen that submitted it, as the loop does. */
static void deliver_one(fixture *f)
{
    net_result r;
    memset(&r, 0, sizeof r);
    for (int i = 0; i < 400 && !net_worker_poll(f->app->worker, &r); i++) {
        struct pollfd p = { .fd = net_worker_wake_fd(f->app->worker), .events = POLLIN };
        poll(&p, 1, 50);
    }
    assert_true(r.seq != 0);
    if (r.seq == f->app->busy_seq) { /* a job with the spinner (a sale) */
        const ui_screen_ops *owner = f->app->busy_owner;
        f->app->busy_seq = 0;
        f->app->busy_owner = NULL;
        owner->result(f->app, &r);
        net_result_clear(&r);
        return;
    }
    for (int i = 0; i < UI_PENDING_MAX; i++) {
        if (f->app->pending[i].seq != r.seq)
            continue;
        const ui_screen_ops *owner = f->app->pending[i].owner;
        f->app->pending[i].seq = 0;
        owner->result(f->app, &r);
        net_result_clear(&r);
        return;
    }
    fail_msg("a result nobody waits for (seq %lu)", r.seq);
}

/* The top screen drawn at cols x rows (the frame's area: below the header, above status and key bar) and read
 * back as text, one line per row. */
static char *dump(fixture *f, int cols, int rows)
{
    static char text[16384];
    resizeterm(rows, cols);
    erase();
    ui_rect area = { 1, 0, rows - 3, cols };
    ui_top(f->app)->draw(f->app, &area);
    size_t n = 0;
    text[0] = '\0';
    for (int y = 0; y < rows; y++) {
        wchar_t w[512];
        char line[2048];
        mvinnwstr(y, 0, w, cols);
        size_t len = wcstombs(line, w, sizeof line - 1);
        if (len == (size_t)-1)
            len = 0;
        line[len] = '\0';
        n += (size_t)snprintf(text + n, sizeof text - n, "%s\n", line);
        assert_true(n < sizeof text);
    }
    if (getenv("SHOW_DUMPS") != NULL)
        fprintf(stderr, "---- %dx%d ----\n%s", cols, rows, text);
    return text;
}

static void type(fixture *f, const char *s)
{
    for (const char *p = s; *p != '\0'; p++)
        ui_top(f->app)->key(f->app, UI_ACT_NONE, (unsigned char)*p);
}

static void act(fixture *f, ui_action a)
{
    ui_top(f->app)->key(f->app, a, 0);
}

/* The shift screen, open, with the X report of OPEN. */
static void open_screen(fixture *f)
{
    stub_push(f->stub, 200, OPEN);
    ui_shift_refresh(f->app);
    deliver_one(f);
    assert_int_equal(ui_shift_state(f->app, NULL), UI_SHIFT_OPEN);
    stub_push(f->stub, 200, OPEN);
    ui_shift_open_screen(f->app);
    assert_ptr_equal(ui_top(f->app), &ui_screen_shift);
    deliver_one(f);
}

static void the_x_report_fits_80x24_and_60x20(void **state)
{
    fixture *f = *state;
    open_screen(f);
    const char *t = dump(f, 80, 24);
    assert_non_null(strstr(t, "X report"));
    assert_non_null(strstr(t, "Ana"));
    assert_non_null(strstr(t, "window 2"));
    assert_non_null(strstr(t, "Expected cash"));
    assert_non_null(strstr(t, "97.50"));
    assert_non_null(strstr(t, "Drops"));
    t = dump(f, 60, 20);
    assert_non_null(strstr(t, "Expected cash")); /* the lines that matter stay on a small terminal */
    assert_non_null(strstr(t, "97.50"));
    assert_non_null(strstr(t, "Cash sales"));
    assert_non_null(strstr(t, "Drops"));
    /* the sale carries the shift and its terminal exactly as the server has it */
    char id[BO_ID_MAX + 1], term[API_TERMINAL_MAX * 4 + 1];
    ui_shift_stamp(f->app, id, term);
    assert_string_equal(id, "s-1");
    assert_string_equal(term, "window 2");
}

static void the_close_is_blind_asks_for_the_note_and_a_lost_answer_is_resent_with_its_key(void **state)
{
    fixture *f = *state;
    char k1[300], k2[300], k3[300];
    open_screen(f);
    size_t before = stub_request_count(f->stub);
    act(f, UI_ACT_CLOSE_SHIFT);
    const char *t = dump(f, 80, 24);
    assert_non_null(strstr(t, "Counted EUR"));
    assert_null(strstr(t, "97.50")); /* blind: the expected amount is not on the screen */
    assert_null(strstr(t, "Expected"));
    /* wrong amounts are refused by the form: nothing is sent */
    static const char *const bad[] = { "1e9", "-5", "12.345", "abc" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        type(f, bad[i]);
        act(f, UI_ACT_OPEN);          /* to the note */
        act(f, UI_ACT_OPEN);          /* submit: refused, the focus back on the count */
        assert_int_equal(stub_request_count(f->stub), before);
        t = dump(f, 80, 24);
        assert_null(strstr(t, "97.50"));
        for (int k = 0; k < 8; k++)
            act(f, UI_ACT_ERASE);
    }
    /* control bytes are not text: they never reach the note */
    type(f, "97.00");
    act(f, UI_ACT_OPEN);
    ui_top(f->app)->key(f->app, UI_ACT_NONE, 0x1b);
    ui_top(f->app)->key(f->app, UI_ACT_NONE, 0x07);
    /* no note: the server's 400 */
    stub_push(f->stub, 400, "{\"error\":\"note is required when counted differs from expected\"}");
    act(f, UI_ACT_OPEN);
    deliver_one(f);
    const stub_request *r = stub_request_at(f->stub, before);
    assert_string_equal(r->path, "/dev/shifts/s-1/close");
    assert_string_equal(r->body, "{\"counted\":{\"EUR\":\"97.00\"}}");
    assert_true(stub_header(r, "Idempotency-Key", k1, sizeof k1));
    t = dump(f, 80, 24);
    assert_non_null(strstr(t, "note is required"));
    assert_null(strstr(t, "97.50"));
    /* the note, then the answer is lost: NOT CONFIRMED, and the quit question knows */
    type(f, "coin fell");
    stub_reply lost = { .action = STUB_CLOSE };
    for (int i = 0; i < 3; i++)
        stub_push_reply(f->stub, &lost);
    act(f, UI_ACT_OPEN);
    deliver_one(f);
    t = dump(f, 80, 24);
    assert_non_null(strstr(t, "NOT CONFIRMED"));
    assert_null(strstr(t, "97.50"));
    assert_true(ui_screen_shift.unsettled(f->app));
    assert_true(stub_header(stub_request_at(f->stub, before + 1), "Idempotency-Key", k2, sizeof k2));
    assert_string_not_equal(k1, k2); /* the 400 was a definite no: this is another request */
    assert_string_equal(stub_request_at(f->stub, before + 1)->body, "{\"counted\":{\"EUR\":\"97.00\"},\"note\":\"coin fell\"}");
    /* the 60x20 layout says it too */
    t = dump(f, 60, 20);
    assert_non_null(strstr(t, "NOT CONFIRMED"));
    /* Enter re-sends the very same close: the same key, the same body; the Z report comes */
    stub_push(f->stub, 200, CLOSED);
    act(f, UI_ACT_OPEN);
    deliver_one(f);
    r = stub_request_at(f->stub, before + 4);
    assert_non_null(r);
    assert_true(stub_header(r, "Idempotency-Key", k3, sizeof k3));
    assert_string_equal(k3, k2);
    assert_string_equal(r->body, "{\"counted\":{\"EUR\":\"97.00\"},\"note\":\"coin fell\"}");
    assert_false(ui_screen_shift.unsettled(f->app));
    t = dump(f, 80, 24);
    assert_non_null(strstr(t, "Z report #7"));
    assert_non_null(strstr(t, "97.50"));
    assert_non_null(strstr(t, "-0.50"));
    assert_non_null(strstr(t, "a3f1c2d4e5b6"));
    assert_non_null(strstr(t, "Note: coin fell"));
    t = dump(f, 60, 20);
    assert_non_null(strstr(t, "Z report #7"));
    assert_non_null(strstr(t, "Difference"));
    assert_int_equal(ui_shift_state(f->app, NULL), UI_SHIFT_NONE);
}

static void no_shift_opens_one_with_the_terminal_and_float(void **state)
{
    fixture *f = *state;
    char key[300];
    stub_push(f->stub, 404, "{\"error\":\"no open shift\"}");
    ui_shift_refresh(f->app);
    deliver_one(f);
    assert_int_equal(ui_shift_state(f->app, NULL), UI_SHIFT_NONE);
    stub_push(f->stub, 404, "{\"error\":\"no open shift\"}");
    ui_shift_open_screen(f->app);
    deliver_one(f);
    const char *t = dump(f, 60, 20);
    assert_non_null(strstr(t, "Open a shift"));
    assert_non_null(strstr(t, "Float"));
    type(f, "100");
    act(f, UI_ACT_OPEN);              /* the currency (EUR) */
    stub_push(f->stub, 201, OPEN);
    stub_push(f->stub, 200, OPEN);    /* the report asked again */
    act(f, UI_ACT_OPEN);
    deliver_one(f);
    const stub_request *r = stub_request_at(f->stub, 2);
    assert_string_equal(r->path, "/dev/shifts");
    assert_string_equal(r->body, "{\"terminal\":\"window 2\",\"float\":{\"EUR\":\"100.00\"}}");
    assert_true(stub_header(r, "Idempotency-Key", key, sizeof key));
    deliver_one(f);
    assert_int_equal(ui_shift_state(f->app, NULL), UI_SHIFT_OPEN);
    t = dump(f, 80, 24);
    assert_non_null(strstr(t, "X report"));
}

#define CONCERT "{\"id\":\"c-1\",\"name\":\"Shift Night\",\"date\":\"2094-06-01T19:00:00Z\",\"venue\":\"Hall\"," \
    "\"availableTickets\":5,\"ticketPrice\":20,\"currency\":\"EUR\"}"

/* The sell form for c-1, filled with 1 ticket paid cash, up to its review, then sent (y). */
static void sell_cash(fixture *f)
{
    bo_concert c;
    cJSON *j = cJSON_Parse(CONCERT);
    assert_int_equal(bo_concert_from_json(j, &c), 0);
    cJSON_Delete(j);
    assert_true(ui_set_current(f->app, &c));
    bo_concert_clear(&c);
    ui_sell_open(f->app);
    assert_ptr_equal(ui_top(f->app), &ui_screen_buy);
    type(f, "1");
    for (int i = 0; i < 8 && ui_top(f->app) == &ui_screen_buy; i++)
        act(f, UI_ACT_OPEN); /* through the fields (cash is the default payment) to the review, then sent */
}

static void a_sale_carries_the_open_shift_and_a_refused_cash_sale_offers_to_open_one(void **state)
{
    fixture *f = *state;
    /* a shift is open: the sale is sent with it and its terminal exactly as the server has it */
    stub_push(f->stub, 200, OPEN);
    ui_shift_refresh(f->app);
    deliver_one(f);
    size_t before = stub_request_count(f->stub);
    stub_push(f->stub, 409, "{\"error\":\"shift is not open\"}");
    /* the refusal makes the screen ask for the shift again at once: its answer is queued before the sale's is
     * delivered (queued later, the worker could ask before it is there) */
    stub_push(f->stub, 404, "{\"error\":\"no open shift\"}");
    sell_cash(f);
    deliver_one(f);
    const stub_request *r = stub_request_at(f->stub, before);
    assert_non_null(r);
    assert_string_equal(r->path, "/dev/box-office/orders");
    cJSON *b = cJSON_Parse(r->body);
    assert_non_null(b);
    assert_string_equal(cJSON_GetObjectItem(b, "shiftId")->valuestring, "s-1");
    assert_string_equal(cJSON_GetObjectItem(b, "terminal")->valuestring, "window 2");
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(b, "payment"), "method")->valuestring, "cash");
    cJSON_Delete(b);
    /* refused for want of an open shift: the server's words, the offer; the shift is asked again */
    assert_ptr_equal(ui_top(f->app), &ui_screen_prompt);
    assert_non_null(strstr(f->app->msg, "shift is not open"));
    deliver_one(f);
    assert_int_equal(ui_shift_state(f->app, NULL), UI_SHIFT_NONE);
    const char *t = dump(f, 60, 20); /* the question, drawn over the form */
    assert_non_null(strstr(t, "Open a shift now?"));
    stub_push(f->stub, 404, "{\"error\":\"no open shift\"}");
    act(f, UI_ACT_YES);
    assert_ptr_equal(ui_top(f->app), &ui_screen_shift);
    deliver_one(f);
    t = dump(f, 80, 24);
    assert_non_null(strstr(t, "Open a shift"));
    /* no shift known: a sale is sent without one (the server decides) */
    ui_pop(f->app);
    ui_pop(f->app);
    before = stub_request_count(f->stub);
    stub_push(f->stub, 409, "{\"error\":\"a cash sale needs an open shift: open one first\"}");
    stub_push(f->stub, 404, "{\"error\":\"no open shift\"}");
    sell_cash(f);
    deliver_one(f);
    b = cJSON_Parse(stub_request_at(f->stub, before)->body);
    assert_null(cJSON_GetObjectItem(b, "shiftId"));
    assert_null(cJSON_GetObjectItem(b, "terminal"));
    cJSON_Delete(b);
    assert_ptr_equal(ui_top(f->app), &ui_screen_prompt);
    deliver_one(f);
}

int main(void)
{
    setlocale(LC_ALL, "C.UTF-8");
    setenv("BOXOFFICE_TERMINAL", "window 2", 1); /* the terminal's name: read once, on first use */
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(the_x_report_fits_80x24_and_60x20, setup, teardown),
        cmocka_unit_test_setup_teardown(the_close_is_blind_asks_for_the_note_and_a_lost_answer_is_resent_with_its_key, setup, teardown),
        cmocka_unit_test_setup_teardown(no_shift_opens_one_with_the_terminal_and_float, setup, teardown),
        cmocka_unit_test_setup_teardown(a_sale_carries_the_open_shift_and_a_refused_cash_sale_offers_to_open_one, setup, teardown),
    };
    int rc = cmocka_run_group_tests(tests, NULL, stub_auth_teardown);
    curl_global_cleanup();
    return rc;
}
