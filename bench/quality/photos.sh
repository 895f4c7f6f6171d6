#!/usr/bin/env bash
# Builds (once) the real-photo benchmark set in work/quality/photos: Debian
# wallpaper photographs with edits and faults (make-photos.py). Used by the
# quality benchmark and, as the real-photo ingest set, by make bench.
# Usage: bench/quality/photos.sh   (prints the folder; needs apt-get download
# and PyPI the first time)
set -euo pipefail
cd "$(dirname "$0")/../.."
top=work/quality
photos=$top/photos
if [ ! -f "$photos/.complete" ]; then
  echo "== building the benchmark photos in $photos ==" >&2
  bash bench/quality/venv.sh "$top/venv"
  rm -rf "$photos.tmp"
  bash bench/quality/fetch-sources.sh "$top/sources" >&2
  "$top/venv/bin/python" bench/quality/make-photos.py --sources "$top/sources" --out "$photos.tmp" --seed 1 >&2
  touch "$photos.tmp/.complete"
  rm -rf "$photos" && mv "$photos.tmp" "$photos"
fi
echo "$photos"
