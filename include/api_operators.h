#ifndef API_OPERATORS_H
#define API_OPERATORS_H
/* Operators (managers only): GET /operators, POST /operators, POST /operators/{username}/disable|enable,
 * PUT /operators/{username}/role. Blocking calls on an api_client (api.h), one thread at a time; no drawing.
 * Every string of an answer is kept sanitised (safe to draw) and the object as received in json (--json).
 * A refusal (403 "... needs the manager group", 409 "exists", 400 naming the field) is in res->message as
 * the server wrote it (sanitised). On failure the out-structures are left empty. */
#include <stdbool.h>
#include <stddef.h>

#include "api.h"

#define API_OPERATORS_MAX 1000    /* operators in one answer (more: API_ERR_PROTOCOL) */
#define API_OP_SUB_MAX 128
#define API_OP_TEXT_MAX 256       /* bytes of a name, an e-mail, a status */
#define API_OP_GROUP_MAX 16

/* The groups of AUTH.md, the only ones the client sends. */
bool api_operator_group_valid(const char *group);
/* "manager, cashier, door or kiosk" */
#define API_OPERATOR_GROUPS_TEXT "manager, cashier, door or kiosk"

/* One operator. Owned by whoever holds it: bo_operator_clear frees json and wipes the e-mail. */
typedef struct bo_operator {
    char sub[API_OP_SUB_MAX + 1];
    char username[API_OP_TEXT_MAX];  /* the e-mail: never drawn or logged in clear (bo_operator_mask) */
    char name[API_OP_TEXT_MAX];      /* the display name */
    char group[API_OP_GROUP_MAX + 1]; /* "" when in no group */
    bool enabled;
    char status[API_OP_TEXT_MAX];    /* CONFIRMED, FORCE_CHANGE_PASSWORD, ... ("" when absent) */
    struct cJSON *json;              /* owned: the API's object as received */
} bo_operator;
void bo_operator_clear(bo_operator *o);
/* Reads one API object (sub, username required; name, group (null: none), enabled, status when present).
 * 0 or -1. */
int bo_operator_from_json(const struct cJSON *obj, bo_operator *out);
/* The e-mail for a screen: the local part's first 2 characters, an ellipsis, the domain
 * ("ma…@boxoffice.local"); a text without '@' is cut the same way. */
void bo_operator_mask(const char *username, char *out, size_t cap);

typedef struct api_operator_list {
    bo_operator *ops;
    size_t n;
} api_operator_list;
void api_operator_list_clear(api_operator_list *l);

/* GET /operators, in the server's order. */
api_status api_operators_list(api_client *c, api_operator_list *out, api_result *res);

/* A new operator. Strings borrowed. */
typedef struct api_operator_input {
    const char *username;            /* an e-mail (bo_valid_email) */
    const char *name;                /* the display name: 1..64 bytes, no control characters */
    const char *group;               /* api_operator_group_valid */
    const char *temporary_password;  /* required: 8..256 characters, no control characters (the pool's
                                      * policy may ask more: its 400 says so) */
} api_operator_input;
/* The rule the client checks before sending (NULL when the input is valid, else a message naming the field). */
const char *api_operator_input_check(const api_operator_input *in);
/* POST /operators -> 201 operator. The request body holds the temporary password: wiped after sending. */
api_status api_operator_add(api_client *c, const api_operator_input *in, bo_operator *out, api_result *res);
/* POST /operators/{username}/enable (enable) or /disable -> 200 operator. */
api_status api_operator_set_enabled(api_client *c, const char *username, bool enable, bo_operator *out,
                                    api_result *res);
/* PUT /operators/{username}/role {"group": group} -> 200 operator. */
api_status api_operator_set_role(api_client *c, const char *username, const char *group, bo_operator *out,
                                 api_result *res);

#endif
