#ifndef LOOKUP_KEY_H
#define LOOKUP_KEY_H
/* The keys of the orders' lookup indexes (GET /orders?email=|name=) and the opaque cursor of their pages.
 * Pure: no store, no I/O (fuzzed: fuzz/fuzz_lookup.c); the order's transaction (store_order.c) writes the keys
 * built here.
 *
 * Index byEmail: emailKey = "e#" + the first 2 characters of the folded e-mail (bo_fold_email),
 *                emailSort = folded e-mail + "\x1f" + inverted createdAt;
 * index byName:  nameKey = "n#" + ..., nameSort = ... the same with bo_fold_name.
 * Index byHolder (on the TICKETS table): nameKey/nameSort of a ticket holder's (attendee's) name, as byName,
 *                with the order's createdAt; only the tickets lookup_holder_keyed picks.
 * Inverted createdAt: each digit d of "2026-11-29T12:54:42.123Z" becomes 9 - d, so that within one
 * customer the sort key orders the newest order first; "\x1f" sorts below every folded character, so
 * customers come in the order of their folded text ("ann" before "anna").
 *
 * A cursor is "1." + base64url(JSON [id, sort]) + "." + 16 hex digits of a check over the query and the
 * key. It names a position inside the query it came from: decoding rebuilds DynamoDB's ExclusiveStartKey
 * from the query's own bucket, and refuses (as a bad cursor) anything malformed, a key outside the query's
 * prefix, or a check that does not match this query (a cursor of another query, or edited). The check is
 * not a secret MAC: a cursor can at most move the start inside the caller's own query. */
#include <stdbool.h>
#include <stddef.h>
#include <cjson/cJSON.h>

#define LOOKUP_MIN_CHARS 2          /* a query's folded prefix has at least this many characters */
#define LOOKUP_BUCKET_BUF 16        /* "e#" + 2 characters of up to 4 bytes + NUL */
#define LOOKUP_TEXT_MAX 900         /* folded text kept in a sort key (bytes; DynamoDB allows 1024) */
#define LOOKUP_CURSOR_MAX 2048      /* longer query parameters are not cursors */

typedef enum lookup_by { LOOKUP_BY_EMAIL = 0, LOOKUP_BY_NAME, LOOKUP_BY_HOLDER } lookup_by;

typedef struct lookup_query {
    lookup_by by;
    const char *index;              /* "byEmail" / "byName" / "byHolder" (static) */
    const char *key_attr;           /* "emailKey" / "nameKey" (static) */
    const char *sort_attr;          /* "emailSort" / "nameSort" (static) */
    char bucket[LOOKUP_BUCKET_BUF]; /* "e#zo" */
    const char *prefix;             /* folded prefix, borrowed */
    const char *concert_id;         /* only this concert's orders; NULL for all (borrowed) */
} lookup_query;

/* Folds text for the index by (bo_fold_email / bo_fold_name), cut to LOOKUP_TEXT_MAX bytes on a character
 * boundary. New string (caller frees), NULL when out of memory. */
char *lookup_fold(lookup_by by, const char *text);

/* Sets q up for the folded prefix (borrowed). 0, or -1 when it has fewer than LOOKUP_MIN_CHARS characters. */
int lookup_query_init(lookup_query *q, lookup_by by, const char *prefix, const char *concert_id);

/* The index keys of an order with customer text (e-mail or name) created at created_at: *key and *sort are new
 * strings (caller frees). 0; 1 when the folded text is empty (the order is not in that index; both NULL);
 * -1 out of memory. */
int lookup_index_keys(lookup_by by, const char *text, const char *created_at, char **key, char **sort);

/* Whether ticket i of an order gets holder keys (index byHolder): its attendee's folded name is not empty,
 * differs from the customer's (that order is found by the customer already) and from every earlier ticket's
 * of the order (one entry per person). attendees[0..n) may hold NULLs. 1 yes, 0 no, -1 out of memory.
 * The order's transaction (store_order.c) and lookup-backfill decide with it alike. */
int lookup_holder_keyed(const char *customer_name, const char *const *attendees, int n, int i);

/* Adds an order's index keys to its DynamoDB item (attribute values): emailKey/emailSort when email is given
 * and folds to something, nameKey/nameSort the same for name. false when out of memory. */
bool lookup_add_keys(cJSON *item, const char *name, const char *email, const char *created_at);
/* Adds ticket i's holder keys (nameKey/nameSort of attendees[i], index byHolder on the tickets table) to its
 * DynamoDB item when lookup_holder_keyed picks it. false when out of memory. */
bool lookup_add_holder_keys(cJSON *ticket_item, const char *customer_name, const char *const *attendees, int n,
                            int i, const char *created_at);

/* The cursor for DynamoDB's LastEvaluatedKey of q (new string, caller frees); NULL when out of memory or
 * last_key is not a key of q's index. */
char *lookup_cursor_encode(const lookup_query *q, const cJSON *last_key);

/* The ExclusiveStartKey a cursor stands for: 0 with *start_key (new, caller frees); -1 a bad cursor (malformed,
 * of another query, edited); -2 out of memory. *start_key is NULL unless 0. */
int lookup_cursor_decode(const char *cursor, const lookup_query *q, cJSON **start_key);

#endif
