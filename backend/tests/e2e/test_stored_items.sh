#!/usr/bin/env bash
# Items the Node.js reference lets anyone write into the shared tables, over HTTP through the real
# gateway and bootstrap, on a PRIVATE stack (the bad items would disturb the shared one):
#   - each value that cannot be read faithfully (seats "lots", 2.5, 99999999999999999999, -5,
#     9007199254740993; price 1e38, -10, 90000000000000.01, 49.999; an ESC in the id, the name or
#     the venue) -> GET /concerts/{id} 422 naming it (not a 503 "try again"), GET /concerts 200 with
#     the item and its "problems", POST /tickets 422 and nothing written;
#   - seats stored as a string {"S":"7"} -> shown as 7 and sold (6 left);
#   - an Idempotency-Key reused by another customer -> 409 telling nothing of the first purchase.
# The items are written straight into DynamoDB Local, as the reference would.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
source "$root/tests/lib/stack.sh"
trap stack_cleanup EXIT
stack_start --no-seed
api=$STACK_URL
export DYNAMODB_PORT=$STACK_DDB_PORT
concerts=concert-ticket-system-concerts-dev tickets=concert-ticket-system-tickets-dev
json=(-H 'Content-Type: application/json')

ddb() { # TARGET JSON -> the answer; fails on a DynamoDB error
  local out
  out=$(curl -sS -m 30 -X POST "http://127.0.0.1:$DYNAMODB_PORT/" -H "X-Amz-Target: DynamoDB_20120810.$1" \
    -H 'Content-Type: application/x-amz-json-1.0' \
    -H 'Authorization: AWS4-HMAC-SHA256 Credential=local/20200101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0' \
    --data-binary "$2")
  jq -e 'has("__type") | not' <<<"$out" >/dev/null || fail "DynamoDB $1: $out"
  printf '%s' "$out"
}
put_item() { # ID ATTRS_JSON (the attributes besides id, DynamoDB JSON)
  ddb PutItem "$(jq -nc --arg t "$concerts" --arg id "$1" --argjson a "$2" '{TableName: $t, Item: ({id: {S: $id}} + $a)}')" >/dev/null
}
get_item() { ddb GetItem "$(jq -nc --arg t "$concerts" --arg id "$1" '{TableName: $t, Key: {id: {S: $id}}, ConsistentRead: true}')"; }
base='{"name":{"S":"Stored by the reference"},"date":{"S":"2027-03-01"},"venue":{"S":"Hall"},"availableTickets":{"N":"5"},"ticketPrice":{"N":"10"}}'
buy() { jq -nc --arg c "$1" --arg n "${2:-Ann Buyer}" --arg e "${3:-ann@example.com}" '{concertId: $c, customerName: $n, customerEmail: $e}'; }

# case-id ¦ attributes replacing those of $base ¦ the expected problem
cases=(
  'seats-lots|{"availableTickets":{"S":"lots"}}|availableTickets: not a number'
  'seats-fraction|{"availableTickets":{"N":"2.5"}}|availableTickets: not a whole number'
  'seats-huge|{"availableTickets":{"N":"99999999999999999999"}}|availableTickets: more than 1000000'
  'seats-2p53|{"availableTickets":{"N":"9007199254740993"}}|availableTickets: more than 1000000'
  'seats-negative|{"availableTickets":{"N":"-5"}}|availableTickets: negative'
  'price-1e38|{"ticketPrice":{"N":"1E+38"}}|ticketPrice: more than 1000000'
  'price-negative|{"ticketPrice":{"N":"-10"}}|ticketPrice: negative'
  'price-huge|{"ticketPrice":{"N":"90000000000000.01"}}|ticketPrice: more than 1000000'
  'price-3-decimals|{"ticketPrice":{"N":"49.999"}}|ticketPrice: more than 2 decimals'
  'name-escape|{"name":{"S":"\u001b[2JFREE"}}|name: contains control characters'
  'venue-rtl|{"venue":{"S":"\u202eecilA"}}|venue: contains bidirectional control characters'
)
run=$$-$RANDOM
for c in "${cases[@]}"; do
  IFS='|' read -r name attrs problem <<<"$c"
  id="bad-$name-$run"
  put_item "$id" "$(jq -nc --argjson b "$base" --argjson a "$attrs" '$b + $a')"
  before=$(get_item "$id")

  echo "$name: GET -> 422 naming '$problem'"
  http GET "$api/concerts/$id"
  expect_status 422
  expect_json .error "Concert is stored malformed: $problem"
  expect_json '.problems | join(",")' "$problem"
  expect_json .id "$id"
  grep -qi '^retry-after:' <<<"$HTTP_HEADERS" && fail "$name: a permanent error with Retry-After"
  get_body=$HTTP_BODY

  echo "$name: POST /tickets -> the same 422, nothing written"
  http POST "$api/tickets" "${json[@]}" --data-binary "$(buy "$id")"
  expect_status 422
  expect_eq "$name: purchase answer" "$get_body" "$HTTP_BODY"
  n=$(ddb_count "$tickets" "$(jq -nc --arg c "$id" '{FilterExpression: "concertId = :c", ExpressionAttributeValues: {":c": {S: $c}}}')")
  expect_eq "$name: tickets written" 0 "$n"
  expect_eq "$name: concert item" "$before" "$(get_item "$id")"
done

echo "an ESC in the id: listed with its problem; GET and purchase refuse the id itself (400)"
esc_id=$(printf 'bad-id-\033[2J-%s' "$run")
put_item "$esc_id" "$base"
http GET "$api/concerts/$(jq -rn --arg s "$esc_id" '$s | @uri')"
expect_status 400
http POST "$api/tickets" "${json[@]}" --data-binary "$(buy "$esc_id")"
expect_status 400

echo "a valid concert, created through the API"
http POST "$api/concerts" "${json[@]}" -H "Authorization: $STACK_TOKEN" --data-binary \
  '{"name":"Fine","date":"2027-03-02","venue":"Hall","availableTickets":7,"ticketPrice":49.99}'
expect_status 201
good=$(jq -r .id <<<"$HTTP_BODY")

echo "GET /concerts -> 200 with every bad item marked, the valid one exactly as before"
http GET "$api/concerts"
expect_status 200
list=$HTTP_BODY
for c in "${cases[@]}"; do
  IFS='|' read -r name attrs problem <<<"$c"
  got=$(jq -r --arg id "bad-$name-$run" '.[] | select(.id == $id) | .problems | join(",")' <<<"$list")
  expect_eq "$name in the list" "$problem" "$got"
done
got=$(jq -r --arg id "$esc_id" '.[] | select(.id == $id) | .problems | join(",")' <<<"$list")
expect_eq "the ESC id in the list" "id: contains control characters" "$got"
expect_eq "the valid concert" \
  "{\"id\":\"$good\",\"name\":\"Fine\",\"date\":\"2027-03-02\",\"venue\":\"Hall\",\"availableTickets\":7,\"ticketPrice\":49.99,\"capacity\":7,\"currency\":\"EUR\",\"maxPerOrder\":10}" \
  "$(jq -c --arg id "$good" '.[] | select(.id == $id)' <<<"$list")"
expect_eq "concerts listed" $((${#cases[@]} + 2)) "$(jq length <<<"$list")"

echo "seats stored as a string: shown as 7, sold, 6 left"
sid="string-seats-$run"
put_item "$sid" "$(jq -nc --argjson b "$base" '$b + {availableTickets: {S: "7"}}')"
http GET "$api/concerts/$sid"
expect_status 200
expect_json .availableTickets 7
http POST "$api/tickets" "${json[@]}" --data-binary "$(buy "$sid")"
expect_status 201
http GET "$api/concerts/$sid"
expect_json .availableTickets 6

echo "an Idempotency-Key reused by another customer -> 409, nothing of the first purchase told"
ikey="shared-key-$run"
http POST "$api/tickets" "${json[@]}" -H "Idempotency-Key: $ikey" --data-binary "$(buy "$good" "Alice Example" alice@example.com)"
expect_status 201
t1=$(jq -r .id <<<"$HTTP_BODY")
http POST "$api/tickets" "${json[@]}" -H "Idempotency-Key: $ikey" --data-binary "$(buy "$good" "Bob Example" bob@example.com)"
expect_status 409
expect_eq "409 body" '{"error":"Idempotency-Key was already used for a different request"}' "$HTTP_BODY"
for secret in Alice alice@example.com "$t1"; do
  [[ "$HTTP_BODY" == *"$secret"* ]] && fail "the 409 reveals $secret"
done
http POST "$api/tickets" "${json[@]}" -H "Idempotency-Key: $ikey" --data-binary "$(buy "$good" "Alice Example" alice@example.com)"
expect_status 201
expect_json .id "$t1"
http GET "$api/concerts/$good"
expect_json .availableTickets 6
echo PASS
