"""Which variants a study can evaluate, and why not the others.

A variant no classifier can be cross-validated on (empty, one class only, or fewer posts of a
class than folds) is reported as *not run* with its counts, and the study runs the others to
the end; ``preprocessing.strict`` turns it back into an error. Real corpora meet this often: a
corpus of messages without hashtags has an empty or one-class ``hashtags_only`` variant.
"""

from __future__ import annotations

import pandas as pd

from dealerdetect.errors import InputValueError

STATUS_COLUMNS = [
    "variant",
    "status",
    "reason",
    "posts",
    "dealer_posts",
    "other_posts",
    "label_conflict_groups",
]


def unusable_reason(df: pd.DataFrame, folds: int) -> str:
    """Why ``df`` cannot be cross-validated in ``folds`` folds ("" when it can)."""
    if df.empty:
        return "empty after steps 1-5"
    counts = df["label"].astype(int).value_counts()
    dealer, other = int(counts.get(1, 0)), int(counts.get(0, 0))
    if not dealer or not other:
        kind = "dealer" if dealer else "non-dealer"
        return f"holds only {kind} posts ({len(df)}); a classifier needs both labels"
    if min(dealer, other) < folds:
        kind = "dealer" if dealer < other else "non-dealer"
        return (
            f"has {min(dealer, other)} {kind} posts, fewer than the {folds} folds; "
            "some test folds would hold none"
        )
    return ""


def variant_status(variants: dict[str, pd.DataFrame], flow, folds: int) -> pd.DataFrame:
    """One row per variant: run / not run, the reason, its posts by label, and how many texts
    step 5 kept one copy of although their copies carried both labels."""
    conflicts = flow.frame()
    conflicts = conflicts[conflicts["step"] == "5_dedupe_texts"].set_index("variant")
    rows = []
    for name, df in variants.items():
        reason = unusable_reason(df, folds)
        labels = df["label"].astype(int) if len(df) else pd.Series(dtype=int)
        rows.append(
            {
                "variant": name,
                "status": "not run" if reason else "run",
                "reason": reason,
                "posts": len(df),
                "dealer_posts": int((labels == 1).sum()),
                "other_posts": int((labels == 0).sum()),
                "label_conflict_groups": int(
                    conflicts["label_conflict_groups"].get(name, 0) if len(conflicts) else 0
                ),
            }
        )
    return pd.DataFrame(rows, columns=STATUS_COLUMNS)


def check_variants(status: pd.DataFrame, flow) -> None:
    """``preprocessing.strict``: an unusable variant is an error that shows where posts went
    (``flow``: the ``Flow`` of preprocessing or its table, as flow.csv holds it)."""
    flow_table = flow.frame() if hasattr(flow, "frame") else flow
    bad = status[status["status"] != "run"]
    if len(bad):
        first = bad.iloc[0]
        raise InputValueError(
            f"preprocessing: variant {first['variant']} {first['reason']} (strict: true; set "
            "preprocessing.strict: false to run the other variants, or choose "
            "preprocessing.variants). Posts left after each step:\n"
            + flow_table.to_string(index=False)
        )


def read_status(path) -> pd.DataFrame:
    """The status table written by the preprocess job (``reason`` as text, never NaN)."""
    return pd.read_csv(path, keep_default_na=False, dtype={"variant": str, "reason": str})


def usable(path, strict: bool = False, flow_path=None) -> list[str]:
    """The variants the preprocess job found usable; with ``strict`` (``preprocessing.strict``)
    an unusable one is an error instead. The workflow asks here, after the checkpoint, so that
    preprocess itself does not read ``strict`` and flipping it reruns no job."""
    status = read_status(path)
    if strict:
        from dealerdetect.privacy.csvsafe import read_csv

        check_variants(status, read_csv(flow_path) if flow_path else pd.DataFrame())
    return status.loc[status["status"] == "run", "variant"].tolist()
