#ifndef STORE_PRIV_H
#define STORE_PRIV_H
/* The store's private header, for its own modules and nothing else: store.c (the handle) lends the DynamoDB
 * client, the table names, the error slot and GetItem; store_concert.c the concert codec; store_purchase.c the
 * read of a concert before a sale; store_txn.c the transaction helpers; store_order.c the order codec. Used by
 * store_concert.c, store_purchase.c, store_order.c, store_aftersale.c and store_lookup.c (and the store's unit
 * tests). Handlers never include this. */
#include <stdbool.h>

#include <cjson/cJSON.h>

#include "ddb.h"
#include "store.h"
#include "store_order.h"

#define STORE_ERROR_MAX 768 /* bytes of the last error, its NUL included */

ddb_client *store_ddb(store *s);
/* The table's name; "" when the store was opened without it (its variable unset or not a table name). */
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
/* true when the store has every table in needed (STORE_NEED_* bits), else false with "<what>: <VARIABLE> is
 * not set" as the last error. */
bool store_tables_set(store *s, unsigned needed, const char *what);
/* Copies an id of 1..STORE_ID_MAX bytes into dst; false (dst untouched) when src is NULL, empty or longer. */
bool store_copy_id(char dst[STORE_ID_MAX + 1], const char *src);

/* The operator's ConditionCheck of the transaction being built (store_txn.c): 1 + its index in TransactItems,
 * 0 for none. store_take_operator_check returns it and resets it to 0. */
void store_set_operator_check(store *s, int index_plus_1);
int store_take_operator_check(store *s);

/* A concert item into *out (store_concert.c; see "Reading items" in store.h). 0 read (out->n_problems > 0 when
 * it has problems), -1 no string id (not a concert item; *out cleared), -2 out of memory (*out cleared).
 * seats_s (may be NULL) is set to the stored text when a valid availableTickets is an S (borrowed from item),
 * else NULL. */
int store_concert_from_item(const cJSON *item, concert *out, const char **seats_s);
/* "<what>: concert item stored malformed: <problem>; <problem>" into the store's last error. */
void store_set_problems_error(store *s, const char *what, const concert *c);
/* Reads a concert before a sale, rewriting a seat counter stored as a string as N first (as
 * store_purchase does; store_purchase.c): STORE_OK (*out readable, the caller's), STORE_MALFORMED (*out with its
 * problems, the caller's), STORE_NOT_FOUND, STORE_UNAVAILABLE or STORE_ERROR (*out zeroed). */
store_status store_concert_for_sale(store *s, const char *id, concert *out);
/* An order item into *o (store_order.c; tickets: ids and attendees only, no codes or states).
 * 0 (*o the caller's), -1 stored malformed, -2 out of memory (*o zeroed). */
int store_order_from_item(const cJSON *item, order *o);

/* Transactions (store_txn.c) ------------------------------------------------------------------------------ */

/* Sends the TransactWriteItems req (owned: always freed); built false means it could not be completed (out of
 * memory) and is not sent, nor is a NULL req. STORE_OK; the failure mapped (store_from_ddb) when not cancelled;
 * STORE_DISABLED (not *cancelled) when DynamoDB cancelled it because the operator's ConditionCheck failed
 * (store_txn_add_operator_check; whatever else failed with it); STORE_ERROR with *cancelled when DynamoDB
 * cancelled it otherwise (the reasons in *e, recorded as the last error). */
store_status store_transact(store *s, cJSON *req, bool built, ddb_error *e, bool *cancelled);
/* name: {"N": "<cents as an exact decimal>"} ("-0.50" for -50). false when out of memory. */
bool store_txn_add_money(cJSON *obj, const char *name, int64_t cents);
/* Appends to items (a TransactItems array) a ConditionCheck on the operators table's item {sub}:
 * attribute_not_exists(disabled) OR disabled = false (a missing item counts as enabled), and remembers its
 * index for store_transact (refused -> STORE_DISABLED). Every write transaction made for a signed-in
 * operator takes it; sub NULL or "" (a public sale) adds nothing. false when out of memory or the store has no
 * OPERATORS_TABLE (last error set): the transaction must not be sent. */
bool store_txn_add_operator_check(cJSON *items, store *s, const char *sub);
/* true when the cancelled transaction's item i failed its condition (CancellationReasons[i] is
 * ConditionalCheckFailed). */
bool store_txn_failed(const ddb_error *e, size_t i);

#endif
