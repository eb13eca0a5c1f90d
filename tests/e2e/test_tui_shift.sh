#!/usr/bin/env bash
# An operator's shift through the box office (tmux, 80x24) and the CLI against the real stack: S opens the Shift
# screen; with no shift, the open form (this terminal's name from BOXOFFICE_TERMINAL, a float of 100.00); an
# order sold by the CLI in the shift (--shift) counts in its X report; D drops 50.00 to the safe; the X report
# says the server's expected cash. C closes blind: the expected amount is nowhere on the screen before the answer; a count
# 0.50 short without a note gets the server's 400; with the note, the answer is held back (bench's faultproxy,
# --timeout 2): the screen says NOT CONFIRMED while the server has closed it once; Enter re-sends the same close
# (same key) and, answers flowing, shows the same Z report (number, -0.50, the hash's start). `shift verify`
# recomputes the Z hash from the journal; the day sheet (CLI and T, also at 60x20) lists the shift. The CLI's
# `shift close` on a terminal asks the count first (again after "1e9"), then the note the server asks for. With no
# shift open, a cash sale in the box office is refused with the server's message and offers to open one.
# It runs as an operator of its own (a manager made for it): the first manager's shift, which the other suites'
# cash sales go into, is left as it is.
. "$(dirname "$0")/tui_lib.sh"
tui_require
. "$TUI_ROOT/tests/lib/stack.sh"
[ -n "${BOXOFFICE_USER:-}" ] || tui_skip "BOXOFFICE_USER is not set"
api_require_orders
tui_faultproxy

tag="s$$x$(date +%s)"
export XDG_CONFIG_HOME="$TUI_TMP/config" BOXOFFICE_TERMINAL="till-$tag"
# this test's own operator (tui_start and bo sign in as them): no shift open yet
export BOXOFFICE_USER="shift.$tag@boxoffice.local" BOXOFFICE_PASSWORD="Shift-$tag-Aa1"
stack_operator "$BOXOFFICE_USER" "Sam $tag" manager "$BOXOFFICE_PASSWORD" || tui_fail "cannot make the test's operator"
bo() { "$TUI_BIN" "$@"; }
bo --json shift >/dev/null 2>&1 && tui_fail "the new operator already has an open shift"

name="Shift night $tag"
cid=$(bo --json create --name "$name" --date 2094-06-01T19:00:00Z --venue "Hall S" --tickets 10 --price 20 \
  --currency EUR | jq -r .id) || tui_fail "cannot create the concert"

# ---- open a shift in the box office
tui_start 80 24 BOXOFFICE_TERMINAL="till-$tag" -- --api-url "$proxied" --refresh 0 --timeout 2
tui_wait_list
tui_keys S
tui_wait "Open a shift"
tui_wait "till-$tag"
tui_type "100"
tui_keys Enter                                      # to the currency (EUR)
tui_keys Enter                                      # open
tui_wait "X report"
tui_wait_re "Float +100\.00"
sid=$(bo --json shift | jq -r .id) || tui_fail "the CLI sees no open shift"
[ "$(bo --json shift | jq -r .terminal)" = "till-$tag" ] || tui_fail "the shift is not at till-$tag"

# ---- a sale made in the shift (--shift names it) counts in its X report
order=$(bo --json order "$cid" --quantity 2 --pay card --name "Card $tag" --email "c.$tag@example.org" \
  --shift "$sid") || tui_fail "the order was refused: $order"
[ "$(jq -r .shiftId <<<"$order")" = "$sid" ] || tui_fail "the order does not carry the shift: $order"
[ "$(jq -r .soldBy <<<"$order")" = "Sam $tag" ] || tui_fail "the order was not sold by the shift's operator: $order"
tui_keys r
tui_wait_re "Card sales +40\.00"
tui_wait_re "Expected cash +100\.00"

# ---- a drop to the safe
tui_keys D
tui_wait "Cash drop to the safe"
tui_type "50"
tui_keys Enter Enter                                 # amount, currency (EUR)
tui_type "to safe"
tui_keys Enter
tui_wait "Drop recorded"
tui_wait_re "Drops +50\.00"
tui_wait_re "Expected cash +50\.00"

# ---- the blind close: 0.50 short
tui_keys C
tui_wait "Close the shift"
tui_wait "Counted EUR"
tui_has "50.00 " && tui_fail "the expected cash is on the screen before the count"
tui_type "49.50"
tui_keys Enter Enter                                 # count, (no) note: send
tui_wait "note is required"
tui_has "50.00 " && tui_fail "the expected cash is on the screen after the refusal"
tui_type "coin fell behind the drawer"
tui_proxy_hold
tui_keys Enter
tui_wait "NOT CONFIRMED" 40
tui_has "50.00 " && tui_fail "the expected cash is on the screen while the close is not confirmed"
shown=$(bo --json shift show "$sid") || tui_fail "shift show failed"
[ "$(jq -r .status <<<"$shown")" = closed ] || tui_fail "the server should hold the shift closed: $shown"
z=$(jq -r .report.z <<<"$shown")
tui_proxy_release
tui_keys Enter                                       # the same close, the same key
tui_wait "Z report #$z" 40
tui_wait_re "Expected cash +50\.00"
tui_wait_re "Counted +49\.50"
tui_wait_re "Difference +-0\.50"
tui_wait "$(jq -r .report.hash <<<"$shown" | cut -c1-12)"
again=$(bo --json shift show "$sid")
[ "$(jq -r .report.z <<<"$again")" = "$z" ] || tui_fail "the Z number changed: $again"
[ "$(jq -r '.report.currencies[0].difference' <<<"$again")" = "-0.50" ] || tui_fail "difference: $again"

# ---- the Z hash recomputed from the journal; the day sheet
out=$(bo shift verify "$sid") || tui_fail "shift verify failed: $out"
grep -q "^verified: " <<<"$out" || tui_fail "shift verify: $out"
day=$(date -u +%Y-%m-%d)
bo --json shift day "$day" | jq -e --arg s "$sid" --argjson z "$z" '.shifts[] | select(.id == $s and .report.z == $z)' \
  >/dev/null || tui_fail "the day sheet does not list the shift"
bo shift day "$day" --csv | grep -q "^$sid," || tui_fail "the CSV day sheet does not list the shift"
tui_keys T
tui_wait "Day sheet $day"
tui_wait_re "│ +$z +"
tui_resize 60 20
tui_wait "Day sheet $day"
tui_wait_re "│ +$z +"
tui_resize 80 24
tui_esc
tui_esc
tui_wait_list

# ---- the CLI's blind close on a terminal: the count is asked first, a wrong amount asked again, the note
# asked once the server says the count differs; the expected cash only in the Z report printed from its answer
bo shift open --float 20.00 >/dev/null || tui_fail "the CLI cannot open a shift"
sid2=$(bo --json shift | jq -r .id)
A=$TUI_SOCK
tui_start 80 24 BOXOFFICE_TERMINAL="till-$tag" -- shift close
tui_wait "Counted cash EUR:"
tui_has "20.00" && tui_fail "the CLI shows the expected cash before the count"
tui_type "1e9"
tui_keys Enter
tui_wait "an amount such as 174.50"
tui_type "19.00"
tui_keys Enter
tui_wait "note is required"
tui_wait "Note (why the count differs):"
tui_has "20.00" && tui_fail "the CLI shows the expected cash before the close"
tui_type "one coin short"
tui_keys Enter
tui_wait "Z report #"
tui_wait_re "Difference +-1\.00"
tui_wait "EXITED rc=0"
[ "$(bo --json shift show "$sid2" | jq -r .report.note)" = "one coin short" ] || tui_fail "the note was not stored"
TUI_SOCK=$A

# ---- no shift open: a cash sale is refused with the server's message and offers to open one
probe=$(bo order "$cid" --quantity 1 --pay cash 2>&1) && tui_fail "a cash sale without a shift was sold: $probe"
grep -q "a cash sale needs an open shift" <<<"$probe" || tui_fail "cash without a shift: not the server's refusal: $probe"
tui_keys /
tui_type "$name"
tui_keys Enter
tui_keys r                                           # the list as the server has it now: 8 seats left
tui_wait_re "^>.*Shift night .* Hall S +20\.00 +8 *$"
tui_keys Enter
tui_wait "$cid"
tui_keys b
tui_wait "Quantity"
tui_type 1
tui_sell_review
tui_wait_re "Payment +cash"
tui_keys y
tui_wait "a cash sale needs an open shift" 30
tui_wait "Open a shift now?"
tui_keys y
tui_wait "Open a shift"
[ "$(api_get "$cid" | jq -r .availableTickets)" = 8 ] || tui_fail "the refused sale took a seat"
tui_keys F10                                         # (q would be typed in the float) the forms hold input: quitting asks
tui_wait "Quit"
tui_keys y
tui_wait "EXITED rc=0"
tui_log "shift $sid: Z #$z, verified; a cash sale without a shift refused"
