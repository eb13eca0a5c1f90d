#!/usr/bin/env bash
# boxoffice login / whoami / logout against the run's user pool (cognito-local): a user made with a temporary
# password answers the new-password challenge (BOXOFFICE_NEW_PASSWORD) and is signed in; --remember keeps the
# session in the token file (0600) which later commands use without a password, also after its ID token
# expired (the refresh token gets a new one); a wrong password is refused (exit 5) without printing it;
# logout removes the file, and then an operator command answers 401 "not signed in / session expired".
# Env: BOXOFFICE_API_URL, BOXOFFICE_COGNITO_URL, BOXOFFICE_CLIENT_ID, COGNITO_SHARED_ENV (scripts/run-tests.sh).
. "$(dirname "$0")/cli_lib.sh"
cli_need_shared_stack
[ -s "${COGNITO_SHARED_ENV:-}" ] || { echo "skip: needs the run's user pool (COGNITO_SHARED_ENV)"; exit 77; }
cli_work login

session="$XDG_CONFIG_HOME/boxoffice/session"   # cli_work: a private XDG_CONFIG_HOME

pool=$(sed -n 's/^USER_POOL_ID=//p' "$COGNITO_SHARED_ENV")
user="login-$$-$RANDOM@example.org" temp="Temp-$$-Aa1" new="New-$$-Bb2"
cog() {
  curl -sS -m 10 -X POST "$BOXOFFICE_COGNITO_URL/" -H 'Content-Type: application/x-amz-json-1.1' \
    -H "X-Amz-Target: AWSCognitoIdentityProviderService.$1" --data-binary "$2"
}
cog AdminCreateUser "$(jq -nc --arg p "$pool" --arg u "$user" --arg t "$temp" '{UserPoolId: $p, Username: $u,
  TemporaryPassword: $t, MessageAction: "SUPPRESS", UserAttributes: [{Name: "email", Value: $u}, {Name: "name", Value: "Lena"}]}')" \
  >/dev/null || { echo "FAIL: could not make the test user"; exit 1; }
cog AdminAddUserToGroup "$(jq -nc --arg p "$pool" --arg u "$user" '{UserPoolId: $p, Username: $u, GroupName: "door"}')" >/dev/null
as_user=(env -u BOXOFFICE_PASSWORD BOXOFFICE_USER="$user")

expect 5 "a first sign-in without a terminal or a new password" -- "${as_user[@]}" BOXOFFICE_PASSWORD="$temp" "$bin" login
ok "it says a new password is required" grep -q "a new password is required" "$err"
expect 0 "login --remember answers the new-password challenge" -- "${as_user[@]}" BOXOFFICE_PASSWORD="$temp" \
  BOXOFFICE_NEW_PASSWORD="$new" "$bin" login --remember
ok "it says who is signed in, in the door group" grep -q "^signed in as .* (door)" "$out"
ok "the e-mail is never printed whole" bash -c "! grep -qF -- '$user' '$out' '$err'"
ok "the token file is 0600" test "$(stat -c %a "$session")" = 600
ok "no password in the token file" bash -c "! grep -qF -e '$new' -e '$temp' '$session'"

expect 0 "whoami from the remembered session (no password given)" -- env -u BOXOFFICE_USER -u BOXOFFICE_PASSWORD "$bin" --json whoami
ok "whoami --json: groups, sub, a masked e-mail" j '.groups == ["door"] and (.sub | length) > 0 and (.email | startswith("lo…@"))' "$out"

# the remembered ID token expires: the refresh token gets a new one, silently
python3 - "$session" <<'PY'
import base64, json, sys
d = json.load(open(sys.argv[1]))
h, _, _ = d["idToken"].split(".")
p = base64.urlsafe_b64encode(json.dumps({"sub": "x", "exp": 1}).encode()).decode().rstrip("=")
d["idToken"] = h + "." + p + ".old"
json.dump(d, open(sys.argv[1], "w"))
PY
expect 0 "whoami after the ID token expired" -- env -u BOXOFFICE_USER -u BOXOFFICE_PASSWORD "$bin" --json whoami
ok "the session was refreshed (the real sub again)" j '.sub != "x" and .groups == ["door"]' "$out"

expect 5 "login with a wrong password" -- "${as_user[@]}" BOXOFFICE_PASSWORD="wrong-$new" "$bin" login
ok "it says the sign-in was refused" grep -q "sign-in refused" "$err"
ok "and never prints the password" bash -c "! grep -qF -- 'wrong-$new' '$out' '$err'"

expect 0 "logout" -- env -u BOXOFFICE_USER -u BOXOFFICE_PASSWORD "$bin" logout
ok "the token file is gone" test ! -e "$session"
expect 5 "whoami after logout" -- env -u BOXOFFICE_USER -u BOXOFFICE_PASSWORD "$bin" whoami
ok "it says to sign in" grep -q "boxoffice login" "$err"
expect 5 "an operator command after logout gets the 401" -- env -u BOXOFFICE_USER -u BOXOFFICE_PASSWORD "$bin" \
  create --name "Logged out $$" --date 2094-01-01 --venue V --tickets 1 --price 1
ok "which reads: not signed in / session expired" grep -q "not signed in / session expired: boxoffice login (HTTP 401)" "$err"
finish
