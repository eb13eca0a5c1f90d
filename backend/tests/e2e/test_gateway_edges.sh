#!/usr/bin/env bash
# API Gateway's edge answers from local-gateway on the shared stack: unknown routes and methods,
# paths outside the stage, operator route without a token (or with only an API key), oversized payloads; the
# stack keeps serving.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
source "$root/tests/lib/stack.sh"
[ -n "${BOXOFFICE_API_URL:-}" ] || { echo "no shared stack (BOXOFFICE_API_URL unset)"; exit 77; }
api=$BOXOFFICE_API_URL
base=${api%/*}          # http://127.0.0.1:PORT

missing() {
  http "$1" "$2"
  expect_status 403
  expect_json .message "Missing Authentication Token"
  grep -qi '^x-amzn-errortype: MissingAuthenticationTokenException' <<<"$HTTP_HEADERS" || fail "no x-amzn-ErrorType on $1 $2"
}
echo "unknown route or method -> 403 Missing Authentication Token"
missing GET "$api/nope"
missing GET "$api/concerts/1/tickets"
missing DELETE "$api/concerts"
missing PUT "$api/concerts/1"
missing GET "$api/tickets"
missing GET "$base/"
missing GET "$base/prod/concerts"
missing GET "$api//concerts"

echo "operator route without a token, with an empty one, with only an API key -> 401 (the stage's GatewayResponse)"
unauthorized='Unauthorized: sign in as an operator (boxoffice login); an API key alone no longer authorizes'
http POST "$api/concerts" -H 'Content-Type: application/json' --data-binary '{}'
expect_status 401
expect_json .message "$unauthorized"
http POST "$api/concerts" -H 'Authorization: ' --data-binary '{}'
expect_status 401
http POST "$api/concerts" -H 'Content-Type: application/json' -H 'x-api-key: some-operator-key' --data-binary '{}'
expect_status 401
expect_json .message "$unauthorized"

echo "payload over the limit (6 MiB) -> 413, declared or streamed"
big=$(mktemp); trap 'rm -f "$big"' EXIT
head -c $((6 * 1024 * 1024 + 1)) /dev/zero | tr '\0' 'a' >"$big"
http POST "$api/tickets" -H 'Content-Type: application/json' --data-binary "@$big"
expect_status 413
expect_json .message "Request Too Long"
http POST "$api/tickets" -H 'Content-Type: application/json' -H 'Transfer-Encoding: chunked' --data-binary "@$big"
expect_status 413

echo "a body just under the limit reaches the function (which refuses it itself)"
head -c $((100 * 1024)) /dev/zero | tr '\0' 'b' >"$big"
http POST "$api/tickets" -H 'Content-Type: application/json' --data-binary "@$big"
[ "$HTTP_STATUS" = 400 ] || [ "$HTTP_STATUS" = 413 ] || fail "100 KiB body: expected the function's 400/413, got $HTTP_STATUS"
jq -e '.error' <<<"$HTTP_BODY" >/dev/null || fail "not the function's error format: ${HTTP_BODY:0:200}"

echo "a binary (non UTF-8) body reaches the function base64-encoded and is refused cleanly"
printf '\xff\xfe\x00\x01' >"$big"
http POST "$api/tickets" -H 'Content-Type: application/octet-stream' --data-binary "@$big"
expect_status 400

echo "the stack still serves"
http GET "$api/concerts"
expect_status 200
echo PASS
