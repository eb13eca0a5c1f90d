#ifndef GW_TABLES_H
#define GW_TABLES_H
/* Creates the DynamoDB tables of serverless.yml's `resources` that do not exist yet (DynamoDB
 * Local in practice) and waits until they are ACTIVE; adds the global secondary indexes an existing
 * table lacks (a local state kept from before the index: UpdateTable, then waits until ACTIVE). Uses the DynamoDB client of ddb.h, configured
 * (ddb_config, not the environment) as the gateway's workers are: the endpoint given, the region of
 * serverless.yml, the local credentials GW_DDB_*. */
#include <stddef.h>
#include "gw_config.h"

/* 0 when every table exists and is ACTIVE (created ones are reported on stdout as JSON lines);
 * -1 with err filled otherwise. wait_ms bounds the wait for ACTIVE. */
int gw_tables_ensure(const gw_config *cfg, const char *ddb_endpoint, int wait_ms, char *err, size_t errlen);

#endif
