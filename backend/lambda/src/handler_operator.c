/* The operators routes (manager only, by the route table): the user pool's users and groups through Cognito's
 * admin API (cognito_admin.h) and each operator's item (store_operator.h), whose `disabled` every write checks.
 *   concert-service.listOperators    GET  /operators                        200 | 503
 *   concert-service.createOperator   POST /operators                        201 | 400 | 403 | 409 | 503
 *   concert-service.disableOperator  POST /operators/{username}/disable     200 | 400 | 403 | 404 | 503
 *   concert-service.enableOperator   POST /operators/{username}/enable      200 | 400 | 403 | 404 | 503
 *   concert-service.setOperatorRole  PUT  /operators/{username}/role        200 | 400 | 403 | 404 | 503
 * A manager cannot disable, enable or re-role themselves (400): a deployment never loses its last manager that
 * way. The e-mail (the user name) is answered to managers but never logged (app_invoke logs the route template).
 * Every change of an operator's item writes its journal entry (operator.added, .disabled, .enabled, .role) in the
 * item's own transaction (store_operator_update): a refused request writes neither. */
#include "handlers.h"

#include "bo_text.h"
#include "bo_valid.h"
#include "caller.h"
#include "cognito_admin.h"
#include "store_operator.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OPERATOR_NAME_MAX 64      /* bytes of a display name (caller.h's CALLER_NAME_MAX) */
#define PASSWORD_MIN 8
#define PASSWORD_MAX 256

static const char POOL_FAILED[] = "Could not reach the user pool, please try again";
static const char STORE_FAILED[] = "Could not record the operator, please try again";
static const char USERNAME_BAD[] = "username must be an e-mail address of at most 254 characters";
static const char NAME_BAD[] = "name must be text of 1 to 64 bytes without control characters";
static const char GROUP_BAD[] = "group must be one of manager, cashier, door, kiosk";
static const char PASSWORD_BAD[] = "temporaryPassword must be 8 to 256 characters without control characters";
static const char EXISTS[] = "an operator with this username exists";
static const char NOT_FOUND[] = "Operator not found";
static const char SELF[] = "a manager cannot disable, enable or change the role of themselves";
static const char REFUSED[] = "the user pool refused the username or temporaryPassword (its password policy)";
static const char DISABLED[] = "operator is disabled";

static const char *const GROUP_ORDER[] = { "manager", "cashier", "door", "kiosk" };
#define N_GROUPS (sizeof GROUP_ORDER / sizeof GROUP_ORDER[0])

/* The process's Cognito client, opened at the first operators request and kept for the warm invocations
 * (as the store's DynamoDB client); handler_operators_close frees it. */
static cognito_admin *pool_client;

void handler_operators_close(void)
{
    cognito_admin_close(pool_client);
    pool_client = NULL;
}

static cognito_admin *pool(store *st, handler_result *out)
{
    if (!pool_client) {
        static char why[256];
        pool_client = cognito_admin_open(why, sizeof why);
        if (!pool_client) {
            out->store_error = why;
            handler_fail(out, 503, POOL_FAILED);
            out->resp.retry_after_s = HANDLER_RETRY_AFTER_S;
            return NULL;
        }
    }
    cognito_admin_set_deadline(pool_client, store_deadline(st));
    return pool_client;
}

static void pool_fail(handler_result *out, cognito_status s)
{
    out->store_error = cognito_last_error(pool_client);
    if (s == COG_NOT_FOUND) {
        handler_fail(out, 404, NOT_FOUND);
    } else if (s == COG_EXISTS) {
        handler_fail(out, 409, EXISTS);
    } else if (s == COG_INVALID) {
        handler_fail(out, 400, REFUSED);
    } else {
        handler_fail(out, 503, POOL_FAILED);
        out->resp.retry_after_s = HANDLER_RETRY_AFTER_S;
    }
}

/* The {username} of the path, an e-mail address, or NULL with out set to the 400. */
static const char *path_username(const apigw_event *ev, handler_result *out)
{
    const char *u = apigw_path_param(ev, "username");
    if (!u || strlen(u) > BO_EMAIL_MAX || bo_valid_email(u)) {
        handler_fail(out, 400, USERNAME_BAD);
        return NULL;
    }
    return u;
}

static bool group_ok(const char *g)
{
    return g && caller_group_bit(g, strlen(g)) != 0;
}

/* A display name: bo_valid_text's rule (no control or bidi characters, not blank) and at most 64 bytes. */
static bool name_ok(const char *n)
{
    return n && strlen(n) <= OPERATOR_NAME_MAX && !bo_valid_text("name", n);
}

static bool password_ok(const char *p)
{
    size_t n = p ? strlen(p) : 0;
    if (n < PASSWORD_MIN || n > PASSWORD_MAX || !bo_utf8_valid(p, n))
        return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)p[i] < 0x20 || p[i] == 0x7f)
            return false;
    return true;
}

/* The caller's own item must not be disabled before anything is changed in the pool (the write's transaction
 * checks it again). true when fine, else out is set (403 or 503). */
static bool caller_enabled(store *st, const caller *who, handler_result *out)
{
    operator_item me;
    store_status s = store_operator_get(st, who->sub, &me);
    if (s == STORE_NOT_FOUND || (s == STORE_OK && !me.disabled))
        return true;
    if (s == STORE_OK)
        handler_fail(out, 403, DISABLED);
    else
        handler_store_fail(out, st, s, STORE_FAILED);
    return false;
}

/* The group of sub: its item's, else the first of the pool's groups it is a member of ("" when none). */
static cognito_status group_of(cognito_admin *c, store *st, const char *sub, char group[OPERATOR_GROUP_MAX + 1])
{
    operator_item it;
    group[0] = '\0';
    if (store_operator_get(st, sub, &it) == STORE_OK && group_ok(it.group)) {
        snprintf(group, OPERATOR_GROUP_MAX + 1, "%s", it.group);
        return COG_OK;
    }
    for (size_t g = 0; g < N_GROUPS; g++) {
        char (*subs)[COG_SUB_MAX + 1];
        size_t n;
        cognito_status s = cognito_group_subs(c, GROUP_ORDER[g], &subs, &n);
        if (s != COG_OK)
            return s;
        bool in = false;
        for (size_t i = 0; i < n && !in; i++)
            in = strcmp(subs[i], sub) == 0;
        free(subs);
        if (in) {
            snprintf(group, OPERATOR_GROUP_MAX + 1, "%s", GROUP_ORDER[g]);
            return COG_OK;
        }
    }
    return COG_OK;
}

/* {"sub","username","name","group","enabled","status"}; new cJSON or NULL on OOM. */
static cJSON *operator_json(const cognito_user *u, const char *group, bool enabled)
{
    cJSON *j = cJSON_CreateObject();
    bool ok = j && cJSON_AddStringToObject(j, "sub", u->sub) && cJSON_AddStringToObject(j, "username", u->username) &&
              cJSON_AddStringToObject(j, "name", u->name) &&
              (group && group[0] ? cJSON_AddStringToObject(j, "group", group) != NULL
                                 : cJSON_AddNullToObject(j, "group") != NULL) &&
              cJSON_AddBoolToObject(j, "enabled", enabled) &&
              cJSON_AddStringToObject(j, "status", u->status[0] ? u->status : "UNKNOWN");
    if (!ok) {
        cJSON_Delete(j);
        return NULL;
    }
    return j;
}

void handler_list_operators(store *st, const apigw_event *ev, handler_result *out)
{
    caller who;
    if (!handler_operator(ev, &who, out))
        return;
    cognito_admin *c = pool(st, out);
    if (!c)
        return;
    cognito_user *users = NULL;
    size_t n = 0;
    char (*members[N_GROUPS])[COG_SUB_MAX + 1] = { NULL };
    size_t n_members[N_GROUPS] = { 0 };
    cognito_status s = cognito_list_users(c, &users, &n);
    for (size_t g = 0; s == COG_OK && g < N_GROUPS; g++)
        s = cognito_group_subs(c, GROUP_ORDER[g], &members[g], &n_members[g]);
    if (s != COG_OK) {
        pool_fail(out, s);
        goto done;
    }
    cJSON *j = cJSON_CreateObject();
    cJSON *arr = j ? cJSON_AddArrayToObject(j, "operators") : NULL;
    for (size_t i = 0; arr && i < n; i++) {
        const char *group = NULL;
        for (size_t g = 0; !group && g < N_GROUPS; g++)
            for (size_t k = 0; !group && k < n_members[g]; k++)
                if (strcmp(members[g][k], users[i].sub) == 0)
                    group = GROUP_ORDER[g];
        cJSON *o = operator_json(&users[i], group, users[i].enabled);
        if (!o || !cJSON_AddItemToArray(arr, o)) {
            cJSON_Delete(o);
            arr = NULL;
        }
    }
    if (!arr) {
        cJSON_Delete(j);
        j = NULL;
    }
    handler_answer_json(out, 200, j);
done:
    for (size_t g = 0; g < N_GROUPS; g++)
        free(members[g]);
    free(users);
}

/* A string field of body, or NULL. */
static const char *str_field(const cJSON *body, const char *name)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(body, name);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

void handler_create_operator(store *st, const apigw_event *ev, handler_result *out)
{
    caller who;
    if (!handler_operator(ev, &who, out))
        return;
    cJSON *body = handler_body_object(ev, out);
    if (!body)
        return;
    const char *username = str_field(body, "username"), *name = str_field(body, "name");
    const char *group = str_field(body, "group"), *password = str_field(body, "temporaryPassword");
    char *trimmed = name ? bo_text_trim_dup(name) : NULL;
    const char *msg = !username || strlen(username) > BO_EMAIL_MAX || bo_valid_email(username) ? USERNAME_BAD
                      : !trimmed || !name_ok(trimmed)                                          ? NAME_BAD
                      : !group_ok(group)                                                       ? GROUP_BAD
                      : !password_ok(password)                                                 ? PASSWORD_BAD
                                                                                               : NULL;
    if (msg) {
        handler_fail(out, 400, msg);
        goto done;
    }
    if (!st) {
        handler_store_fail(out, st, STORE_UNAVAILABLE, STORE_FAILED);
        goto done;
    }
    if (!caller_enabled(st, &who, out))
        goto done;
    cognito_admin *c = pool(st, out);
    if (!c)
        goto done;
    cognito_user u;
    cognito_status s = cognito_create_user(c, username, trimmed, password, &u);
    if (s == COG_OK)
        s = cognito_group_member(c, username, group, true);
    if (s != COG_OK) {
        pool_fail(out, s);
        goto done;
    }
    store_status ss = store_operator_update(st, u.sub, trimmed, group, 0, &who, OPERATOR_ADDED);
    if (ss != STORE_OK) {
        handler_store_fail(out, st, ss, STORE_FAILED);
        goto done;
    }
    handler_answer_json(out, 201, operator_json(&u, group, true));
done:
    free(trimmed);
    cJSON_Delete(body);
}

/* The user of {username} for a change by who: *u, or false with out set (400, 403, 404, 503). */
static bool target(store *st, const apigw_event *ev, const caller *who, cognito_user *u, handler_result *out)
{
    const char *username = path_username(ev, out);
    if (!username)
        return false;
    if (!st) {
        handler_store_fail(out, st, STORE_UNAVAILABLE, STORE_FAILED);
        return false;
    }
    if (!caller_enabled(st, who, out))
        return false;
    cognito_admin *c = pool(st, out);
    if (!c)
        return false;
    cognito_status s = cognito_get_user(c, username, u);
    if (s != COG_OK) {
        pool_fail(out, s);
        return false;
    }
    if (strcmp(u->sub, who->sub) == 0) {
        handler_fail(out, 400, SELF);
        return false;
    }
    return true;
}

static void set_enabled(store *st, const apigw_event *ev, handler_result *out, bool enabled)
{
    caller who;
    cognito_user u;
    if (!handler_operator(ev, &who, out) || !target(st, ev, &who, &u, out))
        return;
    /* the item first: it is what the writes check (a retry after a failure below does both again, and
     * journals the change again) */
    store_status ss = store_operator_update(st, u.sub, u.name, NULL, enabled ? 0 : 1, &who,
                                             enabled ? OPERATOR_ENABLED : OPERATOR_DISABLED);
    if (ss != STORE_OK) {
        handler_store_fail(out, st, ss, STORE_FAILED);
        return;
    }
    char group[OPERATOR_GROUP_MAX + 1];
    cognito_status s = cognito_set_enabled(pool_client, u.username[0] ? u.username : u.sub, enabled);
    if (s == COG_OK)
        s = group_of(pool_client, st, u.sub, group);
    if (s != COG_OK) {
        pool_fail(out, s);
        return;
    }
    handler_answer_json(out, 200, operator_json(&u, group, enabled));
}

void handler_disable_operator(store *st, const apigw_event *ev, handler_result *out)
{
    set_enabled(st, ev, out, false);
}

void handler_enable_operator(store *st, const apigw_event *ev, handler_result *out)
{
    set_enabled(st, ev, out, true);
}

void handler_set_operator_role(store *st, const apigw_event *ev, handler_result *out)
{
    caller who;
    if (!handler_operator(ev, &who, out))
        return;
    if (!path_username(ev, out))
        return;
    cJSON *body = handler_body_object(ev, out);
    if (!body)
        return;
    char group[OPERATOR_GROUP_MAX + 1] = "";
    const char *g = str_field(body, "group");
    if (group_ok(g))
        snprintf(group, sizeof group, "%s", g);
    cJSON_Delete(body);
    if (!group[0]) {
        handler_fail(out, 400, GROUP_BAD);
        return;
    }
    cognito_user u;
    if (!target(st, ev, &who, &u, out))
        return;
    store_status ss = store_operator_update(st, u.sub, u.name, group, -1, &who, OPERATOR_ROLE);
    if (ss != STORE_OK) {
        handler_store_fail(out, st, ss, STORE_FAILED);
        return;
    }
    const char *name = u.username[0] ? u.username : u.sub;
    cognito_status s = COG_OK;
    for (size_t k = 0; s == COG_OK && k < N_GROUPS; k++)
        if (strcmp(GROUP_ORDER[k], group) != 0)
            s = cognito_group_member(pool_client, name, GROUP_ORDER[k], false);
    if (s == COG_OK)
        s = cognito_group_member(pool_client, name, group, true);
    if (s != COG_OK) {
        pool_fail(out, s);
        return;
    }
    handler_answer_json(out, 200, operator_json(&u, group, u.enabled));
}
