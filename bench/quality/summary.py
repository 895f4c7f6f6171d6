"""One table for make bench-quality: the network against the hand-made
statistics baseline, on the default split and on each k-fold split, then the
k-fold mean and spread (sample standard deviation). Reads only documented
artefacts: report/metrics.json, train/model.h5 and the baseline's JSON."""
import json
import statistics
import sys
from pathlib import Path

import h5py


def row(run: Path):
    metrics = json.loads((run / "report" / "metrics.json").read_text())
    baseline = json.loads((run / "baseline.json").read_text())
    with h5py.File(run / "train" / "model.h5", "r") as f:
        val = f.attrs.get("val_auc")
        step = int(f.attrs["step"])
    return {
        "net": metrics["auc"], "ci": (metrics["auc_ci_low"], metrics["auc_ci_high"]),
        "val": None if val is None else float(val), "step": step,
        "logistic": baseline["logistic"]["auc"], "boosting": baseline["boosting"]["auc"],
        "n": metrics["count_positive"] + metrics["count_negative"], "good": metrics["count_positive"],
    }


def main(out: Path):
    runs = sorted(p for p in (out / "runs").iterdir() if (p / "report" / "metrics.json").exists())
    rows = {p.name: row(p) for p in runs}
    print(f"{'split':<8} {'test n (good)':>13} {'network AUC [95% CI]':>24} {'val (sel.)':>10} {'step':>6}"
          f" {'logistic':>9} {'boosting':>9}")
    for name, r in rows.items():
        val = "-" if r["val"] is None else f"{r['val']:.3f}"
        print(f"{name:<8} {r['n']:>7} ({r['good']:>3}) {r['net']:>9.3f} [{r['ci'][0]:.3f}, {r['ci'][1]:.3f}]"
              f" {val:>10} {r['step']:>6} {r['logistic']:>9.3f} {r['boosting']:>9.3f}")
    folds = [r for name, r in rows.items() if name.startswith("fold")]
    if len(folds) >= 2:
        def spread(key):
            values = [r[key] for r in folds]
            return f"{statistics.mean(values):.3f} +- {statistics.stdev(values):.3f}"
        print(f"k-fold ({len(folds)} folds) mean +- sd: network {spread('net')}, "
              f"logistic {spread('logistic')}, boosting {spread('boosting')}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
