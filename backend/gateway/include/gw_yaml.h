#ifndef GW_YAML_H
#define GW_YAML_H
/* A small YAML document tree (libyaml underneath) and the Serverless Framework variables the local
 * gateway needs: ${self:a.b}, ${opt:stage}, ${opt:region}, ${sls:stage}, ${env:NAME}, with fallbacks
 * ("${opt:stage, 'dev'}", "${opt:region, self:provider.region}") and nesting ("${opt:stage, ${self:x}}").
 *
 * Ownership: gw_yaml_parse/gw_yaml_load return a tree owned by the caller, freed with gw_yaml_free.
 * Lookup functions return borrowed pointers into the tree. */
#include <stdbool.h>
#include <stddef.h>

typedef enum gw_ytype { GW_Y_SCALAR, GW_Y_MAP, GW_Y_SEQ } gw_ytype;

typedef struct gw_ynode {
    gw_ytype type;
    char *scalar;              /* GW_Y_SCALAR: the text (owned, NUL-terminated) */
    bool quoted;               /* scalar was written in quotes (never a number/bool) */
    size_t line;               /* 1-based line of the node in the source, for messages */
    size_t n;                  /* number of children (map entries or sequence items) */
    char **keys;               /* GW_Y_MAP: keys[i] owned; NULL for sequences */
    struct gw_ynode **items;   /* children, owned */
} gw_ynode;

/* Parses one YAML document. Aliases are not supported (error). NULL on failure, err says why. */
gw_ynode *gw_yaml_parse(const char *text, size_t len, char *err, size_t errlen);
/* Reads and parses a file (at most 1 MiB). NULL on failure, err says why. */
gw_ynode *gw_yaml_load(const char *path, char *err, size_t errlen);
void gw_yaml_free(gw_ynode *n);          /* NULL is fine */

/* The child of a map with that key, or NULL (also when map is NULL or no map). */
const gw_ynode *gw_yaml_child(const gw_ynode *map, const char *key);
/* Follows a dotted path ("provider.environment.CONCERTS_TABLE"; numbers index sequences). */
const gw_ynode *gw_yaml_get(const gw_ynode *root, const char *path);
/* The scalar text at path, or NULL when absent or not a scalar. */
const char *gw_yaml_str(const gw_ynode *root, const char *path);

/* Options of the `serverless` command line the file may refer to with ${opt:...}. */
typedef struct gw_yopts {
    const char *stage;         /* --stage, or NULL */
    const char *region;        /* --region, or NULL */
    const char *user_pool_id;  /* the local user pool's id (from --cognito-issuer), or NULL: what an
                                  environment value {Ref: <an AWS::Cognito::UserPool resource>} becomes */
} gw_yopts;

/* Replaces every variable in every scalar of the tree, in place. A variable that cannot be
 * resolved (unknown source such as ${ssm:...}, missing option without fallback) is left as written
 * and counted in *unresolved (may be NULL); the values the gateway uses are checked by its caller.
 * Returns 0, or -1 on a malformed variable / reference loop / out of memory with err filled. */
int gw_yaml_resolve(gw_ynode *root, const gw_yopts *opts, size_t *unresolved, char *err, size_t errlen);

/* Resolves the variables of one string against root (the tree may itself hold variables; they are
 * resolved on the way). Returns a new string owned by the caller (free()), or NULL when some
 * variable could not be resolved or on error (err filled). */
char *gw_yaml_expand(const gw_ynode *root, const gw_yopts *opts, const char *text, char *err, size_t errlen);

#endif
