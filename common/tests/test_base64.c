/* bo_base64 (common/): RFC 4648 test vectors, strict decoding (padding, alphabet, canonical last
 * character), the size limit, NUL bytes, every byte value. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bo_base64.h"

static void rfc4648_vectors_encode_and_decode(void **state)
{
    (void)state;
    const char *plain[] = { "", "f", "fo", "foo", "foob", "fooba", "foobar" };
    const char *enc[] = { "", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy" };
    for (size_t i = 0; i < 7; i++) {
        char *e = bo_base64_encode(plain[i], strlen(plain[i]));
        assert_non_null(e);
        assert_string_equal(e, enc[i]);
        size_t n = 99;
        bool big = true;
        char *d = bo_base64_decode(e, strlen(e), 100, &n, &big);
        assert_non_null(d);
        assert_int_equal(n, strlen(plain[i]));
        assert_memory_equal(d, plain[i], n + 1); /* NUL-terminated */
        assert_false(big);
        free(d);
        free(e);
    }
}

static void decoding_is_strict(void **state)
{
    (void)state;
    struct { const char *in, *out; } ok[] = {
        { "Zg", "f" }, { "Zm8", "fo" }, { "eyJhIjoxfQ==", "{\"a\":1}" }, { "+/+/", "\xfb\xff\xbf" },
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        size_t n;
        char *d = bo_base64_decode(ok[i].in, strlen(ok[i].in), 100, &n, NULL);
        if (!d)
            fail_msg("refused %s", ok[i].in);
        assert_int_equal(n, strlen(ok[i].out));
        assert_memory_equal(d, ok[i].out, n);
        free(d);
    }
    /* one character short, broken padding, outside the alphabet, white space, non-canonical last
     * character, padding in the middle, URL-safe alphabet */
    const char *bad[] = { "Z", "Zg=", "Zg===", "Z===", "Zm9v!", "Zm 9v", "Zm9v\n", "Zh==", "Zm9=", "=Zg=",
                          "Zg==Zg==", "-_-_" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        size_t n;
        bool big = true;
        char *d = bo_base64_decode(bad[i], strlen(bad[i]), 100, &n, &big);
        if (d)
            fail_msg("accepted %s", bad[i]);
        assert_false(big);
    }
}

static void decoding_reads_only_len_characters(void **state)
{
    (void)state;
    size_t n;
    char *d = bo_base64_decode("Zm9vYmFy", 4, 100, &n, NULL);
    assert_non_null(d);
    assert_int_equal(n, 3);
    assert_string_equal(d, "foo");
    free(d);
    d = bo_base64_decode(NULL, 0, 100, &n, NULL);
    assert_non_null(d);
    assert_int_equal(n, 0);
    free(d);
    assert_null(bo_base64_decode(NULL, 4, 100, &n, NULL));
}

static void size_limit_is_on_decoded_bytes(void **state)
{
    (void)state;
    size_t n;
    bool big = false;
    assert_null(bo_base64_decode("Zm9vYmFy", 8, 5, &n, &big)); /* 6 bytes > 5 */
    assert_true(big);
    char *d = bo_base64_decode("Zm9vYmFy", 8, 6, &n, &big);  /* exactly 6 */
    assert_non_null(d);
    assert_false(big);
    assert_int_equal(n, 6);
    free(d);
    assert_null(bo_base64_decode("Zm9vYmFy", 8, 5, &n, NULL)); /* too_large may be NULL */
}

static void nul_and_every_byte_come_through(void **state)
{
    (void)state;
    size_t n;
    char *d = bo_base64_decode("AGE=", 4, 10, &n, NULL); /* "\0a" */
    assert_non_null(d);
    assert_int_equal(n, 2);
    assert_int_equal(d[0], 0);
    assert_int_equal(d[1], 'a');
    free(d);
    unsigned char all[256];
    for (int i = 0; i < 256; i++)
        all[i] = (unsigned char)i;
    for (size_t len = 0; len <= sizeof all; len += 37) {
        char *e = bo_base64_encode(all, len);
        assert_non_null(e);
        assert_int_equal(strlen(e), (len + 2) / 3 * 4);
        d = bo_base64_decode(e, strlen(e), len, &n, NULL);
        assert_non_null(d);
        assert_int_equal(n, len);
        assert_memory_equal(d, all, len);
        free(d);
        free(e);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rfc4648_vectors_encode_and_decode),
        cmocka_unit_test(decoding_is_strict),
        cmocka_unit_test(decoding_reads_only_len_characters),
        cmocka_unit_test(size_limit_is_on_decoded_bytes),
        cmocka_unit_test(nul_and_every_byte_come_through),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
