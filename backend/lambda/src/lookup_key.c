/* The lookup indexes' keys, written into an order's items, and their cursors (see lookup_key.h). */
#include "lookup_key.h"

#include "bo_base64.h"
#include "bo_fold.h"
#include "bo_text.h"
#include "ddb_attr.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SORT_SEP '\x1f'
#define ID_MAX 128                  /* STORE_ID_MAX: ids the store can address */

static const char *const indexes[] = { "byEmail", "byName", "byHolder" };
static const char *const key_attrs[] = { "emailKey", "nameKey", "nameKey" };
static const char *const sort_attrs[] = { "emailSort", "nameSort", "nameSort" };
static const char *const bucket_tags[] = { "e#", "n#", "n#" };

char *lookup_fold(lookup_by by, const char *text)
{
    char *f = by == LOOKUP_BY_EMAIL ? bo_fold_email(text) : bo_fold_name(text);
    if (f && strlen(f) > LOOKUP_TEXT_MAX) {
        size_t n = bo_utf8_cut(f, LOOKUP_TEXT_MAX);
        f[n] = '\0';
        if (by != LOOKUP_BY_EMAIL && n > 0 && f[n - 1] == ' ')
            f[n - 1] = '\0';
    }
    return f;
}

static void bucket_of(lookup_by by, const char *folded, char out[LOOKUP_BUCKET_BUF])
{
    size_t n = bo_fold_head_len(folded, LOOKUP_MIN_CHARS);
    snprintf(out, LOOKUP_BUCKET_BUF, "%s%.*s", bucket_tags[by], (int)n, folded);
}

int lookup_query_init(lookup_query *q, lookup_by by, const char *prefix, const char *concert_id)
{
    memset(q, 0, sizeof *q);
    if ((unsigned)by > LOOKUP_BY_HOLDER || !prefix || bo_utf8_chars(prefix) < LOOKUP_MIN_CHARS)
        return -1;
    q->by = by;
    q->index = indexes[by];
    q->key_attr = key_attrs[by];
    q->sort_attr = sort_attrs[by];
    bucket_of(by, prefix, q->bucket);
    q->prefix = prefix;
    q->concert_id = concert_id && *concert_id ? concert_id : NULL;
    return 0;
}

int lookup_index_keys(lookup_by by, const char *text, const char *created_at, char **key, char **sort)
{
    *key = *sort = NULL;
    char *f = lookup_fold(by, text);
    if (!f)
        return -1;
    if (!*f) {
        free(f);
        return 1;
    }
    size_t fl = strlen(f), cl = strlen(created_at);
    *key = malloc(LOOKUP_BUCKET_BUF);
    *sort = malloc(fl + 1 + cl + 1);
    if (!*key || !*sort) {
        free(f);
        free(*key);
        free(*sort);
        *key = *sort = NULL;
        return -1;
    }
    bucket_of(by, f, *key);
    memcpy(*sort, f, fl);
    (*sort)[fl] = SORT_SEP;
    for (size_t i = 0; i < cl; i++) {
        char c = created_at[i];
        (*sort)[fl + 1 + i] = c >= '0' && c <= '9' ? (char)('9' - (c - '0')) : c;
    }
    (*sort)[fl + 1 + cl] = '\0';
    free(f);
    return 0;
}

int lookup_holder_keyed(const char *customer_name, const char *const *attendees, int n, int i)
{
    if (i < 0 || i >= n || !attendees[i])
        return 0;
    char *mine = lookup_fold(LOOKUP_BY_HOLDER, attendees[i]);
    if (!mine)
        return -1;
    int rc = *mine ? 1 : 0;
    for (int j = -1; rc == 1 && j < i; j++) {
        const char *other = j < 0 ? customer_name : attendees[j];
        if (!other)
            continue;
        char *f = lookup_fold(LOOKUP_BY_HOLDER, other);
        if (!f)
            rc = -1;
        else if (strcmp(f, mine) == 0)
            rc = 0;
        free(f);
    }
    free(mine);
    return rc;
}

/* ---- cursor ---------------------------------------------------------------------------------- */

/* FNV-1a, 64 bits, over the query and the key (fields separated by NUL). */
static uint64_t check_of(const lookup_query *q, const char *id, const char *sort)
{
    const char *parts[] = { "boxoffice-cursor-1", q->index, q->bucket, q->prefix, q->concert_id ? q->concert_id : "",
                            id, sort };
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        for (const unsigned char *p = (const unsigned char *)parts[i]; *p; p++) {
            h ^= *p;
            h *= 0x100000001b3ull;
        }
        h ^= 0xff; /* the separator */
        h *= 0x100000001b3ull;
    }
    return h;
}

static bool id_ok(const char *id)
{
    size_t n = strlen(id);
    return n > 0 && n <= ID_MAX && bo_utf8_valid(id, n) && !bo_text_has_control(id);
}

/* A sort key of q: valid UTF-8, starts with the prefix, holds the separator after the folded text. */
static bool sort_ok(const lookup_query *q, const char *sort)
{
    size_t n = strlen(sort), pl = strlen(q->prefix);
    return n > pl && n <= LOOKUP_TEXT_MAX + 64 && bo_utf8_valid(sort, n) && strncmp(sort, q->prefix, pl) == 0 &&
           strchr(sort, SORT_SEP) != NULL;
}

char *lookup_cursor_encode(const lookup_query *q, const cJSON *last_key)
{
    const char *id = ddb_attr_s(last_key, "id"), *sort = ddb_attr_s(last_key, q->sort_attr);
    const char *bucket = ddb_attr_s(last_key, q->key_attr);
    if (!id || !sort || !bucket || strcmp(bucket, q->bucket) != 0 || !id_ok(id) || !sort_ok(q, sort))
        return NULL;
    cJSON *a = cJSON_CreateArray();
    cJSON *ji = cJSON_CreateString(id), *js = cJSON_CreateString(sort);
    if (!a || !ji || !cJSON_AddItemToArray(a, ji)) {
        cJSON_Delete(ji);
        cJSON_Delete(js);
        cJSON_Delete(a);
        return NULL;
    }
    if (!js || !cJSON_AddItemToArray(a, js)) {
        cJSON_Delete(js);
        cJSON_Delete(a);
        return NULL;
    }
    char *json = cJSON_PrintUnformatted(a);
    cJSON_Delete(a);
    char *b64 = json ? bo_base64_encode(json, strlen(json)) : NULL;
    free(json);
    if (!b64)
        return NULL;
    size_t n = strlen(b64);
    while (n > 0 && b64[n - 1] == '=')
        n--;
    for (size_t i = 0; i < n; i++)
        b64[i] = b64[i] == '+' ? '-' : b64[i] == '/' ? '_' : b64[i];
    char *out = malloc(2 + n + 1 + 16 + 1);
    if (out)
        snprintf(out, 2 + n + 1 + 16 + 1, "1.%.*s.%016llx", (int)n, b64, (unsigned long long)check_of(q, id, sort));
    free(b64);
    return out;
}

int lookup_cursor_decode(const char *cursor, const lookup_query *q, cJSON **start_key)
{
    *start_key = NULL;
    size_t n = cursor ? strlen(cursor) : 0;
    if (n < 2 + 4 + 1 + 16 || n > LOOKUP_CURSOR_MAX || strncmp(cursor, "1.", 2) != 0 || cursor[n - 17] != '.')
        return -1;
    const char *b = cursor + 2, *hex = cursor + n - 16;
    size_t bl = (size_t)(hex - 1 - b);
    uint64_t check = 0;
    for (int i = 0; i < 16; i++) {
        char c = hex[i];
        int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (v < 0)
            return -1;
        check = check << 4 | (uint64_t)v;
    }
    if (bl % 4 == 1)
        return -1;
    char *std = malloc(bl + 4);
    if (!std)
        return -2;
    for (size_t i = 0; i < bl; i++) {
        char c = b[i];
        if (c == '+' || c == '/' || c == '=') { /* only the URL-safe alphabet, unpadded */
            free(std);
            return -1;
        }
        std[i] = c == '-' ? '+' : c == '_' ? '/' : c;
    }
    size_t sl = bl;
    while (sl % 4)
        std[sl++] = '=';
    size_t jl = 0;
    char *json = bo_base64_decode(std, sl, LOOKUP_CURSOR_MAX, &jl, NULL);
    free(std);
    if (!json)
        return -1;
    cJSON *a = memchr(json, '\0', jl) ? NULL : cJSON_ParseWithLength(json, jl);
    free(json);
    const cJSON *ji = cJSON_GetArrayItem(a, 0), *js = cJSON_GetArrayItem(a, 1);
    int rc = -1;
    if (!cJSON_IsArray(a) || cJSON_GetArraySize(a) != 2 || !cJSON_IsString(ji) || !cJSON_IsString(js) ||
        !id_ok(ji->valuestring) || !sort_ok(q, js->valuestring) || check_of(q, ji->valuestring, js->valuestring) != check)
        goto done;
    cJSON *k = cJSON_CreateObject();
    if (!k || !ddb_attr_add(k, "id", "S", ji->valuestring) || !ddb_attr_add(k, q->key_attr, "S", q->bucket) ||
        !ddb_attr_add(k, q->sort_attr, "S", js->valuestring)) {
        cJSON_Delete(k);
        rc = -2;
        goto done;
    }
    *start_key = k;
    rc = 0;
done:
    cJSON_Delete(a);
    return rc;
}

bool lookup_add_keys(cJSON *item, const char *name, const char *email, const char *created_at)
{
    static const lookup_by by[2] = { LOOKUP_BY_EMAIL, LOOKUP_BY_NAME };
    const char *text[2] = { email, name };
    for (int i = 0; i < 2; i++) {
        if (!text[i])
            continue;
        char *key, *sort;
        int r = lookup_index_keys(by[i], text[i], created_at, &key, &sort);
        if (r < 0)
            return false;
        bool ok = r == 1 || (ddb_attr_add(item, key_attrs[by[i]], "S", key) &&
                             ddb_attr_add(item, sort_attrs[by[i]], "S", sort));
        free(key);
        free(sort);
        if (!ok)
            return false;
    }
    return true;
}

bool lookup_add_holder_keys(cJSON *ticket_item, const char *customer_name, const char *const *attendees, int n,
                            int i, const char *created_at)
{
    int r = lookup_holder_keyed(customer_name, attendees, n, i);
    if (r <= 0)
        return r == 0;
    char *key, *sort;
    r = lookup_index_keys(LOOKUP_BY_HOLDER, attendees[i], created_at, &key, &sort);
    if (r < 0)
        return false;
    bool ok = r == 1 || (ddb_attr_add(ticket_item, key_attrs[LOOKUP_BY_HOLDER], "S", key) &&
                         ddb_attr_add(ticket_item, sort_attrs[LOOKUP_BY_HOLDER], "S", sort));
    free(key);
    free(sort);
    return ok;
}
