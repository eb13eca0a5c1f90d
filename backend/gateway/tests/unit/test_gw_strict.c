/* local-gateway's request-line check (RFC 9112 request-line = method SP request-target SP HTTP-version),
 * used on a connection's first line before libmicrohttpd reads it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "gw_strict.h"

static bool line_ok(const char *s) { return gw_strict_request_line_ok(s, strlen(s)); }

static void accepts_http1_request_lines(void **state)
{
    (void)state;
    assert_true(line_ok("GET /dev/concerts HTTP/1.1"));
    assert_true(line_ok("POST /dev/tickets?x=1&y=%20 HTTP/1.0"));
    assert_true(line_ok("OPTIONS * HTTP/1.1"));
    assert_true(line_ok("PATCH http://h/dev/a HTTP/1.1"));
}

static void refuses_other_versions(void **state)
{
    (void)state;
    assert_false(line_ok("GET /dev/concerts"));            /* HTTP/0.9 */
    assert_false(line_ok("PRI * HTTP/2.0"));               /* HTTP/2 preface */
    assert_false(line_ok("GET / HTTP/1.2"));
    assert_false(line_ok("GET / http/1.1"));
    assert_false(line_ok("GET / HTTP/1.1 "));
    assert_false(line_ok(""));
}

static void refuses_bad_targets_and_methods(void **state)
{
    (void)state;
    const char nul[] = "GET /dev/a\0junk HTTP/1.1";
    assert_false(gw_strict_request_line_ok(nul, sizeof nul - 1));
    assert_false(line_ok("GET /dev/a\x01 HTTP/1.1"));
    assert_false(line_ok("GET /dev/a\x7f HTTP/1.1"));
    assert_false(line_ok("GET /dev/\xc3\xa9 HTTP/1.1"));   /* raw non-ASCII: must be %-encoded */
    assert_false(line_ok("GET /dev/a b HTTP/1.1"));
    assert_false(line_ok("GET  /dev/a HTTP/1.1"));
    assert_false(line_ok("GET /dev/a\tHTTP/1.1"));
    assert_false(line_ok("G(T /dev/a HTTP/1.1"));
    assert_false(line_ok(" GET /dev/a HTTP/1.1"));
    assert_false(line_ok("GET  HTTP/1.1"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(accepts_http1_request_lines),
        cmocka_unit_test(refuses_other_versions),
        cmocka_unit_test(refuses_bad_targets_and_methods),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
