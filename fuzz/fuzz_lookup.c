/* libFuzzer target: search-key folding (common/include/bo_fold.h) and the lookup cursor
 * (backend/lambda/include/lookup_key.h). Input: "<by byte><prefix>\n<cursor>". Properties (a violation
 * aborts = a finding):
 *   - both folds yield valid UTF-8 without control characters, and are idempotent;
 *   - the index keys of any text hold its fold and the inverted time after one \x1f;
 *   - the cursor decoder survives anything; a cursor it accepts rebuilds a key of the query's own bucket
 *     whose sort key starts with the prefix, and that key encodes to a cursor that decodes to the same key;
 *   - a cursor of one query is refused by another (other prefix). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "bo_fold.h"
#include "bo_text.h"
#include "ddb_attr.h"
#include "lookup_key.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                        \
    do {                                                                                                   \
        if (!(cond)) {                                                                                     \
            fprintf(stderr, "fuzz_lookup: property failed: %s (line %d)\n", #cond, __LINE__);             \
            abort();                                                                                       \
        }                                                                                                  \
    } while (0)

static void check_fold(const char *s)
{
    for (int k = 0; k < 2; k++) {
        char *f = k ? bo_fold_email(s) : bo_fold_name(s);
        if (!f)
            continue;
        CHECK(bo_utf8_valid(f, strlen(f)));
        CHECK(!bo_text_has_control(f));
        char *g = k ? bo_fold_email(f) : bo_fold_name(f);
        if (g) {
            CHECK(strcmp(f, g) == 0);
            free(g);
        }
        free(f);
    }
}

static void check_keys(lookup_by by, const char *text)
{
    char *key, *sort;
    int r = lookup_index_keys(by, text, "2026-11-29T12:54:42.123Z", &key, &sort);
    if (r != 0) {
        CHECK(!key && !sort);
        return;
    }
    char *f = lookup_fold(by, text);
    if (f) {
        size_t fl = strlen(f);
        CHECK(strncmp(sort, f, fl) == 0 && sort[fl] == '\x1f' && strcmp(sort + fl + 1, "7973-88-70T87:45:57.876Z") == 0);
        CHECK(strncmp(key, by == LOOKUP_BY_EMAIL ? "e#" : "n#", 2) == 0 && strncmp(key + 2, f, strlen(key + 2)) == 0);
        free(f);
    }
    free(key);
    free(sort);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 8192)
        return 0;
    lookup_by by = (data[0] & 1) ? LOOKUP_BY_NAME : LOOKUP_BY_EMAIL;
    char *s = malloc(size);
    if (!s)
        return 0;
    memcpy(s, data + 1, size - 1);
    s[size - 1] = '\0';
    char *nl = strchr(s, '\n');
    const char *cursor = nl ? nl + 1 : "";
    if (nl)
        *nl = '\0';
    check_fold(s);
    check_keys(by, s);

    char *prefix = lookup_fold(by, s);
    lookup_query q;
    if (prefix && lookup_query_init(&q, by, prefix, (data[0] & 2) ? "concert-1" : NULL) == 0) {
        cJSON *start = NULL;
        int r = lookup_cursor_decode(cursor, &q, &start);
        CHECK((r == 0) == (start != NULL));
        if (r == 0) {
            CHECK(strcmp(ddb_attr_s(start, q.key_attr), q.bucket) == 0);
            const char *sort = ddb_attr_s(start, q.sort_attr);
            CHECK(sort && strncmp(sort, prefix, strlen(prefix)) == 0);
            char *again = lookup_cursor_encode(&q, start);
            if (again) {
                cJSON *back = NULL;
                CHECK(lookup_cursor_decode(again, &q, &back) == 0);
                CHECK(cJSON_Compare(back, start, 1));
                cJSON_Delete(back);
                /* the same cursor with a longer prefix is another query */
                size_t pl = strlen(prefix);
                char *longer = malloc(pl + 2);
                if (longer) {
                    memcpy(longer, prefix, pl);
                    memcpy(longer + pl, "q", 2);
                    lookup_query q2;
                    if (lookup_query_init(&q2, by, longer, q.concert_id) == 0) {
                        CHECK(lookup_cursor_decode(again, &q2, &back) != 0);
                        cJSON_Delete(back);
                    }
                    free(longer);
                }
                free(again);
            }
            cJSON_Delete(start);
        }
        /* a key made of the input encodes to a cursor that decodes back to it */
        cJSON *k = cJSON_CreateObject();
        size_t sl = strlen(prefix) + strlen(cursor) + 32;
        char *sort = malloc(sl);
        if (k && sort) {
            snprintf(sort, sl, "%s%s\x1f" "7973", prefix, cursor);
            if (ddb_attr_add(k, "id", "S", cursor[0] ? cursor : "id") && ddb_attr_add(k, q.key_attr, "S", q.bucket) &&
                ddb_attr_add(k, q.sort_attr, "S", sort)) {
                char *c = lookup_cursor_encode(&q, k);
                if (c) {
                    cJSON *back = NULL;
                    CHECK(strlen(c) <= LOOKUP_CURSOR_MAX || lookup_cursor_decode(c, &q, &back) != 0);
                    if (strlen(c) <= LOOKUP_CURSOR_MAX) {
                        CHECK(lookup_cursor_decode(c, &q, &back) == 0);
                        CHECK(cJSON_Compare(back, k, 1));
                    }
                    cJSON_Delete(back);
                    free(c);
                }
            }
        }
        free(sort);
        cJSON_Delete(k);
    }
    free(prefix);
    free(s);
    return 0;
}
