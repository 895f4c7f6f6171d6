#!/usr/bin/env bash
# Ingest and predict throughput against two anchors, on two sets of camera
# JPEGs resized to 480 px wide, everything two-way parallel, warm page cache:
#   camera  COUNT generated 4000x3000 JPEGs (work/bench/camera-COUNT)
#   real    the real-photo benchmark's JPEGs with a long side of 1200-3000 px
#           (work/quality/photos, built once by bench/quality/photos.sh)
# Anchors: vipsthumbnail (2 processes, PNG out) and PyPI Pillow with draft()
# (bench/pillow_resize.py, 2 processes; to PNG for ingest, in memory for
# predict), in a venv made here (work/bench/venv).
# Usage: bench/ingest.sh [COUNT]   (default 120; BIN=dir times other binaries)
# Prints one line per measurement: "row SET TOOL images/s peak-RSS-MiB".
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-120}
bin=${BIN:-.build/release}
venv=work/bench/venv
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

if ! "$venv/bin/python" -c 'import PIL, numpy' 2>/dev/null; then
  echo "creating $venv (PyPI Pillow, numpy) ..." >&2
  python3 -m venv "$venv" >&2
  "$venv/bin/python" -m pip install -q --disable-pip-version-check Pillow numpy >&2
fi
py=$venv/bin/python

camera=work/bench/camera-$count
if [ ! -f "$camera/.complete" ]; then
  echo "generating $count camera-sized (4000x3000) JPEGs in $camera ..." >&2
  "$bin/keepers-samples" "$camera" --count "$count" --fixed-size 4000x3000 >&2
  touch "$camera/.complete"
fi
# The real set: links to the photos whose long side is 1200-3000 px, in the
# class folders ingest expects.
real=work/bench/real
if [ ! -f "$real/.complete" ]; then
  photos=$(bash bench/quality/photos.sh)
  rm -rf "$real" && mkdir -p "$real"
  "$py" - "$photos" "$real" <<'PY'
import os, sys
from PIL import Image
src, dst = sys.argv[1:]
for label in ("good", "bad"):
    os.makedirs(os.path.join(dst, label))
    for name in sorted(os.listdir(os.path.join(src, label))):
        path = os.path.abspath(os.path.join(src, label, name))
        with Image.open(path) as image:
            if image.format == "JPEG" and 1200 <= max(image.size) <= 3000:
                os.symlink(path, os.path.join(dst, label, name))
PY
  touch "$real/.complete"
fi

quiet() {  # runs a command, showing its output only when it fails
  "$@" > /dev/null 2>"$out/stderr" || { cat "$out/stderr" >&2; exit 1; }
}
# One line per tool: images/s (wall clock), peak RSS, and CPU time per image
# (user + system, all processes): on a busy machine the CPU time says more.
row() {  # row SET TOOL FILES -- command...
  local set=$1 tool=$2 files=$3
  shift 4
  quiet /usr/bin/time -f '%e %M %U %S' -o "$out/time" "$@"
  awk -v s="$set" -v t="$tool" -v n="$files" '{
    printf "row %-7s %-22s %8.1f %6.0f %8.1f\n", s, t, n / $1, $2 / 1024, 1000 * ($3 + $4) / n }' "$out/time"
}

source bench/config.sh

echo "CPU: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; load at start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "row SET     TOOL                   images/s    RSS   CPU ms/image"
model="" bbmodel=""
for set in camera real; do
  dir=$camera; [ "$set" = real ] && dir=$real
  find -L "$dir" -name '*.jpg' | LC_ALL=C sort > "$out/list"
  files=$(wc -l < "$out/list")
  cat $(cat "$out/list") > /dev/null   # warm the page cache for every tool
  cfg=$(config "$dir" "$set")
  row "$set" keepers-ingest "$files" -- "$bin/keepers-ingest" --config "$cfg" --work "$out/work"
  # The same without burst grouping (docs/groups.md), from scratch too.
  row "$set" keepers-ingest-nogroup "$files" -- "$bin/keepers-ingest" --config "$(config "$dir" "$set-nogroup" false)" --work "$out/work"
  # With the pretrained backbone's features (docs/backbone.md), from scratch.
  bbcfg=$(config "$dir" "$set-backbone" true efficientnet-lite0)
  row "$set" keepers-ingest-backbone "$files" -- "$bin/keepers-ingest" --config "$bbcfg" --work "$out/work"
  mkdir -p "$out/vips-$set" "$out/pil-$set"
  row "$set" vipsthumbnail "$files" -- bash -c \
    "tr '\n' '\0' < '$out/list' | xargs -0 -n 10 -P 2 vipsthumbnail -s 480x -o '$out/vips-$set/%s.png[compression=1]'"
  row "$set" pillow-draft-png "$files" -- "$py" bench/pillow_resize.py "$out/list" 480 2 "$out/pil-$set"
  row "$set" pillow-draft-memory "$files" -- "$py" bench/pillow_resize.py "$out/list" 480 2
  # A model to score with: 20 steps on the camera set (speed does not depend
  # on the weights).
  if [ -z "$model" ]; then
    quiet "$bin/keepers-shard" --config "$cfg" --work "$out/work"
    quiet "$bin/keepers-train" --config "$cfg" --work "$out/work"
    model=$out/work/$set/train/model.h5
    quiet "$bin/keepers-shard" --config "$bbcfg" --work "$out/work"
    quiet "$bin/keepers-train" --config "$bbcfg" --work "$out/work"
    bbmodel=$out/work/$set-backbone/train/model.h5
  fi
  # The files by name (the real set's are symbolic links, which a folder
  # argument would skip).
  row "$set" keepers-predict "$files" -- "$bin/keepers-predict" --model "$model" --threads 2 $(cat "$out/list")
  row "$set" keepers-predict-backbone "$files" -- "$bin/keepers-predict" --model "$bbmodel" --threads 2 $(cat "$out/list")
done
echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg)"
