#ifndef DDB_H
#define DDB_H
/* A small DynamoDB client: JSON 1.0 protocol over libcurl, signed with SigV4 by libcurl
 * (CURLOPT_AWS_SIGV4), responses as cJSON. No AWS SDK.
 *
 *   ddb_error err;
 *   ddb_client *c = ddb_client_new_from_env(&err);          // AWS_* variables, see ddb_config_from_env
 *   cJSON *resp = NULL;
 *   if (ddb_call(c, "GetItem", req, &resp, &err) == DDB_OK) { ...; cJSON_Delete(resp); }
 *   ddb_client_free(c);
 *
 * One client = one curl easy handle, kept alive across calls (connection reuse between warm
 * Lambda invocations). A client is not thread-safe: use one per thread.
 *
 * Retries (as the AWS SDKs' "standard" mode, exponential backoff with full jitter), only on throttling (ProvisionedThroughputExceededException, ThrottlingException,
 * RequestLimitExceeded), TransactionConflictException, HTTP 5xx, timeouts and transport errors, and
 * on a TransactionCanceledException whose only failure reasons are TransactionConflict /
 * ThrottlingError / ProvisionedThroughputExceeded (no condition failed: the same request may well
 * succeed). Never on ConditionalCheckFailed, ValidationException or a cancellation caused by a
 * condition. Contention (ddb_error_contention: throttling, TransactionConflictException, a cancellation
 * whose only failures are transient) is retried for as long as the deadline leaves time for another attempt
 * (DDB_CONTENTION_BASE_MS/CAP_MS backoff), never given up while a retry can still succeed; without a deadline
 * it stops after DDB_MAX_ATTEMPTS as everything else does. The rest (5xx, timeouts, transport errors) gets at
 * most DDB_MAX_ATTEMPTS attempts. TransactWriteItems requests without a ClientRequestToken get one (as the SDKs do), kept
 * for retries after an unknown outcome (5xx, timeout, transport), so that a lost answer cannot
 * apply the transaction twice, and renewed after a definite rejection (throttled, cancelled: nothing
 * written), so that the retry is really executed. An answer whose body does
 * not match its x-amz-crc32 header counts as a transport error (retried), as in the SDKs.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>

#define DDB_MAX_ATTEMPTS 3
#define DDB_BACKOFF_BASE_MS 50           /* attempt n (1-based) waits rand in [0, min(cap, base * 2^(n-1))] */
#define DDB_BACKOFF_CAP_MS 1000
#define DDB_CONTENTION_BASE_MS 25        /* contention: rand in [0, min(cap, base * 2^(n-1))] (the SDKs' 25 ms) */
#define DDB_CONTENTION_CAP_MS 500
#define DDB_DEADLINE_MARGIN_MS 150       /* calls end at least this long before the deadline */
#define DDB_MIN_ATTEMPT_MS 50            /* no attempt is started with less time than this left */
#define DDB_CONNECT_TIMEOUT_MS 3000      /* per attempt, further cut by the deadline */
#define DDB_ATTEMPT_TIMEOUT_MS 10000     /* per attempt, further cut by the deadline */
#define DDB_MAX_RESPONSE_BYTES (16u * 1024u * 1024u) /* larger answers fail with DDB_ERR_PROTOCOL */
#define DDB_MAX_REASONS 100

typedef struct ddb_client ddb_client;

typedef enum ddb_status {
    DDB_OK = 0,
    DDB_ERR_CONDITIONAL_CHECK,     /* ConditionalCheckFailedException */
    DDB_ERR_TRANSACTION_CANCELED,  /* TransactionCanceledException: see ddb_error.reasons */
    DDB_ERR_THROTTLED,             /* ProvisionedThroughputExceeded, Throttling, RequestLimitExceeded */
    DDB_ERR_TRANSACTION_CONFLICT,  /* TransactionConflictException */
    DDB_ERR_VALIDATION,            /* ValidationException, SerializationException */
    DDB_ERR_RESOURCE_NOT_FOUND,    /* ResourceNotFoundException (no such table) */
    DDB_ERR_RESOURCE_IN_USE,       /* ResourceInUseException (table exists / is being changed) */
    DDB_ERR_SERVICE,               /* HTTP 5xx (InternalServerError, ServiceUnavailable, ...) */
    DDB_ERR_TRANSPORT,             /* no HTTP answer: connect/send/receive failed */
    DDB_ERR_TIMEOUT,               /* attempt timed out, or no time left before the deadline */
    DDB_ERR_CONFIG,                /* missing/invalid AWS_* variable, bad endpoint URL */
    DDB_ERR_PROTOCOL,              /* answer not understood: not JSON, too large, 2xx that is no object */
    DDB_ERR_NOMEM,
    DDB_ERR_OTHER                  /* any other error type (access denied, bad signature, ...) */
} ddb_status;

typedef struct ddb_error {
    ddb_status status;
    long http_status;              /* 0 when no HTTP answer was received */
    char type[128];                /* "ConditionalCheckFailedException" (prefix before '#' stripped), or "" */
    char message[512];             /* message/Message of the answer, or a description; never a secret */
    size_t n_reasons;              /* TransactionCanceledException only */
    char reasons[DDB_MAX_REASONS][48]; /* CancellationReasons[i].Code, "None" when item i was fine */
} ddb_error;

/* Where and as whom to talk. Strings are copies owned by the struct: release with ddb_config_clear
 * (which also wipes the secrets). */
typedef struct ddb_config {
    char *endpoint;                /* "https://dynamodb.eu-west-1.amazonaws.com/", always ends with '/' path */
    char *region;
    char *access_key_id;
    char *secret_access_key;
    char *session_token;           /* NULL when AWS_SESSION_TOKEN is unset/empty */
} ddb_config;

/* Reads AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN (optional), AWS_REGION
 * (fallback AWS_DEFAULT_REGION), endpoint from AWS_ENDPOINT_URL_DYNAMODB, then AWS_ENDPOINT_URL,
 * else https://dynamodb.<region>.amazonaws.com/. Empty variables count as unset.
 * DDB_OK, or DDB_ERR_CONFIG/DDB_ERR_NOMEM with err filled (naming the variable, never its value
 * for secrets) and *out left zeroed. */
ddb_status ddb_config_from_env(ddb_config *out, ddb_error *err);
/* Sets cfg->endpoint (replacing and freeing any) to url, "http(s)://host[:port][/path]" with '/' added
 * when it has no path: for a program that is told its endpoint rather than reading the environment.
 * DDB_OK, or DDB_ERR_CONFIG (not such a URL) with err filled and cfg unchanged. */
ddb_status ddb_config_set_endpoint(ddb_config *cfg, const char *url, ddb_error *err);
void ddb_config_clear(ddb_config *cfg);

/* A client from a config (copied; cfg stays the caller's). NULL on failure with err filled. */
ddb_client *ddb_client_new(const ddb_config *cfg, ddb_error *err);

/* Another AWS service of the same protocol family (JSON over POST /, X-Amz-Target, SigV4), for the few calls
 * the function makes elsewhere (Cognito's admin API, backend/lambda/src/cognito_admin.c): the same transport,
 * signing, deadlines, retries and error classification (ddb_error.type is the service's __type, e.g.
 * "UsernameExistsException"; an unknown 4xx is DDB_ERR_OTHER). ddb_call's op is the service's operation. */
typedef struct ddb_service {
    const char *sigv4_name;        /* SigV4 service name: "dynamodb", "cognito-idp" */
    const char *target_prefix;     /* X-Amz-Target is this + op: "DynamoDB_20120810." */
    const char *content_type;      /* "application/x-amz-json-1.0" */
} ddb_service;
extern const ddb_service DDB_SERVICE_DYNAMODB;     /* what ddb_client_new uses */
extern const ddb_service DDB_SERVICE_COGNITO_IDP;  /* AWSCognitoIdentityProviderService., JSON 1.1 */
/* ddb_client_new for svc (cfg->endpoint must be that service's). NULL on failure with err filled. */
ddb_client *ddb_client_new_service(const ddb_config *cfg, const ddb_service *svc, ddb_error *err);
/* ddb_config_from_env + ddb_client_new. NULL on failure with err filled (never contains secrets). */
ddb_client *ddb_client_new_from_env(ddb_error *err);
void ddb_client_free(ddb_client *c);            /* NULL is fine */
/* Absolute deadline in ms since the epoch for the following calls; 0 = none. Attempts, their
 * timeouts and backoff sleeps are cut so that ddb_call returns DDB_DEADLINE_MARGIN_MS before it. */
void ddb_client_set_deadline(ddb_client *c, uint64_t deadline_ms_epoch);
/* While on, a TransactionCanceledException whose reasons hold a TransactionConflict (and no failed condition)
 * is answered to the caller at once (DDB_ERR_TRANSACTION_CANCELED, reasons filled) instead of being retried:
 * the store then moves to another counter shard or seat pool (store_txn.c). Off by default. */
void ddb_client_return_conflicts(ddb_client *c, bool on);
/* Seeds the backoff jitter (tests); clients seed themselves from getrandom otherwise. */
void ddb_client_seed(ddb_client *c, uint64_t seed);
/* Number of HTTP attempts made by the last ddb_call (1..DDB_MAX_ATTEMPTS; 0 if none was sent). */
unsigned ddb_client_last_attempts(const ddb_client *c);
/* x-amzn-RequestId of the last answer received ("" if none), for logs; owned by the client,
 * valid until the next call. */
const char *ddb_client_last_request_id(const ddb_client *c);

/* Generic call: op "PutItem"/"GetItem"/"Scan"/"TransactWriteItems"/"CreateTable"/"DescribeTable"/...;
 * request borrowed (NULL means {}); on DDB_OK *response is a new cJSON owned by the caller (free with
 * cJSON_Delete); otherwise *response is NULL and err says why. Retries inside. err may be NULL. */
ddb_status ddb_call(ddb_client *c, const char *op, const cJSON *request, cJSON **response, ddb_error *err);

/* "DDB_OK", "DDB_ERR_THROTTLED", ...; never NULL. */
const char *ddb_status_name(ddb_status s);

/* Pure parts, exposed for tests and fuzzing --------------------------------------------------- */

/* Fills *out from an HTTP error answer (status >= 300): __type (text before the last '#' and after
 * the first ':' dropped), message/Message, CancellationReasons (or, when absent, the bracketed list
 * in the message "... reasons [ConditionalCheckFailed, None]"). Any body, also NULL/empty/garbage/
 * truncated, gives a classified error: 5xx -> DDB_ERR_SERVICE, unknown 4xx -> DDB_ERR_OTHER.
 * Returns out->status. */
ddb_status ddb_parse_error(long http_status, const char *body, size_t len, ddb_error *out);

/* Maps a bare error type ("ThrottlingException") to its status; unknown types -> DDB_ERR_OTHER. */
ddb_status ddb_status_from_type(const char *type);

/* True when the failed attempt described by e may be retried (see the list at the top). */
bool ddb_error_retryable(const ddb_error *e);
/* True when e is contention: throttling, TransactionConflictException, or a cancellation whose only failures
 * are TransactionConflict / ThrottlingError / ProvisionedThroughputExceeded. */
bool ddb_error_contention(const ddb_error *e);
/* True when e is a cancellation with a TransactionConflict reason and no failed condition
 * (what ddb_client_return_conflicts hands back). */
bool ddb_error_conflict_only(const ddb_error *e);

/* Full-jitter backoff before attempt n+1 after n failed attempts (n >= 1):
 * rnd mod (min(DDB_BACKOFF_CAP_MS, DDB_BACKOFF_BASE_MS << (n-1)) + 1). */
uint64_t ddb_backoff_ms(unsigned failed_attempts, uint32_t rnd);

/* Whole retry decision after `failed_attempts` attempts ended in e, at now_ms with deadline_ms
 * (0 = none): true, with *sleep_ms set, when e is retryable, failed_attempts < DDB_MAX_ATTEMPTS (no such
 * cap for contention when there is a deadline) and an attempt of DDB_MIN_ATTEMPT_MS still ends
 * DDB_DEADLINE_MARGIN_MS before the deadline (the jittered sleep is shortened to fit when needed).
 * Contention waits ddb_contention_backoff_ms, the rest ddb_backoff_ms. Pure: the model of DynamoDB's limits
 * (bench/ddbsim) calls this very function. */
uint64_t ddb_contention_backoff_ms(unsigned failed_attempts, uint32_t rnd);
bool ddb_retry_decide(const ddb_error *e, unsigned failed_attempts, uint64_t now_ms, uint64_t deadline_ms,
                      uint32_t rnd, uint64_t *sleep_ms);

#endif
