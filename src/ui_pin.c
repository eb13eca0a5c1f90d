/* The kiosk's exit-PIN guard: see include/ui_pin.h. */
#include "ui_pin.h"

#include <math.h>
#include <stdio.h>

int ui_pin_wait(const ui_pin_guard *g, double now)
{
    if (g->until <= now)
        return 0;
    double s = ceil(g->until - now);
    return s < 1 ? 1 : (int)s;
}

bool ui_pin_locked(const ui_pin_guard *g, double now)
{
    return g->wrong >= UI_PIN_LOCK_AFTER && g->until > now;
}

void ui_pin_wrong(ui_pin_guard *g, double now)
{
    if (g->wrong < UI_PIN_LOCK_AFTER)
        g->wrong++;
    if (g->wrong >= UI_PIN_LOCK_AFTER) {
        g->until = now + UI_PIN_LOCK_SECONDS;
    } else if (g->wrong >= UI_PIN_FREE_TRIES) {
        int shift = g->wrong - UI_PIN_FREE_TRIES; /* 3rd wrong: 1 s, then 2, 4, 8, 16, 30 ... */
        double wait = shift >= 5 ? UI_PIN_WAIT_MAX : (double)(1 << shift);
        g->until = now + (wait > UI_PIN_WAIT_MAX ? UI_PIN_WAIT_MAX : wait);
    }
}

void ui_pin_right(ui_pin_guard *g)
{
    g->wrong = 0;
    g->until = 0;
}

void ui_pin_refusal(const ui_pin_guard *g, double now, char *out, unsigned long cap)
{
    int s = ui_pin_wait(g, now);
    if (cap == 0)
        return;
    if (s == 0)
        out[0] = '\0';
    else if (ui_pin_locked(g, now))
        snprintf(out, cap, "Locked \xe2\x80\x94 ask staff (%d wrong PINs; exit possible again in %dm %02ds)",
                 g->wrong, s / 60, s % 60);
    else
        snprintf(out, cap, "%d wrong PINs \xe2\x80\x94 wait %d s before the next try", g->wrong, s);
}
