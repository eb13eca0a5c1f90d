#!/usr/bin/env bash
# No oversell over HTTP: 300 concurrent purchases for a concert with 100 tickets, through the
# gateway (several warm workers) and DynamoDB Local -> exactly 100 x 201, 200 x 400 "No tickets
# available", availableTickets 0, exactly 100 ticket items, nothing else. At the same time the same for a
# pooled concert (issue 19: capacity 2,000, its seats in 64 pools) late in its on-sale, 100 seats left over
# 50 pools: POST /tickets moves between pools as they run short and sells exactly those 100.
# A 429 (throttled before any function ran) is retried, as a client would; it cannot buy twice.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
source "$root/tests/lib/stack.sh"
source "$root/backend/tests/e2e/orders_lib.sh"
[ -n "${BOXOFFICE_API_URL:-}" ] || { echo "no shared stack (BOXOFFICE_API_URL unset)"; exit 77; }
api=$BOXOFFICE_API_URL key=$TEST_TOKEN
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

create() { # create SEATS -> the new concert's id
  http POST "$api/concerts" -H 'Content-Type: application/json' -H "Authorization: $key" --data-binary \
    "$(jq -nc --arg n "No oversell $$ $1" --argjson s "$1" '{name: $n, date: "2027-06-01T19:00:00Z", venue: "Stress Arena", availableTickets: $s, ticketPrice: 12.5}')"
  expect_status 201
  jq -r .id <<<"$HTTP_BODY"
}
small=$(create 100)
pooled=$(create 2000)
pool_late "$pooled" 2000 2 50
http GET "$api/concerts/$pooled"
expect_json .availableTickets 100

cat >"$work/buy.sh" <<'SH'
#!/usr/bin/env bash
# buy.sh API CONCERT TAG N -> writes "<status> <body>" to $WORK/TAG/r.N
i=$4
body=$(printf '{"concertId":"%s","customerName":"Buyer %s","customerEmail":"buyer%s@example.com"}' "$2" "$i" "$i")
for attempt in 1 2 3 4 5 6 7 8; do
  out=$(curl -s -m 60 -w '\n%{http_code}' -X POST "$1/tickets" -H 'Content-Type: application/json' --data-binary "$body")
  code=${out##*$'\n'}
  [ "$code" = 429 ] || break
  sleep 0.$((RANDOM % 5 + 1))
done
printf '%s %s\n' "$code" "${out%$'\n'*}" >"$WORK/$3/r.$i"
SH
chmod +x "$work/buy.sh"
mkdir "$work/small" "$work/pooled"
echo "300 purchases for each concert, 60 at a time"
{ seq 1 300 | sed "s/^/$small small /"; seq 1 300 | sed "s/^/$pooled pooled /"; } | shuf |
  WORK=$work xargs -P 60 -L 1 "$work/buy.sh" "$api"

for tag in small pooled; do
  cid=$small; [ $tag = pooled ] && cid=$pooled
  r=("$work/$tag"/r.*)
  ok=$(cat "${r[@]}" | grep -c '^201 ' || true)
  sold=$(cat "${r[@]}" | grep '^400 ' | grep -c '"No tickets available"' || true)
  total=$(cat "${r[@]}" | wc -l)
  other=$(cat "${r[@]}" | grep -v '^201 ' | grep -v '^400 .*"No tickets available"' | sort | uniq -c | head -n 5 || true)
  echo "$tag: 201: $ok, sold out: $sold, answers: $total"
  [ -z "$other" ] || fail "$tag: unexpected answers: $other"
  expect_eq "$tag: answers" 300 "$total"
  expect_eq "$tag: successful purchases" 100 "$ok"
  expect_eq "$tag: sold-out answers" 200 "$sold"
  expect_eq "$tag: distinct ticket ids" 100 "$(cat "${r[@]}" | grep '^201 ' | cut -d' ' -f2- | jq -r .id | sort -u | wc -l)"
  http GET "$api/concerts/$cid"
  expect_json .availableTickets 0
  n=$(ddb_count concert-ticket-system-tickets-dev "$(jq -nc --arg c "$cid" '{FilterExpression: "concertId = :c", ExpressionAttributeValues: {":c": {S: $c}}}')")
  expect_eq "$tag: ticket items in DynamoDB" 100 "$n"
done
# the pooled concert: every pool at 0, never below; its item's own counter untouched (the reference's purchase
# on it is refused); the stats sum the pools
pools=$(ddb_scan concert-ticket-system-counters-dev "$(jq -nc --arg c "$pooled" '{FilterExpression: "concertId = :c", ExpressionAttributeValues: {":c": {S: $c}}}')")
expect_eq "pools" 64 "$(wc -l <<<"$pools")"
expect_eq "pools with seats left or below zero" 0 "$(jq -s 'map(select(.available.N != "0")) | length' <<<"$pools")"
expect_eq "seats sold in the pools" 2000 "$(jq -s 'map(.sold.N | tonumber) | add' <<<"$pools")"
http GET "$api/concerts/$pooled/stats" -H "Authorization: $key"
expect_status 200
expect_json '[.capacity, .sold, .available] | @csv' "2000,2000,0"
echo PASS
