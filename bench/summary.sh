#!/usr/bin/env bash
# Prints one table from the outputs `make bench` saved in work/bench/*.txt:
# each Keepers figure next to its reference measured in the same session.
set -euo pipefail
dir=${1:-work/bench}
num() { grep -oE "$1" "$2" 2>/dev/null | head -1 | grep -oE '[0-9]+(\.[0-9]+)?$' || true; }
anchor() {  # anchor() VARIANT COLUMN: a column of the anchors' throughput table
  awk -F'|' -v variant="$1" -v col="$2" '$3 ~ "^ *"variant" *$" { gsub(/ /, "", $col); print $col; exit }' \
    "$dir/anchors/tables.md" 2>/dev/null || true
}
row() {  # row NAME KEEPERS REFERENCE-NAME REFERENCE [higher|lower]
  local ratio=""
  if [[ -n "$2" && -n "$4" ]]; then
    ratio=$(awk -v k="$2" -v r="$4" -v sense="${5:-higher}" 'BEGIN {
      if (sense == "share") printf "%.1f%%", 100 * k / r; else printf "%.2fx", sense == "higher" ? k / r : r / k }')
  fi
  printf "| %-50s | %9s | %-34s | %9s | %7s |\n" "$1" "${2:--}" "$3" "${4:--}" "${ratio:--}"
}

ing=$dir/ingest.txt; sh=$dir/shards.txt; net=$dir/network.txt; bb=$dir/backbone.txt
train=$(num 'train 320x480: [0-9.]+' "$net"); mixed=$(num 'train mixed [^:]*: [0-9.]+' "$net")
infer=$(num 'infer 320x480: [0-9.]+' "$net"); infer2=$(num 'infer 320x480, flip_average: true: [0-9.]+' "$net"); rss=$(grep -oE 'peak RSS [0-9]+ MiB' "$net" 2>/dev/null | tail -1 | grep -oE '[0-9]+' || true)
t_train=$(anchor "channels_last\\+tcmalloc" 5); t_mixed=$(anchor "channels_last\\+tcmalloc" 8)
t_infer=$(anchor "channels_last\\+tcmalloc" 9); t_rss=$(anchor "channels_last\\+tcmalloc" 10)
k_infer=$(anchor "channels_last,intra=2,inter=1" 9)
# bench/ingest.sh prints "row SET TOOL images/s peak-RSS-MiB CPU-ms-per-image".
ingest() { awk -v s="$1" -v t="$2" -v f="$3" '$1 == "row" && $2 == s && $3 == t { print $f; exit }' "$ing" 2>/dev/null || true; }
batch=$(awk '$1 == "none" { print $(NF-2) }' "$sh" 2>/dev/null || true)
step_ms=$( [[ -n "$train" ]] && awk -v t="$train" 'BEGIN { printf "%.1f", 4000 / t }' || true)

echo
grep -E '^(CPU|load)' "$ing" 2>/dev/null || true
echo
echo "| measure | Keepers | reference | reference | Keepers' advantage (>1x better) |"
echo "|---|---|---|---|---|"
row "training 320x480, images/s" "$train" "PyTorch+tcmalloc (anchor)" "$t_train"
row "training mixed sizes, images/s" "$mixed" "PyTorch+tcmalloc (anchor)" "$t_mixed"
row "inference 320x480, images/s" "$infer" "PyTorch+tcmalloc (anchor)" "$t_infer"
row "inference 320x480, images/s" "$infer" "Keras/TensorFlow (anchor)" "$k_infer"
row "inference 320x480 with flip_average, images/s" "$infer2" "PyTorch+tcmalloc (anchor)" "$t_infer"
row "training peak RSS, MiB" "$rss" "PyTorch+tcmalloc (anchor)" "$t_rss" lower
row "backbone EfficientNet-Lite0 320x480, images/s" "$(num 'keepers backbone 320x480 batch 1: [0-9.]+' "$bb")" \
  "PyTorch, same weights, batch 1" "$(num 'torch backbone 320x480 batch 1: [0-9.]+' "$bb")"
row "backbone EfficientNet-Lite0 320x480, images/s" "$(num 'keepers backbone 320x480 batch 1: [0-9.]+' "$bb")" \
  "PyTorch, same weights, batch 4" "$(num 'torch backbone 320x480 batch 4: [0-9.]+' "$bb")"
for set in camera real; do
  what="4000x3000"; [ "$set" = real ] && what="real 1200-3000 px"
  row "ingest $what JPEG -> 480 px, images/s" "$(ingest $set keepers-ingest 4)" "vipsthumbnail -> PNG, 2 processes" "$(ingest $set vipsthumbnail 4)"
  row "ingest $what JPEG -> 480 px, images/s" "$(ingest $set keepers-ingest 4)" "Pillow draft() -> PNG, 2 processes" "$(ingest $set pillow-draft-png 4)"
  row "ingest $what, CPU ms/image" "$(ingest $set keepers-ingest 6)" "vipsthumbnail, 2 processes" "$(ingest $set vipsthumbnail 6)" lower
  row "ingest $what, CPU ms/image" "$(ingest $set keepers-ingest 6)" "Pillow draft() -> PNG" "$(ingest $set pillow-draft-png 6)" lower
  row "ingest $what, peak RSS MiB" "$(ingest $set keepers-ingest 5)" "vipsthumbnail, 2 processes" "$(ingest $set vipsthumbnail 5)" lower
  row "ingest $what, CPU ms/image" "$(ingest $set keepers-ingest 6)" "keepers-ingest without groups" "$(ingest $set keepers-ingest-nogroup 6)" lower
  row "predict $what JPEG, images/s" "$(ingest $set keepers-predict 4)" "vipsthumbnail -> PNG, 2 processes" "$(ingest $set vipsthumbnail 4)"
  row "predict $what JPEG, images/s" "$(ingest $set keepers-predict 4)" "Pillow draft(), in memory, 2 proc." "$(ingest $set pillow-draft-memory 4)"
  row "predict $what, CPU ms/image" "$(ingest $set keepers-predict 6)" "vipsthumbnail, 2 processes" "$(ingest $set vipsthumbnail 6)" lower
  row "predict $what, peak RSS MiB" "$(ingest $set keepers-predict 5)" "vipsthumbnail, 2 processes" "$(ingest $set vipsthumbnail 5)" lower
  row "ingest $what with backbone, images/s" "$(ingest $set keepers-ingest-backbone 4)" "keepers-ingest without it" "$(ingest $set keepers-ingest 4)"
  row "predict $what with backbone, images/s" "$(ingest $set keepers-predict-backbone 4)" "keepers-predict without it" "$(ingest $set keepers-predict 4)"
done
row "random batch of 4 from shards, ms" "$batch" "one training step, ms" "$step_ms" share
[[ -f "$dir/anchors/tables.md" ]] || echo "(no anchor figures: ../shared/anchors/train/run.sh was not found)"
