#!/usr/bin/env bash
# A sale whose outcome is unknown stays the same sale (in the box office an order, in `buy` a ticket). bench's faultproxy sits in front of the shared
# stack's gateway and holds every answer back past the client's timeout (--timeout 2): the purchase is
# made, its answer never arrives. Through the real binary in tmux: the form says the sale is NOT
# confirmed (and the status line does not claim to be retrying), a check with the proxy still holding
# answers re-sends the same request (no second ticket), leaving asks first and keeps the sale (b on the
# concert shows it again), and once answers flow the check shows the receipt of the one ticket stored. Through the CLI: `buy` exits 7 and prints the command
# that resolves it (also in --json); running that command returns the same ticket, one seat taken.
# Quitting the box office with a sale unconfirmed asks first and prints that command too.
# Seats from the API, tickets counted straight in DynamoDB Local.
. "$(dirname "$0")/tui_lib.sh"
tui_require
. "$TUI_ROOT/tests/lib/stack.sh"
[ -n "${DYNAMODB_PORT:-}" ] || tui_skip "DYNAMODB_PORT is not set (run through scripts/run-tests.sh)"
[ -n "${BOXOFFICE_USER:-}" ] || tui_skip "BOXOFFICE_USER is not set"
api_require_orders


# the shared gateway, and the proxy in front of it (in front of the recording pass-through, when answers are
# recorded for the contract check: it sees every answer, also those the fault proxy then holds back)
tui_faultproxy --record
tickets_table="concert-ticket-system-tickets-$stage"

# a concert of its own with 5 seats
cname="Unconfirmed $$ $RANDOM"
c=$(jq -nc --arg n "$cname" '{name: $n, date: "2094-06-01T20:00:00Z", venue: "Proxy Hall", availableTickets: 5, ticketPrice: 20}' |
    curl -fsS -m 10 -H 'content-type: application/json' -H "Authorization: $TEST_TOKEN" --data-binary @- "$BOXOFFICE_API_URL/concerts") ||
  tui_fail "cannot create the concert"
id=$(jq -r .id <<<"$c")
seats() { api_get "$id" | jq -r .availableTickets; }
tickets() { ddb_count "$tickets_table" "$(jq -nc --arg c "$id" '{FilterExpression: "concertId = :c", ExpressionAttributeValues: {":c": {S: $c}}}')"; }
# the ticket ids of this concert for one customer name, one a line
ticket_ids() {
  jq -nc --arg t "$tickets_table" --arg c "$id" --arg n "$1" \
    '{TableName: $t, FilterExpression: "concertId = :c AND customerName = :n", ExpressionAttributeValues: {":c": {S: $c}, ":n": {S: $n}}}' |
    curl -sS -m 30 -X POST "http://127.0.0.1:$DYNAMODB_PORT/" -H 'X-Amz-Target: DynamoDB_20120810.Scan' \
      -H 'Content-Type: application/x-amz-json-1.0' \
      -H 'Authorization: AWS4-HMAC-SHA256 Credential=local/20200101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0' \
      --data-binary @- | jq -r '.Items[].id.S'
}
expect_books() { # SEATS TICKETS WHEN
  local s n
  s=$(seats) n=$(tickets)
  [ "$s" = "$1" ] && [ "$n" = "$2" ] || tui_fail "$3: seats $s (expected $1), tickets $n (expected $2)"
  tui_log "$3: seats $s, tickets $n"
}
expect_books 5 0 "before"

# ---- the terminal UI ----
tui_start 100 30 -- --api-url "$proxied" --refresh 0 --timeout 2
tui_wait_list
short=$cname   # unique: pid and a random number
tui_keys /
tui_type "$short"
tui_wait "filter: $short"
tui_keys Enter
tui_keys Enter
tui_wait "$id"
tui_keys b
tui_wait "Customer name"
tui_keys Tab              # from the quantity (empty: 1) to the name
tui_type "Alan Turing"
tui_keys Tab
tui_type "alan@example.org"
tui_sell_review
tui_proxy_hold
tui_keys Enter
tui_wait "Sale not confirmed" 40
tui_wait "Press Enter to check"
tui_wait_gone "Checking the sale" 5
status=$(tui_screen | sed -n '29p')
grep -q "not confirmed" <<<"$status" || tui_fail "the status line does not say the sale is not confirmed: $status"
grep -qi "retrying" <<<"$status" && tui_fail "the status line claims to be retrying after the client gave up: $status"
tui_has "Sale complete" && tui_fail "a receipt without an answer"
expect_books 4 1 "sale made, answer held back"

# a check while answers are still held: the same request again, still one ticket
tui_keys Enter
tui_wait "Checking the sale" 10
tui_wait_gone "Checking the sale" 40
tui_wait "Sale not confirmed"
expect_books 4 1 "after a check without an answer"

# leaving asks first; n stays, y leaves and the sale is kept: b on the concert shows it again
tui_esc
tui_wait "Leave without checking?"
tui_keys n
tui_wait_gone "Leave without checking?"
tui_wait "Press Enter to check"
tui_esc
tui_wait "Leave without checking?"
tui_keys y
tui_wait_gone "Sell tickets"
tui_wait "Sale to Alan Turing not confirmed"
tui_keys b
tui_wait "Sell tickets"
tui_wait "Press Enter to check"
tui_has "alan@example.org" || tui_fail "the re-opened form does not show the unconfirmed sale's customer"

# answers flow again: the check shows the receipt of the one order stored
tui_proxy_release
tui_keys Enter
tui_wait "Sale complete" 40
order=$(tui_order_id)
o=$(api_order_get "$order") || tui_fail "GET /orders/$order failed"
[ "$(jq -r '.tickets | length' <<<"$o")" = 1 ] || tui_fail "the order holds more than the one ticket: $o"
[ "$(jq -r .customerName <<<"$o")" = "Alan Turing" ] || tui_fail "the order is not Alan Turing's: $o"
tui_has "$(code_grouped "$(jq -r '.tickets[0].code' <<<"$o")")" || tui_fail "the receipt does not show the stored ticket's code"
tui_has "Alan Turing" || tui_fail "the receipt does not name the customer"
expect_books 4 1 "after the check"
tui_log "receipt shows the one stored order $order"
tui_keys Enter
tui_wait "Seats left"
tui_keys q
tui_wait "EXITED rc=0"

# ---- the CLI ----
out=$TUI_TMP/cli.out err=$TUI_TMP/cli.err
customer="Alan O'Brien"
tui_proxy_hold
"$TUI_BIN" --api-url "$proxied" --timeout 2 --json buy "$id" --name "$customer" --email "alan.obrien@example.org" >"$out" 2>"$err"
rc=$?
[ "$rc" = 7 ] || { cat "$out" "$err"; tui_fail "CLI buy without an answer: exit $rc, expected 7"; }
grep -q "NOT CONFIRMED" "$err" || tui_fail "stderr does not say the sale is not confirmed: $(cat "$err")"
jq -e '.unconfirmed == true and .exitCode == 7 and (.idempotencyKey | length) > 0' "$out" >/dev/null ||
  tui_fail "--json output lacks the unconfirmed fields: $(cat "$out")"
cmd=$(jq -r .retryCommand "$out")
grep -qF -- "$cmd" "$err" || tui_fail "stderr does not print the command: $(cat "$err")"
[[ "$cmd" == "boxoffice "*" buy $id "*"--idempotency-key $(jq -r .idempotencyKey "$out")" ]] || tui_fail "unexpected command: $cmd"
tui_log "CLI prints: $cmd"
expect_books 3 2 "CLI sale made, answer held back"

tui_proxy_release

boxoffice() { "$TUI_BIN" "$@"; }
eval "$cmd" >"$out" 2>"$err"
rc=$?
[ "$rc" = 0 ] || { cat "$out" "$err"; tui_fail "the printed command: exit $rc, expected 0"; }
ids=$(ticket_ids "$customer")
[ "$(wc -l <<<"$ids")" = 1 ] || tui_fail "expected one ticket for $customer, found: $ids"
grep -q "^Ticket: *$ids\$" "$out" || tui_fail "the command did not return the stored ticket $ids: $(cat "$out")"
expect_books 3 2 "after the printed command"

# ---- quitting the box office with a sale unconfirmed: it asks, then prints the command that checks it ----
tui_start 100 30 -- --api-url "$proxied" --refresh 0 --timeout 2
tui_wait_list
tui_keys /
tui_type "$short"
tui_wait "filter: $short"
tui_keys Enter
tui_keys Enter
tui_wait "$id"
tui_keys b
tui_wait "Customer name"
tui_keys Tab
tui_type "Grace Hopper"
tui_keys Tab
tui_type "grace@example.org"
tui_sell_review
tui_proxy_hold
tui_keys Enter
tui_wait "Press Enter to check" 40
tui_keys q
tui_wait "A sale is NOT confirmed"
tui_keys y
tui_wait "EXITED rc=0"
cmd=$(tmux -L "$TUI_SOCK" capture-pane -p -J -t bo | sed -n 's/^  \(boxoffice .*--idempotency-key .*\)$/\1/p' | head -n 1)
[ -n "$cmd" ] || tui_fail "no command printed on exit"
tui_log "printed on exit: $cmd"
expect_books 2 3 "quit with the sale unconfirmed"
tui_proxy_release
eval "$cmd" >"$out" 2>"$err"
rc=$?
[ "$rc" = 0 ] || { cat "$out" "$err"; tui_fail "the command printed on exit: exit $rc, expected 0"; }
[[ "$cmd" == "boxoffice "*" order $id --quantity 1 "*"--idempotency-key "* ]] || tui_fail "unexpected command: $cmd"
order=$(sed -n 's/^Order: *//p' "$out")
o=$(api_order_get "$order") || tui_fail "the command did not print an order: $(cat "$out")"
[ "$(jq -r .customerName <<<"$o")" = "Grace Hopper" ] || tui_fail "the order is not Grace Hopper's: $o"
expect_books 2 3 "after the command printed on exit"
tui_log "PASS"
