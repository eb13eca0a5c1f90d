/* Cognito's admin API for the operators routes (cognito_admin.h), on the DynamoDB client's transport. */
#include "cognito_admin.h"

#include "bo_err.h"
#include "ddb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LIST_PAGES_MAX 100 /* 60 users a page: 6000 operators is far beyond any box office */

struct cognito_admin {
    ddb_client *http;
    char pool[128];
    char last_error[512];
};

static const char *env_nonempty(const char *name)
{
    const char *v = getenv(name);
    return v && *v ? v : NULL;
}

cognito_admin *cognito_admin_open(char *err, size_t errlen)
{
    const char *pool = env_nonempty("USER_POOL_ID");
    if (!pool || strlen(pool) >= 128) {
        snprintf(err, errlen, "USER_POOL_ID is %s", pool ? "too long" : "not set");
        return NULL;
    }
    ddb_config cfg;
    ddb_error e;
    if (ddb_config_from_env(&cfg, &e) != DDB_OK) {
        snprintf(err, errlen, "Cognito client: %s", e.message);
        return NULL;
    }
    char url[300];
    const char *endpoint = env_nonempty("COGNITO_ENDPOINT");
    if (!endpoint) {
        snprintf(url, sizeof url, "https://cognito-idp.%s.amazonaws.com/", cfg.region);
        endpoint = url;
    }
    cognito_admin *c = NULL;
    if (ddb_config_set_endpoint(&cfg, endpoint, &e) != DDB_OK) {
        snprintf(err, errlen, "COGNITO_ENDPOINT: %s", e.message);
        goto done;
    }
    if (!(c = calloc(1, sizeof *c))) {
        snprintf(err, errlen, "out of memory");
        goto done;
    }
    if (!(c->http = ddb_client_new_service(&cfg, &DDB_SERVICE_COGNITO_IDP, &e))) {
        snprintf(err, errlen, "Cognito client: %s", e.message);
        free(c);
        c = NULL;
        goto done;
    }
    snprintf(c->pool, sizeof c->pool, "%s", pool);
    snprintf(c->last_error, sizeof c->last_error, "no error");
done:
    ddb_config_clear(&cfg);
    return c;
}

void cognito_admin_close(cognito_admin *c)
{
    if (!c)
        return;
    ddb_client_free(c->http);
    free(c);
}

void cognito_admin_set_deadline(cognito_admin *c, uint64_t deadline_ms)
{
    ddb_client_set_deadline(c->http, deadline_ms);
}

const char *cognito_last_error(const cognito_admin *c)
{
    return c ? c->last_error : "no Cognito client";
}

const char *cognito_pool_id(const cognito_admin *c)
{
    return c->pool;
}

/* Copies src into dst masking what looks like an e-mail address: each '@' word becomes "…@…". */
static void masked(char *dst, size_t size, const char *src)
{
    size_t n = 0;
    for (size_t i = 0; src[i] && n + 8 < size; i++) {
        unsigned char ch = (unsigned char)src[i];
        if (ch == '@') {
            /* drop the local part already copied back to the last separator */
            while (n > 0 && dst[n - 1] != ' ' && dst[n - 1] != ':' && dst[n - 1] != '\'' && dst[n - 1] != '"')
                n--;
            memcpy(dst + n, "\xe2\x80\xa6@\xe2\x80\xa6", 7);
            n += 7;
            while (src[i + 1] && src[i + 1] != ' ' && src[i + 1] != '\'' && src[i + 1] != '"' && src[i + 1] != ',')
                i++;
        } else {
            dst[n++] = ch < 0x20 || ch == 0x7f ? '?' : (char)ch;
        }
    }
    dst[n] = '\0';
}

static cognito_status classify(cognito_admin *c, const char *op, ddb_status st, const ddb_error *e)
{
    char msg[sizeof e->message];
    masked(msg, sizeof msg, e->message);
    bo_err_set(c->last_error, sizeof c->last_error, "Cognito %s: %s %s%s%s", op, ddb_status_name(st), e->type,
               e->type[0] ? ": " : "", msg);
    if (strcmp(e->type, "UsernameExistsException") == 0)
        return COG_EXISTS;
    if (strcmp(e->type, "UserNotFoundException") == 0 || strcmp(e->type, "ResourceNotFoundException") == 0)
        return COG_NOT_FOUND;
    if (strcmp(e->type, "InvalidParameterException") == 0 || strcmp(e->type, "InvalidPasswordException") == 0)
        return COG_INVALID;
    if (strcmp(e->type, "TooManyRequestsException") == 0 || ddb_error_retryable(e))
        return COG_UNAVAILABLE;
    return COG_ERROR;
}

/* One call: req (owned, always freed; NULL counts as out of memory), *resp the answer (caller frees) or NULL. */
static cognito_status call(cognito_admin *c, const char *op, cJSON *req, cJSON **resp)
{
    cJSON *ignored = NULL;
    if (!resp)
        resp = &ignored;
    *resp = NULL;
    if (!req) {
        bo_err_set(c->last_error, sizeof c->last_error, "Cognito %s: out of memory", op);
        return COG_ERROR;
    }
    ddb_error e;
    ddb_status st = ddb_call(c->http, op, req, resp, &e);
    cJSON_Delete(req);
    cJSON_Delete(ignored);
    if (st == DDB_OK)
        return COG_OK;
    return classify(c, op, st, &e);
}

/* {"UserPoolId": pool, "Username": username} */
static cJSON *user_request(const cognito_admin *c, const char *username)
{
    cJSON *req = cJSON_CreateObject();
    if (!req || !cJSON_AddStringToObject(req, "UserPoolId", c->pool) ||
        !cJSON_AddStringToObject(req, "Username", username)) {
        cJSON_Delete(req);
        return NULL;
    }
    return req;
}

static bool add_attr(cJSON *list, const char *name, const char *value)
{
    cJSON *a = cJSON_CreateObject();
    if (!a || !cJSON_AddItemToArray(list, a)) {
        cJSON_Delete(a);
        return false;
    }
    return cJSON_AddStringToObject(a, "Name", name) && cJSON_AddStringToObject(a, "Value", value);
}

static bool copy_str(char *dst, size_t size, const cJSON *v)
{
    if (!cJSON_IsString(v) || strlen(v->valuestring) >= size)
        return false;
    memcpy(dst, v->valuestring, strlen(v->valuestring) + 1);
    return true;
}

/* A user object of AdminCreateUser's User / ListUsers' Users[] (attributes in `attrs_key`) or AdminGetUser's
 * answer into *out. false when it has no sub. */
static bool user_from(const cJSON *u, const char *attrs_key, cognito_user *out)
{
    memset(out, 0, sizeof *out);
    const cJSON *attrs = cJSON_GetObjectItemCaseSensitive(u, attrs_key);
    const cJSON *a;
    cJSON_ArrayForEach(a, attrs)
    {
        const cJSON *n = cJSON_GetObjectItemCaseSensitive(a, "Name"), *v = cJSON_GetObjectItemCaseSensitive(a, "Value");
        if (!cJSON_IsString(n))
            continue;
        if (strcmp(n->valuestring, "sub") == 0)
            copy_str(out->sub, sizeof out->sub, v);
        else if (strcmp(n->valuestring, "email") == 0)
            copy_str(out->username, sizeof out->username, v);
        else if (strcmp(n->valuestring, "name") == 0)
            copy_str(out->name, sizeof out->name, v);
    }
    const cJSON *en = cJSON_GetObjectItemCaseSensitive(u, "Enabled");
    out->enabled = !cJSON_IsBool(en) || cJSON_IsTrue(en);
    copy_str(out->status, sizeof out->status, cJSON_GetObjectItemCaseSensitive(u, "UserStatus"));
    if (!out->sub[0]) /* cognito-local keeps the sub as the user name: take it from there */
        copy_str(out->sub, sizeof out->sub, cJSON_GetObjectItemCaseSensitive(u, "Username"));
    return out->sub[0] != '\0';
}

static cognito_status malformed(cognito_admin *c, const char *op)
{
    bo_err_set(c->last_error, sizeof c->last_error, "Cognito %s: answer without the user's sub", op);
    return COG_ERROR;
}

cognito_status cognito_create_user(cognito_admin *c, const char *username, const char *name, const char *temp_password,
                                   cognito_user *out)
{
    memset(out, 0, sizeof *out);
    cJSON *req = user_request(c, username);
    cJSON *attrs = req ? cJSON_AddArrayToObject(req, "UserAttributes") : NULL;
    if (!attrs || !cJSON_AddStringToObject(req, "TemporaryPassword", temp_password) ||
        !cJSON_AddStringToObject(req, "MessageAction", "SUPPRESS") || !add_attr(attrs, "email", username) ||
        !add_attr(attrs, "email_verified", "true") || !add_attr(attrs, "name", name)) {
        cJSON_Delete(req);
        req = NULL;
    }
    cJSON *resp;
    cognito_status st = call(c, "AdminCreateUser", req, &resp);
    if (st == COG_OK && !user_from(cJSON_GetObjectItemCaseSensitive(resp, "User"), "Attributes", out))
        st = malformed(c, "AdminCreateUser");
    cJSON_Delete(resp);
    return st;
}

cognito_status cognito_get_user(cognito_admin *c, const char *username, cognito_user *out)
{
    memset(out, 0, sizeof *out);
    cJSON *resp;
    cognito_status st = call(c, "AdminGetUser", user_request(c, username), &resp);
    if (st == COG_OK && !user_from(resp, "UserAttributes", out))
        st = malformed(c, "AdminGetUser");
    cJSON_Delete(resp);
    return st;
}

cognito_status cognito_set_enabled(cognito_admin *c, const char *username, bool enabled)
{
    return call(c, enabled ? "AdminEnableUser" : "AdminDisableUser", user_request(c, username), NULL);
}

cognito_status cognito_group_member(cognito_admin *c, const char *username, const char *group, bool member)
{
    cJSON *req = user_request(c, username);
    if (req && !cJSON_AddStringToObject(req, "GroupName", group)) {
        cJSON_Delete(req);
        req = NULL;
    }
    return call(c, member ? "AdminAddUserToGroup" : "AdminRemoveUserFromGroup", req, NULL);
}

/* One page of a listing: op with extra (GroupName or nothing), token in/out ("" none). */
static cognito_status list_page(cognito_admin *c, const char *op, const char *group, char *token, size_t token_size,
                                cJSON **resp)
{
    cJSON *req = cJSON_CreateObject();
    if (req && (!cJSON_AddStringToObject(req, "UserPoolId", c->pool) || !cJSON_AddNumberToObject(req, "Limit", 60) ||
                (group && !cJSON_AddStringToObject(req, "GroupName", group)) ||
                (token[0] && !cJSON_AddStringToObject(req, group ? "NextToken" : "PaginationToken", token)))) {
        cJSON_Delete(req);
        req = NULL;
    }
    cognito_status st = call(c, op, req, resp);
    token[0] = '\0';
    if (st == COG_OK && !copy_str(token, token_size, cJSON_GetObjectItemCaseSensitive(*resp, group ? "NextToken" : "PaginationToken")))
        token[0] = '\0';
    return st;
}

cognito_status cognito_list_users(cognito_admin *c, cognito_user **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    char token[4096] = "";
    size_t cap = 0;
    cognito_status st = COG_OK;
    for (int page = 0; page < LIST_PAGES_MAX && st == COG_OK; page++) { /* beyond: the rest is not listed */
        cJSON *resp;
        if ((st = list_page(c, "ListUsers", NULL, token, sizeof token, &resp)) != COG_OK)
            break;
        const cJSON *u;
        cJSON_ArrayForEach(u, cJSON_GetObjectItemCaseSensitive(resp, "Users"))
        {
            if (*n == cap) {
                size_t ncap = cap ? cap * 2 : 16;
                cognito_user *grown = realloc(*out, ncap * sizeof **out);
                if (!grown) {
                    bo_err_set(c->last_error, sizeof c->last_error, "Cognito ListUsers: out of memory");
                    st = COG_ERROR;
                    break;
                }
                *out = grown;
                cap = ncap;
            }
            if (user_from(u, "Attributes", &(*out)[*n]))
                (*n)++;
        }
        cJSON_Delete(resp);
        if (!token[0])
            break;
    }
    if (st != COG_OK) {
        free(*out);
        *out = NULL;
        *n = 0;
    }
    return st;
}

cognito_status cognito_group_subs(cognito_admin *c, const char *group, char (**subs)[COG_SUB_MAX + 1], size_t *n)
{
    *subs = NULL;
    *n = 0;
    char token[4096] = "";
    size_t cap = 0;
    for (int page = 0; page < LIST_PAGES_MAX; page++) {
        cJSON *resp;
        cognito_status st = list_page(c, "ListUsersInGroup", group, token, sizeof token, &resp);
        if (st != COG_OK) {
            free(*subs);
            *subs = NULL;
            *n = 0;
            return st;
        }
        const cJSON *u;
        cJSON_ArrayForEach(u, cJSON_GetObjectItemCaseSensitive(resp, "Users"))
        {
            cognito_user one;
            if (!user_from(u, "Attributes", &one))
                continue;
            if (*n == cap) {
                size_t ncap = cap ? cap * 2 : 16;
                char (*grown)[COG_SUB_MAX + 1] = realloc(*subs, ncap * sizeof **subs);
                if (!grown) {
                    cJSON_Delete(resp);
                    free(*subs);
                    *subs = NULL;
                    *n = 0;
                    bo_err_set(c->last_error, sizeof c->last_error, "Cognito ListUsersInGroup: out of memory");
                    return COG_ERROR;
                }
                *subs = grown;
                cap = ncap;
            }
            memcpy((*subs)[*n], one.sub, sizeof one.sub);
            (*n)++;
        }
        cJSON_Delete(resp);
        if (!token[0])
            break;
    }
    return COG_OK;
}
