# Shared by e2e/pipeline-dag.sh and e2e/crash.sh (sourced, not run).
# They drive the real make targets on the debug binaries that `swift build`
# made, in a temporary folder: a tiny photo set, a tiny config.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"
# Run from `make test`: start from a clean make environment, so that flags
# of the outer make (-j, -s, -n, --no-print-directory) change nothing here.
unset MAKEFLAGS MFLAGS MAKELEVEL MAKEOVERRIDES
export LC_ALL=C

BIN=${BIN:-.build/debug}
for tool in keepers-config keepers-samples keepers-ingest keepers-shard keepers-train keepers-report; do
    if [ ! -x "$BIN/$tool" ]; then
        echo "$BIN/$tool not found: run 'swift build' first (or set BIN=.build/release)" >&2
        exit 2
    fi
done

# KEEP_TMP=1 keeps the temporary folder for a look after a failure.
TMP=$(mktemp -d "${TMPDIR:-/tmp}/keepers-$TEST_NAME.XXXXXX")
if [ -n "${KEEP_TMP:-}" ]; then trap 'echo "# kept $TMP"' EXIT; else trap 'rm -rf "$TMP"' EXIT; fi

PASSED=0
FAILED=0
# check NAME COMMAND...: runs COMMAND, prints "ok - NAME" or "not ok - NAME".
check() {
    local name=$1
    shift
    if "$@"; then
        echo "ok - $name"
        PASSED=$((PASSED + 1))
    else
        echo "not ok - $name"
        FAILED=$((FAILED + 1))
    fi
}
# finish: the closing line; exit status 1 if anything failed.
finish() {
    echo "$TEST_NAME: $PASSED passed, $FAILED failed"
    [ "$FAILED" -eq 0 ]
}

# make_photos DIR [COUNT [SCALE]]: small synthetic JPEGs in DIR/good and DIR/bad.
make_photos() {
    if ! "$BIN/keepers-samples" "$1" --count "${2:-48}" --size-scale "${3:-0.12}" >"$TMP/samples.log" 2>&1; then
        cat "$TMP/samples.log" >&2
        exit 2
    fi
}

# write_config FILE: the tiny config the DAG test trains (a few seconds in
# all). Even splits, so that 48 photos put both classes in the test split.
write_config() {
    cat >"$1" <<EOF
# tiny pipeline for e2e/$TEST_NAME.sh
ingest: {width: 64, height_quantum: 16, threads: 2, split: {train: 0.5, val: 0.25, test: 0.25}}
model:
  layers:
    - {filters: 8, pool: true}
    - {filters: 8, pool: false}
train: {steps: 60, eval_every: 20, checkpoint_every: 10, threads: 2}
report: {bootstrap: 100}
EOF
}

# pmake CONFIG WORK PHOTOS ARGS...: the project's make on the debug binaries.
pmake() {
    local config=$1 work=$2 photos=$3
    shift 3
    make --no-print-directory BIN="$BIN" NO_BUILD=1 CONFIG="$config" WORK="$work" PHOTOS="$photos" "$@"
}

# stages LOG: the stage commands make echoed in LOG, in order ("ingest shard ...").
stages() {
    { grep -oE '/keepers-(ingest|shard|train|report) --config' "$1" || true; } |
        sed -E 's|/keepers-([a-z]+) --config|\1|' | tr '\n' ' ' | sed 's/ $//'
}

# mtime FILE: modification time in nanoseconds ("missing" if absent).
mtime() { stat -c %.9Y "$1" 2>/dev/null || echo missing; }

# show_log LOG: the end of a make log, as comments, when a check failed.
show_log() { tail -n 25 "$1" | sed 's/^/#   /'; }
