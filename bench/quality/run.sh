#!/usr/bin/env bash
# make bench-quality: the real-photo quality benchmark (docs/quality-benchmark.md).
# Builds the benchmark photos once, then runs the whole pipeline (make all) on
# the single split and on each k-fold split, fits the hand-made-statistics
# baseline on the same shards, and prints one table per benchmark folder.
#
#   bench/quality/run.sh [--family a|b|a,b] [--split strict|groups|strict,groups]
#                        [--config configs/default.yaml] [--folds 5] [--steps N] [--name NAME] [--no-single]
#
# --family: the photo set (a: sources.txt, b: sources-b.txt); default a.
# --split strict (the default, the headline): photos laid out by source
#   photograph (photos.sh ... strict) with ingest.groups.whole_folders: true,
#   so no source photograph is on both sides of a split.
#   --split groups: the flat folder, split by Keepers' burst groups.
# A comma list runs each combination (splits outer, families inner) and then
# prints a combined table (work/quality/<NAME>-summary.txt).
# --steps overrides train.steps (for screening); results go to
# work/quality/<NAME>-<family>-<split>/ (NAME defaults to the base config's name).
set -euo pipefail
cd "$(dirname "$0")/../.."

usage="usage: $0 [--family a|b|a,b] [--split strict|groups|strict,groups] [--config FILE] [--folds K] [--steps N] [--name NAME] [--no-single]"
base=configs/default.yaml folds=5 steps="" name="" single=1 families=a splits=strict
while [ $# -gt 0 ]; do
  case "$1" in
    --family) families=$2; shift 2 ;;
    --split) splits=$2; shift 2 ;;
    --config) base=$2; shift 2 ;;
    --folds) folds=$2; shift 2 ;;
    --steps) steps=$2; shift 2 ;;
    --name) name=$2; shift 2 ;;
    --no-single) single=0; shift ;;
    *) echo "$usage" >&2; exit 2 ;;
  esac
done
[ -f "$base" ] || { echo "no such config: $base" >&2; exit 2; }
[[ "$folds" =~ ^[0-9]+$ ]] || { echo "--folds: expected a number" >&2; exit 2; }
[ -z "$steps" ] || [[ "$steps" =~ ^[0-9]+$ ]] || { echo "--steps: expected a number" >&2; exit 2; }
[[ "$families" =~ ^(a|b)(,(a|b))*$ ]] || { echo "--family: a, b or a,b" >&2; exit 2; }
[[ "$splits" =~ ^(strict|groups)(,(strict|groups))*$ ]] || { echo "--split: strict, groups or strict,groups" >&2; exit 2; }
[ "$single" = 1 ] || [ "$folds" -ge 1 ] || { echo "nothing to run: --no-single with --folds 0" >&2; exit 2; }
name=${name:-$(basename "$base" .yaml)}
[[ "$name" =~ ^[A-Za-z0-9_.-]+$ ]] || { echo "--name: letters, digits, . _ - only" >&2; exit 2; }

top=work/quality
venv=$top/venv
bash bench/quality/venv.sh "$venv"
py=$venv/bin/python

bench() {  # family split -> runs one benchmark folder, prints its summary
  local family=$1 split=$2 out="$top/$name-$1-$2" layout photos
  layout=$([ "$split" = strict ] && echo strict || echo flat)
  photos=$(bash bench/quality/photos.sh "$family" "$layout")
  mkdir -p "$out/configs"
  local runs=() labels=() run label config args
  [ "$single" = 1 ] && runs+=(single) && labels+=('"split"')
  for ((i = 0; i < folds; i++)); do runs+=("$i"); labels+=("\"fold$i\""); done
  # What summary.py reads: this benchmark's runs only (a folder may hold runs of an earlier --folds).
  printf '{"family": "%s", "split": "%s", "photos": "%s", "config": "%s", "steps": "%s", "runs": [%s]}\n' \
    "$family" "$split" "$photos" "$base" "$steps" "$(IFS=,; echo "${labels[*]}")" > "$out/bench.json"
  for run in "${runs[@]}"; do
    label=$([ "$run" = single ] && echo split || echo "fold$run")
    config="$out/configs/$label.yaml"
    # One config per run, made from the base: the photos, the fold, the split rule, the steps.
    args=(--photos "$photos")
    [ "$run" = single ] || args+=(--folds "$folds" --fold "$run")
    [ "$split" = strict ] && args+=(--whole-folders)
    [ -z "$steps" ] || args+=(--steps "$steps")
    "$py" bench/quality/make-config.py "$base" "$config" "${args[@]}"
    echo "== $name-$family-$split: $label =="
    make --no-print-directory all CONFIG="$config" PHOTOS="$photos" WORK="$out/runs" > "$out/$label.log" 2>&1 \
      || { echo "make all failed for $out $label: see $out/$label.log" >&2; tail -5 "$out/$label.log" >&2; exit 1; }
    "$py" bench/quality/baseline.py --shards "$out/runs/$label/shards" --json "$out/runs/$label/baseline.json" \
      --scores "$out/runs/$label/baseline-scores.csv" > /dev/null
  done
  "$py" bench/quality/summary.py "$out" | tee "$out/summary.txt"
  echo
}

outs=()
for split in ${splits//,/ }; do
  for family in ${families//,/ }; do
    bench "$family" "$split"
    outs+=("$top/$name-$family-$split")
  done
done
if [ "${#outs[@]}" -gt 1 ]; then
  "$py" bench/quality/summary.py --combined "${outs[@]}" | tee "$top/$name-summary.txt"
fi
