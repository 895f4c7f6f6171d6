#!/usr/bin/env python3
"""What a decode change costs in pixels (docs/ingest.md): compares the stored
images of two ingests of the same photos, over the ids both manifests share,
by PSNR and mean absolute difference (0-255 scale). With PHOTOS (the folder
both ingested), also compares each against a reference made without any
shortcut: a full-resolution decode, EXIF rotation, Pillow LANCZOS to the
stored size over the same centre crop.

Usage: compare_images.py OLD_INGEST_DIR NEW_INGEST_DIR [PHOTOS [EVERY_NTH]]
"""
import json
import sys

import numpy as np
from PIL import Image, ImageOps


def manifest(folder):
    return {row["id"]: row for row in map(json.loads, open(f"{folder}/manifest.jsonl"))}


def load(folder, key):
    return np.asarray(Image.open(f"{folder}/images/{key}.png"), dtype=np.float64)


def reference(path, width, height):
    image = ImageOps.exif_transpose(Image.open(path)).convert("RGB")
    sw, sh = image.size
    scale = max(width / sw, height / sh)
    bw, bh = width / scale, height / scale
    box = (max(0, (sw - bw) / 2), max(0, (sh - bh) / 2), min(sw, (sw + bw) / 2), min(sh, (sh + bh) / 2))
    return np.asarray(image.resize((width, height), Image.LANCZOS, box=box), dtype=np.float64)


def psnr(a, b):
    mse = np.mean((a - b) ** 2)
    return 99.0 if mse == 0 else 10 * np.log10(255.0 ** 2 / mse)


def report(name, pairs):
    p = np.array([psnr(a, b) for a, b in pairs])
    d = np.array([np.mean(np.abs(a - b)) for a, b in pairs])
    print(f"{name}: {len(pairs)} images; PSNR dB mean {p.mean():.1f}, median {np.median(p):.1f}, "
          f"5th percentile {np.percentile(p, 5):.1f}, min {p.min():.1f}; mean abs diff mean {d.mean():.2f}, "
          f"95th percentile {np.percentile(d, 95):.2f}, max {d.max():.2f}")


def main():
    old_dir, new_dir = sys.argv[1:3]
    photos = sys.argv[3] if len(sys.argv) > 3 else None
    every = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    old, new = manifest(old_dir), manifest(new_dir)
    keys = sorted(old.keys() & new.keys())
    images = [(load(old_dir, k), load(new_dir, k)) for k in keys]
    same = [(a, b) for a, b in images if a.shape == b.shape]
    print(f"sizes differ: {len(images) - len(same)}")
    report("new against old", same)
    if photos:
        chosen = [(k, a, b) for k, (a, b) in zip(keys, images) if a.shape == b.shape][::every]
        refs = [reference(f"{photos}/{old[k]['source']}", a.shape[1], a.shape[0]) for k, a, _ in chosen]
        report("old against full decode + LANCZOS", [(a, r) for (_, a, _), r in zip(chosen, refs)])
        report("new against full decode + LANCZOS", [(b, r) for (_, _, b), r in zip(chosen, refs)])


if __name__ == "__main__":
    main()
