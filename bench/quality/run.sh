#!/usr/bin/env bash
# make bench-quality: the real-photo quality benchmark (docs/quality-benchmark.md).
# Builds the benchmark photos once, then runs the whole pipeline (make all) on
# the default split and on each k-fold split, fits the hand-made-statistics
# baseline on the same shards, and prints one table.
#
#   bench/quality/run.sh [--config configs/default.yaml] [--folds 5] [--steps N] [--name NAME] [--no-single]
#
# --steps overrides train.steps (for screening); results go to
# work/quality/<NAME>/ (NAME defaults to the base config's name).
set -euo pipefail
cd "$(dirname "$0")/../.."

base=configs/default.yaml folds=5 steps="" name="" single=1
while [ $# -gt 0 ]; do
  case "$1" in
    --config) base=$2; shift 2 ;;
    --folds) folds=$2; shift 2 ;;
    --steps) steps=$2; shift 2 ;;
    --name) name=$2; shift 2 ;;
    --no-single) single=0; shift ;;
    *) echo "usage: $0 [--config FILE] [--folds K] [--steps N] [--name NAME] [--no-single]" >&2; exit 2 ;;
  esac
done
[ -f "$base" ] || { echo "no such config: $base" >&2; exit 2; }
[[ "$folds" =~ ^[0-9]+$ ]] || { echo "--folds: expected a number" >&2; exit 2; }
[ -z "$steps" ] || [[ "$steps" =~ ^[0-9]+$ ]] || { echo "--steps: expected a number" >&2; exit 2; }
name=${name:-$(basename "$base" .yaml)}
[[ "$name" =~ ^[A-Za-z0-9_.-]+$ ]] || { echo "--name: letters, digits, . _ - only" >&2; exit 2; }

top=work/quality
venv=$top/venv
out=$top/$name
bash bench/quality/venv.sh "$venv"
py=$venv/bin/python

photos=$(bash bench/quality/photos.sh)

mkdir -p "$out/configs"
# One config per run, made from the base: the photos, the fold, the steps.
make_config() {  # name fold
  local file="$out/configs/$1.yaml"
  sed -e "s|^photos:.*|photos: $photos|" "$base" > "$file.tmp"
  if [ "$2" != single ]; then
    sed -i -e "s|^ingest:[[:space:]]*$|ingest:\n  folds: $folds\n  fold: $2|" "$file.tmp"
    grep -q "^  fold: $2\$" "$file.tmp" || { echo "$base has no 'ingest:' section line" >&2; exit 1; }
  fi
  if [ -n "$steps" ]; then sed -i -e "s|^  steps:.*|  steps: $steps|" "$file.tmp"; fi
  mv "$file.tmp" "$file"
  echo "$file"
}

runs=()
[ "$single" = 1 ] && runs+=(single)
for ((i = 0; i < folds; i++)); do runs+=("$i"); done
for run in "${runs[@]}"; do
  label=$([ "$run" = single ] && echo split || echo "fold$run")
  config=$(make_config "$label" "$run")
  echo "== $name: $label =="
  make --no-print-directory all CONFIG="$config" PHOTOS="$photos" WORK="$out/runs" > "$out/$label.log" 2>&1 \
    || { echo "make all failed for $label: see $out/$label.log" >&2; exit 1; }
  "$py" bench/quality/baseline.py --shards "$out/runs/$label/shards" --json "$out/runs/$label/baseline.json" > /dev/null
done
"$py" bench/quality/summary.py "$out" | tee "$out/summary.txt"
