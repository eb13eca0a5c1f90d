#ifndef CALLER_H
#define CALLER_H
/* Who is calling: the signed-in operator, as API Gateway's Cognito authorizer hands the ID token's claims to
 * the function in requestContext.authorizer.claims (payload 1.0: every value a string; a list such as
 * cognito:groups comma-joined, "manager,cashier", or bracketed and space-separated, "[manager cashier]").
 * The function trusts these claims because API Gateway checked the token (signature, issuer, expiry,
 * token_use) before invoking it; it never sees the token.
 *
 *   caller who;
 *   caller_from_event(&ev, &who);           // never fails: no claims -> who.signed_in == false
 *   if (caller_in(&who, CALLER_MANAGER)) ...
 *
 * Ownership: every string is borrowed from the event (valid until apigw_event_clear), except name_buf. */
#include "apigw.h"

#include <stdbool.h>

/* The groups of the user pool: a role each (docs/openapi.yaml, x-boxoffice-groups). */
typedef enum caller_group {
    CALLER_MANAGER = 1u << 0,
    CALLER_CASHIER = 1u << 1,
    CALLER_DOOR = 1u << 2,
    CALLER_KIOSK = 1u << 3,
} caller_group;

#define CALLER_NAME_MAX 64 /* bytes of the display name kept (cut at a character boundary) */

typedef struct caller {
    bool signed_in;           /* claims with a non-empty sub were handed over */
    const char *sub;          /* the user's stable id (claim sub); NULL when not signed in */
    const char *username;     /* cognito:username, else username; may be NULL. Never log or journal it:
                                 in a pool whose user names are e-mails it can be one */
    const char *email;        /* claim email, or NULL: never log or journal it in clear */
    unsigned groups;          /* caller_group bits of cognito:groups; unknown groups are ignored */
    char name_buf[CALLER_NAME_MAX + 1]; /* the display name: claim name, else custom:display_name, else the e-mail's local part cut to
                                 two characters and "…" ("an…"), else "operator"; no control characters */
} caller;

/* Fills *out from ev (ev may hold no claims at all: then signed_in is false and groups 0). */
void caller_from_event(const apigw_event *ev, caller *out);

/* The display name (name_buf). */
static inline const char *caller_name(const caller *c) { return c->name_buf; }

/* True when the caller is in at least one of the groups in mask. */
static inline bool caller_in(const caller *c, unsigned mask) { return c->signed_in && (c->groups & mask) != 0; }

/* The group bit of a group's name ("manager" -> CALLER_MANAGER), or 0 for an unknown name. */
unsigned caller_group_bit(const char *name, size_t len);
/* The name of one group bit ("manager"), or NULL. */
const char *caller_group_name(unsigned bit);
/* Parses a claim's list of groups ("a,b", "[a b]", "a"): the bits of the known ones. */
unsigned caller_groups_parse(const char *text);

#endif
