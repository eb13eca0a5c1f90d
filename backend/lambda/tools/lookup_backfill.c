/* lookup-backfill: gives the orders sold before the lookup indexes their lookup keys (emailKey/emailSort,
 * nameKey/nameSort: lookup_key.h), so that GET /orders?email=|name= finds them too. Run once per stage after
 * the indexes exist, with credentials that may Scan and UpdateItem the orders table (not the function's role).
 *
 *   lookup-backfill ORDERS_TABLE [TICKETS_TABLE]
 *
 * Scans the table (all pages), and for each order with a customer e-mail or name but without its keys sets
 * them with one UpdateItem, on the condition that the order still exists with the same createdAt and still
 * lacks them (a rerun, or an order placed meanwhile, changes nothing). Prints one JSON line:
 * {"scanned":N,"updated":N,"alreadyKeyed":N,"withoutCustomer":N}. With TICKETS_TABLE the orders' tickets get
 * their holder keys too (index byHolder: the tickets lookup_holder_keyed picks, as the order's transaction
 * does), each with one UpdateItem on the condition that the ticket exists and lacks them; the line then adds
 * "holdersUpdated":N,"holdersAlreadyKeyed":N. Exit 0 when every update went through.
 * DynamoDB from the environment (AWS_ENDPOINT_URL_DYNAMODB, AWS_REGION, credentials). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ddb.h"
#include "ddb_attr.h"
#include "bo_valid_order.h"
#include "lookup_key.h"

typedef struct counts {
    long scanned, updated, keyed, without, holders_updated, holders_keyed;
} counts;

/* SET the keys of one index into expr/values; false on OOM. */
static bool add_keys(lookup_by by, const char *text, const char *created, char *expr, size_t len, cJSON *names,
                     cJSON *values, bool *any)
{
    if (!text)
        return true;
    char *key, *sort;
    int r = lookup_index_keys(by, text, created, &key, &sort);
    if (r < 0)
        return false;
    if (r == 1)
        return true;
    const char *k = by == LOOKUP_BY_EMAIL ? "#ek" : "#nk", *s = by == LOOKUP_BY_EMAIL ? "#es" : "#ns";
    const char *vk = by == LOOKUP_BY_EMAIL ? ":ek" : ":nk", *vs = by == LOOKUP_BY_EMAIL ? ":es" : ":ns";
    bool ok = cJSON_AddStringToObject(names, k, by == LOOKUP_BY_EMAIL ? "emailKey" : "nameKey") &&
              cJSON_AddStringToObject(names, s, by == LOOKUP_BY_EMAIL ? "emailSort" : "nameSort") &&
              ddb_attr_add(values, vk, "S", key) && ddb_attr_add(values, vs, "S", sort);
    size_t n = strlen(expr);
    snprintf(expr + n, len - n, "%s%s = %s, %s = %s", *any ? ", " : "SET ", k, vk, s, vs);
    *any = true;
    free(key);
    free(sort);
    return ok;
}

/* Sends req (an UpdateItem whose condition fails when the item has its keys already; unless built is false:
 * out of memory while building it) and frees it, counting the outcome in *updated or *keyed. 0, or -1 failed. */
static int update(ddb_client *c, cJSON *req, bool built, const char *what, const char *id, long *updated, long *keyed)
{
    if (!built) {
        cJSON_Delete(req);
        fprintf(stderr, "lookup-backfill: out of memory\n");
        return -1;
    }
    cJSON *resp = NULL;
    ddb_error e;
    ddb_status st = ddb_call(c, "UpdateItem", req, &resp, &e);
    cJSON_Delete(req);
    cJSON_Delete(resp);
    if (st == DDB_ERR_CONDITIONAL_CHECK) { /* keyed already, or changed or gone meanwhile */
        (*keyed)++;
        return 0;
    }
    if (st != DDB_OK) {
        fprintf(stderr, "lookup-backfill: UpdateItem %s %s: %s %s\n", what, id, e.type, e.message);
        return -1;
    }
    (*updated)++;
    return 0;
}

/* 0 updated or nothing to do, -1 failed. */
static int backfill_one(ddb_client *c, const char *table, const cJSON *item, counts *n)
{
    const char *id = ddb_attr_s(item, "id"), *created = ddb_attr_s(item, "createdAt");
    const char *name = ddb_attr_s(item, "customerName"), *email = ddb_attr_s(item, "customerEmail");
    n->scanned++;
    if (!id || !created || (!name && !email)) {
        n->without++;
        return 0;
    }
    if ((!email || ddb_attr_s(item, "emailKey")) && (!name || ddb_attr_s(item, "nameKey"))) {
        n->keyed++;
        return 0;
    }
    char expr[128] = "";
    bool any = false;
    cJSON *req = cJSON_CreateObject(), *key = NULL, *names = NULL, *values = NULL;
    bool ok = req && (key = cJSON_AddObjectToObject(req, "Key")) &&
              (names = cJSON_AddObjectToObject(req, "ExpressionAttributeNames")) &&
              (values = cJSON_AddObjectToObject(req, "ExpressionAttributeValues")) &&
              cJSON_AddStringToObject(req, "TableName", table) && ddb_attr_add(key, "id", "S", id) &&
              add_keys(LOOKUP_BY_EMAIL, email, created, expr, sizeof expr, names, values, &any) &&
              add_keys(LOOKUP_BY_NAME, name, created, expr, sizeof expr, names, values, &any) &&
              cJSON_AddStringToObject(names, "#c", "createdAt") && ddb_attr_add(values, ":c", "S", created);
    if (ok && !any) { /* the texts fold to nothing: not in the indexes */
        cJSON_Delete(req);
        n->without++;
        return 0;
    }
    ok = ok && cJSON_AddStringToObject(req, "UpdateExpression", expr) &&
         cJSON_AddStringToObject(req, "ConditionExpression",
                                 "#c = :c AND attribute_not_exists(emailKey) AND attribute_not_exists(nameKey)");
    return update(c, req, ok, "order", id, &n->updated, &n->keyed);
}

/* Sets ticket id's holder keys (attendee of an order created at created) unless it has them. 0 or -1. */
static int holder_one(ddb_client *c, const char *table, const char *id, const char *attendee, const char *created,
                      counts *n)
{
    char *key = NULL, *sort = NULL;
    int r = lookup_index_keys(LOOKUP_BY_HOLDER, attendee, created, &key, &sort);
    if (r == 1)
        return 0;
    cJSON *req = r == 0 ? cJSON_CreateObject() : NULL, *k = NULL, *values = NULL;
    bool ok = req && (k = cJSON_AddObjectToObject(req, "Key")) &&
              (values = cJSON_AddObjectToObject(req, "ExpressionAttributeValues")) &&
              cJSON_AddStringToObject(req, "TableName", table) && ddb_attr_add(k, "id", "S", id) &&
              ddb_attr_add(values, ":k", "S", key) && ddb_attr_add(values, ":s", "S", sort) &&
              cJSON_AddStringToObject(req, "UpdateExpression", "SET nameKey = :k, nameSort = :s") &&
              cJSON_AddStringToObject(req, "ConditionExpression", "attribute_exists(id) AND attribute_not_exists(nameKey)");
    free(key);
    free(sort);
    return update(c, req, ok, "ticket", id, &n->holders_updated, &n->holders_keyed);
}

/* The holder keys of an order's tickets (attendees and ticketIds of the order item). 0 or -1. */
static int backfill_holders(ddb_client *c, const char *table, const cJSON *item, counts *n)
{
    const char *created = ddb_attr_s(item, "createdAt");
    const cJSON *atts = ddb_attr_l(item, "attendees"), *ids = ddb_attr_l(item, "ticketIds");
    const char *names[BO_ORDER_MAX_TICKETS], *tickets[BO_ORDER_MAX_TICKETS];
    int count = 0, rc = 0;
    if (!created || !cJSON_IsArray(atts) || !cJSON_IsArray(ids) || cJSON_GetArraySize(atts) != cJSON_GetArraySize(ids))
        return 0;
    for (const cJSON *a = atts->child, *t = ids->child; a && t && count < BO_ORDER_MAX_TICKETS; a = a->next, t = t->next) {
        const cJSON *as = cJSON_GetObjectItemCaseSensitive(a, "S"), *ts = cJSON_GetObjectItemCaseSensitive(t, "S");
        names[count] = cJSON_IsString(as) && as->valuestring[0] ? as->valuestring : NULL;
        tickets[count++] = cJSON_IsString(ts) ? ts->valuestring : NULL;
    }
    for (int i = 0; i < count; i++) {
        int r = tickets[i] ? lookup_holder_keyed(ddb_attr_s(item, "customerName"), names, count, i) : 0;
        if (r < 0 || (r == 1 && holder_one(c, table, tickets[i], names[i], created, n) != 0))
            rc = -1;
    }
    return rc;
}

int main(int argc, char **argv)
{
    if (argc != 2 && argc != 3) {
        fprintf(stderr, "usage: lookup-backfill ORDERS_TABLE [TICKETS_TABLE]\n");
        return 2;
    }
    const char *tickets = argc == 3 ? argv[2] : NULL;
    ddb_error e;
    ddb_client *c = ddb_client_new_from_env(&e);
    if (!c) {
        fprintf(stderr, "lookup-backfill: %s\n", e.message);
        return 1;
    }
    counts n = { 0, 0, 0, 0, 0, 0 };
    int rc = 0;
    cJSON *start = NULL;
    do {
        cJSON *req = cJSON_CreateObject();
        if (!req || !cJSON_AddStringToObject(req, "TableName", argv[1]) ||
            !cJSON_AddStringToObject(req, "ProjectionExpression",
                                     tickets ? "id, createdAt, customerName, customerEmail, emailKey, nameKey, "
                                               "attendees, ticketIds"
                                             : "id, createdAt, customerName, customerEmail, emailKey, nameKey") ||
            (start && !cJSON_AddItemToObject(req, "ExclusiveStartKey", start))) {
            cJSON_Delete(req);
            cJSON_Delete(start);
            fprintf(stderr, "lookup-backfill: out of memory\n");
            rc = 1;
            break;
        }
        start = NULL; /* owned by req now */
        cJSON *resp = NULL;
        ddb_status st = ddb_call(c, "Scan", req, &resp, &e);
        cJSON_Delete(req);
        if (st != DDB_OK) {
            fprintf(stderr, "lookup-backfill: Scan: %s %s\n", e.type, e.message);
            rc = 1;
            break;
        }
        const cJSON *it;
        cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(resp, "Items"))
        {
            if (backfill_one(c, argv[1], it, &n) != 0)
                rc = 1;
            if (tickets && backfill_holders(c, tickets, it, &n) != 0)
                rc = 1;
        }
        start = cJSON_DetachItemFromObjectCaseSensitive(resp, "LastEvaluatedKey");
        cJSON_Delete(resp);
    } while (start);
    printf("{\"scanned\":%ld,\"updated\":%ld,\"alreadyKeyed\":%ld,\"withoutCustomer\":%ld", n.scanned, n.updated,
           n.keyed, n.without);
    if (tickets)
        printf(",\"holdersUpdated\":%ld,\"holdersAlreadyKeyed\":%ld", n.holders_updated, n.holders_keyed);
    printf("}\n");
    ddb_client_free(c);
    return rc;
}
