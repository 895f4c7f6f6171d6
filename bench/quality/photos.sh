#!/usr/bin/env bash
# Builds (once) a real-photo benchmark set and prints its folder: Debian
# photographs with edits and faults (make-photos.py). Used by the quality
# benchmark and, family a's flat folder, as the real-photo ingest set of
# make bench.
# Usage: bench/quality/photos.sh [a|b] [flat|strict]   (default: a flat)
#   family a: work/quality/photos     (sources.txt,   work/quality/sources)
#   family b: work/quality/photos-b   (sources-b.txt, work/quality/sources-b)
#   strict:   the same photos laid out by source photograph in <folder>-strict
#             (strict-tree.py: hard links), for ingest.groups.whole_folders
# Needs apt-get download and PyPI the first time.
set -euo pipefail
cd "$(dirname "$0")/../.."
family=${1:-a} layout=${2:-flat}
top=work/quality
case "$family" in
  a) photos=$top/photos sources=$top/sources list=sources.txt ;;
  b) photos=$top/photos-b sources=$top/sources-b list=sources-b.txt ;;
  *) echo "usage: $0 [a|b] [flat|strict]" >&2; exit 2 ;;
esac
case "$layout" in flat|strict) ;; *) echo "usage: $0 [a|b] [flat|strict]" >&2; exit 2 ;; esac

if [ ! -f "$photos/.complete" ]; then
  echo "== building the benchmark photos (family $family) in $photos ==" >&2
  bash bench/quality/venv.sh "$top/venv"
  rm -rf "$photos.tmp"
  bash bench/quality/fetch-sources.sh "$sources" "$list" >&2
  "$top/venv/bin/python" bench/quality/make-photos.py --family "$family" --sources "$sources" --out "$photos.tmp" --seed 1 >&2
  touch "$photos.tmp/.complete"
  rm -rf "$photos" && mv "$photos.tmp" "$photos"
fi
if [ "$layout" = strict ]; then
  strict=$photos-strict
  if [ ! -f "$strict/.complete" ] || [ "$photos/.complete" -nt "$strict/.complete" ]; then
    bash bench/quality/venv.sh "$top/venv"
    "$top/venv/bin/python" bench/quality/strict-tree.py "$photos" "$strict" >&2
  fi
  photos=$strict
fi
echo "$photos"
