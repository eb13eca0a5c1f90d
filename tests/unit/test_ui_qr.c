/* The receipt's QR codes: rendered into half blocks, read back into a module matrix and compared with
 * libqrencode's own matrix for the same text; the quiet zone; the 80x24 budget of a ticket code. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <qrencode.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "ui_qr.h"

/* Reads the half-block text back: each glyph is two modules (upper, lower). Returns a cols x (2*rows)
 * matrix (1 = dark), malloc'd. */
static unsigned char *decode_lines(const ui_qr *q)
{
    unsigned char *m = calloc((size_t)q->cols * (size_t)q->rows * 2, 1);
    assert_non_null(m);
    for (int r = 0; r < q->rows; r++) {
        const char *p = q->lines[r];
        for (int x = 0; x < q->cols; x++) {
            bool up, down;
            if (*p == ' ') {
                up = down = false;
                p += 1;
            } else if (strncmp(p, "\xe2\x96\x80", 3) == 0) {
                up = true, down = false;
                p += 3;
            } else if (strncmp(p, "\xe2\x96\x84", 3) == 0) {
                up = false, down = true;
                p += 3;
            } else if (strncmp(p, "\xe2\x96\x88", 3) == 0) {
                up = down = true;
                p += 3;
            } else {
                fail_msg("unexpected glyph at row %d col %d", r, x);
                return NULL;
            }
            m[(2 * r) * q->cols + x] = up;
            m[(2 * r + 1) * q->cols + x] = down;
        }
        assert_int_equal(*p, '\0'); /* exactly cols glyphs */
    }
    return m;
}

static void matches_libqrencode(const char *text)
{
    ui_qr q;
    assert_int_equal(ui_qr_render(text, &q), 0);
    QRcode *ref = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    assert_non_null(ref);
    assert_int_equal(q.modules, ref->width);
    assert_int_equal(q.cols, ref->width + 2 * UI_QR_QUIET);
    assert_int_equal(q.rows, (q.cols + 1) / 2);
    unsigned char *m = decode_lines(&q);
    for (int y = 0; y < 2 * q.rows; y++)
        for (int x = 0; x < q.cols; x++) {
            int sx = x - UI_QR_QUIET, sy = y - UI_QR_QUIET;
            bool want = sx >= 0 && sy >= 0 && sx < ref->width && sy < ref->width && (ref->data[sy * ref->width + sx] & 1);
            if (m[y * q.cols + x] != want)
                fail_msg("module (%d,%d) of \"%s\": drawn %d, libqrencode %d", x, y, text, m[y * q.cols + x], want);
        }
    free(m);
    QRcode_free(ref);
    ui_qr_free(&q);
}

static void half_blocks_decode_to_libqrencodes_matrix(void **state)
{
    (void)state;
    matches_libqrencode("ABCDE-FGHJK-MNPQR-STVWX");
    matches_libqrencode("0123456789ABCDEFGHJK");
    matches_libqrencode("x");
    matches_libqrencode("a-much-longer-code-that-needs-a-larger-version-0123456789");
}

static void a_grouped_ticket_code_fits_80x24(void **state)
{
    (void)state;
    ui_qr q;
    assert_int_equal(ui_qr_render("ABCDE-FGHJK-MNPQR-STVWX", &q), 0);
    assert_int_equal(q.modules, 25);  /* version 2 */
    assert_int_equal(q.cols, 33);
    assert_int_equal(q.rows, 17);
    ui_qr_free(&q);
}

static void the_quiet_zone_is_blank(void **state)
{
    (void)state;
    ui_qr q;
    assert_int_equal(ui_qr_render("QUIET", &q), 0);
    for (int x = 0; x < q.cols; x++) { /* top 2 rows = 4 module rows */
        assert_int_equal(q.lines[0][x], ' ');
        assert_int_equal(q.lines[1][x], ' ');
    }
    for (int r = 0; r < q.rows; r++) { /* 4 columns on the left */
        assert_memory_equal(q.lines[r], "    ", 4);
        size_t n = strlen(q.lines[r]);
        assert_memory_equal(q.lines[r] + n - 4, "    ", 4);
    }
    ui_qr_free(&q);
}

static void empty_or_oversized_text_is_refused(void **state)
{
    (void)state;
    ui_qr q;
    char big[UI_QR_TEXT_MAX + 2];
    memset(big, 'A', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_int_equal(ui_qr_render("", &q), -1);
    assert_int_equal(ui_qr_render(NULL, &q), -1);
    assert_int_equal(ui_qr_render(big, &q), -1);
    assert_null(q.lines);
    ui_qr_free(&q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(half_blocks_decode_to_libqrencodes_matrix),
        cmocka_unit_test(a_grouped_ticket_code_fits_80x24),
        cmocka_unit_test(the_quiet_zone_is_blank),
        cmocka_unit_test(empty_or_oversized_text_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
