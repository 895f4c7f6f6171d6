#!/usr/bin/env bash
# RAW ingest throughput on its two paths (docs/ingest.md, RAW files): DNGs of
# 4000x3000 (12 MP, 16-bit uncompressed) made from a real photograph by
# e2e/fixtures/make-dng.py, one set with a 1620-pixel embedded JPEG preview
# (what Canon bodies embed) and one without (half-size demosaic), and the
# same photo as a 4000x3000 JPEG for reference (the machine is shared: read
# the ratios).
# Usage: bench/raw.sh [COUNT] (default 24). BIN=.build/debug to use a debug build.
# keepers-ingest, 2 threads, warm page cache, 480 px; prints one row per path.
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-24}
bin=${BIN:-.build/release}
set_dir=work/bench/raw-$count
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

if [ ! -f "$set_dir/.complete" ]; then
  echo "generating $count 4000x3000 DNGs per path in $set_dir ..." >&2
  python=$(e2e/fixtures/venv.sh)
  mkdir -p "$set_dir"
  "$python" e2e/fixtures/make-dng.py sample:coffee "$set_dir/half.dng" --size 4000x3000
  "$python" e2e/fixtures/make-dng.py sample:coffee "$set_dir/preview.dng" --size 4000x3000 --preview 1620
  # The reference: the same photo as a camera JPEG.
  "$python" -c 'import sys; from PIL import Image; Image.open(sys.argv[1]).convert("RGB").resize((4000, 3000)).save(sys.argv[2], "JPEG", quality=90)' \
    "$("$python" -c 'import importlib.util, os; print(os.path.dirname(importlib.util.find_spec("skimage").origin))')/data/coffee.png" \
    "$set_dir/jpeg.dng"
  for path in half preview jpeg; do
    mkdir -p "$set_dir/$path/good" "$set_dir/$path/bad"
    # Distinct bytes per copy (ingest stores identical files once); LibRaw
    # and libjpeg ignore the tail. (The JPEGs are named .dng only here.)
    for i in $(seq "$count"); do { cat "$set_dir/$path.dng"; printf '%08d' "$i"; } > "$set_dir/$path/good/$i.dng"; done
  done
  touch "$set_dir/.complete"
fi

printf "%-48s %10s %12s\n" "ingest, $count photos 4000x3000 -> 480 px" "images/s" "peak RSS MiB"
for path in jpeg preview half; do
  cat "$set_dir/$path"/good/*.dng > /dev/null   # warm the page cache
  printf 'photos: %s\ningest:\n  width: 480\n  threads: 2\n' "$set_dir/$path" > "$out/$path.yaml"
  /usr/bin/time -f '%e %M' -o "$out/time" "$bin/keepers-ingest" --config "$out/$path.yaml" --work "$out/work" \
    > /dev/null 2> "$out/stderr" || { cat "$out/stderr" >&2; exit 1; }
  read -r sec rss < "$out/time"
  case $path in
    jpeg) label="JPEG, same photo (reference)" ;;
    preview) label="DNG, embedded preview" ;;
    half) label="DNG, half-size demosaic" ;;
  esac
  awk -v n="$count" -v s="$sec" -v r="$rss" -v l="keepers-ingest, $label" 'BEGIN { printf "%-48s %10.1f %12.0f\n", l, n / s, r / 1024 }'
done
