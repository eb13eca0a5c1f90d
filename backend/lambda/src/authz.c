/* The function's route table and its check (authz.h). */
#include "authz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define M CALLER_MANAGER
#define C CALLER_CASHIER
#define D CALLER_DOOR
#define K CALLER_KIOSK

/* AUTH.md's table; docs/openapi.yaml repeats it as x-boxoffice-groups (test_authz.c compares them). */
static const authz_route ROUTES[] = {
    { "GET", "/concerts", AUTHZ_PUBLIC },
    { "GET", "/concerts/{id}", AUTHZ_PUBLIC },
    { "POST", "/tickets", AUTHZ_PUBLIC },
    { "POST", "/orders", AUTHZ_PUBLIC },
    { "POST", "/concerts", M },
    { "POST", "/box-office/orders", M | C | K },  /* kiosk: paymentMethod card only (handler_order.c) */
    { "GET", "/orders/{id}", M | C },
    { "GET", "/orders", M | C },
    { "GET", "/tickets/by-code/{code}", M | C },
    { "POST", "/orders/{id}/refund", M | C },
    { "POST", "/checkins", M | C | D },
    { "POST", "/checkins/{ticketId}/undo", M },
    { "GET", "/concerts/{id}/stats", M | C | D },
    { "GET", "/operators", M },
    { "POST", "/operators", M },
    { "POST", "/operators/{username}/disable", M },
    { "POST", "/operators/{username}/enable", M },
    { "PUT", "/operators/{username}/role", M },
};

#undef M
#undef C
#undef D
#undef K

const authz_route *authz_routes(size_t *n)
{
    *n = sizeof ROUTES / sizeof ROUTES[0];
    return ROUTES;
}

const authz_route *authz_find(const char *method, const char *resource)
{
    if (!method || !resource)
        return NULL;
    for (size_t i = 0; i < sizeof ROUTES / sizeof ROUTES[0]; i++)
        if (strcmp(ROUTES[i].method, method) == 0 && strcmp(ROUTES[i].resource, resource) == 0)
            return &ROUTES[i];
    return NULL;
}

void authz_groups_text(unsigned groups, char *buf, size_t size)
{
    const unsigned order[] = { CALLER_MANAGER, CALLER_CASHIER, CALLER_DOOR, CALLER_KIOSK };
    size_t n = 0, total = 0, len = 0;
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++)
        if (groups & order[i])
            total++;
    buf[0] = '\0';
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        if (!(groups & order[i]))
            continue;
        const char *sep = n == 0 ? "" : n + 1 == total ? " or " : ", ";
        int w = snprintf(buf + len, size - len, "%s%s", sep, caller_group_name(order[i]));
        if (w < 0 || (size_t)w >= size - len)
            return;
        len += (size_t)w;
        n++;
    }
}

/* 401 with API Gateway's own body shape ({"message": ...}), as a gateway answers it. */
void authz_unauthorized(handler_result *out)
{
    char *body = strdup("{\"message\":\"Unauthorized\"}");
    out->reason = "not signed in on an operator route";
    if (body) {
        apigw_response_take(&out->resp, 401, body);
    } else {
        out->resp.status = 401;
        out->resp.body = NULL;
    }
}

/* 403 {"error": text} with a text built here (handler_fail wants a static message). */
static void forbidden(handler_result *out, const char *text, const char *reason)
{
    cJSON *o = cJSON_CreateObject();
    if (!o || !cJSON_AddStringToObject(o, "error", text)) {
        cJSON_Delete(o);
        handler_fail(out, 403, reason);
        return;
    }
    if (handler_answer_json(out, 403, o))
        out->reason = reason;
}

bool authz_check(const apigw_event *ev, const caller *who, handler_result *out)
{
    const char *method = ev ? ev->http_method : NULL, *resource = ev ? ev->resource : NULL;
    const authz_route *r = authz_find(method, resource);
    char text[160];
    if (!r) {
        snprintf(text, sizeof text, "%.16s %.100s is not a route of this API", method ? method : "-",
                 resource ? resource : "-");
        forbidden(out, text, "route not in the route table");
        return false;
    }
    if (r->groups == AUTHZ_PUBLIC)
        return true;
    if (!who->signed_in) {
        authz_unauthorized(out);
        return false;
    }
    if (caller_in(who, r->groups))
        return true;
    char groups[64];
    authz_groups_text(r->groups, groups, sizeof groups);
    snprintf(text, sizeof text, "%s %s needs the %s group", r->method, r->resource, groups);
    forbidden(out, text, "caller not in the route's groups");
    return false;
}
