/* bo_buf: the capped growable buffer (common/), heap and fixed, the cap, latched failures, take(). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "bo_buf.h"

static void empty_buffer_reads_as_empty_string(void **state)
{
    (void)state;
    bo_buf b;
    bo_buf_init(&b, 100);
    assert_non_null(bo_buf_ptr(&b));
    assert_string_equal(bo_buf_ptr(&b), "");
    assert_int_equal(bo_buf_len(&b), 0);
    assert_int_equal(bo_buf_error(&b), BO_BUF_OK);
    bo_buf_free(&b);

    bo_buf z; /* zero-filled: an empty heap buffer with a cap of 0 */
    memset(&z, 0, sizeof z);
    assert_int_equal(bo_buf_add(&z, ""), BO_BUF_OK);
    assert_int_equal(bo_buf_add(&z, "a"), BO_BUF_TOO_BIG);
    assert_string_equal(bo_buf_ptr(&z), "");
    bo_buf_free(&z);
}

static void adds_append_text_and_bytes(void **state)
{
    (void)state;
    bo_buf b;
    bo_buf_init(&b, 100);
    assert_int_equal(bo_buf_add(&b, "seats "), BO_BUF_OK);
    assert_int_equal(bo_buf_addf(&b, "%d of %s", 3, "ten"), BO_BUF_OK);
    assert_int_equal(bo_buf_addn(&b, "!?", 1), BO_BUF_OK);
    assert_string_equal(bo_buf_ptr(&b), "seats 3 of ten!");
    assert_int_equal(bo_buf_len(&b), 15);
    assert_int_equal(bo_buf_addn(&b, "\0x", 2), BO_BUF_OK); /* any bytes, NUL included */
    assert_int_equal(bo_buf_len(&b), 17);
    assert_memory_equal(bo_buf_ptr(&b) + 15, "\0x\0", 3);  /* and still NUL-terminated */
    bo_buf_free(&b);
}

static void growth_keeps_every_byte(void **state)
{
    (void)state;
    bo_buf b;
    bo_buf_init(&b, 1 << 20);
    for (int i = 0; i < 100000; i++)
        assert_int_equal(bo_buf_addf(&b, "%05d", i % 100000), BO_BUF_OK);
    assert_int_equal(bo_buf_len(&b), 500000);
    const char *p = bo_buf_ptr(&b);
    assert_memory_equal(p, "0000000001", 10);
    assert_memory_equal(p + 5 * 99999, "99999", 6);
    bo_buf_free(&b);
}

static void the_cap_counts_content_and_refuses_whole_pieces(void **state)
{
    (void)state;
    bo_buf b;
    bo_buf_init(&b, 10);
    assert_int_equal(bo_buf_add(&b, "123456"), BO_BUF_OK);
    assert_int_equal(bo_buf_add(&b, "78901"), BO_BUF_TOO_BIG); /* 11 > 10: nothing of it is added */
    assert_string_equal(bo_buf_ptr(&b), "123456");
    assert_int_equal(bo_buf_error(&b), BO_BUF_TOO_BIG);
    /* latched: even a piece that would fit now fails, so the content stays a prefix of whole pieces */
    assert_int_equal(bo_buf_add(&b, "7"), BO_BUF_TOO_BIG);
    assert_int_equal(bo_buf_addf(&b, "%d", 7), BO_BUF_TOO_BIG);
    assert_string_equal(bo_buf_ptr(&b), "123456");
    /* reset clears the failure; exactly the cap fits */
    bo_buf_reset(&b);
    assert_int_equal(bo_buf_error(&b), BO_BUF_OK);
    assert_int_equal(bo_buf_add(&b, "1234567890"), BO_BUF_OK);
    assert_int_equal(bo_buf_len(&b), 10);
    assert_int_equal(bo_buf_addn(&b, "", 0), BO_BUF_OK);
    assert_int_equal(bo_buf_addf(&b, "%s", "x"), BO_BUF_TOO_BIG);
    assert_string_equal(bo_buf_ptr(&b), "1234567890");
    bo_buf_free(&b);
}

static void reset_keeps_the_memory(void **state)
{
    (void)state;
    bo_buf b;
    bo_buf_init(&b, 1000);
    assert_int_equal(bo_buf_add(&b, "first answer"), BO_BUF_OK);
    const char *before = bo_buf_ptr(&b);
    bo_buf_reset(&b);
    assert_string_equal(bo_buf_ptr(&b), "");
    assert_int_equal(bo_buf_add(&b, "second"), BO_BUF_OK);
    assert_ptr_equal(bo_buf_ptr(&b), before);
    assert_string_equal(bo_buf_ptr(&b), "second");
    bo_buf_free(&b);
}

static void take_hands_the_memory_over(void **state)
{
    (void)state;
    bo_buf b;
    bo_buf_init(&b, 1000);
    assert_int_equal(bo_buf_add(&b, "owned by the caller"), BO_BUF_OK);
    const char *inside = bo_buf_ptr(&b);
    size_t len = 0;
    char *mine = bo_buf_take(&b, &len);
    assert_ptr_equal(mine, inside); /* handed over, not copied */
    assert_int_equal(len, 19);
    assert_string_equal(mine, "owned by the caller");
    /* the buffer is empty and usable again, with the same cap */
    assert_int_equal(bo_buf_len(&b), 0);
    assert_string_equal(bo_buf_ptr(&b), "");
    assert_int_equal(bo_buf_add(&b, "next"), BO_BUF_OK);
    assert_string_equal(mine, "owned by the caller"); /* untouched by the buffer's new life */
    free(mine);
    bo_buf_free(&b);

    bo_buf e;
    bo_buf_init(&e, 10);
    char *empty = bo_buf_take(&e, &len); /* an empty buffer still gives a string */
    assert_non_null(empty);
    assert_string_equal(empty, "");
    assert_int_equal(len, 0);
    free(empty);
    bo_buf_free(&e);

    bo_buf f; /* after a failure: the content that fitted, and the failure is cleared */
    bo_buf_init(&f, 3);
    assert_int_equal(bo_buf_add(&f, "ab"), BO_BUF_OK);
    assert_int_equal(bo_buf_add(&f, "cd"), BO_BUF_TOO_BIG);
    char *part = bo_buf_take(&f, NULL);
    assert_string_equal(part, "ab");
    assert_int_equal(bo_buf_error(&f), BO_BUF_OK);
    free(part);
    bo_buf_free(&f);
}

static void shrink_frees_only_a_large_allocation(void **state)
{
    (void)state;
    bo_buf b;
    bo_buf_init(&b, 1 << 20);
    assert_int_equal(bo_buf_add(&b, "small"), BO_BUF_OK);
    bo_buf_shrink(&b, 4096);
    assert_string_equal(bo_buf_ptr(&b), "small"); /* kept: far below 4096 bytes allocated */
    char big[8192];
    memset(big, 'x', sizeof big);
    assert_int_equal(bo_buf_addn(&b, big, sizeof big), BO_BUF_OK);
    bo_buf_shrink(&b, 4096);
    assert_int_equal(bo_buf_len(&b), 0);
    assert_string_equal(bo_buf_ptr(&b), "");
    assert_int_equal(bo_buf_add(&b, "again"), BO_BUF_OK);
    assert_string_equal(bo_buf_ptr(&b), "again");
    bo_buf_free(&b);
}

static void fixed_buffer_writes_into_the_callers_array(void **state)
{
    (void)state;
    char area[8];
    memset(area, '#', sizeof area);
    bo_buf b;
    bo_buf_init_fixed(&b, area, sizeof area);
    assert_int_equal(area[0], '\0');
    assert_int_equal(bo_buf_add(&b, "abc"), BO_BUF_OK);
    assert_ptr_equal(bo_buf_ptr(&b), area);
    assert_int_equal(bo_buf_addf(&b, "%s", "defg"), BO_BUF_OK); /* 7 bytes + NUL: exactly full */
    assert_string_equal(area, "abcdefg");
    assert_int_equal(bo_buf_add(&b, "h"), BO_BUF_TOO_BIG);
    assert_string_equal(area, "abcdefg");
    assert_null(bo_buf_take(&b, NULL)); /* the memory is the caller's: not handed anywhere */
    bo_buf_free(&b);                    /* only empties it */
    assert_int_equal(area[0], '\0');
    assert_int_equal(bo_buf_add(&b, "xyz"), BO_BUF_OK);
    assert_string_equal(area, "xyz");
    bo_buf_shrink(&b, 0); /* never frees the caller's array */
    assert_string_equal(bo_buf_ptr(&b), "xyz");

    char one[1] = { '#' }; /* room for the NUL only */
    bo_buf_init_fixed(&b, one, 1);
    assert_int_equal(one[0], '\0');
    assert_int_equal(bo_buf_add(&b, ""), BO_BUF_OK);
    assert_int_equal(bo_buf_add(&b, "a"), BO_BUF_TOO_BIG);
    assert_int_equal(one[0], '\0');
}

static void write_callback_counts_and_stops_at_the_cap(void **state)
{
    (void)state;
    bo_buf b;
    bo_buf_init(&b, 6);
    char chunk[] = "abcd";
    assert_int_equal(bo_buf_write_cb(chunk, 1, 4, &b), 4);
    assert_int_equal(bo_buf_write_cb(chunk, 1, 4, &b), 0); /* 8 > 6: libcurl aborts the transfer */
    assert_int_equal(bo_buf_error(&b), BO_BUF_TOO_BIG);
    assert_string_equal(bo_buf_ptr(&b), "abcd");
    bo_buf_reset(&b);
    assert_int_equal(bo_buf_write_cb(chunk, 2, 2, &b), 4);
    assert_int_equal(bo_buf_write_cb(chunk, SIZE_MAX, 2, &b), 0); /* size * nmemb overflows */
    bo_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(empty_buffer_reads_as_empty_string),
        cmocka_unit_test(adds_append_text_and_bytes),
        cmocka_unit_test(growth_keeps_every_byte),
        cmocka_unit_test(the_cap_counts_content_and_refuses_whole_pieces),
        cmocka_unit_test(reset_keeps_the_memory),
        cmocka_unit_test(take_hands_the_memory_over),
        cmocka_unit_test(shrink_frees_only_a_large_allocation),
        cmocka_unit_test(fixed_buffer_writes_into_the_callers_array),
        cmocka_unit_test(write_callback_counts_and_stops_at_the_cap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
