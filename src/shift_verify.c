/* The Z hash chain over a shift's journal entries; see include/shift_verify.h. */
#include "shift_verify.h"

#include <cjson/cJSON.h>
#include <mbedtls/sha256.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bo_buf.h"
#include "bo_text.h"

#define LINE_MAX_BYTES (64 * 1024)

/* One field of the line: a text as it is, a whole number in decimal, null/absent/other: empty. */
static int add_field(bo_buf *b, const cJSON *v, bool first)
{
    if (!first && bo_buf_add(b, "|") != 0)
        return -1;
    if (cJSON_IsString(v))
        return bo_buf_add(b, v->valuestring);
    if (cJSON_IsNumber(v))
        return bo_buf_addf(b, "%lld", (long long)v->valuedouble);
    return 0;
}

static long seq_of(const cJSON *e)
{
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(e, "seq");
    if (!cJSON_IsNumber(s) || s->valuedouble < 1 || s->valuedouble > 1e9 || s->valuedouble != (double)(long)s->valuedouble)
        return -1;
    return (long)s->valuedouble;
}

char *shift_verify_line(const cJSON *e)
{
    static const char *const keys[] = { "seq", "id", "at", "type", NULL /* operator.sub */, "terminal", "shiftId",
                                        "concertId", "orderId", "currency", "amount", "count" };
    if (!cJSON_IsObject(e) || seq_of(e) < 0)
        return NULL;
    bo_buf b;
    bo_buf_init(&b, LINE_MAX_BYTES);
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
        const cJSON *v = keys[i] != NULL ? cJSON_GetObjectItemCaseSensitive(e, keys[i])
                                         : cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(e, "operator"), "sub");
        if (add_field(&b, v, i == 0) != 0) {
            bo_buf_free(&b);
            return NULL;
        }
    }
    return bo_buf_take(&b, NULL);
}

int shift_verify_link(const char prev[SHIFT_HASH_HEX + 1], const char *line, char h[SHIFT_HASH_HEX + 1])
{
    size_t lp = strlen(prev), ll = strlen(line);
    unsigned char *in = malloc(lp + 1 + ll), md[32];
    if (in == NULL)
        return -1;
    memcpy(in, prev, lp);
    in[lp] = '\n';
    memcpy(in + lp + 1, line, ll);
    int rc = mbedtls_sha256_ret(in, lp + 1 + ll, md, 0);
    free(in);
    if (rc != 0)
        return -1;
    for (int i = 0; i < 32; i++)
        snprintf(h + 2 * i, 3, "%02x", md[i]);
    return 0;
}

static int by_seq(const void *a, const void *b)
{
    long x = seq_of(*(const cJSON *const *)a), y = seq_of(*(const cJSON *const *)b);
    return (x > y) - (x < y);
}

static void name_entry(shift_verify_out *out, const cJSON *e, long seq, const char *fmt, const char *arg)
{
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(e, "id");
    out->bad_seq = seq;
    bo_text_sanitize(out->bad_id, sizeof out->bad_id, cJSON_IsString(id) ? id->valuestring : "");
    char raw[256];
    snprintf(raw, sizeof raw, fmt, arg != NULL ? arg : "");
    bo_text_sanitize(out->why, sizeof out->why, raw);
}

static bool type_is(const cJSON *e, const char *t)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(e, "type");
    return cJSON_IsString(v) && strcmp(v->valuestring, t) == 0;
}

int shift_verify_chain(const cJSON *entries, const char *shift_id, const char *expected, long expected_entries,
                       shift_verify_out *out)
{
    memset(out, 0, sizeof *out);
    out->bad_seq = -1;
    int n = cJSON_GetArraySize(entries);
    const cJSON **v = n > 0 ? calloc((size_t)n, sizeof *v) : NULL;
    if (n > 0 && v == NULL)
        return -1;
    const cJSON *e;
    size_t k = 0;
    cJSON_ArrayForEach(e, entries) {
        const cJSON *sid = cJSON_GetObjectItemCaseSensitive(e, "shiftId");
        if (seq_of(e) < 0) {
            name_entry(out, e, (long)k + 1, "entry %s has no seq", "");
            goto done;
        }
        if (!cJSON_IsString(sid) || strcmp(sid->valuestring, shift_id) != 0) {
            name_entry(out, e, seq_of(e), "entry of another shift%s", "");
            goto done;
        }
        v[k++] = e;
    }
    out->entries = k;
    if (k == 0) {
        snprintf(out->why, sizeof out->why, "the journal has no entry of this shift");
        goto done;
    }
    qsort(v, k, sizeof *v, by_seq);
    for (size_t i = 0; i < k; i++) {
        if (seq_of(v[i]) != (long)i + 1) {
            name_entry(out, v[i], (long)i + 1, seq_of(v[i]) < (long)i + 1 ? "seq given twice%s" : "seq missing (a gap)%s", "");
            goto done;
        }
    }
    if (!type_is(v[0], "shift.opened")) {
        name_entry(out, v[0], 1, "the first entry is not shift.opened%s", "");
        goto done;
    }
    if (!type_is(v[k - 1], "shift.closed")) {
        name_entry(out, v[k - 1], (long)k, "the last entry is not shift.closed%s", "");
        goto done;
    }
    char h[SHIFT_HASH_HEX + 1];
    memset(h, '0', SHIFT_HASH_HEX);
    h[SHIFT_HASH_HEX] = '\0';
    for (size_t i = 0; i < k; i++) {
        char *line = shift_verify_line(v[i]);
        if (line == NULL || shift_verify_link(h, line, h) != 0) {
            free(line);
            free(v);
            return -1;
        }
        free(line);
    }
    memcpy(out->hash, h, sizeof h);
    if (expected_entries >= 0 && (long)k != expected_entries) {
        snprintf(out->why, sizeof out->why, "the report counts %ld entries, the journal holds %zu", expected_entries, k);
        out->bad_seq = (long)k < expected_entries ? (long)k + 1 : expected_entries + 1;
        goto done;
    }
    if (expected == NULL || strcmp(expected, h) != 0) {
        snprintf(out->why, sizeof out->why, "the hash differs: the report says %.64s, the journal gives %s",
                 expected != NULL && expected[0] != '\0' ? expected : "(none)", h);
        goto done;
    }
    out->ok = true;
done:
    free(v);
    return 0;
}
