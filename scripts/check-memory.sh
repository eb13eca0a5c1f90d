#!/usr/bin/env bash
# Memory check (valgrind memcheck): every unit test binary of the plain build (client and backend), then a
# bootstrap serving 1,600 invocations of all twelve handlers (valid and invalid inputs) against DynamoDB Local,
# fed by bench/rtstub (a Runtime API stub). Fails on any invalid access, use of uninitialised memory, or a
# definite/indirect leak. Run by scripts/run-tests.sh and `make check-memory`.
# Two at a time (2 cores): DynamoDB Local and the bootstrap's events are made ready while the unit tests run,
# two at a time; then the handlers are served in two lanes (each in the order that builds on what the
# previous ones wrote), and last the two that read what both lanes wrote.
# Ports: CHECKMEM_DDB_PORT (default 8604), CHECKMEM_STUB_PORT (9604+1 = 9605) and CHECKMEM_STUB_PORT2 (9607).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. bench/lib.sh

state=${CHECKMEM_STATE:-$root/build/check-memory}
ddb_port=${CHECKMEM_DDB_PORT:-8604}
stub_port=${CHECKMEM_STUB_PORT:-9605}
stub_port2=${CHECKMEM_STUB_PORT2:-9607}
rm -rf "$state"; mkdir -p "$state/vg"
# A memory finding makes valgrind exit with 97, whatever the program's own status.
VG=(valgrind --tool=memcheck --leak-check=full --errors-for-leak-kinds=definite,indirect
    --show-leak-kinds=definite,indirect --track-origins=yes --error-exitcode=97 --num-callers=30)
fail=0; failed=()

echo "check-memory: building (plain)"
if ! { make -s all unit-tests && make -s -C backend all tests && make -s -C bench all; } >"$state/build.log" 2>&1; then
  tail -n 30 "$state/build.log"; exit 1
fi

# ---- bootstrap: 1,600 invocations under valgrind ---------------------------------------------------------
# backend/build/bootstrap is the deployed link before strip (test_artifact_contents.sh checks that the zip's
# bootstrap is exactly it, stripped): the same code, with the symbols valgrind's reports need.
cleanup() { scripts/ddb-local.sh stop "$state" >/dev/null 2>&1; }
trap cleanup EXIT
export AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local AWS_REGION=us-east-1
export AWS_ENDPOINT_URL_DYNAMODB="http://127.0.0.1:$ddb_port"
C=concert-ticket-system-concerts-dev; T=concert-ticket-system-tickets-dev
ev=$state/events; mkdir -p "$ev"
# prepare: DynamoDB Local, its tables and items, the events (in the background while the unit tests run)
prepare() {
  if ! scripts/ddb-local.sh start "$ddb_port" "$state" || \
     ! backend/build/local-gateway --dynamodb-endpoint "$AWS_ENDPOINT_URL_DYNAMODB" --create-tables >"$state/tables.log" 2>&1; then
    echo "FAIL  DynamoDB Local / tables (see $state)"; return 1
  fi
  ddb_put_concert "$ddb_port" "$C" mem-open 1000000 "Memcheck Open"
  ddb_put_concert "$ddb_port" "$C" mem-soldout 0 "Memcheck Sold Out"
  # as the reference lets anyone write them: a concert that cannot be read faithfully, seats as a string
  ddb_req "$ddb_port" PutItem "{\"TableName\":\"$C\",\"Item\":{\"id\":{\"S\":\"mem-malformed\"},\"name\":{\"S\":\"\\u001b[31mBad\"},\"date\":{\"N\":\"5\"},\"venue\":{\"BOOL\":true},\"availableTickets\":{\"S\":\"lots\"},\"ticketPrice\":{\"N\":\"1E+38\"}}}" >/dev/null
  ddb_req "$ddb_port" PutItem "{\"TableName\":\"$C\",\"Item\":{\"id\":{\"S\":\"mem-strings\"},\"name\":{\"S\":\"Strings\"},\"date\":{\"S\":\"2027-01-01\"},\"venue\":{\"S\":\"Hall\"},\"availableTickets\":{\"S\":\"1000000\"},\"ticketPrice\":{\"S\":\"10\"}}}" >/dev/null
  # an operator's call: the claims API Gateway's Cognito authorizer hands over (every value a string)
  op() { jq -c '.requestContext.authorizer.claims={"sub":"mem-operator","cognito:username":"mem-operator","email":"mem@example.com","name":"Mem","cognito:groups":"manager,cashier,door","token_use":"id"}'; }
  good_concert='{"name":"Mem Night","date":"2027-02-01T20:00:00Z","venue":"Hall","availableTickets":10,"ticketPrice":12.5}'
  api_event POST /concerts /concerts "$good_concert" | op >"$ev/create-ok.json"
  api_event POST /concerts /concerts "$good_concert" >"$ev/create-nobody.json"     # no claims: 401
  api_event POST /concerts /concerts '{"name":"","date":"2027-02-30","venue":7,"availableTickets":-1,"ticketPrice":1e309}' | op >"$ev/create-bad.json"
  api_event POST /concerts /concerts "$(printf '%s' "$good_concert" | base64 -w0)" | jq -c '.isBase64Encoded=true' | op >"$ev/create-b64.json"
  api_event POST /concerts /concerts 'not json' | op >"$ev/create-notjson.json"
  api_event GET '/concerts/{id}' /concerts/mem-open '' mem-open >"$ev/get-ok.json"
  api_event GET '/concerts/{id}' /concerts/nope '' nope >"$ev/get-404.json"
  api_event GET '/concerts/{id}' /concerts/mem-malformed '' mem-malformed >"$ev/get-malformed.json"
  api_event GET '/concerts/{id}' /concerts/x '' "$(head -c 300 /dev/zero | tr '\0' x)" >"$ev/get-long.json"
  printf '%s' '{"httpMethod":5,"headers":[],"body":{}}' >"$ev/garbage.json"
  api_event GET /concerts /concerts >"$ev/list.json"
  buy() { api_event POST /tickets /tickets "{\"concertId\":\"$1\",\"customerName\":\"Mem Buyer\",\"customerEmail\":\"mem@example.com\"}"; }
  buy mem-open >"$ev/buy-ok.json"
  buy mem-open | jq -c '.headers["Idempotency-Key"]="memcheck-replay-key"' >"$ev/buy-replay.json"
  buy mem-soldout >"$ev/buy-soldout.json"
  buy mem-missing >"$ev/buy-404.json"
  buy mem-malformed >"$ev/buy-malformed.json"
  buy mem-strings >"$ev/buy-strings.json"
  buy mem-open | jq -c '.headers["Idempotency-Key"]="memcheck-replay-key" | .body |= sub("Mem Buyer"; "Other Buyer")' >"$ev/buy-key-reused.json"
  api_event POST /tickets /tickets '{"concertId":3,"customerEmail":"x"}' >"$ev/buy-bad.json"
  order() { api_event POST /orders /orders "{\"concertId\":\"$1\",\"quantity\":$2,\"customerName\":\"Mem Buyer\",\"customerEmail\":\"mem@example.com\",\"attendees\":$3}"; }
  order mem-open 3 '["A","B","C"]' >"$ev/order-ok.json"
  order mem-open 2 null | jq -c '.headers["Idempotency-Key"]="memcheck-order-key"' >"$ev/order-replay.json"
  order mem-open 3 null | jq -c '.headers["Idempotency-Key"]="memcheck-order-key"' >"$ev/order-key-reused.json"
  order mem-soldout 1 null >"$ev/order-soldout.json"
  order mem-soldout 1 null | jq -c '.headers["Idempotency-Key"]="memcheck-order-soldout"' >"$ev/order-soldout-key.json"
  order mem-missing 1 null >"$ev/order-404.json"
  order mem-malformed 1 null >"$ev/order-malformed.json"
  order mem-strings 11 null >"$ev/order-too-many.json"
  api_event POST /box-office/orders /box-office/orders '{"concertId":"mem-open","quantity":2,"payment":{"method":"card"}}' |
    op >"$ev/order-walkup.json"
  # cash without an open shift: the 409 that asks for one
  api_event POST /box-office/orders /box-office/orders '{"concertId":"mem-open","quantity":1,"payment":{"method":"cash","tendered":"100"}}' |
    op >"$ev/order-walkup-noshift.json"
  api_event POST /orders /orders '{"concertId":"mem-open","quantity":"x","attendees":[1],"payment":{"method":"comp"}}' >"$ev/order-bad.json"
  api_event GET '/orders/{id}' /orders/nope '' nope | op >"$ev/getorder-404.json"
  api_event GET '/orders/{id}' /orders/mem-order '' mem-order | op >"$ev/getorder-refunded.json"
  # after the sale: an order of two tickets with known codes, written straight into the tables
  O=concert-ticket-system-orders-dev K=concert-ticket-system-codes-dev
  ddb_req "$ddb_port" PutItem "{\"TableName\":\"$O\",\"Item\":{\"id\":{\"S\":\"mem-order\"},\"concertId\":{\"S\":\"mem-open\"},\"quantity\":{\"N\":\"2\"},\"unitPrice\":{\"N\":\"10\"},\"total\":{\"N\":\"20\"},\"currency\":{\"S\":\"EUR\"},\"paymentMethod\":{\"S\":\"card\"},\"createdAt\":{\"S\":\"2026-11-29T10:00:00.000Z\"},\"soldBy\":{\"S\":\"mem-operator\"},\"ticketIds\":{\"L\":[{\"S\":\"mem-t1\"},{\"S\":\"mem-t2\"}]}}}" >/dev/null
  for i in 1 2; do
    ddb_req "$ddb_port" PutItem "{\"TableName\":\"$T\",\"Item\":{\"id\":{\"S\":\"mem-t$i\"},\"concertId\":{\"S\":\"mem-open\"},\"orderId\":{\"S\":\"mem-order\"},\"code\":{\"S\":\"ABCDE-FGHJK-MNPQR-STVW$i\"},\"status\":{\"S\":\"valid\"},\"customerName\":{\"S\":\"\"},\"customerEmail\":{\"S\":\"\"},\"purchaseDate\":{\"S\":\"2026-11-29T10:00:00.000Z\"}}}" >/dev/null
    ddb_req "$ddb_port" PutItem "{\"TableName\":\"$K\",\"Item\":{\"code\":{\"S\":\"ABCDE-FGHJK-MNPQR-STVW$i\"},\"ticketId\":{\"S\":\"mem-t$i\"},\"orderId\":{\"S\":\"mem-order\"},\"concertId\":{\"S\":\"mem-open\"}}}" >/dev/null
  done
  checkin() { api_event POST /checkins /checkins "{\"code\":\"$1\",\"concertId\":\"$2\",\"nonce\":\"$3\",\"door\":\"North\"}" | op; }
  checkin abcde-fghjk-mnpqr-stvw1 mem-open n1 >"$ev/checkin-ok.json"
  checkin ABCDE-FGHJK-MNPQR-STVW1 mem-open n2 >"$ev/checkin-again.json"
  checkin ABCDE-FGHJK-MNPQR-STVW1 mem-soldout n3 >"$ev/checkin-wrong.json"
  checkin 00000-00000-00000-00000 mem-open n4 >"$ev/checkin-unknown.json"
  checkin UUU mem-open n5 >"$ev/checkin-nocode.json"
  api_event POST /checkins /checkins '{"code":1,"nonce":" "}' | op >"$ev/checkin-bad.json"
  api_event POST '/checkins/{ticketId}/undo' /checkins/mem-t1/undo | jq -c '.pathParameters={ticketId:"mem-t1"}' | op >"$ev/undo-ok.json"
  api_event POST '/checkins/{ticketId}/undo' /checkins/nope/undo | jq -c '.pathParameters={ticketId:"nope"}' | op >"$ev/undo-404.json"
  api_event POST '/orders/{id}/refund' /orders/mem-order/refund '{"ticketIds":["mem-t2"],"reason":"memcheck"}' mem-order | op |
    jq -c '.headers["Idempotency-Key"]="memcheck-refund"' >"$ev/refund-key.json"
  api_event POST '/orders/{id}/refund' /orders/mem-order/refund '{"reason":"all","method":"card"}' mem-order | op >"$ev/refund-all.json"
  api_event POST '/orders/{id}/refund' /orders/nope/refund '{"reason":"x"}' nope | op >"$ev/refund-404.json"
  api_event POST '/orders/{id}/refund' /orders/mem-order/refund '{"ticketIds":[],"reason":7}' mem-order | op >"$ev/refund-bad.json"
  for c in mem-open nope mem-malformed; do api_event GET '/concerts/{id}/stats' "/concerts/$c/stats" '' "$c" | op >"$ev/stats-$c.json"; done
  # lookups: the orders createOrder wrote above (Mem Buyer, mem@example.com), pages, filters and bad input
  find_ev() { api_event GET /orders /orders | jq -c --argjson q "$1" '.queryStringParameters=$q'; }
  find_ev '{"email":"MEM@example.com"}' | op >"$ev/find-email.json"
  find_ev '{"name":"mem b","limit":"1"}' | op >"$ev/find-page.json"
  find_ev '{"name":"Mëm","concertId":"mem-open","limit":"2"}' | op >"$ev/find-concert.json"
  find_ev '{"name":"mem","cursor":"1.WyJhIiwibWVtXHUwMDFmOSJd.0123456789abcdef"}' | op >"$ev/find-cursor-bad.json"
  find_ev '{"name":"m"}' | op >"$ev/find-short.json"
  find_ev '{"email":"mem"}' >"$ev/find-nokey.json"
  bycode() { api_event GET '/tickets/by-code/{code}' "/tickets/by-code/$1" | jq -c --arg c "$1" '.pathParameters={code:$c}' | op; }
  bycode abcdefghjkmnpqrstvw1 >"$ev/bycode-ok.json"
  bycode 00000-00000-00000-00000 >"$ev/bycode-unknown.json"
  bycode UUU >"$ev/bycode-bad.json"
}
prepare >"$state/prepare.log" 2>&1 &
prepare_pid=$!

# ---- unit tests, two at a time --------------------------------------------------------------------------
tests=()
for t in build/tests/unit/test_* backend/build/tests/unit/test_* backend/build/tests/common/test_*; do
  [ -x "$t" ] && [[ "$t" != *.d ]] && tests+=("$t")
done
run_one() { # test binary -> 0/1, log in $state/vg/<name>.log
  local t=$1 log="$state/vg/$(echo "$1" | tr '/' '_').log" try rc t0=$SECONDS
  for try in 1 2; do
    timeout 900 "${VG[@]}" --log-file="$log" "$t" >"$log.out" 2>&1; rc=$?
    if [ $rc -ne 97 ] && grep -q 'ERROR SUMMARY: 0 errors' "$log" 2>/dev/null; then
      # Memory is clean. A test that fails only under valgrind (about 20x slower: client-side timeouts)
      # is reported, not counted: the plain and ASan runs of the suite judge the behaviour.
      if [ $rc -eq 0 ]; then echo "ok    $t ($((SECONDS - t0))s)"; else echo "ok    $t ($((SECONDS - t0))s, memory clean; the test itself failed under valgrind, rc=$rc: $(grep -m1 -E 'FAILED|ERROR' "$log.out"))"; fi
      return 0
    fi
    # Only a binary that could not be started (e.g. being relinked by a parallel build) is tried again.
    grep -q 'ERROR SUMMARY' "$log" 2>/dev/null && break
    sleep 5
  done
  echo "FAIL  $t (see $log)"; grep -hE 'ERROR SUMMARY|definitely lost|indirectly lost|Invalid|uninitialised|valgrind:' "$log" "$log.out" 2>/dev/null | head -n 5 | sed 's/^/      /'
  return 1
}
# a new one starts as soon as either of the two running ends (a slow one does not hold up the other slot);
# in a subshell, whose wait sees only these (not the preparation running beside them)
: >"$state/failed-units"
( running=0
  for t in "${tests[@]}"; do
    if [ $running -ge 2 ]; then wait -n; running=$((running - 1)); fi
    { run_one "$t" || echo "$t" >>"$state/failed-units"; } & running=$((running + 1))
  done
  wait )
while read -r t; do fail=1; failed+=("$t"); done <"$state/failed-units"

echo "check-memory: bootstrap, 1,600 invocations under valgrind (DynamoDB Local on :$ddb_port)"
if ! wait "$prepare_pid"; then cat "$state/prepare.log"; echo "check-memory: FAILED: DynamoDB Local / events"; exit 1; fi
stub() { # handler invocations events...   (on the Runtime API stub's port $port)
  local h=$1 n=$2; shift 2
  local -a evs=()
  for e in "$@"; do evs+=(-e "$e"); done
  local log="$state/vg/bootstrap-$h.log"
  if env CONCERTS_TABLE=$C TICKETS_TABLE=$T ORDERS_TABLE=concert-ticket-system-orders-dev \
       CODES_TABLE=concert-ticket-system-codes-dev OPERATORS_TABLE=concert-ticket-system-operators-dev \
       SHIFTS_TABLE=concert-ticket-system-shifts-dev JOURNAL_TABLE=concert-ticket-system-journal-dev \
       COUNTERS_TABLE=concert-ticket-system-counters-dev \
       _HANDLER="concert-service.$h" AWS_LAMBDA_FUNCTION_NAME="memcheck-$h" \
       timeout 600 build/bench/rtstub -p "$port" -g -t 60 -n "$n" -o "$state/bootstrap-$h.out" "${evs[@]}" -- \
       "${VG[@]}" --log-file="$log" backend/build/bootstrap >"$state/rtstub-$h.txt" 2>&1 \
     && grep -q 'ERROR SUMMARY: 0 errors' "$log"; then
    echo "ok    bootstrap $h: $n invocations ($(sed -n 5p "$state/rtstub-$h.txt"))"
  else
    echo "FAIL  bootstrap $h (see $log and $state/rtstub-$h.txt)"
    grep -E 'ERROR SUMMARY|definitely lost|indirectly lost|Invalid|uninitialised' "$log" | head -n 10 | sed 's/^/      /'
    return 1
  fi
}
# two lanes, each on its own stub port; a lane's failures are appended to $state/failed
lane_a() {
  local port=$stub_port
  stub createConcert 250 "$ev/create-ok.json" "$ev/create-bad.json" "$ev/create-b64.json" "$ev/create-notjson.json" \
    "$ev/create-nobody.json" "$ev/garbage.json" || echo bootstrap-createConcert >>"$state/failed"
  stub getConcert 250 "$ev/get-ok.json" "$ev/get-404.json" "$ev/get-long.json" "$ev/get-malformed.json" "$ev/garbage.json" \
    || echo bootstrap-getConcert >>"$state/failed"
  stub listConcerts 250 "$ev/list.json" "$ev/garbage.json" || echo bootstrap-listConcerts >>"$state/failed"
}
lane_b() {
  local port=$stub_port2
  stub purchaseTicket 250 "$ev/buy-ok.json" "$ev/buy-replay.json" "$ev/buy-soldout.json" "$ev/buy-404.json" "$ev/buy-bad.json" \
    "$ev/buy-malformed.json" "$ev/buy-strings.json" "$ev/buy-key-reused.json" "$ev/garbage.json" \
    || echo bootstrap-purchaseTicket >>"$state/failed"
  stub createOrder 250 "$ev/order-ok.json" "$ev/order-replay.json" "$ev/order-key-reused.json" "$ev/order-soldout.json" \
    "$ev/order-soldout-key.json" "$ev/order-404.json" "$ev/order-malformed.json" "$ev/order-too-many.json" "$ev/order-walkup.json" \
    "$ev/order-walkup-noshift.json" \
    "$ev/order-bad.json" "$ev/garbage.json" || echo bootstrap-createOrder >>"$state/failed"
  stub checkIn 60 "$ev/checkin-ok.json" "$ev/checkin-again.json" "$ev/checkin-wrong.json" "$ev/checkin-unknown.json" \
    "$ev/checkin-nocode.json" "$ev/checkin-bad.json" "$ev/garbage.json" || echo bootstrap-checkIn >>"$state/failed"
  stub undoCheckIn 30 "$ev/undo-ok.json" "$ev/undo-404.json" "$ev/garbage.json" || echo bootstrap-undoCheckIn >>"$state/failed"
  stub refundOrder 60 "$ev/refund-key.json" "$ev/refund-all.json" "$ev/refund-404.json" "$ev/refund-bad.json" "$ev/garbage.json" \
    || echo bootstrap-refundOrder >>"$state/failed"
  stub findOrders 60 "$ev/find-email.json" "$ev/find-page.json" "$ev/find-concert.json" "$ev/find-cursor-bad.json" \
    "$ev/find-short.json" "$ev/find-nokey.json" "$ev/garbage.json" || echo bootstrap-findOrders >>"$state/failed"
  stub getTicketByCode 40 "$ev/bycode-ok.json" "$ev/bycode-unknown.json" "$ev/bycode-bad.json" "$ev/garbage.json" \
    || echo bootstrap-getTicketByCode >>"$state/failed"
}
: >"$state/failed"
lane_a & lane_a_pid=$!
lane_b; wait "$lane_a_pid"
# after both lanes (the sales and the refunds): the counts, and reading an order back parses its refunds list
port=$stub_port
stub concertStats 50 "$ev/stats-mem-open.json" "$ev/stats-nope.json" "$ev/stats-mem-malformed.json" "$ev/garbage.json" \
  || echo bootstrap-concertStats >>"$state/failed"
stub getOrder 50 "$ev/getorder-404.json" "$ev/getorder-refunded.json" "$ev/garbage.json" || echo bootstrap-getOrder >>"$state/failed"
while read -r f; do fail=1; failed+=("$f"); done <"$state/failed"

if [ $fail -eq 0 ]; then
  echo "check-memory: ${#tests[@]} unit test binaries and 1,600 bootstrap invocations: no leak, no invalid access"
else
  echo "check-memory: FAILED: ${failed[*]}"
fi
exit $fail
