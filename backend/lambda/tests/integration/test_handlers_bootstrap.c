/* The real bootstrap binary, started as Lambda would start it, against a fake Runtime API and
 * DynamoDB Local: each of the four handlers serves its route; a start-up failure is posted to
 * /init/error and the process exits non-zero. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ddb.h"
#include "ddb_tables.h"
#include "rt_fake.h"

#define WAIT_MS 30000

static char concerts_table[128], tickets_table[128], operators_table[128];
static ddb_client *raw;
static char bootstrap_path[PATH_MAX];

/* The packaged bootstrap, backend/build/task/bootstrap (bootstrap.zip unpacked), or build/asan/bootstrap
 * beside an ASan test when that was built; $BOOTSTRAP overrides. */
static int find_bootstrap(void)
{
    const char *env = getenv("BOOTSTRAP");
    if (env && access(env, X_OK) == 0) {
        snprintf(bootstrap_path, sizeof bootstrap_path, "%s", env);
        return 0;
    }
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0)
        return -1;
    self[n] = '\0';
    char *slash = strrchr(self, '/'); /* .../build[/asan]/tests/integration/test_x */
    for (int up = 0; slash && up < 3; up++) {
        *slash = '\0';
        slash = strrchr(self, '/');
    }
    if (!slash)
        return -1;
    /* self is now .../build or .../build/asan */
    const char *tails[] = { "/task/bootstrap", "/bootstrap", "/../task/bootstrap" };
    size_t n_self = strlen(self);
    for (size_t i = 0; i < sizeof tails / sizeof *tails; i++) {
        if (n_self + strlen(tails[i]) >= sizeof bootstrap_path)
            return -1;
        memcpy(bootstrap_path, self, n_self);
        strcpy(bootstrap_path + n_self, tails[i]);
        if (access(bootstrap_path, X_OK) == 0)
            return 0;
    }
    return -1;
}

static int setup(void **state)
{
    (void)state;
    if (find_bootstrap() != 0) {
        fprintf(stderr, "bootstrap binary not found (make -C backend package)\n");
        return -1;
    }
    if (ddb_test_tables_create(&raw, "it-h2b", concerts_table, tickets_table, sizeof concerts_table) ||
        ddb_test_create_operators_table(raw, operators_table, sizeof operators_table, "it-h2b-operators"))
        return -1;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    ddb_test_delete_table(raw, operators_table);
    return ddb_test_tables_drop(raw, concerts_table, tickets_table);
}

/* Starts bootstrap for handler with the given Runtime API; tables unset when with_tables is false. */
static pid_t start_bootstrap(const char *api, const char *handler, bool with_tables)
{
    pid_t pid = fork();
    if (pid == 0) {
        setenv("AWS_LAMBDA_RUNTIME_API", api, 1);
        setenv("_HANDLER", handler, 1);
        if (with_tables) {
            setenv("CONCERTS_TABLE", concerts_table, 1);
            setenv("TICKETS_TABLE", tickets_table, 1);
            setenv("OPERATORS_TABLE", operators_table, 1);
        } else {
            setenv("CONCERTS_TABLE", concerts_table, 1);
            unsetenv("TICKETS_TABLE");
        }
        setenv("AWS_SESSION_TOKEN", "session-token-as-on-lambda", 1);
        execl(bootstrap_path, "bootstrap", (char *)NULL);
        _exit(127);
    }
    return pid;
}

/* Waits up to timeout_ms for pid to exit; returns its wait status, or -1 when it is still running. */
static int wait_exit(pid_t pid, unsigned timeout_ms)
{
    for (unsigned waited = 0; waited <= timeout_ms; waited += 20) {
        int st;
        if (waitpid(pid, &st, WNOHANG) == pid)
            return st;
        struct timespec ts = { 0, 20 * 1000000L };
        nanosleep(&ts, NULL);
    }
    return -1;
}

static void stop_bootstrap(pid_t pid)
{
    kill(pid, SIGTERM);
    if (wait_exit(pid, 10000) == -1) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
    }
}

/* The proxy response posted for invocation i: status and parsed body. */
static int response_at(rt_fake *f, size_t i, cJSON **body)
{
    const rt_fake_post *p = rt_fake_post_at(f, i);
    assert_non_null(p);
    if (p->kind != 'r')
        fail_msg("post %zu is '%c' (%s): %s", i, p->kind, p->error_type, p->body);
    cJSON *proxy = cJSON_Parse(p->body);
    assert_non_null(proxy);
    int status = cJSON_GetObjectItem(proxy, "statusCode")->valueint;
    const cJSON *h = cJSON_GetObjectItem(proxy, "headers");
    assert_string_equal(cJSON_GetObjectItem(h, "Content-Type")->valuestring, "application/json");
    *body = cJSON_Parse(cJSON_GetObjectItem(proxy, "body")->valuestring);
    assert_non_null(*body);
    cJSON_Delete(proxy);
    return status;
}

static char *event(const char *method, const char *path, const char *id, const char *body, const char *key)
{
    cJSON *e = cJSON_CreateObject();
    cJSON_AddStringToObject(e, "httpMethod", method);
    cJSON_AddStringToObject(e, "path", path);
    cJSON_AddStringToObject(e, "resource", id ? "/concerts/{id}" : path); /* the routes of this test */
    if (id)
        cJSON_AddStringToObject(cJSON_AddObjectToObject(e, "pathParameters"), "id", id);
    if (key)
        cJSON_AddStringToObject(cJSON_AddObjectToObject(e, "headers"), "Idempotency-Key", key);
    if (body)
        cJSON_AddStringToObject(e, "body", body);
    cJSON *rc = cJSON_AddObjectToObject(e, "requestContext");
    cJSON_AddStringToObject(rc, "requestId", "api-req");
    if (strcmp(method, "POST") == 0 && strcmp(path, "/concerts") == 0) { /* a manager's route */
        cJSON *claims = cJSON_AddObjectToObject(cJSON_AddObjectToObject(rc, "authorizer"), "claims");
        cJSON_AddStringToObject(claims, "sub", "sub-manager");
        cJSON_AddStringToObject(claims, "cognito:groups", "manager");
    }
    char *s = cJSON_PrintUnformatted(e);
    cJSON_Delete(e);
    return s;
}

static void the_binary_serves_all_four_handlers(void **state)
{
    (void)state;
    char concert_id[160] = "";
    /* createConcert: one good, one bad, one garbage event */
    {
        rt_fake *f = rt_fake_start();
        assert_non_null(f);
        char *e1 = event("POST", "/concerts", NULL,
                         "{\"name\":\"Binary\",\"date\":\"2026-12-24\",\"venue\":\"Hall\",\"availableTickets\":1,\"ticketPrice\":12.5}", NULL);
        char *e2 = event("POST", "/concerts", NULL, "{\"name\":\"Binary\"}", NULL);
        rt_fake_push(f, "c-1", e1, 0, "Root=1-00000000-000000000000000000000001");
        rt_fake_push(f, "c-2", e2, 0, NULL);
        rt_fake_push(f, "c-3", "\x01 not json", 0, NULL);
        free(e1);
        free(e2);
        pid_t pid = start_bootstrap(rt_fake_api(f), "concert-service.createConcert", true);
        assert_int_equal(rt_fake_wait_posts(f, 3, WAIT_MS), 3);
        assert_int_equal(wait_exit(pid, 0), -1); /* still serving */
        stop_bootstrap(pid);
        cJSON *b;
        assert_int_equal(response_at(f, 0, &b), 201);
        snprintf(concert_id, sizeof concert_id, "%s", cJSON_GetObjectItem(b, "id")->valuestring);
        assert_true(cJSON_GetObjectItem(b, "ticketPrice")->valuedouble == 12.5);
        cJSON_Delete(b);
        assert_int_equal(response_at(f, 1, &b), 400);
        assert_string_equal(cJSON_GetObjectItem(b, "error")->valuestring, "date is required");
        cJSON_Delete(b);
        assert_int_equal(response_at(f, 2, &b), 400);
        cJSON_Delete(b);
        rt_fake_stop(f);
    }
    /* purchaseTicket: with a key, its replay, then sold out */
    {
        rt_fake *f = rt_fake_start();
        char body[300];
        snprintf(body, sizeof body, "{\"concertId\":\"%s\",\"customerName\":\"Ann\",\"customerEmail\":\"ann@example.com\"}", concert_id);
        char key[200];
        snprintf(key, sizeof key, "bin-%s", concert_id);
        char *e1 = event("POST", "/tickets", NULL, body, key);
        char *e2 = event("POST", "/tickets", NULL, body, NULL);
        rt_fake_push(f, "t-1", e1, 0, NULL);
        rt_fake_push(f, "t-2", e1, 0, NULL);
        rt_fake_push(f, "t-3", e2, 0, NULL);
        free(e1);
        free(e2);
        pid_t pid = start_bootstrap(rt_fake_api(f), "concert-service.purchaseTicket", true);
        assert_int_equal(rt_fake_wait_posts(f, 3, WAIT_MS), 3);
        stop_bootstrap(pid);
        cJSON *b1, *b2, *b3;
        assert_int_equal(response_at(f, 0, &b1), 201);
        assert_int_equal(response_at(f, 1, &b2), 201);
        assert_string_equal(cJSON_GetObjectItem(b1, "id")->valuestring, cJSON_GetObjectItem(b2, "id")->valuestring);
        assert_int_equal(response_at(f, 2, &b3), 400);
        assert_string_equal(cJSON_GetObjectItem(b3, "error")->valuestring, "No tickets available");
        cJSON_Delete(b1);
        cJSON_Delete(b2);
        cJSON_Delete(b3);
        rt_fake_stop(f);
    }
    /* getConcert and listConcerts */
    {
        rt_fake *f = rt_fake_start();
        char path[200];
        snprintf(path, sizeof path, "/concerts/%s", concert_id);
        char *e1 = event("GET", path, concert_id, NULL, NULL);
        char *e2 = event("GET", "/concerts/nope", "nope", NULL, NULL);
        rt_fake_push(f, "g-1", e1, 0, NULL);
        rt_fake_push(f, "g-2", e2, 0, NULL);
        free(e1);
        free(e2);
        pid_t pid = start_bootstrap(rt_fake_api(f), "concert-service.getConcert", true);
        assert_int_equal(rt_fake_wait_posts(f, 2, WAIT_MS), 2);
        stop_bootstrap(pid);
        cJSON *b;
        assert_int_equal(response_at(f, 0, &b), 200);
        assert_true(cJSON_GetObjectItem(b, "availableTickets")->valuedouble == 0);
        assert_string_equal(cJSON_GetObjectItem(b, "name")->valuestring, "Binary");
        cJSON_Delete(b);
        assert_int_equal(response_at(f, 1, &b), 404);
        cJSON_Delete(b);
        rt_fake_stop(f);

        f = rt_fake_start();
        char *e3 = event("GET", "/concerts", NULL, NULL, NULL);
        rt_fake_push(f, "l-1", e3, 0, NULL);
        free(e3);
        pid = start_bootstrap(rt_fake_api(f), "concert-service.listConcerts", true);
        assert_int_equal(rt_fake_wait_posts(f, 1, WAIT_MS), 1);
        stop_bootstrap(pid);
        assert_int_equal(response_at(f, 0, &b), 200);
        assert_true(cJSON_IsArray(b));
        bool found = false;
        const cJSON *c;
        cJSON_ArrayForEach(c, b) found |= strcmp(cJSON_GetObjectItem(c, "id")->valuestring, concert_id) == 0;
        assert_true(found);
        cJSON_Delete(b);
        rt_fake_stop(f);
    }
}

static void startup_failure_posts_init_error_and_exits(void **state)
{
    (void)state;
    rt_fake *f = rt_fake_start();
    assert_non_null(f);
    pid_t pid = start_bootstrap(rt_fake_api(f), "concert-service.listConcerts", false);
    int st = wait_exit(pid, WAIT_MS);
    if (st == -1) {
        stop_bootstrap(pid);
        fail_msg("bootstrap did not exit");
    }
    assert_true(WIFEXITED(st));
    assert_int_not_equal(WEXITSTATUS(st), 0);
    assert_int_equal(rt_fake_wait_posts(f, 1, WAIT_MS), 1);
    const rt_fake_post *p = rt_fake_post_at(f, 0);
    assert_int_equal(p->kind, 'i');
    assert_non_null(strstr(p->body, "TICKETS_TABLE"));
    assert_int_equal(rt_fake_next_calls(f), 0);
    rt_fake_stop(f);
}

int main(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_binary_serves_all_four_handlers),
        cmocka_unit_test(startup_failure_posts_init_error_and_exits),
    };
    int rc = cmocka_run_group_tests(tests, setup, teardown);
    curl_global_cleanup();
    return rc;
}
