/* The operators routes against a real cognito-local (started here, on a free port, in a fresh state folder:
 * tools/cognito-local, as AUTH.md describes it) and DynamoDB Local: the Cognito admin client
 * (cognito_admin.c, on the ddb client's transport) and the handlers (handler_operator.c) create, list, re-role,
 * disable and enable operators; the operators table holds sub/name/group/disabled and never the e-mail; a
 * disabled operator's concert is refused although their claims still say manager; a manager cannot disable or
 * demote themselves, nor act once disabled; hostile input (control characters, 1000 bytes, unknown group, the
 * same create twice at once) is a 4xx. Every change writes its journal entry (operator.added, .role, .disabled,
 * .enabled: the manager, the operator's name and sub, no e-mail); a refused one writes none. Skipped when cognito-local is not installed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <limits.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cognito_admin.h"
#include "ddb.h"
#include "ddb_tables.h"
#include "handler_call.h"
#include "handlers.h"
#include "store.h"
#include "store_journal.h"
#include "store_operator.h"

static char concerts_table[128], tickets_table[128], operators_table[128];
static ddb_client *raw;     /* DynamoDB Local */
static ddb_client *cog;     /* cognito-local, unsigned-checking: the same client the function uses */
static store *st;
static pid_t cognito_pid = -1;
static char cognito_dir[] = "/tmp/boxoffice-cognito-XXXXXX";
static char pool_id[128];
static bool have_cognito;

static const char MGR[] = "sub-root-manager"; /* a manager's sub (claims only: no user in the pool) */

static int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK), .sin_port = 0 };
    socklen_t len = sizeof a;
    if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || getsockname(fd, (struct sockaddr *)&a, &len) != 0) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    close(fd);
    return ntohs(a.sin_port);
}

/* tools/cognito-local/node_modules/.bin/cognito-local from the repository root or backend/, or $COGNITO_LOCAL. */
static bool find_cognito(char *out, size_t size)
{
    const char *env = getenv("COGNITO_LOCAL");
    if (env && access(env, X_OK) == 0) {
        snprintf(out, size, "%s", env);
        return true;
    }
    const char *prefixes[] = { "", "../", "../../" };
    char cwd[PATH_MAX / 2];
    if (!getcwd(cwd, sizeof cwd))
        return false;
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
        snprintf(out, size, "%s/%stools/cognito-local/node_modules/.bin/cognito-local", cwd, prefixes[i]);
        if (access(out, X_OK) == 0)
            return true;
    }
    return false;
}

/* One call of Cognito's API straight to cognito-local: the answer (caller frees) or NULL. */
static cJSON *cog_call(const char *op, const char *json)
{
    cJSON *req = cJSON_Parse(json), *resp = NULL;
    ddb_error e;
    ddb_status s = ddb_call(cog, op, req, &resp, &e);
    cJSON_Delete(req);
    if (s != DDB_OK) {
        fprintf(stderr, "%s: %s %s\n", op, e.type, e.message);
        return NULL;
    }
    return resp;
}

static int start_cognito(void)
{
    char bin[PATH_MAX];
    if (!find_cognito(bin, sizeof bin)) {
        fprintf(stderr, "cognito-local is not installed (tools/cognito-local: npm ci): the operators tests skip\n");
        return 0;
    }
    int port = free_port();
    if (port < 0 || !mkdtemp(cognito_dir))
        return -1;
    char config_dir[PATH_MAX], config[PATH_MAX + 32];
    snprintf(config_dir, sizeof config_dir, "%s/.cognito", cognito_dir);
    snprintf(config, sizeof config, "%s/config.json", config_dir);
    if (mkdir(config_dir, 0700) != 0)
        return -1;
    FILE *f = fopen(config, "w");
    if (!f)
        return -1;
    fprintf(f, "{\"TokenConfig\":{\"IssuerDomain\":\"http://127.0.0.1:%d\"}}\n", port);
    fclose(f);
    cognito_pid = fork();
    if (cognito_pid == 0) {
        char p[16];
        snprintf(p, sizeof p, "%d", port);
        setenv("PORT", p, 1);
        if (chdir(cognito_dir) != 0)
            _exit(127);
        int devnull = open("/dev/null", 1);
        if (devnull >= 0) {
            dup2(devnull, 1);
            dup2(devnull, 2);
        }
        execl(bin, "cognito-local", (char *)NULL);
        _exit(127);
    }
    if (cognito_pid < 0)
        return -1;
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d", port);
    setenv("COGNITO_ENDPOINT", url, 1);
    ddb_config cfg;
    ddb_error e;
    if (ddb_config_from_env(&cfg, &e) != DDB_OK || ddb_config_set_endpoint(&cfg, url, &e) != DDB_OK)
        return -1;
    cog = ddb_client_new_service(&cfg, &DDB_SERVICE_COGNITO_IDP, &e);
    ddb_config_clear(&cfg);
    if (!cog)
        return -1;
    cJSON *pool = NULL;
    for (int i = 0; i < 150 && !pool; i++) { /* up to 15 s for node to start */
        struct timespec ts = { 0, 100 * 1000000L };
        nanosleep(&ts, NULL);
        ddb_error quiet;
        cJSON *req = cJSON_Parse("{\"PoolName\":\"operators-test\"}");
        if (ddb_call(cog, "CreateUserPool", req, &pool, &quiet) != DDB_OK)
            pool = NULL;
        cJSON_Delete(req);
    }
    if (!pool) {
        fprintf(stderr, "cognito-local did not answer on %s\n", url);
        return -1;
    }
    snprintf(pool_id, sizeof pool_id, "%s",
             cJSON_GetObjectItem(cJSON_GetObjectItem(pool, "UserPool"), "Id")->valuestring);
    cJSON_Delete(pool);
    setenv("USER_POOL_ID", pool_id, 1);
    const char *groups[] = { "manager", "cashier", "door", "kiosk" };
    for (size_t i = 0; i < 4; i++) {
        char body[256];
        snprintf(body, sizeof body, "{\"UserPoolId\":\"%s\",\"GroupName\":\"%s\"}", pool_id, groups[i]);
        cJSON *g = cog_call("CreateGroup", body);
        if (!g)
            return -1;
        cJSON_Delete(g);
    }
    have_cognito = true;
    return 0;
}

static int setup(void **state)
{
    (void)state;
    if (ddb_test_tables_create(&raw, "it-opr", concerts_table, tickets_table, sizeof concerts_table) ||
        snprintf(operators_table, sizeof operators_table, "%s", ddb_test_table_of(STORE_T_OPERATORS)) < 1)
        return -1;
    if (start_cognito() != 0)
        return -1;
    st = ddb_test_store_open(concerts_table, tickets_table);
    return st ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    handler_operators_close();
    store_close(st);
    ddb_client_free(cog);
    if (cognito_pid > 0) {
        kill(cognito_pid, SIGTERM);
        waitpid(cognito_pid, NULL, 0);
    }
    if (strcmp(cognito_dir, "/tmp/boxoffice-cognito-XXXXXX") != 0) {
        char cmd[PATH_MAX + 16];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", cognito_dir);
        if (system(cmd) != 0)
            fprintf(stderr, "could not remove %s\n", cognito_dir);
    }
    return ddb_test_tables_drop(raw, concerts_table, tickets_table);
}

typedef handler_answer answer;

static answer as(const char *sub, const char *groups, handler_fn fn, const char *body, const char *username)
{
    handler_req q = { .body = body, .param = username ? "username" : NULL, .value = username, .sub = sub,
                      .groups = groups, .name = "Root" };
    return handler_call_on(st, fn, &q);
}

static const char *jstr(const cJSON *o, const char *k)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(it) ? it->valuestring : NULL;
}

static void expect(answer *a, int status, const char *error)
{
    if (a->status != status || (error && (!jstr(a->body, "error") || strcmp(jstr(a->body, "error"), error) != 0)))
        fail_msg("expected %d %s, got %d %s", status, error ? error : "", a->status, a->text ? a->text : "");
}

static answer create(const char *by, const char *username, const char *name, const char *group)
{
    char body[1400];
    snprintf(body, sizeof body, "{\"username\":\"%s\",\"name\":\"%s\",\"group\":\"%s\",\"temporaryPassword\":\"Temp-pass-123\"}",
             username, name, group);
    return as(by, "manager", handler_create_operator, body, NULL);
}

/* The operators item of sub straight from DynamoDB (caller frees) or NULL. */
static cJSON *item_of(const char *sub)
{
    char body[300];
    snprintf(body, sizeof body, "{\"TableName\":\"%s\",\"Key\":{\"sub\":{\"S\":\"%s\"}},\"ConsistentRead\":true}",
             operators_table, sub);
    cJSON *req = cJSON_Parse(body), *resp = NULL;
    ddb_error e;
    assert_int_equal(ddb_call(raw, "GetItem", req, &resp, &e), DDB_OK);
    cJSON_Delete(req);
    cJSON *item = cJSON_DetachItemFromObject(resp, "Item");
    cJSON_Delete(resp);
    return item;
}

static bool in_group(const char *group, const char *sub)
{
    char body[400];
    snprintf(body, sizeof body, "{\"UserPoolId\":\"%s\",\"GroupName\":\"%s\"}", pool_id, group);
    cJSON *r = cog_call("ListUsersInGroup", body);
    assert_non_null(r);
    bool in = false;
    const cJSON *u;
    cJSON_ArrayForEach(u, cJSON_GetObjectItem(r, "Users")) in = in || strcmp(jstr(u, "Username"), sub) == 0;
    cJSON_Delete(r);
    return in;
}

static int pool_users(void)
{
    char body[200];
    snprintf(body, sizeof body, "{\"UserPoolId\":\"%s\"}", pool_id);
    cJSON *r = cog_call("ListUsers", body);
    assert_non_null(r);
    int n = cJSON_GetArraySize(cJSON_GetObjectItem(r, "Users"));
    cJSON_Delete(r);
    return n;
}

static void operators_are_created_listed_rerolled_disabled_and_enabled(void **state)
{
    (void)state;
    if (!have_cognito)
        skip();
    answer a = create(MGR, "ana@example.com", "Ana", "cashier");
    expect(&a, 201, NULL);
    char sub[COG_SUB_MAX + 1];
    snprintf(sub, sizeof sub, "%s", jstr(a.body, "sub"));
    assert_string_equal(jstr(a.body, "username"), "ana@example.com");
    assert_string_equal(jstr(a.body, "name"), "Ana");
    assert_string_equal(jstr(a.body, "group"), "cashier");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(a.body, "enabled")));
    assert_string_equal(jstr(a.body, "status"), "FORCE_CHANGE_PASSWORD");
    handler_answer_clear(&a);
    assert_true(in_group("cashier", sub));
    /* the item: sub, name, group, disabled, updatedAt; no e-mail anywhere in it */
    cJSON *it = item_of(sub);
    assert_non_null(it);
    char *text = cJSON_PrintUnformatted(it);
    assert_null(strstr(text, "example.com"));
    free(text);
    assert_string_equal(jstr(cJSON_GetObjectItem(it, "group"), "S"), "cashier");
    assert_string_equal(jstr(cJSON_GetObjectItem(it, "name"), "S"), "Ana");
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(cJSON_GetObjectItem(it, "disabled"), "BOOL")));
    cJSON_Delete(it);
    /* the same again: 409, nothing new in the pool */
    int users = pool_users();
    a = create(MGR, "ana@example.com", "Ana", "door");
    expect(&a, 409, "an operator with this username exists");
    handler_answer_clear(&a);
    assert_int_equal(pool_users(), users);

    /* listed with the group */
    a = as(MGR, "manager", handler_list_operators, NULL, NULL);
    expect(&a, 200, NULL);
    const cJSON *o, *found = NULL;
    cJSON_ArrayForEach(o, cJSON_GetObjectItem(a.body, "operators")) if (strcmp(jstr(o, "sub"), sub) == 0) found = o;
    assert_non_null(found);
    assert_string_equal(jstr(found, "group"), "cashier");
    assert_string_equal(jstr(found, "username"), "ana@example.com");
    handler_answer_clear(&a);

    /* re-roled: out of cashier, into door, the item too */
    a = as(MGR, "manager", handler_set_operator_role, "{\"group\":\"door\"}", "ana@example.com");
    expect(&a, 200, NULL);
    assert_string_equal(jstr(a.body, "group"), "door");
    handler_answer_clear(&a);
    assert_false(in_group("cashier", sub));
    assert_true(in_group("door", sub));
    it = item_of(sub);
    assert_string_equal(jstr(cJSON_GetObjectItem(it, "group"), "S"), "door");
    cJSON_Delete(it);

    /* disabled: the item (what the writes check) and Cognito; a write with claims still naming a manager is
     * refused (the token was issued before the disable) and writes nothing */
    a = as(MGR, "manager", handler_disable_operator, NULL, "ana@example.com");
    expect(&a, 200, NULL);
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(a.body, "enabled")));
    assert_string_equal(jstr(a.body, "group"), "door");
    handler_answer_clear(&a);
    it = item_of(sub);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(it, "disabled"), "BOOL")));
    cJSON_Delete(it);
    char body[256];
    snprintf(body, sizeof body, "{\"UserPoolId\":\"%s\",\"Username\":\"ana@example.com\"}", pool_id);
    cJSON *u = cog_call("AdminGetUser", body);
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(u, "Enabled")));
    cJSON_Delete(u);
    const char *show = "{\"name\":\"Ana's\",\"date\":\"2094-12-24\",\"venue\":\"V\",\"availableTickets\":1,\"ticketPrice\":1}";
    a = as(sub, "manager", handler_create_concert, show, NULL);
    expect(&a, 403, "operator is disabled");
    handler_answer_clear(&a);
    /* a disabled manager changes nothing either */
    a = create(sub, "eve@example.com", "Eve", "manager");
    expect(&a, 403, "operator is disabled");
    handler_answer_clear(&a);
    assert_int_equal(pool_users(), users);

    /* enabled again */
    a = as(MGR, "manager", handler_enable_operator, NULL, "ana@example.com");
    expect(&a, 200, NULL);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(a.body, "enabled")));
    handler_answer_clear(&a);
    a = as(sub, "manager", handler_create_concert, show, NULL);
    expect(&a, 201, NULL);
    handler_answer_clear(&a);

    /* a manager on themselves: 400, nothing changed */
    a = as(sub, "manager", handler_disable_operator, NULL, "ana@example.com");
    expect(&a, 400, "a manager cannot disable, enable or change the role of themselves");
    handler_answer_clear(&a);
    a = as(sub, "manager", handler_set_operator_role, "{\"group\":\"kiosk\"}", "ana@example.com");
    expect(&a, 400, "a manager cannot disable, enable or change the role of themselves");
    handler_answer_clear(&a);
    assert_true(in_group("door", sub));
    /* no such user */
    a = as(MGR, "manager", handler_disable_operator, NULL, "nobody@example.com");
    expect(&a, 404, "Operator not found");
    handler_answer_clear(&a);

    /* the journal: the manager's four changes, in order, each naming the manager, Ana's name and sub; the
     * refused ones (the second create, the disabled Ana's create and concert, Ana on herself) wrote nothing */
    char day[11];
    time_t now = time(NULL);
    strftime(day, sizeof day, "%Y-%m-%d", gmtime(&now));
    journal_page pg;
    assert_int_equal(store_journal_page(st, JOURNAL_BY_OPERATOR, MGR, day, JOURNAL_LIMIT_MAX, NULL, &pg), STORE_OK);
    char want[4][200];
    snprintf(want[0], sizeof want[0], "operator.added|Ana (sub %s) added as cashier", sub);
    snprintf(want[1], sizeof want[1], "operator.role|Ana (sub %s) role door (was cashier)", sub);
    snprintf(want[2], sizeof want[2], "operator.disabled|Ana (sub %s) disabled", sub);
    snprintf(want[3], sizeof want[3], "operator.enabled|Ana (sub %s) enabled", sub);
    assert_int_equal(pg.n, 4);
    for (int i = 0; i < pg.n; i++) {
        char got[400];
        snprintf(got, sizeof got, "%s|%s", pg.rows[i].type, pg.rows[i].detail);
        assert_string_equal(got, want[i]);
        assert_string_equal(pg.rows[i].sub, MGR);
        assert_string_equal(pg.rows[i].name, "Root");
        assert_string_equal(pg.rows[i].terminal, "");
        assert_string_equal(pg.rows[i].shift_id, "");
        assert_int_equal(pg.rows[i].seq, 0);
        assert_null(strstr(pg.rows[i].detail, "example.com"));
    }
    journal_page_clear(&pg);
    assert_int_equal(store_journal_page(st, JOURNAL_BY_OPERATOR, sub, day, JOURNAL_LIMIT_MAX, NULL, &pg), STORE_OK);
    assert_int_equal(pg.n, 1);
    assert_string_equal(pg.rows[0].type, "concert.created");
    journal_page_clear(&pg);
}

static void hostile_input_is_refused(void **state)
{
    (void)state;
    if (!have_cognito)
        skip();
    int users = pool_users();
    char big[1100];
    memset(big, 'a', 1000);
    strcpy(big + 1000, "@example.com");
    const char *bad_names[] = { "ctl\x01@example.com", "ctl@exa\x1bmple.com", big, "no-at-sign", "", "a@b@c" };
    for (size_t i = 0; i < sizeof bad_names / sizeof bad_names[0]; i++) {
        answer a = as(MGR, "manager", handler_disable_operator, NULL, bad_names[i]);
        expect(&a, 400, "username must be an e-mail address of at most 254 characters");
        handler_answer_clear(&a);
        a = as(MGR, "manager", handler_set_operator_role, "{\"group\":\"door\"}", bad_names[i]);
        expect(&a, 400, "username must be an e-mail address of at most 254 characters");
        handler_answer_clear(&a);
    }
    answer a = create(MGR, big, "Big", "cashier");
    expect(&a, 400, "username must be an e-mail address of at most 254 characters");
    handler_answer_clear(&a);
    a = create(MGR, "x\\u0007y@example.com", "Bell", "cashier");
    expect(&a, 400, "username must be an e-mail address of at most 254 characters");
    handler_answer_clear(&a);
    a = create(MGR, "zoe@example.com", "Zo\\u001b[2Je", "cashier");
    expect(&a, 400, "name must be text of 1 to 64 bytes without control characters");
    handler_answer_clear(&a);
    a = create(MGR, "zoe@example.com", "Zoe", "admin");
    expect(&a, 400, "group must be one of manager, cashier, door, kiosk");
    handler_answer_clear(&a);
    a = create(MGR, "zoe@example.com", "Zoe", "Manager");
    expect(&a, 400, "group must be one of manager, cashier, door, kiosk");
    handler_answer_clear(&a);
    a = as(MGR, "manager", handler_create_operator, "{\"username\":\"zoe@example.com\",\"name\":\"Zoe\",\"group\":\"door\"}", NULL);
    expect(&a, 400, "temporaryPassword must be 8 to 256 characters without control characters");
    handler_answer_clear(&a);
    a = as(MGR, "manager", handler_create_operator,
           "{\"username\":\"zoe@example.com\",\"name\":\"Zoe\",\"group\":\"door\",\"temporaryPassword\":\"short\"}", NULL);
    expect(&a, 400, "temporaryPassword must be 8 to 256 characters without control characters");
    handler_answer_clear(&a);
    a = as(MGR, "manager", handler_set_operator_role, "{\"group\":\"root\"}", "ana@example.com");
    expect(&a, 400, "group must be one of manager, cashier, door, kiosk");
    handler_answer_clear(&a);
    a = as(MGR, "manager", handler_set_operator_role, "[\"door\"]", "ana@example.com");
    expect(&a, 400, "body must be a JSON object");
    handler_answer_clear(&a);
    /* not signed in (a handler reached without the route table) */
    a = as(NULL, NULL, handler_list_operators, NULL, NULL);
    assert_int_equal(a.status, 401);
    handler_answer_clear(&a);
    assert_int_equal(pool_users(), users);
}

/* The same create twice at once (two processes, as two Lambda instances): one 201, one 409, one user. */
static void the_same_create_twice_at_once(void **state)
{
    (void)state;
    if (!have_cognito)
        skip();
    int users = pool_users();
    handler_operators_close(); /* no shared connection across fork */
    int fds[2][2];
    pid_t kids[2];
    for (int k = 0; k < 2; k++) {
        assert_int_equal(pipe(fds[k]), 0);
        kids[k] = fork();
        if (kids[k] == 0) {
            char why[256];
            store *mine = store_open_tables(STORE_NEED_CONCERTS | STORE_NEED_TICKETS | STORE_NEED_OPERATORS, why, sizeof why);
            handler_req q = { .body = "{\"username\":\"twin@example.com\",\"name\":\"Twin\",\"group\":\"kiosk\","
                                      "\"temporaryPassword\":\"Temp-pass-123\"}",
                              .sub = MGR, .groups = "manager" };
            handler_answer a = handler_call_on(mine, handler_create_operator, &q);
            int status = a.status;
            if (write(fds[k][1], &status, sizeof status) != sizeof status)
                _exit(2);
            _exit(0);
        }
        close(fds[k][1]);
    }
    int got[2] = { 0, 0 };
    for (int k = 0; k < 2; k++) {
        assert_int_equal(read(fds[k][0], &got[k], sizeof got[k]), (ssize_t)sizeof got[k]);
        close(fds[k][0]);
        waitpid(kids[k], NULL, 0);
    }
    if (!((got[0] == 201 && got[1] == 409) || (got[0] == 409 && got[1] == 201)))
        fail_msg("two creates at once: %d and %d", got[0], got[1]);
    assert_int_equal(pool_users(), users + 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(operators_are_created_listed_rerolled_disabled_and_enabled),
        cmocka_unit_test(hostile_input_is_refused),
        cmocka_unit_test(the_same_create_twice_at_once),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
