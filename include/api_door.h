#ifndef API_DOOR_H
#define API_DOOR_H
/* The door's routes of the API client (src/api_door.c): POST /checkins (a verdict on a scanned code),
 * POST /checkins/{ticketId}/undo (an operator's correction) and GET /concerts/{id}/stats (the running counts). Operator key required. Blocking, like api.h: the UI runs
 * them on its network worker. Every string of a verdict or of the stats is sanitised (safe to draw); the
 * structs own no memory (nothing to free). */
#include <stdint.h>

#include "api.h"
#include "bo_valid.h"

#define API_NONCE_MAX 128      /* the API takes 1..128 visible ASCII characters */
#define API_DOOR_MAX 64        /* characters of a door's name */

typedef enum api_checkin_kind {
    API_CHECKIN_ADMITTED = 0,      /* 200: let them in (also the same nonce retried) */
    API_CHECKIN_ALREADY_ADMITTED,  /* 409: at, door */
    API_CHECKIN_REFUNDED,          /* 409 */
    API_CHECKIN_WRONG_CONCERT,     /* 409: concert_id (and concert_name when it could be read) */
    API_CHECKIN_UNKNOWN_CODE,      /* 404 */
    API_CHECKIN_ERROR,             /* the request itself was refused (400, 403, another 4xx): res says why */
    API_CHECKIN_UNVERIFIED         /* no verdict: transport error, timeout, 5xx, 429, malformed answer.
                                    * The scan must be sent again with the SAME nonce (it admits once). */
} api_checkin_kind;

#define API_TEXT_EXACT (BO_TEXT_MAX_CHARS * 4 + 1) /* bytes of the longest name the API accepts, and a NUL */

/* The texts of a verdict exactly as the API gave them ("" when absent), for output that must keep the
 * exact values (the CLI's --json, which escapes what a terminal would act on). Whole up to the longest
 * text the API accepts. */
typedef struct api_checkin_exact {
    char attendee[API_TEXT_EXACT];
    char customer[API_TEXT_EXACT];
    char door[API_DOOR_MAX * 4 + 1];
    char at[64];
    char concert_name[API_TEXT_EXACT];
} api_checkin_exact;

typedef struct api_checkin_verdict {
    api_checkin_kind kind;
    char ticket_id[BO_ID_MAX + 1];
    char code[BO_CODE_MAX + 1];
    char attendee[256];            /* "" when the ticket has no name */
    char customer[256];            /* admitted: the order's customer, "" when none */
    char order_id[BO_ID_MAX + 1];
    int quantity;                  /* admitted: the order's tickets, and ... */
    int admitted_so_far;           /* ... how many of them are in now (this one included) */
    char at[64];                   /* admitted / already admitted: the check-in's time (ISO-8601, UTC) */
    char door[API_DOOR_MAX * 4 + 1]; /* ... and where */
    char concert_id[BO_ID_MAX + 1];  /* wrong concert: the concert the ticket is for */
    char concert_name[256];          /* wrong concert: its name ("" when it could not be read) */
    char concert_date[64];           /* wrong concert: its date as the API gives it ("" likewise) */
    api_checkin_exact exact;         /* the texts above that a cleaned or cut copy could change, exactly */
} api_checkin_verdict;

/* A fresh nonce for one scan (a random UUID). Keep it with the scan: every retry sends the same. */
void api_checkin_nonce_new(char out[API_NONCE_MAX + 1]);
/* 1..API_NONCE_MAX visible ASCII characters. */
bool api_checkin_nonce_valid(const char *nonce);

/* POST /checkins {code, concertId, nonce, door?}. attempts: how many tries on an answer that is no
 * verdict (transport error, 5xx, 429; backoff between them, the same nonce), 0 = the client's default
 * (api_config.purchase_attempts). Returns API_OK whenever the server gave a verdict (admitted or one of
 * the refusals: v->kind says which), else the error (v->kind API_CHECKIN_ERROR for a refused request,
 * API_CHECKIN_UNVERIFIED when the ticket's state could not be learnt) with res->message. On a wrong
 * concert the other concert's name is read too (GET /concerts/{id}, best effort). door may be NULL or "". */
api_status api_checkin(api_client *c, const char *concert_id, const char *code, const char *nonce, const char *door,
                       int attempts, api_checkin_verdict *v, api_result *res);

/* What an undo of a check-in answered: the ticket as the server holds it now. Owns no memory. */
typedef struct api_undo_result {
    bool not_checked_in;           /* 409: the ticket was not checked in; status says what it is */
    char ticket_id[BO_ID_MAX + 1];
    char code[BO_CODE_MAX + 1];
    char order_id[BO_ID_MAX + 1];
    char concert_id[BO_ID_MAX + 1];
    char attendee[256];            /* "" when the ticket has no name */
    char attendee_exact[API_TEXT_EXACT]; /* the same exactly as the API gave it (--json) */
    char status[24];               /* "valid" after an undo; on a 409 "valid", "refunded" ... ("" when absent) */
} api_undo_result;

/* POST /checkins/{ticketId}/undo: a checked-in ticket goes back to valid (the counters with it). API_OK:
 * undone (u->status "valid"). A 409 is API_ERR_INVALID with u->not_checked_in set and a message that says
 * the ticket's state ("Ticket is not checked in: it is valid"); 404 is API_ERR_NOT_FOUND "No such ticket";
 * 403 API_ERR_FORBIDDEN. The undo carries no key, so it is sent again only when the server cannot have
 * carried it out (no connection, 429); when an attempt may have reached it without a definite answer
 * (a timeout, a 5xx) res->unconfirmed is set: the ticket may be valid again, read the order to know. */
api_status api_undo_checkin(api_client *c, const char *ticket_id, api_undo_result *u, api_result *res);

typedef struct api_stats {
    char concert_id[BO_ID_MAX + 1];
    int64_t capacity, sold, refunded, admitted, available;
    char revenue_card[32], revenue_cash[32], revenue_comp[32]; /* decimal strings as the API gives them */
    char currency[8];              /* "" when the concert has none */
} api_stats;

/* GET /concerts/{id}/stats. 404 -> API_ERR_NOT_FOUND. */
api_status api_concert_stats(api_client *c, const char *concert_id, api_stats *out, api_result *res);

#endif
