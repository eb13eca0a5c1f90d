/* Query, one page (see ddb_query.h). */
#include "ddb_query.h"

#include <stdio.h>
#include <string.h>

static bool add_copy(cJSON *obj, const char *name, const cJSON *v)
{
    if (!v)
        return true;
    cJSON *c = cJSON_Duplicate(v, 1);
    if (!c)
        return false;
    if (!cJSON_AddItemToObject(obj, name, c)) {
        cJSON_Delete(c);
        return false;
    }
    return true;
}

cJSON *ddb_query_request(const ddb_query *q)
{
    if (!q || !q->table || !q->key_condition)
        return NULL;
    cJSON *req = cJSON_CreateObject();
    bool ok = req && cJSON_AddStringToObject(req, "TableName", q->table) &&
              (!q->index || cJSON_AddStringToObject(req, "IndexName", q->index)) &&
              cJSON_AddStringToObject(req, "KeyConditionExpression", q->key_condition) &&
              (!q->filter || cJSON_AddStringToObject(req, "FilterExpression", q->filter)) &&
              add_copy(req, "ExpressionAttributeNames", q->names) &&
              add_copy(req, "ExpressionAttributeValues", q->values) &&
              (q->limit <= 0 || cJSON_AddNumberToObject(req, "Limit", q->limit)) &&
              add_copy(req, "ExclusiveStartKey", q->start_key) &&
              cJSON_AddBoolToObject(req, "ScanIndexForward", q->forward) &&
              (!q->consistent || cJSON_AddBoolToObject(req, "ConsistentRead", 1));
    if (!ok) {
        cJSON_Delete(req);
        return NULL;
    }
    return req;
}

ddb_status ddb_query_page(ddb_client *c, const ddb_query *q, cJSON **items, cJSON **last_key, ddb_error *err)
{
    *items = NULL;
    *last_key = NULL;
    ddb_error local;
    if (!err)
        err = &local;
    cJSON *req = ddb_query_request(q);
    if (!req) {
        memset(err, 0, sizeof *err);
        err->status = q && q->table && q->key_condition ? DDB_ERR_NOMEM : DDB_ERR_CONFIG;
        snprintf(err->message, sizeof err->message, "%s",
                 err->status == DDB_ERR_NOMEM ? "out of memory" : "Query without table or key condition");
        return err->status;
    }
    cJSON *resp = NULL;
    ddb_status st = ddb_call(c, "Query", req, &resp, err);
    cJSON_Delete(req);
    if (st != DDB_OK)
        return st;
    cJSON *its = cJSON_DetachItemFromObjectCaseSensitive(resp, "Items");
    cJSON *last = cJSON_DetachItemFromObjectCaseSensitive(resp, "LastEvaluatedKey");
    cJSON_Delete(resp);
    if (!cJSON_IsArray(its) || (last && !cJSON_IsObject(last))) {
        cJSON_Delete(its);
        cJSON_Delete(last);
        memset(err, 0, sizeof *err);
        err->status = DDB_ERR_PROTOCOL;
        err->http_status = 200;
        snprintf(err->message, sizeof err->message, "Query answer without an Items array");
        return DDB_ERR_PROTOCOL;
    }
    *items = its;
    *last_key = last;
    return DDB_OK;
}
