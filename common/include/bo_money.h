#ifndef BO_MONEY_H
#define BO_MONEY_H
/* Exact money: prices are integer cents, never floating point at rest.
 * Shared by the backend (validation, DynamoDB N values) and the client (display, forms). */
#include <stddef.h>
#include <stdint.h>

#define BO_PRICE_MAX_CENTS INT64_C(100000000) /* 1,000,000.00: larger prices are refused */
#define BO_MONEY_BUF 32

/* Parses a decimal text such as "49.99", "50", "0.5" into cents.
 * Refuses signs, exponents, more than 2 decimals, empty text, > BO_PRICE_MAX_CENTS.
 * Returns 0 and sets *cents, or -1. */
int bo_money_parse(const char *text, int64_t *cents);

/* Converts a JSON number (as a double parsed by cJSON) to cents when it has at most
 * 2 decimals and lies in [0, BO_PRICE_MAX_CENTS]; 49.99 -> 4999 exactly. Returns 0 or -1. */
int bo_money_from_double(double value, int64_t *cents);

/* Writes the shortest exact decimal: 4999 -> "49.99", 5000 -> "50", 4990 -> "49.9".
 * This is the form stored in DynamoDB N attributes and emitted as a raw JSON number. */
void bo_money_format(int64_t cents, char out[BO_MONEY_BUF]);

/* Writes a display form with two decimals and thousands separators: 123456 -> "1,234.56". */
void bo_money_display(int64_t cents, char out[BO_MONEY_BUF]);

#endif
