"""Table 1 extended: what a reviewer asks of the paper's evaluation, beside its headline.

Per protocol x variant x model: pooled metrics (counts summed over folds, as the authors'
script), per-fold mean and sd, ROC and PR AUC from all out-of-fold scores, the paper-style AUC
(the last fold's model scored on the whole dataset: optimistic, since it has seen 90% of it),
bootstrap 95% intervals, and paired tests of every model against the best one of its variant.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dealerdetect.evaluation import stats
from dealerdetect.study import registry

from .tables import not_run_rows


def _row(oof: pd.DataFrame, folds: pd.DataFrame, seed: int, n_boot: int) -> dict:
    pooled = stats.pooled_metrics(oof)
    mean = stats.mean_sd_metrics(oof)
    f1_lo, f1_hi = stats.bootstrap_ci(
        oof["label"], None, oof["pred"], "f1", n_boot=n_boot, seed=seed
    )
    auc_lo, auc_hi = stats.bootstrap_ci(
        oof["label"], oof["score"], None, "auc", n_boot=n_boot, seed=seed
    )
    whole = (
        folds["auc_whole_dataset"].dropna()
        if "auc_whole_dataset" in folds
        else pd.Series(dtype=float)
    )
    row = {f"{k}_pooled": pooled[k] for k in ("precision", "recall", "f1")}
    for k in ("precision", "recall", "f1"):
        row[f"{k}_mean"], row[f"{k}_sd"] = mean[k], mean[f"{k}_sd"]
    row.update(
        roc_auc_oof=stats.oof_auc(oof["label"], oof["score"]),
        pr_auc_oof=stats.oof_pr_auc(oof["label"], oof["score"]),
        auc_fold_mean=float(folds["auc"].mean()),
        auc_paper_style=float(whole.iloc[0]) if len(whole) else np.nan,
        f1_ci_low=f1_lo,
        f1_ci_high=f1_hi,
        auc_ci_low=auc_lo,
        auc_ci_high=auc_hi,
    )
    return row


def extended_table(
    oof: pd.DataFrame, fold_metrics: pd.DataFrame, protocol: str, seed: int, n_boot: int = 1000
) -> pd.DataFrame:
    """One row per variant x model of one protocol; fractions in [0, 1], p-values raw."""
    rows = []
    for (variant, model), o in oof.groupby(["variant", "model"], sort=False):
        f = fold_metrics[(fold_metrics["variant"] == variant) & (fold_metrics["model"] == model)]
        rows.append(
            {
                "protocol": protocol,
                "variant": variant,
                "model": model,
                "in_paper": model in registry.PAPER_MODELS,
                **_row(o, f, seed, n_boot),
            }
        )
    table = pd.DataFrame(rows)
    return add_paired_tests(table, oof, fold_metrics)


def add_paired_tests(
    table: pd.DataFrame, oof: pd.DataFrame, fold_metrics: pd.DataFrame
) -> pd.DataFrame:
    """Compare each model with the best (highest mean F1) of its variant on the same posts."""
    out = []
    for variant, block in table.groupby("variant", sort=False):
        block = block.copy()
        block["best_model"] = ""
        best = block.loc[block["f1_mean"].idxmax(), "model"]
        fm = fold_metrics[fold_metrics["variant"] == variant].set_index(["model", "fold"])
        o = oof[oof["variant"] == variant]
        ref = o[o["model"] == best].set_index("id").sort_index()
        n_train = float(fm.loc[best, "n_train"].mean())
        n_test = float(fm.loc[best, "n_test"].mean())
        for i, r in block.iterrows():
            block.loc[i, "best_model"] = best
            if r["model"] == best:
                block.loc[i, ["nb_t", "nb_p", "mcnemar_stat", "mcnemar_p"]] = [
                    np.nan,
                    np.nan,
                    np.nan,
                    np.nan,
                ]
                continue
            a = fm.loc[r["model"], "f1"].sort_index().to_numpy()
            b = fm.loc[best, "f1"].sort_index().to_numpy()
            t, p = stats.nadeau_bengio_ttest(a, b, n_train, n_test)
            other = o[o["model"] == r["model"]].set_index("id").reindex(ref.index)
            chi, mp = stats.mcnemar(ref["label"], other["pred"], ref["pred"])
            block.loc[i, ["nb_t", "nb_p", "mcnemar_stat", "mcnemar_p"]] = [t, p, chi, mp]
        out.append(block)
    return pd.concat(out, ignore_index=True)


METRIC_COLUMNS = (
    "precision_pooled",
    "recall_pooled",
    "f1_pooled",
    "precision_mean",
    "precision_sd",
    "recall_mean",
    "recall_sd",
    "f1_mean",
    "f1_sd",
    "roc_auc_oof",
    "pr_auc_oof",
    "auc_fold_mean",
    "auc_paper_style",
    "f1_ci_low",
    "f1_ci_high",
    "auc_ci_low",
    "auc_ci_high",
)


# One row per variant x model x protocol compared with paper (grouped, operation, temporal).
GAP_COLUMNS = [
    "variant",
    "model",
    "protocol",
    "posts",
    "f1_paper",
    "f1_protocol",
    "gap",
    "gap_ci_low",
    "gap_ci_high",
    "mcnemar_stat",
    "mcnemar_p",
]


def protocol_gap(
    oof_paper: pd.DataFrame,
    oof_grouped: pd.DataFrame,
    seed: int,
    n_boot: int = 1000,
    protocol: str = "grouped",
) -> pd.DataFrame:
    """Per variant x model: pooled F1 under ``paper`` minus under ``protocol`` folds (``grouped``
    by user, ``operation``...), on the same posts (each has one out-of-fold prediction per
    protocol; the posts of both): a paired bootstrap 95% CI of the gap and McNemar on the two
    protocols' predictions. Percent; p-values raw."""
    rows = []
    keys = ["variant", "model", "id"]
    both = oof_paper.merge(oof_grouped, on=keys, suffixes=("_paper", "_grouped"))
    for (variant, model), o in both.groupby(["variant", "model"], sort=False):
        gap, lo, hi = stats.paired_f1_gap(
            o["label_paper"], o["pred_paper"], o["pred_grouped"], n_boot=n_boot, seed=seed
        )
        chi, p = stats.mcnemar(o["label_paper"], o["pred_paper"], o["pred_grouped"])
        label = o["label_paper"].to_numpy()
        f1 = {k: stats.f1_of(label, o[f"pred_{k}"].to_numpy()) for k in ("paper", "grouped")}
        rows.append(
            [
                variant,
                model,
                protocol,
                len(o),
                100 * f1["paper"],
                100 * f1["grouped"],
                100 * gap,
                100 * lo,
                100 * hi,
                chi,
                p,
            ]
        )
    return pd.DataFrame(rows, columns=GAP_COLUMNS).round(
        {
            "f1_paper": 2,
            "f1_protocol": 2,
            "gap": 2,
            "gap_ci_low": 2,
            "gap_ci_high": 2,
            "mcnemar_stat": 3,
            "mcnemar_p": 4,
        }
    )


def write_extended(
    protocols,
    oof_paths,
    fold_paths,
    seed: int,
    csv_path,
    md_path,
    gap_path,
    status: pd.DataFrame | None = None,
    note: str = "",
    languages: pd.Series | None = None,
    languages_path=None,
    min_language_posts: int = 50,
) -> pd.DataFrame:
    """Build the extended table over every protocol run; metrics in percent, p-values raw.
    With ``paper`` and ``grouped`` or ``operation``, also the paper-minus-protocol F1 gap per
    model (``gap_path``).
    Variants preprocessing found unusable (``status``) get rows marked not run. With
    ``languages`` (post id -> language), F1 per language goes to ``languages_path`` and the
    markdown (``reporting/languages.py``)."""
    parts, oofs = [], {}
    for protocol, oof_path, fold_path in zip(protocols, oof_paths, fold_paths, strict=True):
        oofs[protocol] = pd.read_parquet(oof_path)
        parts.append(extended_table(oofs[protocol], pd.read_csv(fold_path), protocol, seed))
    # Folds grouped by user or by operation against the paper's (temporal tests fewer posts).
    others = [p for p in ("grouped", "operation") if p in oofs and "paper" in oofs]
    gaps = (
        pd.concat(
            [protocol_gap(oofs["paper"], oofs[p], seed, protocol=p) for p in others],
            ignore_index=True,
        )
        if others
        else pd.DataFrame(columns=GAP_COLUMNS)
    )
    gaps.to_csv(gap_path, index=False)
    table = pd.concat(parts, ignore_index=True)
    table[list(METRIC_COLUMNS)] = table[list(METRIC_COLUMNS)] * 100
    table = table.round(
        {c: 2 for c in METRIC_COLUMNS} | {"nb_p": 4, "mcnemar_p": 4, "nb_t": 3, "mcnemar_stat": 3}
    ).assign(status="run")
    skipped = not_run_rows(status, list(dict.fromkeys(table["model"])))
    if len(skipped):
        table = pd.concat(
            [table, *(skipped.assign(protocol=p) for p in protocols)], ignore_index=True
        )
        table["in_paper"] = table["model"].isin(registry.PAPER_MODELS)
    table.to_csv(csv_path, index=False)
    with open(md_path, "w", encoding="utf-8") as fh:
        fh.write(extended_markdown(table[table["status"] == "run"]))
        if note:
            fh.write("\n" + note + "\n")
        if len(skipped):
            notes = dict(zip(skipped["variant"], skipped["status"], strict=False))
            fh.write("\nVariants not run: " + " ".join(f"{v}: {s}." for v, s in notes.items()))
            fh.write("\n")
        if len(gaps):
            fh.write("\n" + gap_markdown(gaps))
        if languages is not None:
            from .languages import language_markdown, language_table

            per_language, small = language_table(oofs, languages, min_language_posts)
            per_language.to_csv(languages_path, index=False)
            fh.write("\n" + language_markdown(per_language, small, min_language_posts))
    return table


def gap_markdown(gaps: pd.DataFrame) -> str:
    lines = [
        "**Protocol gap.** Pooled F1 (percent) with shuffled folds over posts (`paper`) and with "
        "folds grouped by user (`grouped`) or by operation (`operation`: accounts sharing a "
        "contact detail or a pasted ad), on the same posts; gap = paper - protocol with a paired "
        "bootstrap 95% CI over posts; McNemar compares the two protocols' predictions. "
        "results/tables/leakage.md says how many test posts each protocol leaves with a "
        "near-duplicate, their account or their operation in training.",
        "",
        "| Variant | Model | Protocol | F1 paper | F1 protocol | Gap (95% CI) | p (McNemar) |",
        "|---|---|---|---:|---:|---:|---:|",
    ]
    for _, r in gaps.iterrows():
        lines.append(
            f"| {r['variant']} | {r['model']} | {r['protocol']} | {r['f1_paper']:.2f} | "
            f"{r['f1_protocol']:.2f} | "
            f"{r['gap']:.2f} ({r['gap_ci_low']:.2f} to {r['gap_ci_high']:.2f}) | "
            f"{_fmt_p(r['mcnemar_p'])} |"
        )
    return "\n".join(lines) + "\n"


def _fmt_p(p) -> str:
    return "" if pd.isna(p) else ("<0.001" if p < 0.001 else f"{p:.3f}")


def extended_markdown(table: pd.DataFrame) -> str:
    lines = [
        "**Table 1, extended.** Percent. Pooled = TP/FP/FN summed over folds (the authors' script); "
        "mean ± sd over folds; OOF = from all out-of-fold scores; paper-style AUC = the last fold's "
        "model scored on the whole dataset (optimistic: it has seen 90% of it). p-values compare each "
        "model with the best of its variant (Nadeau-Bengio corrected t-test on fold F1; McNemar on "
        "out-of-fold predictions). Models marked † are beyond the paper.",
        "",
        "| Protocol | Variant | Model | F1 pooled | F1 mean ± sd | F1 95% CI | ROC AUC OOF (95% CI) "
        "| PR AUC OOF | AUC paper-style | p (NB) | p (McNemar) |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for _, r in table.iterrows():
        name = (
            r["model"]
            + ("" if r["in_paper"] else " †")
            + (" (best)" if r["model"] == r["best_model"] else "")
        )
        lines.append(
            f"| {r['protocol']} | {r['variant']} | {name} | {r['f1_pooled']:.2f} | "
            f"{r['f1_mean']:.2f} ± {r['f1_sd']:.2f} | {r['f1_ci_low']:.1f}–{r['f1_ci_high']:.1f} | "
            f"{r['roc_auc_oof']:.2f} ({r['auc_ci_low']:.1f}–{r['auc_ci_high']:.1f}) | {r['pr_auc_oof']:.2f} | "
            f"{r['auc_paper_style']:.2f} | {_fmt_p(r['nb_p'])} | {_fmt_p(r['mcnemar_p'])} |"
        )
    return "\n".join(lines) + "\n"
