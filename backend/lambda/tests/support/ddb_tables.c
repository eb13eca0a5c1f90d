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

/* The issue 18 tables every integration test gets with its concerts and tickets (the writes journal). */
static char operators_t[128], shifts_t[128], journal_t[128], counters_t[128];

static int create_from(ddb_client *c, const char *name, const char *json_fmt)
{
    char body[2048];
    snprintf(body, sizeof body, json_fmt, name);
    cJSON *req = cJSON_Parse(body), *resp = NULL;
    ddb_error err;
    ddb_status st = ddb_call(c, "CreateTable", req, &resp, &err);
    cJSON_Delete(req);
    cJSON_Delete(resp);
    if (st != DDB_OK) {
        fprintf(stderr, "CreateTable %s: %s %s\n", name, ddb_status_name(st), err.message);
        return -1;
    }
    return 0;
}

#define GSI(n, h, r) "{\"IndexName\":\"" n "\",\"KeySchema\":[{\"AttributeName\":\"" h "\",\"KeyType\":\"HASH\"}," \
                     "{\"AttributeName\":\"" r "\",\"KeyType\":\"RANGE\"}],\"Projection\":{\"ProjectionType\":\"ALL\"}}"
#define ATTR(n, t) "{\"AttributeName\":\"" n "\",\"AttributeType\":\"" t "\"}"

int ddb_test_issue18_tables(ddb_client *c, const char *prefix)
{
    char p[96];
    snprintf(p, sizeof p, "%s-operators", prefix);
    ddb_test_table_name(operators_t, sizeof operators_t, p);
    snprintf(p, sizeof p, "%s-shifts", prefix);
    ddb_test_table_name(shifts_t, sizeof shifts_t, p);
    snprintf(p, sizeof p, "%s-journal", prefix);
    ddb_test_table_name(journal_t, sizeof journal_t, p);
    snprintf(p, sizeof p, "%s-counters", prefix);
    ddb_test_table_name(counters_t, sizeof counters_t, p);
    if (create_from(c, operators_t,
                    "{\"TableName\":\"%s\",\"AttributeDefinitions\":[" ATTR("sub", "S") "],"
                    "\"KeySchema\":[{\"AttributeName\":\"sub\",\"KeyType\":\"HASH\"}],\"BillingMode\":\"PAY_PER_REQUEST\"}") ||
        create_from(c, shifts_t,
                    "{\"TableName\":\"%s\",\"AttributeDefinitions\":[" ATTR("id", "S") "," ATTR("day", "S") ","
                    ATTR("openedAt", "S") "],\"KeySchema\":[{\"AttributeName\":\"id\",\"KeyType\":\"HASH\"}],"
                    "\"GlobalSecondaryIndexes\":[" GSI("byDay", "day", "openedAt") "],\"BillingMode\":\"PAY_PER_REQUEST\"}") ||
        create_from(c, journal_t,
                    "{\"TableName\":\"%s\",\"AttributeDefinitions\":[" ATTR("day", "S") "," ATTR("sk", "S") ","
                    ATTR("shiftId", "S") "," ATTR("seq", "N") "," ATTR("operatorSub", "S") "," ATTR("concertId", "S")
                    "],\"KeySchema\":[{\"AttributeName\":\"day\",\"KeyType\":\"HASH\"},{\"AttributeName\":\"sk\","
                    "\"KeyType\":\"RANGE\"}],\"GlobalSecondaryIndexes\":[" GSI("byShift", "shiftId", "seq") ","
                    GSI("byOperator", "operatorSub", "sk") "," GSI("byConcert", "concertId", "sk") "],"
                    "\"BillingMode\":\"PAY_PER_REQUEST\"}") ||
        create_from(c, counters_t, /* issue 19: a pooled concert's pools and counter shards */
                    "{\"TableName\":\"%s\",\"AttributeDefinitions\":[" ATTR("id", "S") "],"
                    "\"KeySchema\":[{\"AttributeName\":\"id\",\"KeyType\":\"HASH\"}],\"BillingMode\":\"PAY_PER_REQUEST\"}"))
        return -1;
    setenv("COUNTERS_TABLE", counters_t, 1);
    setenv("OPERATORS_TABLE", operators_t, 1);
    setenv("SHIFTS_TABLE", shifts_t, 1);
    setenv("JOURNAL_TABLE", journal_t, 1);
    return 0;
}

const char *ddb_test_table_of(store_table_id t)
{
    return t == STORE_T_OPERATORS  ? operators_t
           : t == STORE_T_SHIFTS   ? shifts_t
           : t == STORE_T_JOURNAL  ? journal_t
           : t == STORE_T_COUNTERS ? counters_t
                                   : "";
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
    if (ddb_test_create_table(*raw, concerts) || ddb_test_create_table(*raw, tickets) ||
        ddb_test_issue18_tables(*raw, prefix))
        return -1;
    return 0;
}

int ddb_test_tables_drop(ddb_client *raw, const char *concerts, const char *tickets)
{
    if (!raw)
        return -1;
    int rc = ddb_test_delete_table(raw, concerts) | ddb_test_delete_table(raw, tickets);
    for (int t = STORE_T_OPERATORS; t <= STORE_T_COUNTERS; t++)
        if (ddb_test_table_of((store_table_id)t)[0])
            rc |= ddb_test_delete_table(raw, ddb_test_table_of((store_table_id)t));
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
