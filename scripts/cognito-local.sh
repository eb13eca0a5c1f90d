#!/usr/bin/env bash
# Starts and stops cognito-local (Amazon Cognito user pools on one machine, the npm package cognito-local
# pinned in tools/cognito-local) for the local stack's operator sign-in.
#   cognito-local.sh start PORT STATE_DIR   state in STATE_DIR/cognito (its .cognito/config.json and db/,
#                                           kept across restarts), log cognito.log and pid cognito.pid beside
#                                           it; waits until it answers; idempotent
#   cognito-local.sh stop STATE_DIR         stops the server started with that state dir
#   cognito-local.sh status PORT STATE_DIR  exit 0 when that server runs and answers on PORT
#   cognito-local.sh ping PORT              exit 0 when a cognito-local answers on PORT
# config.json sets TokenConfig.IssuerDomain to http://127.0.0.1:PORT, so a token's iss is
# http://127.0.0.1:PORT/<poolId> (what the gateway's --cognito-issuer is given).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bin="$here/tools/cognito-local/node_modules/cognito-local/lib/bin/start.js"

# any JSON answer of its API (ListUserPools) means it is up
ping_cognito() {
  curl -s -m 2 -o /dev/null -w '%{http_code}' -X POST "http://127.0.0.1:$1/" \
    -H 'Content-Type: application/x-amz-json-1.1' \
    -H 'X-Amz-Target: AWSCognitoIdentityProviderService.ListUserPools' \
    -d '{"MaxResults":1}' 2>/dev/null | grep -q '^200$'
}

case "${1:-}" in
  ping) ping_cognito "$2" ;;
  status)
    port=$2; pidf="$3/cognito.pid"
    [ -f "$pidf" ] && kill -0 "$(cat "$pidf")" 2>/dev/null && ping_cognito "$port" ;;
  start)
    port=$2; state=$3
    mkdir -p "$state/cognito/.cognito"
    state_abs=$(cd "$state" && pwd)
    pidf="$state_abs/cognito.pid"
    if [ -f "$pidf" ] && kill -0 "$(cat "$pidf")" 2>/dev/null && ping_cognito "$port"; then exit 0; fi
    if ping_cognito "$port" || (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "cognito-local: port $port is taken by another server (set COGNITO_PORT)" >&2; exit 1
    fi
    [ -f "$bin" ] || { echo "cognito-local: cognito-local missing; run scripts/install-deps.sh" >&2; exit 1; }
    cfg="$state_abs/cognito/.cognito/config.json"
    issuer="http://127.0.0.1:$port"
    if [ ! -f "$cfg" ] || [ "$(jq -r '.TokenConfig.IssuerDomain // ""' "$cfg" 2>/dev/null)" != "$issuer" ]; then
      jq -n --arg d "$issuer" '{TokenConfig: {IssuerDomain: $d}}' >"$cfg.tmp" && mv "$cfg.tmp" "$cfg"
    fi
    ( cd "$state_abs/cognito" && PORT=$port HOST=127.0.0.1 exec setsid node "$bin" \
        </dev/null >>"$state_abs/cognito.log" 2>&1 ) &
    echo $! >"$pidf"
    for _ in $(seq 1 300); do
      ping_cognito "$port" && exit 0
      kill -0 "$(cat "$pidf")" 2>/dev/null || { echo "cognito-local: it exited; see $state/cognito.log" >&2; tail -n 5 "$state_abs/cognito.log" >&2; exit 1; }
      sleep 0.1
    done
    echo "cognito-local: it did not answer on port $port within 30 s; see $state/cognito.log" >&2; exit 1 ;;
  stop)
    state=$2; pidf="$state/cognito.pid"
    [ -f "$pidf" ] || exit 0
    pid=$(cat "$pidf")
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$pidf" ;;
  *) echo "usage: $0 start PORT STATE_DIR | stop STATE_DIR | status PORT STATE_DIR | ping PORT" >&2; exit 1 ;;
esac
