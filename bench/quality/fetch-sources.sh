#!/usr/bin/env bash
# Fetches the source photographs of the quality benchmark from Debian packages.
# Usage: bench/quality/fetch-sources.sh [DIR] [LIST]
#   DIR   default work/quality-sources
#   LIST  default sources.txt (family A); sources-b.txt for family B. A bare
#         name is looked up beside this script.
# LIST has one photo a line: package version path-in-package sha256 [name].
# `apt-get download`s (never installs) the packages named in LIST into
# DIR/debs/, then extracts only the listed photos into DIR/ (flat: NAME, else
# the path's base name) and each package's copyright file into
# DIR/copyright/<package>. Checks every photo's sha256 against LIST (a
# mismatch is a warning: the recipe then still runs but its output bytes
# differ). Idempotent: does nothing when DIR/.complete exists and all photos
# are present.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:-work/quality-sources}
list=${2:-sources.txt}
case "$list" in */*) ;; *) list="$here/$list" ;; esac
[ -f "$list" ] || { echo "no such list: $list" >&2; exit 2; }
mkdir -p "$dir/debs" "$dir/copyright"
dir=$(cd "$dir" && pwd)

entries() {  # package version path sha256 flat-name, one a line
  grep -v '^#' "$list" | awk 'NF >= 4 { print $1, $2, $3, $4, (NF >= 5 ? $5 : "") }' |
    while read -r pkg ver path sha name; do echo "$pkg $ver $path $sha ${name:-$(basename "$path")}"; done
}

done_already=1
while read -r pkg ver path sha name; do
  [ -f "$dir/$name" ] || done_already=0
done < <(entries)
[ -f "$dir/.complete" ] && [ "$done_already" = 1 ] && exit 0

for pkg in $(entries | awk '{print $1 "=" $2}' | sort -u); do
  name=${pkg%%=*}
  if ! ls "$dir/debs/${name}"_*.deb > /dev/null 2>&1; then
    echo "downloading $pkg ..." >&2
    # Pinned version first; fall back to the candidate version if apt no longer has it.
    (cd "$dir/debs" && { apt-get download -q "$pkg" > /dev/null 2>&1 || apt-get download -q "$name" > /dev/null; }) \
      || { echo "apt-get download $name failed (try apt-get update)" >&2; exit 1; }
  fi
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for deb in "$dir"/debs/*.deb; do
  name=$(dpkg-deb -f "$deb" Package)
  awk -v p="$name" '$1 == p { found = 1 } END { exit !found }' < <(entries) || continue
  dpkg-deb -x "$deb" "$tmp/$name"
  cp "$tmp/$name/usr/share/doc/$name/copyright" "$dir/copyright/$name"
  echo "$name $(dpkg-deb -f "$deb" Version)" > "$dir/copyright/$name.version"
done

bad=0
while read -r pkg ver path sha name; do
  src="$tmp/$pkg/$path"
  [ -f "$src" ] || { echo "missing $path in $pkg" >&2; exit 1; }
  cp "$src" "$dir/$name"
  got=$(sha256sum "$src" | cut -c1-64)
  [ "$got" = "$sha" ] || { echo "warning: $path differs from the recorded sha256 (package version changed?)" >&2; bad=1; }
done < <(entries)
touch "$dir/.complete"
[ "$bad" = 0 ] || echo "warning: outputs will not match the documented recipe byte for byte" >&2
echo "sources ready: $dir ($(entries | wc -l) photos)" >&2
