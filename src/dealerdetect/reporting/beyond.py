"""Beyond the paper, for the report: the account-level figure and the one-line headline of
what shuffled folds hide (the F1 each model loses when a user's posts cannot be on both sides).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from dealerdetect.study import registry

from ._plotting import model_color, model_label, new_figure, ordered, save, variant_label

RULE_HATCH = {"max": "", "mean": "//", "noisy_or": ".."}


def accounts_figure(metrics: pd.DataFrame, stem) -> list[Path]:
    """Per variant: account F1 at the threshold and precision among the top 50 accounts, for
    every model (colour) and aggregation rule (hatch)."""
    variants = ordered(metrics["variant"], registry.VARIANT_NAMES)
    models = ordered(metrics["model"], registry.MODEL_NAMES)
    rules = ordered(metrics["rule"], tuple(RULE_HATCH))
    measures = [("f1", "Account F1"), ("precision_at_50", "Precision at top 50")]
    fig = new_figure(4.2 * len(variants) + 0.6, 5.6)
    axes = fig.subplots(len(measures), len(variants), squeeze=False, sharey=True)
    width = 0.8 / max(len(rules), 1)
    x = np.arange(len(models))
    for col, variant in enumerate(variants):
        part = metrics[metrics["variant"] == variant].set_index(["model", "rule"])
        for row, (measure, title) in enumerate(measures):
            ax = axes[row, col]
            for j, rule in enumerate(rules):
                values = [100 * float(part[measure].get((m, rule), np.nan)) for m in models]
                ax.bar(
                    x - 0.4 + width * (j + 0.5),
                    np.nan_to_num(values),
                    width,
                    color=[model_color(m) for m in models],
                    hatch=RULE_HATCH.get(rule, ""),
                    edgecolor="black",
                    label=rule if col == 0 and row == 0 else None,
                )
            ax.set_xticks(x, [model_label(m) for m in models], rotation=30, ha="right", fontsize=7)
            ax.set_ylim(0, 105)
            ax.grid(axis="y", alpha=0.3)
            if col == 0:
                ax.set_ylabel(f"{title} (%)")
            if row == 0:
                ax.set_title(variant_label(variant), fontweight="bold")
    fig.legend(loc="outside lower center", ncols=len(rules), title="Aggregation rule (hatch)")
    fig.suptitle("Accounts scored from out-of-fold posts, folds grouped by user")
    return save(fig, stem)


def protocol_headline(gaps: pd.DataFrame) -> str:
    """One sentence per study: each model's F1 loss, paper -> grouped folds, as a range over
    the variants (Markdown)."""
    if "protocol" in gaps:
        by_operation = gaps[gaps["protocol"] == "operation"]
        gaps = gaps[gaps["protocol"] == "grouped"]
    else:
        by_operation = gaps.iloc[0:0]
    if gaps.empty and not by_operation.empty:
        return _drop_sentence(by_operation, "operation", "folds grouped by operation")
    if gaps.empty:
        return (
            "Only the paper protocol ran (`cv.protocols`), so this run does not show how much F1 "
            "depends on a user's posts sitting on both sides of a split.\n"
        )
    text = (
        "**When a user's posts cannot be on both sides of a split (folds grouped by user), F1 "
        "drops by " + _gap_ranges(gaps) + " points (paper-protocol F1 minus grouped F1, per "
        "model, range over the variants; CIs in protocol_gap.csv).**\n"
    )
    if not by_operation.empty:
        text += "\n" + _drop_sentence(by_operation, "operation", "folds grouped by operation")
    return text


def _gap_ranges(gaps: pd.DataFrame) -> str:
    parts = []
    for model in ordered(gaps["model"], registry.MODEL_NAMES):
        g = gaps[gaps["model"] == model]["gap"]
        lo, hi = float(g.min()), float(g.max())
        span = f"{lo:.1f}" if round(lo, 1) == round(hi, 1) else f"{lo:.1f} to {hi:.1f}"
        parts.append(f"{registry.model_label(model, short=True)} {span}")
    return "; ".join(parts)


def _drop_sentence(gaps: pd.DataFrame, protocol: str, what: str) -> str:
    return (
        f"**When no operation (accounts sharing a contact detail or a pasted ad) is on both "
        f"sides of a split ({what}), F1 drops by {_gap_ranges(gaps)} points (paper minus "
        f"{protocol}, per model, range over the variants).**\n"
    )


def operations_figure(ops: pd.DataFrame, stem) -> list[Path]:
    """Operations by number of accounts (log scale): all operations, and those with a dealer
    post; beside it, the posts they hold."""
    from dealerdetect.evaluation.operations import size_distribution

    dist = size_distribution(ops)
    fig = new_figure(9.0, 3.8)
    left, right = fig.subplots(1, 2)
    x = np.arange(len(dist))
    labels = [str(a) for a in dist["accounts"]]
    left.bar(x - 0.2, dist["operations"], 0.4, label="all operations", color="#7f7f7f")
    left.bar(x + 0.2, dist["dealer_operations"], 0.4, label="with a dealer post", color="#d62728")
    left.set_yscale("log")
    left.set_ylabel("Operations")
    right.bar(x, dist["posts"], 0.6, color="#1f77b4")
    right.set_yscale("log")
    right.set_ylabel("Posts in them")
    for ax in (left, right):
        ax.set_xticks(x, labels, rotation=90, fontsize=7)
        ax.set_xlabel("Accounts per operation")
        ax.grid(axis="y", alpha=0.3)
    left.legend(fontsize=8)
    linked = int((ops["accounts"] > 1).sum())
    fig.suptitle(
        f"{len(ops)} operations; {linked} join two or more accounts (shared contact or pasted ad)"
    )
    return save(fig, stem)
