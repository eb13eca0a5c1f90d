#!/usr/bin/env bash
# Finding orders again on a private stack, over HTTP, with 10,000 orders in the table: GET /orders?email=|name=
# (a prefix, case- and accent-insensitive, customers alphabetically and each one's orders newest first,
# concertId filter, cursor pages that neither repeat nor skip), GET /tickets/by-code/{code} (any case, with or
# without hyphens), and the ticket states in GET /orders/{id} (checkedInAt, door, refundedAt). Bad input
# answers 400, a missing key 403. Most of the 10,000 orders are written straight into DynamoDB Local by
# lookup-seed (the items createOrder writes, built by the same code: store_order_item_fill), the rest through
# the API; the customers the checks look for never share a prefix with the seeded ones beyond the bucket.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
source "$root/tests/lib/stack.sh"
source "$root/backend/tests/e2e/orders_lib.sh"
trap stack_cleanup EXIT
orders_stack_start

concert() { # NAME -> id
  http POST "$api/concerts" "${J[@]}" "${K[@]}" --data-binary \
    "$(jq -nc --arg n "$1" '{name: $n, date: "2027-06-01T19:00:00Z", venue: "Hall", availableTickets: 500, ticketPrice: 20}')"
  expect_status 201
  jq -r .id <<<"$HTTP_BODY"
}
order() { # CONCERT Q NAME EMAIL -> the order JSON (NAME/EMAIL "" = without)
  http POST "$api/box-office/orders" "${J[@]}" "${K[@]}" --data-binary \
    "$(jq -nc --arg c "$1" --argjson q "$2" --arg n "$3" --arg e "$4" --arg s "$(op_shift)" \
      '{concertId: $c, quantity: $q, payment: {method: "cash"}, shiftId: $s} + (if $n == "" then {} else {customerName: $n} end)
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

echo "10,000 orders: the seeded crowd (names and e-mails that share buckets with the customers below)"
seed=$root/backend/build/tests/tools/lookup-seed
[ -x "$seed" ] || fail "$seed is missing (make -C backend tests)"
awk -v c1="$c1" -v c2="$c2" 'BEGIN {
  split("ba ke lo mi nu pa ri so tu ve zo an", a, " "); split("ran lin tos mek dor vil", b, " ")
  split("Müller Okafor Ñúñez Łukasz Søren Dubois Ætt Smith", s, " "); split("muller okafor nunez lukasz soren dubois aett smith", e, " ")
  n = 0
  for (i = 0; n < 9700; i++) {
    f = a[i % 12 + 1] b[int(i / 12) % 6 + 1]; k = int(i / 72) % 8 + 1; q = i % 5 + 1; n += q
    printf "%d\t%s\t%s %s\t%s.%s%d@example.org\n", q, (i % 2 ? c1 : c2), toupper(substr(f, 1, 1)) substr(f, 2), s[k], f, e[k], i
  }
  printf "120\t%s\tPàgé Tèster\tpager@example.com\n", c1
  printf "100\t%s\tPàgé Tèster\tpager@example.com\n", c2
  printf "80\t%s\tPàgé Tèster\tpager@example.com\n", c1
}' >"$STACK_DIR/seed.tsv"
AWS_ENDPOINT_URL_DYNAMODB="http://127.0.0.1:$STACK_DDB_PORT" AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=local \
  AWS_SECRET_ACCESS_KEY=local "$seed" $T-orders-dev 4 <"$STACK_DIR/seed.tsv" >"$STACK_DIR/seeded.tsv" ||
  fail "lookup-seed failed"
pager_lines=$(($(wc -l <"$STACK_DIR/seed.tsv") - 2))   # the pager's three spec lines are the last
pager_all=$(awk -F'\t' -v l="$pager_lines" '$3 >= l {print $1}' "$STACK_DIR/seeded.tsv")
pager_c2=$(awk -F'\t' -v l="$pager_lines" '$3 == l + 1 {print $1}' "$STACK_DIR/seeded.tsv")
expect_eq "pager orders seeded" 300 "$(wc -l <<<"$pager_all")"

echo "... and 60 orders of one customer through the API, 6 at a time"
seq 60 | xargs -P 6 -I{} curl -sS -m 60 -o /dev/null -w '%{http_code}\n' -X POST "$api/box-office/orders" "${J[@]}" "${K[@]}" \
  --data-binary "$(jq -nc --arg c "$c1" '{concertId: $c, quantity: 1, customerName: "Ümit Çelik", customerEmail: "umit@example.net"}')" \
  >"$STACK_DIR/api-orders.txt"
expect_eq "60 orders through the API" "60" "$(grep -c '^201$' "$STACK_DIR/api-orders.txt")"
z1=$(order "$c1" 2 "Zoë Müller" "Zoe.Muller@Example.com" | jq -r .id)
z2=$(order "$c2" 1 "Zoë Müller" "Zoe.Muller@Example.com" | jq -r .id)
z3json=$(order "$c1" 3 "Zoë Müller" "Zoe.Muller@Example.com")
z3=$(jq -r .id <<<"$z3json")
za=$(order "$c1" 1 "Zoe  Adams" "zadams@example.com" | jq -r .id)
an=$(order "$c2" 1 "Ann O'Brien" "ann@example.com" | jq -r .id)
walkup=$(order "$c1" 1 "" "" | jq -r .id)

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
find "email=zoe&concertId=$c1"
expect_eq "e-mail zoe at concert 1" "$z3 $z1" "$(ids)"

echo "pages of 2 neither repeat nor skip"
find "name=zoe&limit=2"
got=$(ids)
cursor=$(jq -r .cursor <<<"$HTTP_BODY")
[ "$cursor" != null ] || fail "a full page must carry a cursor"
find "name=zoe&limit=2&cursor=$cursor"
expect_status 200
got="$got $(ids)"
expect_eq "two pages" "$za $z3 $z2 $z1" "$got"
c3=$(jq -r '.cursor // ""' <<<"$HTTP_BODY")
if [ -n "$c3" ]; then
  find "name=zoe&limit=2&cursor=$c3"
  expect_status 200
  expect_json '.orders | length' 0
  expect_json 'has("cursor")' false
fi

walk() { # QUERY LIMIT -> every page's order ids, one a line, in the answers' order (fails on a repeated cursor)
  local q=$1 limit=$2 cursor="" pages=0
  while :; do
    find "$q&limit=$limit${cursor:+&cursor=$cursor}"
    [ "$HTTP_STATUS" = 200 ] || fail "page $pages of $q: HTTP $HTTP_STATUS ${HTTP_BODY:0:200}"
    [ "$(jq '.orders | length' <<<"$HTTP_BODY")" -le "$limit" ] || fail "page longer than $limit"
    jq -r '.orders[] | .id + "\t" + .createdAt + "\t" + .concertId + "\t" + (.customerName // "-")' <<<"$HTTP_BODY"
    cursor=$(jq -r '.cursor // ""' <<<"$HTTP_BODY")
    pages=$((pages + 1))
    [ -n "$cursor" ] || break
    [ $pages -lt 400 ] || fail "more than 400 pages for $q"
  done
}
total=$(ddb_count $T-orders-dev)
[ "$total" -ge 10000 ] || fail "only $total orders in the table"
echo "with $total orders: a customer's 300 orders page by page, newest first, none repeated or skipped"
walk "email=PAGER%40Example.com" 50 >"$STACK_DIR/pager-email.tsv"
expect_eq "pager by e-mail" "$pager_all" "$(cut -f1 "$STACK_DIR/pager-email.tsv")"
walk "name=p%C3%A0g%C3%A9%20T" 17 >"$STACK_DIR/pager-name.tsv"
expect_eq "pager by name, pages of 17" "$pager_all" "$(cut -f1 "$STACK_DIR/pager-name.tsv")"
walk "name=PAGE&concertId=$c2" 30 >"$STACK_DIR/pager-c2.tsv"
expect_eq "pager at concert 2" "$pager_c2" "$(cut -f1 "$STACK_DIR/pager-c2.tsv")"
walk "email=umit%40" 7 >"$STACK_DIR/umit.tsv"
expect_eq "the API's 60 orders" "60 60" "$(cut -f1 "$STACK_DIR/umit.tsv" | sort -u | wc -l) $(wc -l <"$STACK_DIR/umit.tsv")"
expect_eq "the API's 60 orders newest first" "$(cut -f2 "$STACK_DIR/umit.tsv" | sort -r)" "$(cut -f2 "$STACK_DIR/umit.tsv")"
ddb_scan $T-orders-dev '{"FilterExpression": "customerEmail = :e", "ExpressionAttributeValues": {":e": {"S": "umit@example.net"}}}' |
  jq -r '.id.S' | sort >"$STACK_DIR/umit-table.txt"
expect_eq "the API's 60 orders as in the table" "$(cat "$STACK_DIR/umit-table.txt")" "$(cut -f1 "$STACK_DIR/umit.tsv" | sort)"
find "name=%C3%BCmit%20%C3%A7"
expect_json '[.orders[].customerName] | unique | join(",")' "Ümit Çelik"
echo "a crowd's bucket: every answer starts with the prefix, customers alphabetically"
walk "name=zo" 50 >"$STACK_DIR/zo.tsv"
zo_seeded=$(awk -F'\t' '$3 ~ /^Zo/ {n += $1} END {print n}' "$STACK_DIR/seed.tsv")
expect_eq "orders named zo*" "$((zo_seeded + 4))" "$(wc -l <"$STACK_DIR/zo.tsv")"
# the names of this test folded by hand (accents of the seeded surnames, runs of spaces)
fold_names() { awk '{ s = tolower($0); gsub(/ë/, "e", s); gsub(/ü/, "u", s); gsub(/ñ|Ñ/, "n", s); gsub(/ú/, "u", s)
  gsub(/ł|Ł/, "l", s); gsub(/ø/, "o", s); gsub(/æ|Æ/, "ae", s); gsub(/ +/, " ", s); print s }'; }
awk -F'\t' '{print $4}' "$STACK_DIR/zo.tsv" | fold_names >"$STACK_DIR/zo-names.txt"
awk '{ if ($0 !~ /^zo/) { print "not zo*: " $0; exit 1 } }' "$STACK_DIR/zo-names.txt" || fail "an answer outside the prefix"
uniq "$STACK_DIR/zo-names.txt" >"$STACK_DIR/zo-runs.txt"
[ "$(wc -l <"$STACK_DIR/zo-runs.txt")" -ge 10 ] || fail "expected many customers named zo*, got $(cat "$STACK_DIR/zo-runs.txt")"
expect_eq "each customer's orders together" "$(sort -u "$STACK_DIR/zo-runs.txt" | wc -l)" "$(wc -l <"$STACK_DIR/zo-runs.txt")"
LC_ALL=C sort -c "$STACK_DIR/zo-runs.txt" || fail "customers not in alphabetical order: $(head -5 "$STACK_DIR/zo-runs.txt")"
paste "$STACK_DIR/zo-names.txt" <(cut -f2 "$STACK_DIR/zo.tsv") |
  awk -F'\t' '$1 == name && $2 > at { print "older before newer: " $0; exit 1 } { name = $1; at = $2 }' ||
  fail "a customer's orders not newest first"

echo "bad input: a foreign, edited or malformed cursor, a short prefix, both or neither key, bad limit"
find "name=zoe%20m&limit=2&cursor=$cursor"
expect_status 400
expect_json .error "Bad cursor"
find "email=zoe&limit=2&cursor=$cursor"
expect_status 400
expect_json .error "Bad cursor"
edited=$(sed 's/.\(................\)$/x\1/' <<<"$cursor")
find "name=zoe&limit=2&cursor=$edited"
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
# the contract's maxLength 1024 counts characters: 600 x "é" (1200 bytes) is a search, 1025 characters are not
find "name=$(printf 'e%.0s' $(seq 1) ; printf '%%C3%%A9%.0s' $(seq 600))"
expect_status 200
find "email=$(printf 'a%.0s' $(seq 1025))"
expect_status 400
expect_json .error "email= and name= must be at most 1024 characters"
http GET "$api/orders?name=zoe"
expect_status 403

echo "walk-up orders (no name, no e-mail) are in neither index"
in_index() { ddb_scan $T-orders-dev "{\"IndexName\": \"$1\", \"ConsistentRead\": false}" | jq -r '.id.S' | sort; }
in_index byName >"$STACK_DIR/byname.txt"
in_index byEmail >"$STACK_DIR/byemail.txt"
ddb_scan $T-orders-dev | jq -r '.id.S' | sort >"$STACK_DIR/all.txt"
expect_eq "orders not in byName" "$walkup" "$(comm -23 "$STACK_DIR/all.txt" "$STACK_DIR/byname.txt")"
expect_eq "orders not in byEmail" "$walkup" "$(comm -23 "$STACK_DIR/all.txt" "$STACK_DIR/byemail.txt")"

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
  "$(jq -nc --arg t "$t0" --arg s "$(op_shift)" '{ticketIds: [$t], reason: "ill", shiftId: $s}')"
expect_status 200
http GET "$api/orders/$z3" "${K[@]}"
expect_status 200
expect_json '.tickets[1] | [.status, .door, (.checkedInAt | test("^20[0-9-]+T[0-9:.]+Z$"))] | @csv' '"checkedIn","Gate 2",true'
expect_json '.tickets[0] | [.status, (.refundedAt | test("^20[0-9-]+T[0-9:.]+Z$")), has("door")] | @csv' '"refunded",true,false'
expect_json '.tickets[2] | [.status, has("checkedInAt"), has("refundedAt")] | @csv' '"valid",false,false'
http GET "$api/tickets/by-code/$code" "${K[@]}"
expect_json '[.ticket.status, .ticket.door, .order.admitted] | @csv' '"checkedIn","Gate 2",1'

echo "an order sold before the indexes (no lookup keys) is found once lookup-backfill gave it its keys"
# a real order of the layout before the indexes: sold through the API, then its four lookup keys removed
old=$(order "$c1" 1 "Ödön Old" "Odon.Old@Example.com" | jq -r .id)
remove_keys() { # TABLE ID ATTRIBUTES: an item as written before its lookup keys
  local answer
  answer=$(jq -nc --arg t "$1" --arg id "$2" --arg a "$3" '{TableName: $t, Key: {id: {S: $id}}, UpdateExpression: "REMOVE \($a)"}' |
    curl -sS -m 30 -X POST "http://127.0.0.1:$STACK_DDB_PORT/" --aws-sigv4 "aws:amz:us-east-1:dynamodb" --user local:local \
      -H 'X-Amz-Target: DynamoDB_20120810.UpdateItem' -H 'Content-Type: application/x-amz-json-1.0' --data-binary @-) ||
    fail "cannot remove the lookup keys of $2"
  jq -e 'has("__type") | not' <<<"$answer" >/dev/null || fail "UpdateItem: $answer"
}
remove_keys $T-orders-dev "$old" "emailKey, emailSort, nameKey, nameSort"
find "email=odon.old"
expect_eq "an order without keys" "" "$(ids)"
backfill() { AWS_ENDPOINT_URL_DYNAMODB="http://127.0.0.1:$STACK_DDB_PORT" AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=local \
  AWS_SECRET_ACCESS_KEY=local "$root/backend/build/lookup-backfill" $T-orders-dev "$@"; }
out=$(backfill) || fail "lookup-backfill: $out"
expect_eq "backfilled" 1 "$(jq -r .updated <<<"$out")"
find "email=ODON.OLD%40example.com"
expect_eq "the old order by e-mail" "$old" "$(ids)"
find "name=odon%20o"
expect_eq "the old order by name" "$old" "$(ids)"
out=$(backfill) || fail "lookup-backfill again: $out"
expect_eq "a second run changes nothing" "0 $(jq -r .scanned <<<"$out")" "$(jq -r '"\(.updated) \(.alreadyKeyed + .withoutCustomer)"' <<<"$out")"

echo "a ticket holder's name finds the order (once per person), saying which holder matched; customers come first"
holder_order() { # CUSTOMER ATTENDEES-JSON -> the order id
  http POST "$api/box-office/orders" "${J[@]}" "${K[@]}" --data-binary "$(jq -nc --arg c "$c1" --arg n "$1" \
    --argjson a "$2" --arg s "$(op_shift)" '{concertId: $c, quantity: ($a | length), customerName: $n, attendees: $a, payment: {method: "cash"}, shiftId: $s}')"
  expect_status 201
  jq -r .id <<<"$HTTP_BODY"
}
hq=$(holder_order "Hana Holder" '["Hana Holder", "Quirin Quast", "Quirin Quast"]')
qz=$(holder_order "Quirin Zed" '["Quirin Zed"]')
find "name=quirin%20q"
expect_eq "Quirin Quast holds two tickets of one order" "$hq" "$(ids)"
expect_json '.orders[0] | [.customerName, .matchedAttendee] | @csv' '"Hana Holder","Quirin Quast"'
find "name=hana%20h"
expect_eq "the customer's own name on a ticket: found as the customer" "$hq" "$(ids)"
expect_json '.orders[0] | has("matchedAttendee")' false
find "name=QUIRIN&limit=1"
expect_eq "the customer first" "$qz" "$(ids)"
cursor=$(jq -r '.cursor // ""' <<<"$HTTP_BODY")
[ -n "$cursor" ] || fail "a full page must carry a cursor"
find "name=QUIRIN&limit=1&cursor=$cursor"
expect_status 200
expect_eq "then the ticket holder" "$hq" "$(ids)"
expect_json '.orders[0].matchedAttendee' "Quirin Quast"
cursor=$(jq -r '.cursor // ""' <<<"$HTTP_BODY")
if [ -n "$cursor" ]; then
  find "name=QUIRIN&limit=1&cursor=$cursor"
  expect_json '.orders | length' 0
fi
find "name=quirin&concertId=$c2"
expect_eq "not at the other concert" "" "$(ids)"
echo "... and a ticket sold before the holders' index is found once lookup-backfill gave it its keys"
tq=$(http GET "$api/orders/$hq" "${K[@]}"; jq -r '.tickets[1].id' <<<"$HTTP_BODY")
remove_keys $T-tickets-dev "$tq" "nameKey, nameSort"
find "name=quirin%20q"
expect_eq "a holder without keys" "" "$(ids)"
out=$(backfill $T-tickets-dev) || fail "lookup-backfill with the tickets: $out"
expect_eq "one holder backfilled" 1 "$(jq -r .holdersUpdated <<<"$out")"
find "name=quirin%20q"
expect_eq "the holder found again" "$hq" "$(ids)"
out=$(backfill $T-tickets-dev) || fail "lookup-backfill with the tickets again: $out"
expect_eq "a second run changes nothing" 0 "$(jq -r '.updated + .holdersUpdated' <<<"$out")"

echo "neither a code nor an e-mail searched for is in the logs (gateway access lines, the function's lines)"
sleep 0.5   # the access line of the last answer is written once it is sent
for secret in "$code" "$(tr -d '-' <<<"$code" | tr 'A-Z' 'a-z')" "${code:6:11}" ZOE.MULLER zoe.muller PAGER pager%40; do
  if grep -qiF -- "$secret" "$STACK_DIR/gateway.log"; then
    grep -iF -- "$secret" "$STACK_DIR/gateway.log" | head -3
    fail "'$secret' is in the log"
  fi
done
grep -q '"path":"/tickets/by-code/{code}"' "$STACK_DIR/gateway.log" || fail "no access line of GET /tickets/by-code"

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
