#!/usr/bin/env bash
# `make local-up` twice, then `make local-down`, on a private state dir and private ports:
# the first up starts DynamoDB Local + cognito-local (its own, not the run's shared one) + the gateway,
# creates the tables, the user pool and its first manager, and seeds the catalogue through the API signed in
# as him; the second finds everything running and prints the same URL and pool; down leaves no process behind. (Data surviving a restart: test_local_restart.sh.)
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
source "$root/tests/lib/stack.sh"
dir=$(mktemp -d "${TMPDIR:-/tmp}/boxoffice-updown.XXXXXX")
api_port=$(free_port); ddb_port=$(free_port); cog_port=$(free_port)
while [ "$ddb_port" = "$api_port" ]; do ddb_port=$(free_port); done
while [ "$cog_port" = "$api_port" ] || [ "$cog_port" = "$ddb_port" ]; do cog_port=$(free_port); done
export LOCAL_STATE_DIR=$dir API_PORT=$api_port DYNAMODB_PORT=$ddb_port COGNITO_PORT=$cog_port BOXOFFICE_SEED=1
unset BOXOFFICE_API_KEY BOXOFFICE_API_URL COGNITO_SHARED_ENV
cleanup() { make -s -C "$root" local-down >/dev/null 2>&1 || true; rm -rf "$dir"; }
trap cleanup EXIT
seeded=$(jq length "$root/assets/concerts.json")

echo "first make local-up"
url1=$(make -s -C "$root" local-up 2>"$dir.err1" | tail -n 1) || { cat "$dir.err1"; fail "local-up failed"; }
expect_eq "URL" "http://127.0.0.1:$api_port/dev" "$url1"
expect_eq "api-url file" "$url1" "$(cat "$dir/api-url")"
[ -s "$dir/cognito.env" ] || fail "no cognito.env"
[ "$(stat -c %a "$dir/cognito.env")" = 600 ] || fail "cognito.env (the manager's password) is readable by others"
[ ! -e "$dir/api-key" ] || fail "an api-key file, which no longer authorizes anything"
grep -q "^COGNITO_URL=http://127.0.0.1:$cog_port\$" "$dir/cognito.env" || fail "cognito.env names another cognito-local"
pw=$(sed -n 's/^MANAGER_PASSWORD=//p' "$dir/cognito.env")
grep -qF "sign in as manager@boxoffice.local / $pw (also in $dir/cognito.env)" "$dir.err1" || fail "local-up did not print the manager's sign-in"
pool=$(sed -n 's/^USER_POOL_ID=//p' "$dir/cognito.env")
token=$(STACK_COGNITO_ENV=$dir/cognito.env stack_token manager@boxoffice.local "$pw") || fail "the manager cannot sign in"
claims=$(cut -d. -f2 <<<"$token" | tr '_-' '/+' | base64 -d 2>/dev/null || true)
[ "$(jq -r .iss <<<"$claims" 2>/dev/null)" = "http://127.0.0.1:$cog_port/$pool" ] || fail "the token's iss is not the pool's: $claims"
[ "$(jq -c '."cognito:groups"' <<<"$claims" 2>/dev/null)" = '["manager"]' ] || fail "the manager is not in group manager: $claims"
http POST "$url1/concerts" -H 'Content-Type: application/json' --data-binary '{}'
expect_status 401
http POST "$url1/concerts" -H 'Content-Type: application/json' -H "Authorization: $token" --data-binary '{}'
expect_status 400     # past the authorizer: the function refuses the empty concert
gw=$(cat "$dir/gateway.pid"); ddb=$(cat "$dir/dynamodb.pid"); cog=$(cat "$dir/cognito.pid")
http GET "$url1/concerts"; expect_status 200
expect_eq "seeded concerts" "$seeded" "$(jq length <<<"$HTTP_BODY")"
worker=$(curl -s "http://127.0.0.1:$api_port/__gateway/workers" | jq -r '.functions.listConcerts.workers[0].pid')
kill -0 "$worker" || fail "no live listConcerts worker"

echo "second make local-up: same URL, nothing restarted, nothing seeded twice"
url2=$(make -s -C "$root" local-up 2>/dev/null | tail -n 1)
expect_eq "URL of the second up" "$url1" "$url2"
expect_eq "gateway pid" "$gw" "$(cat "$dir/gateway.pid")"
expect_eq "dynamodb pid" "$ddb" "$(cat "$dir/dynamodb.pid")"
expect_eq "cognito-local pid" "$cog" "$(cat "$dir/cognito.pid")"
expect_eq "the pool of the second up" "$pool" "$(sed -n 's/^USER_POOL_ID=//p' "$dir/cognito.env")"
expect_eq "the manager's password after the second up" "$pw" "$(sed -n 's/^MANAGER_PASSWORD=//p' "$dir/cognito.env")"
http GET "$url1/concerts"
expect_eq "concerts after the second up" "$seeded" "$(jq length <<<"$HTTP_BODY")"

echo "make local-down"
down_msg=$(make -s -C "$root" local-down 2>&1 >/dev/null)
grep -q "cognito-local (pid $cog)" <<<"$down_msg" || fail "local-down did not say it stopped cognito-local: $down_msg"
for p in "$gw" "$ddb" "$worker" "$cog"; do
  kill -0 "$p" 2>/dev/null && fail "process $p still running after local-down"
done
pgrep -f "$dir" >/dev/null && fail "processes still refer to $dir: $(pgrep -af "$dir")"
(exec 3<>"/dev/tcp/127.0.0.1/$api_port") 2>/dev/null && fail "port $api_port still open"
(exec 3<>"/dev/tcp/127.0.0.1/$ddb_port") 2>/dev/null && fail "port $ddb_port still open"
(exec 3<>"/dev/tcp/127.0.0.1/$cog_port") 2>/dev/null && fail "port $cog_port still open"
rm -f "$dir.err1"
echo PASS
