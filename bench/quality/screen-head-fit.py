#!/usr/bin/env python3
"""Screens variants of the head fit (the trainer's prefit model on the image
statistics, as screen-statistics.py fits it) on a bench-quality output
folder: weight decay, steps, hidden units, five seeds each, and the best or
the mean of five restarts. Prints each variant's mean k-fold AUC over seeds
and its range, with the per-run means (docs/quality-benchmark.md).

    work/quality/venv/bin/python bench/quality/screen-head-fit.py work/quality/groups
"""
import importlib.util
import sys
from pathlib import Path

import numpy as np
from sklearn.metrics import roc_auc_score

spec = importlib.util.spec_from_file_location("screen", Path(__file__).with_name("screen-statistics.py"))
s = importlib.util.module_from_spec(spec)
spec.loader.exec_module(s)
out = Path(sys.argv[1])
compute, cache = s.image_statistics(), {}
runs = sorted(p for p in (out / "runs").iterdir() if (p / "shards" / "index.json").exists())
data = {run.name: s.load(run, compute, cache) for run in runs}
def auc(model, x, y): return roc_auc_score(y, model(x))
variants = {
  "base": dict(),
  "decay0.1": dict(decay=0.1),
  "decay0.3": dict(decay=0.3),
  "hidden8": dict(hidden=8),
  "steps200": dict(steps=200),
  "steps2000": dict(steps=2000),
}
for vname, kw in variants.items():
    per_seed = []
    for seed in range(1, 6):
        aucs = {}
        for name, splits in data.items():
            (tr, y), (te, yt) = splits["train"], splits["test"]
            m, sd = tr.mean(0), tr.std(0) + 1e-6
            model = s.fit((tr - m) / sd, y.astype(float), seed, **kw)
            aucs[name] = auc(model, (te - m) / sd, yt)
        per_seed.append(aucs)
    names = list(per_seed[0])
    folds = [n for n in names if n.startswith("fold")]
    kmeans = [np.mean([a[n] for n in folds]) for a in per_seed]
    perfold = {n: (np.mean([a[n] for a in per_seed]), np.std([a[n] for a in per_seed])) for n in names}
    print(vname, "k-fold mean over seeds %.3f (seed range %.3f-%.3f)" % (np.mean(kmeans), min(kmeans), max(kmeans)),
          " ".join("%s %.3f±%.3f" % (n, *perfold[n]) for n in names), flush=True)
# restarts picked on validation / ensemble
for k in (5,):
    for mode in ("pick-val", "ensemble"):
        res = []
        for base in (1, 11, 21):
            aucs = {}
            for name, splits in data.items():
                (tr, y), (va, yv), (te, yt) = splits["train"], splits["val"], splits["test"]
                m, sd = tr.mean(0), tr.std(0) + 1e-6
                models = [s.fit((tr - m) / sd, y.astype(float), base + i) for i in range(k)]
                if mode == "pick-val":
                    best = max(models, key=lambda f: auc(f, (va - m) / sd, yv))
                    aucs[name] = auc(best, (te - m) / sd, yt)
                else:
                    aucs[name] = roc_auc_score(yt, np.mean([f((te - m) / sd) for f in models], 0))
            folds = [v for n, v in aucs.items() if n.startswith("fold")]
            res.append(np.mean(folds))
            print(mode, k, base, " ".join("%s %.3f" % kv for kv in aucs.items()), "k-fold %.3f" % np.mean(folds), flush=True)
