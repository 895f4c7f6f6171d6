"""Screens tilt measures on family a (docs/quality-benchmark.md, "Reasons"):
for each measure, the AUC of tilted photos against the good ones, and the
share of tilted photos at least 2 robust spreads above the good photos'
median (the deviation a culling reason needs), over all tilted photos and
over those whose source photograph has a horizon or verticals (LINES,
judged by eye from a contact sheet of the sources, before measuring).

    work/quality/venv/bin/python bench/quality/screen-tilt.py work/quality/photos

Measures, all on the 480-px-wide luminance:
  statistic-24   Keepers' log tilt peak over level (docs/model.md, 22-24),
                 from Sobel edges of magnitude >= 80;
  half-size      the same on the image halved (long lines weigh more);
  blocks-N       the same lean histogram over N x N blocks' structure tensor
                 orientations, weighted by coherence (lines, not texture);
  hough          the strongest straight line 1.5-11 degrees off an axis
                 against the strongest within 1 degree (orientation-limited
                 Hough transform over Sobel edges), as a log ratio."""
import csv
import math
import sys

import numpy as np
from PIL import Image, ImageOps
from scipy import ndimage
from sklearn.metrics import roc_auc_score

LINES = {"Bridge_by_Sander_Klootwijk.jpg", "Dune.jpg", "Storm.jpg", "Wine_by_Jakkub_Mede.jpg",
         "friends_by_Aitzol_Berasategi.jpg", "Kleiber_by_Lukas_Baubkus.jpg", "sunset_by_Aitzol_Berasategi.jpg"}


def luminance(path):
    im = ImageOps.exif_transpose(Image.open(path)).convert("RGB")
    w, h = im.size
    a = np.asarray(im.resize((480, max(1, round(h * 480 / w))), Image.LANCZOS)).astype(np.int32)
    return ((299 * a[..., 0] + 587 * a[..., 1] + 114 * a[..., 2] + 500) // 1000).astype(np.float64)


def peak_over_level(lean, way, weight):
    """log((peak + 0.001) / (level + 0.001)) of a weighted lean histogram (degrees off the nearest axis)."""
    total = weight.sum() + 1e-12
    level = weight[lean < 1].sum() / total
    peak = max(weight[(way == side) & (lean >= c - 1) & (lean < c + 1)].sum() / total
               for c in np.arange(2.5, 10.01, 0.5) for side in (0, 1))
    return math.log((peak + 0.001) / (level + 0.001))


def sobel_lean(y, threshold):
    gx, gy = ndimage.sobel(y, 1)[1:-1, 1:-1], ndimage.sobel(y, 0)[1:-1, 1:-1]
    ax, ay = np.abs(gx), np.abs(gy)
    big, small = np.maximum(ax, ay), np.minimum(ax, ay)
    s = big >= threshold
    way = ((gx[s] * gy[s] > 0) == (ax[s] >= ay[s])).astype(int)
    return np.degrees(np.arctan(small[s] / big[s])), way, big[s]


def block_lean(y, block):
    gx, gy = ndimage.sobel(y, 1), ndimage.sobel(y, 0)
    h, w = y.shape[0] // block * block, y.shape[1] // block * block
    def sums(a): return a[:h, :w].reshape(h // block, block, w // block, block).sum((1, 3)).ravel()
    jxx, jyy, jxy = sums(gx * gx), sums(gy * gy), sums(gx * gy)
    trace = jxx + jyy + 1e-9
    coherence = np.sqrt((jxx - jyy) ** 2 + 4 * jxy ** 2) / trace
    t = (0.5 * np.degrees(np.arctan2(2 * jxy, jxx - jyy)) + 45) % 90 - 45
    return np.abs(t), (t > 0).astype(int), np.sqrt(trace) * np.maximum(coherence - 0.5, 0)


def hough(y, threshold=80, spread=1.5):
    angles = np.arange(-12, 12.001, 0.25)
    gx, gy = ndimage.sobel(y, 1)[1:-1, 1:-1], ndimage.sobel(y, 0)[1:-1, 1:-1]
    rows, columns = np.mgrid[0:gx.shape[0], 0:gx.shape[1]]
    best = np.zeros(len(angles))
    for a, b, along, across, length in ((gy, gx, columns, rows, gx.shape[1]), (gx, gy, rows, columns, gx.shape[0])):
        s = (np.abs(a) >= threshold) & (np.abs(b) <= np.abs(a) * math.tan(math.radians(13)))
        lean = np.degrees(np.arctan(b[s] / a[s]))
        u, v = along[s].astype(float), across[s].astype(float)
        sign = -1 if a is gy else 1
        for i, angle in enumerate(angles):
            m = np.abs(lean - sign * angle) <= spread
            if m.any():
                rho = np.round(v[m] * math.cos(math.radians(angle)) + u[m] * math.sin(math.radians(angle))).astype(int)
                counts = np.bincount(rho - rho.min())
                best[i] = max(best[i], (counts[:-1] + counts[1:]).max() / length if len(counts) > 1 else 0)
    level, tilted = best[np.abs(angles) <= 1].max(), best[(np.abs(angles) >= 1.5) & (np.abs(angles) <= 11)].max()
    return math.log((tilted + 0.02) / (level + 0.02))


def measures(y):
    half = y[:y.shape[0] // 2 * 2, :y.shape[1] // 2 * 2].reshape(y.shape[0] // 2, 2, y.shape[1] // 2, 2).mean((1, 3))
    return {"statistic-24": peak_over_level(*sobel_lean(y, 80)), "half-size": peak_over_level(*sobel_lean(half, 40)),
            **{f"blocks-{b}": peak_over_level(*block_lean(y, b)) for b in (8, 16, 32)}, "hough": hough(y)}


def main(folder):
    rows = list(csv.DictReader(open(f"{folder}/recipe.csv")))
    good = [r for r in rows if r["label"] == "good"]
    tilted = [r for r in rows if r["label"] == "bad" and r["fault"] == "tilt"]
    values = {r["file"]: measures(luminance(f"{folder}/{r['file']}")) for r in good + tilted}
    lined = [r for r in tilted if r["source"] in LINES]
    print(f"{len(good)} good, {len(tilted)} tilted photos ({len(lined)} of sources with a horizon or verticals)")
    print("measure        AUC all  AUC lines  >= 2 spreads: all  lines   good")
    for name in values[good[0]["file"]]:
        g = np.array([values[r["file"]][name] for r in good])
        median, spread = np.median(g), np.subtract(*np.quantile(g, [0.75, 0.25])) / 1.349
        def auc(rs): return roc_auc_score([0] * len(g) + [1] * len(rs), list(g) + [values[r["file"]][name] for r in rs])
        def share(xs): return np.mean((np.array(xs) - median) / spread >= 2)
        print(f"{name:14s} {auc(tilted):7.3f} {auc(lined):10.3f} {share([values[r['file']][name] for r in tilted]):18.2f}"
              f" {share([values[r['file']][name] for r in lined]):6.2f} {share(g):6.2f}")


if __name__ == "__main__":
    main(sys.argv[1])
