#ifndef API_SHIFT_H
#define API_SHIFT_H
/* Shifts and cash-up (operators): open a shift at a terminal with a float, the caller's open shift, a shift
 * with its X or Z report, cash drops and paid-outs, the blind close, and a day's sheet (JSON or CSV). Blocking
 * calls on an api_client (api.h), one thread at a time; no drawing.
 * The model: money in cents with its currency, one row per currency; every string from the server is stored
 * sanitised (safe to draw) and the API's object is kept whole in json (exact texts for --json).
 * Ownership: an api_shift / api_shift_day filled by a call is the caller's (api_shift_clear /
 * api_shift_day_clear); on failure it is left empty (nothing to free). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "api.h"
#include "api_journal.h" /* API_JOURNAL_CURSOR_MAX */
#include "bo_money.h"
#include "client_model.h"

#define API_SHIFT_CURRENCIES_MAX 8  /* currencies one report (or one form) holds; more: API_ERR_PROTOCOL */
#define API_TERMINAL_MAX 64         /* characters of a terminal's name */
#define API_SHIFT_NOTE_MAX 200      /* characters of a note (drop, paid-out, close): the API's SHIFT_NOTE_MAX */
#define API_SHIFT_HASH_HEX 64

/* One currency of a report. Amounts are cents; *_known false where the server said null. */
typedef struct api_shift_row {
    char currency[4];
    int64_t float_cents;
    int64_t sales_cash, sales_card, sales_other;
    int64_t orders, comps, comp_tickets;
    int64_t refunds_cash, refunds_card, refunds_other;
    int64_t refund_count;
    int64_t drops, paid_outs;
    int64_t expected;                 /* expectedCash */
    bool counted_known, difference_known;
    int64_t counted, difference;      /* difference may be negative (short) */
} api_shift_row;

typedef struct api_shift_report {
    bool known;                       /* the shift came with a report */
    char kind;                        /* 'X' (open) or 'Z' (closed) */
    int64_t z;                        /* the Z number, 0 for an X report */
    api_shift_row rows[API_SHIFT_CURRENCIES_MAX];
    size_t n;
    char note[API_SHIFT_NOTE_MAX * 4 + 1]; /* "" when null */
    int64_t entries;                  /* journal entries of the shift so far (-1 when absent) */
    char hash[API_SHIFT_HASH_HEX + 1];/* Z only: lowercase hex, "" when null */
} api_shift_report;

typedef struct api_shift {
    char id[BO_ID_MAX + 1];
    char operator_sub[BO_ID_MAX + 1];
    char operator_name[256];          /* sanitised display name */
    char terminal[API_TERMINAL_MAX * 4 + 1];
    bool open;                        /* status "open" (else "closed") */
    char opened_at[40], closed_at[40];/* ISO-8601 as given; closed_at "" while open */
    api_shift_report report;
    struct cJSON *json;               /* owned: the API's Shift object as received */
} api_shift;
void api_shift_clear(api_shift *s);
/* JSON -> shift. -1 when obj is not a shift (no plausible id, a status other than open/closed, an amount
 * that is not an exact decimal string, more currencies than API_SHIFT_CURRENCIES_MAX, a Z without its
 * number) or on OOM; out is then empty. out->json is a copy of obj. */
int api_shift_from_json(const struct cJSON *obj, api_shift *out);
/* The row of currency cur in s's report, or NULL. */
const api_shift_row *api_shift_row_for(const api_shift *s, const char *cur);

/* A day's sheet (GET /shifts?day=): every shift opened that UTC day. */
typedef struct api_shift_day {
    char day[11];
    api_shift *shifts;                /* owned array */
    size_t n;
    struct cJSON *json;               /* owned: the answer as received */
} api_shift_day;
void api_shift_day_clear(api_shift_day *d);

/* An amount per currency (a float, a counted cash). */
typedef struct api_shift_amount {
    char currency[4];
    int64_t cents;
} api_shift_amount;

/* Money as the API writes it: "-0.50", "100.00". */
void api_shift_money(int64_t cents, char out[BO_MONEY_BUF]);
/* The API's decimal text with an optional leading '-' (at most 2 decimals, at most BO_AMOUNT_MAX_CENTS):
 * 0 and *cents, or -1. */
int api_shift_money_parse(const char *s, int64_t *cents);
/* What an operator types as an amount of cash ("174.50", "50"): NULL when it is one (sets *cents), else
 * the reason ("1e9", "-5", "12.345", "abc" are refused). */
const char *api_shift_amount_check(const char *text, int64_t *cents);
/* Amounts per currency as typed (a float, a count): "100.00" (in currency cur; NULL: currency "", the caller's
 * default) or "EUR=100.00,USD=20" (then cur must be NULL). NULL when they are amounts (into v[0..*n)), else the
 * reason. */
const char *api_shift_amounts_parse(const char *text, const char *cur, api_shift_amount v[API_SHIFT_CURRENCIES_MAX],
                                    size_t *n);
/* A terminal's name: NULL when it is one (the API's rule, common/bo_valid's bo_valid_door: 1..64 characters, a
 * visible one, no control or bidi character), else the reason. */
const char *api_shift_terminal_check(const char *name);
/* A note: NULL when acceptable ("" is, when optional), else the reason (control characters, too long). */
const char *api_shift_note_check(const char *note);

/* POST /shifts {"terminal","float":{CUR:"100.00"...}} with the Idempotency-Key idem_key (NULL: a new one),
 * retried with the same key (a replay answers the same shift). 201 -> API_OK, *out the new shift. A 409
 * "you already have an open shift" is API_ERR_INVALID with the server's message and, when its "shift" can be
 * read, that shift in *out with *already set (may be NULL). res->unconfirmed: no definite answer. */
api_status api_shift_open(api_client *c, const char *terminal, const api_shift_amount *floats, size_t n,
                          const char *idem_key, api_shift *out, bool *already, api_result *res);
/* GET /shifts/current: the caller's open shift; 404 -> API_ERR_NOT_FOUND "No open shift". */
api_status api_shift_current(api_client *c, api_shift *out, api_result *res);
/* GET /shifts/{id}: the shift with its X (open) or Z (closed) report; 404 "No such shift". */
api_status api_shift_get(api_client *c, const char *id, api_shift *out, api_result *res);

typedef enum api_shift_move { API_SHIFT_DROP, API_SHIFT_PAIDOUT } api_shift_move;
/* POST /shifts/{id}/drops or /paidouts {"amount","currency","note"?}: sent once (no retry: a drop has no
 * key, and a second one would count twice); no answer is API_ERR_* with res->unconfirmed set when it may have
 * been made (GET the shift to see). 201 -> *out the shift after it. 409 (closed) / 403 with the server's text. */
api_status api_shift_move_cash(api_client *c, const char *id, api_shift_move kind, int64_t cents,
                               const char *currency, const char *note, api_shift *out, api_result *res);

/* POST /shifts/{id}/close {"counted":{CUR:"174.50"...},"note"?} with the Idempotency-Key idem_key (NULL: a
 * new one), retried with the same key: a replay answers the same Z. 200 -> *out the closed shift with its Z.
 * A 400 (a difference needs a note) is API_ERR_INVALID with the server's message, res->http_status 400. When
 * no attempt got a definite answer res->unconfirmed is set: call again with the same key. */
api_status api_shift_close(api_client *c, const char *id, const api_shift_amount *counted, size_t n,
                           const char *note, const char *idem_key, api_shift *out, api_result *res);

/* GET /shifts?day=YYYY-MM-DD (managers). day NULL: today (UTC). A day that is not YYYY-MM-DD is
 * API_ERR_INVALID before anything is sent. */
api_status api_shift_day_sheet(api_client *c, const char *day, api_shift_day *out, api_result *res);
/* GET /shifts?day=..&format=csv: the CSV text as received (*csv owned, NUL-terminated; caller frees). */
api_status api_shift_day_sheet_csv(api_client *c, const char *day, char **csv, api_result *res);

/* GET /journal?shift=ID[&cursor=C]: one page of the shift's journal as received ({"entries":[...],"cursor"}),
 * *page owned by the caller (cJSON_Delete); next gets the next page's cursor ("" = the last page). The entries are
 * kept exact (the Z hash is over their texts). A page without an "entries" array is API_ERR_PROTOCOL. */
api_status api_shift_journal_page(api_client *c, const char *shift_id, const char *cursor, struct cJSON **page,
                                  char next[API_JOURNAL_CURSOR_MAX + 1], api_result *res);

/* The request bodies, exactly (caller frees; NULL on OOM). */
char *api_shift_open_body(const char *terminal, const api_shift_amount *floats, size_t n);
char *api_shift_close_body(const api_shift_amount *counted, size_t n, const char *note);

#endif
