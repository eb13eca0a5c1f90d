#!/usr/bin/env bash
# The sign-in screen against the real cognito-local of the run: without BOXOFFICE_USER/PASSWORD the box
# office opens on it (nothing of the box office shows); an operator made with a temporary password gets the NEW_PASSWORD_REQUIRED challenge (the new password typed
# twice; two different ones are refused before anything is sent), then the box office opens with the
# header naming her and her group; the lock key hides everything, a wrong password keeps it locked (in Cognito's words),
# hers opens it; "remember me" writes the token file 0600 and the next start opens without asking. Passwords
# never show on the screen.
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
user="nina.$$.$RANDOM@example.org"
temp="Temp-$RANDOM-pw1"
newpw="New-$RANDOM-pw2"
cognito AdminCreateUser "$(jq -nc --arg p "$pool" --arg u "$user" --arg t "$temp" \
  '{UserPoolId:$p, Username:$u, TemporaryPassword:$t, MessageAction:"SUPPRESS",
    UserAttributes:[{Name:"email",Value:$u},{Name:"name",Value:"Nina"},
                    {Name:"custom:display_name",Value:"Nina"}]}')" | jq -e '.User' >/dev/null \
  || tui_fail "cognito-local did not create the operator"
cognito AdminAddUserToGroup "$(jq -nc --arg p "$pool" --arg u "$user" '{UserPoolId:$p, Username:$u, GroupName:"cashier"}')" >/dev/null
tui_log "operator $user made with a temporary password (group cashier)"

# --- no session known: the sign-in screen, and nothing of the box office
tui_start 100 30 BOXOFFICE_USER= BOXOFFICE_PASSWORD= BOXOFFICE_TERMINAL=window-7 -- --refresh 0
tui_wait "operators sign in"
tui_has "Seats left" && tui_fail "the box office shows behind the sign-in"
tui_has "Terminal window-7" || tui_fail "the sign-in does not name the terminal"

# --- the temporary password: the challenge, the new one twice (cognito-local asks for the new password
# without checking the temporary one: the wrong password is tried on the lock below)
tui_type "$user"
tui_keys Tab
tui_type "$temp"
tui_has "$temp" && tui_fail "the password shows on the screen"
tui_keys Enter
tui_wait "Choose a new password"
tui_type "$newpw"
tui_keys Enter
tui_type "$newpw-x"
tui_keys Enter
tui_wait "The two passwords differ"
tui_type "$newpw"
tui_keys Enter
tui_wait_list
# the display name: the ID token's name claim, else its custom:display_name (cognito-local 5.3.0 leaves `name`
# out; the operators' routes and scripts/cognito-setup.sh set both); never the e-mail in clear
tui_wait_re "Nina \(cashier\) · window-7"
tui_has "$user" && tui_fail "the header shows the e-mail in clear"
tui_has "$temp" && tui_fail "the temporary password shows"
tui_has "$newpw" && tui_fail "the new password shows"
tui_log "challenge answered; the header: $(tui_screen | head -n 1 | sed 's/  */ /g')"

# --- the lock: nothing of the box office shows; a wrong password keeps it; hers opens it
tui_keys F12
tui_wait_re "Locked by Nina \(cashier\)"
tui_has "Seats left" && tui_fail "the locked screen shows the box office"
tui_keys Tab
tui_type "wrong-$RANDOM"
tui_keys Enter
tui_wait "sign-in refused"
tui_has "wrong-" && tui_fail "the password shows on the screen"
tui_log "wrong password refused: $(tui_screen | grep -F "sign-in refused" | head -n 1 | sed 's/^ *│ *//')"
tui_has "Locked by" || tui_fail "a wrong password opened the lock"
tui_type "$newpw"
tui_keys Enter
tui_wait_list
tui_has "Locked by" && tui_fail "still locked after the right password"
tui_log "locked with F12, a wrong password refused, hers opened it"

# --- remember me: the token file, 0600; the next start does not ask
tui_keys F12
tui_wait "Locked by"
tui_keys Tab
tui_type "$newpw"
tui_keys F2
tui_wait "[x] Remember me"
tui_keys Enter
tui_wait_list
tok=$(find "$TUI_TMP/config" -type f | head -n 1)
[ -n "$tok" ] || tui_fail "remember me wrote no token file under $TUI_TMP/config"
mode=$(stat -c %a "$tok")
[ "$mode" = 600 ] || tui_fail "the token file $tok has mode $mode, not 600"
grep -q "$newpw" "$tok" && tui_fail "the token file holds the password"
tui_keys q
tui_wait "EXITED rc=0"
tui_stop
tui_start 100 30 BOXOFFICE_USER= BOXOFFICE_PASSWORD= -- --refresh 0
tui_wait_list
tui_wait_re "Nina \(cashier\)"
tui_has "operators sign in" && tui_fail "the remembered session asked to sign in"
tui_log "remember me: $tok (0600); the next start opens as her without asking"
echo "PASS"
