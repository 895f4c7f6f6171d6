#!/usr/bin/env python3
"""Contact sheet of a benchmark folder, every photo shown as Keepers sees it (480 px wide).

Usage: contact-sheet.py DIR OUT.png [--per-kind 3] [--seed 0] [--cols 4]
Picks up to N photos per kind (good, and each fault) from DIR/recipe.csv,
applies the EXIF orientation, shrinks them to 480 px wide and captions them.
"""
import argparse
import csv
import os
import random

from PIL import Image, ImageDraw, ImageOps

ap = argparse.ArgumentParser()
ap.add_argument("dir")
ap.add_argument("out")
ap.add_argument("--per-kind", type=int, default=3)
ap.add_argument("--seed", type=int, default=0)
ap.add_argument("--cols", type=int, default=4)
ap.add_argument("--width", type=int, default=480)
ap.add_argument("--kinds", help="comma-separated kinds to show (good, blur, shake, under, over, haze, noise, tilt, compression)")
args = ap.parse_args()

rows = list(csv.DictReader(open(os.path.join(args.dir, "recipe.csv"))))
kinds = {}
for r in rows:
    k = "good" if r["label"] == "good" else "+".join(f.split()[0] for f in r["faults"].split("; "))
    kinds.setdefault(k, []).append(r)
rnd = random.Random(args.seed)
picked = []
wanted = set(args.kinds.split(",")) if args.kinds else None
for k in sorted(kinds):
    if wanted and not wanted & set(k.split("+")):
        continue
    picked += [(k, r) for r in rnd.sample(kinds[k], min(args.per_kind, len(kinds[k])))]
W = args.width
tiles = []
for k, r in picked:
    with Image.open(os.path.join(args.dir, r["file"])) as im:
        im = ImageOps.exif_transpose(im).convert("RGB")
    im = im.resize((W, round(im.height * W / im.width)), Image.LANCZOS)
    cap = f"{r['file']} {k}: {r['faults'] or 'edit'} o={r['orientation']}"
    tiles.append((im, cap[:90]))
cols = args.cols
rows_n = (len(tiles) + cols - 1) // cols
cell_h = max(t[0].height for t in tiles) + 16
sheet = Image.new("RGB", (cols * (W + 4), rows_n * cell_h), "white")
d = ImageDraw.Draw(sheet)
for i, (im, cap) in enumerate(tiles):
    x, y = (i % cols) * (W + 4), (i // cols) * cell_h
    sheet.paste(im, (x, y + 14))
    d.text((x + 2, y + 1), cap, fill="black")
sheet.save(args.out)
print(f"{len(tiles)} photos -> {args.out}")
