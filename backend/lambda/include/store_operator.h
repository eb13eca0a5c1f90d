#ifndef STORE_OPERATOR_H
#define STORE_OPERATOR_H
/* Operators' items (store_operator.c), the OPERATORS_TABLE, key sub: what the function itself knows of a user of
 * the pool, and what every write checks (store_priv.h, store_txn_add_operator_check):
 *
 *   operators  sub S (key), name S (display name), group S ("manager", "cashier", "door", "kiosk"),
 *              disabled BOOL, updatedAt S
 *
 * No e-mail: the operators routes list e-mails from Cognito (ListUsers). A user without an item (the first
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

/* One TransactWriteItems: the item of sub created or updated (name always; group unless NULL; disabled unless
 * disabled < 0; updatedAt now) + the ConditionCheck of by, the manager making the change (by->sub must differ
 * from sub: DynamoDB takes one action per item in a transaction). STORE_OK, STORE_DISABLED (by is disabled:
 * nothing written), or a failure. */
store_status store_operator_update(store *s, const char *sub, const char *name, const char *group, int disabled,
                                   const caller *by);

#endif
