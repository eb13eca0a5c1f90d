#!/usr/bin/env bash
# Door mode on a PRIVATE stack, through tmux: (1) three codes typed at scanner speed — a valid one, one
# already admitted, one refunded — give ADMIT (name, ticket n of m), REFUSED already admitted (at the venue's
# time, at which door) and REFUSED refunded, in that order, and the count admitted / sold follows the API;
# a ticket of another concert is refused naming that concert; (2) the API hanging mid-scan gives CANNOT
# VERIFY (never ADMIT), and when it answers again the very same scan (same nonce) is verified and admits
# once; (3) the API stopped: scans are queued, CANNOT VERIFY, never ADMIT, and are verified in order when it
# returns; (4) at 40x12 the verdict, the count and the input all show; (5) with --kiosk-pin only F10 and the
# PIN leave the door; (6) a scan left without a verdict keeps Esc from leaving, and quitting prints the
# command that settles it with its own nonce, which (the API back) answers the true verdict, admitted once;
# (7) d on a concert asks the door's name (one the API would refuse is not taken), and a refusal elsewhere
# names it. The band clears the moment a scan is taken (CHECKING, never the previous ADMIT), and the count
# reads admitted of the tickets sold less refunded.
. "$(dirname "$0")/tui_lib.sh"
tui_require

. "$TUI_ROOT/tests/lib/stack.sh"
export STACK_PORT_MIN=${STACK_PORT_MIN:-3600} STACK_PORT_MAX=${STACK_PORT_MAX:-3619}
tui_private_stack
K=(-H "Authorization: $STACK_TOKEN" -H 'content-type: application/json')

concert() { # NAME TZ -> id
  curl -fsS -m 10 "${K[@]}" "$url/concerts" --data-binary \
    "$(jq -nc --arg n "$1" --arg tz "$2" '{name: $n, date: "2094-06-01T19:00:00Z", venue: "Hall", availableTickets: 20, ticketPrice: 20, timezone: $tz}')" \
    | jq -r .id
}
order() { # CONCERT NAMES... -> the order JSON
  local c=$1; shift
  curl -fsS -m 10 "${K[@]}" "$url/box-office/orders" --data-binary \
    "$(jq -nc --arg c "$c" '{concertId: $c, quantity: ($ARGS.positional | length), attendees: $ARGS.positional, payment: {method: "card"}}' --args "$@")"
}
checkin_api() { # CODE CONCERT NONCE DOOR -> the answer
  curl -sS -m 10 "${K[@]}" "$url/checkins" --data-binary \
    "$(jq -nc --arg c "$1" --arg k "$2" --arg n "$3" --arg d "$4" '{code: $c, concertId: $k, nonce: $n, door: $d}')"
}
stats() { curl -fsS -m 10 "${K[@]}" "$url/concerts/$1/stats"; }
ticket_status() { curl -fsS -m 10 "${K[@]}" "$url/orders/$1" | jq -r --arg t "$2" '.tickets[] | select(.id == $t) | .status'; }
code_of() { jq -r ".tickets[$2].code" <<<"$1"; }
id_of() { jq -r ".tickets[$2].id" <<<"$1"; }
# the screen row (0-based) of the first line with TEXT
row_of() { tui_row_of "$1"; }
# The ADMIT band is the only thing on the screen with a green background (SGR 42; the side list's admitted
# scans are green text, the header blue): an ADMIT verdict is on the screen exactly when this is true.
admit_shown() { tui_screen_attrs | grep -qE $'\e\\[([0-9]+;)*42m'; }

A=$(concert "Door Night" Europe/Berlin)
B=$(concert "Other Night" Europe/Berlin)
[ -n "$A" ] && [ -n "$B" ] || tui_fail "cannot create the concerts"
o1=$(order "$A" Ada Bob Cy) && o2=$(order "$A" Dee Eve) && o3=$(order "$B" Flo) || tui_fail "cannot sell the orders"
oid1=$(jq -r .id <<<"$o1")
# Ada admitted earlier at the north gate; Cy refunded
first=$(checkin_api "$(code_of "$o1" 0)" "$A" setup-1 "North gate")
[ "$(jq -r .result <<<"$first")" = admitted ] || tui_fail "setup check-in: $first"
at_berlin=$(TZ=Europe/Berlin date -d "$(jq -r .ticket.checkedInAt <<<"$first")" +%H:%M:%S)
curl -fsS -m 10 "${K[@]}" "$url/orders/$oid1/refund" --data-binary "$(jq -nc --arg t "$(id_of "$o1" 2)" '{ticketIds: [$t], reason: "test"}')" >/dev/null \
  || tui_fail "cannot refund Cy's ticket"

# --- (1) three codes at scanner speed
tui_start 100 30 NO_COLOR= -- --door "$A" --door-name "Gate 2" --timeout 4
tui_wait "scan a ticket"
tui_wait "Door Night"
tui_wait "Admitted 1 of 4 (1 refunded)"      # 5 sold, 1 refunded, Ada in
for i in 1 0 2; do tui_type "$(code_of "$o1" $i)"; tui_keys Enter; done
tui_wait "REFUSED refunded Cy"
tui_wait "ADMIT Bob 2/3"
tui_wait "REFUSED already admitted $at_berlin"
r_admit=$(row_of "ADMIT Bob 2/3") r_again=$(row_of "REFUSED already admitted") r_refund=$(row_of "REFUSED refunded Cy")
# the side list has the newest on top: refunded (3rd), already admitted (2nd), ADMIT (1st)
[ "$r_refund" -lt "$r_again" ] && [ "$r_again" -lt "$r_admit" ] \
  || tui_fail "verdicts out of order: admit row $r_admit, already row $r_again, refunded row $r_refund"
tui_has "REFUNDED ticket" || tui_fail "the band does not show the last verdict (refunded)"
tui_wait "Admitted 2 of 4 (1 refunded)"
[ "$(ticket_status "$oid1" "$(id_of "$o1" 1)")" = checkedIn ] || tui_fail "Bob's ticket is not checked in at the API"
[ "$(stats "$A" | jq .admitted)" = 2 ] || tui_fail "the API does not count 2 admitted"
tui_log "three quick scans: ADMIT Bob 2/3, already admitted at $at_berlin, refunded — in order"
# the band of an already admitted ticket: when (venue time) and where
tui_type "$(code_of "$o1" 0)"; tui_keys Enter
tui_wait "at $at_berlin at door North gate"
tui_has "ALREADY ADMITTED: Ada" || tui_fail "the band does not name the ticket already admitted"
# a ticket of the other concert, named
tui_type "$(code_of "$o3" 0)"; tui_keys Enter
tui_wait "WRONG CONCERT"
tui_wait "ticket for Other Night"
# typed by hand: lower case, no dashes
tui_type "$(code_of "$o2" 0 | tr -d - | tr A-Z a-z)"; tui_keys Enter
tui_wait "ADMIT Dee 1/2"
admit_shown || tui_fail "an ADMIT verdict is not drawn on green"
tui_log "already admitted names time and door; wrong concert named; a hand-typed code admits"

# --- (2) the API hangs mid-scan: the band leaves Dee's ADMIT at once (CHECKING the new scan), then cannot
# verify, never ADMIT; then the same scan admits once
kill -STOP "$(tui_gw_pid)"
tui_type "$(code_of "$o2" 1)"; tui_keys Enter
tui_wait "CHECKING"
tui_wait "$(code_of "$o2" 1 | cut -c1-4)… — wait for the verdict: do not admit yet"
admit_shown && tui_fail "the previous scan's ADMIT stays up while the next scan waits"
tui_has "ticket 1 of 2" && tui_fail "the band still names the previous scan (Dee, ticket 1 of 2)"
tui_wait "CANNOT VERIFY" 15
tui_wait "1 scan waiting: do not admit"
admit_shown && tui_fail "an unverified scan shows ADMIT"
kill -CONT "$(tui_gw_pid)"
tui_wait "ADMIT Eve 2/2 (late)" 30
tui_wait_gone "CANNOT VERIFY"
[ "$(stats "$A" | jq .admitted)" = 4 ] || tui_fail "the API does not count 4 admitted after the retried scan: $(stats "$A")"
tui_log "hung mid-scan: CANNOT VERIFY, then the same scan admitted once"

# --- (3) the API stopped: queued in order, never ADMIT, verified when it returns
o4=$(order "$A" Gus Hal) || tui_fail "cannot sell order 4"
g=$(tui_gw_pid)
kill -TERM "$g"
wait_until 20 sh -c "! kill -0 $g 2>/dev/null" || tui_fail "the private gateway did not stop"
admit_shown || tui_fail "the retried scan's ADMIT is not drawn on green"
tui_type "$(code_of "$o4" 0)"; tui_keys Enter
tui_type "$(code_of "$o1" 1)"; tui_keys Enter     # Bob again: refused once verified
tui_type "$(code_of "$o4" 1)"; tui_keys Enter
tui_wait "CANNOT VERIFY"
tui_wait "3 scans waiting: do not admit"
tui_wait "OFFLINE"
for _ in 1 2 3 4 5 6; do
  admit_shown && tui_fail "ADMIT shown while the API is down"
  sleep 0.5
done
[ "$(tui_screen | grep -c QUEUED)" = 3 ] || tui_fail "the three scans are not listed as queued"
tui_stack_up_again >/dev/null 2>"$TUI_TMP/stack-up2.log" || { cat "$TUI_TMP/stack-up2.log"; tui_fail "private stack did not restart"; }
tui_wait "ADMIT Hal 2/2 (late)" 40
tui_wait_gone "CANNOT VERIFY"
r1=$(row_of "ADMIT Gus 1/2") r2=$(row_of "already admitted") r3=$(row_of "ADMIT Hal 2/2")
[ "$r3" -ge 0 ] && [ "$r3" -lt "$r2" ] && [ "$r2" -lt "$r1" ] || tui_fail "queued scans verified out of order: $r1 $r2 $r3"
tui_wait "Admitted 6 of 6 (1 refunded)"
[ "$(stats "$A" | jq .admitted)" = 6 ] || tui_fail "the API does not count 6 admitted"
tui_log "API stopped: 3 scans queued, no ADMIT; verified in order when it returned"
tui_keys F10
tui_wait "EXITED rc=0"
tui_stop

# --- (4) 40x12 (and 39x12 is too small)
tui_start 40 12 -- --door "$A"
tui_wait "Admitted 6 of 6 (1 refunded)"
tui_type "$(code_of "$o4" 1)"; tui_keys Enter
tui_wait "ALREADY ADMITTED: Hal"
tui_wait "REFUSED already admitted"
tui_has "Scan ▸" || tui_fail "no input line at 40x12"
tui_has "REFUSED" || tui_fail "no verdict at 40x12"
tui_resize 39 12
tui_wait "Terminal too small"
tui_resize 40 12
tui_wait "ALREADY ADMITTED: Hal"
# a walk-up order with the customer's name and no names on its tickets: the door shows the customer
# (paid cash: in the seller's open shift, opened here on this private stack; 409 names one already open)
sid=$(curl -sS -m 10 "${K[@]}" "$url/shifts" --data-binary '{"terminal":"door-till","float":{"EUR":"0.00"}}' |
  jq -er '.id // .shift.id') || tui_fail "cannot open a shift for the walk-up sale"
o5=$(curl -fsS -m 10 "${K[@]}" "$url/box-office/orders" --data-binary \
  "$(jq -nc --arg c "$A" --arg s "$sid" '{concertId: $c, quantity: 1, customerName: "Gil Walker", payment: {method: "cash"}, shiftId: $s}')") \
  || tui_fail "cannot sell the walk-up order"
tui_type "$(code_of "$o5" 0)"; tui_keys Enter
tui_wait "Gil Walker"
admit_shown || tui_fail "the walk-up's ADMIT is not drawn on green"
tui_has "no name on the ticket" && tui_fail "the door does not name the order's customer"
tui_log "40x12: verdict, count and input shown; a ticket without a name shows its order's customer"
tui_stop

# --- (5) locked with a PIN: Esc does not leave, F10 + the PIN does
tui_start 60 16 -- --door "$A" --kiosk-pin 2468
tui_wait "scan a ticket"
tui_esc
tui_wait "F10 and the PIN to leave"
tui_keys F1
tui_keys C-c
sleep 0.5
tui_has "EXITED" && tui_fail "the locked door was left without the PIN"
tui_has "scan a ticket" || tui_fail "the locked door showed another screen"
tui_keys F10
tui_wait "Exit PIN"
tui_type 2468
tui_keys Enter
tui_wait "EXITED rc=0"
tui_log "locked door: only F10 and the PIN leave"
tui_stop

# --- (6) quitting with a scan that never got its verdict (the API frozen): asked first, then, on the way
# out, the command that settles it with its own nonce; the API back, that command answers the truth
o6=$(order "$A" Ivy) || tui_fail "cannot sell order 6"
before=$(stats "$A" | jq .admitted)
tui_start 60 16 -- --door "$A" --door-name "East" --timeout 3
tui_wait "Admitted $before of"
g=$(tui_gw_pid)
kill -STOP "$g"
tui_type "$(code_of "$o6" 0)"; tui_keys Enter
tui_wait "CANNOT VERIFY" 15
tui_esc
tui_wait "1 scan still waits for a verdict"
tui_keys F10
tui_wait "Door scans have no verdict"
tui_keys y
tui_wait "EXITED rc=0" 20
joined=$(tmux -L "$TUI_SOCK" capture-pane -p -J -t bo)
tui_stop
kill -CONT "$g"
grep -q "nobody was admitted" <<<"$joined" && tui_fail "quitting says nobody was admitted: $joined"
cmd=$(grep -m1 -E '^ +boxoffice .*checkin ' <<<"$joined" | sed -E 's/^ +//')
[ -n "$cmd" ] || tui_fail "no command that settles the scan on the way out: $joined"
grep -qE -- "checkin $A $(code_of "$o6" 0) --door East --nonce [!-~]+\$" <<<"$cmd" \
  || tui_fail "the command does not name the concert, the code, the door and a nonce: $cmd"
wait_until 20 sh -c "curl -fsS -m 5 -H 'Authorization: $STACK_TOKEN' '$url/concerts/$A/stats' >/dev/null" \
  || tui_fail "the API did not come back"
settle=$(eval "\"\$TUI_BIN\" ${cmd#boxoffice }" 2>&1); rc=$?
[ "$rc" = 0 ] && grep -q "^ADMIT  Ivy — ticket 1 of 1" <<<"$settle" \
  || tui_fail "the printed command does not answer the true verdict (admitted) (rc $rc): $settle"
[ "$(stats "$A" | jq .admitted)" = $((before + 1)) ] || tui_fail "Ivy's ticket is not admitted exactly once: $(stats "$A")"
tui_log "quit with a scan unsettled: its command with its nonce; run, it answers ADMIT, admitted once"

# --- (7) d on a concert: the door asks its name first (one the API would refuse is not taken); scans then
# carry it, and a second scan of the ticket is refused "at door Side"
o7=$(order "$A" Jo) || tui_fail "cannot sell order 7"
tui_start 100 30 NO_COLOR= --
tui_wait_list
tui_keys /
tui_type "Door Night"
tui_keys Enter
tui_wait_gone "filter: Door Night_"
tui_keys Enter
tui_wait "Press b to sell"
tui_keys d
tui_wait "WHICH DOOR IS THIS?"
tui_type "   "; tui_keys Enter
tui_wait "door must be a name of 1 to 64 characters"
tui_has "Door name ▸" || tui_fail "a name of spaces was taken"
tui_keys BSpace BSpace BSpace
tui_type "Side"; tui_keys Enter
tui_wait "DOOR Side"
tui_wait "scan a ticket"
tui_type "$(code_of "$o7" 0)"; tui_keys Enter
tui_wait "ADMIT Jo 1/1"
tui_type "$(code_of "$o7" 0)"; tui_keys Enter
tui_wait "at door Side"
tui_esc
tui_wait_gone "DOOR Side"
tui_keys d
tui_wait "Door name ▸ Side"          # remembered for the session
tui_keys F10
tui_wait "EXITED rc=0"
tui_stop
tui_log "d asks the door's name; a name of spaces is refused; the refusal names door Side"
tui_log "PASS"
