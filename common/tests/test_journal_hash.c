/* bo_journal_hash (common/): SHA-256 against the FIPS 180-2 examples, the canonical line's field order and
 * empty fields, and a two-entry chain against values computed independently (Python's hashlib). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "bo_journal_hash.h"

static void sha256_known(void **state)
{
    (void)state;
    char h[BO_JHASH_HEX];
    assert_int_equal(bo_sha256_hex("abc", 3, h), 0);
    assert_string_equal(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assert_int_equal(bo_sha256_hex("", 0, h), 0);
    assert_string_equal(h, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

static const bo_jfields opened = { .seq = 1, .id = "e1", .at = "2026-12-07T10:00:00.000Z", .type = "shift.opened",
                                   .operator_sub = "sub-1", .terminal = "window-2", .shift_id = "s1",
                                   .currency = "EUR", .amount = "100.00" };
static const bo_jfields sold = { .seq = 2, .id = "e2", .at = "2026-12-07T10:05:00.000Z", .type = "order.created",
                                 .operator_sub = "sub-1", .terminal = "window-2", .shift_id = "s1",
                                 .concert_id = "c1", .order_id = "o1", .currency = "EUR", .amount = "25.00",
                                 .has_count = true, .count = 2 };

static void line_fields(void **state)
{
    (void)state;
    char line[BO_JLINE_MAX];
    assert_int_equal(bo_jline(&opened, line, sizeof line), 0);
    assert_string_equal(line, "1|e1|2026-12-07T10:00:00.000Z|shift.opened|sub-1|window-2|s1|||EUR|100.00|");
    assert_int_equal(bo_jline(&sold, line, sizeof line), 0);
    assert_string_equal(line, "2|e2|2026-12-07T10:05:00.000Z|order.created|sub-1|window-2|s1|c1|o1|EUR|25.00|2");
    bo_jfields none = { 0 };
    assert_int_equal(bo_jline(&none, line, sizeof line), 0);
    assert_string_equal(line, "|||||||||||");
    char small[8];
    assert_int_equal(bo_jline(&sold, small, sizeof small), -1);
    assert_string_equal(small, "");
}

static void chain(void **state)
{
    (void)state;
    char h[BO_JHASH_HEX];
    bo_jhash_init(h);
    assert_int_equal((int)strlen(h), 64);
    assert_int_equal(strspn(h, "0"), 64);
    assert_int_equal(bo_jhash_step(h, &opened, h), 0);
    assert_string_equal(h, "1e87388ddd284a9baff21297baa0659afb1adcb28c08540e33dca7b02507ac4d");
    assert_int_equal(bo_jhash_step(h, &sold, h), 0);
    assert_string_equal(h, "d3b179050df7170d2a67cfa18168f0ff876cf9097714134c65624ab9063b3827");
    /* one field changed: another hash */
    bo_jfields other = sold;
    other.amount = "25.01";
    char a[BO_JHASH_HEX], b[BO_JHASH_HEX];
    bo_jhash_init(a);
    bo_jhash_step(a, &opened, a);
    memcpy(b, a, sizeof b);
    bo_jhash_step(a, &sold, a);
    bo_jhash_step(b, &other, b);
    assert_string_not_equal(a, b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sha256_known),
        cmocka_unit_test(line_fields),
        cmocka_unit_test(chain),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
