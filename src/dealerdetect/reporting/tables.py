"""Table 1 and Table 2 beside the paper's numbers, as CSV and as Markdown in the paper's layout."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd

from dealerdetect.annotation.corpus import DATA, paper_table2
from dealerdetect.preprocessing.steps import dedupe_posts
from dealerdetect.study import registry

from ..drugs import Lexicon, normalise

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


# The paper's initial hashtags: Table 2's paper columns stand beside a run seeded with these.
PAPER_SEEDS = frozenset({"xanaxangel", "percocert", "adderrall", "hydrocodoneacetaminophen"})
TOP_HASHTAGS = 5  # hashtags listed per family (the paper lists two to five)


def is_paper_seeds(seeds) -> bool:
    return {normalise(s) for s in seeds or ()} == PAPER_SEEDS


def table2(
    corpus: pd.DataFrame,
    lexicon: Lexicon,
    seeds=(),
    loops: int | None = None,
    top: int = TOP_HASHTAGS,
) -> pd.DataFrame:
    """Table 2 for the study that ran: per lexicon family found in the dealer posts, the posts
    with any of its hashtags (row "Total") and its ``top`` hashtags by posts, families sorted by
    posts. Hashtags are matched to families by the lexicon's rule (:mod:`dealerdetect.drugs`),
    so a hashtag nobody listed (``#fentanylpatch``) counts under its family.

    The paper's numbers stand beside the rows they correspond to only when ``seeds`` are the
    paper's; the paper's hashtags of a family are then listed even when outside the top.
    ``seeds`` and ``loops`` are written in every row: the table says what produced it.
    """
    posts = dedupe_posts(corpus)
    dealers = posts[posts["label"] == 1]
    n = len(dealers)
    per_family: dict[str, Counter] = {}
    family_posts: Counter = Counter()
    for tags in dealers["hashtags"]:
        seen: dict[str, set[str]] = {}
        for t in {normalise(t) for t in tags}:
            fam = lexicon.family_of(t)
            if fam:
                seen.setdefault(fam, set()).add(t)
        for fam, ts in seen.items():
            family_posts[fam] += 1
            per_family.setdefault(fam, Counter()).update(ts)
    paper = paper_table2() if is_paper_seeds(seeds) else None
    paper_rows = {}
    if paper is not None:
        for _, r in paper.iterrows():
            # The paper prints #oxycodone twice; the later row (212) is the one that adds up.
            paper_rows[(r["drug"], normalise(r["hashtag"]))] = r
    order = {f: i for i, f in enumerate(lexicon.keys)}
    families = sorted(family_posts, key=lambda f: (-family_posts[f], order[f]))
    if paper is not None:  # the paper's families stay in the table even when none were found
        families += [f for f in dict.fromkeys(paper["drug"]) if f not in family_posts]
    seeds_text = " ".join(f"#{normalise(s)}" for s in seeds or ())
    rows = []

    def row(fam, tag, count, duplicate=False):
        p = paper_rows.get((fam, normalise(tag)))
        rows.append(
            {
                "family": fam,
                "drug": lexicon[fam].name if fam in lexicon.keys else fam,
                "hashtag": tag,
                "posts": int(count),
                "percent": round(100.0 * count / n, 2) if n else 0.0,
                "paper_posts": int(p["posts"]) if p is not None else None,
                "paper_percent": float(p["percent"]) if p is not None else None,
                "paper_duplicate": bool(p["paper_duplicate"]) if p is not None else False,
                "seeds": seeds_text,
                "loops": loops,
            }
        )

    for fam in families:
        counts = per_family.get(fam, Counter())
        shown = [t for t, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]]
        if paper is not None:
            shown += [
                normalise(h)
                for h in paper.loc[paper["drug"] == fam, "hashtag"]
                if h != "Total" and normalise(h) not in shown
            ]
        for t in dict.fromkeys(shown):
            row(fam, f"#{t}", counts.get(t, 0))
        row(fam, "Total", family_posts.get(fam, 0))
    return pd.DataFrame(rows, columns=TABLE2_COLUMNS)


TABLE2_COLUMNS = [
    "family",
    "drug",
    "hashtag",
    "posts",
    "percent",
    "paper_posts",
    "paper_percent",
    "paper_duplicate",
    "seeds",
    "loops",
]


def table2_markdown(t2: pd.DataFrame, dealer_posts: int, note: str = "") -> str:
    paper = t2["paper_posts"].notna().any()
    seeds = t2["seeds"].iloc[0] if len(t2) else ""
    loops = t2["loops"].iloc[0] if len(t2) else ""
    lines = [
        f"**Table 2.** Dealer posts per drug family of the lexicon and its top hashtags "
        f"(this run N={dealer_posts}"
        + ("; paper N=1228). Each cell: this run — paper." if paper else ").")
        + f" Seeds: {seeds or '–'}; loops: {loops}.",
        "",
        "| Drug name | Hashtag | Posts, n (%) |",
        "|---|---|---:|",
    ]
    last = None
    for _, r in t2.iterrows():
        drug = r["drug"] if r["drug"] != last else ""
        last = r["drug"]
        tag = f"{r['hashtag']}\\*" if r["paper_duplicate"] else r["hashtag"]
        if r["hashtag"] == "Total":
            tag = "**any of its hashtags**"
        cell = f"{r['posts']} ({r['percent']:.1f})"
        if pd.notna(r["paper_posts"]):
            cell += f" — paper {int(r['paper_posts'])} ({r['paper_percent']:.1f})"
        lines.append(f"| {drug} | {tag} | {cell} |")
    if paper:
        lines += [
            "",
            "\\* The paper prints #oxycodone twice (30 posts and 212 posts); the 212 row is shown.",
        ]
    else:
        lines += [
            "",
            "The paper's numbers are shown only for a run seeded with the paper's hashtags "
            "(#xanaxangel #percocert #adderrall #hydrocodoneacetaminophen).",
        ]
    if note:
        lines += ["", note]
    return "\n".join(lines) + "\n"


def write_table(df: pd.DataFrame, md: str, csv_path: str | Path, md_path: str | Path) -> None:
    Path(csv_path).parent.mkdir(parents=True, exist_ok=True)
    df.to_csv(csv_path, index=False)
    Path(md_path).write_text(md, encoding="utf-8")
