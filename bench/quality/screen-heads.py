"""Screens models of the 25 image statistics on the splits of a bench-quality
output folder, no Keepers binary or training needed: for each fold run,
fits each candidate on the run's train split (as the trainer fits its
statistics model) and prints each fold's test AUC, the k-fold mean +- sd and
the pooled out-of-fold AUC. This is how the default's additive model was
chosen (docs/quality-benchmark.md, "Round 3").

    work/quality/venv/bin/python bench/quality/screen-heads.py work/quality/default-a-strict

Reads each run's ingest manifest and stored images (docs/ingest.md) and
computes the statistics with the NumPy code of docs/model.md, cached in
OUT/statistics.npz (the images are the same in every fold)."""
import importlib.util
import json
import sys
from pathlib import Path

import numpy as np
from PIL import Image
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import KBinsDiscretizer, SplineTransformer, StandardScaler

HERE = Path(__file__).resolve().parent


def statistics(out: Path, runs):
    cache_file = out / "statistics.npz"
    cache = {}
    if cache_file.exists():
        data = np.load(cache_file)
        cache = dict(zip(data["ids"], data["features"]))
    spec = importlib.util.spec_from_file_location("screen_statistics", HERE / "screen-statistics.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    compute = module.image_statistics()
    for run, rows in runs:
        for row in rows:
            if row["id"] not in cache:
                image = np.asarray(Image.open(run / "ingest" / "images" / f"{row['id']}.png").convert("RGB"))
                cache[row["id"]] = compute(image.transpose(2, 0, 1).astype(np.float64) / 255 - 0.5)
    ids = sorted(cache)
    np.savez(cache_file, ids=np.array(ids), features=np.array([cache[i] for i in ids]))
    return cache


def boosting(**kw):
    settings = dict(max_iter=300, learning_rate=0.05, max_leaf_nodes=31, min_samples_leaf=20, l2_regularization=1.0,
                    random_state=0)
    settings.update(kw)
    return HistGradientBoostingClassifier(**settings)


def logistic(c):
    return make_pipeline(StandardScaler(), LogisticRegression(C=c, max_iter=5000))


def splines(c, knots=5, degree=3):
    return make_pipeline(StandardScaler(), SplineTransformer(n_knots=knots, degree=degree, knots="quantile"),
                         LogisticRegression(C=c, max_iter=5000))


CANDIDATES = {
    "boosting (model.trees defaults)": lambda: boosting(),
    "boosting, depth 2, 100 x 0.1": lambda: boosting(max_depth=2, learning_rate=0.1, max_iter=100),
    "logistic C 0.03": lambda: logistic(0.03),
    "logistic C 0.1": lambda: logistic(0.1),
    "logistic C 0.3": lambda: logistic(0.3),
    "additive, 5 knots, C 0.03": lambda: splines(0.03),
    "additive, 5 knots, C 0.1 (default)": lambda: splines(0.1),
    "additive, 4 knots, quadratic, C 0.01": lambda: splines(0.01, knots=4, degree=2),
    "6 quantile bins + logistic C 0.03": lambda: make_pipeline(
        KBinsDiscretizer(n_bins=6, encode="onehot-dense", strategy="quantile"), LogisticRegression(C=0.03, max_iter=5000)),
    "MLP 32, alpha 3": lambda: make_pipeline(StandardScaler(), MLPClassifier((32,), alpha=3, max_iter=2000, random_state=0)),
    "MLP 32, alpha 10": lambda: make_pipeline(StandardScaler(), MLPClassifier((32,), alpha=10, max_iter=2000, random_state=0)),
    "MLP 32, 500 full-batch Adam steps (the old head fit)": lambda: make_pipeline(StandardScaler(), MLPClassifier(
        (32,), learning_rate_init=0.01, alpha=1e-4, batch_size=10**9, max_iter=500, tol=0, n_iter_no_change=10**9,
        random_state=0)),
}
SUMS = {"logistic C 0.1 + boosting, depth 2": ("logistic C 0.1", "boosting, depth 2, 100 x 0.1"),
        "logistic C 0.1 + boosting": ("logistic C 0.1", "boosting (model.trees defaults)")}


def logit(model, x):
    if hasattr(model, "decision_function"):
        return model.decision_function(x)
    p = np.clip(model.predict_proba(x)[:, 1], 1e-9, 1 - 1e-9)
    return np.log(p / (1 - p))


def main(out: Path):
    bench = json.loads((out / "bench.json").read_text()) if (out / "bench.json").exists() else None
    names = [r for r in bench["runs"] if r.startswith("fold")] if bench else None
    runs = [(run, [json.loads(line) for line in open(run / "ingest" / "manifest.jsonl")])
            for run in sorted((out / "runs").glob("fold*")) if names is None or run.name in names]
    features = statistics(out, runs)
    results = {name: ([], [], []) for name in list(CANDIDATES) + list(SUMS)}
    for run, rows in runs:
        train = [r for r in rows if r["split"] == "train"]
        test = [r for r in rows if r["split"] == "test"]
        x, y = np.array([features[r["id"]] for r in train]), np.array([r["label"] == "good" for r in train])
        xt, yt = np.array([features[r["id"]] for r in test]), np.array([r["label"] == "good" for r in test])
        scores = {name: logit(make().fit(x, y), xt) for name, make in CANDIDATES.items()}
        scores.update({name: scores[a] + scores[b] for name, (a, b) in SUMS.items()})
        for name, z in scores.items():
            results[name][0].append(roc_auc_score(yt, z))
            results[name][1].extend(z)
            results[name][2].extend(yt)
    print(f"{'model of the 25 statistics':54s} {'folds':>{6 * len(runs)}}  k-fold mean +- sd  pooled")
    for name, (aucs, z, y) in results.items():
        print(f"{name:54s} " + " ".join(f"{a:.3f}" for a in aucs)
              + f"  {np.mean(aucs):.3f} +- {np.std(aucs, ddof=1):.3f}    {roc_auc_score(y, z):.3f}")


if __name__ == "__main__":
    import warnings
    warnings.filterwarnings("ignore")
    main(Path(sys.argv[1]))
