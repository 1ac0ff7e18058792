"""Helpers the notebooks import, so they show results rather than repeat the pipeline's code."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from dealerdetect.annotation.corpus import read_corpus, read_summary

__all__ = ["load_study", "misclassified", "results_dir"]


def results_dir(default: str | Path = "../results") -> Path:
    """The results of the last run: ``$DEALERDETECT_RESULTS`` or ``../results`` from notebooks/."""
    path = Path(os.environ.get("DEALERDETECT_RESULTS", default))
    if not (path / "tables" / "table1.csv").exists():
        raise FileNotFoundError(f"{path}: no finished study here; run `snakemake --cores 8` first")
    return path


def load_study(results: Path) -> dict:
    """Every table of a finished run, by name."""
    t = results / "tables"
    accounts = t / "accounts.csv"
    return {
        "variants": pd.read_csv(results / "preprocess" / "variants.csv", keep_default_na=False),
        "protocol_gap": pd.read_csv(t / "protocol_gap.csv"),
        "accounts": pd.read_csv(accounts) if accounts.exists() else None,
        "summary": read_summary(results / "corpus" / "summary.json"),
        "corpus": read_corpus(results / "corpus" / "posts.jsonl"),
        "flow": pd.read_csv(results / "preprocess" / "flow.csv"),
        "table1": pd.read_csv(t / "table1.csv"),
        "table1_extended": pd.read_csv(t / "table1_extended.csv"),
        "table2": pd.read_csv(t / "table2.csv"),
        "characterization": pd.read_csv(t / "characterization.csv"),
        "oof": pd.read_parquet(results / "cv" / "paper" / "oof.parquet"),
        "history": pd.read_csv(results / "cv" / "paper" / "lstm_history.csv"),
    }


def misclassified(study: dict, variant: str, model: str, n: int = 10) -> pd.DataFrame:
    """The most confident errors of one model: pseudonymous user, redacted caption, score."""
    oof = study["oof"].query("variant == @variant and model == @model")
    wrong = oof[oof["pred"] != oof["label"]].copy()
    wrong["confidence"] = (wrong["score"] - 0.5).abs()
    posts = study["corpus"].drop_duplicates("id").set_index("id")[["user", "caption"]]
    out = wrong.join(posts, on="id").sort_values("confidence", ascending=False)
    out["error"] = out["label"].map({0: "false positive", 1: "false negative"})
    return out[["id", "user", "error", "score", "caption"]].head(n).reset_index(drop=True)
