#ifndef BO_VALID_ORDER_H
#define BO_VALID_ORDER_H
/* The validation rules of orders and of the concert fields orders use (currency, timezone,
 * maxPerOrder), shared by the backend and the client's forms. As bo_valid.h: NULL when valid, else a
 * static message naming the field; messages never echo the input. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bo_money.h"

#define BO_ORDER_MAX_TICKETS 47      /* 2 + 2 * 47 + 3 = 99 items (seats, order, tickets + codes, the journal entry, the
                                      * shift, the operator check) <= 100: DynamoDB's limit for one transaction */
#define BO_ORDER_DEFAULT_MAX 10      /* maxPerOrder of a concert that names none */
#define BO_CURRENCY_DEFAULT "EUR"    /* when DEFAULT_CURRENCY is unset */
#define BO_TIMEZONE_MAX 64

/* currency: ISO 4217 form, three upper-case ASCII letters ("EUR"). */
const char *bo_valid_currency(const char *value);

/* timezone: an IANA name by its form, "UTC" or "<Area>/<Location>[/<Location>]" with Area one of
 * Africa America Antarctica Arctic Asia Atlantic Australia Europe Indian Pacific Etc, each part
 * 1..30 of [A-Za-z0-9_+-] starting with a letter (Etc/GMT+5 included), at most 64 bytes.
 * Not looked up in a tz database: the Lambda image need not carry one. */
const char *bo_valid_timezone(const char *value);

/* maxPerOrder: a whole number 1..BO_ORDER_MAX_TICKETS (the caller converts a JSON number). */
const char *bo_valid_max_per_order_double(double value, int64_t *out);

/* The typed-in form of maxPerOrder for the client's forms and the CLI: digits only ("4", " 12 "), 1..47,
 * with the message above; "" or NULL: "maxPerOrder is required" (a form treats empty as the default).
 * out may be NULL; it is written only when the text is valid. */
const char *bo_valid_max_per_order_text(const char *text, int64_t *out);

/* quantity: a whole number 1..BO_ORDER_MAX_TICKETS; the concert's maxPerOrder is checked by the
 * caller once it has read the concert. */
const char *bo_valid_quantity_double(double value, int64_t *out);

/* payment.tendered (cash): an amount with at most 2 decimals from 0 to BO_TENDERED_MAX_CENTS, as the
 * API's decimal string or the client's typed-in text ("100", "2500000.50"; no sign, no exponent) or as
 * a JSON number. Whether it covers the total is checked by the caller once the total is known. */
#define BO_TENDERED_MAX_CENTS BO_AMOUNT_MAX_CENTS
#define BO_TENDERED_MAX_TEXT "1000000000.00"
#define BO_TENDERED_TOO_LARGE "payment.tendered must be at most " BO_TENDERED_MAX_TEXT /* the message above it */
const char *bo_valid_tendered_text(const char *text, int64_t *out);
const char *bo_valid_tendered_double(double value, int64_t *out);

/* attendees, when names are given at all: exactly one name per ticket (names == quantity). No names is
 * valid (the tickets go unnamed); the caller decides whether names were given (a JSON array, --attendee). */
const char *bo_valid_attendee_count(size_t names, int64_t quantity);

/* payment method: "card", "cash" or "comp". */
bool bo_valid_payment_method(const char *value);

#endif
