#!/usr/bin/env bash
# The deployed artifact, backend/build/bootstrap.zip, is self-contained and loads on Amazon Linux 2023
# (provided.al2023, whose glibc is 2.34):
#   - the zip holds one entry, the executable `bootstrap`, and nothing else;
#   - its only DT_NEEDED entries are glibc's own libraries, it asks for the standard interpreter, has no
#     RPATH/RUNPATH, and no symbol version it needs is above GLIBC_2.34 or from any library but glibc
#     (e.g. Debian's CURL_OPENSSL_4, which AL2023's libcurl-minimal lacks);
#   - the bootstrap that the local stack, the tests and make bench run (build/task) is byte for byte the
#     zipped one, and the same link as the unstripped build/bootstrap (what valgrind runs).
set -uo pipefail
cd "$(dirname "$0")/../../.."
zip=backend/build/bootstrap.zip
max_glibc=2.34
allowed_needed="libc.so.6 libm.so.6 ld-linux-x86-64.so.2 libpthread.so.0 libdl.so.2 librt.so.1"
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok    $*"; }
[ -f "$zip" ] || { echo "FAIL: $zip missing (make -C backend package)"; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/boxoffice-artifact.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

entries=$(unzip -Z1 "$zip")
if [ "$entries" = bootstrap ]; then ok "zip holds exactly: bootstrap"
else fail "zip must hold only bootstrap, holds: $(echo "$entries" | tr '\n' ' ')"; fi
mode=$(unzip -Z "$zip" bootstrap 2>/dev/null | awk '{print $1; exit}')
[[ "$mode" == -rwx* ]] && ok "bootstrap is executable in the zip ($mode)" || fail "bootstrap mode in the zip is '$mode'"
unzip -q "$zip" -d "$tmp/task" || { echo "FAIL: cannot unzip"; exit 1; }
b="$tmp/task/bootstrap"
[ -f "$b" ] || { echo "FAIL: no bootstrap in the zip"; exit 1; }

dyn=$(readelf -d "$b") || { echo "FAIL: readelf -d failed"; exit 1; }
needed=$(sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' <<<"$dyn")
bad=""
for n in $needed; do [[ " $allowed_needed " == *" $n "* ]] || bad+="$n "; done
[ -z "$bad" ] && ok "DT_NEEDED only glibc: $(echo $needed)" || fail "DT_NEEDED outside glibc: $bad"
grep -qE '\((RPATH|RUNPATH)\)' <<<"$dyn" && fail "has RPATH/RUNPATH: $(grep -E 'RPATH|RUNPATH' <<<"$dyn")" \
  || ok "no RPATH/RUNPATH"
interp=$(readelf -l "$b" | sed -n 's/.*Requesting program interpreter: \(.*\)\]/\1/p')
[ "$interp" = /lib64/ld-linux-x86-64.so.2 ] && ok "interpreter $interp" || fail "interpreter is '$interp'"

# Version needs (.gnu.version_r): every file must be a glibc one, every version GLIBC_x.y <= max_glibc.
vr=$(readelf -V --wide "$b" | sed -n '/Version needs section/,$p')
files=$(sed -n 's/.*File: \([^ ]*\).*/\1/p' <<<"$vr" | sort -u)
bad=""
for f in $files; do [[ " $allowed_needed " == *" $f "* ]] || bad+="$f "; done
[ -z "$bad" ] && ok "versioned symbols only from glibc ($(echo $files))" || fail "versioned symbols from $bad"
versions=$(sed -n 's/.*Name: \([^ ]*\).*/\1/p' <<<"$vr" | sort -u)
too_new="" other=""
for v in $versions; do
  case "$v" in
    GLIBC_PRIVATE) other+="$v " ;;
    GLIBC_[0-9]*)
      [ "$(printf '%s\n%s\n' "${v#GLIBC_}" "$max_glibc" | sort -V | tail -n 1)" = "$max_glibc" ] || too_new+="$v " ;;
    *) other+="$v " ;;
  esac
done
highest=$(grep '^GLIBC_[0-9]' <<<"$versions" | sort -V | tail -n 1)
[ -z "$too_new" ] && ok "highest glibc version needed: $highest (<= GLIBC_$max_glibc)" \
  || fail "needs glibc newer than $max_glibc: $too_new($(objdump -T "$b" | grep -E "$(echo $too_new | sed 's/ /|/g')" | awk '{print $NF}' | head -5 | tr '\n' ' '))"
[ -z "$other" ] && ok "no non-glibc symbol versions" || fail "other symbol versions needed: $other"

if cmp -s "$b" backend/build/task/bootstrap; then ok "backend/build/task/bootstrap is the zipped file"
else fail "backend/build/task/bootstrap differs from the zip's bootstrap (make -C backend package)"; fi
strip -o "$tmp/stripped" backend/build/bootstrap
if cmp -s "$b" "$tmp/stripped"; then ok "the zipped bootstrap is backend/build/bootstrap stripped"
else fail "the zipped bootstrap is not backend/build/bootstrap stripped"; fi

size=$(stat -c %s "$zip")
echo "info  zip $size bytes, bootstrap $(stat -c %s "$b") bytes"
[ "$fails" -eq 0 ] || { echo "$fails check(s) failed"; exit 1; }
echo "artifact contents: all checks passed"
