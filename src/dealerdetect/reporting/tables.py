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


def table1(scores: pd.DataFrame) -> pd.DataFrame:
    """Our scores (percent) with the paper's beside them, in the paper's row order."""
    paper = paper_table1().rename(columns={m: f"paper_{m}" for m, _ in MEASURES})
    # Table 1 holds the paper's four models; extra baselines go to the extended table.
    scores = scores[scores["model"].isin(registry.PAPER_MODELS)]
    out = scores[["variant", "model"] + [m for m, _ in MEASURES]].merge(
        paper, on=["variant", "model"], how="left"
    )
    order = {v: i for i, v in enumerate(registry.VARIANT_NAMES)}
    morder = {m: i for i, m in enumerate(registry.MODEL_NAMES)}
    out = out.sort_values(
        ["variant", "model"], key=lambda s: s.map(order if s.name == "variant" else morder)
    )
    return out.round(2).reset_index(drop=True)


def _cell(value, paper) -> str:
    ours = "–" if pd.isna(value) else f"{value:.2f}"
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
    for variant, block in t1.groupby("variant", sort=False):
        lines.append(f"| **{registry.variant_label(variant)}, %** |" + " |" * len(models))
        by_model = block.set_index("model")
        for key, label in MEASURES:
            cells = [
                _cell(by_model.at[m, key], by_model.at[m, f"paper_{key}"])
                if m in by_model.index
                else "–"
                for m in models
            ]
            lines.append(f"| {label} | " + " | ".join(cells) + " |")
    if note:
        lines += ["", note]
    return "\n".join(lines) + "\n"


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


def table2_markdown(t2: pd.DataFrame, dealer_posts: int) -> str:
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
    return "\n".join(lines) + "\n"


def write_table(df: pd.DataFrame, md: str, csv_path: str | Path, md_path: str | Path) -> None:
    Path(csv_path).parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(csv_path, index=False)
    Path(md_path).write_text(md, encoding="utf-8")
