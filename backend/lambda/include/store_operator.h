#ifndef STORE_OPERATOR_H
#define STORE_OPERATOR_H
/* Operators' items (store_operator.c), the OPERATORS_TABLE, key sub: what the function itself knows of a user of
 * the pool, and what every write checks (store_priv.h, store_txn_add_operator_check):
 *
 *   operators  sub S (key), name S (display name), group S ("manager", "cashier", "door", "kiosk"),
 *              disabled BOOL, updatedAt S
 *
 * Every change of an item writes its journal entry in the same transaction (operator.added, .disabled,
 * .enabled, .role). No e-mail: the operators routes list e-mails from Cognito (ListUsers). A user without an item (the first
 * manager made by local-up) counts as enabled. */
#include <stdbool.h>

#include "store.h"

#define OPERATOR_GROUP_MAX 15

typedef struct operator_item {
    char sub[STORE_ID_MAX + 1];
    char name[257];
    char group[OPERATOR_GROUP_MAX + 1];   /* "" when the item has none */
    bool disabled;
    char updated_at[32];
} operator_item;

/* The item of sub, strongly consistent: STORE_OK (*out), STORE_NOT_FOUND (*out zeroed), or a failure. */
store_status store_operator_get(store *s, const char *sub, operator_item *out);

/* What a change to an operator's item is, and the type of its journal entry. */
typedef enum operator_change {
    OPERATOR_ADDED,      /* "operator.added" */
    OPERATOR_DISABLED,   /* "operator.disabled" */
    OPERATOR_ENABLED,    /* "operator.enabled" */
    OPERATOR_ROLE,       /* "operator.role" */
} operator_change;

/* The journal type of a change ("operator.added", ...). */
const char *operator_change_type(operator_change change);

/* One TransactWriteItems: the item of sub created or updated (name always; group unless NULL; disabled unless
 * disabled < 0; updatedAt now) + its journal entry (store_journal.h; type by change; operator: by's sub and
 * display name; detail: the operator's display name, sub and group, e.g. "Ana (sub 5f1c...) added as cashier",
 * "... role door (was cashier)"; never the e-mail) + the ConditionCheck of by, the manager making the change
 * (by->sub must differ from sub: DynamoDB takes one action per item in a transaction). The item, the entry and
 * the check exist together or not at all. STORE_OK, STORE_DISABLED (by is disabled: nothing written), or a
 * failure (nothing written). */
store_status store_operator_update(store *s, const char *sub, const char *name, const char *group, int disabled,
                                   const caller *by, operator_change change);

#endif
