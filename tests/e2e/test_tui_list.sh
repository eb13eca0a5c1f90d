#!/usr/bin/env bash
# The list shows the demo catalogue (names read from assets/concerts.json, checked against the API),
# wide characters line up with the columns, sold-out rows are marked, and `s` sorts.
. "$(dirname "$0")/tui_lib.sh"
tui_require

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
expected=$(api_list | jq -r 'sort_by(.name) | .[0].name')
grep -qF -- "$(short_name "$expected" 10)" <<<"$first" || tui_fail "sorted by name, first row is not \"$expected\": $first"
tui_keys s
tui_wait "sort: seats left"
tui_keys s
tui_wait "sort: date"

tui_keys q
tui_wait "EXITED rc=0"
tui_log "PASS"
