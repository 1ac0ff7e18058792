"""How many labels does the study need? The annotation loop's learning curve, coders simulated.

    python bench/learning_curve.py [--corpus results/corpus/posts.jsonl] [--sms PATH]
        [--repeats 5] [--folds 5] [--out results/annotation]

Run ``snakemake results/corpus/posts.jsonl`` first (collection and labels only). For each corpus
-- the study's labelled corpus and the SMS Spam Collection (spam = 1; one sender per message,
so grouped folds are plain folds), if found -- and each strategy of the annotation loop
(``random``, ``uncertainty``, ``diverse``), the known labels play the coders: the loop labels
1%, 2%, 4%, ... 100% of each training part of folds grouped by user, and the study's SVM and
logistic regression (``models.svm``, ``models.logistic_regression`` of ``--config``) trained on
the labels so far are scored on the held-out fold. Writes ``learning_curve.csv`` (corpus,
strategy, model, share, labels, repeat, f1), ``labels_to_95.csv`` (labels each strategy needs
for 95% of the F1 with every label) and ``learning_curve.{png,svg}``. Prints both tables and
the time taken. Not part of the test suite: about 13 CPU-minutes on the default corpus.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from pathlib import Path

import pandas as pd
import yaml

ROOT = Path(__file__).resolve().parents[1]
SMS = ROOT / "data/external/sms-spam-collection/SMSSpamCollection"  # data/external/README.md
sys.path.insert(0, str(ROOT / "src"))

from dealerdetect.annotation.active import (  # noqa: E402
    STRATEGIES,
    labels_to_reach,
    learning_curve,
    post_texts,
)


def study_posts(path: Path) -> pd.DataFrame:
    from dealerdetect.annotation.corpus import read_corpus
    from dealerdetect.preprocessing.steps import dedupe_posts

    posts = dedupe_posts(read_corpus(path))
    return posts.sort_values("id", kind="stable").reset_index(drop=True)


def sms_posts(path: Path) -> pd.DataFrame:
    df = pd.read_csv(path, sep="\t", header=None, names=["label", "text"], quoting=csv.QUOTE_NONE)
    return pd.DataFrame(
        {
            "id": [f"sms{i}" for i in range(len(df))],
            "user": [f"sender{i}" for i in range(len(df))],
            "found_via": "",
            "caption": df["text"],
            "label": (df["label"] == "spam").astype(int),
        }
    )


def figure(curve: pd.DataFrame, out: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    corpora, models = list(dict.fromkeys(curve["corpus"])), list(dict.fromkeys(curve["model"]))
    fig, axes = plt.subplots(
        len(corpora), len(models), figsize=(5 * len(models), 3.6 * len(corpora)), squeeze=False
    )
    for i, corpus in enumerate(corpora):
        for j, model in enumerate(models):
            ax = axes[i][j]
            g = curve[(curve["corpus"] == corpus) & (curve["model"] == model)]
            full = g[g["share"] == g["share"].max()]["f1"].mean()
            for strategy, s in g.groupby("strategy", sort=False):
                m = s.groupby("share").agg(labels=("labels", "mean"), f1=("f1", "mean"))
                sd = s.groupby("share")["f1"].std().fillna(0)
                ax.plot(m["labels"], m["f1"], marker="o", ms=3, label=strategy)
                ax.fill_between(m["labels"], m["f1"] - sd, m["f1"] + sd, alpha=0.15)
            ax.axhline(0.95 * full, color="grey", ls=":", lw=1, label="95% of all labels")
            ax.set_xscale("log")
            ax.set_title(f"{corpus}: {model}")
            ax.set_xlabel("labels (per training part, log scale)")
            ax.set_ylabel("F1, held-out grouped folds")
            ax.set_ylim(0, 1)
            ax.legend(fontsize=8, loc="lower right")
    fig.tight_layout()
    for ext in ("png", "svg"):
        fig.savefig(out.with_suffix(f".{ext}"), dpi=150)
    plt.close(fig)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=Path("results/corpus/posts.jsonl"))
    parser.add_argument("--sms", type=Path, default=SMS, help="SMSSpamCollection file")
    parser.add_argument("--config", type=Path, default=ROOT / "config.yaml")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--strategies", nargs="+", default=list(STRATEGIES))
    parser.add_argument("--out", type=Path, default=Path("results/annotation"))
    args = parser.parse_args()
    cfg = yaml.safe_load(args.config.read_text())
    models = {m: cfg["models"].get(m) or {} for m in ("svm", "logistic_regression")}
    seed = int(cfg["seed"])
    stopwords = cfg["preprocessing"].get("stopwords", "english")
    corpora = {}
    if args.corpus.exists():
        corpora["study"] = study_posts(args.corpus)
    else:
        print(f"{args.corpus} not found: run snakemake {args.corpus} first", file=sys.stderr)
    if args.sms.exists():
        corpora["sms"] = sms_posts(args.sms)
    else:
        print(f"{args.sms} not found: the SMS Spam Collection is skipped", file=sys.stderr)
    if not corpora:
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    curves = []
    for name, posts in corpora.items():
        t0 = time.perf_counter()
        cpu0 = time.process_time()
        curve = learning_curve(
            posts,
            post_texts(posts, stopwords),
            strategies=args.strategies,
            models=models,
            folds=args.folds,
            repeats=args.repeats,
            seed=seed,
            progress=lambda m, n=name: print(f"{n}: {m}", file=sys.stderr, flush=True),
        )
        print(
            f"{name}: {len(posts)} posts, {int(posts['label'].sum())} positive; "
            f"{time.perf_counter() - t0:.0f} s wall, {time.process_time() - cpu0:.0f} CPU-s"
        )
        curves.append(curve.assign(corpus=name))
    curve = pd.concat(curves, ignore_index=True)
    cols = ["corpus", "strategy", "model", "share", "labels", "repeat", "f1"]
    curve[cols].to_csv(args.out / "learning_curve.csv", index=False)
    reach = pd.concat(
        [labels_to_reach(g).assign(corpus=c) for c, g in curve.groupby("corpus", sort=False)]
    )
    reach.to_csv(args.out / "labels_to_95.csv", index=False)
    figure(curve, args.out / "learning_curve.png")
    mean = curve.groupby(["corpus", "model", "share", "strategy"]).agg(
        labels=("labels", "mean"), f1=("f1", "mean")
    )
    f1 = mean["f1"].unstack()
    f1.insert(0, "labels", mean["labels"].groupby(level=[0, 1, 2]).mean().round())
    print(f1.round(3).to_string())
    if "random" in f1:
        for strategy in [s for s in args.strategies if s != "random"]:
            gap = (f1[strategy] - f1["random"]).groupby(level=[0, 1])
            print(f"{strategy} minus random, F1 at the worst share:")
            print(gap.min().round(3).to_string())
    print(reach.to_string(index=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
