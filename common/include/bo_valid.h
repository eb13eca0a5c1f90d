#ifndef BO_VALID_H
#define BO_VALID_H
/* The validation rules for concerts and tickets, in one place: the backend answers 400 with these
 * messages, and the client's forms check the same rules as the operator types.
 * Each function returns NULL when the value is valid, or a static English message that names the
 * field, e.g. "name must not be empty". Messages never echo the input. */
#include <stddef.h>
#include <stdint.h>

#define BO_TEXT_MAX_CHARS 200
#define BO_EMAIL_MAX 254
#define BO_TICKETS_MAX 1000000
#define BO_BODY_MAX (64 * 1024)

/* name, venue, customerName: after trimming non-empty, <= 200 characters, valid UTF-8, no control characters,
 * no bidi controls (bo_text_has_bidi_control), at least one visible character (bo_text_has_visible).
 * field is the JSON field name used in the message. */
const char *bo_valid_text(const char *field, const char *value);

/* The rule of bo_valid_text as a fault code, for callers that word their own message (the backend
 * judging items written by other programs). Checked in this order. */
typedef enum bo_text_fault {
    BO_TEXT_OK = 0,
    BO_TEXT_REQUIRED,   /* NULL */
    BO_TEXT_EMPTY,      /* nothing but ASCII white space */
    BO_TEXT_UTF8,       /* not well-formed UTF-8 (checked before EMPTY) */
    BO_TEXT_CONTROL,    /* C0, C1 or DEL inside */
    BO_TEXT_BIDI,       /* a bidi control (bo_text_has_bidi_control) */
    BO_TEXT_INVISIBLE,  /* no visible character (bo_text_has_visible) */
    BO_TEXT_LONG        /* more than BO_TEXT_MAX_CHARS characters */
} bo_text_fault;
bo_text_fault bo_valid_text_fault(const char *value);

/* A door's name (POST /checkins "door", the CLI's --door / --door-name, door mode's name): the rule of
 * bo_valid_text (a visible character, no control or bidi character) and at most BO_DOOR_MAX_CHARS
 * characters. NULL when valid, else the one message the API answers with. */
#define BO_DOOR_MAX_CHARS 64
const char *bo_valid_door(const char *value);

/* date: ISO-8601 calendar date "YYYY-MM-DD" or date-time "YYYY-MM-DDThh:mm[:ss[.fff]](Z|±hh:mm)",
 * with a real calendar day (no Feb 30) and real times. */
const char *bo_valid_date(const char *value);

/* customerEmail: <= 254 bytes, one '@', non-empty local part (<= 64), a domain with a dot,
 * letters/digits/hyphens in labels, no spaces or control characters. */
const char *bo_valid_email(const char *value);

/* availableTickets: an integer 0..1,000,000 (the caller converts a JSON number; fractional values are refused). */
const char *bo_valid_tickets_double(double value, int64_t *out);

/* ticketPrice: a number >= 0 with at most 2 decimals; stored in cents. */
const char *bo_valid_price_double(double value, int64_t *cents_out);

/* Typed-in text forms of the above, for the client's forms: "120", "49.99". */
const char *bo_valid_tickets_text(const char *text, int64_t *out);
const char *bo_valid_price_text(const char *text, int64_t *cents_out);

#endif
