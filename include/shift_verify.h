#ifndef SHIFT_VERIFY_H
#define SHIFT_VERIFY_H
/* The Z report's hash recomputed from a shift's journal (CONTRACT18): h0 = 64 '0's; h_i = lowercase hex
 * SHA-256 of (h_{i-1} + "\n" + line_i), line_i the entry's canonical line
 *   seq|id|at|type|operator.sub|terminal|shiftId|concertId|orderId|currency|amount|count
 * (absent or null: empty; numbers in decimal), entries in seq order from shift.opened (seq 1) to shift.closed.
 * Pure: no I/O. The line and the chain are common/bo_journal_hash's, the very code the backend hashes with; this
 * module reads the entries from the journal's JSON and checks their order. */
#include <stdbool.h>
#include <stddef.h>

struct cJSON;

#define SHIFT_HASH_HEX 64

/* The canonical line of one journal entry (malloc'd, caller frees); NULL when entry is not an object with a
 * whole seq, when the line is longer than BO_JLINE_MAX, or on OOM. */
char *shift_verify_line(const struct cJSON *entry);
/* h = the next link: hex SHA-256 of (prev + "\n" + line). -1 on OOM. */
int shift_verify_link(const char prev[SHIFT_HASH_HEX + 1], const char *line, char h[SHIFT_HASH_HEX + 1]);

typedef struct shift_verify_out {
    bool ok;                        /* the chain recomputed equals the expected hash, every check passed */
    size_t entries;                 /* how many entries were read */
    long bad_seq;                   /* the first entry that differs (its seq, or its position), -1: none named */
    char bad_id[160];               /* its id (sanitised), "" when unknown */
    char why[256];                  /* what differs */
    char hash[SHIFT_HASH_HEX + 1];  /* the chain recomputed */
} shift_verify_out;

/* Recomputes the chain over entries (a JSON array, in any order: sorted by seq here) of shift shift_id and
 * compares it with expected (the Z report's hash) and expected_entries (the report's count, < 0: not said).
 * Checks first: every entry carries shiftId = shift_id and a seq, the seqs are 1..n without gaps or twins, seq 1
 * is shift.opened and seq n shift.closed. Returns 0 (out says the verdict) or -1 on OOM. */
int shift_verify_chain(const struct cJSON *entries, const char *shift_id, const char *expected, long expected_entries,
                       shift_verify_out *out);

#endif
