# shellcheck shell=bash
# Helpers for the tests of the deployed artifact, backend/build/bootstrap.zip (source it from the repo root):
# an Amazon-Linux-like root that holds nothing but glibc and the zip's contents, and one run of the
# zipped bootstrap in it through bench's Runtime API stub (rtstub), with the environment Lambda sets.
#
#   artifact_setup NAME            state dir ART (removed at exit), bench tools built, needs the zip; exits 77
#                                  with the reason when chroot is impossible (not root)
#   artifact_root DIR              DIR/usr/lib64 with glibc's own libraries copied from this machine
#                                  (ld-linux, libc, libm, libpthread, libdl, librt; /lib64 -> usr/lib64 as
#                                  on AL2023), the zip unpacked into DIR/var/task, and nothing else
#   artifact_tables                five private tables in the DynamoDB Local on DYNAMODB_PORT, named in
#                                  ART_CONCERTS / ART_TICKETS / ART_JOURNAL (the journal every change writes
#                                  to: key day + sk) / ART_OPERATORS (key sub: every operator's write checks
#                                  their item) / ART_COUNTERS (key id: a pooled concert's pools); deleted at exit
#   artifact_invoke DIR HANDLER EVENT_FILE [VAR=VALUE...]
#                                  one cold start + one invocation of concert-service.HANDLER in chroot DIR;
#                                  rtstub's JSON summary in ART_OUT, its stderr in ART_ERR, the function's
#                                  log in ART_LOG; returns rtstub's status
#   artifact_status                the statusCode of the last run's answer ("" when none)
ART_LAMBDA_PATH=/var/lang/lib:/lib64:/usr/lib64:/var/runtime:/var/runtime/lib:/var/task:/var/task/lib:/opt/lib
ART_ZIP=backend/build/bootstrap.zip

artifact_setup() {
  [ "$(id -u)" = 0 ] || { echo "skip: chroot needs root (the artifact tests run the zip in a glibc-only root)"; exit 77; }
  [ -f "$ART_ZIP" ] || { echo "FAIL: $ART_ZIP missing (make -C backend package)"; exit 1; }
  ART=$(mktemp -d "${TMPDIR:-/tmp}/boxoffice-$1.XXXXXX")
  ART_PIDS=()
  trap artifact_teardown EXIT
  make -s -C bench all >"$ART/build.log" 2>&1 || { cat "$ART/build.log"; exit 1; }
  ART_STUB_PORT=$(free_port) || { echo "FAIL: no free port"; exit 1; }
}

artifact_teardown() {
  local p
  for p in "${ART_PIDS[@]}"; do kill "$p" 2>/dev/null; done
  if [ -n "${ART_CONCERTS:-}" ]; then
    for t in "$ART_CONCERTS" "$ART_TICKETS" "$ART_JOURNAL" "$ART_OPERATORS" "$ART_COUNTERS"; do
      ddb_req "$DYNAMODB_PORT" DeleteTable "{\"TableName\":\"$t\"}" >/dev/null 2>&1
    done
  fi
  rm -rf "$ART"
}

artifact_root() {
  local dir=$1 lib src
  mkdir -p "$dir/usr/lib64" "$dir/var/task" "$dir/tmp"
  ln -s usr/lib64 "$dir/lib64"
  for lib in ld-linux-x86-64.so.2 libc.so.6 libm.so.6 libpthread.so.0 libdl.so.2 librt.so.1; do
    src=$(ldconfig -p | awk -v l="$lib" '$1 == l && /x86-64/ {print $NF; exit}')
    [ -n "$src" ] || src=/lib64/$lib
    cp -L "$src" "$dir/usr/lib64/$lib" || return 1
  done
  unzip -q "$ART_ZIP" -d "$dir/var/task"
}

artifact_tables() {
  [ -n "${DYNAMODB_PORT:-}" ] && _art_ddb_up || { echo "skip: no DynamoDB Local on DYNAMODB_PORT (run through scripts/run-tests.sh)"; exit 77; }
  ART_CONCERTS="artifact-$$-concerts"; ART_TICKETS="artifact-$$-tickets"; ART_JOURNAL="artifact-$$-journal"
  ART_OPERATORS="artifact-$$-operators"; ART_COUNTERS="artifact-$$-counters"
  ddb_create_table "$DYNAMODB_PORT" "$ART_CONCERTS" && ddb_create_table "$DYNAMODB_PORT" "$ART_TICKETS" &&
    ddb_create_table "$DYNAMODB_PORT" "$ART_COUNTERS" &&
    ddb_req "$DYNAMODB_PORT" CreateTable "{\"TableName\":\"$ART_JOURNAL\",\"AttributeDefinitions\":[{\"AttributeName\":\"day\",\"AttributeType\":\"S\"},{\"AttributeName\":\"sk\",\"AttributeType\":\"S\"}],\"KeySchema\":[{\"AttributeName\":\"day\",\"KeyType\":\"HASH\"},{\"AttributeName\":\"sk\",\"KeyType\":\"RANGE\"}],\"BillingMode\":\"PAY_PER_REQUEST\"}" >/dev/null &&
    ddb_req "$DYNAMODB_PORT" CreateTable "{\"TableName\":\"$ART_OPERATORS\",\"AttributeDefinitions\":[{\"AttributeName\":\"sub\",\"AttributeType\":\"S\"}],\"KeySchema\":[{\"AttributeName\":\"sub\",\"KeyType\":\"HASH\"}],\"BillingMode\":\"PAY_PER_REQUEST\"}" >/dev/null
}
_art_ddb_up() { scripts/ddb-local.sh ping "$DYNAMODB_PORT"; }

artifact_invoke() {
  local dir=$1 handler=$2 event=$3; shift 3
  ART_OUT="$ART/last.json"; ART_ERR="$ART/last.err"; ART_LOG="$ART/last.log"
  rm -f "$ART_OUT" "$ART_ERR" "$ART_LOG"
  # Exactly the variables Lambda sets for a provided.al2023 function (plus the function's own from
  # serverless.yml); rtstub adds AWS_LAMBDA_RUNTIME_API. chroot runs on this machine; inside the root
  # only the bootstrap runs.
  env -i PATH=/usr/local/bin:/usr/bin:/bin:/opt/bin LANG=en_US.UTF-8 TZ=:UTC \
    LD_LIBRARY_PATH="$ART_LAMBDA_PATH" LAMBDA_TASK_ROOT=/var/task LAMBDA_RUNTIME_DIR=/var/runtime \
    _HANDLER="concert-service.$handler" AWS_LAMBDA_FUNCTION_NAME="concert-service-dev-$handler" \
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE=128 AWS_LAMBDA_FUNCTION_VERSION='$LATEST' \
    AWS_LAMBDA_LOG_GROUP_NAME="/aws/lambda/concert-service-dev-$handler" AWS_LAMBDA_LOG_STREAM_NAME=local \
    AWS_LAMBDA_INITIALIZATION_TYPE=on-demand AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1 \
    AWS_ACCESS_KEY_ID=ASIALOCALTEST AWS_SECRET_ACCESS_KEY=local AWS_SESSION_TOKEN=local-session \
    AWS_XRAY_CONTEXT_MISSING=LOG_ERROR AWS_XRAY_DAEMON_ADDRESS=169.254.79.129:2000 \
    CONCERTS_TABLE="$ART_CONCERTS" TICKETS_TABLE="$ART_TICKETS" JOURNAL_TABLE="$ART_JOURNAL" \
    OPERATORS_TABLE="$ART_OPERATORS" COUNTERS_TABLE="$ART_COUNTERS" \
    AWS_ENDPOINT_URL_DYNAMODB="http://127.0.0.1:$DYNAMODB_PORT" "$@" \
    "$PWD/build/bench/rtstub" -p "$ART_STUB_PORT" -t 20 -j -o "$ART_LOG" -r 1 -n 1 -e "$event" -- \
    "$(command -v chroot)" "$dir" /var/task/bootstrap >"$ART_OUT" 2>"$ART_ERR"
}

artifact_status() {
  jq -r '.statuses | keys[0] // ""' "$ART_OUT" 2>/dev/null
}
