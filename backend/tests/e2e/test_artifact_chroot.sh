#!/usr/bin/env bash
# The zipped bootstrap starts and serves in a root that holds ONLY glibc (ld-linux, libc, libm, ... copied
# from this machine; no libcurl, libuuid, libcjson, no /etc, no CA) and the zip's contents at /var/task,
# with Lambda's LD_LIBRARY_PATH and environment: as on provided.al2023, whose minimal image promises
# little more than glibc. One cold start + one invocation of EACH handler through the Runtime API
# (bench's rtstub), against DynamoDB Local over http (no CA needed, and none is there):
#   createConcert 201 (the item is in the table), getConcert 200, listConcerts 200, purchaseTicket 201
#   (a ticket written, one seat fewer).
set -uo pipefail
cd "$(dirname "$0")/../../.."
# bench/lib.sh for the DynamoDB and event helpers; tests/lib/stack.sh for free_port and its ddb_count TABLE
. bench/lib.sh; . tests/lib/stack.sh; . backend/tests/e2e/artifact_lib.sh
artifact_setup artifact-chroot
artifact_tables
root="$ART/root"
artifact_root "$root" || { echo "FAIL: cannot build the glibc-only root"; exit 1; }
echo "root: $(cd "$root" && find . -type f -o -type l | sort | tr '\n' ' ')"
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

ddb_put_concert "$DYNAMODB_PORT" "$ART_CONCERTS" art-get 10 "Artifact Get"
# POST /concerts needs a signed-in manager: the claims API Gateway's Cognito authorizer hands over
api_event POST /concerts /concerts '{"name":"Artifact Concert","date":"2027-05-01T20:00:00Z","venue":"Chroot Hall","availableTickets":5,"ticketPrice":12.5}' |
  jq -c '.requestContext.authorizer.claims = {sub: "art-manager", "cognito:groups": "manager", name: "Art"}' >"$ART/create.json"
api_event GET '/concerts/{id}' /concerts/art-get '' art-get >"$ART/get.json"
api_event GET /concerts /concerts >"$ART/list.json"
api_event POST /tickets /tickets '{"concertId":"art-get","customerName":"Chroot Buyer","customerEmail":"chroot@example.com"}' >"$ART/buy.json"

for pair in createConcert:create:201 getConcert:get:200 listConcerts:list:200 purchaseTicket:buy:201; do
  IFS=: read -r h ev want <<<"$pair"
  artifact_invoke "$root" "$h" "$ART/$ev.json"; rc=$?
  got=$(artifact_status)
  if [ $rc -eq 0 ] && [ "$got" = "$want" ]; then
    echo "ok    $h in the glibc-only root: $want (ready $(jq -r .ready_ms.median "$ART_OUT") ms, answer $(jq -r .cold_start_ms.median "$ART_OUT") ms, peak RSS $(jq -r .peak_rss_kb.max "$ART_OUT") KiB)"
  else
    fail "$h: rtstub rc=$rc, status '$got', want $want"
    sed 's/^/      /' "$ART_ERR"; tail -n 5 "$ART_LOG" 2>/dev/null | cut -c1-400 | sed 's/^/      /'
  fi
done

n=$(ddb_count "$ART_CONCERTS" '{"FilterExpression":"venue = :v","ExpressionAttributeValues":{":v":{"S":"Chroot Hall"}}}')
[ "$n" = 1 ] && echo "ok    the created concert is in DynamoDB" || fail "created concerts in DynamoDB: '$n', want 1"
seats=$(ddb_seats "$DYNAMODB_PORT" "$ART_CONCERTS" art-get)
[ "$seats" = 9 ] && echo "ok    the purchase took one seat (10 -> 9)" || fail "seats after the purchase: '$seats', want 9"
tickets=$(ddb_count "$ART_TICKETS")
[ "$tickets" = 1 ] && echo "ok    one ticket written" || fail "tickets written: '$tickets', want 1"
[ "$fails" -eq 0 ] || exit 1
echo "the zipped bootstrap serves all four handlers with nothing but glibc"
