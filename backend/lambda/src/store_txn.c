/* The helpers every store transaction shares (store_purchase.c, store_order.c, store_aftersale.c; declared in
 * store_priv.h): sending a transaction, money as a DynamoDB number and reading a cancellation's reasons. */
#include "bo_money.h"
#include "ddb.h"
#include "ddb_attr.h"
#include "store_priv.h"

#include <stdbool.h>
#include <string.h>

bool store_txn_add_money(cJSON *obj, const char *name, int64_t cents)
{
    char m[BO_MONEY_BUF + 1];
    if (cents < 0) {
        m[0] = '-';
        bo_money_format(-cents, m + 1);
    } else {
        bo_money_format(cents, m);
    }
    return ddb_attr_add(obj, name, "N", m);
}

bool store_txn_failed(const ddb_error *e, size_t i)
{
    return i < e->n_reasons && strcmp(e->reasons[i], "ConditionalCheckFailed") == 0;
}

cJSON *store_txn_add_new_put(cJSON *items, const char *table, const char *key_name)
{
    cJSON *wrap = cJSON_CreateObject();
    if (!wrap || !cJSON_AddItemToArray(items, wrap)) {
        cJSON_Delete(wrap);
        return NULL;
    }
    cJSON *put = cJSON_AddObjectToObject(wrap, "Put");
    cJSON *names = put ? cJSON_AddObjectToObject(put, "ExpressionAttributeNames") : NULL;
    if (!names || !cJSON_AddStringToObject(put, "TableName", table) ||
        !cJSON_AddStringToObject(put, "ConditionExpression", "attribute_not_exists(#k)") ||
        !cJSON_AddStringToObject(names, "#k", key_name))
        return NULL;
    return cJSON_AddObjectToObject(put, "Item");
}

bool store_txn_add_operator_check(cJSON *items, store *s, const char *sub)
{
    if (!sub || !*sub)
        return true;
    if (!store_tables_set(s, STORE_NEED_OPERATORS, "operator check"))
        return false;
    int index = cJSON_GetArraySize(items);
    cJSON *item = cJSON_CreateObject();
    if (!item || !cJSON_AddItemToArray(items, item)) {
        cJSON_Delete(item);
        return false;
    }
    cJSON *cc = cJSON_AddObjectToObject(item, "ConditionCheck");
    cJSON *key = cc ? cJSON_AddObjectToObject(cc, "Key") : NULL;
    cJSON *names = cc ? cJSON_AddObjectToObject(cc, "ExpressionAttributeNames") : NULL;
    cJSON *values = cc ? cJSON_AddObjectToObject(cc, "ExpressionAttributeValues") : NULL;
    cJSON *f = values ? cJSON_AddObjectToObject(values, ":f") : NULL;
    if (!key || !names || !f || !cJSON_AddStringToObject(cc, "TableName", store_table(s, STORE_T_OPERATORS)) ||
        !ddb_attr_add(key, "sub", "S", sub) || !cJSON_AddStringToObject(names, "#d", "disabled") ||
        !cJSON_AddFalseToObject(f, "BOOL") ||
        !cJSON_AddStringToObject(cc, "ConditionExpression", "attribute_not_exists(#d) OR #d = :f"))
        return false;
    store_set_operator_check(s, index + 1);
    return true;
}

store_status store_transact(store *s, cJSON *req, bool built, ddb_error *e, bool *cancelled)
{
    *cancelled = false;
    int check = store_take_operator_check(s);
    if (!built) { /* out of memory while building req: nothing is sent */
        cJSON_Delete(req);
        req = NULL;
    }
    if (!req) {
        store_set_error(s, "TransactWriteItems: out of memory");
        return STORE_ERROR;
    }
    cJSON *resp = NULL;
    ddb_status ds = ddb_call(store_ddb(s), "TransactWriteItems", req, &resp, e);
    cJSON_Delete(req);
    cJSON_Delete(resp);
    if (ds == DDB_OK)
        return STORE_OK;
    if (ds != DDB_ERR_TRANSACTION_CANCELED)
        return store_from_ddb(s, "TransactWriteItems", e);
    store_set_ddb_error(s, "TransactWriteItems", e);
    if (check > 0 && store_txn_failed(e, (size_t)(check - 1)))
        return STORE_DISABLED; /* the last error names the cancellation */
    *cancelled = true;
    return STORE_ERROR;
}
