/* ddbfloor: the floor under the backend's latency: the same DynamoDB operation the handlers make, sent
 * straight to DynamoDB with the backend's own client (backend/ddb/include/ddb.h: kept-alive, SigV4-signed
 * connection), one call at a time.
 *
 *   ddbfloor -o GetItem|TransactWriteItems -c CONCERTS_TABLE [-T TICKETS_TABLE] (-k CONCERT_ID | -f IDS_FILE)
 *            [-n N] [-W WARMUP]
 *
 * With -f, call i uses line (i mod lines) of the file, as the API benchmark spreads over its concerts.
 * GetItem reads the concert (ConsistentRead, as store.c does). TransactWriteItems is a purchase: the
 * conditional seat decrement on the concert plus the conditional put of a new ticket, the same request
 * store_purchase builds; the concert needs N + WARMUP seats. Environment: the AWS_* variables the
 * bootstrap reads (AWS_ENDPOINT_URL_DYNAMODB, AWS_REGION, credentials).
 * Prints one JSON object: {"op":..,"calls":..,"p50_ms":..,"p90_ms":..,"p99_ms":..,"throughput_rps":..}.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <uuid/uuid.h>

#include "ddb.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The request for call number i, as a new cJSON (caller frees), or NULL on OOM. */
static cJSON *build_request(const char *op, const char *concerts, const char *tickets, const char *id, long i)
{
    char buf[2048];
    if (strcmp(op, "GetItem") == 0) {
        snprintf(buf, sizeof buf, "{\"TableName\":\"%s\",\"Key\":{\"id\":{\"S\":\"%s\"}},\"ConsistentRead\":true}",
                 concerts, id);
    } else {
        uuid_t u;
        char tid[40], date[32];
        uuid_generate_random(u);
        uuid_unparse_lower(u, tid);
        time_t t = time(NULL);
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
        snprintf(buf, sizeof buf,
                 "{\"TransactItems\":[{\"Update\":{\"TableName\":\"%s\",\"Key\":{\"id\":{\"S\":\"%s\"}},"
                 "\"UpdateExpression\":\"SET #avail = #avail - :one\","
                 "\"ConditionExpression\":\"attribute_exists(#id) AND #avail > :zero\","
                 "\"ExpressionAttributeNames\":{\"#id\":\"id\",\"#avail\":\"availableTickets\"},"
                 "\"ExpressionAttributeValues\":{\":one\":{\"N\":\"1\"},\":zero\":{\"N\":\"0\"}}}},"
                 "{\"Put\":{\"TableName\":\"%s\",\"Item\":{\"id\":{\"S\":\"%s\"},\"concertId\":{\"S\":\"%s\"},"
                 "\"customerName\":{\"S\":\"Floor Buyer %ld\"},\"customerEmail\":{\"S\":\"floor%ld@example.com\"},"
                 "\"purchaseDate\":{\"S\":\"%s\"}},\"ConditionExpression\":\"attribute_not_exists(#id)\","
                 "\"ExpressionAttributeNames\":{\"#id\":\"id\"}}}]}",
                 concerts, id, tickets, tid, id, i, i, date);
    }
    return cJSON_Parse(buf);
}

int main(int argc, char **argv)
{
    const char *op = "GetItem", *concerts = NULL, *tickets = NULL, *id = NULL, *ids_path = NULL;
    long n = 1000, warm = 50;
    int opt;
    static char ids[1024][130];
    size_t nids = 0;
    while ((opt = getopt(argc, argv, "o:c:T:k:f:n:W:")) != -1) {
        switch (opt) {
        case 'o': op = optarg; break;
        case 'c': concerts = optarg; break;
        case 'T': tickets = optarg; break;
        case 'k': id = optarg; break;
        case 'f': ids_path = optarg; break;
        case 'n': n = atol(optarg); break;
        case 'W': warm = atol(optarg); break;
        default: return 2;
        }
    }
    if (ids_path) {
        FILE *f = fopen(ids_path, "r");
        while (f && nids < 1024 && fgets(ids[nids], sizeof ids[nids], f)) {
            ids[nids][strcspn(ids[nids], "\r\n")] = '\0';
            if (ids[nids][0])
                nids++;
        }
        if (f)
            fclose(f);
        if (nids > 0)
            id = ids[0];
    }
    bool tx = strcmp(op, "TransactWriteItems") == 0;
    if ((!tx && strcmp(op, "GetItem") != 0) || !concerts || !id || (tx && !tickets) || n < 1 || warm < 0) {
        fprintf(stderr, "usage: ddbfloor -o GetItem|TransactWriteItems -c CONCERTS_TABLE [-T TICKETS_TABLE]"
                        " (-k CONCERT_ID | -f IDS_FILE) [-n N] [-W WARMUP]\n");
        return 2;
    }
    int rc = 1;
    ddb_error err;
    double *lat = calloc((size_t)n, sizeof *lat);
    ddb_client *c = ddb_client_new_from_env(&err);
    if (!c || !lat) {
        fprintf(stderr, "ddbfloor: %s\n", c ? "out of memory" : err.message);
        goto cleanup;
    }
    double t_start = 0;
    for (long i = 0; i < warm + n; i++) {
        cJSON *req = build_request(op, concerts, tickets, nids ? ids[(size_t)i % nids] : id, i), *resp = NULL;
        if (!req) {
            fprintf(stderr, "ddbfloor: out of memory\n");
            goto cleanup;
        }
        if (i == warm)
            t_start = now_s();
        double t0 = now_s();
        ddb_status st = ddb_call(c, op, req, &resp, &err);
        double t1 = now_s();
        cJSON_Delete(req);
        cJSON_Delete(resp);
        if (st != DDB_OK) {
            fprintf(stderr, "ddbfloor: call %ld: %s %s: %s\n", i, ddb_status_name(st), err.type, err.message);
            goto cleanup;
        }
        if (i >= warm)
            lat[i - warm] = (t1 - t0) * 1000.0;
    }
    double wall = now_s() - t_start;
    qsort(lat, (size_t)n, sizeof *lat, cmp_double);
#define PCT(p) lat[(size_t)((p) * (double)(n - 1) + 0.5)]
    printf("{\"op\":\"%s\",\"calls\":%ld,\"p50_ms\":%.3f,\"p90_ms\":%.3f,\"p99_ms\":%.3f,\"throughput_rps\":%.1f}\n", op,
           n, PCT(0.50), PCT(0.90), PCT(0.99), (double)n / wall);
#undef PCT
    rc = 0;
cleanup:
    ddb_client_free(c);
    free(lat);
    return rc;
}
