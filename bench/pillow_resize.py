#!/usr/bin/env python3
"""The Pillow anchor of make bench: what a careful Python script does to turn
camera JPEGs into 480 px training images. draft() makes libjpeg decode at the
smallest DCT scale (1/1, 1/2, 1/4, 1/8) still covering the target, then EXIF
rotation, a LANCZOS reduce to exactly WIDTH wide with Keepers' centre crop
(height snapped down to 16, aspect in [0.5, 1.5]), and, with OUTDIR, a PNG
at compression 1 as keepers-ingest stores it. PROCESSES worker processes.

Usage: pillow_resize.py LIST WIDTH PROCESSES [OUTDIR]   (LIST: one path a line)
"""
import math
import os
import sys
from multiprocessing import Pool

from PIL import Image, ImageOps

QUANTUM, MIN_ASPECT, MAX_ASPECT = 16, 0.5, 1.5


def target_size(width, height, out_width):
    natural = out_width * height / width
    clamped = min(max(natural, out_width * MIN_ASPECT), out_width * MAX_ASPECT)
    return out_width, max(QUANTUM, int((clamped + 1e-9) // QUANTUM) * QUANTUM)


def convert(job):
    index, path, out_width, out_dir = job
    with Image.open(path) as image:
        swap = image.getexif().get(0x0112, 1) in (5, 6, 7, 8)
        width, height = (image.height, image.width) if swap else image.size
        tw, th = target_size(width, height, out_width)
        scale = max(tw / width, th / height)
        need = (math.ceil(width * scale), math.ceil(height * scale))
        image.draft("RGB", (need[1], need[0]) if swap else need)
        image = ImageOps.exif_transpose(image).convert("RGB")
        sw, sh = image.size
        scale = max(tw / sw, th / sh)
        bw, bh = tw / scale, th / scale
        box = (max(0, (sw - bw) / 2), max(0, (sh - bh) / 2), min(sw, (sw + bw) / 2), min(sh, (sh + bh) / 2))
        image = image.resize((tw, th), Image.LANCZOS, box=box)
        if out_dir:
            image.save(os.path.join(out_dir, f"{index}.png"), compress_level=1)
        else:
            image.tobytes()
    return 1


def main():
    paths = [line.rstrip("\n") for line in open(sys.argv[1]) if line.strip()]
    width, processes = int(sys.argv[2]), int(sys.argv[3])
    out_dir = sys.argv[4] if len(sys.argv) > 4 else None
    jobs = [(i, p, width, out_dir) for i, p in enumerate(paths)]
    with Pool(processes) as pool:
        done = sum(pool.imap_unordered(convert, jobs, chunksize=4))
    assert done == len(paths)


if __name__ == "__main__":
    main()
