#!/usr/bin/env bash
# The list shows dates in the venue's time zone with its abbreviation (at 100x30 and 80x24), the demo
# catalogue (names read from assets/concerts.json, checked against the API; each demo concert in its venue's
# zone), wide characters line up with the columns, sold-out rows are marked, past concerts come last,
# marked, and are sold only after a question, and `s` sorts (past ones still last).
. "$(dirname "$0")/tui_lib.sh"
. "$TUI_ROOT/tests/lib/venue_time.sh"
tui_require

# Three concerts at one instant, New Year's Eve in New York and New Year's Day in Berlin: the list shows
# each in its venue's zone with the zone's abbreviation, the one without a zone in the operator's (TZ).
[ -n "${BOXOFFICE_USER:-}" ] || tui_fail "BOXOFFICE_USER is not set"
at=2094-01-01T02:00:00Z tag="Zq$$"
zname() { if [ -n "$1" ]; then echo "${1##*/} $tag"; else echo "Local $tag"; fi; }
for z in America/New_York Europe/Berlin ""; do
  jq -nc --arg n "$(zname "$z")" --arg d "$at" --arg z "$z" \
    '{name: $n, date: $d, venue: "Zone Hall", availableTickets: 3, ticketPrice: 10} + (if $z == "" then {} else {timezone: $z} end)' |
    openapi_curl -H 'content-type: application/json' -H "Authorization: $TEST_TOKEN" --data-binary @- \
      "$BOXOFFICE_API_URL/concerts" >/dev/null || tui_fail "cannot create the concert in zone '$z'"
done
for size in "100 30" "80 24"; do
  tui_start ${size% *} ${size#* } TZ=Asia/Tokyo -- --refresh 0
  tui_wait_list
  tui_wait_re "Date +Name"
  tui_has "UTC" && tui_fail "the list still says UTC"
  tui_keys /
  tui_type "$tag"
  tui_wait "filter: $tag"
  for z in America/New_York Europe/Berlin ""; do
    want=$(venue_time_short "$at" "${z:-Asia/Tokyo}")
    row=$(tui_screen | grep -F -- "$(zname "$z")" | head -n 1)
    [ -n "$row" ] || tui_fail "no row for the concert in zone '${z:-none}'"
    [[ "$row" == ?"$want "* ]] || tui_fail "at ${size/ /x} the concert in zone '${z:-none}' should start \"$want\": $row"
    [ "$(awk '{print $NF}' <<<"$row")" = 3 ] || tui_fail "at ${size/ /x} the seats column is cut: $row"
  done
  tui_log "at ${size/ /x}: $(venue_time_short "$at" America/New_York) | $(venue_time_short "$at" Europe/Berlin) | $(venue_time_short "$at" Asia/Tokyo)"
  tui_esc
  tui_keys q
  tui_wait "EXITED rc=0"
  tui_stop
done

total=$(api_list | jq length) || tui_fail "the API does not answer"
[ "$total" -ge 1 ] || tui_fail "the API lists no concert"
tui_start 100 30 -- --refresh 0
tui_wait_list
tui_wait "Concerts $total "
tui_wait "online"
tui_log "the list shows $total concerts, as the API does"

# Every demo concert is there: filter for each one and see its row (name, venue, price, seats).
n_assets=$(jq length "$TUI_ASSETS")
checked=0
for i in $(seq 0 4 $((n_assets - 1))); do
  name=$(jq -r ".[$i].name" "$TUI_ASSETS")
  c=$(api_by_name "$name")
  [ -n "$c" ] || tui_fail "demo concert \"$name\" is not in the API"
  # other suites may have added concerts with the same name: the row must show one of their seat counts
  seats_all=$(api_list | jq -r --arg n "$name" '[.[] | select(.name == $n) | .availableTickets] | map(tostring) | join(" ")')
  seats=$(jq -r .availableTickets <<<"$c")
  short=$(short_name "$name")
  tui_keys /
  tui_type "$short"
  tui_wait "filter: $short"
  tui_wait_re "Concerts [0-9]+ of $total"
  row=$(tui_screen | grep -F -- "$short" | grep -v "filter:" | head -n 1)
  [ -n "$row" ] || tui_fail "no row for \"$name\""
  shown=$(awk '{print $NF}' <<<"$row")
  if jq -e "$(api_past_jq)" <<<"$c" >/dev/null; then
    [ "$shown" = "past" ] || tui_fail "past \"$name\" is not marked past: $row"
    tui_esc
    tui_wait "Concerts $total "
    checked=$((checked + 1))
    continue
  fi
  [ "$shown" = "OUT" ] && shown=0 && { grep -q "SOLD OUT" <<<"$row" || tui_fail "bad row: $row"; }
  [[ " $seats_all " == *" $shown "* ]] || tui_fail "row of \"$name\" shows $shown seats, the API says $seats_all: $row"
  if [ "$seats_all" = "0" ]; then
    grep -q "SOLD OUT" <<<"$row" || tui_fail "sold-out \"$name\" is not marked: $row"
  fi
  tui_esc
  tui_wait "Concerts $total "
  checked=$((checked + 1))
done
tui_log "$checked demo concerts found by name with their seats left"

# The demo data is dated from today, each concert in its venue's zone: every demo concert has a time zone,
# a Vienna one is shown in Vienna's time (CET or CEST, not UTC).
untimed=$(api_list | jq -r --slurpfile a "$TUI_ASSETS" '.[] | select(.name as $n | $a[0] | any(.name == $n))
  | select((.timezone // "") == "") | .name')
[ -z "$untimed" ] || tui_fail "demo concerts without a time zone: $untimed"
wien=$(api_demo_pick '.timezone == "Europe/Vienna"')
[ -n "$wien" ] || tui_fail "no demo concert in Vienna"
tui_row_in_venue_time "$wien"
tui_wait "Concerts $total "
tui_log "demo concerts have time zones; Vienna: $TUI_VENUE_TIME"

# Past concerts come after the upcoming ones, marked "past"; b on one asks first (n: nothing sold, y: the
# sell form), and its detail says when it was.
past=$(api_list | jq -c "[.[] | select($(api_past_jq))]")
npast=$(jq length <<<"$past")
[ "$npast" -ge 1 ] || tui_fail "the demo data has no past concert"
tui_keys End
tui_wait_re "[0-9]+-$total of $total"
rows=$(tui_screen | sed -n '4,28p' | grep -v '^ *$') # the list's rows at 100x30
tail -n "$npast" <<<"$rows" | grep -qv 'past *$' && tui_fail "the last $npast rows are not all marked past: $rows"
if [ "$(wc -l <<<"$rows")" -gt "$npast" ]; then
  tail -n $((npast + 1)) <<<"$rows" | head -n 1 | grep -q 'past *$' && tui_fail "an upcoming row is marked past: $rows"
fi
gone=$(jq -c '[.[] | select(.availableTickets > 0)] | max_by(.availableTickets)' <<<"$past")
gname=$(jq -r .name <<<"$gone") gseats=$(jq -r .availableTickets <<<"$gone")
when=$(LC_ALL=C TZ=$(jq -r '.timezone // "UTC"' <<<"$gone") date -d "$(jq -r .date <<<"$gone")" '+%a %d %b %Y %H:%M %Z')
tui_keys /
tui_type "$(short_name "$gname")"
tui_keys Enter
tui_wait_gone "filter: $(short_name "$gname")_"
tui_keys b
tui_wait "This concert was on $when"
tui_has "Sell tickets" && tui_fail "the sell form opened before the question was answered"
tui_keys n
tui_wait "Nothing sold: the concert is past"
tui_has "Sell tickets" && tui_fail "n opened the sell form"
tui_keys Enter
tui_wait "Past: this concert was on $when."
tui_keys b
tui_wait "This concert was on $when"
tui_keys y
tui_wait "Sell tickets"
[ "$(api_get "$(jq -r .id <<<"$gone")" | jq .availableTickets)" = "$gseats" ] || tui_fail "seats of \"$gname\" changed"
tui_esc
tui_wait_gone "Sell tickets"
tui_esc
tui_esc
tui_wait "Concerts $total "
tui_log "$npast past concerts listed last, marked; b asks first (\"$gname\", $when)"

# Columns line up with wide characters: the price column ends at the same display column on a
# CJK/Hangul row as on the header.
wide=$(jq -r '[.[] | select(.name | test("[\\p{Han}\\p{Hangul}]"))][0].name // empty' "$TUI_ASSETS")
if [ -n "$wide" ]; then
  short=$(short_name "$wide" 6)
  tui_keys /
  tui_type "$short"
  tui_wait "filter: $short"
  screen=$(tui_screen)
  header=$(grep -F "Seats left" <<<"$screen" | head -n 1)
  row=$(grep -F -- "$short" <<<"$screen" | grep -v "filter:" | head -n 1)
  hcol=$(tui_col_of "$header" "Seats left")
  price=$(api_by_name "$wide" | jq -r '.ticketPrice | tostring')
  case "$price" in *.*) ;; *) price="$price.00" ;; esac
  [[ "$price" =~ \.[0-9]$ ]] && price="${price}0"
  price=$(sed -E ':a; s/^([0-9]+)([0-9]{3})/\1,\2/; ta' <<<"$price") # shown with thousands separators
  pcol=$(tui_col_of "$row" "$price ")
  pheader=$(tui_col_of "$header" "Price")
  [ "$pcol" -ge 0 ] || tui_fail "price $price not found on the row: $row"
  # right-aligned: the price ends where the header "Price" ends
  [ $((pcol + ${#price})) -eq $((pheader + 5)) ] || tui_fail "price column misaligned on \"$wide\": $row"
  [ "$hcol" -gt 0 ] || tui_fail "no Seats left header"
  tui_log "wide-character row aligned: price ends at column $((pcol + ${#price}))"
  tui_esc
fi

# End, Home, PgDn, PgUp move over the whole list (the position indicator follows)
if [ "$total" -gt 25 ]; then
  tui_keys End
  tui_wait_re "[0-9]+-$total of $total"
  tui_keys Home
  tui_wait_re " 1-[0-9]+ of $total"
  tui_keys NPage
  tui_wait_re " ([2-9]|[1-9][0-9]+)-[0-9]+ of $total"
  tui_keys PPage
  tui_wait_re " 1-[0-9]+ of $total"
  tui_log "End/Home/PgDn/PgUp scroll the list"
fi

# s cycles the sort: name, then seats left, then date again.
tui_keys s
tui_wait "sort: name"
tui_keys Home  # the selection follows its concert when sorting: go to the top
tui_wait_re "^>.*"
sleep 0.3
first=$(tui_screen | grep '^>' | head -n 1)
expected=$(api_list | jq -r "[.[] | select(($(api_past_jq)) | not)] | sort_by(.name) | .[0].name")
grep -qF -- "$(short_name "$expected" 10)" <<<"$first" || tui_fail "sorted by name, first row is not \"$expected\": $first"
tui_keys s
tui_wait "sort: seats left"
tui_keys s
tui_wait "sort: date"

tui_keys q
tui_wait "EXITED rc=0"
tui_log "PASS"
