#!/usr/bin/env bash
# The demo catalogue (assets/concerts.json) as the shared stack seeded it through the API:
# every concert present once, names (non-ASCII included) byte for byte, exact prices, sold-out
# entries at 0; and the catalogue itself is what the issue asks for.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
source "$root/tests/lib/stack.sh"
assets="$root/assets/concerts.json"

echo "the catalogue file: >= 30 concerts, 2026-2027 ISO dates, 2-decimal prices, sold-out and nearly sold-out ones"
jq -e 'length >= 30' "$assets" >/dev/null || fail "fewer than 30 concerts"
jq -e 'all(.[]; (.date | test("^202[67]-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$")))' "$assets" >/dev/null || fail "a date is not ISO-8601 2026/2027"
jq -e 'all(.[]; .ticketPrice | tostring | test("^[0-9]+([.][0-9]{1,2})?$"))' "$assets" >/dev/null || fail "a price has more than 2 decimals"
jq -e '[.[] | select(.availableTickets == 0)] | length >= 3' "$assets" >/dev/null || fail "no sold-out concerts"
jq -e '[.[] | select(.availableTickets > 0 and .availableTickets <= 10)] | length >= 3' "$assets" >/dev/null || fail "no nearly sold-out concerts"
jq -e '[.[] | select(.name | test("[^\\u0000-\\u007f]"))] | length >= 5' "$assets" >/dev/null || fail "too few non-ASCII names"
jq -e '[.[].venue] | unique | length >= 20' "$assets" >/dev/null || fail "too few venues"

[ -n "${BOXOFFICE_API_URL:-}" ] || { echo "no shared stack (BOXOFFICE_API_URL unset)"; exit 77; }
echo "seeded through the API into the shared stack"
http GET "$BOXOFFICE_API_URL/concerts"
expect_status 200
listed=$HTTP_BODY
missing=$(jq -r --argjson have "$listed" '.[] | .name as $n | select([$have[] | select(.name == $n)] | length != 1) | $n' "$assets")
[ -z "$missing" ] || fail "not listed exactly once: $missing"
bad=$(jq -r --argjson have "$listed" '.[] | . as $a | ($have[] | select(.name == $a.name)) as $h
  | select($h.venue != $a.venue or $h.date != $a.date or $h.ticketPrice != $a.ticketPrice
           or ($a.availableTickets == 0 and $h.availableTickets != 0) or $h.availableTickets > $a.availableTickets)
  | $a.name' "$assets")
[ -z "$bad" ] || fail "differs from the asset: $bad"
grep -q '"坂本龍一 Tribute — async"' <<<"$listed" || fail "CJK name not returned byte for byte"
grep -q '"ticketPrice":89.5[,}]' <<<"$listed" || fail "89.50 not exact"
echo PASS
