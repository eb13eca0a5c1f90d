/* The client's data model: JSON -> model (sanitised), copies, sort and filter. */
#include "model.h"

#include <cjson/cJSON.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bo_money.h"
#include "bo_text.h"

#define FIELD_MAX_BYTES 4096   /* a sanitised field is cut at this size (the backend allows 200 chars) */

void bo_concert_clear(bo_concert *c)
{
    if (c == NULL)
        return;
    free(c->name);
    free(c->date);
    free(c->venue);
    memset(c, 0, sizeof *c);
}

void bo_concert_list_clear(bo_concert_list *l)
{
    if (l == NULL)
        return;
    for (size_t i = 0; i < l->n; i++)
        bo_concert_clear(&l->items[i]);
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

void bo_ticket_clear(bo_ticket *t)
{
    if (t == NULL)
        return;
    free(t->customer_name);
    free(t->customer_email);
    memset(t, 0, sizeof *t);
}

static char *dup_or_null(const char *s)
{
    return s != NULL ? strdup(s) : NULL;
}

int bo_concert_copy(bo_concert *dst, const bo_concert *src)
{
    bo_concert tmp = *src;
    tmp.name = dup_or_null(src->name);
    tmp.date = dup_or_null(src->date);
    tmp.venue = dup_or_null(src->venue);
    if ((src->name != NULL && tmp.name == NULL) || (src->date != NULL && tmp.date == NULL)
        || (src->venue != NULL && tmp.venue == NULL)) {
        bo_concert_clear(&tmp);
        return -1;
    }
    *dst = tmp;
    return 0;
}

/* A sanitised, newly allocated copy (caller frees); NULL on OOM. */
static char *sanitized_dup(const char *s)
{
    size_t cap = strlen(s) * 3 + 1;   /* every bad byte may become U+FFFD (3 bytes) */
    if (cap > FIELD_MAX_BYTES)
        cap = FIELD_MAX_BYTES;
    char *out = malloc(cap);
    if (out == NULL)
        return NULL;
    bo_text_sanitize(out, cap, s);
    return out;
}

/* Optional string field: absent or null -> "" ; a string -> sanitised copy; anything else -> error.
 * Returns 0, -1 on wrong type or OOM. */
static int string_field(const cJSON *obj, const char *key, char **out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    const char *s = "";
    if (v != NULL && !cJSON_IsNull(v)) {
        if (!cJSON_IsString(v) || v->valuestring == NULL)
            return -1;
        s = v->valuestring;
    }
    *out = sanitized_dup(s);
    return *out != NULL ? 0 : -1;
}

/* Copies an id (string, 1..BO_ID_MAX bytes, valid UTF-8 without control characters). */
static int id_field(const cJSON *obj, const char *key, char out[BO_ID_MAX + 1])
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!cJSON_IsString(v) || v->valuestring == NULL)
        return -1;
    size_t n = strlen(v->valuestring);
    if (n == 0 || n > BO_ID_MAX || !bo_utf8_valid(v->valuestring, n) || bo_text_has_control(v->valuestring))
        return -1;
    memcpy(out, v->valuestring, n + 1);
    return 0;
}

int bo_concert_from_json(const cJSON *obj, bo_concert *out)
{
    bo_concert c;
    memset(&c, 0, sizeof c);
    if (!cJSON_IsObject(obj))
        return -1;
    if (id_field(obj, "id", c.id) != 0)
        return -1;
    if (string_field(obj, "name", &c.name) != 0 || string_field(obj, "date", &c.date) != 0
        || string_field(obj, "venue", &c.venue) != 0)
        goto fail;
    const cJSON *seats = cJSON_GetObjectItemCaseSensitive(obj, "availableTickets");
    if (!cJSON_IsNumber(seats) || !isfinite(seats->valuedouble) || seats->valuedouble < 0
        || seats->valuedouble > 9.0e15 || floor(seats->valuedouble) != seats->valuedouble)
        goto fail;
    c.seats_left = (int64_t)seats->valuedouble;
    const cJSON *price = cJSON_GetObjectItemCaseSensitive(obj, "ticketPrice");
    if (!cJSON_IsNumber(price) || bo_money_from_double(price->valuedouble, &c.price_cents) != 0)
        goto fail;
    *out = c;
    return 0;
fail:
    bo_concert_clear(&c);
    return -1;
}

int bo_concert_list_from_json(const cJSON *arr, bo_concert_list *out)
{
    bo_concert_list l = { NULL, 0 };
    if (!cJSON_IsArray(arr))
        return -1;
    int n = cJSON_GetArraySize(arr);
    if (n > 0) {
        l.items = calloc((size_t)n, sizeof *l.items);
        if (l.items == NULL)
            return -1;
    }
    const cJSON *el;
    cJSON_ArrayForEach(el, arr) {
        if (l.n >= (size_t)n || bo_concert_from_json(el, &l.items[l.n]) != 0) {
            bo_concert_list_clear(&l);
            return -1;
        }
        l.n++;
    }
    *out = l;
    return 0;
}

/* ---- sorting ---- */

const char *bo_sort_name(bo_sort s)
{
    switch (s) {
    case BO_SORT_DATE: return "date";
    case BO_SORT_NAME: return "name";
    case BO_SORT_SEATS: return "seats left";
    case BO_SORT__COUNT: break;
    }
    return "?";
}

/* Decodes one code point from s (advancing *s); invalid bytes decode as themselves (one byte). */
static uint32_t next_cp(const unsigned char **s)
{
    const unsigned char *p = *s;
    uint32_t c = p[0];
    int len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (len <= 1) {
        *s = p + 1;
        return c;
    }
    uint32_t cp = c & (0xFFu >> (len + 1));
    for (int i = 1; i < len; i++) {
        if ((p[i] & 0xC0) != 0x80) {
            *s = p + 1;
            return c;
        }
        cp = (cp << 6) | (p[i] & 0x3F);
    }
    *s = p + len;
    return cp;
}

/* Case folding for ASCII, Latin-1 and Latin Extended-A letters. */
static uint32_t fold(uint32_t c)
{
    if (c >= 'A' && c <= 'Z')
        return c + 32;
    if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
        return c + 32;
    if (c >= 0x100 && c <= 0x137 && (c & 1) == 0)
        return c + 1;
    if (c >= 0x139 && c <= 0x148 && (c & 1) == 1)
        return c + 1;
    if (c >= 0x14A && c <= 0x177 && (c & 1) == 0)
        return c + 1;
    if (c == 0x178)
        return 0xFF;
    if ((c == 0x179 || c == 0x17B || c == 0x17D))
        return c + 1;
    return c;
}

/* The base letter of a Latin-1 / Latin Extended-A letter, lower case ("É" -> 'e', "Ł" -> 'l'),
 * so that sorting by name puts "Émilie" among the e's; other code points fold as fold(). */
static uint32_t base_letter(uint32_t c)
{
    static const char latin1[] = /* U+00C0..U+00FF; '*' = not a letter */
        "aaaaaaaceeeeiiiidnooooo*ouuuuyts"
        "aaaaaaaceeeeiiiidnooooo*ouuuuyty";
    static const struct { uint16_t lo, hi; char base; } ext_a[] = {
        { 0x100, 0x105, 'a' }, { 0x106, 0x10D, 'c' }, { 0x10E, 0x111, 'd' }, { 0x112, 0x11B, 'e' },
        { 0x11C, 0x123, 'g' }, { 0x124, 0x127, 'h' }, { 0x128, 0x133, 'i' }, { 0x134, 0x135, 'j' },
        { 0x136, 0x138, 'k' }, { 0x139, 0x142, 'l' }, { 0x143, 0x14B, 'n' }, { 0x14C, 0x153, 'o' },
        { 0x154, 0x159, 'r' }, { 0x15A, 0x161, 's' }, { 0x162, 0x167, 't' }, { 0x168, 0x173, 'u' },
        { 0x174, 0x175, 'w' }, { 0x176, 0x178, 'y' }, { 0x179, 0x17E, 'z' }, { 0x17F, 0x17F, 's' },
    };
    if (c >= 0xC0 && c <= 0xFF && latin1[c - 0xC0] != '*')
        return (uint32_t)latin1[c - 0xC0];
    for (size_t i = 0; i < sizeof ext_a / sizeof ext_a[0]; i++)
        if (c >= ext_a[i].lo && c <= ext_a[i].hi)
            return (uint32_t)ext_a[i].base;
    return fold(c);
}

/* Compares two strings code point by code point through map(). */
static int mapped_cmp(const char *a, const char *b, uint32_t (*map)(uint32_t))
{
    const unsigned char *p = (const unsigned char *)(a != NULL ? a : "");
    const unsigned char *q = (const unsigned char *)(b != NULL ? b : "");
    while (*p != '\0' && *q != '\0') {
        uint32_t x = map(next_cp(&p)), y = map(next_cp(&q));
        if (x != y)
            return x < y ? -1 : 1;
    }
    if (*p != '\0' || *q != '\0')
        return *p != '\0' ? 1 : -1;
    return 0;
}

/* Name order: base letters, then case-insensitive with accents, then raw bytes. */
static int fold_cmp(const char *a, const char *b)
{
    int r = mapped_cmp(a, b, base_letter);
    if (r == 0)
        r = mapped_cmp(a, b, fold);
    if (r == 0)
        r = strcmp(a != NULL ? a : "", b != NULL ? b : "");
    return r;
}

static int str_cmp(const char *a, const char *b)
{
    return strcmp(a != NULL ? a : "", b != NULL ? b : "");
}

static int cmp_by(const bo_concert *a, const bo_concert *b, bo_sort by)
{
    int r = 0;
    switch (by) {
    case BO_SORT_NAME:
        r = fold_cmp(a->name, b->name);
        break;
    case BO_SORT_SEATS: /* most seats left first; sold out last */
        r = a->seats_left > b->seats_left ? -1 : a->seats_left < b->seats_left ? 1 : 0;
        break;
    case BO_SORT_DATE:
    case BO_SORT__COUNT:
        break;
    }
    if (r == 0)
        r = str_cmp(a->date, b->date);
    if (r == 0 && by != BO_SORT_NAME)
        r = fold_cmp(a->name, b->name);
    if (r == 0)
        r = strcmp(a->id, b->id);
    return r;
}

/* Stable merge sort; tmp has room for n items. */
static void merge_sort(bo_concert *v, bo_concert *tmp, size_t n, bo_sort by)
{
    if (n < 2)
        return;
    size_t h = n / 2;
    merge_sort(v, tmp, h, by);
    merge_sort(v + h, tmp, n - h, by);
    size_t i = 0, j = h, k = 0;
    while (i < h && j < n)
        tmp[k++] = cmp_by(&v[j], &v[i], by) < 0 ? v[j++] : v[i++];
    while (i < h)
        tmp[k++] = v[i++];
    while (j < n)
        tmp[k++] = v[j++];
    memcpy(v, tmp, n * sizeof *v);
}

void bo_concert_list_sort(bo_concert_list *l, bo_sort by)
{
    if (l == NULL || l->n < 2)
        return;
    bo_concert *tmp = malloc(l->n * sizeof *tmp);
    if (tmp != NULL) {
        merge_sort(l->items, tmp, l->n, by);
        free(tmp);
        return;
    }
    /* out of memory: stable insertion sort in place */
    for (size_t i = 1; i < l->n; i++) {
        bo_concert x = l->items[i];
        size_t j = i;
        while (j > 0 && cmp_by(&x, &l->items[j - 1], by) < 0) {
            l->items[j] = l->items[j - 1];
            j--;
        }
        l->items[j] = x;
    }
}

/* ---- filter ---- */

/* True when needle (folded code points) occurs in hay. */
static bool contains_folded(const char *hay, const char *needle)
{
    if (hay == NULL)
        return false;
    const unsigned char *h = (const unsigned char *)hay;
    while (*h != '\0') {
        const unsigned char *p = h, *q = (const unsigned char *)needle;
        bool same = true;
        while (*q != '\0') {
            if (*p == '\0' || fold(next_cp(&p)) != fold(next_cp(&q))) {
                same = false;
                break;
            }
        }
        if (same)
            return true;
        next_cp(&h);
    }
    return false;
}

bool bo_concert_matches(const bo_concert *c, const char *filter)
{
    if (filter == NULL || filter[0] == '\0')
        return true;
    return contains_folded(c->name, filter) || contains_folded(c->venue, filter);
}
