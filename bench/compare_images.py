#!/usr/bin/env python3
"""Compares two ingests' stored images (docs/ingest.md), e.g. before and after
a decode change: PSNR and mean absolute difference per image, over the ids
both manifests share. Usage: compare_images.py OLD_INGEST_DIR NEW_INGEST_DIR"""
import json
import sys

import numpy as np
from PIL import Image


def manifest(folder):
    return {row["id"]: row for row in map(json.loads, open(f"{folder}/manifest.jsonl"))}


def main():
    old_dir, new_dir = sys.argv[1:3]
    old, new = manifest(old_dir), manifest(new_dir)
    psnr, mad, sizes_differ = [], [], 0
    for key in sorted(old.keys() & new.keys()):
        a = np.asarray(Image.open(f"{old_dir}/images/{key}.png"), dtype=np.float64)
        b = np.asarray(Image.open(f"{new_dir}/images/{key}.png"), dtype=np.float64)
        if a.shape != b.shape:
            sizes_differ += 1
            continue
        mse = np.mean((a - b) ** 2)
        psnr.append(99.0 if mse == 0 else 10 * np.log10(255.0 ** 2 / mse))
        mad.append(np.mean(np.abs(a - b)))
    psnr, mad = np.array(psnr), np.array(mad)
    print(f"images compared: {len(psnr)} (sizes differ: {sizes_differ})")
    print(f"PSNR dB: mean {psnr.mean():.2f}, median {np.median(psnr):.2f}, 5th percentile {np.percentile(psnr, 5):.2f}, min {psnr.min():.2f}")
    print(f"mean abs diff (0-255): mean {mad.mean():.2f}, median {np.median(mad):.2f}, 95th percentile {np.percentile(mad, 95):.2f}, max {mad.max():.2f}")


if __name__ == "__main__":
    main()
