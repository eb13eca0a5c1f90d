#ifndef DDB_ATTR_H
#define DDB_ATTR_H
/* DynamoDB's attribute values ({"S": "text"}, {"N": "49.99"}, ...) in the JSON of ddb_call, and its
 * decimal numbers read exactly (no double in between). Pure: no client, no I/O. */
#include <stdbool.h>
#include <stdint.h>
#include <cjson/cJSON.h>

/* Adds name: {type: value} to obj (NULL value: ""). false when out of memory. */
bool ddb_attr_add(cJSON *obj, const char *name, const char *type, const char *value);
/* The string of attribute `name` of item when it is {"S": "..."}, else NULL (borrowed from item). */
const char *ddb_attr_s(const cJSON *item, const char *name);
/* The number text of attribute `name` of item when it is {"N": "..."}, else NULL (borrowed from item). */
const char *ddb_attr_n(const cJSON *item, const char *name);
/* The array of attribute `name` of item when it is {"L": [...]}, else NULL (borrowed from item). */
const cJSON *ddb_attr_l(const cJSON *item, const char *name);
/* The stored text of an attribute value: its S or N, else its JSON ({"BOOL":true}). Caller frees;
 * NULL on OOM. */
char *ddb_attr_text(const cJSON *av);
/* The text of a number attribute value: its N, or else its S (a number a DocumentClient wrote as a
 * string; *is_s is then true). NULL when it has neither (borrowed from av). */
const char *ddb_attr_number_text(const cJSON *av, bool *is_s);

/* Parses a DynamoDB number ("49.99", "49.990", "1E+1", "-0.5e-3", ...) scaled by 10^scale into *out.
 * Returns 0; -1 malformed text; -2 the scaled value does not fit 18 digits; -3 inexact (non-zero
 * digits below 10^-scale). *neg is set when the text is negative and not zero (also on -2/-3). */
int ddb_number_scaled(const char *text, int scale, int64_t *out, bool *neg);

#endif
