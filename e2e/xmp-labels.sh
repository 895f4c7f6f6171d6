#!/usr/bin/env bash
# Star ratings in and out, end to end on the debug binaries: `make all` with
# `ingest.labels: xmp-rating` on photos rated only through XMP sidecars must
# train and report exactly like the same photos sorted into good/ and bad/;
# `keepers-predict --xmp` then writes sidecars that exiftool and exiv2 read,
# and a second run changes nothing. Prints "ok - name" / "not ok - name" and
# ends with "xmp: N passed, M failed"; exits 1 if any check failed.
# Usage: e2e/xmp-labels.sh   (after swift build; BIN=... KEEP_TMP=1)
set -euo pipefail
TEST_NAME=xmp
source "$(dirname "$0")/common.sh"

SORTED=$TMP/sorted
RATED=$TMP/rated
make_photos "$SORTED"
# The same photos in one flat folder, rated 5 (good) or 1 (bad) in a sidecar each.
mkdir -p "$RATED/trip"
for file in "$SORTED"/good/* "$SORTED"/bad/*; do
    name=$(basename "$file")
    cp "$file" "$RATED/trip/$name"
    rating=1
    [[ $file == "$SORTED"/good/* ]] && rating=5
    printf '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:Rating="%s"/></rdf:RDF></x:xmpmeta>\n' \
        "$rating" >"$RATED/trip/$name.xmp"
done
write_config "$TMP/folders.yaml"
write_config "$TMP/ratings.yaml"
sed -i 's/^ingest: {/ingest: {labels: xmp-rating, /' "$TMP/ratings.yaml"

for run in folders:"$SORTED" ratings:"$RATED"; do
    name=${run%%:*}
    if ! pmake "$TMP/$name.yaml" "$TMP/work" "${run#*:}" all >"$TMP/$name.log" 2>&1; then
        echo "# make all ($name) failed:"
        show_log "$TMP/$name.log"
        exit 1
    fi
done
F=$TMP/work/folders
R=$TMP/work/ratings
# field MANIFEST KEY...: those keys of every manifest line, tab-separated, sorted.
field() {
    python3 -c 'import json, sys
for line in open(sys.argv[1]): print("\t".join(str(json.loads(line).get(k)) for k in sys.argv[2:]))' "$@" | sort
}
check "the same photos, labels and splits" \
    diff <(field "$F/ingest/manifest.jsonl" id label split repeat) <(field "$R/ingest/manifest.jsonl" id label split repeat)
check "the manifest says where each label came from" [ "$(field "$R/ingest/manifest.jsonl" label_source |
    grep -c '^sidecar trip/.*\.xmp$')" = "$(wc -l <"$R/ingest/manifest.jsonl")" ]
check "the same trained model's metrics" cmp "$F/report/metrics.json" "$R/report/metrics.json"
# scores.csv is id,source,label,score: all but the source (good/x.jpg, trip/x.jpg).
check "the same test scores" diff <(cut -d, -f1,3,4 "$F/report/scores.csv") <(cut -d, -f1,3,4 "$R/report/scores.csv")

# Ratings out: into sidecars of a copy of the good photos, read back by exiftool and exiv2.
NEW=$TMP/new
mkdir -p "$NEW"
cp "$SORTED"/good/* "$NEW/"
predict() { "$BIN/keepers-predict" --model "$R/train/model.h5" --output "$TMP/predict.csv" --xmp "$@" "$NEW" 2>&1; }
# A run that fails (a crash included) is reported with its output, not
# ended silently by set -e (CI once saw exit 139 here and nothing else).
ran() {  # ran LABEL: one predict run, its output in $output
    local status=0
    output=$(predict) || status=$?
    if [ "$status" -ne 0 ]; then
        echo "not ok - keepers-predict --xmp ($1) exited $status"; FAILED=$((FAILED + 1))
        tail -n 60 <<<"$output" | sed 's/^/# /'
    fi
}
check "--dry-run writes nothing" bash -c "$(declare -f predict); BIN='$BIN' R='$R' TMP='$TMP' NEW='$NEW'; predict --dry-run | grep -q 'would change' && ! ls '$NEW'/*.xmp 2>/dev/null"
ran "first run"; first=$output
photo=$(ls "$NEW" | grep -v '\.xmp$' | head -n 1)
score=$(grep -F "/$photo," "$TMP/predict.csv" | cut -d, -f2)
check "every photo has a sidecar" [ "$(ls "$NEW"/*.xmp | wc -l)" = "$(ls "$NEW" | grep -vc '\.xmp$')" ]
check "exiftool reads the score" [ "$(exiftool -s3 -XMP-keepers:Score "$NEW/$photo.xmp")" = "$score" ]
check "exiftool and exiv2 agree on the rating" \
    [ "$(exiftool -s3 -XMP-xmp:Rating "$NEW/$photo.xmp")" = "$(exiv2 -q -K Xmp.xmp.Rating -Pv print "$NEW/$photo.xmp")" ]
sums() { sha256sum "$NEW"/*; }
before=$(sums)
ran "second run"; second=$output
check "a second run changes nothing" [ "$before" = "$(sums)" ]
check "and says so" grep -q ' 0 changed, [1-9][0-9]* unchanged, 0 failed' <<<"$second"
echo "# $(tail -n 1 <<<"$first")"
finish
