#!/usr/bin/env bash
# Fault: a slow or broken network between the workers and DynamoDB (bench's faultproxy in between).
# What backend/ddb/include/ddb.h documents, checked end to end with the function timeout cut to 3 s:
#   - a slow DynamoDB (each request held 400 ms) is only slow: reads and purchases succeed;
#   - a DynamoDB that never answers (black hole): the function gives up before its deadline
#     (DDB_DEADLINE_MARGIN_MS) and answers 503 with Retry-After itself (not the gateway's timeout 502), and the
#     purchase writes nothing;
#   - a request held longer than the deadline: 503, and whatever DynamoDB does with it later, the books add
#     up and a retry with the same Idempotency-Key yields one ticket for one seat;
#   - connections reset: transport errors are retried, at most DDB_MAX_ATTEMPTS attempts, then 503;
#   - once the network is back, everything works again.
# Private stack: ports 3613 (API), 8613 (DynamoDB Local), 9613 (proxy).
set -uo pipefail
cd "$(dirname "$0")/../../.."
. bench/lib.sh; . bench/stack.sh; . bench/fault.sh
fault_setup fault-slow-ddb
api_port=3613; ddb_port=8613; proxy_port=9613; seats=20
max_attempts=$(sed -n 's/^#define DDB_MAX_ATTEMPTS \([0-9]*\).*/\1/p' backend/ddb/include/ddb.h)
mkdir -p "$FAULT_STATE/stack"
scripts/ddb-local.sh start $ddb_port "$FAULT_STATE/stack" || exit 1
fault_proxy_start $proxy_port $ddb_port || exit 1
api=$(pstack_up "$FAULT_STATE/stack" $api_port $ddb_port "http://127.0.0.1:$proxy_port" --timeout 3) || exit 1
key=$(cat "$FAULT_STATE/stack/token")
fails=0
fail() { echo "FAIL $*"; fails=$((fails + 1)); }
get() {
  local r
  rm -f "$FAULT_STATE/get.h" "$FAULT_STATE/get.body"
  r=$(curl -s -m 30 -D "$FAULT_STATE/get.h" -o "$FAULT_STATE/get.body" -w '%{http_code}' "$api/concerts/$concert")
  openapi_record GET "$api/concerts/$concert" "$r" "$FAULT_STATE/get.h" "$FAULT_STATE/get.body"
  echo "$r"
}
buy() { post_json "$api/tickets" "{\"concertId\":\"$concert\",\"customerName\":\"Slow Buyer\",\"customerEmail\":\"slow@example.com\"}" -H "Idempotency-Key: $1"; }
ticket_exists() { ddb_req $ddb_port GetItem "{\"TableName\":\"$PSTACK_TICKETS\",\"Key\":{\"id\":{\"S\":\"$1\"}},\"ConsistentRead\":true}" | jq -e .Item >/dev/null; }

concert=$(post_json "$api/concerts" "{\"name\":\"Fault: slow DB\",\"date\":\"2027-06-01\",\"venue\":\"V\",\"availableTickets\":$seats,\"ticketPrice\":20}" \
            -H "Authorization: $key" | cut -d' ' -f2- | jq -r .id)
[ -n "$concert" ] && [ "$concert" != null ] || { echo "FAIL cannot create the concert"; exit 1; }
sold=0

echo "== slow: every request to DynamoDB held 400 ms"
fault_mode delay 400
r=$(get); [ "$r" = 200 ] || fail "slow GET: $r"
r=$(buy slow-1); [ "${r%% *}" = 201 ] && sold=$((sold + 1)) || fail "slow purchase: $r"

echo "== black hole: DynamoDB never answers"
fault_mode blackhole
r=$(get); echo "GET: $r $(cat "$FAULT_STATE/get.body")"
[ "$r" = 503 ] || fail "black-hole GET: expected 503 from the function (before the 3 s deadline), got $r"
grep -qi '^retry-after:' "$FAULT_STATE/get.h" || fail "503 without Retry-After"
jq -e '.error | type == "string"' "$FAULT_STATE/get.body" >/dev/null 2>&1 || fail "503 without a JSON error"
r=$(buy hole-1); echo "purchase: $r"
[ "${r%% *}" = 503 ] || fail "black-hole purchase: expected 503, got $r"
fault_mode pass
books=$(fault_check_books $ddb_port "$concert" $seats) || fail "books after the black hole: $books"
[ "$books" = "seats $((seats - sold)) tickets $sold" ] || fail "the black-holed purchase wrote something: $books"
grep -q 'DDB_ERR_TIMEOUT' "$FAULT_STATE/stack/gateway.log" || fail "no DDB_ERR_TIMEOUT in the function's log"

echo "== held past the deadline: the concert read (2 s) fits, the transaction reaches DynamoDB at 4 s, after the 503"
fault_mode delay 2000
r=$(buy late-1); echo "purchase: $r"
[ "${r%% *}" = 503 ] || fail "late purchase: expected 503, got $r"
sleep 5
fault_mode pass
books=$(fault_check_books $ddb_port "$concert" $seats) || fail "books after the late purchase: $books"
echo "after it: $books"
r=$(buy late-1); echo "retry with the same key: $r"
case ${r%% *} in 200|201) sold=$((sold + 1)) ;; *) fail "retry of the late purchase: $r" ;; esac
tid=$(cut -d' ' -f2- <<<"$r" | jq -r .id)
ticket_exists "$tid" || fail "the retried ticket $tid is not stored"
books=$(fault_check_books $ddb_port "$concert" $seats) || fail "books after the retry: $books"
[ "$books" = "seats $((seats - sold)) tickets $sold" ] || fail "one ticket for one seat expected: $books (sold $sold)"

echo "== connections reset: retried at most $max_attempts times, then 503"
fault_mode reset
before=$(grep -c '"reset"' "$FAULT_STATE/proxy.log")
r=$(get); echo "GET: $r"
after=$(grep -c '"reset"' "$FAULT_STATE/proxy.log")
attempts=$((after - before))
echo "attempts seen by the proxy: $attempts"
[ "$r" = 503 ] || fail "reset GET: expected 503, got $r"
[ "$attempts" -ge 2 ] && [ "$attempts" -le "$max_attempts" ] || fail "expected 2..$max_attempts attempts, saw $attempts"

echo "== back to normal"
fault_mode pass
r=$(get); [ "$r" = 200 ] || fail "GET after recovery: $r"
r=$(buy after-1); [ "${r%% *}" = 201 ] && sold=$((sold + 1)) || fail "purchase after recovery: $r"
books=$(fault_check_books $ddb_port "$concert" $seats) || fail "final books: $books"
[ "$books" = "seats $((seats - sold)) tickets $sold" ] || fail "final books: $books (sold $sold)"
echo "final: $books"
[ $fails -eq 0 ] && echo "ok"
exit $fails
