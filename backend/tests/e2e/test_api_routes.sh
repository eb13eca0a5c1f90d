#!/usr/bin/env bash
# Every route of the concert API over HTTP, through local-gateway and the real bootstrap, against
# DynamoDB Local (the shared test stack): success and error answers, exact money, UTF-8 names.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
source "$root/tests/lib/stack.sh"
[ -n "${BOXOFFICE_API_URL:-}" ] || { echo "no shared stack (BOXOFFICE_API_URL unset)"; exit 77; }
api=$BOXOFFICE_API_URL key=$TEST_TOKEN
json=(-H 'Content-Type: application/json')

echo "POST /concerts with the operator key -> 201 and an id"
name="E2E Sigur Rós — Ágætis byrjun $$"
body=$(jq -nc --arg n "$name" '{name: $n, date: "2027-03-01T20:00:00Z", venue: "Harpa, Reykjavík", availableTickets: 3, ticketPrice: 49.99}')
http POST "$api/concerts" "${json[@]}" -H "Authorization: $key" --data-binary "$body"
expect_status 201
id=$(jq -r .id <<<"$HTTP_BODY")
[[ "$id" =~ ^[0-9a-f-]{36}$ ]] || fail "id '$id' is no uuid"
grep -qi '^content-type: application/json' <<<"$HTTP_HEADERS" || fail "no JSON content type: $HTTP_HEADERS"
grep -qi '^x-amzn-requestid: ' <<<"$HTTP_HEADERS" || fail "no x-amzn-RequestId header"

echo "GET /concerts/{id} -> 200, the same fields, price exact"
http GET "$api/concerts/$id"
expect_status 200
expect_json .id "$id"
expect_json .name "$name"
expect_json .venue "Harpa, Reykjavík"
expect_json .availableTickets 3
grep -q '"ticketPrice":49.99[,}]' <<<"$HTTP_BODY" || fail "price not exactly 49.99: $HTTP_BODY"

echo "GET /concerts -> 200, a JSON array containing it"
http GET "$api/concerts"
expect_status 200
expect_json 'type' array
[ "$(jq --arg id "$id" '[.[] | select(.id == $id)] | length' <<<"$HTTP_BODY")" = 1 ] || fail "new concert not listed"

echo "POST /concerts without a token / with a forged one / with an API key only -> 401 (the stage's GatewayResponse)"
unauthorized='Unauthorized: sign in as an operator (boxoffice login); an API key alone no longer authorizes'
http POST "$api/concerts" "${json[@]}" --data-binary "$body"
expect_status 401
expect_json .message "$unauthorized"
forged="${key%.*}.$(printf 'forged' | base64 | tr '+/' '-_' | tr -d '=')"
http POST "$api/concerts" "${json[@]}" -H "Authorization: $forged" --data-binary "$body"
expect_status 401
expect_json .message "$unauthorized"
http POST "$api/concerts" "${json[@]}" -H "x-api-key: $key" --data-binary "$body"
expect_status 401
expect_json .message "$unauthorized"

echo "POST /concerts with bad input -> 400 naming the field"
http POST "$api/concerts" "${json[@]}" -H "Authorization: $key" --data-binary 'not json'
expect_status 400
jq -e '.error | type == "string" and length > 0' <<<"$HTTP_BODY" >/dev/null || fail "no error message: $HTTP_BODY"
http POST "$api/concerts" "${json[@]}" -H "Authorization: $key" \
  --data-binary '{"date":"2027-03-01","venue":"X","availableTickets":1,"ticketPrice":1}'
expect_status 400
grep -q name <<<"$HTTP_BODY" || fail "error does not name the field: $HTTP_BODY"
http POST "$api/concerts" "${json[@]}" -H "Authorization: $key" \
  --data-binary '{"name":"X","date":"2027-03-01","venue":"X","availableTickets":1,"ticketPrice":1.999}'
expect_status 400
grep -q ticketPrice <<<"$HTTP_BODY" || fail "error does not name ticketPrice: $HTTP_BODY"

echo "GET /concerts/{unknown} -> 404"
http GET "$api/concerts/00000000-0000-4000-8000-000000000000"
expect_status 404
jq -e '.error | length > 0' <<<"$HTTP_BODY" >/dev/null || fail "404 without error message"

echo "POST /tickets -> 201, one seat taken"
buy() { jq -nc --arg c "$1" '{concertId: $c, customerName: "Zoë Müller", customerEmail: "zoe@example.com"}'; }
http POST "$api/tickets" "${json[@]}" --data-binary "$(buy "$id")"
expect_status 201
tid=$(jq -r .id <<<"$HTTP_BODY")
[ -n "$tid" ] && [ "$tid" != null ] || fail "no ticket id: $HTTP_BODY"
http GET "$api/concerts/$id"
expect_json .availableTickets 2

echo "POST /tickets until sold out -> 400 No tickets available"
http POST "$api/tickets" "${json[@]}" --data-binary "$(buy "$id")"; expect_status 201
http POST "$api/tickets" "${json[@]}" --data-binary "$(buy "$id")"; expect_status 201
http POST "$api/tickets" "${json[@]}" --data-binary "$(buy "$id")"
expect_status 400
expect_json .error "No tickets available"
http GET "$api/concerts/$id"
expect_json .availableTickets 0

echo "POST /tickets for an unknown concert -> 404; bad input -> 400"
http POST "$api/tickets" "${json[@]}" --data-binary "$(buy 00000000-0000-4000-8000-00000000abcd)"
expect_status 404
http POST "$api/tickets" "${json[@]}" --data-binary "$(jq -nc --arg c "$id" '{concertId: $c, customerName: "A", customerEmail: "not-an-email"}')"
expect_status 400
grep -q customerEmail <<<"$HTTP_BODY" || fail "error does not name customerEmail: $HTTP_BODY"
http POST "$api/tickets" "${json[@]}"
expect_status 400

echo "the ticket items are in DynamoDB Local, as the reference writes them"
n=$(ddb_count concert-ticket-system-tickets-dev "$(jq -nc --arg c "$id" '{FilterExpression: "concertId = :c", ExpressionAttributeValues: {":c": {S: $c}}}')")
expect_eq "ticket items for the concert" 3 "$n"
echo PASS
