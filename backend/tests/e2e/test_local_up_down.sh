#!/usr/bin/env bash
# `make local-up` twice, then `make local-down`, on a private state dir and private ports:
# the first up starts DynamoDB Local + the gateway, creates the tables and seeds the catalogue
# through the API; the second finds everything running and prints the same URL; down leaves no
# process behind. (Data surviving a restart: test_local_restart.sh.)
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
source "$root/tests/lib/stack.sh"
dir=$(mktemp -d "${TMPDIR:-/tmp}/boxoffice-updown.XXXXXX")
api_port=$(free_port); ddb_port=$(free_port)
while [ "$ddb_port" = "$api_port" ]; do ddb_port=$(free_port); done
export LOCAL_STATE_DIR=$dir API_PORT=$api_port DYNAMODB_PORT=$ddb_port BOXOFFICE_SEED=1
unset BOXOFFICE_API_KEY BOXOFFICE_API_URL
cleanup() { make -s -C "$root" local-down >/dev/null 2>&1 || true; rm -rf "$dir"; }
trap cleanup EXIT
seeded=$(jq length "$root/assets/concerts.json")

echo "first make local-up"
url1=$(make -s -C "$root" local-up 2>"$dir.err1" | tail -n 1) || { cat "$dir.err1"; fail "local-up failed"; }
rm -f "$dir.err1"
expect_eq "URL" "http://127.0.0.1:$api_port/dev" "$url1"
expect_eq "api-url file" "$url1" "$(cat "$dir/api-url")"
[ -s "$dir/api-key" ] || fail "no generated api-key"
[ "$(stat -c %a "$dir/api-key")" = 600 ] || fail "api-key is readable by others"
gw=$(cat "$dir/gateway.pid"); ddb=$(cat "$dir/dynamodb.pid")
http GET "$url1/concerts"; expect_status 200
expect_eq "seeded concerts" "$seeded" "$(jq length <<<"$HTTP_BODY")"
worker=$(curl -s "http://127.0.0.1:$api_port/__gateway/workers" | jq -r '.functions.listConcerts.workers[0].pid')
kill -0 "$worker" || fail "no live listConcerts worker"

echo "second make local-up: same URL, nothing restarted, nothing seeded twice"
url2=$(make -s -C "$root" local-up 2>/dev/null | tail -n 1)
expect_eq "URL of the second up" "$url1" "$url2"
expect_eq "gateway pid" "$gw" "$(cat "$dir/gateway.pid")"
expect_eq "dynamodb pid" "$ddb" "$(cat "$dir/dynamodb.pid")"
http GET "$url1/concerts"
expect_eq "concerts after the second up" "$seeded" "$(jq length <<<"$HTTP_BODY")"

echo "make local-down"
make -s -C "$root" local-down >/dev/null
for p in "$gw" "$ddb" "$worker"; do
  kill -0 "$p" 2>/dev/null && fail "process $p still running after local-down"
done
pgrep -f "$dir" >/dev/null && fail "processes still refer to $dir: $(pgrep -af "$dir")"
(exec 3<>"/dev/tcp/127.0.0.1/$api_port") 2>/dev/null && fail "port $api_port still open"
(exec 3<>"/dev/tcp/127.0.0.1/$ddb_port") 2>/dev/null && fail "port $ddb_port still open"
echo PASS
