#!/usr/bin/env bash
# What a function receives from local-gateway: the API Gateway REST v1.0 proxy event, the Lambda
# environment and the Runtime API headers; and how its proxy response is mapped back to HTTP.
# Uses a private gateway with tests/e2e/fake-serverless.yml and the echoing fake runtime.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
source "$root/tests/lib/stack.sh"
trap stack_cleanup EXIT
here="$root/backend/tests/e2e"
gw_start --config "$here/fake-serverless.yml" --bootstrap "$here/fake-bootstrap.sh" --api-key "k-$$-operator"

echo "variables of serverless.yml resolved: stage, service, sls:stage"
expect_eq "stage URL" "http://127.0.0.1:$GW_PORT/test" "$GW_URL"

echo "request -> event"
http POST "$GW_URL/echo/a/b%20c?x=1&x=2&y=%C3%A9&flag" -H 'X-Multi: 1' -H 'X-Multi: 2' \
  -H 'Content-Type: text/plain' --data-binary 'hello wörld'
expect_status 200
ev() { jq -r ".event$1" <<<"$HTTP_BODY"; }
expect_eq httpMethod POST "$(ev .httpMethod)"
expect_eq resource "/echo/{proxy+}" "$(ev .resource)"
expect_eq path "/echo/a/b c" "$(ev .path)"
expect_eq pathParameters.proxy "a/b c" "$(ev .pathParameters.proxy)"
expect_eq "queryStringParameters.x (last wins)" 2 "$(ev .queryStringParameters.x)"
expect_eq multiValueQueryStringParameters.x '["1","2"]' "$(ev '.multiValueQueryStringParameters.x | tojson')"
expect_eq "decoded query value" "é" "$(ev .queryStringParameters.y)"
expect_eq "flag without value" "" "$(ev .queryStringParameters.flag)"
expect_eq headers.X-Multi 2 "$(ev '.headers["X-Multi"]')"
expect_eq multiValueHeaders.X-Multi '["1","2"]' "$(ev '.multiValueHeaders["X-Multi"] | tojson')"
expect_eq X-Forwarded-Proto http "$(ev '.headers["X-Forwarded-Proto"]')"
expect_eq body "hello wörld" "$(ev .body)"
expect_eq isBase64Encoded false "$(ev .isBase64Encoded)"
expect_eq stageVariables null "$(ev .stageVariables)"
expect_eq requestContext.stage test "$(ev .requestContext.stage)"
expect_eq requestContext.resourcePath "/echo/{proxy+}" "$(ev .requestContext.resourcePath)"
expect_eq requestContext.httpMethod POST "$(ev .requestContext.httpMethod)"
expect_eq requestContext.path "/test/echo/a/b c" "$(ev .requestContext.path)"
expect_eq requestContext.identity.sourceIp 127.0.0.1 "$(ev .requestContext.identity.sourceIp)"
rid=$(grep -i '^x-amzn-requestid:' <<<"$HTTP_HEADERS" | cut -d' ' -f2)
expect_eq "requestContext.requestId = x-amzn-RequestId" "$rid" "$(ev .requestContext.requestId)"
now_ms=$(($(date +%s) * 1000))
epoch=$(ev .requestContext.requestTimeEpoch)
[ $((now_ms - epoch)) -lt 600000 ] && [ $((epoch - now_ms)) -lt 600000 ] || fail "requestTimeEpoch $epoch far from now $now_ms"

echo "proxy response -> HTTP: status, headers, multiValueHeaders"
grep -q '^X-Fake: yes$' <<<"$HTTP_HEADERS" || fail "X-Fake header lost: $HTTP_HEADERS"
[ "$(grep -c '^Set-Cookie: ' <<<"$HTTP_HEADERS")" = 2 ] || fail "multiValueHeaders Set-Cookie not both sent: $HTTP_HEADERS"

echo "the Lambda environment and Runtime API headers"
env_() { jq -r ".env[\"$1\"] // \"(unset)\"" <<<"$HTTP_BODY"; }
expect_eq AWS_LAMBDA_FUNCTION_NAME fake-service-test-echo "$(env_ AWS_LAMBDA_FUNCTION_NAME)"
expect_eq _HANDLER fake.echo "$(env_ _HANDLER)"
expect_eq AWS_LAMBDA_FUNCTION_MEMORY_SIZE 256 "$(env_ AWS_LAMBDA_FUNCTION_MEMORY_SIZE)"
expect_eq AWS_LAMBDA_FUNCTION_VERSION '$LATEST' "$(env_ AWS_LAMBDA_FUNCTION_VERSION)"
expect_eq AWS_REGION eu-west-1 "$(env_ AWS_REGION)"
expect_eq AWS_DEFAULT_REGION eu-west-1 "$(env_ AWS_DEFAULT_REGION)"
expect_eq GREETING hello-test-fake-service "$(env_ GREETING)"
expect_eq LAMBDA_TASK_ROOT "$here" "$(env_ LAMBDA_TASK_ROOT)"
expect_eq AWS_LAMBDA_LOG_GROUP_NAME /aws/lambda/fake-service-test-echo "$(env_ AWS_LAMBDA_LOG_GROUP_NAME)"
[[ "$(env_ AWS_LAMBDA_LOG_STREAM_NAME)" =~ ^[0-9]{4}/[0-9]{2}/[0-9]{2}/\[\$LATEST\][0-9a-f]{32}$ ]] \
  || fail "AWS_LAMBDA_LOG_STREAM_NAME not Lambda's YYYY/MM/DD/[\$LATEST]<32 hex>: $(env_ AWS_LAMBDA_LOG_STREAM_NAME)"
[ "$(env_ AWS_SESSION_TOKEN)" != "(unset)" ] || fail "AWS_SESSION_TOKEN unset"
[ "$(env_ AWS_ACCESS_KEY_ID)" != "(unset)" ] || fail "AWS_ACCESS_KEY_ID unset"
[[ "$(env_ AWS_LAMBDA_RUNTIME_API)" =~ ^127\.0\.0\.1:[0-9]+$ ]] || fail "AWS_LAMBDA_RUNTIME_API $(env_ AWS_LAMBDA_RUNTIME_API)"
[[ "$(env_ AWS_ENDPOINT_URL_DYNAMODB)" =~ ^http://127\.0\.0\.1:[0-9]+$ ]] || fail "AWS_ENDPOINT_URL_DYNAMODB"
expect_eq "Invoked-Function-Arn" "arn:aws:lambda:eu-west-1:123456789012:function:fake-service-test-echo" \
  "$(jq -r .runtimeHeaders.arn <<<"$HTTP_BODY")"
[[ "$(jq -r .runtimeHeaders.trace <<<"$HTTP_BODY")" =~ ^Root=1-[0-9a-f]{8}-[0-9a-f]{24}\;Parent=[0-9a-f]{16}\;Sampled=0$ ]] || fail "trace id"
dl=$(jq -r .runtimeHeaders.deadlineMs <<<"$HTTP_BODY")
[ "$dl" -gt "$epoch" ] && [ "$dl" -le $((epoch + 2000 + 5000)) ] || fail "deadline $dl not ~2 s (timeout) after $epoch"
lrid=$(jq -r .runtimeHeaders.requestId <<<"$HTTP_BODY")
grep -q "\[echo\] START RequestId: $lrid Version: \$LATEST" "$GW_LOG" || fail "no START line for $lrid"
wait_until 10 grep -q "\[echo\] REPORT RequestId: $lrid	Duration: .* ms	Billed Duration: .* ms	Memory Size: 256 MB	Max Memory Used: .* MB	Init Duration: " "$GW_LOG" \
  || fail "no REPORT line with Init Duration for $lrid"
grep -q "\[echo\] END RequestId: $lrid" "$GW_LOG" || fail "no END line"
grep -q '\[echo\] fake runtime pid' "$GW_LOG" || fail "the function's own output is not in the log"
access_line() { grep "\"requestId\":\"$rid\"" "$GW_LOG" | grep -q '"event":"access"'; }
wait_until 10 access_line || fail "no access log line"

echo "a binary body arrives base64-encoded"
bin=$(mktemp); _stack_tmp+=("$bin")
printf '\xff\x00\x01binary' >"$bin"
http POST "$GW_URL/echo" -H 'Content-Type: application/octet-stream' --data-binary "@$bin"
expect_status 200
expect_eq isBase64Encoded true "$(ev .isBase64Encoded)"
expect_eq "body (base64)" "$(base64 -w0 <"$bin")" "$(ev .body)"
expect_eq pathParameters null "$(ev .pathParameters)"
expect_eq queryStringParameters null "$(ev .queryStringParameters)"

echo "GET without body: body null; private route with the key: identity.apiKey set"
http GET "$GW_URL/echo"
expect_eq body null "$(ev .body)"
http GET "$GW_URL/secret" -H "x-api-key: k-$$-operator"
expect_status 200
expect_eq identity.apiKey "k-$$-operator" "$(ev .requestContext.identity.apiKey)"
http GET "$GW_URL/secret"
expect_status 403
echo PASS
