/* The caller from API Gateway's authorizer claims (caller.h). */
#include "caller.h"

#include "bo_text.h"

#include <string.h>

static const struct {
    const char *name;
    unsigned bit;
} GROUPS[] = {
    {"manager", CALLER_MANAGER},
    {"cashier", CALLER_CASHIER},
    {"door", CALLER_DOOR},
    {"kiosk", CALLER_KIOSK},
};

unsigned caller_group_bit(const char *name, size_t len)
{
    for (size_t i = 0; i < sizeof GROUPS / sizeof GROUPS[0]; i++)
        if (strlen(GROUPS[i].name) == len && memcmp(GROUPS[i].name, name, len) == 0)
            return GROUPS[i].bit;
    return 0;
}

const char *caller_group_name(unsigned bit)
{
    for (size_t i = 0; i < sizeof GROUPS / sizeof GROUPS[0]; i++)
        if (GROUPS[i].bit == bit)
            return GROUPS[i].name;
    return NULL;
}

unsigned caller_groups_parse(const char *text)
{
    unsigned bits = 0;
    if (!text)
        return 0;
    const char *p = text;
    while (*p) {
        while (*p == ',' || *p == ' ' || *p == '[' || *p == ']' || *p == '"')
            p++;
        const char *start = p;
        while (*p && *p != ',' && *p != ' ' && *p != '[' && *p != ']' && *p != '"')
            p++;
        if (p > start)
            bits |= caller_group_bit(start, (size_t)(p - start));
    }
    return bits;
}

static const char *claim(const cJSON *claims, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(claims, name);
    return cJSON_IsString(v) && v->valuestring && v->valuestring[0] ? v->valuestring : NULL;
}

/* Copies src into name_buf without control characters, cut whole characters at CALLER_NAME_MAX bytes. */
static void set_name(caller *c, const char *src, size_t len)
{
    size_t n = 0, i = 0;
    while (i < len) {
        uint32_t cp;
        size_t step = bo_utf8_step(src + i, len - i, &cp);
        bool control = cp < 0x20 || (cp >= 0x7f && cp < 0xa0) || bo_utf8_bad(cp, step);
        if (!control) {
            if (n + step > CALLER_NAME_MAX)
                break;
            memcpy(c->name_buf + n, src + i, step);
            n += step;
        }
        i += step;
    }
    c->name_buf[n] = '\0';
}

void caller_from_event(const apigw_event *ev, caller *out)
{
    memset(out, 0, sizeof *out);
    strcpy(out->name_buf, "operator");
    const cJSON *rc = ev && ev->root ? cJSON_GetObjectItemCaseSensitive(ev->root, "requestContext") : NULL;
    const cJSON *auth = cJSON_IsObject(rc) ? cJSON_GetObjectItemCaseSensitive(rc, "authorizer") : NULL;
    const cJSON *claims = cJSON_IsObject(auth) ? cJSON_GetObjectItemCaseSensitive(auth, "claims") : NULL;
    if (!cJSON_IsObject(claims))
        return;
    const char *sub = claim(claims, "sub");
    if (!sub)
        return;
    out->signed_in = true;
    out->sub = sub;
    out->username = claim(claims, "cognito:username");
    if (!out->username)
        out->username = claim(claims, "username");
    out->email = claim(claims, "email");
    out->groups = caller_groups_parse(claim(claims, "cognito:groups"));
    const char *name = claim(claims, "name");
    if (!name || !name[0]) /* cognito-local's ID tokens carry custom attributes but not `name` */
        name = claim(claims, "custom:display_name");
    if (name && name[0]) {
        set_name(out, name, strlen(name));
    } else if (out->email) {
        const char *at = strchr(out->email, '@');
        size_t local = at ? (size_t)(at - out->email) : strlen(out->email);
        size_t keep = 0, chars = 0;
        while (keep < local && chars < 2) {
            uint32_t cp;
            keep += bo_utf8_step(out->email + keep, local - keep, &cp);
            chars++;
        }
        char masked[16];
        memcpy(masked, out->email, keep);
        memcpy(masked + keep, "\xe2\x80\xa6", 4);   /* "…" and the NUL */
        set_name(out, masked, strlen(masked));
    }
    if (!out->name_buf[0])
        strcpy(out->name_buf, "operator");
}
