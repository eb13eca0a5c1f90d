#!/usr/bin/env bash
# Fault: a worker (bootstrap process) is killed with SIGKILL in the middle of an invocation.
# Asserts: that request gets a 502 with a JSON body (as API Gateway answers for a crashed function), a
# concurrent request on another worker is not affected, the next request works, and a purchase whose worker
# died mid-transaction leaves the books consistent (all or nothing) and can be retried safely with the same
# Idempotency-Key (one ticket, one seat).
# To catch the worker mid-invocation, DynamoDB is reached through bench's faultproxy, which holds each
# request for 1.5 s while the kill happens. Private stack: ports 3612 (API), 8612 (DynamoDB), 9612 (proxy).
set -uo pipefail
cd "$(dirname "$0")/../../.."
. bench/lib.sh; . bench/stack.sh; . bench/fault.sh
fault_setup fault-worker
api_port=3612; ddb_port=8612; proxy_port=9612; seats=10
mkdir -p "$FAULT_STATE/stack"
scripts/ddb-local.sh start $ddb_port "$FAULT_STATE/stack" || exit 1
fault_proxy_start $proxy_port $ddb_port || exit 1
api=$(pstack_up "$FAULT_STATE/stack" $api_port $ddb_port "http://127.0.0.1:$proxy_port") || exit 1
key=$(cat "$FAULT_STATE/stack/token")
fails=0
fail() { echo "FAIL $*"; fails=$((fails + 1)); }

concert=$(post_json "$api/concerts" "{\"name\":\"Fault: worker killed\",\"date\":\"2027-06-01\",\"venue\":\"V\",\"availableTickets\":$seats,\"ticketPrice\":20}" \
            -H "Authorization: $key" | cut -d' ' -f2- | jq -r .id)
[ -n "$concert" ] && [ "$concert" != null ] || { echo "FAIL cannot create the concert"; exit 1; }
r=$(curl -s -m 30 -o /dev/null -w '%{http_code}' "$api/concerts/$concert")
[ "$r" = 200 ] || fail "warm-up GET: $r"

# 1. GET /concerts/{id}: kill its worker mid-invocation; a parallel GET /concerts is not affected.
fault_mode delay 1500
curl -s -m 60 -D "$FAULT_STATE/get.h" -o "$FAULT_STATE/get.body" -w '%{http_code}' "$api/concerts/$concert" >"$FAULT_STATE/get.code" &
g=$!
curl -s -m 60 -o "$FAULT_STATE/list.body" -w '%{http_code}' "$api/concerts" >"$FAULT_STATE/list.code" &
l=$!
pid=$(fault_busy_worker $api_port getConcert 20) || fail "no busy getConcert worker seen"
[ -n "$pid" ] && kill -KILL "$pid" && echo "killed getConcert worker $pid mid-invocation"
wait $g; wait $l
code=$(cat "$FAULT_STATE/get.code"); echo "the killed invocation: $code $(cat "$FAULT_STATE/get.body")"
openapi_record GET "$api/concerts/$concert" "$code" "$FAULT_STATE/get.h" "$FAULT_STATE/get.body"
[ "$code" = 502 ] || fail "expected 502 for the killed invocation, got $code"
jq -e 'type == "object" and ((.message // .error) | type == "string")' "$FAULT_STATE/get.body" >/dev/null 2>&1 || fail "502 without a JSON body"
[ "$(cat "$FAULT_STATE/list.code")" = 200 ] || fail "the concurrent GET /concerts got $(cat "$FAULT_STATE/list.code")"
fault_mode pass
r=$(curl -s -m 30 -o "$FAULT_STATE/next.body" -w '%{http_code}' "$api/concerts/$concert")
[ "$r" = 200 ] && [ "$(jq -r .id "$FAULT_STATE/next.body")" = "$concert" ] || fail "the next GET after the crash: $r"
kill -0 "$pid" 2>/dev/null && fail "the killed worker $pid is still there"

# 2. POST /tickets: kill the worker while its transaction is held by the proxy, then retry with the same key.
idem=worker-kill-$(date +%s%N)
body="{\"concertId\":\"$concert\",\"customerName\":\"Crash Buyer\",\"customerEmail\":\"crash@example.com\"}"
fault_mode delay 1500
post_json "$api/tickets" "$body" -H "Idempotency-Key: $idem" >"$FAULT_STATE/buy1" &
b=$!
pid=$(fault_busy_worker $api_port purchaseTicket 20) || fail "no busy purchaseTicket worker seen"
sleep 1.8   # past the concert read (held 1.5 s): the transaction is on its way (held by the proxy)
[ -n "$pid" ] && kill -KILL "$pid" && echo "killed purchaseTicket worker $pid mid-invocation"
wait $b
echo "the killed purchase: $(cat "$FAULT_STATE/buy1")"
[ "$(cut -d' ' -f1 "$FAULT_STATE/buy1")" = 502 ] || fail "expected 502 for the killed purchase"
sleep 2    # let the held transaction reach DynamoDB (or not): either way it is all or nothing
fault_mode pass
books=$(fault_check_books $ddb_port "$concert" $seats) || fail "books after the crash: $books"
echo "after the crash: $books"
r=$(post_json "$api/tickets" "$body" -H "Idempotency-Key: $idem")
echo "retry with the same key: $r"
case ${r%% *} in 200|201) ;; *) fail "the retry with the same Idempotency-Key got ${r%% *}" ;; esac
tid=$(cut -d' ' -f2- <<<"$r" | jq -r .id)
r2=$(post_json "$api/tickets" "$body" -H "Idempotency-Key: $idem")
[ "$(cut -d' ' -f2- <<<"$r2" | jq -r .id)" = "$tid" ] || fail "a second retry gave another ticket: $r2"
books=$(fault_check_books $ddb_port "$concert" $seats) || fail "books after the retries: $books"
[ "$books" = "seats $((seats - 1)) tickets 1" ] || fail "expected exactly one ticket and one seat taken, got: $books"
echo "after the retries: $books"
[ $fails -eq 0 ] && echo "ok"
exit $fails
