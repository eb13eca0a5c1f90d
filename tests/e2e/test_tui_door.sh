#!/usr/bin/env bash
# Door mode on a PRIVATE stack, through tmux: (1) three codes typed at scanner speed — a valid one, one
# already admitted, one refunded — give ADMIT (name, ticket n of m), REFUSED already admitted (at the venue's
# time, at which door) and REFUSED refunded, in that order, and the count admitted / sold follows the API;
# a ticket of another concert is refused naming that concert; (2) the API hanging mid-scan gives CANNOT
# VERIFY (never ADMIT), and when it answers again the very same scan (same nonce) is verified and admits
# once; (3) the API stopped: scans are queued, CANNOT VERIFY, never ADMIT, and are verified in order when it
# returns; (4) at 40x12 the verdict, the count and the input all show; (5) with --kiosk-pin only F10 and the
# PIN leave the door; (6) a scan left without a verdict keeps Esc from leaving, and quitting says so.
. "$(dirname "$0")/tui_lib.sh"
tui_require

. "$TUI_ROOT/tests/lib/stack.sh"
export STACK_PORT_MIN=${STACK_PORT_MIN:-3600} STACK_PORT_MAX=${STACK_PORT_MAX:-3619}
tui_private_stack
K=(-H "x-api-key: $STACK_KEY" -H 'content-type: application/json')

concert() { # NAME TZ -> id
  curl -fsS -m 10 "${K[@]}" "$url/concerts" --data-binary \
    "$(jq -nc --arg n "$1" --arg tz "$2" '{name: $n, date: "2027-06-01T19:00:00Z", venue: "Hall", availableTickets: 20, ticketPrice: 20, timezone: $tz}')" \
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
tui_start 100 30 NO_COLOR= -- --door "$A" --door-name "Gate 2" --timeout 2
tui_wait "scan a ticket"
tui_wait "Door Night"
tui_wait "Admitted 1 / 4 sold"      # 5 sold, 1 refunded, Ada in
for i in 1 0 2; do tui_type "$(code_of "$o1" $i)"; tui_keys Enter; done
tui_wait "REFUSED refunded Cy"
tui_wait "ADMIT Bob 2/3"
tui_wait "REFUSED already admitted $at_berlin"
r_admit=$(row_of "ADMIT Bob 2/3") r_again=$(row_of "REFUSED already admitted") r_refund=$(row_of "REFUSED refunded Cy")
# the side list has the newest on top: refunded (3rd), already admitted (2nd), ADMIT (1st)
[ "$r_refund" -lt "$r_again" ] && [ "$r_again" -lt "$r_admit" ] \
  || tui_fail "verdicts out of order: admit row $r_admit, already row $r_again, refunded row $r_refund"
tui_has "REFUNDED ticket" || tui_fail "the band does not show the last verdict (refunded)"
tui_wait "Admitted 2 / 4 sold"
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

# --- (2) the API hangs mid-scan: cannot verify, never ADMIT; then the same scan admits once
kill -STOP "$(tui_gw_pid)"
tui_type "$(code_of "$o2" 1)"; tui_keys Enter
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
tui_wait "Admitted 6 / 6 sold"
[ "$(stats "$A" | jq .admitted)" = 6 ] || tui_fail "the API does not count 6 admitted"
tui_log "API stopped: 3 scans queued, no ADMIT; verified in order when it returned"
tui_keys F10
tui_wait "EXITED rc=0"
tui_stop

# --- (4) 40x12 (and 39x12 is too small)
tui_start 40 12 -- --door "$A"
tui_wait "Admitted 6 / 6 sold"
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
o5=$(curl -fsS -m 10 "${K[@]}" "$url/box-office/orders" --data-binary \
  "$(jq -nc --arg c "$A" '{concertId: $c, quantity: 1, customerName: "Gil Walker", payment: {method: "cash"}}')") \
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

# --- (6) quitting with a scan that never got its verdict: asked first, and said on the way out
closed=$(free_port)
tui_start 60 16 "BOXOFFICE_API_URL=http://127.0.0.1:$closed/dev" -- --door "$A"
tui_type "$(code_of "$o4" 0)"; tui_keys Enter
tui_wait "CANNOT VERIFY"
tui_esc
tui_wait "1 scan still waits for a verdict"
tui_keys F10
tui_wait "Quit?"
tui_keys y
tui_wait "1 door scan was NOT verified"
tui_wait "EXITED rc=0"
tui_log "PASS"
