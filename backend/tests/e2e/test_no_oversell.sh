#!/usr/bin/env bash
# No oversell over HTTP: 300 concurrent purchases for a concert with 100 tickets, through the
# gateway (several warm workers) and DynamoDB Local -> exactly 100 x 201, 200 x 400 "No tickets
# available", availableTickets 0, exactly 100 ticket items, nothing else.
# A 429 (throttled before any function ran) is retried, as a client would; it cannot buy twice.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
source "$root/tests/lib/stack.sh"
[ -n "${BOXOFFICE_API_URL:-}" ] || { echo "no shared stack (BOXOFFICE_API_URL unset)"; exit 77; }
api=$BOXOFFICE_API_URL key=$TEST_TOKEN
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

http POST "$api/concerts" -H 'Content-Type: application/json' -H "Authorization: $key" --data-binary \
  "$(jq -nc --arg n "No oversell $$" '{name: $n, date: "2027-06-01T19:00:00Z", venue: "Stress Arena", availableTickets: 100, ticketPrice: 12.5}')"
expect_status 201
cid=$(jq -r .id <<<"$HTTP_BODY")

cat >"$work/buy.sh" <<'SH'
#!/usr/bin/env bash
# buy.sh API CONCERT N -> writes "<status> <body>" to $WORK/r.N
i=$3
body=$(printf '{"concertId":"%s","customerName":"Buyer %s","customerEmail":"buyer%s@example.com"}' "$2" "$i" "$i")
for attempt in 1 2 3 4 5 6 7 8; do
  out=$(curl -s -m 60 -w '\n%{http_code}' -X POST "$1/tickets" -H 'Content-Type: application/json' --data-binary "$body")
  code=${out##*$'\n'}
  [ "$code" = 429 ] || break
  sleep 0.$((RANDOM % 5 + 1))
done
printf '%s %s\n' "$code" "${out%$'\n'*}" >"$WORK/r.$i"
SH
chmod +x "$work/buy.sh"
echo "300 purchases, 60 at a time"
seq 1 300 | WORK=$work xargs -P 60 -I{} "$work/buy.sh" "$api" "$cid" {}

ok=$(cat "$work"/r.* | grep -c '^201 ' || true)
sold=$(cat "$work"/r.* | grep '^400 ' | grep -c '"No tickets available"' || true)
total=$(cat "$work"/r.* | wc -l)
other=$(cat "$work"/r.* | grep -v '^201 ' | grep -v '^400 .*"No tickets available"' | sort | uniq -c | head -n 5 || true)
echo "201: $ok, sold out: $sold, answers: $total"
[ -z "$other" ] || fail "unexpected answers: $other"
expect_eq "answers" 300 "$total"
expect_eq "successful purchases" 100 "$ok"
expect_eq "sold-out answers" 200 "$sold"
expect_eq "distinct ticket ids" 100 "$(cat "$work"/r.* | grep '^201 ' | cut -d' ' -f2- | jq -r .id | sort -u | wc -l)"
http GET "$api/concerts/$cid"
expect_json .availableTickets 0
n=$(ddb_count concert-ticket-system-tickets-dev "$(jq -nc --arg c "$cid" '{FilterExpression: "concertId = :c", ExpressionAttributeValues: {":c": {S: $c}}}')")
expect_eq "ticket items in DynamoDB" 100 "$n"
echo PASS
