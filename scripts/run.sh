#!/usr/bin/env bash
# `make run`: opens the box office. With an API configured (BOXOFFICE_API_URL, or api_url in
# ${XDG_CONFIG_HOME:-~/.config}/boxoffice/config) it talks to that API; otherwise it starts the local
# stack (scripts/local-stack.sh up: DynamoDB Local + local-gateway, seeded) and points the client at it.
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
if [ -z "${BOXOFFICE_API_KEY:-}" ] && [ -s "$state/api-key" ]; then
  BOXOFFICE_API_KEY=$(cat "$state/api-key"); export BOXOFFICE_API_KEY
fi
echo "run: using the local stack at $url (stop it with: make local-down)" >&2
exec "$client" "$@"
