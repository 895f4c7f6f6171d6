#!/usr/bin/env bash
# Behaviour unchanged: runs `make all` with two folders of release binaries
# (say, saved before and after a refactor) on the same photos and config, and
# compares what the pipeline wrote. model.h5, scores.csv, metrics.json and the
# manifest must be byte-identical; training's log.jsonl and checkpoints may
# differ only in images_per_second (a timing), which this script strips
# before comparing the logs. Not part of `make test`: the demo config trains
# for a few minutes on each side.
#
# Usage: bench/same-outputs.sh BEFORE_BIN AFTER_BIN [CONFIG] [OUT]
#   e.g. bench/same-outputs.sh /tmp/before-bin .build/release configs/demo.yaml
set -euo pipefail
cd "$(dirname "$0")/.."
before=$1 after=$2 config=${3:-configs/demo.yaml} out=${4:-work/same-outputs}
rm -rf "$out" && mkdir -p "$out"
for side in before after; do
  bin=$before; [ "$side" = after ] && bin=$after
  start=$(date +%s)
  make --no-print-directory BIN="$bin" NO_BUILD=1 CONFIG="$config" WORK="$out/$side" all > "$out/$side.log" 2>&1 \
    || { echo "make all failed with $bin: see $out/$side.log" >&2; exit 1; }
  echo "$side ($bin): $(( $(date +%s) - start )) s"
done
name=$(ls "$out/before")
status=0
for file in train/model.h5 report/scores.csv report/metrics.json ingest/manifest.jsonl; do
  if cmp -s "$out/before/$name/$file" "$out/after/$name/$file"; then
    echo "identical: $file ($(sha256sum < "$out/after/$name/$file" | cut -c1-16))"
  else
    echo "DIFFERENT: $file"; status=1
  fi
done
strip() { sed 's/"images_per_second":[0-9.e+-]*,//' "$1"; }
if cmp -s <(strip "$out/before/$name/train/log.jsonl") <(strip "$out/after/$name/train/log.jsonl"); then
  echo "identical but for images_per_second: train/log.jsonl"
else
  echo "DIFFERENT: train/log.jsonl"; status=1
fi
exit $status
