#!/usr/bin/env bash
# The local gateway's Cognito authorizer against a real user pool (cognito-local, started here): the
# operator routes of backend/serverless.yml demand an ID token of the pool in Authorization and answer 401
# with the UNAUTHORIZED GatewayResponse body for a missing, malformed, expired, forged, other-pool or
# access token; a valid one reaches the function (the real bootstrap on the shared DynamoDB Local); the
# function gets the token's claims as API Gateway hands them (fake-auth-serverless.yml + the echoing fake
# runtime); every authorizer spelling of Serverless v3 is read; the pool's keys are fetched once and again
# only for an unknown kid (rate-limited); no issuer configured fails closed; the token is never logged.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
source "$root/tests/lib/stack.sh"
here="$root/backend/tests/e2e"
cl_bin="$root/tools/cognito-local/node_modules/.bin/cognito-local"
cl_key="$root/tools/cognito-local/node_modules/cognito-local/lib/keys/cognitoLocal.private.json"
[ -x "$cl_bin" ] || { echo "cognito-local not installed in tools/cognito-local (scripts/install-deps.sh)"; exit 77; }
[ -n "${DYNAMODB_PORT:-}" ] || { echo "DYNAMODB_PORT not set (run through scripts/run-tests.sh)"; exit 77; }
# The 401s come from the gateway, not the API's functions: not part of the recorded answers' contract check.
unset OPENAPI_LOG

cl_dir=$(mktemp -d "${TMPDIR:-/tmp}/boxoffice-cognito.XXXXXX")
cl_pid=
cleanup() {
  local rc=$?
  stack_cleanup
  if [ -n "$cl_pid" ]; then kill "$cl_pid" 2>/dev/null || true; wait "$cl_pid" 2>/dev/null || true; fi
  rm -rf "$cl_dir"
  exit $rc
}
trap cleanup EXIT

echo "cognito-local with its state in the test's folder"
cl_port=${TEST_COGNITO_PORT:-$(free_port)}
cl_url="http://127.0.0.1:$cl_port"
mkdir -p "$cl_dir/.cognito"
printf '{"TokenConfig":{"IssuerDomain":"%s"}}\n' "$cl_url" >"$cl_dir/.cognito/config.json"
(cd "$cl_dir" && PORT=$cl_port exec "$cl_bin" >"$cl_dir/log" 2>&1) &
cl_pid=$!
cog() { # OPERATION JSON: cognito-local's JSON API (it checks no signature)
  curl -sS -m 10 -X POST "$cl_url/" -H 'Content-Type: application/x-amz-json-1.1' \
    -H "X-Amz-Target: AWSCognitoIdentityProviderService.$1" --data-binary "$2"
}
wait_until 20 curl -s -o /dev/null -m 1 "$cl_url/" || { cat "$cl_dir/log"; fail "cognito-local did not start"; }

pool_with_user() { # NAME EMAIL GROUP: prints "poolId clientId"
  local pool client
  pool=$(cog CreateUserPool "{\"PoolName\":\"$1\",\"UsernameAttributes\":[\"email\"]}" | jq -r .UserPool.Id)
  client=$(cog CreateUserPoolClient "{\"UserPoolId\":\"$pool\",\"ClientName\":\"boxoffice\",
    \"ExplicitAuthFlows\":[\"ALLOW_USER_PASSWORD_AUTH\",\"ALLOW_REFRESH_TOKEN_AUTH\"]}" | jq -r .UserPoolClient.ClientId)
  cog CreateGroup "{\"UserPoolId\":\"$pool\",\"GroupName\":\"$3\"}" >/dev/null
  cog AdminCreateUser "{\"UserPoolId\":\"$pool\",\"Username\":\"$2\",\"MessageAction\":\"SUPPRESS\",
    \"UserAttributes\":[{\"Name\":\"email\",\"Value\":\"$2\"},{\"Name\":\"name\",\"Value\":\"Ana\"}]}" >/dev/null
  cog AdminSetUserPassword "{\"UserPoolId\":\"$pool\",\"Username\":\"$2\",\"Password\":\"Pass-word-1234\",\"Permanent\":true}" >/dev/null
  cog AdminAddUserToGroup "{\"UserPoolId\":\"$pool\",\"Username\":\"$2\",\"GroupName\":\"$3\"}" >/dev/null
  echo "$pool $client"
}
sign_in() { # CLIENT EMAIL: the AuthenticationResult
  cog InitiateAuth "{\"ClientId\":\"$1\",\"AuthFlow\":\"USER_PASSWORD_AUTH\",
    \"AuthParameters\":{\"USERNAME\":\"$2\",\"PASSWORD\":\"Pass-word-1234\"}}" | jq -c .AuthenticationResult
}
read -r pool client <<<"$(pool_with_user operators ana@example.org manager)"
read -r pool_b client_b <<<"$(pool_with_user elsewhere bob@example.org manager)"
[[ "$pool" == local_* && "$pool_b" == local_* ]] || fail "no pools: '$pool' '$pool_b'"
auth=$(sign_in "$client" ana@example.org)
id_token=$(jq -r .IdToken <<<"$auth")
access_token=$(jq -r .AccessToken <<<"$auth")
other_pool_token=$(sign_in "$client_b" bob@example.org | jq -r .IdToken)
[ "${id_token:0:3}" = eyJ ] && [ "${other_pool_token:0:3}" = eyJ ] || fail "no tokens: $auth"
issuer="$cl_url/$pool"

# resign KEY PATCH [KID]: the valid ID token's claims with PATCH (JSON) merged, signed RS256 with KEY
# (cognito-local's private key file, or "random": a key of nobody's) under KID (default CognitoLocal).
resign() {
  node -e '
    const crypto = require("crypto"), fs = require("fs");
    const [keyArg, tok, patch, kid] = process.argv.slice(1);
    const claims = Object.assign(JSON.parse(Buffer.from(tok.split(".")[1], "base64url")), JSON.parse(patch));
    const key = keyArg === "random" ? crypto.generateKeyPairSync("rsa", {modulusLength: 2048}).privateKey
                                    : crypto.createPrivateKey({key: JSON.parse(fs.readFileSync(keyArg)).jwk, format: "jwk"});
    const b = (o) => Buffer.from(JSON.stringify(o)).toString("base64url");
    const input = b({alg: "RS256", kid: kid || "CognitoLocal"}) + "." + b(claims);
    console.log(input + "." + crypto.sign("sha256", Buffer.from(input), key).toString("base64url"));
  ' "$1" "$id_token" "$2" "${3:-}"
}
now=$(date +%s)
expired_token=$(resign "$cl_key" "{\"iat\":$((now - 7200)),\"auth_time\":$((now - 7200)),\"exp\":$((now - 60))}")
resigned_valid=$(resign "$cl_key" '{}')           # proves the signing above is right: accepted
forged_token=$(resign random '{"cognito:groups":["manager"]}')
rotated_kid_token=$(resign random '{}' rotated-key)

unauthorized=$(python3 -c 'import sys, yaml
r = yaml.safe_load(open(sys.argv[1]))["resources"]["Resources"]
print(next(v["Properties"]["ResponseTemplates"]["application/json"] for v in r.values()
           if v["Type"] == "AWS::ApiGateway::GatewayResponse" and v["Properties"]["ResponseType"] == "UNAUTHORIZED"))' \
  "$root/backend/serverless.yml")
[[ "$unauthorized" == *'sign in as an operator'* ]] || fail "serverless.yml's UNAUTHORIZED body: $unauthorized"

echo "the real gateway, function and DynamoDB Local: operator routes demand the pool's ID token"
gw_start --dynamodb-endpoint "http://127.0.0.1:$DYNAMODB_PORT" --cognito-issuer "$issuer"
concert=00000000-0000-4000-8000-00000000a017
expect_401() { # WHAT [curl args...]
  local what=$1; shift
  http GET "$GW_URL/concerts/$concert/stats" "$@"
  [ "$HTTP_STATUS" = 401 ] || fail "$what: expected 401, got $HTTP_STATUS: ${HTTP_BODY:0:200}"
  [ "$HTTP_BODY" = "$unauthorized" ] || fail "$what: body '$HTTP_BODY', expected '$unauthorized'"
  grep -qi '^x-amzn-ErrorType: UnauthorizedException' <<<"$HTTP_HEADERS" || fail "$what: no x-amzn-ErrorType"
}
expect_401 "no Authorization"
expect_401 "an API key alone" -H "x-api-key: ${BOXOFFICE_API_KEY:-some-operator-key-0123456789}"
expect_401 "malformed" -H "Authorization: not-a-token"
expect_401 "three parts of garbage" -H "Authorization: a.b.c"
expect_401 "Bearer prefix" -H "Authorization: Bearer $id_token"
expect_401 "expired (cognito-local's key)" -H "Authorization: $expired_token"
expect_401 "wrong signature" -H "Authorization: $forged_token"
expect_401 "another pool's token" -H "Authorization: $other_pool_token"
expect_401 "an access token" -H "Authorization: $access_token"
expect_401 "a kid the pool does not have" -H "Authorization: $rotated_kid_token"
expect_401 "two Authorization headers" -H "Authorization: $id_token" -H "Authorization: $id_token"

for tok in "$id_token" "$resigned_valid"; do
  http GET "$GW_URL/concerts/$concert/stats" -H "Authorization: $tok"
  [ "$HTTP_STATUS" != 401 ] && [ "$HTTP_STATUS" -lt 500 ] || fail "a valid token: HTTP $HTTP_STATUS ${HTTP_BODY:0:200}"
  jq -e '.error | type == "string"' <<<"$HTTP_BODY" >/dev/null || fail "not the function's answer: ${HTTP_BODY:0:200}"
done
http GET "$GW_URL/concerts" -H "Authorization: garbage"    # a public route has no authorizer
expect_status 200
# which check refused each token: the access log says (written once each answer is out), without the token
logged() { grep '"event":"access"' "$GW_LOG" | grep -q "\"authError\":\"$1\""; }
for reason in missing malformed expired bad_signature issuer token_use unknown_kid; do
  wait_until 5 logged "$reason" ||
    fail "no access log line with authError $reason: $(grep -o '"authError":"[a-z_]*"' "$GW_LOG" | sort | uniq -c | tr '\n' ' ')"
done
for tok in "$id_token" "$expired_token" "$forged_token" "$access_token"; do
  ! grep -qF "${tok##*.}" "$GW_LOG" || fail "a token (its signature) is in the gateway log"
  ! grep -qF "$(cut -d. -f2 <<<"$tok")" "$GW_LOG" || fail "a token (its claims) is in the gateway log"
done
fetches=$(grep -c '"event":"jwks_fetch"' "$GW_LOG" || true)
[ "$fetches" -le 2 ] || fail "the pool's keys fetched $fetches times (cached: once, again for the unknown kid)"
for _ in 1 2 3 4 5; do curl -s -o /dev/null -H "Authorization: $rotated_kid_token" "$GW_URL/concerts/$concert/stats"; done
after=$(grep -c '"event":"jwks_fetch"' "$GW_LOG" || true)
[ "$after" -le $((fetches + 1)) ] || fail "unknown kids made the gateway fetch the keys $((after - fetches)) more times in a row"
grep '"event":"jwks_fetch"' "$GW_LOG" | grep -q "\"url\":\"$issuer/.well-known/jwks.json\",\"keys\":1" \
  || fail "the keys were not fetched from ISS/.well-known/jwks.json: $(grep jwks_fetch "$GW_LOG" | head -n 2)"
gw_stop

echo "what the function gets: the claims as strings, the pool id; every authorizer spelling"
GW_COGNITO_ISSUER=$issuer gw_start --config "$here/fake-auth-serverless.yml" --bootstrap "$here/fake-bootstrap.sh"
http GET "$GW_URL/by-id" -H "Authorization: $id_token"
expect_status 200
c() { jq -r ".event.requestContext.authorizer.claims[\"$1\"]" <<<"$HTTP_BODY"; }
[[ "$(c sub)" =~ ^[0-9a-f-]{36}$ ]] || fail "claims.sub: $(c sub)"
expect_eq "claims.cognito:groups" manager "$(c cognito:groups)"
expect_eq "claims.token_use" id "$(c token_use)"
expect_eq "claims.email" ana@example.org "$(c email)"
expect_eq "claims.iss" "$issuer" "$(c iss)"
expect_eq "claims.aud" "$client" "$(c aud)"
[[ "$(c exp)" =~ ^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)\ [A-Z][a-z]{2}\ [0-9]{2}\ [0-9]{2}:[0-9]{2}:[0-9]{2}\ UTC\ [0-9]{4}$ ]] \
  || fail "claims.exp not as API Gateway prints it: $(c exp)"
[[ "$(c auth_time)" =~ ^[0-9]+$ ]] || fail "claims.auth_time not a decimal string: $(c auth_time)"
jq -e '.event.requestContext.authorizer.claims | to_entries | all(.value | type == "string")' <<<"$HTTP_BODY" >/dev/null \
  || fail "a claim that is not a string: $(jq -c .event.requestContext.authorizer.claims <<<"$HTTP_BODY")"
expect_eq "identity.apiKeyId" null "$(jq -r .event.requestContext.identity.apiKeyId <<<"$HTTP_BODY")"
for path in by-name-arn by-arn by-arn-string; do
  http GET "$GW_URL/$path" -H "Authorization: $id_token"
  expect_status 200
  expect_eq "$path: claims.token_use" id "$(c token_use)"
  http GET "$GW_URL/$path"
  expect_status 401
  expect_eq "$path: the default UNAUTHORIZED body" '{"message":"Unauthorized"}' "$HTTP_BODY"
done
for path in lambda-authorizer iam; do   # authorizers the gateway cannot run: closed, whatever the token
  http GET "$GW_URL/$path" -H "Authorization: $id_token"
  expect_status 401
done
http GET "$GW_URL/public"
expect_status 200
expect_eq "no authorizer, no claims" null "$(jq -r .event.requestContext.authorizer <<<"$HTTP_BODY")"
gw_stop

echo "the functions' USER_POOL_ID ({Ref: the pool}) is the issuer's pool"
env_of() { "$root/backend/build/local-gateway" --config "$1" --print-config --cognito-issuer "$issuer" | jq -r ".functions[0].environment.$2"; }
expect_eq "USER_POOL_ID of serverless.yml" "$pool" "$(env_of "$root/backend/serverless.yml" USER_POOL_ID)"
expect_eq "USER_POOL_ID of the test service" "$pool" "$(env_of "$here/fake-auth-serverless.yml" USER_POOL_ID)"
expect_eq "an intrinsic the gateway cannot know stays unset" null "$(env_of "$here/fake-auth-serverless.yml" OTHER_ATTRIBUTE)"

echo "no issuer configured: Cognito routes refuse every token"
GW_COGNITO_ISSUER= gw_start --config "$here/fake-auth-serverless.yml" --bootstrap "$here/fake-bootstrap.sh"
http GET "$GW_URL/by-id" -H "Authorization: $id_token"
expect_status 401
gw_stop
echo "ok: 401 for missing, malformed, expired, forged, other-pool, access and unknown-kid tokens; claims reach the function"
