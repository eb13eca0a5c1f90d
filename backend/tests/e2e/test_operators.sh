#!/usr/bin/env bash
# Operators and groups over HTTP on the shared stack (real gateway checking real cognito-local tokens, real
# bootstrap, DynamoDB Local): the manager adds a cashier, a door and a kiosk through POST /operators; each
# signs in (the first sign-in's new password) and the function decides by their group: 403 naming the groups
# for a route they lack, the kiosk's card-only sale and no customer data; a disabled cashier's still-valid
# token writes nothing (403 "operator is disabled"), enabled again it sells; a role change counts from the
# next token; every change (added, disabled, enabled, role) is in the manager's journal of the day, naming the
# manager and the operator's display name and sub, never an e-mail; a refused change (a disabled manager's, a
# manager's own, another group's, an unknown user's) writes no entry; no e-mail of an operator in the stack's logs.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
source "$root/tests/lib/stack.sh"
[ -n "${BOXOFFICE_API_URL:-}" ] && [ -n "${TEST_TOKEN:-}" ] && [ -s "${COGNITO_SHARED_ENV:-}" ] ||
  { echo "no shared stack with a user pool (BOXOFFICE_API_URL, TEST_TOKEN, COGNITO_SHARED_ENV)"; exit 77; }
api=$BOXOFFICE_API_URL
J=(-H 'Content-Type: application/json')
M=(-H "Authorization: $TEST_TOKEN")
cog_url=$(sed -n 's/^COGNITO_URL=//p' "$COGNITO_SHARED_ENV"); client=$(sed -n 's/^CLIENT_ID=//p' "$COGNITO_SHARED_ENV")
run=$$-$RANDOM
temp='Temp-pass-123'; pass='Real-pass-456'

cognito() { # OP JSON -> answer
  curl -sS -m 20 -X POST "${cog_url%/}/" -H 'Content-Type: application/x-amz-json-1.1' \
    -H "X-Amz-Target: AWSCognitoIdentityProviderService.$1" --data-binary "$2"
}
first_token() { # USER: answers the first sign-in's NEW_PASSWORD_REQUIRED, then signs in again -> ID token
  local a session
  a=$(cognito InitiateAuth "$(jq -nc --arg c "$client" --arg u "$1" --arg p "$temp" \
      '{AuthFlow: "USER_PASSWORD_AUTH", ClientId: $c, AuthParameters: {USERNAME: $u, PASSWORD: $p}}')")
  [ "$(jq -r .ChallengeName <<<"$a")" = NEW_PASSWORD_REQUIRED ] || fail "first sign-in of ${1%%@*}: $a"
  session=$(jq -r .Session <<<"$a")
  cognito RespondToAuthChallenge "$(jq -nc --arg c "$client" --arg u "$1" --arg p "$pass" --arg s "$session" \
      '{ChallengeName: "NEW_PASSWORD_REQUIRED", ClientId: $c, Session: $s,
        ChallengeResponses: {USERNAME: $u, NEW_PASSWORD: $p}}')" >/dev/null
  stack_token "$1" "$pass"
}
add() { # USER NAME GROUP
  http POST "$api/operators" "${J[@]}" "${M[@]}" --data-binary \
    "$(jq -nc --arg u "$1" --arg n "$2" --arg g "$3" --arg p "$temp" '{username: $u, name: $n, group: $g, temporaryPassword: $p}')"
}

day0=$(date -u +%F)
claim() { # JWT CLAIM -> the claim of the token's payload
  local p; p=$(cut -d. -f2 <<<"$1" | tr '_-' '/+')
  while [ $(( ${#p} % 4 )) -ne 0 ]; do p="$p="; done
  base64 -d <<<"$p" | jq -r --arg c "$2" '.[$c]'
}
mgr_sub=$(claim "$TEST_TOKEN" sub)
[ -n "$mgr_sub" ] && [ "$mgr_sub" != null ] || fail "no sub in the manager's token"
# operator_entries: every operator.* entry of the day(s) this test ran, oldest first, one JSON object per line
# (every page of GET /journal?day= as the manager)
operator_entries() {
  local d cursor q
  for d in $(printf '%s\n' "$day0" "$(date -u +%F)" | sort -u); do
    cursor=""
    while :; do
      q="day=$d&limit=100"; [ -n "$cursor" ] && q="$q&cursor=$(jq -rn --arg c "$cursor" '$c|@uri')"
      http GET "$api/journal?$q" "${M[@]}"; expect_status 200
      jq -c '.entries[] | select(.type | startswith("operator."))' <<<"$HTTP_BODY"
      cursor=$(jq -r '.cursor // empty' <<<"$HTTP_BODY")
      [ -n "$cursor" ] || break
    done
  done
}
about() { jq -c --arg s "(sub $1)" 'select(.detail | contains($s))' <<<"$ops_j"; } # SUB: its entries in ops_j
types() { about "$1" | jq -r .type | tr '\n' ' ' | sed 's/ $//'; }

cas="cas-$run@boxoffice.local"; door="door-$run@boxoffice.local"; kiosk="kiosk-$run@boxoffice.local"
echo "the manager adds a cashier, a door and a kiosk"
add "$cas" "Cas $run" cashier; expect_status 201
expect_json .group cashier; expect_json .enabled true; expect_json .status FORCE_CHANGE_PASSWORD
cas_sub=$(jq -r .sub <<<"$HTTP_BODY")
add "$door" "Door $run" door; expect_status 201
add "$kiosk" "Kiosk $run" kiosk; expect_status 201
add "$cas" "Again" cashier; expect_status 409
add "$cas" "Bad" admin; expect_status 400
expect_json .error "group must be one of manager, cashier, door, kiosk"
http GET "$api/operators" "${M[@]}"; expect_status 200
expect_json "[.operators[] | select(.sub == \"$cas_sub\") | .group] | .[0]" cashier
ops=$HTTP_BODY

echo "each signs in; the function decides by the token's group"
C=(-H "Authorization: $(first_token "$cas")")
D=(-H "Authorization: $(first_token "$door")")
K=(-H "Authorization: $(first_token "$kiosk")")
concert='{"name":"Operators '"$run"'","date":"2094-06-01T19:00:00Z","venue":"Hall","availableTickets":20,"ticketPrice":10}'
http POST "$api/concerts" "${J[@]}" "${C[@]}" --data-binary "$concert"
expect_status 403; expect_json .error "POST /concerts needs the manager group"
http POST "$api/concerts" "${J[@]}" "${M[@]}" --data-binary "$concert"; expect_status 201
cid=$(jq -r .id <<<"$HTTP_BODY")
http GET "$api/operators" "${C[@]}"; expect_status 403; expect_json .error "GET /operators needs the manager group"
# cash goes into the cashier's shift (issue 18): they open one
http POST "$api/shifts" "${J[@]}" "${C[@]}" --data-binary "$(jq -nc --arg t "op-$run" '{terminal: $t, float: {EUR: "0.00"}}')"
expect_status 201
shift_id=$(jq -r .id <<<"$HTTP_BODY")
sale() { # PAYMENT AUTH... -> status in HTTP_STATUS (cash carries the cashier's shift)
  local pay=$1; shift
  http POST "$api/box-office/orders" "${J[@]}" "$@" --data-binary \
    "$(jq -nc --arg c "$cid" --arg m "$pay" --arg s "$shift_id" \
       '{concertId: $c, quantity: 1, payment: {method: $m}} + (if $m == "cash" then {shiftId: $s} else {} end)')"
}
sale cash "${C[@]}"; expect_status 201
# the display name: the token's `name` (real Cognito), else custom:display_name (cognito-local puts only
# custom: attributes in ID tokens; POST /operators sets both); never the e-mail
sold=$(jq -r .soldBy <<<"$HTTP_BODY")
[ "$sold" = "Cas $run" ] || fail "soldBy '$sold' is not the operator's display name"
expect_json .shiftId "$shift_id"
expect_json .operator.sub "$cas_sub"; expect_json .operator.name "$sold"
oid=$(jq -r .id <<<"$HTTP_BODY"); code=$(jq -r '.tickets[0].code' <<<"$HTTP_BODY")
grep -q "$cas" <<<"$HTTP_BODY" && fail "the order names the cashier by e-mail"
sale card "${D[@]}"; expect_status 403
expect_json .error "POST /box-office/orders needs the manager, cashier or kiosk group"
sale cash "${K[@]}"; expect_status 403
expect_json .error "payment.method: a kiosk sells by card only (cash and comp need the manager or cashier group)"
sale card "${K[@]}"; expect_status 201
kiosk_oid=$(jq -r .id <<<"$HTTP_BODY")
http GET "$api/orders/$oid" "${K[@]}"; expect_status 403
http GET "$api/orders?email=ann" "${K[@]}"; expect_status 403
http GET "$api/tickets/by-code/$code" "${K[@]}"; expect_status 403
http POST "$api/checkins" "${J[@]}" "${D[@]}" --data-binary \
  "$(jq -nc --arg c "$code" --arg k "$cid" '{code: $c, concertId: $k, nonce: "op-n1"}')"
expect_status 200
http POST "$api/checkins/$(jq -r '.ticket.id // .id' <<<"$HTTP_BODY")/undo" "${D[@]}"; expect_status 403
expect_json .error "POST /checkins/{ticketId}/undo needs the manager group"
http GET "$api/concerts/$cid/stats" "${D[@]}"; expect_status 200

echo "the same on a pooled concert (issue 19: capacity 2,000, seats in 64 pools, counters in 64 shards): a role's"
echo "refusal writes nothing in the counters table"
http POST "$api/concerts" "${J[@]}" "${M[@]}" --data-binary \
  '{"name":"Operators pooled '"$run"'","date":"2094-06-02T19:00:00Z","venue":"Arena","availableTickets":2000,"ticketPrice":10}'
expect_status 201
pcid=$(jq -r .id <<<"$HTTP_BODY")
pooled_sale() { # PAYMENT AUTH...
  local pay=$1; shift
  http POST "$api/box-office/orders" "${J[@]}" "$@" --data-binary \
    "$(jq -nc --arg c "$pcid" --arg m "$pay" --arg s "$shift_id" \
       '{concertId: $c, quantity: 2, payment: {method: $m}} + (if $m == "cash" then {shiftId: $s} else {} end)')"
}
pooled_sale card "${K[@]}"; expect_status 201
p_oid=$(jq -r .id <<<"$HTTP_BODY"); p_code=$(jq -r '.tickets[0].code' <<<"$HTTP_BODY"); p_code2=$(jq -r '.tickets[1].code' <<<"$HTTP_BODY")
http POST "$api/checkins" "${J[@]}" "${D[@]}" --data-binary \
  "$(jq -nc --arg c "$p_code" --arg k "$pcid" '{code: $c, concertId: $k, nonce: "op-pn1"}')"
expect_status 200
p_tid=$(jq -r .ticket.id <<<"$HTTP_BODY")
counters() { ddb_scan concert-ticket-system-counters-dev "$(jq -nc --arg c "$pcid" \
  '{FilterExpression: "concertId = :c", ExpressionAttributeValues: {":c": {S: $c}}}')" | jq -c 'sort_by(.id.S)'; }
before=$(counters)
expect_eq "the pooled concert's counter shards" 64 "$(jq length <<<"$before")"
expect_eq "seats sold from its pools" 2 "$(jq 'map(.sold.N | tonumber) | add' <<<"$before")"
pooled_sale card "${D[@]}"; expect_status 403
expect_json .error "POST /box-office/orders needs the manager, cashier or kiosk group"
pooled_sale cash "${K[@]}"; expect_status 403
http POST "$api/orders/$p_oid/refund" "${J[@]}" "${K[@]}" -H "Idempotency-Key: op-p1-$run" --data-binary '{"reason":"x"}'
expect_status 403; expect_json .error "POST /orders/{id}/refund needs the manager or cashier group"
http POST "$api/orders/$p_oid/refund" "${J[@]}" "${D[@]}" -H "Idempotency-Key: op-p2-$run" --data-binary '{"reason":"x"}'
expect_status 403
http POST "$api/checkins/$p_tid/undo" "${D[@]}"; expect_status 403
http POST "$api/checkins" "${J[@]}" "${K[@]}" --data-binary \
  "$(jq -nc --arg c "$p_code2" --arg k "$pcid" '{code: $c, concertId: $k, nonce: "op-pn2"}')"
expect_status 403
expect_eq "the counters table after the refused sales, refunds, undo and check-in" "$before" "$(counters)"
http GET "$api/orders/$p_oid" "${M[@]}"; expect_status 200
expect_json '[.tickets[].status] | sort | join(",")' "checkedIn,valid"
http GET "$api/concerts/$pcid/stats" "${M[@]}"; expect_status 200
expect_json '[.sold, .refunded, .admitted, .available] | @csv' '2,0,1,1998'

echo "disabled: the cashier's token still passes the gateway, the write is refused and writes nothing"
http POST "$api/operators/$(jq -rn --arg u "$cas" '$u|@uri')/disable" "${M[@]}"; expect_status 200
expect_json .enabled false
orders=$(ddb_count concert-ticket-system-orders-dev)
sale cash "${C[@]}"; expect_status 403; expect_json .error "operator is disabled"
http POST "$api/orders/$kiosk_oid/refund" "${J[@]}" "${C[@]}" -H "Idempotency-Key: op-$run" --data-binary '{"reason":"x"}'
expect_status 403; expect_json .error "operator is disabled"
http GET "$api/orders/$kiosk_oid" "${M[@]}"; expect_status 200; expect_json '.tickets[0].status' valid
expect_eq "orders after the disabled cashier's tries" "$orders" "$(ddb_count concert-ticket-system-orders-dev)"
http POST "$api/operators/$(jq -rn --arg u "$cas" '$u|@uri')/enable" "${M[@]}"; expect_status 200
sale cash "${C[@]}"; expect_status 201

echo "a role change counts from the next token"
http PUT "$api/operators/$(jq -rn --arg u "$cas" '$u|@uri')/role" "${J[@]}" "${M[@]}" --data-binary '{"group":"door"}'
expect_status 200; expect_json .group door
C2=(-H "Authorization: $(stack_token "$cas" "$pass")")
sale card "${C2[@]}"; expect_status 403
http PUT "$api/operators/nobody-$run%40boxoffice.local/role" "${J[@]}" "${M[@]}" --data-binary '{"group":"door"}'
expect_status 404

echo "refused changes: another group's, the manager's own, a disabled manager's"
door_sub=$(jq -r --arg u "$door" '.operators[] | select(.username == $u) | .sub' <<<"$ops")
kiosk_sub=$(jq -r --arg u "$kiosk" '.operators[] | select(.username == $u) | .sub' <<<"$ops")
http POST "$api/operators/$(jq -rn --arg u "$door" '$u|@uri')/disable" "${C2[@]}"; expect_status 403
mgr_user=$(jq -r --arg s "$mgr_sub" '.operators[] | select(.sub == $s) | .username' <<<"$ops")
[ -n "$mgr_user" ] || fail "the manager is not in GET /operators"
http POST "$api/operators/$(jq -rn --arg u "$mgr_user" '$u|@uri')/disable" "${M[@]}"; expect_status 400
mgr2="mgr2-$run@boxoffice.local"
M2=(-H "Authorization: $(stack_operator_token "$mgr2" "Mgr $run" manager)")
http POST "$api/operators/$(jq -rn --arg u "$mgr2" '$u|@uri')/disable" "${M[@]}"; expect_status 200
mgr2_sub=$(jq -r .sub <<<"$HTTP_BODY")
http PUT "$api/operators/$(jq -rn --arg u "$door" '$u|@uri')/role" "${J[@]}" "${M2[@]}" --data-binary '{"group":"kiosk"}'
expect_status 403; expect_json .error "operator is disabled"
http POST "$api/operators/$(jq -rn --arg u "$kiosk" '$u|@uri')/disable" "${M2[@]}"; expect_status 403
expect_json .error "operator is disabled"

echo "the journal: each change names the manager, the operator's name and sub, never an e-mail; refusals wrote none"
ops_j=$(operator_entries)
cas_j=$(about "$cas_sub")
expect_eq "the cashier's entries" "operator.added operator.disabled operator.enabled operator.role" "$(types "$cas_sub")"
expect_eq "the cashier's details" "$(printf '%s\n' "Cas $run (sub $cas_sub) added as cashier" "Cas $run (sub $cas_sub) disabled" \
    "Cas $run (sub $cas_sub) enabled" "Cas $run (sub $cas_sub) role door (was cashier)")" "$(jq -r .detail <<<"$cas_j")"
expect_eq "entries by the manager, without terminal, shift or seq" "4" \
  "$(jq -s --arg m "$mgr_sub" 'map(select(.operator.sub == $m and .operator.name != "" and .terminal == null and
      .shiftId == null and .seq == null and .orderId == null and .concertId == null)) | length' <<<"$cas_j")"
grep -F "$run" <<<"$ops_j" | grep -q '@' && fail "an operator entry holds an e-mail: $(grep -F "$run" <<<"$ops_j" | grep '@' | head -1)"
expect_eq "the door account's entries (its refused disable and role change: none)" "operator.added" "$(types "$door_sub")"
expect_eq "the kiosk's entries (its refused disable: none)" "operator.added" "$(types "$kiosk_sub")"
expect_eq "entries about the manager (who cannot change themselves)" "" "$(types "$mgr_sub")"
expect_eq "the second manager's entries" "operator.added operator.disabled" "$(types "$mgr2_sub")"

echo "no operator's e-mail in the stack's logs"
if grep -rqs -e "cas-$run@" -e "door-$run@" -e "kiosk-$run@" -e "mgr2-$run@" "${LOCAL_STATE_DIR:-/nonexistent}"/*.log; then
  grep -rs -e "cas-$run@" "${LOCAL_STATE_DIR}"/*.log | head -3
  fail "an operator's e-mail is in the logs"
fi
echo PASS
