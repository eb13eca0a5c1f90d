#!/usr/bin/env bash
# boxoffice checkin / stats against the shared running stack (real gateway, real bootstrap, DynamoDB Local):
# admitted (0) with the name and "ticket n of m", the same scan again with its --nonce (0, admitted once), another
# scan of it (8, already admitted at the venue's time and door), refunded (8), wrong concert naming it (8),
# unknown code (8), cannot verify when the API cannot be reached (6, with the command that retries the same
# nonce), no operator key (5), a door name the API refuses (1, before anything is sent); stats as text and
# --json equal to the API's own answer, unknown concert (4).
# checkin undo: an admitted ticket goes back to valid (0; the API agrees, the same code admits again), a valid
# one is not checked in (8, naming its state), an unknown ticket (4), no operator key (5).
# Env: BOXOFFICE_API_URL, BOXOFFICE_USER/BOXOFFICE_PASSWORD, TEST_TOKEN (set by scripts/run-tests.sh). Exit 0 pass, 77 skip, 1 fail.
. "$(dirname "$0")/cli_lib.sh"
cli_need_shared_stack

cli_work cli-door
# the CLI talks to the API through the recording pass-through: its answers are checked against the contract
cli_record "$BOXOFFICE_API_URL"
api_stats() { curl -fsS -m 10 -H "Authorization: $TEST_TOKEN" "$BOXOFFICE_API_URL/concerts/$1/stats"; }

tag="door-$$-$(date +%s)"
expect 0 "a concert in Berlin" -- "$bin" --json create --name "Door $tag" --date 2094-05-01T19:00:00Z --venue "Hall D" \
  --tickets 10 --price 20 --timezone Europe/Berlin || finish
cid=$(jq -r .id "$out")
expect 0 "another concert" -- "$bin" --json create --name "Elsewhere $tag" --date 2094-05-02T19:00:00Z --venue "Hall E" \
  --tickets 5 --price 20
other=$(jq -r .id "$out")
expect 0 "an order of 3" -- "$bin" --json order "$cid" --quantity 3 --attendee Ada --attendee Bob --attendee Cy --pay card
o1=$(cat "$out"); oid=$(jq -r .id <<<"$o1")
code() { jq -r ".tickets[$1].code" <<<"$o1"; }
expect 0 "an order of the other concert" -- "$bin" --json order "$other" --quantity 1 --pay cash
ocode=$(jq -r '.tickets[0].code' "$out")

# --- admitted (0), the same scan again (0, admitted once), another scan (8)
expect 0 "checkin of Ada's ticket at the north door" -- "$bin" --json checkin "$cid" "$(code 0)" --door North --nonce "n1-$tag"
ok "admitted, ticket 1 of 3" j '.result == "admitted" and .attendee == "Ada" and .admittedSoFar == 1 and .quantity == 3' "$out"
at=$(jq -r .at "$out")
expect 0 "the same scan again (same --nonce)" -- "$bin" checkin "$cid" "$(code 0)" --door North --nonce "n1-$tag"
ok "it answers ADMIT again" grep -q "^ADMIT  Ada — ticket 1 of 3" "$out"
ok "admitted once" test "$(api_stats "$cid" | jq .admitted)" = 1
expect 8 "another scan of Ada's ticket" -- "$bin" checkin "$cid" "$(code 0)" --door South
berlin=$(TZ=Europe/Berlin date -d "$at" +%H:%M:%S)
ok "refused: already admitted at $berlin (the venue's time) at door North" \
  grep -q "^REFUSED  already admitted at $berlin Europe/Berlin .* at door North" "$out"
expect 0 "Bob typed in lower case without dashes" -- "$bin" checkin "$cid" "$(code 1 | tr -d - | tr A-Z a-z)"
ok "ticket 2 of 3" grep -q "^ADMIT  Bob — ticket 2 of 3" "$out"

# --- checkin undo: Ada's admitted ticket back to valid (0), again (8: it is valid), then her code admits again
tid0=$(jq -r '.tickets[0].id' <<<"$o1")
api_ticket_status() { curl -fsS -m 10 -H "Authorization: $TEST_TOKEN" "$BOXOFFICE_API_URL/orders/$oid" \
  | jq -r --arg t "$1" '.tickets[] | select(.id == $t) | .status'; }
expect 0 "undo of Ada's check-in" -- "$bin" checkin undo "$tid0"
ok "it says UNDONE, valid again" grep -q "^UNDONE  ticket $tid0 (Ada) is valid again (order $oid)" "$out"
ok "the API holds Ada's ticket valid" test "$(api_ticket_status "$tid0")" = valid
ok "the order counts 1 admitted (Bob)" test "$(curl -fsS -m 10 -H "Authorization: $TEST_TOKEN" \
  "$BOXOFFICE_API_URL/orders/$oid" | jq .admitted)" = 1
ok "the concert counts 1 admitted" test "$(api_stats "$cid" | jq .admitted)" = 1
expect 8 "undo of the same ticket again: it is valid" -- "$bin" --json checkin undo "$tid0"
ok "not checked in, its state named" j '.result == "not_checked_in" and .ticketStatus == "valid" and .status == 409 and .exitCode == 8' "$out"
ok "the message says it is valid" grep -q "not checked in: it is valid" "$err"
expect 0 "Ada's code admits again" -- "$bin" checkin "$cid" "$(code 0)" --door North
ok "ADMIT Ada, ticket 2 of 3" grep -q "^ADMIT  Ada — ticket 2 of 3" "$out"
expect 4 "undo of an unknown ticket" -- "$bin" checkin undo "no-such-ticket-$tag"
expect 5 "undo without the operator key" -- "${nokey[@]}" "$bin" checkin undo "$tid0"
ok "without the key nothing changed" test "$(api_ticket_status "$tid0")" = checkedIn

# --- refunded, wrong concert, unknown code (8)
curl -fsS -m 10 -H "Authorization: $TEST_TOKEN" -H 'content-type: application/json' "$BOXOFFICE_API_URL/orders/$oid/refund" \
  --data-binary "$(jq -nc --arg t "$(jq -r '.tickets[2].id' <<<"$o1")" '{ticketIds: [$t], reason: "test"}')" >/dev/null
expect 8 "Cy's refunded ticket" -- "$bin" checkin "$cid" "$(code 2)"
ok "refused: refunded" grep -q "^REFUSED  refunded: Cy" "$out"
expect 8 "a ticket of the other concert" -- "$bin" --json checkin "$cid" "$ocode"
ok "refused: wrong concert, named" j --arg o "$other" --arg n "Elsewhere $tag" \
  '.result == "wrong_concert" and .concertId == $o and .concertName == $n and .exitCode == 8' "$out"
expect 8 "an unknown code" -- "$bin" checkin "$cid" 00000-00000-00000-00000
ok "refused: unknown code" grep -q "^REFUSED  unknown code" "$out"

# --- cannot verify (6), no key (5)
closed=http://127.0.0.1:9/dev
expect 6 "the API cannot be reached" -- "$bin" --api-url "$closed" checkin "$cid" "$(code 1)" --nonce "n9-$tag"
ok "it says CANNOT VERIFY, never ADMIT" sh -c "grep -q 'CANNOT VERIFY' '$err' && ! grep -q ADMIT '$out'"
ok "it prints the retry with the same nonce" grep -q -- "--nonce n9-$tag" "$err"
expect 5 "without the operator key" -- "${nokey[@]}" "$bin" checkin "$cid" "$(code 1)"

# --- door names the API refuses (spaces only, a bidi override): the CLI refuses them first (1), by the same
# rule, and sends nothing (the unreachable API would make it 6); the API itself answers 400 for them
for bad in "   " "$(printf '\xe2\x80\xaeetag')"; do
  expect 1 "checkin with a door name the API refuses" -- "$bin" --api-url "$closed" checkin "$cid" "$(code 1)" --door "$bad"
  ok "it says what a door's name must be" grep -q "door must be a name of 1 to 64 characters" "$err"
  expect 1 "door mode with such a --door-name" -- "$bin" --api-url "$closed" --door "$cid" --door-name "$bad"
  ok "door mode says it before it starts" grep -q "door must be a name of 1 to 64 characters" "$err"
  ok "the API refuses the same name" test "$(curl -sS -m 10 -o /dev/null -w '%{http_code}' -H "Authorization: $TEST_TOKEN" \
    -H 'content-type: application/json' "$BOXOFFICE_API_URL/checkins" --data-binary \
    "$(jq -nc --arg c "$(code 1)" --arg k "$cid" --arg d "$bad" '{code: $c, concertId: $k, nonce: "n-door", door: $d}')")" = 400
done

# --- stats
expect 0 "stats --json" -- "$bin" --json stats "$cid"
ok "stats --json is the API's answer" test "$(jq -cS . "$out")" = "$(api_stats "$cid" | jq -cS .)"
ok "3 sold, 1 refunded, 2 admitted" j '.sold == 3 and .refunded == 1 and .admitted == 2 and .capacity == 10' "$out"
expect 0 "stats as text" -- "$bin" stats "$cid"
ok "the text shows admitted of the valid tickets" grep -q "^Admitted   2 of 2 valid" "$out"
expect 4 "stats of an unknown concert" -- "$bin" stats "no-such-concert-$tag"
expect 5 "stats without the key" -- "${nokey[@]}" "$bin" stats "$cid"

finish
