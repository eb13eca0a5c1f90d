# shellcheck shell=bash
# Helpers of the order tests (sourced after tests/lib/stack.sh).
#   ddb_scan TABLE [FILTER_JSON]   every item of a DynamoDB Local table, one JSON object a line (paginated
#                                  Scan, strongly consistent); uses DYNAMODB_PORT
#   order_body CONCERT Q [JQ_EXTRA]   a POST /orders body for Q tickets by "Ann Buyer", plus EXTRA (a jq object)
#   orders_stack_start   a private stack without demo data (stack_start --no-seed; GATEWAY_OPTS as usual; the
#                        caller traps stack_cleanup); sets DYNAMODB_PORT, api, key, T (the tables' prefix) and
#                        the curl arguments J (JSON body) and K (the operator key)
orders_stack_start() {
  stack_start --no-seed
  export DYNAMODB_PORT=$STACK_DDB_PORT
  api=$STACK_URL key=$STACK_TOKEN T=concert-ticket-system
  J=(-H 'Content-Type: application/json')
  K=(-H "Authorization: $key")
}
ddb_scan() {
  local table=$1 filter=${2:-'{}'} start='null' page
  while :; do
    page=$(jq -nc --arg t "$table" --argjson f "$filter" --argjson s "$start" \
      '{TableName: $t, ConsistentRead: true} + $f + (if $s == null then {} else {ExclusiveStartKey: $s} end)' |
      curl -sS -m 30 -X POST "http://127.0.0.1:${DYNAMODB_PORT:?}/" \
        --aws-sigv4 "aws:amz:us-east-1:dynamodb" --user local:local \
        -H 'X-Amz-Target: DynamoDB_20120810.Scan' -H 'Content-Type: application/x-amz-json-1.0' \
        --data-binary @-) || return 1
    jq -c '.Items // error("no Items") | .[]' <<<"$page" || return 1
    start=$(jq -c '.LastEvaluatedKey // null' <<<"$page")
    [ "$start" = "null" ] && break
  done
}

order_body() {
  local x=${3:-}
  [ -n "$x" ] || x='{}'
  jq -nc --arg c "$1" --argjson q "$2" --argjson x "$x" \
    '{concertId: $c, quantity: $q, customerName: "Ann Buyer", customerEmail: "ann@example.com"} + $x'
}
