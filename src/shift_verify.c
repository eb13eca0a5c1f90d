/* The Z hash chain over a shift's journal entries; see include/shift_verify.h. */
#include "shift_verify.h"

#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bo_journal_hash.h"
#include "bo_text.h"


static long seq_of(const cJSON *e)
{
    const cJSON *s = cJSON_GetObjectItemCaseSensitive(e, "seq");
    if (!cJSON_IsNumber(s) || s->valuedouble < 1 || s->valuedouble > 1e9 || s->valuedouble != (double)(long)s->valuedouble)
        return -1;
    return (long)s->valuedouble;
}

/* A text member as it is; NULL (empty in the line) when absent, null or not a text. */
static const char *text_of(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* The entry's fields, borrowed from e, for common/bo_journal_hash; -1 when e has no seq. */
static int fields_of(const cJSON *e, bo_jfields *f)
{
    const cJSON *count = cJSON_GetObjectItemCaseSensitive(e, "count");
    memset(f, 0, sizeof *f);
    if (!cJSON_IsObject(e) || (f->seq = seq_of(e)) < 1)
        return -1;
    f->id = text_of(e, "id");
    f->at = text_of(e, "at");
    f->type = text_of(e, "type");
    f->operator_sub = text_of(cJSON_GetObjectItemCaseSensitive(e, "operator"), "sub");
    f->terminal = text_of(e, "terminal");
    f->shift_id = text_of(e, "shiftId");
    f->concert_id = text_of(e, "concertId");
    f->order_id = text_of(e, "orderId");
    f->currency = text_of(e, "currency");
    f->amount = text_of(e, "amount");
    if (cJSON_IsNumber(count)) {
        f->has_count = true;
        f->count = (long long)count->valuedouble;
    }
    return 0;
}

char *shift_verify_line(const cJSON *e)
{
    bo_jfields f;
    char line[BO_JLINE_MAX];
    if (fields_of(e, &f) != 0 || bo_jline(&f, line, sizeof line) != 0)
        return NULL;
    return strdup(line);
}

int shift_verify_link(const char prev[SHIFT_HASH_HEX + 1], const char *line, char h[SHIFT_HASH_HEX + 1])
{
    size_t lp = strlen(prev), ll = strlen(line);
    char *in = malloc(lp + 1 + ll);
    if (in == NULL)
        return -1;
    memcpy(in, prev, lp);
    in[lp] = '\n';
    memcpy(in + lp + 1, line, ll);
    int rc = bo_sha256_hex(in, lp + 1 + ll, h);
    free(in);
    return rc;
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
    char h[BO_JHASH_HEX];
    bo_jhash_init(h);
    for (size_t i = 0; i < k; i++) {
        bo_jfields f;
        if (fields_of(v[i], &f) != 0 || bo_jhash_step(h, &f, h) != 0) {
            name_entry(out, v[i], (long)i + 1, "entry cannot be hashed (a field too long)%s", "");
            goto done;
        }
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
