/* libFuzzer target: the client's response parsing (src/client_model.c: bo_concert_list_from_json, the
 * decoder api_list_concerts reads GET /concerts with, and bo_concert_from_json), then sorting and filtering
 * of what was parsed, as the list screen does.
 * Whatever the server sends, the model must hold only sanitised text (valid UTF-8, no control
 * characters: safe to draw on a kiosk) and ids within BO_ID_MAX; a record it cannot read faithfully is
 * marked (problems as safe as the rest), and an unmarked one holds only faithful values. */
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bo_text.h"
#include "client_model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                                                        \
    do {                                                                                                   \
        if (!(cond)) {                                                                                     \
            fprintf(stderr, "fuzz_client_json: property failed: %s (line %d)\n", #cond, __LINE__);        \
            abort();                                                                                       \
        }                                                                                                  \
    } while (0)

static void check_text(const char *s)
{
    if (!s)
        return;
    CHECK(bo_utf8_valid(s, strlen(s)));
    CHECK(!bo_text_has_control(s));
}

static void check_concert(const bo_concert *c)
{
    CHECK(memchr(c->id, '\0', sizeof c->id) != NULL);
    check_text(c->id);
    check_text(c->name);
    check_text(c->date);
    check_text(c->venue);
    if (c->bad != NULL) { /* a marked record: its problems are as safe to draw as the rest */
        CHECK(c->bad->n >= 1 && c->bad->n <= BO_PROBLEMS_MAX);
        for (size_t i = 0; i < c->bad->n; i++)
            check_text(c->bad->problems[i]);
        CHECK(!bo_concert_sellable(c));
    } else { /* a sellable record holds only faithful values */
        CHECK(model_id_plausible(c->id));
        CHECK(c->seats_left >= 0 && c->seats_left <= 1000000);
        CHECK(c->price_cents >= 0 && c->price_cents <= 100000000);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1 << 20)
        return 0;
    cJSON *root = cJSON_ParseWithLength((const char *)data, size);
    if (!root)
        return 0;
    if (cJSON_IsArray(root)) {
        bo_concert_list l = {0};
        if (bo_concert_list_from_json(root, &l) == 0) {
            for (size_t i = 0; i < l.n; i++)
                check_concert(&l.items[i]);
            for (int s = 0; s < BO_SORT__COUNT; s++) {
                bo_concert_list_sort(&l, (bo_sort)s);
                CHECK(bo_sort_name((bo_sort)s) != NULL);
            }
            const char *filters[] = {"", "a", "\xc3\xa9", "Hall", "\xe2\x82\xac 5"};
            for (size_t i = 0; i < l.n && i < 64; i++)
                for (size_t f = 0; f < sizeof filters / sizeof filters[0]; f++)
                    (void)bo_concert_matches(&l.items[i], filters[f]);
            if (l.n > 0) {
                bo_concert copy = {0};
                if (bo_concert_copy(&copy, &l.items[0]) == 0) {
                    check_concert(&copy);
                    bo_concert_clear(&copy);
                }
                /* The first element's name (if any) as a filter over everything. */
                if (l.items[0].name)
                    for (size_t i = 0; i < l.n && i < 256; i++)
                        (void)bo_concert_matches(&l.items[i], l.items[0].name);
            }
        }
        bo_concert_list_clear(&l); /* also after a failure: whatever was taken must be released */
    } else if (cJSON_IsObject(root)) {
        bo_concert c = {0};
        if (bo_concert_from_json(root, &c) == 0)
            check_concert(&c);
        bo_concert_clear(&c);
    }
    cJSON_Delete(root);
    return 0;
}
