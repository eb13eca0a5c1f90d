#!/usr/bin/env bash
# Records the client cannot show faithfully, written straight into DynamoDB Local of a PRIVATE stack
# (past the API's validation): the catalogue still lists (exit 0) with each bad record marked and
# explained, a bad record is never sold while a good one still sells, ids with ESC or U+202E reach the
# terminal cleaned (plain) or escaped (--json, still exact), and --json show returns a 10,000-character
# name whole; --json show, list, order show and checkin write stored texts exactly as the API gives them
# (controls and bidi characters escaped, never cleaned) and whole (200-character names and refund reason,
# a 64-character door). Exit 0 pass, 77 skip, 1 fail.
. "$(dirname "$0")/cli_lib.sh"
cli_need_bin
for t in jq curl; do command -v "$t" >/dev/null || { echo "skip: $t is not installed"; exit 77; }; done
source "$root/tests/lib/stack.sh"
source "$root/tests/lib/venue_time.sh"
cli_work cli-bad stack_cleanup
CLI_TIMEOUT=60

stack_start --no-seed || fail "the private stack did not start"
export BOXOFFICE_API_URL=$STACK_URL DYNAMODB_PORT=$STACK_DDB_PORT LOCAL_STATE_DIR=$STACK_DIR
# the CLI talks to the API through the recording pass-through: its answers are checked against the contract
cli_record "$STACK_URL"
table=$(curl -sS -X POST "http://127.0.0.1:$DYNAMODB_PORT/" --aws-sigv4 "aws:amz:us-east-1:dynamodb" --user local:local \
  -H 'X-Amz-Target: DynamoDB_20120810.ListTables' -H 'Content-Type: application/x-amz-json-1.0' -d '{}' |
  jq -r '.TableNames[] | select(endswith("-concerts-dev") or contains("-concerts-"))' | head -n 1)
[ -n "$table" ] || fail "no concerts table in the private DynamoDB Local"

# put ID NAME DATE SEATS PRICE: one raw item (numbers as DynamoDB N text, unchecked)
put() {
  ddb_put "$table" "$(jq -nc --arg id "$1" --arg n "$2" --arg d "$3" --arg s "$4" --arg p "$5" \
    '{id:{S:$id}, name:{S:$n}, date:{S:$d}, venue:{S:"Hall"}, availableTickets:{N:$s}, ticketPrice:{N:$p}}')" \
    || fail "could not put $1"
}
esc_id=$'esc\e[31mid' bidi_id=$'bidi\u202eid'
long=$(printf 'Long%.0s' $(seq 1 2500))   # 10,000 characters
put good-1 "Good One" 2094-01-01 5 10
put good-2 "Good Two" 2094-01-02 5 12.5
put neg-seats "Negative Seats" 2094-01-03 -5 10
put huge-seats "Huge Seats" 2094-01-04 9007199254740993 10
put neg-price "Negative Price" 2094-01-05 5 -10
put huge-price "Huge Price" 2094-01-06 5 90000000000000.01
put "$esc_id" "Escape Id" 2094-01-07 5 10
put "$bidi_id" "Bidi Id" 2094-01-08 5 10
put long-name "$long" 2094-01-09 5 10
total=9

# no ESC, no C1, no bidi control in what reached the terminal
terminal_safe() { ! LC_ALL=C grep -qP '\x1b|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]' "$out" "$err"; }
seats_in_db() { curl -sS "$STACK_URL/concerts" | jq -r --arg id "$1" '.[] | select(.id == $id) | .availableTickets'; }

# --- list: all listed, bad ones marked with what is wrong
expect 0 "list with bad records" -- "$bin" list
ok "every concert is listed" grep -q "^$total concerts; 6 damaged" "$out"
ok "good ones are listed with their seats (a day without a time stays that day)" \
  grep -Eq "^$(venue_time_short 2094-01-01 UTC) +Good One .* 5 +good-1$" "$out"
# the client's own words ("negative (-5)") or the server's when it names the problem ("negative")
ok "negative seats are marked" grep -q "^! neg-seats: availableTickets: negative" "$out"
ok "2^53+1 seats are marked" grep -Eq "^! huge-seats: availableTickets: (over 1,000,000|more than 1000000)" "$out"
ok "a negative price is marked" grep -q "^! neg-price: ticketPrice: negative" "$out"
ok "an inexact price is marked" grep -Eq "^! huge-price: ticketPrice: (over 1,000,000.00|more than 1000000)" "$out"
ok "the ESC id is marked, cleaned" grep -q "^! escid: id: " "$out"
ok "the U+202E id is marked, cleaned" grep -q "^! bidiid: id: " "$out"
ok "list prints no escape or bidi character" terminal_safe

expect 0 "--json list with bad records" -- "$bin" --json list
ok "--json list has every concert" j --argjson n "$total" 'length == $n' "$out"
ok "--json marks the bad ones with problems, the good ones without" \
  j '([.[] | select(has("problems"))] | length) == 6 and ([.[] | select(.id | startswith("good")) | has("problems")] | all(. == false))' "$out"
ok "--json: a value it cannot hold is null, with the problem" \
  j '.[] | select(.id == "neg-seats") | .availableTickets == null and (.problems[0] | startswith("availableTickets: negative"))' "$out"
ok "--json keeps the exact ids" j --arg e "$esc_id" --arg b "$bidi_id" '[.[].id] | index($e) != null and index($b) != null' "$out"
ok "--json escapes them (\\u001b, \\u202e)" bash -c "grep -qF '\"esc\\u001b[31mid\"' '$out' && grep -qF '\"bidi\\u202eid\"' '$out'"
ok "--json list prints no escape or bidi character" terminal_safe

# --- show
expect 0 "show the U+202E id" -- "$bin" show "$bidi_id"
ok "show prints the id cleaned and says why it is not for sale" bash -c "grep -q '^ID: *bidiid$' '$out' && grep -q 'Not for sale' '$out'"
ok "show prints no bidi character" terminal_safe
expect 0 "--json show the U+202E id" -- "$bin" --json show "$bidi_id"
ok "--json show keeps the exact id, escaped" bash -c "jq -e --arg b '$bidi_id' '.id == \$b' '$out' >/dev/null && grep -qF '\\u202e' '$out'"
ok "--json show prints no bidi character" terminal_safe
expect 0 "--json show a 10,000-character name" -- "$bin" --json show long-name
ok "the name comes back whole" j --arg n "$long" '.name == $n and (.name | length) == 10000' "$out"

# --- buy: the bad one refused before anything is sold, a good one still sells
expect 2 "buy a concert with a negative price" -- "$bin" buy neg-price --name "Ada Lovelace" --email ada@example.com
ok "the refusal says why" bash -c "grep -q 'Not for sale' '$err' && grep -q 'ticketPrice: negative' '$err'"
ok "no seat was taken" test "$(seats_in_db neg-price)" = 5
expect 2 "buy a concert with 2^53+1 seats" -- "$bin" --json buy huge-seats --name "Ada Lovelace" --email ada@example.com
ok "--json refusal reports exit code 2" j '.exitCode == 2' "$out"
expect 0 "buy a good concert" -- "$bin" buy good-1 --name "Ada Lovelace" --email ada@example.com
ok "the good sale took one seat" test "$(seats_in_db good-1)" = 4

# --- --json keeps stored texts exact (escaped, never cleaned) and whole (never cut)
ddb_put "$table" "$(jq -nc --arg n $'tab\there\rCR\nLF' --arg d $'2027-01-09\e[5m' --arg v $'\u202eDLROW OLLEH\u202c bidi' \
  '{id:{S:"texts"}, name:{S:$n}, date:{S:$d}, venue:{S:$v}, availableTickets:{N:"5"}, ticketPrice:{N:"10"}}')" \
  || fail "could not put texts"
curl -sS "$STACK_URL/concerts/texts" >"$work/api-texts.json"
expect 0 "--json show a concert with control and bidi characters in its texts" -- "$bin" --json show texts
ok "--json show gives name, date and venue exactly as the API" \
  j --slurpfile api "$work/api-texts.json" '.name == $api[0].name and .date == $api[0].date and .venue == $api[0].venue' "$out"
ok "--json show escapes them" bash -c "grep -qF '\"tab\\there\\rCR\\nLF\"' '$out' && grep -qF '2027-01-09\\u001b[5m' '$out' && grep -qF '\\u202eDLROW OLLEH\\u202c bidi' '$out'"
ok "--json show prints no escape or bidi character" terminal_safe
expect 0 "--json list with them" -- "$bin" --json list
ok "--json list gives them exactly as the API" \
  j --slurpfile api "$work/api-texts.json" '.[] | select(.id == "texts") | .name == $api[0].name and .date == $api[0].date and .venue == $api[0].venue' "$out"
ok "--json list prints no escape or bidi character" terminal_safe

# the longest texts the API accepts: 200-character names, a 64-character door (2 bytes a character)
name200=$(printf 'é%.0s' $(seq 1 200)) door64=$(printf 'ü%.0s' $(seq 1 64))
put orders-1 "Orders One" 2094-02-01 10 10
expect 0 "an order with 200-character names" -- "$bin" --json order orders-1 --quantity 2 --name "$name200" \
  --attendee "$name200" --attendee "Ada" --pay comp
oid=$(jq -r .id "$out"); code1=$(jq -r '.tickets[0].code' "$out"); cp "$out" "$work/order-1.json"
ok "the order's names come back whole" j --arg n "$name200" '.customerName == $n and .tickets[0].attendee == $n' "$out"
expect 0 "check in its first ticket at a 64-character door" -- "$bin" --json checkin orders-1 "$code1" --door "$door64"
ok "checkin gives the attendee, the customer and the door whole" \
  j --arg n "$name200" --arg d "$door64" '.attendee == $n and .customerName == $n and .door == $d' "$out"
expect 0 "find the ticket by its code" -- "$bin" --json find --code "$code1"
ok "find gives the attendee and the door whole" \
  j --arg n "$name200" --arg d "$door64" '.ticket.attendee == $n and .ticket.door == $d and .order.customerName == $n' "$out"
t2=$(jq -r '.tickets[1].id' "$work/order-1.json")
expect 0 "refund its second ticket with a 200-character reason" -- "$bin" --json refund "$oid" --tickets "$t2" \
  --reason "$name200"
ok "the refund's reason comes back whole" j --arg n "$name200" '.refunds[0].reason == $n' "$out"
# a stored attendee with ESC, U+202E and a C1 control, past the API's validation
orders_table=${table/-concerts-/-orders-}
mallory=$'Mal\e[31mlory\u202e\u009b2J'
jq -nc --arg t "$orders_table" --arg id "$oid" --arg a "$mallory" \
  '{TableName:$t, Key:{id:{S:$id}}, UpdateExpression:"SET attendees[1] = :a", ExpressionAttributeValues:{":a":{S:$a}}}' |
  curl -sS -m 30 -X POST "http://127.0.0.1:$DYNAMODB_PORT/" --aws-sigv4 "aws:amz:us-east-1:dynamodb" --user local:local \
    -H 'X-Amz-Target: DynamoDB_20120810.UpdateItem' -H 'Content-Type: application/x-amz-json-1.0' --data-binary @- |
  jq -e 'has("__type") | not' >/dev/null || fail "could not update the order's attendees"
curl -sS -H "Authorization: $STACK_TOKEN" "$STACK_URL/orders/$oid" >"$work/api-order.json"
ok "the API returns the stored attendee" j --arg m "$mallory" '.tickets[1].attendee == $m' "$work/api-order.json"
expect 0 "--json order show" -- "$bin" --json order show "$oid"
ok "--json order show gives every text exactly as the API" j --slurpfile api "$work/api-order.json" \
  '.customerName == $api[0].customerName and ([.tickets[] | .attendee, .door] == [$api[0].tickets[] | .attendee, .door])
   and .refunds == $api[0].refunds' "$out"
ok "the door and the names are whole" \
  j --arg n "$name200" --arg d "$door64" '.tickets[0].door == $d and .tickets[0].attendee == $n and .customerName == $n' "$out"
ok "--json order show escapes the stored controls" bash -c "grep -qF 'Mal\\u001b[31mlory\\u202e\\u009b2J' '$out'"
ok "--json order show prints no escape, C1 or bidi character" terminal_safe

# --- a pooled concert (issue 19: capacity >= 2,000, its seats in 64 pools of the counters table) whose pool
# another writer broke: listed, marked with the server's problem, never sold; its shards out of range likewise
counters_table=${table/-concerts-/-counters-}
pooled=$(curl -sS -m 30 -X POST "$STACK_URL/concerts" -H "Authorization: $STACK_TOKEN" -H 'Content-Type: application/json' \
  -d '{"name":"Pooled Broken","date":"2094-03-01T19:00:00Z","venue":"Arena","availableTickets":2000,"ticketPrice":20}' | jq -r .id)
[ -n "$pooled" ] && [ "$pooled" != null ] || fail "could not create the pooled concert"
ddb_put "$counters_table" "$(jq -nc --arg c "$pooled" '{id:{S:"\($c)#5"}, concertId:{S:$c}, shard:{N:"5"},
  available:{S:"lots"}, sold:{N:"0"}, refunded:{N:"0"}, admitted:{N:"0"}, revenueCard:{N:"0"}, revenueCash:{N:"0"},
  revenueComp:{N:"0"}}')" || fail "could not break pool 5"
expect 0 "list with a pooled concert whose pool is broken" -- "$bin" list
ok "the pooled concert is marked with the pool's problem" grep -q "^! $pooled: availableTickets: a seat pool" "$out"
ok "the good ones are still listed" grep -Eq "Good One .* good-1$" "$out"
expect 2 "buy the pooled concert whose pool is broken" -- "$bin" buy "$pooled" --name "Ada Lovelace" --email ada@example.com
ok "the refusal says why" bash -c "grep -q 'Not for sale' '$err' && grep -q 'seat pool' '$err'"
ok "nothing was sold from its pools" test "$(ddb_count "$counters_table" "$(jq -nc --arg c "$pooled" \
  '{FilterExpression: "concertId = :c and sold <> :z", ExpressionAttributeValues: {":c": {S: $c}, ":z": {N: "0"}}}')")" = 0
item=$(curl -sS -m 30 -X POST "http://127.0.0.1:$DYNAMODB_PORT/" --aws-sigv4 "aws:amz:us-east-1:dynamodb" --user local:local \
  -H 'X-Amz-Target: DynamoDB_20120810.GetItem' -H 'Content-Type: application/x-amz-json-1.0' \
  -d "$(jq -nc --arg t "$table" --arg c "$pooled" '{TableName: $t, Key: {id: {S: $c}}}')" | jq -c '.Item | .shards = {N: "65"}')
ddb_put "$table" "$item" || fail "could not rewrite the pooled concert's shards"
expect 0 "show a pooled concert whose shards are out of range" -- "$bin" show "$pooled"
ok "show says why it is not for sale" bash -c "grep -q 'Not for sale' '$out' && grep -q 'shards' '$out'"
ok "show prints no escape or bidi character" terminal_safe

finish
