#!/usr/bin/env bash
# How local-gateway answers when a function misbehaves, like API Gateway + Lambda: a crashing worker
# -> 502 for that request only and a fresh worker next time; a malformed proxy response or a posted
# function error -> 502; a function past its timeout -> killed, 502 (Lambda's timeout is a function
# error), with Lambda's "Task timed out", END and REPORT ... Status: timeout lines; API Gateway's
# integration timeout passing first -> 504 while the function runs on; a response over Lambda's
# 6,291,556 bytes -> 502; over the concurrency limit -> the request waits (bounded), then 429; a
# runtime whose init fails -> 502.
# Private gateways with tests/e2e/fake-serverless.yml and the fake runtime.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
source "$root/tests/lib/stack.sh"
trap stack_cleanup EXIT
here="$root/backend/tests/e2e"
fake=(--config "$here/fake-serverless.yml" --bootstrap "$here/fake-bootstrap.sh")
ise() { expect_status 502; expect_json .message "Internal server error"; }
# the access line is written once the answer is out: wait for it
access_line() { grep '"event":"access"' "$GW_LOG" | grep -q "\"requestId\":\"$1\""; }
access_pid() {
  wait_until 10 access_line "$1" || fail "no access log line for $1"
  grep '"event":"access"' "$GW_LOG" | grep "\"requestId\":\"$1\"" | jq -r '.workerPid // empty'
}
access_lrid() {
  wait_until 10 access_line "$1" || fail "no access log line for $1"
  grep '"event":"access"' "$GW_LOG" | grep "\"requestId\":\"$1\"" | jq -r '.lambdaRequestId // empty'
}
last_rid() { grep -i '^x-amzn-requestid:' <<<"$HTTP_HEADERS" | cut -d' ' -f2; }

gw_start "${fake[@]}"

echo "crashing worker -> 502, replaced by a new process on the next request; others unaffected"
http GET "$GW_URL/crash"; ise
pid1=$(access_pid "$(last_rid)")
http GET "$GW_URL/echo"; expect_status 200
http GET "$GW_URL/crash"; ise
pid2=$(access_pid "$(last_rid)")
[ -n "$pid1" ] && [ -n "$pid2" ] && [ "$pid1" != "$pid2" ] || fail "crash workers: '$pid1' then '$pid2' (want two different processes)"
wait_until 10 grep -q "\"event\":\"worker_exit\",\"function\":\"crash\",\"pid\":$pid1,\"exitCode\":3" "$GW_LOG" || fail "no worker_exit for $pid1"

echo "malformed proxy response -> 502, the (healthy) worker is kept"
http GET "$GW_URL/garbage"; ise
g1=$(access_pid "$(last_rid)")
http GET "$GW_URL/garbage"; ise
g2=$(access_pid "$(last_rid)")
expect_eq "garbage worker reused" "$g1" "$g2"

echo "function error (.../error) -> 502"
http GET "$GW_URL/error"; ise
grep -q '"event":"function_error"' "$GW_LOG" || fail "function error not logged"

echo "function timeout (3 s, under API Gateway's 29 s) -> 502 Internal server error, worker killed"
http GET "$GW_URL/sleep/1"; expect_status 200
s1=$(jq -r .pid <<<"$HTTP_BODY")
http GET "$GW_URL/sleep/30"
ise
lrid=$(access_lrid "$(last_rid)")
expect_eq "the timed-out worker was the warm one" "$s1" "$(access_pid "$(last_rid)")"
wait_until 10 bash -c "! kill -0 $s1 2>/dev/null" || fail "timed-out worker $s1 still alive"
grep -q "\[sleep\] .* $lrid Task timed out after 3.00 seconds" "$GW_LOG" || fail "no 'Task timed out' line"
grep -q "^\[sleep\] END RequestId: $lrid\$" "$GW_LOG" || fail "no END line for the timed-out $lrid"
grep -q "^\[sleep\] REPORT RequestId: $lrid	Duration: [0-9.]* ms	Billed Duration: [0-9]* ms	Memory Size: 256 MB	Max Memory Used: [0-9]* MB	Status: timeout\$" "$GW_LOG" \
  || fail "no REPORT ... Status: timeout line for $lrid: $(grep "REPORT RequestId: $lrid" "$GW_LOG")"
http GET "$GW_URL/sleep/0"; expect_status 200
[ "$(jq -r .pid <<<"$HTTP_BODY")" != "$s1" ] || fail "no new worker after the timeout"

echo "a response of exactly Lambda's 6,291,556 bytes passes; one byte more -> 502"
http GET "$GW_URL/big/6291556"; expect_status 200
expect_eq "body bytes" $((6291556 - 28)) "${#HTTP_BODY}"
http GET "$GW_URL/big/6291557"; ise
gw_stop

echo "API Gateway's integration timeout (here 1 s) before the function's (3 s) -> 504; the function runs on"
gw_start "${fake[@]}" --integration-timeout-ms 1000
t0=$SECONDS
http GET "$GW_URL/sleep/2"
expect_status 504
expect_json .message "Endpoint request timed out"
[ $((SECONDS - t0)) -le 2 ] || fail "504 after $((SECONDS - t0)) s, not at the 1 s integration timeout"
lrid=$(access_lrid "$(last_rid)")
# it finishes in Lambda (END/REPORT without a timeout), its answer going nowhere
wait_until 10 grep -q "^\[sleep\] REPORT RequestId: $lrid	.*Max Memory Used: [0-9]* MB	Init Duration: [0-9.]* ms\$" "$GW_LOG" \
  || fail "the abandoned invocation $lrid did not finish normally"
http GET "$GW_URL/sleep/30"
expect_status 504
lrid=$(access_lrid "$(last_rid)")
wait_until 10 grep -q "^\[sleep\] REPORT RequestId: $lrid	.*	Status: timeout\$" "$GW_LOG" \
  || fail "the abandoned invocation $lrid was not timed out at 3 s"
grep -q "\[sleep\] .* $lrid Task timed out after 3.00 seconds" "$GW_LOG" || fail "no 'Task timed out' line for $lrid"
http GET "$GW_URL/sleep/0"; expect_status 200
gw_stop

echo "over the concurrency limit: waits, then 429 Too Many Requests"
gw_start "${fake[@]}" --concurrency 1 --queue-timeout-ms 700
busy() { curl -s "http://127.0.0.1:$GW_PORT/__gateway/workers" | jq -e '.functions.sleep.workers | map(select(.state == "busy")) | length == 1' >/dev/null; }
out=$(mktemp); _stack_tmp+=("$out")
curl -s -o "$out" -w '%{http_code}' "$GW_URL/sleep/2" >"$out.code" & bg=$!
_stack_tmp+=("$out.code")
wait_until 20 busy || fail "the first request never got a worker"
http GET "$GW_URL/sleep/0"
expect_status 429
expect_json .message "Too Many Requests"
wait "$bg"
expect_eq "the first request" 200 "$(cat "$out.code")"
gw_stop

echo "within the queue timeout a waiting request is served by the freed worker"
gw_start "${fake[@]}" --concurrency 1 --queue-timeout-ms 20000
curl -s -o /dev/null -w '%{http_code}' "$GW_URL/sleep/1" >"$out.code" & bg=$!
wait_until 20 busy || fail "the first request never got a worker"
http GET "$GW_URL/sleep/0"
expect_status 200
wait "$bg"
expect_eq "the first request" 200 "$(cat "$out.code")"
n=$(curl -s "http://127.0.0.1:$GW_PORT/__gateway/workers" | jq '.functions.sleep.started')
expect_eq "workers started for sleep (limit 1)" 1 "$n"
gw_stop

echo "runtime init failure (/runtime/init/error) -> 502"
gw_start "${fake[@]}" --env FAKE_INIT_FAIL=1
http GET "$GW_URL/echo"; ise
grep -q '"event":"init_error"' "$GW_LOG" || fail "init error not logged"
http GET "$GW_URL/echo"; ise
gw_stop
echo PASS
