#!/usr/bin/env bash
# make test's short case of issue 19's model: records the function's real DynamoDB requests on a stack of its
# own (bench/model/record.sh: DynamoDB Local, the gateway running the packaged function through the recorder)
# and runs the model of DynamoDB (bench/ddbsim/run.py, through bench/model/report.py) at a small scale on both
# layouts: the door (40 doors, 4,000 tickets) and an on-sale (10,000 seats, 1-4 tickets an order, 2,000
# orders/s). It asserts behaviour, not speed (speed targets live in make bench, bench/results/model.md):
#   - the trace holds every op label of DESIGN19 §D, instances 1..3, after its meta line and a table line for
#     each table of the meta line, with an item line for the recorded keys; no call of a recorded instance was
#     refused by DynamoDB with anything but a failed condition; with the pooled layout in the function, no
#     transaction of a pooled concert's order, check-in or refund names the concert's own item, and the short
#     orders read the pools;
#   - on the pooled layout no conflict reaches a door or a buyer, every door scan is answered and every ticket
#     admitted, every seat is sold and never one too many, the counts are exact;
#   - on today's layout too: never an oversell, counts exact (3 s of modelled time: its conflicts and retries
#     cost the model much work, and its ceiling is make bench's).
# Needs the packaged function and the policy library (make -C backend all package policy: done here, a no-op
# when built; skipped, 77, while bench/ddbsim is not in the tree) and Java and node
# for DynamoDB Local and cognito-local (the test run's shared user pool when it still answers).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
fail() { echo "FAIL: $*" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/model-replay.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# the model comes with bench/ddbsim (its own branch of issue 19): without it there is nothing to replay on
[ -f bench/ddbsim/run.py ] || { echo "SKIP: bench/ddbsim/run.py (the model) is not in this tree"; exit 77; }
# the function (packaged) and the policy it shares with the model (backend/build/libboxpolicy.so)
make -s -C backend all package policy >"$tmp/build.log" 2>&1 || { tail -n 20 "$tmp/build.log"; fail "backend build"; }

t0=$SECONDS
bench/model/record.sh "$tmp/trace.jsonl" 2>"$tmp/record.log" || { cat "$tmp/record.log" >&2; fail "record.sh"; }
echo "recorded in $((SECONDS - t0)) s: $(tail -n 2 "$tmp/record.log" | head -n 1)"
trace=$tmp/trace.jsonl

echo "the trace: meta, tables, every op label with instances 1..3, items"
[ "$(head -n 1 "$trace" | jq -r .kind)" = meta ] || fail "the first line is not the meta line"
head -n 1 "$trace" | jq -e '.layout.shards > 0 and .layout.journal_buckets > 0 and .layout.pool_min_capacity > 0
  and (.concerts.small | length) > 0 and (.concerts.pooled | length) > 0
  and ([.tables[]] | index("concerts") != null and index("journal") != null)' >/dev/null ||
  fail "meta line: $(head -n 1 "$trace" | cut -c1-300)"
missing=$(jq -rs '(.[0].tables | keys) - [.[] | select(.kind == "table") | .name] | .[]' "$trace")
[ -z "$missing" ] || fail "no table line for: $missing"
labels="concert.create.small concert.create.pooled order.small.soldout order.pooled.soldout order.pooled.short
  checkin.small checkin.pooled refund.small refund.pooled stats.small stats.pooled"
for q in 1 2 3 4; do labels+=" order.small.q$q order.pooled.q$q"; done
jq -c 'select(.kind == "call") | [.op, .n]' "$trace" | sort -u >"$tmp/instances"
for l in $labels; do
  for n in 1 2 3; do grep -qxF "[\"$l\",$n]" "$tmp/instances" || fail "the trace has no call of $l #$n"; done
done
# each instance's calls are numbered 1.. in order
jq -rs '[.[] | select(.kind == "call")] | group_by([.op, .n]) | map(select([.[].i] != [range(1; length + 1)]))
  | .[] | "\(.[0].op) #\(.[0].n)"' "$trace" >"$tmp/badidx"
[ ! -s "$tmp/badidx" ] || fail "call indexes not 1..n in: $(head -n 3 "$tmp/badidx")"
bad=$(jq -c 'select(.kind == "call" and .http != 200 and .error != "ConditionalCheckFailedException"
  and .error != "TransactionCanceledException") | [.op, .n, .target, .http, .error]' "$trace")
[ -z "$bad" ] || fail "calls refused by DynamoDB Local: $(head -n 3 <<<"$bad" | paste -sd' ')"
[ "$(jq -c 'select(.kind == "item")' "$trace" | wc -l)" -gt 0 ] || fail "no item line"
# with the pooled layout in the function (a counters table): the short orders really read the pools, and no
# write of a pooled concert's order, check-in or refund touches the concert's own item (the hot item of issue 19)
if head -n 1 "$trace" | jq -e '[.tables[]] | index("counters") != null' >/dev/null; then
  [ "$(head -n 1 "$trace" | jq -r .short_found)" = 3 ] || fail "order.pooled.short: not 3 orders that read the pools"
  hot=$(jq -rs '(.[0].tables | to_entries | map(select(.value == "concerts")) | .[0].key) as $c
    | .[] | select(.kind == "call" and (.op | test("^(order|checkin|refund)\\.pooled")) and .target == "TransactWriteItems")
    | select([.request.TransactItems[] | .[] | .TableName] | index($c) != null) | "\(.op) #\(.n)"' "$trace")
  [ -z "$hot" ] || fail "a pooled concert's write touches the concert item: $(head -n 3 <<<"$hot" | paste -sd' ')"
  jq -se 'any(.[]; .kind == "call" and .op == "order.pooled.q1" and .target == "TransactWriteItems")' "$trace" >/dev/null ||
    fail "no transaction of a pooled order"
fi
# e-mails (and ticket codes, alike) only as stand-ins: the driver's buyers are all buyer-N@example.com
if grep -q '"buyer-[0-9]*@example.com' "$trace"; then fail "an e-mail in full in the trace"; fi

echo "the model at a small scale, both layouts"
t1=$SECONDS
python3 bench/model/report.py --trace "$trace" --doors 40 --tickets 4000 --seats 10000 --rate 2000 --max-q 4 \
  --seconds 60 --small-seconds 3 --seed 19 --json-out "$tmp/model.json" --md-out "$tmp/model.md" >/dev/null
echo "modelled in $((SECONDS - t1)) s"
cat "$tmp/model.md"
run() { jq -c --arg l "$1" --arg w "$2" '.runs[] | select(.layout == $l and .workload == $w) | .result' "$tmp/model.json"; }
check() { # LAYOUT WORKLOAD JQ_CONDITION WHAT
  local r; r=$(run "$1" "$2")
  [ -n "$r" ] || fail "no $1 $2 run"
  jq -e "$3" <<<"$r" >/dev/null || fail "$1 $2: $4 ($(jq -c '{ops, ok, sold_out_answers, conflicts_surfaced,
    unavailable, errors, oversold, seats_sold, counts_exact}' <<<"$r"))"
}
check pooled door '.conflicts_surfaced == 0' "a conflict reached a door"
check pooled door '.ops == 4000' "a scan was not answered (ops: the scans answered)"
check pooled door '.ok == 4000 and (.errors // 0) == 0 and .unavailable == 0' "not every ticket was admitted"
check pooled door '.counts_exact == true' "the counts are not exact"
check pooled onsale '.conflicts_surfaced == 0' "a conflict reached a buyer"
check pooled onsale '.oversold == false and .seats_sold <= 10000' "oversold"
check pooled onsale '.seats_sold == 10000' "seats left unsold"
check pooled onsale '.counts_exact == true' "the counts are not exact"
for w in door onsale; do
  check small "$w" '.oversold == false' "oversold"
  check small "$w" '.counts_exact == true' "the counts are not exact"
done
echo "PASS: trace of every op label; pooled: no conflict surfaced, every scan answered, sold out exactly, counts exact ($((SECONDS - t0)) s)"
