#ifndef DDB_QUERY_H
#define DDB_QUERY_H
/* DynamoDB Query, one page at a time, on a table or one of its indexes (ddb_call "Query" underneath,
 * with its retries and deadline).
 *
 *   ddb_query q = { .table = "orders", .index = "byEmail", .key_condition = "#k = :k AND begins_with(#s, :p)",
 *                   .names = names, .values = values, .limit = 20, .forward = true };
 *   cJSON *items = NULL, *last = NULL;
 *   if (ddb_query_page(c, &q, &items, &last, &err) == DDB_OK) { ...; cJSON_Delete(items); cJSON_Delete(last); }
 *
 * Limit counts the items DynamoDB reads, before any FilterExpression: a page may hold fewer items than
 * asked (even none) and still have a LastEvaluatedKey. Keep paging with start_key = last until it is NULL. */
#include <stdbool.h>
#include <cjson/cJSON.h>

#include "ddb.h"

typedef struct ddb_query {
    const char *table;            /* TableName (required) */
    const char *index;            /* IndexName, NULL for the table itself */
    const char *key_condition;    /* KeyConditionExpression (required) */
    const char *filter;           /* FilterExpression, NULL for none */
    const cJSON *names;           /* ExpressionAttributeNames object, borrowed, NULL for none */
    const cJSON *values;          /* ExpressionAttributeValues object, borrowed (required by any condition) */
    int limit;                    /* Limit, 0 for none (DynamoDB's 1 MB page) */
    const cJSON *start_key;       /* ExclusiveStartKey, borrowed, NULL to start at the beginning */
    bool forward;                 /* ScanIndexForward: true ascending by sort key */
    bool consistent;              /* ConsistentRead (not on a global secondary index) */
} ddb_query;

/* The request JSON of q, NULL when out of memory or q lacks table/key_condition (caller frees). */
cJSON *ddb_query_request(const ddb_query *q);

/* Runs one page of q. DDB_OK: *items is the answer's Items array (owned by the caller, possibly empty) and
 * *last_key its LastEvaluatedKey (owned, NULL when the query is complete). Otherwise both NULL and err
 * filled (a 2xx answer without an Items array is DDB_ERR_PROTOCOL). err may be NULL. */
ddb_status ddb_query_page(ddb_client *c, const ddb_query *q, cJSON **items, cJSON **last_key, ddb_error *err);

#endif
