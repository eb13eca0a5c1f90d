/* The store's handle on DynamoDB: opening it from the environment (the table names), its last error and
 * the mapping of DynamoDB failures, and the consistent GetItem every store module reads with (see store.h;
 * store_priv.h lends these to store_concert.c, store_purchase.c, store_order.c, store_aftersale.c and
 * store_lookup.c). */
#include "store.h"

#include "bo_err.h"
#include "ddb.h"
#include "ddb_attr.h"
#include "bo_rand.h"
#include "store_priv.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TABLE_NAME_MAX 255

struct store {
    ddb_client *ddb;
    char tables[STORE_T_COUNT][TABLE_NAME_MAX + 1]; /* by store_table_id; each "" when opened without it */
    char last_error[STORE_ERROR_MAX];
    uint64_t deadline_ms;     /* store_set_deadline's, 0: none */
    int operator_check;       /* 1 + the index of the operator's ConditionCheck in the transaction being built
                                 (store_txn_add_operator_check), 0: none; store_transact reads and resets it */
};

/* ---- errors ---------------------------------------------------------------------------------- */

void store_set_error(store *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    bo_err_vset(s->last_error, sizeof s->last_error, fmt, ap);
    va_end(ap);
}

void store_set_ddb_error(store *s, const char *what, const ddb_error *e)
{
    const char *rid = ddb_client_last_request_id(s->ddb);
    store_set_error(s, "%s: %s %s%s%s%s%s%s", what, ddb_status_name(e->status), e->type, e->type[0] ? ": " : "",
                    e->message, rid[0] ? " (request " : "", rid, rid[0] ? ")" : "");
}

/* Storage failures a client may retry later (503: what the DynamoDB client itself would retry, a
 * transaction cancelled by contention only) versus everything else. */
store_status store_from_ddb(store *s, const char *what, const ddb_error *e)
{
    store_set_ddb_error(s, what, e);
    return ddb_error_retryable(e) ? STORE_UNAVAILABLE : STORE_ERROR;
}

/* ---- open / close ---------------------------------------------------------------------------- */

static bool table_name_ok(const char *t)
{
    size_t n = strlen(t);
    if (n < 3 || n > TABLE_NAME_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!(isalnum((unsigned char)t[i]) || t[i] == '_' || t[i] == '-' || t[i] == '.'))
            return false;
    return true;
}

static const char *const table_env[STORE_T_COUNT] = { "CONCERTS_TABLE", "TICKETS_TABLE", "ORDERS_TABLE",
                                                      "CODES_TABLE", "OPERATORS_TABLE", "SHIFTS_TABLE",
                                                      "JOURNAL_TABLE", "COUNTERS_TABLE" };

const char *store_table_env(store_table_id t)
{
    return t < STORE_T_COUNT ? table_env[t] : "";
}

store *store_open_tables(unsigned needed, char *err, size_t errlen)
{
    const char *vals[STORE_T_COUNT];
    for (int t = 0; t < STORE_T_COUNT; t++) {
        vals[t] = getenv(table_env[t]);
        bool set = vals[t] && *vals[t], ok = set && table_name_ok(vals[t]);
        if (!(needed & STORE_NEED(t))) {
            vals[t] = ok ? vals[t] : "";
        } else if (!ok) {
            snprintf(err, errlen, set ? "%s is not a valid DynamoDB table name" : "%s is not set", table_env[t]);
            return NULL;
        }
    }
    store *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    ddb_error e;
    s->ddb = ddb_client_new_from_env(&e);
    if (!s->ddb) {
        snprintf(err, errlen, "DynamoDB client: %s", e.message);
        free(s);
        return NULL;
    }
    for (int t = 0; t < STORE_T_COUNT; t++)
        snprintf(s->tables[t], sizeof s->tables[t], "%s", vals[t]);
    snprintf(s->last_error, sizeof s->last_error, "no error");
    return s;
}

store *store_open_from_env(char *err, size_t errlen)
{
    return store_open_tables(STORE_NEED_CONCERTS | STORE_NEED_TICKETS, err, errlen);
}

void store_close(store *s)
{
    if (!s)
        return;
    ddb_client_free(s->ddb);
    free(s);
}

void store_set_deadline(store *s, uint64_t deadline_ms)
{
    s->deadline_ms = deadline_ms;
    ddb_client_set_deadline(s->ddb, deadline_ms);
}

uint32_t store_rnd(void)
{
    static _Thread_local bo_rand r;
    static _Thread_local bool seeded;
    if (!seeded) {
        bo_rand_seed_os(&r);
        seeded = true;
    }
    return bo_rand_next(&r);
}

uint64_t store_deadline(const store *s)
{
    return s ? s->deadline_ms : 0;
}

const char *store_last_error(const store *s)
{
    return s ? s->last_error : "no store";
}

/* {"TableName": table, "Key": {key_name: {"S": id}}, "ConsistentRead": true} */
static cJSON *key_request(const char *table, const char *key_name, const char *id)
{
    cJSON *req = cJSON_CreateObject();
    cJSON *key = cJSON_CreateObject();
    if (!req || !key || !cJSON_AddStringToObject(req, "TableName", table) || !ddb_attr_add(key, key_name, "S", id) ||
        !cJSON_AddItemToObject(req, "Key", key)) {
        cJSON_Delete(req);
        cJSON_Delete(key);
        return NULL;
    }
    key = NULL;
    if (!cJSON_AddTrueToObject(req, "ConsistentRead")) {
        cJSON_Delete(req);
        return NULL;
    }
    return req;
}

int store_get_item_by(store *s, const char *table, const char *key_name, const char *id, cJSON **item,
                      store_status *st)
{
    *item = NULL;
    cJSON *req = key_request(table, key_name, id);
    if (!req) {
        store_set_error(s, "GetItem: out of memory");
        *st = STORE_ERROR;
        return -1;
    }
    cJSON *resp = NULL;
    ddb_error e;
    ddb_status ds = ddb_call(s->ddb, "GetItem", req, &resp, &e);
    cJSON_Delete(req);
    if (ds != DDB_OK) {
        *st = store_from_ddb(s, "GetItem", &e);
        return -1;
    }
    cJSON *found = cJSON_DetachItemFromObjectCaseSensitive(resp, "Item");
    cJSON_Delete(resp);
    if (!cJSON_IsObject(found)) {
        cJSON_Delete(found);
        return 1;
    }
    *item = found;
    return 0;
}

/* ---- for the store's modules (store_priv.h) ------------------------------------------------- */

ddb_client *store_ddb(store *s)
{
    return s->ddb;
}

const char *store_table(const store *s, store_table_id t)
{
    return t < STORE_T_COUNT ? s->tables[t] : "";
}

void store_set_operator_check(store *s, int index_plus_1)
{
    s->operator_check = index_plus_1;
}

int store_take_operator_check(store *s)
{
    int v = s->operator_check;
    s->operator_check = 0;
    return v;
}

int store_get_item(store *s, const char *table, const char *id, cJSON **item, store_status *st)
{
    return store_get_item_by(s, table, "id", id, item, st);
}

bool store_copy_id(char dst[STORE_ID_MAX + 1], const char *src)
{
    if (!src || !*src || strlen(src) > STORE_ID_MAX)
        return false;
    memcpy(dst, src, strlen(src) + 1);
    return true;
}

bool store_tables_set(store *s, unsigned needed, const char *what)
{
    for (int t = 0; t < STORE_T_COUNT; t++) {
        if ((needed & STORE_NEED(t)) && !store_table(s, (store_table_id)t)[0]) {
            store_set_error(s, "%s: %s is not set", what, store_table_env((store_table_id)t));
            return false;
        }
    }
    return true;
}
