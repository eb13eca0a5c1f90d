#!/usr/bin/env bash
# Loads a concert catalogue (a JSON array of {name, date, venue, availableTickets, ticketPrice})
# through the API: one POST /concerts per entry, with the operator key.
#   seed.sh API_URL API_KEY FILE
# Exit 0 when every entry was created (201); prints one summary line.
set -euo pipefail
url=${1:?usage: seed.sh API_URL API_KEY FILE}; key=${2:?API_KEY}; file=${3:?FILE}
n=0; failed=0
while IFS= read -r item; do
  code=$(curl -sS -m 30 -o /dev/null -w '%{http_code}' -X POST "$url/concerts" \
    -H 'Content-Type: application/json' -H "x-api-key: $key" --data-binary "$item") || code=000
  if [ "$code" = "201" ]; then n=$((n + 1)); else failed=$((failed + 1)); echo "seed: HTTP $code for $(jq -r .name <<<"$item")" >&2; fi
done < <(jq -c '.[]' "$file")
echo "seed: $n concerts created from $(basename "$file")${failed:+, $failed failed}"
[ "$failed" -eq 0 ]
