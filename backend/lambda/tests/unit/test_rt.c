/* The runtime loop against a fake Runtime API: next -> response, next -> error, init/error,
 * deadline and trace id propagation, malformed events, /next outages with backoff. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "lambda_app.h"
#include "rt_loop.h"
#include "rt_fake.h"
#include "bo_clock.h"

#define WAIT_MS 20000 /* generous: a loaded 2-core machine */

static int setup(void **state)
{
    rt_fake *f = rt_fake_start();
    if (!f)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    rt_fake_stop(*state);
    return 0;
}

static rt_client *client_for(rt_fake *f)
{
    char err[256];
    rt_client *c = rt_client_new(rt_fake_api(f), err, sizeof err);
    if (!c)
        fail_msg("rt_client_new: %s", err);
    return c;
}

/* Echoes what the handler saw: payload, request id, trace env, deadline, remaining time. */
static rt_response echo_handler(const rt_request *req, void *user)
{
    (void)user;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "payload", req->payload);
    cJSON_AddStringToObject(o, "requestId", req->request_id);
    const char *trace = getenv("_X_AMZN_TRACE_ID");
    cJSON_AddStringToObject(o, "traceEnv", trace ? trace : "(unset)");
    char num[32];
    snprintf(num, sizeof num, "%llu", (unsigned long long)req->deadline_ms);
    cJSON_AddStringToObject(o, "deadline", num);
    uint64_t rem = rt_request_remaining_ms(req);
    cJSON_AddBoolToObject(o, "remainingPositive", rem > 0 && rem != UINT64_MAX);
    cJSON_AddBoolToObject(o, "noDeadline", rem == UINT64_MAX);
    char *text = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    return rt_response_success(text);
}

static rt_response failing_handler(const rt_request *req, void *user)
{
    (void)req;
    (void)user;
    return rt_response_failure("Handler.Boom", "the handler failed on purpose");
}

static cJSON *post_json(rt_fake *f, size_t i)
{
    const rt_fake_post *p = rt_fake_post_at(f, i);
    assert_non_null(p);
    cJSON *j = cJSON_Parse(p->body);
    if (!j)
        fail_msg("post %zu is not JSON: %s", i, p->body);
    return j;
}

static const char *jstr(const cJSON *o, const char *k)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(it) ? it->valuestring : NULL;
}

static void next_then_response(void **state)
{
    rt_fake *f = *state;
    rt_fake_push(f, "req-1", "{\"hello\":1}", 0, NULL);
    rt_client *c = client_for(f);
    rt_options o = { .max_invocations = 1 };
    assert_int_equal(rt_run(c, echo_handler, NULL, &o), 0);
    assert_int_equal(rt_fake_wait_posts(f, 1, WAIT_MS), 1);
    const rt_fake_post *p = rt_fake_post_at(f, 0);
    assert_int_equal(p->kind, 'r');
    assert_string_equal(p->request_id, "req-1");
    cJSON *j = post_json(f, 0);
    assert_string_equal(jstr(j, "payload"), "{\"hello\":1}");
    assert_string_equal(jstr(j, "requestId"), "req-1");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(j, "noDeadline")));
    cJSON_Delete(j);
    rt_client_free(c);
}

static void handler_failure_posts_error(void **state)
{
    rt_fake *f = *state;
    rt_fake_push(f, "req-err", "{}", 0, NULL);
    rt_client *c = client_for(f);
    rt_options o = { .max_invocations = 1 };
    assert_int_equal(rt_run(c, failing_handler, NULL, &o), 0);
    assert_int_equal(rt_fake_wait_posts(f, 1, WAIT_MS), 1);
    const rt_fake_post *p = rt_fake_post_at(f, 0);
    assert_int_equal(p->kind, 'e');
    assert_string_equal(p->request_id, "req-err");
    assert_string_equal(p->error_type, "Handler.Boom");
    cJSON *j = post_json(f, 0);
    assert_string_equal(jstr(j, "errorType"), "Handler.Boom");
    assert_string_equal(jstr(j, "errorMessage"), "the handler failed on purpose");
    const cJSON *st = cJSON_GetObjectItem(j, "stackTrace");
    assert_true(cJSON_IsArray(st));
    assert_int_equal(cJSON_GetArraySize(st), 0);
    cJSON_Delete(j);
    rt_client_free(c);
}

static void deadline_and_trace_id_reach_the_handler(void **state)
{
    rt_fake *f = *state;
    uint64_t deadline = bo_clock_wall_ms() + 600000;
    char want_deadline[32];
    snprintf(want_deadline, sizeof want_deadline, "%llu", (unsigned long long)deadline);
    const char *trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";
    rt_fake_push(f, "req-t1", "{}", deadline, trace);
    rt_fake_push(f, "req-t2", "{}", 0, NULL); /* no trace: the previous one must not linger */
    rt_fake_push(f, "req-t3", "{}", 0, "Root=1-00000000-000000000000000000000003");
    rt_fake_push(f, "req-t4", "{}", 0, "Root=1-00000000-000000000000000000000004");
    setenv("_X_AMZN_TRACE_ID", "stale", 1);
    rt_client *c = client_for(f);
    rt_options o = { .max_invocations = 4 };
    assert_int_equal(rt_run(c, echo_handler, NULL, &o), 0);
    assert_int_equal(rt_fake_wait_posts(f, 4, WAIT_MS), 4);
    cJSON *j = post_json(f, 0);
    assert_string_equal(jstr(j, "traceEnv"), trace);
    assert_string_equal(jstr(j, "deadline"), want_deadline);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(j, "remainingPositive")));
    cJSON_Delete(j);
    j = post_json(f, 1);
    assert_string_equal(jstr(j, "traceEnv"), "(unset)");
    assert_string_equal(jstr(j, "deadline"), "0");
    cJSON_Delete(j);
    j = post_json(f, 2);
    assert_string_equal(jstr(j, "traceEnv"), "Root=1-00000000-000000000000000000000003");
    cJSON_Delete(j);
    j = post_json(f, 3);
    assert_string_equal(jstr(j, "traceEnv"), "Root=1-00000000-000000000000000000000004");
    cJSON_Delete(j);
    rt_client_free(c);
    assert_null(getenv("_X_AMZN_TRACE_ID")); /* environ never points into a freed client */
}

static void remaining_time_helper(void **state)
{
    (void)state;
    rt_request r;
    memset(&r, 0, sizeof r);
    assert_true(rt_request_remaining_ms_at(&r, 1000) == UINT64_MAX);
    r.deadline_ms = 5000;
    assert_int_equal(rt_request_remaining_ms_at(&r, 1000), 4000);
    assert_int_equal(rt_request_remaining_ms_at(&r, 5000), 0);
    assert_int_equal(rt_request_remaining_ms_at(&r, 9000), 0);
}

/* The real function (app_invoke) with handler getConcert and no store: malformed events get a
 * proxy 400, a /next answer without request id is skipped, and the loop goes on. */
static void malformed_events_do_not_stop_the_loop(void **state)
{
    rt_fake *f = *state;
    app a;
    memset(&a, 0, sizeof a);
    a.handler = handler_find("concert-service.getConcert");
    assert_non_null(a.handler);
    rt_fake_push(f, "bad-1", "this is not json", 0, NULL);
    rt_fake_push(f, "bad-2", "[1,2,3]", 0, NULL);
    rt_fake_push(f, NULL, "{\"no\":\"request id header\"}", 0, NULL);
    rt_fake_push(f, "bad-3", "", 0, NULL);
    rt_fake_push(f, "bad-4", "{\"pathParameters\":{\"id\":7},\"headers\":null,\"body\":[]}", 0, NULL);
    rt_fake_push(f, "good", "{\"httpMethod\":\"GET\",\"resource\":\"/concerts/{id}\",\"path\":\"/concerts/\","
                            "\"pathParameters\":{\"id\":\"\"}}", 0, NULL);
    rt_client *c = client_for(f);
    rt_options o = { .max_invocations = 5 };
    assert_int_equal(rt_run(c, app_invoke, &a, &o), 0);
    assert_int_equal(rt_fake_wait_posts(f, 5, WAIT_MS), 5);
    const char *ids[] = { "bad-1", "bad-2", "bad-3", "bad-4", "good" };
    for (size_t i = 0; i < 5; i++) {
        const rt_fake_post *p = rt_fake_post_at(f, i);
        assert_int_equal(p->kind, 'r');
        assert_string_equal(p->request_id, ids[i]);
        cJSON *j = post_json(f, i);
        assert_int_equal(cJSON_GetObjectItem(j, "statusCode")->valueint, 400);
        const cJSON *h = cJSON_GetObjectItem(j, "headers");
        assert_string_equal(jstr(h, "Content-Type"), "application/json");
        cJSON *body = cJSON_Parse(jstr(j, "body"));
        assert_non_null(body);
        assert_non_null(jstr(body, "error"));
        cJSON_Delete(body);
        cJSON_Delete(j);
    }
    assert_int_equal(rt_fake_next_calls(f), 6);
    rt_client_free(c);
}

/* The real function with a path id that holds a decoded NUL or ESC: a 400 before the handler runs
 * (without a store the handler itself would answer 503), for getOrder's {id} and the lookup's {code}. */
static void control_in_a_path_parameter_is_a_400_before_the_handler(void **state)
{
    (void)state;
#define MGR ",\"requestContext\":{\"authorizer\":{\"claims\":{\"sub\":\"s-1\",\"cognito:groups\":\"manager\"}}}}"
    static const struct { const char *handler, *event, *error; int status; } cases[] = {
        { "concert-service.getOrder",
          "{\"httpMethod\":\"GET\",\"resource\":\"/orders/{id}\",\"pathParameters\":{\"id\":\"o-1\\u0000junk\"}" MGR,
          "id must not contain control characters", 400 },
        { "concert-service.getTicketByCode",
          "{\"httpMethod\":\"GET\",\"resource\":\"/tickets/by-code/{code}\","
          "\"pathParameters\":{\"code\":\"ABCDE-FGHJK-MNPQR-STVWX\\u0000junk\"}" MGR,
          "code must not contain control characters", 400 },
        { "concert-service.concertStats",
          "{\"httpMethod\":\"GET\",\"resource\":\"/concerts/{id}/stats\",\"pathParameters\":{\"id\":\"c-1\\u001b[2J\"}" MGR,
          "id must not contain control characters", 400 },
        { "concert-service.getOrder", "{\"httpMethod\":\"GET\",\"resource\":\"/orders/{id}\",\"pathParameters\":{\"id\":\"o-1\"}" MGR,
          NULL, 503 },
    };
#undef MGR
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        app a;
        memset(&a, 0, sizeof a);
        a.handler = handler_find(cases[i].handler);
        assert_non_null(a.handler);
        rt_request req;
        memset(&req, 0, sizeof req);
        req.payload = cases[i].event;
        req.payload_len = strlen(cases[i].event);
        strcpy(req.request_id, "ctl-1");
        rt_response r = app_invoke(&req, &a);
        assert_true(r.success);
        cJSON *proxy = cJSON_Parse(r.payload);
        assert_non_null(proxy);
        assert_int_equal(cJSON_GetObjectItem(proxy, "statusCode")->valueint, cases[i].status);
        if (cases[i].error) {
            cJSON *body = cJSON_Parse(jstr(proxy, "body"));
            assert_string_equal(jstr(body, "error"), cases[i].error);
            cJSON_Delete(body);
        }
        cJSON_Delete(proxy);
        rt_response_clear(&r);
    }
}

static void next_outage_is_retried_with_backoff(void **state)
{
    rt_fake *f = *state;
    rt_fake_fail_next(f, 4, 500);
    rt_fake_push(f, "after-outage", "{}", 0, NULL);
    rt_client *c = client_for(f);
    rt_options o = { .max_invocations = 1, .next_give_up_ms = 60000 };
    assert_int_equal(rt_run(c, echo_handler, NULL, &o), 0);
    assert_int_equal(rt_fake_next_calls(f), 5); /* more than aws-lambda-cpp's 3 */
    assert_int_equal(rt_fake_wait_posts(f, 1, WAIT_MS), 1);
    assert_string_equal(rt_fake_post_at(f, 0)->request_id, "after-outage");
    rt_client_free(c);
}

static void loop_gives_up_when_the_api_stays_away(void **state)
{
    (void)state;
    char err[256];
    /* a port in our range where nothing listens */
    rt_client *c = rt_client_new("127.0.0.1:8298", err, sizeof err);
    assert_non_null(c);
    rt_options o = { .next_give_up_ms = 300 };
    assert_int_equal(rt_run(c, echo_handler, NULL, &o), 1);
    rt_client_free(c);
}

static void rejected_response_becomes_an_error(void **state)
{
    rt_fake *f = *state;
    rt_fake_response_status(f, 413);
    rt_fake_push(f, "too-big", "{}", 0, NULL);
    rt_client *c = client_for(f);
    rt_options o = { .max_invocations = 1 };
    assert_int_equal(rt_run(c, echo_handler, NULL, &o), 0);
    assert_int_equal(rt_fake_wait_posts(f, 1, WAIT_MS), 1);
    const rt_fake_post *p = rt_fake_post_at(f, 0);
    assert_int_equal(p->kind, 'e');
    assert_string_equal(p->request_id, "too-big");
    assert_string_equal(p->error_type, "Runtime.ResponseRejected");
    rt_client_free(c);
}

static void oversized_event_is_refused_and_the_loop_goes_on(void **state)
{
    rt_fake *f = *state;
    size_t n = RT_EVENT_MAX_BYTES + 100;
    char *big = malloc(n + 1);
    assert_non_null(big);
    memset(big, ' ', n);
    big[0] = '{';
    big[n - 1] = '}';
    big[n] = '\0';
    rt_fake_push(f, "huge", big, 0, NULL);
    free(big);
    rt_fake_push(f, "small", "{}", 0, NULL);
    rt_client *c = client_for(f);
    rt_options o = { .max_invocations = 2 };
    assert_int_equal(rt_run(c, echo_handler, NULL, &o), 0);
    assert_int_equal(rt_fake_wait_posts(f, 2, WAIT_MS), 2);
    const rt_fake_post *p = rt_fake_post_at(f, 0);
    assert_int_equal(p->kind, 'e');
    assert_string_equal(p->request_id, "huge");
    assert_string_equal(p->error_type, "Runtime.PayloadTooLarge");
    p = rt_fake_post_at(f, 1);
    assert_int_equal(p->kind, 'r');
    assert_string_equal(p->request_id, "small");
    rt_client_free(c);
}

static void request_id_is_escaped_in_the_url(void **state)
{
    rt_fake *f = *state;
    rt_fake_push(f, "odd id/../x?y", "{}", 0, NULL);
    rt_client *c = client_for(f);
    rt_options o = { .max_invocations = 1 };
    assert_int_equal(rt_run(c, echo_handler, NULL, &o), 0);
    assert_int_equal(rt_fake_wait_posts(f, 1, WAIT_MS), 1);
    const rt_fake_post *p = rt_fake_post_at(f, 0);
    assert_int_equal(p->kind, 'r');
    assert_string_equal(p->request_id, "odd id/../x?y"); /* MHD decodes %XX back */
    rt_client_free(c);
}

static void init_error_when_tables_are_missing(void **state)
{
    rt_fake *f = *state;
    setenv("AWS_LAMBDA_RUNTIME_API", rt_fake_api(f), 1);
    setenv("_HANDLER", "concert-service.getConcert", 1);
    unsetenv("CONCERTS_TABLE");
    setenv("TICKETS_TABLE", "tickets", 1);
    assert_int_equal(app_main(NULL), 1);
    assert_int_equal(rt_fake_wait_posts(f, 1, WAIT_MS), 1);
    const rt_fake_post *p = rt_fake_post_at(f, 0);
    assert_int_equal(p->kind, 'i');
    assert_string_equal(p->error_type, "Runtime.ConfigError");
    cJSON *j = post_json(f, 0);
    assert_non_null(strstr(jstr(j, "errorMessage"), "CONCERTS_TABLE"));
    assert_string_equal(jstr(j, "errorType"), "Runtime.ConfigError");
    assert_true(cJSON_IsArray(cJSON_GetObjectItem(j, "stackTrace")));
    cJSON_Delete(j);
    assert_int_equal(rt_fake_next_calls(f), 0); /* never asked for an event */
}

static void init_error_for_an_unknown_handler(void **state)
{
    rt_fake *f = *state;
    setenv("AWS_LAMBDA_RUNTIME_API", rt_fake_api(f), 1);
    setenv("_HANDLER", "concert-service.deleteEverything", 1);
    setenv("CONCERTS_TABLE", "concerts", 1);
    setenv("TICKETS_TABLE", "tickets", 1);
    assert_int_equal(app_main(NULL), 1);
    assert_int_equal(rt_fake_wait_posts(f, 1, WAIT_MS), 1);
    const rt_fake_post *p = rt_fake_post_at(f, 0);
    assert_int_equal(p->kind, 'i');
    assert_string_equal(p->error_type, "Runtime.HandlerNotFound");
}

static void main_fails_without_runtime_api(void **state)
{
    (void)state;
    unsetenv("AWS_LAMBDA_RUNTIME_API");
    assert_int_equal(app_main(NULL), 1);
}

static void backoff_is_bounded_full_jitter(void **state)
{
    (void)state;
    assert_int_equal(rt_backoff_ms(0, 12345), 0);
    assert_int_equal(rt_backoff_ms(1, UINT32_MAX), UINT32_MAX % (RT_BACKOFF_BASE_MS + 1));
    for (unsigned n = 1; n < 40; n++) {
        uint64_t ceiling = 0;
        for (uint32_t r = 0; r < 5000; r += 7) {
            uint64_t b = rt_backoff_ms(n, r * 2654435761u);
            assert_true(b <= RT_BACKOFF_CAP_MS);
            if (b > ceiling)
                ceiling = b;
        }
        uint64_t expect = n < 16 ? (uint64_t)RT_BACKOFF_BASE_MS << (n - 1) : RT_BACKOFF_CAP_MS;
        if (expect > RT_BACKOFF_CAP_MS)
            expect = RT_BACKOFF_CAP_MS;
        assert_true(ceiling <= expect);
        assert_true(ceiling >= expect / 2); /* the jitter spans the whole window */
    }
}

static void client_refuses_bad_api_values(void **state)
{
    (void)state;
    char err[256];
    assert_null(rt_client_new(NULL, err, sizeof err));
    assert_non_null(strstr(err, "AWS_LAMBDA_RUNTIME_API"));
    assert_null(rt_client_new("", err, sizeof err));
    assert_null(rt_client_new("host:1/path", err, sizeof err));
    assert_null(rt_client_new("ho st:1", err, sizeof err));
}

/* ---- a scripted raw HTTP server: exact bytes on the wire, to test the client's own HTTP/1.1 ---- */

typedef struct raw_step {
    const char *answer;      /* bytes sent for one request */
    size_t piece;            /* 0: in one write; else writes of this many bytes, 2 ms apart */
    bool close_after;        /* close the connection after this answer (without saying so) */
} raw_step;

#define RAW_MAX_REQ 16

typedef struct raw_server {
    int lfd, port;
    const raw_step *steps;
    size_t nsteps;
    pthread_t th;
    char reqs[RAW_MAX_REQ][600];   /* "METHOD PATH|body" */
    size_t nreq;
    int conns;
    char api[32];
} raw_server;

static void raw_send(int fd, const char *p, size_t n, size_t piece)
{
    while (n > 0) {
        size_t k = piece && piece < n ? piece : n;
        ssize_t w = send(fd, p, k, MSG_NOSIGNAL);
        if (w <= 0)
            return;
        p += w;
        n -= (size_t)w;
        if (piece) {
            struct timespec ts = { 0, 2000000 };
            nanosleep(&ts, NULL);
        }
    }
}

/* Reads one request; records it. 0, or -1 when the client closed. */
static int raw_read_request(raw_server *s, int fd)
{
    char buf[8192];
    size_t len = 0;
    char *hend = NULL;
    while (!(hend = memmem(buf, len, "\r\n\r\n", 4))) {
        if (len == sizeof buf)
            return -1;
        ssize_t r = recv(fd, buf + len, sizeof buf - len, 0);
        if (r <= 0)
            return -1;
        len += (size_t)r;
    }
    size_t hlen = (size_t)(hend - buf) + 4, clen = 0;
    const char *cl = strcasestr(buf, "\r\nContent-Length:");
    if (cl && cl < hend)
        clen = strtoul(cl + 17, NULL, 10);
    while (len < hlen + clen && len < sizeof buf) {
        ssize_t r = recv(fd, buf + len, sizeof buf - len, 0);
        if (r <= 0)
            return -1;
        len += (size_t)r;
    }
    char method[16] = "", path[400] = "";
    sscanf(buf, "%15s %399s", method, path);
    if (s->nreq < RAW_MAX_REQ)
        snprintf(s->reqs[s->nreq], sizeof s->reqs[0], "%s %s|%.*s", method, path, (int)(len - hlen), buf + hlen);
    s->nreq++;
    return 0;
}

static void *raw_main(void *arg)
{
    raw_server *s = arg;
    size_t step = 0;
    while (step < s->nsteps) {
        int fd = accept(s->lfd, NULL, NULL);
        if (fd < 0)
            break;
        s->conns++;
        while (step < s->nsteps && raw_read_request(s, fd) == 0) {
            const raw_step *st = &s->steps[step++];
            raw_send(fd, st->answer, strlen(st->answer), st->piece);
            if (st->close_after)
                break;
        }
        close(fd);
    }
    close(s->lfd); /* a client that asks for more gets refused, never hangs */
    return NULL;
}

static void raw_start(raw_server *s, const raw_step *steps, size_t n)
{
    memset(s, 0, sizeof *s);
    s->steps = steps;
    s->nsteps = n;
    s->lfd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(s->lfd >= 0);
    struct sockaddr_in sa = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t sl = sizeof sa;
    assert_int_equal(bind(s->lfd, (struct sockaddr *)&sa, sizeof sa), 0);
    assert_int_equal(listen(s->lfd, 8), 0);
    assert_int_equal(getsockname(s->lfd, (struct sockaddr *)&sa, &sl), 0);
    s->port = ntohs(sa.sin_port);
    snprintf(s->api, sizeof s->api, "127.0.0.1:%d", s->port);
    assert_int_equal(pthread_create(&s->th, NULL, raw_main, s), 0);
}

static void raw_join(raw_server *s)
{
    pthread_join(s->th, NULL);
}

#define NEXT_HEAD(id) "HTTP/1.1 200 OK\r\nLambda-Runtime-Aws-Request-Id: " id "\r\n" \
    "Lambda-Runtime-Deadline-Ms: 4102444800000\r\nContent-Type: application/json\r\n"
#define ACCEPTED "HTTP/1.1 202 Accepted\r\nContent-Type: application/json\r\n" \
    "Content-Length: 16\r\n\r\n{\"status\":\"OK\"}\n"

static rt_response payload_handler(const rt_request *req, void *user)
{
    (void)user;
    char *out = malloc(req->payload_len + 64);
    if (out)
        snprintf(out, req->payload_len + 64, "%s|%s", req->request_id, req->payload);
    return rt_response_success(out);
}

static void run_script(raw_server *s, unsigned invocations)
{
    char err[256];
    rt_client *c = rt_client_new(s->api, err, sizeof err);
    assert_non_null(c);
    rt_options o = { .max_invocations = invocations, .next_give_up_ms = 5000 };
    assert_int_equal(rt_run(c, payload_handler, NULL, &o), 0);
    rt_client_free(c);
    raw_join(s);
}

/* Chunked and read-until-close bodies, a 100 Continue before the answer, answers in small pieces. */
static void http_framings_are_understood(void **state)
{
    (void)state;
    const raw_step steps[] = {
        { NEXT_HEAD("chunk-1") "Transfer-Encoding: chunked\r\n\r\n"
          "4;ext=1\r\n{\"a\"\r\n3\r\n:12\r\nA\r\n3456789012\r\n1\r\n}\r\n0\r\nX-Trailer: t\r\n\r\n", 5, false },
        { "HTTP/1.1 202 Accepted\r\nConnection: close\r\n\r\n{\"status\":\"OK\"}", 0, true },
        { "HTTP/1.1 100 Continue\r\n\r\n" NEXT_HEAD("plain-2") "Content-Length: 7\r\n\r\n{\"b\":2}", 3, false },
        { ACCEPTED, 0, false },
        { "HTTP/1.0 200 OK\r\nLambda-Runtime-Aws-Request-Id: eof-3\r\n\r\n{\"c\":3}", 0, true },
        { "HTTP/1.1 202 Accepted\r\ntransfer-encoding: Chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n", 1, false },
    };
    raw_server s;
    raw_start(&s, steps, 6);
    run_script(&s, 3);
    assert_int_equal(s.nreq, 6);
    assert_string_equal(s.reqs[0], "GET /2018-06-01/runtime/invocation/next|");
    assert_string_equal(s.reqs[1], "POST /2018-06-01/runtime/invocation/chunk-1/response|chunk-1|{\"a\":123456789012}");
    assert_string_equal(s.reqs[3], "POST /2018-06-01/runtime/invocation/plain-2/response|plain-2|{\"b\":2}");
    assert_string_equal(s.reqs[5], "POST /2018-06-01/runtime/invocation/eof-3/response|eof-3|{\"c\":3}");
    assert_int_equal(s.conns, 3); /* Connection: close and the HTTP/1.0 answer ended their connections */
}

/* The server drops the kept-alive connection after an answer without saying so: the next /next and the
 * next /response are sent again on a new connection, and nothing is lost. */
static void server_closing_the_kept_alive_connection_is_survived(void **state)
{
    (void)state;
    const raw_step steps[] = {
        { NEXT_HEAD("ka-1") "Content-Length: 2\r\n\r\n{}", 0, false },
        { ACCEPTED, 0, true },                                           /* /next goes to a dead socket */
        { NEXT_HEAD("ka-2") "Content-Length: 2\r\n\r\n[]", 0, true },  /* /response goes to a dead one */
        { ACCEPTED, 0, false },
    };
    raw_server s;
    raw_start(&s, steps, 4);
    char err[256];
    rt_client *c = rt_client_new(s.api, err, sizeof err);
    assert_non_null(c);
    rt_request req; /* each call must succeed at once: no failure left for the loop to back off from */
    assert_int_equal(rt_next(c, &req), 0);
    assert_string_equal(req.request_id, "ka-1");
    assert_int_equal(rt_post_response(c, "ka-1", "ka-1|{}", 7), 0);
    assert_int_equal(rt_next(c, &req), 0);
    assert_string_equal(req.request_id, "ka-2");
    assert_string_equal(req.payload, "[]");
    assert_int_equal(rt_post_response(c, "ka-2", "ka-2|[]", 7), 0);
    rt_client_free(c);
    raw_join(&s);
    assert_int_equal(s.nreq, 4);
    assert_string_equal(s.reqs[1], "POST /2018-06-01/runtime/invocation/ka-1/response|ka-1|{}");
    assert_string_equal(s.reqs[2], "GET /2018-06-01/runtime/invocation/next|");
    assert_string_equal(s.reqs[3], "POST /2018-06-01/runtime/invocation/ka-2/response|ka-2|[]");
    assert_int_equal(s.conns, 3);
}

/* Broken answers fail that call cleanly (the loop backs off) and the next connection works. */
static void malformed_answers_fail_cleanly(void **state)
{
    (void)state;
    const raw_step steps[] = {
        { "SPDY/3 200 OK\r\n\r\n", 0, true },
        { NEXT_HEAD("bad-cl") "Content-Length: 12x\r\n\r\n{}", 0, true },
        { NEXT_HEAD("bad-chunk") "Transfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n", 0, true },
        { NEXT_HEAD("cut") "Content-Length: 100\r\n\r\n{\"short\":", 0, true },
        { NEXT_HEAD("good") "Content-Length: 2\r\n\r\n{}", 0, false },
        { ACCEPTED, 0, false },
    };
    raw_server s;
    raw_start(&s, steps, 6);
    run_script(&s, 1);
    assert_int_equal(s.nreq, 6);
    assert_string_equal(s.reqs[5], "POST /2018-06-01/runtime/invocation/good/response|good|{}");
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(next_then_response, setup, teardown),
        cmocka_unit_test_setup_teardown(handler_failure_posts_error, setup, teardown),
        cmocka_unit_test_setup_teardown(deadline_and_trace_id_reach_the_handler, setup, teardown),
        cmocka_unit_test(remaining_time_helper),
        cmocka_unit_test_setup_teardown(malformed_events_do_not_stop_the_loop, setup, teardown),
        cmocka_unit_test(control_in_a_path_parameter_is_a_400_before_the_handler),
        cmocka_unit_test_setup_teardown(next_outage_is_retried_with_backoff, setup, teardown),
        cmocka_unit_test(loop_gives_up_when_the_api_stays_away),
        cmocka_unit_test_setup_teardown(rejected_response_becomes_an_error, setup, teardown),
        cmocka_unit_test_setup_teardown(oversized_event_is_refused_and_the_loop_goes_on, setup, teardown),
        cmocka_unit_test_setup_teardown(request_id_is_escaped_in_the_url, setup, teardown),
        cmocka_unit_test_setup_teardown(init_error_when_tables_are_missing, setup, teardown),
        cmocka_unit_test_setup_teardown(init_error_for_an_unknown_handler, setup, teardown),
        cmocka_unit_test(main_fails_without_runtime_api),
        cmocka_unit_test(backoff_is_bounded_full_jitter),
        cmocka_unit_test(client_refuses_bad_api_values),
        cmocka_unit_test(http_framings_are_understood),
        cmocka_unit_test(server_closing_the_kept_alive_connection_is_survived),
        cmocka_unit_test(malformed_answers_fail_cleanly),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}
