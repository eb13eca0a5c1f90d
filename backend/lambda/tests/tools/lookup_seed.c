/* lookup-seed: writes many order items straight into a DynamoDB orders table, built by the function's own
 * code (store_order_item_fill: the item createOrder writes, lookup keys included), with BatchWriteItem.
 * For the lookup test (10,000 orders) and bench (100,000): the API would take minutes to sell that many.
 * Only the order items are written (no tickets, no codes): the lookups read nothing else.
 *
 *   lookup-seed TABLE [JOBS] < SPEC > IDS
 *
 * SPEC: one line per customer, "COUNT<TAB>CONCERT_ID<TAB>NAME<TAB>EMAIL" (NAME or EMAIL "-" for none).
 * Each order gets a random id, quantity 1 at 20.00 EUR by card, soldBy "seed", and its own createdAt: one
 * second apart, going back from now in SPEC order (the first order is the newest).
 * IDS: one line per order, "ID<TAB>CREATED_AT<TAB>SPEC_LINE" (1-based), in SPEC order.
 * DynamoDB from the environment (AWS_ENDPOINT_URL_DYNAMODB, AWS_REGION, credentials); JOBS threads (default 4),
 * each with its own client. Exit 0 when every item is written. */
#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <uuid/uuid.h>

#include "bo_clock.h"
#include "ddb.h"
#include "store_order.h"

#define BATCH 25
#define LINE_MAX_BYTES 4096

typedef struct job {
    const char *table;
    order *orders;
    size_t from, to;          /* [from, to) */
    int failed;
    char err[800];
} job;

static char *dup_field(const char *s)
{
    return strcmp(s, "-") == 0 ? NULL : strdup(s);
}

static int write_batch(ddb_client *c, const char *table, const order *o, size_t n, char *err, size_t errlen)
{
    cJSON *req = cJSON_CreateObject();
    cJSON *ri = req ? cJSON_AddObjectToObject(req, "RequestItems") : NULL;
    cJSON *list = ri ? cJSON_AddArrayToObject(ri, table) : NULL;
    if (!list)
        goto oom;
    for (size_t i = 0; i < n; i++) {
        cJSON *w = cJSON_CreateObject();
        if (!w || !cJSON_AddItemToArray(list, w)) {
            cJSON_Delete(w);
            goto oom;
        }
        cJSON *put = cJSON_AddObjectToObject(w, "PutRequest");
        cJSON *item = put ? cJSON_AddObjectToObject(put, "Item") : NULL;
        if (!item || !store_order_item_fill(item, &o[i]))
            goto oom;
    }
    for (int attempt = 0; attempt < 20; attempt++) {
        cJSON *resp = NULL;
        ddb_error e;
        if (ddb_call(c, "BatchWriteItem", req, &resp, &e) != DDB_OK) {
            snprintf(err, errlen, "BatchWriteItem: %s %s", e.type, e.message);
            cJSON_Delete(req);
            return -1;
        }
        cJSON *left = cJSON_GetObjectItemCaseSensitive(resp, "UnprocessedItems");
        if (!left || cJSON_GetArraySize(left) == 0) {
            cJSON_Delete(resp);
            cJSON_Delete(req);
            return 0;
        }
        cJSON_DetachItemViaPointer(resp, left);
        cJSON_Delete(resp);
        cJSON_ReplaceItemInObjectCaseSensitive(req, "RequestItems", left);
        bo_sleep_ms(20u << (attempt < 5 ? attempt : 5));
    }
    snprintf(err, errlen, "BatchWriteItem: items left unprocessed after 20 attempts");
    cJSON_Delete(req);
    return -1;
oom:
    snprintf(err, errlen, "out of memory");
    cJSON_Delete(req);
    return -1;
}

static void *run(void *arg)
{
    job *j = arg;
    ddb_error e;
    ddb_client *c = ddb_client_new_from_env(&e);
    if (!c) {
        snprintf(j->err, sizeof j->err, "DynamoDB client: %s", e.message);
        j->failed = 1;
        return NULL;
    }
    for (size_t i = j->from; i < j->to && !j->failed; i += BATCH) {
        size_t n = j->to - i < BATCH ? j->to - i : BATCH;
        if (write_batch(c, j->table, &j->orders[i], n, j->err, sizeof j->err) != 0)
            j->failed = 1;
    }
    ddb_client_free(c);
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: lookup-seed TABLE [JOBS] < SPEC > IDS\n");
        return 2;
    }
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) { /* once, before the threads' clients */
        fprintf(stderr, "lookup-seed: curl_global_init failed\n");
        return 1;
    }
    int jobs = argc == 3 ? atoi(argv[2]) : 4;
    if (jobs < 1 || jobs > 64)
        jobs = 4;
    order *orders = NULL;
    size_t n = 0, cap = 0;
    char line[LINE_MAX_BYTES];
    uint64_t now = bo_clock_wall_ms();
    int rc = 1;
    for (unsigned lineno = 1; fgets(line, sizeof line, stdin); lineno++) {
        line[strcspn(line, "\r\n")] = '\0';
        char *f[4], *save = NULL;
        f[0] = strtok_r(line, "\t", &save);
        for (int k = 1; k < 4; k++)
            f[k] = f[k - 1] ? strtok_r(NULL, "\t", &save) : NULL;
        long count = f[0] ? atol(f[0]) : 0;
        if (!f[3] || count < 1 || strlen(f[1]) > STORE_ID_MAX) {
            fprintf(stderr, "lookup-seed: line %u is not COUNT<TAB>CONCERT<TAB>NAME<TAB>EMAIL\n", lineno);
            goto done;
        }
        for (long k = 0; k < count; k++) {
            if (n == cap) {
                size_t nc = cap ? cap * 2 : 1024;
                order *no = realloc(orders, nc * sizeof *orders);
                if (!no)
                    goto oom;
                orders = no;
                cap = nc;
            }
            order *o = &orders[n];
            memset(o, 0, sizeof *o);
            n++;
            uuid_t u;
            uuid_generate_random(u);
            uuid_unparse_lower(u, o->id);
            uuid_generate_random(u);
            uuid_unparse_lower(u, o->tickets[0].id);
            snprintf(o->concert_id, sizeof o->concert_id, "%s", f[1]);
            o->quantity = 1;
            o->unit_cents = o->total_cents = 2000;
            memcpy(o->currency, "EUR", 4);
            o->method = ORDER_PAY_CARD;
            bo_clock_iso_ms(now - (uint64_t)(n - 1) * 1000u, o->created_at);
            snprintf(o->sold_by, sizeof o->sold_by, "seed");
            if ((strcmp(f[2], "-") && !(o->customer_name = dup_field(f[2]))) ||
                (strcmp(f[3], "-") && !(o->customer_email = dup_field(f[3]))))
                goto oom;
            printf("%s\t%s\t%u\n", o->id, o->created_at, lineno);
        }
    }
    fflush(stdout);
    job *js = calloc((size_t)jobs, sizeof *js);
    pthread_t *th = calloc((size_t)jobs, sizeof *th);
    if (!js || !th) {
        free(js);
        free(th);
        goto oom;
    }
    size_t per = (n + (size_t)jobs - 1) / (size_t)jobs;
    per = (per + BATCH - 1) / BATCH * BATCH;
    int started = 0;
    for (int t = 0; t < jobs; t++) {
        js[t] = (job){ .table = argv[1], .orders = orders, .from = per * (size_t)t, .to = per * (size_t)(t + 1) };
        if (js[t].from >= n)
            break;
        if (js[t].to > n)
            js[t].to = n;
        if (pthread_create(&th[t], NULL, run, &js[t]) != 0) {
            fprintf(stderr, "lookup-seed: pthread_create failed\n");
            break;
        }
        started++;
    }
    rc = started > 0 || n == 0 ? 0 : 1;
    for (int t = 0; t < started; t++) {
        pthread_join(th[t], NULL);
        if (js[t].failed) {
            fprintf(stderr, "lookup-seed: %s\n", js[t].err);
            rc = 1;
        }
    }
    free(js);
    free(th);
    goto done;
oom:
    fprintf(stderr, "lookup-seed: out of memory\n");
done:
    for (size_t i = 0; i < n; i++)
        order_clear(&orders[i]);
    free(orders);
    curl_global_cleanup();
    return rc;
}
