/* DynamoDB attribute values and numbers. See ddb_attr.h. */
#include "ddb_attr.h"

#include <stdlib.h>
#include <string.h>

bool ddb_attr_add(cJSON *obj, const char *name, const char *type, const char *value)
{
    cJSON *av = cJSON_CreateObject();
    if (!av)
        return false;
    if (!cJSON_AddStringToObject(av, type, value ? value : "") || !cJSON_AddItemToObject(obj, name, av)) {
        cJSON_Delete(av);
        return false;
    }
    return true;
}

const char *ddb_attr_s(const cJSON *item, const char *name)
{
    const cJSON *av = cJSON_GetObjectItemCaseSensitive(item, name);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(av, "S");
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

const char *ddb_attr_n(const cJSON *item, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(item, name), "N");
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

const cJSON *ddb_attr_l(const cJSON *item, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(item, name), "L");
    return cJSON_IsArray(v) ? v : NULL;
}

char *ddb_attr_text(const cJSON *av)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(av, "S");
    if (!cJSON_IsString(v))
        v = cJSON_GetObjectItemCaseSensitive(av, "N");
    if (cJSON_IsString(v))
        return strdup(v->valuestring);
    return cJSON_PrintUnformatted(av);
}

const char *ddb_attr_number_text(const cJSON *av, bool *is_s)
{
    *is_s = false;
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(av, "N");
    if (!cJSON_IsString(v)) {
        v = cJSON_GetObjectItemCaseSensitive(av, "S");
        *is_s = cJSON_IsString(v);
    }
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

int ddb_number_scaled(const char *text, int scale, int64_t *out, bool *neg)
{
    const char *p = text;
    bool minus = false;
    *neg = false;
    if (*p == '+' || *p == '-')
        minus = *p++ == '-';
    char digits[48];
    size_t nd = 0;
    long frac = 0;
    bool dot = false, any = false;
    for (;; p++) {
        if (*p >= '0' && *p <= '9') {
            any = true;
            if (dot)
                frac++;
            if (nd == 0 && *p == '0')
                continue; /* leading zero */
            if (nd == sizeof digits)
                return -1; /* more significant digits than DynamoDB keeps (38) */
            digits[nd++] = *p;
        } else if (*p == '.' && !dot) {
            dot = true;
        } else {
            break;
        }
    }
    if (!any)
        return -1;
    long exp = 0;
    if (*p == 'e' || *p == 'E') {
        p++;
        bool eneg = false;
        if (*p == '+' || *p == '-')
            eneg = *p++ == '-';
        if (!(*p >= '0' && *p <= '9'))
            return -1;
        for (; *p >= '0' && *p <= '9'; p++) {
            exp = exp * 10 + (*p - '0');
            if (exp > 10000)
                return -1;
        }
        if (eneg)
            exp = -exp;
    }
    if (*p != '\0')
        return -1;
    if (nd == 0) {
        *out = 0;
        return 0;
    }
    *neg = minus;
    long shift = exp - frac + scale; /* value * 10^scale = digits * 10^shift */
    long keep = (long)nd + shift;    /* digits before the scaled decimal point */
    if (keep > 18)
        return -2;
    uint64_t v = 0;
    for (long i = 0; i < keep; i++)
        v = v * 10 + (uint64_t)(i < (long)nd ? digits[i] - '0' : 0);
    for (long i = keep < 0 ? 0 : keep; i < (long)nd; i++)
        if (digits[i] != '0')
            return -3;
    *out = minus ? -(int64_t)v : (int64_t)v;
    return 0;
}
