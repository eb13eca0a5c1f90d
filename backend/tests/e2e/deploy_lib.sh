# shellcheck shell=bash
# Helpers for the offline checks of the deployment (source it; needs $root, the repo root):
#
#   deploy_setup NAME                  checks the pinned Serverless Framework (exits 77 without it), the zip
#                                      and the local gateway; state dir DEP (removed at exit)
#   deploy_package SERVICE_DIR STAGE   `serverless package` of SERVICE_DIR/serverless.yml with no account, no
#                                      credentials and (where the kernel allows) no network; the template in
#                                      DEP_TEMPLATE; returns 1 with serverless's output when it fails
#   deploy_lint TEMPLATE               cfn-lint, failing on errors and warnings; returns 0 (with a note) when
#                                      cfn-lint is not installed
DEP_BACKEND=${root:?set root to the repo root before sourcing deploy_lib.sh}/backend
DEP_SLS=$root/tools/serverless/node_modules/serverless/bin/serverless.js
DEP_ZIP=$DEP_BACKEND/build/bootstrap.zip
DEP_GW=$DEP_BACKEND/build/local-gateway

deploy_setup() {
  [ -f "$DEP_SLS" ] || { echo "Serverless Framework not installed in tools/serverless (scripts/install-deps.sh)"; exit 77; }
  [ -f "$DEP_ZIP" ] || { echo "FAIL: $DEP_ZIP missing: make -C backend package"; exit 1; }
  [ -x "$DEP_GW" ] || { echo "FAIL: $DEP_GW missing: make -C backend"; exit 1; }
  DEP=$(mktemp -d "${TMPDIR:-/tmp}/boxoffice-$1.XXXXXX")
  trap 'rm -rf "$DEP"' EXIT
  mkdir "$DEP/home"
  # Where the kernel allows it, packaging runs in a network namespace of its own: proof it needs no network.
  DEP_OFFLINE=()
  if unshare -n true 2>/dev/null; then DEP_OFFLINE=(unshare -n)
  elif unshare -rn true 2>/dev/null; then DEP_OFFLINE=(unshare -rn)
  else echo "note: unshare unavailable, packaging with the network reachable"; fi
}

deploy_package() {
  local dir=$1 stage=$2 out
  out=$(mktemp -d "$DEP/pkg.XXXXXX")
  echo "serverless package --stage $stage in $dir ${DEP_OFFLINE[*]:+(in ${DEP_OFFLINE[*]})}"
  # No account, no credentials, no telemetry, no update notices, nothing written to the real $HOME.
  if ! (cd "$dir" && env -i PATH="$PATH" HOME="$DEP/home" LANG=C.UTF-8 \
          SLS_TELEMETRY_DISABLED=1 SLS_TRACKING_DISABLED=1 SLS_NOTIFICATIONS_MODE=off \
          SLS_DEPRECATION_DISABLE='*' CI=1 \
          timeout 180 "${DEP_OFFLINE[@]}" node "$DEP_SLS" package --stage "$stage" --region us-east-1 \
          --package "$out/pkg" >"$out/sls.log" 2>&1); then
    cat "$out/sls.log"; echo "FAIL: serverless package"; return 1
  fi
  DEP_TEMPLATE=$out/pkg/cloudformation-template-update-stack.json
  [ -s "$DEP_TEMPLATE" ] || { cat "$out/sls.log"; echo "FAIL: no $DEP_TEMPLATE"; return 1; }
}

# cfn-lint exit status is a bit set: 2 errors, 4 warnings, 8 informational. Warnings fail too: an IAM
# action that does not exist (dynamodb:TransactWriteItems) is only a warning (W3037), and the template
# has none, so a new one is a regression to look at.
deploy_lint() {
  if command -v cfn-lint >/dev/null 2>&1; then
    echo "cfn-lint $(cfn-lint --version 2>/dev/null | awk '{print $NF}')"
    local lint=0; timeout 300 cfn-lint --format parseable -- "$1" || lint=$?
    if [ $((lint & ~8)) -ne 0 ]; then
      echo "FAIL: cfn-lint found errors or warnings (exit status $lint: +2 errors, +4 warnings)"; return 1
    fi
  else
    echo "cfn-lint not installed: template lint skipped (pip install cfn-lint)"
  fi
}
