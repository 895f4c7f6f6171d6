"""Checks summary.py on a made-up benchmark folder (no Keepers binary needed).

    work/quality/venv/bin/python bench/quality/check-summary.py

Builds, in a temporary folder, a photos folder with only a recipe.csv and a
benchmark folder of three fold runs (report/metrics.json, report/scores.csv
with CRLF line ends and strict-tree paths, train/model.h5, baseline.json,
baseline-scores.csv, bench.json), then compares summary.py's per-fault and
pooled out-of-fold AUCs, and the rank average, with a brute-force count of
correctly ordered pairs. Prints the folder summary and 'N passed, 0 failed'.
"""
import csv
import importlib.util
import io
import json
import os
import sys
import tempfile
from contextlib import redirect_stdout
from pathlib import Path

import h5py
import numpy as np

HERE = Path(__file__).resolve().parent
spec = importlib.util.spec_from_file_location("summary", HERE / "summary.py")
summary = importlib.util.module_from_spec(spec)
spec.loader.exec_module(summary)


def pair_auc(pos, neg):
    """Share of (positive, negative) pairs ordered correctly, ties half."""
    pos, neg = np.asarray(pos, float)[:, None], np.asarray(neg, float)[None, :]
    return float(((pos > neg) + 0.5 * (pos == neg)).mean())


def main():
    rng = np.random.default_rng(7)
    faults = ["blur", "tilt", "cast+dust", "dust", ""]   # "" = good
    photos, number = [], 0
    for fold in range(3):
        for i in range(30):
            number += 1
            fault = faults[i % len(faults)] if i % 3 else ""
            label = "good" if not fault else "bad"
            source = f"Src{fold}{i % 4}"
            photos.append({"file": f"{label}/p{number:04d}.jpg", "label": label, "source": source + ".jpg",
                           "fault": fault, "fold": fold, "id": f"{number:016x}"})
    # Scores with a known structure: blur far below the good photos, tilt mixed in.
    for p in photos:
        kinds = p["fault"].split("+") if p["fault"] else []
        base = {"": 0.7, "blur": 0.1, "tilt": 0.65, "dust": 0.5, "cast": 0.4}
        m = min(base[k] for k in kinds) if kinds else base[""]
        p["network"] = float(np.clip(m + rng.normal(0, 0.15), 0.001, 0.999))
        p["logistic"] = float(rng.random())
        p["boosting"] = float(np.clip(m + rng.normal(0, 0.25), 0, 1))
    p0 = photos[0]
    p0["boosting"] = photos[1]["boosting"]   # a tie

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        flat = tmp / "photos"
        flat.mkdir()
        with open(flat / "recipe.csv", "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=["file", "label", "source", "faults", "fault"])
            w.writeheader()
            for p in photos:
                w.writerow({"file": p["file"], "label": p["label"], "source": p["source"],
                            "faults": "; ".join(f"{k} x=1" for k in p["fault"].split("+") if k), "fault": p["fault"]})
        out = tmp / "default-b-strict"
        json.dump({"family": "b", "split": "strict", "photos": str(flat)}, open(tmp / "bench.json", "w"))
        out.mkdir()
        os.replace(tmp / "bench.json", out / "bench.json")
        for fold in range(3):
            run = out / "runs" / f"fold{fold}"
            (run / "report").mkdir(parents=True)
            (run / "train").mkdir()
            (run / "shards").mkdir()
            mine = [p for p in photos if p["fold"] == fold]
            with open(run / "report" / "scores.csv", "w", newline="") as f:
                w = csv.writer(f, lineterminator="\r\n")
                w.writerow(["id", "source", "label", "score"])
                for p in sorted(mine, key=lambda p: -p["network"]):
                    label, name = p["file"].split("/")
                    w.writerow([p["id"], f"{label}/{p['source'][:-4]}/{name}", label, repr(p["network"])])
            with open(run / "baseline-scores.csv", "w") as f:
                f.write("id,label,logistic,boosting\n")
                for p in mine:
                    f.write(f"{p['id']},{int(p['label'] == 'good')},{p['logistic']!r},{p['boosting']!r}\n")
            good = [p for p in mine if p["label"] == "good"]
            bad = [p for p in mine if p["label"] == "bad"]
            json.dump({"auc": pair_auc([p["network"] for p in good], [p["network"] for p in bad]),
                       "auc_ci_low": 0.0, "auc_ci_high": 1.0, "count_positive": len(good),
                       "count_negative": len(bad)}, open(run / "report" / "metrics.json", "w"))
            json.dump({"logistic": {"auc": 0.5, "ci": [0, 1]}, "boosting": {"auc": 0.5, "ci": [0, 1]}},
                      open(run / "baseline.json", "w"))
            json.dump({"positive_class": "good"}, open(run / "shards" / "index.json", "w"))
            with h5py.File(run / "train" / "model.h5", "w") as h:
                h.attrs["val_auc"] = 0.8
                h.attrs["step"] = 500
            # rank average within the fold, for the expected figures
            ids = sorted(p["id"] for p in mine)
            by_id = {p["id"]: p for p in mine}
            from scipy.stats import rankdata
            a = rankdata([by_id[i]["network"] for i in ids]) / len(ids)
            b = rankdata([by_id[i]["boosting"] for i in ids]) / len(ids)
            for i, x, y in zip(ids, a, b):
                by_id[i]["rank"] = (x + y) / 2

        analysis = summary.analyse(out)
        buf = io.StringIO()
        with redirect_stdout(buf):
            summary.print_folder(analysis)
            summary.print_combined([analysis])
        print(buf.getvalue())

        passed = failed = 0

        def check(what, got, want):
            nonlocal passed, failed
            if got is not None and abs(got - want) < 1e-9:
                passed += 1
            else:
                failed += 1
                print(f"FAIL {what}: got {got}, want {want}")

        good = [p for p in photos if p["label"] == "good"]
        for kind in ["blur", "tilt", "cast", "dust"]:
            bad = [p for p in photos if kind in p["fault"].split("+")]
            n, aucs = analysis["per_fault"][kind]
            check(f"{kind} count", n, len(bad))
            for m in ["network", "logistic", "boosting", "rank"]:
                check(f"{kind} {m}", aucs[m], pair_auc([p[m] for p in good], [p[m] for p in bad]))
        bad = [p for p in photos if p["label"] == "bad"]
        for m in ["network", "logistic", "boosting", "rank"]:
            check(f"overall {m}", analysis["overall"][m], pair_auc([p[m] for p in good], [p[m] for p in bad]))
        for fold in range(3):
            mine = [p for p in photos if p["fold"] == fold]
            g = [p["rank"] for p in mine if p["label"] == "good"]
            b = [p["rank"] for p in mine if p["label"] == "bad"]
            check(f"fold{fold} rank average", analysis["rows"][f"fold{fold}"]["rank"], pair_auc(g, b))
        check("recipe key (strict)", float(summary.recipe_key("good/Dune/p0001.jpg") == "good/p0001.jpg"), 1.0)
        check("recipe key (flat)", float(summary.recipe_key("bad/p0002.jpg") == "bad/p0002.jpg"), 1.0)
        print(f"{passed} passed, {failed} failed")
        sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
