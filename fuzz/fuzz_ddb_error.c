/* libFuzzer target: DynamoDB error answers (backend ddb_parse_error and the retry decision on its result).
 * Input: 2 bytes of HTTP status (mapped to 300..599), then the answer body, which may be anything:
 * JSON of any shape, truncated, binary. The parsed error must be classified and hold terminated strings
 * and at most DDB_MAX_REASONS reasons; the retry decision must stay within its bounds. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ddb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                        \
    do {                                                                                                   \
        if (!(cond)) {                                                                                     \
            fprintf(stderr, "fuzz_ddb_error: property failed: %s (line %d)\n", #cond, __LINE__);          \
            abort();                                                                                       \
        }                                                                                                  \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2 || size > 1 << 20)
        return 0;
    long http = 300 + (long)(((unsigned)data[0] << 8 | data[1]) % 300);
    /* The body is handed over without a terminator, as it arrives from the network. */
    size_t len = size - 2;
    char *body = malloc(len ? len : 1);
    if (!body)
        return 0;
    memcpy(body, data + 2, len);

    ddb_error e;
    memset(&e, 0xA5, sizeof e); /* garbage in, so that unset fields show up */
    ddb_status st = ddb_parse_error(http, body, len, &e);
    CHECK(st == e.status);
    CHECK(st != DDB_OK);
    CHECK(e.http_status == http);
    CHECK(memchr(e.type, '\0', sizeof e.type) != NULL);
    CHECK(memchr(e.message, '\0', sizeof e.message) != NULL);
    CHECK(e.n_reasons <= DDB_MAX_REASONS);
    for (size_t i = 0; i < e.n_reasons; i++)
        CHECK(memchr(e.reasons[i], '\0', sizeof e.reasons[i]) != NULL);
    CHECK(ddb_status_name(st) != NULL);
    if (st == DDB_ERR_CONDITIONAL_CHECK || st == DDB_ERR_VALIDATION)
        CHECK(!ddb_error_retryable(&e));
    (void)ddb_status_from_type(e.type);

    uint32_t rnd = len >= 4 ? (uint32_t)body[0] << 24 | (uint32_t)(uint8_t)body[1] << 16 |
                                  (uint32_t)(uint8_t)body[2] << 8 | (uint8_t)body[3]
                            : 12345u;
    for (unsigned n = 1; n <= DDB_MAX_ATTEMPTS + 1; n++) {
        uint64_t b = ddb_backoff_ms(n, rnd);
        CHECK(b <= DDB_BACKOFF_CAP_MS);
        uint64_t sleep_ms = 0, now = 1000000;
        bool again = ddb_retry_decide(&e, n, now, now + 2000, rnd, &sleep_ms);
        if (again) {
            CHECK(n < DDB_MAX_ATTEMPTS || ddb_error_contention(&e)); /* contention: while time is left */
            CHECK(ddb_error_retryable(&e));
            if (ddb_error_contention(&e))
                CHECK(sleep_ms <= DDB_CONTENTION_CAP_MS);
            CHECK(now + sleep_ms + DDB_MIN_ATTEMPT_MS + DDB_DEADLINE_MARGIN_MS <= now + 2000);
        }
        again = ddb_retry_decide(&e, n, now, 0, rnd, &sleep_ms);
        if (again)
            CHECK(sleep_ms <= DDB_BACKOFF_CAP_MS && n < DDB_MAX_ATTEMPTS); /* no deadline: the cap holds */
        if (ddb_error_conflict_only(&e))
            CHECK(ddb_error_contention(&e) && e.status == DDB_ERR_TRANSACTION_CANCELED);
    }
    free(body);
    return 0;
}
