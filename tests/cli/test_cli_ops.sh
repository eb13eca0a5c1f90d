#!/usr/bin/env bash
# boxoffice operators against the shared running stack (cognito-local, the real gateway and function): the
# manager lists the operators (e-mails masked in the table, whole in --json as the server gives them), adds
# one with a temporary password (0; the server says FORCE_CHANGE_PASSWORD), disables, enables and re-groups
# her (0, each printing the server's answer), a second add of the same e-mail (2, the server's 409 text), a
# group the API does not have (1, nothing sent); a cashier is refused in the server's words (5).
# Env: BOXOFFICE_API_URL, BOXOFFICE_USER/BOXOFFICE_PASSWORD, COGNITO_SHARED_ENV (set by scripts/run-tests.sh).
. "$(dirname "$0")/cli_lib.sh"
cli_need_shared_stack
[ -n "${COGNITO_SHARED_ENV:-}" ] && [ -s "$COGNITO_SHARED_ENV" ] || { echo "SKIP: no user pool (COGNITO_SHARED_ENV)"; exit 77; }
cli_work cli-ops
cli_record "$BOXOFFICE_API_URL"

user="pia.$$.$RANDOM@example.org"
expect 0 "the operators" -- "$bin" operators || finish
ok "the manager, masked" grep -q "ma…@boxoffice.local" "$out"
ok "no e-mail in clear in the table" not grep -q "manager@boxoffice.local" "$out"
expect 0 "a new operator" -- "$bin" operators add "$user" --name Pia --group door --temporary-password "Temp-$RANDOM-pw1"
ok "as the server answered" grep -q "^Added Pia (pi…@example.org): group door, enabled, FORCE_CHANGE_PASSWORD" "$out"
expect 2 "the same e-mail again" -- "$bin" operators add "$user" --name Pia --group door --temporary-password "Temp-$RANDOM-pw1"
ok "the server's 409" grep -q "(HTTP 409)" "$err"
expect 0 "disabled" -- "$bin" operators disable "$user"
ok "the server says disabled" grep -q "^Disabled Pia" "$out"
expect 0 "enabled" -- "$bin" --json operators enable "$user"
ok "the server's object" j '.enabled == true and .name == "Pia"' "$out"
expect 0 "a cashier now" -- "$bin" operators role "$user" cashier
ok "group cashier" grep -q "group cashier" "$out"
expect 1 "a group the API does not have" -- "$bin" operators role "$user" admin
expect 0 "--json lists her" -- "$bin" --json operators list
ok "with her e-mail as the server gives it" j --arg u "$user" '[.operators[] | select(.username == $u and .group == "cashier")] | length == 1' "$out"

# a cashier: the server's refusal, exit 5
envf=$COGNITO_SHARED_ENV
cog_url=$(sed -n 's/^COGNITO_URL=//p' "$envf"); pool=$(sed -n 's/^USER_POOL_ID=//p' "$envf")
cognito() { curl -s -m 10 -H 'Content-Type: application/x-amz-json-1.1' -H "X-Amz-Target: AWSCognitoIdentityProviderService.$1" -d "$2" "$cog_url/"; }
cashier="cai.$$.$RANDOM@example.org"; cpw="Cashier-$RANDOM-pw9"
cognito AdminCreateUser "$(jq -nc --arg p "$pool" --arg u "$cashier" '{UserPoolId:$p, Username:$u, MessageAction:"SUPPRESS", UserAttributes:[{Name:"email",Value:$u}]}')" >/dev/null
cognito AdminSetUserPassword "$(jq -nc --arg p "$pool" --arg u "$cashier" --arg w "$cpw" '{UserPoolId:$p, Username:$u, Password:$w, Permanent:true}')" >/dev/null
cognito AdminAddUserToGroup "$(jq -nc --arg p "$pool" --arg u "$cashier" '{UserPoolId:$p, Username:$u, GroupName:"cashier"}')" >/dev/null
expect 5 "a cashier lists the operators" -- env BOXOFFICE_USER="$cashier" BOXOFFICE_PASSWORD="$cpw" "$bin" operators
ok "the server's words" grep -q "needs the manager group (HTTP 403)" "$err"
finish
