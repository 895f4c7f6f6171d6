#!/usr/bin/env python3
"""How often the first culling reason names the fault a benchmark photo was
given (docs/formats.md, "Reasons"; run by bench/quality/reasons.sh).

Usage: reasons.py RECIPE_CSV PREDICT_CSV MANIFEST_JSONL [THRESHOLD]

RECIPE_CSV is make-photos.py's recipe.csv (each photo's faults), PREDICT_CSV
keepers-predict's CSV for the benchmark photos, MANIFEST_JSONL the ingest
manifest of the model's training run (which photos it trained on). Counts
bad photos with one fault, by kind; a photo matches when the first reason
is the one expected for its fault; "of rejected" counts only the photos
scoring below THRESHOLD (default 0.5), the ones that have reasons. Prints
one table for the photos outside the training split (the honest figure) and
one for all.
"""
import csv
import json
import os
import sys
from collections import Counter, defaultdict

EXPECTED = {
    "blur": "soft or blurred", "shake": "soft or blurred", "under": "too dark", "over": "blown highlights",
    "haze": "low contrast", "noise": "noisy", "tilt": "tilted", "compression": None,
}


def table(title, photos):
    print(f"{title}")
    print(f"{'fault':<12} {'photos':>6} {'first reason right':>19} {'anywhere':>9} {'of rejected':>12}  commonest first reasons")
    for kind in EXPECTED:
        group = [p for p in photos if p["fault"] == kind]
        if not group:
            continue
        want = EXPECTED[kind]
        first = sum(1 for p in group if p["reasons"] and p["reasons"][0] == want)
        anywhere = sum(1 for p in group if want in p["reasons"])
        common = Counter(p["reasons"][0] if p["reasons"] else "(none)" for p in group).most_common(3)
        rejected = [p for p in group if p["rejected"]]
        right = sum(1 for p in rejected if p["reasons"][0] == want)
        rate = f"{first}/{len(group)} = {first / len(group):.0%}" if want else "-"
        any_rate = f"{anywhere / len(group):.0%}" if want else "-"
        of_rejected = f"{right}/{len(rejected)}" if want else "-"
        print(f"{kind:<12} {len(group):>6} {rate:>19} {any_rate:>9} {of_rejected:>12}  "
              + ", ".join(f"{r} {n}" for r, n in common))
    print()


def main():
    recipe_path, predict_path, manifest_path = sys.argv[1:4]
    threshold = float(sys.argv[4]) if len(sys.argv) > 4 else 0.5
    with open(recipe_path, newline="") as f:
        faults = {os.path.basename(r["file"]): r for r in csv.DictReader(f) if r["label"] == "bad"}
    with open(manifest_path) as f:
        split = {os.path.basename(e["source"]): e.get("split") for e in map(json.loads, f) if "source" in e}
    photos = []
    with open(predict_path, newline="") as f:
        for row in csv.DictReader(f):
            name = os.path.basename(row["path"])
            recipe = faults.get(name)
            if recipe is None or not row["score"]:
                continue
            kinds = [part.split()[0] for part in recipe["faults"].split("; ")]
            if len(kinds) != 1:
                continue
            photos.append({"fault": kinds[0], "split": split.get(name), "rejected": float(row["score"]) < threshold,
                           "reasons": [r for r in row["reasons"].split("; ") if r]})
    table("Bad photos with one fault, outside the training split", [p for p in photos if p["split"] != "train"])
    table("Bad photos with one fault, all", photos)


main()
