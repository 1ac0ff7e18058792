"""LSTM settings side by side with the linear models, on every fold of a study's paper folds.

    python bench/lstm_candidates.py --study /tmp/sim --variants with_hashtags no_hashtags \
        --candidates cpu cpu:batch_size=256 cpu:lstm_units=48 --out /tmp/sim_candidates.csv

``--study`` is a workflow directory that has run at least to ``make_folds`` (its
``results/preprocess`` and ``results/cv/paper/<variant>/folds.csv``). Each candidate is the
``cpu`` preset with ``key=value`` overrides of ``models.lstm``. For every variant it runs all
folds through ``evaluation.evaluate_job`` (the workflow's own code path, one process per
candidate so the traced graph is reused as in the study), and the linear SVM and the word
logistic regression on the same folds.

Settings are to be chosen on the **training folds only**: the mean over folds of the last
validation loss (the 30% validation split is part of the training fold; the final weights are
the model that is scored, or with ``restore_best`` the lowest). The test folds' F1 is printed beside it but must not choose. Prints
one row per candidate and variant, and writes them to ``--out``. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from pathlib import Path

import pandas as pd
import yaml

from dealerdetect.evaluation.cv import evaluate_job, fold_metrics


def parse_candidate(text: str) -> dict:
    """``cpu:batch_size=256:lstm_units=48`` -> {"preset": "cpu", "batch_size": 256, ...}."""
    preset, *pairs = text.split(":")
    settings = {"preset": preset}
    for pair in pairs:
        key, value = pair.split("=", 1)
        settings[key] = yaml.safe_load(value)
    return settings


def run(
    study: Path,
    variant: str,
    model: str,
    settings: dict,
    folds: list[int],
    seed: int,
    protocol: str = "paper",
):
    """Every fold of one model on one variant; returns per-fold infos with F1 added."""
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.process_time()
        infos = evaluate_job(
            study / f"results/preprocess/{variant}.parquet",
            study / f"results/cv/{protocol}/{variant}/folds.csv",
            study / "results/preprocess/vocabulary.json" if model == "lstm" else None,
            model,
            variant,
            folds,
            settings,
            seed,
            1,
            Path(tmp) / "oof.parquet",
            Path(tmp) / "info.json",
            validation_split=0.3 if model == "lstm" else None,
        )
        cpu = time.process_time() - t0
        oof = pd.read_parquet(Path(tmp) / "oof.parquet")
    for info in infos:
        rows = oof[oof["fold"] == info["fold"]]
        info.update(fold_metrics(rows["label"], rows["score"]))
    return infos, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--study", type=Path, required=True)
    parser.add_argument("--variants", nargs="+", required=True)
    parser.add_argument("--candidates", nargs="+", default=["cpu"])
    parser.add_argument("--linear", action="store_true", help="also run the SVM and word LR")
    parser.add_argument("--protocols", nargs="+", default=["paper"], help="paper, grouped ...")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    config = yaml.safe_load((args.study / "config.yaml").read_text())
    seed, n_folds = config["seed"], config["cv"]["folds"]
    folds = list(range(n_folds))
    rows = []
    for protocol, variant in ((p, v) for p in args.protocols for v in args.variants):
        runs = [("lstm", c, parse_candidate(c)) for c in args.candidates]
        if args.linear:
            runs += [(m, m, config["models"].get(m, {})) for m in ("svm", "logistic_regression")]
        for model, name, settings in runs:
            infos, cpu = run(args.study, variant, model, settings, folds, seed, protocol)
            # The validation loss of the weights that were scored (the "kept" epoch).
            last = [
                next(
                    (h["val_loss"] for h in i["history"] if h.get("kept")),
                    i["history"][-1]["val_loss"],
                )
                for i in infos
                if i.get("history")
            ]
            row = {
                "protocol": protocol,
                "variant": variant,
                "candidate": name,
                "val_loss_mean": statistics.mean(last) if last else float("nan"),
                "f1_mean": 100 * statistics.mean(i["f1"] for i in infos),
                "f1_min": 100 * min(i["f1"] for i in infos),
                "epochs": sum(len(i.get("history", [])) for i in infos),
                "cpu_s": round(cpu, 1),
            }
            rows.append(row)
            print(json.dumps(row), flush=True)
    pd.DataFrame(rows).to_csv(args.out, index=False)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
