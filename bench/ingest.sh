#!/usr/bin/env bash
# Ingest throughput against vipsthumbnail on camera-sized JPEGs.
# Usage: bench/ingest.sh [COUNT] (default 120). Prints one table row each.
# Both tools resize the same files to 480 px wide PNGs, two at a time
# (ingest: 2 worker threads; vipsthumbnail: 2 processes), from a warm page
# cache. Keepers also hashes every file, dedupes and writes the manifest.
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-120}
bin=.build/release
set_dir=work/bench/camera-$count
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

if [ ! -f "$set_dir/.complete" ]; then
  echo "generating $count camera-sized (4000x3000) JPEGs in $set_dir ..." >&2
  "$bin/keepers-samples" "$set_dir" --count "$count" --fixed-size 4000x3000 >&2
  touch "$set_dir/.complete"
fi
cat "$set_dir"/*/*.jpg > /dev/null   # warm the page cache for both tools

cat > "$out/bench.yaml" <<YAML
photos: $set_dir
ingest:
  width: 480
  threads: 2
YAML

measure() {  # prints "seconds peak_rss_kib" of the command
  /usr/bin/time -f '%e %M' -o "$out/time" "$@" > /dev/null 2>"$out/stderr" || { cat "$out/stderr" >&2; exit 1; }
  cat "$out/time"
}

read -r k_sec k_rss < <(measure "$bin/keepers-ingest" --config "$out/bench.yaml" --work "$out/work")
mkdir -p "$out/thumbs"
read -r v_sec v_rss < <(measure bash -c "find '$set_dir' -name '*.jpg' -print0 | xargs -0 -n 10 -P 2 vipsthumbnail -s 480x -o '$out/thumbs/%s.png[compression=1]'")

awk -v n="$count" -v ks="$k_sec" -v kr="$k_rss" -v vs="$v_sec" -v vr="$v_rss" 'BEGIN {
  printf "%-44s %10s %12s\n", "ingest, " n " JPEGs 4000x3000 -> 480 px", "images/s", "peak RSS MiB"
  printf "%-44s %10.1f %12.0f\n", "keepers-ingest (2 threads, hash+manifest)", n / ks, kr / 1024
  printf "%-44s %10.1f %12.0f\n", "vipsthumbnail (2 processes)", n / vs, vr / 1024
  printf "%-44s %10.2f\n", "ratio keepers / vipsthumbnail", vs / ks
}'
