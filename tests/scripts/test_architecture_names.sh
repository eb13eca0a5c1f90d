#!/usr/bin/env bash
# docs/architecture.md names functions as `name()`: every one must be defined in the tree (a C definition in
# src/, include/, common/, backend/, bench/, fuzz/ or tests/, a shell function, or a Python def), so the walks
# cannot drift from the code unnoticed. Also: the doc names at least one function (the pattern is in use).
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
doc=${ARCH_DOC:-docs/architecture.md}
mapfile -t names < <(grep -oE '`[A-Za-z_][A-Za-z0-9_]*\(\)`' "$doc" | tr -d '`()' | sort -u)
[ ${#names[@]} -ge 1 ] || { echo "test_architecture_names: $doc names no function as \`name()\`"; exit 1; }
files=()
while IFS= read -r -d '' f; do files+=("$f"); done < <(
  find src include common backend bench fuzz tests -path '*/build' -prune -o -path '*/node_modules' -prune -o \
       -path backend/third_party -prune -o -type f \( -name '*.c' -o -name '*.h' -o -name '*.sh' -o -name '*.py' \) \
       -print0)
missing=()
for n in "${names[@]}"; do
  # C: the name at the start of a line after its type, not a prototype (no ';'), or a macro;
  # shell: name() {; Python: def name(
  if ! grep -qE "^([A-Za-z_][A-Za-z0-9_ *]*[ *])?$n\([^;]*\$|^#define $n\(|^$n\(\) *\{?|^ *def $n\(" "${files[@]}"; then
    missing+=("$n")
  fi
done
echo "test_architecture_names: ${#names[@]} function names in $doc"
if [ ${#missing[@]} -gt 0 ]; then
  printf 'not defined in the tree: %s()\n' "${missing[@]}"
  exit 1
fi
echo "test_architecture_names: every one is defined"
