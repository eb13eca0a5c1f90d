#!/usr/bin/env bash
# boxoffice find / refund against the shared running stack (real gateway, real bootstrap, DynamoDB Local):
# an order found by its customer's e-mail, by the name in another case without its accent, and by a ticket's
# code; one ticket refunded (its seat back on sale), the same refund again with its key (refunds once), the
# refunded ticket refused by name and state (exit 2), the rest refunded by default, and the exit codes of the
# refusals that can be provoked for real (1 usage, 2 too short, 4 unknown order and code, 5 no key, 6 down).
# A refund with no --tickets after one of 3 cash tickets was admitted says what the server refunded (2
# tickets, 25.00, by cash; --json: "refund"), never 3 / 37.50; a refund's key reused for another ticket
# is refused (exit 2, nothing refunded).
# Env: BOXOFFICE_API_URL, BOXOFFICE_USER/BOXOFFICE_PASSWORD, TEST_TOKEN (set by scripts/run-tests.sh). Exit 0 pass, 77 skip, 1 fail.
. "$(dirname "$0")/cli_lib.sh"
cli_need_shared_stack
# the shared stack's gateway log (the access log and the functions' lines): no code or e-mail in full
gw_log=${LOCAL_STATE_DIR:+$LOCAL_STATE_DIR/gateway.log}

cli_work cli-find
# the CLI talks to the API through the recording pass-through: its answers are checked against the contract
cli_record "$BOXOFFICE_API_URL"

tag="f$$x$(date +%s)"
email="zoe.$tag@example.org"
expect 0 "a concert of 5 seats at 12.50 EUR in Berlin" -- "$bin" --json create --name "Find $tag" \
  --date 2094-05-01T19:00:00Z --venue "Hall F" --tickets 5 --price 12.50 --currency EUR --timezone Europe/Berlin || finish
cid=$(jq -r .id "$out")
expect 0 "Zoë buys 3 tickets by card" -- "$bin" --json order "$cid" --quantity 3 --name "Zoë Find-$tag" \
  --email "$email" --pay card || finish
oid=$(jq -r .id "$out")
t1=$(jq -r '.tickets[0].id' "$out"); t2=$(jq -r '.tickets[1].id' "$out")
code1=$(jq -r '.tickets[0].code' "$out")
[ "$(seats "$cid")" = 2 ] || { echo "FAIL: 2 seats should be left"; exit 1; }

# --- find
expect 0 "find by the whole e-mail" -- "$bin" find --email "$email"
ok "the table lists the order" grep -q "^$oid " "$out"
ok "with its customer and total" grep -q "Zoë Find-$tag.*$email.* 3 .*37.50 EUR" "$out"
ok "one order" grep -q "^1 order$" "$out"
expect 0 "find by an e-mail prefix in upper case, as JSON" -- "$bin" --json find --email "ZOE.$tag@" --concert "$cid"
ok "the JSON holds the order, without tickets" j --arg o "$oid" '.orders | length == 1 and .[0].id == $o and (.[0] | has("tickets") | not)' "$out"
expect 0 "find by the name without its accent, in capitals" -- "$bin" --json find --name "ZOE FIND $tag"
ok "the order is found" j --arg o "$oid" 'any(.orders[]; .id == $o)' "$out"
expect 0 "find with a limit of 1" -- "$bin" --json find --email "$email" --limit 1
ok "one order at most" j '.orders | length <= 1' "$out"
expect 0 "find by a ticket's code, typed in lower case without dashes" -- "$bin" find --code "$(tr -d - <<<"$code1" | tr A-Z a-z)"
ok "the ticket and its order are shown" grep -q "^Order: *$oid" "$out"
ok "the ticket is valid" grep -q "^Status: *valid" "$out"
expect 4 "an unknown code" -- "$bin" find --code 00000-00000-00000-00000
expect 1 "text that is not a code is refused before sending" -- "$bin" find --code "not a code"
expect 2 "a one-letter name is refused by the server" -- "$bin" find --name z
ok "with the server's reason" grep -q "at least 2 characters" "$err"
expect 5 "find without the operator key" -- "${nokey[@]}" "$bin" find --email "$email"
expect 1 "find needs one of --email, --name, --code" -- "$bin" find --email "$email" --name zoe

# --- refund
expect 0 "refund the first ticket with a key" -- "$bin" --json refund "$oid" --tickets "$t1" --reason "Ill, cannot come" \
  --idempotency-key "rf-$tag"
ok "the first ticket is refunded, the others valid" j --arg t "$t1" \
  '[.tickets[] | select(.id == $t) | .status] == ["refunded"] and ([.tickets[] | select(.status == "valid")] | length) == 2' "$out"
ok "its seat is back on sale" test "$(seats "$cid")" = 3
expect 0 "the same refund again with the same key" -- "$bin" refund "$oid" --tickets "$t1" --reason "Ill, cannot come" \
  --idempotency-key "rf-$tag"
ok "refunds once: still 3 seats" test "$(seats "$cid")" = 3
ok "the order shows one refund of 12.50 EUR" grep -q "^Refunded: *12.50 EUR (1 refund)" "$out"
expect 2 "refunding the refunded ticket again (a new key)" -- "$bin" refund "$oid" --tickets "$t1,$t2" --reason again
ok "names the ticket and its state" grep -q "ticket $t1: refunded" "$err"
ok "nothing changed: still 3 seats" test "$(seats "$cid")" = 3
expect 0 "find shows the refund" -- "$bin" find --email "$email"
ok "refunded 12.50 in the state column" grep -q "refunded 12.50" "$out"
expect 0 "refund the rest (no --tickets: every valid one), money back in cash" -- "$bin" --json refund "$oid" \
  --reason "Event moved" --method cash
ok "every ticket is refunded" j '[.tickets[].status] == ["refunded","refunded","refunded"]' "$out"
ok "all 5 seats are back" test "$(seats "$cid")" = 5
expect 2 "nothing left to refund" -- "$bin" refund "$oid" --reason "again"
expect 0 "order show: two refunds, 37.50 EUR" -- "$bin" order show "$oid"
ok "the refunds add up" grep -q "^Refunded: *37.50 EUR (2 refunds)" "$out"
expect 4 "an unknown order" -- "$bin" refund "00000000-0000-4000-8000-000000000000" --reason x
expect 5 "refund without the operator key" -- "${nokey[@]}" "$bin" refund "$oid" --reason x
expect 1 "a reason is required" -- "$bin" refund "$oid"
# --- a refund says what the server refunded: 3 cash tickets, one admitted meanwhile
expect 0 "Zoë buys 3 tickets in cash" -- "$bin" --json order "$cid" --quantity 3 --pay cash || finish
oid3=$(jq -r .id "$out"); c31=$(jq -r '.tickets[0].code' "$out")
u2=$(jq -r '.tickets[1].id' "$out"); u3=$(jq -r '.tickets[2].id' "$out")
expect 0 "the door admits the first" -- "$bin" checkin "$cid" "$c31" --door East
expect 0 "refund with no --tickets" -- "$bin" refund "$oid3" --reason "Show moved"
ok "says the server's 2 tickets and 25.00 EUR by cash" grep -q "^Refunded 2 tickets: 25.00 EUR back by cash$" "$out"
ok "names the refunded tickets" grep -q "^  ticket $u3$" "$out"
ok "never the 3 tickets the client saw valid" not grep -q "37.50 EUR back" "$out"
expect 0 "order of 2 cash tickets" -- "$bin" --json order "$cid" --quantity 2 --pay cash || finish
oid4=$(jq -r .id "$out"); v1=$(jq -r '.tickets[0].id' "$out"); v2=$(jq -r '.tickets[1].id' "$out")
expect 0 "--json refund of one ticket with a key" -- "$bin" --json refund "$oid4" --tickets "$v1" --reason "Ill" \
  --idempotency-key "k-$tag"
ok "\"refund\" is the server's: 1 ticket, 12.50, cash" j --arg t "$v1" \
  '.refund == {ticketIds: [$t], count: 1, amount: "12.50", currency: "EUR", method: "cash"}' "$out"
expect 2 "the same key for the other ticket" -- "$bin" refund "$oid4" --tickets "$v2" --reason "Ill" \
  --idempotency-key "k-$tag"
ok "says the key was used for another request" grep -q "already used for a different request" "$err"
expect 0 "order show" -- "$bin" --json order show "$oid4"
ok "the other ticket is still valid" j --arg t "$v2" '[.tickets[] | select(.id == $t) | .status] == ["valid"]' "$out"

expect 6 "the API unreachable: nothing was sent, a plain failure" -- "$bin" --api-url http://127.0.0.1:9/dev \
  --timeout 2 refund "$oid" --reason x
# a 20-letter name reads as a code: no ticket has it, so it is searched as a name
expect 0 "a 20-letter name given as a code" -- "$bin" --json order "$cid" --quantity 1 --name "Maximilian Rothenberg" \
  --email "max.$tag@example.org" --pay card || finish
mx=$(jq -r .id "$out")
expect 0 "find --code with a name that reads as a code" -- "$bin" --json find --code "Maximilian Rothenberg"
ok "its orders by name follow" j --arg o "$mx" 'any(.orders[]; .id == $o)' "$out"
ok "saying the code matched no ticket" grep -q "no ticket has this code; it reads as a name" "$err"
expect 4 "a code-shaped name nobody has" -- "$bin" find --code "Zyzzyva Qwertzkmnbvcx"
if [ -n "$gw_log" ] && [ -f "$gw_log" ]; then
  ok "the stack's log has the lookups (by code too)" grep -q '"path":"[^"]*/tickets/by-code/' "$gw_log"
  ok "but no ticket code in full" not grep -qiF -e "$code1" -e "$(tr -d - <<<"$code1")" "$gw_log"
  ok "and no customer e-mail" not grep -qiF "$email" "$gw_log"
fi
finish
