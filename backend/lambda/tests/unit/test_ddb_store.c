/* The store's requests and its reading of DynamoDB answers that DynamoDB Local cannot be made to
 * give on demand (throttling, 5xx, conflicts, odd pages), against a scripted local server. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bo_clock.h"
#include "ddb.h"
#include "ddb_fake.h"
#include "store.h"

#define CANCEL(a, b)                                                                                            \
    "{\"__type\":\"com.amazonaws.dynamodb.v20120810#TransactionCanceledException\",\"Message\":\"Transaction " \
    "cancelled\",\"CancellationReasons\":[{\"Code\":\"" a "\"},{\"Code\":\"" b "\"}]}"
#define THROTTLED "{\"__type\":\"com.amazon.coral.availability#ThrottlingException\",\"message\":\"Rate exceeded\"}"
#define CONCERT_ITEM                                                                                              \
    "{\"Item\":{\"id\":{\"S\":\"c-1\"},\"name\":{\"S\":\"N\"},\"date\":{\"S\":\"2026-12-31\"},\"venue\":{\"S\":\"V\"}," \
    "\"availableTickets\":{\"N\":\"0\"},\"ticketPrice\":{\"N\":\"49.99\"}}}"

#define OPEN_CONCERT                                                                                              \
    "{\"Item\":{\"id\":{\"S\":\"c-1\"},\"name\":{\"S\":\"N\"},\"date\":{\"S\":\"2026-12-31\"},\"venue\":{\"S\":\"V\"}," \
    "\"availableTickets\":{\"N\":\"5\"},\"ticketPrice\":{\"N\":\"49.99\"}}}"
#define STRING_SEATS_CONCERT                                                                                      \
    "{\"Item\":{\"id\":{\"S\":\"c-1\"},\"name\":{\"S\":\"N\"},\"date\":{\"S\":\"2026-12-31\"},\"venue\":{\"S\":\"V\"}," \
    "\"availableTickets\":{\"S\":\"7\"},\"ticketPrice\":{\"N\":\"49.99\"}}}"
#define CONDITION_FAILED                                                                                          \
    "{\"__type\":\"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException\",\"message\":\"The conditional " \
    "request failed\"}"
#define OK_REPLY {200, "{}", 0, 0, NULL}
#define REPLY(body) {200, body, 0, 0, NULL}

typedef struct fixture {
    ddb_fake *fake;
    store *s;
} fixture;

static fixture start(const ddb_fake_reply *replies, size_t n)
{
    fixture fx;
    fx.fake = ddb_fake_start(replies, n);
    assert_non_null(fx.fake);
    ddb_fake_use_env(fx.fake);
    setenv("CONCERTS_TABLE", "concerts-test", 1);
    setenv("TICKETS_TABLE", "tickets-test", 1);
    setenv("COUNTERS_TABLE", "counters-test", 1);
    char why[256];
    fx.s = store_open_from_env(why, sizeof why);
    if (!fx.s)
        fail_msg("store_open_from_env: %s", why);
    return fx;
}

static void stop(fixture *fx)
{
    store_close(fx->s);
    ddb_fake_stop(fx->fake);
}

static cJSON *body_of(fixture *fx, size_t i)
{
    const ddb_fake_request *r = ddb_fake_request_at(fx->fake, i);
    assert_non_null(r);
    cJSON *j = cJSON_ParseWithLength(r->body, r->body_len);
    assert_non_null(j);
    return j;
}

static const char *target_of(fixture *fx, size_t i)
{
    return ddb_fake_header(ddb_fake_request_at(fx->fake, i), "X-Amz-Target");
}

static const char *str_at(const cJSON *j, const char *path)
{
    /* "a.b.c" through objects; numbers in brackets index arrays: "TransactItems.0.Put" */
    char buf[256];
    snprintf(buf, sizeof buf, "%s", path);
    const cJSON *cur = j;
    char *save = NULL;
    for (char *part = strtok_r(buf, ".", &save); part && cur; part = strtok_r(NULL, ".", &save)) {
        if (part[0] >= '0' && part[0] <= '9')
            cur = cJSON_GetArrayItem(cur, atoi(part));
        else
            cur = cJSON_GetObjectItemCaseSensitive(cur, part);
    }
    return cJSON_IsString(cur) ? cur->valuestring : NULL;
}

static void make_ticket(ticket *t)
{
    memset(t, 0, sizeof *t);
    strcpy(t->id, "t-1");
    strcpy(t->concert_id, "c-1");
    t->customer_name = (char *)"Grace Hopper";
    t->customer_email = (char *)"grace@example.org";
}

static void test_purchase_request_is_the_documented_transaction(void **state)
{
    (void)state;
    const ddb_fake_reply replies[] = {REPLY(OPEN_CONCERT), OK_REPLY};
    fixture fx = start(replies, 2);
    ticket t, out;
    make_ticket(&t);
    assert_int_equal(store_purchase(fx.s, &t, &out), STORE_OK);
    assert_string_equal(out.id, "t-1");
    assert_string_equal(out.customer_email, "grace@example.org");
    assert_int_equal(strlen(out.purchase_date), 24);
    ticket_clear(&out);

    /* the concert is read first (strongly consistent), then the transaction */
    assert_int_equal(ddb_fake_count(fx.fake), 2);
    assert_string_equal(target_of(&fx, 0), "DynamoDB_20120810.GetItem");
    cJSON *b = body_of(&fx, 0);
    assert_string_equal(str_at(b, "TableName"), "concerts-test");
    assert_string_equal(str_at(b, "Key.id.S"), "c-1");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(b, "ConsistentRead")));
    cJSON_Delete(b);
    assert_string_equal(target_of(&fx, 1), "DynamoDB_20120810.TransactWriteItems");
    b = body_of(&fx, 1);
    assert_int_equal(cJSON_GetArraySize(cJSON_GetObjectItem(b, "TransactItems")), 2);
    assert_non_null(str_at(b, "ClientRequestToken"));
    assert_string_equal(str_at(b, "TransactItems.0.Update.TableName"), "concerts-test");
    assert_string_equal(str_at(b, "TransactItems.0.Update.Key.id.S"), "c-1");
    assert_string_equal(str_at(b, "TransactItems.0.Update.UpdateExpression"), "SET #avail = #avail - :one ADD #sold :one");
    assert_string_equal(str_at(b, "TransactItems.0.Update.ConditionExpression"), "attribute_exists(#id) AND #avail > :zero");
    assert_string_equal(str_at(b, "TransactItems.0.Update.ExpressionAttributeNames.#avail"), "availableTickets");
    assert_string_equal(str_at(b, "TransactItems.0.Update.ExpressionAttributeNames.#id"), "id");
    assert_string_equal(str_at(b, "TransactItems.0.Update.ExpressionAttributeNames.#sold"), "sold");
    assert_string_equal(str_at(b, "TransactItems.0.Update.ExpressionAttributeValues.:one.N"), "1");
    assert_string_equal(str_at(b, "TransactItems.0.Update.ExpressionAttributeValues.:zero.N"), "0");
    assert_string_equal(str_at(b, "TransactItems.1.Put.TableName"), "tickets-test");
    assert_string_equal(str_at(b, "TransactItems.1.Put.ConditionExpression"), "attribute_not_exists(#id)");
    assert_string_equal(str_at(b, "TransactItems.1.Put.Item.id.S"), "t-1");
    assert_string_equal(str_at(b, "TransactItems.1.Put.Item.concertId.S"), "c-1");
    assert_string_equal(str_at(b, "TransactItems.1.Put.Item.customerName.S"), "Grace Hopper");
    assert_string_equal(str_at(b, "TransactItems.1.Put.Item.customerEmail.S"), "grace@example.org");
    assert_non_null(str_at(b, "TransactItems.1.Put.Item.purchaseDate.S"));
    const cJSON *put_item = cJSON_GetObjectItem(
        cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(b, "TransactItems"), 1), "Put"), "Item");
    assert_int_equal(cJSON_GetArraySize(put_item), 5);
    cJSON_Delete(b);
    stop(&fx);
}

static void test_seat_condition_failure_is_decided_by_reading_the_concert(void **state)
{
    (void)state;
    /* no concert at the first read -> not found, no transaction (the ticket id is looked up: a replay?) */
    const ddb_fake_reply none[] = {OK_REPLY};
    fixture fx = start(none, 1);
    ticket t;
    make_ticket(&t);
    assert_int_equal(store_purchase(fx.s, &t, NULL), STORE_NOT_FOUND);
    assert_int_equal(ddb_fake_count(fx.fake), 2);
    assert_string_equal(target_of(&fx, 1), "DynamoDB_20120810.GetItem");
    cJSON *b = body_of(&fx, 1);
    assert_string_equal(str_at(b, "TableName"), "tickets-test");
    assert_string_equal(str_at(b, "Key.id.S"), "t-1");
    cJSON_Delete(b);
    stop(&fx);

    /* concert gone between the read and the transaction -> not found */
    const ddb_fake_reply missing[] = {REPLY(OPEN_CONCERT), {400, CANCEL("ConditionalCheckFailed", "None"), 0, 0, NULL},
                                      OK_REPLY};
    fx = start(missing, 3);
    assert_int_equal(store_purchase(fx.s, &t, NULL), STORE_NOT_FOUND);
    assert_int_equal(ddb_fake_count(fx.fake), 4);
    assert_string_equal(target_of(&fx, 2), "DynamoDB_20120810.GetItem");
    b = body_of(&fx, 2);
    assert_string_equal(str_at(b, "TableName"), "concerts-test");
    assert_string_equal(str_at(b, "Key.id.S"), "c-1");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(b, "ConsistentRead")));
    cJSON_Delete(b);
    stop(&fx);

    /* concert there -> sold out */
    const ddb_fake_reply sold[] = {REPLY(OPEN_CONCERT), {400, CANCEL("ConditionalCheckFailed", "None"), 0, 0, NULL},
                                   {200, CONCERT_ITEM, 0, 0, NULL}};
    fx = start(sold, 3);
    assert_int_equal(store_purchase(fx.s, &t, NULL), STORE_SOLD_OUT);
    stop(&fx);

    /* the deciding read fails -> unavailable, never a guess */
    const ddb_fake_reply unsure[] = {REPLY(OPEN_CONCERT), {400, CANCEL("ConditionalCheckFailed", "None"), 0, 0, NULL},
                                     {500, "{}", 0, 0, NULL}};
    fx = start(unsure, 3);
    assert_int_equal(store_purchase(fx.s, &t, NULL), STORE_UNAVAILABLE);
    assert_int_equal(ddb_fake_count(fx.fake), 2 + DDB_MAX_ATTEMPTS);
    stop(&fx);
}

/* A seat counter stored as a string ({"S":"7"}) is sold like the number: it is first rewritten as N,
 * on the condition that it still holds that string, then the usual transaction runs. */
static void test_string_seat_counter_is_rewritten_as_a_number_then_sold(void **state)
{
    (void)state;
    const ddb_fake_reply replies[] = {REPLY(STRING_SEATS_CONCERT), OK_REPLY, REPLY(OPEN_CONCERT), OK_REPLY};
    fixture fx = start(replies, 4);
    ticket t;
    make_ticket(&t);
    assert_int_equal(store_purchase(fx.s, &t, NULL), STORE_OK);
    assert_int_equal(ddb_fake_count(fx.fake), 4);
    assert_string_equal(target_of(&fx, 1), "DynamoDB_20120810.UpdateItem");
    cJSON *b = body_of(&fx, 1);
    assert_string_equal(str_at(b, "TableName"), "concerts-test");
    assert_string_equal(str_at(b, "Key.id.S"), "c-1");
    assert_string_equal(str_at(b, "UpdateExpression"), "SET #avail = :n");
    assert_string_equal(str_at(b, "ConditionExpression"), "#avail = :s");
    assert_string_equal(str_at(b, "ExpressionAttributeNames.#avail"), "availableTickets");
    assert_string_equal(str_at(b, "ExpressionAttributeValues.:s.S"), "7");
    assert_string_equal(str_at(b, "ExpressionAttributeValues.:n.N"), "7");
    cJSON_Delete(b);
    assert_string_equal(target_of(&fx, 2), "DynamoDB_20120810.GetItem");
    assert_string_equal(target_of(&fx, 3), "DynamoDB_20120810.TransactWriteItems");
    stop(&fx);

    /* another buyer rewrote it first: the failed condition is no error, the concert is read again */
    const ddb_fake_reply raced[] = {REPLY(STRING_SEATS_CONCERT), {400, CONDITION_FAILED, 0, 0, NULL},
                                    REPLY(OPEN_CONCERT), OK_REPLY};
    fx = start(raced, 4);
    assert_int_equal(store_purchase(fx.s, &t, NULL), STORE_OK);
    assert_int_equal(ddb_fake_count(fx.fake), 4);
    stop(&fx);

    /* a counter that keeps coming back as a string: a bounded number of rounds, then unavailable */
#define FLAP REPLY(STRING_SEATS_CONCERT), {400, CONDITION_FAILED, 0, 0, NULL}
    const ddb_fake_reply flapping[] = {FLAP, FLAP, FLAP, FLAP, FLAP};
#undef FLAP
    fx = start(flapping, 10);
    assert_int_equal(store_purchase(fx.s, &t, NULL), STORE_UNAVAILABLE);
    assert_int_equal(ddb_fake_count(fx.fake), 8); /* 4 rounds of read + conditional rewrite */
    assert_non_null(strstr(store_last_error(fx.s), "kept changing"));
    stop(&fx);
}

static void test_existing_ticket_is_replay_or_conflict(void **state)
{
    (void)state;
    const char *same = "{\"Item\":{\"id\":{\"S\":\"t-1\"},\"concertId\":{\"S\":\"c-1\"},\"customerName\":{\"S\":\"Grace Hopper\"},"
                       "\"customerEmail\":{\"S\":\"grace@example.org\"},\"purchaseDate\":{\"S\":\"2026-11-25T08:00:00.000Z\"}}}";
    const char *other = "{\"Item\":{\"id\":{\"S\":\"t-1\"},\"concertId\":{\"S\":\"c-2\"}}}";
    const char *other_name = "{\"Item\":{\"id\":{\"S\":\"t-1\"},\"concertId\":{\"S\":\"c-1\"},\"customerName\":{\"S\":\"Grace "
                             "Murray\"},\"customerEmail\":{\"S\":\"grace@example.org\"}}}";
    const char *other_email = "{\"Item\":{\"id\":{\"S\":\"t-1\"},\"concertId\":{\"S\":\"c-1\"},\"customerName\":{\"S\":\"Grace "
                              "Hopper\"},\"customerEmail\":{\"S\":\"Grace@example.org\"}}}";
    /* both conditions failed (the last seat was this very ticket): the ticket decides */
    const ddb_fake_reply replay[] = {REPLY(OPEN_CONCERT),
                                     {400, CANCEL("ConditionalCheckFailed", "ConditionalCheckFailed"), 0, 0, NULL},
                                     {200, same, 0, 0, NULL}};
    fixture fx = start(replay, 3);
    ticket t, out;
    make_ticket(&t);
    assert_int_equal(store_purchase(fx.s, &t, &out), STORE_REPLAY);
    assert_string_equal(out.customer_email, "grace@example.org");
    assert_string_equal(out.purchase_date, "2026-11-25T08:00:00.000Z");
    ticket_clear(&out);
    cJSON *b = body_of(&fx, 2);
    assert_string_equal(str_at(b, "TableName"), "tickets-test");
    assert_string_equal(str_at(b, "Key.id.S"), "t-1");
    cJSON_Delete(b);
    stop(&fx);

    /* the key reused for another concert, another customer name, another e-mail: a conflict, and
     * nothing of the stored ticket comes back */
    const char *others[] = {other, other_name, other_email};
    for (size_t i = 0; i < 3; i++) {
        const ddb_fake_reply conflict[] = {REPLY(OPEN_CONCERT), {400, CANCEL("None", "ConditionalCheckFailed"), 0, 0, NULL},
                                           {200, others[i], 0, 0, NULL}};
        fx = start(conflict, 3);
        assert_int_equal(store_purchase(fx.s, &t, &out), STORE_CONFLICT);
        assert_null(out.customer_name);
        assert_null(out.customer_email);
        assert_string_equal(out.id, "");
        stop(&fx);
    }

    /* reported as existing, then not found: an error, not a sale */
    const ddb_fake_reply vanished[] = {REPLY(OPEN_CONCERT), {400, CANCEL("None", "ConditionalCheckFailed"), 0, 0, NULL},
                                       {200, "{}", 0, 0, NULL}};
    fx = start(vanished, 3);
    assert_int_equal(store_purchase(fx.s, &t, NULL), STORE_ERROR);
    stop(&fx);

    /* reasons only in the message */
    const ddb_fake_reply msg_only[] = {
        REPLY(OPEN_CONCERT),
        {400,
         "{\"__type\":\"TransactionCanceledException\",\"message\":\"Transaction cancelled, please refer "
         "cancellation reasons for specific reasons [None, ConditionalCheckFailed]\"}",
         0, 0, NULL},
        {200, same, 0, 0, NULL}};
    fx = start(msg_only, 3);
    assert_int_equal(store_purchase(fx.s, &t, NULL), STORE_REPLAY);
    stop(&fx);
}

static void test_contention_and_outages_are_unavailable(void **state)
{
    (void)state;
    const ddb_fake_reply conflict[] = {REPLY(OPEN_CONCERT), {400, CANCEL("None", "TransactionConflict"), 0, 0, NULL}};
    fixture fx = start(conflict, 2);
    ticket t;
    make_ticket(&t);
    assert_int_equal(store_purchase(fx.s, &t, NULL), STORE_UNAVAILABLE);
    assert_int_equal(ddb_fake_count(fx.fake), 1 + DDB_MAX_ATTEMPTS);
    assert_non_null(strstr(store_last_error(fx.s), "TransactionCanceledException"));
    stop(&fx);

    const ddb_fake_reply conflict_then_ok[] = {REPLY(OPEN_CONCERT), {400, CANCEL("TransactionConflict", "None"), 0, 0, NULL},
                                               {200, "{}", 0, 0, NULL}};
    fx = start(conflict_then_ok, 3);
    assert_int_equal(store_purchase(fx.s, &t, NULL), STORE_OK);
    stop(&fx);

    const ddb_fake_reply throttled[] = {{400, THROTTLED, 0, 0, NULL}};
    fx = start(throttled, 1);
    assert_int_equal(store_purchase(fx.s, &t, NULL), STORE_UNAVAILABLE);
    concert c;
    assert_int_equal(store_get_concert(fx.s, "c-1", &c), STORE_UNAVAILABLE);
    concert_list l;
    assert_int_equal(store_list_concerts(fx.s, &l), STORE_UNAVAILABLE);
    assert_null(l.items);
    concert put;
    memset(&put, 0, sizeof put);
    strcpy(put.id, "c-9");
    assert_int_equal(store_put_concert(fx.s, &put), STORE_UNAVAILABLE);
    assert_non_null(strstr(store_last_error(fx.s), "ThrottlingException"));
    stop(&fx);

    const ddb_fake_reply validation[] = {
        REPLY(OPEN_CONCERT), {400, CANCEL("ValidationError", "None"), 0, 0, NULL}, {200, "{}", 0, 0, NULL}};
    fx = start(validation, 3);
    assert_int_equal(store_purchase(fx.s, &t, NULL), STORE_ERROR);
    assert_int_equal(ddb_fake_count(fx.fake), 2);
    stop(&fx);
}

static void test_list_follows_last_evaluated_key(void **state)
{
    (void)state;
    const ddb_fake_reply pages[] = {
        {200,
         "{\"Items\":[{\"id\":{\"S\":\"a\"},\"availableTickets\":{\"N\":\"1\"},\"ticketPrice\":{\"N\":\"1.5\"}},"
         "{\"id\":{\"S\":\"b\"}}],\"Count\":2,\"LastEvaluatedKey\":{\"id\":{\"S\":\"b\"}}}",
         0, 0, NULL},
        {200, "{\"Items\":[{\"id\":{\"S\":\"c\"}},{\"noid\":{\"S\":\"x\"}}],\"Count\":2}", 0, 0, NULL},
    };
    fixture fx = start(pages, 2);
    concert_list l;
    assert_int_equal(store_list_concerts(fx.s, &l), STORE_OK);
    assert_int_equal(l.n, 3);
    assert_string_equal(l.items[0].id, "a");
    assert_int_equal(l.items[0].price_cents, 150);
    assert_string_equal(l.items[2].id, "c");
    concert_list_clear(&l);
    assert_non_null(strstr(store_last_error(fx.s), "skipped 1"));
    assert_int_equal(ddb_fake_count(fx.fake), 2);
    cJSON *first = body_of(&fx, 0), *second = body_of(&fx, 1);
    assert_null(cJSON_GetObjectItem(first, "ExclusiveStartKey"));
    assert_string_equal(str_at(second, "ExclusiveStartKey.id.S"), "b");
    assert_string_equal(str_at(second, "TableName"), "concerts-test");
    cJSON_Delete(first);
    cJSON_Delete(second);
    stop(&fx);

    /* a server that hands back the same key forever is caught */
    const ddb_fake_reply loop[] = {{200, "{\"Items\":[],\"LastEvaluatedKey\":{\"id\":{\"S\":\"k\"}}}", 0, 0, NULL}};
    fx = start(loop, 1);
    assert_int_equal(store_list_concerts(fx.s, &l), STORE_ERROR);
    assert_int_equal(l.n, 0);
    assert_int_equal(ddb_fake_count(fx.fake), 2);
    stop(&fx);

    const ddb_fake_reply bad_items[] = {{200, "{\"Items\":{\"id\":1}}", 0, 0, NULL}};
    fx = start(bad_items, 1);
    assert_int_equal(store_list_concerts(fx.s, &l), STORE_ERROR);
    stop(&fx);

    const ddb_fake_reply empty[] = {{200, "{\"Count\":0}", 0, 0, NULL}};
    fx = start(empty, 1);
    assert_int_equal(store_list_concerts(fx.s, &l), STORE_OK);
    assert_int_equal(l.n, 0);
    concert_list_clear(&l);
    stop(&fx);
}

static void test_garbage_answers_are_errors(void **state)
{
    (void)state;
    const ddb_fake_reply garbage[] = {{200, "<html>", 0, 0, NULL}};
    fixture fx = start(garbage, 1);
    concert c;
    assert_int_equal(store_get_concert(fx.s, "c-1", &c), STORE_ERROR);
    assert_int_equal(ddb_fake_count(fx.fake), 1);
    assert_non_null(strstr(store_last_error(fx.s), "DDB_ERR_PROTOCOL"));
    stop(&fx);

    /* a concert of today's layout is one GetItem, as before pools (issue 19) */
    const ddb_fake_reply odd_item[] = {{200, "{\"Item\":{\"id\":{\"N\":\"5\"}}}", 0, 0, NULL}};
    fx = start(odd_item, 1);
    assert_int_equal(store_get_concert(fx.s, "c-1", &c), STORE_ERROR);
    stop(&fx);

    const ddb_fake_reply huge_number[] = {{200, "{\"Item\":{\"id\":{\"S\":\"c-1\"},\"ticketPrice\":{\"N\":\"1E+30\"}}}", 0, 0, NULL}};
    fx = start(huge_number, 1);
    assert_int_equal(store_get_concert(fx.s, "c-1", &c), STORE_MALFORMED);
    assert_string_equal(c.id, "c-1");
    assert_true(c.n_problems >= 1);
    assert_true(c.bad & STORE_F_PRICE);
    assert_string_equal(c.raw_price, "1E+30");
    concert_clear(&c);
    stop(&fx);
}

static void test_deadline_passed_sends_nothing(void **state)
{
    (void)state;
    const ddb_fake_reply ok = {200, "{}", 0, 0, NULL};
    fixture fx = start(&ok, 1);
    store_set_deadline(fx.s, bo_clock_wall_ms() - 2000u);
    concert c;
    assert_int_equal(store_get_concert(fx.s, "c-1", &c), STORE_UNAVAILABLE);
    assert_int_equal(ddb_fake_count(fx.fake), 0);
    store_set_deadline(fx.s, 0);
    assert_int_equal(store_get_concert(fx.s, "c-1", &c), STORE_NOT_FOUND);
    stop(&fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_purchase_request_is_the_documented_transaction),
        cmocka_unit_test(test_seat_condition_failure_is_decided_by_reading_the_concert),
        cmocka_unit_test(test_string_seat_counter_is_rewritten_as_a_number_then_sold),
        cmocka_unit_test(test_existing_ticket_is_replay_or_conflict),
        cmocka_unit_test(test_contention_and_outages_are_unavailable),
        cmocka_unit_test(test_list_follows_last_evaluated_key),
        cmocka_unit_test(test_garbage_answers_are_errors),
        cmocka_unit_test(test_deadline_passed_sends_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
