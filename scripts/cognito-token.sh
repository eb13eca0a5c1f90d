#!/usr/bin/env bash
# Signs in to a Cognito user pool (InitiateAuth USER_PASSWORD_AUTH, the app client's public flow: no
# secret, no SigV4) and prints the ID token, which the API takes in `Authorization: <IdToken>`.
#   cognito-token.sh COGNITO_URL CLIENT_ID USER PASSWORD
#   cognito-token.sh --env STATE_DIR/cognito.env      the local stack's first manager
# Exit 1 with Cognito's error (never the password) on stderr when no token came back (a user whose first
# sign-in asks for a new password has no token yet: boxoffice login answers that challenge).
set -euo pipefail
if [ "${1:-}" = "--env" ]; then
  envf=${2:?usage: cognito-token.sh --env FILE}
  url=$(sed -n 's/^COGNITO_URL=//p' "$envf"); client=$(sed -n 's/^CLIENT_ID=//p' "$envf")
  user=$(sed -n 's/^MANAGER_USER=//p' "$envf"); password=$(sed -n 's/^MANAGER_PASSWORD=//p' "$envf")
else
  url=${1:?usage: cognito-token.sh COGNITO_URL CLIENT_ID USER PASSWORD}; client=${2:?CLIENT_ID}
  user=${3:?USER}; password=${4:?PASSWORD}
fi
answer=$(jq -nc --arg c "$client" --arg u "$user" --arg p "$password" \
    '{AuthFlow: "USER_PASSWORD_AUTH", ClientId: $c, AuthParameters: {USERNAME: $u, PASSWORD: $p}}' |
  curl -sS -m 20 -X POST "${url%/}/" -H 'Content-Type: application/x-amz-json-1.1' \
    -H 'X-Amz-Target: AWSCognitoIdentityProviderService.InitiateAuth' --data-binary @-) \
  || { echo "cognito-token: no answer from $url" >&2; exit 1; }
token=$(jq -r '.AuthenticationResult.IdToken // empty' <<<"$answer" 2>/dev/null || true)
if [ -z "$token" ]; then
  why=$(jq -r '(.ChallengeName // empty | "challenge " + .), (.__type // empty), (.message // empty)' <<<"$answer" 2>/dev/null | paste -sd' ' -)
  echo "cognito-token: no ID token for ${user%%@*}@…: ${why:-unreadable answer}" >&2
  exit 1
fi
printf '%s\n' "$token"
