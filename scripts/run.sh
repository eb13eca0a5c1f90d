#!/usr/bin/env bash
# `make run`: opens the box office. With an API configured (BOXOFFICE_API_URL, or api_url in
# ${XDG_CONFIG_HOME:-~/.config}/boxoffice/config) it talks to that API; otherwise it starts the local
# stack (scripts/local-stack.sh up: DynamoDB Local + cognito-local + local-gateway, seeded) and points the
# client at it: its Cognito (BOXOFFICE_COGNITO_URL, BOXOFFICE_CLIENT_ID) and, so that the one-command demo opens
# a working box office, the first manager's sign-in (BOXOFFICE_USER / BOXOFFICE_PASSWORD) unless the caller set
# BOXOFFICE_USER (then the caller's own BOXOFFICE_PASSWORD, or `boxoffice login`, is used).
# Arguments are passed on to build/boxoffice.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
client="$root/build/boxoffice"
[ -x "$client" ] || { echo "run: $client is missing (make)" >&2; exit 1; }

# Where the API URL comes from, by the client's own rules (flag, env, config file, else "default": the local
# stack). A broken config file stops here, with the client's message naming the file and line.
url_source=$("$client" --json config | jq -r .apiUrlSource) || exit 1
if [ "$url_source" != default ]; then exec "$client" "$@"; fi

state=${LOCAL_STATE_DIR:-$root/.local}
url=$(SKIP_DEPS=1 "$root/scripts/local-stack.sh" up | tail -n 1)
[ -n "$url" ] || { echo "run: the local stack did not start" >&2; exit 1; }
export BOXOFFICE_API_URL="$url"
cog="$state/cognito.env"
[ -s "$cog" ] || { echo "run: $cog is missing (the local stack made no user pool)" >&2; exit 1; }
[ -n "${BOXOFFICE_COGNITO_URL:-}" ] || { BOXOFFICE_COGNITO_URL=$(sed -n 's/^COGNITO_URL=//p' "$cog"); export BOXOFFICE_COGNITO_URL; }
[ -n "${BOXOFFICE_CLIENT_ID:-}" ] || { BOXOFFICE_CLIENT_ID=$(sed -n 's/^CLIENT_ID=//p' "$cog"); export BOXOFFICE_CLIENT_ID; }
if [ -z "${BOXOFFICE_USER:-}" ]; then
  BOXOFFICE_USER=$(sed -n 's/^MANAGER_USER=//p' "$cog")
  BOXOFFICE_PASSWORD=$(sed -n 's/^MANAGER_PASSWORD=//p' "$cog")
  export BOXOFFICE_USER BOXOFFICE_PASSWORD
fi
echo "run: using the local stack at $url (stop it with: make local-down)" >&2
exec "$client" "$@"
