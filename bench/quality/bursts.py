#!/usr/bin/env python3
"""Does the model pick the sharp frame of a burst? (issue: bursts, docs/groups.md)

Usage: bursts.py MAKE PHOTOS_DIR MANIFEST OUT   writes the bursts
       bursts.py COUNT OUT PREDICTIONS.csv      counts the bursts won

MAKE: for every GOOD photo of the manifest's test split (photos the model
never trained on, and, with groups, no version of their scene either), a
burst of 4 frames 0.3 s apart at full resolution: the photo itself, then 3
frames each panned 1-2% and smeared by a linear motion blur (camera shake)
of 3, 6 or 9 px at 480 px wide (scaled to the photo's size), at a random
angle. Bursts are 60 s apart. truth.csv lists file, burst and frame.

COUNT reads keepers-predict's CSV (path,score,group,rank,error) and prints in
how many bursts the sharp frame ranks first, and how many bursts predict
found whole.
"""
import csv
import json
import os
import sys

import numpy as np
from PIL import Image


def shaken(photo, length, angle):
    if length < 1:
        return photo
    acc = np.zeros_like(photo)
    steps = int(np.ceil(length))
    for i in range(steps):
        t = i / max(1, steps - 1) - 0.5
        dx, dy = round(t * length * np.cos(angle)), round(t * length * np.sin(angle))
        acc += np.roll(np.roll(photo, dy, axis=0), dx, axis=1)
    return acc / steps


def make(photos, manifest, out):
    rng = np.random.default_rng(7)
    entries = [json.loads(line) for line in open(manifest)]
    goods = sorted(e["source"] for e in entries if e["split"] == "test" and e["label"] == "good")
    rows = []
    for b, source in enumerate(goods):
        image = Image.open(os.path.join(photos, source))
        from PIL import ImageOps
        image = ImageOps.exif_transpose(image).convert("RGB")
        base = np.asarray(image, dtype=np.float64)
        h, w, _ = base.shape
        k = w / 480
        frames = [base]
        for length in (3, 6, 9):
            pan = rng.uniform(0.01, 0.02) * rng.choice([-1, 1])
            moved = np.roll(base, int(round(pan * w)), axis=1)
            frames.append(shaken(moved, length * k, rng.uniform(0, np.pi)))
        for f, pixels in enumerate(frames):
            name = f"burst{b:03d}-{f}.jpg"
            seconds = 36000 + 60 * b
            exif = Image.Exif()
            ifd = exif.get_ifd(0x8769)
            ifd[0x9003] = f"2024:01:01 {seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
            ifd[0x9291] = str(3 * f)
            Image.fromarray(np.clip(np.round(pixels), 0, 255).astype(np.uint8)).save(
                os.path.join(out, name), "JPEG", quality=92, exif=exif.tobytes())
            rows.append((name, b, f))
    with open(os.path.join(out, "truth.csv"), "w", newline="") as handle:
        csv.writer(handle).writerows([("file", "burst", "frame")] + rows)
    print(f"{len(goods)} bursts of 4 frames in {out}")


def count(out, predictions):
    truth = {row["file"]: row for row in csv.DictReader(open(os.path.join(out, "truth.csv")))}
    bursts = {}
    for row in csv.DictReader(open(predictions)):
        name = os.path.basename(row["path"])
        if name in truth:
            bursts.setdefault(truth[name]["burst"], []).append((int(truth[name]["frame"]), row["group"], int(row["rank"])))
    won = sum(1 for frames in bursts.values() if dict((f, r) for f, _, r in frames)[0] == 1)
    whole = sum(1 for frames in bursts.values() if len({g for _, g, _ in frames}) == 1)
    print(f"sharp frame ranked first in {won} of {len(bursts)} bursts; {whole} of {len(bursts)} bursts grouped whole")


if __name__ == "__main__":
    if sys.argv[1] == "MAKE":
        os.makedirs(sys.argv[4], exist_ok=True)
        make(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        count(sys.argv[2], sys.argv[3])
