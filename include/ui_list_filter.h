#ifndef UI_LIST_FILTER_H
#define UI_LIST_FILTER_H
/* The list screen's view over the catalogue, pure (no curses): which concerts the filter shows, in the
 * catalogue's (sorted) order, and where a given concert is in that view. */
#include <stddef.h>

#include "client_model.h"

/* Writes into out (room for l->n entries) the indices of the concerts matching filter (name or venue,
 * see bo_concert_matches; "" matches all). Returns how many. O(n). */
size_t ui_list_filter(const bo_concert_list *l, const char *filter, size_t *out);

/* Position in view (n entries) of the concert with this id, or (size_t)-1. */
size_t ui_list_filter_find(const bo_concert_list *l, const size_t *view, size_t n, const char *id);

#endif
