/* ddb_query: the Query request built from a ddb_query, and one page against a scripted server
 * (Items and LastEvaluatedKey handed over, an answer without Items refused, errors passed on). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "ddb.h"
#include "ddb_fake.h"
#include "ddb_query.h"

static const char *jstr(const cJSON *o, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void request_has_every_part(void **state)
{
    (void)state;
    cJSON *names = cJSON_Parse("{\"#k\":\"emailKey\",\"#s\":\"emailSort\",\"#c\":\"concertId\"}");
    cJSON *values = cJSON_Parse("{\":k\":{\"S\":\"e#zo\"},\":p\":{\"S\":\"zoe\"},\":c\":{\"S\":\"c-1\"}}");
    cJSON *start = cJSON_Parse("{\"id\":{\"S\":\"o-1\"},\"emailKey\":{\"S\":\"e#zo\"},\"emailSort\":{\"S\":\"zoe\\u001f7\"}}");
    ddb_query q = { .table = "orders", .index = "byEmail", .key_condition = "#k = :k AND begins_with(#s, :p)",
                    .filter = "#c = :c", .names = names, .values = values, .limit = 7, .start_key = start,
                    .forward = false };
    cJSON *req = ddb_query_request(&q);
    assert_non_null(req);
    assert_string_equal(jstr(req, "TableName"), "orders");
    assert_string_equal(jstr(req, "IndexName"), "byEmail");
    assert_string_equal(jstr(req, "KeyConditionExpression"), "#k = :k AND begins_with(#s, :p)");
    assert_string_equal(jstr(req, "FilterExpression"), "#c = :c");
    assert_int_equal(cJSON_GetObjectItem(req, "Limit")->valueint, 7);
    assert_true(cJSON_IsFalse(cJSON_GetObjectItem(req, "ScanIndexForward")));
    assert_null(cJSON_GetObjectItem(req, "ConsistentRead"));
    assert_true(cJSON_Compare(cJSON_GetObjectItem(req, "ExpressionAttributeNames"), names, 1));
    assert_true(cJSON_Compare(cJSON_GetObjectItem(req, "ExpressionAttributeValues"), values, 1));
    assert_true(cJSON_Compare(cJSON_GetObjectItem(req, "ExclusiveStartKey"), start, 1));
    cJSON_Delete(req);
    /* the minimum: table and key condition; no index, filter, limit or start key */
    ddb_query m = { .table = "t", .key_condition = "#k = :k", .values = values, .forward = true, .consistent = true };
    req = ddb_query_request(&m);
    assert_non_null(req);
    assert_null(cJSON_GetObjectItem(req, "IndexName"));
    assert_null(cJSON_GetObjectItem(req, "FilterExpression"));
    assert_null(cJSON_GetObjectItem(req, "Limit"));
    assert_null(cJSON_GetObjectItem(req, "ExclusiveStartKey"));
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(req, "ScanIndexForward")));
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(req, "ConsistentRead")));
    cJSON_Delete(req);
    ddb_query bad = { .table = "t" };
    assert_null(ddb_query_request(&bad));
    cJSON_Delete(names);
    cJSON_Delete(values);
    cJSON_Delete(start);
}

static void pages_against_a_server(void **state)
{
    (void)state;
    static const ddb_fake_reply replies[] = {
        {200, "{\"Items\":[{\"id\":{\"S\":\"a\"}},{\"id\":{\"S\":\"b\"}}],\"Count\":2,\"ScannedCount\":3,"
              "\"LastEvaluatedKey\":{\"id\":{\"S\":\"b\"}}}", 0, 0, NULL},
        {200, "{\"Items\":[],\"Count\":0,\"ScannedCount\":0}", 0, 0, NULL},
        {200, "{\"Count\":0}", 0, 0, NULL},
        {400, "{\"__type\":\"com.amazon.coral.validate#ValidationException\",\"message\":\"The table does not have the specified index\"}", 0, 0, NULL},
    };
    ddb_fake *f = ddb_fake_start(replies, 4);
    assert_non_null(f);
    ddb_fake_use_env(f);
    ddb_error err;
    ddb_client *c = ddb_client_new_from_env(&err);
    assert_non_null(c);
    cJSON *values = cJSON_Parse("{\":k\":{\"S\":\"x\"}}");
    ddb_query q = { .table = "orders", .index = "byName", .key_condition = "#k = :k", .values = values, .limit = 2,
                    .forward = true };
    cJSON *items = NULL, *last = NULL;
    assert_int_equal(ddb_query_page(c, &q, &items, &last, &err), DDB_OK);
    assert_int_equal(cJSON_GetArraySize(items), 2);
    assert_non_null(last);
    assert_string_equal(jstr(cJSON_GetObjectItem(last, "id"), "S"), "b");
    const ddb_fake_request *r = ddb_fake_request_at(f, 0);
    assert_string_equal(ddb_fake_header(r, "X-Amz-Target"), "DynamoDB_20120810.Query");
    cJSON *sent = cJSON_Parse(r->body);
    assert_string_equal(jstr(sent, "IndexName"), "byName");
    cJSON_Delete(sent);
    /* the next page starts after it, and is the last */
    q.start_key = last;
    cJSON *items2 = NULL, *last2 = NULL;
    assert_int_equal(ddb_query_page(c, &q, &items2, &last2, &err), DDB_OK);
    assert_int_equal(cJSON_GetArraySize(items2), 0);
    assert_null(last2);
    sent = cJSON_Parse(ddb_fake_request_at(f, 1)->body);
    assert_true(cJSON_Compare(cJSON_GetObjectItem(sent, "ExclusiveStartKey"), last, 1));
    cJSON_Delete(sent);
    cJSON_Delete(items);
    cJSON_Delete(last);
    cJSON_Delete(items2);
    q.start_key = NULL;
    /* an answer without Items: not understood */
    assert_int_equal(ddb_query_page(c, &q, &items, &last, &err), DDB_ERR_PROTOCOL);
    assert_null(items);
    assert_null(last);
    /* an error passes through */
    assert_int_equal(ddb_query_page(c, &q, &items, &last, &err), DDB_ERR_VALIDATION);
    assert_non_null(strstr(err.message, "specified index"));
    assert_null(items);
    cJSON_Delete(values);
    ddb_client_free(c);
    ddb_fake_stop(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(request_has_every_part),
        cmocka_unit_test(pages_against_a_server),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
