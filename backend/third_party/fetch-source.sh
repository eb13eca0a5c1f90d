#!/usr/bin/env bash
# fetch-source.sh PKG DEST: unpacks Debian's source package PKG (the bookworm one, from Debian's own
# archive) into DEST/PKG-src. Uses a private apt configuration (a deb-src list, lists and cache under
# DEST/apt) that is removed afterwards: the machine's apt sources and state are left untouched.
set -euo pipefail
pkg=$1; mkdir -p "$2"; dest=$(cd "$2" && pwd)
[ -d "$dest/$pkg-src" ] && exit 0
command -v dpkg-source >/dev/null || { echo "fetch-source: dpkg-source missing (apt-get install dpkg-dev)" >&2; exit 1; }
apt_dir="$dest/apt.$$"
rm -rf "$apt_dir" && mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/parts" "$apt_dir/dl"
trap 'rm -rf "$apt_dir"' EXIT
cat >"$apt_dir/sources.list" <<LIST
deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm main
deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm-updates main
deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian-security bookworm-security main
LIST
opts=(-o "Dir::Etc::SourceList=$apt_dir/sources.list" -o "Dir::Etc::SourceParts=$apt_dir/parts"
      -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache" -o "Debug::NoLocking=1"
      -o "APT::Sandbox::User=root")
apt-get "${opts[@]}" -qq update
(cd "$apt_dir/dl" && apt-get "${opts[@]}" -qq --download-only source "$pkg" >/dev/null)
dsc=$(ls "$apt_dir"/dl/*.dsc | head -n 1)
# apt-get has checked every file against the archive's signed index; dpkg-source's own check of the .dsc
# signature would need the maintainers' keyring (debian-keyring), hence --no-check.
dpkg-source --no-check -x "$dsc" "$dest/$pkg-src.tmp" >/dev/null
mv "$dest/$pkg-src.tmp" "$dest/$pkg-src"
rm -f "$dest/${pkg}"_*.orig.tar.* # dpkg-source leaves a copy of the upstream tarball beside the tree
echo "fetch-source: $pkg $(basename "$dsc" .dsc) -> $dest/$pkg-src"
