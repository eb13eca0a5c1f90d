/* Table set-up for integration tests (see ddb_tables.h). */
#include "ddb_tables.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <uuid/uuid.h>

void ddb_test_table_name(char *out, size_t size, const char *prefix)
{
    uuid_t u;
    char hex[37];
    uuid_generate_random(u);
    uuid_unparse_lower(u, hex);
    snprintf(out, size, "%s-%ld-%.8s", prefix, (long)getpid(), hex);
}

int ddb_test_create_table(ddb_client *c, const char *name)
{
    return ddb_test_create_table_key(c, name, "id");
}

int ddb_test_create_operators_table(ddb_client *c, char *name, size_t size, const char *prefix)
{
    ddb_test_table_name(name, size, prefix);
    if (ddb_test_create_table_key(c, name, "sub") != 0)
        return -1;
    setenv("OPERATORS_TABLE", name, 1);
    return 0;
}

int ddb_test_create_table_key(ddb_client *c, const char *name, const char *key)
{
    char body[512];
    snprintf(body, sizeof body,
             "{\"TableName\":\"%s\",\"AttributeDefinitions\":[{\"AttributeName\":\"%s\",\"AttributeType\":\"S\"}],"
             "\"KeySchema\":[{\"AttributeName\":\"%s\",\"KeyType\":\"HASH\"}],\"BillingMode\":\"PAY_PER_REQUEST\"}",
             name, key, key);
    cJSON *req = cJSON_Parse(body), *resp = NULL;
    ddb_error err;
    ddb_status st = ddb_call(c, "CreateTable", req, &resp, &err);
    cJSON_Delete(req);
    cJSON_Delete(resp);
    if (st != DDB_OK) {
        fprintf(stderr, "CreateTable %s: %s %s\n", name, ddb_status_name(st), err.message);
        return -1;
    }
    snprintf(body, sizeof body, "{\"TableName\":\"%s\"}", name);
    req = cJSON_Parse(body);
    for (int i = 0; i < 300; i++) {
        resp = NULL;
        st = ddb_call(c, "DescribeTable", req, &resp, &err);
        const cJSON *status = cJSON_GetObjectItem(cJSON_GetObjectItem(resp, "Table"), "TableStatus");
        int active = st == DDB_OK && cJSON_IsString(status) && strcmp(status->valuestring, "ACTIVE") == 0;
        cJSON_Delete(resp);
        if (active) {
            cJSON_Delete(req);
            return 0;
        }
        struct timespec ts = {0, 100 * 1000000L};
        nanosleep(&ts, NULL);
    }
    cJSON_Delete(req);
    fprintf(stderr, "table %s did not become ACTIVE\n", name);
    return -1;
}

int ddb_test_delete_table(ddb_client *c, const char *name)
{
    char body[300];
    snprintf(body, sizeof body, "{\"TableName\":\"%s\"}", name);
    cJSON *req = cJSON_Parse(body), *resp = NULL;
    ddb_error err;
    ddb_status st = ddb_call(c, "DeleteTable", req, &resp, &err);
    cJSON_Delete(req);
    cJSON_Delete(resp);
    if (st != DDB_OK && st != DDB_ERR_RESOURCE_NOT_FOUND) {
        fprintf(stderr, "DeleteTable %s: %s %s\n", name, ddb_status_name(st), err.message);
        return -1;
    }
    return 0;
}

int ddb_test_tables_create(ddb_client **raw, const char *prefix, char *concerts, char *tickets, size_t size)
{
    if (!getenv("AWS_ENDPOINT_URL_DYNAMODB")) {
        fprintf(stderr, "AWS_ENDPOINT_URL_DYNAMODB is not set\n");
        return -1;
    }
    ddb_error err;
    *raw = ddb_client_new_from_env(&err);
    if (!*raw) {
        fprintf(stderr, "ddb client: %s\n", err.message);
        return -1;
    }
    char p[96];
    snprintf(p, sizeof p, "%s-concerts", prefix);
    ddb_test_table_name(concerts, size, p);
    snprintf(p, sizeof p, "%s-tickets", prefix);
    ddb_test_table_name(tickets, size, p);
    if (ddb_test_create_table(*raw, concerts) || ddb_test_create_table(*raw, tickets))
        return -1;
    return 0;
}

int ddb_test_tables_drop(ddb_client *raw, const char *concerts, const char *tickets)
{
    if (!raw)
        return -1;
    int rc = ddb_test_delete_table(raw, concerts) | ddb_test_delete_table(raw, tickets);
    ddb_client_free(raw);
    return rc;
}

store *ddb_test_store_open(const char *concerts, const char *tickets)
{
    setenv("CONCERTS_TABLE", concerts, 1);
    setenv("TICKETS_TABLE", tickets, 1);
    char why[256];
    store *st = store_open_from_env(why, sizeof why);
    if (!st)
        fprintf(stderr, "store_open_from_env: %s\n", why);
    return st;
}
