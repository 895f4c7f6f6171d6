#!/usr/bin/env bash
# Fetches the source photographs of the quality benchmark from Debian packages.
# Usage: bench/quality/fetch-sources.sh [DIR]   (default work/quality-sources)
# `apt-get download`s (never installs) the packages named in sources.txt into
# DIR/debs/, then extracts only the listed photos into DIR/ (flat names) and
# each package's copyright file into DIR/copyright/<package>. Checks every
# photo's sha256 against sources.txt (a mismatch is a warning: the recipe then
# still runs but its output bytes differ). Idempotent: does nothing when
# DIR/.complete exists and all photos are present.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:-work/quality-sources}
list="$here/sources.txt"
mkdir -p "$dir/debs" "$dir/copyright"
dir=$(cd "$dir" && pwd)

done_already=1
while read -r pkg ver path sha; do
  [ -f "$dir/$(basename "$path")" ] || done_already=0
done < <(grep -v '^#' "$list")
[ -f "$dir/.complete" ] && [ "$done_already" = 1 ] && exit 0

for pkg in $(grep -v '^#' "$list" | awk '{print $1 "=" $2}' | sort -u); do
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
  grep -q "^$name " "$list" || continue
  dpkg-deb -x "$deb" "$tmp/$name"
  cp "$tmp/$name/usr/share/doc/$name/copyright" "$dir/copyright/$name"
  echo "$name $(dpkg-deb -f "$deb" Version)" > "$dir/copyright/$name.version"
done

bad=0
while read -r pkg ver path sha; do
  src="$tmp/$pkg/$path"
  [ -f "$src" ] || { echo "missing $path in $pkg" >&2; exit 1; }
  cp "$src" "$dir/$(basename "$path")"
  got=$(sha256sum "$src" | cut -c1-64)
  [ "$got" = "$sha" ] || { echo "warning: $path differs from the recorded sha256 (package version changed?)" >&2; bad=1; }
done < <(grep -v '^#' "$list")
touch "$dir/.complete"
[ "$bad" = 0 ] || echo "warning: outputs will not match the documented recipe byte for byte" >&2
echo "sources ready: $dir ($(grep -vc '^#' "$list") photos)" >&2
