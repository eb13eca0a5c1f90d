/* Operators (managers only): list, add, disable/enable, change role; see include/api_operators.h. The
 * transport is api.c's (api_internal.h). */
#include "api_operators.h"
#include "api_internal.h"

#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bo_text.h"
#include "bo_valid.h"

static const char *const groups[] = { "manager", "cashier", "door", "kiosk" };

bool api_operator_group_valid(const char *group)
{
    for (size_t i = 0; group != NULL && i < sizeof groups / sizeof groups[0]; i++)
        if (strcmp(group, groups[i]) == 0)
            return true;
    return false;
}

void bo_operator_clear(bo_operator *o)
{
    if (o == NULL)
        return;
    model_json_wipe_delete(o->json);
    memset(o, 0, sizeof *o);
}

void api_operator_list_clear(api_operator_list *l)
{
    if (l == NULL)
        return;
    for (size_t i = 0; i < l->n; i++)
        bo_operator_clear(&l->ops[i]);
    free(l->ops);
    memset(l, 0, sizeof *l);
}

void bo_operator_mask(const char *username, char *out, size_t cap)
{
    char clean[API_OP_TEXT_MAX];
    bo_text_sanitize(clean, sizeof clean, username != NULL ? username : "");
    const char *at = strchr(clean, '@');
    size_t local = at != NULL ? (size_t)(at - clean) : strlen(clean);
    size_t chars = 0, i = 0;
    uint32_t cp;
    while (i < local && chars < 2) { /* the first two characters, not bytes */
        size_t n = bo_utf8_step(clean + i, local - i, &cp);
        if (n == 0)
            break;
        i += n;
        chars++;
    }
    snprintf(out, cap, "%.*s\xe2\x80\xa6%s", (int)i, clean, at != NULL ? at : "");
    memset(clean, 0, sizeof clean);
}

/* A text member into dst (sanitised); required: false when absent, not a text, empty or too long. */
static bool text_member(const cJSON *obj, const char *key, char *dst, size_t cap, bool required)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (v == NULL || cJSON_IsNull(v))
        return !required;
    if (!cJSON_IsString(v) || (required && v->valuestring[0] == '\0') || strlen(v->valuestring) >= cap)
        return false;
    bo_text_sanitize(dst, cap, v->valuestring);
    return true;
}

int bo_operator_from_json(const cJSON *obj, bo_operator *out)
{
    memset(out, 0, sizeof *out);
    const cJSON *en = cJSON_GetObjectItemCaseSensitive(obj, "enabled");
    if (!cJSON_IsObject(obj) || !text_member(obj, "sub", out->sub, sizeof out->sub, true)
        || !text_member(obj, "username", out->username, sizeof out->username, true)
        || !text_member(obj, "name", out->name, sizeof out->name, false)
        || !text_member(obj, "group", out->group, sizeof out->group, false) /* null: in no group */
        || !text_member(obj, "status", out->status, sizeof out->status, false)
        || (en != NULL && !cJSON_IsBool(en)) || !model_id_plausible(out->sub))
        goto fail;
    out->enabled = en == NULL || cJSON_IsTrue(en);
    if ((out->json = cJSON_Duplicate(obj, true)) == NULL)
        goto fail;
    return 0;
fail:
    bo_operator_clear(out);
    return -1;
}

void api_refusal_message(api_status st, const cJSON *err_json, api_result *res)
{
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(err_json, "error");
    if (!cJSON_IsString(e) || e->valuestring[0] == '\0')
        e = cJSON_GetObjectItemCaseSensitive(err_json, "message");
    if (res != NULL && st != API_OK && cJSON_IsString(e) && e->valuestring[0] != '\0')
        api_set_result(res, st, res->http_status, "%s", e->valuestring);
}

/* One request whose 2xx answer is an operator object (or, with list, {"operators":[...]}). */
static api_status exchange(api_client *c, const char *method, const char *url, const char *body, bo_operator *one,
                           api_operator_list *list, api_result *res)
{
    cJSON *j = NULL, *err = NULL;
    api_status st = api_request_full(c, method, url, body, NULL, false, &j, &err, res);
    if (st != API_OK) {
        api_refusal_message(st, err, res);
        cJSON_Delete(err);
        return st;
    }
    long http = res != NULL ? res->http_status : 200;
    if (one != NULL) {
        if (bo_operator_from_json(j, one) != 0)
            st = api_set_result(res, API_ERR_PROTOCOL, http, "Malformed answer: an operator the client cannot read");
    } else {
        const cJSON *arr = cJSON_GetObjectItemCaseSensitive(j, "operators"), *o;
        int n = cJSON_GetArraySize(arr);
        if (!cJSON_IsArray(arr) || n > API_OPERATORS_MAX) {
            st = api_set_result(res, API_ERR_PROTOCOL, http, "Malformed answer: no list of operators");
        } else if (n > 0 && (list->ops = calloc((size_t)n, sizeof *list->ops)) == NULL) {
            st = api_set_result(res, API_ERR_NOMEM, 0, NULL);
        } else {
            cJSON_ArrayForEach(o, arr) {
                if (bo_operator_from_json(o, &list->ops[list->n]) != 0) {
                    api_operator_list_clear(list);
                    st = api_set_result(res, API_ERR_PROTOCOL, http,
                                        "Malformed answer: an operator the client cannot read");
                    break;
                }
                list->n++;
            }
        }
    }
    model_json_wipe_delete(j); /* e-mails */
    return st;
}

api_status api_operators_list(api_client *c, api_operator_list *out, api_result *res)
{
    char url[API_URL_MAX];
    memset(out, 0, sizeof *out);
    if (!api_build_url(c, "/operators", NULL, url))
        return api_set_result(res, API_ERR_NOMEM, 0, NULL);
    return exchange(c, "GET", url, NULL, NULL, out, res);
}

const char *api_operator_input_check(const api_operator_input *in)
{
    if (in->username == NULL || in->username[0] == '\0')
        return "username: an e-mail address is required";
    if (bo_valid_email(in->username) != NULL)
        return "username: not an e-mail address";
    if (in->name == NULL || !bo_text_has_visible(in->name))
        return "name: a display name is required";
    if (strlen(in->name) > 64 || bo_text_has_control(in->name) || bo_text_has_bidi_control(in->name)
        || !bo_utf8_valid(in->name, strlen(in->name)))
        return "name: 1 to 64 bytes, no control characters";
    if (!api_operator_group_valid(in->group))
        return "group: one of " API_OPERATOR_GROUPS_TEXT;
    const char *p = in->temporary_password;
    if (p == NULL || p[0] == '\0')
        return "temporaryPassword: a temporary password is required (changed at the first sign-in)";
    size_t n = strlen(p);
    if (n < 8 || n > 256)
        return "temporaryPassword: 8 to 256 characters";
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)p[i] < 0x20 || (unsigned char)p[i] == 0x7f)
            return "temporaryPassword: no control characters";
    return NULL;
}

api_status api_operator_add(api_client *c, const api_operator_input *in, bo_operator *out, api_result *res)
{
    char url[API_URL_MAX];
    memset(out, 0, sizeof *out);
    const char *bad = api_operator_input_check(in);
    if (bad != NULL)
        return api_set_result(res, API_ERR_INVALID, 0, "%s", bad);
    if (!api_build_url(c, "/operators", NULL, url))
        return api_set_result(res, API_ERR_NOMEM, 0, NULL);
    cJSON *b = cJSON_CreateObject();
    if (b == NULL || cJSON_AddStringToObject(b, "username", in->username) == NULL
        || cJSON_AddStringToObject(b, "name", in->name) == NULL || cJSON_AddStringToObject(b, "group", in->group) == NULL
        || cJSON_AddStringToObject(b, "temporaryPassword", in->temporary_password) == NULL) {
        model_json_wipe_delete(b);
        return api_set_result(res, API_ERR_NOMEM, 0, NULL);
    }
    char *body = cJSON_PrintUnformatted(b);
    model_json_wipe_delete(b);
    if (body == NULL)
        return api_set_result(res, API_ERR_NOMEM, 0, NULL);
    api_status st = exchange(c, "POST", url, body, out, NULL, res);
    memset(body, 0, strlen(body)); /* a password */
    free(body);
    return st;
}

static bool username_ok(const char *u)
{
    return u != NULL && u[0] != '\0' && strlen(u) < API_OP_TEXT_MAX && !bo_text_has_control(u);
}

api_status api_operator_set_enabled(api_client *c, const char *username, bool enable, bo_operator *out,
                                    api_result *res)
{
    char url[API_URL_MAX];
    memset(out, 0, sizeof *out);
    if (!username_ok(username))
        return api_set_result(res, API_ERR_INVALID, 0, "username: an operator's e-mail is required");
    if (!api_build_url_sub(c, "/operators/", username, enable ? "/enable" : "/disable", url))
        return api_set_result(res, API_ERR_NOMEM, 0, NULL);
    return exchange(c, "POST", url, "{}", out, NULL, res);
}

api_status api_operator_set_role(api_client *c, const char *username, const char *group, bo_operator *out,
                                 api_result *res)
{
    char url[API_URL_MAX], body[64];
    memset(out, 0, sizeof *out);
    if (!username_ok(username))
        return api_set_result(res, API_ERR_INVALID, 0, "username: an operator's e-mail is required");
    if (!api_operator_group_valid(group))
        return api_set_result(res, API_ERR_INVALID, 0, "group: one of " API_OPERATOR_GROUPS_TEXT);
    if (!api_build_url_sub(c, "/operators/", username, "/role", url))
        return api_set_result(res, API_ERR_NOMEM, 0, NULL);
    snprintf(body, sizeof body, "{\"group\":\"%s\"}", group);
    return exchange(c, "PUT", url, body, out, NULL, res);
}
