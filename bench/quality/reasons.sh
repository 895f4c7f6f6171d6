#!/usr/bin/env bash
# The culling reasons on the quality benchmark (docs/quality-benchmark.md,
# "Reasons"): trains the default configuration's model of the statistics on
# family a (strict split, the network itself only briefly: reasons come from
# the statistics, the good photos' distribution and the additive model, all
# fitted before the network's first step), predicts every benchmark photo
# with a page, and prints how often the first reason names the applied fault.
#
#   bench/quality/reasons.sh [--scenes N] [--steps N] [--bin DIR]   (make bench-reasons)
#
# --scenes: only the first N scenes of family a (make-photos.py --limit; 80
#   scenes are 202 photos from 10 source photographs), built once in
#   work/quality/photos-subset-N; default: the whole family (photos.sh).
# --steps: labelled training steps (default 50; pretraining off).
# --bin: the keepers executables (default .build/release; NO_BUILD-style,
#   build them first with `swift build -c release`).
# Results: work/quality/reasons-a/ (a subset: reasons-a<N>/): predict.csv,
# page/, reasons.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
steps=50 bin=.build/release scenes=0
while [ $# -gt 0 ]; do
  case "$1" in
    --scenes) scenes=$2; shift 2 ;;
    --steps) steps=$2; shift 2 ;;
    --bin) bin=$2; shift 2 ;;
    *) echo "usage: $0 [--scenes N] [--steps N] [--bin DIR]" >&2; exit 2 ;;
  esac
done
top=work/quality
out=$top/reasons-a$([ "$scenes" = 0 ] || echo "$scenes")
bash bench/quality/venv.sh "$top/venv"
py=$top/venv/bin/python
if [ "$scenes" = 0 ]; then
  photos=$(bash bench/quality/photos.sh a strict)
else
  flat=$top/photos-subset-$scenes
  if [ ! -f "$flat/.complete" ]; then
    bash bench/quality/fetch-sources.sh "$top/sources" sources.txt >&2
    rm -rf "$flat.tmp"
    "$py" bench/quality/make-photos.py --family a --sources "$top/sources" --out "$flat.tmp" --seed 1 --limit "$scenes" >&2
    touch "$flat.tmp/.complete" && rm -rf "$flat" && mv "$flat.tmp" "$flat"
  fi
  photos=$flat-strict
  [ -f "$photos/.complete" ] || "$py" bench/quality/strict-tree.py "$flat" "$photos" >&2
fi
mkdir -p "$out"
config=$out/reasons.yaml
"$py" bench/quality/make-config.py configs/default.yaml "$config" --photos "$photos" --whole-folders --steps "$steps"
sed -i 's/^  pretrain_steps: .*/  pretrain_steps: 0/' "$config"
make --no-print-directory train CONFIG="$config" PHOTOS="$photos" WORK="$out/runs" BIN="$bin" NO_BUILD=1 > "$out/train.log" 2>&1 \
  || { echo "make train failed: see $out/train.log" >&2; tail -5 "$out/train.log" >&2; exit 1; }
"$bin/keepers-predict" --model "$out/runs/reasons/train/model.h5" --output "$out/predict.csv" --page "$out/page" \
  --threshold 0.5 "$photos" 2> "$out/predict.log"
"$py" bench/quality/reasons.py "$photos/recipe.csv" "$out/predict.csv" "$out/runs/reasons/ingest/manifest.jsonl" \
  | tee "$out/reasons.txt"
du -sb "$out/page/thumbs" | awk -v n="$(ls "$out/page/thumbs" | wc -l)" \
  '{ printf "thumbnails: %d files, %.0f KB per 1,000 photos\n", n, $1 / n * 1000 / 1024 }' | tee -a "$out/reasons.txt"
