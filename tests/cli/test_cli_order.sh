#!/usr/bin/env bash
# boxoffice order / order show against the shared running stack (real gateway, real bootstrap, DynamoDB
# Local): an operator's cash order with change, the public route without a key, the same order again with
# its Idempotency-Key, order show with and without the key, and the exit codes of every refusal that can be
# provoked for real (1 usage, 2 only N left, 3 sold out, 4 unknown concert, 5 no key).
# Env: BOXOFFICE_API_URL, BOXOFFICE_USER/BOXOFFICE_PASSWORD, TEST_TOKEN (set by scripts/run-tests.sh). Exit 0 pass, 77 skip, 1 fail.
. "$(dirname "$0")/cli_lib.sh"
. "$root/tests/lib/stack.sh"   # ddb_count: the orders straight from DynamoDB Local
cli_need_shared_stack

cli_work cli-order
# the CLI talks to the API through the recording pass-through: its answers are checked against the contract
cli_record "$BOXOFFICE_API_URL"
CROCKFORD='^[0-9A-HJKMNP-TV-Z]{20}$'

tag="order-$$-$(date +%s)"
expect 0 "a concert of 6 seats at 12.50 EUR in Berlin" -- "$bin" --json create --name "Orders $tag" \
  --date 2094-04-01T19:00:00Z --venue "Hall O" --tickets 6 --price 12.50 --currency EUR --timezone Europe/Berlin \
  --max-per-order 5 || finish
cid=$(jq -r .id "$out")
expect 0 "show the new concert" -- "$bin" show "$cid"
ok "its time is shown in the venue's zone" grep -q "^When: *Thu 01 Apr 2094 21:00 CEST" "$out"
ok "its price with the currency" grep -q "^Price: *12.50 EUR" "$out"
ok "its per-order limit" grep -q "^Per order: *5" "$out"

# --- an operator's cash order: total, change, codes (0)
expect 0 "order 2 for cash, 30.00 tendered" -- "$bin" --json order "$cid" --quantity 2 --attendee "Ada" --attendee "Bob" \
  --pay cash --tendered 30
ok "the total is 25.00 and the change 5.00" j '.total == "25.00" and .payment.method == "cash" and .payment.change == "5.00"' "$out"
ok "two tickets with 20-character Crockford codes" j --arg re "$CROCKFORD" \
  '(.tickets | length) == 2 and all(.tickets[]; (.code | gsub("-"; "") | test($re)))' "$out"
ok "the names are on the tickets" j '[.tickets[].attendee] == ["Ada", "Bob"]' "$out"
ok "sold by the operator's key, not the public" j '.soldBy != "public"' "$out"
oid=$(jq -r .id "$out")
codes=$(jq -c '[.tickets[].code]' "$out")
ok "the seats went from 6 to 4" test "$(seats "$cid")" = 4

# --- order show (0 with the key, 5 without)
expect 0 "order show --json" -- "$bin" --json order show "$oid"
ok "order show gives the same codes, valid" j --argjson c "$codes" '[.tickets[].code] == $c and all(.tickets[]; .status == "valid")' "$out"
expect 0 "order show (text)" -- "$bin" order show "$oid"
first=$(jq -r '.[0]' <<<"$codes" | tr -d '-' | sed -E 's/(.{5})/\1-/g; s/-$//')
ok "the text shows the codes grouped" grep -qF "$first" "$out"
ok "the text shows the change due" grep -q "^Change due:  5.00" "$out"
expect 5 "order show without the key" -- "${nokey[@]}" "$bin" order show "$oid"
expect 4 "order show of an unknown order" -- "$bin" order show "no-such-order-$tag"

# --- the same order again with its key: the same order, no seat taken (0)
expect 0 "order with an Idempotency-Key" -- "$bin" --json order "$cid" --quantity 1 --pay card --idempotency-key "k-$tag"
first_id=$(jq -r .id "$out")
expect 0 "the same order again" -- "$bin" --json order "$cid" --quantity 1 --pay card --idempotency-key "k-$tag"
ok "the replay is the same order" test "$(jq -r .id "$out")" = "$first_id"
ok "one seat taken, not two" test "$(seats "$cid")" = 3

# --- the public route without a key (0; 1 for cash or without a name)
expect 0 "a public order (name, e-mail, card)" -- "${nokey[@]}" "$bin" --json order "$cid" --quantity 1 --name "Zoë $tag" \
  --email zoe@example.org --pay card
ok "sold by the public" j '.soldBy == "public" and .customerEmail == "zoe@example.org"' "$out"
expect 1 "cash without a key is refused before sending" -- "${nokey[@]}" "$bin" order "$cid" --quantity 1 --name Z \
  --email z@example.org --pay cash
expect 1 "a public order without an e-mail is refused before sending" -- "${nokey[@]}" "$bin" order "$cid" --quantity 1 --name Z
expect 1 "quantity 0" -- "$bin" order "$cid" --quantity 0
# fewer names than tickets: the server's rule (one name per ticket, or none), checked before anything is sent
orders_here() {
  [ -n "${DYNAMODB_PORT:-}" ] || { seats "$cid"; return; }
  ddb_count "concert-ticket-system-orders-${BOXOFFICE_API_URL##*/}" \
    "$(jq -nc --arg c "$cid" '{FilterExpression: "concertId = :c", ExpressionAttributeValues: {":c": {S: $c}}}')"
}
orders_before=$(orders_here)
expect 1 "one --attendee for two tickets is refused before sending" -- "$bin" order "$cid" --quantity 2 --attendee Ada \
  --pay card
ok "the message says one name per ticket" grep -q "one per ticket" "$err"
expect 1 "two --attendee for three tickets, on the public route too" -- "${nokey[@]}" "$bin" order "$cid" --quantity 3 \
  --name Z --email z@example.org --attendee Grace --attendee Hugo --pay card
ok "nothing reached the stack: its orders for the concert are as many as before" test "$(orders_here)" = "$orders_before"
expect 1 "tendered with card" -- "$bin" order "$cid" --quantity 1 --pay card --tendered 5

# --- amounts above a price: 3 x 1,000,000.00 for cash, 3,000,000.50 tendered; above the maximum refused before sending
expect 0 "a concert at the highest price" -- "$bin" --json create --name "Gala $tag" --date 2094-05-01T19:00:00Z \
  --venue "Hall G" --tickets 3 --price 1000000 --currency EUR --max-per-order 3 || finish
gala=$(jq -r .id "$out")
expect 0 "3 tickets for cash, 3000000.50 tendered" -- "$bin" --json order "$gala" --quantity 3 --pay cash --tendered 3000000.50
ok "the total is 3000000.00, tendered and change exact" \
  j '.total == "3000000.00" and .payment.tendered == "3000000.50" and .payment.change == "0.50"' "$out"
big=$(jq -r .id "$out")
expect 0 "order show of the large order" -- "$bin" --json order show "$big"
ok "order show gives the same amounts" j '.total == "3000000.00" and .payment.change == "0.50"' "$out"
api_total=$(curl -s -H "Authorization: $TEST_TOKEN" "${BOXOFFICE_API_URL%/}/orders/$big" | jq -r .total)
ok "the API stored the total exactly" test "$api_total" = "3000000.00"
expect 1 "tendered above 1000000000.00 is refused before sending" -- "$bin" order "$gala" --quantity 1 --pay cash \
  --tendered 1000000000.01
ok "the message states the maximum" grep -q "at most 1000000000.00" "$err"

# --- refusals: only N left (2), sold out (3), unknown concert (4)
expect 2 "more tickets than are left" -- "$bin" order "$cid" --quantity 5 --pay card
ok "the message says how many are left" grep -q "Only 2 tickets left" "$err"
expect 0 "the last two" -- "$bin" order "$cid" --quantity 2 --pay comp
expect 3 "sold out" -- "$bin" order "$cid" --quantity 1 --pay card
expect 4 "an unknown concert" -- "$bin" order "no-such-concert-$tag" --quantity 1 --pay card

finish
