#!/usr/bin/env bash
# Finding orders again on a private stack, over HTTP: GET /orders?email=|name= (a prefix, case- and
# accent-insensitive, customers alphabetically and each one's orders newest first, concertId filter,
# cursor pages), GET /tickets/by-code/{code} (any case, with or without hyphens), and the ticket states in
# GET /orders/{id} (checkedInAt, door, refundedAt). Bad input answers 400, a missing key 403.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
source "$root/tests/lib/stack.sh"
source "$root/backend/tests/e2e/orders_lib.sh"
trap stack_cleanup EXIT
stack_start --no-seed
export DYNAMODB_PORT=$STACK_DDB_PORT
api=$STACK_URL key=$STACK_KEY T=concert-ticket-system
J=(-H 'Content-Type: application/json')
K=(-H "x-api-key: $key")

concert() { # NAME -> id
  http POST "$api/concerts" "${J[@]}" "${K[@]}" --data-binary \
    "$(jq -nc --arg n "$1" '{name: $n, date: "2027-06-01T19:00:00Z", venue: "Hall", availableTickets: 500, ticketPrice: 20}')"
  expect_status 201
  jq -r .id <<<"$HTTP_BODY"
}
order() { # CONCERT Q NAME EMAIL -> the order JSON (NAME/EMAIL "" = without)
  http POST "$api/box-office/orders" "${J[@]}" "${K[@]}" --data-binary \
    "$(jq -nc --arg c "$1" --argjson q "$2" --arg n "$3" --arg e "$4" \
      '{concertId: $c, quantity: $q, payment: {method: "cash"}} + (if $n == "" then {} else {customerName: $n} end)
       + (if $e == "" then {} else {customerEmail: $e} end)')"
  expect_status 201
  echo "$HTTP_BODY"
}
find() { # QUERY (already URL-encoded) -> sets HTTP_*
  http GET "$api/orders?$1" "${K[@]}"
}
ids() { jq -r '[.orders[].id] | join(" ")' <<<"$HTTP_BODY"; }

c1=$(concert "Lookup night")
c2=$(concert "Other night")
z1=$(order "$c1" 2 "Zoë Müller" "Zoe.Muller@Example.com" | jq -r .id)
z2=$(order "$c2" 1 "Zoë Müller" "Zoe.Muller@Example.com" | jq -r .id)
z3json=$(order "$c1" 3 "Zoë Müller" "Zoe.Muller@Example.com")
z3=$(jq -r .id <<<"$z3json")
za=$(order "$c1" 1 "Zoe  Adams" "zadams@example.com" | jq -r .id)
an=$(order "$c2" 1 "Ann O'Brien" "ann@example.com" | jq -r .id)
walk=$(order "$c1" 1 "" "" | jq -r .id)

echo "by e-mail: the whole address in another case gives that customer's orders, newest first"
find "email=ZOE.MULLER%40example.COM"
expect_status 200
expect_eq "orders of zoe.muller@example.com" "$z3 $z2 $z1" "$(ids)"
expect_json 'has("cursor")' false
expect_json '.orders[0] | [.customerName, .customerEmail, .concertId, .quantity, .payment.method] | @csv' \
  "\"Zoë Müller\",\"Zoe.Muller@Example.com\",\"$c1\",3,\"cash\""
expect_json '.orders[0] | has("tickets")' false

echo "by name: accents and case do not matter; customers alphabetically, runs of spaces/punctuation are one space"
find "name=zoe"
expect_eq "name zoe" "$za $z3 $z2 $z1" "$(ids)"
find "name=ZO%C3%8B%20%20m%C3%BC"
expect_eq "name ZOË  mü" "$z3 $z2 $z1" "$(ids)"
find "name=zoe%20adams"
expect_eq "name zoe adams" "$za" "$(ids)"
find "name=ann%20o%20b"
expect_eq "name ann o b (O'Brien)" "$an" "$(ids)"
find "email=zo&concertId=$c1"
expect_eq "e-mail zo at concert 1" "$z3 $z1" "$(ids)"

echo "pages of 2 neither repeat nor skip"
find "name=zo&limit=2"
got=$(ids)
cursor=$(jq -r .cursor <<<"$HTTP_BODY")
[ "$cursor" != null ] || fail "a full page must carry a cursor"
find "name=zo&limit=2&cursor=$cursor"
expect_status 200
got="$got $(ids)"
expect_eq "two pages" "$za $z3 $z2 $z1" "$got"
c3=$(jq -r '.cursor // ""' <<<"$HTTP_BODY")
if [ -n "$c3" ]; then
  find "name=zo&limit=2&cursor=$c3"
  expect_status 200
  expect_json '.orders | length' 0
  expect_json 'has("cursor")' false
fi

echo "bad input: a foreign, edited or malformed cursor, a short prefix, both or neither key, bad limit"
find "name=zoe&limit=2&cursor=$cursor"
expect_status 400
expect_json .error "Bad cursor"
find "email=zo&limit=2&cursor=$cursor"
expect_status 400
expect_json .error "Bad cursor"
edited=$(sed 's/.\(................\)$/x\1/' <<<"$cursor")
find "name=zo&limit=2&cursor=$edited"
expect_status 400
expect_json .error "Bad cursor"
find "name=zo&cursor=garbage"
expect_status 400
expect_json .error "Bad cursor"
find "name=%C3%8B%20"
expect_status 400
expect_json .error "Type at least 2 characters of the name or e-mail"
find "name=%20-%20"
expect_status 400
find "name=zo&email=zo"
expect_status 400
find "concertId=$c1"
expect_status 400
find "name=zo&limit=0"
expect_status 400
find "name=zo&limit=51"
expect_status 400
http GET "$api/orders?name=zoe"
expect_status 403

echo "walk-up orders (no name, no e-mail) are in neither index"
named=$(ddb_scan $T-orders-dev '{"IndexName": "byName", "ConsistentRead": false}' | jq -r '.id.S' | sort | tr '\n' ' ')
expect_eq "orders in byName" "$(printf '%s\n' "$z1" "$z2" "$z3" "$za" "$an" | sort | tr '\n' ' ')" "$named"
[ "$(ddb_scan $T-orders-dev '{"IndexName": "byEmail", "ConsistentRead": false}' | jq -r '.id.S' | grep -c "$walk" || true)" = 0 ] ||
  fail "the walk-up order is in byEmail"

echo "by code: lower case, without hyphens"
code=$(jq -r '.tickets[1].code' <<<"$z3json") tid=$(jq -r '.tickets[1].id' <<<"$z3json")
http GET "$api/tickets/by-code/$(tr -d '-' <<<"$code" | tr 'A-Z' 'a-z')" "${K[@]}"
expect_status 200
expect_json '[.ticket.id, .ticket.code, .ticket.status, .order.id, .concert.id, .concert.name] | @csv' \
  "\"$tid\",\"$code\",\"valid\",\"$z3\",\"$c1\",\"Lookup night\""
expect_json '.order | has("tickets")' false
http GET "$api/tickets/by-code/$code" "${K[@]}"
expect_status 200
expect_json .ticket.id "$tid"
http GET "$api/tickets/by-code/00000-00000-00000-00000" "${K[@]}"
expect_status 404
expect_json .error "Unknown code"
http GET "$api/tickets/by-code/not-a-code" "${K[@]}"
expect_status 400
http GET "$api/tickets/by-code/$code"
expect_status 403

echo "GET /orders/{id}: a ticket's check-in (at, door) and refund (at)"
http POST "$api/checkins" "${J[@]}" "${K[@]}" --data-binary \
  "$(jq -nc --arg c "$code" --arg k "$c1" '{code: $c, concertId: $k, nonce: "n-1", door: "Gate 2"}')"
expect_status 200
t0=$(jq -r '.tickets[0].id' <<<"$z3json")
http POST "$api/orders/$z3/refund" "${J[@]}" "${K[@]}" --data-binary \
  "$(jq -nc --arg t "$t0" '{ticketIds: [$t], reason: "ill"}')"
expect_status 200
http GET "$api/orders/$z3" "${K[@]}"
expect_status 200
expect_json '.tickets[1] | [.status, .door, (.checkedInAt | test("^20[0-9-]+T[0-9:.]+Z$"))] | @csv' '"checkedIn","Gate 2",true'
expect_json '.tickets[0] | [.status, (.refundedAt | test("^20[0-9-]+T[0-9:.]+Z$")), has("door")] | @csv' '"refunded",true,false'
expect_json '.tickets[2] | [.status, has("checkedInAt"), has("refundedAt")] | @csv' '"valid",false,false'
http GET "$api/tickets/by-code/$code" "${K[@]}"
expect_json '[.ticket.status, .ticket.door, .order.admitted] | @csv' '"checkedIn","Gate 2",1'

echo "a local state from before the indexes: --create-tables adds them to the existing orders table"
ddb() { # OPERATION JSON -> the answer
  curl -sS -m 30 -X POST "http://127.0.0.1:$STACK_DDB_PORT/" --aws-sigv4 "aws:amz:us-east-1:dynamodb" --user local:local \
    -H "X-Amz-Target: DynamoDB_20120810.$1" -H 'Content-Type: application/x-amz-json-1.0' --data-binary "$2"
}
old=$T-orders-legacy
ddb CreateTable "$(jq -nc --arg t "$old" '{TableName: $t, BillingMode: "PAY_PER_REQUEST",
  AttributeDefinitions: [{AttributeName: "id", AttributeType: "S"}], KeySchema: [{AttributeName: "id", KeyType: "HASH"}]}')" |
  jq -e .TableDescription >/dev/null || fail "CreateTable $old"
"$root/backend/build/local-gateway" --config "$root/backend/serverless.yml" --stage legacy \
  --dynamodb-endpoint "http://127.0.0.1:$STACK_DDB_PORT" --create-tables >"$STACK_DIR/legacy.log" 2>&1 ||
  { cat "$STACK_DIR/legacy.log"; fail "--create-tables on a state without the indexes"; }
HTTP_BODY=$(ddb DescribeTable "$(jq -nc --arg t "$old" '{TableName: $t}')")
expect_json '[.Table.GlobalSecondaryIndexes[] | .IndexName + ":" + (.IndexStatus // "ACTIVE")] | sort | join(" ")' \
  "byEmail:ACTIVE byName:ACTIVE"
grep -q '"event":"index_created"' "$STACK_DIR/legacy.log" || fail "no index_created line in $(cat "$STACK_DIR/legacy.log")"

echo "test_lookup: ok"
