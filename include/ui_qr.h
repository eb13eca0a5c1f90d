#ifndef UI_QR_H
#define UI_QR_H
/* A QR code as terminal text: libqrencode's module matrix drawn with Unicode half blocks, two module rows
 * per terminal row (upper half block = the upper module dark, lower half block = the lower one, full block
 * = both, space = neither), with the 4-module quiet zone all round. Pure: no curses. The glyphs stand for
 * DARK modules, so whoever draws them must give them a dark foreground on a light background (ui_screen_
 * receipt.c uses a black-on-white colour pair, or reverse video without colours). */
#include <stddef.h>

#define UI_QR_QUIET 4       /* modules of quiet zone on each side */
#define UI_QR_TEXT_MAX 128  /* bytes of text a code may carry here */

typedef struct ui_qr {
    int modules;            /* width of the symbol itself (21, 25, ...), without the quiet zone */
    int cols;               /* terminal columns: modules + 2 * UI_QR_QUIET */
    int rows;               /* terminal rows: (cols + 1) / 2 */
    char **lines;           /* rows lines of UTF-8 (cols glyphs each), owned */
} ui_qr;

/* Encodes text (exactly these bytes; error correction level M, the smallest version that holds it) and
 * lays it out. 0, or -1 (text empty or longer than UI_QR_TEXT_MAX, or OOM); *out is then empty. */
int ui_qr_render(const char *text, ui_qr *out);
void ui_qr_free(ui_qr *q);  /* wipes the lines (they show a ticket code) and frees them */

#endif
