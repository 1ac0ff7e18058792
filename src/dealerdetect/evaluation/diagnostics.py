"""Fold diagnostics: flag a cross-validation fold whose model ended at or near the class prior.

A model that never left the prior predicts every post as the majority class (F1 0) or scores
far below its own other folds. Averaging such a fold into Table 1 silently would report a
mixture of "learned" and "did not learn" as one number, so it is flagged and named instead.
"""

from __future__ import annotations

import pandas as pd

# A fold is flagged if its F1 is below LOW_F1 while the median F1 of the same model and variant
# over all folds is above TYPICAL_F1 (fractions, as in fold_metrics.csv).
LOW_F1 = 0.5
TYPICAL_F1 = 0.8
GROUP_KEYS = ("protocol", "model", "variant")
NEEDED = ("model", "variant", "fold", "f1", "tp", "fp", "fn", "tn")


def flag_collapsed(
    folds: pd.DataFrame, low_f1: float = LOW_F1, typical_f1: float = TYPICAL_F1
) -> pd.DataFrame:
    """A copy of ``folds`` (one row per model x variant x fold, as ``fold_metrics.csv``) with
    two columns added: ``collapsed`` (bool) and ``collapse_reason`` ("" when not collapsed).

    A fold is collapsed when its predictions are all of one class while the test fold holds
    both (no post, or every post, called a dealer), or when its F1 is below ``low_f1`` while the
    median F1 of its model x variant (x protocol, if that column is there) over folds is above
    ``typical_f1`` (and the test fold holds dealer posts). Both reasons are given when both hold.
    """
    missing = [c for c in NEEDED if c not in folds.columns]
    if missing:
        raise ValueError(f"flag_collapsed: fold metrics lack the column(s) {missing}")
    out = folds.copy()
    if out.empty:
        out["collapsed"] = pd.Series(dtype=bool)
        out["collapse_reason"] = pd.Series(dtype=str)
        return out
    positives = out["tp"] + out["fn"]
    negatives = out["fp"] + out["tn"]
    none_positive = (out["tp"] + out["fp"] == 0) & (positives > 0)
    all_positive = (out["tn"] + out["fn"] == 0) & (negatives > 0)
    keys = [k for k in GROUP_KEYS if k in out.columns]
    median = out.groupby(keys, sort=False)["f1"].transform("median")
    # A test fold without dealer posts has F1 0 by convention; that is not a collapse.
    low = (out["f1"] < low_f1) & (median > typical_f1) & (positives > 0)

    reasons = []
    for i in out.index:
        why = []
        if none_positive[i]:
            why.append(f"no post predicted a dealer ({int(positives[i])} dealer posts missed)")
        if all_positive[i]:
            why.append(f"every post predicted a dealer ({int(negatives[i])} false positives)")
        if low[i]:
            why.append(f"F1 {out.at[i, 'f1']:.3f} against a median of {median[i]:.3f} over folds")
        reasons.append("; ".join(why))
    out["collapse_reason"] = reasons
    out["collapsed"] = out["collapse_reason"] != ""
    return out


def collapse_note(flagged: pd.DataFrame) -> str:
    """One sentence naming the collapsed folds of a :func:`flag_collapsed` frame ("" if none),
    for the Table 1 note and the report."""
    bad = flagged[flagged["collapsed"]]
    if bad.empty:
        return ""
    items = []
    for _, row in bad.iterrows():
        where = "/".join(str(row[k]) for k in GROUP_KEYS if k in bad.columns)
        items.append(f"{where} fold {int(row['fold'])} ({row['collapse_reason']})")
    n = len(items)
    return (
        f"{n} fold{'s' if n > 1 else ''} ended at or near the class prior and "
        f"{'are' if n > 1 else 'is'} included in the means above: " + "; ".join(items) + "."
    )
