#!/usr/bin/env bash
# The scriptable CLI against the shared running stack (real gateway, real bootstrap, DynamoDB Local):
# every subcommand and every exit code that can be provoked for real.
# Env: BOXOFFICE_API_URL, BOXOFFICE_USER/BOXOFFICE_PASSWORD, TEST_TOKEN (set by scripts/run-tests.sh). Exit 0 pass, 77 skip, 1 fail.
. "$(dirname "$0")/cli_lib.sh"
cli_need_shared_stack

. "$root/tests/lib/venue_time.sh"
# a private, empty configuration: no user config file, no local key file
cli_work cli
# the CLI talks to the API through the recording pass-through: its answers are checked against the contract
cli_record "$BOXOFFICE_API_URL"
url=$BOXOFFICE_API_URL key=$TEST_TOKEN

no_escapes() { ! grep -q $'\x1b' "$out" "$err"; }

tag="cli-$$-$(date +%s)"

# --- help, version, usage errors (1)
expect 0 "--help" -- "$bin" --help
ok "--help documents every exit code" bash -c "for c in 0 1 2 3 4 5 6 7; do grep -q \"^  \$c  \" '$out' || exit 1; done"
expect 0 "--version" -- "$bin" --version
ok "--version prints a version" grep -Eq '^boxoffice [0-9]+\.[0-9]+' "$out"
expect 1 "unknown command" -- "$bin" dance
expect 1 "unknown option" -- "$bin" list --frobnicate
expect 1 "show without an ID" -- "$bin" show
expect 1 "buy without --email" -- "$bin" buy some-id --name "Ada"
expect 1 "--json without a command" -- "$bin" --json
expect 1 "--kiosk with a command" -- "$bin" --kiosk list
ok "usage errors say how to get help" grep -q -- "--help" "$err"

# --- list (0)
expect 0 "list" -- "$bin" list
ok "list prints a table header" grep -q "SEATS LEFT" "$out"
ok "list output holds no escape sequences" no_escapes
expect 0 "list --json" -- "$bin" --json list
ok "list --json is a JSON array of concerts" j 'type == "array" and all(.[]; has("id") and has("availableTickets") and has("ticketPrice"))' "$out"
total=$(jq length "$out")

# --- create (0), with client-side validation (1), without or with a wrong key (5)
expect 0 "create with the operator key" -- "$bin" --json create --name "Matinée $tag" --date 2094-03-01T15:00:00Z \
  --venue "Salle Pleyel" --tickets 2 --price 12.50
ok "create --json returns the new id" j '.id | type == "string" and length > 0' "$out"
id=$(jq -r .id "$out")
expect 0 "create (table form)" -- "$bin" create --name "Solo $tag" --date 2094-03-02 --venue "Hall 1" --tickets 1 --price 5
ok "create prints the new id" grep -q "^Created concert " "$out"
expect 1 "create with an impossible date is refused before sending" -- "$bin" create --name "Bad $tag" \
  --date 2027-02-30 --venue V --tickets 1 --price 1
expect 1 "create with a 3-decimal price is refused before sending" -- "$bin" create --name "Bad $tag" \
  --date 2027-02-01 --venue V --tickets 1 --price 1.999
expect 5 "create without a sign-in" -- env -u BOXOFFICE_USER -u BOXOFFICE_PASSWORD "$bin" create --name "Nokey $tag" --date 2094-01-01 \
  --venue V --tickets 1 --price 1
ok "create without a sign-in says why (401)" grep -q "not signed in / session expired: boxoffice login (HTTP 401)" "$err"
says_how_to_sign_in() {
  grep -q 'boxoffice login' "$err" && grep -q 'BOXOFFICE_USER' "$err" \
    && grep -qF "client_id in $XDG_CONFIG_HOME/boxoffice/config" "$err" && grep -q 'make local-up' "$err"
}
ok "create without a sign-in says how to sign in" says_how_to_sign_in
expect 1 "order with cash but without a sign-in is refused before sending" -- env -u BOXOFFICE_USER -u BOXOFFICE_PASSWORD "$bin" order x --quantity 1 --pay cash
ok "and says how to sign in" says_how_to_sign_in
expect 5 "create with a wrong password" -- env BOXOFFICE_PASSWORD=wrong-password "$bin" create --name "Badkey $tag" \
  --date 2094-01-01 --venue V --tickets 1 --price 1
ok "a wrong password says the sign-in was refused" grep -q "sign-in refused: wrong e-mail or password" "$err"
ok "and never prints the password" bash -c "! grep -q wrong-password '$out' '$err'"
expect 5 "create with an old API key and no sign-in" -- env -u BOXOFFICE_USER -u BOXOFFICE_PASSWORD BOXOFFICE_API_KEY=some-old-key \
  "$bin" create --name "Badkey $tag" --date 2094-01-01 --venue V --tickets 1 --price 1
expect 0 "list after create" -- "$bin" --json list
ok "the invalid and unauthorised concerts were not created" \
  j --arg t "$tag" '[.[] | select(.name | endswith($t))] | length == 2' "$out"
ok "the catalogue grew by (at least, other tests share the stack) the two created concerts" j --argjson n "$total" 'length >= $n + 2' "$out"

# --- times in the venue's zone with its abbreviation (the operator's zone without one); --json keeps UTC
at=2094-01-01T02:00:00Z   # New Year's Eve in New York, New Year's Day in Berlin and Tokyo
for z in America/New_York Europe/Berlin ""; do
  zn=${z##*/}
  expect 0 "create a concert in zone '${z:-none}'" -- "$bin" --json create --name "Zone ${zn:-none} $tag" --date "$at" \
    --venue "Zone Hall" --tickets 1 --price 1 ${z:+--timezone "$z"}
done
expect 0 "list the zone concerts" -- env TZ=Asia/Tokyo "$bin" list --filter "zone hall"
for z in America/New_York Europe/Berlin ""; do
  want=$(venue_time_short "$at" "${z:-Asia/Tokyo}")
  zn=${z##*/}
  ok "list shows '${z:-none}' as \"$want\"" grep -qE -- "^$want +Zone ${zn:-none} $tag " "$out"
done
ok "list shows no UTC time" bash -c "! grep -q '02:00' '$out'"
expect 0 "--json list keeps the stored instant" -- env TZ=Asia/Tokyo "$bin" --json list --filter "zone hall"
ok "--json dates are the stored UTC instants" j --arg t "$tag" --arg at "$at" \
  '[.[] | select(.name | endswith($t))] | length == 3 and all(.date | startswith($at[0:16]))' "$out"

# --- show (0), show unknown (4)
expect 0 "show" -- "$bin" show "$id"
ok "show prints the name" grep -q "Matinée $tag" "$out"
expect 0 "show --json" -- "$bin" --json show "$id"
ok "show --json has the exact price and the seats" j '.ticketPrice == 12.5 and .availableTickets == 2' "$out"
expect 4 "show an unknown concert" -- "$bin" show "no-such-concert-$tag"
ok "show unknown says so with the HTTP status" grep -q "HTTP 404" "$err"

# --- list --filter narrows to the new concert
expect 0 "list --filter" -- "$bin" --json list --filter "matinée $tag"
ok "list --filter (case-insensitive, UTF-8) finds exactly the new concert" \
  j --arg id "$id" 'length == 1 and .[0].id == $id' "$out"

# --- buy (0) until sold out (3)
expect 1 "buy with an invalid e-mail is refused before sending" -- "$bin" buy "$id" --name "Ada" --email "not-an-address"
ok "the refused purchase took no seat" test "$(seats "$id")" = 2
expect 0 "buy" -- "$bin" buy "$id" --name "Ada Lovelace" --email "ada@example.com"
ok "buy prints a receipt" grep -q "^Ticket: " "$out"
ok "buy took exactly one seat" test "$(seats "$id")" = 1
expect 0 "buy --json" -- "$bin" --json buy "$id" --name "Grace Hopper" --email "grace@example.com"
ok "buy --json returns the ticket" j --arg id "$id" '.concertId == $id and (.id | length > 0) and .customerName == "Grace Hopper"' "$out"
ok "the second purchase took exactly one more seat" test "$(seats "$id")" = 0
expect 3 "buy a sold-out concert" -- "$bin" buy "$id" --name "Alan Turing" --email "alan@example.com"
ok "sold out says so" grep -q "Sold out" "$err"
expect 3 "buy a sold-out concert --json" -- "$bin" --json buy "$id" --name "Alan Turing" --email "alan@example.com"
ok "sold out --json reports the exit code" j '.exitCode == 3' "$out"
ok "sold out took nothing" test "$(seats "$id")" = 0
expect 4 "buy for an unknown concert" -- "$bin" buy "no-such-concert-$tag" --name "Ada" --email "ada@example.com"

# --- API errors (2): a URL without the stage hits no route (API Gateway's 403 "Missing Authentication Token")
expect 2 "a wrong API URL (no such route)" -- "$bin" --api-url "${url%/*}/no-such-stage" list
ok "wrong route says to check the URL" grep -q "API URL" "$err"

# --- unreachable (6): a port in the 3400-3499 range where nothing listens
free_port=""
for p in $(seq 3490 3499); do
  if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then free_port=$p; break; fi
done
if [ -n "$free_port" ]; then
  expect 6 "unreachable server" -- "$bin" --api-url "http://127.0.0.1:$free_port/dev" list
  ok "unreachable says so" grep -qi "unreachable" "$err"
  ok "unreachable names the URL and how to start or point at an API" bash -c "grep -qF 'http://127.0.0.1:$free_port/dev' '$err' \
    && grep -q 'make local-up' '$err' && grep -q 'BOXOFFICE_API_URL' '$err'"
  expect 6 "unreachable server, buy" -- "$bin" --api-url "http://127.0.0.1:$free_port/dev" buy x --name A --email a@example.com
fi

# --- a past concert (started more than 3 hours ago) is not sold without --past (2); nothing is sent
expect 0 "create a concert that started two days ago" -- "$bin" --json create --name "Past $tag" \
  --date "$(date -u -d '-2 days' +%Y-%m-%dT%H:%M:%SZ)" --venue "Hall P" --tickets 3 --price 5 --timezone Europe/Vienna
pid=$(jq -r .id "$out")
expect 2 "buy of a past concert without --past" -- "$bin" buy "$pid" --name "Ada" --email "ada@example.com"
ok "the refusal says when it was and how to sell anyway" bash -c "grep -q 'this concert was on .* CET' '$err' && grep -q -- '--past' '$err'"
expect 2 "order of a past concert without --past" -- "$bin" order "$pid" --quantity 1 --pay cash
ok "nothing was sold" test "$(seats "$pid")" = 3
expect 0 "buy of a past concert with --past" -- "$bin" buy "$pid" --name "Ada" --email "ada@example.com" --past
expect 0 "order of a past concert with --past" -- "$bin" order "$pid" --quantity 1 --pay cash --past
ok "--past sold them" test "$(seats "$pid")" = 1

# --- config: where the URL and the sign-in come from, never the password
expect 0 "config --json" -- "$bin" --json config
ok "config reports the URL and the user pool from the environment" j --arg u "$url" --arg c "$BOXOFFICE_COGNITO_URL" \
  '.apiUrl == $u and .apiUrlSource == "env" and .cognitoUrl == $c and .cognitoSource == "env" and .clientIdSet and .userSet and .passwordSet' "$out"
ok "config never prints the password or a token" bash -c "! grep -qF -e '$BOXOFFICE_PASSWORD' -e '$key' '$out'"
expect 0 "config without any URL points at the local stack" -- env -u BOXOFFICE_API_URL API_PORT=3499 "$bin" --json config
ok "the default is the local stack on API_PORT" j '.apiUrl == "http://127.0.0.1:3499/dev" and .apiUrlSource == "default"' "$out"

# --- configuration file is honoured (flag > env > file)
mkdir -p "$XDG_CONFIG_HOME/boxoffice"
printf 'api_url = %s\n' "$url" >"$XDG_CONFIG_HOME/boxoffice/config"
expect 0 "API URL from the config file" -- env -u BOXOFFICE_API_URL "$bin" --json show "$id"
printf 'colour = blue\n' >"$XDG_CONFIG_HOME/boxoffice/config"
expect 1 "a bad config file is a usage error" -- "$bin" list
ok "the bad config line is named" grep -q "config:1:" "$err"
rm -f "$XDG_CONFIG_HOME/boxoffice/config"

finish
