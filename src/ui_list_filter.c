/* The list filter; see include/ui_list_filter.h. */
#include "ui_list_filter.h"

#include <string.h>

size_t ui_list_filter(const bo_concert_list *l, const char *filter, size_t *out)
{
    size_t n = 0;
    for (size_t i = 0; i < l->n; i++)
        if (bo_concert_matches(&l->items[i], filter != NULL ? filter : ""))
            out[n++] = i;
    return n;
}

size_t ui_list_filter_find(const bo_concert_list *l, const size_t *view, size_t n, const char *id)
{
    if (id == NULL || id[0] == '\0')
        return (size_t)-1;
    for (size_t j = 0; j < n; j++)
        if (view[j] < l->n && strcmp(l->items[view[j]].id, id) == 0)
            return j;
    return (size_t)-1;
}
