/* cannedapi: serves one fixed answer for GET <anything>/concerts, so that the client's start-up can be timed
 * without the backend's own time in the figure (the backend is measured by its own rows).
 *
 *   cannedapi PORT CONCERTS.json
 *
 * GET .../concerts -> 200 with the file; anything else -> 404 {"error":"Concert not found"}.
 */
#include <microhttpd.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *list_body;
static size_t list_len;

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                  const char *version, const char *upload, size_t *upload_size, void **state)
{
    (void)cls;
    (void)version;
    (void)upload;
    if (*state == NULL) { /* first call: headers only */
        *state = conn;
        return MHD_YES;
    }
    if (*upload_size != 0) { /* a body is ignored: swallow it, answer on the final call */
        *upload_size = 0;
        return MHD_YES;
    }
    size_t ul = strlen(url);
    bool list = strcmp(method, "GET") == 0 && ul >= 9 && strcmp(url + ul - 9, "/concerts") == 0;
    const char *nf = "{\"error\":\"Concert not found\"}";
    struct MHD_Response *r = list ? MHD_create_response_from_buffer(list_len, list_body, MHD_RESPMEM_PERSISTENT)
                                  : MHD_create_response_from_buffer(strlen(nf), (void *)nf, MHD_RESPMEM_PERSISTENT);
    if (!r)
        return MHD_NO;
    MHD_add_response_header(r, "Content-Type", "application/json");
    enum MHD_Result ret = MHD_queue_response(conn, list ? 200 : 404, r);
    MHD_destroy_response(r);
    return ret;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: cannedapi PORT CONCERTS.json\n");
        return 2;
    }
    FILE *f = fopen(argv[2], "rb");
    if (!f || fseek(f, 0, SEEK_END) != 0) {
        fprintf(stderr, "cannedapi: cannot read %s\n", argv[2]);
        return 2;
    }
    long n = ftell(f);
    rewind(f);
    list_body = malloc((size_t)n + 1);
    if (!list_body || fread(list_body, 1, (size_t)n, f) != (size_t)n)
        return 2;
    fclose(f);
    list_len = (size_t)n;
    struct MHD_Daemon *d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG,
                                            (uint16_t)atoi(argv[1]), NULL, NULL, on_request, NULL, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "cannedapi: cannot listen on %s\n", argv[1]);
        return 1;
    }
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGTERM);
    sigaddset(&s, SIGINT);
    sigprocmask(SIG_BLOCK, &s, NULL);
    int sig;
    sigwait(&s, &sig);
    MHD_stop_daemon(d);
    free(list_body);
    return 0;
}
