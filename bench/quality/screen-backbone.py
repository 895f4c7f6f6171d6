"""Screens ways of using the backbone's features (docs/backbone.md) beside
the statistics' additive model, without training: on one Keepers work folder
whose ingest ran with `model.backbone` (features in ingest/features/), the
photos are dealt into 5 folds by source photograph (the sub-folder under the
class folder, as the strict split keeps them), and each candidate is fitted
on 4 folds and scored on the fifth. Prints each fold's AUC, the mean +- sd and
the pooled out-of-fold AUC. This is how model.backbone's head was chosen.

    work/quality/venv/bin/python bench/quality/screen-backbone.py WORK/<config>"""
import importlib.util
import json
import sys
from pathlib import Path

import numpy as np
from scipy.optimize import minimize
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import GroupKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import SplineTransformer, StandardScaler

HERE = Path(__file__).resolve().parent


def load(work: Path):
    spec = importlib.util.spec_from_file_location("screen_heads", HERE / "screen-heads.py")
    heads = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(heads)
    rows = [json.loads(line) for line in open(work / "ingest" / "manifest.jsonl")]
    stats = heads.statistics(work, [(work, rows)])
    x_stats = np.array([stats[r["id"]] for r in rows])
    x_backbone = np.array([np.load(work / "ingest" / "features" / f"{r['id']}.npy") for r in rows])
    y = np.array([r["label"] == "good" for r in rows])
    groups = np.array([r["source"].split("/")[1] if r["source"].count("/") > 1 else r["source"] for r in rows])
    return x_stats, x_backbone, y, groups


def additive():
    return make_pipeline(StandardScaler(), SplineTransformer(n_knots=5, degree=3, knots="quantile"),
                         LogisticRegression(C=0.1, max_iter=5000))


def logistic_with_offset(x, y, offset, c):
    """L2 logistic regression on standardised x whose logit adds to `offset`
    (what the trainer fits: the backbone's model on top of the additive one)."""
    mean, sd = x.mean(0), x.std(0) + 1e-6
    z = (x - mean) / sd
    n, p = z.shape
    t = y.astype(float)

    def objective(wb):
        w, b = wb[:p], wb[p]
        u = offset + z @ w + b
        loss = np.sum(np.logaddexp(0, u) - t * u)
        g = 1 / (1 + np.exp(-u)) - t
        return c * loss + 0.5 * w @ w, np.concatenate([c * (z.T @ g) + w, [c * g.sum()]])

    wb = minimize(objective, np.zeros(p + 1), jac=True, method="L-BFGS-B", options={"maxiter": 500}).x
    return lambda xt: ((xt - mean) / sd) @ wb[:p] + wb[p]


def cross_fitted(make, x, y, folds=5):
    out = np.zeros(len(y))
    for k in range(folds):
        held = np.arange(len(y)) % folds == k
        out[held] = make().fit(x[~held], y[~held]).decision_function(x[held])
    return out


def main(work: Path):
    xs, xb, y, groups = load(work)
    candidates = {}
    for c in [0.001, 0.003, 0.01, 0.03]:
        candidates[f"backbone alone, C {c}"] = ("alone", c)
    for c in [0.0001, 0.0003, 0.001, 0.003, 0.01, 0.03]:
        candidates[f"additive + backbone on its cross-fitted offset, C {c}"] = ("offset", c)
    candidates["additive alone"] = ("additive", None)
    candidates["additive + backbone C 0.003, logits summed"] = ("sum", 0.003)
    candidates["rank average: additive, backbone C 0.003"] = ("rank", 0.003)
    results = {name: ([], [], []) for name in candidates}
    for train, test in GroupKFold(5).split(xs, y, groups):
        model = additive().fit(xs[train], y[train])
        a_test = model.decision_function(xs[test])
        a_offset = cross_fitted(additive, xs[train], y[train])
        for name, (kind, c) in candidates.items():
            if kind == "additive":
                z = a_test
            elif kind == "alone":
                z = logistic_with_offset(xb[train], y[train], np.zeros(len(train)), c)(xb[test])
            elif kind == "offset":
                z = a_test + logistic_with_offset(xb[train], y[train], a_offset, c)(xb[test])
            else:
                b = logistic_with_offset(xb[train], y[train], np.zeros(len(train)), c)(xb[test])
                z = a_test + b if kind == "sum" else (np.argsort(np.argsort(a_test)) + np.argsort(np.argsort(b)))
            results[name][0].append(roc_auc_score(y[test], z))
            results[name][1].extend(z - np.median(z) if kind == "rank" else z)
            results[name][2].extend(y[test])
    print(f"{work}: {len(y)} photos, {y.sum()} good, {len(set(groups))} source photographs")
    for name, (aucs, z, t) in results.items():
        print(f"{name:56s} " + " ".join(f"{a:.3f}" for a in aucs)
              + f"  {np.mean(aucs):.3f} +- {np.std(aucs, ddof=1):.3f}  pooled {roc_auc_score(t, z):.3f}")


if __name__ == "__main__":
    import warnings
    warnings.filterwarnings("ignore")
    main(Path(sys.argv[1]))
