#!/usr/bin/env bash
# HTTPS with certificate verification through the PACKAGED bootstrap (the zip unpacked into a glibc-only
# root, as in test_artifact_chroot.sh), to DynamoDB Local behind a TLS endpoint (socat) whose certificate a
# test CA made here signed. The statically linked TLS library knows no system's CA path, so the function
# looks for the bundle itself (backend/ddb/include/tls_ca.h):
#   - the CA at Amazon Linux 2023's path (/etc/pki/tls/certs/ca-bundle.crt): getConcert 200;
#   - the CA at Debian's path (/etc/ssl/certs/ca-certificates.crt): 200;
#   - SSL_CERT_FILE names it, and takes precedence over a wrong CA at the AL2023 path: 200;
#   - a wrong CA (another CA signed nothing here): the call fails verification; the function answers 503,
#     keeps running and says why in its log (no crash, no hang);
#   - no CA anywhere: init fails at once with /init/error "no CA bundle ..." (only because the endpoint is
#     https: test_artifact_chroot.sh runs the same root without any CA against http);
#   - SSL_CERT_FILE naming a missing file: /init/error naming SSL_CERT_FILE, even with a good CA elsewhere.
set -uo pipefail
cd "$(dirname "$0")/../../.."
# bench/lib.sh for the DynamoDB and event helpers; tests/lib/stack.sh for free_port
. bench/lib.sh; . tests/lib/stack.sh; . backend/tests/e2e/artifact_lib.sh
artifact_setup artifact-tls
artifact_tables
command -v socat >/dev/null && command -v openssl >/dev/null || { echo "FAIL: socat and openssl are needed (scripts/install-deps.sh)"; exit 1; }
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# ---- a test CA, a server certificate for localhost signed by it, and a second CA that signed nothing
pki="$ART/pki"; mkdir -p "$pki"
mkca() { openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj "/CN=$2" \
           -keyout "$pki/$1.key" -out "$pki/$1.pem" 2>/dev/null; }
mkca ca "boxoffice test CA $$" && mkca wrong "boxoffice wrong CA $$" \
  && openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=localhost \
       -keyout "$pki/srv.key" -out "$pki/srv.csr" 2>/dev/null \
  && printf 'subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' >"$pki/ext.cnf" \
  && openssl x509 -req -in "$pki/srv.csr" -CA "$pki/ca.pem" -CAkey "$pki/ca.key" -CAcreateserial -days 2 \
       -extfile "$pki/ext.cnf" -out "$pki/srv.crt" 2>/dev/null \
  && cat "$pki/srv.crt" "$pki/srv.key" >"$pki/srv.pem" || { echo "FAIL: cannot make the test certificates"; exit 1; }

tls_port=$(free_port)
socat "OPENSSL-LISTEN:$tls_port,bind=127.0.0.1,reuseaddr,fork,nodelay,cert=$pki/srv.pem,verify=0" \
  "TCP:127.0.0.1:$DYNAMODB_PORT,nodelay" 2>"$ART/socat.log" &
ART_PIDS+=($!)
wait_until 10 bash -c "exec 3<>/dev/tcp/127.0.0.1/$tls_port" 2>/dev/null || { echo "FAIL: the TLS endpoint did not start"; exit 1; }
curl -s -o /dev/null --cacert "$pki/ca.pem" "https://localhost:$tls_port/" || { echo "FAIL: the TLS endpoint does not answer curl"; exit 1; }
https="AWS_ENDPOINT_URL_DYNAMODB=https://localhost:$tls_port"

ddb_put_concert "$DYNAMODB_PORT" "$ART_CONCERTS" art-tls 10 "Artifact TLS"
api_event GET '/concerts/{id}' /concerts/art-tls '' art-tls >"$ART/get.json"

# root NAME [PATH_IN_ROOT CA_FILE]...: a glibc-only root with the zip and the given CA files
root() {
  local dir="$ART/$1"; shift
  artifact_root "$dir" || return 1
  while [ $# -gt 0 ]; do mkdir -p "$dir$(dirname "$1")"; cp "$2" "$dir$1"; shift 2; done
  echo "$dir"
}
AL=/etc/pki/tls/certs/ca-bundle.crt DEB=/etc/ssl/certs/ca-certificates.crt
show() { sed 's/^/      /' "$ART_ERR"; tail -n 3 "$ART_LOG" 2>/dev/null | cut -c1-500 | sed 's/^/      /'; }
expect_200() { # label root [VAR=VALUE...]
  local label=$1 dir=$2; shift 2
  artifact_invoke "$dir" getConcert "$ART/get.json" "$https" "$@"; local rc=$?
  if [ $rc -eq 0 ] && [ "$(artifact_status)" = 200 ]; then
    echo "ok    $label: getConcert over https 200 (answer $(jq -r .cold_start_ms.median "$ART_OUT") ms)"
  else fail "$label: rtstub rc=$rc, status '$(artifact_status)', want 200"; show; fi
}
expect_init_error() { # label pattern root [VAR=VALUE...]
  local label=$1 pat=$2 dir=$3; shift 3
  local t0=$SECONDS
  artifact_invoke "$dir" getConcert "$ART/get.json" "$https" "$@"
  if [ "$(jq -r .init_errors "$ART_OUT" 2>/dev/null)" = 1 ] && grep -q "$pat" "$ART_ERR"; then
    echo "ok    $label: /init/error in $((SECONDS - t0)) s: $(grep -o '"errorMessage":"[^"]*"' "$ART_ERR" | head -n 1)"
  else fail "$label: want one /init/error matching '$pat'"; show; fi
}

expect_200 "CA at the AL2023 path" "$(root al2023 "$AL" "$pki/ca.pem")"
expect_200 "CA at the Debian path" "$(root debian "$DEB" "$pki/ca.pem")"
expect_200 "SSL_CERT_FILE over a wrong CA at the AL2023 path" \
  "$(root envfile "$AL" "$pki/wrong.pem" /opt/test-ca.pem "$pki/ca.pem")" SSL_CERT_FILE=/opt/test-ca.pem

# a wrong CA: verification fails, the function answers 503 and stays up (rtstub gets a /response)
t0=$SECONDS
artifact_invoke "$(root wrong "$AL" "$pki/wrong.pem")" getConcert "$ART/get.json" "$https"; rc=$?
if [ $rc -eq 0 ] && [ "$(artifact_status)" = 503 ] && grep -qi 'cert\|verif' "$ART_LOG"; then
  echo "ok    wrong CA: 503 in $((SECONDS - t0)) s, logged: $(grep -o '"storeError":"[^"]*"' "$ART_LOG" | head -n 1)"
else fail "wrong CA: rtstub rc=$rc, status '$(artifact_status)', want 503 and a certificate error in the log"; show; fi

expect_init_error "no CA at all" 'no CA bundle' "$(root none)"
expect_init_error "SSL_CERT_FILE names a missing file" 'SSL_CERT_FILE=/nowhere.pem' \
  "$(root missing "$AL" "$pki/ca.pem")" SSL_CERT_FILE=/nowhere.pem

[ "$fails" -eq 0 ] || exit 1
echo "the packaged bootstrap verifies DynamoDB's certificate with the CA found on AL2023, Debian or SSL_CERT_FILE"
