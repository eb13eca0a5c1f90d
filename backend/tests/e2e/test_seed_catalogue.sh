#!/usr/bin/env bash
# The demo catalogue (assets/concerts.json) as the shared stack seeded it through the API:
# every concert present once, names (non-ASCII included) byte for byte, exact prices, sold-out
# entries at 0, each with its venue's zone and currency and dated from today as seed.sh says.
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
source "$root/tests/lib/stack.sh"
assets="$root/assets/concerts.json"

echo "the catalogue file: >= 30 concerts dated from today in their venue's zone, 2-decimal prices, currencies, sold-out and nearly sold-out ones"
jq -e 'length >= 30' "$assets" >/dev/null || fail "fewer than 30 concerts"
jq -e 'all(.[]; (.day | type == "number" and floor == .) and (.time | test("^[0-2][0-9]:[0-5][0-9]$")) and (has("date") | not))' "$assets" >/dev/null \
  || fail "an entry is not dated relative to today (day, time)"
jq -e 'all(.[]; (.timezone | test("^[A-Z][a-z]+/[A-Za-z_]+$")) and (.currency | test("^[A-Z]{3}$")))' "$assets" >/dev/null || fail "an entry has no zone or currency"
for z in $(jq -r '.[].timezone' "$assets" | sort -u); do [ -e "/usr/share/zoneinfo/$z" ] || fail "unknown zone $z"; done
jq -e '[.[] | select(.day < 0)] | length >= 1 and all(.[]; .day <= -2)' "$assets" >/dev/null || fail "no past concert (two days ago or earlier)"
jq -e '[.[] | select(.day >= 0) | .day] | min == 1' "$assets" >/dev/null || fail "the first upcoming concert is not tomorrow"
jq -e 'all(.[]; .ticketPrice | tostring | test("^[0-9]+([.][0-9]{1,2})?$"))' "$assets" >/dev/null || fail "a price has more than 2 decimals"
jq -e '[.[] | select(.availableTickets == 0)] | length >= 3' "$assets" >/dev/null || fail "no sold-out concerts"
jq -e '[.[] | select(.availableTickets > 0 and .availableTickets <= 10)] | length >= 3' "$assets" >/dev/null || fail "no nearly sold-out concerts"
jq -e '[.[] | select(.name | test("[^\\u0000-\\u007f]"))] | length >= 5' "$assets" >/dev/null || fail "too few non-ASCII names"
jq -e '[.[].venue] | unique | length >= 20' "$assets" >/dev/null || fail "too few venues"
echo "seed.sh --print dates each entry: day days from today (UTC) at its time in its zone, sent in UTC"
resolved=$("$root/scripts/seed.sh" --print "$assets") || fail "seed.sh --print failed"
check_dates() { # JSON array with the asset's day/time/timezone and the date given; checks each
  local today; today=$(date -u +%F)
  while IFS=$'\t' read -r name day time tz date; do
    [[ $date =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$ ]] || fail "$name: date $date is not UTC ISO-8601"
    local wall; wall=$(TZ=$tz date -d "$date" +%H:%M)
    [ "$wall" = "$time" ] || fail "$name: $date is $wall in $tz, not $time"
    local off=$(( ($(date -u -d "$(TZ=$tz date -d "$date" +%F)" +%s) - $(date -u -d "$today" +%s)) / 86400 ))
    # seeded before midnight (UTC), checked after: a day less
    [ "$off" = "$day" ] || [ "$off" = $((day - 1)) ] || fail "$name: $date is $off days from today, not $day"
  done
}
jq -r --slurpfile a "$assets" 'to_entries[] | [.value.name, $a[0][.key].day, $a[0][.key].time, $a[0][.key].timezone, .value.date] | @tsv' \
  <<<"$resolved" | check_dates

[ -n "${BOXOFFICE_API_URL:-}" ] || { echo "no shared stack (BOXOFFICE_API_URL unset)"; exit 77; }
echo "seeded through the API into the shared stack"
http GET "$BOXOFFICE_API_URL/concerts"
expect_status 200
listed=$HTTP_BODY
missing=$(jq -r --argjson have "$listed" '.[] | .name as $n | select([$have[] | select(.name == $n)] | length != 1) | $n' "$assets")
[ -z "$missing" ] || fail "not listed exactly once: $missing"
bad=$(jq -r --argjson have "$listed" '.[] | . as $a | ($have[] | select(.name == $a.name)) as $h
  | select($h.venue != $a.venue or $h.ticketPrice != $a.ticketPrice or $h.timezone != $a.timezone or $h.currency != $a.currency
           or ($a.availableTickets == 0 and $h.availableTickets != 0) or $h.availableTickets > $a.availableTickets)
  | $a.name' "$assets")
[ -z "$bad" ] || fail "differs from the asset: $bad"
jq -r --slurpfile a "$assets" '.[] | . as $h | ($a[0] | to_entries[] | select(.value.name == $h.name)) as $e
  | [$h.name, $e.value.day, $e.value.time, $e.value.timezone, $h.date] | @tsv' <<<"$listed" | check_dates
grep -q '"坂本龍一 Tribute — async"' <<<"$listed" || fail "CJK name not returned byte for byte"
grep -q '"ticketPrice":34.99[,}]' <<<"$listed" || fail "34.99 not exact"
echo PASS
