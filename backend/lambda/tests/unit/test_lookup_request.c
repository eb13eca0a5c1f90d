/* The lookup handlers' request validation without a store (st == NULL: valid input answers 503):
 * findOrders (exactly one of email/name, 2 folded characters, concertId, limit, cursor of this very query)
 * and getTicketByCode (a code in any form; anything else 400), each needing API Gateway's apiKeyId. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ddb_attr.h"
#include "handlers.h"
#include "lookup_key.h"

/* Runs fn on an event with query parameters (a JSON object text, or NULL), a path code, an apiKeyId. */
static int run(handler_fn fn, const char *query, const char *code, const char *key_id, char *text, size_t size)
{
    cJSON *e = cJSON_CreateObject();
    if (query)
        cJSON_AddItemToObject(e, "queryStringParameters", cJSON_Parse(query));
    if (code)
        cJSON_AddStringToObject(cJSON_AddObjectToObject(e, "pathParameters"), "code", code);
    cJSON *id = cJSON_AddObjectToObject(cJSON_AddObjectToObject(e, "requestContext"), "identity");
    if (key_id)
        cJSON_AddStringToObject(id, "apiKeyId", key_id);
    char *ev_text = cJSON_PrintUnformatted(e);
    cJSON_Delete(e);
    apigw_event ev;
    assert_int_equal(apigw_event_parse(ev_text, strlen(ev_text), &ev), 0);
    free(ev_text);
    handler_result r;
    memset(&r, 0, sizeof r);
    fn(NULL, &ev, &r);
    snprintf(text, size, "%s", r.resp.body ? r.resp.body : "");
    int status = r.resp.status;
    handler_result_clear(&r);
    apigw_event_clear(&ev);
    return status;
}

static void expect_find(const char *query, const char *key_id, int status, const char *contains)
{
    char text[512];
    int got = run(handler_find_orders, query, NULL, key_id, text, sizeof text);
    if (got != status || (contains && !strstr(text, contains)))
        fail_msg("%s: %d %s, expected %d with %s", query ? query : "(none)", got, text, status, contains ? contains : "-");
}

static void find_input(void **state)
{
    (void)state;
    expect_find("{\"email\":\"zo\"}", "op", 503, NULL); /* valid: reaches the store */
    expect_find("{\"name\":\"Zoë M\",\"concertId\":\"c1\",\"limit\":\"50\"}", "op", 503, NULL);
    expect_find("{\"name\":\"ß\"}", "op", 503, NULL);    /* ss: two characters once folded */
    expect_find("{\"email\":\"zo\"}", NULL, 403, NULL);
    expect_find(NULL, "op", 400, "exactly one of email= or name=");
    expect_find("{\"email\":\"zo\",\"name\":\"zo\"}", "op", 400, "exactly one");
    expect_find("{\"concertId\":\"c1\"}", "op", 400, "exactly one");
    expect_find("{\"name\":\"Z\"}", "op", 400, "Type at least 2 characters");
    expect_find("{\"name\":\"É \"}", "op", 400, "Type at least 2 characters");
    expect_find("{\"name\":\" -- \"}", "op", 400, "Type at least 2 characters");
    expect_find("{\"email\":\"\"}", "op", 400, "Type at least 2 characters");
    expect_find("{\"email\":\"zo\",\"limit\":\"0\"}", "op", 400, "limit must be");
    expect_find("{\"email\":\"zo\",\"limit\":\"51\"}", "op", 400, "limit must be");
    expect_find("{\"email\":\"zo\",\"limit\":\"1.5\"}", "op", 400, "limit must be");
    expect_find("{\"email\":\"zo\",\"limit\":\"\"}", "op", 400, "limit must be");
    expect_find("{\"email\":\"zo\",\"concertId\":\"\"}", "op", 400, "concertId");
    expect_find("{\"email\":\"zo\",\"cursor\":\"x\"}", "op", 400, "Bad cursor");
    char big[1100 + 32];
    snprintf(big, sizeof big, "{\"name\":\"%01100d\"}", 0);
    expect_find(big, "op", 400, "at most 1024 bytes");
}

static void find_cursor_of_the_same_query(void **state)
{
    (void)state;
    lookup_query q;
    assert_int_equal(lookup_query_init(&q, LOOKUP_BY_NAME, "zoe m", "c1"), 0);
    cJSON *k = cJSON_CreateObject();
    assert_true(ddb_attr_add(k, "id", "S", "o-1") && ddb_attr_add(k, "nameKey", "S", "n#zo") &&
                ddb_attr_add(k, "nameSort", "S", "zoe muller\x1f" "7973"));
    char *c = lookup_cursor_encode(&q, k);
    assert_non_null(c);
    char query[512];
    /* the same query, typed differently (case, accents, spacing): the same folded prefix, the cursor fits */
    snprintf(query, sizeof query, "{\"name\":\"ZOË  M\",\"concertId\":\"c1\",\"cursor\":\"%s\"}", c);
    expect_find(query, "op", 503, NULL);
    snprintf(query, sizeof query, "{\"name\":\"zoe m\",\"cursor\":\"%s\"}", c);          /* no filter */
    expect_find(query, "op", 400, "Bad cursor");
    snprintf(query, sizeof query, "{\"name\":\"zoe mu\",\"concertId\":\"c1\",\"cursor\":\"%s\"}", c);
    expect_find(query, "op", 400, "Bad cursor");
    snprintf(query, sizeof query, "{\"email\":\"zoe m\",\"concertId\":\"c1\",\"cursor\":\"%s\"}", c);
    expect_find(query, "op", 400, "Bad cursor");
    free(c);
    cJSON_Delete(k);
}

static void expect_code(const char *code, const char *key_id, int status, const char *contains)
{
    char text[512];
    int got = run(handler_ticket_by_code, NULL, code, key_id, text, sizeof text);
    if (got != status || (contains && !strstr(text, contains)))
        fail_msg("%s: %d %s, expected %d with %s", code ? code : "(none)", got, text, status, contains ? contains : "-");
}

static void code_input(void **state)
{
    (void)state;
    expect_code("ABCDE-FGHJK-MNPQR-STVWX", "op", 503, NULL);
    expect_code("abcdefghjkmnpqrstvwx", "op", 503, NULL);
    expect_code("ABCDE-FGHJK-MNPQR-STVWX", NULL, 403, NULL);
    expect_code("UUUUU-FGHJK-MNPQR-STVWX", "op", 400, "not a ticket code");
    expect_code("ABCDE", "op", 400, "not a ticket code");
    expect_code("", "op", 400, "not a ticket code");
    expect_code(NULL, "op", 400, "not a ticket code");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(find_input),
        cmocka_unit_test(find_cursor_of_the_same_query),
        cmocka_unit_test(code_input),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
