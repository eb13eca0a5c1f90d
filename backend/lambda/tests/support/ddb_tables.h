#ifndef DDB_TABLES_H
#define DDB_TABLES_H
/* Table set-up for integration tests against DynamoDB Local: uniquely named tables with the
 * reference's key schema (id S, PAY_PER_REQUEST), created and deleted by the test. */
#include <stddef.h>

#include "ddb.h"
#include "store.h"

/* "<prefix>-<pid>-<random hex>" into out. */
void ddb_test_table_name(char *out, size_t size, const char *prefix);
/* CreateTable + wait until ACTIVE. 0 or -1 (reason on stderr). */
int ddb_test_create_table(ddb_client *c, const char *name);
/* The same with the string hash key key (the operators table: "sub"). */
int ddb_test_create_table_key(ddb_client *c, const char *name, const char *key);
/* DeleteTable; a missing table is fine. 0 or -1. */
int ddb_test_delete_table(ddb_client *c, const char *name);

/* The fixture of every integration test: a client from the environment (*raw, caller frees with
 * ddb_test_tables_drop) and a fresh concerts and tickets table named "<prefix>-concerts-…" and
 * "<prefix>-tickets-…" into the two buffers of size bytes each, plus the issue 18 tables
 * (ddb_test_issue18_tables). 0 or -1 (reason on stderr). */
int ddb_test_tables_create(ddb_client **raw, const char *prefix, char *concerts, char *tickets, size_t size);
/* The operators, shifts and journal tables with serverless.yml's keys and indexes (issue 18), fresh, named
 * "<prefix>-operators-…" ...; sets OPERATORS_TABLE, SHIFTS_TABLE, JOURNAL_TABLE. ddb_test_tables_create calls it;
 * ddb_test_tables_drop deletes them. Also the counters table (issue 19: key id S), COUNTERS_TABLE. 0 or -1. */
int ddb_test_issue18_tables(ddb_client *c, const char *prefix);
/* The name of that table (STORE_T_OPERATORS, _SHIFTS, _JOURNAL, _COUNTERS), "" before ddb_test_issue18_tables. */
const char *ddb_test_table_of(store_table_id t);

/* Sets CONCERTS_TABLE / TICKETS_TABLE to the two tables and opens a store on them; NULL (reason on stderr). */
store *ddb_test_store_open(const char *concerts, const char *tickets);
/* Deletes both tables and frees raw. 0 or -1. */
int ddb_test_tables_drop(ddb_client *raw, const char *concerts, const char *tickets);

#endif
