/* Operators' items (store_operator.h). */
#include "store_operator.h"

#include "bo_clock.h"
#include "bo_text.h"
#include "caller.h"
#include "ddb.h"
#include "ddb_attr.h"
#include "store_journal.h"
#include "store_priv.h"

#include <stdio.h>
#include <string.h>

static bool copy_to(char *dst, size_t size, const char *src)
{
    if (!src || strlen(src) >= size)
        return false;
    memcpy(dst, src, strlen(src) + 1);
    return true;
}

store_status store_operator_get(store *s, const char *sub, operator_item *out)
{
    memset(out, 0, sizeof *out);
    if (!store_tables_set(s, STORE_NEED_OPERATORS, "operator"))
        return STORE_ERROR;
    if (!sub || !*sub || strlen(sub) > STORE_ID_MAX)
        return STORE_NOT_FOUND;
    cJSON *item;
    store_status st;
    int r = store_get_item_by(s, store_table(s, STORE_T_OPERATORS), "sub", sub, &item, &st);
    if (r < 0)
        return st;
    if (r == 1)
        return STORE_NOT_FOUND;
    const cJSON *d = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(item, "disabled"), "BOOL");
    const char *name = ddb_attr_s(item, "name"), *group = ddb_attr_s(item, "group"), *at = ddb_attr_s(item, "updatedAt");
    bool ok = copy_to(out->sub, sizeof out->sub, ddb_attr_s(item, "sub")) &&
              (!name || copy_to(out->name, sizeof out->name, name)) &&
              (!group || copy_to(out->group, sizeof out->group, group)) &&
              (!at || copy_to(out->updated_at, sizeof out->updated_at, at));
    out->disabled = cJSON_IsTrue(d);
    cJSON_Delete(item);
    if (!ok) {
        store_set_error(s, "operator %s stored malformed", sub);
        memset(out, 0, sizeof *out);
        return STORE_ERROR;
    }
    return STORE_OK;
}

const char *operator_change_type(operator_change change)
{
    switch (change) {
    case OPERATOR_ADDED:
        return "operator.added";
    case OPERATOR_DISABLED:
        return "operator.disabled";
    case OPERATOR_ENABLED:
        return "operator.enabled";
    case OPERATOR_ROLE:
        return "operator.role";
    }
    return "operator.role";
}

/* The entry's detail: who the change is about (display name and sub, never the e-mail) and what changed. */
static void change_detail(char *out, size_t size, operator_change change, const char *sub, const char *name,
                          const char *group, const char *was)
{
    size_t len = name ? strlen(name) : 0;
    int n = (int)(len > 64 ? bo_utf8_cut(name, 64) : len);
    const char *who = n > 0 ? name : "operator";
    if (n == 0)
        n = (int)strlen(who);
    switch (change) {
    case OPERATOR_ADDED:
        snprintf(out, size, "%.*s (sub %s) added as %s", n, who, sub, group && *group ? group : "no group");
        break;
    case OPERATOR_DISABLED:
        snprintf(out, size, "%.*s (sub %s) disabled", n, who, sub);
        break;
    case OPERATOR_ENABLED:
        snprintf(out, size, "%.*s (sub %s) enabled", n, who, sub);
        break;
    case OPERATOR_ROLE:
        snprintf(out, size, "%.*s (sub %s) role %s%s%s%s", n, who, sub, group && *group ? group : "none",
                 was && *was ? " (was " : "", was && *was ? was : "", was && *was ? ")" : "");
        break;
    }
}

store_status store_operator_update(store *s, const char *sub, const char *name, const char *group, int disabled,
                                   const caller *by, operator_change change)
{
    if (!store_tables_set(s, STORE_NEED_OPERATORS | STORE_NEED_JOURNAL, "operator"))
        return STORE_ERROR;
    if (!sub || !*sub || strlen(sub) > STORE_ID_MAX || !by || !by->sub || strcmp(sub, by->sub) == 0) {
        store_set_error(s, "operator: no sub, or the operator's own item");
        return STORE_ERROR;
    }
    /* a role change names the group it replaces (the item's; none when the item has none) */
    operator_item old;
    memset(&old, 0, sizeof old);
    if (change == OPERATOR_ROLE) {
        store_status g = store_operator_get(s, sub, &old);
        if (g != STORE_OK && g != STORE_NOT_FOUND)
            return g;
    }
    char at[32], expr[160], detail[64 + STORE_ID_MAX + 2 * OPERATOR_GROUP_MAX + 48];
    bo_clock_iso_ms(bo_clock_wall_ms(), at);
    change_detail(detail, sizeof detail, change, sub, name, group, old.group);
    journal_who jw = { .sub = by->sub, .name = caller_name(by) };
    journal_entry je;
    journal_entry_init(&je, operator_change_type(change), &jw, at);
    je.detail = detail;
    snprintf(expr, sizeof expr, "SET #name = :name, #at = :at%s%s", group ? ", #group = :group" : "",
             disabled >= 0 ? ", #disabled = :disabled" : "");
    cJSON *req = cJSON_CreateObject();
    cJSON *items = req ? cJSON_AddArrayToObject(req, "TransactItems") : NULL;
    cJSON *wrap = items ? cJSON_CreateObject() : NULL;
    if (wrap && !cJSON_AddItemToArray(items, wrap)) {
        cJSON_Delete(wrap);
        wrap = NULL;
    }
    cJSON *upd = wrap ? cJSON_AddObjectToObject(wrap, "Update") : NULL;
    cJSON *key = upd ? cJSON_AddObjectToObject(upd, "Key") : NULL;
    cJSON *names = upd ? cJSON_AddObjectToObject(upd, "ExpressionAttributeNames") : NULL;
    cJSON *values = upd ? cJSON_AddObjectToObject(upd, "ExpressionAttributeValues") : NULL;
    cJSON *dv = values && disabled >= 0 ? cJSON_AddObjectToObject(values, ":disabled") : NULL;
    bool built = key && names && values && cJSON_AddStringToObject(upd, "TableName", store_table(s, STORE_T_OPERATORS)) &&
                 ddb_attr_add(key, "sub", "S", sub) && cJSON_AddStringToObject(upd, "UpdateExpression", expr) &&
                 cJSON_AddStringToObject(names, "#name", "name") && cJSON_AddStringToObject(names, "#at", "updatedAt") &&
                 ddb_attr_add(values, ":name", "S", name ? name : "") && ddb_attr_add(values, ":at", "S", at) &&
                 (!group || (cJSON_AddStringToObject(names, "#group", "group") && ddb_attr_add(values, ":group", "S", group))) &&
                 (disabled < 0 || (dv && cJSON_AddStringToObject(names, "#disabled", "disabled") &&
                                   cJSON_AddBoolToObject(dv, "BOOL", disabled > 0))) &&
                 store_journal_put(s, items, &je) && store_txn_add_operator_check(items, s, by->sub);
    ddb_error e;
    bool cancelled;
    store_status st = store_transact(s, req, built, &e, &cancelled);
    if (cancelled) /* the update has no condition of its own; the entry's id is new */
        return store_from_ddb(s, "TransactWriteItems", &e);
    return st;
}
