/* The UI's network worker and the inspector ring: jobs run off the calling thread against an in-test
 * HTTP server, results come back through the poll queue (waking a poll() on the worker's fd), every
 * exchange lands in the inspector log and reaches the panel pretty-printed and sanitised. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <curl/curl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http_stub.h"
#include "stub_fixture.h"
#include "net_inspector.h"
#include "net_worker.h"

#define CONCERT "{\"id\":\"c-1\",\"name\":\"Bj\\u00f6rk\",\"date\":\"2026-12-01T20:00:00Z\",\"venue\":\"Harpa\",\"availableTickets\":2,\"ticketPrice\":49.99}"

static bool poll_for(net_worker *w, net_result *r, double seconds)
{
    struct timespec d = { 0, 10 * 1000 * 1000 };
    for (int i = 0; i < (int)(seconds * 100); i++) {
        if (net_worker_poll(w, r))
            return true;
        nanosleep(&d, NULL);
    }
    return false;
}

typedef struct fx {
    http_stub *stub;
    net_inspector_ring ring;
    net_worker *w;
} fx;

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    if (f == NULL || (f->stub = stub_start()) == NULL || net_inspector_init(&f->ring) != 0)
        return -1;
    api_config cfg = { .base_url = stub_base_url(f->stub), .auth = stub_token_auth("operator-key"), .connect_timeout_ms = 2000,
                       .timeout_ms = 3000, .purchase_attempts = 2 };
    f->w = net_worker_start(&cfg, net_inspector_record, &f->ring);
    if (f->w == NULL)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    assert_true(net_worker_stop(f->w, -1)); /* NULL after a test stopped it itself: true */
    stub_stop(f->stub);
    net_inspector_destroy(&f->ring);
    free(f);
    return 0;
}

static void list_job_returns_the_concerts(void **state)
{
    fx *f = *state;
    stub_push(f->stub, 200, "[" CONCERT "]");
    net_job job = { .kind = NET_JOB_LIST };
    unsigned long seq = net_worker_submit(f->w, &job);
    assert_true(seq > 0);
    net_result r;
    assert_true(poll_for(f->w, &r, 10));
    assert_int_equal(r.kind, NET_JOB_LIST);
    assert_int_equal(r.seq, seq);
    assert_int_equal(r.status, API_OK);
    assert_int_equal(r.out.list.n, 1);
    assert_string_equal(r.out.list.items[0].name, "Björk");
    net_result_clear(&r);
    const stub_request *q = stub_request_at(f->stub, 0);
    assert_non_null(q);
    assert_string_equal(q->method, "GET");
}

static void a_list_with_one_bad_concert_is_listed_marked(void **state)
{
    fx *f = *state;
    /* the list is converted element by element, freeing the JSON as it goes: a bad third element
     * is listed marked, the others as they are (and nothing leaks: the ASan build checks) */
    stub_push(f->stub, 200, "[" CONCERT "," CONCERT ",{\"id\":\"c-3\",\"name\":7}," CONCERT "]");
    net_job job = { .kind = NET_JOB_LIST };
    net_worker_submit(f->w, &job);
    net_result r;
    assert_true(poll_for(f->w, &r, 10));
    assert_int_equal(r.status, API_OK);
    assert_int_equal(r.out.list.n, 4);
    assert_true(bo_concert_sellable(&r.out.list.items[0]));
    assert_false(bo_concert_sellable(&r.out.list.items[2]));
    assert_true(bo_concert_sellable(&r.out.list.items[3]));
    net_result_clear(&r);
    stub_push(f->stub, 200, "[]");
    net_worker_submit(f->w, &job);
    assert_true(poll_for(f->w, &r, 10));
    assert_int_equal(r.status, API_OK);
    assert_int_equal(r.out.list.n, 0);
    net_result_clear(&r);
}

#define ORDER_MIN "{\"id\":\"o-2\",\"total\":\"0.00\",\"tickets\":[{\"id\":\"t-9\",\"code\":\"ZZZZZZZZZZZZZZZZZZZZ\"}]}"

/* An order job of one ticket for Ann, no payment given. */
static void ann_order(net_job *job)
{
    memset(job, 0, sizeof *job);
    job->kind = NET_JOB_ORDER;
    strcpy(job->req.order.concert_id, "c-1");
    job->req.order.quantity = 1;
    strcpy(job->req.order.name, "Ann");
    strcpy(job->req.order.email, "ann@example.org");
    job->req.order.tendered_cents = -1;
}

/* An order job as the sell form makes it: the attendees split at ',' on the wire, the order back. */
static void order_job_brings_the_order_back(void **state)
{
    fx *f = *state;
    stub_push(f->stub, 201, ORDER_MIN);
    net_job job = { .kind = NET_JOB_ORDER };
    net_order_req *o = &job.req.order;
    strcpy(o->concert_id, "c-1");
    o->quantity = 2;
    strcpy(o->name, "Ann");
    strcpy(o->email, "ann@example.org");
    strcpy(o->attendees, "Ann,Bo");
    o->tendered_cents = -1;
    unsigned long seq = net_worker_submit(f->w, &job);
    net_result r;
    assert_true(poll_for(f->w, &r, 10));
    assert_int_equal(r.seq, seq);
    assert_int_equal(r.kind, NET_JOB_ORDER);
    assert_int_equal(r.status, API_OK);
    assert_string_equal(r.id, "c-1");
    assert_string_equal(r.out.order.id, "o-2");
    assert_string_equal(r.out.order.tickets[0].id, "t-9");
    const stub_request *q = stub_request_at(f->stub, 0);
    assert_string_equal(q->path, "/dev/orders");
    assert_non_null(strstr(q->body, "\"attendees\":[\"Ann\",\"Bo\"]"));
    net_result_clear(&r);
}

/* The UI's key goes on the wire; two jobs of the same sale (a check) send the same key, and a 5xx
 * throughout comes back as unconfirmed. */
static void order_job_sends_the_sales_key(void **state)
{
    fx *f = *state;
    char k[300];
    for (int i = 0; i < 2; i++)
        stub_push(f->stub, 503, "{\"error\":\"Could not place the order, please try again\"}");
    stub_push(f->stub, 201, ORDER_MIN);
    net_job job;
    ann_order(&job);
    strcpy(job.req.order.idem_key, "the-sale-1");
    net_worker_submit(f->w, &job);
    net_result r;
    assert_true(poll_for(f->w, &r, 10));
    assert_int_equal(r.status, API_ERR_UNAVAILABLE);
    assert_true(r.res.unconfirmed);
    net_result_clear(&r);
    net_worker_submit(f->w, &job); /* the check */
    assert_true(poll_for(f->w, &r, 10));
    assert_int_equal(r.status, API_OK);
    assert_false(r.res.unconfirmed);
    assert_string_equal(r.out.order.id, "o-2");
    net_result_clear(&r);
    assert_int_equal(stub_request_count(f->stub), 3);
    for (size_t i = 0; i < 3; i++) {
        assert_true(stub_header(stub_request_at(f->stub, i), "Idempotency-Key", k, sizeof k));
        assert_string_equal(k, "the-sale-1");
    }
}

#define SUMMARY "{\"id\":\"o-1\",\"concertId\":\"c-1\",\"quantity\":2,\"total\":\"50.00\",\"customerName\":\"Ada\"}"
#define ORDER_TWO "{\"id\":\"o-1\",\"concertId\":\"c-1\",\"quantity\":2,\"total\":\"50.00\",\"tickets\":[" \
    "{\"id\":\"t-1\",\"code\":\"ABCDEFGHJKMNPQRSTVWX\",\"status\":\"refunded\"}," \
    "{\"id\":\"t-2\",\"code\":\"0123456789ABCDEFGHJK\",\"status\":\"refunded\"}]}"

/* Find, by-code and refund jobs: the page, the code's order and concert, the refund's ticket ids split at ','
 * with the caller's key, and a 409's per-ticket states all come back in the result. */
static void after_sale_jobs_bring_their_answers_back(void **state)
{
    fx *f = *state;
    net_result r;
    net_job job;
    char key[64];
    stub_push(f->stub, 200, "{\"orders\":[" SUMMARY "],\"cursor\":\"next\"}");
    memset(&job, 0, sizeof job);
    job.kind = NET_JOB_FIND_ORDERS;
    snprintf(job.req.find.email, sizeof job.req.find.email, "ada@example.org");
    job.req.find.limit = 10;
    unsigned long seq = net_worker_submit(f->w, &job);
    assert_true(poll_for(f->w, &r, 5));
    assert_int_equal(r.seq, seq);
    assert_int_equal(r.status, API_OK);
    assert_int_equal(r.out.page.n, 1);
    assert_string_equal(r.out.page.orders[0].customer_name, "Ada");
    assert_string_equal(r.out.page.cursor, "next");
    assert_string_equal(stub_request_at(f->stub, 0)->path, "/dev/orders?email=ada%40example.org&limit=10");
    net_result_clear(&r);

    stub_push(f->stub, 200, "{\"ticket\":{\"id\":\"t-2\",\"code\":\"0123456789ABCDEFGHJK\",\"orderId\":\"o-1\","
                            "\"status\":\"valid\"},\"order\":" SUMMARY ",\"concert\":" CONCERT "}");
    memset(&job, 0, sizeof job);
    job.kind = NET_JOB_TICKET_BY_CODE;
    snprintf(job.req.code, sizeof job.req.code, "01234-56789-abcde-fghjk");
    net_worker_submit(f->w, &job);
    assert_true(poll_for(f->w, &r, 5));
    assert_int_equal(r.status, API_OK);
    assert_string_equal(r.id, "t-2");
    assert_string_equal(r.out.found.order.id, "o-1");
    assert_string_equal(r.out.found.concert.id, "c-1");
    net_result_clear(&r);

    stub_push(f->stub, 200, ORDER_TWO);
    memset(&job, 0, sizeof job);
    job.kind = NET_JOB_REFUND;
    net_refund_req *rf = &job.req.refund;
    snprintf(rf->order_id, sizeof rf->order_id, "o-1");
    snprintf(rf->ticket_ids, sizeof rf->ticket_ids, "t-1, t-2");
    snprintf(rf->reason, sizeof rf->reason, "ill");
    snprintf(rf->idem_key, sizeof rf->idem_key, "refund-1");
    rf->method = BO_PAY_CASH;
    net_worker_submit(f->w, &job);
    assert_true(poll_for(f->w, &r, 5));
    assert_int_equal(r.status, API_OK);
    assert_string_equal(r.out.refund.order.tickets[1].status, "refunded");
    const stub_request *q = stub_request_at(f->stub, 2);
    assert_string_equal(q->body, "{\"ticketIds\":[\"t-1\",\"t-2\"],\"reason\":\"ill\",\"method\":\"cash\"}");
    assert_true(stub_header(q, "Idempotency-Key", key, sizeof key));
    assert_string_equal(key, "refund-1");
    net_result_clear(&r);

    stub_push(f->stub, 409, "{\"error\":\"Only valid tickets can be refunded\",\"tickets\":[{\"id\":\"t-1\",\"status\":\"checkedIn\"}]}");
    net_worker_submit(f->w, &job);
    assert_true(poll_for(f->w, &r, 5));
    assert_int_equal(r.status, API_ERR_INVALID);
    assert_int_equal(r.out.refund.refused.n, 1);
    assert_string_equal(r.out.refund.refused.tickets[0].status, "checkedIn");
    net_result_clear(&r);
}

/* U on the order screen: the undo of a check-in runs on the worker and its answer (the ticket valid
 * again, or the 409 naming the ticket's state) comes back as a result. */
static void undo_checkin_job_brings_the_ticket_back(void **state)
{
    fx *f = *state;
    net_result r;
    net_job job;
    memset(&job, 0, sizeof job);
    job.kind = NET_JOB_UNDO_CHECKIN;
    snprintf(job.req.ticket_id, sizeof job.req.ticket_id, "t-1");
    stub_push(f->stub, 200, "{\"result\":\"undone\",\"ticket\":{\"id\":\"t-1\",\"code\":\"0123456789ABCDEFGHJK\","
                            "\"orderId\":\"o-1\",\"concertId\":\"c-1\",\"status\":\"valid\"}}");
    unsigned long seq = net_worker_submit(f->w, &job);
    assert_true(poll_for(f->w, &r, 5));
    assert_int_equal(r.seq, seq);
    assert_int_equal(r.kind, NET_JOB_UNDO_CHECKIN);
    assert_int_equal(r.status, API_OK);
    assert_string_equal(r.id, "t-1");
    assert_string_equal(r.out.undo.status, "valid");
    assert_string_equal(stub_request_at(f->stub, 0)->path, "/dev/checkins/t-1/undo");
    assert_string_equal(stub_request_at(f->stub, 0)->method, "POST");
    net_result_clear(&r);
    stub_push(f->stub, 409, "{\"result\":\"not_checked_in\",\"error\":\"Ticket is not checked in\",\"ticket\":{"
                            "\"id\":\"t-1\",\"code\":\"0123456789ABCDEFGHJK\",\"orderId\":\"o-1\",\"concertId\":\"c-1\","
                            "\"status\":\"valid\"}}");
    net_worker_submit(f->w, &job);
    assert_true(poll_for(f->w, &r, 5));
    assert_int_equal(r.status, API_ERR_INVALID);
    assert_true(r.out.undo.not_checked_in);
    assert_string_equal(r.res.message, "Ticket is not checked in: it is valid");
    net_result_clear(&r);
}

static void sold_out_comes_back_as_a_result_not_a_crash(void **state)
{
    fx *f = *state;
    stub_push(f->stub, 400, "{\"message\":\"No tickets available\"}");
    net_job job;
    ann_order(&job);
    net_worker_submit(f->w, &job);
    net_result r;
    assert_true(poll_for(f->w, &r, 10));
    assert_int_equal(r.status, API_ERR_SOLD_OUT);
    net_result_clear(&r);
}

static void jobs_are_answered_in_order(void **state)
{
    fx *f = *state;
    stub_push(f->stub, 200, "[]");
    stub_push(f->stub, 200, CONCERT);
    net_job a = { .kind = NET_JOB_LIST }, b = { .kind = NET_JOB_GET };
    strcpy(b.req.concert_id, "c-1");
    unsigned long sa = net_worker_submit(f->w, &a), sb = net_worker_submit(f->w, &b);
    assert_true(sb > sa);
    net_result r;
    assert_true(poll_for(f->w, &r, 10));
    assert_int_equal(r.seq, sa);
    net_result_clear(&r);
    assert_true(poll_for(f->w, &r, 10));
    assert_int_equal(r.seq, sb);
    assert_int_equal(r.kind, NET_JOB_GET);
    assert_string_equal(r.out.concert.id, "c-1");
    net_result_clear(&r);
}

static void the_submitter_does_not_wait_for_a_slow_server(void **state)
{
    fx *f = *state;
    stub_reply hang = { .action = STUB_HANG };
    stub_push_reply(f->stub, &hang);
    net_job job = { .kind = NET_JOB_LIST };
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_true(net_worker_submit(f->w, &job) > 0);
    net_result r;
    assert_false(net_worker_poll(f->w, &r)); /* nothing yet, and no blocking */
    clock_gettime(CLOCK_MONOTONIC, &t1);
    assert_true(t1.tv_sec - t0.tv_sec < 2);
    assert_true(poll_for(f->w, &r, 15)); /* the client's timeout ends it */
    assert_int_equal(r.status, API_ERR_TIMEOUT);
    net_result_clear(&r);
}

static void stopping_waits_for_the_request_in_flight(void **state)
{
    fx *f = *state;
    stub_reply hang = { .action = STUB_HANG };
    stub_push_reply(f->stub, &hang);
    net_job job = { .kind = NET_JOB_LIST };
    assert_true(net_worker_submit(f->w, &job) > 0);
    struct timespec d = { 0, 300 * 1000 * 1000 };
    nanosleep(&d, NULL); /* the worker is inside the request now */
    assert_false(net_worker_stop(f->w, 100)); /* not cut off: still running, still valid */
    assert_true(net_worker_stop(f->w, -1));   /* ends with the client's timeout */
    f->w = NULL;                             /* freed */
}

static int wake_fd_ready(net_worker *w, int ms)
{
    struct pollfd p = { .fd = net_worker_wake_fd(w), .events = POLLIN };
    return poll(&p, 1, ms);
}

static void the_wake_fd_is_readable_exactly_while_a_result_waits(void **state)
{
    fx *f = *state;
    assert_int_equal(wake_fd_ready(f->w, 0), 0); /* nothing submitted: nothing to wake for */
    stub_push(f->stub, 200, "[" CONCERT "]");
    net_job job = { .kind = NET_JOB_LIST };
    unsigned long seq = net_worker_submit(f->w, &job);
    assert_true(seq > 0);
    assert_int_equal(wake_fd_ready(f->w, 10000), 1); /* the worker wakes the waiter itself */
    net_result r;
    assert_true(net_worker_poll(f->w, &r)); /* readable means a result is there, no second wait */
    assert_int_equal(r.seq, seq);
    net_result_clear(&r);
    assert_false(net_worker_poll(f->w, &r));
    assert_int_equal(wake_fd_ready(f->w, 0), 0); /* taking the result consumed the wake-up */
}

typedef struct seen { int n; unsigned long first_seq; long status; char resp[4096]; } seen;

static int collect(void *ctx, const net_inspector_entry *e)
{
    seen *s = ctx;
    if (s->n == 0) {
        s->first_seq = e->seq;
        s->status = e->http_status;
        snprintf(s->resp, sizeof s->resp, "%s", e->response ? e->response : "");
    }
    s->n++;
    return 0;
}

static void exchanges_reach_the_inspector_ring(void **state)
{
    fx *f = *state;
    stub_push(f->stub, 200, "[{\"id\":\"c-2\",\"name\":\"Evil \\u001b[31mred\",\"date\":\"2026-12-01\",\"venue\":\"V\",\"availableTickets\":1,\"ticketPrice\":1}]");
    net_job job = { .kind = NET_JOB_LIST };
    net_worker_submit(f->w, &job);
    net_result r;
    assert_true(poll_for(f->w, &r, 10));
    net_result_clear(&r);
    seen s = { 0 };
    net_inspector_visit(&f->ring, NET_INSPECTOR_RING, collect, &s);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.status, 200);
    assert_non_null(strstr(s.resp, "\"name\": "));  /* pretty-printed */
    assert_non_null(strchr(s.resp, '\n'));
    assert_null(strchr(s.resp, '\x1b'));             /* sanitised */
    assert_null(strchr(s.resp, '\t'));
}

static void pretty_printing_keeps_non_json_readable(void **state)
{
    (void)state;
    assert_null(net_inspector_pretty(NULL));
    assert_null(net_inspector_pretty(""));
    char *p = net_inspector_pretty("<html>\x1b[2Jbad gateway</html>");
    assert_non_null(p);
    assert_null(strchr(p, '\x1b'));
    assert_non_null(strstr(p, "bad gateway"));
    free(p);
    p = net_inspector_pretty("{\"a\":[1,2]}");
    assert_non_null(p);
    assert_non_null(strstr(p, "\"a\": [1, 2]"));
    free(p);
}

typedef struct big_seen { int n; size_t len; char *resp; } big_seen;

static int collect_big(void *ctx, const net_inspector_entry *e)
{
    big_seen *b = ctx;
    b->n++;
    b->len = e->response ? strlen(e->response) : 0;
    b->resp = e->response ? strdup(e->response) : NULL;
    return 1;
}

static void a_large_body_is_kept_capped_and_still_pretty_printed(void **state)
{
    (void)state;
    /* 5,000 concerts (~600 KB): far over what the ring keeps of a body */
    size_t cap = 5000 * 160 + 16, len = 0;
    char *body = malloc(cap);
    assert_non_null(body);
    body[len++] = '[';
    for (int i = 0; i < 5000; i++)
        len += (size_t)snprintf(body + len, cap - len, "%s{\"id\":\"c-%d\",\"name\":\"Night %d\",\"venue\":\"Hall\","
                                "\"date\":\"2027-01-01T20:00:00Z\",\"availableTickets\":%d,\"ticketPrice\":25.5}",
                                i ? "," : "", i, i, i);
    body[len++] = ']';
    body[len] = '\0';
    assert_true(len > NET_INSPECTOR_RAW_MAX);

    net_inspector_ring ring;
    assert_int_equal(net_inspector_init(&ring), 0);
    api_exchange t = { "GET", "http://x/dev/concerts", NULL, 200, body, 1.0, NULL };
    net_inspector_record(&ring, &t);
    big_seen b = { 0 };
    net_inspector_visit(&ring, 1, collect_big, &b);
    assert_int_equal(b.n, 1);
    assert_non_null(b.resp);
    assert_true(b.len <= NET_INSPECTOR_BODY_MAX + 100);             /* capped text */
    assert_non_null(strstr(b.resp, "[{\n    \"id\": \"c-0\",\n")); /* cut off, still one member a line */
    assert_non_null(strstr(b.resp, "\"name\": \"Night 1\""));
    char note[96];
    snprintf(note, sizeof note, "(first %zu of %zu bytes kept)", NET_INSPECTOR_RAW_MAX, len);
    assert_non_null(strstr(b.resp, note));                     /* the cut is said, not hidden */
    free(b.resp);
    /* a second visit shows the same text (made once, kept) */
    big_seen again = { 0 };
    net_inspector_visit(&ring, 1, collect_big, &again);
    assert_int_equal(again.len, b.len);
    free(again.resp);
    net_inspector_destroy(&ring);
    free(body);
}

static int count_only(void *ctx, const net_inspector_entry *e)
{
    (void)e;
    (*(int *)ctx)++;
    return 0;
}

static void the_ring_keeps_only_the_newest_exchanges(void **state)
{
    (void)state;
    net_inspector_ring ring;
    assert_int_equal(net_inspector_init(&ring), 0);
    for (int i = 0; i < NET_INSPECTOR_RING + 5; i++) {
        api_exchange t = { "GET", "http://x/dev/concerts", NULL, 200, "{\"ok\":true}", 1.0, NULL };
        net_inspector_record(&ring, &t);
    }
    int n = 0;
    net_inspector_visit(&ring, 1000, count_only, &n);
    assert_int_equal(n, NET_INSPECTOR_RING);
    seen s = { 0 };
    net_inspector_visit(&ring, 1, collect, &s);
    assert_int_equal(s.n, 1);
    assert_int_equal(s.first_seq, NET_INSPECTOR_RING + 5);
    net_inspector_destroy(&ring);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(list_job_returns_the_concerts, setup, teardown),
        cmocka_unit_test_setup_teardown(a_list_with_one_bad_concert_is_listed_marked, setup, teardown),
        cmocka_unit_test_setup_teardown(order_job_brings_the_order_back, setup, teardown),
        cmocka_unit_test_setup_teardown(order_job_sends_the_sales_key, setup, teardown),
        cmocka_unit_test_setup_teardown(after_sale_jobs_bring_their_answers_back, setup, teardown),
        cmocka_unit_test_setup_teardown(undo_checkin_job_brings_the_ticket_back, setup, teardown),
        cmocka_unit_test_setup_teardown(sold_out_comes_back_as_a_result_not_a_crash, setup, teardown),
        cmocka_unit_test_setup_teardown(jobs_are_answered_in_order, setup, teardown),
        cmocka_unit_test_setup_teardown(the_submitter_does_not_wait_for_a_slow_server, setup, teardown),
        cmocka_unit_test_setup_teardown(the_wake_fd_is_readable_exactly_while_a_result_waits, setup, teardown),
        cmocka_unit_test_setup_teardown(exchanges_reach_the_inspector_ring, setup, teardown),
        cmocka_unit_test_setup_teardown(stopping_waits_for_the_request_in_flight, setup, teardown),
        cmocka_unit_test(pretty_printing_keeps_non_json_readable),
        cmocka_unit_test(the_ring_keeps_only_the_newest_exchanges),
        cmocka_unit_test(a_large_body_is_kept_capped_and_still_pretty_printed),
    };
    int rc = cmocka_run_group_tests(tests, NULL, stub_auth_teardown);
    curl_global_cleanup();
    return rc;
}
