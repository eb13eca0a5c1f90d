#!/usr/bin/env bash
# Hostile input, end to end: sends every case of bad_input_cases.txt (beside this file) to the running stack
# and asserts that each answer is what the catalogue says: a 4xx with a JSON error body (Content-Type
# application/json), or, for data that only looks hostile, a 201 with the text stored verbatim. Also asserts
# that the stack keeps serving throughout, and that nothing is written but what the valid cases wrote:
# concert and ticket items are counted straight in DynamoDB Local before and after, and the seats of the
# concert under attack add up.
# Env: BOXOFFICE_API_URL, TEST_TOKEN (the manager's ID token), DYNAMODB_PORT (the stack's DynamoDB Local).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
. "$root/bench/lib.sh"
. "$root/tests/lib/openapi_log.sh"   # every answer of the catalogue is also checked against docs/openapi.yaml
: "${BOXOFFICE_API_URL:?}" "${TEST_TOKEN:?}"
[ -n "${DYNAMODB_PORT:-}" ] || { echo "skip: DYNAMODB_PORT not set"; exit 77; }
api=${BOXOFFICE_API_URL%/}
stage=${api##*/}
C=concert-ticket-system-concerts-$stage; T=concert-ticket-system-tickets-$stage; O=concert-ticket-system-orders-$stage
tmp=$(mktemp -d)
# Everything this test writes is removed at the end (after the checks), so that the shared stack's
# catalogue is as the next test expects it: ids are collected in $tmp/created-{concerts,tickets}.
cleanup() {
  local id
  while read -r id; do
    ddb_req "$DYNAMODB_PORT" DeleteItem "{\"TableName\":\"$T\",\"Key\":{\"id\":{\"S\":\"$id\"}}}" >/dev/null 2>&1
  done < <(cat "$tmp/created-tickets" 2>/dev/null)
  while read -r id; do
    ddb_req "$DYNAMODB_PORT" DeleteItem "{\"TableName\":\"$C\",\"Key\":{\"id\":{\"S\":\"$id\"}}}" >/dev/null 2>&1
  done < <(cat "$tmp/created-concerts" 2>/dev/null)
  [ -n "${order_id:-}" ] && ddb_req "$DYNAMODB_PORT" DeleteItem "{\"TableName\":\"$O\",\"Key\":{\"id\":{\"S\":\"$order_id\"}}}" >/dev/null 2>&1
  rm -rf "$tmp"
}
trap cleanup EXIT
failures=0
fail() { echo "FAIL $*"; failures=$((failures + 1)); }

# Decodes the catalogue's escapes (%XX = byte, %% = %) of $1 into file $2.
decode() {
  local s=$1 out=$2
  : >"$out"
  while [[ $s =~ ^([^%]*)%([0-9A-Fa-f]{2}|%)(.*)$ ]]; do
    printf '%s' "${BASH_REMATCH[1]}" >>"$out"
    if [ "${BASH_REMATCH[2]}" = "%" ]; then printf '%%' >>"$out"; else printf "\\x${BASH_REMATCH[2]}" >>"$out"; fi
    s=${BASH_REMATCH[3]}
  done
  printf '%s' "$s" >>"$out"
}
repeat() { head -c "$2" /dev/zero | tr '\0' "$1"; } # char count

make_body() { # spec out
  local spec=$1 out=$2 n
  case $spec in
    -) : >"$out"; return 1 ;;
    @deep_array:*) n=${spec#*:}; { repeat '[' "$n"; repeat ']' "$n"; } >"$out" ;;
    @deep_object:*) n=${spec#*:}; { yes '{"a":' | head -n "$n" | tr -d '\n'; printf 1; repeat '}' "$n"; } >"$out" ;;
    @long_name:*) n=${spec#*:}; { printf '{"name":"'; repeat a "$n"; printf '","date":"2027-04-01","venue":"V","availableTickets":1,"ticketPrice":1}'; } >"$out" ;;
    @huge:*) n=${spec#*:}; { printf '{"name":"'; repeat h $((n - 100)); printf '","date":"2027-04-01","venue":"V","availableTickets":1,"ticketPrice":1}'; } >"$out" ;;
    @many_keys:*) n=${spec#*:}; { printf '{'; seq 1 "$n" | sed 's/.*/"k&":1/' | paste -sd, | tr -d '\n'; printf '}'; } >"$out" ;;
    *) decode "$(ids <<<"$spec")" "$out" ;;
  esac
  return 0
}

make_headers() { # spec out -> header file for curl -H @file
  local spec=$1 out=$2 h ct=1 i
  : >"$out"
  [ "$spec" = - ] && spec=""
  IFS='|' read -r -a hs <<<"$spec"
  for h in "${hs[@]}"; do
    case $h in
      KEY) printf 'Authorization: %s\n' "$TEST_TOKEN" >>"$out" ;;
      NOCT) ct=0 ;;
      @many_headers:*) for ((i = 0; i < ${h#*:}; i++)); do printf 'X-Junk-%d: %d\n' "$i" "$i" >>"$out"; done ;;
      @big_header:*) { printf 'X-Big: '; repeat b "${h#*:}"; printf '\n'; } >>"$out" ;;
      @long_idem:*) { printf 'Idempotency-Key: '; repeat k "${h#*:}"; printf '\n'; } >>"$out" ;;
      [Cc]ontent-[Tt]ype:*) ct=0; decode "$h" "$tmp/h1"; cat "$tmp/h1" >>"$out"; printf '\n' >>"$out" ;;
      *:) printf '%s;\n' "${h%:}" >>"$out" ;; # curl sends "Name;" as an empty header ("Name:" would drop it)
      *) decode "$h" "$tmp/h1"; cat "$tmp/h1" >>"$out"; printf '\n' >>"$out" ;;
    esac
  done
  [ $ct = 1 ] && printf 'Content-Type: application/json\n' >>"$out"
  return 0
}

# request METHOD PATH HEADERFILE [BODYFILE] -> sets code, $tmp/resp, $tmp/resp.h
request() {
  local -a args=(-sS -m 60 --path-as-is -o "$tmp/resp" -D "$tmp/resp.h" -w '%{http_code}' -X "$1" -H "@$3")
  [ -n "${4:-}" ] && args+=(--data-binary "@$4")
  rm -f "$tmp/resp" "$tmp/resp.h"   # curl writes no file for an empty answer: never judge the previous one
  code=$(curl "${args[@]}" "$api$2" 2>"$tmp/curl.err") || code="curl-failed($(head -c 200 "$tmp/curl.err"))"
  openapi_record "$1" "$api$2" "$code" "$tmp/resp.h" "$tmp/resp"
}
json_error() { # the last answer is a JSON object with a non-empty error/message, served as JSON
  jq -e 'type == "object" and (((.error // .message) | type) == "string") and ((.error // .message) | length > 0)' \
    "$tmp/resp" >/dev/null 2>&1 && grep -qi '^content-type: *application/json' "$tmp/resp.h"
}
serving() { [ "$(curl -s -m 30 -o /dev/null -w '%{http_code}' "$api/concerts/$open_id")" = 200 ]; }

# ---- set-up: the concerts under attack, and the counts before ---------------------------------------
mk() { curl -sf -m 30 -X POST -H 'Content-Type: application/json' -H "Authorization: $TEST_TOKEN" "$api/concerts" \
         -d "{\"name\":\"$1\",\"date\":\"2027-04-01T20:00:00Z\",\"venue\":\"Bad Input Hall\",\"availableTickets\":$2,\"ticketPrice\":10}" | jq -r .id; }
open_id=$(mk "Bad Input Target" 1000); soldout_id=$(mk "Bad Input Sold Out" 0); sold_id=$(mk "Bad Input Sold One" 1)
printf '%s\n' "$open_id" "$soldout_id" "$sold_id" >>"$tmp/created-concerts"
[ -n "$open_id" ] && [ "$open_id" != null ] && [ -n "$soldout_id" ] && [ "$soldout_id" != null ] || { echo "FAIL set-up: cannot create concerts"; exit 1; }
# an order of one ticket, for the ids in paths: {order} its id, {code} its ticket's code
curl -sf -m 30 -X POST -H 'Content-Type: application/json' -H "Authorization: $TEST_TOKEN" "$api/box-office/orders" \
  -d "{\"concertId\":\"$sold_id\",\"quantity\":1,\"payment\":{\"method\":\"comp\"}}" >"$tmp/order.json"
order_id=$(jq -r '.id // empty' "$tmp/order.json"); tcode=$(jq -r '.tickets[0].code // empty' "$tmp/order.json")
[ -n "$order_id" ] && [ -n "$tcode" ] || { echo "FAIL set-up: cannot place an order: $(head -c 300 "$tmp/order.json")"; exit 1; }
jq -r '.tickets[].id' "$tmp/order.json" >>"$tmp/created-tickets"
ids() { sed -e "s/{concert}/$open_id/g" -e "s/{soldout}/$soldout_id/g" -e "s/{order}/$order_id/g" -e "s/{code}/$tcode/g"; }
concerts_before=$(ddb_count "$DYNAMODB_PORT" "$C") && tickets_before=$(ddb_count "$DYNAMODB_PORT" "$T") \
  || { echo "FAIL set-up: cannot count items in DynamoDB Local on :$DYNAMODB_PORT"; exit 1; }
api_before=$(curl -sf -m 60 "$api/concerts" | jq length)

# ---- the catalogue ------------------------------------------------------------------------------------
n=0; wrote_concerts=0; wrote_tickets=0
while IFS= read -r line; do
  [[ -z "$line" || "$line" == \#* ]] && continue
  id=${line%% ¦ *}; rest=${line#* ¦ }
  expect=${rest%% ¦ *}; rest=${rest#* ¦ }
  method=${rest%% ¦ *}; rest=${rest#* ¦ }
  path=${rest%% ¦ *}; rest=${rest#* ¦ }
  hspec=${rest%% ¦ *}; bspec=${rest#* ¦ }
  path=$(ids <<<"$path")
  n=$((n + 1))
  make_headers "$hspec" "$tmp/hdr"
  if make_body "$bspec" "$tmp/body"; then request "$method" "$path" "$tmp/hdr" "$tmp/body"; else request "$method" "$path" "$tmp/hdr"; fi
  got="$code $(head -c 160 "$tmp/resp" | tr -d '\000-\037')"
  case $expect in
    4xx|400|401|403|404|413)
      if [[ "$code" != 4?? ]] || { [ "$expect" != 4xx ] && [ "$code" != "$expect" ]; }; then fail "$id: expected $expect, got $got"
      elif ! json_error; then fail "$id: $code without a JSON error body: $got"; fi ;;
    4xx-raw)
      [[ "$code" == 4?? ]] || fail "$id: expected a 4xx, got $got" ;;
    zero)
      if [ "$code" = 201 ]; then
        wrote_concerts=$((wrote_concerts + 1))
        cid=$(jq -r .id "$tmp/resp"); echo "$cid" >>"$tmp/created-concerts"; raw=$(curl -s -m 30 "$api/concerts/$cid")
        grep -q -- '-0' <<<"$(jq -c '{availableTickets, ticketPrice}' <<<"$raw")" && fail "$id: stored as -0: $raw"
      elif [[ "$code" != 4?? ]] || ! json_error; then fail "$id: expected a 4xx JSON error or 201, got $got"; fi ;;
    stored)
      if [ "$code" != 201 ]; then fail "$id: valid data refused: $got"; continue; fi
      oid=$(jq -r .id "$tmp/resp")
      if [ "$path" = /concerts ]; then echo "$oid" >>"$tmp/created-concerts"; else echo "$oid" >>"$tmp/created-tickets"; fi
      if [ "$path" = /concerts ]; then
        wrote_concerts=$((wrote_concerts + 1))
        curl -s -m 30 "$api/concerts/$oid" >"$tmp/back"
        for f in name venue; do
          [ "$(jq -r ".$f" "$tmp/body")" = "$(jq -r ".$f" "$tmp/back")" ] || fail "$id: $f not returned verbatim: $(cat "$tmp/back")"
        done
      else
        wrote_tickets=$((wrote_tickets + 1))
        ddb_req "$DYNAMODB_PORT" GetItem "{\"TableName\":\"$T\",\"Key\":{\"id\":{\"S\":\"$oid\"}},\"ConsistentRead\":true}" >"$tmp/back"
        for f in customerName customerEmail; do
          [ "$(jq -r ".$f" "$tmp/body")" = "$(jq -r ".Item.$f.S" "$tmp/back")" ] || fail "$id: $f not stored verbatim: $(cat "$tmp/back")"
        done
      fi ;;
    *) fail "$id: unknown expectation '$expect' in the catalogue" ;;
  esac
  if [ $((n % 10)) = 0 ] && ! serving; then fail "after $id: the stack stopped serving"; fi
done <"$here/bad_input_cases.txt"

# ---- nothing written but what the valid cases wrote --------------------------------------------------
serving || fail "the stack does not serve after the catalogue"
concerts_after=$(ddb_count "$DYNAMODB_PORT" "$C"); tickets_after=$(ddb_count "$DYNAMODB_PORT" "$T")
api_after=$(curl -sf -m 60 "$api/concerts" | jq length)
[ "$concerts_after" = $((concerts_before + wrote_concerts)) ] || fail "concert items: $concerts_before before, $concerts_after after, $wrote_concerts expected to be added"
[ "$tickets_after" = $((tickets_before + wrote_tickets)) ] || fail "ticket items: $tickets_before before, $tickets_after after, $wrote_tickets expected to be added"
[ "$api_after" = $((api_before + wrote_concerts)) ] || fail "GET /concerts: $api_before before, $api_after after"
seats=$(ddb_seats "$DYNAMODB_PORT" "$C" "$open_id"); sold_out_seats=$(ddb_seats "$DYNAMODB_PORT" "$C" "$soldout_id")
[ "$seats" = $((1000 - wrote_tickets)) ] || fail "the target concert has $seats seats, expected $((1000 - wrote_tickets))"
[ "$sold_out_seats" = 0 ] || fail "the sold-out concert has $sold_out_seats seats"
echo "$n hostile requests; $wrote_concerts concerts and $wrote_tickets tickets written by the valid-looking cases; $failures failures"
[ $n -ge 100 ] || { echo "FAIL the catalogue has only $n cases"; exit 1; }
[ $failures -eq 0 ]
