"""Figures for the rerun: model curves here, paper comparisons in ``figures_paper``.

Every function takes plain DataFrames and an output path stem, writes ``<stem>.png`` (dpi 150)
and ``<stem>.svg`` and returns the list of paths written. Figures use the Agg canvas only.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from sklearn.metrics import precision_recall_curve, roc_curve

from dealerdetect.evaluation.stats import confusion, oof_auc, oof_pr_auc, prf
from dealerdetect.reporting._plotting import (
    model_color,
    model_label,
    models_in,
    new_figure,
    require,
    save,
    select_variant,
    variant_label,
)
from dealerdetect.reporting.figures_paper import (
    app_shares,
    flow_diagram,
    table1_bars,
    table2_bars,
)

__all__ = [
    "roc_pr_curves",
    "confusion_matrices",
    "learning_curves",
    "table1_bars",
    "table2_bars",
    "app_shares",
    "flow_diagram",
]


def roc_pr_curves(
    oof: pd.DataFrame,
    variant: str,
    stem,
    paper_auc: Mapping[str, float] | None = None,
) -> list[Path]:
    """ROC (left) and precision-recall (right) curves from out-of-fold scores, one line per
    model, ROC AUC / average precision in the legend. ``paper_auc`` (model -> AUC in percent
    or fraction) adds the paper's AUC to the ROC legend where given."""
    require(oof, ("variant", "model", "label", "score"), "oof")
    part = select_variant(oof, variant, "oof")
    fig = new_figure(12, 5.2)
    ax_roc, ax_pr = fig.subplots(1, 2)
    ax_roc.plot([0, 1], [0, 1], color="grey", ls=":", lw=1, label="Chance (AUC 0.50)")
    prevalence = float(np.mean(part["label"].astype(int)))
    ax_pr.axhline(prevalence, color="grey", ls=":", lw=1, label=f"Prevalence ({prevalence:.2f})")
    for model in models_in(part):
        rows = part[part["model"] == model]
        y, s = rows["label"].astype(int).to_numpy(), rows["score"].to_numpy(dtype=float)
        color, name = model_color(model), model_label(model)
        auc, ap = oof_auc(y, s), oof_pr_auc(y, s)
        if math.isnan(auc):
            ax_roc.plot([], [], color=color, label=f"{name}: one class only")
            continue
        fpr, tpr, _ = roc_curve(y, s)
        label = f"{name}: AUC {auc:.3f}"
        if paper_auc is not None and model in paper_auc and not pd.isna(paper_auc[model]):
            ref = float(paper_auc[model])
            label += f" (paper {ref / 100 if ref > 1 else ref:.3f})"
        ax_roc.plot(fpr, tpr, color=color, lw=1.8, label=label)
        prec, rec, _ = precision_recall_curve(y, s)
        ax_pr.step(rec, prec, where="post", color=color, lw=1.8, label=f"{name}: AP {ap:.3f}")
    ax_roc.set(
        xlabel="False positive rate",
        ylabel="True positive rate (recall)",
        title="ROC curve",
        xlim=(-0.01, 1.01),
        ylim=(-0.01, 1.01),
    )
    ax_pr.set(
        xlabel="Recall",
        ylabel="Precision",
        title="Precision-recall curve",
        xlim=(-0.01, 1.01),
        ylim=(-0.01, 1.01),
    )
    for ax in (ax_roc, ax_pr):
        ax.set_aspect("equal")
        ax.grid(alpha=0.3)
    ax_roc.legend(loc="lower right", fontsize=8)
    ax_pr.legend(loc="lower left", fontsize=8)
    fig.suptitle(f"{variant_label(variant)}: out-of-fold scores, all folds pooled")
    return save(fig, stem)


def confusion_matrices(oof: pd.DataFrame, variant: str, stem) -> list[Path]:
    """One 2x2 confusion matrix per model (rows true class, columns predicted), counts and
    row percentages annotated, plus P/R/F1 under each panel."""
    require(oof, ("variant", "model", "label", "pred"), "oof")
    part = select_variant(oof, variant, "oof")
    models = models_in(part)
    ncols = min(len(models), 4)
    nrows = math.ceil(len(models) / ncols)
    fig = new_figure(3.4 * ncols, 3.6 * nrows + 0.6)
    axes = np.atleast_1d(fig.subplots(nrows, ncols, squeeze=False)).ravel()
    classes = ("Other (0)", "Dealer (1)")
    image = None
    for ax, model in zip(axes, models, strict=False):
        rows = part[part["model"] == model]
        c = confusion(rows["label"], rows["pred"])
        mat = np.array([[c["tn"], c["fp"]], [c["fn"], c["tp"]]])
        share = mat / np.maximum(mat.sum(axis=1, keepdims=True), 1)
        image = ax.imshow(share, cmap="Blues", vmin=0, vmax=1)
        names = np.array([["TN", "FP"], ["FN", "TP"]])
        for i in range(2):
            for j in range(2):
                ax.text(
                    j,
                    i,
                    f"{names[i, j]}\n{mat[i, j]:,}\n({share[i, j]:.0%})",
                    ha="center",
                    va="center",
                    fontsize=10,
                    color="white" if share[i, j] > 0.6 else "black",
                )
        p, r, f1 = prf(c["tp"], c["fp"], c["fn"])
        ax.set(
            xticks=[0, 1],
            yticks=[0, 1],
            xticklabels=classes,
            yticklabels=classes,
            xlabel=f"Predicted\nP {p:.2f}  R {r:.2f}  F1 {f1:.2f}",
            ylabel="True",
            title=model_label(model),
        )
    for ax in axes[len(models) :]:
        ax.set_axis_off()
    if image is not None:
        fig.colorbar(image, ax=list(axes[: len(models)]), shrink=0.7, label="Share of true class")
    fig.suptitle(f"{variant_label(variant)}: confusion matrices, all folds pooled")
    return save(fig, stem)


def learning_curves(history: pd.DataFrame, variant: str, stem) -> list[Path]:
    """Training and validation loss per epoch, one small panel per fold (shared y axis)."""
    require(history, ("variant", "fold", "epoch", "loss", "val_loss"), "history")
    part = select_variant(history, variant, "history")
    folds = sorted(part["fold"].unique())
    ncols = min(len(folds), 5)
    nrows = math.ceil(len(folds) / ncols)
    fig = new_figure(3.0 * ncols, 2.6 * nrows + 0.8)
    axes = np.atleast_1d(fig.subplots(nrows, ncols, squeeze=False, sharey=True)).ravel()
    for ax, fold in zip(axes, folds, strict=False):
        rows = part[part["fold"] == fold].sort_values("epoch")
        ax.plot(rows["epoch"], rows["loss"], color="#1f77b4", lw=1.6, marker=".", ms=3)
        val = rows.dropna(subset=["val_loss"])
        if not val.empty:
            ax.plot(val["epoch"], val["val_loss"], color="#d62728", lw=1.6, ls="--")
            best = val.loc[val["val_loss"].idxmin()]
            ax.plot(best["epoch"], best["val_loss"], "o", color="#d62728", ms=5, mfc="none")
        ax.set_title(f"Fold {fold}", fontsize=10)
        ax.grid(alpha=0.3)
    for i, ax in enumerate(axes):
        if i >= len(folds):
            ax.set_axis_off()
            continue
        if i % ncols == 0:
            ax.set_ylabel("Binary cross-entropy")
        if i >= len(folds) - ncols:
            ax.set_xlabel("Epoch")
    handles = [
        Line2D([], [], color="#1f77b4", lw=1.6, marker=".", label="Training loss"),
        Line2D([], [], color="#d62728", lw=1.6, ls="--", label="Validation loss"),
        Line2D([], [], color="#d62728", marker="o", mfc="none", ls="", label="Lowest val. loss"),
    ]
    fig.legend(handles=handles, loc="outside lower center", ncols=3, fontsize=9)
    fig.suptitle(f"{variant_label(variant)}: learning curves per cross-validation fold")
    return save(fig, stem)
