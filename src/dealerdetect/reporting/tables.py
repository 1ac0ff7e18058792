"""Table 1 and Table 2 beside the paper's numbers, as CSV and as Markdown in the paper's layout."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from .. import registry
from ..corpus import DATA, paper_table2
from ..preprocessing import dedupe_posts

MEASURES = (
    ("precision", "Precision"),
    ("recall", "Recall"),
    ("f1", "F1 score"),
    ("auc", "Area under the curve"),
)


def paper_table1() -> pd.DataFrame:
    return pd.read_csv(DATA / "paper_table1.csv")


def not_run_rows(status: pd.DataFrame | None, models) -> pd.DataFrame:
    """One row per model of each variant the study could not evaluate (metrics empty)."""
    if status is None:
        return pd.DataFrame(columns=["variant", "model", "status"])
    skipped = status[status["status"] != "run"]
    return pd.DataFrame(
        [
            {"variant": r["variant"], "model": m, "status": f"not run: {status_text(r)}"}
            for _, r in skipped.iterrows()
            for m in models
        ],
        columns=["variant", "model", "status"],
    )


def status_text(row) -> str:
    return (
        f"{row['reason']} ({row['posts']} posts: {row['dealer_posts']} dealer, "
        f"{row['other_posts']} other)"
    )


def table1(scores: pd.DataFrame, status: pd.DataFrame | None = None) -> pd.DataFrame:
    """Our scores (percent) with the paper's beside them, in the paper's row order.

    Variants the study could not evaluate (``status``, from preprocessing) keep their rows,
    with empty metrics and the reason in ``status``.
    """
    paper = paper_table1().rename(columns={m: f"paper_{m}" for m, _ in MEASURES})
    # Table 1 holds the paper's four models; extra baselines go to the extended table.
    scores = scores[scores["model"].isin(registry.PAPER_MODELS)].assign(status="run")
    models = list(dict.fromkeys(scores["model"])) or list(registry.PAPER_MODELS)
    scores = pd.concat([scores, not_run_rows(status, models)], ignore_index=True)
    out = scores[["variant", "model"] + [m for m, _ in MEASURES] + ["status"]].merge(
        paper, on=["variant", "model"], how="left"
    )
    order = {v: i for i, v in enumerate(registry.VARIANT_NAMES)}
    morder = {m: i for i, m in enumerate(registry.MODEL_NAMES)}
    out = out.sort_values(
        ["variant", "model"], key=lambda s: s.map(order if s.name == "variant" else morder)
    )
    return out.round(2).reset_index(drop=True)


def _cell(value, paper, not_run: bool = False) -> str:
    ours = "not run" if not_run else ("–" if pd.isna(value) else f"{value:.2f}")
    return ours if pd.isna(paper) else f"{ours} ({paper:.2f})"


def table1_markdown(t1: pd.DataFrame, note: str = "") -> str:
    """Paper layout: a block per variant, measures as rows, models as columns, "ours (paper)"."""
    models = list(dict.fromkeys(t1["model"]))
    lines = [
        "**Table 1.** Performance for each model based on variations of text and hashtag use. "
        "Each cell: this run (paper), percent.",
        "",
    ]
    lines.append(
        "| Performance measure | " + " | ".join(registry.model_label(m) for m in models) + " |"
    )
    lines.append("|---|" + "---:|" * len(models))
    skipped = []
    for variant, block in t1.groupby("variant", sort=False):
        lines.append(f"| **{registry.variant_label(variant)}, %** |" + " |" * len(models))
        by_model = block.set_index("model")
        not_run = str(block["status"].iloc[0]).startswith("not run")
        if not_run:
            skipped.append(f"{registry.variant_label(variant)}: {block['status'].iloc[0]}.")
        for key, label in MEASURES:
            cells = [
                _cell(by_model.at[m, key], by_model.at[m, f"paper_{key}"], not_run)
                if m in by_model.index
                else "–"
                for m in models
            ]
            lines.append(f"| {label} | " + " | ".join(cells) + " |")
    if skipped:
        lines += ["", "Variants not run: " + " ".join(skipped)]
    if note:
        lines += ["", note]
    return "\n".join(lines) + "\n"


def label_conflicts_note(status: pd.DataFrame) -> str:
    """How many texts step 5 kept one copy of although their copies carried both labels."""
    run = status[status["label_conflict_groups"] > 0]
    if run.empty:
        return "Step 5 (duplicate texts) found no text whose copies carried both labels."
    parts = ", ".join(
        f"{registry.variant_label(r['variant'])} {r['label_conflict_groups']}"
        for _, r in run.iterrows()
    )
    return (
        "Step 5 kept one copy of each duplicate text, with the first copy's label; texts whose "
        f"copies carried both labels: {parts} (see results/preprocess/flow.csv)."
    )


def table1_note(
    source: str,
    status: pd.DataFrame | None = None,
    lstm_cfg: dict | None = None,
    summary: dict | None = None,
) -> str:
    """The note under Table 1: how scores were computed, what ran on which corpus, and step 5."""
    from .settings import run_note

    note = (
        "Scores are the mean over the folds of the paper protocol (shuffled K-fold over posts); "
        "AUC is the mean of per-fold AUCs. "
    ) + run_note(source, None, lstm_cfg, summary)
    if status is not None:
        note += " " + label_conflicts_note(status)
    return note


def table2(corpus: pd.DataFrame) -> pd.DataFrame:
    """Dealer posts per Table-2 hashtag and per drug (any of its hashtags), beside the paper."""
    posts = dedupe_posts(corpus)
    dealers = posts[posts["label"] == 1]
    n = len(dealers)
    tags = dealers["hashtags"].map(lambda ts: {t.lower() for t in ts})
    paper = paper_table2()
    rows = []
    for drug, group in paper.groupby("drug", sort=False):
        drug_tags = {h.lstrip("#").lower() for h in group["hashtag"] if h != "Total"}
        for _, r in group.iterrows():
            wanted = drug_tags if r["hashtag"] == "Total" else {r["hashtag"].lstrip("#").lower()}
            count = int(tags.map(lambda s, w=wanted: bool(s & w)).sum())
            rows.append(
                {
                    "drug": drug,
                    "hashtag": r["hashtag"],
                    "posts": count,
                    "percent": round(100.0 * count / n, 2) if n else 0.0,
                    "paper_posts": int(r["posts"]),
                    "paper_percent": float(r["percent"]),
                    "paper_duplicate": bool(r["paper_duplicate"]),
                }
            )
    return pd.DataFrame(rows)


def table2_markdown(t2: pd.DataFrame, dealer_posts: int, note: str = "") -> str:
    lines = [
        f"**Table 2.** Number of dealer posts related to controlled substance hashtags "
        f"(this run N={dealer_posts}; paper N=1228). Each cell: this run (paper).",
        "",
        "| Drug name | Hashtag | Posts, n (%) |",
        "|---|---|---:|",
    ]
    last = None
    for _, r in t2.iterrows():
        drug = r["drug"] if r["drug"] != last else ""
        last = r["drug"]
        tag = f"{r['hashtag']}\\*" if r["paper_duplicate"] else r["hashtag"]
        lines.append(
            f"| {drug} | {tag} | {r['posts']} ({r['percent']:.1f}) — paper "
            f"{r['paper_posts']} ({r['paper_percent']:.1f}) |"
        )
    lines += [
        "",
        "\\* The paper prints #oxycodone twice (30 posts and 212 posts); this run counts "
        "the one hashtag once and shows its count on both rows.",
    ]
    if note:
        lines += ["", note]
    return "\n".join(lines) + "\n"


def write_table(df: pd.DataFrame, md: str, csv_path: str | Path, md_path: str | Path) -> None:
    Path(csv_path).parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(csv_path, index=False)
    Path(md_path).write_text(md, encoding="utf-8")
