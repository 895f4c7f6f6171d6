#!/usr/bin/env bash
# make bench-scale: does the cost per photo of ingest and predict stay flat as
# the library grows (issue 24)? For each N in SCALE_N (default "2000 20000"):
#   1. a synthetic library of N photos, made once and kept in
#      work/bench/scale-N/photos/{good,bad} (work/bench/scale-N/.complete):
#      keepers-samples' landscapes (long side 800-2400 px, aspects 3:2, 4:3,
#      16:9, 2:3, 1:1, capture times in EXIF, N/40 bursts of 4 frames), then
#      bench/scale_library.py: 35% cropped to other aspects (panoramas 3:1,
#      2:1, 21:9, tall 1:2 and 9:16, 5:4, 4:5, 3:4, free crops), 20% with
#      their EXIF stripped (no capture time, like exports and scans). All in
#      one folder per class, so every untimed photo is compared with every
#      photo (docs/groups.md): the worst case of grouping.
#   2. keepers-ingest (2 threads, groups on; 480 px wide, the defaults) into
#      an empty work directory, and the same with groups off;
#      keepers-predict --threads 2 on the same folder, with its burst grouping
#      and with --no-groups, using a model trained 20 steps on 200 other
#      samples (work/bench/scale-model; speed does not depend on the weights).
#   Each under /usr/bin/time: one row per run with images/s (wall clock), CPU
#   ms per photo (user + system), peak RSS, and the cores other processes
#   used meanwhile (/proc/stat), since the machine may be shared.
# Then the ratios of each larger N to the smallest against issue 24's
# targets (20,000 vs 2,000: CPU ms per photo within 1.3x, peak RSS within
# 1.2x), PASS or FAIL.
# Environment: SCALE_N sizes; SCALE_NOGROUP=0 skips the runs without
# grouping, SCALE_NOGROUP=ingest runs only ingest's; SCALE_UNTIMED (0.2) and
# SCALE_CROPPED (0.35) shares and SCALE_SIZE keepers-samples' --size-scale
# (1), used when a library is made; BIN (.build/release) the binaries.
# OMP_WAIT_POLICY is passive unless set: oneDNN's idle threads then sleep
# instead of spinning, so that predict's CPU time measures its work and not
# how busy the rest of the machine is.
# Disk: a library takes about 0.4 MB a photo, and ingest's stored images
# (removed after each run) 0.5 MB.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${BIN:-.build/release}
sizes=${SCALE_N:-2000 20000}
nogroup=${SCALE_NOGROUP:-1}
untimed=${SCALE_UNTIMED:-0.2}
cropped=${SCALE_CROPPED:-0.35}
sizescale=${SCALE_SIZE:-1}
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-passive}
venv=work/bench/venv
out=$(mktemp -d "${TMPDIR:-/tmp}/keepers-scale.XXXXXX")
trap 'rm -rf "$out"' EXIT
for n in $sizes; do
  [[ $n =~ ^[0-9]+$ && $n -ge 40 ]] || { echo "SCALE_N: $n is not a number of photos (40 or more)" >&2; exit 2; }
done

if ! "$venv/bin/python" -c 'import PIL, numpy' 2>/dev/null; then
  echo "creating $venv (PyPI Pillow, numpy) ..." >&2
  python3 -m venv "$venv" >&2
  "$venv/bin/python" -m pip install -q --disable-pip-version-check Pillow numpy >&2
fi
py=$venv/bin/python

quiet() {  # runs a command, showing its output only when it fails
  "$@" > "$out/stdout" 2>"$out/stderr" || { cat "$out/stdout" "$out/stderr" >&2; exit 1; }
}

library() {  # library N: makes work/bench/scale-N once; prints its photos folder
  local n=$1 dir=work/bench/scale-$1 start bursts
  if [ ! -f "$dir/.complete" ]; then
    start=$(date +%s)
    bursts=$((n / 40))
    if [ ! -f "$dir/.samples-complete" ]; then
      echo "generating $n photos in $dir ..." >&2
      quiet "$bin/keepers-samples" "$dir/samples" --count "$n" --bursts "$bursts" --size-scale "$sizescale"
      touch "$dir/.samples-complete"
    fi
    "$py" bench/scale_library.py "$dir/samples" "$dir/photos" $((n - 4 * bursts)) "$untimed" "$cropped" >&2
    rm -rf "$dir/samples"
    echo "$dir: $n photos in $(( $(date +%s) - start )) s, $(du -sh "$dir/photos" | cut -f1)" >&2
    touch "$dir/.complete"
  fi
  echo "$PWD/$dir/photos"
}

source bench/config.sh

busy() {  # CPU jiffies all processes have used (user nice system irq softirq steal)
  awk '/^cpu /{ print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat
}
hz=$(getconf CLK_TCK)

# One row per run: N, tool, images/s (wall clock), CPU ms per photo (user +
# system of the run), peak RSS MiB, and the cores the rest of the machine used
# meanwhile. Rows also go to $out/rows for the ratios.
row() {  # row N TOOL -- command...
  local n=$1 tool=$2 before after
  shift 3
  before=$(busy)
  quiet /usr/bin/time -f '%e %M %U %S' -o "$out/time" "$@"
  after=$(busy)
  awk -v n="$n" -v t="$tool" -v b="$before" -v a="$after" -v hz="$hz" '{
    others = ((a - b) / hz - $3 - $4) / $1; if (others < 0) others = 0
    printf "row %7d %-24s %8.1f %8.2f %7.0f %6.2f\n", n, t, n / $1, 1000 * ($3 + $4) / n, $2 / 1024, others }' \
    "$out/time" | tee -a "$out/rows"
}

# The model: 20 steps on 200 small samples of their own.
model_lib=work/bench/scale-model
if [ ! -f "$model_lib/.complete" ]; then
  quiet "$bin/keepers-samples" "$model_lib" --count 200 --size-scale 0.5
  touch "$model_lib/.complete"
fi
mcfg=$(config "$PWD/$model_lib" model true)
quiet "$bin/keepers-ingest" --config "$mcfg" --work "$out/model"
quiet "$bin/keepers-shard" --config "$mcfg" --work "$out/model"
quiet "$bin/keepers-train" --config "$mcfg" --work "$out/model"
model=$out/model/model/train/model.h5
[ -f "$model" ] || { echo "no model at $model" >&2; ls -R "$out/model" | head >&2; exit 1; }

echo "CPU: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; OMP_WAIT_POLICY=$OMP_WAIT_POLICY; load at start: $(cut -d' ' -f1-3 /proc/loadavg); $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "row       N TOOL                     images/s  CPU ms/photo  RSS MiB  other cores"
for n in $sizes; do
  photos=$(library "$n")
  files=$(find "$photos" -name '*.jpg' | wc -l)
  [ "$files" -eq "$n" ] || { echo "$photos holds $files photos, not $n: remove work/bench/scale-$n and rerun" >&2; exit 1; }
  find "$photos" -name '*.jpg' -print0 | xargs -0 cat > /dev/null   # warm the page cache
  row "$n" keepers-ingest -- "$bin/keepers-ingest" --config "$(config "$photos" "ingest-$n" true)" --work "$out/work"
  summary=$(grep -h -E '^ingest: [0-9]+ files|^ *[0-9]+ groups: ' "$out/stdout" "$out/stderr" | sed 's/;.*//; s/ (.*//; s/^ *//' | paste -sd";" || true)
  rm -rf "$out/work"
  if [ "$nogroup" != 0 ]; then
    row "$n" keepers-ingest-nogroup -- "$bin/keepers-ingest" --config "$(config "$photos" "nogroup-$n" false)" --work "$out/work"
    rm -rf "$out/work"
  fi
  row "$n" keepers-predict -- "$bin/keepers-predict" --model "$model" --threads 2 --output "$out/predict.csv" "$photos"
  scored=$(awk -F, 'NR > 1 && $2 != ""' "$out/predict.csv" | wc -l)
  if [ "$nogroup" != 0 ] && [ "$nogroup" != ingest ]; then
    row "$n" keepers-predict-nogroup -- "$bin/keepers-predict" --model "$model" --threads 2 --no-groups --output "$out/predict.csv" "$photos"
  fi
  echo "# N=$n: ${summary:-ingest: (no summary line)}; predict scored $scored of $n; load $(cut -d' ' -f1-3 /proc/loadavg)"
done

# Each larger N against the smallest, for every tool measured at both.
awk '
  { cpu[$2, $3] = $5; rss[$2, $3] = $6; if (!($2 in seen)) { seen[$2] = 1; ns[++k] = $2 } if (!($3 in tseen)) { tseen[$3] = 1; tools[++m] = $3 } }
  END {
    if (k < 2) exit
    base = ns[1]; for (i = 2; i <= k; i++) if (ns[i] + 0 < base + 0) base = ns[i]
    print ""
    printf "ratios to N=%d (issue 24: at 20,000 against 2,000, CPU ms/photo within 1.3x, peak RSS within 1.2x)\n", base
    for (i = 1; i <= k; i++) {
      n = ns[i]; if (n == base) continue
      for (j = 1; j <= m; j++) {
        t = tools[j]; if (!((n, t) in cpu) || !((base, t) in cpu)) continue
        c = cpu[n, t] / cpu[base, t]; r = rss[n, t] / rss[base, t]
        printf "ratio %7d/%-7d %-24s CPU ms/photo %5.2fx %s   peak RSS %5.2fx %s\n", n, base, t,
          c, (c <= 1.3 ? "PASS" : "FAIL"), r, (r <= 1.2 ? "PASS" : "FAIL")
      }
    }
  }' "$out/rows"
echo "load at end: $(cut -d' ' -f1-3 /proc/loadavg); $(date -u '+%Y-%m-%d %H:%M UTC')"
