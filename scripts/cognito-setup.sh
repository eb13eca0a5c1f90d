#!/usr/bin/env bash
# Makes the local stack's Cognito user pool in a running cognito-local, idempotently, and writes what the
# gateway, the function, the client and the tests need into STATE_DIR/cognito.env (mode 0600):
#   COGNITO_URL=http://127.0.0.1:PORT  USER_POOL_ID=local_x  CLIENT_ID=...
#   MANAGER_USER=manager@boxoffice.local  MANAGER_PASSWORD=...
#
#   cognito-setup.sh PORT STATE_DIR
#
# What it makes (each only when missing; the pool lives in cognito-local's db, so it survives restarts):
# the pool "boxoffice" (user names are e-mail addresses), the app client "boxoffice-client" (flows
# USER_PASSWORD_AUTH and REFRESH_TOKEN_AUTH, no secret), the groups manager, cashier, door, kiosk, and the
# first manager: manager@boxoffice.local, name "Manager", in group manager, with a random password set
# permanent (AdminSetUserPassword), so the first sign-in needs no new password. The password is kept in
# cognito.env; when that file is lost, the manager gets a new random password.
# cognito-local checks no signature: plain curl + jq against its JSON API.
set -euo pipefail
port=${1:?usage: cognito-setup.sh PORT STATE_DIR}
state=${2:?usage: cognito-setup.sh PORT STATE_DIR}
url="http://127.0.0.1:$port"
envf="$state/cognito.env"
POOL_NAME=boxoffice
CLIENT_NAME=boxoffice-client
MANAGER_USER=manager@boxoffice.local

die() { printf 'cognito-setup: %s\n' "$*" >&2; exit 1; }

# cog OP JSON: one call; the answer on stdout; exit 1 on an error answer, whose __type goes to COG_ERR
COG_ERR=
cog() {
  local out code
  out=$(curl -sS -m 20 -w '\n%{http_code}' -X POST "$url/" \
    -H 'Content-Type: application/x-amz-json-1.1' \
    -H "X-Amz-Target: AWSCognitoIdentityProviderService.$1" --data-binary "$2") || die "$1: cognito-local did not answer on $url"
  code=${out##*$'\n'}; out=${out%$'\n'*}
  if [ "$code" != 200 ]; then
    COG_ERR=$(jq -r '.__type // .code // "error"' <<<"$out" 2>/dev/null || echo error)
    COG_ERR=${COG_ERR##*#}
    return 1
  fi
  printf '%s' "$out"
}

random_password() {
  # letters and digits (safe in an env file and a shell), with every character class a policy may ask for
  printf 'Bo1-%s' "$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 20)"
}

pool_id= client_id= password=
if [ -f "$envf" ]; then
  pool_id=$(sed -n 's/^USER_POOL_ID=//p' "$envf")
  client_id=$(sed -n 's/^CLIENT_ID=//p' "$envf")
  password=$(sed -n 's/^MANAGER_PASSWORD=//p' "$envf")
fi

# the pool: the one named in cognito.env, else the one named $POOL_NAME, else a new one
if [ -z "$pool_id" ] || ! cog DescribeUserPool "$(jq -nc --arg p "$pool_id" '{UserPoolId: $p}')" >/dev/null; then
  pool_id=$(cog ListUserPools '{"MaxResults":60}' | jq -r --arg n "$POOL_NAME" '[.UserPools[]? | select(.Name == $n)][0].Id // ""') \
    || die "ListUserPools: $COG_ERR"
  if [ -z "$pool_id" ]; then
    pool_id=$(cog CreateUserPool "$(jq -nc --arg n "$POOL_NAME" '{PoolName: $n, UsernameAttributes: ["email"],
        Policies: {PasswordPolicy: {MinimumLength: 8}}}')" | jq -r '.UserPool.Id') || die "CreateUserPool: $COG_ERR"
  fi
  client_id=
fi
[ -n "$pool_id" ] && [ "$pool_id" != null ] || die "no user pool id"

# the app client
if [ -z "$client_id" ] || ! cog DescribeUserPoolClient "$(jq -nc --arg p "$pool_id" --arg c "$client_id" '{UserPoolId: $p, ClientId: $c}')" >/dev/null; then
  client_id=$(cog ListUserPoolClients "$(jq -nc --arg p "$pool_id" '{UserPoolId: $p, MaxResults: 60}')" |
    jq -r --arg n "$CLIENT_NAME" '[.UserPoolClients[]? | select(.ClientName == $n)][0].ClientId // ""') || die "ListUserPoolClients: $COG_ERR"
  if [ -z "$client_id" ]; then
    client_id=$(cog CreateUserPoolClient "$(jq -nc --arg p "$pool_id" --arg n "$CLIENT_NAME" '{UserPoolId: $p, ClientName: $n,
        GenerateSecret: false, ExplicitAuthFlows: ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"]}')" |
      jq -r '.UserPoolClient.ClientId') || die "CreateUserPoolClient: $COG_ERR"
  fi
fi
[ -n "$client_id" ] && [ "$client_id" != null ] || die "no app client id"

# the groups
for g in manager cashier door kiosk; do
  if ! cog GetGroup "$(jq -nc --arg p "$pool_id" --arg g "$g" '{UserPoolId: $p, GroupName: $g}')" >/dev/null; then
    cog CreateGroup "$(jq -nc --arg p "$pool_id" --arg g "$g" '{UserPoolId: $p, GroupName: $g, Description: ("boxoffice " + $g)}')" >/dev/null \
      || [ "$COG_ERR" = GroupExistsException ] || die "CreateGroup $g: $COG_ERR"
  fi
done

# the first manager
user_json() { jq -nc --arg p "$pool_id" --arg u "$MANAGER_USER" '{UserPoolId: $p, Username: $u}'; }
if ! cog AdminGetUser "$(user_json)" >/dev/null; then
  [ "$COG_ERR" = UserNotFoundException ] || die "AdminGetUser: $COG_ERR"
  cog AdminCreateUser "$(jq -nc --arg p "$pool_id" --arg u "$MANAGER_USER" '{UserPoolId: $p, Username: $u,
      MessageAction: "SUPPRESS", UserAttributes: [{Name: "email", Value: $u}, {Name: "email_verified", Value: "true"},
      {Name: "name", Value: "Manager"}]}')" >/dev/null || die "AdminCreateUser: $COG_ERR"
  password=
fi
if [ -z "$password" ]; then
  password=$(random_password)
  cog AdminSetUserPassword "$(jq -nc --arg p "$pool_id" --arg u "$MANAGER_USER" --arg w "$password" \
      '{UserPoolId: $p, Username: $u, Password: $w, Permanent: true}')" >/dev/null || die "AdminSetUserPassword: $COG_ERR"
fi
members=$(cog ListUsersInGroup "$(jq -nc --arg p "$pool_id" '{UserPoolId: $p, GroupName: "manager"}')") || die "ListUsersInGroup: $COG_ERR"
if ! jq -e --arg u "$MANAGER_USER" '[.Users[]?.Attributes[]? | select(.Name == "email" and .Value == $u)] | length > 0' <<<"$members" >/dev/null; then
  cog AdminAddUserToGroup "$(jq -nc --arg p "$pool_id" --arg u "$MANAGER_USER" '{UserPoolId: $p, Username: $u, GroupName: "manager"}')" >/dev/null \
    || die "AdminAddUserToGroup: $COG_ERR"
fi

(umask 077
 printf 'COGNITO_URL=%s\nUSER_POOL_ID=%s\nCLIENT_ID=%s\nMANAGER_USER=%s\nMANAGER_PASSWORD=%s\n' \
   "$url" "$pool_id" "$client_id" "$MANAGER_USER" "$password" >"$envf.tmp")
chmod 600 "$envf.tmp"
mv "$envf.tmp" "$envf"
