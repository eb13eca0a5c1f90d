#ifndef GW_TABLES_H
#define GW_TABLES_H
/* Creates the DynamoDB tables of serverless.yml's `resources` that do not exist yet (DynamoDB
 * Local in practice) and waits until they are ACTIVE. Uses the DynamoDB client of ddb.h, configured
 * from the AWS_* environment. */
#include <stddef.h>
#include "gw_config.h"

/* 0 when every table exists and is ACTIVE (created ones are reported on stdout as JSON lines);
 * -1 with err filled otherwise. wait_ms bounds the wait for ACTIVE. */
int gw_tables_ensure(const gw_config *cfg, int wait_ms, char *err, size_t errlen);

#endif
