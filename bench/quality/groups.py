#!/usr/bin/env python3
"""How ingest's burst groups compare with the benchmark's own scenes.

Usage: groups.py WORK_RUN [PHOTOS_DIR]   (WORK_RUN: work/quality/<name>-a-groups/runs/<run>)

The benchmark's photos (docs/quality-benchmark.md) have no capture time, so
they are grouped by similarity alone. recipe.csv says which photos are
versions of one scene (the same crop, edited and faulted differently: what a
burst looks like to grouping) and which source photo each scene was cropped
from. Prints:
- scenes kept whole: every version of the scene in one group;
- false merges: groups holding photos of different source photos (unrelated
  photos merged), as groups and as a share of the pairs of unrelated photos;
- groups joining different scenes of one source (overlapping crops of one
  photo: near-duplicates in their own right, so not counted as false).
"""
import collections
import csv
import itertools
import json
import sys
from pathlib import Path

run = Path(sys.argv[1])
photos = Path(sys.argv[2]) if len(sys.argv) > 2 else Path("work/quality/photos")
recipe = {row["file"]: row for row in csv.DictReader(open(photos / "recipe.csv"))}
entries = [json.loads(line) for line in open(run / "ingest" / "manifest.jsonl")]

by_group = collections.defaultdict(list)
for entry in entries:
    by_group[entry["group"]].append(recipe[entry["source"]])
scene_groups = collections.defaultdict(set)
for entry in entries:
    scene_groups[recipe[entry["source"]]["scene"]].add(entry["group"])

sizes = sorted((len(members) for members in by_group.values()), reverse=True)
whole = sum(1 for groups in scene_groups.values() if len(groups) == 1)
multi = [s for s, groups in scene_groups.items() if len(groups) > 1]
mixed_sources = [g for g, members in by_group.items() if len({m["source"] for m in members}) > 1]
mixed_scenes = [g for g, members in by_group.items()
                if len({m["source"] for m in members}) == 1 and len({m["scene"] for m in members}) > 1]

unrelated_pairs = merged_unrelated = 0
group_of = {recipe[e["source"]]["file"]: e["group"] for e in entries}
rows = list(recipe.values())
for a, b in itertools.combinations([r for r in rows if r["file"] in group_of], 2):
    if a["source"] != b["source"]:
        unrelated_pairs += 1
        merged_unrelated += group_of[a["file"]] == group_of[b["file"]]

print(f"photos {len(entries)}, groups {len(by_group)}, largest {sizes[0]}, "
      f"groups of 2 or more {sum(1 for s in sizes if s > 1)}")
print(f"scenes {len(scene_groups)}: kept whole {whole} ({whole / len(scene_groups):.1%}), "
      f"split over 2+ groups {len(multi)}")
print(f"false merges (photos of different source photos in one group): {len(mixed_sources)} groups, "
      f"{merged_unrelated} of {unrelated_pairs} unrelated pairs ({merged_unrelated / max(1, unrelated_pairs):.5%})")
print(f"groups joining several scenes (overlapping crops) of one source photo: {len(mixed_scenes)}")
for scene in multi[:10]:
    versions = [(r["file"], r["faults"].split(" ")[0] or "good") for r in rows
                if r["scene"] == scene and r["file"] in group_of]
    print("  split scene", scene, [(f, fault, group_of[f][:6]) for f, fault in versions])
