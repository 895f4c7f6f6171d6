#!/usr/bin/env python3
"""Turns keepers-samples' photos into a library with the variety of an archive.

Usage: scale_library.py SAMPLES PHOTOS SINGLES [UNTIMED [CROPPED [PROCESSES]]]

SAMPLES is what keepers-samples wrote (good/ and bad/, IMG_<1000+index>.jpg;
the photos from index SINGLES on are bursts of 4 frames). Every photo is moved
to the same path under PHOTOS, most of them as they are (a rename); the others
are rewritten as JPEG (quality 90), the burst frames of one scene always the
same way:

- a share CROPPED (default 0.35) is cropped to another aspect ratio, drawn
  from panoramas (3:1, 2:1, 21:9), tall panoramas (1:2, 9:16), 5:4, 4:5, 3:4
  and a free crop of any aspect between 1:2.5 and 3:1, at a random offset.
  keepers-samples already draws 3:2, 4:3, 16:9, 2:3 and 1:1; the crops add
  shapes, which is what predict's per-shape plans and buffers grow with.
- a share UNTIMED (default 0.2) loses its EXIF (capture time included), as an
  export, a scan or a messaging-app copy does; its pixels are turned upright
  first (the EXIF orientation goes with the EXIF).
  Cropped photos that keep their time keep their EXIF, orientation reset.

Each decision is drawn from the file's index (seeded), so the library is the
same on every machine. Resumable: a photo already under PHOTOS is skipped, so
a run killed halfway finishes the rest when started again. Prints one line of
counts.
"""
import os
import random
import sys
from multiprocessing import Pool

from PIL import Image, ImageOps

ORIENTATION = 0x0112
# (width, height) aspects the crops draw from; None: a free crop.
ASPECTS = [(3, 1), (2, 1), (21, 9), (1, 2), (9, 16), (5, 4), (4, 5), (3, 4), None, None]


def plan(index, singles, untimed, cropped, seed=2024):
    """(aspect or None, strip) for the photo with this index."""
    scene = index if index < singles else singles + (index - singles) // 4 * 4
    rng = random.Random(seed * 1_000_003 + scene)
    strip = rng.random() < untimed
    aspect = None
    if rng.random() < cropped:
        aspect = rng.choice(ASPECTS) or (rng.uniform(0.4, 3.0), 1.0)
    offset = (rng.random(), rng.random())
    return aspect, strip, offset


def crop(image, aspect, offset):
    w, h = image.size
    target = aspect[0] / aspect[1]
    if w / h > target:  # too wide: keep the height
        cw, ch = max(16, round(h * target)), h
    else:
        cw, ch = w, max(16, round(w / target))
    x = round((w - cw) * offset[0])
    y = round((h - ch) * offset[1])
    return image.crop((x, y, x + cw, y + ch))


def process(job):
    src, dst, aspect, strip, offset = job
    if os.path.exists(dst):
        return "skipped"
    os.makedirs(os.path.dirname(dst), exist_ok=True)
    if aspect is None and not strip:
        os.rename(src, dst)
        return "kept"
    with Image.open(src) as image:
        exif = image.getexif()
        # Load the sub-IFD with the capture time so that it is written back.
        exif.get_ifd(0x8769)
        upright = ImageOps.exif_transpose(image)
        if aspect is not None:
            upright = crop(upright, aspect, offset)
        options = {"quality": 90}
        if not strip:
            exif.pop(ORIENTATION, None)
            options["exif"] = exif.tobytes()
        # Hidden, so that ingest skips one a killed run leaves behind.
        tmp = os.path.join(os.path.dirname(dst), "." + os.path.basename(dst) + ".tmp")
        upright.save(tmp, "JPEG", **options)
    os.replace(tmp, dst)
    os.unlink(src)
    return ("cropped" if aspect is not None else "") + ("+" if aspect is not None and strip else "") + ("untimed" if strip else "")


def main():
    samples, photos, singles = sys.argv[1], sys.argv[2], int(sys.argv[3])
    untimed = float(sys.argv[4]) if len(sys.argv) > 4 else 0.2
    cropped = float(sys.argv[5]) if len(sys.argv) > 5 else 0.35
    processes = int(sys.argv[6]) if len(sys.argv) > 6 else os.cpu_count()
    jobs = []
    for label in ("good", "bad"):
        folder = os.path.join(samples, label)
        if not os.path.isdir(folder):
            continue
        for name in sorted(os.listdir(folder)):
            if not (name.startswith("IMG_") and name.endswith(".jpg")):
                continue
            index = int(name[4:-4]) - 1000
            aspect, strip, offset = plan(index, singles, untimed, cropped)
            jobs.append((os.path.join(folder, name), os.path.join(photos, label, name), aspect, strip, offset))
    counts = {}
    with Pool(processes) as pool:
        for outcome in pool.imap_unordered(process, jobs, chunksize=16):
            counts[outcome] = counts.get(outcome, 0) + 1
    print("library: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))


if __name__ == "__main__":
    main()
