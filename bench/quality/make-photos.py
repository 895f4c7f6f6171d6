#!/usr/bin/env python3
"""Builds the real-photo quality benchmark: DIR/good/*.jpg and DIR/bad/*.jpg.

Usage: make-photos.py --out DIR [--family a|b] [--seed 1] [--sources DIR] [--limit N]

Every photo is a crop of one of the real photographs listed in the family's
source list (family a: sources.txt, family b: sources-b.txt; fetched by
fetch-sources.sh). A crop ("scene") yields at most one GOOD version (a mild
edit: levels, saturation, unsharp mask) and one or two BAD versions (the same
kind of edit, then one or two faults). Family a's faults: focus blur, camera
shake, under/over-exposure, haze, sensor noise, tilt, heavy compression.
Family b's (other photos, other faults, several that global image statistics
cannot see): missed focus on the subject or the foreground, a moving subject,
strong vignetting, a colour cast, chromatic aberration, posterisation, dust
spots, a bad framing, and family a's blur and noise at milder strengths.
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


def read_sources(sources_dir, list_name="sources.txt"):
    rows = []
    with open(os.path.join(HERE, list_name)) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            pkg, ver, path, sha, *rest = line.split()
            name = rest[0] if rest else os.path.basename(path)
            full = os.path.join(sources_dir, name)
            if not os.path.exists(full):
                sys.exit(f"missing {full}: run bench/quality/fetch-sources.sh {sources_dir} {list_name}")
            with open(full, "rb") as g:
                if hashlib.sha256(g.read()).hexdigest() != sha:
                    print(f"warning: {name} differs from sources.txt; output will differ from the recipe",
                          file=sys.stderr)
            rows.append((pkg, name, full))
    return rows


# ---------------------------------------------------------------- the plan

def r(x, n=3):
    return float(round(float(x), n))


def plan_fault(rng, kind, scene=None, source_size=None):
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


def make_plan(rng, sources, family="a"):
    fam = FAMILIES[family]
    faults, order = fam["faults"], fam["order"]
    scenes, items = [], []
    for si, (pkg, name, path) in enumerate(sources):
        with Image.open(path) as im:
            size = im.size[::-1] if im.getexif().get(0x0112, 1) in (5, 6, 7, 8) else im.size
        n = SCENES_PER_SOURCE[1] if rng.random() < P_NINE else SCENES_PER_SOURCE[0]
        for _ in range(n):
            scene = {"index": len(scenes), "source": si, "crop": fam["plan_crop"](rng, size)}
            scenes.append(scene)
            if rng.random() < P_GOOD:
                items.append({"scene": scene["index"], "label": "good", "edit": plan_edit(rng), "faults": []})
            n_bad = 2 if rng.random() < P_TWO_BAD else 1
            kinds = list(rng.choice(len(faults), size=n_bad, replace=False))
            for k in kinds:
                chosen = [faults[k]]
                if rng.random() < P_TWO_FAULTS:
                    others = [f for f in faults if f != faults[k]
                              and not any({f, faults[k]} <= group for group in fam["exclusive"])]
                    chosen.append(others[int(rng.integers(len(others)))])
                chosen.sort(key=order.get)
                items.append({"scene": scene["index"], "label": "bad", "edit": plan_edit(rng),
                              "faults": [fam["plan_fault"](rng, f, scene, size) for f in chosen]})
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
        return Image.fromarray(to_u8(motion_blur(np.asarray(img, dtype=np.float32), f["length480"] * k, f["angle"])))
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
    def text(v):
        return "/".join(map(str, v)) if isinstance(v, (tuple, list)) else str(v)
    return " ".join(f"{k}={text(v)}" for k, v in d.items() if k != "kind")


# ---------------------------------------------------------------- family b: other faults
#
# Several of these leave global statistics (sharpness, exposure percentiles,
# colourfulness, noise of the whole frame) nearly unchanged: a blurred subject
# in a sharp frame, a moving subject, dust spots, fringes at the edges, bands
# in smooth gradients, a badly framed crop.

B_FAULTS = ["focus", "motion", "vignette", "cast", "chromatic", "posterize", "dust", "crop", "soft", "grain"]
# Order in which two faults are applied: framing, lens and subject, white balance, sensor, processing.
B_FAULT_ORDER = {f: i for i, f in enumerate(
    ["crop", "focus", "motion", "soft", "vignette", "chromatic", "cast", "dust", "grain", "posterize"])}
B_EXCLUSIVE = [{"focus", "motion", "soft"}]   # at most one of these per photo
B_MIN_WIDTH = 560      # crops narrower than this (small sources) take the other orientation
CAST_GAINS = {"warm": (1, 0, -1), "cool": (-1, 0, 1), "green": (-0.5, 1, -0.5), "magenta": (0.5, -1, 0.5)}


def size_for(aspect_name, long_side):
    """Output size with h/w >= 1/aspect (see plan_crop)."""
    a = ASPECTS[aspect_name]
    if a >= 1:
        return (long_side, math.ceil(long_side / a - 1e-9))
    return (math.floor(long_side * a + 1e-9), long_side)


def plan_crop_b(rng, size):
    """plan_crop, except that a crop whose output would be narrower than
    B_MIN_WIDTH (a portrait crop of a small landscape source) takes the other
    orientation; the draws are the same either way."""
    W, H = size
    portrait_source = H > W
    own = rng.random() < 0.7
    u_aspect, frac, ux, uy, target = rng.random(), rng.uniform(*AREA), rng.random(), rng.random(), rng.uniform(*LONG_SIDE)
    for flip in (False, True):
        portrait = portrait_source == (own != flip)
        names = ["2:3", "3:4"] if portrait else ["3:2", "4:3", "16:9"]
        aspect_name = names[int(u_aspect * len(names))]
        a = ASPECTS[aspect_name]
        w = math.sqrt(frac * W * H * a)
        h = w / a
        shrink = min(1.0, W / w, H / h)
        w, h = w * shrink, h * shrink
        long_side = int(min(target, max(w, h)))
        out = size_for(aspect_name, long_side)
        if out[0] >= B_MIN_WIDTH:
            break
    x0, y0 = ux * (W - w), uy * (H - h)
    box = tuple(round(v, 2) for v in (x0, y0, x0 + w, y0 + h))
    return {"aspect": aspect_name, "box": box, "long_side": long_side, "size": out}


def plan_fault_b(rng, kind, scene, source_size):
    if kind == "focus":   # focus missed: the subject (or the foreground) blurred, the rest sharp
        if rng.random() < 0.6:
            return {"kind": "focus", "where": "subject", "sigma480": r(rng.uniform(1.5, 4.0)),
                    "rx": r(rng.uniform(0.15, 0.3)), "ry": r(rng.uniform(0.15, 0.3))}
        return {"kind": "focus", "where": "foreground", "sigma480": r(rng.uniform(1.5, 4.0)),
                "start": r(rng.uniform(0.4, 0.7))}
    if kind == "motion":  # a moving subject: local motion blur
        return {"kind": "motion", "length480": r(rng.uniform(6, 16)), "angle": r(rng.uniform(0, 180), 1),
                "rx": r(rng.uniform(0.15, 0.3)), "ry": r(rng.uniform(0.15, 0.3))}
    if kind == "vignette":
        return {"kind": "vignette", "strength": r(rng.uniform(0.55, 0.85)), "power": r(rng.uniform(1.5, 2.5))}
    if kind == "cast":    # wrong white balance
        tints = sorted(CAST_GAINS)
        return {"kind": "cast", "tint": tints[int(rng.integers(len(tints)))], "strength": r(rng.uniform(0.15, 0.35))}
    if kind == "chromatic":   # lateral chromatic aberration: red and blue scaled apart
        return {"kind": "chromatic", "corner480": r(rng.uniform(1.5, 4.0))}
    if kind == "posterize":
        return {"kind": "posterize", "levels": int(rng.integers(8, 21))}
    if kind == "dust":
        return {"kind": "dust", "spots": int(rng.integers(5, 15)), "darkness": r(rng.uniform(0.3, 0.6)),
                "seed": int(rng.integers(2**31))}
    if kind == "crop":    # badly framed: a small crop against the top or bottom edge (mostly sky or ground), or a corner
        W, H = source_size
        where = ["top", "bottom", "corner"][int(rng.integers(3))]
        aspect_name = scene["crop"]["aspect"]
        a = ASPECTS[aspect_name]
        frac = rng.uniform(0.10, 0.20)
        frac = min(0.5, max(frac, B_MIN_WIDTH ** 2 / (a * W * H) * 1.02))   # wide enough for 480 px
        w = math.sqrt(frac * W * H * a)
        h = w / a
        shrink = min(1.0, W / w, H / h)
        w, h = w * shrink, h * shrink
        ux, uy = rng.random(), rng.random()
        x0 = ux * (W - w)
        y0 = {"top": 0.0, "bottom": H - h, "corner": (H - h) * round(uy)}[where]
        if where == "corner":
            x0 = (W - w) * round(ux)
        long_side = int(min(scene["crop"]["long_side"], max(w, h)))
        box = tuple(round(v, 2) for v in (x0, y0, x0 + w, y0 + h))
        return {"kind": "crop", "where": where, "box": box, "size": size_for(aspect_name, long_side)}
    if kind == "soft":    # family a's blur, milder
        return {"kind": "soft", "sigma480": r(rng.uniform(0.5, 1.1))}
    if kind == "grain":   # family a's noise, milder
        return {"kind": "grain", "sigma": r(rng.uniform(3, 8), 2), "seed": int(rng.integers(2**31))}
    raise ValueError(kind)


def subject_centre(a):
    """Where the detail is: the centre (fractions of width, height) of the
    window, among those centred in the middle 60% of the frame, with the most
    Laplacian energy (the photo's likely subject). Deterministic."""
    g = luminance(a)
    step = max(1, int(round(g.shape[1] / 160)))
    g = g[::step, ::step]
    lap = np.abs(g[1:-1, :-2] + g[1:-1, 2:] + g[:-2, 1:-1] + g[2:, 1:-1] - 4 * g[1:-1, 1:-1])
    h, w = lap.shape
    kh, kw = max(1, h // 4), max(1, w // 4)
    ii = np.pad(lap.cumsum(0).cumsum(1), ((1, 0), (1, 0)))
    win = ii[kh:, kw:] - ii[:-kh, kw:] - ii[kh:, :-kw] + ii[:-kh, :-kw]   # sums of kh x kw windows
    cy = (np.arange(win.shape[0]) + kh / 2) / h
    cx = (np.arange(win.shape[1]) + kw / 2) / w
    ok = ((cy >= 0.2) & (cy <= 0.8))[:, None] & ((cx >= 0.2) & (cx <= 0.8))[None, :]
    i = int(np.argmax(np.where(ok, win, -1)))
    return r(cx[i % win.shape[1]]), r(cy[i // win.shape[1]])


def ellipse_mask(H, W, cx, cy, rx, ry, feather=0.35):
    """1 inside the ellipse (radii rx*W, ry*H), 0 outside, a soft edge of `feather` of the radius."""
    y = (np.arange(H, dtype=np.float32)[:, None] / H - cy) / ry
    x = (np.arange(W, dtype=np.float32)[None, :] / W - cx) / rx
    d = np.sqrt(x * x + y * y)
    return np.clip((1 + feather - d) / (2 * feather), 0, 1)[..., None]


def motion_blur(a, length, angle):
    """Linear motion blur: the mean of integer-shifted copies along the angle, edges replicated."""
    n = max(2, int(math.ceil(length)) + 1)
    t = np.linspace(-length / 2, length / 2, n)
    th = math.radians(angle)
    dx = np.rint(t * math.cos(th)).astype(int)
    dy = np.rint(t * math.sin(th)).astype(int)
    px, py = int(np.abs(dx).max()), int(np.abs(dy).max())
    padded = np.pad(a, ((py, py), (px, px), (0, 0)), mode="edge")
    H, W = a.shape[:2]
    acc = np.zeros_like(a)
    for x, y in zip(dx, dy):
        acc += padded[py + y:py + y + H, px + x:px + x + W]
    return acc / n


def apply_fault_b(img, f):
    k = img.width / REF_WIDTH
    kind = f["kind"]
    if kind == "crop":      # the crop itself is made from the source (main)
        return img
    if kind == "soft":
        return apply_fault(img, {"kind": "blur", "sigma480": f["sigma480"]})
    if kind == "grain":
        return apply_fault(img, {"kind": "noise", "sigma": f["sigma"], "seed": f["seed"]})
    a = np.asarray(img, dtype=np.float32)
    H, W = a.shape[:2]
    if kind in ("focus", "motion"):
        if kind == "focus":
            blurred = np.asarray(img.filter(ImageFilter.GaussianBlur(radius=f["sigma480"] * k)), dtype=np.float32)
        else:
            blurred = motion_blur(a, f["length480"] * k, f["angle"])
        if f.get("where", "subject") == "subject":
            f["cx"], f["cy"] = subject_centre(a)     # recorded in the recipe
            m = ellipse_mask(H, W, f["cx"], f["cy"], f["rx"], f["ry"])
        else:   # foreground: no blur above `start` (fraction of the height), full blur at the bottom
            y = np.arange(H, dtype=np.float32) / H
            m = np.clip((y - f["start"]) / (1 - f["start"]), 0, 1)[:, None, None] ** 0.7
        return Image.fromarray(to_u8(a + m * (blurred - a)))
    if kind == "vignette":   # in linear light, corners darkened by `strength`
        y = (np.arange(H, dtype=np.float32)[:, None] - (H - 1) / 2)
        x = (np.arange(W, dtype=np.float32)[None, :] - (W - 1) / 2)
        rr = np.sqrt(x * x + y * y) / math.hypot(W / 2, H / 2)
        gain = (1 - f["strength"] * rr ** f["power"])[..., None]
        return Image.fromarray(lin_to_srgb_u8(SRGB_TO_LIN[np.asarray(img)] * gain))
    if kind == "cast":       # channel gains in linear light, luminance kept
        g = 1 + f["strength"] * np.array(CAST_GAINS[f["tint"]], dtype=np.float32)
        g /= 0.2126 * g[0] + 0.7152 * g[1] + 0.0722 * g[2]
        return Image.fromarray(lin_to_srgb_u8(SRGB_TO_LIN[np.asarray(img)] * g))
    if kind == "chromatic":  # red magnified most, blue least, about the centre: fringes grow toward the edges
        d = f["corner480"] * k / math.hypot(W / 2, H / 2) / 2   # red and blue corner480 (at 480 px) apart in the corners
        r_, g_, b_ = img.split()

        def scaled(ch, s):   # output pixel p samples the input at centre + (p - centre) / s; s >= 1 stays inside
            c = ((W - 1) / 2, (H - 1) / 2)
            return ch.transform((W, H), Image.AFFINE, (1 / s, 0, c[0] * (1 - 1 / s), 0, 1 / s, c[1] * (1 - 1 / s)),
                                resample=Image.BICUBIC)
        return Image.merge("RGB", (scaled(r_, 1 + 2 * d), scaled(g_, 1 + d), b_))
    if kind == "posterize":  # each channel quantised to `levels` values: bands in smooth gradients
        step = 255.0 / (f["levels"] - 1)
        return Image.fromarray(to_u8(np.round(a / step) * step))
    if kind == "dust":       # soft dark spots, as dust on the sensor shows at small apertures
        rng = np.random.default_rng(f["seed"])
        out = a.copy()
        for _ in range(f["spots"]):
            cx, cy = rng.uniform(0, W), rng.uniform(0, H)
            rad = rng.uniform(2.5, 7.0) * k
            x0, x1 = int(max(0, cx - 3 * rad)), int(min(W, cx + 3 * rad + 1))
            y0, y1 = int(max(0, cy - 3 * rad)), int(min(H, cy + 3 * rad + 1))
            yy, xx = np.mgrid[y0:y1, x0:x1].astype(np.float32)
            spot = np.exp(-(((xx - cx) ** 2 + (yy - cy) ** 2) / (rad * rad)) ** 2)   # flat-topped, soft edge
            out[y0:y1, x0:x1] *= (1 - f["darkness"] * rng.uniform(0.6, 1.0) * spot)[..., None]
        return Image.fromarray(to_u8(out))
    raise ValueError(kind)


FAMILIES = {
    "a": {"sources": "sources.txt", "faults": FAULTS, "order": FAULT_ORDER, "exclusive": [{"blur", "shake"}],
          "plan_crop": plan_crop, "plan_fault": plan_fault, "apply_fault": apply_fault},
    "b": {"sources": "sources-b.txt", "faults": B_FAULTS, "order": B_FAULT_ORDER, "exclusive": B_EXCLUSIVE,
          "plan_crop": plan_crop_b, "plan_fault": plan_fault_b, "apply_fault": apply_fault_b},
}


# ---------------------------------------------------------------- main

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--family", choices=sorted(FAMILIES), default="a")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--sources", default="work/quality-sources")
    ap.add_argument("--limit", type=int, default=0, help="render only the first N scenes (for a quick look)")
    args = ap.parse_args()

    fam = FAMILIES[args.family]
    sources = read_sources(args.sources, fam["sources"])
    rng = np.random.default_rng(args.seed)
    scenes, items = make_plan(rng, sources, args.family)

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
            reframed = [f for f in it["faults"] if f["kind"] == "crop"]   # family b: another crop of the source
            base = cached[1].resize(reframed[0]["size"], Image.LANCZOS, box=reframed[0]["box"]) if reframed else crop
            img = apply_edit(base, it["edit"])
            for f in it["faults"]:
                img = fam["apply_fault"](img, f)
            save_jpeg(img, os.path.join(args.out, it["file"]), it["orientation"])
            rows.append({
                "file": it["file"], "label": it["label"], "source": name, "package": pkg,
                "scene": sc["index"], "crop_box": " ".join(map(str, sc["crop"]["box"])),
                "aspect": sc["crop"]["aspect"], "long_side": L, "width": img.width, "height": img.height,
                "edit": fmt_params(it["edit"]),
                "faults": "; ".join(f"{f['kind']} {fmt_params(f)}".strip() for f in it["faults"]),
                "orientation": it["orientation"],
                "fault": "+".join(f["kind"] for f in it["faults"]),
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
