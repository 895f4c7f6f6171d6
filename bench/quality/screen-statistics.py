"""Screens image statistics before they go into the network: fits the same
small model the trainer's head fit uses (one ReLU hidden layer of 32,
full-batch Adam at 0.01 with decoupled weight decay, on standardised
statistics) to the training images of each run of a bench-quality output
folder and prints each run's test AUC, for the first 16, 22 and all 25
statistics (docs/model.md), and for several initial seeds.

    work/quality/venv/bin/python bench/quality/screen-statistics.py work/quality/default-a-strict

Reads the shards as docs/shards.md documents them and computes the
statistics with the NumPy code in docs/model.md, so it needs no Keepers
binary. How the tilt statistics (22-24) were chosen: docs/quality-benchmark.md."""
import json
import sys
from pathlib import Path

import h5py
import numpy as np
from sklearn.metrics import roc_auc_score

DOC = Path(__file__).resolve().parents[2] / "docs" / "model.md"


def image_statistics():
    source = DOC.read_text().split("```python")[1].split("```")[0]
    namespace = {}
    exec(source.split("architecture, weights = load")[0], namespace)
    return namespace["image_statistics"]


def load(run: Path, compute, cache):
    shards = run / "shards"
    index = json.loads((shards / "index.json").read_text())
    rows = {}
    for bucket in index["buckets"]:
        for file in bucket["files"]:
            with h5py.File(shards / file["name"], "r") as h:
                for image, label, key in zip(h["images"][()], h["labels"][()], h["ids"][()]):
                    key = key.decode() if isinstance(key, bytes) else str(key)
                    if key not in cache:
                        cache[key] = compute(image.transpose(2, 0, 1).astype(np.float64) / 255 - 0.5)
                    rows.setdefault(bucket["split"], []).append((cache[key], int(label)))
    return {split: (np.array([s for s, _ in v]), np.array([y for _, y in v])) for split, v in rows.items()}


def fit(x, y, seed, hidden=32, steps=500, rate=0.01, decay=0.01):
    rng = np.random.default_rng(seed)
    n, d = x.shape
    params = [rng.normal(0, np.sqrt(2 / d), (hidden, d)), np.zeros(hidden), rng.normal(0, np.sqrt(2 / hidden), hidden),
              np.zeros(1)]
    first = [np.zeros_like(p) for p in params]
    second = [np.zeros_like(p) for p in params]
    for t in range(1, steps + 1):
        w1, b1, w2, b2 = params
        h = np.maximum(x @ w1.T + b1, 0)
        dz = (1 / (1 + np.exp(-(h @ w2 + b2[0]))) - y) / n
        dh = np.outer(dz, w2) * (h > 0)
        grads = [dh.T @ x, dh.sum(0), h.T @ dz, np.array([dz.sum()])]
        for i, (p, g) in enumerate(zip(params, grads)):
            if i in (0, 2):
                p *= 1 - rate * decay
            first[i] = 0.9 * first[i] + 0.1 * g
            second[i] = 0.999 * second[i] + 0.001 * g * g
            p -= rate / (1 - 0.9 ** t) * first[i] / (np.sqrt(second[i] / (1 - 0.999 ** t)) + 1e-8)
    w1, b1, w2, b2 = params
    return lambda z: np.maximum(z @ w1.T + b1, 0) @ w2 + b2[0]


def main(out: Path):
    compute, cache = image_statistics(), {}
    runs = sorted(p for p in (out / "runs").iterdir() if (p / "shards" / "index.json").exists())
    data = {run.name: load(run, compute, cache) for run in runs}
    for count in (16, 22, 25):
        for seed in (1, 2, 3):
            aucs = {}
            for name, splits in data.items():
                (train, y), (test, y_test) = splits["train"], splits["test"]
                mean, std = train[:, :count].mean(0), train[:, :count].std(0) + 1e-6
                model = fit((train[:, :count] - mean) / std, y.astype(float), seed)
                aucs[name] = roc_auc_score(y_test, model((test[:, :count] - mean) / std))
            folds = [v for k, v in aucs.items() if k.startswith("fold")]
            line = " ".join(f"{k} {v:.3f}" for k, v in aucs.items())
            spread = f" k-fold {np.mean(folds):.3f} +- {np.std(folds, ddof=1):.3f}" if len(folds) > 1 else ""
            print(f"{count} statistics, seed {seed}: {line}{spread}", flush=True)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
