#ifndef STORE_PRIV_H
#define STORE_PRIV_H
/* What store.c lends to the store's other modules (store_order.c, store_aftersale.c, store_lookup.c), and
 * to nothing else: the DynamoDB client, the table names, the error slot and the item reading.
 * Handlers never include this. */
#include <stdbool.h>

#include <cjson/cJSON.h>

#include "ddb.h"
#include "store.h"
#include "store_order.h"

typedef enum store_table_id { STORE_T_CONCERTS, STORE_T_TICKETS, STORE_T_ORDERS, STORE_T_CODES } store_table_id;

ddb_client *store_ddb(store *s);
/* The table's name; "" for orders/codes when ORDERS_TABLE/CODES_TABLE is unset or not a table name. */
const char *store_table(const store *s, store_table_id t);
void store_set_error(store *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void store_set_ddb_error(store *s, const char *what, const ddb_error *e);
/* Records e and maps it: STORE_UNAVAILABLE for what a client may retry, else STORE_ERROR. */
store_status store_from_ddb(store *s, const char *what, const ddb_error *e);
/* Strongly consistent GetItem of {"id": id} in table: 0 found (*item is the caller's), 1 not found,
 * -1 failed (*st says how). */
int store_get_item(store *s, const char *table, const char *id, cJSON **item, store_status *st);
/* The same for the item whose string key key_name is value (the codes table: {"code": code}). */
int store_get_item_by(store *s, const char *table, const char *key_name, const char *value, cJSON **item,
                      store_status *st);
/* Reads a concert before a sale, rewriting a seat counter stored as a string as N first (as
 * store_purchase does): STORE_OK (*out readable, the caller's), STORE_MALFORMED (*out with its
 * problems, the caller's), STORE_NOT_FOUND, STORE_UNAVAILABLE or STORE_ERROR (*out zeroed). */
store_status store_concert_for_sale(store *s, const char *id, concert *out);
/* An order item into *o (store_order.c; tickets: ids and attendees only, no codes or states).
 * 0 (*o the caller's), -1 stored malformed, -2 out of memory (*o zeroed). */
int store_order_from_item(const cJSON *item, order *o);
/* Adds the lookup index keys of an order (store_lookup.c, lookup_key.h) to its item: emailKey/emailSort
 * when email is given and folds to something, nameKey/nameSort the same for name. false when out of memory. */
bool store_lookup_add_keys(cJSON *item, const char *name, const char *email, const char *created_at);
/* Adds ticket i's holder keys (index byHolder on the tickets table) to its item when lookup_holder_keyed
 * picks it. false when out of memory. */
bool store_lookup_add_holder_keys(cJSON *ticket_item, const order *o, int i);

#endif
