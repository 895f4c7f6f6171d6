#!/usr/bin/env bash
# The make DAG end to end: the real targets of pipeline.mk on a tiny photo set
# and config, run with the debug binaries (make all BIN=.build/debug NO_BUILD=1).
# Checks which stage commands make runs after each kind of change, and that
# `make -q all` agrees. Prints "ok - name" / "not ok - name" per check and
# ends with "dag: N passed, M failed"; exits 1 if any check failed.
# Usage: e2e/pipeline-dag.sh   (after swift build; BIN=... KEEP_TMP=1)
set -euo pipefail
TEST_NAME=dag
source "$(dirname "$0")/common.sh"

CONFIG=$TMP/dagtest.yaml
WORK=$TMP/work
PHOTOS=$TMP/photos
W=$WORK/dagtest
run() { pmake "$CONFIG" "$WORK" "$PHOTOS" "$@"; }

# go NAME ARGS...: make ARGS into $TMP/NAME.log; a failure is shown and counted.
# MAKER names the function that runs make (default: run).
go() {
    local log=$TMP/$1.log
    shift
    if ! "${MAKER:-run}" "$@" >"$log" 2>&1; then
        echo "# make $* failed:"
        show_log "$log"
        return 1
    fi
}
ran() { [ "$(stages "$TMP/$1.log")" = "$2" ] || { echo "# ran: '$(stages "$TMP/$1.log")', expected '$2'"; return 1; }; }
up_to_date() { run -q all >/dev/null 2>&1; }
pending() { ! up_to_date; }
targets=(ingest/manifest.jsonl shards/index.json train/model.h5 report/index.html)
times() { for t in "${targets[@]}"; do mtime "$W/$t"; done | tr '\n' ' '; }
same() { [ "$1" = "$2" ] || { echo "# mtimes before: $1"; echo "#        after:  $2"; return 1; }; }

started=$(date +%s)
make_photos "$PHOTOS"
write_config "$CONFIG"
photo_sums() { (cd "$PHOTOS" && find . -type f -print0 | sort -z | xargs -0 sha256sum); }
photo_sums >"$TMP/photos.sha"

# (a) A fresh run: every stage, in order, ending in the report.
check "fresh: make all succeeds" go fresh all
check "fresh: ingest, shard, train and report run in order" ran fresh "ingest shard train report"
check "fresh: report/index.html written" test -s "$W/report/index.html"
check "fresh: make all ends with the test AUC" grep -q '^test AUC: [0-9]' "$TMP/fresh.log"

# (b) Nothing changed: nothing runs, and make -q says so.
before=$(times)
check "no-op: make -q all exits 0" up_to_date
check "no-op: make all succeeds" go noop all
check "no-op: make all runs no stage" ran noop ""
check "no-op: make all still prints the report path" grep -q "^report: $W/report/index.html" "$TMP/noop.log"
check "no-op: no stage output touched" same "$before" "$(times)"
check "no-op: make train runs nothing" go noop-train train
check "no-op: make train runs no stage" ran noop-train ""

# A comment-only edit of the config changes no section stamp.
echo "# a comment" >>"$CONFIG"
check "comment edit: make -q all exits 0" up_to_date
check "comment edit: make all runs no stage" go comment all
check "comment edit: no stage ran" ran comment ""

# (c) A training setting: train and report rerun, ingest and shard do not.
before=$(times)
sed -i 's/steps: 60/steps: 70/' "$CONFIG"
check "train change: make -q all exits 1 (work to do)" pending
check "train change: make all succeeds" go train-change all
check "train change: only train and report run" ran train-change "train report"
after=$(times)
check "train change: manifest and shard index keep their mtimes" \
    same "$(cut -d' ' -f1,2 <<<"$before")" "$(cut -d' ' -f1,2 <<<"$after")"
check "train change: model.h5 and report rewritten" \
    test "$(cut -d' ' -f3,4 <<<"$before")" != "$(cut -d' ' -f3,4 <<<"$after")"
check "train change: make -q all exits 0 afterwards" up_to_date

# A report setting: only report reruns; make train does nothing meanwhile.
sed -i 's/bootstrap: 100/bootstrap: 120/' "$CONFIG"
check "report change: make train runs nothing" go report-train train
check "report change: make train runs no stage" ran report-train ""
check "report change: make all succeeds" go report-change all
check "report change: only report runs" ran report-change "report"
check "report change: make -q all exits 0 afterwards" up_to_date

# A shard setting: shard, train and report rerun; ingest does not.
echo "shard: {max_images: 1000}" >>"$CONFIG"
check "shard change: make all succeeds" go shard-change all
check "shard change: shard, train and report run, not ingest" ran shard-change "shard train report"
check "shard change: make -q all exits 0 afterwards" up_to_date

# (d) A new photo: ingest (decoding only that photo) and everything downstream.
"$BIN/keepers-samples" "$TMP/extra" --count 1 --seed 99 --size-scale 0.12 >/dev/null 2>&1
new=$(find "$TMP/extra" -type f -name '*.jpg' | head -n 1)
cp "$new" "$PHOTOS/good/NEW_0001.jpg"
check "new photo: make -q all exits 1 (work to do)" pending
check "new photo: make all succeeds" go new-photo all
check "new photo: ingest, shard, train and report run" ran new-photo "ingest shard train report"
check "new photo: ingest decodes only the new photo" grep -q '(1 decoded, 48 unchanged' "$TMP/new-photo.log"
check "new photo: the manifest lists it" grep -q '"source":"good/NEW_0001.jpg"' "$W/ingest/manifest.jsonl"
check "new photo: make -q all exits 0 afterwards" up_to_date
rm "$PHOTOS/good/NEW_0001.jpg"
photo_sums >"$TMP/photos.sha"

# (h) Rebuilds, on the Makefile's release path (no NO_BUILD): a stand-in for
# `swift build -c release` writes the debug executables afresh into $REL (new
# files and times, the same bytes, as the from-scratch release build does;
# CHANGE=tool alters that one). A stage reruns when its own executable
# changed, not when some source did: a benchmark or test helper edited and
# rebuilt reruns nothing.
REL=$TMP/release
DEBUG_BIN=$(cd "$BIN" && pwd)
mkdir -p "$REL" "$TMP/fake-swift"
cat >"$TMP/fake-swift/swift" <<EOF
#!/usr/bin/env bash
[ "\$1 \$2 \$3" = "build -c release" ] || { echo "fake swift: unexpected arguments: \$*" >&2; exit 1; }
for tool in keepers-config keepers-samples keepers-ingest keepers-shard keepers-train keepers-report; do
    cp "$DEBUG_BIN/\$tool" "$REL/\$tool"
done
[ -z "\${CHANGE:-}" ] || printf 'changed' >>"$REL/\$CHANGE"
echo "fake release build"
EOF
chmod +x "$TMP/fake-swift/swift"
release_make() { PATH="$TMP/fake-swift:$PATH" make --no-print-directory BIN="$REL" CONFIG="$CONFIG" WORK="$WORK" PHOTOS="$PHOTOS" "$@"; }
release_go() { MAKER=release_make go "$@"; }
release_up_to_date() { release_make -q all >/dev/null 2>&1; }
release_pending() { ! release_up_to_date; }
built() { grep -q "^fake release build" "$TMP/$1.log" || { echo "# $1.log shows no build"; return 1; }; }
# edit / unedit: touch a benchmark source and a test helper, then put their
# times back, so that a later real `make build` does not rebuild for this test.
edited=(Sources/keepers-bench-network/main.swift Sources/KeepersTestSupport/Fixtures.swift)
edit() { for f in "${edited[@]}"; do touch -r "$f" "$TMP/${f//\//_}.time" && touch "$f"; done; }
unedit() { for f in "${edited[@]}"; do touch -r "$TMP/${f//\//_}.time" "$f"; done; }

check "release: make all builds and succeeds" release_go release all
check "release: the build ran" built release
check "release: make -q all exits 0 afterwards" release_up_to_date
edit
check "bench edit: make -q all exits 1 (a build to do)" release_pending
check "bench edit: make all succeeds" release_go bench-edit all
unedit
check "bench edit: the build ran" built bench-edit
check "bench edit: no stage ran" ran bench-edit ""
check "bench edit: make -q all exits 0 afterwards" release_up_to_date
edit
export CHANGE=keepers-train
check "train rebuilt: make all succeeds" release_go train-rebuilt all
unset CHANGE
unedit
check "train rebuilt: train and report run" ran train-rebuilt "train report"
check "train rebuilt: make -q all exits 0 afterwards" release_up_to_date

# (f) Hostile make input (issue 10). Config text never reaches a shell, not
# even under `make -n help`; stamps change only when a goal is a stage.
printf 'photos: "$(touch %s/pwned)"\n' "$TMP" >"$TMP/evil.yaml"
printf 'photos: "`touch %s/pwned`; x=$$(touch %s/pwned)"\n' "$TMP" "$TMP" >"$TMP/evil2.yaml"
emake() { make --no-print-directory BIN="$BIN" NO_BUILD=1 WORK="$WORK" "$@"; }
emake -n help CONFIG="$TMP/evil.yaml" >/dev/null 2>&1 || true
emake -n all CONFIG="$TMP/evil.yaml" >/dev/null 2>&1 || true
emake all CONFIG="$TMP/evil.yaml" >"$TMP/evil.log" 2>&1 || true
emake all CONFIG="$TMP/evil2.yaml" >/dev/null 2>&1 || true
check "hostile config: photos: text is never run by a shell" test ! -e "$TMP/pwned"
check "hostile config: the missing folder is named" grep -q "photos folder '.*touch .*/pwned)' not found" "$TMP/evil.log"
stamp_state() { for s in "$W"/stamps/*; do echo "$s $(mtime "$s") $(cksum <"$s")"; done; }
before=$(stamp_state)
sed -i 's/steps: 60/steps: 61/' "$CONFIG"
run -n all >/dev/null 2>&1 || true
run help >/dev/null 2>&1
check "stamps: make -n all and make help leave them alone" same "$before" "$(stamp_state)"
sed -i 's/steps: 61/steps: 60/' "$CONFIG"
emake clean CONFIG="$TMP/.yaml" >"$TMP/empty-name.log" 2>&1 && empty_ok=false || empty_ok=true
check "clean: an empty configuration name is refused" $empty_ok
make --no-print-directory BIN="$BIN" NO_BUILD=1 CONFIG="$CONFIG" WORK= clean >"$TMP/empty-work.log" 2>&1 && empty_ok=false || empty_ok=true
check "clean: an empty WORK is refused" $empty_ok
check "clean: ... naming the problem" grep -q "WORK is empty" "$TMP/empty-work.log"
emake clean CONFIG="$TMP/...yaml" >/dev/null 2>&1 && empty_ok=false || empty_ok=true
check "clean: the configuration name '..' is refused" $empty_ok
check "clean: the work dir survives all three" test -s "$W/report/index.html"

# (e) make clean: this config's work dir only; photos and other configs stay.
mkdir -p "$WORK/other"
echo keep >"$WORK/other/keep-me"
check "clean: make clean succeeds" go clean clean
check "clean: the config's work dir is gone" test ! -e "$W"
check "clean: another config's work dir stays" test -f "$WORK/other/keep-me"
check "clean: photos untouched" cmp -s "$TMP/photos.sha" <(photo_sums)
check "clean: make -q all exits 1 afterwards" pending

# (g) Two `make all` at once in one work directory (issue 10): one waits for
# nothing and fails at once naming the holder; the other finishes; then
# everything is complete and up to date.
setsid bash -c "$(declare -f pmake); BIN='$BIN' pmake '$CONFIG' '$WORK' '$PHOTOS' all" >"$TMP/first.log" 2>&1 &
first=$!
# Until the first holds the lock (a loaded machine can take many seconds to start it).
for _ in $(seq 2400); do [ -e "$W/.lock-owner" ] && break; kill -0 "$first" 2>/dev/null || break; sleep 0.05; done
run all >"$TMP/second.log" 2>&1 && second=0 || second=$?
wait "$first" && first_status=0 || first_status=$?
echo "# concurrent make all: exit statuses $first_status and $second"
one_failed() { [ $((first_status == 0)) -ne $((second == 0)) ]; }
check "concurrent: exactly one of two make all fails" one_failed
check "concurrent: the failure names the holder's PID" grep -qh "in use by process [0-9][0-9]* (keepers-" "$TMP/first.log" "$TMP/second.log"
check "concurrent: make all then completes" go after-concurrent all
check "concurrent: make -q all exits 0 afterwards" up_to_date

echo "# $(($(date +%s) - started)) s"
finish
