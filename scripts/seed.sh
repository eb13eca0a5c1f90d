#!/usr/bin/env bash
# Loads a concert catalogue through the API: one POST /concerts per entry, signed in as a manager.
#   seed.sh API_URL ID_TOKEN FILE    create every entry, sending `Authorization: ID_TOKEN` (a manager's Cognito
#                                    ID token, e.g. scripts/cognito-token.sh --env .local/cognito.env);
#                                    exit 0 when each was created (201); one summary line
#   seed.sh --print FILE             print the entries as they would be sent (a JSON array), nothing sent
# FILE is a JSON array of concerts. An entry with a "date" is sent as it is. An entry with "day" and "time"
# instead is dated relative to today: "day" days from today (UTC's today; negative: in the past), at the
# wall-clock "time" (HH:MM) in the entry's "timezone" (an IANA zone, e.g. "Europe/Vienna"); the date sent is
# that instant in UTC ("2026-12-08T19:00:00Z") and the zone goes with it, so the box office shows the
# venue's own time ("Tue 08 Dec 20:00 CET"). The demo catalogue (assets/concerts.json) is written this way.
set -euo pipefail

# The entries of $1 with relative dates resolved, one JSON object a line.
resolve() {
  local today idx day time tz epoch dates='{}'
  today=$(date -u +%F)
  while IFS=$'\t' read -r idx day time tz; do
    [[ $day =~ ^-?[0-9]+$ && $time =~ ^[0-9]{2}:[0-9]{2}$ ]] || { echo "seed: entry $idx: bad day/time" >&2; return 1; }
    [ -e "${TZDIR:-/usr/share/zoneinfo}/$tz" ] || { echo "seed: entry $idx: time zone $tz is not installed (tzdata)" >&2; return 1; }
    epoch=$(TZ=$tz date -d "$(date -u -d "$today $day days" +%F) $time" +%s) || return 1
    dates=$(jq -c --arg i "$idx" --arg d "$(date -u -d "@$epoch" +%Y-%m-%dT%H:%M:%SZ)" '. + {($i): $d}' <<<"$dates")
  done < <(jq -r 'to_entries[] | select(.value | has("day") and has("time") and (has("date") | not))
                  | [.key, .value.day, .value.time, .value.timezone // "UTC"] | @tsv' "$1")
  jq -c --argjson d "$dates" 'to_entries[] | (.key | tostring) as $k
    | if $d[$k] then .value | del(.day, .time) + {date: $d[$k]} else .value end' "$1"
}

if [ "${1:-}" = "--print" ]; then
  file=${2:?usage: seed.sh --print FILE}
  resolve "$file" | jq -s .
  exit 0
fi
url=${1:?usage: seed.sh API_URL ID_TOKEN FILE}; token=${2:?ID_TOKEN}; file=${3:?FILE}
entries=$(resolve "$file")
n=0; failed=0
while IFS= read -r item; do
  code=$(curl -sS -m 30 -o /dev/null -w '%{http_code}' -X POST "$url/concerts" \
    -H 'Content-Type: application/json' -H "Authorization: $token" --data-binary "$item") || code=000
  if [ "$code" = "201" ]; then n=$((n + 1)); else failed=$((failed + 1)); echo "seed: HTTP $code for $(jq -r .name <<<"$item")" >&2; fi
done <<<"$entries"
if [ "$failed" -gt 0 ]; then echo "seed: $n concerts created from $(basename "$file"), $failed failed"; else echo "seed: $n concerts created from $(basename "$file")"; fi
[ "$failed" -eq 0 ]
