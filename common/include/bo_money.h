#ifndef BO_MONEY_H
#define BO_MONEY_H
/* Exact money: prices are integer cents, never floating point at rest.
 * Shared by the backend (validation, DynamoDB N values) and the client (display, forms). */
#include <stddef.h>
#include <stdint.h>

#define BO_PRICE_MAX_CENTS INT64_C(100000000) /* 1,000,000.00: larger prices are refused */
#define BO_AMOUNT_MAX_CENTS INT64_C(100000000000) /* 1,000,000,000.00: the largest amount of any kind (cash
                                                    * tendered, hence change); totals reach 49 x BO_PRICE_MAX_CENTS */
#define BO_MONEY_BUF 32

/* What bo_money_parse_upto and bo_money_from_double_upto found. */
enum { BO_MONEY_OK = 0, BO_MONEY_MALFORMED = -1, BO_MONEY_TOO_LARGE = -2 };

/* Parses a decimal text such as "49.99", "50", "0.5" into cents.
 * Refuses signs, exponents, more than 2 decimals, empty text, > BO_PRICE_MAX_CENTS.
 * Returns 0 and sets *cents, or -1. */
int bo_money_parse(const char *text, int64_t *cents);

/* As bo_money_parse with max (at most BO_AMOUNT_MAX_CENTS) instead of BO_PRICE_MAX_CENTS: returns
 * BO_MONEY_OK and sets *cents, BO_MONEY_TOO_LARGE for a well-formed amount above max, else
 * BO_MONEY_MALFORMED. */
int bo_money_parse_upto(const char *text, int64_t max, int64_t *cents);

/* Converts a JSON number (as a double parsed by cJSON) to cents when it has at most
 * 2 decimals and lies in [0, BO_PRICE_MAX_CENTS]; 49.99 -> 4999 exactly. Returns 0 or -1. */
int bo_money_from_double(double value, int64_t *cents);

/* As bo_money_from_double with max (at most BO_AMOUNT_MAX_CENTS): BO_MONEY_OK, BO_MONEY_TOO_LARGE for a
 * value above max, else BO_MONEY_MALFORMED (negative, not finite, more than 2 decimals). */
int bo_money_from_double_upto(double value, int64_t max, int64_t *cents);

/* Writes the shortest exact decimal: 4999 -> "49.99", 5000 -> "50", 4990 -> "49.9".
 * This is the form stored in DynamoDB N attributes and emitted as a raw JSON number. */
void bo_money_format(int64_t cents, char out[BO_MONEY_BUF]);

/* Writes a display form with two decimals and thousands separators: 123456 -> "1,234.56". */
void bo_money_display(int64_t cents, char out[BO_MONEY_BUF]);

#endif
