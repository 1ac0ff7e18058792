"""F1 per language of the post, for each protocol, variant and model (beside Table 1 extended).

The language is the corpus's ``language`` column (``language.identify``). A language enters the
table with at least ``reporting.min_language_posts`` posts in a variant; smaller ones are
counted together in the note, never dropped silently. Pooled P/R/F1 from the out-of-fold
predictions, as in Table 1; a language's result is weak when its F1 is more than
:data:`WEAK_POINTS` below the same model's F1 on all posts of the variant.
"""

from __future__ import annotations

import pandas as pd

from dealerdetect.evaluation import stats

WEAK_POINTS = 5.0
COLUMNS = [
    "protocol",
    "variant",
    "model",
    "language",
    "posts",
    "dealer_posts",
    "precision",
    "recall",
    "f1",
    "f1_all_posts",
]


def _prf(frame: pd.DataFrame) -> tuple[float, float, float]:
    c = stats.confusion(frame["label"], frame["pred"])
    return stats.prf(c["tp"], c["fp"], c["fn"])


def language_table(
    oofs: dict[str, pd.DataFrame], languages: pd.Series, min_posts: int
) -> tuple[pd.DataFrame, dict]:
    """Rows of :data:`COLUMNS` (percent) and, per variant, how many posts were in languages
    below ``min_posts`` (``{variant: (languages, posts)}``). ``languages``: post id -> code."""
    rows, small = [], {}
    for protocol, oof in oofs.items():
        lang = oof["id"].astype(str).map(languages).fillna("und")
        oof = oof.assign(language=lang)
        for (variant, model), o in oof.groupby(["variant", "model"], sort=False):
            counts = o["language"].value_counts()
            kept = [lg for lg, n in counts.items() if n >= min_posts]
            below = counts[counts < min_posts]
            small[variant] = (len(below), int(below.sum()))
            f1_all = 100 * _prf(o)[2]
            for lg in kept:
                part = o[o["language"] == lg]
                p, r, f = _prf(part)
                rows.append(
                    [
                        protocol,
                        variant,
                        model,
                        lg,
                        len(part),
                        int(part["label"].sum()),
                        round(100 * p, 2),
                        round(100 * r, 2),
                        round(100 * f, 2),
                        round(f1_all, 2),
                    ]
                )
    return pd.DataFrame(rows, columns=COLUMNS), small


def weak_sentence(table: pd.DataFrame, min_posts: int) -> str:
    """One sentence: the language furthest below its model's F1 on all posts, if any is weak."""
    if table.empty:
        return f"No language has {min_posts} or more posts in a variant, so none is reported apart."
    gap = table["f1_all_posts"] - table["f1"]
    worst = table.loc[gap.idxmax()]
    if gap.max() <= WEAK_POINTS:
        return (
            f"No language with {min_posts} or more posts scores more than {WEAK_POINTS:g} F1 "
            "points below its model's F1 on all posts."
        )
    n_weak = int((gap > WEAK_POINTS).sum())
    return (
        f"Weakest language result: `{worst['language']}` ({worst['posts']} posts), where "
        f"{worst['model']} on {worst['variant']} ({worst['protocol']} folds) reaches F1 "
        f"{worst['f1']:.2f} against {worst['f1_all_posts']:.2f} on all posts; {n_weak} "
        f"language × model rows are more than {WEAK_POINTS:g} points below."
    )


def language_markdown(table: pd.DataFrame, small: dict, min_posts: int) -> str:
    lines = [
        f"**F1 per language** (percent, pooled over folds) for languages with at least "
        f"{min_posts} posts in a variant (`reporting.min_language_posts`); language identified "
        "per post by py3langid (`und`: undetermined).",
        "",
        "| Protocol | Variant | Model | Language | Posts | Dealer posts | Precision | Recall "
        "| F1 | F1 all posts |",
        "|---|---|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for _, r in table.iterrows():
        lines.append(
            f"| {r['protocol']} | {r['variant']} | {r['model']} | {r['language']} | "
            f"{r['posts']} | {r['dealer_posts']} | {r['precision']:.2f} | {r['recall']:.2f} | "
            f"{r['f1']:.2f} | {r['f1_all_posts']:.2f} |"
        )
    rest = [f"{v}: {n} posts in {k} languages" for v, (k, n) in small.items() if n]
    lines += ["", weak_sentence(table, min_posts)]
    if rest:
        lines.append(f"Below {min_posts} posts, not shown apart: " + "; ".join(rest) + ".")
    return "\n".join(lines) + "\n"


def read_languages(corpus_path) -> pd.Series:
    """Post id -> language from the labelled corpus (``und`` for a corpus without them)."""
    from dealerdetect.annotation.corpus import read_corpus

    corpus = read_corpus(corpus_path).drop_duplicates("id")
    if "language" not in corpus:
        return pd.Series("und", index=corpus["id"].astype(str))
    return corpus.set_index(corpus["id"].astype(str))["language"].fillna("und")
