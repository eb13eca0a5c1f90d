# Helpers shared by scripts/bench.sh, scripts/check-memory.sh and the fault tests (source it; bash).
# They talk to DynamoDB Local straight over HTTP with curl (it does not check signatures).

# ddb_req PORT OPERATION JSON -> prints the answer; fails on a non-200 answer.
ddb_req() {
  local port=$1 op=$2 body=$3 out code
  out=$(curl -sS -m 30 -w '\n%{http_code}' -X POST "http://127.0.0.1:$port/" \
    -H "X-Amz-Target: DynamoDB_20120810.$op" -H 'Content-Type: application/x-amz-json-1.0' \
    -H 'Authorization: AWS4-HMAC-SHA256 Credential=local/20200101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0' \
    --data-binary "$body") || return 1
  code=${out##*$'\n'}
  printf '%s\n' "${out%$'\n'*}"
  [ "$code" = 200 ]
}

# ddb_create_table PORT NAME: a table keyed by id (S), on demand; no-op when it exists.
ddb_create_table() {
  ddb_req "$1" DescribeTable "{\"TableName\":\"$2\"}" >/dev/null 2>&1 && return 0
  ddb_req "$1" CreateTable "{\"TableName\":\"$2\",\"AttributeDefinitions\":[{\"AttributeName\":\"id\",\"AttributeType\":\"S\"}],\"KeySchema\":[{\"AttributeName\":\"id\",\"KeyType\":\"HASH\"}],\"BillingMode\":\"PAY_PER_REQUEST\"}" >/dev/null
}

# ddb_put_concert PORT TABLE ID SEATS [NAME]: writes a concert item the way the reference does.
ddb_put_concert() {
  local name=${5:-Bench Concert}
  ddb_req "$1" PutItem "{\"TableName\":\"$2\",\"Item\":{\"id\":{\"S\":\"$3\"},\"name\":{\"S\":\"$name\"},\"date\":{\"S\":\"2027-06-01T20:00:00Z\"},\"venue\":{\"S\":\"Bench Hall\"},\"availableTickets\":{\"N\":\"$4\"},\"ticketPrice\":{\"N\":\"49.99\"}}}" >/dev/null
}

# ddb_count PORT TABLE [FILTER_JSON_FRAGMENT]: number of items (Scan with Select COUNT, all pages).
ddb_count() {
  local port=$1 table=$2 extra=${3:-} total=0 start="" out n
  while :; do
    out=$(ddb_req "$port" Scan "{\"TableName\":\"$table\",\"Select\":\"COUNT\"${extra:+,$extra}${start:+,\"ExclusiveStartKey\":$start}}") || return 1
    n=$(jq -r '.Count' <<<"$out"); total=$((total + n))
    start=$(jq -c '.LastEvaluatedKey // empty' <<<"$out")
    [ -n "$start" ] || break
  done
  echo "$total"
}

# ddb_scan_ids PORT TABLE [FILTER_JSON_FRAGMENT]: the id of every item, one a line (all pages).
ddb_scan_ids() {
  local port=$1 table=$2 extra=${3:-} start="" out
  while :; do
    out=$(ddb_req "$port" Scan "{\"TableName\":\"$table\",\"ProjectionExpression\":\"id\"${extra:+,$extra}${start:+,\"ExclusiveStartKey\":$start}}") || return 1
    jq -r '.Items[].id.S' <<<"$out"
    start=$(jq -c '.LastEvaluatedKey // empty' <<<"$out")
    [ -n "$start" ] || break
  done
}

# ddb_scan_items PORT TABLE [FILTER_JSON_FRAGMENT]: every item as one JSON array (Scan, all pages: one page
# stops at 1 MB, which a table of a few thousand tickets passes).
ddb_scan_items() {
  local port=$1 table=$2 extra=${3:-} start="" out
  while :; do
    out=$(ddb_req "$port" Scan "{\"TableName\":\"$table\"${extra:+,$extra}${start:+,\"ExclusiveStartKey\":$start}}") || return 1
    jq -c '.Items[]' <<<"$out"
    start=$(jq -c '.LastEvaluatedKey // empty' <<<"$out")
    [ -n "$start" ] || break
  done | jq -s '{Items: .}'
}

# ddb_seats PORT TABLE ID: availableTickets of a concert (empty when absent).
ddb_seats() {
  ddb_req "$1" GetItem "{\"TableName\":\"$2\",\"Key\":{\"id\":{\"S\":\"$3\"}},\"ConsistentRead\":true}" \
    | jq -r '.Item.availableTickets.N // empty'
}

# api_event METHOD RESOURCE PATH [BODY] [PATH_ID]: an API Gateway REST (v1.0 proxy) event, as the gateway makes it.
api_event() {
  local method=$1 resource=$2 path=$3 body=${4:-} id=${5:-}
  jq -cn --arg m "$method" --arg r "$resource" --arg p "$path" --arg b "$body" --arg id "$id" '{
    resource: $r, path: $p, httpMethod: $m,
    headers: {"Content-Type": "application/json", "Host": "127.0.0.1", "User-Agent": "rtstub"},
    multiValueHeaders: {"Content-Type": ["application/json"], "Host": ["127.0.0.1"], "User-Agent": ["rtstub"]},
    queryStringParameters: null, multiValueQueryStringParameters: null,
    pathParameters: (if $id == "" then null else {id: $id} end), stageVariables: null,
    requestContext: {resourcePath: $r, httpMethod: $m, path: ("/dev" + $p), stage: "dev",
      requestId: "bench-request", accountId: "000000000000", apiId: "local",
      identity: {sourceIp: "127.0.0.1", userAgent: "rtstub"}, requestTimeEpoch: 0},
    body: (if $b == "" then null else $b end), isBase64Encoded: false}'
}
