#ifndef GW_CONFIG_H
#define GW_CONFIG_H
/* What the local gateway takes from serverless.yml (after variable resolution, see gw_yaml.h):
 * service, stage, region, the functions (handler, memory, timeout, environment), their http events
 * (routes, private flag, authorizer), the DynamoDB tables of `resources` as CreateTable requests and the
 * stage's UNAUTHORIZED GatewayResponse body.
 *
 * Ownership: gw_config_load/gw_config_from_text fill a gw_config the caller releases with
 * gw_config_free; every string and cJSON inside belongs to it. */
#include <stdbool.h>
#include <stddef.h>
#include <cjson/cJSON.h>
#include "gw_yaml.h"

/* DynamoDB Local accepts any credentials: the gateway's workers get these (as Lambda gives a function
 * its role's), and the gateway's own table creation uses them too. */
#define GW_DDB_ACCESS_KEY_ID "AKIALOCALGATEWAY0000"
#define GW_DDB_SECRET_ACCESS_KEY "local-gateway-secret"
#define GW_DDB_SESSION_TOKEN "local-gateway-session"

typedef struct gw_function {
    char *name;                /* key under functions:, e.g. "createConcert" */
    char *full_name;           /* as deployed: <service>-<stage>-<name> */
    char *handler;             /* "concert-service.createConcert" */
    int memory_mb;             /* function memorySize, else provider's, else 1024 (the framework's default) */
    int timeout_s;             /* function timeout, else provider's, else 6 */
    char **env;                /* "KEY=VALUE": provider environment, overridden by the function's */
    size_t n_env;
} gw_function;

/* An http event's `authorizer`, in the spellings Serverless v3 accepts for a REST API. */
typedef enum gw_authorizer {
    GW_AUTHZ_NONE = 0,
    GW_AUTHZ_COGNITO,          /* type COGNITO_USER_POOLS, or an arn of cognito-idp / of a resource
                                  AWS::Cognito::UserPool (Fn::GetAtt [Pool, Arn]) */
    GW_AUTHZ_UNSUPPORTED       /* aws_iam, a Lambda (function) authorizer: the local gateway cannot run
                                  them and refuses every request (401), failing closed */
} gw_authorizer;

typedef struct gw_route {
    char *resource;            /* "/concerts/{id}" (leading slash added) */
    char *method;              /* upper case, "ANY" for any/'*' */
    bool private_route;        /* private: true (needs x-api-key) */
    size_t fn;                 /* index into gw_config.functions */
    gw_authorizer authorizer;
} gw_route;

/* API Gateway's default body of a 401 (GatewayResponse UNAUTHORIZED without a template). */
#define GW_UNAUTHORIZED_DEFAULT "{\"message\":\"Unauthorized\"}"

typedef struct gw_config {
    char *service;
    char *stage;
    char *region;
    gw_function *functions;
    size_t n_functions;
    gw_route *routes;
    size_t n_routes;
    cJSON **tables;            /* CreateTable request bodies (TableName, AttributeDefinitions, ...) */
    size_t n_tables;
    char **api_keys;           /* key values written in the file (provider.apiGateway.apiKeys[].value) */
    size_t n_api_keys;
    size_t n_api_key_names;    /* number of keys declared (with or without a value) */
    char *unauthorized_body;   /* resources' AWS::ApiGateway::GatewayResponse of ResponseType UNAUTHORIZED:
                                  its application/json template, else GW_UNAUTHORIZED_DEFAULT */
} gw_config;

/* Loads the file, resolves its variables with opts, extracts the config. 0, or -1 with err filled. */
int gw_config_load(const char *path, const gw_yopts *opts, gw_config *out, char *err, size_t errlen);
/* The same from text in memory (unit tests). */
int gw_config_from_text(const char *text, size_t len, const gw_yopts *opts, gw_config *out, char *err, size_t errlen);
void gw_config_free(gw_config *cfg);                  /* zeroes it; a zeroed config is fine */

/* The function index with that name, or -1. */
int gw_config_function(const gw_config *cfg, const char *name);

#endif
