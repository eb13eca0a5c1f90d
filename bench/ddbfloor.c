/* ddbfloor: the floor under the backend's latency: the same DynamoDB operation the handlers make, sent
 * straight to DynamoDB with the backend's own client (backend/ddb/include/ddb.h: kept-alive, SigV4-signed
 * connection), one call at a time.
 *
 *   ddbfloor -o GetItem|TransactWriteItems|Order|Query -c CONCERTS_TABLE [-T TICKETS_TABLE] (-k CONCERT_ID | -f IDS_FILE)
 *            [-O ORDERS_TABLE -D CODES_TABLE -q QUANTITY [-S SHIFTS_TABLE -J JOURNAL_TABLE -P OPERATORS_TABLE]]
 *            [-n N] [-W WARMUP]
 *
 * With -f, call i uses line (i mod lines) of the file, as the API benchmark spreads over its concerts.
 * GetItem reads the concert (ConsistentRead, as store_purchase.c does). TransactWriteItems is a purchase: the
 * conditional seat decrement on the concert plus the conditional put of a new ticket, the same request
 * store_purchase builds; the concert needs N + WARMUP seats. Order is an order of QUANTITY tickets (default 4):
 * the one TransactWriteItems store_order_place builds (seat update by QUANTITY, the order put, per ticket a
 * ticket put and a code put, each conditional), with fresh codes from bo_code_new. With -S/-J/-P, an operator's
 * order on a shift as issue 18 writes it: also the shift's Update (its per-currency counters, the journal count
 * and chain, conditional on the shift being open, the operator's and the count read), the journal entry's Put
 * and the ConditionCheck on the operator's item (not disabled): 13 items for 4 tickets. ddbfloor puts its own
 * open shift first. Query is the lookup by e-mail
 * (store_lookup.c): one page of 20 on the orders table's index byEmail, "e#" + the first 2 characters as the
 * key and begins_with on the sort key; -f then holds folded e-mails (ASCII, lower case). Environment: the AWS_* variables the
 * bootstrap reads (AWS_ENDPOINT_URL_DYNAMODB, AWS_REGION, credentials).
 * Prints one JSON object: {"op":..,"calls":..,"p50_ms":..,"p90_ms":..,"p99_ms":..,"throughput_rps":..}.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <uuid/uuid.h>

#include "bo_code.h"
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
    } else if (strcmp(op, "Query") == 0) { /* tickets names the orders table here */
        snprintf(buf, sizeof buf,
                 "{\"TableName\":\"%s\",\"IndexName\":\"byEmail\",\"KeyConditionExpression\":\"#k = :k AND "
                 "begins_with(#s, :p)\",\"ExpressionAttributeNames\":{\"#k\":\"emailKey\",\"#s\":\"emailSort\"},"
                 "\"ExpressionAttributeValues\":{\":k\":{\"S\":\"e#%.2s\"},\":p\":{\"S\":\"%s\"}},\"Limit\":20,"
                 "\"ScanIndexForward\":true}",
                 tickets, id, id);
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

static cJSON *put(cJSON *items, const char *table, const char *key)
{
    cJSON *w = cJSON_CreateObject();
    cJSON_AddItemToArray(items, w);
    cJSON *p = cJSON_AddObjectToObject(w, "Put");
    cJSON_AddStringToObject(p, "TableName", table);
    cJSON_AddStringToObject(p, "ConditionExpression", "attribute_not_exists(#k)");
    cJSON_AddStringToObject(cJSON_AddObjectToObject(p, "ExpressionAttributeNames"), "#k", key);
    return cJSON_AddObjectToObject(p, "Item");
}

static void av(cJSON *o, const char *name, const char *type, const char *v)
{
    cJSON_AddStringToObject(cJSON_AddObjectToObject(o, name), type, v);
}

/* The issue 18 tables of an operator's order on a shift (all NULL: a public order). */
typedef struct floor_shift {
    const char *shifts, *journal, *operators;
    char id[48];
    long entries; /* the journal entries the shift holds: each order conditions on it and adds one */
} floor_shift;
#define FLOOR_OPERATOR "floor-operator-sub"

static cJSON *build_order(const char *concerts, const char *tickets, const char *orders, const char *codes,
                          const char *id, int q, floor_shift *sh);

/* The open shift the orders update (PutItem): 0, or -1 with the reason on stderr. */
static int put_shift(ddb_client *c, floor_shift *sh)
{
    snprintf(sh->id, sizeof sh->id, "floor-shift-%ld", (long)getpid());
    cJSON *req = cJSON_CreateObject();
    cJSON_AddStringToObject(req, "TableName", sh->shifts);
    cJSON *it = cJSON_AddObjectToObject(req, "Item");
    av(it, "id", "S", sh->id);
    av(it, "status", "S", "open");
    av(it, "operatorSub", "S", FLOOR_OPERATOR);
    av(it, "terminal", "S", "floor");
    av(it, "entries", "N", "0");
    av(it, "chain", "S", "0000000000000000000000000000000000000000000000000000000000000000");
    cJSON *resp = NULL;
    ddb_error err;
    ddb_status st = ddb_call(c, "PutItem", req, &resp, &err);
    cJSON_Delete(req);
    cJSON_Delete(resp);
    if (st != DDB_OK) {
        fprintf(stderr, "ddbfloor: the floor's shift: %s\n", err.message);
        return -1;
    }
    sh->entries = 0;
    return 0;
}

/* The shift's Update, the journal entry's Put and the operator's ConditionCheck of an order of q tickets. */
static void add_shift_items(cJSON *items, floor_shift *sh, const char *concert, const char *oid, const char *date,
                            int q)
{
    char n0[24], n1[24], qs[8], sk[96];
    snprintf(n0, sizeof n0, "%ld", sh->entries);
    snprintf(n1, sizeof n1, "%ld", sh->entries + 1);
    snprintf(qs, sizeof qs, "%d", q);
    cJSON *w = cJSON_CreateObject();
    cJSON_AddItemToArray(items, w);
    cJSON *upd = cJSON_AddObjectToObject(w, "Update");
    cJSON_AddStringToObject(upd, "TableName", sh->shifts);
    av(cJSON_AddObjectToObject(upd, "Key"), "id", "S", sh->id);
    cJSON_AddStringToObject(upd, "UpdateExpression", "SET #n = :n1, #chain = :chain ADD #cash :total, #orders :one");
    cJSON_AddStringToObject(upd, "ConditionExpression", "#st = :open AND #op = :sub AND #n = :n");
    cJSON *nm = cJSON_AddObjectToObject(upd, "ExpressionAttributeNames");
    cJSON_AddStringToObject(nm, "#n", "entries");
    cJSON_AddStringToObject(nm, "#chain", "chain");
    cJSON_AddStringToObject(nm, "#cash", "EUR#cashSales");
    cJSON_AddStringToObject(nm, "#orders", "EUR#orders");
    cJSON_AddStringToObject(nm, "#st", "status");
    cJSON_AddStringToObject(nm, "#op", "operatorSub");
    cJSON *v = cJSON_AddObjectToObject(upd, "ExpressionAttributeValues");
    av(v, ":n", "N", n0);
    av(v, ":n1", "N", n1);
    av(v, ":chain", "S", "5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef");
    av(v, ":total", "N", "199.96");
    av(v, ":one", "N", "1");
    av(v, ":open", "S", "open");
    av(v, ":sub", "S", FLOOR_OPERATOR);
    cJSON *j = put(items, sh->journal, "id");
    snprintf(sk, sizeof sk, "%s#%s", date, oid);
    cJSON_DeleteItemFromObjectCaseSensitive(j, "id");
    av(j, "day", "S", "2026-12-07");
    av(j, "sk", "S", sk);
    av(j, "id", "S", oid);
    av(j, "at", "S", date);
    av(j, "type", "S", "order.created");
    av(j, "operatorSub", "S", FLOOR_OPERATOR);
    av(j, "operatorName", "S", "Floor");
    av(j, "terminal", "S", "floor");
    av(j, "shiftId", "S", sh->id);
    av(j, "seq", "N", n1);
    av(j, "concertId", "S", concert);
    av(j, "orderId", "S", oid);
    av(j, "currency", "S", "EUR");
    av(j, "amount", "S", "199.96");
    av(j, "count", "N", qs);
    av(j, "detail", "S", "cash");
    cJSON *cw = cJSON_CreateObject();
    cJSON_AddItemToArray(items, cw);
    cJSON *cc = cJSON_AddObjectToObject(cw, "ConditionCheck");
    cJSON_AddStringToObject(cc, "TableName", sh->operators);
    av(cJSON_AddObjectToObject(cc, "Key"), "sub", "S", FLOOR_OPERATOR);
    cJSON_AddStringToObject(cc, "ConditionExpression", "attribute_not_exists(#dis) OR #dis = :f");
    cJSON_AddStringToObject(cJSON_AddObjectToObject(cc, "ExpressionAttributeNames"), "#dis", "disabled");
    cJSON_AddBoolToObject(cJSON_AddObjectToObject(cJSON_AddObjectToObject(cc, "ExpressionAttributeValues"), ":f"),
                          "BOOL", 0);
}

/* An order of q tickets, as store_order_place builds it (and, with sh, as an operator's order on a shift). */
static cJSON *build_order(const char *concerts, const char *tickets, const char *orders, const char *codes,
                          const char *id, int q, floor_shift *sh)
{
    char oid[40], date[32], qs[8], tids[49][40];
    uuid_t u;
    uuid_generate_random(u);
    uuid_unparse_lower(u, oid);
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
    snprintf(qs, sizeof qs, "%d", q);
    cJSON *req = cJSON_CreateObject();
    cJSON *items = cJSON_AddArrayToObject(req, "TransactItems");
    cJSON *w = cJSON_CreateObject();
    cJSON_AddItemToArray(items, w);
    cJSON *upd = cJSON_AddObjectToObject(w, "Update");
    cJSON_AddStringToObject(upd, "TableName", concerts);
    av(cJSON_AddObjectToObject(upd, "Key"), "id", "S", id);
    cJSON_AddStringToObject(upd, "UpdateExpression", "SET #avail = #avail - :q");
    cJSON_AddStringToObject(upd, "ConditionExpression", "attribute_exists(#id) AND #avail >= :q");
    cJSON *n = cJSON_AddObjectToObject(upd, "ExpressionAttributeNames");
    cJSON_AddStringToObject(n, "#id", "id");
    cJSON_AddStringToObject(n, "#avail", "availableTickets");
    av(cJSON_AddObjectToObject(upd, "ExpressionAttributeValues"), ":q", "N", qs);
    cJSON *o = put(items, orders, "id");
    av(o, "id", "S", oid);
    av(o, "concertId", "S", id);
    av(o, "quantity", "N", qs);
    av(o, "unitPrice", "N", "49.99");
    av(o, "total", "N", "199.96");
    av(o, "currency", "S", "EUR");
    av(o, "paymentMethod", "S", "card");
    av(o, "createdAt", "S", date);
    av(o, "soldBy", "S", "public");
    av(o, "customerName", "S", "Floor Buyer");
    av(o, "customerEmail", "S", "floor@example.com");
    cJSON *l = cJSON_AddArrayToObject(cJSON_AddObjectToObject(o, "ticketIds"), "L");
    for (int i = 0; i < q; i++) {
        uuid_generate_random(u);
        uuid_unparse_lower(u, tids[i]);
        cJSON *e = cJSON_CreateObject();
        cJSON_AddStringToObject(e, "S", tids[i]);
        cJSON_AddItemToArray(l, e);
    }
    for (int i = 0; i < q; i++) {
        char code[BO_CODE_BUF];
        if (bo_code_new(code) != 0) {
            cJSON_Delete(req);
            return NULL;
        }
        cJSON *ti = put(items, tickets, "id");
        av(ti, "id", "S", tids[i]);
        av(ti, "concertId", "S", id);
        av(ti, "customerName", "S", "Floor Buyer");
        av(ti, "customerEmail", "S", "floor@example.com");
        av(ti, "purchaseDate", "S", date);
        av(ti, "orderId", "S", oid);
        av(ti, "code", "S", code);
        av(ti, "status", "S", "valid");
        cJSON *ci = put(items, codes, "code");
        av(ci, "code", "S", code);
        av(ci, "ticketId", "S", tids[i]);
        av(ci, "orderId", "S", oid);
        av(ci, "concertId", "S", id);
    }
    if (sh && sh->shifts)
        add_shift_items(items, sh, id, oid, date, q);
    return req;
}

int main(int argc, char **argv)
{
    const char *op = "GetItem", *concerts = NULL, *tickets = NULL, *id = NULL, *ids_path = NULL;
    const char *orders = NULL, *codes = NULL;
    floor_shift sh = {0};
    long n = 1000, warm = 50;
    int q = 4;
    int opt;
    static char ids[1024][130];
    size_t nids = 0;
    while ((opt = getopt(argc, argv, "o:c:T:k:f:n:W:O:D:q:S:J:P:")) != -1) {
        switch (opt) {
        case 'o': op = optarg; break;
        case 'c': concerts = optarg; break;
        case 'T': tickets = optarg; break;
        case 'k': id = optarg; break;
        case 'f': ids_path = optarg; break;
        case 'n': n = atol(optarg); break;
        case 'W': warm = atol(optarg); break;
        case 'O': orders = optarg; break;
        case 'D': codes = optarg; break;
        case 'q': q = atoi(optarg); break;
        case 'S': sh.shifts = optarg; break;
        case 'J': sh.journal = optarg; break;
        case 'P': sh.operators = optarg; break;
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
    bool order = strcmp(op, "Order") == 0;
    bool tx = order || strcmp(op, "TransactWriteItems") == 0;
    bool query = strcmp(op, "Query") == 0;
    if (query) { /* the orders table takes the tickets table's place in build_request */
        tickets = orders;
        concerts = concerts ? concerts : orders;
    }
    if ((!tx && !query && strcmp(op, "GetItem") != 0) || !concerts || !id || ((tx || query) && !tickets) || n < 1 || warm < 0 ||
        (order && (!orders || !codes || q < 1 || q > 47)) ||
        (!sh.shifts != !sh.journal || !sh.shifts != !sh.operators || (sh.shifts && !order))) {
        fprintf(stderr, "usage: ddbfloor -o GetItem|TransactWriteItems|Order|Query -c CONCERTS_TABLE [-T TICKETS_TABLE]"
                        " (-k CONCERT_ID | -f IDS_FILE) [-O ORDERS_TABLE -D CODES_TABLE -q QUANTITY"
                        " [-S SHIFTS_TABLE -J JOURNAL_TABLE -P OPERATORS_TABLE]] [-n N] [-W WARMUP]\n");
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
    if (sh.shifts && put_shift(c, &sh) != 0)
        goto cleanup;
    double t_start = 0;
    for (long i = 0; i < warm + n; i++) {
        const char *cid = nids ? ids[(size_t)i % nids] : id;
        cJSON *req = order ? build_order(concerts, tickets, orders, codes, cid, q, &sh)
                           : build_request(op, concerts, tickets, cid, i);
        cJSON *resp = NULL;
        if (!req) {
            fprintf(stderr, "ddbfloor: out of memory\n");
            goto cleanup;
        }
        if (i == warm)
            t_start = now_s();
        double t0 = now_s();
        ddb_status st = ddb_call(c, order ? "TransactWriteItems" : op, req, &resp, &err);
        double t1 = now_s();
        cJSON_Delete(req);
        cJSON_Delete(resp);
        if (st == DDB_OK)
            sh.entries++;
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
