#ifndef MODEL_H
#define MODEL_H
/* The client's data model and its JSON mapping. No I/O, no drawing.
 * Every string that came from the server is stored sanitised (bo_text_sanitize): safe to draw as is. */
#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#define BO_ID_MAX 128

typedef struct bo_concert {
    char id[BO_ID_MAX + 1];
    char *name;            /* owned */
    char *date;            /* owned, as the API gave it (ISO-8601) */
    char *venue;           /* owned */
    int64_t seats_left;    /* availableTickets */
    int64_t price_cents;   /* ticketPrice, exact */
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
} bo_ticket;

/* Input of the create-concert form / CLI. Strings are borrowed. */
typedef struct bo_concert_input {
    const char *name, *date, *venue;
    int64_t available_tickets;
    int64_t price_cents;
} bo_concert_input;

void bo_concert_clear(bo_concert *c);
void bo_concert_list_clear(bo_concert_list *l);
void bo_ticket_clear(bo_ticket *t);
int  bo_concert_copy(bo_concert *dst, const bo_concert *src); /* 0 or -1 (OOM); dst owns copies */

/* JSON -> model. Return 0, or -1 when the JSON is not of the expected shape (missing id, wrong types). */
struct cJSON;
int bo_concert_from_json(const struct cJSON *obj, bo_concert *out);
int bo_concert_list_from_json(const struct cJSON *arr, bo_concert_list *out);

/* Sorting and filtering for the list screen and the CLI. */
typedef enum bo_sort { BO_SORT_DATE = 0, BO_SORT_NAME, BO_SORT_SEATS, BO_SORT__COUNT } bo_sort;
const char *bo_sort_name(bo_sort s);                 /* "date", "name", "seats left" */
void bo_concert_list_sort(bo_concert_list *l, bo_sort by); /* stable; ties by date then name then id */
/* True when the case-insensitive (ASCII and Latin-1-range folding) filter text occurs in name or venue. Empty filter matches all. */
bool bo_concert_matches(const bo_concert *c, const char *filter);

#endif
