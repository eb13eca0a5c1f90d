#ifndef UI_FRAME_H
#define UI_FRAME_H
/* Draws one whole frame (ui_frame.c): the header (where the box office is connected, the catalogue's
 * state), the screens of the stack (an overlay over the screen below it), the inspector panel when it is
 * on, the status line (spinner of the job in flight, or the last message) and the key bar of the top
 * screen (from the action table, for the desk or the kiosk). On a terminal too small for it, only
 * ui_term's notice. */
struct ui_app;

void ui_frame_draw(struct ui_app *app);

#endif
