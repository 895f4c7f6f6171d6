#!/usr/bin/env bash
# Crash safety end to end: `make all` killed over and over, then run to the
# end, must give exactly what an uninterrupted run gives.
#  1. Reference: an uninterrupted run into work-a (stage by stage, timed).
#  2. In work-b, repeatedly: start `make all` in its own process group
#     (setsid), wait until the aimed-at stage has started and written a
#     random number of its files, sleep a random (seeded) fraction of a
#     second, kill -9 the whole group. At least 10 such kills, aimed at
#     ingest, shard, train and report in turn; the stage whose command make
#     echoed last is the one hit (logged as "# run N: ..."). Among
#     them, two gentle stops while training: SIGTERM to keepers-train alone
#     (make must not take the stopped stage for done) and SIGINT to the
#     whole group (Ctrl-C). Should a loaded machine make kills miss (a
#     stage ended first), extra runs restart the missed stage from scratch
#     and aim at it again, until every stage is hit and 10 kills landed.
#  3. `make all` to the end; then model.h5, scores.csv and the other
#     deterministic outputs must be bitwise identical to the reference, the
#     shards must verify, and nothing may reference a temporary file.
#  4. keepers-predict killed (kill -9) once its journal holds a chunk, then
#     run again: it must resume and write the uninterrupted run's CSV and page.
# Prints "ok - name" / "not ok - name" per check, ends with
# "crash: N passed, M failed", exits 1 if any check failed.
# Usage: e2e/crash.sh   (after swift build; CRASH_SEED=7 BIN=... KEEP_TMP=1)
set -euo pipefail
TEST_NAME=crash
source "$(dirname "$0")/common.sh"
RANDOM=${CRASH_SEED:-7}

CONFIG=$TMP/crashtest.yaml
PHOTOS=$TMP/photos
A=$TMP/work-a/crashtest
B=$TMP/work-b/crashtest
started=$(date +%s)
# Big enough that every stage lasts long enough to be hit (ingest on one
# thread, shards gzip-9 compressed), small enough for about two minutes.
make_photos "$PHOTOS" 120 0.2
cat >"$CONFIG" <<EOF
# pipeline for e2e/crash.sh
ingest: {width: 128, height_quantum: 16, threads: 1, split: {train: 0.5, val: 0.25, test: 0.25}}
shard: {compression: gzip, gzip_level: 9}
model:
  layers:
    - {filters: 16, pool: true}
    - {filters: 16, pool: false}
train: {steps: 400, eval_every: 50, checkpoint_every: 10, threads: 2}
report: {bootstrap: 200}
EOF
now_ms() { date +%s%3N; }

# 1. The reference run, one stage per make call to time each stage.
declare -A took
reference_ok=true
for stage in ingest shard train report; do
    t0=$(now_ms)
    if ! pmake "$CONFIG" "$TMP/work-a" "$PHOTOS" "$stage" >"$TMP/ref-$stage.log" 2>&1; then
        echo "# reference make $stage failed:"
        show_log "$TMP/ref-$stage.log"
        reference_ok=false
        break
    fi
    took[$stage]=$(($(now_ms) - t0))
done
check "reference: uninterrupted run completes" $reference_ok
$reference_ok || { finish; exit 1; }
echo "# reference stage times (ms): ingest ${took[ingest]}, shard ${took[shard]}, train ${took[train]}, report ${took[report]}"

# 2. The crash loop. A kill point: the aimed-at stage has started and has
# written a random number k of its files in this run (stored images, shard
# files, checkpoints, report files), then a random sleep: up to 300 ms for
# k <= 1, else up to the time between the last two files. Counting files and timing
# them live, not seconds from the reference, keeps the kills spread over
# every stage however loaded the machine is (its speed varies 5x).
declare -A rank=([startup]=-1 [ingest]=0 [shard]=1 [train]=2 [report]=3)
declare -A folder=([ingest]=ingest/images [shard]=shards [train]=train/checkpoints [report]=report)
# Largest k per stage: most of the images or shard files; 0-2 checkpoints,
# so that training outlasts its six interruptions; 0-3 of the report's files.
declare -A kmax=([ingest]=$(($(find "$A/ingest/images" -type f | wc -l) * 3 / 4))
    [shard]=$(($(find "$A/shards" -name '*.h5' | wc -l) - 2)) [train]=2 [report]=3)
declare -A hit=() hit_in=()
alive() { local state; state=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) && [ -n "$state" ] && [ "$state" != Z ]; }
group_alive() { ps -e -o pgid= -o stat= | awk -v g="$1" '$1 == g && $2 !~ /^Z/ { found = 1 } END { exit !found }'; }
last_stage() { local s; s=$(stages "$1"); s=${s##* }; echo "${s:-startup}"; }
written() { { find "$B/${folder[$1]}" -maxdepth 1 -type f ! -name '.*' -newer "$2" 2>/dev/null || true; } | wc -l; }
# The schedule: what to aim at, and how (kill = kill -9 of the group).
schedule=(ingest:kill ingest:kill ingest:kill shard:kill shard:kill train:kill train:kill train:term
    train:kill train:int train:kill report:kill report:kill report:kill)
killed=0
stopped_ok=true
n=0
declare -A reset=()
# attempt TARGET HOW: one `make all` in work-b, stopped as aimed (run $n).
attempt() {
    local target=$1 how=$2 log pid k deadline count since gap now c delay stage at rc trainer
    n=$((n + 1))
    log=$TMP/run-$n.log
    touch "$TMP/started-$n"
    # env: background jobs of a script start with SIGINT ignored; Ctrl-C must work.
    setsid env --default-signal=INT make --no-print-directory BIN="$BIN" NO_BUILD=1 CONFIG="$CONFIG" \
        WORK="$TMP/work-b" PHOTOS="$PHOTOS" all >"$log" 2>&1 </dev/null &
    pid=$!
    k=$((RANDOM % (kmax[$target] + 1)))
    # A gentle stop should find training in its loop, past start-up.
    [ "$how" = kill ] || k=$((k > 0 ? k : 1))
    # Wait for the aimed-at stage (or a later one) to start, then for k files
    # (at most 5 minutes: a hung stage is killed and shows up in the checks).
    deadline=$(($(now_ms) + 300000))
    while alive "$pid" && [ "${rank[$(last_stage "$log")]}" -lt "${rank[$target]}" ] && [ "$(now_ms)" -lt "$deadline" ]; do
        sleep 0.02
    done
    count=0 since=$(now_ms) gap=300
    while alive "$pid" && [ "$(last_stage "$log")" = "$target" ] && [ "$count" -lt "$k" ] && [ "$(now_ms)" -lt "$deadline" ]; do
        sleep 0.02
        now=$(now_ms) c=$(written "$target" "$TMP/started-$n")
        if [ "$c" -gt "$count" ]; then
            # The first file's wait includes the stage's start-up (for
            # training: loading, fitting the statistics models), which can
            # outlast a whole run of steps: only gaps between files count.
            [ "$count" -eq 0 ] || gap=$(((now - since) / (c - count)))
            count=$c since=$now
        fi
    done
    delay=$((RANDOM % (gap + 1)))
    sleep "$((delay / 1000)).$(printf %03d $((delay % 1000)))"
    stage=$(last_stage "$log")
    at="$count files + $delay ms into $target"
    if ! alive "$pid"; then
        rc=0
        wait "$pid" || rc=$?
        echo "# run $n: aimed at $at, but make had already ended (exit $rc)"
        return 0
    fi
    case $how in
    kill)
        kill -9 -- "-$pid"
        wait "$pid" 2>/dev/null || true
        killed=$((killed + 1))
        hit[$stage]=1 hit_in[$n]=$stage
        echo "# run $n: kill -9 at $at: hit $stage"
        ;;
    term | int)
        # term: SIGTERM to keepers-train alone, as `kill <pid>` would;
        # int: SIGINT to the whole group, as Ctrl-C in a terminal does.
        if [ "$stage" != train ] || ! trainer=$(pgrep -g "$pid" -x keepers-train); then
            kill -9 -- "-$pid"
            wait "$pid" 2>/dev/null || true
            killed=$((killed + 1))
            hit[$stage]=1 hit_in[$n]=$stage
            echo "# run $n: $target had not started or had ended; kill -9 instead: hit $stage"
        else
            if [ "$how" = term ]; then kill -TERM "$trainer"; else kill -INT -- "-$pid"; fi
            rc=0
            wait "$pid" || rc=$?
            hit_in[$n]=train
            echo "# run $n: SIG${how^^} during train; make exited $rc;" \
                "$(grep -o 'stopped after step [0-9]*' "$log" || echo 'no stop message')"
            # A stopped keepers-train has not finished its stage: make must not
            # go on to the report, nor leave a model.h5 that marks it done.
            if [ "$how" = term ] && grep -q 'checkpoint saved in' "$log"; then
                if [ "$rc" -eq 0 ] || [ -e "$B/train/model.h5" ] || [[ " $(stages "$log") " == *" report "* ]] ||
                    pmake "$CONFIG" "$TMP/work-b" "$PHOTOS" -q train >/dev/null 2>&1; then
                    stopped_ok=false
                    echo "# after SIGTERM to keepers-train: make exited $rc, model.h5 $(test -e "$B/train/model.h5" && echo present || echo absent):"
                    show_log "$log"
                fi
            fi
        fi
        ;;
    esac
    # Wait until every process of the group is gone before the next run.
    while group_alive "$pid"; do sleep 0.02; done
}
for entry in "${schedule[@]}"; do attempt "${entry%:*}" "${entry#*:}"; done

# On a loaded machine a stage can end before its kill lands. Until every
# stage has been hit and 10 kills have landed, aim again (at most 8 more
# runs), first restarting the aimed-at stage and the later ones from
# scratch (their outputs removed), so there is something left to kill.
declare -A downstream=([ingest]="ingest shards train report" [shard]="shards train report" [train]="train report" [report]=report)
for ((extra = 0; extra < 8; extra++)); do
    target=""
    for stage in ingest shard train report; do [ -n "${hit[$stage]:-}" ] || { target=$stage; break; }; done
    [ -n "$target" ] || [ "$killed" -lt 10 ] || break
    target=${target:-train}
    for dir in ${downstream[$target]}; do rm -rf "${B:?}/$dir"; done
    reset[$((n + 1))]=1
    echo "# extra run $((n + 1)): $target and later stages restarted from scratch, aimed at $target"
    attempt "$target" kill
done
echo "# $n runs, $killed kills landed"

check "crash loop: at least 10 kill -9 landed while make was running ($killed)" test "$killed" -ge 10
missed=""
for stage in ingest shard train report; do [ -n "${hit[$stage]:-}" ] || missed+=" $stage"; done
check "crash loop: kills hit every stage${missed:+ (missed:$missed)}" test -z "$missed"
check "crash loop: SIGTERM to keepers-train alone does not mark training done" $stopped_ok

# 3. Run to the end and compare.
final_ok=true
pmake "$CONFIG" "$TMP/work-b" "$PHOTOS" all >"$TMP/final.log" 2>&1 || { final_ok=false; show_log "$TMP/final.log"; }
check "after the kills, make all completes" $final_ok
cp "$TMP/final.log" "$TMP/run-$((n + 1)).log"

# The run after an interruption starts at the stage that was hit, or later
# (a kill can land after a stage wrote its output): finished stages are not redone.
resumed_ok=true
for ((i = 1; i <= n; i++)); do
    [ -n "${hit_in[$i]:-}" ] && [ "${hit_in[$i]}" != startup ] && [ -z "${reset[$((i + 1))]:-}" ] || continue
    next=$(stages "$TMP/run-$((i + 1)).log")
    next=${next%% *}
    if [ -n "$next" ] && [ "${rank[$next]}" -lt "${rank[${hit_in[$i]}]}" ]; then
        echo "# run $((i + 1)) started at $next, though run $i had got to ${hit_in[$i]}"
        resumed_ok=false
    fi
done
check "after each interruption, make resumes at the stage hit (finished stages are not redone)" $resumed_ok
echo "# ingest runs decoded: $(cat "$TMP"/run-*.log | grep -o '[0-9]* decoded, [0-9]* unchanged' | paste -sd ';' -)"
check "after the kills, make -q all exits 0" pmake "$CONFIG" "$TMP/work-b" "$PHOTOS" -q all
echo "# training resumed from a checkpoint $(cat "$TMP"/run-*.log | grep -c 'resuming at step') times"

same_file() { cmp "$A/$1" "$B/$1"; }
check "train/model.h5 bitwise identical to the uninterrupted run" same_file train/model.h5
check "report/scores.csv bitwise identical" same_file report/scores.csv
check "report/metrics.json bitwise identical" same_file report/metrics.json
check "ingest/manifest.jsonl and rejected.jsonl identical" eval 'same_file ingest/manifest.jsonl && same_file ingest/rejected.jsonl'
check "shards/index.json identical" same_file shards/index.json
check "keepers-shard --verify passes" \
    eval '"$BIN/keepers-shard" --config "$CONFIG" --work "$TMP/work-b" --verify >"$TMP/verify.log" 2>&1 || { show_log "$TMP/verify.log"; false; }'

# Every JSON Lines file parses, and the training log has each evaluation
# exactly once with the reference's numbers (only images/s may differ).
jsonl_ok() {
    python3 - "$A" "$B" <<'EOF'
import json, sys
a, b = sys.argv[1:3]
def rows(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]
for name in ["ingest/manifest.jsonl", "ingest/rejected.jsonl", "train/log.jsonl"]:
    rows(f"{b}/{name}")
json.load(open(f"{b}/shards/index.json"))
def strip(rs):
    return [{k: v for k, v in r.items() if "per_second" not in k} for r in rs]
la, lb = strip(rows(f"{a}/train/log.jsonl")), strip(rows(f"{b}/train/log.jsonl"))
if la != lb:
    print("# train/log.jsonl differs:", [r.get("step") for r in la], "vs", [r.get("step") for r in lb])
    sys.exit(1)
EOF
}
check "JSON files parse; the training log matches the reference's" jsonl_ok

# Temporaries: none may be referenced; leftovers of killed writers are listed.
leftovers=$(cd "$B" && find . -name '*.tmp-*' -o -name '*.tmp' | sort)
check "no temporary file referenced by the manifest or the shard index" \
    eval '! grep -q "\.tmp" "$B/ingest/manifest.jsonl" "$B/shards/index.json"'
if [ -n "$leftovers" ]; then
    echo "# leftover temporaries in work-b (not referenced):"
    echo "$leftovers" | sed 's/^/#   /'
fi

# 4. Predict killed halfway through a folder, then run again: it resumes
# from its journal (<output>.partial.jsonl), scoring only what it had not
# reached, and writes what an uninterrupted run writes. The kill waits for
# the journal's first chunk, not for a time.
NEW=$TMP/new
make_photos "$NEW" 400 0.2
predict_args=(--model "$A/train/model.h5" --threads 2 --threshold 0.5 "$NEW")
"$BIN/keepers-predict" --output "$TMP/whole.csv" --page "$TMP/whole-page" "${predict_args[@]}" >"$TMP/predict-whole.log" 2>&1 ||
    show_log "$TMP/predict-whole.log"
# running PID: alive and not yet a zombie.
running() { local state; state=$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null) && [ "$state" != Z ]; }
resumed=""
for try in 1 2 3; do
    rm -rf "$TMP/resumed.csv" "$TMP/resumed.csv.partial.jsonl"
    "$BIN/keepers-predict" --output "$TMP/resumed.csv" --page "$TMP/resumed-page" "${predict_args[@]}" >"$TMP/predict-killed.log" 2>&1 &
    pid=$!
    while running "$pid" && [ "$(cat "$TMP/resumed.csv.partial.jsonl" 2>/dev/null | wc -l)" -lt 2 ]; do sleep 0.01; done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    "$BIN/keepers-predict" --output "$TMP/resumed.csv" --page "$TMP/resumed-page" "${predict_args[@]}" >"$TMP/predict-resumed.log" 2>&1 ||
        show_log "$TMP/predict-resumed.log"
    resumed=$(grep -o 'resuming: [0-9]* of [0-9]*' "$TMP/predict-resumed.log" || true)
    [ -z "$resumed" ] || break
    echo "# predict try $try: the run ended before its kill landed; again"
done
check "predict: killed with kill -9 mid-run, the rerun resumes from its journal (${resumed:-never resumed})" [ -n "$resumed" ]
check "predict: the resumed run's CSV is the uninterrupted run's" cmp "$TMP/whole.csv" "$TMP/resumed.csv"
check "predict: the resumed run's page is the uninterrupted run's" cmp "$TMP/whole-page/index.html" "$TMP/resumed-page/index.html"
check "predict: no journal is left once the run finished" test ! -e "$TMP/resumed.csv.partial.jsonl"

echo "# $(($(date +%s) - started)) s"
finish
