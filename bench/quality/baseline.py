#!/usr/bin/env python3
"""Hand-made-feature baseline for Keepers shards: what a CNN has to beat.

Usage: baseline.py --shards WORK/<config>/shards [--json OUT.json] [--scores OUT.csv] [--features-only OUT.npz]

Reads the shards as docs/shards.md documents them, computes 16 statistics of
each image's luminance (sharpness, exposure, colourfulness, noise), fits a
logistic regression and a gradient-boosted tree model on the train and val
splits (each image once, repeats ignored) and prints the test split's ROC AUC
with a 95% bootstrap interval (1000 resamples, seed 1, percentile method).
--scores writes each test image's scores (id,label,logistic,boosting; label
1 = the positive class), for out-of-fold and per-fault figures (summary.py).
--features-only writes the features (with labels, splits and ids) and stops.
"""
import argparse
import json
import os
import sys
import time

import h5py
import numpy as np

FEATURES = [
    "log_lap_var", "log_lap_absmean", "log_grad_energy", "log_lap_p99",
    "mean", "std", "p1", "p5", "p50", "p95", "p99", "p99_minus_p1", "frac_dark", "frac_bright",
    "colourfulness", "log_noise",
]
CHUNK = 64


def features(images):
    """images: uint8 [N, H, W, 3] -> float64 [N, 16]."""
    x = images.astype(np.float32)
    r, g_, b = x[..., 0], x[..., 1], x[..., 2]
    g = 0.299 * r + 0.587 * g_ + 0.114 * b
    n = g.shape[0]
    c = g[:, 1:-1, 1:-1]
    lap = g[:, 1:-1, :-2] + g[:, 1:-1, 2:] + g[:, :-2, 1:-1] + g[:, 2:, 1:-1] - 4 * c
    alap = np.abs(lap).reshape(n, -1)
    dx = np.diff(g, axis=2)
    dy = np.diff(g, axis=1)
    grad = (dx * dx).reshape(n, -1).mean(1) + (dy * dy).reshape(n, -1).mean(1)
    lap_p99, lap_med = np.percentile(alap, [99, 50], axis=1)
    flat = g.reshape(n, -1)
    p1, p5, p50, p95, p99 = np.percentile(flat, [1, 5, 50, 95, 99], axis=1)
    rg = (r - g_).reshape(n, -1)
    yb = (0.5 * (r + g_) - b).reshape(n, -1)
    colourful = np.sqrt(rg.std(1) ** 2 + yb.std(1) ** 2) + 0.3 * np.sqrt(rg.mean(1) ** 2 + yb.mean(1) ** 2)
    # |g - mean of its 4 neighbours| = |laplacian| / 4
    noise = np.log1p(lap_med / 4)
    f = np.stack([
        np.log1p(lap.reshape(n, -1).var(1)), np.log1p(alap.mean(1)), np.log1p(grad), np.log1p(lap_p99),
        flat.mean(1), flat.std(1), p1, p5, p50, p95, p99, p99 - p1,
        (flat < 8).mean(1), (flat > 247).mean(1),
        colourful, noise,
    ], axis=1)
    return f.astype(np.float64)


def read_shards(shards):
    with open(os.path.join(shards, "index.json")) as f:
        index = json.load(f)
    feats, labels, splits, ids = [], [], [], []
    for bucket in index["buckets"]:
        for entry in bucket["files"]:
            with h5py.File(os.path.join(shards, entry["name"]), "r") as h5:
                split = h5.attrs["split"]
                split = split.decode() if isinstance(split, bytes) else str(split)
                images = h5["images"]
                n = images.shape[0]
                for s in range(0, n, CHUNK):
                    feats.append(features(images[s:s + CHUNK]))
                labels.append(h5["labels"][:].astype(np.int64))
                ids += list(h5["ids"].asstr()[:])
                splits += [split] * n
    return (np.concatenate(feats), np.concatenate(labels), np.array(splits), np.array(ids), index)


def bootstrap_auc(y, s, n=1000, seed=1):
    from sklearn.metrics import roc_auc_score
    rng = np.random.default_rng(seed)
    aucs = []
    for _ in range(n):
        i = rng.integers(0, len(y), len(y))
        if y[i].min() == y[i].max():
            continue
        aucs.append(roc_auc_score(y[i], s[i]))
    lo, hi = np.percentile(aucs, [2.5, 97.5])
    return float(roc_auc_score(y, s)), [float(lo), float(hi)]


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shards", required=True)
    ap.add_argument("--json")
    ap.add_argument("--scores", metavar="OUT.csv", help="per-image test scores: id,label,logistic,boosting")
    ap.add_argument("--features-only", metavar="OUT.npz")
    args = ap.parse_args()

    t0 = time.time()
    X, y, split, ids, index = read_shards(args.shards)
    t_feat = time.time() - t0
    if len(set(ids)) != len(ids):
        sys.exit("an id appears twice in the shards")
    if args.features_only:
        np.savez(args.features_only, features=X, labels=y, splits=split, ids=ids, names=np.array(FEATURES))
        print(f"{len(y)} images, {X.shape[1]} features in {t_feat:.1f} s -> {args.features_only}")
        return

    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    fit = np.isin(split, ["train", "val"])
    test = split == "test"
    if not test.any() or len(set(y[test])) < 2:
        sys.exit("the test split needs images of both classes")
    models = {
        "logistic": make_pipeline(StandardScaler(),
                                  LogisticRegression(max_iter=2000, class_weight="balanced")),
        "boosting": HistGradientBoostingClassifier(max_iter=300, learning_rate=0.05, random_state=0),
    }
    out, scores = {}, {}
    pos = index.get("positive_class", "positive")
    for name, model in models.items():
        model.fit(X[fit], y[fit])
        score = model.predict_proba(X[test])[:, 1]
        scores[name] = score
        auc, ci = bootstrap_auc(y[test], score)
        out[name] = {"auc": auc, "ci": ci}
        print(f"{name:9s} test AUC {auc:.3f} [95% CI {ci[0]:.3f}-{ci[1]:.3f}]  "
              f"(fit on {int(fit.sum())}, test {int(test.sum())} with {int(y[test].sum())} {pos})")
    out.update({"n_train": int(fit.sum()), "n_test": int(test.sum()), "n_test_good": int(y[test].sum())})
    print(f"features of {len(y)} images in {t_feat:.1f} s, total {time.time() - t0:.1f} s", file=sys.stderr)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(out, f, indent=2)
            f.write("\n")
    if args.scores:
        with open(args.scores + ".tmp", "w") as f:
            f.write("id,label," + ",".join(scores) + "\n")
            for i, (image_id, label) in enumerate(zip(ids[test], y[test])):
                f.write(f"{image_id},{int(label)}," + ",".join(repr(float(s[i])) for s in scores.values()) + "\n")
        os.replace(args.scores + ".tmp", args.scores)


if __name__ == "__main__":
    main()
