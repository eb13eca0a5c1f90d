#!/usr/bin/env bash
# A deliberately simple custom runtime (bash + curl + jq) for gateway tests: it speaks the Lambda
# Runtime API like the real bootstrap, and misbehaves on request. Behaviour by _HANDLER:
#   fake.echo     200 with {"pid", "event", "env", "runtimeHeaders"} (what the gateway gave it)
#   fake.sleep    sleeps pathParameters.seconds, then 200 {"slept": N, "pid": ...}
#   fake.crash    exits without answering
#   fake.garbage  answers with something that is no proxy response
#   fake.error    posts .../error
#   fake.big      answers with a proxy response of exactly pathParameters.bytes bytes (body "aaa...")
# FAKE_INIT_FAIL=1 in its environment: posts /runtime/init/error and exits.
set -u
api="http://$AWS_LAMBDA_RUNTIME_API/2018-06-01/runtime"
if [ "${FAKE_INIT_FAIL:-0}" = "1" ]; then
  curl -s -X POST "$api/init/error" -H 'Lambda-Runtime-Function-Error-Type: Runtime.Fake' \
    -d '{"errorMessage":"fake init failure","errorType":"Runtime.Fake"}' >/dev/null
  exit 1
fi
echo "fake runtime pid $$ handler $_HANDLER"
hdr=$(mktemp)
trap 'rm -f "$hdr"' EXIT
header() { grep -i "^$1:" "$hdr" | head -n 1 | cut -d' ' -f2- | tr -d '\r'; }
while :; do
  event=$(curl -sS -D "$hdr" "$api/invocation/next") || exit 1
  id=$(header Lambda-Runtime-Aws-Request-Id)
  case "$_HANDLER" in
    fake.echo)
      resp=$(jq -c --argjson pid $$ \
        --arg deadline "$(header Lambda-Runtime-Deadline-Ms)" --arg arn "$(header Lambda-Runtime-Invoked-Function-Arn)" \
        --arg trace "$(header Lambda-Runtime-Trace-Id)" --arg rid "$id" \
        '{statusCode: 200, headers: {"Content-Type": "application/json", "X-Fake": "yes"},
          multiValueHeaders: {"Set-Cookie": ["a=1", "b=2"]},
          body: ({pid: $pid, event: ., runtimeHeaders: {requestId: $rid, deadlineMs: $deadline, arn: $arn, trace: $trace},
                  env: (env | with_entries(select(.key | test("^(AWS_|_HANDLER|LAMBDA_|GREETING)"))))} | tostring)}' <<<"$event")
      ;;
    fake.sleep)
      s=$(jq -r '.pathParameters.seconds // "1"' <<<"$event")
      sleep "$s"
      resp=$(jq -nc --argjson pid $$ --arg s "$s" '{statusCode: 200, body: ({slept: $s, pid: $pid} | tostring)}')
      ;;
    fake.crash)
      echo "fake runtime: crashing on purpose"
      exit 3
      ;;
    fake.garbage)
      resp='this is not a proxy response'
      ;;
    fake.big)
      n=$(jq -r '.pathParameters.bytes' <<<"$event")
      big=$(mktemp)
      { printf '{"statusCode":200,"body":"'; head -c $((n - 28)) /dev/zero | tr '\0' a; printf '"}'; } >"$big"
      curl -sS -X POST "$api/invocation/$id/response" --data-binary "@$big" >/dev/null
      rm -f "$big"
      continue
      ;;
    fake.error)
      curl -sS -X POST "$api/invocation/$id/error" -H 'Lambda-Runtime-Function-Error-Type: Fake.Error' \
        -d '{"errorMessage":"boom","errorType":"Fake.Error","stackTrace":[]}' >/dev/null
      continue
      ;;
    *)
      resp='{"statusCode":500,"body":"{\"error\":\"unknown fake handler\"}"}'
      ;;
  esac
  curl -sS -X POST "$api/invocation/$id/response" --data-binary "$resp" >/dev/null
done
