# shellcheck shell=bash
# Helpers for the CLI suites (sourced by tests/cli/test_cli*.sh; tests/e2e/tui_lib.sh is the terminal side).
# Sets root (the checkout) and bin (the boxoffice binary, $BOXOFFICE_BIN or build/boxoffice).
#   cli_need_shared_stack   skip (77) without BOXOFFICE_API_URL/BOXOFFICE_USER; fail without the binary or jq
#   cli_need_bin            fail without the binary
#   cli_work NAME [CLEANUP] a private, empty configuration in $work (removed at exit, after CLEANUP and after the
#                           recording pass-throughs stop): XDG_CONFIG_HOME, HOME, LOCAL_STATE_DIR, NO_COLOR=1
#   cli_record URL          BOXOFFICE_API_URL = URL behind the recording pass-through (tests/lib/openapi_log.sh):
#                           the answers the CLI receives are checked against the contract
#   expect RC DESCRIPTION -- COMMAND...   runs it (timeout $CLI_TIMEOUT, 120 s), keeps stdout/stderr in
#                           $out/$err, checks the exit code
#   ok DESCRIPTION COMMAND...             an extra assertion;  not COMMAND...: its negation
#   j JQ-ARGS...            jq -e, quiet;  seats ID: the seats left;  nokey: the command prefix without the key
#   finish                  prints the count and exits 0 when nothing failed, 1 otherwise
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bin=${BOXOFFICE_BIN:-$root/build/boxoffice}
. "$root/tests/lib/openapi_log.sh"
CLI_TIMEOUT=${CLI_TIMEOUT:-120}
fails=0; checks=0
nokey=(env -u BOXOFFICE_USER -u BOXOFFICE_PASSWORD)   # the same binary without the operator's sign-in

cli_need_bin() { [ -x "$bin" ] || { echo "FAIL: $bin is missing (make client)"; exit 1; }; }

cli_need_shared_stack() {
  if [ -z "${BOXOFFICE_API_URL:-}" ] || [ -z "${BOXOFFICE_USER:-}" ]; then
    echo "skip: needs the shared test stack (BOXOFFICE_API_URL, BOXOFFICE_USER)"; exit 77
  fi
  cli_need_bin
  command -v jq >/dev/null || { echo "FAIL: jq is missing (scripts/install-deps.sh)"; exit 1; }
}

cli_work() {
  work=$(mktemp -d "/tmp/boxoffice-$1.XXXXXX")
  out=$work/out err=$work/err
  # shellcheck disable=SC2064   # CLEANUP is expanded now, $work at exit
  trap "openapi_proxy_stop; ${2:+$2; }"'rm -rf "$work"' EXIT
  export XDG_CONFIG_HOME="$work/config" HOME="$work/home" LOCAL_STATE_DIR="$work/state" NO_COLOR=1
  mkdir -p "$XDG_CONFIG_HOME" "$HOME" "$LOCAL_STATE_DIR"
}

cli_record() {
  openapi_proxy "$1" || { echo "FAIL: the recording pass-through did not start"; exit 1; }
  export BOXOFFICE_API_URL=$OPENAPI_PROXY_URL
}

expect() {
  local want=$1 what=$2; shift 3
  checks=$((checks+1))
  timeout "$CLI_TIMEOUT" "$@" >"$out" 2>"$err"; local rc=$?
  if [ "$rc" -ne "$want" ]; then
    fails=$((fails+1))
    echo "FAIL: $what: exit $rc, expected $want"; sed 's/^/    stdout: /' "$out" | head -20; sed 's/^/    stderr: /' "$err" | head -10
    return 1
  fi
  echo "ok:   $what (exit $rc)"
}

ok() {
  local what=$1; shift
  checks=$((checks+1))
  if "$@"; then echo "ok:   $what"; else fails=$((fails+1)); echo "FAIL: $what"; sed 's/^/    stdout: /' "$out" | head -30; fi
}

not() { ! "$@"; }
j() { jq -e "$@" >/dev/null; }
seats() { "$bin" --json show "$1" | jq -r '.availableTickets'; }
finish() { echo "$checks checks, $fails failed"; [ "$fails" -eq 0 ]; exit $?; }
