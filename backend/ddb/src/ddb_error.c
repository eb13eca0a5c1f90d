/* DynamoDB error answers and the retry policy: pure functions, no I/O (see ddb.h). */
#include "ddb.h"

#include "bo_backoff.h"

#include <stdio.h>
#include <string.h>

static const char *const status_names[] = {
    [DDB_OK] = "DDB_OK",
    [DDB_ERR_CONDITIONAL_CHECK] = "DDB_ERR_CONDITIONAL_CHECK",
    [DDB_ERR_TRANSACTION_CANCELED] = "DDB_ERR_TRANSACTION_CANCELED",
    [DDB_ERR_THROTTLED] = "DDB_ERR_THROTTLED",
    [DDB_ERR_TRANSACTION_CONFLICT] = "DDB_ERR_TRANSACTION_CONFLICT",
    [DDB_ERR_VALIDATION] = "DDB_ERR_VALIDATION",
    [DDB_ERR_RESOURCE_NOT_FOUND] = "DDB_ERR_RESOURCE_NOT_FOUND",
    [DDB_ERR_RESOURCE_IN_USE] = "DDB_ERR_RESOURCE_IN_USE",
    [DDB_ERR_SERVICE] = "DDB_ERR_SERVICE",
    [DDB_ERR_TRANSPORT] = "DDB_ERR_TRANSPORT",
    [DDB_ERR_TIMEOUT] = "DDB_ERR_TIMEOUT",
    [DDB_ERR_CONFIG] = "DDB_ERR_CONFIG",
    [DDB_ERR_PROTOCOL] = "DDB_ERR_PROTOCOL",
    [DDB_ERR_NOMEM] = "DDB_ERR_NOMEM",
    [DDB_ERR_OTHER] = "DDB_ERR_OTHER",
};

const char *ddb_status_name(ddb_status s)
{
    if ((unsigned)s < sizeof status_names / sizeof status_names[0] && status_names[s])
        return status_names[s];
    return "DDB_ERR_UNKNOWN";
}

static const struct {
    const char *type;
    ddb_status status;
} type_map[] = {
    {"ConditionalCheckFailedException", DDB_ERR_CONDITIONAL_CHECK},
    {"TransactionCanceledException", DDB_ERR_TRANSACTION_CANCELED},
    {"ProvisionedThroughputExceededException", DDB_ERR_THROTTLED},
    {"ThrottlingException", DDB_ERR_THROTTLED},
    {"RequestLimitExceeded", DDB_ERR_THROTTLED},
    {"TransactionConflictException", DDB_ERR_TRANSACTION_CONFLICT},
    {"ValidationException", DDB_ERR_VALIDATION},
    {"SerializationException", DDB_ERR_VALIDATION},
    {"ResourceNotFoundException", DDB_ERR_RESOURCE_NOT_FOUND},
    {"ResourceInUseException", DDB_ERR_RESOURCE_IN_USE},
    {"InternalServerError", DDB_ERR_SERVICE},
    {"InternalFailure", DDB_ERR_SERVICE},
    {"ServiceUnavailable", DDB_ERR_SERVICE},
    {"ServiceUnavailableException", DDB_ERR_SERVICE},
};

ddb_status ddb_status_from_type(const char *type)
{
    if (!type)
        return DDB_ERR_OTHER;
    for (size_t i = 0; i < sizeof type_map / sizeof type_map[0]; i++)
        if (strcmp(type, type_map[i].type) == 0)
            return type_map[i].status;
    return DDB_ERR_OTHER;
}

/* Copies at most n bytes of src (not NUL-terminated) into dst[size], replacing control bytes so
 * that the text is safe in a log line. */
static void copy_text(char *dst, size_t size, const char *src, size_t n)
{
    size_t j = 0;
    for (size_t i = 0; i < n && src[i] && j + 1 < size; i++) {
        unsigned char ch = (unsigned char)src[i];
        dst[j++] = (ch < 0x20 || ch == 0x7f) ? ' ' : (char)ch;
    }
    dst[j] = '\0';
}

/* "com.amazonaws.dynamodb.v20120810#ThrottlingException" -> "ThrottlingException";
 * "SerializationException:http://internal..." -> "SerializationException". */
static void set_type(ddb_error *out, const char *raw)
{
    const char *hash = strrchr(raw, '#');
    const char *start = hash ? hash + 1 : raw;
    size_t n = strcspn(start, ":");
    copy_text(out->type, sizeof out->type, start, n);
}

static void add_reason(ddb_error *out, const char *code, size_t n)
{
    if (out->n_reasons >= DDB_MAX_REASONS)
        return;
    /* trim blanks */
    while (n > 0 && (*code == ' ' || *code == '\t')) {
        code++;
        n--;
    }
    while (n > 0 && (code[n - 1] == ' ' || code[n - 1] == '\t'))
        n--;
    copy_text(out->reasons[out->n_reasons], sizeof out->reasons[0], code, n);
    out->n_reasons++;
}

/* "Transaction cancelled, please refer cancellation reasons for specific reasons [A, None]" */
static void reasons_from_message(ddb_error *out, const char *msg)
{
    const char *open = strrchr(msg, '[');
    if (!open)
        return;
    const char *close = strchr(open, ']');
    if (!close)
        return;
    const char *p = open + 1;
    while (p < close) {
        const char *comma = memchr(p, ',', (size_t)(close - p));
        const char *end = comma ? comma : close;
        add_reason(out, p, (size_t)(end - p));
        p = end + 1;
    }
}

static void default_message(ddb_error *out, long http_status)
{
    if (out->message[0])
        return;
    if (out->type[0])
        snprintf(out->message, sizeof out->message, "%s (HTTP %ld)", out->type, http_status);
    else
        snprintf(out->message, sizeof out->message, "HTTP %ld without a DynamoDB error type", http_status);
}

ddb_status ddb_parse_error(long http_status, const char *body, size_t len, ddb_error *out)
{
    memset(out, 0, sizeof *out);
    out->http_status = http_status;
    cJSON *root = (body && len > 0) ? cJSON_ParseWithLength(body, len) : NULL;
    if (cJSON_IsObject(root)) {
        const cJSON *type = cJSON_GetObjectItemCaseSensitive(root, "__type");
        if (cJSON_IsString(type) && type->valuestring)
            set_type(out, type->valuestring);
        const cJSON *msg = cJSON_GetObjectItemCaseSensitive(root, "message");
        if (!cJSON_IsString(msg))
            msg = cJSON_GetObjectItemCaseSensitive(root, "Message");
        if (cJSON_IsString(msg) && msg->valuestring)
            copy_text(out->message, sizeof out->message, msg->valuestring, strlen(msg->valuestring));
        const cJSON *reasons = cJSON_GetObjectItemCaseSensitive(root, "CancellationReasons");
        if (cJSON_IsArray(reasons)) {
            const cJSON *r;
            cJSON_ArrayForEach(r, reasons) {
                const cJSON *code = cJSON_GetObjectItemCaseSensitive(r, "Code");
                if (cJSON_IsString(code) && code->valuestring)
                    add_reason(out, code->valuestring, strlen(code->valuestring));
                else
                    add_reason(out, "None", 4);
            }
        }
    }
    cJSON_Delete(root);

    out->status = ddb_status_from_type(out->type);
    if (out->status == DDB_ERR_OTHER && http_status >= 500)
        out->status = DDB_ERR_SERVICE;
    if (out->status == DDB_ERR_TRANSACTION_CANCELED && out->n_reasons == 0)
        reasons_from_message(out, out->message);
    if (out->status != DDB_ERR_TRANSACTION_CANCELED)
        out->n_reasons = 0;
    default_message(out, http_status);
    return out->status;
}

static bool reason_is_transient(const char *code)
{
    return strcmp(code, "TransactionConflict") == 0 || strcmp(code, "ThrottlingError") == 0 ||
           strcmp(code, "ProvisionedThroughputExceeded") == 0;
}

bool ddb_error_retryable(const ddb_error *e)
{
    switch (e->status) {
    case DDB_ERR_THROTTLED:
    case DDB_ERR_TRANSACTION_CONFLICT:
    case DDB_ERR_SERVICE:
    case DDB_ERR_TRANSPORT:
    case DDB_ERR_TIMEOUT:
        return true;
    case DDB_ERR_TRANSACTION_CANCELED: {
        /* Only when nothing but contention cancelled it: every reason is None or transient. */
        bool transient = false;
        for (size_t i = 0; i < e->n_reasons; i++) {
            if (strcmp(e->reasons[i], "None") == 0)
                continue;
            if (!reason_is_transient(e->reasons[i]))
                return false;
            transient = true;
        }
        return transient;
    }
    default:
        return false;
    }
}

bool ddb_error_contention(const ddb_error *e)
{
    if (e->status == DDB_ERR_THROTTLED || e->status == DDB_ERR_TRANSACTION_CONFLICT)
        return true;
    return e->status == DDB_ERR_TRANSACTION_CANCELED && ddb_error_retryable(e);
}

bool ddb_error_conflict_only(const ddb_error *e)
{
    if (e->status != DDB_ERR_TRANSACTION_CANCELED || !ddb_error_retryable(e))
        return false;
    for (size_t i = 0; i < e->n_reasons; i++)
        if (strcmp(e->reasons[i], "TransactionConflict") == 0)
            return true;
    return false;
}

uint64_t ddb_contention_backoff_ms(unsigned failed_attempts, uint32_t rnd)
{
    return bo_backoff_full_jitter(failed_attempts ? failed_attempts : 1, DDB_CONTENTION_BASE_MS,
                                  DDB_CONTENTION_CAP_MS, rnd);
}

uint64_t ddb_backoff_ms(unsigned failed_attempts, uint32_t rnd)
{
    return bo_backoff_full_jitter(failed_attempts ? failed_attempts : 1, DDB_BACKOFF_BASE_MS, DDB_BACKOFF_CAP_MS, rnd);
}

bool ddb_retry_decide(const ddb_error *e, unsigned failed_attempts, uint64_t now_ms, uint64_t deadline_ms,
                      uint32_t rnd, uint64_t *sleep_ms)
{
    *sleep_ms = 0;
    if (!ddb_error_retryable(e))
        return false;
    bool contention = ddb_error_contention(e);
    /* Contention is retried for as long as the deadline allows: the same request may well succeed. */
    if (failed_attempts >= DDB_MAX_ATTEMPTS && !(contention && deadline_ms))
        return false;
    uint64_t wait = contention ? ddb_contention_backoff_ms(failed_attempts, rnd)
                               : ddb_backoff_ms(failed_attempts ? failed_attempts : 1, rnd);
    if (deadline_ms) {
        uint64_t need = now_ms + wait + DDB_MIN_ATTEMPT_MS + DDB_DEADLINE_MARGIN_MS;
        if (need > deadline_ms) {
            /* A shorter sleep may still fit: jitter is a ceiling, not a must. */
            if (now_ms + DDB_MIN_ATTEMPT_MS + DDB_DEADLINE_MARGIN_MS > deadline_ms)
                return false;
            wait = deadline_ms - now_ms - DDB_MIN_ATTEMPT_MS - DDB_DEADLINE_MARGIN_MS;
        }
    }
    *sleep_ms = wait;
    return true;
}
