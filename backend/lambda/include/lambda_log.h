#ifndef LAMBDA_LOG_H
#define LAMBDA_LOG_H
/* The Lambda function's structured logs (the local gateway's own are gw_log.h): one JSON object per line, written with a single write(2) so that lines from
 * concurrent processes never interleave. Lambda forwards stdout/stderr to CloudWatch Logs.
 *
 * Invocation line (stdout), one per invocation:
 *   {"ts":"2026-11-25T08:47:18.123Z","level":"info","event":"invocation","requestId":"…",
 *    "apiRequestId":"…","handler":"createConcert","method":"POST","path":"/concerts","status":201,"durationMs":0.412,
 *    "coldStart":true,"reason":"…","storeError":"…"}
 * apiRequestId, method, path, reason (the 4xx/5xx message we answered) and storeError
 * (store_last_error) appear only when known. level is "error" for 5xx, else "info".
 * Other events (stderr): {"ts":…,"level":"error","event":"init_error","detail":"…"}
 * Strings are JSON-escaped and capped (LOG_FIELD_MAX bytes); callers never pass secrets or e-mails. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LOG_FIELD_MAX 256
#define LOG_LINE_MAX 12288 /* 7 fields x 256 bytes x 6 (\\u00XX) + fixed parts: never cut */

typedef struct log_invocation {
    const char *request_id;   /* Lambda's request id */
    const char *api_request_id; /* API Gateway's requestContext.requestId, may be NULL */
    const char *handler;      /* short name, "createConcert" */
    const char *method;       /* may be NULL */
    const char *path;         /* may be NULL */
    int status;
    double duration_ms;
    bool cold_start;
    const char *reason;       /* may be NULL */
    const char *store_error;  /* may be NULL */
} log_invocation;

/* Formats the invocation line into buf (capacity cap, always NUL-terminated, ends with '\n').
 * Returns the length written. Pure: exposed for tests. */
size_t log_format_invocation(char *buf, size_t cap, const log_invocation *li, uint64_t now_ms);
/* Formats and writes the invocation line to fd 1. */
void log_invocation_write(const log_invocation *li);

/* One line {"ts","level","event","detail"} to fd 2 (level "info"/"warn"/"error"). detail may be NULL. */
void log_event(const char *level, const char *event, const char *detail);

#endif
