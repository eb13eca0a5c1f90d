#ifndef HTTP_STUB_H
#define HTTP_STUB_H
/* A small HTTP/1.1 server for tests: listens on 127.0.0.1 (ephemeral port) in a thread and answers
 * each request with the next scripted reply (FIFO), one connection at a time, "Connection: close".
 * It records every request (method, path, headers, body) for the test to inspect. */
#include <stdbool.h>
#include <stddef.h>

typedef enum stub_action {
    STUB_REPLY = 0,          /* send status + body */
    STUB_HANG,               /* read the request, never answer (until the client gives up or stub_stop) */
    STUB_CLOSE               /* read the request, close the connection without an answer */
} stub_action;

typedef struct stub_reply {
    stub_action action;
    int status;
    const char *content_type;    /* NULL: application/json */
    const char *body;            /* copied by stub_push_reply; NULL: empty */
    size_t body_len;             /* 0: strlen(body) */
    bool no_length;              /* no Content-Length: the body ends when the connection closes */
} stub_reply;

typedef struct stub_request {
    char method[16];
    char path[1024];
    char *headers;               /* raw header block, owned by the stub */
    char *body;                  /* owned by the stub, NUL-terminated */
} stub_request;

typedef struct http_stub http_stub;

http_stub *stub_start(void);                      /* NULL on failure */
void stub_stop(http_stub *s);                     /* joins the thread, frees everything */
const char *stub_base_url(const http_stub *s);    /* "http://127.0.0.1:<port>/dev" */
int stub_port(const http_stub *s);

void stub_push(http_stub *s, int status, const char *body);
void stub_push_reply(http_stub *s, const stub_reply *r);

size_t stub_request_count(http_stub *s);
/* The i-th recorded request (borrowed until stub_stop), NULL when absent. */
const stub_request *stub_request_at(http_stub *s, size_t i);
/* Value of a header of a recorded request, copied into out (cap bytes); false when absent. */
bool stub_header(const stub_request *r, const char *name, char *out, size_t cap);

/* A port on 127.0.0.1 where nothing listens (bound then closed). */
int stub_closed_port(void);

#endif
