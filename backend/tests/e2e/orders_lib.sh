# shellcheck shell=bash
# Helpers of the order tests (sourced after tests/lib/stack.sh).
#   ddb_scan TABLE [FILTER_JSON]   every item of a DynamoDB Local table, one JSON object a line (paginated
#                                  Scan, strongly consistent); uses DYNAMODB_PORT
#   order_body CONCERT Q [JQ_EXTRA]   a POST /orders body for Q tickets by "Ann Buyer", plus EXTRA (a jq object)
#   pool_late CONCERT CAPACITY LEFT [POOLS]   a pooled concert (issue 19: created with CAPACITY >= 2,000) late in its
#                        on-sale, without selling the seats first on DynamoDB Local: its first POOLS (64) pools keep
#                        LEFT seats each and the rest counted sold (sold + available = each pool's share), the others
#                        none (BatchWriteItem on the counters table, as another writer would); uses DYNAMODB_PORT
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

# op_shift: the open shift of the operator signed in as $key (an ID token): opened when it has none (201), else the open one (409 names
# it): its id. A cash sale or refund needs a shift (issue 18).
op_shift() {
  curl -sS -m 30 -X POST "$api/shifts" -H 'Content-Type: application/json' -H "Authorization: $key" \
    --data-binary '{"terminal":"e2e","float":{"EUR":"0.00"}}' | jq -er '.id // .shift.id'
}

order_body() {
  local x=${3:-}
  [ -n "$x" ] || x='{}'
  jq -nc --arg c "$1" --argjson q "$2" --argjson x "$x" \
    '{concertId: $c, quantity: $q, customerName: "Ann Buyer", customerEmail: "ann@example.com"} + $x'
}

pool_late() {
  local cid=$1 cap=$2 left=$3 pools=${4:-64} answer
  for first in 0 25 50; do
    answer=$(jq -nc --arg t "concert-ticket-system-counters-dev" --arg c "$cid" --argjson cap "$cap" --argjson l "$left"         --argjson n "$pools" --argjson f "$first" '
      def share($k): ($cap / 64 | floor) + (if $k < ($cap % 64) then 1 else 0 end);
      {RequestItems: {($t): [range($f; [$f + 25, 64] | min) as $k
        | (if $k < $n then $l else 0 end) as $a
        | {PutRequest: {Item: {id: {S: "\($c)#\($k)"}, concertId: {S: $c}, shard: {N: ($k | tostring)},
            available: {N: ($a | tostring)}, sold: {N: (share($k) - $a | tostring)}, refunded: {N: "0"},
            admitted: {N: "0"}, revenueCard: {N: "0"}, revenueCash: {N: "0"}, revenueComp: {N: "0"}}}}]}}' |
      curl -sS -m 30 -X POST "http://127.0.0.1:${DYNAMODB_PORT:?}/" \
        --aws-sigv4 "aws:amz:us-east-1:dynamodb" --user local:local \
        -H 'X-Amz-Target: DynamoDB_20120810.BatchWriteItem' -H 'Content-Type: application/x-amz-json-1.0' \
        --data-binary @-) || return 1
    jq -e '(has("__type") | not) and ((.UnprocessedItems // {}) | length == 0)' <<<"$answer" >/dev/null ||
      { echo "pool_late: $answer" >&2; return 1; }
  done
}
