#!/usr/bin/env bash
# No drift, under concurrency (a private stack, over HTTP): one 100-seat concert; 35 orders are sold and the
# first tickets of 20 of them admitted first; then AT ONCE (shuffled, 30 at a time): 150 buyers ordering 1-3
# tickets (POST /box-office/orders), 30 refunds of random sold orders, 60 check-ins of random sold tickets,
# 20 refunds of the admitted tickets and 20 duplicate scans of them. Afterwards, against a full Scan of the
# tables (in this test, never in the API): seats left + valid + admitted tickets = capacity; GET
# /concerts/{id}/stats agrees with the counts (seats and revenue by method); no ticket is both refunded and
# admitted; every 2xx is in the tables and no 4xx changed anything. Then a check-in sent twice at once with
# the same nonce answers "admitted" twice and admits once; another nonce answers already_admitted.
# All of it at the same time for a pooled concert (issue 19: capacity 2,000, its seats in 64 pools and its
# counters in 64 shards) late in its on-sale, 3 seats left in each pool, with fewer requests (POOLED_*): the
# same books, its seats and counts the sums of the pools and shards.
# 429/502/503 are retried with the same Idempotency-Key or nonce, as a client does.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
source "$root/tests/lib/stack.sh"
source "$root/backend/tests/e2e/orders_lib.sh"
work=$(mktemp -d)
trap 'stack_cleanup; rm -rf "$work"' EXIT
GATEWAY_OPTS="--concurrency 16" stack_start --no-seed
export DYNAMODB_PORT=$STACK_DDB_PORT
api=$STACK_URL key=$STACK_TOKEN T=concert-ticket-system
SEATS=100 SEED=35 ADMITTED=20 BUY=150 REFUND=30 CHECKIN=60
POOLED_LEFT=192 POOLED_SEED=20 POOLED_ADMITTED=10 POOLED_BUY=80 POOLED_REFUND=15 POOLED_CHECKIN=30
J=(-H 'Content-Type: application/json')
K=(-H "Authorization: $key")
methods=(card cash comp)

create() { # create SEATS -> the new concert's id
  http POST "$api/concerts" "${J[@]}" "${K[@]}" --data-binary \
    "$(jq -nc --argjson s "$1" '{name: "No drift", date: "2027-06-01T19:00:00Z", venue: "Club", availableTickets: $s, ticketPrice: 10}')"
  expect_status 201
  jq -r .id <<<"$HTTP_BODY"
}
small=$(create $SEATS)
pooled=$(create 2000)
pool_late "$pooled" 2000 3

SHIFT=$(op_shift) # every sale and refund of this test goes into the operator's one shift (cash needs one)
# before TAG CONCERT SEED ADMITTED: SEED orders, the first tickets of ADMITTED of them admitted; into $work/TAG
before() {
  local tag=$1 cid=$2 SEED=$3 ADMITTED=$4 dir=$work/$1
  mkdir -p "$dir"
  echo "$tag before: $SEED orders, the first tickets of $ADMITTED of them admitted"
  : >"$dir/seed"
  for i in $(seq 1 $SEED); do
    http POST "$api/box-office/orders" "${J[@]}" "${K[@]}" --data-binary \
      "$(order_body "$cid" $((i % 3 + 1)) "$(jq -nc --arg m "${methods[$((i % 3))]}" --arg s "$SHIFT" '{payment: {method: $m}, shiftId: $s}')")"
    expect_status 201
    echo "$HTTP_BODY" >>"$dir/seed"
  done
  for i in $(seq 1 $ADMITTED); do
    code=$(sed -n "${i}p" "$dir/seed" | jq -r '.tickets[0].code')
    http POST "$api/checkins" "${J[@]}" "${K[@]}" --data-binary "$(jq -nc --arg c "$code" --arg k "$cid" --arg n "pre-$tag-$i" '{code: $c, concertId: $k, nonce: $n}')"
    expect_status 200
  done
  head -n $ADMITTED "$dir/seed" | jq -r '.tickets[0] | .id + " " + .code' >"$dir/admitted"
  # the other tickets of the sold orders, for check-ins
  tail -n +$((ADMITTED + 1)) "$dir/seed" | jq -r '.tickets[] | .code' >"$dir/codes"
  head -n $ADMITTED "$dir/seed" | jq -r '.tickets[1:][] | .code' >>"$dir/codes"
  jq -r .id "$dir/seed" >"$dir/orders"
}
before small "$small" $SEED $ADMITTED
before pooled "$pooled" $POOLED_SEED $POOLED_ADMITTED

cat >"$work/job.sh" <<'SH'
#!/usr/bin/env bash
# job.sh N TAG CONCERT KIND ARG: one request, retried on 429/502/503 with the same key or nonce;
# "<kind> <status> <arg> <body>" in $WORK/TAG/r.N
source "$ROOT/tests/lib/openapi_log.sh"
n=$1 tag=$2 CID=$3 kind=$4 arg=$5
case $kind in
  buy)    url=$API/box-office/orders
          m=(card cash comp)
          sh=""; [ $((n % 3)) = 1 ] && sh=",\"shiftId\":\"$SHIFT\"" # cash needs the shift; the others go without
          body=$(printf '{"concertId":"%s","quantity":%d,"payment":{"method":"%s"}%s}' "$CID" $((n % 3 + 1)) "${m[$((n % 3))]}" "$sh")
          hdr="Idempotency-Key: buy-$n" ;;
  refund) url=$API/orders/$arg/refund body="{\"reason\":\"rush refund\",\"shiftId\":\"$SHIFT\"}" hdr="Idempotency-Key: refund-$n" ;;
  refund-admitted) url=$API/orders/${arg%:*}/refund body="{\"ticketIds\":[\"${arg#*:}\"],\"reason\":\"too late\",\"shiftId\":\"$SHIFT\"}" hdr="Idempotency-Key: refund-$n" ;;
  checkin|rescan) url=$API/checkins body="{\"code\":\"$arg\",\"concertId\":\"$CID\",\"nonce\":\"$kind-$n\",\"door\":\"D$((n % 4))\"}" hdr="X-Job: $n" ;;
esac
for attempt in 1 2 3 4 5 6 7 8; do
  code=$(curl -s -m 60 -D "$WORK/h.$n" -o "$WORK/b.$n" -w '%{http_code}' -X POST "$url" -H "Authorization: $KEY" \
         -H 'Content-Type: application/json' -H "$hdr" --data-binary "$body") || true
  case $code in 429|502|503|000) sleep 0.$((RANDOM % 5 + 1)) ;; *) break ;; esac
done
openapi_record POST "$url" "$code" "$WORK/h.$n" "$WORK/b.$n"
printf '%s %s %s %s\n' "$kind" "$code" "$arg" "$(tr -d '\n' <"$WORK/b.$n")" >"$WORK/$tag/r.$n"
SH
chmod +x "$work/job.sh"
# jobs TAG CONCERT ADMITTED BUY REFUND CHECKIN: the requests for one concert, "TAG CONCERT KIND ARG" a line
jobs() {
  local tag=$1 cid=$2 ADMITTED=$3 dir=$work/$1
  for i in $(seq 1 "$4"); do echo "buy -"; done
  for i in $(seq 1 "$5"); do echo "refund $(shuf -n 1 "$dir/orders")"; done
  for i in $(seq 1 "$6"); do echo "checkin $(shuf -n 1 "$dir/codes")"; done
  paste -d: <(head -n $ADMITTED "$dir/orders") <(cut -d' ' -f1 "$dir/admitted") | sed 's/^/refund-admitted /'
  cut -d' ' -f2 "$dir/admitted" | sed 's/^/rescan /'
} 
{ jobs small "$small" $ADMITTED $BUY $REFUND $CHECKIN | sed "s/^/small $small /"
  jobs pooled "$pooled" $POOLED_ADMITTED $POOLED_BUY $POOLED_REFUND $POOLED_CHECKIN | sed "s/^/pooled $pooled /"
} | shuf | nl -w1 -s' ' >"$work/jobs"
echo "at once: $(wc -l <"$work/jobs") requests, 30 at a time"
OPENAPI_TEST=$0 ROOT=$root WORK=$work API=$api KEY=$key SHIFT=$SHIFT xargs -P 30 -L 1 "$work/job.sh" <"$work/jobs"

# books TAG CONCERT SEATS ADMITTED CAPACITY: the checks below for one concert (SEATS: what was on sale in this test)
books() {
local tag=$1 cid=$2 SEATS=$3 ADMITTED=$4 capacity=$5 work=$work/$1
grep "^[0-9]* $tag " "$work/../jobs" | cut -d' ' -f1,4- >"$work/jobs"
cat "$work"/r.* >"$work/all"
expect_eq "answers" "$(wc -l <"$work/jobs")" "$(wc -l <"$work/all")"
awk '{print $1, $2}' "$work/all" | sort | uniq -c

# the answers each kind may give
bad=$(grep -v -E '^buy (201|400) |^refund (200|409) |^checkin (200|409) |^refund-admitted 409 |^rescan 409 ' "$work/all" | head -n 3 || true)
[ -z "$bad" ] || fail "unexpected answers: $bad"
expect_eq "rescans answered already_admitted" $ADMITTED "$(grep -c '^rescan 409 .*"result":"already_admitted"' "$work/all" || true)"
expect_eq "refunds of admitted tickets naming them checkedIn" $ADMITTED \
  "$(grep '^refund-admitted 409 ' "$work/all" | cut -d' ' -f4- | jq -s 'map(select(.tickets[0].status == "checkedIn")) | length')"

echo "full count of the tables"
filter=$(jq -nc --arg c "$cid" '{FilterExpression: "concertId = :c", ExpressionAttributeValues: {":c": {S: $c}}}')
ddb_scan $T-tickets-dev "$filter" >"$work/tickets"
ddb_scan $T-orders-dev "$filter" >"$work/order-items"
ddb_scan $T-concerts-dev "$(jq -nc --arg c "$cid" '{FilterExpression: "id = :c", ExpressionAttributeValues: {":c": {S: $c}}}')" >"$work/concert"
left=$(jq -r .availableTickets.N "$work/concert")
if [ "$tag" = pooled ]; then # the seats are in the pools; the item's own counter stays 0
  expect_eq "the pooled concert item's availableTickets" 0 "$left"
  ddb_scan $T-counters-dev "$filter" >"$work/pools"
  expect_eq "pools" 64 "$(wc -l <"$work/pools")"
  expect_eq "pools below zero" 0 "$(jq -s 'map(select(.available.N | tonumber < 0)) | length' "$work/pools")"
  left=$(jq -s 'map(.available.N | tonumber) | add' "$work/pools")
fi
count() { jq -s --arg s "$1" 'map(select(.status.S == $s)) | length' "$work/tickets"; }
valid=$(count valid) admitted=$(count checkedIn) refunded=$(count refunded) sold=$(wc -l <"$work/tickets")
echo "tickets: $sold sold, $valid valid, $admitted admitted, $refunded refunded; $left seats left"
expect_eq "seats left + valid + admitted = capacity" $SEATS $((left + valid + admitted))
expect_eq "every ticket valid, admitted or refunded" "$sold" $((valid + admitted + refunded))
expect_eq "tickets both refunded and admitted" 0 \
  "$(jq -s 'map(select((.status.S == "refunded" and has("checkedInAt")) or (.status.S == "checkedIn" and has("refundedAt")))) | length' "$work/tickets")"
# revenue by method from the tables: unitPrice of each ticket not refunded, by its order's payment method
revenue=$(jq -rs --slurpfile o <(jq -s . "$work/order-items") '
  ($o[0] | map({(.id.S): .paymentMethod.S}) | add) as $m
  | map(select(.status.S != "refunded") | $m[.orderId.S])
  | {card: (map(select(. == "card")) | length * 10), cash: (map(select(. == "cash")) | length * 10), comp: (map(select(. == "comp")) | length * 10)}
  | map_values(tostring + ".00") | [.card, .cash, .comp] | @csv' "$work/tickets")
http GET "$api/concerts/$cid/stats" "${K[@]}"
expect_status 200
presold=$((capacity - SEATS)) # pool_late's: counted sold, no ticket items, no revenue
expect_json '[.capacity, .sold, .refunded, .admitted, .available] | @csv' "$capacity,$((presold + sold)),$refunded,$admitted,$left"
expect_json '.revenue | [.card, .cash, .comp] | @csv' "$revenue"

echo "every 2xx is in the tables, no 4xx changed anything"
n_buy=$(grep -c '^buy 201 ' "$work/all" || true)
expect_eq "order items = seed + 201s" $(($(wc -l <"$work/seed") + n_buy)) "$(wc -l <"$work/order-items")"
expect_eq "tickets = seed + 201s' tickets" "$sold" \
  "$(( $(jq -s 'map(.quantity) | add' "$work/seed") + $(grep '^buy 201 ' "$work/all" | cut -d' ' -f4- | jq -s 'map(.quantity) | add // 0') ))"
jq -r 'select(.status.S == "refunded") | .id.S' "$work/tickets" | sort >"$work/refunded-stored"
grep '^refund 200 ' "$work/all" | cut -d' ' -f4- | jq -r '.refunds[].ticketIds[]' | sort -u >"$work/refunded-answered"
cmp -s "$work/refunded-stored" "$work/refunded-answered" || fail "refunded tickets in the table are not the tickets of the 200 refunds"
expect_eq "refunds recorded on orders = 200 refunds" "$(grep -c '^refund 200 ' "$work/all" || true)" \
  "$(jq -s 'map(.refunds.L // [] | length) | add' "$work/order-items")"
jq -r 'select(.status.S == "checkedIn") | .checkinNonce.S' "$work/tickets" | sort >"$work/nonces-stored"
{ seq 1 $ADMITTED | sed "s/^/pre-$tag-/"
  while read -r n kind arg; do
    [ "$kind" = checkin ] || continue
    if grep -q '"result":"admitted"' <(cut -d' ' -f4- "$work/r.$n"); then echo "checkin-$n"; fi
  done <"$work/jobs"; } | sort >"$work/nonces-answered"
cmp -s "$work/nonces-stored" "$work/nonces-answered" || fail "checked-in tickets are not those of the 200 check-ins (nonces differ)"
twice
echo "$tag: no drift: $left left + $valid valid + $admitted admitted = $SEATS; $refunded refunded"
}

twice() {

echo "a check-in sent twice at once with the same nonce admits once"
code=$(jq -r 'select(.status.S == "valid") | .code.S' "$work/tickets" | head -n 1)
[ -n "$code" ] || fail "no valid ticket left to check in"
body=$(jq -nc --arg c "$code" --arg k "$cid" --arg n "twice-$tag" '{code: $c, concertId: $k, nonce: $n}')
for i in 1 2; do curl -s -m 60 -o "$work/twice.$i" -w '%{http_code}\n' -X POST "$api/checkins" "${J[@]}" "${K[@]}" --data-binary "$body" >"$work/twice-status.$i" & done
wait
expect_eq "both answers" "200 200" "$(cat "$work/twice-status.1" "$work/twice-status.2" | paste -sd' ')"
expect_eq "both admitted" "admitted admitted" "$(jq -r .result "$work/twice.1" "$work/twice.2" | paste -sd' ')"
http GET "$api/concerts/$cid/stats" "${K[@]}"
expect_json .admitted $((admitted + 1))
http POST "$api/checkins" "${J[@]}" "${K[@]}" --data-binary "$(jq -nc --arg c "$code" --arg k "$cid" --arg n "other-$tag" '{code: $c, concertId: $k, nonce: $n}')"
expect_status 409
expect_json .result already_admitted
http GET "$api/concerts/$cid/stats" "${K[@]}"
expect_json .admitted $((admitted + 1))
}
books small "$small" $SEATS $ADMITTED $SEATS
books pooled "$pooled" $POOLED_LEFT $POOLED_ADMITTED 2000
echo PASS
