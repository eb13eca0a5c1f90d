#ifndef DDB_FAKE_H
#define DDB_FAKE_H
/* A scripted HTTP server for DynamoDB client tests (libmicrohttpd, 127.0.0.1, ephemeral port):
 * answers requests in order with the given replies (the last one repeats) and records what it got. */
#include <stddef.h>

#define DDB_FAKE_MAX_REQUESTS 16
#define DDB_FAKE_MAX_HEADERS 32

typedef struct ddb_fake_reply {
    unsigned status;        /* HTTP status */
    const char *body;       /* borrowed; must outlive the server */
    unsigned delay_ms;      /* wait before answering (interrupted by ddb_fake_stop) */
    int drop;               /* 1: close the connection without any answer */
    const char *crc32;      /* value of an x-amz-crc32 header to send, or NULL for none */
} ddb_fake_reply;

typedef struct ddb_fake_request {
    char method[16];
    char path[256];
    size_t n_headers;
    char names[DDB_FAKE_MAX_HEADERS][64];     /* as received */
    char values[DDB_FAKE_MAX_HEADERS][2048];
    char *body;                               /* owned by the server, NUL-terminated */
    size_t body_len;
    unsigned client_port;                     /* the client's source port: same port = same connection */
} ddb_fake_request;

typedef struct ddb_fake ddb_fake;

/* Starts the server; NULL on failure. replies is borrowed (copied array, bodies borrowed). */
ddb_fake *ddb_fake_start(const ddb_fake_reply *replies, size_t n);
/* "http://127.0.0.1:PORT" */
const char *ddb_fake_url(const ddb_fake *f);
/* Points the client's environment at the fake: test credentials without a session token,
 * region us-east-1, AWS_ENDPOINT_URL_DYNAMODB = the fake's URL. */
void ddb_fake_use_env(const ddb_fake *f);
/* The same environment with AWS_ENDPOINT_URL_DYNAMODB = url (e.g. a port where nothing listens). */
void ddb_fake_use_env_url(const char *url);
/* Requests received so far (complete ones). */
size_t ddb_fake_count(ddb_fake *f);
/* The i-th request; valid until ddb_fake_stop. */
const ddb_fake_request *ddb_fake_request_at(ddb_fake *f, size_t i);
/* Value of header name (case-insensitive) in r, or NULL. */
const char *ddb_fake_header(const ddb_fake_request *r, const char *name);
void ddb_fake_stop(ddb_fake *f);

#endif
