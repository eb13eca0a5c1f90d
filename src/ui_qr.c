/* A QR code as half-block text (see ui_qr.h). */
#include "ui_qr.h"

#include <qrencode.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define GLYPH_UPPER "\xe2\x96\x80" /* U+2580 upper half block */
#define GLYPH_LOWER "\xe2\x96\x84" /* U+2584 lower half block */
#define GLYPH_FULL "\xe2\x96\x88"  /* U+2588 full block */

void ui_qr_free(ui_qr *q)
{
    if (q == NULL)
        return;
    for (int i = 0; q->lines != NULL && i < q->rows; i++) {
        if (q->lines[i] != NULL) /* the picture of a ticket code: as secret as the code */
            memset(q->lines[i], 0, strlen(q->lines[i]));
        free(q->lines[i]);
    }
    free(q->lines);
    memset(q, 0, sizeof *q);
}

/* Module (x, y) of the symbol with its quiet zone: dark? */
static bool dark(const QRcode *c, int x, int y)
{
    x -= UI_QR_QUIET;
    y -= UI_QR_QUIET;
    if (x < 0 || y < 0 || x >= c->width || y >= c->width)
        return false;
    return (c->data[y * c->width + x] & 1) != 0;
}

int ui_qr_render(const char *text, ui_qr *out)
{
    memset(out, 0, sizeof *out);
    size_t n = text != NULL ? strlen(text) : 0;
    if (n == 0 || n > UI_QR_TEXT_MAX)
        return -1;
    QRcode *c = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (c == NULL)
        return -1;
    ui_qr q = { .modules = c->width, .cols = c->width + 2 * UI_QR_QUIET };
    q.rows = (q.cols + 1) / 2;
    q.lines = calloc((size_t)q.rows, sizeof *q.lines);
    if (q.lines == NULL)
        goto fail;
    for (int r = 0; r < q.rows; r++) {
        char *line = malloc((size_t)q.cols * 3 + 1), *p = line;
        if (line == NULL)
            goto fail;
        q.lines[r] = line;
        for (int x = 0; x < q.cols; x++) {
            bool up = dark(c, x, 2 * r), down = dark(c, x, 2 * r + 1);
            const char *g = up && down ? GLYPH_FULL : up ? GLYPH_UPPER : down ? GLYPH_LOWER : " ";
            size_t len = strlen(g);
            memcpy(p, g, len);
            p += len;
        }
        *p = '\0';
    }
    QRcode_free(c);
    *out = q;
    return 0;
fail:
    QRcode_free(c);
    ui_qr_free(&q);
    return -1;
}
