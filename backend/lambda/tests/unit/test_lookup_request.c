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
#include "handler_call.h"
#include "handlers.h"
#include "lookup_key.h"

/* Runs fn on an event with query parameters (a JSON object text, or NULL), a path code, the caller's sub (a manager). */
static int run(handler_fn fn, const char *query, const char *code, const char *key_id, char *text, size_t size)
{
    return handler_call(fn, &(handler_req){ .query = query, .param = code ? "code" : NULL, .value = code, .sub = key_id, .groups = key_id ? "manager" : NULL },
                        text, size);
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
    expect_find("{\"email\":\"zo\"}", NULL, 401, NULL);
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
    expect_find(big, "op", 400, "at most 1024 characters");
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
    expect_code("ABCDE-FGHJK-MNPQR-STVWX", NULL, 401, NULL);
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
