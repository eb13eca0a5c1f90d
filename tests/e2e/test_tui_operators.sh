#!/usr/bin/env bash
# The Operators screen (O) against the real stack (cognito-local, the gateway, the function, DynamoDB Local):
# a manager sees the operators with their e-mails masked, adds one with a temporary password (the row is the
# server's answer: FORCE_CHANGE_PASSWORD), disables her (DISABLED, as the server answered), changes her group;
# a cashier opening the screen reads the server's 403 in its own words. No e-mail or password in clear.
. "$(dirname "$0")/tui_lib.sh"
tui_require
envf=${COGNITO_SHARED_ENV:-}
[ -n "$envf" ] && [ -s "$envf" ] || tui_skip "no user pool (COGNITO_SHARED_ENV; run through scripts/run-tests.sh)"
cog_url=$(sed -n 's/^COGNITO_URL=//p' "$envf")
pool=$(sed -n 's/^USER_POOL_ID=//p' "$envf")
cognito() { # OP JSON: one call of Cognito's JSON API (cognito-local checks no signature)
  curl -s -m 10 -H 'Content-Type: application/x-amz-json-1.1' \
    -H "X-Amz-Target: AWSCognitoIdentityProviderService.$1" -d "$2" "$cog_url/"
}
new="olga.$$.$RANDOM@example.org"
temp="Temp-$RANDOM-pw1"

# --- the manager (BOXOFFICE_USER of the run) opens the list
tui_start 110 30 BOXOFFICE_TERMINAL=desk-1 -- --refresh 0
tui_wait_list
tui_keys O
tui_wait "E-mail"
tui_wait "ma…@boxoffice.local"
tui_has "manager@boxoffice.local" && tui_fail "an e-mail shows in clear"
tui_log "operators listed: $(tui_screen | grep -c '…@') rows with a masked e-mail"

# --- add one with a temporary password
tui_keys n
tui_wait "New operator"
tui_type "$new"; tui_keys Enter
tui_type "Olga"; tui_keys Enter
tui_type "cashier"; tui_keys Enter
tui_type "$temp"
tui_has "$temp" && tui_fail "the temporary password shows"
tui_keys Enter
tui_wait "Olga (ol…@example.org): group cashier, enabled"
row=$(tui_screen | grep -F "ol…@example.org" | head -n 1)
grep -q "(new password)" <<<"$row" || tui_fail "the new operator's row does not say she must choose a password: $row"
tui_has "$new" && tui_fail "the new e-mail shows in clear"
tui_log "added: $(sed 's/  */ /g' <<<"$row")"

# --- disable her, then change her group (select her row first)
n=$(tui_screen | grep -E '│ .*…@' | grep -nF "ol…@example.org" | head -n 1 | cut -d: -f1)
tui_keys Home
for _ in $(seq 2 "$n"); do tui_keys Down; done
tui_keys e
tui_wait "Disable Olga?"
tui_keys y
tui_wait "Olga (ol…@example.org): group cashier, disabled"
tui_screen | grep -F "ol…@example.org" | grep -q DISABLED || tui_fail "the row does not show her disabled"
tui_keys g
tui_wait "Group of Olga"
for _ in $(seq 1 8); do tui_keys BSpace; done
tui_type "door"; tui_keys Enter
tui_wait "Olga (ol…@example.org): group door, disabled"
tui_log "disabled, then moved to door: $(tui_screen | grep -F "ol…@example.org" | head -n 1 | sed 's/  */ /g')"
tui_keys q
tui_wait "EXITED rc=0"
tui_stop

# --- a cashier: the server's refusal in its own words
cashier="cora.$$.$RANDOM@example.org"; cpw="Cashier-$RANDOM-pw9"
cognito AdminCreateUser "$(jq -nc --arg p "$pool" --arg u "$cashier" \
  '{UserPoolId:$p, Username:$u, MessageAction:"SUPPRESS", UserAttributes:[{Name:"email",Value:$u},{Name:"name",Value:"Cora"}]}')" >/dev/null
cognito AdminSetUserPassword "$(jq -nc --arg p "$pool" --arg u "$cashier" --arg w "$cpw" '{UserPoolId:$p, Username:$u, Password:$w, Permanent:true}')" >/dev/null
cognito AdminAddUserToGroup "$(jq -nc --arg p "$pool" --arg u "$cashier" '{UserPoolId:$p, Username:$u, GroupName:"cashier"}')" >/dev/null
tui_start 110 30 "BOXOFFICE_USER=$cashier" "BOXOFFICE_PASSWORD=$cpw" -- --refresh 0
tui_wait_list
tui_wait "(cashier)"
tui_keys O
tui_wait_re "manager"
msg=$(tui_screen | grep -i "manager" | grep -v "BOX OFFICE" | head -n 1 | sed 's/^ *│ *//; s/ *│ *$//')
tui_has "E-mail  " && tui_fail "a cashier sees the list of operators"
tui_log "a cashier reads: $msg"
echo "PASS"
