/* Table creation from serverless.yml resources. See gw_tables.h. */
#include "gw_tables.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bo_clock.h"
#include "ddb.h"
#include "gw_log.h"

/* The table's status ("ACTIVE", "CREATING", ...; "" when it does not exist) into status, and when desc is
 * not NULL its DescribeTable "Table" object (caller frees; NULL when it does not exist). 0, or -1 on errors. */
static int table_describe(ddb_client *c, const char *name, char *status, size_t len, cJSON **desc, ddb_error *e)
{
    if (desc) *desc = NULL;
    cJSON *req = cJSON_CreateObject();
    cJSON *resp = NULL;
    if (!req || !cJSON_AddStringToObject(req, "TableName", name)) { cJSON_Delete(req); return -1; }
    ddb_status st = ddb_call(c, "DescribeTable", req, &resp, e);
    cJSON_Delete(req);
    if (st == DDB_ERR_RESOURCE_NOT_FOUND) { status[0] = '\0'; return 0; }
    if (st != DDB_OK) return -1;
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(resp, "Table"), "TableStatus");
    snprintf(status, len, "%s", cJSON_IsString(s) ? s->valuestring : "UNKNOWN");
    if (desc) *desc = cJSON_DetachItemFromObjectCaseSensitive(resp, "Table");
    cJSON_Delete(resp);
    return 0;
}

static int table_status(ddb_client *c, const char *name, char *status, size_t len, ddb_error *e)
{
    return table_describe(c, name, status, len, NULL, e);
}

/* The status of index `index` in a DescribeTable "Table" object, "" when the table has no such index. */
static const char *index_status(const cJSON *table, const char *index)
{
    const cJSON *g;
    cJSON_ArrayForEach(g, cJSON_GetObjectItemCaseSensitive(table, "GlobalSecondaryIndexes")) {
        const cJSON *n = cJSON_GetObjectItemCaseSensitive(g, "IndexName");
        const cJSON *s = cJSON_GetObjectItemCaseSensitive(g, "IndexStatus");
        if (cJSON_IsString(n) && strcmp(n->valuestring, index) == 0)
            return cJSON_IsString(s) ? s->valuestring : "ACTIVE"; /* DynamoDB Local may leave it out */
    }
    return "";
}

/* A table made before serverless.yml gave it an index (a kept local state): adds each missing global
 * secondary index of req with UpdateTable (one per call, as DynamoDB wants) and waits until it is ACTIVE.
 * 0, or -1 with err filled. */
static int add_missing_indexes(ddb_client *c, const cJSON *req, const char *name, int wait_ms, char *err, size_t errlen)
{
    const cJSON *want;
    cJSON_ArrayForEach(want, cJSON_GetObjectItemCaseSensitive(req, "GlobalSecondaryIndexes")) {
        const cJSON *iname = cJSON_GetObjectItemCaseSensitive(want, "IndexName");
        if (!cJSON_IsString(iname)) continue;  /* CreateTable would have refused it: not ours to judge here */
        ddb_error e;
        char status[32];
        for (int waited = 0, created = 0;; waited += 100) {
            cJSON *table = NULL;
            if (table_describe(c, name, status, sizeof status, &table, &e) != 0) {
                snprintf(err, errlen, "DescribeTable %s: %s %s", name, e.type, e.message);
                return -1;
            }
            const char *is = index_status(table, iname->valuestring);
            bool missing = !*is, active = strcmp(is, "ACTIVE") == 0 && strcmp(status, "ACTIVE") == 0;
            cJSON_Delete(table);
            if (active) break;
            if (missing && !created) {
                cJSON *upd = cJSON_CreateObject(), *list = NULL, *item = NULL, *create = NULL;
                bool ok = upd && cJSON_AddStringToObject(upd, "TableName", name) &&
                          cJSON_AddItemToObject(upd, "AttributeDefinitions",
                                                cJSON_Duplicate(cJSON_GetObjectItemCaseSensitive(req, "AttributeDefinitions"), 1)) &&
                          (list = cJSON_AddArrayToObject(upd, "GlobalSecondaryIndexUpdates")) &&
                          (item = cJSON_CreateObject()) && cJSON_AddItemToArray(list, item) &&
                          (create = cJSON_Duplicate(want, 1)) && cJSON_AddItemToObject(item, "Create", create);
                cJSON *resp = NULL;
                ddb_status st = ok ? ddb_call(c, "UpdateTable", upd, &resp, &e) : DDB_ERR_NOMEM;
                cJSON_Delete(upd);
                cJSON_Delete(resp);
                if (st != DDB_OK && st != DDB_ERR_RESOURCE_IN_USE) {
                    snprintf(err, errlen, "UpdateTable %s (index %s): %s %s", name, iname->valuestring, e.type, e.message);
                    return -1;
                }
                created = 1;
                char now[32];
                gw_log_now(now);
                gw_log(NULL, "{\"time\":\"%s\",\"event\":\"index_created\",\"table\":\"%s\",\"index\":\"%s\"}", now,
                       name, iname->valuestring);
                continue;
            }
            if (waited >= wait_ms) {
                snprintf(err, errlen, "index %s of %s is %s after %d ms", iname->valuestring, name, *is ? is : "missing",
                         wait_ms);
                return -1;
            }
            bo_sleep_ms(100);   /* a one-off start-up wait, not a request path */
        }
    }
    return 0;
}

/* The client the gateway's workers would have (see gw_worker.c's environment). NULL with e filled. */
static ddb_client *local_client(const gw_config *cfg, const char *ddb_endpoint, ddb_error *e)
{
    ddb_config dc = {
        .region = strdup(cfg->region),
        .access_key_id = strdup(GW_DDB_ACCESS_KEY_ID),
        .secret_access_key = strdup(GW_DDB_SECRET_ACCESS_KEY),
        .session_token = strdup(GW_DDB_SESSION_TOKEN),
    };
    ddb_client *c = NULL;
    if (!dc.region || !dc.access_key_id || !dc.secret_access_key || !dc.session_token) {
        e->status = DDB_ERR_NOMEM;
        snprintf(e->message, sizeof e->message, "out of memory");
    } else if (ddb_config_set_endpoint(&dc, ddb_endpoint, e) == DDB_OK) {
        c = ddb_client_new(&dc, e);
    }
    ddb_config_clear(&dc);
    return c;
}

int gw_tables_ensure(const gw_config *cfg, const char *ddb_endpoint, int wait_ms, char *err, size_t errlen)
{
    ddb_error e;
    memset(&e, 0, sizeof e);
    ddb_client *c = local_client(cfg, ddb_endpoint, &e);
    if (!c) { snprintf(err, errlen, "DynamoDB client: %s", e.message); return -1; }
    int rc = -1;
    for (size_t i = 0; i < cfg->n_tables; i++) {
        const cJSON *req = cfg->tables[i];
        const char *name = cJSON_GetObjectItemCaseSensitive(req, "TableName")->valuestring;
        char status[32];
        if (table_status(c, name, status, sizeof status, &e) != 0) {
            snprintf(err, errlen, "DescribeTable %s: %s %s", name, e.type, e.message);
            goto done;
        }
        if (!status[0]) {
            cJSON *resp = NULL;
            ddb_status st = ddb_call(c, "CreateTable", req, &resp, &e);
            cJSON_Delete(resp);
            if (st != DDB_OK && st != DDB_ERR_RESOURCE_IN_USE) {
                snprintf(err, errlen, "CreateTable %s: %s %s", name, e.type, e.message);
                goto done;
            }
            char now[32];
            gw_log_now(now);
            gw_log(NULL, "{\"time\":\"%s\",\"event\":\"table_created\",\"table\":\"%s\"}", now, name);
        }
        for (int waited = 0;; waited += 100) {
            if (table_status(c, name, status, sizeof status, &e) != 0) {
                snprintf(err, errlen, "DescribeTable %s: %s %s", name, e.type, e.message);
                goto done;
            }
            if (strcmp(status, "ACTIVE") == 0) break;
            if (waited >= wait_ms) {
                snprintf(err, errlen, "table %s is %s after %d ms", name, status[0] ? status : "missing", wait_ms);
                goto done;
            }
            bo_sleep_ms(100);   /* a one-off start-up wait, not a request path */
        }
        if (add_missing_indexes(c, req, name, wait_ms, err, errlen) != 0) goto done;
    }
    rc = 0;
done:
    ddb_client_free(c);
    return rc;
}
