#ifndef AUTHZ_H
#define AUTHZ_H
/* Who may call which route: the function's one route table (method + API Gateway resource template ->
 * the user-pool groups allowed, or public), checked by app_invoke (lambda_app.c) before any handler runs.
 * docs/openapi.yaml states the same table as `x-boxoffice-groups` on each operation; a unit test
 * (tests/unit/test_authz.c) checks the two against each other and that every route of serverless.yml is here.
 *
 *   caller who;
 *   caller_from_event(&ev, &who);
 *   if (authz_check(&ev, &who, &res)) handler(...);    // else res holds the 401/403 answer
 *
 * API Gateway's Cognito authorizer has checked the ID token of every non-public route before the function
 * runs; the function decides by the token's groups (a user in several groups has the union). A route the
 * table does not know, or a non-public route reached without claims, is a misconfiguration: refused (fail
 * closed). Rules finer than a route (the kiosk's card-only sales, one's own shift) are the handlers'. */
#include <stdbool.h>

#include "caller.h"
#include "handlers.h"

typedef struct authz_route {
    const char *method;      /* "POST" */
    const char *resource;    /* API Gateway's resource template: "/orders/{id}/refund" */
    unsigned groups;         /* caller_group bits allowed; AUTHZ_PUBLIC: no authorizer, anyone */
} authz_route;

#define AUTHZ_PUBLIC 0u

/* The table (static) and its length. */
const authz_route *authz_routes(size_t *n);
/* The route of method + resource, or NULL. */
const authz_route *authz_find(const char *method, const char *resource);

/* true when who may call the route of ev; else false with out set:
 *   no such route in the table                 403 {"error":"<METHOD> <resource> is not a route of this API"}
 *   non-public route, caller not signed in     401 {"message":"Unauthorized"} (API Gateway lets no such
 *                                              request through: a misconfigured route)
 *   signed in, in none of the route's groups   403 {"error":"<METHOD> <resource> needs the manager group"}
 *                                              ("... the manager or cashier group", "... the manager, cashier
 *                                              or door group") */
bool authz_check(const apigw_event *ev, const caller *who, handler_result *out);

/* out = 401 {"message":"Unauthorized"}, as API Gateway answers a request without a valid token. */
void authz_unauthorized(handler_result *out);

/* "manager", "manager or cashier", "manager, cashier or door" into buf (groups in table order). */
void authz_groups_text(unsigned groups, char *buf, size_t size);

#endif
