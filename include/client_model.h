#ifndef CLIENT_MODEL_H
#define CLIENT_MODEL_H
/* The client's data model and its JSON mapping. No I/O, no drawing.
 * Every string that came from the server is stored sanitised (bo_text_sanitize): safe to draw as is; the
 * API's object is kept beside it (json members) for output that must keep the exact values. */
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

struct cJSON;

#define BO_ID_MAX 128
#define BO_PROBLEMS_MAX 8
#define BO_TZ_MAX 64
#define BO_MAX_PER_ORDER_DEFAULT 10
#define BO_ORDER_TICKETS_MAX 100   /* the most tickets an order answer may carry */
#define BO_CODE_MAX 64             /* bytes of a ticket code as the API gives it */

/* Fields of a concert, as bits of bo_concert_bad.fields. */
enum { BO_FIELD_ID = 1, BO_FIELD_NAME = 2, BO_FIELD_DATE = 4, BO_FIELD_VENUE = 8, BO_FIELD_SEATS = 16,
       BO_FIELD_PRICE = 32 };

/* What is wrong with a record the client cannot show faithfully: a bad value (negative seats, a price
 * it cannot hold exactly, an id that is not a plausible id ...) or the server's own "problems" list.
 * Such a record is listed, marked and never sold. */
typedef struct bo_concert_bad {
    char *problems[BO_PROBLEMS_MAX]; /* owned, sanitised, "field: what is wrong" */
    size_t n;
    unsigned fields;                 /* BO_FIELD_* whose value in bo_concert is NOT the server's */
    char *raw_id;                    /* owned or NULL: the server's id byte for byte when it is not a
                                      * plausible id (then bo_concert.id holds its sanitised form) */
} bo_concert_bad;

typedef struct bo_concert {
    char id[BO_ID_MAX + 1];  /* plausible id (1..128 bytes of clean UTF-8): safe to draw and to send */
    char *name;            /* owned */
    char *date;            /* owned, as the API gave it (ISO-8601) */
    char *venue;           /* owned */
    int64_t seats_left;    /* availableTickets (0 when BO_FIELD_SEATS is bad) */
    int64_t price_cents;   /* ticketPrice, exact (0 when BO_FIELD_PRICE is bad) */
    /* optional fields (orders): read tolerantly, a missing or unusable value is "" / the default */
    char currency[4];      /* ISO 4217 ("EUR"), "" when the server did not say */
    char timezone[BO_TZ_MAX + 1]; /* IANA name ("Europe/Berlin"), "" when the server did not say */
    int64_t max_per_order; /* maxPerOrder, BO_MAX_PER_ORDER_DEFAULT when absent */
    int64_t capacity;      /* -1 when absent */
    bo_concert_bad *bad;   /* owned; NULL for a record read faithfully */
    struct cJSON *json;    /* owned or NULL: the API's object as received; --json takes its exact texts
                            * from here (model_json_text), never from the cleaned copies above */
} bo_concert;

typedef struct bo_concert_list {
    bo_concert *items;     /* owned array */
    size_t n;
} bo_concert_list;

typedef struct bo_ticket {
    char id[BO_ID_MAX + 1];
    char concert_id[BO_ID_MAX + 1];
    char *customer_name;   /* owned */
    char *customer_email;  /* owned */
    char purchase_date[40];
    struct cJSON *json;    /* owned or NULL: the API's answer as received (exact texts, --json) */
} bo_ticket;

/* An order (POST /orders, POST /box-office/orders, GET /orders/{id}): one sale of several tickets. */
typedef enum bo_pay_method { BO_PAY_NONE = 0, BO_PAY_CASH, BO_PAY_CARD, BO_PAY_COMP } bo_pay_method;
const char *bo_pay_method_name(bo_pay_method m);      /* "cash", "card", "comp", "" */
bo_pay_method bo_pay_method_parse(const char *s);     /* BO_PAY_NONE when s is none of them */

typedef struct bo_order_ticket {
    char id[BO_ID_MAX + 1];
    char code[BO_CODE_MAX + 1]; /* exactly as the API gave it (the QR encodes this string) */
    char *attendee;             /* owned or NULL */
    char status[24];            /* "valid", "checkedIn", "refunded" ("" when absent) */
    char checked_in_at[40];     /* ISO-8601 as given, "" when absent (checkedInAt) */
    char door[64];              /* the door that admitted it, sanitised for display (may be cut: --json
                                 * writes the whole name from json), "" when absent */
    char refunded_at[40];       /* ISO-8601 as given, "" when absent (refundedAt) */
    struct cJSON *json;         /* owned or NULL: the API's ticket object as received (exact texts, --json) */
} bo_order_ticket;
void bo_order_ticket_clear(bo_order_ticket *t); /* frees and wipes (the attendee's name) */

typedef struct bo_order {
    char id[BO_ID_MAX + 1];
    char concert_id[BO_ID_MAX + 1];
    int64_t quantity;
    int64_t unit_price_cents, total_cents;
    char currency[4];           /* "" when absent */
    bo_pay_method method;       /* BO_PAY_NONE when absent */
    int64_t tendered_cents, change_cents; /* -1 when absent */
    char created_at[40];        /* ISO-8601 as given, "" when absent */
    char sold_by[BO_ID_MAX + 1]; /* an API key id or "public", "" when absent */
    char *customer_name;        /* owned or NULL */
    char *customer_email;       /* owned or NULL */
    char *matched_attendee;     /* owned or NULL: a lookup by name that matched a ticket holder, not the
                                 * customer (GET /orders?name=: matchedAttendee) */
    bo_order_ticket *tickets;   /* owned array of n_tickets (none in a summary: GET /orders) */
    size_t n_tickets;
    int64_t admitted;           /* tickets checked in, -1 when absent */
    size_t n_refunds;           /* entries of "refunds" */
    int64_t refunded_cents;     /* their amounts added up (0 without refunds) */
    int64_t refunded_tickets;   /* the tickets they name (ticketIds) added up (0 without refunds) */
    struct cJSON *json;         /* owned or NULL: the API's order object as received (exact texts, --json) */
} bo_order;
void bo_order_clear(bo_order *o);   /* frees and wipes (customer data) */
/* JSON -> order. -1 when obj is not an order (no id, a money value that is not an exact decimal string,
 * a ticket without id or code, a code that is not a ticket code: common/bo_code) or on OOM;
 * optional fields may be missing. */
int bo_order_from_json(const struct cJSON *obj, bo_order *out);
/* The same for an order summary (GET /orders, GET /tickets/by-code: the order without "tickets"); a
 * "tickets" array, when present, is read as above. */
int bo_order_summary_from_json(const struct cJSON *obj, bo_order *out);
/* Splits buf in place at ',' into at most max trimmed, non-empty names (pointers into buf); returns
 * how many. The sell form and the worker read "names on the tickets" this way. */
size_t model_names_split(char *buf, const char **out, size_t max);
/* A ticket code for reading: its canonical form from common/bo_code (upper case, groups of 5 joined by '-':
 * "abcdefghjk..." -> "ABCDE-FGHJK-..."); text that is not a code comes out as it is. */
void model_code_grouped(const char *code, char *out, size_t cap);
/* The text member key of an API object kept in the model (the json members above), exactly as the API
 * gave it, whole: what --json writes (escaped there so that no control or bidi character reaches the
 * terminal). fallback when src is NULL or the member is absent or not a text. */
const char *model_json_text(const struct cJSON *src, const char *key, const char *fallback);
/* Wipes every text of j (customer data) and deletes it; NULL is fine. */
void model_json_wipe_delete(struct cJSON *j);
/* Money as shown everywhere in the client: "49.99 EUR" (currency "" -> "49.99"). */
void model_money_with_currency(int64_t cents, const char *currency, char *out, size_t cap);

/* An order to place. Strings borrowed. */
typedef struct bo_order_input {
    const char *concert_id;
    int64_t quantity;
    const char *customer_name, *customer_email; /* NULL or "" = not sent */
    const char *const *attendees;               /* n_attendees names (may be 0) */
    size_t n_attendees;
    bo_pay_method method;                       /* BO_PAY_NONE = no payment object */
    int64_t tendered_cents;                     /* cash: amount tendered, < 0 = not sent */
    bool operator_route;                        /* POST /box-office/orders (x-api-key) instead of /orders */
    const char *shift_id, *terminal;            /* the operator's open shift and its terminal (box-office
                                                 * route; NULL or "" = not sent; cash needs them) */
} bo_order_input;

/* Input of the create-concert form / CLI. Strings are borrowed. */
typedef struct bo_concert_input {
    const char *name, *date, *venue;
    int64_t available_tickets;
    int64_t price_cents;
    const char *currency, *timezone;   /* optional: NULL or "" = not sent */
    int64_t max_per_order;             /* optional: <= 0 = not sent */
} bo_concert_input;

void bo_concert_clear(bo_concert *c);
void bo_concert_list_clear(bo_concert_list *l);
void bo_ticket_clear(bo_ticket *t);
int  bo_concert_copy(bo_concert *dst, const bo_concert *src); /* 0 or -1 (OOM); dst owns copies */

/* JSON -> model. A value the client cannot show faithfully (wrong type, negative or inexact number, an id
 * with control/bidi characters ...) and every entry of the server's "problems" array do not fail the
 * call: the record comes back with out->bad saying what is wrong (see bo_concert_bad).
 * bo_concert_from_json returns 0, or -1 when obj is not an object or on OOM.
 * bo_concert_list_from_json (GET /concerts, api_list_concerts) returns 0, or -1 when arr is not an array or
 * on OOM; an element that is not even an object becomes a marked record with an empty id. It frees each
 * element of arr as soon as it is read, so 10,000 concerts never need the whole tree and the whole model at
 * once: arr stays the caller's, an empty array afterwards (or partly emptied after -1). */
int bo_concert_from_json(const struct cJSON *obj, bo_concert *out);
int bo_concert_list_from_json(struct cJSON *arr, bo_concert_list *out);

/* True when the record may be sold: read faithfully and the server reported no problem. */
bool bo_concert_sellable(const bo_concert *c);
/* True when field (BO_FIELD_*) holds no faithful value. */
bool bo_concert_field_bad(const bo_concert *c, unsigned field);
/* The problems joined by "; " into out (cap bytes, always terminated); "" for a sound record. */
void bo_concert_problems_text(const bo_concert *c, char *out, size_t cap);
/* True when s is a plausible concert id: 1..BO_ID_MAX bytes of valid UTF-8 without control, bidi or other
 * characters the terminal cleaner would change. */
bool model_id_plausible(const char *s);
/* True when s looks like an IANA time zone name ("Europe/Berlin", "UTC"): 1..BO_TZ_MAX letters, digits,
 * '/', '_', '-', '+', not starting with '/' or '.', no "..". */
bool model_tz_name_plausible(const char *s);

/* Sorting and filtering for the list screen and the CLI. */
typedef enum bo_sort { BO_SORT_DATE = 0, BO_SORT_NAME, BO_SORT_SEATS, BO_SORT__COUNT } bo_sort;
const char *bo_sort_name(bo_sort s);                 /* "date", "name", "seats left" */
/* Stable. By name: the names' search keys (common/bo_fold's bo_fold_name, as Find folds them: "Émilie" among
 * the e's), ties by the raw name; every order's ties then by date, then name, then id. */
void bo_concert_list_sort(bo_concert_list *l, bo_sort by);
/* True when the filter's search key (bo_fold_name: case, accents, ß -> ss ..., punctuation runs as one space;
 * the same rule as Find) occurs in the key of the name or of the venue: "zoe" finds "Zoë". An empty filter
 * matches all; one with nothing left to match once folded (only punctuation or invalid bytes) matches none. */
bool bo_concert_matches(const bo_concert *c, const char *filter);

#endif
