"""Tables for make bench-quality: the network against the hand-made-statistics
baseline.

    summary.py OUT                      one benchmark folder (work/quality/<name>-<family>-<split>)
    summary.py --combined OUT [OUT...]  one line per folder: family x split

For one folder it prints
- one row per run (the single split and each k-fold split): test photos, the
  network's test AUC with its bootstrap interval, its selection criterion and
  step, the baseline's logistic regression and gradient boosting, and the
  rank average of the network and boosting;
- the k-fold mean and sample standard deviation of each;
- pooled out-of-fold AUCs: the fold runs' test scores pooled (every photo is
  in exactly one fold's test split), each model's scores as they are, the
  rank average as each fold's ranks (0-1) pooled;
- per fault: the pooled out-of-fold AUC of the good photos against the bad
  photos carrying that fault (a photo with two faults counts in both rows),
  mapped through recipe.csv.
Without fold runs the pooled figures use the single split's test photos.

Reads only documented artefacts: report/metrics.json, report/scores.csv
(id,source,label,score), train/model.h5, the baseline's JSON and its
per-image scores (baseline.py --scores), the shards' index.json (the positive
class), OUT/bench.json (family, split, photos folder, the runs that belong to
the benchmark; written by run.sh) and the photos' recipe.csv.
"""
import csv
import json
import statistics
import sys
from pathlib import Path

import h5py
import numpy as np
from scipy.stats import rankdata
from sklearn.metrics import roc_auc_score

MODELS = ["network", "logistic", "boosting", "rank"]
TITLES = {"network": "network", "logistic": "logistic", "boosting": "boosting", "rank": "rank avg"}


def auc(y, s):
    y = np.asarray(y)
    if len(y) == 0 or y.min() == y.max():
        return None
    return float(roc_auc_score(y, s))


def fmt(x, width=8):
    return f"{'-':>{width}}" if x is None else f"{x:>{width}.3f}"


def spread(values):
    values = [v for v in values if v is not None]
    if len(values) < 2:
        return "-"
    return f"{statistics.mean(values):.3f} +- {statistics.stdev(values):.3f}"


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def fault_map(photos):
    """recipe file (label/pNNNN.jpg) -> list of fault kinds ([] for good photos)."""
    recipe = Path(photos) / "recipe.csv"
    if not recipe.exists():
        return None
    out = {}
    for row in read_csv(recipe):
        if "fault" in row:
            kinds = [k for k in row["fault"].split("+") if k]
        else:   # recipes written before the fault column
            kinds = [f.split()[0] for f in row["faults"].split("; ") if f.strip()]
        out[row["file"]] = kinds
    return out


def recipe_key(source):
    """A photo's path relative to the photos folder -> its recipe file name:
    good/Dune/p0001.jpg (strict tree) and good/p0001.jpg (flat) -> good/p0001.jpg."""
    parts = source.replace("\\", "/").split("/")
    return f"{parts[0]}/{parts[-1]}"


def read_run(run: Path):
    metrics = json.loads((run / "report" / "metrics.json").read_text())
    with h5py.File(run / "train" / "model.h5", "r") as f:
        val = f.attrs.get("val_auc")
        step = int(f.attrs["step"])
    r = {
        "net": metrics["auc"], "ci": (metrics["auc_ci_low"], metrics["auc_ci_high"]),
        "val": None if val is None else float(val), "step": step,
        "n": metrics["count_positive"] + metrics["count_negative"], "good": metrics["count_positive"],
        "logistic": None, "boosting": None, "rank": None, "photos": [],
    }
    positive = "good"
    index = run / "shards" / "index.json"
    if index.exists():
        positive = json.loads(index.read_text()).get("positive_class", positive)
    baseline = run / "baseline.json"
    if baseline.exists():
        b = json.loads(baseline.read_text())
        r["logistic"], r["boosting"] = b["logistic"]["auc"], b["boosting"]["auc"]
    scores = run / "report" / "scores.csv"
    if not scores.exists():
        return r
    photos = {row["id"]: {"source": row["source"], "y": int(row["label"] == positive), "network": float(row["score"])}
              for row in read_csv(scores)}
    extra = run / "baseline-scores.csv"
    if extra.exists():
        rows = read_csv(extra)
        missing = [row["id"] for row in rows if row["id"] not in photos]
        if missing or len(rows) != len(photos):
            print(f"warning: {run.name}: the baseline's test photos differ from the report's "
                  f"({len(rows)} against {len(photos)}); using those in both", file=sys.stderr)
        for row in rows:
            if row["id"] in photos:
                photos[row["id"]]["logistic"] = float(row["logistic"])
                photos[row["id"]]["boosting"] = float(row["boosting"])
        photos = {k: v for k, v in photos.items() if "boosting" in v}
        ids = sorted(photos)
        net = rankdata([photos[i]["network"] for i in ids]) / len(ids)
        boost = rankdata([photos[i]["boosting"] for i in ids]) / len(ids)
        for i, a, b in zip(ids, net, boost):
            photos[i]["rank"] = float((a + b) / 2)
        r["rank"] = auc([photos[i]["y"] for i in ids], [photos[i]["rank"] for i in ids])
    r["photos"] = list(photos.values())
    return r


def pooled(photos, models):
    """AUC per model over `photos` (dicts with y and one score per model); None where a score is missing."""
    out = {}
    for m in models:
        have = [p for p in photos if m in p]
        out[m] = auc([p["y"] for p in have], [p[m] for p in have]) if len(have) == len(photos) else None
    return out


def analyse(out: Path):
    runs = sorted(p for p in (out / "runs").iterdir() if (p / "report" / "metrics.json").exists()) \
        if (out / "runs").is_dir() else []
    meta = json.loads((out / "bench.json").read_text()) if (out / "bench.json").exists() else {}
    if "runs" in meta:   # only this benchmark's runs, not those of an earlier --folds
        runs = [p for p in runs if p.name in meta["runs"]]
    rows = {p.name: read_run(p) for p in runs}
    folds = {n: r for n, r in rows.items() if n.startswith("fold")}
    pool_runs = folds or {n: r for n, r in rows.items() if n == "split"}
    photos = [p for r in pool_runs.values() for p in r["photos"]]
    faults = fault_map(meta["photos"]) if meta.get("photos") else None
    per_fault = {}
    if photos and faults is not None:
        unknown = 0
        for p in photos:
            kinds = faults.get(recipe_key(p["source"]))
            if kinds is None:
                unknown += 1
            p["faults"] = kinds or []
        if unknown:
            print(f"warning: {unknown} test photos not in recipe.csv", file=sys.stderr)
        good = [p for p in photos if p["y"] == 1]
        kinds = sorted({k for p in photos for k in p["faults"]})
        for k in kinds:
            bad = [p for p in photos if p["y"] == 0 and k in p["faults"]]
            per_fault[k] = (len(bad), pooled(good + bad, MODELS))
    return {"name": out.name, "meta": meta, "rows": rows, "folds": folds, "pool_runs": pool_runs,
            "photos": photos, "overall": pooled(photos, MODELS) if photos else None, "per_fault": per_fault}


def print_folder(a):
    meta = a["meta"]
    if meta:
        print(f"== {a['name']}: family {meta.get('family', '?')}, {meta.get('split', '?')} split "
              f"({meta.get('photos', '?')}) ==")
    rows = a["rows"]
    if not rows:
        print("no finished runs")
        return
    print(f"{'split':<8} {'test n (good)':>13} {'network AUC [95% CI]':>24} {'val (sel.)':>10} {'step':>6}"
          f" {'logistic':>9} {'boosting':>9} {'rank avg':>9}")
    for name, r in rows.items():
        val = "-" if r["val"] is None else f"{r['val']:.3f}"
        print(f"{name:<8} {r['n']:>7} ({r['good']:>3}) {r['net']:>9.3f} [{r['ci'][0]:.3f}, {r['ci'][1]:.3f}]"
              f" {val:>10} {r['step']:>6} {fmt(r['logistic'], 9)} {fmt(r['boosting'], 9)} {fmt(r['rank'], 9)}")
    folds = a["folds"]
    if len(folds) >= 2:
        print(f"k-fold ({len(folds)} folds) mean +- sd: network {spread([r['net'] for r in folds.values()])}, "
              f"logistic {spread([r['logistic'] for r in folds.values()])}, "
              f"boosting {spread([r['boosting'] for r in folds.values()])}, "
              f"rank average {spread([r['rank'] for r in folds.values()])}")
    if a["overall"]:
        photos = a["photos"]
        where = f"{len(a['pool_runs'])} folds pooled" if folds else "the single split"
        o = a["overall"]
        print(f"out-of-fold ({where}, {len(photos)} photos, {sum(p['y'] for p in photos)} good): "
              f"network {fmt(o['network'], 0)}, logistic {fmt(o['logistic'], 0)}, "
              f"boosting {fmt(o['boosting'], 0)}, rank average (network and boosting) {fmt(o['rank'], 0)}")
    if a["per_fault"]:
        print()
        print(f"per fault: AUC of the good photos against the bad photos with that fault ({where})")
        print(f"{'fault':<12} {'bad n':>6} " + " ".join(f"{TITLES[m]:>9}" for m in MODELS))
        for k, (n, aucs) in a["per_fault"].items():
            print(f"{k:<12} {n:>6} " + " ".join(fmt(aucs[m], 9) for m in MODELS))
        n_bad = sum(1 for p in a["photos"] if p["y"] == 0)
        print(f"{'all faults':<12} {n_bad:>6} " + " ".join(fmt(a["overall"][m], 9) for m in MODELS))
    elif a["photos"] and not a["meta"].get("photos"):
        print("(no bench.json with the photos folder: no per-fault table)")


def print_combined(analyses):
    print("== combined: k-fold mean +- sd (headline: the strict split's network), then pooled out-of-fold AUC ==")
    print(f"{'family':<7}{'split':<8}{'folds':>5}  {'network':>15} {'logistic':>15} {'boosting':>15} {'rank avg':>15}"
          f"  | {'OOF net':>7} {'logistic':>8} {'boosting':>8} {'rank avg':>8}")
    for a in analyses:
        meta, folds = a["meta"], a["folds"]
        cells = [spread([r[k] for r in folds.values()]) for k in ("net", "logistic", "boosting", "rank")]
        o = a["overall"] or {}
        print(f"{meta.get('family', '?'):<7}{meta.get('split', '?'):<8}{len(folds):>5}  "
              + " ".join(f"{c:>15}" for c in cells) + "  | "
              + " ".join(fmt(o.get(m), 7 if m == "network" else 8) for m in MODELS)
              + f"   ({a['name']})")
    kinds = sorted({k for a in analyses for k in a["per_fault"]})
    if kinds:
        print()
        print("per fault, out-of-fold AUC: network / boosting")
        heads = [f"{a['meta'].get('family', '?')}-{a['meta'].get('split', '?')}" for a in analyses]
        print(f"{'fault':<12}" + "".join(f"{h:>16}" for h in heads))
        for k in kinds:
            cells = []
            for a in analyses:
                if k in a["per_fault"]:
                    aucs = a["per_fault"][k][1]
                    cells.append(f"{fmt(aucs['network'], 0)} / {fmt(aucs['boosting'], 0)}")
                else:
                    cells.append("")
            print(f"{k:<12}" + "".join(f"{c:>16}" for c in cells))


def main(argv):
    if argv and argv[0] == "--combined":
        print_combined([analyse(Path(p)) for p in argv[1:]])
    elif len(argv) == 1:
        print_folder(analyse(Path(argv[0])))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
