#!/usr/bin/env python3
"""Builds the real-photo quality benchmark: DIR/good/*.jpg and DIR/bad/*.jpg.

Usage: make-photos.py --out DIR [--seed 1] [--sources DIR] [--limit N]

Every photo is a crop of one of the real photographs listed in sources.txt
(fetched by fetch-sources.sh). A crop ("scene") yields at most one GOOD
version (a mild edit: levels, saturation, unsharp mask) and one or two BAD
versions (the same kind of edit, then one or two faults: focus blur, camera
shake, under/over-exposure, haze, sensor noise, tilt, heavy compression).
Every fault is scaled by width/480 so it stays visible once Keepers shrinks
the photo to 480 px wide. DIR/recipe.csv records how each file was made.
All randomness comes from numpy's default_rng(seed): the same seed, sources
and Pillow/numpy versions give the same bytes. See docs/quality-benchmark.md.
"""
import argparse
import csv
import hashlib
import io
import math
import os
import sys
import time

import numpy as np
from PIL import Image, ImageEnhance, ImageFilter, ImageOps

HERE = os.path.dirname(os.path.abspath(__file__))

SCENES_PER_SOURCE = (8, 9)   # 9 with probability P_NINE
P_NINE = 0.7
P_GOOD = 0.85                # a scene has a good version with this probability
P_TWO_BAD = 0.65             # ... and two bad versions (else one)
P_TWO_FAULTS = 0.15          # a bad version carries two faults
P_ORIENTED = 0.10            # files stored rotated with an EXIF Orientation tag
AREA = (0.55, 0.90)
LONG_SIDE = (1200, 3000)
ASPECTS = {"3:2": 1.5, "4:3": 4 / 3, "16:9": 16 / 9, "2:3": 2 / 3, "3:4": 3 / 4}
FAULTS = ["blur", "shake", "exposure", "haze", "noise", "tilt", "compression"]
# Order in which two faults are applied (roughly the order of capture, then storage).
FAULT_ORDER = {f: i for i, f in enumerate(["shake", "blur", "exposure", "haze", "noise", "tilt", "compression"])}
REF_WIDTH = 480.0
JPEG_QUALITY = 92


def read_sources(sources_dir):
    rows = []
    with open(os.path.join(HERE, "sources.txt")) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            pkg, ver, path, sha = line.split()
            name = os.path.basename(path)
            full = os.path.join(sources_dir, name)
            if not os.path.exists(full):
                sys.exit(f"missing {full}: run bench/quality/fetch-sources.sh {sources_dir}")
            with open(full, "rb") as g:
                if hashlib.sha256(g.read()).hexdigest() != sha:
                    print(f"warning: {name} differs from sources.txt; output will differ from the recipe",
                          file=sys.stderr)
            rows.append((pkg, name, full))
    return rows


# ---------------------------------------------------------------- the plan

def r(x, n=3):
    return float(round(float(x), n))


def plan_fault(rng, kind):
    if kind == "blur":
        return {"kind": "blur", "sigma480": r(rng.uniform(0.8, 2.5))}
    if kind == "shake":
        return {"kind": "shake", "length480": r(rng.uniform(3, 9)), "angle": r(rng.uniform(0, 180), 1)}
    if kind == "exposure":
        if rng.random() < 0.5:
            return {"kind": "under", "gain": r(rng.uniform(0.3, 0.6))}
        return {"kind": "over", "gain": r(rng.uniform(1.7, 3.0))}
    if kind == "haze":
        grey = int(rng.integers(195, 236))
        return {"kind": "haze", "alpha": r(rng.uniform(0.3, 0.55)), "grey": grey,
                "blue": int(rng.integers(0, 12))}
    if kind == "noise":
        return {"kind": "noise", "sigma": r(rng.uniform(6, 20), 2), "seed": int(rng.integers(2**31))}
    if kind == "tilt":
        return {"kind": "tilt", "degrees": r(rng.uniform(3, 8) * rng.choice([-1, 1]), 2)}
    if kind == "compression":
        return {"kind": "compression", "quality": int(rng.integers(5, 16)), "factor": r(rng.uniform(2, 3))}
    raise ValueError(kind)


def plan_edit(rng):
    return {"levels": r(rng.uniform(0.3, 0.8)), "saturation": r(rng.uniform(1.05, 1.25)),
            "sharpen_radius": r(rng.uniform(0.8, 1.6)), "sharpen_percent": int(rng.integers(30, 71))}


def plan_crop(rng, size):
    W, H = size
    portrait_source = H > W
    if rng.random() < 0.7:   # mostly the source's own orientation
        names = ["2:3", "3:4"] if portrait_source else ["3:2", "4:3", "16:9"]
    else:
        names = ["3:2", "4:3", "16:9"] if portrait_source else ["2:3", "3:4"]
    aspect_name = names[int(rng.integers(len(names)))]
    a = ASPECTS[aspect_name]
    frac = rng.uniform(*AREA)
    w = math.sqrt(frac * W * H * a)
    h = w / a
    shrink = min(1.0, W / w, H / h)    # a portrait crop of a landscape photo may not reach 55%
    w, h = w * shrink, h * shrink
    x0 = rng.uniform(0, W - w)
    y0 = rng.uniform(0, H - h)
    target = rng.uniform(*LONG_SIDE)
    long_side = int(min(target, max(w, h)))     # never upscale
    # Exact output size with h/w >= 1/a, so Keepers' 480-px height (rounded down to
    # the height quantum) lands in the aspect's nominal bucket, as a camera's would.
    if a >= 1:
        size = (long_side, math.ceil(long_side / a - 1e-9))
    else:
        size = (math.floor(long_side * a + 1e-9), long_side)
    box = tuple(round(v, 2) for v in (x0, y0, x0 + w, y0 + h))
    return {"aspect": aspect_name, "box": box, "long_side": long_side, "size": size}


def make_plan(rng, sources):
    scenes, items = [], []
    for si, (pkg, name, path) in enumerate(sources):
        with Image.open(path) as im:
            size = im.size[::-1] if im.getexif().get(0x0112, 1) in (5, 6, 7, 8) else im.size
        n = SCENES_PER_SOURCE[1] if rng.random() < P_NINE else SCENES_PER_SOURCE[0]
        for _ in range(n):
            scene = {"index": len(scenes), "source": si, "crop": plan_crop(rng, size)}
            scenes.append(scene)
            if rng.random() < P_GOOD:
                items.append({"scene": scene["index"], "label": "good", "edit": plan_edit(rng), "faults": []})
            n_bad = 2 if rng.random() < P_TWO_BAD else 1
            kinds = list(rng.choice(len(FAULTS), size=n_bad, replace=False))
            for k in kinds:
                chosen = [FAULTS[k]]
                if rng.random() < P_TWO_FAULTS:
                    others = [f for f in FAULTS if f != FAULTS[k]
                              and not {f, FAULTS[k]} <= {"blur", "shake"}]
                    chosen.append(others[int(rng.integers(len(others)))])
                chosen.sort(key=FAULT_ORDER.get)
                items.append({"scene": scene["index"], "label": "bad", "edit": plan_edit(rng),
                              "faults": [plan_fault(rng, f) for f in chosen]})
    for it in items:
        if rng.random() < P_ORIENTED:
            it["orientation"] = int(rng.choice([6, 8, 3]))
        else:
            it["orientation"] = 1
    numbers = rng.permutation(len(items)) + 1
    for it, num in zip(items, numbers):
        it["file"] = f"{it['label']}/p{num:04d}.jpg"
    return scenes, items


# ---------------------------------------------------------------- image operations

def to_u8(x):
    """float32 array (consumed) -> uint8, rounded and clipped."""
    x = np.asarray(x, dtype=np.float32)
    np.clip(x, 0, 255, out=x)
    x += 0.5
    return x.astype(np.uint8)


def luminance(a):
    return a[..., 0] * 0.299 + a[..., 1] * 0.587 + a[..., 2] * 0.114


def apply_edit(img, e):
    lum = luminance(np.asarray(img, dtype=np.float32)[::4, ::4])
    lo, hi = np.percentile(lum, [0.5, 99.5])
    black = e["levels"] * lo                      # move the black and white points part of the
    white = 255 - e["levels"] * (255 - hi)        # way towards the 0.5/99.5 percentiles
    if white - black > 32:
        lut = to_u8((np.arange(256, dtype=np.float32) - black) * (255.0 / (white - black)))
        img = img.point(list(lut) * 3)
    img = ImageEnhance.Color(img).enhance(e["saturation"])
    scale = max(1.0, img.width / 1600)
    return img.filter(ImageFilter.UnsharpMask(radius=e["sharpen_radius"] * scale,
                                              percent=e["sharpen_percent"], threshold=2))


SRGB_TO_LIN = np.array([(c / 255) / 12.92 if c / 255 <= 0.04045 else ((c / 255 + 0.055) / 1.055) ** 2.4
                        for c in range(256)], dtype=np.float32)


def lin_to_srgb_u8(lin):
    lin = np.clip(lin, 0, 1)
    # 4096-entry table: exact enough for 8-bit output and much faster than pow on every pixel
    grid = np.linspace(0, 1, 4097, dtype=np.float64)
    s = np.where(grid <= 0.0031308, grid * 12.92, 1.055 * np.power(grid, 1 / 2.4) - 0.055)
    table = np.clip(np.rint(s * 255), 0, 255).astype(np.uint8)
    return table[np.rint(lin * 4096).astype(np.int32)]


def apply_fault(img, f):
    k = img.width / REF_WIDTH
    kind = f["kind"]
    if kind == "blur":
        return img.filter(ImageFilter.GaussianBlur(radius=f["sigma480"] * k))
    if kind == "shake":
        a = np.asarray(img, dtype=np.float32)
        length = f["length480"] * k
        n = max(2, int(math.ceil(length)) + 1)
        t = np.linspace(-length / 2, length / 2, n)
        th = math.radians(f["angle"])
        dx = np.rint(t * math.cos(th)).astype(int)
        dy = np.rint(t * math.sin(th)).astype(int)
        px, py = int(np.abs(dx).max()), int(np.abs(dy).max())
        padded = np.pad(a, ((py, py), (px, px), (0, 0)), mode="edge")
        H, W = a.shape[:2]
        acc = np.zeros_like(a)
        for x, y in zip(dx, dy):
            acc += padded[py + y:py + y + H, px + x:px + x + W]
        return Image.fromarray(to_u8(acc / n))
    if kind in ("under", "over"):
        lin = SRGB_TO_LIN[np.asarray(img)] * f["gain"]
        return Image.fromarray(lin_to_srgb_u8(lin))
    if kind == "haze":
        a = np.asarray(img, dtype=np.float32)
        g = f["grey"]
        veil = np.array([g - f["blue"] / 2, g, g + f["blue"]], dtype=np.float32)
        return Image.fromarray(to_u8(a * (1 - f["alpha"]) + veil * f["alpha"]))
    if kind == "noise":
        rng = np.random.default_rng(f["seed"])
        a = np.asarray(img, dtype=np.float32)
        H, W = a.shape[:2]
        w0, h0 = int(REF_WIDTH), max(1, round(H * REF_WIDTH / W))
        s = f["sigma"]

        def coarse(sigma):   # generated at 480-px scale, upsampled: survives the downscale
            n = rng.standard_normal((h0, w0), dtype=np.float32) * sigma
            return np.asarray(Image.fromarray(n, mode="F").resize((W, H), Image.BILINEAR))

        lum_n = coarse(s * 0.85)
        cb, cr = coarse(s * 0.45), coarse(s * 0.45)
        fine = rng.standard_normal(a.shape, dtype=np.float32) * (s * 0.5)
        # shot-noise-like: shadows noisier than highlights
        weight = (1.4 - 0.8 * luminance(a) / 255)[..., None]
        chroma = np.stack([1.402 * cr, -0.344 * cb - 0.714 * cr, 1.772 * cb], axis=-1)
        return Image.fromarray(to_u8(a + weight * (lum_n[..., None] + chroma + fine)))
    if kind == "tilt":
        w, h = img.size
        th = math.radians(abs(f["degrees"]))
        s = min(w / (w * math.cos(th) + h * math.sin(th)), h / (w * math.sin(th) + h * math.cos(th)))
        rot = img.rotate(f["degrees"], resample=Image.BICUBIC, expand=False)
        cw = int(w * s) - 4                 # a 2-px margin keeps the rotated corners out
        ch = math.ceil(cw * h / w - 1e-9)   # same aspect, never wider than the original
        x0, y0 = (w - cw) // 2, (h - ch) // 2
        return rot.crop((x0, y0, x0 + cw, y0 + ch))
    if kind == "compression":
        w, h = img.size
        small = img.resize((max(16, round(w / f["factor"])), max(16, round(h / f["factor"]))), Image.LANCZOS)
        buf = io.BytesIO()
        small.save(buf, "JPEG", quality=f["quality"])
        buf.seek(0)
        with Image.open(buf) as j:
            return j.convert("RGB").resize((w, h), Image.BICUBIC)
    raise ValueError(kind)


STORE_TRANSPOSE = {  # stored pixels such that applying the EXIF Orientation restores the photo
    3: Image.Transpose.ROTATE_180,
    6: Image.Transpose.ROTATE_90,    # viewer rotates 90 clockwise
    8: Image.Transpose.ROTATE_270,   # viewer rotates 90 counter-clockwise
}


def save_jpeg(img, path, orientation):
    kw = {"quality": JPEG_QUALITY}
    if orientation != 1:
        img = img.transpose(STORE_TRANSPOSE[orientation])
        exif = Image.Exif()
        exif[0x0112] = orientation
        kw["exif"] = exif.tobytes()
    tmp = path + ".tmp"
    img.save(tmp, "JPEG", **kw)
    os.replace(tmp, path)


def fmt_params(d):
    return " ".join(f"{k}={v}" for k, v in d.items() if k != "kind")


# ---------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--sources", default="work/quality-sources")
    ap.add_argument("--limit", type=int, default=0, help="render only the first N scenes (for a quick look)")
    args = ap.parse_args()

    sources = read_sources(args.sources)
    rng = np.random.default_rng(args.seed)
    scenes, items = make_plan(rng, sources)

    for label in ("good", "bad"):
        d = os.path.join(args.out, label)
        os.makedirs(d, exist_ok=True)
        for name in os.listdir(d):
            if name.endswith(".jpg") or name.endswith(".tmp"):
                os.remove(os.path.join(d, name))

    by_scene = {}
    for it in items:
        by_scene.setdefault(it["scene"], []).append(it)
    if args.limit:
        scenes = scenes[:args.limit]
    t0 = time.time()
    rows, done, cached = [], 0, (None, None)
    total = sum(len(by_scene.get(sc["index"], [])) for sc in scenes)
    for sc in scenes:
        pkg, name, path = sources[sc["source"]]
        if cached[0] != path:
            with Image.open(path) as im:
                cached = (path, ImageOps.exif_transpose(im).convert("RGB"))
        L = sc["crop"]["long_side"]
        crop = cached[1].resize(sc["crop"]["size"], Image.LANCZOS, box=sc["crop"]["box"])
        for it in by_scene.get(sc["index"], []):
            img = apply_edit(crop, it["edit"])
            for f in it["faults"]:
                img = apply_fault(img, f)
            save_jpeg(img, os.path.join(args.out, it["file"]), it["orientation"])
            rows.append({
                "file": it["file"], "label": it["label"], "source": name, "package": pkg,
                "scene": sc["index"], "crop_box": " ".join(map(str, sc["crop"]["box"])),
                "aspect": sc["crop"]["aspect"], "long_side": L, "width": img.width, "height": img.height,
                "edit": fmt_params(it["edit"]),
                "faults": "; ".join(f"{f['kind']} {fmt_params(f)}".strip() for f in it["faults"]),
                "orientation": it["orientation"],
            })
            done += 1
            if done % 50 == 0:
                print(f"{done}/{total} photos, {time.time() - t0:.0f} s", file=sys.stderr)

    rows.sort(key=lambda r: r["file"].split("/")[1])
    with open(os.path.join(args.out, "recipe.csv"), "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
        w.writeheader()
        w.writerows(rows)
    n_good = sum(r["label"] == "good" for r in rows)
    print(f"{len(rows)} photos ({n_good} good, {len(rows) - n_good} bad) from {len(scenes)} scenes "
          f"in {time.time() - t0:.0f} s -> {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
