#ifndef TIMEFMT_H
#define TIMEFMT_H
/* The backend's former names of the shared clock (common/include/bo_clock.h), still used by store_purchase.c
 * and handler_ticket.c; new code calls bo_clock_* directly. */
#include "bo_clock.h"

#define TIMEFMT_BUF BO_CLOCK_ISO_BUF

static inline uint64_t timefmt_now_ms(void)
{
    return bo_clock_wall_ms();
}

static inline void timefmt_iso_ms(uint64_t epoch_ms, char out[TIMEFMT_BUF])
{
    bo_clock_iso_ms(epoch_ms, out);
}

#endif
