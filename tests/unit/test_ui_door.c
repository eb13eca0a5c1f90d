/* Door mode's queue, without a terminal: the real door screen (ui_screen_door.c) and the real network worker
 * against the scripted HTTP stub. Scans typed quickly are sent one at a time, in the order they were made,
 * each with its own nonce; a scan that got no verdict (a 5xx) is sent again with the SAME nonce before any
 * scan behind it; a refusal and an admission both let the queue move on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "bo_clock.h"
#include "http_stub.h"
#include "stub_fixture.h"
#include "ui_app.h"
#include "ui_screens.h"

#define C1 "AAAAA-BBBBB-CCCCC-DDDDD"
#define C2 "EEEEE-FFFFF-GGGGG-HHHHH"
#define C3 "JJJJJ-KKKKK-MMMMM-NNNNN"
#define CONCERT "{\"id\":\"c-1\",\"name\":\"Door Night\",\"date\":\"2027-06-01T19:00:00Z\",\"venue\":\"Hall\"," \
    "\"availableTickets\":5,\"ticketPrice\":20,\"timezone\":\"Europe/Berlin\"}"
#define STATS "{\"concertId\":\"c-1\",\"capacity\":10,\"sold\":5,\"refunded\":0,\"admitted\":0,\"available\":5," \
    "\"revenue\":{\"card\":\"100.00\",\"cash\":\"0.00\",\"comp\":\"0.00\"},\"currency\":\"EUR\"}"
#define ADMITTED(name) "{\"result\":\"admitted\",\"ticket\":{\"id\":\"t-1\",\"code\":\"" C1 "\",\"orderId\":\"o-1\"," \
    "\"concertId\":\"c-1\",\"attendee\":\"" name "\",\"status\":\"checkedIn\"},\"order\":{\"id\":\"o-1\",\"quantity\":2," \
    "\"admittedSoFar\":1}}"

typedef struct fixture {
    http_stub *stub;
    ui_options opts;
    ui_app *app;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->stub = stub_start();
    assert_non_null(f->stub);
    f->opts.api = (api_config){ .base_url = stub_base_url(f->stub), .auth = stub_token_auth("op"), .purchase_attempts = 3 };
    f->opts.door_concert_id = "c-1";
    f->opts.door_name = "Gate 2";
    f->app = calloc(1, sizeof *f->app);
    assert_non_null(f->app);
    f->app->opts = &f->opts;
    f->app->now = bo_clock_mono_s();
    f->app->worker = net_worker_start(&f->opts.api, NULL, NULL);
    assert_non_null(f->app->worker);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
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
    for (int i = 0; i < 200 && !net_worker_poll(f->app->worker, &r); i++) {
        struct pollfd p = { .fd = net_worker_wake_fd(f->app->worker), .events = POLLIN };
        poll(&p, 1, 50);
    }
    assert_true(r.seq != 0);
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

static void scan(fixture *f, const char *code)
{
    for (const char *p = code; *p != '\0'; p++)
        ui_screen_door.key(f->app, UI_ACT_NONE, (unsigned char)*p);
    ui_screen_door.key(f->app, UI_ACT_OPEN, '\n');
}

/* The code and nonce of the i-th request (a check-in), copied out. */
static void checkin_at(fixture *f, size_t i, char code[32], char nonce[160])
{
    const stub_request *r = stub_request_at(f->stub, i);
    assert_non_null(r);
    assert_string_equal(r->path, "/dev/checkins");
    cJSON *b = cJSON_Parse(r->body);
    assert_non_null(b);
    snprintf(code, 32, "%s", cJSON_GetObjectItem(b, "code")->valuestring);
    snprintf(nonce, 160, "%s", cJSON_GetObjectItem(b, "nonce")->valuestring);
    assert_string_equal(cJSON_GetObjectItem(b, "door")->valuestring, "Gate 2");
    cJSON_Delete(b);
}

static void quick_scans_go_one_at_a_time_in_order_and_a_retry_keeps_its_nonce(void **state)
{
    fixture *f = *state;
    char code[32], nonce1[160], nonce[160], nonce2[160];
    stub_push(f->stub, 200, CONCERT);
    stub_push(f->stub, 200, STATS);
    stub_push(f->stub, 503, "{\"error\":\"busy\"}");                 /* scan 1: no verdict */
    stub_push(f->stub, 200, ADMITTED("Ada"));                        /* scan 1 again */
    stub_push(f->stub, 409, "{\"error\":\"x\",\"result\":\"refunded\",\"ticket\":{\"id\":\"t-2\",\"code\":\"" C2 "\","
                            "\"orderId\":\"o-1\",\"concertId\":\"c-1\",\"status\":\"refunded\"}}");
    stub_push(f->stub, 200, ADMITTED("Cy"));
    assert_true(ui_door_open(f->app, "c-1"));
    scan(f, C1); /* three scans before any answer */
    scan(f, C2);
    scan(f, C3);
    deliver_one(f); /* the concert */
    deliver_one(f); /* the counts */
    deliver_one(f); /* scan 1: 503 */
    assert_int_equal(stub_request_count(f->stub), 3); /* nothing behind it was sent */
    checkin_at(f, 2, code, nonce1);
    assert_string_equal(code, C1);
    /* the wait before the retry is over */
    f->app->now += 10;
    ui_screen_door.tick(f->app);
    deliver_one(f); /* scan 1 again: admitted */
    checkin_at(f, 3, code, nonce);
    assert_string_equal(code, C1);
    assert_string_equal(nonce, nonce1); /* the same scan, the same nonce: it admits once */
    deliver_one(f); /* scan 2: refunded, the queue moves on */
    checkin_at(f, 4, code, nonce2);
    assert_string_equal(code, C2);
    assert_string_not_equal(nonce2, nonce1);
    deliver_one(f); /* scan 3 */
    checkin_at(f, 5, code, nonce);
    assert_string_equal(code, C3);
    assert_string_not_equal(nonce, nonce2);
    assert_string_not_equal(nonce, nonce1);
    assert_int_equal(stub_request_count(f->stub), 6);
    assert_false(ui_screen_door.unsaved(f->app)); /* nothing left waiting */
}

static void a_scan_waiting_for_its_verdict_keeps_the_door_open(void **state)
{
    fixture *f = *state;
    stub_push(f->stub, 200, CONCERT);
    stub_push(f->stub, 200, STATS);
    stub_push(f->stub, 502, "{\"message\":\"Internal server error\"}");
    assert_true(ui_door_open(f->app, "c-1"));
    scan(f, C1);
    deliver_one(f);
    deliver_one(f);
    deliver_one(f); /* no verdict */
    assert_true(ui_screen_door.unsaved(f->app)); /* quitting asks first */
    ui_screen_door.key(f->app, UI_ACT_BACK, 27);
    assert_ptr_equal(ui_top(f->app), &ui_screen_door); /* Esc does not leave a scan behind */
    assert_non_null(strstr(f->app->msg, "1 scan still waits for a verdict"));
}

/* Quitting with a scan that got no verdict: the command that settles it carries the scan's own nonce
 * (never "nobody was admitted": the API may have admitted it). */
static void quitting_with_a_scan_unsettled_prints_its_command_with_its_nonce(void **state)
{
    fixture *f = *state;
    char code[32], nonce[160];
    stub_push(f->stub, 200, CONCERT);
    stub_push(f->stub, 200, STATS);
    stub_push(f->stub, 502, "{\"message\":\"Internal server error\"}");
    assert_true(ui_door_open(f->app, "c-1"));
    scan(f, "aaaaabbbbbcccccddddd"); /* typed by hand: the command has the code's canonical form */
    deliver_one(f);
    deliver_one(f);
    deliver_one(f); /* no verdict */
    checkin_at(f, 2, code, nonce);
    char *text = NULL;
    size_t len = 0;
    FILE *err = open_memstream(&text, &len);
    assert_non_null(err);
    ui_door_report_unsettled(f->app, err);
    fclose(err);
    char want[512];
    snprintf(want, sizeof want, "checkin c-1 " C1 " --door 'Gate 2' --nonce %s\n", nonce);
    if (strstr(text, want) == NULL)
        fail_msg("no settling command \"%s\" in: %s", want, text);
    assert_null(strstr(text, "nobody was admitted"));
    free(text);
}

/* Opened from a concert the door asks for its name first: a name the API would refuse is not taken; the
 * name taken goes with each scan. */
static void the_door_asks_for_its_name_and_takes_only_one_the_api_takes(void **state)
{
    fixture *f = *state;
    char code[32], nonce[160];
    f->opts.door_name = NULL;
    stub_push(f->stub, 200, CONCERT);
    stub_push(f->stub, 200, STATS);
    stub_push(f->stub, 200, ADMITTED("Ada"));
    assert_true(ui_door_open(f->app, "c-1"));
    ui_door_ask_name(f->app);
    ui_screen_door.key(f->app, UI_ACT_NONE, ' ');
    ui_screen_door.key(f->app, UI_ACT_OPEN, '\n'); /* spaces only: the API would refuse it */
    assert_non_null(strstr(f->app->msg, "door must be"));
    for (const char *p = "Gate 2"; *p != '\0'; p++)
        ui_screen_door.key(f->app, UI_ACT_NONE, (unsigned char)*p);
    ui_screen_door.key(f->app, UI_ACT_OPEN, '\n');
    assert_non_null(strstr(f->app->msg, "door Gate 2")); /* leading space trimmed, as the API stores it */
    deliver_one(f);
    deliver_one(f);
    scan(f, C1);
    deliver_one(f);
    checkin_at(f, 2, code, nonce); /* asserts the door "Gate 2" was sent */
    assert_string_equal(code, C1);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(quick_scans_go_one_at_a_time_in_order_and_a_retry_keeps_its_nonce, setup, teardown),
        cmocka_unit_test_setup_teardown(a_scan_waiting_for_its_verdict_keeps_the_door_open, setup, teardown),
        cmocka_unit_test_setup_teardown(quitting_with_a_scan_unsettled_prints_its_command_with_its_nonce, setup, teardown),
        cmocka_unit_test_setup_teardown(the_door_asks_for_its_name_and_takes_only_one_the_api_takes, setup, teardown),
    };
    int rc = cmocka_run_group_tests(tests, NULL, stub_auth_teardown);
    curl_global_cleanup();
    return rc;
}
