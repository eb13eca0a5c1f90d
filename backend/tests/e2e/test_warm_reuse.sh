#!/usr/bin/env bash
# Warm workers, like Lambda execution environments: sequential requests are all served by ONE
# bootstrap process (no process per request); a burst of concurrent requests grows the pool up to
# the concurrency limit; idle workers are stopped after the idle timeout, and the pool shrinks to 0.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
source "$root/tests/lib/stack.sh"
trap stack_cleanup EXIT
here="$root/backend/tests/e2e"
workers_json() { curl -s -m 5 "http://127.0.0.1:$GW_PORT/__gateway/workers"; }

if [ -n "${DYNAMODB_PORT:-}" ] && "$root/scripts/ddb-local.sh" ping "$DYNAMODB_PORT"; then
  echo "real bootstrap: 25 sequential GET /concerts -> one worker process"
  gw_start --dynamodb-endpoint "http://127.0.0.1:$DYNAMODB_PORT" --idle-timeout-ms 60000
  for _ in $(seq 1 25); do http GET "$GW_URL/concerts"; expect_status 200; done
  access_lines() { [ "$(grep '"event":"access"' "$GW_LOG" | grep -c '"function":"listConcerts"')" = 25 ]; }
  wait_until 10 access_lines || fail "expected 25 access log lines for listConcerts"
  pids=$(grep '"event":"access"' "$GW_LOG" | grep '"function":"listConcerts"' | jq -r .workerPid | sort -u)
  expect_eq "distinct worker pids in the access log" 1 "$(wc -l <<<"$pids")"
  expect_eq "workers started" 1 "$(workers_json | jq .functions.listConcerts.started)"
  expect_eq "invocations of that worker" 25 "$(workers_json | jq '.functions.listConcerts.workers[0].invocations')"
  expect_eq "worker_start events" 1 "$(grep -c '"event":"worker_start","function":"listConcerts"' "$GW_LOG")"
  kill -0 "$pids" || fail "the warm worker $pids is not alive"
  expect_eq "REPORT lines with Init Duration (cold starts)" 1 "$(grep -c '\[listConcerts\] REPORT .*Init Duration' "$GW_LOG")"
  reports() { [ "$(grep -c '\[listConcerts\] REPORT ' "$GW_LOG")" = 25 ]; }
  wait_until 10 reports || fail "expected 25 REPORT lines"
  gw_stop
  kill -0 "$pids" 2>/dev/null && fail "worker $pids survived the gateway"
else
  echo "(no DynamoDB Local in the environment: real-bootstrap part skipped)"
fi

echo "fake runtime: a burst of 6 concurrent 1-second requests grows the pool to 6 (limit 8)"
gw_start --config "$here/fake-serverless.yml" --bootstrap "$here/fake-bootstrap.sh" --concurrency 8 --idle-timeout-ms 2500
http GET "$GW_URL/sleep/0"; expect_status 200
first=$(jq -r .pid <<<"$HTTP_BODY")
codes=$(seq 1 6 | xargs -P 6 -I{} curl -s -o /dev/null -w '%{http_code}\n' "$GW_URL/sleep/1" | sort | uniq -c | tr -s ' ')
expect_eq "burst answers" " 6 200" "$codes"
n=$(workers_json | jq '.functions.sleep.workers | length')
expect_eq "workers after the burst" 6 "$n"
workers_json | jq -e --argjson p "$first" '.functions.sleep.workers | map(.pid) | index($p) != null' >/dev/null \
  || fail "the warm worker $first was not among the burst's workers"

echo "idle workers are stopped after 2.5 s; the pool shrinks to 0"
pids=$(gw_workers sleep)
wait_until 20 bash -c "[ \"\$(curl -s http://127.0.0.1:$GW_PORT/__gateway/workers | jq '.functions.sleep.workers | length')\" = 0 ]" \
  || fail "pool did not shrink: $(workers_json)"
for p in $pids; do kill -0 "$p" 2>/dev/null && fail "idle worker $p still running"; done
expect_eq "worker_exit events for sleep" 6 "$(grep -c '"event":"worker_exit","function":"sleep"' "$GW_LOG")"

echo "after shrinking, a request starts a fresh worker (cold start)"
http GET "$GW_URL/sleep/0"; expect_status 200
[ "$(jq -r .pid <<<"$HTTP_BODY")" != "$first" ] || fail "served by a stopped worker?"
echo PASS
