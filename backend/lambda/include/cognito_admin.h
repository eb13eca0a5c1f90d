#ifndef COGNITO_ADMIN_H
#define COGNITO_ADMIN_H
/* The few calls of Cognito's admin API the operators routes make on the operators' user pool (handler_operator.c):
 * JSON 1.1 POSTs with X-Amz-Target AWSCognitoIdentityProviderService.<Op>, SigV4-signed ("cognito-idp") through
 * the DynamoDB client's transport (ddb.h, ddb_client_new_service): the same retries, deadlines and error
 * classification. Endpoint: COGNITO_ENDPOINT when set (cognito-local: http://127.0.0.1:PORT), else
 * https://cognito-idp.<AWS_REGION>.amazonaws.com/; pool: USER_POOL_ID; credentials: the AWS_* variables.
 *
 *   char err[256];
 *   cognito_admin *c = cognito_admin_open(err, sizeof err);
 *   cognito_user u;
 *   if (cognito_get_user(c, "ana@example.com", &u) == COG_OK) ...;
 *   cognito_admin_close(c);
 *
 * User names are e-mail addresses (the pool's sign-in name); Cognito keeps them as attribute `email`, the user's
 * stable id is `sub`. Never log a user name or an e-mail: cognito_last_error never holds one (Cognito's own
 * messages are not copied when they could). Not thread-safe: one per thread. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define COG_SUB_MAX 128
#define COG_USERNAME_MAX 254     /* an e-mail address (BO_EMAIL_MAX) */
#define COG_NAME_MAX 256
#define COG_STATUS_MAX 40

typedef struct cognito_admin cognito_admin;

typedef enum cognito_status {
    COG_OK = 0,
    COG_EXISTS,         /* UsernameExistsException */
    COG_NOT_FOUND,      /* UserNotFoundException, ResourceNotFoundException on a group */
    COG_INVALID,        /* InvalidParameterException, InvalidPasswordException: the request, not the service */
    COG_UNAVAILABLE,    /* throttled, 5xx, timeout, transport: may be retried */
    COG_ERROR           /* anything else: access denied, configuration, a malformed answer, out of memory */
} cognito_status;

typedef struct cognito_user {
    char sub[COG_SUB_MAX + 1];
    char username[COG_USERNAME_MAX + 1];   /* attribute email ("" when the user has none) */
    char name[COG_NAME_MAX + 1];           /* attribute name ("" when none) */
    bool enabled;
    char status[COG_STATUS_MAX + 1];       /* UserStatus: "CONFIRMED", "FORCE_CHANGE_PASSWORD", ... */
} cognito_user;

/* From the environment (above). NULL with a reason in err (naming the variable, never a secret). */
cognito_admin *cognito_admin_open(char *err, size_t errlen);
void cognito_admin_close(cognito_admin *c);               /* NULL is fine */
void cognito_admin_set_deadline(cognito_admin *c, uint64_t deadline_ms);
/* The last failure for logs: the operation, the error type and Cognito's message with e-mail addresses masked. */
const char *cognito_last_error(const cognito_admin *c);
/* The pool id (USER_POOL_ID). */
const char *cognito_pool_id(const cognito_admin *c);

/* AdminCreateUser (MessageAction SUPPRESS: the manager hands the temporary password over) with attributes
 * email (= username, email_verified true) and name. *out is the new user. COG_EXISTS when the name is taken. */
cognito_status cognito_create_user(cognito_admin *c, const char *username, const char *name, const char *temp_password,
                                   cognito_user *out);
/* AdminGetUser. COG_NOT_FOUND when no such user. */
cognito_status cognito_get_user(cognito_admin *c, const char *username, cognito_user *out);
/* AdminEnableUser / AdminDisableUser. */
cognito_status cognito_set_enabled(cognito_admin *c, const char *username, bool enabled);
/* AdminAddUserToGroup / AdminRemoveUserFromGroup (removing a user from a group they are not in is fine). */
cognito_status cognito_group_member(cognito_admin *c, const char *username, const char *group, bool member);
/* Every user of the pool (ListUsers, all pages) into *out (the caller frees it), *n of them. */
cognito_status cognito_list_users(cognito_admin *c, cognito_user **out, size_t *n);
/* The subs of group's members (ListUsersInGroup, all pages) into *subs (the caller frees it; n entries of
 * COG_SUB_MAX + 1 bytes each). */
cognito_status cognito_group_subs(cognito_admin *c, const char *group, char (**subs)[COG_SUB_MAX + 1], size_t *n);

#endif
